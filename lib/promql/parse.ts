import { parseMatchers } from './build';
import { parser } from '@prometheus-io/lezer-promql';
import { BoundedCache } from '../private/bounded-cache';

/** One syntax problem found in a PromQL expression. */
export interface PromqlProblem {
  /** Character offset in the expression where the parser gave up (0-based). */
  readonly offset: number;
  /** What the parser found there. */
  readonly message: string;
}

/** Parses whose results are kept: a few services' worth of rules and dashboard queries. */
const PARSE_CACHE_SIZE = 4096;

/** How much of the text after an error is quoted in a message. */
const QUOTE_LENGTH = 20;

function describeAt(expr: string, offset: number): string {
  if (offset >= expr.length) {
    return 'unexpected end of expression';
  }
  const rest = expr.slice(offset);
  const quoted = rest.length > QUOTE_LENGTH ? `${rest.slice(0, QUOTE_LENGTH)}...` : rest;
  return `unexpected input ${JSON.stringify(quoted)}`;
}

/**
 * Parses PromQL with the Prometheus project's own Lezer grammar and returns every syntax
 * problem, first offset first. The parser recovers from errors instead of throwing, so the
 * tree is walked for error nodes. An empty list means the expression parses.
 *
 * Only syntax is checked: unknown metric names or label names are valid PromQL.
 *
 * @see https://github.com/prometheus/prometheus/tree/main/web/ui/module/lezer-promql
 * @example
 * promqlErrors('sum(rate(x[5m])'); // [{ offset: 15, message: 'unexpected end of expression' }]
 */
export function promqlErrors(expr: string): PromqlProblem[] {
  return [...parsed.getOrCompute(expr, parse)];
}

/**
 * Results of recent parses: a platform emits the same expressions in every environment of a
 * service, so a service's rules parse once, not once per environment. Bounded: the least
 * recently used goes, so memory stays flat however large the platform.
 */
const parsed = new BoundedCache<string, readonly PromqlProblem[]>(PARSE_CACHE_SIZE);

/** The syntax tree of a PromQL expression, as Prometheus's Lezer grammar parses it. */
export type PromqlTree = ReturnType<typeof parser.parse>;

/**
 * The trees of the last few expressions: a query is often read several times in a row (its
 * syntax checked, then its selectors read). Trees are immutable, so they are shared.
 */
const trees = new BoundedCache<string, PromqlTree>(16);

/**
 * Parses PromQL with the Prometheus project's Lezer grammar; the tree of an expression parsed
 * a moment ago is given again. The parser recovers from errors: walk the tree for error nodes.
 */
export function parsePromql(expr: string): PromqlTree {
  return trees.getOrCompute(expr, (text) => parser.parse(text));
}

/**
 * The metric names the vector selectors of an expression read, in order: the name before `{`,
 * else a `__name__="..."` matcher; a selector that names its metric by a regex gives none.
 */
export function selectedMetrics(expr: string): string[] {
  const names: string[] = [];
  parsePromql(expr).iterate({
    enter: (node) => {
      if (node.name !== 'VectorSelector') return undefined;
      const text = expr.slice(node.from, node.to).trim();
      const named = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(text)?.[0];
      const inside = /\{([\s\S]*)\}\s*$/.exec(text)?.[1];
      const byName = inside === undefined ? undefined : parseMatchers(inside)?.find((m) => m.name === '__name__' && m.op === '=')?.value;
      const metric = named ?? byName;
      if (metric !== undefined) names.push(metric);
      return false;
    },
  });
  return names;
}

function parse(expr: string): PromqlProblem[] {
  const offsets = new Set<number>();
  parsePromql(expr).iterate({
    enter: (node) => {
      if (node.type.isError) {
        offsets.add(node.from);
      }
    },
  });
  return [...offsets].sort((a, b) => a - b).map((offset) => ({ offset, message: describeAt(expr, offset) }));
}

/**
 * A PromQL expression that does not parse. The message names where the expression comes
 * from (a construct path or a rule name), the offset, and the expression with a caret.
 */
export class PromqlError extends Error {
  /** Where the expression comes from, e.g. `[prod/checkout-alerts] checkout-slo-availability/SloErrorBudgetBurn`. */
  public readonly where: string;
  /** The expression as given. */
  public readonly expr: string;
  /** Every problem found, first offset first. */
  public readonly problems: readonly PromqlProblem[];

  constructor(where: string, expr: string, problems: readonly PromqlProblem[]) {
    const first = problems[0];
    const lines = expr.split('\n');
    // Point the caret at the first problem, on the line it belongs to.
    let remaining = first.offset;
    let lineIndex = 0;
    while (lineIndex < lines.length - 1 && remaining > lines[lineIndex].length) {
      remaining -= lines[lineIndex].length + 1;
      lineIndex += 1;
    }
    const shown = lines.map((line, i) => (i === lineIndex ? `    ${line}\n    ${' '.repeat(remaining)}^` : `    ${line}`));
    super(`${where}: invalid PromQL at offset ${first.offset}: ${first.message}\n${shown.join('\n')}`);
    this.name = 'PromqlError';
    this.where = where;
    this.expr = expr;
    this.problems = problems;
  }
}

/**
 * Throws a `PromqlError` when `expr` does not parse.
 * @param expr the PromQL expression
 * @param where what to name in the message: a construct path, a rule name or both
 * @example
 * assertPromql('up == 0', '[prod/checkout] checkout-symptoms/ServiceDown');
 */
export function assertPromql(expr: string, where: string): void {
  const problems = promqlErrors(expr);
  if (problems.length > 0) {
    throw new PromqlError(where, expr, problems);
  }
}
