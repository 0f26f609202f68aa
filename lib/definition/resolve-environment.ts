/**
 * One service in one environment: the environment's overrides applied, defaults re-derived,
 * the platform's routing merged. This is what every output reads.
 */
import { byName, compact, deepFreeze, own } from '../private/data';
import { DefinitionError } from './errors';
import { mergeRouting, AlertRoutingInput } from './notification-policy';
import { PlatformDefinition, isDefinedPlatform } from './platform';
import { ServiceDefinition, applyOverride, normalizeService } from './service';

/** Where another service of the platform runs. */
export interface ServiceReference {
  readonly name: string;
  readonly namespace: string;
}

/** The definition of one service in one environment: overrides applied, routing resolved. */
export interface EffectiveService extends Omit<ServiceDefinition, 'overriddenEnvironments' | 'input' | 'alertRouting'> {
  /** The environment this definition is for. */
  readonly environment: string;
  /** Whether the environment is production. */
  readonly production: boolean;
  /** The platform's name (`app.kubernetes.io/part-of`). */
  readonly platform: string;
  /** Receiver name (or `'none'`) per severity, platform defaults merged with the service's. */
  readonly alertRouting: AlertRoutingInput;
  /** OTLP endpoint of the environment, when configured. */
  readonly otlpEndpoint?: string;
  /** The services of the platform that depend on this one (`dependsOn`), by name. */
  readonly callers: readonly ServiceReference[];
  /** The services this one calls (`dependsOn`), by name, with the port they serve HTTP on. */
  readonly callees: readonly ServiceEndpoint[];
}

/** A service of the platform and its HTTP port. */
export interface ServiceEndpoint extends ServiceReference {
  readonly port: number;
}

function fail(problem: string, path: string, value: unknown): never {
  throw new DefinitionError('environment resolution', [{ path, problem, value }]);
}

/** The platform's service for a service or a service name; throws when it is not one of the platform's. */
function serviceOf(platform: PlatformDefinition, service: ServiceDefinition | string): ServiceDefinition {
  const name = typeof service === 'string' ? service : typeof service === 'object' && service !== null ? (service as { name?: unknown }).name : undefined;
  const found = typeof name === 'string' ? indexOf(platform).byName.get(name) : undefined;
  if (found === undefined) {
    const names = platform.services.map((s) => s.name).sort();
    fail(`must be a service of platform ${platform.name} (${names.length > 0 ? names.join(', ') : 'none defined'}), or its name`, `${platform.name}.services`, typeof name === 'string' ? name : service);
  }
  if (typeof service !== 'string' && found !== service) {
    fail(`is not the service of that name in platform ${platform.name} (a copy, a raw input or another platform's); pass one of platform.services, or the name`, `${platform.name}.services`, name);
  }
  return found;
}

/**
 * The effective definition of one service in one environment: that environment's overrides
 * applied, defaults re-derived (a new image gives a new version), platform routing merged.
 * Throws a `DefinitionError` when the platform is not from `definePlatform`, the service not
 * one of its services, or the environment not one of its environments.
 */
export function resolveEnvironment(platform: PlatformDefinition, service: ServiceDefinition | string, environment: string): EffectiveService {
  if (!isDefinedPlatform(platform)) {
    fail('must be a platform from definePlatform', 'platform', platform);
  }
  const definition = serviceOf(platform, service);
  const env = platform.environments.find((e) => e.name === environment);
  if (env === undefined) {
    fail(`is not an environment of platform ${platform.name} (${platform.environments.map((e) => e.name).join(', ')})`, `${definition.name}.environment`, environment);
  }
  const index = indexOf(platform);
  const key = `${environment}\n${definition.name}`;
  const known = index.resolved.get(key);
  if (known !== undefined) return known;
  const override = own(definition.input.environments, environment);
  const resolved = override === undefined ? definition : normalizeService(applyOverride(definition.input, override));
  const { overriddenEnvironments: _o, input: _i, alertRouting, ...rest } = resolved;
  const effective: EffectiveService = deepFreeze(
    compact({
      ...rest,
      environment,
      production: env.production,
      platform: platform.name,
      alertRouting: mergeRouting(platform.defaultAlertRouting, alertRouting),
      otlpEndpoint: env.otlpEndpoint,
      callers: index.callers.get(definition.name) ?? [],
      callees: rest.dependsOn.flatMap((name) => {
        const callee = index.byName.get(name);
        return callee?.port === undefined ? [] : [{ name: callee.name, namespace: callee.namespace, port: callee.port }];
      }),
    }),
  );
  index.resolved.set(key, effective);
  return effective;
}

/**
 * What resolution reads of a platform again and again, built once per platform: its services
 * by name and sorted, each service's callers, and every service already resolved in an
 * environment. A platform is frozen, so its effective services never change; they live as long
 * as the platform does (about a kilobyte per service and environment beyond the definition).
 */
interface PlatformIndex {
  readonly byName: ReadonlyMap<string, ServiceDefinition>;
  readonly sorted: readonly ServiceDefinition[];
  /** The services that depend on each service (`dependsOn`), sorted by name. */
  readonly callers: ReadonlyMap<string, readonly ServiceReference[]>;
  /** Effective services by `<environment>\n<name>`. */
  readonly resolved: Map<string, EffectiveService>;
}

const indexes = new WeakMap<PlatformDefinition, PlatformIndex>();

function indexOf(platform: PlatformDefinition): PlatformIndex {
  let index = indexes.get(platform);
  if (index === undefined) {
    const named = new Map<string, ServiceDefinition>();
    for (const service of platform.services) if (!named.has(service.name)) named.set(service.name, service);
    const sorted = [...platform.services].sort(byName);
    const callers = new Map<string, ServiceReference[]>();
    for (const caller of sorted) {
      for (const name of new Set(caller.dependsOn)) {
        const reference = { name: caller.name, namespace: caller.namespace };
        const list = callers.get(name);
        if (list === undefined) callers.set(name, [reference]);
        else list.push(reference);
      }
    }
    index = { byName: named, sorted, callers, resolved: new Map() };
    indexes.set(platform, index);
  }
  return index;
}

/** The platform's service of that name (the first, should a raw platform hold two), looked up in its index; undefined when it has none. */
export function serviceNamed(platform: PlatformDefinition, name: string): ServiceDefinition | undefined {
  return indexOf(platform).byName.get(name);
}

/**
 * Every (service, environment) pair of a platform, in a stable order: environments as listed,
 * services by name. Optionally one environment only, and only the services a filter keeps.
 */
export function effectiveServices(platform: PlatformDefinition, environment?: string, filter?: (service: EffectiveService) => boolean): EffectiveService[] {
  const services = isDefinedPlatform(platform) ? indexOf(platform).sorted : [...(platform as PlatformDefinition).services].sort(byName);
  const environments = environment === undefined ? platform.environments : [platform.environments.find((e) => e.name === environment) ?? fail(`is not an environment of platform ${platform.name} (${platform.environments.map((e) => e.name).join(', ')})`, `${platform.name}.environment`, environment)];
  const all = environments.flatMap((env) => services.map((s) => resolveEnvironment(platform, s, env.name)));
  return filter === undefined ? all : all.filter(filter);
}
