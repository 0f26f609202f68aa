import { RIGHT_SIZING_ROW, SERVICE_ROWS, checkedServiceDashboardPlan, serviceDashboardPlan } from '../../lib/dashboards';
import { RIGHT_SIZING_RECORDS } from '../../lib/prometheus';
import { service } from '../fixtures/definitions';
import { API, inEnv, panel, rulesOf, shop } from './fixtures';

describe('the Right-sizing row of the service dashboard', () => {
  const p = shop([service({ ...API, rightSizing: { factor: 3, memoryNearLimitPercent: 85 }, environments: { dev: { rightSizing: { enabled: false } } } })]);
  const checkout = inEnv(p, 'checkout');
  const plan = serviceDashboardPlan(p, checkout);

  it('follows the USE row, with 7 days of CPU and memory, the requests over their p95 and the memory peak over the limit', () => {
    const titles = plan.rows.map((r) => r.title);
    expect(titles.indexOf(RIGHT_SIZING_ROW)).toBe(titles.indexOf(SERVICE_ROWS.use) + 1);
    const row = plan.rows.find((r) => r.title === RIGHT_SIZING_ROW)!;
    expect(row.panels.map((x) => [x.key, x.kind, x.width])).toEqual([
      ['right-sizing/cpu', 'timeseries', 8],
      ['right-sizing/memory', 'timeseries', 8],
      ['right-sizing/over-provisioning', 'stat', 4],
      ['right-sizing/memory-peak', 'stat', 4],
    ]);
  });

  it('reads only the recorded right-sizing series, by service and the namespace variable', () => {
    const cpu = panel(plan, 'right-sizing/cpu');
    expect(cpu.queries.map((q) => [q.legend, q.expr])).toEqual([
      ['busiest pod', `${RIGHT_SIZING_RECORDS.usage}{namespace="$namespace", service="checkout", resource="cpu"}`],
      ['p95 (7d)', `${RIGHT_SIZING_RECORDS.p95}{namespace="$namespace", service="checkout", resource="cpu"}`],
      ['request', `${RIGHT_SIZING_RECORDS.requests}{namespace="$namespace", service="checkout", resource="cpu"}`],
      ['limit', `${RIGHT_SIZING_RECORDS.limits}{namespace="$namespace", service="checkout", resource="cpu"}`],
    ]);
    expect(panel(plan, 'right-sizing/memory').queries.map((q) => q.legend)).toEqual(['busiest pod (5m peak)', 'p95 (7d)', 'max (7d)', 'request', 'limit']);
    expect(panel(plan, 'right-sizing/memory').unit).toBe('bytes');
  });

  it('turns red where the alerts fire: from the factor and from the near-limit share of the definition', () => {
    const over = panel(plan, 'right-sizing/over-provisioning');
    expect(over.thresholds).toEqual([{ value: null, color: 'green' }, { value: 3, color: 'red' }]);
    expect(over.queries[0].instant).toBe(true);
    expect(over.question).toContain('From 3× on, ServiceOverProvisioned fires.');
    const peak = panel(plan, 'right-sizing/memory-peak');
    expect(peak.thresholds).toEqual([{ value: null, color: 'green' }, { value: 0.85, color: 'red' }]);
    expect(peak.unit).toBe('percentunit');
  });

  it('passes the synthesis check against the generated rules, and is left out where right-sizing is off', () => {
    expect(() => checkedServiceDashboardPlan(p, checkout, rulesOf(p, checkout))).not.toThrow();
    const withoutRightSizing = rulesOf(p, checkout).filter((g) => !g.name.endsWith('-right-sizing'));
    expect(() => checkedServiceDashboardPlan(p, checkout, withoutRightSizing)).toThrow(/Right-sizing \/ CPU over 7 days: .* reads recording rule service:container_resource_usage:max5m, which the generated rules do not record/);
    expect(serviceDashboardPlan(p, inEnv(p, 'checkout', 'dev')).rows.map((r) => r.title)).not.toContain(RIGHT_SIZING_ROW);
  });
});
