import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { DefinitionError, PlatformDefinition, ServiceDefinitionInput } from '../../lib';
import { ALL_SIDES, SynthCache, WORKLOAD_FIELDS, inShard, libraryFingerprint, parseShard, serviceCacheKey, shardOf, synthesizePlatform, writesPlatformFiles } from '../../lib/synth';
import { fingerprintOf } from '../../lib/synth/cache';
import { parsePlatform, resolveEnvironment } from '../../lib/definition';
import { GcpPlatformApp } from '../../lib';
import { withoutCreationStacks } from '../../lib/private/creation-stacks';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { BASE_SERVICE, testPlatformWith } from '../fixtures/services';
import { scratchDir } from '../support/tools';
import { fileTree } from '../support/files';
import { FLEET_DAY, fleetPlatform } from '../../bench/fleet';


const SERVICES: readonly ServiceDefinitionInput[] = [
  { ...BASE_SERVICE, name: 'orders', slos: [{ kind: 'availability', name: 'availability', objective: 99.9 }], delivery: { strategy: 'canary' } },
  { ...BASE_SERVICE, name: 'payments', team: 'billing', tier: 'critical', slos: [{ kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25 }] },
  { ...BASE_SERVICE, name: 'search', team: 'discovery', tier: 'medium' },
];

/** Three services in dev, staging and prod, changed by `edit`, with `settings` over the platform's. */
function platformWith(edit: (services: ServiceDefinitionInput[]) => ServiceDefinitionInput[] = (s) => s, settings: Record<string, unknown> = {}): PlatformDefinition {
  return testPlatformWith({ environments: [{ name: 'dev' }, { name: 'staging' }, { name: 'prod', production: true }], ...settings }, ...edit(SERVICES.map((s) => ({ ...s }))));
}

const shop = platformWith();

/** The fixture is not ready for production; its readiness report is written, not enforced. */
const REPORT_ONLY = { enforceReadiness: false } as const;

describe('parseShard', () => {
  it('reads i/n', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1/1 ')).toEqual({ index: 1, count: 1 });
  });

  it.each(['0/2', '3/2', '1/0', '1/257', 'a/b', '1-2', '', '1/2/3', '-1/2'])('refuses %j naming the field and what is allowed', (text) => {
    expect(() => parseShard(text)).toThrow(DefinitionError);
    expect(() => parseShard(text)).toThrow(`shard: must be i/n with 1 <= i <= n <= 256, e.g. 2/4 (got ${JSON.stringify(text)})`);
  });
});

describe('shards', () => {
  it('put every service in exactly one shard, decided by its name alone', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 16 }), (names, count) => {
        for (const name of names) {
          const owners = Array.from({ length: count }, (_, i) => i + 1).filter((index) => inShard(name, { index, count }));
          expect(owners).toEqual([shardOf(name, count)]);
        }
      }),
    );
  });

  it('leave the platform-wide files to shard 1', () => {
    expect(writesPlatformFiles(undefined)).toBe(true);
    expect(writesPlatformFiles({ index: 1, count: 3 })).toBe(true);
    expect(writesPlatformFiles({ index: 2, count: 3 })).toBe(false);
  });

  const dir = scratchDir('shards');

  it('together write exactly the files of a full synthesis, byte for byte', () => {
    const full = path.join(dir(), 'full');
    synthesizePlatform(shop, full, REPORT_ONLY);
    for (const count of [2, 3]) {
      const union: Record<string, string> = {};
      for (let index = 1; index <= count; index++) {
        const out = path.join(dir(), `shard-${count}-${index}`);
        synthesizePlatform(shop, out, { shard: { index, count }, ...REPORT_ONLY });
        for (const [file, content] of Object.entries(fileTree(out))) {
          expect(union[file]).toBeUndefined();
          union[file] = content;
        }
      }
      expect(union).toEqual(fileTree(full));
    }
    expect(Object.keys(fileTree(full)).filter((f) => f.startsWith('runbooks/') && f.endsWith('index.md'))).toEqual(expect.arrayContaining(['runbooks/index.md', 'runbooks/prod/index.md', 'runbooks/prod/services/orders/index.md']));
  });

  it('leave the runbook indexes to shard 1, each service\'s runbooks to its own shard', () => {
    const count = 3;
    for (let index = 1; index <= count; index++) {
      const { files } = synthesizePlatform(shop, path.join(dir(), `runbooks-${index}`), { shard: { index, count }, sides: ['runbooks'] });
      expect(files.filter((f) => f === 'runbooks/index.md' || /^runbooks\/[^/]+\/index\.md$/.test(f)).length).toBe(index === 1 ? 1 + shop.environments.length : 0);
      for (const service of shop.services) expect(files.includes(`runbooks/prod/services/${service.name}/index.md`)).toBe(shardOf(service.name, count) === index);
    }
  });

  it('write a service only in its own shard', () => {
    const count = 3;
    for (let index = 1; index <= count; index++) {
      const out = path.join(dir(), `own-${index}`);
      const { files } = synthesizePlatform(shop, out, { shard: { index, count }, sides: ['k8s'] });
      for (const service of shop.services) {
        const file = `k8s/prod/${service.name}.k8s.yaml`;
        expect(files.includes(file)).toBe(shardOf(service.name, count) === index);
      }
      expect(files.some((f) => f.includes('/namespaces/'))).toBe(index === 1);
    }
  });
});

