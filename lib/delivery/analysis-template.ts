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
  AnalysisTemplateSpecMetricsConsecutiveErrorLimit,
  AnalysisTemplateSpecMetricsCount,
  AnalysisTemplateSpecMetricsFailureLimit,
  AnalysisTemplateSpecMetricsInconclusiveLimit,
} from '../imports/argo-analysistemplates-argoproj.io';
import { AnalysisMetricPlan, AnalysisTemplatePlan } from './analysis-plan';

export { ANALYSIS_DEFAULTS } from './analysis-plan';

/** Props of an `AnalysisTemplate`. */
export interface AnalysisTemplateProps {
  /** The template as planned by `canaryAnalysisPlan` (its `background` or `budgetFreeze`). */
  readonly plan: AnalysisTemplatePlan;
  /**
   * Labels of the template, e.g. the service's recommended Kubernetes labels.
   * @default {} (no labels)
   */
  readonly labels?: Readonly<Record<string, string>>;
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
    provider: { prometheus: { address, query: metric.query } },
  };
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
        metrics: plan.metrics.map((m) => metricSpec(m, plan.prometheusAddress)),
      },
    });
  }
}
