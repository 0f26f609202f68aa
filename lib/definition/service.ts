/**
 * The definition of one service: what a user writes (`ServiceDefinitionInput`), and the
 * validated, normalized and frozen `ServiceDefinition` every output is derived from.
 */
import * as z from 'zod';
import { compact, deepCopy, deepFreeze, isPlainObject, mergeDeep, sortedRecord } from '../private/data';
import { AutoscalingInput, Autoscaling, autoscalingSchema, checkAutoscaling, normalizeAutoscaling, MAX_REPLICAS } from './autoscaling';
import { Checks, DNS_LABEL_PROBLEM, IssueCollector, PORT_PROBLEM, SecretKeyRef } from './checks';
import { Database, DatabaseInput, DatabaseOverride, checkDatabase, databaseOverrideSchema, databaseSchema, normalizeDatabase } from './database';
import { Delivery, DeliveryInput, checkDelivery, deliverySchema, normalizeDelivery } from './delivery';
import { checkEnv, envSchema, normalizeEnv, secretEnvSchema } from './env';
import { DefinitionError, DefinitionIssue, formatIssue } from './errors';
import { definedServices } from './registry';
import { Gcp, GcpInput, checkGcp, gcpOverrideSchema, gcpSchema, normalizeGcp } from './gcp';
import { checkImage, checkVersion, imageSchema, versionOf } from './image';
import { METRICS_DEFAULTS, Metrics, MetricsInput, checkMetrics, metricsSchema, normalizeMetrics, scrapeSeconds } from './metrics';
import { AlertRoutingInput, alertRoutingSchema } from './notification-policy';
import { Health, HealthInput, checkHealth, healthSchema, normalizeHealth } from './probes';
import { Resources, ResourcesInput, checkResources, normalizeResources, resourcesSchema } from './resources';
import { RightSizing, RightSizingInput, checkRightSizing, normalizeRightSizing, rightSizingSchema } from './right-sizing';
import { EgressRule, EgressRuleInput, checkEgress, egressSchema, normalizeEgress } from './network';
import { DeepWritable, Same, TYPE, bool, byInputOrder, checkShape, isUnder, list, map, num, obj, oneOf, str } from './shape';
import { Slo, SloInput, checkSlos, normalizeSlo, slosSchema } from './slos';
import { GameDays, GameDaysInput, checkGameDays, gameDaysSchema, normalizeGameDays } from './game-days';
import { Certificate, CertificateInput, certificatesSchema, checkCertificates, normalizeCertificates } from './certificates';
import { LogAlert, LogAlertInput, UptimeCheck, UptimeCheckInput, checkLogAlerts, checkUptimeCheck, logAlertsSchema, normalizeLogAlerts, normalizeUptimeCheck, uptimeCheckSchema } from './observability';
import { Readiness, ReadinessInput, checkReadiness, normalizeReadiness, readinessSchema } from './readiness';

/** How critical a service is to the business. Drives defaults such as replicas. */
export type Tier = 'critical' | 'high' | 'medium' | 'low';

/** Every tier, from the most to the least critical. */
export const TIERS: readonly Tier[] = Object.freeze(['critical', 'high', 'medium', 'low'] as const);

/** Longest service name: leaves room for suffixes such as `-canary` within 63 characters. */
export const MAX_SERVICE_NAME = 40;

/** Names a service cannot take, and what already holds each. */
export const RESERVED_SERVICE_NAMES: Readonly<Record<string, string>> = Object.freeze({
  'default-deny': "every namespace has a NetworkPolicy of that name, which the service's own policy would replace",
  fleet: "each environment's fleet dashboard is written as grafana/<env>/fleet.json, where the service's dashboard would go",
  platform: 'the alerts of platform-scoped jobs carry service="platform" and link the runbooks under <runbookBaseUrl>/platform/',
});

/** People to reach. */
export interface ContactsInput {
  /** Owners (people or groups, e.g. e-mail addresses). @default [] */
  readonly owners?: readonly string[];
  /** Escalation chain, first contact first. @default [] */
  readonly escalation?: readonly string[];
  /** Team chat channel. @default none */
  readonly chat?: string;
}

