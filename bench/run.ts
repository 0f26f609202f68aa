/**
 * `npm run bench`: synthesis speed, scaling and Prometheus cost, written to bench/results.md.
 *
 * Every measurement runs in a fresh process (bench/worker.ts) so that peak memory is its own;
 * ratios come from interleaved pairs (bench/pairs.ts). Targets are reported, never asserted in
 * tests. Options: --quick (smaller fleets, fewer pairs), --smoke (tiny fleets, one pair: checks
 * that the bench runs, measures nothing; results.md is not written), --no-prometheus (skip the
 * Prometheus cost run), --prometheus-only (only the Prometheus cost, replacing its section of results.md).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ALL_SIDES } from '../lib';
import { FLEET_DAY } from './fleet';
import { Measurement } from './measurement';
import { Job, PairResult, Run, median, pairs, ratioText, run } from './pairs';
import { prometheusCost, PrometheusCost } from './prometheus-cost';


const args = new Set(process.argv.slice(2));
const smoke = args.has('--smoke');
const quick = args.has('--quick') || smoke;
/** Interleaved pairs per ratio. */
const PAIRS = smoke ? 1 : quick ? 3 : 7;
/** The fleet of the ratios and entry points, and the large one. */
const N = smoke ? 4 : quick ? 50 : 200;
const BIG = smoke ? 8 : quick ? 200 : 1000;
const root = path.resolve(__dirname, '..');
const bin = path.join(root, 'node_modules', '.bin');

function worker(services: number, side: string, ...rest: string[]): Job {
  return { label: `worker ${services} ${side}`, command: process.execPath, args: ['--import', 'tsx', path.join(__dirname, 'worker.ts'), String(services), side, ...rest] };
}

/** The old space the capped run gives V8, to tell live data from collector slack. */
const CAPPED_OLD_SPACE_MB = 320;

/** A worker job with V8's old space capped at `CAPPED_OLD_SPACE_MB`. */
function capped(job: Job): Job {
  return { ...job, label: `${job.label} (capped)`, args: [`--max-old-space-size=${CAPPED_OLD_SPACE_MB}`, ...job.args] };
}

/** Median figures of `runs` fresh runs of one worker job. */
function repeated(job: Job, runs: number): Measurement {
  const results = Array.from({ length: runs }, () => run(job).measured as Measurement);
  return {
    ...results[0],
    ms: median(results.map((r) => r.ms)),
    defineMs: median(results.map((r) => r.defineMs)),
    maxRssMb: median(results.map((r) => r.maxRssMb)),
  };
}

/** Every file under a folder with its content; none when it does not exist. */
function readTree(dir: string, root = dir, into = new Map<string, string>()): Map<string, string> {
  // A shard without services writes nothing.
  if (!fs.existsSync(dir)) return into;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) readTree(full, root, into);
    else into.set(path.relative(root, full), fs.readFileSync(full, 'utf8'));
  }
  return into;
}

function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

function verdict(ok: boolean): string {
  return ok ? 'met' : '**missed**';
}

function commit(): string {
  const rev = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'lib', 'bench', 'apps'], { cwd: root, encoding: 'utf8' }).stdout.trim() !== '';
  return `${rev}${dirty ? ' (with uncommitted changes)' : ''}`;
}

