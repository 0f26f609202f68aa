import { PROMQL_FUNCTIONS, instantVectorProblems, promqlTypeOf, promqlTypeProblems } from '../../lib/promql/types';

// Every valid case is accepted by `promtool check rules` as a recording rule, and every invalid
// one rejected with the same message, except where noted: comments and the type of the whole
// expression are this library's own, stricter rules.

const COMMENT_PROBLEM = (comment: string): string =>
  `comment ${JSON.stringify(comment)} is not allowed: queries are embedded in larger expressions, where a comment would swallow the rest of the line`;

describe('promqlTypeProblems', () => {
  it.each([
    'sum(rate(jobs_succeeded_total[5m]))',
    'sum by (job) (rate(x{code=~"2.."}[5m]))',
    'rate(x[5m]) * 2',
    'x > bool 1',
    'histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))',
    'label_replace(up, "a", "$1", "b", "(.*)")',
    'label_join(x, "d", ",", "a", "b")',
    'vector(1)',
    'x offset 5m',
    'x offset -5m',
    'x @ 100',
    'x @ 100 offset 5m',
    'rate(x[5m:1m])',
    'rate(x[5m] offset 1d)',
    'max_over_time(rate(x[5m])[1h:5m])',
    'absent(up)',
    '(up)',
    '-up',
    'x and y',
    'x unless on (c) y',
    'count_values("v", x)',
    'topk(3, x)',
    'quantile(0.9, x)',
    'sum(x) by (a)',
    'SUM(x)',
    'sum(rate(a[5m])) / sum(rate(b[5m]))',
    'sum(rate(x[5m])) / on() group_left sum(rate(y[5m]))',
    'x / ignoring(a) group_left(a) y',
    'sum(x) or vector(0)',
    'a / b offset 1d',
    '1 - x @ 100',
    'round(x, 0.1)',
    'day_of_month()',
    'time() - timestamp(up) > 3600',
    'holt_winters(x[5m], 0.5, 0.5)',
    'x{a=~"(?i)foo", b!~"c"}',
    '{a=~".+"}',
    '{a!=""}',
    '{__name__="x"}',
    'sum(rate(x{a="#1"}[5m]))',
    'x{a="b\\"c"}',
  ])('accepts the instant-vector query %s', (expr) => {
    expect(promqlTypeProblems(expr)).toEqual([]);
    expect(instantVectorProblems(expr)).toEqual([]);
  });

  it.each<[string, string[]]>([
    ['rate(x)', ['expected type range vector in call to function "rate", got instant vector']],
    ['sum_over_time(x)', ['expected type range vector in call to function "sum_over_time", got instant vector']],
    ['histogram_quantile(0.9, x[5m])', ['expected type instant vector in call to function "histogram_quantile", got range vector']],
    ['histogram_quantile(x, y)', ['expected type scalar in call to function "histogram_quantile", got instant vector']],
    ['vector(x)', ['expected type scalar in call to function "vector", got instant vector']],
    ['rate(x[5m], 1)', ['expected 1 argument(s) in call to "rate", got 2']],
    ['time(1)', ['expected 0 argument(s) in call to "time", got 1']],
    ['clamp(x, 0)', ['expected 3 argument(s) in call to "clamp", got 2']],
    ['round(x, 1, 2)', ['expected at most 2 argument(s) in call to "round", got 3']],
    ['label_join(x, "a")', ['expected at least 3 argument(s) in call to "label_join", got 2']],
    ['unknown_fn(x)', ['unknown function with name "unknown_fn"']],
    ['Rate(x[5m])', ['unknown function with name "Rate"']],
    ['sum(x[5m])', ['expected type instant vector in aggregation expression, got range vector']],
    ['sum(1)', ['expected type instant vector in aggregation expression, got scalar']],
    ['sum()', ['no arguments for aggregate expression provided']],
    ['topk(x)', ['wrong number of arguments for aggregate expression provided, expected 2, got 1']],
    ['topk(x, y)', ['expected type scalar in aggregation parameter, got instant vector']],
    ['count_values(1, x)', ['expected type string in aggregation parameter, got scalar']],
    ['"a" + up', ['binary expression must contain only scalar and instant vector types, got string']],
    ['2 * x[5m]', ['binary expression must contain only scalar and instant vector types, got range vector']],
    ['1 > 2', ['comparisons between scalars must use BOOL modifier']],
    ['scalar(x) > 1', ['comparisons between scalars must use BOOL modifier']],
    ['x + bool y', ['bool modifier can only be used on comparison operators']],
    ['1 and up', ['set operator "and" not allowed in binary scalar expression']],
    ['x or 1', ['set operator "or" not allowed in binary scalar expression']],
    ['x and on(a) group_left(b) y', ['no grouping allowed for "and" operation']],
    ['1 + on(a) x', ['vector matching only allowed between instant vectors']],
    ['x / on(a) group_left(a) y', ['label "a" must not occur in ON and GROUP clause at once']],
    ['foo{__name__="bar"}', ['metric name must not be set twice: "foo" or "bar"']],
    ['foo{__name__=~"bar"}', ['metric name must not be set twice: "foo" or "bar"']],
    ['{}', ['vector selector must contain at least one non-empty matcher']],
    ['{a=""}', ['vector selector must contain at least one non-empty matcher']],
    ['{a=~".*"}', ['vector selector must contain at least one non-empty matcher']],
    ['{a!~"x"}', ['vector selector must contain at least one non-empty matcher']],
    ['x{a=~"("}', ['invalid regular expression in matcher a=~"(": error parsing regexp: missing closing ): `(`']],
    ['(x[5m])[1m]', ['ranges only allowed for vector selectors']],
    ['x offset 5m[10m]', ['no offset modifiers allowed before range']],
    ['x @ 100 [5m]', ['no @ modifiers allowed before range']],
    ['-x[5m]', ['unary expression only allowed on expressions of type scalar or instant vector, got range vector']],
    ['"a"[5m:]', ['subquery is only allowed on instant vector, got string instead']],
    ['rate(x[5m]) offset 1m', ['offset modifier must be preceded by an instant vector selector or range vector selector or a subquery']],
    ['(a + b) offset 5m', ['offset modifier must be preceded by an instant vector selector or range vector selector or a subquery']],
    ['x[5m] offset 1m offset 2m', ['offset may not be set multiple times']],
    ['x @ 100 @ 200', ['@ <timestamp> may not be set multiple times']],
    ['x @ inf', ['timestamp out of bounds for @ modifier: inf']],
    ['rate(x[0s])', ['duration must be greater than 0']],
    [
      'quantile_over_time(x[5m], 0.9)',
      [
        'expected type scalar in call to function "quantile_over_time", got range vector',
        'expected type range vector in call to function "quantile_over_time", got scalar',
      ],
    ],
  ])('rejects %s like Prometheus does', (expr, problems) => {
    expect(promqlTypeProblems(expr)).toEqual(problems);
  });

  it.each<[string, string[]]>([
    ['up # note', [COMMENT_PROBLEM('# note')]],
    ['sum(rate(x[5m])) # per second\n/ 2', [COMMENT_PROBLEM('# per second')]],
  ])('rejects a comment, which would swallow the parenthesis the library appends: %s', (expr, problems) => {
    expect(promqlTypeProblems(expr)).toEqual(problems);
  });

  it('does not take a # inside a string literal for a comment', () => {
    expect(promqlTypeProblems('x{a="#1", b=\'#2\', c=`#3`}')).toEqual([]);
  });

  it('reports experimental functions, which a default Prometheus rejects', () => {
    expect(promqlTypeProblems('mad_over_time(x[5m])')).toEqual([
      'function "mad_over_time" is experimental and must be enabled with --enable-feature=promql-experimental-functions',
    ]);
  });

  it('leaves expressions that do not parse to the syntax check', () => {
    expect(promqlTypeProblems('sum(rate(x[5m])')).toEqual([]);
    expect(promqlTypeProblems('sum(rate(x[{{window}}]))')).toEqual([]);
  });
});

