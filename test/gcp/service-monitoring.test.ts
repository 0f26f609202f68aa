import { MonitoringAlertPolicy } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { MonitoringCustomService } from '@cdktf/provider-google/lib/monitoring-custom-service';
import { MonitoringSlo } from '@cdktf/provider-google/lib/monitoring-slo';
import { MonitoringUptimeCheckConfig } from '@cdktf/provider-google/lib/monitoring-uptime-check-config';
import { AnnotationMetadataEntryType, Testing, TerraformStack } from 'cdktf';
import { setupJest } from 'cdktf/lib/testing/adapters/jest';
import { ServiceDefinitionInput } from '../../lib/definition';
import { GcpNotificationChannels, GcpServiceMonitoring, GcpServiceMonitoringProps, gcpMonitoringPlan } from '../../lib/gcp';
import { isAlertingRule, serviceRuleGroups } from '../../lib/prometheus';
import { parseDuration } from '../../lib/promql/duration';
import { gcpService, resourcesOf } from '../fixtures/gcp';

setupJest();

function props(input: Partial<ServiceDefinitionInput> = {}, extra: Partial<GcpServiceMonitoringProps> = {}): GcpServiceMonitoringProps {
  return { ...gcpService(input), ...extra };
}

function synth(input: Partial<ServiceDefinitionInput> = {}): string {
  return Testing.synthScope((scope) => {
    new GcpServiceMonitoring(scope, 'orders', props(input));
  });
}

interface Condition { display_name: string; condition_threshold: { filter: string; threshold_value: number; comparison: string; duration: string; trigger: { count: number } } }
interface Policy {
  combiner: string;
  display_name: string;
  severity: string;
  conditions: Condition[];
  notification_channels?: string[];
  user_labels: Record<string, string>;
  documentation: { subject: string; content: string; links: { url: string }[] };
}

function policies(json: string): Policy[] {
  return Object.values(resourcesOf<Policy>(json, 'google_monitoring_alert_policy'));
}

