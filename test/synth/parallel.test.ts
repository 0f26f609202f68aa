import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DefinitionError, PlatformDefinition, ServiceDefinitionInput } from '../../lib';
import { MAX_JOBS, parseJobs, synthesizePlatform, servicesInTurn } from '../../lib/synth';
import { checkJobs, posted, revived, startUnitThreads } from '../../lib/synth/parallel';
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
    const cache = path.join(dir(), 'cache');
    const out = path.join(dir(), 'incremental');
    const steps: [PlatformDefinition, { hits: number; misses: number }][] = [
      [shop, { hits: 0, misses: 9 }],
      [shop, { hits: 9, misses: 0 }],
      [platformWith((s) => s.map((x, i) => (i === 0 ? { ...x, replicas: 5 } : x))), { hits: 6, misses: 3 }],
      [platformWith((s) => s.slice(1)), { hits: 6, misses: 0 }],
    ];
    steps.forEach(([platform, counts], i) => {
      const full = path.join(dir(), `incremental-full-${i}`);
      synthesizePlatform(platform, full, REPORT_ONLY);
      const summary = synthesizePlatform(platform, out, { cache, jobs: 2, ...REPORT_ONLY });
      expect(fileTree(out)).toEqual(fileTree(full));
      expect(summary.cache).toEqual(counts);
    });
  });

  it('throws the failure of the first failing unit, as one thread does, and writes nothing after', () => {
    // Folders where two units' manifests go make their writes fail: orders in dev is the first unit.
    const block = (out: string): void => {
      for (const file of ['k8s/dev/orders.k8s.yaml', 'k8s/prod/search.k8s.yaml']) fs.mkdirSync(path.join(out, file), { recursive: true });
    };
    const failure = (out: string, jobs: number): string => {
      block(out);
      try {
        synthesizePlatform(shop, out, { clean: false, sides: ['k8s'], jobs, ...REPORT_ONLY });
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('the synthesis did not fail');
    };
    const one = failure(path.join(dir(), 'failing-one'), 1);
    expect(one).toContain(path.join('k8s', 'dev', 'orders.k8s.yaml'));
    const out = path.join(dir(), 'failing-two');
    expect(failure(out, 2)).toBe(one.split(path.join(dir(), 'failing-one')).join(out));
  });
});

describe('the threads of a synthesis', () => {
  const dir = scratchDir('parallel-threads');

  it('stop taking units when told to, and are finished when dispose returns', () => {
    const out = path.join(dir(), 'out');
    const services = servicesInTurn(shop);
    const units = services.map((service, index) => ({ service: index, name: service.name, environment: service.environment, sides: ['k8s', 'prometheus', 'runbooks'] }));
    const threads = startUnitThreads({ platform: shop, environments: shop.environments.map((env) => env.name), outdir: out, units }, 2);
    const pause = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    // Told while they are at work: once the first unit's files are there.
    for (const until = Date.now() + 60_000; !fs.existsSync(path.join(out, 'k8s')) && Date.now() < until; ) pause(10);
    threads.dispose();
    const written = fileTree(out);
    expect(Object.keys(written).length).toBeGreaterThan(0);
    // Nothing is written once dispose has returned.
    pause(500);
    expect(fileTree(out)).toEqual(written);
    expect(() => threads.finish()).toThrow();
  });

  it('build the units of the work and give their outcomes in order', () => {
    const out = path.join(dir(), 'outcomes');
    const services = servicesInTurn(shop);
    const units = services.map((service, index) => ({ service: index, name: service.name, environment: service.environment, sides: ['k8s'] }));
    const threads = startUnitThreads({ platform: shop, environments: shop.environments.map((env) => env.name), outdir: out, units }, 2);
    const outcomes = threads.finish();
    expect(outcomes.map((outcome) => outcome.written)).toEqual(services.map((service) => [`k8s/${service.environment}/${service.name}.k8s.yaml`]));
    expect(outcomes.every((outcome) => outcome.summary.objectsPerKind.Deployment === 1 || outcome.summary.objectsPerKind.Rollout === 1)).toBe(true);
    expect(Object.keys(fileTree(out)).sort()).toEqual(services.map((service) => `k8s/${service.environment}/${service.name}.k8s.yaml`).sort());
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

  it('come back as an Error with their message otherwise', () => {
    const back = revived(structuredClone(posted(new TypeError('x is not a function'))));
    expect(back).toBeInstanceOf(Error);
    expect([back.name, back.message]).toEqual(['TypeError', 'x is not a function']);
    expect(revived(structuredClone(posted('thrown text'))).message).toBe('thrown text');
  });
});
