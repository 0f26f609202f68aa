/**
 * The production-readiness checklist, item by item, and a service's waivers of items that fail
 * for now: each with a reason and the last day it holds. The checks themselves run in
 * `lib/readiness`, over what was synthesized; here are only the item ids a waiver may name.
 */
import { byString } from '../private/data';
import { ISO_DATE_PROBLEM, isoDay } from '../private/iso-date';
import { Checks } from './checks';
import { closestField, list, obj, str } from './shape';

/** The groups of the checklist, in the order reports show them. */
export const READINESS_CATEGORIES = Object.freeze(['deployment', 'monitoring', 'alerting', 'operations'] as const);

/** A group of the checklist. */
export type ReadinessCategory = (typeof READINESS_CATEGORIES)[number];

/**
 * Every item of the checklist that can be checked from code, by id (`<category>.<item>`), in
 * report order, with what it asks.
 */
export const READINESS_CHECKLIST = Object.freeze({
  'deployment.rollback': 'a rollback path is defined',
  'deployment.progressive-delivery': 'critical services release progressively, by canary or blue/green',
  'deployment.migration-strategy': 'a service with a database declares how its schema migrates',
  'monitoring.dashboard': 'the service has a dashboard, the one its alerts link to',
  'monitoring.latency-percentiles': 'the dashboard shows p50, p95 and p99 latency',
  'monitoring.tracing': 'the pods export traces (OTEL environment set)',
  'monitoring.service-monitor': 'Prometheus scrapes the service (ServiceMonitor)',
  'monitoring.slos': 'SLOs are defined and alerted on',
  'alerting.symptoms': 'alerts page on symptoms users feel',
  'alerting.alert-links': 'every alert has a severity, a runbook and a dashboard link',
  'alerting.escalation': 'escalation contacts are named',
  'operations.backups': 'a service with a database backs it up, and a restore test proves the dumps',
  'operations.certificate-renewal': 'the certificate of a public host renews itself, and a check watches what is served',
  'operations.requests-limits': 'every container has CPU and memory requests and limits',
  'operations.disruption-budget': 'a PodDisruptionBudget protects the pods',
  'operations.autoscaling': 'the service scales with its load',
} as const);

/** The id of a checklist item. */
export type ReadinessItem = keyof typeof READINESS_CHECKLIST;

/** Every checklist item id, in report order. */
export const READINESS_ITEMS: readonly ReadinessItem[] = Object.freeze(Object.keys(READINESS_CHECKLIST) as ReadinessItem[]);

/** A failing checklist item accepted for now. */
export interface ReadinessWaiverInput {
  /** The item waived, an id of `READINESS_ITEMS`, e.g. `operations.autoscaling`. */
  readonly item: string;
  /** Why the item may fail for now, and what will fix it: at most 500 characters. */
  readonly reason: string;
  /**
   * The last day the waiver holds, an ISO date (`2027-03-31`). From the day after, the item
   * fails again and the waiver is reported as expired.
   */
  readonly expires: string;
}

/** The service's production-readiness settings. */
export interface ReadinessInput {
  /** Failing items a production synthesis accepts until their expiry. @default [] */
  readonly waivers?: readonly ReadinessWaiverInput[];
}

/** A normalized waiver. */
export interface ReadinessWaiver {
  readonly item: ReadinessItem;
  readonly reason: string;
  /** ISO date, the last day the waiver holds. */
  readonly expires: string;
}

/** Normalized readiness settings. */
export interface Readiness {
  /** Sorted by item. */
  readonly waivers: readonly ReadinessWaiver[];
}

/** Readiness settings when a definition gives none: the only source of the `@default`s above. */
export const READINESS_DEFAULTS = Object.freeze({ waivers: Object.freeze([]) as readonly ReadinessWaiver[] });

/** Longest waiver reason. */
export const MAX_WAIVER_REASON = 500;

const WAIVERS_PROBLEM = 'must be a list of waivers { item, reason, expires }';

/** Schema of a service's `readiness`. */
export const readinessSchema = obj({
  waivers: list(obj({ item: str(), reason: str(), expires: str(ISO_DATE_PROBLEM) }, WAIVERS_PROBLEM), WAIVERS_PROBLEM).optional(),
});

/** Whether a string is a checklist item id. */
export function isReadinessItem(value: string): value is ReadinessItem {
  return Object.hasOwn(READINESS_CHECKLIST, value);
}

/** Checks a service's waivers: known items, each once, a reason, a real expiry date. */
export function checkReadiness(k: Checks, readiness: ReadinessInput | undefined): void {
  const seen = new Map<string, number>();
  (readiness?.waivers ?? []).forEach((waiver, i) => {
    const at = `readiness.waivers[${i}]`;
    if (!isReadinessItem(waiver.item)) {
      const hint = closestField(waiver.item, READINESS_ITEMS);
      k.c.add(`${at}.item`, `must be an item of the readiness checklist${hint === undefined ? '' : `; did you mean ${hint}?`} (items: ${READINESS_ITEMS.join(', ')})`, waiver.item);
    } else if (seen.has(waiver.item)) {
      k.c.add(`${at}.item`, `duplicates readiness.waivers[${seen.get(waiver.item)}].item: an item is waived once, with one reason and one expiry`, waiver.item);
    } else {
      seen.set(waiver.item, i);
    }
    if (waiver.reason.trim() === '') k.c.add(`${at}.reason`, 'must say why the item may fail for now', waiver.reason);
    else k.text(`${at}.reason`, waiver.reason, MAX_WAIVER_REASON);
    if (isoDay(waiver.expires) === undefined) k.c.add(`${at}.expires`, ISO_DATE_PROBLEM, waiver.expires);
  });
}

/** Fills the readiness defaults; waivers sorted by item. */
export function normalizeReadiness(readiness: ReadinessInput | undefined): Readiness {
  const waivers = (readiness?.waivers ?? []).map((w) => ({ item: w.item as ReadinessItem, reason: w.reason, expires: w.expires }));
  return { waivers: waivers.sort((a, b) => byString(a.item, b.item)) };
}
