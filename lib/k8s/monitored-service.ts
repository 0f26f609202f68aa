import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ServiceMonitor, ServiceMonitorSpecEndpointsScheme } from '../imports/monitoring-servicemonitors-monitoring.coreos.com';
import { DefinitionError } from '../definition';
import { EffectiveService, Probe } from '../definition';
import { parseCpu } from '../definition/quantities';
import { parseImage } from '../definition';
import { selectorLabels, standardLabels } from './labels';
import { DnsEndpoint, NetworkPolicyOptions, egressRules, ingressRules } from './network-policy';

/** Options of the PodDisruptionBudget. */
export interface DisruptionBudgetOptions {
  /**
   * Pods that may be down at once during voluntary disruptions (node drains).
   * @default 1
   */
  readonly maxUnavailable?: number;
}

/** Properties of a `MonitoredService`. */
export interface MonitoredServiceProps {
  /** The effective definition of the service in one environment (see `resolveEnvironment`). */
  readonly service: EffectiveService;
  /**
   * Namespace of the ingress controller, allowed to reach the HTTP port.
   * @default 'ingress-nginx'
   */
  readonly ingressNamespace?: string;
  /**
   * Namespace of Prometheus, allowed to reach the metrics port.
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
  /**
   * Further namespaces allowed to call the HTTP port. The service's own namespace always is, and
   * so are the pods of services that list this one in `dependsOn`.
   * @default []
   */
  readonly allowFromNamespaces?: readonly string[];
  /**
   * User and group ID the container runs as; must not be 0.
   * @default 65532 (the "nonroot" user of distroless images)
   */
  readonly runAsUser?: number;
  /**
   * Mount the container's root filesystem read-only. `/tmp` stays writable (an emptyDir).
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Size limit of the writable `/tmp` emptyDir.
   * @default '64Mi'
   */
  readonly tmpSizeLimit?: string;
  /**
   * Mount a Kubernetes API token into the pods. Only services that call the API need it.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /**
   * Node label to spread pods across.
   * @default 'topology.kubernetes.io/zone'
   */
  readonly topologyKey?: string;
  /**
   * Seconds the pod gets to finish in-flight work after SIGTERM.
   * @default 30
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Port of the Service in front of the HTTP container port.
   * @default 80
   */
  readonly servicePort?: number;
  /**
   * PodDisruptionBudget options, or `false` for none.
   * @default { maxUnavailable: 1 }
   */
  readonly disruptionBudget?: DisruptionBudgetOptions | false;
  /**
   * Emit a deny-by-default NetworkPolicy.
   * @default true
   */
  readonly networkPolicy?: boolean;
  /**
   * Where cluster DNS runs, which the NetworkPolicy lets the pods reach on port 53.
   * @default { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } }
   */
  readonly dns?: DnsEndpoint;
  /**
   * Labels the prometheus-operator selects ServiceMonitors by (the platform's `monitoringLabels`).
   * @default {}
   */
  readonly monitoringLabels?: Readonly<Record<string, string>>;
}

const TMP_SIZE = /^(\d+)(Ki|Mi|Gi)$/;

function toSize(quantity: string): Size {
  const match = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(quantity);
  const amount = Number(match?.[1]);
  switch (match?.[2]) {
    case 'Ki':
      return Size.kibibytes(amount);
    case 'Mi':
      return Size.mebibytes(amount);
    case 'Gi':
      return Size.gibibytes(amount);
    default:
      return Size.tebibytes(amount);
  }
}

function toCpu(quantity: string): kplus.Cpu {
  const millis = parseCpu(quantity) as number;
  return millis % 1000 === 0 ? kplus.Cpu.units(millis / 1000) : kplus.Cpu.millis(millis);
}

function toProbe(probe: Probe | undefined): kplus.Probe | undefined {
  if (probe === undefined) {
    return undefined;
  }
  return kplus.Probe.fromHttpGet(probe.path, {
    port: probe.port,
    initialDelaySeconds: Duration.seconds(probe.initialDelaySeconds),
    periodSeconds: Duration.seconds(probe.periodSeconds),
    timeoutSeconds: Duration.seconds(probe.timeoutSeconds),
    failureThreshold: probe.failureThreshold,
  });
}

