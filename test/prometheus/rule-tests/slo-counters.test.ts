import { EffectiveService, SloInput, resolveEnvironment } from '../../../lib/definition';
import { increments } from '../../../lib/prometheus/rule-tests/burn-simulation';
import { counterSeries, sloCounters, untestableSlos } from '../../../lib/prometheus/rule-tests/slo-counters';
import { availability, service } from '../../fixtures/definitions';
import { RULES_PLATFORM, ruleService, rulesPlatform } from '../../fixtures/prometheus';
import { effectiveServices } from '../../../lib/definition';

/** A checkout in prod with the given SLOs. */
function withSlos(...slos: SloInput[]): EffectiveService {
  return resolveEnvironment(rulesPlatform(service({ slos })), 'checkout', 'prod');
}

const custom = (goodQuery: string, totalQuery: string): SloInput => ({ kind: 'custom', name: 'jobs', objective: 99, goodQuery, totalQuery });

describe('sloCounters', () => {
  it('counts bad and good requests of an availability SLO in the requests metric, scoped to the service', () => {
    const checkout = ruleService('checkout');
    expect(sloCounters(checkout, checkout.slos[0])).toEqual({
      bad: { metric: 'http_requests_total', labels: { job: 'checkout', namespace: 'payments', code: '500' } },
      good: { metric: 'http_requests_total', labels: { job: 'checkout', namespace: 'payments' } },
    });
  });

  it('keeps the labels of the total selector on both counters of an availability SLO', () => {
    const s = withSlos(availability({ totalSelector: 'handler="/pay"', badSelector: 'code=~"5.."' }));
    expect(sloCounters(s, s.slos[0])).toEqual({
      bad: { metric: 'http_requests_total', labels: { job: 'checkout', namespace: 'payments', handler: '/pay', code: '500' } },
      good: { metric: 'http_requests_total', labels: { job: 'checkout', namespace: 'payments', handler: '/pay' } },
    });
  });

  it('counts all requests and those within the threshold bucket of a latency SLO', () => {
    const checkout = ruleService('checkout');
    expect(sloCounters(checkout, checkout.slos[1])).toEqual({
      total: { metric: 'http_request_duration_seconds_count', labels: { job: 'checkout', namespace: 'payments' } },
      good: { metric: 'http_request_duration_seconds_bucket', labels: { job: 'checkout', namespace: 'payments', le: '0.3' } },
    });
  });

  it('reads the one counter of each query of a custom SLO', () => {
    const notifier = ruleService('notifier');
    expect(sloCounters(notifier, notifier.slos[0])).toEqual({
      total: { metric: 'notifier_emails_attempted_total', labels: { job: 'notifier', namespace: 'payments' } },
      good: { metric: 'notifier_emails_sent_total', labels: { job: 'notifier', namespace: 'payments' } },
    });
  });

  it('gives the reason when a custom query is not the plain rate of one counter', () => {
    const s = withSlos(custom('sum(rate(jobs_ok_total[{{window}}])) + sum(rate(jobs_retried_total[{{window}}]))', 'sum(rate(jobs_total[{{window}}]))'));
    expect(sloCounters(s, s.slos[0])).toBe('queries of custom SLO jobs are not each the plain rate of one counter, so their values cannot be predicted');
  });

  it('writes the good and the other events of a custom SLO whose queries read one counter as two series of it, as for availability', () => {
    const s = withSlos(custom('sum(rate(jobs_total{result="ok"}[{{window}}]))', 'sum(rate(jobs_total[{{window}}]))'));
    // One series for both would count the good events among the total twice.
    expect(sloCounters(s, s.slos[0])).toEqual({
      bad: { metric: 'jobs_total', labels: { job: 'checkout', namespace: 'payments' } },
      good: { metric: 'jobs_total', labels: { job: 'checkout', namespace: 'payments', result: 'ok' } },
    });
  });

  it('keeps a total and a good counter of one metric apart when the total query does not read the good one', () => {
    const s = withSlos(custom('sum(rate(jobs_total{kind="ok"}[{{window}}]))', 'sum(rate(jobs_total{kind="all"}[{{window}}]))'));
    expect(sloCounters(s, s.slos[0])).toEqual({
      total: { metric: 'jobs_total', labels: { job: 'checkout', namespace: 'payments', kind: 'all' } },
      good: { metric: 'jobs_total', labels: { job: 'checkout', namespace: 'payments', kind: 'ok' } },
    });
  });

  it('gives the reason when another SLO reads the counters with queries it cannot predict', () => {
    const s = withSlos(availability(), custom('sum(rate(http_requests_total{code!~"5.."}[{{window}}])) * 1', 'sum(rate(http_requests_total[{{window}}]))'));
    expect(sloCounters(s, s.slos[0])).toBe('the counters of SLO availability are read by other SLOs: SLO jobs reads them with queries whose values cannot be predicted');
  });

  it('gives the reason when an availability SLO leaves no label set for good requests', () => {
    const s = withSlos(availability({ totalSelector: 'code="500"', badSelector: 'code=~"5.."' }));
    expect(sloCounters(s, s.slos[0])).toBe('no labels found for good and bad requests of SLO availability');
  });
});

describe('untestableSlos', () => {
  it('names every SLO without predictable counters, with its reason', () => {
    const s = withSlos(availability(), custom('sum(rate(jobs_ok_total[{{window}}])) / 2', 'sum(rate(jobs_total[{{window}}]))'));
    expect(untestableSlos(s)).toEqual([{ slo: 'jobs', reason: expect.stringContaining('not each the plain rate of one counter') }]);
  });

  it('names an SLO whose counters another reads unpredictably, with the one that does', () => {
    const s = withSlos(availability(), custom('sum(rate(http_requests_total{code!~"5.."}[{{window}}])) / 2', 'sum(rate(http_requests_total[{{window}}]))'));
    expect(untestableSlos(s).map((u) => u.slo)).toEqual(['availability', 'jobs']);
    expect(untestableSlos(s)[0].reason).toContain('SLO jobs reads them');
  });

  it('finds none in the test platform, custom SLOs included', () => {
    expect(effectiveServices(RULES_PLATFORM).flatMap(untestableSlos)).toEqual([]);
  });
});

describe('counterSeries', () => {
  it('writes each counter as the running total of its share of the increments', () => {
    const inc = increments([{ minutes: 3, perMinute: 10, errorRatio: 0.2 }]);
    const notifier = ruleService('notifier');
    const counters = sloCounters(notifier, notifier.slos[0]);
    if (typeof counters === 'string') throw new Error(counters);
    expect(counterSeries(counters, inc)).toEqual([
      { series: 'notifier_emails_attempted_total{job="notifier", namespace="payments"}', values: '0 10+10x2' },
      { series: 'notifier_emails_sent_total{job="notifier", namespace="payments"}', values: '0 8+8x2' },
    ]);
  });
});
