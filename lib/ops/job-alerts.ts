/**
 * Self-monitoring of scheduled jobs, by construction: every job gets two alerts on the series
 * kube-state-metrics exports for CronJobs and Jobs, and their promtool tests.
 *
 * - `<prefix>JobStale`: the last successful run (`kube_cronjob_status_last_successful_time`) is
 *   older than the schedule's longest gap plus the starting deadline, the active deadline and a
 *   margin, or the CronJob has never succeeded and is older than that (`kube_cronjob_created`).
 * - `<prefix>JobFailed`: the newest finished run failed (`kube_job_status_failed` of a Job with
 *   no pod left running), and no success came after it. The CronJob's Jobs are told by their
 *   names, which the controller makes `<cronjob>-<minutes since the epoch>`.
 *
 * @see https://github.com/kubernetes/kube-state-metrics/blob/main/docs/metrics/workload/cronjob-metrics.md
 * @see https://github.com/kubernetes/kube-state-metrics/blob/main/docs/metrics/workload/job-metrics.md
 */
import { EffectiveService, JobSchedule, PlatformDefinition, Severity } from '../definition';
import { PLATFORM_SCOPE, alertLabels, alertLinks, platformAlertLinks } from '../definition/naming';
import { equalityMatchers, matcher, quote, selector } from '../promql/build';
import { formatDuration } from '../promql/duration';
import { assertPromql } from '../promql/parse';
import { AlertingRule, RuleGroup } from '../prometheus/rule-group';
import { AlertRuleTest, InputSeries, RuleTestFile, RuleTestGroup, TEST_STEP, at, constant, expectedAlert } from '../prometheus/rule-tests/test-file';

/** Who a job belongs to: a service in one environment, or the platform in one environment. */
export type JobOwner =
  | { readonly kind: 'service'; readonly service: EffectiveService }
  | {
      readonly kind: 'platform';
      /** The environment the job runs in. */
      readonly environment: string;
      /** The namespace the job runs in; its alerts carry it and route through its AlertmanagerConfig. */
      readonly namespace: string;
      /** The team its alerts go to (the `team` label). */
      readonly team: string;
    };

/** What the alerts of a job are called, say and how loud they are. */
export interface JobAlertsInput {
  /** CamelCase prefix of the alert names: `<prefix>JobFailed`, `<prefix>JobStale`. */
  readonly prefix: string;
  /** What the job does, for the descriptions: `checks the certificate checkout.example.com serves`. */
  readonly purpose: string;
  /** @default JOB_ALERT_DEFAULTS.failedSeverity: 'high' */
  readonly failedSeverity?: Severity;
  /** @default JOB_ALERT_DEFAULTS.staleSeverity: 'medium' */
  readonly staleSeverity?: Severity;
}

/** Severities and the margin when a job gives none. */
export const JOB_ALERT_DEFAULTS = Object.freeze({
  failedSeverity: 'high' as Severity,
  staleSeverity: 'medium' as Severity,
  /**
   * What the staleness threshold adds to the schedule's longest gap, the starting deadline and
   * the active deadline: the controller's and kube-state-metrics' own delays.
   */
  staleMarginSeconds: 300,
});

/** The part of a job's plan its alerts read. */
export interface JobAlertSubject {
  /** The CronJob's name. */
  readonly name: string;
  readonly namespace: string;
  readonly schedule: JobSchedule;
  readonly longestGapSeconds: number;
  readonly staleAfterSeconds: number;
  readonly alerts: JobAlertsInput;
}

/** The environment, namespace and team of a job's owner, and the platform name of a service's. */
export function ownerScope(owner: JobOwner): { environment: string; namespace: string; team: string; platform?: string } {
  return owner.kind === 'service'
    ? { environment: owner.service.environment, namespace: owner.service.namespace, team: owner.service.team, platform: owner.service.platform }
    : { environment: owner.environment, namespace: owner.namespace, team: owner.team };
}

/** The labels of a job's alerts: the owner's (`namespace`, `service`, `severity`, `team`) and `cronjob`. */
export function jobAlertLabels(owner: JobOwner, cronjob: string, severity: Severity): Record<string, string> {
  const base = owner.kind === 'service' ? alertLabels(owner.service, severity) : { namespace: owner.namespace, service: PLATFORM_SCOPE, severity, team: owner.team };
  return { ...base, cronjob };
}

/** The links of a job's alerts: the owner's runbook and dashboard (the fleet dashboard for the platform's jobs), and contacts. */
export function jobAlertLinks(platform: PlatformDefinition, owner: JobOwner, alert: string): Record<string, string> {
  return owner.kind === 'service' ? alertLinks(platform, owner.service, alert) : platformAlertLinks(platform, owner.environment, alert);
}

