/**
 * Every panel query of a service's dashboards, run by a real Prometheus over synthetic series:
 * a few hours of the service's request counters and histogram, its custom SLI counters, and the
 * kube-state-metrics and cAdvisor series of its pods, backfilled with
 * `promtool tsdb create-blocks-from openmetrics`; the service's generated recording rules
 * evaluated by Prometheus at the present, where the series end. Each query must return data,
 * every value finite, and the SLO panels must show what the synthetic error ratios give.
 */
import { EffectiveService, PlatformDefinition } from '../../lib/definition';
import { parseMatchers } from '../../lib/promql/build';
import { RuleGroup } from '../../lib/prometheus/rule-group';
import { renderRuleFile } from '../../lib/prometheus/render';
import { SeriesId, goodLabels, satisfyingLabels } from '../../lib/prometheus/rule-tests/synthetic-series';
import {
  DashboardPlan,
  PlannedQuery,
  checkedFleetDashboardPlan,
  checkedServiceDashboardPlan,
  expandMacros,
  fleetMacroValues,
  plannedQueries,
  serviceMacroValues,
} from '../../lib/dashboards';
import { availability, service } from '../fixtures/definitions';
import { backfilledPrometheus } from '../support/backfilled-prometheus';
import { OpenMetricsSeries, counterSeries, gaugeSeries } from '../support/openmetrics';
import { InstantSample } from '../support/servers';
import { describeWithTool } from '../support/tools';
import { inEnv, rulesOf, shop } from '../dashboards/fixtures';

/** How far back the synthetic series reach, and their sample interval (the service's scrape interval). */
const HOURS = 3;
const STEP_SECONDS = 30;
/** When the new version replaced the old pods, before the end. */
const SWITCH_AGO_SECONDS = 3600;

/** The synthetic traffic: requests per second per track, and the share of each that fails or is slow. */
const TRAFFIC = Object.freeze({
  stableRate: 9,
  canaryRate: 1,
  errorRatio: 0.002,
  slowRatio: 0.02,
  paymentsRate: 2,
  paymentsErrorRatio: 0.001,
});

/** The latency histogram: the share of requests at or below each bucket bound (0.25 s, the SLO's, holds 1 - slowRatio). */
const CUMULATIVE: readonly [string, number][] = [
  ['0.005', 0.05],
  ['0.01', 0.1],
  ['0.025', 0.2],
  ['0.05', 0.4],
  ['0.1', 0.7],
  ['0.25', 1 - TRAFFIC.slowRatio],
  ['0.5', 0.995],
  ['1', 0.999],
  ['2.5', 1],
  ['5', 1],
  ['10', 1],
  ['+Inf', 1],
];

/** The values the SLO panels must show, from the synthetic ratios; and how close they must be. */
const EXPECTED = Object.freeze({
  availability: { attainment: 1 - TRAFFIC.errorRatio, budget: 1 - TRAFFIC.errorRatio / 0.005, burn: TRAFFIC.errorRatio / 0.005 },
  latency: { attainment: 1 - TRAFFIC.slowRatio, budget: 1 - TRAFFIC.slowRatio / 0.01, burn: TRAFFIC.slowRatio / 0.01 },
  payments: { attainment: 1 - TRAFFIC.paymentsErrorRatio, budget: 1 - TRAFFIC.paymentsErrorRatio / 0.01, burn: TRAFFIC.paymentsErrorRatio / 0.01 },
});
const TOLERANCE = 1e-6;

/** A counter growing at `rate` per second from a nonzero start, so `rate()` over any window is exact. */
function counter(id: SeriesId, rate: number, times: readonly number[]): OpenMetricsSeries {
  return counterSeries(id.metric, id.labels, rate, times, 3600);
}

function gauge(id: SeriesId, value: number, times: readonly number[]): OpenMetricsSeries {
  return gaugeSeries(id.metric, id.labels, value, times);
}

