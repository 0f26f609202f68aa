/**
 * The check of a public host from inside the cluster, as plain data: what the blackbox
 * exporter probes, how often, and when the alert fires. The in-cluster twin of Cloud
 * Monitoring's uptime check: both read `gcp.publicHost` and the normalized `uptimeCheck`
 * (path, period, severity), so they agree by construction.
 */
import { EffectiveService, PlatformDefinition, Severity, UptimeCheckPeriod } from '../definition';
import { alertLinks } from '../definition/naming';
import { equalityMatchers, selector } from '../promql/build';
import { formatDuration, parseDuration } from '../promql/duration';
import { assertPromql } from '../promql/parse';
import { BLACKBOX_DEFAULTS, Blackbox, BlackboxInput, blackboxSettings } from './blackbox';

/** Name of the alert on a public host the blackbox exporter cannot reach. */
export const UPTIME_PROBE_ALERT = 'UptimeProbeFailed';

/** The `job` label of every uptime probe series (the Probe's `spec.jobName`). */
export const UPTIME_JOB = 'uptime';

/**
 * How the alert waits, in probe periods.
 * - `lookback`: the alert reads the newest probe result within this many periods
 *   (`last_over_time`), so a period longer than Prometheus' 5-minute lookback, or a probe
 *   that lands a little late, leaves no gap that would reset `for`.
 * - `for`: how long every probe must have failed. One failed probe makes the condition true
 *   for about one period, so it never pages; three failed probes in a row always do.
 */
export const UPTIME_ALERT_PERIODS = Object.freeze({ lookback: 2, for: 2 });

/** The rule group of a service's uptime alert: `<service>-uptime`. */
export function uptimeRuleGroupName(service: Pick<EffectiveService, 'name'>): string {
  return `${service.name}-uptime`;
}

/** Where the probed URL points in a test against a local server; production is always HTTPS on 443. */
export interface UptimeTestEndpoint {
  /** URL scheme of the target. */
  readonly scheme: 'http' | 'https';
  /** Port of the target. */
  readonly port: number;
}

/** Options of `uptimeProbePlan`. */
export interface UptimeProbePlanOptions {
  /**
   * The platform's blackbox exporter.
   * @default BLACKBOX_DEFAULTS: `blackbox-exporter.<monitoringNamespace>:9115`, module `http_2xx`
   */
  readonly blackbox?: BlackboxInput;
  /**
   * For tests only: probe `<scheme>://<publicHost>:<port><path>` instead of
   * `https://<publicHost><path>`, e.g. a plain-HTTP server on 127.0.0.1. The `UptimeProbe`
   * construct has no such option, so synthesized Probes always check HTTPS.
   * @default HTTPS on the default port
   */
  readonly testEndpoint?: UptimeTestEndpoint;
  /**
   * Prefix of error messages, e.g. a construct path.
   * @default no prefix
   */
  readonly where?: string;
}

/** The alerting rule of an uptime probe, in the shape of a Prometheus rule-file rule. */
export interface UptimeAlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  /** `namespace`, `service`, `severity`, `team`. */
  readonly labels: Readonly<Record<string, string>>;
  /** Plain text: `summary`, `description`, `runbook_url`, `dashboard_url` and contacts; the rule renderer makes them literal templates. */
  readonly annotations: Readonly<Record<string, string>>;
}

/** A rule group of uptime alerts, in the shape of a Prometheus rule-file group. */
export interface UptimeRuleGroup {
  readonly name: string;
  readonly rules: readonly UptimeAlertRule[];
}

/** Everything the Probe and its alert are made of. */
export interface UptimeProbePlan {
  /** Name of the Probe: the service's name. */
  readonly name: string;
  /** Namespace of the Probe: the service's namespace, like its ServiceMonitor and PrometheusRule. */
  readonly namespace: string;
  /** The platform's name (`app.kubernetes.io/part-of`). */
  readonly platform: string;
  /** The `job` label of the probe series. */
  readonly jobName: string;
  /** The probed URL, which becomes the `instance` label: `https://<publicHost><path>`. */
  readonly target: string;
  /** How often the host is probed: the uptime check's period. */
  readonly interval: UptimeCheckPeriod;
  /** How long one probe may take. */
  readonly scrapeTimeout: string;
  /** The blackbox exporter and its module. */
  readonly blackbox: Blackbox;
  /** The exporter's HTTP endpoint as Prometheus scrapes it. */
  readonly proberPath: string;
  /** Labels on every series of the probe: `namespace`, `service`, `team`. */
  readonly targetLabels: Readonly<Record<string, string>>;
  /** Severity of the alert: the uptime check's. */
  readonly severity: Severity;
  /** The alert on the host being unreachable. */
  readonly alert: UptimeAlertRule;
  /** The rule group the alert ships in. */
  readonly ruleGroup: UptimeRuleGroup;
}

