/** One problem found in a definition. */
export interface DefinitionIssue {
  /** Where: `<root>.<field path>`, e.g. `checkout.slos[0].objective`. */
  readonly path: string;
  /** What is wrong and what is allowed. */
  readonly problem: string;
  /** The value found. */
  readonly value: unknown;
  /** Where in a definition file the value is written, as `file:line:column`, when it came from one. */
  readonly location?: string;
}

/** Longest rendering of a string value (room for an image reference with a digest). */
const MAX_STRING_LENGTH = 200;
/** Longest rendering of any other value. */
const MAX_JSON_LENGTH = 80;

/**
 * Renders a value for an error message: strings quoted, everything else as JSON; values that
 * JSON cannot render (functions, symbols, big integers, cycles) by their type.
 */
export function formatValue(value: unknown): string {
  if (value === undefined) {
    return 'undefined';
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value);
  }
  if (typeof value === 'bigint') {
    return `${value}n`;
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) {
    return typeof value === 'object' ? '<object that cannot be rendered as JSON>' : `<${typeof value}>`;
  }
  const max = typeof value === 'string' ? MAX_STRING_LENGTH : MAX_JSON_LENGTH;
  // JSON leaves DEL, C1 controls, bidirectional overrides and line separators as they are;
  // written to a terminal they would act instead of showing.
  const visible = json.replace(/[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return visible.length > max ? `${visible.slice(0, max - 3)}...` : visible;
}

/** Renders one issue as `[<file:line:column>: ]<path>: <problem> (got <value>)`. */
export function formatIssue(issue: DefinitionIssue): string {
  const at = issue.location !== undefined ? `${issue.location}: ` : '';
  return `${at}${issue.path}: ${issue.problem} (got ${formatValue(issue.value)})`;
}

/**
 * The one error type for bad definitions. Carries every problem found, not just the first.
 *
 * @example
 * try { defineService(input); } catch (e) { if (e instanceof DefinitionError) console.log(e.issues); }
 */
export class DefinitionError extends Error {
  /** Each problem, in the order found. */
  public readonly issues: readonly DefinitionIssue[];

  /**
   * @param subject what was being defined, e.g. `service "checkout"`
   * @param issues every problem found (at least one)
   * @param scope construct path to prefix each line with, e.g. `prod/checkout`
   */
  constructor(subject: string, issues: readonly DefinitionIssue[], scope?: string) {
    const prefix = scope ? `[${scope}] ` : '';
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    const lines = issues.map((issue) => `  - ${prefix}${formatIssue(issue)}`);
    super(`Invalid ${subject} (${count}):\n${lines.join('\n')}`);
    this.name = 'DefinitionError';
    this.issues = issues;
  }

  /** The issues rendered one per line, without the heading. */
  public get lines(): string[] {
    return this.issues.map(formatIssue);
  }
}
