/**
 * Where and how a service exposes Prometheus metrics, and the names of its request metrics.
 * @see https://prometheus.io/docs/practices/histograms/
 */
import { parseDuration } from '../promql/duration';
import { Checks, METRIC_NAME, PORT_PROBLEM, PATH_PROBLEM, DURATION_PROBLEM } from './checks';
import { list, num, obj, str } from './shape';

/** Where and how the service exposes Prometheus metrics. */
export interface MetricsInput {
  /** @default 9090 */
  readonly port?: number;
  /** @default '/metrics' */
  readonly path?: string;
  /** @default '30s' */
  readonly scrapeInterval?: string;
  /**
   * Name of the request counter (labels: `code`, ...).
   * @default 'http_requests_total'
   */
  readonly requestsMetric?: string;
  /**
   * Name of the request-duration histogram, without `_bucket`.
   * @default 'http_request_duration_seconds'
   */
  readonly latencyMetric?: string;
  /**
   * The histogram's bucket boundaries, in seconds. Latency SLO thresholds must be one of them.
   * @default [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
   */
  readonly latencyBuckets?: readonly number[];
}

/** Normalized metrics settings. */
export interface Metrics {
  readonly port: number;
  readonly path: string;
  readonly scrapeInterval: string;
  readonly requestsMetric: string;
  readonly latencyMetric: string;
  readonly latencyBuckets: readonly number[];
}

/** Metrics settings when a definition gives none: the only source of the `@default`s above. */
export const METRICS_DEFAULTS: Metrics = Object.freeze({
  port: 9090,
  path: '/metrics',
  scrapeInterval: '30s',
  requestsMetric: 'http_requests_total',
  latencyMetric: 'http_request_duration_seconds',
  latencyBuckets: Object.freeze([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]),
});

/** The default latency buckets, seconds (the Prometheus client default). */
export const DEFAULT_LATENCY_BUCKETS: readonly number[] = METRICS_DEFAULTS.latencyBuckets;

/** Longest scrape interval: a 5m rate needs at least two samples. */
export const MAX_SCRAPE_INTERVAL_SECONDS = 150;

/** The smallest and largest bucket boundary accepted, seconds: a microsecond to a day. */
export const LATENCY_BUCKET_RANGE = Object.freeze({ min: 1e-6, max: 86400 });

/** The most buckets a latency histogram may declare. */
export const MAX_LATENCY_BUCKETS = 100;

const METRIC_NAME_PROBLEM = 'must be a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)';
const BUCKETS_PROBLEM = `must be a non-empty list of at most ${MAX_LATENCY_BUCKETS} numbers of seconds from ${LATENCY_BUCKET_RANGE.min} to ${LATENCY_BUCKET_RANGE.max}, in increasing order`;

/** Schema of `metrics`. */
export const metricsSchema = obj({
  port: num(PORT_PROBLEM).optional(),
  path: str(PATH_PROBLEM).optional(),
  scrapeInterval: str(DURATION_PROBLEM).optional(),
  requestsMetric: str(METRIC_NAME_PROBLEM).optional(),
  latencyMetric: str(METRIC_NAME_PROBLEM).optional(),
  latencyBuckets: list(num(BUCKETS_PROBLEM), BUCKETS_PROBLEM).optional(),
});

/** Checks the metrics settings and that the metrics port differs from the HTTP port. */
export function checkMetrics(k: Checks, metrics: MetricsInput | undefined, port: number | undefined): void {
  const metricsPort = metrics?.port ?? METRICS_DEFAULTS.port;
  if (metrics?.port === undefined && port === METRICS_DEFAULTS.port) {
    k.c.add('port', `must differ from the metrics port ${METRICS_DEFAULTS.port} (the default); choose another port or set metrics.port`, port);
  }
  if (metrics === undefined) {
    return;
  }
  if (metrics.port !== undefined && k.port('metrics.port', metrics.port) && metricsPort === port) {
    k.c.add('metrics.port', `must differ from the HTTP port ${port} so that only the monitoring namespace reaches it`, metrics.port);
  }
  if (metrics.path !== undefined) k.path('metrics.path', metrics.path);
  if (metrics.scrapeInterval !== undefined) {
    const seconds = k.duration('metrics.scrapeInterval', metrics.scrapeInterval);
    if (seconds !== undefined && seconds > MAX_SCRAPE_INTERVAL_SECONDS) {
      k.c.add('metrics.scrapeInterval', 'must be at most 2m30s: a 5m rate needs at least two samples', metrics.scrapeInterval);
    } else if (seconds !== undefined && seconds < 1) {
      k.c.add('metrics.scrapeInterval', 'must be at least 1s', metrics.scrapeInterval);
    }
  }
  for (const name of ['requestsMetric', 'latencyMetric'] as const) {
    const value = metrics[name];
    if (value !== undefined && (!METRIC_NAME.test(value) || value.length > 200)) {
      k.c.add(`metrics.${name}`, METRIC_NAME_PROBLEM, value);
    }
  }
  const buckets = metrics.latencyBuckets;
  if (buckets !== undefined) {
    const ok =
      buckets.length > 0 &&
      buckets.length <= MAX_LATENCY_BUCKETS &&
      buckets.every((b, i) => b >= LATENCY_BUCKET_RANGE.min && b <= LATENCY_BUCKET_RANGE.max && (i === 0 || b > buckets[i - 1]));
    if (!ok) {
      k.c.add('metrics.latencyBuckets', BUCKETS_PROBLEM, buckets);
    }
  }
}

/** The scrape interval in seconds that applies (the default when the given one is invalid). */
export function scrapeSeconds(metrics: MetricsInput | undefined): number {
  return parseDuration(metrics?.scrapeInterval ?? METRICS_DEFAULTS.scrapeInterval) ?? 30;
}

/** Fills the metrics defaults. */
export function normalizeMetrics(metrics: MetricsInput | undefined): Metrics {
  const d = METRICS_DEFAULTS;
  return {
    port: metrics?.port ?? d.port,
    path: metrics?.path ?? d.path,
    scrapeInterval: metrics?.scrapeInterval ?? d.scrapeInterval,
    requestsMetric: metrics?.requestsMetric ?? d.requestsMetric,
    latencyMetric: metrics?.latencyMetric ?? d.latencyMetric,
    latencyBuckets: [...(metrics?.latencyBuckets ?? d.latencyBuckets)],
  };
}
