/**
 * What Cloud Monitoring watches for one service in one environment, as plain data: the custom
 * service, its SLOs, the burn-rate and uptime alert policies (titles, documentation, conditions,
 * aggregations, severities, labels, durations) and the uptime check. A pure function of the
 * platform and the service; `GcpServiceMonitoring` turns it into provider resources.
 *
 * Text here is the text Cloud Monitoring shows. Constructs keep it literal for Terraform
 * (`terraformLiteral`) when they write it.
 */
import { AvailabilitySlo, BURN_RATE_ALERT, DefinitionError, DefinitionIssue, EffectiveService, Gcp, LatencySlo, PlatformDefinition, Severity, Slo, SloPeriod, UptimeCheckPeriod, kebabCase, receiverFor, runbookUrl } from '../definition';
import { byName } from '../private/data';
import { BurnRateTier } from '../slo/types';
import { burnFactor, burnHoldSeconds, clean } from '../slo/burn-rate';
import { RequestBasedSli, lookback, requestBasedSli } from './filters';

/** Days of each SLO period, for `rolling_period_days`. */
export const PERIOD_DAYS: Readonly<Record<SloPeriod, number>> = Object.freeze({ '30d': 30, '28d': 28, '7d': 7 });

/**
 * Alert policy severity of Cloud Monitoring for each platform severity.
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/monitoring_alert_policy#severity
 */
export const GCP_SEVERITY: Readonly<Record<Severity, 'CRITICAL' | 'ERROR' | 'WARNING'>> = Object.freeze({
  critical: 'CRITICAL',
  high: 'ERROR',
  medium: 'WARNING',
  low: 'WARNING',
});

/** Name of the uptime alert; its runbook is `runbookUrl(platform, service, 'UptimeCheckFailed')`. */
export const UPTIME_ALERT_NAME = 'UptimeCheckFailed';

/** How the uptime check probes and when its policy fires, apart from the definition's path, period and severity. */
export const UPTIME_CHECK_SETTINGS = Object.freeze({
  /** How long a checker waits for the answer. */
  timeout: '10s',
  /** The checkers reach the host from Google's published IP ranges, so firewalls can allow them. */
  checkerType: 'STATIC_IP_CHECKERS',
  /** The window the failing checkers are counted over. */
  alignmentPeriod: '1200s',
  /** More failing checker regions than this fire the policy: one region alone may be the region's network. */
  failingRegions: 1,
  /** How long that must hold. */
  duration: '60s',
});

/** A service whose `gcp` settings are set, the only kind Cloud Monitoring can watch. */
export type GcpService = EffectiveService & { readonly gcp: Gcp };

/** Whether a service has `gcp` settings. */
export function hasGcp(service: EffectiveService): service is GcpService {
  return service.gcp !== undefined;
}

/** Problems a service has for Cloud Monitoring, with field paths relative to the service. */
export function gcpMonitoringIssues(service: EffectiveService): DefinitionIssue[] {
  return hasGcp(service) ? [] : [{ path: 'gcp', problem: 'must be set for Cloud Monitoring (project, region, publicHost)', value: undefined }];
}

/** The service ID of the custom service: `<service>-<environment>`. */
export function gcpServiceId(service: Pick<EffectiveService, 'name' | 'environment'>): string {
  return `${service.name}-${service.environment}`;
}

/** Key of the burn-rate policy of one SLO tier: `availability-1h-5m`. */
export function burnRatePolicyKey(slo: Pick<Slo, 'name'>, tier: Pick<BurnRateTier, 'longWindow' | 'shortWindow'>): string {
  return `${slo.name}-${tier.longWindow}-${tier.shortWindow}`;
}

/** Labels every Cloud Monitoring resource of a service carries. */
export function gcpUserLabels(service: Pick<EffectiveService, 'environment' | 'platform' | 'name' | 'team' | 'tier'>): Record<string, string> {
  return { environment: service.environment, platform: service.platform, service: service.name, team: service.team, tier: service.tier };
}

/**
 * What a condition's monitoring filter selects. Filters that name another resource (the SLO,
 * the uptime check, the log-based metric) take that resource's server-side name from it when
 * written, which also orders the resources for Terraform.
 */
export type GcpConditionSource =
  /** `select_slo_burn_rate(<SLO resource name>, <lookback>)`. */
  | { readonly kind: 'slo-burn-rate'; readonly slo: string; readonly lookback: string }
  /** The `check_passed` metric of the service's uptime check. */
  | { readonly kind: 'uptime-check' }
  /** The days until the certificate the uptime check was served expires (`time_until_ssl_cert_expires`). */
  | { readonly kind: 'uptime-ssl-expiry' }
  /** A user-defined log-based metric of the service, by its `key` (see `lib/gcp/logging.ts`). */
  | { readonly kind: 'log-metric'; readonly key: string };

