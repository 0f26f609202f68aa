import { LabelMatcher, formatNumber, joinMatchers, matches, parseMatchers, re2Problem, selector, substituteWindow } from '../../lib/promql/build';
import { formatDuration } from '../../lib/promql/duration';

describe('PromQL builders', () => {
  it('joins matcher fragments, skipping empty ones', () => {
    expect(joinMatchers('job="a"', '', ' code=~"5.." ')).toBe('job="a", code=~"5.."');
    expect(selector('up', '')).toBe('up');
    expect(selector('up', 'job="a"', 'namespace="b"')).toBe('up{job="a", namespace="b"}');
  });

  it('replaces every {{window}}', () => {
    expect(substituteWindow('rate(a[{{window}}]) / rate(b[{{window}}])', '1h')).toBe('rate(a[1h]) / rate(b[1h])');
  });

  it('parses label matchers and evaluates them like Prometheus (anchored regexes, absent = empty)', () => {
    const ms = parseMatchers('code=~"5..", handler!="/healthz"');
    expect(ms).toEqual([
      { name: 'code', op: '=~', value: '5..' },
      { name: 'handler', op: '!=', value: '/healthz' },
    ]);
    expect(matches(ms![0], '500')).toBe(true);
    expect(matches(ms![0], '5000')).toBe(false);
    expect(matches(ms![1], '')).toBe(true);
    expect(parseMatchers('code=5')).toBeUndefined();
    expect(parseMatchers('')).toEqual([]);
  });

  it('evaluates regex matchers as RE2 does in Prometheus, not as JavaScript would', () => {
    const re = (value: string): LabelMatcher => ({ name: 'code', op: '=~', value });
    const not = (value: string): LabelMatcher => ({ name: 'code', op: '!~', value });
    // RE2 syntax JavaScript lacks or reads otherwise.
    expect(matches(re('(?i)err'), 'ERR')).toBe(true);
    expect(matches(re('[[:alpha:]]+'), 'abc')).toBe(true);
    expect(matches(re('[[:alpha:]]+'), 'ab1')).toBe(false);
    expect(matches(re('\\pL+'), 'été')).toBe(true);
    expect(matches(re('\\Qa.b\\E'), 'a.b')).toBe(true);
    expect(matches(re('\\Qa.b\\E'), 'axb')).toBe(false);
    // Prometheus compiles ^(?s:<regex>)$: anchored, and . matches a newline.
    expect(matches(re('a.b'), 'a\nb')).toBe(true);
    expect(matches(re('5..|429'), '4290')).toBe(false);
    expect(matches(not('5..'), '500')).toBe(false);
    expect(matches(not('5..'), '200')).toBe(true);
    // What RE2 refuses (lookaround, backreferences) accepts no value, with either operator.
    for (const refused of ['(?=5)5..', '(5)\\1']) {
      expect([refused, matches(re(refused), '500'), matches(not(refused), '500'), matches(not(refused), 'x')]).toEqual([refused, false, false, false]);
    }
  });

  it('refuses what Prometheus refuses in a regex: RE2 errors, and named groups written (?<name>) that Go before 1.22 refuses', () => {
    expect(re2Problem('5..')).toBeUndefined();
    expect(re2Problem('(?P<code>5)..')).toBeUndefined();
    expect(re2Problem('(?<code>5)..')).toBe('a named group must be written (?P<name>...): Prometheus releases built with Go before 1.22 refuse (?<name>...)');
    expect(re2Problem('a|b(c(?<x>d))')).toBeDefined();
    // Not a group: escaped, quoted, or inside a character class.
    for (const text of ['\\(?<x', '\\Q(?<x>\\E', '[(?<]x', '[[:alpha:](?<]', '[](?<]x']) expect([text, re2Problem(text)]).toEqual([text, undefined]);
    expect(re2Problem('(?=x)')).toMatch(/invalid or unsupported Perl syntax/);
    expect(re2Problem('(')).toMatch(/missing closing \)/);
    // A refused regex matches nothing.
    expect(matches({ name: 'code', op: '=~', value: '(?<c>5)..' }, '500')).toBe(false);
  });

  it('formats numbers without floating-point noise and durations with the largest units', () => {
    expect(formatNumber(14.4 * 0.001)).toBe('0.0144');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatDuration(60)).toBe('1m');
    expect(formatDuration(4320)).toBe('1h12m');
    expect(formatDuration(86400 + 60)).toBe('1d1m');
  });
});
