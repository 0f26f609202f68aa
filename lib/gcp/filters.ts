/**
 * Cloud Monitoring filters for the service's Prometheus metrics as Managed Service for
 * Prometheus stores them, and the request-based SLIs built from them. Plain data in, plain
 * data out.
 * @see https://cloud.google.com/monitoring/api/v3/filters
 * @see https://cloud.google.com/stackdriver/docs/managed-prometheus/query-cm
 */
import { AvailabilitySlo, DefinitionError, EffectiveService, LatencySlo } from '../definition';
import { LabelMatcher, parseMatchers } from '../promql/build';
import { parseDuration } from '../promql/duration';

/**
 * Labels that Managed Service for Prometheus stores on the `prometheus_target` monitored
 * resource; every other Prometheus label is a metric label.
 * @see https://cloud.google.com/stackdriver/docs/managed-prometheus/query-cm#filters
 */
export const PROMETHEUS_TARGET_LABELS: readonly string[] = Object.freeze(['cluster', 'instance', 'job', 'location', 'namespace', 'project_id']);

/**
 * A string literal of the monitoring and logging filter languages: double quotes, backslash
 * escapes. Filters are exact text; constructs keep them literal for Terraform when they write them.
 */
export function filterString(value: string): string {
  return JSON.stringify(value);
}

/**
 * Translates one PromQL label matcher into a Cloud Monitoring filter term for a metric of
 * Managed Service for Prometheus. Regular expressions stay RE2 and fully anchored, as in PromQL.
 * @see https://cloud.google.com/monitoring/api/v3/filters
 */
export function matcherFilter(matcher: LabelMatcher): string {
  const field = PROMETHEUS_TARGET_LABELS.includes(matcher.name) ? `resource.labels.${matcher.name}` : `metric.labels.${matcher.name}`;
  switch (matcher.op) {
    case '=':
      return `${field}=${filterString(matcher.value)}`;
    case '!=':
      return `${field}!=${filterString(matcher.value)}`;
    case '=~':
      return `${field}=monitoring.regex.full_match(${filterString(matcher.value)})`;
    case '!~':
      return `NOT ${field}=monitoring.regex.full_match(${filterString(matcher.value)})`;
  }
}

/**
 * The Cloud Monitoring filter selecting a Prometheus metric of one service, as Managed Service
 * for Prometheus stores it: metric type `prometheus.googleapis.com/<name>/<kind>` on the
 * `prometheus_target` resource, scoped to the service's namespace and scrape job (the job is
 * the Kubernetes Service name, which is the service name).
 * @param kind `counter` for the request counter, `histogram` for the duration histogram
 * @param selectors PromQL label matchers to add, each a comma-separated list such as `code=~"5.."`
 * @throws DefinitionError when a selector is not a list of label matchers (the definition refuses those)
 * @see https://cloud.google.com/stackdriver/docs/managed-prometheus/query-cm
 */
export function prometheusMetricFilter(
  service: Pick<EffectiveService, 'name' | 'namespace'>,
  metric: string,
  kind: 'counter' | 'histogram',
  selectors: readonly string[] = [],
): string {
  const terms = [
    `metric.type=${filterString(`prometheus.googleapis.com/${metric}/${kind}`)}`,
    'resource.type="prometheus_target"',
    `resource.labels.namespace=${filterString(service.namespace)}`,
    `resource.labels.job=${filterString(service.name)}`,
  ];
  selectors.forEach((selector, i) => {
    const matchers = parseMatchers(selector);
    if (matchers === undefined) {
      throw new DefinitionError(`Cloud Monitoring filter of ${service.name}`, [
        { path: `${service.name}.selectors[${i}]`, problem: 'must be a comma-separated list of PromQL label matchers such as code=~"5.."', value: selector },
      ]);
    }
    terms.push(...matchers.map(matcherFilter));
  });
  return terms.join(' AND ');
}

/** A request-based SLI as plain data, in the shape of the provider's `request_based_sli`. */
export type RequestBasedSli =
  | { readonly goodTotalRatio: { readonly badServiceFilter: string; readonly totalServiceFilter: string } }
  | { readonly distributionCut: { readonly distributionFilter: string; readonly range: { readonly max: number } } };

/**
 * The request-based SLI of an availability or latency SLO: a `good_total_ratio` of bad over
 * total requests on the request counter, or a `distribution_cut` of the duration histogram
 * with the threshold as the upper bound of the good range.
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/monitoring_slo#request_based_sli
 */
export function requestBasedSli(service: Pick<EffectiveService, 'name' | 'namespace' | 'metrics'>, slo: AvailabilitySlo | LatencySlo): RequestBasedSli {
  if (slo.kind === 'availability') {
    const metric = service.metrics.requestsMetric;
    return {
      goodTotalRatio: {
        badServiceFilter: prometheusMetricFilter(service, metric, 'counter', [slo.totalSelector, slo.badSelector]),
        totalServiceFilter: prometheusMetricFilter(service, metric, 'counter', [slo.totalSelector]),
      },
    };
  }
  return {
    distributionCut: {
      distributionFilter: prometheusMetricFilter(service, service.metrics.latencyMetric, 'histogram', [slo.selector]),
      range: { max: slo.thresholdSeconds },
    },
  };
}

/**
 * A window as the lookback argument of `select_slo_burn_rate`, in seconds (the selector knows
 * no day unit): `1h` → `3600s`, `1d` → `86400s`.
 * @throws DefinitionError when the window is not a Prometheus duration (the definition refuses those)
 * @see https://cloud.google.com/stackdriver/docs/solutions/slo-monitoring/api/timeseries-selectors
 */
export function lookback(window: string): string {
  const seconds = parseDuration(window);
  if (seconds === undefined) {
    throw new DefinitionError('burn-rate lookback', [{ path: 'window', problem: 'must be a Prometheus duration such as 5m, 1h or 3d', value: window }]);
  }
  return `${seconds}s`;
}
