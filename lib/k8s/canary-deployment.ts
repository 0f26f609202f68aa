/**
 * `CanaryDeployment`: an Argo Rollouts `Rollout` in place of a Deployment, for the `canary` and
 * `blue-green` deliveries, with the Services Argo Rollouts switches and the AnalysisTemplates
 * generated from the service's SLOs (`lib/delivery`).
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/specification/
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { parseDuration } from '../promql/duration';
import { AnalysisTemplate, CanaryAnalysisPlan, PreviewAnalysisPlan, RolloutAnalysisArg, canaryAnalysisPlan, goDuration, previewAnalysisPlan } from '../delivery';
import { BlueGreenDelivery, CanaryDelivery, DefinitionError, EffectiveService, PlatformDefinition, TrafficRouting, autoPromotes } from '../definition';
import {
  Rollout,
  RolloutSpec,
  RolloutSpecStrategy,
  RolloutSpecStrategyCanaryMaxSurge,
  RolloutSpecStrategyCanaryMaxUnavailable,
  RolloutSpecStrategyCanarySteps,
  RolloutSpecStrategyCanaryStepsPauseDuration,
  RolloutSpecStrategyCanaryTrafficRouting,
  toJson_RolloutSpec,
} from '../imports/argo-rollouts-argoproj.io';
import { ServiceMonitorSpec } from '../imports/monitoring-servicemonitors-monitoring.coreos.com';
import { TRACKS, TRACK_LABEL } from '../dashboards/service-dashboard';
import { selectorLabels, standardLabels } from './labels';
import { DNS_DEFAULTS, DnsEndpoint, NetworkRule, dnsRule, serviceNetworkPolicy } from './network-policy';
import { STEPLESS_ROLLOUT } from './workload';

/** A delivery a Rollout carries out. */
export type RolloutDelivery = CanaryDelivery | BlueGreenDelivery;

/** Whether a service's delivery needs a Rollout rather than a Deployment. */
export function isRolloutDelivery(delivery: EffectiveService['delivery']): delivery is RolloutDelivery {
  return delivery.strategy === 'canary' || delivery.strategy === 'blue-green';
}

/** The annotations on the Rollout recording why it departs from the normal delivery. */
export const ROLLOUT_ANNOTATIONS = Object.freeze({
  /** The reason of an emergency patch. */
  emergencyReason: 'ops-constructs/emergency-reason',
  /** The reason the error-budget freeze is overridden. */
  budgetFreezeOverrideReason: 'ops-constructs/budget-freeze-override-reason',
});

/** The label of the Services that carry one side of the traffic, so nothing mistakes them for the service's own. */
export const TRAFFIC_ROLE_LABEL = 'ops-constructs/traffic';

/** The `app.kubernetes.io/component` of the smoke Job's pods. */
export const SMOKE_TRAFFIC_COMPONENT = 'smoke-traffic';

/**
 * The labels of a blue/green service's smoke Job pods. Their name is `<service>-smoke-traffic`,
 * never the service's: the service's Services, PodDisruptionBudget and NetworkPolicy select its
 * pods by `app.kubernetes.io/name` and must not take in the Job.
 */
export function smokeTrafficLabels(service: Pick<EffectiveService, 'name' | 'platform' | 'version' | 'component' | 'team'>): Record<string, string> {
  return { ...standardLabels(service), 'app.kubernetes.io/component': SMOKE_TRAFFIC_COMPONENT, 'app.kubernetes.io/name': `${service.name}-${SMOKE_TRAFFIC_COMPONENT}` };
}

/**
 * What the smoke Job's pods may reach: cluster DNS, and the service's pods on the HTTP port
 * (where the preview Service sends the requests). They take no ingress.
 */
export function smokeTrafficEgress(service: Pick<EffectiveService, 'name' | 'port'>, dns: Required<DnsEndpoint>): NetworkRule[] {
  return [dnsRule(dns), ...(service.port !== undefined ? [{ peer: { pods: selectorLabels(service) }, ports: [{ port: service.port, protocol: 'TCP' as const }] }] : [])];
}

