/**
 * Prometheus rule groups as plain data, in the shape of a rule file.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/
 */

/** A recording rule: stores the result of `expr` as the series `record`. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  /** @default no extra labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * An alerting rule.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/
 */
export interface AlertingRule {
  /** CamelCase alert name. */
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold before the alert fires. @default fires at once */
  readonly for?: string;
  /** How long the alert keeps firing after the condition clears (Prometheus ≥ 2.42). @default stops at once */
  readonly keepFiringFor?: string;
  /** Labels added to the alert: `severity`, `service`, `team`, ... */
  readonly labels: Readonly<Record<string, string>>;
  /** `summary`, `description`, `runbook_url`, `dashboard_url`. */
  readonly annotations: Readonly<Record<string, string>>;
  /**
   * Labels every series the expression returns carries, so the alert fires with them although
   * the rule does not set them: an SLO alert selects recorded series that carry `service`, `slo`
   * and `slo_kind`. Not written to the rule file. Prometheus expands each label and annotation
   * of a rule as a Go template for every pending or firing alert at every evaluation, so a label
   * the series already carry costs evaluation time and adds nothing.
   * @default none
   */
  readonly seriesLabels?: Readonly<Record<string, string>>;
}

/** The labels an alert fires with: those of the series it fires on, then the rule's own. */
export function firingLabels(rule: Pick<AlertingRule, 'labels' | 'seriesLabels'>): Readonly<Record<string, string>> {
  return rule.seriesLabels === undefined ? rule.labels : { ...rule.seriesLabels, ...rule.labels };
}

/** A recording or alerting rule. */
export type Rule = RecordingRule | AlertingRule;

/** A group of rules evaluated in order at one interval. */
export interface RuleGroup {
  readonly name: string;
  /** @default the Prometheus global evaluation interval */
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

/** Whether a rule is an alerting rule. */
export function isAlertingRule(rule: Rule): rule is AlertingRule {
  return (rule as AlertingRule).alert !== undefined;
}

/** The name of a rule: its alert name or its record name. */
export function ruleName(rule: Rule): string {
  return isAlertingRule(rule) ? rule.alert : rule.record;
}

/** The alerting rules of the group of that name, in rule order; none when there is no such group. */
export function groupAlerts(groups: readonly RuleGroup[], groupName: string): AlertingRule[] {
  return (groups.find((g) => g.name === groupName)?.rules ?? []).filter(isAlertingRule);
}

/** Alert names of rule groups, sorted, each once. */
export function alertNames(groups: readonly RuleGroup[]): string[] {
  return [...new Set(groups.flatMap((g) => g.rules.filter(isAlertingRule).map((r) => r.alert)))].sort();
}
