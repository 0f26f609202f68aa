/**
 * The platform: environments, receivers, routing defaults, business hours and the services.
 * `definePlatform` holds every rule that needs more than one service, so that a platform it
 * accepts always synthesizes.
 */
import * as z from 'zod';
import { compact, deepFreeze, isPlainObject, own, sortedRecord } from '../private/data';
import { BusinessHours, BusinessHoursInput, businessHoursSchema, checkBusinessHours, normalizeBusinessHours } from './business-hours';
import { Checks, DNS_LABEL_PROBLEM, IssueCollector, LABEL_VALUE_PROBLEM, URL_PROBLEM } from './checks';
import { backupPlacements, checkBackupPlacements } from './database';
import { DefinitionError, DefinitionIssue } from './errors';
import { definedPlatforms } from './registry';
import { GitOps, GitOpsInput, checkGitOps, gitopsSchema, normalizeGitOps } from './gitops';
import { parseImage } from './image';
import { SEVERITIES } from '../slo/types';
import { AlertRoutingInput, DROP, alertRoutingSchema, checkRouting, mergeRouting, routingGaps } from './notification-policy';
import { ReceiverInput, checkReceiver, receiversSchema } from './receivers';
import { Previews, PreviewsInput, checkPreviews, normalizePreviews, previewsSchema } from './previews';
import {
  BlackboxInput,
  blackboxSchema,
  checkBlackbox,
  Dashboards,
  DashboardsInput,
  Loki,
  LokiInput,
  OBSERVABILITY_DEFAULTS,
  checkDashboards,
  checkLogRetention,
  checkLoki,
  dashboardsSchema,
  logRetentionSchema,
  lokiSchema,
  normalizeDashboards,
  normalizeLoki,
} from './observability';
import { ServiceDefinition, ServiceDefinitionInput, applyOverride, isDefinedService, serviceSchema } from './service';
import { DeepWritable, Same, bool, byInputOrder, checkShape, isUnder, list, map, obj, oneOf, str } from './shape';

/** One deployment environment. */
export interface EnvironmentInput {
  /** DNS-1123 label, e.g. `prod`. */
  readonly name: string;
  /** Production environments reject `latest` images. @default true when the name is `prod` or `production` */
  readonly production?: boolean;
  /** OpenTelemetry collector endpoint. @default none */
  readonly otlpEndpoint?: string;
  /** Days the environment's logs are kept (a Cloud Logging bucket per environment). @default 30 */
  readonly logRetentionDays?: number;
}

/** A normalized environment. */
export interface Environment {
  readonly name: string;
  readonly production: boolean;
  readonly otlpEndpoint?: string;
  readonly logRetentionDays: number;
}

/** Platform-wide settings plus the services. */
export interface PlatformDefinitionInput {
  /** DNS-1123 label (`app.kubernetes.io/part-of`). */
  readonly name: string;
  /** Environments, e.g. dev, staging, prod. */
  readonly environments: readonly (EnvironmentInput | string)[];
  /**
   * Base URL the runbooks are served at (the `runbooks/` folder synthesis writes); each alert
   * links `<base>/<env>/services/<service>/alerts/<alert>.md` (`runbookPath`). No query or fragment.
   */
  readonly runbookBaseUrl: string;
  /** Base URL of the Grafana instance; dashboards live under `<base>/d/<uid>`. */
  readonly dashboardBaseUrl: string;
  /** Prometheus address used by analysis and tooling. */
  readonly prometheusUrl: string;
  /** Named notification targets. @default {} */
  readonly receivers?: Readonly<Record<string, ReceiverInput>>;
  /** Default receiver per severity, or `'none'` to drop a severity. @default {} */
  readonly defaultAlertRouting?: AlertRoutingInput;
  /** @default Monday to Friday, 09:00-17:00 UTC */
  readonly businessHours?: BusinessHoursInput;
  /** Namespace of the ingress controller. @default 'ingress-nginx' */
  readonly ingressNamespace?: string;
  /** Namespace of Prometheus. @default 'monitoring' */
  readonly monitoringNamespace?: string;
  /**
   * Labels the prometheus-operator selects its objects by, put on every PrometheusRule,
   * ServiceMonitor and AlertmanagerConfig; kube-prometheus-stack, for example, selects
   * `release: <its release name>`.
   * @default {}
   * @see https://prometheus-operator.dev/docs/developer/troubleshooting/#troubleshooting-servicemonitor-changes
   */
  readonly monitoringLabels?: Readonly<Record<string, string>>;
  /**
   * How the Prometheus rules are delivered: `objects` (PrometheusRule objects in the manifests,
   * for the prometheus-operator), `files` (plain rule files and their promtool tests, for a
   * Prometheus that loads `rule_files`), or `both`. Each deployment reads one of them.
   * @default 'both'
   */
  readonly prometheusRules?: PrometheusRulesOutput;
  /** Grafana datasources and where dashboards are delivered. @default see DashboardsInput */
  readonly dashboards?: DashboardsInput;
  /** The Loki datasource and labels logs are found by; service dashboards show logs when set. @default none */
  readonly loki?: LokiInput;
  /** The blackbox exporter that probes public hosts from the cluster. @default see BlackboxInput */
  readonly blackbox?: BlackboxInput;
  /** Preview environments and their cleanup job. @default none: no previews, no cleanup job */
  readonly previews?: PreviewsInput;
  /** Argo CD Applications and AppProjects for the synthesized manifests. @default none */
  readonly gitops?: GitOpsInput;
  /** The services, each from `defineService`. */
  readonly services: readonly ServiceDefinition[];
}

