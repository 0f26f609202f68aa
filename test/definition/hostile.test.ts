import {
  DefinitionError,
  PlatformDefinition,
  ReceiverInput,
  ServiceDefinition,
  ServiceDefinitionInput,
  SloInput,
  definePlatform,
  defineService,
  parsePlatform,
  resolveEnvironment,
} from '../../lib/definition';
import { IMAGE, RECEIVERS, ROUTING, availability, bad, platform, service } from '../fixtures/definitions';

/**
 * A corpus of hostile definitions: wrong containers, misspelt keys, text aimed at the
 * consumers' template engines and parsers, values at and past the consumers' limits, secrets
 * in plain text, routing holes and files that are not what they claim. Each case gives the
 * exact, complete list of issue lines, and every refusal is one DefinitionError, never a
 * TypeError. The last part lists hostile-looking input that is valid and must stay accepted.
 */

const DROP_ALL = { critical: 'none', high: 'none', medium: 'none', low: 'none' } as const;

function latency(changes: Record<string, unknown> = {}): SloInput {
  return bad<SloInput>({ kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25, ...changes });
}

function custom(goodQuery: string, totalQuery = 'sum(rate(jobs_total[{{window}}]))'): SloInput {
  return { kind: 'custom', name: 'jobs', objective: 99, goodQuery, totalQuery };
}

function tier(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return { budgetPercent: 2, longWindow: '1h', shortWindow: '5m', severity: 'critical', ...changes };
}

function webhook(url: string): Readonly<Record<string, ReceiverInput>> {
  return { ...RECEIVERS, tickets: { type: 'webhook', url } };
}

/** A platform with one valid service, for resolving environments. */
function resolvable(): { platform: PlatformDefinition; checkout: ServiceDefinition } {
  const checkout = defineService(service());
  return { platform: definePlatform(platform({ services: [checkout] })), checkout };
}

const DNS_LABEL = 'must be a DNS-1123 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit';
const OBJECTIVE = 'must be a percentage strictly between 0 and 100 (e.g. 99.9)';
const SLO_OBJECT = 'must be an SLO object with a kind: availability, latency or custom';
const AUTOSCALING = 'must be autoscaling settings { minReplicas, maxReplicas, cpuTargetPercent }, or false to turn autoscaling off';
const BUCKETS = 'must be a non-empty list of at most 100 numbers of seconds from 0.000001 to 86400, in increasing order';
const TIMEZONE = 'must be an IANA time zone such as UTC or Europe/Berlin (case-sensitive, as Go reads it)';
const CONTROL = 'must not contain control characters (NUL, escape sequences and the like)';
const ENV_CONTROL = 'must not contain NUL or other control characters (tab and newline are allowed)';
const MOVE = 'move it to secretEnv as a Secret reference instead of plain text';
const GO_URL = "must be a URL that Go's url.Parse accepts";
const RE2 = 'has an invalid regular expression for code (Prometheus uses RE2: error parsing regexp:';
const INSTANT = 'must be PromQL giving an instant vector once {{window}} is replaced by a range:';
const CREDENTIALS = 'must not carry credentials (a user, password or token in the URL is written in plain text); give the token in bearerTokenSecret';
const NOT_A_PLATFORM = 'must be a platform from definePlatform';
const NOT_IN_PLATFORM = 'must be a service of platform shop (checkout), or its name';
const NOT_AN_ENVIRONMENT = 'is not an environment of platform shop (dev, staging, prod)';
const SERVICE_FIELDS = 'name, description, team, contacts, tier, component, namespace, image, version, port, metrics, replicas, resources, health, autoscaling, env, secretEnv, dependsOn, exposed, egress, slos, delivery, alertRouting, gcp, uptimeCheck, logAlerts, gameDays, certificates, database, rightSizing, readiness, environments';

interface Case {
  /** What is hostile about the definition, as a sentence fragment after "reports". */
  readonly name: string;
  /** Builds the definition; must throw a DefinitionError. */
  readonly define: () => unknown;
  /** Every issue line, in order. */
  readonly lines: readonly string[];
}

const svc = (changes: Record<string, unknown>) => () => defineService(service(changes));
const plat = (changes: Record<string, unknown>) => () => definePlatform(platform(changes));
const withServices = (changes: Record<string, unknown>, ...inputs: ServiceDefinitionInput[]) => () => definePlatform(platform({ ...changes, services: inputs.map((i) => defineService(i)) }));

/** Runs a definition and returns the issues of the DefinitionError it throws; anything else fails the test. */
function refusal(define: () => unknown): DefinitionError {
  let thrown: unknown;
  try {
    define();
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) {
    throw new Error('expected a DefinitionError, but the definition was accepted');
  }
  expect(thrown).toBeInstanceOf(DefinitionError);
  return thrown as DefinitionError;
}

