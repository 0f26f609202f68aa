import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DefinitionError, PlatformDefinition, ServiceDefinitionInput, SynthProgress } from '../../lib';
import { MAX_JOBS, parseJobs, synthesizePlatform, servicesInTurn } from '../../lib/synth';
import { UnitJob, checkJobs, posted, revived, startUnitThreads } from '../../lib/synth/parallel';
import { UnitBuilder } from '../../lib/synth/units';
import { FileWriter } from '../../lib/private/file-writer';
import { BASE_SERVICE, testPlatformWith } from '../fixtures/services';
import { scratchDir } from '../support/tools';
import { fileTree } from '../support/files';

const SERVICES: readonly ServiceDefinitionInput[] = [
  { ...BASE_SERVICE, name: 'orders', slos: [{ kind: 'availability', name: 'availability', objective: 99.9 }], delivery: { strategy: 'canary' } },
  { ...BASE_SERVICE, name: 'payments', team: 'billing', tier: 'critical', slos: [{ kind: 'latency', name: 'latency', objective: 99, thresholdSeconds: 0.25 }] },
  { ...BASE_SERVICE, name: 'search', team: 'discovery', tier: 'medium' },
];

function platformWith(edit: (services: ServiceDefinitionInput[]) => ServiceDefinitionInput[] = (s) => s): PlatformDefinition {
  return testPlatformWith({ environments: [{ name: 'dev' }, { name: 'staging' }, { name: 'prod', production: true }] }, ...edit(SERVICES.map((s) => ({ ...s }))));
}

const shop = platformWith();

/** The fixture is not ready for production; its readiness report is written, not enforced. */
const REPORT_ONLY = { enforceReadiness: false, today: '2026-12-02' } as const;

describe('jobs', () => {
  it('default to 1 and take whole numbers up to MAX_JOBS', () => {
    expect(MAX_JOBS).toBe(64);
    expect(checkJobs(1)).toBe(1);
    expect(checkJobs(MAX_JOBS)).toBe(MAX_JOBS);
    expect(parseJobs(' 4 ')).toBe(4);
  });

  it.each([0, -1, 1.5, 65, Number.NaN, '2'])('refuses %p naming the field and what is allowed', (jobs) => {
    expect(() => checkJobs(jobs)).toThrow(DefinitionError);
    expect(() => checkJobs(jobs)).toThrow(`jobs: must be a whole number from 1 to 64 (got ${typeof jobs === 'string' ? JSON.stringify(jobs) : String(jobs)})`);
  });

  it.each(['0', '65', 'two', '2.5', '', '-3'])('refuses %j on a command line', (text) => {
    expect(() => parseJobs(text)).toThrow('jobs: must be a whole number from 1 to 64');
  });

  it('are checked by synthesizePlatform before anything is written', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ops-constructs-jobs-')), 'out');
    expect(() => synthesizePlatform(shop, out, { jobs: 0, ...REPORT_ONLY })).toThrow('jobs: must be a whole number from 1 to 64 (got 0)');
    expect(fs.existsSync(out)).toBe(false);
    fs.rmSync(path.dirname(out), { recursive: true });
  });
});

