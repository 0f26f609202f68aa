import {
  DashboardHook,
  PanelPlan,
  STANDARD_METRICS,
  PassedChecks,
  assertDashboardConsistent,
  assertDashboardConsistentOnce,
  checkedFleetDashboardPlan,
  checkedServiceDashboardPlan,
  dashboardIssues,
  declaredMetrics,
  plannedQueries,
  serviceDashboardPlan,
  serviceMacroValues,
  timeseries,
  queries,
} from '../../lib/dashboards';
import { definitionErrorOf } from '../support/tools';
import { API, fleetRules, inEnv, rulesOf, shop } from './fixtures';

/** A custom panel reading one query. */
function custom(expr: string, changes: Partial<PanelPlan> = {}): PanelPlan {
  return timeseries({ key: 'custom/panel', title: 'Cart size', question: 'How full are carts?', queries: queries({ expr, legend: 'x' }), width: 12, height: 8, ...changes });
}

describe('the synth-time consistency check of a dashboard', () => {
  const p = shop();
  const checkout = inEnv(p, 'checkout');
  const groups = rulesOf(p, checkout);
  const check = (hook: DashboardHook): string => definitionErrorOf(() => checkedServiceDashboardPlan(p, checkout, groups, hook));
  const addPanel = (panel: PanelPlan, metrics: string[] = []): DashboardHook => (d) => d.declareMetrics(...metrics).addPanels('Overview', panel);

  it('accepts every generated dashboard of every service and environment against its generated rules', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      for (const s of p.services) {
        const effective = inEnv(p, s.name, env);
        expect(dashboardIssues(serviceDashboardPlan(p, effective), { ruleGroups: rulesOf(p, effective), declaredMetrics: declaredMetrics(effective), macros: serviceMacroValues(p, effective) })).toEqual([]);
      }
      expect(() => checkedFleetDashboardPlan(p, env, fleetRules(p, env))).not.toThrow();
    }
  });

  it('fails when a panel reads a recording rule the service does not record, naming the dashboard and panel', () => {
    const message = check(addPanel(custom('slo:sli_error:ratio_rate4h{service="checkout", slo="availability"}')));
    expect(message).toContain('Invalid dashboard shop_prod_checkout (checkout (prod)) (1 problem)');
    expect(message).toContain('dashboard shop_prod_checkout Overview / Cart size: rows[0].panels[7].queries[0].expr: reads recording rule slo:sli_error:ratio_rate4h, which the generated rules do not record');
  });

  it('fails when a recorded series is read with labels no rule gives it', () => {
    const message = check(addPanel(custom('slo:sli_error:ratio_rate1h{service="checkout", slo="freshness"}')));
    expect(message).toContain('reads slo:sli_error:ratio_rate1h{service="checkout", slo="freshness"}, which no generated rule records with those labels');
    const other = check(addPanel(custom('slo:error_budget_remaining:ratio{service="cart"}')));
    expect(other).toContain('which no generated rule records with those labels');
  });

  it('judges a query asked again by the rules and the place it is asked with, not by its first answer', () => {
    const read = addPanel(custom('slo:sli_error:ratio_rate5m{service="checkout", slo="availability"}'));
    expect(() => checkedServiceDashboardPlan(p, checkout, groups, read)).not.toThrow();
    expect(definitionErrorOf(() => checkedServiceDashboardPlan(p, checkout, [], read))).toContain(
      'Overview / Cart size: rows[0].panels[7].queries[0].expr: reads recording rule slo:sli_error:ratio_rate5m, which the generated rules do not record',
    );
    const bad = 'sum(rate(cart_items[5m])';
    const twice = check((d) => d.declareMetrics('cart_items').addPanels('Overview', custom(bad), custom(bad, { key: 'custom/again', title: 'Cart size again' })));
    expect(twice).toContain('Overview / Cart size: rows[0].panels[7].queries[0].expr: invalid PromQL at offset 24');
    expect(twice).toContain('Overview / Cart size again: rows[0].panels[8].queries[0].expr: invalid PromQL at offset 24');
  });

  it("fails every SLO panel when the service's rules are missing", () => {
    const error = definitionErrorOf(() => checkedServiceDashboardPlan(p, checkout, []));
    expect(error).toContain('Overview / SLO attainment: availability');
    expect(error).toContain('Overview / Burn rate: latency');
    expect(error).toContain('which the generated rules do not record (they record nothing)');
  });

  it('fails on a raw metric neither declared nor standard, until the hook declares it', () => {
    const panel = custom('sum(checkout_cart_items{namespace="$namespace"})');
    expect(check(addPanel(panel))).toContain(
      'reads metric checkout_cart_items, which the definition does not declare and which is no standard kube-state-metrics, cAdvisor or Prometheus series',
    );
    const plan = checkedServiceDashboardPlan(p, checkout, groups, addPanel(panel, ['checkout_cart_items']));
    expect(plan.extraMetrics).toEqual(['checkout_cart_items']);
  });

  it("fails on another service's declared metric: a worker does not declare HTTP metrics", () => {
    const notifier = inEnv(p, 'notifier');
    const message = definitionErrorOf(() => checkedServiceDashboardPlan(p, notifier, rulesOf(p, notifier), addPanel(custom('sum(rate(http_requests_total[5m]))'))));
    expect(message).toContain('reads metric http_requests_total, which the definition does not declare');
  });

  it('fails on a selector without a metric name', () => {
    expect(check(addPanel(custom('sum({__name__=~"checkout_.*"})')))).toContain('selector {__name__=~"checkout_.*"} names no metric');
  });

  it('parses every query with its macros expanded, reporting syntax and type errors', () => {
    expect(check(addPanel(custom('sum(rate(up[$__rate_interval])')))).toContain('invalid PromQL at offset 16 of "sum(rate(up[2m])" (its macros expanded): unexpected end of expression');
    expect(check(addPanel(custom('rate(up)')))).toContain('invalid PromQL: expected type range vector in call to function "rate", got instant vector');
    expect(check(addPanel(custom('rate(up[$__unknown])')))).toContain('invalid PromQL at offset');
  });

  it('parses LogQL panels with the Loki grammar and wants lines in a logs panel', () => {
    const logged = shop([API], { loki: { datasource: 'loki' } });
    const s = inEnv(logged, 'checkout');
    const hook = (panel: PanelPlan): DashboardHook => (d) => d.addPanels('Logs', panel);
    const bad = definitionErrorOf(() => checkedServiceDashboardPlan(logged, s, rulesOf(logged, s), hook(custom('sum(rate({app="x"}[5m])', { language: 'logql' }))));
    expect(bad).toContain('invalid LogQL at offset');
    const lines = definitionErrorOf(() =>
      checkedServiceDashboardPlan(logged, s, rulesOf(logged, s), hook({ ...custom('sum(rate({app="x"}[5m]))', { language: 'logql' }), kind: 'logs' })),
    );
    expect(lines).toContain('must be a LogQL log query (lines for a logs panel)');
    const graph = definitionErrorOf(() => checkedServiceDashboardPlan(logged, s, rulesOf(logged, s), hook(custom('{app="x"}', { language: 'logql' }))));
    expect(graph).toContain('must be a LogQL metric query (series for a graph)');
  });

  it('checks the namespace variable and the annotations as queries too', () => {
    const plan = serviceDashboardPlan(p, checkout);
    expect(plannedQueries(plan).filter((q) => q.panel === undefined).map((q) => q.where)).toEqual(['variable namespace', 'annotation Version changes']);
    const broken = { ...plan, annotations: [{ ...plan.annotations[0], expr: 'count(checkout_deploys_total)' }] };
    expect(definitionErrorOf(() => assertDashboardConsistent(broken, { ruleGroups: groups, declaredMetrics: [], macros: serviceMacroValues(p, checkout) }))).toContain(
      'annotation Version changes: annotations[0].expr: reads metric checkout_deploys_total',
    );
  });

  it('runs a check once per plan and input when given the checks that passed, and remembers only those that pass', () => {
    const plan = serviceDashboardPlan(p, checkout);
    const input = { ruleGroups: groups, declaredMetrics: declaredMetrics(checkout), macros: serviceMacroValues(p, checkout) };
    const keys = new Set<string>();
    const asked: string[] = [];
    const passed: PassedChecks = { has: (key) => (asked.push(key), keys.has(key)), add: (key) => keys.add(key) };
    assertDashboardConsistentOnce(plan, input, passed);
    expect(keys.size).toBe(1);
    assertDashboardConsistentOnce(plan, input, passed);
    expect(keys.size).toBe(1);
    expect(new Set(asked).size).toBe(1);
    // Other rules are another input: checked again, and here they fail, so nothing is remembered.
    expect(definitionErrorOf(() => assertDashboardConsistentOnce(plan, { ...input, ruleGroups: [] }, passed))).toContain('which the generated rules do not record');
    expect(keys.size).toBe(1);
    expect(new Set(asked).size).toBe(2);
    // A check remembered as passed is not run: the answer comes from the memory alone.
    const believing: PassedChecks = { has: () => true, add: () => undefined };
    expect(() => assertDashboardConsistentOnce(plan, { ...input, ruleGroups: [] }, believing)).not.toThrow();
    expect(definitionErrorOf(() => assertDashboardConsistentOnce(plan, { ...input, ruleGroups: [] }))).toContain('which the generated rules do not record');
  });

  it('lists the standard series in one place, each with its source', () => {
    const plan = serviceDashboardPlan(shop(), checkout);
    const used = new Set(plannedQueries(plan).flatMap((q) => [...q.expr.matchAll(/(?<![\w:])(kube_[a-z_]+|container_[a-z_]+)\b/g)].map((m) => m[1])));
    for (const name of used) expect(STANDARD_METRICS[name]).toMatch(/^(kube-state-metrics|cadvisor)$/);
    expect(Object.keys(STANDARD_METRICS)).toEqual([...Object.keys(STANDARD_METRICS)].sort());
  });
});
