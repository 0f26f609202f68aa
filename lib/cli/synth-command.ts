import * as fs from 'fs';
import * as path from 'path';
import { AnnotationMetadataEntryType } from 'cdktf';
import { PlatformDefinition } from '../definition';
import { SynthProgress, synthesizePlatform } from '../synth';
import { Shard } from '../synth/shard';
import { selectEnvironments } from '../synth/k8s';
import { CliIo } from './io';

/** Options of `runSynth`. */
/**
 * Where `ops-constructs synth` caches each service's output unless told otherwise, relative to the
 * working folder: the folder tools keep their caches in, which git and npm already leave out.
 */
export const DEFAULT_CACHE_DIR = 'node_modules/.cache/ops-constructs';

export interface SynthRunOptions {
  /** The output folder, absolute or relative to the command's folder. */
  readonly outdir: string;
  /**
   * The environments to synthesize, by name.
   * @default every environment of the platform
   */
  readonly environments?: readonly string[];
  /**
   * No progress line and no summary; warnings are still printed.
   * @default false
   */
  readonly quiet?: boolean;
  /**
   * Only this shard of the services (and, in shard 1, the platform-wide files).
   * @default every service
   */
  readonly shard?: Shard;
  /**
   * A folder for the cache of each service's output, so unchanged services are written from it.
   * `ops-constructs synth` passes `DEFAULT_CACHE_DIR` unless told `--no-cache`.
   * @default no cache
   */
  readonly cache?: string;
  /**
   * Days the cache keeps what no synthesis used (see `SynthesizePlatformOptions.cacheRetentionDays`).
   * @default 14
   */
  readonly cacheRetentionDays?: number;
  /**
   * Threads building the services' files (see `SynthesizePlatformOptions.jobs`).
   * @default 1
   */
  readonly jobs?: number;
  /**
   * The day the readiness side checks for, `YYYY-MM-DD`: waivers expire and game days age against it.
   * @default the current date in UTC
   */
  readonly today?: string;
}

/** The label cdktf's CLI prints before an annotation of each level. */
const LEVELS: Readonly<Record<string, string>> = {
  [AnnotationMetadataEntryType.INFO]: 'INFO',
  [AnnotationMetadataEntryType.WARN]: 'WARN',
  [AnnotationMetadataEntryType.ERROR]: 'ERROR',
};

/** An annotation of a Terraform stack, as cdktf records it in its manifest. */
export interface StackAnnotation {
  /** `@cdktf/info`, `@cdktf/warn` or `@cdktf/error`. */
  readonly level: string;
  /** The construct it is about. */
  readonly constructPath: string;
  /** What it says. */
  readonly message: string;
}

function isAnnotation(value: unknown): value is StackAnnotation {
  if (typeof value !== 'object' || value === null) return false;
  const { level, constructPath, message } = value as Record<string, unknown>;
  return typeof level === 'string' && typeof constructPath === 'string' && typeof message === 'string';
}

/**
 * The annotations of every Terraform stack, from the manifest cdktf writes next to the stacks:
 * the very list `npx cdktf synth` prints after running the app.
 */
export function terraformAnnotations(gcpOutdir: string): StackAnnotation[] {
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

/** An annotation as `npx cdktf synth` prints it: `WARN [<construct path>]: <message>`. */
export function formatAnnotation({ level, constructPath, message }: StackAnnotation): string {
  return `${LEVELS[level] ?? level} [${constructPath}]: ${message}`;
}

function progressLine(io: CliIo): (p: SynthProgress) => void {
  return (p) => {
    const where = p.environment !== undefined ? `, ${p.environment}` : '';
    io.stderr(`\r\u001b[2K${p.side}: ${p.done}/${p.total} services${where}`);
  };
}

/**
 * Synthesizes a platform into a folder, as `ops-constructs synth` and `npm run synth` do: a
 * progress line on an interactive terminal, the stacks' warnings on stderr (once each, as
 * `npx cdktf synth` prints them), then a summary of the files and objects written.
 * @returns the exit status: 1 when a stack recorded an error (the files are written all the same,
 * as cdktf's CLI does), else 0
 */
export function runSynth(platform: PlatformDefinition, options: SynthRunOptions, io: CliIo): number {
  const outdir = path.resolve(io.cwd, options.outdir);
  const environments = selectEnvironments(platform, options.environments);
  const interactive = io.interactive && options.quiet !== true;
  const started = process.hrtime.bigint();
  const summary = synthesizePlatform(platform, outdir, {
    ...(options.environments !== undefined ? { environments: options.environments } : {}),
    ...(options.shard !== undefined ? { shard: options.shard } : {}),
    ...(options.cache !== undefined ? { cache: path.resolve(io.cwd, options.cache) } : {}),
    ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
    ...(options.cacheRetentionDays !== undefined ? { cacheRetentionDays: options.cacheRetentionDays } : {}),
    ...(options.today !== undefined ? { today: options.today } : {}),
    ...(interactive ? { onProgress: progressLine(io) } : {}),
  });
  const millis = Number(process.hrtime.bigint() - started) / 1e6;
  if (interactive) io.stderr('\r\u001b[2K');

  const annotations = terraformAnnotations(path.join(outdir, 'gcp'));
  for (const annotation of annotations) io.stderr(`${formatAnnotation(annotation)}\n`);

  if (options.quiet !== true) {
    const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;
    const all = platform.environments.length;
    const envs = environments.length === all ? plural(all, 'environment') : `${environments.length} of ${plural(all, 'environment')}: ${environments.map((e) => e.name).join(', ')}`;
    const kindWidth = Math.max(28, ...Object.keys(summary.objectsPerKind).map((k) => k.length));
    const lines = [
      `Synthesized platform "${platform.name}" (${plural(platform.services.length, 'service')} × ${envs}) into ${path.relative(io.cwd, outdir) || '.'}/ in ${millis.toFixed(0)} ms`,
      ...(options.shard !== undefined ? [`Shard ${options.shard.index} of ${options.shard.count}${options.shard.index === 1 ? ', with the platform-wide files' : ''}`] : []),
      ...(summary.cache !== undefined ? [`Cache: ${summary.cache.hits} services written from it, ${summary.cache.misses} built`] : []),
      `${summary.files.length} files:`,
      ...summary.files.map((file) => `  ${file}`),
      'Objects per kind:',
      ...Object.entries(summary.objectsPerKind).map(([kind, count]) => `  ${kind.padEnd(kindWidth)} ${count}`),
    ];
    io.stdout(`${lines.join('\n')}\n`);
  }
  return annotations.some((a) => a.level === AnnotationMetadataEntryType.ERROR) ? 1 : 0;
}
