/**
 * The cleanup of expired preview environments: a platform-scoped scheduled job in each
 * environment holding previews. Its script (`scripts/cleanup-namespaces.sh`) deletes the
 * preview namespaces whose expiry has passed, safety first, logging one JSON line per decision;
 * its ServiceAccount may list, get and delete namespaces and nothing else, and an admission
 * policy has the API server refuse it any namespace that is not a preview or is protected.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#role-and-clusterrole
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DefinitionError, PREVIEW_METADATA, PlatformDefinition, Previews, Resources, isDefinedPlatform } from '../definition';
import { MANAGED_BY } from '../private/namespace-objects';
import { CleanupAdmissionInput, cleanupAdmissionPolicy } from './cleanup-admission-policy';
import { previewSettings } from './preview-environment';
import { ScheduledJob } from './scheduled-job';
import { JobPermissions, ScheduledJobPlan, scheduledJobPlan } from './scheduled-job-plan';

/**
 * The image the cleanup runs: `alpine/k8s` 1.31.0 (Alpine with BusyBox `sh`, `date` and
 * `sort`, kubectl 1.31 and jq), pinned by the digest of its multi-architecture index as public
 * infrastructure code pins it.
 * @see https://hub.docker.com/r/alpine/k8s
 */
export const CLEANUP_IMAGE = 'docker.io/alpine/k8s:1.31.0@sha256:66dd3f7db6c4cf152b688d83aad11ceed9eb2da0c4e7de1034c7d4ccea1b55ef';

/** What the cleanup job is and may do. */
export const CLEANUP_JOB = Object.freeze({
  /** The CronJob's name. */
  name: 'preview-cleanup',
  /** The script it runs, under `lib/ops/scripts/`. */
  script: 'cleanup-namespaces.sh',
  /** Its alerts: `PreviewCleanupJobFailed`, `PreviewCleanupJobStale`. */
  alertPrefix: 'PreviewCleanup',
  /** List, get and delete namespaces, nothing else. Namespaces are cluster-scoped: that takes a ClusterRole. */
  permissions: Object.freeze({ scope: 'cluster', rules: Object.freeze([Object.freeze({ apiGroups: [''], resources: ['namespaces'], verbs: ['delete', 'get', 'list'] })]) }) as JobPermissions,
  /**
   * Ports of the API server. A NetworkPolicy sees the `kubernetes` Service's endpoints, the
   * control plane's own addresses, which differ per cluster: 443 and 6443, anywhere.
   */
  apiServerPorts: Object.freeze([443, 6443]),
});

/** Requests and limits of the cleanup's container: kubectl needs more memory than a small script. */
export const CLEANUP_RESOURCES: Resources = Object.freeze({
  requests: Object.freeze({ cpu: '50m', memory: '64Mi' }),
  limits: Object.freeze({ cpu: '500m', memory: '128Mi' }),
});

/** The settings of the cleanup script, as the environment variables it reads. */
export function cleanupScriptEnv(previews: Previews, environment: string): Record<string, string> {
  return {
    DRY_RUN: String(previews.cleanup.dryRunByEnvironment[environment] ?? true),
    EXPIRY_ANNOTATION: PREVIEW_METADATA.expiresAt,
    MAX_DELETIONS: String(previews.cleanup.maxDeletions),
    PREVIEW_LABEL: previews.label,
    PROTECTED_NAMESPACES: previews.protectedNamespaces.join(' '),
  };
}

/**
 * The cleanup job of one environment, or undefined when the platform has no previews there.
 * Listed by `platformJobPlans`, so its alerts are enumerable with every other.
 */
