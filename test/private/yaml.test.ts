import fc from 'fast-check';
import { parse } from 'yaml';
import { emitYaml, toYaml, toYamlDocuments, toYamlWithDocument } from '../../lib/private/yaml';

/**
 * `toYaml` writes plain data with a direct emitter and everything else through a `yaml` package
 * document (`toYamlWithDocument`), which defines the format. These tests prove the emitter
 * writes the same bytes as the document for any plain data, sorted keys or not.
 */

/** Runs per property; `YAML_RUNS=100000 npx jest test/private/yaml.test.ts` for a long run. */
const RUNS = Number(process.env.YAML_RUNS ?? 3000);

/** Characters YAML gives a meaning to somewhere, and some it escapes or treats as line breaks. */
const TRICKY_CHARS = [
  ...' \'"\\\n\t:#-?{}[],&*!|>%@`~=<.0123456789eE+xXabcyYnNoOtf_/',
  '\r',
  '\u0000',
  '\u0007',
  '\u000b',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ud800',
  '\udc00',
  'é',
  '😀',
];

/** Words and pieces a YAML reader resolves, or a writer treats, specially. */
const TRICKY_WORDS = [
  '---',
  '...',
  '--- ',
  ': ',
  ' #',
  '- ',
  '? ',
  '\n',
  '\n\n',
  '  ',
  ' \n',
  '\n ',
  'true',
  'True',
  'FALSE',
  'null',
  'Null',
  '~',
  'y',
  'n',
  'yes',
  'No',
  'on',
  'OFF',
  '0x1f',
  '0o17',
  '0777',
  '1.5',
  '1e3',
  '1e+21',
  '.5',
  '-0',
  '+12',
  '.inf',
  '-.Inf',
  '.nan',
  '1:30',
  '190:20:30.15',
  '2026-12-01',
  '2026-12-01T10:00:00Z',
  '<<',
  '=',
  'app.kubernetes.io/name',
  'rate(http_requests_total{job=~"api.*"}[5m])',
  'https://example.com/a?b=c#d',
];

const trickyString: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.oneof(fc.constantFrom(...TRICKY_CHARS), fc.constantFrom(...TRICKY_WORDS)), { maxLength: 10 }).map((parts) => parts.join('')),
  fc.constantFrom(...TRICKY_WORDS),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ maxLength: 12 }),
);

const number: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e21, 1e-7, 2 ** 53, -(2 ** 53), 0.1, 5e-324, Number.MAX_VALUE),
);

const { tricky } = fc.letrec<{ tricky: unknown; leaf: unknown; array: unknown; object: unknown }>((tie) => ({
  tricky: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('array'), tie('object')),
  leaf: fc.oneof(trickyString, number, fc.boolean(), fc.constant(null)),
  array: fc.array(fc.oneof(tie('tricky'), fc.constant(undefined)), { maxLength: 5 }),
  object: fc.dictionary(trickyString, fc.oneof(tie('tricky'), fc.constant(undefined)), { maxKeys: 5 }),
}));

/** Plain data of every kind the emitter takes, in every arbitrary the tests draw from. */
const plainData: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue(), tricky);

/** The emitter's output, which must exist for plain data. */
function emitted(value: unknown, sortKeys: boolean): string {
  const out = emitYaml(value, sortKeys);
  if (out === undefined) throw new Error(`the emitter left plain data to the document: ${JSON.stringify(value)}`);
  return out;
}

