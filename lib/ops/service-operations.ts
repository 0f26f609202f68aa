import { Construct } from 'constructs';
import { EffectiveService, PlatformDefinition } from '../definition';
import { CertRenewalJob, checkedCertificate } from './cert-renewal-job';
import { databaseJobNames } from '../definition';
import { DatabaseBackupJob } from './database-backup-job';
import { ScheduledJob } from './scheduled-job';
import { ScheduledJobPlan } from './scheduled-job-plan';
import { serviceJobPlans } from './service-jobs';

/** Props of `ServiceOperations`. */
export interface ServiceOperationsProps {
  readonly platform: PlatformDefinition;
  /** The service in one environment. */
  readonly service: EffectiveService;
  /**
   * The service's job plans, when already built (synthesis builds them once for the objects,
   * the rule files and their tests).
   * @default serviceJobPlans(platform, service)
   */
  readonly jobs?: readonly ScheduledJobPlan[];
}

/**
 * The routine operations of one service in one environment: a `ScheduledJob` per job of
 * `serviceJobPlans` (each with its PrometheusRule), and what those jobs watch: a
 * `CertRenewalJob` (cert-manager Certificate and its check) per certificate. Adds nothing for
 * a service whose definition asks for no job.
 * @example
 * new ServiceOperations(chart, 'operations', { platform, service });
 */
export class ServiceOperations extends Construct {
  /** The scheduled jobs, by plan. */
  public readonly jobs: readonly ScheduledJob[];
  /** The service's certificates with their checks (`CertRenewalJob`), one per certificate. */
  public readonly certificates: readonly CertRenewalJob[];
  /** The database's backup and restore test, when the definition asks for backups. */
  public readonly databaseBackup?: DatabaseBackupJob;

  constructor(scope: Construct, id: string, props: ServiceOperationsProps) {
    super(scope, id);
    const { platform, service } = props;
    const plans = props.jobs ?? serviceJobPlans(platform, service);
    const names = Object.values(databaseJobNames(service.name));
    const database = plans.filter((plan) => names.includes(plan.name));
    if (service.database?.backup !== undefined && database.length === names.length) this.databaseBackup = new DatabaseBackupJob(this, 'database-backup', { platform, service, plans: database });
    const built = this.databaseBackup === undefined ? [] : [this.databaseBackup.backup, this.databaseBackup.restoreCheck];
    const renewals: CertRenewalJob[] = [];
    const others = plans
      .filter((plan) => !built.some((job) => job.plan === plan))
      .map((plan) => {
        const certificate = checkedCertificate(service, plan);
        if (certificate === undefined) return new ScheduledJob(this, plan.name, { plan, ruleLabels: platform.monitoringLabels });
        const renewal = new CertRenewalJob(this, plan.name, { platform, service, certificate, plan });
        renewals.push(renewal);
        return renewal.check;
      });
    this.jobs = [...built, ...others].sort((a, b) => (a.plan.name < b.plan.name ? -1 : 1));
    this.certificates = renewals;
  }
}
