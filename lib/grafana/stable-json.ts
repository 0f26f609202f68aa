/**
 * The one JSON serializer of dashboards: keys sorted at every level, `undefined` dropped, two
 * spaces, a final newline. The same value gives the same bytes on every machine.
 */

/** A JSON value with its object keys sorted and `undefined` and function members dropped (the SDK's queries carry a method), as JSON has them. */
export function sortedJsonValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortedJsonValue(v)));
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .filter((k) => record[k] !== undefined && typeof record[k] !== 'function')
        .sort()
        .map((k) => [k, sortedJsonValue(record[k])]),
    );
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
