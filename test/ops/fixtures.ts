import { JobScheduleInput, PlatformDefinition, normalizeJobSchedule, resolveEnvironment } from '../../lib/definition';
import { ScheduledJobPlan, ScheduledJobPlanInput, scheduledJobPlan } from '../../lib/ops';
import { BASE_SERVICE, testPlatform } from '../fixtures/services';

/** A real image pinned by digest (alpine/openssl 3.5.4, as published on Docker Hub). */
export const TEST_IMAGE = 'alpine/openssl:3.5.4@sha256:42c7389ef077aed0eb4e96d0abbd094083d701bbaff1313073b061c0c9cd8278';

/** The test platform with the base service, and that service in prod. */
export function jobPlatform(): { platform: PlatformDefinition; service: ReturnType<typeof resolveEnvironment> } {
  const platform = testPlatform({ ...BASE_SERVICE, contacts: { owners: ['shop@example.com'] } });
  return { platform, service: resolveEnvironment(platform, 'orders', 'prod') };
}

/** A job of the base service in prod, with changes. */
export function jobPlan(changes: Partial<ScheduledJobPlanInput> = {}, schedule: JobScheduleInput = {}): ScheduledJobPlan {
  const { platform, service } = jobPlatform();
  return scheduledJobPlan(platform, {
    name: 'orders-report',
    owner: { kind: 'service', service },
    schedule: normalizeJobSchedule(schedule, '17 * * * *'),
    image: TEST_IMAGE,
    script: 'check-certificates.sh',
    alerts: { prefix: 'OrdersReport', purpose: 'mails the daily order report' },
    ...changes,
  });
}
