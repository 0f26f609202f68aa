/**
 * The small vocabulary of SLO math. The definition builds on it; nothing here knows the
 * definition.
 */

/**
 * Alert severities of the platform, from "page now" to "dashboard only".
 * - `critical`: page the on-call engineer now.
 * - `high`: page during business hours, chat otherwise.
 * - `medium`: open a ticket.
 * - `low`: no notification unless routed; dashboards and reports.
 */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** Every severity, from the most to the least urgent. */
export const SEVERITIES: readonly Severity[] = Object.freeze(['critical', 'high', 'medium', 'low'] as const);

/** Rolling SLO period. */
export type SloPeriod = '30d' | '28d' | '7d';

/** The supported SLO periods. */
export const SLO_PERIODS: readonly SloPeriod[] = Object.freeze(['30d', '28d', '7d'] as const);

/** A multiwindow burn-rate tier: the share of the error budget it detects over a window. */
export interface BurnRateTier {
  /** Share of the period's error budget spent when the alert fires, percent (e.g. 2). */
  readonly budgetPercent: number;
  /** Long window, Prometheus duration (e.g. `1h`). */
  readonly longWindow: string;
  /** Short window, Prometheus duration (e.g. `5m`). */
  readonly shortWindow: string;
  /** Severity of the alert. */
  readonly severity: Severity;
}
