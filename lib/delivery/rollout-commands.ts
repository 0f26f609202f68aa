/**
 * The exact commands to watch, promote, stop and undo a service's rollout, for its delivery
 * strategy: the Argo Rollouts kubectl plugin for canary and blue/green, `kubectl rollout` for a
 * rolling Deployment. Runbooks and READMEs quote them from here, so they name the workload the
 * library emits. Service names and namespaces are DNS labels: nothing to quote for the shell.
 * @see https://argo-rollouts.readthedocs.io/en/stable/generated/kubectl-argo-rollouts/kubectl-argo-rollouts/
 * @see https://kubernetes.io/docs/reference/kubectl/generated/kubectl_rollout/
 */
import type { EffectiveService } from '../definition';

/** One command and what it does. */
export interface RolloutCommand {
  /** What the command is for, in a few words. */
  readonly purpose: string;
  /** The command line. */
  readonly command: string;
}

/** The commands of one service's rollout, by what they do; a rolling Deployment has no promote or abort. */
export interface RolloutCommands {
  readonly strategy: EffectiveService['delivery']['strategy'];
  readonly status: RolloutCommand;
  readonly promote?: RolloutCommand;
  readonly abort?: RolloutCommand;
  readonly retry?: RolloutCommand;
  readonly undo: RolloutCommand;
}

/**
 * The rollout commands of a service in its environment's namespace.
 *
 * @example
 * rolloutCommands(resolveEnvironment(platform, 'checkout', 'prod')).abort?.command;
 * // 'kubectl argo rollouts abort checkout -n payments'
 */
export function rolloutCommands(service: Pick<EffectiveService, 'name' | 'namespace' | 'delivery'>): RolloutCommands {
  const at = `${service.name} -n ${service.namespace}`;
  const strategy = service.delivery.strategy;
  if (strategy === 'rolling') {
    return {
      strategy,
      status: { purpose: 'watch the rolling update until it completes', command: `kubectl rollout status deployment/${at}` },
      undo: { purpose: 'go back to the previous revision', command: `kubectl rollout undo deployment/${at}` },
    };
  }
  const rollbackWindow = service.delivery.rollbackWindow;
  const gates = strategy === 'canary' ? 'steps and analysis' : 'the analyses';
  return {
    strategy,
    status: { purpose: 'watch the steps, analyses and pods', command: `kubectl argo rollouts get rollout ${at} --watch` },
    promote: {
      purpose: strategy === 'canary' ? 'skip the current pause and go to the next step' : 'switch the active Service to the preview (after the pre-promotion analysis)',
      command: `kubectl argo rollouts promote ${at}`,
    },
    abort: { purpose: strategy === 'canary' ? 'stop: all traffic back to stable, the canary scaled down' : 'stop: the active Service back to the old pods', command: `kubectl argo rollouts abort ${at}` },
    retry: { purpose: 'start an aborted rollout again, analyses included', command: `kubectl argo rollouts retry rollout ${at}` },
    undo: {
      purpose: rollbackWindow > 0 ? `go back to the previous revision; one of the last ${rollbackWindow} skips ${gates}` : `go back to the previous revision, through ${gates}`,
      command: `kubectl argo rollouts undo ${at}`,
    },
  };
}
