/**
 * A content-addressed cache of each service's output, for incremental synthesis: a service
 * whose inputs did not change is written from the cache instead of being built again.
 *
 * An entry's key is the SHA-256 of everything the service's files are made from: its effective
 * definition in the environment, the platform's settings (the whole definition except the list
 * of services, which a service's files do not read), the output sides asked for, and the
 * library itself (its version and the bytes of its code, so a changed library never serves an
 * old entry). An entry holds the files the service wrote, the objects it counted and the rule
 * groups the platform-wide files (fleet dashboards) read. Entries are written atomically
 * (temporary file, then rename), so a run that is killed leaves no half entry.
 *
 * Beside each entry, its summary (`<key>.meta.json`: the entry without its files), and per
 * output folder a record of what the last synthesis there wrote (`outputs/<folder hash>.json`:
 * each unit's key and its files' sizes and modification times). A unit whose key is in the
 * record, with every file still as it was written, is not written again: its files are already
 * there, byte for byte, so an incremental synthesis reads only the summaries of the unchanged
 * services and writes only the changed ones. A file changed, removed or touched since is
 * noticed by its size or modification time, and its unit is written again. The record also
 * keeps what each Terraform stack was assembled from (the digests of its shared resources and
 * of its services' parts): a stack made of the same is left as it is (see `synthesizeGcpPlatform`).
 * The same holds for the other platform-wide files: the record keeps the digest of what they
 * read (the platform's settings, and of each unit what `unitReads` digests), and files made of
 * the same, untouched since, are left as they are. A kept unit's summary is then never read.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { threadId } from 'worker_threads';
import { DefinitionError, EffectiveService, PlatformDefinition } from '../definition';
import { sortedJsonValue } from '../grafana/stable-json';
import { RuleGroup } from '../prometheus/rule-group';
import type { PassedChecks } from '../dashboards/consistency';
import { ServiceRunbookSummary } from '../runbooks/runbooks';
import type { ServiceFindings } from '../readiness';
import type { AssembledStack } from '../gcp/stack-parts';
import type { StackManifest } from 'cdktf';
import * as z from 'zod';

/** What a service wrote in one environment, as the cache keeps it. */
export interface CachedService {
  /** Files, relative to the output folder, with their content. */
  readonly files: readonly { readonly path: string; readonly content: string }[];
  /** Kubernetes objects per kind in the service's chart. */
  readonly objectsPerKind: Readonly<Record<string, number>>;
  /** The service's Prometheus rule groups with only their recording rules, which the fleet dashboard reads. */
  readonly ruleGroups: readonly RuleGroup[];
  /** What the runbook indexes say of the service, with the runbooks side. @default none */
  readonly runbooks?: ServiceRunbookSummary;
  /** On the readiness side: the findings of the readiness check (no day in them; waivers apply when the report is made). */
  readonly readiness?: ServiceFindings;
}

/** The format of entries; a new one makes every old entry a miss. */
const FORMAT = 7;

/** A file as an output record keeps it: its path relative to the output folder, size in bytes and modification time. */
export interface RecordedFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** A Terraform stack as an output record keeps it: what it was assembled from, and its file. */
export interface RecordedStack extends AssembledStack {
  readonly file: RecordedFile;
}

/** A unit as an output record keeps it: what the synthesis reads of it when it is kept, without its summary. */
export interface RecordedUnit {
  /** Its files. */
  readonly files: readonly RecordedFile[];
  /** Kubernetes objects per kind in its chart. */
  readonly kinds: Readonly<Record<string, number>>;
  /** The digest of what the platform-wide files read of it (see `unitReads`). */
  readonly reads: string;
}

/**
 * Files written together from inputs of the whole platform (the platform-wide files, the
 * readiness report), as an output record keeps them: the digest of what they were made from,
 * and the files.
 */
export interface RecordedGroup {
  readonly digest: string;
  readonly files: readonly RecordedFile[];
  /** Kubernetes objects per kind in the group's charts. */
  readonly kinds: Readonly<Record<string, number>>;
}

