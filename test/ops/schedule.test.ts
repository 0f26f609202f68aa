import { longestGapSeconds } from '../../lib/ops';

const HOUR = 3600;
const DAY = 24 * HOUR;

describe('the longest gap between two runs of a schedule', () => {
  it('is the step of a regular schedule', () => {
    expect(longestGapSeconds('*/5 * * * *', 'UTC')).toBe(300);
    expect(longestGapSeconds('17 * * * *', 'UTC')).toBe(HOUR);
    expect(longestGapSeconds('@daily', 'UTC')).toBe(DAY);
    expect(longestGapSeconds('15 3 * * 0', 'UTC')).toBe(7 * DAY);
  });

  it('spans the weekend of a weekday schedule, not the gap of its first runs', () => {
    expect(longestGapSeconds('0 3 * * 1-5', 'UTC')).toBe(3 * DAY);
    expect(longestGapSeconds('0 9-17 * * mon-fri', 'UTC')).toBe(64 * HOUR);
  });

  it('is the longest month of a monthly schedule', () => {
    expect(longestGapSeconds('0 0 1 * *', 'UTC')).toBe(31 * DAY);
    expect(longestGapSeconds('@monthly', 'UTC')).toBe(31 * DAY);
  });

  it('counts the days clocks change in the job\'s time zone', () => {
    // New York falls back on 5 November 2028: that day has 25 hours.
    expect(longestGapSeconds('@daily', 'America/New_York')).toBe(25 * HOUR);
    // A weekday schedule in Berlin: the weekend clocks go back is an hour longer.
    expect(longestGapSeconds('0 9-17 * * 1-5', 'Europe/Berlin')).toBe(65 * HOUR);
  });

  it('runs a time the clock skips just after the change, and a time it passes twice twice', () => {
    // 02:30 does not exist in Berlin on 26 March 2028; the run moves to 03:30, 24 hours after the one before.
    expect(longestGapSeconds('30 2 * * *', 'Europe/Berlin')).toBe(DAY);
    // Hourly runs stay an hour apart when 02:00 comes twice.
    expect(longestGapSeconds('0 * * * *', 'Europe/Berlin')).toBe(HOUR);
  });

  it('measures a schedule that runs a few days a year across the year', () => {
    // Every minute of January: the gap is from 31 January 23:59 to 1 January 00:00 (2028 is a leap year).
    expect(longestGapSeconds('* * * 1 *', 'UTC')).toBe(335 * DAY + 60);
  });

  it('measures a schedule of the 29th of February across leap years', () => {
    expect(longestGapSeconds('0 0 29 2 *', 'UTC')).toBe((4 * 365 + 1) * DAY);
  });

  it('gives the same answer however often it is asked', () => {
    expect(longestGapSeconds('0 3 * * 1-5', 'Asia/Tokyo')).toBe(longestGapSeconds('0 3 * * 1-5', 'Asia/Tokyo'));
    expect(longestGapSeconds('0 3 * * 1-5', 'Asia/Tokyo')).toBe(3 * DAY);
  });
});
