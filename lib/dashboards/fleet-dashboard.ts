/**
 * The plan of an environment's fleet dashboard: one table row per service with its targets up,
 * SLO status, error budget left and burn rate, worst first, each row opening the service's
 * dashboard; and the alerts of the whole fleet.
 */
import { equalityMatchers, matcher, selector } from '../promql/build';
import { dashboardUrl, fleetDashboardUid } from '../definition/naming';
import { EffectiveService, PlatformDefinition, effectiveServices } from '../definition';
import { COLORS, badFrom, queries, table } from './panels';
import { ERROR_BUDGET_REMAINING_RECORD, OBJECTIVE_RECORD, scopeMatchers, sloSeries } from './rule-names';
import { DASHBOARD_DEFAULTS } from './service-dashboard';
import { BURN_RATE_UNIT, alertsTable, attainmentQuery, budgetThresholds, burnRateQuery, fastestWindow } from './slo-panels';
import { DashboardPlan, PanelPlan, QueryOverride } from './types';
import { QueryInput } from './panels';

/** A label value as a `label_replace` replacement, where `$` starts a group reference. */
function replacement(value: string): string {
  return JSON.stringify(value.replace(/\$/g, '$$$$'));
}

/** Sets constant labels on every series of a query, with `label_replace`. */
function withLabels(expr: string, labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .reduce((inner, name) => `label_replace(${inner}, ${JSON.stringify(name)}, ${replacement(labels[name])}, "", "")`, expr);
}

/**
 * The per-service parts of a fleet query joined with `or`, one series per service. The parts
 * are paired up in a balanced tree, `((a or b) or (c or d))`: a flat chain of hundreds of `or`s
 * nests as deep as it is long, beyond what the PromQL grammar's parser recovers from, while the
 * tree stays as shallow as the logarithm of the fleet. `or` of series with distinct label sets
 * is associative, so the result is the same.
 */
export function union(parts: readonly string[]): string {
  if (parts.length <= 2) return parts.map((p) => `(${p})`).join('\nor\n');
  const middle = Math.ceil(parts.length / 2);
  return `(${union(parts.slice(0, middle))})\nor\n(${union(parts.slice(middle))})`;
}

/** The table of the fleet, or undefined without services. */
function fleetTable(platform: PlatformDefinition, services: readonly EffectiveService[]): PanelPlan | undefined {
  if (services.length === 0) return undefined;
  const withSlos = services.filter((s) => s.slos.length > 0);
  const inputs: QueryInput[] = [
    {
      expr: union(services.map((s) => withLabels(`sum(${selector('up', scopeMatchers(s))})`, { dashboard_url: dashboardUrl(platform, s), service: s.name, team: s.team }))),
      legend: '{{service}}',
    },
  ];
  const overrides: QueryOverride[] = [{ refId: 'A', unit: 'short', thresholds: [{ value: null, color: COLORS.bad }, { value: 1, color: COLORS.good }] }];
  const columns = [
    { field: 'service', title: 'Service', link: { title: 'Open the service dashboard', url: '${__data.fields.dashboard_url}' } },
    { field: 'team', title: 'Team' },
    { field: '#A', title: 'Targets up' },
  ];
  if (withSlos.length > 0) {
    inputs.push(
      {
        expr: union(withSlos.map((s) => `min by (service) (${union(s.slos.map((slo) => `${attainmentQuery(s, slo)} - ${sloSeries(OBJECTIVE_RECORD, s, slo)}`))})`)),
        legend: '{{service}}',
      },
      { expr: union(withSlos.map((s) => `min by (service) (${selector(ERROR_BUDGET_REMAINING_RECORD, equalityMatchers({ service: s.name }))})`)), legend: '{{service}}' },
      { expr: union(withSlos.map((s) => `max by (service) (${union(s.slos.map((slo) => burnRateQuery(s, slo, fastestWindow(slo))))})`)), legend: '{{service}}' },
    );
    overrides.push(
      {
        refId: 'B',
        mappings: [
          { from: 0, text: 'met', color: COLORS.good },
          { to: 0, text: 'missed', color: COLORS.bad },
        ],
      },
      { refId: 'C', unit: 'percentunit', thresholds: budgetThresholds() },
      { refId: 'D', unit: BURN_RATE_UNIT, thresholds: badFrom(1) },
    );
    columns.push({ field: '#B', title: 'SLO status' }, { field: '#C', title: 'Budget remaining' }, { field: '#D', title: 'Burn rate' });
  }
  return table({
    key: 'fleet/services',
    title: 'Services',
    question:
      'Which services are in trouble? One row per service: targets up, whether every SLO meets its objective over its period, the least error budget left of its SLOs, and the fastest burn rate (over the fastest tier of each SLO). Worst budget first; a row opens the service dashboard.',
    queries: queries(...inputs),
    overrides,
    decimals: 2,
    table: { key: 'service', columns, hidden: ['dashboard_url'], sortBy: { field: withSlos.length > 0 ? '#C' : '#A', descending: false } },
    width: 24,
    height: Math.min(4 + services.length, 24),
  });
}

function fleetAlerts(services: readonly EffectiveService[]): PanelPlan | undefined {
  if (services.length === 0) return undefined;
  const names = services.map((s) => s.name).sort();
  return alertsTable('fleet/alerts', 'Which alerts of the fleet are firing or pending, on which service?', selector('ALERTS', matcher('service', '=~', names.join('|'))), [
    ['service', 'Service'],
    ['alertname', 'Alert'],
    ['severity', 'Severity'],
  ]);
}

/**
 * The plan of the fleet dashboard of one environment, UID `fleetDashboardUid(platform, env)`.
 * @example
 * const plan = fleetDashboardPlan(platform, 'prod');
 */
export function fleetDashboardPlan(platform: PlatformDefinition, environment: string): DashboardPlan {
  const services = effectiveServices(platform, environment);
  const panels = [fleetTable(platform, services), fleetAlerts(services)].filter((p): p is PanelPlan => p !== undefined);
  return {
    uid: fleetDashboardUid(platform, environment),
    title: `${platform.name} fleet (${environment})`,
    description: `Every service of platform ${platform.name} in ${environment}, worst first.`,
    tags: [...new Set([DASHBOARD_DEFAULTS.tag, platform.name, environment, 'fleet'])].sort(),
    folder: platform.name,
    variables: [
      { kind: 'datasource', name: 'datasource', label: 'Prometheus', pluginId: 'prometheus', current: platform.dashboards.prometheusDatasource },
      { kind: 'custom', name: 'environment', label: 'Environment', values: [environment], current: environment },
    ],
    annotations: [],
    links: [],
    rows: panels.length === 0 ? [] : [{ title: 'Fleet', panels }],
    timeFrom: DASHBOARD_DEFAULTS.timeFrom,
    refresh: DASHBOARD_DEFAULTS.refresh,
    extraMetrics: [],
  };
}
