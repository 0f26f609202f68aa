/**
 * The blue/green preview analysis decided by a real Prometheus: synthetic series of a preview's
 * new pods, labelled as the ServiceMonitor labels them, counting from zero since the pods
 * started (readiness probes, then the smoke traffic), backfilled with promtool. Each
 * Prometheus metric of the synthesized preview AnalysisTemplate runs exactly as written, the
 * preview's hash in place of its argument, at the times Argo Rollouts measures it (its initial
 * delay, then every interval, count times), and the measurements are judged by the template's
 * conditions and limits as Argo Rollouts judges them (`test/support/argo-expression.ts`).
 */
import { Chart, Testing } from 'cdk8s';
import { EffectiveService, PlatformDefinition, ServiceDefinitionInput, resolveEnvironment } from '../../lib/definition';
import { AnalysisTemplate, CANARY_HASH_ARG, POD_TEMPLATE_HASH_LABEL, previewAnalysisPlan } from '../../lib/delivery';
import { parseDuration } from '../../lib/promql/duration';
import { BASE_SERVICE, testPlatform } from '../fixtures/services';
import { ArgoResult, MeasurementPhase, MetricPhase, measurementPhase, metricPhase } from '../support/argo-expression';
import { KubeObject } from '../support/schema';
import { backfilledPrometheus } from '../support/backfilled-prometheus';
import { OpenMetricsSeries } from '../support/openmetrics';
import { describeWithTool } from '../support/tools';
import { ANALYSIS_SLOS } from './fixtures';

/** Scrape interval of the synthetic series: the default. */
const SCRAPE = 30;
/** The preview's pods start this long before the analysis, and answer a readiness probe every 10 s. */
const POD_AGE = 90;
const PROBE_PERIOD = 10;
const WAIT_MS = 45_000;

/** Shares of requests at or below each latency bucket bound. */
type Latency = readonly (readonly [string, number])[];
const FAST: Latency = [['0.05', 0.5], ['0.1', 0.9], ['0.25', 0.996], ['0.5', 1], ['1', 1], ['+Inf', 1]];
const SLOW: Latency = [['0.05', 0.2], ['0.1', 0.5], ['0.25', 0.9], ['0.5', 0.999], ['1', 1], ['+Inf', 1]];

/** One preview under one pod-template hash: when its smoke traffic starts (seconds after the analysis starts), how much arrives, with what errors and latency. */
interface Preview {
  readonly hash: string;
  /** Smoke requests the pods get: the definition's 600, fewer when the Job stopped, 0 without smoke traffic. */
  readonly smoke: number;
  readonly startsAfter: number;
  /** Share of the smoke requests answered 500. */
  readonly errorShare: number;
  /** The one smoke request, by number, answered 500 (on the first pod), when errorShare is 0. */
  readonly oneErrorAt?: number;
  readonly latency: Latency;
}

const healthy: Preview = { hash: '5c4b3a291', smoke: 600, startsAfter: 20, errorShare: 0, latency: FAST };
const PREVIEWS = Object.freeze({
  healthy,
  // The Job's pod took the whole start allowance to start.
  late: { ...healthy, hash: '6d5c4b3a2', startsAfter: 60 },
  failing: { ...healthy, hash: '7e6d5c4b3', errorShare: 0.02 },
  oneError: { ...healthy, hash: '8f7e6d5c4', oneErrorAt: 300 },
  slow: { ...healthy, hash: '9a8f7e6d5', latency: SLOW },
  // No smoke traffic reached the pods (the requests metric does not count the path, say).
  quiet: { ...healthy, hash: 'a1b2c3d4e', smoke: 0 },
  // The Job stopped half way.
  partial: { ...healthy, hash: 'b2c3d4e5f', smoke: 300 },
});
/** Another release in another namespace: its preview carries the healthy preview's hash and fails a tenth of its requests. */
const LEDGER: Preview = { ...healthy, errorShare: 0.1 };

