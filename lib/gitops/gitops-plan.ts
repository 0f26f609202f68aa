/**
 * The GitOps hand-off of a platform as plain data: an Argo CD Application per service and
 * environment, one per environment for the platform's own manifests (namespaces, alert routing,
 * fleet dashboard), and an AppProject per team that admits only the team's namespaces.
 *
 * Each service's Application reads exactly its file of the environment's folder
 * (`<service>.k8s.yaml`); the platform's reads every other file of the folder. Game-day
 * experiments are written outside that folder, so no sync ever starts one.
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/directory/
 */
import { EffectiveService, PlatformDefinition, effectiveServices } from '../definition';
import { GitOpsTarget, gitopsTarget } from '../definition/gitops';
import { MANAGED_BY } from '../k8s/labels';
import { platformOutputs } from '../k8s/platform-outputs';
import { cleanupJobPlan } from '../ops/cleanup-cron-job';
import { previewSettings } from '../ops/preview-environment';

/** A Kubernetes kind a project admits, by API group. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** Where an Application deploys. */
export interface Destination {
  readonly server: string;
  readonly namespace: string;
}

/** One Argo CD Application. */
export interface ApplicationPlan {
  /** `<platform>-<service>-<env>`, or `<platform>-<env>` for the platform's own manifests. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly project: string;
  readonly environment: string;
  /** The service, or absent for the platform's Application. */
  readonly service?: string;
  readonly source: {
    readonly repoURL: string;
    readonly targetRevision: string;
    readonly path: string;
    /** The files of the folder it reads: one file, or every file but the services'. */
    readonly directory: { readonly recurse: boolean; readonly include?: string; readonly exclude?: string };
  };
  readonly destination: Destination;
  readonly sync: GitOpsTarget['sync'];
  /** The output file, relative to the output folder. */
  readonly file: string;
}

/** One Argo CD AppProject. */
export interface AppProjectPlan {
  /** `<platform>-<team>`, or `<platform>` for the platform's own manifests. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly description: string;
  readonly sourceRepos: readonly string[];
  /** Every cluster and namespace its Applications may deploy to, sorted. */
  readonly destinations: readonly Destination[];
  /** The cluster-scoped kinds its Applications may create; none for a team. */
  readonly clusterResourceWhitelist: readonly GroupKind[];
}

/** A platform's GitOps objects. */
export interface GitOpsPlan {
  readonly applications: readonly ApplicationPlan[];
  readonly projects: readonly AppProjectPlan[];
  /** The file of the AppProjects, relative to the output folder. */
  readonly projectsFile: string;
}

/** The cluster-scoped kinds of the platform's own manifests always: the namespace charts' Namespaces. */
export const PLATFORM_CLUSTER_RESOURCES: readonly GroupKind[] = Object.freeze([Object.freeze({ group: '', kind: 'Namespace' })]);

/** The cluster-scoped kinds a platform job with cluster-wide permissions adds (its ClusterRole and binding). */
const CLUSTER_RBAC: readonly GroupKind[] = [
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
];

/** The cluster-scoped kinds of the preview cleanup's admission policy. */
const ADMISSION_POLICY: readonly GroupKind[] = [
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding' },
];

/**
 * What the platform's own manifests reach beyond the services' namespaces, in every environment:
 * the namespaces of its scheduled jobs and of the declared previews, and the cluster-scoped kinds
 * of its jobs (RBAC of a job with cluster-wide permissions, the cleanup's admission policy).
 */
function platformReach(platform: PlatformDefinition): { namespaces: string[]; clusterKinds: GroupKind[] } {
  const namespaces = new Set<string>((platform.previews?.instances ?? []).map((p) => p.namespace));
  const kinds = new Map<string, GroupKind>(PLATFORM_CLUSTER_RESOURCES.map((k) => [`${k.group}/${k.kind}`, k]));
  const add = (list: readonly GroupKind[]): void => list.forEach((k) => kinds.set(`${k.group}/${k.kind}`, k));
  for (const env of platform.environments) {
    for (const job of platformOutputs(platform, env.name).jobs) {
      namespaces.add(job.namespace);
      if (job.permissions?.scope === 'cluster') add(CLUSTER_RBAC);
    }
    if (cleanupJobPlan(platform, env.name) !== undefined && previewSettings(platform).cleanup.admissionPolicy) add(ADMISSION_POLICY);
  }
  const byKey = (a: GroupKind, b: GroupKind): number => (`${a.group}/${a.kind}` < `${b.group}/${b.kind}` ? -1 : 1);
  return { namespaces: [...namespaces], clusterKinds: [...kinds.values()].sort(byKey) };
}

/** The folder of the GitOps objects, relative to the output folder. */
export const GITOPS_FOLDER = 'gitops';

