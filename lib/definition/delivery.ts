/**
 * How new versions reach production: rolling update, canary or blue/green.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/specification/
 */
import * as z from 'zod';
import { parseDuration } from '../promql/duration';
import { ANALYSIS_DEFAULTS, DeliveryAnalysis, DeliveryAnalysisInput, SmokeTraffic, SmokeTrafficInput, analysisSchema, checkAnalysis, checkSmokeTraffic, normalizeAnalysis, normalizeSmokeTraffic, smokeTrafficSchema } from './analysis';
import { Checks, DNS_SUBDOMAIN, DURATION_PROBLEM, INT32_MAX, MAX_SUBDOMAIN } from './checks';
import type { Probe } from './probes';
import type { SloInput } from './slos';
import { TYPE, bool, list, num, obj, str } from './shape';

/** Rolling update: replace pods a few at a time. */
export interface RollingDeliveryInput {
  readonly strategy: 'rolling';
  /** @default '25%' */
  readonly maxSurge?: string;
  /** @default '0' */
  readonly maxUnavailable?: string;
}

/** One canary step with its own pause. */
export interface CanaryStepInput {
  /** Traffic weight in percent. */
  readonly weight: number;
  /** Pause after this step, Prometheus duration. @default the delivery's `stepDuration` */
  readonly pause?: string;
}

/**
 * The traffic router that shifts exact weights to the canary. Without one, Argo Rollouts
 * approximates each weight by the share of canary pods.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/traffic-management/
 */
export type TrafficRoutingInput =
  /** ingress-nginx: the Ingress that routes to the stable Service; Argo adds a canary Ingress next to it. */
  | { readonly nginx: { readonly stableIngress: string } }
  /** Gateway API: the HTTPRoute whose backends Argo weights (needs the Gateway API plugin). */
  | { readonly gatewayApi: { readonly httpRoute: string } }
  /** Istio: the VirtualService whose single HTTP route Argo weights between the stable and canary Services. */
  | { readonly istio: { readonly virtualService: string } };

/** A reason, recorded as an annotation on the workload. */
export interface ReasonInput {
  /** Why: free text, at most 500 characters. */
  readonly reason: string;
}

/** The error-budget freeze: no canary or promotion starts while the budget is spent. */
export interface BudgetFreezeInput {
  /**
   * Percent of the error budget that must remain for a release to start.
   * @default 0
   */
  readonly floor?: number;
  /** Release even on a spent budget, with the reason recorded on the workload. @default none */
  readonly override?: ReasonInput;
}

/** Canary: shift traffic in steps, analysing the SLOs at each step. */
export interface CanaryDeliveryInput {
  readonly strategy: 'canary';
  /**
   * Traffic weights in percent, strictly increasing, ending at 100; a step may carry its own pause.
   * @default [1, 5, 10, 25, 50, 100] with a traffic router; without one, those of them the
   * replica count can honour (see `canarySteps`); [10, 50, 100] for an emergency patch
   */
  readonly steps?: readonly (number | CanaryStepInput)[];
  /** Pause after each step, Prometheus duration; at least the analysis interval. @default '5m' ('2m' for an emergency patch) */
  readonly stepDuration?: string;
  /** The traffic router. @default none: weights approximated by canary pods */
  readonly trafficRouting?: TrafficRoutingInput;
  /** An emergency patch: a shortened canary that keeps analysis and rollback. @default none */
  readonly emergency?: ReasonInput;
  /** @default { floor: 0 } */
  readonly budgetFreeze?: BudgetFreezeInput;
  /** Re-applying one of this many recent revisions skips the canary. @default 3 */
  readonly rollbackWindow?: number;
  /** @default see DeliveryAnalysisInput */
  readonly analysis?: DeliveryAnalysisInput;
}

