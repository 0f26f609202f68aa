import { parseMatchers, substituteWindow } from '../promql/build';
import { promqlErrors } from '../promql/parse';
import { DEFAULT_BURN_RATE_TIERS, burnFactor, errorBudget } from '../slo/burn-rate';
import { DefinitionIssue, IssueCollector } from './errors';
import {
  AutoscalingInput,
  DeliveryInput,
  GcpInput,
  HealthInput,
  MetricsInput,
  ProbeInput,
  ROUTING_KEYS,
  ResourcesInput,
  SEVERITIES,
  SLO_PERIODS,
  SecretKeyRef,
  ServiceDefinitionInput,
  ServiceOverride,
  Tier,
  SloInput,
  TIERS,
} from './types';
import { parseCpu, parseDuration, parseMemory } from './units';

/** DNS-1123 label: lower-case alphanumerics and '-', starting with a letter. */
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_LIKE = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)/i;
const GCP_PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const GCP_REGION = /^[a-z]+-[a-z]+[0-9]+$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;
const INT_OR_PERCENT = /^(\d+|\d+%)$/;
/** A repository path, optionally after a registry host (and port): lower-case components. */
const IMAGE_REPOSITORY = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** The port metrics are served on when `metrics.port` is not given. */
export const DEFAULT_METRICS_PORT = 9090;

/** Names the library sets itself; a definition may not set them. */
export const RESERVED_ENV = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_RESOURCE_ATTRIBUTES', 'OTEL_SERVICE_NAME'];

/** Longest scrape interval: a 5m rate needs at least two samples. */
export const MAX_SCRAPE_INTERVAL_SECONDS = 150;

/** Longest service name: leaves room for suffixes such as `-canary` within 63 characters. */
export const MAX_SERVICE_NAME = 40;

/** A parsed image reference. */
export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Splits `registry/repo:tag@sha256:...` into its parts. */
export function parseImage(image: string): ImageReference {
  const at = image.indexOf('@');
  const withoutDigest = at === -1 ? image : image.slice(0, at);
  const digest = at === -1 ? undefined : image.slice(at + 1);
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    repository: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    tag: hasTag ? withoutDigest.slice(colon + 1) : undefined,
    digest,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Field checks shared by every validator. */
class Checks {
  constructor(readonly c: IssueCollector) {}

  label(field: string, value: unknown, max = 63): void {
    if (typeof value !== 'string' || !DNS_LABEL.test(value)) {
      this.c.add(field, 'must be a DNS-1123 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit', value);
    } else if (value.length > max) {
      this.c.add(field, `must be at most ${max} characters long (has ${value.length})`, value);
    }
  }

  port(field: string, value: unknown): void {
    if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 65535) {
      this.c.add(field, 'must be an integer from 1 to 65535', value);
    }
  }

  int(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): boolean {
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
      this.c.add(field, `must be an integer ${range}`, value);
      return false;
    }
    return true;
  }

  path(field: string, value: unknown): void {
    if (typeof value !== 'string' || !value.startsWith('/') || /\s/.test(value)) {
      this.c.add(field, 'must be an HTTP path starting with "/" and without spaces', value);
    }
  }

  duration(field: string, value: unknown): number | undefined {
    const seconds = typeof value === 'string' ? parseDuration(value) : undefined;
    if (seconds === undefined) {
      this.c.add(field, 'must be a Prometheus duration such as 30s, 5m, 1h or 1d', value);
    }
    return seconds;
  }

  oneOf(field: string, value: unknown, allowed: readonly string[]): boolean {
    if (typeof value !== 'string' || !allowed.includes(value)) {
      this.c.add(field, `must be one of ${allowed.join(', ')}`, value);
      return false;
    }
    return true;
  }

  url(field: string, value: unknown): void {
    if (typeof value !== 'string' || !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(value)) {
      this.c.add(field, 'must be an http:// or https:// URL', value);
    }
  }

  secretRef(field: string, value: unknown): void {
    const ref = value as SecretKeyRef;
    if (!isObject(value) || typeof ref.name !== 'string' || !DNS_SUBDOMAIN.test(ref.name) || typeof ref.key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(ref.key)) {
      this.c.add(field, 'must reference a Secret key as { name, key }: name a DNS-1123 subdomain, key of letters, digits, "-", "_" or "."', value);
    }
  }
}

