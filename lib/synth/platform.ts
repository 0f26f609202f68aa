import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { threadId } from 'worker_threads';
import { AssembledStack, SharedResources, synthesizeGcpPlatform } from '../gcp/stack-parts';
import { renderAlertmanagerYaml } from '../alertmanager/alertmanager-file';
import { RuleGroup } from '../prometheus/rule-group';
import { serviceOutputs } from '../k8s/service-outputs';
import { jobRuleFiles } from './job-rules';
import { platformOutputs } from '../k8s/platform-outputs';
import { fleetDashboardFile, renderFleetDashboard } from '../grafana/render-dashboards';
import { EffectiveService, PlatformDefinition, ServiceDefinition, serviceNamed } from '../definition';
import { countKinds, environmentCharts, recordingRules, renderChart, selectEnvironments, servicesInTurn } from './k8s';
import { DEFAULT_RETENTION_DAYS, OutputRecord, RecordedFile, RecordedStack, RecordedUnit, SynthCache, checkRetentionDays, platformSettingsDigest, serviceCacheKey } from './cache';
import { UnitJob, checkJobs, startUnitThreads } from './parallel';
import { UnitBuilder, UnitOutcome, platformReadsDigest, sharedResourcesDigest, unchanged } from './units';
import { OutputScan } from './output-scan';
import { SERVICE_SIDES, runbookOutputFile, serviceFiles } from './service-files';
import { Shard, inShard, writesPlatformFiles } from './shard';
import { gitopsFiles } from '../gitops/gitops-files';
import { READINESS_FILES, READINESS_STATUSES, ReadinessCollector, ReadinessReport, ServiceFindings, ServiceReadiness, assertReady, readinessFiles } from '../readiness';
import * as z from 'zod';
import { ServiceRunbookSummary, environmentRunbooks, platformIndex, serviceRunbookSummary } from '../runbooks';
import { FileWriter } from '../private/file-writer';

/** What a synthesis wrote. */
export interface SynthSummary {
  /** Files written, relative to the output folder, sorted. */
  readonly files: readonly string[];
  /** Number of Kubernetes objects per kind, sorted by kind. */
  readonly objectsPerKind: Readonly<Record<string, number>>;
  /** With a cache: services written from it (hits) and built (misses). */
  readonly cache?: { readonly hits: number; readonly misses: number };
  /** The readiness of the production services, when the readiness side ran (in shard 1). */
  readonly readiness?: ReadinessReport;
}

/** Options of `synthesizePlatform`. */
export interface SynthesizePlatformOptions {
  /**
   * Which outputs to write.
   * @default every side: ALL_SIDES
   */
  readonly sides?: readonly OutputSide[];
  /**
   * Which environments to write, by name; an unknown name is a `DefinitionError`.
   * @default every environment of the platform
   */
  readonly environments?: readonly string[];
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
   * Threads that build the services' files, this one included (see `parseJobs`): with more than
   * one, `jobs - 1` worker threads take services while this thread builds the Terraform stacks,
   * and then it takes services too. The output is byte-identical either way. A worker thread
   * loads the library and a copy of the definition, and starting one costs about a second, so
   * threads pay on a large fleet built from scratch with cores to spare; not on a small
   * platform, nor on an incremental run, where few services are built.
   * @default 1
   */
  readonly jobs?: number;
  /**
   * A folder for the cache of each service's output: a service whose inputs (its effective
   * definition, the platform's settings, the sides, the library) did not change is written from
   * the cache. The output is byte-identical to a synthesis without it. `false` for none.
   * @default no cache
   */
  readonly cache?: string | false;
  /**
   * How many days the cache keeps what no synthesis used: once a day at most, a synthesis
   * through the cache removes the entries, parts and output records nothing wrote for that
   * long, except what a remaining output record names (see `SynthCache.prune`). `false` keeps
   * everything.
   * @default 14
   */
  readonly cacheRetentionDays?: number | false;
  /**
   * Called as work is done: after each service of each environment on the Kubernetes and
   * Prometheus sides, and when a side begins. For a progress line on a terminal.
   * @default no reports
   */
  readonly onProgress?: (progress: SynthProgress) => void;
  /**
   * The day the readiness side checks for, an ISO date (`2026-12-02`): waivers expire against it.
   * @default the current date in UTC
   */
  readonly today?: string;
  /**
   * Whether a `fail` of the readiness side in production stops the synthesis (after every file
   * is written); `false` writes the report and goes on, for tools that only draw or compare output.
   * @default true
   */
  readonly enforceReadiness?: boolean;
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

/** The files under `dir`, relative to `root`, in code-unit order of their paths. */
function listFiles(root: string, dir = root): string[] {
  const found: string[] = [];
  const walk = (at: string, prefix: string): void => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(at, entry.name), `${prefix}${entry.name}${path.sep}`);
      else found.push(`${prefix}${entry.name}`);
    }
  };
  if (fs.existsSync(dir)) walk(dir, dir === root ? '' : `${path.relative(root, dir)}${path.sep}`);
  return found.sort();
}

