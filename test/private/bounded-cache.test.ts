import { BoundedCache } from '../../lib/private/bounded-cache';

describe('BoundedCache', () => {
  it('never holds more than its capacity, dropping the least recently used entry first', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recently used
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('stays at its capacity however many keys pass through it', () => {
    const cache = new BoundedCache<number, number>(100);
    for (let i = 0; i < 10_000; i++) cache.set(i, i * 2);
    expect(cache.size).toBe(100);
    expect(cache.get(9_999)).toBe(19_998);
    expect(cache.get(9_899)).toBeUndefined();
  });

  it('computes a value once while it is held, and again after it was dropped', () => {
    const cache = new BoundedCache<string, string>(1);
    const compute = jest.fn((key: string) => key.toUpperCase());
    expect(cache.getOrCompute('x', compute)).toBe('X');
    expect(cache.getOrCompute('x', compute)).toBe('X');
    expect(compute).toHaveBeenCalledTimes(1);
    cache.getOrCompute('y', compute);
    expect(cache.getOrCompute('x', compute)).toBe('X');
    expect(compute).toHaveBeenCalledTimes(3);
  });

  it('replaces the value of a key it holds without growing', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('a', 2);
    expect(cache.size).toBe(1);
    expect(cache.get('a')).toBe(2);
  });

  it('holds nothing after clear', () => {
    const cache = new BoundedCache<string, number>(3);
    cache.set('a', 1);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get('a')).toBeUndefined();
  });

  it('refuses a capacity below one or not whole', () => {
    expect(() => new BoundedCache(0)).toThrow("a cache's capacity must be a whole number of at least 1 (got 0)");
    expect(() => new BoundedCache(1.5)).toThrow("a cache's capacity must be a whole number of at least 1 (got 1.5)");
  });
});
