/**
 * A service's certificates as plain data: the cert-manager Certificate of each, the scheduled
 * check of the certificate actually served, and the expiry alerts derived from `renewBefore`.
 *
 * Two sources, two questions. cert-manager's metrics tell whether the certificate in the
 * Secret is renewed in time (`certmanager_certificate_expiration_timestamp_seconds`) and ready
 * (`certmanager_certificate_ready_status`); the check tells whether the edge serves it. The
 * check fails its run (and so fires `CertificateCheckJobFailed`) rather than pushing or
 * exposing the expiry: the platform has no Pushgateway, whose pushed series would outlive the
 * job and go stale unseen, and an exporter would be a long-running process for a question asked
 * once an hour; a failed run says exactly that something is wrong, its log says what, and the
 * job's staleness alert covers a check that stops running.
 * @see https://cert-manager.io/docs/devops-tips/prometheus-metrics/
 */
import { Certificate, EffectiveService, PlatformDefinition } from '../definition';
import { CERTIFICATE_DEFAULTS } from '../definition/certificates';
import { alertLabels, alertLinks } from '../definition/naming';
import { equalityMatchers, selector } from '../promql/build';
import { formatDuration, parseDuration } from '../promql/duration';
import { assertPromql } from '../promql/parse';
import { AlertingRule } from '../prometheus/rule-group';
import { AlertRuleTest, InputSeries, RuleTestGroup, TEST_STEP, at, constant, expectedAlert } from '../prometheus/rule-tests/test-file';
import { ScheduledJobPlan, scheduledJobPlan } from './scheduled-job-plan';

/**
 * The image of the certificate check: alpine/openssl 3.5.4 (Alpine with OpenSSL and BusyBox's
 * `sh`, `timeout`, `sed`), pinned by the digest its Docker Hub tag carries, as several public
 * projects pin it (for instance in compose files and scripts that run `openssl` this way). The
 * official `alpine` image has no `openssl` command.
 * @see https://hub.docker.com/r/alpine/openssl/tags
 */
export const CERT_CHECK_IMAGE = 'alpine/openssl:3.5.4@sha256:42c7389ef077aed0eb4e96d0abbd094083d701bbaff1313073b061c0c9cd8278';

/** The script of the check, under `lib/ops/scripts/`. */
export const CERT_CHECK_SCRIPT = 'check-certificates.sh';

/** Names of the certificate alerts. */
export const CERTIFICATE_ALERTS = Object.freeze({
  /** `high`: the certificate should have been renewed 7 days ago. */
  notRenewed: 'CertificateNotRenewed',
  /** `critical`: it expires within 3 days. */
  expiresSoon: 'CertificateExpiresSoon',
  /** `critical`: cert-manager has not had it ready for an hour. */
  notReady: 'CertificateNotReady',
  /** The prefix of the check's own alerts: `CertificateCheckJobFailed`, `CertificateCheckJobStale`. */
  checkPrefix: 'CertificateCheck',
});

/** The name of a certificate's cert-manager Certificate: `<service>-<name>`. */
export function certificateName(service: Pick<EffectiveService, 'name'>, certificate: Pick<Certificate, 'name'>): string {
  return `${service.name}-${certificate.name}`;
}

/** The name of a certificate's check, a CronJob: `<service>-<name>-check`. */
export function certificateCheckName(service: Pick<EffectiveService, 'name'>, certificate: Pick<Certificate, 'name'>): string {
  return `${certificateName(service, certificate)}-check`;
}

/** When the high alert fires: expiry closer than renewBefore minus 7 days, in seconds. */
export function notRenewedSeconds(certificate: Pick<Certificate, 'renewBeforeSeconds'>): number {
  return certificate.renewBeforeSeconds - CERTIFICATE_DEFAULTS.lateAfterRenewalSeconds;
}

