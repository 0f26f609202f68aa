/** The benchmark fleet's cdk8s app: what `cdk8s synth` runs at fleet scale. */
import { platformCharts, writeChart } from '../../lib/synth/k8s';
import { platform } from './fleet';

for (const chart of platformCharts(platform)) writeChart(process.env.CDK8S_OUTDIR ?? 'dist/k8s', chart);
