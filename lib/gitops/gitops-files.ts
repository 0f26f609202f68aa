/**
 * The files of a platform's GitOps hand-off: `gitops/projects.k8s.yaml` (the AppProjects) and
 * `gitops/<env>/<service>.k8s.yaml` and `gitops/<env>/platform.k8s.yaml` (the Applications),
 * for the cluster Argo CD runs in.
 */
import { App, Chart } from 'cdk8s';
import { PlatformDefinition } from '../definition';
import { toYamlDocuments } from '../private/yaml';
import { ArgoCdAppProject } from './app-project';
import { ArgoCdApplication } from './argo-cd-application';
import { gitopsPlan } from './gitops-plan';

/** A file to write, relative to the output folder. */
export interface GitOpsFile {
  readonly path: string;
  readonly content: string;
}

/** The GitOps files of a platform; none when it declares no `gitops`. */
export function gitopsFiles(platform: PlatformDefinition): GitOpsFile[] {
  const plan = gitopsPlan(platform);
  if (plan === undefined) return [];
  const render = (id: string, build: (chart: Chart) => void): string => {
    const chart = new Chart(new App(), id, { disableResourceNameHashes: true });
    build(chart);
    return toYamlDocuments(chart.toJson());
  };
  return [
    { path: plan.projectsFile, content: render('projects', (chart) => plan.projects.forEach((p) => new ArgoCdAppProject(chart, p.name, { plan: p }))) },
    ...plan.applications.map((a) => ({ path: a.file, content: render(a.name, (chart) => new ArgoCdApplication(chart, a.name, { plan: a })) })),
  ];
}
