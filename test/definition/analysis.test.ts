import {
  ANALYSIS_DEFAULTS,
  BlueGreenDelivery,
  CanaryDelivery,
  DefinitionError,
  DeliveryInput,
  ServiceDefinitionInput,
  defineService,
  definePlatform,
  normalizeAnalysis,
  normalizeSmokeTraffic,
  resolveEnvironment,
  smokeSeconds,
} from '../../lib/definition';
import { availability, bad, platform, service } from '../fixtures/definitions';

const NGINX = { nginx: { stableIngress: 'checkout' } } as const;
/** 99.9% availability and 99% of requests within 0.25 s. */
const SLOS: ServiceDefinitionInput['slos'] = [availability(), { kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25 }];

function delivery(input: DeliveryInput, changes: Partial<ServiceDefinitionInput> = {}) {
  return defineService(service({ slos: SLOS, ...changes, delivery: input })).delivery;
}

function problems(input: unknown, changes: Partial<ServiceDefinitionInput> = {}): readonly string[] {
  try {
    defineService(service({ slos: SLOS, ...changes, delivery: bad<DeliveryInput>(input) }));
  } catch (error) {
    if (error instanceof DefinitionError) return error.lines;
    throw error;
  }
  throw new Error('expected a DefinitionError, but the definition was accepted');
}

const canary = (analysis: unknown) => ({ strategy: 'canary', trafficRouting: NGINX, analysis });

describe('delivery.analysis defaults', () => {
  it('fills every setting, each SLO measured at its own budget or threshold', () => {
    const expected = { interval: '1m', minRequests: 100, maxErrorRatio: { availability: 0.001 }, maxLatencySeconds: { latency: 0.25 }, compareToStable: false, earlyRollback: true };
    expect((delivery({ strategy: 'canary' }) as CanaryDelivery).analysis).toEqual(expected);
    expect((delivery({ strategy: 'blue-green' }) as BlueGreenDelivery).analysis).toEqual(expected);
    expect(ANALYSIS_DEFAULTS).toMatchObject({ interval: '1m', minRequests: 100, compareToStable: false, earlyRollback: true });
  });

  it('keeps the settings given and fills the rest; a comparison without a limit takes the strictest budget in points', () => {
    const d = delivery({ strategy: 'canary', analysis: { interval: '2m', minRequests: 50, maxErrorRatio: { availability: 0.0005 }, compareToStable: {}, earlyRollback: false } }) as CanaryDelivery;
    expect(d.analysis).toEqual({ interval: '2m', minRequests: 50, maxErrorRatio: { availability: 0.0005 }, maxLatencySeconds: { latency: 0.25 }, compareToStable: { maxIncreasePoints: 0.1 }, earlyRollback: false });
    expect(normalizeAnalysis({ compareToStable: { maxIncreasePoints: 0.05 } }, SLOS ?? []).compareToStable).toEqual({ maxIncreasePoints: 0.05 });
  });

  it('follows the SLOs of each environment', () => {
    const s = defineService(service({ slos: SLOS, delivery: { strategy: 'canary' }, environments: { dev: { slos: [availability({ objective: 99 })] } } }));
    const p = definePlatform(platform({ services: [s] }));
    const analysisIn = (env: string) => (resolveEnvironment(p, s, env).delivery as CanaryDelivery).analysis;
    expect(analysisIn('dev')).toMatchObject({ maxErrorRatio: { availability: 0.01 }, maxLatencySeconds: {} });
    expect(analysisIn('prod')).toMatchObject({ maxErrorRatio: { availability: 0.001 }, maxLatencySeconds: { latency: 0.25 } });
  });
});

