/**
 * The guides of the SLO alerts: `SloErrorBudgetBurn` (Prometheus and Cloud Monitoring, one tier
 * per severity) and `SloErrorBudgetLow`.
 */
import { BURN_RATE_ALERT, EffectiveService, LOW_BUDGET_ALERT, Slo } from '../definition';
import { POD_TEMPLATE_HASH_LABEL } from '../delivery/analysis-plan';
import { equalityMatchers, formatNumber, matcher, selector, substituteWindow } from '../promql/build';
import { ERROR_BUDGET_REMAINING_RECORD, LOW_ERROR_BUDGET_REMAINING, burnRateAlertSpecs, sliErrorRecord, sloSeries } from '../prometheus/sli';
import { mdCode, mdLink, mdList } from '../private/markdown';
import { RUNBOOK_REFERENCES } from './references';
import { RunbookAlert } from './alerts';
import { RunbookStep } from './delivery';
import { AlertGuide, GuideContext, calleeLinks, errorRatioBy, labelledSlos, promqlStep, serviceSeries } from './guide';
import { burnLine, humanDuration, percent, budgetSeconds, sloLine } from './impact';

/** The burn-rate tier of an alert: its `long_window` label (Prometheus) or `windows` label (Cloud Monitoring). */
function tierOf(slo: Slo, alert: RunbookAlert): ReturnType<typeof burnRateAlertSpecs>[number] | undefined {
  const longWindow = alert.labels.long_window ?? alert.labels.windows?.split('-')[0];
  return burnRateAlertSpecs(slo).find((spec) => spec.longWindow === longWindow && spec.severity === alert.severity);
}

/** The queries that split an SLO's errors by pod (and by rollout revision), to find where they come from. */
function breakdownQueries(service: EffectiveService, slo: Slo, by: string): string[] {
  switch (slo.kind) {
    case 'availability': {
      const metric = service.metrics.requestsMetric;
      const bad = serviceSeries(service, metric, slo.totalSelector, slo.badSelector);
      const total = serviceSeries(service, metric, slo.totalSelector);
      return [errorRatioBy(by, bad, total)];
    }
    case 'latency': {
      const buckets = serviceSeries(service, `${service.metrics.latencyMetric}_bucket`, slo.selector);
      return [`histogram_quantile(0.99, sum by (le, ${by}) (rate(${buckets}[5m])))`];
    }
    case 'custom':
      return [];
  }
}

/** Steps that find where an SLO's errors come from. */
function sloDiagnosis(service: EffectiveService, slos: readonly Slo[]): RunbookStep[] {
  const steps: RunbookStep[] = [];
  for (const slo of slos) {
    const series = (record: string): string => sloSeries(record, service, slo);
    steps.push(
      promqlStep(
        `See how fast SLO ${slo.name} burns in each window, and how much budget is left.`,
        `The recorded error ratios per window (${mdCode('slo:sli_error:ratio_rate<window>')}) against the threshold of each tier, and the share of the ${slo.period} budget left (1 = untouched, 0 = spent).`,
        selector('', matcher('__name__', '=~', `${sliErrorRecord('')}.+`), equalityMatchers({ service: service.name, slo: slo.name })),
        series(ERROR_BUDGET_REMAINING_RECORD),
      ),
    );
    const byPod = breakdownQueries(service, slo, 'pod');
    if (byPod.length > 0) {
      steps.push(
        promqlStep(
          slo.kind === 'latency' ? `Find the pods that answer slowly (p99 against the ${formatNumber(slo.thresholdSeconds)}s threshold of ${slo.name}).` : `Find the pods that fail the requests of ${slo.name}.`,
          'One pod out of line points at that pod or its node; all pods alike point at a deploy, a dependency or load.',
          ...byPod,
        ),
      );
    }
    if (service.delivery.strategy !== 'rolling') {
      const byRevision = breakdownQueries(service, slo, POD_TEMPLATE_HASH_LABEL);
      if (byRevision.length > 0) {
        steps.push(promqlStep(`Compare the revisions of the Rollout on ${slo.name}.`, `Series carry the pod-template hash (${mdCode(POD_TEMPLATE_HASH_LABEL)}): a new revision worse than the stable one is the deploy to roll back.`, ...byRevision));
      }
    }
    if (slo.kind === 'custom') {
      steps.push(promqlStep(`Read the good and total events of ${slo.name} over 5 minutes.`, 'Its SLI is the PromQL of the definition; the ratio of the two is what the SLO counts.', substituteWindow(slo.goodQuery, '5m'), substituteWindow(slo.totalQuery, '5m')));
    }
  }
  return steps;
}

