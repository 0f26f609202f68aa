import { ANALYSIS_DEFAULTS, AnalysisMetricPlan, CanaryAnalysisPlan, POD_TEMPLATE_HASH_LABEL, POD_TEMPLATE_HASH_RELABELING, ROLLOUT_ANALYSIS_ARGS, canaryAnalysisPlan } from '../../lib/delivery';
import { promqlErrors } from '../../lib/promql/parse';
import { definitionErrorOf } from '../support/tools';
import type { CanaryDeliveryInput, DeliveryAnalysisInput } from '../../lib/definition';
import { ANALYSIS_DELIVERY, canaryService } from './fixtures';

function metric(plan: CanaryAnalysisPlan, name: string): AnalysisMetricPlan {
  const found = [...plan.background.metrics, ...(plan.budgetFreeze?.metrics ?? [])].find((m) => m.name === name);
  if (found === undefined) throw new Error(`no metric ${name} in ${plan.background.metrics.map((m) => m.name).join(', ')}`);
  return found;
}

/** The plan of the fixture's canary with these analysis settings (and further delivery fields). */
function planWith(analysis: DeliveryAnalysisInput, delivery: Partial<CanaryDeliveryInput> = {}): CanaryAnalysisPlan {
  const s = canaryService({ delivery: { ...ANALYSIS_DELIVERY, steps: [...ANALYSIS_DELIVERY.steps], ...delivery, analysis } });
  return canaryAnalysisPlan(s.platform, s.service);
}

