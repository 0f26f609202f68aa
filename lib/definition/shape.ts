/**
 * Shape checks with zod: types and containers before any field logic, unknown keys rejected
 * with a "did you mean" hint, every zod issue translated into a `DefinitionIssue` in the
 * library's own words. Field logic runs only on data of the right shape, so it never meets a
 * `null` where it expects an object.
 * @see https://zod.dev/api
 */
import * as z from 'zod';
import { deepCopy, own } from '../private/data';
import { DefinitionIssue } from './errors';

/** Messages of the type checks every schema shares. */
export const TYPE = Object.freeze({
  string: 'must be a string',
  number: 'must be a finite number',
  integer: 'must be an integer',
  boolean: 'must be true or false',
  object: 'must be an object',
  list: 'must be a list',
  map: 'must be an object mapping names to values',
});

/** A string; `message` says what the field must be when it is not one. */
export function str(message: string = TYPE.string) {
  return z.string({ error: message });
}

/** A finite number (zod rejects NaN and Infinity). */
export function num(message: string = TYPE.number) {
  return z.number({ error: message });
}

/** `true` or `false`. */
export function bool(message: string = TYPE.boolean) {
  return z.boolean({ error: message });
}

/** One of a few strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, message = `must be one of ${values.join(', ')}`) {
  return z.enum(values, { error: message });
}

/** An object with exactly these fields; unknown keys are rejected. */
export function obj<S extends z.ZodRawShape>(shape: S, message: string = TYPE.object) {
  return z.strictObject(shape, { error: message });
}

/** A list of items. */
export function list<T extends z.ZodType>(item: T, message: string = TYPE.list) {
  return z.array(item, { error: message }).readonly();
}

/** An object mapping names to values of one schema. */
export function map<T extends z.ZodType>(value: T, message: string = TYPE.map) {
  return z.record(z.string(), value, { error: message }).readonly();
}

type Key = PropertyKey;

/** A type with every `readonly` removed, deeply: to compare hand-written types with a schema's. */
export type DeepWritable<T> = T extends (infer U)[] ? DeepWritable<U>[] : T extends readonly (infer U)[] ? DeepWritable<U>[] : T extends object ? { -readonly [K in keyof T]: DeepWritable<T[K]> } : T;

/** `true` when two types are each assignable to the other. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Renders a zod path as the library's field path: `slos[0].objective`. */
export function fieldPath(path: readonly Key[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}

function joinField(root: string, field: string): string {
  return field === '' ? root : field.startsWith('[') ? `${root}${field}` : `${root}.${field}`;
}

function valueAt(value: unknown, path: readonly Key[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) {
      return undefined;
    }
    current = own(current as Record<string, unknown>, String(key));
  }
  return current;
}

interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly discriminator?: string;
  readonly in?: z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Unwraps optional, readonly, default and pipe wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if ((def.type === 'optional' || def.type === 'readonly' || def.type === 'default' || def.type === 'nullable') && def.innerType) {
      current = def.innerType;
    } else if (def.type === 'pipe' && def.in) {
      current = def.in;
    } else {
      return current;
    }
  }
}

/** The object schema that applies to `data`, among the options of a union. */
function objectOption(schema: z.ZodType, data: unknown): z.ZodType | undefined {
  const def = defOf(schema);
  const objects = (def.options ?? []).map(unwrap).filter((o) => defOf(o).type === 'object');
  if (def.discriminator !== undefined && typeof data === 'object' && data !== null) {
    const tag = own(data as Record<string, unknown>, def.discriminator);
    const chosen = objects.find((o) => {
      const literal = defOf(o).shape?.[def.discriminator as string];
      return literal !== undefined && (defOf(literal) as { values?: unknown[] }).values?.includes(tag);
    });
    if (chosen !== undefined) return chosen;
  }
  return objects.length === 1 ? objects[0] : undefined;
}

/** The schema at a path of the data, following objects, lists, maps and unions. */
function schemaAt(schema: z.ZodType, path: readonly Key[], data: unknown): z.ZodType | undefined {
  let current: z.ZodType | undefined = unwrap(schema);
  let value = data;
  for (const key of path) {
    if (current === undefined) return undefined;
    let def = defOf(current);
    if (def.type === 'union') {
      current = objectOption(current, value);
      if (current === undefined) return undefined;
      def = defOf(current);
    }
    const next: z.ZodType | undefined = def.type === 'object' ? def.shape?.[String(key)] : def.type === 'array' ? def.element : def.type === 'record' ? def.valueType : undefined;
    current = next === undefined ? undefined : unwrap(next);
    value = valueAt(value, [key]);
  }
  if (current !== undefined && defOf(current).type === 'union') {
    return objectOption(current, value);
  }
  return current;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (const ch of long) {
    if (ch === short[i]) i++;
  }
  return i === short.length;
}

