/**
 * Small builders for PromQL text. They only assemble strings; `assertPromql` checks the result.
 */

/** A label match operator. @see https://prometheus.io/docs/prometheus/latest/querying/basics/#time-series-selectors */
export type MatchOp = '=' | '!=' | '=~' | '!~';

/** One label matcher, e.g. `code=~"5.."`. */
export interface LabelMatcher {
  readonly name: string;
  readonly op: MatchOp;
  /** The value, unescaped. */
  readonly value: string;
}

/** Quotes a label value as a PromQL string literal (double quotes, backslash escapes). */
export function quote(value: string): string {
  return JSON.stringify(value);
}

/** Renders one matcher: `name="value"`. */
export function matcher(name: string, op: MatchOp, value: string): string {
  return `${name}${op}${quote(value)}`;
}

/**
 * Joins label-matcher fragments (each a comma-separated list, possibly empty) into one list.
 * @example
 * joinMatchers('job="checkout"', '', 'code=~"5.."'); // 'job="checkout", code=~"5.."'
 */
export function joinMatchers(...fragments: readonly string[]): string {
  return fragments
    .map((f) => f.trim().replace(/^,|,$/g, '').trim())
    .filter((f) => f !== '')
    .join(', ');
}

/**
 * An instant-vector selector: `metric{matchers}`, or just `metric` without matchers.
 * @example
 * selector('http_requests_total', 'job="checkout"', 'code=~"5.."'); // 'http_requests_total{job="checkout", code=~"5.."}'
 */
export function selector(metric: string, ...fragments: readonly string[]): string {
  const joined = joinMatchers(...fragments);
  return joined === '' ? metric : `${metric}{${joined}}`;
}

/** Renders label matchers for a record of equality labels, sorted by name. */
export function equalityMatchers(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .map((name) => matcher(name, '=', labels[name]))
    .join(', ');
}

/** The placeholder a custom SLO query carries where the range goes. */
export const WINDOW_PLACEHOLDER = '{{window}}';

/**
 * Replaces every `{{window}}` in a query by a range such as `5m`.
 * @example
 * substituteWindow('sum(rate(jobs_total[{{window}}]))', '1h'); // 'sum(rate(jobs_total[1h]))'
 */
export function substituteWindow(query: string, window: string): string {
  return query.split(WINDOW_PLACEHOLDER).join(window);
}

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/;

/**
 * Parses a comma-separated list of label matchers (the inside of `{...}`).
 * @returns the matchers, or undefined when the text is not such a list
 */
export function parseMatchers(text: string): LabelMatcher[] | undefined {
  const found: LabelMatcher[] = [];
  let rest = text.trim();
  while (rest !== '') {
    const match = MATCHER.exec(rest);
    if (match === null) {
      return undefined;
    }
    let value: string;
    try {
      value = JSON.parse(`"${match[3]}"`) as string;
    } catch {
      return undefined; // an escape PromQL accepts but JSON does not, e.g. \d
    }
    found.push({ name: match[1], op: match[2] as MatchOp, value });
    rest = rest.slice(match[0].length).trim();
  }
  return found;
}

/** Whether a label value (`''` for an absent label) satisfies a matcher; regexes are anchored as in Prometheus. */
export function matches(m: LabelMatcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test(value);
    case '!~':
      return !new RegExp(`^(?:${m.value})$`).test(value);
  }
}

/**
 * Renders a number for PromQL and labels without floating-point noise or exponent
 * notation for ordinary ratios: 0.0144, 0.00466666666667, 1.
 */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}
