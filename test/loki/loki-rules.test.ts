import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { DefinitionError } from '../../lib/definition';
import { LOKI_RULES_DEFAULTS, LokiRuleGroup, LokiRules, LokiRulesProps, MAX_CONFIG_MAP_BYTES, SIDECAR_DIRECTORY_ANNOTATION, renderLokiRuleFile, serviceLogRuleGroups } from '../../lib/loki';
import { KubeObject, schemaProblems } from '../support/schema';
import { definitionErrorOf } from '../support/tools';
import { lokiPlatform, resolved } from './loki-fixtures';

type ConfigMap = KubeObject & { metadata: { annotations?: Record<string, string> }; data: Record<string, string> };

const p = lokiPlatform({}, { monitoringNamespace: 'observability' });
const checkout = resolved(p);

function synth(props: Partial<LokiRulesProps> = {}): ConfigMap[] {
  const chart = Testing.chart();
  new LokiRules(chart, 'log-alerts', { platform: p, service: checkout, ...props });
  return Testing.synth(chart) as ConfigMap[];
}

const extraGroup = (changes: Partial<LokiRuleGroup> = {}): LokiRuleGroup => ({
  name: 'checkout-custom',
  rules: [{ alert: 'CheckoutSlowQueries', expr: 'sum(rate({app="checkout"} |= "slow query" [5m])) > 1', for: '5m', labels: { severity: 'low' }, annotations: { summary: 'slow queries' } }],
  ...changes,
});