/**
 * The known field a misspelt key most likely meant: a small edit distance (case ignored), or
 * the key's letters in order inside a field (`defaultRouting` → `defaultAlertRouting`).
 */
export function closestField(key: string, known: readonly string[]): string | undefined {
  // Field names are short; a long key is no misspelling of one, and comparing it costs time.
  if (key.length > 64) return undefined;
  const k = key.toLowerCase();
  let best: { name: string; score: number } | undefined;
  for (const name of known) {
    const n = name.toLowerCase();
    const distance = levenshtein(k, n);
    const close = distance <= Math.max(2, Math.floor(n.length / 3));
    const [short, long] = k.length <= n.length ? [k, n] : [n, k];
    const contained = short.length >= 3 && short.length >= long.length * 0.5 && isSubsequence(short, long);
    if ((close || contained) && (best === undefined || distance < best.score)) {
      best = { name, score: distance };
    }
  }
  return best?.name;
}

/** The message for an unknown key, with a hint at the field it probably meant. */
export function unknownKeyProblem(key: string, known: readonly string[]): string {
  const hint = closestField(key, known);
  if (hint !== undefined) {
    return `is not a known field; did you mean ${hint}?`;
  }
  return known.length > 0 ? `is not a known field; known fields: ${known.join(', ')}` : 'is not a known field';
}

type ZodIssue = z.core.$ZodIssue;

function isRootTypeMismatch(issue: ZodIssue): boolean {
  return issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_value');
}

/** Lets a caller word the message for an unknown key itself (undefined: the default wording). */
export type UnknownKeyProblem = (field: string, key: string) => string | undefined;

/** One shape problem at a path of the checked value. */
interface ShapeProblem {
  readonly path: readonly Key[];
  readonly problem: string;
  /** Whether the value must not be shown: an unknown key that may hold a secret. */
  readonly redact?: boolean;
  /** For an unknown key: the field it most likely meant. */
  readonly hint?: string;
  /** For a value outside an enumeration: an allowed value that lets field checks go on. */
  readonly stand_in?: { readonly value: unknown };
}

function translate(schema: z.ZodType, data: unknown, issue: ZodIssue, prefix: readonly Key[], out: ShapeProblem[], unknownKey?: UnknownKeyProblem): void {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    const target = schemaAt(schema, path, data);
    const shape = target !== undefined ? defOf(target).shape : undefined;
    const known = shape !== undefined ? Object.keys(shape) : [];
    const object = valueAt(data, path);
    const present = (field: string): boolean => typeof object === 'object' && object !== null && own(object as Record<string, unknown>, field) !== undefined;
    // A misspelt key most likely meant a field the input does not set yet.
    const unset = known.filter((field) => !present(field));
    for (const key of issue.keys) {
      const custom = unknownKey?.(fieldPath(path), key);
      const hint = closestField(key, unset);
      const problem = custom ?? (hint !== undefined ? `is not a known field; did you mean ${hint}?` : unknownKeyProblem(key, known.length > 0 ? known : []));
      out.push({ path: [...path, key], problem, hint, redact: SECRET_LIKE_KEY.test(key) });
    }
    return;
  }
  if (issue.code === 'invalid_union') {
    const withDiscriminator = issue as ZodIssue & { discriminator?: string; options?: readonly unknown[] };
    if (withDiscriminator.discriminator !== undefined && issue.errors.length === 0) {
      const options = (withDiscriminator.options ?? []).map(String);
      out.push({ path, problem: `must be one of ${options.join(', ')}` });
      return;
    }
    // Follow the one branch the value was meant for (an object for an object schema).
    const meant = issue.errors.filter((branch) => !branch.some(isRootTypeMismatch));
    if (meant.length === 1) {
      for (const inner of meant[0]) {
        translate(schema, data, inner, path, out, unknownKey);
      }
      return;
    }
  }
  if (issue.code === 'invalid_value' && issue.values.length > 0 && path.length > 0) {
    out.push({ path, problem: issue.message, stand_in: { value: issue.values[0] } });
    return;
  }
  const given = valueAt(data, path);
  if (issue.code === 'invalid_type' && typeof given === 'number' && !Number.isFinite(given)) {
    out.push({ path, problem: `${issue.message}, and finite` });
    return;
  }
  // Text written where a Secret reference belongs may be the secret itself: it is not shown.
  out.push({ path, problem: issue.message, redact: typeof given === 'string' && SECRET_FIELD.test(String(path[path.length - 1] ?? '')) });
}

