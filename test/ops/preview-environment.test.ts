import { Testing } from 'cdk8s';
import { PREVIEWS_DEFAULTS, PlatformDefinition } from '../../lib/definition';
import { PREVIEW_OBJECT_NAMES, PreviewEnvironment, PreviewEnvironmentProps, builtInProtectedNamespaces, previewSettings } from '../../lib/ops/preview-environment';
import { KubeObject, schemaProblems } from '../support/schema';
import { definitionErrorOf } from '../support/tools';
import { BASE_SERVICE, testPlatform } from '../fixtures/services';
import { k8sPlatform } from '../fixtures/k8s-services';
import { podSecurityLabels } from '../../lib/k8s';

const PLATFORM = testPlatform(BASE_SERVICE);
const PR = { pullRequest: 123, owner: 'shop', createdAt: '2026-12-01T09:00:00+01:00' };

function synth(props: Partial<PreviewEnvironmentProps> = {}, platform: PlatformDefinition = PLATFORM): KubeObject[] {
  const chart = Testing.chart();
  new PreviewEnvironment(chart, 'preview', { platform, ...PR, ...props } as PreviewEnvironmentProps);
  return Testing.synth(chart) as KubeObject[];
}

const kind = (objects: KubeObject[], k: string): KubeObject => objects.find((o) => o.kind === k) as KubeObject;
const annotations = (object: KubeObject): Record<string, string> => (object.metadata as { annotations?: Record<string, string> }).annotations ?? {};

/** A platform with previews settings, around the base service. */
function withPreviews(previews: Record<string, unknown>): PlatformDefinition {
  return k8sPlatform([BASE_SERVICE], { previews });
}

