import { formatNumber } from '../promql/build';
import {
  BurnRateAlertSpec,
  ERROR_BUDGET_RECORD,
  ERROR_BUDGET_REMAINING_RECORD,
  LOW_ERROR_BUDGET_REMAINING,
  OBJECTIVE_RECORD,
  burnRateAlertSpecs,
  objectiveRatio,
  periodErrorRatioQuery,
  requestRateRecord,
  sliErrorRatioQuery,
  sliErrorRecord,
  sliTotalRateQuery,
  sloErrorBudget,
  sloLabels,
  sloSeries,
  sloWindows,
} from '../prometheus/sli';
import { EffectiveService, PlatformDefinition, Severity, Slo } from '../definition';
import { BURN_RATE_ALERT, LOW_BUDGET_ALERT, alertLabels, alertLinks } from '../definition/naming';
import { sortedRecord } from '../private/data';
import { AlertingRule, RecordingRule, RuleGroup } from './rule-group';

/** The alert names, defined with the other names derived from the definition. */
export { BURN_RATE_ALERT, LOW_BUDGET_ALERT };

/**
 * The labels an SLO alert sets itself: the alert labels and `slo`, without `service`, which the
 * recorded series it selects carry already (its `seriesLabels`), as Sloth's alerts inherit
 * their `sloth_*` labels. `slo` stays although the series carry it too: `promtool check rules`
 * reports alerts of one name whose own labels are equal as duplicates.
 */
function sloAlertLabels(service: EffectiveService, slo: Slo, severity: Severity, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const { service: _service, ...labels } = alertLabels(service, severity);
  return sortedRecord({ ...labels, ...extra, slo: slo.name });
}

/** How long the remaining budget must stay low before the low-budget alert fires. */
export const LOW_BUDGET_FOR = '15m';

/** The rule group of one SLO: `<service>-slo-<slo>`. */
export function sloRuleGroupName(service: Pick<EffectiveService, 'name'>, slo: Pick<Slo, 'name'>): string {
  return `${service.name}-slo-${slo.name}`;
}

