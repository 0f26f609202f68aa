/**
 * The SLO scenarios of the rule tests: synthetic traffic (a fast burn, a slow burn, healthy
 * traffic, a blip at low traffic) and what the SLO rules must do with it, minute by minute,
 * as the burn simulation computes it.
 */
import { EffectiveService, Slo } from '../../definition';
import { formatNumber } from '../../promql/build';
import { parseDuration } from '../../promql/duration';
import { AlertingRule, RuleGroup, groupAlerts } from '../rule-group';
import { burnRateAlertSpecs, requestRateRecord, sliErrorRecord, sloErrorBudget, sloLabels, sloSeries } from '../sli';
import { BURN_RATE_ALERT, LOW_BUDGET_ALERT, LOW_BUDGET_FOR, sloRuleGroupName } from '../slo-rules';
import { BoundedCache } from '../../private/bounded-cache';
import { Increments, Ties, TrafficSegment, errorRatioAt, increments, requestRateAt, simulateBurnAlerts, simulateLowBudget, upTo } from './burn-simulation';
import { SloCounters, counterSeries, scenarioCounters, sloCounters } from './slo-counters';
import { ScenarioCounter, SloStream, sloStreams } from './slo-readings';
import { seriesText } from './synthetic-series';
import { AlertRuleTest, ExpectedAlert, PromqlExprTest, RuleTestGroup, TEST_STEP, at, expectedAlert, sloNote } from './test-file';

/** Requests per minute of the synthetic traffic: well above any low-traffic guard. */
function busyPerMinute(slo: Slo): number {
  return 10000 * Math.max(1, Math.ceil((slo.minRequestRate ?? 0) / 10));
}

/** The error ratio of the fast-burn test: the first of 20%, 50%, 100% above 1.5 × the highest tier threshold. */
export function fastBurnRatio(slo: Slo): number {
  const highest = Math.max(0, ...burnRateAlertSpecs(slo).map((s) => s.threshold));
  return [0.2, 0.5].find((r) => r > 1.5 * highest) ?? 1;
}

/** A list of numbers as exact text, each run of equal values once with its length: `10000*420`. */
function runsOf(values: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i + 1;
    while (j < values.length && values[j] === values[i]) j++;
    parts.push(`${values[i]}*${j - i}`);
    i = j;
  }
  return parts.join(',');
}

/**
 * Recent simulations, keyed by all they read: a fleet's SLOs share a few objectives, periods
 * and tiers, so their scenarios are simulated on the same traffic again and again (and every
 * environment of a service asks the same). Bounded: the least recently used goes.
 */
const burnSimulations = new BoundedCache<string, readonly (readonly number[])[]>(512);
const lowBudgetSimulations = new BoundedCache<string, readonly boolean[]>(512);

/** `simulateBurnAlerts` of an SLO's tiers and guard on a scenario, computed once while it is recent. */
function burnAlerts(slo: Slo, inc: Increments, ties?: Ties): readonly (readonly number[])[] {
  const key = `${JSON.stringify(burnRateAlertSpecs(slo))} ${slo.minRequestRate} ${ties} ${runsOf(inc.total)} ${runsOf(inc.bad)}`;
  return burnSimulations.getOrCompute(key, () => simulateBurnAlerts(slo, inc, { ties }));
}

/** `simulateLowBudget` of an SLO's objective and period on a scenario, computed once while it is recent. */
function lowBudget(slo: Slo, inc: Increments, ties?: Ties): readonly boolean[] {
  const key = `${slo.objective} ${slo.period} ${LOW_BUDGET_FOR_MINUTES} ${ties} ${runsOf(inc.total)} ${runsOf(inc.bad)}`;
  return lowBudgetSimulations.getOrCompute(key, () => simulateLowBudget(slo, inc, LOW_BUDGET_FOR_MINUTES, { ties }));
}

/** Minutes of healthy traffic before a burn starts, so the windows hold a normal hour. */
const PREAMBLE = 60;
/** How far the scenarios look for the first alert. */
const HORIZON = 360;
/** Minutes after the first ticket at which a slow burn is checked again: still no page. */
const SETTLE = 30;

