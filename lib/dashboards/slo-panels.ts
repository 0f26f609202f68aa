/**
 * The Overview row of a service dashboard: per SLO, its attainment over the period, the error
 * budget left and the burn rate per tier, all read from the SLO recording rules the alerts
 * read; then the service's alerts.
 */
import { equalityMatchers, selector } from '../promql/build';
import { BURN_RATE_ALERT, LOW_BUDGET_ALERT, runbookUrl } from '../definition/naming';
import { EffectiveService, PlatformDefinition, Slo } from '../definition';
import { variableRef } from './macros';
import { COLORS, badFrom, goodFrom, num, percent, queries, stat, table } from './panels';
import {
  BASE_WINDOW,
  ERROR_BUDGET_RECORD,
  ERROR_BUDGET_REMAINING_RECORD,
  LOW_ERROR_BUDGET_REMAINING,
  burnRateAlertSpecs,
  objectiveRatio,
  sliErrorRecord,
  sloErrorBudget,
  sloSeries,
} from './rule-names';
import { PanelPlan, ThresholdStep } from './types';

/** The share of good events of an SLO over its period: `1 - slo:sli_error:ratio_rate30d{...}`. */
export function attainmentQuery(service: Pick<EffectiveService, 'name'>, slo: Slo): string {
  return `1 - ${sloSeries(sliErrorRecord(slo.period), service, slo)}`;
}

/** The burn rate of an SLO over a window: the error ratio over the window divided by the error budget. */
export function burnRateQuery(service: Pick<EffectiveService, 'name'>, slo: Slo, window: string): string {
  return `${sloSeries(sliErrorRecord(window), service, slo)} / ${sloSeries(ERROR_BUDGET_RECORD, service, slo)}`;
}

/** The window a single burn rate of an SLO is shown over: its fastest tier's long window, else the base window. */
export function fastestWindow(slo: Slo): string {
  const specs = burnRateAlertSpecs(slo);
  return specs.length === 0 ? BASE_WINDOW : specs.reduce((a, b) => (b.factor > a.factor ? b : a)).longWindow;
}

/** Thresholds of the budget left: spent below 0, low below the low-budget alert's level, healthy above. */
export function budgetThresholds(): ThresholdStep[] {
  return [
    { value: null, color: COLORS.bad },
    { value: 0, color: COLORS.warning },
    { value: LOW_ERROR_BUDGET_REMAINING, color: COLORS.good },
  ];
}

/** The unit of burn rates: a multiple of the sustainable rate. */
export const BURN_RATE_UNIT = 'suffix:×';

/** The three Overview panels of one SLO. */
export function sloPanels(platform: PlatformDefinition, service: EffectiveService, slo: Slo): PanelPlan[] {
  const key = `overview/${slo.name}`;
  const objective = objectiveRatio(slo);
  const specs = burnRateAlertSpecs(slo);
  const burnQueries =
    specs.length === 0
      ? queries({ expr: burnRateQuery(service, slo, BASE_WINDOW), legend: `${BASE_WINDOW} window` })
      : queries(...specs.map((spec) => ({ expr: burnRateQuery(service, slo, spec.longWindow), legend: `${spec.longWindow} (${spec.severity} above ${num(spec.factor)}×)` })));
  return [
    stat({
      key: `${key}/attainment`,
      title: `SLO attainment: ${slo.name}`,
      question: `Does ${slo.name} meet its objective? ${slo.description}. Green at ${percent(objective)} and above.`,
      queries: queries({ expr: attainmentQuery(service, slo), legend: slo.name }),
      unit: 'percentunit',
      decimals: 3,
      thresholds: goodFrom(objective),
      links: [{ title: `Runbook: ${LOW_BUDGET_ALERT}`, url: runbookUrl(platform, service, LOW_BUDGET_ALERT) }],
      width: 6,
      height: 5,
    }),
    stat({
      key: `${key}/budget`,
      title: `Error budget remaining: ${slo.name}`,
      question: `How much of the ${slo.period} error budget of ${slo.name} (${percent(sloErrorBudget(slo))} of events) is left? ${LOW_BUDGET_ALERT} fires below ${percent(LOW_ERROR_BUDGET_REMAINING)}; below 0 the objective is missed.`,
      queries: queries({ expr: sloSeries(ERROR_BUDGET_REMAINING_RECORD, service, slo), legend: slo.name }),
      unit: 'percentunit',
      decimals: 1,
      thresholds: budgetThresholds(),
      links: [{ title: `Runbook: ${LOW_BUDGET_ALERT}`, url: runbookUrl(platform, service, LOW_BUDGET_ALERT) }],
      width: 6,
      height: 5,
    }),
    stat({
      key: `${key}/burn-rate`,
      title: `Burn rate: ${slo.name}`,
      question:
        specs.length === 0
          ? `How fast is the error budget of ${slo.name} being spent, as a multiple of the sustainable rate? Above 1 it runs out before the period ends.`
          : `How fast is the error budget of ${slo.name} being spent, per alert tier, as a multiple of the sustainable rate? A tier turns red at the factor its ${BURN_RATE_ALERT} alert fires at (when its short window agrees).`,
      queries: burnQueries,
      unit: BURN_RATE_UNIT,
      decimals: 2,
      thresholds: badFrom(1),
      overrides: specs.map((spec, i) => ({ refId: burnQueries[i].refId, thresholds: badFrom(spec.factor) })),
      links: [{ title: `Runbook: ${BURN_RATE_ALERT}`, url: runbookUrl(platform, service, BURN_RATE_ALERT) }],
      width: 12,
      height: 5,
    }),
  ];
}

/**
 * A table of the alerts on `ALERTS` series that fire or are pending (their condition holds, their
 * wait has not passed), one row per combination of the given labels.
 */
export function alertsTable(key: string, question: string, alerts: string, columns: readonly (readonly [label: string, title: string])[]): PanelPlan {
  const labels = [...columns.map(([label]) => label), 'alertstate'];
  return table({
    key,
    title: 'Alerts',
    question,
    queries: queries({ expr: `sum by (${labels.join(', ')}) (${alerts})`, legend: '{{alertname}}' }),
    table: {
      columns: [...columns.map(([field, title]) => ({ field, title })), { field: 'alertstate', title: 'State' }],
      sortBy: { field: columns[0][0], descending: false },
    },
    width: 24,
    height: 6,
  });
}

/** The alerts of the service that fire or are about to, from Prometheus's `ALERTS` series. */
export function alertsPanel(service: EffectiveService): PanelPlan {
  return alertsTable(
    'overview/alerts',
    `Which alerts of ${service.name} are firing, and which are pending (their condition holds, their wait has not passed)?`,
    selector('ALERTS', equalityMatchers({ namespace: variableRef('namespace'), service: service.name })),
    [
      ['alertname', 'Alert'],
      ['severity', 'Severity'],
      ['slo', 'SLO'],
    ],
  );
}