describe('promqlTypeOf', () => {
  it.each<[string, string | undefined]>([
    ['sum(rate(x[5m]))', 'vector'],
    ['x[5m]', 'matrix'],
    ['x[5m:1m] offset 1m @ 100', 'matrix'],
    ['1', 'scalar'],
    ['scalar(x) > bool 1', 'scalar'],
    ['x > bool 1', 'vector'],
    ['"foo"', 'string'],
    ['sum(rate(x[5m])', undefined],
    ['unknown_fn(x)', undefined],
  ])('types %s as %s', (expr, type) => {
    expect(promqlTypeOf(expr)).toBe(type);
  });
});

describe('instantVectorProblems', () => {
  it.each<[string, string[]]>([
    ['x[5m]', ['must be an instant vector, but is a range vector']],
    ['"str"', ['must be an instant vector, but is a string']],
    ['1', ['must be an instant vector, but is a scalar']],
    ['pi()', ['must be an instant vector, but is a scalar']],
    ['1 > 2', ['comparisons between scalars must use BOOL modifier', 'must be an instant vector, but is a scalar']],
    ['rate(x)', ['expected type range vector in call to function "rate", got instant vector']],
    ['up # note', [COMMENT_PROBLEM('# note')]],
  ])('rejects %s, which cannot be an SLI query', (expr, problems) => {
    expect(instantVectorProblems(expr)).toEqual(problems);
  });
});

