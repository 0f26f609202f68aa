import { equalityMatchers, formatNumber, matcher, selector } from '../promql/build';
import { scopeMatchers } from '../prometheus/sli';
import { AvailabilitySlo, EffectiveService, LatencySlo, PlatformDefinition, Severity } from '../definition';
import { alertLabels, alertLinks } from '../definition/naming';
import { CONTAINER_SERIES, containerMatchers, containerResourceSeries, containerSeries } from './containers';
import { AlertingRule, RuleGroup } from './rule-group';

/** Names of the symptom alerts every service gets (some only when they apply). */
export const SYMPTOM_ALERTS = {
  errorRate: 'ServiceErrorRateHigh',
  latency: 'ServiceLatencyHigh',
  down: 'ServiceDown',
  crashLooping: 'ServiceCrashLooping',
  podNotReady: 'ServicePodNotReady',
  hpaMaxedOut: 'ServiceHpaMaxedOut',
  cpuSaturated: 'ServiceCpuSaturated',
} as const;

/** Error ratio above which `ServiceErrorRateHigh` fires. */
export const ERROR_RATE_THRESHOLD = 0.01;
/** Share of the CPU limit above which `ServiceCpuSaturated` fires. */
export const CPU_SATURATION_THRESHOLD = 0.8;
/** Container restarts within 15 minutes above which `ServiceCrashLooping` fires. */
export const CRASH_LOOP_RESTARTS = 2;
/** The quantile `ServiceLatencyHigh` compares with the latency SLO threshold. */
export const LATENCY_QUANTILE = 0.99;

/** The rule group of a service's symptom alerts: `<service>-symptoms`. */
export function symptomRuleGroupName(service: Pick<EffectiveService, 'name'>): string {
  return `${service.name}-symptoms`;
}

/**
 * The regular expression matching the pod names of a service. Workload pods are named
 * `<service>-<hash>` (ReplicaSets, Rollouts: `<service>-<template hash>-<pod hash>`).
 */
export function podNamePattern(service: Pick<EffectiveService, 'name'>): string {
  return `${service.name}-[a-z0-9]+(-[a-z0-9]+)?`;
}

interface AlertText {
  readonly alert: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly description: string;
}

function symptom(
  platform: PlatformDefinition,
  service: EffectiveService,
  text: AlertText,
  rule: { expr: string; for: string; keepFiringFor?: string; labels?: Record<string, string> },
): AlertingRule {
  return {
    alert: text.alert,
    expr: rule.expr,
    for: rule.for,
    keepFiringFor: rule.keepFiringFor,
    labels: { ...rule.labels, ...alertLabels(service, text.severity) },
    annotations: {
      summary: text.summary,
      description: text.description,
      ...alertLinks(platform, service, text.alert),
    },
  };
}

/** The selectors `ServiceErrorRateHigh` uses: those of the first availability SLO, else 5xx over all requests. */
export function errorRateSelectors(service: EffectiveService): { bad: string; total: string } {
  const slo = service.slos.find((s): s is AvailabilitySlo => s.kind === 'availability');
  return slo === undefined ? { bad: 'code=~"5.."', total: '' } : { bad: slo.badSelector, total: slo.totalSelector };
}

/**
 * The symptom alerts of a service, in a fixed order. Each is on what users or the platform
 * feel (errors, latency, unavailability, restarts, saturation), not on causes.
 * - `ServiceErrorRateHigh` (HTTP services): more than 1% errors for 5m.
 * - `ServiceLatencyHigh` (per latency SLO): p99 above the SLO threshold for 5m.
 * - `ServiceDown`: no target of the service scraped successfully for 1m.
 * - `ServiceCrashLooping`: a container restarted more than twice within 15m, for 5m.
 * - `ServicePodNotReady`: a pod not ready for 15m.
 * - `ServiceHpaMaxedOut` (with autoscaling): at maximum replicas for 15m.
 * - `ServiceCpuSaturated`: a pod above 80% of its CPU limit for 5m, severity `low`.
 *
 * `keep_firing_for` keeps the noisy ratio alerts (errors, latency) from resolving and
 * re-firing when the ratio hovers around the threshold.
 * @see https://sre.google/sre-book/monitoring-distributed-systems/
 */
