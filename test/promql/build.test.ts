import { formatNumber, joinMatchers, matches, parseMatchers, selector, substituteWindow } from '../../lib/promql/build';
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

  it('formats numbers without floating-point noise and durations with the largest units', () => {
    expect(formatNumber(14.4 * 0.001)).toBe('0.0144');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatDuration(60)).toBe('1m');
    expect(formatDuration(4320)).toBe('1h12m');
    expect(formatDuration(86400 + 60)).toBe('1d1m');
  });
});
