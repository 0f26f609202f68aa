import { assertPromql } from '../promql/parse';
import { EffectiveService, PlatformDefinition } from '../definition';
import { RuleGroup, ruleName } from './rule-group';
import { rightSizingRuleGroup } from './right-sizing-rules';
import { sloRuleGroup } from './slo-rules';
import { symptomRuleGroup } from './symptom-rules';

/** Options of `serviceRuleGroups`. */
export interface ServiceRuleOptions {
  /**
   * Prefix of error messages, e.g. a construct path in brackets.
   * @default no prefix
   */
  readonly where?: string;
}

/**
 * Checks every expression of rule groups with the PromQL parser; throws a `PromqlError`
 * naming `<where> <group>/<rule>` and the expression.
 */
export function assertRuleGroups(groups: readonly RuleGroup[], where?: string): void {
  for (const group of groups) {
    for (const rule of group.rules) {
      const name = `${group.name}/${ruleName(rule)}`;
      assertPromql(rule.expr, where === undefined ? name : `${where} ${name}`);
    }
  }
}

/**
 * Every Prometheus rule of one service in one environment, as plain data: one group per SLO
 * (`<service>-slo-<slo>`: SLI recording rules, budget series, burn-rate and low-budget
 * alerts), one group of symptom alerts (`<service>-symptoms`) and, unless turned off, the
 * right-sizing group (`<service>-right-sizing`). Every expression is parsed before it is returned.
 *
 * @see https://sre.google/workbook/alerting-on-slos/
 * @example
 * const service = resolveEnvironment(platform, checkout, 'prod');
 * const yaml = renderRuleFile(serviceRuleGroups(platform, service));
 */
export function serviceRuleGroups(platform: PlatformDefinition, service: EffectiveService, options: ServiceRuleOptions = {}): RuleGroup[] {
  const rightSizing = rightSizingRuleGroup(platform, service);
  const groups = [...service.slos.map((slo) => sloRuleGroup(platform, service, slo)), symptomRuleGroup(platform, service), ...(rightSizing === undefined ? [] : [rightSizing])];
  assertRuleGroups(groups, options.where);
  return groups;
}
