import { CERTIFICATE_DEFAULTS, CertificateInput, DefinitionError, ServiceDefinitionInput, definePlatform, defineService, resolveEnvironment } from '../../lib/definition';
import { bad, platform, service } from '../fixtures/definitions';

const GCP = { project: 'shop-prod-4821', publicHost: 'checkout.shop.example.com' };
const ISSUER = { name: 'letsencrypt-prod' };

function certificates(input: unknown, changes: Partial<ServiceDefinitionInput> = { gcp: GCP }) {
  return defineService(service({ ...changes, certificates: bad<CertificateInput[]>(input) })).certificates;
}

function problems(input: unknown, changes: Partial<ServiceDefinitionInput> = { gcp: GCP }): readonly string[] {
  try {
    defineService(service({ ...changes, certificates: bad<CertificateInput[]>(input) }));
  } catch (error) {
    if (error instanceof DefinitionError) return error.lines;
    throw error;
  }
  throw new Error('expected a DefinitionError, but the definition was accepted');
}

describe('certificates', () => {
  it('has none by default', () => {
    expect(defineService(service()).certificates).toEqual([]);
  });

  it('fills every default: the public host, a ClusterIssuer, 90 days, renewal 30 days before, an hourly check failing under 23 days', () => {
    expect(certificates([{ issuer: ISSUER }])).toEqual([
      {
        name: 'tls',
        hosts: ['checkout.shop.example.com'],
        issuer: { kind: 'ClusterIssuer', name: 'letsencrypt-prod' },
        durationSeconds: 90 * 86_400,
        renewBeforeSeconds: 30 * 86_400,
        secretName: 'checkout-tls',
        verification: {
          schedule: '23 * * * *',
          timeZone: 'UTC',
          startingDeadlineSeconds: 300,
          activeDeadlineSeconds: 600,
          backoffLimit: 2,
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 3,
          thresholdSeconds: 23 * 86_400,
        },
      },
    ]);
    expect(CERTIFICATE_DEFAULTS).toEqual(expect.objectContaining({ name: 'tls', issuerKind: 'ClusterIssuer', duration: '90d', renewBefore: '30d', schedule: '23 * * * *', notReadyFor: '1h' }));
  });

  it('keeps what the definition gives, and derives the threshold from its renewBefore', () => {
    const [cert] = certificates([
      { name: 'web', hosts: ['shop.example.com', 'www.shop.example.com'], issuer: { kind: 'Issuer', name: 'internal-ca' }, duration: '60d', renewBefore: '20d', secretName: 'web-tls', verification: { schedule: '@daily', timeZone: 'Europe/Berlin' } },
    ]);
    expect(cert).toEqual(expect.objectContaining({ name: 'web', hosts: ['shop.example.com', 'www.shop.example.com'], issuer: { kind: 'Issuer', name: 'internal-ca' }, durationSeconds: 60 * 86_400, renewBeforeSeconds: 20 * 86_400, secretName: 'web-tls' }));
    expect(cert.verification).toEqual(expect.objectContaining({ schedule: '@daily', timeZone: 'Europe/Berlin', thresholdSeconds: 13 * 86_400 }));
    expect(certificates([{ issuer: ISSUER, verification: { threshold: '14d' } }])[0].verification.thresholdSeconds).toBe(14 * 86_400);
  });

  it('takes the public host of each environment', () => {
    const checkout = defineService(service({ gcp: GCP, certificates: [{ issuer: ISSUER }], environments: { staging: { gcp: { publicHost: 'checkout.staging.shop.example.com' } } } }));
    const shop = definePlatform(platform({ services: [checkout] }));
    expect(resolveEnvironment(shop, checkout, 'staging').certificates[0].hosts).toEqual(['checkout.staging.shop.example.com']);
    expect(resolveEnvironment(shop, checkout, 'prod').certificates[0].hosts).toEqual(['checkout.shop.example.com']);
  });

  it('refuses a certificate without hosts when the service has no public host', () => {
    expect(problems([{ issuer: ISSUER }], {})).toEqual(['checkout.certificates[0].hosts: must name the hosts: the service has no gcp.publicHost to default to (got undefined)']);
  });

  it('refuses wildcards and names that are no host, an empty list and duplicates', () => {
    expect(problems([{ issuer: ISSUER, hosts: ['*.shop.example.com', 'localhost', 'a.example.com', 'a.example.com'] }])).toEqual([
      'checkout.certificates[0].hosts[0]: must be a fully qualified DNS name such as shop.example.com (no wildcard: the check connects to each host) (got "*.shop.example.com")',
      'checkout.certificates[0].hosts[1]: must be a fully qualified DNS name such as shop.example.com (no wildcard: the check connects to each host) (got "localhost")',
      'checkout.certificates[0].hosts[3]: duplicates hosts[2] (got "a.example.com")',
    ]);
    expect(problems([{ issuer: ISSUER, hosts: [] }])).toEqual(['checkout.certificates[0].hosts: must name at least one host (got [])']);
  });

  it('refuses an issuer kind cert-manager does not have, and an issuer name that is no name', () => {
    expect(problems([{ issuer: { kind: 'AcmeIssuer', name: 'Lets Encrypt' } }])).toEqual([
      'checkout.certificates[0].issuer.kind: must be one of Issuer, ClusterIssuer (got "AcmeIssuer")',
      'checkout.certificates[0].issuer.name: must name a cert-manager issuer: a DNS-1123 subdomain such as letsencrypt-prod (got "Lets Encrypt")',
    ]);
  });

  it('refuses durations cert-manager cannot take or that would renew forever', () => {
    expect(problems([{ issuer: ISSUER, duration: '90d30m' }])).toEqual(['checkout.certificates[0].duration: must be whole hours, as cert-manager reads Go durations (got "90d30m")']);
    expect(problems([{ issuer: ISSUER, renewBefore: '100d' }])).toEqual(['checkout.certificates[0].renewBefore: must be shorter than duration 90d (the default): cert-manager would renew at once, again and again (got "100d")']);
    expect(problems([{ issuer: ISSUER, duration: '20d' }])).toEqual(['checkout.certificates[0].duration: must be longer than renewBefore 30d (the default): cert-manager would renew at once, again and again (got "20d")']);
    expect(problems([{ issuer: ISSUER, duration: 'a year' }])).toEqual(['checkout.certificates[0].duration: must be a Prometheus duration such as 30s, 5m, 1h or 1d (got "a year")']);
  });

  it('refuses a renewBefore of 10 days or less, under which the high alert would come after the critical one', () => {
    expect(problems([{ issuer: ISSUER, renewBefore: '10d' }])).toEqual([
      'checkout.certificates[0].renewBefore: must be more than 10d: the high alert fires 7 days after renewal was due, and must come before the critical one at 3 days (got "10d")',
    ]);
  });

  it('refuses a check threshold a new certificate would fail, and bad schedule options', () => {
    expect(problems([{ issuer: ISSUER, verification: { threshold: '91d', schedule: 'hourly', failedJobsHistoryLimit: 0 } }])).toEqual([
      'checkout.certificates[0].verification.schedule: must be a cron expression of five fields (minute hour day-of-month month day-of-week, e.g. "0 3 * * *") or @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly; it has 1 field (got "hourly")',
      'checkout.certificates[0].verification.failedJobsHistoryLimit: must be at least 1: the failure alert reads the failed Job, which Kubernetes would delete at once (got 0)',
      'checkout.certificates[0].verification.threshold: must be shorter than duration 90d: a newly issued certificate would fail the check (got "91d")',
    ]);
  });

  it('refuses two certificates of one name, and a name whose check would pass the CronJob limit', () => {
    expect(problems([{ issuer: ISSUER }, { issuer: ISSUER, hosts: ['other.example.com'] }])).toEqual([
      'checkout.certificates[1].name: duplicates certificates[0]: each certificate of a service needs its own name (got "tls")',
    ]);
    const name = 'a-very-long-certificate-name-here-nowx';
    expect(problems([{ issuer: ISSUER, name }])).toEqual([
      `checkout.certificates[0].name: gives the CronJob name "checkout-${name}-check" of 53 characters; Kubernetes allows at most 52, since each Job is named <cronjob>-<minutes since the epoch> within 63 (got "${name}")`,
    ]);
  });

  it('refuses a Secret name that is no name, and unknown fields with a hint', () => {
    expect(problems([{ issuer: ISSUER, secretName: 'Checkout TLS', renewbefore: '30d' }])).toEqual([
      'checkout.certificates[0].renewbefore: is not a known field; did you mean renewBefore? (got "30d")',
    ]);
    expect(problems([{ issuer: ISSUER, secretName: 'Checkout TLS' }])).toEqual(['checkout.certificates[0].secretName: must be a Secret name: a DNS-1123 subdomain (got "Checkout TLS")']);
  });
});
