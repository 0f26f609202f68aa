/**
 * How a platform is watched besides its rules: the Grafana datasources dashboards query, the
 * Loki labels logs are found by, the external uptime check of a public host, and alerts on a
 * service's logs.
 * @see https://grafana.com/docs/grafana/latest/administration/provisioning/#data-sources
 * @see https://grafana.com/docs/loki/latest/alert/
 */
import { compact } from '../private/data';
import { parseLogql } from '../logql/parse';
import { SEVERITIES, Severity } from '../slo/types';
import { Checks, DNS_SUBDOMAIN, DURATION_PROBLEM, PATH_PROBLEM } from './checks';
import { list, num, obj, oneOf, str } from './shape';

/** Grafana settings of the platform's dashboards. */
export interface DashboardsInput {
  /** UID of the Prometheus datasource dashboards query by default. @default 'prometheus' */
  readonly prometheusDatasource?: string;
  /** UID of a tracing datasource (such as Tempo): latency panels link their exemplars to it. @default none */
  readonly tracesDatasource?: string;
  /** Namespace of the dashboard ConfigMaps Grafana's sidecar watches. @default the platform's monitoringNamespace */
  readonly namespace?: string;
}

/** Normalized dashboard settings. */
export interface Dashboards {
  readonly prometheusDatasource: string;
  readonly tracesDatasource?: string;
  readonly namespace: string;
}

/** Where the platform's logs are: a Loki datasource and the labels its collector writes. */
export interface LokiInput {
  /** UID of the Loki datasource in Grafana. */
  readonly datasource: string;
  /** Label carrying the Kubernetes namespace. @default 'namespace' */
  readonly namespaceLabel?: string;
  /** Label carrying the pod's `app.kubernetes.io/name`. @default 'app' */
  readonly appLabel?: string;
}

/** Normalized Loki settings. */
export interface Loki {
  readonly datasource: string;
  readonly labels: { readonly namespace: string; readonly app: string };
}

/** The platform's blackbox exporter, which probes public hosts from the cluster. */
export interface BlackboxInput {
  /**
   * Address of the exporter as Prometheus reaches it, `host:port` without a scheme (the
   * `Probe`'s `spec.prober.url`).
   * @default 'blackbox-exporter.<monitoringNamespace>:9115'
   */
  readonly prober?: string;
  /** The exporter module probing public hosts; it must exist in the exporter's configuration. @default 'http_2xx' */
  readonly module?: string;
}

const MODULE_NAME = /^[A-Za-z0-9_-]{1,63}$/;
const MODULE_PROBLEM = 'must be a blackbox exporter module name: 1-63 letters, digits, "-" or "_"';
const PROBER_PROBLEM = "must be host:port without a scheme, such as blackbox-exporter.monitoring:9115 (the Probe's spec.prober.url)";

/** The problem with a prober address, or undefined when it is `host:port`. */
export function proberProblem(prober: unknown): string | undefined {
  if (typeof prober !== 'string') return PROBER_PROBLEM;
  const match = /^([^:]+):(\d{1,5})$/.exec(prober);
  if (match === null) return PROBER_PROBLEM;
  const [, host, port] = match;
  if (host.length > 253 || !DNS_SUBDOMAIN.test(host)) return PROBER_PROBLEM;
  const number = Number(port);
  return number >= 1 && number <= 65535 && String(number) === port ? undefined : `${PROBER_PROBLEM}; the port must be 1-65535`;
}

/** The problem with a blackbox module name, or undefined. */
export function moduleProblem(module: unknown): string | undefined {
  return typeof module === 'string' && MODULE_NAME.test(module) ? undefined : MODULE_PROBLEM;
}

/** Schema of the platform's `blackbox`. */
export const blackboxSchema = obj({ prober: str(PROBER_PROBLEM).optional(), module: str(MODULE_PROBLEM).optional() });

/** Checks the platform's blackbox exporter settings. */
export function checkBlackbox(k: Checks, blackbox: BlackboxInput | undefined): void {
  if (blackbox === undefined) return;
  const prober = blackbox.prober === undefined ? undefined : proberProblem(blackbox.prober);
  if (prober !== undefined) k.c.add('blackbox.prober', prober, blackbox.prober);
  const module = blackbox.module === undefined ? undefined : moduleProblem(blackbox.module);
  if (module !== undefined) k.c.add('blackbox.module', module, blackbox.module);
}

/** The check of a public host from outside: Cloud Monitoring's uptime check and the blackbox Probe alike. */
export interface UptimeCheckInput {
  /** Path of the HTTPS GET. @default the readiness probe's path, or `/` */
  readonly path?: string;
  /** How often the host is checked. @default '60s' */
  readonly period?: UptimeCheckPeriod;
  /** Severity of the alert when the host is unreachable. @default the service's tier */
  readonly severity?: Severity;
}

/** The periods Cloud Monitoring's uptime checks offer. */
export type UptimeCheckPeriod = '60s' | '300s' | '600s' | '900s';

