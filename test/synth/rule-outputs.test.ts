import * as path from 'path';
import { PLATFORM_DEFAULTS, PlatformDefinition } from '../../lib';
import { synthesizePlatform } from '../../lib/synth';
import { BASE_SERVICE, testPlatformWith } from '../fixtures/services';
import { definitionErrorOf, scratchDir } from '../support/tools';

function platformWith(prometheusRules?: unknown): PlatformDefinition {
  return testPlatformWith(prometheusRules === undefined ? {} : { prometheusRules }, { ...BASE_SERVICE, slos: [{ kind: 'availability', name: 'availability', objective: 99.9 }] });
}

describe('prometheusRules: how a platform delivers its rules', () => {
  const dir = scratchDir('rule-outputs');
  const synth = (platform: PlatformDefinition, name: string) => synthesizePlatform(platform, path.join(dir(), name), { sides: ['k8s', 'prometheus'] });

  it('delivers both PrometheusRule objects and plain rule files with their tests by default', () => {
    expect(PLATFORM_DEFAULTS.prometheusRules).toBe('both');
    expect(platformWith().prometheusRules).toBe('both');
    const summary = synth(platformWith(), 'both');
    expect(summary.objectsPerKind.PrometheusRule).toBe(2);
    expect(summary.files).toEqual(expect.arrayContaining(['prometheus/prod/orders.rules.yaml', 'prometheus/prod/orders.test.yaml']));
  });

  it('delivers only PrometheusRule objects with objects: no plain rule file, no test file', () => {
    const summary = synth(platformWith('objects'), 'objects');
    expect(summary.objectsPerKind.PrometheusRule).toBe(2);
    expect(summary.files.filter((f) => f.startsWith('prometheus/'))).toEqual([]);
  });

  it('delivers only plain rule files and their tests with files: no PrometheusRule object', () => {
    const summary = synth(platformWith('files'), 'files');
    expect(summary.objectsPerKind.PrometheusRule).toBeUndefined();
    expect(summary.files).toEqual(expect.arrayContaining(['prometheus/dev/orders.rules.yaml', 'prometheus/prod/orders.test.yaml']));
    expect(summary.objectsPerKind.ServiceMonitor).toBe(2);
  });

  it('refuses any other value, naming the choices', () => {
    expect(definitionErrorOf(() => platformWith('operator'))).toContain('prometheusRules: must be both, objects (PrometheusRule objects) or files (plain rule files) (got "operator")');
  });
});
