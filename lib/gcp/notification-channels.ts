/**
 * The notification channels of a stack: one per (project, platform receiver), shared by every
 * service of the stack.
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/monitoring_notification_channel
 */
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { DefinitionError, PlatformDefinition } from '../definition';
import { own } from '../private/data';
import { terraformLiteral } from '../private/terraform';

/** The Terraform variable that holds a receiver's secret: `notification_<receiver>_<secret>`. */
export function secretVariableName(receiver: string, secret: 'service_key' | 'auth_token'): string {
  return `notification_${receiver.replace(/[^a-zA-Z0-9]+/g, '_')}_${secret}`;
}

/** A platform receiver in one project: what one notification channel is. */
export interface ChannelTarget {
  readonly project: string;
  readonly receiver: string;
}

/** Channel targets without repetition, sorted by project, then receiver. */
export function sortedChannelTargets(targets: readonly ChannelTarget[]): ChannelTarget[] {
  const unique = new Map<string, ChannelTarget>();
  for (const target of targets) unique.set(JSON.stringify([target.project, target.receiver]), target);
  const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...unique.values()].sort((a, b) => compare(a.project, b.project) || compare(a.receiver, b.receiver));
}

/**
 * The notification channels of one stack, one per (project, platform receiver), created on
 * first use and shared by every service of the stack. Use `GcpNotificationChannels.of(scope)`.
 *
 * Receivers map to channel types as follows; no secret is ever written into the configuration:
 * - `email` → `email` with `labels.email_address`;
 * - `webhook` → `webhook_tokenauth` with `labels.url` (the URL is not a secret);
 * - `pagerduty` → `pagerduty` with `sensitive_labels.service_key` from the sensitive Terraform
 *   variable `notification_<receiver>_service_key` (the PagerDuty integration key);
 * - `slack` → `slack` with `labels.channel_name` and `sensitive_labels.auth_token` from the
 *   sensitive variable `notification_<receiver>_auth_token` (a Slack app OAuth token; Cloud
 *   Monitoring does not post to the incoming-webhook URL Alertmanager uses).
 *
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/monitoring_notification_channel
 */
export class GcpNotificationChannels extends Construct {
  /** Construct ID of the singleton under its stack. */
  public static readonly ID = 'notification-channels';

  /**
   * The channels of the stack that contains `scope`, created the first time they are asked for.
   * @throws DefinitionError when the stack's channels belong to another platform
   */
  public static of(scope: IConstruct, platform: PlatformDefinition): GcpNotificationChannels {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(GcpNotificationChannels.ID);
    if (existing instanceof GcpNotificationChannels) {
      if (existing.platform.name !== platform.name) {
        throw new DefinitionError(
          'notification channels',
          [{ path: 'platform', problem: `must be the platform the stack's channels belong to (${existing.platform.name}): one stack holds one platform`, value: platform.name }],
          stack.node.path,
        );
      }
      return existing;
    }
    return new GcpNotificationChannels(stack, GcpNotificationChannels.ID, platform);
  }

  /** The platform whose receivers these channels are. */
  public readonly platform: PlatformDefinition;

  private readonly channels = new Map<string, MonitoringNotificationChannel>();
  private readonly variables = new Map<string, TerraformVariable>();

  private constructor(scope: Construct, id: string, platform: PlatformDefinition) {
    super(scope, id);
    this.platform = platform;
  }

  /**
   * The channel of a platform receiver in a project, created on first use.
   * @returns the channel's resource name (`projects/<project>/notificationChannels/<id>`), for `notification_channels`
   */
  public channel(project: string, receiverName: string): string {
    return this.resource(project, receiverName).name;
  }

  /**
   * The channel resource of a platform receiver in a project, created on first use.
   * @throws DefinitionError when the receiver is not one of the platform's
   */
  public resource(project: string, receiverName: string): MonitoringNotificationChannel {
    const id = `${project}-${receiverName}`;
    const existing = this.channels.get(id);
    if (existing !== undefined) {
      return existing;
    }
    const receiver = own(this.platform.receivers, receiverName);
    if (receiver === undefined) {
      const known = Object.keys(this.platform.receivers).sort();
      throw new DefinitionError('notification channel', [{ path: 'receiver', problem: `must name a receiver of platform ${this.platform.name} (${known.join(', ')})`, value: receiverName }], this.node.path);
    }
    const common = {
      project,
      displayName: `${TerraformStack.of(this).node.id}: ${receiverName} (${receiver.type})`,
      description: `Platform receiver ${receiverName} of ${this.platform.name}.`,
      userLabels: { platform: this.platform.name, receiver: receiverName, 'managed-by': 'ops-constructs' },
    };
    let channel: MonitoringNotificationChannel;
    switch (receiver.type) {
      case 'email':
        channel = new MonitoringNotificationChannel(this, id, { ...common, type: 'email', labels: { email_address: receiver.to } });
        break;
      case 'webhook':
        channel = new MonitoringNotificationChannel(this, id, { ...common, type: 'webhook_tokenauth', labels: { url: terraformLiteral(receiver.url) } });
        break;
      case 'pagerduty':
        channel = new MonitoringNotificationChannel(this, id, {
          ...common,
          type: 'pagerduty',
          sensitiveLabels: { serviceKey: this.secret(receiverName, 'service_key', `PagerDuty integration key of receiver ${receiverName}`) },
        });
        break;
      case 'slack':
        channel = new MonitoringNotificationChannel(this, id, {
          ...common,
          type: 'slack',
          labels: { channel_name: receiver.channel },
          sensitiveLabels: { authToken: this.secret(receiverName, 'auth_token', `Slack app OAuth token for receiver ${receiverName} (${receiver.channel})`) },
        });
        break;
    }
    this.channels.set(id, channel);
    return channel;
  }

  /** The channels of a severity's receiver, for `notification_channels`; none when nobody is notified. */
  public channelsOf(project: string, receiver: string | undefined): string[] | undefined {
    return receiver === undefined ? undefined : [this.channel(project, receiver)];
  }

  /** A sensitive string variable without a default, shared by the receiver's channels. */
  private secret(receiverName: string, secret: 'service_key' | 'auth_token', description: string): string {
    const name = secretVariableName(receiverName, secret);
    let variable = this.variables.get(name);
    if (variable === undefined) {
      variable = new TerraformVariable(this, name, { type: 'string', sensitive: true, nullable: false, description });
      variable.overrideLogicalId(name);
      this.variables.set(name, variable);
    }
    return variable.stringValue;
  }
}
