import { expandMacros, macroValuesFor, selectorsOf } from '../../lib/dashboards';

describe('Grafana macros and variables', () => {
  const values = macroValuesFor('30s', { namespace: 'payments', environment: 'prod' });

  it('gives $__rate_interval four scrape intervals and $__interval one, as Grafana does by default', () => {
    expect(values).toEqual({ rateInterval: '2m', interval: '30s', variables: { namespace: 'payments', environment: 'prod' } });
    expect(macroValuesFor('15s', {}).rateInterval).toBe('1m');
    expect(macroValuesFor('1500ms', {})).toMatchObject({ rateInterval: '6s', interval: '2s' });
  });

  it('expands macros and both forms of variables, leaving unknown variables for the parser to refuse', () => {
    expect(expandMacros('rate(x{namespace="$namespace", env="${environment}"}[$__rate_interval]) or y[$__interval] $other', values)).toBe(
      'rate(x{namespace="payments", env="prod"}[2m]) or y[30s] $other',
    );
  });
});

describe('the selectors of a query', () => {
  it('names the metric of each vector selector, with its matchers, however it is written', () => {
    const found = selectorsOf('sum(rate(a_total{job="x", code=~"5.."}[5m])) / on (job) b + {__name__="c", le=\'0.5\'} + d offset 5m');
    expect(found.map((s) => s.metric)).toEqual(['a_total', 'b', 'c', 'd']);
    expect(found[0].matchers).toEqual([
      { name: 'job', op: '=', value: 'x' },
      { name: 'code', op: '=~', value: '5..' },
    ]);
    expect(found[2].matchers[1]).toEqual({ name: 'le', op: '=', value: '0.5' });
    expect(selectorsOf('{__name__=~"a.*"}')[0].metric).toBeUndefined();
    expect(selectorsOf('x{a="q\\"uote"}')[0].matchers[0].value).toBe('q"uote');
  });
});
