import { constructId } from '../private/construct-id';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { Annotations, LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { PlatformDefinition, effectiveServices, formatIssue } from '../definition';
import { GcpServiceCertificates, gcpCertificatePlan } from './certificates';
import { GcpDatabaseBackups, hasGcpBackups } from './backups';
import { GcpServiceDashboard } from './dashboard';
import { GcpLogBuckets, GcpServiceLogs, gcpErrorLogPlan } from './logging';
import { GcpNotificationChannels, sortedChannelTargets } from './notification-channels';
import { GcpService, hasGcp, receiversOf, usedReceivers } from './policies';
import { GcpServiceMonitoring } from './service-monitoring';

/** Props of `GcpPlatformStack`. */
export interface GcpPlatformStackProps {
  /** The platform, from `definePlatform`. */
  readonly platform: PlatformDefinition;
  /** Name of one of the platform's environments. */
  readonly environment: string;
  /**
   * The services whose resources to build, by name. The resources the services share (the
   * provider, the notification channels of every service, the log buckets) are built whatever
   * the choice; for assembling a stack from parts (see `synthesizeGcpPlatformFromParts`).
   * @default every service with gcp settings in the environment
   */
  readonly services?: readonly string[];
}

/** The stack name of an environment: `<platform>-<environment>`. */
export function gcpStackName(platform: Pick<PlatformDefinition, 'name'>, environment: string): string {
  return `${platform.name}-${environment}`;
}

/**
 * The Google Cloud resources of a platform in one environment: the google provider; per service
 * that has `gcp` settings in that environment a `GcpServiceMonitoring` (construct ID = service
 * name), a `GcpServiceDashboard` (`<service>_dashboard`) and a `GcpServiceLogs`
 * (`<service>_logs`); and the environment's `GcpLogBuckets` (`log_buckets`). Notification
 * channels are shared by the services of the stack. Construct IDs with `_` never meet a service
 * name, which is a DNS label.
 *
 * The provider's default project and region are those of the first such service by name;
 * every resource names its project explicitly, so services may live in different projects.
 *
 * @example
 * const app = new App({ outdir: 'cdktf.out' });
 * for (const env of platform.environments) new GcpPlatformStack(app, gcpStackName(platform, env.name), { platform, environment: env.name });
 * app.synth();
 *
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs
 */
export class GcpPlatformStack extends TerraformStack {
  /** The platform. */
  public readonly platform: PlatformDefinition;
  /** The environment this stack is for. */
  public readonly environment: string;
  /** The google provider, when at least one service has `gcp` settings. */
  public readonly provider?: GoogleProvider;
  /** The notification channels shared by the services. */
  public readonly notificationChannels?: GcpNotificationChannels;
  /** Monitoring per service name. */
  public readonly services: Readonly<Record<string, GcpServiceMonitoring>>;
  /** Dashboards per service name. */
  public readonly dashboards: Readonly<Record<string, GcpServiceDashboard>>;
  /** Error-log metric and alert per service name. */
  public readonly logs: Readonly<Record<string, GcpServiceLogs>>;
  /** The environment's log buckets, when at least one service has `gcp` settings. */
  public readonly logBuckets?: GcpLogBuckets;
  /** Google-managed certificates and their expiry policies per service name, for services with certificates. */
  public readonly certificates: Readonly<Record<string, GcpServiceCertificates>>;
  /** Database backup bucket and Cloud SQL instance per service name (`<service>_backups`), for services that have them. */
  public readonly backups: Readonly<Record<string, GcpDatabaseBackups>> = {};

  constructor(scope: Construct, id: string, props: GcpPlatformStackProps) {
    super(scope, id);
    // A relative state path keeps the output free of machine paths (cdktf's default is absolute).
    // Production stacks usually replace it with a remote backend, e.g. `new GcsBackend(stack, ...)`.
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    const { platform, environment } = props;
    this.platform = platform;
    this.environment = environment;
    const services: Record<string, GcpServiceMonitoring> = {};
    const dashboards: Record<string, GcpServiceDashboard> = {};
    const logs: Record<string, GcpServiceLogs> = {};
    const certificates: Record<string, GcpServiceCertificates> = {};
    this.certificates = certificates;
    this.services = services;
    this.dashboards = dashboards;
    this.logs = logs;

    const known = platform.environments.map((e) => e.name);
    if (!known.includes(environment)) {
      const issue = { path: 'environment', problem: `must be an environment of platform ${platform.name} (${known.join(', ')})`, value: environment };
      this.node.addValidation({ validate: () => [formatIssue(issue)] });
      return;
    }

    const effective = effectiveServices(platform, environment, hasGcp) as GcpService[];
    if (effective.length === 0) {
      Annotations.of(this).addWarning(`No service of platform ${platform.name} has gcp settings in environment ${environment}; the stack holds no resources.`);
      return;
    }
    const first = effective[0].gcp;
    this.provider = new GoogleProvider(this, 'google', { project: first.project, region: first.region });

    // Channels first and sorted, so that the output does not depend on which service asks first.
    this.notificationChannels = GcpNotificationChannels.of(this, platform);
    const receivers = (s: GcpService): string[] => [...usedReceivers(s), ...receiversOf([gcpErrorLogPlan(platform, s).policy]), ...receiversOf(gcpCertificatePlan(platform, s).policies)];
    const targets = effective.flatMap((s) => receivers(s).map((receiver) => ({ project: s.gcp.project, receiver })));
    for (const { project, receiver } of sortedChannelTargets(targets)) this.notificationChannels.resource(project, receiver);

    const built = props.services === undefined ? effective : effective.filter((service) => props.services?.includes(service.name));
    for (const service of built) {
      services[service.name] = new GcpServiceMonitoring(this, constructId(service.name), { platform, service, notificationChannels: this.notificationChannels });
      dashboards[service.name] = new GcpServiceDashboard(this, `${service.name}_dashboard`, { platform, service });
      logs[service.name] = new GcpServiceLogs(this, `${service.name}_logs`, { platform, service, notificationChannels: this.notificationChannels });
      if (service.certificates.length > 0) {
        const uptimeCheckId = services[service.name].uptimeCheck?.uptimeCheckId;
        certificates[service.name] = new GcpServiceCertificates(this, `${service.name}_certificates`, { platform, service, notificationChannels: this.notificationChannels, uptimeCheckId });
      }
      if (hasGcpBackups(service)) (this.backups as Record<string, GcpDatabaseBackups>)[service.name] = new GcpDatabaseBackups(this, `${service.name}_backups`, { service });
    }
    this.logBuckets = new GcpLogBuckets(this, 'log_buckets', { platform, environment });
  }
}