/** A validated, normalized and frozen platform. */
export interface PlatformDefinition {
  readonly name: string;
  readonly environments: readonly Environment[];
  readonly runbookBaseUrl: string;
  readonly dashboardBaseUrl: string;
  readonly prometheusUrl: string;
  readonly receivers: Readonly<Record<string, ReceiverInput>>;
  readonly defaultAlertRouting: AlertRoutingInput;
  readonly businessHours: BusinessHours;
  readonly ingressNamespace: string;
  readonly monitoringNamespace: string;
  readonly monitoringLabels: Readonly<Record<string, string>>;
  readonly prometheusRules: PrometheusRulesOutput;
  readonly dashboards: Dashboards;
  readonly loki?: Loki;
  readonly blackbox: BlackboxInput;
  readonly previews?: Previews;
  readonly gitops?: GitOps;
  readonly services: readonly ServiceDefinition[];
}

/** How the Prometheus rules are delivered; see `PlatformDefinitionInput.prometheusRules`. */
export type PrometheusRulesOutput = 'both' | 'objects' | 'files';

/** Every way of delivering the rules. */
export const PROMETHEUS_RULES_OUTPUTS: readonly PrometheusRulesOutput[] = Object.freeze(['both', 'objects', 'files'] as const);

/** Namespaces of the cluster itself, where no service of the platform may run. */
export const SYSTEM_NAMESPACES: readonly string[] = Object.freeze(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/** Platform settings when a definition gives none: the only source of the `@default`s above. */
export const PLATFORM_DEFAULTS = Object.freeze({
  ingressNamespace: 'ingress-nginx',
  monitoringNamespace: 'monitoring',
  prometheusRules: 'both' as PrometheusRulesOutput,
  productionNames: Object.freeze(['prod', 'production']) as readonly string[],
});

/** Runbook paths are appended to the base URL, after which a query or fragment would swallow them. */
const RUNBOOK_BASE_PROBLEM = 'must have no query (?) or fragment (#): runbook paths are appended to it';

const environmentSchema = z.union(
  [str(DNS_LABEL_PROBLEM), obj({ name: str(DNS_LABEL_PROBLEM), production: bool().optional(), otlpEndpoint: str(URL_PROBLEM).optional(), logRetentionDays: logRetentionSchema.optional() })],
  { error: 'must be an environment name or { name, production?, otlpEndpoint?, logRetentionDays? }' },
);

const platformFields = {
  name: str(DNS_LABEL_PROBLEM),
  environments: list(environmentSchema, 'must be a list of environments, e.g. [dev, staging, prod]'),
  runbookBaseUrl: str(URL_PROBLEM),
  dashboardBaseUrl: str(URL_PROBLEM),
  prometheusUrl: str(URL_PROBLEM),
  receivers: receiversSchema.optional(),
  defaultAlertRouting: alertRoutingSchema.optional(),
  businessHours: businessHoursSchema.optional(),
  ingressNamespace: str(DNS_LABEL_PROBLEM).optional(),
  monitoringNamespace: str(DNS_LABEL_PROBLEM).optional(),
  monitoringLabels: map(str(LABEL_VALUE_PROBLEM)).optional(),
  prometheusRules: oneOf(['both', 'objects', 'files'], 'must be both, objects (PrometheusRule objects) or files (plain rule files)').optional(),
  dashboards: dashboardsSchema.optional(),
  loki: lokiSchema.optional(),
  blackbox: blackboxSchema.optional(),
  previews: previewsSchema.optional(),
  gitops: gitopsSchema.optional(),
};

/** Schema of `definePlatform`'s input: the services are checked to come from `defineService`. */
export const platformSchema = obj({ ...platformFields, services: list(z.unknown(), 'must be a list of services, each from defineService') }, 'must be an object');

/** Schema of a platform written as a file (YAML or JSON): the services are written inline. */
export const platformFileSchema = obj({ ...platformFields, services: list(serviceSchema, 'must be a list of services') }, 'must be an object');

/** A platform as a definition file writes it: the services inline, as inputs. */
export type PlatformFileInput = Omit<PlatformDefinitionInput, 'services'> & { readonly services: readonly ServiceDefinitionInput[] };

// The hand-written types carry the documentation; the compiler proves they and the schema agree.
const platformTypesAgree: Same<DeepWritable<z.input<typeof platformFileSchema>>, DeepWritable<PlatformFileInput>> = true;
void platformTypesAgree;

function normalizeEnvironment(env: EnvironmentInput | string): Environment {
  const e = typeof env === 'string' ? { name: env } : env;
  return compact({
    name: e.name,
    production: e.production ?? PLATFORM_DEFAULTS.productionNames.includes(e.name),
    otlpEndpoint: e.otlpEndpoint,
    logRetentionDays: e.logRetentionDays ?? OBSERVABILITY_DEFAULTS.logRetentionDays,
  });
}

/** Whether a value is a platform returned by `definePlatform`. */
export function isDefinedPlatform(value: unknown): value is PlatformDefinition {
  return typeof value === 'object' && value !== null && definedPlatforms.has(value);
}

/** How many services a routing message names before it says "and N more". */
const NAMES_SHOWN = 5;

function namesText(names: readonly string[]): string {
  return names.length <= NAMES_SHOWN ? names.join(', ') : `${names.slice(0, NAMES_SHOWN).join(', ')} and ${names.length - NAMES_SHOWN} more`;
}

/** Checks that every severity of every service in every environment reaches a decision. */
function checkRoutingComplete(c: IssueCollector, defaults: AlertRoutingInput, services: readonly ServiceDefinition[], environments: readonly Environment[]): void {
  const missing = new Map<string, Set<string>>();
  const afterHours = new Set<string>();
  for (const service of services) {
    const gapsByEnv = environments.map((env) => {
      const override = own(service.input.environments, env.name);
      return { env: env.name, gaps: routingGaps(mergeRouting(defaults, service.alertRouting, override?.alertRouting)) };
    });
    for (const severity of SEVERITIES) {
      const envs = gapsByEnv.filter((g) => g.gaps.missing.includes(severity)).map((g) => g.env);
      if (envs.length === 0) continue;
      // Name the environments only when some of them do route the severity.
      const where = envs.length === environments.length ? service.name : `${service.name} in ${envs.join(', ')}`;
      const set = missing.get(severity) ?? new Set<string>();
      set.add(where);
      missing.set(severity, set);
      if (severity === 'high' && gapsByEnv.some((g) => g.gaps.afterHoursWithoutHigh)) afterHours.add(service.name);
    }
  }
  for (const [severity, where] of missing) {
    const names = [...where].sort();
    const note =
      severity === 'high' && afterHours.size > 0
        ? ` (${namesText([...afterHours].sort())} set${afterHours.size === 1 ? 's' : ''} highOutsideBusinessHours: without high, business hours stay silent)`
        : '';
    c.add(
      `defaultAlertRouting.${severity}`,
      `leaves severity ${severity} without a receiver for ${namesText(names)}${note}: every service emits ${severity} alerts; name a receiver, or "${DROP}" to drop them on purpose`,
      own(defaults, severity),
    );
  }
}

/** The rules one service must meet within its platform. */
function serviceInPlatformIssues(
  systemNamespaces: readonly string[],
  service: ServiceDefinition,
  known: ReadonlyMap<string, ServiceDefinition>,
  envNames: ReadonlySet<string>,
  environments: readonly Environment[],
  receivers: Readonly<Record<string, ReceiverInput>>,
): readonly DefinitionIssue[] {
  const sc = new IssueCollector(service.name);
  for (const env of service.overriddenEnvironments) {
    if (!envNames.has(env)) {
      const names = envNames.size > 0 ? [...envNames].join(', ') : 'none defined';
      sc.add(`environments.${env}`, `names an unknown environment; known: ${names}`, env);
    }
  }
  checkRouting(sc, 'alertRouting', service.alertRouting, receivers);
  if (systemNamespaces.includes(service.namespace)) {
    sc.add(
      service.input.namespace !== undefined ? 'namespace' : 'team',
      `gives the namespace ${service.namespace}, which the cluster or the platform's ingress and monitoring run in; the library would lock it down with restricted Pod Security and default-deny network policy`,
      service.namespace,
    );
  }
  (service.input.dependsOn ?? []).forEach((target, d) => {
    const callee = known.get(target);
    if (callee === undefined) {
      sc.add(`dependsOn[${d}]`, 'must name a service of the platform', target);
    } else if (callee.port === undefined) {
      sc.add(`dependsOn[${d}]`, `names ${target}, which has no HTTP port to call`, target);
    }
  });
  for (const env of environments) {
    const override = own(service.input.environments, env.name);
    const merged: ServiceDefinitionInput = applyOverride(service.input, override);
    const field = override?.image !== undefined ? `environments.${env.name}.image` : 'image';
    const image = parseImage(merged.image);
    if (env.production && image.tag === 'latest' && image.digest === undefined) {
      sc.add(field, `must not use the "latest" tag in production environment ${env.name}; pin a version or digest`, merged.image);
    }
    checkRouting(sc, `environments.${env.name}.alertRouting`, override?.alertRouting, receivers);
  }
  return sc.issues;
}

/**
 * Groups services with platform-wide settings and checks every rule that spans services:
 * unique names, known environments in every override, receivers that exist, a decision for
 * every severity, pinned non-`latest` images in production, business hours Alertmanager can
 * express. Throws one `DefinitionError` with every problem.
 */
export function definePlatform(input: PlatformDefinitionInput): PlatformDefinition {
  const name = isPlainObject(input) ? input.name : undefined;
  const root = typeof name === 'string' && name !== '' ? name : '<platform>';
  // A service from defineService was checked when it was defined: the walks for loops, depth and __proto__ keys pass it by.
  const shape = checkShape<PlatformDefinitionInput>(platformSchema, input, root, undefined, isDefinedService);
  if (shape.wellShaped === undefined) {
    throw new DefinitionError(`platform "${root}"`, shape.issues);
  }
  // The shape check copies what it prunes; the services must stay the very objects defineService returned.
  const services = isUnder(`${root}.services`, shape.removed) ? [] : input.services;
  // Receivers removed for their shape are still names a routing may use: they are reported once.
  const prefix = `${root}.receivers.`;
  const broken = shape.removed.filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('.')).map((p) => p.slice(prefix.length));
  const platform = checkPlatform({ ...shape.wellShaped, services }, root, shape.removed, broken);
  const fieldIssues = platform.issues.filter((issue) => !isUnder(issue.path, shape.removed));
  const issues = shape.issues.length === 0 ? fieldIssues : byInputOrder([...shape.issues, ...fieldIssues], root, input);
  if (issues.length > 0) {
    throw new DefinitionError(`platform "${root}"`, issues);
  }
  return platform.value as PlatformDefinition;
}

