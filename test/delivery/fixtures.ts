import { EffectiveService, PlatformDefinition, ServiceDefinitionInput, resolveEnvironment } from '../../lib/definition';
import { BASE_SERVICE, testPlatform } from '../fixtures/services';

/** The SLOs the analysis tests measure: 99.9% availability and 99% of requests within 0.25 s. */
export const ANALYSIS_SLOS: ServiceDefinitionInput['slos'] = [
  { kind: 'availability', name: 'availability', objective: 99.9 },
  { kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25 },
];

/** The canary steps of the analysis tests: three steps of 5m, which 4 replicas can honour without a traffic router. */
export const ANALYSIS_DELIVERY = { strategy: 'canary', steps: [25, 50, 100], stepDuration: '5m' } as const;

/** A canary-delivered service with `ANALYSIS_SLOS` in prod of `testPlatform`, and its platform. */
export function canaryService(changes: Partial<ServiceDefinitionInput> = {}): { platform: PlatformDefinition; service: EffectiveService } {
  const platform = testPlatform({ ...BASE_SERVICE, slos: ANALYSIS_SLOS, replicas: 4, delivery: { ...ANALYSIS_DELIVERY, steps: [...ANALYSIS_DELIVERY.steps] }, ...changes } as ServiceDefinitionInput);
  return { platform, service: resolveEnvironment(platform, platform.services[0], 'prod') };
}
