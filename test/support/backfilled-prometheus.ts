/**
 * The Prometheus of a describe block that runs queries against synthetic series: backfilled with
 * `promtool tsdb create-blocks-from openmetrics`, started on 127.0.0.1 before the block's tests
 * and stopped after them, its files removed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OpenMetricsSeries, backfillOpenMetrics, openMetricsText } from './openmetrics';
import { PrometheusOptions, PrometheusServer, startPrometheus } from './servers';

/** What the Prometheus is started with: the series to backfill, and how to run it. */
export interface BackfilledSetup extends Omit<PrometheusOptions, 'tsdbDir' | 'readyTimeoutMs'> {
  readonly series: readonly OpenMetricsSeries[];
  /**
   * How long the backfilled blocks are kept (`--storage.tsdb.retention.time`).
   * @default '1d'
   */
  readonly retention?: string;
  /** Runs once the server is ready, before the tests (say, to let the rules evaluate again). @default nothing */
  readonly afterStart?: (server: PrometheusServer) => Promise<void>;
}

/**
 * Registers the block's `beforeAll` and `afterAll`, and gives the server as the tests see it
 * (its calls go to the server started). `setup` runs in `beforeAll`, so it may read the clock and
 * set what the tests read. Flags: `--log.level=warn`, the retention, and `extraArgs`.
 */
export function backfilledPrometheus(name: string, setup: () => BackfilledSetup, readyTimeoutMs: number): PrometheusServer {
  let dir: string | undefined;
  let server: PrometheusServer | undefined;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `ops-constructs-${name}-`));
    const { series, retention = '1d', afterStart, extraArgs = [], ...options } = setup();
    server = await startPrometheus({
      ...options,
      tsdbDir: backfillOpenMetrics(openMetricsText(series), dir),
      extraArgs: [`--storage.tsdb.retention.time=${retention}`, '--log.level=warn', ...extraArgs],
      readyTimeoutMs,
    });
    await afterStart?.(server);
  }, readyTimeoutMs + 60_000);
  afterAll(async () => {
    await server?.stop();
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });
  const started = (): PrometheusServer => {
    if (server === undefined) throw new Error(`the Prometheus of ${name} is used outside its tests, or did not start`);
    return server;
  };
  return {
    get url() {
      return started().url;
    },
    get process() {
      return started().process;
    },
    api: (endpoint, params) => started().api(endpoint, params),
    query: (expr, time) => started().query(expr, time),
    vector: (expr, time) => started().vector(expr, time),
    queryRange: (expr, start, end, step) => started().queryRange(expr, start, end, step),
    waitFor: (what, probe, timeoutMs) => started().waitFor(what, probe, timeoutMs),
    stop: () => started().stop(),
  };
}
