/**
 * The rightsize command: reads the series the right-sizing rules record from a Prometheus
 * (HTTP API, `GET /api/v1/query`) and prints, per service, the suggested `resources` as a
 * change to its definition. A thin fetch layer around the pure `suggestResources`.
 * @see https://prometheus.io/docs/prometheus/latest/querying/api/#instant-queries
 */
import { DefinitionError, EffectiveService, PlatformDefinition, effectiveServices } from '../definition';
import { quote } from '../promql/build';
import { RIGHT_SIZING_INTERVAL, RIGHT_SIZING_RECORDS, RIGHT_SIZING_WINDOW } from '../prometheus/right-sizing-rules';
import { parseDuration } from '../promql/duration';
import { ResourceAmounts, RightSizingReadings, RightSizingSuggestion, renderSuggestion, suggestResources } from './right-sizing';

/** How a report is printed. */
export type RightsizeFormat = 'diff' | 'json';

/** The output formats, the default first. */
export const RIGHTSIZE_FORMATS: readonly RightsizeFormat[] = Object.freeze(['diff', 'json'] as const);

/** Options of `rightsize`, as a command line gives them. */
export interface RightsizeOptions {
  /** The platform whose services are sized. */
  readonly platform: PlatformDefinition;
  /** The environment the Prometheus watches. @default the platform's production environment, when it has exactly one */
  readonly environment?: string;
  /** Base URL of the Prometheus HTTP API, e.g. `http://127.0.0.1:9090`. @default the platform's `prometheusUrl` */
  readonly prometheus?: string;
  /** Names of the services to size. @default every service of the platform */
  readonly services?: readonly string[];
  /** @default 'diff' */
  readonly format?: RightsizeFormat;
  /** Evaluation time of the queries, unix seconds. @default the Prometheus's present */
  readonly time?: number;
  /** How long each query may take, in milliseconds. @default 30000 */
  readonly timeoutMs?: number;
  /** The `fetch` to call. @default the global `fetch` */
  readonly fetch?: typeof fetch;
}

/** What `rightsize` found. */
export interface RightsizeResult {
  /** One per sized service, by name. */
  readonly suggestions: readonly RightSizingSuggestion[];
  /** Services skipped because `rightSizing.enabled` is false in the environment. */
  readonly skipped: readonly string[];
  /** The report in the requested format. */
  readonly text: string;
}

/** Defaults of `RightsizeOptions`. */
export const RIGHTSIZE_DEFAULTS = Object.freeze({ format: 'diff' as RightsizeFormat, timeoutMs: 30_000 });

/** A sample of an instant vector, as the HTTP API returns it. */
interface Sample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: readonly [number, string];
}

/** A problem talking to Prometheus: unreachable, an error status, or an answer that is not a vector. */
export class PrometheusQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusQueryError';
  }
}

