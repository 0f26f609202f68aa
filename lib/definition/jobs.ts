/**
 * The schedule options every scheduled job of the library takes (certificate checks, backups,
 * restore checks, cleanups): when it runs, in which time zone, how late it may start, how long
 * it may run, how often it is retried and how many finished Jobs are kept. Checked as the
 * Kubernetes CronJob controller reads them: a standard five-field cron expression (or one of
 * its `@` descriptors), an IANA time zone as Go loads it, whole seconds.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/
 */
import { CronExpressionParser } from 'cron-parser';
import { parseDuration } from '../promql/duration';
import { isTimeZone } from './business-hours';
import { Checks, DNS_LABEL, DNS_LABEL_PROBLEM, INT32_MAX, IssueCollector } from './checks';
import { DefinitionIssue } from './errors';
import { TYPE, checkShape, num, obj, str } from './shape';

/** When and how a scheduled job runs. Every field is optional; each job documents its own schedule. */
export interface JobScheduleInput {
  /**
   * A standard cron expression of five fields (minute, hour, day of month, month, day of week;
   * names such as `mon` or `jan` allowed) or one of `@yearly`, `@annually`, `@monthly`,
   * `@weekly`, `@daily`, `@midnight`, `@hourly`, read in `timeZone`.
   * @default the job's own schedule (each job documents it)
   */
  readonly schedule?: string;
  /** IANA time zone the schedule is read in, as Go names it (case-sensitive). @default 'UTC' */
  readonly timeZone?: string;
  /**
   * How late a run may still start after its scheduled time (a Prometheus duration, at least
   * 10s: the controller checks every 10 seconds); a run that cannot start by then is skipped.
   * @default '5m'
   */
  readonly startingDeadline?: string;
  /** How long one run may take before Kubernetes stops it (`activeDeadlineSeconds`). @default '10m' */
  readonly activeDeadline?: string;
  /** How many times a failed pod is retried before the run counts as failed. @default 2 */
  readonly backoffLimit?: number;
  /** How many succeeded Jobs are kept. @default 3 */
  readonly successfulJobsHistoryLimit?: number;
  /** How many failed Jobs are kept, at least 1: the failure alert reads the failed Job. @default 3 */
  readonly failedJobsHistoryLimit?: number;
}

/** Normalized schedule options, in the units Kubernetes takes. */
export interface JobSchedule {
  readonly schedule: string;
  readonly timeZone: string;
  readonly startingDeadlineSeconds: number;
  readonly activeDeadlineSeconds: number;
  readonly backoffLimit: number;
  readonly successfulJobsHistoryLimit: number;
  readonly failedJobsHistoryLimit: number;
}

/** Schedule options when a definition gives none: the only source of the `@default`s above. */
export const JOB_DEFAULTS = Object.freeze({
  timeZone: 'UTC',
  startingDeadline: '5m',
  activeDeadline: '10m',
  backoffLimit: 2,
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 3,
});

/**
 * Longest CronJob name: the controller names each Job `<cronjob>-<minutes since the epoch>`
 * (11 more characters), and a Job name must stay a 63-character label.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#writing-a-cronjob-spec
 */
export const MAX_CRONJOB_NAME = 52;

/** Shortest starting deadline: the CronJob controller looks at schedules every 10 seconds. */
export const MIN_STARTING_DEADLINE_SECONDS = 10;

/** Most finished Jobs a CronJob keeps of each kind. */
export const MAX_JOB_HISTORY = 100;

/** The `@` descriptors Kubernetes accepts (robfig/cron's standard parser), and what each means. */
export const CRON_DESCRIPTORS: Readonly<Record<string, string>> = Object.freeze({
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
});

/**
 * A fixed instant schedules are evaluated from (a leap year's first day), so that checks and
 * intervals never depend on the clock.
 */
export const SCHEDULE_EPOCH = '2028-01-01T00:00:00Z';

