import { DISRUPTION_BUDGET_DEFAULTS, disruptionBudgetSpec } from '../../lib/k8s';

describe('disruptionBudgetSpec', () => {
  const labels = { 'app.kubernetes.io/name': 'orders' };

  it('lets one pod go at a time by default and never blocks on unhealthy pods', () => {
    const spec = disruptionBudgetSpec(labels);
    expect([spec.maxUnavailable?.value, spec.selector, spec.unhealthyPodEvictionPolicy]).toEqual([1, { matchLabels: labels }, 'AlwaysAllow']);
    expect(DISRUPTION_BUDGET_DEFAULTS).toEqual({ maxUnavailable: 1 });
  });

  it('takes maxUnavailable from the options', () => {
    expect(disruptionBudgetSpec(labels, { maxUnavailable: 3 }).maxUnavailable?.value).toBe(3);
  });
});
