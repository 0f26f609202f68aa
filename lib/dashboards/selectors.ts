/**
 * The series a PromQL query reads: each vector selector's metric name and its label matchers,
 * read from the Prometheus grammar's syntax tree.
 */
import { LabelMatcher, MatchOp, unescapePromqlString } from '../promql/build';
import { parsePromql } from '../promql/parse';

/** One vector selector of a query. */
export interface SelectorUse {
  /** The metric name, or undefined when the selector names none it can be read from (`{__name__=~"x.*"}`). */
  readonly metric?: string;
  readonly matchers: readonly LabelMatcher[];
  /** The selector as written. */
  readonly text: string;
}

function stringValue(literal: string): string {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === '`') return body;
  // Single quotes escape `'` where double quotes escape `"`; every other escape is the same.
  return unescapePromqlString(quote === "'" ? body.replace(/\\'/g, "'") : body) ?? body;
}

/**
 * Every vector selector of a PromQL query that parses, in order. A metric name comes from the
 * identifier before the braces or from an equality matcher on `__name__`.
 * @example
 * selectorsOf('sum(rate(http_requests_total{job="a"}[5m]))')[0].metric; // 'http_requests_total'
 */
export function selectorsOf(expr: string): SelectorUse[] {
  const found: SelectorUse[] = [];
  const text = (from: number, to: number): string => expr.slice(from, to);
  parsePromql(expr).iterate({
    enter: (node) => {
      if (node.name !== 'VectorSelector') return undefined;
      const identifier = node.node.getChild('Identifier');
      const matchers: LabelMatcher[] = [];
      const list = node.node.getChild('LabelMatchers');
      for (let child = list?.firstChild ?? null; child !== null; child = child.nextSibling) {
        const label = child.getChild('LabelName');
        const op = child.getChild('MatchOp');
        const value = child.getChild('StringLiteral');
        if (label === null || op === null || value === null) continue;
        matchers.push({ name: text(label.from, label.to), op: text(op.from, op.to) as MatchOp, value: stringValue(text(value.from, value.to)) });
      }
      const byName = matchers.find((m) => m.name === '__name__' && m.op === '=');
      const metric = identifier !== null ? text(identifier.from, identifier.to) : byName?.value;
      found.push({ metric, matchers, text: text(node.from, node.to) });
      return false;
    },
  });
  return found;
}
