/**
 * Horizontal autoscaling on CPU.
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
import * as z from 'zod';
import { Checks } from './checks';
import { TYPE, num, obj } from './shape';

/** Horizontal autoscaling on CPU. */
export interface AutoscalingInput {
  /** @default the service's replicas */
  readonly minReplicas?: number;
  /** @default twice minReplicas, at least 3 */
  readonly maxReplicas?: number;
  /** Average CPU utilization target, percent of the request. @default 70 */
  readonly cpuTargetPercent?: number;
}

/** Normalized autoscaling. */
export interface Autoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuTargetPercent: number;
}

/** Autoscaling when a definition gives none: the only source of the `@default`s above. */
export const AUTOSCALING_DEFAULTS = Object.freeze({
  /** maxReplicas is `max(maxReplicasAtLeast, minReplicas × maxReplicasFactor)`. */
  maxReplicasFactor: 2,
  maxReplicasAtLeast: 3,
  cpuTargetPercent: 70,
});

/** The most replicas a service may ask for (far below the int32 limit of the API). */
export const MAX_REPLICAS = 1000;

/** Schema of `autoscaling`: settings, or `false` to turn autoscaling off. */
export const autoscalingSchema = z.union(
  [
    obj({ minReplicas: num(TYPE.integer).optional(), maxReplicas: num(TYPE.integer).optional(), cpuTargetPercent: num(TYPE.integer).optional() }),
    z.literal(false),
  ],
  { error: 'must be autoscaling settings { minReplicas, maxReplicas, cpuTargetPercent }, or false to turn autoscaling off' },
);

/**
 * @param replicas the service's replicas (the default minReplicas), or undefined when invalid
 * @param replicasOrigin how `replicas` was obtained, for the message
 */
export function checkAutoscaling(k: Checks, field: string, autoscaling: AutoscalingInput | false | undefined, replicas: number | undefined, replicasOrigin: string): void {
  if (autoscaling === undefined || autoscaling === false) {
    return;
  }
  const okMin = autoscaling.minReplicas === undefined || k.int(`${field}.minReplicas`, autoscaling.minReplicas, 1, MAX_REPLICAS);
  const okMax = autoscaling.maxReplicas === undefined || k.int(`${field}.maxReplicas`, autoscaling.maxReplicas, 1, MAX_REPLICAS);
  const min = autoscaling.minReplicas ?? replicas;
  if (okMin && okMax && autoscaling.maxReplicas !== undefined && min !== undefined && min > autoscaling.maxReplicas) {
    const bound = autoscaling.minReplicas === undefined ? `minReplicas, which defaults to ${replicasOrigin}` : `minReplicas (${min})`;
    k.c.add(`${field}.maxReplicas`, `must be at least ${bound}`, autoscaling.maxReplicas);
  }
  if (autoscaling.cpuTargetPercent !== undefined) {
    k.int(`${field}.cpuTargetPercent`, autoscaling.cpuTargetPercent, 1, 100);
  }
}

/** Fills the autoscaling defaults; `false` stays off. */
export function normalizeAutoscaling(input: AutoscalingInput | false | undefined, replicas: number): Autoscaling | false {
  if (input === false) {
    return false;
  }
  const d = AUTOSCALING_DEFAULTS;
  const minReplicas = input?.minReplicas ?? replicas;
  return {
    minReplicas,
    maxReplicas: input?.maxReplicas ?? Math.min(MAX_REPLICAS, Math.max(d.maxReplicasAtLeast, minReplicas * d.maxReplicasFactor)),
    cpuTargetPercent: input?.cpuTargetPercent ?? d.cpuTargetPercent,
  };
}
