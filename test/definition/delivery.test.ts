import { CanaryDelivery, DELIVERY_DEFAULTS, DefinitionError, DeliveryInput, ServiceDefinitionInput, autoPromotes, canarySteps, defineService, smallestHonouredWeight } from '../../lib/definition';
import { availability, bad, service } from '../fixtures/definitions';

const NGINX = { nginx: { stableIngress: 'checkout' } } as const;

/** The delivery of a valid service (critical tier: 3 replicas by default, an availability SLO). */
function delivery(input: DeliveryInput, changes: Partial<ServiceDefinitionInput> = {}) {
  return defineService(service({ slos: [availability()], ...changes, delivery: input })).delivery;
}

/** The issue lines of a definition that must be refused. */
function problems(input: unknown, changes: Partial<ServiceDefinitionInput> = {}): readonly string[] {
  try {
    defineService(service({ slos: [availability()], ...changes, delivery: bad<DeliveryInput>(input) }));
  } catch (error) {
    if (error instanceof DefinitionError) return error.lines;
    throw error;
  }
  throw new Error('expected a DefinitionError, but the definition was accepted');
}

describe('canary steps', () => {
  it('keeps the default steps behind a traffic router', () => {
    expect((delivery({ strategy: 'canary', trafficRouting: NGINX }) as CanaryDelivery).steps).toEqual([1, 5, 10, 25, 50, 100]);
  });

  it('keeps, without a router, the default steps one canary pod next to the replicas can honour', () => {
    expect((delivery({ strategy: 'canary' }) as CanaryDelivery).steps).toEqual([25, 50, 100]);
    expect((delivery({ strategy: 'canary' }, { replicas: 10 }) as CanaryDelivery).steps).toEqual([10, 25, 50, 100]);
    expect((delivery({ strategy: 'canary' }, { replicas: 1, autoscaling: false }) as CanaryDelivery).steps).toEqual([50, 100]);
    expect((delivery({ strategy: 'canary' }, { replicas: 99 }) as CanaryDelivery).steps).toEqual([1, 5, 10, 25, 50, 100]);
  });

  it('counts the replicas from the autoscaler minimum when there is one', () => {
    expect((delivery({ strategy: 'canary' }, { replicas: 3, autoscaling: { minReplicas: 20, maxReplicas: 30 } }) as CanaryDelivery).steps).toEqual([5, 10, 25, 50, 100]);
  });

  it('computes the smallest weight a replica count honours as one pod next to them', () => {
    expect([1, 3, 4, 9, 19, 99].map(smallestHonouredWeight)).toEqual([50, 25, 20, 10, 5, 1]);
    expect(canarySteps({ strategy: 'canary', steps: [30, 100] }, 1)).toEqual([30, 100]);
  });

  it('gives every step the step duration unless the step has its own pause', () => {
    const d = delivery({ strategy: 'canary', trafficRouting: NGINX, steps: [10, { weight: 50, pause: '15m' }, 100], stepDuration: '3m' }) as CanaryDelivery;
    expect(d.steps).toEqual([10, 50, 100]);
    expect(d.pauses).toEqual(['3m', '15m', '3m']);
  });

  it('refuses steps that do not grow', () => {
    expect(problems({ strategy: 'canary', trafficRouting: NGINX, steps: [10, 10, 100] })).toEqual([
      'checkout.delivery.steps[1]: must be greater than the step before it (10): traffic to the canary only grows (got 10)',
    ]);
  });

  it('refuses weights that are not whole percentages from 1 to 100', () => {
    expect(problems({ strategy: 'canary', trafficRouting: NGINX, steps: [0, { weight: 2.5 }, 101] })).toEqual([
      'checkout.delivery.steps: must end at 100, the step that sends all traffic to the new version (got [0,2.5,101])',
      'checkout.delivery.steps[0]: must be a whole percentage from 1 to 100 (got 0)',
      'checkout.delivery.steps[1].weight: must be a whole percentage from 1 to 100 (got 2.5)',
      'checkout.delivery.steps[2]: must be a whole percentage from 1 to 100 (got 101)',
    ]);
  });

  it('refuses steps that do not end at 100, and no steps at all', () => {
    expect(problems({ strategy: 'canary', trafficRouting: NGINX, steps: [10, 50] })).toEqual([
      'checkout.delivery.steps: must end at 100, the step that sends all traffic to the new version (got [10,50])',
    ]);
    expect(problems({ strategy: 'canary', steps: [] })).toEqual(['checkout.delivery.steps: must end at 100, the step that sends all traffic to the new version (got [])']);
  });

  it('refuses a step that is neither a weight nor { weight, pause }', () => {
    expect(problems({ strategy: 'canary', steps: ['10%', 100] })).toEqual(['checkout.delivery.steps[0]: must be a traffic percentage or { weight, pause? } (got "10%")']);
  });
});