describe('delivery.analysis rules', () => {
  it('refuses an error-ratio threshold looser than the SLO error budget, or not above 0', () => {
    expect(problems(canary({ maxErrorRatio: { availability: 0.002 } }))).toEqual([
      'checkout.delivery.analysis.maxErrorRatio.availability: must be above 0 and at most 0.001, the error budget of SLO availability: a looser threshold would pass a new version that breaks the SLO (got 0.002)',
    ]);
    expect(problems(canary({ maxErrorRatio: { availability: 0 } }))[0]).toMatch(/\(got 0\)$/);
  });

  it('refuses a latency threshold above the SLO threshold', () => {
    expect(problems({ strategy: 'blue-green', analysis: { maxLatencySeconds: { latency: 0.5 } } })).toEqual([
      'checkout.delivery.analysis.maxLatencySeconds.latency: must be above 0 and at most 0.25, the latency threshold of SLO latency: a looser threshold would pass a new version that breaks the SLO (got 0.5)',
    ]);
  });

  it('refuses a threshold for an SLO the service does not have, or of another kind', () => {
    expect(problems(canary({ maxErrorRatio: { latency: 0.001 } }))).toEqual(['checkout.delivery.analysis.maxErrorRatio.latency: must name an availability SLO of the service (availability) (got "latency")']);
    expect(problems(canary({ maxLatencySeconds: { p99: 0.1 } }), { slos: [availability()] })).toEqual(['checkout.delivery.analysis.maxLatencySeconds.p99: must name a latency SLO of the service (none) (got "p99")']);
  });

  it('refuses a stable comparison looser than the error budget in percentage points', () => {
    expect(problems(canary({ compareToStable: { maxIncreasePoints: 0.5 } }))).toEqual([
      "checkout.delivery.analysis.compareToStable.maxIncreasePoints: must be above 0 and at most 0.1 percentage points, the strictest availability SLO's error budget (got 0.5)",
    ]);
  });

  it('refuses a stable comparison without an availability SLO', () => {
    expect(problems(canary({ compareToStable: {} }), { slos: [{ kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25 }] })).toEqual([
      'checkout.delivery.analysis.compareToStable: needs an availability SLO: the comparison measures error ratios (got {})',
    ]);
  });

  it('refuses a stable comparison for blue/green, whose old version takes no traffic once promoted', () => {
    expect(problems({ strategy: 'blue-green', analysis: { compareToStable: {} } })).toEqual([
      'checkout.delivery.analysis.compareToStable: compares a canary with stable: once a blue/green promotion switches, the old version takes no traffic to compare with (got {})',
    ]);
    expect((delivery({ strategy: 'blue-green', analysis: { compareToStable: false } }) as BlueGreenDelivery).analysis.compareToStable).toBe(false);
  });

  it('refuses an interval that is no duration, shorter than a scrape, or longer than the default step', () => {
    expect(problems(canary({ interval: 'often' }))).toEqual(['checkout.delivery.analysis.interval: must be a Prometheus duration such as 30s, 5m, 1h or 1d (got "often")']);
    expect(problems(canary({ interval: '10s' }))).toEqual(['checkout.delivery.analysis.interval: must be at least the scrape interval (30s): measurements in between see no new samples (got "10s")']);
    expect(problems(canary({ interval: '10m' }))).toEqual(['checkout.delivery.analysis.interval: must be at most the step duration (5m, the default), so that every step is measured (got "10m")']);
    expect((delivery(canary({ interval: '20s' }) as DeliveryInput, { metrics: { scrapeInterval: '15s' } }) as CanaryDelivery).analysis.interval).toBe('20s');
  });

  it('refuses a request minimum that is not a whole positive number', () => {
    expect(problems(canary({ minRequests: 0 }))).toEqual(['checkout.delivery.analysis.minRequests: must be an integer from 1 to 1000000 (got 0)']);
    expect(problems(canary({ minRequests: 2.5 }))).toEqual(['checkout.delivery.analysis.minRequests: must be an integer from 1 to 1000000 (got 2.5)']);
  });

  it('refuses unknown settings, such as the freeze floor, which belongs to budgetFreeze', () => {
    expect(problems(canary({ budgetFloor: 0.5 }))).toEqual([
      'checkout.delivery.analysis.budgetFloor: is not a known field; known fields: interval, minRequests, maxErrorRatio, maxLatencySeconds, compareToStable, earlyRollback (got 0.5)',
    ]);
  });

  it('reports every problem at once, in each environment', () => {
    expect(problems(canary({ minRequests: -1, maxErrorRatio: { availability: 1 } }), { environments: { dev: { slos: [availability({ objective: 99 })] } } })).toHaveLength(2);
    expect(problems({ strategy: 'canary', trafficRouting: NGINX }, { environments: { prod: { delivery: bad<DeliveryInput>(canary({ maxErrorRatio: { availability: 0.01 } })) } } })).toEqual([
      'checkout.environments.prod.delivery.analysis.maxErrorRatio.availability: must be above 0 and at most 0.001, the error budget of SLO availability: a looser threshold would pass a new version that breaks the SLO (got 0.01)',
    ]);
  });
});

describe('delivery.smokeTraffic', () => {
  it('sends 600 requests at 5 per second to the readiness path on the HTTP port, else to /', () => {
    expect((delivery({ strategy: 'blue-green' }) as BlueGreenDelivery).smokeTraffic).toEqual({ path: '/', requests: 600, requestsPerSecond: 5 });
    expect((delivery({ strategy: 'blue-green' }, { health: { readiness: { path: '/ready' } } }) as BlueGreenDelivery).smokeTraffic.path).toBe('/ready');
    expect((delivery({ strategy: 'blue-green' }, { metrics: { port: 9100 }, health: { readiness: { path: '/ready', port: 9100 } } }) as BlueGreenDelivery).smokeTraffic.path).toBe('/');
    expect(ANALYSIS_DEFAULTS.smokeTraffic).toEqual({ path: '/', requests: 600, requestsPerSecond: 5 });
    expect(smokeSeconds(normalizeSmokeTraffic(undefined, undefined, 8080))).toBe(120);
  });

  it('keeps the settings given', () => {
    expect((delivery({ strategy: 'blue-green', smokeTraffic: { path: '/v1/products?limit=1', requests: 100, requestsPerSecond: 20 } }) as BlueGreenDelivery).smokeTraffic).toEqual({
      path: '/v1/products?limit=1',
      requests: 100,
      requestsPerSecond: 20,
    });
  });

  it('refuses a path that is not one', () => {
    expect(problems({ strategy: 'blue-green', smokeTraffic: { path: 'products' } })).toEqual(['checkout.delivery.smokeTraffic.path: must be an HTTP path starting with "/" and without spaces (got "products")']);
  });

  it('refuses request counts and rates out of bounds', () => {
    expect(problems({ strategy: 'blue-green', smokeTraffic: { requests: 0 } })).toEqual(['checkout.delivery.smokeTraffic.requests: must be an integer from 1 to 10000 (got 0)']);
    expect(problems({ strategy: 'blue-green', smokeTraffic: { requestsPerSecond: 500 } })).toEqual(['checkout.delivery.smokeTraffic.requestsPerSecond: must be a number from 0.1 to 100 requests per second (got 500)']);
  });

  it('refuses smoke traffic that would hold the promotion for more than 30 minutes', () => {
    expect(problems({ strategy: 'blue-green', smokeTraffic: { requests: 10000 } })).toEqual([
      'checkout.delivery.smokeTraffic.requests: sends for 2000s at 5 requests per second; at most 1800s: the promotion waits for the smoke traffic (got 10000)',
    ]);
  });

  it('is for blue/green only', () => {
    expect(problems({ strategy: 'canary', smokeTraffic: {} })[0]).toMatch(/^checkout\.delivery\.smokeTraffic: is not a known field; /);
  });
});
