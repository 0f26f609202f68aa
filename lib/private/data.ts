/**
 * Small helpers for plain, JSON-like data: copying, freezing, sorting and merging. Not exported
 * from the package.
 */

/** Whether a value is a plain object (not null, not a list). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Freezes a value and everything it holds. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
  }
  return value;
}

/** A deep copy of plain data, so that freezing the result leaves the caller's objects alone. */
export function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(deepCopy) as T;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)])) as T;
  }
  return value;
}

/** The record's own entry for `key` (never an inherited one such as `constructor`). */
export function own<V>(record: Readonly<Record<string, V>> | undefined, key: string): V | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** Drops keys whose value is undefined, so output and equality stay clean. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Compares two strings by UTF-16 code units, the same on every machine (no locale). */
export function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares two named things by name. */
export function byName<T extends { readonly name: string }>(a: T, b: T): number {
  return byString(a.name, b.name);
}

/** A copy of a record with its keys sorted. */
export function sortedRecord<V>(record: Readonly<Record<string, V>> | undefined): Record<string, V> {
  return Object.fromEntries(Object.entries(record ?? {}).sort(([a], [b]) => byString(a, b)));
}

/** Merges `override` into `base`: objects merge key by key, lists and scalars replace. */
export function mergeDeep(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) {
    return override === undefined ? base : override;
  }
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    result[key] = mergeDeep(own(base, key), value);
  }
  return result;
}