describe('pauses', () => {
  it('pauses 5m after each step by default', () => {
    expect((delivery({ strategy: 'canary' }) as CanaryDelivery).pauses).toEqual(['5m', '5m', '5m']);
    expect(DELIVERY_DEFAULTS.analysisInterval).toBe('1m');
  });

  it('accepts a pause of exactly the analysis interval', () => {
    expect((delivery({ strategy: 'canary', stepDuration: '1m' }) as CanaryDelivery).pauses).toEqual(['1m', '1m', '1m']);
  });

  it('refuses a step duration shorter than the analysis interval', () => {
    expect(problems({ strategy: 'canary', stepDuration: '30s' })).toEqual([
      'checkout.delivery.stepDuration: must be at least the analysis interval, 1m: a shorter pause would move on before one measurement (got "30s")',
    ]);
  });

  it('refuses a per-step pause shorter than the analysis interval, or not a duration', () => {
    expect(problems({ strategy: 'canary', steps: [{ weight: 50, pause: '59s' }, { weight: 100, pause: 'soon' }] })).toEqual([
      'checkout.delivery.steps[0].pause: must be at least the analysis interval, 1m: a shorter pause would move on before one measurement (got "59s")',
      'checkout.delivery.steps[1].pause: must be a Prometheus duration such as 30s, 5m, 1h or 1d (got "soon")',
    ]);
  });
});

describe('analysis settings', () => {
  it('measures the pauses against the interval given (the other analysis rules: analysis.test.ts)', () => {
    expect(problems({ strategy: 'canary', stepDuration: '4m', analysis: { interval: '5m' } })).toEqual([
      'checkout.delivery.stepDuration: must be at least the analysis interval, 5m: a shorter pause would move on before one measurement (got "4m")',
    ]);
  });
});

describe('replicas without a traffic router', () => {
  it('refuses a smallest step the replicas cannot honour, naming what Argo Rollouts would really do', () => {
    expect(problems({ strategy: 'canary', steps: [1, 50, 100] })).toEqual([
      'checkout.delivery.steps[0]: needs at least 99 replicas without a traffic router, not replicas (3 for the critical tier): Argo Rollouts gives the canary at least one pod next to 3 stable pods, 25% of the traffic, not 1%; set delivery.trafficRouting (nginx, gatewayApi or istio), raise the replicas, or start at 25 (got 1)',
    ]);
  });

  it('counts the autoscaler minimum, which is what the Rollout may run', () => {
    expect(problems({ strategy: 'canary', steps: [{ weight: 10 }, 100] }, { replicas: 20, autoscaling: { minReplicas: 4, maxReplicas: 20 } })).toEqual([
      'checkout.delivery.steps[0].weight: needs at least 9 replicas without a traffic router, not autoscaling.minReplicas (4): Argo Rollouts gives the canary at least one pod next to 4 stable pods, 20% of the traffic, not 10%; set delivery.trafficRouting (nginx, gatewayApi or istio), raise the replicas, or start at 20 (got 10)',
    ]);
  });

  it('checks each environment with its own replicas', () => {
    expect(problems({ strategy: 'canary', steps: [25, 100] }, { environments: { dev: { replicas: 1, autoscaling: false } } })).toEqual([
      'checkout.environments.dev.delivery.steps[0]: needs at least 3 replicas without a traffic router, not replicas (1): Argo Rollouts gives the canary at least one pod next to 1 stable pod, 50% of the traffic, not 25%; set delivery.trafficRouting (nginx, gatewayApi or istio), raise the replicas, or start at 50 (got 25)',
    ]);
  });

  it('accepts any steps behind a traffic router, and the smallest honoured weight without one', () => {
    expect((delivery({ strategy: 'canary', steps: [1, 100], trafficRouting: { istio: { virtualService: 'checkout' } } }) as CanaryDelivery).steps).toEqual([1, 100]);
    expect((delivery({ strategy: 'canary', steps: [25, 100] }) as CanaryDelivery).steps).toEqual([25, 100]);
  });
});