// 1. Shapes: null and wrong containers anywhere are shape issues, never a TypeError.
const SHAPE_CASES: readonly Case[] = [
  { name: 'slos given as null', define: svc({ slos: null }), lines: ['checkout.slos: must be a list (got null)'] },
  { name: 'slos given as an object', define: svc({ slos: { availability: 99.9 } }), lines: ['checkout.slos: must be a list (got {"availability":99.9})'] },
  { name: 'slos given as a string', define: svc({ slos: 'availability' }), lines: ['checkout.slos: must be a list (got "availability")'] },
  { name: 'a null SLO in the list', define: svc({ slos: [null] }), lines: [`checkout.slos[0]: ${SLO_OBJECT} (got null)`] },
  { name: 'health given as the string "yes"', define: svc({ health: 'yes' }), lines: ['checkout.health: must be an object (got "yes")'] },
  { name: 'a null liveness probe', define: svc({ health: { liveness: null } }), lines: ['checkout.health.liveness: must be an object (got null)'] },
  { name: 'resources given as null', define: svc({ resources: null }), lines: ['checkout.resources: must be an object (got null)'] },
  { name: 'resources given as a list', define: svc({ resources: ['100m'] }), lines: ['checkout.resources: must be an object (got ["100m"])'] },
  { name: 'metrics given as a list', define: svc({ metrics: [9090] }), lines: ['checkout.metrics: must be an object (got [9090])'] },
  {
    name: 'a null burn-rate tier',
    define: svc({ slos: [availability({ burnRateTiers: [null] })] }),
    lines: ['checkout.slos[0].burnRateTiers[0]: must be an object (got null)'],
  },
  { name: 'latency buckets given as a comma-separated string', define: svc({ metrics: { latencyBuckets: '0.1,0.5' } }), lines: [`checkout.metrics.latencyBuckets: ${BUCKETS} (got "0.1,0.5")`] },
  { name: 'a number instead of a service', define: () => defineService(bad(42)), lines: ['<unnamed>: must be an object (got 42)'] },
  { name: 'null instead of a service', define: () => defineService(bad(null)), lines: ['<unnamed>: must be an object (got null)'] },
  { name: 'a list instead of a service', define: () => defineService(bad([])), lines: ['<unnamed>: must be an object (got [])'] },
  { name: 'a function instead of a service', define: () => defineService(bad(() => service())), lines: ['<unnamed>: must be an object (got <function>)'] },
  { name: 'a function as the replica count', define: svc({ replicas: () => 3 }), lines: ['checkout.replicas: must be an integer (got <function>)'] },
  { name: 'a symbol as the service name', define: svc({ name: Symbol('checkout') }), lines: [`<unnamed>.name: ${DNS_LABEL} (got <symbol>)`] },
  { name: 'a big integer as the replica count', define: svc({ replicas: BigInt(3) }), lines: ['checkout.replicas: must be an integer (got 3n)'] },
  { name: 'NaN replicas', define: svc({ replicas: NaN }), lines: ['checkout.replicas: must be an integer, and finite (got NaN)'] },
  { name: 'Infinity replicas', define: svc({ replicas: Infinity }), lines: ['checkout.replicas: must be an integer, and finite (got Infinity)'] },
  { name: 'negative zero replicas', define: svc({ replicas: -0 }), lines: ['checkout.replicas: must be an integer from 1 to 1000 (got 0)'] },
  { name: 'a replica count of 1e20', define: svc({ replicas: 1e20 }), lines: ['checkout.replicas: must be an integer from 1 to 1000 (got 100000000000000000000)'] },
  { name: 'autoscaling given as the string "false", which must not turn autoscaling on', define: svc({ autoscaling: 'false' }), lines: [`checkout.autoscaling: ${AUTOSCALING} (got "false")`] },
  { name: 'autoscaling given as true', define: svc({ autoscaling: true }), lines: [`checkout.autoscaling: ${AUTOSCALING} (got true)`] },
  { name: 'autoscaling given as null', define: svc({ autoscaling: null }), lines: [`checkout.autoscaling: ${AUTOSCALING} (got null)`] },
  {
    name: 'delivery given as the name of a strategy',
    define: svc({ delivery: 'canary' }),
    lines: ['checkout.delivery: must be an object with a strategy: rolling, canary or blue-green (got "canary")'],
  },
  { name: 'a null environment variable', define: svc({ env: { LOG_LEVEL: null } }), lines: ['checkout.env.LOG_LEVEL: must be a string (got null)'] },
  { name: 'a number as an environment variable', define: svc({ env: { WORKERS: 4 } }), lines: ['checkout.env.WORKERS: must be a string (got 4)'] },
  { name: 'dependencies given as one string', define: svc({ dependsOn: 'catalog' }), lines: ['checkout.dependsOn: must be a list of service names (got "catalog")'] },
  { name: 'null instead of a platform', define: () => definePlatform(bad(null)), lines: ['<platform>: must be an object (got null)'] },
  { name: 'undefined instead of a platform', define: () => definePlatform(bad(undefined)), lines: ['<platform>: must be an object (got undefined)'] },
  { name: 'a list instead of a platform', define: () => definePlatform(bad([])), lines: ['<platform>: must be an object (got [])'] },
  {
    name: 'a null environment',
    define: plat({ environments: [null] }),
    lines: ['shop.environments[0]: must be an environment name or { name, production?, otlpEndpoint?, logRetentionDays? } (got null)'],
  },
  {
    name: 'receivers given as a list',
    define: plat({ receivers: [], defaultAlertRouting: DROP_ALL }),
    lines: ['shop.receivers: must be an object mapping receiver names to receivers (got [])'],
  },
  {
    name: 'a null receiver',
    define: plat({ receivers: { ...RECEIVERS, tickets: null } }),
    lines: ['shop.receivers.tickets: must be a receiver object with a type: pagerduty, slack, webhook or email (got null)'],
  },
  { name: 'a null default routing', define: plat({ defaultAlertRouting: null }), lines: ['shop.defaultAlertRouting: must map severities to receiver names (got null)'] },
  { name: 'services given as an object', define: plat({ services: {} }), lines: ['shop.services: must be a list of services, each from defineService (got {})'] },
  { name: 'business weekdays given as one string', define: plat({ businessHours: { weekdays: 'monday:friday' } }), lines: ['shop.businessHours.weekdays: must be a list (got "monday:friday")'] },
  {
    name: 'an environment resolved on undefined instead of a platform',
    define: () => resolveEnvironment(bad(undefined), resolvable().checkout, 'prod'),
    lines: [`platform: ${NOT_A_PLATFORM} (got undefined)`],
  },
  {
    name: 'an environment resolved on a hand-copied platform',
    define: () => {
      const { platform: defined, checkout } = resolvable();
      return resolveEnvironment({ ...defined }, checkout, 'prod');
    },
    lines: [`platform: ${NOT_A_PLATFORM} (got {"name":"shop","environments":[{"name":"dev","production":false,"logRetention...)`],
  },
  {
    name: 'an environment resolved on a raw platform input',
    define: () => resolveEnvironment(bad(platform()), resolvable().checkout, 'prod'),
    lines: [`platform: ${NOT_A_PLATFORM} (got {"name":"shop","environments":["dev","staging","prod"],"runbookBaseUrl":"http...)`],
  },
  {
    name: 'an environment resolved for undefined instead of a service',
    define: () => resolveEnvironment(resolvable().platform, bad(undefined), 'prod'),
    lines: [`shop.services: ${NOT_IN_PLATFORM} (got undefined)`],
  },
  {
    name: 'an environment resolved for a service of another platform',
    define: () => resolveEnvironment(resolvable().platform, defineService(service({ name: 'catalog', port: 8081 })), 'prod'),
    lines: [`shop.services: ${NOT_IN_PLATFORM} (got "catalog")`],
  },
  {
    name: 'an environment the platform does not have',
    define: () => resolveEnvironment(resolvable().platform, 'checkout', 'qa'),
    lines: [`checkout.environment: ${NOT_AN_ENVIRONMENT} (got "qa")`],
  },
  {
    name: 'an environment named like an Object.prototype property',
    define: () => resolveEnvironment(resolvable().platform, 'checkout', 'constructor'),
    lines: [`checkout.environment: ${NOT_AN_ENVIRONMENT} (got "constructor")`],
  },
  {
    name: 'an undefined environment',
    define: () => resolveEnvironment(resolvable().platform, 'checkout', bad(undefined)),
    lines: [`checkout.environment: ${NOT_AN_ENVIRONMENT} (got undefined)`],
  },
];

// 2. Unknown keys: refused one by one, with a hint at the field meant.
const UNKNOWN_KEY_CASES: readonly Case[] = [
  { name: 'replica instead of replicas', define: svc({ replica: 3 }), lines: ['checkout.replica: is not a known field; did you mean replicas? (got 3)'] },
  {
    name: 'defaultRouting instead of defaultAlertRouting',
    define: plat({ defaultRouting: { critical: 'payments-pager' } }),
    lines: ['shop.defaultRouting: is not a known field; did you mean defaultAlertRouting? (got {"critical":"payments-pager"})'],
  },
  {
    name: 'a misspelt SLO field next to the right one',
    define: svc({ slos: [availability({ objectve: 99.95 })] }),
    lines: ['checkout.slos[0].objectve: is not a known field; did you mean objective? (got 99.95)'],
  },
  {
    name: 'a misspelt metrics field',
    define: svc({ metrics: { scrapeIntervall: '30s' } }),
    lines: ['checkout.metrics.scrapeIntervall: is not a known field; did you mean scrapeInterval? (got "30s")'],
  },
  {
    name: 'a misspelt probe field next to the right one',
    define: svc({ health: { liveness: { path: '/healthz', pth: '/livez' } } }),
    lines: ['checkout.health.liveness.pth: is not a known field; did you mean path? (got "/livez")'],
  },
  {
    name: 'step instead of steps in a canary delivery',
    define: svc({ slos: [availability()], delivery: { strategy: 'canary', step: [1, 100] } }),
    lines: ['checkout.delivery.step: is not a known field; did you mean steps? (got [1,100])'],
  },
  {
    name: 'a misspelt field in an environment override',
    define: svc({ environments: { prod: { replica: 3 } } }),
    lines: ['checkout.environments.prod.replica: is not a known field; did you mean replicas? (got 3)'],
  },
  {
    name: 'a misspelt nested field in an environment override',
    define: svc({ environments: { prod: { resources: { limit: { cpu: '1' } } } } }),
    lines: ['checkout.environments.prod.resources.limit: is not a known field; did you mean limits? (got {"cpu":"1"})'],
  },
  {
    name: 'a webhook receiver with a field of another receiver type',
    define: plat({ receivers: { ...RECEIVERS, tickets: { type: 'webhook', url: 'https://tickets.example.com/hook', channel: '#tickets' } } }),
    lines: ['shop.receivers.tickets.channel: is not a known field; known fields: type, url, bearerTokenSecret (got "#tickets")'],
  },
  {
    name: 'a Secret reference with an extra field',
    define: svc({ secretEnv: { DB_PASSWORD: { name: 'db', key: 'password', namespace: 'payments' } } }),
    lines: ['checkout.secretEnv.DB_PASSWORD.namespace: is not a known field; known fields: name, key (got "payments")'],
  },
  {
    name: 'an environment object with an unknown field',
    define: plat({ environments: ['dev', { name: 'prod', prod: true }] }),
    lines: ['shop.environments[1].prod: is not a known field; known fields: name, production, otlpEndpoint, logRetentionDays (got true)'],
  },
  {
    name: 'timeZone instead of timezone',
    define: plat({ businessHours: { timeZone: 'Europe/Berlin' } }),
    lines: ['shop.businessHours.timeZone: is not a known field; did you mean timezone? (got "Europe/Berlin")'],
  },
  {
    name: 'a misspelt burn-rate tier field',
    define: svc({ slos: [availability({ burnRateTiers: [tier({ severty: 'high' })] })] }),
    lines: ['checkout.slos[0].burnRateTiers[0].severty: is not a known field; did you mean severity? (got "high")'],
  },
  {
    name: 'a misspelt after-hours routing key',
    define: plat({ defaultAlertRouting: { ...ROUTING, highOutsideBusinesHours: 'payments-chat' } }),
    lines: ['shop.defaultAlertRouting.highOutsideBusinesHours: is not a known field; did you mean highOutsideBusinessHours? (got "payments-chat")'],
  },
  {
    name: 'environment variables given as one string, as one issue',
    define: svc({ env: 'LOG_LEVEL=debug' }),
    lines: ['checkout.env: must be an object mapping names to values (got "LOG_LEVEL=debug")'],
  },
  {
    name: 'environment overrides given as one string, as one issue',
    define: svc({ environments: 'prod' }),
    lines: ['checkout.environments: must map environment names to overrides (got "prod")'],
  },
  {
    name: 'a routing given as one receiver name, as one issue',
    define: svc({ alertRouting: 'payments-pager' }),
    lines: ['checkout.alertRouting: must map severities to receiver names (got "payments-pager")'],
  },
];

