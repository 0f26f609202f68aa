/**
 * The GitOps hand-off (`gitops` of the platform): where Argo CD finds the synthesized
 * manifests in the platform repository, which cluster each environment deploys to, and how
 * it syncs. Production waits for a person by default.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/
 */
import { Checks, URL_PROBLEM, hasCredentials, urlProblem } from './checks';
import { bool, map, obj, str } from './shape';

/** How Argo CD syncs an environment. */
export interface GitOpsSyncInput {
  /** Sync every change of the repository by itself. @default false in production environments, true elsewhere */
  readonly automated?: boolean;
  /** Undo changes made in the cluster by hand (automated sync only). @default true */
  readonly selfHeal?: boolean;
  /** Delete objects that left the manifests (automated sync only). @default true */
  readonly prune?: boolean;
}

/** What one environment sets apart from the others. */
export interface GitOpsEnvironmentInput {
  /** The environment's cluster, its API server URL as Argo CD knows it. @default the gitops `server` */
  readonly server?: string;
  /** @default the gitops `sync` */
  readonly sync?: GitOpsSyncInput;
}

/** The platform repository Argo CD deploys from. */
export interface GitOpsInput {
  /** The repository as Argo CD clones it: `https://…` (no credentials), `ssh://…` or `git@host:org/repo.git`. */
  readonly repoURL: string;
  /** The branch, tag or commit. @default 'HEAD' */
  readonly targetRevision?: string;
  /**
   * The folder of an environment's synthesized Kubernetes manifests in the repository, relative
   * to its root; `{environment}` stands for the environment's name.
   * @default 'dist/k8s/{environment}'
   */
  readonly path?: string;
  /** Namespace of Argo CD, where the Applications and AppProjects go. @default 'argocd' */
  readonly namespace?: string;
  /** The cluster every environment deploys to unless it names its own. @default 'https://kubernetes.default.svc' */
  readonly server?: string;
  /** @default see GitOpsSyncInput */
  readonly sync?: GitOpsSyncInput;
  /** Per environment name: its cluster and sync. @default {} */
  readonly environments?: Readonly<Record<string, GitOpsEnvironmentInput>>;
}

/** Normalized GitOps settings. */
export interface GitOps {
  readonly repoURL: string;
  readonly targetRevision: string;
  readonly path: string;
  readonly namespace: string;
  readonly server: string;
  readonly sync: { readonly automated?: boolean; readonly selfHeal: boolean; readonly prune: boolean };
  readonly environments: Readonly<Record<string, GitOpsEnvironmentInput>>;
}

/** The GitOps settings of one environment, every default resolved. */
export interface GitOpsTarget {
  readonly repoURL: string;
  readonly targetRevision: string;
  /** The environment's folder in the repository. */
  readonly path: string;
  readonly namespace: string;
  readonly server: string;
  readonly sync: { readonly automated: boolean; readonly selfHeal: boolean; readonly prune: boolean };
}

/** The placeholder of the environment's name in `path`. */
export const ENVIRONMENT_PLACEHOLDER = '{environment}';

/** GitOps settings when a definition gives none: the only source of the `@default`s above. */
export const GITOPS_DEFAULTS = Object.freeze({
  targetRevision: 'HEAD',
  path: `dist/k8s/${ENVIRONMENT_PLACEHOLDER}`,
  namespace: 'argocd',
  server: 'https://kubernetes.default.svc',
  selfHeal: true,
  prune: true,
});

