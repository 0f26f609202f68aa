import { PREVIEWS_DEFAULTS, PreviewsInput, branchNamespace, definePlatform, defineService, pullRequestNamespace } from '../../lib/definition';
import { formatRfc3339, parseRfc3339 } from '../../lib/private/rfc3339';
import { createHash } from 'crypto';
import * as fc from 'fast-check';
import { platform, service, worker } from '../fixtures/definitions';

/** The issue lines a definition is refused with. */
function refusal(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof Error && e.name === 'DefinitionError') return e.message.split('\n').slice(1).map((l) => l.trim().replace(/^- /, ''));
    throw e;
  }
  throw new Error('was accepted');
}

const PR = { environment: 'dev', pullRequest: 42, owner: 'payments', createdAt: '2026-12-01T09:00:00Z' };

/** The shop platform (dev, staging, prod; prod production) with a checkout service and these previews. */
function withPreviews(previews: PreviewsInput | undefined, changes: Record<string, unknown> = {}) {
  return definePlatform(platform({ services: [defineService(service()), defineService(worker({ namespace: 'notifications' }))], previews, ...changes }));
}

function refused(previews: PreviewsInput | Record<string, unknown>, changes: Record<string, unknown> = {}): string[] {
  return refusal(() => withPreviews(previews as PreviewsInput, changes));
}

