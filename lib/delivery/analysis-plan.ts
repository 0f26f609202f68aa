/**
 * The canary analysis of a service, as plain data: which Prometheus queries an Argo Rollouts
 * `AnalysisTemplate` runs against the canary's pods, and when a measurement passes, fails or is
 * inconclusive. Everything is derived from the service's SLOs and delivery settings.
 *
 * Canary and stable are told apart by the `rollouts_pod_template_hash` label: the pod label
 * `rollouts-pod-template-hash` that Argo Rollouts puts on each ReplicaSet's pods, carried onto
 * every scraped series by the ServiceMonitor's relabeling (`POD_TEMPLATE_HASH_RELABELING`). The
 * Rollout passes the two hashes as template arguments (`ROLLOUT_ANALYSIS_ARGS`). Every query
 * also selects the service's `job` and `namespace`, so a template applied to several releases
 * never mixes their series.
 *
 * No data never passes: a query answers only when the canary served at least `minRequests`
 * requests over the window (otherwise it returns an empty vector), and the conditions
 * (`ANALYSIS_CONDITION_SUBSET`) make an empty vector or NaN neither a success nor a failure,
 * that is, inconclusive.
 *
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/analysis/
 * @see https://argo-rollouts.readthedocs.io/en/stable/analysis/prometheus/
 */
import { DefinitionError, DefinitionIssue } from '../definition/errors';
import { DELIVERY_DEFAULTS } from '../definition/delivery';
import { SLO_DEFAULTS } from '../definition/slos';
import type { AvailabilitySlo, EffectiveService, LatencySlo, PlatformDefinition } from '../definition';
import { formatNumber, matcher, selector } from '../promql/build';
import { formatDuration, parseDuration } from '../promql/duration';
import { assertPromql } from '../promql/parse';
import { instantVectorProblems } from '../promql/types';
import { ERROR_BUDGET_REMAINING_RECORD, scopeMatchers, sloErrorBudget } from './rule-names';

/** The series label holding the pod's `rollouts-pod-template-hash`, as the ServiceMonitor relabels it. */
export const POD_TEMPLATE_HASH_LABEL = 'rollouts_pod_template_hash';

/**
 * The relabeling the ServiceMonitor endpoint needs so that every scraped series carries the
 * pod's `rollouts-pod-template-hash` label as `rollouts_pod_template_hash`.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.RelabelConfig
 */
export const POD_TEMPLATE_HASH_RELABELING = Object.freeze({
  action: 'replace',
  sourceLabels: Object.freeze(['__meta_kubernetes_pod_label_rollouts_pod_template_hash']) as readonly string[],
  targetLabel: POD_TEMPLATE_HASH_LABEL,
});

/** The template argument carrying the canary's (latest) pod-template hash. */
export const CANARY_HASH_ARG = 'canary-hash';
/** The template argument carrying the stable pod-template hash. */
export const STABLE_HASH_ARG = 'stable-hash';

/** One argument the Rollout passes to the analysis: a pod-template hash Argo Rollouts fills in. */
export interface RolloutAnalysisArg {
  readonly name: string;
  readonly valueFrom: { readonly podTemplateHashValue: 'Latest' | 'Stable' };
}

/**
 * The `args` a Rollout's `analysis` (background, step, pre- or post-promotion) passes to these
 * templates.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#analysis-template-arguments
 */
export const ROLLOUT_ANALYSIS_ARGS: readonly RolloutAnalysisArg[] = Object.freeze([
  Object.freeze({ name: CANARY_HASH_ARG, valueFrom: Object.freeze({ podTemplateHashValue: 'Latest' as const }) }),
  Object.freeze({ name: STABLE_HASH_ARG, valueFrom: Object.freeze({ podTemplateHashValue: 'Stable' as const }) }),
]);

/**
 * The part of Argo Rollouts' expression language (expr-lang, with Argo's `isNaN`) the
 * conditions use; `test/support/argo-expression.ts` evaluates exactly this subset. `result` is
 * the Prometheus answer as Argo passes it: a list of numbers for a vector.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#metric-success-and-failure-conditions
 */
