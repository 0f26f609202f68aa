/**
 * The game-day hypotheses decided by a real Prometheus: synthetic series of services that are
 * steady for half an hour and then, for the experiment's five minutes, hurt by the fault (more
 * errors, slower answers) or not at all, backfilled with promtool. Each hypothesis and abort
 * query runs exactly as planned: `holds` must return the ratio on a steady service and nothing
 * on a degraded one, `breaks` the reverse, the abort only when the damage reaches the paging
 * rate, and all of them nothing when there is too little traffic to judge.
 */
import { EffectiveService, PlatformDefinition, ServiceDefinitionInput, resolveEnvironment } from '../../lib/definition';
import { SteadyStateHypothesis, gameDayPlans } from '../../lib/chaos';
import { BASE_SERVICE, testPlatform } from '../fixtures/services';
import { backfilledPrometheus } from '../support/backfilled-prometheus';
import { OpenMetricsSeries } from '../support/openmetrics';
import { describeWithTool } from '../support/tools';
import { CHAOS_SLOS } from './fixtures';

const MINUTES = 40;
const STEP_SECONDS = 30;
/** The fault runs over the last five minutes: the experiments' default duration. */
const FAULT_SECONDS = 300;
const WAIT_MS = 45_000;

/** Shares of requests at or below each latency bucket bound. */
type Latency = readonly (readonly [string, number])[];
const FAST: Latency = [['0.05', 0.5], ['0.1', 0.9], ['0.25', 0.998], ['0.5', 1], ['1', 1], ['+Inf', 1]];
/** 5% slower than the 0.25 s threshold: breaks a 99% latency SLO, far from its paging rate. */
const SLOWED: Latency = [['0.05', 0.3], ['0.1', 0.6], ['0.25', 0.95], ['0.5', 1], ['1', 1], ['+Inf', 1]];
/** 30% slower than the threshold: beyond the 14.4× paging rate of a 99% SLO. */
const JAMMED: Latency = [['0.05', 0.1], ['0.1', 0.3], ['0.25', 0.7], ['0.5', 0.9], ['1', 1], ['+Inf', 1]];

/** Traffic of a service before and during the fault. */
interface Phase {
  readonly rate: number;
  readonly errorRatio: number;
  readonly latency: Latency;
}
interface Scenario {
  readonly steady: Phase;
  readonly fault: Phase;
}

const STEADY: Phase = { rate: 10, errorRatio: 0.0002, latency: FAST };
const SCENARIOS = Object.freeze({
  steady: { steady: STEADY, fault: STEADY },
  // A killed pod: 3% errors, beyond the 1.44% a 99.9% SLO pages at.
  killed: { steady: STEADY, fault: { ...STEADY, errorRatio: 0.03 } },
  // 0.5% errors: the hypothesis breaks, but users are not hurt at the paging rate.
  wobbly: { steady: STEADY, fault: { ...STEADY, errorRatio: 0.005 } },
  // 0.2 requests a second: 60 in five minutes, too few to judge.
  quiet: { steady: { ...STEADY, rate: 0.2 }, fault: { ...STEADY, rate: 0.2, errorRatio: 0.5 } },
  slowed: { steady: STEADY, fault: { ...STEADY, latency: SLOWED } },
  jammed: { steady: STEADY, fault: { ...STEADY, latency: JAMMED } },
}) satisfies Record<string, Scenario>;
type Name = keyof typeof SCENARIOS;

/** A counter growing at one rate until `switchAt`, then at another; counting for ten minutes before the first sample. */
function phased(metric: string, labels: Record<string, string>, before: number, after: number, times: readonly number[], switchAt: number): OpenMetricsSeries {
  const start = times[0] - 600;
  const value = (t: number): number => before * (Math.min(t, switchAt) - start) + after * Math.max(0, t - switchAt);
  return { metric, labels, samples: times.map((t) => [t, value(t)] as const) };
}

function serviceSeries(s: EffectiveService, scenario: Scenario, times: readonly number[], switchAt: number): OpenMetricsSeries[] {
  const base = { job: s.name, namespace: s.namespace, pod: `${s.name}-0` };
  const { steady: a, fault: b } = scenario;
  const histogram = s.metrics.latencyMetric;
  return [
    phased(s.metrics.requestsMetric, { ...base, code: '500' }, a.rate * a.errorRatio, b.rate * b.errorRatio, times, switchAt),
    phased(s.metrics.requestsMetric, { ...base, code: '200' }, a.rate * (1 - a.errorRatio), b.rate * (1 - b.errorRatio), times, switchAt),
    ...a.latency.map(([le], i) => phased(`${histogram}_bucket`, { ...base, le }, a.rate * a.latency[i][1], b.rate * b.latency[i][1], times, switchAt)),
    phased(`${histogram}_count`, base, a.rate, b.rate, times, switchAt),
  ];
}

