/**
 * The pre-promotion analysis of a blue/green preview, as plain data. The preview Service takes
 * no user traffic, so an analysis over request rates would find nothing to measure: a Job sends
 * the definition's smoke traffic to the preview Service, and Prometheus metrics judge what the
 * preview's pods counted, against the same SLO thresholds as every other analysis.
 *
 * The preview's pods are new, so their counters count from zero: the queries read the counters
 * themselves (every request since the pods started), not `rate()` or `increase()`, which miss
 * whatever a series counted before its first scrape (a single error on a new series would be
 * invisible). A measurement answers only once the pods have counted the smoke requests the Job
 * must get answered; before that, or without the traffic, it is inconclusive, never successful.
 *
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/bluegreen/
 * @see https://argo-rollouts.readthedocs.io/en/stable/analysis/job/
 */
import { ANALYSIS_DEFAULTS, smokeSeconds } from '../definition/analysis';
import { DefinitionError } from '../definition/errors';
import type { EffectiveService, PlatformDefinition } from '../definition';
import { formatNumber, selector } from '../promql/build';
import { parseDuration } from '../promql/duration';
import { errorBudget } from '../slo/burn-rate';
import { AnalysisMetricPlan, AnalysisTemplatePlan, CANARY_HASH_ARG, JobMetricPlan, analysedDelivery, atMost, goDuration, hashMatcher, measuredSlos, templatePlan } from './analysis-plan';
import { scopeMatchers } from './rule-names';

/**
 * The image the smoke Job runs: curl 8.11.1 from the curl project's official image, pinned by
 * the digest of its multi-architecture index. It brings busybox `sh` and `sleep`.
 * @see https://hub.docker.com/r/curlimages/curl
 */
export const SMOKE_TRAFFIC_IMAGE = 'curlimages/curl:8.11.1@sha256:c1fe1679c34d9784c1b0d1e5f62ac0a79fca01fb6377cdd33e90473c6f9f9a69';

/**
 * The image's own non-root user, `curl_user` (uid 100, gid 101), given as numbers: the kubelet
 * cannot verify `runAsNonRoot` for a user given by name and would refuse to start the container.
 */
export const SMOKE_TRAFFIC_USER = Object.freeze({ runAsUser: 100, runAsGroup: 101 });

/**
 * The smoke Job's script (POSIX sh): `REQUESTS` GETs of `URL`, one at a time, `PAUSE_SECONDS`
 * apart, each allowed `TIMEOUT_SECONDS`. A request without an HTTP answer (refused, reset,
 * timed out) is unanswered; the Job fails as soon as more than `MAX_UNANSWERED` are, so a
 * preview that cannot be reached fails the analysis rather than leaving it without data. HTTP
 * status codes are not judged here: the Prometheus metrics judge them by the SLOs' own selectors.
 */
export const SMOKE_TRAFFIC_SCRIPT = `set -eu
sent=0
unanswered=0
while [ "$sent" -lt "$REQUESTS" ]; do
  sent=$((sent + 1))
  code=$(curl --silent --output /dev/null --write-out '%{http_code}' --max-time "$TIMEOUT_SECONDS" "$URL") || code=000
  if [ "$code" = 000 ]; then
    unanswered=$((unanswered + 1))
    if [ "$unanswered" -gt "$MAX_UNANSWERED" ]; then
      echo "smoke traffic: $unanswered of $sent requests to $URL unanswered, more than the $MAX_UNANSWERED allowed" >&2
      exit 1
    fi
  fi
  sleep "$PAUSE_SECONDS"
done
echo "smoke traffic: $sent requests to $URL, $unanswered unanswered"
`;

/** Where the smoke traffic goes: the preview Service and its HTTP port. */
export interface PreviewTarget {
  /** The preview Service's name, in the service's namespace. */
  readonly service: string;
  /** The Service's HTTP port. */
  readonly port: number;
}

/** The smoke traffic as planned, and what the preview's pods must count. */
export interface SmokeTrafficPlan {
  /** `http://<preview>.<namespace>.svc:<port><path>`. */
  readonly url: string;
  readonly requests: number;
  /** Seconds the requests take at the definition's rate. */
  readonly seconds: number;
  /** Unanswered requests tolerated: the strictest SLO's budget of the requests, rounded down. */
  readonly maxUnanswered: number;
  /** Requests the preview's pods must have counted for a measurement to count: the answered ones. */
  readonly minCounted: number;
}

/** A blue/green service's pre-promotion analysis of its preview. */
export interface PreviewAnalysisPlan {
  /** `<service>-preview`: the smoke Job and the SLO metrics over the preview's pods. */
  readonly template: AnalysisTemplatePlan;
  readonly smokeTraffic: SmokeTrafficPlan;
}