/** A written file as the cache's output record keeps it. */
function recordOf(outdir: string, file: string): RecordedFile {
  const stat = fs.statSync(path.join(outdir, file));
  return { path: file, size: stat.size, mtimeMs: stat.mtimeMs };
}

/** Below this many files in an output record, the folder is listed on this thread: a second thread costs more to start. */
const SCAN_AFTER_FILES = 2000;

/** How many files an output record names. */
function recordedFiles(record: OutputRecord): number {
  let count = 0;
  for (const unit of Object.values(record.units)) count += unit.files.length;
  return count;
}

/** Files relative to the output folder, by their first folder; files in no folder (the readiness report) are left out. */
function filesByFolder(files: Iterable<string>): Map<string, string[]> {
  const byFolder = new Map<string, string[]>();
  for (const file of files) {
    const end = file.indexOf(path.sep);
    if (end < 0) continue;
    const folder = file.slice(0, end);
    const list = byFolder.get(folder);
    if (list === undefined) byFolder.set(folder, [file]);
    else list.push(file);
  }
  return byFolder;
}

/** Removes `dir` and the folders above it, up to `root` (kept), while they are empty. */
function removeEmptyFolders(root: string, dir: string): void {
  for (let at = dir; at !== root && at.startsWith(`${root}${path.sep}`) && fs.readdirSync(at).length === 0; at = path.dirname(at)) fs.rmdirSync(at);
}

/**
 * Builds a folder aside (a hidden sibling of `target`) and gives what moves it into place later:
 * renamed when `target` is absent, else copied over it, as writing into it would have; or, when
 * the build failed, its error, thrown then. The folder aside is removed if the synthesis fails first.
 */
