/**
 * Cloud Logging for the platform on Google Cloud: a log-based metric counting each service's
 * error entries and an alert policy on its rate, and per environment a log bucket per project,
 * kept as long as the environment's `logRetentionDays` says, with the sink that routes the
 * environment's container logs into it.
 *
 * The content is plain data (`gcpErrorLogPlan`, `gcpLogBuckets`); `GcpServiceLogs` and
 * `GcpLogBuckets` write it as provider resources.
 * @see https://cloud.google.com/logging/docs/logs-based-metrics
 * @see https://cloud.google.com/logging/docs/buckets
 */
import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric';
import { LoggingProjectBucketConfig } from '@cdktf/provider-google/lib/logging-project-bucket-config';
import { LoggingProjectSink } from '@cdktf/provider-google/lib/logging-project-sink';
import { MonitoringAlertPolicy } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { DefinitionError, EffectiveService, PlatformDefinition, Severity, effectiveServices, formatIssue, kebabCase, receiverFor, runbookUrl } from '../definition';
import { terraformLiteral } from '../private/terraform';
import { parseDuration } from '../promql/duration';
import { alertPolicyResource } from './alert-policy';
import { filterString } from './filters';
import { GcpNotificationChannels } from './notification-channels';
import { GcpAlertPolicy, gcpMonitoringIssues, gcpServiceId, gcpUserLabels, hasGcp } from './policies';

/** Name of the alert on a service's error log rate; its runbook is `runbookUrl(platform, service, 'ErrorLogRateHigh')`. */
export const ERROR_LOG_ALERT = 'ErrorLogRateHigh';

/** The alert on error logs when nothing else is said. */
export const ERROR_LOG_DEFAULTS = Object.freeze({
  /** Error logs are a cause, not a symptom users feel: a ticket, not a page. */
  severity: 'medium' as Severity,
  /** Error entries per second, summed over the service's containers, above which the policy fires. */
  ratePerSecond: 1,
  /** The window the rate is averaged over, and how long it must stay above the threshold. */
  window: '300s',
});

/** Where log buckets live: `global`, the location Cloud Logging's own buckets use. */
export const LOG_BUCKET_LOCATION = 'global';

/** Longest name Cloud Logging takes for a log-based metric, a bucket or a sink. */
export const LOGGING_NAME_MAX = 100;

/** Key of the error-log metric among a service's log-based metrics (`GcpConditionSource`). */
export const ERROR_LOG_METRIC_KEY = 'error-log-entries';

/**
 * A name of at most `LOGGING_NAME_MAX` characters: the text itself, or its first characters and
 * 8 hex digits of its SHA-256, so that long names stay stable and distinct.
 */
export function loggingName(text: string): string {
  if (text.length <= LOGGING_NAME_MAX) return text;
  return `${text.slice(0, LOGGING_NAME_MAX - 9)}-${createHash('sha256').update(text).digest('hex').slice(0, 8)}`;
}

/**
 * The Logging query selecting a service's error entries: its containers' logs (GKE labels a
 * pod's `app.kubernetes.io/name` as `labels."k8s-pod/app_kubernetes_io/name"`) in its namespace,
 * at severity ERROR or above.
 * @see https://cloud.google.com/logging/docs/view/logging-query-language
 */
export function errorLogFilter(service: Pick<EffectiveService, 'name' | 'namespace'>): string {
  return [
    'resource.type="k8s_container"',
    `resource.labels.namespace_name=${filterString(service.namespace)}`,
    `labels."k8s-pod/app_kubernetes_io/name"=${filterString(service.name)}`,
    'severity>=ERROR',
  ].join(' AND ');
}

/** A log-based counter metric as plain data. */
export interface GcpLogMetric {
  readonly key: string;
  /** The metric's name; its type is `logging.googleapis.com/user/<name>`. */
  readonly name: string;
  readonly description: string;
  readonly filter: string;
  readonly displayName: string;
}

/** How the error-log alert is set. */
export interface ErrorLogOptions {
  /** @default ERROR_LOG_DEFAULTS.severity */
  readonly severity?: Severity;
  /** @default ERROR_LOG_DEFAULTS.ratePerSecond */
  readonly ratePerSecond?: number;
  /** A duration in seconds, `300s`. @default ERROR_LOG_DEFAULTS.window */
  readonly window?: string;
}

/** A service's error-log metric and the policy on its rate. */
export interface GcpErrorLogPlan {
  readonly project: string;
  readonly metric: GcpLogMetric;
  readonly policy: GcpAlertPolicy;
}

