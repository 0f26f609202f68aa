/**
 * Property-based fuzzing of definitions: the example platform's inputs are mutated at random
 * paths, and every mutated definition must either be refused with a `DefinitionError` or
 * synthesize output that the consumers accept: promtool (check rules and test rules), amtool
 * check-config, and the Kubernetes schemas (built-in kinds and vendored CRDs).
 *
 * A short run is part of the test suite (test/definition/fuzz.test.ts); a long run is the same
 * test with more runs:
 *
 *   FUZZ_RUNS=2000 npx jest test/definition/fuzz.test.ts
 *   FUZZ_RUNS=2000 FUZZ_SEED=7 npx jest test/definition/fuzz.test.ts
 *
 * A failure prints the seed and the path fast-check needs to replay it (`FUZZ_SEED`, `FUZZ_PATH`).
 */
import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { Document, Scalar, parse, parseAllDocuments, visit } from 'yaml';
import { DefinitionError, PlatformDefinitionInput, ServiceDefinitionInput, definePlatform, defineService } from '../../lib/definition';
import { OutputSide, synthesizePlatform } from '../../lib/synth';
import { CRD_DIR, KubeObject, schemaProblems } from './schema';

// ---------------------------------------------------------------------------------------------
// The valid definition every run starts from
// ---------------------------------------------------------------------------------------------

/** The example platform's input with the service inputs inline, as plain data. */
export interface FuzzInput extends Omit<PlatformDefinitionInput, 'services'> {
  readonly services: readonly ServiceDefinitionInput[];
}

/**
 * The example platform as plain data, services inline, read from apps/platform.yaml (a test of
 * the loader proves it is the platform of apps/platform.ts): a fresh copy per call, so each run
 * mutates its own.
 */
export function exampleInput(): FuzzInput {
  return parse(fs.readFileSync(path.resolve(__dirname, '../../apps/platform.yaml'), 'utf8')) as FuzzInput;
}

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

/** A path into a `FuzzInput`: keys of objects and indexes of lists. */
export type FieldPath = readonly (string | number)[];

/** A one-character edit of a key. */
export interface Typo {
  readonly edit: 'delete' | 'insert' | 'replace' | 'transpose' | 'case';
  /** Position in the key (taken modulo its length). */
  readonly at: number;
  readonly char: string;
}

/** Where `splice` puts its text in a string. */
export type SpliceAt = 'replace' | 'start' | 'end' | 'middle';

/** One change to a definition. */
export type Mutation =
  /** Deletes a key of an object (or drops a list item). */
  | { readonly op: 'delete'; readonly path: FieldPath }
  /** Sets a value, adding the key when it is missing (and missing parent objects). */
  | { readonly op: 'set'; readonly path: FieldPath; readonly value: unknown }
  /** Renames a key by a one-character typo. */
  | { readonly op: 'rename'; readonly path: FieldPath; readonly typo: Typo }
  /** Copies a value to a new key next to it (e.g. a second receiver under another name). */
  | { readonly op: 'copy'; readonly path: FieldPath; readonly to: string }
  /** Turns a number into a string and a string into a number (booleans into strings). */
  | { readonly op: 'swapType'; readonly path: FieldPath }
  /** Inserts a copy of a list item after it. */
  | { readonly op: 'duplicate'; readonly path: FieldPath }
  /** Removes a list item. */
  | { readonly op: 'drop'; readonly path: FieldPath }
  /** Puts (hostile) text into a string. */
  | { readonly op: 'splice'; readonly path: FieldPath; readonly text: string; readonly at: SpliceAt }
  /** Renames a name consistently: every string equal to `from`, and the map keys that name it. */
  | { readonly op: 'renameName'; readonly from: string; readonly to: string };