/** Fields that reference secrets: a string written there instead is reported without its value. */
const SECRET_FIELD = /(pass|pwd|secret|token|credential)/i;

/** How deep a definition may nest: far more than any field needs, far less than the stack. */
const MAX_DEPTH = 32;

/** Objects a check does not look into: parts of the value checked already (a service from `defineService` in a platform). */
export type Checked = (value: object) => boolean;

/** A part of the value that nests too deep or refers back to itself, which no definition does. */
function depthProblem(value: unknown, checked?: Checked): ShapeProblem | undefined {
  const ancestors = new Set<unknown>();
  // One path, grown and shrunk as the walk goes: copied only into a problem.
  const path: Key[] = [];
  const visit = (current: unknown): ShapeProblem | undefined => {
    if (typeof current !== 'object' || current === null || checked?.(current) === true) return undefined;
    if (ancestors.has(current)) return { path: [...path], problem: 'refers back to an object that contains it; a definition is a tree of plain data', redact: true };
    if (path.length >= MAX_DEPTH) return { path: [...path], problem: `nests deeper than ${MAX_DEPTH} levels; no field of a definition does`, redact: true };
    ancestors.add(current);
    const keys: readonly Key[] = Array.isArray(current) ? [...current.keys()] : Object.keys(current);
    for (const key of keys) {
      path.push(key);
      const found = visit((current as Record<Key, unknown>)[key]);
      path.pop();
      if (found !== undefined) return found;
    }
    ancestors.delete(current);
    return undefined;
  };
  return visit(value);
}

/** Paths of own `__proto__` keys, which zod's records and objects silently drop. */
function prototypeKeys(value: unknown, checked?: Checked): Key[][] {
  const out: Key[][] = [];
  const path: Key[] = [];
  const visit = (current: unknown): void => {
    if (typeof current !== 'object' || current === null || checked?.(current) === true) return;
    if (Array.isArray(current)) {
      current.forEach((item, i) => {
        path.push(i);
        visit(item);
        path.pop();
      });
      return;
    }
    for (const key of Object.keys(current)) {
      path.push(key);
      if (key === '__proto__') out.push([...path]);
      else visit((current as Record<string, unknown>)[key]);
      path.pop();
    }
  };
  visit(value);
  return out;
}

function problemsOf(schema: z.ZodType, value: unknown, unknownKey?: UnknownKeyProblem, checked?: Checked): ShapeProblem[] {
  const proto = prototypeKeys(value, checked).map(
    (path): ShapeProblem => ({ path, problem: 'is not allowed as a key: JavaScript reads __proto__ as the prototype of the object', redact: typeof valueAt(value, path) === 'string' }),
  );
  if (proto.length > 0) {
    return proto;
  }
  const result = schema.safeParse(value);
  if (result.success) {
    return [];
  }
  const out: ShapeProblem[] = [];
  for (const issue of result.error.issues) {
    translate(schema, value, issue, [], out, unknownKey);
  }
  // "x is missing" next to "y is not a known field; did you mean x?" is one mistake, said once.
  const meant = new Set(out.filter((p) => p.hint !== undefined).map((p) => fieldPath([...p.path.slice(0, -1), p.hint as string])));
  return out.filter((p) => !(valueAt(value, p.path) === undefined && meant.has(fieldPath(p.path))));
}

/** Keys whose values may be secrets: an unknown one is reported without its value. */
const SECRET_LIKE_KEY = /(key|token|secret|pass|pwd|credential|auth|url)/i;

function toIssue(problem: ShapeProblem, value: unknown, root: string): DefinitionIssue {
  return { path: joinField(root, fieldPath(problem.path)), problem: problem.problem, value: problem.redact ? '<redacted>' : valueAt(value, problem.path) };
}

/**
 * Checks `value` against `schema` and returns every shape problem as an issue rooted at
 * `root`, in schema order. Empty when the shape is right.
 */
export function shapeIssues(schema: z.ZodType, value: unknown, root: string, unknownKey?: UnknownKeyProblem): DefinitionIssue[] {
  return problemsOf(schema, value, unknownKey).map((p) => toIssue(p, value, root));
}

/** The result of a shape check that also prepares the well-shaped part of the value. */
export interface ShapeCheck<T> {
  /** Every shape problem. */
  readonly issues: readonly DefinitionIssue[];
  /**
   * The value with every badly shaped part removed (a list with a bad item goes whole), so
   * that field checks can run on the rest; undefined when nothing well-shaped remains.
   */
  readonly wellShaped?: T;
  /** Field paths removed from `wellShaped`, rooted like the issues. */
  readonly removed: readonly string[];
}

