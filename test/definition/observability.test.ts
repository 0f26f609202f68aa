import { DefinitionError, OBSERVABILITY_DEFAULTS, defineService, definePlatform, resolveEnvironment } from '../../lib/definition';
import { parseLogql, errorLogRate, serviceLogSelector } from '../../lib/logql';
import { platform, service, worker } from '../fixtures/definitions';

/** The issue lines a definition is refused with. */
function refusal(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof DefinitionError) return e.message.split('\n').slice(1).map((l) => l.trim().replace(/^- /, ''));
    throw e;
  }
  throw new Error('was accepted');
}

const HOST = { project: 'shop-prod-1234', publicHost: 'shop.example.com' };

describe('dashboards and Loki settings of the platform', () => {
  it('default to the prometheus datasource, the monitoring namespace and no Loki', () => {
    const p = definePlatform(platform());
    expect(p.dashboards).toEqual({ prometheusDatasource: OBSERVABILITY_DEFAULTS.prometheusDatasource, namespace: 'monitoring' });
    expect(OBSERVABILITY_DEFAULTS.prometheusDatasource).toBe('prometheus');
    expect(p.loki).toBeUndefined();
    expect(definePlatform(platform({ monitoringNamespace: 'observability' })).dashboards.namespace).toBe('observability');
  });

  it('take the datasources, namespace and Loki labels given', () => {
    const p = definePlatform(platform({ dashboards: { prometheusDatasource: 'mimir', tracesDatasource: 'tempo', namespace: 'grafana' }, loki: { datasource: 'loki', appLabel: 'service_name' } }));
    expect(p.dashboards).toEqual({ prometheusDatasource: 'mimir', tracesDatasource: 'tempo', namespace: 'grafana' });
    expect(p.loki).toEqual({ datasource: 'loki', labels: { namespace: 'namespace', app: 'service_name' } });
  });

  it('refuse datasource UIDs Grafana does not accept, Loki labels Loki does not, and one label for both', () => {
    expect(refusal(() => definePlatform(platform({ dashboards: { prometheusDatasource: 'has space', tracesDatasource: 'x'.repeat(41), namespace: 'Grafana' }, loki: { datasource: '', namespaceLabel: '__ns', appLabel: '1app' } })))).toEqual([
      'shop.dashboards.prometheusDatasource: must be a Grafana datasource UID: 1-40 letters, digits, "-" or "_" (got "has space")',
      `shop.dashboards.tracesDatasource: must be a Grafana datasource UID: 1-40 letters, digits, "-" or "_" (got "${'x'.repeat(41)}")`,
      'shop.dashboards.namespace: must be a DNS-1123 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (got "Grafana")',
      'shop.loki.datasource: must be a Grafana datasource UID: 1-40 letters, digits, "-" or "_" (got "")',
      'shop.loki.namespaceLabel: must be a Loki label name: letters, digits and "_", not starting with a digit, not starting with "__" (got "__ns")',
      'shop.loki.appLabel: must be a Loki label name: letters, digits and "_", not starting with a digit, not starting with "__" (got "1app")',
    ]);
    expect(refusal(() => definePlatform(platform({ loki: { datasource: 'loki', namespaceLabel: 'app' } })))).toEqual([
      'shop.loki.appLabel: must differ from loki.namespaceLabel: the two select different things (got "app")',
    ]);
  });
});

describe('log retention per environment', () => {
  it('defaults to 30 days and takes what an environment sets', () => {
    const p = definePlatform(platform({ environments: ['dev', { name: 'prod', logRetentionDays: 400 }] }));
    expect(p.environments.map((e) => e.logRetentionDays)).toEqual([OBSERVABILITY_DEFAULTS.logRetentionDays, 400]);
    expect(OBSERVABILITY_DEFAULTS.logRetentionDays).toBe(30);
  });

  it('refuses what Cloud Logging refuses: below a day or beyond ten years, or a fraction', () => {
    expect(refusal(() => definePlatform(platform({ environments: [{ name: 'dev', logRetentionDays: 0 }, { name: 'prod', logRetentionDays: 3651 }, { name: 'qa', logRetentionDays: 1.5 }] })))).toEqual([
      'shop.environments[0].logRetentionDays: must be an integer from 1 to 3650 (got 0)',
      'shop.environments[1].logRetentionDays: must be an integer from 1 to 3650 (got 3651)',
      'shop.environments[2].logRetentionDays: must be an integer from 1 to 3650 (got 1.5)',
    ]);
  });
});

