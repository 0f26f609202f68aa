/**
 * `MonitoredService`: one service on Kubernetes with production defaults. A thin composer: it
 * resolves its props once, checks them, and hands what the pure builders of its parts plan
 * (`workload.ts`, `ports.ts`, `pod-environment.ts`, `autoscaler.ts`, `disruption-budget.ts`,
 * `network-policy.ts`, `service-monitor.ts`) to cdk8s-plus-28.
 */
import { ApiObject, App, Chart, Duration, JsonPatch, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ServiceMonitor } from '../imports/monitoring-servicemonitors-monitoring.coreos.com';
import { DefinitionError, DefinitionIssue, EffectiveService, PlatformDefinition, isDefinedPlatform } from '../definition';
import { DNS_LABEL, DNS_LABEL_PROBLEM, DNS_SUBDOMAIN, INT32_MAX, LABEL_KEY_PROBLEM, LABEL_VALUE, LABEL_VALUE_PROBLEM, MAX_SUBDOMAIN, PORT_PROBLEM } from '../definition/checks';
import { autoscalerPlan, autoscalerProps } from './autoscaler';
import { CanaryDeployment, isRolloutDelivery, ownServicePorts, rolloutServiceMonitorSpec } from './canary-deployment';
import { DisruptionBudgetOptions, disruptionBudgetSpec } from './disruption-budget';
import { selectorLabels, standardLabels } from './labels';
import { DNS_DEFAULTS, DnsEndpoint, NetworkPolicyOptions, egressRules, ingressRules, serviceNetworkPolicy } from './network-policy';
import { podEnvironment } from './pod-environment';
import { containerPorts, servicePorts } from './ports';
import { serviceMonitorSpec } from './service-monitor';
import {
  containerResources,
  containerSecurityContext,
  deploymentStrategy,
  httpProbe,
  imagePullPolicy,
  podSecurityContext,
  REVISION_LABELS,
  rollout,
  topologySpread,
} from './workload';

/** Properties of a `MonitoredService`. */
export interface MonitoredServiceProps {
  /**
   * The platform the service belongs to: the namespaces of its ingress controller and of
   * Prometheus, and the labels Prometheus selects ServiceMonitors by.
   */
  readonly platform: PlatformDefinition;
  /** The effective definition of the service in one environment of that platform (see `resolveEnvironment`). */
  readonly service: EffectiveService;
  /**
   * Further namespaces allowed to call the HTTP port. The service's own namespace always is, and
   * so are the pods of services that list this one in `dependsOn`.
   * @default []
   */
  readonly allowFromNamespaces?: readonly string[];
  /**
   * User and group ID the container runs as, and the group that owns its volumes; must not be 0.
   * @default 65532 (the "nonroot" user of distroless images)
   */
  readonly runAsUser?: number;
  /**
   * Mount the container's root filesystem read-only. `/tmp` stays writable (an emptyDir).
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Size limit of the writable `/tmp` emptyDir, a whole number of mebibytes.
   * @default Size.mebibytes(64)
   */
  readonly tmpSizeLimit?: Size;
  /**
   * Mount a Kubernetes API token into the pods. Only services that call the API need it.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /**
   * Node label to spread pods across first; they are spread across nodes too.
   * @default 'topology.kubernetes.io/zone'
   */
  readonly topologyKey?: string;
  /**
   * Time the pod gets to finish in-flight work after SIGTERM, in whole seconds.
   * @default Duration.seconds(30)
   */
  readonly terminationGracePeriod?: Duration;
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
   * Emit the service's NetworkPolicy, which denies ingress and egress but what the service needs.
   * Without it, a namespace from `NamespaceChart` lets no traffic reach the pods.
   * @default true
   */
  readonly networkPolicy?: boolean;
  /**
   * Where cluster DNS runs, which the NetworkPolicy lets the pods reach on port 53.
   * @default { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } }
   */
  readonly dns?: DnsEndpoint;
}

/** The `MonitoredService` props when none are given: the only source of the `@default`s above. */
export const MONITORED_SERVICE_DEFAULTS = Object.freeze({
  allowFromNamespaces: Object.freeze([]) as readonly string[],
  runAsUser: 65532,
  readOnlyRootFilesystem: true,
  tmpSizeLimit: Size.mebibytes(64),
  automountServiceAccountToken: false,
  topologyKey: 'topology.kubernetes.io/zone',
  terminationGracePeriod: Duration.seconds(30),
  servicePort: 80,
  networkPolicy: true,
});

