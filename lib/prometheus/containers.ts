/**
 * The series of a service's containers, as cAdvisor (the kubelet) and kube-state-metrics label
 * them: `namespace`, `pod`, `container`. The one place their selectors are built, for the
 * symptom alerts, the right-sizing rules and the dashboards' USE panels alike.
 * @see https://github.com/google/cadvisor/blob/master/docs/storage/prometheus.md
 * @see https://github.com/kubernetes/kube-state-metrics/blob/main/docs/metrics/workload/pod-metrics.md
 */
import { EffectiveService } from '../definition';
import { matcher, selector } from '../promql/build';

/** The container series read about a service's resources. */
export const CONTAINER_SERIES = Object.freeze({
  /** cAdvisor: CPU time used, in core-seconds (a counter). */
  cpuUsage: 'container_cpu_usage_seconds_total',
  /** cAdvisor: memory the container holds and the OOM killer weighs, in bytes. */
  memoryWorkingSet: 'container_memory_working_set_bytes',
  /** kube-state-metrics: the container's requests by `resource` (`cpu` in cores, `memory` in bytes). */
  requests: 'kube_pod_container_resource_requests',
  /** kube-state-metrics: the container's limits by `resource`. */
  limits: 'kube_pod_container_resource_limits',
});

/** The resources requests and limits are read for. */
export type ContainerResource = 'cpu' | 'memory';

/**
 * Matchers of a service's containers: its namespace, and the container the workload names after
 * the service. The namespace may be a dashboard variable (`$namespace`).
 * @example
 * containerMatchers({ name: 'checkout', namespace: 'payments' }); // 'namespace="payments", container="checkout"'
 */
export function containerMatchers(service: Pick<EffectiveService, 'name' | 'namespace'>): string {
  return `${matcher('namespace', '=', service.namespace)}, ${matcher('container', '=', service.name)}`;
}

/** A container series of the service: `metric{namespace="…", container="…"}`. */
export function containerSeries(metric: string, service: Pick<EffectiveService, 'name' | 'namespace'>): string {
  return selector(metric, containerMatchers(service));
}

/** The service's container requests or limits of one resource, from kube-state-metrics. */
export function containerResourceSeries(kind: 'requests' | 'limits', service: Pick<EffectiveService, 'name' | 'namespace'>, resource: ContainerResource): string {
  return selector(CONTAINER_SERIES[kind], containerMatchers(service), matcher('resource', '=', resource));
}
