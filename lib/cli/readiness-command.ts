import { PlatformDefinition } from '../definition';
import { ISO_DATE_PROBLEM, isoDay, todayUtc } from '../private/iso-date';
import { readinessIssues, readinessReport, renderReadinessJson, renderReadinessMarkdown, renderReadinessText } from '../readiness';
import { CliError, CliIo } from './io';

/** The formats `ops-constructs readiness` writes. */
export const READINESS_FORMATS = ['text', 'md', 'json'] as const;

/** A format of `ops-constructs readiness`: text for a terminal, Markdown for a pull request, JSON as `readiness.json`. */
export type ReadinessFormat = (typeof READINESS_FORMATS)[number];

/** Options of `runReadiness`. */
export interface ReadinessRunOptions {
  /**
   * The environments to check, by name.
   * @default the platform's production environments
   */
  readonly environments?: readonly string[];
  /**
   * How to write the report.
   * @default 'text'
   */
  readonly format?: ReadinessFormat;
  /**
   * The day to check for, `YYYY-MM-DD`: waivers expire and game days age against it.
   * @default the current date in UTC
   */
  readonly today?: string;
}

/** Refuses a `--today` that is no calendar date, as a usage error. */
export function parseToday(given: string | undefined): string | undefined {
  if (given !== undefined && isoDay(given) === undefined) throw new CliError(`--today ${given}: ${ISO_DATE_PROBLEM}`);
  return given;
}

/** Refuses environments the platform does not have, as a usage error naming those it has. */
export function checkEnvironments(platform: PlatformDefinition, environments: readonly string[] | undefined): void {
  const known = platform.environments.map((env) => env.name);
  const unknown = (environments ?? []).filter((env) => !known.includes(env));
  if (unknown.length > 0) throw new CliError(`--env ${unknown.join(', ')}: platform "${platform.name}" has no such environment; it has ${known.join(', ')}`);
}

/**
 * Prints the production-readiness report of a platform.
 * @returns 1 when an item blocks a production synthesis (a `fail` not waived, or waived past its expiry), else 0
 */
export function runReadiness(platform: PlatformDefinition, options: ReadinessRunOptions, io: CliIo): number {
  checkEnvironments(platform, options.environments);
  const today = parseToday(options.today) ?? todayUtc();
  const report = readinessReport(platform, { today, ...(options.environments !== undefined ? { environments: options.environments } : {}) });
  const render = { text: renderReadinessText, md: renderReadinessMarkdown, json: renderReadinessJson }[options.format ?? 'text'];
  io.stdout(render(report));
  return readinessIssues(report).length > 0 ? 1 : 0;
}
