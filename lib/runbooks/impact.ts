/**
 * What an alert costs, in the words of the SLO math (lib/slo): the error budget of an SLO, how
 * fast a given error ratio spends it, and how long the budget lasts at that rate.
 * @see https://sre.google/workbook/alerting-on-slos/
 */
import { Slo } from '../definition';
import { formatNumber } from '../promql/build';
import { parseDuration } from '../promql/duration';
import { mdCode, mdInline } from '../private/markdown';
import { PERIOD_HOURS, clean, errorBudget } from '../slo/burn-rate';

/** A duration for readers, its two largest units: `2d 2h`, `43m 12s`, `50s`. */
export function humanDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '0s';
  const units: readonly [string, number][] = [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of units) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    } else if (parts.length > 0) break;
  }
  return parts.length === 0 ? '0s' : parts.join(' ');
}

/** A ratio as a percentage for readers, to three significant digits: 0.001 → `0.1%`, 0.0231481 → `2.31%`. */
export function percent(ratio: number): string {
  return `${formatNumber(Number(clean(ratio * 100).toPrecision(3)))}%`;
}

/** The seconds of an SLO's period. */
export function periodSeconds(slo: Pick<Slo, 'period'>): number {
  return PERIOD_HOURS[slo.period] * 3600;
}

/** The error budget of an SLO as the time of a full outage it allows over its period. */
export function budgetSeconds(slo: Pick<Slo, 'objective' | 'period'>): number {
  return errorBudget(slo.objective) * periodSeconds(slo);
}

/** What an SLO promises and allows: `99.9% of requests succeed over 30d; error budget 0.1%, about 43m 12s of full outage`. */
export function sloPromise(slo: Slo): string {
  const what = slo.description === '' ? `${formatNumber(slo.objective)}% over ${slo.period}` : mdInline(slo.description);
  return `${what}; error budget ${percent(errorBudget(slo.objective))}, about ${humanDuration(budgetSeconds(slo))} of full outage`;
}

/** An SLO in one line: `` `availability`: 99.9% of requests succeed over 30d; error budget 0.1%, ... ``. */
export function sloLine(slo: Slo): string {
  return `${mdCode(slo.name)}: ${sloPromise(slo)}`;
}

/**
 * How an error ratio spends an SLO's budget: the burn factor and how long the whole budget
 * lasts, or that it stays within budget.
 */
export function burnLine(slo: Slo, errorRatio: number): string {
  const factor = clean(errorRatio / errorBudget(slo.objective));
  if (factor <= 1) return `within the error budget of ${mdCode(slo.name)} (${formatNumber(factor)}× the sustainable rate)`;
  return `${formatNumber(factor)}× the sustainable rate of ${mdCode(slo.name)}: the whole ${slo.period} budget is gone in ${humanDuration(periodSeconds(slo) / factor)}`;
}

/** What one minute of full outage costs an SLO: `2.31% of the 30d budget of availability`. */
export function outageMinuteLine(slo: Slo): string {
  return `${percent(60 / budgetSeconds(slo))} of the ${slo.period} budget of ${mdCode(slo.name)} per minute`;
}

/** Seconds of a Prometheus duration, 0 when it does not parse. */
export function seconds(duration: string | undefined): number {
  return duration === undefined ? 0 : (parseDuration(duration) ?? 0);
}
