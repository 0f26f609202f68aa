import { DefinitionError } from '../../lib/definition';
import { PROMETHEUS_TARGET_LABELS, filterString, lookback, matcherFilter, prometheusMetricFilter, requestBasedSli } from '../../lib/gcp/filters';
import { parseMatchers } from '../../lib/promql';
import { gcpService } from '../fixtures/gcp';

const BASE = 'metric.type="prometheus.googleapis.com/http_requests_total/counter" AND resource.type="prometheus_target" AND resource.labels.namespace="shop" AND resource.labels.job="orders"';

describe('Cloud Monitoring filters from PromQL', () => {
  it('parses label matchers with every operator and escapes', () => {
    expect(parseMatchers('code=~"5..", method!="OPTIONS",job="a\\"b",x!~"y"')).toEqual([
      { name: 'code', op: '=~', value: '5..' },
      { name: 'method', op: '!=', value: 'OPTIONS' },
      { name: 'job', op: '=', value: 'a"b' },
      { name: 'x', op: '!~', value: 'y' },
    ]);
    expect(parseMatchers('')).toEqual([]);
    expect(parseMatchers('code=5')).toBeUndefined();
    expect(parseMatchers('{code="5"}')).toBeUndefined();
  });

  it('puts target labels on the resource and the others on the metric', () => {
    expect(PROMETHEUS_TARGET_LABELS.map((name) => matcherFilter({ name, op: '=', value: 'a' }))).toEqual(PROMETHEUS_TARGET_LABELS.map((name) => `resource.labels.${name}="a"`));
    expect(matcherFilter({ name: 'code', op: '!=', value: '200' })).toBe('metric.labels.code!="200"');
  });

  it('keeps regular expressions fully anchored, as PromQL matches them', () => {
    expect(matcherFilter({ name: 'code', op: '=~', value: '5..' })).toBe('metric.labels.code=monitoring.regex.full_match("5..")');
    expect(matcherFilter({ name: 'code', op: '!~', value: '2..' })).toBe('NOT metric.labels.code=monitoring.regex.full_match("2..")');
  });

  it('quotes values as filter string literals, escapes included, and leaves Terraform escaping to the constructs', () => {
    expect(filterString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(matcherFilter({ name: 'route', op: '=', value: '/${x}' })).toBe('metric.labels.route="/${x}"');
  });

  it('scopes a metric to the service namespace and scrape job and adds every selector', () => {
    expect(prometheusMetricFilter({ name: 'orders', namespace: 'shop' }, 'http_requests_total', 'counter')).toBe(BASE);
    expect(prometheusMetricFilter({ name: 'orders', namespace: 'shop' }, 'http_requests_total', 'counter', ['', 'code=~"5..", method="GET"'])).toBe(
      `${BASE} AND metric.labels.code=monitoring.regex.full_match("5..") AND metric.labels.method="GET"`,
    );
  });

  it('refuses a selector it cannot translate, naming the selector', () => {
    const call = (): string => prometheusMetricFilter({ name: 'a', namespace: 'b' }, 'm', 'counter', ['code="5"', 'nope']);
    expect(call).toThrow(DefinitionError);
    expect(call).toThrow('a.selectors[1]: must be a comma-separated list of PromQL label matchers such as code=~"5.." (got "nope")');
  });

  it('gives lookbacks in seconds, and refuses what is no duration', () => {
    expect(['5m', '1h', '1d', '3d'].map(lookback)).toEqual(['300s', '3600s', '86400s', '259200s']);
    expect(() => lookback('soon')).toThrow('window: must be a Prometheus duration such as 5m, 1h or 3d (got "soon")');
  });

  it('builds a good_total_ratio for availability, bad requests within the total', () => {
    const { service } = gcpService({ slos: [{ kind: 'availability', name: 'availability', objective: 99.9, totalSelector: 'method="GET"' }] });
    const slo = service.slos[0];
    if (slo.kind !== 'availability') throw new Error('fixture');
    expect(requestBasedSli(service, slo)).toEqual({
      goodTotalRatio: {
        badServiceFilter: `${BASE} AND metric.labels.method="GET" AND metric.labels.code=monitoring.regex.full_match("5..")`,
        totalServiceFilter: `${BASE} AND metric.labels.method="GET"`,
      },
    });
  });

  it('builds a distribution_cut for latency with the threshold as the top of the good range', () => {
    const { service } = gcpService();
    const slo = service.slos.find((s) => s.kind === 'latency');
    if (slo?.kind !== 'latency') throw new Error('fixture');
    expect(requestBasedSli(service, slo)).toEqual({
      distributionCut: {
        distributionFilter:
          'metric.type="prometheus.googleapis.com/http_request_duration_seconds/histogram" AND resource.type="prometheus_target" AND resource.labels.namespace="shop" AND resource.labels.job="orders" AND NOT metric.labels.route=monitoring.regex.full_match("/health.*")',
        range: { max: 0.25 },
      },
    });
  });
});
