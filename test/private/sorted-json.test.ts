import fc from 'fast-check';
import { sortedJsonText } from '../../lib/private/sorted-json';

import stableStringify from 'json-stable-stringify';

/** The reference: json-stable-stringify, which cdktf writes stacks with. */
const stable = (value: unknown, space?: number): string => stableStringify(value, space !== undefined ? { space } : {}) as string;

describe('sortedJsonText', () => {
  it('writes keys in code-unit order at every level, two spaces deep', () => {
    expect(sortedJsonText({ b: 1, a: [true, { d: null, c: 'x' }], B: {} }, 2)).toBe('{\n  "B": {\n  },\n  "a": [\n    true,\n    {\n      "c": "x",\n      "d": null\n    }\n  ],\n  "b": 1\n}');
    expect(sortedJsonText({ b: [], a: 1 })).toBe('{"a":1,"b":[]}');
    // Empty objects and arrays as json-stable-stringify (and so cdktf) writes them, indented.
    expect(sortedJsonText({ a: {}, b: [[]] }, 2)).toBe('{\n  "a": {\n  },\n  "b": [\n    [\n    ]\n  ]\n}');
    expect(sortedJsonText({}, 2)).toBe('{\n}');
    expect(sortedJsonText({ a: {}, b: [] })).toBe('{"a":{},"b":[]}');
    expect(sortedJsonText({ a: {}, '9': 1, '10': 2 }, 2)).toBe('{\n  "10": 2,\n  "9": 1,\n  "a": {\n  }\n}');
    // Text holding NUL, which marks empty objects, or what the marks look like.
    const nul = { a: '\u0000{', b: {}, '\u0000[': [], c: '"\\u0000{"' };
    expect(sortedJsonText(nul, 2)).toBe(stable(nul, 2));
  });

  it('writes what json-stable-stringify writes, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 0, 2, 4), (value, space) => {
        expect(sortedJsonText(value, space)).toBe(stable(value, space));
      }),
      { numRuns: 500 },
    );
  });

  it('writes array-index keys ("9", "10") in code-unit order too, where objects enumerate them numerically', () => {
    const value = { resource: { '10': { a: 1 }, '9': { b: 2 }, x: [{ '2': 0, '11': 1 }] } };
    expect(sortedJsonText(value, 2)).toBe(stable(value, 2));
    expect(sortedJsonText(value)).toBe('{"resource":{"10":{"a":1},"9":{"b":2},"x":[{"11":1,"2":0}]}}');
    // Keys an object enumerates in code-unit order already are written by the engine.
    expect(sortedJsonText({ '1': 0, '2': 1, a: 2 })).toBe('{"1":0,"2":1,"a":2}');
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(fc.nat({ max: 4294967296 }).map(String), fc.string()), fc.jsonValue(), { maxKeys: 8 }), (value) => {
        expect(sortedJsonText({ nested: [value] }, 2)).toBe(stable({ nested: [value] }, 2));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a member named __proto__', () => {
    const value = JSON.parse('{"z": {"b": 1, "__proto__": {"x": 1}}, "a": 0}') as unknown;
    expect(sortedJsonText(value)).toBe('{"a":0,"z":{"__proto__":{"x":1},"b":1}}');
  });

  it('leaves the value it writes as it was', () => {
    const value = { b: { d: 1, c: 2 }, a: 0 };
    const before = JSON.stringify(value);
    sortedJsonText(value, 2);
    expect(JSON.stringify(value)).toBe(before);
  });
});
