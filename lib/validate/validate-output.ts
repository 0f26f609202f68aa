/**
 * Every check of a synthesized output folder, as `ops-constructs validate` runs them: the schema
 * of every Kubernetes object, the PromQL and LogQL of every rule, and, when installed, promtool on
 * the rule files and their tests and amtool on the Alertmanager configuration.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments, parseDocument } from 'yaml';
import { parseLogql } from '../logql/parse';
import { promqlErrors } from '../promql/parse';
import { byString, isPlainObject } from '../private/data';
import { KubeObject, schemaProblems } from './schemas';
import { hasTool, installHint, runTool } from './tools';

/** The checks, in the order they run. */
export const CHECKS = ['schemas', 'promql', 'logql', 'promtool-rules', 'promtool-tests', 'amtool'] as const;

/** One check of `validateOutput`. */
export type CheckName = (typeof CHECKS)[number];

/** How a check ended: every item passed, some failed, or it did not run. */
export type CheckStatus = 'pass' | 'fail' | 'skipped';

/** The result of one check. */
export interface CheckResult {
  /** Which check. */
  readonly check: CheckName | string;
  /** How it ended. */
  readonly status: CheckStatus;
  /** What it looked at, or why it was skipped: `93 objects in 27 files`. */
  readonly summary: string;
  /** Each problem, naming its file and what is wrong. */
  readonly problems: readonly string[];
}

/** Options of `validateOutput`. */
export interface ValidateOutputOptions {
  /**
   * Checks not to run.
   * @default none: every check runs
   */
  readonly skip?: readonly string[];
  /**
   * Run promtool and amtool when they are on the PATH; a missing tool skips its checks.
   * @default true
   */
  readonly tools?: boolean;
}

