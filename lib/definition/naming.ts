import { PlatformDefinition } from './platform';
import { EffectiveService } from './resolve-environment';

/** Name of the multiwindow burn-rate alert, on Prometheus and Google Cloud alike; tiers differ by `severity` and `long_window`. */
export const BURN_RATE_ALERT = 'SloErrorBudgetBurn';

/** Name of the alert on an error budget running low. */
export const LOW_BUDGET_ALERT = 'SloErrorBudgetLow';

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
 * The runbook of an alert of a service: `<runbookBaseUrl>/<service>/<kebab-case alert>`.
 * @example
 * runbookUrl(platform, service, 'SloErrorBudgetBurn'); // 'https://runbooks.example.com/shop/checkout/slo-error-budget-burn'
 */
export function runbookUrl(platform: Pick<PlatformDefinition, 'runbookBaseUrl'>, service: Pick<EffectiveService, 'name'>, alert: string): string {
  return `${platform.runbookBaseUrl}/${service.name}/${kebabCase(alert)}`;
}

/** The UID of a service's Grafana dashboard: the service name (unique in a platform). */
export function dashboardUid(service: Pick<EffectiveService, 'name'>): string {
  return service.name;
}

/**
 * The URL of a service's Grafana dashboard: `<dashboardBaseUrl>/d/<uid>`.
 * @see https://grafana.com/docs/grafana/latest/dashboards/share-dashboards-panels/
 */
export function dashboardUrl(platform: Pick<PlatformDefinition, 'dashboardBaseUrl'>, service: Pick<EffectiveService, 'name'>): string {
  return `${platform.dashboardBaseUrl}/d/${dashboardUid(service)}`;
}

/**
 * The annotations every alert of a service carries besides its summary and description: the
 * runbook of the alert, the service's dashboard, and whom to reach (the definition's owners
 * and escalation chain, first contact first), when the definition names them.
 */
export function alertLinks(
  platform: Pick<PlatformDefinition, 'runbookBaseUrl' | 'dashboardBaseUrl'>,
  service: Pick<EffectiveService, 'name' | 'contacts'>,
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