// 3. Free text that reaches Go templates, YAML and terminals.
const TEXT_CASES: readonly Case[] = [
  { name: 'a NUL character in an SLO description', define: svc({ slos: [availability({ description: 'a\u0000b' })] }), lines: [`checkout.slos[0].description: ${CONTROL} (got "a\\u0000b")`] },
  {
    name: 'an escape sequence in an SLO description',
    define: svc({ slos: [availability({ description: 'a\u001b[31mb' })] }),
    lines: [`checkout.slos[0].description: ${CONTROL} (got "a\\u001b[31mb")`],
  },
  { name: 'a carriage return in the service description', define: svc({ description: 'a\rb' }), lines: [`checkout.description: ${CONTROL} (got "a\\rb")`] },
  { name: 'a NUL character in an owner', define: svc({ contacts: { owners: ['oncall\u0000@example.com'] } }), lines: [`checkout.contacts.owners[0]: ${CONTROL} (got "oncall\\u0000@example.com")`] },
  {
    name: 'an SLO description of 513 characters',
    define: svc({ slos: [availability({ description: 'x'.repeat(513) })] }),
    lines: [`checkout.slos[0].description: must be at most 512 characters long (has 513) (got "${'x'.repeat(196)}...)`],
  },
  {
    name: 'an owner of 257 characters',
    define: svc({ contacts: { owners: ['x'.repeat(257)] } }),
    lines: [`checkout.contacts.owners[0]: must be at most 256 characters long (has 257) (got "${'x'.repeat(196)}...)`],
  },
  {
    name: 'a chat channel of 257 characters',
    define: svc({ contacts: { chat: 'x'.repeat(257) } }),
    lines: [`checkout.contacts.chat: must be at most 256 characters long (has 257) (got "${'x'.repeat(196)}...)`],
  },
  {
    name: 'more than 20 owners',
    define: svc({ contacts: { owners: Array.from({ length: 21 }, (_, i) => `o${i}@example.com`) } }),
    lines: ['checkout.contacts.owners: must list at most 20 contacts (got ["o0@example.com","o1@example.com","o2@example.com","o3@example.com","o4@exam...)'],
  },
];