/** Runs one instant query; its samples. */
export async function queryVector(prometheus: string, expr: string, options: Pick<RightsizeOptions, 'time' | 'timeoutMs' | 'fetch'> = {}): Promise<Sample[]> {
  const params = new URLSearchParams({ query: expr, ...(options.time === undefined ? {} : { time: String(options.time) }) });
  const url = `${prometheus.replace(/\/+$/, '')}/api/v1/query?${params.toString()}`;
  const get = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await get(url, { signal: AbortSignal.timeout(options.timeoutMs ?? RIGHTSIZE_DEFAULTS.timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new PrometheusQueryError(`cannot reach Prometheus at ${prometheus}: ${cause ?? (error as Error).message}`);
  }
  let body: { status?: string; error?: string; data?: { resultType?: string; result?: unknown } };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new PrometheusQueryError(`Prometheus at ${prometheus} answered ${response.status} with no JSON to ${expr}`);
  }
  if (body.status !== 'success') throw new PrometheusQueryError(`Prometheus at ${prometheus} refused ${expr}: ${body.error ?? `status ${response.status}`}`);
  if (body.data?.resultType !== 'vector' || !Array.isArray(body.data.result)) throw new PrometheusQueryError(`Prometheus at ${prometheus} answered ${expr} with a ${body.data?.resultType ?? 'missing'} result, not a vector`);
  return body.data.result as Sample[];
}

type Key = string;
const keyOf = (namespace: string, service: string): Key => `${namespace}/${service}`;

/** Values of samples by service and resource. */
function byService(samples: readonly Sample[]): Map<Key, { cpu?: number; memory?: number }> {
  const found = new Map<Key, { cpu?: number; memory?: number }>();
  for (const s of samples) {
    const { namespace, service, resource } = s.metric;
    const value = Number(s.value[1]);
    if (namespace === undefined || service === undefined || (resource !== 'cpu' && resource !== 'memory') || !Number.isFinite(value)) continue;
    const key = keyOf(namespace, service);
    found.set(key, { ...found.get(key), [resource]: value });
  }
  return found;
}

/**
 * Reads the recorded right-sizing series of services from a Prometheus: five instant queries,
 * each for every service at once.
 * @returns the readings of each service, by name
 */
export async function readRightSizing(
  prometheus: string,
  services: readonly Pick<EffectiveService, 'name' | 'namespace'>[],
  options: Pick<RightsizeOptions, 'time' | 'timeoutMs' | 'fetch'> = {},
): Promise<Map<string, RightSizingReadings>> {
  const readings = new Map<string, RightSizingReadings>();
  if (services.length === 0) return readings;
  const matchers = `service=~${quote(services.map((s) => s.name).join('|'))}`;
  const r = RIGHT_SIZING_RECORDS;
  const [p95, max, requests, limits, samples] = await Promise.all([
    queryVector(prometheus, `${r.p95}{${matchers}}`, options),
    queryVector(prometheus, `${r.max}{${matchers}}`, options),
    queryVector(prometheus, `${r.requests}{${matchers}}`, options),
    queryVector(prometheus, `${r.limits}{${matchers}}`, options),
    queryVector(prometheus, `count_over_time(${r.usage}{${matchers}}[${RIGHT_SIZING_WINDOW}])`, options),
  ]).then((all) => all.map(byService));
  const stepHours = (parseDuration(RIGHT_SIZING_INTERVAL) ?? 300) / 3600;
  for (const s of services) {
    const key = keyOf(s.namespace, s.name);
    const count = samples.get(key);
    const covered = count === undefined ? undefined : Math.max(count.cpu ?? 0, count.memory ?? 0) * stepHours;
    const amounts = (m: Map<Key, ResourceAmounts>): ResourceAmounts => m.get(key) ?? {};
    readings.set(s.name, { p95: amounts(p95), max: { memory: max.get(key)?.memory }, requests: amounts(requests), limits: amounts(limits), ...(covered === undefined ? {} : { historyHours: covered }) });
  }
  return readings;
}

function fail(path: string, problem: string, value: unknown): never {
  throw new DefinitionError('rightsize options', [{ path, problem, value }]);
}

/** The environment to size: the one given, else the only production environment. */
function environmentOf(platform: PlatformDefinition, environment: string | undefined): string {
  const names = platform.environments.map((e) => e.name);
  if (environment !== undefined) {
    if (!names.includes(environment)) fail('environment', `must be an environment of platform ${platform.name} (${names.join(', ')})`, environment);
    return environment;
  }
  const production = platform.environments.filter((e) => e.production);
  if (production.length !== 1) fail('environment', `must be given: platform ${platform.name} has ${production.length} production environments (${names.join(', ')})`, environment);
  return production[0].name;
}

function prometheusOf(platform: PlatformDefinition, prometheus: string | undefined): string {
  const url = prometheus ?? platform.prometheusUrl;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) fail('prometheus', 'must be an http:// or https:// URL of the Prometheus HTTP API', url);
  return url;
}

/**
 * The rightsize command: the suggested `resources` of each service of a platform in one
 * environment, from the series its right-sizing rules recorded in that environment's
 * Prometheus. Services with `rightSizing.enabled: false` are skipped.
 * Throws a `DefinitionError` for an unknown environment or service or a bad URL, and a
 * `PrometheusQueryError` when Prometheus cannot answer.
 * @example
 * const { text } = await rightsize({ platform, prometheus: 'http://127.0.0.1:9090' });
 * process.stdout.write(text);
 */
export async function rightsize(options: RightsizeOptions): Promise<RightsizeResult> {
  const { platform } = options;
  const environment = environmentOf(platform, options.environment);
  const prometheus = prometheusOf(platform, options.prometheus);
  const format = options.format ?? RIGHTSIZE_DEFAULTS.format;
  if (!RIGHTSIZE_FORMATS.includes(format)) fail('format', `must be one of ${RIGHTSIZE_FORMATS.join(', ')}`, format);
  const known = platform.services.map((s) => s.name).sort();
  (options.services ?? []).forEach((name, i) => {
    if (!known.includes(name)) fail(`services[${i}]`, `must be a service of platform ${platform.name} (${known.join(', ')})`, name);
  });
  const wanted = effectiveServices(platform, environment, (s) => options.services === undefined || options.services.includes(s.name));
  const sized = wanted.filter((s) => s.rightSizing.enabled);
  const skipped = wanted.filter((s) => !s.rightSizing.enabled).map((s) => s.name);
  const readings = await readRightSizing(prometheus, sized, options);
  const suggestions = sized.map((s) => suggestResources(platform, s, readings.get(s.name) ?? { p95: {}, max: {}, requests: {}, limits: {} }));
  const text =
    format === 'json'
      ? `${JSON.stringify({ environment, prometheus, suggestions, skipped }, null, 2)}\n`
      : [
          ...suggestions.map(renderSuggestion),
          ...(skipped.length === 0 ? [] : [`skipped (rightSizing.enabled is false in ${environment}): ${skipped.join(', ')}\n`]),
        ].join('\n');
  return { suggestions, skipped, text };
}