/** Steps shared by the alerts on errors and latency: a bad pod, a bad dependency. */
export function errorRemediation(ctx: GuideContext): RunbookStep[] {
  const steps: RunbookStep[] = [
    {
      title: 'Take one bad pod out.',
      detail: 'When a single pod is out of line, delete it: its owner starts a new one, possibly on another node.',
      code: { language: 'sh', content: `kubectl delete pod <pod> -n ${ctx.service.namespace}` },
    },
  ];
  if (ctx.service.callees.length > 0) {
    steps.push({ title: 'Follow a failing dependency.', detail: `When the errors or the latency come from a service this one calls, work from its runbooks: ${calleeLinks(ctx)}.` });
  }
  return steps;
}

/** `SloErrorBudgetBurn`: a long and a short window above a tier's threshold. */
const burnRate: AlertGuide = {
  meaning: (ctx) =>
    `${mdCode(ctx.service.name)} is spending the error budget of ${labelledSlos(ctx.service, ctx.page.alerts).map((s) => mdCode(s.name)).join(' and ')} faster than it can afford. Each tier fires when both its long and its short window burn above its threshold: the long window shows the burn is significant, the short one that it is still going on. The severity tells the tiers apart: critical pages now, high pages in business hours, medium opens a ticket (${mdLink('the method', RUNBOOK_REFERENCES.sloAlerting)}).`,
  impact: (ctx) => {
    const lines: string[] = [];
    for (const slo of labelledSlos(ctx.service, ctx.page.alerts)) {
      const tiers: string[] = [];
      const seen = new Set<string>();
      for (const alert of ctx.page.alerts.filter((a) => a.labels.slo === slo.name)) {
        const spec = tierOf(slo, alert);
        if (spec === undefined || seen.has(`${spec.index}`)) continue;
        seen.add(`${spec.index}`);
        tiers.push(`**${spec.severity}** (${spec.longWindow} and ${spec.shortWindow}): ${formatNumber(spec.budgetPercent)}% of the ${slo.period} budget spent within ${spec.longWindow}; at the threshold (error ratio ${formatNumber(spec.threshold)}) that is ${burnLine(slo, spec.threshold)}.`);
      }
      lines.push(`SLO ${sloLine(slo)}.\n${mdList(tiers)}`);
    }
    return lines;
  },
  diagnosis: (ctx) => sloDiagnosis(ctx.service, labelledSlos(ctx.service, ctx.page.alerts)),
  remediation: (ctx) => [
    {
      title: 'Stop the burn before looking for its cause.',
      detail: 'A deploy within the long window is the usual cause: roll it back first (below). A burn that began without one points at load, a dependency or the platform.',
    },
    ...errorRemediation(ctx),
  ],
  remedies: ['rollback', 'scale', 'restart', 'config'],
};

/** `SloErrorBudgetLow`: less than a quarter of the budget left. */
const lowBudget: AlertGuide = {
  meaning: (ctx) =>
    `${labelledSlos(ctx.service, ctx.page.alerts).map((s) => mdCode(s.name)).join(' and ')} of ${mdCode(ctx.service.name)} has spent more than ${percent(1 - LOW_ERROR_BUDGET_REMAINING)} of its error budget. Nothing may be broken right now; the budget says how much more failure users will take this period.`,
  impact: (ctx) =>
    labelledSlos(ctx.service, ctx.page.alerts).flatMap((slo) => [
      `SLO ${sloLine(slo)}.`,
      `Less than ${percent(LOW_ERROR_BUDGET_REMAINING)} of it is left: less than ${humanDuration(budgetSeconds(slo) * LOW_ERROR_BUDGET_REMAINING)} of full outage until the objective is missed for the ${slo.period}.`,
    ]),
  diagnosis: (ctx) =>
    labelledSlos(ctx.service, ctx.page.alerts).map((slo) =>
      promqlStep(
        `See how the budget of ${slo.name} was spent.`,
        `The budget left over time (graph it over the ${slo.period}): steps are incidents, a steady slope is a constant error rate.`,
        sloSeries(ERROR_BUDGET_REMAINING_RECORD, ctx.service, slo),
      ),
    ),
  remediation: (ctx) => {
    const d = ctx.service.delivery;
    const freeze =
      d.strategy === 'rolling'
        ? 'Hold back risky changes until the budget recovers.'
        : `New rollouts stop at their budget-freeze analysis while the budget left is at or below ${formatNumber(d.budgetFreeze.floor)}% (${mdCode('delivery.budgetFreeze.floor')}); a fix that must ship anyway needs ${mdCode('delivery.budgetFreeze.override.reason')} in the definition.`;
    return [
      { title: 'Prefer reliability work to features until the budget recovers.', detail: freeze },
      { title: 'Review the objective if the budget runs low every period.', detail: `An objective users do not need costs more than it brings; change ${mdCode('slos[].objective')} in the definition with the service's owners.` },
    ];
  },
  remedies: [],
};

/** The guides of the SLO alerts, by alert name. */
export const SLO_GUIDES: Readonly<Record<string, AlertGuide>> = Object.freeze({ [BURN_RATE_ALERT]: burnRate, [LOW_BUDGET_ALERT]: lowBudget });