// 4. The consumers' own rules: RE2, PromQL types, Go's url.Parse and time zones, int32.
const CONSUMER_CASES: readonly Case[] = [
  {
    name: 'a look-ahead, which RE2 does not support',
    define: svc({ slos: [availability({ badSelector: 'code=~"(?=5)5.."' })] }),
    lines: [`checkout.slos[0].badSelector: ${RE2} invalid or unsupported Perl syntax: \`(?=\`) (got "code=~\\"(?=5)5..\\"")`],
  },
  {
    name: 'a backreference, which RE2 does not support',
    define: svc({ slos: [availability({ badSelector: 'code=~"(5)\\\\1"' })] }),
    lines: [`checkout.slos[0].badSelector: ${RE2} invalid escape sequence: \`\\1\`) (got "code=~\\"(5)\\\\\\\\1\\"")`],
  },
  {
    name: 'a possessive quantifier, which RE2 does not support',
    define: svc({ slos: [availability({ badSelector: 'code=~"5.*+"' })] }),
    lines: [`checkout.slos[0].badSelector: ${RE2} invalid nested repetition operator: \`*+\`) (got "code=~\\"5.*+\\"")`],
  },
  {
    name: 'an atomic group, which RE2 does not support',
    define: svc({ slos: [availability({ badSelector: 'code=~"(?>5..)"' })] }),
    lines: [`checkout.slos[0].badSelector: ${RE2} invalid or unsupported Perl syntax: \`(?>\`) (got "code=~\\"(?>5..)\\"")`],
  },
  {
    name: 'a negative look-ahead in a latency selector',
    define: svc({ slos: [latency({ selector: 'route!~"(?!/health).*"' })] }),
    lines: [
      'checkout.slos[0].selector: has an invalid regular expression for route (Prometheus uses RE2: error parsing regexp: invalid or unsupported Perl syntax: `(?!`) (got "route!~\\"(?!/health).*\\"")',
    ],
  },
  {
    name: 'a custom query that is a subquery, a range vector',
    define: svc({ slos: [custom('rate(jobs_ok_total[{{window}}])[5m:]')] }),
    lines: [`checkout.slos[0].goodQuery: ${INSTANT} must be an instant vector, but is a range vector (got "rate(jobs_ok_total[{{window}}])[5m:]")`],
  },
  {
    name: 'a custom query that is a bare range selector',
    define: svc({ slos: [custom('jobs_ok_total[{{window}}]')] }),
    lines: [`checkout.slos[0].goodQuery: ${INSTANT} must be an instant vector, but is a range vector (got "jobs_ok_total[{{window}}]")`],
  },
  {
    name: 'a custom query that is a string literal',
    define: svc({ slos: [custom('"{{window}}"')] }),
    lines: ['checkout.slos[0].goodQuery: must use {{window}} as a range, not inside a string (got "\\"{{window}}\\"")'],
  },
  {
    name: 'a custom query that is a scalar',
    define: svc({ slos: [custom('scalar(sum(rate(jobs_ok_total[{{window}}])))')] }),
    lines: [`checkout.slos[0].goodQuery: ${INSTANT} must be an instant vector, but is a scalar (got "scalar(sum(rate(jobs_ok_total[{{window}}])))")`],
  },
  {
    name: 'a custom query that sets the metric name twice',
    define: svc({ slos: [custom('sum(rate(jobs_ok_total{__name__="other"}[{{window}}]))')] }),
    lines: [`checkout.slos[0].goodQuery: ${INSTANT} metric name must not be set twice: "jobs_ok_total" or "other" (got "sum(rate(jobs_ok_total{__name__=\\"other\\"}[{{window}}]))")`],
  },
  {
    name: 'a custom query with a trailing comment',
    define: svc({ slos: [custom('sum(rate(jobs_ok_total[{{window}}])) # good ones')] }),
    lines: [
      `checkout.slos[0].goodQuery: ${INSTANT} comment "# good ones" is not allowed: queries are embedded in larger expressions, where a comment would swallow the rest of the line (got "sum(rate(jobs_ok_total[{{window}}])) # good ones")`,
    ],
  },
  {
    name: 'a custom query that takes the rate of an instant vector',
    define: svc({ slos: [custom('sum(rate(jobs_total[{{window}}]))', 'sum(rate(jobs_total)) + 0 * sum(rate(jobs_total[{{window}}]))')] }),
    lines: [
      `checkout.slos[0].totalQuery: ${INSTANT} expected type range vector in call to function "rate", got instant vector (got "sum(rate(jobs_total)) + 0 * sum(rate(jobs_total[{{window}}]))")`,
    ],
  },
  {
    name: 'a custom query that passes a string where a scalar goes',
    define: svc({ slos: [custom('histogram_quantile("0.9", sum by (le) (rate(jobs_seconds_bucket[{{window}}])))')] }),
    lines: [
      `checkout.slos[0].goodQuery: ${INSTANT} expected type scalar in call to function "histogram_quantile", got string (got "histogram_quantile(\\"0.9\\", sum by (le) (rate(jobs_seconds_bucket[{{window}}])))")`,
    ],
  },
  {
    name: 'a custom query with an experimental function',
    define: svc({ slos: [custom('sum(mad_over_time(jobs_ok_total[{{window}}]))')] }),
    lines: [
      `checkout.slos[0].goodQuery: ${INSTANT} function "mad_over_time" is experimental and must be enabled with --enable-feature=promql-experimental-functions (got "sum(mad_over_time(jobs_ok_total[{{window}}]))")`,
    ],
  },
  { name: 'a runbook URL with an invalid escape', define: plat({ runbookBaseUrl: 'http://runbooks.example.com/%zz' }), lines: [`shop.runbookBaseUrl: ${GO_URL}: invalid URL escape "%zz" (got "http://runbooks.example.com/%zz")`] },
  { name: 'a dashboard URL with an unclosed IPv6 bracket', define: plat({ dashboardBaseUrl: 'http://[::1/' }), lines: [`shop.dashboardBaseUrl: ${GO_URL}: missing ']' in host (got "http://[::1/")`] },
  { name: 'a Prometheus URL with a port that is not a number', define: plat({ prometheusUrl: 'http://prometheus:abc/' }), lines: [`shop.prometheusUrl: ${GO_URL}: invalid port ":abc" after host (got "http://prometheus:abc/")`] },
  {
    name: 'a runbook URL with a NUL character',
    define: plat({ runbookBaseUrl: 'https://runbooks.example.com/a\u0000b' }),
    lines: [`shop.runbookBaseUrl: ${GO_URL}: net/url: invalid control character in URL (got "https://runbooks.example.com/a\\u0000b")`],
  },
  {
    name: 'a runbook URL with a backslash in the host',
    define: plat({ runbookBaseUrl: 'https://runbooks.example.com\\evil/' }),
    lines: [`shop.runbookBaseUrl: ${GO_URL}: invalid character "\\\\" in host name (got "https://runbooks.example.com\\\\evil/")`],
  },
  {
    name: 'an OTLP endpoint with a bell character',
    define: plat({ environments: ['dev', { name: 'prod', otlpEndpoint: 'http://otel-collector\u0007:4318' }] }),
    lines: [`shop.environments[1].otlpEndpoint: ${GO_URL}: net/url: invalid control character in URL (got "http://otel-collector\\u0007:4318")`],
  },
  {
    name: 'a webhook URL with an invalid escape',
    define: plat({ receivers: webhook('https://tickets.example.com/%zz') }),
    lines: [`shop.receivers.tickets.url: ${GO_URL}: invalid URL escape "%zz" (got "https://tickets.example.com/%zz")`],
  },
  { name: 'a lower-case time zone', define: plat({ businessHours: { timezone: 'europe/berlin' } }), lines: [`shop.businessHours.timezone: ${TIMEZONE} (got "europe/berlin")`] },
  { name: 'the Local time zone, which depends on the machine', define: plat({ businessHours: { timezone: 'Local' } }), lines: [`shop.businessHours.timezone: ${TIMEZONE} (got "Local")`] },
  { name: 'an empty time zone', define: plat({ businessHours: { timezone: '' } }), lines: [`shop.businessHours.timezone: ${TIMEZONE} (got "")`] },
  { name: 'a time zone with a trailing space', define: plat({ businessHours: { timezone: 'Europe/Berlin ' } }), lines: [`shop.businessHours.timezone: ${TIMEZONE} (got "Europe/Berlin ")`] },
  { name: 'more than 1000 replicas', define: svc({ replicas: 1001 }), lines: ['checkout.replicas: must be an integer from 1 to 1000 (got 1001)'] },
  { name: 'a metrics port above 65535', define: svc({ metrics: { port: 65536 } }), lines: ['checkout.metrics.port: must be an integer from 1 to 65535 (got 65536)'] },
  { name: 'a fractional probe port', define: svc({ health: { readiness: { path: '/ready', port: 1.5 } } }), lines: ['checkout.health.readiness.port: must be an integer from 1 to 65535 (got 1.5)'] },
  {
    name: 'probe timings one past the int32 limit',
    define: svc({ health: { liveness: { path: '/healthz', initialDelaySeconds: 2147483648, periodSeconds: 2147483648, timeoutSeconds: 2147483648, failureThreshold: 2147483648 } } }),
    lines: [
      'checkout.health.liveness.initialDelaySeconds: must be an integer from 0 to 2147483647 (got 2147483648)',
      'checkout.health.liveness.periodSeconds: must be an integer from 1 to 2147483647 (got 2147483648)',
      'checkout.health.liveness.timeoutSeconds: must be an integer from 1 to 2147483647 (got 2147483648)',
      'checkout.health.liveness.failureThreshold: must be an integer from 1 to 2147483647 (got 2147483648)',
    ],
  },
  {
    name: 'a maxSurge one past the int32 limit',
    define: svc({ delivery: { strategy: 'rolling', maxSurge: '2147483648' } }),
    lines: ['checkout.delivery.maxSurge: must be at most 2147483647 (a Kubernetes int32) (got "2147483648")'],
  },
  { name: 'a maxUnavailable of 101%', define: svc({ delivery: { strategy: 'rolling', maxUnavailable: '101%' } }), lines: ['checkout.delivery.maxUnavailable: must be at most 100% (got "101%")'] },
  {
    name: 'a blue/green scale-down delay one past the int32 limit',
    define: svc({ slos: [availability()], delivery: { strategy: 'blue-green', scaleDownDelaySeconds: 2147483648 } }),
    lines: ['checkout.delivery.scaleDownDelaySeconds: must be an integer from 0 to 2147483647 (got 2147483648)'],
  },
  { name: 'a NUL character in an environment variable', define: svc({ env: { GREETING: 'a\u0000b' } }), lines: [`checkout.env.GREETING: ${ENV_CONTROL} (got "a\\u0000b")`] },
  { name: 'an escape sequence in an environment variable', define: svc({ env: { GREETING: 'a\u001b[2Jb' } }), lines: [`checkout.env.GREETING: ${ENV_CONTROL} (got "a\\u001b[2Jb")`] },
  {
    name: 'an environment variable of 32769 characters, without its value',
    define: svc({ env: { GREETING: 'x'.repeat(32769) } }),
    lines: ['checkout.env.GREETING: must be at most 32768 characters long (has 32769); mount large values from a ConfigMap (got "<32769 characters>")'],
  },
  { name: 'an Infinity objective', define: svc({ slos: [availability({ objective: Infinity })] }), lines: [`checkout.slos[0].objective: ${OBJECTIVE}, and finite (got Infinity)`] },
  {
    name: 'a latency threshold of 1e308 seconds',
    define: svc({ slos: [latency({ thresholdSeconds: 1e308 })] }),
    lines: ['checkout.slos[0].thresholdSeconds: must be one of the default latency buckets: 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 (got 1e+308)'],
  },
  {
    name: 'a minimum request rate of 1e308',
    define: svc({ slos: [availability({ minRequestRate: 1e308 })] }),
    lines: ['checkout.slos[0].minRequestRate: must be a positive number of requests per second, at most 1000000000 (got 1e+308)'],
  },
  {
    name: 'an Infinity budget share of a burn-rate tier',
    define: svc({ slos: [availability({ burnRateTiers: [tier({ budgetPercent: Infinity })] })] }),
    lines: ['checkout.slos[0].burnRateTiers[0].budgetPercent: must be a percentage above 0 and at most 100, and finite (got Infinity)'],
  },
  { name: 'a latency bucket of 1e308 seconds', define: svc({ metrics: { latencyBuckets: [0.1, 1e308] } }), lines: [`checkout.metrics.latencyBuckets: ${BUCKETS} (got [0.1,1e+308])`] },
];

