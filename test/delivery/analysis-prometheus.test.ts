/**
 * The canary analysis decided by a real Prometheus: synthetic stable and canary series of a
 * service, labelled as the ServiceMonitor labels them (`job`, `namespace`, `pod`, and the pod's
 * `rollouts-pod-template-hash` relabeled to `rollouts_pod_template_hash`), backfilled with
 * `promtool tsdb create-blocks-from openmetrics`; the services' generated SLO recording rules
 * evaluated by Prometheus. Each AnalysisTemplate query runs exactly as synthesized, with the
 * hashes Argo Rollouts would pass substituted for its arguments, and its answer is judged by
 * the template's own conditions as Argo Rollouts judges them (`test/support/argo-expression.ts`).
 */
import { Chart, Testing } from 'cdk8s';
import { EffectiveService, PlatformDefinition, ServiceDefinitionInput, resolveEnvironment } from '../../lib/definition';
import { AnalysisTemplate, CANARY_HASH_ARG, POD_TEMPLATE_HASH_LABEL, STABLE_HASH_ARG, canaryAnalysisPlan } from '../../lib/delivery';
import { renderRuleFile } from '../../lib/prometheus/render';
import { serviceRuleGroups } from '../../lib/prometheus/rules';
import { BASE_SERVICE, testPlatform } from '../fixtures/services';
import { ArgoResult, MeasurementPhase, measurementPhase } from '../support/argo-expression';
import { KubeObject } from '../support/schema';
import { backfilledPrometheus } from '../support/backfilled-prometheus';
import { OpenMetricsSeries, counterSeries } from '../support/openmetrics';
import { describeWithTool } from '../support/tools';
import { ANALYSIS_DELIVERY, ANALYSIS_SLOS } from './fixtures';

/** How far back the synthetic series reach, and their sample interval (the default scrape interval). */
const MINUTES = 40;
const STEP_SECONDS = 30;
/** Longest wait for Prometheus to start and evaluate the recording rules. */
const WAIT_MS = 45_000;

/** A track of pods of one ReplicaSet: its hash, request rate, and shares of failed and slow requests. */
interface Track {
  readonly hash: string;
  readonly rate: number;
  readonly errorRatio: number;
  /** Share of requests at or below each latency bucket bound. */
  readonly cumulative: readonly (readonly [string, number])[];
}

const FAST: Track['cumulative'] = [['0.05', 0.5], ['0.1', 0.9], ['0.25', 0.996], ['0.5', 1], ['1', 1], ['+Inf', 1]];
const SLOW: Track['cumulative'] = [['0.05', 0.2], ['0.1', 0.5], ['0.25', 0.9], ['0.5', 0.999], ['1', 1], ['+Inf', 1]];

/** The canaries of `orders` that the cases judge, each under its own pod-template hash, and its stable. */
const ORDERS = Object.freeze({
  stable: { hash: '7d9f8c6b5', rate: 18, errorRatio: 0.0002, cumulative: FAST },
  healthy: { hash: '5c4b3a291', rate: 2, errorRatio: 0.0002, cumulative: FAST },
  failing: { hash: '6f5e4d3c2', rate: 2, errorRatio: 0.06, cumulative: FAST },
  slow: { hash: '8e7d6c5b4', rate: 2, errorRatio: 0.0002, cumulative: SLOW },
  // 0.1 request per second: 12 requests in the 2m window, below the 100 a measurement needs.
  quiet: { hash: '9a8b7c6d5', rate: 0.1, errorRatio: 0, cumulative: FAST },
});
/**
 * Another release in another namespace: its canary carries the same hash as the healthy
 * `orders` canary and fails half its requests; its stable spends ten times its budget.
 */
const LEDGER = Object.freeze({
  stable: { hash: '1a2b3c4d5', rate: 10, errorRatio: 0.01, cumulative: FAST },
  canary: { ...ORDERS.healthy, errorRatio: 0.5 },
});
/** A third service, well within its budget. */
const CATALOG = Object.freeze({ stable: { hash: '2b3c4d5e6', rate: 10, errorRatio: 0.0001, cumulative: FAST } });

/** A counter of a track, counting since ten minutes before the series begin. */
function counter(metric: string, labels: Readonly<Record<string, string>>, rate: number, times: readonly number[]): OpenMetricsSeries {
  return counterSeries(metric, labels, rate, times, 600);
}

