import * as fs from 'fs';
import * as path from 'path';
import { App, AppConfig, DISABLE_STACK_TRACE_IN_METADATA, StackManifest } from 'cdktf';
import { PlatformDefinition } from '../definition';
import { withoutCreationStacks } from '../private/creation-stacks';
import { withTokensReleased } from '../private/cdktf-tokens';
import { GcpPlatformStack, gcpStackName } from './platform-stack';

/** Props of `GcpPlatformApp`. */
export interface GcpPlatformAppProps {
  /** The platform, from `definePlatform`. */
  readonly platform: PlatformDefinition;
  /**
   * Where the Terraform JSON goes: `<outdir>/stacks/<platform>-<environment>/cdk.tf.json`.
   * @default process.env.CDKTF_OUTDIR (set by `cdktf synth`), else 'cdktf.out'
   */
  readonly outdir?: string;
  /**
   * The environments to build a stack for.
   * @default every environment of the platform
   */
  readonly environments?: readonly string[];
  /**
   * The services whose own resources each stack builds (see `GcpPlatformStackProps.services`).
   * @default every service with gcp settings
   */
  readonly services?: readonly string[];
}

/** The options of cdktf's `App`, with the folders above `outdir` made: cdktf creates only `outdir` itself. */
function appOptions(outdir: string): AppConfig {
  fs.mkdirSync(path.dirname(path.resolve(outdir)), { recursive: true });
  return { outdir, context: { [DISABLE_STACK_TRACE_IN_METADATA]: true } };
}

/**
 * The cdktf app of a platform: one `GcpPlatformStack` per environment, named
 * `<platform>-<environment>`. Every entry point (a `cdktf synth` app, `synthesizePlatform`)
 * builds its stacks through it, so they all produce the same files at the same speed:
 * - stack traces are kept out of the construct metadata, where they would put machine paths
 *   into the output and break byte-identical synthesis;
 * - cdktf's creation stacks (a full stack trace for every token, kept only to explain a token
 *   that fails to resolve) are skipped while the stacks are built and synthesized, which is
 *   most of the cost of a large stack; see `withoutCreationStacks`.
 *
 * @example
 * // apps/gcp.ts, the app `cdktf.json` names:
 * new GcpPlatformApp({ platform }).synth();
 *
 * @see https://developer.hashicorp.com/terraform/cdktf/concepts/cdktf-architecture
 */
export class GcpPlatformApp extends App {
  /** The platform. */
  public readonly platform: PlatformDefinition;
  /** The stack of each environment, by environment name. */
  public readonly stacks: Readonly<Record<string, GcpPlatformStack>>;

  constructor(props: GcpPlatformAppProps) {
    super(appOptions(props.outdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out'));
    const { platform } = props;
    this.platform = platform;
    const environments = props.environments ?? platform.environments.map((e) => e.name);
    this.stacks = withoutCreationStacks(() =>
      Object.fromEntries(environments.map((environment) => [environment, new GcpPlatformStack(this, gcpStackName(platform, environment), { platform, environment, ...(props.services !== undefined ? { services: props.services } : {}) })])),
    );
  }

  /** Writes the Terraform JSON of every stack (and cdktf's manifest) under `outdir`. */
  public synth(): void {
    withoutCreationStacks(() => super.synth());
  }
}

/**
 * Writes what `new GcpPlatformApp(props).synth()` writes, one environment at a time: each
 * stack is built whole, synthesized by cdktf and let go (its tokens released, see
 * `withTokensReleased`) before the next. The manifest lists every stack, as one app's would.
 * The reference `synthesizeGcpPlatform`'s assembled stacks are proven against, and its fallback.
 */
export function synthesizeGcpPlatformWhole(props: GcpPlatformAppProps): void {
  const environments = props.environments ?? props.platform.environments.map((e) => e.name);
  if (environments.length === 0) {
    new GcpPlatformApp(props).synth();
    return;
  }
  const written: Record<string, StackManifest> = {};
  for (const environment of environments) {
    withTokensReleased(() => {
      const app = new GcpPlatformApp({ ...props, environments: [environment] });
      Object.assign(app.manifest.stacks, written);
      app.synth();
      Object.assign(written, app.manifest.stacks);
    });
  }
}
