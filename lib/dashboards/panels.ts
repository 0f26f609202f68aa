/**
 * Small constructors for panel plans: query ids, threshold steps and the colors every dashboard
 * uses, so that each dashboard file says what its panels show, not how a plan is spelled.
 */
import { formatNumber } from '../promql/build';
import { PanelPlan, PanelQuery, ThresholdStep } from './types';

/** Colors of thresholds and mappings. */
export const COLORS = Object.freeze({ good: 'green', warning: 'orange', bad: 'red', neutral: 'blue' });

/** The id of the query at `index`: `A` ... `Z`, then `A1`, `B1`, ... */
export function refId(index: number): string {
  const letter = String.fromCharCode(65 + (index % 26));
  return index < 26 ? letter : `${letter}${Math.floor(index / 26)}`;
}

/** A query without its id; `queries` numbers them. */
export type QueryInput = Omit<PanelQuery, 'refId'>;

/** Queries numbered `A`, `B`, ... in the order given. */
export function queries(...inputs: readonly QueryInput[]): PanelQuery[] {
  return inputs.map((q, i) => ({ refId: refId(i), ...q }));
}

/** Thresholds where values below `limit` are good and values at or above it bad (error ratios, latency, burn rates). */
export function badFrom(limit: number): ThresholdStep[] {
  return [
    { value: null, color: COLORS.good },
    { value: limit, color: COLORS.bad },
  ];
}

/** Thresholds where values at or above `target` are good and values below it bad (attainment). */
export function goodFrom(target: number): ThresholdStep[] {
  return [
    { value: null, color: COLORS.bad },
    { value: target, color: COLORS.good },
  ];
}

/** A number for a title or a question: no float noise. */
export function num(value: number): string {
  return formatNumber(value);
}

/** A ratio as a percentage for a title or a question: 0.999 → `99.9%`. */
export function percent(ratio: number): string {
  return `${formatNumber(ratio * 100)}%`;
}

/** The fields of a panel every constructor fills alike. */
type PanelBase = Omit<PanelPlan, 'kind' | 'language'> & { readonly language?: PanelPlan['language'] };

/** A PromQL stat panel (instant queries: one value each). */
export function stat(panel: PanelBase): PanelPlan {
  return { language: 'promql', ...panel, kind: 'stat', queries: panel.queries.map((q) => ({ ...q, instant: true })) };
}

/** A PromQL time series panel. */
export function timeseries(panel: PanelBase): PanelPlan {
  return { language: 'promql', ...panel, kind: 'timeseries' };
}

/** A PromQL table panel (instant queries: one row per series or per key). */
export function table(panel: PanelBase): PanelPlan {
  return { language: 'promql', ...panel, kind: 'table', queries: panel.queries.map((q) => ({ ...q, instant: true })) };
}
