/**
 * The SLO scenarios of the rule tests: synthetic traffic (a fast burn, a slow burn, healthy
 * traffic, a blip at low traffic) and what the SLO rules must do with it, minute by minute,
 * as the burn simulation computes it.
 */
import { EffectiveService, Slo } from '../../definition';
import { parseDuration } from '../../promql/duration';
import { RuleGroup, groupAlerts } from '../rule-group';
import { burnRateAlertSpecs, requestRateRecord, sliErrorRecord, sloErrorBudget, sloLabels, sloSeries } from '../sli';
import { BURN_RATE_ALERT, LOW_BUDGET_ALERT, LOW_BUDGET_FOR, sloRuleGroupName } from '../slo-rules';
import { Increments, TrafficSegment, errorRatioAt, increments, requestRateAt, simulateBurnAlerts, simulateLowBudget, upTo } from './burn-simulation';
import { counterSeries, sloCounters } from './slo-counters';
import { seriesText } from './synthetic-series';
import { AlertRuleTest, PromqlExprTest, RuleTestGroup, TEST_STEP, at, expectedAlert } from './test-file';

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
  /** The burn-rate tiers firing at each minute of the scenario, simulated once. */
  readonly fires: readonly (readonly number[])[];
  readonly evalTimes: readonly number[];
  readonly checkLowBudget: boolean;
  readonly exprTests: (last: number) => PromqlExprTest[];
}

/** Minutes the low-budget condition must hold before its alert fires. */
const LOW_BUDGET_FOR_MINUTES = (parseDuration(LOW_BUDGET_FOR) ?? 0) / 60;

/**
 * The tests of one SLO, from the alerts of its rule group: a fast burn pages at the computed
 * minute and not one earlier, a slow burn opens tickets only, healthy traffic fires nothing,
 * and with a low-traffic guard a blip of errors does not page. None when the SLO's counters
 * cannot be synthesized (see `untestableSlos`) or its group has no low-budget alert.
 */
export function sloTestGroups(groups: readonly RuleGroup[], service: EffectiveService, slo: Slo): RuleTestGroup[] {
  const counters = sloCounters(service, slo);
  if (typeof counters === 'string') {
    return [];
  }
  const alerts = groupAlerts(groups, sloRuleGroupName(service, slo));
  const burnRules = alerts.filter((rule) => rule.alert === BURN_RATE_ALERT);
  const lowRule = alerts.find((rule) => rule.alert === LOW_BUDGET_ALERT);
  if (lowRule === undefined) {
    return [];
  }
  const labels = sloLabels(service, slo);
  const scenarios = sloScenarios(slo);
  const plans: ScenarioPlan[] = [];
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
      inc: fast,
      fires: fastFires,
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
      fires: slowFires,
      // Within the simulated horizon: a guarded SLO may open its first ticket late.
      evalTimes: first === undefined ? [HORIZON] : [...new Set([Math.max(1, first - 1), first, Math.min(HORIZON, first + SETTLE)])],
      checkLowBudget: true,
      exprTests: () => [],
    });
  }

  const healthy = increments(scenarios.healthy);
  plans.push({
    name: `${slo.name}: healthy traffic (0.1 × budget) fires nothing`,
    inc: healthy,
    fires: simulateBurnAlerts(slo, healthy),
    evalTimes: [PREAMBLE, 2 * PREAMBLE],
    checkLowBudget: true,
    exprTests: ratioTest(healthy),
  });

  if (slo.minRequestRate !== undefined && slo.burnRateTiers.length > 0) {
    const low = increments(scenarios.lowTraffic);
    const last = low.total.length - 1;
    const longWindow = slo.burnRateTiers[0].longWindow;
    plans.push({
      name: `${slo.name}: a failure blip at low traffic does not page`,
      inc: low,
      fires: simulateBurnAlerts(slo, low),
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
    const last = Math.max(...plan.evalTimes);
    const tests: AlertRuleTest[] = plan.evalTimes.map((t) => ({
      eval_time: at(t),
      alertname: BURN_RATE_ALERT,
      exp_alerts: plan.fires[t].map((i) => expectedAlert(burnRules[i], labels)),
    }));
    if (plan.checkLowBudget) {
      const low = simulateLowBudget(slo, plan.inc, LOW_BUDGET_FOR_MINUTES);
      tests.push(...plan.evalTimes.map((t) => ({ eval_time: at(t), alertname: LOW_BUDGET_ALERT, exp_alerts: low[t] ? [expectedAlert(lowRule, labels)] : [] })));
    }
    const exprTests = plan.exprTests(last);
    return {
      name: `${service.name} SLO ${plan.name}`,
      interval: TEST_STEP,
      input_series: counterSeries(counters, upTo(plan.inc, last)),
      ...(exprTests.length > 0 ? { promql_expr_test: exprTests } : {}),
      alert_rule_test: tests,
    };
  });
}
