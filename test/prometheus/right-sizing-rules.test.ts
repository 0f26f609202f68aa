import { Testing } from 'cdk8s';
import {
  AlertingRule,
  CONTAINER_SERIES,
  RIGHT_SIZING_ALERTS,
  RIGHT_SIZING_RECORDS,
  RecordingRule,
  alertLinks,
  containerSeries,
  isAlertingRule,
  rightSizingRuleGroup,
  rightSizingRuleGroupName,
  serviceRuleGroups,
} from '../../lib/prometheus';
import { serviceDashboardPlan } from '../../lib/dashboards';
import { serviceOutputs } from '../../lib/k8s/service-outputs';
import { ServiceChart } from '../../lib/k8s';
import { promqlErrors } from '../../lib/promql';
import { resolveEnvironment } from '../../lib/definition';
import { service as serviceInput } from '../fixtures/definitions';
import { RULES_PLATFORM as platform, ruleService, rulesPlatform } from '../fixtures/prometheus';

const checkout = ruleService('checkout');
const group = rightSizingRuleGroup(platform, checkout)!;
const records = group.rules.filter((r): r is RecordingRule => !isAlertingRule(r));
const alerts = group.rules.filter(isAlertingRule);
const alert = (name: string, resource: string): AlertingRule => alerts.find((a) => a.alert === name && a.labels.resource === resource)!;

