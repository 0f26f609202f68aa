/**
 * The HorizontalPodAutoscaler of a service, planned as plain data (replica bounds, the CPU
 * target, how fast it scales each way) and turned into cdk8s-plus `HorizontalPodAutoscaler`
 * props.
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#configurable-scaling-behavior
 */
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Autoscaling } from '../definition';

/** One limit on how much the replica count may change within a period. */
export interface ScalingPolicyPlan {
  /** `Percent` of the current replicas, or a number of `Pods`. */
  readonly type: 'Percent' | 'Pods';
  readonly value: number;
  readonly periodSeconds: number;
}

/** How the autoscaler scales in one direction. */
export interface ScalingRulesPlan {
  /** How long past recommendations are remembered: scaling down follows the highest of them, scaling up the lowest. */
  readonly stabilizationWindowSeconds: number;
  /** `Max`: the policy allowing the largest change applies. */
  readonly selectPolicy: 'Max';
  readonly policies: readonly ScalingPolicyPlan[];
}

/** The autoscaler of a service. */
export interface AutoscalerPlan {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Average CPU use, in percent of the requests, the autoscaler keeps the pods at. */
  readonly cpuUtilization: number;
  readonly scaleUp: ScalingRulesPlan;
  readonly scaleDown: ScalingRulesPlan;
}

/**
 * Scaling up reacts at once: double the pods or add four, whichever is more, every 15 seconds.
 * These are the Kubernetes defaults, written out because cdk8s-plus-28 has slower ones of its own.
 */
export const SCALE_UP: ScalingRulesPlan = Object.freeze({
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: Object.freeze([Object.freeze({ type: 'Percent', value: 100, periodSeconds: 15 }), Object.freeze({ type: 'Pods', value: 4, periodSeconds: 15 })]),
});

/**
 * Scaling down waits five minutes of lower load, then halves the pods at most once a minute,
 * so a short lull does not take away the capacity the next burst needs.
 */
export const SCALE_DOWN: ScalingRulesPlan = Object.freeze({
  stabilizationWindowSeconds: 300,
  selectPolicy: 'Max',
  policies: Object.freeze([Object.freeze({ type: 'Percent', value: 50, periodSeconds: 60 })]),
});

/** The autoscaler of a service, or undefined when its autoscaling is off. */
export function autoscalerPlan(autoscaling: Autoscaling | false): AutoscalerPlan | undefined {
  if (autoscaling === false) {
    return undefined;
  }
  return { minReplicas: autoscaling.minReplicas, maxReplicas: autoscaling.maxReplicas, cpuUtilization: autoscaling.cpuTargetPercent, scaleUp: SCALE_UP, scaleDown: SCALE_DOWN };
}

/** The plan as props of a cdk8s-plus `HorizontalPodAutoscaler`, all but its target. */
export function autoscalerProps(plan: AutoscalerPlan): Omit<kplus.HorizontalPodAutoscalerProps, 'target'> {
  return {
    minReplicas: plan.minReplicas,
    maxReplicas: plan.maxReplicas,
    metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(plan.cpuUtilization))],
    scaleUp: scalingRules(plan.scaleUp),
    scaleDown: scalingRules(plan.scaleDown),
  };
}

function scalingRules(rules: ScalingRulesPlan): kplus.ScalingRules {
  return {
    stabilizationWindow: Duration.seconds(rules.stabilizationWindowSeconds),
    strategy: kplus.ScalingStrategy.MAX_CHANGE,
    policies: rules.policies.map((policy) => ({
      replicas: policy.type === 'Percent' ? kplus.Replicas.percent(policy.value) : kplus.Replicas.absolute(policy.value),
      duration: Duration.seconds(policy.periodSeconds),
    })),
  };
}
