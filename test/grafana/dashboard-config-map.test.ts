import { Testing } from 'cdk8s';
import {
  CONFIG_MAP_LIMIT_BYTES,
  DASHBOARD_LABEL,
  DashboardConfigMap,
  FOLDER_ANNOTATION,
  FleetDashboard,
  ServiceDashboard,
  configMapDataBytes,
  dashboardConfigMapName,
  renderFleetDashboard,
  renderServiceDashboard,
} from '../../lib/grafana';
import { PanelPlan, SERVICE_ROWS, queries, serviceDashboardPlan, timeseries } from '../../lib/dashboards';
import { KubeObject, schemaProblems } from '../support/schema';
import { definitionErrorOf } from '../support/tools';
import { fleetRules, inEnv, rulesOf, shop } from '../dashboards/fixtures';

interface ConfigMap extends KubeObject {
  readonly metadata: KubeObject['metadata'] & { readonly annotations?: Record<string, string> };
  readonly data: Record<string, string>;
}

function synthOne(build: (chart: ReturnType<typeof Testing.chart>) => void): ConfigMap {
  const chart = Testing.chart();
  build(chart);
  const objects = Testing.synth(chart) as ConfigMap[];
  expect(objects).toHaveLength(1);
  return objects[0];
}

describe('dashboards as ConfigMaps for the Grafana sidecar', () => {
  const p = shop();
  const checkout = inEnv(p, 'checkout');
  const groups = rulesOf(p, checkout);

  it('puts a service dashboard in the monitoring namespace, labelled for the sidecar, in the team folder', () => {
    const map = synthOne((chart) => new ServiceDashboard(chart, 'dashboard', { platform: p, service: checkout, ruleGroups: groups }));
    expect(schemaProblems(map)).toEqual([]);
    expect(map).toMatchObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'dashboard.shop.prod.checkout',
        namespace: 'monitoring',
        labels: { [DASHBOARD_LABEL.name]: '1', 'app.kubernetes.io/name': 'checkout', 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/managed-by': 'ops-constructs', team: 'payments' },
        annotations: { [FOLDER_ANNOTATION]: 'payments' },
      },
    });
    expect(Object.keys(map.data)).toEqual(['shop_prod_checkout.json']);
    expect(map.data['shop_prod_checkout.json']).toBe(renderServiceDashboard(p, checkout, groups));
  });

  it('uses the namespace of platform.dashboards and the folder given', () => {
    const own = shop(undefined, { dashboards: { namespace: 'grafana' }, monitoringNamespace: 'observability' });
    const s = inEnv(own, 'checkout');
    const map = synthOne((chart) => new ServiceDashboard(chart, 'dashboard', { platform: own, service: s, ruleGroups: rulesOf(own, s), folder: 'Shop/Payments' }));
    expect(map.metadata.namespace).toBe('grafana');
    expect(map.metadata.annotations?.[FOLDER_ANNOTATION]).toBe('Shop/Payments');
    const defaulted = shop(undefined, { monitoringNamespace: 'observability' });
    const d = inEnv(defaulted, 'checkout');
    expect(synthOne((chart) => new ServiceDashboard(chart, 'dashboard', { platform: defaulted, service: d, ruleGroups: rulesOf(defaulted, d) })).metadata.namespace).toBe('observability');
  });

  it('refuses a folder the sidecar cannot write', () => {
    for (const folder of ['../etc', '', 'a//b', '/abs', 'a/./b', 'team\nname']) {
      expect(definitionErrorOf(() => synthOne((chart) => new ServiceDashboard(chart, 'dashboard', { platform: p, service: checkout, ruleGroups: groups, folder })))).toContain(
        '[test/dashboard/ConfigMap] folder: must be a relative folder path',
      );
    }
  });

  it('adds the panels of the hook to the ConfigMap, checked', () => {
    const cart = timeseries({ key: 'custom/cart', title: 'Cart size', question: 'How full are carts?', queries: queries({ expr: 'avg(checkout_cart_items)', legend: 'items' }), width: 12, height: 8 });
    const dashboard = new ServiceDashboard(Testing.chart(), 'dashboard', { platform: p, service: checkout, ruleGroups: groups, extend: (d) => d.declareMetrics('checkout_cart_items').addPanels(SERVICE_ROWS.red, cart) });
    expect(dashboard.json).toContain('avg(checkout_cart_items)');
    expect(() => new ServiceDashboard(Testing.chart(), 'dashboard', { platform: p, service: checkout, ruleGroups: groups, extend: (d) => d.addPanels(SERVICE_ROWS.red, cart) })).toThrow(
      'reads metric checkout_cart_items, which the definition does not declare',
    );
  });

  it('fails a dashboard beyond the 1 MiB ConfigMap limit, naming it and its size', () => {
    const many: PanelPlan[] = Array.from({ length: 900 }, (_, i) =>
      timeseries({ key: `custom/${i}`, title: `Panel ${i}`, question: `What is ${'x'.repeat(900)}?`, queries: queries({ expr: 'sum(up{job="checkout"})', legend: 'up' }), width: 6, height: 4 }),
    );
    const message = definitionErrorOf(() => new ServiceDashboard(Testing.chart(), 'dashboard', { platform: p, service: checkout, ruleGroups: groups, extend: (d) => d.addRow({ title: 'Many', panels: many }) }));
    expect(message).toMatch(/dashboard shop_prod_checkout: must fit in a ConfigMap, at most 1048576 bytes \(1 MiB\) of data; it renders to \d+ bytes/);
    expect(CONFIG_MAP_LIMIT_BYTES).toBe(1048576);
  });

  it('counts ConfigMap data as the API server does: keys and UTF-8 values', () => {
    expect(configMapDataBytes({ 'a.json': 'é€' })).toBe(6 + 2 + 3);
    const plan = serviceDashboardPlan(p, checkout);
    expect(() => new DashboardConfigMap(Testing.chart(), 'x', { plan, json: 'x'.repeat(CONFIG_MAP_LIMIT_BYTES - `${plan.uid}.json`.length), name: 'x', namespace: 'monitoring' })).not.toThrow();
    expect(() => new DashboardConfigMap(Testing.chart(), 'x', { plan, json: 'x'.repeat(CONFIG_MAP_LIMIT_BYTES - `${plan.uid}.json`.length + 1), name: 'x', namespace: 'monitoring' })).toThrow(
      'must fit in a ConfigMap',
    );
  });

  it('names ConfigMaps by DNS labels joined with dots, so service and fleet dashboards never meet', () => {
    expect(dashboardConfigMapName('shop', 'prod', 'checkout')).toBe('dashboard.shop.prod.checkout');
    expect(dashboardConfigMapName('shop', 'prod')).toBe('dashboard.shop.prod');
    expect(dashboardConfigMapName('a-b', 'c')).not.toBe(dashboardConfigMapName('a', 'b-c'));
  });

  it('puts the fleet dashboard in the platform folder', () => {
    const map = synthOne((chart) => new FleetDashboard(chart, 'fleet', { platform: p, environment: 'prod', ruleGroups: fleetRules(p) }));
    expect(schemaProblems(map)).toEqual([]);
    expect(map.metadata).toMatchObject({ name: 'dashboard.shop.prod', namespace: 'monitoring', annotations: { [FOLDER_ANNOTATION]: 'shop' } });
    expect(map.data['shop_prod.json']).toBe(renderFleetDashboard(p, 'prod', fleetRules(p)));
  });
});
