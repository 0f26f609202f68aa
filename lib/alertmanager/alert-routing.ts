import { Construct } from 'constructs';
import { AlertmanagerConfig } from '../imports/monitoring-alertmanagerconfigs-monitoring.coreos.com';
import { DefinitionError, DefinitionIssue, isDefinedPlatform } from '../definition';
import { PlatformDefinition } from '../definition';
import { alertmanagerConfigSpec } from './alertmanager-config-spec';
import { servicesOf } from './routing-plan';

/** Props of `AlertRouting`. */
export interface AlertRoutingProps {
  /** The platform, from `definePlatform`. */
  readonly platform: PlatformDefinition;
  /** The environment to route alerts of, e.g. `prod`. */
  readonly environment: string;
  /** The namespace whose services are routed; the object is created there. */
  readonly namespace: string;
  /**
   * Extra labels, e.g. the label the Alertmanager's `alertmanagerConfigSelector` selects.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The prometheus-operator `AlertmanagerConfig` that routes the alerts of every service of one
 * namespace in one environment by the platform's severity policy (see `alertmanagerConfigSpec`).
 * Named `<namespace>-alert-routing`, labelled `app.kubernetes.io/part-of: <platform>` and
 * `app.kubernetes.io/managed-by: ops-constructs`.
 *
 * Throws one `DefinitionError` whose lines start with the construct path when the platform is
 * not from `definePlatform`, the environment is not one of its environments, or the namespace
 * holds no service of the platform in that environment.
 *
 * @example
 * new AlertRouting(chart, 'payments-alert-routing', { platform, environment: 'prod', namespace: 'payments' });
 * @see https://prometheus-operator.dev/docs/developer/alerting/
 */
export class AlertRouting extends Construct {
  /** The `AlertmanagerConfig` object. */
  public readonly config: AlertmanagerConfig;
  /** The object's name: `<namespace>-alert-routing`. */
  public readonly name: string;
  /** The services routed, by name. */
  public readonly services: readonly string[];

  constructor(scope: Construct, id: string, props: AlertRoutingProps) {
    super(scope, id);
    const { platform, environment, namespace } = props;
    const issues: DefinitionIssue[] = [];
    if (!isDefinedPlatform(platform)) {
      issues.push({ path: 'platform', problem: 'must be a platform from definePlatform', value: typeof platform === 'object' && platform !== null ? (platform as { name?: unknown }).name : platform });
    } else if (!platform.environments.some((e) => e.name === environment)) {
      const known = platform.environments.map((e) => e.name).join(', ');
      issues.push({ path: 'environment', problem: `must be an environment of platform ${platform.name} (${known})`, value: environment });
    }
    const services = issues.length === 0 ? servicesOf(platform, environment, namespace) : [];
    if (issues.length === 0 && services.length === 0) {
      const namespaces = [...new Set(servicesOf(platform, environment).map((s) => s.namespace))].sort().join(', ');
      issues.push({ path: 'namespace', problem: `must hold a service of platform ${platform.name} in ${environment} (${namespaces || 'none'})`, value: namespace });
    }
    if (issues.length > 0) {
      throw new DefinitionError(`alert routing "${id}"`, issues, this.node.path);
    }

    this.name = `${namespace}-alert-routing`;
    this.services = services.map((s) => s.name).sort();
    this.config = new AlertmanagerConfig(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace,
        labels: {
          ...platform.monitoringLabels,
          ...(props.labels ?? {}),
          'app.kubernetes.io/managed-by': 'ops-constructs',
          'app.kubernetes.io/part-of': platform.name,
        },
      },
      spec: alertmanagerConfigSpec(platform, environment, namespace),
    });
  }
}
