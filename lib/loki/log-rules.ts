/**
 * The Loki ruler's rules of one service: its declared log alerts, with the labels and links
 * every alert of the library carries.
 * @see https://grafana.com/docs/loki/latest/alert/
 */
import { DefinitionError, DefinitionIssue } from '../definition/errors';
import { alertLabels, alertLinks } from '../definition/naming';
import { LogAlert, OBSERVABILITY_DEFAULTS } from '../definition/observability';
import { PlatformDefinition } from '../definition/platform';
import { EffectiveService } from '../definition/resolve-environment';
import { errorLogRate } from '../logql/build';
import { formatNumber } from '../promql/build';
import { SEVERITIES, Severity } from '../slo/types';
import { durationIssues, logqlExprIssue } from './check';
import { LokiAlertingRule, LokiRuleGroup } from './rule-group';

/** The rule group of a service's log alerts: `<service>-logs`. */
export function logRuleGroupName(service: Pick<EffectiveService, 'name'>): string {
  return `${service.name}-logs`;
}

/**
 * One log alert as a Loki alerting rule: the definition's query, `for` and severity, the
 * service's labels, the summary, a description saying what the ruler found, and the links.
 */
export function logAlertRule(platform: PlatformDefinition, service: EffectiveService, alert: LogAlert): LokiAlertingRule {
  return {
    alert: alert.alert,
    expr: alert.expr,
    for: alert.for,
    labels: alertLabels(service, alert.severity),
    annotations: {
      summary: alert.summary,
      description: `Log alert ${alert.alert} of ${service.name} in ${service.namespace}: the Loki ruler has found this LogQL query true for ${alert.for}:\n${alert.expr}`,
      ...alertLinks(platform, service, alert.alert),
    },
  };
}

/** Options of `serviceLogRuleGroups`. */
export interface ServiceLogRuleOptions {
  /**
   * Where the rules are built, shown in brackets before each problem: a construct path such as `prod/checkout`.
   * @default none
   */
  readonly scope?: string;
  /**
   * Log alerts added in code to the service's declared ones, such as `errorLogBurstAlert(...)`;
   * checked like them, and their names may not repeat the declared ones.
   * @default none
   */
  readonly additionalAlerts?: readonly LogAlert[];
}

/** Problems of the alerts about to become rules: each query a LogQL metric query, names unique. */
function alertIssues(service: EffectiveService, additional: readonly LogAlert[]): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const seen = new Map<string, string>();
  const entries = [
    ...service.logAlerts.map((alert, i) => ({ alert, at: `${service.name}.logAlerts[${i}]` })),
    ...additional.map((alert, i) => ({ alert, at: `additionalAlerts[${i}]` })),
  ];
  for (const { alert, at } of entries) {
    const expr = logqlExprIssue(`${at}.expr`, alert.alert, alert.expr);
    if (expr !== undefined) issues.push(expr);
    issues.push(...durationIssues(`${at}.for`, alert.for));
    const first = seen.get(alert.alert);
    if (first !== undefined) issues.push({ path: `${at}.alert`, problem: `duplicates ${first}.alert: log alert names must be unique in a service (each has its own runbook)`, value: alert.alert });
    else seen.set(alert.alert, at);
  }
  return issues;
}

/**
 * Every Loki rule of one service in one environment, as plain data: one group
 * `<service>-logs` with an alerting rule per declared log alert (and per additional one), or no
 * group at all when the service declares none. Every query is parsed again with the LogQL
 * grammar; a bad one throws a `DefinitionError` naming the service, the alert and the query.
 *
 * @example
 * const service = resolveEnvironment(platform, checkout, 'prod');
 * const yaml = renderLokiRuleFile(serviceLogRuleGroups(platform, service));
 */
export function serviceLogRuleGroups(platform: PlatformDefinition, service: EffectiveService, options: ServiceLogRuleOptions = {}): LokiRuleGroup[] {
  const additional = options.additionalAlerts ?? [];
  const issues = alertIssues(service, additional);
  if (issues.length > 0) throw new DefinitionError(`Loki rules of service "${service.name}" in ${service.environment}`, issues, options.scope);
  const alerts = [...service.logAlerts, ...additional];
  if (alerts.length === 0) return [];
  return [{ name: logRuleGroupName(service), rules: alerts.map((alert) => logAlertRule(platform, service, alert)) }];
}

/** Name of the error-log burst alert. */
export const ERROR_LOG_BURST_ALERT = 'ServiceErrorLogBurst';

/** Options of `errorLogBurstAlert`. */
export interface ErrorLogBurstOptions {
  /** Error lines per second, averaged over the window, above which the alert fires. */
  readonly threshold: number;
  /** The range the rate is taken over. @default '5m' */
  readonly window?: string;
  /** How long the rate stays above the threshold before the alert fires. @default '1m' (as every log alert) */
  readonly for?: string;
  /** Severity: a burst of error lines is a cause to look into, rarely a page of its own. @default 'medium' */
  readonly severity?: Severity;
  /** Alert name. @default 'ServiceErrorLogBurst' */
  readonly alert?: string;
}

/** The `@default`s of `ErrorLogBurstOptions`. */
export const ERROR_LOG_BURST_DEFAULTS = Object.freeze({ window: '5m', severity: 'medium' as Severity });

/**
 * An alert on a burst of error lines in a service's logs, ready for `additionalAlerts`: the
 * rate of lines matching `ERROR_LINE_FILTER` in the service's streams (the query of the
 * dashboard's error-log rate panel) above a threshold. Not generated by default: what rate of
 * error lines is a burst depends on how chatty a service is, which the definition does not say.
 * Throws a `DefinitionError` when the platform declares no Loki or an option is out of range.
 *
 * @example
 * serviceLogRuleGroups(platform, service, { additionalAlerts: [errorLogBurstAlert(platform, service, { threshold: 2 })] });
 */
export function errorLogBurstAlert(platform: PlatformDefinition, service: EffectiveService, options: ErrorLogBurstOptions): LogAlert {
  const window = options.window ?? ERROR_LOG_BURST_DEFAULTS.window;
  const holds = options.for ?? OBSERVABILITY_DEFAULTS.logAlertFor;
  const severity = options.severity ?? ERROR_LOG_BURST_DEFAULTS.severity;
  const issues: DefinitionIssue[] = [];
  if (platform.loki === undefined) issues.push({ path: `${platform.name}.loki`, problem: "must be set: the burst alert selects the service's streams by the platform's Loki labels", value: undefined });
  if (typeof options.threshold !== 'number' || !Number.isFinite(options.threshold) || options.threshold <= 0) {
    issues.push({ path: 'errorLogBurstAlert.threshold', problem: 'must be a number of error lines per second above 0', value: options.threshold });
  }
  issues.push(...durationIssues('errorLogBurstAlert.window', window), ...durationIssues('errorLogBurstAlert.for', holds));
  if (!SEVERITIES.includes(severity)) issues.push({ path: 'errorLogBurstAlert.severity', problem: `must be one of ${SEVERITIES.join(', ')}`, value: severity });
  if (platform.loki === undefined || issues.length > 0) throw new DefinitionError(`error-log burst alert of service "${service.name}"`, issues);
  return {
    alert: options.alert ?? ERROR_LOG_BURST_ALERT,
    expr: `${errorLogRate(platform.loki.labels, service, window)} > ${formatNumber(options.threshold)}`,
    for: holds,
    severity,
    summary: `${service.name}: more than ${formatNumber(options.threshold)} error log lines per second over ${window}`,
  };
}
