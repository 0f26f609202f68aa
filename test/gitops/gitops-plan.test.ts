import { Chart, Testing } from 'cdk8s';
import { AppProject as AppProjectModel } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { Application as ApplicationModel } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { PlatformDefinition } from '../../lib/definition';
import { BASE_SERVICE, testPlatform, testPlatformWith } from '../fixtures/services';
import { APPLICATION_SYNC_OPTIONS, ApplicationPlan, ArgoCdAppProject, ArgoCdApplication, GitOpsPlan, gitopsFiles, gitopsPlan } from '../../lib/gitops';
import { platformCharts } from '../../lib/synth';
import { platform as example } from '../../apps/platform';
import { KubeObject, crdProblems, schemaProblems } from '../support/schema';

function plan(platform: PlatformDefinition = example): GitOpsPlan {
  const p = gitopsPlan(platform);
  if (p === undefined) throw new Error('gitops expected');
  return p;
}

function synth(build: (chart: Chart) => void): KubeObject[] {
  const chart = new Chart(Testing.app(), 'gitops');
  build(chart);
  return Testing.synth(chart) as KubeObject[];
}

/** Whether an Argo CD directory pattern (`a` or `{a,b}`, no wildcards) names a path. */
function matches(pattern: string, file: string): boolean {
  const names = pattern.startsWith('{') && pattern.endsWith('}') ? pattern.slice(1, -1).split(',') : [pattern];
  return names.includes(file);
}

/** Whether an Application reads a file of its environment's folder, as Argo CD's directory source does. */
function reads(app: ApplicationPlan, file: string): boolean {
  const { recurse, include, exclude } = app.source.directory;
  if (!recurse && file.includes('/')) return false;
  if (include !== undefined && !matches(include, file)) return false;
  return exclude === undefined || !matches(exclude, file);
}

