/**
 * Preview environments: short-lived namespaces for a pull request or a branch, each with an
 * expiry, owner labels, a ResourceQuota and LimitRange, and the cleanup job that deletes them
 * once expired. The platform's `previews` holds the settings every preview shares and the
 * previews the definition declares; a preview environment's own fields are checked here too,
 * for the `PreviewEnvironment` construct and for the definition alike.
 * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/
 * @see https://kubernetes.io/docs/concepts/policy/limit-range/
 */
import { createHash } from 'node:crypto';
import { compact } from '../private/data';
import { formatRfc3339, parseRfc3339 } from '../private/rfc3339';
import { Checks, DNS_LABEL_PROBLEM, DURATION_PROBLEM, IssueCollector, LABEL_VALUE_PROBLEM } from './checks';
import { parseCpu, parseMemory } from './quantities';
import { ResourceQuantities } from './resources';
import { DefinitionIssue } from './errors';
import { JobSchedule, JobScheduleInput, checkJobSchedule, jobScheduleFields, normalizeJobSchedule } from './jobs';
import { bool, checkShape, list, num, obj, str } from './shape';
import { parseDuration } from '../promql/duration';

/** Total CPU, memory and pods of one preview namespace (its ResourceQuota). */
export interface PreviewQuotaInput {
  /** The most the namespace's pods may request together. @default { cpu: '2', memory: '4Gi' } */
  readonly requests?: Partial<ResourceQuantities>;
  /** The most the namespace's pods may be limited to together. @default { cpu: '4', memory: '8Gi' } */
  readonly limits?: Partial<ResourceQuantities>;
  /** The most pods the namespace may hold. @default 20 */
  readonly pods?: number;
}

/** Container defaults of one preview namespace (its LimitRange). */
export interface PreviewLimitRangeInput {
  /** Requests of a container that sets none. @default { cpu: '100m', memory: '128Mi' } */
  readonly defaultRequest?: Partial<ResourceQuantities>;
  /** Limits of a container that sets none. @default { cpu: '500m', memory: '256Mi' } */
  readonly default?: Partial<ResourceQuantities>;
}

/**
 * How the cleanup job deletes expired preview namespaces, and when it runs: its schedule
 * defaults to hourly at minute 17 (`'17 * * * *'`), the other schedule options to `JOB_DEFAULTS`.
 */
export interface PreviewCleanupInput extends JobScheduleInput {
  /** The most namespaces one run deletes; the rest wait for the next run. @default 10 */
  readonly maxDeletions?: number;
  /**
   * Only log what would be deleted.
   * @default true outside production environments, false in production ones
   */
  readonly dryRun?: boolean;
  /** The namespace the job runs in; it is protected too. @default the platform's monitoringNamespace */
  readonly namespace?: string;
  /** The team the job's alerts go to (their `team` label). @default 'platform' */
  readonly team?: string;
  /**
   * Also have the API server refuse the job's ServiceAccount any namespace without the preview
   * label or on the protected list (a ValidatingAdmissionPolicy, Kubernetes 1.30 or later).
   * @default true
   */
  readonly admissionPolicy?: boolean;
}

/** The normalized cleanup job settings. */
export interface PreviewCleanup {
  /** When the job runs, its deadlines, retries and history. */
  readonly jobSchedule: JobSchedule;
  readonly maxDeletions: number;
  /** Whether the job only logs, in each environment holding previews. */
  readonly dryRunByEnvironment: Readonly<Record<string, boolean>>;
  readonly namespace: string;
  readonly team: string;
  readonly admissionPolicy: boolean;
}

/**
 * One preview environment: a namespace for a pull request or a branch. Give exactly one of
 * `pullRequest` and `branch`, and the expiry as `expiresAt`, or as `ttl` (or the default TTL)
 * from `createdAt`: the library has no clock, so the caller says when the preview was made.
 */