describe('incremental synthesis', () => {
  const dir = scratchDir('incremental');

  // Each step is a platform; after each, a synthesis through the cache must equal a full one.
  const steps: [string, () => PlatformDefinition, number][] = [
    ['the first run builds every service', () => shop, 0],
    ['an unchanged platform is written from the cache alone', () => shop, 0],
    ['one changed service is built again in each environment', () => platformWith((s) => s.map((x, i) => (i === 0 ? { ...x, replicas: 5 } : x))), 3],
    ['an override in one environment rebuilds that environment only', () => platformWith((s) => s.map((x, i) => (i === 0 ? { ...x, replicas: 5, environments: { staging: { replicas: 4 } } } : x))), 1],
    ['a new service is built, the others come from the cache', () => platformWith((s) => [...s, { ...s[1], name: 'wishlist' }]), 3],
    ['a platform setting every file may read rebuilds every service', () => platformWith((s) => s, { runbookBaseUrl: 'https://runbooks.example.org/shop' }), 9],
    ['a removed service leaves no file behind', () => platformWith((s) => s.slice(1), { runbookBaseUrl: 'https://runbooks.example.org/shop' }), 0],
  ];

  it('writes the same bytes as a full synthesis over a sequence of edits, rebuilding only what changed', () => {
    const cacheDir = path.join(dir(), 'cache');
    let previousHits = -1;
    steps.forEach(([, make, expectedMisses], i) => {
      const platform = make();
      const full = path.join(dir(), `full-${i}`);
      const incremental = path.join(dir(), 'incremental');
      synthesizePlatform(platform, full, REPORT_ONLY);
      const summary = synthesizePlatform(platform, incremental, { cache: cacheDir, ...REPORT_ONLY });
      expect(fileTree(incremental)).toEqual(fileTree(full));
      const units = platform.services.length * platform.environments.length;
      if (i === 0) expect(summary.cache).toEqual({ hits: 0, misses: units });
      else expect(summary.cache).toEqual({ hits: units - expectedMisses, misses: expectedMisses });
      previousHits = summary.cache?.hits ?? previousHits;
    });
  });

  /** Every file under a folder with its modification time. */
  const mtimes = (root: string): Record<string, number> =>
    Object.fromEntries(Object.keys(fileTree(root)).map((file) => [file, fs.statSync(path.join(root, file)).mtimeMs]));

  it('leaves the files of unchanged services where they are and writes only the changed ones', () => {
    const cacheDir = path.join(dir(), 'untouched-cache');
    const out = path.join(dir(), 'untouched');
    synthesizePlatform(shop, out, { cache: cacheDir, ...REPORT_ONLY });
    const before = mtimes(out);
    const changed = platformWith((s) => s.map((x, i) => (i === 1 ? { ...x, replicas: 6 } : x)));
    synthesizePlatform(changed, out, { cache: cacheDir, ...REPORT_ONLY });
    const after = mtimes(out);
    const full = path.join(dir(), 'untouched-full');
    synthesizePlatform(changed, full, REPORT_ONLY);
    expect(fileTree(out)).toEqual(fileTree(full));
    const rewritten = Object.keys(after).filter((file) => after[file] !== before[file]);
    const ofService = (file: string): boolean => /(^|\/)payments([./]|$)/.test(file);
    // Every file of the unchanged services keeps its time; platform-wide files are written again.
    for (const file of Object.keys(after).filter((f) => /\/(orders|search)([./]|$)/.test(f))) expect([file, after[file]]).toEqual([file, before[file]]);
    expect(rewritten.filter(ofService).length).toBeGreaterThan(0);
    expect(rewritten.filter((file) => /\/(orders|search)([./]|$)/.test(file))).toEqual([]);
  });

  it('writes again a file changed by hand since, and removes a file that no synthesis wrote', () => {
    const cacheDir = path.join(dir(), 'hand-cache');
    const out = path.join(dir(), 'hand');
    synthesizePlatform(shop, out, { cache: cacheDir, ...REPORT_ONLY });
    const expected = fileTree(out);
    fs.appendFileSync(path.join(out, 'k8s/prod/orders.k8s.yaml'), '# edited by hand\n');
    fs.writeFileSync(path.join(out, 'prometheus/dev/orders.rules.yaml'), 'x');
    fs.rmSync(path.join(out, 'grafana/staging/search.json'));
    fs.writeFileSync(path.join(out, 'k8s/dev/stray.k8s.yaml'), 'kind: Stray\n');
    const summary = synthesizePlatform(shop, out, { cache: cacheDir, ...REPORT_ONLY });
    expect(fileTree(out)).toEqual(expected);
    expect([...summary.files].sort()).toEqual(Object.keys(expected).sort());
  });

  it('leaves no empty folder behind when a service goes', () => {
    const cacheDir = path.join(dir(), 'gone-cache');
    const out = path.join(dir(), 'gone');
    synthesizePlatform(shop, out, { cache: cacheDir, ...REPORT_ONLY });
    expect(fs.existsSync(path.join(out, 'runbooks/prod/services/orders'))).toBe(true);
    synthesizePlatform(platformWith((s) => s.slice(1)), out, { cache: cacheDir, ...REPORT_ONLY });
    const empty = (at: string): string[] =>
      fs.readdirSync(at, { withFileTypes: true }).flatMap((entry) => {
        if (!entry.isDirectory()) return [];
        const sub = path.join(at, entry.name);
        return fs.readdirSync(sub).length === 0 ? [path.relative(out, sub)] : empty(sub);
      });
    expect(empty(out)).toEqual([]);
    expect(fs.existsSync(path.join(out, 'runbooks/prod/services/orders'))).toBe(false);
  });

  it('starts from a clean folder when the folder was written without the cache since', () => {
    const cacheDir = path.join(dir(), 'mixed-cache');
    const out = path.join(dir(), 'mixed');
    synthesizePlatform(shop, out, { cache: cacheDir, ...REPORT_ONLY });
    const changed = platformWith((s) => s.map((x, i) => (i === 2 ? { ...x, replicas: 7 } : x)));
    synthesizePlatform(changed, out, REPORT_ONLY);
    synthesizePlatform(shop, out, { cache: cacheDir, ...REPORT_ONLY });
    const full = path.join(dir(), 'mixed-full');
    synthesizePlatform(shop, full, REPORT_ONLY);
    expect(fileTree(out)).toEqual(fileTree(full));
  });

  it('treats an unreadable entry as a miss and writes it again', () => {
    const cacheDir = path.join(dir(), 'broken-cache');
    synthesizePlatform(shop, path.join(dir(), 'first'), { cache: cacheDir, sides: ['k8s'] });
    const service = resolveEnvironment(shop, shop.services[0], 'prod');
    const key = serviceCacheKey(shop, service, ['k8s']);
    const entry = path.join(cacheDir, key.slice(0, 2), `${key}.json`);
    fs.writeFileSync(entry, '{"files": [');
    const summary = synthesizePlatform(shop, path.join(dir(), 'second'), { cache: cacheDir, sides: ['k8s'] });
    expect(summary.cache?.misses).toBe(1);
    expect(fileTree(path.join(dir(), 'second'))).toEqual(fileTree(path.join(dir(), 'first')));
    expect(new SynthCache(cacheDir).get(key)).toBeDefined();
  });

  it('keeps what the runbook indexes say of a service in its entry, so the indexes of a run from the cache are the same', () => {
    const cacheDir = path.join(dir(), 'runbook-cache');
    synthesizePlatform(shop, path.join(dir(), 'runbooks-first'), { cache: cacheDir, sides: ['runbooks'] });
    const service = resolveEnvironment(shop, shop.services[0], 'prod');
    expect(new SynthCache(cacheDir).get(serviceCacheKey(shop, service, ['runbooks']))?.runbooks).toMatchObject({ name: 'orders', team: service.team, strategy: 'canary' });
    const summary = synthesizePlatform(shop, path.join(dir(), 'runbooks-second'), { cache: cacheDir, sides: ['runbooks'] });
    expect(summary.cache?.misses).toBe(0);
    expect(fileTree(path.join(dir(), 'runbooks-second'))).toEqual(fileTree(path.join(dir(), 'runbooks-first')));
  });

  it('keys an entry by the sides asked for, so a partial run never serves a full one', () => {
    const service = resolveEnvironment(shop, shop.services[0], 'prod');
    expect(serviceCacheKey(shop, service, ['k8s'])).not.toBe(serviceCacheKey(shop, service, ALL_SIDES));
    expect(serviceCacheKey(shop, service, ['k8s', 'prometheus'])).toBe(serviceCacheKey(shop, service, ['prometheus', 'k8s']));
  });

  it('remembers the dashboard checks that passed, in the cache folder, for the library that ran them', () => {
    const cacheDir = path.join(dir(), 'checks-cache');
    fs.rmSync(cacheDir, { recursive: true, force: true });
    new SynthCache(cacheDir).passedChecks().add('a'.repeat(64));
    expect(new SynthCache(cacheDir).passedChecks().has('a'.repeat(64))).toBe(true);
    expect(new SynthCache(cacheDir).passedChecks().has('b'.repeat(64))).toBe(false);
    expect(new SynthCache(path.join(dir(), 'other-cache')).passedChecks().has('a'.repeat(64))).toBe(false);
    // The file is named by the key salted with the library's fingerprint, not by the key.
    const files = fs.readdirSync(path.join(cacheDir, 'checks'), { recursive: true }).map(String);
    expect(files.some((f) => f.includes('a'.repeat(64)))).toBe(false);
    expect(files.length).toBe(2);
  });

  it('checks the fleet dashboards once through the cache, and again when the fleet changes', () => {
    const cacheDir = path.join(dir(), 'fleet-checks-cache');
    fs.rmSync(cacheDir, { recursive: true, force: true });
    const checks = (): number => fs.readdirSync(path.join(cacheDir, 'checks'), { recursive: true }).filter((f) => String(f).length === 64 + 3).length;
    synthesizePlatform(platformWith(), path.join(dir(), 'fleet-checks'), { cache: cacheDir, sides: ['k8s', 'grafana'] });
    expect(checks()).toBe(3);
    synthesizePlatform(platformWith(), path.join(dir(), 'fleet-checks'), { cache: cacheDir, sides: ['k8s', 'grafana'] });
    expect(checks()).toBe(3);
    synthesizePlatform(platformWith((services) => services.slice(1)), path.join(dir(), 'fleet-checks'), { cache: cacheDir, sides: ['k8s', 'grafana'] });
    expect(checks()).toBe(6);
  });

  it('fingerprints the library by its version, its code and the installed version of each dependency', () => {
    const root = path.join(dir(), 'fingerprinted');
    const write = (file: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    write('package.json', JSON.stringify({ version: '1.0.0', dependencies: { cdktf: '^0.21.0' } }));
    write('lib/index.js', 'module.exports = 1;');
    write('node_modules/cdktf/package.json', JSON.stringify({ version: '0.21.0' }));
    const first = fingerprintOf(path.join(root, 'lib'));
    expect(fingerprintOf(path.join(root, 'lib'))).toBe(first);
    write('node_modules/cdktf/package.json', JSON.stringify({ version: '0.21.1' }));
    const upgraded = fingerprintOf(path.join(root, 'lib'));
    expect(upgraded).not.toBe(first);
    write('lib/index.js', 'module.exports = 2;');
    expect(fingerprintOf(path.join(root, 'lib'))).not.toBe(upgraded);
    expect(libraryFingerprint()).toBe(fingerprintOf(path.join(__dirname, '../../lib')));
  });

  it('is off unless asked for', () => {
    expect(synthesizePlatform(shop, path.join(dir(), 'plain'), { sides: ['k8s'] }).cache).toBeUndefined();
    expect(synthesizePlatform(shop, path.join(dir(), 'plain'), { sides: ['k8s'], cache: false }).cache).toBeUndefined();
  });
});

describe('incremental synthesis of the Terraform stacks', () => {
  const dir = scratchDir('incremental-stacks');
  const fleet = fleetPlatform(12);
  /** Service 0 with a lower availability objective: its Cloud Monitoring SLO changes in every environment. */
  const lowerObjective = (service: ServiceDefinitionInput): ServiceDefinitionInput => ({ ...service, slos: service.slos?.map((slo, i) => (i === 0 ? { ...slo, objective: 99.5 } : slo)) });
  const GCP_ONLY = { sides: ['gcp'] as const, today: FLEET_DAY };
  const stackFiles = (out: string): string[] => Object.keys(fileTree(path.join(out, 'gcp'))).filter((file) => file.endsWith('cdk.tf.json')).sort();
  const mtimes = (out: string): Record<string, number> => Object.fromEntries(stackFiles(out).map((file) => [file, fs.statSync(path.join(out, 'gcp', file)).mtimeMs]));
  /** The files of a synthesis of `platform` into a new folder, without the cache. */
  const fullTree = (platform: PlatformDefinition, name: string, options: Parameters<typeof synthesizePlatform>[2] = GCP_ONLY): Record<string, string> => {
    const out = path.join(dir(), name);
    synthesizePlatform(platform, out, options);
    return fileTree(out);
  };

  it('leaves every stack as it is when an edit does not reach Google Cloud, and writes those it reaches, byte for byte as a full synthesis', () => {
    const cacheDir = path.join(dir(), 'reach-cache');
    const out = path.join(dir(), 'reach');
    synthesizePlatform(fleet, out, { cache: cacheDir, ...GCP_ONLY });
    expect(stackFiles(out)).toEqual(['stacks/fleet-dev/cdk.tf.json', 'stacks/fleet-prod/cdk.tf.json', 'stacks/fleet-staging/cdk.tf.json']);
    const first = mtimes(out);
    // More replicas: the service's Terraform part is built again, and is the same.
    const replicas = fleetPlatform(12, 0);
    synthesizePlatform(replicas, out, { cache: cacheDir, ...GCP_ONLY });
    expect(mtimes(out)).toEqual(first);
    expect(fileTree(out)).toEqual(fullTree(replicas, 'reach-replicas'));
    // A lower objective reaches the SLO of the service in each environment: every stack is written.
    const objective = fleetPlatform(12, 0, lowerObjective);
    synthesizePlatform(objective, out, { cache: cacheDir, ...GCP_ONLY });
    const second = mtimes(out);
    for (const file of stackFiles(out)) expect([file, second[file]]).not.toEqual([file, first[file]]);
    expect(fileTree(out)).toEqual(fullTree(objective, 'reach-objective'));
    // And back: the parts at hand in the cache make the first stacks again.
    synthesizePlatform(fleet, out, { cache: cacheDir, ...GCP_ONLY });
    expect(fileTree(out)).toEqual(fullTree(fleet, 'reach-back'));
  });

  it('writes again a stack changed by hand since, and removes the stack of an environment no longer asked for', () => {
    const cacheDir = path.join(dir(), 'hand-cache');
    const out = path.join(dir(), 'hand');
    synthesizePlatform(fleet, out, { cache: cacheDir, ...GCP_ONLY });
    const expected = fileTree(out);
    fs.appendFileSync(path.join(out, 'gcp/stacks/fleet-prod/cdk.tf.json'), ' ');
    fs.writeFileSync(path.join(out, 'gcp/stacks/stray.tf.json'), '{}');
    synthesizePlatform(fleet, out, { cache: cacheDir, ...GCP_ONLY });
    expect(fileTree(out)).toEqual(expected);
    const some = { ...GCP_ONLY, environments: ['dev', 'prod'] };
    const summary = synthesizePlatform(fleet, out, { cache: cacheDir, ...some });
    expect(fileTree(out)).toEqual(fullTree(fleet, 'hand-some', some));
    expect(summary.files).toEqual(['gcp/manifest.json', 'gcp/stacks/fleet-dev/cdk.tf.json', 'gcp/stacks/fleet-prod/cdk.tf.json']);
  });

  it('builds again the parts a changed stack needs when the cache lost them', () => {
    const cacheDir = path.join(dir(), 'lost-cache');
    const out = path.join(dir(), 'lost');
    synthesizePlatform(fleet, out, { cache: cacheDir, ...GCP_ONLY });
    for (const file of fs.readdirSync(cacheDir, { recursive: true }).map(String)) if (file.endsWith('.part.json')) fs.rmSync(path.join(cacheDir, file));
    const objective = fleetPlatform(12, 0, lowerObjective);
    synthesizePlatform(objective, out, { cache: cacheDir, ...GCP_ONLY });
    expect(fileTree(out)).toEqual(fullTree(objective, 'lost-full'));
  });

  it('writes every stack in full on several threads, and through the cache again after', () => {
    const cacheDir = path.join(dir(), 'threads-cache');
    const out = path.join(dir(), 'threads');
    const all = { today: FLEET_DAY, enforceReadiness: false };
    synthesizePlatform(fleet, out, { cache: cacheDir, ...all });
    const edited = fleetPlatform(12, 0, lowerObjective);
    synthesizePlatform(edited, out, { cache: cacheDir, jobs: 2, ...all });
    const expected = fullTree(edited, 'threads-full', all);
    expect(fileTree(out)).toEqual(expected);
    synthesizePlatform(fleet, out, { cache: cacheDir, ...all });
    expect(fileTree(out)).toEqual(fullTree(fleet, 'threads-back', all));
  });
});

describe('incremental synthesis of the platform-wide files', () => {
  const dir = scratchDir('incremental-platform');
  type Input = Record<string, unknown> & { services: Record<string, unknown>[] };
  const example = parseYaml(fs.readFileSync(path.join(__dirname, '../../apps/platform.yaml'), 'utf8')) as Input;
  /** The example platform, each service's definition changed by `edit`. */
  const exampleWith = (edit: (service: Record<string, unknown>) => Record<string, unknown> = (s) => s): PlatformDefinition => parsePlatform(stringifyYaml({ ...example, services: example.services.map(edit) }));
  const OPTIONS = { today: '2026-12-03', enforceReadiness: false } as const;
  /** The files the record of `out` names as platform-wide, sorted. */
  const platformFiles = (cacheDir: string, out: string): string[] => (new SynthCache(cacheDir).outputs(out)?.platform?.files ?? []).map((file) => file.path).sort();
  const full = (platform: PlatformDefinition, name: string): Record<string, string> => {
    const out = path.join(dir(), name);
    synthesizePlatform(platform, out, OPTIONS);
    return fileTree(out);
  };
  const pick = (tree: Record<string, string>, files: readonly string[]): Record<string, string> => Object.fromEntries(files.map((file) => [file, tree[file]]));
  const mtimes = (out: string, files: readonly string[]): Record<string, number> => Object.fromEntries(files.map((file) => [file, fs.statSync(path.join(out, file)).mtimeMs]));

  it('are every file no unit writes, but the Terraform stacks and the readiness report', () => {
    const cacheDir = path.join(dir(), 'which-cache');
    const out = path.join(dir(), 'which');
    const summary = synthesizePlatform(exampleWith(), out, { cache: cacheDir, ...OPTIONS });
    const record = new SynthCache(cacheDir).outputs(out);
    const ofUnits = new Set(Object.values(record?.units ?? {}).flatMap((unit) => unit.files.map((file) => file.path)));
    const wide = platformFiles(cacheDir, out);
    expect(wide.filter((file) => ofUnits.has(file))).toEqual([]);
    expect(summary.files.filter((file) => !ofUnits.has(file) && !wide.includes(file) && !file.startsWith('gcp/'))).toEqual(['readiness.json', 'readiness.md']);
    for (const file of ['k8s/prod/dashboards/fleet.k8s.yaml', 'grafana/prod/fleet.json', 'k8s/dev/namespaces/payments.k8s.yaml', 'k8s/dev/alert-routing/payments.k8s.yaml', 'alertmanager/prod/alertmanager.yml', 'runbooks/index.md', 'gitops/projects.k8s.yaml']) expect(wide).toContain(file);
  });

  const mapValues = (value: unknown, change: (item: Record<string, unknown>) => Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries((value ?? {}) as Record<string, Record<string, unknown>>).map(([key, item]) => [key, change(item)]));
  // What each field changes to on every service; each is read by the service's own files.
  const changes: Record<(typeof WORKLOAD_FIELDS)[number], (service: Record<string, unknown>) => Record<string, unknown>> = {
    image: (s) => ({ ...s, image: `registry.example.com/elsewhere/${String(s.name)}:3.0.0` }),
    version: (s) => ({ ...s, version: '9.9.9' }),
    // Where autoscaling owns the replicas, only the environments without it show them.
    replicas: (s) => ({ ...s, replicas: Number(s.replicas ?? 1) + 1, environments: mapValues(s.environments, (o) => (o.replicas !== undefined ? { ...o, replicas: Number(o.replicas) + 1 } : o)) }),
    resources: (s) => ({ ...s, resources: { requests: { cpu: '150m', memory: '200Mi' }, limits: { cpu: '3', memory: '2Gi' } } }),
    health: (s) => ({ ...s, health: mapValues(s.health, (probe) => ({ ...probe, path: '/alive', periodSeconds: 7 })) }),
    autoscaling: (s) => ({ ...s, autoscaling: { maxReplicas: 30, cpuTargetPercent: 55 } }),
    env: (s) => ({ ...s, env: { ...(s.env as object), FEATURE_FLAGS: 'beta' } }),
    secretEnv: (s) => ({ ...s, secretEnv: { ...(s.secretEnv as object), API_TOKEN: { name: 'api-token', key: 'token' } } }),
  };

  /** The Terraform stacks with no service's own resources: the shared resources alone (provider, channels, log buckets). */
  const sharedResources = (platform: PlatformDefinition, name: string): Record<string, string> => {
    const out = path.join(dir(), name);
    withoutCreationStacks(() => new GcpPlatformApp({ platform, outdir: out, services: [] }).synth());
    return Object.fromEntries(Object.entries(fileTree(out)).filter(([file]) => file.endsWith('cdk.tf.json')));
  };

  it.each(WORKLOAD_FIELDS)('leave a service\'s %s unread, as do the Terraform stacks\' shared resources: changed on every service, each stays byte for byte', (field) => {
    const cacheDir = path.join(dir(), `${field}-cache`);
    const out = path.join(dir(), field);
    synthesizePlatform(exampleWith(), out, { cache: cacheDir, ...OPTIONS });
    const wide = platformFiles(cacheDir, out);
    const before = full(exampleWith(), `${field}-before`);
    const after = full(exampleWith(changes[field]), `${field}-after`);
    // The shared resources are cached on the same digests as the platform-wide files.
    const shared = sharedResources(exampleWith(), `${field}-shared-before`);
    expect(Object.keys(shared).length).toBe(3);
    expect(sharedResources(exampleWith(changes[field]), `${field}-shared-after`)).toEqual(shared);
    // The change is real: the services' own files change.
    expect(Object.keys(after).filter((file) => after[file] !== before[file] && !wide.includes(file)).length).toBeGreaterThan(0);
    expect(pick(after, wide)).toEqual(pick(before, wide));
  });

  it('stay as they are when an edit reaches only workloads, and are written again, byte for byte as a full synthesis, when it reaches them', () => {
    const cacheDir = path.join(dir(), 'reach-cache');
    const out = path.join(dir(), 'reach');
    synthesizePlatform(exampleWith(), out, { cache: cacheDir, ...OPTIONS });
    const wide = platformFiles(cacheDir, out);
    const first = mtimes(out, wide);
    const checkout = (edit: (service: Record<string, unknown>) => Record<string, unknown>) => (service: Record<string, unknown>) => (service.name === 'checkout' ? edit(service) : service);
    const replicas = exampleWith(checkout(changes.replicas));
    const kept = synthesizePlatform(replicas, out, { cache: cacheDir, ...OPTIONS });
    expect(mtimes(out, wide)).toEqual(first);
    expect(fileTree(out)).toEqual(full(replicas, 'reach-replicas'));
    const plain = synthesizePlatform(replicas, path.join(dir(), 'reach-plain'), OPTIONS);
    expect(kept.objectsPerKind).toEqual(plain.objectsPerKind);
    expect(kept.files).toEqual(plain.files);
    // A lower objective reaches the fleet dashboards (and the runbooks): they are written again.
    const objective = exampleWith(checkout((s) => ({ ...s, slos: (s.slos as Record<string, unknown>[]).map((slo, i) => (i === 0 ? { ...slo, objective: 99.5 } : slo)) })));
    synthesizePlatform(objective, out, { cache: cacheDir, ...OPTIONS });
    const second = mtimes(out, wide);
    expect(second['grafana/prod/fleet.json']).not.toBe(first['grafana/prod/fleet.json']);
    expect(fileTree(out)).toEqual(full(objective, 'reach-objective'));
    // A new team reaches the runbook indexes, not the fleet dashboards' queries.
    const team = exampleWith(checkout((s) => ({ ...s, team: 'checkout-team' })));
    synthesizePlatform(team, out, { cache: cacheDir, ...OPTIONS });
    expect(fileTree(out)).toEqual(full(team, 'reach-team'));
    // Routing reaches Alertmanager and the namespaces' AlertmanagerConfigs, not the service's rules.
    const routing = exampleWith(checkout((s) => ({ ...s, alertRouting: { critical: 'payments-chat', medium: 'none' } })));
    synthesizePlatform(routing, out, { cache: cacheDir, ...OPTIONS });
    expect(fileTree(out)).toEqual(full(routing, 'reach-routing'));
    // A namespace of its own reaches the stacks' shared resources (the log buckets' sinks) too.
    const namespace = exampleWith(checkout((s) => ({ ...s, namespace: 'checkout' })));
    expect(sharedResources(namespace, 'reach-namespace-shared')).not.toEqual(sharedResources(routing, 'reach-routing-shared'));
    synthesizePlatform(namespace, out, { cache: cacheDir, ...OPTIONS });
    expect(fileTree(out)).toEqual(full(namespace, 'reach-namespace'));
    synthesizePlatform(exampleWith(), out, { cache: cacheDir, ...OPTIONS });
    expect(fileTree(out)).toEqual(full(exampleWith(), 'reach-back'));
  });

  it('give, over any sequence of edits into the same folder, the bytes of a full synthesis', () => {
    const cacheDir = path.join(dir(), 'walk-cache');
    const out = path.join(dir(), 'walk');
    // Edits a pull request makes: workload fields, and fields the platform-wide files read.
    const edits: ((service: Record<string, unknown>) => Record<string, unknown>)[] = [
      ...Object.values(changes),
      (s) => ({ ...s, team: `${String(s.team)}-next` }),
      (s) => ({ ...s, namespace: `${String(s.name)}-ns` }),
      (s) => ({ ...s, alertRouting: { critical: 'platform-tickets', high: 'none' } }),
      (s) => ({ ...s, slos: (s.slos as Record<string, unknown>[] | undefined)?.map((slo) => ({ ...slo, objective: 99.5 })) }),
      (s) => ({ ...s, description: 'Edited in a pull request.' }),
      // The readiness report reads waivers and where a field was written (the base or an override).
      (s) => ({ ...s, readiness: { waivers: [{ item: 'deployment.rollback', reason: 'Rollback drill is scheduled.', expires: '2026-12-02' }] } }),
      (s) => ({ ...s, environments: { ...(s.environments as object), prod: { ...((s.environments as Record<string, object> | undefined)?.prod ?? {}), replicas: 4 } } }),
    ];
    const names = example.services.map((s) => String(s.name));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: edits.length - 1 }), fc.constantFrom(...names)), { minLength: 1, maxLength: 4 }), (steps) => {
        let inputs = example.services;
        for (const [edit, name] of steps) {
          inputs = inputs.map((s) => (s.name === name ? edits[edit](s) : s));
          const platform = parsePlatform(stringifyYaml({ ...example, services: inputs }));
          synthesizePlatform(platform, out, { cache: cacheDir, ...OPTIONS });
          expect(fileTree(out)).toEqual(full(platform, 'walk-full'));
        }
      }),
      { numRuns: 4, seed: 20261203 },
    );
  });

  it('reuse each production service\'s readiness for the same day only, and keep the report when none changed', () => {
    const cacheDir = path.join(dir(), 'readiness-cache');
    const out = path.join(dir(), 'readiness');
    // A waiver that holds through 2026-12-03 and has expired on 2026-12-04.
    const waived = exampleWith((s) => (s.name === 'catalog' ? { ...s, readiness: { waivers: [{ item: 'deployment.rollback', reason: 'Rollback drill is scheduled.', expires: '2026-12-03' }] } } : s));
    const day = (today: string) => ({ ...OPTIONS, today });
    synthesizePlatform(waived, out, { cache: cacheDir, ...day('2026-12-03') });
    const first = mtimes(out, ['readiness.json', 'readiness.md']);
    // An edit in dev alone leaves every production result, and the report's files.
    const dev = exampleWith((s) => (s.name === 'catalog' ? { ...s, readiness: { waivers: [{ item: 'deployment.rollback', reason: 'Rollback drill is scheduled.', expires: '2026-12-03' }] }, environments: { ...(s.environments as object), dev: { ...((s.environments as Record<string, object>).dev ?? {}), replicas: 2 } } } : s));
    const kept = synthesizePlatform(dev, out, { cache: cacheDir, ...day('2026-12-03') });
    expect(mtimes(out, ['readiness.json', 'readiness.md'])).toEqual(first);
    const plain = synthesizePlatform(dev, path.join(dir(), 'readiness-plain'), day('2026-12-03'));
    expect(kept.readiness).toEqual(plain.readiness);
    expect(fileTree(out)).toEqual(fileTree(path.join(dir(), 'readiness-plain')));
    // The next day the waiver has expired: every result is made again.
    const next = synthesizePlatform(dev, out, { cache: cacheDir, ...day('2026-12-04') });
    const nextPlain = synthesizePlatform(dev, path.join(dir(), 'readiness-plain'), day('2026-12-04'));
    expect(next.readiness).toEqual(nextPlain.readiness);
    expect(next.readiness).not.toEqual(kept.readiness);
    expect(fileTree(out)).toEqual(fileTree(path.join(dir(), 'readiness-plain')));
    // Enforced, the reused results fail the synthesis as a full one does.
    const enforce = (options: Record<string, unknown>): string => {
      try {
        synthesizePlatform(dev, path.join(dir(), 'readiness-enforced'), { ...options, today: '2026-12-04' });
        return 'passed';
      } catch (error) {
        return String((error as Error).message);
      }
    };
    expect(enforce({ cache: cacheDir })).toBe(enforce({}));
    expect(enforce({})).toContain('deployment.rollback');
    // The same effective definition written in the prod override instead of the base: the
    // report names the fields where they are written now.
    const single = (prodOverride: boolean) =>
      exampleWith((s) => (s.name === 'notifier' ? { ...s, replicas: 1, autoscaling: false, ...(prodOverride ? { environments: { ...(s.environments as object), prod: { replicas: 1, autoscaling: false } } } : {}) } : s));
    synthesizePlatform(single(false), out, { cache: cacheDir, ...day('2026-12-04') });
    const moved = synthesizePlatform(single(true), out, { cache: cacheDir, ...day('2026-12-04') });
    expect(JSON.stringify(moved.readiness)).toContain('notifier.environments.prod.replicas');
    expect(moved.readiness).toEqual(synthesizePlatform(single(true), path.join(dir(), 'readiness-plain'), day('2026-12-04')).readiness);
    expect(fileTree(out)).toEqual(fileTree(path.join(dir(), 'readiness-plain')));
  });

  type Part = Record<string, unknown> & { manifest: Record<string, unknown> };
  it.each([
    ['a text that is not text', (part: Part) => ({ ...part, text: 1 })],
    ['a text that is not JSON', (part: Part) => ({ ...part, text: '{"resource": ' })],
    ['a manifest entry without annotations', (part: Part) => ({ ...part, manifest: { ...part.manifest, annotations: undefined } })],
    ['a stack file outside its folder', (part: Part) => ({ ...part, manifest: { ...part.manifest, synthesizedStackPath: '../../x/cdk.tf.json' } })],
    ['another stack\'s name', (part: Part) => ({ ...part, manifest: { ...part.manifest, name: 'shop-elsewhere' } })],
  ])('synthesize the stacks\' shared resources again when their cache part holds %s', (_, damage) => {
    const cacheDir = path.join(dir(), 'shared-cache');
    const out = path.join(dir(), 'shared');
    fs.rmSync(cacheDir, { recursive: true, force: true });
    synthesizePlatform(exampleWith(), out, { cache: cacheDir, ...OPTIONS });
    const shared = Object.values(new SynthCache(cacheDir).outputs(out)?.stacks ?? {}).map((stack) => stack.shared as string);
    expect(shared.length).toBe(3);
    for (const key of shared) {
      const file = path.join(cacheDir, key.slice(0, 2), `${key}.part.json`);
      fs.writeFileSync(file, JSON.stringify(damage(JSON.parse(fs.readFileSync(file, 'utf8')) as Part)));
    }
    // The same shared resources are asked for, and read from the damaged parts.
    const replicas = exampleWith((s) => (s.name === 'checkout' ? changes.replicas(s) : s));
    synthesizePlatform(replicas, out, { cache: cacheDir, ...OPTIONS });
    expect(fileTree(out)).toEqual(full(replicas, 'shared-full'));
  });

  it.each([
    ['a result without its counts', (result: Record<string, unknown>) => ({ ...result, counts: undefined })],
    ['an item of an unknown status', (result: Record<string, unknown>) => ({ ...result, items: (result.items as object[]).map((item) => ({ ...item, status: 'maybe' })) })],
    ['items that are not a list', (result: Record<string, unknown>) => ({ ...result, items: 'none' })],
  ])('make the readiness results again when their cache part holds %s', (_, damage) => {
    const cacheDir = path.join(dir(), 'readiness-part-cache');
    const out = path.join(dir(), 'readiness-part');
    fs.rmSync(cacheDir, { recursive: true, force: true });
    synthesizePlatform(exampleWith(), out, { cache: cacheDir, ...OPTIONS });
    const digest = new SynthCache(cacheDir).outputs(out)?.readiness?.digest as string;
    const file = path.join(cacheDir, digest.slice(0, 2), `${digest}.part.json`);
    const part = JSON.parse(fs.readFileSync(file, 'utf8')) as { results: Record<string, Record<string, unknown>> };
    fs.writeFileSync(file, JSON.stringify({ ...part, results: Object.fromEntries(Object.entries(part.results).map(([key, result]) => [key, damage(result)])) }));
    // Another production service changes: the report is made again, from the others' results.
    const replicas = exampleWith((s) => (s.name === 'checkout' ? changes.replicas(s) : s));
    const summary = synthesizePlatform(replicas, out, { cache: cacheDir, ...OPTIONS });
    expect(fileTree(out)).toEqual(full(replicas, 'readiness-part-full'));
    expect(summary.readiness).toEqual(synthesizePlatform(replicas, path.join(dir(), 'readiness-part-plain'), OPTIONS).readiness);
  });

  it('are written again when one was changed or removed by hand since', () => {
    const cacheDir = path.join(dir(), 'hand-cache');
    const out = path.join(dir(), 'hand');
    synthesizePlatform(exampleWith(), out, { cache: cacheDir, ...OPTIONS });
    const expected = fileTree(out);
    fs.appendFileSync(path.join(out, 'alertmanager/prod/alertmanager.yml'), '# edited by hand\n');
    synthesizePlatform(exampleWith(), out, { cache: cacheDir, ...OPTIONS });
    expect(fileTree(out)).toEqual(expected);
    fs.rmSync(path.join(out, 'runbooks/index.md'));
    synthesizePlatform(exampleWith(), out, { cache: cacheDir, ...OPTIONS });
    expect(fileTree(out)).toEqual(expected);
  });

  it('are kept on several threads too, and when the summaries of kept units are lost, built from the units again', () => {
    const cacheDir = path.join(dir(), 'threads-cache');
    const out = path.join(dir(), 'threads');
    synthesizePlatform(exampleWith(), out, { cache: cacheDir, ...OPTIONS });
    const replicas = exampleWith((s) => (s.name === 'catalog' ? changes.replicas(s) : s));
    synthesizePlatform(replicas, out, { cache: cacheDir, jobs: 2, ...OPTIONS });
    expect(fileTree(out)).toEqual(full(replicas, 'threads-replicas'));
    for (const file of fs.readdirSync(cacheDir, { recursive: true }).map(String)) if (file.endsWith('.meta.json')) fs.rmSync(path.join(cacheDir, file));
    const objective = exampleWith((s) => (s.name === 'catalog' ? { ...s, slos: (s.slos as Record<string, unknown>[]).map((slo) => ({ ...slo, objective: 99.5 })) } : s));
    const summary = synthesizePlatform(objective, out, { cache: cacheDir, ...OPTIONS });
    expect(fileTree(out)).toEqual(full(objective, 'threads-objective'));
    // Each unit counts once: catalog's three are built, the others kept (their summaries built again uncounted).
    const units = example.services.length * objective.environments.length;
    expect(summary.cache).toEqual({ hits: units - 3, misses: 3 });
  });

  it('give no GitOps files of an old definition when no environment is selected', () => {
    const cacheDir = path.join(dir(), 'none-cache');
    const out = path.join(dir(), 'none');
    const some = { ...OPTIONS, sides: ['gitops'] as const, environments: [] };
    synthesizePlatform(exampleWith(), out, { cache: cacheDir, ...some });
    const team = exampleWith((s) => (s.name === 'notifier' ? { ...s, team: 'merchandising', namespace: s.namespace ?? 'payments' } : s));
    synthesizePlatform(team, out, { cache: cacheDir, ...some });
    const plain = path.join(dir(), 'none-full');
    synthesizePlatform(team, plain, some);
    expect(fileTree(out)).toEqual(fileTree(plain));
  });
});

