/**
 * A small evaluator of the subset of Argo Rollouts' condition language (expr-lang with Argo's
 * `isNaN`) that the generated AnalysisTemplates use (`ANALYSIS_CONDITION_SUBSET`):
 * number literals, `result`, `result[<integer>]`, `len(...)`, `isNaN(...)`, the comparisons
 * `< <= > >= == !=`, `!`, `&&`, `||` and parentheses. Anything else is refused, so a condition
 * outside the subset fails the tests instead of being guessed at.
 *
 * Like expr-lang, `&&` and `||` short-circuit, comparisons with NaN are false, and an index out
 * of range is an error (Argo records the measurement as `Error`).
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#metric-success-and-failure-conditions
 * @see https://expr-lang.org/docs/language-definition
 */

/** What a Prometheus metric provider passes as `result`: a list for a vector, a number for a scalar. */
export type ArgoResult = number | readonly number[];
type Value = number | boolean | readonly number[];

type Node =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'result' }
  | { readonly kind: 'index'; readonly target: Node; readonly index: Node }
  | { readonly kind: 'call'; readonly name: 'len' | 'isNaN'; readonly arg: Node }
  | { readonly kind: 'not'; readonly operand: Node }
  | { readonly kind: 'binary'; readonly op: string; readonly left: Node; readonly right: Node };

const TOKEN = /\s*(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|&&|\|\||<=|>=|==|!=|[-<>!()[\]])/y;
const COMPARISONS = new Set(['<', '<=', '>', '>=', '==', '!=']);

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (match === null) throw new Error(`outside the supported subset at offset ${at}: ${JSON.stringify(text)}`);
    tokens.push(match[1]);
  }
  return tokens;
}

/** Parses a condition of the subset; throws on anything outside it. */
export function parseCondition(text: string): Node {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const expect = (token: string): void => {
    if (tokens[pos] !== token) throw new Error(`expected ${token} at token ${pos} of ${JSON.stringify(text)}, got ${tokens[pos] ?? 'the end'}`);
    pos += 1;
  };
  const primary = (): Node => {
    const token = tokens[pos++];
    if (token === undefined) throw new Error(`unexpected end of ${JSON.stringify(text)}`);
    if (token === '(') {
      const inner = or();
      expect(')');
      return inner;
    }
    if (token === '-' && /^\d/.test(peek() ?? '')) return { kind: 'number', value: -Number(tokens[pos++]) };
    if (/^\d/.test(token)) return { kind: 'number', value: Number(token) };
    if (token === 'len' || token === 'isNaN') {
      expect('(');
      const arg = or();
      expect(')');
      return { kind: 'call', name: token, arg };
    }
    if (token === 'result') {
      let node: Node = { kind: 'result' };
      while (peek() === '[') {
        pos += 1;
        const index = or();
        expect(']');
        node = { kind: 'index', target: node, index };
      }
      return node;
    }
    throw new Error(`outside the supported subset: ${token} in ${JSON.stringify(text)}`);
  };
  const unary = (): Node => {
    if (peek() === '!') {
      pos += 1;
      return { kind: 'not', operand: unary() };
    }
    return primary();
  };
  const comparison = (): Node => {
    const left = unary();
    const op = peek();
    if (op !== undefined && COMPARISONS.has(op)) {
      pos += 1;
      return { kind: 'binary', op, left, right: unary() };
    }
    return left;
  };
  /** A left-associative chain of one logical operator over operands parsed by `next`. */
  const chain = (op: '&&' | '||', next: () => Node) => (): Node => {
    let left = next();
    while (peek() === op) {
      pos += 1;
      left = { kind: 'binary', op, left, right: next() };
    }
    return left;
  };
  const and = chain('&&', comparison);
  function or(): Node {
    return chain('||', and)();
  }
  const node = or();
  if (pos !== tokens.length) throw new Error(`unexpected ${tokens[pos]} in ${JSON.stringify(text)}`);
  return node;
}

function num(value: Value, what: string): number {
  if (typeof value !== 'number') throw new Error(`${what} must be a number, got ${JSON.stringify(value)}`);
  return value;
}

function bool(value: Value, what: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`${what} must be a boolean, got ${JSON.stringify(value)}`);
  return value;
}

