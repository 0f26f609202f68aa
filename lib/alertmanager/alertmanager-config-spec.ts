/**
 * The spec of a prometheus-operator `AlertmanagerConfig` for the services of one namespace,
 * rendered from the routing plan. Pure: no scope, no I/O, no clock.
 */
import {
  AlertmanagerConfigSpec,
  AlertmanagerConfigSpecInhibitRules,
  AlertmanagerConfigSpecInhibitRulesSourceMatchMatchType,
  AlertmanagerConfigSpecInhibitRulesTargetMatchMatchType,
  AlertmanagerConfigSpecMuteTimeIntervals,
  AlertmanagerConfigSpecReceivers,
  AlertmanagerConfigSpecRoute,
  AlertmanagerConfigSpecRouteMatchersMatchType,
} from '../imports/monitoring-alertmanagerconfigs-monitoring.coreos.com';
import { PlatformDefinition, ReceiverInput } from '../definition';
import { ALERT_GROUP_BY, BUSINESS_HOURS_INTERVAL, INHIBIT_EQUAL, NULL_RECEIVER, ROOT_TIMING, SEVERITY_INHIBITIONS, SeverityRoute, planOf, timeWindow } from './routing-plan';
import { businessHoursInUtc } from './time-intervals';

const ROUTE_EQUAL = AlertmanagerConfigSpecRouteMatchersMatchType.VALUE_EQUALS;

function specRoute(route: SeverityRoute): AlertmanagerConfigSpecRoute {
  const window = timeWindow(route);
  return {
    matchers: [{ name: 'severity', value: route.severity, matchType: ROUTE_EQUAL }],
    receiver: route.receiver,
    groupWait: route.timing.groupWait,
    groupInterval: route.timing.groupInterval,
    repeatInterval: route.timing.repeatInterval,
    ...(window.active ? { activeTimeIntervals: window.active } : {}),
    ...(window.mute ? { muteTimeIntervals: window.mute } : {}),
    ...(route.continue ? { continue: true } : {}),
  };
}

function specReceiver(name: string, receiver: ReceiverInput): AlertmanagerConfigSpecReceivers {
  switch (receiver.type) {
    case 'pagerduty':
      return { name, pagerdutyConfigs: [{ routingKey: { name: receiver.routingKeySecret.name, key: receiver.routingKeySecret.key }, sendResolved: true }] };
    case 'slack':
      return {
        name,
        slackConfigs: [{ apiUrl: { name: receiver.apiUrlSecret.name, key: receiver.apiUrlSecret.key }, channel: receiver.channel, sendResolved: true }],
      };
    case 'webhook':
      return {
        name,
        webhookConfigs: [
          {
            url: receiver.url,
            sendResolved: true,
            ...(receiver.bearerTokenSecret
              ? { httpConfig: { authorization: { type: 'Bearer', credentials: { name: receiver.bearerTokenSecret.name, key: receiver.bearerTokenSecret.key } } } }
              : {}),
          },
        ],
      };
    case 'email':
      return { name, emailConfigs: [{ to: receiver.to, smarthost: receiver.smarthost, from: receiver.from, sendResolved: false }] };
  }
}

/**
 * The spec of a prometheus-operator `AlertmanagerConfig` (v1alpha1) routing the alerts of the
 * services of one namespace in one environment, with the same policy as `alertmanagerConfig`.
 *
 * Differences imposed by the operator:
 * - the operator adds a `namespace` matcher to the top route and to each inhibition rule, and
 *   prefixes receiver and time-interval names with `<namespace>/<object name>/`;
 * - Secrets are referenced by `SecretKeySelector` (`routingKey`, `apiUrl`) and must live in
 *   the object's namespace;
 * - time intervals (`muteTimeIntervals`, used by both `activeTimeIntervals` and
 *   `muteTimeIntervals` of routes) have no `location` in this API version, so business hours
 *   are converted to UTC month by month (see `businessHoursInUtc`);
 *
 * A namespace without services gives a spec that routes nothing but the null receiver.
 *
 * @example
 * new AlertmanagerConfig(chart, 'routing', { spec: alertmanagerConfigSpec(platform, 'prod', 'payments') });
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1alpha1.AlertmanagerConfig
 */
export function alertmanagerConfigSpec(platform: PlatformDefinition, environment: string, namespace: string): AlertmanagerConfigSpec {
  const plan = planOf(platform, environment, namespace);
  const receivers: AlertmanagerConfigSpecReceivers[] = [
    { name: NULL_RECEIVER },
    ...Object.entries(plan.receivers).map(([name, receiver]) => specReceiver(name, receiver)),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const inhibitRules: AlertmanagerConfigSpecInhibitRules[] = SEVERITY_INHIBITIONS.map(({ source, target }) => ({
    sourceMatch: [{ name: 'severity', value: source, matchType: AlertmanagerConfigSpecInhibitRulesSourceMatchMatchType.VALUE_EQUALS }],
    targetMatch: [{ name: 'severity', value: target, matchType: AlertmanagerConfigSpecInhibitRulesTargetMatchMatchType.VALUE_EQUALS }],
    equal: [...INHIBIT_EQUAL],
  }));
  const muteTimeIntervals: AlertmanagerConfigSpecMuteTimeIntervals[] = plan.usesBusinessHours
    ? [
        {
          name: BUSINESS_HOURS_INTERVAL,
          timeIntervals: businessHoursInUtc(platform.businessHours).map((i) => ({
            weekdays: [...i.weekdays],
            times: i.times.map((t) => ({ startTime: t.start, endTime: t.end })),
            ...(i.months ? { months: [...i.months] } : {}),
          })),
        },
      ]
    : [];
  return {
    route: {
      receiver: NULL_RECEIVER,
      groupBy: [...ALERT_GROUP_BY],
      groupWait: ROOT_TIMING.groupWait,
      groupInterval: ROOT_TIMING.groupInterval,
      repeatInterval: ROOT_TIMING.repeatInterval,
      routes: plan.services.map(
        (s): AlertmanagerConfigSpecRoute => ({
          matchers: [{ name: 'service', value: s.service, matchType: ROUTE_EQUAL }],
          routes: s.routes.map(specRoute),
        }),
      ),
    },
    receivers,
    inhibitRules,
    ...(muteTimeIntervals.length > 0 ? { muteTimeIntervals } : {}),
  };
}
