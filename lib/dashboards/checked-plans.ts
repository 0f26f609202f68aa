/**
 * The plans as synthesis takes them: generated, extended by the user's hook, and checked
 * against the rule groups generated for the same services.
 */
import { parseDuration } from '../promql/duration';
import { EffectiveService, METRICS_DEFAULTS, PlatformDefinition, effectiveServices } from '../definition';
import type { RuleGroup } from '../prometheus/rule-group';
import { PassedChecks, assertDashboardConsistent, assertDashboardConsistentOnce } from './consistency';
import { DashboardHook, extendPlan } from './extend';
import { fleetDashboardPlan } from './fleet-dashboard';
import { MacroValues, macroValuesFor } from './macros';
import { declaredMetrics, serviceDashboardPlan } from './service-dashboard';
import { DashboardPlan } from './types';

/** The values a service dashboard's macros and variables take by default: those of its own environment and namespace. */
export function serviceMacroValues(platform: PlatformDefinition, service: EffectiveService): MacroValues {
  return macroValuesFor(service.metrics.scrapeInterval, {
    datasource: platform.dashboards.prometheusDatasource,
    environment: service.environment,
    namespace: service.namespace,
  });
}

/** The values a fleet dashboard's macros and variables take: the slowest scrape interval of the environment's services. */
export function fleetMacroValues(platform: PlatformDefinition, environment: string): MacroValues {
  const intervals = effectiveServices(platform, environment).map((s) => s.metrics.scrapeInterval);
  const slowest = intervals.reduce((a, b) => ((parseDuration(b) ?? 0) > (parseDuration(a) ?? 0) ? b : a), METRICS_DEFAULTS.scrapeInterval);
  return macroValuesFor(slowest, { datasource: platform.dashboards.prometheusDatasource, environment });
}

/**
 * A service's dashboard plan, with the hook's additions, checked against the service's generated
 * rule groups (`serviceRuleGroups(platform, service)`). Throws a `DefinitionError` naming the
 * panel of any dangling reference.
 */
export function checkedServiceDashboardPlan(platform: PlatformDefinition, service: EffectiveService, ruleGroups: readonly RuleGroup[], hook?: DashboardHook): DashboardPlan {
  const plan = extendPlan(serviceDashboardPlan(platform, service), hook);
  assertDashboardConsistent(plan, { ruleGroups, declaredMetrics: declaredMetrics(service), macros: serviceMacroValues(platform, service) });
  return plan;
}

/**
 * An environment's fleet dashboard plan, checked against the rule groups of every service of the
 * environment, by service name. With `passed`, a check that passed before for the same plan and
 * rule groups is not run again (a fleet's dashboard reads every service: checking its queries is
 * the larger part of an incremental synthesis that changes one service).
 */
export function checkedFleetDashboardPlan(platform: PlatformDefinition, environment: string, ruleGroups: Readonly<Record<string, readonly RuleGroup[]>>, passed?: PassedChecks): DashboardPlan {
  const plan = fleetDashboardPlan(platform, environment);
  const services = effectiveServices(platform, environment);
  const input = {
    ruleGroups: services.flatMap((s) => ruleGroups[s.name] ?? []),
    declaredMetrics: services.flatMap(declaredMetrics),
    macros: fleetMacroValues(platform, environment),
  };
  assertDashboardConsistentOnce(plan, input, passed);
  return plan;
}
