import { App, Testing } from 'cdk8s';
import { ServiceChart, renderLokiRuleFile, resolveEnvironment, serviceOutputs } from '../../lib';
import { BASE_SERVICE, testPlatform } from '../fixtures/services';
import { schemaProblems } from '../support/schema';

const LOG_ALERT = { alert: 'OrdersErrorLogBurst', expr: 'sum(rate({app="orders"} |= "error" [5m])) > 1', severity: 'medium' as const, summary: 'Orders logs errors' };

function chartOf(input: Partial<typeof BASE_SERVICE> & Record<string, unknown>): { chart: ServiceChart; objects: { kind: string; metadata: { name: string; namespace?: string } }[] } {
  const platform = testPlatform({ ...BASE_SERVICE, ...input });
  const chart = new ServiceChart(Testing.app(), 'orders', { platform, service: resolveEnvironment(platform, 'orders', 'prod') });
  return { chart, objects: Testing.synth(chart) as never };
}

describe('ServiceChart', () => {
  it('holds the blackbox Probe of a public host and its alert in the PrometheusRule', () => {
    const { chart, objects } = chartOf({ gcp: { project: 'shop-prod-1234', publicHost: 'orders.example.com' } });
    expect(objects.filter((o) => o.kind === 'Probe').map((o) => o.metadata.name)).toEqual(['orders']);
    expect(chart.uptimeProbe.probe).toBeDefined();
    expect(chart.sloAlertPolicy?.groups.map((g) => g.name)).toContain('orders-uptime');
    expect(objects.flatMap((o) => schemaProblems(o as never))).toEqual([]);
  });

  it('holds no Probe without a public host', () => {
    const { chart, objects } = chartOf({});
    expect(objects.some((o) => o.kind === 'Probe')).toBe(false);
    expect(chart.sloAlertPolicy?.groups.some((g) => g.name.endsWith('-uptime'))).toBe(false);
  });

  it('holds the Loki ruler ConfigMap of its log alerts in the monitoring namespace, and none without log alerts', () => {
    const { chart, objects } = chartOf({ logAlerts: [LOG_ALERT] });
    const configMaps = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-loki-rules'));
    expect(configMaps.map((o) => o.metadata.namespace)).toEqual(['monitoring']);
    expect(chart.lokiRules).toBeDefined();
    expect(chartOf({}).chart.lokiRules).toBeUndefined();
    expect(objects.flatMap((o) => schemaProblems(o as never))).toEqual([]);
  });

  it('uses the groups it is given, so synthesis builds them once', () => {
    const platform = testPlatform({ ...BASE_SERVICE, logAlerts: [LOG_ALERT] });
    const service = resolveEnvironment(platform, 'orders', 'prod');
    const built = serviceOutputs(platform, service);
    // Every group but the symptoms, which no panel reads: the dashboard is checked against the groups given.
    const given = built.ruleGroups.filter((g) => !g.name.endsWith('-symptoms'));
    expect(given.length).toBeLessThan(built.ruleGroups.length);
    const chart = new ServiceChart(new App(), 'orders', { platform, service, ruleGroups: given, logRuleGroups: built.logRuleGroups });
    expect(chart.sloAlertPolicy?.groups).toEqual(given);
    const data = (Testing.synth(chart) as { kind: string; metadata: { name: string }; data?: Record<string, string> }[]).find((o) => o.metadata.name.endsWith('-loki-rules'))?.data ?? {};
    expect(Object.values(data)).toEqual([renderLokiRuleFile(built.logRuleGroups)]);
  });

  it('holds the service dashboard its alerts link to, in the dashboards namespace, unless switched off', () => {
    const { chart, objects } = chartOf({});
    const dashboards = objects.filter((o) => o.kind === 'ConfigMap' && (o.metadata as { labels?: Record<string, string> }).labels?.grafana_dashboard === '1');
    expect(dashboards.map((o) => o.metadata.namespace)).toEqual(['monitoring']);
    expect(JSON.parse(chart.dashboard!.json).uid).toBe('acme_prod_orders');
    const platform = testPlatform(BASE_SERVICE);
    const off = new ServiceChart(Testing.app(), 'orders', { platform, service: resolveEnvironment(platform, 'orders', 'prod'), dashboard: false });
    expect(off.dashboard).toBeUndefined();
    expect((Testing.synth(off) as { kind: string }[]).some((o) => o.kind === 'ConfigMap')).toBe(false);
  });

  it('adds the rows and panels the dashboard hook gives', () => {
    const platform = testPlatform(BASE_SERVICE);
    const service = resolveEnvironment(platform, 'orders', 'prod');
    const plain = new ServiceChart(Testing.app(), 'orders', { platform, service });
    const extended = new ServiceChart(Testing.app(), 'orders', { platform, service, dashboard: { extend: (d) => d.addRow({ title: 'Business', panels: [] }), folder: 'shop-business' } });
    expect(extended.dashboard!.plan.rows.map((r) => r.title)).toEqual([...plain.dashboard!.plan.rows.map((r) => r.title), 'Business']);
    const folders = (chart: ServiceChart): unknown[] =>
      (Testing.synth(chart) as { kind: string; metadata: { annotations?: Record<string, string> } }[]).filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.annotations?.grafana_folder);
    expect(folders(extended)).toEqual(['shop-business']);
    expect(folders(plain)).toEqual(['shop']);
  });
});
