import { parse } from 'yaml';
import { shop } from '../fixtures/shop';
import {
  AlertmanagerConfigFile,
  AlertmanagerRoute,
  alertmanagerConfig,
  alertmanagerConfigSpec,
  renderAlertmanagerYaml,
} from '../../lib/alertmanager';
import { ROOT_TIMING, SEVERITY_TIMING } from '../../lib/alertmanager/routing-plan';
import { AlertmanagerConfigSpecRoute } from '../../lib/imports/monitoring-alertmanagerconfigs-monitoring.coreos.com';
import { PlatformDefinition, ReceiverInput } from '../../lib/definition';
import { RECEIVERS, routingPlatform, service } from '../fixtures/alertmanager';
import { definitionErrorOf } from '../support/tools';

/** The child route of one service. */
function serviceRoute(config: AlertmanagerConfigFile, name: string): AlertmanagerRoute {
  const route = (config.route.routes ?? []).find((r) => r.matchers?.[0] === `service="${name}"`);
  if (route === undefined) throw new Error(`no route for service ${name}`);
  return route;
}

/** `severity → receivers` of one service route, in matching order. */
function receiversBySeverity(route: AlertmanagerRoute): Array<[string, string]> {
  return (route.routes ?? []).map((r) => [r.matchers?.[0] ?? '', r.receiver ?? '']);
}