/**
 * One service on Kubernetes with production defaults: a Deployment with requests and limits,
 * probes and Pod Security "restricted" settings, spread across zones; its Service,
 * HorizontalPodAutoscaler, PodDisruptionBudget, deny-by-default NetworkPolicy and a
 * ServiceMonitor for Prometheus. Every object is named after the service and carries the
 * recommended `app.kubernetes.io/*` labels and the team.
 *
 * Rollouts: a `rolling` delivery uses its `maxSurge` / `maxUnavailable`. For `canary` and
 * `blue-green`, which need a traffic-shifting controller, the Deployment rolls out with
 * `maxSurge: 25%`, `maxUnavailable: 0`: no capacity is lost, but traffic is not shifted in steps.
 *
 * @example
 * const service = resolveEnvironment(platform, checkout, 'prod');
 * new MonitoredService(chart, 'checkout', { service });
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export class MonitoredService extends Construct {
  /** The effective service definition. */
  public readonly service: EffectiveService;
  /** The workload. */
  public readonly deployment: kplus.Deployment;
  /** The Service in front of the pods (HTTP and metrics ports). */
  public readonly k8sService: k8s.KubeService;
  /** The autoscaler, when autoscaling is on. */
  public readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
  /** The disruption budget, unless turned off. */
  public readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
  /** The NetworkPolicy, unless turned off. */
  public readonly networkPolicy?: k8s.KubeNetworkPolicy;
  /** The Prometheus scrape configuration. */
  public readonly serviceMonitor: ServiceMonitor;
  /** The pods' own ServiceAccount (no RBAC, no token by default). */
  public readonly serviceAccount: kplus.ServiceAccount;

  constructor(scope: Construct, id: string, props: MonitoredServiceProps) {
    super(scope, id);
    const service = props.service;
    this.service = service;
    const runAsUser = props.runAsUser ?? 65532;
    const tmpSizeLimit = props.tmpSizeLimit ?? '64Mi';
    const servicePort = props.servicePort ?? 80;
    const problems: { path: string; problem: string; value: unknown }[] = [];
    if (!Number.isInteger(runAsUser) || runAsUser < 1) {
      problems.push({ path: 'runAsUser', problem: 'must be a positive integer: the container may not run as root', value: runAsUser });
    }
    if (!TMP_SIZE.test(tmpSizeLimit)) {
      problems.push({ path: 'tmpSizeLimit', problem: 'must be a memory quantity in Ki, Mi or Gi', value: tmpSizeLimit });
    }
    if (!Number.isInteger(servicePort) || servicePort < 1 || servicePort > 65535) {
      problems.push({ path: 'servicePort', problem: 'must be an integer from 1 to 65535', value: servicePort });
    }
    if (problems.length > 0) {
      throw new DefinitionError(`MonitoredService props of "${service.name}"`, problems, this.node.path);
    }

    const labels = standardLabels(service);
    const selector = selectorLabels(service);
    const metadata = { name: service.name, namespace: service.namespace, labels };

    this.serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata,
      automountToken: false,
    });

    const tmp = kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp', { sizeLimit: toSize(tmpSizeLimit) });
    const ports: kplus.ContainerPort[] = [];
    if (service.port !== undefined) {
      ports.push({ number: service.port, name: 'http' });
    }
    ports.push({ number: service.metrics.port, name: 'metrics' });

    this.deployment = new kplus.Deployment(this, 'deployment', {
      metadata,
      select: false,
      replicas: service.autoscaling === false ? service.replicas : undefined,
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
      terminationGracePeriod: Duration.seconds(props.terminationGracePeriodSeconds ?? 30),
      isolate: false,
      spread: false,
      strategy:
        service.delivery.strategy === 'rolling'
          ? kplus.DeploymentStrategy.rollingUpdate({
            maxSurge: percentOrAbsolute(service.delivery.maxSurge),
            maxUnavailable: percentOrAbsolute(service.delivery.maxUnavailable),
          })
          : // Canary and blue/green are data for the delivery constructs; a Deployment alone can
            // only surge new pods in before old ones go, never shift traffic in steps.
            kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.percent(25), maxUnavailable: kplus.PercentOrAbsolute.absolute(0) }),
      securityContext: {
        ensureNonRoot: true,
        user: runAsUser,
        group: runAsUser,
        fsGroup: runAsUser,
      },
      podMetadata: { labels },
      containers: [
        {
          name: service.name,
          image: service.image,
          // Pinned images never change under a tag; only a floating tag needs a pull every start.
          imagePullPolicy: parseImage(service.image).tag === 'latest' ? kplus.ImagePullPolicy.ALWAYS : kplus.ImagePullPolicy.IF_NOT_PRESENT,
          ports,
          envVariables: this.environmentVariables(),
          resources: {
            cpu: { request: toCpu(service.resources.requests.cpu), limit: toCpu(service.resources.limits.cpu) },
            memory: { request: toSize(service.resources.requests.memory), limit: toSize(service.resources.limits.memory) },
          },
          liveness: toProbe(service.health.liveness),
          readiness: toProbe(service.health.readiness),
          startup: toProbe(service.health.startup),
          securityContext: {
            ensureNonRoot: true,
            user: runAsUser,
            group: runAsUser,
            privileged: false,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: props.readOnlyRootFilesystem ?? true,
            capabilities: { drop: [kplus.Capability.ALL] },
            seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
          },
          volumeMounts: [{ path: '/tmp', volume: tmp }],
        },
      ],
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: selector }));
    const spread = (topologyKey: string, whenUnsatisfiable: string) => ({
      maxSkew: 1,
      topologyKey,
      whenUnsatisfiable,
      labelSelector: { matchLabels: selector },
    });
    const deploymentObject = ApiObject.of(this.deployment);
    // cdk8s-plus labels pods with its construct address; our selector labels replace it.
    deploymentObject.addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
    if (service.autoscaling !== false) {
      // The autoscaler owns the replica count; a fixed count would fight it on every apply.
      deploymentObject.addJsonPatch(JsonPatch.remove('/spec/replicas'));
    }
    deploymentObject.addJsonPatch(
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
      JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [
        spread(props.topologyKey ?? 'topology.kubernetes.io/zone', 'ScheduleAnyway'),
        spread('kubernetes.io/hostname', 'ScheduleAnyway'),
      ]),
    );

    const servicePorts: k8s.ServicePort[] = [];
    if (service.port !== undefined) {
      servicePorts.push({ name: 'http', port: servicePort, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' });
    }
    servicePorts.push({ name: 'metrics', port: service.metrics.port, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' });
    this.k8sService = new k8s.KubeService(this, 'service', {
      metadata,
      spec: { type: 'ClusterIP', selector, ports: servicePorts },
    });

    if (service.autoscaling !== false) {
      this.autoscaler = new k8s.KubeHorizontalPodAutoscalerV2(this, 'autoscaler', {
        metadata,
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name },
          minReplicas: service.autoscaling.minReplicas,
          maxReplicas: service.autoscaling.maxReplicas,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: service.autoscaling.cpuTargetPercent } },
            },
          ],
          behavior: {
            scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
          },
        },
      });
    }

    if (props.disruptionBudget !== false) {
      this.disruptionBudget = new k8s.KubePodDisruptionBudget(this, 'disruption-budget', {
        metadata,
        spec: {
          selector: { matchLabels: selector },
          maxUnavailable: k8s.IntOrString.fromNumber(props.disruptionBudget?.maxUnavailable ?? 1),
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      });
    }

    if (props.networkPolicy ?? true) {
      const options: NetworkPolicyOptions = {
        ingressNamespace: props.ingressNamespace ?? 'ingress-nginx',
        monitoringNamespace: props.monitoringNamespace ?? 'monitoring',
        allowFromNamespaces: props.allowFromNamespaces ?? [],
        dns: props.dns ?? {},
      };
      this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'network-policy', {
        metadata,
        spec: { podSelector: { matchLabels: selector }, policyTypes: ['Ingress', 'Egress'], ingress: ingressRules(service, options), egress: egressRules(service, options) },
      });
    }

    this.serviceMonitor = new ServiceMonitor(this, 'service-monitor', {
      metadata: { ...metadata, labels: { ...(props.monitoringLabels ?? {}), ...labels } },
      spec: {
        selector: { matchLabels: selector },
        endpoints: [{ port: 'metrics', path: service.metrics.path, interval: service.metrics.scrapeInterval, scheme: ServiceMonitorSpecEndpointsScheme.HTTP }],
      },
    });
  }

  private environmentVariables(): Record<string, kplus.EnvValue> {
    const service = this.service;
    const resourceAttributes = [
      `deployment.environment=${service.environment}`,
      `service.namespace=${service.namespace}`,
      `service.version=${service.version}`,
    ].join(',');
    const variables: Record<string, kplus.EnvValue> = {
      OTEL_SERVICE_NAME: kplus.EnvValue.fromValue(service.name),
      OTEL_RESOURCE_ATTRIBUTES: kplus.EnvValue.fromValue(resourceAttributes),
    };
    if (service.otlpEndpoint !== undefined) {
      variables.OTEL_EXPORTER_OTLP_ENDPOINT = kplus.EnvValue.fromValue(service.otlpEndpoint);
    }
    for (const [name, value] of Object.entries(service.env)) {
      variables[name] = kplus.EnvValue.fromValue(value);
    }
    for (const [name, ref] of Object.entries(service.secretEnv)) {
      const secret = kplus.Secret.fromSecretName(this, `secret-${name}`, ref.name);
      variables[name] = kplus.EnvValue.fromSecretValue({ secret, key: ref.key });
    }
    return Object.fromEntries(Object.entries(variables).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
}

function percentOrAbsolute(value: string): kplus.PercentOrAbsolute {
  return value.endsWith('%') ? kplus.PercentOrAbsolute.percent(Number(value.slice(0, -1))) : kplus.PercentOrAbsolute.absolute(Number(value));
}
