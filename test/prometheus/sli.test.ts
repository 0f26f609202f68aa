import { DEFAULT_BURN_RATE_TIERS, burnFactor } from '../../lib/slo';
import {
  burnAlertFor,
  burnRateAlertSpecs,
  bucketMatcher,
  periodErrorRatioQuery,
  sliErrorRatioQuery,
  sliErrorRecord,
  sliTotalRateQuery,
  sloWindows,
} from '../../lib/prometheus/sli';
import { EffectiveService, Slo } from '../../lib/definition';
import { ruleService } from '../fixtures/prometheus';

const checkout = ruleService('checkout');
const notifier = ruleService('notifier');
const slo = (service: EffectiveService, name: string): Slo => service.slos.find((s) => s.name === name)!;

describe('burn factors', () => {
  it('are 14.4, 6, 3 and 1 for the default tiers over 30 days', () => {
    expect(DEFAULT_BURN_RATE_TIERS.map((t) => burnFactor(t, '30d'))).toEqual([14.4, 6, 3, 1]);
  });

  it('are 13.44, 5.6, 2.8 and 0.933 for the default tiers over 28 days', () => {
    const factors = DEFAULT_BURN_RATE_TIERS.map((t) => burnFactor(t, '28d'));
    expect(factors.slice(0, 3)).toEqual([13.44, 5.6, 2.8]);
    expect(factors[3]).toBeCloseTo(0.9333, 4);
  });
});

describe('burnRateAlertSpecs', () => {
  it('gives each tier its factor, threshold, severity and for', () => {
    expect(burnRateAlertSpecs(slo(checkout, 'availability'))).toEqual([
      { index: 0, longWindow: '1h', shortWindow: '5m', severity: 'critical', budgetPercent: 2, factor: 14.4, threshold: 0.0144, for: '1m' },
      { index: 1, longWindow: '6h', shortWindow: '30m', severity: 'high', budgetPercent: 5, factor: 6, threshold: 0.006, for: '6m' },
      { index: 2, longWindow: '1d', shortWindow: '2h', severity: 'medium', budgetPercent: 10, factor: 3, threshold: 0.003, for: '24m' },
      { index: 3, longWindow: '3d', shortWindow: '6h', severity: 'medium', budgetPercent: 10, factor: 1, threshold: 0.001, for: '1h12m' },
    ]);
  });

  it('takes a fifth of the short window as for, at least a minute', () => {
    expect(['1m', '5m', '30m', '2h', '6h'].map(burnAlertFor)).toEqual(['1m', '1m', '6m', '24m', '1h12m']);
  });
});

describe('SLI queries', () => {
  it('records every window of the default tiers, shortest first', () => {
    expect(sloWindows(slo(checkout, 'availability'))).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
    expect(sloWindows({ burnRateTiers: [] })).toEqual(['5m']);
    expect(sliErrorRecord('5m')).toBe('slo:sli_error:ratio_rate5m');
  });

  it('divides bad by total requests of the service for availability', () => {
    expect(sliErrorRatioQuery(checkout, slo(checkout, 'availability'), '1h')).toBe(
      'sum(rate(http_requests_total{job="checkout", namespace="payments", code=~"5.."}[1h]))\n/\nsum(rate(http_requests_total{job="checkout", namespace="payments"}[1h]))',
    );
  });

  it('counts requests slower than the threshold bucket for latency', () => {
    const query = sliErrorRatioQuery(checkout, slo(checkout, 'latency'), '5m');
    expect(query).toContain('http_request_duration_seconds_bucket{job="checkout", namespace="payments", le="0.3"}[5m]');
    expect(query.startsWith('1 - (\n')).toBe(true);
    expect(query).toContain('[5m]))\n  /\n  sum(rate(http_request_duration_seconds_count{job="checkout", namespace="payments"}[5m]))\n)');
  });

  it('reads each latency counter once per window: PromQL does not share subexpressions', () => {
    const query = sliErrorRatioQuery(checkout, slo(checkout, 'latency'), '5m');
    expect(query.match(/_count\{/g)).toHaveLength(1);
    expect(query.match(/_bucket\{/g)).toHaveLength(1);
  });

  it('matches both spellings of an integral bucket bound', () => {
    expect(bucketMatcher(1)).toBe('le=~"1|1.0"');
    expect(bucketMatcher(0.25)).toBe('le="0.25"');
  });

  it('uses custom queries as given, with the window substituted', () => {
    expect(sliErrorRatioQuery(notifier, slo(notifier, 'delivery'), '30m')).toBe(
      '1 - (\n  (sum(rate(notifier_emails_sent_total[30m])))\n  /\n  (sum(rate(notifier_emails_attempted_total[30m])))\n)',
    );
    expect(sliTotalRateQuery(notifier, slo(notifier, 'delivery'), '1h')).toBe('sum(rate(notifier_emails_attempted_total[1h]))');
  });

  it('derives the period ratio from the recorded 5m ratio, not from raw counters', () => {
    expect(periodErrorRatioQuery(checkout, slo(checkout, 'availability'))).toBe(
      'avg_over_time(slo:sli_error:ratio_rate5m{service="checkout", slo="availability"}[30d])',
    );
  });
});
