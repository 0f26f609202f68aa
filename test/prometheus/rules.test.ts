import {
  AlertingRule,
  alertLabels,
  RecordingRule,
  RuleGroup,
  dashboardUrl,
  dashboardUid,
  firingLabels,
  fleetDashboardUid,
  isAlertingRule,
  kebabCase,
  renderRuleFile,
  runbookUrl,
  serviceRuleGroups,
} from '../../lib/prometheus';
import { PromqlError } from '../../lib/promql';
import { EffectiveService, Severity, defineService, definePlatform, resolveEnvironment } from '../../lib/definition';
import { RULES_PLATFORM as platform, ruleService as service } from '../fixtures/prometheus';

const alerts = (groups: readonly RuleGroup[], name?: string): AlertingRule[] =>
  groups.flatMap((g) => g.rules.filter(isAlertingRule)).filter((r) => name === undefined || r.alert === name);
const records = (group: RuleGroup): RecordingRule[] => group.rules.filter((r): r is RecordingRule => !isAlertingRule(r));

const checkout = service('checkout');
const checkoutGroups = serviceRuleGroups(platform, checkout);

describe('serviceRuleGroups', () => {
  it('gives one group per SLO, one of symptom alerts and one of right-sizing', () => {
    expect(checkoutGroups.map((g) => g.name)).toEqual(['checkout-slo-availability', 'checkout-slo-latency', 'checkout-symptoms', 'checkout-right-sizing']);
  });

  it('records the error ratio of every tier window, the guard rates, the period ratio and the budget series', () => {
    expect(records(checkoutGroups[0]).map((r) => r.record)).toEqual([
      'slo:sli_error:ratio_rate5m',
      'slo:sli_error:ratio_rate30m',
      'slo:sli_error:ratio_rate1h',
      'slo:sli_error:ratio_rate2h',
      'slo:sli_error:ratio_rate6h',
      'slo:sli_error:ratio_rate1d',
      'slo:sli_error:ratio_rate3d',
      'slo:requests:rate1h',
      'slo:requests:rate6h',
      'slo:requests:rate1d',
      'slo:requests:rate3d',
      'slo:sli_error:ratio_rate30d',
      'slo:objective:ratio',
      'slo:error_budget:ratio',
      'slo:error_budget_remaining:ratio',
    ]);
    for (const rule of records(checkoutGroups[0])) {
      expect(rule.labels).toEqual({ service: 'checkout', slo: 'availability', slo_kind: 'availability' });
    }
  });

  it('records no guard rates for an SLO without minRequestRate, and a 28d period ratio for a 28d SLO', () => {
    const names = records(checkoutGroups[1]).map((r) => r.record);
    expect(names.filter((n) => n.startsWith('slo:requests:'))).toEqual([]);
    const catalog = serviceRuleGroups(platform, service('catalog'));
    const period = records(catalog[0]).find((r) => r.record === 'slo:sli_error:ratio_rate28d');
    expect(period?.expr).toBe('avg_over_time(slo:sli_error:ratio_rate5m{service="catalog", slo="availability"}[28d])');
  });

  it('computes the remaining budget from the period ratio and the budget', () => {
    const remaining = records(checkoutGroups[0]).find((r) => r.record === 'slo:error_budget_remaining:ratio');
    expect(remaining?.expr).toBe('1 - slo:sli_error:ratio_rate30d{service="checkout", slo="availability"} / 0.001');
    expect(records(checkoutGroups[0]).find((r) => r.record === 'slo:objective:ratio')?.expr).toBe('vector(0.999)');
  });

  it('emits one burn-rate alert per tier with its severity, long window and for', () => {
    const burn = alerts([checkoutGroups[0]], 'SloErrorBudgetBurn');
    expect(burn.map((a) => [a.labels.severity, a.labels.long_window, a.for])).toEqual([
      ['critical', '1h', '1m'],
      ['high', '6h', '6m'],
      ['medium', '1d', '24m'],
      ['medium', '3d', '1h12m'],
    ]);
    expect(burn[0].labels).toEqual({ long_window: '1h', namespace: 'payments', severity: 'critical', slo: 'availability', team: 'payments' });
    expect(firingLabels(burn[0])).toEqual({ long_window: '1h', namespace: 'payments', service: 'checkout', severity: 'critical', slo: 'availability', slo_kind: 'availability', team: 'payments' });
  });

  it('leaves the service label of an SLO alert to the recorded series it selects, which carry it', () => {
    for (const group of checkoutGroups.filter((g) => g.name.includes('-slo-'))) {
      const recorded = group.rules.filter((r): r is RecordingRule => !isAlertingRule(r));
      for (const alert of group.rules.filter(isAlertingRule)) {
        expect(alert.labels.service).toBeUndefined();
        expect(alert.seriesLabels).toEqual({ service: 'checkout', slo: alert.labels.slo, slo_kind: expect.any(String) });
        // Every series the expression selects is recorded in the same group with those labels.
        const selected = [...alert.expr.matchAll(/(slo:[a-z_:]+[0-9a-z]*)\{([^}]*)\}/g)];
        expect(selected.length).toBeGreaterThan(0);
        for (const [, record, matchers] of selected) {
          expect(matchers).toBe(`service="checkout", slo="${alert.labels.slo}"`);
          const rule = recorded.find((r) => r.record === record);
          expect(rule?.labels).toEqual(alert.seriesLabels);
        }
      }
    }
  });

  it('requires both windows above factor × budget, and the request rate with a low-traffic guard', () => {
    const [page] = alerts([checkoutGroups[0]], 'SloErrorBudgetBurn');
    expect(page.expr).toBe(
      'slo:sli_error:ratio_rate1h{service="checkout", slo="availability"} > 0.0144\n' +
        'and\nslo:sli_error:ratio_rate5m{service="checkout", slo="availability"} > 0.0144\n' +
        'and\nslo:requests:rate1h{service="checkout", slo="availability"} >= 1',
    );
    const [latencyPage] = alerts([checkoutGroups[1]], 'SloErrorBudgetBurn');
    expect(latencyPage.expr).not.toContain('slo:requests:');
    expect(latencyPage.expr).toContain('> 0.144');
  });

  it('uses the 28-day factors for a 28-day SLO', () => {
    const burn = alerts(serviceRuleGroups(platform, service('catalog')), 'SloErrorBudgetBurn').filter((a) => a.labels.slo === 'availability');
    expect(burn.map((a) => /> ([0-9.]+)\n/.exec(a.expr)?.[1])).toEqual(['0.0672', '0.028', '0.014', '0.00466666666666']);
  });

  it('alerts at low severity when less than a quarter of the budget is left', () => {
    const [low] = alerts([checkoutGroups[0]], 'SloErrorBudgetLow');
    expect(low.expr).toBe('slo:error_budget_remaining:ratio{service="checkout", slo="availability"} < 0.25');
    expect(low.labels.severity).toBe('low');
  });

  it('gives every alert severity, service and team labels, links and whom to reach', () => {
    for (const alert of alerts(checkoutGroups)) {
      expect(Object.keys(firingLabels(alert))).toEqual(expect.arrayContaining(['severity', 'service', 'team']));
      expect(Object.keys(alert.annotations).sort()).toEqual(['dashboard_url', 'description', 'escalation', 'owners', 'runbook_url', 'summary']);
      expect(alert.annotations.runbook_url).toBe(`https://runbooks.example.com/shop/prod/services/checkout/alerts/${kebabCase(alert.alert)}.md`);
      expect(alert.annotations.dashboard_url).toBe('https://grafana.example.com/d/shop_prod_checkout?var-environment=prod&var-namespace=payments');
      expect(alert.annotations.owners).toBe('payments-team@example.com');
      expect(alert.annotations.escalation).toBe('payments-oncall@example.com, head-of-payments@example.com');
    }
  });

  it('leaves out whom to reach when the definition names nobody', () => {
    for (const alert of alerts(serviceRuleGroups(platform, service('notifier')))) {
      expect(Object.keys(alert.annotations).sort()).toEqual(['dashboard_url', 'description', 'runbook_url', 'summary']);
    }
  });

  it('builds links from the platform base URLs', () => {
    expect(runbookUrl(platform, checkout, 'ServiceHpaMaxedOut')).toBe('https://runbooks.example.com/shop/prod/services/checkout/alerts/service-hpa-maxed-out.md');
    expect(kebabCase('ServiceHPAMaxedOut')).toBe('service-hpa-maxed-out');
    expect(dashboardUrl(platform, checkout)).toBe(`https://grafana.example.com/d/shop_${checkout.environment}_checkout?var-environment=${checkout.environment}&var-namespace=payments`);
  });

  it('gives each service and environment its own dashboard UID, within Grafana\'s 40 characters', () => {
    const base = { platform: 'shop', environment: 'prod', name: 'checkout' };
    expect(dashboardUid(base)).toBe('shop_prod_checkout');
    expect(dashboardUid({ ...base, environment: 'staging' })).not.toBe(dashboardUid(base));
    expect(fleetDashboardUid({ name: 'shop' }, 'prod')).toBe('shop_prod');
    const long = { platform: 'p'.repeat(30), environment: 'e'.repeat(20), name: 's'.repeat(63) };
    const other = { ...long, name: `${'s'.repeat(62)}t` };
    expect(dashboardUid(long)).toHaveLength(40);
    expect(dashboardUid(long)).toMatch(/^[a-z_]{31}-[0-9a-f]{8}$/);
    expect(dashboardUid(other)).not.toBe(dashboardUid(long));
    expect(dashboardUid(long)).toBe(dashboardUid({ ...long }));
  });
});

