/**
 * What the rules of an SLO record from the synthetic counters of a scenario, whichever SLO the
 * scenario was made for. promtool compares every alert of a name, whatever group fires it, so
 * when two SLOs of a service read the same series (two availability SLOs over the same
 * requests, an availability and a custom SLO on one counter) each fires on the other's
 * scenarios and the tests must expect both. Each SLO's selectors are matched against the
 * counters and the counters summed as its queries sum them, as Prometheus does; the burn
 * simulation then runs on each series the SLO records.
 */
import { EffectiveService, Slo } from '../../definition';
import { LabelMatcher, parseMatchers } from '../../promql/build';
import { bucketMatcher, scopeMatchers } from '../sli';
import { Increments } from './burn-simulation';
import { RateGrouping, SeriesId, groupLabels, isPlainRate, mayRead, rateGrouping, selects, seriesText, singleSelector } from './synthetic-series';

/** A synthetic counter of a scenario: its series and its increment in each minute (index 0 unused). */
export interface ScenarioCounter {
  readonly id: SeriesId;
  readonly perMinute: readonly number[];
}

/** One series an SLO records from a scenario: the labels its queries keep, and the events it counts. */
export interface SloStream {
  /** Labels the SLO's queries keep besides the SLO's own: none, unless a custom query keeps some. */
  readonly labels: Readonly<Record<string, string>>;
  readonly inc: Increments;
}

/** One side of an SLI ratio: the counters it sums, and how it groups them. */
interface Side {
  readonly metric: string;
  readonly matchers: readonly LabelMatcher[];
  readonly grouping: RateGrouping;
}

/** The two sides of an SLI: all events, and the bad ones (availability) or the good ones. */
interface SliSides {
  readonly total: Side;
  readonly part: Side;
  readonly partIs: 'bad' | 'good';
}

const SUM: RateGrouping = { kind: 'sum' };

/**
 * The sides of an SLO's SLI as `sliErrorRatioQuery` writes them, or undefined when they cannot
 * be read: a custom query other than the plain rate of one counter.
 */
function sliSides(service: EffectiveService, slo: Slo): SliSides | undefined {
  const scope = parseMatchers(scopeMatchers(service)) ?? [];
  switch (slo.kind) {
    case 'availability': {
      const total = parseMatchers(slo.totalSelector);
      const bad = parseMatchers(slo.badSelector);
      if (total === undefined || bad === undefined) return undefined;
      const metric = service.metrics.requestsMetric;
      return { total: { metric, matchers: [...scope, ...total], grouping: SUM }, part: { metric, matchers: [...scope, ...total, ...bad], grouping: SUM }, partIs: 'bad' };
    }
    case 'latency': {
      const selector = parseMatchers(slo.selector);
      const bucket = parseMatchers(bucketMatcher(slo.thresholdSeconds));
      if (selector === undefined || bucket === undefined) return undefined;
      const metric = service.metrics.latencyMetric;
      return {
        total: { metric: `${metric}_count`, matchers: [...scope, ...selector], grouping: SUM },
        part: { metric: `${metric}_bucket`, matchers: [...scope, ...selector, ...bucket], grouping: SUM },
        partIs: 'good',
      };
    }
    case 'custom': {
      const good = singleSelector(slo.goodQuery);
      const total = singleSelector(slo.totalQuery);
      if (!isPlainRate(slo.goodQuery) || !isPlainRate(slo.totalQuery) || good === undefined || total === undefined) return undefined;
      return { total: { ...total, grouping: rateGrouping(slo.totalQuery) }, part: { ...good, grouping: rateGrouping(slo.goodQuery) }, partIs: 'good' };
    }
  }
}

/**
 * Why the series an SLO's rules record from these counters cannot be predicted: its queries
 * are not plain rates and may read one of them. Undefined when they can, or read none of them
 * (a query that yields a value without any series, such as `vector(1)`, is not modelled).
 */
export function unpredictableReading(service: EffectiveService, slo: Slo, ids: readonly SeriesId[]): string | undefined {
  if (sliSides(service, slo) !== undefined) return undefined;
  const reads = slo.kind !== 'custom' || mayRead(slo.goodQuery, ids) || mayRead(slo.totalQuery, ids);
  return reads ? `SLO ${slo.name} reads them with queries whose values cannot be predicted` : undefined;
}

/** Per group of a side (keyed by its labels' text), the labels and the per-minute sum of the counters it reads. */
function sideSums(side: Side, counters: readonly ScenarioCounter[]): Map<string, { labels: Record<string, string>; perMinute: number[] }> {
  const groups = new Map<string, { labels: Record<string, string>; perMinute: number[] }>();
  for (const counter of counters) {
    if (!selects(side.metric, side.matchers, counter.id)) continue;
    const labels = groupLabels(counter.id.labels, side.grouping);
    const key = seriesText({ metric: '', labels });
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { labels, perMinute: [...counter.perMinute] });
    else group.perMinute = group.perMinute.map((value, m) => value + counter.perMinute[m]);
  }
  return groups;
}

/**
 * The series an SLO's rules record from a scenario's counters, one per group its queries keep
 * on both sides of the ratio (one for availability and latency SLOs, which sum everything);
 * none when a side reads no counter, since a sum over no series is no series in PromQL.
 * Assumes `unpredictableReading` found nothing: an SLO whose sides cannot be read records none.
 */
export function sloStreams(service: EffectiveService, slo: Slo, counters: readonly ScenarioCounter[]): SloStream[] {
  const sides = sliSides(service, slo);
  if (sides === undefined) return [];
  const part = sideSums(sides.part, counters);
  return [...sideSums(sides.total, counters)].flatMap(([key, total]) => {
    const other = part.get(key);
    if (other === undefined) return [];
    const bad = sides.partIs === 'bad' ? other.perMinute : total.perMinute.map((t, m) => t - other.perMinute[m]);
    return [{ labels: total.labels, inc: { total: total.perMinute, bad } }];
  });
}
