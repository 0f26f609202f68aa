/**
 * The PodDisruptionBudget of a service: how many of its pods voluntary disruptions (node
 * drains, cluster upgrades) may take down at once.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/disruptions/#pod-disruption-budgets
 */
import { k8s } from 'cdk8s-plus-28';

/** Options of the PodDisruptionBudget. */
export interface DisruptionBudgetOptions {
  /**
   * Pods that may be down at once during voluntary disruptions; at least 1, so that a drain
   * can always go on.
   * @default 1
   */
  readonly maxUnavailable?: number;
}

/** The PodDisruptionBudget options when none are given: the only source of the `@default` above. */
export const DISRUPTION_BUDGET_DEFAULTS: Required<DisruptionBudgetOptions> = Object.freeze({ maxUnavailable: 1 });

/**
 * The budget's spec. Pods that are not ready may always be evicted
 * (`unhealthyPodEvictionPolicy: AlwaysAllow`): a crash-looping pod must not block a drain.
 * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy
 */
export function disruptionBudgetSpec(podLabels: Readonly<Record<string, string>>, options: DisruptionBudgetOptions = {}): k8s.PodDisruptionBudgetSpec {
  return {
    selector: { matchLabels: { ...podLabels } },
    maxUnavailable: k8s.IntOrString.fromNumber(options.maxUnavailable ?? DISRUPTION_BUDGET_DEFAULTS.maxUnavailable),
    unhealthyPodEvictionPolicy: 'AlwaysAllow',
  };
}
