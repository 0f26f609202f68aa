/**
 * Every scheduled job of the library, in one place: the jobs of a service in one environment
 * (certificate checks, backups, restore checks, as the definition asks for them) and those of
 * the platform in one environment (cleanups). Synthesis, the charts, the rule files and their
 * tests all read these lists, so every job alert is enumerable here.
 */
import { EffectiveService, PlatformDefinition } from '../definition';
import { certificateCheckPlans } from './cert-renewal-plan';
import { databaseJobPlans } from './database-backup-plan';
import { ScheduledJobPlan } from './scheduled-job-plan';
import { cleanupJobPlan } from './cleanup-cron-job';

/** The scheduled jobs of one service in one environment, sorted by name. */
export function serviceJobPlans(platform: PlatformDefinition, service: EffectiveService): ScheduledJobPlan[] {
  const plans: ScheduledJobPlan[] = [...certificateCheckPlans(platform, service), ...databaseJobPlans(platform, service)];
  return plans.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The platform's scheduled jobs in one environment (jobs that belong to no service), sorted by name. */
export function platformJobPlans(platform: PlatformDefinition, environment: string): ScheduledJobPlan[] {
  const plans: ScheduledJobPlan[] = [];
  const cleanup = cleanupJobPlan(platform, environment);
  if (cleanup !== undefined) plans.push(cleanup);
  return plans.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
