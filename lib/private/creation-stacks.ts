/**
 * cdktf records a full stack trace (with `Error.stackTraceLimit` raised to the maximum) for
 * every token and every nested attribute object a provider resource creates, only to print it
 * if that token later fails to resolve. Rendering those traces is most of the cost of building
 * a large stack. While `fn` runs, traces of such capture objects (plain objects, not `Error`s)
 * render as empty; real errors keep their full stack.
 */
export function withoutCreationStacks<T>(fn: () => T): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]): unknown => {
    if (!(error instanceof Error)) {
      return '';
    }
    if (previous !== undefined) {
      return previous(error, frames);
    }
    return [`${error.name}: ${error.message}`, ...frames.map((frame) => `    at ${frame.toString()}`)].join('\n');
  };
  try {
    return fn();
  } finally {
    Error.prepareStackTrace = previous;
  }
}
