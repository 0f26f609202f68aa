import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { MonitoringAlertPolicy } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { App, Testing } from 'cdktf';
import { setupJest } from 'cdktf/lib/testing/adapters/jest';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GcpPlatformStack, gcpStackName } from '../../lib/gcp';
import { shop as platform } from '../fixtures/shop';
import { gcpPlatform, resourceCounts, resourcesOf } from '../fixtures/gcp';
import { AnnotationMetadataEntryType } from 'cdktf';

setupJest();

function stack(environment: string): GcpPlatformStack {
  return new GcpPlatformStack(Testing.app(), gcpStackName(platform, environment), { platform, environment });
}

/** Whether `terraform init` can find the google provider without the network (a local mirror or plugin cache). */
function googleProviderAvailableOffline(): boolean {
  if (spawnSync('sh', ['-c', 'command -v terraform']).status !== 0) return false;
  const dirs = [
    process.env.TF_PLUGIN_CACHE_DIR,
    path.join(os.homedir(), '.terraform.d', 'plugins'),
    path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'terraform', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
  ].filter((d): d is string => d !== undefined);
  return dirs.some((d) => fs.existsSync(path.join(d, 'registry.terraform.io', 'hashicorp', 'google')));
}

describe('GcpPlatformStack', () => {
  it('configures the google provider with the project and region of the services', () => {
    expect(Testing.synth(stack('prod'))).toHaveProviderWithProperties(GoogleProvider, { project: 'shop-prod-4821', region: 'europe-west1' });
  });

  it('monitors only the services with gcp settings (checkout) and shares the channels', () => {
    const prod = stack('prod');
    expect(Object.keys(prod.services)).toEqual(['checkout']);
    expect(Object.keys(prod.dashboards)).toEqual(['checkout']);
    expect(Object.keys(prod.logs)).toEqual(['checkout']);
    expect(resourceCounts(Testing.synth(prod))).toEqual({
      google_logging_metric: 1,
      google_logging_project_bucket_config: 1,
      google_logging_project_sink: 1,
      // 8 burn-rate tiers, the uptime check, the error logs
      google_monitoring_alert_policy: 10,
      google_monitoring_custom_service: 1,
      google_monitoring_dashboard: 1,
      google_monitoring_notification_channel: 3,
      google_monitoring_slo: 2,
      google_monitoring_uptime_check_config: 1,
    });
  });

  it('follows the environment routing: dev pages nobody and sends critical and high to chat', () => {
    const json = Testing.synth(stack('dev'));
    const channels = Object.values((JSON.parse(json) as { resource: Record<string, Record<string, { type: string }>> }).resource.google_monitoring_notification_channel);
    expect(channels.map((c) => c.type).sort()).toEqual(['slack', 'webhook_tokenauth']);
    expect(json).toHaveResourceWithProperties(MonitoringAlertPolicy, { severity: 'CRITICAL', user_labels: expect.objectContaining({ environment: 'dev', alert: 'slo-error-budget-burn', windows: '1h-5m' }) });
  });

  it('makes the channels of each project its services use, sorted by project and receiver', () => {
    const two = gcpPlatform({}, {}, [{ name: 'billing', team: 'shop', tier: 'high', image: 'registry.example.com/shop/billing:1.0.0', port: 8080, slos: [{ kind: 'availability', name: 'availability', objective: 99 }], gcp: { project: 'acme-billing-99' } }]);
    const stack = new GcpPlatformStack(Testing.app(), 'acme-prod', { platform: two, environment: 'prod' });
    expect(Object.keys(stack.services)).toEqual(['billing', 'orders']);
    const channels = Object.values(resourcesOf<{ project: string; user_labels: { receiver: string } }>(Testing.synth(stack), 'google_monitoring_notification_channel'));
    expect(channels.map((c) => `${c.project} ${c.user_labels.receiver}`)).toEqual([
      'acme-billing-99 chat',
      'acme-billing-99 pager',
      'acme-billing-99 tickets',
      'acme-prod-1234 chat',
      'acme-prod-1234 pager',
      'acme-prod-1234 tickets',
    ]);
  });

  it('makes the channel the error-log alert notifies, even when no other policy needs it', () => {
    const quiet = gcpPlatform({ slos: [], gcp: { project: 'acme-prod-1234' } });
    const json = Testing.synth(new GcpPlatformStack(Testing.app(), 'acme-prod', { platform: quiet, environment: 'prod' }));
    const channels = Object.values(resourcesOf<{ user_labels: { receiver: string } }>(json, 'google_monitoring_notification_channel'));
    expect(channels.map((c) => c.user_labels.receiver)).toEqual(['tickets']);
    expect(Object.values(resourcesOf<{ user_labels: { alert: string } }>(json, 'google_monitoring_alert_policy')).map((p) => p.user_labels.alert)).toEqual(['error-log-rate-high']);
  });

  it('keeps each environment logs in its own bucket, as long as the environment says', () => {
    const platform = gcpPlatform({}, { environments: [{ name: 'dev', logRetentionDays: 7 }, 'prod'] });
    const retention = (environment: string): unknown[] =>
      Object.values(resourcesOf<{ bucket_id: string; retention_days: number }>(Testing.synth(new GcpPlatformStack(Testing.app(), `acme-${environment}`, { platform, environment })), 'google_logging_project_bucket_config')).map((b) => [b.bucket_id, b.retention_days]);
    expect(retention('dev')).toEqual([['acme-dev', 7]]);
    expect(retention('prod')).toEqual([['acme-prod', 30]]);
  });

  it('holds no provider and warns when no service has gcp settings', () => {
    const none = gcpPlatform({ gcp: undefined });
    const stack = new GcpPlatformStack(Testing.app(), 'acme-prod', { platform: none, environment: 'prod' });
    expect(stack.provider).toBeUndefined();
    expect(stack.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data))).toEqual([
      'No service of platform acme has gcp settings in environment prod; the stack holds no resources.',
    ]);
  });

  it('reports an environment the platform does not have, with the stack path', () => {
    const qa = new GcpPlatformStack(Testing.app(), 'shop-qa', { platform, environment: 'qa' });
    expect(() => Testing.synth(qa, true)).toThrow('[shop-qa] environment: must be an environment of platform shop (dev, staging, prod) (got "qa")');
  });

  it('synthesizes byte-identical output twice', () => {
    const outputs = [0, 1].map(() => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcp-synth-'));
      try {
        const app = new App({ outdir: dir });
        for (const env of platform.environments) new GcpPlatformStack(app, gcpStackName(platform, env.name), { platform, environment: env.name });
        app.synth();
        return platform.environments.map((env) => fs.readFileSync(path.join(dir, 'stacks', gcpStackName(platform, env.name), 'cdk.tf.json'), 'utf8'));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
    expect(outputs[0]).toHaveLength(3);
    expect(outputs[0][0]).toContain('google_monitoring_slo');
    expect(outputs[1]).toEqual(outputs[0]);
  });

  // `toBeValidTerraform` runs `terraform init`, which downloads the google provider unless a local
  // mirror or plugin cache has it. Without one (no network), this assertion is skipped, not faked.
  (googleProviderAvailableOffline() ? it : it.skip)('is valid Terraform (terraform validate)', () => {
    const app = Testing.app();
    new GcpPlatformStack(app, 'shop-prod', { platform, environment: 'prod' });
    expect(Testing.fullSynth(app.node.findChild('shop-prod') as GcpPlatformStack)).toBeValidTerraform();
  });
});
