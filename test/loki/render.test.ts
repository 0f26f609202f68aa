import { parse } from 'yaml';
import { z } from 'zod';
import { parseLogql } from '../../lib/logql';
import { LokiRuleGroup, lokiRuleToJson, renderLokiRuleFile, serviceLogRuleGroups } from '../../lib/loki';
import { parseDuration } from '../../lib/promql/duration';
import { renderGoTemplateLiteral } from '../../lib/private/go-template';
import { PANICS, lokiPlatform, resolved } from './loki-fixtures';

/**
 * The rule-group format the Loki ruler reads (Prometheus' rulefmt), alerting rules only:
 * unknown keys refused, as rulefmt's strict YAML decoding does.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/#rule-group
 */
const duration = z.string().refine((d) => parseDuration(d) !== undefined, 'not a Prometheus duration');
const labelMap = z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.string());
const ruleFileSchema = z.strictObject({
  groups: z.array(
    z.strictObject({
      name: z.string().min(1),
      interval: duration.optional(),
      limit: z.number().int().optional(),
      rules: z.array(
        z.strictObject({ alert: z.string().min(1), expr: z.string().min(1), for: duration.optional(), keep_firing_for: duration.optional(), labels: labelMap.optional(), annotations: labelMap.optional() }),
      ),
    }),
  ),
});

const p = lokiPlatform();
const checkout = resolved(p);
const groups = serviceLogRuleGroups(p, checkout);

describe('renderLokiRuleFile', () => {
  const file = renderLokiRuleFile(groups);
  const read = parse(file) as z.infer<typeof ruleFileSchema>;

  it('writes the Prometheus rule-group format the Loki ruler reads', () => {
    expect(ruleFileSchema.safeParse(read).error?.issues).toBeUndefined();
    expect(read.groups.map((g) => g.name)).toEqual(['checkout-logs']);
  });

  it('refuses a file of another shape (the shape check can fail)', () => {
    expect(ruleFileSchema.safeParse({ groups: [{ name: 'g', rules: [{ alert: 'X', expr: 'y', keepFiringFor: '5m' }] }] }).success).toBe(false);
    expect(ruleFileSchema.safeParse({ groups: [{ name: 'g', rules: [{ alert: 'X', expr: 'y', for: '5 min' }] }] }).success).toBe(false);
  });

  it('writes every query as a LogQL metric query, multi-line ones intact', () => {
    for (const rule of read.groups.flatMap((g) => g.rules)) expect(parseLogql(rule.expr)).toEqual({ problems: [], kind: 'metric' });
    expect(read.groups[0].rules[1].expr).toBe('sum by (provider) (\n  rate({app="checkout"} | json | event="payment_failed" [10m])\n) > 0.5');
    expect(file).toContain('expr: |-\n          sum by (provider) (');
  });

  it('writes a summary with {{ $value }} as a literal template, which renders back to the text as written', () => {
    const summary = read.groups[0].rules[0].annotations!.summary;
    expect(PANICS.summary).toBe('checkout panicked {{ $value }} times');
    expect(summary).toBe('checkout panicked {{ "{{" }} $value }} times');
    expect(renderGoTemplateLiteral(summary)).toBe(PANICS.summary);
    // The plain data keeps the text: only the file is a template.
    expect(groups[0].rules[0].annotations.summary).toBe(PANICS.summary);
  });

  it('makes every annotation a literal template, a query with {{ in its description too', () => {
    const rule = { alert: 'A', expr: 'sum(rate({app="x"} |= "{{" [5m])) > 0', labels: { severity: 'low' }, annotations: { description: 'line {{ template "x" }}', summary: '{{' } };
    expect(lokiRuleToJson(rule).annotations).toEqual({ description: 'line {{ "{{" }} template "x" }}', summary: '{{ "{{" }}' });
    expect(lokiRuleToJson(rule).expr).toBe(rule.expr);
  });

  it('sorts labels and annotations, keeps the documented key order, and drops what is absent', () => {
    const rule = { alert: 'A', expr: 'sum(rate({app="x"}[5m])) > 0', labels: { team: 't', severity: 'low' }, annotations: { summary: 's', description: 'd' } };
    const json = lokiRuleToJson(rule);
    expect(Object.keys(json)).toEqual(['alert', 'expr', 'labels', 'annotations']);
    expect(Object.keys(json.labels)).toEqual(['severity', 'team']);
    expect(Object.keys(json.annotations)).toEqual(['description', 'summary']);
    expect(Object.keys(lokiRuleToJson({ ...rule, for: '2m' }))).toEqual(['alert', 'expr', 'for', 'labels', 'annotations']);
  });

  it('writes a group interval when one is set, and none by default', () => {
    const withInterval: LokiRuleGroup[] = [{ ...groups[0], interval: '30s' }];
    expect(parse(renderLokiRuleFile(withInterval)).groups[0].interval).toBe('30s');
    expect(read.groups[0]).not.toHaveProperty('interval');
  });

  it('writes the same bytes for the same definition, whatever order labels were built in', () => {
    expect(renderLokiRuleFile(serviceLogRuleGroups(lokiPlatform(), resolved(lokiPlatform())))).toBe(file);
    const reordered = groups.map((g) => ({ ...g, rules: g.rules.map((r) => ({ ...r, labels: Object.fromEntries(Object.entries(r.labels).reverse()) })) }));
    expect(renderLokiRuleFile(reordered)).toBe(file);
  });

  it('writes an empty rule file for no groups', () => {
    expect(renderLokiRuleFile([])).toBe('groups: []\n');
  });

  it('matches the reviewed file', () => {
    expect(file).toMatchSnapshot();
  });
});
