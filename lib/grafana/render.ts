/**
 * Renders a dashboard plan as Grafana dashboard JSON with the builders of
 * `@grafana/grafana-foundation-sdk` (Grafana 11.6 schema): panels, queries, variables,
 * annotations and links, laid out row by row. Deterministic: ids follow plan order, keys are
 * sorted.
 * @see https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/
 * @see https://github.com/grafana/grafana-foundation-sdk
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  AnnotationQueryBuilder,
  CustomVariableBuilder,
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DataSourceRef,
  DatasourceVariableBuilder,
  DynamicConfigValue,
  MappingType,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  ValueMapping,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { DashboardPlan, PanelPlan, PanelQuery, PlanLink, RangeMapping, TableLayout, ThresholdStep, VariablePlan } from '../dashboards/types';
import { sortedJsonValue, stableJson } from './stable-json';

/** A dashboard as Grafana's JSON model: plain data, keys sorted. */
export type DashboardJson = { readonly [key: string]: unknown };

/** The Prometheus datasource of every PromQL panel: the dashboard's `datasource` variable. */
const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/** The datasource of Grafana's own annotations (alerts and annotations made in the UI). */
const GRAFANA: DataSourceRef = { type: 'grafana', uid: '-- Grafana --' };

/** Any of the panel builders the renderer uses. */
type AnyPanelBuilder = stat.PanelBuilder | timeseries.PanelBuilder | table.PanelBuilder | logs.PanelBuilder;

function thresholds(steps: readonly ThresholdStep[]): ThresholdsConfigBuilder {
  // The SDK types the base step's `null` as a number; Grafana reads it as minus infinity.
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps.map((s) => ({ value: s.value as number, color: s.color })));
}

function mappings(ranges: readonly RangeMapping[]): ValueMapping[] {
  return ranges.map((m, index) => ({ type: MappingType.RangeToText, options: { from: m.from ?? null, to: m.to ?? null, result: { text: m.text, color: m.color, index } } }));
}

function links(planLinks: readonly PlanLink[]): DashboardLinkBuilder[] {
  return planLinks.map((l) => new DashboardLinkBuilder(l.title).url(l.url).targetBlank(true));
}

function target(query: PanelQuery, panel: PanelPlan): prometheus.DataqueryBuilder | loki.DataqueryBuilder {
  if (panel.language === 'logql') {
    const q = new loki.DataqueryBuilder().expr(query.expr).refId(query.refId);
    return panel.kind === 'logs' ? q : q.legendFormat(query.legend);
  }
  const q = new prometheus.DataqueryBuilder().expr(query.expr).refId(query.refId).legendFormat(query.legend === '' ? '__auto' : query.legend);
  if (query.instant === true) q.instant();
  else q.range();
  if (panel.kind === 'table') q.format(prometheus.PromQueryFormat.Table);
  if (query.exemplar === true) q.exemplar(true);
  return q;
}

/** The field a table column shows: a label by name, or a query's value (`Value`, or `Value #A` beside other queries). */
function sourceField(field: string, panel: PanelPlan): string {
  if (!field.startsWith('#')) return field;
  return panel.queries.length === 1 ? 'Value' : `Value #${field.slice(1)}`;
}

/** Joins a table's queries into one row per key, keeps and names its columns, sorts it. */
function layTable(builder: table.PanelBuilder, panel: PanelPlan, layout: TableLayout): void {
  if (layout.key !== undefined && panel.queries.length > 1) builder.withTransformation({ id: 'merge', options: {} });
  const shown = layout.columns.map((c) => sourceField(c.field, panel));
  builder.withTransformation({
    id: 'organize',
    options: {
      excludeByName: { Time: true, ...Object.fromEntries((layout.hidden ?? []).map((f) => [f, true])), ...Object.fromEntries(panel.queries.map((q) => [sourceField(`#${q.refId}`, panel), !shown.includes(sourceField(`#${q.refId}`, panel))])) },
      includeByName: Object.fromEntries(shown.map((f) => [f, true])),
      indexByName: Object.fromEntries(shown.map((f, i) => [f, i])),
      renameByName: Object.fromEntries(layout.columns.map((c) => [sourceField(c.field, panel), c.title])),
    },
  });
  if (layout.sortBy !== undefined) {
    const by = layout.columns.find((c) => c.field === layout.sortBy?.field);
    if (by !== undefined) builder.sortBy([new common.TableSortByFieldStateBuilder().displayName(by.title).desc(layout.sortBy.descending)]);
  }
  // After `organize`, fields match by their new names (Grafana matches display names).
  for (const column of layout.columns) {
    const properties: DynamicConfigValue[] = [];
    const override = column.field.startsWith('#') ? panel.overrides?.find((o) => o.refId === column.field.slice(1)) : undefined;
    if (override?.unit !== undefined) properties.push({ id: 'unit', value: override.unit });
    if (override?.thresholds !== undefined) properties.push({ id: 'thresholds', value: thresholds(override.thresholds).build() });
    if (override?.mappings !== undefined) properties.push({ id: 'mappings', value: mappings(override.mappings) });
    if (override?.thresholds !== undefined || override?.mappings !== undefined) properties.push({ id: 'custom.cellOptions', value: { type: 'color-text' } });
    if (column.link !== undefined) properties.push({ id: 'links', value: [{ title: column.link.title, url: column.link.url }] });
    if (properties.length > 0) builder.overrideByName(column.title, properties);
  }
}