describe('traffic routing', () => {
  it.each([
    ['nginx', { nginx: { stableIngress: 'checkout' } }],
    ['gatewayApi', { gatewayApi: { httpRoute: 'checkout-route' } }],
    ['istio', { istio: { virtualService: 'checkout.vs' } }],
  ])('keeps the %s router as given', (_name, trafficRouting) => {
    expect((delivery({ strategy: 'canary', trafficRouting: trafficRouting as never }) as CanaryDelivery).trafficRouting).toEqual(trafficRouting);
  });

  it('has no router by default', () => {
    expect(delivery({ strategy: 'canary' })).not.toHaveProperty('trafficRouting');
  });

  it('refuses two routers, an unknown one, and a name that is not a DNS subdomain', () => {
    const shape = 'must be one of { nginx: { stableIngress } }, { gatewayApi: { httpRoute } } or { istio: { virtualService } }';
    expect(problems({ strategy: 'canary', trafficRouting: { nginx: { stableIngress: 'a' }, istio: { virtualService: 'b' } } })).toEqual([
      `checkout.delivery.trafficRouting: ${shape} (got {"nginx":{"stableIngress":"a"},"istio":{"virtualService":"b"}})`,
    ]);
    expect(problems({ strategy: 'canary', trafficRouting: { traefik: {} } })).toEqual([`checkout.delivery.trafficRouting: ${shape} (got {"traefik":{}})`]);
    expect(problems({ strategy: 'canary', trafficRouting: { gatewayApi: { httpRoute: 'Checkout_Route' } } })).toEqual([
      'checkout.delivery.trafficRouting.gatewayApi.httpRoute: must be a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", at most 253 characters (got "Checkout_Route")',
    ]);
  });

  it('is not offered for blue/green, which switches Services', () => {
    expect(problems({ strategy: 'blue-green', trafficRouting: NGINX })[0]).toMatch(/^checkout\.delivery\.trafficRouting: /);
  });
});

describe('emergency patches', () => {
  it('shortens the canary to 10, 50, 100 with 2m pauses behind a router, and keeps the reason', () => {
    const d = delivery({ strategy: 'canary', trafficRouting: NGINX, emergency: { reason: 'CVE-2026-1234 in the TLS library' } }) as CanaryDelivery;
    expect(d.steps).toEqual([10, 50, 100]);
    expect(d.pauses).toEqual(['2m', '2m', '2m']);
    expect(d.emergency).toEqual({ reason: 'CVE-2026-1234 in the TLS library' });
  });

  it('is no emergency by default', () => {
    expect(delivery({ strategy: 'canary' })).not.toHaveProperty('emergency');
  });

  it('refuses an emergency patch without a reason', () => {
    const line = 'checkout.delivery.emergency.reason: must say why this release skips the normal canary: an emergency patch needs a reason; it is recorded on the Rollout';
    expect(problems({ strategy: 'canary', emergency: { reason: '  ' } })).toEqual([`${line} (got "  ")`]);
    expect(problems({ strategy: 'canary', emergency: {} })).toEqual(['checkout.delivery.emergency.reason: must be a string (got undefined)']);
  });

  it('refuses a reason longer than 500 characters', () => {
    expect(problems({ strategy: 'canary', emergency: { reason: 'x'.repeat(501) } })[0]).toMatch(/^checkout\.delivery\.emergency\.reason: must be at most 500 characters long \(has 501\)/);
  });
});

