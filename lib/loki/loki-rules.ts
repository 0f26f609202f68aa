import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DefinitionError, DefinitionIssue } from '../definition/errors';
import { PlatformDefinition } from '../definition/platform';
import { EffectiveService } from '../definition/resolve-environment';
import { lokiRuleGroupIssues } from './check';
import { serviceLogRuleGroups } from './log-rules';
import { renderLokiRuleFile } from './render';
import { LokiRuleGroup } from './rule-group';

/**
 * The `@default`s of `LokiRulesProps`: the grafana/loki Helm chart's rules sidecar selects
 * ConfigMaps and Secrets that carry the label `loki_rule`; its `labelValue` is empty, which
 * makes the sidecar match the label whatever its value.
 * @see https://github.com/grafana/loki/blob/main/production/helm/loki/values.yaml (`sidecar.rules`)
 */
export const LOKI_RULES_DEFAULTS = Object.freeze({ sidecarLabel: 'loki_rule', sidecarLabelValue: '' });

/**
 * The annotation the k8s-sidecar (kiwigrid) reads for the folder of a ConfigMap's files,
 * relative to its own folder: `fake` puts a single-tenant Loki's rules where its ruler looks.
 * @see https://github.com/kiwigrid/k8s-sidecar#configuration-environment-variables (`FOLDER_ANNOTATION`)
 */
export const SIDECAR_DIRECTORY_ANNOTATION = 'k8s-sidecar-target-directory';

/**
 * The most a ConfigMap's values may hold together, in bytes: the API server refuses more.
 * @see https://kubernetes.io/docs/concepts/configuration/configmap/#motivation
 */
export const MAX_CONFIG_MAP_BYTES = 1024 * 1024;

/** Props of `LokiRules`. */
export interface LokiRulesProps {
  /** The platform: runbook and dashboard links, the monitoring namespace. */
  readonly platform: PlatformDefinition;
  /** The service in one environment. */
  readonly service: EffectiveService;
  /**
   * The service's Loki rule groups, when the caller has built them already: synthesis builds
   * them once for this ConfigMap and the plain rule file.
   * @default serviceLogRuleGroups(platform, service)
   */
  readonly groups?: readonly LokiRuleGroup[];
  /**
   * More rule groups to ship in the same file, checked like the generated ones.
   * @default none
   */
  readonly additionalGroups?: readonly LokiRuleGroup[];
  /**
   * Namespace of the ConfigMap: where the Loki rules sidecar looks (its `searchNamespace`).
   * @default the platform's monitoringNamespace
   */
  readonly namespace?: string;
  /**
   * The Loki tenant the rules belong to, written to the `k8s-sidecar-target-directory`
   * annotation so the sidecar puts the file in `<folder>/<tenant>/`, where the ruler's local
   * storage reads each tenant's rules; `fake` for a Loki without `auth_enabled`.
   * @default no annotation: the file lands in the sidecar's folder, which then must be the tenant's directory
   */
  readonly tenant?: string;
  /** Label the Loki rules sidecar selects by (its `sidecar.rules.label`). @default 'loki_rule' */
  readonly sidecarLabel?: string;
  /** Value of that label (its `sidecar.rules.labelValue`). @default '' */
  readonly sidecarLabelValue?: string;
  /** More labels on the ConfigMap. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Loki tenant IDs: at most 150 of the characters Loki allows, and neither `.` nor `..`. */
const TENANT = /^[A-Za-z0-9!_.*'()-]{1,150}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** Whether a string is a Kubernetes label key: an optional DNS subdomain and `/`, then a name of at most 63 characters. */
function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = key.slice(0, Math.max(slash, 0));
  return QUALIFIED_NAME.test(key.slice(slash + 1)) && (slash < 0 || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix)));
}

const LABEL_KEY_PROBLEM = 'must be a Kubernetes label key: an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" or "."';
const LABEL_VALUE_PROBLEM = 'must be a Kubernetes label value: empty, or at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';

/** Problems of one label, reported at the prop it came from. */
function labelIssues(keyPath: string, valuePath: string, key: string, value: string): DefinitionIssue[] {
  return [
    ...(isLabelKey(key) ? [] : [{ path: keyPath, problem: LABEL_KEY_PROBLEM, value: key }]),
    ...(LABEL_VALUE.test(value) ? [] : [{ path: valuePath, problem: LABEL_VALUE_PROBLEM, value }]),
  ];
}

