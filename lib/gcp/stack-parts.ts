/**
 * A platform's Terraform stacks assembled from parts, for incremental synthesis: one part per
 * service and environment (its resources and data sources as cdktf resolves them, and the
 * warnings cdktf would put in the manifest for them), and the stack's shared resources (backend,
 * provider, notification channels, log buckets) synthesized by cdktf as usual. A part depends on
 * the service and the platform's settings alone, so it can be cached with the service's other
 * outputs: one changed service resolves one small stack per environment instead of the whole.
 *
 * The result is byte-identical to cdktf's synthesis of each stack whole (cdktf writes the stack
 * with keys sorted, so only what is in it counts, not the order it was merged in);
 * test/gcp/stack-parts proves it. Anything a part holds beyond its own resources and data sources (outputs, another
 * provider, its own metadata) makes it unassemblable, and the whole platform is then synthesized
 * by cdktf in full, which also reports every problem at once when validation fails.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, DISABLE_STACK_TRACE_IN_METADATA, Manifest, StackAnnotation, StackManifest } from 'cdktf';
import { IConstruct } from 'constructs';
import { EffectiveService, PlatformDefinition, effectiveServices } from '../definition';
import { withTokensReleased } from '../private/cdktf-tokens';
import { constructId } from '../private/construct-id';
import { withoutCreationStacks } from '../private/creation-stacks';
import { GcpPlatformApp, GcpPlatformAppProps, synthesizeGcpPlatformWhole } from './platform-app';
import { GcpPlatformStack, gcpStackName } from './platform-stack';
import { hasGcp } from './policies';
import { sortedJsonText } from '../private/sorted-json';

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

/** Services per stack when parts are built: few enough that memory stays small, enough that the shared resources are built rarely. */
const SERVICES_PER_BUILD = 50;

/**
 * The parts of some services (with gcp settings) of one environment, in order: stacks of the
 * shared resources and at most `SERVICES_PER_BUILD` of the services, validated and resolved by
 * cdktf, split by service (see `splitStack`). Anything a stack holds besides the shared
 * resources and its services' own resources and data sources makes it unassemblable.
 * `scratch` is a folder cdktf's apps may create their `stacks` folder in; nothing is written.
 */
export function gcpStackParts(platform: PlatformDefinition, environment: string, services: readonly EffectiveService[], scratch: string): GcpStackPart[] {
  if (services.length === 0) return [];
  fs.mkdirSync(scratch, { recursive: true });
  const base = sharedJson(platform, environment, scratch);
  const parts: GcpStackPart[] = [];
  for (let i = 0; i < services.length; i += SERVICES_PER_BUILD) {
    const names = services.slice(i, i + SERVICES_PER_BUILD).map((service) => service.name);
    const built = withTokensReleased(() =>
      withoutCreationStacks(() => {
        const stack = new GcpPlatformStack(scratchApp(scratch), gcpStackName(platform, environment), { platform, environment, services: names });
        assertValid(stack, names.join(', '));
        const json = stack.toTerraform() as TerraformJson;
        const split = splitStack(json, annotationsOf([stack]), names);
        assertOnlyParts(json, base, split, names.join(', '));
        return names.map((name) => split.get(name) as GcpStackPart);
      }),
    );
    parts.push(...built);
  }
  return parts;
}

/** The part of one service (with gcp settings) in its environment, built alone (see `gcpStackParts`). */
export function gcpStackPart(platform: PlatformDefinition, service: EffectiveService, scratch: string): GcpStackPart {
  return gcpStackParts(platform, service.environment, [service], scratch)[0];
}

