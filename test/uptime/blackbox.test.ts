import { ChildProcess, spawn } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { Server, createServer } from 'http';
import { AddressInfo, createServer as createNetServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { Probe } from '../../lib/imports/monitoring-probes-monitoring.coreos.com';
import { renderRuleFile } from '../../lib/prometheus/render';
import { toYaml } from '../../lib/private/yaml';
import { UPTIME_PROBE_ALERT, UptimeProbePlan, blackboxConfig, blackboxSettings, probeProps, uptimeProbePlan } from '../../lib/uptime';
import { describeWithTool, runTool } from '../support/tools';
import { checkout, uptimePlatform } from './fixtures';
import { ProbeManifest, probeScrapeConfig } from './operator-scrape-config';

const EXPORTER = 'prometheus-blackbox-exporter';
const UPTIME_PATH = '/healthz';
/** A path of the local server that redirects to the uptime path. */
const MOVED_PATH = '/moved';
/** The production module, which requires TLS, loaded next to the test's. */
const PRODUCTION_MODULE = 'https_2xx';
/** Longest wait for a process to come up or a value to change. */
const WAIT_MS = 30_000;

interface PromSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns a value, or fails after `WAIT_MS` with `what`. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}${last === undefined ? '' : ` (last error: ${String(last)})`}`);
}

/** A process of the test, its output kept for failure messages. */
class TestProcess {
  public output = '';
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;

  constructor(command: string, args: readonly string[]) {
    this.child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      this.output = `${this.output}${chunk.toString()}`.slice(-4000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  /** Stops the process: SIGTERM, then SIGKILL if it has not exited within 5 seconds. */
  public async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

describeWithTool('prometheus', 'the uptime probe against a real blackbox exporter and Prometheus', () => {
  describeWithTool(EXPORTER, 'on 127.0.0.1', () => {
    let dir: string;
    let server: Server | undefined;
    let exporter: TestProcess | undefined;
    let prometheus: TestProcess | undefined;
    let plan: UptimeProbePlan;
    let alertExpr: string;
    let prometheusUrl: string;
    let exporterUrl: string;

    /** probe_success of one probe the exporter runs right now with a module and target. */
    const probeNow = async (module: string, target: string): Promise<string | undefined> => {
      const response = await fetch(`${exporterUrl}/probe?module=${encodeURIComponent(module)}&target=${encodeURIComponent(target)}`);
      return /^probe_success (\S+)$/m.exec(await response.text())?.[1];
    };

    const query = async (expr: string): Promise<PromSample[]> => {
      const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await response.json()) as { status: string; error?: string; data: { resultType: string; result: PromSample[] } };
      if (body.status !== 'success') throw new Error(`query ${expr} failed: ${body.error}`);
      return body.data.result;
    };
    const probeSuccess = async (): Promise<string | undefined> => {
      const [sample] = await query(`probe_success{job=${JSON.stringify(plan.jobName)}, instance=${JSON.stringify(plan.target)}}`);
      return sample?.value[1];
    };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'ops-constructs-blackbox-'));
      server = createServer((request, response) => {
        if (request.url === MOVED_PATH) {
          response.writeHead(301, { location: UPTIME_PATH });
          response.end();
          return;
        }
        response.writeHead(request.url === UPTIME_PATH ? 200 : 404, { 'content-type': 'text/plain' });
        response.end(request.url === UPTIME_PATH ? 'ok\n' : 'not found\n');
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const hostPort = (server.address() as AddressInfo).port;
      const [exporterPort, prometheusPort] = [await freePort(), await freePort()];

      // The service's public host is the local server: plain HTTP on its port, for this test only.
      const platform = uptimePlatform({ gcp: { project: 'shop-prod-4821', publicHost: '127.0.0.1' }, uptimeCheck: { path: UPTIME_PATH } });
      const blackbox = { prober: `127.0.0.1:${exporterPort}` };
      plan = uptimeProbePlan(platform, checkout(platform), { blackbox, testEndpoint: { scheme: 'http', port: hostPort } })!;

      // The module of the Probe, plain HTTP allowed for the local server, next to the production module as synthesized.
      const modules = { ...blackboxConfig(blackboxSettings(platform, blackbox), { requireTls: false }).modules, ...blackboxConfig({ module: PRODUCTION_MODULE }).modules };
      writeFileSync(join(dir, 'blackbox.yml'), toYaml({ modules }));
      const configCheck = runTool(EXPORTER, ['--config.check', '--config.file', join(dir, 'blackbox.yml')]);
      expect(configCheck.output).toContain('Config file is ok');
      exporterUrl = `http://127.0.0.1:${exporterPort}`;
      exporter = new TestProcess(EXPORTER, ['--config.file', join(dir, 'blackbox.yml'), '--web.listen-address', `127.0.0.1:${exporterPort}`]);

      const rules = renderRuleFile([plan.ruleGroup]);
      writeFileSync(join(dir, 'uptime.rules.yaml'), rules);
      const rule = (parse(rules) as { groups: { rules: { alert: string; expr: string }[] }[] }).groups[0].rules.find((r) => r.alert === UPTIME_PROBE_ALERT);
      alertExpr = rule!.expr;

      // The Probe as synthesized, turned into the scrape job prometheus-operator would generate.
      const chart = Testing.chart();
      new Probe(chart, 'probe', probeProps(plan));
      const [manifest] = Testing.synth(chart) as ProbeManifest[];
      const scrape = probeScrapeConfig(manifest, { scrape_interval: '1s', scrape_timeout: '1s' });
      writeFileSync(join(dir, 'prometheus.yml'), toYaml({ global: { scrape_interval: '1s', evaluation_interval: '1s' }, rule_files: ['uptime.rules.yaml'], scrape_configs: [scrape] }));
      const check = runTool('promtool', ['check', 'config', 'prometheus.yml'], dir);
      expect(check.output).toContain('SUCCESS');

      prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
      prometheus = new TestProcess('prometheus', [
        '--config.file',
        join(dir, 'prometheus.yml'),
        '--storage.tsdb.path',
        join(dir, 'data'),
        '--web.listen-address',
        `127.0.0.1:${prometheusPort}`,
      ]);
      await waitFor(`Prometheus to be ready (${prometheus.output})`, async () => ((await fetch(`${prometheusUrl}/-/ready`)).ok ? true : undefined));
      await waitFor(`the blackbox exporter to be ready (${exporter.output})`, async () => ((await fetch(`${exporterUrl}/-/healthy`)).ok ? true : undefined));
    }, 2 * WAIT_MS);

    afterAll(async () => {
      await prometheus?.stop();
      await exporter?.stop();
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server?.listening ? server.close(() => resolve()) : resolve()));
      rmSync(dir, { recursive: true, force: true });
    });

    it('probes the host through the exporter: probe_success is 1, labelled as the alert selects it', async () => {
      expect(await waitFor('probe_success to be 1', async () => ((await probeSuccess()) === '1' ? '1' : undefined))).toBe('1');
      const [sample] = await query(`probe_success{job=${JSON.stringify(plan.jobName)}}`);
      expect(sample.metric).toEqual({ __name__: 'probe_success', ...plan.targetLabels, instance: plan.target, job: plan.jobName });
      expect(await query(alertExpr)).toEqual([]);
    });

    it('checks like Cloud Monitoring: a redirect is no answer, and the production module refuses plain HTTP', async () => {
      expect(await probeNow(plan.blackbox.module, plan.target)).toBe('1');
      expect(await probeNow(plan.blackbox.module, plan.target.replace(UPTIME_PATH, MOVED_PATH))).toBe('0');
      expect(await probeNow(PRODUCTION_MODULE, plan.target)).toBe('0');
    });

    it('loads the generated rule without errors', async () => {
      const response = await fetch(`${prometheusUrl}/api/v1/rules`);
      const body = (await response.json()) as { data: { groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[] } };
      const group = body.data.groups.find((g) => g.name === plan.ruleGroup.name);
      expect(group?.rules.map((r) => [r.name, r.health, r.lastError ?? ''])).toEqual([[UPTIME_PROBE_ALERT, 'ok', '']]);
    });

    it('once the host stops answering, probe_success becomes 0 and the alert expression holds', async () => {
      await new Promise<void>((resolve) => {
        server!.close(() => resolve());
        server!.closeAllConnections();
      });
      expect(await waitFor('probe_success to be 0', async () => ((await probeSuccess()) === '0' ? '0' : undefined))).toBe('0');
      const result = await waitFor('the alert expression to return a series', async () => {
        const samples = await query(alertExpr);
        return samples.length > 0 ? samples : undefined;
      });
      // `last_over_time` keeps the metric name in Prometheus 2; alerts drop it either way.
      expect(result.map(({ metric: { __name__: _name, ...labels } }) => labels)).toEqual([{ ...plan.targetLabels, instance: plan.target, job: plan.jobName }]);
      expect(result.map((s) => s.value[1])).toEqual(['0']);
      const pending = await waitFor('the alert to be pending', async () => {
        const samples = await query(`ALERTS{alertname="${UPTIME_PROBE_ALERT}"}`);
        return samples.length > 0 ? samples : undefined;
      });
      expect(pending.map((s) => [s.metric.alertstate, s.metric.severity, s.metric.service])).toEqual([['pending', plan.severity, 'checkout']]);
    });
  });
});
