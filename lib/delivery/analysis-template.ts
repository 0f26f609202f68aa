/**
 * The Argo Rollouts `AnalysisTemplate` of a canary analysis plan: one Prometheus metric per
 * planned metric, at the platform's Prometheus, with the plan's conditions and limits.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/analysis/
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/specification/
 */
import { Construct } from 'constructs';
import {
  AnalysisTemplate as ArgoAnalysisTemplate,
  AnalysisTemplateSpecMetrics,
  AnalysisTemplateSpecMetricsProviderJob,
  AnalysisTemplateSpecMetricsConsecutiveErrorLimit,
  AnalysisTemplateSpecMetricsCount,
  AnalysisTemplateSpecMetricsFailureLimit,
  AnalysisTemplateSpecMetricsInconclusiveLimit,
} from '../imports/argo-analysistemplates-argoproj.io';
import { AnalysisMetricPlan, AnalysisTemplatePlan, JobMetricPlan } from './analysis-plan';

export { ANALYSIS_DEFAULTS } from './analysis-plan';

/**
 * Requests and limits of a Job metric's container: a shell loop running one curl at a time.
 * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
 */
export const JOB_METRIC_RESOURCES = Object.freeze({
  requests: Object.freeze({ cpu: '10m', memory: '16Mi' }),
  limits: Object.freeze({ cpu: '100m', memory: '32Mi' }),
});

/** Props of an `AnalysisTemplate`. */
export interface AnalysisTemplateProps {
  /** The template as planned by `canaryAnalysisPlan` (its `background` or `budgetFreeze`) or `previewAnalysisPlan`. */
  readonly plan: AnalysisTemplatePlan;
  /**
   * Labels of the template, e.g. the service's recommended Kubernetes labels.
   * @default {} (no labels)
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Labels of the pods of the plan's Job metrics, which NetworkPolicies select them by. They must
   * not match the service's own selector, or its Services and policies would take in the Job.
   * @default {} (no labels)
   */
  readonly jobPodLabels?: Readonly<Record<string, string>>;
}

/** The template's metric as the CRD spells it. */
function metricSpec(metric: AnalysisMetricPlan, address: string): AnalysisTemplateSpecMetrics {
  return {
    name: metric.name,
    interval: metric.interval,
    count: AnalysisTemplateSpecMetricsCount.fromNumber(metric.count),
    successCondition: metric.successCondition,
    failureCondition: metric.failureCondition,
    failureLimit: AnalysisTemplateSpecMetricsFailureLimit.fromNumber(metric.failureLimit),
    inconclusiveLimit: AnalysisTemplateSpecMetricsInconclusiveLimit.fromNumber(metric.inconclusiveLimit),
    consecutiveErrorLimit: AnalysisTemplateSpecMetricsConsecutiveErrorLimit.fromNumber(metric.consecutiveErrorLimit),
    ...(metric.initialDelay !== undefined ? { initialDelay: metric.initialDelay } : {}),
    provider: { prometheus: { address, query: metric.query } },
  };
}

/**
 * A Job metric as the CRD spells it: one attempt (`backoffLimit` 0, a retry would send the
 * traffic twice), never restarted, and the Pod Security "restricted" profile: non-root by
 * number, no privilege escalation, every capability dropped, read-only root filesystem,
 * seccomp RuntimeDefault, no service account token, requests and limits.
 */
function jobMetricSpec(metric: JobMetricPlan, podLabels: Readonly<Record<string, string>>): AnalysisTemplateSpecMetrics {
  const c = metric.container;
  const job: AnalysisTemplateSpecMetricsProviderJob = {
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: metric.activeDeadlineSeconds,
      template: {
        ...(Object.keys(podLabels).length > 0 ? { metadata: { labels: { ...podLabels } } } : {}),
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: { runAsNonRoot: true, runAsUser: c.runAsUser, runAsGroup: c.runAsGroup, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: c.name,
              image: c.image,
              imagePullPolicy: 'IfNotPresent',
              command: [...c.command],
              env: Object.keys(c.env)
                .sort()
                .map((name) => ({ name, value: c.env[name] })),
              resources: { requests: { ...JOB_METRIC_RESOURCES.requests }, limits: { ...JOB_METRIC_RESOURCES.limits } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
  return { name: metric.name, failureLimit: AnalysisTemplateSpecMetricsFailureLimit.fromNumber(0), provider: { job } };
}

/**
 * An Argo Rollouts `AnalysisTemplate` rendered from a plan; a Rollout references it by
 * `templateName` with the plan's `rolloutArgs`.
 *
 * @example
 * const plan = canaryAnalysisPlan(platform, service);
 * new AnalysisTemplate(chart, 'canary-analysis', { plan: plan.background });
 */
export class AnalysisTemplate extends Construct {
  /** The template's name, which a Rollout's `templates[].templateName` names. */
  public readonly templateName: string;
  /** The generated API object. */
  public readonly apiObject: ArgoAnalysisTemplate;

  constructor(scope: Construct, id: string, props: AnalysisTemplateProps) {
    super(scope, id);
    const { plan } = props;
    this.templateName = plan.name;
    const labels = props.labels ?? {};
    this.apiObject = new ArgoAnalysisTemplate(this, 'Resource', {
      metadata: { name: plan.name, namespace: plan.namespace, ...(Object.keys(labels).length > 0 ? { labels: { ...labels } } : {}) },
      spec: {
        args: plan.args.map((name) => ({ name })),
        metrics: [...(plan.jobs ?? []).map((j) => jobMetricSpec(j, props.jobPodLabels ?? {})), ...plan.metrics.map((m) => metricSpec(m, plan.prometheusAddress))],
      },
    });
  }
}
