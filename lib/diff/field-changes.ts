/**
 * Field-level changes between two versions of an object, computed by jsondiffpatch and flattened
 * into a list of paths with the value before and after.
 * @see https://github.com/benjamine/jsondiffpatch/blob/master/docs/deltas.md
 */
import { create } from 'jsondiffpatch';
import { byString, isPlainObject } from '../private/data';

/** One step of a field path: a key of an object, or an item of a list. */
export type PathSegment = string | ListItem;

/** An item of a list: by its identity when it has one (a name, an alert), else by position. */
export interface ListItem {
  /** The position in the list: in the new list, or in the old one for a removed item. */
  readonly index: number;
  /** What identifies the item in both lists, when it has an identity. */
  readonly id?: string;
}

/** What happened to a field. */
export type ChangeKind = 'added' | 'removed' | 'changed' | 'moved';

/** One changed field. */
export interface FieldChange {
  /** Where, from the object's root. */
  readonly path: readonly PathSegment[];
  /** What happened. */
  readonly change: ChangeKind;
  /** The value before (undefined when added). */
  readonly before?: unknown;
  /** The value after (undefined when removed). */
  readonly after?: unknown;
}

/** Labels of a rule that do not tell one rule from another: a changed severity changes a rule, it does not replace it. */
const RULE_LABELS_NOT_IDENTIFYING = new Set(['severity']);

function sortedLabels(labels: unknown, omit: ReadonlySet<string>): string {
  if (!isPlainObject(labels)) return '';
  const pairs = Object.entries(labels)
    .filter(([k]) => !omit.has(k))
    .sort(([a], [b]) => byString(a, b))
    .map(([k, v]) => `${k}=${JSON.stringify(String(v))}`);
  return pairs.length > 0 ? `{${pairs.join(', ')}}` : '';
}

/**
 * What identifies an item of a list across two versions: a Prometheus or Loki rule by its name
 * and labels (severity aside), anything with a `name` by it (containers, ports, env vars, rule
 * groups, receivers, metrics), a dashboard panel by its title, a query by its `refId`.
 * Undefined for anything else, which is then matched by equal content only.
 */
export function itemIdentity(item: unknown): string | undefined {
  if (!isPlainObject(item)) return undefined;
  for (const field of ['alert', 'record'] as const) {
    if (typeof item[field] === 'string') return `${item[field]}${sortedLabels(item.labels, RULE_LABELS_NOT_IDENTIFYING)}`;
  }
  for (const field of ['name', 'title', 'refId'] as const) {
    if (typeof item[field] === 'string') return item[field] as string;
  }
  return undefined;
}

/**
 * Terraform's alert policy conditions have no name of their own (their display name carries the
 * threshold), so they are matched by position: a changed threshold is a change, not a new condition.
 */
function isPositional(item: object): boolean {
  return Object.keys(item).some((key) => key.startsWith('condition_'));
}

/** JSON with sorted keys: the same text for the same content. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .sort(byString)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

const differ = create({
  // Items with an identity are matched by it (and then diffed field by field); others by content.
  objectHash: (item: object, index?: number) => {
    if (isPositional(item)) return `position:${index}`;
    const id = itemIdentity(item);
    return id !== undefined ? `id:${id}` : `content:${canonicalJson(item)}`;
  },
  arrays: { detectMove: true, includeValueOnMove: false },
  cloneDiffValues: false,
});

/** Lists of plain values (tokens) compared item by item, without moves. */
const listDiffer = create({ arrays: { detectMove: false } });

/** The raw jsondiffpatch delta of two values; undefined when they are equal. */
export function delta(before: unknown, after: unknown): unknown {
  return differ.diff(before, after);
}

/**
 * The raw jsondiffpatch delta of two lists of plain values, every difference an item removed
 * (`_<old index>`) or added (`<new index>`), never moved.
 */
export function listDelta(before: readonly string[], after: readonly string[]): unknown {
  return listDiffer.diff(before, after);
}

function listItem(list: unknown, index: number): ListItem {
  const item = Array.isArray(list) ? list[index] : undefined;
  const id = itemIdentity(item);
  return id !== undefined ? { index, id } : { index };
}

/** The item of a list that a path segment names, by identity when it has one. */
export function itemAt(list: unknown, segment: ListItem): unknown {
  if (!Array.isArray(list)) return undefined;
  if (segment.id !== undefined) return list.find((item) => itemIdentity(item) === segment.id);
  return list[segment.index];
}

/** The value a path names in a document; undefined when it has no such field. */
export function valueAt(document: unknown, path: readonly PathSegment[]): unknown {
  let value = document;
  for (const segment of path) {
    if (typeof segment === 'string') value = isPlainObject(value) ? value[segment] : undefined;
    else value = itemAt(value, segment);
    if (value === undefined) return undefined;
  }
  return value;
}

function flatten(node: unknown, before: unknown, after: unknown, path: PathSegment[], out: FieldChange[]): void {
  if (Array.isArray(node)) {
    if (node.length === 1) out.push({ path, change: 'added', after: node[0] });
    else if (node.length === 2) out.push({ path, change: 'changed', before: node[0], after: node[1] });
    else if (node[2] === 0) out.push({ path, change: 'removed', before: node[0] });
    else if (node[2] === 3) out.push({ path, change: 'moved', before, after });
    return;
  }
  if (!isPlainObject(node)) return;
  if (node._t === 'a') {
    const keys = Object.keys(node).filter((k) => k !== '_t');
    for (const key of keys.sort((a, b) => Number(a.replace('_', '')) - Number(b.replace('_', '')) || byString(a, b))) {
      const child = node[key];
      if (key.startsWith('_')) {
        const index = Number(key.slice(1));
        const segment = listItem(before, index);
        const moved = Array.isArray(child) && child[2] === 3;
        // A moved item is reported where it went, with its own changes, if any, from there.
        if (moved) out.push({ path: [...path, segment], change: 'moved', before: index, after: child[1] });
        else flatten(child, itemAt(before, segment), undefined, [...path, segment], out);
      } else {
        const index = Number(key);
        const segment = listItem(after, index);
        flatten(child, itemAt(before, segment), itemAt(after, segment), [...path, segment], out);
      }
    }
    return;
  }
  for (const key of Object.keys(node).sort(byString)) {
    const childBefore = isPlainObject(before) ? before[key] : undefined;
    const childAfter = isPlainObject(after) ? after[key] : undefined;
    flatten(node[key], childBefore, childAfter, [...path, key], out);
  }
}

/** Every changed field between two versions of an object, sorted by path. */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  flatten(delta(before, after), before, after, [], out);
  return out;
}

/** A path for a reader: `spec.template.spec.containers[checkout].image`, `steps[3]`. */
export function formatPath(path: readonly PathSegment[]): string {
  return path
    .map((segment, i) => {
      if (typeof segment !== 'string') return `[${segment.id ?? segment.index}]`;
      const plain = /^[A-Za-z_$][\w$-]*$/.test(segment);
      return plain ? `${i === 0 ? '' : '.'}${segment}` : `[${JSON.stringify(segment)}]`;
    })
    .join('');
}