describe('alert labels', () => {
  it('carry the namespace on every alert, which the namespace AlertmanagerConfig matches on', () => {
    for (const name of ['checkout', 'catalog', 'notifier']) {
      const s = service(name);
      const all = alerts(serviceRuleGroups(platform, s));
      expect(all.length).toBeGreaterThan(5);
      expect(all.filter((a) => a.labels.namespace !== s.namespace).map((a) => a.alert)).toEqual([]);
      expect(all.filter((a) => !a.labels.severity || !firingLabels(a).service || !a.labels.team).map((a) => a.alert)).toEqual([]);
    }
  });

  it('are alertLabels of the service and the alert severity, plus the SLO, the long window of a tier, the resource of a right-sizing alert, or nothing else', () => {
    expect(alertLabels(checkout, 'critical')).toEqual({ namespace: 'payments', service: 'checkout', severity: 'critical', team: 'payments' });
    for (const name of ['checkout', 'catalog', 'notifier']) {
      const s = service(name);
      for (const a of alerts(serviceRuleGroups(platform, s))) {
        const { long_window: _window, slo: _slo, slo_kind: _kind, resource: _resource, ...common } = firingLabels(a);
        expect(common).toEqual(alertLabels(s, common.severity as Severity));
      }
    }
  });

  it('keep the labels of the SLO alerts in name order, the order the PrometheusRule writes them in', () => {
    for (const a of alerts(checkoutGroups).filter((r) => r.alert.startsWith('Slo'))) {
      expect(Object.keys(a.labels)).toEqual(Object.keys(a.labels).sort());
    }
  });
});

