/**
 * The plain `alertmanager.yml` of one environment, rendered from the routing plan, for
 * Alertmanagers run without the prometheus-operator. Pure: no scope, no I/O, no clock.
 */
import { toYaml } from '../private/yaml';
import { PlatformDefinition, ReceiverInput } from '../definition';
import {
  ALERT_GROUP_BY,
  BUSINESS_HOURS_INTERVAL,
  INHIBIT_EQUAL,
  NULL_RECEIVER,
  ROOT_TIMING,
  SEVERITY_INHIBITIONS,
  SeverityRoute,
  planOf,
  secretFile,
  timeWindow,
} from './routing-plan';
import { businessHoursInterval } from './time-intervals';

/**
 * A route of `alertmanager.yml`. Fields left out are inherited from the parent route.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#route
 */
export interface AlertmanagerRoute {
  readonly receiver?: string;
  readonly group_by?: readonly string[];
  readonly group_wait?: string;
  readonly group_interval?: string;
  readonly repeat_interval?: string;
  /** Matchers in Alertmanager syntax, e.g. `service="checkout"`. */
  readonly matchers?: readonly string[];
  readonly continue?: boolean;
  readonly active_time_intervals?: readonly string[];
  readonly mute_time_intervals?: readonly string[];
  readonly routes?: readonly AlertmanagerRoute[];
}

/**
 * A receiver of `alertmanager.yml`, limited to the integrations the platform supports.
 * Secrets are file references (`*_file`), never values.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#receiver
 */
export interface AlertmanagerReceiver {
  readonly name: string;
  readonly pagerduty_configs?: ReadonlyArray<{ readonly routing_key_file: string; readonly send_resolved: boolean }>;
  readonly slack_configs?: ReadonlyArray<{ readonly api_url_file: string; readonly channel: string; readonly send_resolved: boolean }>;
  readonly webhook_configs?: ReadonlyArray<{ readonly url: string; readonly send_resolved: boolean }>;
  readonly email_configs?: ReadonlyArray<{ readonly to: string; readonly smarthost: string; readonly from: string; readonly send_resolved: boolean }>;
}

/**
 * An inhibition rule of `alertmanager.yml`.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#inhibit_rule
 */
export interface AlertmanagerInhibitRule {
  readonly source_matchers: readonly string[];
  readonly target_matchers: readonly string[];
  readonly equal: readonly string[];
}

/**
 * A named time interval of `alertmanager.yml`.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#time_interval
 */
export interface AlertmanagerTimeInterval {
  readonly name: string;
  readonly time_intervals: ReadonlyArray<{
    readonly weekdays: readonly string[];
    readonly times: ReadonlyArray<{ readonly start_time: string; readonly end_time: string }>;
    readonly location: string;
  }>;
}

/**
 * The content of `alertmanager.yml` for one environment.
 * @see https://prometheus.io/docs/alerting/latest/configuration/
 */
export interface AlertmanagerConfigFile {
  readonly global: { readonly resolve_timeout: string };
  readonly route: AlertmanagerRoute;
  readonly receivers: readonly AlertmanagerReceiver[];
  readonly inhibit_rules: readonly AlertmanagerInhibitRule[];
  readonly time_intervals?: readonly AlertmanagerTimeInterval[];
}

/** `name="value"` with the value quoted and escaped as Alertmanager's matcher syntax expects. */
function matcher(name: string, value: string): string {
  return `${name}=${JSON.stringify(value)}`;
}

function fileRoute(route: SeverityRoute): AlertmanagerRoute {
  const window = timeWindow(route);
  return {
    matchers: [matcher('severity', route.severity)],
    receiver: route.receiver,
    group_wait: route.timing.groupWait,
    group_interval: route.timing.groupInterval,
    repeat_interval: route.timing.repeatInterval,
    ...(window.active ? { active_time_intervals: window.active } : {}),
    ...(window.mute ? { mute_time_intervals: window.mute } : {}),
    ...(route.continue ? { continue: true } : {}),
  };
}