/** Normalized contacts. */
export interface Contacts {
  readonly owners: readonly string[];
  readonly escalation: readonly string[];
  readonly chat?: string;
}

/** The fields an environment may override. Objects merge, lists replace. */
export interface ServiceOverride {
  readonly image?: string;
  readonly replicas?: number;
  readonly resources?: ResourcesInput;
  readonly autoscaling?: AutoscalingInput | false;
  readonly env?: Readonly<Record<string, string>>;
  readonly secretEnv?: Readonly<Record<string, SecretKeyRef>>;
  readonly slos?: readonly SloInput[];
  readonly delivery?: DeliveryInput;
  readonly alertRouting?: AlertRoutingInput;
  readonly gcp?: Partial<GcpInput>;
  readonly database?: DatabaseOverride;
  readonly rightSizing?: RightSizingInput;
}

/** What a user writes to describe one service. */
export interface ServiceDefinitionInput {
  /** DNS-1123 label, at most 40 characters (room for suffixes). */
  readonly name: string;
  /** @default '' */
  readonly description?: string;
  /** Owning team, DNS-1123 label. */
  readonly team: string;
  /** @default no owners or escalation */
  readonly contacts?: ContactsInput;
  /** Business criticality. */
  readonly tier: Tier;
  /** The role of the workload (`api`, `worker`, ...). @default 'server' */
  readonly component?: string;
  /** Kubernetes namespace. @default the team */
  readonly namespace?: string;
  /** Container image, pinned by tag or digest. */
  readonly image: string;
  /** @default the image tag, or the first 12 hex digits of the digest */
  readonly version?: string;
  /** HTTP container port. Omit for workers without HTTP ingress. @default none */
  readonly port?: number;
  /** @default see MetricsInput */
  readonly metrics?: MetricsInput;
  /** @default 3 for critical tier, 2 otherwise */
  readonly replicas?: number;
  /** @default see ResourcesInput */
  readonly resources?: ResourcesInput;
  /** @default no probes */
  readonly health?: HealthInput;
  /** `false` disables autoscaling. @default autoscaling on CPU at 70% */
  readonly autoscaling?: AutoscalingInput | false;
  /** Plain (non-secret) environment variables. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Environment variables read from Secrets, never written in plain text. @default {} */
  readonly secretEnv?: Readonly<Record<string, SecretKeyRef>>;
  /**
   * Services of the platform this one calls over HTTP. Their NetworkPolicies admit this
   * service's pods, and nothing else from outside their namespace but the ingress controller.
   * @default []
   */
  readonly dependsOn?: readonly string[];
  /**
   * Whether the service takes traffic from outside the cluster through the ingress controller;
   * only then does its NetworkPolicy admit the controller.
   * @default true when gcp.publicHost is set, false otherwise
   */
  readonly exposed?: boolean;
  /**
   * Egress beyond what the library allows by itself (DNS, the services in `dependsOn`, the
   * environment's OTLP collector). Namespaces default-deny every other egress.
   * @default []
   */
  readonly egress?: readonly EgressRuleInput[];
  /** @default [] */
  readonly slos?: readonly SloInput[];
  /** @default { strategy: 'rolling' } */
  readonly delivery?: DeliveryInput;
  /** Receiver per severity; merged over the platform's defaults. @default {} */
  readonly alertRouting?: AlertRoutingInput;
  /** @default none */
  readonly gcp?: GcpInput;
  /**
   * The check of `gcp.publicHost` from outside: a Cloud Monitoring uptime check and a blackbox
   * exporter Probe, with the same path, period and severity.
   * @default the readiness path (or `/`), every 60s, at the service's tier as severity
   */
  readonly uptimeCheck?: UptimeCheckInput;
  /** Alerts on the service's logs, evaluated by the Loki ruler. @default [] */
  readonly logAlerts?: readonly LogAlertInput[];
  /** Chaos experiments run on demand, and when the last game day was held. @default no experiments, never held */
  readonly gameDays?: GameDaysInput;
  /** TLS certificates from cert-manager, and the check of what is served. @default [] */
  readonly certificates?: readonly CertificateInput[];
  /** The service's database: connection, backups, restore test, migration strategy. @default none */
  readonly database?: DatabaseInput;
  /** Right-sizing rules, alerts and dashboard row. @default see RightSizingInput */
  readonly rightSizing?: RightSizingInput;
  /** Production readiness: waivers of failing checklist items. @default { waivers: [] } */
  readonly readiness?: ReadinessInput;
  /** Overrides per environment name. @default {} */
  readonly environments?: Readonly<Record<string, ServiceOverride>>;
}

