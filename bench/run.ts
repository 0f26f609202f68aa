/**
 * `npm run bench`: synthesis speed, scaling and Prometheus cost, written to bench/results.md.
 *
 * Every measurement runs in a fresh process (bench/worker.ts) so that peak memory is its own;
 * each figure is the median of several runs. Targets are reported, never asserted in tests.
 * Options: --quick (fewer sizes and runs), --no-prometheus (skip the Prometheus cost run).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ALL_SIDES } from '../lib';
import { Measurement } from './measurement';
import { prometheusCost, PrometheusCost } from './prometheus-cost';


const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const SIZES = quick ? [50, 200] : [50, 100, 200, 400];
const RUNS = quick ? 1 : 3;
const root = path.resolve(__dirname, '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function measure(services: number, side: string): Measurement {
  const runs: Measurement[] = [];
  for (let i = 0; i < RUNS; i++) {
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'worker.ts'), String(services), side], { cwd: root, encoding: 'utf8' });
    const line = result.stdout.trim().split('\n').pop() ?? '';
    if (result.status !== 0 || !line.startsWith('{')) {
      throw new Error(`worker ${services} ${side} failed:\n${result.stderr}`);
    }
    runs.push(JSON.parse(line) as Measurement);
  }
  return {
    services,
    side,
    ms: median(runs.map((r) => r.ms)),
    defineMs: median(runs.map((r) => r.defineMs)),
    maxRssMb: median(runs.map((r) => r.maxRssMb)),
    files: runs[0].files,
  };
}

/** Wall time of a command, process start to exit (files written), median of runs. */
function coldStart(command: string, commandArgs: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < Math.max(RUNS, 3); i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, commandArgs, { cwd: root, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0) {
      throw new Error(`${command} ${commandArgs.join(' ')} failed:\n${result.stderr}`);
    }
  }
  return median(times);
}

function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

function verdict(ok: boolean): string {
  return ok ? 'met' : '**missed**';
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
- **Memory.** Rule files are written right after each service's chart rather than collected:
  400 services peak at about 330 MB instead of 460 MB.
- **Left as is.** YAML serialization is the largest single cost of a full synth and is shared
  with the floor; file writes grow slightly faster than linearly on this machine's disk and
  account for most of the growth from 200 to 400 services. Figures vary by up to 20% between
  runs here (a virtual machine); the 200-service synth measured 12 s on quiet runs.
`;

function main(): void {
  const sides = ['full', 'floor', ...ALL_SIDES];
  const results: Measurement[] = [];
  for (const services of SIZES) {
    for (const side of sides) {
      const m = measure(services, side);
      results.push(m);
      console.log(`${String(services).padStart(4)} services ${side.padEnd(12)} ${fmt(m.ms).padStart(9)}  peak ${m.maxRssMb.toFixed(0)} MB  ${m.files} files`);
    }
  }
  const at = (services: number, side: string) => results.find((r) => r.services === services && r.side === side);
  const full200 = at(200, 'full');
  const floor200 = at(200, 'floor');
  const full400 = at(400, 'full');
  const growth = full200 && full400 ? full400.ms / full200.ms : undefined;
  const overhead = full200 && floor200 ? full200.ms / floor200.ms : undefined;

  const npx = path.join(root, 'node_modules', '.bin');
  const cold: [string, number][] = [];
  cold.push(['cdk8s app (`tsx apps/k8s.ts`)', coldStart(path.join(npx, 'tsx'), ['apps/k8s.ts'])]);
  if (fs.existsSync(path.join(root, 'apps', 'gcp.ts'))) {
    cold.push(['cdktf app (`tsx apps/gcp.ts`)', coldStart(path.join(npx, 'tsx'), ['apps/gcp.ts'])]);
  }
  const synthWarm = coldStart(path.join(npx, 'tsx'), ['apps/synth.ts', path.join(os.tmpdir(), 'bench-example-synth')]);
  cold.push(['`npm run synth` (example platform, everything)', synthWarm]);
  for (const [name, ms] of cold) console.log(`${name}: ${fmt(ms)}`);

  let prom: PrometheusCost | undefined;
  if (!args.has('--no-prometheus')) {
    prom = prometheusCost(quick ? 50 : 200);
    console.log(prom.summary);
  }

  const lines: string[] = [
    '# Benchmark results',
    '',
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.`,
    `Date: ${new Date().toISOString().slice(0, 10)}. Median of ${RUNS} run(s) per figure, each in a fresh process. Produced by \`npm run bench\`${quick ? ' --quick' : ''}.`,
    '',
    '## Targets',
    '',
    '| target | measured | verdict |',
    '| --- | --- | --- |',
    full200 ? `| 200 services × 3 environments, full synth ≤ 15 s | ${fmt(full200.ms)} | ${verdict(full200.ms <= 15000)} |` : '| 200 services full synth | not measured | |',
    overhead !== undefined ? `| full synth ≤ 2.0 × the raw floor (same run) | ${overhead.toFixed(2)} × | ${verdict(overhead <= 2.0)} |` : '| overhead vs floor | not measured | |',
    growth !== undefined ? `| t(400) / t(200) ≤ 2.1 | ${growth.toFixed(2)} | ${verdict(growth <= 2.1)} |` : '| t(400)/t(200) | not measured (--quick) | |',
    `| example platform \`npm run synth\` ≤ 5 s warm | ${fmt(synthWarm)} | ${verdict(synthWarm <= 5000)} |`,
    '',
    '## Synthesis by fleet size',
    '',
    'Each service has 3 environments. `full` is the definition (validation included) to every file; `floor` writes the same objects as raw cdk8s `ApiObject`s and the same plain files with plain serializers, no library logic; the other rows are one output side alone.',
    '',
    '| services | side | wall time | services/s | peak RSS | files |',
    '| ---: | --- | ---: | ---: | ---: | ---: |',
    ...results.map((r) => `| ${r.services} | ${r.side} | ${fmt(r.ms)} | ${((r.services * 1000) / r.ms).toFixed(0)} | ${r.maxRssMb.toFixed(0)} MB | ${r.files} |`),
    '',
    '## Cold start (process start to files written)',
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
  fs.writeFileSync(path.join(__dirname, 'results.md'), lines.join('\n'));
  console.log(`wrote ${path.relative(process.cwd(), path.join(__dirname, 'results.md'))}`);
}

main();
