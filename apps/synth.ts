/**
 * `npm run synth [-- <outdir>] [--quiet]`: writes everything the library produces for the
 * example platform into `dist/` and prints a summary. On a terminal a progress line shows the
 * side and the services done; without a terminal (CI) or with `--quiet` it stays silent until
 * the summary (`--quiet` drops that too). The warnings of the synthesis go to stderr in every
 * mode, once each and as `npx cdktf synth` prints them (`WARN [<construct path>]: <message>`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { AnnotationMetadataEntryType } from 'cdktf';
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

/** The label cdktf's CLI prints before an annotation of each level. */
const LEVELS: Readonly<Record<string, string>> = {
  [AnnotationMetadataEntryType.INFO]: 'INFO',
  [AnnotationMetadataEntryType.WARN]: 'WARN',
  [AnnotationMetadataEntryType.ERROR]: 'ERROR',
};

interface Annotation {
  readonly level: string;
  readonly constructPath: string;
  readonly message: string;
}

function isAnnotation(value: unknown): value is Annotation {
  if (typeof value !== 'object' || value === null) return false;
  const { level, constructPath, message } = value as Record<string, unknown>;
  return typeof level === 'string' && typeof constructPath === 'string' && typeof message === 'string';
}

/**
 * The annotations of every Terraform stack, from the manifest cdktf writes next to the stacks:
 * the very list `npx cdktf synth` prints after running the app.
 */
function terraformAnnotations(gcpOutdir: string): Annotation[] {
  const file = path.join(gcpOutdir, 'manifest.json');
  if (!fs.existsSync(file)) return [];
  const manifest: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  const stacks = typeof manifest === 'object' && manifest !== null ? (manifest as { stacks?: unknown }).stacks : undefined;
  if (typeof stacks !== 'object' || stacks === null) return [];
  return Object.values(stacks).flatMap((stack: unknown) => {
    const annotations = typeof stack === 'object' && stack !== null ? (stack as { annotations?: unknown }).annotations : undefined;
    return Array.isArray(annotations) ? annotations.filter(isAnnotation) : [];
  });
}

const started = process.hrtime.bigint();
const summary = synthesizePlatform(platform, outdir, interactive ? { onProgress: progressLine } : {});
const millis = Number(process.hrtime.bigint() - started) / 1e6;
if (interactive) process.stderr.write('\r\u001b[2K');

const annotations = terraformAnnotations(path.join(outdir, 'gcp'));
for (const { level, constructPath, message } of annotations) {
  process.stderr.write(`${LEVELS[level] ?? level} [${constructPath}]: ${message}\n`);
}
// As cdktf's CLI does, an error annotation fails the synthesis (after the files are written).
if (annotations.some((a) => a.level === AnnotationMetadataEntryType.ERROR)) process.exitCode = 1;

if (!quiet) {
  const lines = [
    `Synthesized platform "${platform.name}" (${platform.services.length} services × ${platform.environments.length} environments) into ${path.relative(process.cwd(), outdir) || '.'}/ in ${millis.toFixed(0)} ms`,
    `${summary.files.length} files:`,
    ...summary.files.map((file) => `  ${file}`),
    'Objects per kind:',
    ...Object.entries(summary.objectsPerKind).map(([kind, count]) => `  ${kind.padEnd(Math.max(28, ...Object.keys(summary.objectsPerKind).map((k) => k.length)))} ${count}`),
  ];
  console.log(lines.join('\n'));
}
