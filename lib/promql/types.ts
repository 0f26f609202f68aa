import { parser } from '@prometheus-io/lezer-promql';
import { RE2JS } from 're2js';
import { BoundedCache } from '../private/bounded-cache';
import { re2Problem } from './build';

/**
 * The type of a PromQL expression: an instant vector, a range vector (`matrix`), a scalar or a
 * string.
 * @see https://prometheus.io/docs/prometheus/latest/querying/functions/
 * @see https://prometheus.io/docs/prometheus/latest/querying/basics/#expression-language-data-types
 */
export type PromqlType = 'vector' | 'matrix' | 'scalar' | 'string';

/**
 * The signature of one PromQL function, as Prometheus declares it.
 * @see https://prometheus.io/docs/prometheus/latest/querying/functions/
 */
export interface PromqlFunction {
  /** The function's name, e.g. `rate`. */
  readonly name: string;
  /** The type of each argument; with `variadic`, the last one may repeat or be left out. */
  readonly argTypes: readonly PromqlType[];
  /**
   * 0: exactly `argTypes.length` arguments. N > 0: the last argument is optional and may be
   * given up to N times. -1: the last argument may be given any number of times (at least once).
   */
  readonly variadic: number;
  /** The type of the result. */
  readonly returnType: PromqlType;
  /** Only available with `--enable-feature=promql-experimental-functions`. */
  readonly experimental: boolean;
}

const V = 'vector';
const M = 'matrix';
const S = 'scalar';
const STR = 'string';

function fn(name: string, argTypes: readonly PromqlType[], returnType: PromqlType, variadic = 0, experimental = false): PromqlFunction {
  return { name, argTypes, variadic, returnType, experimental };
}

/** Functions of one instant vector returning an instant vector. */
const VECTOR_TO_VECTOR = [
  'abs', 'absent', 'acos', 'acosh', 'asin', 'asinh', 'atan', 'atanh', 'ceil', 'cos', 'cosh', 'deg', 'exp', 'floor',
  'histogram_avg', 'histogram_count', 'histogram_stddev', 'histogram_stdvar', 'histogram_sum', 'ln', 'log10', 'log2',
  'rad', 'sgn', 'sin', 'sinh', 'sort', 'sort_desc', 'sqrt', 'tan', 'tanh', 'timestamp',
];

/** Functions of one range vector returning an instant vector. */
const MATRIX_TO_VECTOR = [
  'absent_over_time', 'avg_over_time', 'changes', 'count_over_time', 'delta', 'deriv', 'idelta', 'increase', 'irate',
  'last_over_time', 'max_over_time', 'min_over_time', 'present_over_time', 'rate', 'resets', 'stddev_over_time',
  'stdvar_over_time', 'sum_over_time',
];

/** Date functions: an optional instant vector (default `vector(time())`). */
const DATE_FUNCTIONS = ['day_of_month', 'day_of_week', 'day_of_year', 'days_in_month', 'hour', 'minute', 'month', 'year'];

/** Experimental functions of one range vector returning an instant vector. */
const EXPERIMENTAL_MATRIX_TO_VECTOR = [
  'first_over_time', 'mad_over_time', 'ts_of_first_over_time', 'ts_of_last_over_time', 'ts_of_max_over_time',
  'ts_of_min_over_time',
];

/**
 * Every PromQL function with its signature, as in Prometheus's `promql/parser/functions.go`:
 * the functions of Prometheus 2.x (including `holt_winters`, which 3.x renamed to the
 * experimental `double_exponential_smoothing`) and the newer ones, the experimental ones marked.
 * @see https://prometheus.io/docs/prometheus/latest/querying/functions/
 */
