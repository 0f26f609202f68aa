/**
 * The rules Sloth generates for the same SLOs, as the yardstick of the Prometheus cost run.
 *
 * Templated from the shape of Sloth's published example output (`examples/_gen/getting-started.yml`
 * in slok/sloth): per SLO one group of SLI recordings (the error ratio over 5m, 30m, 1h, 2h,
 * 6h, 1d and 3d from the user's error and total queries, and the period ratio as
 * `sum_over_time / count_over_time` of the 5m record), one group of metadata recordings
 * (objective, error budget, period in days, current and period burn rate, remaining budget,
 * info), and one group of two multiwindow alerts (page: 14.4 over 1h/5m or 6 over 6h/30m;
 * ticket: 3 over 1d/2h or 1 over 3d/6h). The error and total queries are ours, so both rule
 * sets read identical series.
 *
 * Labels and annotations as in the example, since Prometheus expands every label and
 * annotation of an alerting rule as a Go template for each alert, each evaluation: the
 * recordings carry the SLO's own labels (`owner`, `repo`, `tier`; here the team, the
 * namespace and `2`), the page alert `category`, `routing_key`, `severity` and
 * `sloth_severity`, the ticket alert `category`, `severity`, `slack_channel` and
 * `sloth_severity`, and both a `summary` and a templated `title`.
 */
import { EffectiveService, Slo } from '../lib';
import { RuleGroup } from '../lib/prometheus';
import { sliErrorRatioQuery } from '../lib/prometheus/sli';

const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

/** Sloth's three rule groups of one SLO. */
export function slothRuleGroups(service: EffectiveService, slo: Slo): RuleGroup[] {
  const id = `${service.name}-${slo.name}`;
  const ids = { sloth_id: id, sloth_service: service.name, sloth_slo: slo.name };
  const sloLabels = { owner: service.team, repo: `${service.team}/${service.name}`, tier: '2' };
  const sel = `{sloth_id="${id}", sloth_service="${service.name}", sloth_slo="${slo.name}"}`;
  const objective = slo.objective / 100;
  const budget = 1 - objective;
  const days = Number.parseInt(slo.period, 10);
  const sli: RuleGroup = {
    name: `sloth-slo-sli-recordings-${id}`,
    rules: [
      ...WINDOWS.map((window) => ({
        record: `slo:sli_error:ratio_rate${window}`,
        // Sloth writes `(error query) / (total query)` with the window substituted.
        expr: `(${sliErrorRatioQuery(service, slo, window).replace(/\n/g, ' ')})`,
        labels: { ...sloLabels, ...ids, sloth_window: window },
      })),
      {
        record: `slo:sli_error:ratio_rate${slo.period}`,
        expr: `sum_over_time(slo:sli_error:ratio_rate5m${sel}[${slo.period}])\n/ ignoring (sloth_window)\ncount_over_time(slo:sli_error:ratio_rate5m${sel}[${slo.period}])`,
        labels: { sloth_window: slo.period },
      },
    ],
  };
  const meta: RuleGroup = {
    name: `sloth-slo-meta-recordings-${id}`,
    rules: ([
      { record: 'slo:objective:ratio', expr: `vector(${objective})`, labels: ids },
      { record: 'slo:error_budget:ratio', expr: `vector(1-${objective})`, labels: ids },
      { record: 'slo:time_period:days', expr: `vector(${days})`, labels: ids },
      { record: 'slo:current_burn_rate:ratio', expr: `slo:sli_error:ratio_rate5m${sel}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${sel}`, labels: ids },
      { record: 'slo:period_burn_rate:ratio', expr: `slo:sli_error:ratio_rate${slo.period}${sel}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${sel}`, labels: ids },
      { record: 'slo:period_error_budget_remaining:ratio', expr: `1 - slo:period_burn_rate:ratio${sel}`, labels: ids },
      { record: 'sloth_slo_info', expr: 'vector(1)', labels: { ...ids, sloth_mode: 'cli-gen-prom', sloth_objective: String(slo.objective), sloth_spec: 'prometheus/v1', sloth_version: 'dev' } },
    ] as { record: string; expr: string; labels: Record<string, string> }[]).map((rule) => ({ ...rule, labels: { ...sloLabels, ...rule.labels } })),
  };
  const pair = (factor: number, long: string, short: string): string =>
    `(slo:sli_error:ratio_rate${short}${sel} > (${factor} * ${budget}))\nand ignoring (sloth_window)\n(slo:sli_error:ratio_rate${long}${sel} > (${factor} * ${budget}))`;
  const alert = (severity: string, labels: Record<string, string>, a: string, b: string) => ({
    alert: 'SlothErrorBudgetBurn',
    expr: `(\n${a}\n)\nor ignoring (sloth_window)\n(\n${b}\n)`,
    labels: { category: slo.kind, ...labels, sloth_severity: severity },
    annotations: {
      summary: `High error rate on '${service.name}' ${slo.name} responses`,
      title: `(${severity}) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.`,
    },
  });
  const alerts: RuleGroup = {
    name: `sloth-slo-alerts-${id}`,
    rules: [
      alert('page', { routing_key: service.team, severity: 'pageteam' }, pair(14.4, '1h', '5m'), pair(6, '6h', '30m')),
      alert('ticket', { severity: 'slack', slack_channel: `#alerts-${service.team}` }, pair(3, '1d', '2h'), pair(1, '3d', '6h')),
    ],
  };
  return [sli, meta, alerts];
}
