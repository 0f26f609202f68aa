import fc from 'fast-check';
import { formatGoFloat } from '../../lib/private/go-float';

/** Each expectation is Go's strconv.FormatFloat(value, 'g', -1, 64), or expfmt's writeFloat for its special cases. */
const cases: [number, string][] = [
  [0, '0'],
  [-0, '0'],
  [1, '1'],
  [-1, '-1'],
  [0.005, '0.005'],
  [0.25, '0.25'],
  [2.5, '2.5'],
  [10, '10'],
  [100000, '100000'],
  [123456, '123456'],
  [999999, '999999'],
  [1e6, '1e+06'],
  [1234567, '1.234567e+06'],
  [123456789, '1.23456789e+08'],
  [0.0001, '0.0001'],
  [0.00012, '0.00012'],
  [0.00005, '5e-05'],
  [1.5e-7, '1.5e-07'],
  [0.1 + 0.2, '0.30000000000000004'],
  [-0.5, '-0.5'],
  [1e21, '1e+21'],
  [1e100, '1e+100'],
  [-2.5e-300, '-2.5e-300'],
  [Number.MAX_VALUE, '1.7976931348623157e+308'],
  [Number.MIN_VALUE, '5e-324'],
  [2 ** 53, '9.007199254740992e+15'],
  [Infinity, '+Inf'],
  [-Infinity, '-Inf'],
  [NaN, 'NaN'],
];

describe("Go's FormatFloat with 'g' and the shortest precision", () => {
  it.each(cases)('writes %p as %j', (value, text) => {
    expect(formatGoFloat(value)).toBe(text);
  });

  it('writes the common histogram bucket bounds as client libraries expose them', () => {
    const bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10].map(formatGoFloat);
    expect(bounds).toEqual(['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10']);
  });

  it('reads back as the same double for every finite value', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => Number(formatGoFloat(x)) === x),
      { seed: 42, numRuns: 500 },
    );
  });

  it('always has the shape of a Go %g number', () => {
    const shape = /^-?(\d+(\.\d+)?|\d(\.\d+)?e[+-]\d{2,3})$/;
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => shape.test(formatGoFloat(x))),
      { seed: 42, numRuns: 500 },
    );
  });
});
