/**
 * `GameDayExperiment`: one experiment of a game-day plan as a Chaos Mesh `PodChaos` or
 * `NetworkChaos`, written with the classes generated from the vendored CRDs.
 * @see https://chaos-mesh.org/docs/simulate-pod-chaos-on-kubernetes/
 * @see https://chaos-mesh.org/docs/simulate-network-chaos-on-kubernetes/
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { NetworkChaos, NetworkChaosSpecAction, NetworkChaosSpecDirection, NetworkChaosSpecMode } from '../imports/chaos-mesh-networkchaos-chaos-mesh.org';
import { PodChaos, PodChaosSpecAction, PodChaosSpecMode } from '../imports/chaos-mesh-podchaos-chaos-mesh.org';
import { GameDayPlan } from './game-day-plan';

/** Props of a `GameDayExperiment`. */
export interface GameDayExperimentProps {
  /** The experiment, as `gameDayPlans` plans it. */
  readonly plan: GameDayPlan;
}

/**
 * A chaos experiment of a service. Applying it starts the fault at once (Chaos Mesh runs an
 * experiment as soon as it exists), deleting it stops the fault: so it is written to a file of
 * its own, never into the manifests a GitOps controller syncs.
 *
 * @example
 * for (const plan of gameDayPlans(service)) new GameDayExperiment(chart, plan.objectName, { plan });
 */
export class GameDayExperiment extends Construct {
  /** The Chaos Mesh object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: GameDayExperimentProps) {
    super(scope, id);
    const { plan } = props;
    const e = plan.experiment;
    const metadata = { name: plan.objectName, namespace: plan.namespace, labels: { ...plan.labels } };
    const selector = { namespaces: [...plan.selector.namespaces], labelSelectors: { ...plan.selector.labelSelectors } };
    const value = plan.value !== undefined ? { value: plan.value } : {};
    if (e.kind === 'pod-kill' || e.kind === 'pod-failure') {
      this.apiObject = new PodChaos(this, 'Resource', {
        metadata,
        spec: {
          action: e.kind === 'pod-kill' ? PodChaosSpecAction.POD_HYPHEN_KILL : PodChaosSpecAction.POD_HYPHEN_FAILURE,
          mode: plan.mode === 'one' ? PodChaosSpecMode.ONE : PodChaosSpecMode.FIXED_HYPHEN_PERCENT,
          ...value,
          // A kill happens once; only a failure lasts.
          ...(e.kind === 'pod-failure' ? { duration: e.duration } : {}),
          selector,
        },
      });
    } else {
      this.apiObject = new NetworkChaos(this, 'Resource', {
        metadata,
        spec: {
          action: e.kind === 'network-delay' ? NetworkChaosSpecAction.DELAY : NetworkChaosSpecAction.LOSS,
          mode: plan.mode === 'one' ? NetworkChaosSpecMode.ONE : NetworkChaosSpecMode.FIXED_HYPHEN_PERCENT,
          ...value,
          // Every packet the pods send: their responses and their own calls.
          direction: NetworkChaosSpecDirection.TO,
          ...(e.kind === 'network-delay' ? { delay: { latency: e.latency, jitter: e.jitter, correlation: '0' } } : {}),
          ...(e.kind === 'network-loss' ? { loss: { loss: String(e.lossPercent), correlation: '0' } } : {}),
          duration: e.duration,
          selector,
        },
      });
    }
  }
}
