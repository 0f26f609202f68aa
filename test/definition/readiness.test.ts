import { DefinitionError, READINESS_DEFAULTS, READINESS_ITEMS, ReadinessInput, defineService, definePlatform, loadPlatform, resolveEnvironment } from '../../lib/definition';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bad, platform, service } from '../fixtures/definitions';

/** The issue lines of a service whose readiness settings must be refused. */
function problems(readiness: unknown): readonly string[] {
  try {
    defineService(service({ readiness: bad<ReadinessInput>(readiness) }));
  } catch (error) {
    if (error instanceof DefinitionError) return error.lines;
    throw error;
  }
  throw new Error('expected a DefinitionError, but the definition was accepted');
}

const WAIVER = { item: 'operations.autoscaling', reason: 'runs as a singleton until the queue is partitioned (PAY-118)', expires: '2027-03-31' };

describe('readiness waivers in the service definition', () => {
  it('default to none', () => {
    expect(defineService(service()).readiness).toEqual({ waivers: [] });
    expect(READINESS_DEFAULTS.waivers).toEqual([]);
  });

  it('keep each waiver as written, sorted by item, into every environment', () => {
    const input = service({ readiness: { waivers: [WAIVER, { item: 'alerting.escalation', reason: 'on-call rota starts in January', expires: '2027-01-15' }] } });
    const defined = defineService(input);
    expect(defined.readiness.waivers.map((w) => w.item)).toEqual(['alerting.escalation', 'operations.autoscaling']);
    expect(defined.readiness.waivers[1]).toEqual(WAIVER);
    const p = definePlatform(platform({ services: [defined] }));
    expect(resolveEnvironment(p, 'checkout', 'prod').readiness).toEqual(defined.readiness);
  });

  it('refuse an item that is not on the checklist, with the closest item as a hint', () => {
    expect(problems({ waivers: [{ ...WAIVER, item: 'operations.autoscale' }] })).toEqual([
      `checkout.readiness.waivers[0].item: must be an item of the readiness checklist; did you mean operations.autoscaling? (items: ${READINESS_ITEMS.join(', ')}) (got "operations.autoscale")`,
    ]);
    expect(problems({ waivers: [{ ...WAIVER, item: 'everything' }] })).toEqual([
      `checkout.readiness.waivers[0].item: must be an item of the readiness checklist (items: ${READINESS_ITEMS.join(', ')}) (got "everything")`,
    ]);
  });

  it('refuse a second waiver of the same item', () => {
    expect(problems({ waivers: [WAIVER, { ...WAIVER, reason: 'again' }] })).toEqual([
      'checkout.readiness.waivers[1].item: duplicates readiness.waivers[0].item: an item is waived once, with one reason and one expiry (got "operations.autoscaling")',
    ]);
  });

  it('refuse a waiver without a reason, or with one too long or with control characters', () => {
    expect(problems({ waivers: [{ ...WAIVER, reason: '  ' }] })).toEqual(['checkout.readiness.waivers[0].reason: must say why the item may fail for now (got "  ")']);
    expect(problems({ waivers: [{ ...WAIVER, reason: 'x'.repeat(501) }] })).toEqual([
      `checkout.readiness.waivers[0].reason: must be at most 500 characters long (has 501) (got "${'x'.repeat(196)}...)`,
    ]);
    expect(problems({ waivers: [{ ...WAIVER, reason: 'ok\u001b[2J' }] })).toEqual([
      'checkout.readiness.waivers[0].reason: must not contain control characters (NUL, escape sequences and the like) (got "ok\\u001b[2J")',
    ]);
  });

  it('refuse an expiry that is not a calendar date', () => {
    expect(problems({ waivers: [{ ...WAIVER, expires: '2027-02-30' }] })).toEqual(['checkout.readiness.waivers[0].expires: must be a calendar date written YYYY-MM-DD, such as 2027-03-31 (got "2027-02-30")']);
    expect(problems({ waivers: [{ ...WAIVER, expires: '31.03.2027' }] })).toEqual(['checkout.readiness.waivers[0].expires: must be a calendar date written YYYY-MM-DD, such as 2027-03-31 (got "31.03.2027")']);
    expect(problems({ waivers: [{ ...WAIVER, expires: '2027-03-31T00:00:00Z' }] })).toEqual([
      'checkout.readiness.waivers[0].expires: must be a calendar date written YYYY-MM-DD, such as 2027-03-31 (got "2027-03-31T00:00:00Z")',
    ]);
  });

  it('refuse waivers of the wrong shape and unknown fields', () => {
    expect(problems({ waivers: { item: 'x' } })).toEqual(['checkout.readiness.waivers: must be a list of waivers { item, reason, expires } (got {"item":"x"})']);
    expect(problems({ waivers: [{ item: 'operations.autoscaling', reason: 'r' }] })).toEqual(['checkout.readiness.waivers[0].expires: must be a calendar date written YYYY-MM-DD, such as 2027-03-31 (got undefined)']);
    expect(problems({ waiver: [] })).toEqual(['checkout.readiness.waiver: is not a known field; did you mean waivers? (got [])']);
    expect(problems({ waivers: [{ ...WAIVER, expiry: '2027-01-01' }] })).toEqual(['checkout.readiness.waivers[0].expiry: is not a known field; did you mean expires? (got "2027-01-01")']);
  });

  it('report every problem of every waiver at once', () => {
    expect(problems({ waivers: [{ item: 'nope', reason: '', expires: 'soon' }, WAIVER, WAIVER] })).toHaveLength(4);
  });

  it('read from a definition file, unquoted dates as written, each problem at its line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-readiness-'));
    const file = path.join(dir, 'platform.yaml');
    const yaml = [
      'name: shop',
      'environments: [prod]',
      'runbookBaseUrl: https://runbooks.example.com/shop',
      'dashboardBaseUrl: https://grafana.example.com',
      'prometheusUrl: http://prometheus-operated.monitoring:9090',
      'receivers: { pager: { type: pagerduty, routingKeySecret: { name: pd, key: key } } }',
      'defaultAlertRouting: { critical: pager, high: pager, medium: none, low: none }',
      'services:',
      '  - name: checkout',
      '    team: payments',
      '    tier: critical',
      '    image: registry.example.com/payments/checkout:1.4.2',
      '    readiness:',
      '      waivers:',
      '        - { item: operations.autoscaling, reason: singleton, expires: 2027-13-01 }',
      '        - { item: alerting.escalation, reason: rota from January, expires: 2027-01-15 }',
    ].join('\n');
    fs.writeFileSync(file, yaml);
    try {
      // An unquoted date stays the string written: only the impossible one is refused.
      expect(() => loadPlatform(file)).toThrow(
        'Invalid platform "shop" (1 problem):\n  - platform.yaml:15:62: checkout.readiness.waivers[0].expires: must be a calendar date written YYYY-MM-DD, such as 2027-03-31 (got "2027-13-01")',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