/** Renders a path as `services[0].slos[1].objective` (keys that are not identifiers quoted). */
export function formatPath(p: FieldPath): string {
  if (p.length === 0) return '<root>';
  return p.map((key, i) => (typeof key === 'number' ? `[${key}]` : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${i === 0 ? '' : '.'}${key}` : `[${JSON.stringify(key)}]`)).join('');
}

/** Renders a value briefly: strings quoted (long ones shortened), numbers as JavaScript writes them. */
export function formatFuzzValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') {
    const quoted = JSON.stringify(value);
    return quoted.length > 90 ? `${JSON.stringify(value.slice(0, 60))}... (${value.length} characters)` : quoted;
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) return String(value);
  return json.length > 120 ? `${json.slice(0, 117)}...` : json;
}

/** Renders one mutation as a line. */
export function formatMutation(m: Mutation): string {
  switch (m.op) {
    case 'delete':
      return `delete ${formatPath(m.path)}`;
    case 'set':
      return `set ${formatPath(m.path)} = ${formatFuzzValue(m.value)}`;
    case 'rename':
      return `rename key ${formatPath(m.path)} by a typo (${m.typo.edit} ${JSON.stringify(m.typo.char)} at ${m.typo.at})`;
    case 'copy':
      return `copy ${formatPath(m.path)} to key ${JSON.stringify(m.to)}`;
    case 'swapType':
      return `swap the type of ${formatPath(m.path)}`;
    case 'duplicate':
      return `duplicate list item ${formatPath(m.path)}`;
    case 'drop':
      return `drop list item ${formatPath(m.path)}`;
    case 'splice':
      return `put ${formatFuzzValue(m.text)} into ${formatPath(m.path)} (${m.at})`;
    case 'renameName':
      return `rename ${JSON.stringify(m.from)} to ${JSON.stringify(m.to)} everywhere`;
  }
}

/** A mutation that fast-check prints as its line. */
function printable(m: Mutation): Mutation {
  return Object.defineProperty({ ...m }, fc.toStringMethod, { value: () => formatMutation(m), enumerable: false }) as Mutation;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets an own property, even `__proto__` (as JSON.parse and YAML loaders create it). */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Deep copy of plain data that keeps undefined, NaN, -0 and own `__proto__` keys. */
export function clonePlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => clonePlain(item)) as unknown as T;
  if (isRecord(value)) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) defineOwn(copy, key, clonePlain(value[key]));
    return copy as T;
  }
  return value;
}

function ownValue(container: unknown, key: string | number): unknown {
  if (Array.isArray(container)) return typeof key === 'number' ? container[key] : undefined;
  if (isRecord(container) && Object.prototype.hasOwnProperty.call(container, key)) return container[key as string];
  return undefined;
}

function hasOwn(container: unknown, key: string | number): boolean {
  if (Array.isArray(container)) return typeof key === 'number' && key < container.length;
  return isRecord(container) && typeof key === 'string' && Object.prototype.hasOwnProperty.call(container, key);
}

/** The container holding the node at `p`, or undefined when the path does not exist any more. */
function parentOf(root: unknown, p: FieldPath, create = false): unknown {
  let current = root;
  const parents = p.slice(0, -1);
  for (let i = 0; i < parents.length; i++) {
    const key = parents[i];
    if (!hasOwn(current, key)) {
      // Missing objects are created only when every missing level is an object key.
      if (!create || !isRecord(current) || parents.slice(i).some((k) => typeof k !== 'string')) return undefined;
      defineOwn(current, key as string, {});
    }
    current = ownValue(current, key);
  }
  return current;
}

function applyTypo(key: string, typo: Typo): string {
  const at = key.length === 0 ? 0 : typo.at % key.length;
  switch (typo.edit) {
    case 'delete':
      return key.slice(0, at) + key.slice(at + 1);
    case 'insert':
      return key.slice(0, at) + typo.char + key.slice(at);
    case 'replace':
      return key.slice(0, at) + typo.char + key.slice(at + 1);
    case 'transpose':
      return at + 1 < key.length ? key.slice(0, at) + key[at + 1] + key[at] + key.slice(at + 2) : key.slice(0, -2) + key.slice(-1) + key.slice(-2, -1);
    case 'case': {
      const ch = key.charAt(at);
      const swapped = ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase();
      return key.slice(0, at) + swapped + key.slice(at + 1);
    }
  }
}

/** Replaces the keys of an object in place, keeping their order. */
function renameKeyInPlace(target: Record<string, unknown>, from: string, to: string): void {
  const entries = Object.keys(target).map((key) => [key === from ? to : key, target[key]] as const);
  for (const key of Object.keys(target)) delete target[key];
  for (const [key, value] of entries) defineOwn(target, key, value);
}

/** Map keys that name something a `renameName` renames: environments per service and receivers. */
function isNameMap(p: FieldPath): boolean {
  return (p.length === 1 && p[0] === 'receivers') || (p.length === 3 && p[0] === 'services' && p[2] === 'environments');
}

function renameEverywhere(value: unknown, p: FieldPath, from: string, to: string): unknown {
  if (typeof value === 'string') return value === from ? to : value;
  if (Array.isArray(value)) {
    value.forEach((item, i) => (value[i] = renameEverywhere(item, [...p, i], from, to)));
    return value;
  }
  if (isRecord(value)) {
    for (const key of Object.keys(value)) value[key] = renameEverywhere(value[key], [...p, key], from, to);
    if (isNameMap(p) && hasOwn(value, from) && !hasOwn(value, to)) renameKeyInPlace(value, from, to);
    return value;
  }
  return value;
}

/**
 * Applies one mutation to `root` in place. Returns false when it does not apply (its path
 * vanished under an earlier mutation, or the value has the wrong type for it).
 */
export function applyMutation(root: Record<string, unknown>, m: Mutation): boolean {
  if (m.op === 'renameName') {
    renameEverywhere(root, [], m.from, m.to);
    return true;
  }
  const key = m.path[m.path.length - 1];
  const parent = parentOf(root, m.path, m.op === 'set');
  if (parent === undefined || key === undefined) return false;
  const current = ownValue(parent, key);
  switch (m.op) {
    case 'delete':
      if (!hasOwn(parent, key)) return false;
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete (parent as Record<string, unknown>)[key as string];
      return true;
    case 'drop':
      if (!Array.isArray(parent) || !hasOwn(parent, key)) return false;
      parent.splice(key as number, 1);
      return true;
    case 'duplicate':
      if (!Array.isArray(parent) || !hasOwn(parent, key)) return false;
      parent.splice((key as number) + 1, 0, clonePlain(current));
      return true;
    case 'set':
      if (Array.isArray(parent)) {
        if (typeof key !== 'number' || key > parent.length) return false;
        parent[key] = clonePlain(m.value);
        return true;
      }
      if (!isRecord(parent) || typeof key !== 'string') return false;
      defineOwn(parent, key, clonePlain(m.value));
      return true;
    case 'rename': {
      if (!isRecord(parent) || typeof key !== 'string' || !hasOwn(parent, key)) return false;
      const to = applyTypo(key, m.typo);
      if (to === key || hasOwn(parent, to)) return false;
      renameKeyInPlace(parent, key, to);
      return true;
    }
    case 'copy':
      if (!isRecord(parent) || typeof key !== 'string' || !hasOwn(parent, key) || hasOwn(parent, m.to)) return false;
      defineOwn(parent, m.to, clonePlain(current));
      return true;
    case 'swapType': {
      let swapped: unknown;
      if (typeof current === 'number') swapped = String(current);
      else if (typeof current === 'boolean') swapped = String(current);
      else if (typeof current === 'string') swapped = current.trim() !== '' && Number.isFinite(Number(current)) ? Number(current) : current.length;
      else return false;
      if (Array.isArray(parent)) parent[key as number] = swapped;
      else defineOwn(parent as Record<string, unknown>, key as string, swapped);
      return true;
    }
    case 'splice': {
      if (typeof current !== 'string') return false;
      const middle = Math.floor(current.length / 2);
      const text = m.at === 'replace' ? m.text : m.at === 'start' ? m.text + current : m.at === 'end' ? current + m.text : current.slice(0, middle) + m.text + current.slice(middle);
      if (Array.isArray(parent)) parent[key as number] = text;
      else defineOwn(parent as Record<string, unknown>, key as string, text);
      return true;
    }
  }
}

/** The example input with the mutations applied in order, and what each did. */
export function mutatedInput(mutations: readonly Mutation[]): { readonly input: Record<string, unknown>; readonly applied: readonly boolean[] } {
  const input = exampleInput() as unknown as Record<string, unknown>;
  const applied = mutations.map((m) => applyMutation(input, m));
  return { input, applied };
}

// ---------------------------------------------------------------------------------------------
// Values the mutations use
// ---------------------------------------------------------------------------------------------

/** Values that break naive code: the special numbers, YAML 1.1 look-alikes, empty containers. */
export const SPECIAL_VALUES: readonly unknown[] = [
  null,
  undefined,
  NaN,
  Infinity,
  -Infinity,
  -1,
  0,
  -0,
  0.5,
  1e308,
  1e-7,
  2147483648,
  65536,
  2 ** 53 + 1,
  '',
  '{{',
  '{{ with query "up" }}{{ . }}{{ end }}',
  ' ',
  'x'.repeat(64),
  'x'.repeat(300),
  'x'.repeat(5000),
  '\u0000',
  '\u001b[31mred\u001b[0m',
  'a\u0007b',
  'on',
  'no',
  'y',
  'off',
  'null',
  '=',
  '<<',
  '~',
  '0777',
  '1:20',
  '2026-12-01',
  '.inf',
  '0x1F',
  '1_000',
  [],
  {},
  true,
  'false',
];

/** Text that breaks quoting and escaping: YAML, JSON, Go templates, URLs, shells, Unicode. */
export const HOSTILE_TEXT: readonly string[] = [
  '"',
  "'",
  '\\',
  '\\n',
  '\n',
  '\r\n',
  'line\nbreak',
  '\t',
  'ünïcödé',
  '日本語',
  '🚀',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\u0085',
  '\u2028',
  '\ud800',
  '${HOME}',
  '${jndi:ldap://x}',
  '$(id)',
  '`id`',
  '%zz',
  '%',
  '%00',
  '#',
  ' #',
  '# comment',
  ': ',
  '- ',
  '{',
  '}',
  '[',
  ']',
  '&a',
  '*a',
  '!!binary',
  '|',
  '>',
  '? ',
  '@',
  ',',
  '{{ . }}',
  '{{',
  '}}',
  '$1',
  '$$',
  '$value',
  '<script>',
  '&amp;',
  'a"b\'c',
  '--- ',
  '...',
];

/** Template text for free text that ends up in alert annotations. */
export const TEMPLATE_TEXT: readonly string[] = [
  '{{',
  '}}',
  '{{ . }}',
  '{{ $value }}',
  '{{ $labels.instance }}',
  '{{ .Labels.severity }}',
  '{{ with query "up" }}{{ . }}{{ end }}',
  '{{ template "x" }}',
  '{{/* comment */}}',
  '{{- "trim" -}}',
  '{{ range . }}x{{ end }}',
  '{{ "\\x" }}',
  '{{ printf "%s" "x" }}',
  '$labels',
  '{{`raw`}}',
  '{{ .CommonLabels }}',
  '{{ define "x" }}y{{ end }}',
];

/** Regular expressions Go's RE2 refuses (or that JavaScript and RE2 read differently). */
export const RE2_HOSTILE: readonly string[] = [
  '(?=x)',
  '(?!x)',
  '(?<=x)',
  '(?<!x)',
  '(a)\\1',
  '\\1',
  'a{1001}',
  'a{2,1}',
  'x{0,1001}',
  '[z-a]',
  '(',
  ')',
  '*',
  'x**',
  'a++',
  '\\C',
  '\\p{Foo}',
  '(?i',
  '\\Q',
  '\\8',
  '\\Z',
  '\\z',
  '[[:foo:]]',
  '(?<name>x)',
  '(?P<name>x)',
  '(?P=name)',
  '\\e',
  'ab\\',
  '(?U)x',
  '\\x{110000}',
  '[\\d-z]',
  '\\b',
  '.*',
  '',
];

/** Selectors: hostile label values, RE2-hostile patterns inside matchers, PromQL injections. */
export const selectorArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom('code', 'method', 'handler', 'le', 'job', 'namespace', 'service', 'slo'), fc.constantFrom('=~', '!~'), fc.constantFrom(...RE2_HOSTILE)).map(([name, op, re]) => `${name}${op}${JSON.stringify(re)}`),
  fc.constantFrom(
    'code=~"5.."',
    'code=~"5..",method!="OPTIONS"',
    'code="a\\"b"',
    'code="\\n"',
    'code="{{"',
    'code="${x}"',
    'code=~""',
    'code="5" or vector(1)',
    'code="5"} or up{',
    '__name__="x"',
    'code=~"5..",',
    ' code = "5" ',
    "code='5'",
    'code=`5`',
    '"code"="5"',
    'código="5"',
    'code="🚀"',
    'code=~"\\\\d+"',
    'code=~"5..|4.."',
    'le="0.3"',
    'job="other"',
    'namespace="other"',
    'code!="200"',
    'code="5",code="6"',
    '{code="5"}',
    'code=~"(?i)ERR"',
    'code="\u0000"',
    'code=~"x{1000}"',
  ),
);

/** Custom SLO queries, most of them close to valid. */
export const QUERY_VALUES: readonly string[] = [
  'sum(rate(notifier_emails_sent_total[{{window}}]))',
  'sum(rate(x[{{window}}])) # comment',
  'sum(rate(x[{{window}}])) or vector(1)',
  '{{window}}',
  'sum(rate(x[{{window}}:1m]))',
  'sum(rate(x{a="{{window}}"}[{{window}}]))',
  'sum(rate(x[{{window}}] offset 1m))',
  'sum(rate(x[{{window}}] @ 100))',
  'sum by (le) (rate(x[{{window}}]))',
  'rate(x[{{window}}])',
  'sum(rate(x[{{window}}])) > 0',
  'sum(rate(x[{{window}}])) / 0',
  'sum(rate(x[{{ window }}]))',
  'sum(rate(x[{{window}}]))\n',
  'sum(rate(x{code="a\\"b"}[{{window}}]))',
  'sum(rate(x{code=~"(?=a)"}[{{window}}]))',
  'sum(rate({__name__="x"}[{{window}}]))',
  'sum(rate(x[{{window}}])) * on() group_left() vector(1)',
  'label_replace(sum(rate(x[{{window}}])), "service", "other", "", "")',
  'sum(rate(x[{{window}}])) unless sum(rate(y[{{window}}]))',
  'count_values("slo", sum(rate(x[{{window}}])))',
  'absent(x[{{window}}])',
  'sum(rate(x[{{window}}{{window}}]))',
  'sum(increase(x[{{window}}]))',
  'sum(rate(x[{{window}}])) {{',
  'sum(rate(slo:sli_error:ratio_rate5m[{{window}}]))',
  'sum(rate(http_requests_total[{{window}}]))',
  'sum(rate(up[{{window}}]))',
  'sum(rate(ALERTS[{{window}}]))',
  'sum(rate(notifier_emails_sent_total{job="notifier"}[{{window}}]))',
  'sum(rate(notifier_emails_sent_total{job="other"}[{{window}}]))',
  'sum(rate(notifier_emails_sent_total{namespace!="payments"}[{{window}}]))',
  'sum(rate(notifier_emails_sent_total{code=~"5.."}[{{window}}]))',
  'sum(rate(notifier_emails_sent_total{code!~".*"}[{{window}}]))',
  'sum(rate(notifier_emails_sent_total{code=""}[{{window}}]))',
  'sum(rate(notifier_emails_sent_total{le="+Inf"}[{{window}}]))',
  'sum(rate(notifier_emails_attempted_total[{{window}}]))',
  'sum by (job) (rate(notifier_emails_sent_total[{{window}}]))',
  'sum without (instance) (rate(notifier_emails_sent_total[{{window}}]))',
  'max(rate(notifier_emails_sent_total[{{window}}]))',
  'sum(irate(notifier_emails_sent_total[{{window}}]))',
  'sum(rate(notifier_emails_sent_total[{{window}}])) * 2',
  '2 * sum(rate(notifier_emails_sent_total[{{window}}]))',
  'sum(rate(notifier_emails_sent_total[{{window}}] offset 5m))',
  'sum(delta(notifier_emails_sent_total[{{window}}]))',
  '(sum(rate(notifier_emails_sent_total[{{window}}])))',
  'sum(rate(notifier_emails_sent_total[{{window}}])) + 0',
  'sum(rate(notifier_emails_sent_total[{{window}}])) > 0',
  'clamp_max(sum(rate(notifier_emails_sent_total[{{window}}])), 1)',
  'sum(rate(notifier_emails_sent_total{service="x"}[{{window}}]))',
  'sum(rate(notifier_emails_sent_total{slo="x"}[{{window}}]))',
];

/** Names a consistent rename may give: YAML 1.1 look-alikes, prototype names, collisions, limits. */
export const NAME_VALUES: readonly string[] = [
  'on',
  'no',
  'y',
  'n',
  'yes',
  'off',
  'true',
  'false',
  'null',
  'none',
  'nan',
  'inf',
  'e1',
  'constructor',
  'prototype',
  'tostring',
  'x',
  'a'.repeat(40),
  'a'.repeat(41),
  'a'.repeat(63),
  'a'.repeat(64),
  'default',
  'kube-system',
  'monitoring',
  'ingress-nginx',
  'prometheus',
  'alertmanager',
  'checkout',
  'catalog',
  'notifier',
  'payments',
  'merchandising',
  'checkout-canary',
  'checkout-preview',
  'checkout-stable',
  'catalog-preview',
  'notifier-canary',
  'prod',
  'production',
  'dev',
  'staging',
  'availability',
  'latency',
  'delivery',
  'api',
  'worker',
  'shop',
  'payments-pager',
  'merch-tickets',
  'Checkout',
  'check_out',
  '-checkout',
  'checkout-',
  'check.out',
  '1checkout',
  '',
];

/** Names the example uses, which `renameName` renames. */
const NAMES_IN_EXAMPLE: readonly string[] = [
  'checkout',
  'catalog',
  'notifier',
  'payments',
  'merchandising',
  'dev',
  'staging',
  'prod',
  'payments-pager',
  'payments-chat',
  'merch-pager',
  'merch-chat',
  'merch-tickets',
  'platform-tickets',
  'availability',
  'latency',
  'delivery',
  'api',
  'worker',
  'shop',
  'none',
];

/** Keys an unknown-key mutation adds: typos of real fields, prototype names, odd characters. */
export const KEY_VALUES: readonly string[] = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'prototype',
  '',
  ' ',
  'a.b',
  'a b',
  '$ref',
  'ÿ',
  'LOG_LEVEL2',
  'OTEL_SERVICE_NAME',
  'PATH',
  '_',
  '0',
  'on',
  'nmae',
  'Name',
  'descripton',
  'objectiv',
  'badSelecter',
  'replica',
  'enviroments',
  'prod',
  'production',
  'email',
  'x'.repeat(300),
];

const numberValues: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, -0, 0.5, 1, 2, 9.99, 99.99, 99.999999, 100, 1e308, 1e-7, 2147483647, 2147483648, 65535, 65536, 2 ** 53 + 1),
  fc.integer({ min: -10, max: 100_000 }),
  fc.double(),
);

const stringValues: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...(SPECIAL_VALUES.filter((v) => typeof v === 'string') as string[]), ...HOSTILE_TEXT, ...TEMPLATE_TEXT),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

/** Any value a `set` may write. */
export const valueArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_VALUES) },
  { weight: 2, arbitrary: numberValues },
  { weight: 2, arbitrary: stringValues },
  { weight: 1, arbitrary: fc.constantFrom(...NAME_VALUES) },
);

// ---------------------------------------------------------------------------------------------
// The arbitrary of mutation lists
// ---------------------------------------------------------------------------------------------

interface PathPools {
  readonly any: FieldPath[];
  readonly keys: FieldPath[];
  readonly items: FieldPath[];
  readonly strings: FieldPath[];
  readonly scalars: FieldPath[];
  readonly objects: FieldPath[];
}

function pathPools(value: unknown): PathPools {
  const pools: PathPools = { any: [], keys: [], items: [], strings: [], scalars: [], objects: [] };
  const visit = (node: unknown, p: FieldPath): void => {
    if (p.length > 0) pools.any.push(p);
    if (typeof p[p.length - 1] === 'string') pools.keys.push(p);
    if (typeof p[p.length - 1] === 'number') pools.items.push(p);
    if (typeof node === 'string') pools.strings.push(p);
    if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') pools.scalars.push(p);
    if (Array.isArray(node)) node.forEach((item, i) => visit(item, [...p, i]));
    else if (isRecord(node)) {
      pools.objects.push(p);
      for (const key of Object.keys(node)) visit(node[key], [...p, key]);
    }
  };
  visit(value, []);
  return pools;
}

/** Selector fields of the example's availability and latency SLOs (none set in the example). */
const SELECTOR_PATHS: readonly FieldPath[] = [
  ['services', 0, 'slos', 0, 'badSelector'],
  ['services', 0, 'slos', 0, 'totalSelector'],
  ['services', 0, 'slos', 1, 'selector'],
  ['services', 1, 'slos', 0, 'badSelector'],
  ['services', 1, 'slos', 0, 'totalSelector'],
  ['services', 1, 'slos', 1, 'selector'],
];

/** Free text that reaches alert annotations, notification templates and labels. */
const TEXT_PATHS: readonly FieldPath[] = [
  ['services', 0, 'description'],
  ['services', 1, 'description'],
  ['services', 2, 'description'],
  ['services', 0, 'slos', 0, 'description'],
  ['services', 0, 'slos', 1, 'description'],
  ['services', 1, 'slos', 0, 'description'],
  ['services', 2, 'slos', 0, 'description'],
  ['services', 0, 'contacts', 'owners', 0],
  ['services', 0, 'contacts', 'escalation', 0],
  ['services', 0, 'contacts', 'escalation', 1],
  ['services', 0, 'contacts', 'chat'],
  ['services', 1, 'contacts', 'owners', 0],
  ['services', 2, 'contacts', 'owners'],
  ['services', 2, 'contacts', 'chat'],
  ['services', 0, 'env', 'LOG_LEVEL'],
  ['services', 0, 'env', 'PAYMENT_PROVIDER_URL'],
  ['services', 0, 'environments', 'dev', 'env', 'LOG_LEVEL'],
  ['services', 2, 'env', 'NOTE'],
  ['services', 1, 'version'],
];

/** URLs that are written into annotations, configuration and manifests. */
const URL_PATHS: readonly FieldPath[] = [
  ['runbookBaseUrl'],
  ['dashboardBaseUrl'],
  ['prometheusUrl'],
  ['environments', 0, 'otlpEndpoint'],
  ['environments', 2, 'otlpEndpoint'],
  ['receivers', 'merch-tickets', 'url'],
  ['receivers', 'platform-tickets', 'url'],
];

const QUERY_PATHS: readonly FieldPath[] = [
  ['services', 2, 'slos', 0, 'goodQuery'],
  ['services', 2, 'slos', 0, 'totalQuery'],
];

/** Optional fields the example leaves out, worth setting. */
const ABSENT_FIELDS: readonly FieldPath[] = [
  ['ingressNamespace'],
  ['monitoringNamespace'],
  ['environments', 0, 'production'],
  ['environments', 1, 'production'],
  ['services', 0, 'namespace'],
  ['services', 1, 'namespace'],
  ['services', 0, 'version'],
  ['services', 2, 'port'],
  ['services', 0, 'metrics', 'path'],
  ['services', 0, 'metrics', 'scrapeInterval'],
  ['services', 0, 'metrics', 'requestsMetric'],
  ['services', 0, 'metrics', 'latencyMetric'],
  ['services', 2, 'metrics', 'scrapeInterval'],
  ['services', 0, 'slos', 0, 'period'],
  ['services', 0, 'slos', 0, 'burnRateTiers'],
  ['services', 0, 'slos', 1, 'minRequestRate'],
  ['services', 2, 'slos', 0, 'minRequestRate'],
  ['services', 0, 'delivery', 'steps'],
  ['services', 1, 'delivery', 'autoPromote'],
  ['services', 0, 'health', 'liveness', 'port'],
  ['services', 0, 'health', 'liveness', 'timeoutSeconds'],
  ['services', 0, 'health', 'liveness', 'initialDelaySeconds'],
  ['services', 0, 'environments', 'prod', 'replicas'],
  ['services', 0, 'environments', 'prod', 'env', 'LOG_LEVEL'],
  ['services', 1, 'environments', 'staging', 'alertRouting', 'medium'],
  ['services', 2, 'alertRouting', 'low'],
  ['businessHours', 'weekdays', 1],
  ['receivers', 'merch-tickets', 'bearerTokenSecret'],
];

/** Structured values for absent fields, next to the generic ones. */
const FIELD_VALUES: readonly unknown[] = [
  'monitoring',
  'payments',
  'kube-system',
  '1.0.0',
  '/metrics',
  '/a b',
  '1s',
  '150s',
  '2m30s',
  '1ms',
  '0s',
  '1h',
  'foo_total',
  'http_request_duration_seconds_bucket',
  '7d',
  '28d',
  [{ budgetPercent: 2, longWindow: '1h', shortWindow: '5m', severity: 'critical' }],
  [{ budgetPercent: 100, longWindow: '29d', shortWindow: '1m', severity: 'low' }],
  [{ budgetPercent: 0.001, longWindow: '1m', shortWindow: '30s', severity: 'high' }],
  [
    { budgetPercent: 2, longWindow: '1h', shortWindow: '5m', severity: 'critical' },
    { budgetPercent: 2, longWindow: '1h', shortWindow: '5m', severity: 'low' },
  ],
  [1, 100],
  [100],
  [50, 50, 100],
  { name: 'tickets-token', key: 'token' },
  'sunday',
  'saturday:sunday',
  'friday:monday',
  'merch-tickets',
  'none',
  1e9,
  0.0001,
];

/** A field and values worth giving it: close to valid, at the limits, or colliding with names the library uses. */
interface Target {
  readonly paths: readonly FieldPath[];
  readonly values: fc.Arbitrary<unknown>;
}

const SLO_PATHS: readonly FieldPath[] = [
  ['services', 0, 'slos', 0],
  ['services', 0, 'slos', 1],
  ['services', 1, 'slos', 0],
  ['services', 1, 'slos', 1],
  ['services', 2, 'slos', 0],
];

const BUCKET_POOL = [1e-6, 0.001, 0.005, 0.05, 0.1, 0.2, 0.25, 0.3, 0.1 + 0.2, 0.5, 1, 1 / 3, 2.5, 10, 123.456, 3600, 86400];

const EMAILS = ['ops@example.com', 'a+b@example.com', "o'neil@example.com", 'a%b@example.com', 'a|b@example.com', 'a!b@example.com', '#a@example.com', 'a\\b@example.com', 'a(b)@example.com', 'a:b@example.com', 'a$b@example.com', 'ü@example.com', 'x@a-b.example', `${'a'.repeat(64)}@example.com`, 'a@b.co'];
const SMARTHOSTS = ['smtp.example.com:587', '[::1]:25', '127.0.0.1:25', 'smtp:25', 'smtp.example.com:65535', 'smtp.example.com:0587', 'a-b.example.com:1', '[::ffff:1.2.3.4]:25', 'SMTP.EXAMPLE.COM:25', '1.2.3.4.5:25'];
const WEBHOOK_URLS = [
  'https://tickets.example.com/hooks/x?a=b&c=d',
  'http://10.0.0.1:8080/hook',
  'http://[fe80::1%25en0]:8080/',
  'http://[::1]/x',
  'https://x.example.com/a%20b',
  'https://x.example.com/{{x}}',
  "https://x.example.com/'",
  'https://x.example.com/"',
  'https://x.example.com/a\\b',
  'https://x.example.com#f',
  'https://x.example.com/?',
  'https://x.example.com:99999/',
  'https://-x.example.com/',
  'https://x_y.example.com/',
  'https://x.example.com/ü',
  'https://x.example.com/%zz',
  'https://x.example.com/a?b=%zz',
  'https://x.example.com/${HOST}',
  'https://x.example.com/a#b#c',
  'https://x.example.com:/a',
];
const SECRET_NAMES = ['a', 'a.b', 'a-b.c-d', 'a'.repeat(253), 'a'.repeat(254), 'A', 'a_b', '-a', 'a.', '.a', 'on', 'null'];
const SECRET_KEYS = ['.', '..', '..a', 'a..b', '.hidden', '-', '_', 'a'.repeat(253), 'a'.repeat(254), 'key.with.dots', 'on', 'A-Z_0.9'];
const TIME_ZONES = ['UTC', 'Etc/GMT+12', 'Etc/GMT-14', 'America/St_Johns', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Africa/Casablanca', 'Asia/Tehran', 'Antarctica/Troll', 'Europe/Kyiv', 'Europe/Kiev', 'EST5EDT', 'utc', 'Local', 'GMT', 'Etc/UTC', 'US/Pacific', 'Asia/Calcutta', 'America/Argentina/Buenos_Aires'];
const WEEKDAYS = ['sunday', 'monday:friday', 'saturday', 'wednesday', 'monday:monday', 'saturday:sunday', 'sunday:saturday', 'tuesday:thursday', 'friday'];
const CLOCKS = ['00:00', '00:01', '08:59', '09:00', '12:30', '17:59', '18:00', '23:59', '24:00'];
const METRIC_NAMES = ['slo:sli_error:ratio_rate5m', 'ALERTS', 'ALERTS_FOR_STATE', 'up', 'x:y', '_x', 'http_request_duration_seconds_count', 'http_request_duration_seconds_bucket', 'http_requests_total', 'notifier_emails_sent_total', 'kube_pod_container_status_restarts_total', 'le', 'a'.repeat(200)];
const HTTP_PATHS = ['/', '//', '/healthz?x=1', '/a%20b', '/a%zz', '/{{x}}', '/ü', '/"', "/'", '/#frag', '/a\\b', '/a:b', '/${x}', `/${'a'.repeat(1023)}`, '/on', '/.well-known/health'];
const DURATIONS = ['1s', '0s', '1ms', '500ms', '15s', '59s', '60s', '90s', '1m30s', '2m30s', '150s', '151s', '1h', '1h30m', '1d', '1w', '1y', '10000d', '5m0s'];

const numberIn = (values: readonly number[]): fc.Arbitrary<number> => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: numberValues });

/** Targets of `set` beyond the generic values: plausible values that stress the generators. */
const TARGETS: readonly Target[] = [
  {
    paths: SLO_PATHS.map((p) => [...p, 'objective']),
    values: numberIn([99.95, 99.99, 99.999, 99.9999, 99.99999, 99.999999999, 90, 75, 50, 33.333333333333336, 10, 1, 0.1, 0.001, 99.9 + 1e-12, 100 - Number.EPSILON * 64, 98.6]),
  },
  {
    paths: SLO_PATHS.map((p) => [...p, 'minRequestRate']),
    values: numberIn([1e9, 1e-9, 1e-300, 5e-324, 0.0001, 0.5, 1, 9.99, 10, 11, 99, 100, 1000, 12345.678]),
  },
  {
    paths: [['services', 0, 'slos', 1, 'thresholdSeconds'], ['services', 1, 'slos', 1, 'thresholdSeconds']],
    values: numberIn(BUCKET_POOL),
  },
  {
    paths: [['services', 0, 'metrics', 'latencyBuckets'], ['services', 1, 'metrics', 'latencyBuckets']],
    values: fc.uniqueArray(fc.constantFrom(...BUCKET_POOL), { minLength: 1, maxLength: 8 }).map((b) => [...b].sort((x, y) => x - y)),
  },
  {
    paths: SLO_PATHS.map((p) => [...p, 'period']),
    values: fc.constantFrom('7d', '28d', '30d', '1w', '4w', '90d', '30D'),
  },
  {
    paths: SLO_PATHS.map((p) => [...p, 'burnRateTiers']),
    values: fc.array(
      fc.record({
        budgetPercent: numberIn([0.001, 0.1, 1, 2, 5, 10, 50, 99.9, 100]),
        longWindow: fc.constantFrom(...DURATIONS),
        shortWindow: fc.constantFrom(...DURATIONS),
        severity: fc.constantFrom('critical', 'high', 'medium', 'low'),
      }),
      { minLength: 0, maxLength: 4 },
    ),
  },
  {
    paths: [['services', 0, 'metrics', 'scrapeInterval'], ['services', 2, 'metrics', 'scrapeInterval'], ['services', 0, 'delivery', 'stepDuration']],
    values: fc.constantFrom(...DURATIONS),
  },
  {
    paths: [['services', 0, 'metrics', 'requestsMetric'], ['services', 0, 'metrics', 'latencyMetric'], ['services', 1, 'metrics', 'requestsMetric'], ['services', 1, 'metrics', 'latencyMetric']],
    values: fc.constantFrom(...METRIC_NAMES),
  },
  {
    paths: [
      ['services', 0, 'metrics', 'path'],
      ['services', 0, 'health', 'liveness', 'path'],
      ['services', 0, 'health', 'readiness', 'path'],
      ['services', 2, 'health', 'liveness', 'path'],
    ],
    values: fc.constantFrom(...HTTP_PATHS),
  },
  {
    paths: [['businessHours']],
    values: fc.record(
      {
        timezone: fc.constantFrom(...TIME_ZONES),
        weekdays: fc.subarray(WEEKDAYS, { minLength: 1, maxLength: 3 }),
        start: fc.constantFrom(...CLOCKS),
        end: fc.constantFrom(...CLOCKS),
      },
      { requiredKeys: [] },
    ),
  },
  { paths: [['businessHours', 'timezone']], values: fc.constantFrom(...TIME_ZONES) },
  {
    paths: [['receivers', 'platform-tickets'], ['receivers', 'merch-tickets'], ['receivers', 'payments-pager']],
    values: fc.oneof(
      fc.record({ type: fc.constant('email'), to: fc.constantFrom(...EMAILS), smarthost: fc.constantFrom(...SMARTHOSTS), from: fc.constantFrom(...EMAILS) }),
      fc.record({ type: fc.constant('webhook'), url: fc.constantFrom(...WEBHOOK_URLS) }),
      fc.record({ type: fc.constant('webhook'), url: fc.constantFrom(...WEBHOOK_URLS), bearerTokenSecret: fc.record({ name: fc.constantFrom(...SECRET_NAMES), key: fc.constantFrom(...SECRET_KEYS) }) }),
      fc.record({ type: fc.constant('slack'), channel: fc.constantFrom('#a', `#${'a'.repeat(80)}`, '#_', '#-', '#on', '#no', '#payments-alerts'), apiUrlSecret: fc.record({ name: fc.constantFrom(...SECRET_NAMES), key: fc.constantFrom(...SECRET_KEYS) }) }),
      fc.record({ type: fc.constant('pagerduty'), routingKeySecret: fc.record({ name: fc.constantFrom(...SECRET_NAMES), key: fc.constantFrom(...SECRET_KEYS) }) }),
    ),
  },
  {
    paths: [
      ['receivers', 'payments-pager', 'routingKeySecret', 'key'],
      ['receivers', 'payments-chat', 'apiUrlSecret', 'key'],
      ['services', 0, 'secretEnv', 'DATABASE_PASSWORD', 'key'],
      ['services', 2, 'secretEnv', 'SMTP_PASSWORD', 'key'],
    ],
    values: fc.constantFrom(...SECRET_KEYS),
  },
  {
    paths: [
      ['receivers', 'payments-pager', 'routingKeySecret', 'name'],
      ['services', 0, 'secretEnv', 'DATABASE_PASSWORD', 'name'],
    ],
    values: fc.constantFrom(...SECRET_NAMES),
  },
  {
    paths: [['services', 0, 'delivery']],
    values: fc.oneof(
      fc.record({ strategy: fc.constant('canary'), steps: fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 5 }).map((s) => [...s.sort((a, b) => a - b).filter((x) => x < 100), 100]), stepDuration: fc.constantFrom(...DURATIONS) }, { requiredKeys: ['strategy'] }),
      fc.record({ strategy: fc.constant('rolling'), maxSurge: fc.constantFrom('0', '1', '0%', '1%', '100%', '101%', '2147483647', '2147483648', '00', '25%'), maxUnavailable: fc.constantFrom('0', '1', '0%', '100%', '99%', '3', '20') }, { requiredKeys: ['strategy'] }),
      fc.record({ strategy: fc.constant('blue-green'), scaleDownDelaySeconds: numberIn([0, 1, 30, 2147483647]), autoPromote: fc.boolean() }, { requiredKeys: ['strategy'] }),
    ),
  },
  {
    paths: [['services', 0, 'autoscaling'], ['services', 1, 'autoscaling'], ['services', 2, 'autoscaling'], ['services', 0, 'environments', 'staging', 'autoscaling']],
    values: fc.oneof(
      fc.constant(false),
      fc.record({ minReplicas: numberIn([1, 2, 3, 20, 100]), maxReplicas: numberIn([1, 2, 3, 20, 100, 1000]), cpuTargetPercent: numberIn([1, 50, 100, 101, 1000]) }, { requiredKeys: [] }),
    ),
  },
  {
    paths: [['services', 0, 'resources'], ['services', 2, 'resources'], ['services', 0, 'environments', 'dev', 'resources']],
    values: fc.record(
      {
        requests: fc.record({ cpu: fc.constantFrom('1m', '0.001', '0.5', '1', '1.5', '100000', '999999999m', '1000000'), memory: fc.constantFrom('1Ki', '1Mi', '1024Mi', '1Gi', '1024Ti', '1025Ti', '999999Ki') }, { requiredKeys: [] }),
        limits: fc.record({ cpu: fc.constantFrom('1m', '0.5', '2', '1000000', '1000000000m'), memory: fc.constantFrom('1Ki', '1Gi', '1024Ti', '4096Mi') }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
  },
  {
    paths: [['services', 0, 'replicas'], ['services', 2, 'replicas'], ['services', 0, 'environments', 'dev', 'replicas'], ['services', 0, 'port'], ['services', 1, 'port'], ['services', 2, 'port'], ['services', 0, 'metrics', 'port'], ['services', 2, 'metrics', 'port'], ['services', 0, 'health', 'liveness', 'port'], ['services', 0, 'health', 'readiness', 'timeoutSeconds'], ['services', 0, 'health', 'startup', 'failureThreshold'], ['services', 0, 'health', 'liveness', 'initialDelaySeconds']],
    values: numberIn([0, 1, 2, 3, 79, 80, 443, 1023, 1024, 4317, 8080, 9090, 9100, 65535, 65536, 1000, 2147483647]),
  },
  {
    paths: [['services', 0, 'image'], ['services', 2, 'image'], ['services', 0, 'environments', 'dev', 'image'], ['services', 0, 'environments', 'prod', 'image']],
    values: fc.constantFrom(
      'localhost:5000/x:1',
      'registry.example.com/payments/checkout:V1',
      `registry.example.com/payments/checkout:${'a'.repeat(64)}`,
      `registry.example.com/payments/checkout:${'a'.repeat(128)}`,
      'registry.example.com/payments/checkout:1.0.0_rc-1',
      'registry.example.com/payments/checkout:_x',
      'registry.example.com/payments/checkout:x.',
      `registry.example.com/payments/checkout@sha256:${'a'.repeat(64)}`,
      `registry.example.com/payments/checkout:latest@sha256:${'a'.repeat(64)}`,
      'checkout:1',
      'a/b/c/d/e:1',
      'registry.example.com:443/a__b:1',
      'registry.example.com/a--b:1',
      'REGISTRY.example.com/a:1',
      'registry.example.com/payments/checkout:on',
      'registry.example.com/payments/checkout:1e3',
      'registry.example.com/payments/checkout:0777',
      'registry.example.com/payments/checkout:1_000',
    ),
  },
  {
    paths: [['services', 1, 'version'], ['services', 0, 'version']],
    values: fc.constantFrom('1.0.0+build', '1.0', 'v1.2.3', 'a'.repeat(63), 'a'.repeat(64), '1__0', 'on', 'no', '0777', '1e3', '1_000', '1:20', '2026-12-01', 'null', '.inf', '-1', 'X'),
  },
  {
    paths: [['services', 0, 'dependsOn'], ['services', 2, 'dependsOn'], ['services', 1, 'dependsOn']],
    values: fc.constantFrom(['catalog', 'catalog'], ['notifier'], ['checkout'], ['catalog', 'checkout'], [], ['constructor'], ['catalog', 'notifier']),
  },
  {
    paths: [['services', 0, 'env'], ['services', 2, 'env'], ['services', 0, 'environments', 'prod', 'env']],
    values: fc.dictionary(
      fc.constantFrom('A', 'LOG_LEVEL', 'constructor', '__proto__', 'toString', '_', 'a1', 'OTEL_SERVICE_NAME', 'PATH', 'HOME', 'X_Y'),
      fc.oneof(fc.constantFrom(...(SPECIAL_VALUES.filter((v) => typeof v === 'string') as string[]), ...HOSTILE_TEXT), fc.string({ unit: 'binary', maxLength: 8 }), fc.constant('x'.repeat(32768))),
      { maxKeys: 3 },
    ),
  },
  {
    paths: [['environments']],
    values: fc.constantFrom(
      ['dev', 'staging', 'prod'],
      ['dev', 'staging', 'prod', 'production'],
      ['dev', 'staging', { name: 'prod' }],
      ['dev', 'staging', { name: 'prod', production: false }],
      ['dev', { name: 'staging', production: true }, 'prod'],
      ['prod'],
      ['dev', 'staging', 'prod', 'on'],
      ['dev', 'staging', 'prod', 'constructor'],
      ['dev', 'staging', 'prod', 'a'.repeat(63)],
      [{ name: 'dev', otlpEndpoint: 'http://[::1]:4317' }, 'staging', { name: 'prod', otlpEndpoint: 'https://otel.example.com:4318/v1/traces?x=%zz' }],
    ),
  },
];

function pathsArbitrary(paths: readonly FieldPath[]): fc.Arbitrary<FieldPath> {
  return fc.constantFrom(...paths);
}

const typoArbitrary: fc.Arbitrary<Typo> = fc.record({
  edit: fc.constantFrom('delete', 'insert', 'replace', 'transpose', 'case'),
  at: fc.nat({ max: 40 }),
  char: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz-_.0A '.split('')),
});

/**
 * One mutation of the example input: every kind of change the fuzzer knows, at paths that exist
 * in the example (or optional fields it leaves out).
 */
export function mutationArbitrary(base: unknown = exampleInput()): fc.Arbitrary<Mutation> {
  const pools = pathPools(base);
  const any = pathsArbitrary(pools.any);
  const strings = pathsArbitrary(pools.strings);
  const hostile = fc.oneof(fc.constantFrom(...HOSTILE_TEXT), fc.constantFrom(...TEMPLATE_TEXT), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }));
  const spliceAt = fc.constantFrom<SpliceAt>('replace', 'end', 'start', 'middle');
  const textValue = fc.oneof(
    fc.constantFrom(...TEMPLATE_TEXT),
    fc.tuple(fc.constantFrom('Owned by ', 'payments-team@example.com', '99% of ', ''), fc.constantFrom(...TEMPLATE_TEXT, ...HOSTILE_TEXT)).map(([a, b]) => a + b),
  );
  const urlValue = fc.oneof(
    fc.tuple(fc.constantFrom('https://runbooks.example.com/', 'http://prometheus.monitoring:9090/', 'https://x.example.com/a?b=', 'https://x.example.com/#'), fc.constantFrom(...TEMPLATE_TEXT, ...HOSTILE_TEXT)).map(([a, b]) => a + b),
    fc.constantFrom('http://[::1]:9090', 'https://x.example.com:65536', 'https://x.example.com:0', 'https://例え.jp/a', 'https://x.example.com/%2F', 'HTTPS://X.EXAMPLE.COM', 'https://x.example.com//', 'https://x.example.com/a/../b', 'http://x', 'https://user@x.example.com'),
  );
  const set = (paths: fc.Arbitrary<FieldPath>, values: fc.Arbitrary<unknown>): fc.Arbitrary<Mutation> => fc.record({ op: fc.constant('set' as const), path: paths, value: values });
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), path: any }) },
    { weight: 5, arbitrary: set(any, valueArbitrary) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('rename' as const), path: pathsArbitrary(pools.keys), typo: typoArbitrary }) },
    { weight: 2, arbitrary: set(fc.tuple(pathsArbitrary(pools.objects), fc.constantFrom(...KEY_VALUES)).map(([p, k]) => [...p, k]), valueArbitrary) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('copy' as const), path: pathsArbitrary(pools.keys), to: fc.constantFrom(...KEY_VALUES, ...NAME_VALUES) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('swapType' as const), path: pathsArbitrary(pools.scalars) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), path: pathsArbitrary(pools.items) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('drop' as const), path: pathsArbitrary(pools.items) }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('splice' as const), path: strings, text: hostile, at: spliceAt }) },
    { weight: 3, arbitrary: set(pathsArbitrary(SELECTOR_PATHS), selectorArbitrary) },
    { weight: 4, arbitrary: set(pathsArbitrary(TEXT_PATHS), textValue) },
    { weight: 2, arbitrary: set(pathsArbitrary(URL_PATHS), urlValue) },
    { weight: 2, arbitrary: set(pathsArbitrary(QUERY_PATHS), fc.constantFrom(...QUERY_VALUES)) },
    { weight: 3, arbitrary: set(pathsArbitrary(ABSENT_FIELDS), fc.oneof(fc.constantFrom(...FIELD_VALUES), valueArbitrary)) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('renameName' as const), from: fc.constantFrom(...NAMES_IN_EXAMPLE), to: fc.constantFrom(...NAME_VALUES) }) },
    { weight: 8, arbitrary: fc.oneof(...TARGETS.map((t) => set(pathsArbitrary(t.paths), t.values))) },
  );
  return mutation.map(printable);
}

