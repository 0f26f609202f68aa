/**
 * Business hours as Alertmanager time intervals: verbatim with a `location` for Alertmanager's
 * own configuration file, and converted to UTC for the prometheus-operator
 * `AlertmanagerConfig` resource, whose time intervals have no `location` field.
 */
import { BusinessHours } from '../definition';

/** Weekday names in Alertmanager order (weeks begin on Sunday; ranges may not wrap). */
const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** Month names in calendar order (ranges may not wrap past December). */
const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;

const MINUTES_PER_DAY = 1440;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/**
 * The year whose time-zone rules decide each month's UTC offsets. Fixed so output never
 * depends on the clock; daylight-saving rules rarely change from year to year.
 */
export const BUSINESS_HOURS_REFERENCE_YEAR = 2025;

/** A start and end time of day, `HH:MM` (end may be `24:00`). */
export interface TimeOfDayRange {
  readonly start: string;
  readonly end: string;
}

/**
 * One weekly time interval: active on the given weekdays, within the given times of day,
 * during the given months.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#time_interval-1
 */
export interface WeeklyInterval {
  /** Weekday ranges such as `monday:friday`, in Sunday-first order. */
  readonly weekdays: readonly string[];
  /** Time-of-day ranges, sorted by start. */
  readonly times: readonly TimeOfDayRange[];
  /** Month ranges such as `april:september`. @default every month */
  readonly months?: readonly string[];
}

function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h * 60 + m;
}

function clockOf(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** Collapses sorted indices into runs rendered as `first:last` (or a single name). */
function ranges(indices: readonly number[], names: readonly string[]): string[] {
  const out: string[] = [];
  let first = -1;
  let last = -1;
  for (const index of [...indices].sort((a, b) => a - b)) {
    if (first >= 0 && index === last + 1) {
      last = index;
      continue;
    }
    if (first >= 0) out.push(first === last ? names[first] : `${names[first]}:${names[last]}`);
    first = index;
    last = index;
  }
  if (first >= 0) out.push(first === last ? names[first] : `${names[first]}:${names[last]}`);
  return out;
}

/** Business hours as weekday indices and minutes of the day; the definition has checked them. */
function parseBusinessHours(hours: BusinessHours): { days: number[]; start: number; end: number } {
  const days = new Set<number>();
  for (const text of hours.weekdays) {
    const [from, to = from] = text.split(':');
    const a = WEEKDAY_NAMES.indexOf(from as (typeof WEEKDAY_NAMES)[number]);
    const b = WEEKDAY_NAMES.indexOf(to as (typeof WEEKDAY_NAMES)[number]);
    for (let d = a; d <= b; d++) days.add(d);
  }
  return { days: [...days].sort((x, y) => x - y), start: minutesOf(hours.start), end: minutesOf(hours.end) };
}

/**
 * Business hours as written, for Alertmanager's own `time_intervals` (which take a
 * `location`).
 */
export function businessHoursInterval(hours: BusinessHours): WeeklyInterval {
  const { days } = parseBusinessHours(hours);
  return { weekdays: ranges(days, WEEKDAY_NAMES), times: [{ start: hours.start, end: hours.end }] };
}

/** Offset of a time zone from UTC at one instant, in minutes (Berlin in winter: 60). */
function offsetMinutes(format: Intl.DateTimeFormat, instant: number): number {
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const local = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute);
  return Math.round((local - instant) / 60_000);
}

/** Every UTC offset the zone uses at some point of a month of the reference year. */
function offsetsOfMonth(format: Intl.DateTimeFormat, month: number): number[] {
  const offsets = new Set<number>();
  const start = Date.UTC(BUSINESS_HOURS_REFERENCE_YEAR, month, 1);
  const end = Date.UTC(BUSINESS_HOURS_REFERENCE_YEAR, month + 1, 1);
  for (let t = start; t < end; t += 3 * 3600_000) {
    offsets.add(offsetMinutes(format, t));
  }
  return [...offsets].sort((a, b) => a - b);
}

/** Merges minute-of-week intervals `[from, to)` that overlap or touch. */
function merge(intervals: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && from <= last[1]) {
      last[1] = Math.max(last[1], to);
    } else {
      out.push([from, to]);
    }
  }
  return out;
}

