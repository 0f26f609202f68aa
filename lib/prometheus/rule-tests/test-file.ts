/**
 * `promtool test rules` files as plain data, the pieces every generated test is made of
 * (times, counter values, expected alerts), and their rendering.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/
 */
import { toYaml } from '../render';
import { AlertingRule, firingLabels } from '../rule-group';

/** One synthetic input series. */
export interface InputSeries {
  readonly series: string;
  /** Expanding notation, e.g. `0+100x60 6080+80x10`. */
  readonly values: string;
}

/** An alert expected to fire, with every label (but `alertname`) and annotation. */
export interface ExpectedAlert {
  readonly exp_labels: Readonly<Record<string, string>>;
  readonly exp_annotations: Readonly<Record<string, string>>;
}

/** The alerts of one name firing at one time; an empty list means none fires. */
export interface AlertRuleTest {
  readonly eval_time: string;
  readonly alertname: string;
  readonly exp_alerts: readonly ExpectedAlert[];
}

/** An expression's expected samples at one time. */
export interface PromqlExprTest {
  readonly expr: string;
  readonly eval_time: string;
  readonly exp_samples: readonly { readonly labels: string; readonly value: number }[];
}

/** One test: input series and what is expected of them. */
export interface RuleTestGroup {
  readonly name: string;
  readonly interval: string;
  readonly input_series: readonly InputSeries[];
  readonly promql_expr_test?: readonly PromqlExprTest[];
  readonly alert_rule_test: readonly AlertRuleTest[];
}

/** A `promtool test rules` file. */
export interface RuleTestFile {
  readonly rule_files: readonly string[];
  readonly evaluation_interval: string;
  /** Groups are evaluated in this order at each step (the order of the rule file). */
  readonly group_eval_order: readonly string[];
  readonly tests: readonly RuleTestGroup[];
}

/** The sample interval of every input series and the evaluation interval of every test file. */
export const TEST_STEP = '1m';

/** Minutes as a promtool time: `66m`. */
export function at(minute: number): string {
  return `${minute}m`;
}

/**
 * Expanding notation of a counter that starts at 0 and grows by `perMinute[m]` in minute m
 * (index 0 unused): runs of equal increments become `start+stepxN`.
 */
export function counterValues(perMinute: readonly number[]): string {
  const parts = ['0'];
  let value = 0;
  let m = 1;
  while (m < perMinute.length) {
    const step = perMinute[m];
    let run = 1;
    while (m + run < perMinute.length && perMinute[m + run] === step) run++;
    parts.push(run === 1 ? `${value + step}` : `${value + step}+${step}x${run - 1}`);
    value += step * run;
    m += run;
  }
  return parts.join(' ');
}

/** A series with one value for `minutes` minutes: `v+0xN`. */
export function constant(value: number, minutes: number): string {
  return `${value}+0x${minutes}`;
}

/** A counter growing by `step` each minute for `minutes` minutes: `0+stepxN`. */
export function growing(step: number, minutes: number): string {
  return `0+${step}x${minutes}`;
}

/** The alert a rule fires: the labels of the series it fired on, then its own, and its annotations. */
export function expectedAlert(rule: AlertingRule, seriesLabels: Readonly<Record<string, string>> = {}): ExpectedAlert {
  return { exp_labels: { ...seriesLabels, ...firingLabels(rule) }, exp_annotations: rule.annotations };
}

/**
 * A note naming other SLOs at the end of a test name: `; SLO weekly <one>`,
 * `; SLOs a, b <many>`; empty without any.
 */
export function sloNote(names: readonly string[], one: string, many: string): string {
  if (names.length === 0) return '';
  return names.length === 1 ? `; SLO ${names[0]} ${one}` : `; SLOs ${names.join(', ')} ${many}`;
}

/** Renders a test file as YAML, deterministic. */
export function renderRuleTests(file: RuleTestFile): string {
  return toYaml(file);
}

/** Every alert name a test file checks, sorted. */
export function testedAlertNames(file: RuleTestFile): string[] {
  return [...new Set(file.tests.flatMap((t) => t.alert_rule_test.map((a) => a.alertname)))].sort();
}
