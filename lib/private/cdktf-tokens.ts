/**
 * The second workaround on cdktf's internals, kept in this module alone.
 *
 * cdktf keeps every token it registers in one map for the whole process
 * (`globalThis.__cdktfTokenMap`, its `TokenMap`), and never removes one. A token holds what it
 * refers to (a reference holds its resource, the resource its stack), so every app ever built
 * stays in memory: a platform's Terraform side at 1000 services is a few hundred megabytes that
 * no synthesis gets back. `withTokensReleased(fn)` runs `fn` and then forgets the tokens
 * registered while it ran. Only for apps built, synthesized and dropped inside `fn`: their
 * tokens cannot be resolved afterwards. Tokens registered before `fn` stay.
 *
 * test/private/cdktf-tokens.test.ts fails when cdktf stops keeping its tokens this way, so the
 * workaround goes (or changes) with it.
 */

/** The fields of cdktf's `TokenMap` this module reads. */
interface TokenMapInternals {
  readonly stringTokenMap: Map<string, unknown>;
  readonly numberTokenMap: Map<number, unknown>;
  readonly tokenCounter: number;
}

/** cdktf's process-wide token map, when it exists and has the shape this module knows. */
export function cdktfTokenMap(): TokenMapInternals | undefined {
  const map = (globalThis as { __cdktfTokenMap?: unknown }).__cdktfTokenMap;
  if (typeof map !== 'object' || map === null) return undefined;
  const { stringTokenMap, numberTokenMap, tokenCounter } = map as Record<string, unknown>;
  if (!(stringTokenMap instanceof Map) || !(numberTokenMap instanceof Map) || typeof tokenCounter !== 'number') return undefined;
  return map as TokenMapInternals;
}

/**
 * Runs `fn`, then forgets the tokens cdktf registered while it ran (also when it throws). cdktf
 * only ever adds to its maps, each string token once in the order of its counter, so those of
 * `fn` are the string entries after the ones before it and the number entries from the counter
 * it started at.
 */
export function withTokensReleased<T>(fn: () => T): T {
  const before = cdktfTokenMap();
  const strings = before?.stringTokenMap.size ?? 0;
  const counter = before?.tokenCounter ?? 0;
  try {
    return fn();
  } finally {
    const after = cdktfTokenMap();
    if (after !== undefined) {
      let index = 0;
      for (const key of after.stringTokenMap.keys()) {
        if (index++ >= strings) after.stringTokenMap.delete(key);
      }
      for (const key of after.numberTokenMap.keys()) {
        if (key >= counter) after.numberTokenMap.delete(key);
      }
    }
  }
}