/** A validated, normalized and frozen service definition (before environment overrides). */
export interface ServiceDefinition {
  readonly name: string;
  readonly description: string;
  readonly team: string;
  readonly contacts: Contacts;
  readonly tier: Tier;
  readonly component: string;
  readonly namespace: string;
  readonly image: string;
  readonly version: string;
  readonly port?: number;
  readonly metrics: Metrics;
  readonly replicas: number;
  readonly resources: Resources;
  readonly health: Health;
  readonly autoscaling: Autoscaling | false;
  readonly env: Readonly<Record<string, string>>;
  readonly secretEnv: Readonly<Record<string, SecretKeyRef>>;
  readonly dependsOn: readonly string[];
  readonly exposed: boolean;
  readonly egress: readonly EgressRule[];
  readonly slos: readonly Slo[];
  readonly delivery: Delivery;
  readonly alertRouting: AlertRoutingInput;
  readonly gcp?: Gcp;
  readonly uptimeCheck: UptimeCheck;
  readonly logAlerts: readonly LogAlert[];
  readonly gameDays: GameDays;
  readonly certificates: readonly Certificate[];
  readonly database?: Database;
  readonly rightSizing: RightSizing;
  readonly readiness: Readiness;
  /** The environment names this service overrides. */
  readonly overriddenEnvironments: readonly string[];
  /** The input as written, kept to resolve environments (defaults re-derive after overrides). */
  readonly input: ServiceDefinitionInput;
}

/** Service settings when a definition gives none: the only source of the `@default`s above. */
export const SERVICE_DEFAULTS = Object.freeze({
  description: '',
  component: 'server',
  replicas: Object.freeze({ critical: 3, high: 2, medium: 2, low: 2 }) as Readonly<Record<Tier, number>>,
});

/** Replicas when a definition gives none: 3 for the critical tier, 2 otherwise. */
export function defaultReplicas(tier: Tier): number {
  return SERVICE_DEFAULTS.replicas[tier];
}

/** Limits on free text, far below what any consumer accepts. */
export const CONTACT_LIMITS = Object.freeze({ entries: 20, length: 256, descriptionLength: 1024 });

/** The fields an environment may override (`ServiceOverride`). */
export const OVERRIDABLE_FIELDS: readonly (keyof ServiceOverride)[] = Object.freeze([
  'image',
  'replicas',
  'resources',
  'autoscaling',
  'env',
  'secretEnv',
  'slos',
  'delivery',
  'alertRouting',
  'gcp',
  'database',
  'rightSizing',
] as const);

const CONTACTS_PROBLEM = 'must be a list of non-empty strings';

const overrideSchema = obj(
  {
    image: imageSchema.optional(),
    replicas: num(TYPE.integer).optional(),
    resources: resourcesSchema.optional(),
    autoscaling: autoscalingSchema.optional(),
    env: envSchema.optional(),
    secretEnv: secretEnvSchema.optional(),
    slos: slosSchema.optional(),
    delivery: deliverySchema.optional(),
    alertRouting: alertRoutingSchema.optional(),
    gcp: gcpOverrideSchema.optional(),
    database: databaseOverrideSchema.optional(),
    rightSizing: rightSizingSchema.optional(),
  },
  'must be an object of overrides',
);

