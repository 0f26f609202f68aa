import { Highlight, OutputDiff, diffOutputs, renderDiffMarkdown, renderDiffText } from '../../lib/diff';
import { EXAMPLE_YAML, raiseObjectiveAndAddCanaryStep, synthesizeExample } from './fixtures';

const ENVIRONMENTS = ['dev', 'staging', 'prod'];

/** The highlights of a topic as `<subject> <field>: <before> → <after>` lines. */
function lines(diff: OutputDiff, topic: Highlight['topic']): string[] {
  return diff.highlights.filter((h) => h.topic === topic).map((h) => `${h.subject}${h.field !== undefined ? ` ${h.field}` : ''}: ${h.before ?? '(none)'} → ${h.after ?? '(none)'}`);
}

describe('the diff of the example platform when checkout raises its objective and adds a canary step', () => {
  const base = synthesizeExample();
  const head = synthesizeExample(raiseObjectiveAndAddCanaryStep(EXAMPLE_YAML));
  const diff = diffOutputs(base.files, head.files);

  it('changes objects of checkout only, in every environment, and the platform-wide readiness report; adds or removes none', () => {
    expect(diff.objects.filter((o) => o.change !== 'changed')).toEqual([]);
    const report = diff.objects.filter((o) => /^readiness\.(md|json)$/.test(o.object.file));
    expect(report.map((o) => o.object.file)).toEqual(['readiness.json', 'readiness.md']);
    const others = diff.objects.filter((o) => !report.includes(o));
    expect(new Set(others.map((o) => o.object.scope))).toEqual(new Set(['checkout']));
    expect(new Set(others.map((o) => o.object.environment))).toEqual(new Set(ENVIRONMENTS));
    expect(diff.files.added).toEqual([]);
    expect(diff.files.removed).toEqual([]);
    expect(diff.files.changed.every((f) => /\/checkout\.|shop-(dev|staging|prod)\/cdk\.tf\.json$|^runbooks\/[^/]+\/services\/checkout\/|^gamedays\/[^/]+\/checkout\/|^readiness\.(md|json)$/.test(f))).toBe(true);
  });

  it('puts the objective first, once for the PrometheusRule, the rule file and the Cloud Monitoring SLO of every environment', () => {
    expect(diff.highlights[0]).toEqual({
      topic: 'SLO objectives',
      scope: 'checkout',
      subject: 'SLO availability',
      field: 'objective',
      before: '99.9%',
      after: '99.95%',
      environments: ENVIRONMENTS,
      kinds: ['Prometheus rule file', 'PrometheusRule', 'google_monitoring_slo'],
      rank: 0,
    });
    expect(lines(diff, 'SLO objectives')).toHaveLength(1);
  });

  it('shows each burn-rate alert with its threshold halved, as the budget is: factor × 0.05% for the factors 14.4, 6, 3 and 1', () => {
    expect(lines(diff, 'Alert thresholds and windows')).toEqual([
      'alert SloErrorBudgetBurn{long_window=1d, slo=availability} expr: 0.003 → 0.0015',
      'alert SloErrorBudgetBurn{long_window=1h, slo=availability} expr: 0.0144 → 0.0072',
      'alert SloErrorBudgetBurn{long_window=3d, slo=availability} expr: 0.001 → 0.0005',
      'alert SloErrorBudgetBurn{long_window=6h, slo=availability} expr: 0.006 → 0.003',
    ]);
    expect(diff.highlights.filter((h) => h.topic === 'Alert thresholds and windows').every((h) => h.environments.length === 3)).toBe(true);
  });

  it('shows the canary steps before and after, and the analysis that now runs longer against the smaller budget', () => {
    expect(lines(diff, 'Canary steps and analysis')).toEqual([
      'canary steps: analysis checkout-budget-freeze → 1% (10m) → 5% (10m) → 10% (10m) → 25% (10m) → 50% (10m) → 100% (10m) → analysis checkout-budget-freeze → 1% (10m) → 5% (10m) → 10% (10m) → 25% (10m) → 50% (10m) → 75% (10m) → 100% (10m)',
      'analysis checkout-canary/error-ratio-availability count: 60 → 70',
      'analysis checkout-canary/error-ratio-availability failureCondition: 0.001 → 0.0005',
      'analysis checkout-canary/error-ratio-availability successCondition: 0.001 → 0.0005',
      'analysis checkout-canary/latency-latency count: 60 → 70',
    ]);
  });

  it('highlights nothing about replicas, images or routing, which did not change', () => {
    expect(new Set(diff.highlights.map((h) => h.topic))).toEqual(new Set(['SLO objectives', 'Alert thresholds and windows', 'Canary steps and analysis']));
  });

  it('lists the Rollout changed by the two steps jsondiffpatch finds added', () => {
    const rollouts = diff.objects.filter((o) => o.object.kind === 'Rollout');
    expect(rollouts.map((o) => o.object.environment)).toEqual(ENVIRONMENTS);
    for (const rollout of rollouts) {
      expect(rollout.fields.map((f) => [f.change, f.after])).toEqual([
        ['added', { setWeight: 75 }],
        ['added', { pause: { duration: '10m' } }],
      ]);
    }
  });

  it('reads well as text for a terminal (snapshot for review)', () => {
    expect(renderDiffText(diff, { base: 'base/dist', head: 'dist' })).toMatchSnapshot();
  });

  it('reads well as Markdown for a pull-request comment (snapshot for review), every table row with its five cells', () => {
    const markdown = renderDiffMarkdown(diff, { base: 'base/dist', head: 'dist' });
    expect(markdown).toMatchSnapshot();
    const rows = markdown.split('\n').filter((line) => line.startsWith('|'));
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(7);
  });

  it('finds no change between two syntheses of the same definition', () => {
    const again = diffOutputs(base.files, synthesizeExample().files);
    expect(again.objects).toEqual([]);
    expect(again.highlights).toEqual([]);
    expect(renderDiffText(again, { base: 'a', head: 'b' })).toBe(`Diff of a → b: no changes (${base.files.length} files compared).\n`);
  });
});