/** The alerts on a certificate from cert-manager's metrics. */
export function certificateAlertRules(platform: PlatformDefinition, service: EffectiveService, certificate: Certificate): AlertingRule[] {
  const name = certificateName(service, certificate);
  const labels = { name, namespace: service.namespace };
  const expiry = `max by (namespace, name) (${selector('certmanager_certificate_expiration_timestamp_seconds', equalityMatchers(labels))}) - time()`;
  const hosts = certificate.hosts.join(', ');
  const late = notRenewedSeconds(certificate);
  const critical = CERTIFICATE_DEFAULTS.criticalSeconds;
  const issuer = `${certificate.issuer.kind} ${certificate.issuer.name}`;
  const rules: AlertingRule[] = [
    {
      alert: CERTIFICATE_ALERTS.notRenewed,
      expr: `${expiry} < ${late}`,
      labels: { ...alertLabels(service, 'high'), certificate: name },
      annotations: {
        summary: `${name}: certificate for ${hosts} not renewed`,
        description:
          `The certificate in Secret ${service.namespace}/${certificate.secretName} expires in less than ${formatDuration(late)}: cert-manager should have renewed it ${formatDuration(CERTIFICATE_DEFAULTS.lateAfterRenewalSeconds)} ago (renewBefore ${formatDuration(certificate.renewBeforeSeconds)}). ` +
          `Look at the Certificate and its CertificateRequests (kubectl -n ${service.namespace} describe certificate ${name}) and at ${issuer}.`,
        ...alertLinks(platform, service, CERTIFICATE_ALERTS.notRenewed),
      },
    },
    {
      alert: CERTIFICATE_ALERTS.expiresSoon,
      expr: `${expiry} < ${critical}`,
      labels: { ...alertLabels(service, 'critical'), certificate: name },
      annotations: {
        summary: `${name}: certificate for ${hosts} expires within ${formatDuration(critical)}`,
        description: `The certificate in Secret ${service.namespace}/${certificate.secretName} expires within ${formatDuration(critical)}; clients will refuse ${hosts} once it has. Renew it now (cmctl renew -n ${service.namespace} ${name}) or fix ${issuer}.`,
        ...alertLinks(platform, service, CERTIFICATE_ALERTS.expiresSoon),
      },
    },
    {
      alert: CERTIFICATE_ALERTS.notReady,
      expr: `max by (namespace, name) (${selector('certmanager_certificate_ready_status', equalityMatchers(labels), 'condition!="True"')}) == 1`,
      for: CERTIFICATE_DEFAULTS.notReadyFor,
      labels: { ...alertLabels(service, 'critical'), certificate: name },
      annotations: {
        summary: `${name}: certificate for ${hosts} not ready`,
        description: `cert-manager has not had Certificate ${service.namespace}/${name} Ready for ${CERTIFICATE_DEFAULTS.notReadyFor}: issuing or renewing it fails (kubectl -n ${service.namespace} describe certificate ${name}; the issuer is ${issuer}).`,
        ...alertLinks(platform, service, CERTIFICATE_ALERTS.notReady),
      },
    },
  ];
  for (const rule of rules) assertPromql(rule.expr, `${service.environment}/${service.name} ${rule.alert}`);
  return rules;
}

/** Minutes of the expiry tests; expectations are read at the end. */
const EXPIRY_MINUTES = 10;
/** Minutes of the readiness tests: past the grace period. */
const READY_MINUTES = (parseDuration(CERTIFICATE_DEFAULTS.notReadyFor) as number) / 60 + 10;

