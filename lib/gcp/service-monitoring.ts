/**
 * Cloud Monitoring for one service in one environment: a custom service, its SLOs,
 * multiwindow burn-rate alert policies, an uptime check on the public host, and the
 * notification channels the policies notify.
 *
 * Provider classes are imported from their own modules: the package root of
 * `@cdktf/provider-google` loads every resource of the provider.
 */
import { MonitoringAlertPolicy, MonitoringAlertPolicyConditions } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { LabelMatcher, parseMatchers } from '../promql/build';
import { BURN_RATE_ALERT, kebabCase, runbookUrl } from '../definition/naming';
import { MonitoringCustomService } from '@cdktf/provider-google/lib/monitoring-custom-service';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { MonitoringSlo, MonitoringSloRequestBasedSli } from '@cdktf/provider-google/lib/monitoring-slo';
import { MonitoringUptimeCheckConfig } from '@cdktf/provider-google/lib/monitoring-uptime-check-config';
import { Annotations, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { burnFactor, burnHoldSeconds, clean } from '../slo/burn-rate';
import { DROP, DefinitionIssue, formatIssue } from '../definition';
import { terraformLiteral } from '../private/terraform';
import {
  AvailabilitySlo,
  BurnRateTier,
  EffectiveService,
  LatencySlo,
  PlatformDefinition,
  ReceiverInput,
  RoutingKey,
  Severity,
  Slo,
  SloPeriod,
} from '../definition';
import { parseDuration } from '../promql/duration';

// ---------------------------------------------------------------------------------------------
// Pure helpers: plain data in, plain data out.
// ---------------------------------------------------------------------------------------------

/** Days of each SLO period, for `rolling_period_days`. */
export const PERIOD_DAYS: Readonly<Record<SloPeriod, number>> = { '30d': 30, '28d': 28, '7d': 7 };

/**
 * Alert policy severity of Cloud Monitoring for each platform severity.
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/monitoring_alert_policy#severity
 */
export const GCP_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: 'CRITICAL',
  high: 'ERROR',
  medium: 'WARNING',
  low: 'WARNING',
};

/**
 * Labels that Managed Service for Prometheus stores on the `prometheus_target` monitored
 * resource; every other Prometheus label is a metric label.
 * @see https://cloud.google.com/stackdriver/docs/managed-prometheus/query-cm#filters
 */
export const PROMETHEUS_TARGET_LABELS: readonly string[] = ['cluster', 'instance', 'job', 'location', 'namespace', 'project_id'];

/** A string literal of the monitoring filter language. */
function quote(value: string): string {
  return JSON.stringify(value);
}

/**
 * Translates one PromQL label matcher into a Cloud Monitoring filter term for a metric of
 * Managed Service for Prometheus. Regular expressions stay RE2 and fully anchored, as in PromQL.
 * @see https://cloud.google.com/monitoring/api/v3/filters
 */
export function matcherFilter(matcher: LabelMatcher): string {
  const field = PROMETHEUS_TARGET_LABELS.includes(matcher.name) ? `resource.labels.${matcher.name}` : `metric.labels.${matcher.name}`;
  switch (matcher.op) {
    case '=':
      return `${field}=${quote(terraformLiteral(matcher.value))}`;
    case '!=':
      return `${field}!=${quote(terraformLiteral(matcher.value))}`;
    case '=~':
      return `${field}=monitoring.regex.full_match(${quote(terraformLiteral(matcher.value))})`;
    case '!~':
      return `NOT ${field}=monitoring.regex.full_match(${quote(terraformLiteral(matcher.value))})`;
  }
}

/**
 * The Cloud Monitoring filter selecting a Prometheus metric of one service, as Managed Service
 * for Prometheus stores it: metric type `prometheus.googleapis.com/<name>/<kind>` on the
 * `prometheus_target` resource, scoped to the service's namespace and scrape job (the job is
 * the Kubernetes Service name, which is the service name).
 * @param kind `counter` for the request counter, `histogram` for the duration histogram
 * @param selectors PromQL label matchers to add, each parsed with `parseMatchers`
 * @see https://cloud.google.com/stackdriver/docs/managed-prometheus/query-cm
 */