describe('GcpServiceMonitoring', () => {
  it('writes the custom service of the plan', () => {
    expect(synth()).toHaveResourceWithProperties(MonitoringCustomService, {
      service_id: 'orders-prod',
      project: 'acme-prod-1234',
      display_name: 'orders (prod)',
      user_labels: { environment: 'prod', platform: 'acme', service: 'orders', team: 'shop', tier: 'critical' },
    });
  });

  it('writes each SLO of the plan under the custom service it references', () => {
    const json = synth();
    const base =
      'metric.type="prometheus.googleapis.com/http_requests_total/counter" AND resource.type="prometheus_target" AND resource.labels.namespace="shop" AND resource.labels.job="orders"';
    expect(json).toHaveResourceWithProperties(MonitoringSlo, {
      slo_id: 'availability',
      goal: 0.999,
      rolling_period_days: 30,
      service: expect.stringMatching(/^\$\{google_monitoring_custom_service\.orders_service_[0-9A-F]+\.service_id\}$/),
      request_based_sli: { good_total_ratio: { bad_service_filter: `${base} AND metric.labels.code=monitoring.regex.full_match("5..")`, total_service_filter: base } },
    });
    expect(json).toHaveResourceWithProperties(MonitoringSlo, { slo_id: 'latency', rolling_period_days: 28, request_based_sli: { distribution_cut: expect.objectContaining({ range: { max: 0.25 } }) } });
  });

  it('writes one policy per plan policy, the burn-rate filters pointing at the SLO resource names', () => {
    const { platform, service } = gcpService();
    const written = policies(synth());
    const plan = gcpMonitoringPlan(platform, service);
    expect(written.map((p) => p.display_name).sort()).toEqual([...plan.slos.flatMap((s) => s.burnRatePolicies), ...(plan.uptime ? [plan.uptime.policy] : [])].map((p) => p.displayName).sort());
    for (const policy of written.filter((p) => p.user_labels.slo !== undefined)) {
      for (const condition of policy.conditions) {
        expect(condition.condition_threshold.filter).toMatch(new RegExp(`^select_slo_burn_rate\\("\\$\\{google_monitoring_slo\\.orders_slo-${policy.user_labels.slo}_[0-9A-F]+\\.name\\}", "\\d+s"\\)$`));
        expect(condition.condition_threshold.trigger).toEqual({ count: 1 });
      }
    }
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

  it('links the runbook of each alert and maps the severity', () => {
    const policy = policies(synth()).find((p) => p.user_labels.windows === '1h-5m' && p.user_labels.slo === 'availability');
    const url = 'https://runbooks.example.com/acme/prod/services/orders/alerts/slo-error-budget-burn.md';
    expect(policy?.severity).toBe('CRITICAL');
    expect(policy?.documentation.links).toEqual([{ display_name: 'Runbook', url }]);
    expect(policy?.documentation.content).toContain(url);
  });

  it('notifies the channel of the receiver routed for each severity, and creates channels for those receivers only', () => {
    const json = synth();
    const channels = resourcesOf<{ type: string }>(json, 'google_monitoring_notification_channel');
    const typeOf = (ref: string): string | undefined => channels[/\.([^.]+)\.name\}$/.exec(ref)?.[1] ?? '']?.type;
    const bySeverity = Object.fromEntries(policies(json).filter((p) => p.user_labels.slo === 'availability').map((p) => [p.user_labels.severity, (p.notification_channels ?? []).map(typeOf)]));
    expect(bySeverity).toEqual({ critical: ['pagerduty'], high: ['slack'], medium: ['webhook_tokenauth'] });
    expect(Object.values(channels).map((c) => c.type).sort()).toEqual(['pagerduty', 'slack', 'webhook_tokenauth']);
  });

  it('notifies nobody for a severity dropped on purpose', () => {
    const json = synth({
      slos: [{ kind: 'availability', name: 'availability', objective: 99, burnRateTiers: [{ budgetPercent: 10, longWindow: '3d', shortWindow: '6h', severity: 'low' }] }],
      gcp: { project: 'acme-prod-1234' },
      environments: { prod: { alertRouting: { low: 'none' } } },
    });
    expect(policies(json)).toHaveLength(1);
    expect(policies(json)[0]).not.toHaveProperty('notification_channels');
    expect(resourcesOf(json, 'google_monitoring_notification_channel')).toEqual({});
  });

  it('checks the uptime path of the definition over HTTPS and alerts on the check it references', () => {
    const json = synth();
    expect(json).toHaveResourceWithProperties(MonitoringUptimeCheckConfig, {
      http_check: expect.objectContaining({ path: '/ready', port: 443, use_ssl: true, validate_ssl: true, request_method: 'GET', accepted_response_status_codes: [{ status_class: 'STATUS_CLASS_2XX' }] }),
      monitored_resource: { type: 'uptime_url', labels: { host: 'orders.example.com', project_id: 'acme-prod-1234' } },
      period: '60s',
      timeout: '10s',
      checker_type: 'STATIC_IP_CHECKERS',
    });
    const uptime = policies(json).filter((p) => p.user_labels.alert === 'uptime-check-failed');
    expect(uptime).toHaveLength(1);
    expect(uptime[0].conditions[0].condition_threshold.filter).toMatch(/uptime_check\/check_passed.*check_id="\$\{google_monitoring_uptime_check_config\.orders_uptime-check_[0-9A-F]+\.uptime_check_id\}"/);
    expect(uptime[0].severity).toBe('CRITICAL');
  });

  it('takes the uptime period and severity from the definition, and exposes them', () => {
    let monitoring: GcpServiceMonitoring | undefined;
    const json = Testing.synthScope((scope) => {
      monitoring = new GcpServiceMonitoring(scope, 'orders', props({ uptimeCheck: { period: '300s', severity: 'high', path: '/healthz' } }));
    });
    expect(json).toHaveResourceWithProperties(MonitoringUptimeCheckConfig, { period: '300s', http_check: expect.objectContaining({ path: '/healthz' }) });
    expect(json).toHaveResourceWithProperties(MonitoringAlertPolicy, { severity: 'ERROR', user_labels: expect.objectContaining({ alert: 'uptime-check-failed', severity: 'high' }) });
    expect([monitoring?.uptimeCheckPeriod, monitoring?.uptimeSeverity]).toEqual(['300s', 'high']);
  });

  it('defaults the uptime period to 60s and the severity to the tier', () => {
    let monitoring: GcpServiceMonitoring | undefined;
    Testing.synthScope((scope) => {
      monitoring = new GcpServiceMonitoring(scope, 'orders', props({ tier: 'medium' }));
    });
    expect([monitoring?.uptimeCheckPeriod, monitoring?.uptimeSeverity]).toEqual(['60s', 'medium']);
  });

  it('creates no uptime check without a public host', () => {
    const json = synth({ gcp: { project: 'acme-prod-1234' } });
    expect(json).not.toHaveResource(MonitoringUptimeCheckConfig);
    expect(policies(json).filter((p) => p.user_labels.alert === 'uptime-check-failed')).toHaveLength(0);
    expect(json).toHaveResource(MonitoringSlo);
  });

  it('keeps text from the definition literal for Terraform', () => {
    const json = synth({
      slos: [{ kind: 'availability', name: 'availability', objective: 99.9, description: 'Costs ${var.x} and %{if y}', badSelector: 'code=~"5..", route="/${a}"' }],
      uptimeCheck: { path: '/ready/${b}' },
    });
    expect(json).toHaveResourceWithProperties(MonitoringSlo, {
      display_name: 'Costs $${var.x} and %%{if y}',
      request_based_sli: { good_total_ratio: expect.objectContaining({ bad_service_filter: expect.stringContaining('metric.labels.route="/$${a}"') }) },
    });
    expect(json).toHaveResourceWithProperties(MonitoringUptimeCheckConfig, { http_check: expect.objectContaining({ path: '/ready/$${b}' }) });
    const uptime = policies(json).find((p) => p.user_labels.alert === 'uptime-check-failed');
    expect(uptime?.display_name).toBe('orders (prod): uptime check of https://orders.example.com/ready/$${b} failing');
    expect(uptime?.documentation.subject).toBe('[critical] orders (prod): uptime check of https://orders.example.com/ready/$${b} failing');
    const burn = policies(json).find((p) => p.user_labels.windows === '1h-5m');
    expect(burn?.documentation.content).toContain('(Costs $${var.x} and %%{if y})');
  });

  it('skips custom PromQL SLOs with a warning on the construct', () => {
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

  it('exposes the plan it wrote and its resources by key', () => {
    let monitoring: GcpServiceMonitoring | undefined;
    Testing.synthScope((scope) => {
      monitoring = new GcpServiceMonitoring(scope, 'orders', props());
    });
    const { platform, service } = gcpService();
    expect(monitoring?.plan).toEqual(gcpMonitoringPlan(platform, service));
    expect(Object.keys(monitoring?.slos ?? {})).toEqual(['availability', 'latency']);
    expect(Object.keys(monitoring?.burnRatePolicies ?? {})).toContain('latency-3d-6h');
    expect(monitoring?.uptimePolicy).toBeDefined();
  });

  it('uses the stack channels by default, and the channels given otherwise', () => {
    const stack = new TerraformStack(Testing.app(), 'acme-prod');
    const p = props();
    const byDefault = new GcpServiceMonitoring(stack, 'orders', p);
    expect(byDefault.notificationChannels).toBe(stack.node.findChild(GcpNotificationChannels.ID));
    const other = new TerraformStack(Testing.app(), 'acme-other');
    const given = GcpNotificationChannels.of(other, p.platform);
    const inner = new TerraformStack(Testing.app(), 'acme-inner');
    const explicit = new GcpServiceMonitoring(inner, 'orders', { ...p, notificationChannels: given });
    expect(explicit.notificationChannels).toBe(given);
    expect(inner.node.tryFindChild(GcpNotificationChannels.ID)).toBeUndefined();
  });

  it('reports a service without gcp settings with the construct path, and writes nothing', () => {
    const stack = new TerraformStack(Testing.app(), 'acme-prod');
    const monitoring = new GcpServiceMonitoring(stack, 'orders', props({ gcp: undefined }));
    expect(() => Testing.synth(stack, true)).toThrow('[acme-prod/orders] gcp: must be set for Cloud Monitoring (project, region, publicHost) (got undefined)');
    expect(monitoring.plan).toBeUndefined();
    expect(monitoring.customService).toBeUndefined();
  });
});
