/**
 * `ArgoCdApplication`: one Application of a GitOps plan, written with the class generated from
 * the vendored Argo CD CRD.
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#applications
 */
import { Construct } from 'constructs';
import { Application } from '../imports/argo-cd-applications-argoproj.io';
import { ApplicationPlan } from './gitops-plan';

/**
 * The sync options every Application carries. Server-side apply: a client-side apply stores
 * the whole object in an annotation capped at 256 KiB, and a dashboard ConfigMap may be up to
 * the API server's 1 MiB.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#server-side-apply
 */
export const APPLICATION_SYNC_OPTIONS: readonly string[] = Object.freeze(['ServerSideApply=true']);

/** Props of an `ArgoCdApplication`. */
export interface ArgoCdApplicationProps {
  /** The Application, as `gitopsPlan` plans it. */
  readonly plan: ApplicationPlan;
}

/**
 * An Argo CD Application: automated sync (with self-heal and prune as planned) or, where the
 * plan says so (production by default), a sync a person starts.
 *
 * @example
 * for (const plan of gitopsPlan(platform)?.applications ?? []) new ArgoCdApplication(chart, plan.name, { plan });
 */
export class ArgoCdApplication extends Construct {
  /** The generated API object. */
  public readonly apiObject: Application;

  constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    super(scope, id);
    const { plan } = props;
    this.apiObject = new Application(this, 'Resource', {
      metadata: { name: plan.name, namespace: plan.namespace, labels: { ...plan.labels } },
      spec: {
        project: plan.project,
        source: {
          repoUrl: plan.source.repoURL,
          targetRevision: plan.source.targetRevision,
          path: plan.source.path,
          directory: { recurse: plan.source.directory.recurse, include: plan.source.directory.include, exclude: plan.source.directory.exclude },
        },
        destination: { server: plan.destination.server, namespace: plan.destination.namespace },
        syncPolicy: {
          ...(plan.sync.automated ? { automated: { enabled: true, selfHeal: plan.sync.selfHeal, prune: plan.sync.prune } } : {}),
          syncOptions: [...APPLICATION_SYNC_OPTIONS],
        },
      },
    });
  }
}
