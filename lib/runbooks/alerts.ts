/**
 * Every alert of a service in one environment, as the runbooks describe them: the alerting rules
 * of every rule group `serviceOutputs` builds (Prometheus and Loki) and the Cloud Monitoring
 * policies of `gcpServicePolicies`, each with the runbook its link points at. Pure.
 */
import { EffectiveService, PlatformDefinition, SEVERITIES, Severity } from '../definition';
import { GcpAlertPolicy } from '../gcp/policies';
import { gcpServicePolicies } from '../gcp/service-policies';
import { PlatformOutputs } from '../k8s/platform-outputs';
import { ServiceOutputs } from '../k8s/service-outputs';
import { byString } from '../private/data';
import { firingLabels } from '../prometheus/rule-group';

/** Which tool evaluates an alert, and so which language its expression is in. */
export type AlertEvaluator = 'prometheus' | 'loki' | 'cloud-monitoring';

/**
 * The evaluator of the rule groups in each field of `ServiceOutputs`, or `'none'` for a field
 * that holds no rule groups of its own (the job plans, whose groups are `jobRuleGroups`).
 * Groups added to an existing field are covered as they are; a new field must say here who
 * evaluates it, or the library does not compile, so no alert goes without a runbook.
 */
export const OUTPUT_EVALUATORS: Readonly<Record<keyof ServiceOutputs, 'prometheus' | 'loki' | 'none'>> = Object.freeze({
  ruleGroups: 'prometheus',
  logRuleGroups: 'loki',
  jobs: 'none',
  jobRuleGroups: 'prometheus',
});

/** One alert as its runbook describes it: a rule of a rule group, or a Cloud Monitoring policy. */
export interface RunbookAlert {
  /** CamelCase alert name. */
  readonly alert: string;
  /** Who evaluates it. */
  readonly evaluator: AlertEvaluator;
  /** The rule group it is in, or the policy's display name. */
  readonly group: string;
  /** PromQL (Prometheus), LogQL (Loki), or the policy's conditions (Cloud Monitoring). */
  readonly expr: string;
  /** How long the condition must hold. @default fires at once */
  readonly for?: string;
  /** How long it keeps firing once the condition clears. @default stops at once */
  readonly keepFiringFor?: string;
  readonly severity: Severity;
  /** The alert's labels (for a policy, its user labels). */
  readonly labels: Readonly<Record<string, string>>;
  /** The alert's annotations: `summary`, `description`, `runbook_url`, ... (for a policy, its documentation). */
  readonly annotations: Readonly<Record<string, string>>;
  /** The runbook URL the alert carries. */
  readonly runbookUrl: string;
  /** The policy, for Cloud Monitoring. */
  readonly policy?: GcpAlertPolicy;
}