export const PROMQL_FUNCTIONS: Readonly<Record<string, PromqlFunction>> = Object.freeze(
  Object.fromEntries(
    [
      ...VECTOR_TO_VECTOR.map((name) => fn(name, [V], V)),
      ...MATRIX_TO_VECTOR.map((name) => fn(name, [M], V)),
      ...DATE_FUNCTIONS.map((name) => fn(name, [V], V, 1)),
      ...EXPERIMENTAL_MATRIX_TO_VECTOR.map((name) => fn(name, [M], V, 0, true)),
      fn('clamp', [V, S, S], V),
      fn('clamp_max', [V, S], V),
      fn('clamp_min', [V, S], V),
      fn('histogram_fraction', [S, S, V], V),
      fn('histogram_quantile', [S, V], V),
      fn('holt_winters', [M, S, S], V),
      fn('label_join', [V, STR, STR, STR], V, -1),
      fn('label_replace', [V, STR, STR, STR, STR], V),
      fn('pi', [], S),
      fn('predict_linear', [M, S], V),
      fn('quantile_over_time', [S, M], V),
      fn('round', [V, S], V, 1),
      fn('scalar', [V], S),
      fn('time', [], S),
      fn('vector', [S], V),
      fn('double_exponential_smoothing', [M, S, S], V, 0, true),
      fn('histogram_quantiles', [V, STR, S, S], V, 9, true),
      fn('info', [V, V], V, 1, true),
      fn('sort_by_label', [V, STR], V, -1, true),
      fn('sort_by_label_desc', [V, STR], V, -1, true),
      fn('start', [], S, 0, true),
      fn('end', [], S, 0, true),
      fn('range', [], S, 0, true),
      fn('step', [], S, 0, true),
    ].map((f) => [f.name, Object.freeze(f)]),
  ),
);

/** Aggregation operators that take a parameter before the vector, and its type. */
const AGGREGATION_PARAMS: Readonly<Record<string, PromqlType>> = {
  topk: S,
  bottomk: S,
  quantile: S,
  count_values: STR,
  limitk: S,
  limit_ratio: S,
};

const EXPERIMENTAL_AGGREGATIONS = new Set(['limitk', 'limit_ratio']);

/**
 * Words the grammar reads specially when a `(` follows them; every other identifier before a
 * `(` names a function.
 */
const KEYWORDS = new Set([
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'atan2',
  'start', 'end', 'step', 'range', 'min_of', 'max_of', 'fill', 'fill_left', 'fill_right', 'smoothed', 'anchored',
  'inf', 'nan', 'avg', 'bottomk', 'count', 'count_values', 'group', 'max', 'min', 'quantile', 'limitk', 'limit_ratio',
  'stddev', 'stdvar', 'sum', 'topk',
]);

const COMPARISON_OPERATORS = new Set(['Eql', 'Neq', 'Gtr', 'Lss', 'Gte', 'Lte']);
const SET_OPERATORS = new Set(['And', 'Or', 'Unless']);
const BINARY_OPERATORS = new Set([
  'Pow', 'Mul', 'Div', 'Mod', 'Atan2', 'Add', 'Sub', 'TrimUpper', 'TrimLower', ...COMPARISON_OPERATORS, ...SET_OPERATORS,
]);

/** A name the grammar knows as a function; every call is parsed with it in place of its own name. */
const CALL_PLACEHOLDER = 'abs';

/** A duration literal with units, e.g. `1h30m`. */
const DURATION = /^(?:\d+(?:ms|y|w|d|h|m|s))+$/;

type Tree = ReturnType<typeof parser.parse>;
type Node = Tree['topNode'];

/** The name Prometheus's messages give each type. */
function documented(type: PromqlType): string {
  switch (type) {
    case 'vector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
    case 'scalar':
      return 'scalar';
    case 'string':
      return 'string';
  }
}

/** The expression as parsed, with every function call renamed to one the grammar knows. */
interface Parsed {
  readonly text: string;
  readonly tree: Tree;
  /** Offset of each renamed call in `text` → the function name as written. */
  readonly calls: ReadonlyMap<number, string>;
}

