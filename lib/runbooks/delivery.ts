/**
 * What an on-call engineer runs against a service's workload, by its delivery strategy: how to
 * see its state and recent deploys, and how to stop, undo, promote, restart or scale it. The
 * commands are those of lib/k8s/README.md, with this service's names and namespace filled in.
 * @see https://argoproj.github.io/argo-rollouts/generated/kubectl-argo-rollouts/kubectl-argo-rollouts/
 * @see https://kubernetes.io/docs/reference/kubectl/generated/kubectl_rollout/
 */
import { EffectiveService, autoPromotes } from '../definition';
import { CANARY_DEPLOYMENT_DEFAULTS } from '../k8s/canary-deployment';
import { selectorLabels } from '../k8s/labels';
import { mdCode, mdCodeBlock, mdLink, mdText } from '../private/markdown';
import { RUNBOOK_REFERENCES } from './references';

/** Commands or a query of a runbook step. */
export interface RunbookCode {
  readonly language: 'sh' | 'promql' | 'logql' | 'text';
  readonly content: string;
}

/** One step of a runbook: what to do and why, then the commands or queries to run. */
export interface RunbookStep {
  /** What the step is, as a short imperative sentence. */
  readonly title: string;
  /** Why, or what to look for; Markdown. @default none */
  readonly detail?: string;
  /** Commands or queries to run, one block each. @default none */
  readonly code?: RunbookCode | readonly RunbookCode[];
}

/** The code blocks of a step. */
export function stepCode(step: RunbookStep): readonly RunbookCode[] {
  if (step.code === undefined) return [];
  return 'language' in step.code ? [step.code] : step.code;
}

/** A step as Markdown: the title in bold, the detail, then the code blocks. */
export function renderStep(step: RunbookStep): string {
  const head = `**${mdText(step.title)}**${step.detail === undefined ? '' : ` ${step.detail}`}`;
  return [head, ...stepCode(step).map((c) => mdCodeBlock(c.content, c.language))].join('\n\n');
}

/** `-n <namespace>`. */
function ns(service: Pick<EffectiveService, 'namespace'>): string {
  return `-n ${service.namespace}`;
}

