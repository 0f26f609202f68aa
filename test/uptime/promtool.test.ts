import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { renderRuleFile } from '../../lib/prometheus/render';
import { formatDuration, parseDuration } from '../../lib/promql/duration';
import { equalityMatchers } from '../../lib/promql/build';
import { toYaml } from '../../lib/private/yaml';
import { UPTIME_PROBE_ALERT, UptimeProbePlan, UptimeRuleGroup, uptimeProbePlan } from '../../lib/uptime';
import { describeWithTool, scratchDir, runTool } from '../support/tools';
import { checkout, uptimePlatform } from './fixtures';

/** The rule evaluation interval prometheus-operator gives a Prometheus by default. */
const EVALUATION_INTERVAL = 30;

/** How many probe periods each scenario runs. */
const PERIODS = 12;

/** A promtool alert test: probe results one period apart, and whether the alert fires at given times. */
interface Scenario {
  readonly name: string;
  /** One probe result per period, from time 0. */
  readonly results: readonly (0 | 1)[];
  /** Times, in seconds, and whether the alert is firing then. */
  readonly expectations: readonly (readonly [number, boolean])[];
}

function seriesOf(plan: UptimeProbePlan): string {
  return `probe_success{${equalityMatchers({ ...plan.targetLabels, instance: plan.target, job: plan.jobName })}}`;
}

function ruleTest(plan: UptimeProbePlan, scenario: Scenario): Record<string, unknown> {
  const { alert } = plan;
  return {
    name: `${scenario.name} (period ${plan.interval})`,
    interval: plan.interval,
    input_series: [{ series: seriesOf(plan), values: scenario.results.join(' ') }],
    alert_rule_test: scenario.expectations.map(([at, firing]) => ({
      eval_time: formatDuration(at) === '0s' ? '0m' : formatDuration(at),
      alertname: UPTIME_PROBE_ALERT,
      exp_alerts: firing ? [{ exp_labels: { ...plan.targetLabels, instance: plan.target, job: plan.jobName, ...alert.labels }, exp_annotations: alert.annotations }] : [],
    })),
  };
}

/**
 * The scenarios of one period P (in seconds); the first failed probe is at `start`.
 * - healthy: never fires;
 * - one failed probe: never fires, checked at every evaluation;
 * - every probe failing from `start`: pending until start + for, firing from then on;
 * - three failed probes in a row, then success: fires at start + for, resolves with the success.
 */
function scenarios(period: number, forSeconds: number): Scenario[] {
  const start = 3 * period;
  const at = (from: number, to: number, step = EVALUATION_INTERVAL): number[] => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
  const results = (failing: (i: number) => boolean): (0 | 1)[] => Array.from({ length: PERIODS }, (_, i) => (failing(i) ? 0 : 1));
  const end = (PERIODS - 1) * period;
  return [
    { name: 'healthy host', results: results(() => false), expectations: at(0, end, period).map((t) => [t, false] as const) },
    { name: 'one failed probe', results: results((i) => i === 3), expectations: at(0, end).map((t) => [t, false] as const) },
    {
      name: 'host down from the fourth probe',
      results: results((i) => i >= 3),
      expectations: [[start - EVALUATION_INTERVAL, false], [start, false], [start + forSeconds - EVALUATION_INTERVAL, false], [start + forSeconds, true], [end, true]],
    },
    {
      name: 'three failed probes, then up again',
      results: results((i) => i >= 3 && i <= 5),
      expectations: [[start + forSeconds - EVALUATION_INTERVAL, false], [start + forSeconds, true], [start + 3 * period - EVALUATION_INTERVAL, true], [start + 3 * period, false]],
    },
  ];
}

describeWithTool('promtool', 'the uptime alert under promtool', () => {
  const dir = scratchDir('uptime');

  const planFor = (period: string, path = '/healthz'): UptimeProbePlan => {
    const platform = uptimePlatform({ uptimeCheck: { period, path, severity: 'high' }, contacts: { owners: ['alice@example.com'] } });
    return uptimeProbePlan(platform, checkout(platform))!;
  };

  /** Writes the rule file and a test file of the scenarios; returns promtool's verdict. */
  const runScenarios = (base: string, plan: UptimeProbePlan, groups: readonly UptimeRuleGroup[] = [plan.ruleGroup]) => {
    const period = parseDuration(plan.interval)!;
    const forSeconds = parseDuration(plan.alert.for)!;
    writeFileSync(join(dir(), `${base}.rules.yaml`), renderRuleFile(groups));
    const tests = { rule_files: [`${base}.rules.yaml`], evaluation_interval: `${EVALUATION_INTERVAL}s`, tests: scenarios(period, forSeconds).map((s) => ruleTest(plan, s)) };
    writeFileSync(join(dir(), `${base}.test.yaml`), toYaml(tests));
    return runTool('promtool', ['test', 'rules', `${base}.test.yaml`], dir());
  };

  it.each(['60s', '300s', '600s', '900s'])('passes promtool check rules with a %s period', (period) => {
    const file = `check-${period}.rules.yaml`;
    writeFileSync(join(dir(), file), renderRuleFile([planFor(period).ruleGroup]));
    const result = runTool('promtool', ['check', 'rules', file], dir());
    expect(result.output).toContain('SUCCESS: 1 rules found');
    expect(result.status).toBe(0);
  });

  it.each(['60s', '300s', '900s'])('with a %s period, fires two periods after the host goes down, never for one failed probe, and resolves when it answers', (period) => {
    const result = runScenarios(`scenarios-${period}`, planFor(period));
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('keeps a path with template and quote characters literal in the labels and annotations', () => {
    const plan = planFor('60s', '/health{{.Labels}}"\\x');
    expect(plan.alert.annotations.summary).toContain('/health{{.Labels}}"\\x');
    const result = runScenarios('hostile', plan);
    expect(readFileSync(join(dir(), 'hostile.rules.yaml'), 'utf8')).toContain('/health{{ "{{" }}.Labels}}');
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('the scenarios fail an alert that pages on the first failed probe', () => {
    const plan = planFor('60s');
    const eager: UptimeRuleGroup = { ...plan.ruleGroup, rules: [{ ...plan.alert, for: '0s' }] };
    const result = runScenarios('eager', plan, [eager]);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('one failed probe');
  });

  it('the scenarios fail an alert on the instant value when the period is longer than the 5 minute lookback', () => {
    const plan = planFor('900s');
    const instant: UptimeRuleGroup = { ...plan.ruleGroup, rules: [{ ...plan.alert, expr: `${seriesOfRule(plan)} == 0` }] };
    const result = runScenarios('instant', plan, [instant]);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('host down from the fourth probe');
  });
});

/** The selector inside the plan's `last_over_time(...)`. */
function seriesOfRule(plan: UptimeProbePlan): string {
  const match = /^last_over_time\((.*)\[[^\]]+\]\) == 0$/.exec(plan.alert.expr);
  if (match === null) throw new Error(`unexpected expression ${plan.alert.expr}`);
  return match[1];
}
