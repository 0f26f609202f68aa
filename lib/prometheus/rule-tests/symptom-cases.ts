/**
 * The cases of the symptom alerts: for each alert of `symptom-rules.ts`, input series on
 * which it fires and series on which it stays quiet. The table is keyed by the alert names,
 * so a symptom alert cannot be added without its case.
 */
import { EffectiveService, LatencySlo } from '../../definition';
import { parseCpu } from '../../definition/quantities';
import { formatGoFloat } from '../../private/go-float';
import { parseMatchers } from '../../promql/build';
import { AlertingRule, RuleGroup, groupAlerts } from '../rule-group';
import { scopeMatchers } from '../sli';
import { LATENCY_QUANTILE, SYMPTOM_ALERTS, errorRateSelectors, symptomRuleGroupName } from '../symptom-rules';
import { Bucket, bucketQuantile } from './histogram-quantile';
import { goodLabels, scopedLabels, selects, seriesText } from './synthetic-series';
import { ExpectedAlert, InputSeries, RuleTestGroup, TEST_STEP, at, constant, expectedAlert, growing, sloNote } from './test-file';

/** Input series, the minute to evaluate them at and the labels of the series the alert fires on. */
interface Firing {
  readonly series: InputSeries[];
  readonly at: number;
  /** @default none beyond the rule's own */
  readonly labels?: Record<string, string>;
  /**
   * Other rules of the alert's name that fire on these series too: promtool compares every
   * alert of a name, so they are expected as well (the latency alert of another SLO that reads
   * the same buckets). @default none
   */
  readonly othersFiring?: readonly AlertingRule[];
}

/** A firing and a quiet case of one symptom alert. */
interface SymptomCase {
  /** @default no firing case (the alert cannot fire on synthetic series) */
  readonly firing?: Firing;
  /** A second way the alert fires, named for the test. @default none */
  readonly alsoFiring?: Firing & { readonly when: string };
  readonly quiet: Pick<Firing, 'series' | 'at' | 'othersFiring'>;
}

/** How long every series of a symptom case lasts. */
const MINUTES = 30;

/** What the cases of one service share: its scrape scope, namespace and one of its pods, and its symptom alerts. */
interface CaseContext {
  readonly service: EffectiveService;
  /** Every alerting rule of the symptom group. */
  readonly rules: readonly AlertingRule[];
  readonly scope: Readonly<Record<string, string>>;
  readonly ns: Readonly<Record<string, string>>;
  readonly pod: string;
  /** The labels of kube-state-metrics series about the service. */
  readonly ksm: Readonly<Record<string, string>>;
}

function series(metric: string, labels: Readonly<Record<string, string>>, values: string): InputSeries {
  return { series: seriesText({ metric, labels }), values };
}

type SymptomAlert = (typeof SYMPTOM_ALERTS)[keyof typeof SYMPTOM_ALERTS];
type CaseBuilder = (c: CaseContext, rule: AlertingRule) => SymptomCase | undefined;

function errorRateCase({ service, scope }: CaseContext): SymptomCase | undefined {
  const { bad, total } = errorRateSelectors(service);
  const totalMatchers = parseMatchers(total) ?? [];
  const badMatchers = parseMatchers(bad) ?? [];
  const badLabels = scopedLabels(scope, [...totalMatchers, ...badMatchers]);
  const good = badLabels && goodLabels(badLabels, totalMatchers, badMatchers, scope);
  if (badLabels === undefined || good === undefined) return undefined;
  const metric = service.metrics.requestsMetric;
  const traffic = (errors: number, ok: number): InputSeries[] => [series(metric, badLabels, growing(errors, MINUTES)), series(metric, good, growing(ok, MINUTES))];
  return { firing: { series: traffic(5, 95), at: 15 }, quiet: { series: traffic(1, 199), at: 15 } };
}

/** The latency SLO a `ServiceLatencyHigh` rule watches. */
function latencySloOf(service: EffectiveService, rule: AlertingRule): LatencySlo | undefined {
  return service.slos.find((s): s is LatencySlo => s.kind === 'latency' && s.name === rule.labels.slo);
}