describe('LokiRules', () => {
  const [configMap] = synth();

  it('synthesizes one ConfigMap for the Loki rules sidecar, in the monitoring namespace, holding the rule file', () => {
    expect(configMap.kind).toBe('ConfigMap');
    expect(configMap.metadata.name).toBe('shop-checkout-loki-rules');
    expect(configMap.metadata.namespace).toBe('observability');
    expect(configMap.metadata.labels).toEqual({
      loki_rule: '',
      'app.kubernetes.io/name': 'checkout',
      'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/managed-by': 'ops-constructs',
      team: 'payments',
    });
    expect(Object.keys(configMap.data)).toEqual(['shop-checkout.yaml']);
    expect(configMap.data['shop-checkout.yaml']).toBe(renderLokiRuleFile(serviceLogRuleGroups(p, checkout)));
  });

  it('labels it for the grafana/loki chart sidecar by default: loki_rule with an empty value', () => {
    expect(LOKI_RULES_DEFAULTS).toEqual({ sidecarLabel: 'loki_rule', sidecarLabelValue: '' });
    expect(configMap.metadata.labels).toHaveProperty('loki_rule', '');
  });

  it('validates against the Kubernetes ConfigMap schema, with every option set too', () => {
    expect(schemaProblems(configMap)).toEqual([]);
    const [full] = synth({ namespace: 'loki', tenant: 'fake', sidecarLabel: 'example.com/loki-rules', sidecarLabelValue: 'on', labels: { release: 'kube-prometheus-stack' }, additionalGroups: [extraGroup()] });
    expect(schemaProblems(full)).toEqual([]);
  });

  it('fails the schema check when the ConfigMap is broken (the check can fail)', () => {
    expect(schemaProblems({ ...configMap, data: { 'shop-checkout.yaml': 42 } } as unknown as KubeObject)).not.toEqual([]);
  });

  it('writes no ConfigMap for a service without log alerts', () => {
    const chart = Testing.chart();
    const rules = new LokiRules(chart, 'log-alerts', { platform: p, service: resolved(p, 'notifier') });
    expect(Testing.synth(chart)).toEqual([]);
    expect(rules.configMap).toBeUndefined();
    expect(rules.groups).toEqual([]);
  });

  it('puts the file in the tenant directory when a tenant is given, and leaves the annotation out by default', () => {
    expect(configMap.metadata.annotations).toBeUndefined();
    expect(synth({ tenant: 'fake' })[0].metadata.annotations).toEqual({ [SIDECAR_DIRECTORY_ANNOTATION]: 'fake' });
    expect(SIDECAR_DIRECTORY_ANNOTATION).toBe('k8s-sidecar-target-directory');
  });

  it('takes another namespace, sidecar label, label value and extra labels when given', () => {
    const [other] = synth({ namespace: 'loki', sidecarLabel: 'loki_rules', sidecarLabelValue: '1', labels: { release: 'loki' } });
    expect(other.metadata.namespace).toBe('loki');
    expect(other.metadata.labels).toMatchObject({ loki_rules: '1', release: 'loki' });
    expect(other.metadata.labels).not.toHaveProperty('loki_rule');
  });

  it('ships the groups it is given instead of building them, and appends additional groups after them', () => {
    const given = [extraGroup({ name: 'given' })];
    const chart = Testing.chart();
    const rules = new LokiRules(chart, 'log-alerts', { platform: p, service: checkout, groups: given, additionalGroups: [extraGroup()] });
    expect(rules.groups.map((g) => g.name)).toEqual(['given', 'checkout-custom']);
    const [map] = Testing.synth(chart) as ConfigMap[];
    expect(parse(map.data['shop-checkout.yaml']).groups.map((g: { name: string }) => g.name)).toEqual(['given', 'checkout-custom']);
    expect(rules.content).toBe(map.data['shop-checkout.yaml']);
  });

  it('ships additional groups for a service without declared log alerts', () => {
    const [map] = synth({ service: resolved(p, 'notifier'), additionalGroups: [extraGroup({ name: 'notifier-custom' })] });
    expect(map.metadata.name).toBe('shop-notifier-loki-rules');
    expect(parse(map.data['shop-notifier.yaml']).groups[0].name).toBe('notifier-custom');
  });

  it('writes the same ConfigMap for the same definition', () => {
    expect(JSON.stringify(synth())).toBe(JSON.stringify(synth()));
  });

  it('matches the reviewed ConfigMap', () => {
    expect(configMap).toMatchSnapshot();
  });

  describe('refuses what the Loki ruler or the API server would refuse, naming the construct path', () => {
    const failing = (props: Partial<LokiRulesProps>) => definitionErrorOf(() => synth(props));

    it('an additional query that is not LogQL', () => {
      const group = extraGroup();
      const message = failing({ additionalGroups: [{ ...group, rules: [{ ...group.rules[0], expr: 'sum(rate(http_requests_total[5m]))' }] }] });
      expect(message).toContain('Invalid Loki rules of service "checkout" in prod (1 problem):');
      expect(message).toContain('  - [test/log-alerts] additionalGroups[0].rules[0].expr: must be valid LogQL for alert CheckoutSlowQueries');
    });

    it('a group named like a generated one, or like another additional one', () => {
      expect(failing({ additionalGroups: [extraGroup({ name: 'checkout-logs' })] })).toContain(
        'additionalGroups[0].name: duplicates group checkout-logs: group names must be unique in a rule file (got "checkout-logs")',
      );
      expect(failing({ additionalGroups: [extraGroup(), extraGroup()] })).toContain('additionalGroups[1].name: duplicates additionalGroups[0].name');
    });

    it('an empty group name, a bad interval, a bad for, an empty alert name and bad label and annotation names, all at once', () => {
      const group = extraGroup();
      const rule = { ...group.rules[0], alert: ' ', for: 'soon', labels: { 'bad-label': 'x' }, annotations: { '1st': 'x' } };
      const chart = Testing.chart();
      let error: DefinitionError | undefined;
      try {
        new LokiRules(chart, 'log-alerts', { platform: p, service: checkout, groups: [{ name: '', interval: '1 minute', rules: [rule] }] });
      } catch (e) {
        error = e as DefinitionError;
      }
      expect(error).toBeInstanceOf(DefinitionError);
      expect(error!.issues.map((i) => i.path)).toEqual(['groups[0].name', 'groups[0].interval', 'groups[0].rules[0].alert', 'groups[0].rules[0].for', 'groups[0].rules[0].labels.bad-label', 'groups[0].rules[0].annotations.1st']);
      expect(error!.message).toContain('groups[0].name: must not be empty: the Loki ruler refuses a group without a name (got "")');
      expect(error!.message).toContain('groups[0].rules[0].labels.bad-label: must be a label name: letters, digits and "_", not starting with a digit (got "bad-label")');
    });

    it('a rule file above the ConfigMap size limit', () => {
      const group = extraGroup();
      const query = `sum(rate({app="checkout"} |= "${'x'.repeat(3900)}" [5m])) > 1`;
      const rules = Array.from({ length: 300 }, (_, i) => ({ ...group.rules[0], alert: `Big${i}`, expr: query }));
      const message = failing({ additionalGroups: [{ name: 'big', rules }] });
      expect(message).toMatch(/ConfigMap\/shop-checkout-loki-rules\.data: is \d+ bytes, above the 1048576 a ConfigMap may hold/);
      expect(MAX_CONFIG_MAP_BYTES).toBe(1048576);
      // Just under the limit is fine.
      expect(() => synth({ additionalGroups: [{ name: 'big', rules: rules.slice(0, 200) }] })).not.toThrow();
    });

    it('a namespace that is not a namespace name', () => {
      expect(failing({ namespace: 'Monitoring' })).toContain('namespace: must be a Kubernetes namespace name');
    });

    it.each(['', '.', '..', 'a/b', 'x'.repeat(151)])('a tenant %p that Loki does not accept as a directory', (tenant) => {
      expect(failing({ tenant })).toContain("tenant: must be a Loki tenant ID: 1-150 letters, digits or !-_.*'(), and neither . nor ..");
    });

    it('a sidecar label or extra label that Kubernetes refuses', () => {
      expect(failing({ sidecarLabel: 'loki rule' })).toContain('[test/log-alerts] sidecarLabel: must be a Kubernetes label key: an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" or "." (got "loki rule")');
      expect(failing({ sidecarLabel: 'Example.com/rules' })).toContain('sidecarLabel: must be a Kubernetes label key');
      expect(failing({ sidecarLabelValue: '-x' })).toContain('sidecarLabelValue: must be a Kubernetes label value');
      expect(failing({ labels: { 'bad key': 'x' } })).toContain('labels.bad key: must be a Kubernetes label key');
      expect(failing({ labels: { release: 'a'.repeat(64) } })).toContain('labels.release: must be a Kubernetes label value');
    });
  });
});
