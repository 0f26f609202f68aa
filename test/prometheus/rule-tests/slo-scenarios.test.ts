import { EffectiveService, SloInput, effectiveServices, resolveEnvironment } from '../../../lib/definition';
import { AlertRuleTest, RuleGroup } from '../../../lib/prometheus';
import { fastBurnRatio, sloScenarios, sloTestGroups } from '../../../lib/prometheus/rule-tests/slo-scenarios';
import { availability, service } from '../../fixtures/definitions';
import { RULES_PLATFORM, ruleGroupsOf, ruleService, rulesPlatform } from '../../fixtures/prometheus';
import { SHARED_PLATFORM, sharedService } from '../shared-series';
import { serviceRuleGroups } from '../../../lib/prometheus';

const checkout = ruleService('checkout');
const testsOf = (s: EffectiveService, name: string) => sloTestGroups(ruleGroupsOf(s), s, s.slos.find((x) => x.name === name)!);
const severities = (t: AlertRuleTest): string[] => t.exp_alerts.map((a) => a.exp_labels.severity);
const burns = (tests: readonly AlertRuleTest[]) => tests.filter((a) => a.alertname === 'SloErrorBudgetBurn');
const scenario = (s: EffectiveService, slo: string, fragment: string) => {
  const found = testsOf(s, slo).filter((t) => t.name.includes(fragment));
  if (found.length !== 1) throw new Error(`expected one ${slo} scenario like "${fragment}", found ${found.map((t) => t.name).join(', ') || 'none'}`);
  return found[0];
};

function withSlo(slo: SloInput): EffectiveService {
  return resolveEnvironment(rulesPlatform(service({ slos: [slo] })), 'checkout', 'prod');
}

describe('sloScenarios', () => {
  it('burns fast after an hour of healthy traffic, slowly at 1.5 × the budget, and blips at half the guard rate', () => {
    const slo = checkout.slos[0];
    const scenarios = sloScenarios(slo);
    expect(scenarios.fastBurn).toEqual([
      { minutes: 60, perMinute: 10000, errorRatio: 0 },
      { minutes: 360, perMinute: 10000, errorRatio: 0.2 },
    ]);
    expect(scenarios.slowBurn[0].errorRatio).toBeCloseTo(0.0015, 12);
    expect(scenarios.healthy[0].errorRatio).toBeCloseTo(0.0001, 12);
    // A guard of 1 request/s is 60 a minute: the blip runs at 30.
    expect(scenarios.lowTraffic.map((s) => [s.perMinute, s.errorRatio])).toEqual([
      [30, 0],
      [30, 1],
    ]);
  });

  it('raises the fast-burn ratio above 1.5 × the highest threshold', () => {
    expect(fastBurnRatio(checkout.slos[0])).toBe(0.2); // 1.5 × 0.0144
    expect(fastBurnRatio(checkout.slos[1])).toBe(0.5); // 1.5 × 0.144 = 0.216
    expect(fastBurnRatio(withSlo(availability({ objective: 95 })).slos[0])).toBe(1); // 1.5 × 0.72
  });
});

