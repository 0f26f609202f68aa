/**
 * The platform's working hours, during which severity `high` pages. Checked with
 * Alertmanager's rules: weeks begin on Sunday and ranges do not wrap, times are `HH:MM`, and the
 * time zone is an IANA name as Go loads it (case-sensitive).
 * @see https://prometheus.io/docs/alerting/latest/configuration/#time_interval-1
 */
import { isGoTimeZone } from '../private/time-zone';
import { Checks } from './checks';
import { list, obj, str } from './shape';

/** Weekly working hours, for severity `high` routing. */
export interface BusinessHoursInput {
  /** IANA time zone, as Go names it (case-sensitive). @default 'UTC' */
  readonly timezone?: string;
  /** Weekday ranges in Alertmanager syntax, weeks beginning on Sunday. @default ['monday:friday'] */
  readonly weekdays?: readonly string[];
  /** @default '09:00' */
  readonly start?: string;
  /** @default '17:00' */
  readonly end?: string;
}

/** Normalized business hours. */
export interface BusinessHours {
  readonly timezone: string;
  readonly weekdays: readonly string[];
  readonly start: string;
  readonly end: string;
}

/** Business hours when a definition gives none: the only source of the `@default`s above. */
export const BUSINESS_HOURS_DEFAULTS: BusinessHours = Object.freeze({
  timezone: 'UTC',
  weekdays: Object.freeze(['monday:friday']),
  start: '09:00',
  end: '17:00',
});

/** Weekday names in Alertmanager order (weeks begin on Sunday; ranges may not wrap). */
export const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

const CLOCK = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;
const WEEKDAY = /^(sunday|monday|tuesday|wednesday|thursday|friday|saturday)(:(sunday|monday|tuesday|wednesday|thursday|friday|saturday))?$/;
const TIMEZONE_PROBLEM = 'must be an IANA time zone such as UTC or Europe/Berlin (case-sensitive, as Go reads it)';
const WEEKDAY_PROBLEM = 'must be a weekday or a range such as monday:friday';
const CLOCK_PROBLEM = 'must be a time of day HH:MM';

/** Schema of `businessHours`. */
export const businessHoursSchema = obj({
  timezone: str(TIMEZONE_PROBLEM).optional(),
  weekdays: list(str(WEEKDAY_PROBLEM)).optional(),
  start: str(CLOCK_PROBLEM).optional(),
  end: str(CLOCK_PROBLEM).optional(),
});

/** Whether a time zone name is one Go loads and the runtime can compute offsets for. */
export function isTimeZone(name: string): boolean {
  if (!isGoTimeZone(name)) {
    return false;
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Checks business hours as Alertmanager reads them. */
export function checkBusinessHours(k: Checks, hours: BusinessHoursInput | undefined): void {
  if (hours === undefined) {
    return;
  }
  if (hours.timezone !== undefined && !isTimeZone(hours.timezone)) {
    k.c.add('businessHours.timezone', TIMEZONE_PROBLEM, hours.timezone);
  }
  for (const key of ['start', 'end'] as const) {
    const value = hours[key];
    if (value !== undefined && !CLOCK.test(value)) {
      k.c.add(`businessHours.${key}`, CLOCK_PROBLEM, value);
    }
  }
  const startAtMidnight = hours.start === '24:00';
  if (startAtMidnight) {
    k.c.add('businessHours.start', 'must be before 24:00, the end of the day', hours.start);
  }
  const start = hours.start ?? BUSINESS_HOURS_DEFAULTS.start;
  const end = hours.end ?? BUSINESS_HOURS_DEFAULTS.end;
  if (!startAtMidnight && (hours.start !== undefined || hours.end !== undefined) && CLOCK.test(start) && CLOCK.test(end) && start >= end) {
    const origin = hours.start === undefined ? ' (the default)' : '';
    k.c.add(hours.end !== undefined ? 'businessHours.end' : 'businessHours.start', hours.end !== undefined ? `must be after start ${start}${origin}` : `must be before end ${end} (the default)`, hours.end ?? hours.start);
  }
  if (hours.weekdays !== undefined && hours.weekdays.length === 0) {
    // Alertmanager reads an empty weekday list as every day.
    k.c.add('businessHours.weekdays', 'must list at least one weekday or range such as monday:friday', hours.weekdays);
  }
  (hours.weekdays ?? []).forEach((day, i) => {
    if (!WEEKDAY.test(day)) {
      k.c.add(`businessHours.weekdays[${i}]`, WEEKDAY_PROBLEM, day);
      return;
    }
    const [from, to = from] = day.split(':');
    if (WEEKDAY_NAMES.indexOf(from as (typeof WEEKDAY_NAMES)[number]) > WEEKDAY_NAMES.indexOf(to as (typeof WEEKDAY_NAMES)[number])) {
      k.c.add(`businessHours.weekdays[${i}]`, 'must not wrap past Saturday (Alertmanager weeks begin on Sunday); list two ranges instead, such as monday:saturday and sunday', day);
    }
  });
}

/** Fills the business-hours defaults. */
export function normalizeBusinessHours(hours: BusinessHoursInput | undefined): BusinessHours {
  const d = BUSINESS_HOURS_DEFAULTS;
  return {
    timezone: hours?.timezone ?? d.timezone,
    weekdays: [...(hours?.weekdays ?? d.weekdays)],
    start: hours?.start ?? d.start,
    end: hours?.end ?? d.end,
  };
}