export interface PreviewInput {
  /** The pull request, e.g. 123: the namespace is `<namespacePrefix>pr-123`. */
  readonly pullRequest?: number;
  /** The branch, e.g. `feature/login`: the namespace is `<namespacePrefix>feature-login-<hash>`. */
  readonly branch?: string;
  /** Who owns the preview: a team or a user, as a Kubernetes label value. */
  readonly owner: string;
  /** When the preview was made, RFC 3339 (`2026-12-01T09:00:00Z`); the TTL counts from it. @default none */
  readonly createdAt?: string;
  /** How long the preview lives from `createdAt`, a duration such as `72h` or `3d`. @default the platform's previews.defaultTtl */
  readonly ttl?: string;
  /** When the preview expires, RFC 3339 with `Z` or an offset; instead of a TTL. @default createdAt + ttl */
  readonly expiresAt?: string;
}

/** A preview environment the definition declares, in one environment of the platform. */
export interface PreviewInstanceInput extends PreviewInput {
  /** The platform environment whose cluster holds the preview. */
  readonly environment: string;
}

/** The platform's preview environments. */
export interface PreviewsInput {
  /**
   * Label key marking a preview namespace, with the value `"true"`: the cleanup job deletes only
   * namespaces that carry it.
   * @default 'ops-constructs/preview'
   */
  readonly label?: string;
  /** Start of every preview namespace's name. @default 'preview-' */
  readonly namespacePrefix?: string;
  /**
   * Namespaces the cleanup never touches, besides the built-in ones: kube-system, kube-public,
   * kube-node-lease, default, the platform's ingress, monitoring and dashboard namespaces, and
   * the namespace of every service.
   * @default []
   */
  readonly protectedNamespaces?: readonly string[];
  /** TTL of a preview that gives neither `ttl` nor `expiresAt`. @default '72h' */
  readonly defaultTtl?: string;
  /** Longest TTL a preview may have. @default '30d' */
  readonly maxTtl?: string;
  /** @default see PreviewQuotaInput */
  readonly quota?: PreviewQuotaInput;
  /** @default see PreviewLimitRangeInput */
  readonly limitRange?: PreviewLimitRangeInput;
  /** Environments whose clusters hold previews; the cleanup job runs in each. @default every environment of the platform */
  readonly environments?: readonly string[];
  /** @default see PreviewCleanupInput */
  readonly cleanup?: PreviewCleanupInput;
  /** Preview environments declared in the definition (a CI pipeline may write them). @default [] */
  readonly instances?: readonly PreviewInstanceInput[];
}

/** A normalized ResourceQuota of a preview namespace. */
export interface PreviewQuota {
  readonly requests: ResourceQuantities;
  readonly limits: ResourceQuantities;
  readonly pods: number;
}

/** A normalized LimitRange of a preview namespace. */
export interface PreviewLimitRange {
  readonly defaultRequest: ResourceQuantities;
  readonly default: ResourceQuantities;
}

/** A preview environment resolved: its namespace and expiry. */
export interface Preview {
  /** The namespace, a DNS-1123 label of at most 63 characters. */
  readonly namespace: string;
  readonly owner: string;
  readonly pullRequest?: number;
  readonly branch?: string;
  readonly createdAt?: string;
  readonly ttl?: string;
  /** The expiry in UTC, RFC 3339 to the second: what the namespace's annotation holds. */
  readonly expiresAt: string;
}

/** A resolved preview environment the definition declares. */
export interface PreviewInstance extends Preview {
  readonly environment: string;
}

/** Normalized preview settings. */
export interface Previews {
  readonly label: string;
  readonly namespacePrefix: string;
  /** Every protected namespace, built-in and configured, sorted. */
  readonly protectedNamespaces: readonly string[];
  readonly defaultTtl: string;
  readonly maxTtl: string;
  readonly quota: PreviewQuota;
  readonly limitRange: PreviewLimitRange;
  readonly environments: readonly string[];
  readonly cleanup: PreviewCleanup;
  readonly instances: readonly PreviewInstance[];
}

