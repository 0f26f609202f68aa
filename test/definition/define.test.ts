import { DEFAULT_BURN_RATE_TIERS } from '../../lib/slo';
import {
  DefinitionError,
  PlatformDefinitionInput,
  ServiceDefinitionInput,
  defineService,
  definePlatform,
  effectiveServices,
  resolveEnvironment,
} from '../../lib/definition';
import { availability } from '../fixtures/definitions';

const IMAGE = 'registry.example.com/payments/checkout:1.4.2';

function service(changes: Partial<ServiceDefinitionInput> = {}): ServiceDefinitionInput {
  return { name: 'checkout', team: 'payments', tier: 'critical', image: IMAGE, port: 8080, ...changes };
}

function platform(changes: Partial<PlatformDefinitionInput> = {}): PlatformDefinitionInput {
  return {
    name: 'shop',
    environments: ['dev', 'staging', { name: 'prod', otlpEndpoint: 'http://otel-collector.observability:4317' }],
    runbookBaseUrl: 'https://runbooks.example.com/shop/',
    dashboardBaseUrl: 'https://grafana.example.com',
    prometheusUrl: 'http://prometheus-operated.monitoring:9090',
    receivers: {
      pager: { type: 'pagerduty', routingKeySecret: { name: 'pagerduty', key: 'routing-key' } },
      chat: { type: 'slack', channel: '#alerts', apiUrlSecret: { name: 'slack', key: 'webhook' } },
      tickets: { type: 'webhook', url: 'https://tickets.example.com/hook' },
    },
    defaultAlertRouting: { critical: 'pager', high: 'pager', medium: 'tickets', low: 'none' },
    services: [],
    ...changes,
  };
}

