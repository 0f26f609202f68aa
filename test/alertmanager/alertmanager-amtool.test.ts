import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { shop } from '../fixtures/shop';
import { renderAlertmanagerYaml } from '../../lib/alertmanager';
import { describeWithTool, runTool } from '../support/tools';
import { routingPlatform, service } from '../fixtures/alertmanager';

/**
 * Proof with the real tool (Alertmanager 0.25's amtool): every environment's file passes
 * `amtool check-config`, and `amtool config routes test` resolves each severity to the
 * receivers of the policy.
 *
 * amtool does not evaluate time intervals: for `high` it lists both the business-hours pager
 * and the after-hours chat receiver (the first route has `continue: true`). At run time the
 * `active_time_intervals` / `mute_time_intervals` of those routes let exactly one of them notify;
 * that split is asserted on the generated config in alertmanager.test.ts.
 *
 * The secret files the config references need not exist for amtool 0.25 (it checks only the
 * syntax of `routing_key_file` and `api_url_file`), so none are written.
 */
describeWithTool('amtool', 'alertmanager.yml with amtool', () => {
  let dir: string;
  const file = (environment: string): string => path.join(dir, environment, 'alertmanager.yml');

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alertmanager-'));
    for (const environment of ['dev', 'staging', 'prod']) {
      fs.mkdirSync(path.join(dir, environment));
      fs.writeFileSync(file(environment), renderAlertmanagerYaml(shop, environment));
    }
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The receivers amtool resolves for an alert with the given labels. */
  function receivers(environment: string, labels: Readonly<Record<string, string>>): string {
    const args = ['config', 'routes', 'test', `--config.file=${file(environment)}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)];
    const result = runTool('amtool', args);
    expect(result.status).toBe(0);
    // amtool prints the receivers on one line; it also warns that the file overrides the URL flag.
    return result.output
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('Warning:'))
      .join('\n');
  }

  it.each(['dev', 'staging', 'prod'])('accepts the %s configuration', (environment) => {
    const result = runTool('amtool', ['check-config', file(environment)]);
    expect(result.output).toContain('SUCCESS');
    expect(result.output).toContain('3 inhibit rules');
    expect(result.status).toBe(0);
  });

  it.each([
    ['checkout', 'payments-pager', 'payments-pager,payments-chat', 'platform-tickets'],
    ['notifier', 'payments-pager', 'payments-pager,payments-chat', 'platform-tickets'],
    ['catalog', 'merch-pager', 'merch-pager,merch-chat', 'merch-tickets'],
  ])('routes the alerts of %s in prod by severity', (service, critical, high, medium) => {
    const base = { service, alertname: 'ErrorBudgetBurn', slo: 'availability', team: 'any' };
    expect(receivers('prod', { ...base, severity: 'critical' })).toBe(critical);
    expect(receivers('prod', { ...base, severity: 'high' })).toBe(high);
    expect(receivers('prod', { ...base, severity: 'medium' })).toBe(medium);
    expect(receivers('prod', { ...base, severity: 'low' })).toBe('null');
  });

  it('applies environment overrides: critical alerts of checkout go to chat in dev', () => {
    expect(receivers('dev', { service: 'checkout', severity: 'critical', alertname: 'X' })).toBe('payments-chat');
    expect(receivers('staging', { service: 'checkout', severity: 'critical', alertname: 'X' })).toBe('payments-chat');
  });

  it('sends alerts of unknown services or without severity to the null receiver', () => {
    expect(receivers('prod', { service: 'unknown', severity: 'critical', alertname: 'X' })).toBe('null');
    expect(receivers('prod', { service: 'checkout', alertname: 'X' })).toBe('null');
  });

  it('accepts e-mail receivers with SMTP settings and routes without business hours', () => {
    const platform = routingPlatform([service('orders', 'shop', { medium: 'mail' })], { defaultAlertRouting: { critical: 'pager', high: 'none', medium: 'tickets', low: 'none' } });
    const other = path.join(dir, 'email.yml');
    fs.writeFileSync(other, renderAlertmanagerYaml(platform, 'prod'));
    const result = runTool('amtool', ['check-config', other]);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
    const routed = runTool('amtool', ['config', 'routes', 'test', `--config.file=${other}`, 'service=orders', 'severity=medium']);
    expect(routed.output).toContain('mail');
    expect(runTool('amtool', ['config', 'routes', 'test', `--config.file=${other}`, 'service=orders', 'severity=high']).output).toMatch(/^null$/m);
  });

  it('fails the routing check when the expected receivers differ', () => {
    const result = runTool('amtool', ['config', 'routes', 'test', `--config.file=${file('prod')}`, '--verify.receivers=platform-tickets', 'service=checkout', 'severity=critical']);
    expect(result.output).toContain('Expected receivers did not match resolved receivers');
    expect(result.status).not.toBe(0);
  });

  it('rejects a broken configuration: an unknown time zone', () => {
    const broken = path.join(dir, 'broken.yml');
    fs.writeFileSync(broken, renderAlertmanagerYaml(shop, 'prod').replace('location: Europe/Berlin', 'location: Mars/Olympus'));
    const result = runTool('amtool', ['check-config', broken]);
    expect(result.output).toContain('FAILED: unknown time zone Mars/Olympus');
    expect(result.status).not.toBe(0);
  });

  it('rejects a broken configuration: a route to an undefined receiver', () => {
    const broken = path.join(dir, 'undefined-receiver.yml');
    fs.writeFileSync(broken, renderAlertmanagerYaml(shop, 'prod').replace('receiver: merch-tickets', 'receiver: nowhere'));
    const result = runTool('amtool', ['check-config', broken]);
    expect(result.output).toContain('undefined receiver "nowhere"');
    expect(result.status).not.toBe(0);
  });
});