/** The synthetic series of a canary-delivered HTTP service with a custom SLI, ending at `end`. */
function syntheticSeries(s: EffectiveService, end: number): OpenMetricsSeries[] {
  const all = Array.from({ length: (HOURS * 3600) / STEP_SECONDS + 1 }, (_, i) => end - HOURS * 3600 + i * STEP_SECONDS);
  const switchAt = end - SWITCH_AGO_SECONDS;
  const scope = { job: s.name, namespace: s.namespace };
  const slo = s.slos.find((x) => x.kind === 'availability');
  const badMatchers = parseMatchers(slo?.kind === 'availability' ? slo.badSelector : '') ?? [];
  const bad = satisfyingLabels(scope, badMatchers) ?? scope;
  const good = goodLabels(bad, [], badMatchers) ?? scope;
  const series: OpenMetricsSeries[] = [];
  for (const [track, rate] of [
    ['stable', TRAFFIC.stableRate],
    ['canary', TRAFFIC.canaryRate],
  ] as const) {
    const labels = { track, pod: `${s.name}-${track}-0` };
    series.push(counter({ metric: s.metrics.requestsMetric, labels: { ...bad, ...labels } }, rate * TRAFFIC.errorRatio, all));
    series.push(counter({ metric: s.metrics.requestsMetric, labels: { ...good, ...labels } }, rate * (1 - TRAFFIC.errorRatio), all));
    for (const [le, share] of CUMULATIVE) series.push(counter({ metric: `${s.metrics.latencyMetric}_bucket`, labels: { ...scope, ...labels, le } }, rate * share, all));
    series.push(counter({ metric: `${s.metrics.latencyMetric}_count`, labels: { ...scope, ...labels } }, rate, all));
    series.push(counter({ metric: `${s.metrics.latencyMetric}_sum`, labels: { ...scope, ...labels } }, rate * 0.08, all));
  }
  series.push(counter({ metric: 'checkout_payments_total', labels: scope }, TRAFFIC.paymentsRate, all));
  series.push(counter({ metric: 'checkout_payments_succeeded_total', labels: scope }, TRAFFIC.paymentsRate * (1 - TRAFFIC.paymentsErrorRatio), all));
  // Three pods of the old image until the switch, three of the new one since.
  const versions = [
    { image: 'registry.example.com/payments/checkout:1.4.1', hash: '6d5f8', times: all.filter((t) => t < switchAt) },
    { image: s.image, hash: '7c9e1', times: all.filter((t) => t >= switchAt) },
  ];
  for (const { image, hash, times } of versions) {
    for (const n of [0, 1, 2]) {
      const pod = { namespace: s.namespace, pod: `${s.name}-${hash}-${n}` };
      const container = { ...pod, container: s.name };
      const ksm = { ...container, job: 'kube-state-metrics' };
      const cadvisor = { ...container, job: 'kubelet', metrics_path: '/metrics/cadvisor' };
      series.push(
        gauge({ metric: 'up', labels: { ...scope, pod: pod.pod } }, 1, times),
        gauge({ metric: 'kube_pod_container_info', labels: { ...ksm, image } }, 1, times),
        gauge({ metric: 'kube_pod_container_resource_requests', labels: { ...ksm, resource: 'cpu', unit: 'core' } }, 0.25, times),
        gauge({ metric: 'kube_pod_container_resource_limits', labels: { ...ksm, resource: 'cpu', unit: 'core' } }, 0.5, times),
        gauge({ metric: 'kube_pod_container_resource_requests', labels: { ...ksm, resource: 'memory', unit: 'byte' } }, 256 * 2 ** 20, times),
        gauge({ metric: 'kube_pod_container_resource_limits', labels: { ...ksm, resource: 'memory', unit: 'byte' } }, 512 * 2 ** 20, times),
        { metric: 'kube_pod_container_status_restarts_total', labels: ksm, samples: times.map((t) => [t, n === 0 && t > end - 1800 ? 1 : 0]) },
        counter({ metric: 'container_cpu_usage_seconds_total', labels: cadvisor }, 0.1, times),
        gauge({ metric: 'container_memory_working_set_bytes', labels: cadvisor }, 200 * 2 ** 20, times),
        counter({ metric: 'container_cpu_cfs_periods_total', labels: cadvisor }, 10, times),
        counter({ metric: 'container_cpu_cfs_throttled_periods_total', labels: cadvisor }, 0.5, times),
        gauge({ metric: 'container_oom_events_total', labels: cadvisor }, 0, times),
      );
    }
  }
  const hpa = { namespace: s.namespace, horizontalpodautoscaler: s.name, job: 'kube-state-metrics' };
  series.push(
    gauge({ metric: 'kube_horizontalpodautoscaler_status_current_replicas', labels: hpa }, 3, all),
    gauge({ metric: 'kube_horizontalpodautoscaler_status_desired_replicas', labels: hpa }, 3, all),
    gauge({ metric: 'kube_horizontalpodautoscaler_spec_max_replicas', labels: hpa }, s.autoscaling === false ? 0 : s.autoscaling.maxReplicas, all),
  );
  return series;
}

/** How long the suite may wait for Prometheus to start and evaluate the rules. */
const WAIT_MS = 45_000;