/**
 * The latency rules other than `rule` that fire on a histogram: those whose SLO's selector
 * reads its buckets and whose threshold the 99th percentile of them exceeds. Every bucket
 * grows steadily, so the percentile of their rates is that of their per-minute growth.
 */
function otherLatencyAlerts({ service, rules }: CaseContext, rule: AlertingRule, labels: Readonly<Record<string, string>>, buckets: readonly Bucket[]): AlertingRule[] {
  const metric = `${service.metrics.latencyMetric}_bucket`;
  const scope = parseMatchers(scopeMatchers(service)) ?? [];
  return rules.filter((other) => {
    const slo = other.alert === rule.alert && other !== rule ? latencySloOf(service, other) : undefined;
    const reads = slo !== undefined && selects(metric, [...scope, ...(parseMatchers(slo.selector) ?? [])], { metric, labels });
    return reads && bucketQuantile(LATENCY_QUANTILE, buckets) > slo.thresholdSeconds;
  });
}

function latencyCase(context: CaseContext, rule: AlertingRule): SymptomCase | undefined {
  const { service, scope } = context;
  const slo = latencySloOf(service, rule);
  if (slo === undefined) return undefined;
  const labels = scopedLabels(scope, parseMatchers(slo.selector) ?? []);
  if (labels === undefined) return undefined;
  const threshold = slo.thresholdSeconds;
  const bounds = [...service.metrics.latencyBuckets].sort((a, b) => a - b);
  const next = bounds.find((b) => b > threshold);
  const histogram = (fast: number, slow: number): Pick<Firing, 'series' | 'at' | 'othersFiring'> => {
    const buckets: Bucket[] = [
      ...bounds.map((b) => ({ le: b, count: (b >= threshold ? fast : 0) + (next !== undefined && b >= next ? slow : 0) })),
      { le: Infinity, count: fast + slow },
    ];
    const othersFiring = otherLatencyAlerts(context, rule, labels, buckets);
    return {
      series: buckets.map((b) => series(`${service.metrics.latencyMetric}_bucket`, { ...labels, le: b.le === Infinity ? '+Inf' : formatGoFloat(b.le) }, growing(b.count, MINUTES))),
      at: 15,
      ...(othersFiring.length > 0 ? { othersFiring } : {}),
    };
  };
  // Without a finite bucket above the threshold, histogram_quantile cannot report more than the threshold.
  return { firing: next === undefined ? undefined : histogram(95, 5), quiet: histogram(995, 5) };
}

function downCase({ service, scope, pod }: CaseContext): SymptomCase {
  const labels = { ...scope, instance: `10.0.0.1:${service.metrics.port}`, pod };
  return {
    firing: { series: [series('up', labels, constant(0, MINUTES))], at: 5 },
    // No target at all (deleted, scaled to zero, not scraped): absent() carries the selector's labels.
    alsoFiring: { when: 'without any target', series: [series('up', { ...labels, job: 'other' }, constant(1, MINUTES))], at: 5, labels: { job: service.name } },
    quiet: { series: [series('up', labels, constant(1, MINUTES))], at: 5 },
  };
}

function crashLoopingCase({ service, pod, ksm }: CaseContext): SymptomCase {
  const labels = { ...ksm, pod, container: service.name };
  return {
    firing: { series: [series('kube_pod_container_status_restarts_total', labels, growing(1, MINUTES))], at: 20, labels: { pod } },
    quiet: { series: [series('kube_pod_container_status_restarts_total', labels, constant(3, MINUTES))], at: 20 },
  };
}

function podNotReadyCase({ pod, ksm }: CaseContext): SymptomCase {
  const labels = { ...ksm, pod, condition: 'false' };
  return {
    firing: { series: [series('kube_pod_status_ready', labels, constant(1, MINUTES))], at: 20, labels: { pod } },
    quiet: { series: [series('kube_pod_status_ready', labels, constant(0, MINUTES))], at: 20 },
  };
}

