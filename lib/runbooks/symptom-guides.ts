/**
 * The guides of the symptom alerts every service gets (lib/prometheus/symptom-rules.ts): errors,
 * latency, down, crash loops, pods not ready, the autoscaler at its maximum, CPU saturation.
 */
import { AvailabilitySlo, EffectiveService, LatencySlo, Slo } from '../definition';
import { formatNumber, matcher } from '../promql/build';
import { CPU_SATURATION_THRESHOLD, CRASH_LOOP_RESTARTS, ERROR_RATE_THRESHOLD, LATENCY_QUANTILE, SYMPTOM_ALERTS, errorRateSelectors, podNamePattern } from '../prometheus/symptom-rules';
import { mdCode } from '../private/markdown';
import { RunbookStep, podSelector } from './delivery';
import { AlertGuide, errorRatioBy, labelledSlos, promqlStep, serviceSeries } from './guide';
import { burnLine, outageMinuteLine, sloLine } from './impact';
import { errorRemediation } from './slo-guides';

/** The SLOs counted on requests, which an outage spends. */
function requestSlos(service: EffectiveService): Slo[] {
  return service.slos.filter((s) => s.kind !== 'custom');
}

/** `-n <namespace>` and the pod selector of the service. */
function pods(service: EffectiveService): string {
  return `-n ${service.namespace} -l ${podSelector(service)}`;
}

function describePods(service: EffectiveService, why: string): RunbookStep {
  return {
    title: 'Describe the pods and read their events.',
    detail: why,
    code: { language: 'sh', content: [`kubectl describe pods ${pods(service)}`, `kubectl get events -n ${service.namespace} --field-selector involvedObject.kind=Pod --sort-by=.lastTimestamp`].join('\n') },
  };
}

const errorRate: AlertGuide = {
  meaning: (ctx) => `More than ${formatNumber(ERROR_RATE_THRESHOLD * 100)}% of the requests to ${mdCode(ctx.service.name)} fail, for 5 minutes: users see errors now. It fires sooner than the slow burn-rate tiers and says nothing about the budget by itself.`,
  impact: (ctx) => {
    const slo = ctx.service.slos.find((s): s is AvailabilitySlo => s.kind === 'availability');
    if (slo === undefined) return ['No availability SLO counts these requests; the alert watches every 5xx answer.'];
    return [`SLO ${sloLine(slo)}.`, `At the threshold (${formatNumber(ERROR_RATE_THRESHOLD * 100)}% errors) that is ${burnLine(slo, ERROR_RATE_THRESHOLD)}.`];
  },
  diagnosis: (ctx) => {
    const { bad, total } = errorRateSelectors(ctx.service);
    const metric = ctx.service.metrics.requestsMetric;
    const badSeries = serviceSeries(ctx.service, metric, total, bad);
    return [
      promqlStep('Split the failing requests by pod and by answer.', 'One pod out of line points at that pod; one answer code tells a timeout from a refusal or a bug.', errorRatioBy('pod', badSeries, serviceSeries(ctx.service, metric, total)), `sum by (code) (rate(${badSeries}[5m]))`),
    ];
  },
  remediation: errorRemediation,
  remedies: ['rollback', 'scale', 'restart', 'config'],
};

const latency: AlertGuide = {
  meaning: (ctx) => {
    const slos = labelledSlos(ctx.service, ctx.page.alerts).filter((s): s is LatencySlo => s.kind === 'latency');
    return `The ${formatNumber(LATENCY_QUANTILE * 100)}th percentile of request latency of ${mdCode(ctx.service.name)} is above the threshold of ${slos.map((s) => `${mdCode(s.name)} (${formatNumber(s.thresholdSeconds)}s)`).join(', ')} for 5 minutes: more than ${formatNumber((1 - LATENCY_QUANTILE) * 100)}% of requests are slower than users are promised.`;
  },
  impact: (ctx) =>
    labelledSlos(ctx.service, ctx.page.alerts).flatMap((slo) => [`SLO ${sloLine(slo)}.`, `At the threshold (${formatNumber((1 - LATENCY_QUANTILE) * 100)}% of requests too slow) that is ${burnLine(slo, 1 - LATENCY_QUANTILE)}.`]),
  diagnosis: (ctx) => {
    const steps: RunbookStep[] = [];
    for (const slo of labelledSlos(ctx.service, ctx.page.alerts).filter((s): s is LatencySlo => s.kind === 'latency')) {
      const buckets = serviceSeries(ctx.service, `${ctx.service.metrics.latencyMetric}_bucket`, slo.selector);
      steps.push(promqlStep(`Find the slow pods (p99 against ${formatNumber(slo.thresholdSeconds)}s).`, 'All pods slow points at load or a dependency; one pod at its node or its own state.', `histogram_quantile(${formatNumber(LATENCY_QUANTILE)}, sum by (le, pod) (rate(${buckets}[5m])))`));
    }
    const ns = matcher('namespace', '=', ctx.service.namespace);
    const container = matcher('container', '=', ctx.service.name);
    steps.push(
      promqlStep(
        'Check whether the pods are throttled on CPU.',
        `A pod held at its CPU limit (${mdCode(ctx.service.resources.limits.cpu)}) answers slowly long before it fails.`,
        `sum by (pod) (rate(container_cpu_cfs_throttled_periods_total{${ns}, ${container}}[5m]))\n/\nsum by (pod) (rate(container_cpu_cfs_periods_total{${ns}, ${container}}[5m]))`,
      ),
    );
    return steps;
  },
  remediation: errorRemediation,
  remedies: ['scale', 'rollback', 'restart', 'config'],
};