/** Checks that a stack is its shared resources and its parts, nothing else: what the parts lack must be shared. */
function assertOnlyParts(json: TerraformJson, base: TerraformJson, split: ReadonlyMap<string, GcpStackPart>, services: string): void {
  for (const [section, value] of Object.entries(json)) {
    const own = (PART_SECTIONS as readonly string[]).includes(section) ? (section as (typeof PART_SECTIONS)[number]) : undefined;
    if (own === undefined) {
      if (sortedJsonText(value) !== sortedJsonText(base[section])) throw new NotAssemblable(`the stack of ${services} changes ${section}`);
      continue;
    }
    if (!isBlocks(value)) throw new NotAssemblable(`the stack of ${services} has a ${section} that is not blocks by type`);
    const shares = isBlocks(base[section]) ? (base[section] as Blocks) : {};
    for (const [type, byName] of Object.entries(value)) {
      if (!isBlocks(byName)) throw new NotAssemblable(`the stack of ${services} has ${section}.${type} that is not blocks by name`);
      for (const [name, body] of Object.entries(byName)) {
        if ([...split.values()].some((part) => part.blocks[own]?.[type]?.[name] !== undefined)) continue;
        const sharedBody = shares[type]?.[name];
        if (sharedBody === undefined || sortedJsonText(sharedBody) !== sortedJsonText(body)) throw new NotAssemblable(`${section}.${type}.${name} of the stack of ${services} belongs to no service and is not shared`);
      }
    }
  }
}

/**
 * Runs the validations cdktf runs when it synthesizes a stack (every construct's
 * `node.validate()`); any error makes the stack not assemblable, so the whole synthesis by
 * cdktf reports every problem in its own words.
 */
