import { run } from '@bufbuild/cel';
import { CleanupAdmissionInput, cleanupAdmissionExpressions, cleanupAdmissionPolicy } from '../../lib/ops/cleanup-admission-policy';
import { KubeObject, schemaProblems } from '../support/schema';

const INPUT: CleanupAdmissionInput = {
  name: 'monitoring-preview-cleanup',
  serviceAccount: { namespace: 'monitoring', name: 'preview-cleanup' },
  label: 'ops-constructs/preview',
  protectedNamespaces: ['kube-system', 'default', 'payments'],
  labels: { 'app.kubernetes.io/managed-by': 'ops-constructs' },
};
const CLEANUP = 'system:serviceaccount:monitoring:preview-cleanup';

/** JSON as CEL reads it from the API server: objects as maps. */
function cel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cel);
  if (value !== null && typeof value === 'object') return new Map(Object.entries(value).map(([k, v]) => [k, cel(v)]));
  return value;
}

interface Validation {
  readonly expression: string;
  readonly message: string;
}

/**
 * What the API server decides for a DELETE of a namespace, as it evaluates a
 * ValidatingAdmissionPolicy: the policy applies when every match condition holds, and then every
 * validation must hold; the messages of those that fail.
 */
function decide(username: string, namespace: { name: string; labels?: Record<string, string> }): 'not applicable' | 'allowed' | string[] {
  const [policy] = cleanupAdmissionPolicy(INPUT);
  const spec = policy.spec as { matchConditions: { expression: string }[]; validations: Validation[] };
  const vars = { request: cel({ operation: 'DELETE', userInfo: { username } }), oldObject: cel({ apiVersion: 'v1', kind: 'Namespace', metadata: namespace }), object: null };
  const holds = (expression: string): boolean => {
    const result = run(expression, vars as never);
    if (typeof result !== 'boolean') throw new Error(`${expression} gave ${String(result)}, not a boolean`);
    return result;
  };
  if (!spec.matchConditions.every((m) => holds(m.expression))) return 'not applicable';
  const failed = spec.validations.filter((v) => !holds(v.expression)).map((v) => v.message);
  return failed.length === 0 ? 'allowed' : failed;
}

describe('the admission policy of the preview cleanup', () => {
  it('lets the cleanup delete a labelled preview namespace', () => {
    expect(decide(CLEANUP, { name: 'preview-pr-1', labels: { 'ops-constructs/preview': 'true' } })).toBe('allowed');
  });

  it('refuses the cleanup a namespace without the label, or with another value, or without labels', () => {
    const message = 'the preview cleanup deletes only namespaces labelled ops-constructs/preview=true';
    expect(decide(CLEANUP, { name: 'team-a', labels: { team: 'a' } })).toEqual([message]);
    expect(decide(CLEANUP, { name: 'team-b', labels: { 'ops-constructs/preview': 'false' } })).toEqual([message]);
    expect(decide(CLEANUP, { name: 'team-c' })).toEqual([message]);
  });

  it('refuses the cleanup a protected namespace even when it carries the label', () => {
    expect(decide(CLEANUP, { name: 'kube-system', labels: { 'ops-constructs/preview': 'true' } })).toEqual(['the preview cleanup never deletes a protected namespace']);
    expect(decide(CLEANUP, { name: 'payments' })).toEqual(['the preview cleanup deletes only namespaces labelled ops-constructs/preview=true', 'the preview cleanup never deletes a protected namespace']);
  });

  it('does not apply to anyone else', () => {
    expect(decide('system:serviceaccount:other:preview-cleanup', { name: 'kube-system' })).toBe('not applicable');
    expect(decide('alice@example.com', { name: 'team-a' })).toBe('not applicable');
  });

  it('matches namespace deletions only, fails closed, and denies through its binding', () => {
    const [policy, binding] = cleanupAdmissionPolicy(INPUT);
    expect(policy.spec).toMatchObject({ failurePolicy: 'Fail', matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['DELETE'], resources: ['namespaces'] }] } });
    expect(binding.spec).toEqual({ policyName: 'monitoring-preview-cleanup', validationActions: ['Deny'] });
  });

  it('writes the protected names sorted, and quotes what it embeds', () => {
    expect(cleanupAdmissionExpressions(INPUT).unprotected).toBe("!(oldObject.metadata.name in ['default', 'kube-system', 'payments'])");
    expect(cleanupAdmissionExpressions({ ...INPUT, label: "it's\\odd" }).labelled).toBe("has(oldObject.metadata.labels) && 'it\\'s\\\\odd' in oldObject.metadata.labels && oldObject.metadata.labels['it\\'s\\\\odd'] == 'true'");
    expect(run(cleanupAdmissionExpressions({ ...INPUT, label: "it's\\odd" }).labelled, { oldObject: cel({ metadata: { labels: { "it's\\odd": 'true' } } }) } as never)).toBe(true);
  });

  it('gives objects the Kubernetes schemas accept', () => {
    for (const object of cleanupAdmissionPolicy(INPUT)) expect(schemaProblems(object as unknown as KubeObject)).toEqual([]);
  });
});
