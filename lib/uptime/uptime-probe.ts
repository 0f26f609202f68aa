import { Construct } from 'constructs';
import { EffectiveService, PlatformDefinition } from '../definition';
import { Probe } from '../imports/monitoring-probes-monitoring.coreos.com';
import { BlackboxInput } from './blackbox';
import { probeProps } from './render';
import { UptimeProbePlan, UptimeRuleGroup, uptimeProbePlan } from './uptime-probe-plan';

/** Props of `UptimeProbe`. */
export interface UptimeProbeProps {
  /** The platform: monitoring namespace, labels, runbook and dashboard links. */
  readonly platform: PlatformDefinition;
  /** The service in one environment. */
  readonly service: EffectiveService;
  /**
   * The platform's blackbox exporter.
   * @default BLACKBOX_DEFAULTS: `blackbox-exporter.<monitoringNamespace>:9115`, module `http_2xx`
   */
  readonly blackbox?: BlackboxInput;
  /**
   * Labels on the Probe, e.g. the label a Prometheus `probeSelector` matches.
   * @default the platform's `monitoringLabels`
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The check of a service's public host from inside the cluster: a prometheus-operator `Probe`
 * through the blackbox exporter, the twin of Cloud Monitoring's uptime check (same URL,
 * period and severity). Adds nothing for a service without `gcp.publicHost`.
 *
 * The alert `UptimeProbeFailed` is exposed as `groups`, plain rule groups for the service's
 * PrometheusRule and rule file; this construct does not ship rules of its own.
 *
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.Probe
 * @example
 * const uptime = new UptimeProbe(chart, 'uptime', { platform, service });
 * new SloAlertPolicy(chart, 'alerts', { platform, service, additionalGroups: uptime.groups });
 */
export class UptimeProbe extends Construct {
  /** The plan, when the service has a public host. */
  public readonly plan?: UptimeProbePlan;
  /** The Probe, when the service has a public host. */
  public readonly probe?: Probe;
  /** The rule group of the uptime alert; empty without a public host. */
  public readonly groups: readonly UptimeRuleGroup[];

  constructor(scope: Construct, id: string, props: UptimeProbeProps) {
    super(scope, id);
    this.plan = uptimeProbePlan(props.platform, props.service, { blackbox: props.blackbox, where: this.node.path });
    this.groups = this.plan === undefined ? [] : [this.plan.ruleGroup];
    if (this.plan !== undefined) {
      this.probe = new Probe(this, 'Resource', probeProps(this.plan, { labels: props.labels ?? props.platform.monitoringLabels }));
    }
  }
}