/** Indents every line of a PromQL expression by two spaces. */
function indent(expr: string): string {
  return expr
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

/** The long windows of an SLO's tiers, each once, in tier order. */
function longWindows(slo: Slo): string[] {
  return [...new Set(slo.burnRateTiers.map((t) => t.longWindow))];
}

/** The recording rules of one SLO: error ratios per window, request rates for the guard, period ratio, budget series. */
export function sloRecordingRules(service: EffectiveService, slo: Slo): RecordingRule[] {
  const labels = sloLabels(service, slo);
  // `>= 0` drops the NaN of a window without traffic (0/0): a recorded NaN would make the
  // period average, and with it the error budget, NaN for the whole period.
  const rules: RecordingRule[] = sloWindows(slo).map((window) => ({
    record: sliErrorRecord(window),
    expr: `(\n${indent(sliErrorRatioQuery(service, slo, window))}\n) >= 0`,
    labels,
  }));
  if (slo.minRequestRate !== undefined) {
    for (const window of longWindows(slo)) {
      rules.push({ record: requestRateRecord(window), expr: sliTotalRateQuery(service, slo, window), labels });
    }
  }
  const budget = sloErrorBudget(slo);
  rules.push(
    { record: sliErrorRecord(slo.period), expr: periodErrorRatioQuery(service, slo), labels },
    { record: OBJECTIVE_RECORD, expr: `vector(${formatNumber(objectiveRatio(slo))})`, labels },
    { record: ERROR_BUDGET_RECORD, expr: `vector(${formatNumber(budget)})`, labels },
    {
      record: ERROR_BUDGET_REMAINING_RECORD,
      expr: `1 - ${sloSeries(sliErrorRecord(slo.period), service, slo)} / ${formatNumber(budget)}`,
      labels,
    },
  );
  return rules;
}

function percent(ratio: number): string {
  return `${formatNumber(ratio * 100)}%`;
}

/**
 * The alert expression of one tier: the long AND the short window above the threshold,
 * and, with a low-traffic guard, the long-window request rate at least `minRequestRate`.
 */
export function burnRateExpr(service: EffectiveService, slo: Slo, spec: BurnRateAlertSpec): string {
  const threshold = formatNumber(spec.threshold);
  const parts = [
    `${sloSeries(sliErrorRecord(spec.longWindow), service, slo)} > ${threshold}`,
    `${sloSeries(sliErrorRecord(spec.shortWindow), service, slo)} > ${threshold}`,
  ];
  if (slo.minRequestRate !== undefined) {
    parts.push(`${sloSeries(requestRateRecord(spec.longWindow), service, slo)} >= ${formatNumber(slo.minRequestRate)}`);
  }
  return parts.join('\nand\n');
}

/**
 * The burn-rate alerts of one SLO, one rule per tier (not pairs combined with `or`): each
 * tier keeps its own `severity`, `for` and `long_window` label, so routing, inhibition and
 * runbooks can tell a page from a ticket.
 */
export function burnRateAlerts(platform: PlatformDefinition, service: EffectiveService, slo: Slo): AlertingRule[] {
  const budget = sloErrorBudget(slo);
  return burnRateAlertSpecs(slo).map((spec) => {
    const guard =
      slo.minRequestRate === undefined
        ? ''
        : ` Applies only while the request rate over ${spec.longWindow} is at least ${formatNumber(slo.minRequestRate)}/s.`;
    return {
      alert: BURN_RATE_ALERT,
      expr: burnRateExpr(service, slo, spec),
      for: spec.for,
      labels: sloAlertLabels(service, slo, spec.severity, { long_window: spec.longWindow }),
      seriesLabels: sloLabels(service, slo),
      annotations: {
        summary: `${service.name} SLO ${slo.name}: ${formatNumber(spec.budgetPercent)}% of the ${slo.period} error budget spent within ${spec.longWindow}`,
        description:
          `The error ratio of SLO ${slo.name} (${slo.description}) is above ${formatNumber(spec.threshold)} over both ${spec.longWindow} and ${spec.shortWindow}: ` +
          `${formatNumber(spec.factor)} times the ${percent(budget)} error budget of the ${formatNumber(slo.objective)}% objective.${guard}`,
        ...alertLinks(platform, service, BURN_RATE_ALERT),
      },
    };
  });
}

/** The alert on an error budget with less than a quarter left, severity `low` (dashboards and reports). */
export function lowBudgetAlert(platform: PlatformDefinition, service: EffectiveService, slo: Slo): AlertingRule {
  return {
    alert: LOW_BUDGET_ALERT,
    expr: `${sloSeries(ERROR_BUDGET_REMAINING_RECORD, service, slo)} < ${formatNumber(LOW_ERROR_BUDGET_REMAINING)}`,
    for: LOW_BUDGET_FOR,
    labels: sloAlertLabels(service, slo, 'low'),
    seriesLabels: sloLabels(service, slo),
    annotations: {
      summary: `${service.name} SLO ${slo.name}: less than ${percent(LOW_ERROR_BUDGET_REMAINING)} of the ${slo.period} error budget left`,
      description: `SLO ${slo.name} (${slo.description}) has spent more than ${percent(1 - LOW_ERROR_BUDGET_REMAINING)} of its ${slo.period} error budget. Prefer reliability work over risky changes until it recovers.`,
      ...alertLinks(platform, service, LOW_BUDGET_ALERT),
    },
  };
}

/** The rule group of one SLO: recording rules first (later rules read them in the same evaluation), then alerts. */
export function sloRuleGroup(platform: PlatformDefinition, service: EffectiveService, slo: Slo): RuleGroup {
  return {
    name: sloRuleGroupName(service, slo),
    rules: [...sloRecordingRules(service, slo), ...burnRateAlerts(platform, service, slo), lowBudgetAlert(platform, service, slo)],
  };
}
