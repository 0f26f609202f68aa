import { DefinitionError, EffectiveService, alertLinks, dashboardUid } from '../../lib/definition';
import { ERROR_LINE_FILTER, errorLogRate, parseLogql } from '../../lib/logql';
import { ERROR_LOG_BURST_ALERT, errorLogBurstAlert, logRuleGroupName, serviceLogRuleGroups } from '../../lib/loki';
import { serviceRuleGroups } from '../../lib/prometheus';
import { definitionErrorOf } from '../support/tools';
import { PANICS, PAYMENT_FAILURES, lokiPlatform, resolved } from './loki-fixtures';

const p = lokiPlatform({ contacts: { owners: ['alice@example.com'], escalation: ['payments-oncall', 'cto@example.com'] } });
const checkout = resolved(p);

describe('serviceLogRuleGroups', () => {
  const groups = serviceLogRuleGroups(p, checkout);

  it('gives a service with log alerts one group <service>-logs, a rule per alert in declared order', () => {
    expect(groups.map((g) => g.name)).toEqual(['checkout-logs']);
    expect(logRuleGroupName(checkout)).toBe('checkout-logs');
    expect(groups[0].rules.map((r) => [r.alert, r.expr, r.for])).toEqual([
      [PANICS.alert, PANICS.expr, '1m'],
      [PAYMENT_FAILURES.alert, PAYMENT_FAILURES.expr, '10m'],
    ]);
    expect(groups[0].interval).toBeUndefined();
  });

  it('gives a service without log alerts no group at all, in every environment', () => {
    for (const env of ['dev', 'staging', 'prod']) expect(serviceLogRuleGroups(p, resolved(p, 'notifier', env))).toEqual([]);
  });

  it("labels each alert with the severity, service, team and namespace, the label set of the service's Prometheus alerts", () => {
    expect(groups[0].rules.map((r) => r.labels)).toEqual([
      { namespace: 'payments', service: 'checkout', severity: 'high', team: 'payments' },
      { namespace: 'payments', service: 'checkout', severity: 'medium', team: 'payments' },
    ]);
    const down = serviceRuleGroups(p, checkout).flatMap((g) => g.rules).find((r) => 'alert' in r && r.alert === 'ServiceDown')!;
    expect(Object.keys(groups[0].rules[0].labels).sort()).toEqual(Object.keys(down.labels!).sort());
    expect({ ...groups[0].rules[0].labels, severity: down.labels!.severity }).toEqual(down.labels);
  });

  it('annotates each alert with its summary as written, a description quoting the query, and the links every alert carries', () => {
    const [panics, payments] = groups[0].rules;
    expect(panics.annotations).toEqual({
      summary: 'checkout panicked {{ $value }} times',
      description: `Log alert CheckoutPanics of checkout in payments: the Loki ruler has found this LogQL query true for 1m:\n${PANICS.expr}`,
      ...alertLinks(p, checkout, 'CheckoutPanics'),
    });
    expect(panics.annotations).toMatchObject({
      runbook_url: 'https://runbooks.example.com/shop/prod/services/checkout/alerts/checkout-panics.md',
      owners: 'alice@example.com',
      escalation: 'payments-oncall, cto@example.com',
    });
    expect(payments.annotations.description).toContain('true for 10m');
    expect(payments.annotations.runbook_url).toBe('https://runbooks.example.com/shop/prod/services/checkout/alerts/checkout-payment-failures.md');
  });

  it("links every alert to the service's dashboard in the alert's environment", () => {
    for (const env of ['dev', 'prod']) {
      const service = resolved(p, 'checkout', env);
      const url = serviceLogRuleGroups(p, service)[0].rules[0].annotations.dashboard_url;
      expect(url).toBe(`https://grafana.example.com/d/${dashboardUid(service)}?var-environment=${env}&var-namespace=payments`);
    }
  });

  it('leaves owners and escalation out when the definition names none', () => {
    const plain = lokiPlatform();
    const annotations = serviceLogRuleGroups(plain, resolved(plain))[0].rules[0].annotations;
    expect(Object.keys(annotations).sort()).toEqual(['dashboard_url', 'description', 'runbook_url', 'summary']);
  });

  it('appends additional alerts after the declared ones, with the same labels and links', () => {
    const extra = { alert: 'CheckoutTimeouts', expr: 'sum(rate({app="checkout"} |= "timeout" [5m])) > 1', for: '5m', severity: 'low' as const, summary: 'timeouts' };
    const [group] = serviceLogRuleGroups(p, checkout, { additionalAlerts: [extra] });
    expect(group.rules.map((r) => r.alert)).toEqual(['CheckoutPanics', 'CheckoutPaymentFailures', 'CheckoutTimeouts']);
    expect(group.rules[2].labels.severity).toBe('low');
    expect(group.rules[2].annotations.runbook_url).toBe('https://runbooks.example.com/shop/prod/services/checkout/alerts/checkout-timeouts.md');
    expect(serviceLogRuleGroups(p, resolved(p, 'notifier'), { additionalAlerts: [extra] }).map((g) => g.name)).toEqual(['notifier-logs']);
  });

  it('returns the same groups for the same definition', () => {
    expect(JSON.stringify(serviceLogRuleGroups(lokiPlatform(), resolved(lokiPlatform())))).toBe(JSON.stringify(serviceLogRuleGroups(lokiPlatform(), resolved(lokiPlatform()))));
  });

  describe('parses every query again at synthesis', () => {
    // A service that bypassed defineService: the check must still name the service, the alert and the query.
    const handBuilt = (expr: string, extra: Partial<EffectiveService> = {}): EffectiveService => ({
      ...checkout,
      logAlerts: [{ ...checkout.logAlerts[0], expr }],
      ...extra,
    });

    it('fails on a query that does not parse, naming the service, the alert, the offset and the query', () => {
      const message = definitionErrorOf(() => serviceLogRuleGroups(p, handBuilt('sum(rate({app="checkout"}[5m])')));
      expect(message).toBe(
        'Invalid Loki rules of service "checkout" in prod (1 problem):\n' +
          '  - checkout.logAlerts[0].expr: must be valid LogQL for alert CheckoutPanics: unexpected end of query at offset 30 (got "sum(rate({app=\\"checkout\\"}[5m])")',
      );
    });

    it('fails on a log query, which returns lines instead of series to alert on', () => {
      const message = definitionErrorOf(() => serviceLogRuleGroups(p, handBuilt('{app="checkout"} |= "panic"')));
      expect(message).toContain('checkout.logAlerts[0].expr: must be a LogQL metric query for alert CheckoutPanics');
    });

    it('fails on a `for` that is not a Prometheus duration', () => {
      const service = { ...checkout, logAlerts: [{ ...checkout.logAlerts[0], for: '5 minutes' }] };
      expect(definitionErrorOf(() => serviceLogRuleGroups(p, service))).toContain('checkout.logAlerts[0].for: must be a Prometheus duration such as 30s, 5m or 1h30m (got "5 minutes")');
    });

    it('fails on an additional alert named like a declared one, and prefixes every problem with the scope', () => {
      const message = definitionErrorOf(() => serviceLogRuleGroups(p, checkout, { scope: 'prod/checkout', additionalAlerts: [{ ...checkout.logAlerts[0], expr: 'nope' }] }));
      expect(message).toContain('  - [prod/checkout] additionalAlerts[0].expr: must be valid LogQL for alert CheckoutPanics');
      expect(message).toContain('  - [prod/checkout] additionalAlerts[0].alert: duplicates checkout.logAlerts[0].alert: log alert names must be unique in a service (each has its own runbook) (got "CheckoutPanics")');
      expect(message).toMatch(/\(2 problems\)/);
    });
  });
});