describe('the cache folder, pruned', () => {
  const dir = scratchDir('cache-prune');
  const DAY = 24 * 60 * 60 * 1000;
  const files = (root: string): string[] => fs.readdirSync(root, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(root, f)).isFile()).sort();
  /** Sets a file's modification time `days` days before now. */
  const age = (file: string, days: number): void => {
    const at = new Date(Date.now() - days * DAY);
    fs.utimesSync(file, at, at);
  };
  const ageAll = (root: string, days: number): void => files(root).forEach((f) => age(path.join(root, f), days));

  it('keeps what an output record names however old, removes what nothing named or wrote for the retention, and the next run is still byte for byte a full one', () => {
    const cacheDir = path.join(dir(), 'named-cache');
    const out = path.join(dir(), 'named');
    const fleet = fleetPlatform(6);
    const options = { today: FLEET_DAY, enforceReadiness: false, cacheRetentionDays: false } as const;
    synthesizePlatform(fleet, out, { cache: cacheDir, ...options });
    // An edit makes the entries of service 0's old definition named by no record.
    const edited = fleetPlatform(6, 0, (s) => ({ ...s, slos: s.slos?.map((slo) => ({ ...slo, objective: 99.5 })) }));
    synthesizePlatform(edited, out, { cache: cacheDir, ...options });
    const before = files(cacheDir);
    ageAll(cacheDir, 30);
    const cache = new SynthCache(cacheDir);
    const record = JSON.parse(fs.readFileSync(path.join(cacheDir, files(cacheDir).find((f) => f.startsWith('outputs')) as string), 'utf8')) as { units: Record<string, unknown>; stacks: Record<string, { parts: Record<string, string>; shared?: string }>; readiness?: { digest: string } };
    // A young record keeps everything it names, whatever the age of the entries.
    age(path.join(cacheDir, files(cacheDir).find((f) => f.startsWith('outputs')) as string), 1);
    const { removed, kept } = cache.prune(14);
    const after = files(cacheDir);
    expect(removed).toBeGreaterThan(0);
    expect(removed + kept).toBe(before.length);
    // The stacks name their services' parts and their shared resources.
    expect(Object.values(record.stacks).every((stack) => stack.shared !== undefined)).toBe(true);
    // And the readiness report names the part of its results.
    expect(record.readiness).toBeDefined();
    const named = new Set([...Object.keys(record.units), ...Object.values(record.stacks).flatMap((stack) => [...Object.keys(stack.parts), stack.shared ?? '']), record.readiness?.digest ?? '']);
    for (const file of before) {
      const key = path.basename(file).split('.')[0];
      if (file.startsWith('outputs') || named.has(key)) expect(after).toContain(file);
      else expect(after).not.toContain(file);
    }
    // Every unit of the edited platform is named: the next run builds nothing and writes the same bytes.
    const summary = synthesizePlatform(edited, out, { cache: cacheDir, ...options });
    expect(summary.cache?.misses).toBe(0);
    const full = path.join(dir(), 'named-full');
    synthesizePlatform(edited, full, options);
    expect(fileTree(out)).toEqual(fileTree(full));
  });

  it('removes an old record and what only it named, keeps anything written within the retention', () => {
    const cacheDir = path.join(dir(), 'old-cache');
    synthesizePlatform(shop, path.join(dir(), 'old'), { cache: cacheDir, sides: ['k8s'], cacheRetentionDays: false });
    const all = files(cacheDir);
    ageAll(cacheDir, 10);
    expect(new SynthCache(cacheDir).prune(14)).toEqual({ removed: 0, kept: all.length });
    ageAll(cacheDir, 15);
    expect(new SynthCache(cacheDir).prune(14)).toEqual({ removed: all.length, kept: 0 });
    expect(fs.readdirSync(cacheDir)).toEqual([]);
  });

  it('is pruned by a synthesis once a day at most, after 14 days by default, never with false', () => {
    const cacheDir = path.join(dir(), 'daily-cache');
    const out = path.join(dir(), 'daily');
    synthesizePlatform(shop, out, { cache: cacheDir, sides: ['k8s'] });
    const stray = path.join(cacheDir, 'ab', `ab${'0'.repeat(62)}.json`);
    fs.mkdirSync(path.dirname(stray), { recursive: true });
    const plant = (days: number): void => {
      fs.writeFileSync(stray, '{}');
      age(stray, days);
    };
    // Pruned by the first run: the next is within the day, and leaves even an old stray entry.
    expect(fs.existsSync(path.join(cacheDir, 'pruned'))).toBe(true);
    plant(20);
    synthesizePlatform(shop, out, { cache: cacheDir, sides: ['k8s'] });
    expect(fs.existsSync(stray)).toBe(true);
    // A day later it prunes: 13 days is kept, 15 goes.
    age(path.join(cacheDir, 'pruned'), 1.01);
    plant(13);
    synthesizePlatform(shop, out, { cache: cacheDir, sides: ['k8s'] });
    expect(fs.existsSync(stray)).toBe(true);
    age(path.join(cacheDir, 'pruned'), 1.01);
    plant(15);
    synthesizePlatform(shop, out, { cache: cacheDir, sides: ['k8s'], cacheRetentionDays: false });
    expect(fs.existsSync(stray)).toBe(true);
    synthesizePlatform(shop, out, { cache: cacheDir, sides: ['k8s'], cacheRetentionDays: 30 });
    expect(fs.existsSync(stray)).toBe(true);
    age(path.join(cacheDir, 'pruned'), 1.01);
    synthesizePlatform(shop, out, { cache: cacheDir, sides: ['k8s'] });
    expect(fs.existsSync(stray)).toBe(false);
  });

  it.each([0, -1, 1.5, 3651, Number.NaN, '14'])('refuses a retention of %p naming the field and what is allowed', (days) => {
    const call = (): unknown => synthesizePlatform(shop, path.join(dir(), 'refused'), { cache: path.join(dir(), 'refused-cache'), cacheRetentionDays: days as number });
    expect(call).toThrow(DefinitionError);
    expect(call).toThrow(`cacheRetentionDays: must be a whole number of days from 1 to 3650 (got ${typeof days === 'string' ? JSON.stringify(days) : String(days)})`);
    expect(fs.existsSync(path.join(dir(), 'refused'))).toBe(false);
  });
});