/** The path of `/tmp` and its volume. */
const TMP = { path: '/tmp', volume: 'tmp' } as const;

/**
 * One service on Kubernetes with production defaults: a Deployment with requests and limits,
 * probes and Pod Security "restricted" settings, spread across zones and nodes; its Service,
 * HorizontalPodAutoscaler, PodDisruptionBudget, deny-by-default NetworkPolicy and a
 * ServiceMonitor for Prometheus. Every object is named after the service and carries the
 * recommended `app.kubernetes.io/*` labels and the team.
 *
 * Rollouts: a `rolling` delivery is a Deployment with its `maxSurge` / `maxUnavailable`. A
 * `canary` or `blue-green` delivery is an Argo Rollouts `Rollout` instead (`CanaryDeployment`),
 * with the same pod template, its traffic Services and the AnalysisTemplates of its SLOs; the
 * autoscaler scales the Rollout, and the ServiceMonitor relabels the pod-template hash that
 * tells canary from stable.
 *
 * Throws a `DefinitionError` naming the construct path, the prop and the value when a prop is
 * out of range.
 *
 * @example
 * const service = resolveEnvironment(platform, checkout, 'prod');
 * new MonitoredService(chart, 'checkout', { platform, service });
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export class MonitoredService extends Construct {
  /** The platform. */
  public readonly platform: PlatformDefinition;
  /** The effective service definition. */
  public readonly service: EffectiveService;
  /** Namespaces besides the service's own allowed to call the HTTP port, sorted. */
  public readonly allowFromNamespaces: readonly string[];
  /** User and group ID of the container. */
  public readonly runAsUser: number;
  /** Whether the root filesystem is read-only. */
  public readonly readOnlyRootFilesystem: boolean;
  /** Size limit of `/tmp`. */
  public readonly tmpSizeLimit: Size;
  /** Whether a Kubernetes API token is mounted. */
  public readonly automountServiceAccountToken: boolean;
  /** Node label the pods spread across first. */
  public readonly topologyKey: string;
  /** Time between SIGTERM and SIGKILL. */
  public readonly terminationGracePeriod: Duration;
  /** Port of the Service in front of the HTTP container port. */
  public readonly servicePort: number;
  /** Where cluster DNS runs. */
  public readonly dns: Required<DnsEndpoint>;

  /** The pods' own ServiceAccount (no RBAC, no token by default). */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The workload of a rolling delivery. */
  public readonly deployment?: kplus.Deployment;
  /** The workload of a canary or blue/green delivery. */
  public readonly rollout?: CanaryDeployment;
  /** The Service in front of the pods (HTTP and metrics ports). */
  public readonly k8sService: k8s.KubeService;
  /** The autoscaler, when autoscaling is on. */
  public readonly autoscaler?: kplus.HorizontalPodAutoscaler;
  /** The disruption budget, unless turned off. */
  public readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
  /** The NetworkPolicy, unless turned off. */
  public readonly networkPolicy?: kplus.NetworkPolicy;
  /** The Prometheus scrape configuration. */
  public readonly serviceMonitor: ServiceMonitor;

  constructor(scope: Construct, id: string, props: MonitoredServiceProps) {
    super(scope, id);
    const issues = propIssues(props);
    if (issues.length > 0) {
      throw new DefinitionError(`MonitoredService props of "${props.service.name}"`, issues, this.node.path);
    }
    const { platform, service } = props;
    const defaults = MONITORED_SERVICE_DEFAULTS;
    this.platform = platform;
    this.service = service;
    this.allowFromNamespaces = [...new Set(props.allowFromNamespaces ?? defaults.allowFromNamespaces)].sort();
    this.runAsUser = props.runAsUser ?? defaults.runAsUser;
    this.readOnlyRootFilesystem = props.readOnlyRootFilesystem ?? defaults.readOnlyRootFilesystem;
    this.tmpSizeLimit = props.tmpSizeLimit ?? defaults.tmpSizeLimit;
    this.automountServiceAccountToken = props.automountServiceAccountToken ?? defaults.automountServiceAccountToken;
    this.topologyKey = props.topologyKey ?? defaults.topologyKey;
    this.terminationGracePeriod = props.terminationGracePeriod ?? defaults.terminationGracePeriod;
    this.servicePort = props.servicePort ?? defaults.servicePort;
    this.dns = { namespace: props.dns?.namespace ?? DNS_DEFAULTS.namespace, podLabels: props.dns?.podLabels ?? DNS_DEFAULTS.podLabels };

    const labels = standardLabels(service);
    const selector = selectorLabels(service);
    const metadata = () => ({ name: service.name, namespace: service.namespace, labels: { ...labels } });

    this.serviceAccount = new kplus.ServiceAccount(this, 'service-account', { metadata: metadata(), automountToken: false });

    const autoscaler = autoscalerPlan(service.autoscaling);
    const tmp = kplus.Volume.fromEmptyDir(this, 'tmp', TMP.volume, { sizeLimit: this.tmpSizeLimit });
    const delivery = service.delivery;
    // A Rollout carries the pod template a Deployment would: that Deployment is built apart, in a
    // chart of its own that is never synthesized, and only its template is used.
    const workloadScope = isRolloutDelivery(delivery) ? new Chart(new App(), 'pod-template', { disableResourceNameHashes: true }) : this;
    const deployment = new kplus.Deployment(workloadScope, 'deployment', {
      metadata: metadata(),
      // Pods are selected by their stable name label (below), not by cdk8s-plus's construct address.
      select: false,
      // With an autoscaler, cdk8s-plus leaves the replica count to it.
      replicas: autoscaler === undefined ? service.replicas : undefined,
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: this.automountServiceAccountToken,
      terminationGracePeriod: this.terminationGracePeriod,
      strategy: deploymentStrategy(rollout(service.delivery)),
      securityContext: podSecurityContext(this.runAsUser),
      podMetadata: { labels: { ...labels } },
      containers: [
        {
          name: service.name,
          image: service.image,
          imagePullPolicy: imagePullPolicy(service.image),
          ports: containerPorts(service),
          envVariables: this.environmentVariables(),
          resources: containerResources(service.resources),
          liveness: httpProbe(service.health.liveness),
          readiness: httpProbe(service.health.readiness),
          startup: httpProbe(service.health.startup),
          securityContext: containerSecurityContext(this.runAsUser, this.readOnlyRootFilesystem),
          volumeMounts: [{ path: TMP.path, volume: tmp }],
        },
      ],
    });
    deployment.select(kplus.LabelSelector.of({ labels: selector }));
    const deploymentObject = ApiObject.of(deployment);
    deploymentObject.addJsonPatch(
      // cdk8s-plus-28 labels every pod template with its construct address and cannot be told not to.
      JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'),
      // cdk8s-plus-28's pod security context has no seccompProfile (its container context has).
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
      // cdk8s-plus-28 has no topologySpreadConstraints: its spread is pod anti-affinity, required unless weighted.
      JsonPatch.add('/spec/template/spec/topologySpreadConstraints', topologySpread(selector, this.topologyKey, isRolloutDelivery(delivery) ? REVISION_LABELS.rollout : REVISION_LABELS.deployment)),
    );

    // cdk8s-plus-28's Service targets container ports by number only; these target them by name.
    this.k8sService = new k8s.KubeService(this, 'service', {
      metadata: metadata(),
      spec: { type: 'ClusterIP', selector, ports: ownServicePorts(delivery, servicePorts(service, this.servicePort)) },
    });

    if (isRolloutDelivery(delivery)) {
      const template = (deploymentObject.toJson() as { spec: { template: Record<string, unknown> } }).spec.template;
      this.rollout = new CanaryDeployment(this, 'rollout', {
        platform,
        service,
        podTemplate: template,
        containers: deployment.containers,
        replicas: autoscaler === undefined ? service.replicas : undefined,
        servicePort: this.servicePort,
        dns: this.dns,
      });
    } else {
      this.deployment = deployment;
    }

    if (autoscaler !== undefined) {
      this.autoscaler = new kplus.HorizontalPodAutoscaler(this, 'autoscaler', { metadata: metadata(), target: this.rollout ?? deployment, ...autoscalerProps(autoscaler) });
    }

    if (props.disruptionBudget !== false) {
      // cdk8s-plus-28 has no PodDisruptionBudget.
      this.disruptionBudget = new k8s.KubePodDisruptionBudget(this, 'disruption-budget', { metadata: metadata(), spec: disruptionBudgetSpec(selector, props.disruptionBudget) });
    }

    if (props.networkPolicy ?? defaults.networkPolicy) {
      const options: NetworkPolicyOptions = {
        ingressNamespace: platform.ingressNamespace,
        monitoringNamespace: platform.monitoringNamespace,
        allowFromNamespaces: this.allowFromNamespaces,
        dns: this.dns,
      };
      this.networkPolicy = serviceNetworkPolicy(this, 'network-policy', {
        metadata: metadata(),
        podLabels: selector,
        ingress: ingressRules(service, options),
        egress: egressRules(service, options),
      });
    }

    this.serviceMonitor = new ServiceMonitor(this, 'service-monitor', {
      metadata: { ...metadata(), labels: { ...platform.monitoringLabels, ...labels } },
      spec: this.rollout !== undefined ? rolloutServiceMonitorSpec(serviceMonitorSpec(service)) : serviceMonitorSpec(service),
    });
  }

  private environmentVariables(): Record<string, kplus.EnvValue> {
    return Object.fromEntries(
      podEnvironment(this.service).map((variable) => [
        variable.name,
        'secret' in variable
          ? kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(this, `secret-${variable.name}`, variable.secret.name), key: variable.secret.key })
          : kplus.EnvValue.fromValue(variable.value),
      ]),
    );
  }
}

