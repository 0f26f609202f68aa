/**
 * A service's Cloud Monitoring dashboard in one environment, rendered from the same panel plan
 * as its Grafana dashboard (`serviceDashboardPlan` in `lib/dashboards`): the SLO panels of the
 * Overview row and the RED (or SLI) panels, with the same PromQL, run by Cloud Monitoring on the
 * Managed Service for Prometheus data. Grafana's macros and variables are expanded to the values
 * a Grafana dashboard of the service's environment and namespace takes by default.
 *
 * The plain panels and the dashboard JSON are pure; `GcpServiceDashboard` writes the
 * `google_monitoring_dashboard`.
 * @see https://cloud.google.com/monitoring/api/ref_v3/rest/v1/projects.dashboards
 * @see https://cloud.google.com/stackdriver/docs/managed-prometheus/query
 */
import { MonitoringDashboard } from '@cdktf/provider-google/lib/monitoring-dashboard';
import { Construct } from 'constructs';
import { DashboardPlan, MacroValues, PanelPlan, SERVICE_ROWS, ThresholdStep, expandMacros, serviceDashboardPlan, serviceMacroValues } from '../dashboards';
import { DefinitionError, EffectiveService, PlatformDefinition, formatIssue } from '../definition';
import { terraformLiteral } from '../private/terraform';
import { promqlErrors } from '../promql/parse';
import { gcpMonitoringIssues, hasGcp } from './policies';

/** Columns of a Cloud Monitoring mosaic layout; the console lays dashboards out on 48. */
export const GCP_DASHBOARD_COLUMNS = 48;

/** Blocks of the mosaic per Grafana grid unit: Grafana's grid has 24 columns. */
export const GRID_SCALE = GCP_DASHBOARD_COLUMNS / 24;

/**
 * The rows of the service dashboard plan Cloud Monitoring shows: the SLOs and the RED (or SLI)
 * panels. USE and deployment panels read kube-state-metrics and cAdvisor series, which Managed
 * Service for Prometheus holds only when they are scraped into it; logs are LogQL.
 */
export const GCP_DASHBOARD_ROWS: readonly string[] = Object.freeze([SERVICE_ROWS.overview, SERVICE_ROWS.red, SERVICE_ROWS.sli]);

/**
 * Cloud Monitoring units (UCUM, as `MetricDescriptor.unit`) of the Grafana units panels use.
 * A unit not listed shows the raw value.
 * @see https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.metricDescriptors#MetricDescriptor.FIELDS.unit
 */
export const GCP_UNITS: Readonly<Record<string, string>> = Object.freeze({
  percentunit: '10^2.%',
  reqps: '1/s',
  ops: '1/s',
  cps: '1/s',
  s: 's',
  ms: 'ms',
  bytes: 'By',
  short: '1',
  'suffix:×': '1',
});

/** A threshold of a panel. On a chart it is a line; on a scorecard, crossing it colors the value. */
export interface GcpDashboardThreshold {
  readonly value: number;
  /** The state beyond the threshold (scorecards only). */
  readonly color?: 'YELLOW' | 'RED';
  /** Which side of the value is beyond (scorecards only). */
  readonly direction?: 'ABOVE' | 'BELOW';
}

/** One query of a panel, with a legend in Cloud Monitoring's syntax (`${labels.code}`). */
export interface GcpDashboardQuery {
  readonly expr: string;
  readonly legend: string;
}

/** A panel of a Cloud Monitoring dashboard as plain data. */
export interface GcpDashboardPanel {
  readonly title: string;
  /** The question the panel answers (from the plan; Cloud Monitoring widgets have no description). */
  readonly question?: string;
  /** A chart of series over time, or a scorecard of one query's latest value. @default 'xyChart' */
  readonly kind?: 'xyChart' | 'scorecard';
  /** One query for a scorecard. */
  readonly queries: readonly GcpDashboardQuery[];
  /** A Cloud Monitoring unit. @default the unit of the data (none for PromQL) */
  readonly unit?: string;
  /** @default none */
  readonly thresholds?: readonly GcpDashboardThreshold[];
  /** Width in blocks of `GCP_DASHBOARD_COLUMNS`. @default 24 */
  readonly width?: number;
  /** Height in blocks. @default 16 */
  readonly height?: number;
}

