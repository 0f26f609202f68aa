/**
 * The counters an SLO reads, as synthetic series: which metric and labels carry its total,
 * bad and good events, and why an SLO has none whose alerts can be predicted.
 */
import { EffectiveService, Slo } from '../../definition';
import { formatGoFloat } from '../../private/go-float';
import { parseMatchers } from '../../promql/build';
import { scopeMatchers } from '../sli';
import { Increments } from './burn-simulation';
import { ScenarioCounter, unpredictableReading } from './slo-readings';
import { SeriesId, goodLabels, isPlainRate, satisfyingLabels, scopedLabels, selects, seriesText, singleSelector } from './synthetic-series';
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
function ownCounters(service: EffectiveService, slo: Slo): SloCounters | string {
  const scope = parseMatchers(scopeMatchers(service)) ?? [];
  const base = satisfyingLabels({}, scope) ?? {};
  switch (slo.kind) {
    case 'availability': {
      const total = parseMatchers(slo.totalSelector);
      const bad = parseMatchers(slo.badSelector);
      if (total === undefined || bad === undefined) return `selectors of SLO ${slo.name} are not plain label matchers`;
      // The library ANDs the selectors with the scope: the series keep the service's job and namespace.
      const badLabels = scopedLabels(base, [...total, ...bad]);
      const good = badLabels && goodLabels(badLabels, total, bad, base);
      if (badLabels === undefined || good === undefined) return `no labels found for good and bad requests of SLO ${slo.name}`;
      return { bad: { metric: service.metrics.requestsMetric, labels: badLabels }, good: { metric: service.metrics.requestsMetric, labels: good } };
    }
    case 'latency': {
      const sel = parseMatchers(slo.selector);
      const labels = sel && scopedLabels(base, sel);
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
      if (good.metric === total.metric && selects(total.metric, total.matchers, { metric: good.metric, labels: goodSeries })) {
        // One counter that both queries read, as an availability SLO reads its requests: the good
        // events in a series both accept, the others in one the total query alone accepts.
        const shared = satisfyingLabels(base, [...total.matchers, ...good.matchers]);
        const others = shared && goodLabels(shared, total.matchers, good.matchers);
        if (shared === undefined || others === undefined) return `no labels found for good and other events of custom SLO ${slo.name} in ${total.metric}`;
        return { bad: { metric: total.metric, labels: others }, good: { metric: total.metric, labels: shared } };
      }
      return { total: { metric: total.metric, labels: totalSeries }, good: { metric: good.metric, labels: goodSeries } };
    }
  }
}

/** The series of an SLO's counters, in the order they are written. */
function counterIds(counters: SloCounters): SeriesId[] {
  return [counters.total, counters.bad, counters.good].filter((id): id is SeriesId => id !== undefined);
}

/**
 * The counters to synthesize for an SLO, or a reason why none can be: custom queries must
 * each read one counter with plain matchers, and every other SLO of the service that reads
 * those counters must do so in a way whose values can be predicted, since its alerts are
 * expected too.
 */
export function sloCounters(service: EffectiveService, slo: Slo): SloCounters | string {
  const counters = ownCounters(service, slo);
  if (typeof counters === 'string') return counters;
  const ids = counterIds(counters);
  for (const other of service.slos) {
    const problem = other.name === slo.name ? undefined : unpredictableReading(service, other, ids);
    if (problem !== undefined) return `the counters of SLO ${slo.name} are read by other SLOs: ${problem}`;
  }
  return counters;
}

/** The counters of a scenario: each counter of the SLO, growing by its share of the increments. */
export function scenarioCounters(counters: SloCounters, inc: Increments): ScenarioCounter[] {
  const good = inc.total.map((t, m) => t - inc.bad[m]);
  const scenario: ScenarioCounter[] = [];
  if (counters.total) scenario.push({ id: counters.total, perMinute: inc.total });
  if (counters.bad) scenario.push({ id: counters.bad, perMinute: inc.bad });
  if (counters.good) scenario.push({ id: counters.good, perMinute: good });
  return scenario;
}

/** The input series of a scenario's counters, as promtool reads them. */
export function counterSeries(counters: SloCounters, inc: Increments): InputSeries[] {
  return scenarioCounters(counters, inc).map((c) => ({ series: seriesText(c.id), values: counterValues(c.perMinute) }));
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