const down: AlertGuide = {
  meaning: (ctx) => `Prometheus has scraped no target of ${mdCode(ctx.service.name)} in ${mdCode(ctx.service.namespace)} for a minute, or has none at all: the service is down, or Prometheus cannot see it.`,
  impact: (ctx) => {
    const slos = requestSlos(ctx.service);
    if (slos.length === 0) return ['No SLO counts requests of this service; its custom SLOs stop counting while it is down.'];
    return slos.map((slo) => `SLO ${sloLine(slo)}; a full outage spends ${outageMinuteLine(slo)}.`);
  },
  diagnosis: (ctx) => [
    promqlStep('See which targets Prometheus scrapes and whether they answer.', 'No series at all means Prometheus finds no target: check the ServiceMonitor and the Service endpoints; series at 0 mean the targets do not answer.', `up{${matcher('job', '=', ctx.service.name)}, ${matcher('namespace', '=', ctx.service.namespace)}}`),
    {
      title: 'Check the endpoints and the ServiceMonitor.',
      detail: `Prometheus finds the pods through the ServiceMonitor ${mdCode(ctx.service.name)} and the endpoints of the Service; the metrics come from port ${ctx.service.metrics.port}, path ${mdCode(ctx.service.metrics.path)}.`,
      code: {
        language: 'sh',
        content: [
          `kubectl get endpointslices -n ${ctx.service.namespace} -l kubernetes.io/service-name=${ctx.service.name}`,
          `kubectl get servicemonitor ${ctx.service.name} -n ${ctx.service.namespace} -o yaml`,
          `kubectl port-forward -n ${ctx.service.namespace} <pod> ${ctx.service.metrics.port}:${ctx.service.metrics.port}`,
          `curl -s http://127.0.0.1:${ctx.service.metrics.port}${ctx.service.metrics.path} | head`,
        ].join('\n'),
      },
    },
    describePods(ctx.service, 'Pods that do not start (image pull, scheduling, crash loop) show why in their events and last state.'),
  ],
  remediation: () => [],
  remedies: ['rollback', 'restart', 'scale', 'config'],
};

const crashLooping: AlertGuide = {
  meaning: (ctx) => `A container of ${mdCode(ctx.service.name)} restarted more than ${CRASH_LOOP_RESTARTS} times within 15 minutes: it crashes, runs out of memory, or fails its liveness probe.`,
  impact: (ctx) => [`Each restart drops the requests in flight on that pod and takes it out of the Service until it is ready again. SLOs at risk: ${requestSlos(ctx.service).map((s) => mdCode(s.name)).join(', ') || 'none counted on requests'}.`],
  diagnosis: (ctx) => {
    const liveness = ctx.service.health.liveness;
    const probe = liveness === undefined ? 'The service has no liveness probe, so the process itself exits.' : `The liveness probe GETs ${mdCode(liveness.path)} on port ${liveness.port ?? ctx.service.port ?? ctx.service.metrics.port}.`;
    return [
      {
        title: 'Read why the last container ended.',
        detail: `${mdCode('OOMKilled')} means the memory limit (${mdCode(ctx.service.resources.limits.memory)}) is too small or memory leaks; an exit code with logs means a crash; ${mdCode('Liveness probe failed')} in the events means the probe. ${probe}`,
        code: {
          language: 'sh',
          content: [
            `kubectl get pods ${pods(ctx.service)} -o custom-columns=POD:.metadata.name,RESTARTS:.status.containerStatuses[0].restartCount,LAST:.status.containerStatuses[0].lastState.terminated.reason,EXIT:.status.containerStatuses[0].lastState.terminated.exitCode`,
            `kubectl logs -n ${ctx.service.namespace} <pod> --previous`,
          ].join('\n'),
        },
      },
      describePods(ctx.service, 'The events show probe failures, OOM kills and back-off.'),
    ];
  },
  remediation: (ctx) => [
    {
      title: 'Give the container what it needs, in the definition.',
      detail: `Out of memory: raise ${mdCode('resources.limits.memory')} (now ${mdCode(ctx.service.resources.limits.memory)}); a probe too strict: adjust ${mdCode('health.liveness')}. Both per environment under ${mdCode(`environments.${ctx.service.environment}`)}.`,
    },
  ],
  remedies: ['rollback', 'config'],
};

