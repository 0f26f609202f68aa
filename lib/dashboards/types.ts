/**
 * The panel plan of a dashboard, as plain data: which rows and panels it has, the question each
 * panel answers, its queries with legends, unit, thresholds and links. Renderers (Grafana today,
 * Cloud Monitoring next) turn a plan into their own format; nothing here knows any of them.
 */

/** How a panel shows its data. */
export type PanelKind = 'stat' | 'timeseries' | 'table' | 'logs';

/** The query language of a panel: PromQL on the Prometheus datasource, LogQL on Loki. */
export type QueryLanguage = 'promql' | 'logql';

/** One query of a panel. */
export interface PanelQuery {
  /** Id of the query within its panel: `A`, `B`, ... */
  readonly refId: string;
  /** The query, with Grafana's macros (`$__rate_interval`) and template variables (`$namespace`). */
  readonly expr: string;
  /** Legend of each series, Grafana style: `{{pod}}`, `p99`. */
  readonly legend: string;
  /** Whether the query is evaluated once at the end of the range (stats, tables). @default false, a range query */
  readonly instant?: boolean;
  /** Whether exemplars are fetched with the series (latency panels, when a tracing datasource is declared). @default false */
  readonly exemplar?: boolean;
}

/** One step of a panel's thresholds: from `value` up, the panel shows `color`. */
export interface ThresholdStep {
  /** The lower bound; `null` for the base step, which starts at minus infinity. */
  readonly value: number | null;
  /** A Grafana color name: `green`, `orange`, `red`, ... */
  readonly color: string;
}

/** A link on a panel or a dashboard. */
export interface PlanLink {
  readonly title: string;
  /** An absolute URL; in table cells it may read a field: `${__data.fields.dashboard_url}`. */
  readonly url: string;
}

/** A text and a color shown for values in a range (both bounds included). */
export interface RangeMapping {
  /** @default minus infinity */
  readonly from?: number;
  /** @default plus infinity */
  readonly to?: number;
  readonly text: string;
  readonly color: string;
}

/** Settings of one query's values that differ from the panel's (per burn-rate tier, per table column). */
export interface QueryOverride {
  /** The query these settings apply to. */
  readonly refId: string;
  /** @default the panel's thresholds */
  readonly thresholds?: readonly ThresholdStep[];
  /** @default the panel's unit */
  readonly unit?: string;
  /** @default no mapping */
  readonly mappings?: readonly RangeMapping[];
}

/** A column of a table panel. */
export interface TableColumn {
  /** A label of the series (`service`, `alertname`), or the value of a query (`#A`). */
  readonly field: string;
  /** Header of the column. */
  readonly title: string;
  /** A link each cell opens. @default no link */
  readonly link?: PlanLink;
}

/** How a table panel joins, shows and sorts its queries: one row per distinct `key` value. */
export interface TableLayout {
  /** The label every query carries that makes a row (`service`). @default each series is a row */
  readonly key?: string;
  /** The columns shown, in order; every other field is hidden. */
  readonly columns: readonly TableColumn[];
  /** Labels the queries carry for links only, never shown (`dashboard_url`). @default none */
  readonly hidden?: readonly string[];
  /** The column rows are sorted by. @default query order */
  readonly sortBy?: { readonly field: string; readonly descending: boolean };
}

/** One panel: the question it answers and the queries that answer it. */
export interface PanelPlan {
  /** A key stable across syntheses and unique in the dashboard, e.g. `overview/attainment/availability`. */
  readonly key: string;
  readonly kind: PanelKind;
  readonly title: string;
  /** The question the panel answers, shown as its description. */
  readonly question: string;
  /** Which datasource the queries go to. */
  readonly language: QueryLanguage;
  readonly queries: readonly PanelQuery[];
  /** A Grafana unit id: `percentunit`, `reqps`, `s`, `bytes`, `short`, ... @default no unit */
  readonly unit?: string;
  /** @default chosen by the renderer */
  readonly decimals?: number;
  /** @default no thresholds */
  readonly thresholds?: readonly ThresholdStep[];
  /** Draw the thresholds as lines on a time series. @default false */
  readonly thresholdLines?: boolean;
  /** @default none */
  readonly overrides?: readonly QueryOverride[];
  /** @default no links */
  readonly links?: readonly PlanLink[];
  /** @default the renderer's layout */
  readonly table?: TableLayout;
  /** Width in grid columns, of 24. */
  readonly width: number;
  /** Height in grid rows. */
  readonly height: number;
}

/** A row of panels. */
export interface RowPlan {
  readonly title: string;
  /** A collapsed row runs its queries only when opened. @default false */
  readonly collapsed?: boolean;
  readonly panels: readonly PanelPlan[];
}

/** A template variable of a dashboard. */
export type VariablePlan =
  | { readonly kind: 'datasource'; readonly name: string; readonly label: string; readonly pluginId: 'prometheus' | 'loki'; readonly current: string }
  | { readonly kind: 'custom'; readonly name: string; readonly label: string; readonly values: readonly string[]; readonly current: string }
  | {
      readonly kind: 'query';
      readonly name: string;
      readonly label: string;
      /** `label_values(<selector>, <label>)`: the label's values on the series of a selector. */
      readonly selector: string;
      readonly labelName: string;
      readonly current: string;
    };

/** Annotations from a PromQL query: a mark wherever it returns a series. */
export interface AnnotationPlan {
  readonly name: string;
  /** What the marks say happened. */
  readonly question: string;
  readonly expr: string;
  readonly color: string;
}

/** A whole dashboard. */
export interface DashboardPlan {
  /** Stable UID, from `lib/definition/naming.ts`. */
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  /** Sorted. */
  readonly tags: readonly string[];
  /** The Grafana folder the dashboard belongs in (the owning team; `platform` for the fleet). */
  readonly folder: string;
  readonly variables: readonly VariablePlan[];
  /** UID of the Loki datasource the LogQL panels query. @default none: the plan has no LogQL panel */
  readonly lokiDatasource?: string;
  readonly annotations: readonly AnnotationPlan[];
  readonly links: readonly PlanLink[];
  readonly rows: readonly RowPlan[];
  /** Default time range, Grafana style: `now-6h`. */
  readonly timeFrom: string;
  /** Auto-refresh interval. */
  readonly refresh: string;
  /**
   * Raw metrics the panels may read besides the definition's and the standard ones: those a
   * user declares for panels added through the hook. Sorted.
   */
  readonly extraMetrics: readonly string[];
}
