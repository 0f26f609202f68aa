import { parse } from 'yaml';
import { alertLinks } from '../../lib/definition/naming';
import { RuleGroup } from '../../lib/prometheus/rule-group';
import { renderRuleFile } from '../../lib/prometheus/render';
import { BLACKBOX_DEFAULTS, UPTIME_ALERT_PERIODS, blackboxConfig, renderBlackboxConfig, UPTIME_JOB, UPTIME_PROBE_ALERT, uptimeProbePlan, uptimeRuleGroups } from '../../lib/uptime';
import { UPTIME_ALERT_NAME } from '../../lib/gcp/service-monitoring';
import { parseDuration } from '../../lib/promql/duration';
import { definitionErrorOf } from '../support/tools';
import { PUBLIC_HOST, checkout, uptimePlatform } from './fixtures';

describe('uptimeProbePlan', () => {
  const platform = uptimePlatform();
  const service = checkout(platform);
  const plan = uptimeProbePlan(platform, service)!;

  it('plans nothing for a service without a public host', () => {
    const internal = uptimePlatform({ gcp: { project: 'shop-prod-4821' } });
    expect(uptimeProbePlan(internal, checkout(internal))).toBeUndefined();
    expect(uptimeRuleGroups(internal, checkout(internal))).toEqual([]);
    const noGcp = uptimePlatform({ gcp: undefined });
    expect(uptimeProbePlan(noGcp, checkout(noGcp))).toBeUndefined();
  });

  it('probes https://<publicHost><path> every uptime check period, by default the root path every 60s', () => {
    expect(service.uptimeCheck).toEqual({ path: '/', period: '60s', severity: 'critical' });
    expect(plan.target).toBe(`https://${PUBLIC_HOST}/`);
    expect(plan.interval).toBe('60s');
    expect(plan.scrapeTimeout).toBe(BLACKBOX_DEFAULTS.timeout);
  });

  it('defaults the prober to the blackbox exporter of the monitoring namespace, module http_2xx', () => {
    expect(plan.blackbox).toEqual({ prober: 'blackbox-exporter.monitoring:9115', module: 'http_2xx' });
    expect(plan.proberPath).toBe('/probe');
    const other = uptimePlatform({}, { monitoringNamespace: 'observability' });
    expect(uptimeProbePlan(other, checkout(other))!.blackbox.prober).toBe('blackbox-exporter.observability:9115');
  });

  it('takes the prober and module given', () => {
    const custom = uptimeProbePlan(platform, service, { blackbox: { prober: 'prober.edge.svc:9000', module: 'https_public' } })!;
    expect(custom.blackbox).toEqual({ prober: 'prober.edge.svc:9000', module: 'https_public' });
    expect(custom.alert.annotations.description).toContain('module https_public');
  });

  it('follows the readiness path when the uptime check names none', () => {
    const ready = uptimePlatform({ health: { readiness: { path: '/ready' } } });
    expect(uptimeProbePlan(ready, checkout(ready))!.target).toBe(`https://${PUBLIC_HOST}/ready`);
  });

  it('takes the path, period and severity of the uptime check', () => {
    const custom = uptimePlatform({ uptimeCheck: { path: '/status?full=1', period: '300s', severity: 'medium' } });
    const p = uptimeProbePlan(custom, checkout(custom))!;
    expect(p.target).toBe(`https://${PUBLIC_HOST}/status?full=1`);
    expect(p.interval).toBe('300s');
    expect(p.severity).toBe('medium');
    expect(p.alert.labels.severity).toBe('medium');
  });

  it('uses the public host of the environment', () => {
    const envs = uptimePlatform({ environments: { dev: { gcp: { project: 'shop-dev-4821', publicHost: 'checkout.dev.shop.example.com' } } } });
    expect(uptimeProbePlan(envs, checkout(envs, 'dev'))!.target).toBe('https://checkout.dev.shop.example.com/');
    expect(uptimeProbePlan(envs, checkout(envs, 'prod'))!.target).toBe(`https://${PUBLIC_HOST}/`);
  });

  it('labels the probe series with namespace, service and team under the uptime job', () => {
    expect(plan.jobName).toBe(UPTIME_JOB);
    expect(plan.targetLabels).toEqual({ namespace: service.namespace, service: 'checkout', team: 'payments' });
    expect([plan.name, plan.namespace, plan.platform]).toEqual(['checkout', service.namespace, 'shop']);
  });

  it('probes https on the default port unless a test endpoint is given explicitly', () => {
    expect(plan.target.startsWith('https://')).toBe(true);
    const local = uptimePlatform({ gcp: { project: 'shop-prod-4821', publicHost: '127.0.0.1' }, uptimeCheck: { path: '/healthz' } });
    expect(uptimeProbePlan(local, checkout(local), { testEndpoint: { scheme: 'http', port: 18080 } })!.target).toBe('http://127.0.0.1:18080/healthz');
    expect(uptimeProbePlan(local, checkout(local))!.target).toBe('https://127.0.0.1/healthz');
  });
});

