/**
 * cdktf records a full stack trace (with `Error.stackTraceLimit` raised to the maximum) for
 * every token and every nested attribute object a provider resource creates, only to print it
 * if that token later fails to resolve. Capturing and rendering those traces is most of the
 * cost of building a large stack. While `fn` runs, captures into plain objects (cdktf's
 * `{ stack: '' }` holders) are skipped; real errors keep their full stack.
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
