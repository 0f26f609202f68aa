import { Construct } from 'constructs';
import { Certificate as CertificateDefinition, EffectiveService, PlatformDefinition } from '../definition';
import { Certificate, CertificateProps, CertificateSpecPrivateKeyRotationPolicy } from '../imports/cert-manager-certificates-cert-manager.io';
import { sortedRecord } from '../private/data';
import { certificateCheckName, certificateCheckPlan, certificateName } from './cert-renewal-plan';
import { JOB_COMPONENT, ScheduledJobPlan } from './scheduled-job-plan';
import { ScheduledJob } from './scheduled-job';

/** A duration in seconds as a Go duration in hours, as cert-manager reads it: `2160h`. */
function goHours(seconds: number): string {
  return `${seconds / 3600}h`;
}

/**
 * The cert-manager Certificate of one certificate of a service: its hosts, the issuer, the
 * duration and `renewBefore` of the definition, a new private key on every renewal
 * (`rotationPolicy: Always`), written to the definition's Secret.
 * @see https://cert-manager.io/docs/reference/api-docs/#cert-manager.io/v1.CertificateSpec
 */
export function certificateProps(service: EffectiveService, certificate: CertificateDefinition): CertificateProps {
  return {
    metadata: {
      name: certificateName(service, certificate),
      namespace: service.namespace,
      labels: sortedRecord({
        'app.kubernetes.io/component': 'certificate',
        'app.kubernetes.io/managed-by': 'ops-constructs',
        'app.kubernetes.io/name': service.name,
        'app.kubernetes.io/part-of': service.platform,
        team: service.team,
      }),
    },
    spec: {
      secretName: certificate.secretName,
      dnsNames: [...certificate.hosts],
      duration: goHours(certificate.durationSeconds),
      renewBefore: goHours(certificate.renewBeforeSeconds),
      issuerRef: { group: 'cert-manager.io', kind: certificate.issuer.kind, name: certificate.issuer.name },
      privateKey: { rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS },
    },
  };
}

/** Props of `CertRenewalJob`. */
export interface CertRenewalJobProps {
  readonly platform: PlatformDefinition;
  /** The service in one environment. */
  readonly service: EffectiveService;
  /** One of the service's certificates. */
  readonly certificate: CertificateDefinition;
  /**
   * The plan of its check, when already built.
   * @default certificateCheckPlan(platform, service, certificate)
   */
  readonly plan?: ScheduledJobPlan;
}

/**
 * One certificate of a service, renewed and watched: the cert-manager `Certificate`, and a
 * `ScheduledJob` that checks, from inside the cluster, the certificate each host actually
 * serves (SNI, expiry against the threshold, name, trust) and fails when it is wrong. Its
 * PrometheusRule holds the check's `CertificateCheckJobFailed` and `CertificateCheckJobStale`
 * and the certificate's `CertificateNotRenewed` (high), `CertificateExpiresSoon` and
 * `CertificateNotReady` (critical), read from cert-manager's metrics.
 * @see https://cert-manager.io/docs/usage/certificate/
 * @example
 * for (const certificate of service.certificates) new CertRenewalJob(chart, certificate.name, { platform, service, certificate });
 */
export class CertRenewalJob extends Construct {
  /** The cert-manager Certificate. */
  public readonly certificate: Certificate;
  /** The check of the served certificate. */
  public readonly check: ScheduledJob;

  constructor(scope: Construct, id: string, props: CertRenewalJobProps) {
    super(scope, id);
    const { platform, service, certificate } = props;
    this.certificate = new Certificate(this, 'Certificate', certificateProps(service, certificate));
    const plan = props.plan ?? certificateCheckPlan(platform, service, certificate);
    this.check = new ScheduledJob(this, 'Check', { plan, ruleLabels: platform.monitoringLabels });
  }
}

/** Whether a job plan is the check of one of the service's certificates; that certificate, or undefined. */
export function checkedCertificate(service: EffectiveService, plan: Pick<ScheduledJobPlan, 'name' | 'labels'>): CertificateDefinition | undefined {
  if (plan.labels['app.kubernetes.io/component'] !== JOB_COMPONENT) return undefined;
  return service.certificates.find((certificate) => certificateCheckName(service, certificate) === plan.name);
}