/** The file of a service's manifests in its environment's folder, as synthesis writes it. */
export function serviceManifestFile(service: Pick<EffectiveService, 'name'>): string {
  return `${service.name}.k8s.yaml`;
}

/** An Argo CD directory pattern of one or more files: `a` or `{a,b}`. */
function pattern(files: readonly string[]): string {
  return files.length === 1 ? files[0] : `{${files.join(',')}}`;
}

function byDestination(a: Destination, b: Destination): number {
  return a.server < b.server ? -1 : a.server > b.server ? 1 : a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0;
}

/** Every server × namespace pair, sorted, without repeats. */
function destinations(servers: readonly string[], namespaces: readonly string[]): Destination[] {
  const seen = new Map<string, Destination>();
  for (const server of servers) for (const namespace of namespaces) seen.set(`${server} ${namespace}`, { server, namespace });
  return [...seen.values()].sort(byDestination);
}

/**
 * The GitOps objects of a platform, or `undefined` when it declares no `gitops`.
 *
 * A team's project admits its services' namespaces and the namespaces its service charts also
 * write to: the monitoring namespace (Loki rules) and the dashboards namespace (the service's
 * Grafana dashboard), where the sidecars watch. It admits no cluster-scoped kind.
 *
 * @example
 * gitopsPlan(platform)?.applications.map((a) => a.name); // ['shop-dev', 'shop-catalog-dev', ...]
 */
export function gitopsPlan(platform: PlatformDefinition): GitOpsPlan | undefined {
  const gitops = platform.gitops;
  if (gitops === undefined) return undefined;
  const targets = platform.environments.map((env) => ({ env, target: gitopsTarget(gitops, env) }));
  const servers = [...new Set(targets.map((t) => t.target.server))].sort();
  const shared = [...new Set([platform.monitoringNamespace, platform.dashboards.namespace])];
  const labels = (extra: Record<string, string>): Record<string, string> => ({ 'app.kubernetes.io/managed-by': MANAGED_BY, 'app.kubernetes.io/part-of': platform.name, ...extra });
  const applications: ApplicationPlan[] = [];
  const teamNamespaces = new Map<string, Set<string>>();
  for (const { env, target } of targets) {
    const services = effectiveServices(platform, env.name);
    const source = { repoURL: target.repoURL, targetRevision: target.targetRevision, path: target.path };
    applications.push({
      name: `${platform.name}-${env.name}`,
      namespace: target.namespace,
      labels: labels({ 'app.kubernetes.io/component': 'platform' }),
      project: platform.name,
      environment: env.name,
      source: { ...source, directory: { recurse: true, ...(services.length > 0 ? { exclude: pattern(services.map(serviceManifestFile)) } : {}) } },
      destination: { server: target.server, namespace: platform.monitoringNamespace },
      sync: target.sync,
      file: `${GITOPS_FOLDER}/${env.name}/platform.k8s.yaml`,
    });
    for (const service of services) {
      const namespaces = teamNamespaces.get(service.team) ?? new Set<string>();
      namespaces.add(service.namespace);
      teamNamespaces.set(service.team, namespaces);
      applications.push({
        name: `${platform.name}-${service.name}-${env.name}`,
        namespace: target.namespace,
        labels: labels({ 'app.kubernetes.io/name': service.name, team: service.team }),
        project: `${platform.name}-${service.team}`,
        environment: env.name,
        service: service.name,
        source: { ...source, directory: { recurse: false, include: serviceManifestFile(service) } },
        destination: { server: target.server, namespace: service.namespace },
        sync: target.sync,
        file: `${GITOPS_FOLDER}/${env.name}/${service.name}.k8s.yaml`,
      });
    }
  }
  const namespace = gitops.namespace;
  const reach = platformReach(platform);
  const allNamespaces = [...new Set([...[...teamNamespaces.values()].flatMap((s) => [...s]), ...shared, ...reach.namespaces])].sort();
  const projects: AppProjectPlan[] = [
    {
      name: platform.name,
      namespace,
      labels: labels({ 'app.kubernetes.io/component': 'platform' }),
      description: `Platform ${platform.name}: namespaces, alert routing and fleet dashboards of every environment.`,
      sourceRepos: [gitops.repoURL],
      destinations: destinations(servers, allNamespaces),
      clusterResourceWhitelist: reach.clusterKinds,
    },
    ...[...teamNamespaces.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([team, own]) => ({
        name: `${platform.name}-${team}`,
        namespace,
        labels: labels({ team }),
        description: `Team ${team} of platform ${platform.name}: its services, in its namespaces only.`,
        sourceRepos: [gitops.repoURL],
        destinations: destinations(servers, [...new Set([...own, ...shared])].sort()),
        clusterResourceWhitelist: [],
      })),
  ];
  return { applications, projects, projectsFile: `${GITOPS_FOLDER}/projects.k8s.yaml` };
}
