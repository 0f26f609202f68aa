import fc from 'fast-check';
import { dashboardJson, fleetDashboardFile, renderDashboard, renderFleetDashboard, renderServiceDashboard, serviceDashboardFile, stableJson } from '../../lib/grafana';
import { fleetDashboardPlan, serviceDashboardPlan } from '../../lib/dashboards';
import { API, fleetRules, inEnv, panelsOf, rulesOf, shop } from '../dashboards/fixtures';

interface Target {
  readonly expr: string;
  readonly refId: string;
  readonly legendFormat?: string;
  readonly instant?: boolean;
  readonly range?: boolean;
  readonly format?: string;
  readonly exemplar?: boolean;
}
interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly description?: string;
  readonly gridPos: { x: number; y: number; w: number; h: number };
  readonly datasource?: { type: string; uid: string };
  readonly targets?: Target[];
  readonly panels?: Panel[];
  readonly collapsed?: boolean;
  readonly fieldConfig?: { defaults: Record<string, unknown>; overrides: { matcher: { id: string; options: string }; properties: { id: string; value: unknown }[] }[] };
  readonly options?: Record<string, unknown>;
  readonly transformations?: { id: string; options: Record<string, unknown> }[];
  readonly links?: { title: string; url: string }[];
}
interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly panels: Panel[];
  readonly templating: { list: { name: string; type: string; current: { value: string }; query?: unknown }[] };
  readonly annotations: { list: { name: string; expr?: string }[] };
  readonly editable: boolean;
  readonly time: { from: string; to: string };
}