const SCHEDULE_PROBLEM = 'must be a cron expression of five fields (minute hour day-of-month month day-of-week, e.g. "0 3 * * *") or @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly';
const TIME_ZONE_PROBLEM = 'must be an IANA time zone such as UTC or Europe/Berlin (case-sensitive, as Go reads it)';
/** One field of a standard cron expression: numbers, names, `*`, `?`, lists, ranges and steps. */
const CRON_FIELD = /^(\*|\?|[0-9a-zA-Z]+(-[0-9a-zA-Z]+)?)(\/[0-9]+)?(,(\*|\?|[0-9a-zA-Z]+(-[0-9a-zA-Z]+)?)(\/[0-9]+)?)*$/;
const NAMES = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat)$/i;

/** The zod fields of the schedule options, for a job's schema to spread into its own. */
export const jobScheduleFields = {
  schedule: str(SCHEDULE_PROBLEM).optional(),
  timeZone: str(TIME_ZONE_PROBLEM).optional(),
  startingDeadline: str().optional(),
  activeDeadline: str().optional(),
  backoffLimit: num(TYPE.integer).optional(),
  successfulJobsHistoryLimit: num(TYPE.integer).optional(),
  failedJobsHistoryLimit: num(TYPE.integer).optional(),
};

/** Schema of the schedule options on their own. */
export const jobScheduleSchema = obj(jobScheduleFields);

/** The five fields a schedule stands for: a descriptor's expansion, or the expression itself. */
export function cronFields(schedule: string): string {
  return CRON_DESCRIPTORS[schedule] ?? schedule;
}

/**
 * What is wrong with a schedule as the CronJob controller reads it, or undefined. Kubernetes
 * parses schedules with robfig/cron's standard parser: five fields, names, lists, ranges and
 * steps, no seconds, no `L`, `W`, `#` or `H`, no `TZ=` prefix (the time zone has its own
 * field). cron-parser checks the ranges, and that the schedule runs at all.
 * @see https://pkg.go.dev/github.com/robfig/cron/v3#hdr-CRON_Expression_Format
 */
export function scheduleProblem(schedule: string, timeZone: string = JOB_DEFAULTS.timeZone): string | undefined {
  if (/^\s*(CRON_)?TZ=/.test(schedule)) {
    return 'must not name a time zone (TZ= or CRON_TZ=): Kubernetes refuses it; set timeZone instead';
  }
  if (schedule.startsWith('@')) {
    return schedule in CRON_DESCRIPTORS ? undefined : `${SCHEDULE_PROBLEM}; @every and @reboot are not supported`;
  }
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `${SCHEDULE_PROBLEM}; it has ${fields.length} field${fields.length === 1 ? '' : 's'}`;
  }
  const odd = fields.find((field) => !CRON_FIELD.test(field) || field.split(/[,/-]/).some((part) => /[a-z]/i.test(part) && !NAMES.test(part)));
  if (odd !== undefined) {
    return `${SCHEDULE_PROBLEM}; "${odd}" is not a field Kubernetes reads (numbers, names such as mon or jan, *, ?, lists, ranges and steps; no L, W, # or H)`;
  }
  try {
    CronExpressionParser.parse(schedule, { currentDate: SCHEDULE_EPOCH, tz: timeZone }).next();
  } catch (error) {
    const message = (error as Error).message;
    return /day of month/i.test(message) ? `${SCHEDULE_PROBLEM}; it never runs: no month has that day` : `${SCHEDULE_PROBLEM}; cron-parser: ${message}`;
  }
  return undefined;
}

/** Checks one duration field in whole seconds of at least `min`; returns the seconds. */
function seconds(k: Checks, field: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = k.duration(field, value);
  if (parsed === undefined) return undefined;
  if (!Number.isInteger(parsed) || parsed < min || parsed > INT32_MAX) {
    k.c.add(field, `must be whole seconds from ${min}s, as Kubernetes counts them`, value);
    return undefined;
  }
  return parsed;
}

/**
 * Checks the schedule options of a job at `field` (e.g. `certificates[0].verification`),
 * reporting every problem under that path.
 */