describeWithTool('promtool', 'the blue/green preview analysis on a real Prometheus', () => {
  describeWithTool('prometheus', 'the preview AnalysisTemplate over synthetic smoke traffic on new pods', () => {
    const input = (changes: Partial<ServiceDefinitionInput>): ServiceDefinitionInput => ({ ...BASE_SERVICE, slos: ANALYSIS_SLOS, delivery: { strategy: 'blue-green' }, ...changes }) as ServiceDefinitionInput;
    const platform: PlatformDefinition = testPlatform(input({}), input({ name: 'ledger', team: 'finance' }));
    const orders = resolveEnvironment(platform, 'orders', 'prod');
    const ledger = resolveEnvironment(platform, 'ledger', 'prod');

    /** The Prometheus metrics of a service's synthesized preview template. */
    function templateMetrics(s: EffectiveService): TemplateMetric[] {
      const chart = new Chart(Testing.app(), `prod-${s.name}`);
      new AnalysisTemplate(chart, 'preview', { plan: previewAnalysisPlan(platform, s, { service: `${s.name}-preview`, port: 80 }).template });
      const [object] = Testing.synth(chart) as KubeObject[];
      return (object.spec as { metrics: TemplateMetric[] }).metrics.filter((m) => m.provider.prometheus !== undefined);
    }

    /** When the analysis starts: the series run from before it to after its last measurement. */
    let start = 0;

    /** A measurement of a metric at a time, its argument filled in. */
    async function measure(metric: TemplateMetric, hash: string, time: number): Promise<{ result: ArgoResult; phase: MeasurementPhase }> {
      const query = metric.provider.prometheus?.query ?? '';
      const expr = query.split(`{{args.${CANARY_HASH_ARG}}}`).join(hash);
      const data = await prometheus.query(expr, time);
      const result: ArgoResult = data.resultType === 'vector' ? data.result.map((s) => Number(s.value[1])) : Number.NaN;
      return { result, phase: measurementPhase(metric, result) };
    }

    /** The measurements of a metric as Argo Rollouts takes them, until the metric is decided, and its phase. */
    async function run(metric: TemplateMetric, hash: string): Promise<{ phases: MeasurementPhase[]; metric: MetricPhase }> {
      const delay = parseDuration(metric.initialDelay) ?? NaN;
      const interval = parseDuration(metric.interval) ?? NaN;
      const phases: MeasurementPhase[] = [];
      while (metricPhase(phases, metric) === 'Running') phases.push((await measure(metric, hash, start + delay + phases.length * interval)).phase);
      return { phases, metric: metricPhase(phases, metric) };
    }

    /** The phase of each Prometheus metric of a service's preview template for a hash, by name. */
    async function judge(s: EffectiveService, hash: string): Promise<Record<string, MetricPhase>> {
      const out: Record<string, MetricPhase> = {};
      for (const m of templateMetrics(s)) out[m.name] = (await run(m, hash)).metric;
      return out;
    }

    const prometheus = backfilledPrometheus(
      'preview-analysis',
      () => {
        start = Math.floor(Date.now() / 1000 / SCRAPE) * SCRAPE - 900;
        const times = Array.from({ length: (POD_AGE + 660) / SCRAPE + 1 }, (_, i) => start - POD_AGE + i * SCRAPE);
        return {
          series: [...Object.values(PREVIEWS).flatMap((p) => previewSeries(orders, p, times, start)), ...previewSeries(ledger, LEDGER, times, start)],
          configYaml: 'global:\n  evaluation_interval: 1m\n',
          readyWhen: { what: 'the backfilled preview series', expr: `count(last_over_time(http_requests_total[1h])) > 0` },
        };
      },
      WAIT_MS,
    );

    const [S, F, I] = ['Successful', 'Failed', 'Inconclusive'] as const;
    const phases = async (p: Preview) => Object.values(await judge(orders, p.hash));

    it('measures the error ratio and the latency of the preview, in that order', async () => {
      expect(Object.keys(await judge(orders, healthy.hash))).toEqual(['preview-error-ratio-availability', 'preview-latency-latency']);
    });

    it('passes a healthy preview, though another release sharing its hash fails', async () => {
      expect(await phases(PREVIEWS.healthy)).toEqual([S, S]);
      expect((await judge(ledger, LEDGER.hash))['preview-error-ratio-availability']).toBe(F);
    });

    it('passes a preview whose smoke Job took the whole start allowance to begin', async () => {
      expect(await phases(PREVIEWS.late)).toEqual([S, S]);
    });

    it('fails a preview with 2% errors on the error ratio only', async () => {
      expect(await phases(PREVIEWS.failing)).toEqual([F, S]);
    });

    it('fails a preview with a single error, which a rate over the new series would not see', async () => {
      expect(await phases(PREVIEWS.oneError)).toEqual([F, S]);
      // The error series starts at its first error: increase() over it finds nothing to count.
      const missed = await prometheus.vector(`sum(increase(http_requests_total{namespace="shop", ${POD_TEMPLATE_HASH_LABEL}="${PREVIEWS.oneError.hash}", code="500"}[10m]))`, start + 420);
      expect(missed.map((s) => Number(s.value[1]))).toEqual([0]);
    });

    it('fails a slow preview on latency only', async () => {
      expect(await phases(PREVIEWS.slow)).toEqual([S, F]);
    });

    it('finds a preview without smoke traffic, or with half of it, inconclusive, never passing', async () => {
      expect(await phases(PREVIEWS.quiet)).toEqual([I, I]);
      expect(await phases(PREVIEWS.partial)).toEqual([I, I]);
      // A hash no pod carries (the preview not scraped yet) is no data either.
      expect(await phases({ ...healthy, hash: 'f0f0f0f0f' })).toEqual([I, I]);
    });

    it('is inconclusive before the smoke traffic is counted, and decides on the first measurement after it', async () => {
      const [errors] = templateMetrics(orders);
      expect((await measure(errors, healthy.hash, start + 60)).phase).toBe(I);
      // Measured until the count is reached, a healthy preview is judged on every measurement; a failing one fails on the first.
      expect((await run(errors, healthy.hash)).phases).toEqual([S, S, S, S, S]);
      expect((await run(errors, PREVIEWS.failing.hash)).phases).toEqual([F]);
      // The Job that stopped half way: inconclusive every time, until the limit gives up.
      expect((await run(errors, PREVIEWS.partial.hash)).phases).toEqual([I, I, I, I, I]);
    });
  });
});

