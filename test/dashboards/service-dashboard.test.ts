import { LOW_BUDGET_ALERT, BURN_RATE_ALERT, dashboardUid, dashboardUrl } from '../../lib/definition';
import { isAlertingRule } from '../../lib/prometheus/rule-group';
import { LOW_ERROR_BUDGET_REMAINING } from '../../lib/prometheus/sli';
import { DASHBOARD_DEFAULTS, SERVICE_ROWS, TRACK_LABEL, declaredMetrics, plannedQueries, serviceDashboardPlan } from '../../lib/dashboards';
import { availability, service } from '../fixtures/definitions';
import { API, LATENCY, inEnv, panel, panelsOf, rulesOf, shop } from './fixtures';

describe('the service dashboard plan', () => {
  const p = shop();
  const api = serviceDashboardPlan(p, inEnv(p, 'checkout'));
  const notifier = serviceDashboardPlan(p, inEnv(p, 'notifier'));
  const cart = serviceDashboardPlan(p, inEnv(p, 'cart'));

  it('gives an HTTP API the Overview, RED, USE, Right-sizing and Deployments rows, with per-SLO panels', () => {
    expect(api.rows.map((r) => r.title)).toEqual([SERVICE_ROWS.overview, SERVICE_ROWS.red, SERVICE_ROWS.use, SERVICE_ROWS.rightSizing, SERVICE_ROWS.deployments]);
    expect(panelsOf(api).map((x) => x.key)).toEqual([
      'overview/availability/attainment',
      'overview/availability/budget',
      'overview/availability/burn-rate',
      'overview/latency/attainment',
      'overview/latency/budget',
      'overview/latency/burn-rate',
      'overview/alerts',
      'red/requests',
      'red/errors/availability',
      'red/latency/latency',
      'use/cpu',
      'use/memory',
      'use/throttling',
      'use/restarts',
      'use/replicas',
      'right-sizing/cpu',
      'right-sizing/memory',
      'right-sizing/over-provisioning',
      'right-sizing/memory-peak',
      'deployments/versions',
    ]);
  });

  it('gives a worker its custom SLI instead of RED, and replicas from its Deployment without autoscaling', () => {
    expect(notifier.rows.map((r) => r.title)).toEqual([SERVICE_ROWS.overview, SERVICE_ROWS.sli, SERVICE_ROWS.use, SERVICE_ROWS.rightSizing, SERVICE_ROWS.deployments]);
    expect(panelsOf(notifier).map((x) => x.key)).toEqual(expect.arrayContaining(['sli/delivery/events', 'sli/delivery/errors']));
    expect(panelsOf(notifier).some((x) => x.key.startsWith('red/'))).toBe(false);
    expect(panel(notifier, 'sli/delivery/events').queries.map((q) => q.expr)).toEqual([
      'sum(rate(notifier_emails_attempted_total[$__rate_interval]))',
      'sum(rate(notifier_emails_sent_total[$__rate_interval]))',
    ]);
    expect(panel(notifier, 'use/replicas').queries.map((q) => q.expr).join('\n')).toContain('kube_deployment_spec_replicas{namespace="$namespace", deployment="notifier"}');
    expect(panel(api, 'use/replicas').queries.map((q) => q.legend)).toEqual(['current', 'desired', 'max']);
  });

  it('shows canary weight, error ratio and latency per track only for a canary-delivered HTTP service', () => {
    const canaryKeys = ['deployments/canary-weight', 'deployments/track-errors', 'deployments/track-latency'];
    expect(panelsOf(cart).map((x) => x.key)).toEqual(expect.arrayContaining(canaryKeys));
    expect(panelsOf(api).some((x) => canaryKeys.includes(x.key))).toBe(false);
    expect(panel(cart, 'deployments/canary-weight').queries[0].expr).toContain(`${TRACK_LABEL}="canary"`);
    expect(panel(cart, 'deployments/track-errors').queries[0].expr).toMatch(/^sum by \(track\)/);
    // defineService refuses a canary worker (no availability or latency SLO); the plan still draws no track panels for one.
    const canaryWorker = { ...inEnv(p, 'notifier'), delivery: inEnv(p, 'cart').delivery };
    expect(panelsOf(serviceDashboardPlan(p, canaryWorker)).some((x) => canaryKeys.includes(x.key))).toBe(false);
  });

  it('draws every threshold at the value of the SLO it stands for', () => {
    expect(panel(api, 'overview/availability/attainment').thresholds).toEqual([
      { value: null, color: 'red' },
      { value: 0.999, color: 'green' },
    ]);
    expect(panel(cart, 'overview/availability/attainment').thresholds?.[1].value).toBe(0.995);
    expect(panel(api, 'red/errors/availability').thresholds?.[1].value).toBe(0.001);
    expect(panel(cart, 'red/errors/availability').thresholds?.[1].value).toBe(0.005);
    expect(panel(api, 'red/latency/latency').thresholds?.[1].value).toBe(LATENCY.kind === 'latency' ? LATENCY.thresholdSeconds : NaN);
    expect(panel(api, 'red/latency/latency').thresholdLines).toBe(true);
    expect(panel(notifier, 'sli/delivery/errors').thresholds?.[1].value).toBe(0.01);
    expect(panel(api, 'overview/availability/budget').thresholds?.map((t) => t.value)).toEqual([null, 0, LOW_ERROR_BUDGET_REMAINING]);
    const burn = panel(api, 'overview/availability/burn-rate');
    expect(burn.overrides?.map((o) => o.thresholds?.[1].value)).toEqual([14.4, 6, 3, 1]);
    expect(burn.queries.map((q) => q.legend)).toEqual(['1h (critical above 14.4×)', '6h (high above 6×)', '1d (medium above 3×)', '3d (medium above 1×)']);
  });

  it('follows custom burn-rate tiers and periods', () => {
    const tiers = [{ budgetPercent: 5, longWindow: '2h', shortWindow: '10m', severity: 'high' as const }];
    const custom = shop([service({ slos: [availability({ period: '7d', burnRateTiers: tiers })] })]);
    const plan = serviceDashboardPlan(custom, inEnv(custom, 'checkout'));
    expect(panel(plan, 'overview/availability/burn-rate').overrides?.map((o) => o.thresholds?.[1].value)).toEqual([4.2]);
    expect(panel(plan, 'overview/availability/burn-rate').queries[0].expr).toContain('slo:sli_error:ratio_rate2h{');
    expect(panel(plan, 'overview/availability/attainment').queries[0].expr).toBe('1 - slo:sli_error:ratio_rate7d{service="checkout", slo="availability"}');
    const none = shop([service({ slos: [availability({ burnRateTiers: [] })] })]);
    expect(panel(serviceDashboardPlan(none, inEnv(none, 'checkout')), 'overview/availability/burn-rate').queries.map((q) => q.expr)).toEqual([
      'slo:sli_error:ratio_rate5m{service="checkout", slo="availability"} / slo:error_budget:ratio{service="checkout", slo="availability"}',
    ]);
  });

  it('links the SLO panels to the runbooks of their alerts, and the dashboard to the fleet', () => {
    expect(panel(api, 'overview/availability/burn-rate').links).toEqual([{ title: `Runbook: ${BURN_RATE_ALERT}`, url: 'https://runbooks.example.com/shop/prod/services/checkout/alerts/slo-error-budget-burn.md' }]);
    expect(panel(api, 'overview/latency/budget').links?.[0].title).toBe(`Runbook: ${LOW_BUDGET_ALERT}`);
    expect(api.links[0]).toEqual({ title: 'Fleet of prod', url: 'https://grafana.example.com/d/shop_prod?var-environment=prod' });
    expect(api.links[1]).toEqual({ title: 'Runbooks of checkout', url: 'https://runbooks.example.com/shop/prod/services/checkout/index.md' });
  });

  it('has a UID from the platform, environment and service, stable and distinct', () => {
    expect(api.uid).toBe('shop_prod_checkout');
    expect(api.uid).toBe(dashboardUid(inEnv(p, 'checkout')));
    expect(serviceDashboardPlan(p, inEnv(p, 'checkout'))).toEqual(api);
    expect(serviceDashboardPlan(p, inEnv(p, 'checkout', 'dev')).uid).toBe('shop_dev_checkout');
    const long = shop([service({ name: 'a-service-name-that-is-long-enough-to-be' })]);
    const uid = serviceDashboardPlan(long, inEnv(long, 'a-service-name-that-is-long-enough-to-be')).uid;
    expect(uid.length).toBeLessThanOrEqual(40);
    expect(uid).toMatch(/-[0-9a-f]{8}$/);
  });

  it("is what every alert's dashboard_url opens, with the variables the URL sets", () => {
    for (const name of ['checkout', 'notifier', 'cart']) {
      const s = inEnv(p, name);
      const plan = serviceDashboardPlan(p, s);
      const alerts = rulesOf(p, s).flatMap((g) => g.rules.filter(isAlertingRule));
      expect(alerts.length).toBeGreaterThan(0);
      for (const alert of alerts) {
        const url = new URL(alert.annotations.dashboard_url);
        expect(url.pathname).toBe(`/d/${plan.uid}`);
        for (const [key, value] of url.searchParams) {
          const variable = plan.variables.find((v) => `var-${v.name}` === key);
          expect(variable?.current).toBe(value);
        }
      }
      expect(dashboardUrl(p, s)).toBe(`https://grafana.example.com/d/${plan.uid}?var-environment=prod&var-namespace=payments`);
    }
  });

  it('has the datasource, environment and namespace variables, the datasource defaulting to the platform', () => {
    expect(api.variables.map((v) => [v.kind, v.name, v.current])).toEqual([
      ['datasource', 'datasource', 'prometheus'],
      ['custom', 'environment', 'prod'],
      ['query', 'namespace', 'payments'],
    ]);
    const own = shop([API], { dashboards: { prometheusDatasource: 'mimir-prod' } });
    expect(serviceDashboardPlan(own, inEnv(own, 'checkout')).variables[0].current).toBe('mimir-prod');
  });

  it('scopes raw series by the namespace variable and recorded series by service and SLO', () => {
    const queries = plannedQueries(api).filter((q) => q.panel !== undefined);
    for (const q of queries.filter((x) => x.expr.includes('_total') || x.expr.includes('container_'))) {
      expect(q.expr).toContain('namespace="$namespace"');
    }
    for (const q of queries.filter((x) => x.expr.includes('slo:'))) {
      expect(q.expr).toMatch(/service="checkout", slo="(availability|latency)"/);
    }
    expect(panel(api, 'red/requests').queries[0].expr).toBe('sum(rate(http_requests_total{job="checkout", namespace="$namespace"}[$__rate_interval]))');
  });

  it('draws p50, p95 and p99 from the histogram, with exemplars and a traces link only when a tracing datasource is declared', () => {
    const latency = panel(api, 'red/latency/latency');
    expect(latency.queries.map((q) => q.legend)).toEqual(['p50', 'p95', 'p99']);
    expect(latency.queries[2].expr).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="checkout", namespace="$namespace"}[$__rate_interval])))',
    );
    expect(latency.queries.some((q) => q.exemplar === true)).toBe(false);
    expect(latency.links).toBeUndefined();
    const traced = shop([API], { dashboards: { tracesDatasource: 'tempo' } });
    const withTraces = panel(serviceDashboardPlan(traced, inEnv(traced, 'checkout')), 'red/latency/latency');
    expect(withTraces.queries.every((q) => q.exemplar === true)).toBe(true);
    const link = decodeURIComponent(withTraces.links?.[0].url ?? '');
    expect(link).toContain('https://grafana.example.com/explore?left=');
    expect(link).toContain('"datasource":"tempo"');
    expect(link).toContain('{resource.service.name=\\"checkout\\"}');
  });

  it('shows logs and the error-log rate only when the platform declares Loki, by its labels', () => {
    expect(api.rows.some((r) => r.title === SERVICE_ROWS.logs)).toBe(false);
    expect(api.lokiDatasource).toBeUndefined();
    const logged = shop([API], { loki: { datasource: 'loki', namespaceLabel: 'k8s_namespace', appLabel: 'service_name' } });
    const plan = serviceDashboardPlan(logged, inEnv(logged, 'checkout'));
    const row = plan.rows[plan.rows.length - 1];
    expect(row.title).toBe(SERVICE_ROWS.logs);
    expect(row.collapsed).toBe(true);
    expect(plan.lokiDatasource).toBe('loki');
    expect(panel(plan, 'logs/lines')).toMatchObject({ kind: 'logs', language: 'logql', queries: [{ expr: '{k8s_namespace="$namespace", service_name="checkout"}' }] });
    expect(panel(plan, 'logs/error-rate').queries[0].expr).toMatch(/^sum\(rate\(\{k8s_namespace="\$namespace", service_name="checkout"\} \|~ .* \[\$__interval\]\)\)$/);
  });

  it('marks version changes and files the dashboard in the team folder with sorted tags', () => {
    expect(api.annotations[0].expr).toBe(
      'count by (image) (kube_pod_container_info{namespace="$namespace", container="checkout"})\nunless\ncount by (image) (kube_pod_container_info{namespace="$namespace", container="checkout"} offset 5m)',
    );
    expect(api.folder).toBe('payments');
    expect(api.tags).toEqual(['checkout', 'ops-constructs', 'payments', 'prod', 'shop']);
    expect(api.timeFrom).toBe(DASHBOARD_DEFAULTS.timeFrom);
    expect(api.description).toBe('Service checkout of team payments in prod: SLOs, RED, USE and deployments.');
    const described = shop([{ ...API, description: 'Takes payments.' }]);
    expect(serviceDashboardPlan(described, inEnv(described, 'checkout')).description).toBe('Takes payments.');
  });

  it('declares the request metrics of HTTP services and the metrics of custom SLIs', () => {
    expect(declaredMetrics(inEnv(p, 'checkout'))).toEqual([
      'http_request_duration_seconds_bucket',
      'http_request_duration_seconds_count',
      'http_request_duration_seconds_sum',
      'http_requests_total',
    ]);
    expect(declaredMetrics(inEnv(p, 'notifier'))).toEqual(['notifier_emails_attempted_total', 'notifier_emails_sent_total']);
  });

  it('gives a service without SLOs an Overview of its alerts only, and an error ratio over 5xx without a threshold', () => {
    const bare = shop([service({ slos: [] })]);
    const plan = serviceDashboardPlan(bare, inEnv(bare, 'checkout'));
    expect(plan.rows[0].panels.map((x) => x.key)).toEqual(['overview/alerts']);
    expect(panel(plan, 'red/errors').queries[0].expr).toContain('code=~"5.."');
    expect(panel(plan, 'red/errors').thresholds).toBeUndefined();
    expect(panel(plan, 'red/latency').thresholds).toBeUndefined();
  });
});
