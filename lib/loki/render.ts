/**
 * Loki rule groups as the rule file the Loki ruler reads: the Prometheus rule-file format.
 * @see https://grafana.com/docs/loki/latest/alert/#prometheus-compatible
 */
import { compact, sortedRecord } from '../private/data';
import { goTemplateLiteral } from '../private/go-template';
import { toYaml } from '../private/yaml';
import { LokiAlertingRule, LokiRuleGroup } from './rule-group';

/** A rule-file rule as plain JSON. */
export interface LokiRuleJson {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** A rule-file group as plain JSON. */
export interface LokiRuleGroupJson {
  readonly name: string;
  readonly interval?: string;
  readonly rules: LokiRuleJson[];
}

/**
 * A rule in rule-file shape: keys in the order Prometheus documents them, labels and
 * annotations sorted. The ruler runs every annotation value as a Go template, as Prometheus
 * does, so each becomes a template that renders to exactly its text: a `{{ $value }}` in a
 * summary from the definition reaches the page as written, never as the value.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/template_reference/
 */
export function lokiRuleToJson(rule: LokiAlertingRule): LokiRuleJson {
  const annotations = sortedRecord(rule.annotations);
  return compact({
    alert: rule.alert,
    expr: rule.expr,
    for: rule.for,
    labels: sortedRecord(rule.labels),
    annotations: Object.fromEntries(Object.entries(annotations).map(([key, value]) => [key, goTemplateLiteral(value)])),
  });
}

/** Rule groups in rule-file shape: `{ groups: [{ name, interval?, rules }] }`. */
export function lokiRuleFileToJson(groups: readonly LokiRuleGroup[]): { groups: LokiRuleGroupJson[] } {
  return { groups: groups.map((g) => compact({ name: g.name, interval: g.interval, rules: g.rules.map(lokiRuleToJson) })) };
}

/**
 * Renders rule groups as a Loki ruler rule file (YAML), the same bytes for the same groups:
 * multi-line queries as block literals, stable key order.
 * @example
 * fs.writeFileSync('dist/loki/prod/checkout.yaml', renderLokiRuleFile(serviceLogRuleGroups(platform, service)));
 */
export function renderLokiRuleFile(groups: readonly LokiRuleGroup[]): string {
  return toYaml(lokiRuleFileToJson(groups));
}
