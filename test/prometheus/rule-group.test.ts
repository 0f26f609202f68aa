import { RuleGroup, alertNames, groupAlerts, isAlertingRule, ruleName } from '../../lib/prometheus/rule-group';

const groups: RuleGroup[] = [
  {
    name: 'orders-slo-availability',
    rules: [
      { record: 'slo:sli_error:ratio_rate5m', expr: 'vector(0)' },
      { alert: 'SloErrorBudgetBurn', expr: 'vector(1)', labels: { severity: 'critical' }, annotations: {} },
      { alert: 'SloErrorBudgetBurn', expr: 'vector(1)', labels: { severity: 'high' }, annotations: {} },
    ],
  },
  { name: 'orders-symptoms', rules: [{ alert: 'ServiceDown', expr: 'vector(1)', labels: {}, annotations: {} }] },
];

describe('rule groups', () => {
  it('tells alerting from recording rules and names each', () => {
    expect(groups[0].rules.map((r) => [isAlertingRule(r), ruleName(r)])).toEqual([
      [false, 'slo:sli_error:ratio_rate5m'],
      [true, 'SloErrorBudgetBurn'],
      [true, 'SloErrorBudgetBurn'],
    ]);
  });

  it('gives the alerting rules of one group in rule order, and none of a group that is not there', () => {
    expect(groupAlerts(groups, 'orders-slo-availability').map((r) => r.labels.severity)).toEqual(['critical', 'high']);
    expect(groupAlerts(groups, 'orders-latency')).toEqual([]);
  });

  it('lists the alert names of all groups once each, sorted', () => {
    expect(alertNames(groups)).toEqual(['ServiceDown', 'SloErrorBudgetBurn']);
  });
});
