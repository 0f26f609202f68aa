import { existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { RuleTestFile, renderRuleFile, renderRuleTests, serviceRuleGroups, serviceRuleTests } from '../../lib/prometheus';
import { effectiveServices } from '../../lib/definition';
import { availability, service } from '../fixtures/definitions';
import { RULES_PLATFORM as platform, ruleService, ruleTestNamed, rulesPlatform } from '../fixtures/prometheus';
import { testPlatform } from '../fixtures/services';
import { synthesizePlatform } from '../../lib/synth';
import { describeWithTool, scratchDir, runTool } from '../support/tools';
import { SHARED_PLATFORM, sharedService } from './shared-series';
import { RuleGroup } from '../../lib/prometheus';

describeWithTool('promtool', 'generated rules and rule tests under promtool', () => {
  const dir = scratchDir('rules');

  const write = (base: string, file: RuleTestFile | undefined, rules: string): string => {
    writeFileSync(join(dir(), `${base}.rules.yaml`), rules);
    if (file !== undefined) writeFileSync(join(dir(), `${base}.test.yaml`), renderRuleTests(file));
    return base;
  };

  // The files exactly as `npm run synth` writes them, next to each other as users get them.
  describe.each(effectiveServices(platform).map((s) => [`${s.name} in ${s.environment}`, s] as const))('%s', (_label, service) => {
    const synthesized = () => {
      const outdir = join(dir(), 'dist');
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

    it('passes promtool test rules of its right-sizing alerts', () => {
      const result = runTool('promtool', ['test', 'rules', `${service.name}.right-sizing.test.yaml`], synthesized());
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
    const result = runTool('promtool', ['test', 'rules', 'negative.test.yaml'], dir());
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
    const result = runTool('promtool', ['test', 'rules', 'unguarded.test.yaml'], dir());
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('alertname: SloErrorBudgetBurn');
  });

  it('passes promtool test rules for an SLO without tiers, one with selectors of its own and one at a strict objective', () => {
    const p = rulesPlatform(
      service({ name: 'untiered', slos: [availability({ burnRateTiers: [] })] }),
      service({ name: 'payments', slos: [availability({ totalSelector: 'handler="/pay"', badSelector: 'code=~"5..|429"', minRequestRate: 25 })] }),
      service({ name: 'strict', slos: [availability({ objective: 99.99 })] }),
    );
    const outdir = join(dir(), 'edges');
    synthesizePlatform(p, outdir, { sides: ['prometheus'] });
    for (const name of ['untiered', 'payments', 'strict']) {
      const result = runTool('promtool', ['test', 'rules', `${name}.test.yaml`], join(outdir, 'prometheus', 'prod'));
      expect(result.output).toContain('SUCCESS');
      expect(result.status).toBe(0);
    }
  });

  it('passes promtool test rules for SLOs whose selectors also match the service\'s own job and namespace: the test series keep them', () => {
    const latency = { kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25, selector: 'namespace=~"sh.+", handler="/cart"' } as const;
    const p = rulesPlatform(service({ name: 'scoped', namespace: 'shop', slos: [availability({ totalSelector: 'job="scoped"', badSelector: 'code=~"5..", namespace=~".+"' }), latency] }));
    const outdir = join(dir(), 'scoped');
    synthesizePlatform(p, outdir, { sides: ['prometheus'] });
    const tests = readFileSync(join(outdir, 'prometheus', 'prod', 'scoped.test.yaml'), 'utf8');
    // Every synthetic request series is the service's: its job and namespace as the library selects them.
    const series = [...tests.matchAll(/series: '?(http_request[^'\n]*)/g)].map((m) => m[1]);
    expect(series.length).toBeGreaterThan(0);
    for (const text of series) expect(text).toMatch(/job="scoped".*namespace="shop"|namespace="shop".*job="scoped"/);
    expect(tests).toContain('alertname: ServiceErrorRateHigh');
    expect(tests).toContain('alertname: ServiceLatencyHigh');
    const result = runTool('promtool', ['test', 'rules', 'scoped.test.yaml'], join(outdir, 'prometheus', 'prod'));
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
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
    const outdir = join(dir(), 'templates');
    synthesizePlatform(p, outdir, { sides: ['prometheus'] });
    const env = join(outdir, 'prometheus', 'prod');
    const check = runTool('promtool', ['check', 'rules', 'orders.rules.yaml'], env);
    expect(check.output).toContain('SUCCESS');
    // The generated tests expect every annotation exactly as written in the definition.
    const test = runTool('promtool', ['test', 'rules', 'orders.test.yaml'], env);
    expect(test.output).toContain('SUCCESS');
    expect(test.status).toBe(0);
  });

  describe('services whose SLOs read the same series', () => {
    const filesOf = (name: 'twice' | 'histogram' | 'percentiles') => {
      const s = sharedService(name);
      const groups = serviceRuleGroups(SHARED_PLATFORM, s);
      return { groups, file: serviceRuleTests(SHARED_PLATFORM, s, `${name}.rules.yaml`, groups) };
    };
    /** The groups with every alert of `alert` in group `group` given another expression. */
    const broken = (groups: readonly RuleGroup[], group: string, alert: string, breakExpr: (expr: string) => string): RuleGroup[] =>
      groups.map((g) => (g.name !== group ? g : { ...g, rules: g.rules.map((r) => ('alert' in r && r.alert === alert ? { ...r, expr: breakExpr(r.expr) } : r)) }));
    /** Every threshold a ratio is compared with raised to 1, which no ratio exceeds. */
    const neverAbove = (expr: string) => expr.replace(/ > [0-9.e+-]+/g, ' > 1');

    it.each(['twice', 'histogram', 'percentiles'] as const)('passes promtool test rules for %s, whose tests expect what each SLO fires on the traffic of the other', (name) => {
      const { groups, file } = filesOf(name);
      // The tests do meet the shared series: some expect the alerts of an SLO other than the one they are about.
      expect(file.tests.filter((t) => / reads the same series| fires on the same buckets/.test(t.name)).length).toBeGreaterThan(0);
      write(name, file, renderRuleFile(groups));
      const result = runTool('promtool', ['test', 'rules', `${name}.test.yaml`], dir());
      expect(result.output).toContain('SUCCESS');
      expect(result.status).toBe(0);
    });

    it('passes promtool test rules for custom SLOs whose sums keep labels, whose two queries read one counter, or that read the requests', () => {
      const custom = (name: string, goodQuery: string, totalQuery: string) => ({ kind: 'custom', name, objective: 99, goodQuery, totalQuery });
      const p = rulesPlatform(
        service({ name: 'byjob', slos: [custom('jobs', 'sum by (job) (rate(jobs_done_total[{{window}}]))', 'sum by (job) (rate(jobs_total[{{window}}]))')] }),
        service({ name: 'unsummed', slos: [custom('jobs', 'rate(jobs_done_total[{{window}}])', 'rate(jobs_total[{{window}}])')] }),
        service({ name: 'onecounter', slos: [custom('jobs', 'sum(rate(jobs_total{result="ok"}[{{window}}]))', 'sum(rate(jobs_total[{{window}}]))')] }),
        service({ name: 'requests', slos: [availability(), custom('ok', 'sum(rate(http_requests_total{code!~"5.."}[{{window}}]))', 'sum(rate(http_requests_total[{{window}}]))')] }),
      );
      for (const name of ['byjob', 'unsummed', 'onecounter', 'requests']) {
        const s = effectiveServices(p).find((x) => x.name === name && x.environment === 'prod')!;
        const groups = serviceRuleGroups(p, s);
        const file = serviceRuleTests(p, s, `${name}.rules.yaml`, groups);
        expect(file.tests.filter((t) => t.name.includes(' SLO ')).length).toBeGreaterThanOrEqual(3);
        write(name, file, renderRuleFile(groups));
        const result = runTool('promtool', ['test', 'rules', `${name}.test.yaml`], dir());
        expect(`${name}: ${result.output}`).toContain('SUCCESS');
        expect(result.status).toBe(0);
      }
    });

    it.each([
      ['twice', 'the 99% SLO fail when the burn alerts of the 99.9% one never fire', 'twice-slo-availability', 'SloErrorBudgetBurn', 'twice SLO weekly:', 'slo="availability"', neverAbove],
      ['histogram', 'the latency SLO fail when the burn alerts of the availability SLO never fire', 'histogram-slo-availability', 'SloErrorBudgetBurn', 'histogram SLO latency:', 'slo="availability"', neverAbove],
      ['percentiles', 'the 1s SLO fail when the latency alert of the 100ms one never fires', 'percentiles-symptoms', 'ServiceLatencyHigh', 'percentiles ServiceLatencyHigh (SLO slow)', 'slo="fast"', (e: string) => e.replace(/> [0-9.]+$/, '> 100')],
    ] as const)('for %s, the tests of %s', (name, _what, group, alert, tests, label, breakExpr) => {
      const { groups, file } = filesOf(name);
      const wrong = broken(groups, group, alert, breakExpr);
      expect(renderRuleFile(wrong)).not.toBe(renderRuleFile(groups));
      // Only the tests of the other SLO, whose rules are right: they fail on the alerts they expect of this one.
      write(`${name}-broken`, { ...file, rule_files: [`${name}-broken.rules.yaml`], tests: file.tests.filter((t) => t.name.startsWith(tests)) }, renderRuleFile(wrong));
      const result = runTool('promtool', ['test', 'rules', `${name}-broken.test.yaml`], dir());
      expect(result.status).not.toBe(0);
      expect(result.output).toContain(`alertname: ${alert}`);
      expect(result.output).toContain(label);
    });
  });
});