/** The SLO scenarios, in the order of their tests. */
const SCENARIOS = ['fastBurn', 'slowBurn', 'healthy', 'lowTraffic'] as const;
type Scenario = (typeof SCENARIOS)[number];

/**
 * The synthetic traffic of each SLO scenario.
 * @param scale factor of every rate and error ratio; see `NUDGES`. @default 1
 */
export function sloScenarios(slo: Slo, scale = 1): Record<Scenario, TrafficSegment[]> {
  const busy = busyPerMinute(slo) * scale;
  const budget = sloErrorBudget(slo);
  const quiet = (slo.minRequestRate ?? 1) * 30 * scale; // half the guard's rate, per minute
  return {
    fastBurn: [
      { minutes: PREAMBLE, perMinute: busy, errorRatio: 0 },
      { minutes: HORIZON, perMinute: busy, errorRatio: fastBurnRatio(slo) * scale },
    ],
    slowBurn: [{ minutes: HORIZON, perMinute: busy, errorRatio: 1.5 * budget * scale }],
    healthy: [{ minutes: HORIZON, perMinute: busy, errorRatio: 0.1 * budget * scale }],
    lowTraffic: [
      { minutes: PREAMBLE, perMinute: quiet, errorRatio: 0 },
      { minutes: 10, perMinute: quiet, errorRatio: 1 * scale },
    ],
  };
}

/**
 * Factors a scenario's traffic is scaled by, in turn, while another SLO reading it would sit
 * on a threshold at a minute the test depends on (a budget twice this SLO's is left at exactly
 * 25% by a slow burn at 1.5 × this budget, for instance). Prometheus may compute such a value
 * on either side; a percent off, it cannot. A scenario still on a threshold at every factor
 * is left out. Without another SLO reading its series, a scenario keeps its traffic.
 */
const NUDGES = [1, 0.99, 1.01, 0.98, 1.02, 0.97, 1.03];

/** The first minute, from `from` on, at which an alert fires; undefined when it never does. */
function firstMinute(fires: readonly boolean[], from = 0): number | undefined {
  const index = fires.findIndex((f, t) => t >= from && f);
  return index < 0 ? undefined : index;
}

/** What one SLO scenario expects at its evaluation times. */
interface ScenarioPlan {
  readonly name: string;
  /** The whole scenario; its input series end at the last evaluation time. */
  readonly inc: Increments;
  readonly evalTimes: readonly number[];
  readonly checkLowBudget: boolean;
  /** A recorded series of the SLO checked at the last evaluation time, and its value from the events. @default none */
  readonly check?: { readonly record: string; readonly value: (inc: Increments, t: number) => number };
}

/** Minutes the low-budget condition must hold before its alert fires. */
const LOW_BUDGET_FOR_MINUTES = (parseDuration(LOW_BUDGET_FOR) ?? 0) / 60;

/** The alerts of one SLO's rule group. */
interface SloAlerting {
  readonly slo: Slo;
  /** By tier index. */
  readonly burn: readonly AlertingRule[];
  readonly low?: AlertingRule;
}

/** What one series an SLO records from a scenario fires, minute by minute, simulated once over the whole scenario. */
interface StreamOutcome {
  readonly stream: SloStream;
  /** The labels of the recorded series: those the SLO's queries keep, then the SLO's own. */
  readonly labels: Readonly<Record<string, string>>;
  /** The burn-rate tiers firing at each minute. */
  readonly burn: readonly (readonly number[])[];
  /** Whether the low-budget alert fires at each minute; empty when the scenario does not check it. */
  readonly low: readonly boolean[];
}

/** What one SLO records and fires on a scenario's counters. */
interface SloOutcome {
  readonly alerting: SloAlerting;
  readonly streams: readonly StreamOutcome[];
}

/** A recorded value in millionths, rounded as the check's `round(... * 1000000)` rounds it. */
function micro(value: number): number {
  return Math.round(value * 1e6);
}