export const ANALYSIS_CONDITION_SUBSET = Object.freeze([
  'number literals (`0.001`, `5e-05`, `-1`)',
  '`result`, `result[<integer>]`, `len(result)`, `isNaN(<number>)`',
  'comparisons `<`, `<=`, `>`, `>=`, `==`, `!=`',
  '`!`, `&&`, `||` and parentheses',
]);

/** The analysis settings a service's delivery may tune; each optional, each with a default. */
export interface CanaryAnalysisOptions {
  /**
   * Time between two measurements of each metric, a Prometheus duration; at least the scrape
   * interval and at most the canary's `stepDuration`.
   * @default '1m'
   */
  readonly interval?: string;
  /**
   * Requests the canary must have served over a measurement's window for the measurement to
   * count; fewer make it inconclusive.
   * @default 100
   */
  readonly minRequests?: number;
  /**
   * Highest error ratio of the canary per availability SLO (by SLO name); at most the SLO's error
   * budget (`1 - objective`).
   * @default each availability SLO's error budget
   */
  readonly maxErrorRatio?: Readonly<Record<string, number>>;
  /**
   * Highest latency, in seconds, of the canary at the SLO's percentile per latency SLO (by SLO
   * name); at most the SLO's threshold.
   * @default each latency SLO's `thresholdSeconds`
   */
  readonly maxLatencySeconds?: Readonly<Record<string, number>>;
  /**
   * Compare the canary with stable: fail when the canary's error ratio exceeds stable's by more
   * than `maxIncreasePoints` percentage points (a difference, not a ratio of ratios).
   * `maxIncreasePoints` is at most the strictest availability SLO's error budget in percent.
   * @default false (no comparison); `maxIncreasePoints` defaults to that error budget in percent
   */
  readonly compareToStable?: false | { readonly maxIncreasePoints?: number };
  /**
   * The error-budget freeze: a separate template, run before the first traffic shift, fails while
   * any SLO's remaining error budget is at or below `budgetFloor`.
   * @default true
   */
  readonly budgetFreeze?: boolean;
  /**
   * The remaining share of the error budget at or below which the freeze holds, from 0 (spent)
   * up to, not including, 1 (untouched).
   * @default 0
   */
  readonly budgetFloor?: number;
  /**
   * The playbook's automatic rollback: abort when the canary's error ratio exceeds
   * `ANALYSIS_DEFAULTS.earlyRollbackErrorRatio` within `earlyRollbackWindow` of the deploy.
   * @default true
   */
  readonly earlyRollback?: boolean;
}

/** The analysis settings when a delivery gives none: the only source of the `@default`s above. */
export const ANALYSIS_DEFAULTS = Object.freeze({
  /** The definition's analysis interval, which every pause is checked against. */
  interval: DELIVERY_DEFAULTS.analysisInterval,
  minRequests: 100,
  compareToStable: false as const,
  budgetFreeze: true,
  budgetFloor: 0,
  earlyRollback: true,
  /** The playbook's threshold: more than 5% errors aborts. */
  earlyRollbackErrorRatio: 0.05,
  /** The playbook's window after a deploy. */
  earlyRollbackWindow: '10m',
  /** Failed measurements of an SLO metric tolerated before the analysis fails: one noisy measurement. */
  sloFailureLimit: 1,
  /** Rate windows span at least this many scrapes, so `rate()` always has samples. */
  scrapesPerWindow: 4,
  /** Rate windows span at least this many measurement intervals, so measurements overlap. */
  intervalsPerWindow: 2,
});

/** One metric of an AnalysisTemplate: a Prometheus query, its conditions and its limits. */
export interface AnalysisMetricPlan {
  /** DNS-1123 label, unique in its template. */
  readonly name: string;
  /** What the metric decides, for readers of the plan and the runbook. */
  readonly description: string;
  /** The PromQL, with `{{args.canary-hash}}` / `{{args.stable-hash}}` where the hashes go. */
  readonly query: string;
  readonly successCondition: string;
  readonly failureCondition: string;
  /** Time between measurements, a duration. */
  readonly interval: string;
  /** Measurements taken before the metric completes. */
  readonly count: number;
  /** Failed measurements tolerated; one more fails the analysis. */
  readonly failureLimit: number;
  /** Inconclusive measurements tolerated; one more makes the analysis inconclusive (the rollout pauses). */
  readonly inconclusiveLimit: number;
  /** Consecutive measurement errors (Prometheus unreachable) tolerated; one more errors the analysis. */
  readonly consecutiveErrorLimit: number;
}