/** Blue/green: bring up the new version next to the old, then switch. */
export interface BlueGreenDeliveryInput {
  readonly strategy: 'blue-green';
  /** Seconds to keep the old version after the switch. @default 300 */
  readonly scaleDownDelaySeconds?: number;
  /** Promote without a manual step. @default false in production environments, true elsewhere */
  readonly autoPromote?: boolean;
  /** @default { floor: 0 } */
  readonly budgetFreeze?: BudgetFreezeInput;
  /** Re-applying one of this many recent revisions skips the analysis. @default 3 */
  readonly rollbackWindow?: number;
  /** @default see DeliveryAnalysisInput */
  readonly analysis?: DeliveryAnalysisInput;
  /** The preview's requests before promotion, measured by the pre-promotion analysis. @default see SmokeTrafficInput */
  readonly smokeTraffic?: SmokeTrafficInput;
}

/** How new versions reach production, as data. */
export type DeliveryInput = RollingDeliveryInput | CanaryDeliveryInput | BlueGreenDeliveryInput;

/** The normalized traffic router. */
export type TrafficRouting = TrafficRoutingInput;

/** The normalized budget freeze. */
export interface BudgetFreeze {
  readonly floor: number;
  readonly override?: ReasonInput;
}

/** Normalized rolling delivery. */
export interface RollingDelivery {
  readonly strategy: 'rolling';
  readonly maxSurge: string;
  readonly maxUnavailable: string;
}

/** Normalized canary delivery. */
export interface CanaryDelivery {
  readonly strategy: 'canary';
  /** Traffic weights, percent. */
  readonly steps: readonly number[];
  readonly stepDuration: string;
  /** The pause after each step, one per step. */
  readonly pauses: readonly string[];
  /** Absent: weights approximated by canary pods. */
  readonly trafficRouting?: TrafficRouting;
  readonly emergency?: ReasonInput;
  readonly budgetFreeze: BudgetFreeze;
  readonly rollbackWindow: number;
  readonly analysis: DeliveryAnalysis;
}

/** Normalized blue/green delivery. */
export interface BlueGreenDelivery {
  readonly strategy: 'blue-green';
  readonly scaleDownDelaySeconds: number;
  /** Absent: false in production environments, true elsewhere (see `autoPromotes`). */
  readonly autoPromote?: boolean;
  readonly budgetFreeze: BudgetFreeze;
  readonly rollbackWindow: number;
  readonly analysis: DeliveryAnalysis;
  readonly smokeTraffic: SmokeTraffic;
}

/** Normalized delivery settings. */
export type Delivery = RollingDelivery | CanaryDelivery | BlueGreenDelivery;

/** The delivery strategies. */
export const DELIVERY_STRATEGIES = ['rolling', 'canary', 'blue-green'] as const;

/** The traffic routers, by the key that selects them. */
export const TRAFFIC_ROUTERS = ['nginx', 'gatewayApi', 'istio'] as const;

/** Delivery settings when a definition gives none: the only source of the `@default`s above. */
export const DELIVERY_DEFAULTS = Object.freeze({
  strategy: 'rolling' as const,
  rolling: Object.freeze({ maxSurge: '25%', maxUnavailable: '0' }),
  canary: Object.freeze({ steps: Object.freeze([1, 5, 10, 25, 50, 100]) as readonly number[], stepDuration: '5m' }),
  emergency: Object.freeze({ steps: Object.freeze([10, 50, 100]) as readonly number[], stepDuration: '2m' }),
  blueGreen: Object.freeze({ scaleDownDelaySeconds: 300 }),
  budgetFreeze: Object.freeze({ floor: 0 }),
  rollbackWindow: 3,
  /** How often the analysis measures unless `analysis.interval` says otherwise (`ANALYSIS_DEFAULTS.interval`). */
  analysisInterval: ANALYSIS_DEFAULTS.interval,
});

/** Default canary traffic steps, percent. */
export const DEFAULT_CANARY_STEPS: readonly number[] = DELIVERY_DEFAULTS.canary.steps;

