/**
 * Right-sizing rules of a service: its CPU and memory usage over 7 days (95th percentile, and
 * the maximum of memory) next to its requests and limits, and two alerts on them.
 *
 * Cost: a 7-day `quantile_over_time` over the raw cAdvisor series would read every sample of
 * every pod (20 160 per series at a 30s scrape) at each evaluation, and a subquery over a rate
 * would recompute 2 016 rates of them. The group records in two levels instead, every
 * `RIGHT_SIZING_INTERVAL` (5m): first the busiest pod's usage over the last 5 minutes (one
 * series per resource, whatever the number of pods), then the 7-day quantile and maximum over
 * that recorded series, which holds 2 016 samples in 7 days. Both levels sit in one group, so
 * the second reads the value the first recorded in the same evaluation.
 * @see https://prometheus.io/docs/practices/rules/#naming-and-aggregation
 */
import { EffectiveService, PlatformDefinition } from '../definition';
import { alertLabels, alertLinks } from '../definition/naming';
import { equalityMatchers, formatNumber, matcher, selector } from '../promql/build';
import { CONTAINER_SERIES, ContainerResource, containerMatchers, containerSeries } from './containers';
import { AlertingRule, RecordingRule, RuleGroup } from './rule-group';

/** The series the right-sizing group records; each carries `namespace`, `service` and `resource` (`cpu` in cores, `memory` in bytes). */
export const RIGHT_SIZING_RECORDS = Object.freeze({
  /** The busiest pod over the last 5 minutes: CPU as a 5m rate, memory as the 5m peak of the working set. */
  usage: 'service:container_resource_usage:max5m',
  /** The 95th percentile of `usage` over `RIGHT_SIZING_WINDOW`. */
  p95: 'service:container_resource_usage:p95_7d',
  /** The maximum of `usage` over `RIGHT_SIZING_WINDOW`, for memory. */
  max: 'service:container_resource_usage:max_7d',
  /** The largest request of the service's containers, per resource (kube-state-metrics). */
  requests: 'service:container_resource_requests:max',
  /** The largest limit of the service's containers, per resource (kube-state-metrics). */
  limits: 'service:container_resource_limits:max',
});

/** Names of the right-sizing alerts. */
export const RIGHT_SIZING_ALERTS = Object.freeze({
  overProvisioned: 'ServiceOverProvisioned',
  memoryNearLimit: 'ServiceMemoryNearLimit',
});

/** How far back usage is weighed. */
export const RIGHT_SIZING_WINDOW = '7d';
/** How often the group is evaluated: the resolution of the recorded usage. */
export const RIGHT_SIZING_INTERVAL = '5m';
/** The window of the first level: CPU rate and memory peak. */
export const RIGHT_SIZING_BASE_WINDOW = '5m';
/** The quantile of usage requests are compared with and sized from. */
export const RIGHT_SIZING_QUANTILE = 0.95;
/** How long usage must have been recorded before `ServiceOverProvisioned` may fire: a percentile of an hour says little about a week. */
export const RIGHT_SIZING_MIN_HISTORY = '1d';
/** How long each alert's condition must hold. */
export const RIGHT_SIZING_FOR = Object.freeze({ overProvisioned: '1h', memoryNearLimit: '15m' });

/** The right-sizing group of a service: `<service>-right-sizing`. */
export function rightSizingRuleGroupName(service: Pick<EffectiveService, 'name'>): string {
  return `${service.name}-right-sizing`;
}

/**
 * A recorded right-sizing series of one service: `record{namespace="…", service="…"}`, of one
 * resource when given. The namespace may be a dashboard variable.
 */
export function rightSizingSeries(record: string, service: Pick<EffectiveService, 'name' | 'namespace'>, resource?: ContainerResource): string {
  return selector(record, equalityMatchers({ namespace: service.namespace, service: service.name }), resource === undefined ? '' : matcher('resource', '=', resource));
}

/** The first level of one resource: the busiest pod's usage over the base window. */
function usageExpr(service: EffectiveService, resource: ContainerResource): string {
  const window = RIGHT_SIZING_BASE_WINDOW;
  return resource === 'cpu'
    ? `max by (namespace) (sum by (namespace, pod) (rate(${containerSeries(CONTAINER_SERIES.cpuUsage, service)}[${window}])))`
    : `max by (namespace) (max_over_time(${containerSeries(CONTAINER_SERIES.memoryWorkingSet, service)}[${window}]))`;
}

