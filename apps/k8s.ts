/**
 * The cdk8s app of the example platform (`npx cdk8s synth` runs it, see cdk8s.yaml): one file
 * per service per environment, `dist/k8s/<env>/<service>.k8s.yaml`, and one per namespace,
 * `dist/k8s/<env>/alert-routing/<namespace>.k8s.yaml`.
 */
import { platformCharts, writeChart } from '../lib/synth/k8s';
import { platform } from './platform';

const outdir = process.env.CDK8S_OUTDIR ?? 'dist/k8s';
for (const chart of platformCharts(platform)) {
  writeChart(outdir, chart);
}
