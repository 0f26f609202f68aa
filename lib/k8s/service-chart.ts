import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { constructId } from '../private/construct-id';
import { EffectiveService, PlatformDefinition } from '../definition';
import { MonitoredService, MonitoredServiceProps } from './monitored-service';
import { RuleGroup } from '../prometheus/rule-group';
import { SloAlertPolicy } from '../prometheus/slo-alert-policy';

/** Properties of a `ServiceChart`. */
export interface ServiceChartProps {
  /** The platform the service belongs to (namespaces of ingress and monitoring, monitoring labels). */
  readonly platform: PlatformDefinition;
  /** The effective definition of the service in one environment. */
  readonly service: EffectiveService;
  /**
   * The service's rule groups, when already built (see `SloAlertPolicyProps.groups`).
   * @default serviceRuleGroups(platform, service)
   */
  readonly ruleGroups?: readonly RuleGroup[];
  /**
   * Options passed to the `MonitoredService`.
   * @default the `MonitoredService` defaults
   */
  readonly monitoredService?: Omit<MonitoredServiceProps, 'platform' | 'service'>;
}

/**
 * Everything one service needs on Kubernetes in one environment, as one chart (one file):
 * the `MonitoredService` objects and the `SloAlertPolicy` (SLO rules and symptom alerts).
 */
export class ServiceChart extends Chart {
  /** The workload and its companions. */
  public readonly monitoredService: MonitoredService;
  /** The service's Prometheus rules. */
  public readonly sloAlertPolicy: SloAlertPolicy;
  /** The effective service. */
  public readonly service: EffectiveService;

  constructor(scope: Construct, id: string, props: ServiceChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { platform, service } = props;
    this.monitoredService = new MonitoredService(this, constructId(service.name), { ...props.monitoredService, platform, service });
    this.sloAlertPolicy = new SloAlertPolicy(this, 'alerts', { platform, service, groups: props.ruleGroups, labels: platform.monitoringLabels });
    this.service = service;
  }
}
