import { MonitoringAlertPolicy } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { MonitoringCustomService } from '@cdktf/provider-google/lib/monitoring-custom-service';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { MonitoringSlo } from '@cdktf/provider-google/lib/monitoring-slo';
import { MonitoringUptimeCheckConfig } from '@cdktf/provider-google/lib/monitoring-uptime-check-config';
import { AnnotationMetadataEntryType, Testing, TerraformStack } from 'cdktf';
import { setupJest } from 'cdktf/lib/testing/adapters/jest';
import { GcpServiceMonitoring, GcpServiceMonitoringProps, lookback, matcherFilter, prometheusMetricFilter } from '../../lib/gcp';
import { TEST_RECEIVERS, TEST_ROUTING } from '../fixtures/services';
import { parseMatchers as parseSelector } from '../../lib/promql';
import { PlatformDefinition, ServiceDefinitionInput, definePlatform, defineService, resolveEnvironment } from '../../lib';
import { parseDuration } from '../../lib/promql/duration';
import { serviceRuleGroups } from '../../lib/prometheus/rules';
import { isAlertingRule } from '../../lib/prometheus/rule-group';

setupJest();

const SERVICE: ServiceDefinitionInput = {
  name: 'orders',
  team: 'shop',
  tier: 'critical',
  image: 'registry.example.com/shop/orders:2.0.1',
  port: 8080,
  health: { readiness: { path: '/ready' } },
  slos: [
    { kind: 'availability', name: 'availability', objective: 99.9 },
    { kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25, period: '28d', selector: 'route!~"/health.*"' },
  ],
  gcp: { project: 'acme-prod-1234', publicHost: 'orders.example.com' },
};

function platformOf(input: Partial<ServiceDefinitionInput> = {}): PlatformDefinition {
  return definePlatform({
    name: 'acme',
    environments: ['dev', 'prod'],
    runbookBaseUrl: 'https://runbooks.example.com/acme/',
    dashboardBaseUrl: 'https://grafana.example.com',
    prometheusUrl: 'http://prometheus.monitoring:9090',
    receivers: { ...TEST_RECEIVERS, mail: { type: 'email', to: 'oncall@example.com', smarthost: 'smtp.example.com:587', from: 'alertmanager@example.com' } },
    defaultAlertRouting: { ...TEST_ROUTING, low: 'mail' },
    services: [defineService({ ...SERVICE, ...input } as ServiceDefinitionInput)],
  });
}

function props(input: Partial<ServiceDefinitionInput> = {}, extra: Partial<GcpServiceMonitoringProps> = {}, environment = 'prod'): GcpServiceMonitoringProps {
  const platform = platformOf(input);
  return { platform, service: resolveEnvironment(platform, platform.services[0], environment), ...extra };
}

function synth(input: Partial<ServiceDefinitionInput> = {}, extra: Partial<GcpServiceMonitoringProps> = {}): string {
  return Testing.synthScope((scope) => {
    new GcpServiceMonitoring(scope, 'orders', props(input, extra));
  });
}

interface Condition { display_name: string; condition_threshold: { filter: string; threshold_value: number; comparison: string; duration: string } }
interface Policy {
  combiner: string;
  display_name: string;
  severity: string;
  conditions: Condition[];
  notification_channels?: string[];
  user_labels: Record<string, string>;
  documentation: { content: string; links: { url: string }[] };
}

function resources<T>(json: string, type: string): Record<string, T> {
  const parsed = JSON.parse(json) as { resource?: Record<string, Record<string, T>> };
  return parsed.resource?.[type] ?? {};
}

function policies(json: string): Policy[] {
  return Object.values(resources<Policy>(json, 'google_monitoring_alert_policy'));
}

function burnPolicies(json: string, slo: string): Policy[] {
  return policies(json).filter((p) => p.user_labels.slo === slo);
}

