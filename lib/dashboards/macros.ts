/**
 * Grafana's query macros and template variables, and their expansion to concrete values. A panel
 * query keeps `$__rate_interval` and `$namespace` for Grafana to fill; synthesis expands them to
 * parse the query, and the real-Prometheus test expands them to run it.
 * @see https://grafana.com/docs/grafana/latest/datasources/prometheus/template-variables/#use-__rate_interval
 * @see https://grafana.com/docs/grafana/latest/dashboards/variables/variable-syntax/
 */
import { formatDuration, parseDuration } from '../promql/duration';

/** The range of `rate()` in panels: Grafana makes it at least four scrape intervals. */
export const RATE_INTERVAL = '$__rate_interval';

/** The range of `count_over_time()`-style LogQL panels: one step of the graph. */
export const INTERVAL = '$__interval';

/** A template variable as written in a query: `$namespace`. */
export function variableRef(name: string): string {
  return `$${name}`;
}

/** Concrete values for the macros and variables of a query. */
export interface MacroValues {
  /** `$__rate_interval`, a Prometheus duration. */
  readonly rateInterval: string;
  /** `$__interval`, a Prometheus duration. */
  readonly interval: string;
  /** Values of template variables by name, e.g. `{ namespace: 'payments' }`. */
  readonly variables: Readonly<Record<string, string>>;
}

/**
 * The values Grafana gives the macros on a dashboard of the default range for a service scraped
 * every `scrapeInterval`: `$__interval` one scrape interval, `$__rate_interval` four.
 */
export function macroValuesFor(scrapeInterval: string, variables: Readonly<Record<string, string>>): MacroValues {
  const scrape = parseDuration(scrapeInterval) ?? 30;
  return { rateInterval: formatDuration(Math.ceil(4 * scrape)), interval: formatDuration(Math.max(1, Math.ceil(scrape))), variables };
}

/**
 * A query with its macros and variables replaced by values: `$__rate_interval`, `$__interval`,
 * `$name` and `${name}`. A reference to a variable without a value is left as written, so the
 * parser reports it.
 * @example
 * expandMacros('rate(x{namespace="$namespace"}[$__rate_interval])', { rateInterval: '2m', interval: '30s', variables: { namespace: 'shop' } });
 * // 'rate(x{namespace="shop"}[2m])'
 */
export function expandMacros(query: string, values: MacroValues): string {
  return query
    .split(RATE_INTERVAL)
    .join(values.rateInterval)
    .split(INTERVAL)
    .join(values.interval)
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced: string | undefined, plain: string | undefined) => {
      const name = braced ?? plain ?? '';
      return Object.prototype.hasOwnProperty.call(values.variables, name) ? values.variables[name] : whole;
    });
}