/** Schema of a service definition input: types and containers, unknown keys rejected. */
export const serviceSchema = obj(
  {
    name: str(DNS_LABEL_PROBLEM),
    description: str().optional(),
    team: str(DNS_LABEL_PROBLEM),
    contacts: obj({ owners: list(str(CONTACTS_PROBLEM), CONTACTS_PROBLEM).optional(), escalation: list(str(CONTACTS_PROBLEM), CONTACTS_PROBLEM).optional(), chat: str().optional() }).optional(),
    tier: oneOf(TIERS as unknown as readonly [Tier, ...Tier[]]),
    component: str(DNS_LABEL_PROBLEM).optional(),
    namespace: str(DNS_LABEL_PROBLEM).optional(),
    image: imageSchema,
    version: str().optional(),
    port: num(PORT_PROBLEM).optional(),
    metrics: metricsSchema.optional(),
    replicas: num(TYPE.integer).optional(),
    resources: resourcesSchema.optional(),
    health: healthSchema.optional(),
    autoscaling: autoscalingSchema.optional(),
    env: envSchema.optional(),
    secretEnv: secretEnvSchema.optional(),
    dependsOn: list(str(DNS_LABEL_PROBLEM), 'must be a list of service names').optional(),
    exposed: bool().optional(),
    egress: egressSchema.optional(),
    slos: slosSchema.optional(),
    delivery: deliverySchema.optional(),
    alertRouting: alertRoutingSchema.optional(),
    gcp: gcpSchema.optional(),
    uptimeCheck: uptimeCheckSchema.optional(),
    logAlerts: logAlertsSchema.optional(),
    gameDays: gameDaysSchema.optional(),
    certificates: certificatesSchema.optional(),
    database: databaseSchema.optional(),
    rightSizing: rightSizingSchema.optional(),
    readiness: readinessSchema.optional(),
    environments: map(overrideSchema, 'must map environment names to overrides').optional(),
  },
  'must be an object',
);

// The hand-written types above carry the documentation; the compiler proves they and the schema agree.
const serviceTypesAgree: Same<DeepWritable<z.input<typeof serviceSchema>>, DeepWritable<ServiceDefinitionInput>> = true;
void serviceTypesAgree;

const SERVICE_FIELDS = Object.keys(serviceSchema.shape);

function overrideKeyProblem(field: string, key: string): string | undefined {
  if (/^environments\.[^.]+$/.test(field) && SERVICE_FIELDS.includes(key)) {
    return `cannot be overridden per environment; overridable: ${OVERRIDABLE_FIELDS.join(', ')}`;
  }
  return undefined;
}

/** The root issues of a service are written under: its name, or a placeholder. */
function rootOf(input: unknown): string {
  const name = isPlainObject(input) ? input.name : undefined;
  return typeof name === 'string' && name !== '' ? name : '<unnamed>';
}

/**
 * Checks the fields of a service input whose shape is right. Does not know the platform:
 * receivers and environment names are checked by `definePlatform`.
 */