/** `value` as JSON would keep it: undefined dropped from maps, written null in sequences. */
function jsonLike(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : jsonLike(item)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) Object.defineProperty(out, key, { value: jsonLike(item), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/**
 * Where the yaml package (2.9.1) does not read back what its own stringifier wrote, in the
 * reference and so in the emitter: a string of blanks and line breaks with a blank before a line
 * break (a block scalar of blank lines only, which reads as line breaks only), a top-level
 * multi-line string whose leading blanks call for an indentation indicator (`|1`, read one column
 * off), and a byte order mark as the first character of the stream (which readers drop).
 */
function misreadByTheYamlPackage(value: unknown, out: string): boolean {
  if (out.startsWith('\ufeff')) return true;
  if (typeof value === 'string' && value.includes('\n') && /^[\n ]* /.test(value)) return true;
  return strings(value).some((text) => /^[ \t\n]*$/.test(text) && /[ \t]\n/.test(text));
}

/** Every string in `value`, keys included. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => [key, ...strings(item)]);
  return [];
}

describe('the direct emitter', () => {
  it.each([false, true])('writes plain data as the yaml document does, byte for byte (sortKeys %s)', (sortKeys) => {
    fc.assert(
      fc.property(plainData, (value) => {
        expect(emitted(value, sortKeys)).toBe(toYamlWithDocument(value, { sortKeys }));
      }),
      { numRuns: RUNS },
    );
  });

  it.each([false, true])('agrees with the document on objects of anything, falling back where it must (sortKeys %s)', (sortKeys) => {
    fc.assert(
      fc.property(fc.object({ maxDepth: 3 }), (value) => {
        const reference = toYamlWithDocument(value, { sortKeys });
        const out = emitYaml(value, sortKeys);
        if (out !== undefined) expect(out).toBe(reference);
        expect(toYaml(value, { sortKeys })).toBe(reference);
      }),
      { numRuns: RUNS / 2 },
    );
  });

  it('writes text that reads back as the same data, but where the yaml package is known to misread its own output', () => {
    fc.assert(
      fc.property(plainData, (value) => {
        const out = emitted(value, false);
        if (!misreadByTheYamlPackage(value, out)) expect(parse(out)).toEqual(jsonLike(value));
      }),
      { numRuns: RUNS },
    );
  });

  it('writes even the text the yaml package misreads as the document does', () => {
    for (const value of [' \n', { a: ' \n' }, ['\n \t\n'], ' lead\nline', '\n  lead', '\ufeffbom', { '\ufeffbom': 1 }]) {
      const out = emitted(value, false);
      expect(out).toBe(toYamlWithDocument(value));
      expect(misreadByTheYamlPackage(value, out)).toBe(true);
    }
  });

  it('writes scalars in every position as the document does', () => {
    // Each string as a top-level scalar, a key and a value at two depths, and a sequence item.
    fc.assert(
      fc.property(trickyString, (text) => {
        for (const value of [text, { [text]: text }, { a: { [text]: [text, { [text]: text }] } }, [[text]]]) {
          expect(emitted(value, false)).toBe(toYamlWithDocument(value));
        }
      }),
      { numRuns: RUNS },
    );
  });
});

/** A copy of plain data (fresh objects, so that sharing is only where a test puts it). */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) Object.defineProperty(out, key, { value: copy(item), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/**
 * Plain data with objects reached more than once: a pool of collections, each later one holding
 * references to earlier ones, and a root that refers to pool members from maps and sequences.
 */
const sharedData: fc.Arbitrary<unknown> = fc
  .record({
    pool: fc.array(fc.oneof(fc.array(tricky, { maxLength: 3 }), fc.dictionary(trickyString, tricky, { maxKeys: 3 })), { minLength: 1, maxLength: 4 }),
    links: fc.array(fc.tuple(fc.nat(), fc.nat(), trickyString), { maxLength: 4 }),
    root: fc.array(fc.tuple(trickyString, fc.oneof(fc.nat(), tricky), fc.boolean()), { maxLength: 8 }),
  })
  .map(({ pool, links, root }) => {
    const members = pool.map(copy) as (unknown[] | Record<string, unknown>)[];
    for (const [from, to, key] of links) {
      const [a, b] = [from % members.length, to % members.length].sort((x, y) => x - y);
      if (a === b) continue;
      const holder = members[b];
      if (Array.isArray(holder)) holder.push(members[a]);
      else Object.defineProperty(holder, key, { value: members[a], enumerable: true, writable: true, configurable: true });
    }
    const map: Record<string, unknown> = {};
    const seq: unknown[] = [];
    for (const [key, item, inSeq] of root) {
      const value = typeof item === 'number' ? members[item % members.length] : copy(item);
      if (inSeq) seq.push(value);
      else Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return { map, seq, last: members[members.length - 1] };
  });

describe('objects reached more than once', () => {
  it('are written with the anchors and aliases of the document', () => {
    fc.assert(
      fc.property(sharedData, (value) => {
        expect(emitted(value, false)).toBe(toYamlWithDocument(value));
      }),
      { numRuns: RUNS },
    );
  });

  it('are written as the document writes them, anchors on their own line but for empty collections', () => {
    const labels = { app: 'checkout' };
    const none: string[] = [];
    const value = { a: labels, b: [labels, none, { c: none, d: labels }], e: { f: [[labels]] } };
    const out = emitted(value, false);
    expect(out).toBe(toYamlWithDocument(value));
    expect(out).toBe(['a: &a1', '  app: checkout', 'b:', '  - *a1', '  - &a2 []', '  - c: *a2', '    d: *a1', 'e:', '  f:', '    - - *a1', ''].join('\n'));
  });
});

describe('toYaml on realistic data', () => {
  const prometheusRule = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'checkout-slo',
      namespace: 'shop',
      labels: { 'app.kubernetes.io/name': 'checkout', 'app.kubernetes.io/part-of': 'shop', role: 'alert-rules' },
      annotations: { 'ops-constructs.dev/generated': 'true', on: 'off' },
    },
    spec: {
      groups: [
        {
          name: 'checkout-slo.rules',
          interval: '30s',
          rules: [
            {
              record: 'slo:sli_error:ratio_rate5m',
              expr: 'sum(rate(http_requests_total{job="checkout",code=~"5.."}[5m]))\n/\nsum(rate(http_requests_total{job="checkout"}[5m]))\n',
              labels: { slo: 'checkout-availability', window: '5m' },
            },
            {
              alert: 'CheckoutErrorBudgetBurn',
              expr: '(\n  slo:sli_error:ratio_rate1h{slo="checkout-availability"} > (14.4 * 0.001)\nand\n  slo:sli_error:ratio_rate5m{slo="checkout-availability"} > (14.4 * 0.001)\n)',
              for: '2m',
              labels: { severity: 'page', team: 'payments' },
              annotations: {
                summary: 'Checkout is burning its error budget: 2% of it in 1h',
                description: 'Error rate is {{ $value | humanizePercentage }} # over the 1h window.\n',
                runbook_url: 'https://runbooks.example.com/checkout/error-budget-burn?window=1h#steps',
              },
            },
            { alert: 'Empty', expr: 'vector(1) == 0', for: '0s', labels: {}, annotations: { summary: '' } },
          ],
        },
      ],
    },
  };

  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'checkout', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'checkout', version: '1.10' } },
    spec: {
      replicas: 3,
      revisionHistoryLimit: 0,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'checkout' }, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' } },
        spec: {
          containers: [
            {
              name: 'checkout',
              image: 'registry.example.com/shop/checkout@sha256:0123456789abcdef',
              args: ['--port=8080', '-v', '--', '*', '- x', '? y'],
              env: [
                { name: 'FEATURE_FLAG', value: 'yes' },
                { name: 'RELEASE_DATE', value: '2026-12-01' },
                { name: 'TIMEOUT', value: '1:30' },
                { name: 'RATIO', value: '0.5' },
                { name: 'EMPTY', value: '' },
                { name: 'CONFIG', value: 'key: value\nlist:\n  - a\n  - b\n' },
                { name: 'TRAILING', value: 'line\n\n\n' },
                { name: 'INDENTED', value: '  indented\nfirst line' },
              ],
              ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
              resources: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: 0.25, memory: '256Mi' } },
              securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            },
          ],
          tolerations: [],
          nodeSelector: { 'kubernetes.io/os': 'linux', '2026-12-01': 'on', y: 'n', '<<': '=' },
        },
      },
    },
  };

  const alertmanagerConfig = {
    route: { receiver: 'default', group_by: ['alertname', 'service'], routes: [{ matchers: ['severity="page"', 'team=~"pay.*"'], receiver: 'pager', continue: false }] },
    receivers: [{ name: 'default' }, { name: 'pager', webhook_configs: [{ url: 'http://pager.example.com/hook', send_resolved: true }] }],
    templates: [],
    inhibit_rules: [{ source_matchers: ['severity="page"'], target_matchers: ['severity="ticket"'], equal: ['service'] }],
  };

  it.each([
    ['a PrometheusRule with multi-line PromQL', prometheusRule],
    ['a Deployment', deployment],
    ['an Alertmanager configuration', alertmanagerConfig],
  ])('writes %s as the document does, with and without sorted keys', (_name, value) => {
    for (const sortKeys of [false, true]) {
      expect(emitted(value, sortKeys)).toBe(toYamlWithDocument(value, { sortKeys }));
      expect(toYaml(value, { sortKeys })).toBe(toYamlWithDocument(value, { sortKeys }));
    }
  });

  it('writes the usual forms', () => {
    expect(toYaml(prometheusRule.spec.groups[0].rules[0])).toBe(
      [
        'record: slo:sli_error:ratio_rate5m',
        'expr: |',
        '  sum(rate(http_requests_total{job="checkout",code=~"5.."}[5m]))',
        '  /',
        '  sum(rate(http_requests_total{job="checkout"}[5m]))',
        'labels:',
        '  slo: checkout-availability',
        '  window: 5m',
        '',
      ].join('\n'),
    );
    expect(toYaml({ on: 'yes', '2026-12-01': [], x: {}, y: [{ a: 1, b: [null, true] }, [-0, 1e21]], e: '' })).toBe(
      ['"on": "yes"', '"2026-12-01": []', 'x: {}', '"y":', '  - a: 1', '    b:', '      - null', '      - true', '  - - -0', '    - 1e+21', 'e: ""', ''].join('\n'),
    );
  });

  it('writes several documents as the document path does', () => {
    const values = [deployment, prometheusRule, { kind: 'ConfigMap', data: { 'a.yaml': 'x: 1\n' } }];
    expect(toYamlDocuments(values)).toBe(values.map((value) => toYamlWithDocument(value)).join('---\n'));
  });
});

