/**
 * One unit of a synthesis: a service's files in one environment, on the sides asked for. A unit
 * is built (or read from the cache) and written, or, when the last synthesis through the cache
 * wrote it into this folder and nobody changed its files since, kept where it is: only its
 * summary is read. The same builder runs in the synthesizing thread and in worker threads.
 */
import * as fs from 'fs';
import * as path from 'path';
import { EffectiveService, PlatformDefinition } from '../definition';
import { CachedService, OutputRecord, RecordedFile, SynthCache, serviceCacheKey } from './cache';
import { serviceFiles } from './service-files';

/** What the platform-wide files read of a unit: objects per kind, recording rules, runbook summary, readiness findings. */
export type UnitSummary = Omit<CachedService, 'files'>;

/** A unit written or kept. */
export interface UnitOutcome {
  readonly summary: UnitSummary;
  /** With a cache: the unit's key. */
  readonly key?: string;
  /** The files written, relative to the output folder: none when the unit was kept. */
  readonly written: readonly string[];
  /** With a cache: the unit's files as the last synthesis here recorded them, when they were kept. */
  readonly kept?: readonly RecordedFile[];
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
   */
  constructor(
    private readonly platform: PlatformDefinition,
    private readonly outdir: string,
    private readonly write: (files: CachedService['files']) => void,
    private readonly cache?: SynthCache,
    private readonly previous?: OutputRecord['units'],
  ) {}

  /** The unit's files and summary: from the cache when it holds them, else built (and stored). */
  public unit(service: EffectiveService, sides: readonly string[], key = this.cache && serviceCacheKey(this.platform, service, sides)): CachedService {
    let unit = key !== undefined ? this.cache?.get(key) : undefined;
    if (unit === undefined) {
      unit = serviceFiles(this.platform, service, sides);
      if (key !== undefined) this.cache?.put(key, unit);
    }
    return unit;
  }

  /** Writes a unit, or keeps it when its files are there as the last synthesis here wrote them. */
  public build(service: EffectiveService, sides: readonly string[]): UnitOutcome {
    const key = this.cache && serviceCacheKey(this.platform, service, sides);
    const kept = key !== undefined ? this.previous?.[key] : undefined;
    if (key !== undefined && kept !== undefined && kept.every((file) => unchanged(this.outdir, file))) {
      const summary = this.cache?.summary(key);
      if (summary !== undefined) return { summary, key, written: [], kept };
    }
    const { files, ...summary } = this.unit(service, sides, key);
    this.write(files);
    return { summary, ...(key !== undefined ? { key } : {}), written: files.map((file) => file.path) };
  }
}
