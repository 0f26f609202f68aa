import { constructId } from '../private/construct-id';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { Annotations, LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { PlatformDefinition, effectiveServices, formatIssue } from '../definition';
import { GcpNotificationChannels, sortedChannelTargets } from './notification-channels';
import { GcpService, hasGcp, usedReceivers } from './policies';
import { GcpServiceMonitoring } from './service-monitoring';

/** Props of `GcpPlatformStack`. */
export interface GcpPlatformStackProps {
  /** The platform, from `definePlatform`. */
  readonly platform: PlatformDefinition;
  /** Name of one of the platform's environments. */
  readonly environment: string;
}

/** The stack name of an environment: `<platform>-<environment>`. */
export function gcpStackName(platform: Pick<PlatformDefinition, 'name'>, environment: string): string {
  return `${platform.name}-${environment}`;
}

/**
 * The Google Cloud resources of a platform in one environment: the google provider and a
 * `GcpServiceMonitoring` (construct ID = service name) per service that has `gcp` settings in
 * that environment. Notification channels are shared by the services of the stack.
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

  constructor(scope: Construct, id: string, props: GcpPlatformStackProps) {
    super(scope, id);
    // A relative state path keeps the output free of machine paths (cdktf's default is absolute).
    // Production stacks usually replace it with a remote backend, e.g. `new GcsBackend(stack, ...)`.
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    const { platform, environment } = props;
    this.platform = platform;
    this.environment = environment;
    const services: Record<string, GcpServiceMonitoring> = {};
    this.services = services;

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
    const targets = effective.flatMap((s) => usedReceivers(s).map((receiver) => ({ project: s.gcp.project, receiver })));
    for (const { project, receiver } of sortedChannelTargets(targets)) this.notificationChannels.resource(project, receiver);

    for (const service of effective) {
      services[service.name] = new GcpServiceMonitoring(this, constructId(service.name), { platform, service, notificationChannels: this.notificationChannels });
    }
  }
}
