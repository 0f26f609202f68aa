import { PanelPlan, SERVICE_ROWS, extendPlan, queries, serviceDashboardPlan, timeseries } from '../../lib/dashboards';
import { definitionErrorOf } from '../support/tools';
import { inEnv, panelsOf, shop } from './fixtures';

const p = shop();
const plan = serviceDashboardPlan(p, inEnv(p, 'checkout'));

function cart(changes: Partial<PanelPlan> = {}): PanelPlan {
  return timeseries({ key: 'custom/cart', title: 'Cart size', question: 'How full are carts?', queries: queries({ expr: 'avg(checkout_cart_items)', legend: 'items' }), width: 12, height: 8, ...changes });
}

describe('the dashboard hook', () => {
  it('returns the plan unchanged without a hook', () => {
    expect(extendPlan(plan, undefined)).toBe(plan);
  });

  it('appends rows after the generated ones and panels to a row by title, declaring metrics', () => {
    const extended = extendPlan(plan, (d) => {
      expect(d.plan).toBe(plan);
      d.declareMetrics('checkout_cart_items', 'checkout_orders_total')
        .addPanels(SERVICE_ROWS.red, cart())
        .addRow({ title: 'Business', panels: [cart({ key: 'custom/orders', title: 'Orders' })] })
        .addPanels('Business', cart({ key: 'custom/more' }));
    });
    const red = extended.rows.find((r) => r.title === SERVICE_ROWS.red);
    expect(red?.panels[red.panels.length - 1].key).toBe('custom/cart');
    expect(extended.rows[extended.rows.length - 1]).toMatchObject({ title: 'Business', panels: [{ key: 'custom/orders' }, { key: 'custom/more' }] });
    expect(extended.extraMetrics).toEqual(['checkout_cart_items', 'checkout_orders_total']);
    expect(panelsOf(plan).length).toBe(20);
  });

  it('refuses a row it does not know, naming the rows it has', () => {
    expect(definitionErrorOf(() => extendPlan(plan, (d) => d.addPanels('Business', cart())))).toContain(
      'dashboard shop_prod_checkout.rows: has no row of that title; rows: "Overview", "RED: requests, errors, duration", "USE: utilization, saturation, errors", "Right-sizing", "Deployments" (got "Business")',
    );
  });

  it('refuses duplicate panel keys, row titles and query ids', () => {
    expect(definitionErrorOf(() => extendPlan(plan, (d) => d.addPanels('Overview', cart({ key: 'overview/alerts' }))))).toContain('.key: must be unique in the dashboard (got "overview/alerts")');
    expect(definitionErrorOf(() => extendPlan(plan, (d) => d.addRow({ title: 'Overview', panels: [] })))).toContain('rows[5].title: must differ from the titles of the other rows (got "Overview")');
    const twice = cart({ queries: [...queries({ expr: 'up', legend: 'a' }), ...queries({ expr: 'up', legend: 'b' })] });
    expect(definitionErrorOf(() => extendPlan(plan, (d) => d.addPanels('Overview', twice)))).toContain('queries[1].refId: must be unique in the panel (got "A")');
  });

  it('refuses panels wider than the grid, of no height or without queries', () => {
    expect(definitionErrorOf(() => extendPlan(plan, (d) => d.addPanels('Overview', cart({ width: 25 }))))).toContain('rows[0].panels[7].width: must be a whole number of grid columns from 1 to 24 (got 25)');
    expect(definitionErrorOf(() => extendPlan(plan, (d) => d.addPanels('Overview', cart({ height: 0 }))))).toContain('height: must be a whole number of grid rows from 1 to 100 (got 0)');
    expect(definitionErrorOf(() => extendPlan(plan, (d) => d.addPanels('Overview', cart({ queries: [] }))))).toContain('queries: must hold at least one query (got [])');
  });

  it('refuses metric names that are not raw Prometheus metrics', () => {
    const message = definitionErrorOf(() => extendPlan(plan, (d) => d.declareMetrics('checkout cart', 'slo:custom:ratio')));
    expect(message).toContain('(2 problems)');
    expect(message).toContain('extraMetrics: must be a raw Prometheus metric name ([a-zA-Z_][a-zA-Z0-9_]*); recording rules are checked against the rules (got "checkout cart")');
  });
});
