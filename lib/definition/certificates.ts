/**
 * The TLS certificates of a service: which hosts, from which cert-manager issuer, how long
 * they last and how early they renew, and how the certificate actually served is checked.
 * cert-manager renews them; a scheduled job checks from outside what the edge serves; alerts
 * derived from `renewBefore` fire when renewal did not happen.
 * @see https://cert-manager.io/docs/usage/certificate/
 */
import { parseDuration } from '../promql/duration';
import { Checks, DNS_LABEL_PROBLEM, DNS_SUBDOMAIN, MAX_SUBDOMAIN } from './checks';
import { JobSchedule, JobScheduleInput, checkCronJobName, checkJobSchedule, jobScheduleFields, normalizeJobSchedule } from './jobs';
import { list, obj, oneOf, str } from './shape';

/** The cert-manager issuer a certificate comes from. */
export interface CertificateIssuerInput {
  /** `ClusterIssuer` (cluster-wide) or `Issuer` (in the service's namespace). @default 'ClusterIssuer' */
  readonly kind?: 'Issuer' | 'ClusterIssuer';
  /** The issuer's name, e.g. `letsencrypt-prod`. */
  readonly name: string;
}

/** How the certificate actually served is checked: a scheduled job, with the schedule options of every job. */
export interface CertificateVerificationInput extends JobScheduleInput {
  /**
   * The job fails when a served certificate expires sooner than this (a Prometheus duration):
   * by then cert-manager should long have renewed it, and the edge serve the new one.
   * @default renewBefore minus 7 days (23d with the default renewBefore)
   */
  readonly threshold?: string;
}

/** One certificate of a service. */
export interface CertificateInput {
  /**
   * Names the Certificate `<service>-<name>`, its Secret and its check `<service>-<name>-check`
   * (a DNS label, unique among the service's certificates).
   * @default 'tls'
   */
  readonly name?: string;
  /** Host names the certificate is for; the check connects to each. @default [gcp.publicHost] */
  readonly hosts?: readonly string[];
  readonly issuer: CertificateIssuerInput;
  /** How long an issued certificate is valid (a Prometheus duration, whole hours). @default '90d' */
  readonly duration?: string;
  /** How long before expiry cert-manager renews it (whole hours, more than 10 days). @default '30d' */
  readonly renewBefore?: string;
  /** The Secret the certificate and key are written to. @default '<service>-<name>' */
  readonly secretName?: string;
  /** @default checked every hour at minute 23, failing under renewBefore minus 7 days */
  readonly verification?: CertificateVerificationInput;
}

/** A normalized certificate. */
export interface Certificate {
  readonly name: string;
  readonly hosts: readonly string[];
  readonly issuer: { readonly kind: 'Issuer' | 'ClusterIssuer'; readonly name: string };
  readonly durationSeconds: number;
  readonly renewBeforeSeconds: number;
  readonly secretName: string;
  readonly verification: JobSchedule & { readonly thresholdSeconds: number };
}

const DAY = 86_400;

/** Certificate settings when a definition gives none: the only source of the `@default`s above. */
export const CERTIFICATE_DEFAULTS = Object.freeze({
  name: 'tls',
  issuerKind: 'ClusterIssuer' as const,
  duration: '90d',
  renewBefore: '30d',
  /** The check runs hourly, off the full hour. */
  schedule: '23 * * * *',
  /** How much earlier than expiry minus renewBefore the check and the `high` alert call a certificate late: 7 days. */
  lateAfterRenewalSeconds: 7 * DAY,
  /** Below this the `critical` alert fires: 3 days. */
  criticalSeconds: 3 * DAY,
  /** How long a Certificate may be not Ready before `CertificateNotReady` fires. */
  notReadyFor: '1h',
});

/** The kinds of cert-manager issuers. */
export const ISSUER_KINDS = ['Issuer', 'ClusterIssuer'] as const;

const HOST_PROBLEM = 'must be a fully qualified DNS name such as shop.example.com (no wildcard: the check connects to each host)';
const HOURS_PROBLEM = 'must be whole hours, as cert-manager reads Go durations';

const verificationSchema = obj({ ...jobScheduleFields, threshold: str().optional() });

/** Schema of `certificates`. */
export const certificatesSchema = list(
  obj({
    name: str(DNS_LABEL_PROBLEM).optional(),
    hosts: list(str(HOST_PROBLEM)).optional(),
    issuer: obj({ kind: oneOf(ISSUER_KINDS).optional(), name: str() }),
    duration: str().optional(),
    renewBefore: str().optional(),
    secretName: str().optional(),
    verification: verificationSchema.optional(),
  }),
);

function isHost(host: string): boolean {
  return DNS_SUBDOMAIN.test(host) && host.includes('.') && host.length <= 253 && host.split('.').every((label) => label.length <= 63);
}

/** A duration in whole hours of at least `min` seconds, or undefined after reporting why not. */
function hours(k: Checks, field: string, value: string | undefined, fallback: string): number | undefined {
  if (value === undefined) return parseDuration(fallback);
  const seconds = k.duration(field, value);
  if (seconds === undefined) return undefined;
  if (seconds % 3600 !== 0 || seconds === 0) {
    k.c.add(field, HOURS_PROBLEM, value);
    return undefined;
  }
  return seconds;
}

/**
 * Checks the certificates of a service: hosts (defaulting to `publicHost`), issuer, durations
 * as cert-manager takes them and as the alerts need them, unique names, the check's schedule
 * and threshold.
 */
