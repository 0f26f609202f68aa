import { formatGoFloat } from '../private/go-float';
import { parseMatchers } from '../promql/build';
import { burnRateAlertSpecs, requestRateRecord, sliErrorRecord, sloErrorBudget, sloLabels, sloSeries, scopeMatchers } from '../prometheus/sli';
import { EffectiveService, PlatformDefinition, Slo } from '../definition';
import { parseCpu } from '../definition/quantities';
import { Increments, TrafficSegment, errorRatioAt, increments, requestRateAt, simulateBurnAlerts, simulateLowBudget, upTo } from './burn-simulation';
import { toYaml } from './render';
import { AlertingRule, RuleGroup, isAlertingRule } from './rule-group';
import { serviceRuleGroups } from './rules';
import { BURN_RATE_ALERT, LOW_BUDGET_ALERT, LOW_BUDGET_FOR, sloRuleGroupName } from './slo-rules';
import { SYMPTOM_ALERTS, errorRateSelectors, symptomRuleGroupName } from './symptom-rules';
import { SeriesId, goodLabels, isPlainRate, satisfyingLabels, seriesText, singleSelector } from './synthetic-series';

/**
 * `promtool test rules` files as plain data.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/
 */

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

const STEP = '1m';

/** Minutes as a promtool time: `66m`. */
function at(minute: number): string {
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
function constant(value: number, minutes: number): string {
  return `${value}+0x${minutes}`;
}

/** A counter growing by `step` each minute for `minutes` minutes: `0+stepxN`. */
function growing(step: number, minutes: number): string {
  return `0+${step}x${minutes}`;
}

function expected(rule: AlertingRule, seriesLabels: Readonly<Record<string, string>> = {}): ExpectedAlert {
  return { exp_labels: { ...seriesLabels, ...rule.labels }, exp_annotations: rule.annotations };
}

/** Which synthetic counters an SLO reads and what each counts. */
interface SloCounters {
  readonly total?: SeriesId;
  readonly bad?: SeriesId;
  readonly good?: SeriesId;
}

/**
 * The counters to synthesize for an SLO, or a reason why none can be: custom queries must
 * each read one counter with plain matchers.
 */
export function sloCounters(service: EffectiveService, slo: Slo): SloCounters | string {
  const scope = parseMatchers(scopeMatchers(service)) ?? [];
  const base = satisfyingLabels({}, scope) ?? {};
  switch (slo.kind) {
    case 'availability': {
      const total = parseMatchers(slo.totalSelector);
      const bad = parseMatchers(slo.badSelector);
      if (total === undefined || bad === undefined) return `selectors of SLO ${slo.name} are not plain label matchers`;
      const badLabels = satisfyingLabels(base, [...total, ...bad]);
      const good = badLabels && goodLabels(badLabels, total, bad);
      if (badLabels === undefined || good === undefined) return `no labels found for good and bad requests of SLO ${slo.name}`;
      return { bad: { metric: service.metrics.requestsMetric, labels: badLabels }, good: { metric: service.metrics.requestsMetric, labels: good } };
    }
    case 'latency': {
      const sel = parseMatchers(slo.selector);
      const labels = sel && satisfyingLabels(base, sel);
      if (labels === undefined) return `selector of SLO ${slo.name} is not satisfiable plain label matchers`;
      return {
        total: { metric: `${service.metrics.latencyMetric}_count`, labels },
        good: { metric: `${service.metrics.latencyMetric}_bucket`, labels: { ...labels, le: formatGoFloat(slo.thresholdSeconds) } },
      };
    }
    case 'custom': {
      if (!isPlainRate(slo.goodQuery) || !isPlainRate(slo.totalQuery)) {
        return `queries of custom SLO ${slo.name} are not each the plain rate of one counter, so their values cannot be predicted`;
      }
      const good = singleSelector(slo.goodQuery);
      const total = singleSelector(slo.totalQuery);
      const goodSeries = good && satisfyingLabels(base, good.matchers);
      const totalSeries = total && satisfyingLabels(base, total.matchers);
      if (good === undefined || total === undefined || goodSeries === undefined || totalSeries === undefined) {
        return `queries of custom SLO ${slo.name} do not each read one counter with plain matchers`;
      }
      return { total: { metric: total.metric, labels: totalSeries }, good: { metric: good.metric, labels: goodSeries } };
    }
  }
}

function counterSeries(counters: SloCounters, inc: Increments): InputSeries[] {
  const good = inc.total.map((t, m) => t - inc.bad[m]);
  const series: InputSeries[] = [];
  if (counters.total) series.push({ series: seriesText(counters.total), values: counterValues(inc.total) });
  if (counters.bad) series.push({ series: seriesText(counters.bad), values: counterValues(inc.bad) });
  if (counters.good) series.push({ series: seriesText(counters.good), values: counterValues(good) });
  return series;
}

/** Requests per minute of the synthetic traffic: well above any low-traffic guard. */
function busyPerMinute(slo: Slo): number {
  return 10000 * Math.max(1, Math.ceil((slo.minRequestRate ?? 0) / 10));
}

/** The error ratio of the fast-burn test: the first of 20%, 50%, 100% above 1.5 × the highest tier threshold. */
export function fastBurnRatio(slo: Slo): number {
  const highest = Math.max(0, ...burnRateAlertSpecs(slo).map((s) => s.threshold));
  return [0.2, 0.5].find((r) => r > 1.5 * highest) ?? 1;
}

/** Minutes of healthy traffic before a burn starts, so the windows hold a normal hour. */
const PREAMBLE = 60;
/** How far the scenarios look for the first alert. */
const HORIZON = 360;
/** Minutes after the first ticket at which a slow burn is checked again: still no page. */
const SETTLE = 30;

/** The synthetic traffic of each SLO scenario. */
export function sloScenarios(slo: Slo): Record<'fastBurn' | 'slowBurn' | 'healthy' | 'lowTraffic', TrafficSegment[]> {
  const busy = busyPerMinute(slo);
  const budget = sloErrorBudget(slo);
  const quiet = (slo.minRequestRate ?? 1) * 30; // half the guard's rate, per minute
  return {
    fastBurn: [
      { minutes: PREAMBLE, perMinute: busy, errorRatio: 0 },
      { minutes: HORIZON, perMinute: busy, errorRatio: fastBurnRatio(slo) },
    ],
    slowBurn: [{ minutes: HORIZON, perMinute: busy, errorRatio: 1.5 * budget }],
    healthy: [{ minutes: HORIZON, perMinute: busy, errorRatio: 0.1 * budget }],
    lowTraffic: [
      { minutes: PREAMBLE, perMinute: quiet, errorRatio: 0 },
      { minutes: 10, perMinute: quiet, errorRatio: 1 },
    ],
  };
}

/** Cuts increments to the minutes 0..last. */
function firstMinute(fires: readonly boolean[], from = 0): number | undefined {
  const index = fires.findIndex((f, t) => t >= from && f);
  return index < 0 ? undefined : index;
}

/** What one SLO scenario expects at its evaluation times. */
interface ScenarioPlan {
  readonly name: string;
  readonly inc: Increments;
  readonly evalTimes: readonly number[];
  readonly checkLowBudget: boolean;
  readonly exprTests: (last: number) => PromqlExprTest[];
}

/** The alerting rules of the group of that name. */
function alertsOf(groups: readonly RuleGroup[], name: string): AlertingRule[] {
  return (groups.find((g) => g.name === name)?.rules ?? []).filter(isAlertingRule);
}

function sloTestGroups(groups: readonly RuleGroup[], service: EffectiveService, slo: Slo): RuleTestGroup[] {
  const counters = sloCounters(service, slo);
  if (typeof counters === 'string') {
    return [];
  }
  const alerts = alertsOf(groups, sloRuleGroupName(service, slo));
  const burnRules = alerts.filter((rule) => rule.alert === BURN_RATE_ALERT);
  const lowRule = alerts.find((rule) => rule.alert === LOW_BUDGET_ALERT);
  if (lowRule === undefined) {
    return [];
  }
  const labels = sloLabels(service, slo);
  const scenarios = sloScenarios(slo);
  const plans: ScenarioPlan[] = [];
  const lowFor = Number(LOW_BUDGET_FOR.replace('m', ''));
  const ratioTest = (inc: Increments) => (last: number): PromqlExprTest[] => [
    {
      expr: `round(${sloSeries(sliErrorRecord('5m'), service, slo)} * 1000000)`,
      eval_time: at(last),
      exp_samples: [{ labels: seriesText({ metric: '', labels }), value: Math.round(errorRatioAt(inc, '5m', last) * 1e6) }],
    },
  ];

  if (slo.burnRateTiers.length > 0) {
    const fast = increments(scenarios.fastBurn);
    const fastFires = simulateBurnAlerts(slo, fast);
    const page = firstMinute(fastFires.map((tiers) => tiers.includes(0)), PREAMBLE);
    const fastLast = page ?? fast.total.length - 1;
    plans.push({
      name: `${slo.name}: a fast burn (${fastBurnRatio(slo) * 100}% bad) pages at minute ${fastLast}`,
      inc: upTo(fast, fastLast),
      evalTimes: page === undefined ? [fastLast] : [page - 1, page],
      checkLowBudget: false,
      exprTests: ratioTest(fast),
    });

    const slow = increments(scenarios.slowBurn);
    const slowFires = simulateBurnAlerts(slo, slow);
    const first = firstMinute(slowFires.map((tiers) => tiers.length > 0));
    plans.push({
      name: `${slo.name}: a slow burn (1.5 × budget) opens a ticket, never a page`,
      inc: slow,
      // Within the simulated horizon: a guarded SLO may open its first ticket late.
      evalTimes: first === undefined ? [HORIZON] : [...new Set([Math.max(1, first - 1), first, Math.min(HORIZON, first + SETTLE)])],
      checkLowBudget: true,
      exprTests: () => [],
    });
  }

  const healthy = increments(scenarios.healthy);
  plans.push({ name: `${slo.name}: healthy traffic (0.1 × budget) fires nothing`, inc: healthy, evalTimes: [PREAMBLE, 2 * PREAMBLE], checkLowBudget: true, exprTests: ratioTest(healthy) });

  if (slo.minRequestRate !== undefined && slo.burnRateTiers.length > 0) {
    const low = increments(scenarios.lowTraffic);
    const last = low.total.length - 1;
    const longWindow = slo.burnRateTiers[0].longWindow;
    plans.push({
      name: `${slo.name}: a failure blip at low traffic does not page`,
      inc: low,
      evalTimes: [last - 5, last],
      checkLowBudget: false,
      exprTests: (t) => [
        {
          expr: `round(${sloSeries(requestRateRecord(longWindow), service, slo)} * 1000000)`,
          eval_time: at(t),
          exp_samples: [{ labels: seriesText({ metric: '', labels }), value: Math.round(requestRateAt(low, longWindow, t) * 1e6) }],
        },
      ],
    });
  }

  return plans.map((plan) => {
    const fires = simulateBurnAlerts(slo, plan.inc);
    const low = simulateLowBudget(slo, plan.inc, lowFor);
    const last = Math.max(...plan.evalTimes);
    const tests: AlertRuleTest[] = plan.evalTimes.map((t) => ({
      eval_time: at(t),
      alertname: BURN_RATE_ALERT,
      exp_alerts: fires[t].map((i) => expected(burnRules[i], labels)),
    }));
    if (plan.checkLowBudget) {
      tests.push(...plan.evalTimes.map((t) => ({ eval_time: at(t), alertname: LOW_BUDGET_ALERT, exp_alerts: low[t] ? [expected(lowRule, labels)] : [] })));
    }
    const exprTests = plan.exprTests(last);
    return {
      name: `${service.name} SLO ${plan.name}`,
      interval: STEP,
      input_series: counterSeries(counters, upTo(plan.inc, last)),
      ...(exprTests.length > 0 ? { promql_expr_test: exprTests } : {}),
      alert_rule_test: tests,
    };
  });
}

/** A firing and a quiet case of one symptom alert. */
interface SymptomCase {
  readonly firing?: { readonly series: InputSeries[]; readonly at: number; readonly labels?: Record<string, string> };
  /** A second way the alert fires, named for the test. */
  readonly alsoFiring?: { readonly when: string; readonly series: InputSeries[]; readonly at: number; readonly labels?: Record<string, string> };
  readonly quiet: { readonly series: InputSeries[]; readonly at: number };
}

const MINUTES = 30;

function symptomCase(service: EffectiveService, rule: AlertingRule): SymptomCase | undefined {
  const scope = { job: service.name, namespace: service.namespace };
  const ns = { namespace: service.namespace };
  const pod = `${service.name}-7d9f8c6b5-x2x4z`;
  const ksm = { ...ns, job: 'kube-state-metrics' };
  const series = (metric: string, labels: Record<string, string>, values: string): InputSeries => ({ series: seriesText({ metric, labels }), values });
  switch (rule.alert) {
    case SYMPTOM_ALERTS.errorRate: {
      const { bad, total } = errorRateSelectors(service);
      const totalMatchers = parseMatchers(total) ?? [];
      const badMatchers = parseMatchers(bad) ?? [];
      const badLabels = satisfyingLabels(scope, [...totalMatchers, ...badMatchers]);
      const good = badLabels && goodLabels(badLabels, totalMatchers, badMatchers);
      if (badLabels === undefined || good === undefined) return undefined;
      const metric = service.metrics.requestsMetric;
      const traffic = (errors: number, ok: number): InputSeries[] => [series(metric, badLabels, growing(errors, MINUTES)), series(metric, good, growing(ok, MINUTES))];
      return { firing: { series: traffic(5, 95), at: 15 }, quiet: { series: traffic(1, 199), at: 15 } };
    }
    case SYMPTOM_ALERTS.latency: {
      const slo = service.slos.find((s) => s.kind === 'latency' && s.name === rule.labels.slo);
      if (slo === undefined || slo.kind !== 'latency') return undefined;
      const labels = satisfyingLabels(scope, parseMatchers(slo.selector) ?? []);
      if (labels === undefined) return undefined;
      const threshold = slo.thresholdSeconds;
      const buckets = [...service.metrics.latencyBuckets].sort((a, b) => a - b);
      const next = buckets.find((b) => b > threshold);
      const histogram = (fast: number, slow: number): InputSeries[] => [
        ...buckets.map((b) =>
          series(`${service.metrics.latencyMetric}_bucket`, { ...labels, le: formatGoFloat(b) }, growing((b >= threshold ? fast : 0) + (next !== undefined && b >= next ? slow : 0), MINUTES)),
        ),
        series(`${service.metrics.latencyMetric}_bucket`, { ...labels, le: '+Inf' }, growing(fast + slow, MINUTES)),
      ];
      // Without a finite bucket above the threshold, histogram_quantile cannot report more than the threshold.
      return { firing: next === undefined ? undefined : { series: histogram(95, 5), at: 15 }, quiet: { series: histogram(995, 5), at: 15 } };
    }
    case SYMPTOM_ALERTS.down: {
      const labels = { ...scope, instance: `10.0.0.1:${service.metrics.port}`, pod };
      return {
        firing: { series: [series('up', labels, constant(0, MINUTES))], at: 5 },
        // No target at all (deleted, scaled to zero, not scraped): absent() carries the selector's labels.
        alsoFiring: { when: 'without any target', series: [series('up', { ...labels, job: 'other' }, constant(1, MINUTES))], at: 5, labels: { job: service.name } },
        quiet: { series: [series('up', labels, constant(1, MINUTES))], at: 5 },
      };
    }
    case SYMPTOM_ALERTS.crashLooping: {
      const labels = { ...ksm, pod, container: service.name };
      return {
        firing: { series: [series('kube_pod_container_status_restarts_total', labels, growing(1, MINUTES))], at: 20, labels: { pod } },
        quiet: { series: [series('kube_pod_container_status_restarts_total', labels, constant(3, MINUTES))], at: 20 },
      };
    }
    case SYMPTOM_ALERTS.podNotReady: {
      const labels = { ...ksm, pod, condition: 'false' };
      return {
        firing: { series: [series('kube_pod_status_ready', labels, constant(1, MINUTES))], at: 20, labels: { pod } },
        quiet: { series: [series('kube_pod_status_ready', labels, constant(0, MINUTES))], at: 20 },
      };
    }
    case SYMPTOM_ALERTS.hpaMaxedOut: {
      if (service.autoscaling === false) return undefined;
      const labels = { ...ksm, horizontalpodautoscaler: service.name };
      const max = service.autoscaling.maxReplicas;
      const hpa = (current: number): InputSeries[] => [
        series('kube_horizontalpodautoscaler_status_current_replicas', labels, constant(current, MINUTES)),
        series('kube_horizontalpodautoscaler_spec_max_replicas', labels, constant(max, MINUTES)),
      ];
      return { firing: { series: hpa(max), at: 20 }, quiet: { series: hpa(max - 1), at: 20 } };
    }
    case SYMPTOM_ALERTS.cpuSaturated: {
      const cores = (parseCpu(service.resources.limits.cpu) ?? 1000) / 1000;
      const container = { ...ns, pod, container: service.name };
      const cpu = (share: number): InputSeries[] => [
        series('container_cpu_usage_seconds_total', { ...container, job: 'kubelet' }, growing(share * cores * 60, MINUTES)),
        series('kube_pod_container_resource_limits', { ...container, job: 'kube-state-metrics', resource: 'cpu', unit: 'core' }, constant(cores, MINUTES)),
      ];
      return { firing: { series: cpu(0.9), at: 15, labels: { pod } }, quiet: { series: cpu(0.5), at: 15 } };
    }
    default:
      return undefined;
  }
}

function symptomTestGroups(groups: readonly RuleGroup[], service: EffectiveService): RuleTestGroup[] {
  return alertsOf(groups, symptomRuleGroupName(service)).flatMap((rule) => {
    const c = symptomCase(service, rule);
    if (c === undefined) return [];
    const suffix = rule.labels.slo === undefined ? '' : ` (SLO ${rule.labels.slo})`;
    const groups: RuleTestGroup[] = [];
    if (c.firing !== undefined) {
      groups.push({
        name: `${service.name} ${rule.alert}${suffix} fires`,
        interval: STEP,
        input_series: c.firing.series,
        alert_rule_test: [{ eval_time: at(c.firing.at), alertname: rule.alert, exp_alerts: [expected(rule, c.firing.labels)] }],
      });
    }
    if (c.alsoFiring !== undefined) {
      groups.push({
        name: `${service.name} ${rule.alert}${suffix} fires ${c.alsoFiring.when}`,
        interval: STEP,
        input_series: c.alsoFiring.series,
        alert_rule_test: [{ eval_time: at(c.alsoFiring.at), alertname: rule.alert, exp_alerts: [expected(rule, c.alsoFiring.labels)] }],
      });
    }
    groups.push({
      name: `${service.name} ${rule.alert}${suffix} stays quiet`,
      interval: STEP,
      input_series: c.quiet.series,
      alert_rule_test: [{ eval_time: at(c.quiet.at), alertname: rule.alert, exp_alerts: [] }],
    });
    return groups;
  });
}

/**
 * SLO scenarios that cannot be tested with synthetic series (custom queries reading more
 * than one counter, selectors without a satisfying label set), with the reason.
 */
export function untestableSlos(service: EffectiveService): { slo: string; reason: string }[] {
  return service.slos.flatMap((slo) => {
    const counters = sloCounters(service, slo);
    return typeof counters === 'string' ? [{ slo: slo.name, reason: counters }] : [];
  });
}

/**
 * A `promtool test rules` file for the rules of one service. Expectations are derived from
 * the SLO math (see `burn-simulation.ts`), not read back from Prometheus:
 * - per SLO: a fast burn pages at the minute the 1h window crosses its threshold; a slow
 *   burn at 1.5 × the budget fires only the tiers with a factor below 1.5 (the tickets of the
 *   default tiers); healthy traffic fires nothing; with `minRequestRate`, an all-errors blip
 *   at half that rate does not page;
 * - per symptom alert: one firing and one quiet case.
 *
 * @param ruleFileName the rule file, relative to the test file
 * @param groups the service's rule groups, as written to that file; built once by the caller
 *   and shared with the PrometheusRule, so the tests read the very rules they test
 * @see https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/
 * @example
 * writeFileSync('checkout.test.yaml', renderRuleTests(serviceRuleTests(platform, service, 'checkout.rules.yaml')));
 */
export function serviceRuleTests(
  platform: PlatformDefinition,
  service: EffectiveService,
  ruleFileName: string,
  groups: readonly RuleGroup[] = serviceRuleGroups(platform, service),
): RuleTestFile {
  return {
    rule_files: [ruleFileName],
    evaluation_interval: STEP,
    group_eval_order: groups.map((g) => g.name),
    tests: [...service.slos.flatMap((slo) => sloTestGroups(groups, service, slo)), ...symptomTestGroups(groups, service)],
  };
}

/** Renders a test file as YAML, deterministic. */
export function renderRuleTests(file: RuleTestFile): string {
  return toYaml(file);
}

/** Every alert name a test file checks, sorted. */
export function testedAlertNames(file: RuleTestFile): string[] {
  return [...new Set(file.tests.flatMap((t) => t.alert_rule_test.map((a) => a.alertname)))].sort();
}

/** Alert names of rule groups, sorted, each once. */
export function alertNames(groups: readonly RuleGroup[]): string[] {
  return [...new Set(groups.flatMap((g) => g.rules.filter(isAlertingRule).map((r) => r.alert)))].sort();
}
