import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric';
import { LoggingProjectBucketConfig } from '@cdktf/provider-google/lib/logging-project-bucket-config';
import { LoggingProjectSink } from '@cdktf/provider-google/lib/logging-project-sink';
import { Testing, TerraformStack } from 'cdktf';
import { setupJest } from 'cdktf/lib/testing/adapters/jest';
import { DefinitionError, ServiceDefinitionInput } from '../../lib/definition';
import {
  ERROR_LOG_ALERT,
  ERROR_LOG_DEFAULTS,
  GCP_SEVERITY,
  GcpLogBuckets,
  GcpNotificationChannels,
  GcpServiceLogs,
  LOGGING_NAME_MAX,
  conditionFilter,
  errorLogFilter,
  gcpErrorLogPlan,
  gcpLogBuckets,
  loggingName,
} from '../../lib/gcp';
import { gcpPlatform, gcpService, resourcesOf } from '../fixtures/gcp';

setupJest();

const ORDERS_ERRORS = 'resource.type="k8s_container" AND resource.labels.namespace_name="shop" AND labels."k8s-pod/app_kubernetes_io/name"="orders" AND severity>=ERROR';

function billing(changes: Partial<ServiceDefinitionInput> = {}): ServiceDefinitionInput {
  return { name: 'billing', team: 'money', tier: 'high', image: 'registry.example.com/money/billing:1.0.0', port: 8080, gcp: { project: 'acme-billing-99' }, ...changes };
}

describe('the error-log alert', () => {
  it('counts the entries of severity ERROR and above of the service containers in its namespace', () => {
    expect(errorLogFilter({ name: 'orders', namespace: 'shop' })).toBe(ORDERS_ERRORS);
    const { platform, service } = gcpService();
    expect(gcpErrorLogPlan(platform, service).metric).toEqual({
      key: 'error-log-entries',
      name: 'orders-prod-error-log-entries',
      description: 'Log entries of severity ERROR or above from the containers of orders in prod (namespace shop).',
      filter: ORDERS_ERRORS,
      displayName: 'orders (prod) error log entries',
    });
  });

  it('fires by default above one entry per second over five minutes, as a medium alert routed like every medium alert', () => {
    const { platform, service } = gcpService();
    const { policy } = gcpErrorLogPlan(platform, service);
    expect(ERROR_LOG_DEFAULTS).toEqual({ severity: 'medium', ratePerSecond: 1, window: '300s' });
    expect(policy).toMatchObject({ alert: ERROR_LOG_ALERT, severity: 'medium', receiver: 'tickets', combiner: 'OR' });
    expect(policy.conditions).toEqual([
      {
        displayName: 'error log entries above 1 per second over 300s',
        source: { kind: 'log-metric', key: 'error-log-entries' },
        aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM' }],
        comparison: 'COMPARISON_GT',
        thresholdValue: 1,
        duration: '300s',
        triggerCount: 1,
      },
    ]);
    expect(conditionFilter(policy.conditions[0].source, { logMetricName: () => 'orders-prod-error-log-entries' })).toBe(
      'metric.type="logging.googleapis.com/user/orders-prod-error-log-entries" AND resource.type="k8s_container"',
    );
    expect(policy.userLabels).toMatchObject({ alert: 'error-log-rate-high', severity: 'medium', service: 'orders', environment: 'prod' });
    expect(policy.documentation.runbook).toBe('https://runbooks.example.com/acme/prod/services/orders/alerts/error-log-rate-high.md');
    expect(policy.documentation.content).toContain(`Logs Explorer query: \`${ORDERS_ERRORS}\``);
  });

  it('takes another severity, rate and window', () => {
    const { platform, service } = gcpService();
    const { policy } = gcpErrorLogPlan(platform, service, { severity: 'critical', ratePerSecond: 5, window: '600s' });
    expect([policy.severity, GCP_SEVERITY[policy.severity], policy.receiver]).toEqual(['critical', 'CRITICAL', 'pager']);
    expect(policy.conditions[0]).toMatchObject({ thresholdValue: 5, duration: '600s', aggregations: [expect.objectContaining({ alignmentPeriod: '600s' })] });
    expect(gcpErrorLogPlan(platform, service, { severity: 'low' }).policy.receiver).toBe('mail');
  });

  it('notifies nobody when its severity is dropped', () => {
    const { platform, service } = gcpService({ environments: { prod: { alertRouting: { medium: 'none' } } } });
    expect(gcpErrorLogPlan(platform, service).policy.receiver).toBeUndefined();
  });

  it('refuses a rate and a window out of range, and a service without gcp settings', () => {
    const { platform, service } = gcpService();
    const refusal = (f: () => unknown): string[] => {
      try {
        f();
      } catch (e) {
        if (e instanceof DefinitionError) return e.lines;
      }
      return [];
    };
    expect(refusal(() => gcpErrorLogPlan(platform, service, { ratePerSecond: 0, window: '5m' }))).toEqual([
      'orders.ratePerSecond: must be a number of entries per second above 0 (got 0)',
      'orders.window: must be whole seconds of at least a minute, such as 300s (got "5m")',
    ]);
    expect(refusal(() => gcpErrorLogPlan(platform, service, { window: '30s' }))).toEqual(['orders.window: must be whole seconds of at least a minute, such as 300s (got "30s")']);
    const none = gcpService({ gcp: undefined });
    expect(refusal(() => gcpErrorLogPlan(none.platform, none.service))).toEqual(['orders.gcp: must be set for Cloud Monitoring (project, region, publicHost) (got undefined)']);
  });

  it('keeps names within what Cloud Logging accepts, distinct and stable', () => {
    expect(loggingName('short')).toBe('short');
    const a = loggingName(`${'a'.repeat(95)}-one-environment`);
    const b = loggingName(`${'a'.repeat(95)}-two-environment`);
    expect([a.length, b.length]).toEqual([LOGGING_NAME_MAX, LOGGING_NAME_MAX]);
    expect(a).not.toBe(b);
    expect(loggingName(`${'a'.repeat(95)}-one-environment`)).toBe(a);
  });
});

