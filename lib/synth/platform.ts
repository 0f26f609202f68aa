import * as fs from 'fs';
import * as path from 'path';
import { PlatformDefinition } from '../spec/types';
import { buildPlatformCharts, countKinds } from './k8s';

/** What a synthesis wrote. */
export interface SynthSummary {
  /** Files written, relative to the output folder, sorted. */
  readonly files: readonly string[];
  /** Number of Kubernetes objects per kind, sorted by kind. */
  readonly objectsPerKind: Readonly<Record<string, number>>;
}

/** Options of `synthesizePlatform`. */
export interface SynthesizePlatformOptions {
  /**
   * Remove the output folders this function owns before writing, so no stale file survives.
   * @default true
   */
  readonly clean?: boolean;
}

/** A plain file to write, relative to the output folder. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

function listFiles(root: string, dir = root): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(root, path.join(dir, entry.name)) : [path.relative(root, path.join(dir, entry.name))]))
    .sort();
}

/** Writes plain files under `outdir`, creating folders. */
export function writeOutputFiles(outdir: string, files: readonly OutputFile[]): void {
  for (const file of files) {
    const target = path.join(outdir, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content);
  }
}

/** Folders under the output folder that `synthesizePlatform` owns. */
export const OUTPUT_FOLDERS = ['k8s'] as const;

/**
 * Synthesizes everything the library produces for a platform into `outdir`:
 * Kubernetes manifests `k8s/<env>/<service>.k8s.yaml`.
 * The same platform gives byte-identical files, run after run.
 */
export function synthesizePlatform(platform: PlatformDefinition, outdir: string, options: SynthesizePlatformOptions = {}): SynthSummary {
  if (options.clean ?? true) {
    for (const folder of OUTPUT_FOLDERS) {
      fs.rmSync(path.join(outdir, folder), { recursive: true, force: true });
    }
  }
  const objectsPerKind: Record<string, number> = {};
  for (const { app, chart } of buildPlatformCharts(platform, path.join(outdir, 'k8s'))) {
    app.synth();
    countKinds(chart, objectsPerKind);
  }
  const files = OUTPUT_FOLDERS.flatMap((folder) => listFiles(outdir, path.join(outdir, folder)));
  return {
    files,
    objectsPerKind: Object.fromEntries(Object.entries(objectsPerKind).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}
