/**
 * The runbook of one game-day experiment, as Markdown: what it tests, the steady-state
 * hypothesis and the abort condition with the exact PromQL, the blast radius, how to start
 * and stop it, and what to record. Links come from the naming helpers every alert uses.
 */
import type { EffectiveService, PlatformDefinition } from '../definition';
import { dashboardUrl } from '../definition/naming';
import { formatNumber, matcher, selector } from '../promql/build';
import { GameDayPlan } from './game-day-plan';
import { ERROR_BUDGET_REMAINING_RECORD, LOW_ERROR_BUDGET_REMAINING } from './rule-names';

/** Renders a code block. */
function code(language: string, text: string): string {
  return ['```' + language, text, '```'].join('\n');
}

/** The labels as `k=v,k=v`, the way `kubectl -l` takes them. */
function labelSelector(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

/** The pods hit, in words. */
function podsText(plan: GameDayPlan): string {
  const r = plan.blastRadius;
  const share = plan.mode === 'one' ? 'one pod' : `${plan.value}% of the pods, rounded up`;
  const atMax = r.podsAtMax !== undefined && r.maxReplicas !== undefined ? `, ${r.podsAtMax} of ${r.maxReplicas} at the autoscaler's maximum` : '';
  return `${share}: ${r.pods} of ${r.replicas} at the fewest replicas${atMax}`;
}

/**
 * The runbook of an experiment.
 *
 * @example
 * const [plan] = gameDayPlans(service);
 * fs.writeFileSync(plan.files.runbook, gameDayRunbook(platform, service, plan));
 */
export function gameDayRunbook(platform: Pick<PlatformDefinition, 'dashboardBaseUrl'>, service: EffectiveService, plan: GameDayPlan): string {
  const e = plan.experiment;
  const r = plan.blastRadius;
  const kubectl = `-n ${plan.namespace}`;
  const object = `${plan.kind.toLowerCase()}/${plan.objectName}`;
  const manifest = plan.files.manifest.split('/').pop() ?? plan.files.manifest;
  const slos = plan.hypotheses.map((h) => h.slo).sort();
  const budgetLeft = `min(${selector(ERROR_BUDGET_REMAINING_RECORD, matcher('service', '=', service.name), slos.length === 1 ? matcher('slo', '=', slos[0]) : matcher('slo', '=~', slos.join('|')))})`;
  const contacts = service.contacts;
  const lines: string[] = [
    `# Game day: ${plan.objectName} (${plan.environment})`,
    '',
    e.description,
    '',
    `- Service: ${service.name} (team ${service.team}), namespace ${plan.namespace}, environment ${plan.environment}${plan.production ? ' — **production: real users are affected**' : ''}`,
    `- Experiment: Chaos Mesh \`${plan.kind}\` \`${plan.objectName}\`, ${e.kind}${e.kind === 'pod-kill' ? `, watched for ${e.duration}` : ` for ${e.duration}`}`,
    `- Dashboard: ${dashboardUrl(platform, service)}`,
    ...(contacts.owners.length > 0 ? [`- Owners: ${contacts.owners.join(', ')}`] : []),
    ...(contacts.escalation.length > 0 ? [`- Escalation: ${contacts.escalation.join(', ')}`] : []),
    ...(contacts.chat !== undefined ? [`- Chat: ${contacts.chat}`] : []),
    '',
    '## Steady-state hypothesis',
    '',
    ...plan.hypotheses.flatMap((h) => [
      `### SLO ${h.slo}`,
      '',
      h.statement,
      `It is judged only while the SLO counted at least ${h.minRequests} requests over the window; without them both queries return nothing: the experiment proved nothing.`,
      '',
      'Holds while this returns the ratio:',
      '',
      code('promql', h.holds),
      '',
      'Broken while this returns the ratio:',
      '',
      code('promql', h.breaks),
      '',
    ]),
    '## Abort condition',
    '',
    'Stop the experiment (below) at once when any of these returns a series:',
    '',
    ...plan.hypotheses.flatMap((h) => [h.abort.statement, '', code('promql', h.abort.query), '']),
    'Stop it also when an alert of the service pages, or when anyone asks.',
    '',
    '## Blast radius',
    '',
    `- Namespace ${r.namespace} only; pods labelled \`${labelSelector(r.podLabels)}\` (the workload's own selector): ${podsText(plan)}.`,
    `- The fault: ${r.fault}.`,
    ...(r.pods >= r.replicas ? [`- **It hits every pod at the fewest replicas (${r.replicas}): the service is down for its users while it runs.**`] : []),
    ...(e.kind.startsWith('network') ? ['- Prometheus scrapes of these pods are slowed or lost too: expect gaps in their own series.'] : []),
    r.callers.length > 0 ? `- Callers that see its failures: ${r.callers.join(', ')}.` : '- No service of the platform calls it.',
    '',
    '## Before you start',
    '',
    `1. Announce the game day${contacts.chat !== undefined ? ` in ${contacts.chat}` : ''} and keep the dashboard open.`,
    `2. Check the error budget left (do not start below ${formatNumber(LOW_ERROR_BUDGET_REMAINING)}; the hypothesis needs room to fail safely):`,
    '',
    code('promql', budgetLeft),
    '',
    '3. Check that every hypothesis holds now, before the fault.',
    `4. Check the pods: \`kubectl get pods ${kubectl} -l ${labelSelector(r.podLabels)}\`.`,
    '',
    '## Run',
    '',
    code('sh', `kubectl apply -f ${manifest}\nkubectl describe ${object} ${kubectl}`),
    '',
    `The fault starts as soon as the object exists. Watch the hypothesis and the abort queries for ${e.duration}.`,
    '',
    '## Stop',
    '',
    code('sh', `kubectl delete -f ${manifest}    # or: kubectl delete ${object} ${kubectl}`),
    '',
    e.kind === 'pod-kill'
      ? 'A kill cannot be undone: the ReplicaSet is already replacing the pods. Deleting the object ends the experiment, so it can be applied again.'
      : `Deleting the object ends the fault: Chaos Mesh restores the pods${e.kind === 'pod-failure' ? "' containers" : "' network"}. To hold it without deleting: \`kubectl annotate ${object} ${kubectl} experiment.chaos-mesh.org/pause=true\`.`,
    '',
    '## What to record',
    '',
    '- Start and end time, and who ran it.',
    '- For each SLO: whether the hypothesis held, and the highest error ratio seen.',
    '- The error budget left before and after.',
    '- Alerts that fired, and whether they should have.',
    '- How long the service took to recover after the fault ended.',
    '- What surprised you, and the follow-up work, each with an owner.',
    '- Then set `gameDays.lastHeld` in the service definition to the date: the readiness check reads it.',
    '',
  ];
  return lines.join('\n');
}
