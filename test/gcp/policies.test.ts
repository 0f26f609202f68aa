import { DefinitionError, ServiceDefinitionInput, receiverFor } from '../../lib/definition';
import {
  GCP_SEVERITY,
  GcpAlertPolicy,
  GcpMonitoringPlan,
  UPTIME_CHECK_SETTINGS,
  conditionFilter,
  gcpMonitoringIssues,
  gcpMonitoringPlan,
  planPolicies,
  usedReceivers,
} from '../../lib/gcp/policies';
import { isAlertingRule, serviceRuleGroups } from '../../lib/prometheus';
import { parseDuration } from '../../lib/promql/duration';
import { gcpService } from '../fixtures/gcp';

function plan(input: Partial<ServiceDefinitionInput> = {}, environment = 'prod'): GcpMonitoringPlan {
  const { platform, service } = gcpService(input, environment);
  return gcpMonitoringPlan(platform, service);
}

function burnPolicies(p: GcpMonitoringPlan, slo: string): readonly GcpAlertPolicy[] {
  return p.slos.find((s) => s.sloId === slo)?.burnRatePolicies ?? [];
}

describe('gcpMonitoringPlan', () => {
  it('names the custom service after the service and environment, with the labels of every resource', () => {
    expect(plan().customService).toEqual({
      serviceId: 'orders-prod',
      displayName: 'orders (prod)',
      userLabels: { environment: 'prod', platform: 'acme', service: 'orders', team: 'shop', tier: 'critical' },
    });
    expect(plan({}, 'dev').customService.serviceId).toBe('orders-dev');
    expect(plan().project).toBe('acme-prod-1234');
  });

  it('makes one SLO per availability or latency SLO, by name, goal as a ratio and the period in days', () => {
    expect(plan().slos.map(({ sloId, goal, rollingPeriodDays, userLabels }) => ({ sloId, goal, rollingPeriodDays, slo: userLabels.slo }))).toEqual([
      { sloId: 'availability', goal: 0.999, rollingPeriodDays: 30, slo: 'availability' },
      { sloId: 'latency', goal: 0.99, rollingPeriodDays: 28, slo: 'latency' },
    ]);
    expect(plan({ slos: [{ kind: 'availability', name: 'a', objective: 95, period: '7d' }] }).slos[0].rollingPeriodDays).toBe(7);
  });

  it('alerts per burn-rate tier with AND over a long and a short select_slo_burn_rate window at the 30d factors', () => {
    const summary = burnPolicies(plan(), 'availability').map((p) => ({
      combiner: p.combiner,
      lookbacks: p.conditions.map((c) => (c.source.kind === 'slo-burn-rate' ? c.source.lookback : undefined)),
      thresholds: p.conditions.map((c) => c.thresholdValue),
      severity: [GCP_SEVERITY[p.severity], p.severity],
    }));
    expect(summary).toEqual([
      { combiner: 'AND', lookbacks: ['3600s', '300s'], thresholds: [14.4, 14.4], severity: ['CRITICAL', 'critical'] },
      { combiner: 'AND', lookbacks: ['21600s', '1800s'], thresholds: [6, 6], severity: ['ERROR', 'high'] },
      { combiner: 'AND', lookbacks: ['86400s', '7200s'], thresholds: [3, 3], severity: ['WARNING', 'medium'] },
      { combiner: 'AND', lookbacks: ['259200s', '21600s'], thresholds: [1, 1], severity: ['WARNING', 'medium'] },
    ]);
    for (const policy of burnPolicies(plan(), 'availability')) {
      expect(policy.conditions.map((c) => c.comparison)).toEqual(['COMPARISON_GT', 'COMPARISON_GT']);
      expect(policy.conditions.every((c) => c.source.kind === 'slo-burn-rate' && c.source.slo === 'availability')).toBe(true);
    }
  });

  it('uses the 28d burn factors for a 28d SLO', () => {
    const thresholds = burnPolicies(plan(), 'latency').map((p) => p.conditions[0].thresholdValue);
    expect(thresholds).toHaveLength(4);
    [13.44, 5.6, 2.8, 0.933].forEach((expected, i) => expect(thresholds[i]).toBeCloseTo(expected, 3));
  });

  it('holds each burn-rate condition as long as the Prometheus alert of the same tier waits', () => {
    const { platform, service } = gcpService();
    const prometheusFor = new Map<string, number | undefined>();
    for (const group of serviceRuleGroups(platform, service)) {
      for (const rule of group.rules) {
        if (isAlertingRule(rule) && rule.alert === 'SloErrorBudgetBurn') prometheusFor.set(`${rule.labels.slo}/${rule.labels.long_window}`, parseDuration(rule.for ?? '0s'));
      }
    }
    const policies = plan().slos.flatMap((s) => s.burnRatePolicies);
    expect(policies).toHaveLength(8);
    for (const policy of policies) {
      const key = `${policy.userLabels.slo}/${policy.userLabels.windows.split('-')[0]}`;
      expect({ key, held: policy.conditions.map((c) => parseDuration(c.duration)) }).toEqual({ key, held: [prometheusFor.get(key), prometheusFor.get(key)] });
    }
  });

  it('titles and documents each burn-rate policy, with the runbook of the Prometheus alert of the same name', () => {
    const policy = burnPolicies(plan(), 'availability')[0];
    const runbook = 'https://runbooks.example.com/acme/prod/services/orders/alerts/slo-error-budget-burn.md';
    expect(policy).toMatchObject({
      id: 'burn-rate-availability-1h-5m',
      key: 'availability-1h-5m',
      alert: 'SloErrorBudgetBurn',
      displayName: 'orders (prod): availability burn rate above 14.4 over 1h and 5m',
      userLabels: { alert: 'slo-error-budget-burn', slo: 'availability', windows: '1h-5m', severity: 'critical', service: 'orders', environment: 'prod' },
    });
    expect(policy.documentation).toEqual({
      subject: '[critical] orders (prod): availability burn rate above 14.4 over 1h and 5m',
      content: [
        'orders in prod is spending the error budget of SLO availability (99.9% of requests succeed over 30d) 14.4 times faster than sustainable:',
        'at this rate 2% of the 30d budget goes within 1h. Both the 1h and the 5m windows are above the threshold.',
        '',
        `Runbook: ${runbook}`,
      ].join('\n'),
      runbook,
    });
  });

  it('notifies the receiver the notification policy names: pager for critical, chat for high (no time of day here), tickets for medium', () => {
    const bySeverity = Object.fromEntries(burnPolicies(plan(), 'availability').map((p) => [p.severity, p.receiver]));
    expect(bySeverity).toEqual({ critical: 'pager', high: 'chat', medium: 'tickets' });
  });

  it('notifies high through the high receiver when the routing has no after-hours receiver, and nobody for a dropped severity', () => {
    const { platform, service } = gcpService({}, 'prod', { defaultAlertRouting: { critical: 'pager', high: 'pager', medium: 'tickets', low: 'none' } });
    expect(burnPolicies(gcpMonitoringPlan(platform, service), 'availability').map((p) => [p.severity, p.receiver])).toEqual([
      ['critical', 'pager'],
      ['high', 'pager'],
      ['medium', 'tickets'],
      ['medium', 'tickets'],
    ]);
    expect(receiverFor({ alertRouting: { high: 'pager', highOutsideBusinessHours: 'chat' } }, 'high')).toBe('chat');
    expect(receiverFor({ alertRouting: { low: 'none' } }, 'low')).toBeUndefined();
    const dropped = plan({
      slos: [{ kind: 'availability', name: 'availability', objective: 99, burnRateTiers: [{ budgetPercent: 10, longWindow: '3d', shortWindow: '6h', severity: 'low' }] }],
      environments: { prod: { alertRouting: { low: 'none' } } },
    });
    expect(burnPolicies(dropped, 'availability').map((p) => [p.severity, p.receiver])).toEqual([['low', undefined]]);
  });

  it('lists the receivers the policies notify, sorted, once each', () => {
    const { service } = gcpService();
    expect(usedReceivers(service)).toEqual(['chat', 'pager', 'tickets']);
    expect(usedReceivers(gcpService({ gcp: undefined }).service)).toEqual([]);
  });

  it('checks the public host over HTTPS at the definition uptime check: readiness path, every minute, the tier severity by default', () => {
    const uptime = plan().uptime;
    expect(uptime?.check).toEqual({
      displayName: 'orders (prod): https://orders.example.com/ready',
      host: 'orders.example.com',
      path: '/ready',
      period: '60s',
      timeout: UPTIME_CHECK_SETTINGS.timeout,
      checkerType: 'STATIC_IP_CHECKERS',
      userLabels: { environment: 'prod', platform: 'acme', service: 'orders', team: 'shop', tier: 'critical' },
    });
    expect(uptime?.policy).toMatchObject({ id: 'uptime-alert', key: 'uptime', alert: 'UptimeCheckFailed', severity: 'critical', receiver: 'pager', combiner: 'OR' });
    expect(uptime?.policy.userLabels).toMatchObject({ alert: 'uptime-check-failed', severity: 'critical' });
    expect(uptime?.policy.documentation.runbook).toBe('https://runbooks.example.com/acme/prod/services/orders/alerts/uptime-check-failed.md');
  });

  it('defaults the uptime path to / without a readiness probe and the severity to the tier', () => {
    const uptime = plan({ tier: 'medium', health: {} }).uptime;
    expect(uptime?.check.path).toBe('/');
    expect(uptime?.policy).toMatchObject({ severity: 'medium', receiver: 'tickets', displayName: 'orders (prod): uptime check of https://orders.example.com/ failing' });
  });

  it('takes the path, period and severity of the uptime check from the definition', () => {
    const uptime = plan({ uptimeCheck: { path: '/healthz', period: '300s', severity: 'high' } }).uptime;
    expect(uptime?.check).toMatchObject({ path: '/healthz', period: '300s' });
    expect(uptime?.policy).toMatchObject({ severity: 'high', receiver: 'chat' });
    expect(uptime?.policy.displayName).toBe('orders (prod): uptime check of https://orders.example.com/healthz failing');
  });

  it('counts failing checker regions over 20 minutes and fires beyond one for a minute', () => {
    expect(plan().uptime?.policy.conditions).toEqual([
      {
        displayName: 'uptime check fails from more than one region',
        source: { kind: 'uptime-check' },
        aggregations: [{ alignmentPeriod: '1200s', perSeriesAligner: 'ALIGN_NEXT_OLDER', crossSeriesReducer: 'REDUCE_COUNT_FALSE', groupByFields: ['resource.label.*'] }],
        comparison: 'COMPARISON_GT',
        thresholdValue: 1,
        duration: '60s',
        triggerCount: 1,
      },
    ]);
  });

  it('makes no uptime check without a public host', () => {
    const p = plan({ gcp: { project: 'acme-prod-1234' } });
    expect(p.uptime).toBeUndefined();
    expect(planPolicies(p).map((policy) => policy.alert)).not.toContain('UptimeCheckFailed');
    expect(p.slos).toHaveLength(2);
  });

  it('skips custom PromQL SLOs and notes a request-rate guard it cannot apply, as warnings', () => {
    const p = plan({
      slos: [
        { kind: 'custom', name: 'jobs', objective: 99, goodQuery: 'sum(rate(ok_total[{{window}}]))', totalQuery: 'sum(rate(all_total[{{window}}]))' },
        { kind: 'availability', name: 'availability', objective: 99.9, minRequestRate: 1 },
      ],
    });
    expect(p.slos.map((s) => s.sloId)).toEqual(['availability']);
    expect(p.warnings).toEqual([
      expect.stringMatching(/^SLO availability: minRequestRate 1 is not applied to the Cloud Monitoring burn-rate policies/),
      expect.stringMatching(/^SLO jobs is skipped: its SLI is PromQL .* cannot be expressed as a Cloud Monitoring SLI/),
    ]);
  });

  it('lists every policy, burn-rate SLO by SLO and then the uptime policy', () => {
    expect(planPolicies(plan()).map((p) => p.id)).toEqual([
      'burn-rate-availability-1h-5m',
      'burn-rate-availability-6h-30m',
      'burn-rate-availability-1d-2h',
      'burn-rate-availability-3d-6h',
      'burn-rate-latency-1h-5m',
      'burn-rate-latency-6h-30m',
      'burn-rate-latency-1d-2h',
      'burn-rate-latency-3d-6h',
      'uptime-alert',
    ]);
  });

  it('is the same plain data for the same definition', () => {
    expect(JSON.stringify(plan())).toBe(JSON.stringify(plan()));
    expect(JSON.parse(JSON.stringify(plan()))).toEqual(plan());
  });

  it('refuses a service without gcp settings, naming the field', () => {
    const { platform, service } = gcpService({ gcp: undefined });
    expect(gcpMonitoringIssues(service)).toEqual([{ path: 'gcp', problem: 'must be set for Cloud Monitoring (project, region, publicHost)', value: undefined }]);
    expect(() => gcpMonitoringPlan(platform, service)).toThrow(DefinitionError);
    expect(() => gcpMonitoringPlan(platform, service)).toThrow('orders.gcp: must be set for Cloud Monitoring (project, region, publicHost) (got undefined)');
  });
});

describe('conditionFilter', () => {
  it('selects the burn rate of the SLO resource over the lookback', () => {
    expect(conditionFilter({ kind: 'slo-burn-rate', slo: 'availability', lookback: '3600s' }, { sloName: (slo) => `projects/1/services/s/serviceLevelObjectives/${slo}` })).toBe(
      'select_slo_burn_rate("projects/1/services/s/serviceLevelObjectives/availability", "3600s")',
    );
  });

  it('selects check_passed of the uptime check and a log-based metric by its name', () => {
    expect(conditionFilter({ kind: 'uptime-check' }, { uptimeCheckId: 'orders-abc' })).toBe(
      'metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND metric.labels.check_id="orders-abc" AND resource.type="uptime_url"',
    );
    expect(conditionFilter({ kind: 'log-metric', key: 'errors' }, { logMetricName: (key) => `orders-${key}` })).toBe('metric.type="logging.googleapis.com/user/orders-errors" AND resource.type="k8s_container"');
  });

  it('refuses a condition whose referenced resource is not given', () => {
    expect(() => conditionFilter({ kind: 'uptime-check' }, {})).toThrow('references: must name the uptime check, which the condition reads (got undefined)');
  });
});
