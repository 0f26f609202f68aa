import { formatGoFloat } from '../private/go-float';
import { equalityMatchers, selector, substituteWindow } from '../promql/build';
import { formatDuration, parseDuration } from '../promql/duration';
import { EffectiveService, Slo } from '../definition';
import { burnFactor, burnHoldSeconds, burnThreshold, errorBudget } from '../slo/burn-rate';
import { SloPeriod } from '../slo/types';

/**
 * The error ratio of an SLO over a window, as recorded: `slo:sli_error:ratio_rate5m`.
 * @see https://prometheus.io/docs/practices/rules/#naming-and-aggregation
 */
export function sliErrorRecord(window: string): string {
  return `slo:sli_error:ratio_rate${window}`;
}

/** The request (event) rate of an SLO over a window, per second: `slo:requests:rate1h`. Feeds the low-traffic guard. */
export function requestRateRecord(window: string): string {
  return `slo:requests:rate${window}`;
}

/** The objective as a ratio (99.9 → 0.999), constant, for dashboards. */
export const OBJECTIVE_RECORD = 'slo:objective:ratio';
/** The error budget as a ratio (99.9 → 0.001), constant, for dashboards. */
export const ERROR_BUDGET_RECORD = 'slo:error_budget:ratio';
/** The share of the period's error budget left: 1 at no errors, 0 when spent, negative beyond. */
export const ERROR_BUDGET_REMAINING_RECORD = 'slo:error_budget_remaining:ratio';

/** The window every SLO records; the period ratio is averaged from it. */
export const BASE_WINDOW = '5m';

/**
 * Matchers scoping raw series to one service: the prometheus-operator ServiceMonitor sets
 * `job` to the Kubernetes Service name, which is the service name.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ServiceMonitorSpec
 */
export function scopeMatchers(service: Pick<EffectiveService, 'name' | 'namespace'>): string {
  return equalityMatchers({ job: service.name, namespace: service.namespace });
}

/** Labels on every recorded SLO series: `service`, `slo`, `slo_kind`. */
export function sloLabels(service: Pick<EffectiveService, 'name'>, slo: Pick<Slo, 'name' | 'kind'>): Record<string, string> {
  return { service: service.name, slo: slo.name, slo_kind: slo.kind };
}

/** A selector for a recorded SLO series of one service and SLO: `record{service="x", slo="y"}`. */
export function sloSeries(record: string, service: Pick<EffectiveService, 'name'>, slo: Pick<Slo, 'name'>): string {
  return selector(record, equalityMatchers({ service: service.name, slo: slo.name }));
}

/**
 * The windows an SLO records, shortest first: the base window plus the long and short window
 * of every burn-rate tier.
 */
export function sloWindows(slo: Pick<Slo, 'burnRateTiers'>): string[] {
  const windows = new Set<string>([BASE_WINDOW]);
  for (const tier of slo.burnRateTiers) {
    windows.add(tier.longWindow);
    windows.add(tier.shortWindow);
  }
  return [...windows].sort((a, b) => (parseDuration(a) ?? 0) - (parseDuration(b) ?? 0) || (a < b ? -1 : 1));
}

/**
 * The label matcher selecting a histogram bucket, with the bound written as the Go and Python
 * clients expose it (`strconv.FormatFloat(v, 'g', -1, 64)`: `0.25`, `5e-05`). Integral bounds
 * are written `1` by those clients and `1.0` by others (and by Prometheus 3 on ingestion); both
 * match.
 */
export function bucketMatcher(threshold: number): string {
  // Thresholds are latency buckets of at most a day, so integral ones print as plain digits.
  const text = formatGoFloat(threshold);
  return Number.isInteger(threshold) ? `le=~"${text}|${text}.0"` : `le="${text}"`;
}

/**
 * The SLI error-ratio query of an SLO over a window, on raw series.
 * - availability: `sum(rate(bad[w])) / sum(rate(total[w]))`; bad requests are selected
 *   with both the total and the bad selector, so they are always a subset of the total.
 * - latency: requests slower than the threshold, `1 - bucket{le=threshold} / count`.
 * - custom: `1 - good / total` with `{{window}}` replaced; the queries are used as given.
 */
