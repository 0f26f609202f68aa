import { writeFileSync } from 'fs';
import { join } from 'path';
import { Bucket, bucketQuantile, renderRuleTests } from '../../../lib/prometheus';
import { describeWithTool, scratchDir, runTool } from '../../support/tools';

const buckets = (...pairs: [number, number][]): Bucket[] => pairs.map(([le, count]) => ({ le, count }));
/** 95 requests within 0.3s, 5 more within 1s. */
const latency = buckets([0.1, 0], [0.3, 95], [1, 100], [Infinity, 100]);

describe('bucketQuantile', () => {
  it('interpolates linearly within the bucket the rank falls in', () => {
    // Rank 99 of 100 falls in (0.3, 1], 4 of its 5 observations up: 0.3 + 0.7 × 4/5.
    expect(bucketQuantile(0.99, latency)).toBeCloseTo(0.86, 12);
    // Rank 50 falls in (0.1, 0.3], whose lower bound counts 0.
    expect(bucketQuantile(0.5, latency)).toBeCloseTo(0.1 + 0.2 * (50 / 95), 12);
    // In the first bucket the lower bound is 0.
    expect(bucketQuantile(0.5, buckets([0.1, 10], [Infinity, 10]))).toBeCloseTo(0.05, 12);
  });

  it('gives the highest finite bound when the rank falls in +Inf', () => {
    expect(bucketQuantile(0.99, buckets([0.1, 50], [0.3, 90], [Infinity, 100]))).toBe(0.3);
  });

  it('is NaN without a +Inf bucket, with one bucket only, or without observations', () => {
    expect(bucketQuantile(0.5, buckets([0.1, 1], [0.3, 2]))).toBeNaN();
    expect(bucketQuantile(0.5, buckets([Infinity, 5]))).toBeNaN();
    expect(bucketQuantile(0.5, buckets([0.1, 0], [Infinity, 0]))).toBeNaN();
  });

  it('sorts the buckets, adds up those of one bound and makes the counts monotonic', () => {
    expect(bucketQuantile(0.99, [...latency].reverse())).toBeCloseTo(0.86, 12);
    expect(bucketQuantile(0.99, buckets([0.1, 0], [0.3, 50], [0.3, 45], [1, 100], [Infinity, 100]))).toBeCloseTo(0.86, 12);
    // A count below the one before it is raised to it: (0.3, 1] then holds nothing, and rank 99 falls in +Inf.
    expect(bucketQuantile(0.99, buckets([0.1, 0], [0.3, 95], [1, 90], [Infinity, 100]))).toBe(1);
  });

  it('is -Inf below quantile 0, +Inf above 1 and NaN for NaN', () => {
    expect(bucketQuantile(-0.1, latency)).toBe(-Infinity);
    expect(bucketQuantile(1.1, latency)).toBe(Infinity);
    expect(bucketQuantile(NaN, latency)).toBeNaN();
  });
});

describeWithTool('promtool', 'bucketQuantile against Prometheus', () => {
  const dir = scratchDir('quantile');

  it('computes what histogram_quantile computes over the rates of steadily growing buckets', () => {
    const cases: readonly (readonly [number, readonly Bucket[]])[] = [
      [0.99, latency],
      [0.5, latency],
      [0.99, buckets([0.05, 3], [0.1, 7], [0.25, 60], [0.5, 60], [1, 99], [2.5, 99], [Infinity, 101])],
      [0.9, buckets([0.1, 50], [0.3, 90], [Infinity, 100])],
    ];
    const label = (le: number) => (le === Infinity ? '+Inf' : String(le));
    writeFileSync(join(dir(), 'empty.rules.yaml'), 'groups: []\n');
    const file = {
      rule_files: ['empty.rules.yaml'],
      evaluation_interval: '1m',
      group_eval_order: [],
      tests: cases.map(([q, bs], i) => ({
        name: `case ${i}`,
        interval: '1m',
        input_series: bs.map((b) => ({ series: `latency_bucket{case="${i}", le="${label(b.le)}"}`, values: `0+${b.count}x30` })),
        promql_expr_test: [
          {
            expr: `round(histogram_quantile(${q}, sum by (le) (rate(latency_bucket{case="${i}"}[5m]))) * 1000000)`,
            eval_time: '15m',
            exp_samples: [{ labels: '{}', value: Math.round(bucketQuantile(q, bs) * 1e6) }],
          },
        ],
        alert_rule_test: [],
      })),
    };
    writeFileSync(join(dir(), 'quantile.test.yaml'), renderRuleTests(file));
    const result = runTool('promtool', ['test', 'rules', 'quantile.test.yaml'], dir());
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});
