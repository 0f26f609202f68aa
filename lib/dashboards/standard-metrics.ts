/**
 * The one list of raw series dashboards may read without the definition declaring them: what
 * every Kubernetes cluster with kube-state-metrics and the kubelet's cAdvisor exposes, and what
 * Prometheus itself writes. A panel reading any other raw metric fails synthesis.
 * @see https://github.com/kubernetes/kube-state-metrics/tree/main/docs/metrics
 * @see https://github.com/google/cadvisor/blob/master/docs/storage/prometheus.md
 */

/** Where a standard series comes from. */
export type MetricSource = 'kube-state-metrics' | 'cadvisor' | 'prometheus';

/** The standard series by name, with their source; sorted by name. */
export const STANDARD_METRICS: Readonly<Record<string, MetricSource>> = Object.freeze({
  ALERTS: 'prometheus',
  container_cpu_cfs_periods_total: 'cadvisor',
  container_cpu_cfs_throttled_periods_total: 'cadvisor',
  container_cpu_usage_seconds_total: 'cadvisor',
  container_memory_working_set_bytes: 'cadvisor',
  container_oom_events_total: 'cadvisor',
  kube_deployment_spec_replicas: 'kube-state-metrics',
  kube_deployment_status_replicas_available: 'kube-state-metrics',
  kube_horizontalpodautoscaler_spec_max_replicas: 'kube-state-metrics',
  kube_horizontalpodautoscaler_status_current_replicas: 'kube-state-metrics',
  kube_horizontalpodautoscaler_status_desired_replicas: 'kube-state-metrics',
  kube_pod_container_info: 'kube-state-metrics',
  kube_pod_container_resource_limits: 'kube-state-metrics',
  kube_pod_container_resource_requests: 'kube-state-metrics',
  kube_pod_container_status_restarts_total: 'kube-state-metrics',
  up: 'prometheus',
});

/** Whether a raw metric is one of the standard series. */
export function isStandardMetric(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(STANDARD_METRICS, name);
}
