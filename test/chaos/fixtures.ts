import { EffectiveService, GameDaysInput, PlatformDefinition, ServiceDefinitionInput, resolveEnvironment } from '../../lib/definition';
import { BASE_SERVICE, testPlatform } from '../fixtures/services';

/** 99.9% availability and 99% of requests within 0.25 s. */
export const CHAOS_SLOS: ServiceDefinitionInput['slos'] = [
  { kind: 'availability', name: 'availability', objective: 99.9 },
  { kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25 },
];

/** A kill, a failure of half the pods, a delay and a loss. */
export const EXPERIMENTS: GameDaysInput = {
  experiments: [
    { kind: 'pod-kill', name: 'kill-one' },
    { kind: 'pod-failure', name: 'fail-half', podPercent: 50, duration: '10m' },
    { kind: 'network-delay', name: 'slow', latency: '200ms', jitter: '50ms', slos: ['latency'] },
    { kind: 'network-loss', name: 'lossy', lossPercent: 5, slos: ['availability'] },
  ],
  lastHeld: '2025-10-14',
};

/** `BASE_SERVICE` (orders, namespace shop) with the experiments, in prod of `testPlatform`. */
export function chaosService(changes: Partial<ServiceDefinitionInput> = {}): { platform: PlatformDefinition; service: EffectiveService } {
  const platform = testPlatform({ ...BASE_SERVICE, slos: CHAOS_SLOS, gameDays: EXPERIMENTS, ...changes } as ServiceDefinitionInput);
  return { platform, service: resolveEnvironment(platform, platform.services[0], 'prod') };
}