/** One to three mutations of the example input. */
export function mutationsArbitrary(base: unknown = exampleInput()): fc.Arbitrary<Mutation[]> {
  return fc.array(mutationArbitrary(base), { minLength: 1, maxLength: 3 });
}

// ---------------------------------------------------------------------------------------------
// Running the consumers, with verdicts cached by content
// ---------------------------------------------------------------------------------------------

/** The outputs the fuzzer synthesizes; Terraform JSON (gcp) is left out for speed. */
export const FUZZ_SIDES: readonly OutputSide[] = ['k8s', 'prometheus', 'alertmanager'];

interface ToolRun {
  readonly status: number;
  readonly output: string;
}

/** Runs a tool without blocking the event loop, so several can run at once. */
function runAsync(tool: string, args: readonly string[], cwd?: string, timeoutMs = 600_000): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = spawn(tool, [...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ status: -1, output: `${output}${error.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, output: signal !== null ? `${output}\n(killed by ${signal})` : output });
    });
  });
}

function sha256(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\u0000');
  return hash.digest('hex');
}

const toolVersions = new Map<string, string>();

function toolVersion(tool: string): string {
  let version = toolVersions.get(tool);
  if (version === undefined) {
    const result = spawnSync(tool, ['--version'], { encoding: 'utf8' });
    version = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n')[0];
    toolVersions.set(tool, version);
  }
  return version;
}

/**
 * Contents the consumers accepted, by hash of the content and the tool. A tool's verdict depends
 * on nothing but the content it reads, so an identical file need not be checked twice; only
 * acceptance is remembered, so a rejected file is checked (and its output shown) every time.
 */
const acceptedInMemory = new Set<string>();

/**
 * An optional folder remembering accepted content across sessions (`FUZZ_CACHE_DIR`): keys
 * include the tool's version, so a new tool checks everything again.
 */
const CACHE_DIR = process.env.FUZZ_CACHE_DIR === undefined || process.env.FUZZ_CACHE_DIR === '' ? undefined : path.resolve(process.env.FUZZ_CACHE_DIR);

const accepted = {
  has(key: string): boolean {
    return acceptedInMemory.has(key) || (CACHE_DIR !== undefined && fs.existsSync(path.join(CACHE_DIR, key)));
  },
  add(key: string): void {
    acceptedInMemory.add(key);
    if (CACHE_DIR !== undefined) {
      fs.mkdirSync(CACHE_DIR, { recursive: true });
      fs.writeFileSync(path.join(CACHE_DIR, key), '');
    }
  },
};

/** How many consumer checks ran and how many were answered from `accepted`. */
export const toolStats = { ran: 0, cached: 0 };

/** Splits items into at most `n` chunks of about equal size. */
function chunks<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = Array.from({ length: Math.min(n, items.length) }, () => []);
  items.forEach((item, i) => out[i % out.length].push(item));
  return out;
}

/** How many tool processes run at once. */
export const FUZZ_PARALLELISM = Math.max(1, Number(process.env.FUZZ_JOBS ?? os.cpus().length));

/**
 * The output sections of one invocation per file: promtool and amtool print `Checking <file>` or
 * `Unit Testing: <file>` before each file's verdict.
 */
function sectionsByFile(output: string, files: readonly string[]): Map<string, string> {
  const sections = output.split(/^(?=Checking |Unit Testing: )/m);
  const byFile = new Map<string, string>();
  for (const file of files) {
    const section = sections.find((s) => s.split('\n')[0].includes(file));
    if (section !== undefined) byFile.set(file, section.trim());
  }
  return byFile;
}

/**
 * Runs `tool <args> <files>` over the files whose verdict is not known, in parallel chunks.
 * Returns the problems, each with the tool's output for the file; remembers the files accepted.
 */
async function checkFiles(tool: string, args: readonly string[], files: readonly { file: string; key: string }[]): Promise<string[]> {
  const todo = files.filter((f) => !accepted.has(f.key));
  toolStats.cached += files.length - todo.length;
  toolStats.ran += todo.length;
  const runs = await Promise.all(chunks(todo, FUZZ_PARALLELISM).map(async (chunk) => ({ chunk, run: await runAsync(tool, [...args, ...chunk.map((c) => c.file)]) })));
  const problems: string[] = [];
  const command = `${tool} ${args.join(' ')}`;
  for (const { chunk, run } of runs) {
    const sections = sectionsByFile(run.output, chunk.map((c) => c.file));
    const rejected: string[] = [];
    for (const c of chunk) {
      const section = sections.get(c.file);
      const fileOk = section === undefined ? run.status === 0 : /SUCCESS/.test(section) && !/FAILED/.test(section);
      if (fileOk && run.status === 0) {
        accepted.add(c.key);
      } else if (fileOk && section !== undefined) {
        // Accepted on its own although another file of the same invocation was not.
        accepted.add(c.key);
      } else {
        rejected.push(section !== undefined ? `${command} rejects ${c.file}:\n${section}` : `${command} ${c.file} exited with ${run.status}:\n${run.output.trim()}`);
      }
    }
    if (rejected.length === 0 && run.status !== 0) {
      rejected.push(`${command} exited with ${run.status} over ${chunk.map((c) => c.file).join(' ')}:\n${run.output.trim()}`);
    }
    problems.push(...rejected);
  }
  return problems;
}

/** Plain scalars go-yaml v2 resolves by table lookup (resolve.go, v2.4): booleans, nulls, special floats, merge. */
const GO_YAML_V2_WORDS: ReadonlyMap<string, string> = new Map([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((w) => [w, 'the boolean true'] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((w) => [w, 'the boolean false'] as const),
  ...['', '~', 'null', 'Null', 'NULL'].map((w) => [w, 'null'] as const),
  ...['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF'].map((w) => [w, 'a float'] as const),
  ['<<', 'a merge key'] as const,
]);

const GO_YAML_V2_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Go's strconv.ParseInt(s, 0, 64) or ParseUint(s, 0, 64) succeeds. */
function goParsesInteger(s: string): boolean {
  const match = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (match === null) return false;
  const digits = match[2];
  const magnitude = /^0[oO]/.test(digits) ? BigInt(`0o${digits.slice(2)}`) : /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  if (match[1] === '-') return magnitude <= 2n ** 63n;
  return magnitude <= (match[1] === '+' ? 2n ** 63n - 1n : 2n ** 64n - 1n);
}

/** go-yaml v2's parseTimestamp: the layouts it tries with Go's time.Parse. */
function goParsesTimestamp(s: string): boolean {
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,9})?(?:Z|[-+]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,9})?))?$/.exec(s);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const clock = [match[4] ?? match[7], match[5] ?? match[8], match[6] ?? match[9]].map((x) => (x === undefined ? 0 : Number(x)));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && clock[0] < 24 && clock[1] < 60 && clock[2] < 60;
}

/**
 * What go-yaml v2 (kubectl's sigs.k8s.io/yaml, Alertmanager, many tools) reads a plain scalar as,
 * when not a string: transcribed from its resolver (resolve.go), not from the YAML specification.
 */
export function goYamlV2NonString(plain: string): string | undefined {
  const word = GO_YAML_V2_WORDS.get(plain);
  if (word !== undefined) return word;
  const first = plain.charAt(0);
  if (first === '.') return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(plain) ? 'a float' : undefined;
  if (!/[-+0-9]/.test(first)) return undefined;
  if (goParsesTimestamp(plain)) return 'a timestamp';
  const digits = plain.replace(/_/g, '');
  if (goParsesInteger(digits)) return 'an integer';
  if (GO_YAML_V2_FLOAT.test(digits) && Number.isFinite(Number(digits))) return 'a float';
  if (/^-0b[01]+$/.test(digits)) return 'an integer';
  return undefined;
}

/** Plain (unquoted) string scalars of a document that go-yaml v2 reads as something else. */
function goYamlV2Misreadings(doc: Document.Parsed): string[] {
  const found: string[] = [];
  visit(doc, {
    Scalar(_key, node) {
      if (node.type === Scalar.PLAIN && typeof node.value === 'string') {
        const other = goYamlV2NonString(node.value);
        if (other !== undefined) found.push(`the unquoted string ${formatFuzzValue(node.value)} is ${other} to go-yaml v2 (kubectl)`);
      }
    },
  });
  return found;
}

let schemaVersionKey: string | undefined;

/** What the schema verdicts depend on: the model packages, the vendored CRDs and the validator. */
function schemaVersion(): string {
  if (schemaVersionKey === undefined) {
    const packageVersion = (name: string): string => (JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
    const crds = fs.readdirSync(CRD_DIR).sort().map((f) => fs.readFileSync(path.join(CRD_DIR, f), 'utf8'));
    schemaVersionKey = sha256(packageVersion('kubernetes-models'), packageVersion('@kubernetes-models/prometheus-operator'), fs.readFileSync(path.join(__dirname, '../../lib/validate/schemas.ts'), 'utf8'), ...crds);
  }
  return schemaVersionKey;
}

/**
 * Problems of one Kubernetes manifest file: YAML errors, unquoted strings that go-yaml v2
 * (kubectl's sigs.k8s.io/yaml reads YAML 1.1 style) takes for booleans, numbers, nulls or
 * timestamps, and schema problems of every object (built-in kinds via kubernetes-models, custom resources against the vendored CRDs).
 */
export function manifestProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) {
    return [`${file}: is not a YAML stream`];
  }
  docs.forEach((doc, i) => {
    for (const error of [...doc.errors, ...doc.warnings]) problems.push(`${file}: document ${i}: YAML ${error.name}: ${error.message}`);
    const object = doc.toJS({ maxAliasCount: 100 }) as KubeObject | null;
    if (object === null || typeof object !== 'object') {
      problems.push(`${file}: document ${i} is not an object`);
      return;
    }
    for (const misreading of goYamlV2Misreadings(doc)) problems.push(`${file}: ${object.kind} ${object.metadata?.name}: ${misreading}`);
    const key = sha256('schema', schemaVersion(), JSON.stringify(object));
    if (accepted.has(key)) {
      toolStats.cached++;
      return;
    }
    toolStats.ran++;
    const found = schemaProblems(object);
    if (found.length === 0) accepted.add(key);
    problems.push(...found.map((p) => `${file}: ${p}`));
  });
  return problems;
}

/**
 * Checks a synthesized output folder with every consumer, in one batch per tool:
 * `promtool check rules` over every rule file, `promtool test rules` over every test file,
 * `amtool check-config` over every Alertmanager configuration, and the schemas over every
 * object of every manifest. Returns the problems found; empty when everything is accepted.
 */
export async function outputProblems(dir: string, files: readonly string[]): Promise<string[]> {
  const read = (file: string): string => fs.readFileSync(path.join(dir, file), 'utf8');
  const rules = files.filter((f) => f.endsWith('.rules.yaml'));
  const tests = files.filter((f) => f.endsWith('.test.yaml'));
  const alertmanager = files.filter((f) => f.endsWith('alertmanager.yml'));
  const manifests = files.filter((f) => f.endsWith('.k8s.yaml'));
  const problems: string[] = [];
  for (const [side, list] of [['prometheus rule files', rules], ['promtool test files', tests], ['alertmanager configurations', alertmanager], ['manifests', manifests]] as const) {
    if (list.length === 0) problems.push(`synthesis wrote no ${side}`);
  }
  const promtool = toolVersion('promtool');
  const amtool = toolVersion('amtool');
  const ruleKeys = new Map(rules.map((f) => [f, sha256('check rules', promtool, read(f))]));
  const testKey = (f: string): string => {
    const text = read(f);
    const referenced = rules.filter((r) => path.dirname(r) === path.dirname(f) && text.includes(path.basename(r))).map(read);
    return sha256('test rules', promtool, text, ...referenced);
  };
  const batches = await Promise.all([
    checkFiles('promtool', ['check', 'rules'], rules.map((f) => ({ file: path.join(dir, f), key: ruleKeys.get(f) as string }))),
    checkFiles('promtool', ['test', 'rules'], tests.map((f) => ({ file: path.join(dir, f), key: testKey(f) }))),
    checkFiles('amtool', ['check-config'], alertmanager.map((f) => ({ file: path.join(dir, f), key: sha256('check-config', amtool, read(f)) }))),
  ]);
  for (const batch of batches) problems.push(...batch);
  for (const file of manifests) problems.push(...manifestProblems(file, read(file)));
  return problems;
}

// ---------------------------------------------------------------------------------------------
// One case of the property
// ---------------------------------------------------------------------------------------------

/** Where a run ended. */
export type FuzzStage = 'defineService' | 'definePlatform' | 'synthesizePlatform';

/** What happened to one mutated definition. */
export type FuzzOutcome =
  | { readonly kind: 'rejected'; readonly stage: FuzzStage; readonly error: DefinitionError }
  | { readonly kind: 'crashed'; readonly stage: FuzzStage; readonly error: unknown }
  | { readonly kind: 'synthesized'; readonly dir: string; readonly files: readonly string[]; readonly problems: readonly string[] };

/** Counts of outcomes over a fuzzing session, for the summary line. */
export const outcomeStats: Record<string, number> = {};

function count(name: string): void {
  outcomeStats[name] = (outcomeStats[name] ?? 0) + 1;
}

/** The output folder of the last failing case, kept for inspection; earlier ones are removed. */
let keptDir: string | undefined;

/**
 * Defines, synthesizes and checks one mutated definition. The services are defined one by one
 * (as a platform author does); whatever the mutations made of the `services` list reaches
 * definePlatform as it is when it is not a list.
 */
export async function runCase(mutations: readonly Mutation[]): Promise<FuzzOutcome> {
  const { input } = mutatedInput(mutations);
  let stage: FuzzStage = 'defineService';
  try {
    const raw = input.services;
    const services = Array.isArray(raw) ? raw.map((s) => defineService(s as ServiceDefinitionInput)) : raw;
    stage = 'definePlatform';
    const platform = definePlatform({ ...(input as unknown as PlatformDefinitionInput), services: services as PlatformDefinitionInput['services'] });
    stage = 'synthesizePlatform';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-constructs-fuzz-'));
    let files: readonly string[];
    try {
      files = synthesizePlatform(platform, dir, { sides: FUZZ_SIDES }).files;
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    const problems = await outputProblems(dir, files);
    count(problems.length === 0 ? 'synthesized and accepted' : 'synthesized and rejected by a consumer');
    if (problems.length === 0) {
      fs.rmSync(dir, { recursive: true, force: true });
    } else {
      if (keptDir !== undefined) fs.rmSync(keptDir, { recursive: true, force: true });
      keptDir = dir;
    }
    return { kind: 'synthesized', dir, files, problems };
  } catch (error) {
    if (error instanceof DefinitionError) {
      count(`DefinitionError from ${stage}`);
      return { kind: 'rejected', stage, error };
    }
    count(`crash in ${stage}`);
    return { kind: 'crashed', stage, error };
  }
}

/** Longest tool output a failure message shows. */
const MAX_REPORT = 6000;

/** The failure message of an outcome that breaks the invariant, or undefined. */
export function invariantViolation(mutations: readonly Mutation[], outcome: FuzzOutcome): string | undefined {
  const { applied } = mutatedInput(mutations);
  const listing = mutations.map((m, i) => `  ${i + 1}. ${formatMutation(m)}${applied[i] ? '' : ' (did not apply)'}`).join('\n');
  if (outcome.kind === 'rejected') return undefined;
  if (outcome.kind === 'crashed') {
    const error = outcome.error;
    const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : `non-Error thrown: ${formatFuzzValue(error)}`;
    return `${outcome.stage} threw something other than a DefinitionError.\nMutations of the example platform:\n${listing}\n${text.slice(0, MAX_REPORT)}`;
  }
  if (outcome.problems.length === 0) return undefined;
  const report = outcome.problems.join('\n\n');
  const shown = report.length > MAX_REPORT ? `${report.slice(0, MAX_REPORT)}\n... (${report.length - MAX_REPORT} more characters)` : report;
  return `The definition was accepted, but a consumer rejects the output (kept in ${outcome.dir}).\nMutations of the example platform:\n${listing}\n${shown}`;
}

// ---------------------------------------------------------------------------------------------
// Settings and the property
// ---------------------------------------------------------------------------------------------

/** The settings of a fuzzing session, from the environment. */
export interface FuzzSettings {
  /** Number of mutated definitions: `FUZZ_RUNS`, default 60. */
  readonly runs: number;
  /** The seed: `FUZZ_SEED`, default a fixed one so that runs repeat. */
  readonly seed: number;
  /** A fast-check replay path (`FUZZ_PATH`), printed with a failure. */
  readonly path?: string;
  /** Time budget of the whole session in milliseconds, for the test's timeout. */
  readonly timeoutMs: number;
}

/** The fixed seed of the suite's run. */
export const DEFAULT_FUZZ_SEED = 20240611;

/** Runs of the suite's run (CI). */
export const DEFAULT_FUZZ_RUNS = 60;

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${JSON.stringify(text)}`);
  return value;
}

