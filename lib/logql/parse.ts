/**
 * LogQL syntax, read with Grafana's own Lezer grammar for Loki's query language.
 * @see https://grafana.com/docs/loki/latest/query/
 */
import { parser } from '@grafana/lezer-logql';

/** One syntax problem found in a LogQL query. */
export interface LogqlProblem {
  /** Character offset in the query where the parser gave up (0-based). */
  readonly offset: number;
  /** What the parser found there. */
  readonly message: string;
}

/** What a LogQL query yields: log lines, or a metric (a sample per series). */
export type LogqlKind = 'log' | 'metric';

/** How much of the text after an error is quoted in a message. */
const QUOTE_LENGTH = 20;

function describeAt(query: string, offset: number): string {
  if (offset >= query.length) return 'unexpected end of query';
  const rest = query.slice(offset);
  return `unexpected input ${JSON.stringify(rest.length > QUOTE_LENGTH ? `${rest.slice(0, QUOTE_LENGTH)}...` : rest)}`;
}

/** The result of parsing a LogQL query: its problems, first offset first, and its kind when it parses. */
export interface LogqlParse {
  readonly problems: readonly LogqlProblem[];
  readonly kind?: LogqlKind;
}

/**
 * Parses LogQL and returns every syntax problem, first offset first, and whether the query is a
 * log query (`{app="x"} |= "error"`) or a metric query (`sum(count_over_time(...[5m]))`). The
 * parser recovers from errors instead of throwing, so the tree is walked for error nodes.
 * @example
 * parseLogql('sum(rate({app="x"}[5m])').problems; // [{ offset: 23, message: 'unexpected end of query' }]
 */
export function parseLogql(query: string): LogqlParse {
  const offsets = new Set<number>();
  const tree = parser.parse(query);
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) offsets.add(node.from);
    },
  });
  const problems = [...offsets].sort((a, b) => a - b).map((offset) => ({ offset, message: describeAt(query, offset) }));
  if (query.trim() === '') return { problems: [{ offset: 0, message: 'empty query' }] };
  if (problems.length > 0) return { problems };
  const root = tree.topNode.firstChild?.firstChild?.name;
  return { problems, kind: root === 'MetricExpr' ? 'metric' : 'log' };
}
