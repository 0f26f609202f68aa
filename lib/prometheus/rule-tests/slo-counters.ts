/**
 * The counters an SLO reads, as synthetic series: which metric and labels carry its total,
 * bad and good events, and why an SLO has none that can be predicted.
 */
import { EffectiveService, Slo } from '../../definition';
import { formatGoFloat } from '../../private/go-float';
import { parseMatchers } from '../../promql/build';
import { scopeMatchers } from '../sli';
import { Increments } from './burn-simulation';
import { SeriesId, goodLabels, isPlainRate, satisfyingLabels, seriesText, singleSelector } from './synthetic-series';
import { InputSeries, counterValues } from './test-file';

/** Which synthetic counters an SLO reads and what each counts. */
export interface SloCounters {
  readonly total?: SeriesId;
  readonly bad?: SeriesId;
  readonly good?: SeriesId;
}

/**
 * The counters to synthesize for an SLO, or a reason why none can be: custom queries must
 * each read one counter with plain matchers.
 */
export function sloCounters(service: EffectiveService, slo: Slo): SloCounters | string {
  const scope = parseMatchers(scopeMatchers(service)) ?? [];
  const base = satisfyingLabels({}, scope) ?? {};
  switch (slo.kind) {
    case 'availability': {
      const total = parseMatchers(slo.totalSelector);
      const bad = parseMatchers(slo.badSelector);
      if (total === undefined || bad === undefined) return `selectors of SLO ${slo.name} are not plain label matchers`;
      const badLabels = satisfyingLabels(base, [...total, ...bad]);
      const good = badLabels && goodLabels(badLabels, total, bad);
      if (badLabels === undefined || good === undefined) return `no labels found for good and bad requests of SLO ${slo.name}`;
      return { bad: { metric: service.metrics.requestsMetric, labels: badLabels }, good: { metric: service.metrics.requestsMetric, labels: good } };
    }
    case 'latency': {
      const sel = parseMatchers(slo.selector);
      const labels = sel && satisfyingLabels(base, sel);
      if (labels === undefined) return `selector of SLO ${slo.name} is not satisfiable plain label matchers`;
      return {
        total: { metric: `${service.metrics.latencyMetric}_count`, labels },
        good: { metric: `${service.metrics.latencyMetric}_bucket`, labels: { ...labels, le: formatGoFloat(slo.thresholdSeconds) } },
      };
    }
    case 'custom': {
      if (!isPlainRate(slo.goodQuery) || !isPlainRate(slo.totalQuery)) {
        return `queries of custom SLO ${slo.name} are not each the plain rate of one counter, so their values cannot be predicted`;
      }
      const good = singleSelector(slo.goodQuery);
      const total = singleSelector(slo.totalQuery);
      const goodSeries = good && satisfyingLabels(base, good.matchers);
      const totalSeries = total && satisfyingLabels(base, total.matchers);
      if (good === undefined || total === undefined || goodSeries === undefined || totalSeries === undefined) {
        return `queries of custom SLO ${slo.name} do not each read one counter with plain matchers`;
      }
      return { total: { metric: total.metric, labels: totalSeries }, good: { metric: good.metric, labels: goodSeries } };
    }
  }
}

/** The input series of a scenario: each counter of the SLO, growing by its share of the increments. */
export function counterSeries(counters: SloCounters, inc: Increments): InputSeries[] {
  const good = inc.total.map((t, m) => t - inc.bad[m]);
  const series: InputSeries[] = [];
  if (counters.total) series.push({ series: seriesText(counters.total), values: counterValues(inc.total) });
  if (counters.bad) series.push({ series: seriesText(counters.bad), values: counterValues(inc.bad) });
  if (counters.good) series.push({ series: seriesText(counters.good), values: counterValues(good) });
  return series;
}

/**
 * SLO scenarios that cannot be tested with synthetic series (custom queries reading more
 * than one counter, selectors without a satisfying label set), with the reason.
 */
export function untestableSlos(service: EffectiveService): { slo: string; reason: string }[] {
  return service.slos.flatMap((slo) => {
    const counters = sloCounters(service, slo);
    return typeof counters === 'string' ? [{ slo: slo.name, reason: counters }] : [];
  });
}