/** What profiling found, and what was done about it. Kept with the figures it explains. */
const FINDINGS = `## What profiling found

- **cdk8s app size.** cdk8s walks the whole construct tree of an app for every chart in its
  validation and dependency passes, so one app per environment grew superlinearly (400 services:
  8.9 s for the Kubernetes side). One app per chart keeps it linear.
- **promtool test generation.** The burn-rate simulation summed every window minute by minute
  (quadratic in the scenario length) and ran again for each environment of a service. Running
  totals model the counters as \`increase()\` does, and results are cached per SLO and scenario
  (keyed by the scenario's segments, one byte per minute): 100 services, rules and tests,
  5.6 s to 2.2 s.
- **Repeated work.** Every environment emits the same PromQL (parse results cached per
  expression); each namespace's routing resolved every service again (resolved definitions are
  cached, they are frozen); business hours were converted to UTC per namespace and environment
  (now once).
- **cdktf creation stacks.** cdktf captures a full stack trace for every token and nested
  attribute object, about 40% of the GCP side. While a platform synthesizes, captures into
  cdktf's plain holder objects are skipped (real errors keep their stacks): GCP construction
  about 5× faster. Provider classes come from their own modules, never the package root.
- **YAML.** The yaml package's document model (build a node tree, then print it) was a quarter of
  all CPU time and much of the garbage. \`toYaml\` now prints plain data directly, 8–12 × faster
  on a 200 KB manifest, and is proven byte-identical to the document path (which stays, as the
  reference and the fallback for anything not plain) by property tests over tricky strings.
- **File writes.** On this virtual machine a write interleaved with computation costs several
  times one in a burst (about 9 s of a 30 s synthesis of 200 services). Files go to one
  background thread as they are built (\`FileWriter\`, bounded at 8 Mi characters queued): 200
  services, wall time 0.75 × that of writing in place (median of 4 interleaved pairs,
  0.68–1.13), for about 90 MB more peak memory.
- **Incremental synthesis.** An output folder's record in the cache (each unit's key, its files'
  sizes and modification times) lets a run skip an unchanged service entirely: its files stay,
  only a small summary (objects per kind, recording rules, runbook and readiness findings) is
  read. Terraform stacks, rebuilt in full on every run before, are assembled from per-service
  parts: split off cdktf's whole synthesis when most parts are missing, built alone (a stack of
  the shared resources and that service) when few are; byte-identical to cdktf's output, tested.
- **Memory.** Each environment's Terraform stack is built, written and its tokens released before
  the next; the GCP side's peak at 1000 services is mostly collector slack (it completes at about
  400 MB with the old space capped at 256 MB, 2.6 × slower).
- **Fleet dashboard checks.** A fleet dashboard reads every service of its environment, and
  checking its queries (parsed and type-checked against every service's rules) was the largest
  part of an incremental run, about 1.6 s of 8 s at 1000 services. The cache keeps the checks
  that passed, by the content of plan and rules: one changed service of 1000, 8.65 s to about
  6 s.
- **Alert templates in Prometheus.** Prometheus expands every label and annotation of an
  alerting rule as a Go template for each pending or firing alert at every evaluation; in the
  cost run most SLOs burn, and that expansion was most of the SLO groups' time. SLO alerts now
  leave \`service\` to the recorded series they select. Sloth's rules carry the labels and
  annotations of its published example (they had one label and one annotation before).
- **Threads.** One synthesis here already keeps about 1.5 of the 2 cores busy: the file
  writer's thread, the collector's helper threads and the kernel's file system work (under
  strace, which slows it, opening a new file took about 0.5 ms on average at 200 services).
  A worker thread that builds services (\`jobs: 2\`) uses the rest. Two worker threads beside
  the synthesizing one were faster in one trial and slower in the next, and cost about 300 MB
  more, so the measured setting is one worker, which the synthesizing thread joins once its
  Terraform stacks are built. Each worker loads the library and a copy of the definition, and
  starts in about a second. A small coordinator thread starts the workers and listens for their
  exit (the synthesizing thread, waiting on shared memory, hears no event), so a worker that
  runs out of memory or exits fails the synthesis instead of hanging it.
- **Stack JSON.** cdktf writes a stack with json-stable-stringify's layout, and so did the
  assembled stacks: a JavaScript serializer, 180–400 ms for one 18 MB stack of 1000 services.
  They are now written by the engine's \`JSON.stringify\` once every object's keys are in order
  (copied sorted where a merged part put them out of order), 95–160 ms, byte for byte the same
  (property-tested against json-stable-stringify, and against cdktf's whole synthesis).
- **Runbook thresholds.** Each alert page states the thresholds its rule compares with, read
  from the expression's syntax tree; the same expression was parsed again in every environment.
  The comparisons are now kept per expression (bounded, as the parse caches are).
- **Platform-wide files.** The fleet dashboards, namespaces, alert routing, Alertmanager,
  runbook indexes and GitOps files read every service, and were built again on every
  incremental run. They now stay as a group when what they read did not change: the output
  record keeps, per unit, the digest of what they read of it (the effective definition without
  its workload fields, its recording rules and runbook summary), and the group's digest over
  those and the platform's settings. An image or replicas edit leaves them; a test changes each
  workload field on every service and checks every platform-wide file byte for byte. Each
  stack's shared resources (provider, channels, log buckets) are a cache part on the same
  digests, and each production service's readiness result is reused for the same day.
- **Kept files.** An incremental run asks of every kept file whether it is as the last run
  wrote it (size and modification time), and lists the folders to sweep what no unit claims:
  about 68,000 files at 1000 services, 0.4 s of stat and 0.2 s of listing. Both run on a second
  thread while the units are built; a unit is kept on the record's word and written again at
  the end if the thread found one of its files touched.
- **Left as is.** What an incremental run still does on one thread: the definition (every
  service validated, its overrides merged and validated again), each service resolved in
  every environment for its key, and the record read and written. Figures vary by up to 20 %
  between runs here (a virtual machine).
`;