describe('defineService defaults', () => {
  const minimal = defineService(service());

  it('gives a critical service 3 replicas', () => {
    expect(minimal.replicas).toBe(3);
  });

  it.each(['high', 'medium', 'low'] as const)('gives a %s tier service 2 replicas', (tier) => {
    expect(defineService(service({ tier })).replicas).toBe(2);
  });

  it('fills description, contacts, component and namespace', () => {
    expect(minimal.description).toBe('');
    expect(minimal.contacts).toEqual({ owners: [], escalation: [] });
    expect(minimal.component).toBe('server');
    expect(minimal.namespace).toBe('payments');
  });

  it('takes the version from the image tag', () => {
    expect(minimal.version).toBe('1.4.2');
  });

  it('takes the version from the first 12 hex digits of the digest', () => {
    const digest = `sha256:${'0123456789ab'.repeat(5)}cdef`;
    expect(defineService(service({ image: `registry.example.com/payments/checkout@${digest}` })).version).toBe('0123456789ab');
  });

  it('prefers the tag over the digest for the version', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(defineService(service({ image: `app:2.0.1@${digest}` })).version).toBe('2.0.1');
  });

  it('keeps an explicit version', () => {
    expect(defineService(service({ version: '1.4.2-hotfix' })).version).toBe('1.4.2-hotfix');
  });

  it('fills the resource requests and limits', () => {
    expect(minimal.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
  });

  it('fills only the resource quantities that are left out', () => {
    const partial = defineService(service({ resources: { requests: { cpu: '250m' }, limits: { memory: '512Mi' } } }));
    expect(partial.resources).toEqual({ requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
  });

  it('fills the metrics settings', () => {
    expect(minimal.metrics).toEqual({
      port: 9090,
      path: '/metrics',
      scrapeInterval: '30s',
      requestsMetric: 'http_requests_total',
      latencyMetric: 'http_request_duration_seconds',
      latencyBuckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  });

  it('gives no probes by default', () => {
    expect(minimal.health).toEqual({});
  });

  it('fills probe settings, with a patient startup probe, on the service port', () => {
    const probed = defineService(service({ health: { liveness: { path: '/healthz' }, readiness: { path: '/ready', port: 8081 }, startup: { path: '/healthz' } } }));
    expect(probed.health).toEqual({
      liveness: { path: '/healthz', port: 8080, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 },
      readiness: { path: '/ready', port: 8081, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 },
      startup: { path: '/healthz', port: 8080, initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 30 },
    });
  });

  it('autoscales from the replicas to at least 3 at 70% CPU', () => {
    expect(minimal.autoscaling).toEqual({ minReplicas: 3, maxReplicas: 6, cpuTargetPercent: 70 });
    expect(defineService(service({ tier: 'low', replicas: 1 })).autoscaling).toEqual({ minReplicas: 1, maxReplicas: 3, cpuTargetPercent: 70 });
  });

  it('derives maxReplicas from a given minReplicas', () => {
    expect(defineService(service({ autoscaling: { minReplicas: 4 } })).autoscaling).toEqual({ minReplicas: 4, maxReplicas: 8, cpuTargetPercent: 70 });
  });

  it('turns autoscaling off with false', () => {
    expect(defineService(service({ autoscaling: false })).autoscaling).toBe(false);
  });

  it('fills empty env, secretEnv, SLOs and routing, and no GCP settings', () => {
    expect(minimal.env).toEqual({});
    expect(minimal.secretEnv).toEqual({});
    expect(minimal.slos).toEqual([]);
    expect(minimal.alertRouting).toEqual({});
    expect(minimal.gcp).toBeUndefined();
    expect(minimal.port).toBe(8080);
    expect(minimal.overriddenEnvironments).toEqual([]);
  });

  it('sorts env and secretEnv by name', () => {
    const sorted = defineService(service({ env: { ZONE: 'a', APP_MODE: 'b' }, secretEnv: { SMTP_PASSWORD: { name: 's', key: 'k' }, DB_PASSWORD: { name: 'd', key: 'k' } } }));
    expect(Object.keys(sorted.env)).toEqual(['APP_MODE', 'ZONE']);
    expect(Object.keys(sorted.secretEnv)).toEqual(['DB_PASSWORD', 'SMTP_PASSWORD']);
  });

  it('delivers with a rolling update by default', () => {
    expect(minimal.delivery).toEqual({ strategy: 'rolling', maxSurge: '25%', maxUnavailable: '0' });
  });

  it('fills canary steps 1, 5, 10, 25, 50, 100 behind a traffic router and a 5m pause', () => {
    const trafficRouting = { nginx: { stableIngress: 'checkout' } };
    expect(defineService(service({ slos: [availability()], delivery: { strategy: 'canary', trafficRouting } })).delivery).toEqual({
      strategy: 'canary',
      steps: [1, 5, 10, 25, 50, 100],
      stepDuration: '5m',
      pauses: ['5m', '5m', '5m', '5m', '5m', '5m'],
      trafficRouting,
      budgetFreeze: { floor: 0 },
      rollbackWindow: 3,
      analysis: { interval: '1m', minRequests: 100, maxErrorRatio: { availability: 0.001 }, maxLatencySeconds: {}, compareToStable: false, earlyRollback: true },
    });
  });

  it('fills the blue/green scale-down delay and leaves promotion to the environment', () => {
    expect(defineService(service({ slos: [availability()], delivery: { strategy: 'blue-green' } })).delivery).toEqual({
      strategy: 'blue-green',
      scaleDownDelaySeconds: 300,
      budgetFreeze: { floor: 0 },
      rollbackWindow: 3,
      analysis: { interval: '1m', minRequests: 100, maxErrorRatio: { availability: 0.001 }, maxLatencySeconds: {}, compareToStable: false, earlyRollback: true },
      smokeTraffic: { path: '/', requests: 600, requestsPerSecond: 5 },
    });
  });

  it('fills an SLO with a 30d period, the default burn-rate tiers and selectors', () => {
    const withSlos = defineService(
      service({
        slos: [
          { kind: 'availability', name: 'availability', objective: 99.9 },
          { kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25 },
        ],
      }),
    );
    expect(withSlos.slos).toEqual([
      {
        kind: 'availability',
        name: 'availability',
        objective: 99.9,
        period: '30d',
        description: '99.9% of requests succeed over 30d',
        burnRateTiers: [
          { budgetPercent: 2, longWindow: '1h', shortWindow: '5m', severity: 'critical' },
          { budgetPercent: 5, longWindow: '6h', shortWindow: '30m', severity: 'high' },
          { budgetPercent: 10, longWindow: '1d', shortWindow: '2h', severity: 'medium' },
          { budgetPercent: 10, longWindow: '3d', shortWindow: '6h', severity: 'medium' },
        ],
        badSelector: 'code=~"5.."',
        totalSelector: '',
      },
      {
        kind: 'latency',
        name: 'latency',
        objective: 99,
        period: '30d',
        description: '99% of requests complete within 250ms over 30d',
        burnRateTiers: DEFAULT_BURN_RATE_TIERS,
        thresholdSeconds: 0.25,
        selector: '',
      },
    ]);
  });

  it('keeps an empty list of burn-rate tiers, which disables burn-rate alerts', () => {
    const quiet = defineService(service({ slos: [{ kind: 'availability', name: 'availability', objective: 99.9, burnRateTiers: [] }] }));
    expect(quiet.slos[0].burnRateTiers).toEqual([]);
  });

  it('fills the GCP region', () => {
    expect(defineService(service({ gcp: { project: 'shop-prod-4821' } })).gcp).toEqual({ project: 'shop-prod-4821', region: 'europe-west1' });
  });
});

describe('defineService results', () => {
  it('are deeply frozen', () => {
    const defined = defineService(service({ env: { LOG_LEVEL: 'info' }, slos: [{ kind: 'availability', name: 'availability', objective: 99.9 }] }));
    expect(Object.isFrozen(defined)).toBe(true);
    expect(Object.isFrozen(defined.metrics.latencyBuckets)).toBe(true);
    expect(Object.isFrozen(defined.slos[0].burnRateTiers[0])).toBe(true);
    expect(Object.isFrozen(defined.env)).toBe(true);
    expect(Object.isFrozen(defined.input)).toBe(true);
    expect(() => {
      (defined.env as Record<string, string>).LOG_LEVEL = 'debug';
    }).toThrow(TypeError);
  });

  it('leave the caller\'s input unfrozen, and later changes to it do not reach the definition', () => {
    const env: Record<string, string> = { LOG_LEVEL: 'info' };
    const input = service({ env, environments: { dev: { env: { LOG_LEVEL: 'debug' } } } });
    const defined = defineService(input);
    expect(Object.isFrozen(input)).toBe(false);
    env.LOG_LEVEL = 'trace';
    expect(defined.env.LOG_LEVEL).toBe('info');
    expect(defined.input.env?.LOG_LEVEL).toBe('info');
  });

  it('list the overridden environments in order', () => {
    expect(defineService(service({ environments: { staging: { replicas: 2 }, dev: { replicas: 1 } } })).overriddenEnvironments).toEqual(['dev', 'staging']);
  });

  it('throw a DefinitionError that is an Error', () => {
    expect(() => defineService(service({ port: 0 }))).toThrow(DefinitionError);
    expect(() => defineService(service({ port: 0 }))).toThrow(Error);
  });
});

describe('definePlatform', () => {
  it('fills environments, business hours and namespaces, and trims trailing slashes of URLs', () => {
    const defined = definePlatform(platform());
    expect(defined.environments).toEqual([
      { name: 'dev', production: false, logRetentionDays: 30 },
      { name: 'staging', production: false, logRetentionDays: 30 },
      { name: 'prod', production: true, otlpEndpoint: 'http://otel-collector.observability:4317', logRetentionDays: 30 },
    ]);
    expect(defined.businessHours).toEqual({ timezone: 'UTC', weekdays: ['monday:friday'], start: '09:00', end: '17:00' });
    expect(defined.ingressNamespace).toBe('ingress-nginx');
    expect(defined.monitoringNamespace).toBe('monitoring');
    expect(defined.runbookBaseUrl).toBe('https://runbooks.example.com/shop');
    expect(Object.isFrozen(defined)).toBe(true);
  });

  it('treats an environment named production as production, and honours an explicit flag', () => {
    const defined = definePlatform(platform({ environments: ['production', { name: 'prod', production: false }, { name: 'live', production: true }] }));
    expect(defined.environments.map((e) => [e.name, e.production])).toEqual([
      ['production', true],
      ['prod', false],
      ['live', true],
    ]);
  });

  it('sorts receivers and routing by name', () => {
    const defined = definePlatform(platform());
    expect(Object.keys(defined.receivers)).toEqual(['chat', 'pager', 'tickets']);
    expect(Object.keys(defined.defaultAlertRouting)).toEqual(['critical', 'high', 'low', 'medium']);
  });
});

describe('resolveEnvironment', () => {
  const base = service({
    replicas: 3,
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    autoscaling: { minReplicas: 3, maxReplicas: 10 },
    env: { LOG_LEVEL: 'info', REGION: 'eu' },
    slos: [
      { kind: 'availability', name: 'availability', objective: 99.9 },
      { kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.5 },
    ],
    delivery: { strategy: 'canary', stepDuration: '10m' },
    alertRouting: { high: 'chat' },
    gcp: { project: 'shop-prod-4821', publicHost: 'checkout.shop.example.com' },
    environments: {
      dev: {
        image: 'registry.example.com/payments/checkout:latest',
        replicas: 1,
        autoscaling: false,
        resources: { limits: { memory: '1Gi' } },
        env: { LOG_LEVEL: 'debug' },
        slos: [{ kind: 'availability', name: 'availability', objective: 99 }],
        delivery: { strategy: 'canary', steps: [50, 100] },
        alertRouting: { critical: 'chat' },
        gcp: { project: 'shop-dev-4821' },
      },
      staging: { replicas: 2 },
    },
  });
  const checkoutService = defineService(base);
  const shop = definePlatform(platform({ services: [checkoutService] }));

  it('returns the base definition in an environment without overrides', () => {
    const prod = resolveEnvironment(shop, checkoutService, 'prod');
    const { overriddenEnvironments: _o, input: _i, alertRouting: _r, ...rest } = checkoutService;
    expect(prod).toEqual({
      ...rest,
      environment: 'prod',
      production: true,
      platform: 'shop',
      alertRouting: { critical: 'pager', high: 'chat', low: 'none', medium: 'tickets' },
      otlpEndpoint: 'http://otel-collector.observability:4317',
      callees: [],
      callers: [],
    });
  });

  it('merges objects key by key', () => {
    const dev = resolveEnvironment(shop, checkoutService, 'dev');
    expect(dev.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } });
    expect(dev.env).toEqual({ LOG_LEVEL: 'debug', REGION: 'eu' });
    expect(dev.gcp).toEqual({ project: 'shop-dev-4821', region: 'europe-west1', publicHost: 'checkout.shop.example.com' });
    expect(dev.delivery).toMatchObject({ strategy: 'canary', steps: [50, 100], stepDuration: '10m', pauses: ['10m', '10m'], budgetFreeze: { floor: 0 }, rollbackWindow: 3 });
  });

  it('replaces lists', () => {
    const dev = resolveEnvironment(shop, checkoutService, 'dev');
    expect(dev.slos.map((s) => [s.name, s.objective])).toEqual([['availability', 99]]);
    expect(dev.slos[0].description).toBe('99% of requests succeed over 30d');
  });

  it('switches autoscaling off with false', () => {
    expect(resolveEnvironment(shop, checkoutService, 'dev').autoscaling).toBe(false);
  });

  it('re-derives autoscaling defaults from overridden replicas', () => {
    const scaled = defineService(service({ autoscaling: { cpuTargetPercent: 60 }, environments: { staging: { replicas: 5 } } }));
    const staging = resolveEnvironment(definePlatform(platform({ services: [scaled] })), scaled, 'staging');
    expect(staging.replicas).toBe(5);
    expect(staging.autoscaling).toEqual({ minReplicas: 5, maxReplicas: 10, cpuTargetPercent: 60 });
  });

  it('re-derives the version from an overridden image', () => {
    expect(resolveEnvironment(shop, checkoutService, 'dev').image).toBe('registry.example.com/payments/checkout:latest');
    expect(resolveEnvironment(shop, checkoutService, 'dev').version).toBe('latest');
    expect(resolveEnvironment(shop, checkoutService, 'staging').version).toBe('1.4.2');
  });

  it('re-derives the version from an overridden image even when the base gives one explicitly', () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    const pinned = defineService(service({ image: `registry.example.com/payments/checkout@${digest}`, version: '2.3.0', environments: { dev: { image: 'registry.example.com/payments/checkout:2.4.0-rc1' } } }));
    const shopWithPinned = definePlatform(platform({ services: [pinned] }));
    expect(resolveEnvironment(shopWithPinned, pinned, 'prod').version).toBe('2.3.0');
    expect(resolveEnvironment(shopWithPinned, pinned, 'dev').version).toBe('2.4.0-rc1');
  });

  it('merges the platform routing under the service routing and the environment routing over both', () => {
    expect(resolveEnvironment(shop, checkoutService, 'staging').alertRouting).toEqual({ critical: 'pager', high: 'chat', low: 'none', medium: 'tickets' });
    expect(resolveEnvironment(shop, checkoutService, 'dev').alertRouting).toEqual({ critical: 'chat', high: 'chat', low: 'none', medium: 'tickets' });
  });

  it('carries the OTLP endpoint and the production flag of the environment', () => {
    const dev = resolveEnvironment(shop, checkoutService, 'dev');
    const prod = resolveEnvironment(shop, checkoutService, 'prod');
    expect([dev.production, dev.otlpEndpoint]).toEqual([false, undefined]);
    expect('otlpEndpoint' in dev).toBe(false);
    expect([prod.production, prod.otlpEndpoint]).toEqual([true, 'http://otel-collector.observability:4317']);
    expect(prod.environment).toBe('prod');
    expect(prod.platform).toBe('shop');
  });

  it('drops the input and the list of overridden environments', () => {
    const dev = resolveEnvironment(shop, checkoutService, 'dev');
    expect('input' in dev).toBe(false);
    expect('overriddenEnvironments' in dev).toBe(false);
  });

  it('returns a frozen definition', () => {
    const dev = resolveEnvironment(shop, checkoutService, 'dev');
    expect(Object.isFrozen(dev)).toBe(true);
    expect(Object.isFrozen(dev.resources.limits)).toBe(true);
  });

  it('rejects an environment the platform does not have', () => {
    expect(() => resolveEnvironment(shop, checkoutService, 'qa')).toThrow(
      'checkout.environment: is not an environment of platform shop (dev, staging, prod) (got "qa")',
    );
  });

  it('rejects an environment named like an inherited object property', () => {
    expect(() => resolveEnvironment(shop, checkoutService, 'constructor')).toThrow(DefinitionError);
  });
});

describe('dependencies between services', () => {
  it('resolves the callers of a service, sorted, with their namespaces', () => {
    const shop = definePlatform(
      platform({
        services: [
          defineService(service({ name: 'catalog', team: 'merchandising' })),
          defineService(service({ name: 'search', team: 'discovery', dependsOn: ['catalog', 'catalog'] })),
          defineService(service({ dependsOn: ['catalog'] })),
        ],
      }),
    );
    expect(shop.services[1].dependsOn).toEqual(['catalog']);
    expect(resolveEnvironment(shop, shop.services[0], 'prod').callers).toEqual([
      { name: 'checkout', namespace: 'payments' },
      { name: 'search', namespace: 'discovery' },
    ]);
    expect(resolveEnvironment(shop, shop.services[2], 'prod').callers).toEqual([]);
  });
});

describe('effectiveServices', () => {
  it('lists every service in every environment: environments as listed, services by name', () => {
    const zeta = defineService(service({ name: 'zeta', port: 8081 }));
    const alpha = defineService(service({ name: 'alpha', port: 8082 }));
    const shop = definePlatform(platform({ services: [zeta, alpha] }));
    expect(effectiveServices(shop).map((s) => `${s.environment}/${s.name}`)).toEqual([
      'dev/alpha',
      'dev/zeta',
      'staging/alpha',
      'staging/zeta',
      'prod/alpha',
      'prod/zeta',
    ]);
  });

  it('resolves a service in an environment once: every later call gives the same frozen definition', () => {
    const shop = definePlatform(platform({ services: [defineService(service({ name: 'alpha', port: 8082, environments: { dev: { replicas: 1 } } }))] }));
    const first = effectiveServices(shop, 'dev');
    expect(effectiveServices(shop, 'dev')[0]).toBe(first[0]);
    expect(resolveEnvironment(shop, 'alpha', 'dev')).toBe(first[0]);
    expect(resolveEnvironment(shop, 'alpha', 'prod')).not.toBe(first[0]);
    expect(Object.isFrozen(first[0])).toBe(true);
    expect(first[0].replicas).toBe(1);
    // The list is the caller's own; changing it changes no later answer.
    first.pop();
    expect(effectiveServices(shop, 'dev')).toHaveLength(1);
  });
});
