/**
 * Everything one scheduled job is made of, as plain data: the CronJob's schedule and safety
 * settings, the pod (restricted Pod Security, requests and limits, a pinned image running a
 * script of the library), its ServiceAccount and the least RBAC it needs, the egress it may use,
 * and its two self-monitoring alerts. Concrete jobs (certificate checks, backups, cleanups)
 * build a plan with `scheduledJobPlan`; `ScheduledJob` turns it into objects.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/
 */
import { JobSchedule, PlatformDefinition, Resources, SecretKeyRef } from '../definition';
import { AlertingRule, RuleGroup } from '../prometheus/rule-group';
import { RuleTestGroup } from '../prometheus/rule-tests/test-file';
import { JOB_ALERT_DEFAULTS, JobAlertsInput, JobOwner, jobAlertRules, ownerScope } from './job-alerts';
import { longestGapSeconds } from './schedule';

/** The value of `app.kubernetes.io/managed-by` on every object. */
const MANAGED_BY = 'ops-constructs';

/** The `app.kubernetes.io/component` of every scheduled job's objects, which its pod selector also matches. */
export const JOB_COMPONENT = 'scheduled-job';

/** One RBAC rule the job needs: only these verbs on these resources. */
export interface JobPermission {
  /** API groups, `''` for the core group. */
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** @default every object of the resources */
  readonly resourceNames?: readonly string[];
}

/**
 * The RBAC a job needs. `namespace`: a Role and RoleBinding in the job's namespace;
 * `cluster`: a ClusterRole and ClusterRoleBinding, only for cluster-scoped resources
 * (namespaces, for instance).
 */
export interface JobPermissions {
  readonly scope: 'namespace' | 'cluster';
  readonly rules: readonly JobPermission[];
}

