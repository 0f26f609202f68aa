/**
 * Synthetic input series for the rule tests: label sets that a selector's matchers accept
 * (or that a bad-request matcher rejects), series text as promtool reads it, which custom
 * queries read a single counter whose value can be predicted, which series a selector reads
 * and how a query groups them.
 */
import { parsePromql } from '../../promql/parse';
import { LabelMatcher, equalityMatchers, matches, parseMatchers, substituteWindow } from '../../promql/build';

/** A series name with labels, as in a promtool `input_series` entry. */
export interface SeriesId {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Renders a series id: `metric{a="b", c="d"}`, labels sorted. */
export function seriesText(id: SeriesId): string {
  const labels = equalityMatchers(id.labels);
  return labels === '' ? id.metric : `${id.metric}{${labels}}`;
}

const GENERIC_VALUES = ['', '200', '500', '0', '1', 'ok', 'error', 'true', 'false', 'GET', 'POST', '/'];

/** A few strings a regex likely matches, guessed from its first alternative. */
function regexGuesses(regex: string): string[] {
  const first = regex.split('|')[0].replace(/^\^|\$$/g, '');
  const guess = first
    .replace(/\\d/g, '0')
    .replace(/\[([^\]])[^\]]*\]/g, '$1')
    .replace(/\\(.)/g, '$1')
    .replace(/\./g, '0')
    .replace(/[+*?]/g, '');
  return [guess, first];
}

function candidates(ms: readonly LabelMatcher[]): string[] {
  const own = ms.flatMap((m) => (m.op === '=' ? [m.value] : m.op === '=~' ? regexGuesses(m.value) : []));
  return [...own, ...GENERIC_VALUES];
}

function byName(ms: readonly LabelMatcher[]): Map<string, LabelMatcher[]> {
  const groups = new Map<string, LabelMatcher[]>();
  for (const m of ms) groups.set(m.name, [...(groups.get(m.name) ?? []), m]);
  return groups;
}

function withValue(labels: Record<string, string>, name: string, value: string): Record<string, string> {
  const { [name]: _dropped, ...rest } = labels;
  return value === '' ? rest : { ...rest, [name]: value };
}

/**
 * Labels (on top of `base`) that every matcher accepts, or undefined when none are found.
 * An absent label counts as the empty value, as in Prometheus.
 */
export function satisfyingLabels(base: Readonly<Record<string, string>>, ms: readonly LabelMatcher[]): Record<string, string> | undefined {
  let labels: Record<string, string> = { ...base };
  for (const [name, group] of byName(ms)) {
    const value = candidates(group).find((v) => group.every((m) => matches(m, v)));
    if (value === undefined) return undefined;
    labels = withValue(labels, name, value);
  }
  return labels;
}

/**
 * Labels of a series the library's selector of a service reads: every label of `scope` (the
 * service's `job` and `namespace`, which the library matches with `=`) kept as it is, and other
 * labels that every matcher accepts; undefined when none are found, or when a matcher refuses a
 * scope label's value (the query ANDs the two, so it reads no such series).
 */
export function scopedLabels(scope: Readonly<Record<string, string>>, ms: readonly LabelMatcher[]): Record<string, string> | undefined {
  const fixed = Object.entries(scope).map(([name, value]): LabelMatcher => ({ name, op: '=', value }));
  return satisfyingLabels({}, [...fixed, ...ms]);
}

/**
 * Labels of a "good" series: accepted by every `total` matcher and rejected by at least one
 * `bad` matcher. Starts from the labels of the bad series and changes one label, never one of
 * `scope` (the labels the library selects the service by).
 */
export function goodLabels(badSeries: Readonly<Record<string, string>>, total: readonly LabelMatcher[], bad: readonly LabelMatcher[], scope: Readonly<Record<string, string>> = {}): Record<string, string> | undefined {
  for (const m of bad) {
    if (Object.hasOwn(scope, m.name)) continue;
    const onLabel = total.filter((t) => t.name === m.name);
    const value = candidates([...onLabel, m]).find((v) => !matches(m, v) && onLabel.every((t) => matches(t, v)));
    if (value !== undefined) return withValue({ ...badSeries }, m.name, value);
  }
  return undefined;
}

/**
 * Whether a custom SLI query is the plain rate of one counter, `rate(<selector>[{{window}}])`,
 * optionally summed (`sum(...)`, `sum by (...) (...)`): the only shape whose value the rule
 * tests can predict from synthetic counters. Anything else (arithmetic, other functions) is
 * left untested rather than tested against a wrong expectation.
 */
