import {
  dashboardUrl,
  fleetDashboardUrl,
  platformAlertLinks,
  platformRunbookPath,
  platformRunbookUrl,
  runbookPath,
  runbookUrl,
  serviceRunbookFolder,
  serviceRunbooksUrl,
} from '../../lib/definition/naming';
import { effective, testPlatform } from '../fixtures/services';

describe('runbook and dashboard links', () => {
  const platform = testPlatform();
  const service = effective({ name: 'orders' }, 'prod');

  it('places an alert runbook per environment and service, under alerts/, in kebab case with .md', () => {
    expect(runbookPath(service, 'ServiceHPAMaxedOut')).toBe('prod/services/orders/alerts/service-hpa-maxed-out.md');
    expect(runbookPath({ environment: 'dev', name: 'orders' }, 'SloErrorBudgetBurn')).toBe('dev/services/orders/alerts/slo-error-budget-burn.md');
    expect(serviceRunbookFolder(service)).toBe('prod/services/orders');
  });

  it('gives the URL of a runbook as the base URL followed by the very path its page is written to', () => {
    expect(runbookUrl(platform, service, 'ServiceDown')).toBe(`${platform.runbookBaseUrl}/${runbookPath(service, 'ServiceDown')}`);
    expect(runbookUrl({ runbookBaseUrl: 'https://r.example.com/a' }, service, 'ServiceDown')).toBe('https://r.example.com/a/prod/services/orders/alerts/service-down.md');
    expect(serviceRunbooksUrl({ runbookBaseUrl: 'https://r.example.com/a' }, service)).toBe('https://r.example.com/a/prod/services/orders/index.md');
  });

  it('keeps the alerts of the platform itself apart from every service folder', () => {
    expect(platformRunbookPath('prod', 'NamespaceCleanupFailed')).toBe('prod/platform/alerts/namespace-cleanup-failed.md');
    expect(platformRunbookUrl({ runbookBaseUrl: 'https://r.example.com' }, 'prod', 'NamespaceCleanupFailed')).toBe('https://r.example.com/prod/platform/alerts/namespace-cleanup-failed.md');
    // A service named "platform" still has its own folder under services/.
    expect(runbookPath({ environment: 'prod', name: 'platform' }, 'NamespaceCleanupFailed')).not.toBe(platformRunbookPath('prod', 'NamespaceCleanupFailed'));
  });

  it('links platform alerts to their runbook and the fleet dashboard of their environment', () => {
    const p = { name: 'shop', runbookBaseUrl: 'https://r.example.com', dashboardBaseUrl: 'https://g.example.com' };
    expect(fleetDashboardUrl(p, 'prod')).toBe('https://g.example.com/d/shop_prod?var-environment=prod');
    expect(platformAlertLinks(p, 'prod', 'JobFailed')).toEqual({ runbook_url: 'https://r.example.com/prod/platform/alerts/job-failed.md', dashboard_url: 'https://g.example.com/d/shop_prod?var-environment=prod' });
    expect(dashboardUrl(platform, service)).toBe(`${platform.dashboardBaseUrl}/d/${platform.name}_prod_orders?var-environment=prod&var-namespace=${service.namespace}`);
  });
});