function replaceAt(value: unknown, path: readonly Key[], replacement: unknown): unknown {
  const copy = deepCopy(value) as Record<string, unknown>;
  let parent: unknown = copy;
  for (const key of path.slice(0, -1)) {
    parent = (parent as Record<string, unknown>)[String(key)];
  }
  (parent as Record<string, unknown>)[String(path[path.length - 1])] = replacement;
  return copy;
}

/** The part of the value to remove for a problem at `path`: a whole list for a bad item, an object for a missing field. */
function cutFor(value: unknown, path: readonly Key[]): readonly Key[] {
  // A bad item of a list takes the whole list: indexes in messages must stay those of the input.
  const listAt = path.findIndex((key) => typeof key === 'number');
  let cut = listAt >= 0 ? path.slice(0, listAt) : path;
  // A required field that is missing cannot be removed: its object goes instead.
  while (cut.length > 0 && valueAt(value, cut) === undefined) {
    cut = cut.slice(0, -1);
  }
  return cut;
}

function isPrefix(prefix: readonly Key[], path: readonly Key[]): boolean {
  return prefix.length <= path.length && prefix.every((key, i) => key === path[i]);
}

function removeAll(value: unknown, cuts: readonly (readonly Key[])[]): unknown {
  const copy = deepCopy(value) as Record<string, unknown>;
  for (const cut of cuts) {
    let parent: unknown = copy;
    for (const key of cut.slice(0, -1)) {
      parent = (parent as Record<string, unknown>)[String(key)];
    }
    if (typeof parent === 'object' && parent !== null) {
      delete (parent as Record<string, unknown>)[String(cut[cut.length - 1])];
    }
  }
  return copy;
}

/**
 * Checks the shape of `value` and removes what is badly shaped until the rest has the right
 * shape, so that field checks can still report problems elsewhere in the same run.
 */
export function checkShape<T>(schema: z.ZodType, value: unknown, root: string, unknownKey?: UnknownKeyProblem, checked?: Checked): ShapeCheck<T> {
  const tooDeep = depthProblem(value, checked);
  if (tooDeep !== undefined) {
    return { issues: [toIssue(tooDeep, value, root)], removed: [root] };
  }
  const first = problemsOf(schema, value, unknownKey, checked);
  const issues = first.map((p) => toIssue(p, value, root));
  if (first.length === 0) {
    return { issues, wellShaped: value as T, removed: [] };
  }
  let current: unknown = value;
  let problems = first;
  const removed: string[] = [];
  for (let round = 0; round < 16 && problems.length > 0; round++) {
    const cuts: (readonly Key[])[] = [];
    for (const problem of problems) {
      if (problem.stand_in !== undefined) {
        current = replaceAt(current, problem.path, problem.stand_in.value);
        continue;
      }
      const cut = cutFor(current, problem.path);
      if (cut.length === 0) {
        return { issues, removed: [root] };
      }
      if (!cuts.some((other) => isPrefix(other, cut))) {
        for (let i = cuts.length - 1; i >= 0; i--) {
          if (isPrefix(cut, cuts[i])) cuts.splice(i, 1);
        }
        cuts.push(cut);
      }
    }
    current = removeAll(current, cuts);
    removed.push(...cuts.map((cut) => joinField(root, fieldPath(cut))));
    problems = problemsOf(schema, current, unknownKey, checked);
  }
  return problems.length > 0 ? { issues, removed: [root] } : { issues, wellShaped: current as T, removed };
}

/**
 * Issues sorted by where their field is written in the input (depth first, in the input's key
 * order), keeping the order of issues about the same field: shape problems and field problems
 * then read as one list in the order of the definition.
 */
export function byInputOrder(issues: readonly DefinitionIssue[], root: string, input: unknown): DefinitionIssue[] {
  const order = new Map<string, number>();
  const visit = (value: unknown, path: string): void => {
    order.set(path, order.size);
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${path}[${i}]`));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) visit(item, `${path}.${key}`);
    }
  };
  visit(input, root);
  const rank = (path: string): number => {
    for (let p = path; p.length > 0; p = p.slice(0, Math.max(p.lastIndexOf('.'), p.lastIndexOf('[')))) {
      const index = order.get(p);
      if (index !== undefined) return index;
      if (p.lastIndexOf('.') < 0 && p.lastIndexOf('[') < 0) break;
    }
    return order.size;
  };
  return issues.map((issue, i) => ({ issue, i, r: rank(issue.path) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.issue);
}

/** Whether an issue path lies at or under one of the given paths. */
export function isUnder(path: string, roots: readonly string[]): boolean {
  return roots.some((r) => path === r || path.startsWith(`${r}.`) || path.startsWith(`${r}[`));
}