/** A titled group of panels: a collapsible group on the dashboard. */
export interface GcpDashboardRow {
  readonly title: string;
  readonly panels: readonly GcpDashboardPanel[];
}

/** The defaults of a plain panel. */
export const GCP_PANEL_DEFAULTS = Object.freeze({ kind: 'xyChart' as const, width: 24, height: 16 });

/** A Grafana legend in Cloud Monitoring's syntax: `{{code}}` → `${labels.code}`. */
export function legendTemplate(legend: string): string {
  return legend.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_whole, name: string) => `\${labels.${name}}`);
}

const SEVERITY_OF_COLOR: Readonly<Record<string, 0 | 1 | 2>> = { green: 0, blue: 0, yellow: 1, orange: 1, red: 2 };

/**
 * Scorecard thresholds of Grafana threshold steps: each step boundary where the worse color
 * lies above becomes an `ABOVE` threshold of that color, and where it lies below a `BELOW` one.
 * @example
 * scorecardThresholds([{ value: null, color: 'green' }, { value: 1, color: 'red' }]); // [{ value: 1, color: 'RED', direction: 'ABOVE' }]
 */
export function scorecardThresholds(steps: readonly ThresholdStep[]): GcpDashboardThreshold[] {
  const rank = (color: string): 0 | 1 | 2 => SEVERITY_OF_COLOR[color] ?? 0;
  const state = (r: 1 | 2): 'YELLOW' | 'RED' => (r === 2 ? 'RED' : 'YELLOW');
  const found: GcpDashboardThreshold[] = [];
  steps.forEach((step, i) => {
    if (i === 0 || step.value === null) return;
    const below = rank(steps[i - 1].color);
    const above = rank(step.color);
    if (above > below) found.push({ value: step.value, color: state(above as 1 | 2), direction: 'ABOVE' });
    else if (below > above) found.push({ value: step.value, color: state(below as 1 | 2), direction: 'BELOW' });
  });
  return found;
}

/** Line thresholds of Grafana threshold steps: one line per bound. */
function lineThresholds(steps: readonly ThresholdStep[]): GcpDashboardThreshold[] {
  return steps.flatMap((step) => (step.value === null ? [] : [{ value: step.value }]));
}

/** A query of a plan with its macros expanded; throws when what is left is not PromQL. */
function expandedQuery(panel: PanelPlan, refId: string, expr: string, macros: MacroValues): string {
  const expanded = expandMacros(expr, macros);
  const problems = promqlErrors(expanded);
  if (problems.length > 0) {
    throw new DefinitionError(`Cloud Monitoring dashboard panel ${panel.key}`, [
      { path: `${panel.key}.queries.${refId}`, problem: `must be PromQL once its macros are expanded (${problems[0].message} at offset ${problems[0].offset}); Cloud Monitoring knows no Grafana variables`, value: expanded },
    ]);
  }
  return expanded;
}

/**
 * The Cloud Monitoring panels of one plan panel: a time series is one chart with a data set per
 * query and its threshold lines when the plan draws them; a stat is a scorecard per query (a
 * scorecard shows one), each with its own thresholds, side by side in the panel's width. Tables,
 * log panels and LogQL have no Cloud Monitoring twin here and give none.
 */
