import * as path from 'path';
import { jobRuleTests } from '../ops/job-alerts';
import { ScheduledJobPlan } from '../ops/scheduled-job-plan';
import { renderRuleFile } from '../prometheus/render';
import { renderRuleTests } from '../prometheus/rule-tests/test-file';

/**
 * The plain rule file of some scheduled jobs' alerts and its promtool tests, as
 * `<base>.rules.yaml` and `<base>.test.yaml` (relative to the output folder); none without jobs.
 */
export function jobRuleFiles(base: string, jobs: readonly ScheduledJobPlan[]): { path: string; content: string }[] {
  if (jobs.length === 0) return [];
  const ruleFile = `${path.posix.basename(base)}.rules.yaml`;
  return [
    { path: `${base}.rules.yaml`, content: renderRuleFile(jobs.map((job) => job.ruleGroup)) },
    { path: `${base}.test.yaml`, content: renderRuleTests(jobRuleTests(jobs, ruleFile)) },
  ];
}