/**
 * One aggregation step of a condition.
 * @see https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.alertPolicies#aggregation
 */
export interface GcpAggregation {
  readonly alignmentPeriod: string;
  readonly perSeriesAligner: string;
  readonly crossSeriesReducer?: string;
  readonly groupByFields?: readonly string[];
}

/** A threshold condition of an alert policy. */
export interface GcpCondition {
  readonly displayName: string;
  readonly source: GcpConditionSource;
  /** @default none: the raw series */
  readonly aggregations?: readonly GcpAggregation[];
  readonly comparison: 'COMPARISON_GT' | 'COMPARISON_LT';
  readonly thresholdValue: number;
  /** How long the condition must hold, in seconds: `360s`. */
  readonly duration: string;
  /** How many series must meet the condition. */
  readonly triggerCount: number;
}

/** The names of the resources conditions refer to, as the construct knows them. */
export interface GcpConditionReferences {
  /** The resource name of an SLO, by SLO name. */
  readonly sloName?: (slo: string) => string;
  /** The uptime check's ID. */
  readonly uptimeCheckId?: string;
  /** The metric type's last part (the metric name) of a log-based metric, by key. */
  readonly logMetricName?: (key: string) => string;
}

/** A filter string literal whose text is a reference the construct provides (kept as given). */
function referenceString(value: string): string {
  return JSON.stringify(value);
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new DefinitionError('alert policy condition', [{ path: 'references', problem: `must name ${what}, which the condition reads`, value: undefined }]);
  }
  return value;
}

/**
 * The monitoring filter of a condition, with the referenced resources' names filled in.
 * @example
 * conditionFilter({ kind: 'slo-burn-rate', slo: 'availability', lookback: '3600s' }, { sloName: () => 'projects/1/services/s/serviceLevelObjectives/availability' });
 * // 'select_slo_burn_rate("projects/1/services/s/serviceLevelObjectives/availability", "3600s")'
 */
export function conditionFilter(source: GcpConditionSource, references: GcpConditionReferences): string {
  switch (source.kind) {
    case 'slo-burn-rate':
      return `select_slo_burn_rate(${referenceString(required(references.sloName, 'the SLO resources')(source.slo))}, ${referenceString(source.lookback)})`;
    case 'uptime-check':
      return `metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND metric.labels.check_id=${referenceString(required(references.uptimeCheckId, 'the uptime check'))} AND resource.type="uptime_url"`;
    case 'uptime-ssl-expiry':
      return `metric.type="monitoring.googleapis.com/uptime_check/time_until_ssl_cert_expires" AND metric.labels.check_id=${referenceString(required(references.uptimeCheckId, 'the uptime check'))} AND resource.type="uptime_url"`;
    case 'log-metric':
      return `metric.type=${referenceString(`logging.googleapis.com/user/${required(references.logMetricName, 'the log-based metrics')(source.key)}`)} AND resource.type="k8s_container"`;
  }
}

/** The markdown documentation of a policy and its runbook link. */
export interface GcpDocumentation {
  readonly subject: string;
  /** Markdown. */
  readonly content: string;
  readonly runbook: string;
}

/** An alert policy as plain data. */
export interface GcpAlertPolicy {
  /** Construct ID of the policy under its construct: `burn-rate-availability-1h-5m`, `uptime-alert`. */
  readonly id: string;
  /** Key among the service's policies of its kind: `availability-1h-5m` (`burnRatePolicyKey`), `uptime`. */
  readonly key: string;
  /** The CamelCase alert name, shared with Prometheus where both alert on the same thing. */
  readonly alert: string;
  readonly displayName: string;
  readonly combiner: 'AND' | 'OR';
  readonly conditions: readonly GcpCondition[];
  /** The platform severity; Cloud Monitoring's is `GCP_SEVERITY[severity]`. */
  readonly severity: Severity;
  /** The platform receiver notified, from the notification policy; none when the severity is dropped. */
  readonly receiver?: string;
  readonly userLabels: Readonly<Record<string, string>>;
  readonly documentation: GcpDocumentation;
}

/** A request-based SLO as plain data. */
export interface GcpSlo {
  readonly sloId: string;
  readonly displayName: string;
  /** The objective as a ratio: 99.9 → 0.999. */
  readonly goal: number;
  readonly rollingPeriodDays: number;
  readonly requestBasedSli: RequestBasedSli;
  readonly userLabels: Readonly<Record<string, string>>;
  /** One policy per burn-rate tier, tiers as defined. */
  readonly burnRatePolicies: readonly GcpAlertPolicy[];
}

