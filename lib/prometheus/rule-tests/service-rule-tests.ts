/**
 * The entry point of the rule tests: one `promtool test rules` file per service and
 * environment, testing the very groups written to its rule file.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/
 */
import { EffectiveService, PlatformDefinition } from '../../definition';
import { RuleGroup } from '../rule-group';
import { sloTestGroups } from './slo-scenarios';
import { symptomTestGroups } from './symptom-cases';
import { RuleTestFile, TEST_STEP } from './test-file';

/**
 * A `promtool test rules` file for the rules of one service. Expectations are derived from
 * the SLO math (see `burn-simulation.ts`), not read back from Prometheus:
 * - per SLO: a fast burn pages at the minute the 1h window crosses its threshold; a slow
 *   burn at 1.5 × the budget fires only the tiers with a factor below 1.5 (the tickets of the
 *   default tiers); healthy traffic fires nothing; with `minRequestRate`, an all-errors blip
 *   at half that rate does not page;
 * - per symptom alert: one firing and one quiet case.
 *
 * promtool compares every alert of a name, whatever group fires it, so each test also expects
 * the alerts of the other SLOs that read its series (two SLOs over the same requests): each SLO's
 * selectors are matched against the test's series (see `slo-readings.ts`).
 *
 * @param _platform the platform of the service, as for `serviceRuleGroups`; the groups already
 *   carry everything the tests take from it
 * @param service the service in one environment
 * @param ruleFileName the rule file, relative to the test file
 * @param groups the service's rule groups, as written to that file; built once by the caller
 *   and shared with the PrometheusRule, so the tests read the very rules they test
 * @see https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/
 * @example
 * const groups = serviceRuleGroups(platform, service);
 * writeFileSync('checkout.rules.yaml', renderRuleFile(groups));
 * writeFileSync('checkout.test.yaml', renderRuleTests(serviceRuleTests(platform, service, 'checkout.rules.yaml', groups)));
 */
export function serviceRuleTests(_platform: PlatformDefinition, service: EffectiveService, ruleFileName: string, groups: readonly RuleGroup[]): RuleTestFile {
  return {
    rule_files: [ruleFileName],
    evaluation_interval: TEST_STEP,
    group_eval_order: groups.map((g) => g.name),
    tests: [...service.slos.flatMap((slo) => sloTestGroups(groups, service, slo)), ...symptomTestGroups(groups, service)],
  };
}
