/**
 * HTTP health endpoints probed by the kubelet: liveness, readiness and startup.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
import { compact } from '../private/data';
import { Checks, PATH_PROBLEM, PORT_PROBLEM } from './checks';
import { TYPE, num, obj, str } from './shape';

/** An HTTP health endpoint probed by the kubelet. */
export interface ProbeInput {
  /** Path of the HTTP GET, starting with `/`. */
  readonly path: string;
  /** @default the service's container port */
  readonly port?: number;
  /** @default 0 */
  readonly initialDelaySeconds?: number;
  /** @default 10 (5 for the startup probe) */
  readonly periodSeconds?: number;
  /** @default 1 */
  readonly timeoutSeconds?: number;
  /** @default 3 (30 for the startup probe) */
  readonly failureThreshold?: number;
}

/** A normalized probe. */
export interface Probe {
  readonly path: string;
  readonly port: number;
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
}

/** Health endpoints. Services without HTTP (workers) usually give none. */
export interface HealthInput {
  /** @default none */
  readonly liveness?: ProbeInput;
  /** @default none */
  readonly readiness?: ProbeInput;
  /** @default none */
  readonly startup?: ProbeInput;
}

/** Normalized health endpoints. */
export interface Health {
  readonly liveness?: Probe;
  readonly readiness?: Probe;
  readonly startup?: Probe;
}

/** The probe kinds, in the order the kubelet documents them. */
export const PROBE_KINDS = ['liveness', 'readiness', 'startup'] as const;

/** Probe timings when a definition gives none: the only source of the `@default`s above. */
export const PROBE_DEFAULTS = Object.freeze({
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 1,
  failureThreshold: 3,
  startup: Object.freeze({ periodSeconds: 5, failureThreshold: 30 }),
});

const probeSchema = obj({
  path: str(PATH_PROBLEM),
  port: num(PORT_PROBLEM).optional(),
  initialDelaySeconds: num(TYPE.integer).optional(),
  periodSeconds: num(TYPE.integer).optional(),
  timeoutSeconds: num(TYPE.integer).optional(),
  failureThreshold: num(TYPE.integer).optional(),
});

/** Schema of `health`. */
export const healthSchema = obj({ liveness: probeSchema.optional(), readiness: probeSchema.optional(), startup: probeSchema.optional() });

function checkProbe(k: Checks, field: string, probe: ProbeInput, servicePort: number | undefined): void {
  k.path(`${field}.path`, probe.path);
  if (probe.port !== undefined) {
    k.port(`${field}.port`, probe.port);
  } else if (servicePort === undefined) {
    k.c.add(`${field}.port`, 'is required when the service has no HTTP port', probe.port);
  }
  if (probe.initialDelaySeconds !== undefined) k.int(`${field}.initialDelaySeconds`, probe.initialDelaySeconds, 0);
  if (probe.periodSeconds !== undefined) k.int(`${field}.periodSeconds`, probe.periodSeconds, 1);
  if (probe.timeoutSeconds !== undefined) k.int(`${field}.timeoutSeconds`, probe.timeoutSeconds, 1);
  if (probe.failureThreshold !== undefined) k.int(`${field}.failureThreshold`, probe.failureThreshold, 1);
}

/** Checks every probe of a service. */
export function checkHealth(k: Checks, health: HealthInput | undefined, port: number | undefined): void {
  for (const kind of PROBE_KINDS) {
    const probe = health?.[kind];
    if (probe !== undefined) {
      checkProbe(k, `health.${kind}`, probe, port);
    }
  }
}

function normalizeProbe(probe: ProbeInput | undefined, port: number | undefined, startup: boolean): Probe | undefined {
  if (probe === undefined) {
    return undefined;
  }
  const d = PROBE_DEFAULTS;
  return {
    path: probe.path,
    port: probe.port ?? (port as number),
    initialDelaySeconds: probe.initialDelaySeconds ?? d.initialDelaySeconds,
    periodSeconds: probe.periodSeconds ?? (startup ? d.startup.periodSeconds : d.periodSeconds),
    timeoutSeconds: probe.timeoutSeconds ?? d.timeoutSeconds,
    failureThreshold: probe.failureThreshold ?? (startup ? d.startup.failureThreshold : d.failureThreshold),
  };
}

/** Fills the defaults of every probe. */
export function normalizeHealth(health: HealthInput | undefined, port: number | undefined): Health {
  return compact({
    liveness: normalizeProbe(health?.liveness, port, false),
    readiness: normalizeProbe(health?.readiness, port, false),
    startup: normalizeProbe(health?.startup, port, true),
  });
}