function panelBuilder(panel: PanelPlan): AnyPanelBuilder {
  switch (panel.kind) {
    case 'stat':
      return new stat.PanelBuilder()
        .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
        .colorMode(common.BigValueColorMode.Value)
        .graphMode(common.BigValueGraphMode.None)
        .textMode(panel.queries.length > 1 ? common.BigValueTextMode.ValueAndName : common.BigValueTextMode.Value);
    case 'timeseries': {
      const builder = new timeseries.PanelBuilder()
        .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom).showLegend(true))
        .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
      if (panel.thresholdLines === true) builder.thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line));
      return builder;
    }
    case 'table': {
      const builder = new table.PanelBuilder().showHeader(true);
      if (panel.table !== undefined) layTable(builder, panel, panel.table);
      return builder;
    }
    case 'logs':
      return new logs.PanelBuilder().showTime(true).wrapLogMessage(true).enableLogDetails(true).sortOrder(common.LogsSortOrder.Descending);
  }
}

function renderPanel(plan: DashboardPlan, panel: PanelPlan, id: number): AnyPanelBuilder {
  const builder = panelBuilder(panel);
  builder
    .id(id)
    .title(panel.title)
    .description(panel.question)
    .span(panel.width)
    .height(panel.height)
    .datasource(panel.language === 'logql' ? { type: 'loki', uid: plan.lokiDatasource ?? '' } : PROMETHEUS);
  for (const query of panel.queries) builder.withTarget(target(query, panel));
  if (panel.unit !== undefined) builder.unit(panel.unit);
  if (panel.decimals !== undefined) builder.decimals(panel.decimals);
  if (panel.thresholds !== undefined) builder.thresholds(thresholds(panel.thresholds));
  if (panel.links !== undefined && panel.links.length > 0) builder.links(links(panel.links));
  if (panel.kind !== 'table') {
    for (const override of panel.overrides ?? []) {
      const properties: DynamicConfigValue[] = [];
      if (override.thresholds !== undefined) properties.push({ id: 'thresholds', value: thresholds(override.thresholds).build() });
      if (override.unit !== undefined) properties.push({ id: 'unit', value: override.unit });
      if (override.mappings !== undefined) properties.push({ id: 'mappings', value: mappings(override.mappings) });
      if (properties.length > 0) builder.overrideByQuery(override.refId, properties);
    }
  }
  return builder;
}

function variable(v: VariablePlan): DatasourceVariableBuilder | CustomVariableBuilder | QueryVariableBuilder {
  const current = { text: v.current, value: v.current };
  switch (v.kind) {
    case 'datasource':
      return new DatasourceVariableBuilder(v.name).label(v.label).type(v.pluginId).current(current);
    case 'custom':
      return new CustomVariableBuilder(v.name)
        .label(v.label)
        .values(v.values.join(','))
        .current(current)
        .options(v.values.map((value) => ({ text: value, value, selected: value === v.current })));
    case 'query':
      return new QueryVariableBuilder(v.name)
        .label(v.label)
        .datasource(PROMETHEUS)
        .query(`label_values(${v.selector}, ${v.labelName})`)
        .refresh(VariableRefresh.OnDashboardLoad)
        .sort(VariableSort.AlphabeticalAsc)
        .current(current);
  }
}

/** The dashboard of a plan, built with the SDK's builders. */
function buildDashboard(plan: DashboardPlan): DashboardBuilder {
  const dashboard = new DashboardBuilder(plan.title)
    .uid(plan.uid)
    .description(plan.description)
    .tags([...plan.tags])
    .readonly()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: plan.timeFrom, to: 'now' })
    .refresh(plan.refresh)
    .timezone('browser')
    .annotation(new AnnotationQueryBuilder().name('Annotations & Alerts').datasource(GRAFANA).builtIn(1).enable(true).hide(true).iconColor('rgba(0, 211, 255, 1)').type('dashboard'));
  for (const a of plan.annotations) dashboard.annotation(new AnnotationQueryBuilder().name(a.name).datasource(PROMETHEUS).enable(true).iconColor(a.color).expr(a.expr));
  for (const v of plan.variables) dashboard.withVariable(variable(v));
  if (plan.links.length > 0) dashboard.links(links(plan.links));
  let id = 0;
  for (const row of plan.rows) {
    const rowBuilder = new RowBuilder(row.title).id(++id).collapsed(row.collapsed === true);
    const panels = row.panels.map((panel) => renderPanel(plan, panel, ++id));
    if (row.collapsed === true) {
      for (const panel of panels) rowBuilder.withPanel(panel);
      dashboard.withRow(rowBuilder);
    } else {
      // An open row's panels follow it at the top level, as Grafana saves them.
      dashboard.withRow(rowBuilder);
      for (const panel of panels) dashboard.withPanel(panel);
    }
  }
  return dashboard;
}

/**
 * A plan as Grafana's dashboard JSON model, as plain data with sorted keys.
 * @example
 * const model = dashboardJson(serviceDashboardPlan(platform, service));
 */
export function dashboardJson(plan: DashboardPlan): DashboardJson {
  return sortedJsonValue(buildDashboard(plan).build()) as DashboardJson;
}

/** A plan as the text of a dashboard JSON file: sorted keys, two-space indent, final newline. */
export function renderDashboard(plan: DashboardPlan): string {
  return stableJson(buildDashboard(plan).build());
}