/** One AnalysisTemplate as data. */
export interface AnalysisTemplatePlan {
  readonly name: string;
  readonly namespace: string;
  /** The argument names the template declares; the Rollout fills them (`ROLLOUT_ANALYSIS_ARGS`). */
  readonly args: readonly string[];
  /** The Prometheus the metrics query. */
  readonly prometheusAddress: string;
  readonly metrics: readonly AnalysisMetricPlan[];
}

/** A service's canary analysis: the background template, and the freeze template when on. */
export interface CanaryAnalysisPlan {
  /** Runs in the background from the first step: SLO metrics, comparison and playbook rollback. */
  readonly background: AnalysisTemplatePlan;
  /** Runs once before any traffic shift (first step or pre-promotion); absent when the freeze is off. */
  readonly budgetFreeze?: AnalysisTemplatePlan;
  /** The arguments a Rollout passes to either template. */
  readonly rolloutArgs: readonly RolloutAnalysisArg[];
  /** The measurement interval in seconds; every pause of the Rollout must be at least this long. */
  readonly intervalSeconds: number;
  /** The range of every `rate()` and `increase()`. */
  readonly window: string;
  readonly minRequests: number;
}

const MEASURED = 'len(result) == 1 && !isNaN(result[0])';
const PROBLEMS = Object.freeze({
  interval: 'must be a Prometheus duration such as 30s, 1m or 2m',
  minRequests: 'must be a whole number of requests, at least 1',
  floor: 'must be a number from 0 (budget spent) up to, not including, 1 (budget untouched)',
  url: 'must be an http:// or https:// URL: the analysis queries Prometheus there',
});

/** Passes when the measured value is at most `limit`, fails above; no data is neither. */
function atMost(limit: number): Pick<AnalysisMetricPlan, 'successCondition' | 'failureCondition'> {
  return { successCondition: `${MEASURED} && result[0] <= ${formatNumber(limit)}`, failureCondition: `${MEASURED} && result[0] > ${formatNumber(limit)}` };
}

/** The selector fragment of the canary's or stable's pods: `rollouts_pod_template_hash="{{args.canary-hash}}"`. */
function hashMatcher(arg: string): string {
  return matcher(POD_TEMPLATE_HASH_LABEL, '=', `{{args.${arg}}}`);
}

/** Queries of one track (canary or stable) of one service over one window. */
class Track {
  private readonly scope: string;

  constructor(
    private readonly service: EffectiveService,
    arg: string,
    private readonly window: string,
    private readonly minRequests: number,
  ) {
    this.scope = `${scopeMatchers(service)}, ${hashMatcher(arg)}`;
  }

  /** `expr` only while the track served `minRequests` requests of `counter` (selected by `fragments`) over the window. */
  private guarded(expr: string, counter: string, ...fragments: readonly string[]): string {
    return `(\n${expr}\n)\nand on ()\n(sum(increase(${selector(counter, this.scope, ...fragments)}[${this.window}])) >= ${formatNumber(this.minRequests)})`;
  }

  /** The error ratio; a missing bad series counts as no errors. */
  public errorRatio(bad: string, total: string): string {
    const metric = this.service.metrics.requestsMetric;
    const ratio = `  (sum(rate(${selector(metric, this.scope, total, bad)}[${this.window}])) or on () vector(0))\n  /\n  sum(rate(${selector(metric, this.scope, total)}[${this.window}]))`;
    return this.guarded(ratio, metric, total);
  }

  /** The latency at a quantile from the histogram. */
  public latencyQuantile(quantile: number, fragment: string): string {
    const metric = this.service.metrics.latencyMetric;
    const expr = `  histogram_quantile(${formatNumber(quantile)}, sum by (le) (rate(${selector(`${metric}_bucket`, this.scope, fragment)}[${this.window}])))`;
    return this.guarded(expr, `${metric}_count`, fragment);
  }
}

function ceilDiv(a: number, b: number): number {
  return Math.max(1, Math.ceil(a / b));
}

