/**
 * The smoke Job's script run for real: `sh` and `curl` on this machine send the synthesized
 * Job's requests, with the Job's own environment, to a small HTTP server that counts them as a
 * service's client library would; a real Prometheus scrapes it, its series labelled as the
 * ServiceMonitor labels a preview's pods; and the synthesized preview metrics judge what it
 * counted. The URL's host is the only thing changed: the cluster's preview Service becomes the
 * local server.
 */
import { ChildProcess, spawn } from 'child_process';
import * as http from 'http';
import { AddressInfo } from 'net';
import { Chart, Testing } from 'cdk8s';
import { ServiceDefinitionInput, resolveEnvironment } from '../../lib/definition';
import { AnalysisTemplate, CANARY_HASH_ARG, POD_TEMPLATE_HASH_LABEL, previewAnalysisPlan } from '../../lib/delivery';
import { BASE_SERVICE, testPlatform } from '../fixtures/services';
import { ArgoResult, MeasurementPhase, measurementPhase } from '../support/argo-expression';
import { KubeObject } from '../support/schema';
import { PrometheusServer, freePort, startPrometheus } from '../support/servers';
import { describeWithTool } from '../support/tools';
import { ANALYSIS_SLOS } from './fixtures';

const PATH = '/v1/products';

/** An HTTP service answering every GET with `status`, counting requests by code and a latency histogram, exposed at /metrics. */
class CountingServer {
  public readonly counted = new Map<string, number>();
  private readonly server: http.Server;

  constructor(private readonly status: number) {
    this.server = http.createServer((request, response) => {
      if (request.url === '/metrics') {
        response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(this.exposition());
        return;
      }
      const key = `${request.method} ${request.url} ${this.status}`;
      this.counted.set(key, (this.counted.get(key) ?? 0) + 1);
      response.writeHead(this.status).end();
    });
  }

  /** Starts listening on a free port of 127.0.0.1; resolves to the port. */
  public async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  public close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The counters as a Prometheus client library writes them: a labelled series only once it counted. */
  private exposition(): string {
    const total = [...this.counted.values()].reduce((a, b) => a + b, 0);
    const lines = ['# TYPE http_requests_total counter', ...(total > 0 ? [`http_requests_total{code="${this.status}"} ${total}`] : [])];
    lines.push('# TYPE http_request_duration_seconds histogram');
    for (const le of ['0.05', '0.1', '0.25', '+Inf']) lines.push(`http_request_duration_seconds_bucket{le="${le}"} ${total}`);
    lines.push(`http_request_duration_seconds_count ${total}`, `http_request_duration_seconds_sum ${total * 0.002}`);
    return `${lines.join('\n')}\n`;
  }
}