describe('gcpLogBuckets', () => {
  it('makes one bucket per project of the environment, sorted, keeping the logs 30 days by default', () => {
    const platform = gcpPlatform({}, {}, [billing(), billing({ name: 'ledger', gcp: { project: 'acme-billing-99' }, namespace: 'ledger' }), billing({ name: 'cron', gcp: undefined, port: undefined, metrics: { port: 9100 }, health: {} })]);
    const buckets = gcpLogBuckets(platform, 'prod');
    expect(buckets.map((b) => [b.project, b.bucketId, b.location, b.retentionDays])).toEqual([
      ['acme-billing-99', 'acme-prod', 'global', 30],
      ['acme-prod-1234', 'acme-prod', 'global', 30],
    ]);
    expect(buckets[0].sink).toEqual({
      name: 'acme-prod',
      filter: 'resource.type="k8s_container" AND (resource.labels.namespace_name="ledger" OR resource.labels.namespace_name="money")',
      description: 'Routes the container logs of namespaces ledger, money to the bucket acme-prod.',
    });
    expect(buckets[1].sink.filter).toBe('resource.type="k8s_container" AND (resource.labels.namespace_name="shop")');
  });

  it('keeps logs as long as the environment says', () => {
    const platform = gcpPlatform({}, { environments: [{ name: 'dev', logRetentionDays: 7 }, { name: 'prod', logRetentionDays: 400 }] });
    expect(gcpLogBuckets(platform, 'dev').map((b) => b.retentionDays)).toEqual([7]);
    expect(gcpLogBuckets(platform, 'prod').map((b) => [b.retentionDays, b.description])).toEqual([[400, 'Container logs of platform acme in prod, kept 400 days.']]);
  });

  it('makes none where no service has gcp settings, and refuses an unknown environment', () => {
    expect(gcpLogBuckets(gcpPlatform({ gcp: undefined }), 'prod')).toEqual([]);
    expect(() => gcpLogBuckets(gcpPlatform(), 'qa')).toThrow('acme.environment: must be an environment of platform acme (dev, prod) (got "qa")');
  });
});

