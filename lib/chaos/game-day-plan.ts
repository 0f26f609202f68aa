/**
 * The game days of a service in one environment, as plain data: per experiment, the Chaos Mesh
 * object (kind, mode, selector, fault), its steady-state hypotheses, its blast radius and the
 * files it is written to. Every experiment selects the service's pods by the labels its
 * workload's selector uses, in its own namespace only: a Chaos Mesh selector without
 * `namespaces` would select pods in every namespace the controller may touch.
 * @see https://chaos-mesh.org/docs/define-chaos-experiment-scope/
 */
import type { EffectiveService, GameDayExperiment } from '../definition';
import { selectorLabels, standardLabels } from '../k8s/labels';
import { SteadyStateHypothesis, steadyStateHypotheses } from './hypothesis';

/** The `app.kubernetes.io/component` of the chaos objects. */
export const GAME_DAY_COMPONENT = 'game-day';

/** Who and what an experiment can hurt. */
export interface BlastRadius {
  /** The only namespace it reaches. */
  readonly namespace: string;
  /** The pod labels it selects, the workload's own selector. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Pods hit when the service runs its fewest replicas. */
  readonly pods: number;
  /** The fewest replicas: the autoscaler's minimum, else the replica count. */
  readonly replicas: number;
  /** Pods hit at the autoscaler's maximum, when there is one. */
  readonly podsAtMax?: number;
  readonly maxReplicas?: number;
  /** What the fault does to them, in words. */
  readonly fault: string;
  /** The services that call this one (`dependsOn`), `<namespace>/<name>`: they see its failures. */
  readonly callers: readonly string[];
}

/** One experiment of a service in one environment. */
export interface GameDayPlan {
  readonly service: string;
  readonly environment: string;
  readonly production: boolean;
  readonly experiment: GameDayExperiment;
  /** `<service>-<experiment>`. */
  readonly objectName: string;
  readonly namespace: string;
  readonly kind: 'PodChaos' | 'NetworkChaos';
  readonly labels: Readonly<Record<string, string>>;
  /** The Chaos Mesh selector: the service's namespace and its workload's pod labels. */
  readonly selector: { readonly namespaces: readonly string[]; readonly labelSelectors: Readonly<Record<string, string>> };
  /** `one` pod, or `fixed-percent` of them (`value`, Chaos Mesh rounds up). */
  readonly mode: 'one' | 'fixed-percent';
  readonly value?: string;
  readonly hypotheses: readonly SteadyStateHypothesis[];
  readonly blastRadius: BlastRadius;
  /** Files relative to the output folder: the object to apply, and its runbook. */
  readonly files: { readonly manifest: string; readonly runbook: string };
}

/** The folder of an environment's game-day files, relative to the output folder. */
export function gameDaysFolder(environment: string): string {
  return `gamedays/${environment}`;
}

/** What the fault does, in words. */
function faultText(e: GameDayExperiment): string {
  switch (e.kind) {
    case 'pod-kill':
      return 'the pods are deleted at once; their ReplicaSet starts new ones';
    case 'pod-failure':
      return `the pods' containers are replaced by a pause image for ${e.duration}: they stay scheduled but serve nothing and fail their probes`;
    case 'network-delay':
      return `every packet the pods send, responses and their own calls, waits ${e.latency}${e.jitter !== '0ms' ? ` ± ${e.jitter}` : ''} for ${e.duration}`;
    case 'network-loss':
      return `${e.lossPercent}% of the packets the pods send, responses and their own calls, are dropped for ${e.duration}`;
  }
}

/**
 * The game days of a service in an environment: one plan per experiment, in definition order;
 * none when the service opts into none.
 *
 * @example
 * gameDayPlans(resolveEnvironment(platform, 'checkout', 'staging')).map((p) => p.objectName); // ['checkout-kill-one-pod']
 */
export function gameDayPlans(service: EffectiveService): GameDayPlan[] {
  const replicas = service.autoscaling === false ? service.replicas : service.autoscaling.minReplicas;
  const maxReplicas = service.autoscaling === false ? undefined : service.autoscaling.maxReplicas;
  const callers = service.callers.map((c) => `${c.namespace}/${c.name}`);
  return service.gameDays.experiments.map((experiment) => {
    const hit = (pods: number): number => (experiment.podPercent === undefined ? 1 : Math.ceil((pods * experiment.podPercent) / 100));
    const podLabels = selectorLabels(service);
    const folder = `${gameDaysFolder(service.environment)}/${service.name}`;
    return {
      service: service.name,
      environment: service.environment,
      production: service.production,
      experiment,
      objectName: `${service.name}-${experiment.name}`,
      namespace: service.namespace,
      kind: experiment.kind === 'pod-kill' || experiment.kind === 'pod-failure' ? 'PodChaos' : 'NetworkChaos',
      labels: { ...standardLabels(service), 'app.kubernetes.io/component': GAME_DAY_COMPONENT },
      selector: { namespaces: [service.namespace], labelSelectors: podLabels },
      mode: experiment.podPercent === undefined ? 'one' : 'fixed-percent',
      ...(experiment.podPercent !== undefined ? { value: String(experiment.podPercent) } : {}),
      hypotheses: steadyStateHypotheses(service, experiment),
      blastRadius: {
        namespace: service.namespace,
        podLabels,
        pods: hit(replicas),
        replicas,
        ...(maxReplicas !== undefined ? { podsAtMax: hit(maxReplicas), maxReplicas } : {}),
        fault: faultText(experiment),
        callers,
      },
      files: { manifest: `${folder}/${experiment.name}.k8s.yaml`, runbook: `${folder}/${experiment.name}.md` },
    };
  });
}