/** Every uptime check period, shortest first. */
export const UPTIME_CHECK_PERIODS: readonly UptimeCheckPeriod[] = Object.freeze(['60s', '300s', '600s', '900s'] as const);

/** A normalized uptime check. */
export interface UptimeCheck {
  readonly path: string;
  readonly period: UptimeCheckPeriod;
  readonly severity: Severity;
}

/** An alert on a service's logs, evaluated by the Loki ruler. */
export interface LogAlertInput {
  /** Alert name, CamelCase like every generated alert, e.g. `CheckoutErrorLogBurst`. */
  readonly alert: string;
  /** A LogQL metric query that returns the series to alert on, e.g. `sum(rate({app="checkout"} |= "error" [5m])) > 1`. */
  readonly expr: string;
  /** How long the condition holds before the alert fires. @default '1m' */
  readonly for?: string;
  /** Severity, which routes the alert. */
  readonly severity: Severity;
  /** One line saying what is wrong. */
  readonly summary: string;
}

/** A normalized log alert. */
export interface LogAlert {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: Severity;
  readonly summary: string;
}

/** Observability settings when a definition gives none: the only source of the `@default`s above. */
export const OBSERVABILITY_DEFAULTS = Object.freeze({
  prometheusDatasource: 'prometheus',
  lokiLabels: Object.freeze({ namespace: 'namespace', app: 'app' }),
  uptimePeriod: '60s' as UptimeCheckPeriod,
  uptimePath: '/',
  logAlertFor: '1m',
  logRetentionDays: 30,
});

/** Limits on log alerts, far below what Loki accepts. */
export const LOG_ALERT_LIMITS = Object.freeze({ alerts: 20, exprLength: 4096, summaryLength: 256 });

/** Longest log retention Cloud Logging buckets accept, in days. */
export const MAX_LOG_RETENTION_DAYS = 3650;

const DATASOURCE_UID = /^[A-Za-z0-9_-]{1,40}$/;
const DATASOURCE_PROBLEM = 'must be a Grafana datasource UID: 1-40 letters, digits, "-" or "_"';
const LOG_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LOG_LABEL_PROBLEM = 'must be a Loki label name: letters, digits and "_", not starting with a digit';
const ALERT_NAME = /^[A-Z][A-Za-z0-9]{0,62}$/;
const ALERT_NAME_PROBLEM = 'must be a CamelCase alert name: a capital letter, then at most 62 letters or digits';

/** Schema of the platform's `dashboards`. */
export const dashboardsSchema = obj({ prometheusDatasource: str(DATASOURCE_PROBLEM).optional(), tracesDatasource: str(DATASOURCE_PROBLEM).optional(), namespace: str().optional() });

/** Schema of the platform's `loki`. */
export const lokiSchema = obj({ datasource: str(DATASOURCE_PROBLEM), namespaceLabel: str(LOG_LABEL_PROBLEM).optional(), appLabel: str(LOG_LABEL_PROBLEM).optional() });

/** Schema of a service's `uptimeCheck`. */
export const uptimeCheckSchema = obj({ path: str(PATH_PROBLEM).optional(), period: oneOf(UPTIME_CHECK_PERIODS as unknown as readonly [UptimeCheckPeriod, ...UptimeCheckPeriod[]]).optional(), severity: oneOf(SEVERITIES as unknown as readonly [Severity, ...Severity[]]).optional() });

/** Schema of a service's `logAlerts`. */
export const logAlertsSchema = list(
  obj({ alert: str(ALERT_NAME_PROBLEM), expr: str(), for: str(DURATION_PROBLEM).optional(), severity: oneOf(SEVERITIES as unknown as readonly [Severity, ...Severity[]]), summary: str() }),
  'must be a list of log alerts { alert, expr, for?, severity, summary }',
);

/** Schema of an environment's `logRetentionDays`. */
export const logRetentionSchema = num();

/** Checks the platform's dashboard settings. */
export function checkDashboards(k: Checks, dashboards: DashboardsInput | undefined): void {
  if (dashboards === undefined) return;
  for (const field of ['prometheusDatasource', 'tracesDatasource'] as const) {
    const uid = dashboards[field];
    if (uid !== undefined && !DATASOURCE_UID.test(uid)) k.c.add(`dashboards.${field}`, DATASOURCE_PROBLEM, uid);
  }
  if (dashboards.namespace !== undefined) k.label('dashboards.namespace', dashboards.namespace);
}

/** Checks the platform's Loki settings. */
export function checkLoki(k: Checks, loki: LokiInput | undefined): void {
  if (loki === undefined) return;
  if (!DATASOURCE_UID.test(loki.datasource)) k.c.add('loki.datasource', DATASOURCE_PROBLEM, loki.datasource);
  for (const field of ['namespaceLabel', 'appLabel'] as const) {
    const label = loki[field];
    if (label !== undefined && (!LOG_LABEL.test(label) || label.startsWith('__'))) k.c.add(`loki.${field}`, `${LOG_LABEL_PROBLEM}, not starting with "__"`, label);
  }
  if (loki.namespaceLabel !== undefined && loki.namespaceLabel === (loki.appLabel ?? OBSERVABILITY_DEFAULTS.lokiLabels.app)) {
    k.c.add('loki.appLabel', 'must differ from loki.namespaceLabel: the two select different things', loki.appLabel ?? OBSERVABILITY_DEFAULTS.lokiLabels.app);
  }
}

