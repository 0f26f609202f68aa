/**
 * The dashboards of a platform as file contents: the plan generated, extended and checked, then
 * rendered. Pure: the same definition and rules give the same bytes.
 */
import { EffectiveService, PlatformDefinition } from '../definition';
import type { RuleGroup } from '../prometheus/rule-group';
import type { PassedChecks } from '../dashboards/consistency';
import { DashboardHook } from '../dashboards/extend';
import { checkedFleetDashboardPlan, checkedServiceDashboardPlan } from '../dashboards/checked-plans';
import { renderDashboard } from './render';

/** Options of `renderServiceDashboard`. */
export interface RenderServiceDashboardOptions {
  /** Adds rows and panels to the generated ones. @default no additions */
  readonly extend?: DashboardHook;
}

/**
 * The JSON file of a service's dashboard in one environment. `ruleGroups` are the service's
 * generated rules (`serviceRuleGroups(platform, service)`), which every recording rule a panel
 * reads must come from. Throws a `DefinitionError` naming the panel of a dangling reference.
 * @example
 * const json = renderServiceDashboard(platform, service, serviceRuleGroups(platform, service));
 */
export function renderServiceDashboard(platform: PlatformDefinition, service: EffectiveService, ruleGroups: readonly RuleGroup[], options: RenderServiceDashboardOptions = {}): string {
  return renderDashboard(checkedServiceDashboardPlan(platform, service, ruleGroups, options.extend));
}

/**
 * The JSON file of an environment's fleet dashboard. `ruleGroups` holds the generated rules of
 * each service of the environment, by service name; `passedChecks`, checks that passed before.
 */
export function renderFleetDashboard(platform: PlatformDefinition, environment: string, ruleGroups: Readonly<Record<string, readonly RuleGroup[]>>, passedChecks?: PassedChecks): string {
  return renderDashboard(checkedFleetDashboardPlan(platform, environment, ruleGroups, passedChecks));
}

/** Where file provisioning finds a service's dashboard, relative to the output folder: `grafana/<env>/<service>.json`. */
export function serviceDashboardFile(service: Pick<EffectiveService, 'environment' | 'name'>): string {
  return `grafana/${service.environment}/${service.name}.json`;
}

/** Where file provisioning finds an environment's fleet dashboard: `grafana/<env>/fleet.json`. */
export function fleetDashboardFile(environment: string): string {
  return `grafana/${environment}/fleet.json`;
}