// 5. Rules checked once, by the definition, instead of failing later in a consumer.
const ONCE_CASES: readonly Case[] = [
  {
    name: 'business weekdays monday:sunday, which wraps past Saturday',
    define: plat({ businessHours: { weekdays: ['monday:sunday'] } }),
    lines: [
      'shop.businessHours.weekdays[0]: must not wrap past Saturday (Alertmanager weeks begin on Sunday); list two ranges instead, such as monday:saturday and sunday (got "monday:sunday")',
    ],
  },
  {
    name: 'an e-mail receiver without SMTP server and sender',
    define: plat({ receivers: { ...RECEIVERS, mail: { type: 'email', to: 'oncall@example.com' } } }),
    lines: [
      'shop.receivers.mail.smarthost: must be an SMTP server as host:port, such as smtp.example.com:587 (got undefined)',
      'shop.receivers.mail.from: must be an e-mail address (got undefined)',
    ],
  },
  {
    name: 'a receiver named none, the word that drops a severity',
    define: plat({ receivers: { ...RECEIVERS, none: { type: 'webhook', url: 'https://tickets.example.com/hook' } } }),
    lines: ['shop.receivers.none: is reserved (null and none are the library\'s receivers that notify nobody); rename it (got "none")'],
  },
];

// 6. Names that become output paths and object keys.
const NAME_CASES: readonly Case[] = [
  {
    name: 'two services named checkout from different teams',
    define: withServices({}, service(), service({ team: 'search', port: 8081 })),
    lines: ['shop.services[1].name: duplicates services[0]: service names must be unique in a platform (got "checkout")'],
  },
  {
    name: 'a __proto__ key at the top of a service read from JSON',
    define: () => defineService(JSON.parse(`{"name":"checkout","team":"payments","tier":"critical","image":"${IMAGE}","port":8080,"__proto__":{"replicas":0}}`)),
    lines: ['checkout.__proto__: is not allowed as a key: JavaScript reads __proto__ as the prototype of the object (got {"replicas":0})'],
  },
  {
    name: 'a secret under a __proto__ environment variable read from JSON',
    define: svc({ env: JSON.parse('{"__proto__": "AKIAIOSFODNN7EXAMPLE"}') }),
    lines: ['checkout.env.__proto__: is not allowed as a key: JavaScript reads __proto__ as the prototype of the object (got "<redacted>")'],
  },
  {
    name: 'an invalid override for a __proto__ environment read from JSON',
    define: svc({ environments: JSON.parse('{"__proto__": {"replicas": 0}}') }),
    lines: ['checkout.environments.__proto__: is not allowed as a key: JavaScript reads __proto__ as the prototype of the object (got {"replicas":0})'],
  },
  {
    name: 'a platform environment named __proto__',
    define: plat({ environments: ['dev', '__proto__'] }),
    lines: [`shop.environments[1].name: ${DNS_LABEL} (got "__proto__")`],
  },
];

// 7. Secrets in plain text: refused, and never repeated in the message.
const SECRETS = {
  password: 'hunter2',
  databaseUrl: 'postgres://checkout:s3cr3t-pw@db.example.com/shop',
  pem: '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq\n-----END RSA PRIVATE KEY-----',
  aws: 'AKIAIOSFODNN7EXAMPLE',
  github: `ghp_${'a1B2c3D4e5'.repeat(4)}`,
  slackToken: 'xoxb-1234567890-abcdefghij',
  webhookPassword: 'https://bot:s3cr3t-pw@tickets.example.com/hook',
  webhookToken: 'https://tickets.example.com/hook?token=s3cr3t-token',
  slackHook: 'https://hooks.slack.com/services/T0000/B0000/s3cr3tHookToken',
} as const;

const SECRET_CASES: readonly (Case & { readonly secret: string })[] = [
  {
    name: 'a password in a variable named DB_PASS',
    secret: SECRETS.password,
    define: svc({ env: { DB_PASS: SECRETS.password } }),
    lines: [`checkout.env.DB_PASS: looks like a secret: ${MOVE} (got "<redacted>")`],
  },
  {
    name: 'a database URL with a password',
    secret: SECRETS.databaseUrl,
    define: svc({ env: { DATABASE_URL: SECRETS.databaseUrl } }),
    lines: [`checkout.env.DATABASE_URL: holds a URL with a password: ${MOVE} (got "<redacted>")`],
  },
  {
    name: 'a PEM private key',
    secret: SECRETS.pem,
    define: svc({ env: { TLS_PEM: SECRETS.pem } }),
    lines: [`checkout.env.TLS_PEM: holds a PEM private key: ${MOVE} (got "<redacted>")`],
  },
  {
    name: 'an AWS access key under a neutral name',
    secret: SECRETS.aws,
    define: svc({ env: { AWS_ID: SECRETS.aws } }),
    lines: [`checkout.env.AWS_ID: holds an AWS access key: ${MOVE} (got "<redacted>")`],
  },
  {
    name: 'a GitHub token under a neutral name',
    secret: SECRETS.github,
    define: svc({ env: { GH: SECRETS.github } }),
    lines: [`checkout.env.GH: holds a GitHub token: ${MOVE} (got "<redacted>")`],
  },
  {
    name: 'a Slack token under a neutral name',
    secret: SECRETS.slackToken,
    define: svc({ env: { CHAT: SECRETS.slackToken } }),
    lines: [`checkout.env.CHAT: holds a Slack token: ${MOVE} (got "<redacted>")`],
  },
  {
    name: 'a webhook URL with a user and password',
    secret: SECRETS.webhookPassword,
    define: plat({ receivers: webhook(SECRETS.webhookPassword) }),
    lines: [`shop.receivers.tickets.url: ${CREDENTIALS} (got "<redacted>")`],
  },
  {
    name: 'a webhook URL with a token in the query',
    secret: SECRETS.webhookToken,
    define: plat({ receivers: webhook(SECRETS.webhookToken) }),
    lines: [`shop.receivers.tickets.url: ${CREDENTIALS} (got "<redacted>")`],
  },
  {
    name: 'a Slack incoming webhook as a webhook receiver',
    secret: SECRETS.slackHook,
    define: plat({ receivers: webhook(SECRETS.slackHook) }),
    lines: ['shop.receivers.tickets.url: is a Slack incoming webhook, which is a secret; use a slack receiver with apiUrlSecret (got "<redacted>")'],
  },
];