/** The recording rules, first level first. */
function records(service: EffectiveService): RecordingRule[] {
  const labels = { service: service.name };
  const r = RIGHT_SIZING_RECORDS;
  const requestsOrLimits = (kind: 'requests' | 'limits'): RecordingRule => ({
    record: r[kind],
    expr: `max by (namespace, resource) (${selector(CONTAINER_SERIES[kind], containerMatchers(service), matcher('resource', '=~', 'cpu|memory'))})`,
    labels,
  });
  return [
    { record: r.usage, expr: usageExpr(service, 'cpu'), labels: { ...labels, resource: 'cpu' } },
    { record: r.usage, expr: usageExpr(service, 'memory'), labels: { ...labels, resource: 'memory' } },
    { record: r.p95, expr: `quantile_over_time(${formatNumber(RIGHT_SIZING_QUANTILE)}, ${rightSizingSeries(r.usage, service)}[${RIGHT_SIZING_WINDOW}])`, labels },
    { record: r.max, expr: `max_over_time(${rightSizingSeries(r.usage, service, 'memory')}[${RIGHT_SIZING_WINDOW}])`, labels },
    requestsOrLimits('requests'),
    requestsOrLimits('limits'),
  ];
}

const ON = 'on (namespace, service, resource)';

function overProvisioned(platform: PlatformDefinition, service: EffectiveService, resource: ContainerResource): AlertingRule {
  const alert = RIGHT_SIZING_ALERTS.overProvisioned;
  const r = RIGHT_SIZING_RECORDS;
  const factor = formatNumber(service.rightSizing.factor);
  const request = service.resources.requests[resource];
  const what = resource === 'cpu' ? 'CPU' : 'memory';
  return {
    alert,
    expr:
      `${rightSizingSeries(r.requests, service, resource)}\n> ${ON}\n${factor} * ${rightSizingSeries(r.p95, service, resource)}\n` +
      `and ${ON}\n${rightSizingSeries(r.usage, service, resource)} offset ${RIGHT_SIZING_MIN_HISTORY}`,
    for: RIGHT_SIZING_FOR.overProvisioned,
    // The resource tells the two rules of the alert apart, for promtool and for silences.
    labels: { resource, ...alertLabels(service, 'low') },
    annotations: {
      summary: `${service.name}: the ${what} request is more than ${factor} times the 7-day p95 usage`,
      description:
        `The ${what} request of ${service.name} in ${service.namespace} (${request} in the definition) is more than ${factor} times the 95th percentile ` +
        `of what its busiest pod used over the last 7 days: the cluster reserves capacity the service does not use. ` +
        `The rightsize command prints the suggested resources.`,
      ...alertLinks(platform, service, alert),
    },
  };
}

function memoryNearLimit(platform: PlatformDefinition, service: EffectiveService): AlertingRule {
  const alert = RIGHT_SIZING_ALERTS.memoryNearLimit;
  const r = RIGHT_SIZING_RECORDS;
  const percent = service.rightSizing.memoryNearLimitPercent;
  return {
    alert,
    expr: `${rightSizingSeries(r.usage, service, 'memory')}\n/ ${ON}\n${rightSizingSeries(r.limits, service, 'memory')}\n> ${formatNumber(percent / 100)}`,
    for: RIGHT_SIZING_FOR.memoryNearLimit,
    labels: { resource: 'memory', ...alertLabels(service, 'medium') },
    annotations: {
      summary: `${service.name}: memory above ${percent}% of the limit`,
      description:
        `The busiest pod of ${service.name} in ${service.namespace} has held more than ${percent}% of its memory limit (${service.resources.limits.memory} in the definition) ` +
        `for ${RIGHT_SIZING_FOR.memoryNearLimit}; at the limit the kernel kills the container (OOM). Raise the limit, or find what holds the memory.`,
      ...alertLinks(platform, service, alert),
    },
  };
}

/**
 * The right-sizing group of a service, or undefined when `rightSizing.enabled` is false.
 * Evaluated every 5m: the recording rules (first level, then the 7-day percentile and maximum,
 * then requests and limits), then the alerts:
 * - `ServiceOverProvisioned` (`low`, per resource): a request above `rightSizing.factor` × the
 *   7-day p95 usage for 1h, once usage has been recorded for a day;
 * - `ServiceMemoryNearLimit` (`medium`): the busiest pod's memory above
 *   `rightSizing.memoryNearLimitPercent` of its limit for 15m.
 * @example
 * const group = rightSizingRuleGroup(platform, resolveEnvironment(platform, 'checkout', 'prod'));
 */
export function rightSizingRuleGroup(platform: PlatformDefinition, service: EffectiveService): RuleGroup | undefined {
  if (!service.rightSizing.enabled) return undefined;
  return {
    name: rightSizingRuleGroupName(service),
    interval: RIGHT_SIZING_INTERVAL,
    rules: [...records(service), overProvisioned(platform, service, 'cpu'), overProvisioned(platform, service, 'memory'), memoryNearLimit(platform, service)],
  };
}
