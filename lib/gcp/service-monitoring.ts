/**
 * Cloud Monitoring for one service in one environment: the construct that writes the plain
 * content of `gcpMonitoringPlan` as provider resources.
 *
 * Provider classes are imported from their own modules: the package root of
 * `@cdktf/provider-google` loads every resource of the provider.
 */
import { MonitoringAlertPolicy } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { MonitoringCustomService } from '@cdktf/provider-google/lib/monitoring-custom-service';
import { MonitoringSlo, MonitoringSloRequestBasedSli } from '@cdktf/provider-google/lib/monitoring-slo';
import { MonitoringUptimeCheckConfig } from '@cdktf/provider-google/lib/monitoring-uptime-check-config';
import { Annotations } from 'cdktf';
import { Construct } from 'constructs';
import { EffectiveService, PlatformDefinition, Severity, UptimeCheckPeriod, formatIssue } from '../definition';
import { terraformLiteral } from '../private/terraform';
import { alertPolicyResource } from './alert-policy';
import { RequestBasedSli } from './filters';
import { GcpNotificationChannels } from './notification-channels';
import { GcpMonitoringPlan, gcpMonitoringIssues, gcpMonitoringPlan, hasGcp, planPolicies, receiversOf } from './policies';

/** Name of the uptime alert, also read from here by other outputs that name their alert apart from it. */
export { UPTIME_ALERT_NAME } from './policies';

/** Props of `GcpServiceMonitoring`. */
export interface GcpServiceMonitoringProps {
  /** The platform: receivers and the runbook base URL. */
  readonly platform: PlatformDefinition;
  /**
   * The service in one environment (from `resolveEnvironment`); its `gcp` settings must be set.
   * Its `uptimeCheck` (path, period, severity) shapes the uptime check and its alert.
   */
  readonly service: EffectiveService;
  /**
   * The channels to notify.
   * @default the stack's shared `GcpNotificationChannels`
   */
  readonly notificationChannels?: GcpNotificationChannels;
}

/** A request-based SLI with its filters kept literal for Terraform. */
function literalSli(sli: RequestBasedSli): MonitoringSloRequestBasedSli {
  if ('goodTotalRatio' in sli) {
    const { badServiceFilter, totalServiceFilter } = sli.goodTotalRatio;
    return { goodTotalRatio: { badServiceFilter: terraformLiteral(badServiceFilter), totalServiceFilter: terraformLiteral(totalServiceFilter) } };
  }
  return { distributionCut: { distributionFilter: terraformLiteral(sli.distributionCut.distributionFilter), range: { ...sli.distributionCut.range } } };
}

/**
 * Cloud Monitoring for one service in one environment, on a cdktf `TerraformStack`:
 * - a custom service `<service>-<environment>`;
 * - one request-based SLO per availability or latency SLO, on the service's Prometheus metrics
 *   as Managed Service for Prometheus stores them (custom PromQL SLOs are skipped with a warning);
 * - one alert policy per SLO and burn-rate tier: both windows must burn faster than the tier's
 *   factor (`combiner = "AND"` over two `select_slo_burn_rate` conditions);
 * - with `gcp.publicHost`: an HTTPS uptime check as the definition's `uptimeCheck` says, and an
 *   alert policy on it;
 * - policies notify the channel of the receiver the notification policy names for their severity.
 *
 * The content is `gcpMonitoringPlan(platform, service)`, available as `plan`.
 *
 * @example
 * const stack = new TerraformStack(app, 'shop-prod');
 * new GcpServiceMonitoring(stack, 'checkout', { platform, service: resolveEnvironment(platform, checkout, 'prod') });
 *
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/monitoring_slo
 * @see https://cloud.google.com/stackdriver/docs/solutions/slo-monitoring/alerting-on-budget-burn-rate
 */