const NUMBER_TOKEN = /[0-9.][0-9a-zA-Z_.]*/y;
const IDENTIFIER_TOKEN = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const OPENING_PARENTHESIS = /\s*\(/y;

/** The match of a sticky regular expression at `offset`, if any. */
function stickyMatch(re: RegExp, text: string, offset: number): string | undefined {
  re.lastIndex = offset;
  const match = re.exec(text);
  return match === null ? undefined : match[0];
}

/**
 * The grammar only knows the function names of its own Prometheus version and leaves any other
 * call unparsed, so every call is renamed before parsing and typed by its real name afterwards.
 * Strings and comments are copied as they are.
 */
function parseRenamingCalls(expr: string): Parsed {
  let text = '';
  const calls = new Map<number, string>();
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < expr.length && expr[j] !== c && expr[j] !== '\n') j += expr[j] === '\\' ? 2 : 1;
      j = Math.min(j + 1, expr.length);
      text += expr.slice(i, j);
      i = j;
    } else if (c === '`') {
      const end = expr.indexOf('`', i + 1);
      const j = end < 0 ? expr.length : end + 1;
      text += expr.slice(i, j);
      i = j;
    } else if (c === '#') {
      const end = expr.indexOf('\n', i);
      const j = end < 0 ? expr.length : end;
      text += expr.slice(i, j);
      i = j;
    } else if (/[0-9.]/.test(c)) {
      const token = stickyMatch(NUMBER_TOKEN, expr, i) ?? c;
      text += token;
      i += token.length;
    } else if (/[a-zA-Z_:]/.test(c)) {
      const token = stickyMatch(IDENTIFIER_TOKEN, expr, i) ?? c;
      const isCall = stickyMatch(OPENING_PARENTHESIS, expr, i + token.length) !== undefined;
      if (isCall && !token.includes(':') && !KEYWORDS.has(token.toLowerCase())) {
        calls.set(text.length, token);
        text += CALL_PLACEHOLDER;
      } else {
        text += token;
      }
      i += token.length;
    } else {
      text += c;
      i += 1;
    }
  }
  return { text, tree: parser.parse(text), calls };
}

function hasSyntaxErrors(tree: Tree): boolean {
  let found = false;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) found = true;
      return !found;
    },
  });
  return found;
}

/** Unquotes a PromQL string literal: double or single quotes with Go escapes, or backticks. */
function unquote(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  const body = literal.slice(1, -1);
  const simple: Readonly<Record<string, string>> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_all, esc: string) => {
    if (esc.length > 1) {
      const code = esc[0] === 'x' || esc[0] === 'u' || esc[0] === 'U' ? parseInt(esc.slice(1), 16) : parseInt(esc, 8);
      return String.fromCodePoint(code);
    }
    return simple[esc] ?? esc;
  });
}

/** Answers of `regexMatchesEmpty` for recent patterns: a fleet's queries use a few (`5..`) again and again. */
const emptyMatches = new BoundedCache<string, boolean | string>(1024);

/** Whether an anchored RE2 regular expression matches the empty string; an error message when it does not compile. */
function regexMatchesEmpty(re: string): boolean | string {
  return emptyMatches.getOrCompute(re, compileMatchingEmpty);
}

function compileMatchingEmpty(re: string): boolean | string {
  return re2Problem(re) ?? RE2JS.compile(`^(?s:${re})$`).matcher('').matches();
}

/** The largest `@` timestamp Prometheus accepts, in seconds (it must fit an int64). */
const MAX_TIMESTAMP = 2 ** 63;

/** The value of a number literal: signed decimal, hexadecimal, `Inf` or `NaN`, with `_` separators. */
function numberValue(literal: string): number {
  const sign = literal.startsWith('-') ? -1 : 1;
  const digits = literal.replace(/^[+-]/, '').replace(/_/g, '');
  if (/^inf$/i.test(digits)) return sign * Infinity;
  if (/^nan$/i.test(digits)) return NaN;
  return sign * Number(digits);
}

/** Whether a duration literal such as `0s` or `0` is zero. */
function isZeroDuration(literal: string): boolean {
  return DURATION.test(literal) ? !/[1-9]/.test(literal) : Number(literal) === 0;
}

function children(node: Node): Node[] {
  const found: Node[] = [];
  for (let child = node.firstChild; child !== null; child = child.nextSibling) {
    if (child.name !== 'LineComment') found.push(child);
  }
  return found;
}

