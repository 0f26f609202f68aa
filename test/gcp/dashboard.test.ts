import { MonitoringDashboard } from '@cdktf/provider-google/lib/monitoring-dashboard';
import { Testing, TerraformStack } from 'cdktf';
import { setupJest } from 'cdktf/lib/testing/adapters/jest';
import { DashboardPlan, PanelPlan, SERVICE_ROWS, expandMacros, serviceDashboardPlan, serviceMacroValues } from '../../lib/dashboards';
import { DefinitionError, ServiceDefinitionInput } from '../../lib/definition';
import {
  GCP_DASHBOARD_COLUMNS,
  GCP_DASHBOARD_ROWS,
  GCP_PANEL_DEFAULTS,
  GcpServiceDashboard,
  gcpDashboardJson,
  gcpDashboardRows,
  gcpPanelsOf,
  gcpServiceDashboard,
  legendTemplate,
  scorecardThresholds,
} from '../../lib/gcp';
import { promqlErrors } from '../../lib/promql';
import { gcpService, resourcesOf } from '../fixtures/gcp';

setupJest();

interface Tile { xPos: number; yPos: number; width: number; height: number; widget: Record<string, unknown> & { title: string } }
interface Dashboard { displayName: string; labels?: Record<string, string>; mosaicLayout: { columns: number; tiles: Tile[] } }

function dashboard(input: Partial<ServiceDefinitionInput> = {}): Dashboard {
  const { platform, service } = gcpService(input);
  return gcpServiceDashboard(platform, service) as unknown as Dashboard;
}

function kindOf(tile: Tile): string {
  return Object.keys(tile.widget).find((k) => k !== 'title') ?? '';
}

/** Every PromQL query of a dashboard. */
function queriesOf(d: Dashboard): string[] {
  return d.mosaicLayout.tiles.flatMap((t) => {
    const w = t.widget as { xyChart?: { dataSets: { timeSeriesQuery: { prometheusQuery: string } }[] }; scorecard?: { timeSeriesQuery: { prometheusQuery: string } } };
    return [...(w.xyChart?.dataSets.map((s) => s.timeSeriesQuery.prometheusQuery) ?? []), ...(w.scorecard ? [w.scorecard.timeSeriesQuery.prometheusQuery] : [])];
  });
}

/**
 * The fields of the Cloud Monitoring dashboard messages this renderer writes, from the v1 API
 * (google/monitoring/dashboard/v1: dashboard, layouts, widget, xychart, scorecard, metrics,
 * collapsible_group protos), with the enum values they take.
 */
const MESSAGES: Record<string, Record<string, string>> = {
  Dashboard: { displayName: 'string', labels: 'map', mosaicLayout: 'MosaicLayout' },
  MosaicLayout: { columns: 'int', tiles: '[]Tile' },
  Tile: { xPos: 'int', yPos: 'int', width: 'int', height: 'int', widget: 'Widget' },
  Widget: { title: 'string', xyChart: 'XyChart', scorecard: 'Scorecard', collapsibleGroup: 'CollapsibleGroup' },
  CollapsibleGroup: { collapsed: 'bool' },
  XyChart: { dataSets: '[]DataSet', thresholds: '[]ChartThreshold', yAxis: 'Axis', chartOptions: 'ChartOptions' },
  DataSet: { timeSeriesQuery: 'TimeSeriesQuery', plotType: 'enum:LINE,STACKED_AREA,STACKED_BAR,HEATMAP', legendTemplate: 'string', targetAxis: 'enum:Y1,Y2' },
  Axis: { label: 'string', scale: 'enum:LINEAR,LOG10' },
  ChartOptions: { mode: 'enum:COLOR,X_RAY,STATS' },
  TimeSeriesQuery: { prometheusQuery: 'string', unitOverride: 'string' },
  Scorecard: { timeSeriesQuery: 'TimeSeriesQuery', sparkChartView: 'SparkChartView', thresholds: '[]Threshold' },
  SparkChartView: { sparkChartType: 'enum:SPARK_LINE,SPARK_BAR' },
  // "Color is not allowed in a XyChart. Direction is not allowed in a XyChart."
  ChartThreshold: { label: 'string', value: 'number', targetAxis: 'enum:Y1,Y2' },
  Threshold: { label: 'string', value: 'number', color: 'enum:YELLOW,RED', direction: 'enum:ABOVE,BELOW' },
};

