/**
 * The rightsize command against a real Prometheus on 127.0.0.1: seven days of the first-level
 * right-sizing series (the busiest pod's usage every 5 minutes) and the kube-state-metrics
 * requests and limits, backfilled with `promtool tsdb create-blocks-from openmetrics`; the
 * services' generated rules evaluated by Prometheus at the present, where the series end; then
 * the command reads what the rules recorded over the HTTP API and suggests resources.
 */
import { spawnSync } from 'child_process';
import { CliIo, main } from '../../lib/cli';
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { PlatformDefinitionInput, ServiceDefinitionInput, defineService, definePlatform, resolveEnvironment } from '../../lib/definition';
import { RIGHT_SIZING_RECORDS, RuleGroup, renderRuleFile, rightSizingRuleGroupName, serviceRuleGroups } from '../../lib/prometheus';
import { PrometheusQueryError, RightSizingSuggestion, rightsize } from '../../lib/ops';
import { platform as platformInput, service, worker } from '../fixtures/definitions';
import { backfilledPrometheus } from '../support/backfilled-prometheus';
import { OpenMetricsSeries, gaugeSeries } from '../support/openmetrics';
import { freePort } from '../support/servers';
import { describeWithTool, scratchDir } from '../support/tools';

const ROOT = path.resolve(__dirname, '../..');
const MI = 2 ** 20;
/** The first level is recorded every 5 minutes: 2 016 samples in 7 days. */
const STEP = 300;
const WEEK = 2016;

/**
 * checkout: 7 days, the top 200 samples of CPU at 0.25 cores (the rest at 0.1) and of memory at
 * 400Mi (the rest at 200Mi, one at 500Mi). Prometheus's 0.95 quantile of 2 016 samples sits at
 * rank 0.95 × 2 015 = 1 914.25 of the sorted values, inside the top 200 (ranks 1 816 to 2 015):
 * p95 0.25 cores and 400Mi, maximum 500Mi. With 20% headroom: requests 300m and 480Mi; the
 * CPU limit keeps the definition's limit / request ratio of 2 (600m); the memory limit is
 * 500Mi × 1.2 = 600Mi.
 */
const CHECKOUT: ServiceDefinitionInput = service({ resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } } });
/** notifier: 2 days only, CPU 0.05 cores, memory 100Mi; its containers run with a CPU request of 200m where the definition says 100m. */
const NOTIFIER: ServiceDefinitionInput = worker();
/** catalog: nothing recorded. */
const CATALOG: ServiceDefinitionInput = service({ name: 'catalog', team: 'merchandising', image: 'registry.example.com/merchandising/catalog:2.3.0' });
/** search: right-sizing turned off. */
const SEARCH: ServiceDefinitionInput = service({ name: 'search', image: 'registry.example.com/payments/search:1.0.0', rightSizing: { enabled: false } });

const INPUT: PlatformDefinitionInput = platformInput({ services: [CHECKOUT, NOTIFIER, CATALOG, SEARCH] });
const PLATFORM = definePlatform({ ...INPUT, services: INPUT.services.map((s) => defineService(s as ServiceDefinitionInput)) });

/** `count` values of which the last `top` are `high` and the rest `low`, spread through time (not sorted). */
function plateau(count: number, top: number, low: number, high: number): number[] {
  return Array.from({ length: count }, (_, i) => (i % 10 === 3 && i / 10 < top ? high : low));
}

function syntheticSeries(end: number): OpenMetricsSeries[] {
  const times = (count: number): number[] => Array.from({ length: count }, (_, i) => end - (count - 1 - i) * STEP);
  const usage = (name: string, namespace: string, resource: string, values: readonly number[]): OpenMetricsSeries => {
    const t = times(values.length);
    return { metric: RIGHT_SIZING_RECORDS.usage, labels: { namespace, resource, service: name }, samples: values.map((v, i) => [t[i], v]) };
  };
  const checkoutMemory = plateau(WEEK, 200, 200 * MI, 400 * MI);
  checkoutMemory[WEEK - 7] = 500 * MI;
  // The last half hour of kube-state-metrics, every 30 seconds.
  const recent = Array.from({ length: 61 }, (_, i) => end - (60 - i) * 30);
  const ksm = (name: string, namespace: string, kind: 'requests' | 'limits', cpu: number, memory: number): OpenMetricsSeries[] => {
    const labels = { namespace, pod: `${name}-7d9f8c6b5-x2x4z`, container: name, job: 'kube-state-metrics' };
    const metric = `kube_pod_container_resource_${kind}`;
    return [gaugeSeries(metric, { ...labels, resource: 'cpu', unit: 'core' }, cpu, recent), gaugeSeries(metric, { ...labels, resource: 'memory', unit: 'byte' }, memory, recent)];
  };
  return [
    usage('checkout', 'payments', 'cpu', plateau(WEEK, 200, 0.1, 0.25)),
    usage('checkout', 'payments', 'memory', checkoutMemory),
    usage('notifier', 'payments', 'cpu', Array<number>(576).fill(0.05)),
    usage('notifier', 'payments', 'memory', Array<number>(576).fill(100 * MI)),
    ...ksm('checkout', 'payments', 'requests', 1, 1024 * MI),
    ...ksm('checkout', 'payments', 'limits', 2, 2048 * MI),
    ...ksm('notifier', 'payments', 'requests', 0.2, 128 * MI),
    ...ksm('notifier', 'payments', 'limits', 0.5, 256 * MI),
  ];
}

