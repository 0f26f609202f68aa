/**
 * The runbook steps of a scheduled job's alerts (`<prefix>JobFailed`, `<prefix>JobStale`, see
 * lib/ops/job-alerts.ts), for the jobs of a service and those of the platform alike: the CronJob
 * and its runs, their logs, a run by hand, a suspended schedule.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/
 */
import { formatDuration } from '../promql/duration';
import { equalityMatchers, matcher, selector } from '../promql/build';
import { jobNamePattern } from '../ops/job-alerts';
import { ScheduledJobPlan } from '../ops/scheduled-job-plan';
import { mdCode, mdLink, mdText } from '../private/markdown';
import { RUNBOOK_REFERENCES } from './references';
import { RunbookAlert } from './alerts';
import { RunbookStep } from './delivery';
import { AlertGuide, GuideContext, promqlStep } from './guide';

/** The CronJob an alert is about: its `cronjob` and `namespace` labels, and its plan when known. */
export interface JobRef {
  readonly name: string;
  readonly namespace: string;
  readonly plan?: ScheduledJobPlan;
}

/** The jobs the alerts of a page are about, each once, in page order. */
export function jobsOf(alerts: readonly RunbookAlert[], plans: readonly ScheduledJobPlan[]): JobRef[] {
  const seen = new Map<string, JobRef>();
  for (const alert of alerts) {
    const name = alert.labels.cronjob;
    const namespace = alert.labels.namespace;
    if (name === undefined || namespace === undefined || seen.has(`${namespace}/${name}`)) continue;
    seen.set(`${namespace}/${name}`, { name, namespace, plan: plans.find((p) => p.name === name && p.namespace === namespace) });
  }
  return [...seen.values()];
}

/** What a job's schedule promises, in words. */
export function scheduleWords(job: JobRef): string {
  const plan = job.plan;
  if (plan === undefined) return `CronJob ${mdCode(`${job.namespace}/${job.name}`)}.`;
  const s = plan.schedule;
  return `CronJob ${mdCode(`${job.namespace}/${job.name}`)}: schedule ${mdCode(s.schedule)} in ${mdText(s.timeZone)}, at most ${formatDuration(plan.longestGapSeconds)} between runs; a run may start ${formatDuration(s.startingDeadlineSeconds)} late, takes at most ${formatDuration(s.activeDeadlineSeconds)} and is retried ${s.backoffLimit} times; stale after ${formatDuration(plan.staleAfterSeconds)} without a success.`;
}

/** How to see a job, its runs and why one failed. */
export function jobDiagnosis(job: JobRef): RunbookStep[] {
  const n = `-n ${job.namespace}`;
  const runs = selector('kube_job_status_failed', equalityMatchers({ namespace: job.namespace }), matcher('job_name', '=~', jobNamePattern(job.name)));
  return [
    {
      title: `See the CronJob ${job.name} and its recent runs.`,
      detail: `${mdCode('SUSPEND')} true means no run starts; ${mdCode('LAST SCHEDULE')} and the Jobs show when runs started and how they ended.`,
      code: { language: 'sh', content: [`kubectl ${n} get cronjob ${job.name}`, `kubectl ${n} describe cronjob ${job.name}`, `kubectl ${n} get jobs -l app.kubernetes.io/name=${job.name} --sort-by=.metadata.creationTimestamp`].join('\n') },
    },
    {
      title: 'Read the log of the newest failed run.',
      detail: 'The script says what it checked and why it gave up; the events of its pods show a pod that never started (image, scheduling, quota).',
      code: { language: 'sh', content: [`kubectl ${n} logs job/<job>`, `kubectl ${n} get events --field-selector involvedObject.kind=Pod --sort-by=.lastTimestamp`].join('\n') },
    },
    promqlStep(
      'See what the alerts read.',
      'The time of the last success (seconds since the epoch) and the failed pods of each run, as kube-state-metrics exports them.',
      selector('kube_cronjob_status_last_successful_time', equalityMatchers({ cronjob: job.name, namespace: job.namespace })),
      runs,
    ),
  ];
}

/** How to get a job running again. */
export function jobRemediation(job: JobRef): RunbookStep[] {
  const n = `-n ${job.namespace}`;
  return [
    {
      title: 'Fix the cause the log names, then run the job by hand.',
      detail: `A run by hand is a Job from the CronJob's template (${mdLink('CronJobs', RUNBOOK_REFERENCES.cronJobs)}); a success clears both alerts.`,
      code: { language: 'sh', content: [`kubectl ${n} create job ${job.name}-manual-<date> --from=cronjob/${job.name}`, `kubectl ${n} logs -f job/${job.name}-manual-<date>`].join('\n') },
    },
    {
      title: 'Resume a suspended schedule.',
      detail: 'Only when it was suspended by hand: the definition never suspends a job, so the next apply resumes it too.',
      code: { language: 'sh', content: `kubectl ${n} patch cronjob ${job.name} --type=merge -p '{"spec":{"suspend":false}}'` },
    },
  ];
}

/** The guide of a job alert on a service's page. */
export const JOB_GUIDE: AlertGuide = {
  meaning: (ctx: GuideContext) => {
    const jobs = jobsOf(ctx.page.alerts, ctx.jobs);
    return `${ctx.page.alerts.map((a) => mdText(a.annotations.summary ?? a.alert)).filter((s, i, all) => all.indexOf(s) === i).join(' ')} ${jobs.map(scheduleWords).join(' ')}`;
  },
  impact: () => ['A scheduled job keeps something working that users do not see at once (a certificate, a backup): nothing fails yet, but the protection it gives is gone until it succeeds again. No SLO counts it.'],
  diagnosis: (ctx) => jobsOf(ctx.page.alerts, ctx.jobs).flatMap(jobDiagnosis),
  remediation: (ctx) => jobsOf(ctx.page.alerts, ctx.jobs).flatMap(jobRemediation),
  remedies: ['config'],
  workload: false,
};
