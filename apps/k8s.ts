/**
 * The cdk8s app of the example platform (`npx cdk8s synth` runs it, see cdk8s.yaml):
 * one file per service per environment, `dist/k8s/<env>/<service>.k8s.yaml`.
 */
import { buildPlatformCharts } from '../lib/synth/k8s';
import { platform } from './platform';

const outdir = process.env.CDK8S_OUTDIR ?? 'dist/k8s';
for (const { app } of buildPlatformCharts(platform, outdir)) {
  app.synth();
}
