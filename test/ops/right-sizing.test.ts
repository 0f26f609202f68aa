import { parse as parseYaml } from 'yaml';
import { ServiceDefinitionInput, defineService, definePlatform, resolveEnvironment } from '../../lib/definition';
import { RightSizingReadings, cpuQuantity, memoryQuantity, renderSuggestion, resourcesLine, roundCpu, roundMemory, suggestResources } from '../../lib/ops';
import { platform, service } from '../fixtures/definitions';

const MI = 2 ** 20;

function shop(...services: ServiceDefinitionInput[]) {
  return definePlatform(platform({ services: services.map(defineService) }));
}

/** A week of readings: CPU p95 0.1 cores, memory p95 200Mi and maximum 250Mi, as the definition runs. */
const WEEK: RightSizingReadings = { p95: { cpu: 0.1, memory: 200 * MI }, max: { memory: 250 * MI }, requests: { cpu: 0.1, memory: 128 * MI }, limits: { cpu: 0.5, memory: 256 * MI }, historyHours: 168 };

describe('rounding of suggested quantities', () => {
  it('rounds CPU up to whole millicores, at least 1m, without floating-point noise', () => {
    expect(roundCpu(0.1 * 1.2)).toBe(120);
    expect(roundCpu(0.0831)).toBe(84);
    expect(roundCpu(0)).toBe(1);
    expect([cpuQuantity(120), cpuQuantity(2000), cpuQuantity(1500)]).toEqual(['120m', '2', '1500m']);
  });

  it('rounds memory up to whole mebibytes, at least 1Mi, and writes whole gibibytes as Gi', () => {
    expect(roundMemory(200 * MI * 1.2)).toBe(240);
    expect(roundMemory(200 * MI + 1)).toBe(201);
    expect(roundMemory(0)).toBe(1);
    expect([memoryQuantity(240), memoryQuantity(2048)]).toEqual(['240Mi', '2Gi']);
  });
});

