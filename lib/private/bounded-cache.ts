/**
 * A memo of at most `capacity` entries for pure functions of their key: when a new entry would
 * make one too many, the least recently used goes. Its memory is bounded however large the
 * platform, and what a synthesis asks again soon (the same query in the next environment of a
 * service) is still there.
 */
export class BoundedCache<K, V> {
  /** Entries, least recently used first (a `Map` keeps insertion order). */
  private readonly entries = new Map<K, V>();

  /**
   * @param capacity the most entries kept, at least 1
   */
  constructor(public readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`a cache's capacity must be a whole number of at least 1 (got ${capacity})`);
    }
  }

  /** Entries held now; never more than `capacity`. */
  public get size(): number {
    return this.entries.size;
  }

  /** The value of a key, marked as just used; undefined when it is not held. */
  public get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Holds a value, dropping the least recently used entry when the cache is full. */
  public set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
  }

  /** The value of a key, computed (and held) when it is not held yet. */
  public getOrCompute(key: K, compute: (key: K) => V): V {
    const known = this.get(key);
    if (known !== undefined) return known;
    const value = compute(key);
    this.set(key, value);
    return value;
  }

  /** Drops every entry. */
  public clear(): void {
    this.entries.clear();
  }
}