function checkFields(input: ServiceDefinitionInput, c: IssueCollector, removed: (field: string) => boolean): void {
  const k = new Checks(c);
  if (k.label('name', input.name, MAX_SERVICE_NAME) && Object.hasOwn(RESERVED_SERVICE_NAMES, input.name)) {
    c.add('name', `is reserved: ${RESERVED_SERVICE_NAMES[input.name]}`, input.name);
  }
  k.label('team', input.team);
  if (input.description !== undefined) k.text('description', input.description, CONTACT_LIMITS.descriptionLength);
  if (input.component !== undefined) k.label('component', input.component);
  if (input.namespace !== undefined) k.label('namespace', input.namespace);
  const imageOk = checkImage(k, 'image', input.image);
  checkVersion(k, input.image, imageOk, input.version);
  if (input.port !== undefined) k.port('port', input.port);
  // Checks that read another field skip it when that field was badly shaped and removed.
  const portKnown = !removed('port');
  if (portKnown) checkMetrics(k, input.metrics, input.port);
  const replicasOk = input.replicas === undefined || k.int('replicas', input.replicas, 1, MAX_REPLICAS);
  checkResources(k, 'resources', input.resources);
  if (portKnown) checkHealth(k, input.health, input.port);
  const replicas = !replicasOk || removed('replicas') ? undefined : (input.replicas ?? defaultReplicas(input.tier));
  const replicasOrigin = input.replicas !== undefined ? `replicas (${replicas})` : `replicas (${replicas} for the ${input.tier} tier)`;
  checkAutoscaling(k, 'autoscaling', input.autoscaling, replicas, replicasOrigin);
  checkEnv(k, input.env, input.secretEnv);
  (input.dependsOn ?? []).forEach((name, i) => {
    k.label(`dependsOn[${i}]`, name, MAX_SERVICE_NAME);
    if (name === input.name) c.add(`dependsOn[${i}]`, 'must name another service, not the service itself', name);
  });
  const buckets = input.metrics?.latencyBuckets ?? METRICS_DEFAULTS.latencyBuckets;
  if (portKnown && !removed('metrics')) {
    // The selectors are ANDed with the service's job and namespace, when those are known.
    const namespace = input.namespace ?? input.team;
    const scopeKnown = !removed('name') && !removed('namespace') && !removed('team') && typeof input.name === 'string' && typeof namespace === 'string';
    checkSlos(k, input.slos ?? [], buckets, input.metrics?.latencyBuckets !== undefined, scrapeSeconds(input.metrics), input.port !== undefined, scopeKnown ? { job: input.name, namespace } : undefined);
  }
  const minReplicas = input.autoscaling === false || !Number.isInteger(input.autoscaling?.minReplicas) || removed('autoscaling') ? undefined : (input.autoscaling?.minReplicas as number);
  const floor = minReplicas !== undefined ? { replicas: minReplicas, origin: `autoscaling.minReplicas (${minReplicas})` } : replicas !== undefined ? { replicas, origin: replicasOrigin } : undefined;
  checkDelivery(k, input.delivery, { floor, slos: removed('slos') ? undefined : (input.slos ?? []), scrapeSeconds: scrapeSeconds(input.metrics), hasPort: portKnown ? input.port !== undefined : undefined });
  const strategy = input.delivery?.strategy;
  if ((strategy === 'canary' || strategy === 'blue-green') && !removed('slos') && !(input.slos ?? []).some((s) => s.kind === 'availability' || s.kind === 'latency')) {
    c.add('delivery.strategy', `needs an availability or latency SLO in slos: the ${strategy} analysis measures the new version against them`, strategy);
  }
  checkEgress(k, input.egress);
  if (input.exposed === true && input.port === undefined && portKnown) {
    c.add('exposed', 'needs an HTTP port to take traffic through the ingress controller', input.exposed);
  }
  checkGcp(k, input.gcp);
  if (!removed('gcp')) checkUptimeCheck(k, input.uptimeCheck, input.gcp?.publicHost);
  checkLogAlerts(k, input.logAlerts);
  checkGameDays(k, input.gameDays, { service: input.name, slos: removed('slos') ? undefined : (input.slos ?? []), scrapeSeconds: scrapeSeconds(input.metrics) });
  if (!removed('gcp')) checkCertificates(k, input.name, input.certificates, input.gcp?.publicHost);
  checkDatabase(k, input.database, input.gcp?.project !== undefined && !removed('gcp'));
  checkRightSizing(k, 'rightSizing', input.rightSizing);
  checkReadiness(k, input.readiness);
  if (input.contacts !== undefined) {
    for (const name of ['owners', 'escalation'] as const) {
      const entries = input.contacts[name];
      if (entries === undefined) continue;
      if (entries.length > CONTACT_LIMITS.entries || entries.some((x) => x.trim() === '')) {
        c.add(`contacts.${name}`, entries.length > CONTACT_LIMITS.entries ? `must list at most ${CONTACT_LIMITS.entries} contacts` : CONTACTS_PROBLEM, entries);
      } else {
        entries.forEach((entry, i) => k.text(`contacts.${name}[${i}]`, entry, CONTACT_LIMITS.length));
      }
    }
    if (input.contacts.chat !== undefined) k.text('contacts.chat', input.contacts.chat, CONTACT_LIMITS.length);
  }
}

/**
 * Validates a service input and returns every problem found, each rooted at `root` (the
 * service name): its shape first, then, when the shape is right, every field.
 */
