/**
 * The one JSON serializer of dashboards: keys sorted at every level, `undefined` dropped, two
 * spaces, a final newline. The same value gives the same bytes on every machine.
 */

/** A JSON value with its object keys sorted and `undefined` and function members dropped (the SDK's queries carry a method), as JSON has them. */
export function sortedJsonValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) items[i] = value[i] === undefined ? null : sortedJsonValue(value[i]);
    return items;
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(record).sort()) {
      const member = record[key];
      if (member === undefined || typeof member === 'function') continue;
      // A member named __proto__ is data in JSON, not the object's prototype.
      if (key === '__proto__') Object.defineProperty(sorted, key, { value: sortedJsonValue(member), enumerable: true, writable: true, configurable: true });
      else sorted[key] = sortedJsonValue(member);
    }
    return sorted;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new Error(`a dashboard cannot hold the number ${value}: JSON has no such value`);
  }
  return value;
}

/** Serializes a value as JSON with sorted keys, two-space indent and a final newline. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortedJsonValue(value), null, 2)}\n`;
}
