/**
 * The comparisons an alert expression makes, read from its syntax tree with the Prometheus and
 * Grafana Lezer grammars (PromQL and LogQL name their comparison tokens alike), so a runbook
 * states the thresholds the deployed rule really has.
 */
import { parser as logqlParser } from '@grafana/lezer-logql';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { BoundedCache } from '../private/bounded-cache';

/** One comparison of an expression. */
export interface Comparison {
  /** The operator: `>`, `<`, `>=`, `<=`, `==`, `!=`. */
  readonly operator: string;
  /** The number compared with, when one side is a number. */
  readonly threshold?: number;
  /** The other side, as written, when neither side is a number. */
  readonly against?: string;
}

const OPERATORS: Readonly<Record<string, string>> = { Gtr: '>', Lss: '<', Gte: '>=', Lte: '<=', Eql: '==', Neq: '!=' };
const FLIPPED: Readonly<Record<string, string>> = { '>': '<', '<': '>', '>=': '<=', '<=': '>=', '==': '==', '!=': '!=' };
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;

/** A side of a comparison without the `bool` modifier and parentheses around a number. */
function side(text: string): string {
  return text
    .replace(/^\s*bool\b/, '')
    .trim()
    .replace(/^\((.*)\)$/s, '$1')
    .trim();
}

/**
 * Every comparison in a PromQL or LogQL expression, in the order written: `a > 0.01 and b == 0`
 * gives `>` 0.01 and `==` 0; `max(a) >= max(b)` gives `>=` against `max(b)`.
 */
export function comparisons(expr: string, language: 'promql' | 'logql'): readonly Comparison[] {
  return recent.getOrCompute(`${language}\n${expr}`, () => Object.freeze(read(expr, language)));
}

/**
 * The comparisons of recent expressions: a service's alerts are the same in every environment,
 * so each expression is parsed once, not once per environment. Bounded, as the parse caches are.
 */
const recent = new BoundedCache<string, readonly Comparison[]>(1024);

function read(expr: string, language: 'promql' | 'logql'): Comparison[] {
  const tree = (language === 'promql' ? promqlParser : logqlParser).parse(expr);
  const found: Comparison[] = [];
  tree.iterate({
    enter: (ref) => {
      if (ref.type.name !== 'BinaryExpr' && ref.type.name !== 'BinOpExpr') return;
      for (let child = ref.node.firstChild; child !== null; child = child.nextSibling) {
        const operator = OPERATORS[child.type.name];
        if (operator === undefined) continue;
        const left = side(expr.slice(ref.from, child.from));
        const right = side(expr.slice(child.to, ref.to));
        if (NUMBER.test(right)) found.push({ operator, threshold: Number(right) });
        else if (NUMBER.test(left)) found.push({ operator: FLIPPED[operator], threshold: Number(left) });
        else found.push({ operator, against: right });
        return;
      }
    },
  });
  return found;
}
