/**
 * A second lock besides RBAC on what the preview cleanup may delete. RBAC can grant `delete` on
 * namespaces only all or nothing; this ValidatingAdmissionPolicy has the API server refuse a
 * namespace deletion by the cleanup's ServiceAccount unless the namespace carries the preview
 * label and is not protected, whatever the script does. Plain data, checked with a CEL
 * evaluator in the tests.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 * @see https://kubernetes.io/docs/reference/using-api/cel/
 */

/** Who the policy restricts and what it protects. */
export interface CleanupAdmissionInput {
  /** Name of the policy and its binding (cluster-scoped, so it should name the namespace). */
  readonly name: string;
  /** The cleanup's ServiceAccount. */
  readonly serviceAccount: { readonly namespace: string; readonly name: string };
  /** The preview label key; its value must be `"true"`. */
  readonly label: string;
  /** Namespaces the cleanup may never delete. */
  readonly protectedNamespaces: readonly string[];
  /** Labels of both objects. */
  readonly labels: Readonly<Record<string, string>>;
}

/** A Kubernetes object as plain data. */
export interface PlainObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
  readonly spec: Record<string, unknown>;
}

/** The API version of the policy objects: GA since Kubernetes 1.30. */
export const ADMISSION_POLICY_API_VERSION = 'admissionregistration.k8s.io/v1';

/** A CEL string literal; label keys and namespace names hold no quote or backslash, but stay safe anyway. */
function celString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The CEL expressions of the policy: which requests it applies to, and what each must meet. */
export function cleanupAdmissionExpressions(input: Pick<CleanupAdmissionInput, 'serviceAccount' | 'label' | 'protectedNamespaces'>): { match: string; labelled: string; unprotected: string } {
  const user = `system:serviceaccount:${input.serviceAccount.namespace}:${input.serviceAccount.name}`;
  const label = celString(input.label);
  return {
    match: `request.userInfo.username == ${celString(user)}`,
    labelled: `has(oldObject.metadata.labels) && ${label} in oldObject.metadata.labels && oldObject.metadata.labels[${label}] == 'true'`,
    unprotected: `!(oldObject.metadata.name in [${[...input.protectedNamespaces].sort().map(celString).join(', ')}])`,
  };
}

/**
 * The ValidatingAdmissionPolicy and its binding: deletions of namespaces by the cleanup's
 * ServiceAccount are denied unless the namespace is labelled `<label>=true` and is not
 * protected. `failurePolicy: Fail`: when the policy cannot be evaluated, the deletion is refused.
 */
export function cleanupAdmissionPolicy(input: CleanupAdmissionInput): [PlainObject, PlainObject] {
  const expr = cleanupAdmissionExpressions(input);
  const metadata = { name: input.name, labels: { ...input.labels } };
  return [
    {
      apiVersion: ADMISSION_POLICY_API_VERSION,
      kind: 'ValidatingAdmissionPolicy',
      metadata,
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['DELETE'], resources: ['namespaces'] }] },
        matchConditions: [{ name: 'preview-cleanup-service-account', expression: expr.match }],
        validations: [
          { expression: expr.labelled, message: `the preview cleanup deletes only namespaces labelled ${input.label}=true`, reason: 'Forbidden' },
          { expression: expr.unprotected, message: 'the preview cleanup never deletes a protected namespace', reason: 'Forbidden' },
        ],
      },
    },
    {
      apiVersion: ADMISSION_POLICY_API_VERSION,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata,
      spec: { policyName: input.name, validationActions: ['Deny'] },
    },
  ];
}