function evaluate(node: Node, result: ArgoResult): Value {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'result':
      return result;
    case 'index': {
      const target = evaluate(node.target, result);
      const index = num(evaluate(node.index, result), 'an index');
      if (!Array.isArray(target)) throw new Error('only a list can be indexed');
      if (!Number.isInteger(index) || index < 0 || index >= target.length) throw new Error(`index out of range: ${index} (len ${target.length})`);
      return (target as readonly number[])[index];
    }
    case 'call': {
      const arg = evaluate(node.arg, result);
      if (node.name === 'len') {
        if (!Array.isArray(arg)) throw new Error('len needs a list');
        return arg.length;
      }
      return Number.isNaN(num(arg, 'isNaN argument'));
    }
    case 'not':
      return !bool(evaluate(node.operand, result), '! operand');
    case 'binary': {
      if (node.op === '&&') return bool(evaluate(node.left, result), '&& operand') && bool(evaluate(node.right, result), '&& operand');
      if (node.op === '||') return bool(evaluate(node.left, result), '|| operand') || bool(evaluate(node.right, result), '|| operand');
      const a = num(evaluate(node.left, result), `${node.op} operand`);
      const b = num(evaluate(node.right, result), `${node.op} operand`);
      switch (node.op) {
        case '<':
          return a < b;
        case '<=':
          return a <= b;
        case '>':
          return a > b;
        case '>=':
          return a >= b;
        case '==':
          return a === b;
        default:
          return a !== b;
      }
    }
  }
}

/** Evaluates one condition against a result; throws when it is outside the subset or errors. */
export function evaluateCondition(condition: string, result: ArgoResult): boolean {
  return bool(evaluate(parseCondition(condition), result), 'a condition');
}

/** The phase of one measurement, as Argo Rollouts assigns it. */
export type MeasurementPhase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

/**
 * The phase of a measurement from a metric's conditions, as Argo Rollouts'
 * `evaluate.EvaluateResult` decides it: an evaluation error is `Error`; with one condition
 * missing it is the other's negation; failure wins; neither true is `Inconclusive`.
 * @see https://github.com/argoproj/argo-rollouts/blob/master/utils/evaluate/evaluate.go
 */
export function measurementPhase(metric: { readonly successCondition?: string; readonly failureCondition?: string }, result: ArgoResult): MeasurementPhase {
  let success = false;
  let failure = false;
  try {
    if (metric.successCondition) success = evaluateCondition(metric.successCondition, result);
    if (metric.failureCondition) failure = evaluateCondition(metric.failureCondition, result);
  } catch {
    return 'Error';
  }
  if (!metric.successCondition && !metric.failureCondition) return 'Successful';
  if (metric.successCondition && !metric.failureCondition) failure = !success;
  if (!metric.successCondition && metric.failureCondition) success = !failure;
  if (failure) return 'Failed';
  return success ? 'Successful' : 'Inconclusive';
}

/** The limits Argo Rollouts assesses a metric's measurements against. */
export interface MetricLimits {
  readonly count: number;
  readonly failureLimit: number;
  readonly inconclusiveLimit: number;
  readonly consecutiveErrorLimit: number;
}

/** The phase of a metric: `Running` while it has measurements to take. */
export type MetricPhase = MeasurementPhase | 'Running';

/**
 * The phase of a metric after its measurements, in order, as Argo Rollouts'
 * `assessMetricStatus` decides it after each: more failures than `failureLimit` fail it, more
 * inconclusive measurements than `inconclusiveLimit` make it inconclusive, more consecutive
 * errors than `consecutiveErrorLimit` error it, and `count` measurements without any of that
 * make it successful. It stops at the first decision, as the controller stops measuring.
 * @see https://github.com/argoproj/argo-rollouts/blob/master/analysis/analysis.go
 */
export function metricPhase(measurements: readonly MeasurementPhase[], limits: MetricLimits): MetricPhase {
  let failed = 0;
  let inconclusive = 0;
  let consecutiveErrors = 0;
  let count = 0;
  for (const phase of measurements) {
    count += 1;
    if (phase === 'Failed') failed += 1;
    if (phase === 'Inconclusive') inconclusive += 1;
    consecutiveErrors = phase === 'Error' ? consecutiveErrors + 1 : 0;
    if (failed > limits.failureLimit) return 'Failed';
    if (inconclusive > limits.inconclusiveLimit) return 'Inconclusive';
    if (consecutiveErrors > limits.consecutiveErrorLimit) return 'Error';
    if (count >= limits.count) return 'Successful';
  }
  return 'Running';
}
