import { RIGHT_SIZING_DEFAULTS, defineService, definePlatform, resolveEnvironment } from '../../lib/definition';
import { definitionErrorOf } from '../support/tools';
import { platform, service } from '../fixtures/definitions';

/** The issue lines a definition is refused with. */
const refusal = (run: () => unknown): string[] => definitionErrorOf(run).split('\n').slice(1).map((l) => l.trim().replace(/^- /, ''));

describe('right-sizing of a service', () => {
  it('is on by default, with a factor of 2, 20% headroom and memory near its limit from 90%', () => {
    expect(defineService(service()).rightSizing).toEqual({ enabled: true, factor: 2, headroomPercent: 20, memoryNearLimitPercent: 90 });
    expect(RIGHT_SIZING_DEFAULTS).toEqual({ enabled: true, factor: 2, headroomPercent: 20, memoryNearLimitPercent: 90 });
  });

  it.each([
    ['enabled', { enabled: false }, { ...RIGHT_SIZING_DEFAULTS, enabled: false }],
    ['factor', { factor: 3.5 }, { ...RIGHT_SIZING_DEFAULTS, factor: 3.5 }],
    ['headroomPercent', { headroomPercent: 30 }, { ...RIGHT_SIZING_DEFAULTS, headroomPercent: 30 }],
    ['memoryNearLimitPercent', { memoryNearLimitPercent: 85 }, { ...RIGHT_SIZING_DEFAULTS, memoryNearLimitPercent: 85 }],
  ])('takes %s as given and keeps the other defaults', (_field, input, expected) => {
    expect(defineService(service({ rightSizing: input })).rightSizing).toEqual(expected);
  });

  it('can be turned off in one environment', () => {
    const p = definePlatform(platform({ services: [defineService(service({ environments: { dev: { rightSizing: { enabled: false } } } }))] }));
    expect(resolveEnvironment(p, 'checkout', 'dev').rightSizing.enabled).toBe(false);
    expect(resolveEnvironment(p, 'checkout', 'prod').rightSizing.enabled).toBe(true);
  });

  it('refuses a factor of 1 or less, or above 100, and one that is not a number', () => {
    expect(refusal(() => defineService(service({ rightSizing: { factor: 1 } })))).toEqual(['checkout.rightSizing.factor: must be a number greater than 1 and at most 100 (got 1)']);
    expect(refusal(() => defineService(service({ rightSizing: { factor: 101 } })))).toEqual(['checkout.rightSizing.factor: must be a number greater than 1 and at most 100 (got 101)']);
    expect(refusal(() => defineService(service({ rightSizing: { factor: '2' } })))).toEqual(['checkout.rightSizing.factor: must be a number greater than 1 and at most 100 (got "2")']);
  });

  it('refuses a headroom that is not a whole percentage from 0 to 100', () => {
    expect(refusal(() => defineService(service({ rightSizing: { headroomPercent: 12.5 } })))).toEqual(['checkout.rightSizing.headroomPercent: must be an integer from 0 to 100 (got 12.5)']);
    expect(refusal(() => defineService(service({ rightSizing: { headroomPercent: -1, factor: 3 } })))).toEqual(['checkout.rightSizing.headroomPercent: must be an integer from 0 to 100 (got -1)']);
  });

  it('refuses a memory threshold that is not a whole percentage from 1 to 99', () => {
    expect(refusal(() => defineService(service({ rightSizing: { memoryNearLimitPercent: 100 } })))).toEqual(['checkout.rightSizing.memoryNearLimitPercent: must be an integer from 1 to 99 (got 100)']);
    expect(refusal(() => defineService(service({ rightSizing: { memoryNearLimitPercent: 0 } })))).toEqual(['checkout.rightSizing.memoryNearLimitPercent: must be an integer from 1 to 99 (got 0)']);
  });

  it('refuses a factor the suggested requests would exceed, naming the setting given and the default it meets', () => {
    expect(refusal(() => defineService(service({ rightSizing: { factor: 1.2 } })))).toEqual([
      'checkout.rightSizing.factor: must be greater than 1 + headroomPercent / 100, 1.2 with headroomPercent 20, the default: a request suggested at the 7-day p95 plus headroom would itself count as over-provisioned (got 1.2)',
    ]);
    expect(refusal(() => defineService(service({ rightSizing: { headroomPercent: 100 } })))).toEqual([
      'checkout.rightSizing.headroomPercent: must be less than 100 with factor 2, the default: a request suggested at the 7-day p95 plus headroom would itself count as over-provisioned (got 100)',
    ]);
  });

  it('refuses a headroom that would put a suggested memory limit within the near-limit alert, whichever of the two is given', () => {
    expect(refusal(() => defineService(service({ rightSizing: { headroomPercent: 11 } })))).toEqual([
      'checkout.rightSizing.headroomPercent: must be at least 12 with memoryNearLimitPercent 90, the default: a memory limit suggested at the 7-day maximum plus headroom would otherwise be near enough for ServiceMemoryNearLimit to fire on it (got 11)',
    ]);
    expect(refusal(() => defineService(service({ rightSizing: { memoryNearLimitPercent: 80 } })))).toEqual([
      'checkout.rightSizing.memoryNearLimitPercent: must be at least 84 with headroomPercent 20, the default: a memory limit suggested at the 7-day maximum plus headroom would otherwise be near enough for ServiceMemoryNearLimit to fire on it (got 80)',
    ]);
    expect(defineService(service({ rightSizing: { headroomPercent: 12 } })).rightSizing.headroomPercent).toBe(12);
    expect(defineService(service({ rightSizing: { memoryNearLimitPercent: 84 } })).rightSizing.memoryNearLimitPercent).toBe(84);
    expect(refusal(() => defineService(service({ rightSizing: { headroomPercent: 9, memoryNearLimitPercent: 91 } })))).toEqual([
      'checkout.rightSizing.headroomPercent: must be at least 10 with memoryNearLimitPercent 91: a memory limit suggested at the 7-day maximum plus headroom would otherwise be near enough for ServiceMemoryNearLimit to fire on it (got 9)',
    ]);
  });

  it('refuses unknown fields with a hint, and reports every problem at once, in an environment too', () => {
    expect(refusal(() => defineService(service({ rightSizing: { headroom: 20 } })))).toEqual(['checkout.rightSizing.headroom: is not a known field; did you mean headroomPercent? (got 20)']);
    expect(refusal(() => defineService(service({ rightSizing: { factor: 0.5, memoryNearLimitPercent: 100 }, environments: { prod: { rightSizing: { headroomPercent: 101 } } } })))).toEqual([
      'checkout.rightSizing.factor: must be a number greater than 1 and at most 100 (got 0.5)',
      'checkout.rightSizing.memoryNearLimitPercent: must be an integer from 1 to 99 (got 100)',
    ]);
    expect(refusal(() => defineService(service({ environments: { prod: { rightSizing: { headroomPercent: 101 } } } })))).toEqual([
      'checkout.environments.prod.rightSizing.headroomPercent: must be an integer from 0 to 100 (got 101)',
    ]);
  });
});