describe('alertmanagerConfig', () => {
  const prod = alertmanagerConfig(shop, 'prod');

  it('sends unmatched alerts to the null receiver, grouped by alertname, service and slo', () => {
    expect(prod.route).toMatchObject({
      receiver: 'null',
      group_by: ['alertname', 'service', 'slo'],
      group_wait: ROOT_TIMING.groupWait,
      group_interval: ROOT_TIMING.groupInterval,
      repeat_interval: ROOT_TIMING.repeatInterval,
    });
    expect(prod.receivers.find((r) => r.name === 'null')).toEqual({ name: 'null' });
  });

  it('has one child route per service, sorted by name, matching the service label', () => {
    expect((prod.route.routes ?? []).map((r) => r.matchers)).toEqual([['service="catalog"'], ['service="checkout"'], ['service="notifier"']]);
  });

  it('routes each severity of checkout in prod by the platform policy', () => {
    const checkout = serviceRoute(prod, 'checkout');
    expect(receiversBySeverity(checkout)).toEqual([
      ['severity="critical"', 'payments-pager'],
      ['severity="high"', 'payments-pager'],
      ['severity="high"', 'payments-chat'],
      ['severity="medium"', 'platform-tickets'],
      ['severity="low"', 'null'],
    ]);
  });

  it('splits high between the pager in business hours and chat outside them', () => {
    const [, inHours, afterHours] = serviceRoute(prod, 'catalog').routes ?? [];
    expect(inHours).toMatchObject({ receiver: 'merch-pager', active_time_intervals: ['business-hours'], continue: true });
    expect(inHours.mute_time_intervals).toBeUndefined();
    expect(afterHours).toMatchObject({ receiver: 'merch-chat', mute_time_intervals: ['business-hours'] });
    expect(afterHours.active_time_intervals).toBeUndefined();
    expect(afterHours.continue).toBeUndefined();
  });

  it('defines business hours as a time interval with the platform time zone as location', () => {
    expect(prod.time_intervals).toEqual([
      {
        name: 'business-hours',
        time_intervals: [{ weekdays: ['monday:friday'], times: [{ start_time: '09:00', end_time: '18:00' }], location: 'Europe/Berlin' }],
      },
    ]);
  });

  it('gives each severity its own timing, critical fastest and medium batched', () => {
    const timings = (serviceRoute(prod, 'checkout').routes ?? []).map((r) => [r.matchers?.[0], r.group_wait, r.group_interval, r.repeat_interval]);
    expect(timings).toEqual([
      ['severity="critical"', '10s', '5m', '1h'],
      ['severity="high"', '30s', '5m', '4h'],
      ['severity="high"', '30s', '5m', '4h'],
      ['severity="medium"', '5m', '30m', '24h'],
      ['severity="low"', '5m', '1h', '168h'],
    ]);
    expect(SEVERITY_TIMING.critical.groupWait).toBe('10s');
  });

  it('applies environment overrides: checkout in dev pages nobody', () => {
    const dev = alertmanagerConfig(shop, 'dev');
    expect(receiversBySeverity(serviceRoute(dev, 'checkout'))).toEqual([
      ['severity="critical"', 'payments-chat'],
      ['severity="high"', 'payments-chat'],
      ['severity="high"', 'payments-chat'],
      ['severity="medium"', 'platform-tickets'],
      ['severity="low"', 'null'],
    ]);
  });

  it('inhibits lower severities while a higher one fires for the same service and SLO', () => {
    expect(prod.inhibit_rules).toEqual([
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="high"'], equal: ['service', 'slo'] },
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="medium"'], equal: ['service', 'slo'] },
      { source_matchers: ['severity="high"'], target_matchers: ['severity="medium"'], equal: ['service', 'slo'] },
    ]);
  });

  it('references secrets as files under /etc/alertmanager/secrets, never as values', () => {
    const byName = Object.fromEntries(prod.receivers.map((r) => [r.name, r]));
    expect(byName['payments-pager']).toEqual({
      name: 'payments-pager',
      pagerduty_configs: [{ routing_key_file: '/etc/alertmanager/secrets/pagerduty-payments/routing-key', send_resolved: true }],
    });
    expect(byName['merch-chat']).toEqual({
      name: 'merch-chat',
      slack_configs: [{ api_url_file: '/etc/alertmanager/secrets/slack-webhooks/merchandising', channel: '#merch-alerts', send_resolved: true }],
    });
    expect(byName['platform-tickets']).toEqual({ name: 'platform-tickets', webhook_configs: [{ url: 'https://tickets.example.com/hooks/platform', send_resolved: true }] });
    const yaml = renderAlertmanagerYaml(shop, 'prod');
    expect(yaml).not.toMatch(/routing_key:|service_key:|api_url:/);
  });

  it('lists only the receivers its routes use, plus null, sorted by name', () => {
    const platform = routingPlatform([service('orders', 'shop')]);
    expect(alertmanagerConfig(platform, 'prod').receivers.map((r) => r.name)).toEqual(['chat', 'null', 'pager', 'tickets']);
  });

  it('writes e-mail receivers with their SMTP settings', () => {
    const platform = routingPlatform([service('orders', 'shop', { medium: 'mail' })]);
    expect(alertmanagerConfig(platform, 'prod').receivers.find((r) => r.name === 'mail')).toEqual({
      name: 'mail',
      email_configs: [{ to: 'ops@example.com', smarthost: 'smtp.example.com:587', from: 'alertmanager@example.com', send_resolved: false }],
    });
  });

  it('leaves e-mail receivers without SMTP settings to definePlatform, which names each missing field', () => {
    const bare = { type: 'email', to: 'ops@example.com' } as unknown as ReceiverInput;
    expect(definitionErrorOf(() => routingPlatform([service('orders', 'shop', { medium: 'bare-mail' })], { receivers: { ...RECEIVERS, 'bare-mail': bare } }))).toBe(
      'Invalid platform "acme" (2 problems):\n' +
        '  - acme.receivers.bare-mail.smarthost: must be an SMTP server as host:port, such as smtp.example.com:587 (got undefined)\n' +
        '  - acme.receivers.bare-mail.from: must be an e-mail address (got undefined)',
    );
  });

  it('has definePlatform check the SMTP settings of e-mail receivers', () => {
    const bad = { type: 'email' as const, to: 'ops@example.com', smarthost: 'smtp.example.com', from: 'alertmanager' };
    expect(definitionErrorOf(() => routingPlatform([], { receivers: { mail: bad } }))).toContain(
      '  - acme.receivers.mail.smarthost: must be an SMTP server as host:port, such as smtp.example.com:587 (got "smtp.example.com")\n' +
        '  - acme.receivers.mail.from: must be an e-mail address (got "alertmanager")',
    );
  });

  it('without an after-hours receiver, notifies high only in business hours', () => {
    const platform = routingPlatform([service('orders', 'shop')], { defaultAlertRouting: { critical: 'pager', high: 'pager', medium: 'tickets', low: 'none' } });
    const high = (alertmanagerConfig(platform, 'prod').route.routes?.[0].routes ?? []).filter((r) => r.matchers?.[0] === 'severity="high"');
    expect(high).toEqual([expect.objectContaining({ receiver: 'pager', active_time_intervals: ['business-hours'] })]);
    expect(high[0].continue).toBeUndefined();
  });

  it('omits time intervals when no route depends on business hours', () => {
    const platform = routingPlatform([service('orders', 'shop')], { defaultAlertRouting: { critical: 'pager', high: 'none', medium: 'tickets', low: 'none' } });
    const config = alertmanagerConfig(platform, 'prod');
    expect(config.time_intervals).toBeUndefined();
    expect(receiversBySeverity(config.route.routes?.[0] ?? {})).toEqual([
      ['severity="critical"', 'pager'],
      ['severity="high"', 'null'],
      ['severity="medium"', 'tickets'],
      ['severity="low"', 'null'],
    ]);
  });

  it('routes low to a receiver when one is given', () => {
    const platform = routingPlatform([service('orders', 'shop', { low: 'tickets' })]);
    const low = alertmanagerConfig(platform, 'prod').route.routes?.[0].routes?.find((r) => r.matchers?.[0] === 'severity="low"');
    expect(low?.receiver).toBe('tickets');
  });

  it('rejects an unknown environment', () => {
    expect(definitionErrorOf(() => alertmanagerConfig(shop, 'qa'))).toBe(
      'Invalid environment resolution (1 problem):\n  - shop.environment: is not an environment of platform shop (dev, staging, prod) (got "qa")',
    );
  });

  it('takes only platforms from definePlatform: a hand-edited copy that skipped its checks is refused', () => {
    const { 'merch-tickets': _dropped, ...receivers } = shop.receivers;
    const broken: PlatformDefinition = { ...shop, receivers };
    expect(definitionErrorOf(() => alertmanagerConfig(broken, 'prod'))).toContain('platform: must be a platform from definePlatform');
  });

  it('routes a severity dropped on purpose to the null receiver, with no time window', () => {
    const platform = routingPlatform([service('orders', 'shop')], { defaultAlertRouting: { critical: 'none', high: 'none', medium: 'none', low: 'none' } });
    const config = alertmanagerConfig(platform, 'prod');
    expect(receiversBySeverity(config.route.routes?.[0] ?? {})).toEqual([
      ['severity="critical"', 'null'],
      ['severity="high"', 'null'],
      ['severity="medium"', 'null'],
      ['severity="low"', 'null'],
    ]);
    expect(config.time_intervals).toBeUndefined();
    expect(config.receivers).toEqual([{ name: 'null' }]);
  });
});

