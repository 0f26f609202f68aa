import { Testing } from 'cdktf';
import { setupJest } from 'cdktf/lib/testing/adapters/jest';
import { GCP_CERTIFICATE_ALERTS, GcpPlatformStack, gcpCertificatePlan, gcpStackName } from '../../lib/gcp';
import { GcpService } from '../../lib/gcp/policies';
import { gcpPlatform, gcpService, resourcesOf } from '../fixtures/gcp';

setupJest();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const ISSUER = { name: 'letsencrypt-prod' };

function stackJson(input: Parameters<typeof gcpPlatform>[0]): string {
  const platform = gcpPlatform(input);
  return Testing.synth(new GcpPlatformStack(Testing.app(), gcpStackName(platform, 'prod'), { platform, environment: 'prod' }));
}

describe('certificates on Google Cloud', () => {
  it('writes a Google-managed Certificate Manager certificate per host of the service\'s certificates', () => {
    const json = stackJson({ certificates: [{ issuer: ISSUER }, { name: 'api', hosts: ['api.example.com', 'orders.example.com'], issuer: ISSUER }] });
    const certs = resourcesOf<Json>(json, 'google_certificate_manager_certificate');
    expect(Object.values(certs).map((c) => [c.name, c.managed.domains, c.project])).toEqual([
      ['orders-api-example-com', ['api.example.com'], 'acme-prod-1234'],
      ['orders-orders-example-com', ['orders.example.com'], 'acme-prod-1234'],
    ]);
    expect(Object.values(certs)[0].labels).toEqual(expect.objectContaining({ service: 'orders', environment: 'prod' }));
  });

  it('alerts at high under renewBefore minus 7 days and critical under 3 days, on what the uptime check is served', () => {
    const json = stackJson({ certificates: [{ issuer: ISSUER, renewBefore: '40d', duration: '90d' }] });
    const policies = Object.values(resourcesOf<Json>(json, 'google_monitoring_alert_policy')).filter((p) => p.user_labels.alert?.startsWith('certificate-')).sort((a, b) => (a.user_labels.alert < b.user_labels.alert ? 1 : -1));
    expect(policies.map((p) => [p.user_labels.alert, p.severity, p.conditions[0].condition_threshold.threshold_value, p.conditions[0].condition_threshold.comparison])).toEqual([
      ['certificate-not-renewed', 'ERROR', 33, 'COMPARISON_LT'],
      ['certificate-expires-soon', 'CRITICAL', 3, 'COMPARISON_LT'],
    ]);
    const filter = policies[0].conditions[0].condition_threshold.filter as string;
    expect(filter).toMatch(/^metric\.type="monitoring\.googleapis\.com\/uptime_check\/time_until_ssl_cert_expires" AND metric\.labels\.check_id="\$\{google_monitoring_uptime_check_config\.[^}]+\.uptime_check_id\}" AND resource\.type="uptime_url"$/);
    expect(policies[0].documentation.links).toEqual([{ display_name: 'Runbook', url: 'https://runbooks.example.com/acme/prod/services/orders/alerts/certificate-not-renewed.md' }]);
    expect(policies.every((p) => (p.notification_channels as string[]).length > 0)).toBe(true);
  });

  it('writes no expiry policy when no certificate covers the public host, and nothing without certificates', () => {
    const { platform, service } = gcpService({ certificates: [{ hosts: ['api.example.com'], issuer: ISSUER }] });
    const plan = gcpCertificatePlan(platform, service as GcpService);
    expect(plan.certificates.map((c) => c.host)).toEqual(['api.example.com']);
    expect(plan.policies).toEqual([]);
    const json = stackJson({});
    expect(resourcesOf(json, 'google_certificate_manager_certificate')).toEqual({});
    expect(GCP_CERTIFICATE_ALERTS).toEqual({ high: 'CertificateNotRenewed', critical: 'CertificateExpiresSoon' });
  });

  it('keeps certificate names within 63 characters, distinct per host', () => {
    const long = `${'a'.repeat(30)}.${'b'.repeat(30)}.example.com`;
    const { platform, service } = gcpService({ certificates: [{ hosts: [long, `x${long}`], issuer: ISSUER }] });
    const names = gcpCertificatePlan(platform, service as GcpService).certificates.map((c) => c.name);
    expect(names.every((n) => n.length <= 63 && /^[a-z0-9-]+$/.test(n))).toBe(true);
    expect(new Set(names).size).toBe(2);
  });
});
