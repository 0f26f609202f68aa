import { Slo } from '../../../lib/definition';
import { errorRatioAt, firing, increments, requestRateAt, simulateBurnAlerts, simulateLowBudget, upTo } from '../../../lib/prometheus/rule-tests/burn-simulation';
import { sloScenarios } from '../../../lib/prometheus/rule-tests/slo-scenarios';
import { ruleService } from '../../fixtures/prometheus';

const slo = (service: string, name: string): Slo => ruleService(service).slos.find((s) => s.name === name)!;
const availability = slo('checkout', 'availability');

describe('increments', () => {
  it('gives each minute of each segment its requests and bad requests, minute 0 unused', () => {
    const inc = increments([
      { minutes: 2, perMinute: 10, errorRatio: 0 },
      { minutes: 1, perMinute: 4, errorRatio: 0.5 },
    ]);
    expect(inc).toEqual({ total: [0, 10, 10, 4], bad: [0, 0, 0, 2] });
    expect(upTo(inc, 1)).toEqual({ total: [0, 10], bad: [0, 0] });
  });
});

describe('ratios and rates', () => {
  const inc = increments([
    { minutes: 5, perMinute: 60, errorRatio: 0 },
    { minutes: 5, perMinute: 60, errorRatio: 0.5 },
  ]);

  it('divides the bad by all requests of the window, as rate() over counters sampled every minute', () => {
    expect(errorRatioAt(inc, '5m', 10)).toBe(0.5);
    expect(errorRatioAt(inc, '10m', 10)).toBe(0.25);
    // A window longer than the data reaches back to the counters' zero point.
    expect(errorRatioAt(inc, '1h', 10)).toBe(0.25);
  });

  it('gives requests per second over the window', () => {
    expect(requestRateAt(inc, '5m', 10)).toBe(1);
    expect(requestRateAt(inc, '1h', 10)).toBeCloseTo(600 / 3600, 12);
  });

  it('is NaN before minute 1 and without traffic, as in PromQL', () => {
    expect(errorRatioAt(inc, '5m', 0)).toBeNaN();
    expect(requestRateAt(inc, '5m', 0)).toBeNaN();
    expect(errorRatioAt(increments([{ minutes: 3, perMinute: 0, errorRatio: 0 }]), '5m', 3)).toBeNaN();
  });
});

describe('firing', () => {
  it('fires once the condition has held for the given minutes, and resets when it breaks', () => {
    const holds = [false, true, true, true, false, true];
    expect(firing((t) => holds[t], 2, 5)).toEqual([false, false, false, true, false, false]);
    expect(firing((t) => holds[t], 0, 5)).toEqual(holds);
  });
});

describe('simulateBurnAlerts', () => {
  it('pages for 20% errors after 60 healthy minutes at minute 66: the 1h ratio exceeds 0.0144 after 5 minutes, then for 1m', () => {
    // After k burning minutes the 1h ratio is 0.2 × k / 60, above 0.0144 from k = 5 (minute 65).
    const fires = simulateBurnAlerts(availability, increments(sloScenarios(availability).fastBurn));
    expect(fires[65]).toEqual([]);
    expect(fires[66]).toEqual([0]);
  });

  it('lets only the 3d tier fire at 1.5 × the budget, once the 3d request rate passes the guard', () => {
    // 10000 requests a minute reach 1 req/s over 3d after 26 minutes; then for 1h12m: minute 98.
    const fires = simulateBurnAlerts(availability, increments(sloScenarios(availability).slowBurn));
    expect(fires[97]).toEqual([]);
    expect(fires[98]).toEqual([3]);
    expect(fires.every((tiers) => tiers.every((i) => i === 3))).toBe(true);
  });

  it('would page on the low-traffic blip without the guard', () => {
    const inc = increments(sloScenarios(availability).lowTraffic);
    expect(simulateBurnAlerts(availability, inc).some((t) => t.length > 0)).toBe(false);
    expect(simulateBurnAlerts(availability, inc, { withoutGuard: true }).some((t) => t.includes(0))).toBe(true);
  });

  it('gives one entry per minute, and for a prefix of a scenario the prefix of its result', () => {
    const inc = increments(sloScenarios(availability).fastBurn);
    const whole = simulateBurnAlerts(availability, inc);
    expect(whole).toHaveLength(inc.total.length);
    expect(simulateBurnAlerts(availability, upTo(inc, 70))).toEqual(whole.slice(0, 71));
  });

  it('uses the thresholds of a 28-day SLO', () => {
    const catalog = slo('catalog', 'availability');
    // 0.5% budget × 13.44 = 0.0672: 20% errors cross it in the 1h window after 21 minutes, fire a minute later.
    const fires = simulateBurnAlerts(catalog, increments(sloScenarios(catalog).fastBurn));
    expect(fires.findIndex((tiers) => tiers.includes(0))).toBe(60 + 22);
  });
});

