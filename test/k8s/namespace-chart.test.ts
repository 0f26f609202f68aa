import { App, Testing } from 'cdk8s';
import { NamespaceChart, podSecurityLabels } from '../../lib/k8s';
import { KubeObject, schemaProblems } from '../support/schema';
import { BASE_SERVICE, testPlatform } from '../fixtures/services';

function synth(props: Partial<ConstructorParameters<typeof NamespaceChart>[2]> = {}): KubeObject[] {
  const chart = new NamespaceChart(new App(), 'shop', { platform: testPlatform(BASE_SERVICE), namespace: 'shop', ...props });
  return Testing.synth(chart) as KubeObject[];
}

describe('NamespaceChart', () => {
  it('enforces, audits and warns about the restricted Pod Security Standard by default', () => {
    const namespace = synth().find((o) => o.kind === 'Namespace')!;
    expect(namespace.metadata?.name).toBe('shop');
    expect(namespace.metadata?.labels).toEqual({
      'app.kubernetes.io/managed-by': 'ops-constructs',
      'app.kubernetes.io/part-of': 'acme',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'latest',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'latest',
    });
  });

  it('takes a baseline level from props', () => {
    expect(podSecurityLabels('baseline')['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(synth({ podSecurity: 'baseline' }).find((o) => o.kind === 'Namespace')!.metadata?.labels?.['pod-security.kubernetes.io/warn']).toBe('baseline');
  });

  it('denies all ingress and egress of every pod unless a service policy allows it', () => {
    const deny = synth().find((o) => o.kind === 'NetworkPolicy')!;
    expect(deny.metadata).toEqual(expect.objectContaining({ name: 'default-deny', namespace: 'shop' }));
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Egress', 'Ingress'] });
    expect(deny.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'ops-constructs', 'app.kubernetes.io/part-of': 'acme' });
  });

  it('gives objects the Kubernetes schemas accept', () => {
    for (const object of synth()) expect(schemaProblems(object)).toEqual([]);
  });
});
