/**
 * `ArgoCdAppProject`: one AppProject of a GitOps plan. The AppProject CRD is not among the
 * vendored CRDs (only the Application is), so there is no generated class: the object is a
 * plain `ApiObject` whose shape is the `IAppProject` type of `@kubernetes-models/argo-cd`
 * (generated from Argo CD's own CRD), and the tests validate it with that model.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { AppProjectPlan } from './gitops-plan';

/** Props of an `ArgoCdAppProject`. */
export interface ArgoCdAppProjectProps {
  /** The project, as `gitopsPlan` plans it. */
  readonly plan: AppProjectPlan;
}

/** The AppProject of a plan, as the model types it. */
function appProjectObject(plan: AppProjectPlan): IAppProject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: plan.name, namespace: plan.namespace, labels: { ...plan.labels } },
    spec: {
      description: plan.description,
      sourceRepos: [...plan.sourceRepos],
      destinations: plan.destinations.map((d) => ({ server: d.server, namespace: d.namespace })),
      // Listed even when empty: an Application of the project may create no cluster-scoped object.
      clusterResourceWhitelist: plan.clusterResourceWhitelist.map((k) => ({ group: k.group, kind: k.kind })),
    },
  };
}

/**
 * An Argo CD AppProject: the repository its Applications read and the clusters and namespaces
 * they may deploy to; nothing else.
 *
 * @example
 * for (const plan of gitopsPlan(platform)?.projects ?? []) new ArgoCdAppProject(chart, plan.name, { plan });
 */
export class ArgoCdAppProject extends Construct {
  /** The API object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ArgoCdAppProjectProps) {
    super(scope, id);
    const { apiVersion, kind, metadata, spec } = appProjectObject(props.plan);
    this.apiObject = new ApiObject(this, 'Resource', { apiVersion, kind, metadata: { name: metadata.name, namespace: metadata.namespace, labels: metadata.labels }, spec });
  }
}