/** The Rollout's settings when a definition gives none: the only source of the `@default`s below. */
export const CANARY_DEPLOYMENT_DEFAULTS = Object.freeze({
  /** A rollout that makes no progress for this long is aborted (`progressDeadlineAbort`). */
  progressDeadlineSeconds: 600,
  servicePort: 80,
});

/** The Services around a Rollout: the traffic sides Argo Rollouts switches, and where Prometheus scrapes. */
export interface RolloutServiceNames {
  /** Canary: the stable side; blue/green: the active Service (the service's own name). */
  readonly stable: string;
  /** Canary: the canary side; blue/green: the preview Service. */
  readonly canary: string;
  /** Blue/green only: the Service over every pod that Prometheus scrapes. */
  readonly metrics?: string;
}

/** The names of the Services a delivery needs besides, or instead of, the service's own. */
export function rolloutServiceNames(service: Pick<EffectiveService, 'name'>, delivery: RolloutDelivery): RolloutServiceNames {
  return delivery.strategy === 'canary'
    ? { stable: `${service.name}-stable`, canary: `${service.name}-canary` }
    : { stable: service.name, canary: `${service.name}-preview`, metrics: `${service.name}-metrics` };
}

/**
 * The ports of the service's own Service. Blue/green makes it the active Service, which Argo
 * Rollouts points at the active pods only, so it carries no metrics port: Prometheus scrapes
 * every pod, active and preview, once, through the metrics Service.
 */
export function ownServicePorts(delivery: EffectiveService['delivery'], ports: readonly k8s.ServicePort[]): k8s.ServicePort[] {
  return delivery.strategy === 'blue-green' ? ports.filter((p) => p.name !== 'metrics') : [...ports];
}

/**
 * The ServiceMonitor of a service delivered by a Rollout: the job is the service's name whichever
 * Service a pod is scraped through (blue/green scrapes through the metrics Service). The
 * pod-template hash and track relabelings are on every ServiceMonitor (`serviceMonitorSpec`).
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ServiceMonitorSpec
 */
export function rolloutServiceMonitorSpec(spec: ServiceMonitorSpec): ServiceMonitorSpec {
  return { ...spec, jobLabel: 'app.kubernetes.io/name' };
}

/** The pod labels Argo Rollouts puts on each side, which the dashboards' canary panels read. */
function trackMetadata(track: string) {
  return { labels: { [TRACK_LABEL]: track } };
}

/**
 * A Prometheus duration as Argo Rollouts reads a pause (Go's `time.ParseDuration`, which has no
 * days): `10m`, `1h30m`, `90s`.
 */
export function pauseDuration(duration: string): string {
  const seconds = parseDuration(duration);
  if (seconds === undefined || seconds <= 0) throw new Error(`not a positive duration: ${duration}`);
  return goDuration(seconds);
}

/** The canary's traffic router as the Rollout spells it. */
export function trafficRoutingSpec(routing: TrafficRouting, namespace: string): RolloutSpecStrategyCanaryTrafficRouting {
  if ('nginx' in routing) return { nginx: { stableIngress: routing.nginx.stableIngress } };
  if ('istio' in routing) return { istio: { virtualService: { name: routing.istio.virtualService } } };
  // Gateway API is a traffic-router plugin of Argo Rollouts.
  return { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: routing.gatewayApi.httpRoute, namespace } } };
}

/** The template references of an analysis, with the hashes the templates take. */
function analysisRefs(templates: readonly string[], args: readonly RolloutAnalysisArg[]) {
  return { templates: templates.map((templateName) => ({ templateName })), args: args.map((a) => ({ name: a.name, valueFrom: { podTemplateHashValue: a.valueFrom.podTemplateHashValue } })) };
}

/** What a Rollout's strategy is built from. */
export interface RolloutStrategyInput {
  readonly service: Pick<EffectiveService, 'name' | 'namespace' | 'production'>;
  readonly delivery: RolloutDelivery;
  /** The background (SLO) analysis template. */
  readonly backgroundTemplate: string;
  /** The error-budget freeze template; absent when the freeze is off or overridden. */
  readonly budgetFreezeTemplate?: string;
  /** Blue/green: the preview's smoke-traffic template, run before promotion. */
  readonly previewTemplate?: string;
  readonly args: readonly RolloutAnalysisArg[];
  /** Whether the service has an HTTP port, so there are traffic Services. */
  readonly serves: boolean;
}