/** The names of a job's two alerts. */
export function jobAlertNames(prefix: string): { failed: string; stale: string } {
  return { failed: `${prefix}JobFailed`, stale: `${prefix}JobStale` };
}

/** The regular expression of the Jobs a CronJob creates: `<cronjob>-<minutes since the epoch>`. */
export function jobNamePattern(cronjob: string): string {
  return `${cronjob}-[0-9]+`;
}

/** The queries of a job's alerts. */
export function jobAlertExpressions(subject: Pick<JobAlertSubject, 'name' | 'namespace' | 'staleAfterSeconds'>): { failed: string; stale: string } {
  const ns = equalityMatchers({ namespace: subject.namespace });
  const jobs = (metric: string): string => selector(metric, ns, matcher('job_name', '=~', jobNamePattern(subject.name)));
  const cronjob = (metric: string): string => selector(metric, equalityMatchers({ cronjob: subject.name, namespace: subject.namespace }));
  const lastSuccess = `max by (namespace) (${cronjob('kube_cronjob_status_last_successful_time')})`;
  const failedStart =
    `max by (namespace) (\n  ${jobs('kube_job_status_start_time')}\n    and on (namespace, job_name) (${jobs('kube_job_status_failed')} > 0)\n` +
    `    unless on (namespace, job_name) (${jobs('kube_job_status_active')} > 0)\n)`;
  const threshold = subject.staleAfterSeconds;
  return {
    // Without any success yet, the start of a failed run is compared with 0.
    failed: `${failedStart}\n> on (namespace)\n(${lastSuccess} or label_replace(vector(0), "namespace", ${quote(subject.namespace)}, "", ""))`,
    stale:
      `(time() - ${lastSuccess}) > ${threshold}\nor\n` +
      `((time() - max by (namespace) (${cronjob('kube_cronjob_created')})) > ${threshold} unless on (namespace) ${cronjob('kube_cronjob_status_last_successful_time')})`,
  };
}

/**
 * The two alerting rules of a job. Throws a `PromqlError` naming the job if a query does not
 * parse.
 */
export function jobAlertRules(platform: PlatformDefinition, owner: JobOwner, subject: JobAlertSubject): AlertingRule[] {
  const names = jobAlertNames(subject.alerts.prefix);
  const expr = jobAlertExpressions(subject);
  const where = `${subject.namespace}/${subject.name}`;
  assertPromql(expr.failed, `${where} ${names.failed}`);
  assertPromql(expr.stale, `${where} ${names.stale}`);
  const { schedule } = subject;
  const cronjob = `CronJob ${subject.namespace}/${subject.name}`;
  const failedSeverity = subject.alerts.failedSeverity ?? JOB_ALERT_DEFAULTS.failedSeverity;
  const staleSeverity = subject.alerts.staleSeverity ?? JOB_ALERT_DEFAULTS.staleSeverity;
  return [
    {
      alert: names.failed,
      expr: expr.failed,
      labels: jobAlertLabels(owner, subject.name, failedSeverity),
      annotations: {
        summary: `${subject.name}: the last run failed`,
        description:
          `The newest run of ${cronjob}, which ${subject.alerts.purpose}, failed (${schedule.backoffLimit + 1} attempt${schedule.backoffLimit === 0 ? '' : 's'}, at most ${formatDuration(schedule.activeDeadlineSeconds)} each run), and no run has succeeded since. ` +
          `Its log says why: kubectl -n ${subject.namespace} logs job/<the failed Job> (kubectl -n ${subject.namespace} get jobs -l app.kubernetes.io/name=${subject.name}).`,
        ...jobAlertLinks(platform, owner, names.failed),
      },
    },
    {
      alert: names.stale,
      expr: expr.stale,
      labels: jobAlertLabels(owner, subject.name, staleSeverity),
      annotations: {
        summary: `${subject.name}: no successful run for ${formatDuration(subject.staleAfterSeconds)}`,
        description:
          `${cronjob}, which ${subject.alerts.purpose}, has not succeeded for more than ${formatDuration(subject.staleAfterSeconds)}: its schedule "${schedule.schedule}" (${schedule.timeZone}) leaves at most ${formatDuration(subject.longestGapSeconds)} between runs, ` +
          `a run may start ${formatDuration(schedule.startingDeadlineSeconds)} late and take ${formatDuration(schedule.activeDeadlineSeconds)}. Runs fail, are skipped, or the CronJob is suspended: kubectl -n ${subject.namespace} describe cronjob ${subject.name}.`,
        ...jobAlertLinks(platform, owner, names.stale),
      },
    },
  ];
}

/** Minutes each test runs; every expectation is read at its end. */
const TEST_MINUTES = 10;