/** An HTTPS uptime check of the public host as plain data. */
export interface GcpUptimeCheck {
  readonly displayName: string;
  readonly host: string;
  readonly path: string;
  readonly period: UptimeCheckPeriod;
  readonly timeout: string;
  readonly checkerType: string;
  readonly userLabels: Readonly<Record<string, string>>;
}

/** Everything Cloud Monitoring watches for one service in one environment. */
export interface GcpMonitoringPlan {
  readonly project: string;
  readonly customService: { readonly serviceId: string; readonly displayName: string; readonly userLabels: Readonly<Record<string, string>> };
  /** Availability and latency SLOs with their burn-rate policies, by name. */
  readonly slos: readonly GcpSlo[];
  /** The uptime check and its policy, with `gcp.publicHost` only. */
  readonly uptime?: { readonly check: GcpUptimeCheck; readonly policy: GcpAlertPolicy };
  /** What Cloud Monitoring cannot express, in SLO order. */
  readonly warnings: readonly string[];
}

/** The SLOs Cloud Monitoring can express (availability and latency; custom PromQL cannot). */
function requestSlos(service: EffectiveService): (AvailabilitySlo | LatencySlo)[] {
  return service.slos.filter((slo): slo is AvailabilitySlo | LatencySlo => slo.kind !== 'custom');
}

/** A policy's documentation: the markdown lines, then the runbook. */
/** The documentation of a policy: subject `[<severity>] <title>`, the lines, the runbook. */
export function documentation(severity: Severity, title: string, lines: readonly string[], runbook: string): GcpDocumentation {
  return { subject: `[${severity}] ${title}`, content: [...lines, '', `Runbook: ${runbook}`].join('\n'), runbook };
}

/** The burn-rate policy of one SLO tier: both windows above the tier's factor. */
export function burnRatePolicy(platform: Pick<PlatformDefinition, 'runbookBaseUrl'>, service: EffectiveService, slo: AvailabilitySlo | LatencySlo, tier: BurnRateTier): GcpAlertPolicy {
  const factor = burnFactor(tier, slo.period);
  const runbook = runbookUrl(platform, service, BURN_RATE_ALERT);
  const condition = (window: string, which: string): GcpCondition => ({
    displayName: `${which} window ${window}: burn rate above ${factor}`,
    source: { kind: 'slo-burn-rate', slo: slo.name, lookback: lookback(window) },
    comparison: 'COMPARISON_GT',
    thresholdValue: factor,
    // Hold as long as the Prometheus alert of the same tier waits (its `for`).
    duration: `${burnHoldSeconds(tier.shortWindow)}s`,
    triggerCount: 1,
  });
  const title = `${service.name} (${service.environment}): ${slo.name} burn rate above ${factor} over ${tier.longWindow} and ${tier.shortWindow}`;
  return {
    id: `burn-rate-${burnRatePolicyKey(slo, tier)}`,
    key: burnRatePolicyKey(slo, tier),
    alert: BURN_RATE_ALERT,
    displayName: title,
    combiner: 'AND',
    conditions: [condition(tier.longWindow, 'long'), condition(tier.shortWindow, 'short')],
    severity: tier.severity,
    receiver: receiverFor(service, tier.severity),
    userLabels: { ...gcpUserLabels(service), alert: kebabCase(BURN_RATE_ALERT), severity: tier.severity, slo: slo.name, windows: `${tier.longWindow}-${tier.shortWindow}` },
    documentation: documentation(
      tier.severity,
      title,
      [
        `${service.name} in ${service.environment} is spending the error budget of SLO ${slo.name} (${slo.description}) ${factor} times faster than sustainable:`,
        `at this rate ${tier.budgetPercent}% of the ${slo.period} budget goes within ${tier.longWindow}. Both the ${tier.longWindow} and the ${tier.shortWindow} windows are above the threshold.`,
      ],
      runbook,
    ),
  };
}

/** The policy on the uptime check: more than one checker region failing. */
export function uptimePolicy(platform: Pick<PlatformDefinition, 'runbookBaseUrl'>, service: GcpService, host: string): GcpAlertPolicy {
  const { path, severity } = service.uptimeCheck;
  const title = `${service.name} (${service.environment}): uptime check of https://${host}${path} failing`;
  return {
    id: 'uptime-alert',
    key: 'uptime',
    alert: UPTIME_ALERT_NAME,
    displayName: title,
    combiner: 'OR',
    conditions: [
      {
        displayName: 'uptime check fails from more than one region',
        source: { kind: 'uptime-check' },
        aggregations: [{ alignmentPeriod: UPTIME_CHECK_SETTINGS.alignmentPeriod, perSeriesAligner: 'ALIGN_NEXT_OLDER', crossSeriesReducer: 'REDUCE_COUNT_FALSE', groupByFields: ['resource.label.*'] }],
        comparison: 'COMPARISON_GT',
        thresholdValue: UPTIME_CHECK_SETTINGS.failingRegions,
        duration: UPTIME_CHECK_SETTINGS.duration,
        triggerCount: 1,
      },
    ],
    severity,
    receiver: receiverFor(service, severity),
    userLabels: { ...gcpUserLabels(service), alert: kebabCase(UPTIME_ALERT_NAME), severity },
    documentation: documentation(severity, title, [`HTTPS GET https://${host}${path} fails from more than one checker region.`], runbookUrl(platform, service, UPTIME_ALERT_NAME)),
  };
}

