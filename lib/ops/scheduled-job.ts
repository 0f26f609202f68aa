import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PrometheusRule } from '../imports/monitoring-prometheusrules-monitoring.coreos.com';
import { cronJobProps, filesConfigMapProps, jobPrometheusRuleProps, networkPolicyProps, policyRules, roleBindingSpec, roleName, scriptConfigMapProps, serviceAccountProps } from './render';
import { ScheduledJobPlan } from './scheduled-job-plan';
import { readScript } from './scripts';

/** Props of `ScheduledJob`. */
export interface ScheduledJobProps {
  /** The job's plan, from `scheduledJobPlan`. */
  readonly plan: ScheduledJobPlan;
  /**
   * Labels on the PrometheusRule, e.g. the label a Prometheus `ruleSelector` matches.
   * @default none (the platform's `monitoringLabels` are what the library's jobs pass)
   */
  readonly ruleLabels?: Readonly<Record<string, string>>;

  /**
   * The script's text.
   * @default the plan's file read from `lib/ops/scripts/`
   */
  readonly script?: string;
}

/**
 * A scheduled job with safe defaults and its own monitoring: a CronJob (`concurrencyPolicy:
 * Forbid`, deadlines, retries, history, time zone) whose restricted pod runs a script of the
 * library from a ConfigMap with a pinned image; its own ServiceAccount, and only the Role (or
 * ClusterRole, for cluster-scoped resources) the job needs, bound to it; a NetworkPolicy that
 * admits nothing and lets the pods reach DNS and the plan's egress; and a PrometheusRule with
 * the job's `<prefix>JobFailed` and `<prefix>JobStale` alerts.
 *
 * The objects are the L1 classes (`k8s.KubeCronJob`, ...): cdk8s-plus-28's `CronJob` takes
 * its schedule as a `Cron` of separate fields rather than the expression the definition
 * checked, and its pods have no pod-level `seccompProfile`; the L1 spec is rendered from the
 * plan as plain data (`cronJobProps`), testable without a construct tree.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/
 * @example
 * new ScheduledJob(chart, 'cert-check', { plan: scheduledJobPlan(platform, input), ruleLabels: platform.monitoringLabels });
 */
export class ScheduledJob extends Construct {
  /** The plan the objects were built from. */
  public readonly plan: ScheduledJobPlan;
  /** The CronJob. */
  public readonly cronJob: k8s.KubeCronJob;
  /** The job's alerts, unless the platform delivers its rules as files only (`plan.ruleObject`). */
  public readonly rule?: PrometheusRule;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    const { plan } = props;
    this.plan = plan;
    const config = new k8s.KubeConfigMap(this, 'Script', scriptConfigMapProps(plan, props.script ?? readScript(plan.script.file)));
    const account = new k8s.KubeServiceAccount(this, 'ServiceAccount', serviceAccountProps(plan));
    const dependsOn: ApiObject[] = [config, account];
    if (plan.files !== undefined) dependsOn.push(new k8s.KubeConfigMap(this, 'Files', filesConfigMapProps(plan)));
    if (plan.permissions !== undefined) {
      const rules = policyRules(plan);
      const binding = roleBindingSpec(plan);
      const labels = serviceAccountProps(plan).metadata?.labels;
      if (plan.permissions.scope === 'cluster') {
        dependsOn.push(new k8s.KubeClusterRole(this, 'ClusterRole', { metadata: { name: roleName(plan), labels }, rules }));
        dependsOn.push(new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', { metadata: { name: roleName(plan), labels }, ...binding }));
      } else {
        dependsOn.push(new k8s.KubeRole(this, 'Role', { metadata: { name: roleName(plan), namespace: plan.namespace, labels }, rules }));
        dependsOn.push(new k8s.KubeRoleBinding(this, 'RoleBinding', { metadata: { name: roleName(plan), namespace: plan.namespace, labels }, ...binding }));
      }
    }
    dependsOn.push(new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', networkPolicyProps(plan)));
    this.cronJob = new k8s.KubeCronJob(this, 'CronJob', cronJobProps(plan));
    for (const object of dependsOn) this.cronJob.addDependency(object);
    if (plan.ruleObject) this.rule = new PrometheusRule(this, 'Rule', jobPrometheusRuleProps(plan, props.ruleLabels));
  }
}
