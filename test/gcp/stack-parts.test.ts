import * as fs from 'fs';
import * as path from 'path';
import { Node } from 'constructs';
import { EffectiveService, PlatformDefinition, effectiveServices } from '../../lib/definition';
import { GcpStackPart, gcpStackPart, hasGcp, synthesizeGcpPlatform, synthesizeGcpPlatformWhole } from '../../lib/gcp';
import { platform as example } from '../../apps/platform';
import { fleetPlatform } from '../../bench/fleet';
import { shop } from '../fixtures/shop';
import { fileTree } from '../support/files';
import { scratchDir } from '../support/tools';

const dir = scratchDir('stack-parts');

/** Parts by environment and service, as a cache would keep them. */
type Parts = Map<string, GcpStackPart>;
const keyOf = (service: EffectiveService): string => `${service.environment}/${service.name}`;

/** The files cdktf writes for a platform's stacks built whole, and those `synthesizeGcpPlatform` writes with the given parts at hand, with how they were made. */
function both(platform: PlatformDefinition, name: string, parts: Parts = new Map()): { full: Record<string, string>; parts: Record<string, string>; how: string; asked: string[]; stored: string[] } {
  const full = path.join(dir(), `${name}-full`);
  const out = path.join(dir(), `${name}-parts`);
  synthesizeGcpPlatformWhole({ platform, outdir: full });
  fs.rmSync(out, { recursive: true, force: true });
  const asked: string[] = [];
  const stored: string[] = [];
  const how = synthesizeGcpPlatform({
    platform,
    outdir: out,
    cached: (service) => {
      asked.push(keyOf(service));
      return parts.get(keyOf(service));
    },
    store: (service, part) => {
      stored.push(keyOf(service));
      parts.set(keyOf(service), part);
    },
  });
  return { full: fileTree(full), parts: fileTree(out), how, asked, stored };
}

/** Every service with gcp settings in every environment, in the stacks' order. */
function gcpServices(platform: PlatformDefinition): EffectiveService[] {
  return platform.environments.flatMap((env) => effectiveServices(platform, env.name, hasGcp));
}

