/**
 * The readiness of one service in one environment, in two steps: the findings of each item's
 * check over what was synthesized (`serviceFindings`, which reads no clock and can be kept with
 * a service's cached output), then their status by tier, the fields as the definition writes
 * them and the service's waivers applied for a day (`readinessOfFindings`).
 */
import { DefinitionError, EffectiveService, PlatformDefinition, READINESS_CHECKLIST, READINESS_ITEMS, ReadinessItem, ReadinessWaiver, ServiceDefinition, serviceNamed } from '../definition';
import { ISO_DATE_PROBLEM, isoDay } from '../private/iso-date';
import { CHECKS, Finding, fieldPath } from './checklist';
import { UNMET_STATUS } from './severity';
import { AppliedWaiver, READINESS_STATUSES, ReadinessCounts, ReadinessResult, ReadinessStatus, ServiceBuild, ServiceReadiness } from './types';

/** Options of the readiness check. */
export interface ReadinessOptions {
  /**
   * The day the check is made for, an ISO date (`2026-12-02`): waivers expire against it.
   * Plans never read the clock; entry points pass the current date.
   */
  readonly today: string;
}

/** The findings of every item for one service in one environment, in checklist order. */
export interface ServiceFindings {
  readonly items: readonly (Finding & { readonly item: ReadinessItem })[];
}

/** The day number of `today`; a `DefinitionError` when it is no ISO date. */
export function todayOf(options: ReadinessOptions): number {
  const day = isoDay(options.today);
  if (day === undefined) throw new DefinitionError('readiness options', [{ path: 'today', problem: ISO_DATE_PROBLEM, value: options.today }]);
  return day;
}

/** Runs every item's check over what was synthesized for a service. */
export function serviceFindings(platform: PlatformDefinition, build: ServiceBuild): ServiceFindings {
  const ctx = { ...build, platform };
  return { items: READINESS_ITEMS.map((item) => ({ item, ...CHECKS[item](ctx) })) };
}

/**
 * A finding as it stands on a day: one that holds only for a while after a day (`since`) is
 * partly met once that day is more than `withinDays` before `today` (a warning at every tier:
 * a lapsed date never stops a production release, an emergency patch included, on its own),
 * and unmet when the day is still to come or no date.
 */
export function findingOn(finding: Finding, today: number, todayText: string): Finding {
  const { since } = finding;
  if (since === undefined) return finding;
  const day = isoDay(since.day);
  const age = day === undefined ? undefined : today - day;
  if (age !== undefined && age >= 0 && age <= since.withinDays) return finding;
  const { since: _since, ...rest } = finding;
  const reason =
    age === undefined
      ? `${since.what} on ${since.day}, which is no date written YYYY-MM-DD`
      : age < 0
        ? `${since.what} on ${since.day}, ${-age} day${age === -1 ? '' : 's'} after the day of the check (${todayText}): a day still to come does not count`
        : `${since.what} on ${since.day}, ${age} days before ${todayText}: more than ${since.withinDays} days ago`;
  const lapsed = age !== undefined && age > since.withinDays;
  return { ...rest, met: lapsed ? 'partly' : 'no', reason, field: since.field ?? finding.field, value: since.day };
}

/** The status a finding counts as for a tier. */
function statusOf(item: ReadinessItem, finding: Finding, tier: keyof (typeof UNMET_STATUS)[ReadinessItem]): ReadinessStatus {
  if (finding.met === 'yes') return 'pass';
  if (finding.met === 'partly') return 'warn';
  return UNMET_STATUS[item][tier];
}

/** A result with the service's waiver of its item applied. */
function withWaiver(result: Omit<ReadinessResult, 'blocking'>, waiver: ReadinessWaiver | undefined, waiverField: string, today: number, production: boolean): ReadinessResult {
  if (waiver === undefined) return { ...result, blocking: production && result.status === 'fail' };
  const expired = today > (isoDay(waiver.expires) as number);
  const applied: AppliedWaiver = { reason: waiver.reason, expires: waiver.expires, expired };
  if (result.status === 'fail') {
    const note = expired ? `; the waiver expired on ${waiver.expires}` : `; waived until ${waiver.expires}: ${waiver.reason}`;
    return { ...result, reason: `${result.reason}${note}`, waiver: applied, blocking: production && expired };
  }
  if (expired) {
    // An expired waiver fails even when the item has since been met: it is to be removed, not renewed.
    return { ...result, status: 'fail', reason: `${result.reason}; the waiver expired on ${waiver.expires} and is no longer needed: remove it`, field: waiverField, value: waiver, waiver: applied, blocking: production };
  }
  return { ...result, status: 'warn', reason: `${result.reason}; the waiver (until ${waiver.expires}) is no longer needed: remove it`, field: waiverField, value: waiver, waiver: applied, blocking: false };
}

function countsOf(items: readonly ReadinessResult[]): ReadinessCounts {
  return Object.fromEntries(READINESS_STATUSES.map((status) => [status, items.filter((i) => i.status === status).length])) as ReadinessCounts;
}

function definitionOf(platform: PlatformDefinition, service: EffectiveService): ServiceDefinition {
  const definition = serviceNamed(platform, service.name);
  if (definition === undefined) throw new DefinitionError('readiness check', [{ path: `${platform.name}.services`, problem: `must hold the service checked, ${service.name}`, value: service.name }]);
  return definition;
}

/**
 * The readiness of a service from its findings: an unmet item counts as its tier's status in
 * `UNMET_STATUS`, a partly met one as a `warn`; a waiver holds a `fail` through its expiry day,
 * and from the day after the item blocks (in a production environment).
 */
export function readinessOfFindings(platform: PlatformDefinition, service: EffectiveService, findings: ServiceFindings, options: ReadinessOptions): ServiceReadiness {
  const today = todayOf(options);
  const definition = definitionOf(platform, service);
  const items = findings.items.map((found) => {
    const { item } = found;
    const finding = findingOn(found, today, options.today);
    const status = statusOf(item, finding, service.tier);
    const reason = finding.met === 'no' && status === 'pass' ? `not required for the ${service.tier} tier: ${finding.reason}` : finding.reason;
    const [category] = item.split('.') as [ReadinessResult['category']];
    const field = fieldPath(definition, service.environment, finding.field);
    const result = { item, category, title: READINESS_CHECKLIST[item], status, reason, field, ...(finding.value !== undefined ? { value: finding.value } : {}) };
    // Waivers are not overridden per environment: the one to edit is where the definition wrote it.
    const written = (definition.input.readiness?.waivers ?? []).findIndex((w) => w.item === item);
    const waiver = service.readiness.waivers.find((w) => w.item === item);
    return withWaiver(result, waiver, `${service.name}.readiness.waivers[${written}]`, today, service.production);
  });
  return {
    service: service.name,
    environment: service.environment,
    production: service.production,
    tier: service.tier,
    team: service.team,
    items,
    counts: countsOf(items),
    blocking: items.filter((i) => i.blocking).length,
  };
}

/**
 * Evaluates every checklist item for one service in one environment from what was synthesized
 * for it: `serviceFindings`, then `readinessOfFindings` for `options.today`.
 * @example
 * serviceReadiness(platform, serviceBuild(chart), { today: '2026-12-02' }).items.filter((i) => i.status !== 'pass');
 */
export function serviceReadiness(platform: PlatformDefinition, build: ServiceBuild, options: ReadinessOptions): ServiceReadiness {
  todayOf(options);
  return readinessOfFindings(platform, build.service, serviceFindings(platform, build), options);
}
