/**
 * The guides of a service's certificate alerts (lib/ops/cert-renewal-plan.ts and
 * lib/gcp/certificates.ts): `CertificateNotRenewed`, `CertificateExpiresSoon` and
 * `CertificateNotReady`, from cert-manager's metrics in the cluster and from the certificate
 * Google's uptime checkers were served.
 * @see https://cert-manager.io/docs/troubleshooting/
 */
import { Certificate, EffectiveService } from '../definition';
import { CERTIFICATE_ALERTS, certificateName } from '../ops/cert-renewal-plan';
import { equalityMatchers, selector } from '../promql/build';
import { formatDuration } from '../promql/duration';
import { mdCode, mdLink, mdText } from '../private/markdown';
import { RUNBOOK_REFERENCES } from './references';
import { RunbookStep } from './delivery';
import { AlertGuide, GuideContext, promqlStep } from './guide';

/** The certificates of the service the page's alerts are about (their `certificate` label), or all of them for the Cloud Monitoring policies. */
function certificatesOf(ctx: GuideContext): Certificate[] {
  const names = new Set(ctx.page.alerts.map((a) => a.labels.certificate).filter((n): n is string => n !== undefined));
  const publicHost = ctx.service.gcp?.publicHost;
  return ctx.service.certificates.filter((c) => names.has(certificateName(ctx.service, c)) || (ctx.page.alerts.some((a) => a.evaluator === 'cloud-monitoring') && publicHost !== undefined && c.hosts.includes(publicHost)));
}

function certificateWords(service: EffectiveService, certificate: Certificate): string {
  return `${mdCode(`${service.namespace}/${certificateName(service, certificate)}`)} for ${certificate.hosts.map(mdCode).join(', ')}: issued by ${mdText(`${certificate.issuer.kind} ${certificate.issuer.name}`)}, valid ${formatDuration(certificate.durationSeconds)}, renewed ${formatDuration(certificate.renewBeforeSeconds)} before it expires, kept in Secret ${mdCode(certificate.secretName)}`;
}

function diagnosis(ctx: GuideContext): RunbookStep[] {
  const ns = ctx.service.namespace;
  return certificatesOf(ctx).flatMap((certificate) => {
    const name = certificateName(ctx.service, certificate);
    const host = certificate.hosts[0];
    return [
      {
        title: `See what cert-manager says of ${name}.`,
        detail: 'A renewal that fails leaves its reason on the Certificate and on the request, order and challenge below it (an ACME challenge the ingress does not answer, an issuer that is not ready, a rate limit).',
        code: { language: 'sh', content: [`kubectl -n ${ns} describe certificate ${name}`, `kubectl -n ${ns} get certificaterequests,orders.acme.cert-manager.io,challenges.acme.cert-manager.io`, `kubectl describe ${certificate.issuer.kind.toLowerCase()} ${certificate.issuer.name}${certificate.issuer.kind === 'Issuer' ? ` -n ${ns}` : ''}`].join('\n') },
      },
      promqlStep(`See when ${name} expires, in days, and whether it is ready.`, undefined, `(${selector('certmanager_certificate_expiration_timestamp_seconds', equalityMatchers({ name, namespace: ns }))} - time()) / 86400`, selector('certmanager_certificate_ready_status', equalityMatchers({ condition: 'True', name, namespace: ns }))),
      {
        title: `See the certificate ${host} serves.`,
        detail: 'The edge may serve another certificate than the Secret holds (an ingress pointing at another Secret, a load balancer with its own).',
        code: { language: 'sh', content: `echo | openssl s_client -connect ${host}:443 -servername ${host} 2>/dev/null | openssl x509 -noout -subject -issuer -dates` },
      },
    ];
  });
}

function remediation(ctx: GuideContext): RunbookStep[] {
  return certificatesOf(ctx).map((certificate) => ({
    title: `Renew ${certificateName(ctx.service, certificate)} once its issuer works again.`,
    detail: `Fix what the Certificate's events name first (${mdLink("cert-manager's troubleshooting", RUNBOOK_REFERENCES.certManager)}); ${mdCode('cmctl renew')} then asks for a new certificate at once.`,
    code: { language: 'sh', content: `cmctl renew -n ${ctx.service.namespace} ${certificateName(ctx.service, certificate)}` },
  }));
}

function guide(meaning: (ctx: GuideContext) => string, impact: string): AlertGuide {
  return {
    meaning: (ctx) => `${meaning(ctx)} ${certificatesOf(ctx).map((c) => `${certificateWords(ctx.service, c)}.`).join(' ')}`,
    impact: () => [impact],
    diagnosis,
    remediation,
    remedies: [],
    workload: false,
  };
}

/** The guides of the certificate alerts, by alert name. */
export const CERTIFICATE_GUIDES: Readonly<Record<string, AlertGuide>> = Object.freeze({
  [CERTIFICATE_ALERTS.notRenewed]: guide(
    () => 'The certificate should have been renewed a week ago and was not.',
    'Nothing fails yet; once the certificate expires, clients refuse the connection and every request to the host fails.',
  ),
  [CERTIFICATE_ALERTS.expiresSoon]: guide(() => 'The certificate expires within days.', 'Once it expires, clients refuse every connection to the host: a full outage for them. Renew it now.'),
  [CERTIFICATE_ALERTS.notReady]: guide(() => 'cert-manager has not had the certificate ready for an hour: issuing or renewing it fails.', 'The certificate in use stays until it expires; a new host of it gets none.'),
});
