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
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { EffectiveService, PlatformDefinition } from '../definition';
import { sortedJsonValue } from '../grafana/stable-json';
import { RuleGroup } from '../prometheus/rule-group';
import { ServiceRunbookSummary } from '../runbooks/runbooks';
import type { ServiceFindings } from '../readiness';

/** What a service wrote in one environment, as the cache keeps it. */
export interface CachedService {
  /** Files, relative to the output folder, with their content. */
  readonly files: readonly { readonly path: string; readonly content: string }[];
  /** Kubernetes objects per kind in the service's chart. */
  readonly objectsPerKind: Readonly<Record<string, number>>;
  /** The service's Prometheus rule groups, which the fleet dashboard reads. */
  readonly ruleGroups: readonly RuleGroup[];
  /** What the runbook indexes say of the service, with the runbooks side. @default none */
  readonly runbooks?: ServiceRunbookSummary;
  /** On the readiness side: the findings of the readiness check (no day in them; waivers apply when the report is made). */
  readonly readiness?: ServiceFindings;
}

/** The format of entries; a new one makes every old entry a miss. */
const FORMAT = 3;

let fingerprint: string | undefined;

function codeFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? codeFiles(path.join(dir, entry.name)) : /\.(?:js|ts|sh|json)$/.test(entry.name) ? [path.join(dir, entry.name)] : []))
    .sort();
}

/**
 * The library's fingerprint: its version and the SHA-256 of its code (every script, module
 * and schema under the library's root folder, in order). Read once per process.
 */
export function libraryFingerprint(): string {
  if (fingerprint === undefined) {
    const root = path.resolve(__dirname, '..');
    const hash = createHash('sha256');
    const pkg = [path.resolve(root, '..', 'package.json'), path.resolve(root, '..', '..', 'package.json')].find((file) => fs.existsSync(file));
    hash.update(pkg ? String((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version?: unknown }).version) : 'unknown');
    for (const file of codeFiles(root)) hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
    fingerprint = hash.digest('hex');
  }
  return fingerprint;
}

/** The platform's settings a service's files may read: the definition without its services. */
function platformSettings(platform: PlatformDefinition): unknown {
  const { services: _services, ...settings } = platform;
  return settings;
}

/** The cache key of one service's output. */
export function serviceCacheKey(platform: PlatformDefinition, service: EffectiveService, sides: readonly string[]): string {
  const input = JSON.stringify(sortedJsonValue({ format: FORMAT, library: libraryFingerprint(), platform: platformSettings(platform), service, sides: [...sides].sort() }));
  return createHash('sha256').update(input).digest('hex');
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

  /** The entry of a key, or undefined when there is none or it cannot be read. */
  public get(key: string): CachedService | undefined {
    try {
      const entry = JSON.parse(fs.readFileSync(this.file(key), 'utf8')) as CachedService;
      this.hits++;
      return entry;
    } catch {
      return undefined;
    }
  }

  /** Stores an entry. */
  public put(key: string, entry: CachedService): void {
    this.misses++;
    const target = this.file(key);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(entry));
    fs.renameSync(temporary, target);
  }
}