/** What a synthesis wrote into an output folder: per unit key, the Terraform stacks by name, and the files made from the whole platform. */
export interface OutputRecord {
  readonly format: number;
  readonly units: Readonly<Record<string, RecordedUnit>>;
  /** @default none: every stack is written */
  readonly stacks?: Readonly<Record<string, RecordedStack>>;
  /** The platform-wide files but the stacks and the readiness report. @default none: they are written */
  readonly platform?: RecordedGroup;
  /** The readiness report's files; its digest names the cache part that holds each service's result. @default none: they are written */
  readonly readiness?: RecordedGroup;
}

/** Whether a value is a count of objects per kind. */
function isKinds(value: unknown): value is Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const count of Object.values(value)) if (typeof count !== 'number') return false;
  return true;
}

/** Whether a value is a recorded file (checked by hand: a record lists tens of thousands). */
function isRecordedFile(value: unknown): value is RecordedFile {
  const file = value as Partial<RecordedFile> | null;
  return typeof file === 'object' && file !== null && typeof file.path === 'string' && file.path !== '' && typeof file.size === 'number' && typeof file.mtimeMs === 'number';
}

/** Whether a value is a recorded unit (checked by hand, as its files are). */
function isRecordedUnit(value: unknown): value is RecordedUnit {
  const unit = value as Partial<RecordedUnit> | null;
  return typeof unit === 'object' && unit !== null && Array.isArray(unit.files) && unit.files.every(isRecordedFile) && isKinds(unit.kinds) && typeof unit.reads === 'string';
}

const RECORDED_FILE = z.custom<RecordedFile>(isRecordedFile);
const RECORDED_GROUP = z.object({ digest: z.string(), files: z.array(RECORDED_FILE), kinds: z.custom<Record<string, number>>(isKinds) });

/** The shape of an output record of this format: anything else is no record. */
const OUTPUT_RECORD: z.ZodType<OutputRecord> = z.object({
  format: z.literal(FORMAT),
  units: z.record(z.string(), z.custom<RecordedUnit>(isRecordedUnit)),
  stacks: z
    .record(
      z.string(),
      z.object({
        digest: z.string(),
        parts: z.record(z.string(), z.string()),
        // The manifest entry is written back as it was; the library reads only where its stack is.
        manifest: z.looseObject({ synthesizedStackPath: z.string().min(1) }) as unknown as z.ZodType<StackManifest>,
        file: RECORDED_FILE,
        shared: z.string().optional(),
      }),
    )
    .optional(),
  platform: RECORDED_GROUP.optional(),
  readiness: RECORDED_GROUP.optional(),
});

let fingerprint: string | undefined;

function codeFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? codeFiles(path.join(dir, entry.name)) : /\.(?:js|ts|sh|json)$/.test(entry.name) ? [path.join(dir, entry.name)] : []))
    .sort();
}

/** The version of an installed package as its package.json says, found from `from` as Node.js resolves it; 'unknown' when there is none. */
function installedVersion(name: string, from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'node_modules', name, 'package.json');
    if (fs.existsSync(file)) return String((JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown }).version);
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

/**
 * The library's fingerprint: its version, the SHA-256 of its code (every script, module and
 * schema under the library's root folder, in order), and the installed version of each of its
 * dependencies (cdk8s, cdktf, the Google provider and the others shape the output: an upgrade
 * must not serve files an older one made). Read once per process.
 */
export function libraryFingerprint(): string {
  fingerprint ??= fingerprintOf(path.resolve(__dirname, '..'));
  return fingerprint;
}

/** The fingerprint (see `libraryFingerprint`) of the library whose code is under `root`, its package.json in the folder above or the one above that. */
export function fingerprintOf(root: string): string {
  const hash = createHash('sha256');
  const pkg = [path.resolve(root, '..', 'package.json'), path.resolve(root, '..', '..', 'package.json')].find((file) => fs.existsSync(file));
  const manifest = pkg !== undefined ? (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version?: unknown; dependencies?: Record<string, unknown> }) : {};
  hash.update(pkg !== undefined ? String(manifest.version) : 'unknown');
  for (const name of Object.keys(manifest.dependencies ?? {}).sort()) hash.update(`\0${name}@${installedVersion(name, path.dirname(pkg as string))}`);
  hash.update('\0');
  for (const file of codeFiles(root)) hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** The platform's settings a service's files may read: the definition without its services. */
function platformSettings(platform: PlatformDefinition): unknown {
  const { services: _services, ...settings } = platform;
  return settings;
}

