import { PromqlError, assertPromql, parsePromql, promqlErrors } from '../../lib/promql/parse';

describe('promqlErrors', () => {
  it.each([
    'sum(rate(http_requests_total{job="checkout", code=~"5.."}[5m]))',
    'avg_over_time(slo:sli_error:ratio_rate5m{service="checkout", slo="availability"}[30d])',
    'histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m]))) > 0.3',
    'a > 0.0144\nand\nb > 0.0144',
    'vector(0.999)',
  ])('accepts valid PromQL: %s', (expr) => {
    expect(promqlErrors(expr)).toEqual([]);
  });

  it('reports an unclosed parenthesis at the end of the expression', () => {
    expect(promqlErrors('sum(rate(x[5m])')).toEqual([{ offset: 15, message: 'unexpected end of expression' }]);
  });

  it('reports a stray token with its offset and text', () => {
    expect(promqlErrors('foo bar')).toEqual([{ offset: 4, message: 'unexpected input "bar"' }]);
  });

  it('rejects an unreplaced {{window}} placeholder', () => {
    expect(promqlErrors('sum(rate(x[{{window}}]))')[0].offset).toBe(11);
  });

  it('rejects the empty expression', () => {
    expect(promqlErrors('')).toEqual([{ offset: 0, message: 'unexpected end of expression' }]);
  });
});

describe('assertPromql', () => {
  it('passes valid PromQL', () => {
    expect(() => assertPromql('up == 0', 'checkout-symptoms/ServiceDown')).not.toThrow();
  });

  it('throws a PromqlError naming where, the offset and the expression', () => {
    const run = (): void => assertPromql('sum(rate(x[5m])', '[prod/checkout] checkout-slo-a/slo:sli_error:ratio_rate5m');
    expect(run).toThrow(PromqlError);
    expect(run).toThrow(
      '[prod/checkout] checkout-slo-a/slo:sli_error:ratio_rate5m: invalid PromQL at offset 15: unexpected end of expression\n' +
        '    sum(rate(x[5m])\n' +
        '                   ^',
    );
  });

  it('points the caret at the right line of a multi-line expression', () => {
    try {
      assertPromql('a > 1\nand\nb >', 'rule');
      throw new Error('expected a PromqlError');
    } catch (e) {
      expect(e).toBeInstanceOf(PromqlError);
      expect((e as PromqlError).message).toBe('rule: invalid PromQL at offset 13: unexpected end of expression\n    a > 1\n    and\n    b >\n       ^');
      expect((e as PromqlError).problems[0].offset).toBe(13);
    }
  });
});

describe('parsePromql', () => {
  it('gives the tree of an expression parsed a moment ago again, and a tree of its own to another', () => {
    const tree = parsePromql('sum(rate(x[5m]))');
    expect(parsePromql('sum(rate(x[5m]))')).toBe(tree);
    expect(parsePromql('sum(rate(y[5m]))')).not.toBe(tree);
    expect(tree.topNode.firstChild?.name).toBe('AggregateExpr');
  });

  it('answers a repeated expression with a list of its own, which the caller may change', () => {
    const first = promqlErrors('sum(rate(x[5m])');
    first.pop();
    expect(promqlErrors('sum(rate(x[5m])')).toEqual([{ offset: 15, message: 'unexpected end of expression' }]);
  });
});