describe('the error-budget freeze', () => {
  it('freezes at an exhausted budget (floor 0) without override by default, for canary and blue/green', () => {
    expect((delivery({ strategy: 'canary' }) as CanaryDelivery).budgetFreeze).toEqual({ floor: 0 });
    expect(delivery({ strategy: 'blue-green' })).toMatchObject({ budgetFreeze: { floor: 0 } });
  });

  it('keeps a floor and an override reason', () => {
    expect(delivery({ strategy: 'blue-green', budgetFreeze: { floor: 10, override: { reason: 'fixes the outage that spent the budget' } } })).toMatchObject({
      budgetFreeze: { floor: 10, override: { reason: 'fixes the outage that spent the budget' } },
    });
  });

  it('refuses an override without a reason and a floor outside 0 to 100', () => {
    expect(problems({ strategy: 'canary', budgetFreeze: { floor: 100, override: { reason: '' } } })).toEqual([
      'checkout.delivery.budgetFreeze.floor: must be a percentage of the error budget, at least 0 and below 100 (got 100)',
      'checkout.delivery.budgetFreeze.override.reason: must say why a release may start on a spent error budget; it is recorded on the Rollout (got "")',
    ]);
    expect(problems({ strategy: 'blue-green', budgetFreeze: { floor: -1 } })).toEqual([
      'checkout.delivery.budgetFreeze.floor: must be a percentage of the error budget, at least 0 and below 100 (got -1)',
    ]);
  });
});

describe('blue/green and the rollback window', () => {
  it('promotes by itself outside production only, unless the definition says', () => {
    const d = delivery({ strategy: 'blue-green' });
    if (d.strategy !== 'blue-green') throw new Error('blue-green expected');
    expect([autoPromotes(d, true), autoPromotes(d, false)]).toEqual([false, true]);
    const manual = delivery({ strategy: 'blue-green', autoPromote: false });
    if (manual.strategy !== 'blue-green') throw new Error('blue-green expected');
    expect(autoPromotes(manual, false)).toBe(false);
  });

  it('keeps three revisions in the rollback window by default, and the one given', () => {
    expect(delivery({ strategy: 'canary' })).toMatchObject({ rollbackWindow: 3 });
    expect(delivery({ strategy: 'blue-green', rollbackWindow: 0 })).toMatchObject({ rollbackWindow: 0 });
  });

  it('refuses a rollback window that is not a count from 0 to 100', () => {
    expect(problems({ strategy: 'canary', rollbackWindow: 101 })).toEqual(['checkout.delivery.rollbackWindow: must be an integer from 0 to 100 (got 101)']);
  });
});

describe('the SLOs a progressive delivery is measured against', () => {
  const latency = { kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.5 } as const;
  const custom = { kind: 'custom', name: 'jobs', objective: 99, goodQuery: 'sum(rate(ok_total[{{window}}]))', totalQuery: 'sum(rate(all_total[{{window}}]))' } as const;

  it('refuses a canary or blue/green service without an availability or latency SLO', () => {
    expect(problems({ strategy: 'canary' }, { slos: [] })).toEqual([
      'checkout.delivery.strategy: needs an availability or latency SLO in slos: the canary analysis measures the new version against them (got "canary")',
    ]);
    expect(problems({ strategy: 'blue-green' }, { slos: [custom] })).toEqual([
      'checkout.delivery.strategy: needs an availability or latency SLO in slos: the blue-green analysis measures the new version against them (got "blue-green")',
    ]);
  });

  it('refuses an environment whose overrides leave a canary without such an SLO', () => {
    expect(problems({ strategy: 'rolling' }, { slos: [], environments: { prod: { delivery: { strategy: 'canary' } } } })).toEqual([
      'checkout.environments.prod.delivery.strategy: needs an availability or latency SLO in slos: the canary analysis measures the new version against them (got "canary")',
    ]);
    expect(problems({ strategy: 'blue-green' }, { environments: { dev: { slos: [] } } })).toEqual([
      'checkout.environments.dev.delivery.strategy: needs an availability or latency SLO in slos: the blue-green analysis measures the new version against them (got "blue-green")',
    ]);
  });

  it('leaves badly shaped slos to their own problem', () => {
    expect(problems({ strategy: 'canary' }, { slos: bad('availability') })).toEqual(['checkout.slos: must be a list (got "availability")']);
  });

  it('accepts a latency SLO, and a rolling service without any SLO', () => {
    expect(delivery({ strategy: 'canary' }, { slos: [latency] })).toMatchObject({ strategy: 'canary' });
    expect(delivery({ strategy: 'rolling' }, { slos: [] })).toMatchObject({ strategy: 'rolling' });
  });
});

describe('rolling', () => {
  it('stays as it was', () => {
    expect(delivery({ strategy: 'rolling', maxSurge: '1' })).toEqual({ strategy: 'rolling', maxSurge: '1', maxUnavailable: '0' });
  });
});
