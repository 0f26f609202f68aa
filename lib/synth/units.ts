/**
 * One unit of a synthesis: a service's files in one environment, on the sides asked for. A unit
 * is built (or read from the cache) and written, or, when the last synthesis through the cache
 * wrote it into this folder and nobody changed its files since, kept where it is: then nothing of
 * it is read until the platform-wide files need its summary. The same builder runs in the
 * synthesizing thread and in worker threads.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { EffectiveService, PlatformDefinition } from '../definition';
import { CachedService, OutputRecord, RecordedFile, RecordedUnit, SynthCache, platformSettingsDigest, serviceCacheKey } from './cache';
import { serviceFiles } from './service-files';

/** What the platform-wide files read of a unit: objects per kind, recording rules, runbook summary, readiness findings. */
export type UnitSummary = Omit<CachedService, 'files'>;

/** A unit written or kept. */
export interface UnitOutcome {
  /** What the platform-wide files read of it; undefined when it was kept (`UnitBuilder.summary` reads it then). */
  readonly summary?: UnitSummary;
  /** Kubernetes objects per kind in its chart. */
  readonly kinds: Readonly<Record<string, number>>;
  /** With a cache: the unit's key. */
  readonly key?: string;
  /** With a cache: the digest of what the platform-wide files read of it (see `unitReads`). */
  readonly reads?: string;
  /** The files written, relative to the output folder: none when the unit was kept. */
  readonly written: readonly string[];
  /** With a cache: the unit as the last synthesis here recorded it, when its files were kept. */
  readonly kept?: RecordedUnit;
}

/**
 * The fields of a service that no platform-wide file reads (fleet dashboards, namespaces,
 * alert routing, Alertmanager, runbook indexes, GitOps): the shape of its workload. An edit of
 * these alone (a new image, more replicas) leaves those files as they are, so an incremental
 * synthesis keeps them. A test changes each on every service and checks that every
 * platform-wide file stays the same, byte for byte; the readiness report reads them, and has
 * its own digest.
 */
export const WORKLOAD_FIELDS = ['image', 'version', 'replicas', 'resources', 'health', 'autoscaling', 'env', 'secretEnv'] as const satisfies readonly (keyof EffectiveService)[];

/**
 * The digest of what the platform-wide files (but the readiness report and the stacks) read of
 * one unit: the service's effective definition without its `WORKLOAD_FIELDS`, and the unit's
 * recording rules and runbook summary.
 */
export function unitReads(service: EffectiveService, summary: UnitSummary): string {
  const read: Record<string, unknown> = { ...service };
  for (const field of WORKLOAD_FIELDS) delete read[field];
  return createHash('sha256')
    .update(JSON.stringify(read))
    .update('\0')
    .update(JSON.stringify([summary.ruleGroups, summary.runbooks ?? null]))
    .digest('hex');
}

/**
 * The digest of what the platform-wide files (but the readiness report and the stacks) are made
 * from: the platform's settings (`platformSettingsDigest`: the library, the definition without
 * its services), the sides and environments asked for, and what they read of each unit
 * (`unitReads`), in order. Undefined when a unit has no digest.
 */
export function platformReadsDigest(platform: PlatformDefinition, sides: readonly string[], environments: readonly string[], units: readonly (readonly [EffectiveService, string | undefined])[]): string | undefined {
  const hash = createHash('sha256').update(`${platformSettingsDigest(platform)}\0${[...sides].sort().join(',')}\0${environments.join(',')}\0`);
  for (const [service, reads] of units) {
    if (reads === undefined) return undefined;
    hash.update(`${service.environment}\0${service.name}\0${reads}\n`);
  }
  return hash.digest('hex');
}

/**
 * The digest of what one environment's shared Terraform resources (provider, notification
 * channels, log buckets) are made from: the platform's settings and what they read of each
 * unit there (`unitReads`), in order; labelled apart from the platform-wide files' digest.
 */
export function sharedResourcesDigest(platform: PlatformDefinition, environment: string, units: readonly (readonly [EffectiveService, string | undefined])[]): string | undefined {
  return platformReadsDigest(platform, ['gcp-shared'], [environment], units);
}

/** Whether a recorded file is still there as it was written: same size, same modification time. */
export function unchanged(outdir: string, file: RecordedFile): boolean {
  const stat = fs.statSync(path.join(outdir, file.path), { throwIfNoEntry: false });
  return stat !== undefined && stat.isFile() && stat.size === file.size && stat.mtimeMs === file.mtimeMs;
}

/** Builds and writes units into one output folder. */
export class UnitBuilder {
  /**
   * @param write hands files (relative to the output folder) to be written
   * @param previous the units the last synthesis through the cache wrote into the folder
   * @param trustRecord keep a recorded unit without asking whether its files are untouched: the
   *   caller asks later (see `OutputScan`) and writes again, with `rewrite`, those that are not
   */
  constructor(
    private readonly platform: PlatformDefinition,
    private readonly outdir: string,
    private readonly write: (files: CachedService['files']) => void,
    private readonly cache?: SynthCache,
    private readonly previous?: OutputRecord['units'],
    private readonly trustRecord = false,
  ) {}

  /**
   * The unit's files and summary: from the cache when it holds them, else built (and stored).
   * @param count whether this counts as a hit or a miss of the cache (not for a unit counted already)
   */
  public unit(service: EffectiveService, sides: readonly string[], key = this.cache && serviceCacheKey(this.platform, service, sides), count = true): CachedService {
    let unit = key !== undefined ? this.cache?.get(key, count) : undefined;
    if (unit === undefined) {
      unit = serviceFiles(this.platform, service, sides);
      if (key !== undefined) this.cache?.put(key, unit, count);
    }
    return unit;
  }

  /**
   * Writes a unit, or keeps it when its files are there as the last synthesis here wrote them
   * (a hit of the cache, though nothing of the unit is read).
   */
  public build(service: EffectiveService, sides: readonly string[]): UnitOutcome {
    const key = this.cache && serviceCacheKey(this.platform, service, sides);
    const kept = key !== undefined ? this.previous?.[key] : undefined;
    if (key !== undefined && kept !== undefined && (this.trustRecord || kept.files.every((file) => unchanged(this.outdir, file)))) {
      if (this.cache !== undefined) this.cache.hits++;
      return { kinds: kept.kinds, key, reads: kept.reads, written: [], kept };
    }
    return this.written(service, sides, key, true);
  }

  /** Writes again a unit kept on the record's word whose files turned out changed since (it was counted when kept). */
  public rewrite(outcome: UnitOutcome, service: EffectiveService, sides: readonly string[]): UnitOutcome {
    return this.written(service, sides, outcome.key, false);
  }

  /** A unit's summary: the one built, else (a kept unit) read from the cache, or built again when the cache lost it. */
  public summary(outcome: UnitOutcome, service: EffectiveService, sides: readonly string[]): UnitSummary {
    if (outcome.summary !== undefined) return outcome.summary;
    const read = outcome.key !== undefined ? this.cache?.summary(outcome.key, false) : undefined;
    if (read !== undefined) return read;
    // The unit was counted when it was kept.
    const { files: _files, ...summary } = this.unit(service, sides, outcome.key, false);
    return summary;
  }

  private written(service: EffectiveService, sides: readonly string[], key: string | undefined, count: boolean): UnitOutcome {
    const { files, ...summary } = this.unit(service, sides, key, count);
    this.write(files);
    return { summary, kinds: summary.objectsPerKind, ...(key !== undefined ? { key, reads: unitReads(service, summary) } : {}), written: files.map((file) => file.path) };
  }
}
