import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { RuleTestFile, renderRuleFile, renderRuleTests, serviceRuleGroups, serviceRuleTests } from '../../lib/prometheus';
import { effectiveServices } from '../../lib/definition';
import { availability, service } from '../fixtures/definitions';
import { RULES_PLATFORM as platform, ruleService, ruleTestNamed, rulesPlatform } from '../fixtures/prometheus';
import { testPlatform } from '../fixtures/services';
import { synthesizePlatform } from '../../lib/synth';
import { describeWithTool, runTool } from '../support/tools';

describeWithTool('promtool', 'generated rules and rule tests under promtool', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ops-constructs-rules-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (base: string, file: RuleTestFile | undefined, rules: string): string => {
    writeFileSync(join(dir, `${base}.rules.yaml`), rules);
    if (file !== undefined) writeFileSync(join(dir, `${base}.test.yaml`), renderRuleTests(file));
    return base;
  };

  // The files exactly as `npm run synth` writes them, next to each other as users get them.
  describe.each(effectiveServices(platform).map((s) => [`${s.name} in ${s.environment}`, s] as const))('%s', (_label, service) => {
    const synthesized = () => {
      const outdir = join(dir, 'dist');
      if (!existsSync(join(outdir, 'prometheus'))) synthesizePlatform(platform, outdir, { sides: ['prometheus'] });
      return join(outdir, 'prometheus', service.environment);
    };

    it('passes promtool check rules', () => {
      const result = runTool('promtool', ['check', 'rules', `${service.name}.rules.yaml`], synthesized());
      expect(result.output).toContain('SUCCESS');
      expect(result.status).toBe(0);
    });

    it('passes promtool test rules', () => {
      const result = runTool('promtool', ['test', 'rules', `${service.name}.test.yaml`], synthesized());
      expect(result.output).toContain('SUCCESS');
      expect(result.status).toBe(0);
    });
  });

  it('fails when an expected page is removed from a fast-burn test', () => {
    const service = ruleService('checkout');
    const file = serviceRuleTests(platform, service, 'negative.rules.yaml', serviceRuleGroups(platform, service));
    const fast = ruleTestNamed(file, 'availability: a fast burn');
    const last = fast.alert_rule_test[fast.alert_rule_test.length - 1];
    expect(last.exp_alerts.length).toBeGreaterThan(0);
    const mutated: RuleTestFile = {
      ...file,
      tests: [{ ...fast, alert_rule_test: [{ ...last, exp_alerts: [] }] }],
    };
    write('negative', mutated, renderRuleFile(serviceRuleGroups(platform, service)));
    const result = runTool('promtool', ['test', 'rules', 'negative.test.yaml'], dir);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('alertname: SloErrorBudgetBurn');
    expect(result.output).toContain('severity="critical"');
  });

  it('fails the low-traffic test when the rules lack the guard', () => {
    const service = ruleService('checkout');
    const file = serviceRuleTests(platform, service, 'unguarded.rules.yaml', serviceRuleGroups(platform, service));
    const low = ruleTestNamed(file, 'low traffic');
    const unguarded = serviceRuleGroups(platform, { ...service, slos: service.slos.map((s) => ({ ...s, minRequestRate: undefined })) });
    write('unguarded', { ...file, tests: [{ ...low, promql_expr_test: undefined }] }, renderRuleFile(unguarded));
    const result = runTool('promtool', ['test', 'rules', 'unguarded.test.yaml'], dir);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('alertname: SloErrorBudgetBurn');
  });

  it('passes promtool test rules for an SLO without tiers, one with selectors of its own and one at a strict objective', () => {
    const p = rulesPlatform(
      service({ name: 'untiered', slos: [availability({ burnRateTiers: [] })] }),
      service({ name: 'payments', slos: [availability({ totalSelector: 'handler="/pay"', badSelector: 'code=~"5..|429"', minRequestRate: 25 })] }),
      service({ name: 'strict', slos: [availability({ objective: 99.99 })] }),
    );
    const outdir = join(dir, 'edges');
    synthesizePlatform(p, outdir, { sides: ['prometheus'] });
    for (const name of ['untiered', 'payments', 'strict']) {
      const result = runTool('promtool', ['test', 'rules', `${name}.test.yaml`], join(outdir, 'prometheus', 'prod'));
      expect(result.output).toContain('SUCCESS');
      expect(result.status).toBe(0);
    }
  });

  it('keeps template text from the definition literal: a description or contact with {{ }} renders as written', () => {
    const hostile = '{{ with query "up" }}{{ . }}{{ end }} {{ $value | humanize }} {{';
    const p = testPlatform({
      name: 'orders',
      team: 'shop',
      tier: 'high',
      image: 'registry.example.com/shop/orders:2.0.1',
      port: 8080,
      contacts: { owners: [hostile], escalation: ['{{ template "x" }}'] },
      slos: [{ kind: 'availability', name: 'availability', objective: 99.9, description: hostile }],
    });
    const outdir = join(dir, 'templates');
    synthesizePlatform(p, outdir, { sides: ['prometheus'] });
    const env = join(outdir, 'prometheus', 'prod');
    const check = runTool('promtool', ['check', 'rules', 'orders.rules.yaml'], env);
    expect(check.output).toContain('SUCCESS');
    // The generated tests expect every annotation exactly as written in the definition.
    const test = runTool('promtool', ['test', 'rules', 'orders.test.yaml'], env);
    expect(test.output).toContain('SUCCESS');
    expect(test.status).toBe(0);
  });
});