describe('gitopsPlan', () => {
  const p = plan();
  const app = (name: string) => {
    const found = p.applications.find((a) => a.name === name);
    if (found === undefined) throw new Error(`no Application ${name}`);
    return found;
  };

  it('has no GitOps objects without gitops in the definition', () => {
    expect(gitopsPlan(testPlatform(BASE_SERVICE))).toBeUndefined();
  });

  it('plans an Application per service and environment, and one for the platform\'s own manifests of each environment', () => {
    expect(p.applications.map((a) => a.name)).toEqual([
      'shop-dev', 'shop-catalog-dev', 'shop-checkout-dev', 'shop-notifier-dev',
      'shop-staging', 'shop-catalog-staging', 'shop-checkout-staging', 'shop-notifier-staging',
      'shop-prod', 'shop-catalog-prod', 'shop-checkout-prod', 'shop-notifier-prod',
    ]);
    expect(app('shop-checkout-prod')).toMatchObject({
      namespace: 'argocd',
      project: 'shop-payments',
      source: { repoURL: 'https://git.example.com/shop/platform.git', targetRevision: 'main', path: 'dist/k8s/prod', directory: { recurse: false, include: 'checkout.k8s.yaml' } },
      destination: { server: 'https://prod.k8s.example.com', namespace: 'payments' },
      file: 'gitops/prod/checkout.k8s.yaml',
    });
    expect(app('shop-dev').source.directory).toEqual({ recurse: true, exclude: '{catalog.k8s.yaml,checkout.k8s.yaml,notifier.k8s.yaml}' });
  });

  it('syncs dev and staging by itself, healing and pruning, and leaves production to a person', () => {
    expect(app('shop-checkout-dev').sync).toEqual({ automated: true, selfHeal: true, prune: true });
    expect(app('shop-checkout-staging').sync.automated).toBe(true);
    expect(app('shop-checkout-prod').sync.automated).toBe(false);
    expect(app('shop-prod').sync.automated).toBe(false);
  });

  it('gives each team a project admitting its namespaces and the monitoring namespace its charts write to, and no cluster-scoped kind', () => {
    expect(p.projects.map((x) => x.name)).toEqual(['shop', 'shop-merchandising', 'shop-payments']);
    const payments = p.projects[2];
    expect(payments).toMatchObject({ namespace: 'argocd', sourceRepos: ['https://git.example.com/shop/platform.git'], clusterResourceWhitelist: [] });
    expect(payments.destinations).toEqual([
      { server: 'https://kubernetes.default.svc', namespace: 'monitoring' },
      { server: 'https://kubernetes.default.svc', namespace: 'payments' },
      { server: 'https://prod.k8s.example.com', namespace: 'monitoring' },
      { server: 'https://prod.k8s.example.com', namespace: 'payments' },
    ]);
  });

  it('gives the platform project the Namespaces, and the cluster-scoped kinds and namespaces of the preview cleanup where it runs', () => {
    expect(p.projects[0].clusterResourceWhitelist).toEqual([
      { group: '', kind: 'Namespace' },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy' },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
    ]);
    const namespaces = p.projects[0].destinations.map((d) => d.namespace);
    for (const preview of example.previews?.instances ?? []) expect(namespaces).toContain(preview.namespace);
    const bare = plan(testPlatformWith({ gitops: { repoURL: 'https://git.example.com/acme.git' } }, BASE_SERVICE));
    expect(bare.projects[0].clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
  });

  it('lets every synthesized object through its Application\'s project, and reads every file of an environment exactly once', () => {
    const projects = new Map(p.projects.map((x) => [x.name, x]));
    for (const built of platformCharts(example)) {
      const file = built.file.slice(built.environment.length + 1);
      const apps = p.applications.filter((a) => a.environment === built.environment && reads(a, file));
      expect(apps.map((a) => a.name)).toHaveLength(1);
      const [owner] = apps;
      const project = projects.get(owner.project);
      for (const object of built.chart.toJson() as KubeObject[]) {
        const namespace = object.metadata.namespace;
        if (namespace === undefined) {
          expect(project?.clusterResourceWhitelist).toContainEqual({ group: object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '', kind: object.kind });
        } else {
          expect(project?.destinations).toContainEqual({ server: owner.destination.server, namespace });
        }
      }
    }
  });

  it('never reads the game-day experiments, which start a fault when applied', () => {
    for (const a of p.applications) expect(a.source.path.startsWith('dist/gamedays')).toBe(false);
  });

  it('is the same for the same definition', () => {
    expect(JSON.stringify(plan())).toBe(JSON.stringify(plan(example)));
  });
});

describe('ArgoCdApplication and ArgoCdAppProject', () => {
  const p = plan();
  const applications = synth((chart) => p.applications.forEach((a) => new ArgoCdApplication(chart, a.name, { plan: a })));
  const projects = synth((chart) => p.projects.forEach((x) => new ArgoCdAppProject(chart, x.name, { plan: x })));
  const byName = (name: string) => applications.find((o) => o.metadata.name === name) as KubeObject & { spec: Record<string, unknown> };

  it('renders a production Application and a project (snapshot for review)', () => {
    expect([byName('shop-checkout-prod'), projects[2]]).toMatchSnapshot();
  });

  it('writes automated sync with self-heal and prune only where planned, server-side apply everywhere', () => {
    expect(byName('shop-checkout-dev').spec.syncPolicy).toEqual({ automated: { enabled: true, selfHeal: true, prune: true }, syncOptions: [...APPLICATION_SYNC_OPTIONS] });
    expect(byName('shop-checkout-prod').spec.syncPolicy).toEqual({ syncOptions: ['ServerSideApply=true'] });
  });

  it('validates every Application against the vendored Argo CD CRD and the @kubernetes-models/argo-cd model', () => {
    expect(applications.flatMap(schemaProblems)).toEqual([]);
    for (const o of applications) expect(() => new ApplicationModel(o as never).validate()).not.toThrow();
  });

  it('validates every AppProject with the @kubernetes-models/argo-cd model, there being no vendored CRD for it', () => {
    for (const o of projects) expect(() => new AppProjectModel(o as never).validate()).not.toThrow();
    expect(crdProblems(projects[0])).toEqual(['AppProject argocd/shop: no CRD known for argoproj.io/v1alpha1 AppProject']);
  });

  it('would be refused by the model with a destination of the wrong type, so the check can fail', () => {
    const broken = { ...projects[1], spec: { ...(projects[1].spec as object), destinations: [{ server: 42 }] } };
    expect(() => new AppProjectModel(broken as never).validate()).toThrow();
  });
});

describe('gitopsFiles', () => {
  it('writes the projects once and each Application to its environment\'s folder, byte-identical run after run', () => {
    const files = gitopsFiles(example);
    expect(files.map((f) => f.path).filter((f) => !f.startsWith('gitops/dev/') && !f.startsWith('gitops/staging/'))).toEqual([
      'gitops/projects.k8s.yaml',
      'gitops/prod/platform.k8s.yaml',
      'gitops/prod/catalog.k8s.yaml',
      'gitops/prod/checkout.k8s.yaml',
      'gitops/prod/notifier.k8s.yaml',
    ]);
    expect(gitopsFiles(example)).toEqual(files);
    expect(gitopsFiles(testPlatform(BASE_SERVICE))).toEqual([]);
  });
});