function exprChildren(node: Node): Node[] {
  return children(node).filter((child) => child.type.is('Expr'));
}

/** A modifier written after an expression: a range, a subquery, `offset`, `@`, `anchored` or `smoothed`. */
type PostfixKind = 'range' | 'subquery' | 'offset' | 'at' | 'anchored' | 'smoothed';

const POSTFIX: Readonly<Record<string, PostfixKind>> = {
  MatrixSelector: 'range',
  SubqueryExpr: 'subquery',
  OffsetExpr: 'offset',
  StepInvariantExpr: 'at',
  AnchoredExpr: 'anchored',
  SmoothedExpr: 'smoothed',
};

/** The expression as Prometheus's parser builds it; `node` keeps the details (matchers, modifiers, durations). */
type Ast =
  | { readonly kind: 'number' | 'string' | 'selector' | 'unknown'; readonly node: Node }
  | { readonly kind: 'paren' | 'unary'; readonly node: Node; readonly expr: Ast }
  | PostfixAst
  | { readonly kind: 'binary'; readonly node: Node; readonly lhs: Ast; readonly rhs: Ast }
  | { readonly kind: 'call' | 'aggregate'; readonly node: Node; readonly args: readonly Ast[] };

/** A modified expression; `node` is the Lezer node of the modifier. */
interface PostfixAst {
  readonly kind: PostfixKind;
  readonly node: Node;
  readonly expr: Ast;
}

/**
 * In Prometheus's grammar ranges, subqueries and modifiers bind tighter than every operator
 * (`a / b offset 1d` is `a / (b offset 1d)`, `-x[5m]` is `-(x[5m])`); the Lezer grammar applies
 * them to the whole operation before. This moves such a modifier onto the rightmost operand.
 */
function attach(kind: PostfixKind, node: Node, expr: Ast): Ast {
  switch (expr.kind) {
    case 'binary':
      return { ...expr, rhs: attach(kind, node, expr.rhs) };
    case 'unary':
      return { ...expr, expr: attach(kind, node, expr.expr) };
    default:
      return { kind, node, expr };
  }
}

function build(node: Node | undefined, missing: Node): Ast {
  if (node === undefined) return { kind: 'unknown', node: missing };
  const postfix = POSTFIX[node.name];
  if (postfix !== undefined) return attach(postfix, node, build(exprChildren(node)[0], node));
  switch (node.name) {
    case 'NumberDurationLiteral':
      return { kind: 'number', node };
    case 'StringLiteral':
      return { kind: 'string', node };
    case 'VectorSelector':
      return { kind: 'selector', node };
    case 'PromQL':
      return build(exprChildren(node)[0], node);
    case 'ParenExpr':
      return { kind: 'paren', node, expr: build(exprChildren(node)[0], node) };
    case 'UnaryExpr':
      return { kind: 'unary', node, expr: build(exprChildren(node)[0], node) };
    case 'BinaryExpr': {
      const operands = exprChildren(node);
      return { kind: 'binary', node, lhs: build(operands[0], node), rhs: build(operands[operands.length - 1], node) };
    }
    case 'FunctionCall':
    case 'AggregateExpr': {
      const body = node.getChild('FunctionCallBody');
      const args = body === null ? [] : exprChildren(body).map((arg) => build(arg, node));
      return { kind: node.name === 'FunctionCall' ? 'call' : 'aggregate', node, args };
    }
    default:
      return { kind: 'unknown', node };
  }
}

/** Walks the expression as Prometheus's `checkAST` does, collecting problems. */
class Checker {
  public readonly problems: string[] = [];

  constructor(private readonly parsed: Parsed) {}

  private text(node: Node): string {
    return this.parsed.text.slice(node.from, node.to);
  }

  private add(problem: string): void {
    if (!this.problems.includes(problem)) this.problems.push(problem);
  }

