/**
 * The prometheus-operator ServiceMonitor of a service: Prometheus scrapes the Service's
 * `metrics` port at the path and interval of the definition.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ServiceMonitor
 */
import {
  ServiceMonitorSpec,
  ServiceMonitorSpecEndpointsRelabelings,
  ServiceMonitorSpecEndpointsRelabelingsAction,
  ServiceMonitorSpecEndpointsScheme,
} from '../imports/monitoring-servicemonitors-monitoring.coreos.com';
import { EffectiveService } from '../definition';
import { TRACK_LABEL } from '../dashboards/service-dashboard';
import { POD_TEMPLATE_HASH_RELABELING } from '../delivery/analysis-plan';
import { selectorLabels } from './labels';

/**
 * Pod labels carried into every scraped series, so a rollout's canary and stable pods can be
 * told apart: Argo Rollouts' `rollouts-pod-template-hash` (what canary analysis selects) and the
 * `track` label (what the dashboards' canary panels read). A pod without them gets neither.
 */
export const ROLLOUT_RELABELINGS: readonly ServiceMonitorSpecEndpointsRelabelings[] = Object.freeze([
  { action: ServiceMonitorSpecEndpointsRelabelingsAction.REPLACE, sourceLabels: [...POD_TEMPLATE_HASH_RELABELING.sourceLabels], targetLabel: POD_TEMPLATE_HASH_RELABELING.targetLabel },
  { action: ServiceMonitorSpecEndpointsRelabelingsAction.REPLACE, sourceLabels: [`__meta_kubernetes_pod_label_${TRACK_LABEL}`], targetLabel: TRACK_LABEL },
]);

/** The ServiceMonitor's spec: one plain-HTTP endpoint on the `metrics` port of the service's Service. */
export function serviceMonitorSpec(service: Pick<EffectiveService, 'name' | 'metrics'>): ServiceMonitorSpec {
  return {
    selector: { matchLabels: selectorLabels(service) },
    endpoints: [
      { port: 'metrics', path: service.metrics.path, interval: service.metrics.scrapeInterval, scheme: ServiceMonitorSpecEndpointsScheme.HTTP, relabelings: [...ROLLOUT_RELABELINGS] },
    ],
  };
}