describe('uptime check of a public host', () => {
  it('defaults to the readiness path, every minute, at the tier as severity', () => {
    const s = defineService(service({ gcp: HOST, health: { readiness: { path: '/ready' } } }));
    expect(s.uptimeCheck).toEqual({ path: '/ready', period: '60s', severity: 'critical' });
    expect(defineService(service({ gcp: HOST })).uptimeCheck.path).toBe('/');
  });

  it('takes the path, period and severity given', () => {
    expect(defineService(service({ gcp: HOST, uptimeCheck: { path: '/healthz', period: '300s', severity: 'high' } })).uptimeCheck).toEqual({ path: '/healthz', period: '300s', severity: 'high' });
  });

  it('refuses a period Cloud Monitoring lacks, a bad path, and a check without a public host', () => {
    expect(refusal(() => defineService(service({ gcp: HOST, uptimeCheck: { path: 'healthz', period: '30s' } })))).toEqual([
      'checkout.uptimeCheck.path: must be an HTTP path starting with "/" and without spaces (got "healthz")',
      'checkout.uptimeCheck.period: must be one of 60s, 300s, 600s, 900s (got "30s")',
    ]);
    expect(refusal(() => defineService(service({ uptimeCheck: { period: '60s' } })))).toEqual([
      'checkout.uptimeCheck: needs gcp.publicHost: the uptime check probes the public host from outside (got {"period":"60s"})',
    ]);
  });
});

describe('log alerts', () => {
  const burst = { alert: 'CheckoutErrorLogBurst', expr: 'sum(rate({app="checkout"} |= "error" [5m])) > 1', severity: 'high' as const, summary: 'Checkout logs errors' };

  it('default to none, and a log alert waits 1m', () => {
    expect(defineService(service()).logAlerts).toEqual([]);
    expect(defineService(service({ logAlerts: [burst] })).logAlerts).toEqual([{ ...burst, for: '1m' }]);
    expect(defineService(service({ logAlerts: [{ ...burst, for: '10m' }] })).logAlerts[0].for).toBe('10m');
  });

  it('refuse names that are not CamelCase or repeat, LogQL that does not parse or returns lines, and bad durations', () => {
    expect(
      refusal(() =>
        defineService(
          worker({
            logAlerts: [
              { ...burst, alert: 'error-burst' },
              { ...burst, expr: 'sum(rate({app="checkout"}[5m])' },
              { ...burst, alert: 'LogLines', expr: '{app="checkout"} |= "error"' },
              { ...burst, alert: 'Soon', for: 'soon' },
              { ...burst, alert: 'Bell', summary: 'bell\u0007' },
              burst,
            ],
          }),
        ),
      ),
    ).toEqual([
      'notifier.logAlerts[0].alert: must be a CamelCase alert name: a capital letter, then at most 62 letters or digits (got "error-burst")',
      'notifier.logAlerts[1].expr: must be valid LogQL: unexpected end of query at offset 30 (got "sum(rate({app=\\"checkout\\"}[5m])")',
      'notifier.logAlerts[2].expr: must be a LogQL metric query, such as sum(rate({app="checkout"} |= "error" [5m])) > 1; a log query returns lines, not series to alert on (got "{app=\\"checkout\\"} |= \\"error\\"")',
      'notifier.logAlerts[3].for: must be a Prometheus duration such as 30s, 5m, 1h or 1d (got "soon")',
      expect.stringMatching(/^notifier\.logAlerts\[4\]\.summary: must not contain control characters/),
      'notifier.logAlerts[5].alert: duplicates logAlerts[1].alert: log alert names must be unique in a service (got "CheckoutErrorLogBurst")',
    ]);
  });

  it('refuse more than 20 alerts', () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ ...burst, alert: `Burst${i}` }));
    expect(refusal(() => defineService(service({ logAlerts: many })))).toEqual(['checkout.logAlerts: must list at most 20 alerts (got 21)']);
  });
});