// 8. Routing holes: every severity reaches a receiver or an explicit "none".
const ROUTING_CASES: readonly Case[] = [
  {
    name: 'a default routing without low for a service that does not route low itself',
    define: withServices({ defaultAlertRouting: { critical: 'payments-pager', high: 'payments-chat', medium: 'none' } }, service()),
    lines: [
      'shop.defaultAlertRouting.low: leaves severity low without a receiver for checkout: every service emits low alerts; name a receiver, or "none" to drop them on purpose (got undefined)',
    ],
  },
  {
    name: 'a routing hole for seven services, naming five and counting the rest',
    define: withServices(
      { defaultAlertRouting: { critical: 'payments-pager', high: 'payments-chat', medium: 'none' } },
      ...['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'].map((name, i) => service({ name, port: 8000 + i })),
    ),
    lines: [
      'shop.defaultAlertRouting.low: leaves severity low without a receiver for a1, a2, a3, a4, a5 and 2 more: every service emits low alerts; name a receiver, or "none" to drop them on purpose (got undefined)',
    ],
  },
];

// 9. Platform files: every line prefixed with the file, line and column of the field.
const FILE = [
  'name: shop', // 1
  'environments: [dev, prod]', // 2
  'runbookBaseUrl: https://runbooks.example.com/shop', // 3
  'dashboardBaseUrl: https://grafana.example.com', // 4
  'prometheusUrl: http://prometheus-operated.monitoring:9090', // 5
  'receivers:', // 6
  '  payments-pager:', // 7
  '    type: pagerduty', // 8
  '    routingKeySecret: { name: pagerduty, key: routing-key }', // 9
  'defaultAlertRouting: { critical: payments-pager, high: none, medium: none, low: none }', // 10
  'services:', // 11
  '  - name: checkout', // 12
  '    team: payments', // 13
  '    tier: critical', // 14
  `    image: ${IMAGE}`, // 15
  '    port: 8080', // 16
  '',
].join('\n');

const SECOND_SERVICE = ['  - name: checkout', '    team: search', '    tier: high', `    image: ${IMAGE}`, '    port: 8081', ''].join('\n');

const JSON_FILE = JSON.stringify(
  {
    name: 'shop',
    environments: ['dev'],
    runbookBaseUrl: 'https://runbooks.example.com/shop',
    dashboardBaseUrl: 'https://grafana.example.com',
    prometheusUrl: 'http://prometheus-operated.monitoring:9090',
    defaultRouting: {},
    services: [],
  },
  null,
  2,
);

interface FileCase {
  readonly name: string;
  readonly text: string;
  readonly lines: readonly string[];
}

const FILE_CASES: readonly FileCase[] = [
  {
    name: 'a misspelt service key at its line and column',
    text: FILE.replace('    port: 8080', '    port: 8080\n    replica: 3'),
    lines: ['platform.yaml:17:5: shop.services[0].replica: is not a known field; did you mean replicas? (got 3)'],
  },
  {
    name: 'a misspelt nested key at its line and column',
    text: `${FILE}    metrics:\n      scrapeIntervall: 30s\n`,
    lines: ['platform.yaml:18:7: shop.services[0].metrics.scrapeIntervall: is not a known field; did you mean scrapeInterval? (got "30s")'],
  },
  {
    name: 'a misspelt key in a JSON file at its line and column',
    text: JSON_FILE,
    lines: ['platform.yaml:9:3: shop.defaultRouting: is not a known field; did you mean defaultAlertRouting? (got {})'],
  },
  {
    name: 'a YAML merge key, which YAML 1.2 reads as an unknown field',
    text: FILE.replace('    port: 8080', '    port: 8080\n    <<: { replicas: 3 }'),
    lines: [`platform.yaml:17:5: shop.services[0].<<: is not a known field; known fields: ${SERVICE_FIELDS} (got {"replicas":3})`],
  },
  {
    name: 'yes, which YAML 1.2 reads as a string, where a boolean goes',
    text: FILE.replace('environments: [dev, prod]', 'environments: [dev, { name: prod, production: yes }]'),
    lines: ['platform.yaml:2:35: shop.environments[1].production: must be true or false (got "yes")'],
  },
  {
    name: 'receivers written as one string, as one issue',
    text: FILE.replace(/receivers:\n(.*\n){3}/, 'receivers: payments-pager\n'),
    lines: ['platform.yaml:6:1: shop.receivers: must be an object mapping receiver names to receivers (got "payments-pager")'],
  },
  {
    name: 'a list at the top of the file',
    text: '- shop\n- checkout\n',
    lines: ['platform.yaml:1:1: <platform>: must be an object (got ["shop","checkout"])'],
  },
  {
    name: 'a field value a service check refuses, at the field',
    text: FILE.replace('    port: 8080', '    port: 0'),
    lines: ['platform.yaml:16:5: checkout.port: must be an integer from 1 to 65535 (got 0)'],
  },
  {
    name: 'an invalid environment override, at the override',
    text: `${FILE}    environments:\n      prod:\n        replicas: 0\n`,
    lines: ['platform.yaml:19:9: checkout.environments.prod.replicas: must be an integer from 1 to 1000 (got 0)'],
  },
  {
    name: 'an override for an environment the platform does not have, at the override',
    text: `${FILE}    environments:\n      qa:\n        replicas: 2\n`,
    lines: ['platform.yaml:18:7: checkout.environments.qa: names an unknown environment; known: dev, prod (got "qa")'],
  },
  {
    name: 'a second service with the same name, at its name',
    text: FILE + SECOND_SERVICE,
    lines: ['platform.yaml:17:5: shop.services[1].name: duplicates services[0]: service names must be unique in a platform (got "checkout")'],
  },
  {
    name: 'a routing hole, at the default routing',
    text: FILE.replace(', low: none }', ' }'),
    lines: [
      'platform.yaml:10:1: shop.defaultAlertRouting.low: leaves severity low without a receiver for checkout: every service emits low alerts; name a receiver, or "none" to drop them on purpose (got undefined)',
    ],
  },
];

interface SyntaxCase {
  readonly name: string;
  readonly text: string;
  /** Where each syntax error is and what it is. */
  readonly errors: readonly { readonly location: string; readonly problem: string }[];
}

const SYNTAX_CASES: readonly SyntaxCase[] = [
  { name: 'a duplicate top-level key', text: `${FILE}name: shop2\n`, errors: [{ location: 'platform.yaml:17:1', problem: 'is not valid: Map keys must be unique' }] },
  {
    name: 'a duplicate key inside a service',
    text: FILE.replace('    port: 8080', '    port: 8080\n    port: 8081'),
    errors: [{ location: 'platform.yaml:17:5', problem: 'is not valid: Map keys must be unique' }],
  },
  { name: 'a duplicate key in JSON', text: '{"name": "shop",\n "name": "shop2"}', errors: [{ location: 'platform.yaml:2:2', problem: 'is not valid: Map keys must be unique' }] },
  {
    name: 'a character JSON and YAML cannot start a value with',
    text: '{"name": "shop",\n "environments": @\n}',
    errors: [{ location: 'platform.yaml:2:18', problem: 'is not valid: Plain value cannot start with reserved character @' }],
  },
  {
    name: 'a second document in the file',
    text: `${FILE}---\nname: other\n`,
    errors: [{ location: 'platform.yaml:17:1', problem: 'is not valid: Source contains multiple documents; please use YAML.parseAllDocuments()' }],
  },
];

const ALL_REFUSED: readonly (readonly [string, readonly Case[]])[] = [
  ['shapes are checked before fields', SHAPE_CASES],
  ['unknown keys are refused with a hint', UNKNOWN_KEY_CASES],
  ['free text is checked before it reaches templates', TEXT_CASES],
  ["values follow their consumers' rules", CONSUMER_CASES],
  ['rules are checked once, by the definition', ONCE_CASES],
  ['names that become keys and paths are checked', NAME_CASES],
  ['secrets in plain text are refused', SECRET_CASES],
  ['every severity reaches a decision', ROUTING_CASES],
];