export function isPlainRate(query: string): boolean {
  const rate = String.raw`rate\s*\(\s*[a-zA-Z_:][a-zA-Z0-9_:]*\s*(?:\{[^{}]*\})?\s*\[\{\{window\}\}\]\s*\)`;
  const grouping = String.raw`(?:\s*(?:by|without)\s*\([^()]*\))?`;
  return new RegExp(String.raw`^\s*(?:${rate}|sum${grouping}\s*\(\s*${rate}\s*\)${grouping})\s*$`).test(query);
}

/** The vector selectors of a query (after `{{window}}` substitution), as written, in query order. */
function selectorTexts(query: string): string[] {
  const expr = substituteWindow(query, '5m');
  const found: string[] = [];
  parsePromql(expr).iterate({
    enter: (node) => {
      if (node.name === 'VectorSelector') {
        found.push(expr.slice(node.from, node.to).trim());
        return false;
      }
      return undefined;
    },
  });
  return found;
}

/** A selector as written: its metric (undefined for `{...}` alone) and plain matchers; undefined when it has other ones. */
function parseSelector(text: string): { metric: string | undefined; matchers: LabelMatcher[] } | undefined {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(?:\{(.*)\})?$/s.exec(text);
  if (match === null) return undefined;
  const matchers = parseMatchers(match[2] ?? '');
  return matchers === undefined ? undefined : { metric: match[1], matchers };
}

/**
 * The one vector selector of a query (after `{{window}}` substitution) as a metric and
 * matchers, or undefined when the query has none, several, or matchers other than plain ones.
 */
export function singleSelector(query: string): { metric: string; matchers: LabelMatcher[] } | undefined {
  const found = selectorTexts(query);
  if (found.length !== 1) return undefined;
  const selector = parseSelector(found[0]);
  return selector?.metric === undefined ? undefined : { metric: selector.metric, matchers: selector.matchers };
}

/**
 * Whether a selector reads a series: the metric (when given) is the series' and every matcher
 * accepts its labels, `__name__` being the metric and an absent label the empty value.
 */
export function selects(metric: string | undefined, matchers: readonly LabelMatcher[], id: SeriesId): boolean {
  if (metric !== undefined && metric !== id.metric) return false;
  return matchers.every((m) => matches(m, m.name === '__name__' ? id.metric : (id.labels[m.name] ?? '')));
}

/**
 * Whether any selector of a query may read one of the series: true as well for a selector
 * whose matchers cannot be read, since nothing says it does not.
 */
export function mayRead(query: string, ids: readonly SeriesId[]): boolean {
  return selectorTexts(query).some((text) => {
    const selector = parseSelector(text);
    return selector === undefined || ids.some((id) => selects(selector.metric, selector.matchers, id));
  });
}

/**
 * How a plain-rate query combines the series it reads: each on its own (no aggregation), all
 * summed, or summed by or without some labels.
 */
export type RateGrouping = { readonly kind: 'each' } | { readonly kind: 'sum' } | { readonly kind: 'by' | 'without'; readonly labels: readonly string[] };

/** The grouping of a query's outermost aggregation, read with the PromQL grammar; `each` without one. */
export function rateGrouping(query: string): RateGrouping {
  const expr = substituteWindow(query, '5m');
  let kind: 'sum' | 'by' | 'without' | undefined;
  let inGrouping = false;
  const labels: string[] = [];
  parsePromql(expr).iterate({
    enter: (node) => {
      if (node.name === 'AggregateExpr') {
        if (kind !== undefined) return false;
        kind = 'sum';
      } else if (node.name === 'By' || node.name === 'Without') {
        kind = node.name === 'By' ? 'by' : 'without';
      } else if (node.name === 'GroupingLabels') {
        inGrouping = true;
      } else if (node.name === 'LabelName' && inGrouping) {
        labels.push(expr.slice(node.from, node.to));
      }
      return undefined;
    },
    leave: (node) => {
      if (node.name === 'GroupingLabels') inGrouping = false;
    },
  });
  if (kind === undefined) return { kind: 'each' };
  return kind === 'sum' ? { kind } : { kind, labels };
}

/** The labels a grouping keeps of a series: all of them, none, the listed ones, or all but the listed ones. */
export function groupLabels(labels: Readonly<Record<string, string>>, grouping: RateGrouping): Record<string, string> {
  switch (grouping.kind) {
    case 'each':
      return { ...labels };
    case 'sum':
      return {};
    case 'by':
      return Object.fromEntries(Object.entries(labels).filter(([name]) => grouping.labels.includes(name)));
    case 'without':
      return Object.fromEntries(Object.entries(labels).filter(([name]) => !grouping.labels.includes(name)));
  }
}