function propIssues(props: LokiRulesProps): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  if (props.namespace !== undefined && !DNS_LABEL.test(props.namespace)) {
    issues.push({ path: 'namespace', problem: 'must be a Kubernetes namespace name: at most 63 lowercase letters, digits or "-", starting and ending with a letter or digit', value: props.namespace });
  }
  if (props.tenant !== undefined && (!TENANT.test(props.tenant) || props.tenant === '.' || props.tenant === '..')) {
    issues.push({ path: 'tenant', problem: "must be a Loki tenant ID: 1-150 letters, digits or !-_.*'(), and neither . nor ..", value: props.tenant });
  }
  issues.push(...labelIssues('sidecarLabel', 'sidecarLabelValue', props.sidecarLabel ?? LOKI_RULES_DEFAULTS.sidecarLabel, props.sidecarLabelValue ?? LOKI_RULES_DEFAULTS.sidecarLabelValue));
  for (const [key, value] of Object.entries(props.labels ?? {})) issues.push(...labelIssues(`labels.${key}`, `labels.${key}`, key, value));
  return issues;
}

/**
 * A service's Loki alerting rules as a ConfigMap the grafana/loki Helm chart's rules sidecar
 * picks up (`loki_rule: ""`), holding one rule file `<platform>-<service>.yaml`. It lives in the
 * platform's monitoring namespace by default: the sidecar watches its own namespace unless told
 * to search others, and Loki, like Grafana's dashboards, is platform monitoring, not part of a
 * team's namespace. Every query is parsed with the LogQL grammar at synthesis, and the file is
 * checked against the ConfigMap size limit. A service without log alerts gets no ConfigMap.
 *
 * @see https://grafana.com/docs/loki/latest/alert/
 * @example
 * new LokiRules(chart, 'log-alerts', { platform, service: resolveEnvironment(platform, checkout, 'prod'), tenant: 'fake' });
 */
export class LokiRules extends Construct {
  /** The rule groups shipped, as plain data. */
  public readonly groups: readonly LokiRuleGroup[];
  /** The rule file, as written to the ConfigMap. */
  public readonly content: string;
  /** The ConfigMap, absent when there are no rules. */
  public readonly configMap?: k8s.KubeConfigMap;
  /** Namespace of the ConfigMap. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: LokiRulesProps) {
    super(scope, id);
    const { platform, service } = props;
    const label = props.sidecarLabel ?? LOKI_RULES_DEFAULTS.sidecarLabel;
    const labels: Record<string, string> = {
      ...props.labels,
      [label]: props.sidecarLabelValue ?? LOKI_RULES_DEFAULTS.sidecarLabelValue,
      'app.kubernetes.io/name': service.name,
      'app.kubernetes.io/part-of': service.platform,
      'app.kubernetes.io/managed-by': 'ops-constructs',
      team: service.team,
    };
    const generated = props.groups ?? serviceLogRuleGroups(platform, service, { scope: this.node.path });
    const additional = props.additionalGroups ?? [];
    const issues = [
      ...propIssues(props),
      ...lokiRuleGroupIssues(generated, 'groups'),
      ...lokiRuleGroupIssues(additional, 'additionalGroups', generated.map((g) => g.name)),
    ];
    this.groups = [...generated, ...additional];
    this.namespace = props.namespace ?? platform.monitoringNamespace;
    this.content = renderLokiRuleFile(this.groups);
    const name = `${service.platform}-${service.name}-loki-rules`;
    const bytes = Buffer.byteLength(this.content);
    if (bytes > MAX_CONFIG_MAP_BYTES) {
      issues.push({ path: `ConfigMap/${name}.data`, problem: `is ${bytes} bytes, above the ${MAX_CONFIG_MAP_BYTES} a ConfigMap may hold; split the rules or give them shorter queries`, value: `<${bytes} bytes>` });
    }
    if (issues.length > 0) throw new DefinitionError(`Loki rules of service "${service.name}" in ${service.environment}`, issues, this.node.path);
    if (this.groups.length === 0) return;

    this.configMap = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        name,
        namespace: this.namespace,
        labels,
        annotations: props.tenant === undefined ? undefined : { [SIDECAR_DIRECTORY_ANNOTATION]: props.tenant },
      },
      data: { [`${service.platform}-${service.name}.yaml`]: this.content },
    });
  }
}
