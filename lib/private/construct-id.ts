/**
 * Construct ids from names in a definition. The `constructs` library keeps a node's children
 * in a plain object and checks `id in children`, so an id named like a property of
 * `Object.prototype` (a service called `constructor`) collides with a child that does not
 * exist. Such names get a suffix; every other name is its own id. Output file names never come
 * from construct ids.
 */
export function constructId(name: string): string {
  return name in Object.prototype ? `${name}_` : name;
}