/** Longest reason recorded in an annotation. */
export const MAX_REASON_LENGTH = 500;

const INT_OR_PERCENT = /^(\d+)(%?)$/;
const SURGE_PROBLEM = 'must be a count or a percentage as a string, e.g. "1" or "25%"';
const WEIGHT_PROBLEM = 'must be a whole percentage from 1 to 100';
const STEP_PROBLEM = 'must be a traffic percentage or { weight, pause? }';
const ROUTING_PROBLEM = 'must be one of { nginx: { stableIngress } }, { gatewayApi: { httpRoute } } or { istio: { virtualService } }';
const NAME_PROBLEM = 'must be a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", at most 253 characters';
const REASON_PROBLEM = 'must be { reason }';
const FLOOR_PROBLEM = 'must be a percentage of the error budget, at least 0 and below 100';

const reasonSchema = obj({ reason: str() }, REASON_PROBLEM);
const budgetFreezeSchema = obj({ floor: num(FLOOR_PROBLEM).optional(), override: reasonSchema.optional() });
const trafficRoutingSchema = z.union(
  [
    obj({ nginx: obj({ stableIngress: str(NAME_PROBLEM) }) }),
    obj({ gatewayApi: obj({ httpRoute: str(NAME_PROBLEM) }) }),
    obj({ istio: obj({ virtualService: str(NAME_PROBLEM) }) }),
  ],
  { error: ROUTING_PROBLEM },
);
const stepSchema = z.union([num(WEIGHT_PROBLEM), obj({ weight: num(WEIGHT_PROBLEM), pause: str(DURATION_PROBLEM).optional() })], { error: STEP_PROBLEM });

/** Schema of `delivery`, chosen by `strategy`. */
export const deliverySchema = z.discriminatedUnion(
  'strategy',
  [
    obj({ strategy: z.literal('rolling'), maxSurge: str(SURGE_PROBLEM).optional(), maxUnavailable: str(SURGE_PROBLEM).optional() }),
    obj({
      strategy: z.literal('canary'),
      steps: list(stepSchema).optional(),
      stepDuration: str(DURATION_PROBLEM).optional(),
      trafficRouting: trafficRoutingSchema.optional(),
      emergency: reasonSchema.optional(),
      budgetFreeze: budgetFreezeSchema.optional(),
      rollbackWindow: num(TYPE.integer).optional(),
      analysis: analysisSchema.optional(),
    }),
    obj({
      strategy: z.literal('blue-green'),
      scaleDownDelaySeconds: num(TYPE.integer).optional(),
      autoPromote: bool().optional(),
      budgetFreeze: budgetFreezeSchema.optional(),
      rollbackWindow: num(TYPE.integer).optional(),
      analysis: analysisSchema.optional(),
      smokeTraffic: smokeTrafficSchema.optional(),
    }),
  ],
  { error: 'must be an object with a strategy: rolling, canary or blue-green' },
);

/** How many pods the workload runs at least: what the canary's share is counted against. */
export interface ReplicaFloor {
  /** The count. */
  readonly replicas: number;
  /** Where it comes from, for messages, e.g. `autoscaling.minReplicas (3)`. */
  readonly origin: string;
}

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

/** A reason is free text that says something. */
function checkReason(k: Checks, field: string, reason: ReasonInput | undefined, what: string): void {
  if (reason === undefined) return;
  if (reason.reason.trim() === '') {
    k.c.add(`${field}.reason`, `must say why ${what}; it is recorded on the Rollout`, reason.reason);
  } else {
    k.text(`${field}.reason`, reason.reason, MAX_REASON_LENGTH);
  }
}

function checkBudgetFreeze(k: Checks, freeze: BudgetFreezeInput | undefined): void {
  if (freeze?.floor !== undefined && !(freeze.floor >= 0 && freeze.floor < 100)) {
    k.c.add('delivery.budgetFreeze.floor', FLOOR_PROBLEM, freeze.floor);
  }
  checkReason(k, 'delivery.budgetFreeze.override', freeze?.override, 'a release may start on a spent error budget');
}

