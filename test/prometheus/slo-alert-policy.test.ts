import { PrometheusRule as PrometheusRuleModel } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { Testing } from 'cdk8s';
import { SloAlertPolicy } from '../../lib/prometheus/slo-alert-policy';
import { serviceRuleGroups } from '../../lib/prometheus';
import { EffectiveService } from '../../lib/definition';
import { RULES_PLATFORM as platform, ruleService as service } from '../fixtures/prometheus';

type Manifest = {
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: { groups: { name: string; rules: Record<string, unknown>[] }[] };
};

function synth(s: EffectiveService): Manifest[] {
  const chart = Testing.chart();
  new SloAlertPolicy(chart, 'alerts', { platform, service: s });
  return Testing.synth(chart) as Manifest[];
}

describe('SloAlertPolicy', () => {
  const [rule] = synth(service('checkout'));

  it('synthesizes one PrometheusRule named after the service, in its namespace, with the platform labels', () => {
    expect(rule.kind).toBe('PrometheusRule');
    expect(rule.metadata.name).toBe('checkout');
    expect(rule.metadata.namespace).toBe('payments');
    expect(rule.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'checkout',
      'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/managed-by': 'ops-constructs',
      team: 'payments',
    });
  });

  it('carries every generated group and rule, with expressions as strings and keep_firing_for in snake case', () => {
    const groups = serviceRuleGroups(platform, service('checkout'));
    expect(rule.spec.groups.map((g) => g.name)).toEqual(groups.map((g) => g.name));
    expect(rule.spec.groups.map((g) => g.rules.length)).toEqual(groups.map((g) => g.rules.length));
    const symptoms = rule.spec.groups.find((g) => g.name === 'checkout-symptoms');
    expect(symptoms).toBeDefined();
    const errorRate = symptoms?.rules.find((r) => r.alert === 'ServiceErrorRateHigh');
    expect(errorRate).toMatchObject({ for: '5m', keep_firing_for: '5m', labels: { severity: 'high', service: 'checkout', team: 'payments' } });
    expect(typeof errorRate?.expr).toBe('string');
  });

  it('validates against the PrometheusRule schema for every service and environment', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      for (const name of ['checkout', 'catalog', 'notifier']) {
        const [manifest] = synth(service(name, env));
        expect(() => new PrometheusRuleModel(manifest as unknown as ConstructorParameters<typeof PrometheusRuleModel>[0]).validate()).not.toThrow();
      }
    }
  });

  it('fails the schema check when a rule has no expression (the check can fail)', () => {
    const broken = { ...rule, spec: { groups: [{ name: 'g', rules: [{ alert: 'X' }] }] } };
    expect(() => new PrometheusRuleModel(broken as unknown as ConstructorParameters<typeof PrometheusRuleModel>[0]).validate()).toThrow(/expr/);
  });

  it('fails on invalid PromQL naming the construct path and the expression', () => {
    const chart = Testing.chart();
    const run = (): unknown =>
      new SloAlertPolicy(chart, 'alerts', {
        platform,
        service: service('checkout'),
        additionalGroups: [{ name: 'extra', rules: [{ alert: 'Broken', expr: 'sum(rate(x[5m])', labels: {}, annotations: {} }] }],
      });
    expect(run).toThrow(`[${chart.node.path}/alerts] extra/Broken: invalid PromQL at offset 15: unexpected end of expression\n    sum(rate(x[5m])`);
  });

  it('adds extra labels without letting them replace the standard ones', () => {
    const chart = Testing.chart();
    new SloAlertPolicy(chart, 'alerts', { platform, service: service('catalog'), labels: { prometheus: 'main', team: 'other' } });
    const [m] = Testing.synth(chart) as Manifest[];
    expect(m.metadata.labels).toMatchObject({ prometheus: 'main', team: 'merchandising' });
  });

  it('matches the reviewed snapshot', () => {
    expect(synth(service('notifier', 'dev'))).toMatchSnapshot();
  });
});