describe('symptom alerts', () => {
  const names = (s: EffectiveService): string[] => alerts(serviceRuleGroups(platform, s).filter((g) => g.name.endsWith('-symptoms'))).map((a) => a.alert);

  it('covers errors, latency, availability, restarts, readiness, autoscaling and CPU of an HTTP service', () => {
    expect(names(checkout)).toEqual([
      'ServiceErrorRateHigh',
      'ServiceLatencyHigh',
      'ServiceDown',
      'ServiceCrashLooping',
      'ServicePodNotReady',
      'ServiceHpaMaxedOut',
      'ServiceCpuSaturated',
    ]);
  });

  it('leaves out the error rate of a service without port and the HPA alert without autoscaling', () => {
    expect(names(service('notifier', 'dev'))).toEqual(['ServiceDown', 'ServiceCrashLooping', 'ServicePodNotReady', 'ServiceCpuSaturated']);
  });

  it('scopes each expression to the service', () => {
    const byName = Object.fromEntries(alerts(checkoutGroups).map((a) => [a.alert, a]));
    expect(byName.ServiceDown.expr).toBe('max(up{job="checkout", namespace="payments"}) == 0\nor\nabsent(up{job="checkout", namespace="payments"})');
    expect(byName.ServiceDown.labels.severity).toBe('critical');
    expect(byName.ServiceDown.for).toBe('1m');
    expect(byName.ServiceLatencyHigh.expr).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="checkout", namespace="payments"}[5m])))\n> 0.3',
    );
    expect(byName.ServiceErrorRateHigh.keepFiringFor).toBe('5m');
    expect(byName.ServicePodNotReady.expr).toContain('pod=~"checkout-[a-z0-9]+(-[a-z0-9]+)?", condition="false"');
    expect(byName.ServiceCrashLooping.expr).toContain('kube_pod_container_status_restarts_total{namespace="payments", container="checkout"}[15m]');
    expect(byName.ServiceHpaMaxedOut.expr).toContain('horizontalpodautoscaler="checkout"');
    expect(byName.ServiceCpuSaturated.labels.severity).toBe('low');
    expect(byName.ServiceCpuSaturated.expr).toContain('resource="cpu"');
  });
});

