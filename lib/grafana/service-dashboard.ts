/**
 * The constructs that put the generated dashboards into a cdk8s chart: `ServiceDashboard` for one
 * service in one environment, `FleetDashboard` for an environment.
 */
import { Construct } from 'constructs';
import { EffectiveService, PlatformDefinition } from '../definition';
import type { RuleGroup } from '../prometheus/rule-group';
import { checkedFleetDashboardPlan, checkedServiceDashboardPlan } from '../dashboards/checked-plans';
import type { PassedChecks } from '../dashboards/consistency';
import { DashboardHook } from '../dashboards/extend';
import { DashboardPlan } from '../dashboards/types';
import { DashboardConfigMap } from './dashboard-config-map';
import { renderDashboard } from './render';

/** `app.kubernetes.io/managed-by` of the dashboards' ConfigMaps. */
const MANAGED_BY = 'ops-constructs';

/** Name of the ConfigMap of a dashboard: `dashboard.<platform>.<env>[.<service>]`, DNS labels joined by dots, so two dashboards never share one. */
export function dashboardConfigMapName(platform: string, environment: string, service?: string): string {
  return ['dashboard', platform, environment, ...(service === undefined ? [] : [service])].join('.');
}

/** Renders a checked plan and puts it into a ConfigMap in the platform's dashboards namespace. */
function deliver(
  scope: Construct,
  plan: DashboardPlan,
  platform: PlatformDefinition,
  name: string,
  folder: string | undefined,
  labels: Readonly<Record<string, string>>,
): { json: string; configMap: DashboardConfigMap } {
  const json = renderDashboard(plan);
  const configMap = new DashboardConfigMap(scope, 'ConfigMap', {
    plan,
    json,
    name,
    namespace: platform.dashboards.namespace,
    folder,
    labels: { 'app.kubernetes.io/component': 'dashboard', 'app.kubernetes.io/managed-by': MANAGED_BY, 'app.kubernetes.io/part-of': platform.name, ...labels },
  });
  return { json, configMap };
}

/** Properties of a `ServiceDashboard`. */
export interface ServiceDashboardProps {
  /** The platform: datasources, the dashboards' namespace, Loki, base URLs. */
  readonly platform: PlatformDefinition;
  /** The service in one environment. */
  readonly service: EffectiveService;
  /**
   * The service's generated rule groups (`serviceRuleGroups(platform, service)`, or
   * `SloAlertPolicy.groups`): every recording rule a panel reads must be one of theirs.
   */
  readonly ruleGroups: readonly RuleGroup[];
  /**
   * Adds rows and panels of your own, checked like the generated ones.
   * @default no additions
   * @example
   * extend: (d) => d.declareMetrics('checkout_cart_items').addPanels(SERVICE_ROWS.red, cartPanel)
   */
  readonly extend?: DashboardHook;
  /** Grafana folder of the dashboard. @default the service's team */
  readonly folder?: string;
}

/**
 * A service's Grafana dashboard in one environment, delivered as a ConfigMap for the Grafana
 * sidecar in `platform.dashboards.namespace`, in the team's folder. Its UID is
 * `dashboardUid(service)`, so the `dashboard_url` of the service's alerts opens it.
 * @see https://grafana.com/docs/grafana/latest/administration/provisioning/#dashboards
 * @example
 * new ServiceDashboard(chart, 'dashboard', { platform, service, ruleGroups: serviceRuleGroups(platform, service) });
 */
export class ServiceDashboard extends Construct {
  /** The plan, with the additions. */
  public readonly plan: DashboardPlan;
  /** The dashboard JSON, as in the ConfigMap and the provisioning file. */
  public readonly json: string;
  /** The ConfigMap. */
  public readonly configMap: DashboardConfigMap;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    const { platform, service } = props;
    this.plan = checkedServiceDashboardPlan(platform, service, props.ruleGroups, props.extend);
    const labels = { 'app.kubernetes.io/name': service.name, team: service.team };
    const delivered = deliver(this, this.plan, platform, dashboardConfigMapName(platform.name, service.environment, service.name), props.folder, labels);
    this.json = delivered.json;
    this.configMap = delivered.configMap;
  }
}

/** Properties of a `FleetDashboard`. */
export interface FleetDashboardProps {
  /** The platform: datasources, the dashboards' namespace, base URLs. */
  readonly platform: PlatformDefinition;
  /** The environment. */
  readonly environment: string;
  /** The generated rule groups of every service of the environment, by service name. */
  readonly ruleGroups: Readonly<Record<string, readonly RuleGroup[]>>;
  /** Grafana folder of the dashboard. @default the platform's name */
  readonly folder?: string;
  /** Checks that passed before (the synthesis cache's): the same plan and rule groups are not checked again. @default every check runs */
  readonly passedChecks?: PassedChecks;
}

/** The fleet dashboard of an environment, as a ConfigMap for the Grafana sidecar. */
export class FleetDashboard extends Construct {
  /** The plan. */
  public readonly plan: DashboardPlan;
  /** The dashboard JSON, as in the ConfigMap and the provisioning file. */
  public readonly json: string;
  /** The ConfigMap. */
  public readonly configMap: DashboardConfigMap;

  constructor(scope: Construct, id: string, props: FleetDashboardProps) {
    super(scope, id);
    const { platform, environment } = props;
    this.plan = checkedFleetDashboardPlan(platform, environment, props.ruleGroups, props.passedChecks);
    const delivered = deliver(this, this.plan, platform, dashboardConfigMapName(platform.name, environment), props.folder, {});
    this.json = delivered.json;
    this.configMap = delivered.configMap;
  }
}
