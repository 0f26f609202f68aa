import { parseMatchers } from '../../../lib/promql/build';
import { goodLabels, groupLabels, isPlainRate, mayRead, rateGrouping, satisfyingLabels, selects, seriesText, singleSelector } from '../../../lib/prometheus/rule-tests/synthetic-series';

const matchers = (text: string) => parseMatchers(text)!;

describe('seriesText', () => {
  it('writes labels sorted, and a bare metric without labels', () => {
    expect(seriesText({ metric: 'up', labels: { job: 'orders', instance: 'a:1' } })).toBe('up{instance="a:1", job="orders"}');
    expect(seriesText({ metric: 'up', labels: {} })).toBe('up');
  });
});

describe('satisfyingLabels', () => {
  it('finds values every matcher accepts, on top of the base labels', () => {
    // An absent method reads as the empty value, which method!="GET" accepts.
    expect(satisfyingLabels({ job: 'orders' }, matchers('code=~"5..", method!="GET"'))).toEqual({ job: 'orders', code: '500' });
    expect(satisfyingLabels({}, matchers('method=~"GET|POST", method!="GET"'))).toEqual({ method: 'POST' });
  });

  it('drops a label whose accepted value is the empty one, as Prometheus reads an absent label', () => {
    expect(satisfyingLabels({ job: 'orders', canary: 'true' }, matchers('canary=""'))).toEqual({ job: 'orders' });
  });

  it('gives up when no value satisfies the matchers', () => {
    expect(satisfyingLabels({}, matchers('code="200", code="500"'))).toBeUndefined();
  });
});

describe('goodLabels', () => {
  it('changes one label of the bad series so a bad matcher rejects it and every total matcher still accepts it', () => {
    const total = matchers('handler!="/healthz"');
    const bad = matchers('code=~"5.."');
    // Without a code label the bad matcher rejects the series; the total matcher still accepts it.
    expect(goodLabels({ code: '500', job: 'orders' }, total, bad)).toEqual({ job: 'orders' });
    expect(goodLabels({ code: '500' }, matchers('code!=""'), bad)).toEqual({ code: '200' });
  });

  it('gives up when the total matchers force the bad value', () => {
    expect(goodLabels({ code: '500' }, matchers('code="500"'), matchers('code=~"5.."'))).toBeUndefined();
  });
});

describe('isPlainRate', () => {
  it('accepts the rate of one counter, optionally summed with or without grouping', () => {
    expect(isPlainRate('rate(jobs_total[{{window}}])')).toBe(true);
    expect(isPlainRate('sum(rate(jobs_total{queue="mail"}[{{window}}]))')).toBe(true);
    expect(isPlainRate('sum by (queue) (rate(jobs_total[{{window}}]))')).toBe(true);
  });

  it('refuses arithmetic, other functions and fixed ranges, whose values the tests cannot predict', () => {
    expect(isPlainRate('sum(rate(a_total[{{window}}])) - sum(rate(b_total[{{window}}]))')).toBe(false);
    expect(isPlainRate('sum(increase(jobs_total[{{window}}]))')).toBe(false);
    expect(isPlainRate('sum(rate(jobs_total[5m]))')).toBe(false);
  });
});

describe('singleSelector', () => {
  it('gives the metric and matchers of the one selector of a query', () => {
    expect(singleSelector('sum(rate(jobs_total{queue="mail"}[{{window}}]))')).toEqual({ metric: 'jobs_total', matchers: matchers('queue="mail"') });
    expect(singleSelector('sum(rate(jobs_total[{{window}}]))')).toEqual({ metric: 'jobs_total', matchers: [] });
  });

  it('gives nothing for a query of two selectors', () => {
    expect(singleSelector('sum(rate(a_total[{{window}}])) / sum(rate(b_total[{{window}}]))')).toBeUndefined();
  });

  it('gives nothing for a selector without a metric name', () => {
    expect(singleSelector('sum(rate({__name__="jobs_total"}[{{window}}]))')).toBeUndefined();
  });
});

describe('selects', () => {
  const id = { metric: 'http_requests_total', labels: { job: 'orders', code: '500' } };

  it('reads a series of its metric whose labels every matcher accepts, an absent label as the empty value', () => {
    expect(selects('http_requests_total', matchers('code=~"5..", handler=""'), id)).toBe(true);
    expect(selects('http_requests_total', matchers('code!~"5.."'), id)).toBe(false);
    expect(selects('http_requests_total', matchers('handler="/pay"'), id)).toBe(false);
  });

  it('reads another metric only without a metric of its own, matching __name__ against the metric', () => {
    expect(selects('jobs_total', [], id)).toBe(false);
    expect(selects(undefined, matchers('__name__=~"http_.*"'), id)).toBe(true);
    expect(selects(undefined, matchers('__name__="jobs_total"'), id)).toBe(false);
  });
});

describe('mayRead', () => {
  const ids = [{ metric: 'http_requests_total', labels: { job: 'orders' } }];

  it('is true when any selector of the query reads one of the series', () => {
    expect(mayRead('sum(rate(jobs_total[{{window}}])) / sum(rate(http_requests_total{job="orders"}[{{window}}]))', ids)).toBe(true);
    expect(mayRead('sum(rate(jobs_total[{{window}}])) / sum(rate(http_requests_total{job="other"}[{{window}}]))', ids)).toBe(false);
  });

  it('is true as well for a selector whose matchers it cannot read', () => {
    expect(mayRead("sum(rate(jobs_total{job='orders'}[{{window}}]))", ids)).toBe(true);
  });
});

describe('rateGrouping', () => {
  it('reads the outermost aggregation of a query, before or after its argument', () => {
    expect(rateGrouping('rate(jobs_total[{{window}}])')).toEqual({ kind: 'each' });
    expect(rateGrouping('sum(rate(jobs_total[{{window}}]))')).toEqual({ kind: 'sum' });
    expect(rateGrouping('sum by (queue, job) (rate(jobs_total{queue="by (x)"}[{{window}}]))')).toEqual({ kind: 'by', labels: ['queue', 'job'] });
    expect(rateGrouping('sum(rate(jobs_total[{{window}}])) without (instance)')).toEqual({ kind: 'without', labels: ['instance'] });
  });
});

describe('groupLabels', () => {
  const labels = { job: 'orders', queue: 'mail', instance: 'a:1' };

  it('keeps every label, none, the listed ones or all but the listed ones', () => {
    expect(groupLabels(labels, { kind: 'each' })).toEqual(labels);
    expect(groupLabels(labels, { kind: 'sum' })).toEqual({});
    expect(groupLabels(labels, { kind: 'by', labels: ['queue', 'code'] })).toEqual({ queue: 'mail' });
    expect(groupLabels(labels, { kind: 'without', labels: ['instance'] })).toEqual({ job: 'orders', queue: 'mail' });
  });
});