/**
 * The Rollout's strategy, as data.
 *
 * Canary: the budget-freeze analysis as step 0 (when on), then `setWeight` and `pause` per
 * step; the SLO analysis runs in the background from step 1, the first traffic shift, and a
 * failed measurement beyond its limit aborts the rollout, which sends all traffic back to stable.
 *
 * Blue/green: the preview Service gets the new pods; the freeze and the preview's smoke-traffic
 * analysis run before promotion, the SLO analysis after it; the old pods stay
 * `scaleDownDelaySeconds` so that an abort switches back at once.
 */
export function rolloutStrategy(input: RolloutStrategyInput): RolloutSpecStrategy {
  const { delivery, service } = input;
  const names = rolloutServiceNames(service, delivery);
  const freeze = input.budgetFreezeTemplate === undefined ? [] : [input.budgetFreezeTemplate];
  if (delivery.strategy === 'blue-green') {
    return {
      blueGreen: {
        activeService: names.stable,
        previewService: names.canary,
        activeMetadata: trackMetadata(TRACKS.stable),
        previewMetadata: trackMetadata(TRACKS.canary),
        autoPromotionEnabled: autoPromotes(delivery, service.production),
        scaleDownDelaySeconds: delivery.scaleDownDelaySeconds,
        prePromotionAnalysis: analysisRefs([...freeze, input.previewTemplate ?? input.backgroundTemplate], input.args),
        postPromotionAnalysis: analysisRefs([input.backgroundTemplate], input.args),
      },
    };
  }
  const steps: RolloutSpecStrategyCanarySteps[] = [
    ...freeze.map((templateName) => ({ analysis: analysisRefs([templateName], input.args) })),
    ...delivery.steps.flatMap((weight, i) => [{ setWeight: weight }, { pause: { duration: RolloutSpecStrategyCanaryStepsPauseDuration.fromString(pauseDuration(delivery.pauses[i])) } }]),
  ];
  return {
    canary: {
      ...(input.serves ? { stableService: names.stable, canaryService: names.canary } : {}),
      stableMetadata: trackMetadata(TRACKS.stable),
      canaryMetadata: trackMetadata(TRACKS.canary),
      maxSurge: RolloutSpecStrategyCanaryMaxSurge.fromString(STEPLESS_ROLLOUT.maxSurge),
      maxUnavailable: RolloutSpecStrategyCanaryMaxUnavailable.fromNumber(Number(STEPLESS_ROLLOUT.maxUnavailable)),
      ...(delivery.trafficRouting !== undefined ? { trafficRouting: trafficRoutingSpec(delivery.trafficRouting, service.namespace) } : {}),
      analysis: { ...analysisRefs([input.backgroundTemplate], input.args), startingStep: freeze.length },
      steps,
    },
  };
}

/** The reasons a delivery records on its Rollout, by annotation. */
export function rolloutAnnotations(delivery: RolloutDelivery): Record<string, string> {
  const annotations: Record<string, string> = {};
  if (delivery.strategy === 'canary' && delivery.emergency !== undefined) annotations[ROLLOUT_ANNOTATIONS.emergencyReason] = delivery.emergency.reason;
  if (delivery.budgetFreeze.override !== undefined) annotations[ROLLOUT_ANNOTATIONS.budgetFreezeOverrideReason] = delivery.budgetFreeze.override.reason;
  return annotations;
}

/** Properties of a `CanaryDeployment`. */
export interface CanaryDeploymentProps {
  /** The platform: its Prometheus is where the analysis measures. */
  readonly platform: PlatformDefinition;
  /** The service, in one environment, whose delivery is `canary` or `blue-green`. */
  readonly service: EffectiveService;
  /** The pod template, as a Deployment of the service would carry it (see `MonitoredService`). */
  readonly podTemplate: Record<string, unknown>;
  /** The containers of the pod template, for an autoscaler's checks. */
  readonly containers: readonly kplus.Container[];
  /**
   * Fixed replica count; leave it out when an autoscaler scales the Rollout.
   * @default none: the autoscaler's
   */
  readonly replicas?: number;
  /**
   * Port of the traffic Services in front of the HTTP container port.
   * @default 80
   */
  readonly servicePort?: number;
  /**
   * Cluster DNS, which a blue/green service's smoke Job may reach.
   * @default { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } }
   */
  readonly dns?: DnsEndpoint;
}