/** Preview settings when a definition gives none: the only source of the `@default`s above. */
export const PREVIEWS_DEFAULTS = Object.freeze({
  label: 'ops-constructs/preview',
  namespacePrefix: 'preview-',
  defaultTtl: '72h',
  maxTtl: '30d',
  quota: Object.freeze({ requests: Object.freeze({ cpu: '2', memory: '4Gi' }), limits: Object.freeze({ cpu: '4', memory: '8Gi' }), pods: 20 }),
  limitRange: Object.freeze({ defaultRequest: Object.freeze({ cpu: '100m', memory: '128Mi' }), default: Object.freeze({ cpu: '500m', memory: '256Mi' }) }),
  maxDeletions: 10,
  schedule: '17 * * * *',
  team: 'platform',
});

/** Bounds of the preview settings. */
export const PREVIEW_LIMITS = Object.freeze({
  /** Shortest TTL: the cleanup runs hourly by default, a shorter life means nothing. */
  minTtlSeconds: 3600,
  /** Longest `maxTtl`: a preview kept longer than a year is an environment. */
  maxTtlSeconds: 365 * 86400,
  namespacePrefixLength: 30,
  maxDeletions: 100,
  pods: 1000,
  pullRequest: 999_999_999,
  branchLength: 255,
});

/** The label values and annotations the library puts on a preview namespace. */
export const PREVIEW_METADATA = Object.freeze({
  /** Label: who owns the preview. */
  owner: 'ops-constructs/owner',
  /** Label: the pull request number. */
  pullRequest: 'ops-constructs/pull-request',
  /** Annotation: the branch as written. */
  branch: 'ops-constructs/branch',
  /** Annotation: the expiry, RFC 3339 in UTC; the cleanup job deletes the namespace after it. */
  expiresAt: 'ops-constructs/expires-at',
  /** Annotation: when the preview was made, as given. */
  createdAt: 'ops-constructs/created-at',
  /** Annotation: the TTL, as given. */
  ttl: 'ops-constructs/ttl',
});

/** What a preview's namespace may not be besides the configured ones, for the checks to name. */
export interface PreviewContext {
  /** The platform's environment names and whether each is production. */
  readonly environments: readonly { readonly name: string; readonly production: boolean }[];
  /** The built-in protected namespaces: the cluster's, ingress, monitoring, dashboards and every service's. */
  readonly builtInProtected: readonly string[];
  /** The platform's monitoring namespace, where the cleanup runs by default. */
  readonly monitoringNamespace: string;
}

const RFC3339_PROBLEM = 'must be an RFC 3339 timestamp with seconds and a Z or ±hh:mm offset, such as 2026-12-01T09:00:00Z or 2026-12-01T10:00:00+01:00, of a real date and time';
const PREFIX_PROBLEM = `must be empty or start a DNS-1123 label: lower-case letters, digits and "-", starting with a letter, at most ${PREVIEW_LIMITS.namespacePrefixLength} characters`;
const BRANCH_PROBLEM = `must be a git branch name: 1-${PREVIEW_LIMITS.branchLength} characters, no spaces, control characters, "..", or any of ~^:?*[\\, not starting with "-" or "/", not ending with "/", "." or ".lock"`;
const CPU_PROBLEM = 'must be a CPU quantity such as 250m or 1.5 (at least 1m)';
const MEMORY_PROBLEM = 'must be a memory quantity with a binary unit (Ki, Mi, Gi, Ti), e.g. 512Mi';

const quantitiesSchema = obj({ cpu: str(CPU_PROBLEM).optional(), memory: str(MEMORY_PROBLEM).optional() });

