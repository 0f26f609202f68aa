import { Construct } from 'constructs';
import { EffectiveService, PlatformDefinition } from '../definition';
import { CertRenewalJob, checkedCertificate } from './cert-renewal-job';
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

  constructor(scope: Construct, id: string, props: ServiceOperationsProps) {
    super(scope, id);
    const { platform, service } = props;
    const plans = props.jobs ?? serviceJobPlans(platform, service);
    const jobs: ScheduledJob[] = [];
    const renewals: CertRenewalJob[] = [];
    for (const plan of plans) {
      const certificate = checkedCertificate(service, plan);
      if (certificate !== undefined) {
        const renewal = new CertRenewalJob(this, plan.name, { platform, service, certificate, plan });
        renewals.push(renewal);
        jobs.push(renewal.check);
      } else {
        jobs.push(new ScheduledJob(this, plan.name, { plan, ruleLabels: platform.monitoringLabels }));
      }
    }
    this.jobs = jobs;
    this.certificates = renewals;
  }
}