  /** The type of an expression, or undefined when it cannot be known (an unknown function). */
  public typeOf(ast: Ast): PromqlType | undefined {
    switch (ast.kind) {
      case 'number':
        return 'scalar';
      case 'string':
        return 'string';
      case 'selector':
        this.checkSelector(ast.node);
        return 'vector';
      case 'paren':
        return this.typeOf(ast.expr);
      case 'unary':
        return this.checkUnary(ast.expr);
      case 'binary':
        return this.checkBinary(ast.node, ast.lhs, ast.rhs);
      case 'call':
        return this.checkCall(ast.node, ast.args);
      case 'aggregate':
        return this.checkAggregation(ast.node, ast.args);
      case 'range':
        return this.checkRange(ast);
      case 'subquery':
        return this.checkSubquery(ast);
      case 'offset':
        return this.checkOffset(ast);
      case 'at':
        return this.checkAt(ast);
      case 'anchored':
      case 'smoothed':
        this.add(`${ast.kind} modifier is experimental and not enabled`);
        return this.typeOf(ast.expr);
      case 'unknown':
        return undefined;
    }
  }

  private checkSelector(node: Node): void {
    const name = node.getChild('Identifier');
    const matchers = node.getChild('LabelMatchers');
    const nameTwice = (value: string): void => {
      if (name !== null) this.add(`metric name must not be set twice: ${JSON.stringify(this.text(name))} or ${JSON.stringify(value)}`);
    };
    let nonEmpty = name !== null;
    for (const matcher of matchers === null ? [] : children(matchers)) {
      if (matcher.name === 'QuotedLabelName') {
        // `{"metric.name"}`: a metric name inside the braces.
        const value = unquote(this.text(matcher));
        nameTwice(value);
        if (value !== '') nonEmpty = true;
        continue;
      }
      const labelNode = matcher.getChild('LabelName') ?? matcher.getChild('QuotedLabelName');
      const opNode = matcher.getChild('MatchOp');
      const valueNode = matcher.getChild('StringLiteral');
      if (labelNode === null || opNode === null || valueNode === null) continue;
      const label = labelNode.name === 'QuotedLabelName' ? unquote(this.text(labelNode)) : this.text(labelNode);
      const op = this.text(opNode);
      const value = unquote(this.text(valueNode));
      if (label === '__name__') nameTwice(value);
      let matchesEmpty: boolean;
      if (op === '=~' || op === '!~') {
        const result = regexMatchesEmpty(value);
        if (typeof result === 'string') {
          this.add(`invalid regular expression in matcher ${this.text(matcher)}: ${result}`);
          nonEmpty = true;
          continue;
        }
        matchesEmpty = op === '=~' ? result : !result;
      } else {
        matchesEmpty = op === '=' ? value === '' : value !== '';
      }
      if (!matchesEmpty) nonEmpty = true;
    }
    if (!nonEmpty) this.add('vector selector must contain at least one non-empty matcher');
  }

  private checkDuration(node: Node | null): void {
    if (node === null) return;
    const parts = children(node);
    const literal = parts.length === 1 && parts[0].name === 'NumberDurationLiteralInDurationContext' ? parts[0] : undefined;
    if (literal === undefined) {
      // `offset -5m` is plain PromQL; arithmetic and functions on durations are not.
      if (node.name === 'OffsetDurationExpr' && parts.length === 2 && parts[0].name === 'UnaryOp') {
        this.checkDuration(parts[1]);
        return;
      }
      this.add('experimental duration expression is not enabled');
      return;
    }
    if (isZeroDuration(this.text(literal))) this.add('duration must be greater than 0');
  }

  private checkRange(ast: PostfixAst): PromqlType {
    this.checkDuration(ast.node.getChild('DurationExpr'));
    if (ast.expr.kind === 'offset') this.add('no offset modifiers allowed before range');
    else if (ast.expr.kind === 'at') this.add('no @ modifiers allowed before range');
    else if (ast.expr.kind !== 'selector') this.add('ranges only allowed for vector selectors');
    this.typeOf(ast.expr);
    return 'matrix';
  }

  private checkSubquery(ast: PostfixAst): PromqlType {
    for (const duration of ast.node.getChildren('DurationExpr')) this.checkDuration(duration);
    const type = this.typeOf(ast.expr);
    if (type !== undefined && type !== 'vector') {
      this.add(`subquery is only allowed on instant vector, got ${documented(type)} instead`);
    }
    return 'matrix';
  }

