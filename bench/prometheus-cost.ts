/**
 * The cost of the generated rules in a real Prometheus: rule counts per SLO and the rule-group
 * evaluation time, read from `prometheus_rule_group_last_duration_seconds` while Prometheus
 * (Debian's `prometheus` on 127.0.0.1) evaluates the rules of a generated fleet against
 * synthetic series served by a local exporter. Bounded: stops after a fixed time.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { EffectiveService, resolveEnvironment } from '../lib';
import { isAlertingRule, renderRuleFile, serviceRuleGroups } from '../lib/prometheus';
import { fleetPlatform } from './fleet';
import { slothRuleGroups } from './sloth';

/** What the Prometheus cost run found. */
export interface PrometheusCost {
  readonly summary: string;
  readonly markdown: string;
}

const MAX_WAIT_MS = 120_000;
const EVALUATION_INTERVAL = '10s';
const ITERATIONS = 4;
const SAMPLES = 12;
/** Seconds between samples: half the evaluation interval, so each sample sees about half the groups run again. */
const SAMPLE_EVERY_MS = 5_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
    server.on('error', reject);
  });
}

/** Synthetic exposition: per service a request counter (1% errors), a latency histogram and job counters. */
function exposition(services: readonly EffectiveService[], startedAt: number): string {
  const seconds = (Date.now() - startedAt) / 1000 + 600;
  const lines: string[] = [];
  for (const s of services) {
    const base = `job="${s.name}",namespace="${s.namespace}"`;
    const total = Math.round(seconds * 20);
    if (s.port !== undefined) {
      lines.push(`${s.metrics.requestsMetric}{${base},code="200"} ${Math.round(total * 0.99)}`);
      lines.push(`${s.metrics.requestsMetric}{${base},code="500"} ${Math.round(total * 0.01)}`);
      let cumulative = 0;
      for (const le of s.metrics.latencyBuckets) {
        cumulative = Math.round(total * Math.min(1, 0.5 + le));
        lines.push(`${s.metrics.latencyMetric}_bucket{${base},le="${le}"} ${cumulative}`);
      }
      lines.push(`${s.metrics.latencyMetric}_bucket{${base},le="+Inf"} ${total}`);
      lines.push(`${s.metrics.latencyMetric}_count{${base}} ${total}`);
      lines.push(`${s.metrics.latencyMetric}_sum{${base}} ${(total * 0.12).toFixed(1)}`);
    } else {
      lines.push(`jobs_total{${base}} ${total}`);
      lines.push(`jobs_succeeded_total{${base}} ${Math.round(total * 0.995)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

async function query(port: number, promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await response.json()) as { data?: { result?: { metric: Record<string, string>; value: [number, string] }[] } };
  return body.data?.result ?? [];
}

/** Reads Prometheus's own metrics (it does not scrape itself here): values of one metric name. */
async function selfMetric(port: number, name: string): Promise<number[]> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
}

/** Values of one metric of Prometheus's own, with the `rule_group` label of each. */
async function groupMetric(port: number, name: string): Promise<{ group: string; value: number }[]> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .map((line) => ({ group: /rule_group="[^"]*;([^"]*)"/.exec(line)?.[1] ?? '', value: Number(line.slice(line.lastIndexOf(' ') + 1)) }));
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** Which rule set a group belongs to: ours (`<service>-slo-<slo>`), Sloth's (`sloth-…`), or neither. */
function family(group: string): 'ours' | 'sloth' | 'other' {
  if (group.startsWith('sloth-')) return 'sloth';
  return /-slo-/.test(group) ? 'ours' : 'other';
}

async function measureInPrometheus(services: readonly EffectiveService[], ruleDir: string, groupCount: number, slos: number): Promise<string[]> {
  // groupCount: the SLO groups, ours and Sloth's, waited for.
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-prometheus-'));
  const startedAt = Date.now();
  const exporter = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(exposition(services, startedAt));
  });
  const exporterPort = await freePort();
  await new Promise<void>((resolve) => exporter.listen(exporterPort, '127.0.0.1', resolve));
  const prometheusPort = await freePort();
  fs.writeFileSync(
    path.join(workDir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 5s',
      `  evaluation_interval: ${EVALUATION_INTERVAL}`,
      'rule_files:',
      `  - ${ruleDir}/*.yaml`,
      'scrape_configs:',
      '  - job_name: synthetic',
      '    honor_labels: true',
      '    static_configs:',
      `      - targets: ['127.0.0.1:${exporterPort}']`,
      '',
    ].join('\n'),
  );
  const server = spawn(
    'prometheus',
    [`--config.file=${path.join(workDir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(workDir, 'data')}`, `--web.listen-address=127.0.0.1:${prometheusPort}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  server.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + MAX_WAIT_MS;
  try {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      if (Date.now() > deadline) {
        return [`Prometheus did not evaluate every SLO group ${ITERATIONS} times within ${MAX_WAIT_MS / 1000} s; last log:\n${log.slice(-2000)}`];
      }
      try {
        // The SLO groups (ours and Sloth's) are compared; other groups may run at longer
        // intervals of their own (right-sizing alerts every 5 minutes) and are not waited for.
        const iterations = (await groupMetric(prometheusPort, 'prometheus_rule_group_iterations_total')).filter((g) => family(g.group) !== 'other');
        if (iterations.length >= groupCount && iterations.every((g) => g.value >= ITERATIONS)) {
          break;
        }
      } catch {
        // Not up yet.
      }
    }
    // Averaged over several samples: one figure of a group varies with what else ran.
    const samples: { group: string; value: number }[][] = [];
    for (let i = 0; i < SAMPLES; i++) {
      samples.push(await groupMetric(prometheusPort, 'prometheus_rule_group_last_duration_seconds'));
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
    }
    const perFamily = { ours: 0, sloth: 0, other: 0 };
    const ratios: number[] = [];
    for (const cycle of samples) {
      const sums = { ours: 0, sloth: 0, other: 0 };
      for (const { group, value } of cycle) sums[family(group)] += value * 1000;
      for (const key of ['ours', 'sloth', 'other'] as const) perFamily[key] += sums[key] / SAMPLES;
      ratios.push(sums.ours / sums.sloth);
    }
    const durations = samples[samples.length - 1].filter((g) => family(g.group) !== 'sloth').map((g) => g.value * 1000);
    const failures = (await selfMetric(prometheusPort, 'prometheus_rule_evaluation_failures_total')).reduce((a, b) => a + b, 0);
    const series = await selfMetric(prometheusPort, 'prometheus_tsdb_head_series');
    const recorded = await query(prometheusPort, 'count({__name__=~"slo:.*"})');
    const total = durations.reduce((a, b) => a + b, 0);
    return [
      `| rule groups evaluated | ${durations.length} |`,
      `| evaluation interval | ${EVALUATION_INTERVAL} |`,
      `| head series (synthetic input + recorded) | ${series[0] ?? '?'} |`,
      `| SLO series recorded | ${recorded[0]?.value[1] ?? '0'} |`,
      `| sum of last group durations per cycle | ${total.toFixed(1)} ms |`,
      `| group duration p50 / p99 / max | ${quantile(durations, 0.5).toFixed(2)} / ${quantile(durations, 0.99).toFixed(2)} / ${Math.max(...durations).toFixed(2)} ms |`,
      `| rule evaluation failures | ${failures} |`,
      `| SLO groups, evaluation per SLO per cycle: ours / Sloth's (same Prometheus, same series, mean of ${SAMPLES} samples ${SAMPLE_EVERY_MS / 1000} s apart) | ${(perFamily.ours / slos).toFixed(3)} ms / ${(perFamily.sloth / slos).toFixed(3)} ms = ${(perFamily.ours / perFamily.sloth).toFixed(2)} × |`,
      `| the same ratio per sample: median (range) of ${SAMPLES} samples | ${quantile(ratios, 0.5).toFixed(2)} × (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) |`,
    ];
  } finally {
    server.kill('SIGTERM');
    exporter.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** Rule counts per SLO and evaluation time for `n` services (prod environment). */
export function prometheusCost(n: number): PrometheusCost {
  const script = `require('${__filename.replace(/\\/g, '/')}').runPrometheusCost(${n}).then((r) => process.stdout.write(JSON.stringify(r)));`;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: MAX_WAIT_MS + SAMPLES * SAMPLE_EVERY_MS + 60_000 });
  if (result.status !== 0) {
    return { summary: `Prometheus cost: failed (${result.stderr.slice(-500)})`, markdown: `Failed: ${result.stderr.slice(-500)}` };
  }
  return JSON.parse(result.stdout) as PrometheusCost;
}

/** The measurement itself; runs in its own process. @internal */
export async function runPrometheusCost(n: number): Promise<PrometheusCost> {
  const platform = fleetPlatform(n);
  const services = platform.services.map((s) => resolveEnvironment(platform, s, 'prod'));
  const ruleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-rules-'));
  let recording = 0;
  let alerting = 0;
  let sloRecording = 0;
  let sloAlerting = 0;
  let sloGroups = 0;
  const slos = services.reduce((sum, s) => sum + s.slos.length, 0);
  let slothRules = 0;
  for (const service of services) {
    const sloth = service.slos.flatMap((slo) => slothRuleGroups(service, slo));
    slothRules += sloth.reduce((sum, g) => sum + g.rules.length, 0);
    sloGroups += sloth.length;
    fs.writeFileSync(path.join(ruleDir, `sloth-${service.name}.yaml`), renderRuleFile(sloth));
    const groups = serviceRuleGroups(platform, service);
    sloGroups += groups.filter((group) => family(group.name) === 'ours').length;
    for (const group of groups) {
      const isSlo = group.name.includes('-slo-');
      for (const rule of group.rules) {
        if (isAlertingRule(rule)) {
          alerting++;
          if (isSlo) sloAlerting++;
        } else {
          recording++;
          if (isSlo) sloRecording++;
        }
      }
    }
    fs.writeFileSync(path.join(ruleDir, `${service.name}.yaml`), renderRuleFile(groups));
  }
  const counts = [
    '| figure | value |',
    '| --- | ---: |',
    `| services (prod) / SLOs | ${services.length} / ${slos} |`,
    `| recording rules (all / per SLO) | ${recording} / ${(sloRecording / slos).toFixed(1)} |`,
    `| alerting rules (all / SLO alerts per SLO) | ${alerting} / ${(sloAlerting / slos).toFixed(1)} |`,
    `| SLO rules per SLO: ours / Sloth's | ${((sloRecording + sloAlerting) / slos).toFixed(1)} / ${(slothRules / slos).toFixed(1)} |`,
  ];
  const hasPrometheus = spawnSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' }).status === 0;
  const measured = hasPrometheus
    ? await measureInPrometheus(services, ruleDir, sloGroups, slos)
    : ['| evaluation time | not measured: install Debian `prometheus` |'];
  fs.rmSync(ruleDir, { recursive: true, force: true });
  const markdown = [...counts, ...measured].join('\n');
  return { summary: `Prometheus cost for ${n} services:\n${markdown}`, markdown };
}