describe('GcpServiceLogs and GcpLogBuckets', () => {
  it('write the metric and the policy on the metric they reference', () => {
    const json = Testing.synthScope((scope) => {
      new GcpServiceLogs(scope, 'orders_logs', gcpService());
    });
    expect(json).toHaveResourceWithProperties(LoggingMetric, {
      name: 'orders-prod-error-log-entries',
      project: 'acme-prod-1234',
      filter: ORDERS_ERRORS,
      metric_descriptor: { metric_kind: 'DELTA', value_type: 'INT64', unit: '1', display_name: 'orders (prod) error log entries' },
    });
    const [policy] = Object.values(resourcesOf<{ conditions: { condition_threshold: { filter: string } }[]; severity: string; notification_channels: string[] }>(json, 'google_monitoring_alert_policy'));
    expect(policy.conditions[0].condition_threshold.filter).toMatch(/^metric\.type="logging\.googleapis\.com\/user\/\$\{google_logging_metric\.orders_logs_metric_[0-9A-F]+\.name\}" AND resource\.type="k8s_container"$/);
    expect(policy.severity).toBe('WARNING');
    expect(policy.notification_channels).toEqual([expect.stringMatching(/notification-channels_acme-prod-1234-tickets/)]);
  });

  it('take the severity, rate and window given, and the channels given', () => {
    const stack = new TerraformStack(Testing.app(), 'acme-prod');
    const { platform, service } = gcpService();
    const channels = GcpNotificationChannels.of(new TerraformStack(Testing.app(), 'other'), platform);
    const logs = new GcpServiceLogs(stack, 'orders_logs', { platform, service, severity: 'high', ratePerSecond: 2, window: '120s', notificationChannels: channels });
    expect(logs.plan?.policy).toMatchObject({ severity: 'high', receiver: 'chat', conditions: [expect.objectContaining({ thresholdValue: 2, duration: '120s' })] });
    expect(stack.node.tryFindChild(GcpNotificationChannels.ID)).toBeUndefined();
  });

  it('report a service without gcp settings and write nothing', () => {
    const stack = new TerraformStack(Testing.app(), 'acme-prod');
    const logs = new GcpServiceLogs(stack, 'orders_logs', gcpService({ gcp: undefined }));
    expect(logs.metric).toBeUndefined();
    expect(() => Testing.synth(stack, true)).toThrow('[acme-prod/orders_logs] gcp: must be set for Cloud Monitoring (project, region, publicHost) (got undefined)');
  });

  it('write each bucket with its retention and a sink into it', () => {
    const platform = gcpPlatform({}, { environments: ['dev', { name: 'prod', logRetentionDays: 90 }] });
    const json = Testing.synthScope((scope) => {
      new GcpLogBuckets(scope, 'log_buckets', { platform, environment: 'prod' });
    });
    expect(json).toHaveResourceWithProperties(LoggingProjectBucketConfig, { project: 'acme-prod-1234', bucket_id: 'acme-prod', location: 'global', retention_days: 90 });
    expect(json).toHaveResourceWithProperties(LoggingProjectSink, {
      project: 'acme-prod-1234',
      name: 'acme-prod',
      destination: expect.stringMatching(/^logging\.googleapis\.com\/\$\{google_logging_project_bucket_config\.log_buckets_bucket-acme-prod-1234_[0-9A-F]+\.name\}$/),
      filter: 'resource.type="k8s_container" AND (resource.labels.namespace_name="shop")',
      unique_writer_identity: true,
    });
  });
});