/** Every problem of the props, in the order of the props. */
function propIssues(props: MonitoredServiceProps): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const add = (path: string, problem: string, value: unknown) => issues.push({ path, problem, value });
  const { platform, service } = props;
  if (!isDefinedPlatform(platform)) {
    add('platform', 'must be a platform from definePlatform', (platform as { name?: unknown } | undefined)?.name);
  } else if (service.platform !== platform.name) {
    add('service', `must be a service of platform ${platform.name}, from resolveEnvironment(platform, service, environment)`, `${service.name} of platform ${service.platform}`);
  }
  (props.allowFromNamespaces ?? []).forEach((namespace, i) => {
    if (!isDnsLabel(namespace)) add(`allowFromNamespaces[${i}]`, DNS_LABEL_PROBLEM, namespace);
  });
  const user = props.runAsUser;
  if (user !== undefined && (!Number.isInteger(user) || user < 1 || user > INT32_MAX)) {
    add('runAsUser', `must be an integer from 1 to ${INT32_MAX}: the container may not run as root (0)`, user);
  }
  const tmp = props.tmpSizeLimit?.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  if (tmp !== undefined && (!Number.isInteger(tmp) || tmp < 1)) {
    add('tmpSizeLimit', 'must be a whole number of mebibytes, at least 1', props.tmpSizeLimit?.asString());
  }
  if (props.topologyKey !== undefined && !isLabelKey(props.topologyKey)) {
    add('topologyKey', LABEL_KEY_PROBLEM, props.topologyKey);
  }
  if (props.terminationGracePeriod !== undefined && !Number.isInteger(props.terminationGracePeriod.toSeconds({ integral: false }))) {
    add('terminationGracePeriod', 'must be a whole number of seconds', props.terminationGracePeriod.toHumanString());
  }
  const port = props.servicePort;
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    add('servicePort', PORT_PROBLEM, port);
  }
  const maxUnavailable = props.disruptionBudget === false ? undefined : props.disruptionBudget?.maxUnavailable;
  if (maxUnavailable !== undefined && (!Number.isInteger(maxUnavailable) || maxUnavailable < 1 || maxUnavailable > INT32_MAX)) {
    add('disruptionBudget.maxUnavailable', `must be an integer from 1 to ${INT32_MAX}: at 0 no node running the pods could be drained`, maxUnavailable);
  }
  if (props.dns?.namespace !== undefined && !isDnsLabel(props.dns.namespace)) {
    add('dns.namespace', DNS_LABEL_PROBLEM, props.dns.namespace);
  }
  for (const [key, value] of Object.entries(props.dns?.podLabels ?? {})) {
    if (!isLabelKey(key)) add(`dns.podLabels.${key}`, LABEL_KEY_PROBLEM, key);
    if (value !== '' && (!LABEL_VALUE.test(value) || value.length > 63)) add(`dns.podLabels.${key}`, LABEL_VALUE_PROBLEM, value);
  }
  return issues;
}

function isDnsLabel(name: string): boolean {
  return DNS_LABEL.test(name) && name.length <= 63;
}

/** A Kubernetes label key: an optional DNS subdomain and `/`, then a name of at most 63 characters. */
function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = key.slice(slash + 1);
  return (prefix === undefined || (DNS_SUBDOMAIN.test(prefix) && prefix.length <= MAX_SUBDOMAIN)) && LABEL_VALUE.test(name) && name.length <= 63;
}