/** The label selector of the service's pods: `app.kubernetes.io/name=<service>`. */
export function podSelector(service: Pick<EffectiveService, 'name'>): string {
  return Object.entries(selectorLabels(service))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** The workload kind and name as kubectl names it: `deployment/checkout` or `rollout/checkout`. */
export function workloadRef(service: Pick<EffectiveService, 'name' | 'delivery'>): string {
  return `${service.delivery.strategy === 'rolling' ? 'deployment' : 'rollout'}/${service.name}`;
}

/** How the service is delivered, in words. */
export function deliveryWords(service: EffectiveService): string {
  const d = service.delivery;
  switch (d.strategy) {
    case 'rolling':
      return `rolling update of the Deployment ${service.name} (maxSurge ${d.maxSurge}, maxUnavailable ${d.maxUnavailable})`;
    case 'canary': {
      const routing = d.trafficRouting === undefined ? 'by pod count, without a traffic router' : `through ${Object.keys(d.trafficRouting)[0]}`;
      return `canary with the Argo Rollout ${service.name}: steps ${d.steps.join(', ')}% ${routing}, analysis from the SLOs`;
    }
    case 'blue-green':
      return `blue/green with the Argo Rollout ${service.name}: preview Service ${service.name}-preview, ${autoPromotes(d, service.production) ? 'promoted automatically once analysis passes' : 'promoted by hand'}`;
  }
}

/** How to see the workload and which versions run. */
export function stateSteps(service: EffectiveService): RunbookStep[] {
  const pods = `kubectl get pods ${ns(service)} -l ${podSelector(service)} -o wide`;
  const images = `kubectl get pods ${ns(service)} -l ${podSelector(service)} -o custom-columns=POD:.metadata.name,IMAGE:.spec.containers[0].image,STARTED:.status.startTime,READY:.status.containerStatuses[0].ready,RESTARTS:.status.containerStatuses[0].restartCount`;
  const events = `kubectl get events ${ns(service)} --sort-by=.lastTimestamp`;
  return [
    { title: 'Look at the pods, the versions they run and recent events.', code: { language: 'sh', content: [pods, images, events].join('\n') } },
    {
      title: 'Read the logs of the pods, and of the last crashed container.',
      code: { language: 'sh', content: [`kubectl logs ${ns(service)} -l ${podSelector(service)} --all-containers --since=1h --tail=200 --prefix`, `kubectl logs ${ns(service)} <pod> --previous`].join('\n') },
    },
  ];
}

/** How to see recent deploys: the revisions of the workload and when they started. */
export function recentDeploySteps(service: EffectiveService): RunbookStep[] {
  if (service.delivery.strategy === 'rolling') {
    return [
      {
        title: 'Check recent deploys.',
        detail: 'A deploy shortly before the alert is the first suspect. The Deployment keeps its revisions; a revision shows its image and pod template.',
        code: {
          language: 'sh',
          content: [`kubectl rollout history deployment/${service.name} ${ns(service)}`, `kubectl rollout history deployment/${service.name} ${ns(service)} --revision=<N>`, `kubectl rollout status deployment/${service.name} ${ns(service)}`].join('\n'),
        },
      },
    ];
  }
  return [
    {
      title: 'Check recent deploys.',
      detail:
        'A deploy shortly before the alert is the first suspect. `get rollout` lists the revisions with their images, steps and analysis runs (the Argo Rollouts plugin has no `history` command); the ReplicaSets show when each revision started.',
      code: {
        language: 'sh',
        content: [
          `kubectl argo rollouts get rollout ${service.name} ${ns(service)}`,
          `kubectl get replicasets ${ns(service)} -l ${podSelector(service)} --sort-by=.metadata.creationTimestamp -L rollouts-pod-template-hash`,
          `kubectl get analysisruns ${ns(service)} --sort-by=.metadata.creationTimestamp`,
        ].join('\n'),
      },
    },
  ];
}

/** How to stop a bad version: abort, undo or promote, by strategy. */
export function rollbackSteps(service: EffectiveService): RunbookStep[] {
  const d = service.delivery;
  if (d.strategy === 'rolling') {
    return [
      {
        title: 'Undo a bad deploy.',
        detail: `Rolls the Deployment back to the previous revision (image, environment and all of the pod template), with the same surge and availability limits (maxSurge ${mdCode(d.maxSurge)}, maxUnavailable ${mdCode(d.maxUnavailable)}). \`--to-revision\` picks an older one; \`pause\` stops a deploy that is still rolling (${mdLink('kubectl rollout', RUNBOOK_REFERENCES.kubectlRollout)}).`,
        code: {
          language: 'sh',
          content: [`kubectl rollout undo deployment/${service.name} ${ns(service)}`, `kubectl rollout undo deployment/${service.name} ${ns(service)} --to-revision=<N>`, `kubectl rollout pause deployment/${service.name} ${ns(service)}`, `kubectl rollout status deployment/${service.name} ${ns(service)}`].join('\n'),
        },
      },
    ];
  }
  const rollout = service.name;
  const steps: RunbookStep[] = [
    {
      title: d.strategy === 'canary' ? 'Abort a canary in progress.' : 'Abort a blue/green deploy in progress.',
      detail:
        d.strategy === 'canary'
          ? `Sends all traffic back to the stable pods and scales the canary down. The Rollout stays Degraded with the new template until it is undone, or the definition reverted and re-applied; \`retry\` starts the canary again once the cause is fixed (${mdLink('the Argo Rollouts kubectl plugin', RUNBOOK_REFERENCES.argoRollouts)}).`
          : `Points the active Service ${mdCode(service.name)} back at the previous pods, kept for ${d.scaleDownDelaySeconds}s after a promotion, and drops the preview. The Rollout stays Degraded with the new template until it is undone, or the definition reverted and re-applied (${mdLink('the Argo Rollouts kubectl plugin', RUNBOOK_REFERENCES.argoRollouts)}).`,
      code: { language: 'sh', content: [`kubectl argo rollouts abort ${rollout} ${ns(service)}`, `kubectl argo rollouts get rollout ${rollout} ${ns(service)} --watch`].join('\n') },
    },
    {
      title: 'Undo a bad version that is already promoted.',
      detail: `Re-applies the previous revision. One of the last ${d.rollbackWindow} revisions skips the steps and analysis, so the rollback is immediate; \`--to-revision\` picks an older one.`,
      code: { language: 'sh', content: [`kubectl argo rollouts undo ${rollout} ${ns(service)}`, `kubectl argo rollouts undo ${rollout} ${ns(service)} --to-revision=<N>`].join('\n') },
    },
  ];
  if (d.strategy === 'canary') {
    steps.push({
      title: 'Promote only a canary that is paused on an inconclusive analysis and healthy on the dashboard.',
      detail:
        'Too few requests make the analysis inconclusive and pause the rollout for a human. Promote one step at a time; `--full` skips every remaining step and analysis, never during an incident.',
      code: { language: 'sh', content: `kubectl argo rollouts promote ${rollout} ${ns(service)}` },
    });
  } else {
    steps.push({
      title: autoPromotes(d, service.production) ? 'Promote by hand only when the rollout waits for it.' : 'Promote the preview only after the pre-promotion analysis passed and the preview looks healthy.',
      detail: `The preview runs behind ${mdCode(`${service.name}-preview`)}; ${autoPromotes(d, service.production) ? 'this environment promotes by itself once the analysis passes' : 'this environment promotes by hand'}.`,
      code: {
        language: 'sh',
        content: [...(service.port === undefined ? [] : [`kubectl port-forward ${ns(service)} service/${service.name}-preview 8080:${CANARY_DEPLOYMENT_DEFAULTS.servicePort}`]), `kubectl argo rollouts promote ${rollout} ${ns(service)}`].join('\n'),
      },
    });
  }
  return steps;
}

/** How to add capacity: the autoscaler's bounds, or the replica count. */
export function scaleSteps(service: EffectiveService): RunbookStep[] {
  if (service.autoscaling !== false) {
    const { minReplicas, maxReplicas } = service.autoscaling;
    return [
      {
        title: 'Scale up by raising the autoscaler.',
        detail: `The HorizontalPodAutoscaler ${mdCode(service.name)} keeps ${minReplicas} to ${maxReplicas} replicas. A patch lasts until the next apply: make it permanent in the definition (${mdCode(`autoscaling.minReplicas`)} / ${mdCode('autoscaling.maxReplicas')}, per environment under ${mdCode(`environments.${service.environment}`)}).`,
        code: {
          language: 'sh',
          content: [`kubectl get hpa ${service.name} ${ns(service)}`, `kubectl patch hpa ${service.name} ${ns(service)} --type=merge -p '{"spec":{"minReplicas":<N>}}'`, `kubectl patch hpa ${service.name} ${ns(service)} --type=merge -p '{"spec":{"maxReplicas":<N>}}'`].join('\n'),
        },
      },
    ];
  }
  return [
    {
      title: 'Scale up.',
      detail: `The service runs ${service.replicas} replicas without an autoscaler. A manual scale lasts until the next apply: make it permanent with ${mdCode('replicas')} in the definition (per environment under ${mdCode(`environments.${service.environment}`)}).`,
      code: { language: 'sh', content: `kubectl scale ${workloadRef(service)} ${ns(service)} --replicas=<N>` },
    },
  ];
}

/** How to restart the pods (new pods, same version). */
export function restartSteps(service: EffectiveService): RunbookStep[] {
  const command = service.delivery.strategy === 'rolling' ? `kubectl rollout restart deployment/${service.name} ${ns(service)}` : `kubectl argo rollouts restart ${service.name} ${ns(service)}`;
  return [{ title: 'Restart the pods, one at a time, keeping the version.', detail: 'Clears a stuck process or connection pool; it does not fix a bad version.', code: { language: 'sh', content: command } }];
}

/** How to roll back a configuration change: the definition is where configuration lives. */
export function configRollbackSteps(service: EffectiveService): RunbookStep[] {
  const secrets = [...new Set(Object.values(service.secretEnv).map((ref) => ref.name))].sort();
  const secretList = secrets.length === 0 ? '' : ` Secrets are not versioned with it: check the ones the pods read (${secrets.map(mdCode).join(', ')}).`;
  return [
    {
      title: 'Roll back a configuration change.',
      detail: `Environment variables, resources, probes, SLOs and delivery come from the service definition. Revert the change in the platform repository, synthesize and apply it as any change; undoing the rollout restores the previous pod template in the meantime.${secretList}`,
      code: { language: 'sh', content: ['git log -- <your platform definition>', 'git revert <commit>', 'npm run synth'].join('\n') },
    },
  ];
}
