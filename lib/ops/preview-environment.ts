/**
 * A preview environment: a namespace for a pull request or a branch that the cleanup job
 * deletes once it expires. It carries the platform's preview label, owner labels, the expiry as
 * an RFC 3339 annotation, restricted Pod Security, a ResourceQuota and LimitRange, and a
 * default-deny NetworkPolicy.
 * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/
 * @see https://kubernetes.io/docs/concepts/policy/limit-range/
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import {
  DefinitionError,
  PREVIEW_METADATA,
  PlatformDefinition,
  Preview,
  PreviewInput,
  Previews,
  SYSTEM_NAMESPACES,
  checkPreviewProps,
  isDefinedPlatform,
  normalizePreviews,
} from '../definition';
import { compact } from '../private/data';
import { MANAGED_BY, defaultDenyPolicy, podSecurityLabels } from '../private/namespace-objects';

/** Props of `PreviewEnvironment`: the platform, and the preview's pull request or branch, owner and expiry. */
export interface PreviewEnvironmentProps extends PreviewInput {
  /** The platform; its `previews` settings (or their defaults) apply. */
  readonly platform: PlatformDefinition;
}

/** Names of the objects in a preview namespace. */
export const PREVIEW_OBJECT_NAMES = Object.freeze({ quota: 'preview-quota', limitRange: 'preview-limits', networkPolicy: 'default-deny' });

/**
 * The namespaces no preview may take and the cleanup never touches: the cluster's, the
 * platform's ingress, monitoring and dashboard namespaces, every service's, and those listed.
 */
export function builtInProtectedNamespaces(platform: PlatformDefinition): string[] {
  return [...new Set([...SYSTEM_NAMESPACES, platform.ingressNamespace, platform.monitoringNamespace, platform.dashboards.namespace, ...platform.services.map((s) => s.namespace)])].sort();
}

/** The platform's preview settings: those it defines, or the defaults. */
export function previewSettings(platform: PlatformDefinition): Previews {
  return platform.previews ?? normalizePreviews({}, { environments: platform.environments, monitoringNamespace: platform.monitoringNamespace, builtInProtected: builtInProtectedNamespaces(platform) });
}

/**
 * Checks a preview's props against the platform's settings and resolves its namespace and
 * expiry. Throws one `DefinitionError` with every problem, prefixed with `scope`.
 */
export function resolvePreview(platform: PlatformDefinition, preview: PreviewInput, scope?: string): Preview {
  if (!isDefinedPlatform(platform)) {
    throw new DefinitionError('preview environment', [{ path: 'props.platform', problem: 'must be a platform from definePlatform', value: (platform as { name?: unknown } | undefined)?.name }], scope);
  }
  const { preview: resolved, issues } = checkPreviewProps(preview, previewSettings(platform), 'props');
  if (resolved === undefined) throw new DefinitionError('preview environment', issues, scope);
  return resolved;
}

/** The labels of a preview namespace: the platform's, the preview label, the owner, the pull request, Pod Security. */
export function previewNamespaceLabels(platform: PlatformDefinition, preview: Preview): Record<string, string> {
  const labels: Record<string, string> = {
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'app.kubernetes.io/part-of': platform.name,
    [previewSettings(platform).label]: 'true',
    [PREVIEW_METADATA.owner]: preview.owner,
    ...podSecurityLabels('restricted'),
  };
  if (preview.pullRequest !== undefined) labels[PREVIEW_METADATA.pullRequest] = String(preview.pullRequest);
  return labels;
}

/** The annotations of a preview namespace: its expiry, and how it was given. */
export function previewNamespaceAnnotations(preview: Preview): Record<string, string> {
  const annotations: Record<string, string> = { [PREVIEW_METADATA.expiresAt]: preview.expiresAt };
  if (preview.createdAt !== undefined) annotations[PREVIEW_METADATA.createdAt] = preview.createdAt;
  if (preview.ttl !== undefined) annotations[PREVIEW_METADATA.ttl] = preview.ttl;
  if (preview.branch !== undefined) annotations[PREVIEW_METADATA.branch] = preview.branch;
  return annotations;
}

