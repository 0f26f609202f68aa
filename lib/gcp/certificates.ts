/**
 * The certificates of a service on Google Cloud: a Certificate Manager certificate, managed by
 * Google, per host of each certificate of the definition, and, for the public host the uptime
 * check watches, the same expiry policy as in the cluster: `high` when the certificate served
 * expires within renewBefore minus 7 days, `critical` within 3 days. Cloud Monitoring knows the
 * expiry only of what an uptime check was served (`time_until_ssl_cert_expires`), so the
 * other hosts get their certificate and no expiry policy.
 * @see https://cloud.google.com/certificate-manager/docs/overview
 * @see https://cloud.google.com/monitoring/api/metrics_gcp_i_o#uptime_check/time_until_ssl_cert_expires
 */
import { createHash } from 'node:crypto';
import { CertificateManagerCertificate } from '@cdktf/provider-google/lib/certificate-manager-certificate';
import { MonitoringAlertPolicy } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { Construct } from 'constructs';
import { CERTIFICATE_DEFAULTS } from '../definition/certificates';
import { PlatformDefinition, Severity, kebabCase, receiverFor, runbookUrl } from '../definition';
import { alertPolicyResource } from './alert-policy';
import { GcpNotificationChannels } from './notification-channels';
import { GcpAlertPolicy, GcpService, UPTIME_CHECK_SETTINGS, documentation, gcpUserLabels } from './policies';

/** Name of the policies on the served certificate, the same as the in-cluster `high` and `critical` alerts. */
export const GCP_CERTIFICATE_ALERTS = Object.freeze({ high: 'CertificateNotRenewed', critical: 'CertificateExpiresSoon' });

/** One Google-managed certificate. */
export interface GcpManagedCertificate {
  /** Construct ID and resource name: `<service>-<host with dots as dashes>`, hashed to 63 characters. */
  readonly name: string;
  readonly host: string;
  readonly project: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** A service's certificates on Google Cloud. */
export interface GcpCertificatePlan {
  readonly certificates: readonly GcpManagedCertificate[];
  /** The expiry policies of the public host, when one of the certificates covers it. */
  readonly policies: readonly GcpAlertPolicy[];
}

/** A Certificate Manager name: lower-case letters, digits and `-`, at most 63 characters. */
function resourceName(service: string, host: string): string {
  const whole = `${service}-${host.replace(/\./g, '-')}`;
  return whole.length <= 63 ? whole : `${whole.slice(0, 54)}-${createHash('sha256').update(whole).digest('hex').slice(0, 8)}`;
}

function expiryPolicy(platform: Pick<PlatformDefinition, 'runbookBaseUrl'>, service: GcpService, host: string, severity: Severity, alert: string, days: number): GcpAlertPolicy {
  const title = `${service.name} (${service.environment}): certificate of ${host} expires within ${days} days`;
  return {
    id: `certificate-${severity}`,
    key: `certificate-${severity}`,
    alert,
    displayName: title,
    combiner: 'OR',
    conditions: [
      {
        displayName: `certificate served for ${host} valid for less than ${days} days`,
        source: { kind: 'uptime-ssl-expiry' },
        aggregations: [{ alignmentPeriod: UPTIME_CHECK_SETTINGS.alignmentPeriod, perSeriesAligner: 'ALIGN_NEXT_OLDER', crossSeriesReducer: 'REDUCE_MIN', groupByFields: ['resource.label.host'] }],
        comparison: 'COMPARISON_LT',
        thresholdValue: days,
        duration: '0s',
        triggerCount: 1,
      },
    ],
    severity,
    receiver: receiverFor(service, severity),
    userLabels: { ...gcpUserLabels(service), alert: kebabCase(alert), severity },
    documentation: documentation(severity, title, [`The certificate Google's uptime checkers were served for https://${host} expires within ${days} days.`], runbookUrl(platform, service, alert)),
  };
}

/**
 * The certificates and expiry policies of a service with `gcp` settings, as plain data: one
 * Google-managed certificate per host of its certificates, and the `high` (renewBefore minus 7
 * days) and `critical` (3 days) policies on the public host's uptime check when a certificate
 * covers the public host.
 */
export function gcpCertificatePlan(platform: Pick<PlatformDefinition, 'runbookBaseUrl'>, service: GcpService): GcpCertificatePlan {
  const hosts = [...new Set(service.certificates.flatMap((c) => c.hosts))].sort();
  const certificates = hosts.map((host) => ({ name: resourceName(service.name, host), host, project: service.gcp.project, labels: gcpUserLabels(service) }));
  const publicHost = service.gcp.publicHost;
  const covering = publicHost === undefined ? undefined : service.certificates.find((c) => c.hosts.includes(publicHost));
  const day = 86_400;
  const policies =
    covering === undefined || publicHost === undefined
      ? []
      : [
          expiryPolicy(platform, service, publicHost, 'high', GCP_CERTIFICATE_ALERTS.high, (covering.renewBeforeSeconds - CERTIFICATE_DEFAULTS.lateAfterRenewalSeconds) / day),
          expiryPolicy(platform, service, publicHost, 'critical', GCP_CERTIFICATE_ALERTS.critical, CERTIFICATE_DEFAULTS.criticalSeconds / day),
        ];
  return { certificates, policies };
}

/** Props of `GcpServiceCertificates`. */
export interface GcpServiceCertificatesProps {
  readonly platform: PlatformDefinition;
  /** The service in one environment, with `gcp` settings. */
  readonly service: GcpService;
  readonly notificationChannels: GcpNotificationChannels;
  /**
   * The ID of the public host's uptime check, which the expiry policies read.
   * @default none: no expiry policy
   */
  readonly uptimeCheckId?: string;
}

/**
 * A service's certificates on Google Cloud: a `google_certificate_manager_certificate`
 * (Google-managed, load-balancer authorized) per host, and the expiry policies on the public
 * host's uptime check.
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/certificate_manager_certificate
 */
export class GcpServiceCertificates extends Construct {
  /** The plan. */
  public readonly plan: GcpCertificatePlan;
  /** Certificates by host. */
  public readonly certificates: Readonly<Record<string, CertificateManagerCertificate>>;
  /** Expiry policies by severity. */
  public readonly policies: Readonly<Record<string, MonitoringAlertPolicy>>;

  constructor(scope: Construct, id: string, props: GcpServiceCertificatesProps) {
    super(scope, id);
    const { platform, service } = props;
    this.plan = gcpCertificatePlan(platform, service);
    const certificates: Record<string, CertificateManagerCertificate> = {};
    for (const cert of this.plan.certificates) {
      certificates[cert.host] = new CertificateManagerCertificate(this, cert.name, {
        project: cert.project,
        name: cert.name,
        description: `TLS certificate of ${cert.host} (${service.name}, ${service.environment})`,
        managed: { domains: [cert.host] },
        labels: { ...cert.labels },
      });
    }
    this.certificates = certificates;
    const policies: Record<string, MonitoringAlertPolicy> = {};
    if (props.uptimeCheckId !== undefined) {
      for (const policy of this.plan.policies) policies[policy.severity] = alertPolicyResource(this, service.gcp.project, policy, props.notificationChannels, { uptimeCheckId: props.uptimeCheckId });
    }
    this.policies = policies;
  }
}
