/**
 * Container resource requests and limits.
 * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
 */
import { Checks } from './checks';
import { parseCpu, parseMemory } from './quantities';
import { obj, str } from './shape';

/** CPU and memory quantities in Kubernetes notation (`250m`, `1`, `512Mi`, `2Gi`). */
export interface ResourceQuantities {
  /** CPU, e.g. `250m` or `1.5`. */
  readonly cpu: string;
  /** Memory, e.g. `256Mi` or `1Gi` (binary units Ki, Mi, Gi, Ti). */
  readonly memory: string;
}

/** Container resource requests and limits. */
export interface ResourcesInput {
  /** @default { cpu: '100m', memory: '128Mi' } */
  readonly requests?: Partial<ResourceQuantities>;
  /** @default { cpu: '500m', memory: '256Mi' } */
  readonly limits?: Partial<ResourceQuantities>;
}

/** Normalized resource requests and limits. */
export interface Resources {
  readonly requests: ResourceQuantities;
  readonly limits: ResourceQuantities;
}

/** Default requests and limits: the only source of the `@default`s above. */
export const RESOURCES_DEFAULTS: Resources = Object.freeze({
  requests: Object.freeze({ cpu: '100m', memory: '128Mi' }),
  limits: Object.freeze({ cpu: '500m', memory: '256Mi' }),
});

const CPU_PROBLEM = 'must be a CPU quantity such as 250m or 1.5 (at least 1m)';
const MEMORY_PROBLEM = 'must be a memory quantity with a binary unit (Ki, Mi, Gi, Ti), e.g. 512Mi';

const quantitiesSchema = obj({ cpu: str(CPU_PROBLEM).optional(), memory: str(MEMORY_PROBLEM).optional() });

/** Schema of `resources`. */
export const resourcesSchema = obj({ requests: quantitiesSchema.optional(), limits: quantitiesSchema.optional() });

/** Checks quantities and that no request exceeds its limit (defaults included). */
export function checkResources(k: Checks, field: string, resources: ResourcesInput | undefined): void {
  if (resources === undefined) {
    return;
  }
  const requests = resources.requests ?? {};
  const limits = resources.limits ?? {};
  const cpu = { requests: requests.cpu, limits: limits.cpu };
  const memory = { requests: requests.memory, limits: limits.memory };
  for (const kind of ['requests', 'limits'] as const) {
    if (cpu[kind] !== undefined && parseCpu(cpu[kind] as string) === undefined) {
      k.c.add(`${field}.${kind}.cpu`, CPU_PROBLEM, cpu[kind]);
    }
    const kib = memory[kind] === undefined ? undefined : parseMemory(memory[kind] as string);
    if (memory[kind] !== undefined && kib === undefined) {
      k.c.add(`${field}.${kind}.memory`, MEMORY_PROBLEM, memory[kind]);
    } else if (kib !== undefined && kib % 1024 !== 0) {
      // cdk8s-plus writes container memory in whole mebibytes.
      k.c.add(`${field}.${kind}.memory`, 'must be a whole number of mebibytes (Mi, Gi, Ti or a multiple of 1024Ki): cdk8s-plus-28 writes memory in Mi', memory[kind]);
    }
  }
  // Compare what will be applied: a value left out takes its default.
  for (const [kind, parse, values] of [['cpu', parseCpu, cpu], ['memory', parseMemory, memory]] as const) {
    if (values.requests === undefined && values.limits === undefined) {
      continue;
    }
    const request = values.requests ?? RESOURCES_DEFAULTS.requests[kind];
    const limit = values.limits ?? RESOURCES_DEFAULTS.limits[kind];
    const requestValue = parse(request);
    const limitValue = parse(limit);
    if (requestValue !== undefined && limitValue !== undefined && requestValue > limitValue) {
      const label = kind === 'cpu' ? 'CPU' : 'memory';
      if (values.requests !== undefined) {
        const origin = values.limits === undefined ? ' (the default)' : '';
        k.c.add(`${field}.requests.${kind}`, `must not exceed the ${label} limit ${limit}${origin}`, values.requests);
      } else {
        k.c.add(`${field}.limits.${kind}`, `must be at least the ${label} request ${request} (the default)`, values.limits);
      }
    }
  }
}

/** Fills the defaults of requests and limits. */
export function normalizeResources(input: ResourcesInput | undefined): Resources {
  return {
    requests: { cpu: input?.requests?.cpu ?? RESOURCES_DEFAULTS.requests.cpu, memory: input?.requests?.memory ?? RESOURCES_DEFAULTS.requests.memory },
    limits: { cpu: input?.limits?.cpu ?? RESOURCES_DEFAULTS.limits.cpu, memory: input?.limits?.memory ?? RESOURCES_DEFAULTS.limits.memory },
  };
}