describe('preview settings of the platform', () => {
  it('are absent unless the definition sets them: no previews, no cleanup job', () => {
    expect(withPreviews(undefined).previews).toBeUndefined();
  });

  it('default every setting', () => {
    const p = withPreviews({}).previews;
    expect(p).toEqual({
      label: 'ops-constructs/preview',
      namespacePrefix: 'preview-',
      protectedNamespaces: ['default', 'ingress-nginx', 'kube-node-lease', 'kube-public', 'kube-system', 'monitoring', 'notifications', 'payments'],
      defaultTtl: '72h',
      maxTtl: '30d',
      quota: { requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '4', memory: '8Gi' }, pods: 20 },
      limitRange: { defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { cpu: '500m', memory: '256Mi' } },
      environments: ['dev', 'staging', 'prod'],
      cleanup: {
        jobSchedule: { schedule: '17 * * * *', timeZone: 'UTC', startingDeadlineSeconds: 300, activeDeadlineSeconds: 600, backoffLimit: 2, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 },
        maxDeletions: 10,
        dryRunByEnvironment: { dev: true, staging: true, prod: false },
        namespace: 'monitoring',
        team: 'platform',
        admissionPolicy: true,
      },
      instances: [],
    });
    expect(PREVIEWS_DEFAULTS).toMatchObject({ schedule: '17 * * * *', team: 'platform' });
    expect(PREVIEWS_DEFAULTS).toMatchObject({ label: p?.label, namespacePrefix: p?.namespacePrefix, defaultTtl: p?.defaultTtl, maxTtl: p?.maxTtl, quota: p?.quota, limitRange: p?.limitRange, maxDeletions: p?.cleanup.maxDeletions });
  });

  it('protect the namespaces of the cluster, the ingress, monitoring and dashboards, every service and those listed', () => {
    const p = withPreviews({ protectedNamespaces: ['argocd', 'payments'] }, { ingressNamespace: 'edge', monitoringNamespace: 'observability', dashboards: { namespace: 'grafana' } }).previews;
    expect(p?.protectedNamespaces).toEqual(['argocd', 'default', 'edge', 'grafana', 'kube-node-lease', 'kube-public', 'kube-system', 'notifications', 'observability', 'payments']);
  });

  it('run the cleanup dry outside production unless dryRun says otherwise, in the environments listed', () => {
    expect(withPreviews({ environments: ['prod', 'dev'] }).previews?.cleanup.dryRunByEnvironment).toEqual({ dev: true, prod: false });
    expect(withPreviews({ environments: ['prod', 'dev'] }).previews?.environments).toEqual(['dev', 'prod']);
    expect(withPreviews({ cleanup: { dryRun: false } }).previews?.cleanup.dryRunByEnvironment).toEqual({ dev: false, staging: false, prod: false });
    expect(withPreviews({ cleanup: { dryRun: true, maxDeletions: 3 } }).previews?.cleanup).toMatchObject({ maxDeletions: 3, dryRunByEnvironment: { dev: true, staging: true, prod: true } });
  });

  it('run the cleanup where, when, for whom and as locked down as the definition says, and protect its namespace', () => {
    const p = withPreviews({ cleanup: { namespace: 'platform-ops', team: 'sre', admissionPolicy: false, schedule: '*/15 * * * *', timeZone: 'Europe/Berlin' } }).previews;
    expect(p?.cleanup).toMatchObject({ namespace: 'platform-ops', team: 'sre', admissionPolicy: false, jobSchedule: { schedule: '*/15 * * * *', timeZone: 'Europe/Berlin' } });
    expect(p?.protectedNamespaces).toContain('platform-ops');
    expect(refused({ cleanup: { namespace: 'platform-ops' }, namespacePrefix: '', instances: [{ environment: 'dev', branch: 'platform-ops', owner: 'alice', createdAt: PR.createdAt }] })).toEqual([
      "shop.previews.instances[0].branch: gives the namespace platform-ops, which is protected: the cluster's, the platform's or a service's, or listed in previews.protectedNamespaces (got \"platform-ops\")",
    ]);
  });

  it('refuse a cleanup namespace or team that is no label, and schedule options Kubernetes refuses', () => {
    expect(refused({ cleanup: { namespace: 'Platform', team: 'SRE team', schedule: '0 3 * *', timeZone: 'europe/berlin' } })).toEqual([
      'shop.previews.cleanup.timeZone: must be an IANA time zone such as UTC or Europe/Berlin (case-sensitive, as Go reads it) (got "europe/berlin")',
      'shop.previews.cleanup.schedule: must be a cron expression of five fields (minute hour day-of-month month day-of-week, e.g. "0 3 * * *") or @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly; it has 4 fields (got "0 3 * *")',
      'shop.previews.cleanup.namespace: must be a DNS-1123 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (got "Platform")',
      'shop.previews.cleanup.team: must be a DNS-1123 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (got "SRE team")',
    ]);
  });

  it('take every setting given', () => {
    const given = {
      label: 'example.com/preview',
      namespacePrefix: 'pv-',
      defaultTtl: '1d',
      maxTtl: '7d',
      quota: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '3Gi' }, pods: 5 },
      limitRange: { defaultRequest: { cpu: '50m', memory: '64Mi' }, default: { cpu: '1', memory: '1Gi' } },
    };
    expect(withPreviews(given).previews).toMatchObject(given);
  });

  it('refuse a label every namespace or the library already carries, and a bad label key', () => {
    expect(refused({ label: 'kubernetes.io/metadata.name' })).toEqual(['shop.previews.label: is a label the library or Kubernetes sets; choose another key (got "kubernetes.io/metadata.name")']);
    expect(refused({ label: 'ops-constructs/owner' })).toEqual([
      'shop.previews.label: is a label the library sets on every preview namespace for another purpose (ops-constructs/owner, ops-constructs/pull-request, pod-security.kubernetes.io/*); choose another key (got "ops-constructs/owner")',
    ]);
    expect(refused({ label: 'pod-security.kubernetes.io/enforce' })).toEqual([
      'shop.previews.label: is a label the library sets on every preview namespace for another purpose (ops-constructs/owner, ops-constructs/pull-request, pod-security.kubernetes.io/*); choose another key (got "pod-security.kubernetes.io/enforce")',
    ]);
    expect(refused({ label: 'has space' })).toEqual(['shop.previews.label: must be a Kubernetes label key: an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or "." (got "has space")']);
  });

  it('refuse a prefix that cannot start a namespace name, and protected names that are none', () => {
    expect(refused({ namespacePrefix: 'Preview-', protectedNamespaces: ['argo_cd'] })).toEqual([
      'shop.previews.namespacePrefix: must be empty or start a DNS-1123 label: lower-case letters, digits and "-", starting with a letter, at most 30 characters (got "Preview-")',
      'shop.previews.protectedNamespaces[0]: must be a DNS-1123 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (got "argo_cd")',
    ]);
    expect(refused({ namespacePrefix: `${'p'.repeat(31)}` })).toEqual([
      `shop.previews.namespacePrefix: must be empty or start a DNS-1123 label: lower-case letters, digits and "-", starting with a letter, at most 30 characters (got "${'p'.repeat(31)}")`,
    ]);
  });

  it('refuse TTLs that are no durations, too short, or beyond the longest', () => {
    expect(refused({ defaultTtl: 'three days', maxTtl: 'forever' })).toEqual([
      'shop.previews.defaultTtl: must be a Prometheus duration such as 30s, 5m, 1h or 1d (got "three days")',
      'shop.previews.maxTtl: must be a Prometheus duration such as 30s, 5m, 1h or 1d (got "forever")',
    ]);
    expect(refused({ maxTtl: '400d' })).toEqual(['shop.previews.maxTtl: must be from 1h to 365d (got "400d")']);
    expect(refused({ maxTtl: '30m' })).toEqual(['shop.previews.maxTtl: must be from 1h to 365d (got "30m")']);
    expect(refused({ defaultTtl: '31d' })).toEqual(['shop.previews.defaultTtl: must be from 1h to previews.maxTtl 30d (got "31d")']);
    expect(refused({ defaultTtl: '59m' })).toEqual(['shop.previews.defaultTtl: must be from 1h to previews.maxTtl 30d (got "59m")']);
    expect(refused({ defaultTtl: '8d', maxTtl: '7d' })).toEqual(['shop.previews.defaultTtl: must be from 1h to previews.maxTtl 7d (got "8d")']);
  });

  it('refuse quantities Kubernetes does not read, and a pod count out of range', () => {
    expect(refused({ quota: { requests: { cpu: 'lots', memory: '4GB' }, pods: 0 }, limitRange: { default: { cpu: '0', memory: '1.5Gi' } } })).toEqual([
      'shop.previews.quota.requests.cpu: must be a CPU quantity such as 250m or 1.5 (at least 1m) (got "lots")',
      'shop.previews.quota.requests.memory: must be a memory quantity with a binary unit (Ki, Mi, Gi, Ti), e.g. 512Mi (got "4GB")',
      'shop.previews.quota.pods: must be an integer from 1 to 1000 (got 0)',
      'shop.previews.limitRange.default.cpu: must be a CPU quantity such as 250m or 1.5 (at least 1m) (got "0")',
      'shop.previews.limitRange.default.memory: must be a memory quantity with a binary unit (Ki, Mi, Gi, Ti), e.g. 512Mi (got "1.5Gi")',
    ]);
  });

  it('refuse requests above limits, container defaults above each other or above the quota', () => {
    expect(refused({ quota: { requests: { cpu: '8' } } })).toEqual(['shop.previews.quota.requests.cpu: must not exceed previews.quota.limits.cpu 4 (the default) (got "8")']);
    expect(refused({ quota: { limits: { memory: '2Gi' } } })).toEqual(['shop.previews.quota.limits.memory: must be at least previews.quota.requests.memory 4Gi (the default) (got "2Gi")']);
    expect(refused({ quota: { requests: { cpu: '3' }, limits: { cpu: '2' } } })).toEqual(['shop.previews.quota.requests.cpu: must not exceed previews.quota.limits.cpu 2 (got "3")']);
    expect(refused({ limitRange: { defaultRequest: { memory: '512Mi' } } })).toEqual(['shop.previews.limitRange.defaultRequest.memory: must not exceed previews.limitRange.default.memory 256Mi (the default) (got "512Mi")']);
    expect(refused({ limitRange: { default: { cpu: '6' } } })).toEqual(['shop.previews.limitRange.default.cpu: must not exceed previews.quota.limits.cpu 4 (the default) (got "6")']);
    expect(refused({ quota: { requests: { cpu: '50m' } } })).toEqual(['shop.previews.quota.requests.cpu: must be at least previews.limitRange.defaultRequest.cpu 100m (the default) (got "50m")']);
  });

  it('refuse unknown environments and a deletion cap out of range', () => {
    expect(refused({ environments: ['dev', 'qa'], cleanup: { maxDeletions: 0 } })).toEqual([
      'shop.previews.environments[1]: names an unknown environment; known: dev, staging, prod (got "qa")',
      'shop.previews.cleanup.maxDeletions: must be an integer from 1 to 100 (got 0)',
    ]);
    expect(refused({ cleanup: { maxDeletions: 2.5 } })).toEqual(['shop.previews.cleanup.maxDeletions: must be an integer from 1 to 100 (got 2.5)']);
  });

  it('refuse settings of the wrong shape, and unknown keys with a hint', () => {
    expect(refused({ cleanup: { dryrun: false }, protectedNamespaces: 'kube-system' })).toEqual([
      'shop.previews.cleanup.dryrun: is not a known field; did you mean dryRun? (got false)',
      'shop.previews.protectedNamespaces: must be a list of namespace names (got "kube-system")',
    ]);
  });
});