/**
 * The JSON of a (frozen) effective service, once: a service has several keys (its files, its
 * Terraform part). Members stay in the order the definition builds them, the same for the same
 * definition: sorting them (most of a key's cost) could only make two services' keys equal when
 * their members' order differs, which an output may follow; an order that differs is a miss.
 */
const serviceJson = new WeakMap<EffectiveService, string>();

const settingsDigest = new WeakMap<PlatformDefinition, string>();

/** The SHA-256 of the format, the library and the platform settings' canonical JSON, once per (frozen) platform. */
export function platformSettingsDigest(platform: PlatformDefinition): string {
  let settings = settingsDigest.get(platform);
  if (settings === undefined) {
    settings = createHash('sha256').update(JSON.stringify({ format: FORMAT, library: libraryFingerprint(), platform: sortedJsonValue(platformSettings(platform)) })).digest('hex');
    settingsDigest.set(platform, settings);
  }
  return settings;
}

/**
 * The key of a service's entry: the SHA-256 of the platform's settings digest
 * (`platformSettingsDigest`), the sides and the service's effective definition.
 */
export function serviceCacheKey(platform: PlatformDefinition, service: EffectiveService, sides: readonly string[]): string {
  const settings = platformSettingsDigest(platform);
  let canonical = serviceJson.get(service);
  if (canonical === undefined) {
    canonical = JSON.stringify(service);
    serviceJson.set(service, canonical);
  }
  // Fields apart by NUL, which neither JSON nor a side's name holds.
  return createHash('sha256').update(`${settings}\0${[...sides].sort().join(',')}\0`).update(canonical).digest('hex');
}

/** A cache folder of service outputs. */
export class SynthCache {
  /** Entries read from the cache in this run. */
  public hits = 0;
  /** Entries built and stored in this run. */
  public misses = 0;

