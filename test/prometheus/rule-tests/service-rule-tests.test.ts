import { effectiveServices } from '../../../lib/definition';
import { rightSizingRuleTests, serviceRuleTests, testedAlertNames } from '../../../lib/prometheus';
import { sloTestGroups } from '../../../lib/prometheus/rule-tests/slo-scenarios';
import { symptomTestGroups } from '../../../lib/prometheus/rule-tests/symptom-cases';
import { RULES_PLATFORM, ruleGroupsOf, ruleService, ruleTestNamed, ruleTestsOf } from '../../fixtures/prometheus';

const checkout = ruleService('checkout');
const file = ruleTestsOf(checkout);

describe('serviceRuleTests', () => {
  it('names the rule file and evaluates every minute in the order of the groups it is given', () => {
    expect(file.rule_files).toEqual(['checkout.rules.yaml']);
    expect(file.evaluation_interval).toBe('1m');
    expect(file.group_eval_order).toEqual(['checkout-slo-availability', 'checkout-slo-latency', 'checkout-symptoms', 'checkout-right-sizing']);
    const reversed = [...ruleGroupsOf(checkout)].reverse();
    expect(serviceRuleTests(RULES_PLATFORM, checkout, 'x', reversed).group_eval_order).toEqual(reversed.map((g) => g.name));
  });

  it('holds the tests of every SLO in definition order, then those of the symptom alerts', () => {
    const groups = ruleGroupsOf(checkout);
    expect(file.tests).toEqual([...checkout.slos.flatMap((slo) => sloTestGroups(groups, checkout, slo)), ...symptomTestGroups(groups, checkout)]);
  });

  it('tests every alert of every service and environment, the right-sizing alerts in a file of their own', () => {
    for (const s of effectiveServices(RULES_PLATFORM)) {
      const groups = ruleGroupsOf(s);
      const alerts = [...new Set(groups.flatMap((g) => g.rules.flatMap((r) => ('alert' in r ? [r.alert] : []))))].sort();
      const rightSizing = rightSizingRuleTests(s, 'x', groups);
      const tested = [...testedAlertNames(serviceRuleTests(RULES_PLATFORM, s, 'x', groups)), ...(rightSizing === undefined ? [] : testedAlertNames(rightSizing))];
      expect(tested.sort()).toEqual(alerts);
    }
  });

  it('tests nothing of groups it is not given', () => {
    const symptomsOnly = ruleGroupsOf(checkout).filter((g) => g.name === 'checkout-symptoms');
    const tests = serviceRuleTests(RULES_PLATFORM, checkout, 'x', symptomsOnly).tests;
    expect(tests.length).toBeGreaterThan(0);
    expect(tests.filter((t) => t.name.includes(' SLO '))).toEqual([]);
  });

  it('synthesizes the counters of a custom SLO', () => {
    const healthy = ruleTestNamed(ruleTestsOf(ruleService('notifier')), 'delivery: healthy');
    expect(healthy.input_series.map((s) => s.series)).toEqual(['notifier_emails_attempted_total{job="notifier", namespace="payments"}', 'notifier_emails_sent_total{job="notifier", namespace="payments"}']);
  });
});
