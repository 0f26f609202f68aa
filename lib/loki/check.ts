/**
 * The checks the Loki ruler makes when it loads a rule file, made at synthesis instead: every
 * expression a LogQL metric query (read with Grafana's own LogQL grammar), group names present
 * and unique in the file, durations Prometheus durations, label and annotation names valid.
 * The definition already checks a service's `logAlerts`; these checks guard what code adds.
 * @see https://grafana.com/docs/loki/latest/alert/
 */
import { DefinitionIssue } from '../definition/errors';
import { parseLogql } from '../logql/parse';
import { parseDuration } from '../promql/duration';
import { LokiRuleGroup } from './rule-group';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LABEL_NAME_PROBLEM = 'must be a label name: letters, digits and "_", not starting with a digit';
const DURATION_PROBLEM = 'must be a Prometheus duration such as 30s, 5m or 1h30m';

/** The problem of one LogQL expression of an alert, or none when it is a metric query. */
export function logqlExprIssue(path: string, alert: string, expr: string): DefinitionIssue | undefined {
  const parsed = parseLogql(expr);
  if (parsed.problems.length > 0) {
    const first = parsed.problems[0];
    return { path, problem: `must be valid LogQL for alert ${alert}: ${first.message} at offset ${first.offset}`, value: expr };
  }
  if (parsed.kind !== 'metric') {
    return { path, problem: `must be a LogQL metric query for alert ${alert}, such as sum(rate({app="checkout"} |= "error" [5m])) > 1; a log query returns lines, not series to alert on`, value: expr };
  }
  return undefined;
}

/** The problem of a duration that is set and not a Prometheus duration, as a list of zero or one. */
export function durationIssues(path: string, value: string | undefined): DefinitionIssue[] {
  return value === undefined || parseDuration(value) !== undefined ? [] : [{ path, problem: DURATION_PROBLEM, value }];
}

function nameIssues(path: string, record: Readonly<Record<string, string>>): DefinitionIssue[] {
  return Object.keys(record)
    .filter((name) => !LABEL_NAME.test(name))
    .map((name) => ({ path: `${path}.${name}`, problem: LABEL_NAME_PROBLEM, value: name }));
}

/**
 * Every problem the Loki ruler would refuse a rule file for, in file order.
 * @param groups the groups of one rule file
 * @param root the field path the groups are at, e.g. `additionalGroups`
 * @param taken names of the groups already in the same file, under another field
 */
export function lokiRuleGroupIssues(groups: readonly LokiRuleGroup[], root: string, taken: readonly string[] = []): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const seen = new Map<string, string>(taken.map((name) => [name, `group ${name}`]));
  groups.forEach((group, g) => {
    const at = `${root}[${g}]`;
    if (group.name.trim() === '') issues.push({ path: `${at}.name`, problem: 'must not be empty: the Loki ruler refuses a group without a name', value: group.name });
    const first = seen.get(group.name);
    if (first !== undefined) issues.push({ path: `${at}.name`, problem: `duplicates ${first}: group names must be unique in a rule file`, value: group.name });
    else seen.set(group.name, `${at}.name`);
    issues.push(...durationIssues(`${at}.interval`, group.interval));
    group.rules.forEach((rule, r) => {
      const ruleAt = `${at}.rules[${r}]`;
      if (rule.alert.trim() === '') issues.push({ path: `${ruleAt}.alert`, problem: 'must not be empty', value: rule.alert });
      const expr = logqlExprIssue(`${ruleAt}.expr`, rule.alert, rule.expr);
      if (expr !== undefined) issues.push(expr);
      issues.push(...durationIssues(`${ruleAt}.for`, rule.for), ...nameIssues(`${ruleAt}.labels`, rule.labels), ...nameIssues(`${ruleAt}.annotations`, rule.annotations));
    });
  });
  return issues;
}
