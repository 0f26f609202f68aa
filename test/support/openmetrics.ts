/**
 * Synthetic series as OpenMetrics text, and their backfill into a TSDB with
 * `promtool tsdb create-blocks-from openmetrics`, for a real Prometheus to query.
 * @see https://prometheus.io/docs/prometheus/latest/storage/#backfilling-from-openmetrics-format
 */
import * as fs from 'fs';
import * as path from 'path';
import { runTool } from './tools';

/** A series and its samples, `[unix seconds, value]` in time order. */
export interface OpenMetricsSeries {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly samples: readonly (readonly [number, number])[];
}

/**
 * A counter growing at `rate` per second over `times`, as if it had counted for `sinceSeconds`
 * before the first: a nonzero start, so `rate()` over any window is exact.
 */
export function counterSeries(metric: string, labels: Readonly<Record<string, string>>, rate: number, times: readonly number[], sinceSeconds: number): OpenMetricsSeries {
  return { metric, labels, samples: times.map((t) => [t, rate * (t - times[0] + sinceSeconds)]) };
}

/** A gauge holding `value` over `times`. */
export function gaugeSeries(metric: string, labels: Readonly<Record<string, string>>, value: number, times: readonly number[]): OpenMetricsSeries {
  return { metric, labels, samples: times.map((t) => [t, value]) };
}

/** A series as OpenMetrics writes it: `metric{a="b",c="d"}`, labels sorted, no spaces. */
function seriesName(series: OpenMetricsSeries): string {
  const labels = Object.keys(series.labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(series.labels[name])}`);
  return `${series.metric}{${labels.join(',')}}`;
}

/** Series as OpenMetrics text: each metric's series together (metrics sorted, series in the given order), `# EOF` last. */
export function openMetricsText(series: readonly OpenMetricsSeries[]): string {
  const byMetric = [...series].sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
  const lines = byMetric.flatMap((s) => s.samples.map(([t, v]) => `${seriesName(s)} ${v} ${t}`));
  return `${lines.join('\n')}\n# EOF\n`;
}

/**
 * Writes OpenMetrics `text` to `dir/series.om` and backfills it into blocks in `dir/data`;
 * returns that TSDB directory. Fails with promtool's output when it refuses the text.
 */
export function backfillOpenMetrics(text: string, dir: string): string {
  const input = path.join(dir, 'series.om');
  const tsdb = path.join(dir, 'data');
  fs.writeFileSync(input, text);
  const blocks = runTool('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', input, tsdb]);
  if (blocks.status !== 0) throw new Error(`promtool could not backfill the series:\n${blocks.output}`);
  return tsdb;
}