function checkPlatform(input: PlatformDefinitionInput, root: string, removed: readonly string[], brokenReceivers: readonly string[]): { issues: readonly DefinitionIssue[]; value?: PlatformDefinition } {
  const c = new IssueCollector(root);
  const k = new Checks(c);
  k.label('name', input.name);
  if (k.plainUrl('runbookBaseUrl', input.runbookBaseUrl) && /[?#]/.test(input.runbookBaseUrl)) c.add('runbookBaseUrl', RUNBOOK_BASE_PROBLEM, input.runbookBaseUrl);
  k.plainUrl('dashboardBaseUrl', input.dashboardBaseUrl);
  k.plainUrl('prometheusUrl', input.prometheusUrl);
  if (input.ingressNamespace !== undefined) k.label('ingressNamespace', input.ingressNamespace);
  if (input.monitoringNamespace !== undefined) k.label('monitoringNamespace', input.monitoringNamespace);
  for (const [key, value] of Object.entries(input.monitoringLabels ?? {})) {
    k.labelKey(`monitoringLabels.${key}`, key);
    k.labelValue(`monitoringLabels.${key}`, value);
  }

  const environments = (input.environments ?? []).map(normalizeEnvironment);
  if (environments.length === 0) {
    c.add('environments', 'must list at least one environment', input.environments);
  }
  const envNames = new Set<string>();
  environments.forEach((env, i) => {
    k.label(`environments[${i}].name`, env.name);
    if (envNames.has(env.name)) {
      const first = environments.findIndex((e) => e.name === env.name);
      c.add(`environments[${i}].name`, `duplicates environments[${first}]: environment names must be unique`, env.name);
    }
    if (env.otlpEndpoint !== undefined) k.plainUrl(`environments[${i}].otlpEndpoint`, env.otlpEndpoint);
    const written = (input.environments ?? [])[i];
    if (typeof written === 'object') checkLogRetention(k, `environments[${i}].logRetentionDays`, written.logRetentionDays);
    envNames.add(env.name);
  });

  const receivers = sortedRecord(input.receivers);
  for (const [receiverName, receiver] of Object.entries(receivers)) {
    checkReceiver(k, `receivers.${receiverName}`, receiverName, receiver);
  }
  // With the receivers badly shaped as a whole, routings cannot be checked against them.
  const receiversKnown = !isUnder(`${root}.receivers`, removed);
  const routable: Readonly<Record<string, ReceiverInput>> = { ...receivers, ...Object.fromEntries(brokenReceivers.map((n) => [n, receivers[n] ?? ({} as ReceiverInput)])) };
  if (receiversKnown) checkRouting(c, 'defaultAlertRouting', input.defaultAlertRouting, routable);
  checkBusinessHours(k, input.businessHours);
  checkDashboards(k, input.dashboards);
  checkLoki(k, input.loki);
  checkBlackbox(k, input.blackbox);
  checkGitOps(k, input.gitops, environments.map((e) => e.name));

  const systemNamespaces = [
    ...SYSTEM_NAMESPACES,
    input.ingressNamespace ?? PLATFORM_DEFAULTS.ingressNamespace,
    input.monitoringNamespace ?? PLATFORM_DEFAULTS.monitoringNamespace,
  ];
  const services: ServiceDefinition[] = [];
  const known = new Map<string, ServiceDefinition>();
  for (const service of input.services ?? []) {
    if (isDefinedService(service) && !known.has(service.name)) known.set(service.name, service);
  }
  const firstIndex = new Map<string, number>();
  // Spread, a hole in the list is an undefined item, refused like any other non-service.
  [...(input.services ?? [])].forEach((service, i) => {
    if (!isDefinedService(service)) {
      c.add(`services[${i}]`, 'must be a service from defineService', service);
      return;
    }
    const previous = firstIndex.get(service.name);
    if (previous !== undefined) {
      c.add(`services[${i}].name`, `duplicates services[${previous}]: service names must be unique in a platform`, service.name);
      return;
    }
    firstIndex.set(service.name, i);
    services.push(service);
    c.addAll(serviceInPlatformIssues(systemNamespaces, service, known, envNames, environments, routable).filter((issue) => receiversKnown || !/\.alertRouting\./.test(issue.path)));
  });
  const previewContext = { environments, monitoringNamespace: input.monitoringNamespace ?? PLATFORM_DEFAULTS.monitoringNamespace, builtInProtected: [...systemNamespaces, ...(input.dashboards?.namespace === undefined ? [] : [input.dashboards.namespace]), ...services.map((s) => s.namespace)] };
  checkPreviews(k, input.previews, previewContext);
  checkBackupPlacements(c, backupPlacements(services, environments));
  if (c.count === 0 && removed.length === 0) {
    checkRoutingComplete(c, input.defaultAlertRouting ?? {}, services, environments);
  }
  if (c.count > 0 || removed.length > 0) {
    return { issues: c.issues };
  }
  const platform: PlatformDefinition = deepFreeze({
    name: input.name,
    environments,
    runbookBaseUrl: input.runbookBaseUrl.replace(/\/+$/, ''),
    dashboardBaseUrl: input.dashboardBaseUrl.replace(/\/+$/, ''),
    prometheusUrl: input.prometheusUrl.replace(/\/+$/, ''),
    receivers,
    defaultAlertRouting: sortedRecord(input.defaultAlertRouting),
    businessHours: normalizeBusinessHours(input.businessHours),
    ingressNamespace: input.ingressNamespace ?? PLATFORM_DEFAULTS.ingressNamespace,
    monitoringNamespace: input.monitoringNamespace ?? PLATFORM_DEFAULTS.monitoringNamespace,
    monitoringLabels: sortedRecord(input.monitoringLabels),
    prometheusRules: input.prometheusRules ?? PLATFORM_DEFAULTS.prometheusRules,
    dashboards: normalizeDashboards(input.dashboards, input.monitoringNamespace ?? PLATFORM_DEFAULTS.monitoringNamespace),
    ...(input.loki === undefined ? {} : { loki: normalizeLoki(input.loki) }),
    blackbox: compact({ prober: input.blackbox?.prober, module: input.blackbox?.module }),
    ...(input.previews === undefined ? {} : { previews: normalizePreviews(input.previews, previewContext) }),
    ...(input.gitops === undefined ? {} : { gitops: normalizeGitOps(input.gitops) }),
    services: [...services],
  });
  definedPlatforms.add(platform);
  return { issues: [], value: platform };
}