/** Collects the option problems; returns the normalized options. */
function checkOptions(platform: Pick<PlatformDefinition, 'name' | 'prometheusUrl'>, service: EffectiveService, options: CanaryAnalysisOptions, issues: DefinitionIssue[]) {
  const at = `${service.name}.delivery.analysis`;
  const add = (path: string, problem: string, value: unknown): void => void issues.push({ path, problem, value });
  if (typeof platform.prometheusUrl !== 'string' || !/^https?:\/\/[^/\s]+/.test(platform.prometheusUrl)) {
    add(`${platform.name}.prometheusUrl`, PROBLEMS.url, platform.prometheusUrl);
  }
  const availability = service.slos.filter((s): s is AvailabilitySlo => s.kind === 'availability');
  const latency = service.slos.filter((s): s is LatencySlo => s.kind === 'latency');
  if (availability.length + latency.length === 0) {
    add(`${service.name}.slos`, 'must hold an availability or latency SLO: the canary analysis measures the canary against them', service.slos.map((s) => `${s.name} (${s.kind})`));
  }
  const interval = options.interval ?? ANALYSIS_DEFAULTS.interval;
  const intervalSeconds = parseDuration(interval);
  const scrapeSeconds = parseDuration(service.metrics.scrapeInterval) ?? 0;
  const stepDuration = service.delivery.strategy === 'canary' ? service.delivery.stepDuration : undefined;
  if (intervalSeconds === undefined) {
    add(`${at}.interval`, PROBLEMS.interval, interval);
  } else if (intervalSeconds < scrapeSeconds) {
    add(`${at}.interval`, `must be at least the scrape interval (${service.metrics.scrapeInterval}): measurements in between see no new samples`, interval);
  } else if (stepDuration !== undefined && intervalSeconds > (parseDuration(stepDuration) ?? Infinity)) {
    add(`${at}.interval`, `must be at most delivery.stepDuration (${stepDuration}), so that every step is measured`, interval);
  }
  const minRequests = options.minRequests ?? ANALYSIS_DEFAULTS.minRequests;
  if (!Number.isInteger(minRequests) || minRequests < 1) add(`${at}.minRequests`, PROBLEMS.minRequests, minRequests);
  const thresholds = <S extends AvailabilitySlo | LatencySlo>(field: string, given: Readonly<Record<string, number>> | undefined, slos: readonly S[], limit: (s: S) => number, what: string): Map<string, number> => {
    const out = new Map<string, number>(slos.map((s) => [s.name, limit(s)]));
    for (const [name, value] of Object.entries(given ?? {})) {
      const slo = slos.find((s) => s.name === name);
      if (slo === undefined) {
        add(`${at}.${field}.${name}`, `must name a ${what} SLO of the service (${slos.length > 0 ? slos.map((s) => s.name).join(', ') : 'none'})`, name);
      } else if (typeof value !== 'number' || !(value > 0) || value > limit(slo)) {
        add(`${at}.${field}.${name}`, `must be above 0 and at most ${formatNumber(limit(slo))}, the ${what === 'availability' ? 'error budget' : 'latency threshold'} of SLO ${name}: a looser canary threshold would pass a canary that breaks the SLO`, value);
      } else {
        out.set(name, value);
      }
    }
    return out;
  };
  const maxErrorRatio = thresholds('maxErrorRatio', options.maxErrorRatio, availability, sloErrorBudget, 'availability');
  const maxLatency = thresholds('maxLatencySeconds', options.maxLatencySeconds, latency, (s) => s.thresholdSeconds, 'latency');
  let maxIncreasePoints: number | undefined;
  const compare = options.compareToStable ?? ANALYSIS_DEFAULTS.compareToStable;
  if (compare !== false) {
    if (availability.length === 0) {
      add(`${at}.compareToStable`, 'needs an availability SLO: the comparison measures error ratios', compare);
    } else {
      const budgetPoints = Number((Math.min(...availability.map(sloErrorBudget)) * 100).toPrecision(12));
      maxIncreasePoints = compare.maxIncreasePoints ?? budgetPoints;
      if (typeof maxIncreasePoints !== 'number' || !(maxIncreasePoints > 0) || maxIncreasePoints > budgetPoints) {
        add(`${at}.compareToStable.maxIncreasePoints`, `must be above 0 and at most ${formatNumber(budgetPoints)} percentage points, the strictest availability SLO's error budget`, maxIncreasePoints);
      }
    }
  }
  const budgetFloor = options.budgetFloor ?? ANALYSIS_DEFAULTS.budgetFloor;
  if (typeof budgetFloor !== 'number' || !(budgetFloor >= 0 && budgetFloor < 1)) add(`${at}.budgetFloor`, PROBLEMS.floor, budgetFloor);
  return { intervalSeconds: intervalSeconds ?? 0, scrapeSeconds, minRequests, maxErrorRatio, maxLatency, maxIncreasePoints, budgetFloor, availability, latency };
}