describe('PROMQL_FUNCTIONS', () => {
  it('knows every function of Prometheus 2.x with its signature', () => {
    expect(Object.keys(PROMQL_FUNCTIONS)).toEqual(
      expect.arrayContaining([
        'abs', 'absent', 'absent_over_time', 'ceil', 'changes', 'clamp', 'clamp_max', 'clamp_min', 'day_of_month',
        'day_of_week', 'day_of_year', 'days_in_month', 'delta', 'deriv', 'exp', 'floor', 'histogram_quantile',
        'histogram_count', 'histogram_sum', 'histogram_fraction', 'histogram_stddev', 'histogram_stdvar', 'holt_winters',
        'hour', 'idelta', 'increase', 'irate', 'label_join', 'label_replace', 'ln', 'log10', 'log2', 'minute', 'month',
        'predict_linear', 'rate', 'resets', 'round', 'scalar', 'sgn', 'sort', 'sort_desc', 'sqrt', 'time', 'timestamp',
        'vector', 'year', 'avg_over_time', 'min_over_time', 'max_over_time', 'sum_over_time', 'count_over_time',
        'quantile_over_time', 'stddev_over_time', 'stdvar_over_time', 'last_over_time', 'present_over_time', 'acos',
        'acosh', 'asin', 'asinh', 'atan', 'atanh', 'cos', 'cosh', 'sin', 'sinh', 'tan', 'tanh', 'deg', 'rad', 'pi',
      ]),
    );
    expect(PROMQL_FUNCTIONS.label_join).toEqual({
      name: 'label_join',
      argTypes: ['vector', 'string', 'string', 'string'],
      variadic: -1,
      returnType: 'vector',
      experimental: false,
    });
  });
});

describe('checks asked again', () => {
  it('answer a repeated expression with a list of problems of its own, which the caller may change', () => {
    const first = promqlTypeProblems('rate(x)');
    first.push('changed');
    expect(promqlTypeProblems('rate(x)')).toEqual(['expected type range vector in call to function "rate", got instant vector']);
    const vector = instantVectorProblems('x[5m]');
    vector.pop();
    expect(instantVectorProblems('x[5m]')).toEqual(['must be an instant vector, but is a range vector']);
  });

  it('judge a regular expression matcher the same the second time', () => {
    expect(promqlTypeProblems('{a=~".*"}')).toEqual(promqlTypeProblems('{a=~".*"}'));
    expect(promqlTypeProblems('{a=~".*"}')).toHaveLength(1);
    expect(promqlTypeProblems('x{a=~"("}')).toEqual(promqlTypeProblems('x{a=~"("}'));
    expect(promqlTypeProblems('x{a=~"("}')).toHaveLength(1);
  });
});