/** Problems of a value against a message of the dashboard API: unknown fields, wrong types, values outside the enums. */
function apiProblems(value: unknown, type: string, at: string): string[] {
  if (type.startsWith('[]')) return Array.isArray(value) ? value.flatMap((v, i) => apiProblems(v, type.slice(2), `${at}[${i}]`)) : [`${at}: not a list`];
  if (type.startsWith('enum:')) return type.slice(5).split(',').includes(value as string) ? [] : [`${at}: ${String(value)} is not one of ${type.slice(5)}`];
  if (type === 'string') return typeof value === 'string' ? [] : [`${at}: not a string`];
  if (type === 'bool') return typeof value === 'boolean' ? [] : [`${at}: not a boolean`];
  if (type === 'number') return typeof value === 'number' && Number.isFinite(value) ? [] : [`${at}: not a number`];
  if (type === 'int') return Number.isInteger(value) && (value as number) >= 0 ? [] : [`${at}: not a whole number`];
  if (type === 'map') return Object.values(value as object).every((v) => typeof v === 'string') ? [] : [`${at}: not a map of strings`];
  const fields = MESSAGES[type];
  if (typeof value !== 'object' || value === null) return [`${at}: not a ${type}`];
  return Object.entries(value).flatMap(([key, v]) => (fields[key] === undefined ? [`${at}.${key}: no field of ${type}`] : apiProblems(v, fields[key], `${at}.${key}`)));
}

