/**
 * The synth-time check of a dashboard plan against what exists: every query parses (PromQL with
 * Prometheus's grammar and type rules, LogQL with Loki's), every recording rule a panel reads is
 * recorded by the rules generated for that service, and every raw metric is one the definition
 * declares or a standard series (`STANDARD_METRICS`). A dangling reference fails synthesis with a
 * `DefinitionError` naming the dashboard, the panel and the query.
 */
import { createHash } from 'crypto';
import { DefinitionError, DefinitionIssue } from '../definition/errors';
import { BoundedCache } from '../private/bounded-cache';
import { promqlErrors } from '../promql/parse';
import { promqlTypeProblems } from '../promql/types';
import { parseLogql } from '../logql/parse';
import type { RecordingRule, RuleGroup } from '../prometheus/rule-group';
import { MacroValues, expandMacros } from './macros';
import { SelectorUse, selectorsOf } from './selectors';
import { isStandardMetric } from './standard-metrics';
import { DashboardPlan, PanelPlan, QueryLanguage } from './types';

/** What a dashboard is checked against. */
export interface ConsistencyInput {
  /** The rule groups generated for the services the dashboard reads (`serviceRuleGroups` of each). */
  readonly ruleGroups: readonly RuleGroup[];
  /** The raw metrics the definition declares (`declaredMetrics` of each service). */
  readonly declaredMetrics: readonly string[];
  /** The values macros and variables are expanded to before a query is parsed. */
  readonly macros: MacroValues;
}

/** One query of a plan, with where it sits. */
export interface PlannedQuery {
  /** `Overview / Burn rate: availability`, `variable namespace`, `annotation Version changes`. */
  readonly where: string;
  /** The field path of the query in the plan, e.g. `rows[0].panels[2].queries[1].expr`. */
  readonly path: string;
  readonly language: QueryLanguage;
  readonly expr: string;
  /** The panel it belongs to, if any. */
  readonly panel?: PanelPlan;
  /** `log` for a logs panel, which wants lines; `metric` for everything else. */
  readonly wants: 'log' | 'metric';
}

/** Every query of a plan: panel queries row by row, then the variables' selectors and the annotations. */
export function plannedQueries(plan: DashboardPlan): PlannedQuery[] {
  const found: PlannedQuery[] = [];
  plan.rows.forEach((row, r) =>
    row.panels.forEach((panel, p) =>
      panel.queries.forEach((query, q) =>
        found.push({
          where: `${row.title} / ${panel.title}`,
          path: `rows[${r}].panels[${p}].queries[${q}].expr`,
          language: panel.language,
          expr: query.expr,
          panel,
          wants: panel.kind === 'logs' ? 'log' : 'metric',
        }),
      ),
    ),
  );
  plan.variables.forEach((v, i) => {
    if (v.kind === 'query') found.push({ where: `variable ${v.name}`, path: `variables[${i}].selector`, language: 'promql', expr: v.selector, wants: 'metric' });
  });
  plan.annotations.forEach((a, i) => found.push({ where: `annotation ${a.name}`, path: `annotations[${i}].expr`, language: 'promql', expr: a.expr, wants: 'metric' }));
  return found;
}

/** The recording rules of groups, by record name. */
function recordsByName(groups: readonly RuleGroup[]): Map<string, RecordingRule[]> {
  const records = new Map<string, RecordingRule[]>();
  for (const group of groups) {
    for (const rule of group.rules) {
      if (!('record' in rule)) continue;
      const same = records.get(rule.record);
      if (same === undefined) records.set(rule.record, [rule]);
      else same.push(rule);
    }
  }
  return records;
}

/** Whether a recording rule's labels fit a selector's equality matchers (labels the rule does not set are not judged). */
function fits(rule: RecordingRule, use: SelectorUse): boolean {
  return use.matchers.every((m) => m.op !== '=' || m.name === '__name__' || rule.labels?.[m.name] === undefined || rule.labels[m.name] === m.value);
}

function referenceProblem(use: SelectorUse, records: ReadonlyMap<string, readonly RecordingRule[]>, metrics: ReadonlySet<string>): string | undefined {
  const name = use.metric;
  if (name === undefined) return `selector ${use.text} names no metric; a panel must name the series it reads`;
  if (name.includes(':')) {
    const rules = records.get(name) ?? [];
    if (rules.length === 0) return `reads recording rule ${name}, which the generated rules do not record (they record ${[...records.keys()].sort().join(', ') || 'nothing'})`;
    if (!rules.some((rule) => fits(rule, use))) return `reads ${use.text}, which no generated rule records with those labels`;
    return undefined;
  }
  if (metrics.has(name) || isStandardMetric(name)) return undefined;
  return `reads metric ${name}, which the definition does not declare and which is no standard kube-state-metrics, cAdvisor or Prometheus series; declare it (DashboardExtension.declareMetrics) or read a declared one`;
}

