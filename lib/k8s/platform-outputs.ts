/**
 * What the platform itself runs in one environment, besides its services: the scheduled jobs
 * that belong to no service (cleanups of preview environments, for instance) and their alerts.
 * With `serviceOutputs`, every alert the library emits is enumerable from here.
 */
import { PlatformDefinition } from '../definition';
import { ScheduledJobPlan } from '../ops/scheduled-job-plan';
import { platformJobPlans } from '../ops/service-jobs';
import { RuleGroup } from '../prometheus/rule-group';

/** The platform-scoped outputs of one environment. */
export interface PlatformOutputs {
  /** The platform's scheduled jobs; each ships its own PrometheusRule. */
  readonly jobs: readonly ScheduledJobPlan[];
  /** The jobs' rule groups, one per job. */
  readonly jobRuleGroups: readonly RuleGroup[];
}

/** Builds the platform-scoped outputs of one environment once. */
export function platformOutputs(platform: PlatformDefinition, environment: string): PlatformOutputs {
  const jobs = platformJobPlans(platform, environment);
  return { jobs, jobRuleGroups: jobs.map((job) => job.ruleGroup) };
}
