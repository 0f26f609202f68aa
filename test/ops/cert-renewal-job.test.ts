import { writeFileSync } from 'fs';
import { basename, dirname, join } from 'path';
import { App, Testing } from 'cdk8s';
import { CertificateInput, PlatformDefinition, resolveEnvironment } from '../../lib/definition';
import { ServiceChart } from '../../lib/k8s';
import { CERTIFICATE_ALERTS, CERT_CHECK_IMAGE, certificateCheckPlan, serviceJobPlans } from '../../lib/ops';
import { jobRuleFiles } from '../../lib/synth/job-rules';
import { synthesizePlatform } from '../../lib/synth';
import { platform as examplePlatform } from '../../apps/platform';
import { KubeObject, schemaProblems } from '../support/schema';
import { describeWithTool, runTool, scratchDir } from '../support/tools';
import { BASE_SERVICE, testPlatform } from '../fixtures/services';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const GCP = { project: 'acme-prod-4821', publicHost: 'orders.acme.example.com' };

function platformWith(certificates: readonly CertificateInput[]): PlatformDefinition {
  return testPlatform({ ...BASE_SERVICE, gcp: GCP, certificates });
}

function chartObjects(platform: PlatformDefinition): KubeObject[] {
  const chart = new ServiceChart(new App(), 'orders', { platform, service: resolveEnvironment(platform, 'orders', 'prod'), dashboard: false });
  return Testing.synth(chart) as KubeObject[];
}

const ISSUER = { name: 'letsencrypt-prod' };

describe('CertRenewalJob', () => {
  const platform = platformWith([{ issuer: ISSUER }]);
  const objects = chartObjects(platform);
  const certificate = objects.find((o) => o.kind === 'Certificate') as Json;
  const cronJob = objects.find((o) => o.kind === 'CronJob') as Json;

  it('gives the ServiceChart a cert-manager Certificate and its check, every object valid against its schema and CRD', () => {
    const ours = objects.filter((o) => ['Certificate', 'CronJob', 'ConfigMap', 'ServiceAccount', 'NetworkPolicy', 'PrometheusRule'].includes(o.kind));
    for (const object of ours) expect(schemaProblems(object)).toEqual([]);
    expect(objects.filter((o) => o.kind === 'Certificate')).toHaveLength(1);
  });

  it('asks cert-manager for the public host from the issuer, renewing 30 of 90 days before expiry with a new key each time', () => {
    expect(certificate.metadata).toEqual(expect.objectContaining({ name: 'orders-tls', namespace: 'shop' }));
    expect(certificate.spec).toEqual({
      secretName: 'orders-tls',
      dnsNames: ['orders.acme.example.com'],
      duration: '2160h',
      renewBefore: '720h',
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt-prod' },
      privateKey: { rotationPolicy: 'Always' },
    });
  });

  it('checks the served certificate every hour with the pinned openssl image, failing under renewBefore minus 7 days', () => {
    expect(cronJob.metadata.name).toBe('orders-tls-check');
    expect(cronJob.spec.schedule).toBe('23 * * * *');
    const [container] = cronJob.spec.jobTemplate.spec.template.spec.containers;
    expect(container.image).toBe(CERT_CHECK_IMAGE);
    expect(container.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(container.command).toEqual(['/bin/sh', '/scripts/check-certificates.sh']);
    expect(container.env).toEqual([
      { name: 'CERT_HOSTS', value: 'orders.acme.example.com' },
      { name: 'CERT_MIN_VALID_SECONDS', value: String(23 * 86_400) },
      { name: 'HOME', value: '/tmp' },
    ]);
    const policy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'orders-tls-check') as Json;
    expect(policy.spec.egress[1]).toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports: [{ port: 443, protocol: 'TCP' }] });
    expect(objects.some((o) => /Role/.test(o.kind))).toBe(false);
  });

  it('ships the check\'s alerts and the expiry and readiness alerts in the check\'s PrometheusRule', () => {
    const rule = objects.find((o) => o.kind === 'PrometheusRule' && o.metadata.name === 'orders-tls-check') as Json;
    expect(rule.spec.groups[0].rules.map((r: Json) => [r.alert, r.labels.severity])).toEqual([
      ['CertificateCheckJobFailed', 'high'],
      ['CertificateCheckJobStale', 'medium'],
      ['CertificateNotRenewed', 'high'],
      ['CertificateExpiresSoon', 'critical'],
      ['CertificateNotReady', 'critical'],
    ]);
    const [, , notRenewed, expiresSoon, notReady] = rule.spec.groups[0].rules;
    expect(notRenewed.expr).toBe('max by (namespace, name) (certmanager_certificate_expiration_timestamp_seconds{name="orders-tls", namespace="shop"}) - time() < 1987200');
    expect(expiresSoon.expr).toBe('max by (namespace, name) (certmanager_certificate_expiration_timestamp_seconds{name="orders-tls", namespace="shop"}) - time() < 259200');
    expect(notReady).toEqual(expect.objectContaining({ for: '1h', expr: 'max by (namespace, name) (certmanager_certificate_ready_status{name="orders-tls", namespace="shop", condition!="True"}) == 1' }));
    expect(notRenewed.labels).toEqual({ namespace: 'shop', service: 'orders', severity: 'high', team: 'shop', certificate: 'orders-tls' });
    expect(notRenewed.annotations.runbook_url).toBe('https://runbooks.example.com/prod/services/orders/alerts/certificate-not-renewed.md');
  });

  it('derives the high alert from renewBefore', () => {
    const shorter = platformWith([{ issuer: ISSUER, renewBefore: '20d', duration: '60d' }]);
    const service = resolveEnvironment(shorter, 'orders', 'prod');
    const plan = certificateCheckPlan(shorter, service, service.certificates[0]);
    // 20 days minus 7: 13 days.
    expect(plan.alerts.find((a) => a.alert === CERTIFICATE_ALERTS.notRenewed)?.expr).toMatch(/< 1123200$/);
    expect(plan.env.CERT_MIN_VALID_SECONDS).toBe('1123200');
  });

  it('adds one Certificate and one check per certificate, and nothing for a service without certificates', () => {
    const two = chartObjects(platformWith([{ issuer: ISSUER }, { name: 'api', hosts: ['api.acme.example.com'], issuer: { kind: 'Issuer', name: 'internal' } }]));
    expect(two.filter((o) => o.kind === 'Certificate').map((o) => o.metadata.name)).toEqual(['orders-api', 'orders-tls']);
    expect(two.filter((o) => o.kind === 'CronJob').map((o) => o.metadata.name)).toEqual(['orders-api-check', 'orders-tls-check']);
    const none = chartObjects(testPlatform(BASE_SERVICE));
    expect(none.some((o) => ['Certificate', 'CronJob'].includes(o.kind))).toBe(false);
  });

  it('lists the check among the service\'s jobs', () => {
    expect(serviceJobPlans(platform, resolveEnvironment(platform, 'orders', 'prod')).map((p) => p.name)).toEqual(['orders-tls-check']);
  });
});