describe('simulateLowBudget', () => {
  it('fires once the average 5m ratio has used three quarters of the budget, after the for', () => {
    const budget = 0.001;
    // Errors at 1.5 × the budget from the first minute: the remaining budget is -0.5 < 0.25 at once.
    const low = simulateLowBudget(availability, increments([{ minutes: 30, perMinute: 1000, errorRatio: 1.5 * budget }]), 15);
    expect(low.indexOf(true)).toBe(16);
    expect(simulateLowBudget(availability, increments([{ minutes: 30, perMinute: 1000, errorRatio: 0.1 * budget }]), 15).some(Boolean)).toBe(false);
  });

  it('does not fire without traffic: no recorded ratio, no average', () => {
    expect(simulateLowBudget(availability, increments([{ minutes: 30, perMinute: 0, errorRatio: 0 }]), 0).some(Boolean)).toBe(false);
  });
});

describe('values on a threshold', () => {
  // A 95% SLO with only the 6h tier (factor 6, threshold 0.3): a 50% burn after an hour of
  // healthy traffic puts its 6h ratio at 0.5 × 90 / 150 = 0.3 at minute 150, on the threshold.
  const onThreshold = slo('checkout', 'latency');
  const tier: Slo = { ...onThreshold, objective: 95, burnRateTiers: [{ longWindow: '6h', shortWindow: '30m', budgetPercent: 5, severity: 'high' }] };
  const burn = increments([
    { minutes: 60, perMinute: 10000, errorRatio: 0 },
    { minutes: 120, perMinute: 10000, errorRatio: 0.5 },
  ]);

  it('count as meeting it with ties fire and as missing it with ties quiet, which disagree a for later', () => {
    const fire = simulateBurnAlerts(tier, burn, { ties: 'fire' });
    const quiet = simulateBurnAlerts(tier, burn, { ties: 'quiet' });
    // The condition holds from minute 150 or 151; the for of 6m follows.
    expect([fire.findIndex((t) => t.length > 0), quiet.findIndex((t) => t.length > 0)]).toEqual([156, 157]);
    expect(fire.slice(157)).toEqual(quiet.slice(157));
  });

  it('leave the remaining budget on 25% either way', () => {
    // 0.75 × the budget: 1 - 0.75 = 0.25 remaining, on the threshold of the low-budget alert.
    const inc = increments([{ minutes: 30, perMinute: 1000, errorRatio: 0.75 * 0.001 }]);
    expect(simulateLowBudget(availability, inc, 15, { ties: 'fire' }).some(Boolean)).toBe(true);
    expect(simulateLowBudget(availability, inc, 15, { ties: 'quiet' }).some(Boolean)).toBe(false);
  });

  it('are compared as computed without the option', () => {
    const inc = increments([{ minutes: 30, perMinute: 1000, errorRatio: 0.7 * 0.001 }]);
    expect(simulateLowBudget(availability, inc, 15)).toEqual(simulateLowBudget(availability, inc, 15, { ties: 'quiet' }));
    expect(simulateBurnAlerts(availability, increments(sloScenarios(availability).fastBurn))).toEqual(simulateBurnAlerts(availability, increments(sloScenarios(availability).fastBurn), { ties: 'fire' }));
  });
});

describe('negative error ratios', () => {
  it('are left out of the period average, as the recording rule drops them', () => {
    // Ten minutes with more good than total events (a custom SLO whose good query reads more
    // than its total one), then 1% errors: averaged in, the negative ratios would hide the burn.
    const inc = {
      total: [0, ...Array<number>(30).fill(100)],
      bad: [0, ...Array<number>(10).fill(-50), ...Array<number>(20).fill(1)],
    };
    expect(errorRatioAt(inc, '5m', 5)).toBeLessThan(0);
    expect(simulateLowBudget(availability, inc, 0)[30]).toBe(true);
  });
});