  /**
   * `offset` and `@` apply to a selector or a subquery, possibly through the other one:
   * whether that holds, and whether `kind` occurs again on the way.
   */
  private modifies(ast: PostfixAst, kind: 'offset' | 'at'): { valid: boolean; repeated: boolean } {
    let inner = ast.expr;
    let repeated = false;
    while (inner.kind === 'offset' || inner.kind === 'at') {
      if (inner.kind === kind) repeated = true;
      inner = inner.expr;
    }
    return { valid: inner.kind === 'selector' || inner.kind === 'range' || inner.kind === 'subquery' || inner.kind === 'unknown', repeated };
  }

  private checkOffset(ast: PostfixAst): PromqlType | undefined {
    const { valid, repeated } = this.modifies(ast, 'offset');
    if (!valid) this.add('offset modifier must be preceded by an instant vector selector or range vector selector or a subquery');
    else if (repeated) this.add('offset may not be set multiple times');
    this.checkDuration(ast.node.getChild('OffsetDurationExpr'));
    return this.typeOf(ast.expr);
  }

  private checkAt(ast: PostfixAst): PromqlType | undefined {
    const { valid, repeated } = this.modifies(ast, 'at');
    if (!valid) this.add('@ modifier must be preceded by an instant vector selector or range vector selector or a subquery');
    else if (repeated) this.add('@ <timestamp> may not be set multiple times');
    const timestamp = ast.node.getChild('NumberDurationLiteral');
    const seconds = timestamp === null ? 0 : numberValue(this.text(timestamp));
    if (timestamp !== null && !(Math.abs(seconds) < MAX_TIMESTAMP)) {
      this.add(`timestamp out of bounds for @ modifier: ${this.text(timestamp)}`);
    }
    return this.typeOf(ast.expr);
  }

  private checkUnary(operand: Ast): PromqlType | undefined {
    const type = this.typeOf(operand);
    if (type !== undefined && type !== 'scalar' && type !== 'vector') {
      this.add(`unary expression only allowed on expressions of type scalar or instant vector, got ${documented(type)}`);
    }
    return type;
  }

  private checkBinary(node: Node, lhs: Ast, rhs: Ast): PromqlType | undefined {
    const opNode = children(node).find((child) => BINARY_OPERATORS.has(child.name));
    const left = this.typeOf(lhs);
    const right = this.typeOf(rhs);
    if (opNode === undefined) return undefined;
    const op = this.text(opNode).toLowerCase();
    const returnBool = node.getChild('BoolModifier') !== null;
    const comparison = COMPARISON_OPERATORS.has(opNode.name);
    const setOperator = SET_OPERATORS.has(opNode.name);

    if (returnBool && !comparison) this.add('bool modifier can only be used on comparison operators');
    if (comparison && !returnBool && left === 'scalar' && right === 'scalar') {
      this.add('comparisons between scalars must use BOOL modifier');
    }

    const matching = node.getChild('MatchingModifierClause');
    const labelLists = matching === null ? [] : matching.getChildren('GroupingLabels');
    const labels = (list: Node | undefined): string[] =>
      list === undefined ? [] : children(list).map((l) => (l.name === 'QuotedLabelName' ? unquote(this.text(l)) : this.text(l)));
    const matchingLabels = labels(labelLists[0]);
    const grouped = matching !== null && (matching.getChild('GroupLeft') !== null || matching.getChild('GroupRight') !== null);
    if (matching !== null && matching.getChild('On') !== null) {
      for (const label of labels(labelLists[1]).filter((l) => matchingLabels.includes(l))) {
        this.add(`label ${JSON.stringify(label)} must not occur in ON and GROUP clause at once`);
      }
    }
    if (node.getChild('FillModifier') !== null) this.add('binop fill modifiers are experimental and not enabled');

    for (const type of [left, right]) {
      if (type !== undefined && type !== 'scalar' && type !== 'vector') {
        this.add(`binary expression must contain only scalar and instant vector types, got ${documented(type)}`);
      }
    }
    if (left === undefined || right === undefined) return undefined;
    if (left !== 'vector' || right !== 'vector') {
      if (matchingLabels.length > 0) this.add('vector matching only allowed between instant vectors');
    } else if (setOperator && grouped) {
      this.add(`no grouping allowed for ${JSON.stringify(op)} operation`);
    }
    if (setOperator && (left === 'scalar' || right === 'scalar')) {
      this.add(`set operator ${JSON.stringify(op)} not allowed in binary scalar expression`);
    }
    return left === 'scalar' && right === 'scalar' ? 'scalar' : 'vector';
  }