/** Runs the Job's command with its environment, `URL` pointed at `url`; resolves to its exit status and output. */
function runJob(command: readonly string[], env: Readonly<Record<string, string>>, url: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(command[0], command.slice(1), { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env, URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

interface TemplateMetric {
  readonly name: string;
  readonly successCondition: string;
  readonly failureCondition: string;
  readonly provider: {
    readonly prometheus?: { readonly query: string };
    readonly job?: { readonly spec: { readonly template: { readonly spec: { readonly containers: readonly { readonly command: string[]; readonly env: { name: string; value: string }[] }[] } } } };
  };
}

describeWithTool('curl', 'the smoke Job against a real HTTP server', () => {
  describeWithTool('prometheus', 'its requests counted, scraped by Prometheus and judged by the preview metrics', () => {
    const service: ServiceDefinitionInput = { ...BASE_SERVICE, slos: ANALYSIS_SLOS, delivery: { strategy: 'blue-green', smokeTraffic: { path: PATH, requests: 40, requestsPerSecond: 20 } } };
    const platform = testPlatform(service);
    const orders = resolveEnvironment(platform, 'orders', 'prod');
    const chart = new Chart(Testing.app(), 'prod-orders');
    new AnalysisTemplate(chart, 'preview', { plan: previewAnalysisPlan(platform, orders, { service: 'orders-preview', port: 80 }).template });
    const metrics = ((Testing.synth(chart) as KubeObject[])[0].spec as { metrics: TemplateMetric[] }).metrics;
    const container = metrics[0].provider.job?.spec.template.spec.containers[0];
    const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value]));
    const command = container?.command ?? [];

    const healthy = new CountingServer(200);
    const failing = new CountingServer(503);
    const HASHES = { healthy: '5c4b3a291', failing: '6d5c4b3a2' };
    const ports = { healthy: 0, failing: 0 };
    let prometheus: PrometheusServer;

    beforeAll(async () => {
      ports.healthy = await healthy.listen();
      ports.failing = await failing.listen();
      const target = (port: number, hash: string) => `      - targets: ['127.0.0.1:${port}']\n        labels: { namespace: ${orders.namespace}, ${POD_TEMPLATE_HASH_LABEL}: '${hash}' }\n`;
      prometheus = await startPrometheus({
        configYaml: `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: ${orders.name}\n    static_configs:\n${target(ports.healthy, HASHES.healthy)}${target(ports.failing, HASHES.failing)}`,
        checkConfig: true,
        extraArgs: ['--log.level=warn'],
        readyWhen: { what: 'both servers scraped', expr: `count(up{job="${orders.name}"} == 1) == 2` },
      });
    }, 60_000);

    afterAll(async () => {
      await prometheus?.stop();
      await healthy.close();
      await failing.close();
    });

    /** The preview metrics' phases for a hash, once Prometheus has scraped everything the Job sent. */
    async function judge(hash: string, sent: number): Promise<Record<string, MeasurementPhase>> {
      await prometheus.waitFor('the smoke requests scraped', async () => ((await prometheus.vector(`sum(http_request_duration_seconds_count{${POD_TEMPLATE_HASH_LABEL}="${hash}"}) >= ${sent}`)).length > 0 ? true : undefined), 15_000);
      const phases: Record<string, MeasurementPhase> = {};
      for (const m of metrics.filter((x) => x.provider.prometheus !== undefined)) {
        const data = await prometheus.query((m.provider.prometheus?.query ?? '').split(`{{args.${CANARY_HASH_ARG}}}`).join(hash));
        const result: ArgoResult = data.resultType === 'vector' ? data.result.map((s) => Number(s.value[1])) : Number.NaN;
        phases[m.name] = measurementPhase(m, result);
      }
      return phases;
    }

    it('sends exactly the requests of the definition to its path, and the preview metrics pass a healthy preview', async () => {
      expect(env).toMatchObject({ REQUESTS: '40', PAUSE_SECONDS: '0.05', MAX_UNANSWERED: '0', URL: `http://orders-preview.shop.svc:80${PATH}` });
      const run = await runJob(command, env, `http://127.0.0.1:${ports.healthy}${PATH}`);
      expect(run).toMatchObject({ status: 0, stderr: '' });
      expect(run.stdout).toBe(`smoke traffic: 40 requests to http://127.0.0.1:${ports.healthy}${PATH}, 0 unanswered\n`);
      expect(Object.fromEntries(healthy.counted)).toEqual({ [`GET ${PATH} 200`]: 40 });
      expect(await judge(HASHES.healthy, 40)).toEqual({ 'preview-error-ratio-availability': 'Successful', 'preview-latency-latency': 'Successful' });
    }, 60_000);

    it('succeeds on answered errors, which the preview metrics then fail', async () => {
      const run = await runJob(command, env, `http://127.0.0.1:${ports.failing}${PATH}`);
      expect(run.status).toBe(0);
      expect(await judge(HASHES.failing, 40)).toEqual({ 'preview-error-ratio-availability': 'Failed', 'preview-latency-latency': 'Successful' });
    }, 60_000);

    it('fails as soon as more requests go unanswered than the budget allows', async () => {
      const closed = await freePort();
      const run = await runJob(command, env, `http://127.0.0.1:${closed}${PATH}`);
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(`smoke traffic: 1 of 1 requests to http://127.0.0.1:${closed}${PATH} unanswered, more than the 0 allowed\n`);
      const tolerant = await runJob(command, { ...env, MAX_UNANSWERED: '2' }, `http://127.0.0.1:${closed}${PATH}`);
      expect(tolerant.stderr).toContain('3 of 3 requests');
    }, 60_000);

    it('waits for the server until the request timeout, then counts the request unanswered', async () => {
      const silent = http.createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      try {
        const run = await runJob(command, { ...env, TIMEOUT_SECONDS: '1' }, `http://127.0.0.1:${(silent.address() as AddressInfo).port}${PATH}`);
        expect(run.status).toBe(1);
        expect(run.stderr).toContain('1 of 1 requests');
      } finally {
        silent.closeAllConnections();
        await new Promise((resolve) => silent.close(resolve));
      }
    }, 60_000);
  });
});
