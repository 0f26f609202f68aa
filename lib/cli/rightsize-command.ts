import { DefinitionError, PlatformDefinition } from '../definition';
import { PrometheusQueryError, RightsizeFormat, rightsize } from '../ops/right-sizing-report';
import { CliError, CliIo } from './io';

/** Options of `runRightsize`. */
export interface RightsizeRunOptions {
  /**
   * Base URL of the Prometheus HTTP API, e.g. `http://127.0.0.1:9090`.
   * @default the platform's `prometheusUrl`
   */
  readonly prometheus?: string;
  /**
   * The environment that Prometheus watches.
   * @default the platform's production environment, when it has exactly one
   */
  readonly environment?: string;
  /**
   * The services to size, by name.
   * @default every service
   */
  readonly services?: readonly string[];
  /**
   * `diff`: a change to paste into the definition; `json`: the readings and suggestions.
   * @default 'diff'
   */
  readonly format?: RightsizeFormat;
}

/** The option of the command line each field of `rightsize`'s options comes from. */
const FLAGS: Readonly<Record<string, string>> = { environment: '--env', prometheus: '--prometheus', services: '--service', format: '--format' };

/** A problem with `rightsize`'s options as a usage error, under the option's name: `--env qa: must be ...`. */
function usageError(error: DefinitionError): CliError {
  const lines = error.issues.map((issue) => {
    const flag = FLAGS[issue.path.replace(/\[\d+\]$/, '')] ?? issue.path;
    return `${flag}${issue.value === undefined ? '' : ` ${String(issue.value)}`}: ${issue.problem}`;
  });
  return new CliError(lines.join('\n'));
}

/**
 * Prints, per service, the `resources` its definition should have after 7 days of usage recorded
 * by its right-sizing rules. A bad option (an unknown environment or service, a URL that is
 * none) is a usage error (exit status 2); a Prometheus that cannot answer, exit status 1.
 * @returns 0
 */
export async function runRightsize(platform: PlatformDefinition, options: RightsizeRunOptions, io: CliIo): Promise<number> {
  try {
    const result = await rightsize({
      platform,
      ...(options.prometheus !== undefined ? { prometheus: options.prometheus } : {}),
      ...(options.environment !== undefined ? { environment: options.environment } : {}),
      ...(options.services !== undefined ? { services: options.services } : {}),
      ...(options.format !== undefined ? { format: options.format } : {}),
    });
    io.stdout(result.text);
    return 0;
  } catch (error) {
    if (error instanceof PrometheusQueryError) throw new CliError(`rightsize: ${error.message}`, 1);
    // The platform was loaded and checked before: what rightsize refuses is one of its options.
    if (error instanceof DefinitionError) throw usageError(error);
    throw error;
  }
}
