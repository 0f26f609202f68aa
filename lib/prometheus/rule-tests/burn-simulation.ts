/**
 * Minute-by-minute model of what the SLO rules compute for synthetic traffic, used to derive
 * the exact expectations of the generated `promtool test rules` files.
 *
 * The model holds for counters that start at 0 at minute 0 and are sampled every minute,
 * with rules evaluated every minute: then `rate(x[w])` at minute t is exactly
 * `(x(t) - x(max(0, t - w))) / w` (a sample sits on the range start, or the counter's zero
 * point does, so Prometheus does not extrapolate), and ratios of such rates are ratios of
 * increases. Every result at minute t depends on minutes 0..t only, so the simulation of a
 * scenario also holds for each of its prefixes.
 */
import { Slo } from '../../definition';
import { parseDuration } from '../../promql/duration';
import { LOW_ERROR_BUDGET_REMAINING, burnRateAlertSpecs, sloErrorBudget } from '../sli';

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
  return { total, bad };
}

/** The first minutes of a scenario, up to and including `last`. */
export function upTo(inc: Increments, last: number): Increments {
  return { total: inc.total.slice(0, last + 1), bad: inc.bad.slice(0, last + 1) };
}

function windowMinutes(window: string): number {
  return (parseDuration(window) ?? 0) / 60;
}

/**
 * What the two counters read at each minute: running totals of the increments. A window's sum
 * is then a difference of two readings, exactly as `increase()` computes it from the counter.
 */
class Readings {
  private readonly total: number[] = [0];
  private readonly bad: number[] = [0];

  constructor(inc: Increments) {
    for (let m = 1; m < inc.total.length; m++) {
      this.total.push(this.total[m - 1] + inc.total[m]);
      this.bad.push(this.bad[m - 1] + inc.bad[m]);
    }
  }

  /** Error ratio over the last `minutes` at minute t (NaN without traffic or before minute 1, as in PromQL). */
  errorRatio(minutes: number, t: number): number {
    if (t < 1) return NaN;
    return Readings.over(this.bad, minutes, t) / Readings.over(this.total, minutes, t);
  }

  /** Requests per second over the last `minutes` at minute t. */
  requestRate(minutes: number, t: number): number {
    if (t < 1) return NaN;
    return Readings.over(this.total, minutes, t) / (minutes * 60);
  }

  private static over(sums: readonly number[], minutes: number, t: number): number {
    return sums[t] - sums[Math.max(0, t - minutes)];
  }
}

/** Error ratio over a window at minute t (NaN without traffic or before minute 1, as in PromQL). */
export function errorRatioAt(inc: Increments, window: string, t: number): number {
  return new Readings(inc).errorRatio(windowMinutes(window), t);
}

/** Request rate per second over a window at minute t. */
export function requestRateAt(inc: Increments, window: string, t: number): number {
  return new Readings(inc).requestRate(windowMinutes(window), t);
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

/**
 * How a value within rounding error of its threshold compares: Prometheus computes it in
 * another order and may land on either side. `fire` takes it as meeting the threshold,
 * `quiet` as missing it; a scenario in which the two disagree cannot be predicted.
 */
export type Ties = 'fire' | 'quiet';

/** Options of the simulation. */
export interface SimulationOptions {
  /** Ignore the low-traffic guard even when the SLO sets one (to show what it prevents). @default false */
  readonly withoutGuard?: boolean;
  /** How a value on its threshold compares. @default as computed here */
  readonly ties?: Ties;
}

/** Relative distance from a threshold within which a value counts as on it. */
const TIE = 1e-9;

/** Whether a value meets a condition `value <op> threshold`, a value on the threshold as `ties` says. */
function meets(value: number, op: '>' | '>=' | '<', threshold: number, ties: Ties | undefined): boolean {
  if (ties !== undefined && Math.abs(value - threshold) <= TIE * Math.abs(threshold)) return ties === 'fire';
  return op === '>' ? value > threshold : op === '>=' ? value >= threshold : value < threshold;
}

/** The burn-rate tiers that fire at each minute 0..T, by tier index. */
export function simulateBurnAlerts(slo: Slo, inc: Increments, options: SimulationOptions = {}): number[][] {
  const guard = options.withoutGuard ? undefined : slo.minRequestRate;
  const readings = new Readings(inc);
  const lastMinute = inc.total.length - 1;
  const perTier = burnRateAlertSpecs(slo).map((spec) => {
    const long = windowMinutes(spec.longWindow);
    const short = windowMinutes(spec.shortWindow);
    return firing(
      (t) =>
        meets(readings.errorRatio(long, t), '>', spec.threshold, options.ties) &&
        meets(readings.errorRatio(short, t), '>', spec.threshold, options.ties) &&
        (guard === undefined || meets(readings.requestRate(long, t), '>=', guard, options.ties)),
      windowMinutes(spec.for),
      lastMinute,
    );
  });
  const result: number[][] = [];
  for (let t = 0; t <= lastMinute; t++) {
    result.push(perTier.flatMap((fires, index) => (fires[t] ? [index] : [])));
  }
  return result;
}

/**
 * Whether the low-budget alert fires at each minute 0..T: the period ratio is the average of
 * the recorded 5m ratios (all of them while the data is shorter than the period).
 */
export function simulateLowBudget(slo: Slo, inc: Increments, forMinutes: number, options: Pick<SimulationOptions, 'ties'> = {}): boolean[] {
  const readings = new Readings(inc);
  const lastMinute = inc.total.length - 1;
  const budget = sloErrorBudget(slo);
  const periodMinutes = windowMinutes(slo.period);
  const recorded = windowMinutes('5m');
  // Running sums and counts of the recorded 5m ratios (`>= 0` drops NaN and negative ones).
  const sums = [0];
  const counts = [0];
  for (let t = 1; t <= lastMinute; t++) {
    const ratio = readings.errorRatio(recorded, t);
    const present = ratio >= 0;
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
      return meets(1 - average / budget, '<', LOW_ERROR_BUDGET_REMAINING, options.ties);
    },
    forMinutes,
    lastMinute,
  );
}