describe('sloTestGroups', () => {
  it('expects the critical page of a fast availability burn at minute 66 and not a minute earlier', () => {
    const [before, page] = scenario(checkout, 'availability', 'a fast burn').alert_rule_test;
    expect([before.eval_time, severities(before)]).toEqual(['65m', []]);
    expect([page.eval_time, severities(page)]).toEqual(['66m', ['critical']]);
    expect(page.exp_alerts[0]).toEqual({
      exp_labels: { long_window: '1h', namespace: 'payments', service: 'checkout', severity: 'critical', slo: 'availability', slo_kind: 'availability', team: 'payments' },
      exp_annotations: expect.objectContaining({ runbook_url: 'https://runbooks.example.com/shop/prod/services/checkout/alerts/slo-error-budget-burn.md' }),
    });
  });

  it('feeds the fast burn up to the page and checks the recorded 5m ratio there', () => {
    const fast = scenario(checkout, 'availability', 'a fast burn');
    expect(fast.name).toBe('checkout SLO availability: a fast burn (20% bad) pages at minute 66');
    expect(fast.input_series.map((s) => s.values.split(' ').length)).toEqual([3, 3]); // 0, a run to minute 60, a run to minute 66
    expect(fast.promql_expr_test).toEqual([
      { expr: 'round(slo:sli_error:ratio_rate5m{service="checkout", slo="availability"} * 1000000)', eval_time: '66m', exp_samples: [{ labels: '{service="checkout", slo="availability", slo_kind="availability"}', value: 200000 }] },
    ]);
  });

  it('expects a slow burn to open tickets only and the low-budget alert, for every SLO of the test platform', () => {
    for (const s of effectiveServices(RULES_PLATFORM)) {
      for (const slo of s.slos) {
        const slow = scenario(s, slo.name, 'slow burn').alert_rule_test;
        expect(burns(slow).some((a) => a.exp_alerts.length > 0)).toBe(true);
        expect(burns(slow).flatMap(severities).every((sev) => sev === 'medium')).toBe(true);
        expect(slow.filter((a) => a.alertname === 'SloErrorBudgetLow').length).toBeGreaterThan(0);
      }
    }
  });

  it('checks the slow burn a minute before the first ticket, at it, and half an hour later', () => {
    const times = scenario(checkout, 'availability', 'slow burn').alert_rule_test.filter((a) => a.alertname === 'SloErrorBudgetBurn').map((a) => [a.eval_time, severities(a)]);
    expect(times).toEqual([
      ['97m', []],
      ['98m', ['medium']],
      ['128m', ['medium']],
    ]);
  });

  it('expects nothing from healthy traffic, and nothing from a blip at low traffic', () => {
    expect(scenario(checkout, 'availability', 'healthy').alert_rule_test.every((a) => a.exp_alerts.length === 0)).toBe(true);
    const blip = scenario(checkout, 'availability', 'a failure blip');
    expect(blip.alert_rule_test.every((a) => a.exp_alerts.length === 0)).toBe(true);
    expect(blip.promql_expr_test?.[0].expr).toBe('round(slo:requests:rate1h{service="checkout", slo="availability"} * 1000000)');
  });

  it('tests a low-traffic blip only for an SLO with a guard', () => {
    expect(testsOf(checkout, 'latency').filter((t) => t.name.includes('blip'))).toEqual([]);
    expect(testsOf(checkout, 'availability').map((t) => t.name.replace(/ \(.*$/, ''))).toEqual([
      'checkout SLO availability: a fast burn',
      'checkout SLO availability: a slow burn',
      'checkout SLO availability: healthy traffic',
      'checkout SLO availability: a failure blip at low traffic does not page',
    ]);
  });

  it('tests only healthy traffic for an SLO without burn-rate tiers', () => {
    const s = withSlo(availability({ burnRateTiers: [] }));
    expect(testsOf(s, 'availability').map((t) => t.name)).toEqual(['checkout SLO availability: healthy traffic (0.1 × budget) fires nothing']);
  });

  it('gives no tests for an SLO whose counters cannot be synthesized, or whose group lacks the low-budget alert', () => {
    const s = withSlo({ kind: 'custom', name: 'jobs', objective: 99, goodQuery: 'sum(rate(a_total[{{window}}])) / 2', totalQuery: 'sum(rate(b_total[{{window}}]))' });
    expect(testsOf(s, 'jobs')).toEqual([]);
    const groups: RuleGroup[] = ruleGroupsOf(checkout).map((g) => ({ ...g, rules: g.rules.filter((r) => !('alert' in r) || r.alert !== 'SloErrorBudgetLow') }));
    expect(sloTestGroups(groups, checkout, checkout.slos[0])).toEqual([]);
  });

  it('expects the alerts of the groups it is given, not of rules it builds itself', () => {
    const groups = ruleGroupsOf(checkout).map((g) => ({
      ...g,
      rules: g.rules.map((r) => ('alert' in r ? { ...r, annotations: { ...r.annotations, summary: 'given' } } : r)),
    }));
    const fast = sloTestGroups(groups, checkout, checkout.slos[0])[0];
    expect(fast.alert_rule_test[1].exp_alerts[0].exp_annotations.summary).toBe('given');
  });
});

describe('sloTestGroups of SLOs that read the same series', () => {
  const twice = sharedService('twice');
  const sharedTests = (s: EffectiveService, name: string) => sloTestGroups(serviceRuleGroups(SHARED_PLATFORM, s), s, s.slos.find((x) => x.name === name)!);
  const sharedScenario = (s: EffectiveService, slo: string, fragment: string) => sharedTests(s, slo).find((t) => t.name.includes(fragment))!;
  const alertsOf = (t: AlertRuleTest) => t.exp_alerts.map((a) => `${a.exp_labels.slo} ${a.exp_labels.severity}`).sort();

  it('expects at each evaluation time the alerts of every SLO over the same requests, and says so in the test name', () => {
    const fast = sharedScenario(twice, 'weekly', 'a fast burn');
    expect(fast.name).toBe('twice SLO weekly: a fast burn (20% bad) pages at minute 72; SLO availability reads the same series');
    const [before, page] = burns(fast.alert_rule_test);
    // 20% errors page the 99.9% SLO minutes before the 99% one, whose page comes at minute 72.
    expect(alertsOf(before)).toEqual(['availability critical', 'availability high', 'weekly high']);
    expect(alertsOf(page)).toEqual(['availability critical', 'availability high', 'weekly critical', 'weekly high']);
  });

  it('still expects no page of the SLO under test in its slow burn, while the stricter SLO pages on the same traffic', () => {
    const slow = sharedScenario(twice, 'weekly', 'a slow burn').alert_rule_test;
    const severities = burns(slow).flatMap(alertsOf);
    expect(severities).toContain('availability critical');
    expect(severities.filter((a) => a.startsWith('weekly ')).length).toBeGreaterThan(0);
    expect(severities).not.toContain('weekly critical');
    expect(slow.filter((a) => a.alertname === 'SloErrorBudgetLow').flatMap(alertsOf)).toContain('availability low');
  });

  it('labels the expected alerts of each SLO with that SLO and its kind', () => {
    const page = burns(sharedScenario(twice, 'weekly', 'a fast burn').alert_rule_test)[1];
    expect(page.exp_alerts.map((a) => [a.exp_labels.slo, a.exp_labels.slo_kind, a.exp_annotations.runbook_url])).toContainEqual([
      'availability',
      'availability',
      'https://runbooks.example.com/shop/prod/services/twice/alerts/slo-error-budget-burn.md',
    ]);
  });

  it('expects the pages of an availability SLO that counts the latency histogram as failed, in every latency scenario', () => {
    const histogram = sharedService('histogram');
    const healthy = sharedScenario(histogram, 'latency', 'healthy');
    expect(healthy.name).toContain('; SLO availability reads the same series');
    expect(healthy.alert_rule_test.flatMap(alertsOf).every((a) => a.startsWith('availability '))).toBe(true);
    expect(burns(healthy.alert_rule_test).flatMap(alertsOf)).toContain('availability critical');
    // The latency SLO finds no bucket among the availability SLO's counters: its scenarios name no other SLO.
    expect(sharedTests(histogram, 'availability').filter((t) => t.name.includes('same series'))).toEqual([]);
  });

  it('names no other SLO in the tests of SLOs that read series of their own', () => {
    for (const s of effectiveServices(RULES_PLATFORM)) {
      expect(s.slos.flatMap((x) => testsOf(s, x.name)).filter((t) => t.name.includes('same series'))).toEqual([]);
    }
  });

  it('scales the traffic of a scenario by a percent where another SLO would sit on a threshold, and no other scenario', () => {
    // A 0.2% budget is left at exactly 25% by 1.5 × 0.1% errors: Prometheus could go either way.
    const s = resolveEnvironment(rulesPlatform(service({ slos: [availability(), availability({ name: 'half', objective: 99.8 })] })), 'checkout', 'prod');
    const tests = sloTestGroups(ruleGroupsOf(s), s, s.slos[0]).map((t) => t.name);
    expect(tests).toContain('checkout SLO availability: a slow burn (1.485 × budget) opens a ticket, never a page; SLO half reads the same series');
    expect(tests).toContain('checkout SLO availability: a fast burn (20% bad) pages at minute 66; SLO half reads the same series');
    expect(tests).toContain('checkout SLO availability: healthy traffic (0.1 × budget) fires nothing; SLO half reads the same series');
  });

  it('labels the alerts and recorded series of a custom SLO with the labels its sums keep', () => {
    const s = withSlo({ kind: 'custom', name: 'jobs', objective: 99, goodQuery: 'sum by (job) (rate(jobs_done_total[{{window}}]))', totalQuery: 'sum by (job) (rate(jobs_total[{{window}}]))' });
    const fast = scenario(s, 'jobs', 'a fast burn');
    expect(fast.promql_expr_test?.[0].exp_samples[0].labels).toBe('{job="checkout", service="checkout", slo="jobs", slo_kind="custom"}');
    expect(burns(fast.alert_rule_test)[1].exp_alerts[0].exp_labels).toMatchObject({ job: 'checkout', slo: 'jobs', severity: 'critical' });
  });
});