describe('preview environments the definition declares', () => {
  it('are named after their pull request or branch and expire after the default TTL from their creation', () => {
    const p = withPreviews({ instances: [PR, { environment: 'staging', branch: 'feature/login', owner: 'alice', createdAt: '2026-12-01T10:00:00+01:00', ttl: '1d' }] }).previews;
    expect(p?.instances).toEqual([
      { environment: 'dev', namespace: 'preview-pr-42', owner: 'payments', pullRequest: 42, createdAt: '2026-12-01T09:00:00Z', expiresAt: '2026-12-04T09:00:00Z' },
      { environment: 'staging', namespace: `preview-feature-login-${createHash('sha256').update('feature/login').digest('hex').slice(0, 8)}`, owner: 'alice', branch: 'feature/login', createdAt: '2026-12-01T10:00:00+01:00', ttl: '1d', expiresAt: '2026-12-02T09:00:00Z' },
    ]);
  });

  it('take an expiry in any offset and hold it in UTC', () => {
    const p = withPreviews({ instances: [{ environment: 'dev', pullRequest: 7, owner: 'alice', expiresAt: '2026-12-05T00:00:00-05:00' }] }).previews;
    expect(p?.instances[0]).toEqual({ environment: 'dev', namespace: 'preview-pr-7', owner: 'alice', pullRequest: 7, expiresAt: '2026-12-05T05:00:00Z' });
  });

  it('default to none', () => {
    expect(withPreviews({}).previews?.instances).toEqual([]);
  });

  it('refuse a preview with neither or both of pullRequest and branch, or bad ones', () => {
    expect(refused({ instances: [{ environment: 'dev', owner: 'alice', createdAt: PR.createdAt }, { ...PR, branch: 'main' }] })).toEqual([
      'shop.previews.instances[0]: must give exactly one of pullRequest and branch: the namespace is named after it (got {})',
      'shop.previews.instances[1]: must give exactly one of pullRequest and branch: the namespace is named after it (got {"pullRequest":42,"branch":"main"})',
    ]);
    const branchProblem =
      'must be a git branch name: 1-255 characters, no spaces, control characters, "..", or any of ~^:?*[\\, not starting with "-" or "/", not ending with "/", "." or ".lock"';
    expect(refused({ instances: [{ ...PR, pullRequest: 0 }, { ...PR, pullRequest: 1.5 }, ...['a..b', 'fix it', '-x', 'x/', 'x.lock', 'a:b', ''].map((branch) => ({ environment: 'dev', branch, owner: 'alice', createdAt: PR.createdAt }))] })).toEqual([
      'shop.previews.instances[0].pullRequest: must be an integer from 1 to 999999999 (got 0)',
      'shop.previews.instances[1].pullRequest: must be an integer from 1 to 999999999 (got 1.5)',
      `shop.previews.instances[2].branch: ${branchProblem} (got "a..b")`,
      `shop.previews.instances[3].branch: ${branchProblem} (got "fix it")`,
      `shop.previews.instances[4].branch: ${branchProblem} (got "-x")`,
      `shop.previews.instances[5].branch: ${branchProblem} (got "x/")`,
      `shop.previews.instances[6].branch: ${branchProblem} (got "x.lock")`,
      `shop.previews.instances[7].branch: ${branchProblem} (got "a:b")`,
      `shop.previews.instances[8].branch: ${branchProblem} (got "")`,
    ]);
  });

  it('refuse an owner that is no label value, an environment without previews, and a protected namespace', () => {
    expect(
      refused({
        namespacePrefix: '',
        environments: ['dev'],
        instances: [
          { ...PR, owner: '' },
          { ...PR, owner: 'Alice Smith', pullRequest: 2 },
          { ...PR, environment: 'prod', pullRequest: 3 },
          { environment: 'dev', branch: 'payments', owner: 'alice', createdAt: PR.createdAt },
          { environment: 'dev', branch: 'kube-system', owner: 'alice', createdAt: PR.createdAt },
        ],
      }),
    ).toEqual([
      'shop.previews.instances[0].owner: must be a Kubernetes label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit, not empty (got "")',
      'shop.previews.instances[1].owner: must be a Kubernetes label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit (got "Alice Smith")',
      'shop.previews.instances[2].environment: must be one of the environments holding previews: dev (got "prod")',
      "shop.previews.instances[3].branch: gives the namespace payments, which is protected: the cluster's, the platform's or a service's, or listed in previews.protectedNamespaces (got \"payments\")",
      "shop.previews.instances[4].branch: gives the namespace kube-system, which is protected: the cluster's, the platform's or a service's, or listed in previews.protectedNamespaces (got \"kube-system\")",
    ]);
  });

  it('refuse timestamps that are not RFC 3339 or no real time, and an expiry given twice', () => {
    const problem = 'must be an RFC 3339 timestamp with seconds and a Z or ±hh:mm offset, such as 2026-12-01T09:00:00Z or 2026-12-01T10:00:00+01:00, of a real date and time';
    expect(
      refused({
        instances: [
          { ...PR, createdAt: '2026-02-29T09:00:00Z' },
          { ...PR, pullRequest: 2, createdAt: '2026-12-01 09:00' },
          { ...PR, pullRequest: 3, expiresAt: '2026-12-05T09:00:00+25:00' },
          { ...PR, pullRequest: 4, ttl: '1d', expiresAt: '2026-12-05T09:00:00Z' },
        ],
      }),
    ).toEqual([
      `shop.previews.instances[0].createdAt: ${problem} (got "2026-02-29T09:00:00Z")`,
      `shop.previews.instances[1].createdAt: ${problem} (got "2026-12-01 09:00")`,
      `shop.previews.instances[2].expiresAt: ${problem} (got "2026-12-05T09:00:00+25:00")`,
      'shop.previews.instances[3].ttl: must not be given with expiresAt: give the expiry one way (got "1d")',
    ]);
  });

  it('refuse a TTL without a creation time (there is no clock), out of bounds, or an expiry too close or too far', () => {
    expect(
      refused({
        maxTtl: '7d',
        instances: [
          { environment: 'dev', pullRequest: 1, owner: 'alice' },
          { ...PR, pullRequest: 2, ttl: '30m' },
          { ...PR, pullRequest: 3, ttl: '8d' },
          { ...PR, pullRequest: 4, expiresAt: '2026-12-01T09:30:00Z' },
          { ...PR, pullRequest: 5, expiresAt: '2026-12-09T09:00:01Z' },
          { ...PR, pullRequest: 6, ttl: 'a week' },
          { ...PR, pullRequest: 7, createdAt: '9999-12-31T00:00:00Z' },
        ],
      }),
    ).toEqual([
      'shop.previews.instances[0].createdAt: is needed to count the TTL 72h from, or give expiresAt: the library has no clock (got undefined)',
      'shop.previews.instances[1].ttl: must be from 1h to previews.maxTtl 7d (got "30m")',
      'shop.previews.instances[2].ttl: must be from 1h to previews.maxTtl 7d (got "8d")',
      'shop.previews.instances[3].expiresAt: must be from 1h to previews.maxTtl 7d after createdAt 2026-12-01T09:00:00Z (got "2026-12-01T09:30:00Z")',
      'shop.previews.instances[4].expiresAt: must be from 1h to previews.maxTtl 7d after createdAt 2026-12-01T09:00:00Z (got "2026-12-09T09:00:01Z")',
      'shop.previews.instances[5].ttl: must be a Prometheus duration such as 30s, 5m, 1h or 1d (got "a week")',
      'shop.previews.instances[6].createdAt: gives an expiry after the year 9999 (got "9999-12-31T00:00:00Z")',
    ]);
  });

  it('refuse two previews of one namespace in one environment, and allow it in two', () => {
    expect(refused({ instances: [PR, { ...PR, owner: 'alice' }] })).toEqual([
      'shop.previews.instances[1]: gives the namespace preview-pr-42 in dev, as previews.instances[0] does: each preview needs its own (got "preview-pr-42")',
    ]);
    expect(withPreviews({ instances: [PR, { ...PR, environment: 'staging' }] }).previews?.instances.map((i) => `${i.environment}/${i.namespace}`)).toEqual(['dev/preview-pr-42', 'staging/preview-pr-42']);
  });
});

