/**
 * The typed hook through which users add their own rows and panels to a generated dashboard.
 * What they add is checked like the generated panels: queries parsed, metrics declared.
 */
import { DefinitionError, DefinitionIssue } from '../definition/errors';
import { METRIC_NAME } from '../definition/checks';
import { DashboardPlan, PanelPlan, RowPlan } from './types';

/** What a hook can do to a dashboard. Every method returns the extension, to chain calls. */
export interface DashboardExtension {
  /** The plan as generated, before any addition. */
  readonly plan: DashboardPlan;
  /** Appends a row of panels after the generated rows. */
  addRow(row: RowPlan): this;
  /** Appends panels to a row by title: a generated one (`SERVICE_ROWS`) or one added before. */
  addPanels(rowTitle: string, ...panels: PanelPlan[]): this;
  /** Declares the raw metrics the added panels read, beyond those of the definition. */
  declareMetrics(...names: string[]): this;
}

/**
 * A hook that adds rows and panels to a generated dashboard.
 * @example
 * const hook: DashboardHook = (d) => d.declareMetrics('checkout_cart_size').addPanels('RED: requests, errors, duration', cartPanel);
 */
export type DashboardHook = (dashboard: DashboardExtension) => void;

/** Grid columns of a dashboard row. */
export const GRID_WIDTH = 24;

/** The tallest panel a hook may add, in grid rows. */
export const MAX_PANEL_HEIGHT = 100;

function panelIssues(at: string, panel: PanelPlan, keys: Set<string>): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  if (keys.has(panel.key)) issues.push({ path: `${at}.key`, problem: 'must be unique in the dashboard', value: panel.key });
  keys.add(panel.key);
  if (!(Number.isInteger(panel.width) && panel.width >= 1 && panel.width <= GRID_WIDTH)) {
    issues.push({ path: `${at}.width`, problem: `must be a whole number of grid columns from 1 to ${GRID_WIDTH}`, value: panel.width });
  }
  if (!(Number.isInteger(panel.height) && panel.height >= 1 && panel.height <= MAX_PANEL_HEIGHT)) {
    issues.push({ path: `${at}.height`, problem: `must be a whole number of grid rows from 1 to ${MAX_PANEL_HEIGHT}`, value: panel.height });
  }
  if (panel.queries.length === 0) issues.push({ path: `${at}.queries`, problem: 'must hold at least one query', value: panel.queries });
  const refIds = new Set<string>();
  panel.queries.forEach((q, i) => {
    if (refIds.has(q.refId)) issues.push({ path: `${at}.queries[${i}].refId`, problem: 'must be unique in the panel', value: q.refId });
    refIds.add(q.refId);
  });
  return issues;
}

/**
 * The plan with a hook's additions: rows appended, panels appended to rows, metrics declared.
 * Throws a `DefinitionError` naming every addition that does not fit: an unknown row, a
 * duplicate panel key or query id, a panel wider than the grid, a bad metric name.
 */
export function extendPlan(plan: DashboardPlan, hook: DashboardHook | undefined): DashboardPlan {
  if (hook === undefined) return plan;
  const rows: { title: string; collapsed?: boolean; panels: PanelPlan[] }[] = plan.rows.map((r) => ({ ...r, panels: [...r.panels] }));
  const metrics = new Set(plan.extraMetrics);
  const issues: DefinitionIssue[] = [];
  const keys = new Set(plan.rows.flatMap((r) => r.panels.map((p) => p.key)));
  const root = `dashboard ${plan.uid}`;
  const add = (rowIndex: number, panels: readonly PanelPlan[]): void => {
    const row = rows[rowIndex];
    for (const panel of panels) {
      issues.push(...panelIssues(`${root}.rows[${rowIndex}].panels[${row.panels.length}]`, panel, keys));
      row.panels.push(panel);
    }
  };
  const extension: DashboardExtension = {
    plan,
    addRow(row) {
      if (rows.some((r) => r.title === row.title)) {
        issues.push({ path: `${root}.rows[${rows.length}].title`, problem: 'must differ from the titles of the other rows', value: row.title });
      }
      rows.push({ ...row, panels: [] });
      add(rows.length - 1, row.panels);
      return this;
    },
    addPanels(rowTitle, ...panels) {
      const index = rows.findIndex((r) => r.title === rowTitle);
      if (index < 0) {
        issues.push({ path: `${root}.rows`, problem: `has no row of that title; rows: ${rows.map((r) => JSON.stringify(r.title)).join(', ')}`, value: rowTitle });
      } else {
        add(index, panels);
      }
      return this;
    },
    declareMetrics(...names) {
      for (const name of names) {
        if (!METRIC_NAME.test(name) || name.includes(':')) {
          issues.push({ path: `${root}.extraMetrics`, problem: 'must be a raw Prometheus metric name ([a-zA-Z_][a-zA-Z0-9_]*); recording rules are checked against the rules', value: name });
        } else {
          metrics.add(name);
        }
      }
      return this;
    },
  };
  hook(extension);
  if (issues.length > 0) throw new DefinitionError(`additions to dashboard ${plan.uid}`, issues);
  return { ...plan, rows, extraMetrics: [...metrics].sort() };
}
