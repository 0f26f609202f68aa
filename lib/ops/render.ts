/**
 * A scheduled job's plan as the props of Kubernetes objects (the L1 classes cdk8s-plus-28
 * exports as `k8s`) and of its PrometheusRule: plain data, no construct tree.
 */
import { k8s } from 'cdk8s-plus-28';
import { PrometheusRuleProps } from '../imports/monitoring-prometheusrules-monitoring.coreos.com';
import { sortedRecord } from '../private/data';
import { toSpecGroup } from '../prometheus/slo-alert-policy';
import { JobEgress, ScheduledJobPlan } from './scheduled-job-plan';

/** Where cluster DNS runs, which every job may reach: CoreDNS as most clusters deploy it. */
export const JOB_DNS = Object.freeze({ namespace: 'kube-system', podLabels: Object.freeze({ 'k8s-app': 'kube-dns' }) });

function metadata(plan: ScheduledJobPlan, name: string = plan.name, labels: Readonly<Record<string, string>> = {}): k8s.ObjectMeta {
  return { name, namespace: plan.namespace, labels: sortedRecord({ ...labels, ...plan.labels }) };
}

/** Volumes of the pod: the script, read-only and executable, and a small writable `/tmp`. */
const VOLUMES = Object.freeze({ script: 'script', tmp: 'tmp', files: 'files' });

/**
 * The CronJob: `concurrencyPolicy: Forbid` (a run never overlaps the one before), the
 * definition's deadlines, retries, history and time zone; a restricted pod (non-root, no
 * privilege escalation, every capability dropped, RuntimeDefault seccomp, read-only root file
 * system) with requests and limits, its own ServiceAccount, and an API token only when the job
 * has permissions. No `ttlSecondsAfterFinished`: the failure alert reads the failed Job, which
 * the history limit keeps.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export function cronJobProps(plan: ScheduledJobPlan): k8s.KubeCronJobProps {
  const { schedule } = plan;
  const token = plan.permissions !== undefined;
  const quantity = (value: string): k8s.Quantity => k8s.Quantity.fromString(value);
  const container = jobContainer(plan);
  return {
    metadata: metadata(plan),
    spec: {
      schedule: schedule.schedule,
      timeZone: schedule.timeZone,
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: schedule.startingDeadlineSeconds,
      successfulJobsHistoryLimit: schedule.successfulJobsHistoryLimit,
      failedJobsHistoryLimit: schedule.failedJobsHistoryLimit,
      suspend: false,
      jobTemplate: {
        metadata: { labels: sortedRecord(plan.labels) },
        spec: {
          backoffLimit: schedule.backoffLimit,
          activeDeadlineSeconds: schedule.activeDeadlineSeconds,
          template: {
            metadata: { labels: sortedRecord(plan.labels) },
            spec: {
              restartPolicy: 'Never',
              serviceAccountName: plan.name,
              automountServiceAccountToken: token,
              securityContext: {
                runAsNonRoot: true,
                runAsUser: plan.runAsUser,
                runAsGroup: plan.runAsUser,
                fsGroup: plan.runAsUser,
                seccompProfile: { type: 'RuntimeDefault' },
              },
              ...(plan.initSteps.length === 0 ? {} : { initContainers: plan.initSteps.map((step) => ({ ...container, name: step.name, image: step.image, command: [...step.command] })) }),
              containers: [{ ...container, name: 'job', image: plan.image, command: [...plan.command] }],
              volumes: [
                { name: VOLUMES.script, configMap: { name: plan.script.configMap, defaultMode: 0o555 } },
                { name: VOLUMES.tmp, emptyDir: { sizeLimit: quantity(`${plan.tmpSizeMebibytes}Mi`) } },
                ...(plan.files === undefined ? [] : [{ name: VOLUMES.files, configMap: { name: plan.files.configMap, defaultMode: 0o444 } }]),
              ],
            },
          },
        },
      },
    },
  };
}

/** What every container of a job's pod shares: env, resources, the restricted security context, the mounts. */
function jobContainer(plan: ScheduledJobPlan): Omit<k8s.Container, 'name'> {
  const quantity = (value: string): k8s.Quantity => k8s.Quantity.fromString(value);
  return {
    imagePullPolicy: 'IfNotPresent',
    env: [
      ...Object.entries(plan.env).map(([name, value]) => ({ name, value })),
      ...Object.entries(sortedRecord(plan.secretEnv)).map(([name, ref]) => ({ name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } })),
    ],
    resources: {
      requests: { cpu: quantity(plan.resources.requests.cpu), memory: quantity(plan.resources.requests.memory) },
      limits: { cpu: quantity(plan.resources.limits.cpu), memory: quantity(plan.resources.limits.memory) },
    },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: plan.runAsUser,
      runAsGroup: plan.runAsUser,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [
      { name: VOLUMES.script, mountPath: plan.script.directory, readOnly: true },
      { name: VOLUMES.tmp, mountPath: '/tmp' },
      ...(plan.files === undefined ? [] : [{ name: VOLUMES.files, mountPath: plan.files.directory, readOnly: true }]),
    ],
  };
}

