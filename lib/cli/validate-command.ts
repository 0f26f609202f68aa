import * as fs from 'fs';
import * as path from 'path';
import { CheckResult, validateOutput } from '../validate';
import { CliError, CliIo } from './io';

/** Options of `runValidate`. */
export interface ValidateRunOptions {
  /** The output folder to check. */
  readonly dir: string;
  /**
   * Checks not to run, by name (`promtool-tests`, ...).
   * @default none
   */
  readonly skip?: readonly string[];
  /**
   * Run promtool and amtool when installed.
   * @default true
   */
  readonly tools?: boolean;
  /**
   * Fail a check whose tool is not installed instead of skipping it (for CI, which installs them).
   * @default false
   */
  readonly requireTools?: boolean;
}

/** The results as a table, then every problem, each under its check. */
export function formatValidation(dir: string, results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.check.length), 'check'.length);
  const lines = [`Validated ${dir}/`, ...results.map((r) => `  ${r.check.padEnd(width)}  ${r.status.padEnd(7)}  ${r.summary}`)];
  const failed = results.filter((r) => r.status === 'fail');
  for (const r of failed) {
    lines.push('', `${r.check}: ${r.problems.length === 1 ? '1 problem' : `${r.problems.length} problems`}`, ...r.problems.map((p) => `  ${p}`));
  }
  lines.push('', failed.length === 0 ? 'All checks passed.' : `${failed.length} of ${results.length} checks failed: ${failed.map((r) => r.check).join(', ')}.`);
  return `${lines.join('\n')}\n`;
}

/**
 * Runs every check on an output folder and prints a summary.
 * @returns 1 when a check failed, else 0
 */
export function runValidate(options: ValidateRunOptions, io: CliIo): number {
  const dir = path.resolve(io.cwd, options.dir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new CliError(`output folder ${options.dir} not found: synthesize first (ops-constructs synth --out ${options.dir})`);
  }
  const results = validateOutput(dir, { ...(options.skip !== undefined ? { skip: options.skip } : {}), tools: options.tools ?? true }).map((r): CheckResult =>
    options.requireTools === true && r.status === 'skipped' && / is not installed /.test(r.summary) ? { ...r, status: 'fail', problems: [r.summary] } : r,
  );
  io.stdout(formatValidation(options.dir.replace(/\/+$/, ''), results));
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}
