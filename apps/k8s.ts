/**
 * The cdk8s app of the example platform (`npx cdk8s synth` runs it, see cdk8s.yaml): per
 * environment one file per service, `dist/k8s/<env>/<service>.k8s.yaml`, the fleet dashboard,
 * `dist/k8s/<env>/dashboards/fleet.k8s.yaml`, and per namespace
 * `dist/k8s/<env>/namespaces/<namespace>.k8s.yaml` and `dist/k8s/<env>/alert-routing/<namespace>.k8s.yaml`.
 */
import { writePlatformCharts } from '../lib/synth/k8s';
import { platform } from './platform';

writePlatformCharts(platform, process.env.CDK8S_OUTDIR ?? 'dist/k8s');