/** The ConfigMap of the files a job reads (`plan.files`), by file name. */
export function filesConfigMapProps(plan: ScheduledJobPlan): k8s.KubeConfigMapProps {
  return { metadata: metadata(plan, plan.files?.configMap ?? `${plan.name}-files`), data: sortedRecord(plan.files?.data) };
}

/** The ConfigMap that ships the job's script, under its file name. */
export function scriptConfigMapProps(plan: ScheduledJobPlan, script: string): k8s.KubeConfigMapProps {
  return { metadata: metadata(plan, plan.script.configMap), data: { [plan.script.file]: script } };
}

/** The job's own ServiceAccount; its token is mounted only into jobs with permissions. */
export function serviceAccountProps(plan: ScheduledJobPlan): k8s.KubeServiceAccountProps {
  const annotations = Object.keys(plan.serviceAccountAnnotations).length === 0 ? {} : { annotations: sortedRecord(plan.serviceAccountAnnotations) };
  return { metadata: { ...metadata(plan), ...annotations }, automountServiceAccountToken: plan.permissions !== undefined };
}

/** The rules of the job's Role or ClusterRole, exactly the permissions of the plan. */
export function policyRules(plan: ScheduledJobPlan): k8s.PolicyRule[] {
  return (plan.permissions?.rules ?? []).map((rule) => ({
    apiGroups: [...rule.apiGroups],
    resources: [...rule.resources],
    verbs: [...rule.verbs],
    ...(rule.resourceNames === undefined ? {} : { resourceNames: [...rule.resourceNames] }),
  }));
}

/** The binding of the role to the job's ServiceAccount. */
export function roleBindingSpec(plan: ScheduledJobPlan): Pick<k8s.KubeRoleBindingProps, 'roleRef' | 'subjects'> {
  const kind = plan.permissions?.scope === 'cluster' ? 'ClusterRole' : 'Role';
  return {
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: roleName(plan) },
    subjects: [{ kind: 'ServiceAccount', name: plan.name, namespace: plan.namespace }],
  };
}

/** The name of the job's Role, or of its ClusterRole (cluster-wide, so prefixed with the namespace). */
export function roleName(plan: ScheduledJobPlan): string {
  return plan.permissions?.scope === 'cluster' ? `${plan.namespace}-${plan.name}` : plan.name;
}

function egressRule(egress: JobEgress): k8s.NetworkPolicyEgressRule {
  const ports = egress.ports.map((port) => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' }));
  if (egress.namespace !== undefined) {
    return {
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': egress.namespace } }, podSelector: { matchLabels: { ...egress.podLabels } } }],
      ports,
    };
  }
  return { to: (egress.cidrs ?? ['0.0.0.0/0', '::/0']).map((cidr) => ({ ipBlock: { cidr } })), ports };
}

/**
 * The job pods' NetworkPolicy: nothing may connect to them; they may reach cluster DNS and
 * the plan's egress, nothing else (the namespace denies everything by default).
 */
export function networkPolicyProps(plan: ScheduledJobPlan): k8s.KubeNetworkPolicyProps {
  const dnsPorts = [53].flatMap((port) => ['UDP', 'TCP'].map((protocol) => ({ port: k8s.IntOrString.fromNumber(port), protocol })));
  return {
    metadata: metadata(plan),
    spec: {
      podSelector: { matchLabels: sortedRecord(plan.podSelector) },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': JOB_DNS.namespace } }, podSelector: { matchLabels: { ...JOB_DNS.podLabels } } }], ports: dnsPorts },
        ...plan.egress.map(egressRule),
      ],
    },
  };
}

/** The job's PrometheusRule: its rule group, in its namespace. */
export function jobPrometheusRuleProps(plan: ScheduledJobPlan, labels: Readonly<Record<string, string>> = {}): PrometheusRuleProps {
  return { metadata: metadata(plan, plan.name, labels), spec: { groups: [toSpecGroup(plan.ruleGroup)] } };
}
