import {
  DefinitionError,
  DeliveryInput,
  PlatformDefinitionInput,
  ReceiverInput,
  SecretKeyRef,
  ServiceDefinition,
  ServiceDefinitionInput,
  SloInput,
  SloPeriod,
  Severity,
  Tier,
  defineService,
  definePlatform,
} from '../../lib/definition';
import { availability, bad, platform, service, worker } from '../fixtures/definitions';

/**
 * A table of malformed definitions. Each case gives the exact, complete list of issue lines
 * the definition must produce, in order: one negative test per validation rule.
 */

const DIGEST = `sha256:${'4f1c5e8e'.repeat(8)}`;

const DNS_LABEL = 'must be a DNS-1123 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit';
const INT_PORT = 'must be an integer from 1 to 65535';
const PINNED = 'must be pinned with a tag or a digest (e.g. app:1.2.3 or app@sha256:...)';
const OBJECTIVE = 'must be a percentage strictly between 0 and 100 (e.g. 99.9)';
const DURATION = 'must be a Prometheus duration such as 30s, 5m, 1h or 1d';
const SECRET_REF = 'must reference a Secret key as { name, key }: name a DNS-1123 subdomain, key of letters, digits, "-", "_" or "."';
const URL = 'must be an http:// or https:// URL';
const ENV_NAME = 'must be a name of letters, digits and "_", not starting with a digit';
const RESERVED = 'is set by the library from the definition and the environment; remove it';
const DEFAULT_BUCKETS = '0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10';
const LATEST = 'must not use the "latest" tag in production environment prod; pin a version or digest';
const OVERRIDABLE = 'image, replicas, resources, autoscaling, env, secretEnv, slos, delivery, alertRouting, gcp, database, rightSizing';

interface Case {
  /** What is wrong, as a sentence fragment after "reports". */
  readonly name: string;
  /** Builds the definition; must throw a DefinitionError. */
  readonly define: () => unknown;
  /** Every issue line, in order. */
  readonly lines: readonly string[];
}

const svc = (changes: Partial<ServiceDefinitionInput>) => () => defineService(service(changes));
const wrk = (changes: Partial<ServiceDefinitionInput>) => () => defineService(worker(changes));
const plat = (changes: Partial<PlatformDefinitionInput>) => () => definePlatform(platform(changes));
const withServices = (...inputs: ServiceDefinitionInput[]) => () => definePlatform(platform({ services: inputs.map((i) => defineService(i)) }));