/** promtool tests of the certificate alerts: each fires where it must and stays silent elsewhere. */
export function certificateAlertTests(service: EffectiveService, certificate: Certificate, rules: readonly AlertingRule[]): RuleTestGroup[] {
  const [notRenewed, expiresSoon, notReady] = rules;
  const name = certificateName(service, certificate);
  const labels = { name, namespace: service.namespace };
  const seriesLabels = { ...labels, issuer_group: 'cert-manager.io', issuer_kind: certificate.issuer.kind, issuer_name: certificate.issuer.name };
  const end = EXPIRY_MINUTES * 60;
  const expiry = (secondsLeft: number): InputSeries => ({ series: selector('certmanager_certificate_expiration_timestamp_seconds', equalityMatchers(seriesLabels)), values: constant(end + secondsLeft, EXPIRY_MINUTES) });
  const fires = (rule: AlertingRule, on: boolean, minutes: number): AlertRuleTest => ({ eval_time: at(minutes), alertname: rule.alert, exp_alerts: on ? [expectedAlert(rule, labels)] : [] });
  const expiryTest = (title: string, secondsLeft: number, high: boolean, crit: boolean): RuleTestGroup => ({
    name: `${name}: ${title}`,
    interval: TEST_STEP,
    input_series: [expiry(secondsLeft)],
    alert_rule_test: [fires(notRenewed, high, EXPIRY_MINUTES), fires(expiresSoon, crit, EXPIRY_MINUTES)],
  });
  const ready = (condition: 'True' | 'False', minutes: number): InputSeries[] =>
    ['True', 'False', 'Unknown'].map((c) => ({ series: selector('certmanager_certificate_ready_status', equalityMatchers({ ...labels, condition: c })), values: constant(c === condition ? 1 : 0, minutes) }));
  const late = notRenewedSeconds(certificate);
  const hour = 3600;
  return [
    expiryTest('a certificate not yet due for renewal fires nothing', certificate.renewBeforeSeconds + 86_400, false, false),
    expiryTest('a certificate cert-manager is still renewing fires nothing', late + hour, false, false),
    expiryTest(`a certificate not renewed ${formatDuration(CERTIFICATE_DEFAULTS.lateAfterRenewalSeconds)} after renewal was due fires ${notRenewed.alert}`, late - hour, true, false),
    expiryTest(`a certificate expiring within ${formatDuration(CERTIFICATE_DEFAULTS.criticalSeconds)} fires ${expiresSoon.alert} too`, CERTIFICATE_DEFAULTS.criticalSeconds - hour, true, true),
    expiryTest('an expired certificate fires both', -hour, true, true),
    { name: `${name}: a ready certificate fires nothing`, interval: TEST_STEP, input_series: ready('True', READY_MINUTES), alert_rule_test: [fires(notReady, false, READY_MINUTES)] },
    {
      name: `${name}: a certificate not ready for less than ${CERTIFICATE_DEFAULTS.notReadyFor} fires nothing, longer fires ${notReady.alert}`,
      interval: TEST_STEP,
      input_series: ready('False', READY_MINUTES),
      alert_rule_test: [fires(notReady, false, READY_MINUTES - 20), fires(notReady, true, READY_MINUTES)],
    },
  ];
}

/**
 * The scheduled check of one certificate: `check-certificates.sh` connects to each host with
 * SNI and fails when the served certificate expires within the threshold (default renewBefore
 * minus 7 days), has expired, is not for the host, is not trusted or cannot be reached. Its
 * rule group also carries the certificate's expiry and readiness alerts, with their tests.
 */
export function certificateCheckPlan(platform: PlatformDefinition, service: EffectiveService, certificate: Certificate): ScheduledJobPlan {
  const { thresholdSeconds, ...schedule } = certificate.verification;
  const rules = certificateAlertRules(platform, service, certificate);
  return scheduledJobPlan(platform, {
    name: certificateCheckName(service, certificate),
    owner: { kind: 'service', service },
    schedule,
    image: CERT_CHECK_IMAGE,
    script: CERT_CHECK_SCRIPT,
    env: { CERT_HOSTS: certificate.hosts.join(' '), CERT_MIN_VALID_SECONDS: String(thresholdSeconds) },
    egress: [{ ports: [443] }],
    alerts: { prefix: CERTIFICATE_ALERTS.checkPrefix, purpose: `checks that ${certificate.hosts.join(', ')} serve${certificate.hosts.length === 1 ? 's' : ''} a trusted certificate for the name, valid for more than ${formatDuration(thresholdSeconds)}`, failedSeverity: 'high', staleSeverity: 'medium' },
    extraAlerts: { rules, tests: certificateAlertTests(service, certificate, rules) },
  });
}

/** The checks of every certificate of a service. */
export function certificateCheckPlans(platform: PlatformDefinition, service: EffectiveService): ScheduledJobPlan[] {
  return service.certificates.map((certificate) => certificateCheckPlan(platform, service, certificate));
}
