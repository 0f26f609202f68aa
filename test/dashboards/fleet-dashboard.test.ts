import { dashboardUrl, fleetDashboardUid } from '../../lib/definition';
import { fleetDashboardPlan, selectorsOf } from '../../lib/dashboards';
import { promqlErrors } from '../../lib/promql';
import { service } from '../fixtures/definitions';
import { inEnv, panel, shop } from './fixtures';

describe('the fleet dashboard plan', () => {
  const p = shop();
  const fleet = fleetDashboardPlan(p, 'prod');
  const services = panel(fleet, 'fleet/services');

  it('has the fleet UID of the environment and one table of services with the alerts below', () => {
    expect(fleet.uid).toBe(fleetDashboardUid(p, 'prod'));
    expect(fleet.uid).toBe('shop_prod');
    expect(fleet.rows.flatMap((r) => r.panels.map((x) => x.key))).toEqual(['fleet/services', 'fleet/alerts']);
    expect(fleet.folder).toBe('shop');
    expect(fleet.variables.map((v) => v.name)).toEqual(['datasource', 'environment']);
  });

  it('joins one row per service: targets up, SLO status, budget remaining and burn rate, worst budget first', () => {
    expect(services.table?.key).toBe('service');
    expect(services.table?.columns.map((c) => c.title)).toEqual(['Service', 'Team', 'Targets up', 'SLO status', 'Budget remaining', 'Burn rate']);
    expect(services.table?.sortBy).toEqual({ field: '#C', descending: false });
    expect(services.queries.map((q) => q.refId)).toEqual(['A', 'B', 'C', 'D']);
    for (const q of services.queries) {
      const named = new Set(selectorsOf(q.expr).flatMap((s) => s.matchers.filter((m) => m.name === 'service' || m.name === 'job').map((m) => m.value)));
      expect([...named].sort()).toEqual(['cart', 'checkout', 'notifier']);
    }
  });

  it("links each row to the service dashboard at its alerts' dashboard_url", () => {
    const first = services.queries[0].expr;
    for (const name of ['cart', 'checkout', 'notifier']) {
      expect(first).toContain(JSON.stringify(dashboardUrl(p, inEnv(p, name))));
    }
    expect(services.table?.columns[0].link?.url).toBe('${__data.fields.dashboard_url}');
    expect(services.table?.hidden).toEqual(['dashboard_url']);
  });

  it('maps the SLO status to met or missed and colors budgets at the budget-low level', () => {
    const status = services.overrides?.find((o) => o.refId === 'B');
    expect(status?.mappings?.map((m) => [m.from, m.to, m.text])).toEqual([
      [0, undefined, 'met'],
      [undefined, 0, 'missed'],
    ]);
    expect(services.overrides?.find((o) => o.refId === 'C')?.thresholds?.map((t) => t.value)).toEqual([null, 0, 0.25]);
    expect(services.queries[1].expr).toContain('1 - slo:sli_error:ratio_rate30d{service="checkout", slo="availability"} - slo:objective:ratio{service="checkout", slo="availability"}');
    expect(services.queries[3].expr).toContain('slo:sli_error:ratio_rate1h{service="notifier", slo="delivery"} / slo:error_budget:ratio{service="notifier", slo="delivery"}');
  });

  it('keeps services without SLOs in the table, by their targets alone', () => {
    const bare = shop([service({ slos: [] })]);
    const table = panel(fleetDashboardPlan(bare, 'prod'), 'fleet/services');
    expect(table.queries.map((q) => q.refId)).toEqual(['A']);
    expect(table.table?.columns.map((c) => c.field)).toEqual(['service', 'team', '#A']);
    expect(table.table?.sortBy?.field).toBe('#A');
  });

  it('has no panels for an environment without services', () => {
    const empty = shop([]);
    expect(fleetDashboardPlan(empty, 'prod').rows).toEqual([]);
  });

  it('keeps a $ in a dashboard URL literal in label_replace', () => {
    const dollar = shop([service({})], { dashboardBaseUrl: 'https://grafana.example.com/$team' });
    expect(panel(fleetDashboardPlan(dollar, 'prod'), 'fleet/services').queries[0].expr).toContain('"https://grafana.example.com/$$team/d/shop_prod_checkout');
  });

  it('keeps fleet queries parseable for hundreds of services, the per-service parts joined in a balanced tree', () => {
    const many = shop(Array.from({ length: 300 }, (_, i) => service({ name: `svc-${i}`, team: 'fleet-team' })));
    const table = panel(fleetDashboardPlan(many, 'prod'), 'fleet/services');
    for (const q of table.queries) {
      expect(promqlErrors(q.expr)).toEqual([]);
      expect(new Set(selectorsOf(q.expr).flatMap((s) => s.matchers.filter((m) => m.name === 'service' || m.name === 'job').map((m) => m.value))).size).toBe(300);
    }
  });
});