describe('the UptimeProbeFailed alert', () => {
  const platform = uptimePlatform({ contacts: { owners: ['alice@example.com'] } });
  const service = checkout(platform);
  const plan = uptimeProbePlan(platform, service)!;

  it('is named apart from Cloud Monitoring\'s uptime alert, which watches from several regions', () => {
    expect(plan.alert.alert).toBe(UPTIME_PROBE_ALERT);
    expect(UPTIME_PROBE_ALERT).not.toBe(UPTIME_ALERT_NAME);
  });

  it('reads the newest probe result of this target, job, namespace and service', () => {
    expect(plan.alert.expr).toBe(
      `last_over_time(probe_success{instance="https://${PUBLIC_HOST}/", job="uptime", namespace="${service.namespace}", service="checkout"}[2m]) == 0`,
    );
  });

  it.each([
    ['60s', '2m'],
    ['300s', '10m'],
    ['600s', '20m'],
    ['900s', '30m'],
  ] as const)('with a %s period waits %s, two periods, and looks back as far', (period, wait) => {
    const p = uptimePlatform({ uptimeCheck: { period } });
    const alert = uptimeProbePlan(p, checkout(p))!.alert;
    expect(alert.for).toBe(wait);
    expect(parseDuration(alert.for)).toBe(parseDuration(period)! * UPTIME_ALERT_PERIODS.for);
    expect(alert.expr).toContain(`[${wait}]) == 0`);
  });

  it('carries the severity of the uptime check, by default the tier, and the service labels', () => {
    expect(plan.alert.labels).toEqual({ namespace: service.namespace, service: 'checkout', severity: 'critical', team: 'payments' });
  });

  it('links the runbook and dashboard and names the owners like every alert', () => {
    expect(plan.alert.annotations).toMatchObject(alertLinks(platform, service, UPTIME_PROBE_ALERT));
    expect(plan.alert.annotations.runbook_url).toBe('https://runbooks.example.com/shop/prod/services/checkout/alerts/uptime-probe-failed.md');
    expect(plan.alert.annotations.owners).toBe('alice@example.com');
    expect(plan.alert.annotations.summary).toBe(`checkout: https://${PUBLIC_HOST}/ unreachable from outside`);
    expect(plan.alert.annotations.description).toContain('has failed for 2m');
  });

  it('ships in the group <service>-uptime, in the rule-group shape the rule file renders', () => {
    const groups: RuleGroup[] = uptimeRuleGroups(platform, service);
    expect(groups).toEqual([{ name: 'checkout-uptime', rules: [plan.alert] }]);
    expect(renderRuleFile(groups)).toContain('alert: UptimeProbeFailed');
  });

  it('is the same data every time', () => {
    expect(renderRuleFile(uptimeRuleGroups(platform, checkout(platform)))).toBe(renderRuleFile(uptimeRuleGroups(uptimePlatform({ contacts: { owners: ['alice@example.com'] } }), service)));
  });
});

describe('blackbox settings', () => {
  const platform = uptimePlatform();
  const service = checkout(platform);

  it.each([
    ['http://blackbox:9115', 'a scheme'],
    ['blackbox-exporter.monitoring', 'no port'],
    ['Blackbox:9115', 'capitals'],
  ])('refuses the prober %s (%s)', (prober) => {
    expect(definitionErrorOf(() => uptimeProbePlan(platform, service, { blackbox: { prober } }))).toBe(
      `Invalid blackbox exporter settings (1 problem):\n  - blackbox.prober: must be host:port without a scheme, such as blackbox-exporter.monitoring:9115 (the Probe's spec.prober.url) (got ${JSON.stringify(prober)})`,
    );
  });

  it('refuses a prober port outside 1-65535', () => {
    expect(definitionErrorOf(() => uptimeProbePlan(platform, service, { blackbox: { prober: 'blackbox:70000' } }))).toContain(
      'blackbox.prober: must be host:port without a scheme, such as blackbox-exporter.monitoring:9115 (the Probe\'s spec.prober.url); the port must be 1-65535 (got "blackbox:70000")',
    );
  });

  it('refuses a module name the exporter configuration could not hold, and reports every problem with the construct path', () => {
    expect(definitionErrorOf(() => uptimeProbePlan(platform, service, { blackbox: { prober: 'x', module: 'http 2xx' }, where: 'prod/checkout/uptime' }))).toBe(
      'Invalid blackbox exporter settings (2 problems):\n' +
        "  - [prod/checkout/uptime] blackbox.prober: must be host:port without a scheme, such as blackbox-exporter.monitoring:9115 (the Probe's spec.prober.url) (got \"x\")\n" +
        '  - [prod/checkout/uptime] blackbox.module: must be a blackbox exporter module name: 1-63 letters, digits, "-" or "_" (got "http 2xx")',
    );
  });
});

describe('blackboxConfig', () => {
  it('holds one module: an HTTP GET that passes on 2xx only, follows no redirect, verifies and requires TLS, within 10s', () => {
    expect(blackboxConfig({ module: 'http_2xx' })).toEqual({
      modules: {
        http_2xx: {
          prober: 'http',
          timeout: '10s',
          http: { method: 'GET', valid_status_codes: [], follow_redirects: false, fail_if_not_ssl: true, preferred_ip_protocol: 'ip4', tls_config: { insecure_skip_verify: false } },
        },
      },
    });
  });

  it('accepts plain HTTP only when told so, for a local test server', () => {
    const http = blackboxConfig({ module: 'local' }, { requireTls: false }).modules.local as { http: { fail_if_not_ssl: boolean } };
    expect(http.http.fail_if_not_ssl).toBe(false);
  });

  it('renders as the YAML file the exporter reads, the same data', () => {
    expect(parse(renderBlackboxConfig({ module: 'http_2xx' }))).toEqual(blackboxConfig({ module: 'http_2xx' }));
  });
});
