import { constructId } from '../private/construct-id';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { Annotations, LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { formatIssue } from '../definition';
import { EffectiveService, PlatformDefinition } from '../definition';
import { resolveEnvironment } from '../definition';
import { GcpNotificationChannels, GcpServiceMonitoring, usedReceivers } from './service-monitoring';

/** Props of `GcpPlatformStack`. */
export interface GcpPlatformStackProps {
  /** The platform, from `definePlatform`. */
  readonly platform: PlatformDefinition;
  /** Name of one of the platform's environments. */
  readonly environment: string;
}

/** The services of a platform in one environment that have `gcp` settings, by name. */
export function gcpServices(platform: PlatformDefinition, environment: string): EffectiveService[] {
  return [...platform.services]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((service) => resolveEnvironment(platform, service, environment))
    .filter((service) => service.gcp !== undefined);
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

    const effective = gcpServices(platform, environment);
    if (effective.length === 0) {
      Annotations.of(this).addWarning(`No service of platform ${platform.name} has gcp settings in environment ${environment}; the stack holds no resources.`);
      return;
    }
    const first = effective[0].gcp;
    this.provider = new GoogleProvider(this, 'google', { project: first?.project, region: first?.region });

    // Channels first and sorted, so that the output does not depend on which service asks first.
    this.notificationChannels = GcpNotificationChannels.of(this, platform);
    const channels = effective.flatMap((s) => usedReceivers(s).map((receiver) => `${s.gcp?.project ?? ''}\u0000${receiver}`));
    for (const key of [...new Set(channels)].sort()) {
      const [project, receiver] = key.split('\u0000');
      this.notificationChannels.resource(project, receiver);
    }

    for (const service of effective) {
      services[service.name] = new GcpServiceMonitoring(this, constructId(service.name), { platform, service, notificationChannels: this.notificationChannels });
    }
  }
}