describeWithTool('promtool', 'game-day hypotheses on a real Prometheus', () => {
  describeWithTool('prometheus', 'the hypothesis and abort queries over a steady and a degraded half hour', () => {
    const experiments: ServiceDefinitionInput['gameDays'] = { experiments: [{ kind: 'pod-kill', name: 'kill-one' }] };
    const custom: ServiceDefinitionInput = {
      ...BASE_SERVICE,
      name: 'mailer',
      port: undefined,
      metrics: { port: 9100 },
      slos: [{ kind: 'custom', name: 'delivery', objective: 99, goodQuery: 'sum(rate(mails_sent_total{job="mailer"}[{{window}}]))', totalQuery: 'sum(rate(mails_attempted_total{job="mailer"}[{{window}}]))' }],
      gameDays: experiments,
    };
    const names = Object.keys(SCENARIOS) as Name[];
    const platform: PlatformDefinition = testPlatform(...names.map((name) => ({ ...BASE_SERVICE, name, slos: CHAOS_SLOS, gameDays: experiments }) as ServiceDefinitionInput), custom);
    const service = (name: string) => resolveEnvironment(platform, name, 'prod');
    const hypotheses = (name: string): Record<string, SteadyStateHypothesis> => Object.fromEntries(gameDayPlans(service(name))[0].hypotheses.map((h) => [h.slo, h]));

    let end = 0;

    const prometheus = backfilledPrometheus(
      'game-day',
      () => {
        end = Math.floor(Date.now() / 1000 / STEP_SECONDS) * STEP_SECONDS - 60;
        const times = Array.from({ length: (MINUTES * 60) / STEP_SECONDS + 1 }, (_, i) => end - MINUTES * 60 + i * STEP_SECONDS);
        const switchAt = end - FAULT_SECONDS;
        const mailer = service('mailer');
        const mails = (metric: string, before: number, after: number) => phased(metric, { job: mailer.name, namespace: mailer.namespace, pod: 'mailer-0' }, before, after, times, switchAt);
        const series = [
          ...names.flatMap((name) => serviceSeries(service(name), SCENARIOS[name], times, switchAt)),
          // 5% of the mails fail during the fault: beyond a 99% SLO's budget, short of its paging rate.
          mails('mails_attempted_total', 4, 4),
          mails('mails_sent_total', 4, 3.8),
        ];
        return {
          series,
          configYaml: 'global:\n  evaluation_interval: 1m\n',
          readyWhen: { what: 'the backfilled series', expr: 'count(last_over_time(http_requests_total[1h])) > 0' },
        };
      },
      WAIT_MS,
    );

    /** Whether each query of a hypothesis returns a series at a time, and the ratio `holds` or `breaks` returned. */
    async function judge(h: SteadyStateHypothesis, time = end): Promise<{ holds: boolean; breaks: boolean; abort: boolean; ratio?: number }> {
      const [holds, breaks, abort] = await Promise.all([h.holds, h.breaks, h.abort.query].map((q) => prometheus.vector(q, time)));
      for (const result of [holds, breaks, abort]) expect(result.length).toBeLessThanOrEqual(1);
      const answer = holds[0] ?? breaks[0];
      return { holds: holds.length === 1, breaks: breaks.length === 1, abort: abort.length === 1, ...(answer !== undefined ? { ratio: Number(answer.value[1]) } : {}) };
    }

    it('holds for a steady service, with the error ratio its traffic has', async () => {
      const h = hypotheses('steady');
      const availability = await judge(h.availability);
      expect(availability).toMatchObject({ holds: true, breaks: false, abort: false });
      expect(availability.ratio).toBeCloseTo(0.0002, 9);
      expect((await judge(h.latency)).ratio).toBeCloseTo(0.002, 9);
      expect(await judge(h.latency)).toMatchObject({ holds: true, breaks: false, abort: false });
    });

    it('breaks for a pod kill that costs 3% errors, and aborts: that is the paging rate', async () => {
      const result = await judge(hypotheses('killed').availability);
      expect(result).toMatchObject({ holds: false, breaks: true, abort: true });
      expect(result.ratio).toBeCloseTo(0.03, 9);
      // Before the fault the same service held.
      expect(await judge(hypotheses('killed').availability, end - FAULT_SECONDS - 60)).toMatchObject({ holds: true, breaks: false, abort: false });
    });

    it('breaks for 0.5% errors without aborting: beyond the budget, short of paging', async () => {
      expect(await judge(hypotheses('wobbly').availability)).toMatchObject({ holds: false, breaks: true, abort: false });
    });

    it('breaks the latency SLO of a slowed service, and aborts only when the slowness reaches the paging rate', async () => {
      expect(await judge(hypotheses('slowed').latency)).toMatchObject({ holds: false, breaks: true, abort: false });
      expect(await judge(hypotheses('slowed').availability)).toMatchObject({ holds: true, abort: false });
      const jammed = await judge(hypotheses('jammed').latency);
      expect(jammed).toMatchObject({ holds: false, breaks: true, abort: true });
      expect(jammed.ratio).toBeCloseTo(0.3, 9);
    });

    it('judges nothing with too little traffic, however bad it looks', async () => {
      for (const h of Object.values(hypotheses('quiet'))) expect(await judge(h)).toEqual({ holds: false, breaks: false, abort: false });
    });

    it('judges a custom SLO by its own queries', async () => {
      const result = await judge(hypotheses('mailer').delivery);
      expect(result).toMatchObject({ holds: false, breaks: true, abort: false });
      expect(result.ratio).toBeCloseTo(0.05, 9);
      expect(await judge(hypotheses('mailer').delivery, end - FAULT_SECONDS - 60)).toMatchObject({ holds: true, breaks: false });
    });
  });
});