describe('synthesis on several threads', () => {
  const dir = scratchDir('parallel');

  it('writes the same files, byte for byte, and the same summary as one thread', () => {
    const one = synthesizePlatform(shop, path.join(dir(), 'one'), REPORT_ONLY);
    for (const jobs of [2, 3]) {
      const out = path.join(dir(), `jobs-${jobs}`);
      const summary = synthesizePlatform(shop, out, { jobs, ...REPORT_ONLY });
      expect(fileTree(out)).toEqual(fileTree(path.join(dir(), 'one')));
      expect(summary).toEqual(one);
    }
    // Every side ran: the threads wrote the services' files, this thread the platform-wide ones.
    expect(one.files).toEqual(expect.arrayContaining(['k8s/prod/orders.k8s.yaml', 'prometheus/dev/search.rules.yaml', 'runbooks/index.md', 'gcp/stacks/acme-prod/cdk.tf.json', 'readiness.json']));
  });

  it('writes each shard as one thread does', () => {
    for (const index of [1, 2]) {
      const one = path.join(dir(), `shard-one-${index}`);
      const two = path.join(dir(), `shard-two-${index}`);
      synthesizePlatform(shop, one, { shard: { index, count: 2 }, ...REPORT_ONLY });
      synthesizePlatform(shop, two, { shard: { index, count: 2 }, jobs: 2, ...REPORT_ONLY });
      expect(fileTree(two)).toEqual(fileTree(one));
    }
  });

  it('goes through the cache as one thread does, over a sequence of edits into one folder', () => {
    const steps: PlatformDefinition[] = [shop, shop, platformWith((s) => s.map((x, i) => (i === 0 ? { ...x, replicas: 5 } : x))), platformWith((s) => s.slice(1))];
    const counts: { hits: number; misses: number }[][] = [[], []];
    steps.forEach((platform, i) => {
      const full = path.join(dir(), `incremental-full-${i}`);
      synthesizePlatform(platform, full, REPORT_ONLY);
      for (const jobs of [1, 2]) {
        const out = path.join(dir(), `incremental-${jobs}`);
        const summary = synthesizePlatform(platform, out, { cache: path.join(dir(), `cache-${jobs}`), jobs, ...REPORT_ONLY });
        expect(fileTree(out)).toEqual(fileTree(full));
        counts[jobs - 1].push(summary.cache as { hits: number; misses: number });
      }
    });
    // The same entries are read and built as on one thread: 9 units built, then read, then one service's 3 built.
    expect(counts[1]).toEqual(counts[0]);
    expect(counts[0].map((c) => c.misses)).toEqual([9, 0, 3, 0]);
  });

  it('throws the failure of the first failing unit, as one thread does, and leaves what one thread leaves', () => {
    // Folders where two units' manifests go make their writes fail: orders in dev is the first unit.
    const block = (out: string): void => {
      for (const file of ['k8s/dev/orders.k8s.yaml', 'k8s/prod/search.k8s.yaml']) fs.mkdirSync(path.join(out, file), { recursive: true });
    };
    const failure = (out: string, jobs: number): string => {
      block(out);
      try {
        synthesizePlatform(shop, out, { clean: false, jobs, ...REPORT_ONLY });
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('the synthesis did not fail');
    };
    const one = failure(path.join(dir(), 'failing-one'), 1);
    expect(one).toContain(path.join('k8s', 'dev', 'orders.k8s.yaml'));
    const out = path.join(dir(), 'failing-two');
    expect(failure(out, 2)).toBe(one.split(path.join(dir(), 'failing-one')).join(out));
    // The Terraform stacks, built early on several threads, are not placed: no gcp/, nothing aside.
    expect(fs.readdirSync(out).sort()).toEqual(fs.readdirSync(path.join(dir(), 'failing-one')).sort());
    expect(fs.existsSync(path.join(out, 'gcp'))).toBe(false);
    expect(Object.keys(fileTree(out)).sort()).toEqual(Object.keys(fileTree(path.join(dir(), 'failing-one'))).sort());
  });

  it('reports progress unit by unit while the threads build, as one thread does', () => {
    const progress = (jobs: number): SynthProgress[] => {
      const seen: SynthProgress[] = [];
      synthesizePlatform(shop, path.join(dir(), `progress-${jobs}`), { jobs, onProgress: (p) => seen.push(p), ...REPORT_ONLY });
      return seen;
    };
    const one = progress(1);
    const two = progress(2);
    const sides = (seen: SynthProgress[]): string[] => seen.map((p) => p.side).filter((side, i, all) => side !== all[i - 1]);
    expect(sides(two)).toEqual(sides(one));
    const units = (seen: SynthProgress[]): SynthProgress[] => seen.filter((p) => p.side === 'k8s');
    // 0, 1, ... 9 of 9, each environment as often; the order of the environments is the threads'.
    expect(units(two).map((p) => [p.done, p.total])).toEqual(units(one).map((p) => [p.done, p.total]));
    expect(units(two).map((p) => p.environment).sort()).toEqual(units(one).map((p) => p.environment).sort());
    expect(units(one).map((p) => p.done)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('run the TypeScript sources from any working folder', () => {
    const here = process.cwd();
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-constructs-elsewhere-'));
    try {
      process.chdir(elsewhere);
      synthesizePlatform(shop, path.join(dir(), 'elsewhere'), { jobs: 2, sides: ['k8s'], ...REPORT_ONLY });
    } finally {
      process.chdir(here);
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
    expect(Object.keys(fileTree(path.join(dir(), 'elsewhere')))).toContain('k8s/prod/orders.k8s.yaml');
  });
});

describe('the threads of a synthesis', () => {
  const dir = scratchDir('parallel-threads');
  const environments = shop.environments.map((env) => env.name);
  const unitsOn = (sides: string[]): UnitJob[] => servicesInTurn(shop).map((service, index) => ({ service: index, name: service.name, environment: service.environment, sides }));

  it('build every unit when this thread does not help, with the outcomes this thread builds, in order', () => {
    const out = path.join(dir(), 'outcomes');
    const units = unitsOn(['k8s', 'prometheus']);
    const outcomes = startUnitThreads({ platform: shop, environments, outdir: out, units }, 2).finish();
    const here = path.join(dir(), 'outcomes-here');
    const writer = new FileWriter();
    const builder = new UnitBuilder(shop, here, (files) => files.forEach((file) => writer.write(path.join(here, file.path), file.content)));
    const services = servicesInTurn(shop);
    const expected = units.map((job) => builder.build(services[job.service], job.sides));
    writer.close();
    expect(outcomes).toEqual(expected);
    expect(outcomes.map((outcome) => outcome.written[0])).toEqual(services.map((service) => `k8s/${service.environment}/${service.name}.k8s.yaml`));
    expect(fileTree(out)).toEqual(fileTree(here));
  });

  it('stop taking units when told to, and are finished when dispose returns', () => {
    const out = path.join(dir(), 'out');
    // The same 9 units, 6 times over: more than the threads build in the time it takes to stop them.
    const units = Array.from({ length: 6 }, () => unitsOn(['k8s', 'prometheus', 'runbooks'])).flat();
    let done = 0;
    const threads = startUnitThreads({ platform: shop, environments, outdir: out, units }, 2, { onUnit: (count) => (done = count) });
    const pause = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    // Told while they are at work: once the first unit's files are there.
    for (const until = Date.now() + 60_000; !fs.existsSync(path.join(out, 'k8s')) && Date.now() < until; ) pause(10);
    threads.dispose();
    const written = fileTree(out);
    expect(Object.keys(written).length).toBeGreaterThan(0);
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(units.length);
    // Nothing is written once dispose has returned.
    pause(500);
    expect(fileTree(out)).toEqual(written);
    expect(() => threads.finish()).toThrow(/^unit \d+ \(\w+ in \w+\) was not built by any thread$/);
  });

  it("throw a worker's failure of the first failing unit, not a later one's", () => {
    const units = unitsOn(['k8s']);
    // A unit that names another service than the one at its position fails on the thread that takes it.
    const wrong = (unit: number): UnitJob => ({ ...units[unit], name: 'nobody' });
    const work = { platform: shop, environments, outdir: path.join(dir(), 'wrong'), units: units.map((job, unit) => (unit === 2 || unit === 5 ? wrong(unit) : job)) };
    expect(() => startUnitThreads(work, 2).finish()).toThrow(`unit 2 is nobody in ${units[2].environment}, but this thread resolved ${units[2].name} in ${units[2].environment} there`);
  });

  it('fail, not hang, when a thread cannot load its module', () => {
    const work = { platform: shop, environments, outdir: path.join(dir(), 'missing'), units: unitsOn(['k8s']) };
    expect(() => startUnitThreads(work, 2, { module: path.join(dir(), 'no-such-module.js') }).finish()).toThrow(/Cannot find module '.*no-such-module\.js'/);
  });

  it('fail, not hang, when a thread exits', () => {
    const work = { platform: shop, environments, outdir: path.join(dir(), 'exits'), units: unitsOn(['k8s']) };
    const exits = path.join(__dirname, '..', 'fixtures', 'threads', 'exits.js');
    expect(() => startUnitThreads(work, 2, { module: exits }).finish()).toThrow('a synthesis thread stopped before it had finished: it exited with code 3');
  });

  it('fail, not hang, when a thread runs out of memory, naming the unit it was at', () => {
    const out = path.join(dir(), 'memory');
    const work = { platform: shop, environments, outdir: out, units: unitsOn(['k8s']) };
    const threads = startUnitThreads(work, 1, { resourceLimits: { maxOldGenerationSizeMb: 8 } });
    expect(() => threads.finish()).toThrow(/^a synthesis thread stopped before it had finished(, at \w+ in \w+)?: ERR_WORKER_OUT_OF_MEMORY: /);
  });
});

describe('errors posted by a thread', () => {
  it('come back as the same DefinitionError, with its message and issues', () => {
    const error = new DefinitionError('service "orders"', [{ path: 'orders.slos[0].goodQuery', problem: 'must be a PromQL expression', value: 'sum(' }]);
    const back = revived(structuredClone(posted(error)));
    expect(back).toBeInstanceOf(DefinitionError);
    expect(back.name).toBe('DefinitionError');
    expect(back.message).toBe(error.message);
    expect((back as DefinitionError).issues).toEqual(error.issues);
    expect(back.stack).toBe(error.stack);
  });

  it('come back as the built-in error of their class, a Node.js error with its code', () => {
    const back = revived(structuredClone(posted(new TypeError('x is not a function'))));
    expect(back).toBeInstanceOf(TypeError);
    expect([back.name, back.message]).toEqual(['TypeError', 'x is not a function']);
    const system = (() => {
      try {
        fs.readFileSync(path.join(os.tmpdir(), 'ops-constructs-no-such-file'));
      } catch (error) {
        return error as NodeJS.ErrnoException;
      }
      throw new Error('the file exists');
    })();
    const backSystem = revived(structuredClone(posted(system))) as NodeJS.ErrnoException;
    expect([backSystem.code, backSystem.syscall, backSystem.path, backSystem.errno, backSystem.message]).toEqual(['ENOENT', 'open', system.path, system.errno, system.message]);
  });

  it('come back as an Error with their message otherwise', () => {
    class OwnError extends Error {
      public override readonly name = 'OwnError';
    }
    const back = revived(structuredClone(posted(new OwnError('of its own'))));
    expect([back instanceof Error, back.name, back.message]).toEqual([true, 'OwnError', 'of its own']);
    expect(revived(structuredClone(posted('thrown text'))).message).toBe('thrown text');
  });

  it('can be posted when an issue holds a value structured clone refuses', () => {
    const error = new DefinitionError('service "orders"', [
      { path: 'orders.hook', problem: 'must be a string', value: function hook(): void {} },
      { path: 'orders.tag', problem: 'must be a string', value: Symbol('tag') },
      { path: 'orders.name', problem: 'must be lower case', value: 'Orders' },
    ]);
    const back = revived(structuredClone(posted(error))) as DefinitionError;
    expect(back.message).toBe(error.message);
    expect(back.issues.map((issue) => issue.value)).toEqual(['[function hook]', 'Symbol(tag)', 'Orders']);
  });
});