interface AnyAlertingRule {
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly keepFiringFor?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly seriesLabels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

interface AnyRuleGroup {
  readonly name: string;
  readonly rules: readonly AnyAlertingRule[];
}

function severityOf(labels: Readonly<Record<string, string>>): Severity {
  const severity = labels.severity;
  return (SEVERITIES as readonly string[]).includes(severity) ? (severity as Severity) : 'low';
}

/** The alerting rules of rule groups, recording rules left out. */
function ruleAlerts(groups: readonly AnyRuleGroup[], evaluator: AlertEvaluator): RunbookAlert[] {
  return groups.flatMap((group) =>
    group.rules.flatMap((rule): RunbookAlert[] => {
      if (rule.alert === undefined) return [];
      // The labels the alert fires with: an SLO alert's `service` comes from its series.
      const labels = firingLabels({ labels: rule.labels ?? {}, seriesLabels: rule.seriesLabels });
      const annotations = rule.annotations ?? {};
      return [
        {
          alert: rule.alert,
          evaluator,
          group: group.name,
          expr: rule.expr,
          ...(rule.for !== undefined ? { for: rule.for } : {}),
          ...(rule.keepFiringFor !== undefined ? { keepFiringFor: rule.keepFiringFor } : {}),
          severity: severityOf(labels),
          labels,
          annotations,
          runbookUrl: annotations.runbook_url ?? '',
        },
      ];
    }),
  );
}

/** A Cloud Monitoring policy as an alert: its conditions in words as the expression. */
function policyAlert(policy: GcpAlertPolicy): RunbookAlert {
  const comparison = { COMPARISON_GT: '>', COMPARISON_LT: '<' } as const;
  const conditions = policy.conditions.map((c) => `${c.displayName}: ${comparison[c.comparison]} ${c.thresholdValue} for ${c.duration}`);
  return {
    alert: policy.alert,
    evaluator: 'cloud-monitoring',
    group: policy.displayName,
    expr: conditions.join(`\n${policy.combiner}\n`),
    for: policy.conditions[0]?.duration,
    severity: policy.severity,
    labels: policy.userLabels,
    annotations: { summary: policy.documentation.subject, description: policy.documentation.content, runbook_url: policy.documentation.runbook },
    runbookUrl: policy.documentation.runbook,
    policy,
  };
}

/**
 * Every alert of one service in one environment: the alerting rules of each field of
 * `outputs` (`OUTPUT_EVALUATORS`), then its Cloud Monitoring policies, in the order they are
 * built.
 * @param outputs the service's rule groups, as `serviceOutputs(platform, service)` builds them
 */
export function serviceAlerts(platform: Pick<PlatformDefinition, 'runbookBaseUrl'>, service: EffectiveService, outputs: ServiceOutputs): RunbookAlert[] {
  return [...outputAlerts(outputs, OUTPUT_EVALUATORS), ...gcpServicePolicies(platform, service).map(policyAlert)];
}

/** As `OUTPUT_EVALUATORS`, for the fields of `PlatformOutputs`. */
export const PLATFORM_OUTPUT_EVALUATORS: Readonly<Record<keyof PlatformOutputs, 'prometheus' | 'loki' | 'none'>> = Object.freeze({
  jobs: 'none',
  jobRuleGroups: 'prometheus',
});

/** Every alert of the platform itself in one environment: the alerting rules of each field of `platformOutputs` (`PLATFORM_OUTPUT_EVALUATORS`). */
export function platformAlerts(outputs: PlatformOutputs): RunbookAlert[] {
  return outputAlerts(outputs, PLATFORM_OUTPUT_EVALUATORS);
}

/** The alerting rules of every field of some outputs that holds rule groups, fields by name. */
function outputAlerts<T extends object>(outputs: T, evaluators: Readonly<Record<keyof T, 'prometheus' | 'loki' | 'none'>>): RunbookAlert[] {
  const fields = (Object.keys(evaluators) as (keyof T & string)[]).sort(byString);
  return fields.flatMap((field) => {
    const evaluator = evaluators[field];
    return evaluator === 'none' ? [] : ruleAlerts(outputs[field] as unknown as readonly AnyRuleGroup[], evaluator);
  });
}

/** The alerts one runbook page describes: those whose links point at it. */
export interface AlertPage {
  /** Where the page is, relative to the runbook root (`runbookPath`). */
  readonly path: string;
  /** The alert names on the page, sorted (one, unless two names share a kebab case). */
  readonly names: readonly string[];
  /** The alerts, by severity (most urgent first), then evaluator and group. */
  readonly alerts: readonly RunbookAlert[];
}

const EVALUATOR_ORDER: readonly AlertEvaluator[] = ['prometheus', 'loki', 'cloud-monitoring'];

/**
 * Groups alerts into pages by the runbook their link points at, sorted by path. A link outside
 * the platform's `runbookBaseUrl` is a link built by hand, which no page could answer: it throws.
 */
export function alertPages(platform: Pick<PlatformDefinition, 'runbookBaseUrl'>, alerts: readonly RunbookAlert[]): AlertPage[] {
  const base = `${platform.runbookBaseUrl}/`;
  const byPath = new Map<string, RunbookAlert[]>();
  for (const alert of alerts) {
    if (!alert.runbookUrl.startsWith(base) || alert.runbookUrl.length === base.length) {
      throw new Error(`alert ${alert.alert} (${alert.group}) links the runbook ${JSON.stringify(alert.runbookUrl)}, which is not under runbookBaseUrl ${platform.runbookBaseUrl}: build runbook links with runbookUrl()`);
    }
    const path = alert.runbookUrl.slice(base.length);
    byPath.set(path, [...(byPath.get(path) ?? []), alert]);
  }
  const rank = (a: RunbookAlert): number => SEVERITIES.indexOf(a.severity) * 10 + EVALUATOR_ORDER.indexOf(a.evaluator);
  return [...byPath.entries()]
    .sort(([a], [b]) => byString(a, b))
    .map(([path, list]) => ({
      path,
      names: [...new Set(list.map((a) => a.alert))].sort(byString),
      // A stable sort keeps the order the rules are built in within a severity and evaluator.
      alerts: [...list].sort((a, b) => rank(a) - rank(b)),
    }));
}