function checkRollbackWindow(k: Checks, window: number | undefined): void {
  if (window !== undefined) k.int('delivery.rollbackWindow', window, 0, 100);
}

/** A pause must give the analysis at least one measurement. */
function checkPause(k: Checks, field: string, pause: string, interval: string): void {
  const seconds = k.duration(field, pause);
  if (seconds !== undefined && seconds < (parseDuration(interval) ?? 0)) {
    k.c.add(field, `must be at least the analysis interval, ${interval}: a shorter pause would move on before one measurement`, pause);
  }
}

function checkTrafficRouting(k: Checks, routing: TrafficRoutingInput | undefined): void {
  if (routing === undefined) return;
  const [router, options] = Object.entries(routing)[0] as [string, Record<string, string>];
  for (const [field, name] of Object.entries(options)) {
    if (!DNS_SUBDOMAIN.test(name) || name.length > MAX_SUBDOMAIN) k.c.add(`delivery.trafficRouting.${router}.${field}`, NAME_PROBLEM, name);
  }
}

/**
 * The smallest weight the replica count honours without a traffic router. Argo Rollouts then
 * shifts traffic by pods: it gives the canary at least one pod, next to the stable ones, surging
 * by one, so one canary pod beside `replicas` stable pods carries `100 / (replicas + 1)` percent.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/canary/#mimicking-rolling-update
 */
export function smallestHonouredWeight(replicas: number): number {
  return Math.ceil(100 / (replicas + 1));
}

/** The analysis interval the pauses are measured against: the definition's when it is a duration, else the default. */
function analysisInterval(delivery: CanaryDeliveryInput): string {
  const given = delivery.analysis?.interval;
  return given !== undefined && parseDuration(given) !== undefined ? given : DELIVERY_DEFAULTS.analysisInterval;
}

/** Checks the canary steps: whole percentages, strictly increasing, ending at 100, honoured by the replicas. */
function checkSteps(k: Checks, delivery: CanaryDeliveryInput, floor: ReplicaFloor | undefined): void {
  const steps = delivery.steps;
  if (steps === undefined) return;
  let before: number | undefined;
  let wellFormed = true;
  const last = steps[steps.length - 1];
  if (steps.length === 0 || (typeof last === 'number' ? last : last.weight) !== 100) {
    k.c.add('delivery.steps', 'must end at 100, the step that sends all traffic to the new version', steps.map((s) => (typeof s === 'number' ? s : s.weight)));
    wellFormed = false;
  }
  steps.forEach((step, i) => {
    const field = typeof step === 'number' ? `delivery.steps[${i}]` : `delivery.steps[${i}].weight`;
    const weight = typeof step === 'number' ? step : step.weight;
    if (!Number.isInteger(weight) || weight < 1 || weight > 100) {
      k.c.add(field, WEIGHT_PROBLEM, weight);
      wellFormed = false;
    } else if (before !== undefined && weight <= before) {
      k.c.add(field, `must be greater than the step before it (${before}): traffic to the canary only grows`, weight);
      wellFormed = false;
    }
    if (typeof step !== 'number' && step.pause !== undefined) checkPause(k, `delivery.steps[${i}].pause`, step.pause, analysisInterval(delivery));
    before = Number.isFinite(weight) ? weight : before;
  });
  if (wellFormed && delivery.trafficRouting === undefined && floor !== undefined) {
    const first = steps[0];
    const smallest = typeof first === 'number' ? first : first.weight;
    const honoured = smallestHonouredWeight(floor.replicas);
    if (smallest < honoured) {
      const needed = Math.ceil(100 / smallest) - 1;
      k.c.add(
        typeof first === 'number' ? 'delivery.steps[0]' : 'delivery.steps[0].weight',
        `needs at least ${needed} replicas without a traffic router, not ${floor.origin}: Argo Rollouts gives the canary at least one pod next to ${floor.replicas} stable pod${floor.replicas === 1 ? '' : 's'}, ${Math.round(100 / (floor.replicas + 1))}% of the traffic, not ${smallest}%; set delivery.trafficRouting (nginx, gatewayApi or istio), raise the replicas, or start at ${honoured}`,
        smallest,
      );
    }
  }
}

