import { DefinitionError, GITOPS_DEFAULTS, GitOpsInput, PlatformDefinitionInput, definePlatform, gitopsTarget } from '../../lib/definition';
import { bad, platform } from '../fixtures/definitions';

const REPO = 'https://git.example.com/shop/platform.git';

function gitops(input: GitOpsInput, changes: Partial<PlatformDefinitionInput> = {}) {
  const p = definePlatform(platform({ ...changes, gitops: input }));
  if (p.gitops === undefined) throw new Error('gitops expected');
  return { platform: p, gitops: p.gitops };
}

function problems(input: unknown, changes: Partial<PlatformDefinitionInput> = {}): readonly string[] {
  try {
    definePlatform(platform({ ...changes, gitops: bad<GitOpsInput>(input) }));
  } catch (error) {
    if (error instanceof DefinitionError) return error.lines;
    throw error;
  }
  throw new Error('expected a DefinitionError, but the definition was accepted');
}

describe('gitops defaults', () => {
  it('has no GitOps hand-off unless declared', () => {
    expect(definePlatform(platform()).gitops).toBeUndefined();
  });

  it('reads HEAD of dist/k8s/<environment>, installs into argocd and deploys in-cluster', () => {
    expect(gitops({ repoURL: REPO }).gitops).toEqual({ repoURL: REPO, targetRevision: 'HEAD', path: 'dist/k8s/{environment}', namespace: 'argocd', server: 'https://kubernetes.default.svc', sync: { selfHeal: true, prune: true }, environments: {} });
    expect(GITOPS_DEFAULTS).toEqual({ targetRevision: 'HEAD', path: 'dist/k8s/{environment}', namespace: 'argocd', server: 'https://kubernetes.default.svc', selfHeal: true, prune: true });
  });

  it('syncs by itself, healing and pruning, outside production, and waits for a person in production', () => {
    const { platform: p, gitops: g } = gitops({ repoURL: REPO });
    const env = (name: string) => p.environments.find((e) => e.name === name) ?? { name, production: false };
    expect(gitopsTarget(g, env('dev'))).toEqual({ repoURL: REPO, targetRevision: 'HEAD', path: 'dist/k8s/dev', namespace: 'argocd', server: 'https://kubernetes.default.svc', sync: { automated: true, selfHeal: true, prune: true } });
    expect(gitopsTarget(g, env('prod')).sync).toEqual({ automated: false, selfHeal: true, prune: true });
  });

  it('takes the platform\'s sync over the defaults and an environment\'s over the platform\'s', () => {
    const { platform: p, gitops: g } = gitops({ repoURL: REPO, sync: { automated: true, prune: false }, environments: { dev: { server: 'https://dev.k8s.example.com', sync: { selfHeal: false } } } });
    const [dev, , prod] = p.environments;
    expect(gitopsTarget(g, dev)).toMatchObject({ server: 'https://dev.k8s.example.com', sync: { automated: true, selfHeal: false, prune: false } });
    expect(gitopsTarget(g, prod)).toMatchObject({ server: 'https://kubernetes.default.svc', sync: { automated: true, selfHeal: true, prune: false } });
  });
});

describe('gitops rules', () => {
  it('accepts https, ssh and scp-like repository URLs', () => {
    for (const repoURL of [REPO, 'ssh://git@git.example.com/shop/platform.git', 'git@github.com:shop/platform.git']) expect(gitops({ repoURL }).gitops.repoURL).toBe(repoURL);
  });

  it('refuses a repository URL Argo CD cannot clone, or one with credentials', () => {
    expect(problems({ repoURL: 'platform.git' })).toEqual(['shop.gitops.repoURL: must be a repository URL Argo CD clones: https://host/path without credentials, ssh://user@host/path or user@host:path (got "platform.git")']);
    expect(problems({ repoURL: 'https://ci:s3cret@git.example.com/shop/platform.git' })).toEqual(['shop.gitops.repoURL: must not carry credentials: give Argo CD a repository Secret instead (got "<redacted>")']);
  });

  it('refuses a revision that is no git ref', () => {
    expect(problems({ repoURL: REPO, targetRevision: 'release/..' })).toEqual([
      'shop.gitops.targetRevision: must be a branch, tag or commit: letters, digits, ".", "_", "-" and "/", at most 255 characters, no "..", not starting with "-" or "/" (got "release/..")',
    ]);
    expect(gitops({ repoURL: REPO, targetRevision: 'release/2025-10' }).gitops.targetRevision).toBe('release/2025-10');
  });

  it('refuses a path that leaves the repository, and one shared by every environment', () => {
    expect(problems({ repoURL: REPO, path: '../dist/{environment}' })).toEqual([
      'shop.gitops.path: must be a folder relative to the repository\'s root: segments of letters, digits, ".", "_", "-" or {environment}, no "..", no leading or trailing "/" (got "../dist/{environment}")',
    ]);
    expect(problems({ repoURL: REPO, path: '/dist/k8s' })[0]).toMatch(/\(got "\/dist\/k8s"\)$/);
    expect(problems({ repoURL: REPO, path: 'dist/k8s' })).toEqual(["shop.gitops.path: must contain {environment}: each environment's manifests are in a folder of their own (got \"dist/k8s\")"]);
    expect(gitops({ repoURL: REPO, path: 'clusters/shop' }, { environments: ['prod'] }).gitops.path).toBe('clusters/shop');
  });

  it('refuses a namespace that is no DNS label, and servers that are no URL', () => {
    expect(problems({ repoURL: REPO, namespace: 'Argo CD' })).toEqual(['shop.gitops.namespace: must be a DNS-1123 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (got "Argo CD")']);
    expect(problems({ repoURL: REPO, environments: { prod: { server: 'prod-cluster' } } })).toEqual(['shop.gitops.environments.prod.server: must be an http:// or https:// URL (got "prod-cluster")']);
  });

  it('refuses an environment the platform does not have', () => {
    expect(problems({ repoURL: REPO, environments: { qa: { sync: { automated: true } } } })).toEqual(['shop.gitops.environments.qa: names an unknown environment; known: dev, staging, prod (got "qa")']);
  });

  it('refuses two environments on one cluster other than each Argo CD\'s own', () => {
    expect(problems({ repoURL: REPO, server: 'https://k8s.example.com' })).toEqual([
      'shop.gitops.server: sends dev and staging and prod to one cluster, where their objects (same names, same namespaces) would overwrite each other; give each environment its own cluster (got "https://k8s.example.com")',
    ]);
    expect(problems({ repoURL: REPO, environments: { staging: { server: 'https://k8s.example.com' }, prod: { server: 'https://k8s.example.com' } } })).toEqual([
      'shop.gitops.environments.prod.server: sends staging and prod to one cluster, where their objects (same names, same namespaces) would overwrite each other; give each environment its own cluster (got "https://k8s.example.com")',
    ]);
  });

  it('refuses unknown settings with a hint', () => {
    expect(problems({ repoURL: REPO, revision: 'main' })[0]).toMatch(/^shop\.gitops\.revision: is not a known field/);
  });
});
