/**
 * Every Cloud Monitoring alert policy of one service in one environment, in one place: what
 * `GcpPlatformStack` writes for it (the burn-rate and uptime policies of `GcpServiceMonitoring`,
 * the error-log policy of `GcpServiceLogs` with its defaults, the certificate expiry policies of
 * `GcpServiceCertificates`), for readers that list alerts, such as the runbooks.
 */
import { EffectiveService, PlatformDefinition } from '../definition';
import { gcpCertificatePlan } from './certificates';
import { gcpErrorLogPlan } from './logging';
import { GcpAlertPolicy, gcpMonitoringPlan, hasGcp, planPolicies } from './policies';

/**
 * The alert policies `GcpPlatformStack` gives a service: its burn-rate policies SLO by SLO, the
 * uptime policy (with a public host), the error-log policy, then the expiry policies of a
 * certificate covering the public host; none without `gcp` settings.
 * @example
 * gcpServicePolicies(platform, resolveEnvironment(platform, 'checkout', 'prod')).map((p) => p.alert);
 * // ['SloErrorBudgetBurn', ..., 'UptimeCheckFailed', 'ErrorLogRateHigh']
 */
export function gcpServicePolicies(platform: Pick<PlatformDefinition, 'runbookBaseUrl'>, service: EffectiveService): GcpAlertPolicy[] {
  if (!hasGcp(service)) return [];
  const certificates = service.certificates.length > 0 ? gcpCertificatePlan(platform, service).policies : [];
  return [...planPolicies(gcpMonitoringPlan(platform, service)), gcpErrorLogPlan(platform, service).policy, ...certificates];
}