/** Files under `dir` (relative, `/`-separated, sorted) whose path matches. */
function filesUnder(dir: string, side: string, pattern: RegExp): string[] {
  const root = path.join(dir, side);
  if (!fs.existsSync(root)) return [];
  const out: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (pattern.test(entry.name)) out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.sort(byString);
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function result(check: string, problems: string[], summary: string): CheckResult {
  return { check, status: problems.length > 0 ? 'fail' : 'pass', summary, problems };
}

/** The Kubernetes objects of the output's manifests, or the problems reading them. */
function manifests(dir: string): { objects: [string, KubeObject][]; problems: string[]; files: number } {
  const files = filesUnder(dir, 'k8s', /\.ya?ml$/);
  const objects: [string, KubeObject][] = [];
  const problems: string[] = [];
  for (const file of files) {
    const documents = parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'));
    for (const doc of documents) {
      if (doc.errors.length > 0) problems.push(`${file}: ${doc.errors[0].message.split('\n')[0]}`);
      else if (doc.contents !== null) objects.push([file, doc.toJS() as KubeObject]);
    }
  }
  return { objects, problems, files: files.length };
}

function checkSchemas(dir: string): CheckResult {
  const { objects, problems, files } = manifests(dir);
  for (const [file, object] of objects) problems.push(...schemaProblems(object).map((p) => `${file}: ${p}`));
  return result('schemas', problems, `${plural(objects.length, 'Kubernetes object')} in ${plural(files, 'file')}`);
}

interface RuleExpression {
  readonly where: string;
  readonly expr: string;
}

/** The `expr` of every rule of rule groups (`{groups: [{name, rules: [...]}]}`), each named by file, group and rule. */
function ruleExpressions(where: string, groups: unknown): RuleExpression[] {
  if (!Array.isArray(groups)) return [];
  return groups.flatMap((group) => {
    if (!isPlainObject(group) || !Array.isArray(group.rules)) return [];
    return group.rules.flatMap((rule, index) => {
      if (!isPlainObject(rule) || typeof rule.expr !== 'string') return [];
      const name = typeof rule.alert === 'string' ? rule.alert : typeof rule.record === 'string' ? rule.record : `rules[${index}]`;
      return [{ where: `${where}: group ${String(group.name)}, ${name}`, expr: rule.expr }];
    });
  });
}

function readYaml(dir: string, file: string, problems: string[]): unknown {
  const doc = parseDocument(fs.readFileSync(path.join(dir, file), 'utf8'));
  if (doc.errors.length > 0) {
    problems.push(`${file}: ${doc.errors[0].message.split('\n')[0]}`);
    return undefined;
  }
  return doc.toJS() as unknown;
}

function checkPromql(dir: string): CheckResult {
  const problems: string[] = [];
  const expressions: RuleExpression[] = [];
  const ruleFiles = filesUnder(dir, 'prometheus', /\.rules\.ya?ml$/);
  for (const file of ruleFiles) {
    const content = readYaml(dir, file, problems);
    expressions.push(...ruleExpressions(file, isPlainObject(content) ? content.groups : undefined));
  }
  const { objects } = manifests(dir);
  for (const [file, object] of objects) {
    if (object.kind !== 'PrometheusRule') continue;
    const spec = object.spec;
    expressions.push(...ruleExpressions(`${file}: PrometheusRule ${object.metadata.namespace ?? ''}/${object.metadata.name}`, isPlainObject(spec) ? spec.groups : undefined));
  }
  for (const { where, expr } of expressions) {
    for (const problem of promqlErrors(expr)) problems.push(`${where}: offset ${problem.offset}: ${problem.message} in ${JSON.stringify(expr)}`);
  }
  return result('promql', problems, `${plural(expressions.length, 'rule expression')} in ${plural(ruleFiles.length, 'rule file')} and the PrometheusRules`);
}

function checkLogql(dir: string): CheckResult {
  const problems: string[] = [];
  const files = filesUnder(dir, 'loki', /\.ya?ml$/);
  const expressions = files.flatMap((file) => {
    const content = readYaml(dir, file, problems);
    return ruleExpressions(file, isPlainObject(content) ? content.groups : undefined);
  });
  for (const { where, expr } of expressions) {
    for (const problem of parseLogql(expr).problems) problems.push(`${where}: offset ${problem.offset}: ${problem.message} in ${JSON.stringify(expr)}`);
  }
  return result('logql', problems, `${plural(expressions.length, 'rule expression')} in ${plural(files.length, 'Loki rule file')}`);
}

/** How long promtool may take on a whole output's rule tests. */
const RULE_TESTS_TIMEOUT_MS = 30 * 60_000;

function checkWithTool(check: CheckName, tool: string, dir: string, files: readonly string[], args: readonly string[], what: string, timeoutMs?: number): CheckResult {
  if (files.length === 0) return { check, status: 'skipped', summary: `no ${what} in the output`, problems: [] };
  if (!hasTool(tool)) return { check, status: 'skipped', summary: `${tool} is not installed (${installHint(tool)})`, problems: [] };
  const run = runTool(tool, [...args, ...files], dir, timeoutMs);
  const summary = `${tool} ${args.join(' ')} on ${plural(files.length, what.replace(/s$/, ''), what)}`;
  if (run.status === 0) return { check, status: 'pass', summary, problems: [] };
  const problems = failedBlocks(run.output);
  return { check, status: 'fail', summary, problems: problems.length > 0 ? problems : [`${tool} exited with ${run.status}: ${run.output.trim().split('\n').slice(-5).join(' / ')}`] };
}

/**
 * The lines of a promtool or amtool run that tell what failed: each file's block (from its
 * `Checking <file>` or `Unit Testing: <file>` line) unless it says SUCCESS, and any line outside one.
 */
export function failedBlocks(output: string): string[] {
  const blocks: string[][] = [[]];
  for (const line of output.split('\n')) {
    if (/^(Checking |Unit Testing: )/.test(line)) blocks.push([]);
    if (line.trim() !== '') blocks[blocks.length - 1].push(line.trimEnd());
  }
  return blocks.filter((block) => !block.some((line) => /\bSUCCESS\b/.test(line))).flat();
}

/**
 * Runs every check on a synthesized output folder and returns one result per check, in the
 * order of `CHECKS`. A check with nothing to look at, or whose tool is missing, is skipped.
 * @param dir the folder `synthesizePlatform` wrote
 * @example
 * const failed = validateOutput('dist').filter((r) => r.status === 'fail');
 */
export function validateOutput(dir: string, options: ValidateOutputOptions = {}): CheckResult[] {
  const skip = new Set(options.skip ?? []);
  const tools = options.tools ?? true;
  const skipped = (check: CheckName, why: string): CheckResult => ({ check, status: 'skipped', summary: why, problems: [] });
  const checks: Record<CheckName, () => CheckResult> = {
    schemas: () => checkSchemas(dir),
    promql: () => checkPromql(dir),
    logql: () => checkLogql(dir),
    'promtool-rules': () => checkWithTool('promtool-rules', 'promtool', dir, filesUnder(dir, 'prometheus', /\.rules\.ya?ml$/), ['check', 'rules'], 'rule files'),
    // Each test file names its rule file relative to itself, as synthesis writes them side by side.
    'promtool-tests': () => checkWithTool('promtool-tests', 'promtool', dir, filesUnder(dir, 'prometheus', /\.test\.ya?ml$/), ['test', 'rules'], 'rule test files', RULE_TESTS_TIMEOUT_MS),
    amtool: () => checkWithTool('amtool', 'amtool', dir, filesUnder(dir, 'alertmanager', /\.ya?ml$/), ['check-config'], 'Alertmanager configurations'),
  };
  const external = new Set<CheckName>(['promtool-rules', 'promtool-tests', 'amtool']);
  return CHECKS.map((check) => {
    if (skip.has(check)) return skipped(check, 'skipped on request');
    if (!tools && external.has(check)) return skipped(check, 'external tools turned off');
    return checks[check]();
  });
}
