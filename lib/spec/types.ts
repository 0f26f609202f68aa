/**
 * The service definition: plain, typed, JSON-serializable data that every output
 * (Kubernetes, Prometheus, Alertmanager, Grafana, GCP) is derived from.
 *
 * Inputs (`ServiceDefinitionInput`, `PlatformDefinitionInput`) are what users write;
 * `defineService` / `definePlatform` validate them and return normalized, frozen
 * definitions with every default filled (`ServiceDefinition`, `PlatformDefinition`).
 * `resolveEnvironment` applies one environment's overrides and returns the
 * `EffectiveService` that constructs and generators consume.
 */

/** How critical a service is to the business. Drives defaults such as replicas. */
export type Tier = 'critical' | 'high' | 'medium' | 'low';

/**
 * Alert severities of the platform, from "page now" to "dashboard only".
 * - `critical`: page the on-call engineer now.
 * - `high`: page during business hours, chat otherwise.
 * - `medium`: open a ticket.
 * - `low`: no notification; dashboards and reports.
 */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** Every severity, from the most to the least urgent. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** Every tier, from the most to the least critical. */
export const TIERS: readonly Tier[] = ['critical', 'high', 'medium', 'low'];

/** Rolling SLO period. */
export type SloPeriod = '30d' | '28d' | '7d';

/** The supported SLO periods. */
export const SLO_PERIODS: readonly SloPeriod[] = ['30d', '28d', '7d'];

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

/** Where and how the service exposes Prometheus metrics. */
export interface MetricsInput {
  /** @default 9090 */
  readonly port?: number;
  /** @default '/metrics' */
  readonly path?: string;
  /** @default '30s' */
  readonly scrapeInterval?: string;
  /**
   * Name of the request counter (labels: `code`, ...).
   * @default 'http_requests_total'
   */
  readonly requestsMetric?: string;
  /**
   * Name of the request-duration histogram, without `_bucket`.
   * @default 'http_request_duration_seconds'
   */
  readonly latencyMetric?: string;
  /**
   * The histogram's bucket boundaries, in seconds. Latency SLO thresholds must be one of them.
   * @default [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
   */
  readonly latencyBuckets?: readonly number[];
}

/** Normalized metrics settings. */
export interface Metrics {
  readonly port: number;
  readonly path: string;
  readonly scrapeInterval: string;
  readonly requestsMetric: string;
  readonly latencyMetric: string;
  readonly latencyBuckets: readonly number[];
}

/** Horizontal autoscaling on CPU. */
export interface AutoscalingInput {
  /** @default the service's replicas */
  readonly minReplicas?: number;
  /** @default twice minReplicas, at least 3 */
  readonly maxReplicas?: number;
  /** Average CPU utilization target, percent of the request. @default 70 */
  readonly cpuTargetPercent?: number;
}

/** Normalized autoscaling. */
export interface Autoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuTargetPercent: number;
}

/** A multiwindow burn-rate tier: the share of the error budget it detects over a window. */
export interface BurnRateTierInput {
  /** Share of the period's error budget spent when the alert fires, percent (e.g. 2). */
  readonly budgetPercent: number;
  /** Long window, Prometheus duration (e.g. `1h`). */
  readonly longWindow: string;
  /** Short window, Prometheus duration (e.g. `5m`). */
  readonly shortWindow: string;
  /** Severity of the alert. */
  readonly severity: Severity;
}

/** Fields every SLO kind has. */
interface SloCommonInput {
  /** DNS-1123 label, unique within the service (e.g. `availability`). */
  readonly name: string;
  /** Objective in percent, strictly between 0 and 100 (e.g. 99.9). */
  readonly objective: number;
  /** @default '30d' */
  readonly period?: SloPeriod;
  /** @default a sentence derived from the kind and objective */
  readonly description?: string;
  /**
   * Burn-rate tiers; `[]` disables burn-rate alerts for this SLO.
   * @default the SRE workbook tiers: 2%/1h/5m critical, 5%/6h/30m high, 10%/1d/2h medium, 10%/3d/6h medium
   */
  readonly burnRateTiers?: readonly BurnRateTierInput[];
  /**
   * Low-traffic guard: burn-rate alerts page only while the request rate (req/s, over the
   * long window) is at least this much.
   * @default no guard
   */
  readonly minRequestRate?: number;
}

