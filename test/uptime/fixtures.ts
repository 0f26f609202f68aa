import { EffectiveService, PlatformDefinition, PlatformDefinitionInput, ServiceDefinitionInput, definePlatform, defineService, resolveEnvironment } from '../../lib/definition';
import { platform, service } from '../fixtures/definitions';

/** The public host of the checkout service in the uptime tests. */
export const PUBLIC_HOST = 'checkout.shop.example.com';

/** A platform around one checkout service with a public host; both accept changes. */
export function uptimePlatform(serviceChanges: Partial<ServiceDefinitionInput> | Record<string, unknown> = {}, platformChanges: Partial<PlatformDefinitionInput> = {}): PlatformDefinition {
  return definePlatform(platform({ services: [defineService(service({ gcp: { project: 'shop-prod-4821', publicHost: PUBLIC_HOST }, ...serviceChanges }))], ...platformChanges }));
}

/** The checkout service of a platform in one environment. */
export function checkout(p: PlatformDefinition, environment = 'prod'): EffectiveService {
  return resolveEnvironment(p, 'checkout', environment);
}
