import { BurnRateAlertSpec, LOW_ERROR_BUDGET_REMAINING, burnRateAlertSpecs, sloErrorBudget } from '../prometheus/sli';
import { Slo } from '../definition';
import { parseDuration } from '../promql/duration';

/**
 * Minute-by-minute model of what the SLO rules compute for synthetic traffic, used to derive
 * the exact expectations of the generated `promtool test rules` files.
 *
 * The model holds for counters that start at 0 at minute 0 and are sampled every minute,
 * with rules evaluated every minute: then `rate(x[w])` at minute t is exactly
 * `(x(t) - x(max(0, t - w))) / w` (a sample sits on the range start, or the counter's zero
 * point does, so Prometheus does not extrapolate), and ratios of such rates are ratios of
 * increases.
 */

/** Constant traffic for some minutes. */
export interface TrafficSegment {
  /** How many minutes the segment lasts. */
  readonly minutes: number;
  /** Requests (events) per minute. */
  readonly perMinute: number;
  /** Share of them that are bad (failed, too slow), 0..1. */
  readonly errorRatio: number;
}

/** Per-minute counter increments of a scenario: index m covers the minute (m-1, m]; index 0 is unused. */
export interface Increments {
  readonly total: readonly number[];
  readonly bad: readonly number[];
  /** A short name of the content (the segments it came from), for caching. @default none */
  readonly key?: string;
}

/** The per-minute increments of a list of segments. */
export function increments(segments: readonly TrafficSegment[]): Increments {
  const total = [0];
  const bad = [0];
  for (const segment of segments) {
    for (let i = 0; i < segment.minutes; i++) {
      total.push(segment.perMinute);
      bad.push(segment.perMinute * segment.errorRatio);
    }
  }
  return { total, bad, key: JSON.stringify(segments) };
}

/** The first minutes of a scenario, up to and including `last`. */
export function upTo(inc: Increments, last: number): Increments {
  return { total: inc.total.slice(0, last + 1), bad: inc.bad.slice(0, last + 1), key: inc.key === undefined ? undefined : `${inc.key}|${last}` };
}

const minutesCache = new Map<string, number>();

function windowMinutes(window: string): number {
  let minutes = minutesCache.get(window);
  if (minutes === undefined) {
    minutes = (parseDuration(window) ?? 0) / 60;
    minutesCache.set(window, minutes);
  }
  return minutes;
}

const prefixCache = new WeakMap<readonly number[], number[]>();

/**
 * Running totals of per-minute increments: what a counter reads at each minute. A window's sum
 * is then a difference of two readings, exactly as `increase()` computes it from the counter.
 */
function prefix(values: readonly number[]): number[] {
  let sums = prefixCache.get(values);
  if (sums === undefined) {
    sums = [0];
    for (let m = 1; m < values.length; m++) sums.push(sums[m - 1] + values[m]);
    prefixCache.set(values, sums);
  }
  return sums;
}

function sumOver(values: readonly number[], t: number, minutes: number): number {
  const sums = prefix(values);
  return sums[t] - sums[Math.max(0, t - minutes)];
}

/** Error ratio over a window at minute t (NaN without traffic or before minute 1, as in PromQL). */
export function errorRatioAt(inc: Increments, window: string, t: number): number {
  if (t < 1) return NaN;
  const minutes = windowMinutes(window);
  return sumOver(inc.bad, t, minutes) / sumOver(inc.total, t, minutes);
}

/** Request rate per second over a window at minute t. */
export function requestRateAt(inc: Increments, window: string, t: number): number {
  if (t < 1) return NaN;
  const minutes = windowMinutes(window);
  return sumOver(inc.total, t, minutes) / (minutes * 60);
}

/** Runs the `for` state machine of an alert condition; returns whether it fires at each minute 0..T. */
export function firing(condition: (t: number) => boolean, forMinutes: number, lastMinute: number): boolean[] {
  const result: boolean[] = [];
  let activeSince: number | undefined;
  for (let t = 0; t <= lastMinute; t++) {
    if (condition(t)) {
      activeSince = activeSince ?? t;
    } else {
      activeSince = undefined;
    }
    result.push(activeSince !== undefined && t - activeSince >= forMinutes);
  }
  return result;
}

/** Options of the simulation. */
export interface SimulationOptions {
  /** Ignore the low-traffic guard even when the SLO sets one (to show what it prevents). @default false */
  readonly withoutGuard?: boolean;
}

/** The burn-rate tiers that fire at each minute 0..T, by tier index. */
export function simulateBurnAlerts(slo: Slo, inc: Increments, options: SimulationOptions = {}): number[][] {
  const guard = options.withoutGuard ? undefined : slo.minRequestRate;
  const specs = burnRateAlertSpecs(slo);
  // The same SLO and scenario recur in every environment of a service: simulate once.
  const content = inc.key ?? `${inc.total.join(',')}|${inc.bad.join(',')}`;
  const key = `${JSON.stringify([specs, guard ?? null])}|${content}`;
  let perTier = simulations.get(key);
  if (perTier === undefined) {
    perTier = simulate(specs, inc, guard);
    if (simulations.size >= SIMULATION_CACHE_SIZE) simulations.clear();
    simulations.set(key, perTier);
  }
  const result: number[][] = [];
  for (let t = 0; t < inc.total.length; t++) {
    result.push(perTier.flatMap((fires, index) => (fires[t] === 1 ? [index] : [])));
  }
  return result;
}

/** Simulations by SLO tiers and scenario: per tier, a byte per minute (1 = firing). */
const simulations = new Map<string, Uint8Array[]>();
const SIMULATION_CACHE_SIZE = 20_000;

function simulate(specs: readonly BurnRateAlertSpec[], inc: Increments, guard: number | undefined): Uint8Array[] {
  const lastMinute = inc.total.length - 1;
  return specs.map((spec: BurnRateAlertSpec) =>
    Uint8Array.from(
      firing(
        (t) =>
          errorRatioAt(inc, spec.longWindow, t) > spec.threshold &&
          errorRatioAt(inc, spec.shortWindow, t) > spec.threshold &&
          (guard === undefined || requestRateAt(inc, spec.longWindow, t) >= guard),
        windowMinutes(spec.for),
        lastMinute,
      ),
      (fires) => (fires ? 1 : 0),
    ),
  );
}

/**
 * Whether the low-budget alert fires at each minute 0..T: the period ratio is the average of
 * the recorded 5m ratios (all of them while the data is shorter than the period).
 */
export function simulateLowBudget(slo: Slo, inc: Increments, forMinutes: number): boolean[] {
  const lastMinute = inc.total.length - 1;
  const budget = sloErrorBudget(slo);
  const periodMinutes = windowMinutes(slo.period);
  // Running sums and counts of the recorded 5m ratios (NaN samples are absent in Prometheus).
  const sums = [0];
  const counts = [0];
  for (let t = 1; t <= lastMinute; t++) {
    const ratio = errorRatioAt(inc, '5m', t);
    const present = !Number.isNaN(ratio);
    sums.push(sums[t - 1] + (present ? ratio : 0));
    counts.push(counts[t - 1] + (present ? 1 : 0));
  }
  return firing(
    (t) => {
      if (t < 1) return false;
      const from = Math.max(1, t - periodMinutes) - 1;
      const samples = counts[t] - counts[from];
      if (samples === 0) return false;
      const average = (sums[t] - sums[from]) / samples;
      return 1 - average / budget < LOW_ERROR_BUDGET_REMAINING;
    },
    forMinutes,
    lastMinute,
  );
}
