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
import { ANALYSIS_DEFAULTS } from '../definition/analysis';
import { DefinitionError } from '../definition/errors';
import { DELIVERY_DEFAULTS } from '../definition/delivery';
import { SLO_DEFAULTS } from '../definition/slos';
import type { AvailabilitySlo, BlueGreenDelivery, CanaryDelivery, EffectiveService, LatencySlo, PlatformDefinition } from '../definition';
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

export { ANALYSIS_DEFAULTS };

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
  /** Wait before the first measurement, a Go duration; absent: none. */
  readonly initialDelay?: string;
  /** Measurements taken before the metric completes. */
  readonly count: number;
  /** Failed measurements tolerated; one more fails the analysis. */
  readonly failureLimit: number;
  /** Inconclusive measurements tolerated; one more makes the analysis inconclusive (the rollout pauses). */
  readonly inconclusiveLimit: number;
  /** Consecutive measurement errors (Prometheus unreachable) tolerated; one more errors the analysis. */
  readonly consecutiveErrorLimit: number;
}

/**
 * A metric measured by a Kubernetes Job (the `job` provider): the measurement succeeds when the
 * Job succeeds and fails when it fails.
 * @see https://argo-rollouts.readthedocs.io/en/stable/analysis/job/
 */
export interface JobMetricPlan {
  /** DNS-1123 label, unique in its template. */
  readonly name: string;
  /** What the metric decides. */
  readonly description: string;
  /** The Job's one container. */
  readonly container: {
    readonly name: string;
    /** Pinned by digest. */
    readonly image: string;
    readonly command: readonly string[];
    /** Environment variables, sorted by name. */
    readonly env: Readonly<Record<string, string>>;
    /** User and group the image runs as (not root). */
    readonly runAsUser: number;
    readonly runAsGroup: number;
  };
  /** Seconds the Job may run before Kubernetes fails it. */
  readonly activeDeadlineSeconds: number;
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
  /** Metrics measured by a Job, run alongside the Prometheus ones; absent: none. */
  readonly jobs?: readonly JobMetricPlan[];
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

/** A delivery an analysis is planned for. */
export type AnalysedDelivery = CanaryDelivery | BlueGreenDelivery;

/** The condition prefix of a measurement that has data: one finite value. */
export const MEASURED = 'len(result) == 1 && !isNaN(result[0])';

/** Passes when the measured value is at most `limit`, fails above; no data is neither. */
export function atMost(limit: number): Pick<AnalysisMetricPlan, 'successCondition' | 'failureCondition'> {
  return { successCondition: `${MEASURED} && result[0] <= ${formatNumber(limit)}`, failureCondition: `${MEASURED} && result[0] > ${formatNumber(limit)}` };
}

/** The selector fragment of the canary's or stable's pods: `rollouts_pod_template_hash="{{args.canary-hash}}"`. */
export function hashMatcher(arg: string): string {
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

/**
 * Seconds as a Go duration (`5400` → `1h30m`, `90` → `1m30s`), as Argo Rollouts reads intervals,
 * delays and pauses with `time.ParseDuration`, which has no days.
 */
export function goDuration(seconds: number): string {
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new Error(`not a positive number of seconds: ${seconds}`);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Number((seconds % 60).toPrecision(12));
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 ? `${s}s` : ''}`;
}

/** ⌈a / b⌉, at least 1. */
export function ceilDiv(a: number, b: number): number {
  return Math.max(1, Math.ceil(a / b));
}

/** A canary's step duration in seconds; for blue/green, the default canary's. */
function stepSeconds(delivery: AnalysedDelivery, fallback: number): number {
  return parseDuration(delivery.strategy === 'canary' ? delivery.stepDuration : DELIVERY_DEFAULTS.canary.stepDuration) ?? fallback;
}

/** The service's availability and latency SLOs. */
export function measuredSlos(service: EffectiveService): { availability: AvailabilitySlo[]; latency: LatencySlo[] } {
  return {
    availability: service.slos.filter((s): s is AvailabilitySlo => s.kind === 'availability'),
    latency: service.slos.filter((s): s is LatencySlo => s.kind === 'latency'),
  };
}

/** The delivery of a service an analysis is planned for; a rolling service has none. */
export function analysedDelivery(service: EffectiveService): AnalysedDelivery {
  const delivery = service.delivery;
  if (delivery.strategy === 'rolling') {
    throw new DefinitionError(`analysis of service "${service.name}"`, [{ path: `${service.name}.delivery.strategy`, problem: 'must be canary or blue-green: a rolling delivery has no analysis', value: delivery.strategy }], `${service.environment}/${service.name}`);
  }
  return delivery;
}

/** A template's plan, every query parsed and typed as an instant vector (a bug here is the library's, not the definition's). */
export function templatePlan(platform: Pick<PlatformDefinition, 'prometheusUrl'>, service: EffectiveService, name: string, metrics: readonly AnalysisMetricPlan[], jobs?: readonly JobMetricPlan[]): AnalysisTemplatePlan {
  const where = `[${service.environment}/${service.name}] analysis ${name}`;
  for (const m of metrics) {
    assertPromql(m.query, `${where}/${m.name}`);
    const typeProblems = instantVectorProblems(m.query);
    if (typeProblems.length > 0) throw new Error(`${where}/${m.name}: ${typeProblems.join('; ')}`);
  }
  return { name, namespace: service.namespace, args: [CANARY_HASH_ARG, STABLE_HASH_ARG], prometheusAddress: platform.prometheusUrl, metrics, ...(jobs !== undefined ? { jobs } : {}) };
}

/**
 * The error-budget freeze of a delivery: one measurement that fails while any SLO of the
 * service has the delivery's floor or less of its budget left; absent when the freeze is
 * overridden or the service has no SLO.
 */
export function budgetFreezePlan(platform: Pick<PlatformDefinition, 'prometheusUrl'>, service: EffectiveService): AnalysisTemplatePlan | undefined {
  const delivery = analysedDelivery(service);
  if (delivery.budgetFreeze.override !== undefined || service.slos.length === 0) return undefined;
  const floor = Number((delivery.budgetFreeze.floor / 100).toPrecision(12));
  const i = parseDuration(delivery.analysis.interval) ?? 60;
  const slos = service.slos.map((s) => s.name).sort();
  const remaining = selector(ERROR_BUDGET_REMAINING_RECORD, matcher('service', '=', service.name), slos.length === 1 ? matcher('slo', '=', slos[0]) : matcher('slo', '=~', slos.join('|')));
  return templatePlan(platform, service, `${service.name}-budget-freeze`, [
    {
      name: 'error-budget-remaining',
      description: `Error-budget freeze: no rollout starts while any SLO (${slos.join(', ')}) has ${formatNumber(floor)} or less of its error budget left.`,
      query: `min(${remaining})`,
      successCondition: `${MEASURED} && result[0] > ${formatNumber(floor)}`,
      failureCondition: `${MEASURED} && result[0] <= ${formatNumber(floor)}`,
      interval: goDuration(i),
      count: 1,
      failureLimit: 0,
      inconclusiveLimit: 0,
      consecutiveErrorLimit: ceilDiv(stepSeconds(delivery, i), i),
    },
  ]);
}

/**
 * The canary analysis of a service in an environment, from its SLOs and its delivery's
 * (normalized, already checked) analysis settings.
 *
 * Derived numbers (interval `i`, the canary's steps `n` and pause `p`; for blue/green the
 * default canary's six 5m steps):
 * - `window`: the longer of 2 × `i` and 4 scrape intervals;
 * - `count`: ⌈(sum of the pauses) / i⌉, measurements covering the whole rollout (the playbook
 *   metric: ⌈10m / i⌉; the freeze: 1);
 * - `failureLimit`: 1 for the SLO metrics and the comparison (one noisy measurement is
 *   tolerated, two abort), 0 for the playbook rollback and the freeze;
 * - `inconclusiveLimit`: ⌈p / i⌉, the first step's worth of measurements without enough
 *   traffic; beyond it the analysis is inconclusive and the rollout pauses for a human
 *   (0 for the freeze: no budget data never starts a rollout);
 * - `consecutiveErrorLimit`: ⌈p / i⌉, so the analysis is never blind for more than one step.
 *
 * @example
 * const plan = canaryAnalysisPlan(platform, resolveEnvironment(platform, 'checkout', 'prod'));
 * plan.background.metrics.map((m) => m.name); // ['error-ratio-availability', 'latency-latency', 'early-error-ratio']
 */
export function canaryAnalysisPlan(platform: Pick<PlatformDefinition, 'prometheusUrl'>, service: EffectiveService): CanaryAnalysisPlan {
  const delivery = analysedDelivery(service);
  const settings = delivery.analysis;
  const i = parseDuration(settings.interval) ?? 60;
  const interval = goDuration(i);
  const scrapeSeconds = parseDuration(service.metrics.scrapeInterval) ?? 0;
  const window = formatDuration(Math.max(ANALYSIS_DEFAULTS.intervalsPerWindow * i, ANALYSIS_DEFAULTS.scrapesPerWindow * scrapeSeconds));
  const pause = stepSeconds(delivery, i);
  const pauses = delivery.strategy === 'canary' ? delivery.pauses.map((p) => parseDuration(p) ?? i) : DELIVERY_DEFAULTS.canary.steps.map(() => pause);
  const perStep = ceilDiv(pause, i);
  const observed = pauses.reduce((a, b) => a + b, 0);
  const limits = { interval, count: ceilDiv(observed, i), failureLimit: ANALYSIS_DEFAULTS.sloFailureLimit, inconclusiveLimit: perStep, consecutiveErrorLimit: perStep };
  const canary = new Track(service, CANARY_HASH_ARG, window, settings.minRequests);
  const stable = new Track(service, STABLE_HASH_ARG, window, settings.minRequests);
  const slos = measuredSlos(service);

  const metrics: AnalysisMetricPlan[] = [];
  for (const slo of slos.availability) {
    const max = settings.maxErrorRatio[slo.name] ?? sloErrorBudget(slo);
    metrics.push({
      name: `error-ratio-${slo.name}`,
      description: `The canary's error ratio over ${window} must stay at most ${formatNumber(max)} (SLO ${slo.name}: ${formatNumber(slo.objective)}%).`,
      query: canary.errorRatio(slo.badSelector, slo.totalSelector),
      ...atMost(max),
      ...limits,
    });
  }
  for (const slo of slos.latency) {
    const max = settings.maxLatencySeconds[slo.name] ?? slo.thresholdSeconds;
    metrics.push({
      name: `latency-${slo.name}`,
      description: `The canary's ${formatNumber(slo.objective)}th percentile latency over ${window} must stay at most ${formatNumber(max)}s (SLO ${slo.name}).`,
      query: canary.latencyQuantile(slo.objective / 100, slo.selector),
      ...atMost(max),
      ...limits,
    });
  }
  const first = slos.availability[0];
  if (settings.compareToStable !== false && first !== undefined) {
    const points = settings.compareToStable.maxIncreasePoints;
    metrics.push({
      name: 'error-increase-vs-stable',
      description: `The canary's error ratio may exceed stable's by at most ${formatNumber(points)} percentage points (SLO ${first.name}).`,
      query: `(\n${canary.errorRatio(first.badSelector, first.totalSelector)}\n-\n${stable.errorRatio(first.badSelector, first.totalSelector)}\n) * 100`,
      ...atMost(points),
      ...limits,
    });
  }
  if (settings.earlyRollback) {
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
  const budgetFreeze = budgetFreezePlan(platform, service);
  return {
    background: templatePlan(platform, service, `${service.name}-canary`, metrics),
    ...(budgetFreeze !== undefined ? { budgetFreeze } : {}),
    rolloutArgs: ROLLOUT_ANALYSIS_ARGS,
    intervalSeconds: i,
    window,
    minRequests: settings.minRequests,
  };
}
