import * as fs from 'fs';
import * as path from 'path';
import { synthesizeGcpPlatform } from '../gcp/platform-app';
import { renderAlertmanagerYaml } from '../alertmanager/alertmanager-file';
import { RuleGroup } from '../prometheus/rule-group';
import { serviceOutputs } from '../k8s/service-outputs';
import { jobRuleFiles } from './job-rules';
import { platformOutputs } from '../k8s/platform-outputs';
import { fleetDashboardFile, renderFleetDashboard } from '../grafana/render-dashboards';
import { PlatformDefinition } from '../definition';
import { countKinds, environmentCharts, recordingRules, renderChart, servicesInTurn } from './k8s';
import { SynthCache, serviceCacheKey } from './cache';
import { SERVICE_SIDES, serviceFiles } from './service-files';
import { Shard, inShard, writesPlatformFiles } from './shard';

/** What a synthesis wrote. */
export interface SynthSummary {
  /** Files written, relative to the output folder, sorted. */
  readonly files: readonly string[];
  /** Number of Kubernetes objects per kind, sorted by kind. */
  readonly objectsPerKind: Readonly<Record<string, number>>;
  /** With a cache: services written from it (hits) and built (misses). */
  readonly cache?: { readonly hits: number; readonly misses: number };
}

/** Options of `synthesizePlatform`. */
export interface SynthesizePlatformOptions {
  /**
   * Which outputs to write.
   * @default every side: ALL_SIDES
   */
  readonly sides?: readonly OutputSide[];
  /**
   * Remove the output folders this function owns before writing, so no stale file survives.
   * @default true
   */
  readonly clean?: boolean;
  /**
   * Synthesize only one shard of the services (see `parseShard`): their files, plus the
   * platform-wide files in shard 1. The shards' outputs put together are the full output.
   * @default every service
   */
  readonly shard?: Shard;
  /**
   * A folder for the cache of each service's output: a service whose inputs (its effective
   * definition, the platform's settings, the sides, the library) did not change is written from
   * the cache. The output is byte-identical to a synthesis without it. `false` for none.
   * @default no cache
   */
  readonly cache?: string | false;
  /**
   * Called as work is done: after each service of each environment on the Kubernetes and
   * Prometheus sides, and when a side begins. For a progress line on a terminal.
   * @default no reports
   */
  readonly onProgress?: (progress: SynthProgress) => void;
}