/** Availability: the share of requests that did not fail. */
export interface AvailabilitySloInput extends SloCommonInput {
  readonly kind: 'availability';
  /**
   * Label matchers selecting failed requests on the request counter.
   * @default 'code=~"5.."'
   */
  readonly badSelector?: string;
  /**
   * Label matchers selecting all counted requests.
   * @default '' (every request)
   */
  readonly totalSelector?: string;
}

/** Latency: the share of requests faster than a threshold. */
export interface LatencySloInput extends SloCommonInput {
  readonly kind: 'latency';
  /** Threshold in seconds; must be one of the metrics' latency buckets. */
  readonly thresholdSeconds: number;
  /**
   * Label matchers selecting the requests counted.
   * @default ''
   */
  readonly selector?: string;
}

/**
 * A custom ratio given as PromQL. `{{window}}` in each query is replaced by the range
 * (e.g. `5m`), as in `sum(rate(jobs_succeeded_total[{{window}}]))`.
 */
export interface CustomSloInput extends SloCommonInput {
  readonly kind: 'custom';
  /** PromQL for the rate of good events, with `{{window}}`. */
  readonly goodQuery: string;
  /** PromQL for the rate of all events, with `{{window}}`. */
  readonly totalQuery: string;
}

/** A service level objective, as data. */
export type SloInput = AvailabilitySloInput | LatencySloInput | CustomSloInput;

/** A normalized burn-rate tier. */
export interface BurnRateTier {
  readonly budgetPercent: number;
  readonly longWindow: string;
  readonly shortWindow: string;
  readonly severity: Severity;
}

interface SloCommon {
  readonly name: string;
  readonly objective: number;
  readonly period: SloPeriod;
  readonly description: string;
  readonly burnRateTiers: readonly BurnRateTier[];
  readonly minRequestRate?: number;
}

/** A normalized availability SLO. */
export interface AvailabilitySlo extends SloCommon {
  readonly kind: 'availability';
  readonly badSelector: string;
  readonly totalSelector: string;
}

/** A normalized latency SLO. */
export interface LatencySlo extends SloCommon {
  readonly kind: 'latency';
  readonly thresholdSeconds: number;
  readonly selector: string;
}

/** A normalized custom SLO. */
export interface CustomSlo extends SloCommon {
  readonly kind: 'custom';
  readonly goodQuery: string;
  readonly totalQuery: string;
}

/** A normalized SLO. */
export type Slo = AvailabilitySlo | LatencySlo | CustomSlo;

/** Rolling update: replace pods a few at a time. */
export interface RollingDeliveryInput {
  readonly strategy: 'rolling';
  /** @default '25%' */
  readonly maxSurge?: string;
  /** @default '0' */
  readonly maxUnavailable?: string;
}

/** Canary: shift traffic in steps, analysing the SLOs at each step. */
export interface CanaryDeliveryInput {
  readonly strategy: 'canary';
  /**
   * Traffic weights in percent, increasing, ending at 100.
   * @default [1, 5, 10, 25, 50, 100]
   */
  readonly steps?: readonly number[];
  /** Pause after each step, Prometheus duration. @default '5m' */
  readonly stepDuration?: string;
}

/** Blue/green: bring up the new version next to the old, then switch. */
export interface BlueGreenDeliveryInput {
  readonly strategy: 'blue-green';
  /** Seconds to keep the old version after the switch. @default 300 */
  readonly scaleDownDelaySeconds?: number;
  /** Promote without a manual step. @default false */
  readonly autoPromote?: boolean;
}

