import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { Testing, TerraformStack } from 'cdktf';
import { setupJest } from 'cdktf/lib/testing/adapters/jest';
import { DefinitionError, PlatformDefinition } from '../../lib/definition';
import { GcpNotificationChannels, secretVariableName, sortedChannelTargets } from '../../lib/gcp';
import { gcpPlatform, resourcesOf } from '../fixtures/gcp';

setupJest();

function channels(platform: PlatformDefinition, ...receivers: string[]): string {
  const stack = new TerraformStack(Testing.app(), 'acme-prod');
  const all = GcpNotificationChannels.of(stack, platform);
  for (const receiver of receivers) all.resource('acme-prod-1234', receiver);
  return Testing.synth(stack);
}

describe('GcpNotificationChannels', () => {
  it('maps e-mail receivers to email channels with the address as a label', () => {
    expect(channels(gcpPlatform(), 'mail')).toHaveResourceWithProperties(MonitoringNotificationChannel, { type: 'email', labels: { email_address: 'oncall@example.com' }, project: 'acme-prod-1234' });
  });

  it('maps webhooks to webhook_tokenauth channels with the URL as a label', () => {
    expect(channels(gcpPlatform(), 'tickets')).toHaveResourceWithProperties(MonitoringNotificationChannel, { type: 'webhook_tokenauth', labels: { url: 'https://tickets.example.com/hook' } });
  });

  it('maps Slack receivers to slack channels whose token is a sensitive variable', () => {
    expect(channels(gcpPlatform(), 'chat')).toHaveResourceWithProperties(MonitoringNotificationChannel, {
      type: 'slack',
      labels: { channel_name: '#alerts' },
      sensitive_labels: { auth_token: '${var.notification_chat_auth_token}' },
    });
  });

  it('writes no literal secret: every sensitive label is a sensitive variable without a default', () => {
    const json = channels(gcpPlatform(), 'chat', 'pager', 'tickets', 'mail');
    const parsed = JSON.parse(json) as { variable: Record<string, { sensitive?: boolean; default?: unknown; type: string; nullable: boolean }> };
    const secrets = Object.values(resourcesOf<{ sensitive_labels?: Record<string, string> }>(json, 'google_monitoring_notification_channel')).flatMap((c) => Object.values(c.sensitive_labels ?? {}));
    expect(secrets.sort()).toEqual(['${var.notification_chat_auth_token}', '${var.notification_pager_service_key}']);
    for (const secret of secrets) {
      const name = /^\$\{var\.([a-z0-9_]+)\}$/.exec(secret)?.[1] ?? '';
      expect(parsed.variable[name]).toMatchObject({ sensitive: true, type: 'string', nullable: false });
      expect(parsed.variable[name]).not.toHaveProperty('default');
    }
    expect(json).not.toMatch(/"(service_key|auth_token|password|api_url)":\s*"(?!\$\{var\.)/);
  });

  it('makes one channel per project and receiver, however often asked', () => {
    const stack = new TerraformStack(Testing.app(), 'acme-prod');
    const all = GcpNotificationChannels.of(stack, gcpPlatform());
    expect(all.resource('p-one-123', 'pager')).toBe(all.resource('p-one-123', 'pager'));
    all.resource('p-two-123', 'pager');
    expect(GcpNotificationChannels.of(stack, gcpPlatform())).toBe(all);
    expect(Object.keys(resourcesOf(Testing.synth(stack), 'google_monitoring_notification_channel'))).toHaveLength(2);
    expect(all.channelsOf('p-one-123', undefined)).toBeUndefined();
  });

  it('names secret variables after the receiver, any other character an underscore', () => {
    expect(secretVariableName('payments-pager', 'service_key')).toBe('notification_payments_pager_service_key');
  });

  it('sorts channel targets by project, then receiver, without repetition', () => {
    expect(
      sortedChannelTargets([
        { project: 'b-project', receiver: 'chat' },
        { project: 'a-project-2', receiver: 'pager' },
        { project: 'a-project', receiver: 'tickets' },
        { project: 'a-project', receiver: 'chat' },
        { project: 'b-project', receiver: 'chat' },
      ]),
    ).toEqual([
      { project: 'a-project', receiver: 'chat' },
      { project: 'a-project', receiver: 'tickets' },
      { project: 'a-project-2', receiver: 'pager' },
      { project: 'b-project', receiver: 'chat' },
    ]);
  });

  it('refuses a receiver the platform does not have, with the construct path', () => {
    const stack = new TerraformStack(Testing.app(), 'acme-prod');
    const all = GcpNotificationChannels.of(stack, gcpPlatform());
    expect(() => all.resource('acme-prod-1234', 'nobody')).toThrow(DefinitionError);
    expect(() => all.resource('acme-prod-1234', 'nobody')).toThrow('[acme-prod/notification-channels] receiver: must name a receiver of platform acme (chat, mail, pager, tickets) (got "nobody")');
  });

  it('refuses the channels of another platform in the same stack', () => {
    const stack = new TerraformStack(Testing.app(), 'acme-prod');
    GcpNotificationChannels.of(stack, gcpPlatform());
    expect(() => GcpNotificationChannels.of(stack, gcpPlatform({}, { name: 'other' }))).toThrow(
      "[acme-prod] platform: must be the platform the stack's channels belong to (acme): one stack holds one platform (got \"other\")",
    );
  });
});