/** Reads `FUZZ_RUNS`, `FUZZ_SEED` and `FUZZ_PATH`. */
export function fuzzSettings(env: NodeJS.ProcessEnv = process.env): FuzzSettings {
  const runs = positiveInteger('FUZZ_RUNS', env.FUZZ_RUNS, DEFAULT_FUZZ_RUNS);
  const seed = positiveInteger('FUZZ_SEED', env.FUZZ_SEED, DEFAULT_FUZZ_SEED);
  const replay = env.FUZZ_PATH === undefined || env.FUZZ_PATH === '' ? undefined : env.FUZZ_PATH;
  // A synthesis with new content for promtool test rules costs seconds; shrinking a failure costs more.
  return { runs, seed, path: replay, timeoutMs: 600_000 + runs * 30_000 };
}

/** The invariant as a fast-check property over mutation lists. */
export function fuzzProperty(): fc.IAsyncProperty<[Mutation[]]> {
  return fc.asyncProperty(mutationsArbitrary(), async (mutations) => {
    const violation = invariantViolation(mutations, await runCase(mutations));
    if (violation !== undefined) throw new Error(violation);
  });
}

/** The fast-check parameters of a session. */
export function fuzzParameters(settings: FuzzSettings): fc.Parameters<[Mutation[]]> {
  return {
    numRuns: settings.runs,
    seed: settings.seed,
    path: settings.path,
    includeErrorInReport: true,
  };
}

/** Runs a whole session: throws fast-check's report (seed, path, shrunk counterexample) on failure. */
export async function runFuzz(settings: FuzzSettings = fuzzSettings()): Promise<void> {
  await fc.assert(fuzzProperty(), fuzzParameters(settings));
}

/** A one-line summary of the session's outcomes and tool use. */
export function fuzzSummary(): string {
  const outcomes = Object.entries(outcomeStats)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, n]) => `${name}: ${n}`)
    .join(', ');
  return `${outcomes}; consumer checks run: ${toolStats.ran}, answered from identical content: ${toolStats.cached}`;
}