/**
 * The pre-promotion analysis of a blue/green service's preview.
 *
 * Timing (smoke duration `D` = requests / rate, scrape interval `s`, analysis interval `i`,
 * start allowance `a` = 60 s, request timeout `t` = 10 s):
 * - the smoke Job may run `a + 2D + t` seconds (`activeDeadlineSeconds`): its pod may take `a`
 *   to start, and a slow preview may halve the rate;
 * - each SLO metric waits `D + 2s` (`initialDelay`: the last request, then a scrape), then
 *   measures every `i`, `count` = 1 + ⌈(a + D + t) / i⌉ times, so its last measurement follows
 *   the Job's deadline by two scrapes;
 * - `failureLimit` 0: one measurement over the smoke traffic breaking a threshold fails;
 *   `inconclusiveLimit` `count - 1`: measurements before the traffic is counted are
 *   inconclusive, and the metric passes only when one measurement counted it and none failed.
 *
 * @example
 * const plan = previewAnalysisPlan(platform, resolveEnvironment(platform, 'catalog', 'prod'), { service: 'catalog-preview', port: 80 });
 * plan.template.jobs?.map((j) => j.name); // ['smoke-traffic']
 */
export function previewAnalysisPlan(platform: Pick<PlatformDefinition, 'prometheusUrl'>, service: EffectiveService, target: PreviewTarget): PreviewAnalysisPlan {
  const delivery = analysedDelivery(service);
  if (delivery.strategy !== 'blue-green') {
    throw new DefinitionError(`preview analysis of service "${service.name}"`, [{ path: `${service.name}.delivery.strategy`, problem: 'must be blue-green: only a blue/green preview takes smoke traffic', value: delivery.strategy }], `${service.environment}/${service.name}`);
  }
  const smoke = delivery.smokeTraffic;
  const d = ANALYSIS_DEFAULTS;
  const i = parseDuration(delivery.analysis.interval) ?? 60;
  const s = parseDuration(service.metrics.scrapeInterval) ?? 30;
  const seconds = smokeSeconds(smoke);
  const slos = measuredSlos(service);
  const budget = Math.min(...[...slos.availability, ...slos.latency].map((slo) => errorBudget(slo.objective)));
  const maxUnanswered = Math.floor(smoke.requests * budget);
  const minCounted = smoke.requests - maxUnanswered;
  const url = `http://${target.service}.${service.namespace}.svc:${target.port}${smoke.path}`;
  const activeDeadlineSeconds = d.smokeStartSeconds + 2 * seconds + d.smokeRequestTimeoutSeconds;
  const count = 1 + Math.ceil((d.smokeStartSeconds + seconds + d.smokeRequestTimeoutSeconds) / i);
  const limits = { interval: goDuration(i), initialDelay: goDuration(seconds + 2 * s), count, failureLimit: 0, inconclusiveLimit: count - 1, consecutiveErrorLimit: count - 1 };

  const scope = `${scopeMatchers(service)}, ${hashMatcher(CANARY_HASH_ARG)}`;
  /** `expr` only once the preview's pods counted `minCounted` requests of `counter`. */
  const counted = (expr: string, counter: string, fragment: string): string => `(\n${expr}\n)\nand on ()\n(sum(${selector(counter, scope, fragment)}) >= ${minCounted})`;
  const requests = service.metrics.requestsMetric;
  const latency = service.metrics.latencyMetric;
  const metrics: AnalysisMetricPlan[] = [
    ...slos.availability.map((slo) => {
      const max = delivery.analysis.maxErrorRatio[slo.name] ?? errorBudget(slo.objective);
      return {
        name: `preview-error-ratio-${slo.name}`,
        description: `The preview's error ratio over the smoke traffic must stay at most ${formatNumber(max)} (SLO ${slo.name}: ${formatNumber(slo.objective)}%).`,
        query: counted(`  (sum(${selector(requests, scope, slo.totalSelector, slo.badSelector)}) or on () vector(0))\n  /\n  sum(${selector(requests, scope, slo.totalSelector)})`, requests, slo.totalSelector),
        ...atMost(max),
        ...limits,
      };
    }),
    ...slos.latency.map((slo) => {
      const max = delivery.analysis.maxLatencySeconds[slo.name] ?? slo.thresholdSeconds;
      return {
        name: `preview-latency-${slo.name}`,
        description: `The preview's ${formatNumber(slo.objective)}th percentile latency over the smoke traffic must stay at most ${formatNumber(max)}s (SLO ${slo.name}).`,
        query: counted(`  histogram_quantile(${formatNumber(slo.objective / 100)}, sum by (le) (${selector(`${latency}_bucket`, scope, slo.selector)}))`, `${latency}_count`, slo.selector),
        ...atMost(max),
        ...limits,
      };
    }),
  ];
  const job: JobMetricPlan = {
    name: 'smoke-traffic',
    description: `Sends ${smoke.requests} GET requests to the preview at ${formatNumber(smoke.requestsPerSecond)} per second; fails when more than ${maxUnanswered} get no HTTP answer.`,
    container: {
      name: 'smoke-traffic',
      image: SMOKE_TRAFFIC_IMAGE,
      command: ['/bin/sh', '-c', SMOKE_TRAFFIC_SCRIPT],
      env: {
        MAX_UNANSWERED: String(maxUnanswered),
        PAUSE_SECONDS: String(Number((1 / smoke.requestsPerSecond).toFixed(3))),
        REQUESTS: String(smoke.requests),
        TIMEOUT_SECONDS: String(d.smokeRequestTimeoutSeconds),
        URL: url,
      },
      ...SMOKE_TRAFFIC_USER,
    },
    activeDeadlineSeconds,
  };
  return {
    template: templatePlan(platform, service, `${service.name}-preview`, metrics, [job]),
    smokeTraffic: { url, requests: smoke.requests, seconds, maxUnanswered, minCounted },
  };
}
