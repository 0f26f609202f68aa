/**
 * A platform's Terraform stacks assembled from parts, for incremental synthesis: one part per
 * service and environment (its resources and data sources as cdktf resolves them, and the
 * warnings cdktf would put in the manifest for them), and the stack's shared resources (backend,
 * provider, notification channels, log buckets) synthesized by cdktf as usual. A part depends on
 * the service and the platform's settings alone, so it can be cached with the service's other
 * outputs: one changed service resolves one small stack per environment instead of the whole.
 *
 * The result is byte-identical to `synthesizeGcpPlatform` (cdktf writes the stack with keys
 * sorted, so only what is in it counts, not the order it was merged in); test/gcp/stack-parts
 * proves it. Anything a part holds beyond its own resources and data sources (outputs, another
 * provider, its own metadata) makes it unassemblable, and the whole platform is then synthesized
 * by cdktf in full, which also reports every problem at once when validation fails.
 */
import * as fs from 'fs';
import * as path from 'path';
import stringify from 'json-stable-stringify';
import { App, DISABLE_STACK_TRACE_IN_METADATA, StackAnnotation, StackManifest } from 'cdktf';
import { IConstruct } from 'constructs';
import { EffectiveService, PlatformDefinition, effectiveServices } from '../definition';
import { withTokensReleased } from '../private/cdktf-tokens';
import { constructId } from '../private/construct-id';
import { withoutCreationStacks } from '../private/creation-stacks';
import { GcpPlatformApp, GcpPlatformAppProps, synthesizeGcpPlatform } from './platform-app';
import { GcpPlatformStack, gcpStackName } from './platform-stack';
import { hasGcp } from './policies';

/** The sections of Terraform JSON a part may add to: its resources and data sources, by type and name. */
const PART_SECTIONS = ['resource', 'data'] as const;

/** Terraform JSON, as plain data. */
type TerraformJson = Record<string, unknown>;
type Blocks = Record<string, Record<string, unknown>>;

/** What one service adds to its environment's stack. */
export interface GcpStackPart {
  /** Its resources and data sources: `{ resource: { <type>: { <name>: ... } }, data: ... }`. */
  readonly blocks: Readonly<Partial<Record<(typeof PART_SECTIONS)[number], Blocks>>>;
  /** The annotations (warnings) of its constructs, as the manifest lists them, in order. */
  readonly annotations: readonly StackAnnotation[];
}

/** The annotation levels cdktf puts in the manifest. */
const ANNOTATION_LEVELS: readonly string[] = ['@cdktf/info', '@cdktf/warn', '@cdktf/error'];

function annotationsOf(roots: readonly (IConstruct | undefined)[]): StackAnnotation[] {
  return roots.flatMap((root) =>
    (root?.node.findAll() ?? []).flatMap((node) =>
      node.node.metadata
        .filter((entry) => ANNOTATION_LEVELS.includes(entry.type))
        .map((entry) => ({ constructPath: node.node.path, level: entry.type, message: entry.data as string, ...(entry.trace !== undefined ? { stacktrace: [...entry.trace] } : {}) }) as StackAnnotation),
    ),
  );
}

/** Thrown when a part holds more than its own resources; the platform is then synthesized in full. */
class NotAssemblable extends Error {}

