/**
 * The platform's severity policy as a routing plan: which receiver gets which severity of which
 * service, when, and how often. Both Alertmanager outputs (the plain `alertmanager.yml` and the
 * prometheus-operator `AlertmanagerConfig`) are rendered from this one plan.
 */
import { DROP, EffectiveService, PlatformDefinition, ReceiverInput, RoutingKey, Severity, effectiveServices } from '../definition';

/**
 * Name of the receiver that notifies nobody: severity `low` and the root default.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#receiver
 */
export const NULL_RECEIVER = 'null';

/**
 * Name of the time interval holding the platform's business hours.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#time_interval-1
 */
export const BUSINESS_HOURS_INTERVAL = 'business-hours';

/**
 * Labels alerts are grouped by: one notification per alert, service and SLO.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#route
 */
export const ALERT_GROUP_BY: readonly string[] = ['alertname', 'service', 'slo'];

/**
 * Labels a source and a target alert must share for the source to inhibit the target. An
 * alert without `slo` matches another without it (Alertmanager compares missing labels as empty).
 * @see https://prometheus.io/docs/alerting/latest/configuration/#inhibit_rule
 */
export const INHIBIT_EQUAL: readonly string[] = ['service', 'slo'];

/**
 * Where mounted Secrets live in the Alertmanager container (`<dir>/<secret>/<key>`): the
 * mount path of the prometheus-operator Alertmanager resource's `spec.secrets`.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.AlertmanagerSpec
 */
export const ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager/secrets';

/**
 * How long Alertmanager waits before the first notification of a group, between updates of a
 * group, and before repeating an unchanged notification.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#route
 */
export interface RouteTiming {
  readonly groupWait: string;
  readonly groupInterval: string;
  readonly repeatInterval: string;
}

