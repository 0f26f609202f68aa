/**
 * The platform's notification targets: PagerDuty, Slack, webhooks and e-mail. Secrets are
 * always Secret references; a URL with credentials in it is refused.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#receiver
 */
import * as z from 'zod';
import { Checks, SecretKeyRef, URL_PROBLEM, hasCredentials } from './checks';
import { secretRefSchema } from './env';
import { obj, str } from './shape';

/** A PagerDuty receiver; the routing key comes from a Secret. */
export interface PagerDutyReceiver {
  readonly type: 'pagerduty';
  /** The Secret holding the Events API v2 routing key. */
  readonly routingKeySecret: SecretKeyRef;
}

/** A Slack receiver; the webhook URL comes from a Secret. */
export interface SlackReceiver {
  readonly type: 'slack';
  /** The channel, e.g. `#payments-alerts`. */
  readonly channel: string;
  /** The Secret holding the incoming-webhook URL. */
  readonly apiUrlSecret: SecretKeyRef;
}

/** A generic webhook receiver (ticketing systems). */
export interface WebhookReceiver {
  readonly type: 'webhook';
  /** The URL; written in plain text, so it must carry no credentials. */
  readonly url: string;
  /**
   * A Secret holding a bearer token sent as `Authorization: Bearer <token>`.
   * @default no authorization header
   */
  readonly bearerTokenSecret?: SecretKeyRef;
}

/**
 * An e-mail receiver. The plain `alertmanager.yml` the library writes has no global SMTP
 * settings, so the SMTP server and the sender are part of the receiver.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#email_config
 */
export interface EmailReceiver {
  readonly type: 'email';
  /** The recipient address. */
  readonly to: string;
  /** SMTP server as `host:port`, e.g. `smtp.example.com:587`. */
  readonly smarthost: string;
  /** Sender address. */
  readonly from: string;
}

/** A notification target. */
export type ReceiverInput = PagerDutyReceiver | SlackReceiver | WebhookReceiver | EmailReceiver;

/** The receiver types. */
export const RECEIVER_TYPES = ['pagerduty', 'slack', 'webhook', 'email'] as const;

/**
 * Receiver names the library keeps for itself: `null` is the Alertmanager receiver that
 * notifies nobody, and `none` is how a routing says "drop this severity".
 */
export const RESERVED_RECEIVER_NAMES: readonly string[] = Object.freeze(['null', 'none']);

const CHANNEL_PROBLEM = 'must be a Slack channel such as #payments-alerts';
const EMAIL_PROBLEM = 'must be an e-mail address';
const SMARTHOST_PROBLEM = 'must be an SMTP server as host:port, such as smtp.example.com:587';
const EMAIL = /^[^@\s{}<>",;]+@[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)+$/;
const SMARTHOST = /^([A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\]):([0-9]{1,5})$/;

/** Schema of one receiver, chosen by `type`. */
export const receiverSchema = z.discriminatedUnion(
  'type',
  [
    obj({ type: z.literal('pagerduty'), routingKeySecret: secretRefSchema }),
    obj({ type: z.literal('slack'), channel: str(CHANNEL_PROBLEM), apiUrlSecret: secretRefSchema }),
    obj({ type: z.literal('webhook'), url: str(URL_PROBLEM), bearerTokenSecret: secretRefSchema.optional() }),
    obj({ type: z.literal('email'), to: str(EMAIL_PROBLEM), smarthost: str(SMARTHOST_PROBLEM), from: str(EMAIL_PROBLEM) }),
  ],
  { error: 'must be a receiver object with a type: pagerduty, slack, webhook or email' },
);

/** Checks one receiver. */
export function checkReceiver(k: Checks, field: string, name: string, receiver: ReceiverInput): void {
  if (k.label(field, name) && RESERVED_RECEIVER_NAMES.includes(name)) {
    k.c.add(field, `is reserved (${RESERVED_RECEIVER_NAMES.join(' and ')} are the library's receivers that notify nobody); rename it`, name);
  }
  switch (receiver.type) {
    case 'pagerduty':
      k.secretRef(`${field}.routingKeySecret`, receiver.routingKeySecret);
      break;
    case 'slack':
      k.secretRef(`${field}.apiUrlSecret`, receiver.apiUrlSecret);
      if (!/^#[-_a-z0-9]{1,80}$/.test(receiver.channel)) {
        k.c.add(`${field}.channel`, CHANNEL_PROBLEM, receiver.channel);
      }
      break;
    case 'webhook':
      if (k.url(`${field}.url`, receiver.url)) {
        if (hasCredentials(receiver.url)) {
          k.c.add(`${field}.url`, 'must not carry credentials (a user, password or token in the URL is written in plain text); give the token in bearerTokenSecret', '<redacted>');
        } else if (/hooks\.slack\.com\/services\//i.test(receiver.url)) {
          k.c.add(`${field}.url`, 'is a Slack incoming webhook, which is a secret; use a slack receiver with apiUrlSecret', '<redacted>');
        } else if (/discord(?:app)?\.com\/api\/webhooks\//i.test(receiver.url)) {
          k.c.add(`${field}.url`, 'is a Discord webhook, whose URL is a secret; keep it out of the definition', '<redacted>');
        }
      }
      if (receiver.bearerTokenSecret !== undefined) k.secretRef(`${field}.bearerTokenSecret`, receiver.bearerTokenSecret);
      break;
    case 'email':
      if (!EMAIL.test(receiver.to) || receiver.to.length > 254) {
        k.c.add(`${field}.to`, EMAIL_PROBLEM, receiver.to);
      }
      if (!SMARTHOST.test(receiver.smarthost) || Number(SMARTHOST.exec(receiver.smarthost)?.[5]) > 65535 || Number(SMARTHOST.exec(receiver.smarthost)?.[5]) < 1) {
        k.c.add(`${field}.smarthost`, SMARTHOST_PROBLEM, receiver.smarthost);
      }
      if (!EMAIL.test(receiver.from) || receiver.from.length > 254) {
        k.c.add(`${field}.from`, EMAIL_PROBLEM, receiver.from);
      }
      break;
  }
}

/** Schema of `receivers`. */
export const receiversSchema = z.record(z.string(), receiverSchema, { error: 'must be an object mapping receiver names to receivers' }).readonly();