describe('suggested resources', () => {
  it('sizes requests at the p95 plus headroom, the memory limit at the maximum plus headroom, and keeps the CPU limit-to-request ratio', () => {
    const p = shop(service());
    const s = suggestResources(p, resolveEnvironment(p, 'checkout', 'prod'), WEEK);
    // Defaults: requests 100m / 128Mi, limits 500m / 256Mi; a ratio of 5 for CPU.
    expect(s.suggested).toEqual({ requests: { cpu: '120m', memory: '240Mi' }, limits: { cpu: '600m', memory: '300Mi' } });
    expect(s.changed).toBe(true);
    expect(s.field).toBe('resources');
  });

  it('takes the headroom of the service in that environment', () => {
    const p = shop(service({ rightSizing: { headroomPercent: 50 }, environments: { dev: { rightSizing: { headroomPercent: 12 } } } }));
    expect(suggestResources(p, resolveEnvironment(p, 'checkout', 'prod'), WEEK).suggested?.requests).toEqual({ cpu: '150m', memory: '300Mi' });
    expect(suggestResources(p, resolveEnvironment(p, 'checkout', 'dev'), WEEK).suggested?.requests).toEqual({ cpu: '112m', memory: '224Mi' });
  });

  it('points at the environment override when that environment sets its own resources, and at the shared field with the environments it also sizes otherwise', () => {
    const p = shop(service({ environments: { dev: { resources: { requests: { cpu: '50m' } } } } }));
    const dev = suggestResources(p, resolveEnvironment(p, 'checkout', 'dev'), { ...WEEK, requests: {}, limits: {} });
    expect(dev.field).toBe('environments.dev.resources');
    expect(dev.notes).toEqual([]);
    const prod = suggestResources(p, resolveEnvironment(p, 'checkout', 'prod'), WEEK);
    expect(prod.field).toBe('resources');
    expect(prod.notes).toEqual(['resources also sizes staging: set environments.prod.resources instead to change prod alone']);
  });

  it('keeps the current values of a resource without readings, and suggests nothing without any', () => {
    const p = shop(service());
    const prod = resolveEnvironment(p, 'checkout', 'prod');
    const memoryOnly = suggestResources(p, prod, { ...WEEK, p95: { memory: 200 * MI } });
    expect(memoryOnly.suggested).toEqual({ requests: { cpu: '100m', memory: '240Mi' }, limits: { cpu: '500m', memory: '300Mi' } });
    expect(memoryOnly.notes[0]).toBe('no CPU usage recorded: the CPU request and limit stay');
    const noMax = suggestResources(p, prod, { ...WEEK, max: {} });
    expect(noMax.suggested?.limits.memory).toBe('240Mi');
    expect(noMax.notes[0]).toBe('no memory maximum recorded: the memory limit is the suggested request');
    const none = suggestResources(p, prod, { p95: {}, max: {}, requests: {}, limits: {} });
    expect(none.suggested).toBeUndefined();
    expect(none.changed).toBe(false);
    expect(renderSuggestion(none)).toContain('note: no usage recorded over 7d: is checkout running in payments');
  });

  it('never suggests a memory limit below the request', () => {
    const p = shop(service());
    const s = suggestResources(p, resolveEnvironment(p, 'checkout', 'prod'), { ...WEEK, max: { memory: 100 * MI } });
    expect(s.suggested?.limits.memory).toBe(s.suggested?.requests.memory);
  });

  it('notes a week not fully recorded, but not one missing less than an evaluation', () => {
    const p = shop(service());
    const prod = resolveEnvironment(p, 'checkout', 'prod');
    expect(suggestResources(p, prod, { ...WEEK, historyHours: 30.2 }).notes[0]).toBe('usage recorded for 30 of the last 168 hours: the suggestion covers those only');
    expect(suggestResources(p, prod, { ...WEEK, historyHours: 168 - 1 / 12 }).notes.some((n) => n.startsWith('usage recorded'))).toBe(false);
  });

  it('notes containers running with other requests or limits than the definition gives', () => {
    const p = shop(service());
    const s = suggestResources(p, resolveEnvironment(p, 'checkout', 'prod'), { ...WEEK, limits: { cpu: 1, memory: 512 * MI } });
    expect(s.notes).toContain('the containers run with limits.cpu 1, limits.memory 512Mi, not what the definition gives: is its last synthesis applied?');
  });

  it('says a service is right-sized when the suggestion is what the definition holds, and prints no change', () => {
    const p = shop(service({ resources: { requests: { cpu: '120m', memory: '240Mi' }, limits: { cpu: '600m', memory: '300Mi' } } }));
    const s = suggestResources(p, resolveEnvironment(p, 'checkout', 'prod'), { ...WEEK, requests: {}, limits: {} });
    expect(s.changed).toBe(false);
    const text = renderSuggestion(s);
    expect(text).toContain('  right-sized: resources already holds the suggestion\n');
    expect(text).not.toContain('+resources');
  });
});

describe('the printed change', () => {
  it('shows the readings and the current resources, then the old and new resources line under a header naming the field', () => {
    const p = shop(service());
    const text = renderSuggestion(suggestResources(p, resolveEnvironment(p, 'checkout', 'prod'), WEEK));
    expect(text.split('\n')).toEqual([
      'checkout in prod (namespace payments), over 7d of the busiest pod:',
      '  cpu     p95 0.1 cores                         request 100m   limit 500m',
      '  memory  p95 200Mi   max 250Mi                 request 128Mi  limit 256Mi',
      '  note: resources also sizes dev, staging: set environments.prod.resources instead to change prod alone',
      '--- checkout: resources',
      '+++ checkout: resources (suggested, 20% headroom)',
      "-resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }",
      "+resources: { requests: { cpu: '120m', memory: '240Mi' }, limits: { cpu: '600m', memory: '300Mi' } }",
      '',
    ]);
  });

  it('writes resources as one line that YAML and TypeScript read alike', () => {
    const resources = { requests: { cpu: '120m', memory: '240Mi' }, limits: { cpu: '2', memory: '1Gi' } };
    const line = resourcesLine(resources);
    expect(parseYaml(line)).toEqual({ resources });
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    expect((new Function(`return { ${line} };`) as () => unknown)()).toEqual({ resources });
  });
});