export function sliErrorRatioQuery(service: EffectiveService, slo: Slo, window: string): string {
  const scope = scopeMatchers(service);
  switch (slo.kind) {
    case 'availability': {
      const metric = service.metrics.requestsMetric;
      const bad = selector(metric, scope, slo.totalSelector, slo.badSelector);
      const total = selector(metric, scope, slo.totalSelector);
      return `sum(rate(${bad}[${window}]))\n/\nsum(rate(${total}[${window}]))`;
    }
    case 'latency': {
      const metric = service.metrics.latencyMetric;
      const count = `sum(rate(${selector(`${metric}_count`, scope, slo.selector)}[${window}]))`;
      const fast = `sum(rate(${selector(`${metric}_bucket`, scope, slo.selector, bucketMatcher(slo.thresholdSeconds))}[${window}]))`;
      // `1 - fast / count` rather than `(count - fast) / count`: PromQL has no common
      // subexpressions, so the second form reads the count over the window twice.
      return `1 - (\n  ${fast}\n  /\n  ${count}\n)`;
    }
    case 'custom':
      return `1 - (\n  (${substituteWindow(slo.goodQuery, window)})\n  /\n  (${substituteWindow(slo.totalQuery, window)})\n)`;
  }
}

/** The rate of all requests (events) an SLO counts, per second, over a window. */
export function sliTotalRateQuery(service: EffectiveService, slo: Slo, window: string): string {
  const scope = scopeMatchers(service);
  switch (slo.kind) {
    case 'availability':
      return `sum(rate(${selector(service.metrics.requestsMetric, scope, slo.totalSelector)}[${window}]))`;
    case 'latency':
      return `sum(rate(${selector(`${service.metrics.latencyMetric}_count`, scope, slo.selector)}[${window}]))`;
    case 'custom':
      return substituteWindow(slo.totalQuery, window);
  }
}

/**
 * The period error ratio, derived cheaply from the recorded base-window ratio:
 * `avg_over_time(slo:sli_error:ratio_rate5m{...}[30d])`. An average of 5m ratios weighs
 * quiet and busy hours alike; it avoids a 30-day range query over raw counters.
 */
export function periodErrorRatioQuery(service: EffectiveService, slo: Slo): string {
  return `avg_over_time(${sloSeries(sliErrorRecord(BASE_WINDOW), service, slo)}[${slo.period}])`;
}

/** One burn-rate tier of an SLO with its derived numbers. */
export interface BurnRateAlertSpec {
  /** Position of the tier in `slo.burnRateTiers`. */
  readonly index: number;
  readonly longWindow: string;
  readonly shortWindow: string;
  readonly severity: Slo['burnRateTiers'][number]['severity'];
  readonly budgetPercent: number;
  /** Burn factor: how many times faster than sustainable the budget is spent. */
  readonly factor: number;
  /** Error-ratio threshold: factor × error budget. */
  readonly threshold: number;
  /** `for` of the alert: a fifth of the short window, at least one minute. */
  readonly for: string;
}

/** How long a burn-rate condition must hold before the alert fires, as a Prometheus `for`. */
export function burnAlertFor(shortWindow: string): string {
  return formatDuration(burnHoldSeconds(shortWindow));
}

/** The burn-rate alerts of an SLO: one per tier, in tier order. */
export function burnRateAlertSpecs(slo: Pick<Slo, 'burnRateTiers' | 'period' | 'objective'>): BurnRateAlertSpec[] {
  return slo.burnRateTiers.map((tier, index) => ({
    index,
    longWindow: tier.longWindow,
    shortWindow: tier.shortWindow,
    severity: tier.severity,
    budgetPercent: tier.budgetPercent,
    factor: burnFactor(tier, slo.period),
    threshold: burnThreshold(tier, slo.period, slo.objective),
    for: burnAlertFor(tier.shortWindow),
  }));
}

/** Error budget share below which the low-budget alert fires. */
export const LOW_ERROR_BUDGET_REMAINING = 0.25;

/** The error budget of an SLO as a ratio. */
export function sloErrorBudget(slo: Pick<Slo, 'objective'>): number {
  return errorBudget(slo.objective);
}

/** The objective of an SLO as a ratio: 99.9 → 0.999. */
export function objectiveRatio(slo: Pick<Slo, 'objective'>): number {
  return Number((slo.objective / 100).toPrecision(12));
}

/** Human text of a period for messages: `30d` → `30-day`. */
export function periodText(period: SloPeriod): string {
  return `${period.replace('d', '')}-day`;
}

