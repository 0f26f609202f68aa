/**
 * RFC 3339 timestamps with a `Z` or `±hh:mm` offset, read into seconds since the epoch with the
 * same integer day arithmetic the namespace cleanup script does in POSIX sh, so that what the
 * library writes and what the script reads agree by construction. Not exported from the package.
 * @see https://www.rfc-editor.org/rfc/rfc3339#section-5.6
 */

/**
 * The accepted form: a full date, `T`, a full time with seconds and optional fraction, and `Z` or
 * a numeric offset. Upper-case `T` and `Z` only (what Go's `time.RFC3339` writes).
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Whether a year is a leap year in the proleptic Gregorian calendar. */
function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1-12) of a year. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Days from 1970-01-01 to a civil date, by Howard Hinnant's `days_from_civil`, for years from 1:
 * integer division only, as POSIX shell arithmetic can do it.
 * @see https://howardhinnant.github.io/date_algorithms.html#days_from_civil
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Reads an RFC 3339 timestamp into whole seconds since the epoch (a fraction is dropped).
 * @returns the seconds, or undefined when the text is no real date and time in that form
 */
export function parseRfc3339(text: unknown): number | undefined {
  const match = typeof text === 'string' ? RFC3339.exec(text) : null;
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (match[8] !== 'Z') {
    const [offsetHours, offsetMinutes] = [Number(match[10]), Number(match[11])];
    if (offsetHours > 23 || offsetMinutes > 59) return undefined;
    offset = (match[9] === '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
  }
  return daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
}

/** Writes seconds since the epoch as an RFC 3339 timestamp in UTC: `2026-12-01T09:00:00Z`. */
export function formatRfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