/** The metric of a synthesized AnalysisTemplate, as the CRD spells it. */
interface TemplateMetric {
  readonly name: string;
  readonly successCondition: string;
  readonly failureCondition: string;
  readonly initialDelay: string;
  readonly interval: string;
  readonly count: number;
  readonly failureLimit: number;
  readonly inconclusiveLimit: number;
  readonly consecutiveErrorLimit: number;
  readonly provider: { readonly prometheus?: { readonly address: string; readonly query: string } };
}

/**
 * The series of a preview's two pods as scraped every 30 s: the request counter by code and
 * the latency histogram, each counting from zero since its pod started. A series exists from
 * its first count on, as client libraries create a labelled counter at its first increment.
 */
function previewSeries(s: EffectiveService, p: Preview, times: readonly number[], start: number): OpenMetricsSeries[] {
  const rate = 5; // the definition's default, split over the two pods
  const pods = ['x1', 'x2'];
  return pods.flatMap((pod, index) => {
    const labels = { job: s.name, namespace: s.namespace, pod: `${s.name}-${p.hash}-${pod}`, [POD_TEMPLATE_HASH_LABEL]: p.hash };
    const probes = (t: number): number => Math.max(0, Math.floor((t - (start - POD_AGE)) / PROBE_PERIOD));
    /** Smoke requests this pod answered by `t`; the pods take turns. */
    const smoke = (t: number): number => {
      const sent = Math.min(p.smoke, Math.max(0, Math.floor((t - start - p.startsAfter) * rate)));
      return Math.floor((sent + (pods.length - 1 - index)) / pods.length);
    };
    const errors = (t: number): number => (p.oneErrorAt !== undefined ? (index === 0 && smoke(t) * pods.length >= p.oneErrorAt ? 1 : 0) : Math.floor(smoke(t) * p.errorShare));
    const sampled = (metric: string, extra: Record<string, string>, value: (t: number) => number): OpenMetricsSeries => ({
      metric,
      labels: { ...labels, ...extra },
      samples: times.map((t) => [t, value(t)] as const).filter(([, v]) => v > 0),
    });
    const histogram = s.metrics.latencyMetric;
    return [
      sampled(s.metrics.requestsMetric, { code: '200' }, (t) => probes(t) + smoke(t) - errors(t)),
      sampled(s.metrics.requestsMetric, { code: '500' }, errors),
      ...p.latency.map(([le, share]) => sampled(`${histogram}_bucket`, { le }, (t) => probes(t) + Math.floor(smoke(t) * share))),
      sampled(`${histogram}_count`, {}, (t) => probes(t) + smoke(t)),
    ].filter((series) => series.samples.length > 0);
  });
}
