import { Construct } from 'constructs';
import { EffectiveService, PlatformDefinition } from '../definition';
import { databaseJobPlans } from './database-backup-plan';
import { ScheduledJob } from './scheduled-job';
import { ScheduledJobPlan } from './scheduled-job-plan';

/** Props of `DatabaseBackupJob`. */
export interface DatabaseBackupJobProps {
  readonly platform: PlatformDefinition;
  /** The service in one environment; its `database.backup` says what to back up where. */
  readonly service: EffectiveService;
  /**
   * The two plans, when already built (synthesis builds every job plan once).
   * @default databaseJobPlans(platform, service)
   */
  readonly plans?: readonly ScheduledJobPlan[];
}

/**
 * The backups of a service's PostgreSQL database, as two `ScheduledJob`s with their alerts:
 * `<service>-db-backup` (daily by default) runs `pg_dump --format=custom`, reads the dump back
 * with `pg_restore --list` and writes it to `database.backup.destination`;
 * `<service>-db-restore` (monthly by default) fetches the latest dump, restores it into a
 * PostgreSQL server of its own pod and runs the definition's check queries, each against its
 * floor. The backup reads the user and password from their Secret keys (`secretKeyRef`); the
 * restore test needs no credentials at all. With `gcpServiceAccount` both ServiceAccounts carry
 * the Workload Identity annotation. A local destination is a folder inside the pod, gone with
 * it: for tests only (the platform refuses one in production). Alerts: `DatabaseBackupJobFailed`/`JobStale` and
 * `DatabaseRestoreCheckJobFailed`/`JobStale`, with runbook and dashboard links.
 *
 * @example
 * new DatabaseBackupJob(chart, 'database-backup', { platform, service: resolveEnvironment(platform, 'checkout', 'prod') });
 */
export class DatabaseBackupJob extends Construct {
  /** The backup job. */
  public readonly backup: ScheduledJob;
  /** The restore test. */
  public readonly restoreCheck: ScheduledJob;

  constructor(scope: Construct, id: string, props: DatabaseBackupJobProps) {
    super(scope, id);
    const { platform, service } = props;
    const plans = props.plans ?? databaseJobPlans(platform, service);
    const backup = service.database?.backup;
    if (backup === undefined || plans.length !== 2) {
      throw new Error(`[${service.environment}/${service.name}] DatabaseBackupJob needs database.backup in the definition of ${service.name}`);
    }
    this.backup = new ScheduledJob(this, plans[0].name, { plan: plans[0], ruleLabels: platform.monitoringLabels });
    this.restoreCheck = new ScheduledJob(this, plans[1].name, { plan: plans[1], ruleLabels: platform.monitoringLabels });
  }
}