describe('synthesizeGcpPlatform', () => {
  it.each([
    ['the example platform', example],
    ['the shop fixture', shop],
    ['a fleet of 24 services (certificates, backups, warnings, several projects)', fleetPlatform(24)],
  ])('writes the stacks of %s byte for byte as cdktf synthesizes them whole: with no part at hand, with every part, and each part built alone is the same', (_, platform) => {
    const parts: Parts = new Map();
    const cold = both(platform, `${platform.name}-cold`, parts);
    // Nothing at hand: every part is built (a few dozen services per stack) and kept.
    expect(cold.how).toBe('assembled');
    expect(cold.parts).toEqual(cold.full);
    expect(cold.asked).toEqual(gcpServices(platform).map(keyOf));
    expect(cold.stored).toEqual(cold.asked);
    // Every part at hand: the stacks are assembled.
    const warm = both(platform, `${platform.name}-warm`, parts);
    expect(warm.how).toBe('assembled');
    expect(warm.stored).toEqual([]);
    for (const file of Object.keys(warm.full)) expect([file, warm.parts[file]]).toEqual([file, warm.full[file]]);
    expect(Object.keys(warm.parts).sort()).toEqual(Object.keys(warm.full).sort());
    // A part built alone is the part built among others.
    const scratch = path.join(dir(), `${platform.name}-scratch`);
    for (const service of gcpServices(platform)) expect([keyOf(service), gcpStackPart(platform, service, scratch)]).toEqual([keyOf(service), parts.get(keyOf(service))]);
  });

  it('builds the parts of a large environment a few dozen services at a time, byte for byte as one stack', () => {
    const fleet = fleetPlatform(130);
    const { full, parts, how, stored } = both(fleet, 'large');
    expect(how).toBe('assembled');
    expect(effectiveServices(fleet, 'prod', hasGcp).length).toBeGreaterThan(50);
    expect(stored).toHaveLength(gcpServices(fleet).length);
    expect(parts).toEqual(full);
  });

  it('builds alone the few parts missing, stores them, and assembles the stacks byte for byte', () => {
    const fleet = fleetPlatform(24);
    const parts: Parts = new Map();
    both(fleet, 'few-first', parts);
    const missing = gcpServices(fleet).filter((_, i) => i % 7 === 3).map(keyOf);
    for (const key of missing) parts.delete(key);
    const again = both(fleet, 'few-again', parts);
    expect(again.how).toBe('assembled');
    expect(again.stored).toEqual(missing);
    expect(again.parts).toEqual(again.full);
  });

  it('carries the warnings of a service in its part, so the manifest lists them as cdktf does', () => {
    const fleet = fleetPlatform(24);
    const { full } = both(fleet, 'warnings');
    const manifest = JSON.parse(full['manifest.json']) as { stacks: Record<string, { annotations: { constructPath: string; message: string }[] }> };
    const warned = manifest.stacks['fleet-prod'].annotations.filter((a) => a.message.includes('minRequestRate'));
    expect(warned.length).toBeGreaterThan(0);
    const service = effectiveServices(fleet, 'prod', hasGcp).find((s) => warned[0].constructPath.endsWith(`/${s.name}`)) as EffectiveService;
    const part = gcpStackPart(fleet, service, path.join(dir(), 'warnings-scratch'));
    expect(part.annotations.map((a) => a.message)).toEqual(manifest.stacks['fleet-prod'].annotations.filter((a) => a.constructPath.startsWith(`fleet-prod/${service.name}`)).map((a) => a.message));
  });

  it('puts in a part only the service\'s own resources, none of the shared ones', () => {
    const service = effectiveServices(shop, 'prod', hasGcp)[0];
    const part = gcpStackPart(shop, service, path.join(dir(), 'own-scratch'));
    const resources = part.blocks.resource ?? {};
    expect(Object.keys(resources).length).toBeGreaterThan(0);
    expect(resources.google_monitoring_notification_channel).toBeUndefined();
    expect(resources.google_logging_project_bucket_config).toBeUndefined();
    for (const byName of Object.values(resources)) {
      for (const body of Object.values(byName)) expect((body as { '//': { metadata: { path: string } } })['//'].metadata.path).toMatch(new RegExp(`^shop-prod/${service.name}(_[a-z]+)?/`));
    }
  });

  it('falls back to the whole synthesis by cdktf, with the same files, when a part cannot be assembled', () => {
    // Two services claiming one resource name: the assembly refuses it and cdktf builds it all.
    const fleet = fleetPlatform(8);
    const parts: Parts = new Map();
    both(fleet, 'fallback-first', parts);
    const [first, second] = gcpServices(fleet).map(keyOf);
    parts.set(second, parts.get(first) as GcpStackPart);
    const { full, parts: files, how } = both(fleet, 'fallback', parts);
    expect(how).toBe('whole');
    expect(files).toEqual(full);
  });

  it('leaves a construct that fails validation to the whole synthesis, which reports every problem in cdktf\'s words', () => {
    const fleet = fleetPlatform(4);
    const [first, second] = gcpServices(fleet);
    const failing = new Set([first.name, second.name].map((name) => `fleet-prod/${name}`));
    const validate = Node.prototype.validate;
    const spy = jest.spyOn(Node.prototype, 'validate').mockImplementation(function (this: Node) {
      return failing.has(this.path) ? [`${this.id} is refused`] : validate.call(this);
    });
    try {
      const out = path.join(dir(), 'invalid');
      expect(() => synthesizeGcpPlatform({ platform: fleet, outdir: out })).toThrow(
        new RegExp(`Validation failed with the following errors:\\n  \\[fleet-prod/${first.name}\\] ${first.name} is refused\\n  \\[fleet-prod/${second.name}\\] ${second.name} is refused`),
      );
      // The whole synthesis was asked: it validates the stack with every service in it.
      expect(spy.mock.contexts.some((node) => (node as Node).path === `fleet-prod/${first.name}`)).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it('leaves no scratch stack behind in the output folder', () => {
    const parts: Parts = new Map();
    both(shop, 'tidy-first', parts);
    parts.delete(keyOf(gcpServices(shop)[0]));
    const { parts: files } = both(shop, 'tidy', parts);
    expect(Object.keys(files).length).toBeGreaterThan(0);
    expect(Object.keys(files).every((file) => file === 'manifest.json' || /^stacks\/shop-[a-z]+\/cdk\.tf\.json$/.test(file))).toBe(true);
    expect(fs.existsSync(path.join(dir(), 'tidy-parts', 'stacks'))).toBe(true);
  });
});
