/**
 * The Deployment's pieces as values, built from the definition without a construct tree: the
 * rollout, the image pull policy, requests and limits, probes, the security contexts and the
 * topology spread. `MonitoredService` hands them to cdk8s-plus.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/
 */
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Delivery, Probe, Resources, parseCpu, parseImage, parseMemory } from '../definition';

/** How a Deployment replaces its pods, in Kubernetes notation (`'25%'` or a count). */
export interface Rollout {
  readonly maxSurge: string;
  readonly maxUnavailable: string;
}

/**
 * The surge of `canary` and `blue-green` deliveries, which an Argo Rollout carries out
 * (`CanaryDeployment`): its canary surges new pods in by this much before old ones go, so no
 * capacity is lost.
 */
export const STEPLESS_ROLLOUT: Rollout = Object.freeze({ maxSurge: '25%', maxUnavailable: '0' });

/** The rollout of a delivery: a rolling one as defined, the others `STEPLESS_ROLLOUT`. */
export function rollout(delivery: Delivery): Rollout {
  return delivery.strategy === 'rolling' ? { maxSurge: delivery.maxSurge, maxUnavailable: delivery.maxUnavailable } : STEPLESS_ROLLOUT;
}

/** The rollout as a cdk8s-plus strategy. */
export function deploymentStrategy(plan: Rollout): kplus.DeploymentStrategy {
  return kplus.DeploymentStrategy.rollingUpdate({ maxSurge: percentOrAbsolute(plan.maxSurge), maxUnavailable: percentOrAbsolute(plan.maxUnavailable) });
}

function percentOrAbsolute(value: string): kplus.PercentOrAbsolute {
  return value.endsWith('%') ? kplus.PercentOrAbsolute.percent(Number(value.slice(0, -1))) : kplus.PercentOrAbsolute.absolute(Number(value));
}

/** Pinned images never change under a tag; only a floating `latest` needs a pull on every start. */
export function imagePullPolicy(image: string): kplus.ImagePullPolicy {
  return parseImage(image).tag === 'latest' ? kplus.ImagePullPolicy.ALWAYS : kplus.ImagePullPolicy.IF_NOT_PRESENT;
}

/** A CPU quantity of the definition (`250m`, `2`) as cdk8s-plus `Cpu`. */
export function cpu(quantity: string): kplus.Cpu {
  const millis = parseCpu(quantity) as number;
  return millis % 1000 === 0 ? kplus.Cpu.units(millis / 1000) : kplus.Cpu.millis(millis);
}

/** A memory quantity of the definition (`512Mi`, `2Gi`) as a `Size`. */
export function memory(quantity: string): Size {
  return Size.kibibytes(parseMemory(quantity) as number);
}

/** Requests and limits of the container. */
export function containerResources(resources: Resources): kplus.ContainerResources {
  return {
    cpu: { request: cpu(resources.requests.cpu), limit: cpu(resources.limits.cpu) },
    memory: { request: memory(resources.requests.memory), limit: memory(resources.limits.memory) },
  };
}

/** An HTTP probe of the definition as a cdk8s-plus probe. */
export function httpProbe(probe: Probe | undefined): kplus.Probe | undefined {
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
 * The pod's security context (Pod Security "restricted"): a non-root user and group, which
 * also owns the volumes. Its `seccompProfile` is not here: cdk8s-plus-28 has no such pod field.
 */
export function podSecurityContext(user: number): kplus.PodSecurityContextProps {
  return { ensureNonRoot: true, user, group: user, fsGroup: user };
}

/**
 * The container's security context (Pod Security "restricted"): non-root, no privilege and no
 * escalation, every capability dropped, the runtime's default seccomp profile.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export function containerSecurityContext(user: number, readOnlyRootFilesystem: boolean): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: true,
    user,
    group: user,
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem,
    capabilities: { drop: [kplus.Capability.ALL] },
    seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
  };
}

/** The label that tells a pod's revision, by the controller that made it. */
export const REVISION_LABELS = Object.freeze({ deployment: 'pod-template-hash', rollout: 'rollouts-pod-template-hash' });

/** The node label of individual nodes, the second level pods spread across. */
export const HOSTNAME_TOPOLOGY_KEY = 'kubernetes.io/hostname';

/**
 * Spread constraints that keep the pods evenly across `topologyKey` and then across nodes,
 * without ever leaving a pod unscheduled (`ScheduleAnyway`); one constraint when `topologyKey`
 * is the hostname itself. Each revision is balanced on its own (`matchLabelKeys`: the label
 * of the pod's revision, `pod-template-hash` under a Deployment, `rollouts-pod-template-hash`
 * under an Argo Rollout), so a rollout does not crowd one zone.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
 */
export function topologySpread(podLabels: Readonly<Record<string, string>>, topologyKey: string, revisionLabel: string = REVISION_LABELS.deployment): k8s.TopologySpreadConstraint[] {
  return [...new Set([topologyKey, HOSTNAME_TOPOLOGY_KEY])].map((key) => ({
    maxSkew: 1,
    topologyKey: key,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...podLabels } },
    matchLabelKeys: [revisionLabel],
  }));
}
