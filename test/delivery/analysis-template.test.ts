import { AnalysisTemplate as AnalysisTemplateModel } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import { Chart, Testing } from 'cdk8s';
import { ANALYSIS_DEFAULTS, AnalysisTemplate, CanaryAnalysisPlan, canaryAnalysisPlan } from '../../lib/delivery';
import { ANALYSIS_DEFAULTS as TEMPLATE_DEFAULTS } from '../../lib/delivery/analysis-template';
import { parseCondition, measurementPhase } from '../support/argo-expression';
import { KubeObject, crdProblems } from '../support/schema';
import { ANALYSIS_DELIVERY, canaryService } from './fixtures';

function synth(plan: CanaryAnalysisPlan, labels?: Record<string, string>): KubeObject[] {
  const chart = new Chart(Testing.app(), 'prod-orders');
  new AnalysisTemplate(chart, 'canary', { plan: plan.background, labels });
  if (plan.budgetFreeze !== undefined) new AnalysisTemplate(chart, 'freeze', { plan: plan.budgetFreeze, labels });
  return Testing.synth(chart) as KubeObject[];
}

/** The fixture's canary, compared with stable. */
function compared(changes: Record<string, unknown> = {}): CanaryAnalysisPlan {
  const { platform, service } = canaryService({ delivery: { ...ANALYSIS_DELIVERY, steps: [...ANALYSIS_DELIVERY.steps], analysis: { compareToStable: {} }, ...changes } });
  return canaryAnalysisPlan(platform, service);
}

describe('AnalysisTemplate', () => {
  const plan = compared();
  const objects = synth(plan);

  it('renders the background and freeze templates (snapshot for review)', () => {
    expect(objects).toMatchSnapshot();
  });

  it('renders every planned metric with the Prometheus provider at the platform address', () => {
    expect(objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['argoproj.io/v1alpha1 AnalysisTemplate shop/orders-canary', 'argoproj.io/v1alpha1 AnalysisTemplate shop/orders-budget-freeze']);
    const spec = objects[0].spec as { args: { name: string }[]; metrics: Record<string, unknown>[] };
    expect(spec.args).toEqual([{ name: 'canary-hash' }, { name: 'stable-hash' }]);
    expect(spec.metrics.map((m) => m.name)).toEqual(plan.background.metrics.map((m) => m.name));
    const first = plan.background.metrics[0];
    expect(spec.metrics[0]).toEqual({
      name: first.name,
      interval: '1m',
      count: first.count,
      successCondition: first.successCondition,
      failureCondition: first.failureCondition,
      failureLimit: 1,
      inconclusiveLimit: first.inconclusiveLimit,
      consecutiveErrorLimit: first.consecutiveErrorLimit,
      provider: { prometheus: { address: 'http://prometheus.monitoring:9090', query: first.query } },
    });
  });

  it('is valid against the vendored Argo Rollouts CRD', () => {
    expect(objects.flatMap(crdProblems)).toEqual([]);
  });

  it('is valid for the @kubernetes-models/argo-rollouts model', () => {
    for (const object of objects) expect(() => new AnalysisTemplateModel(object as never).validate()).not.toThrow();
  });

  it('is refused by both schemas when a metric lacks its provider, so the checks can fail', () => {
    const broken = { ...objects[0], spec: { metrics: [{ name: 'x' }] } } as KubeObject;
    expect(crdProblems(broken).join('\n')).toContain("must have required property 'provider'");
    expect(() => new AnalysisTemplateModel(broken as never).validate()).toThrow();
  });

  it('keeps every condition within the documented subset, and no data inconclusive', () => {
    for (const m of [...plan.background.metrics, ...(plan.budgetFreeze?.metrics ?? [])]) {
      expect(() => parseCondition(m.successCondition)).not.toThrow();
      expect(() => parseCondition(m.failureCondition)).not.toThrow();
      expect(measurementPhase(m, [])).toBe('Inconclusive');
      expect(measurementPhase(m, [NaN])).toBe('Inconclusive');
    }
  });

  it('carries the labels given, and none by default', () => {
    expect(objects[0].metadata.labels).toBeUndefined();
    const labelled = synth(plan, { 'app.kubernetes.io/name': 'orders' });
    expect(labelled.map((o) => o.metadata.labels)).toEqual([{ 'app.kubernetes.io/name': 'orders' }, { 'app.kubernetes.io/name': 'orders' }]);
  });

  it('renders only the background template when the freeze is overridden', () => {
    expect(synth(compared({ budgetFreeze: { override: { reason: 'the fix for the outage' } } })).map((o) => o.metadata.name)).toEqual(['orders-canary']);
  });

  it('exports the same defaults as the plan', () => {
    expect(TEMPLATE_DEFAULTS).toBe(ANALYSIS_DEFAULTS);
  });

  it('synthesizes byte-identical output for the same definition', () => {
    expect(JSON.stringify(synth(compared()))).toBe(JSON.stringify(objects));
  });
});
