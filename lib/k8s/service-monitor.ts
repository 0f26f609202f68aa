/**
 * The prometheus-operator ServiceMonitor of a service: Prometheus scrapes the Service's
 * `metrics` port at the path and interval of the definition.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ServiceMonitor
 */
import { ServiceMonitorSpec, ServiceMonitorSpecEndpointsScheme } from '../imports/monitoring-servicemonitors-monitoring.coreos.com';
import { EffectiveService } from '../definition';
import { selectorLabels } from './labels';

/** The ServiceMonitor's spec: one plain-HTTP endpoint on the `metrics` port of the service's Service. */
export function serviceMonitorSpec(service: Pick<EffectiveService, 'name' | 'metrics'>): ServiceMonitorSpec {
  return {
    selector: { matchLabels: selectorLabels(service) },
    endpoints: [{ port: 'metrics', path: service.metrics.path, interval: service.metrics.scrapeInterval, scheme: ServiceMonitorSpecEndpointsScheme.HTTP }],
  };
}