/** The probed URL: `https://<host><path>`, or the test endpoint's scheme and port. */
function targetUrl(host: string, path: string, endpoint: UptimeTestEndpoint | undefined): string {
  return endpoint === undefined ? `https://${host}${path}` : `${endpoint.scheme}://${host}:${endpoint.port}${path}`;
}

/**
 * The uptime probe of a service's public host, or undefined when the service has none.
 * Target `https://<gcp.publicHost><uptimeCheck.path>`, probed every `uptimeCheck.period`
 * through the platform's blackbox exporter; the alert `UptimeProbeFailed` fires with
 * `uptimeCheck.severity` once every probe has failed for two periods. Throws a
 * `DefinitionError` for bad blackbox settings and a `PromqlError` if the expression does not
 * parse.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.Probe
 * @example
 * const plan = uptimeProbePlan(platform, resolveEnvironment(platform, 'checkout', 'prod'));
 * plan?.target; // 'https://checkout.shop.example.com/healthz'
 */
export function uptimeProbePlan(platform: PlatformDefinition, service: EffectiveService, options: UptimeProbePlanOptions = {}): UptimeProbePlan | undefined {
  const host = service.gcp?.publicHost;
  if (host === undefined) return undefined;
  const blackbox = blackboxSettings(platform, options.blackbox, options.where);
  const { path, period, severity } = service.uptimeCheck;
  const target = targetUrl(host, path, options.testEndpoint);
  const targetLabels = { namespace: service.namespace, service: service.name, team: service.team };
  const seconds = parseDuration(period) ?? 0;
  const wait = formatDuration(seconds * UPTIME_ALERT_PERIODS.for);
  const series = selector('probe_success', equalityMatchers({ instance: target, job: UPTIME_JOB, namespace: service.namespace, service: service.name }));
  const expr = `last_over_time(${series}[${formatDuration(seconds * UPTIME_ALERT_PERIODS.lookback)}]) == 0`;
  const ruleGroupName = uptimeRuleGroupName(service);
  assertPromql(expr, `${options.where === undefined ? '' : `${options.where} `}${ruleGroupName}/${UPTIME_PROBE_ALERT}`);
  const alert: UptimeAlertRule = {
    alert: UPTIME_PROBE_ALERT,
    expr,
    for: wait,
    // `namespace` lets the prometheus-operator route the alert through the namespace's AlertmanagerConfig.
    labels: { namespace: service.namespace, service: service.name, severity, team: service.team },
    annotations: {
      summary: `${service.name}: ${target} unreachable from outside`,
      description:
        `Every probe of GET ${target} by the blackbox exporter (module ${blackbox.module}, one probe every ${period}) has failed for ${wait}: ` +
        `no 2xx answer${target.startsWith('https://') ? ' over verified TLS' : ''} within ${BLACKBOX_DEFAULTS.timeout}. Users outside the cluster likely cannot reach ${service.name} in ${service.environment}. ` +
        `Cloud Monitoring's uptime check watches the same URL from Google's checkers.`,
      ...alertLinks(platform, service, UPTIME_PROBE_ALERT),
    },
  };
  return {
    name: service.name,
    namespace: service.namespace,
    platform: service.platform,
    jobName: UPTIME_JOB,
    target,
    interval: period,
    scrapeTimeout: BLACKBOX_DEFAULTS.timeout,
    blackbox,
    proberPath: BLACKBOX_DEFAULTS.path,
    targetLabels,
    severity,
    alert,
    ruleGroup: { name: ruleGroupName, rules: [alert] },
  };
}

/**
 * The uptime rule groups of a service: one `<service>-uptime` group with `UptimeProbeFailed`
 * when it has a public host, none otherwise. Synthesis appends them to the service's rule
 * groups, so the PrometheusRule, the rule file and its tests all carry the alert.
 */
export function uptimeRuleGroups(platform: PlatformDefinition, service: EffectiveService, options: UptimeProbePlanOptions = {}): UptimeRuleGroup[] {
  const plan = uptimeProbePlan(platform, service, options);
  return plan === undefined ? [] : [plan.ruleGroup];
}