/**
 * A service's workload as an Argo Rollouts `Rollout` with an inline pod template, its traffic
 * Services and the AnalysisTemplates generated from its SLOs. A failed analysis aborts the
 * rollout and returns all traffic to stable; so does a rollout that stops progressing
 * (`progressDeadlineAbort`). Re-applying one of the last `rollbackWindow` revisions skips the
 * steps and analysis. Reasons for an emergency patch or a budget-freeze override are recorded
 * as annotations.
 *
 * It is an autoscaler target: a `HorizontalPodAutoscaler` scales the Rollout.
 *
 * @example
 * new CanaryDeployment(chart, 'rollout', { platform, service, podTemplate, containers });
 */
export class CanaryDeployment extends Construct implements kplus.IScalable {
  /** The delivery carried out. */
  public readonly delivery: RolloutDelivery;
  /** The analysis plan, from the service's SLOs. */
  public readonly analysisPlan: CanaryAnalysisPlan;
  /** The background (SLO) analysis template. */
  public readonly analysisTemplate: AnalysisTemplate;
  /** The error-budget freeze template, unless the freeze is off or overridden. */
  public readonly budgetFreezeTemplate?: AnalysisTemplate;
  /** Blue/green: the preview's analysis plan (smoke traffic and the SLO metrics over it). */
  public readonly previewPlan?: PreviewAnalysisPlan;
  /** Blue/green: the preview's pre-promotion template. */
  public readonly previewTemplate?: AnalysisTemplate;
  /** Blue/green: the NetworkPolicy of the smoke Job's pods. */
  public readonly smokeTrafficPolicy?: kplus.NetworkPolicy;
  /**
   * The Rollout: its spec written by the generated Argo Rollouts types, its pod template as the
   * Deployment would carry it, field for field (the generated types would drop or mangle any
   * field of the template their schema spells otherwise, such as int-or-string probe ports).
   */
  public readonly rollout: ApiObject;
  /** The Services Argo Rollouts switches (canary: stable and canary; blue/green: preview) and, for blue/green, the metrics Service. */
  public readonly services: readonly k8s.KubeService[];
  /** The Services' names. */
  public readonly serviceNames: RolloutServiceNames;
  /** Whether an autoscaler scales the Rollout. */
  public hasAutoscaler = false;

  private readonly containers: readonly kplus.Container[];
  private readonly name: string;

