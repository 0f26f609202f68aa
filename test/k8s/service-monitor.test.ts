import { ROLLOUT_RELABELINGS, serviceMonitorSpec } from '../../lib/k8s';
import { TRACK_LABEL } from '../../lib/dashboards';
import { POD_TEMPLATE_HASH_LABEL } from '../../lib/delivery/analysis-plan';
import { platformService } from '../fixtures/k8s-services';

describe('serviceMonitorSpec', () => {
  it('scrapes the metrics port at the path and interval of the definition, carrying the rollout labels', () => {
    expect(serviceMonitorSpec(platformService({ metrics: { path: '/m', scrapeInterval: '10s' } }).service)).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } },
      endpoints: [{ port: 'metrics', path: '/m', interval: '10s', scheme: 'http', relabelings: [...ROLLOUT_RELABELINGS] }],
    });
  });

  it('writes the pod labels into the series labels that canary analysis and the canary panels select', () => {
    expect(ROLLOUT_RELABELINGS.map((r) => [r.sourceLabels, r.targetLabel])).toEqual([
      [['__meta_kubernetes_pod_label_rollouts_pod_template_hash'], POD_TEMPLATE_HASH_LABEL],
      [['__meta_kubernetes_pod_label_track'], TRACK_LABEL],
    ]);
    expect(POD_TEMPLATE_HASH_LABEL).toBe('rollouts_pod_template_hash');
  });
});