describe('the fallback to the yaml document', () => {
  class Version {
    constructor(readonly major: number) {}

    toJSON(): string {
      return `v${this.major}`;
    }
  }
  class Box {
    constructor(readonly inside: string) {}
  }
  const shared = { name: 'shared' };
  const circular: Record<string, unknown> = { name: 'loop' };
  circular.self = circular;

  it.each<[string, unknown]>([
    ['a Date', { at: new Date(Date.UTC(2026, 11, 1)) }],
    ['a class instance with toJSON', { version: new Version(2) }],
    ['a class instance', [new Box('x')]],
    ['a Map', { labels: new Map([['a', 1]]) }],
    ['a Set', { items: new Set(['a']) }],
    ['a plain object with toJSON', { v: { toJSON: () => 'replaced' } }],
    ['an object reached twice with sorted keys', { a: shared, b: [shared] }],
    ['a circular object', circular],
    ['NaN', { n: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]],
    ['a bigint', { n: BigInt(12) }],
    ['a boxed string', { s: Object('boxed') as unknown }],
    ['a key longer than 1024 characters', { ['k'.repeat(1100)]: 1 }],
  ])('is taken for %s, with the document output', (name, value) => {
    if (!name.endsWith('with sorted keys')) {
      expect(emitYaml(value, false)).toBeUndefined();
      expect(toYaml(value)).toBe(toYamlWithDocument(value));
    }
    expect(emitYaml(value, true)).toBeUndefined();
    expect(toYaml(value, { sortKeys: true })).toBe(toYamlWithDocument(value, { sortKeys: true }));
  });

  it('throws as the document does where sorting puts an alias before its anchor', () => {
    const value = { b: shared, a: [shared] };
    expect(() => toYamlWithDocument(value, { sortKeys: true })).toThrow('Unresolved alias');
    expect(() => toYaml(value, { sortKeys: true })).toThrow('Unresolved alias');
  });

  it('is not taken for objects without a prototype', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: 'on' });
    expect(emitYaml(bare, true)).toBe('a: "on"\nb: 1\n');
    expect(emitYaml(bare, true)).toBe(toYamlWithDocument(bare, { sortKeys: true }));
  });
});
