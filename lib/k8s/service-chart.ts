import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { constructId } from '../private/construct-id';
import { EffectiveService, PlatformDefinition } from '../definition';
import { MonitoredService, MonitoredServiceProps } from './monitored-service';
import { LokiRuleGroup } from '../loki/rule-group';
import { LokiRules } from '../loki/loki-rules';
import { RuleGroup } from '../prometheus/rule-group';
import { SloAlertPolicy } from '../prometheus/slo-alert-policy';
import { UptimeProbe } from '../uptime/uptime-probe';
import { DashboardHook } from '../dashboards/extend';
import { ServiceDashboard } from '../grafana/service-dashboard';
import { serviceOutputs } from './service-outputs';
import { ServiceOperations } from '../ops/service-operations';
import { ScheduledJobPlan } from '../ops/scheduled-job-plan';

/** Properties of a `ServiceChart`. */
export interface ServiceChartProps {
  /** The platform the service belongs to (namespaces of ingress and monitoring, monitoring labels). */
  readonly platform: PlatformDefinition;
  /** The effective definition of the service in one environment. */
  readonly service: EffectiveService;
  /**
   * The service's Prometheus rule groups, when already built (see `SloAlertPolicyProps.groups`).
   * @default serviceOutputs(platform, service).ruleGroups: SLO, symptom and uptime alerts
   */
  readonly ruleGroups?: readonly RuleGroup[];
  /**
   * The service's Loki rule groups, when already built.
   * @default serviceOutputs(platform, service).logRuleGroups: the definition's log alerts
   */
  readonly logRuleGroups?: readonly LokiRuleGroup[];
  /**
   * The service's Grafana dashboard: rows and panels to add, its folder; `false` for none.
   * @default the generated dashboard in the team's folder
   */
  readonly dashboard?: false | { readonly extend?: DashboardHook; readonly folder?: string };
  /**
   * The service's scheduled jobs, when already built.
   * @default serviceOutputs(platform, service).jobs: the jobs the definition asks for
   */
  readonly jobs?: readonly ScheduledJobPlan[];
  /**
   * Options passed to the `MonitoredService`.
   * @default the `MonitoredService` defaults
   */
  readonly monitoredService?: Omit<MonitoredServiceProps, 'platform' | 'service'>;
}

/**
 * Everything one service needs on Kubernetes in one environment, as one chart (one file):
 * the `MonitoredService` objects, the `SloAlertPolicy` (SLO, symptom and uptime alerts), the
 * blackbox `Probe` of its public host, the Loki ruler's ConfigMap of its log alerts, and the
 * Grafana dashboard its alerts link to, and its scheduled jobs (`ServiceOperations`).
 */
export class ServiceChart extends Chart {
  /** The workload and its companions. */
  public readonly monitoredService: MonitoredService;
  /** The service's Prometheus rules, unless the platform delivers them as files only. */
  public readonly sloAlertPolicy?: SloAlertPolicy;
  /** The check of the public host from the cluster; holds no Probe without one. */
  public readonly uptimeProbe: UptimeProbe;
  /** The Loki ruler's rules, when the service declares log alerts. */
  public readonly lokiRules?: LokiRules;
  /** The service's Grafana dashboard, unless switched off. */
  public readonly dashboard?: ServiceDashboard;
  /** The service's routine operations: its scheduled jobs and their alerts. */
  public readonly operations: ServiceOperations;
  /** The effective service. */
  public readonly service: EffectiveService;

  constructor(scope: Construct, id: string, props: ServiceChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { platform, service } = props;
    this.monitoredService = new MonitoredService(this, constructId(service.name), { ...props.monitoredService, platform, service });
    const built = props.ruleGroups === undefined || props.logRuleGroups === undefined ? serviceOutputs(platform, service) : undefined;
    const ruleGroups = props.ruleGroups ?? built?.ruleGroups ?? [];
    const logRuleGroups = props.logRuleGroups ?? built?.logRuleGroups ?? [];
    if (platform.prometheusRules !== 'files') this.sloAlertPolicy = new SloAlertPolicy(this, 'alerts', { platform, service, groups: ruleGroups, labels: platform.monitoringLabels });
    this.uptimeProbe = new UptimeProbe(this, 'uptime', { platform, service });
    if (logRuleGroups.length > 0) this.lokiRules = new LokiRules(this, 'log-alerts', { platform, service, groups: logRuleGroups });
    const dashboard = props.dashboard ?? {};
    if (dashboard !== false) this.dashboard = new ServiceDashboard(this, 'dashboard', { platform, service, ruleGroups, extend: dashboard.extend, folder: dashboard.folder });
    this.operations = new ServiceOperations(this, 'operations', { platform, service, jobs: props.jobs ?? built?.jobs });
    this.service = service;
  }
}