const SERVICE_CASES: readonly Case[] = [
  // Names and labels.
  { name: 'an upper-case service name', define: svc({ name: 'Checkout' }), lines: [`Checkout.name: ${DNS_LABEL} (got "Checkout")`] },
  { name: 'a service name ending with "-"', define: svc({ name: 'checkout-' }), lines: [`checkout-.name: ${DNS_LABEL} (got "checkout-")`] },
  { name: 'a service name starting with a digit', define: svc({ name: '1checkout' }), lines: [`1checkout.name: ${DNS_LABEL} (got "1checkout")`] },
  { name: 'an empty service name under a placeholder root', define: svc({ name: '' }), lines: [`<unnamed>.name: ${DNS_LABEL} (got "")`] },
  { name: 'a missing service name under a placeholder root', define: svc({ name: bad<string>(undefined) }), lines: [`<unnamed>.name: ${DNS_LABEL} (got undefined)`] },
  {
    name: 'a service name longer than 40 characters',
    define: svc({ name: `a${'b'.repeat(40)}` }),
    lines: [`a${'b'.repeat(40)}.name: must be at most 40 characters long (has 41) (got "a${'b'.repeat(40)}")`],
  },
  { name: 'a team that is not a DNS label', define: svc({ team: 'Payments_Team' }), lines: [`checkout.team: ${DNS_LABEL} (got "Payments_Team")`] },
  { name: 'an unknown tier', define: svc({ tier: bad<Tier>('urgent') }), lines: ['checkout.tier: must be one of critical, high, medium, low (got "urgent")'] },
  { name: 'a component that is not a DNS label', define: svc({ component: 'API' }), lines: [`checkout.component: ${DNS_LABEL} (got "API")`] },
  {
    name: 'a namespace longer than 63 characters',
    define: svc({ namespace: `n${'s'.repeat(63)}` }),
    lines: [`checkout.namespace: must be at most 63 characters long (has 64) (got "n${'s'.repeat(63)}")`],
  },

  // Images and versions.
  { name: 'an image without tag or digest', define: svc({ image: 'registry.example.com/payments/checkout' }), lines: [`checkout.image: ${PINNED} (got "registry.example.com/payments/checkout")`] },
  {
    name: 'an image with a registry port but no tag',
    define: svc({ image: 'registry.example.com:5000/payments/checkout' }),
    lines: [`checkout.image: ${PINNED} (got "registry.example.com:5000/payments/checkout")`],
  },
  {
    name: 'an image with a short digest',
    define: svc({ image: 'registry.example.com/payments/checkout@sha256:4f1c5e' }),
    lines: ['checkout.image: has a malformed digest: expected sha256: and 64 hex digits (got "registry.example.com/payments/checkout@sha256:4f1c5e")'],
  },
  {
    name: 'an image digest with upper-case hex digits, shown in full',
    define: svc({ image: `registry.example.com/payments/checkout@${DIGEST.toUpperCase().replace('SHA256', 'sha256')}` }),
    lines: [`checkout.image: has a malformed digest: expected sha256: and 64 hex digits (got "registry.example.com/payments/checkout@sha256:${'4F1C5E8E'.repeat(8)}")`],
  },
  {
    name: 'an image with text after the digest',
    define: svc({ image: `app@${DIGEST}@extra` }),
    lines: [`checkout.image: has a malformed digest: expected sha256: and 64 hex digits (got "app@${DIGEST}@extra")`],
  },
  {
    name: 'an image tag starting with "-"',
    define: svc({ image: 'app:-rc1' }),
    lines: ['checkout.image: has a malformed tag: letters, digits, "_", "." and "-", at most 128 (got "app:-rc1")'],
  },
  {
    name: 'an image with an empty repository',
    define: svc({ image: ':1.0' }),
    lines: ['checkout.image: has a malformed repository: lower-case letters, digits, ".", "_" and "-" in "/"-separated parts, optionally after a registry host (got ":1.0")'],
  },
  {
    name: 'an image with an upper-case repository',
    define: svc({ image: 'registry.example.com/Payments/Checkout:1.0' }),
    lines: ['checkout.image: has a malformed repository: lower-case letters, digits, ".", "_" and "-" in "/"-separated parts, optionally after a registry host (got "registry.example.com/Payments/Checkout:1.0")'],
  },
  {
    name: 'an image with a space',
    define: svc({ image: 'checkout 1.0' }),
    lines: ['checkout.image: must be a container image reference such as registry.example.com/team/app:1.2.3 (got "checkout 1.0")'],
  },
  {
    name: 'an image tag that cannot serve as the version label',
    define: svc({ image: 'app:_build.7' }),
    lines: ['checkout.image: has a tag that cannot serve as the version label (at most 63 characters, starting and ending with a letter or digit); set version explicitly (got "app:_build.7")'],
  },
  {
    name: 'an explicit version that is not a label value',
    define: svc({ version: '1.0+build' }),
    lines: ['checkout.version: must be a Kubernetes label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit (got "1.0+build")'],
  },

  // Ports and metrics.
  { name: 'port 0', define: svc({ port: 0 }), lines: [`checkout.port: ${INT_PORT} (got 0)`] },
  { name: 'a port above 65535', define: svc({ port: 65536 }), lines: [`checkout.port: ${INT_PORT} (got 65536)`] },
  { name: 'a fractional port', define: svc({ port: 80.5 }), lines: [`checkout.port: ${INT_PORT} (got 80.5)`] },
  {
    name: 'a metrics port equal to the HTTP port',
    define: svc({ metrics: { port: 8080 } }),
    lines: ['checkout.metrics.port: must differ from the HTTP port 8080 so that only the monitoring namespace reaches it (got 8080)'],
  },
  {
    name: 'an HTTP port equal to the default metrics port',
    define: svc({ port: 9090 }),
    lines: ['checkout.port: must differ from the metrics port 9090 (the default); choose another port or set metrics.port (got 9090)'],
  },
  {
    name: 'metric names that Prometheus rejects',
    define: svc({ metrics: { requestsMetric: 'http-requests-total', latencyMetric: '1_latency' } }),
    lines: [
      'checkout.metrics.requestsMetric: must be a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*) (got "http-requests-total")',
      'checkout.metrics.latencyMetric: must be a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*) (got "1_latency")',
    ],
  },
  {
    name: 'a metrics path and scrape interval in the wrong form',
    define: svc({ metrics: { path: 'metrics', scrapeInterval: '30' } }),
    lines: ['checkout.metrics.path: must be an HTTP path starting with "/" and without spaces (got "metrics")', `checkout.metrics.scrapeInterval: ${DURATION} (got "30")`],
  },
  {
    name: 'latency buckets out of order',
    define: svc({ metrics: { latencyBuckets: [0.1, 0.05, 1] } }),
    lines: ['checkout.metrics.latencyBuckets: must be a non-empty list of at most 100 numbers of seconds from 0.000001 to 86400, in increasing order (got [0.1,0.05,1])'],
  },
  {
    name: 'an empty list of latency buckets',
    define: svc({ metrics: { latencyBuckets: [] } }),
    lines: ['checkout.metrics.latencyBuckets: must be a non-empty list of at most 100 numbers of seconds from 0.000001 to 86400, in increasing order (got [])'],
  },

  // Replicas and resources.
  { name: 'zero replicas', define: svc({ replicas: 0 }), lines: ['checkout.replicas: must be an integer from 1 to 1000 (got 0)'] },
  {
    name: 'CPU and memory quantities that do not parse',
    define: svc({ resources: { requests: { cpu: '0.5 cores', memory: '512MB' }, limits: { cpu: '0.0001', memory: '1G' } } }),
    lines: [
      'checkout.resources.requests.cpu: must be a CPU quantity such as 250m or 1.5 (at least 1m) (got "0.5 cores")',
      'checkout.resources.requests.memory: must be a memory quantity with a binary unit (Ki, Mi, Gi, Ti), e.g. 512Mi (got "512MB")',
      'checkout.resources.limits.cpu: must be a CPU quantity such as 250m or 1.5 (at least 1m) (got "0.0001")',
      'checkout.resources.limits.memory: must be a memory quantity with a binary unit (Ki, Mi, Gi, Ti), e.g. 512Mi (got "1G")',
    ],
  },
  {
    name: 'requests above limits',
    define: svc({ resources: { requests: { cpu: '2', memory: '2Gi' }, limits: { cpu: '1500m', memory: '1Gi' } } }),
    lines: ['checkout.resources.requests.cpu: must not exceed the CPU limit 1500m (got "2")', 'checkout.resources.requests.memory: must not exceed the memory limit 1Gi (got "2Gi")'],
  },
  {
    name: 'a request above the default limit',
    define: svc({ resources: { requests: { memory: '512Mi' } } }),
    lines: ['checkout.resources.requests.memory: must not exceed the memory limit 256Mi (the default) (got "512Mi")'],
  },
  {
    name: 'a limit below the default request',
    define: svc({ resources: { limits: { cpu: '50m' } } }),
    lines: ['checkout.resources.limits.cpu: must be at least the CPU request 100m (the default) (got "50m")'],
  },

  // Probes.
  {
    name: 'a probe path without a leading "/"',
    define: svc({ health: { liveness: { path: 'healthz' }, readiness: { path: '/ready now' } } }),
    lines: [
      'checkout.health.liveness.path: must be an HTTP path starting with "/" and without spaces (got "healthz")',
      'checkout.health.readiness.path: must be an HTTP path starting with "/" and without spaces (got "/ready now")',
    ],
  },
  {
    name: 'a probe without port on a worker',
    define: wrk({ health: { readiness: { path: '/ready' } } }),
    lines: ['notifier.health.readiness.port: is required when the service has no HTTP port (got undefined)'],
  },
  {
    name: 'probe timings out of range',
    define: svc({ health: { startup: { path: '/healthz', port: 0, initialDelaySeconds: -1, periodSeconds: 0, timeoutSeconds: 1.5, failureThreshold: 0 } } }),
    lines: [
      `checkout.health.startup.port: ${INT_PORT} (got 0)`,
      'checkout.health.startup.initialDelaySeconds: must be an integer from 0 to 2147483647 (got -1)',
      'checkout.health.startup.periodSeconds: must be an integer from 1 to 2147483647 (got 0)',
      'checkout.health.startup.timeoutSeconds: must be an integer from 1 to 2147483647 (got 1.5)',
      'checkout.health.startup.failureThreshold: must be an integer from 1 to 2147483647 (got 0)',
    ],
  },

  // Autoscaling.
  {
    name: 'autoscaling minReplicas above maxReplicas',
    define: svc({ autoscaling: { minReplicas: 5, maxReplicas: 3 } }),
    lines: ['checkout.autoscaling.maxReplicas: must be at least minReplicas (5) (got 3)'],
  },
  {
    name: 'autoscaling maxReplicas below the replicas that minReplicas defaults to',
    define: svc({ replicas: 6, autoscaling: { maxReplicas: 4 } }),
    lines: ['checkout.autoscaling.maxReplicas: must be at least minReplicas, which defaults to replicas (6) (got 4)'],
  },
  {
    name: 'autoscaling maxReplicas below the tier default replicas',
    define: svc({ autoscaling: { maxReplicas: 2 } }),
    lines: ['checkout.autoscaling.maxReplicas: must be at least minReplicas, which defaults to replicas (3 for the critical tier) (got 2)'],
  },
  {
    name: 'autoscaling minReplicas above maxReplicas caused by an environment override',
    define: svc({ autoscaling: { maxReplicas: 4 }, environments: { prod: { replicas: 6 } } }),
    lines: ['checkout.environments.prod.autoscaling.maxReplicas: must be at least minReplicas, which defaults to replicas (6) (got 4)'],
  },
  {
    name: 'autoscaling replica counts that are not positive integers',
    define: svc({ autoscaling: { minReplicas: 0, maxReplicas: 2.5 } }),
    lines: ['checkout.autoscaling.minReplicas: must be an integer from 1 to 1000 (got 0)', 'checkout.autoscaling.maxReplicas: must be an integer from 1 to 1000 (got 2.5)'],
  },
  {
    name: 'a CPU target above 100%',
    define: svc({ autoscaling: { cpuTargetPercent: 150 } }),
    lines: ['checkout.autoscaling.cpuTargetPercent: must be an integer from 1 to 100 (got 150)'],
  },

  // Environment variables.
  {
    name: 'environment variable names that are not identifiers',
    define: svc({ env: { '1ST_RUN': 'yes', 'LOG-LEVEL': 'info' }, secretEnv: { 'DB.PASS': { name: 'db', key: 'password' } } }),
    lines: [`checkout.env.1ST_RUN: ${ENV_NAME} (got "1ST_RUN")`, `checkout.env.LOG-LEVEL: ${ENV_NAME} (got "LOG-LEVEL")`, `checkout.secretEnv.DB.PASS: ${ENV_NAME} (got "DB.PASS")`],
  },
  {
    name: 'reserved OTEL_* names in env and secretEnv',
    define: svc({ env: { OTEL_SERVICE_NAME: 'checkout' }, secretEnv: { OTEL_EXPORTER_OTLP_ENDPOINT: { name: 'otel', key: 'endpoint' } } }),
    lines: [`checkout.env.OTEL_SERVICE_NAME: ${RESERVED} (got "checkout")`, `checkout.secretEnv.OTEL_EXPORTER_OTLP_ENDPOINT: ${RESERVED} (got "OTEL_EXPORTER_OTLP_ENDPOINT")`],
  },
  {
    name: 'plain environment variables that look like secrets, without their values',
    define: svc({ env: { DATABASE_PASSWORD: 'hunter2', STRIPE_API_KEY: 'sk_live_1', GITHUB_TOKEN: 'ghp_1' } }),
    lines: [
      'checkout.env.DATABASE_PASSWORD: looks like a secret: move it to secretEnv as a Secret reference instead of plain text (got "<redacted>")',
      'checkout.env.STRIPE_API_KEY: looks like a secret: move it to secretEnv as a Secret reference instead of plain text (got "<redacted>")',
      'checkout.env.GITHUB_TOKEN: looks like a secret: move it to secretEnv as a Secret reference instead of plain text (got "<redacted>")',
    ],
  },
  {
    name: 'malformed Secret references',
    define: svc({
      secretEnv: {
        DB_PASSWORD: { name: 'Checkout_DB', key: 'password' },
        API_TOKEN: { name: 'api', key: 'to ken' },
        SMTP_PASSWORD: bad<SecretKeyRef>('smtp/password'),
      },
    }),
    lines: [
      `checkout.secretEnv.DB_PASSWORD: ${SECRET_REF} (got {"name":"Checkout_DB","key":"password"})`,
      `checkout.secretEnv.API_TOKEN: ${SECRET_REF} (got {"name":"api","key":"to ken"})`,
      `checkout.secretEnv.SMTP_PASSWORD: ${SECRET_REF} (got "<redacted>")`,
    ],
  },
  {
    name: 'a variable set both in env and secretEnv',
    define: svc({ env: { DB_USER: 'app' }, secretEnv: { DB_USER: { name: 'db', key: 'user' } } }),
    lines: ['checkout.secretEnv.DB_USER: is also set in env; keep one (got "DB_USER")'],
  },

  // SLOs.
  { name: 'an SLO objective of 100', define: svc({ slos: [availability({ objective: 100 })] }), lines: [`checkout.slos[0].objective: ${OBJECTIVE} (got 100)`] },
  { name: 'an SLO objective of 0', define: svc({ slos: [availability({ objective: 0 })] }), lines: [`checkout.slos[0].objective: ${OBJECTIVE} (got 0)`] },
  { name: 'an SLO objective given as a ratio string', define: svc({ slos: [availability({ objective: bad<number>('0.999') })] }), lines: [`checkout.slos[0].objective: ${OBJECTIVE} (got "0.999")`] },
  { name: 'an SLO objective that is NaN', define: svc({ slos: [availability({ objective: NaN })] }), lines: [`checkout.slos[0].objective: ${OBJECTIVE}, and finite (got NaN)`] },
  { name: 'an unsupported SLO period', define: svc({ slos: [availability({ period: bad<SloPeriod>('1d') })] }), lines: ['checkout.slos[0].period: must be one of 30d, 28d, 7d (got "1d")'] },
  {
    name: 'SLO names that are invalid or repeated',
    define: svc({ slos: [availability({ name: 'Availability' }), availability(), availability({ objective: 99.5 })] }),
    lines: [`checkout.slos[0].name: ${DNS_LABEL} (got "Availability")`, 'checkout.slos[2].name: must be unique within the service (got "availability")'],
  },
  { name: 'a minimum request rate of 0', define: svc({ slos: [availability({ minRequestRate: 0 })] }), lines: ['checkout.slos[0].minRequestRate: must be a positive number of requests per second, at most 1000000000 (got 0)'] },
  {
    name: 'a latency threshold that is not a default bucket',
    define: svc({ slos: [{ kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.3 }] }),
    lines: [`checkout.slos[0].thresholdSeconds: must be one of the default latency buckets: ${DEFAULT_BUCKETS} (got 0.3)`],
  },
  {
    name: 'a latency threshold that is not one of the given buckets',
    define: svc({ metrics: { latencyBuckets: [0.1, 0.5, 1] }, slos: [{ kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25 }] }),
    lines: ['checkout.slos[0].thresholdSeconds: must be one of metrics.latencyBuckets: 0.1, 0.5, 1 (got 0.25)'],
  },
  {
    name: 'a latency threshold on the largest bucket, above which nothing is measured',
    define: svc({ metrics: { latencyBuckets: [0.1, 0.5, 1] }, slos: [{ kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 1 }] }),
    lines: [
      'checkout.slos[0].thresholdSeconds: must be below the largest latency bucket (1): without a bucket above the threshold, percentiles never exceed it and the latency alert could never fire (got 1)',
    ],
  },
  {
    name: 'a latency threshold of zero',
    define: svc({ slos: [{ kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0 }] }),
    lines: ['checkout.slos[0].thresholdSeconds: must be a positive number of seconds (got 0)'],
  },
  {
    name: 'custom queries without {{window}}',
    define: wrk({ slos: [{ kind: 'custom', name: 'delivery', objective: 99, goodQuery: 'sum(rate(sent_total[5m]))', totalQuery: '' }] }),
    lines: [
      'notifier.slos[0].goodQuery: must be PromQL containing {{window}} where the range goes (got "sum(rate(sent_total[5m]))")',
      'notifier.slos[0].totalQuery: must be PromQL containing {{window}} where the range goes (got "")',
    ],
  },
  {
    name: 'an unknown SLO kind',
    define: svc({ slos: [bad<SloInput>({ kind: 'throughput', name: 'throughput', objective: 99 })] }),
    lines: ['checkout.slos[0].kind: must be one of availability, latency, custom (got "throughput")'],
  },
  {
    name: 'request-based SLOs on a service without port',
    define: wrk({ slos: [availability(), { kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.5 }] }),
    lines: [
      'notifier.slos[0].kind: needs HTTP request metrics, but the service has no port; use a custom SLO for workers (got "availability")',
      'notifier.slos[1].kind: needs HTTP request metrics, but the service has no port; use a custom SLO for workers (got "latency")',
    ],
  },
  {
    name: 'burn-rate tiers with malformed windows, budget and severity',
    define: svc({
      slos: [
        availability({
          burnRateTiers: [
            { budgetPercent: 0, longWindow: '1 hour', shortWindow: '5m', severity: 'critical' },
            { budgetPercent: 5, longWindow: '6h', shortWindow: '6h', severity: bad<Severity>('page') },
            { budgetPercent: 150, longWindow: '1d', shortWindow: '2x', severity: 'medium' },
          ],
        }),
      ],
    }),
    lines: [
      'checkout.slos[0].burnRateTiers[0].budgetPercent: must be a percentage above 0 and at most 100 (got 0)',
      `checkout.slos[0].burnRateTiers[0].longWindow: ${DURATION} (got "1 hour")`,
      'checkout.slos[0].burnRateTiers[1].shortWindow: must be shorter than the long window 6h (got "6h")',
      'checkout.slos[0].burnRateTiers[1].severity: must be one of critical, high, medium, low (got "page")',
      'checkout.slos[0].burnRateTiers[2].budgetPercent: must be a percentage above 0 and at most 100 (got 150)',
      `checkout.slos[0].burnRateTiers[2].shortWindow: ${DURATION} (got "2x")`,
    ],
  },
  {
    name: 'an objective of 93 for which the default 14.4 tier can never fire',
    define: svc({ slos: [availability({ objective: 93 })] }),
    lines: [
      'checkout.slos[0].objective: is too low for the default burn-rate tier 2%/1h: burn factor 14.4 × error budget 0.07 = 1.008 ≥ 1, so it could never fire; raise the objective or give burnRateTiers without that tier (got 93)',
    ],
  },
  {
    name: 'an objective too low for two default tiers',
    define: svc({ slos: [availability({ objective: 80 })] }),
    lines: [
      'checkout.slos[0].objective: is too low for the default burn-rate tier 2%/1h: burn factor 14.4 × error budget 0.2 = 2.88 ≥ 1, so it could never fire; raise the objective or give burnRateTiers without that tier (got 80)',
      'checkout.slos[0].objective: is too low for the default burn-rate tier 5%/6h: burn factor 6 × error budget 0.2 = 1.2 ≥ 1, so it could never fire; raise the objective or give burnRateTiers without that tier (got 80)',
    ],
  },
  {
    name: 'an objective too low for a given tier',
    define: svc({ slos: [availability({ objective: 95, period: '7d', burnRateTiers: [{ budgetPercent: 50, longWindow: '1h', shortWindow: '5m', severity: 'critical' }] })] }),
    lines: [
      'checkout.slos[0].objective: is too low for burnRateTiers[0]: burn factor 84 × error budget 0.05 = 4.2 ≥ 1, so it could never fire; raise the objective or give burnRateTiers without that tier (got 95)',
    ],
  },

  // Delivery.
  {
    name: 'canary steps out of order and not ending at 100',
    define: svc({ slos: [availability()], delivery: { strategy: 'canary', steps: [5, 1, 50] } }),
    lines: [
      'checkout.delivery.steps: must end at 100, the step that sends all traffic to the new version (got [5,1,50])',
      'checkout.delivery.steps[1]: must be greater than the step before it (5): traffic to the canary only grows (got 1)',
    ],
  },
  {
    name: 'a dependency on itself and one that is not a service name',
    define: svc({ dependsOn: ['checkout', 'Catalog'] }),
    lines: [
      'checkout.dependsOn[0]: must name another service, not the service itself (got "checkout")',
      'checkout.dependsOn[1]: must be a DNS-1123 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (got "Catalog")',
    ],
  },
  {
    name: 'an availability SLO whose failed requests are every request',
    define: svc({ slos: [{ kind: 'availability', name: 'availability', objective: 99.9, badSelector: ' ' }] }),
    lines: ['checkout.slos[0].badSelector: must select the failed requests; an empty selector counts every request as failed (got " ")'],
  },
  {
    name: 'SLO selectors that are not label matchers or hold a broken regular expression',
    define: svc({
      slos: [
        { kind: 'availability', name: 'availability', objective: 99.9, badSelector: 'code=~"[5"', totalSelector: 'code="5"} or vector(1' },
        { kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25, selector: 'route' },
      ],
    }),
    lines: [
      'checkout.slos[0].badSelector: has an invalid regular expression for code (Prometheus uses RE2: error parsing regexp: missing closing ]: `[5`) (got "code=~\\"[5\\"")',
      'checkout.slos[0].totalSelector: must be PromQL label matchers separated by commas, e.g. code=~"5..",method!="OPTIONS" (got "code=\\"5\\"} or vector(1")',
      'checkout.slos[1].selector: must be PromQL label matchers separated by commas, e.g. code=~"5..",method!="OPTIONS" (got "route")',
    ],
  },
  {
    name: 'a custom SLO query that is not valid PromQL',
    define: svc({
      slos: [{ kind: 'custom', name: 'jobs', objective: 99, goodQuery: 'sum(rate(jobs_ok_total[{{window}}])', totalQuery: 'sum(rate(jobs_total[{{window}}]))' }],
    }),
    lines: ['checkout.slos[0].goodQuery: must be valid PromQL once {{window}} is replaced by a range: unexpected end of expression (got "sum(rate(jobs_ok_total[{{window}}])")'],
  },
  {
    name: 'two burn-rate tiers on the same windows',
    define: svc({
      slos: [
        {
          kind: 'availability',
          name: 'availability',
          objective: 99.9,
          burnRateTiers: [
            { budgetPercent: 2, longWindow: '1h', shortWindow: '5m', severity: 'critical' },
            { budgetPercent: 3, longWindow: '1h', shortWindow: '5m', severity: 'high' },
          ],
        },
      ],
    }),
    lines: ['checkout.slos[0].burnRateTiers[1]: duplicates the windows of burnRateTiers[0]; each tier needs its own window pair (got "1h/5m")'],
  },
  {
    name: 'a scrape interval too long for a 5m rate',
    define: svc({ metrics: { scrapeInterval: '5m' } }),
    lines: ['checkout.metrics.scrapeInterval: must be at most 2m30s: a 5m rate needs at least two samples (got "5m")'],
  },
  {
    name: 'burn-rate windows shorter than two scrapes or as long as the period',
    define: svc({
      metrics: { scrapeInterval: '1m' },
      slos: [
        {
          kind: 'availability',
          name: 'availability',
          objective: 99.9,
          period: '7d',
          burnRateTiers: [
            { budgetPercent: 2, longWindow: '1h', shortWindow: '1m', severity: 'critical' },
            { budgetPercent: 50, longWindow: '7d', shortWindow: '6h', severity: 'medium' },
          ],
        },
      ],
    }),
    lines: [
      'checkout.slos[0].burnRateTiers[0].shortWindow: must be at least twice the scrape interval (60s) so that a rate over it has two samples (got "1m")',
      'checkout.slos[0].burnRateTiers[1].longWindow: must be shorter than the SLO period 7d (got "7d")',
    ],
  },
  {
    name: 'a fractional canary weight, which traffic routers cannot apply',
    define: svc({ slos: [availability()], delivery: { strategy: 'canary', steps: [0.5, 5, 100] } }),
    lines: ['checkout.delivery.steps[0]: must be a whole percentage from 1 to 100 (got 0.5)'],
  },
  {
    name: 'a canary step duration with its units out of order',
    define: svc({ slos: [availability()], delivery: { strategy: 'canary', stepDuration: '30m1h' } }),
    lines: [`checkout.delivery.stepDuration: ${DURATION} (got "30m1h")`],
  },
  {
    name: 'a canary step duration in the wrong form',
    define: svc({ slos: [availability()], delivery: { strategy: 'canary', stepDuration: '5 minutes' } }),
    lines: [`checkout.delivery.stepDuration: ${DURATION} (got "5 minutes")`],
  },
  {
    name: 'a rolling update with maxSurge and maxUnavailable both 0',
    define: svc({ delivery: { strategy: 'rolling', maxSurge: '0', maxUnavailable: '0%' } }),
    lines: ['checkout.delivery.maxUnavailable: must not be 0 when maxSurge is 0: the rollout could never progress (got "0%")'],
  },
  {
    name: 'a rolling update with maxSurge 0 and the default maxUnavailable of 0',
    define: svc({ delivery: { strategy: 'rolling', maxSurge: '0' } }),
    lines: ['checkout.delivery.maxSurge: must not be 0 while maxUnavailable is 0 (the default): the rollout could never progress (got "0")'],
  },
  {
    name: 'rolling update bounds that are neither counts nor percentages',
    define: svc({ delivery: { strategy: 'rolling', maxSurge: 'two', maxUnavailable: bad<string>(1) } }),
    lines: [
      'checkout.delivery.maxSurge: must be a count or a percentage as a string, e.g. "1" or "25%" (got "two")',
      'checkout.delivery.maxUnavailable: must be a count or a percentage as a string, e.g. "1" or "25%" (got 1)',
    ],
  },
  {
    name: 'a negative blue/green scale-down delay',
    define: svc({ slos: [availability()], delivery: { strategy: 'blue-green', scaleDownDelaySeconds: -1 } }),
    lines: ['checkout.delivery.scaleDownDelaySeconds: must be an integer from 0 to 2147483647 (got -1)'],
  },
  {
    name: 'an unknown delivery strategy',
    define: svc({ delivery: bad<DeliveryInput>({ strategy: 'recreate' }) }),
    lines: ['checkout.delivery.strategy: must be one of rolling, canary, blue-green (got "recreate")'],
  },

  // GCP, routing, contacts.
  {
    name: 'GCP fields in the wrong form',
    define: svc({ gcp: { project: 'shop', region: 'europe', publicHost: 'checkout' } }),
    lines: [
      'checkout.gcp.project: must be a Google Cloud project ID: 6-30 lower-case letters, digits or "-", starting with a letter (got "shop")',
      'checkout.gcp.region: must be a Google Cloud region such as europe-west1 (got "europe")',
      'checkout.gcp.publicHost: must be a fully qualified DNS name such as shop.example.com (got "checkout")',
    ],
  },
  {
    name: 'a GCP override for an environment without a project',
    define: svc({ environments: { prod: { gcp: { region: 'us-central1' } } } }),
    lines: ['checkout.environments.prod.gcp.project: must be a Google Cloud project ID: 6-30 lower-case letters, digits or "-", starting with a letter (got undefined)'],
  },
  {
    name: 'an unknown routing key',
    define: svc({ alertRouting: bad<Record<string, string>>({ urgent: 'payments-pager' }) }),
    lines: ['checkout.alertRouting.urgent: is not a known field; known fields: critical, high, highOutsideBusinessHours, medium, low (got "payments-pager")'],
  },
  {
    name: 'contacts with empty entries',
    define: svc({ contacts: { owners: [''], escalation: bad<string[]>('oncall@example.com') } }),
    lines: ['checkout.contacts.owners: must be a list of non-empty strings (got [""])', 'checkout.contacts.escalation: must be a list of non-empty strings (got "oncall@example.com")'],
  },

  // Network.
  {
    name: 'egress rules without a target, with both targets, an open CIDR, a bad CIDR and a bad port',
    define: svc({
      egress: [
        { ports: [443] },
        { cidr: '10.0.0.0/8', namespace: 'vault', ports: [8200] },
        { cidr: '0.0.0.0/0', ports: [443] },
        { cidr: '10.0.0.300/8', ports: [0] },
        { namespace: 'db', ports: [] },
      ],
    }),
    lines: [
      'checkout.egress[0]: must give exactly one of cidr and namespace (got {"ports":[443]})',
      'checkout.egress[1]: must give exactly one of cidr and namespace (got {"cidr":"10.0.0.0/8","namespace":"vault","ports":[8200]})',
      'checkout.egress[2].cidr: must not open egress to every address; name the networks the service calls (got "0.0.0.0/0")',
      'checkout.egress[3].cidr: must be an IPv4 or IPv6 CIDR block such as 10.20.0.0/16 (got "10.0.0.300/8")',
      `checkout.egress[3].ports[0]: ${INT_PORT} (got 0)`,
      'checkout.egress[4].ports: must list at least one port (got [])',
    ],
  },
  { name: 'an exposed worker without an HTTP port', define: wrk({ exposed: true }), lines: ['notifier.exposed: needs an HTTP port to take traffic through the ingress controller (got true)'] },

  // Environment overrides.
  {
    name: 'an override of a field that environments may not change',
    define: svc({ environments: { prod: bad<Record<string, never>>({ name: 'checkout-prod', port: 8081 }) } }),
    lines: [
      `checkout.environments.prod.name: cannot be overridden per environment; overridable: ${OVERRIDABLE} (got "checkout-prod")`,
      `checkout.environments.prod.port: cannot be overridden per environment; overridable: ${OVERRIDABLE} (got 8081)`,
    ],
  },
  {
    name: 'an override that is not an object',
    define: svc({ environments: { dev: bad<Record<string, never>>(null) } }),
    lines: ['checkout.environments.dev: must be an object of overrides (got null)'],
  },
  {
    name: 'environments that are not a map',
    define: svc({ environments: bad<Record<string, never>>(['dev']) }),
    lines: ['checkout.environments: must map environment names to overrides (got ["dev"])'],
  },
  {
    name: 'invalid override values under the environment path, once per environment',
    define: svc({ environments: { dev: { replicas: 0, image: 'app' }, staging: { replicas: 0 } } }),
    lines: [
      `checkout.environments.dev.image: ${PINNED} (got "app")`,
      'checkout.environments.dev.replicas: must be an integer from 1 to 1000 (got 0)',
      'checkout.environments.staging.replicas: must be an integer from 1 to 1000 (got 0)',
    ],
  },
  {
    name: 'a base problem once, not again for each environment',
    define: svc({ port: 0, environments: { dev: { replicas: 1 }, prod: { replicas: 5 } } }),
    lines: [`checkout.port: ${INT_PORT} (got 0)`],
  },
];

