import { checkout, catalog, notifier, platform as examplePlatform } from '../../apps/platform';
import { effectiveServices, resolveEnvironment } from '../../lib/definition';

describe('the example platform', () => {
  it('resolves every service in every environment', () => {
    const resolved = effectiveServices(examplePlatform);
    expect(resolved.map((s) => `${s.environment}/${s.name}`)).toEqual([
      'dev/catalog',
      'dev/checkout',
      'dev/notifier',
      'staging/catalog',
      'staging/checkout',
      'staging/notifier',
      'prod/catalog',
      'prod/checkout',
      'prod/notifier',
    ]);
  });

  it('runs checkout on latest with one replica in dev and pinned with canary delivery in prod', () => {
    const dev = resolveEnvironment(examplePlatform, checkout, 'dev');
    const prod = resolveEnvironment(examplePlatform, checkout, 'prod');
    expect([dev.version, dev.replicas, dev.autoscaling, dev.env.LOG_LEVEL]).toEqual(['latest', 1, false, 'debug']);
    expect([prod.version, prod.replicas, prod.autoscaling, prod.env.LOG_LEVEL]).toEqual(['1.14.2', 3, { minReplicas: 3, maxReplicas: 20, cpuTargetPercent: 70 }, 'info']);
    expect(prod.delivery).toEqual({
      strategy: 'canary',
      steps: [1, 5, 10, 25, 50, 100],
      stepDuration: '10m',
      pauses: ['10m', '10m', '10m', '10m', '10m', '10m'],
      trafficRouting: { nginx: { stableIngress: 'checkout' } },
      budgetFreeze: { floor: 0 },
      rollbackWindow: 3,
      analysis: { interval: '1m', minRequests: 100, maxErrorRatio: { availability: 0.001 }, maxLatencySeconds: { latency: 0.3 }, compareToStable: false, earlyRollback: true },
    });
    expect(dev.alertRouting).toEqual({ critical: 'payments-chat', high: 'payments-chat', highOutsideBusinessHours: 'payments-chat', low: 'none', medium: 'platform-tickets' });
  });

  it('keeps the explicit catalog version and routes its alerts to the merchandising receivers', () => {
    const prod = resolveEnvironment(examplePlatform, catalog, 'prod');
    expect(prod.version).toBe('2.3.0');
    expect(prod.alertRouting).toEqual({ critical: 'merch-pager', high: 'merch-pager', highOutsideBusinessHours: 'merch-chat', low: 'none', medium: 'merch-tickets' });
  });

  it('probes the notifier worker on its metrics port', () => {
    const prod = resolveEnvironment(examplePlatform, notifier, 'prod');
    expect(prod.port).toBeUndefined();
    expect(prod.health.liveness?.port).toBe(9100);
    expect(prod.replicas).toBe(2);
  });
});