/** How new versions reach production, as data. */
export type DeliveryInput = RollingDeliveryInput | CanaryDeliveryInput | BlueGreenDeliveryInput;

/** Normalized delivery settings. */
export type Delivery =
  | { readonly strategy: 'rolling'; readonly maxSurge: string; readonly maxUnavailable: string }
  | { readonly strategy: 'canary'; readonly steps: readonly number[]; readonly stepDuration: string }
  | { readonly strategy: 'blue-green'; readonly scaleDownDelaySeconds: number; readonly autoPromote: boolean };

/**
 * Names of platform receivers per severity. `high` is notified through `high` during
 * business hours and through `highOutsideBusinessHours` (usually chat) otherwise.
 * `low` usually has none: it is for dashboards and reports.
 */
export type AlertRoutingInput = Partial<Record<RoutingKey, string>>;

/** The keys of an alert routing: the four severities plus the after-hours target of `high`. */
export type RoutingKey = Severity | 'highOutsideBusinessHours';

/** Every routing key. */
export const ROUTING_KEYS: readonly RoutingKey[] = ['critical', 'high', 'highOutsideBusinessHours', 'medium', 'low'];

/** People to reach. */
export interface ContactsInput {
  /** Owners (people or groups, e.g. e-mail addresses). @default [] */
  readonly owners?: readonly string[];
  /** Escalation chain, first contact first. @default [] */
  readonly escalation?: readonly string[];
  /** Team chat channel. @default none */
  readonly chat?: string;
}

/** Google Cloud settings of a service. */
export interface GcpInput {
  /** Project ID, 6-30 characters. */
  readonly project: string;
  /** @default 'europe-west1' */
  readonly region?: string;
  /** Public host name for uptime checks and certificates. @default none (internal) */
  readonly publicHost?: string;
}

/** Normalized GCP settings. */
export interface Gcp {
  readonly project: string;
  readonly region: string;
  readonly publicHost?: string;
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
  /** @default [] */
  readonly slos?: readonly SloInput[];
  /** @default { strategy: 'rolling' } */
  readonly delivery?: DeliveryInput;
  /** Receiver per severity; merged over the platform's defaults. @default {} */
  readonly alertRouting?: AlertRoutingInput;
  /** @default none */
  readonly gcp?: GcpInput;
  /** Overrides per environment name. @default {} */
  readonly environments?: Readonly<Record<string, ServiceOverride>>;
}

/** A validated, normalized and frozen service definition (before environment overrides). */
export interface ServiceDefinition {
  readonly name: string;
  readonly description: string;
  readonly team: string;
  readonly contacts: {
    readonly owners: readonly string[];
    readonly escalation: readonly string[];
    readonly chat?: string;
  };
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
  readonly slos: readonly Slo[];
  readonly delivery: Delivery;
  readonly alertRouting: AlertRoutingInput;
  readonly gcp?: Gcp;
  /** The environment names this service overrides. */
  readonly overriddenEnvironments: readonly string[];
  /** The input as written, kept to resolve environments (defaults re-derive after overrides). */
  readonly input: ServiceDefinitionInput;
}

/** The definition of one service in one environment: overrides applied, routing resolved. */
export interface EffectiveService extends Omit<ServiceDefinition, 'overriddenEnvironments' | 'input' | 'alertRouting'> {
  /** The environment this definition is for. */
  readonly environment: string;
  /** Whether the environment is production. */
  readonly production: boolean;
  /** The platform's name (`app.kubernetes.io/part-of`). */
  readonly platform: string;
  /** Receiver name per severity, platform defaults merged with the service's. */
  readonly alertRouting: AlertRoutingInput;
  /** OTLP endpoint of the environment, when configured. */
  readonly otlpEndpoint?: string;
  /** The services of the platform that depend on this one (`dependsOn`), by name. */
  readonly callers: readonly ServiceReference[];
}