  constructor(scope: Construct, id: string, props: CanaryDeploymentProps) {
    super(scope, id);
    const { service, platform } = props;
    const delivery = service.delivery;
    if (!isRolloutDelivery(delivery)) {
      throw new DefinitionError(`CanaryDeployment props of "${service.name}"`, [{ path: 'service.delivery.strategy', problem: 'must be canary or blue-green; a rolling delivery is a Deployment', value: delivery.strategy }], this.node.path);
    }
    if (service.port === undefined && (delivery.strategy === 'blue-green' || delivery.trafficRouting !== undefined)) {
      const problem = delivery.strategy === 'blue-green' ? 'needs an HTTP port: blue/green switches the Service in front of it' : 'needs an HTTP port: a traffic router shifts HTTP traffic';
      throw new DefinitionError(`CanaryDeployment props of "${service.name}"`, [{ path: delivery.strategy === 'blue-green' ? 'service.delivery.strategy' : 'service.delivery.trafficRouting', problem, value: delivery.strategy }], this.node.path);
    }
    this.delivery = delivery;
    this.containers = props.containers;
    this.name = service.name;
    const labels = standardLabels(service);
    const selector = selectorLabels(service);
    this.serviceNames = rolloutServiceNames(service, delivery);

    this.analysisPlan = canaryAnalysisPlan(platform, service);
    this.analysisTemplate = new AnalysisTemplate(this, 'analysis', { plan: this.analysisPlan.background, labels });
    if (this.analysisPlan.budgetFreeze !== undefined) {
      this.budgetFreezeTemplate = new AnalysisTemplate(this, 'budget-freeze', { plan: this.analysisPlan.budgetFreeze, labels });
    }

    const servicePort = props.servicePort ?? CANARY_DEPLOYMENT_DEFAULTS.servicePort;
    if (delivery.strategy === 'blue-green') {
      const smokeLabels = smokeTrafficLabels(service);
      this.previewPlan = previewAnalysisPlan(platform, service, { service: this.serviceNames.canary, port: servicePort });
      this.previewTemplate = new AnalysisTemplate(this, 'preview', { plan: this.previewPlan.template, labels, jobPodLabels: smokeLabels });
      const dns = { namespace: props.dns?.namespace ?? DNS_DEFAULTS.namespace, podLabels: props.dns?.podLabels ?? DNS_DEFAULTS.podLabels };
      this.smokeTrafficPolicy = serviceNetworkPolicy(this, 'smoke-traffic-policy', {
        metadata: { name: smokeLabels['app.kubernetes.io/name'], namespace: service.namespace, labels: smokeLabels },
        podLabels: { 'app.kubernetes.io/name': smokeLabels['app.kubernetes.io/name'] },
        ingress: [],
        egress: smokeTrafficEgress(service, dns),
      });
    }
    const services: k8s.KubeService[] = [];
    const trafficService = (id: string, name: string, role: string, ports: k8s.ServicePort[]) =>
      new k8s.KubeService(this, id, {
        metadata: { name, namespace: service.namespace, labels: { ...labels, [TRAFFIC_ROLE_LABEL]: role } },
        spec: { type: 'ClusterIP', selector, ports },
      });
    if (service.port !== undefined) {
      const http: k8s.ServicePort[] = [{ name: 'http', port: servicePort, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }];
      if (delivery.strategy === 'canary') {
        services.push(trafficService('stable-service', this.serviceNames.stable, 'stable', http));
      }
      services.push(trafficService('canary-service', this.serviceNames.canary, delivery.strategy === 'canary' ? 'canary' : 'preview', http));
    }
    if (this.serviceNames.metrics !== undefined) {
      // Every pod, active and preview, scraped once; the ServiceMonitor's job label stays the service's name.
      services.push(
        new k8s.KubeService(this, 'metrics-service', {
          metadata: { name: this.serviceNames.metrics, namespace: service.namespace, labels: { ...labels } },
          spec: { type: 'ClusterIP', selector, ports: [{ name: 'metrics', port: service.metrics.port, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' }] },
        }),
      );
    }
    this.services = services;

    const annotations = rolloutAnnotations(delivery);
    const spec: RolloutSpec = {
      replicas: props.replicas,
      selector: { matchLabels: selector },
      progressDeadlineSeconds: CANARY_DEPLOYMENT_DEFAULTS.progressDeadlineSeconds,
      progressDeadlineAbort: true,
      ...(delivery.rollbackWindow > 0 ? { rollbackWindow: { revisions: delivery.rollbackWindow } } : {}),
      strategy: rolloutStrategy({
        service,
        delivery,
        backgroundTemplate: this.analysisTemplate.templateName,
        budgetFreezeTemplate: this.budgetFreezeTemplate?.templateName,
        previewTemplate: this.previewTemplate?.templateName,
        args: this.analysisPlan.rolloutArgs,
        serves: service.port !== undefined,
      }),
    };
    this.rollout = new ApiObject(this, 'rollout', {
      ...Rollout.GVK,
      metadata: { name: service.name, namespace: service.namespace, labels: { ...labels }, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
      spec: { ...toJson_RolloutSpec(spec), template: props.podTemplate },
    });
  }

  /** Called by the cdk8s-plus autoscaler that scales the Rollout. */
  public markHasAutoscaler(): void {
    this.hasAutoscaler = true;
  }

  /** The Rollout as an autoscaler's `scaleTargetRef`. */
  public toScalingTarget(): kplus.ScalingTarget {
    return { apiVersion: this.rollout.apiVersion, kind: this.rollout.kind, name: this.name, containers: [...this.containers] };
  }
}