describe('GcpServiceMonitoring', () => {
  it('creates a custom service whose ID is derived from the service name and environment', () => {
    const json = synth();
    expect(json).toHaveResourceWithProperties(MonitoringCustomService, {
      service_id: 'orders-prod',
      project: 'acme-prod-1234',
      display_name: 'orders (prod)',
      user_labels: { environment: 'prod', platform: 'acme', service: 'orders', team: 'shop', tier: 'critical' },
    });
  });

  it('creates a request-based availability SLO as a good_total_ratio on the Managed Prometheus counter', () => {
    const json = synth();
    const base =
      'metric.type="prometheus.googleapis.com/http_requests_total/counter" AND resource.type="prometheus_target" AND resource.labels.namespace="shop" AND resource.labels.job="orders"';
    expect(json).toHaveResourceWithProperties(MonitoringSlo, {
      slo_id: 'availability',
      goal: 0.999,
      rolling_period_days: 30,
      request_based_sli: {
        good_total_ratio: {
          bad_service_filter: `${base} AND metric.labels.code=monitoring.regex.full_match("5..")`,
          total_service_filter: base,
        },
      },
    });
  });

  it('creates a latency SLO as a distribution_cut of the histogram with the threshold as range max', () => {
    const json = synth();
    expect(json).toHaveResourceWithProperties(MonitoringSlo, {
      slo_id: 'latency',
      goal: 0.99,
      rolling_period_days: 28,
      request_based_sli: {
        distribution_cut: {
          distribution_filter:
            'metric.type="prometheus.googleapis.com/http_request_duration_seconds/histogram" AND resource.type="prometheus_target" AND resource.labels.namespace="shop" AND resource.labels.job="orders" AND NOT metric.labels.route=monitoring.regex.full_match("/health.*")',
          range: { max: 0.25 },
        },
      },
    });
  });

  it('uses the metric names of the definition', () => {
    const json = synth({ metrics: { requestsMetric: 'rpc_calls_total', latencyMetric: 'rpc_seconds' } });
    expect(json).toContain('prometheus.googleapis.com/rpc_calls_total/counter');
    expect(json).toContain('prometheus.googleapis.com/rpc_seconds/histogram');
    expect(json).not.toContain('http_requests_total');
  });

  it('alerts per burn-rate tier with AND over a long and a short select_slo_burn_rate window at the 30d factors', () => {
    const found = burnPolicies(synth(), 'availability');
    expect(found).toHaveLength(4);
    const summary = found
      .map((p) => ({
        combiner: p.combiner,
        windows: p.conditions.map((c) => /"(\d+s)"\)$/.exec(c.condition_threshold.filter)?.[1]),
        thresholds: p.conditions.map((c) => c.condition_threshold.threshold_value),
        comparison: p.conditions.map((c) => c.condition_threshold.comparison),
        severity: [p.severity, p.user_labels.severity],
      }))
      .sort((a, b) => b.thresholds[0] - a.thresholds[0]);
    expect(summary).toEqual([
      { combiner: 'AND', windows: ['3600s', '300s'], thresholds: [14.4, 14.4], comparison: ['COMPARISON_GT', 'COMPARISON_GT'], severity: ['CRITICAL', 'critical'] },
      { combiner: 'AND', windows: ['21600s', '1800s'], thresholds: [6, 6], comparison: ['COMPARISON_GT', 'COMPARISON_GT'], severity: ['ERROR', 'high'] },
      { combiner: 'AND', windows: ['86400s', '7200s'], thresholds: [3, 3], comparison: ['COMPARISON_GT', 'COMPARISON_GT'], severity: ['WARNING', 'medium'] },
      { combiner: 'AND', windows: ['259200s', '21600s'], thresholds: [1, 1], comparison: ['COMPARISON_GT', 'COMPARISON_GT'], severity: ['WARNING', 'medium'] },
    ]);
  });

  it('holds each burn-rate condition as long as the Prometheus alert of the same tier waits, so both fire together', () => {
    const p = props();
    const prometheusFor = new Map<string, number>();
    for (const group of serviceRuleGroups(p.platform, p.service)) {
      for (const rule of group.rules) {
        if (isAlertingRule(rule) && rule.alert === 'SloErrorBudgetBurn') {
          prometheusFor.set(`${rule.labels.slo}/${rule.labels.long_window}`, parseDuration(rule.for ?? '0s') ?? 0);
        }
      }
    }
    const gcp = policies(synth()).filter((policy) => policy.user_labels.windows !== undefined);
    expect(gcp.length).toBe(8);
    for (const policy of gcp) {
      const key = `${policy.user_labels.slo}/${policy.user_labels.windows.split('-')[0]}`;
      const held = policy.conditions.map((c) => Number(c.condition_threshold.duration.replace(/s$/, '')));
      expect({ key, held }).toEqual({ key, held: [prometheusFor.get(key), prometheusFor.get(key)] });
    }
    expect([...new Set(gcp.map((policy) => policy.conditions[0].condition_threshold.duration))].sort()).toEqual(['1440s', '360s', '4320s', '60s']);
  });

  it('uses the 28d burn factors for a 28d SLO', () => {
    const thresholds = burnPolicies(synth(), 'latency')
      .map((p) => p.conditions[0].condition_threshold.threshold_value)
      .sort((a, b) => b - a);
    expect(thresholds).toHaveLength(4);
    [13.44, 5.6, 2.8, 0.933].forEach((expected, i) => expect(thresholds[i]).toBeCloseTo(expected, 3));
  });

  it('points the burn-rate filters at the SLO resource name', () => {
    for (const policy of burnPolicies(synth(), 'availability')) {
      for (const condition of policy.conditions) {
        expect(condition.condition_threshold.filter).toMatch(/^select_slo_burn_rate\("\$\{google_monitoring_slo\.orders_slo-availability_[0-9A-F]+\.name\}", "\d+s"\)$/);
      }
    }
  });

  it('links the runbook of each alert under the runbook base URL and the service name', () => {
    const policy = burnPolicies(synth(), 'availability').find((p) => p.severity === 'CRITICAL');
    const url = 'https://runbooks.example.com/acme/orders/slo-error-budget-burn';
    expect(policy?.documentation.links).toEqual([{ display_name: 'Runbook', url }]);
    expect(policy?.documentation.content).toContain(url);
    expect(policy?.user_labels).toMatchObject({ alert: 'slo-error-budget-burn', slo: 'availability', windows: '1h-5m', severity: 'critical' });
  });

  it('notifies the receiver routed for each severity: pager for critical, chat for high (no time of day here), tickets for medium', () => {
    const json = synth();
    const channels = resources<{ type: string }>(json, 'google_monitoring_notification_channel');
    const typeOf = (ref: string): string | undefined => channels[/\.([^.]+)\.name\}$/.exec(ref)?.[1] ?? '']?.type;
    const bySeverity = Object.fromEntries(burnPolicies(json, 'availability').map((p) => [p.user_labels.severity, (p.notification_channels ?? []).map(typeOf)]));
    expect(bySeverity).toEqual({ critical: ['pagerduty'], high: ['slack'], medium: ['webhook_tokenauth'] });
  });

  it('creates one channel per receiver the service uses, and no channel for unused receivers', () => {
    const json = synth();
    const types = Object.values(resources<{ type: string }>(json, 'google_monitoring_notification_channel')).map((c) => c.type).sort();
    expect(types).toEqual(['pagerduty', 'slack', 'webhook_tokenauth']);
  });

  it('maps e-mail receivers to email channels with the address as a label', () => {
    const json = synth({ slos: [{ kind: 'availability', name: 'availability', objective: 99, burnRateTiers: [{ budgetPercent: 10, longWindow: '3d', shortWindow: '6h', severity: 'low' }] }] });
    expect(json).toHaveResourceWithProperties(MonitoringNotificationChannel, { type: 'email', labels: { email_address: 'oncall@example.com' } });
  });

  it('maps Slack receivers to slack channels whose token is a sensitive variable', () => {
    const json = synth({ environments: { prod: { alertRouting: { critical: 'chat' } } } });
    expect(json).toHaveResourceWithProperties(MonitoringNotificationChannel, {
      type: 'slack',
      labels: { channel_name: '#alerts' },
      sensitive_labels: { auth_token: '${var.notification_chat_auth_token}' },
    });
  });

  it('writes no literal secret: every sensitive label is a sensitive variable without a default', () => {
    const json = synth({ environments: { prod: { alertRouting: { high: 'chat' } } } });
    const parsed = JSON.parse(json) as { variable: Record<string, { sensitive?: boolean; default?: unknown; type: string }> };
    const channels = Object.values(resources<{ sensitive_labels?: Record<string, string> }>(json, 'google_monitoring_notification_channel'));
    const secrets = channels.flatMap((c) => Object.values(c.sensitive_labels ?? {}));
    expect(secrets.sort()).toEqual(['${var.notification_chat_auth_token}', '${var.notification_pager_service_key}']);
    for (const secret of secrets) {
      const name = /^\$\{var\.([a-z0-9_]+)\}$/.exec(secret)?.[1] ?? '';
      expect(parsed.variable[name]).toMatchObject({ sensitive: true, type: 'string' });
      expect(parsed.variable[name]).not.toHaveProperty('default');
    }
    // Nothing resembling a key or token anywhere else, and no uptime-check credentials.
    expect(json).not.toMatch(/"(service_key|auth_token|password|api_url)":\s*"(?!\$\{var\.)/);
    expect(json).not.toContain('auth_info');
  });

  it('checks the readiness path of the public host over HTTPS and alerts on it', () => {
    const json = synth();
    expect(json).toHaveResourceWithProperties(MonitoringUptimeCheckConfig, {
      http_check: expect.objectContaining({ path: '/ready', port: 443, use_ssl: true, validate_ssl: true, request_method: 'GET' }),
      monitored_resource: { type: 'uptime_url', labels: { host: 'orders.example.com', project_id: 'acme-prod-1234' } },
      period: '60s',
    });
    const uptime = policies(json).filter((p) => p.user_labels.alert === 'uptime-check-failed');
    expect(uptime).toHaveLength(1);
    expect(uptime[0].conditions[0].condition_threshold.filter).toMatch(/uptime_check\/check_passed.*check_id="\$\{google_monitoring_uptime_check_config\.orders_uptime-check_[0-9A-F]+\.uptime_check_id\}"/);
    expect(uptime[0].severity).toBe('CRITICAL');
    expect(uptime[0].documentation.links).toEqual([{ display_name: 'Runbook', url: 'https://runbooks.example.com/acme/orders/uptime-check-failed' }]);
  });

  it('creates no uptime check without a public host', () => {
    const json = synth({ gcp: { project: 'acme-prod-1234' } });
    expect(json).not.toHaveResource(MonitoringUptimeCheckConfig);
    expect(policies(json).filter((p) => p.user_labels.alert === 'uptime-check-failed')).toHaveLength(0);
    expect(json).toHaveResource(MonitoringSlo);
  });

  it('defaults the uptime path to / without a readiness probe and the uptime severity to the tier', () => {
    const json = synth({ tier: 'medium', health: {} });
    expect(json).toHaveResourceWithProperties(MonitoringUptimeCheckConfig, { http_check: expect.objectContaining({ path: '/' }) });
    expect(json).toHaveResourceWithProperties(MonitoringAlertPolicy, { severity: 'WARNING', user_labels: expect.objectContaining({ alert: 'uptime-check-failed', severity: 'medium' }) });
  });

  it('takes the uptime severity and period from props', () => {
    const json = synth({}, { uptimeSeverity: 'high', uptimeCheckPeriod: '300s' });
    expect(json).toHaveResourceWithProperties(MonitoringUptimeCheckConfig, { period: '300s' });
    expect(json).toHaveResourceWithProperties(MonitoringAlertPolicy, { severity: 'ERROR', user_labels: expect.objectContaining({ alert: 'uptime-check-failed', severity: 'high' }) });
  });

  it('skips custom PromQL SLOs with a warning', () => {
    let monitoring: GcpServiceMonitoring | undefined;
    const json = Testing.synthScope((scope) => {
      monitoring = new GcpServiceMonitoring(scope, 'orders', props({
        slos: [{ kind: 'custom', name: 'jobs', objective: 99, goodQuery: 'sum(rate(ok_total[{{window}}]))', totalQuery: 'sum(rate(all_total[{{window}}]))' }],
      }));
    });
    expect(json).not.toHaveResource(MonitoringSlo);
    expect(policies(json).filter((p) => p.user_labels.slo !== undefined)).toHaveLength(0);
    const warnings = monitoring?.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data)) ?? [];
    expect(warnings).toEqual([expect.stringMatching(/^SLO jobs is skipped: its SLI is PromQL .* cannot be expressed as a Cloud Monitoring SLI/)]);
  });

  it('reports a service without gcp settings', () => {
    const stack = new TerraformStack(Testing.app(), 'acme-prod');
    new GcpServiceMonitoring(stack, 'orders', props({ gcp: undefined }));
    expect(() => Testing.synth(stack, true)).toThrow('[acme-prod/orders] gcp: must be set for Cloud Monitoring (project, region, publicHost) (got undefined)');
  });

  it('reports an unsupported uptime check period', () => {
    const stack = new TerraformStack(Testing.app(), 'acme-prod');
    new GcpServiceMonitoring(stack, 'orders', props({}, { uptimeCheckPeriod: '30s' }));
    expect(() => Testing.synth(stack, true)).toThrow('[acme-prod/orders] uptimeCheckPeriod: must be one of 60s, 300s, 600s, 900s (got "30s")');
  });
});