/** Where another service of the platform runs. */
export interface ServiceReference {
  readonly name: string;
  readonly namespace: string;
}

/** One deployment environment. */
export interface EnvironmentInput {
  /** DNS-1123 label, e.g. `prod`. */
  readonly name: string;
  /** Production environments reject `latest` images. @default true when the name is `prod` or `production` */
  readonly production?: boolean;
  /** OpenTelemetry collector endpoint. @default none */
  readonly otlpEndpoint?: string;
}

/** A normalized environment. */
export interface Environment {
  readonly name: string;
  readonly production: boolean;
  readonly otlpEndpoint?: string;
}

/** A PagerDuty receiver; the routing key comes from a Secret. */
export interface PagerDutyReceiver {
  readonly type: 'pagerduty';
  /** The Secret holding the Events API v2 routing key. */
  readonly routingKeySecret: SecretKeyRef;
}

/** A Slack receiver; the webhook URL comes from a Secret. */
export interface SlackReceiver {
  readonly type: 'slack';
  readonly channel: string;
  readonly apiUrlSecret: SecretKeyRef;
}

/** A generic webhook receiver (ticketing systems). */
export interface WebhookReceiver {
  readonly type: 'webhook';
  /** The URL; not a secret. */
  readonly url: string;
}

/**
 * An e-mail receiver. SMTP settings are needed for a plain `alertmanager.yml`; with the
 * prometheus-operator they may come from the Alertmanager's global settings instead.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#email_config
 */
export interface EmailReceiver {
  readonly type: 'email';
  readonly to: string;
  /** SMTP server as `host:port`, e.g. `smtp.example.com:587`. @default the Alertmanager's global `smtp_smarthost` */
  readonly smarthost?: string;
  /** Sender address. @default the Alertmanager's global `smtp_from` */
  readonly from?: string;
}

/** A notification target. */
export type ReceiverInput = PagerDutyReceiver | SlackReceiver | WebhookReceiver | EmailReceiver;

/** A key in a Kubernetes Secret. Secrets are never written in plain text. */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/** Weekly working hours, for severity `high` routing. */
export interface BusinessHoursInput {
  /** IANA time zone. @default 'UTC' */
  readonly timezone?: string;
  /** Weekday ranges in Alertmanager syntax. @default ['monday:friday'] */
  readonly weekdays?: readonly string[];
  /** @default '09:00' */
  readonly start?: string;
  /** @default '17:00' */
  readonly end?: string;
}

/** Normalized business hours. */
export interface BusinessHours {
  readonly timezone: string;
  readonly weekdays: readonly string[];
  readonly start: string;
  readonly end: string;
}

/** Platform-wide settings plus the services. */
export interface PlatformDefinitionInput {
  /** DNS-1123 label (`app.kubernetes.io/part-of`). */
  readonly name: string;
  /** Environments, e.g. dev, staging, prod. */
  readonly environments: readonly (EnvironmentInput | string)[];
  /** Base URL of runbooks; each alert links `<base>/<service>/<alert>`. */
  readonly runbookBaseUrl: string;
  /** Base URL of the Grafana instance; dashboards live under `<base>/d/<uid>`. */
  readonly dashboardBaseUrl: string;
  /** Prometheus address used by analysis and tooling. */
  readonly prometheusUrl: string;
  /** Named notification targets. @default {} */
  readonly receivers?: Readonly<Record<string, ReceiverInput>>;
  /** Default receiver per severity. @default {} */
  readonly defaultAlertRouting?: AlertRoutingInput;
  /** @default Monday to Friday, 09:00-17:00 UTC */
  readonly businessHours?: BusinessHoursInput;
  /** Namespace of the ingress controller. @default 'ingress-nginx' */
  readonly ingressNamespace?: string;
  /** Namespace of Prometheus. @default 'monitoring' */
  readonly monitoringNamespace?: string;
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
  readonly services: readonly ServiceDefinition[];
}