/** How far a synthesis has come. */
export interface SynthProgress {
  /** The side being written. */
  readonly side: OutputSide;
  /** Services done on this side, over every environment. */
  readonly done: number;
  /** Services to do on this side, over every environment. */
  readonly total: number;
  /** The environment of the last service done. */
  readonly environment?: string;
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

/** The outputs of a platform, each written to the folder of its name under the output folder. */
export type OutputSide = 'k8s' | 'prometheus' | 'loki' | 'grafana' | 'alertmanager' | 'gcp';

/** Every output side, in the order they are written. */
export const ALL_SIDES: readonly OutputSide[] = ['k8s', 'prometheus', 'loki', 'grafana', 'alertmanager', 'gcp'];

/**
 * Synthesizes everything the library produces for a platform into `outdir`:
 * - `k8s/<env>/<service>.k8s.yaml`: the service's Kubernetes objects;
 * - `k8s/<env>/alert-routing/<namespace>.k8s.yaml`: the AlertmanagerConfig of a namespace;
 * - `prometheus/<env>/<service>.rules.yaml` and `.test.yaml`: plain rules and their promtool tests;
 * - `prometheus/<env>/jobs/<service>.rules.yaml` and `.test.yaml`: the alerts of a service's
 *   scheduled jobs and their tests; `prometheus/<env>/platform/jobs.*` those of the platform's;
 * - `loki/<env>/<service>.rules.yaml`: the Loki ruler's rules, for services with log alerts;
 * - `grafana/<env>/<service>.json` and `grafana/<env>/fleet.json`: dashboards for file provisioning;
 * - `alertmanager/<env>/alertmanager.yml`: plain Alertmanager configuration;
 * - `gcp/stacks/<platform>-<env>/cdk.tf.json`: Terraform JSON for Cloud Monitoring.
 * The same platform gives byte-identical files, run after run.
 */
export function synthesizePlatform(platform: PlatformDefinition, outdir: string, options: SynthesizePlatformOptions = {}): SynthSummary {
  const sides = options.sides ?? ALL_SIDES;
  const { shard } = options;
  const cache = options.cache !== undefined && options.cache !== false ? new SynthCache(options.cache) : undefined;
  if (options.clean ?? true) {
    for (const folder of sides) {
      fs.rmSync(path.join(outdir, folder), { recursive: true, force: true });
    }
  }
  const objectsPerKind: Record<string, number> = {};
  // Paths are unique by construction (distinct folders per kind, names unique per platform);
  // this check keeps it so as outputs are added.
  const claimed = new Set<string>();
  const write = (files: readonly OutputFile[]): void => {
    for (const file of files) {
      if (claimed.has(file.path)) throw new Error(`two outputs of platform ${platform.name} would be written to ${file.path}`);
      claimed.add(file.path);
    }
    writeOutputFiles(outdir, files);
  };
  const addKinds = (kinds: Readonly<Record<string, number>>): void => {
    for (const [kind, count] of Object.entries(kinds)) objectsPerKind[kind] = (objectsPerKind[kind] ?? 0) + count;
  };
  const platformFiles = writesPlatformFiles(shard);
  const serviceSides = sides.filter((side) => SERVICE_SIDES.includes(side));
  const environments = platform.environments.map((env) => env.name);
  const services = servicesInTurn(platform);
  const total = services.filter((s) => inShard(s.name, shard)).length;
  const report = options.onProgress ?? ((): void => undefined);
  let done = 0;
  if (serviceSides.length > 0) report({ side: serviceSides[0], done, total });
  // The fleet dashboard of each environment reads the recording rules of every service there.
  const fleetRecords = new Map(environments.map((env) => [env, {} as Record<string, readonly RuleGroup[]>]));
  const readsRecords = platformFiles && (sides.includes('k8s') || sides.includes('grafana'));
  for (const service of services) {
    const records = fleetRecords.get(service.environment) ?? {};
    if (!inShard(service.name, shard)) {
      if (readsRecords) records[service.name] = recordingRules(serviceOutputs(platform, service).ruleGroups);
      continue;
    }
    if (serviceSides.length === 0) continue;
    const key = cache && serviceCacheKey(platform, service, serviceSides);
    let unit = key !== undefined ? cache?.get(key) : undefined;
    if (unit === undefined) {
      unit = serviceFiles(platform, service, serviceSides);
      if (key !== undefined) cache?.put(key, unit);
    }
    write(unit.files);
    addKinds(unit.objectsPerKind);
    if (readsRecords) records[service.name] = recordingRules(unit.ruleGroups);
    report({ side: serviceSides[0], done: ++done, total, environment: service.environment });
  }
  for (const env of platformFiles ? environments : []) {
    const groupsByService = fleetRecords.get(env) ?? {};
    if (sides.includes('k8s')) {
      for (const built of environmentCharts(platform, env, groupsByService)) {
        write([{ path: `k8s/${built.file}`, content: renderChart(built.chart) }]);
        countKinds(built.chart, objectsPerKind);
        if (built.fleetDashboard !== undefined && sides.includes('grafana')) write([{ path: fleetDashboardFile(env), content: built.fleetDashboard.json }]);
      }
    } else if (sides.includes('grafana')) {
      write([{ path: fleetDashboardFile(env), content: renderFleetDashboard(platform, env, groupsByService) }]);
    }
    fleetRecords.delete(env);
    if (sides.includes('prometheus') && platform.prometheusRules !== 'objects') write(jobRuleFiles(`prometheus/${env}/platform/jobs`, platformOutputs(platform, env).jobs));
  }
  if (platformFiles && sides.includes('alertmanager')) {
    report({ side: 'alertmanager', done: 0, total: platform.environments.length });
    write(platform.environments.map((env) => ({ path: `alertmanager/${env.name}/alertmanager.yml`, content: renderAlertmanagerYaml(platform, env.name) })));
  }
  if (platformFiles && sides.includes('gcp')) {
    report({ side: 'gcp', done: 0, total: platform.environments.length });
    synthesizeGcpPlatform({ platform, outdir: path.join(outdir, 'gcp') });
  }
  const files = sides.flatMap((folder) => listFiles(outdir, path.join(outdir, folder)));
  return {
    files,
    objectsPerKind: Object.fromEntries(Object.entries(objectsPerKind).sort(([a], [b]) => (a < b ? -1 : 1))),
    ...(cache ? { cache: { hits: cache.hits, misses: cache.misses } } : {}),
  };
}