describeWithTool('promtool', 'certificate alerts under promtool', () => {
  const dir = scratchDir('certificate-alerts');

  it('passes promtool check rules and test rules for the check and the expiry and readiness alerts', () => {
    const platform = platformWith([{ issuer: ISSUER }, { name: 'api', hosts: ['api.acme.example.com'], issuer: ISSUER, renewBefore: '15d', duration: '45d' }]);
    const jobs = serviceJobPlans(platform, resolveEnvironment(platform, 'orders', 'prod'));
    for (const file of jobRuleFiles('orders', jobs)) writeFileSync(join(dir(), file.path), file.content);
    expect(runTool('promtool', ['check', 'rules', 'orders.rules.yaml'], dir()).output).toContain('SUCCESS: 10 rules found');
    const result = runTool('promtool', ['test', 'rules', 'orders.test.yaml'], dir());
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('fails when an alert expected to fire is removed', () => {
    const platform = platformWith([{ issuer: ISSUER }]);
    const jobs = serviceJobPlans(platform, resolveEnvironment(platform, 'orders', 'prod'));
    const [rules] = jobRuleFiles('mutated', jobs);
    writeFileSync(join(dir(), rules.path), rules.content.replace(/- alert: CertificateExpiresSoon\n\s+expr: .*< 259200/, (m) => m.replace('< 259200', '< 60')));
    const [, tests] = jobRuleFiles('mutated', jobs);
    writeFileSync(join(dir(), tests.path), tests.content);
    const result = runTool('promtool', ['test', 'rules', 'mutated.test.yaml'], dir());
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('alertname: CertificateExpiresSoon');
  });
});

describeWithTool('promtool', 'the job rule files synthesis writes', () => {
  const dir = scratchDir('synthesized-jobs');

  it('passes promtool for every job rule file of the example platform, as synthesized', () => {
    const summary = synthesizePlatform(examplePlatform, dir(), { sides: ['prometheus'] });
    const tests = summary.files.filter((f) => /^prometheus\/[^/]+\/(jobs\/[^/]+|platform\/jobs)\.test\.yaml$/.test(f));
    expect(tests).toEqual([
      'prometheus/dev/jobs/checkout.test.yaml',
      'prometheus/dev/platform/jobs.test.yaml',
      'prometheus/prod/jobs/checkout.test.yaml',
      'prometheus/staging/jobs/checkout.test.yaml',
      'prometheus/staging/platform/jobs.test.yaml',
    ]);
    for (const file of tests) {
      const result = runTool('promtool', ['test', 'rules', basename(file)], join(dir(), dirname(file)));
      expect([file, result.status, result.output.trim().split('\n').pop()?.trim()]).toEqual([file, 0, 'SUCCESS']);
    }
  });
});
