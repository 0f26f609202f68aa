/**
 * Small builders for PromQL text. They only assemble strings; `assertPromql` checks the result.
 */
import { RE2JS } from 're2js';
import { BoundedCache } from '../private/bounded-cache';

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

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };

/**
 * The text of a double-quoted PromQL string body, with escapes read as Prometheus's lexer reads
 * them (Go's rules: `\a \b \f \n \r \t \v \\ \"`, `\xHH`, octal `\OOO`, `\uHHHH`, `\UHHHHHHHH`).
 * @returns the text, or undefined when an escape is not one Prometheus accepts
 * @see https://prometheus.io/docs/prometheus/latest/querying/basics/#string-literals
 */
export function unescapePromqlString(body: string): string | undefined {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) return undefined;
    if (SIMPLE_ESCAPES[next] !== undefined) {
      out += SIMPLE_ESCAPES[next];
      i += 1;
      continue;
    }
    const forms: readonly [string, RegExp, number][] = [['x', /^[0-9a-fA-F]{2}$/, 16], ['u', /^[0-9a-fA-F]{4}$/, 16], ['U', /^[0-9a-fA-F]{8}$/, 16]];
    const form = forms.find(([letter]) => letter === next);
    if (form !== undefined) {
      const length = form[0] === 'x' ? 2 : form[0] === 'u' ? 4 : 8;
      const digits = body.slice(i + 2, i + 2 + length);
      if (!form[1].test(digits)) return undefined;
      const code = parseInt(digits, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff && form[0] !== 'x')) return undefined;
      out += String.fromCodePoint(code);
      i += 1 + length;
      continue;
    }
    if (/^[0-7]{3}$/.test(body.slice(i + 1, i + 4))) {
      const code = parseInt(body.slice(i + 1, i + 4), 8);
      if (code > 255) return undefined;
      out += String.fromCharCode(code);
      i += 3;
      continue;
    }
    return undefined;
  }
  return out;
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
    const value = unescapePromqlString(match[3]);
    if (value === undefined) {
      return undefined; // an escape PromQL does not accept, e.g. \d or \/
    }
    found.push({ name: match[1], op: match[2] as MatchOp, value });
    rest = rest.slice(match[0].length).trim();
  }
  return found;
}

/**
 * Whether an RE2 pattern (one RE2 compiles) holds a named group written `(?<name>...)`: Go's
 * regexp accepts that form only since Go 1.22, so the Prometheus releases built before refuse
 * it; `(?P<name>...)` works in every one. Escapes, `\Q...\E` and character classes are skipped.
 */
function hasAngleNamedGroup(pattern: string): boolean {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (pattern[i + 1] === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        if (end < 0) return false;
        i = end + 1;
      } else {
        i++;
      }
    } else if (inClass) {
      if (c === '[' && pattern[i + 1] === ':') {
        const end = pattern.indexOf(':]', i + 2);
        if (end >= 0) i = end + 1;
      } else if (c === ']') {
        inClass = false;
      }
    } else if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      // A ] first in a class is a literal.
      if (pattern[i + 1] === ']') i++;
    } else if (c === '(' && pattern.startsWith('?<', i + 1)) {
      return true;
    }
  }
  return false;
}

/**
 * Why Prometheus would refuse a label-matcher or query regex, or undefined: it must compile as
 * RE2, alone and as Prometheus anchors it (`^(?s:<regex>)$`), and name its groups `(?P<name>)`.
 */
export function re2Problem(pattern: string): string | undefined {
  for (const candidate of [pattern, `^(?s:${pattern})$`]) {
    try {
      RE2JS.compile(candidate);
    } catch (error) {
      // The pattern alone first, so that the message quotes only what the user wrote.
      return error instanceof Error ? error.message : String(error);
    }
  }
  return hasAngleNamedGroup(pattern) ? 'a named group must be written (?P<name>...): Prometheus releases built with Go before 1.22 refuse (?<name>...)' : undefined;
}

/** Label-matcher regexes compiled (null when refused), the last few hundred: the same few are tried against many values. */
const labelRegexes = new BoundedCache<string, RE2JS | null>(512);

/**
 * A label matcher's regex as Prometheus compiles it: RE2 (`(?i)`, `\pL`, `[[:alpha:]]` and no
 * lookaround, unlike JavaScript's), anchored, `.` matching a newline (`^(?s:<regex>)$`).
 * Undefined when RE2 refuses it.
 */
function labelRegex(regex: string): RE2JS | undefined {
  return labelRegexes.getOrCompute(regex, (text) => (re2Problem(text) === undefined ? RE2JS.compile(`^(?s:${text})$`) : null)) ?? undefined;
}

/**
 * Whether a label value (`''` for an absent label) satisfies a matcher, with Prometheus's
 * semantics: regexes are RE2, anchored at both ends. A regex RE2 refuses accepts no value
 * (Prometheus refuses the whole query; definitions refuse such selectors before this runs).
 */
export function matches(m: LabelMatcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return labelRegex(m.value)?.matcher(value).matches() ?? false;
    case '!~': {
      const regex = labelRegex(m.value);
      return regex !== undefined && !regex.matcher(value).matches();
    }
  }
}

/**
 * Renders a number for PromQL and labels without floating-point noise or exponent
 * notation for ordinary ratios: 0.0144, 0.00466666666667, 1.
 */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}
