import { createHash } from 'node:crypto';
import { Severity } from '../slo/types';
import { PlatformDefinition } from './platform';
import { EffectiveService } from './resolve-environment';

/** Name of the multiwindow burn-rate alert, on Prometheus and Google Cloud alike; tiers differ by `severity` and `long_window`. */
export const BURN_RATE_ALERT = 'SloErrorBudgetBurn';

/** Name of the alert on an error budget running low. */
export const LOW_BUDGET_ALERT = 'SloErrorBudgetLow';

/**
 * The labels every alert of a service carries, whichever tool evaluates it (Prometheus's
 * symptom and SLO alerts, Loki's log alerts): `namespace`, by which the prometheus-operator
 * routes an alert through the namespace's AlertmanagerConfig, `service`, `severity` and
 * `team`, by which the routing and the inhibitions match.
 * @example
 * alertLabels(service, 'critical'); // { namespace: 'payments', service: 'checkout', severity: 'critical', team: 'payments' }
 */
export function alertLabels(service: Pick<EffectiveService, 'namespace' | 'name' | 'team'>, severity: Severity): Record<string, string> {
  return { namespace: service.namespace, service: service.name, severity, team: service.team };
}

/**
 * Kebab-case of a CamelCase alert name: `SloErrorBudgetBurn` → `slo-error-budget-burn`,
 * `ServiceHPAMaxedOut` → `service-hpa-maxed-out`.
 */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/**
 * Where an alert's runbook lives under the runbook root, as a relative path with `/`:
 * `<env>/services/<service>/alerts/<kebab-case alert>.md`. The runbooks side of synthesis writes
 * the page to exactly this path under `runbooks/`, and `runbookUrl` prefixes it with the
 * platform's `runbookBaseUrl`, so a link and its page agree by construction. Pages per
 * environment can name the environment's namespace and thresholds. Services sit under
 * `services/` and alerts under `alerts/`, so no service or alert name can meet an index or a
 * template page, nor the platform's own alerts (`platformRunbookPath`).
 * @example
 * runbookPath({ environment: 'prod', name: 'checkout' }, 'SloErrorBudgetBurn'); // 'prod/services/checkout/alerts/slo-error-budget-burn.md'
 */
export function runbookPath(service: Pick<EffectiveService, 'environment' | 'name'>, alert: string): string {
  return `${serviceRunbookFolder(service)}/alerts/${kebabCase(alert)}.md`;
}

/** The folder of a service's runbooks under the runbook root: `<env>/services/<service>`. */
export function serviceRunbookFolder(service: Pick<EffectiveService, 'environment' | 'name'>): string {
  return `${service.environment}/services/${service.name}`;
}

/**
 * The runbook of an alert of a service in one environment: `<runbookBaseUrl>/<runbookPath>`.
 * @example
 * runbookUrl(platform, service, 'SloErrorBudgetBurn'); // 'https://runbooks.example.com/shop/prod/services/checkout/alerts/slo-error-budget-burn.md'
 */
export function runbookUrl(platform: Pick<PlatformDefinition, 'runbookBaseUrl'>, service: Pick<EffectiveService, 'environment' | 'name'>, alert: string): string {
  return `${platform.runbookBaseUrl}/${runbookPath(service, alert)}`;
}

/** The index page of a service's runbooks in one environment: `<runbookBaseUrl>/<env>/services/<service>/index.md`. */
export function serviceRunbooksUrl(platform: Pick<PlatformDefinition, 'runbookBaseUrl'>, service: Pick<EffectiveService, 'environment' | 'name'>): string {
  return `${platform.runbookBaseUrl}/${serviceRunbookFolder(service)}/index.md`;
}

/**
 * Where the runbook of an alert of the platform itself (not of one service, such as a
 * platform-wide job) lives under the runbook root: `<env>/platform/alerts/<kebab-case alert>.md`.
 */
export function platformRunbookPath(environment: string, alert: string): string {
  return `${environment}/platform/alerts/${kebabCase(alert)}.md`;
}

/** The runbook of an alert of the platform itself in one environment: `<runbookBaseUrl>/<platformRunbookPath>`. */
export function platformRunbookUrl(platform: Pick<PlatformDefinition, 'runbookBaseUrl'>, environment: string, alert: string): string {
  return `${platform.runbookBaseUrl}/${platformRunbookPath(environment, alert)}`;
}