/** The series of one track of a service, as the ServiceMonitor's scrape labels them. */
function trackSeries(s: EffectiveService, track: Track, times: readonly number[]): OpenMetricsSeries[] {
  const base = { job: s.name, namespace: s.namespace, pod: `${s.name}-${track.hash}-x1`, [POD_TEMPLATE_HASH_LABEL]: track.hash };
  const histogram = s.metrics.latencyMetric;
  return [
    counter(s.metrics.requestsMetric, { ...base, code: '500' }, track.rate * track.errorRatio, times),
    counter(s.metrics.requestsMetric, { ...base, code: '200' }, track.rate * (1 - track.errorRatio), times),
    ...track.cumulative.map(([le, share]) => counter(`${histogram}_bucket`, { ...base, le }, track.rate * share, times)),
    counter(`${histogram}_count`, base, track.rate, times),
  ];
}

/** The metric of a synthesized AnalysisTemplate, as the CRD spells it. */
interface TemplateMetric {
  readonly name: string;
  readonly successCondition: string;
  readonly failureCondition: string;
  readonly provider: { readonly prometheus: { readonly address: string; readonly query: string } };
}

describeWithTool('promtool', 'canary analysis on a real Prometheus', () => {
  describeWithTool('prometheus', 'the AnalysisTemplate queries and conditions over synthetic canary and stable series', () => {
    const input = (changes: Partial<ServiceDefinitionInput>): ServiceDefinitionInput =>
      ({ ...BASE_SERVICE, slos: ANALYSIS_SLOS, replicas: 4, delivery: { ...ANALYSIS_DELIVERY, steps: [...ANALYSIS_DELIVERY.steps], analysis: { compareToStable: {} } }, ...changes }) as ServiceDefinitionInput;
    const platform: PlatformDefinition = testPlatform(input({}), input({ name: 'ledger', team: 'finance' }), input({ name: 'catalog' }));
    const orders = resolveEnvironment(platform, 'orders', 'prod');
    const ledger = resolveEnvironment(platform, 'ledger', 'prod');
    const catalog = resolveEnvironment(platform, 'catalog', 'prod');

    /** The synthesized templates of a service: the background one and the freeze, by name. */
    function templates(s: EffectiveService): Map<string, TemplateMetric[]> {
      const plan = canaryAnalysisPlan(platform, s);
      const chart = new Chart(Testing.app(), `prod-${s.name}`);
      new AnalysisTemplate(chart, 'canary', { plan: plan.background });
      if (plan.budgetFreeze !== undefined) new AnalysisTemplate(chart, 'freeze', { plan: plan.budgetFreeze });
      const objects = Testing.synth(chart) as KubeObject[];
      return new Map(objects.map((o) => [o.metadata.name, (o.spec as { metrics: TemplateMetric[] }).metrics]));
    }

    let end = 0;

    /**
     * Runs a metric's query as Argo Rollouts does, the arguments filled in, and returns the
     * result as the Prometheus provider hands it to the conditions, and the measurement phase.
     */
    async function measure(metric: TemplateMetric, hashes: { canary: string; stable: string }, time: number): Promise<{ result: ArgoResult; phase: MeasurementPhase }> {
      expect(metric.provider.prometheus.address).toBe(platform.prometheusUrl);
      const expr = metric.provider.prometheus.query.split(`{{args.${CANARY_HASH_ARG}}}`).join(hashes.canary).split(`{{args.${STABLE_HASH_ARG}}}`).join(hashes.stable);
      expect(expr).not.toContain('{{');
      const data = await prometheus.query(expr, time).catch((error: Error) => {
        throw new Error(`${metric.name}: ${error.message}\n${expr}`);
      });
      // The provider passes a vector as the list of its sample values, a scalar as a number.
      const result: ArgoResult =
        data.resultType === 'vector' ? data.result.map((s) => Number(s.value[1])) : data.resultType === 'matrix' ? Number.NaN : Number(data.result[1]);
      return { result, phase: measurementPhase(metric, result) };
    }

    /** The phase of every background metric of `orders` for a canary hash, by metric name. */
    async function judge(s: EffectiveService, canary: string, stable: string): Promise<Record<string, MeasurementPhase>> {
      const metrics = templates(s).get(`${s.name}-canary`) ?? [];
      expect(metrics.length).toBeGreaterThan(0);
      const phases: Record<string, MeasurementPhase> = {};
      for (const m of metrics) phases[m.name] = (await measure(m, { canary, stable }, end)).phase;
      return phases;
    }

    const prometheus = backfilledPrometheus(
      'canary-analysis',
      () => {
        end = Math.floor(Date.now() / 1000 / STEP_SECONDS) * STEP_SECONDS;
        const times = Array.from({ length: (MINUTES * 60) / STEP_SECONDS + 1 }, (_, i) => end - MINUTES * 60 + i * STEP_SECONDS);
        return {
          series: [
            ...Object.values(ORDERS).flatMap((t) => trackSeries(orders, t, times)),
            ...Object.values(LEDGER).flatMap((t) => trackSeries(ledger, t, times)),
            ...Object.values(CATALOG).flatMap((t) => trackSeries(catalog, t, times)),
          ],
          configYaml: 'global:\n  evaluation_interval: 1s\nrule_files:\n  - rules.yaml\n',
          ruleFiles: { 'rules.yaml': renderRuleFile([orders, ledger, catalog].flatMap((s) => serviceRuleGroups(platform, s))) },
          // Ready once the remaining budget of every SLO of the three services is recorded.
          readyWhen: { what: 'the error budgets of every SLO', expr: 'count(slo:error_budget_remaining:ratio) == 6' },
        };
      },
      WAIT_MS,
    );

    /** The phases of the metrics error-ratio, latency, comparison with stable, playbook rollback, in that order. */
    const phases = async (canary: string): Promise<MeasurementPhase[]> => {
      const judged = await judge(orders, canary, ORDERS.stable.hash);
      expect(Object.keys(judged)).toEqual(['error-ratio-availability', 'latency-latency', 'error-increase-vs-stable', 'early-error-ratio']);
      return Object.values(judged);
    };
    const [S, F, I] = ['Successful', 'Failed', 'Inconclusive'] as const;

    it('passes a healthy canary on every metric, though another release shares its hash and fails', async () => {
      expect(await phases(ORDERS.healthy.hash)).toEqual([S, S, S, S]);
      // The same hash in the other release's namespace is that release's failing canary.
      expect((await judge(ledger, LEDGER.canary.hash, LEDGER.stable.hash))['error-ratio-availability']).toBe(F);
    });

    it('fails a canary with 6% errors on the SLO, the comparison with stable and the playbook rollback', async () => {
      expect(await phases(ORDERS.failing.hash)).toEqual([F, S, F, F]);
    });

    it('fails a slow canary on latency only', async () => {
      expect(await phases(ORDERS.slow.hash)).toEqual([S, F, S, S]);
    });

    it('finds a canary with almost no traffic inconclusive on every metric, never passing', async () => {
      expect(await phases(ORDERS.quiet.hash)).toEqual([I, I, I, I]);
      // A hash no pod carries (the canary not yet scraped) is no data either.
      expect(await phases('f0f0f0f0f')).toEqual([I, I, I, I]);
    });

    it('fails the budget freeze on an exhausted error budget and passes it on a healthy one', async () => {
      const freeze = async (s: EffectiveService): Promise<{ result: ArgoResult; phase: MeasurementPhase }> => {
        const metric = templates(s).get(`${s.name}-budget-freeze`)?.[0];
        if (metric === undefined) throw new Error(`no freeze template for ${s.name}`);
        return measure(metric, { canary: 'unused', stable: 'unused' }, Date.now() / 1000);
      };
      // The smallest remaining budget of the service's SLOs: 1 - error ratio / budget, from the synthetic traffic.
      const slowShare = 1 - (FAST.find(([le]) => le === '0.25')?.[1] ?? 0);
      const remaining = (tracks: readonly Track[]): number => {
        const rate = tracks.reduce((a, t) => a + t.rate, 0);
        const errors = tracks.reduce((a, t) => a + t.rate * t.errorRatio, 0) / rate;
        return Math.min(1 - errors / 0.001, 1 - slowShare / 0.01);
      };
      const exhausted = await freeze(ledger);
      expect(exhausted.phase).toBe('Failed');
      expect((exhausted.result as number[])[0]).toBeCloseTo(remaining(Object.values(LEDGER)), 6);
      expect(remaining(Object.values(LEDGER))).toBeLessThan(0);
      const healthy = await freeze(catalog);
      expect(healthy.phase).toBe('Successful');
      expect((healthy.result as number[])[0]).toBeCloseTo(remaining(Object.values(CATALOG)), 6);
    });
  });
});