/** Checks an environment's log retention. */
export function checkLogRetention(k: Checks, field: string, days: number | undefined): void {
  if (days !== undefined) k.int(field, days, 1, MAX_LOG_RETENTION_DAYS);
}

/** Checks a service's uptime check; it needs a public host to check. */
export function checkUptimeCheck(k: Checks, uptime: UptimeCheckInput | undefined, publicHost: string | undefined): void {
  if (uptime === undefined) return;
  if (uptime.path !== undefined) k.path('uptimeCheck.path', uptime.path);
  if (publicHost === undefined) k.c.add('uptimeCheck', 'needs gcp.publicHost: the uptime check probes the public host from outside', uptime);
}

/** Checks a service's log alerts: names unique, queries LogQL metric queries, durations Prometheus durations. */
export function checkLogAlerts(k: Checks, alerts: readonly LogAlertInput[] | undefined): void {
  if (alerts === undefined) return;
  if (alerts.length > LOG_ALERT_LIMITS.alerts) {
    k.c.add('logAlerts', `must list at most ${LOG_ALERT_LIMITS.alerts} alerts`, alerts.length);
    return;
  }
  const seen = new Map<string, number>();
  alerts.forEach((alert, i) => {
    const at = `logAlerts[${i}]`;
    if (!ALERT_NAME.test(alert.alert)) k.c.add(`${at}.alert`, ALERT_NAME_PROBLEM, alert.alert);
    const first = seen.get(alert.alert);
    if (first !== undefined) k.c.add(`${at}.alert`, `duplicates logAlerts[${first}].alert: log alert names must be unique in a service`, alert.alert);
    else seen.set(alert.alert, i);
    if (alert.expr.length > LOG_ALERT_LIMITS.exprLength) {
      k.c.add(`${at}.expr`, `must be at most ${LOG_ALERT_LIMITS.exprLength} characters long (has ${alert.expr.length})`, `${alert.expr.slice(0, 40)}...`);
    } else if (k.text(`${at}.expr`, alert.expr, LOG_ALERT_LIMITS.exprLength)) {
      const parsed = parseLogql(alert.expr);
      if (parsed.problems.length > 0) {
        const p = parsed.problems[0];
        k.c.add(`${at}.expr`, `must be valid LogQL: ${p.message} at offset ${p.offset}`, alert.expr);
      } else if (parsed.kind !== 'metric') {
        k.c.add(`${at}.expr`, 'must be a LogQL metric query, such as sum(rate({app="checkout"} |= "error" [5m])) > 1; a log query returns lines, not series to alert on', alert.expr);
      }
    }
    if (alert.for !== undefined) k.duration(`${at}.for`, alert.for);
    k.text(`${at}.summary`, alert.summary, LOG_ALERT_LIMITS.summaryLength);
  });
}

/** Fills the dashboard defaults; the namespace defaults to the platform's monitoring namespace. */
export function normalizeDashboards(dashboards: DashboardsInput | undefined, monitoringNamespace: string): Dashboards {
  return compact({
    prometheusDatasource: dashboards?.prometheusDatasource ?? OBSERVABILITY_DEFAULTS.prometheusDatasource,
    tracesDatasource: dashboards?.tracesDatasource,
    namespace: dashboards?.namespace ?? monitoringNamespace,
  });
}

/** Fills the Loki defaults. */
export function normalizeLoki(loki: LokiInput | undefined): Loki | undefined {
  if (loki === undefined) return undefined;
  return {
    datasource: loki.datasource,
    labels: { namespace: loki.namespaceLabel ?? OBSERVABILITY_DEFAULTS.lokiLabels.namespace, app: loki.appLabel ?? OBSERVABILITY_DEFAULTS.lokiLabels.app },
  };
}

/** Fills the uptime check defaults: the readiness path, every minute, the tier's severity. */
export function normalizeUptimeCheck(uptime: UptimeCheckInput | undefined, readinessPath: string | undefined, tier: Severity): UptimeCheck {
  return {
    path: uptime?.path ?? readinessPath ?? OBSERVABILITY_DEFAULTS.uptimePath,
    period: uptime?.period ?? OBSERVABILITY_DEFAULTS.uptimePeriod,
    severity: uptime?.severity ?? tier,
  };
}

/** Fills the log alert defaults. */
export function normalizeLogAlerts(alerts: readonly LogAlertInput[] | undefined): LogAlert[] {
  return (alerts ?? []).map((a) => ({ alert: a.alert, expr: a.expr, for: a.for ?? OBSERVABILITY_DEFAULTS.logAlertFor, severity: a.severity, summary: a.summary }));
}
