/**
 * Right-sizing of a service's containers: when its requests reserve much more than it uses
 * (the `ServiceOverProvisioned` alert, `low`), when its memory nears the limit
 * (`ServiceMemoryNearLimit`, `medium`), and the headroom the suggested `resources` keep above
 * seven days of usage.
 * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
 */
import { compact } from '../private/data';
import { formatNumber } from '../promql/build';
import { Checks } from './checks';
import { TYPE, bool, num, obj } from './shape';

/** Right-sizing settings of a service. */
export interface RightSizingInput {
  /** Whether the service gets the right-sizing rules, alerts and dashboard row. @default true */
  readonly enabled?: boolean;
  /**
   * A service is over-provisioned when a request exceeds `factor` × the 95th percentile of its
   * usage over 7 days (CPU or memory); `ServiceOverProvisioned` then fires. @default 2
   */
  readonly factor?: number;
  /**
   * Headroom of a suggested request above the 7-day 95th percentile, and of a suggested memory
   * limit above the 7-day maximum, in percent. @default 20
   */
  readonly headroomPercent?: number;
  /** Share of the memory limit, in percent, above which `ServiceMemoryNearLimit` fires. @default 90 */
  readonly memoryNearLimitPercent?: number;
}

/** Normalized right-sizing settings. */
export interface RightSizing {
  readonly enabled: boolean;
  readonly factor: number;
  readonly headroomPercent: number;
  readonly memoryNearLimitPercent: number;
}

/** Right-sizing when a definition gives none: the only source of the `@default`s above. */
export const RIGHT_SIZING_DEFAULTS: RightSizing = Object.freeze({ enabled: true, factor: 2, headroomPercent: 20, memoryNearLimitPercent: 90 });

/** Bounds of the settings: a factor above 100 or a headroom above 100% asks for nothing useful. */
export const RIGHT_SIZING_LIMITS = Object.freeze({ maxFactor: 100, maxHeadroomPercent: 100, maxMemoryNearLimitPercent: 99 });

const FACTOR_PROBLEM = `must be a number greater than 1 and at most ${RIGHT_SIZING_LIMITS.maxFactor}`;

/** Schema of `rightSizing`. */
export const rightSizingSchema = obj({
  enabled: bool().optional(),
  factor: num(FACTOR_PROBLEM).optional(),
  headroomPercent: num(TYPE.integer).optional(),
  memoryNearLimitPercent: num(TYPE.integer).optional(),
});

/** `name value`, and `, the default` when it was left out: for messages about another setting. */
function described(name: string, given: number | undefined, fallback: number): string {
  return given === undefined ? `${name} ${formatNumber(fallback)}, the default` : `${name} ${formatNumber(given)}`;
}

/**
 * Checks right-sizing settings, defaults included where they meet a given value:
 * - the factor must exceed 1 + headroom: a request suggested at the 95th percentile plus
 *   headroom would otherwise count as over-provisioned itself;
 * - the headroom must keep a memory limit suggested at the 7-day maximum plus headroom below
 *   `memoryNearLimitPercent` of it, or `ServiceMemoryNearLimit` would fire on the suggestion.
 */
export function checkRightSizing(k: Checks, field: string, input: RightSizingInput | undefined): void {
  if (input === undefined) return;
  const d = RIGHT_SIZING_DEFAULTS;
  const factorOk = input.factor === undefined || (input.factor > 1 && input.factor <= RIGHT_SIZING_LIMITS.maxFactor);
  if (!factorOk) k.c.add(`${field}.factor`, FACTOR_PROBLEM, input.factor);
  const headroomOk = input.headroomPercent === undefined || k.int(`${field}.headroomPercent`, input.headroomPercent, 0, RIGHT_SIZING_LIMITS.maxHeadroomPercent);
  const nearOk = input.memoryNearLimitPercent === undefined || k.int(`${field}.memoryNearLimitPercent`, input.memoryNearLimitPercent, 1, RIGHT_SIZING_LIMITS.maxMemoryNearLimitPercent);
  if (!factorOk || !headroomOk || !nearOk) return;
  const factor = input.factor ?? d.factor;
  const headroom = input.headroomPercent ?? d.headroomPercent;
  const near = input.memoryNearLimitPercent ?? d.memoryNearLimitPercent;
  if (factor <= 1 + headroom / 100 && (input.factor !== undefined || input.headroomPercent !== undefined)) {
    const why = 'a request suggested at the 7-day p95 plus headroom would itself count as over-provisioned';
    if (input.factor !== undefined) {
      k.c.add(`${field}.factor`, `must be greater than 1 + headroomPercent / 100, ${formatNumber(1 + headroom / 100)} with ${described('headroomPercent', input.headroomPercent, headroom)}: ${why}`, input.factor);
    } else {
      k.c.add(`${field}.headroomPercent`, `must be less than ${formatNumber((factor - 1) * 100)} with ${described('factor', input.factor, factor)}: ${why}`, headroom);
    }
  }
  // A limit at max × (1 + headroom) puts the maximum at 1 / (1 + headroom) of it.
  const maxShare = 100 / (1 + headroom / 100);
  if (maxShare >= near && (input.headroomPercent !== undefined || input.memoryNearLimitPercent !== undefined)) {
    const why = 'a memory limit suggested at the 7-day maximum plus headroom would otherwise be near enough for ServiceMemoryNearLimit to fire on it';
    if (input.headroomPercent !== undefined) {
      const least = Math.floor((100 * 100) / near - 100) + 1;
      k.c.add(`${field}.headroomPercent`, `must be at least ${least} with ${described('memoryNearLimitPercent', input.memoryNearLimitPercent, near)}: ${why}`, headroom);
    } else {
      k.c.add(`${field}.memoryNearLimitPercent`, `must be at least ${Math.floor(maxShare) + 1} with ${described('headroomPercent', input.headroomPercent, headroom)}: ${why}`, near);
    }
  }
}

/** Fills the right-sizing defaults. */
export function normalizeRightSizing(input: RightSizingInput | undefined): RightSizing {
  return { ...RIGHT_SIZING_DEFAULTS, ...compact({ ...input }) };
}