function checkImage(k: Checks, field: string, image: unknown): void {
  if (typeof image !== 'string' || image.length === 0 || /\s/.test(image)) {
    k.c.add(field, 'must be a container image reference such as registry.example.com/team/app:1.2.3', image);
    return;
  }
  const ref = parseImage(image);
  if (!IMAGE_REPOSITORY.test(ref.repository)) {
    k.c.add(field, 'has a malformed repository: lower-case letters, digits, ".", "_" and "-" in "/"-separated parts, optionally after a registry host', image);
  } else if (ref.digest !== undefined && !IMAGE_DIGEST.test(ref.digest)) {
    k.c.add(field, 'has a malformed digest: expected sha256: and 64 hex digits', image);
  } else if (ref.tag !== undefined && !IMAGE_TAG.test(ref.tag)) {
    k.c.add(field, 'has a malformed tag: letters, digits, "_", "." and "-", at most 128', image);
  } else if (ref.tag === undefined && ref.digest === undefined) {
    k.c.add(field, 'must be pinned with a tag or a digest (e.g. app:1.2.3 or app@sha256:...)', image);
  }
}

/** Default requests and limits, as in `ResourcesInput`. */
const RESOURCE_DEFAULTS = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } as const;

function checkResources(k: Checks, field: string, resources: ResourcesInput | undefined): void {
  if (resources === undefined) {
    return;
  }
  const requests = resources.requests ?? {};
  const limits = resources.limits ?? {};
  const cpu = { requests: requests.cpu, limits: limits.cpu };
  const memory = { requests: requests.memory, limits: limits.memory };
  for (const kind of ['requests', 'limits'] as const) {
    if (cpu[kind] !== undefined && parseCpu(cpu[kind] as string) === undefined) {
      k.c.add(`${field}.${kind}.cpu`, 'must be a CPU quantity such as 250m or 1.5 (at least 1m)', cpu[kind]);
    }
    if (memory[kind] !== undefined && parseMemory(memory[kind] as string) === undefined) {
      k.c.add(`${field}.${kind}.memory`, 'must be a memory quantity with a binary unit (Ki, Mi, Gi, Ti), e.g. 512Mi', memory[kind]);
    }
  }
  // Compare what will be applied: a value left out takes its default.
  for (const [kind, parse, values] of [['cpu', parseCpu, cpu], ['memory', parseMemory, memory]] as const) {
    if (values.requests === undefined && values.limits === undefined) {
      continue;
    }
    const request = values.requests ?? RESOURCE_DEFAULTS.requests[kind];
    const limit = values.limits ?? RESOURCE_DEFAULTS.limits[kind];
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

function checkHealth(k: Checks, health: HealthInput | undefined, port: number | undefined): void {
  for (const kind of ['liveness', 'readiness', 'startup'] as const) {
    const probe = health?.[kind];
    if (probe !== undefined) {
      checkProbe(k, `health.${kind}`, probe, port);
    }
  }
}

function checkMetrics(k: Checks, metrics: MetricsInput | undefined, port: number | undefined): void {
  if (metrics?.port === undefined && port === DEFAULT_METRICS_PORT) {
    k.c.add('port', `must differ from the metrics port ${DEFAULT_METRICS_PORT} (the default); choose another port or set metrics.port`, port);
  }
  if (metrics === undefined) {
    return;
  }
  if (metrics.port !== undefined) {
    k.port('metrics.port', metrics.port);
    if (metrics.port === port) {
      k.c.add('metrics.port', `must differ from the HTTP port ${port} so that only the monitoring namespace reaches it`, metrics.port);
    }
  }
  if (metrics.path !== undefined) k.path('metrics.path', metrics.path);
  if (metrics.scrapeInterval !== undefined) {
    const seconds = k.duration('metrics.scrapeInterval', metrics.scrapeInterval);
    if (seconds !== undefined && seconds > MAX_SCRAPE_INTERVAL_SECONDS) {
      k.c.add('metrics.scrapeInterval', 'must be at most 2m30s: a 5m rate needs at least two samples', metrics.scrapeInterval);
    }
  }
  for (const name of ['requestsMetric', 'latencyMetric'] as const) {
    const value = metrics[name];
    if (value !== undefined && (typeof value !== 'string' || !METRIC_NAME.test(value))) {
      k.c.add(`metrics.${name}`, 'must be a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)', value);
    }
  }
  const buckets = metrics.latencyBuckets;
  if (buckets !== undefined) {
    const ok = Array.isArray(buckets) && buckets.length > 0 && buckets.every((b, i) => typeof b === 'number' && b > 0 && (i === 0 || b > buckets[i - 1]));
    if (!ok) {
      k.c.add('metrics.latencyBuckets', 'must be a non-empty list of positive numbers in increasing order', buckets);
    }
  }
}

/** Replicas when a definition gives none: 3 for the critical tier, 2 otherwise. */
export function defaultReplicas(tier: Tier): number {
  return tier === 'critical' ? 3 : 2;
}

/**
 * @param replicas the service's replicas (the default minReplicas), or undefined when invalid
 * @param replicasOrigin how `replicas` was obtained, for the message
 */
function checkAutoscaling(k: Checks, field: string, autoscaling: AutoscalingInput | false | undefined, replicas: number | undefined, replicasOrigin: string): void {
  if (autoscaling === undefined || autoscaling === false) {
    return;
  }
  const okMin = autoscaling.minReplicas === undefined || k.int(`${field}.minReplicas`, autoscaling.minReplicas, 1);
  const okMax = autoscaling.maxReplicas === undefined || k.int(`${field}.maxReplicas`, autoscaling.maxReplicas, 1);
  const min = autoscaling.minReplicas ?? replicas;
  if (okMin && okMax && autoscaling.maxReplicas !== undefined && min !== undefined && min > autoscaling.maxReplicas) {
    const bound = autoscaling.minReplicas === undefined ? `minReplicas, which defaults to ${replicasOrigin}` : `minReplicas (${min})`;
    k.c.add(`${field}.maxReplicas`, `must be at least ${bound}`, autoscaling.maxReplicas);
  }
  if (autoscaling.cpuTargetPercent !== undefined) {
    k.int(`${field}.cpuTargetPercent`, autoscaling.cpuTargetPercent, 1, 100);
  }
}

/**
 * A selector is the inside of `{...}`: comma-separated label matchers. Regular expressions must
 * compile (JavaScript's syntax approximates RE2's for the common cases).
 */
function checkSelector(k: Checks, field: string, selector: unknown): void {
  if (selector === undefined) {
    return;
  }
  const matchers = typeof selector === 'string' ? parseMatchers(selector) : undefined;
  if (matchers === undefined) {
    k.c.add(field, 'must be PromQL label matchers separated by commas, e.g. code=~"5..",method!="OPTIONS"', selector);
    return;
  }
  for (const matcher of matchers) {
    if (matcher.op === '=~' || matcher.op === '!~') {
      try {
        new RegExp(`^(?:${matcher.value})$`);
      } catch {
        k.c.add(field, `has an invalid regular expression for ${matcher.name}`, selector);
      }
    }
  }
}

function checkSlo(k: Checks, field: string, slo: SloInput, metrics: MetricsInput | undefined, buckets: readonly number[]): void {
  const scrapeSeconds = parseDuration(metrics?.scrapeInterval ?? '30s') ?? 30;
  k.label(`${field}.name`, slo.name, 40);
  const objectiveOk = typeof slo.objective === 'number' && slo.objective > 0 && slo.objective < 100;
  if (!objectiveOk) {
    k.c.add(`${field}.objective`, 'must be a percentage strictly between 0 and 100 (e.g. 99.9)', slo.objective);
  }
  const periodOk = slo.period === undefined || k.oneOf(`${field}.period`, slo.period, SLO_PERIODS);
  if (slo.minRequestRate !== undefined && !(typeof slo.minRequestRate === 'number' && slo.minRequestRate > 0)) {
    k.c.add(`${field}.minRequestRate`, 'must be a positive number of requests per second', slo.minRequestRate);
  }
  switch (slo.kind) {
    case 'availability':
      if (slo.badSelector !== undefined && (typeof slo.badSelector !== 'string' || slo.badSelector.trim() === '')) {
        k.c.add(`${field}.badSelector`, 'must select the failed requests; an empty selector counts every request as failed', slo.badSelector);
      } else {
        checkSelector(k, `${field}.badSelector`, slo.badSelector);
      }
      checkSelector(k, `${field}.totalSelector`, slo.totalSelector);
      break;
    case 'latency':
      checkSelector(k, `${field}.selector`, slo.selector);
      if (typeof slo.thresholdSeconds !== 'number' || !(slo.thresholdSeconds > 0)) {
        k.c.add(`${field}.thresholdSeconds`, 'must be a positive number of seconds', slo.thresholdSeconds);
      } else if (!buckets.includes(slo.thresholdSeconds)) {
        const where = metrics?.latencyBuckets ? 'metrics.latencyBuckets' : 'the default latency buckets';
        k.c.add(`${field}.thresholdSeconds`, `must be one of ${where}: ${buckets.join(', ')}`, slo.thresholdSeconds);
      } else if (slo.thresholdSeconds === buckets[buckets.length - 1]) {
        k.c.add(
          `${field}.thresholdSeconds`,
          `must be below the largest latency bucket (${slo.thresholdSeconds}): without a bucket above the threshold, percentiles never exceed it and the latency alert could never fire`,
          slo.thresholdSeconds,
        );
      }
      break;
    case 'custom':
      for (const name of ['goodQuery', 'totalQuery'] as const) {
        if (typeof slo[name] !== 'string' || !slo[name].includes('{{window}}')) {
          k.c.add(`${field}.${name}`, 'must be PromQL containing {{window}} where the range goes', slo[name]);
        } else {
          const problems = promqlErrors(substituteWindow(slo[name], '5m'));
          if (problems.length > 0) {
            k.c.add(`${field}.${name}`, `must be valid PromQL once {{window}} is replaced by a range: ${problems[0].message}`, slo[name]);
          }
        }
      }
      break;
    default:
      k.c.add(`${field}.kind`, 'must be one of availability, latency, custom', (slo as { kind: unknown }).kind);
  }
  const tiers = slo.burnRateTiers;
  if (tiers === undefined) {
    if (objectiveOk && periodOk) checkTierThresholds(k, field, slo, undefined);
    return;
  }
  if (!Array.isArray(tiers)) {
    k.c.add(`${field}.burnRateTiers`, 'must be a list of tiers', tiers);
    return;
  }
  const seenWindows = new Map<string, number>();
  tiers.forEach((tier, i) => {
    const t = `${field}.burnRateTiers[${i}]`;
    if (typeof tier.budgetPercent !== 'number' || !(tier.budgetPercent > 0 && tier.budgetPercent <= 100)) {
      k.c.add(`${t}.budgetPercent`, 'must be a percentage above 0 and at most 100', tier.budgetPercent);
    }
    const long = k.duration(`${t}.longWindow`, tier.longWindow);
    const short = k.duration(`${t}.shortWindow`, tier.shortWindow);
    if (long !== undefined && short !== undefined && short >= long) {
      k.c.add(`${t}.shortWindow`, `must be shorter than the long window ${tier.longWindow}`, tier.shortWindow);
    } else if (short !== undefined && short < 2 * scrapeSeconds) {
      k.c.add(`${t}.shortWindow`, `must be at least twice the scrape interval (${scrapeSeconds}s) so that a rate over it has two samples`, tier.shortWindow);
    }
    const periodSeconds = parseDuration(slo.period ?? '30d');
    if (long !== undefined && periodSeconds !== undefined && long >= periodSeconds) {
      k.c.add(`${t}.longWindow`, `must be shorter than the SLO period ${slo.period ?? '30d'}`, tier.longWindow);
    }
    k.oneOf(`${t}.severity`, tier.severity, SEVERITIES);
    const windows = `${tier.longWindow}/${tier.shortWindow}`;
    const first = seenWindows.get(windows);
    if (first !== undefined) {
      k.c.add(t, `duplicates the windows of burnRateTiers[${first}]; each tier needs its own window pair`, windows);
    } else {
      seenWindows.set(windows, i);
    }
  });
  if (objectiveOk && periodOk) checkTierThresholds(k, field, slo, tiers);
}

function checkTierThresholds(k: Checks, field: string, slo: SloInput, tiers: SloInput['burnRateTiers']): void {
  const list = tiers ?? DEFAULT_BURN_RATE_TIERS;
  list.forEach((tier, i) => {
    if (parseDuration(tier.longWindow) === undefined || !(tier.budgetPercent > 0)) {
      return;
    }
    const factor = burnFactor(tier, slo.period ?? '30d');
    const budget = errorBudget(slo.objective);
    const threshold = factor * budget;
    if (threshold >= 1) {
      const where = tiers === undefined ? `the default burn-rate tier ${tier.budgetPercent}%/${tier.longWindow}` : `burnRateTiers[${i}]`;
      k.c.add(
        `${field}.objective`,
        `is too low for ${where}: burn factor ${factor} × error budget ${budget} = ${Number(threshold.toPrecision(4))} ≥ 1, so it could never fire; raise the objective or give burnRateTiers without that tier`,
        slo.objective,
      );
    }
  });
}

function checkDelivery(k: Checks, delivery: DeliveryInput | undefined): void {
  if (delivery === undefined) {
    return;
  }
  if (!k.oneOf('delivery.strategy', delivery.strategy, ['rolling', 'canary', 'blue-green'])) {
    return;
  }
  switch (delivery.strategy) {
    case 'rolling':
      for (const name of ['maxSurge', 'maxUnavailable'] as const) {
        const value = delivery[name];
        if (value !== undefined && (typeof value !== 'string' || !INT_OR_PERCENT.test(value))) {
          k.c.add(`delivery.${name}`, 'must be a count or a percentage as a string, e.g. "1" or "25%"', value);
        }
      }
      {
        // Compare what will be applied: maxSurge defaults to 25%, maxUnavailable to 0.
        const isZero = (v: unknown): boolean => typeof v === 'string' && /^0+%?$/.test(v);
        if (isZero(delivery.maxSurge) && isZero(delivery.maxUnavailable ?? '0')) {
          if (delivery.maxUnavailable !== undefined) {
            k.c.add('delivery.maxUnavailable', 'must not be 0 when maxSurge is 0: the rollout could never progress', delivery.maxUnavailable);
          } else {
            k.c.add('delivery.maxSurge', 'must not be 0 while maxUnavailable is 0 (the default): the rollout could never progress', delivery.maxSurge);
          }
        }
      }
      break;
    case 'canary': {
      const steps = delivery.steps;
      if (steps !== undefined) {
        const ok = Array.isArray(steps) && steps.length > 0 && steps.every((s, i) => Number.isInteger(s) && s > 0 && s <= 100 && (i === 0 || s > steps[i - 1])) && steps[steps.length - 1] === 100;
        if (!ok) {
          k.c.add('delivery.steps', 'must be whole traffic percentages above 0, increasing, ending at 100', steps);
        }
      }
      if (delivery.stepDuration !== undefined) k.duration('delivery.stepDuration', delivery.stepDuration);
      break;
    }
    case 'blue-green':
      if (delivery.scaleDownDelaySeconds !== undefined) k.int('delivery.scaleDownDelaySeconds', delivery.scaleDownDelaySeconds, 0);
      break;
  }
}

function checkGcp(k: Checks, gcp: Partial<GcpInput> | undefined, partial: boolean): void {
  if (gcp === undefined) {
    return;
  }
  if (gcp.project !== undefined || !partial) {
    if (typeof gcp.project !== 'string' || !GCP_PROJECT.test(gcp.project)) {
      k.c.add('gcp.project', 'must be a Google Cloud project ID: 6-30 lower-case letters, digits or "-", starting with a letter', gcp.project);
    }
  }
  if (gcp.region !== undefined && (typeof gcp.region !== 'string' || !GCP_REGION.test(gcp.region))) {
    k.c.add('gcp.region', 'must be a Google Cloud region such as europe-west1', gcp.region);
  }
  if (gcp.publicHost !== undefined && (typeof gcp.publicHost !== 'string' || !DNS_SUBDOMAIN.test(gcp.publicHost) || !gcp.publicHost.includes('.'))) {
    k.c.add('gcp.publicHost', 'must be a fully qualified DNS name such as shop.example.com', gcp.publicHost);
  }
}

function checkEnv(k: Checks, env: Readonly<Record<string, string>> | undefined, secretEnv: Readonly<Record<string, SecretKeyRef>> | undefined): void {
  for (const [name, value] of Object.entries(env ?? {})) {
    if (!ENV_NAME.test(name)) {
      k.c.add(`env.${name}`, 'must be a name of letters, digits and "_", not starting with a digit', name);
    } else if (RESERVED_ENV.includes(name)) {
      k.c.add(`env.${name}`, 'is set by the library from the definition and the environment; remove it', value);
    } else if (SECRET_LIKE.test(name)) {
      k.c.add(`env.${name}`, 'looks like a secret: move it to secretEnv as a Secret reference instead of plain text', '<redacted>');
    } else if (typeof value !== 'string') {
      k.c.add(`env.${name}`, 'must be a string', value);
    }
  }
  for (const [name, ref] of Object.entries(secretEnv ?? {})) {
    if (!ENV_NAME.test(name)) {
      k.c.add(`secretEnv.${name}`, 'must be a name of letters, digits and "_", not starting with a digit', name);
    } else if (RESERVED_ENV.includes(name)) {
      k.c.add(`secretEnv.${name}`, 'is set by the library from the definition and the environment; remove it', name);
    } else if (env?.[name] !== undefined) {
      k.c.add(`secretEnv.${name}`, 'is also set in env; keep one', name);
    }
    k.secretRef(`secretEnv.${name}`, ref);
  }
}

/** The default latency buckets, seconds (the Prometheus client default). */
export const DEFAULT_LATENCY_BUCKETS: readonly number[] = Object.freeze([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

/**
 * Validates a service input and returns every problem found, each rooted at `root`
 * (the service name). Does not know the platform: receivers and environment names are
 * checked by `definePlatform`.
 */
export function validateService(input: ServiceDefinitionInput, root: string): DefinitionIssue[] {
  const c = new IssueCollector(root);
  const k = new Checks(c);
  if (!isObject(input)) {
    c.add('', 'must be an object', input);
    return [...c.issues];
  }
  k.label('name', input.name, MAX_SERVICE_NAME);
  k.label('team', input.team);
  k.oneOf('tier', input.tier, TIERS);
  if (input.component !== undefined) k.label('component', input.component);
  if (input.namespace !== undefined) k.label('namespace', input.namespace);
  const imageIssues = c.issues.length;
  checkImage(k, 'image', input.image);
  if (input.version !== undefined && !isLabelValue(input.version)) {
    c.add('version', 'must be a Kubernetes label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit', input.version);
  } else if (input.version === undefined && c.issues.length === imageIssues && typeof input.image === 'string') {
    const tag = parseImage(input.image).tag;
    if (tag !== undefined && !isLabelValue(tag)) {
      c.add('image', 'has a tag that cannot serve as the version label (at most 63 characters, starting and ending with a letter or digit); set version explicitly', input.image);
    }
  }
  if (input.port !== undefined) k.port('port', input.port);
  checkMetrics(k, input.metrics, input.port);
  const replicasOk = input.replicas === undefined || k.int('replicas', input.replicas, 1, 1000);
  checkResources(k, 'resources', input.resources);
  checkHealth(k, input.health, input.port);
  const tierReplicas = TIERS.includes(input.tier) ? defaultReplicas(input.tier) : undefined;
  const replicas = !replicasOk ? undefined : (input.replicas ?? tierReplicas);
  const replicasOrigin = input.replicas !== undefined ? `replicas (${replicas})` : `replicas (${replicas} for the ${input.tier} tier)`;
  checkAutoscaling(k, 'autoscaling', input.autoscaling, replicas, replicasOrigin);
  checkEnv(k, input.env, input.secretEnv);
  if (input.dependsOn !== undefined) {
    if (!Array.isArray(input.dependsOn)) {
      c.add('dependsOn', 'must be a list of service names', input.dependsOn);
    } else {
      input.dependsOn.forEach((name, i) => {
        k.label(`dependsOn[${i}]`, name, MAX_SERVICE_NAME);
        if (name === input.name) c.add(`dependsOn[${i}]`, 'must name another service, not the service itself', name);
      });
    }
  }
  const buckets = input.metrics?.latencyBuckets ?? DEFAULT_LATENCY_BUCKETS;
  const slos = input.slos ?? [];
  const seen = new Set<string>();
  slos.forEach((slo, i) => {
    checkSlo(k, `slos[${i}]`, slo, input.metrics, buckets);
    if (seen.has(slo.name)) {
      c.add(`slos[${i}].name`, 'must be unique within the service', slo.name);
    }
    seen.add(slo.name);
  });
  if (slos.length > 0 && input.port === undefined && slos.some((s) => s.kind !== 'custom')) {
    slos.forEach((slo, i) => {
      if (slo.kind !== 'custom') {
        c.add(`slos[${i}].kind`, 'needs HTTP request metrics, but the service has no port; use a custom SLO for workers', slo.kind);
      }
    });
  }
  checkDelivery(k, input.delivery);
  for (const [severity, receiver] of Object.entries(input.alertRouting ?? {})) {
    if (!(ROUTING_KEYS as readonly string[]).includes(severity)) {
      c.add(`alertRouting.${severity}`, `is not a routing key; use ${ROUTING_KEYS.join(', ')}`, receiver);
    }
  }
  checkGcp(k, input.gcp, false);
  if (input.contacts !== undefined) {
    for (const [name, list] of [['owners', input.contacts.owners], ['escalation', input.contacts.escalation]] as const) {
      if (list !== undefined && (!Array.isArray(list) || list.some((x) => typeof x !== 'string' || x.trim() === ''))) {
        c.add(`contacts.${name}`, 'must be a list of non-empty strings', list);
      }
    }
  }
  if (input.environments !== undefined) {
    if (!isObject(input.environments)) {
      c.add('environments', 'must map environment names to overrides', input.environments);
    } else {
      for (const [env, override] of Object.entries(input.environments)) {
        if (!isObject(override)) {
          c.add(`environments.${env}`, 'must be an object of overrides', override);
          continue;
        }
        for (const key of Object.keys(override)) {
          if (!(OVERRIDABLE_FIELDS as readonly string[]).includes(key)) {
            c.add(`environments.${env}.${key}`, `cannot be overridden per environment; overridable: ${OVERRIDABLE_FIELDS.join(', ')}`, override[key]);
          }
        }
      }
    }
  }
  return [...c.issues];
}

/** The fields an environment may override (`ServiceOverride`). */
export const OVERRIDABLE_FIELDS: readonly (keyof ServiceOverride)[] = ['image', 'replicas', 'resources', 'autoscaling', 'env', 'secretEnv', 'slos', 'delivery', 'alertRouting', 'gcp'];

function isLabelValue(value: unknown): boolean {
  return typeof value === 'string' && LABEL_VALUE.test(value) && value.length <= 63;
}

/** Helpers shared with the platform validator. @internal */
export const checks = {
  label(c: IssueCollector, field: string, value: unknown, max = 63): void {
    new Checks(c).label(field, value, max);
  },
  url(c: IssueCollector, field: string, value: unknown): void {
    new Checks(c).url(field, value);
  },
  secretRef(c: IssueCollector, field: string, value: unknown): void {
    new Checks(c).secretRef(field, value);
  },
  oneOf(c: IssueCollector, field: string, value: unknown, allowed: readonly string[]): boolean {
    return new Checks(c).oneOf(field, value, allowed);
  },
};