function stageAside(target: string, build: (dir: string) => void, running: { dispose(): void }[]): { place(): void } {
  const aside = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${threadId}`);
  const remove = (): void => fs.rmSync(aside, { recursive: true, force: true });
  remove();
  running.push({ dispose: remove });
  let failure: { error: unknown } | undefined;
  try {
    build(aside);
  } catch (error) {
    failure = { error };
  }
  return {
    place(): void {
      if (failure !== undefined) {
        remove();
        throw failure.error;
      }
      if (!fs.existsSync(target)) return fs.renameSync(aside, target);
      fs.cpSync(aside, target, { recursive: true });
      remove();
    },
  };
}

/** The readiness of each production service as a cache part keeps it: the day it was made for, and each result by `readinessResultKey`. */
interface ReadinessPart {
  readonly today: string;
  readonly results: Readonly<Record<string, ServiceReadiness>>;
}

/** The results of a readiness part made for `today`, or undefined (another day, none, or not of that shape). */
function readinessPartOf(part: unknown, today: string): ReadinessPart['results'] | undefined {
  const read = part as Partial<ReadinessPart> | undefined;
  if (read?.today !== today || typeof read.results !== 'object' || read.results === null) return undefined;
  return Object.values(read.results).every((result) => SERVICE_READINESS.safeParse(result).success) ? read.results : undefined;
}

/**
 * What decides a service's readiness result besides the day: its unit's key (its effective
 * definition, the platform's settings, the library) and, as written in its definition, its
 * override in the environment and its readiness waivers (the report names where each field was written).
 */
function readinessResultKey(unitKey: string, definition: ServiceDefinition | undefined, environment: string): string {
  const written = definition?.input;
  return createHash('sha256')
    .update(`${unitKey}\0`)
    .update(JSON.stringify([written?.environments?.[environment] ?? null, written?.readiness ?? null]))
    .digest('hex');
}

/** Shared resources as a cache part holds them, or undefined when the part is not of that shape. */
function sharedResourcesOf(part: unknown): SharedResources | undefined {
  const parsed = SHARED_RESOURCES.safeParse(part);
  if (!parsed.success) return undefined;
  try {
    const json: unknown = JSON.parse(parsed.data.text);
    return typeof json === 'object' && json !== null && !Array.isArray(json) ? (part as SharedResources) : undefined;
  } catch {
    return undefined;
  }
}

/** The shape of a cache part of shared resources: what `synthesizeGcpPlatform` reads of it (it checks the stack's name and path itself). */
const SHARED_RESOURCES = z.object({
  text: z.string(),
  version: z.string(),
  manifest: z.looseObject({
    name: z.string(),
    constructPath: z.string(),
    synthesizedStackPath: z.string(),
    annotations: z.array(z.looseObject({ constructPath: z.string(), level: z.string(), message: z.string() })),
  }),
});

/** The shape of a service's readiness as a cache part keeps it (see `ServiceReadiness`). */
const SERVICE_READINESS = z.looseObject({
  service: z.string(),
  environment: z.string(),
  production: z.boolean(),
  tier: z.string(),
  team: z.string(),
  items: z.array(z.looseObject({ item: z.string(), category: z.string(), title: z.string(), status: z.enum(READINESS_STATUSES), reason: z.string(), field: z.string(), blocking: z.boolean() })),
  counts: z.object(Object.fromEntries(READINESS_STATUSES.map((status) => [status, z.number()]))),
  blocking: z.number(),
});

/** Whether a process of this machine with that id is running (a process of another user counts). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the folders aside `<outdir>/<folder>` (see `stageAside`) that a synthesis no longer running left, killed before it moved them into place. */
function removeAbandonedAsides(outdir: string, folder: string): void {
  const pattern = new RegExp(`^\\.${folder}\\.([0-9]+)\\.[0-9]+$`);
  for (const name of fs.existsSync(outdir) ? fs.readdirSync(outdir) : []) {
    const pid = pattern.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !isRunning(Number(pid))) fs.rmSync(path.join(outdir, name), { recursive: true, force: true });
  }
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
export type OutputSide = 'k8s' | 'prometheus' | 'loki' | 'grafana' | 'alertmanager' | 'gcp' | 'runbooks' | 'gamedays' | 'gitops' | 'readiness';

/** Every output side, in the order they are written. */
export const ALL_SIDES: readonly OutputSide[] = ['k8s', 'prometheus', 'loki', 'grafana', 'alertmanager', 'gcp', 'runbooks', 'gamedays', 'gitops', 'readiness'];

/**
 * Synthesizes everything the library produces for a platform into `outdir`:
 * - `k8s/<env>/<service>.k8s.yaml`: the service's Kubernetes objects;
 * - `k8s/<env>/alert-routing/<namespace>.k8s.yaml`: the AlertmanagerConfig of a namespace;
 * - `prometheus/<env>/<service>.rules.yaml` and `.test.yaml`: plain rules and their promtool tests;
 *   `.right-sizing.test.yaml`: those of the right-sizing alerts, evaluated every 5 minutes;
 * - `prometheus/<env>/jobs/<service>.rules.yaml` and `.test.yaml`: the alerts of a service's
 *   scheduled jobs and their tests; `prometheus/<env>/platform/jobs.*` those of the platform's;
 * - `loki/<env>/<service>.rules.yaml`: the Loki ruler's rules, for services with log alerts;
 * - `grafana/<env>/<service>.json` and `grafana/<env>/fleet.json`: dashboards for file provisioning;
 * - `alertmanager/<env>/alertmanager.yml`: plain Alertmanager configuration;
 * - `gcp/stacks/<platform>-<env>/cdk.tf.json`: Terraform JSON for Cloud Monitoring;
 * - `runbooks/`: a Markdown runbook per alert at the path its `runbook_url` names, each
 *   service's index, incident and post-mortem templates, environment and platform indexes;
 * - `readiness.md` and `readiness.json`: the production-readiness checklist of every production
 *   service; an item that fails there, unwaived, fails the synthesis once every file is written.
 * - `gamedays/<env>/<service>/<experiment>.k8s.yaml` and `.md`: chaos experiments to apply by hand, and their runbooks;
 * - `gitops/projects.k8s.yaml`, `gitops/<env>/<service>.k8s.yaml` and `platform.k8s.yaml`: Argo CD AppProjects and Applications.
 * Game-day files are written with their service (in its shard, from the cache); GitOps files are few and cheap: they are written with the platform-wide files (shard 1).
 * The same platform gives byte-identical files, run after run.
 */
export function synthesizePlatform(platform: PlatformDefinition, outdir: string, options: SynthesizePlatformOptions = {}): SynthSummary {
  // Files are written on a background thread while the next ones are built (see FileWriter).
  const writer = new FileWriter();
  // Worker threads of a synthesis with jobs, stopped when it fails.
  const running: { dispose(): void }[] = [];
  try {
    return synthesizeWith(writer, running, platform, outdir, options);
  } catch (error) {
    for (const threads of running) threads.dispose();
    writer.dispose();
    throw error;
  }
}

function synthesizeWith(writer: FileWriter, running: { dispose(): void }[], platform: PlatformDefinition, outdir: string, options: SynthesizePlatformOptions): SynthSummary {
  const sides = options.sides ?? ALL_SIDES;
  const environments = selectEnvironments(platform, options.environments);
  const { shard } = options;
  const jobs = checkJobs(options.jobs ?? 1);
  const cache = options.cache !== undefined && options.cache !== false ? new SynthCache(options.cache) : undefined;
  const retention = options.cacheRetentionDays === false ? false : checkRetentionDays(options.cacheRetentionDays ?? DEFAULT_RETENTION_DAYS);
  const passedChecks = cache?.passedChecks();
  const clean = options.clean ?? true;
  // Incremental: with a record of what the last synthesis through the cache wrote here, the
  // files of unchanged units stay where they are and anything else is removed at the end, which
  // leaves the folder as cleaning it and writing everything would.
  const previous = clean ? cache?.outputs(outdir) : undefined;
  cache?.forgetOutputs(outdir);
  // Terraform stacks stay for the next synthesis to leave alone when they would not change; on
  // several threads they are built aside and moved into place, so always in full.
  const keepsStacks = previous !== undefined && jobs === 1;
  if (clean) {
    for (const folder of sides) {
      if (previous === undefined || (folder === 'gcp' && !keepsStacks)) fs.rmSync(path.join(outdir, folder), { recursive: true, force: true });
    }
    // The report's files are written again or kept (in shard 1); the other shards write none.
    if (sides.includes('readiness') && (previous === undefined || !writesPlatformFiles(shard))) for (const file of Object.values(READINESS_FILES)) fs.rmSync(path.join(outdir, file), { force: true });
    if (sides.includes('gcp')) removeAbandonedAsides(outdir, 'gcp');
  }
  // Into a large folder, what it holds is listed, and the recorded units' files checked, on a
  // second thread meanwhile (see OutputScan).
  const scannedFolders: readonly string[] = sides.filter((folder) => folder !== 'readiness' && folder !== 'gcp');
  const scan = previous !== undefined && recordedFiles(previous) >= SCAN_AFTER_FILES ? new OutputScan(outdir, scannedFolders, Object.values(previous.units).flatMap((unit) => unit.files)) : undefined;
  if (scan !== undefined) running.push(scan);
  const recorded: Record<string, RecordedUnit> = {};
  const toRecord: [key: string, files: readonly string[], kinds: Readonly<Record<string, number>>, reads: string][] = [];
  const objectsPerKind: Record<string, number> = {};
  // Paths are unique by construction (distinct folders per kind, names unique per platform);
  // this check keeps it so as outputs are added.
  const claimed = new Set<string>();
  const claim = (file: string): void => {
    if (claimed.has(file)) throw new Error(`two outputs of platform ${platform.name} would be written to ${file}`);
    claimed.add(file);
  };
  const write = (files: readonly OutputFile[]): void => {
    for (const file of files) {
      claim(file.path);
      writer.write(path.join(outdir, file.path), file.content);
    }
  };
  const addKinds = (kinds: Readonly<Record<string, number>>): void => {
    for (const [kind, count] of Object.entries(kinds)) objectsPerKind[kind] = (objectsPerKind[kind] ?? 0) + count;
  };
  const platformFiles = writesPlatformFiles(shard);
  // The report is platform-wide: shard 1 checks every production service, the other shards none.
  const readiness = platformFiles && sides.includes('readiness') ? new ReadinessCollector(platform, { today: options.today }) : undefined;
  const serviceSides = sides.filter((side) => SERVICE_SIDES.includes(side));
  const selected = environments.map((env) => env.name);
  const services = servicesInTurn(platform, selected);
  const total = services.filter((s) => inShard(s.name, shard)).length;
  const report = options.onProgress ?? ((): void => undefined);
  // With a scan, a recorded unit is kept on the record's word, and written again at the end if the scan finds it touched.
  const builder = new UnitBuilder(platform, outdir, write, cache, previous?.units, scan !== undefined);
  // The findings of a service outside the shard, from its cache entry's summary when there is one.
  const findingsThroughCache = (service: EffectiveService): ServiceFindings | undefined => cache?.summary(serviceCacheKey(platform, service, ['readiness']))?.readiness;
  // A cache entry of the readiness side always holds its findings; one that lost them is built again.
  const findingsOf = (service: EffectiveService): ServiceFindings => serviceFiles(platform, service, ['readiness']).readiness as ServiceFindings;
  // The units of this shard, in order: each service in each environment, on its sides.
  const units: UnitJob[] = [];
  services.forEach((service, index) => {
    if (!inShard(service.name, shard)) return;
    const unitSides = serviceSides.filter((side) => side !== 'readiness' || readiness?.covers(service.environment) === true);
    if (unitSides.length > 0) units.push({ service: index, name: service.name, environment: service.environment, sides: unitSides });
  });
  // The stacks in gcp/ as the last synthesis here assembled them, those whose file is untouched since.
  const keptStacks = keepsStacks ? Object.fromEntries(Object.entries(previous.stacks ?? {}).filter(([, stack]) => unchanged(outdir, stack.file))) : undefined;
  const stacks: Record<string, RecordedStack> = {};
  // What the shared resources of each environment's stack read (see `unitReads`), once every unit is done.
  const sharedReads = new Map<string, string>();
  // With stacks kept, the files the stacks are in; else every file under gcp/ is this synthesis's.
  let stackFiles: string[] | undefined;
  const buildGcp = (gcpOutdir: string): void => {
    const gcp = { platform, outdir: gcpOutdir, ...(options.environments !== undefined ? { environments: options.environments } : {}) };
    // Through the cache, each stack is assembled from its services' cached parts where they are.
    const key = (service: EffectiveService): string => serviceCacheKey(platform, service, ['gcp-part']);
    const assembled: Record<string, AssembledStack> = {};
    const how = synthesizeGcpPlatform(
      cache === undefined
        ? gcp
        : {
            ...gcp,
            key,
            cached: (service) => cache.part(key(service)),
            store: (service, part) => cache.putPart(key(service), part),
            previous: keptStacks,
            assembled: (name, stack) => (assembled[name] = stack),
            sharedKey: (environment) => sharedReads.get(environment),
            sharedCached: (shared) => sharedResourcesOf(cache.part(shared)),
            sharedStore: (shared, resources) => cache.putPart(shared, resources),
          },
    );
    if (how !== 'assembled' || gcpOutdir !== path.join(outdir, 'gcp')) return;
    stackFiles = ['gcp/manifest.json'];
    for (const [name, stack] of Object.entries(assembled)) {
      const file = `gcp/${stack.manifest.synthesizedStackPath}`;
      stackFiles.push(file);
      stacks[name] = { ...stack, file: recordOf(outdir, file) };
    }
  };
  const writesGcp = platformFiles && sides.includes('gcp');
  // With jobs, jobs - 1 worker threads take units while this thread builds the Terraform stacks
  // (which read no unit), then it takes units too.
  const threads = jobs > 1 && units.length > 1 ? startUnitThreads({ platform, environments: selected, outdir, ...(cache ? { cache: cache.dir } : {}), ...(previous ? { previous: previous.units } : {}), units }, Math.min(jobs, units.length) - 1, { onUnit: (done, job) => report({ side: serviceSides[0], done, total, environment: job.environment }) }) : undefined;
  if (threads !== undefined) running.push(threads);
  // Built early, the stacks wait aside until the synthesis gets where one thread writes them: a
  // failing unit leaves no gcp/ behind, and its error is thrown before the stacks'.
  const stagedGcp = threads !== undefined && writesGcp ? stageAside(path.join(outdir, 'gcp'), buildGcp, running) : undefined;
  if (threads !== undefined) {
    report({ side: serviceSides[0], done: 0, total });
    // Its files are claimed when the units are put together, as a worker thread's are.
    const helper = new UnitBuilder(platform, outdir, (files) => files.forEach((file) => writer.write(path.join(outdir, file.path), file.content)), cache, previous?.units);
    threads.help((job) => helper.build(services[job.service], job.sides));
  }
  const outcomes = threads?.finish();
  let done = 0;
  if (serviceSides.length > 0 && threads === undefined) report({ side: serviceSides[0], done, total });
  // Every unit of the shard, built, read from the cache or kept, by its service's index.
  const unitOutcomes = new Map<number, { outcome: UnitOutcome; sides: readonly string[] }>();
  // With a scan, the units kept on the record's word, checked once the scan answers.
  const keptUnits: [service: EffectiveService, sides: readonly string[], outcome: UnitOutcome, kept: RecordedUnit, key: string][] = [];
  let next = 0;
  services.forEach((service, index) => {
    if (units[next]?.service !== index) return;
    const { sides: unitSides } = units[next];
    const outcome = outcomes?.[next] ?? builder.build(service, unitSides);
    next++;
    if (outcome.kept !== undefined) {
      // Kept where they are: the last synthesis here wrote them, and nobody changed them since
      // (with a scan, as its answer will tell).
      for (const file of outcome.kept.files) claim(file.path);
      if (outcome.key !== undefined) {
        recorded[outcome.key] = outcome.kept;
        if (scan !== undefined) keptUnits.push([service, unitSides, outcome, outcome.kept, outcome.key]);
      }
    } else {
      // Built on several threads, the files are claimed here, in the order of the units.
      if (outcomes !== undefined) for (const file of outcome.written) claim(file);
      if (outcome.key !== undefined && outcome.reads !== undefined) toRecord.push([outcome.key, outcome.written, outcome.kinds, outcome.reads]);
    }
    addKinds(outcome.kinds);
    unitOutcomes.set(index, { outcome, sides: unitSides });
    // With threads, progress was reported as the units were done.
    if (threads === undefined) report({ side: serviceSides[0], done: ++done, total, environment: service.environment });
  });
  // The platform-wide files (but the stacks and the readiness report) read the platform's
  // settings, and of each unit what `unitReads` digests: when that is what the last synthesis
  // here made them from, and they are as it wrote them, they stay.
  // No environment selected, the digest would hold no service, yet the GitOps files read them all.
  const platformDigest = cache !== undefined && shard === undefined && selected.length > 0 && unitOutcomes.size === services.length ? platformReadsDigest(platform, sides, selected, services.map((service, index) => [service, unitOutcomes.get(index)?.outcome.reads])) : undefined;
  const keptPlatform = platformDigest !== undefined && previous?.platform?.digest === platformDigest && previous.platform.files.every((file) => unchanged(outdir, file)) ? previous.platform : undefined;
  if (platformDigest !== undefined) {
    for (const env of selected) {
      const digest = sharedResourcesDigest(platform, env, services.flatMap((service, index) => (service.environment === env ? [[service, unitOutcomes.get(index)?.outcome.reads] as const] : [])));
      if (digest !== undefined) sharedReads.set(env, digest);
    }
  }
  const platformWide = { files: [] as string[], kinds: {} as Record<string, number> };
  const writePlatform = (files: readonly OutputFile[]): void => {
    write(files);
    for (const file of files) platformWide.files.push(file.path);
  };
  // The fleet dashboard of each environment reads the recording rules of every service there,
  // and the runbook index what each service's runbooks hold.
  const fleetRecords = new Map(selected.map((env) => [env, {} as Record<string, readonly RuleGroup[]>]));
  const readsRecords = platformFiles && keptPlatform === undefined && (sides.includes('k8s') || sides.includes('grafana'));
  const runbooks = platformFiles && keptPlatform === undefined && sides.includes('runbooks');
  const runbooksByEnvironment: Record<string, ServiceRunbookSummary[]> = Object.fromEntries(selected.map((env) => [env, []]));
  // Each production service's readiness is reused when the last synthesis here made it from the
  // same inputs for the same day: its unit's key, and its overrides and waivers as written (which
  // decide the field paths the report names).
  const previousResults = readiness !== undefined && previous?.readiness !== undefined ? readinessPartOf(cache?.part(previous.readiness.digest), readiness.today) : undefined;
  const readinessResults: Record<string, ServiceReadiness> = {};
  // The keys of the results in order, while every checked service has one.
  let readinessKeys: string[] | undefined = readiness !== undefined && cache !== undefined && shard === undefined ? [] : undefined;
  services.forEach((service, index) => {
    const records = fleetRecords.get(service.environment) ?? {};
    const summaries = runbooksByEnvironment[service.environment];
    const checked = readiness?.covers(service.environment) === true;
    const unit = unitOutcomes.get(index);
    if (unit === undefined) {
      if (inShard(service.name, shard)) return;
      if (readsRecords || runbooks) {
        const outputs = serviceOutputs(platform, service);
        if (readsRecords) records[service.name] = recordingRules(outputs.ruleGroups);
        if (runbooks) summaries.push(serviceRunbookSummary(platform, service, outputs));
      }
      if (checked) readiness?.addFindings(service, findingsThroughCache(service) ?? builder.unit(service, ['readiness']).readiness ?? findingsOf(service));
      readinessKeys = undefined;
      return;
    }
    const resultKey = checked && unit.outcome.key !== undefined ? readinessResultKey(unit.outcome.key, serviceNamed(platform, service.name), service.environment) : undefined;
    if (checked && resultKey === undefined) readinessKeys = undefined;
    else if (resultKey !== undefined) readinessKeys?.push(resultKey);
    const reused = resultKey !== undefined ? previousResults?.[resultKey] : undefined;
    if (reused !== undefined) {
      readiness?.addReadiness(reused);
      readinessResults[resultKey as string] = reused;
    }
    if (!readsRecords && !runbooks && (!checked || reused !== undefined)) return;
    const summary = builder.summary(unit.outcome, service, unit.sides);
    if (checked && reused === undefined) {
      const result = readiness?.addFindings(service, summary.readiness ?? findingsOf(service));
      if (result !== undefined && resultKey !== undefined) readinessResults[resultKey] = result;
    }
    if (readsRecords) records[service.name] = summary.ruleGroups;
    if (runbooks && summary.runbooks !== undefined) summaries.push(summary.runbooks);
  });
  unitOutcomes.clear();
  if (keptPlatform !== undefined) {
    for (const file of keptPlatform.files) claim(file.path);
    addKinds(keptPlatform.kinds);
  }
  for (const env of platformFiles && keptPlatform === undefined ? selected : []) {
    const groupsByService = fleetRecords.get(env) ?? {};
    if (sides.includes('k8s')) {
      for (const built of environmentCharts(platform, env, groupsByService, passedChecks)) {
        writePlatform([{ path: `k8s/${built.file}`, content: renderChart(built.chart) }]);
        countKinds(built.chart, platformWide.kinds);
        if (built.fleetDashboard !== undefined && sides.includes('grafana')) writePlatform([{ path: fleetDashboardFile(env), content: built.fleetDashboard.json }]);
      }
    } else if (sides.includes('grafana')) {
      writePlatform([{ path: fleetDashboardFile(env), content: renderFleetDashboard(platform, env, groupsByService, passedChecks) }]);
    }
    fleetRecords.delete(env);
    if (sides.includes('prometheus') && platform.prometheusRules !== 'objects') writePlatform(jobRuleFiles(`prometheus/${env}/platform/jobs`, platformOutputs(platform, env).jobs));
    if (runbooks) writePlatform(environmentRunbooks(platform, env, platformOutputs(platform, env), runbooksByEnvironment[env]).map(runbookOutputFile));
  }
  addKinds(platformWide.kinds);
  if (runbooks) writePlatform([runbookOutputFile(platformIndex(platform, runbooksByEnvironment))]);
  if (platformFiles && sides.includes('alertmanager')) {
    report({ side: 'alertmanager', done: 0, total: environments.length });
    if (keptPlatform === undefined) writePlatform(environments.map((env) => ({ path: `alertmanager/${env.name}/alertmanager.yml`, content: renderAlertmanagerYaml(platform, env.name) })));
  }
  if (writesGcp) {
    report({ side: 'gcp', done: 0, total: environments.length });
    if (stagedGcp !== undefined) stagedGcp.place();
    else buildGcp(path.join(outdir, 'gcp'));
    for (const file of (keepsStacks ? stackFiles : undefined) ?? listFiles(outdir, path.join(outdir, 'gcp'))) claim(file);
  }
  if (platformFiles && keptPlatform === undefined && sides.includes('gitops')) writePlatform(gitopsFiles(platform));
  const readinessOfPlatform = readiness?.report();
  // The report's files stay when every result is the last synthesis's and they are untouched.
  const readinessDigest = readiness !== undefined && readinessKeys !== undefined ? createHash('sha256').update(`${platformSettingsDigest(platform)}\0readiness\0${readiness.today}\0${readinessKeys.join(',')}`).digest('hex') : undefined;
  const keptReadiness = readinessDigest !== undefined && previous?.readiness?.digest === readinessDigest && previousResults !== undefined && previous.readiness.files.every((file) => unchanged(outdir, file)) ? previous.readiness : undefined;
  if (readinessOfPlatform !== undefined) {
    report({ side: 'readiness', done: readinessOfPlatform.services.length, total: readinessOfPlatform.services.length });
    if (keptReadiness !== undefined) for (const file of keptReadiness.files) claim(file.path);
    else write(readinessFiles(readinessOfPlatform));
  }
  // A unit kept whose files are not as the last synthesis wrote them, found so by the scan (or,
  // without its answer, here), is written again.
  const answer = scan?.answer();
  if (scan !== undefined) {
    const touched = (unit: RecordedUnit): boolean => (answer !== undefined ? unit.files.some((file) => answer.changed.has(file.path)) : !unit.files.every((file) => unchanged(outdir, file)));
    for (const [service, unitSides, outcome, kept, key] of keptUnits) {
      if (!touched(kept)) continue;
      for (const file of kept.files) claimed.delete(file.path);
      delete recorded[key];
      const again = builder.rewrite(outcome, service, unitSides);
      if (again.reads !== undefined) toRecord.push([key, again.written, again.kinds, again.reads]);
    }
  }
  writer.close();
  // With a scan, a folder holds what it held when the synthesis began and what it wrote since.
  const found = answer?.files;
  const scanned = found !== undefined ? filesByFolder([...found, ...claimed]) : undefined;
  const listed = new Map(sides.filter((folder) => folder !== 'readiness').map((folder) => [folder, scanned !== undefined && scannedFolders.includes(folder) ? [...new Set(scanned.get(folder))].sort() : listFiles(outdir, path.join(outdir, folder))]));
  if (previous !== undefined) {
    // What the last synthesis wrote here and this one did not is removed, as cleaning would.
    for (const [folder, list] of listed) {
      const stale = list.filter((file) => !claimed.has(file));
      for (const file of stale) {
        fs.rmSync(path.join(outdir, file), { force: true });
        removeEmptyFolders(path.join(outdir, folder), path.dirname(path.join(outdir, file)));
      }
      if (stale.length > 0) listed.set(folder, list.filter((file) => claimed.has(file)));
    }
  }
  if (cache !== undefined) {
    for (const [key, files, kinds, reads] of toRecord) recorded[key] = { files: files.map((file) => recordOf(outdir, file)), kinds, reads };
    const platformRecord = keptPlatform ?? (platformDigest !== undefined ? { digest: platformDigest, files: platformWide.files.map((file) => recordOf(outdir, file)), kinds: platformWide.kinds } : undefined);
    let readinessRecord = keptReadiness;
    if (readinessRecord === undefined && readinessDigest !== undefined && readiness !== undefined) {
      cache.putPart(readinessDigest, { today: readiness.today, results: readinessResults } satisfies ReadinessPart);
      readinessRecord = { digest: readinessDigest, files: Object.values(READINESS_FILES).map((file) => recordOf(outdir, file)), kinds: {} };
    }
    cache.recordOutputs(outdir, { units: recorded, stacks, ...(platformRecord !== undefined ? { platform: platformRecord } : {}), ...(readinessRecord !== undefined ? { readiness: readinessRecord } : {}) });
    if (retention !== false) cache.pruneDaily(retention);
  }
  if (readinessOfPlatform !== undefined && (options.enforceReadiness ?? true)) assertReady(readinessOfPlatform);
  const files = sides.flatMap((folder) => (folder !== 'readiness' ? (listed.get(folder) ?? []) : readinessOfPlatform !== undefined ? Object.values(READINESS_FILES).sort() : []));
  return {
    files,
    objectsPerKind: Object.fromEntries(Object.entries(objectsPerKind).sort(([a], [b]) => (a < b ? -1 : 1))),
    ...(cache ? { cache: { hits: cache.hits + (threads?.cache.hits ?? 0), misses: cache.misses + (threads?.cache.misses ?? 0) } } : {}),
    ...(readinessOfPlatform !== undefined ? { readiness: readinessOfPlatform } : {}),
  };
}
