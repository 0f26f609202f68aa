/**
 * The cdktf app of the example platform (`npx cdktf synth` runs it, see cdktf.json): one
 * stack per environment, `<platform>-<environment>`, written to `cdktf.out/stacks/<stack>`.
 */
import { App, DISABLE_STACK_TRACE_IN_METADATA } from 'cdktf';
import { GcpPlatformStack, gcpStackName } from '../lib/gcp';
import { platform } from './platform';

const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out', context: { [DISABLE_STACK_TRACE_IN_METADATA]: true } });
for (const environment of platform.environments) {
  new GcpPlatformStack(app, gcpStackName(platform, environment.name), { platform, environment: environment.name });
}
app.synth();
