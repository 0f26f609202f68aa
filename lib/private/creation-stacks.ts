/**
 * A workaround on a dependency's internals, kept in this module alone (the other one, on
 * cdktf's token map, is `cdktf-tokens.ts`).
 *
 * cdktf records a full stack trace (with `Error.stackTraceLimit` raised to the maximum) for
 * every token and every nested attribute object a provider resource creates, only to print it
 * if that token later fails to resolve. Capturing and rendering those traces is most of the
 * cost of building a large stack. While `fn` runs, captures into plain objects (cdktf's
 * `{ stack: '' }` holders) are skipped; real errors keep their full stack.
 *
 * `GcpPlatformApp` applies it, so every entry point (a `cdktf synth` app, `synthesizePlatform`)
 * gets the same speed. test/private/creation-stacks.test.ts fails when cdktf stops capturing
 * this way, so the workaround goes when it is no longer needed.
 */
export function withoutCreationStacks<T>(fn: () => T): T {
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = (target: object, constructor?: Function): void => {
    if (target instanceof Error) {
      capture(target, constructor);
    }
  };
  try {
    return fn();
  } finally {
    Error.captureStackTrace = capture;
  }
}
