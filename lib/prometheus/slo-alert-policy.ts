import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroups, PrometheusRuleSpecGroupsRulesExpr } from '../imports/monitoring-prometheusrules-monitoring.coreos.com';
import { RuleGroup, isAlertingRule } from './rule-group';
import { templateAnnotations } from './render';
import { assertRuleGroups, serviceRuleGroups } from './rules';
import { EffectiveService, PlatformDefinition } from '../definition';

/** Props of `SloAlertPolicy`. */
export interface SloAlertPolicyProps {
  /** The platform: runbook and dashboard links. */
  readonly platform: PlatformDefinition;
  /** The service in one environment. */
  readonly service: EffectiveService;
  /**
   * The service's generated rule groups, when the caller has built them already: synthesis
   * builds them once and writes the same groups to the plain rule file and its tests.
   * @default serviceRuleGroups(platform, service)
   */
  readonly groups?: readonly RuleGroup[];
  /**
   * More rule groups to ship in the same PrometheusRule, checked like the generated ones.
   * @default none
   */
  readonly additionalGroups?: readonly RuleGroup[];
  /**
   * Extra labels on the PrometheusRule, e.g. the label a Prometheus `ruleSelector` matches.
   * @default none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A service's SLO recording rules, burn-rate alerts and symptom alerts as one
 * prometheus-operator `PrometheusRule` named after the service, in its namespace.
 * Every expression is parsed at synthesis; a bad one fails naming this construct's path.
 *
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PrometheusRule
 * @example
 * new SloAlertPolicy(chart, 'checkout-alerts', { platform, service: resolveEnvironment(platform, checkout, 'prod') });
 */
export class SloAlertPolicy extends Construct {
  /** The rule groups shipped, as plain data. */
  public readonly groups: readonly RuleGroup[];
  /** The PrometheusRule object. */
  public readonly rule: PrometheusRule;

  constructor(scope: Construct, id: string, props: SloAlertPolicyProps) {
    super(scope, id);
    const where = `[${this.node.path}]`;
    const generated = props.groups ?? serviceRuleGroups(props.platform, props.service, { where });
    const additional = [...(props.additionalGroups ?? [])];
    assertRuleGroups(additional, where);
    this.groups = [...generated, ...additional];

    const { service } = props;
    this.rule = new PrometheusRule(this, 'Resource', {
      metadata: {
        name: service.name,
        namespace: service.namespace,
        labels: {
          ...props.labels,
          'app.kubernetes.io/name': service.name,
          'app.kubernetes.io/part-of': service.platform,
          'app.kubernetes.io/managed-by': 'ops-constructs',
          team: service.team,
        },
      },
      spec: { groups: this.groups.map(toSpecGroup) },
    });
  }
}

/** A rule group in the PrometheusRule's shape: annotations as literal templates, labels copied. */
export function toSpecGroup(group: RuleGroup): PrometheusRuleSpecGroups {
  return {
    name: group.name,
    interval: group.interval,
    rules: group.rules.map((rule) =>
      isAlertingRule(rule)
        ? {
            alert: rule.alert,
            expr: PrometheusRuleSpecGroupsRulesExpr.fromString(rule.expr),
            for: rule.for,
            keepFiringFor: rule.keepFiringFor,
            labels: { ...rule.labels },
            annotations: templateAnnotations(rule.annotations),
          }
        : { record: rule.record, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(rule.expr), labels: rule.labels && { ...rule.labels } },
    ),
  };
}