function assertValid(scope: IConstruct, services: string): void {
  const errors = scope.node.findAll().flatMap((construct) => construct.node.validate().map((error) => `[${construct.node.path}] ${error}`));
  if (errors.length > 0) throw new NotAssemblable(`the stack of ${services} fails validation: ${errors[0]}`);
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

/** What an assembled stack is made of, so that a later synthesis into the same folder can tell it would write the same bytes. */
export interface AssembledStack {
  /** SHA-256 of the shared resources' JSON and manifest entry, and of each service's name and part digest, in order. */
  readonly digest: string;
  /** The SHA-256 of each part's JSON, by the key it is cached under. */
  readonly parts: Readonly<Record<string, string>>;
  /** The stack's entry in cdktf's manifest. */
  readonly manifest: StackManifest;
  /** The key its shared resources are cached under, when they are (see `GcpPartsProps.sharedKey`). @default none */
  readonly shared?: string;
}

/** A stack's shared resources as cdktf synthesized them: the stack's JSON without any service, its manifest entry, and cdktf's manifest version. */
export interface SharedResources {
  readonly text: string;
  readonly manifest: StackManifest;
  readonly version: string;
}

/** How `synthesizeGcpPlatform` finds and keeps parts (a cache), and leaves alone the stacks that would not change. */
export interface GcpPartsProps {
  /** The part of a service in an environment when it is at hand (a cache), else undefined. */
  readonly cached: (service: EffectiveService) => GcpStackPart | undefined;
  /** Keeps a part built or split off in this synthesis (a cache). */
  readonly store: (service: EffectiveService, part: GcpStackPart) => void;
  /**
   * The key a service's part is cached under, which decides its content (a content-addressed
   * cache): a part whose key a previous stack lists is known by its digest there, unread.
   * @default none: every part is read or built
   */
  readonly key?: (service: EffectiveService) => string;
  /**
   * The stacks in `outdir` as an earlier synthesis assembled them, by stack name, for the
   * stacks whose file is still as that synthesis wrote it. A stack made of the same shared
   * resources and the same parts is left as it is: not merged, not written.
   * @default none
   */
  readonly previous?: Readonly<Record<string, AssembledStack>>;
  /** Told, once every stack is in place, what each is made of (written or left as it was); not called when the stacks were synthesized whole. */
  readonly assembled?: (stack: string, made: AssembledStack) => void;
  /**
   * The key that decides an environment's shared resources (provider, notification channels,
   * log buckets), which read the platform's settings and its services' routing, projects and
   * namespaces; undefined when there is none. With a key, the shared resources come from
   * `sharedCached` when it holds them, instead of a synthesis by cdktf, and are kept with `sharedStore`.
   * @default none: cdktf synthesizes them in every run
   */
  readonly sharedKey?: (environment: string) => string | undefined;
  readonly sharedCached?: (key: string) => SharedResources | undefined;
  readonly sharedStore?: (key: string, shared: SharedResources) => void;
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

/** The SHA-256 of a part's JSON. */
function partDigest(part: GcpStackPart): string {
  return createHash('sha256').update(JSON.stringify(part)).digest('hex');
}

/** The digest of a stack: its shared resources (JSON text and manifest entry) and its services' parts, in order. */
function stackDigest(sharedText: string, sharedManifest: StackManifest, services: readonly EffectiveService[], digests: readonly string[]): string {
  const hash = createHash('sha256').update(sharedText).update('\0').update(sortedJsonText(sharedManifest)).update('\0');
  // NUL ends each field: neither a service name nor a hex digest holds one.
  services.forEach((service, i) => hash.update(`${service.name}\0${digests[i]}\0`));
  return hash.digest('hex');
}

/**
 * Writes the Terraform JSON of a platform: per environment `<outdir>/stacks/<platform>-<env>/cdk.tf.json`,
 * and cdktf's `manifest.json` listing every stack; byte for byte what cdktf writes for
 * `new GcpPlatformApp(props).synth()` (see `synthesizeGcpPlatformWhole`, the reference). Each
 * environment's stack is made of its shared resources (synthesized by cdktf) and the parts of
 * its services, built by cdktf a few dozen services at a time, so memory stays small at any
 * fleet size and each build resolves only what it holds. With `cached` and `store` (a cache),
 * parts at hand are not built again: one changed service builds one small stack per
 * environment. With `key` and `previous` (what an earlier synthesis assembled here), a stack
 * whose shared resources and parts are the same is left as it is: an edit that does not reach
 * Google Cloud (replicas, alerts, dashboards) writes no stack. Falls back to the whole
 * synthesis when a part cannot be assembled or validation fails, which also reports every
 * problem at once.
 * @example
 * synthesizeGcpPlatform({ platform, outdir: 'dist/gcp' });
 * @returns how the stacks were made: `assembled` from parts, or `whole` by cdktf alone
 */
export function synthesizeGcpPlatform(props: GcpPlatformAppProps & Partial<GcpPartsProps>): 'assembled' | 'whole' {
  const { platform } = props;
  const outdir = props.outdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const cached = props.cached ?? ((): undefined => undefined);
  const store = props.store ?? ((): void => undefined);
  const environments = props.environments ?? platform.environments.map((e) => e.name);
  const whole = (): 'whole' => {
    synthesizeGcpPlatformWhole({ platform, outdir, ...(props.environments !== undefined ? { environments: props.environments } : {}) });
    return 'whole';
  };
  if (environments.length === 0 || !environments.every((env) => platform.environments.some((e) => e.name === env))) return whole();
  fs.mkdirSync(outdir, { recursive: true });
  // cdktf synthesizes the shared resources here, so a stack left as it is is never overwritten.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-constructs-gcp-'));
  try {
    const written: Record<string, StackManifest> = {};
    const made: [string, AssembledStack][] = [];
    let version: string | undefined;
    for (const environment of environments) {
      const name = gcpStackName(platform, environment);
      const services = effectiveServices(platform, environment, hasGcp);
      const keys = props.key === undefined ? undefined : services.map(props.key);
      const before = props.previous?.[name];
      // A part the previous stack lists under the same key is known by its digest, unread.
      const known = services.map((_, i) => (keys === undefined ? undefined : before?.parts[keys[i]]));
      const parts = services.map((service, i) => (known[i] === undefined ? cached(service) : undefined));
      const build = (indexes: readonly number[]): void => {
        const missing = indexes.map((i) => services[i]);
        gcpStackParts(platform, environment, missing, scratch).forEach((part, j) => {
          parts[indexes[j]] = part;
          store(missing[j], part);
        });
      };
      build(services.flatMap((_, i) => (known[i] === undefined && parts[i] === undefined ? [i] : [])));
      const sharedKey = props.sharedKey?.(environment);
      const cachedShared = sharedKey !== undefined ? props.sharedCached?.(sharedKey) : undefined;
      // A part that names another stack, or another file, is not this stack's.
      const fits = cachedShared !== undefined && cachedShared.manifest.name === name && cachedShared.manifest.synthesizedStackPath === path.join(Manifest.stacksFolder, name, 'cdk.tf.json');
      const shared =
        (fits ? cachedShared : undefined) ??
        withTokensReleased(() => {
          const app = new GcpPlatformApp({ platform, outdir: scratch, environments: [environment], services: [] });
          assertValid(app, 'the shared resources');
          app.synth();
          const manifest = app.manifest.stacks[name];
          const synthesized = { manifest, text: fs.readFileSync(path.join(scratch, manifest.synthesizedStackPath), 'utf8'), version: app.manifest.version };
          if (sharedKey !== undefined) props.sharedStore?.(sharedKey, synthesized);
          return synthesized;
        });
      version = shared.version;
      const file = path.join(outdir, shared.manifest.synthesizedStackPath);
      // The parts' digests: those the previous stack lists, else of the part at hand; computed once, when needed.
      let digests: { parts: Record<string, string>; stack: string } | undefined;
      const digested = (): { parts: Record<string, string>; stack: string } => {
        if (digests === undefined) {
          const each = services.map((_, i) => known[i] ?? partDigest(parts[i] as GcpStackPart));
          digests = { parts: keys === undefined ? {} : Object.fromEntries(keys.map((key, i) => [key, each[i]])), stack: stackDigest(shared.text, shared.manifest, services, each) };
        }
        return digests;
      };
      if (before !== undefined && digested().stack === before.digest) {
        written[name] = before.manifest;
        made.push([name, { digest: before.digest, parts: digested().parts, manifest: before.manifest, ...(sharedKey !== undefined ? { shared: sharedKey } : {}) }]);
        continue;
      }
      // The stack changed: the parts known by digest alone are read (or built when the cache lost them).
      const unread = services.flatMap((_, i) => (parts[i] === undefined ? [i] : []));
      unread.forEach((i) => (parts[i] = cached(services[i])));
      build(unread.filter((i) => parts[i] === undefined));
      const complete = parts as GcpStackPart[];
      fs.mkdirSync(path.dirname(file), { recursive: true });
      if (services.length === 0) {
        written[name] = shared.manifest;
        fs.writeFileSync(file, shared.text);
      } else {
        const json = JSON.parse(shared.text) as TerraformJson;
        services.forEach((service, i) => mergePart(json, complete[i], service.name));
        // The manifest lists annotations in construct order: the stack's and the shared resources'
        // before the services' constructs, the log buckets (built last) after them.
        const after = `${shared.manifest.constructPath}/log_buckets`;
        const isAfter = (a: StackAnnotation): boolean => a.constructPath === after || a.constructPath.startsWith(`${after}/`);
        written[name] = {
          ...shared.manifest,
          annotations: [...shared.manifest.annotations.filter((a) => !isAfter(a)), ...complete.flatMap((part) => part.annotations), ...shared.manifest.annotations.filter(isAfter)],
        };
        if (written[name].annotations.some((a) => a.level === '@cdktf/error')) throw new NotAssemblable('a part has errors');
        fs.writeFileSync(file, sortedJsonText(json, 2));
      }
      // A part read or rebuilt since keeps the digest its key names (the cache is content-addressed).
      if (props.assembled !== undefined) made.push([name, { digest: digested().stack, parts: digested().parts, manifest: written[name], ...(sharedKey !== undefined ? { shared: sharedKey } : {}) }]);
    }
    // cdktf's manifest of the stacks, as its synthesis writes it (see Manifest.buildManifest).
    if (version !== undefined) fs.writeFileSync(path.join(outdir, 'manifest.json'), sortedJsonText({ version, stacks: written }, 2));
    for (const [name, stack] of made) props.assembled?.(name, stack);
    return 'assembled';
  } catch (error) {
    if (!(error instanceof NotAssemblable)) throw error;
    fs.rmSync(outdir, { recursive: true, force: true });
    return whole();
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
