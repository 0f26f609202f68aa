import { platform } from '../../apps/platform';
import {
  AlertRuleTest,
  alertNames,
  counterValues,
  increments,
  serviceRuleGroups,
  serviceRuleTests,
  simulateBurnAlerts,
  sloScenarios,
  untestableSlos,
} from '../../lib/prometheus';
import { EffectiveService, Slo, effectiveServices, resolveEnvironment } from '../../lib/definition';

const service = (name: string, env = 'prod'): EffectiveService => resolveEnvironment(platform, platform.services.find((s) => s.name === name)!, env);
const slo = (s: EffectiveService, name: string): Slo => s.slos.find((x) => x.name === name)!;
const checkout = service('checkout');
const file = serviceRuleTests(platform, checkout, 'checkout.rules.yaml');
const test = (fragment: string): readonly AlertRuleTest[] => file.tests.find((t) => t.name.includes(fragment))!.alert_rule_test;
const severities = (t: AlertRuleTest): string[] => t.exp_alerts.map((a) => a.exp_labels.severity);

describe('counterValues', () => {
  it('writes runs of equal increments in expanding notation', () => {
    expect(counterValues([0, 5, 5, 5, 2])).toBe('0 5+5x2 17');
    expect(counterValues([0, 100, 100, 80, 80])).toBe('0 100+100x1 280+80x1');
  });
});

describe('burn simulation', () => {
  const availability = slo(checkout, 'availability');

  it('pages for 20% errors after 60 healthy minutes at minute 66: the 1h ratio exceeds 0.0144 after 5 minutes, then for 1m', () => {
    // After k burning minutes the 1h ratio is 0.2 × k / 60, above 0.0144 from k = 5 (minute 65).
    const fires = simulateBurnAlerts(availability, increments(sloScenarios(availability).fastBurn));
    expect(fires[65]).toEqual([]);
    expect(fires[66]).toEqual([0]);
  });

  it('lets only the 3d tier fire at 1.5 × the budget, once the 3d request rate passes the guard', () => {
    // 10000 requests a minute reach 1 req/s over 3d after 26 minutes; then for 1h12m: minute 98.
    const fires = simulateBurnAlerts(availability, increments(sloScenarios(availability).slowBurn));
    expect(fires[97]).toEqual([]);
    expect(fires[98]).toEqual([3]);
    expect(fires.every((tiers) => tiers.every((i) => i === 3))).toBe(true);
  });

  it('would page on the low-traffic blip without the guard', () => {
    const inc = increments(sloScenarios(availability).lowTraffic);
    expect(simulateBurnAlerts(availability, inc).some((t) => t.length > 0)).toBe(false);
    expect(simulateBurnAlerts(availability, inc, { withoutGuard: true }).some((t) => t.includes(0))).toBe(true);
  });
});

describe('serviceRuleTests', () => {
  it('names the rule file and evaluates every minute in rule-file group order', () => {
    expect(file.rule_files).toEqual(['checkout.rules.yaml']);
    expect(file.evaluation_interval).toBe('1m');
    expect(file.group_eval_order).toEqual(serviceRuleGroups(platform, checkout).map((g) => g.name));
  });

  it('expects the critical page of a fast availability burn at minute 66 and not a minute earlier', () => {
    const [before, page] = test('availability: a fast burn');
    expect([before.eval_time, severities(before)]).toEqual(['65m', []]);
    expect([page.eval_time, severities(page)]).toEqual(['66m', ['critical']]);
    expect(page.exp_alerts[0]).toEqual({
      exp_labels: { long_window: '1h', namespace: 'payments', service: 'checkout', severity: 'critical', slo: 'availability', slo_kind: 'availability', team: 'payments' },
      exp_annotations: expect.objectContaining({ runbook_url: 'https://runbooks.example.com/shop/checkout/slo-error-budget-burn' }),
    });
  });

  it('expects a slow burn to open tickets only, for every SLO of the example platform', () => {
    for (const s of effectiveServices(platform)) {
      const slow = serviceRuleTests(platform, s, 'x').tests.filter((t) => t.name.includes('slow burn'));
      expect(slow).toHaveLength(s.slos.length);
      for (const t of slow) {
        const burns = t.alert_rule_test.filter((a) => a.alertname === 'SloErrorBudgetBurn');
        expect(burns.some((a) => a.exp_alerts.length > 0)).toBe(true);
        expect(burns.flatMap(severities).every((sev) => sev === 'medium')).toBe(true);
      }
    }
  });

  it('expects nothing from healthy traffic and from a low-traffic blip', () => {
    expect(test('availability: healthy').every((a) => a.exp_alerts.length === 0)).toBe(true);
    expect(test('availability: a failure blip').every((a) => a.exp_alerts.length === 0)).toBe(true);
    expect(file.tests.filter((t) => t.name.includes('blip'))).toHaveLength(1); // only the guarded SLO
  });

  it('has a firing and a quiet case for every symptom alert of every service', () => {
    for (const s of effectiveServices(platform)) {
      const tests = serviceRuleTests(platform, s, 'x').tests;
      const symptoms = alertNames(serviceRuleGroups(platform, s)).filter((n) => n.startsWith('Service'));
      for (const name of symptoms) {
        const cases = tests.filter((t) => t.alert_rule_test.some((a) => a.alertname === name));
        expect(cases.filter((t) => t.alert_rule_test.every((a) => a.exp_alerts.length > 0)).length).toBeGreaterThanOrEqual(1);
        expect(cases.filter((t) => t.alert_rule_test.every((a) => a.exp_alerts.length === 0)).length).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('synthesizes series for every SLO of the example platform, custom ones included', () => {
    expect(effectiveServices(platform).flatMap(untestableSlos)).toEqual([]);
    const notifier = serviceRuleTests(platform, service('notifier'), 'x');
    const series = notifier.tests.find((t) => t.name.includes('delivery: healthy'))!.input_series.map((s) => s.series);
    expect(series).toEqual(['notifier_emails_attempted_total{job="notifier", namespace="payments"}', 'notifier_emails_sent_total{job="notifier", namespace="payments"}']);
  });
});
