import { DEFAULT_BURN_RATE_TIERS } from '../slo/burn-rate';
import { DefinitionError, DefinitionIssue, IssueCollector, formatIssue } from './errors';
import {
  AlertRoutingInput,
  Autoscaling,
  AutoscalingInput,
  Delivery,
  DeliveryInput,
  EffectiveService,
  Environment,
  Health,
  PlatformDefinition,
  PlatformDefinitionInput,
  Probe,
  ProbeInput,
  ReceiverInput,
  ROUTING_KEYS,
  ServiceDefinition,
  ServiceDefinitionInput,
  ServiceOverride,
  ServiceReference,
  Slo,
  SloInput,
} from './types';
import { DEFAULT_LATENCY_BUCKETS, DEFAULT_METRICS_PORT, checks, defaultReplicas, parseImage, validateService } from './validate';

/** Default resource requests and limits. */
export const DEFAULT_RESOURCES = Object.freeze({
  requests: Object.freeze({ cpu: '100m', memory: '128Mi' }),
  limits: Object.freeze({ cpu: '500m', memory: '256Mi' }),
});

/** Default canary traffic steps, percent. */
export const DEFAULT_CANARY_STEPS: readonly number[] = Object.freeze([1, 5, 10, 25, 50, 100]);

/** Default average CPU utilization target of the autoscaler, percent. */
export const DEFAULT_CPU_TARGET_PERCENT = 70;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
  }
  return value;
}

/** A deep copy of plain data, so that freezing the result leaves the caller's objects alone. */
function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(deepCopy) as T;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)])) as T;
  }
  return value;
}

