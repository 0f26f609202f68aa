import { resolveEnvironment } from '../../lib/definition';
import { serviceOutputs } from '../../lib/k8s/service-outputs';
import { serviceRunbooks } from '../../lib/runbooks';
import { platform } from '../../apps/platform';

describe('the runbook of an alert', () => {
  it('matches the reviewed page of ServiceErrorRateHigh of checkout in prod', () => {
    const checkout = resolveEnvironment(platform, 'checkout', 'prod');
    const page = serviceRunbooks(platform, checkout, serviceOutputs(platform, checkout)).files.find((f) => f.path === 'prod/services/checkout/alerts/service-error-rate-high.md');
    expect(page?.content).toMatchSnapshot();
  });
});
