/**
 * The cdktf app of the example platform (`npx cdktf synth` runs it, see cdktf.json): one
 * stack per environment, `<platform>-<environment>`, written to `dist/gcp/stacks/<stack>`, the
 * same files `npm run synth` writes there.
 */
import { GcpPlatformApp } from '../lib/gcp';
import { platform } from './platform';

new GcpPlatformApp({ platform, outdir: process.env.CDKTF_OUTDIR ?? 'dist/gcp' }).synth();