/**
 * Everything Cloud Monitoring watches for one service in one environment, as plain data.
 * The uptime check and its policy come from the definition's `uptimeCheck` (path, period,
 * severity), the same the in-cluster blackbox Probe reads.
 * @throws DefinitionError when the service has no `gcp` settings
 * @example
 * const plan = gcpMonitoringPlan(platform, resolveEnvironment(platform, 'checkout', 'prod'));
 * plan.policies.map((p) => p.displayName);
 */
export function gcpMonitoringPlan(platform: Pick<PlatformDefinition, 'runbookBaseUrl'>, service: EffectiveService): GcpMonitoringPlan {
  if (!hasGcp(service)) {
    throw new DefinitionError(`Cloud Monitoring of ${service.name}`, gcpMonitoringIssues(service).map((issue) => ({ ...issue, path: `${service.name}.${issue.path}` })));
  }
  const labels = gcpUserLabels(service);
  const warnings: string[] = [];
  const slos: GcpSlo[] = [];
  for (const slo of [...service.slos].sort(byName)) {
    if (slo.kind === 'custom') {
      warnings.push(`SLO ${slo.name} is skipped: its SLI is PromQL (${slo.goodQuery} / ${slo.totalQuery}), which cannot be expressed as a Cloud Monitoring SLI; its burn-rate alerts stay in Prometheus.`);
      continue;
    }
    if (slo.minRequestRate !== undefined) {
      warnings.push(`SLO ${slo.name}: minRequestRate ${slo.minRequestRate} is not applied to the Cloud Monitoring burn-rate policies, which have no request-rate guard; they may fire on low traffic.`);
    }
    slos.push({
      sloId: slo.name,
      displayName: slo.description,
      goal: clean(slo.objective / 100),
      rollingPeriodDays: PERIOD_DAYS[slo.period],
      requestBasedSli: requestBasedSli(service, slo),
      userLabels: { ...labels, slo: slo.name },
      burnRatePolicies: slo.burnRateTiers.map((tier) => burnRatePolicy(platform, service, slo, tier)),
    });
  }
  const host = service.gcp.publicHost;
  const check = (publicHost: string): GcpUptimeCheck => ({
    displayName: `${service.name} (${service.environment}): https://${publicHost}${service.uptimeCheck.path}`,
    host: publicHost,
    path: service.uptimeCheck.path,
    period: service.uptimeCheck.period,
    timeout: UPTIME_CHECK_SETTINGS.timeout,
    checkerType: UPTIME_CHECK_SETTINGS.checkerType,
    userLabels: labels,
  });
  return {
    project: service.gcp.project,
    customService: { serviceId: gcpServiceId(service), displayName: `${service.name} (${service.environment})`, userLabels: labels },
    slos,
    ...(host === undefined ? {} : { uptime: { check: check(host), policy: uptimePolicy(platform, service, host) } }),
    warnings,
  };
}

/** Every policy of a plan: the burn-rate policies SLO by SLO, then the uptime policy. */
export function planPolicies(plan: Pick<GcpMonitoringPlan, 'slos' | 'uptime'>): GcpAlertPolicy[] {
  return [...plan.slos.flatMap((slo) => slo.burnRatePolicies), ...(plan.uptime === undefined ? [] : [plan.uptime.policy])];
}

/**
 * The platform receivers a service's Cloud Monitoring policies notify, sorted: the routing of
 * each severity one of its burn-rate tiers or its uptime alert has.
 */
export function usedReceivers(service: EffectiveService): string[] {
  if (!hasGcp(service)) return [];
  const severities = new Set<Severity>(requestSlos(service).flatMap((slo) => slo.burnRateTiers.map((tier) => tier.severity)));
  if (service.gcp.publicHost !== undefined) severities.add(service.uptimeCheck.severity);
  return receiversOf([...severities].map((severity) => ({ receiver: receiverFor(service, severity) })));
}

/** The receivers a list of policies notify, sorted and without repetition. */
export function receiversOf(policies: readonly Pick<GcpAlertPolicy, 'receiver'>[]): string[] {
  return [...new Set(policies.map((p) => p.receiver).filter((r): r is string => r !== undefined))].sort();
}