describeWithTool('promtool', 'panel queries on a real Prometheus', () => {
  describeWithTool('prometheus', 'every panel query of a service dashboard and its fleet', () => {
    const platform: PlatformDefinition = shop(
      [
        service({
          slos: [
            availability({ objective: 99.5 }),
            { kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25 },
            {
              kind: 'custom',
              name: 'payments',
              objective: 99,
              goodQuery: 'sum(rate(checkout_payments_succeeded_total[{{window}}]))',
              totalQuery: 'sum(rate(checkout_payments_total[{{window}}]))',
            },
          ],
          autoscaling: { minReplicas: 3, maxReplicas: 6 },
          delivery: { strategy: 'canary' },
        }),
      ],
      { dashboards: { tracesDatasource: 'tempo' }, loki: { datasource: 'loki' } },
    );
    const checkout = inEnv(platform, 'checkout');
    const groups: RuleGroup[] = rulesOf(platform, checkout);
    const dashboard = checkedServiceDashboardPlan(platform, checkout, groups);
    const fleet = checkedFleetDashboardPlan(platform, 'prod', { checkout: groups });
    let evaluatedAt = 0;

    const instant = (expr: string): Promise<InstantSample[]> => prometheus.vector(expr, evaluatedAt);
    /** The samples of an instant query whatever its type; a scalar or a string has none. */
    const instantSamples = async (expr: string): Promise<[number, string][]> => {
      const data = await prometheus.query(expr, evaluatedAt);
      return data.resultType === 'vector' ? data.result.map((s) => s.value) : data.resultType === 'matrix' ? data.result.flatMap((s) => s.values) : [];
    };

    const prometheus = backfilledPrometheus(
      'panels-prometheus',
      () => ({
        // Ending now, not at the last whole step: the rules start evaluating right after, and a rate
        // whose window ends more than 1.1 steps past the last sample is extrapolated short.
        series: syntheticSeries(checkout, Math.floor(Date.now() / 1000)),
        configYaml: 'global:\n  evaluation_interval: 1s\nrule_files:\n  - rules.yaml\n',
        // The right-sizing group runs every 5 minutes; here every second like the others, so its first evaluation comes at once.
        ruleFiles: { 'rules.yaml': renderRuleFile(groups.map((g) => ({ ...g, interval: undefined }))) },
        // Ready once the SLO records and the pending alerts of the first evaluations are there.
        readyWhen: {
          what: 'the recording rules and alerts',
          expr: 'count(slo:error_budget_remaining:ratio{service="checkout"}) == 3 and count(service:container_resource_usage:p95_7d{service="checkout"}) == 2 and count(ALERTS{service="checkout"}) > 0',
        },
        afterStart: async () => {
          // Two more evaluations, so every recorded series has more than one sample in range.
          await new Promise((r) => setTimeout(r, 2_500));
          evaluatedAt = Date.now() / 1000;
        },
      }),
      WAIT_MS,
    );

    /** Runs a planned query the way its panel does, its macros and variables set; returns every value. */
    async function run(plan: DashboardPlan, query: PlannedQuery): Promise<number[]> {
      const macros = plan === fleet ? fleetMacroValues(platform, 'prod') : serviceMacroValues(platform, checkout);
      const expr = expandMacros(query.expr, macros);
      if (query.where.startsWith('variable ')) {
        const variable = plan.variables.find((v) => `variable ${v.name}` === query.where);
        const name = variable?.kind === 'query' ? variable.labelName : '';
        const values = await prometheus.api<string[]>(`/api/v1/label/${name}/values`, { 'match[]': expr, start: String(evaluatedAt - HOURS * 3600), end: String(evaluatedAt) });
        expect(values).toContain(variable?.current);
        return [values.length];
      }
      const rangeQuery = query.panel === undefined || query.panel.queries.every((q) => q.instant !== true);
      const samples = rangeQuery ? (await prometheus.queryRange(expr, evaluatedAt - HOURS * 3600, evaluatedAt, 60)).flatMap((series) => series.values) : await instantSamples(expr);
      return samples.map(([, v]) => Number(v));
    }

    it('backfills, evaluates and answers every PromQL query of both dashboards with finite data', async () => {
      const promql = [dashboard, fleet].flatMap((plan) => plannedQueries(plan).filter((q) => q.language === 'promql').map((q) => ({ plan, q })));
      expect(promql.length).toBeGreaterThan(40);
      const empty: string[] = [];
      for (const { plan, q } of promql) {
        const values = await run(plan, q);
        if (values.length === 0 || values.some((v) => !Number.isFinite(v))) empty.push(`${plan.uid} ${q.where} (${q.path}): ${values.length === 0 ? 'no data' : `values ${values.join(', ')}`}\n  ${q.expr}`);
      }
      expect(empty).toEqual([]);
    });

    it('leaves only the LogQL queries, which Loki answers, out of the run', () => {
      const others = plannedQueries(dashboard).filter((q) => q.language !== 'promql');
      expect(others.map((q) => q.where)).toEqual(['Logs / Error log lines', 'Logs / Logs']);
    });

    it('shows the attainment, budget left and burn rate per tier the synthetic error ratios give', async () => {
      for (const [slo, expected] of Object.entries(EXPECTED)) {
        const panels = dashboard.rows[0].panels.filter((p) => p.key.startsWith(`overview/${slo}/`));
        expect(panels.map((p) => p.key.split('/')[2])).toEqual(['attainment', 'budget', 'burn-rate']);
        const [attainment, budget, burn] = panels;
        expect((await instant(attainment.queries[0].expr)).map((r) => Number(r.value?.[1]))).toEqual([expect.closeTo(expected.attainment, -Math.log10(TOLERANCE))]);
        expect((await instant(budget.queries[0].expr)).map((r) => Number(r.value?.[1]))).toEqual([expect.closeTo(expected.budget, -Math.log10(TOLERANCE))]);
        expect(burn.queries).toHaveLength(4);
        for (const tier of burn.queries) {
          expect((await instant(tier.expr)).map((r) => Number(r.value?.[1]))).toEqual([expect.closeTo(expected.burn, -Math.log10(TOLERANCE))]);
        }
      }
    });

    it('lists the alerts the latency burn makes pending or firing, and the fleet row of the service', async () => {
      const alerts = await instant(expandMacros(dashboard.rows[0].panels.find((p) => p.key === 'overview/alerts')?.queries[0].expr ?? '', serviceMacroValues(platform, checkout)));
      const names = alerts.map((a) => `${a.metric.alertname}/${a.metric.slo ?? ''}`).sort();
      expect(names).toEqual(expect.arrayContaining(['ServiceLatencyHigh/latency', 'SloErrorBudgetBurn/latency']));
      expect(names.some((n) => n.endsWith('/availability'))).toBe(false);
      const table = fleet.rows[0].panels[0];
      const value = async (refId: string): Promise<number> => Number((await instant(table.queries.find((q) => q.refId === refId)?.expr ?? ''))[0]?.value?.[1]);
      expect(await value('A')).toBe(3);
      expect(await value('B')).toBeCloseTo(EXPECTED.latency.attainment - 0.99, 6);
      expect(await value('C')).toBeCloseTo(EXPECTED.latency.budget, 6);
      expect(await value('D')).toBeCloseTo(EXPECTED.latency.burn, 6);
      const row = await instant(table.queries[0].expr);
      expect(row[0].metric).toMatchObject({ service: 'checkout', team: 'payments', dashboard_url: 'https://grafana.example.com/d/shop_prod_checkout?var-environment=prod&var-namespace=payments' });
    });

    it('shows how many times its p95 usage each request reserves, and the memory peak over the limit, from the pods of the series', async () => {
      const macros = serviceMacroValues(platform, checkout);
      const panel = (key: string): string => expandMacros(dashboard.rows.flatMap((r) => r.panels).find((p) => p.key === key)?.queries[0].expr ?? '', macros);
      // Each pod uses 0.1 cores of a 0.25 request and holds 200Mi of a 256Mi request and a 512Mi limit.
      const ratios = Object.fromEntries((await instant(panel('right-sizing/over-provisioning'))).map((r) => [r.metric.resource, Number(r.value?.[1])]));
      expect(ratios).toEqual({ cpu: expect.closeTo(2.5, 6), memory: expect.closeTo(256 / 200, 6) });
      expect(Number((await instant(panel('right-sizing/memory-peak')))[0].value?.[1])).toBeCloseTo(200 / 512, 6);
      // Recorded in real time from series that end when the test began: the first evaluations,
      // nearest their end, see a whole 5-minute window.
      const usage = (await prometheus.queryRange(panel('right-sizing/cpu'), evaluatedAt - 60, evaluatedAt, 1)).flatMap((series) => series.values ?? []).map(([, v]) => Number(v));
      expect(Math.max(...usage)).toBeCloseTo(0.1, 6);
    });

    it('shows the canary share, the running versions and the version change the series hold', async () => {
      const macros = serviceMacroValues(platform, checkout);
      const panel = (key: string): string => expandMacros(dashboard.rows.flatMap((r) => r.panels).find((p) => p.key === key)?.queries[0].expr ?? '', macros);
      expect(Number((await instant(panel('deployments/canary-weight')))[0].value?.[1])).toBeCloseTo(TRAFFIC.canaryRate / (TRAFFIC.canaryRate + TRAFFIC.stableRate), 6);
      expect((await instant(panel('deployments/versions'))).map((r) => [r.metric.image, r.value?.[1]])).toEqual([[checkout.image, '3']]);
      // From an hour after the series begin: at their very beginning every image is new.
      const marks = await prometheus.queryRange(expandMacros(dashboard.annotations[0].expr, macros), evaluatedAt - (HOURS - 1) * 3600, evaluatedAt, 60);
      expect(marks.map((m) => m.metric.image)).toEqual([checkout.image]);
      const first = Math.min(...(marks[0].values ?? []).map(([t]) => t));
      expect(Math.abs(first - (evaluatedAt - SWITCH_AGO_SECONDS))).toBeLessThan(120);
    });
  });
});