export function symptomAlerts(platform: PlatformDefinition, service: EffectiveService): AlertingRule[] {
  const scope = scopeMatchers(service);
  const ns = equalityMatchers({ namespace: service.namespace });
  const rules: AlertingRule[] = [];

  if (service.port !== undefined) {
    const { bad, total } = errorRateSelectors(service);
    const metric = service.metrics.requestsMetric;
    rules.push(
      symptom(
        platform,
        service,
        {
          alert: SYMPTOM_ALERTS.errorRate,
          severity: 'high',
          summary: `${service.name}: more than ${formatNumber(ERROR_RATE_THRESHOLD * 100)}% of requests fail`,
          description: `More than ${formatNumber(ERROR_RATE_THRESHOLD * 100)}% of the requests to ${service.name} in ${service.namespace} failed over the last 5 minutes, for 5 minutes.`,
        },
        {
          expr:
            `sum(rate(${selector(metric, scope, total, bad)}[5m]))\n/\nsum(rate(${selector(metric, scope, total)}[5m]))\n` +
            `> ${formatNumber(ERROR_RATE_THRESHOLD)}`,
          for: '5m',
          keepFiringFor: '5m',
        },
      ),
    );
  }

  for (const slo of service.slos.filter((s): s is LatencySlo => s.kind === 'latency')) {
    const buckets = selector(`${service.metrics.latencyMetric}_bucket`, scope, slo.selector);
    rules.push(
      symptom(
        platform,
        service,
        {
          alert: SYMPTOM_ALERTS.latency,
          severity: 'high',
          summary: `${service.name}: p${formatNumber(LATENCY_QUANTILE * 100)} latency above ${formatNumber(slo.thresholdSeconds)}s`,
          description: `The ${formatNumber(LATENCY_QUANTILE * 100)}th percentile of request latency of ${service.name} has been above the ${formatNumber(slo.thresholdSeconds)}s threshold of SLO ${slo.name} for 5 minutes.`,
        },
        {
          expr: `histogram_quantile(${formatNumber(LATENCY_QUANTILE)}, sum by (le) (rate(${buckets}[5m])))\n> ${formatNumber(slo.thresholdSeconds)}`,
          for: '5m',
          keepFiringFor: '5m',
          labels: { slo: slo.name },
        },
      ),
    );
  }

  rules.push(
    symptom(
      platform,
      service,
      {
        alert: SYMPTOM_ALERTS.down,
        severity: 'critical',
        summary: `${service.name} is down`,
        description: `Prometheus has not scraped any target of ${service.name} in ${service.namespace} successfully for 1 minute, or has no target of it at all.`,
      },
      { expr: `max(${selector('up', scope)}) == 0\nor\nabsent(${selector('up', scope)})`, for: '1m' },
    ),
    symptom(
      platform,
      service,
      {
        alert: SYMPTOM_ALERTS.crashLooping,
        severity: 'high',
        summary: `${service.name}: a container is crash looping`,
        description: `A container of ${service.name} in ${service.namespace} restarted more than ${CRASH_LOOP_RESTARTS} times within 15 minutes.`,
      },
      {
        expr: `sum by (pod) (increase(${selector('kube_pod_container_status_restarts_total', containerMatchers(service))}[15m])) > ${CRASH_LOOP_RESTARTS}`,
        for: '5m',
      },
    ),
    symptom(
      platform,
      service,
      {
        alert: SYMPTOM_ALERTS.podNotReady,
        severity: 'medium',
        summary: `${service.name}: a pod is not ready`,
        description: `A pod of ${service.name} in ${service.namespace} has not been ready for 15 minutes; it receives no traffic.`,
      },
      {
        expr: `sum by (pod) (${selector('kube_pod_status_ready', ns, matcher('pod', '=~', podNamePattern(service)), 'condition="false"')}) > 0`,
        for: '15m',
      },
    ),
  );

  if (service.autoscaling !== false) {
    const hpa = matcher('horizontalpodautoscaler', '=', service.name);
    rules.push(
      symptom(
        platform,
        service,
        {
          alert: SYMPTOM_ALERTS.hpaMaxedOut,
          severity: 'medium',
          summary: `${service.name}: autoscaler at maximum replicas`,
          description: `The HorizontalPodAutoscaler of ${service.name} has run at its maximum of ${service.autoscaling.maxReplicas} replicas for 15 minutes; the service cannot scale further.`,
        },
        {
          expr:
            `max(${selector('kube_horizontalpodautoscaler_status_current_replicas', ns, hpa)})\n>=\n` +
            `max(${selector('kube_horizontalpodautoscaler_spec_max_replicas', ns, hpa)})`,
          for: '15m',
          keepFiringFor: '5m',
        },
      ),
    );
  }

  rules.push(
    symptom(
      platform,
      service,
      {
        alert: SYMPTOM_ALERTS.cpuSaturated,
        severity: 'low',
        summary: `${service.name}: a pod uses more than ${formatNumber(CPU_SATURATION_THRESHOLD * 100)}% of its CPU limit`,
        description: `A pod of ${service.name} has used more than ${formatNumber(CPU_SATURATION_THRESHOLD * 100)}% of its CPU limit (${service.resources.limits.cpu}) for 5 minutes; it is being throttled or close to it.`,
      },
      {
        expr:
          `sum by (pod) (rate(${containerSeries(CONTAINER_SERIES.cpuUsage, service)}[5m]))\n/\n` +
          `sum by (pod) (${containerResourceSeries('limits', service, 'cpu')})\n` +
          `> ${formatNumber(CPU_SATURATION_THRESHOLD)}`,
        for: '5m',
      },
    ),
  );
  return rules;
}

/** The symptom rule group of a service. */
export function symptomRuleGroup(platform: PlatformDefinition, service: EffectiveService): RuleGroup {
  return { name: symptomRuleGroupName(service), rules: symptomAlerts(platform, service) };
}