for (const [title, cases] of ALL_REFUSED) {
  describe(`hostile definitions: ${title}`, () => {
    it.each(cases.map((c) => [c.name, c] as const))('reports %s', (_name, c) => {
      expect(refusal(c.define).lines).toEqual(c.lines);
    });
  });
}

describe('hostile definitions: platform files point at the line and column', () => {
  it.each(FILE_CASES.map((c) => [c.name, c] as const))('reports %s', (_name, c) => {
    expect(refusal(() => parsePlatform(c.text, 'platform.yaml')).lines).toEqual(c.lines);
  });

  it.each(SYNTAX_CASES.map((c) => [c.name, c] as const))('reports %s as a syntax error at its position', (_name, c) => {
    const issues = refusal(() => parsePlatform(c.text, 'platform.yaml')).issues;
    expect(issues.map((issue) => ({ location: issue.location, problem: issue.problem }))).toEqual(c.errors);
  });
});

describe('hostile definitions: secrets stay out of the error', () => {
  it.each(SECRET_CASES.map((c) => [c.name, c] as const))('never writes %s into the message, the lines or the issues', (_name, c) => {
    const error = refusal(c.define);
    expect(error.message).not.toContain(c.secret);
    expect(error.lines.join('\n')).not.toContain(c.secret);
    expect(JSON.stringify(error.issues)).not.toContain(c.secret);
  });
});

describe('hostile-looking definitions that are valid', () => {
  it('accepts business weekdays sunday:saturday, a whole Alertmanager week', () => {
    expect(() => definePlatform(platform({ businessHours: { weekdays: ['sunday:saturday'] } }))).not.toThrow();
  });

  it('accepts a time zone of three parts and one with a sign', () => {
    expect(() => definePlatform(platform({ businessHours: { timezone: 'America/Argentina/Buenos_Aires' } }))).not.toThrow();
    expect(() => definePlatform(platform({ businessHours: { timezone: 'Etc/GMT+5' } }))).not.toThrow();
  });

  it('accepts business hours that end at 24:00', () => {
    expect(() => definePlatform(platform({ businessHours: { start: '00:00', end: '24:00' } }))).not.toThrow();
  });

  it('accepts an RE2 digit class written with a PromQL escaped backslash', () => {
    expect(() => defineService(service({ slos: [availability({ badSelector: 'code=~"5\\\\d\\\\d"' })] }))).not.toThrow();
  });

  it('accepts RE2 flags, named groups and \\z in selectors', () => {
    const slo = availability({ badSelector: 'code=~"(?P<class>5)..\\\\z"', totalSelector: 'method=~"(?i)get|post"' });
    expect(() => defineService(service({ slos: [slo] }))).not.toThrow();
  });

  it('accepts a trailing comma and a label named like a PromQL keyword in a selector', () => {
    expect(() => defineService(service({ slos: [latency({ selector: 'on="edge",' })] }))).not.toThrow();
  });

  it('accepts Go template delimiters in descriptions and contacts, which reach templates escaped', () => {
    const input = service({
      description: 'Checkout {{ template "x" }}',
      contacts: { owners: ['{{ .CommonLabels }}'], escalation: ['{{end}}'], chat: '{{' },
      slos: [availability({ description: '{{ $value }} of requests succeed' })],
    });
    expect(defineService(input).slos[0].description).toBe('{{ $value }} of requests succeed');
  });

  it('accepts tabs and newlines in environment variables and descriptions', () => {
    expect(() => defineService(service({ description: 'line one\n\tline two', env: { BANNER: 'a\tb\nc' } }))).not.toThrow();
  });

  it('accepts text at its exact length limits', () => {
    const input = service({ description: 'x'.repeat(1024), contacts: { chat: 'x'.repeat(256) }, env: { BLOB: 'x'.repeat(32768) } });
    expect(() => defineService(input)).not.toThrow();
  });

  it('accepts values at the int32 and replica limits', () => {
    const input = service({
      replicas: 1000,
      health: { startup: { path: '/healthz', failureThreshold: 2147483647 } },
      delivery: { strategy: 'rolling', maxSurge: '2147483647', maxUnavailable: '100%' },
    });
    expect(() => defineService(input)).not.toThrow();
  });

  it('accepts "none" for every severity as an explicit drop', () => {
    expect(() => definePlatform(platform({ defaultAlertRouting: DROP_ALL, services: [defineService(service())] }))).not.toThrow();
  });

  it('accepts a default routing without low when every service routes low itself', () => {
    const checkout = defineService(service({ alertRouting: { low: 'none' } }));
    expect(() => definePlatform(platform({ defaultAlertRouting: { critical: 'payments-pager', high: 'payments-chat', medium: 'none' }, services: [checkout] }))).not.toThrow();
  });

  it('accepts a URL with %20 and a bracketed IPv6 host with a zone', () => {
    expect(() => definePlatform(platform({ runbookBaseUrl: 'https://runbooks.example.com/on%20call', prometheusUrl: 'http://[fe80::1%25eth0]:9090/' }))).not.toThrow();
  });

  it('accepts an SMTP server given as a bracketed IPv6 address', () => {
    const receivers = { ...RECEIVERS, mail: { type: 'email', to: 'oncall@example.com', smarthost: '[::1]:25', from: 'alertmanager@example.com' } };
    expect(() => definePlatform(platform({ receivers }))).not.toThrow();
  });

  it('accepts a service and a receiver named constructor, and resolves the service by name', () => {
    const named = defineService(service({ name: 'constructor' }));
    const receivers = { ...RECEIVERS, constructor: { type: 'webhook', url: 'https://tickets.example.com/hook' } };
    const defined = definePlatform(platform({ receivers, defaultAlertRouting: { ...ROUTING, medium: 'constructor' }, services: [named] }));
    expect(resolveEnvironment(defined, 'constructor', 'prod').alertRouting.medium).toBe('constructor');
  });

  it('refuses an environment variable named __proto__ read from JSON, without showing its value', () => {
    expect(refusal(() => defineService(service({ env: JSON.parse('{"__proto__": "x", "LOG_LEVEL": "info"}') }))).lines).toEqual(['checkout.env.__proto__: is not allowed as a key: JavaScript reads __proto__ as the prototype of the object (got "<redacted>")']);
  });

  it('accepts custom queries with grouping, offsets and arithmetic on scalars', () => {
    const slo = custom('sum by (queue) (rate(jobs_ok_total[{{window}}] offset 1m))', '1 * sum(rate(jobs_total[{{window}}]))');
    expect(() => defineService(service({ slos: [slo] }))).not.toThrow();
  });
});