describe('Cloud Monitoring panels of the dashboard plan', () => {
  it('writes Grafana legends in Cloud Monitoring syntax', () => {
    expect(['{{code}}', 'restarts {{ pod }}', 'p99', '{{a}}/{{b}}'].map(legendTemplate)).toEqual(['${labels.code}', 'restarts ${labels.pod}', 'p99', '${labels.a}/${labels.b}']);
  });

  it('turns threshold steps into scorecard thresholds on the side of the worse color', () => {
    expect(scorecardThresholds([{ value: null, color: 'green' }, { value: 1, color: 'red' }])).toEqual([{ value: 1, color: 'RED', direction: 'ABOVE' }]);
    expect(scorecardThresholds([{ value: null, color: 'red' }, { value: 0.999, color: 'green' }])).toEqual([{ value: 0.999, color: 'RED', direction: 'BELOW' }]);
    expect(scorecardThresholds([{ value: null, color: 'red' }, { value: 0, color: 'orange' }, { value: 0.25, color: 'green' }])).toEqual([
      { value: 0, color: 'RED', direction: 'BELOW' },
      { value: 0.25, color: 'YELLOW', direction: 'BELOW' },
    ]);
    expect(scorecardThresholds([{ value: null, color: 'green' }, { value: 5, color: 'blue' }])).toEqual([]);
  });

  it('renders the SLO and RED rows of an HTTP service, and the SLO and SLI rows of a worker', () => {
    const titles = (d: Dashboard): string[] => d.mosaicLayout.tiles.filter((t) => kindOf(t) === 'collapsibleGroup').map((t) => t.widget.title);
    expect(GCP_DASHBOARD_ROWS).toEqual([SERVICE_ROWS.overview, SERVICE_ROWS.red, SERVICE_ROWS.sli]);
    expect(titles(dashboard())).toEqual([SERVICE_ROWS.overview, SERVICE_ROWS.red]);
    const worker = dashboard({
      port: undefined,
      metrics: { port: 9100 },
      health: {},
      gcp: { project: 'acme-prod-1234' },
      slos: [{ kind: 'custom', name: 'delivery', objective: 99, goodQuery: 'sum(rate(sent_total[{{window}}]))', totalQuery: 'sum(rate(attempted_total[{{window}}]))' }],
    });
    expect(titles(worker)).toEqual([SERVICE_ROWS.overview, SERVICE_ROWS.sli]);
    expect(queriesOf(worker)).toContain('sum(rate(attempted_total[2m]))');
  });

  it('asks Cloud Monitoring exactly what Grafana asks, with the macros of the environment and namespace expanded', () => {
    const { platform, service } = gcpService();
    const plan = serviceDashboardPlan(platform, service);
    const macros = serviceMacroValues(platform, service);
    const grafana = plan.rows
      .filter((r) => GCP_DASHBOARD_ROWS.includes(r.title))
      .flatMap((r) => r.panels)
      .filter((p) => p.language === 'promql' && (p.kind === 'stat' || p.kind === 'timeseries'))
      .flatMap((p) => p.queries.map((q) => expandMacros(q.expr, macros)));
    const gcp = queriesOf(dashboard());
    expect(gcp).toEqual(grafana);
    expect(gcp.length).toBeGreaterThan(10);
    expect(gcp).toContain('sum(rate(http_requests_total{job="orders", namespace="shop"}[2m]))');
    expect(gcp).toContain('1 - slo:sli_error:ratio_rate30d{service="orders", slo="availability"}');
    expect(gcp.every((q) => !q.includes('$'))).toBe(true);
    expect(gcp.flatMap((q) => promqlErrors(q))).toEqual([]);
  });

  it('makes a stat of several queries one scorecard per query, each with its own thresholds, in the stat width', () => {
    const { platform, service } = gcpService();
    const plan = serviceDashboardPlan(platform, service);
    const burn = plan.rows[0].panels.find((p) => p.key === 'overview/availability/burn-rate') as PanelPlan;
    const cards = gcpPanelsOf(burn, serviceMacroValues(platform, service));
    expect(cards.map((c) => [c.kind, c.thresholds])).toEqual([
      ['scorecard', [{ value: 14.4, color: 'RED', direction: 'ABOVE' }]],
      ['scorecard', [{ value: 6, color: 'RED', direction: 'ABOVE' }]],
      ['scorecard', [{ value: 3, color: 'RED', direction: 'ABOVE' }]],
      ['scorecard', [{ value: 1, color: 'RED', direction: 'ABOVE' }]],
    ]);
    expect(cards.reduce((sum, c) => sum + (c.width ?? 0), 0)).toBe(burn.width * 2);
    expect(cards[0].title).toBe('Burn rate: availability: 1h (critical above 14.4×)');
    expect(cards[0].unit).toBe('1');
  });

  it('draws threshold lines on a chart only where the plan draws them, and maps units', () => {
    const { platform, service } = gcpService();
    const macros = serviceMacroValues(platform, service);
    const red = serviceDashboardPlan(platform, service).rows.find((r) => r.title === SERVICE_ROWS.red)?.panels ?? [];
    const [requests, errors, latency] = red.map((p) => gcpPanelsOf(p, macros)[0]);
    expect([requests.kind, requests.unit, requests.thresholds]).toEqual(['xyChart', '1/s', undefined]);
    expect([errors.unit, errors.thresholds]).toEqual(['10^2.%', [{ value: 0.001 }]]);
    expect([latency.unit, latency.thresholds, latency.queries.map((q) => q.legend)]).toEqual(['s', [{ value: 0.25 }], ['p50', 'p95', 'p99']]);
    expect(requests.queries[1].legend).toBe('${labels.code}');
    expect(requests.question).toMatch(/^How many requests per second does orders serve/);
  });

  it('gives tables, log panels and LogQL no Cloud Monitoring panel, and leaves units it does not know', () => {
    const base: PanelPlan = { key: 'x', kind: 'table', title: 'T', question: 'Q?', language: 'promql', queries: [{ refId: 'A', expr: 'up', legend: '' }], width: 12, height: 8 };
    const { platform, service } = gcpService();
    const macros = serviceMacroValues(platform, service);
    expect(gcpPanelsOf(base, macros)).toEqual([]);
    expect(gcpPanelsOf({ ...base, kind: 'logs', language: 'logql' }, macros)).toEqual([]);
    expect(gcpPanelsOf({ ...base, kind: 'timeseries', language: 'logql' }, macros)).toEqual([]);
    expect(gcpPanelsOf({ ...base, kind: 'timeseries', unit: 'decgbytes' }, macros)[0]).not.toHaveProperty('unit');
  });

  it('refuses a query that is no PromQL once expanded, naming the panel and query', () => {
    const { platform, service } = gcpService();
    const panel: PanelPlan = { key: 'custom/x', kind: 'timeseries', title: 'X', question: 'Q?', language: 'promql', queries: [{ refId: 'B', expr: 'up{job="$team"}', legend: '' }, { refId: 'C', expr: 'rate(x[$nope])', legend: '' }], width: 12, height: 8 };
    const call = (): unknown => gcpPanelsOf(panel, serviceMacroValues(platform, service));
    expect(call).toThrow(DefinitionError);
    expect(call).toThrow(/custom\/x\.queries\.C: must be PromQL once its macros are expanded \(.+\); Cloud Monitoring knows no Grafana variables \(got "rate\(x\[\$nope\]\)"\)/);
  });

  it('takes other rows when asked', () => {
    const { platform, service } = gcpService();
    const rows = gcpDashboardRows(serviceDashboardPlan(platform, service), serviceMacroValues(platform, service), [SERVICE_ROWS.red]);
    expect(rows.map((r) => r.title)).toEqual([SERVICE_ROWS.red]);
    expect(gcpDashboardRows(serviceDashboardPlan(platform, service), serviceMacroValues(platform, service), ['No such row'])).toEqual([]);
  });
});