export function validateService(input: unknown, root: string = rootOf(input)): DefinitionIssue[] {
  const shape = checkShape<ServiceDefinitionInput>(serviceSchema, input, root, overrideKeyProblem);
  if (shape.wellShaped === undefined) {
    return [...shape.issues];
  }
  const c = new IssueCollector(root);
  const removed = (field: string): boolean => isUnder(`${root}.${field}`, shape.removed);
  checkFields(shape.wellShaped, c, removed);
  const fieldIssues = c.issues.filter((issue) => !isUnder(issue.path, shape.removed));
  return shape.issues.length === 0 ? fieldIssues : byInputOrder([...shape.issues, ...fieldIssues], root, input);
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
function serviceIssues(input: unknown): DefinitionIssue[] {
  const root = rootOf(input);
  const issues = validateService(input, root);
  if (issues.length > 0) {
    return issues;
  }
  const valid = input as ServiceDefinitionInput;
  const known = new Set(issues.map(formatIssue));
  for (const [env, override] of Object.entries(valid.environments ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const merged = applyOverride(valid, override);
    for (const issue of validateService(merged, root)) {
      if (!known.has(formatIssue(issue))) {
        const field = issue.path.slice(root.length + 1);
        issues.push({ ...issue, path: `${root}.environments.${env}.${field}` });
      }
    }
  }
  return issues;
}

/** Fills every default of a valid input. */
export function normalizeService(input: ServiceDefinitionInput): ServiceDefinition {
  const replicas = input.replicas ?? defaultReplicas(input.tier);
  const health = normalizeHealth(input.health, input.port);
  return compact({
    name: input.name,
    description: input.description ?? SERVICE_DEFAULTS.description,
    team: input.team,
    contacts: compact({
      owners: [...(input.contacts?.owners ?? [])],
      escalation: [...(input.contacts?.escalation ?? [])],
      chat: input.contacts?.chat,
    }),
    tier: input.tier,
    component: input.component ?? SERVICE_DEFAULTS.component,
    namespace: input.namespace ?? input.team,
    image: input.image,
    version: input.version ?? versionOf(input.image),
    port: input.port,
    metrics: normalizeMetrics(input.metrics),
    replicas,
    resources: normalizeResources(input.resources),
    health,
    autoscaling: normalizeAutoscaling(input.autoscaling, replicas),
    env: normalizeEnv(input.env),
    secretEnv: normalizeEnv(input.secretEnv),
    dependsOn: [...new Set(input.dependsOn ?? [])].sort(),
    exposed: input.exposed ?? input.gcp?.publicHost !== undefined,
    egress: normalizeEgress(input.egress),
    slos: (input.slos ?? []).map(normalizeSlo),
    delivery: normalizeDelivery(input.delivery, input.autoscaling === false ? replicas : (input.autoscaling?.minReplicas ?? replicas), { slos: input.slos, readiness: health.readiness, port: input.port }),
    alertRouting: sortedRecord(input.alertRouting),
    gcp: normalizeGcp(input.gcp),
    uptimeCheck: normalizeUptimeCheck(input.uptimeCheck, health.readiness?.path, input.tier),
    logAlerts: normalizeLogAlerts(input.logAlerts),
    gameDays: normalizeGameDays(input.gameDays, input.slos ?? []),
    certificates: normalizeCertificates(input.name, input.certificates, input.gcp?.publicHost),
    database: normalizeDatabase(input.database),
    rightSizing: normalizeRightSizing(input.rightSizing),
    readiness: normalizeReadiness(input.readiness),
    overriddenEnvironments: Object.keys(input.environments ?? {}).sort(),
    input,
  });
}

/** Whether a value is a service returned by `defineService` (not a raw input or a copy). */
export function isDefinedService(value: unknown): value is ServiceDefinition {
  return typeof value === 'object' && value !== null && definedServices.has(value);
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
    throw new DefinitionError(`service "${rootOf(input)}"`, issues);
  }
  const service = deepFreeze(normalizeService(deepCopy(input)));
  definedServices.add(service);
  return service;
}