describe('renderAlertmanagerYaml', () => {
  it('renders the config as YAML with a header, keys sorted, times quoted', () => {
    const yaml = renderAlertmanagerYaml(shop, 'prod');
    expect(yaml.startsWith('# Alertmanager configuration of platform shop, environment prod.\n')).toBe(true);
    expect(parse(yaml)).toEqual(JSON.parse(JSON.stringify(alertmanagerConfig(shop, 'prod'))));
    expect(Object.keys(parse(yaml))).toEqual(['global', 'inhibit_rules', 'receivers', 'route', 'time_intervals']);
    // YAML 1.1 readers would take 09:00 as a base-60 number; quoted it stays a time.
    expect(yaml).toContain('start_time: "09:00"');
    expect(yaml).toContain('receiver: "null"');
  });

  it('is deterministic', () => {
    expect(renderAlertmanagerYaml(shop, 'staging')).toBe(renderAlertmanagerYaml(shop, 'staging'));
  });

  it('matches the reviewed snapshot', () => {
    expect(renderAlertmanagerYaml(shop, 'prod')).toMatchSnapshot();
  });
});

describe('alertmanagerConfigSpec', () => {
  const payments = alertmanagerConfigSpec(shop, 'prod', 'payments');

  it('routes only the services of the namespace, with matchType on every matcher', () => {
    const routes = (payments.route?.routes ?? []) as AlertmanagerConfigSpecRoute[];
    expect(routes.map((r) => r.matchers)).toEqual([[{ name: 'service', value: 'checkout', matchType: '=' }], [{ name: 'service', value: 'notifier', matchType: '=' }]]);
    expect(alertmanagerConfigSpec(shop, 'prod', 'merchandising').route?.routes?.length).toBe(1);
  });

  it('has the same route tree as the plain config', () => {
    const checkout = (payments.route?.routes?.[0] as AlertmanagerConfigSpecRoute).routes as AlertmanagerConfigSpecRoute[];
    expect(payments.route).toMatchObject({ receiver: 'null', groupBy: ['alertname', 'service', 'slo'], groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' });
    expect(checkout).toEqual([
      { matchers: [{ name: 'severity', value: 'critical', matchType: '=' }], receiver: 'payments-pager', groupWait: '10s', groupInterval: '5m', repeatInterval: '1h' },
      {
        matchers: [{ name: 'severity', value: 'high', matchType: '=' }],
        receiver: 'payments-pager',
        groupWait: '30s',
        groupInterval: '5m',
        repeatInterval: '4h',
        activeTimeIntervals: ['business-hours'],
        continue: true,
      },
      {
        matchers: [{ name: 'severity', value: 'high', matchType: '=' }],
        receiver: 'payments-chat',
        groupWait: '30s',
        groupInterval: '5m',
        repeatInterval: '4h',
        muteTimeIntervals: ['business-hours'],
      },
      { matchers: [{ name: 'severity', value: 'medium', matchType: '=' }], receiver: 'platform-tickets', groupWait: '5m', groupInterval: '30m', repeatInterval: '24h' },
      { matchers: [{ name: 'severity', value: 'low', matchType: '=' }], receiver: 'null', groupWait: '5m', groupInterval: '1h', repeatInterval: '168h' },
    ]);
  });

  it('references secrets with SecretKeySelectors', () => {
    expect(payments.receivers).toEqual([
      { name: 'null' },
      { name: 'payments-chat', slackConfigs: [{ apiUrl: { name: 'slack-webhooks', key: 'payments' }, channel: '#payments-alerts', sendResolved: true }] },
      { name: 'payments-pager', pagerdutyConfigs: [{ routingKey: { name: 'pagerduty-payments', key: 'routing-key' }, sendResolved: true }] },
      { name: 'platform-tickets', webhookConfigs: [{ url: 'https://tickets.example.com/hooks/platform', sendResolved: true }] },
    ]);
  });

  it('expresses business hours in UTC month by month, since this API has no location', () => {
    expect(payments.muteTimeIntervals).toEqual([
      {
        name: 'business-hours',
        timeIntervals: [
          { weekdays: ['monday:friday'], times: [{ startTime: '08:00', endTime: '17:00' }], months: ['january:february', 'november:december'] },
          { weekdays: ['monday:friday'], times: [{ startTime: '07:00', endTime: '17:00' }], months: ['march', 'october'] },
          { weekdays: ['monday:friday'], times: [{ startTime: '07:00', endTime: '16:00' }], months: ['april:september'] },
        ],
      },
    ]);
  });

  it('has the inhibition rules of the plain config, with matchType', () => {
    expect(payments.inhibitRules).toEqual([
      { sourceMatch: [{ name: 'severity', value: 'critical', matchType: '=' }], targetMatch: [{ name: 'severity', value: 'high', matchType: '=' }], equal: ['service', 'slo'] },
      { sourceMatch: [{ name: 'severity', value: 'critical', matchType: '=' }], targetMatch: [{ name: 'severity', value: 'medium', matchType: '=' }], equal: ['service', 'slo'] },
      { sourceMatch: [{ name: 'severity', value: 'high', matchType: '=' }], targetMatch: [{ name: 'severity', value: 'medium', matchType: '=' }], equal: ['service', 'slo'] },
    ]);
  });

  it('writes the SMTP settings of e-mail receivers into the spec', () => {
    const platform = routingPlatform([service('orders', 'shop', { medium: 'mail' })]);
    expect(alertmanagerConfigSpec(platform, 'prod', 'shop').receivers?.find((r) => r.name === 'mail')).toEqual({
      name: 'mail',
      emailConfigs: [{ to: 'ops@example.com', smarthost: 'smtp.example.com:587', from: 'alertmanager@example.com', sendResolved: false }],
    });
  });

  it('routes nothing but the null receiver for a namespace without services', () => {
    const empty = alertmanagerConfigSpec(shop, 'prod', 'nobody');
    expect(empty.route?.routes).toEqual([]);
    expect(empty.receivers).toEqual([{ name: 'null' }]);
    expect(empty.muteTimeIntervals).toBeUndefined();
  });
});
