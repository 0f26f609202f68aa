import { writeFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { LokiRuleGroupJson, errorLogBurstAlert, renderLokiRuleFile, serviceLogRuleGroups } from '../../lib/loki';
import { renderGoTemplateLiteral } from '../../lib/private/go-template';
import { toYaml } from '../../lib/private/yaml';
import { describeWithTool, scratchDir, runTool } from '../support/tools';
import { lokiPlatform, resolved } from './loki-fixtures';

/**
 * No Loki binary is available here (Debian's `loki` package is an unrelated genetics program),
 * and promtool refuses LogQL. The Loki ruler reads the rest of the file with Prometheus' own
 * rule-file code, so promtool proves everything but the queries: each query is swapped for
 * `vector(1)`, which always fires, and promtool checks the file and renders every alert's
 * labels and annotations through Go templates, as the ruler does. The queries themselves are
 * proven by Loki's LogQL grammar (render.test.ts).
 */
function withPromqlStandIns(file: string): { groups: LokiRuleGroupJson[] } {
  const read = parse(file) as { groups: LokiRuleGroupJson[] };
  return { groups: read.groups.map((g) => ({ ...g, rules: g.rules.map((r) => ({ ...r, expr: 'vector(1)' })) })) };
}

/** A promtool test expecting every alert of the file to fire with its labels and its annotations as plain text. */
function firingTest(rules: string, file: { groups: LokiRuleGroupJson[] }): string {
  const alerts = file.groups.flatMap((g) => g.rules);
  return toYaml({
    rule_files: [rules],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: [],
        alert_rule_test: alerts.map((rule) => ({
          eval_time: '30m',
          alertname: rule.alert,
          exp_alerts: [{ exp_labels: rule.labels, exp_annotations: Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, renderGoTemplateLiteral(v)])) }],
        })),
      },
    ],
  });
}

describeWithTool('promtool', 'Loki rule files under promtool, queries stood in for', () => {
  const dir = scratchDir('loki');

  const hostile = '{{ with query "up" }}{{ . }}{{ end }} fired {{ $value | humanize }} times {{';
  const p = lokiPlatform({ contacts: { owners: ['{{ template "x" }}'], escalation: [] } });
  const checkout = resolved(p);
  const groups = serviceLogRuleGroups(p, checkout, {
    additionalAlerts: [
      { alert: 'CheckoutHostile', expr: 'sum(rate({app="checkout"} |= "{{" [5m])) > 0', for: '2m', severity: 'low', summary: hostile },
      errorLogBurstAlert(p, checkout, { threshold: 1 }),
    ],
  });
  const file = withPromqlStandIns(renderLokiRuleFile(groups));

  it('passes promtool check rules: the shape, the durations, the label names and every template', () => {
    writeFileSync(join(dir(), 'checkout.yaml'), toYaml(file));
    const result = runTool('promtool', ['check', 'rules', 'checkout.yaml'], dir());
    expect(result.output).toContain('SUCCESS: 4 rules found');
    expect(result.status).toBe(0);
  });

  it('renders every annotation to the text of the definition, {{ $value }} and {{ with query }} included', () => {
    writeFileSync(join(dir(), 'checkout.yaml'), toYaml(file));
    writeFileSync(join(dir(), 'checkout.test.yaml'), firingTest('checkout.yaml', file));
    const result = runTool('promtool', ['test', 'rules', 'checkout.test.yaml'], dir());
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('fails the same test when the summary is written without the literal template (the test can fail)', () => {
    const raw = { groups: file.groups.map((g) => ({ ...g, rules: g.rules.map((r) => ({ ...r, annotations: { ...r.annotations, summary: renderGoTemplateLiteral(r.annotations.summary) } })) })) };
    raw.groups[0].rules = raw.groups[0].rules.filter((r) => r.alert === 'CheckoutPanics');
    writeFileSync(join(dir(), 'raw.yaml'), toYaml(raw));
    writeFileSync(join(dir(), 'raw.test.yaml'), firingTest('raw.yaml', raw));
    const result = runTool('promtool', ['test', 'rules', 'raw.test.yaml'], dir());
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('checkout panicked 1 times');
  });
});