/** A routing that drops every severity on purpose. */
const DROP_ALL = { critical: 'none', high: 'none', medium: 'none', low: 'none' } as const;

describe('PromQL checking', () => {
  // defineService already rejects such a query; the generator checks again what it emits, so a
  // service built without defineService (or a generator bug) cannot reach Prometheus either.
  const broken = (goodQuery: string): EffectiveService => {
    const worker = defineService({
      name: 'worker',
      team: 'payments',
      tier: 'low',
      image: 'registry.example.com/payments/worker:1.0.0',
      slos: [{ kind: 'custom', name: 'jobs', objective: 99, goodQuery: 'sum(rate(jobs_ok_total[{{window}}]))', totalQuery: 'sum(rate(jobs_total[{{window}}]))' }],
    });
    const p = definePlatform({ name: 'shop', environments: ['prod'], runbookBaseUrl: 'https://r.example.com', dashboardBaseUrl: 'https://g.example.com', prometheusUrl: 'http://p:9090', defaultAlertRouting: DROP_ALL, services: [worker] });
    const valid = resolveEnvironment(p, worker, 'prod');
    return { ...valid, slos: valid.slos.map((slo) => ({ ...slo, goodQuery })) } as EffectiveService;
  };

  it('is checked by the definition first', () => {
    expect(() =>
      defineService({
        name: 'worker',
        team: 'payments',
        tier: 'low',
        image: 'registry.example.com/payments/worker:1.0.0',
        slos: [{ kind: 'custom', name: 'jobs', objective: 99, goodQuery: 'sum(rate(jobs_ok_total[{{window}}])', totalQuery: 'sum(rate(jobs_total[{{window}}]))' }],
      }),
    ).toThrow('worker.slos[0].goodQuery: must be valid PromQL');
  });

  it('rejects a custom SLO query that does not parse, naming the rule and the expression', () => {
    const run = (): unknown => serviceRuleGroups(platform, broken('sum(rate(jobs_ok_total[{{window}}])'), { where: '[prod/worker]' });
    expect(run).toThrow(PromqlError);
    expect(run).toThrow(/^\[prod\/worker\] worker-slo-jobs\/slo:sli_error:ratio_rate5m: invalid PromQL at offset 92: unexpected end of expression/);
    expect(run).toThrow('(sum(rate(jobs_ok_total[5m]))');
  });

  it('accepts the same query once it parses', () => {
    expect(() => serviceRuleGroups(platform, broken('sum(rate(jobs_ok_total[{{window}}]))'))).not.toThrow();
  });
});

describe('renderRuleFile', () => {
  it('is deterministic and writes multi-line expressions as block literals', () => {
    const yaml = renderRuleFile(checkoutGroups);
    expect(renderRuleFile(serviceRuleGroups(platform, service('checkout')))).toBe(yaml);
    expect(yaml).toContain('      - record: slo:sli_error:ratio_rate5m\n        expr: |-\n          (\n            sum(rate(');
    expect(yaml).toContain('keep_firing_for: 5m');
    expect(yaml).not.toContain('keepFiringFor');
  });

  it('matches the reviewed snapshot of checkout in prod', () => {
    expect(renderRuleFile(checkoutGroups)).toMatchSnapshot();
  });
});
