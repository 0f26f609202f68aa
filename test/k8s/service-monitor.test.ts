import { serviceMonitorSpec } from '../../lib/k8s';
import { platformService } from '../fixtures/k8s-services';

describe('serviceMonitorSpec', () => {
  it('scrapes the metrics port at the path and interval of the definition', () => {
    expect(serviceMonitorSpec(platformService({ metrics: { path: '/m', scrapeInterval: '10s' } }).service)).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } },
      endpoints: [{ port: 'metrics', path: '/m', interval: '10s', scheme: 'http' }],
    });
  });
});