function syntaxProblems(query: PlannedQuery, expanded: string): string[] {
  // Offsets count in the query Prometheus or Loki would read: the one with its macros expanded.
  const where = (offset: number): string => (expanded === query.expr ? `at offset ${offset}` : `at offset ${offset} of ${JSON.stringify(expanded)} (its macros expanded)`);
  if (query.language === 'logql') {
    const parsed = parseLogql(expanded);
    if (parsed.problems.length > 0) return parsed.problems.map((p) => `invalid LogQL ${where(p.offset)}: ${p.message}`);
    return parsed.kind === query.wants ? [] : [`must be a LogQL ${query.wants} query (${query.wants === 'log' ? 'lines for a logs panel' : 'series for a graph'})`];
  }
  const errors = promqlErrors(expanded);
  if (errors.length > 0) return errors.map((p) => `invalid PromQL ${where(p.offset)}: ${p.message}`);
  return promqlTypeProblems(expanded).map((p) => `invalid PromQL: ${p}`);
}

/** What a query is, wherever it sits: its syntax problems and, for PromQL that parses, the series it reads. */
interface QueryFindings {
  readonly syntax: readonly string[];
  readonly uses: readonly SelectorUse[];
}

/**
 * Findings of recent queries. A service's dashboard asks the same queries in each of its
 * environments; bounded (the least recently used goes), so memory stays flat for any fleet.
 */
const findings = new BoundedCache<string, QueryFindings>(4096);

/** The findings of a query with its macros expanded to `expanded`: all they depend on is in the key. */
function findingsOf(query: PlannedQuery, expanded: string): QueryFindings {
  const key = `${query.language} ${query.wants} ${expanded === query.expr ? 'as written' : 'expanded'}\n${expanded}`;
  return findings.getOrCompute(key, () => {
    const syntax = syntaxProblems(query, expanded);
    return { syntax, uses: syntax.length > 0 || query.language !== 'promql' ? [] : selectorsOf(expanded) };
  });
}

/** Every problem of a plan against its rules and metrics, in plan order; empty when it is consistent. */
export function dashboardIssues(plan: DashboardPlan, input: ConsistencyInput): DefinitionIssue[] {
  const records = recordsByName(input.ruleGroups);
  const metrics = new Set([...input.declaredMetrics, ...plan.extraMetrics]);
  const issues: DefinitionIssue[] = [];
  for (const query of plannedQueries(plan)) {
    const at = `dashboard ${plan.uid} ${query.where}: ${query.path}`;
    const expanded = expandMacros(query.expr, input.macros);
    const { syntax, uses } = findingsOf(query, expanded);
    for (const problem of syntax) issues.push({ path: at, problem, value: query.expr });
    if (syntax.length > 0 || query.language !== 'promql') continue;
    for (const use of uses) {
      const problem = referenceProblem(use, records, metrics);
      if (problem !== undefined) issues.push({ path: at, problem, value: query.expr });
    }
  }
  return issues;
}

/**
 * Consistency checks that passed, by a content key: a check is a function of the plan and its
 * input alone, so one that passed for the same bytes passes again. The synthesis cache keeps
 * them across runs; the key is the SHA-256 of the plan and input as JSON.
 */
export interface PassedChecks {
  has(key: string): boolean;
  add(key: string): void;
}

/** `assertDashboardConsistent`, skipped when the same plan and input passed before. */
export function assertDashboardConsistentOnce(plan: DashboardPlan, input: ConsistencyInput, passed?: PassedChecks): void {
  if (passed === undefined) return assertDashboardConsistent(plan, input);
  const key = createHash('sha256').update(JSON.stringify({ plan, input })).digest('hex');
  if (passed.has(key)) return;
  assertDashboardConsistent(plan, input);
  passed.add(key);
}

/**
 * Throws a `DefinitionError` listing every problem of a plan (see `dashboardIssues`): the message
 * names the dashboard, the panel and the query of each.
 */
export function assertDashboardConsistent(plan: DashboardPlan, input: ConsistencyInput): void {
  const issues = dashboardIssues(plan, input);
  if (issues.length > 0) throw new DefinitionError(`dashboard ${plan.uid} (${plan.title})`, issues);
}