const previewFields = {
  pullRequest: num().optional(),
  branch: str(BRANCH_PROBLEM).optional(),
  owner: str(LABEL_VALUE_PROBLEM),
  createdAt: str(RFC3339_PROBLEM).optional(),
  ttl: str(DURATION_PROBLEM).optional(),
  expiresAt: str(RFC3339_PROBLEM).optional(),
};

/** Schema of the props of one preview environment. */
export const previewSchema = obj(previewFields);

/** Schema of the platform's `previews`. */
export const previewsSchema = obj({
  label: str().optional(),
  namespacePrefix: str(PREFIX_PROBLEM).optional(),
  protectedNamespaces: list(str(DNS_LABEL_PROBLEM), 'must be a list of namespace names').optional(),
  defaultTtl: str(DURATION_PROBLEM).optional(),
  maxTtl: str(DURATION_PROBLEM).optional(),
  quota: obj({ requests: quantitiesSchema.optional(), limits: quantitiesSchema.optional(), pods: num().optional() }).optional(),
  limitRange: obj({ defaultRequest: quantitiesSchema.optional(), default: quantitiesSchema.optional() }).optional(),
  environments: list(str(DNS_LABEL_PROBLEM), 'must be a list of environment names').optional(),
  cleanup: obj({ ...jobScheduleFields, maxDeletions: num().optional(), dryRun: bool().optional(), namespace: str(DNS_LABEL_PROBLEM).optional(), team: str(DNS_LABEL_PROBLEM).optional(), admissionPolicy: bool().optional() }).optional(),
  instances: list(obj({ environment: str(DNS_LABEL_PROBLEM), ...previewFields }), 'must be a list of preview environments { environment, pullRequest or branch, owner, ... }').optional(),
});