/** Every panel of a dashboard, rows included, nested ones after their row. */
function allPanels(d: Dashboard): Panel[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

function byTitle(d: Dashboard, title: string): Panel {
  const found = allPanels(d).find((x) => x.title === title);
  if (found === undefined) throw new Error(`no panel ${title}`);
  return found;
}

describe('the Grafana rendering of a dashboard plan', () => {
  const p = shop([API], { loki: { datasource: 'loki-prod' }, dashboards: { tracesDatasource: 'tempo' } });
  const checkout = inEnv(p, 'checkout');
  const plan = serviceDashboardPlan(p, checkout);
  const text = renderDashboard(plan);
  const d = JSON.parse(text) as Dashboard;

  it('is byte-identical run after run, keys sorted, with a final newline', () => {
    expect(renderDashboard(serviceDashboardPlan(p, checkout))).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(d)).toEqual([...Object.keys(d)].sort());
    expect(stableJson({ b: 1, a: { d: [2, undefined], c: undefined } })).toBe('{\n  "a": {\n    "d": [\n      2,\n      null\n    ]\n  },\n  "b": 1\n}\n');
    expect(() => stableJson({ a: Infinity })).toThrow('a dashboard cannot hold the number Infinity: JSON has no such value');
    // A member named __proto__ (parsed JSON may hold one) is data, not the object's prototype.
    expect(stableJson(JSON.parse('{"z": 1, "__proto__": {"x": 2}}'))).toBe('{\n  "__proto__": {\n    "x": 2\n  },\n  "z": 1\n}\n');
    // Any JSON value: the same value back, keys sorted at every level.
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = stableJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        // Integer-like keys come first in any object, as JSON.stringify writes them.
        const inOrder = (keys: string[]): boolean => keys.join('\0') === Object.keys(Object.fromEntries([...keys].sort().map((k) => [k, 0]))).join('\0');
        const sortedEverywhere = (v: unknown): boolean => (Array.isArray(v) ? v.every(sortedEverywhere) : typeof v === 'object' && v !== null ? inOrder(Object.keys(v)) && Object.values(v).every(sortedEverywhere) : true);
        expect(sortedEverywhere(JSON.parse(text))).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(dashboardJson(plan)).toEqual(d);
  });

  it('keeps the UID, title, time range and read-only flag of a provisioned dashboard', () => {
    expect(d).toMatchObject({ uid: 'shop_prod_checkout', title: 'checkout (prod)', editable: false, time: { from: 'now-6h', to: 'now' } });
  });

  it('declares the datasource, environment and namespace variables with their current values', () => {
    expect(d.templating.list.map((v) => [v.name, v.type, v.current.value])).toEqual([
      ['datasource', 'datasource', 'prometheus'],
      ['environment', 'custom', 'prod'],
      ['namespace', 'query', 'payments'],
    ]);
    expect(d.templating.list[2].query).toBe('label_values(up{job="checkout"}, namespace)');
  });

  it('renders every planned panel once, with unique ids, inside the 24-column grid', () => {
    const panels = allPanels(d).filter((x) => x.type !== 'row');
    expect(panels.map((x) => x.title)).toEqual(panelsOf(plan).map((x) => x.title));
    const ids = allPanels(d).map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const x of allPanels(d)) expect(x.gridPos.x + x.gridPos.w).toBeLessThanOrEqual(24);
    expect(d.panels.filter((x) => x.type === 'row').map((x) => [x.title, x.collapsed])).toEqual([
      ['Overview', false],
      ['RED: requests, errors, duration', false],
      ['USE: utilization, saturation, errors', false],
      ['Right-sizing', false],
      ['Deployments', false],
      ['Logs', true],
    ]);
    expect(d.panels[d.panels.length - 1].panels?.map((x) => x.type)).toEqual(['timeseries', 'logs']);
  });

  it('gives each panel its question as description and each query its legend, on the right datasource', () => {
    for (const x of allPanels(d).filter((y) => y.type !== 'row')) {
      expect(x.description).toMatch(/\?/);
      const planned = panelsOf(plan).find((y) => y.title === x.title);
      expect(x.targets?.map((t) => [t.refId, t.expr])).toEqual(planned?.queries.map((q) => [q.refId, q.expr]));
      expect(x.datasource).toEqual(planned?.language === 'logql' ? { type: 'loki', uid: 'loki-prod' } : { type: 'prometheus', uid: '${datasource}' });
    }
    const latency = byTitle(d, 'Latency: latency');
    expect(latency.targets?.map((t) => [t.legendFormat, t.range, t.exemplar])).toEqual([
      ['p50', true, true],
      ['p95', true, true],
      ['p99', true, true],
    ]);
    expect(latency.links?.[0].title).toBe('Traces of checkout');
    expect(byTitle(d, 'SLO attainment: availability').targets?.[0]).toMatchObject({ instant: true, range: false });
  });

  it('writes the thresholds of the plan, as lines on time series, per tier on burn rates', () => {
    const attainment = byTitle(d, 'SLO attainment: availability').fieldConfig?.defaults;
    expect(attainment).toMatchObject({ unit: 'percentunit', thresholds: { mode: 'absolute', steps: [{ color: 'red', value: null }, { color: 'green', value: 0.999 }] } });
    expect(byTitle(d, 'Latency: latency').fieldConfig?.defaults).toMatchObject({ unit: 's', custom: { thresholdsStyle: { mode: 'line' } }, thresholds: { steps: [{ value: null }, { value: 0.25 }] } });
    const burn = byTitle(d, 'Burn rate: availability').fieldConfig?.overrides ?? [];
    expect(burn.map((o) => [o.matcher, (o.properties[0].value as { steps: { value: number | null }[] }).steps[1].value])).toEqual([
      [{ id: 'byFrameRefID', options: 'A' }, 14.4],
      [{ id: 'byFrameRefID', options: 'B' }, 6],
      [{ id: 'byFrameRefID', options: 'C' }, 3],
      [{ id: 'byFrameRefID', options: 'D' }, 1],
    ]);
  });

  it('renders the version annotation after Grafana’s own', () => {
    expect(d.annotations.list.map((a) => a.name)).toEqual(['Annotations & Alerts', 'Version changes']);
    expect(d.annotations.list[1].expr).toBe(plan.annotations[0].expr);
  });

  it('renders the alerts as an instant table of its labels', () => {
    const alerts = byTitle(d, 'Alerts');
    expect(alerts.targets?.[0]).toMatchObject({ instant: true, format: 'table' });
    expect(alerts.transformations?.map((t) => t.id)).toEqual(['organize']);
    expect(alerts.transformations?.[0].options.renameByName).toEqual({ alertname: 'Alert', alertstate: 'State', severity: 'Severity', slo: 'SLO' });
    expect(alerts.transformations?.[0].options.excludeByName).toMatchObject({ Time: true, Value: true });
  });

  it('joins the fleet table by service, hides the link field, links the service column and sorts by budget', () => {
    const fleet = JSON.parse(renderDashboard(fleetDashboardPlan(shop(), 'prod'))) as Dashboard;
    const table = byTitle(fleet, 'Services');
    expect(table.transformations?.map((t) => t.id)).toEqual(['merge', 'organize']);
    const organize = table.transformations?.[1].options ?? {};
    expect(organize.renameByName).toMatchObject({ service: 'Service', 'Value #A': 'Targets up', 'Value #C': 'Budget remaining' });
    expect(organize.excludeByName).toMatchObject({ Time: true, dashboard_url: true });
    expect(table.options?.sortBy).toEqual([{ desc: false, displayName: 'Budget remaining' }]);
    const overrides = table.fieldConfig?.overrides ?? [];
    expect(overrides.find((o) => o.matcher.options === 'Service')?.properties).toEqual([{ id: 'links', value: [{ title: 'Open the service dashboard', url: '${__data.fields.dashboard_url}' }] }]);
    expect(overrides.find((o) => o.matcher.options === 'SLO status')?.properties.map((x) => x.id)).toEqual(['mappings', 'custom.cellOptions']);
    expect(overrides.find((o) => o.matcher.options === 'Budget remaining')?.properties.map((x) => x.id)).toEqual(['unit', 'thresholds', 'custom.cellOptions']);
  });

  it('renders checked files, at the paths file provisioning reads', () => {
    const platform = shop();
    const s = inEnv(platform, 'checkout');
    expect(renderServiceDashboard(platform, s, rulesOf(platform, s))).toBe(renderDashboard(serviceDashboardPlan(platform, s)));
    expect(renderFleetDashboard(platform, 'prod', fleetRules(platform))).toBe(renderDashboard(fleetDashboardPlan(platform, 'prod')));
    expect(() => renderServiceDashboard(platform, s, [])).toThrow('which the generated rules do not record');
    expect(serviceDashboardFile(s)).toBe('grafana/prod/checkout.json');
    expect(fleetDashboardFile('prod')).toBe('grafana/prod/fleet.json');
  });

  it('matches the reviewed snapshot of the checkout dashboard', () => {
    expect(text).toMatchSnapshot();
  });
});