const PLATFORM_CASES: readonly Case[] = [
  { name: 'a platform name that is not a DNS label', define: plat({ name: 'Shop' }), lines: [`Shop.name: ${DNS_LABEL} (got "Shop")`] },
  {
    name: 'platform URLs in the wrong form',
    define: plat({ runbookBaseUrl: 'runbooks.example.com', dashboardBaseUrl: 'ftp://grafana.example.com', prometheusUrl: '' }),
    lines: [`shop.runbookBaseUrl: ${URL} (got "runbooks.example.com")`, `shop.dashboardBaseUrl: ${URL} (got "ftp://grafana.example.com")`, `shop.prometheusUrl: ${URL} (got "")`],
  },
  {
    name: 'a runbook base URL with a query or a fragment, which would swallow the runbook paths appended to it',
    define: plat({ runbookBaseUrl: 'https://runbooks.example.com/shop?ref=main' }),
    lines: ['shop.runbookBaseUrl: must have no query (?) or fragment (#): runbook paths are appended to it (got "https://runbooks.example.com/shop?ref=main")'],
  },
  {
    name: 'a runbook base URL with a fragment',
    define: plat({ runbookBaseUrl: 'https://runbooks.example.com/#/shop' }),
    lines: ['shop.runbookBaseUrl: must have no query (?) or fragment (#): runbook paths are appended to it (got "https://runbooks.example.com/#/shop")'],
  },
  {
    name: 'namespaces that are not DNS labels',
    define: plat({ ingressNamespace: 'Ingress', monitoringNamespace: 'monitoring-' }),
    lines: [`shop.ingressNamespace: ${DNS_LABEL} (got "Ingress")`, `shop.monitoringNamespace: ${DNS_LABEL} (got "monitoring-")`],
  },
  { name: 'an empty list of environments', define: plat({ environments: [] }), lines: ['shop.environments: must list at least one environment (got [])'] },
  {
    name: 'a duplicate environment',
    define: plat({ environments: ['dev', 'prod', 'dev'] }),
    lines: ['shop.environments[2].name: duplicates environments[0]: environment names must be unique (got "dev")'],
  },
  {
    name: 'environments with a bad name, production flag and OTLP endpoint',
    define: plat({ environments: ['Dev', { name: 'prod', production: bad<boolean>('yes'), otlpEndpoint: 'otel-collector:4317' }] }),
    // A badly shaped item takes its list out of the field checks, so that indexes stay those written.
    lines: ['shop.environments[1].production: must be true or false (got "yes")'],
  },
  {
    name: 'environments with a bad name and OTLP endpoint',
    define: plat({ environments: ['Dev', { name: 'prod', otlpEndpoint: 'otel-collector:4317' }] }),
    lines: [`shop.environments[0].name: ${DNS_LABEL} (got "Dev")`, `shop.environments[1].otlpEndpoint: ${URL} (got "otel-collector:4317")`],
  },
  {
    name: 'receivers in the wrong form',
    define: plat({
      defaultAlertRouting: {},
      receivers: {
        Pager: { type: 'pagerduty', routingKeySecret: { name: 'pagerduty', key: 'routing-key' } },
        chat: { type: 'slack', channel: 'payments', apiUrlSecret: bad<SecretKeyRef>({ name: 'slack' }) },
        mail: bad<ReceiverInput>({ type: 'email', to: 'payments-at-example.com' }),
        sms: bad<ReceiverInput>({ type: 'sms' }),
        tickets: { type: 'webhook', url: 'tickets.example.com/hook' },
      },
    }),
    lines: [
      `shop.receivers.Pager: ${DNS_LABEL} (got "Pager")`,
      `shop.receivers.chat.apiUrlSecret.key: ${SECRET_REF} (got undefined)`,
      'shop.receivers.mail.smarthost: must be an SMTP server as host:port, such as smtp.example.com:587 (got undefined)',
      'shop.receivers.mail.from: must be an e-mail address (got undefined)',
      'shop.receivers.sms.type: must be one of pagerduty, slack, webhook, email (got "sms")',
      `shop.receivers.tickets.url: ${URL} (got "tickets.example.com/hook")`,
    ],
  },
  {
    name: 'a default routing to an unknown receiver',
    define: plat({ defaultAlertRouting: { critical: 'payments-pagerduty', medium: 'constructor' } }),
    lines: [
      'shop.defaultAlertRouting.critical: must name a platform receiver (payments-chat, payments-pager), or "none" to drop the severity (got "payments-pagerduty")',
      'shop.defaultAlertRouting.medium: must name a platform receiver (payments-chat, payments-pager), or "none" to drop the severity (got "constructor")',
    ],
  },
  {
    name: 'a default routing when no receiver is defined',
    define: plat({ receivers: undefined, defaultAlertRouting: { critical: 'payments-pager' } }),
    lines: ['shop.defaultAlertRouting.critical: must name a platform receiver (none defined), or "none" to drop the severity (got "payments-pager")'],
  },
  {
    name: 'an unknown routing key in the default routing',
    define: plat({ defaultAlertRouting: bad<Record<string, string>>({ page: 'payments-pager' }) }),
    lines: ['shop.defaultAlertRouting.page: is not a known field; known fields: critical, high, highOutsideBusinessHours, medium, low (got "payments-pager")'],
  },
  {
    name: 'service routings to unknown receivers, also in an environment override',
    define: withServices(service({ alertRouting: { high: 'payments-slack' }, environments: { dev: { alertRouting: { critical: 'dev-null' } } } })),
    lines: [
      'checkout.alertRouting.high: must name a platform receiver (payments-chat, payments-pager), or "none" to drop the severity (got "payments-slack")',
      'checkout.environments.dev.alertRouting.critical: must name a platform receiver (payments-chat, payments-pager), or "none" to drop the severity (got "dev-null")',
    ],
  },
  {
    name: 'duplicate service names, each pointing at the first',
    define: withServices(service(), service({ port: 8081 }), service({ port: 8082 })),
    lines: [
      'shop.services[1].name: duplicates services[0]: service names must be unique in a platform (got "checkout")',
      'shop.services[2].name: duplicates services[0]: service names must be unique in a platform (got "checkout")',
    ],
  },
  {
    name: 'a dependency on a service the platform does not have, and on a worker without HTTP',
    define: withServices(
      service({ dependsOn: ['catalog', 'mailer'] }),
      service({ name: 'mailer', port: undefined, component: 'worker' }),
    ),
    lines: [
      'checkout.dependsOn[0]: must name a service of the platform (got "catalog")',
      'checkout.dependsOn[1]: names mailer, which has no HTTP port to call (got "mailer")',
    ],
  },
  {
    name: 'a receiver named like the reserved receiver that notifies nobody',
    define: () => definePlatform(platform({ receivers: { null: { type: 'webhook', url: 'https://example.com/hook' } }, defaultAlertRouting: {} })),
    lines: ['shop.receivers.null: is reserved (null and none are the library\'s receivers that notify nobody); rename it (got "null")'],
  },
  {
    name: 'an override for an unknown environment',
    define: withServices(service({ environments: { qa: { replicas: 1 } } })),
    lines: ['checkout.environments.qa: names an unknown environment; known: dev, staging, prod (got "qa")'],
  },
  {
    name: 'a latest image in production from the base definition',
    define: withServices(service({ image: 'registry.example.com/payments/checkout:latest', environments: { dev: { replicas: 1 } } })),
    lines: [`checkout.image: ${LATEST} (got "registry.example.com/payments/checkout:latest")`],
  },
  {
    name: 'a latest image in production from an environment override',
    define: withServices(service({ environments: { prod: { image: 'registry.example.com/payments/checkout:latest' } } })),
    lines: [`checkout.environments.prod.image: ${LATEST} (got "registry.example.com/payments/checkout:latest")`],
  },
  {
    name: 'a latest image in every environment named production or marked production',
    define: () =>
      definePlatform(
        platform({
          environments: ['dev', 'production', { name: 'live', production: true }],
          services: [defineService(service({ image: 'app:latest' }))],
        }),
      ),
    lines: [
      'checkout.image: must not use the "latest" tag in production environment production; pin a version or digest (got "app:latest")',
      'checkout.image: must not use the "latest" tag in production environment live; pin a version or digest (got "app:latest")',
    ],
  },
  {
    name: 'business hours in the wrong form',
    define: plat({ businessHours: { timezone: 'Mars/Olympus', weekdays: ['mon-fri', 'friday:monday'], start: '9:00', end: '25:00' } }),
    lines: [
      'shop.businessHours.timezone: must be an IANA time zone such as UTC or Europe/Berlin (case-sensitive, as Go reads it) (got "Mars/Olympus")',
      'shop.businessHours.start: must be a time of day HH:MM (got "9:00")',
      'shop.businessHours.end: must be a time of day HH:MM (got "25:00")',
      'shop.businessHours.weekdays[0]: must be a weekday or a range such as monday:friday (got "mon-fri")',
      'shop.businessHours.weekdays[1]: must not wrap past Saturday (Alertmanager weeks begin on Sunday); list two ranges instead, such as monday:saturday and sunday (got "friday:monday")',
    ],
  },
  {
    name: 'business hours that end before they start',
    define: plat({ businessHours: { start: '18:00', end: '09:00' } }),
    lines: ['shop.businessHours.end: must be after start 18:00 (got "09:00")'],
  },
  {
    name: 'business hours without weekdays, which Alertmanager would read as every day',
    define: plat({ businessHours: { weekdays: [] } }),
    lines: ['shop.businessHours.weekdays: must list at least one weekday or range such as monday:friday (got [])'],
  },
  {
    name: 'a service that did not come from defineService',
    define: plat({ services: [bad<ServiceDefinition>(service())] }),
    lines: ['shop.services[0]: must be a service from defineService (got {"name":"checkout","team":"payments","tier":"critical","image":"registry.exam...)'],
  },
];

