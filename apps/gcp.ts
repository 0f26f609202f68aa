/**
 * The cdktf app of the example platform (`npx cdktf synth` runs it, see cdktf.json): one
 * stack per environment, `<platform>-<environment>`, written to `dist/gcp/stacks/<stack>`, the
 * same files `npm run synth` writes there, by the same function: each environment's stack is
 * built, written and let go before the next.
 */
import { synthesizeGcpPlatform } from '../lib/gcp';
import { platform } from './platform';

synthesizeGcpPlatform({ platform, outdir: process.env.CDKTF_OUTDIR ?? 'dist/gcp' });