/** The services' rules as synthesis writes them, the right-sizing groups evaluated every second instead of every 5 minutes, so the test need not wait for their first evaluation. */
function ruleFile(): string {
  const groups: RuleGroup[] = PLATFORM.services.flatMap((s) => serviceRuleGroups(PLATFORM, resolveEnvironment(PLATFORM, s, 'prod')));
  return renderRuleFile(groups.map((g) => (g.name.endsWith('-right-sizing') ? { ...g, interval: '1s' } : g)));
}

const WAIT_MS = 60_000;

describeWithTool('promtool', 'the rightsize command on a real Prometheus', () => {
  describeWithTool('prometheus', 'seven days of recorded usage', () => {
    const scratch = scratchDir('rightsize-files');
    const prometheus = backfilledPrometheus(
      'rightsize',
      () => ({
        series: syntheticSeries(Math.floor(Date.now() / 1000 / 30) * 30),
        // Seven days of samples: Prometheus's own retention.
        retention: '15d',
        configYaml: 'global:\n  evaluation_interval: 1s\nrule_files:\n  - rules.yaml\n',
        ruleFiles: { 'rules.yaml': ruleFile() },
        readyWhen: { what: 'the 7-day percentiles, maxima, requests and limits', expr: `count(${RIGHT_SIZING_RECORDS.p95}) == 4 and count(${RIGHT_SIZING_RECORDS.max}) == 2 and count(${RIGHT_SIZING_RECORDS.limits}) == 4` },
      }),
      WAIT_MS,
    );

    const suggestionOf = (suggestions: readonly RightSizingSuggestion[], name: string): RightSizingSuggestion => {
      const found = suggestions.find((s) => s.service === name);
      if (found === undefined) throw new Error(`no suggestion for ${name}`);
      return found;
    };

    it('records the p95 and maximum the synthetic week gives, and suggests them plus 20% headroom in whole millicores and MiB', async () => {
      const { suggestions, skipped } = await rightsize({ platform: PLATFORM, prometheus: prometheus.url });
      expect(suggestions.map((s) => s.service)).toEqual(['catalog', 'checkout', 'notifier']);
      expect(skipped).toEqual(['search']);
      const checkout = suggestionOf(suggestions, 'checkout');
      expect(checkout.readings.p95).toEqual({ cpu: 0.25, memory: 400 * MI });
      expect(checkout.readings.max).toEqual({ memory: 500 * MI });
      expect(checkout.readings.historyHours).toBe(168);
      expect(checkout.suggested).toEqual({ requests: { cpu: '300m', memory: '480Mi' }, limits: { cpu: '600m', memory: '600Mi' } });
      expect(checkout.notes).toEqual(['resources also sizes dev, staging: set environments.prod.resources instead to change prod alone']);
    });

    it('prints a change whose new line pastes into a TypeScript or YAML definition that the library accepts', async () => {
      const { text } = await rightsize({ platform: PLATFORM, prometheus: prometheus.url, services: ['checkout'] });
      expect(text).toContain("--- checkout: resources\n+++ checkout: resources (suggested, 20% headroom)\n");
      expect(text).toContain("\n-resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } }\n");
      const added = text.split('\n').find((l) => l.startsWith('+resources: '))?.slice(1) ?? '';
      const fromYaml = (parseYaml(added) as { resources: unknown }).resources;
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      const fromTs = (new Function(`return { ${added} };`) as () => { resources: unknown })().resources;
      expect(fromTs).toEqual(fromYaml);
      expect(defineService(service({ resources: fromYaml })).resources).toEqual({ requests: { cpu: '300m', memory: '480Mi' }, limits: { cpu: '600m', memory: '600Mi' } });
    });

    it('says how much of the week a suggestion rests on, when the containers run with other requests, and when nothing was recorded', async () => {
      const { suggestions } = await rightsize({ platform: PLATFORM, prometheus: prometheus.url, environment: 'prod' });
      const notifier = suggestionOf(suggestions, 'notifier');
      expect(notifier.suggested).toEqual({ requests: { cpu: '60m', memory: '120Mi' }, limits: { cpu: '300m', memory: '120Mi' } });
      expect(notifier.notes).toEqual([
        'usage recorded for 48 of the last 168 hours: the suggestion covers those only',
        'the containers run with requests.cpu 200m, not what the definition gives: is its last synthesis applied?',
        'resources also sizes dev, staging: set environments.prod.resources instead to change prod alone',
      ]);
      const catalog = suggestionOf(suggestions, 'catalog');
      expect(catalog.suggested).toBeUndefined();
      expect(catalog.notes).toEqual(['no usage recorded over 7d: is catalog running in merchandising, and does this Prometheus evaluate its right-sizing rules?']);
    });

    it('makes ServiceOverProvisioned pending on both resources of checkout, whose requests are four and 2.56 times its p95', async () => {
      // The alerts come last in the group: wait for the evaluation that follows the records the suite waited for.
      const query = `ALERTS{alertname="ServiceOverProvisioned", service="checkout"}`;
      const alerts = await prometheus.waitFor('both alerts of checkout', async () => ((await prometheus.vector(query)).length >= 2 ? prometheus.vector(query) : undefined), 10_000);
      expect(alerts.map((a) => [a.metric.resource, a.metric.alertstate, a.metric.severity]).sort()).toEqual([
        ['cpu', 'pending', 'low'],
        ['memory', 'pending', 'low'],
      ]);
      const group = serviceRuleGroups(PLATFORM, resolveEnvironment(PLATFORM, 'checkout', 'prod')).find((g) => g.name === rightSizingRuleGroupName({ name: 'checkout' }));
      expect(group?.interval).toBe('5m');
    });

    it('runs as npm run rightsize with a platform file, printing what rightsize returns, in JSON too', async () => {
      const file = path.join(scratch(), 'platform.json');
      fs.writeFileSync(file, JSON.stringify(INPUT));
      const run = (...args: string[]) => spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'apps', 'rightsize.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      const diff = run('--platform', file, '--prometheus', prometheus.url, '--service', 'checkout', 'notifier');
      expect(diff.stderr).toBe('');
      expect(diff.status).toBe(0);
      const expected = await rightsize({ platform: PLATFORM, prometheus: prometheus.url, services: ['checkout', 'notifier'] });
      expect(diff.stdout).toBe(expected.text);
      const json = run('--platform', file, '--prometheus', prometheus.url, '--format', 'json');
      expect(json.status).toBe(0);
      const parsed = JSON.parse(json.stdout) as { environment: string; suggestions: RightSizingSuggestion[]; skipped: string[] };
      expect(parsed.environment).toBe('prod');
      expect(parsed.skipped).toEqual(['search']);
      expect(suggestionOf(parsed.suggestions, 'checkout').suggested?.requests).toEqual({ cpu: '300m', memory: '480Mi' });
    });

    it('runs as ops-constructs rightsize, the command npm run rightsize calls, with the same output', async () => {
      const file = path.join(scratch(), 'platform.json');
      fs.writeFileSync(file, JSON.stringify(INPUT));
      let stdout = '';
      let stderr = '';
      const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false, cwd: scratch() };
      const code = await main(['rightsize', '--definition', 'platform.json', '--prometheus', prometheus.url, '--env', 'prod', '--service', 'checkout,notifier'], io);
      expect([code, stderr]).toEqual([0, '']);
      expect(stdout).toBe((await rightsize({ platform: PLATFORM, prometheus: prometheus.url, services: ['checkout', 'notifier'] })).text);
      stdout = '';
      expect(await main(['rightsize', '-d', 'platform.json', '--prometheus', prometheus.url, '--service', 'nobody'], io)).toBe(2);
      expect(stderr).toBe('error: --service nobody: must be a service of platform shop (catalog, checkout, notifier, search)\n');
    });

    it('fails with the reason when Prometheus cannot be reached or refuses the query, and the command exits 1', async () => {
      const closed = `http://127.0.0.1:${await freePort()}`;
      await expect(rightsize({ platform: PLATFORM, prometheus: closed })).rejects.toThrow(PrometheusQueryError);
      await expect(rightsize({ platform: PLATFORM, prometheus: closed })).rejects.toThrow(`cannot reach Prometheus at ${closed}: `);
      await expect(rightsize({ platform: PLATFORM, prometheus: `${prometheus.url}/not-the-api` })).rejects.toThrow(PrometheusQueryError);
      const run = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'apps', 'rightsize.ts'), '--prometheus', closed], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`rightsize: cannot reach Prometheus at ${closed}: `);
    });
  });
});