/**
 * Props that resolve to a preview again, the same: for one the definition declares. A TTL stays
 * a TTL (its annotation says so); otherwise the resolved expiry is given.
 */
export function previewProps(preview: Preview): PreviewInput {
  const { pullRequest, branch, owner, createdAt, ttl, expiresAt } = preview;
  return compact({ pullRequest, branch, owner, createdAt, ttl, expiresAt: ttl === undefined ? expiresAt : undefined });
}

/**
 * A namespace for a pull request or a branch, with a TTL: `expiresAt`, or `ttl` (default: the
 * platform's `previews.defaultTtl`) counted from `createdAt`, which the caller gives because
 * constructs have no clock. The namespace's expiry annotation is what the cleanup job reads.
 *
 * @example
 * new PreviewEnvironment(chart, 'pr-123', { platform, pullRequest: 123, owner: 'payments', createdAt: '2026-12-01T09:00:00Z', ttl: '72h' });
 * new PreviewEnvironment(chart, 'login', { platform, branch: 'feature/login', owner: 'alice', expiresAt: '2026-12-05T18:00:00+01:00' });
 */
export class PreviewEnvironment extends Construct {
  /** The preview resolved: namespace, owner, expiry in UTC. */
  public readonly preview: Preview;
  /** The namespace's name. */
  public readonly namespace: string;
  /** The Namespace. */
  public readonly namespaceObject: k8s.KubeNamespace;
  /** The ResourceQuota: CPU, memory and pods in total, no LoadBalancer or NodePort Services. */
  public readonly quota: k8s.KubeResourceQuota;
  /** The LimitRange: requests and limits of containers that set none. */
  public readonly limitRange: k8s.KubeLimitRange;
  /** The default-deny NetworkPolicy. */
  public readonly defaultDeny: kplus.NetworkPolicy;

  constructor(scope: Construct, id: string, props: PreviewEnvironmentProps) {
    super(scope, id);
    const { platform, ...input } = props;
    this.preview = resolvePreview(platform, input, this.node.path);
    this.namespace = this.preview.namespace;
    const settings = previewSettings(platform);
    const common = { 'app.kubernetes.io/managed-by': MANAGED_BY, 'app.kubernetes.io/part-of': platform.name };
    this.namespaceObject = new k8s.KubeNamespace(this, 'namespace', {
      metadata: { name: this.namespace, labels: previewNamespaceLabels(platform, this.preview), annotations: previewNamespaceAnnotations(this.preview) },
    });
    const { quota, limitRange } = settings;
    this.quota = new k8s.KubeResourceQuota(this, 'quota', {
      metadata: { name: PREVIEW_OBJECT_NAMES.quota, namespace: this.namespace, labels: common },
      spec: {
        hard: {
          'requests.cpu': k8s.Quantity.fromString(quota.requests.cpu),
          'requests.memory': k8s.Quantity.fromString(quota.requests.memory),
          'limits.cpu': k8s.Quantity.fromString(quota.limits.cpu),
          'limits.memory': k8s.Quantity.fromString(quota.limits.memory),
          pods: k8s.Quantity.fromString(String(quota.pods)),
          // A preview is reached through the platform's ingress, never from outside on its own.
          'services.loadbalancers': k8s.Quantity.fromString('0'),
          'services.nodeports': k8s.Quantity.fromString('0'),
        },
      },
    });
    this.limitRange = new k8s.KubeLimitRange(this, 'limits', {
      metadata: { name: PREVIEW_OBJECT_NAMES.limitRange, namespace: this.namespace, labels: common },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: { cpu: k8s.Quantity.fromString(limitRange.defaultRequest.cpu), memory: k8s.Quantity.fromString(limitRange.defaultRequest.memory) },
            default: { cpu: k8s.Quantity.fromString(limitRange.default.cpu), memory: k8s.Quantity.fromString(limitRange.default.memory) },
          },
        ],
      },
    });
    this.defaultDeny = defaultDenyPolicy(this, this.namespace, common);
  }
}