describe('gcpDashboardJson', () => {
  it('lays rows out as collapsible groups over panels that flow on 48 columns and wrap', () => {
    const d = gcpDashboardJson('T', [
      { title: 'A', panels: [{ title: 'a1', queries: [{ expr: 'up', legend: '' }] }, { title: 'a2', queries: [{ expr: 'up', legend: '' }], width: 30, height: 4 }] },
      { title: 'B', panels: [{ title: 'b1', kind: 'scorecard', queries: [{ expr: 'up', legend: '' }], width: 12, height: 8 }] },
    ]) as unknown as Dashboard;
    expect(d.mosaicLayout.columns).toBe(GCP_DASHBOARD_COLUMNS);
    expect(d.mosaicLayout.tiles.map((t) => [t.widget.title, kindOf(t), t.xPos, t.yPos, t.width, t.height])).toEqual([
      ['A', 'collapsibleGroup', 0, 0, 48, 20],
      ['a1', 'xyChart', 0, 0, GCP_PANEL_DEFAULTS.width, GCP_PANEL_DEFAULTS.height],
      ['a2', 'xyChart', 0, 16, 30, 4],
      ['B', 'collapsibleGroup', 0, 20, 48, 8],
      ['b1', 'scorecard', 0, 20, 12, 8],
    ]);
    expect(d).not.toHaveProperty('labels');
  });

  it('is a Cloud Monitoring dashboard: known fields and enum values only, tiles inside the grid, no two panels on one block', () => {
    const d = dashboard();
    expect(apiProblems(d, 'Dashboard', 'dashboard')).toEqual([]);
    const panels = d.mosaicLayout.tiles.filter((t) => kindOf(t) !== 'collapsibleGroup');
    const taken = new Set<string>();
    for (const t of panels) {
      expect(t.xPos + t.width).toBeLessThanOrEqual(GCP_DASHBOARD_COLUMNS);
      for (let x = t.xPos; x < t.xPos + t.width; x++) {
        for (let y = t.yPos; y < t.yPos + t.height; y++) {
          expect(taken.has(`${x},${y}`)).toBe(false);
          taken.add(`${x},${y}`);
        }
      }
    }
    const groups = d.mosaicLayout.tiles.filter((t) => kindOf(t) === 'collapsibleGroup');
    expect(groups.reduce((sum, g) => sum + g.height, 0)).toBe(Math.max(...panels.map((t) => t.yPos + t.height)));
  });

  it('names the dashboard after the plan and labels it with the plan tags', () => {
    const d = dashboard();
    expect(d.displayName).toBe('orders (prod)');
    expect(d.labels).toEqual({ acme: '', 'ops-constructs': '', orders: '', prod: '', shop: '' });
  });

  it('is the same for the same definition', () => {
    expect(JSON.stringify(dashboard())).toBe(JSON.stringify(dashboard()));
  });
});