/** The weekly UTC intervals covering business hours under every offset in `offsets`. */
function weekInUtc(days: readonly number[], start: number, end: number, offsets: readonly number[]): WeeklyInterval[] {
  const week: Array<[number, number]> = [];
  for (const offset of offsets) {
    for (const day of days) {
      const from = (((day * MINUTES_PER_DAY + start - offset) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
      const to = from + (end - start);
      if (to <= MINUTES_PER_WEEK) {
        week.push([from, to]);
      } else {
        week.push([from, MINUTES_PER_WEEK], [0, to - MINUTES_PER_WEEK]);
      }
    }
  }
  // Split at midnight into per-day time ranges, then group days with identical ranges.
  const perDay = new Map<number, TimeOfDayRange[]>();
  for (const [from, to] of merge(week)) {
    for (let cursor = from; cursor < to; ) {
      const day = Math.floor(cursor / MINUTES_PER_DAY);
      const dayEnd = Math.min(to, (day + 1) * MINUTES_PER_DAY);
      const list = perDay.get(day) ?? [];
      list.push({ start: clockOf(cursor - day * MINUTES_PER_DAY), end: clockOf(dayEnd - day * MINUTES_PER_DAY) });
      perDay.set(day, list);
      cursor = dayEnd;
    }
  }
  const bySignature = new Map<string, { days: number[]; times: TimeOfDayRange[] }>();
  for (const [day, times] of [...perDay.entries()].sort((a, b) => a[0] - b[0])) {
    const signature = JSON.stringify(times);
    const group = bySignature.get(signature) ?? { days: [], times };
    group.days.push(day);
    bySignature.set(signature, group);
  }
  return [...bySignature.values()].map((g) => ({ weekdays: ranges(g.days, WEEKDAY_NAMES), times: g.times }));
}

/**
 * Business hours converted to UTC, for time intervals that cannot carry a time zone
 * (prometheus-operator `AlertmanagerConfig` v1alpha1). Each month uses the UTC offsets its time
 * zone has in that month of {@link BUSINESS_HOURS_REFERENCE_YEAR}; a month in which daylight
 * saving starts or ends gets the union of both offsets, so business hours are never shortened
 * (it may start an hour early or end an hour late for part of that month). Months with the same
 * intervals are grouped; when every month agrees the intervals carry no `months`.
 *
 *
 * @example
 * // 09:00-18:00 Europe/Berlin, Monday to Friday:
 * businessHoursInUtc({ timezone: 'Europe/Berlin', weekdays: ['monday:friday'], start: '09:00', end: '18:00' });
 * // → january:february, november:december 08:00-17:00; april:september 07:00-16:00;
 * //   march, october 07:00-17:00 (all monday:friday)
 * @see https://github.com/prometheus-operator/prometheus-operator/issues/5512
 */
export function businessHoursInUtc(hours: BusinessHours): WeeklyInterval[] {
  // Pure and costly (a year of time-zone lookups); every namespace of every environment asks.
  const key = JSON.stringify([hours.timezone, hours.weekdays, hours.start, hours.end]);
  let intervals = utcCache.get(key);
  if (intervals === undefined) {
    intervals = computeBusinessHoursInUtc(hours);
    utcCache.set(key, intervals);
  }
  return structuredClone(intervals);
}

const utcCache = new Map<string, WeeklyInterval[]>();

function computeBusinessHoursInUtc(hours: BusinessHours): WeeklyInterval[] {
  const { days, start, end } = parseBusinessHours(hours);
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: hours.timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const byMonths = new Map<string, { months: number[]; intervals: WeeklyInterval[] }>();
  for (let month = 0; month < 12; month++) {
    const intervals = weekInUtc(days, start, end, offsetsOfMonth(format, month));
    const signature = JSON.stringify(intervals);
    const group = byMonths.get(signature) ?? { months: [], intervals };
    group.months.push(month);
    byMonths.set(signature, group);
  }
  const groups = [...byMonths.values()];
  if (groups.length === 1) {
    return groups[0].intervals;
  }
  return groups.flatMap((g) => g.intervals.map((interval) => ({ ...interval, months: ranges(g.months, MONTH_NAMES) })));
}