describe('LogQL built from the definition', () => {
  it('selects a service by the collector labels and parses as a metric query', () => {
    const p = definePlatform(platform({ loki: { datasource: 'loki' }, services: [defineService(service())] }));
    const s = resolveEnvironment(p, 'checkout', 'prod');
    expect(serviceLogSelector(p.loki!.labels, s)).toBe('{namespace="payments", app="checkout"}');
    const rate = errorLogRate(p.loki!.labels, s, '5m');
    expect(parseLogql(rate)).toEqual({ problems: [], kind: 'metric' });
    expect(parseLogql('{app="x"} |= "a"').kind).toBe('log');
    expect(parseLogql('').problems).toEqual([{ offset: 0, message: 'empty query' }]);
  });
});

describe('names and quantities the Kubernetes side cannot write', () => {
  it('refuses a service named like the namespace default-deny policy or the fleet dashboard', () => {
    expect(refusal(() => defineService(service({ name: 'default-deny' })))).toEqual([
      "default-deny.name: is reserved: every namespace has a NetworkPolicy of that name, which the service's own policy would replace (got \"default-deny\")",
    ]);
    expect(refusal(() => defineService(service({ name: 'fleet' })))).toEqual([
      "fleet.name: is reserved: each environment's fleet dashboard is written as grafana/<env>/fleet.json, where the service's dashboard would go (got \"fleet\")",
    ]);
    expect(defineService(service({ name: 'fleets' })).name).toBe('fleets');
  });

  it('refuses memory that is not a whole number of mebibytes, and takes Ki that is', () => {
    expect(refusal(() => defineService(service({ resources: { requests: { memory: '1500Ki' }, limits: { memory: '1Gi' } } })))).toEqual([
      'checkout.resources.requests.memory: must be a whole number of mebibytes (Mi, Gi, Ti or a multiple of 1024Ki): cdk8s-plus-28 writes memory in Mi (got "1500Ki")',
    ]);
    expect(defineService(service({ resources: { requests: { memory: '2048Ki' } } })).resources.requests.memory).toBe('2048Ki');
  });
});

describe('blackbox exporter of the platform', () => {
  it('is left to the uptime probes\' defaults and takes the prober and module given', () => {
    expect(definePlatform(platform()).blackbox).toEqual({});
    expect(definePlatform(platform({ blackbox: { prober: 'blackbox.probing:9115', module: 'https_2xx' } })).blackbox).toEqual({ prober: 'blackbox.probing:9115', module: 'https_2xx' });
  });

  it('refuses a prober with a scheme or a bad port, and a module name the exporter cannot have', () => {
    expect(refusal(() => definePlatform(platform({ blackbox: { prober: 'http://blackbox:9115', module: 'http 2xx' } })))).toEqual([
      "shop.blackbox.prober: must be host:port without a scheme, such as blackbox-exporter.monitoring:9115 (the Probe's spec.prober.url) (got \"http://blackbox:9115\")",
      'shop.blackbox.module: must be a blackbox exporter module name: 1-63 letters, digits, "-" or "_" (got "http 2xx")',
    ]);
    expect(refusal(() => definePlatform(platform({ blackbox: { prober: 'blackbox:99999' } })))).toEqual([
      "shop.blackbox.prober: must be host:port without a scheme, such as blackbox-exporter.monitoring:9115 (the Probe's spec.prober.url); the port must be 1-65535 (got \"blackbox:99999\")",
    ]);
  });
});
