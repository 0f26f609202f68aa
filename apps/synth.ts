/**
 * `npm run synth`: writes everything the library produces for the example platform into
 * `dist/` and prints a short summary.
 */
import * as path from 'path';
import { synthesizePlatform } from '../lib';
import { platform } from './platform';

const outdir = path.resolve(process.argv[2] ?? 'dist');
const started = process.hrtime.bigint();
const summary = synthesizePlatform(platform, outdir);
const millis = Number(process.hrtime.bigint() - started) / 1e6;

const lines = [
  `Synthesized platform "${platform.name}" (${platform.services.length} services × ${platform.environments.length} environments) into ${path.relative(process.cwd(), outdir) || '.'}/ in ${millis.toFixed(0)} ms`,
  `${summary.files.length} files:`,
  ...summary.files.map((file) => `  ${file}`),
  'Objects per kind:',
  ...Object.entries(summary.objectsPerKind).map(([kind, count]) => `  ${kind.padEnd(28)} ${count}`),
];
console.log(lines.join('\n'));
