/**
 * `npm run synth [-- <outdir>] [--quiet]`: writes everything the library produces for the
 * example platform into `dist/` and prints a summary. On a terminal a progress line shows the
 * side and the services done; without a terminal (CI) or with `--quiet` it stays silent until
 * the summary (`--quiet` drops that too).
 */
import * as path from 'path';
import { SynthProgress, synthesizePlatform } from '../lib';
import { platform } from './platform';

const args = process.argv.slice(2);
const quiet = args.includes('--quiet');
const outdir = path.resolve(args.find((a) => !a.startsWith('--')) ?? 'dist');
const interactive = process.stderr.isTTY === true && !quiet && process.env.CI !== 'true';

function progressLine(p: SynthProgress): void {
  const where = p.environment !== undefined ? `, ${p.environment}` : '';
  process.stderr.write(`\r\u001b[2K${p.side}: ${p.done}/${p.total} services${where}`);
}

const started = process.hrtime.bigint();
const summary = synthesizePlatform(platform, outdir, interactive ? { onProgress: progressLine } : {});
const millis = Number(process.hrtime.bigint() - started) / 1e6;
if (interactive) process.stderr.write('\r\u001b[2K');

if (!quiet) {
  const lines = [
    `Synthesized platform "${platform.name}" (${platform.services.length} services × ${platform.environments.length} environments) into ${path.relative(process.cwd(), outdir) || '.'}/ in ${millis.toFixed(0)} ms`,
    `${summary.files.length} files:`,
    ...summary.files.map((file) => `  ${file}`),
    'Objects per kind:',
    ...Object.entries(summary.objectsPerKind).map(([kind, count]) => `  ${kind.padEnd(28)} ${count}`),
  ];
  console.log(lines.join('\n'));
}