/** The test's end in seconds: the `time()` the alerts are evaluated at. */
const TEST_END = TEST_MINUTES * 60;

/** The part of a job's plan its tests read. */
export interface JobTestSubject extends Pick<JobAlertSubject, 'name' | 'namespace' | 'staleAfterSeconds'> {
  readonly alerts: readonly AlertingRule[];
  readonly ruleGroup: RuleGroup;
  /** Tests of the job's extra alerts. */
  readonly extraTests: readonly RuleTestGroup[];
}

function series(metric: string, labels: Readonly<Record<string, string>>, value: number): InputSeries {
  return { series: selector(metric, equalityMatchers(labels)), values: constant(value, TEST_MINUTES) };
}

/** The tests of one job: each alert fires where it must and stays silent where it must not. */
function jobTests(job: JobTestSubject): RuleTestGroup[] {
  const [failed, stale] = job.alerts;
  const ns = job.namespace;
  const cronjob = { cronjob: job.name, namespace: ns };
  const run = (name: string, namespace = ns): Record<string, string> => ({ job_name: name, namespace });
  const thisRun = `${job.name}-29000000`;
  const fails = (name: string, start: number, active = 0, namespace = ns): InputSeries[] => [
    series('kube_job_status_start_time', run(name, namespace), start),
    series('kube_job_status_failed', { ...run(name, namespace), reason: 'BackoffLimitExceeded' }, 1),
    series('kube_job_status_active', run(name, namespace), active),
  ];
  const expect = (fired: { failed?: boolean; stale?: boolean }): AlertRuleTest[] => [
    { eval_time: at(TEST_MINUTES), alertname: failed.alert, exp_alerts: fired.failed ? [expectedAlert(failed, { namespace: ns })] : [] },
    { eval_time: at(TEST_MINUTES), alertname: stale.alert, exp_alerts: fired.stale ? [expectedAlert(stale, { namespace: ns })] : [] },
  ];
  const test = (name: string, input: InputSeries[], fired: { failed?: boolean; stale?: boolean }): RuleTestGroup => ({
    name: `${job.name}: ${name}`,
    interval: TEST_STEP,
    input_series: input,
    alert_rule_test: expect(fired),
  });
  const recent = TEST_END - job.staleAfterSeconds + 120;
  const old = TEST_END - job.staleAfterSeconds - 120;
  return [
    test('a success within the schedule fires nothing', [series('kube_cronjob_status_last_successful_time', cronjob, recent), series('kube_cronjob_created', cronjob, old - 86_400)], {}),
    test(`a last success older than ${formatDuration(job.staleAfterSeconds)} fires ${stale.alert}`, [series('kube_cronjob_status_last_successful_time', cronjob, old), series('kube_cronjob_created', cronjob, old - 86_400)], { stale: true }),
    test('a CronJob that never succeeded, created longer ago than the schedule allows, is stale', [series('kube_cronjob_created', cronjob, old)], { stale: true }),
    test('a CronJob created recently that has not run yet fires nothing', [series('kube_cronjob_created', cronjob, TEST_END - 60)], {}),
    test(`a run that failed after the last success fires ${failed.alert}`, [series('kube_cronjob_status_last_successful_time', cronjob, recent), ...fails(thisRun, recent + 60)], { failed: true }),
    test(`a failed run before any success fires ${failed.alert}`, [series('kube_cronjob_created', cronjob, TEST_END - 60), ...fails(thisRun, TEST_END - 30)], { failed: true }),
    test('a success after the failed run clears the failure', [series('kube_cronjob_status_last_successful_time', cronjob, recent + 120), ...fails(thisRun, recent + 60)], {}),
    test('a run whose pods are still retrying has not failed yet', [series('kube_cronjob_status_last_successful_time', cronjob, recent), ...fails(thisRun, recent + 60, 1)], {}),
    test(
      'failed runs of another CronJob whose name starts alike, or of the same name in another namespace, are not this job',
      [series('kube_cronjob_status_last_successful_time', cronjob, recent), ...fails(`${job.name}-other-29000000`, recent + 60), ...fails(thisRun, recent + 60, 0, `${ns}-other`)],
      {},
    ),
  ];
}

/**
 * The promtool tests of some jobs' alerts, against the rule file `ruleFile` that holds their
 * rule groups (in the given order).
 * @see https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/
 */
export function jobRuleTests(jobs: readonly JobTestSubject[], ruleFile: string): RuleTestFile {
  return {
    rule_files: [ruleFile],
    evaluation_interval: TEST_STEP,
    group_eval_order: jobs.map((job) => job.ruleGroup.name),
    tests: jobs.flatMap((job) => [...jobTests(job), ...job.extraTests]),
  };
}