export function checkCertificates(k: Checks, service: string, certificates: readonly CertificateInput[] | undefined, publicHost: string | undefined): void {
  const seen = new Map<string, number>();
  (certificates ?? []).forEach((cert, i) => {
    const at = `certificates[${i}]`;
    const name = cert.name ?? CERTIFICATE_DEFAULTS.name;
    const nameOk = cert.name === undefined || k.label(`${at}.name`, cert.name);
    const first = seen.get(name);
    if (first !== undefined) k.c.add(`${at}.name`, `duplicates certificates[${first}]: each certificate of a service needs its own name`, name);
    else seen.set(name, i);
    if (nameOk) checkCronJobName(k, cert.name !== undefined ? `${at}.name` : at, `${service}-${name}-check`, cert.name ?? cert);
    if (cert.hosts === undefined && publicHost === undefined) {
      k.c.add(`${at}.hosts`, 'must name the hosts: the service has no gcp.publicHost to default to', cert.hosts);
    }
    if (cert.hosts !== undefined && cert.hosts.length === 0) k.c.add(`${at}.hosts`, 'must name at least one host', cert.hosts);
    (cert.hosts ?? []).forEach((host, h) => {
      if (!isHost(host)) k.c.add(`${at}.hosts[${h}]`, HOST_PROBLEM, host);
      else if ((cert.hosts ?? []).indexOf(host) < h) k.c.add(`${at}.hosts[${h}]`, `duplicates hosts[${(cert.hosts ?? []).indexOf(host)}]`, host);
    });
    if (!DNS_SUBDOMAIN.test(cert.issuer.name) || cert.issuer.name.length > MAX_SUBDOMAIN) {
      k.c.add(`${at}.issuer.name`, 'must name a cert-manager issuer: a DNS-1123 subdomain such as letsencrypt-prod', cert.issuer.name);
    }
    if (cert.secretName !== undefined && (!DNS_SUBDOMAIN.test(cert.secretName) || cert.secretName.length > MAX_SUBDOMAIN)) {
      k.c.add(`${at}.secretName`, 'must be a Secret name: a DNS-1123 subdomain', cert.secretName);
    }
    const duration = hours(k, `${at}.duration`, cert.duration, CERTIFICATE_DEFAULTS.duration);
    const renewBefore = hours(k, `${at}.renewBefore`, cert.renewBefore, CERTIFICATE_DEFAULTS.renewBefore);
    const late = CERTIFICATE_DEFAULTS.lateAfterRenewalSeconds + CERTIFICATE_DEFAULTS.criticalSeconds;
    if (renewBefore !== undefined && renewBefore <= late) {
      k.c.add(`${at}.renewBefore`, 'must be more than 10d: the high alert fires 7 days after renewal was due, and must come before the critical one at 3 days', cert.renewBefore ?? CERTIFICATE_DEFAULTS.renewBefore);
    }
    if (duration !== undefined && renewBefore !== undefined && renewBefore >= duration) {
      if (cert.renewBefore !== undefined) {
        const origin = cert.duration === undefined ? ' (the default)' : '';
        k.c.add(`${at}.renewBefore`, `must be shorter than duration ${cert.duration ?? CERTIFICATE_DEFAULTS.duration}${origin}: cert-manager would renew at once, again and again`, cert.renewBefore);
      } else {
        k.c.add(`${at}.duration`, `must be longer than renewBefore ${CERTIFICATE_DEFAULTS.renewBefore} (the default): cert-manager would renew at once, again and again`, cert.duration);
      }
    }
    checkJobSchedule(k, `${at}.verification`, cert.verification);
    const threshold = cert.verification?.threshold;
    if (threshold !== undefined) {
      const seconds = k.duration(`${at}.verification.threshold`, threshold);
      if (seconds !== undefined && duration !== undefined && (seconds <= 0 || seconds >= duration)) {
        k.c.add(`${at}.verification.threshold`, `must be shorter than duration ${cert.duration ?? CERTIFICATE_DEFAULTS.duration}: a newly issued certificate would fail the check`, threshold);
      }
    }
  });
}

/** Fills the defaults of a service's certificates. */
export function normalizeCertificates(service: string, certificates: readonly CertificateInput[] | undefined, publicHost: string | undefined): Certificate[] {
  return (certificates ?? []).map((cert) => {
    const name = cert.name ?? CERTIFICATE_DEFAULTS.name;
    const renewBeforeSeconds = parseDuration(cert.renewBefore ?? CERTIFICATE_DEFAULTS.renewBefore) as number;
    const { threshold, ...schedule } = cert.verification ?? {};
    return {
      name,
      hosts: [...(cert.hosts ?? (publicHost === undefined ? [] : [publicHost]))],
      issuer: { kind: cert.issuer.kind ?? CERTIFICATE_DEFAULTS.issuerKind, name: cert.issuer.name },
      durationSeconds: parseDuration(cert.duration ?? CERTIFICATE_DEFAULTS.duration) as number,
      renewBeforeSeconds,
      secretName: cert.secretName ?? `${service}-${name}`,
      verification: {
        ...normalizeJobSchedule(schedule, CERTIFICATE_DEFAULTS.schedule),
        thresholdSeconds: threshold === undefined ? renewBeforeSeconds - CERTIFICATE_DEFAULTS.lateAfterRenewalSeconds : (parseDuration(threshold) as number),
      },
    };
  });
}