/**
 * The canary analysis of a service in an environment, from its SLOs and delivery settings.
 *
 * Derived numbers (interval `i`, the canary's steps `n` and pause `p`, `5m` when the service is
 * not a canary):
 * - `window`: the longer of 2 × `i` and 4 scrape intervals;
 * - `count`: ⌈(sum of the pauses, n × p without per-step pauses) / i⌉, measurements covering the whole rollout (the playbook metric:
 *   ⌈10m / i⌉; the freeze: 1);
 * - `failureLimit`: 1 for the SLO metrics and the comparison (one noisy measurement is
 *   tolerated, two abort), 0 for the playbook rollback and the freeze;
 * - `inconclusiveLimit`: ⌈p / i⌉, the first step's worth of measurements without enough
 *   traffic; beyond it the analysis is inconclusive and the rollout pauses for a human
 *   (0 for the freeze: no budget data never starts a rollout);
 * - `consecutiveErrorLimit`: ⌈p / i⌉, so the analysis is never blind for more than one step.
 *
 * Throws a `DefinitionError` listing every problem of the options or the platform.
 *
 * @example
 * const plan = canaryAnalysisPlan(platform, resolveEnvironment(platform, 'checkout', 'prod'));
 * plan.background.metrics.map((m) => m.name); // ['error-ratio-availability', 'latency-latency', 'early-error-ratio']
 */
