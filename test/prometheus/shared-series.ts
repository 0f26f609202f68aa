/**
 * Services of the Prometheus tests whose SLOs read the same series, built on the valid
 * definitions of the fixtures:
 * - `twice`: two availability SLOs over the same requests, 99.9% over 30 days and 99% over 7;
 * - `histogram`: an availability and a latency SLO over the same selector of one histogram,
 *   whose `_count` is the requests metric and whose failures are every request not 2xx;
 * - `percentiles`: two latency SLOs over the same requests, 100ms at 95% and 1s at 99%.
 */
import { EffectiveService, ServiceDefinitionInput, resolveEnvironment } from '../../lib/definition';
import { availability, service } from '../fixtures/definitions';
import { rulesPlatform } from '../fixtures/prometheus';

/** Two availability SLOs over the same requests. */
export const TWICE: ServiceDefinitionInput = service({
  name: 'twice',
  slos: [availability(), availability({ name: 'weekly', objective: 99, period: '7d' })],
});

/** An availability and a latency SLO over the same selector of one histogram. */
export const HISTOGRAM: ServiceDefinitionInput = service({
  name: 'histogram',
  metrics: { requestsMetric: 'http_request_duration_seconds_count', latencyBuckets: [0.1, 0.3, 1, 2.5] },
  slos: [
    availability({ totalSelector: 'handler="/checkout"', badSelector: 'code!~"2.."' }),
    { kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.3, selector: 'handler="/checkout"' },
  ],
});

/** Two latency SLOs over the same requests, at two thresholds. */
export const PERCENTILES: ServiceDefinitionInput = service({
  name: 'percentiles',
  metrics: { latencyBuckets: [0.1, 0.3, 1, 2.5] },
  slos: [
    { kind: 'latency', name: 'fast', objective: 95, thresholdSeconds: 0.1 },
    { kind: 'latency', name: 'slow', objective: 99, thresholdSeconds: 1 },
  ],
});

/** The shop platform of the three services. */
export const SHARED_PLATFORM = rulesPlatform(TWICE, HISTOGRAM, PERCENTILES);

/** One of the three services in one environment. */
export function sharedService(name: 'twice' | 'histogram' | 'percentiles', environment = 'prod'): EffectiveService {
  return resolveEnvironment(SHARED_PLATFORM, name, environment);
}
