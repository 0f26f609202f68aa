import fc from 'fast-check';
import { ApiObject, App, Chart } from 'cdk8s';
import * as fs from 'fs';
import * as path from 'path';
import { MAX_OBJECT_BYTES, jsonBytesAtMost, platformCharts, recordingRules, renderChart, servicesInTurn, writeChart, writePlatformCharts } from '../../lib/synth';
import { scratchDir } from '../support/tools';
import { fileTree } from '../support/files';
import { BASE_SERVICE, testPlatform } from '../fixtures/services';
import { DefinitionError } from '../../lib/definition';

/** A chart holding one ConfigMap with `value` under `data.blob`. */
function chartWith(value: string): Chart {
  const chart = new Chart(new App(), 'big', { disableResourceNameHashes: true });
  new ApiObject(chart, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'blob' }, data: { blob: value } });
  return chart;
}

describe('jsonBytesAtMost', () => {
  it('is never below the bytes of the JSON of a value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (value, text) => {
        for (const v of [value, text, { [text]: value }, [value, text]]) {
          expect(jsonBytesAtMost(v)).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(v)));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('renderChart', () => {
  it('refuses an object above what the API server accepts, naming it and its size', () => {
    const error = (() => {
      try {
        renderChart(chartWith('x'.repeat(MAX_OBJECT_BYTES)));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DefinitionError);
    expect((error as Error).message).toContain('big.ConfigMap/blob: is 1048660 bytes of JSON, above the 1048576 the API server accepts');
  });

  it('measures an object whose quick bound is above the limit, and writes it when it is not', () => {
    const quoted = '"'.repeat(300_000);
    expect(jsonBytesAtMost({ data: { blob: quoted } })).toBeGreaterThan(MAX_OBJECT_BYTES);
    expect(renderChart(chartWith(quoted))).toContain('kind: ConfigMap');
  });
});

describe('servicesInTurn', () => {
  it('lists every service in every environment, service by service, each in the environments in turn', () => {
    const platform = testPlatform({ ...BASE_SERVICE, name: 'payments' }, { ...BASE_SERVICE, name: 'orders' });
    const envs = platform.environments.map((e) => e.name);
    expect(servicesInTurn(platform).map((s) => `${s.name}/${s.environment}`)).toEqual([...envs.map((e) => `orders/${e}`), ...envs.map((e) => `payments/${e}`)]);
  });

  it('orders the charts of platformCharts: the services in turn, then each environment', () => {
    const platform = testPlatform({ ...BASE_SERVICE, name: 'payments' }, { ...BASE_SERVICE, name: 'orders' });
    const files = [...platformCharts(platform)].map((c) => c.file);
    const envs = platform.environments.map((e) => e.name);
    expect(files.slice(0, 2 * envs.length)).toEqual(servicesInTurn(platform).map((s) => `${s.environment}/${s.name}.k8s.yaml`));
    expect(files.slice(2 * envs.length)[0]).toBe(`${envs[0]}/dashboards/fleet.k8s.yaml`);
  });
});

describe('recordingRules', () => {
  it('keeps the recording rules of each group, in order, and drops the alerts', () => {
    const groups = [
      { name: 'a', interval: '1m', rules: [{ record: 'x:y', expr: 'sum(x)' }, { alert: 'Down', expr: 'up == 0', labels: {}, annotations: {} }, { record: 'x:z', expr: 'max(x)' }] },
      { name: 'b', rules: [{ alert: 'Other', expr: 'up == 0', labels: {}, annotations: {} }] },
    ];
    expect(recordingRules(groups)).toEqual([
      { name: 'a', rules: [{ record: 'x:y', expr: 'sum(x)' }, { record: 'x:z', expr: 'max(x)' }] },
      { name: 'b', rules: [] },
    ]);
  });
});

describe('writePlatformCharts', () => {
  const dir = scratchDir('platform-charts');

  it('writes what writing each chart of platformCharts in turn writes, byte for byte, and lists the files in order', () => {
    const platform = testPlatform({ ...BASE_SERVICE, name: 'orders' }, { ...BASE_SERVICE, name: 'search', team: 'discovery' });
    const one = path.join(dir(), 'one-by-one');
    const expected = [...platformCharts(platform)].map((chart) => {
      writeChart(one, chart);
      return chart.file;
    });
    const out = path.join(dir(), 'background');
    expect(writePlatformCharts(platform, out)).toEqual(expected);
    expect(fileTree(out)).toEqual(fileTree(one));
    expect(fs.existsSync(path.join(out, expected[0]))).toBe(true);
  });
});