describe('Cloud Monitoring filters from PromQL', () => {
  it('parses label matchers with every operator and escapes', () => {
    expect(parseSelector('code=~"5..", method!="OPTIONS",job="a\\"b",x!~"y"')).toEqual([
      { name: 'code', op: '=~', value: '5..' },
      { name: 'method', op: '!=', value: 'OPTIONS' },
      { name: 'job', op: '=', value: 'a"b' },
      { name: 'x', op: '!~', value: 'y' },
    ]);
    expect(parseSelector('')).toEqual([]);
    expect(parseSelector('code=5')).toBeUndefined();
    expect(parseSelector('{code="5"}')).toBeUndefined();
  });

  it('puts target labels on the resource and the others on the metric', () => {
    expect(matcherFilter({ name: 'instance', op: '=', value: 'a' })).toBe('resource.labels.instance="a"');
    expect(matcherFilter({ name: 'code', op: '!=', value: '200' })).toBe('metric.labels.code!="200"');
    expect(matcherFilter({ name: 'code', op: '!~', value: '2..' })).toBe('NOT metric.labels.code=monitoring.regex.full_match("2..")');
  });

  it('refuses a selector it cannot translate', () => {
    expect(() => prometheusMetricFilter({ name: 'a', namespace: 'b' }, 'm', 'counter', ['nope'])).toThrow('not a list of PromQL label matchers: nope');
  });

  it('gives lookbacks in seconds', () => {
    expect(['5m', '1h', '1d', '3d'].map(lookback)).toEqual(['300s', '3600s', '86400s', '259200s']);
  });
});