describe('the right-sizing rule group', () => {
  it('is the service group evaluated every 5 minutes, after the symptoms, in every output that reads the service groups', () => {
    expect(group.name).toBe('checkout-right-sizing');
    expect(group.interval).toBe('5m');
    expect(serviceRuleGroups(platform, checkout).map((g) => g.name)).toEqual(['checkout-slo-availability', 'checkout-slo-latency', 'checkout-symptoms', 'checkout-right-sizing']);
    expect(serviceOutputs(platform, checkout).ruleGroups.map((g) => g.name)).toContain('checkout-right-sizing');
    const chart = new ServiceChart(Testing.app(), 'checkout', { platform, service: checkout });
    const rule = Testing.synth(chart).find((o) => o.kind === 'PrometheusRule') as { spec: { groups: { name: string; interval?: string }[] } };
    expect(rule.spec.groups.find((g) => g.name === 'checkout-right-sizing')?.interval).toBe('5m');
  });

  it('records first the busiest pod over 5 minutes, then the 7-day p95 and maximum over that record, then requests and limits', () => {
    expect(records.map((r) => `${r.record} ${r.labels?.resource ?? ''}`.trim())).toEqual([
      `${RIGHT_SIZING_RECORDS.usage} cpu`,
      `${RIGHT_SIZING_RECORDS.usage} memory`,
      RIGHT_SIZING_RECORDS.p95,
      RIGHT_SIZING_RECORDS.max,
      RIGHT_SIZING_RECORDS.requests,
      RIGHT_SIZING_RECORDS.limits,
    ]);
    expect(records[2].expr).toBe('quantile_over_time(0.95, service:container_resource_usage:max5m{namespace="payments", service="checkout"}[7d])');
    expect(records[3].expr).toBe('max_over_time(service:container_resource_usage:max5m{namespace="payments", service="checkout", resource="memory"}[7d])');
    for (const r of records) expect(r.labels?.service).toBe('checkout');
    // Only the first level reads raw series; the 7-day ranges read the record.
    for (const r of records.filter((x) => x.expr.includes('[7d]'))) expect(r.expr).not.toMatch(/container_(cpu|memory)_/);
  });

  it('reads the containers with the very selectors of the dashboard USE panels and the symptom alerts, in the service namespace', () => {
    const cpu = containerSeries(CONTAINER_SERIES.cpuUsage, checkout);
    const memory = containerSeries(CONTAINER_SERIES.memoryWorkingSet, checkout);
    expect(cpu).toBe('container_cpu_usage_seconds_total{namespace="payments", container="checkout"}');
    expect(records[0].expr).toBe(`max by (namespace) (sum by (namespace, pod) (rate(${cpu}[5m])))`);
    expect(records[1].expr).toBe(`max by (namespace) (max_over_time(${memory}[5m]))`);
    const use = serviceDashboardPlan(platform, checkout).rows.find((r) => r.title.startsWith('USE'))!;
    const panelQueries = use.panels.flatMap((p) => p.queries.map((q) => q.expr));
    expect(panelQueries.some((q) => q.includes(containerSeries(CONTAINER_SERIES.cpuUsage, { name: 'checkout', namespace: '$namespace' })))).toBe(true);
    expect(panelQueries.some((q) => q.includes(containerSeries(CONTAINER_SERIES.memoryWorkingSet, { name: 'checkout', namespace: '$namespace' })))).toBe(true);
    const saturated = serviceRuleGroups(platform, checkout).flatMap((g) => g.rules).find((r) => isAlertingRule(r) && r.alert === 'ServiceCpuSaturated');
    expect(saturated?.expr).toContain(cpu);
  });

  it('fires ServiceOverProvisioned per resource when the request exceeds factor × the p95, once a day of usage is recorded, as low with the links of every alert', () => {
    for (const resource of ['cpu', 'memory']) {
      const rule = alert(RIGHT_SIZING_ALERTS.overProvisioned, resource);
      expect(rule.expr).toBe(
        `service:container_resource_requests:max{namespace="payments", service="checkout", resource="${resource}"}\n> on (namespace, service, resource)\n` +
          `2 * service:container_resource_usage:p95_7d{namespace="payments", service="checkout", resource="${resource}"}\n` +
          `and on (namespace, service, resource)\nservice:container_resource_usage:max5m{namespace="payments", service="checkout", resource="${resource}"} offset 1d`,
      );
      expect(rule.for).toBe('1h');
      expect(rule.labels).toEqual({ resource, namespace: 'payments', service: 'checkout', severity: 'low', team: 'payments' });
      expect(rule.annotations).toMatchObject(alertLinks(platform, checkout, RIGHT_SIZING_ALERTS.overProvisioned));
      expect(rule.annotations.runbook_url).toBe('https://runbooks.example.com/shop/prod/services/checkout/alerts/service-over-provisioned.md');
    }
    expect(alert(RIGHT_SIZING_ALERTS.overProvisioned, 'cpu').annotations.description).toContain('The CPU request of checkout in payments (500m in the definition) is more than 2 times');
    expect(alert(RIGHT_SIZING_ALERTS.overProvisioned, 'memory').annotations.summary).toBe('checkout: the memory request is more than 2 times the 7-day p95 usage');
  });

  it('fires ServiceMemoryNearLimit as medium when the busiest pod holds more than the threshold of its limit for 15 minutes', () => {
    const rule = alert(RIGHT_SIZING_ALERTS.memoryNearLimit, 'memory');
    expect(rule.expr).toBe(
      'service:container_resource_usage:max5m{namespace="payments", service="checkout", resource="memory"}\n/ on (namespace, service, resource)\n' +
        'service:container_resource_limits:max{namespace="payments", service="checkout", resource="memory"}\n> 0.9',
    );
    expect(rule.for).toBe('15m');
    expect(rule.labels.severity).toBe('medium');
    expect(rule.annotations).toMatchObject(alertLinks(platform, checkout, RIGHT_SIZING_ALERTS.memoryNearLimit));
    expect(rule.annotations.summary).toBe('checkout: memory above 90% of the limit');
  });

  it('takes the factor and the threshold of the service in its environment', () => {
    const p = rulesPlatform(serviceInput({ rightSizing: { factor: 3.5, memoryNearLimitPercent: 85 } }));
    const g = rightSizingRuleGroup(p, resolveEnvironment(p, 'checkout', 'prod'))!;
    const exprs = g.rules.filter(isAlertingRule).map((r) => r.expr);
    expect(exprs[0]).toContain('\n3.5 * service:container_resource_usage:p95_7d{');
    expect(exprs[2]).toMatch(/\n> 0\.85$/);
  });

  it('is left out where right-sizing is turned off, in every output', () => {
    const p = rulesPlatform(serviceInput({ environments: { dev: { rightSizing: { enabled: false } } } }));
    const dev = resolveEnvironment(p, 'checkout', 'dev');
    expect(rightSizingRuleGroup(p, dev)).toBeUndefined();
    expect(serviceRuleGroups(p, dev).map((g) => g.name)).not.toContain(rightSizingRuleGroupName(dev));
    expect(serviceDashboardPlan(p, dev).rows.map((r) => r.title)).not.toContain('Right-sizing');
    expect(serviceRuleGroups(p, resolveEnvironment(p, 'checkout', 'prod')).map((g) => g.name)).toContain('checkout-right-sizing');
  });

  it('writes only PromQL that parses', () => {
    for (const rule of group.rules) expect([rule.expr, promqlErrors(rule.expr)]).toEqual([rule.expr, []]);
  });
});