/** The plan of one scenario of an SLO at one scale; undefined when the scenario does not apply to the SLO. */
function scenarioPlan(slo: Slo, scenario: Scenario, scale: number): ScenarioPlan | undefined {
  const traffic = sloScenarios(slo, scale);
  const ratioCheck = { record: sliErrorRecord('5m'), value: (inc: Increments, t: number) => errorRatioAt(inc, '5m', t) };
  const tiered = slo.burnRateTiers.length > 0;
  switch (scenario) {
    case 'fastBurn': {
      if (!tiered) return undefined;
      const fast = increments(traffic.fastBurn);
      const page = firstMinute(burnAlerts(slo, fast).map((tiers) => tiers.includes(0)), PREAMBLE);
      const last = page ?? fast.total.length - 1;
      return {
        name: `${slo.name}: a fast burn (${formatNumber(fastBurnRatio(slo) * scale * 100)}% bad) pages at minute ${last}`,
        inc: fast,
        evalTimes: page === undefined ? [last] : [page - 1, page],
        checkLowBudget: false,
        check: ratioCheck,
      };
    }
    case 'slowBurn': {
      if (!tiered) return undefined;
      const slow = increments(traffic.slowBurn);
      const first = firstMinute(burnAlerts(slo, slow).map((tiers) => tiers.length > 0));
      return {
        name: `${slo.name}: a slow burn (${formatNumber(1.5 * scale)} × budget) opens a ticket, never a page`,
        inc: slow,
        // Within the simulated horizon: a guarded SLO may open its first ticket late.
        evalTimes: first === undefined ? [HORIZON] : [...new Set([Math.max(1, first - 1), first, Math.min(HORIZON, first + SETTLE)])],
        checkLowBudget: true,
      };
    }
    case 'healthy':
      return {
        name: `${slo.name}: healthy traffic (${formatNumber(0.1 * scale)} × budget) fires nothing`,
        inc: increments(traffic.healthy),
        evalTimes: [PREAMBLE, 2 * PREAMBLE],
        checkLowBudget: true,
        check: ratioCheck,
      };
    case 'lowTraffic': {
      if (slo.minRequestRate === undefined || !tiered) return undefined;
      const low = increments(traffic.lowTraffic);
      const last = low.total.length - 1;
      const longWindow = slo.burnRateTiers[0].longWindow;
      return {
        name: `${slo.name}: a failure blip at low traffic does not page`,
        inc: low,
        evalTimes: [last - 5, last],
        checkLowBudget: false,
        check: { record: requestRateRecord(longWindow), value: (inc, t) => requestRateAt(inc, longWindow, t) },
      };
    }
  }
}

/** Whether two simulations agree at every minute up to `last`: the same tiers, or the same low-budget state. */
function agree(a: readonly (readonly number[] | boolean)[], b: readonly (readonly number[] | boolean)[], last: number): boolean {
  for (let t = 0; t <= last; t++) {
    const x = a[t];
    const y = b[t];
    if (typeof x === 'boolean' || typeof y === 'boolean' ? x !== y : x.length !== y.length || x.some((tier, i) => tier !== y[i])) return false;
  }
  return true;
}

/**
 * What every SLO of the service records and fires on the counters of a scenario, in
 * definition order; undefined when an alert of another SLO that the test checks depends, up
 * to its last evaluation time, on a value that sits on its threshold. The scenarios are made
 * for the SLO under test, whose alerts are simulated as computed.
 */
function outcomes(service: EffectiveService, slo: Slo, alerting: readonly SloAlerting[], counters: readonly ScenarioCounter[], plan: ScenarioPlan): SloOutcome[] | undefined {
  const last = Math.max(...plan.evalTimes);
  const result: SloOutcome[] = [];
  for (const a of alerting) {
    const ties: Ties | undefined = a.slo.name === slo.name ? undefined : 'fire';
    const streams: StreamOutcome[] = [];
    for (const stream of sloStreams(service, a.slo, counters)) {
      const burn = burnAlerts(a.slo, stream.inc, ties);
      const low = plan.checkLowBudget ? lowBudget(a.slo, stream.inc, ties) : [];
      if (ties !== undefined) {
        if (!agree(burn, burnAlerts(a.slo, stream.inc, 'quiet'), last)) return undefined;
        if (plan.checkLowBudget && !agree(low, lowBudget(a.slo, stream.inc, 'quiet'), last)) return undefined;
      }
      streams.push({ stream, labels: { ...stream.labels, ...sloLabels(service, a.slo) }, burn, low });
    }
    result.push({ alerting: a, streams });
  }
  return result;
}