/**
 * `--prometheus-only`: measures the Prometheus cost again and replaces that section of
 * bench/results.md, saying at which commit it was measured; the other sections stay as they were.
 */
function prometheusOnly(): void {
  const file = path.join(__dirname, 'results.md');
  const prom = prometheusCost(quick ? 50 : 200);
  console.log(prom.summary);
  const text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf('## Prometheus cost');
  const end = text.indexOf('\n## ', start + 1);
  if (start < 0 || end < 0) throw new Error('bench/results.md has no Prometheus cost section to replace');
  const section = ['## Prometheus cost', '', `Measured again at commit ${commit()} on ${new Date().toISOString().slice(0, 10)} by \`npm run bench -- --prometheus-only\`.`, '', prom.markdown, ''].join('\n');
  fs.writeFileSync(file, `${text.slice(0, start)}${section}${text.slice(end)}`);
}

function main(): void {
  if (args.has('--prometheus-only')) return prometheusOnly();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const log = (line: string): void => console.log(line);

  // 1. Full synth against the floor, interleaved pairs at N.
  const source = path.join(scratch, 'source');
  run(worker(N, 'source', source));
  const vsFloor = pairs(worker(N, 'full'), worker(N, 'floor', source), PAIRS);
  log(`full / floor at ${N} services: ${ratioText(vsFloor.ratios)}`);

  // 2. The large fleet: time, peak memory, and what each side costs in memory.
  const big = repeated(worker(BIG, 'full'), 1);
  const bigCapped = repeated(capped(worker(BIG, 'full')), 1);
  const baseline = repeated(worker(BIG, 'define'), 1);
  const sides = ALL_SIDES.map((side) => repeated(worker(BIG, side), 1));
  const mid = repeated(worker(N, 'full'), quick ? 1 : 2);
  log(`${BIG} services: ${fmt(big.ms)}, peak ${big.maxRssMb.toFixed(0)} MB; t(${BIG})/t(${N}) = ${(big.ms / mid.ms).toFixed(2)}`);
  // What writing the large fleet's files costs with no library logic: the floor at BIG.
  const bigSource = path.join(scratch, 'big-source');
  run(worker(BIG, 'source', bigSource));
  const bigFloor = repeated(worker(BIG, 'floor', bigSource), 1);
  fs.rmSync(bigSource, { recursive: true, force: true });
  log(`floor at ${BIG} services: ${fmt(bigFloor.ms)}, peak ${bigFloor.maxRssMb.toFixed(0)} MB`);

  // 2b. Threads: the full synthesis with jobs 2 (one worker thread) against one thread, in pairs.
  const JOBS = 2;
  const threadsAtN = pairs(worker(N, 'jobs', String(JOBS)), worker(N, 'full'), quick ? 1 : 3);
  const threadsAtBig = pairs(worker(BIG, 'jobs', String(JOBS)), worker(BIG, 'full'), quick ? 1 : 2);
  log(`jobs ${JOBS} / one thread: ${ratioText(threadsAtN.ratios)} at ${N}, ${ratioText(threadsAtBig.ratios)} at ${BIG}`);

  // 3. Incremental: a warm cache, then one service changed (alternately changed and changed
  // back, so every run rebuilds exactly one service in each environment), through the cache:
  // into the same output folder each time (a working copy), and into a new one each time (a CI
  // runner that restored the cache but not the output).
  const cacheDir = path.join(scratch, 'cache');
  const kept = path.join(scratch, 'kept-output');
  const coldCache = run(worker(BIG, 'cached', cacheDir, kept)).measured as Measurement;
  const EDITS = quick ? 2 : 4;
  const edits = Array.from({ length: EDITS }, (_, i) => run(worker(BIG, 'cached', cacheDir, ...(i % 2 === 0 ? ['edit'] : []), kept)).measured as Measurement);
  const freshEdits = Array.from({ length: EDITS }, (_, i) => run(worker(BIG, 'cached', cacheDir, ...(i % 2 === 0 ? ['edit'] : []))).measured as Measurement);
  const incrementalMs = median(edits.map((m) => m.ms));
  const freshMs = median(freshEdits.map((m) => m.ms));
  log(`one changed service of ${BIG}, through the cache: ${fmt(incrementalMs)} into the same folder, ${fmt(freshMs)} into a new one (cold cache ${fmt(coldCache.ms)})`);

  // 4. Shards: four shards of N, put together, against the full synthesis of the same fleet.
  const SHARDS = 4;
  const shardRuns = Array.from({ length: SHARDS }, (_, i) => run(worker(N, 'shard', `${i + 1}/${SHARDS}`, path.join(scratch, `shard-${i + 1}`))).measured as Measurement);
  const parts = shardRuns.map((_, i) => readTree(path.join(scratch, `shard-${i + 1}`)));
  const union = new Map(parts.flatMap((part) => [...part]));
  const full = readTree(source);
  const disjoint = parts.reduce((sum, part) => sum + part.size, 0) === union.size;
  const unionIdentical = disjoint && union.size === full.size && [...full].every(([file, content]) => union.get(file) === content);
  log(`${SHARDS} shards of ${N}: slowest ${fmt(Math.max(...shardRuns.map((m) => m.ms)))}, union ${unionIdentical ? 'identical to' : 'DIFFERS from'} the full synthesis`);

  // 5. Entry points for the same work, as process wall time (start to exit), interleaved.
  const fleetEnv = { FLEET_SERVICES: String(N) };
  const out = (name: string): string => path.join(scratch, name);
  const cdk8s: Job = { label: 'cdk8s synth', command: path.join(bin, 'cdk8s'), args: ['synth', '--no-check-upgrade', '--app', `${path.join(bin, 'tsx')} bench/apps/k8s.ts`, '--output', out('cdk8s')], env: fleetEnv };
  const cdktf: Job = { label: 'cdktf synth', command: path.join(bin, 'cdktf'), args: ['synth', '--app', `${path.join(bin, 'tsx')} bench/apps/gcp.ts`, '--output', out('cdktf')], env: fleetEnv };
  const wall = (r: Run): number => r.wallMs;
  const cli: Job = {
    label: 'ops-constructs synth',
    command: process.execPath,
    args: [path.join(root, 'bin', 'ops-constructs.js'), 'synth', '--definition', 'bench/apps/fleet.ts', '--out', out('cli'), '--no-cache', '--quiet', '--today', FLEET_DAY],
    env: fleetEnv,
  };
  const npmSynth: Job = { label: 'npm run synth', command: path.join(bin, 'tsx'), args: ['bench/apps/synth.ts', out('npm-synth')], env: fleetEnv };
  const ENTRY_PAIRS = quick ? PAIRS : 5;
  const entryPoints: [string, PairResult][] = [
    ['`cdk8s synth` / the Kubernetes side of `synthesizePlatform`', pairs(cdk8s, worker(N, 'k8s'), ENTRY_PAIRS, wall)],
    ['`cdktf synth` / the GCP side of `synthesizePlatform`', pairs(cdktf, worker(N, 'gcp'), ENTRY_PAIRS, wall)],
    ['`ops-constructs synth --no-cache` / `npm run synth` (every side)', pairs(cli, npmSynth, ENTRY_PAIRS, wall)],
  ];
  for (const [name, result] of entryPoints) log(`${name}: ${ratioText(result.ratios)}`);
  // What the cdktf command line costs by itself: the same command with an app that only copies
  // the files the measured runs wrote.
  const cdktfAlone: Job = { label: 'cdktf synth (copying app)', command: path.join(bin, 'cdktf'), args: ['synth', '--app', `cp -r ${out('cdktf')}/. "$CDKTF_OUTDIR"`, '--output', out('cdktf-copy')] };
  const cdktfOwnMs = median(Array.from({ length: 3 }, () => run(cdktfAlone).wallMs));
  log(`cdktf synth with an app that copies finished files: ${fmt(cdktfOwnMs)}`);

  // 6. The example platform, process start to files written.
  const cold: [string, number][] = [
    ['cdk8s app (`tsx apps/k8s.ts`)', median(Array.from({ length: 3 }, () => run({ label: 'k8s app', command: path.join(bin, 'tsx'), args: ['apps/k8s.ts'], env: { CDK8S_OUTDIR: out('example-k8s') } }).wallMs))],
    ['cdktf app (`tsx apps/gcp.ts`)', median(Array.from({ length: 3 }, () => run({ label: 'gcp app', command: path.join(bin, 'tsx'), args: ['apps/gcp.ts'], env: { CDKTF_OUTDIR: out('example-gcp') } }).wallMs))],
    ['`npm run synth` (example platform, everything)', median(Array.from({ length: 3 }, () => run({ label: 'synth', command: path.join(bin, 'tsx'), args: ['apps/synth.ts', out('example'), '--quiet'] }).wallMs))],
  ];
  for (const [name, ms] of cold) log(`${name}: ${fmt(ms)}`);

  let prom: PrometheusCost | undefined;
  if (!args.has('--no-prometheus')) {
    prom = prometheusCost(quick ? 50 : 200);
    log(prom.summary);
  }
  fs.rmSync(scratch, { recursive: true, force: true });

  const floorMedian = median(vsFloor.ratios);
  const entryWorst = Math.max(...entryPoints.map(([, r]) => Math.abs(median(r.ratios) - 1)));
  const sideRows = sides.map((m) => `| ${m.side} | ${fmt(m.ms - m.defineMs)} | ${(m.maxRssMb - baseline.maxRssMb).toFixed(0)} MB | ${m.files} |`);
  const lines: string[] = [
    '# Benchmark results',
    '',
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.`,
    `Measured at commit ${commit()} on ${new Date().toISOString().slice(0, 10)} by \`npm run bench\`${quick ? ' --quick' : ''}. Every figure comes from fresh processes; ratios are medians of interleaved pairs (the order alternates), with their range. Source maps are on, as tsx runs \`npm run synth\` and the apps.`,
    '',
    '## Targets',
    '',
    '| target | measured | verdict |',
    '| --- | --- | --- |',
    `| full synth ≤ 1.5 × the floor (${N} services × 3 environments) | ${ratioText(vsFloor.ratios)} | ${verdict(floorMedian <= 1.5)} |`,
    `| ${BIG} services × 3 environments ≤ 20 s | ${fmt(big.ms)} | ${verdict(big.ms <= 20_000)} |`,
    `| ${BIG} services × 3 environments, peak RSS ≤ 400 MiB | ${big.maxRssMb.toFixed(0)} MB | ${verdict(big.maxRssMb <= 400)} |`,
    `| entry points within 10 % of each other (${N} services) | worst ${(entryWorst * 100).toFixed(0)} % | ${verdict(entryWorst <= 0.1)} |`,
    `| one changed service of ${BIG}, through the cache, ≤ 2 s (same output folder) | ${fmt(incrementalMs)} | ${verdict(incrementalMs <= 2000)} |`,
    `| one changed service of ${BIG}, through the cache, ≤ 2 s (new output folder) | ${fmt(freshMs)} | ${verdict(freshMs <= 2000)} |`,
    `| union of ${SHARDS} shards byte-identical to the full synth (${N} services) | ${unionIdentical ? 'identical' : 'differs'} | ${verdict(unionIdentical)} |`,
    '',
    '## Full synth and floor',
    '',
    `\`full\` is the definition (validation included) to every file. \`floor\` writes the same files with no library logic: manifests as raw cdk8s \`ApiObject\`s in a chart, Terraform through raw cdktf (one untyped \`TerraformResource\` per resource), every YAML file with the library's serializer (\`toYaml\`) and JSON with \`JSON.stringify\`, written through the library's background writer, as the full synthesis writes; its input is read from a synthesis in another process, untimed.`,
    '',
    '| services | full (median) | floor (median) | full / floor |',
    '| ---: | ---: | ---: | ---: |',
    `| ${N} | ${fmt(median(vsFloor.a.map((r) => r.measured?.ms ?? 0)))} | ${fmt(median(vsFloor.b.map((r) => r.measured?.ms ?? 0)))} | ${ratioText(vsFloor.ratios)} |`,
    '',
    '## Fleet size and memory',
    '',
    '| services | wall time | services/s | peak RSS | files |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...[mid, big].map((m) => `| ${m.services} | ${fmt(m.ms)} | ${((m.services * 1000) / m.ms).toFixed(0)} | ${m.maxRssMb.toFixed(0)} MB | ${m.files} |`),
    '',
    `t(${BIG}) / t(${N}) = ${(big.ms / mid.ms).toFixed(2)} for ${BIG / N} × the services.`,
    '',
    `The floor at ${BIG} services (the same files written with no library logic, as above): ${fmt(bigFloor.ms)}, peak ${bigFloor.maxRssMb.toFixed(0)} MB. Its input, every file parsed, is held in memory while it runs: that is most of its peak, and it makes the collector work harder than in the full synthesis.`,
    '',
    `What the memory is: with V8's old space capped at ${CAPPED_OLD_SPACE_MB} MB (\`--max-old-space-size\`), the same ${BIG}-service synthesis completes in ${fmt(bigCapped.ms)} at a peak of ${bigCapped.maxRssMb.toFixed(0)} MB: the rest of the uncapped peak is garbage the collector had not yet needed to reclaim, not live data. The live part is the runtime and loaded libraries (the definition-only row below), one service's outputs in every environment at a time, the bounded parse caches, the file writer's queue (at most 8 Mi characters) and, on the GCP side, one environment's stack while it is assembled.`,
    '',
    `Each side alone at ${BIG} services, in its own process: its time after the definition, and its peak RSS above that of a process that only defines the fleet (${baseline.maxRssMb.toFixed(0)} MB, of which the Node.js runtime, tsx and the loaded libraries are most).`,
    '',
    '| side | time | memory above the definition | files |',
    '| --- | ---: | ---: | ---: |',
    ...sideRows,
    '',
    `## Threads (\`jobs: ${JOBS}\`)`,
    '',
    `The full synthesis with \`jobs: ${JOBS}\` (one worker thread takes services while the synthesizing thread builds the Terraform stacks, then both take services) against one thread, in interleaved pairs. The output is byte-identical (tested).`,
    '',
    '| services | one thread (median) | jobs ' + JOBS + ' (median) | jobs ' + JOBS + ' / one thread | peak RSS, one thread / jobs ' + JOBS + ' |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...([[N, threadsAtN], [BIG, threadsAtBig]] as const).map(
      ([n, r]) =>
        `| ${n} | ${fmt(median(r.b.map((x) => x.measured?.ms ?? 0)))} | ${fmt(median(r.a.map((x) => x.measured?.ms ?? 0)))} | ${ratioText(r.ratios)} | ${median(r.b.map((x) => x.measured?.maxRssMb ?? 0)).toFixed(0)} MB / ${median(r.a.map((x) => x.measured?.maxRssMb ?? 0)).toFixed(0)} MB |`,
    ),
    '',
    '## Incremental synthesis and shards',
    '',
    `Through the cache, with ${BIG} services and one of them changed (its replicas, alternately changed and changed back, so each run rebuilds that service in every environment), the definition included (the timer starts once the library is loaded). Into the output folder of the last run, where the unchanged services' files stay as they are: median ${fmt(incrementalMs)} of ${edits.length} runs (${edits.map((m) => fmt(m.ms)).join(', ')}), peak ${median(edits.map((m) => m.maxRssMb)).toFixed(0)} MB. Into a new folder each time, where every file is written from the cache: median ${fmt(freshMs)} (${freshEdits.map((m) => fmt(m.ms)).join(', ')}). The first run, into an empty cache: ${fmt(coldCache.ms)}, peak ${coldCache.maxRssMb.toFixed(0)} MB. Terraform stacks are assembled from each service's cached part; the platform-wide files (fleet dashboards, namespaces, routing, Alertmanager, runbook indexes, GitOps) stay when what they read of every service did not change, as here, and production services' readiness results are reused for the same day. Into a new folder, every file is written again (from the cache), so it pays what writing 68,000 files costs.`,
    '',
    `${SHARDS} shards of the ${N}-service fleet, each in its own process: ${shardRuns.map((m, i) => `shard ${i + 1}: ${fmt(m.ms)}, ${m.files} files`).join('; ')}. Their union is ${unionIdentical ? 'byte-identical to' : '**not** identical to'} the full synthesis.`,
    '',
    `## Entry points (${N} services, process start to exit)`,
    '',
    '| comparison | figure |',
    '| --- | ---: |',
    ...entryPoints.map(([name, r]) => `| ${name} | ${ratioText(r.ratios)} |`),
    `| \`cdktf synth\` with an app that only copies the finished files: the command line's own cost (median of 3) | ${fmt(cdktfOwnMs)} |`,
    '',
    '## The example platform (process start to files written)',
    '',
    '| command | wall time |',
    '| --- | ---: |',
    ...cold.map(([name, ms]) => `| ${name} | ${fmt(ms)} |`),
    '',
  ];
  if (prom) {
    lines.push('## Prometheus cost', '', prom.markdown, '');
  }
  lines.push(FINDINGS);
  if (smoke) {
    log(lines.join('\n'));
    return;
  }
  fs.writeFileSync(path.join(__dirname, 'results.md'), lines.join('\n'));
  log(`wrote ${path.relative(process.cwd(), path.join(__dirname, 'results.md'))}`);
}

main();