describe('GcpServiceDashboard', () => {
  function synth(props: Partial<{ plan: DashboardPlan }> = {}, input: Partial<ServiceDefinitionInput> = {}): string {
    return Testing.synthScope((scope) => {
      new GcpServiceDashboard(scope, 'orders_dashboard', { ...gcpService(input), ...props });
    });
  }

  function writtenJson(json: string): unknown {
    const [board] = Object.values(resourcesOf<{ dashboard_json: string }>(json, 'google_monitoring_dashboard'));
    // Terraform reads `$${` as a literal `${`.
    return JSON.parse(board.dashboard_json.replace(/\$\$\{/g, '${'));
  }

  it('writes the dashboard into the service project, its JSON that of gcpServiceDashboard', () => {
    const json = synth();
    expect(json).toHaveResourceWithProperties(MonitoringDashboard, { project: 'acme-prod-1234' });
    const { platform, service } = gcpService();
    expect(writtenJson(json)).toEqual(gcpServiceDashboard(platform, service));
  });

  it('keeps Cloud Monitoring legends literal for Terraform', () => {
    const [board] = Object.values(resourcesOf<{ dashboard_json: string }>(synth(), 'google_monitoring_dashboard'));
    expect(board.dashboard_json).toContain('"legendTemplate":"$${labels.code}"');
    expect(board.dashboard_json).not.toMatch(/(^|[^$])\$\{/);
  });

  it('renders the plan it is given, such as one extended by a hook', () => {
    const { platform, service } = gcpService();
    const plan = serviceDashboardPlan(platform, service);
    const extra: PanelPlan = { key: 'red/cart', kind: 'timeseries', title: 'Cart size', question: 'How big are carts?', language: 'promql', queries: [{ refId: 'A', expr: 'avg(cart_size{namespace="$namespace"})', legend: 'avg' }], width: 8, height: 8 };
    const extended: DashboardPlan = { ...plan, rows: plan.rows.map((r) => (r.title === SERVICE_ROWS.red ? { ...r, panels: [...r.panels, extra] } : r)) };
    expect(queriesOf(writtenJson(synth({ plan: extended })) as Dashboard)).toContain('avg(cart_size{namespace="shop"})');
    expect(queriesOf(writtenJson(synth()) as Dashboard)).not.toContain('avg(cart_size{namespace="shop"})');
  });

  it('reports a service without gcp settings and writes no dashboard', () => {
    const stack = new TerraformStack(Testing.app(), 'acme-prod');
    const board = new GcpServiceDashboard(stack, 'orders_dashboard', gcpService({ gcp: undefined }));
    expect(board.dashboard).toBeUndefined();
    expect(() => Testing.synth(stack, true)).toThrow('[acme-prod/orders_dashboard] gcp: must be set for Cloud Monitoring (project, region, publicHost) (got undefined)');
  });
});