  constructor(public readonly dir: string) {}

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  private metaFile(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.meta.json`);
  }

  private recordFile(outdir: string): string {
    return path.join(this.dir, 'outputs', `${createHash('sha256').update(path.resolve(outdir)).digest('hex')}.json`);
  }

  /**
   * The entry of a key, or undefined when there is none or it cannot be read.
   * @param count whether a read counts as a hit (not when its unit was counted already)
   */
  public get(key: string, count = true): CachedService | undefined {
    const entry = readJson<CachedService>(this.file(key));
    if (entry !== undefined && count) this.hits++;
    return entry;
  }

  /**
   * The entry of a key without its files, or undefined when there is none or it cannot be read.
   * @param count whether a summary read counts as a hit (not when its unit was counted already)
   */
  public summary(key: string, count = true): Omit<CachedService, 'files'> | undefined {
    const entry = readJson<Omit<CachedService, 'files'>>(this.metaFile(key));
    if (entry !== undefined && count) this.hits++;
    return entry;
  }

  /**
   * The dashboard consistency checks that passed through this cache, one empty file each under
   * `checks/`, named by the check's content key salted with the format and the library's
   * fingerprint (a changed library checks again).
   */
  public passedChecks(): PassedChecks {
    const file = (key: string): string => {
      const salted = createHash('sha256').update(`${FORMAT}\n${libraryFingerprint()}\n${key}`).digest('hex');
      return path.join(this.dir, 'checks', salted.slice(0, 2), salted);
    };
    return {
      has: (key) => fs.existsSync(file(key)),
      add: (key) => writeAtomically(file(key), ''),
    };
  }

  /**
   * Stores an entry, and its summary.
   * @param count whether it counts as a miss (not when its unit was counted already)
   */
  public put(key: string, entry: CachedService, count = true): void {
    if (count) this.misses++;
    const { files: _files, ...summary } = entry;
    writeAtomically(this.file(key), JSON.stringify(entry));
    writeAtomically(this.metaFile(key), JSON.stringify(summary));
  }

  private partFile(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.part.json`);
  }

  /** A part of a platform-wide file that one service's inputs decide (its Terraform resources), stored under the service's key for it. */
  public part<T>(key: string): T | undefined {
    return readJson<T>(this.partFile(key));
  }

  /** Stores a part (see `part`). */
  public putPart(key: string, part: unknown): void {
    writeAtomically(this.partFile(key), JSON.stringify(part));
  }

  /** What the last synthesis into `outdir` through this cache wrote, or undefined (none, another format, or damaged: the synthesis then starts from a clean folder). */
  public outputs(outdir: string): OutputRecord | undefined {
    const parsed = OUTPUT_RECORD.safeParse(readJson<unknown>(this.recordFile(outdir)));
    return parsed.success ? parsed.data : undefined;
  }

  /** Records what a synthesis wrote into `outdir`. */
  public recordOutputs(outdir: string, record: Omit<OutputRecord, 'format'>): void {
    writeAtomically(this.recordFile(outdir), JSON.stringify({ format: FORMAT, ...record } satisfies OutputRecord));
  }

  /** Forgets what was written into `outdir`, before it is changed by other means. */
  public forgetOutputs(outdir: string): void {
    fs.rmSync(this.recordFile(outdir), { force: true });
  }

  /**
   * Bounds the cache: removes the output records nothing wrote for `retentionDays`, and every
   * entry, summary, part, passed check and leftover temporary file nothing wrote for as long
   * that no remaining record names (a record names its units and its stacks' parts). What the
   * latest synthesis into a folder uses stays however old it is; what no synthesis used lately
   * goes, and is built again if it is ever asked for.
   * @returns how many files were removed, and how many kept
   */
  public prune(retentionDays: number, now = Date.now()): { removed: number; kept: number } {
    const cutoff = now - checkRetentionDays(retentionDays) * DAY_MS;
    const counts = { removed: 0, kept: 0 };
    const old = (file: string): boolean => (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? now) < cutoff;
    const remove = (file: string): void => {
      fs.rmSync(file, { force: true });
      counts.removed++;
    };
    const named = new Set<string>();
    const records = path.join(this.dir, 'outputs');
    for (const name of listDir(records)) {
      const file = path.join(records, name);
      if (old(file)) {
        remove(file);
        continue;
      }
      counts.kept++;
      const record = readJson<OutputRecord>(file);
      for (const key of Object.keys(record?.units ?? {})) named.add(key);
      for (const stack of Object.values(record?.stacks ?? {})) {
        for (const key of Object.keys(stack.parts)) named.add(key);
        if (stack.shared !== undefined) named.add(stack.shared);
      }
      if (record?.readiness !== undefined) named.add(record.readiness.digest);
    }
    if (fs.existsSync(records) && fs.readdirSync(records).length === 0) fs.rmdirSync(records);
    for (const folder of listDir(this.dir)) {
      if (folder === 'outputs' || !/^(?:checks|[0-9a-f]{2})$/.test(folder)) continue;
      const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const file = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(file);
          else if (!named.has(entry.name.split('.')[0]) && old(file)) remove(file);
          else counts.kept++;
        }
        if (dir !== this.dir && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
      };
      walk(path.join(this.dir, folder));
    }
    return counts;
  }

  /** Prunes (see `prune`) unless the cache was pruned in the last day, so a synthesis pays for it once a day at most. */
  public pruneDaily(retentionDays: number, now = Date.now()): { removed: number; kept: number } | undefined {
    const marker = path.join(this.dir, 'pruned');
    const last = fs.statSync(marker, { throwIfNoEntry: false })?.mtimeMs;
    if (last !== undefined && last > now - DAY_MS && last <= now) return undefined;
    const counts = this.prune(retentionDays, now);
    writeAtomically(marker, '');
    const at = new Date(now);
    fs.utimesSync(marker, at, at);
    return counts;
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** How many days a cache keeps what no synthesis used, unless told otherwise. */
export const DEFAULT_RETENTION_DAYS = 14;

/** The most days a cache may keep what no synthesis used: ten years. */
export const MAX_RETENTION_DAYS = 3650;

/** Checks how many days a cache keeps what no synthesis used: a whole number from 1 to `MAX_RETENTION_DAYS`; a `DefinitionError` naming the value otherwise. */
export function checkRetentionDays(days: unknown): number {
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
    throw new DefinitionError('synthesis options', [{ path: 'cacheRetentionDays', problem: `must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}`, value: days }]);
  }
  return days;
}

/** The names in a folder, none when it does not exist. */
function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Writes a file through a temporary one and a rename, so a killed run leaves no half file. */
function writeAtomically(target: string, content: string): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Unique per thread too: the worker threads of one synthesis share the process's id.
  const temporary = `${target}.${process.pid}-${threadId}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, target);
}