/** What the delivery settings are checked against; a rule whose part is unknown is not checked. */
export interface DeliveryContext {
  /** The service's smallest replica count, for the rule that a canary without a traffic router honours its smallest weight. */
  readonly floor?: ReplicaFloor;
  /** The service's SLOs, the analysis thresholds' limits. */
  readonly slos?: readonly SloInput[];
  /** The scrape interval in seconds, the shortest analysis interval. */
  readonly scrapeSeconds?: number;
  /** Whether the service has an HTTP port, which blue/green and a traffic router switch. */
  readonly hasPort?: boolean;
}

/** Checks the delivery settings against the rest of the service (`context`). */
export function checkDelivery(k: Checks, delivery: DeliveryInput | undefined, context: DeliveryContext = {}): void {
  if (delivery === undefined) {
    return;
  }
  const { floor } = context;
  const needsPort = (field: string, why: string): void => {
    if (context.hasPort === false) k.c.add(field, `needs an HTTP port (port): ${why}`, field === 'delivery.strategy' ? delivery.strategy : (delivery as CanaryDeliveryInput).trafficRouting);
  };
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
      checkSteps(k, delivery, floor);
      const stepDuration = delivery.stepDuration ?? (delivery.emergency !== undefined ? DELIVERY_DEFAULTS.emergency.stepDuration : DELIVERY_DEFAULTS.canary.stepDuration);
      checkAnalysis(k, delivery.analysis, { strategy: 'canary', slos: context.slos, scrapeSeconds: context.scrapeSeconds ?? 0, stepDuration: { value: stepDuration, written: delivery.stepDuration !== undefined } });
      if (delivery.stepDuration !== undefined) checkPause(k, 'delivery.stepDuration', delivery.stepDuration, analysisInterval(delivery));
      checkTrafficRouting(k, delivery.trafficRouting);
      if (delivery.trafficRouting !== undefined) needsPort('delivery.trafficRouting', 'a traffic router shifts HTTP traffic');
      checkReason(k, 'delivery.emergency', delivery.emergency, 'this release skips the normal canary: an emergency patch needs a reason');
      checkBudgetFreeze(k, delivery.budgetFreeze);
      checkRollbackWindow(k, delivery.rollbackWindow);
      break;
    }
    case 'blue-green':
      needsPort('delivery.strategy', 'blue/green switches the Service in front of it, and the preview takes smoke traffic there');
      if (delivery.scaleDownDelaySeconds !== undefined) k.int('delivery.scaleDownDelaySeconds', delivery.scaleDownDelaySeconds, 0);
      checkAnalysis(k, delivery.analysis, { strategy: 'blue-green', slos: context.slos, scrapeSeconds: context.scrapeSeconds ?? 0 });
      checkSmokeTraffic(k, delivery.smokeTraffic);
      checkBudgetFreeze(k, delivery.budgetFreeze);
      checkRollbackWindow(k, delivery.rollbackWindow);
      break;
  }
}

/**
 * The canary's traffic steps: the definition's, or the default ones. Without a traffic router,
 * Argo Rollouts can only give the canary whole pods, so the default steps keep those weights the
 * replica count honours (`smallestHonouredWeight`): 3 replicas give [25, 50, 100], 10 give
 * [10, 25, 50, 100], 1 gives [50, 100].
 */
