import { parseMatchers } from '../../../lib/promql/build';
import { goodLabels, isPlainRate, satisfyingLabels, seriesText, singleSelector } from '../../../lib/prometheus/rule-tests/synthetic-series';

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
});