function fileReceiver(name: string, receiver: ReceiverInput): AlertmanagerReceiver {
  switch (receiver.type) {
    case 'pagerduty':
      return { name, pagerduty_configs: [{ routing_key_file: secretFile(receiver.routingKeySecret), send_resolved: true }] };
    case 'slack':
      return { name, slack_configs: [{ api_url_file: secretFile(receiver.apiUrlSecret), channel: receiver.channel, send_resolved: true }] };
    case 'webhook':
      return {
        name,
        webhook_configs: [
          {
            url: receiver.url,
            send_resolved: true,
            ...(receiver.bearerTokenSecret ? { http_config: { authorization: { type: 'Bearer', credentials_file: secretFile(receiver.bearerTokenSecret) } } } : {}),
          },
        ],
      };
    case 'email':
      return { name, email_configs: [{ to: receiver.to, smarthost: receiver.smarthost, from: receiver.from, send_resolved: false }] };
  }
}

/**
 * A complete `alertmanager.yml` for one environment, covering every service of the platform.
 *
 * - Root route: groups by `alertname`, `service`, `slo`; default receiver `null` (notifies nobody).
 * - One child route per service (`service="<name>"`) with severity sub-routes to that service's
 *   receivers: `critical` always; `high` to `high` during business hours (`active_time_intervals`)
 *   and to `highOutsideBusinessHours` otherwise (`mute_time_intervals`); `medium` always; `low`
 *   to `null`. Each severity has its own group_wait / group_interval / repeat_interval.
 * - `time_intervals`: the platform's business hours with their `location` (time zone).
 * - Inhibition: critical mutes high and medium, high mutes medium, when `service` and `slo` agree.
 * - Secrets are never written: PagerDuty `routing_key_file` and Slack `api_url_file` point at
 *   Secret keys mounted under `/etc/alertmanager/secrets/<secret>/<key>` (the path where the
 *   Alertmanager resource's `spec.secrets` are mounted). Needs Alertmanager 0.25 or later.
 *
 * Takes a platform `definePlatform` accepted, so it never throws a definition error.
 *
 * @example
 * const file = alertmanagerConfig(platform, 'prod');
 * @see https://prometheus.io/docs/alerting/latest/configuration/
 */
export function alertmanagerConfig(platform: PlatformDefinition, environment: string): AlertmanagerConfigFile {
  const plan = planOf(platform, environment);
  const receivers: AlertmanagerReceiver[] = [
    { name: NULL_RECEIVER },
    ...Object.entries(plan.receivers).map(([name, receiver]) => fileReceiver(name, receiver)),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const interval = plan.usesBusinessHours ? businessHoursInterval(platform.businessHours) : undefined;
  return {
    global: { resolve_timeout: '5m' },
    route: {
      receiver: NULL_RECEIVER,
      group_by: [...ALERT_GROUP_BY],
      group_wait: ROOT_TIMING.groupWait,
      group_interval: ROOT_TIMING.groupInterval,
      repeat_interval: ROOT_TIMING.repeatInterval,
      routes: plan.services.map((s) => ({ matchers: [matcher('service', s.service)], routes: s.routes.map(fileRoute) })),
    },
    receivers,
    inhibit_rules: SEVERITY_INHIBITIONS.map(({ source, target }) => ({
      source_matchers: [matcher('severity', source)],
      target_matchers: [matcher('severity', target)],
      equal: [...INHIBIT_EQUAL],
    })),
    ...(interval
      ? {
          time_intervals: [
            {
              name: BUSINESS_HOURS_INTERVAL,
              time_intervals: [
                {
                  weekdays: [...interval.weekdays],
                  times: interval.times.map((t) => ({ start_time: t.start, end_time: t.end })),
                  location: platform.businessHours.timezone,
                },
              ],
            },
          ],
        }
      : {}),
  };
}

/**
 * `alertmanagerConfig` rendered as YAML: keys sorted, lists in routing order, a header naming
 * the platform and environment. Strings a YAML 1.1 reader could mistake for another type
 * (`09:00`, `null`) are quoted.
 *
 * @example
 * fs.writeFileSync('dist/alertmanager/prod/alertmanager.yml', renderAlertmanagerYaml(platform, 'prod'));
 * @see https://prometheus.io/docs/alerting/latest/configuration/
 */
export function renderAlertmanagerYaml(platform: PlatformDefinition, environment: string): string {
  const config = alertmanagerConfig(platform, environment);
  const header = `# Alertmanager configuration of platform ${platform.name}, environment ${environment}.\n# Generated by ops-constructs from the platform definition; do not edit.\n`;
  return header + toYaml(config, { sortKeys: true });
}