/** The record's own entry for `key` (never an inherited one such as `constructor`). */
function own<V>(record: Readonly<Record<string, V>> | undefined, key: string): V | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** Drops keys whose value is undefined, so output and equality stay clean. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function sortedRecord<V>(record: Readonly<Record<string, V>> | undefined): Record<string, V> {
  return Object.fromEntries(Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function normalizeProbe(probe: ProbeInput | undefined, port: number | undefined, startup: boolean): Probe | undefined {
  if (probe === undefined) {
    return undefined;
  }
  return {
    path: probe.path,
    port: probe.port ?? (port as number),
    initialDelaySeconds: probe.initialDelaySeconds ?? 0,
    periodSeconds: probe.periodSeconds ?? (startup ? 5 : 10),
    timeoutSeconds: probe.timeoutSeconds ?? 1,
    failureThreshold: probe.failureThreshold ?? (startup ? 30 : 3),
  };
}

function normalizeAutoscaling(input: AutoscalingInput | false | undefined, replicas: number): Autoscaling | false {
  if (input === false) {
    return false;
  }
  const minReplicas = input?.minReplicas ?? replicas;
  return {
    minReplicas,
    maxReplicas: input?.maxReplicas ?? Math.max(3, minReplicas * 2),
    cpuTargetPercent: input?.cpuTargetPercent ?? DEFAULT_CPU_TARGET_PERCENT,
  };
}

function normalizeSlo(slo: SloInput): Slo {
  const common = {
    name: slo.name,
    objective: slo.objective,
    period: slo.period ?? '30d',
    burnRateTiers: (slo.burnRateTiers ?? DEFAULT_BURN_RATE_TIERS).map((t) => ({ ...t })),
    ...(slo.minRequestRate !== undefined ? { minRequestRate: slo.minRequestRate } : {}),
  };
  switch (slo.kind) {
    case 'availability':
      return {
        ...common,
        kind: 'availability',
        description: slo.description ?? `${slo.objective}% of requests succeed over ${common.period}`,
        badSelector: slo.badSelector ?? 'code=~"5.."',
        totalSelector: slo.totalSelector ?? '',
      };
    case 'latency':
      return {
        ...common,
        kind: 'latency',
        description: slo.description ?? `${slo.objective}% of requests complete within ${slo.thresholdSeconds * 1000}ms over ${common.period}`,
        thresholdSeconds: slo.thresholdSeconds,
        selector: slo.selector ?? '',
      };
    case 'custom':
      return {
        ...common,
        kind: 'custom',
        description: slo.description ?? `${slo.objective}% of events are good over ${common.period}`,
        goodQuery: slo.goodQuery,
        totalQuery: slo.totalQuery,
      };
  }
}

function normalizeDelivery(input: DeliveryInput | undefined): Delivery {
  const delivery = input ?? { strategy: 'rolling' };
  switch (delivery.strategy) {
    case 'rolling':
      return { strategy: 'rolling', maxSurge: delivery.maxSurge ?? '25%', maxUnavailable: delivery.maxUnavailable ?? '0' };
    case 'canary':
      return { strategy: 'canary', steps: [...(delivery.steps ?? DEFAULT_CANARY_STEPS)], stepDuration: delivery.stepDuration ?? '5m' };
    case 'blue-green':
      return { strategy: 'blue-green', scaleDownDelaySeconds: delivery.scaleDownDelaySeconds ?? 300, autoPromote: delivery.autoPromote ?? false };
  }
}

function versionOf(image: string): string {
  const ref = parseImage(image);
  if (ref.tag !== undefined) {
    return ref.tag;
  }
  return (ref.digest ?? '').replace(/^sha256:/, '').slice(0, 12);
}

/** Fills every default of a valid input. @internal */
function normalizeService(input: ServiceDefinitionInput): ServiceDefinition {
  const replicas = input.replicas ?? defaultReplicas(input.tier);
  const health: Health = compact({
    liveness: normalizeProbe(input.health?.liveness, input.port, false),
    readiness: normalizeProbe(input.health?.readiness, input.port, false),
    startup: normalizeProbe(input.health?.startup, input.port, true),
  });
  return compact({
    name: input.name,
    description: input.description ?? '',
    team: input.team,
    contacts: compact({
      owners: [...(input.contacts?.owners ?? [])],
      escalation: [...(input.contacts?.escalation ?? [])],
      chat: input.contacts?.chat,
    }),
    tier: input.tier,
    component: input.component ?? 'server',
    namespace: input.namespace ?? input.team,
    image: input.image,
    version: input.version ?? versionOf(input.image),
    port: input.port,
    metrics: {
      port: input.metrics?.port ?? DEFAULT_METRICS_PORT,
      path: input.metrics?.path ?? '/metrics',
      scrapeInterval: input.metrics?.scrapeInterval ?? '30s',
      requestsMetric: input.metrics?.requestsMetric ?? 'http_requests_total',
      latencyMetric: input.metrics?.latencyMetric ?? 'http_request_duration_seconds',
      latencyBuckets: [...(input.metrics?.latencyBuckets ?? DEFAULT_LATENCY_BUCKETS)],
    },
    replicas,
    resources: {
      requests: { ...DEFAULT_RESOURCES.requests, ...compact(input.resources?.requests ?? {}) },
      limits: { ...DEFAULT_RESOURCES.limits, ...compact(input.resources?.limits ?? {}) },
    },
    health,
    autoscaling: normalizeAutoscaling(input.autoscaling, replicas),
    env: sortedRecord(input.env),
    secretEnv: sortedRecord(input.secretEnv),
    dependsOn: [...new Set(input.dependsOn ?? [])].sort(),
    slos: (input.slos ?? []).map(normalizeSlo),
    delivery: normalizeDelivery(input.delivery),
    alertRouting: sortedRecord(input.alertRouting),
    gcp: input.gcp ? compact({ project: input.gcp.project, region: input.gcp.region ?? 'europe-west1', publicHost: input.gcp.publicHost }) : undefined,
    overriddenEnvironments: Object.keys(input.environments ?? {}).sort(),
    input,
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeDeep(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) {
    return override === undefined ? base : override;
  }
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    result[key] = mergeDeep(base[key], value);
  }
  return result;
}

/**
 * Applies one environment's overrides to a service input: objects merge key by key,
 * lists and scalars replace, `autoscaling: false` switches autoscaling off. An image
 * override drops the base's explicit `version`, which described the base image, so the
 * version is derived from the new image.
 */
export function applyOverride(input: ServiceDefinitionInput, override: ServiceOverride | undefined): ServiceDefinitionInput {
  if (override === undefined) {
    return input;
  }
  const { environments: _ignored, ...rest } = input;
  const { version: _version, ...withoutVersion } = rest;
  const base = override.image !== undefined && override.image !== input.image ? withoutVersion : rest;
  return { ...(mergeDeep(base, override) as ServiceDefinitionInput), environments: input.environments };
}

/** Validates the base input and each environment's merged input; returns every issue. */
function serviceIssues(input: ServiceDefinitionInput): DefinitionIssue[] {
  const root = typeof input?.name === 'string' && input.name !== '' ? input.name : '<unnamed>';
  const issues = validateService(input, root);
  if (typeof input !== 'object' || input === null) {
    return issues;
  }
  const known = new Set(issues.map(formatIssue));
  const environments = isPlainObject(input.environments) ? (input.environments as Readonly<Record<string, ServiceOverride>>) : {};
  for (const [env, override] of Object.entries(environments).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!isPlainObject(override)) {
      continue; // reported by validateService
    }
    const merged = applyOverride(input, override);
    for (const issue of validateService(merged, root)) {
      if (!known.has(formatIssue(issue))) {
        const field = issue.path.slice(root.length + 1);
        issues.push({ ...issue, path: `${root}.environments.${env}.${field}` });
      }
    }
  }
  return issues;
}

/**
 * Validates and normalizes one service: every default filled, the result deeply frozen.
 * Throws one `DefinitionError` listing every problem as `<service>.<field>: <problem> (got <value>)`.
 *
 * @example
 * const checkout = defineService({
 *   name: 'checkout', team: 'payments', tier: 'critical',
 *   image: 'registry.example.com/payments/checkout:1.4.2', port: 8080,
 *   slos: [{ kind: 'availability', name: 'availability', objective: 99.9 }],
 * });
 */
export function defineService(input: ServiceDefinitionInput): ServiceDefinition {
  const issues = serviceIssues(input);
  if (issues.length > 0) {
    const name = typeof input?.name === 'string' ? input.name : '<unnamed>';
    throw new DefinitionError(`service "${name}"`, issues);
  }
  return deepFreeze(normalizeService(deepCopy(input)));
}

function normalizeEnvironment(env: PlatformDefinitionInput['environments'][number]): Environment {
  const e = typeof env === 'string' ? { name: env } : env;
  return compact({
    name: e.name,
    production: e.production ?? (e.name === 'prod' || e.name === 'production'),
    otlpEndpoint: e.otlpEndpoint,
  });
}

function checkReceiver(c: IssueCollector, field: string, receiver: ReceiverInput): void {
  switch (receiver?.type) {
    case 'pagerduty':
      checks.secretRef(c, `${field}.routingKeySecret`, receiver.routingKeySecret);
      break;
    case 'slack':
      checks.secretRef(c, `${field}.apiUrlSecret`, receiver.apiUrlSecret);
      if (typeof receiver.channel !== 'string' || !/^#[-_a-z0-9]+$/.test(receiver.channel)) {
        c.add(`${field}.channel`, 'must be a Slack channel such as #payments-alerts', receiver.channel);
      }
      break;
    case 'webhook':
      checks.url(c, `${field}.url`, receiver.url);
      break;
    case 'email':
      if (typeof receiver.to !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(receiver.to)) {
        c.add(`${field}.to`, 'must be an e-mail address', receiver.to);
      }
      if (receiver.smarthost !== undefined && (typeof receiver.smarthost !== 'string' || !/^[^\s:/]+:[0-9]{1,5}$/.test(receiver.smarthost))) {
        c.add(`${field}.smarthost`, 'must be an SMTP server as host:port, such as smtp.example.com:587', receiver.smarthost);
      }
      if (receiver.from !== undefined && (typeof receiver.from !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(receiver.from))) {
        c.add(`${field}.from`, 'must be an e-mail address', receiver.from);
      }
      break;
    default:
      c.add(`${field}.type`, 'must be one of pagerduty, slack, webhook, email', (receiver as { type?: unknown })?.type);
  }
}

const CLOCK = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;
const WEEKDAY = /^(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(:(monday|tuesday|wednesday|thursday|friday|saturday|sunday))?$/;

/**
 * Checks that each routing target names a receiver. Unknown keys are reported when
 * `checkKeys` is set (service routings have their keys checked by `validateService`).
 */
function checkRouting(c: IssueCollector, field: string, routing: AlertRoutingInput | undefined, receivers: Readonly<Record<string, ReceiverInput>>, checkKeys = false): void {
  for (const [severity, name] of Object.entries(routing ?? {})) {
    if (!(ROUTING_KEYS as readonly string[]).includes(severity)) {
      if (checkKeys) c.add(`${field}.${severity}`, `is not a routing key; use ${ROUTING_KEYS.join(', ')}`, name);
    } else if (typeof name !== 'string' || own(receivers, name) === undefined) {
      const known = Object.keys(receivers).sort();
      c.add(`${field}.${severity}`, `must name a platform receiver (${known.length > 0 ? known.join(', ') : 'none defined'})`, name);
    }
  }
}

function isTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || value === '') {
    return false;
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Whether a value looks like the result of `defineService` (not a raw input). */
function isDefinedService(value: unknown): boolean {
  return isPlainObject(value) && typeof value.name === 'string' && Array.isArray(value.overriddenEnvironments) && isPlainObject(value.input);
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/**
 * Groups services with platform-wide settings and checks cross-service rules: unique names,
 * known environments in every override, receivers that exist, pinned non-`latest` images in
 * production. Throws one `DefinitionError` with every problem.
 */
export function definePlatform(input: PlatformDefinitionInput): PlatformDefinition {
  const root = typeof input?.name === 'string' && input.name !== '' ? input.name : '<platform>';
  const c = new IssueCollector(root);
  checks.label(c, 'name', input.name);
  checks.url(c, 'runbookBaseUrl', input.runbookBaseUrl);
  checks.url(c, 'dashboardBaseUrl', input.dashboardBaseUrl);
  checks.url(c, 'prometheusUrl', input.prometheusUrl);
  if (input.ingressNamespace !== undefined) checks.label(c, 'ingressNamespace', input.ingressNamespace);
  if (input.monitoringNamespace !== undefined) checks.label(c, 'monitoringNamespace', input.monitoringNamespace);

  const environments = Array.isArray(input.environments) ? input.environments.map(normalizeEnvironment) : [];
  if (environments.length === 0) {
    c.add('environments', 'must list at least one environment', input.environments);
  }
  const envNames = new Set<string>();
  environments.forEach((env, i) => {
    checks.label(c, `environments[${i}].name`, env.name);
    if (envNames.has(env.name)) {
      const first = environments.findIndex((e) => e.name === env.name);
      c.add(`environments[${i}].name`, `duplicates environments[${first}]: environment names must be unique`, env.name);
    }
    if (typeof env.production !== 'boolean') c.add(`environments[${i}].production`, 'must be true or false', env.production);
    if (env.otlpEndpoint !== undefined) checks.url(c, `environments[${i}].otlpEndpoint`, env.otlpEndpoint);
    envNames.add(env.name);
  });

  const receivers = sortedRecord(input.receivers);
  for (const [name, receiver] of Object.entries(receivers)) {
    checks.label(c, `receivers.${name}`, name);
    if (name === 'null') {
      // Alertmanager configurations route low severity and unmatched alerts to a receiver of this name.
      c.add(`receivers.${name}`, 'is reserved for the receiver that notifies nobody; rename it', name);
    }
    checkReceiver(c, `receivers.${name}`, receiver);
  }
  checkRouting(c, 'defaultAlertRouting', input.defaultAlertRouting, receivers, true);

  const hours = input.businessHours ?? {};
  if (hours.timezone !== undefined && !isTimeZone(hours.timezone)) {
    c.add('businessHours.timezone', 'must be an IANA time zone such as UTC or Europe/Berlin', hours.timezone);
  }
  for (const key of ['start', 'end'] as const) {
    if (hours[key] !== undefined && !CLOCK.test(hours[key] as string)) {
      c.add(`businessHours.${key}`, 'must be a time of day HH:MM', hours[key]);
    }
  }
  if (hours.start !== undefined && hours.end !== undefined && CLOCK.test(hours.start) && CLOCK.test(hours.end) && hours.start >= hours.end) {
    c.add('businessHours.end', `must be after start ${hours.start}`, hours.end);
  }
  if (hours.weekdays !== undefined && (!Array.isArray(hours.weekdays) || hours.weekdays.length === 0)) {
    // Alertmanager reads an empty weekday list as every day.
    c.add('businessHours.weekdays', 'must list at least one weekday or range such as monday:friday', hours.weekdays);
  }
  (Array.isArray(hours.weekdays) ? hours.weekdays : []).forEach((day, i) => {
    if (typeof day !== 'string' || !WEEKDAY.test(day)) {
      c.add(`businessHours.weekdays[${i}]`, 'must be a weekday or a range such as monday:friday', day);
    } else if (day.includes(':') && WEEKDAYS.indexOf(day.split(':')[0]) > WEEKDAYS.indexOf(day.split(':')[1])) {
      c.add(`businessHours.weekdays[${i}]`, 'must be a range from an earlier to a later day of the week (monday first), such as monday:friday', day);
    }
  });

  if (!Array.isArray(input.services)) {
    c.add('services', 'must be a list of services, each from defineService', input.services);
  }
  const services = Array.isArray(input.services) ? input.services : [];
  const seen = new Map<string, number>();
  services.forEach((service, i) => {
    if (!isDefinedService(service)) {
      c.add(`services[${i}]`, 'must be a service from defineService', service);
      return;
    }
    const previous = seen.get(service.name);
    if (previous !== undefined) {
      c.add(`services[${i}].name`, `duplicates services[${previous}]: service names must be unique in a platform`, service.name);
    } else {
      seen.set(service.name, i);
    }
    const sc = new IssueCollector(service.name);
    for (const env of service.overriddenEnvironments) {
      if (!envNames.has(env)) {
        const known = envNames.size > 0 ? [...envNames].join(', ') : 'none defined';
        sc.add(`environments.${env}`, `names an unknown environment; known: ${known}`, env);
      }
    }
    checkRouting(sc, 'alertRouting', service.alertRouting, receivers);
    (service.input.dependsOn ?? []).forEach((name: string, d: number) => {
      const target = services.find((other: ServiceDefinition) => isDefinedService(other) && other.name === name);
      if (target === undefined) {
        sc.add(`dependsOn[${d}]`, 'must name a service of the platform', name);
      } else if (target.port === undefined) {
        sc.add(`dependsOn[${d}]`, `names ${name}, which has no HTTP port to call`, name);
      }
    });
    for (const env of environments) {
      const override = own<ServiceOverride>(service.input.environments, env.name);
      const merged = applyOverride(service.input, override);
      const field = override?.image !== undefined ? `environments.${env.name}.image` : 'image';
      const image = parseImage(merged.image);
      if (env.production && image.tag === 'latest' && image.digest === undefined) {
        sc.add(field, `must not use the "latest" tag in production environment ${env.name}; pin a version or digest`, merged.image);
      }
      checkRouting(sc, `environments.${env.name}.alertRouting`, override?.alertRouting, receivers);
    }
    c.addAll(sc.issues);
  });

  if (c.issues.length > 0) {
    throw new DefinitionError(`platform "${root}"`, c.issues);
  }
  return deepFreeze({
    name: input.name,
    environments,
    runbookBaseUrl: input.runbookBaseUrl.replace(/\/+$/, ''),
    dashboardBaseUrl: input.dashboardBaseUrl.replace(/\/+$/, ''),
    prometheusUrl: input.prometheusUrl.replace(/\/+$/, ''),
    receivers,
    defaultAlertRouting: sortedRecord(input.defaultAlertRouting),
    businessHours: {
      timezone: hours.timezone ?? 'UTC',
      weekdays: [...(hours.weekdays ?? ['monday:friday'])],
      start: hours.start ?? '09:00',
      end: hours.end ?? '17:00',
    },
    ingressNamespace: input.ingressNamespace ?? 'ingress-nginx',
    monitoringNamespace: input.monitoringNamespace ?? 'monitoring',
    services: [...services],
  });
}

/**
 * The effective definition of one service in one environment: that environment's overrides
 * applied, defaults re-derived (a new image gives a new version), platform routing merged.
 */
export function resolveEnvironment(platform: PlatformDefinition, service: ServiceDefinition, environment: string): EffectiveService {
  // Definitions are frozen, so the result is too and can be shared: every output asks again.
  let byService = resolved.get(platform);
  if (byService === undefined) {
    byService = new WeakMap();
    resolved.set(platform, byService);
  }
  let byEnvironment = byService.get(service);
  if (byEnvironment === undefined) {
    byEnvironment = new Map();
    byService.set(service, byEnvironment);
  }
  let effective = byEnvironment.get(environment);
  if (effective === undefined) {
    effective = resolve(platform, service, environment);
    byEnvironment.set(environment, effective);
  }
  return effective;
}

const resolved = new WeakMap<PlatformDefinition, WeakMap<ServiceDefinition, Map<string, EffectiveService>>>();

function resolve(platform: PlatformDefinition, service: ServiceDefinition, environment: string): EffectiveService {
  const env = platform.environments.find((e) => e.name === environment);
  if (env === undefined) {
    throw new DefinitionError(`environment of service "${service.name}"`, [
      { path: `${service.name}.environment`, problem: `is not an environment of platform ${platform.name} (${platform.environments.map((e) => e.name).join(', ')})`, value: environment },
    ]);
  }
  const override = own<ServiceOverride>(service.input.environments, environment);
  const resolved = override === undefined ? service : normalizeService(applyOverride(service.input, override));
  const { overriddenEnvironments: _o, input: _i, alertRouting, ...rest } = resolved;
  return deepFreeze(
    compact({
      ...rest,
      environment,
      production: env.production,
      platform: platform.name,
      alertRouting: sortedRecord({ ...platform.defaultAlertRouting, ...alertRouting }),
      otlpEndpoint: env.otlpEndpoint,
      callers: callersOf(platform, service.name),
    }),
  );
}

const callerIndex = new WeakMap<PlatformDefinition, Map<string, ServiceReference[]>>();

/** The services of a platform that depend on `name`, sorted by name (indexed once per platform). */
function callersOf(platform: PlatformDefinition, name: string): ServiceReference[] {
  let index = callerIndex.get(platform);
  if (index === undefined) {
    index = new Map();
    for (const caller of [...platform.services].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      for (const target of caller.dependsOn ?? []) {
        index.set(target, [...(index.get(target) ?? []), { name: caller.name, namespace: caller.namespace }]);
      }
    }
    callerIndex.set(platform, index);
  }
  return (index.get(name) ?? []).map((ref) => ({ ...ref }));
}

/** Every (service, environment) pair of a platform, in a stable order: environments as listed, services by name. */
export function effectiveServices(platform: PlatformDefinition): EffectiveService[] {
  const services = [...platform.services].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return platform.environments.flatMap((env) => services.map((s) => resolveEnvironment(platform, s, env.name)));
}
