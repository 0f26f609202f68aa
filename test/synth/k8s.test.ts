import fc from 'fast-check';
import { ApiObject, App, Chart } from 'cdk8s';
import { MAX_OBJECT_BYTES, jsonBytesAtMost, renderChart } from '../../lib/synth';
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