/** The test of one scenario: the scenario's counters, the own SLO's recorded series, and the alerts of every SLO at each evaluation time. */
function scenarioTest(service: EffectiveService, slo: Slo, counters: SloCounters, plan: ScenarioPlan, read: readonly SloOutcome[]): RuleTestGroup {
  const last = Math.max(...plan.evalTimes);
  const expected = (t: number, alertname: string): ExpectedAlert[] =>
    read.flatMap(({ alerting: a, streams }) =>
      streams.flatMap((s) => {
        const rules = alertname === BURN_RATE_ALERT ? s.burn[t].map((tier) => a.burn[tier]) : s.low[t] ? [a.low] : [];
        return rules.flatMap((rule) => (rule === undefined ? [] : [expectedAlert(rule, s.labels)]));
      }),
    );
  const alertnames = plan.checkLowBudget ? [BURN_RATE_ALERT, LOW_BUDGET_ALERT] : [BURN_RATE_ALERT];
  const tests: AlertRuleTest[] = alertnames.flatMap((alertname) => plan.evalTimes.map((t) => ({ eval_time: at(t), alertname, exp_alerts: expected(t, alertname) })));
  const own = read.find((r) => r.alerting.slo.name === slo.name)?.streams ?? [];
  const check = plan.check;
  const exprTests: PromqlExprTest[] =
    check === undefined
      ? []
      : [
          {
            expr: `round(${sloSeries(check.record, service, slo)} * 1000000)`,
            eval_time: at(last),
            // A recorded error ratio is kept only when it is a number of at least 0 (see `sloRecordingRules`).
            exp_samples: own.flatMap((s) => {
              const value = check.value(s.stream.inc, last);
              return value >= 0 ? [{ labels: seriesText({ metric: '', labels: s.labels }), value: micro(value) }] : [];
            }),
          },
        ];
  const sharing = read.filter((r) => r.alerting.slo.name !== slo.name && r.streams.length > 0).map((r) => r.alerting.slo.name);
  return {
    name: `${service.name} SLO ${plan.name}${sloNote(sharing, 'reads the same series', 'read the same series')}`,
    interval: TEST_STEP,
    input_series: counterSeries(counters, upTo(plan.inc, last)),
    ...(exprTests.length > 0 ? { promql_expr_test: exprTests } : {}),
    alert_rule_test: tests,
  };
}

/**
 * The tests of one SLO, from the alerts of its rule group: a fast burn pages at the computed
 * minute and not one earlier, a slow burn opens tickets only, healthy traffic fires nothing,
 * and with a low-traffic guard a blip of errors does not page. None when the SLO's counters
 * cannot be synthesized (see `untestableSlos`) or its group has no low-budget alert.
 *
 * Every SLO of the service reads each scenario's counters (see `slo-readings.ts`): when another
 * SLO reads the same series, the alerts it fires are expected too, since promtool compares
 * every alert of a name, whatever group fires it, and the test says so in its name.
 */
export function sloTestGroups(groups: readonly RuleGroup[], service: EffectiveService, slo: Slo): RuleTestGroup[] {
  const counters = sloCounters(service, slo);
  if (typeof counters === 'string') {
    return [];
  }
  const alerting: SloAlerting[] = service.slos.map((s) => {
    const alerts = groupAlerts(groups, sloRuleGroupName(service, s));
    return { slo: s, burn: alerts.filter((rule) => rule.alert === BURN_RATE_ALERT), low: alerts.find((rule) => rule.alert === LOW_BUDGET_ALERT) };
  });
  if (alerting.find((a) => a.slo.name === slo.name)?.low === undefined) {
    return [];
  }
  return SCENARIOS.flatMap((scenario) => {
    for (const scale of NUDGES) {
      const plan = scenarioPlan(slo, scenario, scale);
      if (plan === undefined) return [];
      if (plan.inc.total.some((total, m) => plan.inc.bad[m] > total)) continue;
      const read = outcomes(service, slo, alerting, scenarioCounters(counters, plan.inc), plan);
      if (read !== undefined) return [scenarioTest(service, slo, counters, plan, read)];
    }
    return [];
  });
}