/** Whether a text is a git branch name by the rules of `git check-ref-format --branch`, in short. */
function isBranchName(text: string): boolean {
  return (
    text.length >= 1 &&
    text.length <= PREVIEW_LIMITS.branchLength &&
    // eslint-disable-next-line no-control-regex
    !/[\s\u0000-\u001f\u007f~^:?*[\\]/.test(text) &&
    !text.includes('..') &&
    !text.includes('@{') &&
    !/^[-/]/.test(text) &&
    !/(\/|\.|\.lock)$/.test(text) &&
    !text.includes('//')
  );
}

/** The hex digits of the SHA-256 of a text a name ends in when it had to change. */
const HASH_DIGITS = 8;

/**
 * The namespace of a branch's preview: the branch in lower case, every run of other characters
 * a `-`. When that changed the branch (`feature/login`) or had to be cut to 63 characters, the
 * name ends in 8 hex digits of the branch's SHA-256, so two branches never share a namespace.
 */
export function branchNamespace(prefix: string, branch: string): string {
  const plain = branch
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const whole = `${prefix}${plain}`;
  if (plain === branch && whole.length <= 63 && /^[a-z]/.test(whole)) return whole;
  const hash = createHash('sha256').update(branch).digest('hex').slice(0, HASH_DIGITS);
  const room = 63 - HASH_DIGITS - 1 - prefix.length;
  const head = plain.slice(0, room).replace(/-+$/, '');
  const named = head === '' ? `${prefix}${hash}` : `${prefix}${head}-${hash}`;
  // A name must start with a letter: a bare prefix-less hash or digit gets one.
  return /^[a-z]/.test(named) ? named : `b-${named}`.slice(0, 63).replace(/-+$/, '');
}

/** The namespace of a pull request's preview: `<prefix>pr-<number>`. */
export function pullRequestNamespace(prefix: string, pullRequest: number): string {
  return `${prefix}pr-${pullRequest}`;
}

function checkQuantities(k: Checks, field: string, quantities: Partial<ResourceQuantities> | undefined): void {
  if (quantities?.cpu !== undefined && parseCpu(quantities.cpu) === undefined) k.c.add(`${field}.cpu`, CPU_PROBLEM, quantities.cpu);
  if (quantities?.memory !== undefined && parseMemory(quantities.memory) === undefined) k.c.add(`${field}.memory`, MEMORY_PROBLEM, quantities.memory);
}

/** Checks that `low` stays within `high`, both with their defaults, reporting at the first field the input sets. */
function checkWithin(k: Checks, low: { field: string; given?: Partial<ResourceQuantities>; fallback: ResourceQuantities }, high: { field: string; given?: Partial<ResourceQuantities>; fallback: ResourceQuantities }): void {
  for (const [kind, parse] of [['cpu', parseCpu], ['memory', parseMemory]] as const) {
    const lowText = low.given?.[kind] ?? low.fallback[kind];
    const highText = high.given?.[kind] ?? high.fallback[kind];
    const [lowValue, highValue] = [parse(lowText), parse(highText)];
    if (lowValue === undefined || highValue === undefined || lowValue <= highValue) continue;
    if (low.given?.[kind] === undefined && high.given?.[kind] === undefined) continue;
    const [field, value, other] = low.given?.[kind] !== undefined ? [`${low.field}.${kind}`, lowText, `${high.field}.${kind} ${highText}`] : [`${high.field}.${kind}`, highText, `${low.field}.${kind} ${lowText}`];
    const origin = (low.given?.[kind] !== undefined ? high.given?.[kind] : low.given?.[kind]) === undefined ? ' (the default)' : '';
    k.c.add(field, low.given?.[kind] !== undefined ? `must not exceed ${other}${origin}` : `must be at least ${other}${origin}`, value);
  }
}

/** The settings one preview environment is checked against. */
export type PreviewSettings = Pick<PreviewsInput, 'namespacePrefix' | 'protectedNamespaces' | 'defaultTtl' | 'maxTtl'>;

/** The longest TTL of a platform's previews, from its `maxTtl` (or the default). */
function maxTtlSeconds(previews: PreviewSettings | undefined): number {
  return parseDuration(previews?.maxTtl ?? PREVIEWS_DEFAULTS.maxTtl) ?? (parseDuration(PREVIEWS_DEFAULTS.maxTtl) as number);
}

function checkTtl(k: Checks, field: string, ttl: string, maxSeconds: number, maxText: string): number | undefined {
  const seconds = k.duration(field, ttl);
  if (seconds === undefined) return undefined;
  if (seconds < PREVIEW_LIMITS.minTtlSeconds || seconds > maxSeconds) {
    k.c.add(field, `must be from 1h to previews.maxTtl ${maxText}`, ttl);
    return undefined;
  }
  return seconds;
}

/**
 * Checks one preview environment and resolves its namespace and expiry; undefined when it has
 * a problem (each reported to `k` under `field`).
 */
export function checkPreview(k: Checks, field: string, preview: PreviewInput, previews: PreviewSettings | undefined, builtInProtected: readonly string[]): Preview | undefined {
  const at = (name: string): string => (field === '' ? name : `${field}.${name}`);
  const before = k.c.count;
  const prefix = previews?.namespacePrefix ?? PREVIEWS_DEFAULTS.namespacePrefix;
  let namespace: string | undefined;
  if ((preview.pullRequest === undefined) === (preview.branch === undefined)) {
    k.c.add(field, 'must give exactly one of pullRequest and branch: the namespace is named after it', compact({ pullRequest: preview.pullRequest, branch: preview.branch }));
  } else if (preview.pullRequest !== undefined) {
    if (k.int(at('pullRequest'), preview.pullRequest, 1, PREVIEW_LIMITS.pullRequest)) namespace = pullRequestNamespace(prefix, preview.pullRequest);
  } else if (!isBranchName(preview.branch as string)) {
    k.c.add(at('branch'), BRANCH_PROBLEM, preview.branch);
  } else {
    namespace = branchNamespace(prefix, preview.branch as string);
  }
  if (preview.owner === '') k.c.add(at('owner'), `${LABEL_VALUE_PROBLEM}, not empty`, preview.owner);
  else k.labelValue(at('owner'), preview.owner);
  const isProtected = [...builtInProtected, ...(previews?.protectedNamespaces ?? [])];
  if (namespace !== undefined && isProtected.includes(namespace)) {
    k.c.add(preview.pullRequest !== undefined ? at('pullRequest') : at('branch'), `gives the namespace ${namespace}, which is protected: the cluster's, the platform's or a service's, or listed in previews.protectedNamespaces`, preview.pullRequest ?? preview.branch);
  }

  const created = preview.createdAt === undefined ? undefined : parseRfc3339(preview.createdAt);
  if (preview.createdAt !== undefined && created === undefined) k.c.add(at('createdAt'), RFC3339_PROBLEM, preview.createdAt);
  const maxSeconds = maxTtlSeconds(previews);
  const maxText = previews?.maxTtl ?? PREVIEWS_DEFAULTS.maxTtl;
  let expires: number | undefined;
  if (preview.expiresAt !== undefined) {
    if (preview.ttl !== undefined) k.c.add(at('ttl'), 'must not be given with expiresAt: give the expiry one way', preview.ttl);
    expires = parseRfc3339(preview.expiresAt);
    if (expires === undefined) {
      k.c.add(at('expiresAt'), RFC3339_PROBLEM, preview.expiresAt);
    } else if (created !== undefined && (expires - created < PREVIEW_LIMITS.minTtlSeconds || expires - created > maxSeconds)) {
      k.c.add(at('expiresAt'), `must be from 1h to previews.maxTtl ${maxText} after createdAt ${preview.createdAt}`, preview.expiresAt);
    }
  } else {
    const ttl = preview.ttl ?? previews?.defaultTtl ?? PREVIEWS_DEFAULTS.defaultTtl;
    const seconds = preview.ttl !== undefined ? checkTtl(k, at('ttl'), ttl, maxSeconds, maxText) : parseDuration(ttl);
    if (preview.createdAt === undefined) {
      k.c.add(at('createdAt'), `is needed to count the TTL ${ttl} from, or give expiresAt: the library has no clock`, preview.createdAt);
    } else if (created !== undefined && seconds !== undefined) {
      expires = created + seconds;
    }
  }
  if (expires !== undefined && parseRfc3339(formatRfc3339(expires)) !== expires) {
    k.c.add(preview.expiresAt !== undefined ? at('expiresAt') : at('createdAt'), 'gives an expiry after the year 9999', preview.expiresAt ?? preview.createdAt);
  }
  if (k.c.count > before || namespace === undefined || expires === undefined) return undefined;
  return compact({
    namespace,
    owner: preview.owner,
    pullRequest: preview.pullRequest,
    branch: preview.branch,
    createdAt: preview.createdAt,
    ttl: preview.ttl,
    expiresAt: formatRfc3339(expires),
  });
}

/**
 * Checks the props of one preview environment (of any shape) against the platform's settings,
 * with paths under `root`: its namespace and expiry, or every problem.
 */
export function checkPreviewProps(preview: unknown, settings: PreviewSettings, root: string): { readonly preview?: Preview; readonly issues: readonly DefinitionIssue[] } {
  const shape = checkShape<PreviewInput>(previewSchema, preview, root);
  if (shape.wellShaped === undefined || shape.issues.length > 0) return { issues: shape.issues };
  const c = new IssueCollector(root);
  const resolved = checkPreview(new Checks(c), '', shape.wellShaped, settings, []);
  return resolved === undefined ? { issues: c.issues } : { preview: resolved, issues: [] };
}

/** Checks the platform's `previews` and its declared preview environments. */
export function checkPreviews(k: Checks, previews: PreviewsInput | undefined, context: PreviewContext): void {
  if (previews === undefined) return;
  if (previews.label !== undefined && k.labelKey('previews.label', previews.label)) {
    const taken: readonly string[] = [PREVIEW_METADATA.owner, PREVIEW_METADATA.pullRequest];
    if (taken.includes(previews.label) || previews.label.startsWith('pod-security.kubernetes.io/')) {
      k.c.add('previews.label', `is a label the library sets on every preview namespace for another purpose (${taken.join(', ')}, pod-security.kubernetes.io/*); choose another key`, previews.label);
    }
  }
  if (previews.namespacePrefix !== undefined && !(previews.namespacePrefix.length <= PREVIEW_LIMITS.namespacePrefixLength && /^([a-z][-a-z0-9]*)?$/.test(previews.namespacePrefix))) {
    k.c.add('previews.namespacePrefix', PREFIX_PROBLEM, previews.namespacePrefix);
  }
  (previews.protectedNamespaces ?? []).forEach((namespace, i) => k.label(`previews.protectedNamespaces[${i}]`, namespace));
  const maxSeconds = previews.maxTtl === undefined ? undefined : parseDuration(previews.maxTtl);
  const maxValid = maxSeconds !== undefined && maxSeconds >= PREVIEW_LIMITS.minTtlSeconds && maxSeconds <= PREVIEW_LIMITS.maxTtlSeconds;
  if (previews.defaultTtl !== undefined) {
    // Bounded by maxTtl only when that is itself valid: one mistake, one message.
    if (previews.maxTtl === undefined || maxValid) checkTtl(k, 'previews.defaultTtl', previews.defaultTtl, maxTtlSeconds(previews), previews.maxTtl ?? PREVIEWS_DEFAULTS.maxTtl);
    else k.duration('previews.defaultTtl', previews.defaultTtl);
  }
  if (previews.maxTtl !== undefined && k.duration('previews.maxTtl', previews.maxTtl) !== undefined && !maxValid) k.c.add('previews.maxTtl', 'must be from 1h to 365d', previews.maxTtl);

  const quota = previews.quota ?? {};
  checkQuantities(k, 'previews.quota.requests', quota.requests);
  checkQuantities(k, 'previews.quota.limits', quota.limits);
  if (quota.pods !== undefined) k.int('previews.quota.pods', quota.pods, 1, PREVIEW_LIMITS.pods);
  const limitRange = previews.limitRange ?? {};
  checkQuantities(k, 'previews.limitRange.defaultRequest', limitRange.defaultRequest);
  checkQuantities(k, 'previews.limitRange.default', limitRange.default);
  const defaults = PREVIEWS_DEFAULTS;
  checkWithin(k, { field: 'previews.quota.requests', given: quota.requests, fallback: defaults.quota.requests }, { field: 'previews.quota.limits', given: quota.limits, fallback: defaults.quota.limits });
  checkWithin(k, { field: 'previews.limitRange.defaultRequest', given: limitRange.defaultRequest, fallback: defaults.limitRange.defaultRequest }, { field: 'previews.limitRange.default', given: limitRange.default, fallback: defaults.limitRange.default });
  checkWithin(k, { field: 'previews.limitRange.defaultRequest', given: limitRange.defaultRequest, fallback: defaults.limitRange.defaultRequest }, { field: 'previews.quota.requests', given: quota.requests, fallback: defaults.quota.requests });
  checkWithin(k, { field: 'previews.limitRange.default', given: limitRange.default, fallback: defaults.limitRange.default }, { field: 'previews.quota.limits', given: quota.limits, fallback: defaults.quota.limits });

  const known = context.environments.map((e) => e.name);
  (previews.environments ?? []).forEach((env, i) => {
    if (!known.includes(env)) k.c.add(`previews.environments[${i}]`, `names an unknown environment; known: ${known.join(', ') || 'none defined'}`, env);
  });
  const hosting = previews.environments ?? known;
  const cleanup = previews.cleanup ?? {};
  checkJobSchedule(k, 'previews.cleanup', cleanup);
  if (cleanup.maxDeletions !== undefined) k.int('previews.cleanup.maxDeletions', cleanup.maxDeletions, 1, PREVIEW_LIMITS.maxDeletions);
  if (cleanup.namespace !== undefined) k.label('previews.cleanup.namespace', cleanup.namespace);
  if (cleanup.team !== undefined) k.label('previews.cleanup.team', cleanup.team);

  const seen = new Map<string, number>();
  (previews.instances ?? []).forEach((instance, i) => {
    const at = `previews.instances[${i}]`;
    if (!hosting.includes(instance.environment)) {
      k.c.add(`${at}.environment`, `must be one of the environments holding previews: ${hosting.join(', ') || 'none'}`, instance.environment);
    }
    const preview = checkPreview(k, at, instance, previews, [...context.builtInProtected, cleanup.namespace ?? context.monitoringNamespace]);
    if (preview === undefined) return;
    const key = `${instance.environment}/${preview.namespace}`;
    const first = seen.get(key);
    if (first !== undefined) k.c.add(at, `gives the namespace ${preview.namespace} in ${instance.environment}, as previews.instances[${first}] does: each preview needs its own`, preview.namespace);
    else seen.set(key, i);
  });
}

/** Fills the defaults of the platform's previews; the input has passed `checkPreviews`. */
export function normalizePreviews(previews: PreviewsInput | undefined, context: PreviewContext): Previews {
  const p = previews ?? {};
  const q = p.quota ?? {};
  const lr = p.limitRange ?? {};
  const d = PREVIEWS_DEFAULTS;
  const environments = p.environments ?? context.environments.map((e) => e.name);
  const dryRunByEnvironment = Object.fromEntries(
    context.environments.filter((e) => environments.includes(e.name)).map((e) => [e.name, p.cleanup?.dryRun ?? !e.production]),
  );
  const namespace = p.cleanup?.namespace ?? context.monitoringNamespace;
  const builtIn = [...context.builtInProtected, namespace];
  return {
    label: p.label ?? d.label,
    namespacePrefix: p.namespacePrefix ?? d.namespacePrefix,
    protectedNamespaces: [...new Set([...builtIn, ...(p.protectedNamespaces ?? [])])].sort(),
    defaultTtl: p.defaultTtl ?? d.defaultTtl,
    maxTtl: p.maxTtl ?? d.maxTtl,
    quota: {
      requests: { cpu: q.requests?.cpu ?? d.quota.requests.cpu, memory: q.requests?.memory ?? d.quota.requests.memory },
      limits: { cpu: q.limits?.cpu ?? d.quota.limits.cpu, memory: q.limits?.memory ?? d.quota.limits.memory },
      pods: q.pods ?? d.quota.pods,
    },
    limitRange: {
      defaultRequest: { cpu: lr.defaultRequest?.cpu ?? d.limitRange.defaultRequest.cpu, memory: lr.defaultRequest?.memory ?? d.limitRange.defaultRequest.memory },
      default: { cpu: lr.default?.cpu ?? d.limitRange.default.cpu, memory: lr.default?.memory ?? d.limitRange.default.memory },
    },
    environments: context.environments.map((e) => e.name).filter((name) => environments.includes(name)),
    cleanup: {
      jobSchedule: normalizeJobSchedule(p.cleanup, d.schedule),
      maxDeletions: p.cleanup?.maxDeletions ?? d.maxDeletions,
      dryRunByEnvironment,
      namespace,
      team: p.cleanup?.team ?? d.team,
      admissionPolicy: p.cleanup?.admissionPolicy ?? true,
    },
    instances: (p.instances ?? []).map((instance) => {
      const resolved = checkPreview(new Checks(new IssueCollector('')), '', instance, p, builtIn) as Preview;
      return { environment: instance.environment, ...resolved };
    }),
  };
}
