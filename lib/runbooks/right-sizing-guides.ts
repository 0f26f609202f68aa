/**
 * The guides of a service's right-sizing alerts (lib/prometheus/right-sizing-rules.ts):
 * `ServiceOverProvisioned`, requests far above what the busiest pod used over 7 days, and
 * `ServiceMemoryNearLimit`, memory close to the limit at which the container is killed.
 */
import { RIGHT_SIZING_ALERTS, RIGHT_SIZING_RECORDS, rightSizingSeries } from '../prometheus/right-sizing-rules';
import { mdCode } from '../private/markdown';
import { RunbookStep, podSelector } from './delivery';
import { AlertGuide, GuideContext, promqlStep } from './guide';
import { sloLine } from './impact';

const r = RIGHT_SIZING_RECORDS;

/** The command that prints the resources to paste into the definition, for this service. */
function rightsizeStep(ctx: GuideContext, title: string): RunbookStep {
  const { service } = ctx;
  return {
    title,
    detail: `It reads the same 7-day records from Prometheus and prints the ${mdCode('resources')} to paste into the definition (requests at the p95 plus ${service.rightSizing.headroomPercent}% headroom, the memory limit above the 7-day maximum); a change to ${mdCode(`environments.${service.environment}.resources`)} sizes ${service.environment} alone. Add ${mdCode('--prometheus <url>')} where the platform's ${mdCode(ctx.platform.prometheusUrl)} cannot be reached.`,
    code: { language: 'sh', content: `npm run rightsize -- --environment ${service.environment} --service ${service.name}` },
  };
}

const overProvisioned: AlertGuide = {
  meaning: (ctx) =>
    `The requests of ${mdCode(ctx.service.name)} (${mdCode(`cpu ${ctx.service.resources.requests.cpu}`)}, ${mdCode(`memory ${ctx.service.resources.requests.memory}`)} in the definition) are more than ${ctx.service.rightSizing.factor} times what its busiest pod used at the 95th percentile over 7 days: the cluster reserves capacity nobody uses. Nothing is broken; it opens no page.`,
  impact: () => ['None for users. The cost is capacity: nodes kept for requests the service does not use, and pods of other services that cannot be scheduled.'],
  diagnosis: (ctx) => [
    promqlStep(
      'Compare the requests with the usage, per resource.',
      'The p95 and maximum are of the busiest pod over 7 days (CPU in cores, memory in bytes); a week with a holiday or a migration may not be typical.',
      rightSizingSeries(r.requests, ctx.service),
      rightSizingSeries(r.p95, ctx.service),
      rightSizingSeries(r.max, ctx.service),
    ),
  ],
  remediation: (ctx) => [rightsizeStep(ctx, 'Get the suggested resources, and change the definition in a pull request.')],
  remedies: [],
  workload: false,
};

const memoryNearLimit: AlertGuide = {
  meaning: (ctx) =>
    `The busiest pod of ${mdCode(ctx.service.name)} holds more than ${ctx.service.rightSizing.memoryNearLimitPercent}% of its memory limit (${mdCode(ctx.service.resources.limits.memory)} in the definition). At the limit the kernel kills the container (OOMKilled), and its requests in flight fail.`,
  impact: (ctx) => [
    'Nothing yet; once a container is killed, its requests fail until it restarts, and a pod killed again and again ends in CrashLoopBackOff.',
    ...ctx.service.slos.filter((s) => s.kind !== 'custom').map((slo) => `If containers are killed: ${sloLine(slo)}.`),
  ],
  diagnosis: (ctx) => [
    promqlStep('See how close to the limit memory is, and whether it keeps growing.', 'A steady climb that restarts reset points at a leak; a level that follows traffic, at a limit set too low.', `${rightSizingSeries(r.usage, ctx.service, 'memory')}\n/ on (namespace, service, resource)\n${rightSizingSeries(r.limits, ctx.service, 'memory')}`, rightSizingSeries(r.max, ctx.service, 'memory')),
    {
      title: 'See which pods hold the most, and whether containers were killed already.',
      code: { language: 'sh', content: [`kubectl top pods -n ${ctx.service.namespace} -l ${podSelector(ctx.service)} --sort-by=memory`, `kubectl get pods -n ${ctx.service.namespace} -l ${podSelector(ctx.service)} -o custom-columns=POD:.metadata.name,RESTARTS:.status.containerStatuses[0].restartCount,LAST:.status.containerStatuses[0].lastState.terminated.reason`].join('\n') },
    },
  ],
  remediation: (ctx) => [rightsizeStep(ctx, 'Raise the memory limit from the usage, unless memory leaks.')],
  remedies: ['restart', 'rollback'],
};

/** The guides of the right-sizing alerts, by alert name. */
export const RIGHT_SIZING_GUIDES: Readonly<Record<string, AlertGuide>> = Object.freeze({
  [RIGHT_SIZING_ALERTS.overProvisioned]: overProvisioned,
  [RIGHT_SIZING_ALERTS.memoryNearLimit]: memoryNearLimit,
});