/** A connection the job's pods may open besides DNS. */
export interface JobEgress {
  /** TCP ports. */
  readonly ports: readonly number[];
  /** Address blocks (CIDR). @default anywhere: 0.0.0.0/0 and ::/0 */
  readonly cidrs?: readonly string[];
  /** Pods of a namespace instead of address blocks. @default none */
  readonly namespace?: string;
  /** Labels of those pods. @default every pod of the namespace */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** What a concrete job gives `scheduledJobPlan`. */
export interface ScheduledJobPlanInput {
  /** The CronJob's name, checked by the definition (at most 52 characters). */
  readonly name: string;
  readonly owner: JobOwner;
  readonly schedule: JobSchedule;
  /** A public image pinned by digest: `registry/name:tag@sha256:<64 hex>`. */
  readonly image: string;
  /** The file under `lib/ops/scripts/` the job runs with `/bin/sh`. */
  readonly script: string;
  /** Arguments of the script. @default none */
  readonly args?: readonly string[];
  /** Plain environment variables of the script (never secrets). @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** @default JOB_RESOURCES */
  readonly resources?: Resources;
  /** @default none: no Role, and no API token in the pod */
  readonly permissions?: JobPermissions;
  /** @default DNS only */
  readonly egress?: readonly JobEgress[];
  readonly alerts: JobAlertsInput;
  /**
   * More alerts the job's PrometheusRule ships next to its own two (a certificate job's expiry
   * alerts, for instance), with the promtool tests that prove them.
   * @default none
   */
  readonly extraAlerts?: { readonly rules: readonly AlertingRule[]; readonly tests: readonly RuleTestGroup[] };
  /** Steps run before the script, one init container each, sharing `/tmp`, env and files. @default none */
  readonly initSteps?: readonly JobStep[];
  /** Environment variables read from Secret keys (`secretKeyRef`). @default none */
  readonly secretEnv?: Readonly<Record<string, SecretKeyRef>>;
  /** Files shipped in a second ConfigMap (`<name>-files`), mounted read-only. @default none */
  readonly files?: JobFiles;
  /** Annotations of the ServiceAccount, e.g. GKE Workload Identity's. @default none */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
  /** User and group of the pod, for images whose programs need their own user. @default SCHEDULED_JOB_DEFAULTS.runAsUser */
  readonly runAsUser?: number;
  /** @default SCHEDULED_JOB_DEFAULTS.tmpSizeMebibytes */
  readonly tmpSizeMebibytes?: number;
}

/** A step before the script: the same script with other arguments, in another pinned image. */
export interface JobStep {
  readonly name: string;
  readonly image: string;
  readonly args: readonly string[];
}

/** Files a job reads, by file name, and where they are mounted. */
export interface JobFiles {
  readonly directory: string;
  readonly data: Readonly<Record<string, string>>;
}

/** Requests and limits of a job's container when the job gives none: a small shell script. */
export const JOB_RESOURCES: Resources = Object.freeze({
  requests: Object.freeze({ cpu: '10m', memory: '32Mi' }),
  limits: Object.freeze({ cpu: '200m', memory: '64Mi' }),
});

/** Settings every job shares. */
export const SCHEDULED_JOB_DEFAULTS = Object.freeze({
  /** User and group of the pod (never 0). */
  runAsUser: 65532,
  /** Where the script's ConfigMap is mounted. */
  scriptDirectory: '/scripts',
  /** Size of the writable `/tmp`. */
  tmpSizeMebibytes: 16,
});

/** Everything a scheduled job is made of. */
export interface ScheduledJobPlan {
  readonly name: string;
  readonly namespace: string;
  readonly environment: string;
  /** Labels of every object and of the pods. */
  readonly labels: Readonly<Record<string, string>>;
  /** The labels the NetworkPolicy selects the job's pods by. */
  readonly podSelector: Readonly<Record<string, string>>;
  readonly schedule: JobSchedule;
  /** The longest gap between two runs of the schedule, in seconds. */
  readonly longestGapSeconds: number;
  /** How old the last success may get before the staleness alert fires, in seconds. */
  readonly staleAfterSeconds: number;
  readonly image: string;
  readonly command: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** The script: its file under `lib/ops/scripts/` and the ConfigMap that ships it. */
  readonly script: { readonly file: string; readonly configMap: string; readonly directory: string };
  readonly resources: Resources;
  readonly runAsUser: number;
  readonly tmpSizeMebibytes: number;
  readonly permissions?: JobPermissions;
  readonly egress: readonly JobEgress[];
  /** The job's alerts: `<prefix>JobFailed`, `<prefix>JobStale`, then the extra alerts. */
  readonly alerts: readonly AlertingRule[];
  /** The job's rule group: `<name>-job`. */
  readonly ruleGroup: RuleGroup;
  /** promtool tests of the extra alerts (the job's own two get theirs from `jobRuleTests`). */
  readonly extraTests: readonly RuleTestGroup[];
  /** Whether the group ships as a PrometheusRule object: not when the platform's `prometheusRules` is `files`. */
  readonly ruleObject: boolean;
  /** Init containers, each running the script with its arguments. */
  readonly initSteps: readonly { readonly name: string; readonly image: string; readonly command: readonly string[] }[];
  readonly secretEnv: Readonly<Record<string, SecretKeyRef>>;
  /** The second ConfigMap's name, mount and files. */
  readonly files?: JobFiles & { readonly configMap: string };
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
}

const PINNED = /^[a-z0-9][a-z0-9._/-]*(:[\w][\w.-]{0,127})?@sha256:[0-9a-f]{64}$/;
const SCRIPT = /^[a-z0-9][a-z0-9-]*\.sh$/;

/**
 * The plan of one scheduled job. Throws an `Error` for what only a programming mistake in a
 * concrete job gives (an image without a digest, a script name that is no file name): the
 * definition has checked everything a user writes.
 * @example
 * const plan = scheduledJobPlan(platform, { name: 'checkout-cert-check', owner: { kind: 'service', service }, schedule,
 *   image: CERT_CHECK_IMAGE, script: 'check-certificates.sh', alerts: { prefix: 'CertificateCheck', purpose: 'checks the served certificate' } });
 */
export function scheduledJobPlan(platform: PlatformDefinition, input: ScheduledJobPlanInput): ScheduledJobPlan {
  if (!PINNED.test(input.image)) throw new Error(`scheduled job ${input.name}: image must be pinned by digest (name[:tag]@sha256:<64 hex digits>), got ${input.image}`);
  for (const step of input.initSteps ?? []) if (!PINNED.test(step.image)) throw new Error(`scheduled job ${input.name}: step ${step.name} must use an image pinned by digest, got ${step.image}`);
  if (!SCRIPT.test(input.script)) throw new Error(`scheduled job ${input.name}: script must be a file name under lib/ops/scripts ending in .sh, got ${input.script}`);
  const d = SCHEDULED_JOB_DEFAULTS;
  const scope = ownerScope(input.owner);
  const gap = longestGapSeconds(input.schedule.schedule, input.schedule.timeZone);
  const staleAfterSeconds = gap + input.schedule.startingDeadlineSeconds + input.schedule.activeDeadlineSeconds + JOB_ALERT_DEFAULTS.staleMarginSeconds;
  const podSelector = { 'app.kubernetes.io/component': JOB_COMPONENT, 'app.kubernetes.io/name': input.name };
  const labels = { ...podSelector, 'app.kubernetes.io/managed-by': MANAGED_BY, 'app.kubernetes.io/part-of': scope.platform ?? platform.name, team: scope.team };
  const base = {
    name: input.name,
    namespace: scope.namespace,
    environment: scope.environment,
    labels,
    podSelector,
    schedule: input.schedule,
    longestGapSeconds: gap,
    staleAfterSeconds,
  };
  const alerts = [...jobAlertRules(platform, input.owner, { ...base, alerts: input.alerts }), ...(input.extraAlerts?.rules ?? [])];
  return {
    ...base,
    image: input.image,
    command: ['/bin/sh', `${d.scriptDirectory}/${input.script}`, ...(input.args ?? [])],
    env: Object.fromEntries(Object.entries({ HOME: '/tmp', ...input.env }).sort(([a], [b]) => (a < b ? -1 : 1))),
    script: { file: input.script, configMap: `${input.name}-script`, directory: d.scriptDirectory },
    resources: input.resources ?? JOB_RESOURCES,
    runAsUser: input.runAsUser ?? d.runAsUser,
    tmpSizeMebibytes: input.tmpSizeMebibytes ?? d.tmpSizeMebibytes,
    permissions: input.permissions,
    egress: input.egress ?? [],
    alerts,
    ruleGroup: { name: `${input.name}-job`, rules: alerts },
    extraTests: [...(input.extraAlerts?.tests ?? [])],
    ruleObject: platform.prometheusRules !== 'files',
    initSteps: (input.initSteps ?? []).map((step) => ({ name: step.name, image: step.image, command: ['/bin/sh', `${d.scriptDirectory}/${input.script}`, ...step.args] })),
    secretEnv: { ...input.secretEnv },
    ...(input.files === undefined ? {} : { files: { ...input.files, configMap: `${input.name}-files` } }),
    serviceAccountAnnotations: { ...input.serviceAccountAnnotations },
  };
}