const REPO_PROBLEM = 'must be a repository URL Argo CD clones: https://host/path without credentials, ssh://user@host/path or user@host:path';
const REVISION_PROBLEM = 'must be a branch, tag or commit: letters, digits, ".", "_", "-" and "/", at most 255 characters, no "..", not starting with "-" or "/"';
const PATH_PROBLEM = `must be a folder relative to the repository's root: segments of letters, digits, ".", "_", "-" or ${ENVIRONMENT_PLACEHOLDER}, no "..", no leading or trailing "/"`;
const SSH_URL = /^ssh:\/\/([A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+(:\d{1,5})?\/[A-Za-z0-9._~/-]+$/;
const SCP_URL = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~][A-Za-z0-9._~/-]*$/;
const REVISION = /^(?!-)(?!\/)(?!.*\.\.)(?!.*\/\/)(?!.*\/$)(?!.*\.lock$)[A-Za-z0-9._/-]{1,255}$/;
const PATH_SEGMENT = /^([A-Za-z0-9._-]|\{environment\})+$/;

const syncSchema = obj({ automated: bool().optional(), selfHeal: bool().optional(), prune: bool().optional() });

/** Schema of the platform's `gitops`. */
export const gitopsSchema = obj({
  repoURL: str(REPO_PROBLEM),
  targetRevision: str(REVISION_PROBLEM).optional(),
  path: str(PATH_PROBLEM).optional(),
  namespace: str().optional(),
  server: str(URL_PROBLEM).optional(),
  sync: syncSchema.optional(),
  environments: map(obj({ server: str(URL_PROBLEM).optional(), sync: syncSchema.optional() }), 'must map environment names to { server?, sync? }').optional(),
});

/** Checks the platform's `gitops` against its environments. */
export function checkGitOps(k: Checks, gitops: GitOpsInput | undefined, environments: readonly string[]): void {
  if (gitops === undefined) return;
  const repo = gitops.repoURL;
  if (/^https?:\/\//.test(repo)) {
    const problem = urlProblem(repo);
    if (problem !== undefined) k.c.add('gitops.repoURL', problem, repo);
    else if (hasCredentials(repo)) k.c.add('gitops.repoURL', 'must not carry credentials: give Argo CD a repository Secret instead', '<redacted>');
  } else if (!SSH_URL.test(repo) && !SCP_URL.test(repo)) {
    k.c.add('gitops.repoURL', REPO_PROBLEM, repo);
  }
  if (gitops.targetRevision !== undefined && !REVISION.test(gitops.targetRevision)) k.c.add('gitops.targetRevision', REVISION_PROBLEM, gitops.targetRevision);
  if (gitops.path !== undefined) {
    const segments = gitops.path.split('/');
    if (gitops.path === '' || segments.some((s) => s === '..' || s === '' || !PATH_SEGMENT.test(s))) {
      k.c.add('gitops.path', PATH_PROBLEM, gitops.path);
    } else if (environments.length > 1 && !gitops.path.includes(ENVIRONMENT_PLACEHOLDER)) {
      k.c.add('gitops.path', `must contain ${ENVIRONMENT_PLACEHOLDER}: each environment's manifests are in a folder of their own`, gitops.path);
    }
  }
  if (gitops.namespace !== undefined) k.label('gitops.namespace', gitops.namespace);
  if (gitops.server !== undefined) k.plainUrl('gitops.server', gitops.server);
  for (const [name, env] of Object.entries(gitops.environments ?? {})) {
    if (!environments.includes(name)) k.c.add(`gitops.environments.${name}`, `names an unknown environment; known: ${environments.join(', ')}`, name);
    if (env.server !== undefined) k.plainUrl(`gitops.environments.${name}.server`, env.server);
  }
  // Environments share names and namespaces: two on one cluster would overwrite each other. The
  // in-cluster address is each cluster's own Argo CD, so environments may all use it.
  const byServer = new Map<string, string[]>();
  for (const name of environments) {
    const own = gitops.environments !== undefined && Object.hasOwn(gitops.environments, name) ? gitops.environments[name].server : undefined;
    const server = own ?? gitops.server ?? GITOPS_DEFAULTS.server;
    if (server !== GITOPS_DEFAULTS.server) byServer.set(server, [...(byServer.get(server) ?? []), name]);
  }
  for (const [server, names] of byServer) {
    if (names.length > 1) {
      k.c.add(gitops.server === server ? 'gitops.server' : `gitops.environments.${names[1]}.server`, `sends ${names.join(' and ')} to one cluster, where their objects (same names, same namespaces) would overwrite each other; give each environment its own cluster`, server);
    }
  }
}

/** Fills the GitOps defaults. */
export function normalizeGitOps(input: GitOpsInput): GitOps {
  const d = GITOPS_DEFAULTS;
  const automated = input.sync?.automated;
  return {
    repoURL: input.repoURL,
    targetRevision: input.targetRevision ?? d.targetRevision,
    path: input.path ?? d.path,
    namespace: input.namespace ?? d.namespace,
    server: input.server ?? d.server,
    sync: { ...(automated !== undefined ? { automated } : {}), selfHeal: input.sync?.selfHeal ?? d.selfHeal, prune: input.sync?.prune ?? d.prune },
    environments: Object.fromEntries(Object.entries(input.environments ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

/** The GitOps settings of one environment: its own over the platform's; automated sync off in production unless set. */
export function gitopsTarget(gitops: GitOps, environment: { readonly name: string; readonly production: boolean }): GitOpsTarget {
  const own = Object.hasOwn(gitops.environments, environment.name) ? gitops.environments[environment.name] : undefined;
  return {
    repoURL: gitops.repoURL,
    targetRevision: gitops.targetRevision,
    path: gitops.path.split(ENVIRONMENT_PLACEHOLDER).join(environment.name),
    namespace: gitops.namespace,
    server: own?.server ?? gitops.server,
    sync: {
      automated: own?.sync?.automated ?? gitops.sync.automated ?? !environment.production,
      selfHeal: own?.sync?.selfHeal ?? gitops.sync.selfHeal,
      prune: own?.sync?.prune ?? gitops.sync.prune,
    },
  };
}