export function gcpPanelsOf(panel: PanelPlan, macros: MacroValues): GcpDashboardPanel[] {
  if (panel.language !== 'promql' || (panel.kind !== 'timeseries' && panel.kind !== 'stat')) return [];
  const unit = panel.unit === undefined ? undefined : GCP_UNITS[panel.unit];
  const common = { ...(panel.question === '' ? {} : { question: panel.question }), ...(unit === undefined ? {} : { unit }) };
  const width = panel.width * GRID_SCALE;
  const height = panel.height * GRID_SCALE;
  if (panel.kind === 'timeseries') {
    const thresholds = panel.thresholdLines === true && panel.thresholds !== undefined ? lineThresholds(panel.thresholds) : [];
    return [
      {
        title: panel.title,
        ...common,
        kind: 'xyChart',
        queries: panel.queries.map((q) => ({ expr: expandedQuery(panel, q.refId, q.expr, macros), legend: legendTemplate(q.legend) })),
        ...(thresholds.length > 0 ? { thresholds } : {}),
        width,
        height,
      },
    ];
  }
  const count = panel.queries.length;
  const each = Math.max(1, Math.floor(width / count));
  return panel.queries.map((q, i) => {
    const steps = panel.overrides?.find((o) => o.refId === q.refId)?.thresholds ?? panel.thresholds ?? [];
    const thresholds = scorecardThresholds(steps);
    return {
      title: count === 1 ? panel.title : `${panel.title}: ${q.legend}`,
      ...common,
      kind: 'scorecard',
      queries: [{ expr: expandedQuery(panel, q.refId, q.expr, macros), legend: legendTemplate(q.legend) }],
      ...(thresholds.length > 0 ? { thresholds } : {}),
      // The last scorecard takes what the division leaves, so the row keeps the plan's width.
      width: i === count - 1 ? Math.max(1, width - each * (count - 1)) : each,
      height,
    };
  });
}

/**
 * The rows of a dashboard plan Cloud Monitoring shows, as plain panels, with the plan's queries
 * expanded by `macros`. Rows left without a panel are left out.
 * @param rows titles of the plan rows to take, in the plan's order
 */
export function gcpDashboardRows(plan: Pick<DashboardPlan, 'rows'>, macros: MacroValues, rows: readonly string[] = GCP_DASHBOARD_ROWS): GcpDashboardRow[] {
  return plan.rows
    .filter((row) => rows.includes(row.title))
    .map((row) => ({ title: row.title, panels: row.panels.flatMap((panel) => gcpPanelsOf(panel, macros)) }))
    .filter((row) => row.panels.length > 0);
}

/** The Cloud Monitoring widget of a plain panel. */
function widget(panel: GcpDashboardPanel): Record<string, unknown> {
  const query = (q: GcpDashboardQuery): Record<string, unknown> => ({ prometheusQuery: q.expr, ...(panel.unit === undefined ? {} : { unitOverride: panel.unit }) });
  if ((panel.kind ?? GCP_PANEL_DEFAULTS.kind) === 'scorecard') {
    return {
      title: panel.title,
      scorecard: {
        timeSeriesQuery: query(panel.queries[0]),
        sparkChartView: { sparkChartType: 'SPARK_LINE' },
        thresholds: (panel.thresholds ?? []).map((t) => ({ label: '', value: t.value, ...(t.color === undefined ? {} : { color: t.color }), ...(t.direction === undefined ? {} : { direction: t.direction }) })),
      },
    };
  }
  return {
    title: panel.title,
    xyChart: {
      dataSets: panel.queries.map((q) => ({ timeSeriesQuery: query(q), plotType: 'LINE', legendTemplate: q.legend, targetAxis: 'Y1' })),
      // Threshold lines carry no color or direction on a chart.
      thresholds: (panel.thresholds ?? []).map((t) => ({ label: '', value: t.value, targetAxis: 'Y1' })),
      yAxis: { scale: 'LINEAR' },
      chartOptions: { mode: 'COLOR' },
    },
  };
}

/** A tile of the mosaic layout. */
interface Tile {
  readonly xPos: number;
  readonly yPos: number;
  readonly width: number;
  readonly height: number;
  readonly widget: Record<string, unknown>;
}

/**
 * The dashboard JSON of rows of plain panels: a mosaic layout of 48 columns, each row a
 * collapsible group over its panels, which flow left to right and wrap.
 * @see https://cloud.google.com/monitoring/api/ref_v3/rest/v1/projects.dashboards#mosaiclayout
 */