describe('errorLogBurstAlert', () => {
  it('alerts on the dashboard error-log rate of the service above the threshold, by default over 5m for 1m at medium severity', () => {
    const alert = errorLogBurstAlert(p, checkout, { threshold: 2.5 });
    expect(alert).toEqual({
      alert: ERROR_LOG_BURST_ALERT,
      expr: `${errorLogRate(p.loki!.labels, checkout, '5m')} > 2.5`,
      for: '1m',
      severity: 'medium',
      summary: 'checkout: more than 2.5 error log lines per second over 5m',
    });
    expect(alert.alert).toBe('ServiceErrorLogBurst');
    expect(alert.expr).toContain(`{namespace="payments", app="checkout"} ${ERROR_LINE_FILTER} [5m]`);
    expect(parseLogql(alert.expr)).toEqual({ problems: [], kind: 'metric' });
  });

  it("selects the streams by the platform's own Loki labels", () => {
    const custom = lokiPlatform({}, { loki: { datasource: 'loki', namespaceLabel: 'k8s_namespace', appLabel: 'service_name' } });
    expect(errorLogBurstAlert(custom, resolved(custom), { threshold: 1 }).expr).toContain('{k8s_namespace="payments", service_name="checkout"}');
  });

  it('takes the window, for, severity and name when given', () => {
    const alert = errorLogBurstAlert(p, checkout, { threshold: 10, window: '15m', for: '10m', severity: 'critical', alert: 'CheckoutErrorStorm' });
    expect(alert).toMatchObject({ alert: 'CheckoutErrorStorm', for: '10m', severity: 'critical', summary: 'checkout: more than 10 error log lines per second over 15m' });
    expect(alert.expr).toContain('[15m]');
  });

  it('becomes a rule with the service labels and the runbook of its name, not enabled unless added', () => {
    expect(serviceLogRuleGroups(p, checkout)[0].rules.map((r) => r.alert)).not.toContain(ERROR_LOG_BURST_ALERT);
    const [group] = serviceLogRuleGroups(p, checkout, { additionalAlerts: [errorLogBurstAlert(p, checkout, { threshold: 1 })] });
    const burst = group.rules.find((r) => r.alert === ERROR_LOG_BURST_ALERT)!;
    expect(burst.labels).toEqual({ namespace: 'payments', service: 'checkout', severity: 'medium', team: 'payments' });
    expect(burst.annotations.runbook_url).toBe('https://runbooks.example.com/shop/prod/services/checkout/alerts/service-error-log-burst.md');
  });

  it('fails without a Loki on the platform', () => {
    const noLoki = lokiPlatform({}, { loki: undefined });
    expect(definitionErrorOf(() => errorLogBurstAlert(noLoki, resolved(noLoki), { threshold: 1 }))).toBe(
      'Invalid error-log burst alert of service "checkout" (1 problem):\n' +
        "  - shop.loki: must be set: the burst alert selects the service's streams by the platform's Loki labels (got undefined)",
    );
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('fails on a threshold of %p', (threshold) => {
    expect(definitionErrorOf(() => errorLogBurstAlert(p, checkout, { threshold }))).toContain('errorLogBurstAlert.threshold: must be a number of error lines per second above 0');
  });

  it('fails on a bad window, for and severity, all in one error', () => {
    const error = (() => {
      try {
        errorLogBurstAlert(p, checkout, { threshold: 1, window: '5 min', for: '-1m', severity: 'page' as never });
      } catch (e) {
        return e as DefinitionError;
      }
      throw new Error('expected a DefinitionError');
    })();
    expect(error).toBeInstanceOf(DefinitionError);
    expect(error.issues.map((i) => i.path)).toEqual(['errorLogBurstAlert.window', 'errorLogBurstAlert.for', 'errorLogBurstAlert.severity']);
    expect(error.message).toContain('errorLogBurstAlert.severity: must be one of critical, high, medium, low (got "page")');
  });
});
