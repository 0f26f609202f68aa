import { Checks, IssueCollector } from '../../lib/definition/checks';
import { JOB_DEFAULTS, MAX_CRONJOB_NAME, checkCronJobName, formatIssue, jobScheduleIssues, normalizeJobSchedule } from '../../lib/definition';

/** The issue lines of schedule options rooted at `job`. */
function problems(input: unknown): string[] {
  return jobScheduleIssues(input, 'job').map(formatIssue);
}

describe('the schedule options every job takes', () => {
  it('fills every default: UTC, a 5 minute starting deadline, 10 minutes per run, 2 retries, 3 Jobs of each kind kept', () => {
    expect(normalizeJobSchedule(undefined, '17 * * * *')).toEqual({
      schedule: '17 * * * *',
      timeZone: 'UTC',
      startingDeadlineSeconds: 300,
      activeDeadlineSeconds: 600,
      backoffLimit: 2,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
    });
    expect(JOB_DEFAULTS).toEqual({ timeZone: 'UTC', startingDeadline: '5m', activeDeadline: '10m', backoffLimit: 2, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
  });

  it('keeps what the definition gives, in the units Kubernetes takes', () => {
    expect(
      normalizeJobSchedule({ schedule: '@daily', timeZone: 'Europe/Berlin', startingDeadline: '90s', activeDeadline: '1h', backoffLimit: 0, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 1 }, '0 * * * *'),
    ).toEqual({ schedule: '@daily', timeZone: 'Europe/Berlin', startingDeadlineSeconds: 90, activeDeadlineSeconds: 3600, backoffLimit: 0, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 1 });
  });

  it('accepts five-field schedules with names, lists, ranges, steps and ?, and the descriptors Kubernetes reads', () => {
    for (const schedule of ['0 3 * * *', '*/15 9-17 * * mon-fri', '0 0 1,15 jan,jul ?', '5 4 * * SUN', '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '0 0 29 2 *']) {
      expect([schedule, problems({ schedule })]).toEqual([schedule, []]);
    }
  });

  it('refuses a schedule without five fields, naming how many it has', () => {
    expect(problems({ schedule: '0 3 * *' })).toEqual([
      'job.schedule: must be a cron expression of five fields (minute hour day-of-month month day-of-week, e.g. "0 3 * * *") or @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly; it has 4 fields (got "0 3 * *")',
    ]);
    expect(problems({ schedule: '0 0 3 * * *' })[0]).toContain('; it has 6 fields (got "0 0 3 * * *")');
  });

  it('refuses what cron-parser reads but Kubernetes does not: L, W, # and H', () => {
    expect(problems({ schedule: '0 0 L * *' })).toEqual([
      'job.schedule: must be a cron expression of five fields (minute hour day-of-month month day-of-week, e.g. "0 3 * * *") or @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly; "L" is not a field Kubernetes reads (numbers, names such as mon or jan, *, ?, lists, ranges and steps; no L, W, # or H) (got "0 0 L * *")',
    ]);
    expect(problems({ schedule: 'H * * * *' })[0]).toContain('"H" is not a field Kubernetes reads');
    expect(problems({ schedule: '0 0 * * 1#2' })[0]).toContain('"1#2" is not a field Kubernetes reads');
  });

  it('refuses values out of range with cron-parser\'s reason', () => {
    expect(problems({ schedule: '60 * * * *' })).toEqual([
      'job.schedule: must be a cron expression of five fields (minute hour day-of-month month day-of-week, e.g. "0 3 * * *") or @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly; cron-parser: Constraint error, got value 60 expected range 0-59 (got "60 * * * *")',
    ]);
  });

  it('refuses a schedule that never runs', () => {
    expect(problems({ schedule: '0 0 30 2 *' })).toEqual([
      'job.schedule: must be a cron expression of five fields (minute hour day-of-month month day-of-week, e.g. "0 3 * * *") or @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly; it never runs: no month has that day (got "0 0 30 2 *")',
    ]);
  });

  it('refuses a time zone in the schedule, which Kubernetes refuses: it goes in timeZone', () => {
    expect(problems({ schedule: 'TZ=Europe/Berlin 0 3 * * *' })).toEqual([
      'job.schedule: must not name a time zone (TZ= or CRON_TZ=): Kubernetes refuses it; set timeZone instead (got "TZ=Europe/Berlin 0 3 * * *")',
    ]);
  });

  it('refuses @every and @reboot, which cron-parser cannot measure', () => {
    expect(problems({ schedule: '@every 1h' })[0]).toMatch(/; @every and @reboot are not supported \(got "@every 1h"\)$/);
  });

  it('refuses a time zone Go does not load, case-sensitively', () => {
    expect(problems({ timeZone: 'europe/berlin' })).toEqual(['job.timeZone: must be an IANA time zone such as UTC or Europe/Berlin (case-sensitive, as Go reads it) (got "europe/berlin")']);
    expect(problems({ timeZone: 'Local' })).toHaveLength(1);
    expect(problems({ timeZone: 'America/Argentina/Buenos_Aires' })).toEqual([]);
  });

  it('refuses a starting deadline under 10 seconds, and durations that are not whole seconds', () => {
    expect(problems({ startingDeadline: '5s' })).toEqual([
      'job.startingDeadline: must be at least 10s: the CronJob controller looks at schedules every 10 seconds, so a shorter deadline may skip runs (got "5s")',
    ]);
    expect(problems({ activeDeadline: '1500ms' })).toEqual(['job.activeDeadline: must be whole seconds from 1s, as Kubernetes counts them (got "1500ms")']);
    expect(problems({ activeDeadline: 'ten minutes' })).toEqual(['job.activeDeadline: must be a Prometheus duration such as 30s, 5m, 1h or 1d (got "ten minutes")']);
  });

  it('refuses retries and history limits outside their ranges', () => {
    expect(problems({ backoffLimit: -1, successfulJobsHistoryLimit: 101, failedJobsHistoryLimit: 1.5 })).toEqual([
      'job.backoffLimit: must be an integer from 0 to 2147483647 (got -1)',
      'job.successfulJobsHistoryLimit: must be an integer from 0 to 100 (got 101)',
      'job.failedJobsHistoryLimit: must be an integer from 0 to 100 (got 1.5)',
    ]);
  });

  it('refuses to keep no failed Job: the failure alert reads it', () => {
    expect(problems({ failedJobsHistoryLimit: 0 })).toEqual(['job.failedJobsHistoryLimit: must be at least 1: the failure alert reads the failed Job, which Kubernetes would delete at once (got 0)']);
  });

  it('reports every problem at once, and unknown fields with a hint', () => {
    expect(problems({ schedule: 3, timezone: 'UTC', backoffLimit: 'two' })).toEqual([
      'job.schedule: must be a cron expression of five fields (minute hour day-of-month month day-of-week, e.g. "0 3 * * *") or @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly (got 3)',
      'job.backoffLimit: must be an integer (got "two")',
      'job.timezone: is not a known field; did you mean timeZone? (got "UTC")',
    ]);
  });
});

describe('CronJob names', () => {
  const check = (name: string): string[] => {
    const c = new IssueCollector('checkout');
    checkCronJobName(new Checks(c), 'certificates[0]', name);
    return c.issues.map(formatIssue);
  };

  it('takes a DNS label of up to 52 characters', () => {
    expect(check('a'.repeat(MAX_CRONJOB_NAME))).toEqual([]);
    expect(MAX_CRONJOB_NAME).toBe(52);
  });

  it('refuses 53 characters, since each Job adds 11 within 63', () => {
    expect(check(`${'a'.repeat(42)}-cert-check`)).toEqual([
      `checkout.certificates[0]: gives the CronJob name "${'a'.repeat(42)}-cert-check" of 53 characters; Kubernetes allows at most 52, since each Job is named <cronjob>-<minutes since the epoch> within 63 (got "${'a'.repeat(42)}-cert-check")`,
    ]);
  });

  it('refuses a name that is no DNS label', () => {
    expect(check('Cert_Check')).toEqual(['checkout.certificates[0]: must be a DNS-1123 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (got "Cert_Check")']);
  });
});
