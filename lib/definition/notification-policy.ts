/**
 * Who hears which severity: the routing keys of a definition, the receiver names they point
 * at, and the rule that every severity the rules emit is either delivered or dropped by an
 * explicit choice. Alertmanager and Google Cloud both read the routing resolved here.
 */
import * as z from 'zod';
import { own } from '../private/data';
import { SEVERITIES, Severity } from '../slo/types';
import { IssueCollector } from './checks';
import { ReceiverInput } from './receivers';

/** The keys of an alert routing: the four severities plus the after-hours target of `high`. */
export type RoutingKey = Severity | 'highOutsideBusinessHours';

/** Every routing key. */
export const ROUTING_KEYS: readonly RoutingKey[] = Object.freeze(['critical', 'high', 'highOutsideBusinessHours', 'medium', 'low'] as const);

/**
 * The routing target that drops a severity on purpose: its alerts stay on dashboards and in
 * reports, and notify nobody.
 */
export const DROP = 'none';

/**
 * Names of platform receivers per severity, or `'none'` to drop a severity on purpose. `high`
 * is notified through `high` during business hours and through `highOutsideBusinessHours`
 * (usually chat) otherwise. Every severity must end up with a receiver or `'none'` once the
 * platform's defaults, the service's routing and the environment's overrides are merged.
 */
export type AlertRoutingInput = Partial<Record<RoutingKey, string>>;

/** Schema of an alert routing. */
export const alertRoutingSchema = z
  .strictObject(Object.fromEntries(ROUTING_KEYS.map((key) => [key, z.string({ error: `must name a platform receiver, or "${DROP}" to drop the severity` }).optional()])) as Record<RoutingKey, z.ZodOptional<z.ZodString>>, {
    error: 'must map severities to receiver names',
  });

/** Checks that each routing target names a platform receiver or `'none'`. */
export function checkRouting(c: IssueCollector, field: string, routing: AlertRoutingInput | undefined, receivers: Readonly<Record<string, ReceiverInput>>): void {
  for (const key of ROUTING_KEYS) {
    const name = routing?.[key];
    if (name !== undefined && name !== DROP && own(receivers, name) === undefined) {
      const known = Object.keys(receivers).sort();
      c.add(`${field}.${key}`, `must name a platform receiver (${known.length > 0 ? known.join(', ') : 'none defined'}), or "${DROP}" to drop the severity`, name);
    }
  }
}

/** One place a merged routing leaves a severity without a receiver. */
export interface RoutingGap {
  /** The service, and the environment when its override made the difference. */
  readonly where: string;
  readonly severity: Severity;
}

/**
 * The severities a merged routing leaves without a decision, and whether `high` is missing
 * while `highOutsideBusinessHours` is set (which leaves business hours silent).
 */
export function routingGaps(routing: AlertRoutingInput): { readonly missing: readonly Severity[]; readonly afterHoursWithoutHigh: boolean } {
  return {
    missing: SEVERITIES.filter((severity) => routing[severity] === undefined),
    afterHoursWithoutHigh: routing.highOutsideBusinessHours !== undefined && routing.high === undefined,
  };
}

/** Merges routings, later ones winning key by key, keys sorted. */
export function mergeRouting(...routings: readonly (AlertRoutingInput | undefined)[]): AlertRoutingInput {
  const merged: Partial<Record<RoutingKey, string>> = {};
  for (const routing of routings) {
    for (const key of ROUTING_KEYS) {
      const value = routing?.[key];
      if (value !== undefined) merged[key] = value;
    }
  }
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The receiver a notifier without time-of-day routing (Google Cloud Monitoring) notifies for a
 * severity, or `undefined` when the severity is dropped on purpose or has no receiver. Such a
 * notifier cannot follow business hours, and `high` must not page at night: it goes to the
 * `highOutsideBusinessHours` receiver (usually chat) when there is one, and to the `high`
 * receiver only when the routing has no after-hours target. Alertmanager, which knows business
 * hours, pages for `high` during them.
 * @example
 * receiverFor({ alertRouting: { high: 'pager', highOutsideBusinessHours: 'chat' } }, 'high'); // 'chat'
 */
export function receiverFor(service: { readonly alertRouting: AlertRoutingInput }, severity: Severity): string | undefined {
  const routing = service.alertRouting;
  const receiver = severity === 'high' ? (routing.highOutsideBusinessHours ?? routing.high) : routing[severity];
  return receiver === DROP ? undefined : receiver;
}
