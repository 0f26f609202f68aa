import { comparisons } from '../../lib/runbooks/thresholds';

describe('comparisons', () => {
  it('reads every comparison of a PromQL expression with a number, in the order written', () => {
    expect(comparisons('slo:a{x="1"} > 0.0144\nand\nslo:b{x="1"} > 0.0144\nand\nslo:c >= 1', 'promql')).toEqual([
      { operator: '>', threshold: 0.0144 },
      { operator: '>', threshold: 0.0144 },
      { operator: '>=', threshold: 1 },
    ]);
    expect(comparisons('max(up{job="a"}) == 0\nor\nabsent(up{job="a"})', 'promql')).toEqual([{ operator: '==', threshold: 0 }]);
    expect(comparisons('x != bool 2', 'promql')).toEqual([{ operator: '!=', threshold: 2 }]);
  });

  it('turns a comparison written number first around, and names the other side when neither is a number', () => {
    expect(comparisons('0.5 < x', 'promql')).toEqual([{ operator: '>', threshold: 0.5 }]);
    expect(comparisons('max(a)\n>=\nmax(b)', 'promql')).toEqual([{ operator: '>=', against: 'max(b)' }]);
  });

  it('reads LogQL comparisons with the same words', () => {
    expect(comparisons('sum(rate({app="checkout"} |= "declined" [5m])) > 5', 'logql')).toEqual([{ operator: '>', threshold: 5 }]);
    expect(comparisons('sum(rate({app="a"} [1m])) <= 1e-3', 'logql')).toEqual([{ operator: '<=', threshold: 0.001 }]);
  });

  it('finds no comparison in arithmetic or matchers', () => {
    expect(comparisons('sum(rate(x{code=~"5.."}[5m])) / sum(rate(x[5m]))', 'promql')).toEqual([]);
  });
});

describe('comparisons of a repeated expression', () => {
  it('are read once and given again, frozen, per language', () => {
    const expr = 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05';
    const first = comparisons(expr, 'promql');
    expect(comparisons(expr, 'promql')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first).toEqual([{ operator: '>', threshold: 0.05 }]);
    // The same text in the other language is read on its own.
    expect(comparisons('count_over_time({app="x"}[5m]) > 3', 'logql')).toEqual([{ operator: '>', threshold: 3 }]);
  });
});
