import * as fs from 'fs';
import * as path from 'path';
import { DefinitionError, READINESS_ITEMS } from '../../lib/definition';
import { ALL_SIDES, synthesizePlatform } from '../../lib/synth';
import { READY, TODAY, readinessPlatform } from '../readiness/fixtures';
import { scratchDir } from '../support/tools';

/** A critical service that fails three items in prod, and waives a fourth. */
const LEDGER = {
  name: 'ledger',
  team: 'finance',
  contacts: { owners: ['finance@example.com'], escalation: ['finance-oncall@example.com'] },
  tier: 'critical' as const,
  image: 'registry.example.com/finance/ledger:3.1.0',
  port: 8080,
  replicas: 3,
  autoscaling: false as const,
  resources: READY.resources,
  // A game day held by hand, with no experiments declared: a warning, not a fail.
  gameDays: { lastHeld: '2026-11-10' },
  readiness: { waivers: [{ item: 'operations.autoscaling', reason: 'a single writer until FIN-9 partitions the queue', expires: '2027-03-31' }] },
  environments: { prod: { alertRouting: { high: 'none' as const, highOutsideBusinessHours: 'none' as const } } },
};

function refusal(run: () => unknown): DefinitionError {
  try {
    run();
  } catch (error) {
    if (error instanceof DefinitionError) return error;
    throw error;
  }
  throw new Error('the synthesis went through');
}

