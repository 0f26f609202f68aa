import { writeFileSync } from 'fs';
import { join } from 'path';
import { RuleGroup, RuleTestFile, isAlertingRule, renderRuleFile, renderRuleTests, rightSizingRuleTests, serviceRuleGroups, serviceRuleTests } from '../../../lib/prometheus';
import { parseDuration } from '../../../lib/promql/duration';
import { resolveEnvironment } from '../../../lib/definition';
import { service } from '../../fixtures/definitions';
import { RULES_PLATFORM as platform, ruleService, rulesPlatform } from '../../fixtures/prometheus';
import { describeWithTool, runTool, scratchDir } from '../../support/tools';

const checkout = ruleService('checkout');
const groups = serviceRuleGroups(platform, checkout);
const file = rightSizingRuleTests(checkout, 'checkout.rules.yaml', groups)!;

describe('the right-sizing rule tests', () => {
  it('are a file of their own that evaluates every 5 minutes, as Prometheus evaluates the group, over the service rule file', () => {
    expect(file.rule_files).toEqual(['checkout.rules.yaml']);
    expect(file.evaluation_interval).toBe('5m');
    expect(file.group_eval_order).toEqual(groups.map((g) => g.name));
    for (const test of file.tests) for (const t of test.alert_rule_test) expect((parseDuration(t.eval_time) ?? 1) % 300).toBe(0);
    // The service's main test file has none of them.
    expect(serviceRuleTests(platform, checkout, 'checkout.rules.yaml', groups).tests.some((t) => t.name.includes('ServiceOverProvisioned'))).toBe(false);
  });

  it('test each resource of ServiceOverProvisioned before and after a day of usage, and ServiceMemoryNearLimit before and after its 15 minutes and below it', () => {
    expect(file.tests.map((t) => [t.name, t.alert_rule_test.map((a) => `${a.eval_time}: ${a.exp_alerts.map((e) => e.exp_labels.resource).join(',') || 'none'}`)])).toEqual([
      ['checkout ServiceOverProvisioned fires for CPU at half of request / 2, not for memory at 1.25 × request / 2, once a day of usage is recorded', ['1380m: none', '1510m: cpu']],
      ['checkout ServiceOverProvisioned fires for memory at half of request / 2, not for CPU at 1.25 × request / 2, once a day of usage is recorded', ['1380m: none', '1510m: memory']],
      ['checkout ServiceMemoryNearLimit fires once memory has held above 90% of the limit for 15m', ['10m: none', '20m: memory']],
      ['checkout ServiceMemoryNearLimit stays quiet at 90% of the 90% threshold', ['20m: none']],
    ]);
  });

  it('expect each alert with every label and annotation of its rule', () => {
    const rules = groups.flatMap((g) => g.rules).filter(isAlertingRule);
    for (const test of file.tests) {
      for (const expected of test.alert_rule_test.flatMap((a) => a.exp_alerts)) {
        const rule = rules.find((r) => r.alert === test.alert_rule_test[0].alertname && r.labels.resource === expected.exp_labels.resource);
        expect(expected).toEqual({ exp_labels: rule?.labels, exp_annotations: rule?.annotations });
      }
    }
  });

  it('feed the requests and limits of the definition to the series', () => {
    const series = file.tests[0].input_series.map((s) => `${s.series.replace(/\{.*resource="(\w+)".*\}/, ' $1')} ${s.values}`);
    expect(series).toEqual(
      expect.arrayContaining(['kube_pod_container_resource_requests cpu 0.5+0x1510', 'kube_pod_container_resource_limits cpu 2+0x1510', 'kube_pod_container_resource_requests memory 536870912+0x1510']),
    );
  });

  it('are none for a service whose right-sizing is off', () => {
    const p = rulesPlatform(service({ rightSizing: { enabled: false } }));
    const s = resolveEnvironment(p, 'checkout', 'prod');
    expect(rightSizingRuleTests(s, 'checkout.rules.yaml', serviceRuleGroups(p, s))).toBeUndefined();
  });
});

describeWithTool('promtool', 'the right-sizing rule tests under promtool', () => {
  const dir = scratchDir('right-sizing-tests');

  const run = (name: string, ruleGroups: readonly RuleGroup[], tests: RuleTestFile): { status: number; output: string } => {
    writeFileSync(join(dir(), `${name}.rules.yaml`), renderRuleFile(ruleGroups));
    writeFileSync(join(dir(), `${name}.test.yaml`), renderRuleTests({ ...tests, rule_files: [`${name}.rules.yaml`] }));
    return runTool('promtool', ['test', 'rules', `${name}.test.yaml`], dir());
  };
  /** The groups with every alert of `alert` given another expression. */
  const broken = (alert: string, change: (expr: string) => string): RuleGroup[] =>
    groups.map((g) => ({ ...g, rules: g.rules.map((r) => (isAlertingRule(r) && r.alert === alert ? { ...r, expr: change(r.expr) } : r)) }));
  /** The tests of the file whose name has `part`, alone. */
  const only = (part: string): RuleTestFile => ({ ...file, tests: file.tests.filter((t) => t.name.includes(part)) });

  it('pass for a factor, headroom and threshold of the service own', () => {
    const p = rulesPlatform(service({ resources: { requests: { cpu: '300m', memory: '300Mi' }, limits: { cpu: '1', memory: '600Mi' } }, rightSizing: { factor: 3, headroomPercent: 40, memoryNearLimitPercent: 80 } }));
    const s = resolveEnvironment(p, 'checkout', 'prod');
    const g = serviceRuleGroups(p, s);
    const result = run('own', g, rightSizingRuleTests(s, 'own.rules.yaml', g)!);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('fail when ServiceOverProvisioned does not wait for a day of usage', () => {
    const result = run('unguarded', broken('ServiceOverProvisioned', (e) => e.replace(/\nand on [^\n]*\n[^\n]* offset 1d$/, '')), only('fires for CPU'));
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('time: 23h');
    expect(result.output).toContain('alertname: ServiceOverProvisioned');
  });

  it('fail when ServiceOverProvisioned compares with the usage instead of factor × the usage', () => {
    const result = run('unfactored', broken('ServiceOverProvisioned', (e) => e.replace(/\n2 \* /, '\n')), only('fires for CPU'));
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('resource="memory"');
  });

  it('fail when ServiceMemoryNearLimit fires at a threshold other than the definition', () => {
    for (const threshold of ['0.99', '0.8']) {
      const result = run(`near-${threshold}`, broken('ServiceMemoryNearLimit', (e) => e.replace(/> 0\.9$/, `> ${threshold}`)), only('ServiceMemoryNearLimit'));
      expect(result.status).not.toBe(0);
      expect(result.output).toContain('alertname: ServiceMemoryNearLimit');
    }
  });
});
