/**
 * Loki ruler rule groups as plain data. The Loki ruler reads the Prometheus rule-file format
 * (`groups[].name`, `interval`, `rules[]`), with LogQL instead of PromQL in `expr`.
 * @see https://grafana.com/docs/loki/latest/alert/#prometheus-compatible
 * @see https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/
 */

/** An alerting rule the Loki ruler evaluates. */
export interface LokiAlertingRule {
  /** CamelCase alert name. */
  readonly alert: string;
  /** A LogQL metric query; the alert fires for every series it returns. */
  readonly expr: string;
  /** How long the condition must hold before the alert fires. @default fires at once */
  readonly for?: string;
  /** Labels added to the alert: `severity`, `service`, `team`, `namespace`. */
  readonly labels: Readonly<Record<string, string>>;
  /** `summary`, `description`, `runbook_url`, `dashboard_url`, ... as plain text (the renderer makes them literal templates). */
  readonly annotations: Readonly<Record<string, string>>;
}

/** A group of Loki rules evaluated in order at one interval. */
export interface LokiRuleGroup {
  readonly name: string;
  /** @default the ruler's `evaluation_interval` (1m unless configured) */
  readonly interval?: string;
  readonly rules: readonly LokiAlertingRule[];
}