export function checkJobSchedule(k: Checks, field: string, input: JobScheduleInput | undefined): void {
  if (input === undefined) return;
  const at = (name: string): string => (field === '' ? name : `${field}.${name}`);
  const timeZoneOk = input.timeZone === undefined || isTimeZone(input.timeZone);
  if (!timeZoneOk) k.c.add(at('timeZone'), TIME_ZONE_PROBLEM, input.timeZone);
  if (input.schedule !== undefined) {
    const problem = scheduleProblem(input.schedule, timeZoneOk ? (input.timeZone ?? JOB_DEFAULTS.timeZone) : JOB_DEFAULTS.timeZone);
    if (problem !== undefined) k.c.add(at('schedule'), problem, input.schedule);
  }
  if (input.startingDeadline !== undefined) {
    const parsed = seconds(k, at('startingDeadline'), input.startingDeadline, 1);
    if (parsed !== undefined && parsed < MIN_STARTING_DEADLINE_SECONDS) {
      k.c.add(at('startingDeadline'), `must be at least ${MIN_STARTING_DEADLINE_SECONDS}s: the CronJob controller looks at schedules every 10 seconds, so a shorter deadline may skip runs`, input.startingDeadline);
    }
  }
  seconds(k, at('activeDeadline'), input.activeDeadline, 1);
  if (input.backoffLimit !== undefined) k.int(at('backoffLimit'), input.backoffLimit, 0);
  if (input.successfulJobsHistoryLimit !== undefined) k.int(at('successfulJobsHistoryLimit'), input.successfulJobsHistoryLimit, 0, MAX_JOB_HISTORY);
  if (input.failedJobsHistoryLimit !== undefined && k.int(at('failedJobsHistoryLimit'), input.failedJobsHistoryLimit, 0, MAX_JOB_HISTORY) && input.failedJobsHistoryLimit < 1) {
    k.c.add(at('failedJobsHistoryLimit'), 'must be at least 1: the failure alert reads the failed Job, which Kubernetes would delete at once', input.failedJobsHistoryLimit);
  }
}

/**
 * Checks a CronJob name: a DNS-1123 label of at most 52 characters, so that the names of its
 * Jobs (`<name>-<minutes since the epoch>`) stay valid. `value` is what the definition wrote
 * at `field`, when the name is made from it.
 */
export function checkCronJobName(k: Checks, field: string, name: string, value: unknown = name): boolean {
  if (!DNS_LABEL.test(name)) {
    k.c.add(field, DNS_LABEL_PROBLEM, value);
    return false;
  }
  if (name.length > MAX_CRONJOB_NAME) {
    k.c.add(field, `gives the CronJob name "${name}" of ${name.length} characters; Kubernetes allows at most ${MAX_CRONJOB_NAME}, since each Job is named <cronjob>-<minutes since the epoch> within 63`, value);
    return false;
  }
  return true;
}

/**
 * The problems of schedule options on their own, each rooted at `root`: their shape, then
 * every field. For jobs that take the options as they are, and for tests.
 */
export function jobScheduleIssues(input: unknown, root: string): DefinitionIssue[] {
  const shape = checkShape<JobScheduleInput>(jobScheduleSchema, input, root);
  if (shape.wellShaped === undefined) return [...shape.issues];
  const c = new IssueCollector(root);
  checkJobSchedule(new Checks(c), '', shape.wellShaped);
  return [...shape.issues, ...c.issues];
}

/** Fills the schedule defaults; `schedule` is the job's own default schedule. */
export function normalizeJobSchedule(input: JobScheduleInput | undefined, schedule: string): JobSchedule {
  const d = JOB_DEFAULTS;
  const duration = (value: string | undefined, fallback: string): number => parseDuration(value ?? fallback) as number;
  return {
    schedule: input?.schedule ?? schedule,
    timeZone: input?.timeZone ?? d.timeZone,
    startingDeadlineSeconds: duration(input?.startingDeadline, d.startingDeadline),
    activeDeadlineSeconds: duration(input?.activeDeadline, d.activeDeadline),
    backoffLimit: input?.backoffLimit ?? d.backoffLimit,
    successfulJobsHistoryLimit: input?.successfulJobsHistoryLimit ?? d.successfulJobsHistoryLimit,
    failedJobsHistoryLimit: input?.failedJobsHistoryLimit ?? d.failedJobsHistoryLimit,
  };
}
