import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { Server, createServer } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { Probe } from '../../lib/imports/monitoring-probes-monitoring.coreos.com';
import { renderRuleFile } from '../../lib/prometheus/render';
import { toYaml } from '../../lib/private/yaml';
import { UPTIME_PROBE_ALERT, UptimeProbePlan, blackboxConfig, blackboxSettings, probeProps, uptimeProbePlan } from '../../lib/uptime';
import { InstantSample, PrometheusServer, ServerProcess, freePort, startPrometheus, waitFor } from '../support/servers';
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

describeWithTool('prometheus', 'the uptime probe against a real blackbox exporter and Prometheus', () => {
  describeWithTool(EXPORTER, 'on 127.0.0.1', () => {
    let dir: string;
    let server: Server | undefined;
    let exporter: ServerProcess | undefined;
    let prometheus: PrometheusServer;
    let plan: UptimeProbePlan;
    let alertExpr: string;
    let exporterUrl: string;

    /** probe_success of one probe the exporter runs right now with a module and target. */
    const probeNow = async (module: string, target: string): Promise<string | undefined> => {
      const response = await fetch(`${exporterUrl}/probe?module=${encodeURIComponent(module)}&target=${encodeURIComponent(target)}`);
      return /^probe_success (\S+)$/m.exec(await response.text())?.[1];
    };

    const query = (expr: string): Promise<InstantSample[]> => prometheus.vector(expr);
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
      const exporterPort = await freePort();

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
      exporter = new ServerProcess(EXPORTER, ['--config.file', join(dir, 'blackbox.yml'), '--web.listen-address', `127.0.0.1:${exporterPort}`]);

      const rules = renderRuleFile([plan.ruleGroup]);
      const rule = (parse(rules) as { groups: { rules: { alert: string; expr: string }[] }[] }).groups[0].rules.find((r) => r.alert === UPTIME_PROBE_ALERT);
      alertExpr = rule!.expr;

      // The Probe as synthesized, turned into the scrape job prometheus-operator would generate.
      const chart = Testing.chart();
      new Probe(chart, 'probe', probeProps(plan));
      const [manifest] = Testing.synth(chart) as ProbeManifest[];
      const scrape = probeScrapeConfig(manifest, { scrape_interval: '1s', scrape_timeout: '1s' });
      prometheus = await startPrometheus({
        configYaml: toYaml({ global: { scrape_interval: '1s', evaluation_interval: '1s' }, rule_files: ['uptime.rules.yaml'], scrape_configs: [scrape] }),
        ruleFiles: { 'uptime.rules.yaml': rules },
        checkConfig: true,
        readyTimeoutMs: WAIT_MS,
      });
      await exporter.waitFor('the blackbox exporter to be ready', async () => ((await fetch(`${exporterUrl}/-/healthy`)).ok ? true : undefined), WAIT_MS);
    }, 2 * WAIT_MS);

    afterAll(async () => {
      await prometheus?.stop();
      await exporter?.stop();
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server?.listening ? server.close(() => resolve()) : resolve()));
      rmSync(dir, { recursive: true, force: true });
    });

    it('probes the host through the exporter: probe_success is 1, labelled as the alert selects it', async () => {
      expect(await waitFor('probe_success to be 1', async () => ((await probeSuccess()) === '1' ? '1' : undefined), WAIT_MS)).toBe('1');
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
      const rules = await prometheus.api<{ groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[] }>('/api/v1/rules');
      const group = rules.groups.find((g) => g.name === plan.ruleGroup.name);
      expect(group?.rules.map((r) => [r.name, r.health, r.lastError ?? ''])).toEqual([[UPTIME_PROBE_ALERT, 'ok', '']]);
    });

    it('once the host stops answering, probe_success becomes 0 and the alert expression holds', async () => {
      await new Promise<void>((resolve) => {
        server!.close(() => resolve());
        server!.closeAllConnections();
      });
      expect(await waitFor('probe_success to be 0', async () => ((await probeSuccess()) === '0' ? '0' : undefined), WAIT_MS)).toBe('0');
      const result = await waitFor('the alert expression to return a series', async () => {
        const samples = await query(alertExpr);
        return samples.length > 0 ? samples : undefined;
      }, WAIT_MS);
      // `last_over_time` keeps the metric name in Prometheus 2; alerts drop it either way.
      expect(result.map(({ metric: { __name__: _name, ...labels } }) => labels)).toEqual([{ ...plan.targetLabels, instance: plan.target, job: plan.jobName }]);
      expect(result.map((s) => s.value[1])).toEqual(['0']);
      const pending = await waitFor('the alert to be pending', async () => {
        const samples = await query(`ALERTS{alertname="${UPTIME_PROBE_ALERT}"}`);
        return samples.length > 0 ? samples : undefined;
      }, WAIT_MS);
      expect(pending.map((s) => [s.metric.alertstate, s.metric.severity, s.metric.service])).toEqual([['pending', plan.severity, 'checkout']]);
    });
  });
});