export function canaryAnalysisPlan(platform: Pick<PlatformDefinition, 'name' | 'prometheusUrl'>, service: EffectiveService, options: CanaryAnalysisOptions = {}): CanaryAnalysisPlan {
  const issues: DefinitionIssue[] = [];
  const o = checkOptions(platform, service, options, issues);
  if (issues.length > 0) throw new DefinitionError(`canary analysis of service "${service.name}"`, issues, `${service.environment}/${service.name}`);

  const i = o.intervalSeconds;
  const interval = formatDuration(i);
  const window = formatDuration(Math.max(ANALYSIS_DEFAULTS.intervalsPerWindow * i, ANALYSIS_DEFAULTS.scrapesPerWindow * o.scrapeSeconds));
  const canaryDelivery = service.delivery.strategy === 'canary' ? service.delivery : DELIVERY_DEFAULTS.canary;
  const pause = parseDuration(canaryDelivery.stepDuration) ?? i;
  const perStep = ceilDiv(pause, i);
  // Per-step pauses where the delivery has them, else the step duration after every step.
  const pauses = 'pauses' in canaryDelivery && Array.isArray(canaryDelivery.pauses) ? (canaryDelivery.pauses as unknown[]).map((p) => (typeof p === 'string' ? parseDuration(p) ?? pause : pause)) : canaryDelivery.steps.map(() => pause);
  const observed = pauses.reduce((a, b) => a + b, 0);
  const limits = { interval, count: ceilDiv(observed, i), failureLimit: ANALYSIS_DEFAULTS.sloFailureLimit, inconclusiveLimit: perStep, consecutiveErrorLimit: perStep };
  const canary = new Track(service, CANARY_HASH_ARG, window, o.minRequests);
  const stable = new Track(service, STABLE_HASH_ARG, window, o.minRequests);

  const metrics: AnalysisMetricPlan[] = [];
  for (const slo of o.availability) {
    const max = o.maxErrorRatio.get(slo.name) ?? sloErrorBudget(slo);
    metrics.push({
      name: `error-ratio-${slo.name}`,
      description: `The canary's error ratio over ${window} must stay at most ${formatNumber(max)} (SLO ${slo.name}: ${formatNumber(slo.objective)}%).`,
      query: canary.errorRatio(slo.badSelector, slo.totalSelector),
      ...atMost(max),
      ...limits,
    });
  }
  for (const slo of o.latency) {
    const max = o.maxLatency.get(slo.name) ?? slo.thresholdSeconds;
    const quantile = slo.objective / 100;
    metrics.push({
      name: `latency-${slo.name}`,
      description: `The canary's ${formatNumber(slo.objective)}th percentile latency over ${window} must stay at most ${formatNumber(max)}s (SLO ${slo.name}).`,
      query: canary.latencyQuantile(quantile, slo.selector),
      ...atMost(max),
      ...limits,
    });
  }
  const first = o.availability[0];
  if (o.maxIncreasePoints !== undefined && first !== undefined) {
    metrics.push({
      name: 'error-increase-vs-stable',
      description: `The canary's error ratio may exceed stable's by at most ${formatNumber(o.maxIncreasePoints)} percentage points (SLO ${first.name}).`,
      query: `(\n${canary.errorRatio(first.badSelector, first.totalSelector)}\n-\n${stable.errorRatio(first.badSelector, first.totalSelector)}\n) * 100`,
      ...atMost(o.maxIncreasePoints),
      ...limits,
    });
  }
  if (options.earlyRollback ?? ANALYSIS_DEFAULTS.earlyRollback) {
    const bad = first?.badSelector ?? SLO_DEFAULTS.badSelector;
    const total = first?.totalSelector ?? SLO_DEFAULTS.totalSelector;
    const early = parseDuration(ANALYSIS_DEFAULTS.earlyRollbackWindow) ?? i;
    metrics.push({
      name: 'early-error-ratio',
      description: `Playbook rollback: more than ${formatNumber(ANALYSIS_DEFAULTS.earlyRollbackErrorRatio * 100)}% errors within ${ANALYSIS_DEFAULTS.earlyRollbackWindow} of the deploy aborts at once.`,
      query: canary.errorRatio(bad, total),
      ...atMost(ANALYSIS_DEFAULTS.earlyRollbackErrorRatio),
      ...limits,
      count: ceilDiv(early, i),
      failureLimit: 0,
    });
  }
  const where = `[${service.environment}/${service.name}] analysis`;
  const template = (name: string, list: readonly AnalysisMetricPlan[]): AnalysisTemplatePlan => {
    for (const m of list) {
      assertPromql(m.query, `${where} ${name}/${m.name}`);
      const typeProblems = instantVectorProblems(m.query);
      if (typeProblems.length > 0) throw new Error(`${where} ${name}/${m.name}: ${typeProblems.join('; ')}`);
    }
    return { name, namespace: service.namespace, args: [CANARY_HASH_ARG, STABLE_HASH_ARG], prometheusAddress: platform.prometheusUrl, metrics: list };
  };

  let budgetFreeze: AnalysisTemplatePlan | undefined;
  if ((options.budgetFreeze ?? ANALYSIS_DEFAULTS.budgetFreeze) && service.slos.length > 0) {
    const slos = service.slos.map((s) => s.name).sort();
    const remaining = selector(ERROR_BUDGET_REMAINING_RECORD, matcher('service', '=', service.name), slos.length === 1 ? matcher('slo', '=', slos[0]) : matcher('slo', '=~', slos.join('|')));
    budgetFreeze = template(`${service.name}-budget-freeze`, [
      {
        name: 'error-budget-remaining',
        description: `Error-budget freeze: no rollout starts while any SLO (${slos.join(', ')}) has ${formatNumber(o.budgetFloor)} or less of its error budget left.`,
        query: `min(${remaining})`,
        successCondition: `${MEASURED} && result[0] > ${formatNumber(o.budgetFloor)}`,
        failureCondition: `${MEASURED} && result[0] <= ${formatNumber(o.budgetFloor)}`,
        interval,
        count: 1,
        failureLimit: 0,
        inconclusiveLimit: 0,
        consecutiveErrorLimit: perStep,
      },
    ]);
  }
  return {
    background: template(`${service.name}-canary`, metrics),
    ...(budgetFreeze !== undefined ? { budgetFreeze } : {}),
    rolloutArgs: ROLLOUT_ANALYSIS_ARGS,
    intervalSeconds: i,
    window,
    minRequests: o.minRequests,
  };
}
