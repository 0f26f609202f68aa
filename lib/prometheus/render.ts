import { toYaml as serialize } from '../private/yaml';
import { goTemplateLiteral } from '../private/go-template';
import { Rule, RuleGroup, isAlertingRule } from './rule-group';

function sortedRecord(record: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  if (record === undefined) {
    return undefined;
  }
  const result: Record<string, string> = {};
  for (const key of Object.keys(record).sort()) {
    result[key] = record[key];
  }
  return result;
}

function dropUndefined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Annotations as Prometheus reads them: Go templates. The rules carry plain text (some of it
 * from the definition), so each value becomes a template that renders to exactly that text.
 */
export function templateAnnotations(annotations: Readonly<Record<string, string>>): Record<string, string> {
  const sorted = sortedRecord(annotations) ?? {};
  return Object.fromEntries(Object.entries(sorted).map(([key, value]) => [key, goTemplateLiteral(value)]));
}

/**
 * A rule in rule-file shape (`keep_firing_for`), keys in the order Prometheus documents
 * them, labels and annotations sorted, absent fields dropped.
 */
export function ruleToJson(rule: Rule): Record<string, unknown> {
  if (isAlertingRule(rule)) {
    return dropUndefined({
      alert: rule.alert,
      expr: rule.expr,
      for: rule.for,
      keep_firing_for: rule.keepFiringFor,
      labels: sortedRecord(rule.labels),
      annotations: rule.annotations === undefined ? undefined : templateAnnotations(rule.annotations),
    });
  }
  return dropUndefined({ record: rule.record, expr: rule.expr, labels: sortedRecord(rule.labels) });
}

/** Rule groups in rule-file shape: `{ groups: [{ name, interval?, rules }] }`. */
export function ruleFileToJson(groups: readonly RuleGroup[]): { groups: Record<string, unknown>[] } {
  return { groups: groups.map((g) => dropUndefined({ name: g.name, interval: g.interval, rules: g.rules.map(ruleToJson) })) };
}

/**
 * Serializes any plain value as YAML the same way every time: no line folding, multi-line
 * strings as block literals, keys in insertion order.
 */
export function toYaml(value: unknown): string {
  return serialize(value);
}

/**
 * Renders rule groups as a Prometheus rule file (YAML), deterministic and pleasant to diff:
 * multi-line expressions as block literals, stable key order.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/#rule-group
 */
export function renderRuleFile(groups: readonly RuleGroup[]): string {
  return toYaml(ruleFileToJson(groups));
}