function isBlocks(value: unknown): value is Blocks {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The part of one service (with gcp settings) in one environment: a stack of the shared
 * resources and this service's alone, validated and resolved by cdktf, less the shared ones.
 * `scratch` is a folder cdktf's app may create its `stacks` folder in; nothing is written.
 */
export function gcpStackPart(platform: PlatformDefinition, service: EffectiveService, scratch: string): GcpStackPart {
  fs.mkdirSync(scratch, { recursive: true });
  const base = sharedJson(platform, service.environment, scratch);
  return withTokensReleased(() =>
    withoutCreationStacks(() => {
      const stack = new GcpPlatformStack(scratchApp(scratch), gcpStackName(platform, service.environment), { platform, environment: service.environment, services: [service.name] });
      stack.runAllValidations();
      const json = stack.toTerraform() as TerraformJson;
      const blocks: Partial<Record<(typeof PART_SECTIONS)[number], Blocks>> = {};
      for (const [section, value] of Object.entries(json)) {
        const own = (PART_SECTIONS as readonly string[]).includes(section) ? (section as (typeof PART_SECTIONS)[number]) : undefined;
        if (own === undefined) {
          if (stringify(value) !== stringify(base[section])) throw new NotAssemblable(`the part of ${service.name} changes ${section}`);
          continue;
        }
        if (!isBlocks(value)) throw new NotAssemblable(`the part of ${service.name} has a ${section} that is not blocks by type`);
        const shares = isBlocks(base[section]) ? (base[section] as Blocks) : {};
        const mine: Blocks = {};
        for (const [type, byName] of Object.entries(value)) {
          if (!isBlocks(byName)) throw new NotAssemblable(`the part of ${service.name} has ${section}.${type} that is not blocks by name`);
          for (const [name, body] of Object.entries(byName)) {
            const sharedBody = shares[type]?.[name];
            if (sharedBody !== undefined) {
              if (stringify(sharedBody) !== stringify(body)) throw new NotAssemblable(`the part of ${service.name} changes ${section}.${type}.${name}`);
              continue;
            }
            (mine[type] ??= {})[name] = body;
          }
        }
        if (Object.keys(mine).length > 0) blocks[own] = mine;
      }
      const roots = [stack.services[service.name], stack.dashboards[service.name], stack.logs[service.name], stack.certificates[service.name], stack.backups[service.name]];
      return { blocks, annotations: annotationsOf(roots) };
    }),
  );
}

function scratchApp(scratch: string): App {
  return new App({ outdir: scratch, context: { [DISABLE_STACK_TRACE_IN_METADATA]: true } });
}

/** The resolved JSON of an environment's stack with no service's own resources, once per (frozen) platform and environment. */
const sharedStacks = new WeakMap<PlatformDefinition, Map<string, TerraformJson>>();

function sharedJson(platform: PlatformDefinition, environment: string, scratch: string): TerraformJson {
  let byEnvironment = sharedStacks.get(platform);
  if (byEnvironment === undefined) sharedStacks.set(platform, (byEnvironment = new Map()));
  let json = byEnvironment.get(environment);
  if (json === undefined) {
    json = withTokensReleased(() => withoutCreationStacks(() => new GcpPlatformStack(scratchApp(scratch), gcpStackName(platform, environment), { platform, environment, services: [] }).toTerraform() as TerraformJson));
    byEnvironment.set(environment, json);
  }
  return json;
}

/** Options of `synthesizeGcpPlatformFromParts`. */
export interface GcpPartsProps extends Omit<GcpPlatformAppProps, 'services'> {
  /** The outdir, which is required here. */
  readonly outdir: string;
  /** The part of a service in an environment when it is at hand (a cache), else undefined. */
  readonly cached: (service: EffectiveService) => GcpStackPart | undefined;
  /** Keeps a part built or split off in this synthesis (a cache). */
  readonly store: (service: EffectiveService, part: GcpStackPart) => void;
}

/** Merges a part's blocks into a stack's JSON; a name taken twice is not assemblable. */
function mergePart(json: TerraformJson, part: GcpStackPart, service: string): void {
  for (const section of PART_SECTIONS) {
    for (const [type, byName] of Object.entries(part.blocks[section] ?? {})) {
      const into = (json[section] ??= {}) as Blocks;
      const byType = (into[type] ??= {}) as Record<string, unknown>;
      for (const [name, body] of Object.entries(byName)) {
        if (byType[name] !== undefined) throw new NotAssemblable(`${section}.${type}.${name} of ${service} is in the stack already`);
        byType[name] = body;
      }
    }
  }
}

/** The construct IDs a service's resources are built under in its stack (see `GcpPlatformStack`). */
function serviceConstructIds(service: string): string[] {
  return [constructId(service), `${service}_dashboard`, `${service}_logs`, `${service}_certificates`, `${service}_backups`];
}

/**
 * Splits a stack synthesized whole into the parts of its services: each resource and data
 * source goes to the service whose construct it was built under (its `//` metadata path),
 * each annotation likewise; the shared ones to none.
 */
export function splitStack(json: TerraformJson, annotations: readonly StackAnnotation[], services: readonly string[]): Map<string, GcpStackPart> {
  const owners = new Map(services.flatMap((service) => serviceConstructIds(service).map((id) => [id, service] as const)));
  const parts = new Map(services.map((service) => [service, { blocks: {} as Partial<Record<(typeof PART_SECTIONS)[number], Blocks>>, annotations: [] as StackAnnotation[] }]));
  const ownerOf = (constructPath: string | undefined): string | undefined => (constructPath === undefined ? undefined : owners.get(constructPath.split('/')[1] ?? ''));
  for (const section of PART_SECTIONS) {
    const blocks = json[section];
    if (!isBlocks(blocks)) continue;
    for (const [type, byName] of Object.entries(blocks)) {
      if (!isBlocks(byName)) continue;
      for (const [name, body] of Object.entries(byName)) {
        const metadata = (body as { '//'?: { metadata?: { path?: string } } })['//']?.metadata;
        const part = parts.get(ownerOf(metadata?.path) ?? '');
        if (part !== undefined) ((part.blocks[section] ??= {})[type] ??= {})[name] = body;
      }
    }
  }
  for (const annotation of annotations) parts.get(ownerOf(annotation.constructPath) ?? '')?.annotations.push(annotation);
  return parts;
}

/**
 * Writes what `synthesizeGcpPlatform(props)` writes. An environment where most services' parts
 * are at hand is made of its shared resources (synthesized by cdktf) and the parts of its
 * services, the missing ones built alone; an environment where most are missing is synthesized
 * whole by cdktf and split into parts for the next time. Falls back to `synthesizeGcpPlatform`
 * when a part cannot be assembled or validation fails.
 * @returns how the stacks were made: `assembled` (at least one environment from parts), or `full` by cdktf alone
 */
export function synthesizeGcpPlatformFromParts(props: GcpPartsProps): 'assembled' | 'full' {
  const { platform, outdir, cached, store } = props;
  const environments = props.environments ?? platform.environments.map((e) => e.name);
  const full = (): 'full' => {
    synthesizeGcpPlatform({ platform, outdir, ...(props.environments !== undefined ? { environments: props.environments } : {}) });
    return 'full';
  };
  if (environments.length === 0 || !environments.every((env) => platform.environments.some((e) => e.name === env))) return full();
  try {
    const written: Record<string, StackManifest> = {};
    let last: GcpPlatformApp | undefined;
    let assembled = false;
    for (const environment of environments) {
      const name = gcpStackName(platform, environment);
      const services = effectiveServices(platform, environment, hasGcp);
      const parts = services.map((service) => cached(service));
      // Building a part alone costs about twice its share of the whole stack.
      const whole = 2 * parts.filter((part) => part === undefined).length > services.length;
      withTokensReleased(() => {
        const app = new GcpPlatformApp({ platform, outdir, environments: [environment], ...(whole ? {} : { services: [] }) });
        Object.assign(app.manifest.stacks, written);
        app.synth();
        Object.assign(written, app.manifest.stacks);
        last = app;
      });
      if (services.length === 0) continue;
      const manifest = written[name];
      const file = path.join(outdir, manifest.synthesizedStackPath);
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as TerraformJson;
      if (whole) {
        const split = splitStack(json, manifest.annotations, services.map((service) => service.name));
        services.forEach((service, i) => {
          if (parts[i] === undefined) store(service, split.get(service.name) as GcpStackPart);
        });
        continue;
      }
      assembled = true;
      const complete = services.map((service, i) => {
        let part = parts[i];
        if (part === undefined) {
          part = gcpStackPart(platform, service, outdir);
          store(service, part);
        }
        return part;
      });
      services.forEach((service, i) => mergePart(json, complete[i], service.name));
      // The manifest lists annotations in construct order: the stack's and the shared resources'
      // before the services' constructs, the log buckets (built last) after them.
      const after = `${manifest.constructPath}/log_buckets`;
      const isAfter = (a: StackAnnotation): boolean => a.constructPath === after || a.constructPath.startsWith(`${after}/`);
      written[name] = {
        ...manifest,
        annotations: [...manifest.annotations.filter((a) => !isAfter(a)), ...complete.flatMap((part) => part.annotations), ...manifest.annotations.filter(isAfter)],
      };
      if (written[name].annotations.some((a) => a.level === '@cdktf/error')) throw new NotAssemblable('a part has errors');
      fs.writeFileSync(file, stringify(json, { space: 2 }) as string);
    }
    if (last !== undefined) {
      Object.assign(last.manifest.stacks, written);
      last.manifest.writeToFile();
    }
    return assembled ? 'assembled' : 'full';
  } catch (error) {
    if (!(error instanceof NotAssemblable) && !isValidationFailure(error)) throw error;
    fs.rmSync(outdir, { recursive: true, force: true });
    return full();
  }
}

/** Whether cdktf refused a stack in validation (then the full synthesis reports every problem). */
function isValidationFailure(error: unknown): boolean {
  return error instanceof Error && /validation/i.test(error.message);
}
