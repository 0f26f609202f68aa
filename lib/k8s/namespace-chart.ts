/**
 * One namespace of the platform as its services need it: Pod Security admission at
 * `restricted` (enforced, audited and warned), and a NetworkPolicy that denies all ingress and
 * egress but what each service's own policy allows.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies
 */
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PlatformDefinition } from '../definition';
import { MANAGED_BY } from './labels';
import { defaultDenyPolicy, podSecurityLabels } from '../private/namespace-objects';

/** Props of `NamespaceChart`. */
export interface NamespaceChartProps {
  /** The platform the namespace belongs to. */
  readonly platform: PlatformDefinition;
  /** The namespace. */
  readonly namespace: string;
  /**
   * The Pod Security Standard enforced, audited and warned about.
   * @default 'restricted'
   */
  readonly podSecurity?: 'restricted' | 'baseline';
}

export { podSecurityLabels };

/** A namespace with restricted Pod Security and a default-deny NetworkPolicy. */
export class NamespaceChart extends Chart {
  /** The Namespace. */
  public readonly namespaceObject: k8s.KubeNamespace;
  /** The default-deny NetworkPolicy. */
  public readonly defaultDeny: kplus.NetworkPolicy;

  constructor(scope: Construct, id: string, props: NamespaceChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const common = { 'app.kubernetes.io/managed-by': MANAGED_BY, 'app.kubernetes.io/part-of': props.platform.name };
    this.namespaceObject = new k8s.KubeNamespace(this, 'namespace', {
      metadata: { name: props.namespace, labels: { ...common, ...podSecurityLabels(props.podSecurity ?? 'restricted') } },
    });
    this.defaultDeny = defaultDenyPolicy(this, props.namespace, common);
  }
}