function hpaMaxedOutCase({ service, ksm }: CaseContext): SymptomCase | undefined {
  if (service.autoscaling === false) return undefined;
  const labels = { ...ksm, horizontalpodautoscaler: service.name };
  const max = service.autoscaling.maxReplicas;
  const hpa = (current: number): InputSeries[] => [
    series('kube_horizontalpodautoscaler_status_current_replicas', labels, constant(current, MINUTES)),
    series('kube_horizontalpodautoscaler_spec_max_replicas', labels, constant(max, MINUTES)),
  ];
  return { firing: { series: hpa(max), at: 20 }, quiet: { series: hpa(max - 1), at: 20 } };
}

function cpuSaturatedCase({ service, ns, pod }: CaseContext): SymptomCase {
  const cores = (parseCpu(service.resources.limits.cpu) ?? 1000) / 1000;
  const container = { ...ns, pod, container: service.name };
  const cpu = (share: number): InputSeries[] => [
    series('container_cpu_usage_seconds_total', { ...container, job: 'kubelet' }, growing(share * cores * 60, MINUTES)),
    series('kube_pod_container_resource_limits', { ...container, job: 'kube-state-metrics', resource: 'cpu', unit: 'core' }, constant(cores, MINUTES)),
  ];
  return { firing: { series: cpu(0.9), at: 15, labels: { pod } }, quiet: { series: cpu(0.5), at: 15 } };
}

/** The case of each symptom alert; undefined from a builder when the alert cannot be tested for that service. */
const SYMPTOM_CASES: ReadonlyMap<string, CaseBuilder> = new Map(
  Object.entries({
    [SYMPTOM_ALERTS.errorRate]: errorRateCase,
    [SYMPTOM_ALERTS.latency]: latencyCase,
    [SYMPTOM_ALERTS.down]: downCase,
    [SYMPTOM_ALERTS.crashLooping]: crashLoopingCase,
    [SYMPTOM_ALERTS.podNotReady]: podNotReadyCase,
    [SYMPTOM_ALERTS.hpaMaxedOut]: hpaMaxedOutCase,
    [SYMPTOM_ALERTS.cpuSaturated]: cpuSaturatedCase,
  } satisfies Readonly<Record<SymptomAlert, CaseBuilder>>),
);

/**
 * The tests of a service's symptom alerts, from its symptom rule group: per alert a firing
 * case (and a second one where the alert fires two ways) and a quiet case.
 */
export function symptomTestGroups(groups: readonly RuleGroup[], service: EffectiveService): RuleTestGroup[] {
  const rules = groupAlerts(groups, symptomRuleGroupName(service));
  const context: CaseContext = {
    service,
    rules,
    scope: { job: service.name, namespace: service.namespace },
    ns: { namespace: service.namespace },
    pod: `${service.name}-7d9f8c6b5-x2x4z`,
    ksm: { namespace: service.namespace, job: 'kube-state-metrics' },
  };
  return rules.flatMap((rule) => {
    const c = SYMPTOM_CASES.get(rule.alert)?.(context, rule);
    if (c === undefined) return [];
    const suffix = rule.labels.slo === undefined ? '' : ` (SLO ${rule.labels.slo})`;
    const test = (when: string, input: Pick<Firing, 'series' | 'at' | 'othersFiring'>, expected: ExpectedAlert[]): RuleTestGroup => {
      const others = input.othersFiring ?? [];
      const note = sloNote(others.map((r) => r.labels.slo ?? r.alert), 'fires on the same buckets', 'fire on the same buckets');
      return {
        name: `${service.name} ${rule.alert}${suffix} ${when}${note}`,
        interval: TEST_STEP,
        input_series: input.series,
        alert_rule_test: [{ eval_time: at(input.at), alertname: rule.alert, exp_alerts: [...expected, ...others.map((r) => expectedAlert(r))] }],
      };
    };
    return [
      ...(c.firing === undefined ? [] : [test('fires', c.firing, [expectedAlert(rule, c.firing.labels)])]),
      ...(c.alsoFiring === undefined ? [] : [test(`fires ${c.alsoFiring.when}`, c.alsoFiring, [expectedAlert(rule, c.alsoFiring.labels)])]),
      test('stays quiet', c.quiet, []),
    ];
  });
}