export class GcpServiceMonitoring extends Construct {
  /** The service this construct monitors. */
  public readonly service: EffectiveService;
  /** The project all resources go to. */
  public readonly project: string;
  /** Severity of the uptime alert (the definition's `uptimeCheck.severity`). */
  public readonly uptimeSeverity: Severity;
  /** How often the uptime check runs (the definition's `uptimeCheck.period`). */
  public readonly uptimeCheckPeriod: UptimeCheckPeriod;
  /** The channels the policies notify. */
  public readonly notificationChannels: GcpNotificationChannels;
  /** The plain content the resources are written from; undefined when the service has no `gcp` settings. */
  public readonly plan?: GcpMonitoringPlan;
  /** The custom service the SLOs belong to. */
  public readonly customService?: MonitoringCustomService;
  /** SLOs by SLO name. */
  public readonly slos: Readonly<Record<string, MonitoringSlo>>;
  /** Burn-rate alert policies by `<slo>-<long window>-<short window>` (`availability-1h-5m`). */
  public readonly burnRatePolicies: Readonly<Record<string, MonitoringAlertPolicy>>;
  /** The uptime check, when the service has a public host. */
  public readonly uptimeCheck?: MonitoringUptimeCheckConfig;
  /** The alert policy on the uptime check, when the service has a public host. */
  public readonly uptimePolicy?: MonitoringAlertPolicy;

  constructor(scope: Construct, id: string, props: GcpServiceMonitoringProps) {
    super(scope, id);
    const { platform, service } = props;
    this.service = service;
    this.uptimeSeverity = service.uptimeCheck.severity;
    this.uptimeCheckPeriod = service.uptimeCheck.period;
    this.notificationChannels = props.notificationChannels ?? GcpNotificationChannels.of(this, platform);
    this.project = service.gcp?.project ?? '';
    const slos: Record<string, MonitoringSlo> = {};
    const policies: Record<string, MonitoringAlertPolicy> = {};
    this.slos = slos;
    this.burnRatePolicies = policies;

    const issues = gcpMonitoringIssues(service);
    this.node.addValidation({ validate: () => issues.map(formatIssue) });
    if (!hasGcp(service)) {
      return; // reported by validation; emitting resources from a bad definition would only add noise
    }
    const plan = gcpMonitoringPlan(platform, service);
    this.plan = plan;
    for (const warning of plan.warnings) Annotations.of(this).addWarning(warning);

    const channels = this.notificationChannels;
    const project = plan.project;
    for (const receiver of receiversOf(planPolicies(plan))) channels.resource(project, receiver);

    const custom = new MonitoringCustomService(this, 'service', {
      project,
      serviceId: plan.customService.serviceId,
      displayName: plan.customService.displayName,
      userLabels: { ...plan.customService.userLabels },
    });
    this.customService = custom;

    const references = { sloName: (slo: string): string => slos[slo].name };
    for (const slo of plan.slos) {
      slos[slo.sloId] = new MonitoringSlo(this, `slo-${slo.sloId}`, {
        project,
        service: custom.serviceId,
        sloId: slo.sloId,
        displayName: terraformLiteral(slo.displayName),
        goal: slo.goal,
        rollingPeriodDays: slo.rollingPeriodDays,
        requestBasedSli: literalSli(slo.requestBasedSli),
        userLabels: { ...slo.userLabels },
      });
      for (const policy of slo.burnRatePolicies) policies[policy.key] = alertPolicyResource(this, project, policy, channels, references);
    }

    if (plan.uptime !== undefined) {
      const { check, policy } = plan.uptime;
      const resource = new MonitoringUptimeCheckConfig(this, 'uptime-check', {
        project,
        displayName: terraformLiteral(check.displayName),
        period: check.period,
        timeout: check.timeout,
        checkerType: check.checkerType,
        httpCheck: {
          requestMethod: 'GET',
          path: terraformLiteral(check.path),
          port: 443,
          useSsl: true,
          validateSsl: true,
          acceptedResponseStatusCodes: [{ statusClass: 'STATUS_CLASS_2XX' }],
        },
        monitoredResource: { type: 'uptime_url', labels: { host: check.host, project_id: project } },
        userLabels: { ...check.userLabels },
      });
      this.uptimeCheck = resource;
      this.uptimePolicy = alertPolicyResource(this, project, policy, channels, { uptimeCheckId: resource.uptimeCheckId });
    }
  }
}