  private checkCall(node: Node, args: readonly Ast[]): PromqlType | undefined {
    const identifier = node.getChild('FunctionIdentifier');
    const name = identifier === null ? '' : (this.parsed.calls.get(identifier.from) ?? this.text(identifier));
    const signature = Object.prototype.hasOwnProperty.call(PROMQL_FUNCTIONS, name) ? PROMQL_FUNCTIONS[name] : undefined;
    const quoted = JSON.stringify(name);
    if (signature === undefined) {
      this.add(`unknown function with name ${quoted}`);
      for (const arg of args) this.typeOf(arg);
      return undefined;
    }
    if (signature.experimental) {
      this.add(`function ${quoted} is experimental and must be enabled with --enable-feature=promql-experimental-functions`);
    }
    const declared = signature.argTypes.length;
    if (signature.variadic === 0) {
      if (args.length !== declared) this.add(`expected ${declared} argument(s) in call to ${quoted}, got ${args.length}`);
    } else if (args.length < declared - 1) {
      this.add(`expected at least ${declared - 1} argument(s) in call to ${quoted}, got ${args.length}`);
    } else if (signature.variadic > 0 && args.length > declared - 1 + signature.variadic) {
      this.add(`expected at most ${declared - 1 + signature.variadic} argument(s) in call to ${quoted}, got ${args.length}`);
    }
    args.forEach((arg, i) => {
      const type = this.typeOf(arg);
      if (i >= declared && signature.variadic === 0) return;
      const wanted = signature.argTypes[Math.min(i, declared - 1)];
      if (type !== undefined && type !== wanted) {
        this.add(`expected type ${documented(wanted)} in call to function ${quoted}, got ${documented(type)}`);
      }
    });
    return signature.returnType;
  }

  private checkAggregation(node: Node, args: readonly Ast[]): PromqlType {
    const opNode = node.getChild('AggregateOp');
    const op = opNode === null ? '' : this.text(opNode).toLowerCase();
    if (args.length === 0) {
      this.add('no arguments for aggregate expression provided');
      return 'vector';
    }
    if (EXPERIMENTAL_AGGREGATIONS.has(op)) {
      this.add(`${op}() is experimental and must be enabled with --enable-feature=promql-experimental-functions`);
    }
    const paramType = Object.prototype.hasOwnProperty.call(AGGREGATION_PARAMS, op) ? AGGREGATION_PARAMS[op] : undefined;
    const wanted = paramType === undefined ? 1 : 2;
    if (args.length !== wanted) {
      this.add(`wrong number of arguments for aggregate expression provided, expected ${wanted}, got ${args.length}`);
      for (const arg of args) this.typeOf(arg);
      return 'vector';
    }
    if (paramType !== undefined) {
      const type = this.typeOf(args[0]);
      if (type !== undefined && type !== paramType) {
        this.add(`expected type ${documented(paramType)} in aggregation parameter, got ${documented(type)}`);
      }
    }
    const type = this.typeOf(args[wanted - 1]);
    if (type !== undefined && type !== 'vector') {
      this.add(`expected type instant vector in aggregation expression, got ${documented(type)}`);
    }
    return 'vector';
  }
}

