/** The benchmark fleet's cdk8s app: what `cdk8s synth` runs at fleet scale. */
import { writePlatformCharts } from '../../lib/synth/k8s';
import { platform } from './fleet';

writePlatformCharts(platform, process.env.CDK8S_OUTDIR ?? 'dist/k8s');
