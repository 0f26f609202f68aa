/**
 * `histogram_quantile` over classic buckets, as Prometheus computes it, so the rule tests can
 * tell which latency alerts fire on a synthetic histogram.
 * @see https://github.com/prometheus/prometheus/blob/v2.42.0/promql/quantile.go
 */

/** One cumulative bucket: its upper bound (`Infinity` for `+Inf`) and its count or rate. */
export interface Bucket {
  readonly le: number;
  readonly count: number;
}

/**
 * The q-quantile of cumulative buckets, interpolated linearly within the bucket it falls in:
 * NaN without a `+Inf` bucket or without observations; the upper bound of the highest finite
 * bucket when it falls in `+Inf`. Buckets of one bound are added up and counts made monotonic,
 * as Prometheus does.
 */
export function bucketQuantile(q: number, buckets: readonly Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted: Bucket[] = [];
  for (const bucket of [...buckets].sort((a, b) => a.le - b.le)) {
    const last = sorted[sorted.length - 1];
    if (last !== undefined && last.le === bucket.le) sorted[sorted.length - 1] = { le: last.le, count: last.count + bucket.count };
    else sorted.push(bucket);
  }
  if (sorted.length < 2 || sorted[sorted.length - 1].le !== Infinity) return NaN;
  let max = -Infinity;
  const cumulative = sorted.map((b) => {
    max = Math.max(max, b.count);
    return { le: b.le, count: max };
  });
  const observations = cumulative[cumulative.length - 1].count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  const found = cumulative.slice(0, -1).findIndex((b) => b.count >= rank);
  const index = found < 0 ? cumulative.length - 1 : found;
  if (index === cumulative.length - 1) return cumulative[cumulative.length - 2].le;
  if (index === 0 && cumulative[0].le <= 0) return cumulative[0].le;
  let start = 0;
  let count = cumulative[index].count;
  if (index > 0) {
    start = cumulative[index - 1].le;
    count -= cumulative[index - 1].count;
    rank -= cumulative[index - 1].count;
  }
  return start + (cumulative[index].le - start) * (rank / count);
}
