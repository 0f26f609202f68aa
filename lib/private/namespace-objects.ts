/**
 * What every namespace the library makes carries, for the constructs of `lib/k8s` and `lib/ops`
 * alike: the `managed-by` value, the Pod Security admission labels, and the default-deny
 * NetworkPolicy. Not exported from the package (`lib/k8s` re-exports what is public).
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** The value of `app.kubernetes.io/managed-by` on every object the library emits. */
export const MANAGED_BY = 'ops-constructs';

/** The Pod Security admission labels of a level, pinned to the latest version of the standard. */
export function podSecurityLabels(level: 'restricted' | 'baseline'): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ['enforce', 'audit', 'warn']) {
    labels[`pod-security.kubernetes.io/${mode}`] = level;
    labels[`pod-security.kubernetes.io/${mode}-version`] = 'latest';
  }
  return labels;
}

/**
 * The NetworkPolicy `default-deny` of a namespace: every pod (the default selector), no rule in
 * either direction, so only what a service's own policy allows gets through.
 */
export function defaultDenyPolicy(scope: Construct, namespace: string, labels: Record<string, string>): kplus.NetworkPolicy {
  return new kplus.NetworkPolicy(scope, 'default-deny', {
    metadata: { name: 'default-deny', namespace, labels },
    ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  });
}