describe('synthesizePlatform and production readiness', () => {
  const dir = scratchDir('synth-readiness');
  const ready = readinessPlatform([READY]);
  const incomplete = readinessPlatform([READY, LEDGER]);

  it('writes readiness.md and readiness.json of the production services, and lists them among the files', () => {
    const out = path.join(dir(), 'ready');
    const summary = synthesizePlatform(ready, out, { sides: ['k8s', 'readiness'], today: TODAY });
    expect(summary.files.slice(-2)).toEqual(['readiness.json', 'readiness.md']);
    expect(summary.readiness?.services.map((s) => `${s.environment}/${s.service}`)).toEqual(['prod/orders']);
    expect(fs.readFileSync(path.join(out, 'readiness.md'), 'utf8')).toContain('## orders in prod');
    expect(JSON.parse(fs.readFileSync(path.join(out, 'readiness.json'), 'utf8')).services[0].counts).toEqual({ fail: 0, pass: READINESS_ITEMS.length, warn: 0 });
    expect(ALL_SIDES).toContain('readiness');
  });

  it('fails a production synthesis on every unwaived fail, with its field, after writing every file', () => {
    const out = path.join(dir(), 'incomplete');
    const error = refusal(() => synthesizePlatform(incomplete, out, { sides: ['k8s', 'prometheus', 'readiness'], today: TODAY }));
    expect(error.message).toBe(
      [
        'Invalid production readiness of platform "acme" (3 problems):',
        '  - ledger.delivery.strategy: fails readiness item deployment.progressive-delivery (critical services release progressively, by canary or blue/green) in prod: releases by rolling update: a bad version reaches every pod with no analysis to stop it; choose canary or blue-green; fix it, or waive it in ledger.readiness.waivers with a reason and an expiry date (got "rolling")',
        '  - ledger.slos: fails readiness item monitoring.slos (SLOs are defined and alerted on) in prod: no SLOs: nothing measures what users get, and no error budget gates releases; fix it, or waive it in ledger.readiness.waivers with a reason and an expiry date (got [])',
        '  - ledger.environments.prod.alertRouting.high: fails readiness item alerting.symptoms (alerts page on symptoms users feel) in prod: the symptom alerts (ServiceErrorRateHigh) are high, which environment prod routes to none: they page nobody; fix it, or waive it in ledger.readiness.waivers with a reason and an expiry date (got "none")',
      ].join('\n'),
    );
    expect(fs.existsSync(path.join(out, 'k8s/prod/ledger.k8s.yaml'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'prometheus/prod/ledger.rules.yaml'))).toBe(true);
    expect(fs.readFileSync(path.join(out, 'readiness.md'), 'utf8')).toContain('| `operations.autoscaling` | fail (waived until 2027-03-31) |');
  });

  it('writes the report and goes on when told not to enforce it', () => {
    const out = path.join(dir(), 'lenient');
    const summary = synthesizePlatform(incomplete, out, { sides: ['readiness'], today: TODAY, enforceReadiness: false });
    expect(summary.readiness?.services.find((s) => s.service === 'ledger')?.blocking).toBe(3);
    expect(fs.readFileSync(path.join(out, 'readiness.md'), 'utf8')).toContain('## ledger in prod');
  });

  it('checks every production service in shard 1, which writes the report, and nothing in the other shards', () => {
    const first = synthesizePlatform(incomplete, path.join(dir(), 'shard-1'), { shard: { index: 1, count: 2 }, today: TODAY, enforceReadiness: false });
    expect(first.readiness?.services.map((s) => s.service)).toEqual(['ledger', 'orders']);
    expect(first.files).toEqual(expect.arrayContaining(['readiness.json', 'readiness.md']));
    const second = synthesizePlatform(incomplete, path.join(dir(), 'shard-2'), { shard: { index: 2, count: 2 }, today: TODAY });
    expect(second.readiness).toBeUndefined();
    expect(second.files.filter((f) => f.startsWith('readiness'))).toEqual([]);
    expect(refusal(() => synthesizePlatform(incomplete, path.join(dir(), 'shard-1'), { shard: { index: 1, count: 2 }, today: TODAY, sides: ['readiness'] })).issues).toHaveLength(3);
  });

  it('keeps the findings with the cached services, and applies the waivers for the day of each run', () => {
    const cache = path.join(dir(), 'cache');
    const sides = ['k8s', 'readiness'] as const;
    const waived = (today: string) => synthesizePlatform(incomplete, path.join(dir(), `cached-${today}`), { sides, today, cache, enforceReadiness: false });
    const built = waived(TODAY);
    const cached = waived('2027-04-01');
    expect(cached.cache).toEqual({ hits: built.cache!.misses, misses: 0 });
    const autoscaling = (summary: typeof built) => summary.readiness?.services.find((s) => s.service === 'ledger')?.items.find((i) => i.item === 'operations.autoscaling');
    expect(autoscaling(built)).toMatchObject({ status: 'fail', blocking: false });
    expect(autoscaling(cached)).toMatchObject({ status: 'fail', blocking: true, reason: 'autoscaling is off: a fixed 3 replicas whatever the load; the waiver expired on 2027-03-31' });
    const fresh = synthesizePlatform(incomplete, path.join(dir(), 'uncached'), { sides, today: '2027-04-01', enforceReadiness: false });
    expect(cached.readiness).toEqual(fresh.readiness);
  });

  it('checks nothing when the readiness side is left out', () => {
    const out = path.join(dir(), 'without');
    const summary = synthesizePlatform(incomplete, out, { sides: ['k8s'], today: TODAY });
    expect(summary.readiness).toBeUndefined();
    expect(fs.existsSync(path.join(out, 'readiness.md'))).toBe(false);
  });

  it('builds what it checks when the Kubernetes side is left out, to the same report', () => {
    const alone = path.join(dir(), 'alone');
    const both = path.join(dir(), 'both');
    expect(synthesizePlatform(ready, alone, { sides: ['readiness'], today: TODAY }).files).toEqual(['readiness.json', 'readiness.md']);
    synthesizePlatform(ready, both, { sides: ['k8s', 'readiness'], today: TODAY });
    for (const file of ['readiness.json', 'readiness.md']) expect(fs.readFileSync(path.join(alone, file), 'utf8')).toBe(fs.readFileSync(path.join(both, file), 'utf8'));
  });

  it('removes stale readiness files, and refuses a day that is no date before writing anything', () => {
    const out = path.join(dir(), 'stale');
    synthesizePlatform(ready, out, { sides: ['readiness'], today: TODAY });
    expect(refusal(() => synthesizePlatform(ready, out, { sides: ['k8s', 'readiness'], today: '2026-13-01' })).message).toBe(
      'Invalid readiness options (1 problem):\n  - today: must be a calendar date written YYYY-MM-DD, such as 2027-03-31 (got "2026-13-01")',
    );
    expect(fs.readdirSync(out)).toEqual([]);
  });
});
