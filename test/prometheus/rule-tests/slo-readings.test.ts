import { EffectiveService, SloInput, resolveEnvironment } from '../../../lib/definition';
import { increments } from '../../../lib/prometheus/rule-tests/burn-simulation';
import { scenarioCounters, sloCounters } from '../../../lib/prometheus/rule-tests/slo-counters';
import { ScenarioCounter, sloStreams, unpredictableReading } from '../../../lib/prometheus/rule-tests/slo-readings';
import { availability, service } from '../../fixtures/definitions';
import { ruleService, rulesPlatform } from '../../fixtures/prometheus';
import { sharedService } from '../shared-series';

/** A checkout in prod with the given SLOs. */
function withSlos(...slos: SloInput[]): EffectiveService {
  return resolveEnvironment(rulesPlatform(service({ slos })), 'checkout', 'prod');
}

const custom = (name: string, goodQuery: string, totalQuery: string): SloInput => ({ kind: 'custom', name, objective: 99, goodQuery, totalQuery });

/** The counters of the scenarios of SLO `of`, made as for a service of that SLO alone: 3 minutes of 100 requests, 10% of them bad. */
function countersOf(s: EffectiveService, of: string): ScenarioCounter[] {
  const alone = { ...s, slos: s.slos.filter((x) => x.name === of) };
  const counters = sloCounters(alone, alone.slos[0]);
  if (typeof counters === 'string') throw new Error(counters);
  return scenarioCounters(counters, increments([{ minutes: 3, perMinute: 100, errorRatio: 0.1 }]));
}

const slo = (s: EffectiveService, name: string) => s.slos.find((x) => x.name === name)!;
const INTENDED = { total: [0, 100, 100, 100], bad: [0, 10, 10, 10] };

describe('sloStreams', () => {
  it('gives an SLO on its own counters the events its scenario intends, in one series without labels of its own', () => {
    const checkout = ruleService('checkout');
    for (const s of checkout.slos) {
      expect(sloStreams(checkout, s, countersOf(checkout, s.name))).toEqual([{ labels: {}, inc: INTENDED }]);
    }
  });

  it('reads the requests of one availability SLO with the other over the same requests', () => {
    const twice = sharedService('twice');
    expect(sloStreams(twice, slo(twice, 'weekly'), countersOf(twice, 'availability'))).toEqual([{ labels: {}, inc: INTENDED }]);
    expect(sloStreams(twice, slo(twice, 'availability'), countersOf(twice, 'weekly'))).toEqual([{ labels: {}, inc: INTENDED }]);
  });

  it('counts every histogram count without a code as failed for an availability SLO on the histogram, and nothing the other way', () => {
    const histogram = sharedService('histogram');
    // code!~"2.." accepts the absent code of the latency counters: all 100 requests a minute fail.
    expect(sloStreams(histogram, slo(histogram, 'availability'), countersOf(histogram, 'latency'))).toEqual([{ labels: {}, inc: { total: INTENDED.total, bad: INTENDED.total } }]);
    // The latency SLO finds the counts of the availability scenario, but no bucket: a sum over no series is no series.
    expect(sloStreams(histogram, slo(histogram, 'latency'), countersOf(histogram, 'availability'))).toEqual([]);
  });

  it('reads nothing where its selectors accept none of the counters', () => {
    const s = withSlos(availability({ totalSelector: 'handler="/a"' }), availability({ name: 'b', totalSelector: 'handler="/b"' }));
    expect(sloStreams(s, slo(s, 'b'), countersOf(s, 'availability'))).toEqual([]);
  });

  it('keeps the groups of a custom query summed by labels, with their labels', () => {
    const s = withSlos(availability(), custom('byjob', 'sum by (job) (rate(http_requests_total{code!~"5.."}[{{window}}]))', 'sum by (job) (rate(http_requests_total[{{window}}]))'));
    expect(sloStreams(s, slo(s, 'byjob'), countersOf(s, 'availability'))).toEqual([{ labels: { job: 'checkout' }, inc: INTENDED }]);
  });

  it('divides only the groups both sides of a custom query have, as PromQL matches them', () => {
    const s = withSlos(availability(), custom('bycode', 'sum by (code) (rate(http_requests_total{code!~"5.."}[{{window}}]))', 'sum by (code) (rate(http_requests_total[{{window}}]))'));
    // The total side has a group code="500" that the good side lacks: it records nothing.
    expect(sloStreams(s, slo(s, 'bycode'), countersOf(s, 'availability'))).toEqual([{ labels: {}, inc: { total: [0, 90, 90, 90], bad: [0, 0, 0, 0] } }]);
  });

  it('keeps every label of a rate taken without a sum', () => {
    const s = withSlos(custom('each', 'rate(jobs_done_total[{{window}}])', 'rate(jobs_total[{{window}}])'));
    expect(sloStreams(s, slo(s, 'each'), countersOf(s, 'each'))).toEqual([{ labels: { job: 'checkout', namespace: 'payments' }, inc: INTENDED }]);
  });

  it('reads nothing for a custom SLO whose queries it cannot model', () => {
    const s = withSlos(availability(), custom('odd', 'sum(rate(http_requests_total{code!~"5.."}[{{window}}])) * 1', 'sum(rate(http_requests_total[{{window}}]))'));
    expect(sloStreams(s, slo(s, 'odd'), countersOf(s, 'availability'))).toEqual([]);
  });
});

describe('unpredictableReading', () => {
  const ids = (s: EffectiveService, of: string) => countersOf(s, of).map((c) => c.id);

  it('names a custom SLO that reads the counters with a query other than a plain rate', () => {
    const s = withSlos(availability(), custom('odd', 'sum(rate(http_requests_total{code!~"5.."}[{{window}}])) * 1', 'sum(rate(http_requests_total[{{window}}]))'));
    expect(unpredictableReading(s, slo(s, 'odd'), ids(s, 'availability'))).toBe('SLO odd reads them with queries whose values cannot be predicted');
  });

  it('finds nothing when such a query reads other counters, or when the queries are plain rates', () => {
    const s = withSlos(
      availability(),
      custom('elsewhere', 'sum(rate(jobs_done_total[{{window}}])) * 1', 'sum(rate(jobs_total[{{window}}]))'),
      custom('plain', 'sum(rate(http_requests_total{code!~"5.."}[{{window}}]))', 'sum(rate(http_requests_total[{{window}}]))'),
    );
    expect(unpredictableReading(s, slo(s, 'elsewhere'), ids(s, 'availability'))).toBeUndefined();
    expect(unpredictableReading(s, slo(s, 'plain'), ids(s, 'availability'))).toBeUndefined();
    expect(unpredictableReading(s, slo(s, 'availability'), ids(s, 'plain'))).toBeUndefined();
  });
});