describe('a damaged output record', () => {
  const dir = scratchDir('damaged-record');

  it.each([
    ['units that are not units', (r: Record<string, unknown>) => ({ ...r, units: { [Object.keys(r.units as object)[0]]: 'x' } })],
    ['a file without its size', (r: Record<string, unknown>) => ({ ...r, units: Object.fromEntries(Object.entries(r.units as Record<string, { files: { path: string }[] }>).map(([k, unit]) => [k, { ...unit, files: unit.files.map((f) => ({ path: f.path })) }])) })],
    ['a unit without its kinds', (r: Record<string, unknown>) => ({ ...r, units: Object.fromEntries(Object.entries(r.units as Record<string, object>).map(([k, unit]) => [k, { ...unit, kinds: ['Deployment'] }])) })],
    ['a unit without its digest', (r: Record<string, unknown>) => ({ ...r, units: Object.fromEntries(Object.entries(r.units as Record<string, object>).map(([k, unit]) => [k, { ...unit, reads: 7 }])) })],
    ['platform-wide files without their digest', (r: Record<string, unknown>) => ({ ...r, platform: { ...(r.platform as object), digest: undefined } })],
    ['a stack without its parts', (r: Record<string, unknown>) => ({ ...r, stacks: Object.fromEntries(Object.entries(r.stacks as Record<string, object>).map(([k, stack]) => [k, { ...stack, parts: null }])) })],
    ['a stack whose file has no path', (r: Record<string, unknown>) => ({ ...r, stacks: Object.fromEntries(Object.entries(r.stacks as Record<string, { file: object }>).map(([k, stack]) => [k, { ...stack, file: { size: 1 } }])) })],
    ['no units', (r: Record<string, unknown>) => ({ format: r.format })],
  ])('is no record when it holds %s: the synthesis starts from a clean folder, byte for byte a full one', (_, damage) => {
    const cacheDir = path.join(dir(), 'cache');
    const out = path.join(dir(), 'out');
    const fleet = fleetPlatform(4);
    const options = { today: FLEET_DAY, enforceReadiness: false, sides: ['k8s', 'gcp'] as const };
    synthesizePlatform(fleet, out, { cache: cacheDir, ...options });
    const records = path.join(cacheDir, 'outputs');
    const [name] = fs.readdirSync(records);
    const record = JSON.parse(fs.readFileSync(path.join(records, name), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(record.stacks as object).length).toBeGreaterThan(0);
    fs.writeFileSync(path.join(records, name), JSON.stringify(damage(record)));
    fs.writeFileSync(path.join(out, 'k8s/dev/stray.k8s.yaml'), 'kind: Stray\n');
    synthesizePlatform(fleet, out, { cache: cacheDir, ...options });
    const full = path.join(dir(), 'full');
    synthesizePlatform(fleet, full, options);
    expect(fileTree(out)).toEqual(fileTree(full));
  });
});

describe('a synthesis killed while its Terraform stacks waited aside', () => {
  const dir = scratchDir('abandoned-asides');

  it('leaves a folder aside that the next synthesis removes, unless its process still runs', () => {
    const out = path.join(dir(), 'out');
    const dead = spawnSync('true').pid as number;
    const abandoned = path.join(out, `.gcp.${dead}.0`);
    const running = path.join(out, `.gcp.${process.ppid}.1`);
    for (const folder of [abandoned, running]) fs.mkdirSync(path.join(folder, 'stacks'), { recursive: true });
    synthesizePlatform(shop, out, { sides: ['gcp'] });
    expect(fs.existsSync(abandoned)).toBe(false);
    expect(fs.existsSync(running)).toBe(true);
    expect(fs.existsSync(path.join(out, 'gcp/manifest.json'))).toBe(true);
  });
});
