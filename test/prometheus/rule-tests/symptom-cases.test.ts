import { EffectiveService, effectiveServices } from '../../../lib/definition';
import { RuleGroup, SYMPTOM_ALERTS, alertNames } from '../../../lib/prometheus';
import { symptomTestGroups } from '../../../lib/prometheus/rule-tests/symptom-cases';
import { RULES_PLATFORM, ruleGroupsOf, ruleService, rulesPlatform } from '../../fixtures/prometheus';
import { service } from '../../fixtures/definitions';
import { SHARED_PLATFORM, sharedService } from '../shared-series';
import { serviceRuleGroups } from '../../../lib/prometheus';
import { resolveEnvironment } from '../../../lib/definition';

const testsOf = (s: EffectiveService) => symptomTestGroups(ruleGroupsOf(s), s);
const named = (s: EffectiveService, name: string) => {
  const found = testsOf(s).find((t) => t.name === name);
  if (found === undefined) throw new Error(`no test "${name}" among ${testsOf(s).map((t) => t.name).join(', ')}`);
  return found;
};
const checkout = ruleService('checkout');

describe('symptomTestGroups', () => {
  it('has a firing and a quiet case for every symptom alert of every service and environment', () => {
    for (const s of effectiveServices(RULES_PLATFORM)) {
      const tests = testsOf(s);
      const symptoms = alertNames(ruleGroupsOf(s).filter((g) => g.name.endsWith('-symptoms'))).filter((n) => n.startsWith('Service'));
      expect(symptoms.length).toBeGreaterThanOrEqual(4);
      for (const name of symptoms) {
        const cases = tests.filter((t) => t.alert_rule_test.some((a) => a.alertname === name));
        expect(cases.filter((t) => t.alert_rule_test.every((a) => a.exp_alerts.length > 0)).length).toBeGreaterThanOrEqual(1);
        expect(cases.filter((t) => t.alert_rule_test.every((a) => a.exp_alerts.length === 0)).length).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('covers every symptom alert the rules know', () => {
    const tested = new Set(testsOf(checkout).flatMap((t) => t.alert_rule_test.map((a) => a.alertname)));
    expect(Object.values(SYMPTOM_ALERTS).filter((name) => !tested.has(name))).toEqual([]);
  });

  it('names each case after the service, the alert, its SLO and the outcome', () => {
    expect(testsOf(ruleService('notifier', 'dev')).map((t) => t.name)).toEqual([
      'notifier ServiceDown fires',
      'notifier ServiceDown fires without any target',
      'notifier ServiceDown stays quiet',
      'notifier ServiceCrashLooping fires',
      'notifier ServiceCrashLooping stays quiet',
      'notifier ServicePodNotReady fires',
      'notifier ServicePodNotReady stays quiet',
      'notifier ServiceCpuSaturated fires',
      'notifier ServiceCpuSaturated stays quiet',
    ]);
    expect(testsOf(checkout).map((t) => t.name)).toContain('checkout ServiceLatencyHigh (SLO latency) fires');
  });

  it('expects ServiceDown without any target to carry only the selector labels absent() gives', () => {
    const absent = named(checkout, 'checkout ServiceDown fires without any target');
    expect(absent.input_series.map((s) => s.series)).toEqual(['up{instance="10.0.0.1:9090", job="other", namespace="payments", pod="checkout-7d9f8c6b5-x2x4z"}']);
    expect(absent.alert_rule_test[0].exp_alerts[0].exp_labels).toEqual({ job: 'checkout', namespace: 'payments', service: 'checkout', severity: 'critical', team: 'payments' });
  });

  it('saturates the CPU limit of the environment: 90% of 2 cores fires, 50% stays quiet', () => {
    const fires = named(checkout, 'checkout ServiceCpuSaturated fires');
    expect(fires.input_series.map((s) => s.values)).toEqual(['0+108x30', '2+0x30']);
    expect(named(checkout, 'checkout ServiceCpuSaturated stays quiet').input_series[0].values).toBe('0+60x30');
    expect(named(ruleService('checkout', 'dev'), 'checkout ServiceCpuSaturated fires').input_series[1].values).toBe('0.5+0x30');
  });

  it('runs the autoscaler at its maximum to fire and one below to stay quiet', () => {
    const values = (name: string) => named(checkout, name).input_series.map((s) => s.values);
    expect(values('checkout ServiceHpaMaxedOut fires')).toEqual(['20+0x30', '20+0x30']);
    expect(values('checkout ServiceHpaMaxedOut stays quiet')).toEqual(['19+0x30', '20+0x30']);
  });

  it('puts slow requests in the first bucket above the latency threshold', () => {
    const series = named(checkout, 'checkout ServiceLatencyHigh (SLO latency) fires').input_series;
    const bucket = (le: string) => series.find((s) => s.series.includes(`le="${le}"`))?.values;
    expect([bucket('0.25'), bucket('0.3'), bucket('0.5'), bucket('+Inf')]).toEqual(['0+0x30', '0+95x30', '0+100x30', '0+100x30']);
  });

  it('tests only the quiet case of a latency threshold at the largest finite bucket, where the alert cannot fire', () => {
    // The definition refuses such a threshold; the generator still emits no test that cannot pass.
    const s: EffectiveService = { ...checkout, metrics: { ...checkout.metrics, latencyBuckets: [0.1, 0.3] } };
    expect(testsOf(s).filter((t) => t.name.includes('ServiceLatencyHigh')).map((t) => t.name)).toEqual(['checkout ServiceLatencyHigh (SLO latency) stays quiet']);
  });

  it('gives no case to an alert it does not know, and none without the symptom group', () => {
    const groups: RuleGroup[] = [{ name: 'checkout-symptoms', rules: [{ alert: 'constructor', expr: 'vector(1)', labels: {}, annotations: {} }] }];
    expect(symptomTestGroups(groups, checkout)).toEqual([]);
    expect(symptomTestGroups([], checkout)).toEqual([]);
  });
});

describe('symptomTestGroups of latency SLOs over the same requests', () => {
  const percentiles = sharedService('percentiles');
  const tests = symptomTestGroups(serviceRuleGroups(SHARED_PLATFORM, percentiles), percentiles);
  const latencyTest = (fragment: string) => tests.find((t) => t.name.startsWith(`percentiles ServiceLatencyHigh (SLO ${fragment}`))!;
  const slos = (fragment: string) => latencyTest(fragment).alert_rule_test[0].exp_alerts.map((a) => a.exp_labels.slo);

  it('expects the alert of every other latency SLO whose threshold the 99th percentile of the same buckets exceeds', () => {
    // Firing the 1s SLO puts p99 at 1 + 1.5 × 4/5 = 2.2s, above 100ms; firing the 100ms SLO puts it at 0.26s, below 1s.
    expect(slos('slow) fires')).toEqual(['slow', 'fast']);
    expect(slos('fast) fires')).toEqual(['fast']);
    // Quiet for 1s is p99 = 0.3 + 0.7 × 990/995 ≈ 1s minus a little: still above 100ms.
    expect(slos('slow) stays quiet')).toEqual(['fast']);
    expect(slos('fast) stays quiet')).toEqual([]);
  });

  it('names the other SLOs expected to fire', () => {
    expect(tests.filter((t) => t.name.includes('ServiceLatencyHigh')).map((t) => t.name)).toEqual([
      'percentiles ServiceLatencyHigh (SLO fast) fires',
      'percentiles ServiceLatencyHigh (SLO fast) stays quiet',
      'percentiles ServiceLatencyHigh (SLO slow) fires; SLO fast fires on the same buckets',
      'percentiles ServiceLatencyHigh (SLO slow) stays quiet; SLO fast fires on the same buckets',
    ]);
  });

  it('expects only its own alert where the other SLO selects other requests', () => {
    const apart = rulesPlatform(
      service({
        name: 'apart',
        metrics: { latencyBuckets: [0.1, 0.3, 1, 2.5] },
        slos: [
          { kind: 'latency', name: 'fast', objective: 95, thresholdSeconds: 0.1, selector: 'handler="/search"' },
          { kind: 'latency', name: 'slow', objective: 99, thresholdSeconds: 1, selector: 'handler="/export"' },
        ],
      }),
    );
    const s = resolveEnvironment(apart, 'apart', 'prod');
    const latency = symptomTestGroups(serviceRuleGroups(apart, s), s).filter((t) => t.name.includes('ServiceLatencyHigh'));
    expect(latency.map((t) => t.alert_rule_test[0].exp_alerts.map((a) => a.exp_labels.slo))).toEqual([['fast'], [], ['slow'], []]);
  });
});