/** Longest UID Grafana accepts. */
const GRAFANA_UID_MAX = 40;

/**
 * A Grafana UID from name parts joined by `_`. Names are DNS labels, which never hold `_`, so
 * different parts never give the same UID. A UID beyond Grafana's 40 characters keeps its first
 * 31 and ends in 8 hex digits of the SHA-256 of the whole, so it stays stable and distinct.
 */
function grafanaUid(parts: readonly string[]): string {
  const whole = parts.join('_');
  if (whole.length <= GRAFANA_UID_MAX) return whole;
  return `${whole.slice(0, GRAFANA_UID_MAX - 9)}-${createHash('sha256').update(whole).digest('hex').slice(0, 8)}`;
}

/**
 * The UID of a service's Grafana dashboard in one environment: `<platform>_<environment>_<service>`
 * (hashed down to 40 characters when longer), stable across syntheses.
 * @example
 * dashboardUid({ platform: 'shop', environment: 'prod', name: 'checkout' }); // 'shop_prod_checkout'
 */
export function dashboardUid(service: Pick<EffectiveService, 'platform' | 'environment' | 'name'>): string {
  return grafanaUid([service.platform, service.environment, service.name]);
}

/**
 * The UID of an environment's fleet dashboard: `<platform>_<environment>`, two parts where a
 * service dashboard has three, so the two never meet.
 */
export function fleetDashboardUid(platform: Pick<PlatformDefinition, 'name'>, environment: string): string {
  return grafanaUid([platform.name, environment]);
}

/**
 * The URL of a service's Grafana dashboard, its variables set to the service's environment and
 * namespace: `<dashboardBaseUrl>/d/<uid>?var-environment=<env>&var-namespace=<namespace>`.
 * @see https://grafana.com/docs/grafana/latest/dashboards/variables/#url-variables
 */
export function dashboardUrl(
  platform: Pick<PlatformDefinition, 'dashboardBaseUrl'>,
  service: Pick<EffectiveService, 'platform' | 'environment' | 'name' | 'namespace'>,
): string {
  return `${platform.dashboardBaseUrl}/d/${dashboardUid(service)}?var-environment=${service.environment}&var-namespace=${service.namespace}`;
}

/**
 * The URL of an environment's fleet dashboard: `<dashboardBaseUrl>/d/<uid>?var-environment=<env>`.
 * @see https://grafana.com/docs/grafana/latest/dashboards/variables/#url-variables
 */
export function fleetDashboardUrl(platform: Pick<PlatformDefinition, 'name' | 'dashboardBaseUrl'>, environment: string): string {
  return `${platform.dashboardBaseUrl}/d/${fleetDashboardUid(platform, environment)}?var-environment=${environment}`;
}

/**
 * The annotations every alert of a service carries besides its summary and description: the
 * runbook of the alert, the service's dashboard, and whom to reach (the definition's owners
 * and escalation chain, first contact first), when the definition names them.
 */
export function alertLinks(
  platform: Pick<PlatformDefinition, 'runbookBaseUrl' | 'dashboardBaseUrl'>,
  service: Pick<EffectiveService, 'platform' | 'environment' | 'name' | 'namespace' | 'contacts'>,
  alert: string,
): Record<string, string> {
  const links: Record<string, string> = {
    runbook_url: runbookUrl(platform, service, alert),
    dashboard_url: dashboardUrl(platform, service),
  };
  if (service.contacts.owners.length > 0) links.owners = service.contacts.owners.join(', ');
  if (service.contacts.escalation.length > 0) links.escalation = service.contacts.escalation.join(', ');
  return links;
}

/** The `service` label of alerts on platform-scoped jobs, which belong to no service. */
export const PLATFORM_SCOPE = 'platform';

/**
 * The links an alert of the platform itself carries (one that belongs to no service, such as a
 * platform-scoped job's, like the cleanup of preview environments): its runbook
 * (`platformRunbookUrl`: `<runbookBaseUrl>/<env>/platform/alerts/<kebab-case alert>.md`) and the
 * environment's fleet dashboard.
 */
export function platformAlertLinks(platform: Pick<PlatformDefinition, 'name' | 'runbookBaseUrl' | 'dashboardBaseUrl'>, environment: string, alert: string): Record<string, string> {
  return { runbook_url: platformRunbookUrl(platform, environment, alert), dashboard_url: fleetDashboardUrl(platform, environment) };
}
