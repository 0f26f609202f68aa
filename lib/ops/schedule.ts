/**
 * How far apart the runs of a cron schedule can be: the longest gap between two consecutive
 * runs, in the job's time zone, which the job's staleness alert waits for. Measured over a year
 * of days from a fixed instant (never the clock), so irregular schedules (weekdays only, a few
 * days a month, the days clocks change) get their real longest gap, not the gap between their
 * first two runs.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax
 */
import { CronExpression, CronExpressionParser } from 'cron-parser';
import { SCHEDULE_EPOCH, cronFields } from '../definition/jobs';

/** How many days are measured, and one more run day after them. */
export const SCHEDULE_HORIZON_DAYS = 366;

/** Longest measurement, for schedules with fewer than two run days a year (the 29th of February). */
const MAX_HORIZON_DAYS = 9 * 366;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const formats = new Map<string, Intl.DateTimeFormat>();

/** The offset of `timeZone` from UTC at an instant, in milliseconds. */
function offsetMs(timeZone: string, instant: number): number {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(timeZone, format);
  }
  const part = (parts: Intl.DateTimeFormatPart[], type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const parts = format.formatToParts(new Date(instant));
  const local = Date.UTC(part(parts, 'year'), part(parts, 'month') - 1, part(parts, 'day'), part(parts, 'hour'), part(parts, 'minute'), part(parts, 'second'));
  return local - Math.floor(instant / 1000) * 1000;
}

/** The instant of local midnight starting the calendar day `day` (days since 2028-01-01) in `timeZone`. */
function dayStart(timeZone: string, day: number): number {
  const wall = Date.parse(SCHEDULE_EPOCH) + day * DAY_MS;
  const first = wall - offsetMs(timeZone, wall);
  const second = wall - offsetMs(timeZone, first);
  return Math.max(first, second);
}

/**
 * The instants of the wall-clock times `minutes` on a day whose clock changes, from the offset
 * `before` (at its start) to `after` (at its end): a time the clock passes twice runs twice, as
 * the CronJob controller runs it, and a time it skips runs just after the change.
 */
function changedDayRuns(timeZone: string, day: number, minutes: readonly number[], before: number, after: number): number[] {
  const runs = minutes.flatMap((minute) => {
    const wall = Date.parse(SCHEDULE_EPOCH) + day * DAY_MS + minute * MINUTE_MS;
    const real = [...new Set([wall - before, wall - after])].filter((t) => offsetMs(timeZone, t) === wall - t);
    return real.length > 0 ? real : [wall - before];
  });
  return [...new Set(runs)].sort((a, b) => a - b);
}

/** Minutes after local midnight at which a schedule runs on a day its other fields match. */
function minutesOfDay(expression: CronExpression): number[] {
  const { hour, minute } = expression.fields;
  return hour.values.flatMap((h) => minute.values.map((m) => Number(h) * 60 + Number(m))).sort((a, b) => a - b);
}

/** The longest gap between consecutive instants, 0 for fewer than two. */
function longestStep(instants: readonly number[]): number {
  return instants.slice(1).reduce((max, t, i) => Math.max(max, t - instants[i]), 0);
}

const cache = new Map<string, number>();

/**
 * The longest time between two consecutive runs of a schedule, in seconds. Every day of a year
 * from 2028-01-01 in `timeZone` (and up to the next run day after it; up to nine years when a
 * year has fewer than two run days) is matched with cron-parser; a run day runs at the minutes
 * of its hour and minute fields, placed on the day's own clock, so the days clocks change
 * count with their real length. Takes a schedule the definition accepted (five fields or an `@`
 * descriptor). Pure, and remembered per schedule and time zone.
 * @example
 * longestGapSeconds('0 3 * * 1-5', 'UTC'); // 259200: Friday 03:00 to Monday 03:00
 */
export function longestGapSeconds(schedule: string, timeZone: string): number {
  const key = `${timeZone} ${schedule}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const [, , dayOfMonth, month, dayOfWeek] = cronFields(schedule).trim().split(/\s+/);
  const expression = CronExpressionParser.parse(cronFields(schedule), { currentDate: SCHEDULE_EPOCH, tz: timeZone });
  // Whether a day runs at all, asked at noon, a time every day has.
  const days = CronExpressionParser.parse(`0 12 ${dayOfMonth} ${month} ${dayOfWeek}`, { currentDate: SCHEDULE_EPOCH, tz: timeZone });
  const minutes = minutesOfDay(expression);
  const sameDayGap = longestStep(minutes) * MINUTE_MS;
  let longest = 0;
  let lastRun: number | undefined;
  let runDays = 0;
  let start = dayStart(timeZone, 0);
  for (let day = 0; day < MAX_HORIZON_DAYS; day++) {
    const end = dayStart(timeZone, day + 1);
    const changed = end - start !== DAY_MS;
    const offsetBefore = Date.parse(SCHEDULE_EPOCH) + day * DAY_MS - start;
    const offsetAfter = Date.parse(SCHEDULE_EPOCH) + (day + 1) * DAY_MS - end;
    const noon = changed ? changedDayRuns(timeZone, day, [720], offsetBefore, offsetAfter)[0] : start + DAY_MS / 2;
    if (days.includesDate(new Date(noon))) {
      const runs = changed ? changedDayRuns(timeZone, day, minutes, offsetBefore, offsetAfter) : [start + minutes[0] * MINUTE_MS, start + minutes[minutes.length - 1] * MINUTE_MS];
      longest = Math.max(longest, changed ? longestStep(runs) : sameDayGap);
      if (lastRun !== undefined) longest = Math.max(longest, runs[0] - lastRun);
      lastRun = runs[runs.length - 1];
      runDays += 1;
      if (day >= SCHEDULE_HORIZON_DAYS && runDays >= 2) break;
    }
    start = end;
  }
  const result = Math.round(longest / 1000);
  cache.set(key, result);
  return result;
}