describe('PreviewEnvironment', () => {
  it('is a namespace named after the pull request, labelled as a preview with its owner, under restricted Pod Security', () => {
    const namespace = kind(synth(), 'Namespace');
    expect(namespace.metadata.name).toBe('preview-pr-123');
    expect(namespace.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'ops-constructs',
      'app.kubernetes.io/part-of': 'acme',
      'ops-constructs/preview': 'true',
      'ops-constructs/owner': 'shop',
      'ops-constructs/pull-request': '123',
      ...podSecurityLabels('restricted'),
    });
    expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('expires the default TTL (72h) after its creation, written in UTC', () => {
    expect(kind(synth(), 'Namespace').metadata).toMatchObject({
      annotations: { 'ops-constructs/expires-at': '2026-12-04T08:00:00Z', 'ops-constructs/created-at': '2026-12-01T09:00:00+01:00' },
    });
    expect(PREVIEWS_DEFAULTS.defaultTtl).toBe('72h');
  });

  it('takes a TTL from its props, or an expiry in any offset', () => {
    expect(annotations(kind(synth({ ttl: '36h' }), 'Namespace'))).toEqual({
      'ops-constructs/expires-at': '2026-12-02T20:00:00Z',
      'ops-constructs/created-at': '2026-12-01T09:00:00+01:00',
      'ops-constructs/ttl': '36h',
    });
    const byExpiry = synth({ createdAt: undefined, expiresAt: '2026-12-05T18:00:00-05:00' });
    expect(annotations(kind(byExpiry, 'Namespace'))).toEqual({ 'ops-constructs/expires-at': '2026-12-05T23:00:00Z' });
  });

  it('takes the default TTL, label and prefix of the platform', () => {
    const platform = withPreviews({ defaultTtl: '1d', label: 'example.com/preview', namespacePrefix: 'pv-' });
    const namespace = kind(synth({}, platform), 'Namespace');
    expect(namespace.metadata.name).toBe('pv-pr-123');
    expect(namespace.metadata.labels?.['example.com/preview']).toBe('true');
    expect(namespace.metadata.labels?.['ops-constructs/preview']).toBeUndefined();
    expect(annotations(namespace)['ops-constructs/expires-at']).toBe('2026-12-02T08:00:00Z');
  });

  it('names a branch preview after the branch, and keeps the branch as written in an annotation', () => {
    const namespace = kind(synth({ pullRequest: undefined, branch: 'feature/Login' }), 'Namespace');
    expect(namespace.metadata.name).toMatch(/^preview-feature-login-[0-9a-f]{8}$/);
    expect(namespace.metadata.labels?.['ops-constructs/pull-request']).toBeUndefined();
    expect(annotations(namespace)['ops-constructs/branch']).toBe('feature/Login');
  });

  it('limits the namespace by the default quota, forbids LoadBalancer and NodePort Services, and defaults container resources', () => {
    const objects = synth();
    expect(kind(objects, 'ResourceQuota')).toMatchObject({
      metadata: { name: PREVIEW_OBJECT_NAMES.quota, namespace: 'preview-pr-123' },
      spec: { hard: { 'requests.cpu': '2', 'requests.memory': '4Gi', 'limits.cpu': '4', 'limits.memory': '8Gi', pods: '20', 'services.loadbalancers': '0', 'services.nodeports': '0' } },
    });
    expect(kind(objects, 'LimitRange')).toMatchObject({
      metadata: { name: PREVIEW_OBJECT_NAMES.limitRange, namespace: 'preview-pr-123' },
      spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { cpu: '500m', memory: '256Mi' } }] },
    });
  });

  it('takes the quota and container defaults of the platform', () => {
    const platform = withPreviews({ quota: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' }, pods: 8 }, limitRange: { default: { cpu: '250m', memory: '192Mi' } } });
    const objects = synth({}, platform);
    expect((kind(objects, 'ResourceQuota').spec as { hard: object }).hard).toMatchObject({ 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2Gi', pods: '8' });
    expect((kind(objects, 'LimitRange').spec as { limits: object[] }).limits[0]).toMatchObject({ default: { cpu: '250m', memory: '192Mi' } });
  });

  it('denies all ingress and egress of every pod in the namespace', () => {
    const deny = kind(synth(), 'NetworkPolicy');
    expect(deny.metadata).toMatchObject({ name: 'default-deny', namespace: 'preview-pr-123' });
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Egress', 'Ingress'] });
  });

  it('gives objects the Kubernetes schemas accept', () => {
    for (const object of [...synth(), ...synth({ pullRequest: undefined, branch: 'feature/login' })]) expect(schemaProblems(object)).toEqual([]);
  });

  it('keeps the objects of the snapshot', () => {
    expect(synth()).toMatchSnapshot();
  });

  it('protects the namespaces of the cluster, the platform and its services when the platform sets no previews', () => {
    expect(PLATFORM.previews).toBeUndefined();
    expect(builtInProtectedNamespaces(PLATFORM)).toEqual(['default', 'ingress-nginx', 'kube-node-lease', 'kube-public', 'kube-system', 'monitoring', 'shop']);
    expect(previewSettings(PLATFORM).protectedNamespaces).toEqual(builtInProtectedNamespaces(PLATFORM));
  });

  it('refuses props with every problem at once, naming the construct path', () => {
    expect(definitionErrorOf(() => synth({ pullRequest: 0, owner: 'a b', createdAt: '2026-12-01', ttl: '90d' }))).toBe(
      [
        'Invalid preview environment (4 problems):',
        '  - [test/preview] props.pullRequest: must be an integer from 1 to 999999999 (got 0)',
        '  - [test/preview] props.owner: must be a Kubernetes label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit (got "a b")',
        '  - [test/preview] props.createdAt: must be an RFC 3339 timestamp with seconds and a Z or ±hh:mm offset, such as 2026-12-01T09:00:00Z or 2026-12-01T10:00:00+01:00, of a real date and time (got "2026-12-01")',
        '  - [test/preview] props.ttl: must be from 1h to previews.maxTtl 30d (got "90d")',
      ].join('\n'),
    );
  });

  it('refuses a namespace the platform protects, and props of the wrong shape', () => {
    expect(definitionErrorOf(() => synth({ pullRequest: undefined, branch: 'shop' }, withPreviews({ namespacePrefix: '' })))).toBe(
      "Invalid preview environment (1 problem):\n  - [test/preview] props.branch: gives the namespace shop, which is protected: the cluster's, the platform's or a service's, or listed in previews.protectedNamespaces (got \"shop\")",
    );
    expect(definitionErrorOf(() => synth({ pullRequest: '7' as unknown as number, ownr: 'x' } as Partial<PreviewEnvironmentProps>))).toBe(
      'Invalid preview environment (2 problems):\n  - [test/preview] props.pullRequest: must be a finite number (got "7")\n  - [test/preview] props.ownr: is not a known field; did you mean owner? (got "x")',
    );
  });

  it('refuses a platform not from definePlatform', () => {
    expect(definitionErrorOf(() => synth({}, { ...PLATFORM }))).toBe('Invalid preview environment (1 problem):\n  - [test/preview] props.platform: must be a platform from definePlatform (got "acme")');
  });
});
