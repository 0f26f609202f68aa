import { parseDuration } from '../promql/duration';
import { BurnRateTier, SloPeriod } from './types';

/** Hours in each supported SLO period. */
export const PERIOD_HOURS: Readonly<Record<SloPeriod, number>> = { '30d': 720, '28d': 672, '7d': 168 };

/**
 * The multiwindow multi-burn-rate tiers of the Google SRE workbook: each detects a share of
 * the period's error budget spent over its long window; the short window (one twelfth)
 * makes the alert reset quickly once the burn stops.
 * @see https://sre.google/workbook/alerting-on-slos/#6-multiwindow-multi-burn-rate-alerts
 */
export const DEFAULT_BURN_RATE_TIERS: readonly BurnRateTier[] = Object.freeze([
  Object.freeze({ budgetPercent: 2, longWindow: '1h', shortWindow: '5m', severity: 'critical' as const }),
  Object.freeze({ budgetPercent: 5, longWindow: '6h', shortWindow: '30m', severity: 'high' as const }),
  Object.freeze({ budgetPercent: 10, longWindow: '1d', shortWindow: '2h', severity: 'medium' as const }),
  Object.freeze({ budgetPercent: 10, longWindow: '3d', shortWindow: '6h', severity: 'medium' as const }),
]);

/** Rounds away binary floating-point noise (0.1 + 0.2 → 0.3) so output stays readable. */
export function clean(value: number): number {
  return Number(value.toPrecision(12));
}

/** The error budget of an objective given in percent, as a ratio: 99.9 → 0.001. */
export function errorBudget(objectivePercent: number): number {
  return clean((100 - objectivePercent) / 100);
}

/**
 * Burn factor of a tier: budget share × period hours / long-window hours.
 * 30d: 2%/1h → 14.4, 5%/6h → 6, 10%/1d → 3, 10%/3d → 1.
 */
export function burnFactor(tier: Pick<BurnRateTier, 'budgetPercent' | 'longWindow'>, period: SloPeriod): number {
  const longHours = (parseDuration(tier.longWindow) ?? NaN) / 3600;
  return clean((tier.budgetPercent * PERIOD_HOURS[period]) / (100 * longHours));
}

/** The error-ratio threshold of a tier: burn factor × error budget. An alert fires above it. */
export function burnThreshold(
  tier: Pick<BurnRateTier, 'budgetPercent' | 'longWindow'>,
  period: SloPeriod,
  objectivePercent: number,
): number {
  return clean(burnFactor(tier, period) * errorBudget(objectivePercent));
}

/**
 * How long a burn-rate condition must hold before its alert fires, in seconds: a fifth of the
 * short window, whole minutes, at least one minute (5m → 1m, 30m → 6m, 2h → 24m, 6h → 1h12m).
 * It filters single-evaluation spikes while adding little to the detection time of the tier.
 * Prometheus (`for`) and Cloud Monitoring (`duration`) both wait this long, so both fire together.
 */
export function burnHoldSeconds(shortWindow: string): number {
  const seconds = parseDuration(shortWindow) ?? 300;
  return Math.max(60, Math.floor(seconds / 5 / 60) * 60);
}