export function canarySteps(input: CanaryDeliveryInput, replicas: number | undefined): readonly number[] {
  if (input.steps !== undefined) {
    return input.steps.map((s) => (typeof s === 'number' ? s : s.weight));
  }
  const defaults = input.emergency !== undefined ? DELIVERY_DEFAULTS.emergency.steps : DELIVERY_DEFAULTS.canary.steps;
  if (input.trafficRouting !== undefined || replicas === undefined) {
    return [...defaults];
  }
  const honoured = smallestHonouredWeight(replicas);
  return defaults.filter((weight) => weight >= honoured);
}

function normalizeBudgetFreeze(input: BudgetFreezeInput | undefined): BudgetFreeze {
  const floor = input?.floor ?? DELIVERY_DEFAULTS.budgetFreeze.floor;
  return input?.override === undefined ? { floor } : { floor, override: { reason: input.override.reason } };
}

/** What the delivery defaults are derived from. */
export interface DeliveryDefaultsContext {
  /** The service's SLOs: each analysis threshold defaults to its SLO's. */
  readonly slos?: readonly SloInput[];
  /** The readiness probe, whose path the smoke traffic takes by default when it is on the HTTP port. */
  readonly readiness?: Pick<Probe, 'path' | 'port'>;
  /** The HTTP port. */
  readonly port?: number;
}

/**
 * Fills the delivery defaults. `replicas` is the service's smallest replica count, from which
 * the default canary steps without a traffic router follow (see `canarySteps`).
 */
export function normalizeDelivery(input: DeliveryInput | undefined, replicas?: number, context: DeliveryDefaultsContext = {}): Delivery {
  const d = DELIVERY_DEFAULTS;
  const delivery = input ?? { strategy: d.strategy };
  switch (delivery.strategy) {
    case 'rolling':
      return { strategy: 'rolling', maxSurge: delivery.maxSurge ?? d.rolling.maxSurge, maxUnavailable: delivery.maxUnavailable ?? d.rolling.maxUnavailable };
    case 'canary': {
      const stepDuration = delivery.stepDuration ?? (delivery.emergency !== undefined ? d.emergency.stepDuration : d.canary.stepDuration);
      const steps = canarySteps(delivery, replicas);
      const pauses = steps.map((_, i) => {
        const step = delivery.steps?.[i];
        return (typeof step === 'object' ? step.pause : undefined) ?? stepDuration;
      });
      return compactDelivery({
        strategy: 'canary',
        steps,
        stepDuration,
        pauses,
        trafficRouting: delivery.trafficRouting,
        emergency: delivery.emergency === undefined ? undefined : { reason: delivery.emergency.reason },
        budgetFreeze: normalizeBudgetFreeze(delivery.budgetFreeze),
        rollbackWindow: delivery.rollbackWindow ?? d.rollbackWindow,
        analysis: normalizeAnalysis(delivery.analysis, context.slos ?? []),
      });
    }
    case 'blue-green':
      return compactDelivery({
        strategy: 'blue-green',
        scaleDownDelaySeconds: delivery.scaleDownDelaySeconds ?? d.blueGreen.scaleDownDelaySeconds,
        autoPromote: delivery.autoPromote,
        budgetFreeze: normalizeBudgetFreeze(delivery.budgetFreeze),
        rollbackWindow: delivery.rollbackWindow ?? d.rollbackWindow,
        analysis: normalizeAnalysis(delivery.analysis, context.slos ?? []),
        smokeTraffic: normalizeSmokeTraffic(delivery.smokeTraffic, context.readiness, context.port),
      });
  }
}

/** Whether a blue/green delivery promotes by itself: as defined, else only outside production. */
export function autoPromotes(delivery: BlueGreenDelivery, production: boolean): boolean {
  return delivery.autoPromote ?? !production;
}

/** Drops the absent optional fields, so equal definitions give equal objects. */
function compactDelivery<T extends Delivery>(delivery: T): T {
  return Object.fromEntries(Object.entries(delivery).filter(([, v]) => v !== undefined)) as T;
}
