/**
 * The cdktf app of the example platform (`npx cdktf synth` runs it, see cdktf.json): one
 * stack per environment, `<platform>-<environment>`, written to `dist/gcp/stacks/<stack>`, the
 * same files `npm run synth` writes there.
 */
import * as fs from 'fs';
import { App, DISABLE_STACK_TRACE_IN_METADATA } from 'cdktf';
import { GcpPlatformStack, gcpStackName } from '../lib/gcp';
import { platform } from './platform';

const outdir = process.env.CDKTF_OUTDIR ?? 'dist/gcp';
// cdktf creates its output folder but not the folders above it.
fs.mkdirSync(outdir, { recursive: true });
const app = new App({ outdir, context: { [DISABLE_STACK_TRACE_IN_METADATA]: true } });
for (const environment of platform.environments) {
  new GcpPlatformStack(app, gcpStackName(platform, environment.name), { platform, environment: environment.name });
}
app.synth();
