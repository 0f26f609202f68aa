/**
 * Calendar dates written as ISO 8601 `YYYY-MM-DD`, counted in whole days since 1970-01-01 so
 * that comparing and adding days needs no clock and no time zone. Not exported from the package.
 */

/** The message of an ISO date check. */
export const ISO_DATE_PROBLEM = 'must be a calendar date written YYYY-MM-DD, such as 2027-03-31';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** The day number of an ISO date (days since 1970-01-01), or undefined when it is none: `2027-02-30` is none. */
export function isoDay(value: unknown): number | undefined {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC rolls 2027-02-30 over into March, and maps years 0-99 to the 1900s: both are refused here.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined;
  return ms / DAY_MS;
}

/** The ISO date of a day number. */
export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Today's date in UTC as an ISO date: for entry points only, never for plans. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}