describe('canaryAnalysisPlan', () => {
  const { platform, service } = canaryService();
  const plan = canaryAnalysisPlan(platform, service);

  it('measures each availability and latency SLO and the playbook rollback in the background, and freezes on the budget before', () => {
    expect(plan.background.name).toBe('orders-canary');
    expect(plan.background.namespace).toBe(service.namespace);
    expect(plan.background.metrics.map((m) => m.name)).toEqual(['error-ratio-availability', 'latency-latency', 'early-error-ratio']);
    expect(plan.budgetFreeze?.name).toBe('orders-budget-freeze');
    expect(plan.budgetFreeze?.metrics.map((m) => m.name)).toEqual(['error-budget-remaining']);
  });

  it('queries the platform Prometheus with both hashes declared as arguments the Rollout fills from the pod-template hashes', () => {
    for (const template of [plan.background, plan.budgetFreeze]) {
      expect(template?.prometheusAddress).toBe('http://prometheus.monitoring:9090');
      expect(template?.args).toEqual(['canary-hash', 'stable-hash']);
    }
    expect(plan.rolloutArgs).toBe(ROLLOUT_ANALYSIS_ARGS);
    expect(plan.rolloutArgs).toEqual([
      { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
      { name: 'stable-hash', valueFrom: { podTemplateHashValue: 'Stable' } },
    ]);
  });

  it('selects the canary pods by their relabeled pod-template hash, and the service by job and namespace', () => {
    expect(POD_TEMPLATE_HASH_LABEL).toBe('rollouts_pod_template_hash');
    expect(POD_TEMPLATE_HASH_RELABELING).toEqual({ action: 'replace', sourceLabels: ['__meta_kubernetes_pod_label_rollouts_pod_template_hash'], targetLabel: 'rollouts_pod_template_hash' });
    for (const m of plan.background.metrics) {
      const selectors = m.query.match(/\{[^}]*\}\}"[^}]*\}/g) ?? [];
      expect(selectors.length).toBeGreaterThanOrEqual(2);
      for (const s of selectors) {
        expect(s).toContain(`job="orders"`);
        expect(s).toContain(`namespace="${service.namespace}"`);
        expect(s).toContain('rollouts_pod_template_hash="{{args.canary-hash}}"');
      }
      expect(m.query).not.toContain('stable-hash');
    }
  });

  it('writes every query as PromQL that parses', () => {
    for (const m of [...plan.background.metrics, ...(plan.budgetFreeze?.metrics ?? [])]) expect(promqlErrors(m.query)).toEqual([]);
  });

  it('answers only with enough canary requests over the window, and counts a missing error series as no errors', () => {
    const errors = metric(plan, 'error-ratio-availability').query;
    expect(errors).toContain('and on ()\n(sum(increase(http_requests_total{job="orders", namespace="shop", rollouts_pod_template_hash="{{args.canary-hash}}"}[2m])) >= 100)');
    expect(errors).toContain('code=~"5.."}[2m])) or on () vector(0))');
    const latency = metric(plan, 'latency-latency').query;
    expect(latency).toContain('histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{');
    expect(latency).toContain('(sum(increase(http_request_duration_seconds_count{');
  });

  it('by default holds the canary to the SLO error budget and latency threshold, never passing without data', () => {
    expect(metric(plan, 'error-ratio-availability')).toMatchObject({
      successCondition: 'len(result) == 1 && !isNaN(result[0]) && result[0] <= 0.001',
      failureCondition: 'len(result) == 1 && !isNaN(result[0]) && result[0] > 0.001',
    });
    expect(metric(plan, 'latency-latency')).toMatchObject({ successCondition: 'len(result) == 1 && !isNaN(result[0]) && result[0] <= 0.25' });
    expect(metric(plan, 'early-error-ratio')).toMatchObject({ failureCondition: 'len(result) == 1 && !isNaN(result[0]) && result[0] > 0.05' });
  });

  it('derives the interval, window, count and limits from the defaults and the canary steps', () => {
    expect(ANALYSIS_DEFAULTS).toMatchObject({ interval: '1m', minRequests: 100, compareToStable: false, earlyRollback: true, earlyRollbackErrorRatio: 0.05, earlyRollbackWindow: '10m' });
    expect(plan).toMatchObject({ intervalSeconds: 60, window: '2m', minRequests: 100 });
    // Three steps of 5m: 15 one-minute measurements; a step's worth (5) inconclusive or errored is tolerated.
    expect(metric(plan, 'error-ratio-availability')).toMatchObject({ interval: '1m', count: 15, failureLimit: 1, inconclusiveLimit: 5, consecutiveErrorLimit: 5 });
    expect(metric(plan, 'early-error-ratio')).toMatchObject({ interval: '1m', count: 10, failureLimit: 0, inconclusiveLimit: 5 });
    expect(metric(plan, 'error-budget-remaining')).toMatchObject({ count: 1, failureLimit: 0, inconclusiveLimit: 0, consecutiveErrorLimit: 5 });
  });

  it('freezes at or below a floor of 0 on the remaining budget of every SLO of the service', () => {
    const freeze = metric(plan, 'error-budget-remaining');
    expect(freeze.query).toBe('min(slo:error_budget_remaining:ratio{service="orders", slo=~"availability|latency"})');
    expect(freeze.successCondition).toBe('len(result) == 1 && !isNaN(result[0]) && result[0] > 0');
    expect(freeze.failureCondition).toBe('len(result) == 1 && !isNaN(result[0]) && result[0] <= 0');
  });

  it('compares with stable in percentage points when asked, by default up to the error budget in percent', () => {
    expect(plan.background.metrics.some((m) => m.name === 'error-increase-vs-stable')).toBe(false);
    const compared = metric(planWith({ compareToStable: {} }), 'error-increase-vs-stable');
    expect(compared.query).toContain('{{args.canary-hash}}');
    expect(compared.query).toContain('{{args.stable-hash}}');
    expect(compared.query.endsWith(') * 100')).toBe(true);
    expect(compared.successCondition).toBe('len(result) == 1 && !isNaN(result[0]) && result[0] <= 0.1');
    expect(metric(planWith({ compareToStable: { maxIncreasePoints: 0.05 } }), 'error-increase-vs-stable').failureCondition).toBe('len(result) == 1 && !isNaN(result[0]) && result[0] > 0.05');
  });

  it('takes stricter thresholds, another interval and request minimum from the definition, and the freeze floor as a share of the budget', () => {
    const tuned = planWith({ maxErrorRatio: { availability: 0.0005 }, maxLatencySeconds: { latency: 0.1 }, interval: '2m', minRequests: 20 }, { budgetFreeze: { floor: 25 } });
    expect(metric(tuned, 'error-ratio-availability').successCondition).toBe('len(result) == 1 && !isNaN(result[0]) && result[0] <= 0.0005');
    expect(metric(tuned, 'latency-latency').successCondition).toBe('len(result) == 1 && !isNaN(result[0]) && result[0] <= 0.1');
    expect(tuned).toMatchObject({ intervalSeconds: 120, window: '4m', minRequests: 20 });
    expect(metric(tuned, 'error-ratio-availability')).toMatchObject({ interval: '2m', count: 8, inconclusiveLimit: 3 });
    expect(metric(tuned, 'error-ratio-availability').query).toContain('[4m])) >= 20)');
    expect(metric(tuned, 'error-budget-remaining').failureCondition).toBe('len(result) == 1 && !isNaN(result[0]) && result[0] <= 0.25');
  });

  it('leaves out the freeze when it is overridden, and the playbook rollback when switched off', () => {
    const off = planWith({ earlyRollback: false }, { budgetFreeze: { override: { reason: 'the fix for the outage that spent the budget' } } });
    expect(off.budgetFreeze).toBeUndefined();
    expect(off.background.metrics.map((m) => m.name)).toEqual(['error-ratio-availability', 'latency-latency']);
  });

  it('counts the measurements over the canary steps and pauses of the delivery', () => {
    const short = canaryService({ delivery: { strategy: 'canary', steps: [25, 50, 100], stepDuration: '2m' } });
    expect(metric(canaryAnalysisPlan(short.platform, short.service), 'error-ratio-availability')).toMatchObject({ count: 6, inconclusiveLimit: 2, consecutiveErrorLimit: 2 });
    const paused = canaryService({ delivery: { strategy: 'canary', steps: [25, { weight: 50, pause: '20m' }, 100], stepDuration: '2m' } });
    expect(metric(canaryAnalysisPlan(paused.platform, paused.service), 'error-ratio-availability')).toMatchObject({ count: 24, inconclusiveLimit: 2 });
  });

  it('measures a blue/green service after promotion for as long as the default canary would run', () => {
    const blueGreen = canaryService({ delivery: { strategy: 'blue-green' } });
    expect(metric(canaryAnalysisPlan(blueGreen.platform, blueGreen.service), 'error-ratio-availability')).toMatchObject({ count: 30, inconclusiveLimit: 5 });
  });

  it('is the same for the same definition', () => {
    expect(JSON.stringify(planWith({ compareToStable: {} }))).toBe(JSON.stringify(planWith({ compareToStable: {} })));
  });

  it('refuses a rolling service, which has no analysis', () => {
    const rolling = canaryService({ delivery: { strategy: 'rolling' } });
    expect(definitionErrorOf(() => canaryAnalysisPlan(rolling.platform, rolling.service))).toBe(
      'Invalid analysis of service "orders" (1 problem):\n  - [prod/orders] orders.delivery.strategy: must be canary or blue-green: a rolling delivery has no analysis (got "rolling")',
    );
  });
});