/** Problems with `#` comments, which would swallow whatever the library appends on the same line. */
function commentProblems(parsed: Parsed): string[] {
  const found: string[] = [];
  parsed.tree.iterate({
    enter: (node) => {
      if (node.name === 'LineComment') {
        const comment = parsed.text.slice(node.from, node.to);
        found.push(
          `comment ${JSON.stringify(comment)} is not allowed: queries are embedded in larger expressions, where a comment would swallow the rest of the line`,
        );
      }
    },
  });
  return found;
}

/** What the type check finds in an expression. */
interface Checked {
  readonly problems: readonly string[];
  readonly type: PromqlType | undefined;
  readonly parses: boolean;
}

/**
 * Checks of recent expressions: a platform checks the same queries in every environment of a
 * service. Bounded: the least recently used goes, so memory stays flat for any fleet.
 */
const checked = new BoundedCache<string, Checked>(4096);

function check(expr: string): Checked {
  return checked.getOrCompute(expr, checkUncached);
}

function checkUncached(expr: string): Checked {
  const parsed = parseRenamingCalls(expr);
  const comments = commentProblems(parsed);
  if (hasSyntaxErrors(parsed.tree)) {
    // Like Prometheus, only an expression that parses is type-checked; `promqlErrors` reports the rest.
    return { problems: comments, type: undefined, parses: false };
  }
  const checker = new Checker(parsed);
  const type = checker.typeOf(build(parsed.tree.topNode, parsed.tree.topNode));
  return { problems: [...comments, ...checker.problems], type, parses: true };
}

/**
 * The semantic problems Prometheus's parser (`checkAST` in `promql/parser/parse.go`) reports for
 * a PromQL expression that parses, as short sentences: functions given arguments of the wrong
 * type or number (`rate(x)`, `histogram_quantile(0.9, x[5m])`), unknown functions, aggregations
 * over non-vectors, binary operators on strings or range vectors, comparisons of scalars without
 * `bool`, set operators on scalars, a metric name set twice (`foo{__name__="bar"}`), selectors
 * without a non-empty matcher (`{}`, `{a=""}`), ranges on anything but a vector selector, and
 * misplaced `offset`/`@` modifiers. Experimental features that a default Prometheus rejects are
 * problems too.
 *
 * On top of Prometheus's checks, every `#` comment (outside string literals) is a problem: the
 * library embeds queries in its own expressions such as `sum(<query>)`, and a comment would hide
 * the closing parenthesis.
 *
 * Syntax errors are not reported here (see `promqlErrors`); an expression with syntax errors
 * yields only its comment problems.
 *
 * @see https://prometheus.io/docs/prometheus/latest/querying/functions/
 * @see https://github.com/prometheus/prometheus/blob/main/promql/parser/parse.go
 * @example
 * promqlTypeProblems('rate(x)'); // ['expected type range vector in call to function "rate", got instant vector']
 */
export function promqlTypeProblems(expr: string): string[] {
  return [...check(expr).problems];
}

/**
 * The type of a whole PromQL expression: `vector` for `sum(rate(x[5m]))`, `matrix` for
 * `x[5m]`, `scalar` for `1` or `scalar(x)`, `string` for `"a"`. Undefined when the expression
 * does not parse or its type cannot be known (an unknown function).
 *
 * @see https://prometheus.io/docs/prometheus/latest/querying/functions/
 * @see https://prometheus.io/docs/prometheus/latest/querying/basics/#expression-language-data-types
 * @example
 * promqlTypeOf('rate(x[5m])'); // 'vector'
 */
export function promqlTypeOf(expr: string): PromqlType | undefined {
  return check(expr).type;
}

/**
 * `promqlTypeProblems`, plus a problem when the whole expression is not an instant vector, as
 * an SLI query must be: the library aggregates and divides it (`sum(<good>) / sum(<total>)`).
 *
 * @see https://prometheus.io/docs/prometheus/latest/querying/functions/
 * @example
 * instantVectorProblems('x[5m]'); // ['must be an instant vector, but is a range vector']
 */
export function instantVectorProblems(expr: string): string[] {
  const { problems, type, parses } = check(expr);
  if (parses && type !== undefined && type !== 'vector') {
    return [...problems, `must be an instant vector, but is a ${documented(type)}`];
  }
  return [...problems];
}
