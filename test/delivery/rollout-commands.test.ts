import { rolloutCommands } from '../../lib/delivery';
import { canaryService } from './fixtures';

describe('rolloutCommands', () => {
  it('drives a canary with the Argo Rollouts plugin in the service\'s namespace', () => {
    const { service } = canaryService();
    const commands = rolloutCommands(service);
    expect(Object.fromEntries(Object.entries(commands).filter(([k]) => k !== 'strategy').map(([k, v]) => [k, (v as { command: string }).command]))).toEqual({
      status: 'kubectl argo rollouts get rollout orders -n shop --watch',
      promote: 'kubectl argo rollouts promote orders -n shop',
      abort: 'kubectl argo rollouts abort orders -n shop',
      retry: 'kubectl argo rollouts retry rollout orders -n shop',
      undo: 'kubectl argo rollouts undo orders -n shop',
    });
    expect(commands.abort?.purpose).toBe('stop: all traffic back to stable, the canary scaled down');
    expect(commands.undo.purpose).toBe('go back to the previous revision; one of the last 3 skips steps and analysis');
  });

  it('says what promote and abort do for blue/green, and what undo does without a rollback window', () => {
    const commands = rolloutCommands(canaryService({ delivery: { strategy: 'blue-green', rollbackWindow: 0 } }).service);
    expect(commands.promote?.purpose).toBe('switch the active Service to the preview (after the pre-promotion analysis)');
    expect(commands.abort?.purpose).toBe('stop: the active Service back to the old pods');
    expect(commands.undo.purpose).toBe('go back to the previous revision, through the analyses');
  });

  it('uses kubectl rollout for a rolling Deployment, which has nothing to promote or abort', () => {
    const commands = rolloutCommands(canaryService({ delivery: { strategy: 'rolling' } }).service);
    expect(commands).toEqual({
      strategy: 'rolling',
      status: { purpose: 'watch the rolling update until it completes', command: 'kubectl rollout status deployment/orders -n shop' },
      undo: { purpose: 'go back to the previous revision', command: 'kubectl rollout undo deployment/orders -n shop' },
    });
  });
});