export function prometheusMetricFilter(
  service: Pick<EffectiveService, 'name' | 'namespace'>,
  metric: string,
  kind: 'counter' | 'histogram',
  selectors: readonly string[] = [],
): string {
  const terms = [
    `metric.type=${quote(`prometheus.googleapis.com/${metric}/${kind}`)}`,
    'resource.type="prometheus_target"',
    `resource.labels.namespace=${quote(service.namespace)}`,
    `resource.labels.job=${quote(service.name)}`,
  ];
  for (const selector of selectors) {
    const matchers = parseMatchers(selector);
    if (matchers === undefined) {
      throw new Error(`not a list of PromQL label matchers: ${selector}`);
    }
    terms.push(...matchers.map(matcherFilter));
  }
  return terms.join(' AND ');
}

/**
 * The request-based SLI of an availability or latency SLO: a `good_total_ratio` of bad over
 * total requests on the request counter, or a `distribution_cut` of the duration histogram
 * with the threshold as the upper bound of the good range.
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/monitoring_slo#request_based_sli
 */
export function requestBasedSli(service: EffectiveService, slo: AvailabilitySlo | LatencySlo): MonitoringSloRequestBasedSli {
  if (slo.kind === 'availability') {
    const metric = service.metrics.requestsMetric;
    return {
      goodTotalRatio: {
        badServiceFilter: prometheusMetricFilter(service, metric, 'counter', [slo.totalSelector, slo.badSelector]),
        totalServiceFilter: prometheusMetricFilter(service, metric, 'counter', [slo.totalSelector]),
      },
    };
  }
  return {
    distributionCut: {
      distributionFilter: prometheusMetricFilter(service, service.metrics.latencyMetric, 'histogram', [slo.selector]),
      range: { max: slo.thresholdSeconds },
    },
  };
}

/**
 * A window as the lookback argument of `select_slo_burn_rate`, in seconds (the selector knows
 * no day unit): `1h` → `3600s`, `1d` → `86400s`.
 * @see https://cloud.google.com/stackdriver/docs/solutions/slo-monitoring/api/timeseries-selectors
 */
export function lookback(window: string): string {
  const seconds = parseDuration(window);
  if (seconds === undefined) {
    throw new Error(`not a Prometheus duration: ${window}`);
  }
  return `${seconds}s`;
}

/**
 * Name of the burn-rate alert, the same as the Prometheus burn-rate alert so both link one
 * runbook: `<runbookBaseUrl>/<service>/slo-error-budget-burn`.
 */
export const BURN_RATE_ALERT_NAME = BURN_RATE_ALERT;

/** Key of the burn-rate policy of one SLO tier: `availability-1h-5m`. */
export function burnRatePolicyKey(slo: Pick<Slo, 'name'>, tier: Pick<BurnRateTier, 'longWindow' | 'shortWindow'>): string {
  return `${slo.name}-${tier.longWindow}-${tier.shortWindow}`;
}

/** Name of the uptime alert. */
export const UPTIME_ALERT_NAME = 'UptimeCheckFailed';


/** The service ID of the custom service: `<service>-<environment>`. */
export function gcpServiceId(service: Pick<EffectiveService, 'name' | 'environment'>): string {
  return `${service.name}-${service.environment}`;
}

/**
 * The receiver that Cloud Monitoring notifies for a severity: the service's routing for that
 * severity. Cloud Monitoring cannot route by time of day, and `high` must not page at night:
 * it goes to the `highOutsideBusinessHours` receiver (chat) when there is one, and to the
 * `high` receiver only when the routing has no after-hours target. Alertmanager, which knows
 * business hours, pages for `high` during them.
 */
export function receiverFor(service: Pick<EffectiveService, 'alertRouting'>, severity: Severity): string | undefined {
  const receiver = severity === 'high' ? (service.alertRouting.highOutsideBusinessHours ?? service.alertRouting.high) : service.alertRouting[severity as RoutingKey];
  // A severity dropped on purpose notifies nobody.
  return receiver === DROP ? undefined : receiver;
}

/** Severity of the uptime alert when none is given: the one named like the service's tier. */
export function defaultUptimeSeverity(service: Pick<EffectiveService, 'tier'>): Severity {
  return service.tier;
}

