import { Construct } from 'constructs';
import { AlertmanagerConfig } from '../imports/monitoring-alertmanagerconfigs-monitoring.coreos.com';
import { DefinitionError, DefinitionIssue } from '../spec/errors';
import { PlatformDefinition } from '../spec/types';
import { alertmanagerConfigSpec } from './alertmanager';
import { routingIssues, servicesOf } from './alertmanager-config';

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
 * Validates on construction and throws one `DefinitionError` whose lines start with the
 * construct path: an unknown environment, a namespace without services, a routing that names no
 * platform receiver, business hours Alertmanager cannot express.
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
    const issues: DefinitionIssue[] = routingIssues(platform, environment, namespace);
    const services = servicesOf(platform, environment, namespace);
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
          ...(props.labels ?? {}),
          'app.kubernetes.io/managed-by': 'ops-constructs',
          'app.kubernetes.io/part-of': platform.name,
        },
      },
      spec: alertmanagerConfigSpec(platform, environment, namespace),
    });
  }
}