describe('the hostile corpus', () => {
  const refused = ALL_REFUSED.reduce((n, [, cases]) => n + cases.length, 0) + FILE_CASES.length + SYNTAX_CASES.length;

  it('holds at least 70 refused definitions', () => {
    expect(refused).toBeGreaterThanOrEqual(70);
  });

  it('names each case once', () => {
    const names = [...ALL_REFUSED.flatMap(([, cases]) => cases.map((c) => c.name)), ...FILE_CASES.map((c) => c.name), ...SYNTAX_CASES.map((c) => c.name)];
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('hostile definitions found in review', () => {
  const refused = (fn: () => unknown): string[] => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(DefinitionError);
      return (error as DefinitionError).lines;
    }
    throw new Error('expected a DefinitionError');
  };

  it('refuses input that refers back to itself, without a stack overflow', () => {
    const env: Record<string, unknown> = {};
    env.self = env;
    expect(refused(() => defineService(service({ env })))).toEqual(['checkout.env.self: refers back to an object that contains it; a definition is a tree of plain data (got "<redacted>")']);
  });

  it('refuses input nested far deeper than any field, without a stack overflow', () => {
    let deep: Record<string, unknown> = {};
    const top = deep;
    for (let i = 0; i < 20000; i++) deep = deep.next = {};
    expect(refused(() => defineService(service({ env: top })))[0]).toMatch(/nests deeper than 32 levels/);
  });

  it('refuses a list with holes as a list of undefined items, without a TypeError', () => {
    // eslint-disable-next-line no-sparse-arrays
    const slos = [, availability()] as unknown as SloInput[];
    expect(refused(() => defineService(service({ slos })))).toEqual(['checkout.slos[0]: must be an SLO object with a kind: availability, latency or custom (got undefined)']);
    // eslint-disable-next-line no-sparse-arrays
    const services = [, defineService(service())] as unknown as ServiceDefinition[];
    expect(refused(() => definePlatform(platform({ services })))).toEqual(['shop.services[0]: must be a service from defineService (got undefined)']);
  });

  it('still looks for loops in a service that is not from defineService, beside one that is', () => {
    const looped: Record<string, unknown> = { name: 'loop' };
    looped.self = looped;
    expect(refused(() => definePlatform(platform({ services: [defineService(service()), looped as unknown as ServiceDefinition] })))).toEqual([
      'shop.services[1].self: refers back to an object that contains it; a definition is a tree of plain data (got "<redacted>")',
    ]);
  });

  it('refuses a very long URL by its length, before any pattern runs over it', () => {
    expect(refused(() => definePlatform(platform({ runbookBaseUrl: `http://${'a'.repeat(30000)} ` })))).toEqual([
      'shop.runbookBaseUrl: must be at most 2048 characters long (has 30008) (got "http://' + 'a'.repeat(189) + '...)',
    ]);
  });

  it('refuses line separators and non-characters in free text, which YAML readers reject', () => {
    expect(refused(() => defineService(service({ description: 'a\u2028b' })))).toEqual([
      'checkout.description: must not contain control characters (NUL, escape sequences and the like) (got "a\\u2028b")',
    ]);
  });

  it('refuses a latency selector on le, which the library selects itself', () => {
    expect(refused(() => defineService(service({ slos: [bad<SloInput>({ kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25, selector: 'le="0.1"' })] })))).toEqual([
      'checkout.slos[0].selector: must not match le: the library selects the histogram buckets (got "le=\\"0.1\\"")',
    ]);
  });

  it('refuses SLO selectors that refuse the service\'s own job or namespace, which the library selects too, all at once', () => {
    const selected = 'the library selects job="checkout", namespace="payments" on every series';
    const latency = { kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25 };
    expect(
      refused(() =>
        defineService(
          service({
            slos: [
              availability({ badSelector: 'namespace=~"[\\\\d-z]"' }),
              availability({ name: 'other', totalSelector: 'job!="checkout"' }),
              bad<SloInput>({ ...latency, selector: 'namespace="shop", handler="/pay"' }),
            ],
          }),
        ),
      ),
    ).toEqual([
      `checkout.slos[0].badSelector: must accept the service's own namespace "payments" (namespace=~"[\\\\d-z]" refuses it): ${selected}, so the selector would read no series (got "namespace=~\\"[\\\\\\\\d-z]\\"")`,
      `checkout.slos[1].totalSelector: must accept the service's own job "checkout" (job!="checkout" refuses it): ${selected}, so the selector would read no series (got "job!=\\"checkout\\"")`,
      `checkout.slos[2].selector: must accept the service's own namespace "payments" (namespace="shop" refuses it): ${selected}, so the selector would read no series (got "namespace=\\"shop\\", handler=\\"/pay\\"")`,
    ]);
  });

  it('refuses a regex with a named group written (?<name>), which Prometheus built with Go before 1.22 refuses, in a selector and in a custom query', () => {
    const problem = 'a named group must be written (?P<name>...): Prometheus releases built with Go before 1.22 refuse (?<name>...)';
    const lines = refused(() =>
      defineService(
        service({
          slos: [
            availability({ badSelector: 'code=~"(?<class>5)..", handler="/pay"' }),
            bad<SloInput>({ kind: 'custom', name: 'custom', objective: 99, goodQuery: 'sum(rate(jobs_total{outcome=~"(?<o>ok)"}[{{window}}]))', totalQuery: 'sum(rate(jobs_total[{{window}}]))' }),
          ],
        }),
      ),
    );
    expect(lines[0]).toBe(`checkout.slos[0].badSelector: has an invalid regular expression for code (Prometheus uses RE2: ${problem}) (got "code=~\\"(?<class>5)..\\", handler=\\"/pay\\"")`);
    expect(lines[1]).toContain('checkout.slos[1].goodQuery');
    expect(lines[1]).toContain(problem);
    expect(lines).toHaveLength(2);
    expect(() => defineService(service({ slos: [availability({ badSelector: 'code=~"(?P<class>5)..", handler="/pay"' })] }))).not.toThrow();
  });

  it('refuses a custom query that reads the series the library records, which would make the SLI read its own output', () => {
    const custom = (goodQuery: string): SloInput => bad<SloInput>({ kind: 'custom', name: 'custom', objective: 99, goodQuery, totalQuery: 'sum(rate(jobs_total[{{window}}]))' });
    const lines = refused(() =>
      defineService(service({ slos: [custom('sum(rate(slo:sli_error:ratio_rate5m[{{window}}]))'), { ...custom('sum(rate({__name__="service:container_resource_usage:max5m"}[{{window}}]))'), name: 'other' }] })),
    );
    expect(lines).toEqual([
      'checkout.slos[0].goodQuery: must not read slo:sli_error:ratio_rate5m: the library records the slo: and service: series itself, so the SLI would read its own rules\' output (got "sum(rate(slo:sli_error:ratio_rate5m[{{window}}]))")',
      'checkout.slos[1].goodQuery: must not read service:container_resource_usage:max5m: the library records the slo: and service: series itself, so the SLI would read its own rules\' output (got "sum(rate({__name__=\\"service:container_resource_usage:max5m\\"}[{{window}}]))")',
    ]);
    // A recorded series of the platform's own, outside the library's names, is the user's to read.
    expect(() => defineService(service({ slos: [custom('sum(rate(job:jobs_ok:total[{{window}}]))')] }))).not.toThrow();
  });

  it('refuses a bad selector on job and namespace alone, which counts every request as failed', () => {
    expect(refused(() => defineService(service({ slos: [availability({ badSelector: 'namespace="payments", job=~"check.*"' })] })))).toEqual([
      'checkout.slos[0].badSelector: must select the failed requests by a label other than job and namespace: the library selects job="checkout", namespace="payments" on every series, so it would count every request as failed (got "namespace=\\"payments\\", job=~\\"check.*\\"")',
    ]);
  });

  it('accepts selectors that also name the service\'s own job or namespace, by any matcher that accepts them', () => {
    expect(() => defineService(service({ namespace: 'shop', slos: [availability({ badSelector: 'code=~"5..", namespace=~"sh.*"', totalSelector: 'job="checkout"' })] }))).not.toThrow();
  });

  it('refuses objectives below 50% and low-traffic guards below one request in about 17 minutes', () => {
    expect(refused(() => defineService(service({ slos: [availability({ objective: 1e-9, burnRateTiers: [] })] })))).toEqual([
      'checkout.slos[0].objective: must be at least 50: an error budget above half the requests makes burn rates meaningless (got 1e-9)',
    ]);
    expect(refused(() => defineService(service({ slos: [availability({ minRequestRate: 1e-300 })] })))).toEqual([
      'checkout.slos[0].minRequestRate: must be at least 0.001 requests per second (one request in about 17 minutes); leave it out for no guard (got 1e-300)',
    ]);
  });

  it('refuses a service in a namespace of the cluster or of the platform\'s monitoring', () => {
    const inMonitoring = defineService(service({ namespace: 'monitoring' }));
    expect(refused(() => definePlatform(platform({ services: [inMonitoring] })))).toEqual([
      "checkout.namespace: gives the namespace monitoring, which the cluster or the platform's ingress and monitoring run in; the library would lock it down with restricted Pod Security and default-deny network policy (got \"monitoring\")",
    ]);
  });
});
