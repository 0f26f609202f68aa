/**
 * What a runbook says about one kind of alert beyond its rules: what it means, which SLO it
 * spends, and the diagnosis and remediation steps particular to it. The page around it (trigger,
 * the common steps of the delivery strategy, escalation) is the same for every alert.
 */
import { EffectiveService, PlatformDefinition, Slo } from '../definition';
import { selector } from '../promql/build';
import { assertPromql } from '../promql/parse';
import { ScheduledJobPlan } from '../ops/scheduled-job-plan';
import { scopeMatchers } from '../prometheus/sli';
import { AlertPage, RunbookAlert } from './alerts';
import { RunbookStep } from './delivery';
import { servicePagePath } from './layout';

/** What a guide is given: the service, its page, and links to other pages. */
export interface GuideContext {
  readonly platform: PlatformDefinition;
  readonly service: EffectiveService;
  /** The page: its path and the alerts on it. */
  readonly page: AlertPage;
  /** The service's scheduled jobs, which job alerts are about. */
  readonly jobs: readonly ScheduledJobPlan[];
  /** A Markdown link from this page to another page, given relative to the runbook root. */
  readonly linkTo: (path: string, text: string) => string;
}

/** The steps every runbook can end with, in the order given, after its own. */
export type CommonRemedy = 'rollback' | 'scale' | 'restart' | 'config';

/** What a runbook says about one kind of alert. */
export interface AlertGuide {
  /** What firing means, for users and for the service; Markdown. */
  readonly meaning: (ctx: GuideContext) => string;
  /** Which SLOs the condition spends and how much, one Markdown list item each. */
  readonly impact: (ctx: GuideContext) => readonly string[];
  /** Diagnosis steps particular to the alert, before the common ones. */
  readonly diagnosis: (ctx: GuideContext) => readonly RunbookStep[];
  /** Remediation steps particular to the alert, before the common ones. */
  readonly remediation: (ctx: GuideContext) => readonly RunbookStep[];
  /** Which common remediation steps apply. */
  readonly remedies: readonly CommonRemedy[];
  /**
   * Whether the diagnosis ends with the service's pods, logs and recent deploys; not for alerts
   * about something else than the workload, such as a scheduled job.
   * @default true
   */
  readonly workload?: boolean;
}

/**
 * A step with PromQL to run, each query parsed with the Prometheus grammar first, so a runbook
 * never shows a query Prometheus would refuse. Throws a `PromqlError` naming the step.
 */
export function promqlStep(title: string, detail: string | undefined, ...queries: readonly string[]): RunbookStep {
  for (const query of queries) assertPromql(query, `runbook step "${title}"`);
  return { title, ...(detail === undefined ? {} : { detail }), code: queries.map((content) => ({ language: 'promql' as const, content })) };
}

/** The SLOs an alert is about, by its `slo` label, in the service's order. */
export function labelledSlos(service: EffectiveService, alerts: readonly RunbookAlert[]): Slo[] {
  const names = new Set(alerts.map((a) => a.labels.slo).filter((n): n is string => n !== undefined));
  return service.slos.filter((slo) => names.has(slo.name));
}

/** A selector of a service's raw series: `metric{job="<service>", namespace="<namespace>", ...}`. */
export function serviceSeries(service: EffectiveService, metric: string, ...matchers: readonly string[]): string {
  return selector(metric, scopeMatchers(service), ...matchers);
}

/**
 * Links to the runbook indexes of the services this one calls, in the same environment: the
 * first place to look when errors or latency come from a dependency.
 */
export function calleeLinks(ctx: GuideContext): string {
  return ctx.service.callees.map((callee) => ctx.linkTo(servicePagePath({ environment: ctx.service.environment, name: callee.name }, 'index'), callee.name)).join(', ');
}

/**
 * The error ratio of a service's requests per label value: failing over all, with 0 for the
 * values that failed nothing (which have no series of failures at all), so every pod or
 * revision shows.
 */
export function errorRatioBy(by: string, bad: string, total: string): string {
  return `(\n  sum by (${by}) (rate(${bad}[5m]))\n  or\n  0 * sum by (${by}) (rate(${total}[5m]))\n)\n/\nsum by (${by}) (rate(${total}[5m]))`;
}