function optionIssues(options: ErrorLogOptions): { path: string; problem: string; value: unknown }[] {
  const issues: { path: string; problem: string; value: unknown }[] = [];
  if (options.ratePerSecond !== undefined && !(Number.isFinite(options.ratePerSecond) && options.ratePerSecond > 0)) {
    issues.push({ path: 'ratePerSecond', problem: 'must be a number of entries per second above 0', value: options.ratePerSecond });
  }
  if (options.window !== undefined && !(/^[1-9][0-9]*s$/.test(options.window) && (parseDuration(options.window) ?? 0) >= 60)) {
    issues.push({ path: 'window', problem: 'must be whole seconds of at least a minute, such as 300s', value: options.window });
  }
  return issues;
}

/**
 * The log-based metric counting a service's error entries and the policy on their rate, as
 * plain data. Severity and receiver follow the same notification policy as every alert of the
 * service; the runbook is `runbookUrl(platform, service, 'ErrorLogRateHigh')`.
 * @throws DefinitionError when the service has no `gcp` settings or an option is out of range
 */
export function gcpErrorLogPlan(platform: Pick<PlatformDefinition, 'runbookBaseUrl'>, service: EffectiveService, options: ErrorLogOptions = {}): GcpErrorLogPlan {
  const issues = [...gcpMonitoringIssues(service), ...optionIssues(options)];
  if (issues.length > 0 || !hasGcp(service)) {
    throw new DefinitionError(`error-log alert of ${service.name}`, issues.map((issue) => ({ ...issue, path: `${service.name}.${issue.path}` })));
  }
  const severity = options.severity ?? ERROR_LOG_DEFAULTS.severity;
  const rate = options.ratePerSecond ?? ERROR_LOG_DEFAULTS.ratePerSecond;
  const window = options.window ?? ERROR_LOG_DEFAULTS.window;
  const filter = errorLogFilter(service);
  const runbook = runbookUrl(platform, service, ERROR_LOG_ALERT);
  const title = `${service.name} (${service.environment}): error log entries above ${rate} per second`;
  return {
    project: service.gcp.project,
    metric: {
      key: ERROR_LOG_METRIC_KEY,
      name: loggingName(`${gcpServiceId(service)}-${ERROR_LOG_METRIC_KEY}`),
      description: `Log entries of severity ERROR or above from the containers of ${service.name} in ${service.environment} (namespace ${service.namespace}).`,
      filter,
      displayName: `${service.name} (${service.environment}) error log entries`,
    },
    policy: {
      id: 'error-log-alert',
      key: 'error-logs',
      alert: ERROR_LOG_ALERT,
      displayName: title,
      combiner: 'OR',
      conditions: [
        {
          displayName: `error log entries above ${rate} per second over ${window}`,
          source: { kind: 'log-metric', key: ERROR_LOG_METRIC_KEY },
          // The rate of each container's series, summed into one series for the service.
          aggregations: [{ alignmentPeriod: window, perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM' }],
          comparison: 'COMPARISON_GT',
          thresholdValue: rate,
          duration: window,
          triggerCount: 1,
        },
      ],
      severity,
      receiver: receiverFor(service, severity),
      userLabels: { ...gcpUserLabels(service), alert: kebabCase(ERROR_LOG_ALERT), severity },
      documentation: {
        subject: `[${severity}] ${title}`,
        content: [
          `The containers of ${service.name} in ${service.environment} log entries of severity ERROR or above at more than ${rate} per second, averaged over ${window}, for ${window}.`,
          '',
          `Logs Explorer query: \`${filter}\``,
          '',
          `Runbook: ${runbook}`,
        ].join('\n'),
        runbook,
      },
    },
  };
}

/** A log bucket of one project in one environment, and the sink routing the environment's container logs into it. */
export interface GcpLogBucket {
  readonly project: string;
  readonly bucketId: string;
  readonly location: string;
  readonly retentionDays: number;
  readonly description: string;
  readonly sink: { readonly name: string; readonly filter: string; readonly description: string };
}

/**
 * The log buckets of one environment: one per project its services use, sorted by project,
 * each keeping the environment's container logs (the namespaces of the project's services)
 * `logRetentionDays` days.
 * @throws DefinitionError when the environment is not one of the platform's
 */
export function gcpLogBuckets(platform: PlatformDefinition, environment: string): GcpLogBucket[] {
  const env = platform.environments.find((e) => e.name === environment);
  if (env === undefined) {
    throw new DefinitionError('log buckets', [{ path: `${platform.name}.environment`, problem: `must be an environment of platform ${platform.name} (${platform.environments.map((e) => e.name).join(', ')})`, value: environment }]);
  }
  const namespaces = new Map<string, Set<string>>();
  for (const service of effectiveServices(platform, environment, hasGcp)) {
    const project = service.gcp?.project ?? '';
    namespaces.set(project, (namespaces.get(project) ?? new Set()).add(service.namespace));
  }
  const bucketId = loggingName(`${platform.name}-${environment}`);
  return [...namespaces.keys()].sort().map((project) => {
    const list = [...(namespaces.get(project) ?? [])].sort();
    return {
      project,
      bucketId,
      location: LOG_BUCKET_LOCATION,
      retentionDays: env.logRetentionDays,
      description: `Container logs of platform ${platform.name} in ${environment}, kept ${env.logRetentionDays} days.`,
      sink: {
        name: bucketId,
        filter: `resource.type="k8s_container" AND (${list.map((ns) => `resource.labels.namespace_name=${filterString(ns)}`).join(' OR ')})`,
        description: `Routes the container logs of namespaces ${list.join(', ')} to the bucket ${bucketId}.`,
      },
    };
  });
}

/** Props of `GcpServiceLogs`. */
export interface GcpServiceLogsProps extends ErrorLogOptions {
  readonly platform: PlatformDefinition;
  /** The service in one environment; its `gcp` settings must be set. */
  readonly service: EffectiveService;
  /**
   * The channels to notify.
   * @default the stack's shared `GcpNotificationChannels`
   */
  readonly notificationChannels?: GcpNotificationChannels;
}

/**
 * A log-based metric counting a service's error entries, and an alert policy on their rate
 * notifying the receiver routed for its severity.
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/logging_metric
 */
export class GcpServiceLogs extends Construct {
  /** The content written; undefined when the service has no `gcp` settings. */
  public readonly plan?: GcpErrorLogPlan;
  public readonly metric?: LoggingMetric;
  public readonly policy?: MonitoringAlertPolicy;

  constructor(scope: Construct, id: string, props: GcpServiceLogsProps) {
    super(scope, id);
    const { platform, service } = props;
    if (!hasGcp(service)) {
      const issues = gcpMonitoringIssues(service);
      this.node.addValidation({ validate: () => issues.map(formatIssue) });
      return;
    }
    const plan = gcpErrorLogPlan(platform, service, props);
    this.plan = plan;
    const channels = props.notificationChannels ?? GcpNotificationChannels.of(this, platform);
    const metric = new LoggingMetric(this, 'metric', {
      project: plan.project,
      name: plan.metric.name,
      description: terraformLiteral(plan.metric.description),
      filter: terraformLiteral(plan.metric.filter),
      metricDescriptor: { metricKind: 'DELTA', valueType: 'INT64', unit: '1', displayName: terraformLiteral(plan.metric.displayName) },
    });
    this.metric = metric;
    this.policy = alertPolicyResource(this, plan.project, plan.policy, channels, { logMetricName: () => metric.name });
  }
}

/** Props of `GcpLogBuckets`. */
export interface GcpLogBucketsProps {
  readonly platform: PlatformDefinition;
  /** One of the platform's environments. */
  readonly environment: string;
}

/**
 * The log buckets of one environment, one per project its services use, with the environment's
 * retention, and a sink per bucket routing the environment's container logs into it. Logs also
 * stay in the project's `_Default` bucket, under its own retention, unless an exclusion there
 * says otherwise.
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/logging_project_bucket_config
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/logging_project_sink
 */
export class GcpLogBuckets extends Construct {
  /** The buckets written, by project. */
  public readonly buckets: Readonly<Record<string, LoggingProjectBucketConfig>>;
  /** The sinks written, by project. */
  public readonly sinks: Readonly<Record<string, LoggingProjectSink>>;

  constructor(scope: Construct, id: string, props: GcpLogBucketsProps) {
    super(scope, id);
    const buckets: Record<string, LoggingProjectBucketConfig> = {};
    const sinks: Record<string, LoggingProjectSink> = {};
    this.buckets = buckets;
    this.sinks = sinks;
    for (const plan of gcpLogBuckets(props.platform, props.environment)) {
      const bucket = new LoggingProjectBucketConfig(this, `bucket-${plan.project}`, {
        project: plan.project,
        location: plan.location,
        bucketId: plan.bucketId,
        retentionDays: plan.retentionDays,
        description: terraformLiteral(plan.description),
      });
      buckets[plan.project] = bucket;
      sinks[plan.project] = new LoggingProjectSink(this, `sink-${plan.project}`, {
        project: plan.project,
        name: plan.sink.name,
        destination: `logging.googleapis.com/${bucket.name}`,
        filter: terraformLiteral(plan.sink.filter),
        description: terraformLiteral(plan.sink.description),
        // A bucket in the sink's own project needs no grant to the writer identity.
        uniqueWriterIdentity: true,
      });
    }
  }
}
