/**
 * `npm run synth [-- <outdir>] [--quiet]`: writes everything the library produces for the
 * example platform into `dist/` and prints a summary, as `ops-constructs synth` does. On a
 * terminal a progress line shows the side and the services done; without a terminal (CI) or with
 * `--quiet` it stays silent until the summary (`--quiet` drops that too). The warnings of the
 * synthesis go to stderr in every mode, once each and as `npx cdktf synth` prints them
 * (`WARN [<construct path>]: <message>`).
 */
import { processIo, runSynth } from '../lib/cli';
import { platform } from './platform';

const args = process.argv.slice(2);
process.exitCode = runSynth(platform, { outdir: args.find((a) => !a.startsWith('--')) ?? 'dist', quiet: args.includes('--quiet') }, processIo());