/** The SLOs Cloud Monitoring can express (availability and latency; custom PromQL cannot). */
function requestSlos(service: EffectiveService): (AvailabilitySlo | LatencySlo)[] {
  return service.slos.filter((slo): slo is AvailabilitySlo | LatencySlo => slo.kind !== 'custom');
}

/**
 * The platform receivers the service's policies notify, sorted: the routing of each severity
 * that one of its burn-rate tiers or its uptime alert has.
 */
export function usedReceivers(service: EffectiveService, uptimeSeverity: Severity = defaultUptimeSeverity(service)): string[] {
  const severities = new Set<Severity>();
  for (const slo of requestSlos(service)) {
    for (const tier of slo.burnRateTiers) severities.add(tier.severity);
  }
  if (service.gcp?.publicHost !== undefined) severities.add(uptimeSeverity);
  const receivers = [...severities].map((s) => receiverFor(service, s)).filter((r): r is string => r !== undefined);
  return [...new Set(receivers)].sort();
}

/** Problems a service has for Cloud Monitoring, with field paths relative to the service. */
export function gcpMonitoringIssues(service: EffectiveService): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  if (service.gcp === undefined) {
    issues.push({ path: 'gcp', problem: 'must be set for Cloud Monitoring (project, region, publicHost)', value: undefined });
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Notification channels, shared by every service of a stack.
// ---------------------------------------------------------------------------------------------

/** The Terraform variable that holds a receiver's secret: `notification_<receiver>_<secret>`. */
export function secretVariableName(receiver: string, secret: 'service_key' | 'auth_token'): string {
  return `notification_${receiver.replace(/[^a-zA-Z0-9]+/g, '_')}_${secret}`;
}

/**
 * The notification channels of one stack, one per (project, platform receiver), created on
 * first use and shared by every service of the stack. Use `GcpNotificationChannels.of(scope)`.
 *
 * Receivers map to channel types as follows; no secret is ever written into the configuration:
 * - `email` → `email` with `labels.email_address`;
 * - `webhook` → `webhook_tokenauth` with `labels.url` (the URL is not a secret);
 * - `pagerduty` → `pagerduty` with `sensitive_labels.service_key` from the sensitive Terraform
 *   variable `notification_<receiver>_service_key` (the PagerDuty integration key);
 * - `slack` → `slack` with `labels.channel_name` and `sensitive_labels.auth_token` from the
 *   sensitive variable `notification_<receiver>_auth_token` (a Slack app OAuth token; Cloud
 *   Monitoring does not post to the incoming-webhook URL Alertmanager uses).
 *
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/monitoring_notification_channel
 */
export class GcpNotificationChannels extends Construct {
  /** Construct ID of the singleton under its stack. */
  public static readonly ID = 'notification-channels';

  /** The channels of the stack that contains `scope`, created the first time they are asked for. */
  public static of(scope: IConstruct, platform: PlatformDefinition): GcpNotificationChannels {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(GcpNotificationChannels.ID);
    if (existing instanceof GcpNotificationChannels) {
      if (existing.platform.name !== platform.name) {
        throw new Error(`[${stack.node.path}] notification channels belong to platform ${existing.platform.name}, not ${platform.name}`);
      }
      return existing;
    }
    return new GcpNotificationChannels(stack, GcpNotificationChannels.ID, platform);
  }

  /** The platform whose receivers these channels are. */
  public readonly platform: PlatformDefinition;

  private readonly channels = new Map<string, MonitoringNotificationChannel>();
  private readonly variables = new Map<string, TerraformVariable>();

  private constructor(scope: Construct, id: string, platform: PlatformDefinition) {
    super(scope, id);
    this.platform = platform;
  }

  /**
   * The channel of a platform receiver in a project, created on first use.
   * @returns the channel's resource name (`projects/<project>/notificationChannels/<id>`), for `notification_channels`
   */
  public channel(project: string, receiverName: string): string {
    return this.resource(project, receiverName).name;
  }

  /** The channel resource of a platform receiver in a project, created on first use. */
  public resource(project: string, receiverName: string): MonitoringNotificationChannel {
    const id = `${project}-${receiverName}`;
    const existing = this.channels.get(id);
    if (existing !== undefined) {
      return existing;
    }
    const receiver: ReceiverInput | undefined = Object.prototype.hasOwnProperty.call(this.platform.receivers, receiverName)
      ? this.platform.receivers[receiverName]
      : undefined;
    if (receiver === undefined) {
      throw new Error(`[${this.node.path}] ${receiverName} is not a receiver of platform ${this.platform.name}`);
    }
    const common = {
      project,
      displayName: `${TerraformStack.of(this).node.id}: ${receiverName} (${receiver.type})`,
      description: `Platform receiver ${receiverName} of ${this.platform.name}.`,
      userLabels: { platform: this.platform.name, receiver: receiverName, 'managed-by': 'ops-constructs' },
    };
    let channel: MonitoringNotificationChannel;
    switch (receiver.type) {
      case 'email':
        channel = new MonitoringNotificationChannel(this, id, { ...common, type: 'email', labels: { email_address: receiver.to } });
        break;
      case 'webhook':
        channel = new MonitoringNotificationChannel(this, id, { ...common, type: 'webhook_tokenauth', labels: { url: terraformLiteral(receiver.url) } });
        break;
      case 'pagerduty':
        channel = new MonitoringNotificationChannel(this, id, {
          ...common,
          type: 'pagerduty',
          sensitiveLabels: { serviceKey: this.secret(receiverName, 'service_key', `PagerDuty integration key of receiver ${receiverName}`) },
        });
        break;
      case 'slack':
        channel = new MonitoringNotificationChannel(this, id, {
          ...common,
          type: 'slack',
          labels: { channel_name: receiver.channel },
          sensitiveLabels: { authToken: this.secret(receiverName, 'auth_token', `Slack app OAuth token for receiver ${receiverName} (${receiver.channel})`) },
        });
        break;
    }
    this.channels.set(id, channel);
    return channel;
  }

  /** A sensitive string variable without a default, shared by the receiver's channels. */
  private secret(receiverName: string, secret: 'service_key' | 'auth_token', description: string): string {
    const name = secretVariableName(receiverName, secret);
    let variable = this.variables.get(name);
    if (variable === undefined) {
      variable = new TerraformVariable(this, name, { type: 'string', sensitive: true, nullable: false, description });
      variable.overrideLogicalId(name);
      this.variables.set(name, variable);
    }
    return variable.stringValue;
  }
}

// ---------------------------------------------------------------------------------------------
// The construct.
// ---------------------------------------------------------------------------------------------

/** Props of `GcpServiceMonitoring`. */
export interface GcpServiceMonitoringProps {
  /** The platform: receivers and the runbook base URL. */
  readonly platform: PlatformDefinition;
  /** The service in one environment (from `resolveEnvironment`); its `gcp` settings must be set. */
  readonly service: EffectiveService;
  /**
   * Severity of the uptime alert.
   * @default the severity named like the service's tier (critical tier → critical)
   */
  readonly uptimeSeverity?: Severity;
  /**
   * How often the uptime check runs: `60s`, `300s`, `600s` or `900s`.
   * @default '60s'
   * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/monitoring_uptime_check_config#period
   */
  readonly uptimeCheckPeriod?: string;
  /**
   * The channels to notify.
   * @default the stack's shared `GcpNotificationChannels`
   */
  readonly notificationChannels?: GcpNotificationChannels;
}

/**
 * Cloud Monitoring for one service in one environment, on a cdktf `TerraformStack`:
 * - a custom service `<service>-<environment>`;
 * - one request-based SLO per availability or latency SLO, on the service's Prometheus metrics
 *   as Managed Service for Prometheus stores them (custom PromQL SLOs are skipped with a warning);
 * - one alert policy per SLO and burn-rate tier: both windows must burn faster than the tier's
 *   factor (`combiner = "AND"` over two `select_slo_burn_rate` conditions);
 * - with `gcp.publicHost`: an HTTPS uptime check on the readiness path and an alert policy on it;
 * - policies notify the channel of the receiver routed for their severity.
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
  /** Severity of the uptime alert. */
  public readonly uptimeSeverity: Severity;
  /** How often the uptime check runs. */
  public readonly uptimeCheckPeriod: string;
  /** The channels the policies notify. */
  public readonly notificationChannels: GcpNotificationChannels;
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

  private readonly platform: PlatformDefinition;

  constructor(scope: Construct, id: string, props: GcpServiceMonitoringProps) {
    super(scope, id);
    const { platform, service } = props;
    this.platform = platform;
    this.service = service;
    this.uptimeSeverity = props.uptimeSeverity ?? defaultUptimeSeverity(service);
    this.uptimeCheckPeriod = props.uptimeCheckPeriod ?? '60s';
    this.notificationChannels = props.notificationChannels ?? GcpNotificationChannels.of(this, platform);
    this.project = service.gcp?.project ?? '';

    const issues = gcpMonitoringIssues(service);
    if (!['60s', '300s', '600s', '900s'].includes(this.uptimeCheckPeriod)) {
      issues.push({ path: 'uptimeCheckPeriod', problem: 'must be one of 60s, 300s, 600s, 900s', value: this.uptimeCheckPeriod });
    }
    this.node.addValidation({ validate: () => issues.map(formatIssue) });
    const slos: Record<string, MonitoringSlo> = {};
    const policies: Record<string, MonitoringAlertPolicy> = {};
    this.slos = slos;
    this.burnRatePolicies = policies;
    if (issues.length > 0 || service.gcp === undefined) {
      return; // reported by validation; emitting resources from a bad definition would only add noise
    }

    for (const receiver of usedReceivers(service, this.uptimeSeverity)) {
      this.notificationChannels.resource(this.project, receiver);
    }

    this.customService = new MonitoringCustomService(this, 'service', {
      project: this.project,
      serviceId: gcpServiceId(service),
      displayName: `${service.name} (${service.environment})`,
      userLabels: this.labels(),
    });

    for (const slo of [...service.slos].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (slo.kind === 'custom') {
        Annotations.of(this).addWarning(
          `SLO ${slo.name} is skipped: its SLI is PromQL (${slo.goodQuery} / ${slo.totalQuery}), which cannot be expressed as a Cloud Monitoring SLI; its burn-rate alerts stay in Prometheus.`,
        );
        continue;
      }
      if (slo.minRequestRate !== undefined) {
        Annotations.of(this).addWarning(
          `SLO ${slo.name}: minRequestRate ${slo.minRequestRate} is not applied to the Cloud Monitoring burn-rate policies, which have no request-rate guard; they may fire on low traffic.`,
        );
      }
      const resource = new MonitoringSlo(this, `slo-${slo.name}`, {
        project: this.project,
        service: this.customService.serviceId,
        sloId: slo.name,
        displayName: terraformLiteral(slo.description),
        goal: clean(slo.objective / 100),
        rollingPeriodDays: PERIOD_DAYS[slo.period],
        requestBasedSli: requestBasedSli(service, slo),
        userLabels: { ...this.labels(), slo: slo.name },
      });
      slos[slo.name] = resource;
      for (const tier of slo.burnRateTiers) {
        policies[burnRatePolicyKey(slo, tier)] = this.burnRatePolicy(slo, tier, resource);
      }
    }

    if (service.gcp.publicHost !== undefined) {
      const path = service.health.readiness?.path ?? '/';
      this.uptimeCheck = new MonitoringUptimeCheckConfig(this, 'uptime-check', {
        project: this.project,
        displayName: terraformLiteral(`${service.name} (${service.environment}): https://${service.gcp.publicHost}${path}`),
        period: this.uptimeCheckPeriod,
        timeout: '10s',
        checkerType: 'STATIC_IP_CHECKERS',
        httpCheck: {
          requestMethod: 'GET',
          path: terraformLiteral(path),
          port: 443,
          useSsl: true,
          validateSsl: true,
          acceptedResponseStatusCodes: [{ statusClass: 'STATUS_CLASS_2XX' }],
        },
        monitoredResource: { type: 'uptime_url', labels: { host: service.gcp.publicHost, project_id: this.project } },
        userLabels: this.labels(),
      });
      this.uptimePolicy = this.uptimeAlertPolicy(this.uptimeCheck, service.gcp.publicHost, path);
    }
  }

  /** Labels every resource of the service carries. */
  private labels(): Record<string, string> {
    const s = this.service;
    return { environment: s.environment, platform: s.platform, service: s.name, team: s.team, tier: s.tier };
  }

  private channelsFor(severity: Severity): string[] | undefined {
    const receiver = receiverFor(this.service, severity);
    return receiver === undefined ? undefined : [this.notificationChannels.channel(this.project, receiver)];
  }

  private burnRatePolicy(slo: AvailabilitySlo | LatencySlo, tier: BurnRateTier, resource: MonitoringSlo): MonitoringAlertPolicy {
    const service = this.service;
    const factor = burnFactor(tier, slo.period);
    const runbook = runbookUrl(this.platform, service, BURN_RATE_ALERT_NAME);
    const condition = (window: string, which: string): MonitoringAlertPolicyConditions => ({
      displayName: `${which} window ${window}: burn rate above ${factor}`,
      conditionThreshold: {
        filter: `select_slo_burn_rate(${quote(resource.name)}, ${quote(lookback(window))})`,
        comparison: 'COMPARISON_GT',
        thresholdValue: factor,
        // Hold as long as the Prometheus alert of the same tier waits (its `for`).
        duration: `${burnHoldSeconds(tier.shortWindow)}s`,
        trigger: { count: 1 },
      },
    });
    const title = `${service.name} (${service.environment}): ${slo.name} burn rate above ${factor} over ${tier.longWindow} and ${tier.shortWindow}`;
    return new MonitoringAlertPolicy(this, `burn-rate-${slo.name}-${tier.longWindow}-${tier.shortWindow}`, {
      project: this.project,
      displayName: title,
      combiner: 'AND',
      conditions: [condition(tier.longWindow, 'long'), condition(tier.shortWindow, 'short')],
      severity: GCP_SEVERITY[tier.severity],
      notificationChannels: this.channelsFor(tier.severity),
      userLabels: { ...this.labels(), alert: kebabCase(BURN_RATE_ALERT_NAME), severity: tier.severity, slo: slo.name, windows: `${tier.longWindow}-${tier.shortWindow}` },
      documentation: {
        mimeType: 'text/markdown',
        subject: `[${tier.severity}] ${title}`,
        content: terraformLiteral(
          [
            `${service.name} in ${service.environment} is spending the error budget of SLO ${slo.name} (${slo.description}) ${factor} times faster than sustainable:`,
            `at this rate ${tier.budgetPercent}% of the ${slo.period} budget goes within ${tier.longWindow}. Both the ${tier.longWindow} and the ${tier.shortWindow} windows are above the threshold.`,
            '',
            `Runbook: ${runbook}`,
          ].join('\n'),
        ),
        links: [{ displayName: 'Runbook', url: terraformLiteral(runbook) }],
      },
    });
  }

  private uptimeAlertPolicy(check: MonitoringUptimeCheckConfig, host: string, path: string): MonitoringAlertPolicy {
    const service = this.service;
    const severity = this.uptimeSeverity;
    const runbook = runbookUrl(this.platform, service, UPTIME_ALERT_NAME);
    const title = terraformLiteral(`${service.name} (${service.environment}): uptime check of https://${host}${path} failing`);
    return new MonitoringAlertPolicy(this, 'uptime-alert', {
      project: this.project,
      displayName: title,
      combiner: 'OR',
      conditions: [
        {
          displayName: 'uptime check fails from more than one region',
          conditionThreshold: {
            filter: `metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND metric.labels.check_id=${quote(check.uptimeCheckId)} AND resource.type="uptime_url"`,
            aggregations: [
              { alignmentPeriod: '1200s', perSeriesAligner: 'ALIGN_NEXT_OLDER', crossSeriesReducer: 'REDUCE_COUNT_FALSE', groupByFields: ['resource.label.*'] },
            ],
            comparison: 'COMPARISON_GT',
            thresholdValue: 1,
            duration: '60s',
            trigger: { count: 1 },
          },
        },
      ],
      severity: GCP_SEVERITY[severity],
      notificationChannels: this.channelsFor(severity),
      userLabels: { ...this.labels(), alert: kebabCase(UPTIME_ALERT_NAME), severity },
      documentation: {
        mimeType: 'text/markdown',
        subject: `[${severity}] ${title}`,
        content: terraformLiteral([`HTTPS GET https://${host}${path} fails from more than one checker region.`, '', `Runbook: ${runbook}`].join('\n')),
        links: [{ displayName: 'Runbook', url: terraformLiteral(runbook) }],
      },
    });
  }
}