export function cleanupJobPlan(platform: PlatformDefinition, environment: string): ScheduledJobPlan | undefined {
  const previews = platform.previews;
  if (previews === undefined || !previews.environments.includes(environment)) return undefined;
  const { cleanup } = previews;
  return scheduledJobPlan(platform, {
    name: CLEANUP_JOB.name,
    owner: { kind: 'platform', environment, namespace: cleanup.namespace, team: cleanup.team },
    schedule: cleanup.jobSchedule,
    image: CLEANUP_IMAGE,
    script: CLEANUP_JOB.script,
    env: cleanupScriptEnv(previews, environment),
    resources: CLEANUP_RESOURCES,
    permissions: CLEANUP_JOB.permissions,
    egress: [{ ports: [...CLEANUP_JOB.apiServerPorts] }],
    alerts: { prefix: CLEANUP_JOB.alertPrefix, purpose: `deletes expired preview namespaces (labelled ${previews.label}=true, at most ${cleanup.maxDeletions} a run${cleanup.dryRunByEnvironment[environment] ? ', in dry-run mode: it only logs' : ''})` },
  });
}

/** The admission policy of one environment's cleanup job: its ServiceAccount may delete only previews. */
export function cleanupAdmissionInput(plan: ScheduledJobPlan, previews: Previews): CleanupAdmissionInput {
  return {
    name: `${plan.namespace}-${plan.name}`,
    serviceAccount: { namespace: plan.namespace, name: plan.name },
    label: previews.label,
    protectedNamespaces: previews.protectedNamespaces,
    labels: { 'app.kubernetes.io/managed-by': MANAGED_BY, 'app.kubernetes.io/name': plan.name, 'app.kubernetes.io/part-of': plan.labels['app.kubernetes.io/part-of'] },
  };
}

/** Props of `CleanupCronJob`. */
export interface CleanupCronJobProps {
  /** The platform, with `previews` settings. */
  readonly platform: PlatformDefinition;
  /** The environment, one of `previews.environments`. */
  readonly environment: string;
  /**
   * The job's plan, when already built (synthesis builds it once for the objects, the rule file
   * and its tests).
   * @default cleanupJobPlan(platform, environment)
   */
  readonly plan?: ScheduledJobPlan;
}

/**
 * The cleanup of expired preview namespaces in one environment: a `ScheduledJob` (CronJob,
 * ServiceAccount, ClusterRole to list, get and delete namespaces, NetworkPolicy, the script's
 * ConfigMap and the `PreviewCleanupJobFailed` / `PreviewCleanupJobStale` alerts), and, unless
 * `previews.cleanup.admissionPolicy` is false, the ValidatingAdmissionPolicy and binding that
 * keep its ServiceAccount to preview namespaces.
 *
 * @example
 * new CleanupCronJob(chart, 'cleanup', { platform, environment: 'dev' });
 */
export class CleanupCronJob extends Construct {
  /** The scheduled job. */
  public readonly job: ScheduledJob;
  /** The admission policy and its binding, unless turned off. */
  public readonly admissionPolicy?: readonly ApiObject[];

  constructor(scope: Construct, id: string, props: CleanupCronJobProps) {
    super(scope, id);
    const { platform, environment } = props;
    const plan = props.plan ?? (isDefinedPlatform(platform) ? cleanupJobPlan(platform, environment) : undefined);
    if (plan === undefined) {
      const problem = !isDefinedPlatform(platform)
        ? { path: 'props.platform', problem: 'must be a platform from definePlatform', value: (platform as { name?: unknown } | undefined)?.name }
        : { path: 'props.environment', problem: `must be an environment holding previews: ${platform.previews?.environments.join(', ') || 'none (the platform sets no previews)'}`, value: environment };
      throw new DefinitionError('preview cleanup job', [problem], this.node.path);
    }
    this.job = new ScheduledJob(this, 'job', { plan, ruleLabels: platform.monitoringLabels });
    const previews = previewSettings(platform);
    if (previews.cleanup.admissionPolicy) {
      const [policy, binding] = cleanupAdmissionPolicy(cleanupAdmissionInput(plan, previews));
      const policyObject = new ApiObject(this, 'admission-policy', policy);
      const bindingObject = new ApiObject(this, 'admission-policy-binding', binding);
      bindingObject.addDependency(policyObject);
      this.admissionPolicy = [policyObject, bindingObject];
    }
  }
}