/** Runs a definition and returns the issue lines of the DefinitionError it throws. */
function issueLines(define: () => unknown): readonly string[] {
  try {
    define();
  } catch (error) {
    if (error instanceof DefinitionError) {
      return error.lines;
    }
    throw error;
  }
  throw new Error('expected a DefinitionError, but the definition was accepted');
}

describe('malformed service definitions', () => {
  it.each(SERVICE_CASES.map((c) => [c.name, c] as const))('reports %s', (_name, c) => {
    expect(issueLines(c.define)).toEqual(c.lines);
  });
});

describe('malformed platform definitions', () => {
  it.each(PLATFORM_CASES.map((c) => [c.name, c] as const))('reports %s', (_name, c) => {
    expect(issueLines(c.define)).toEqual(c.lines);
  });
});

describe('the corpus', () => {
  it('holds at least 50 malformed definitions', () => {
    expect(SERVICE_CASES.length + PLATFORM_CASES.length).toBeGreaterThanOrEqual(50);
  });

  it('names each case once', () => {
    const names = [...SERVICE_CASES, ...PLATFORM_CASES].map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('collecting every problem', () => {
  it('reports every problem of one service at once, in the order of the fields', () => {
    const input = service({
      name: 'checkout',
      team: 'Payments',
      tier: bad<Tier>('gold'),
      image: 'registry.example.com/payments/checkout',
      port: 0,
      replicas: 0,
      resources: { requests: { cpu: '2' }, limits: { cpu: '1' } },
      env: { API_TOKEN: 'secret-value' },
      slos: [availability({ objective: 100 })],
      delivery: { strategy: 'canary', steps: [50, 10] },
      gcp: { project: 'x' },
    });
    expect(issueLines(() => defineService(input))).toEqual([
      `checkout.team: ${DNS_LABEL} (got "Payments")`,
      'checkout.tier: must be one of critical, high, medium, low (got "gold")',
      `checkout.image: ${PINNED} (got "registry.example.com/payments/checkout")`,
      `checkout.port: ${INT_PORT} (got 0)`,
      'checkout.replicas: must be an integer from 1 to 1000 (got 0)',
      'checkout.resources.requests.cpu: must not exceed the CPU limit 1 (got "2")',
      'checkout.env.API_TOKEN: looks like a secret: move it to secretEnv as a Secret reference instead of plain text (got "<redacted>")',
      `checkout.slos[0].objective: ${OBJECTIVE} (got 100)`,
      'checkout.delivery.steps: must end at 100, the step that sends all traffic to the new version (got [50,10])',
      'checkout.delivery.steps[1]: must be greater than the step before it (50): traffic to the canary only grows (got 10)',
      'checkout.gcp.project: must be a Google Cloud project ID: 6-30 lower-case letters, digits or "-", starting with a letter (got "x")',
    ]);
  });

  it('reports every problem of a platform at once: platform fields first, then each service in order', () => {
    const first = defineService(service({ image: 'app:latest', alertRouting: { medium: 'tickets' } }));
    const second = defineService(worker({ environments: { qa: { replicas: 1 } } }));
    const input = platform({ prometheusUrl: 'prometheus:9090', environments: ['dev', 'prod', 'dev'], services: [first, second, first] });
    expect(issueLines(() => definePlatform(input))).toEqual([
      `shop.prometheusUrl: ${URL} (got "prometheus:9090")`,
      'shop.environments[2].name: duplicates environments[0]: environment names must be unique (got "dev")',
      'checkout.alertRouting.medium: must name a platform receiver (payments-chat, payments-pager), or "none" to drop the severity (got "tickets")',
      `checkout.image: ${LATEST} (got "app:latest")`,
      'notifier.environments.qa: names an unknown environment; known: dev, prod (got "qa")',
      'shop.services[2].name: duplicates services[0]: service names must be unique in a platform (got "checkout")',
    ]);
  });

  it('renders the error message with a heading and one line per problem', () => {
    let message = '';
    try {
      defineService(service({ port: 0, slos: [availability({ objective: 100 })] }));
    } catch (error) {
      message = error instanceof Error ? error.message : '';
    }
    expect(message).toBe(
      ['Invalid service "checkout" (2 problems):', `  - checkout.port: ${INT_PORT} (got 0)`, `  - checkout.slos[0].objective: ${OBJECTIVE} (got 100)`].join('\n'),
    );
  });

  it('keeps issue objects with path, problem and value next to the rendered lines', () => {
    try {
      defineService(service({ port: 70000 }));
      throw new Error('expected a DefinitionError');
    } catch (error) {
      expect(error).toBeInstanceOf(DefinitionError);
      expect((error as DefinitionError).issues).toEqual([{ path: 'checkout.port', problem: INT_PORT, value: 70000 }]);
      expect((error as DefinitionError).name).toBe('DefinitionError');
    }
  });

  it('never writes the value of a secret-looking variable into the error', () => {
    let message = '';
    try {
      defineService(service({ env: { DATABASE_PASSWORD: 'hunter2' } }));
    } catch (error) {
      message = error instanceof Error ? error.message : '';
    }
    expect(message).toContain('checkout.env.DATABASE_PASSWORD');
    expect(message).not.toContain('hunter2');
  });
});

describe('definitions the rules allow', () => {
  it('accepts a latest image outside production', () => {
    const checkout = defineService(service({ environments: { dev: { image: 'registry.example.com/payments/checkout:latest' } } }));
    expect(() => definePlatform(platform({ services: [checkout] }))).not.toThrow();
  });

  it('accepts a latest tag pinned by a digest in production', () => {
    const checkout = defineService(service({ image: `registry.example.com/payments/checkout:latest@${DIGEST}` }));
    expect(() => definePlatform(platform({ services: [checkout] }))).not.toThrow();
  });

  it('accepts an image on a registry with a port and a tag', () => {
    expect(() => defineService(service({ image: 'registry.example.com:5000/payments/checkout:1.0' }))).not.toThrow();
  });

  it('accepts an objective of 93 when the tiers that could never fire are left out', () => {
    const tiers = [{ budgetPercent: 5, longWindow: '6h', shortWindow: '30m', severity: 'high' as const }];
    expect(() => defineService(service({ slos: [availability({ objective: 93, burnRateTiers: tiers })] }))).not.toThrow();
  });

  it('accepts a probe on a worker that names its port', () => {
    expect(() => defineService(worker({ health: { liveness: { path: '/healthz', port: 9100 } } }))).not.toThrow();
  });

  it('accepts a rolling update with maxSurge 0 when maxUnavailable is not 0', () => {
    expect(() => defineService(service({ delivery: { strategy: 'rolling', maxSurge: '0', maxUnavailable: '1' } }))).not.toThrow();
  });

  it('accepts an explicit version for an image tag that cannot serve as one', () => {
    expect(() => defineService(service({ image: 'app:_build.7', version: 'build.7' }))).not.toThrow();
  });
});
