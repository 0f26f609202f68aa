/**
 * How new versions reach production: rolling update, canary or blue/green.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/specification/
 */
import * as z from 'zod';
import { Checks, DURATION_PROBLEM, INT32_MAX } from './checks';
import { TYPE, bool, list, num, obj, str } from './shape';

/** Rolling update: replace pods a few at a time. */
export interface RollingDeliveryInput {
  readonly strategy: 'rolling';
  /** @default '25%' */
  readonly maxSurge?: string;
  /** @default '0' */
  readonly maxUnavailable?: string;
}

/** Canary: shift traffic in steps, analysing the SLOs at each step. */
export interface CanaryDeliveryInput {
  readonly strategy: 'canary';
  /**
   * Traffic weights in percent, increasing, ending at 100.
   * @default [1, 5, 10, 25, 50, 100]
   */
  readonly steps?: readonly number[];
  /** Pause after each step, Prometheus duration. @default '5m' */
  readonly stepDuration?: string;
}

/** Blue/green: bring up the new version next to the old, then switch. */
export interface BlueGreenDeliveryInput {
  readonly strategy: 'blue-green';
  /** Seconds to keep the old version after the switch. @default 300 */
  readonly scaleDownDelaySeconds?: number;
  /** Promote without a manual step. @default false */
  readonly autoPromote?: boolean;
}

/** How new versions reach production, as data. */
export type DeliveryInput = RollingDeliveryInput | CanaryDeliveryInput | BlueGreenDeliveryInput;

/** Normalized delivery settings. */
export type Delivery =
  | { readonly strategy: 'rolling'; readonly maxSurge: string; readonly maxUnavailable: string }
  | { readonly strategy: 'canary'; readonly steps: readonly number[]; readonly stepDuration: string }
  | { readonly strategy: 'blue-green'; readonly scaleDownDelaySeconds: number; readonly autoPromote: boolean };

/** The delivery strategies. */
export const DELIVERY_STRATEGIES = ['rolling', 'canary', 'blue-green'] as const;

/** Delivery settings when a definition gives none: the only source of the `@default`s above. */
export const DELIVERY_DEFAULTS = Object.freeze({
  strategy: 'rolling' as const,
  rolling: Object.freeze({ maxSurge: '25%', maxUnavailable: '0' }),
  canary: Object.freeze({ steps: Object.freeze([1, 5, 10, 25, 50, 100]) as readonly number[], stepDuration: '5m' }),
  blueGreen: Object.freeze({ scaleDownDelaySeconds: 300, autoPromote: false }),
});

/** Default canary traffic steps, percent. */
export const DEFAULT_CANARY_STEPS: readonly number[] = DELIVERY_DEFAULTS.canary.steps;

const INT_OR_PERCENT = /^(\d+)(%?)$/;
const SURGE_PROBLEM = 'must be a count or a percentage as a string, e.g. "1" or "25%"';
const STEPS_PROBLEM = 'must be whole traffic percentages above 0, increasing, ending at 100';

/** Schema of `delivery`, chosen by `strategy`. */
export const deliverySchema = z.discriminatedUnion(
  'strategy',
  [
    obj({ strategy: z.literal('rolling'), maxSurge: str(SURGE_PROBLEM).optional(), maxUnavailable: str(SURGE_PROBLEM).optional() }),
    obj({ strategy: z.literal('canary'), steps: list(num(STEPS_PROBLEM), STEPS_PROBLEM).optional(), stepDuration: str(DURATION_PROBLEM).optional() }),
    obj({ strategy: z.literal('blue-green'), scaleDownDelaySeconds: num(TYPE.integer).optional(), autoPromote: bool().optional() }),
  ],
  { error: 'must be an object with a strategy: rolling, canary or blue-green' },
);

/** Checks a `maxSurge` or `maxUnavailable` value as Kubernetes reads an int-or-string. */
function checkSurge(k: Checks, field: string, value: string, maxPercent: number | undefined): boolean {
  const match = INT_OR_PERCENT.exec(value);
  if (match === null) {
    k.c.add(field, SURGE_PROBLEM, value);
    return false;
  }
  const n = Number(match[1]);
  if (match[2] === '%' && maxPercent !== undefined && n > maxPercent) {
    k.c.add(field, `must be at most ${maxPercent}%`, value);
    return false;
  }
  if (n > INT32_MAX) {
    k.c.add(field, `must be at most ${INT32_MAX} (a Kubernetes int32)`, value);
    return false;
  }
  return true;
}

/** Checks the delivery settings. */
export function checkDelivery(k: Checks, delivery: DeliveryInput | undefined): void {
  if (delivery === undefined) {
    return;
  }
  switch (delivery.strategy) {
    case 'rolling': {
      const surgeOk = delivery.maxSurge === undefined || checkSurge(k, 'delivery.maxSurge', delivery.maxSurge, undefined);
      const unavailableOk = delivery.maxUnavailable === undefined || checkSurge(k, 'delivery.maxUnavailable', delivery.maxUnavailable, 100);
      // Compare what will be applied: maxSurge defaults to 25%, maxUnavailable to 0.
      const isZero = (v: string): boolean => /^0+%?$/.test(v);
      if (surgeOk && unavailableOk && delivery.maxSurge !== undefined && isZero(delivery.maxSurge) && isZero(delivery.maxUnavailable ?? DELIVERY_DEFAULTS.rolling.maxUnavailable)) {
        if (delivery.maxUnavailable !== undefined) {
          k.c.add('delivery.maxUnavailable', 'must not be 0 when maxSurge is 0: the rollout could never progress', delivery.maxUnavailable);
        } else {
          k.c.add('delivery.maxSurge', 'must not be 0 while maxUnavailable is 0 (the default): the rollout could never progress', delivery.maxSurge);
        }
      }
      break;
    }
    case 'canary': {
      const steps = delivery.steps;
      if (steps !== undefined) {
        const ok = steps.length > 0 && steps.every((s, i) => Number.isInteger(s) && s > 0 && s <= 100 && (i === 0 || s > steps[i - 1])) && steps[steps.length - 1] === 100;
        if (!ok) {
          k.c.add('delivery.steps', STEPS_PROBLEM, steps);
        }
      }
      if (delivery.stepDuration !== undefined) k.duration('delivery.stepDuration', delivery.stepDuration);
      break;
    }
    case 'blue-green':
      if (delivery.scaleDownDelaySeconds !== undefined) k.int('delivery.scaleDownDelaySeconds', delivery.scaleDownDelaySeconds, 0);
      break;
  }
}

/** Fills the delivery defaults. */
export function normalizeDelivery(input: DeliveryInput | undefined): Delivery {
  const d = DELIVERY_DEFAULTS;
  const delivery = input ?? { strategy: d.strategy };
  switch (delivery.strategy) {
    case 'rolling':
      return { strategy: 'rolling', maxSurge: delivery.maxSurge ?? d.rolling.maxSurge, maxUnavailable: delivery.maxUnavailable ?? d.rolling.maxUnavailable };
    case 'canary':
      return { strategy: 'canary', steps: [...(delivery.steps ?? d.canary.steps)], stepDuration: delivery.stepDuration ?? d.canary.stepDuration };
    case 'blue-green':
      return {
        strategy: 'blue-green',
        scaleDownDelaySeconds: delivery.scaleDownDelaySeconds ?? d.blueGreen.scaleDownDelaySeconds,
        autoPromote: delivery.autoPromote ?? d.blueGreen.autoPromote,
      };
  }
}
