/** Where a command writes, and what it knows of its terminal. */
export interface CliIo {
  /** Writes to standard output (results: summaries, diffs, reports). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error (progress, warnings, errors). */
  readonly stderr: (text: string) => void;
  /** Whether standard error is a terminal a progress line can be redrawn on (and not CI). */
  readonly interactive: boolean;
  /** The folder relative paths start from. */
  readonly cwd: string;
}

/** The process's own streams; interactive on a terminal unless `CI=true`. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    interactive: process.stderr.isTTY === true && process.env.CI !== 'true',
    cwd: process.cwd(),
  };
}

/**
 * A usage problem: a bad argument, a missing file. Reported as its message alone, without a
 * stack trace, with exit status 2.
 */
export class CliError extends Error {
  /**
   * @param message what is wrong and what to do instead
   * @param exitCode the process's exit status
   */
  constructor(
    message: string,
    public readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