/** Timing of the root route (alerts no service route claims). */
export const ROOT_TIMING: RouteTiming = Object.freeze({ groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' });

/**
 * Timing per severity: pages go out fast and repeat hourly while unresolved; chat and pager
 * traffic for `high` repeats every four hours; tickets are batched and repeat daily.
 */
export const SEVERITY_TIMING: Readonly<Record<Severity, RouteTiming>> = Object.freeze({
  critical: Object.freeze({ groupWait: '10s', groupInterval: '5m', repeatInterval: '1h' }),
  high: Object.freeze({ groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' }),
  medium: Object.freeze({ groupWait: '5m', groupInterval: '30m', repeatInterval: '24h' }),
  low: Object.freeze({ groupWait: '5m', groupInterval: '1h', repeatInterval: '168h' }),
});

/** When a severity route is active: always, only in business hours, or only outside them. */
export type RouteWindow = 'always' | 'business-hours' | 'outside-business-hours';

/** One severity sub-route of a service. */
export interface SeverityRoute {
  readonly severity: Severity;
  /** The routing key the receiver came from. */
  readonly key: RoutingKey | 'default';
  readonly receiver: string;
  readonly window: RouteWindow;
  /** Whether matching continues with the next sibling (the business-hours half of `high`). */
  readonly continue: boolean;
  readonly timing: RouteTiming;
}

/** The routes of one service. */
export interface ServiceRouting {
  readonly service: string;
  readonly namespace: string;
  readonly routes: readonly SeverityRoute[];
}

/** One inhibition: `source` severity mutes `target` severity when `INHIBIT_EQUAL` labels agree. */
export interface SeverityInhibition {
  readonly source: Severity;
  readonly target: Severity;
}

/**
 * Higher severities inhibit lower notifying ones: critical ⊃ high ⊃ medium. `low` notifies
 * nobody, so it needs no inhibition.
 */
export const SEVERITY_INHIBITIONS: readonly SeverityInhibition[] = Object.freeze([
  Object.freeze({ source: 'critical' as const, target: 'high' as const }),
  Object.freeze({ source: 'critical' as const, target: 'medium' as const }),
  Object.freeze({ source: 'high' as const, target: 'medium' as const }),
]);

/** Everything an Alertmanager configuration needs, independent of its format (file or resource). */
export interface RoutingPlan {
  readonly platform: string;
  readonly environment: string;
  /** Services by name. */
  readonly services: readonly ServiceRouting[];
  /** The platform receivers the routes use, sorted by name (the null receiver excluded). */
  readonly receivers: Readonly<Record<string, ReceiverInput>>;
  /** Whether a route depends on business hours. */
  readonly usesBusinessHours: boolean;
}

/**
 * The severity sub-routes of one service, in matching order:
 * - `critical` → its receiver, always;
 * - `high` → the `high` receiver during business hours (with `continue`), then the
 *   `highOutsideBusinessHours` receiver outside them; without an after-hours receiver,
 *   `high` notifies during business hours only (alerts still firing notify when they begin);
 * - `medium` → its receiver, always;
 * - `low` → its receiver when one is set, otherwise the null receiver.
 * A severity without a receiver gets no sub-route and falls through to the null receiver.
 */
export function serviceRoutes(service: EffectiveService): SeverityRoute[] {
  const routing = service.alertRouting;
  const routes: SeverityRoute[] = [];
  const add = (severity: Severity, key: RoutingKey | 'default', receiver: string, window: RouteWindow, cont = false): void => {
    // A severity dropped on purpose goes to the receiver that notifies nobody.
    routes.push({ severity, key, receiver: receiver === DROP ? NULL_RECEIVER : receiver, window, continue: cont, timing: SEVERITY_TIMING[severity] });
  };
  if (routing.critical !== undefined) add('critical', 'critical', routing.critical, 'always');
  if (routing.high !== undefined) {
    const afterHours = routing.highOutsideBusinessHours;
    // Dropped with no after-hours receiver, high goes nowhere at any time: no window needed.
    const window = afterHours === undefined && routing.high === DROP ? 'always' : 'business-hours';
    add('high', 'high', routing.high, window, afterHours !== undefined);
  }
  if (routing.highOutsideBusinessHours !== undefined) {
    add('high', 'highOutsideBusinessHours', routing.highOutsideBusinessHours, 'outside-business-hours');
  }
  if (routing.medium !== undefined) add('medium', 'medium', routing.medium, 'always');
  add('low', routing.low !== undefined ? 'low' : 'default', routing.low ?? NULL_RECEIVER, 'always');
  return routes;
}

/** The effective services of one environment, by name, optionally only those of one namespace. */
export function servicesOf(platform: PlatformDefinition, environment: string, namespace?: string): EffectiveService[] {
  return effectiveServices(platform, environment, namespace === undefined ? undefined : (s) => s.namespace === namespace);
}

/**
 * The routing plan of the given services. The definition guarantees that every receiver named
 * exists; the receiver that notifies nobody is not listed.
 */
export function routingPlan(platform: PlatformDefinition, environment: string, services: readonly EffectiveService[]): RoutingPlan {
  const routings: ServiceRouting[] = [...services]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((s) => ({ service: s.name, namespace: s.namespace, routes: serviceRoutes(s) }));
  const used = new Set(routings.flatMap((r) => r.routes.map((route) => route.receiver)));
  const receivers: Record<string, ReceiverInput> = {};
  for (const name of [...used].sort()) {
    const receiver = platform.receivers[name];
    if (receiver !== undefined && name !== NULL_RECEIVER) receivers[name] = receiver;
  }
  return {
    platform: platform.name,
    environment,
    services: routings,
    receivers,
    usesBusinessHours: routings.some((r) => r.routes.some((route) => route.window !== 'always')),
  };
}

/**
 * Path of the file a Secret key is mounted at in the Alertmanager container.
 * @example secretFile({ name: 'pagerduty-payments', key: 'routing-key' }) // '/etc/alertmanager/secrets/pagerduty-payments/routing-key'
 */
export function secretFile(secret: { readonly name: string; readonly key: string }): string {
  return `${ALERTMANAGER_SECRETS_DIR}/${secret.name}/${secret.key}`;
}

/** The routing plan of an environment, optionally of one namespace. */
export function planOf(platform: PlatformDefinition, environment: string, namespace?: string): RoutingPlan {
  return routingPlan(platform, environment, servicesOf(platform, environment, namespace));
}

/** The Alertmanager time intervals a route is active in (`active`) or muted by (`mute`). */
export function timeWindow(route: SeverityRoute): { active?: string[]; mute?: string[] } {
  switch (route.window) {
    case 'business-hours':
      return { active: [BUSINESS_HOURS_INTERVAL] };
    case 'outside-business-hours':
      return { mute: [BUSINESS_HOURS_INTERVAL] };
    case 'always':
      return {};
  }
}