export function gcpDashboardJson(displayName: string, rows: readonly GcpDashboardRow[], labels: readonly string[] = []): Record<string, unknown> {
  const tiles: Tile[] = [];
  let top = 0;
  for (const row of rows) {
    const placed: Tile[] = [];
    let x = 0;
    let y = top;
    let lineHeight = 0;
    for (const panel of row.panels) {
      const width = Math.min(panel.width ?? GCP_PANEL_DEFAULTS.width, GCP_DASHBOARD_COLUMNS);
      const height = panel.height ?? GCP_PANEL_DEFAULTS.height;
      if (x + width > GCP_DASHBOARD_COLUMNS) {
        x = 0;
        y += lineHeight;
        lineHeight = 0;
      }
      placed.push({ xPos: x, yPos: y, width, height, widget: widget(panel) });
      x += width;
      lineHeight = Math.max(lineHeight, height);
    }
    const height = y + lineHeight - top;
    tiles.push({ xPos: 0, yPos: top, width: GCP_DASHBOARD_COLUMNS, height, widget: { title: row.title, collapsibleGroup: { collapsed: false } } }, ...placed);
    top += height;
  }
  return {
    displayName,
    ...(labels.length > 0 ? { labels: Object.fromEntries([...labels].sort().map((label) => [label, ''])) } : {}),
    mosaicLayout: { columns: GCP_DASHBOARD_COLUMNS, tiles },
  };
}

/**
 * The Cloud Monitoring dashboard JSON of a service in one environment, from its dashboard plan:
 * the plan's title, its tags as labels, its SLO and RED (or SLI) rows.
 * @param plan the plan to render @default serviceDashboardPlan(platform, service)
 * @example
 * const json = gcpServiceDashboard(platform, resolveEnvironment(platform, 'checkout', 'prod'));
 */
export function gcpServiceDashboard(platform: PlatformDefinition, service: EffectiveService, plan: DashboardPlan = serviceDashboardPlan(platform, service)): Record<string, unknown> {
  return gcpDashboardJson(plan.title, gcpDashboardRows(plan, serviceMacroValues(platform, service)), plan.tags);
}

/** Props of `GcpServiceDashboard`. */
export interface GcpServiceDashboardProps {
  readonly platform: PlatformDefinition;
  /** The service in one environment; its `gcp.project` holds the dashboard. */
  readonly service: EffectiveService;
  /**
   * The panel plan to render, e.g. one extended by a dashboard hook (`checkedServiceDashboardPlan`).
   * @default serviceDashboardPlan(platform, service)
   */
  readonly plan?: DashboardPlan;
}

/**
 * A `google_monitoring_dashboard` of one service in one environment, in the service's project:
 * the SLO and RED panels of its dashboard plan, on the Managed Service for Prometheus data.
 * The SLO panels read the SLO recording rules, which Cloud Monitoring holds when the Prometheus
 * that evaluates them exports to Managed Service for Prometheus.
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/monitoring_dashboard
 */
export class GcpServiceDashboard extends Construct {
  /** The plan rendered. */
  public readonly plan: DashboardPlan;
  /** The dashboard JSON, as plain data. */
  public readonly json: Readonly<Record<string, unknown>>;
  /** The dashboard resource, when the service has `gcp` settings. */
  public readonly dashboard?: MonitoringDashboard;

  constructor(scope: Construct, id: string, props: GcpServiceDashboardProps) {
    super(scope, id);
    const { platform, service } = props;
    this.plan = props.plan ?? serviceDashboardPlan(platform, service);
    this.json = gcpServiceDashboard(platform, service, this.plan);
    if (!hasGcp(service)) {
      this.node.addValidation({ validate: () => gcpMonitoringIssues(service).map(formatIssue) });
      return;
    }
    this.dashboard = new MonitoringDashboard(this, 'dashboard', { project: service.gcp.project, dashboardJson: terraformLiteral(JSON.stringify(this.json)) });
  }
}