describe('preview namespace names', () => {
  it('of a pull request are the prefix, pr- and its number', () => {
    expect(pullRequestNamespace('preview-', 123)).toBe('preview-pr-123');
    expect(pullRequestNamespace('', 999999999)).toBe('pr-999999999');
  });

  it('of a branch are the branch itself when it is a name already, and otherwise end in its hash', () => {
    expect(branchNamespace('preview-', 'login-form')).toBe('preview-login-form');
    expect(branchNamespace('preview-', 'Feature/Login')).toMatch(/^preview-feature-login-[0-9a-f]{8}$/);
    expect(branchNamespace('preview-', 'feature/login')).not.toBe(branchNamespace('preview-', 'feature-login'));
    expect(branchNamespace('', '2026-rewrite')).toMatch(/^b-2026-rewrite-[0-9a-f]{8}$/);
    expect(branchNamespace('preview-', '___')).toMatch(/^preview-[0-9a-f]{8}$/);
  });

  it('are DNS-1123 labels of at most 63 characters for any branch and prefix', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^([a-z][-a-z0-9]{0,29})?$/), fc.string({ minLength: 1, maxLength: 255 }), (prefix, branch) => {
        const name = branchNamespace(prefix, branch);
        return name.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name);
      }),
      { numRuns: 500, seed: 12 },
    );
  });
});

describe('RFC 3339 timestamps', () => {
  it('read as JavaScript reads them, for any instant in any offset', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62135596800 + 86400, max: 253402300799 - 86400 }), fc.integer({ min: -1439, max: 1439 }), (seconds, offset) => {
        const local = new Date((seconds + offset * 60) * 1000).toISOString().slice(0, 19);
        const sign = offset < 0 ? '-' : '+';
        const zone = `${sign}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
        return parseRfc3339(`${local}${zone}`) === seconds && parseRfc3339(formatRfc3339(seconds)) === seconds;
      }),
      { numRuns: 1000, seed: 3339 },
    );
  });
});
