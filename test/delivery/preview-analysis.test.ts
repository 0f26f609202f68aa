import { Chart, Testing } from 'cdk8s';
import { AnalysisTemplate as AnalysisTemplateModel } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import type { BlueGreenDeliveryInput } from '../../lib/definition';
import { AnalysisTemplate, JOB_METRIC_RESOURCES, PreviewAnalysisPlan, SMOKE_TRAFFIC_IMAGE, SMOKE_TRAFFIC_SCRIPT, previewAnalysisPlan } from '../../lib/delivery';
import { promqlErrors } from '../../lib/promql/parse';
import { measurementPhase, parseCondition } from '../support/argo-expression';
import { KubeObject, crdProblems } from '../support/schema';
import { definitionErrorOf } from '../support/tools';
import { canaryService } from './fixtures';

const TARGET = { service: 'orders-preview', port: 80 };

function plan(delivery: Omit<BlueGreenDeliveryInput, 'strategy'> = {}, changes: Record<string, unknown> = {}): PreviewAnalysisPlan {
  const { platform, service } = canaryService({ delivery: { strategy: 'blue-green', ...delivery }, ...changes });
  return previewAnalysisPlan(platform, service, TARGET);
}

describe('previewAnalysisPlan', () => {
  const preview = plan();
  const metrics = preview.template.metrics;

  it('sends the smoke traffic from a Job, and measures each availability and latency SLO over it', () => {
    expect(preview.template.name).toBe('orders-preview');
    expect(preview.template.jobs?.map((j) => j.name)).toEqual(['smoke-traffic']);
    expect(metrics.map((m) => m.name)).toEqual(['preview-error-ratio-availability', 'preview-latency-latency']);
    expect(preview.template.args).toEqual(['canary-hash', 'stable-hash']);
  });

  it('sends 600 GETs at 5 per second to the preview Service, from curl pinned by digest as its own non-root user', () => {
    expect(preview.smokeTraffic).toEqual({ url: 'http://orders-preview.shop.svc:80/', requests: 600, seconds: 120, maxUnanswered: 0, minCounted: 600 });
    const job = preview.template.jobs?.[0];
    expect(job?.container).toEqual({
      name: 'smoke-traffic',
      image: SMOKE_TRAFFIC_IMAGE,
      command: ['/bin/sh', '-c', SMOKE_TRAFFIC_SCRIPT],
      env: { MAX_UNANSWERED: '0', PAUSE_SECONDS: '0.2', REQUESTS: '600', TIMEOUT_SECONDS: '10', URL: 'http://orders-preview.shop.svc:80/' },
      runAsUser: 100,
      runAsGroup: 101,
    });
    expect(SMOKE_TRAFFIC_IMAGE).toMatch(/^curlimages\/curl:8\.11\.1@sha256:[0-9a-f]{64}$/);
    // The start allowance, twice the smoke's duration for a slow preview, and one request timeout.
    expect(job?.activeDeadlineSeconds).toBe(60 + 2 * 120 + 10);
  });

  it('tolerates as many unanswered requests as the strictest SLO budget allows, and needs the rest counted', () => {
    // 99% latency and 99.5% availability: 2000 requests, the 0.5% budget gives 10.
    const loose = plan({ smokeTraffic: { requests: 2000, requestsPerSecond: 20 } }, { slos: [{ kind: 'availability', name: 'availability', objective: 99.5 }, { kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25 }] });
    expect(loose.smokeTraffic).toMatchObject({ maxUnanswered: 10, minCounted: 1990, seconds: 100 });
    expect(loose.template.jobs?.[0].container.env).toMatchObject({ MAX_UNANSWERED: '10', PAUSE_SECONDS: '0.05' });
  });

  it('reads the preview pods\' counters since they started, only once they counted the smoke requests', () => {
    const errors = metrics[0].query;
    expect(errors).toContain('(sum(http_requests_total{job="orders", namespace="shop", rollouts_pod_template_hash="{{args.canary-hash}}", code=~"5.."}) or on () vector(0))');
    expect(errors).toContain('and on ()\n(sum(http_requests_total{job="orders", namespace="shop", rollouts_pod_template_hash="{{args.canary-hash}}"}) >= 600)');
    expect(errors).not.toMatch(/rate\(|increase\(/);
    expect(metrics[1].query).toContain('histogram_quantile(0.99, sum by (le) (http_request_duration_seconds_bucket{job="orders", namespace="shop", rollouts_pod_template_hash="{{args.canary-hash}}"}))');
    for (const m of metrics) expect(promqlErrors(m.query)).toEqual([]);
  });

  it('holds the preview to the SLO thresholds, the definition\'s when stricter, never passing without data', () => {
    expect(metrics[0]).toMatchObject({ successCondition: 'len(result) == 1 && !isNaN(result[0]) && result[0] <= 0.001', failureCondition: 'len(result) == 1 && !isNaN(result[0]) && result[0] > 0.001' });
    expect(metrics[1].successCondition).toBe('len(result) == 1 && !isNaN(result[0]) && result[0] <= 0.25');
    expect(plan({ analysis: { maxLatencySeconds: { latency: 0.1 } } }).template.metrics[1].failureCondition).toBe('len(result) == 1 && !isNaN(result[0]) && result[0] > 0.1');
    for (const m of metrics) {
      expect(() => parseCondition(m.successCondition)).not.toThrow();
      expect(measurementPhase(m, [])).toBe('Inconclusive');
      expect(measurementPhase(m, [NaN])).toBe('Inconclusive');
    }
  });

  it('waits for the smoke traffic and a scrape, then measures until the Job\'s deadline is two scrapes past', () => {
    // D = 120 s, scrape 30 s, interval 1 m: first measurement at 3m, then 1 + ⌈(60 + 120 + 10) / 60⌉ = 5 in all.
    for (const m of metrics) expect(m).toMatchObject({ initialDelay: '3m', interval: '1m', count: 5, failureLimit: 0, inconclusiveLimit: 4, consecutiveErrorLimit: 4 });
    const quick = plan({ smokeTraffic: { requests: 50, requestsPerSecond: 10 } });
    expect(quick.template.metrics[0]).toMatchObject({ initialDelay: '1m5s', count: 3, inconclusiveLimit: 2 });
    expect(quick.template.jobs?.[0].activeDeadlineSeconds).toBe(80);
  });

  it('refuses a canary, which takes real traffic instead', () => {
    const { platform, service } = canaryService();
    expect(definitionErrorOf(() => previewAnalysisPlan(platform, service, TARGET))).toBe(
      'Invalid preview analysis of service "orders" (1 problem):\n  - [prod/orders] orders.delivery.strategy: must be blue-green: only a blue/green preview takes smoke traffic (got "canary")',
    );
  });
});

describe('AnalysisTemplate of a preview plan', () => {
  const preview = plan();
  const chart = new Chart(Testing.app(), 'prod-orders');
  new AnalysisTemplate(chart, 'preview', { plan: preview.template, jobPodLabels: { 'app.kubernetes.io/name': 'orders-smoke-traffic' } });
  const [object] = Testing.synth(chart) as KubeObject[];
  const spec = object.spec as { metrics: Record<string, unknown>[] };

  it('renders the Job first (snapshot for review), then the Prometheus metrics with their initial delay', () => {
    expect(object).toMatchSnapshot();
    expect(spec.metrics.map((m) => m.name)).toEqual(['smoke-traffic', 'preview-error-ratio-availability', 'preview-latency-latency']);
    expect(spec.metrics[1]).toMatchObject({ initialDelay: '3m', interval: '1m' });
  });

  it('runs the Job once, never restarted, under the restricted Pod Security profile with requests and limits', () => {
    const job = (spec.metrics[0] as { failureLimit: number; provider: { job: { spec: Record<string, unknown> & { template: { metadata: unknown; spec: Record<string, unknown> & { containers: Record<string, unknown>[] } } } } } });
    expect(job.failureLimit).toBe(0);
    const jobSpec = job.provider.job.spec;
    expect(jobSpec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 310 });
    expect(jobSpec.template.metadata).toEqual({ labels: { 'app.kubernetes.io/name': 'orders-smoke-traffic' } });
    expect(jobSpec.template.spec).toMatchObject({
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: { runAsNonRoot: true, runAsUser: 100, runAsGroup: 101, seccompProfile: { type: 'RuntimeDefault' } },
    });
    expect(jobSpec.template.spec.containers[0]).toMatchObject({
      image: SMOKE_TRAFFIC_IMAGE,
      resources: { requests: { ...JOB_METRIC_RESOURCES.requests }, limits: { ...JOB_METRIC_RESOURCES.limits } },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
    });
  });

  it('is valid against the vendored Argo Rollouts CRD and the @kubernetes-models/argo-rollouts model', () => {
    expect(crdProblems(object)).toEqual([]);
    expect(() => new AnalysisTemplateModel(object as never).validate()).not.toThrow();
  });
});
