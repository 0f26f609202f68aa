/**
 * The records of what `defineService` and `definePlatform` returned: a platform takes only
 * defined services, and synthesis only a defined platform. Internal to the library (not
 * exported from its index), so user code cannot mark an unchecked value as defined.
 */
import { deepFreeze } from '../private/data';

/** Every service `defineService` returned, and every service of an adopted platform. */
export const definedServices = new WeakSet<object>();

/** Every platform `definePlatform` returned, and every adopted one. */
export const definedPlatforms = new WeakSet<object>();

/**
 * A structured clone of a platform `definePlatform` returned (posted to a worker thread, whose
 * heap is its own), made a platform again: frozen, and recorded with its services as defined.
 * The definition is plain data, so the clone is equal to the original. Trusts its caller: only
 * the library's own worker threads pass the clones they were handed.
 */
export function adoptPlatformClone<P extends { readonly services: readonly object[] }>(clone: P): P {
  const platform = deepFreeze(clone);
  for (const service of platform.services) definedServices.add(service);
  definedPlatforms.add(platform);
  return platform;
}
