import { parse } from 'yaml';
import { AlertingRule } from '../../../lib/prometheus';
import { RuleTestFile, at, constant, counterValues, expectedAlert, growing, renderRuleTests, sloNote, testedAlertNames } from '../../../lib/prometheus/rule-tests/test-file';

const rule: AlertingRule = { alert: 'ServiceDown', expr: 'up == 0', labels: { severity: 'critical', service: 'orders' }, annotations: { summary: 'orders is down' } };

describe('series values', () => {
  it('writes runs of equal increments of a counter in expanding notation', () => {
    expect(counterValues([0, 5, 5, 5, 2])).toBe('0 5+5x2 17');
    expect(counterValues([0, 100, 100, 80, 80])).toBe('0 100+100x1 280+80x1');
    expect(counterValues([0])).toBe('0');
  });

  it('writes constant and steadily growing series', () => {
    expect(constant(3, 30)).toBe('3+0x30');
    expect(growing(1.5, 30)).toBe('0+1.5x30');
    expect(at(66)).toBe('66m');
  });
});

describe('expectedAlert', () => {
  it('expects the series labels under the rule labels, and the annotations exactly', () => {
    expect(expectedAlert(rule, { pod: 'orders-1', severity: 'low' })).toEqual({
      exp_labels: { pod: 'orders-1', severity: 'critical', service: 'orders' },
      exp_annotations: { summary: 'orders is down' },
    });
    expect(expectedAlert(rule).exp_labels).toEqual(rule.labels);
  });
});

describe('renderRuleTests', () => {
  const file: RuleTestFile = {
    rule_files: ['orders.rules.yaml'],
    evaluation_interval: '1m',
    group_eval_order: ['orders-symptoms'],
    tests: [
      {
        name: 'orders ServiceDown fires',
        interval: '1m',
        input_series: [{ series: 'up{job="orders"}', values: constant(0, 30) }],
        alert_rule_test: [{ eval_time: at(5), alertname: 'ServiceDown', exp_alerts: [expectedAlert(rule)] }],
      },
      { name: 'quiet', interval: '1m', input_series: [], alert_rule_test: [{ eval_time: at(5), alertname: 'ServiceCpuSaturated', exp_alerts: [] }] },
    ],
  };

  it('writes YAML that reads back as the same file', () => {
    expect(parse(renderRuleTests(file))).toEqual(file);
  });

  it('lists each alert name a file checks once, sorted', () => {
    expect(testedAlertNames(file)).toEqual(['ServiceCpuSaturated', 'ServiceDown']);
  });
});

describe('sloNote', () => {
  it('names one SLO or several, and nothing without any', () => {
    expect(sloNote(['weekly'], 'reads the same series', 'read the same series')).toBe('; SLO weekly reads the same series');
    expect(sloNote(['a', 'b'], 'reads the same series', 'read the same series')).toBe('; SLOs a, b read the same series');
    expect(sloNote([], 'reads the same series', 'read the same series')).toBe('');
  });
});