const podNotReady: AlertGuide = {
  meaning: (ctx) => `A pod of ${mdCode(ctx.service.name)} has not been ready for 15 minutes: it gets no traffic, and the others carry its share.`,
  impact: (ctx) => [`Capacity is down by a pod out of ${ctx.service.autoscaling === false ? ctx.service.replicas : `${ctx.service.autoscaling.minReplicas}–${ctx.service.autoscaling.maxReplicas}`}; SLOs suffer once the rest cannot carry the load (${requestSlos(ctx.service).map((s) => mdCode(s.name)).join(', ') || 'none counted on requests'}).`],
  diagnosis: (ctx) => {
    const readiness = ctx.service.health.readiness;
    const probe = readiness === undefined ? 'The service has no readiness probe: the pod is not ready because a container is not running.' : `The readiness probe GETs ${mdCode(readiness.path)} on port ${readiness.port ?? ctx.service.port ?? ctx.service.metrics.port}.`;
    return [
      promqlStep('Find the pods that are not ready.', undefined, `sum by (pod) (kube_pod_status_ready{${matcher('namespace', '=', ctx.service.namespace)}, ${matcher('pod', '=~', podNamePattern(ctx.service))}, condition="false"})`),
      describePods(ctx.service, `${probe} A Pending pod waits for a node with room for its requests (${mdCode(ctx.service.resources.requests.cpu)} CPU, ${mdCode(ctx.service.resources.requests.memory)} memory).`),
    ];
  },
  remediation: (ctx) => [{ title: 'Replace a stuck pod.', detail: 'A pod stuck on a bad node or in a bad state is replaced by deleting it.', code: { language: 'sh', content: `kubectl delete pod <pod> -n ${ctx.service.namespace}` } }],
  remedies: ['rollback', 'config'],
};

const hpaMaxedOut: AlertGuide = {
  meaning: (ctx) => `The autoscaler of ${mdCode(ctx.service.name)} has run at its maximum${ctx.service.autoscaling === false ? '' : ` of ${ctx.service.autoscaling.maxReplicas}`} replicas for 15 minutes: the service cannot take more load.`,
  impact: (ctx) => [`Latency and errors follow when load keeps growing (${requestSlos(ctx.service).map((s) => mdCode(s.name)).join(', ') || 'no SLO counted on requests'}).`],
  diagnosis: (ctx) => [
    {
      title: 'See what the autoscaler measures.',
      detail: ctx.service.autoscaling === false ? undefined : `It targets ${ctx.service.autoscaling.cpuTargetPercent}% of the CPU requests (${mdCode(ctx.service.resources.requests.cpu)} per pod). More traffic, or the same traffic costing more CPU after a deploy, both look the same here.`,
      code: { language: 'sh', content: [`kubectl describe hpa ${ctx.service.name} -n ${ctx.service.namespace}`, `kubectl top pods ${pods(ctx.service)}`].join('\n') },
    },
  ],
  remediation: () => [],
  remedies: ['scale', 'rollback', 'config'],
};

const cpuSaturated: AlertGuide = {
  meaning: (ctx) => `A pod of ${mdCode(ctx.service.name)} has used more than ${formatNumber(CPU_SATURATION_THRESHOLD * 100)}% of its CPU limit (${mdCode(ctx.service.resources.limits.cpu)}) for 5 minutes: it is throttled or close to it.`,
  impact: () => ['No SLO is spent yet; throttled pods answer slowly, which latency SLOs count.'],
  diagnosis: (ctx) => [
    promqlStep(
      'See how much of each pod is throttled.',
      undefined,
      `sum by (pod) (rate(container_cpu_cfs_throttled_periods_total{${matcher('namespace', '=', ctx.service.namespace)}, ${matcher('container', '=', ctx.service.name)}}[5m]))\n/\nsum by (pod) (rate(container_cpu_cfs_periods_total{${matcher('namespace', '=', ctx.service.namespace)}, ${matcher('container', '=', ctx.service.name)}}[5m]))`,
    ),
  ],
  remediation: (ctx) => [{ title: 'Give the pods more CPU, or more pods.', detail: `Raise ${mdCode('resources.limits.cpu')} (now ${mdCode(ctx.service.resources.limits.cpu)}) in the definition, or scale out.` }],
  remedies: ['scale', 'config'],
};

/** The guides of the symptom alerts, by alert name. */
export const SYMPTOM_GUIDES: Readonly<Record<string, AlertGuide>> = Object.freeze({
  [SYMPTOM_ALERTS.errorRate]: errorRate,
  [SYMPTOM_ALERTS.latency]: latency,
  [SYMPTOM_ALERTS.down]: down,
  [SYMPTOM_ALERTS.crashLooping]: crashLooping,
  [SYMPTOM_ALERTS.podNotReady]: podNotReady,
  [SYMPTOM_ALERTS.hpaMaxedOut]: hpaMaxedOut,
  [SYMPTOM_ALERTS.cpuSaturated]: cpuSaturated,
});
