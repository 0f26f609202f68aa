import { Command, CommanderError, Option } from 'commander';
import { DefinitionError } from '../definition';
import { RIGHTSIZE_FORMATS, RightsizeFormat } from '../ops/right-sizing-report';
import { packageVersion } from '../private/package-root';
import { MAX_SHARDS, Shard, parseShard } from '../synth/shard';
import { MAX_JOBS, parseJobs } from '../synth/parallel';
import { DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS, checkRetentionDays } from '../synth/cache';
import { CHECKS } from '../validate';
import { DEFINITION_FILES, findDefinition, loadDefinition } from './definition-file';
import { DIFF_FORMATS, DiffFormat, runDiff } from './diff-command';
import { CliError, CliIo, processIo } from './io';
import { READINESS_FORMATS, ReadinessFormat, checkEnvironments, parseToday, runReadiness } from './readiness-command';
import { runRightsize } from './rightsize-command';
import { DEFAULT_CACHE_DIR, runSynth } from './synth-command';
import { runValidate } from './validate-command';

/** Collects a repeatable option (`--env dev --env prod`, or `--env dev,prod`) into a list. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((v) => v.trim()).filter((v) => v !== '')];
}

const EXAMPLES = {
  synth: `
Examples:
  $ ops-constructs synth                                  # platform.ts (or .yaml) into dist/
  $ ops-constructs synth --definition platform.yaml --env prod --out dist/prod
  $ ops-constructs synth --quiet                          # warnings only
  $ ops-constructs synth --shard 2/4 --out dist           # a quarter of the services, in one job of a matrix
  $ ops-constructs synth --no-cache --jobs 2              # a large fleet from scratch, on two threads`,
  diff: `
Examples:
  $ ops-constructs diff base/dist                         # base/dist against dist/
  $ ops-constructs diff base/dist dist --format md > diff.md   # for a pull-request comment
  $ ops-constructs diff base/dist dist --exit-code        # exit 1 when anything changed`,
  validate: `
Examples:
  $ ops-constructs validate                               # every check on dist/
  $ ops-constructs validate dist --require-tools          # in CI, where promtool and amtool are installed
  $ ops-constructs validate --skip promtool-tests         # the slowest check left out`,
  readiness: `
Examples:
  $ ops-constructs readiness                              # production environments, today (UTC); exit 1 when an item blocks
  $ ops-constructs readiness --definition platform.yaml --format md > readiness.md
  $ ops-constructs readiness --env staging --today 2027-03-01   # another environment, on another day`,
  rightsize: `
Examples:
  $ ops-constructs rightsize --prometheus http://127.0.0.1:9090           # every service, the production environment
  $ ops-constructs rightsize --env prod --service checkout notifier --format json
  $ kubectl -n monitoring port-forward svc/prometheus-operated 9090 &     # a Prometheus inside the cluster`,
};

/**
 * The `ops-constructs` command line: `synth`, `diff`, `validate`, `readiness` and `rightsize`,
 * each with `--help`. Output
 * goes through `io`; the action's exit status is stored in the returned `status`.
 */
export function cliProgram(io: CliIo): { program: Command; status: { code: number } } {
  const status = { code: 0 };
  const program = new Command('ops-constructs')
    .description('Synthesize, check and review what an ops-constructs platform definition produces.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();

  program
    .command('synth')
    .summary('synthesize every output of a platform definition')
    .description(
      'Synthesize every output of a platform definition into a folder: Kubernetes manifests, Prometheus rules and their promtool tests, Loki rules, Grafana dashboards, alertmanager.yml and the Terraform JSON of Google Cloud. Prints a progress line on a terminal, the stacks\' warnings on stderr, and a summary of the files and objects written.',
    )
    .option('-d, --definition <file>', `the platform: a .ts or .js module exporting \`platform\` (from definePlatform), or a .yaml or .json file (default: the first of ${DEFINITION_FILES.join(', ')})`)
    .option('-e, --env <name>', 'only this environment; repeat or separate with commas for several (default: every environment)', collect)
    .option('-o, --out <dir>', 'the output folder, emptied of the sides it writes first', 'dist')
    .option('-q, --quiet', 'no progress line and no summary (warnings are still printed)')
    .option('--shard <i/n>', 'only the i-th of n shards of the services, by a hash of their names; shard 1 also writes the platform-wide files (for a CI matrix)')
    .option('--cache <dir>', `the folder caching each service's output: unchanged services are written from it, byte for byte (default: ${DEFAULT_CACHE_DIR} under the working folder)`)
    .option('--no-cache', 'build every service, reading and writing no cache')
    .option('--cache-retention <days>', `days the cache keeps what no synthesis used; it is pruned once a day at most, 1 to ${MAX_RETENTION_DAYS} (default: ${DEFAULT_RETENTION_DAYS})`)
    .option('--jobs <n>', `threads building the services' files, 1 to ${MAX_JOBS}; the output is the same, byte for byte (default: 1)`)
    .option('--today <YYYY-MM-DD>', 'the day the readiness side checks for: waivers expire and game days age against it (default: the current date in UTC)')
    .addHelpText('after', EXAMPLES.synth)
    .action((options: { definition?: string; env?: string[]; out: string; quiet?: boolean; shard?: string; cache?: string | boolean; cacheRetention?: string; jobs?: string; today?: string }) => {
      let shard: Shard | undefined;
      try {
        shard = options.shard !== undefined ? parseShard(options.shard) : undefined;
      } catch {
        throw new CliError(`--shard ${options.shard}: must be i/n with 1 <= i <= n <= ${MAX_SHARDS}, e.g. 2/4`);
      }
      let jobs: number | undefined;
      try {
        jobs = options.jobs !== undefined ? parseJobs(options.jobs) : undefined;
      } catch {
        throw new CliError(`--jobs ${options.jobs}: must be a whole number from 1 to ${MAX_JOBS}`);
      }
      let cacheRetentionDays: number | undefined;
      try {
        cacheRetentionDays = options.cacheRetention !== undefined ? checkRetentionDays(/^[0-9]+$/.test(options.cacheRetention.trim()) ? Number(options.cacheRetention.trim()) : options.cacheRetention) : undefined;
      } catch {
        throw new CliError(`--cache-retention ${options.cacheRetention}: must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}`);
      }
      const today = parseToday(options.today);
      const platform = loadDefinition(findDefinition(io.cwd, options.definition));
      checkEnvironments(platform, options.env);
      const selected = {
        ...(options.env !== undefined ? { environments: options.env } : {}),
        ...(shard !== undefined ? { shard } : {}),
        ...(options.cache !== false ? { cache: typeof options.cache === 'string' ? options.cache : DEFAULT_CACHE_DIR } : {}),
        ...(jobs !== undefined ? { jobs } : {}),
        ...(cacheRetentionDays !== undefined ? { cacheRetentionDays } : {}),
        ...(today !== undefined ? { today } : {}),
      };
      status.code = runSynth(platform, { outdir: options.out, ...selected, quiet: options.quiet === true }, io);
    });

  program
    .command('diff')
    .summary('summarize what changed between two synthesized outputs')
    .description(
      'Compare two synthesized outputs object by object: Kubernetes objects by apiVersion, kind, namespace and name, Terraform resources by address, every other file by path. Lists the changes that matter first (SLO objectives, alert thresholds and windows, replicas and resources, images, canary steps and analysis, routing), then every object added, removed or changed, per service and kind.',
    )
    .argument('<base-dir>', 'the base output, e.g. the target branch synthesized')
    .argument('[head-dir]', 'the output of the change', 'dist')
    .addOption(new Option('-f, --format <format>', 'text for a terminal, md (Markdown) for a pull-request comment').choices(DIFF_FORMATS).default('text'))
    .option('--base-name <name>', 'how to name the base in the heading, e.g. the target branch (default: the folder)')
    .option('--head-name <name>', 'how to name the head in the heading (default: the folder)')
    .option('--exit-code', 'exit with 1 when the outputs differ, as git diff --exit-code does')
    .addHelpText('after', EXAMPLES.diff)
    .action((base: string, head: string, options: { format: DiffFormat; exitCode?: boolean; baseName?: string; headName?: string }) => {
      const names = { ...(options.baseName !== undefined ? { baseName: options.baseName } : {}), ...(options.headName !== undefined ? { headName: options.headName } : {}) };
      status.code = runDiff({ base, head, ...names, format: options.format, exitCode: options.exitCode === true }, io);
    });

  program
    .command('validate')
    .summary('run every check on a synthesized output')
    .description(
      `Run every check on a synthesized output folder, in this order, and exit with 1 when one fails: ${CHECKS.join(', ')}. The schema of every Kubernetes object (the Kubernetes OpenAPI models, and each custom resource's CRD), the PromQL and LogQL of every rule, when installed promtool check rules and test rules and amtool check-config, and the items of readiness.json that block production (skipped when the output has none).`,
    )
    .argument('[dir]', 'the output folder', 'dist')
    .option('--skip <check>', `a check not to run; repeat or separate with commas (${CHECKS.join(', ')})`, collect)
    .option('--no-tools', 'do not run promtool and amtool, even when installed')
    .option('--require-tools', 'fail the checks whose tool is not installed, instead of skipping them')
    .addHelpText('after', EXAMPLES.validate)
    .action((dir: string, options: { skip?: string[]; tools: boolean; requireTools?: boolean }) => {
      const unknown = (options.skip ?? []).filter((check) => !(CHECKS as readonly string[]).includes(check));
      if (unknown.length > 0) throw new CliError(`--skip ${unknown.join(', ')}: no such check; the checks are ${CHECKS.join(', ')}`);
      status.code = runValidate({ dir, ...(options.skip !== undefined ? { skip: options.skip } : {}), tools: options.tools, requireTools: options.requireTools === true }, io);
    });

  program
    .command('readiness')
    .summary('check the production-readiness checklist of a platform definition')
    .description(
      'Check every service of the production environments (or those given) against the production-readiness checklist, as synthesis does: rollback, progressive delivery, dashboards, SLOs and alerts, backups, certificates, requests and limits, autoscaling, game days, preview cleanup. Prints each item with its status, why, and the definition field to change; exits with 1 when an item blocks production (a fail not waived, or waived past its expiry).',
    )
    .option('-d, --definition <file>', `the platform: a .ts or .js module exporting \`platform\`, or a .yaml or .json file (default: the first of ${DEFINITION_FILES.join(', ')})`)
    .option('-e, --env <name>', "only this environment; repeat or separate with commas for several (default: the platform's production environments)", collect)
    .addOption(new Option('-f, --format <format>', 'text for a terminal, md (Markdown) for a pull request, json as readiness.json').choices(READINESS_FORMATS).default('text'))
    .option('--today <YYYY-MM-DD>', 'the day to check for: waivers expire and game days age against it (default: the current date in UTC)')
    .addHelpText('after', EXAMPLES.readiness)
    .action((options: { definition?: string; env?: string[]; format: ReadinessFormat; today?: string }) => {
      const today = parseToday(options.today);
      const platform = loadDefinition(findDefinition(io.cwd, options.definition));
      status.code = runReadiness(platform, { format: options.format, ...(options.env !== undefined ? { environments: options.env } : {}), ...(today !== undefined ? { today } : {}) }, io);
    });

  program
    .command('rightsize')
    .summary('suggest the resources of each service from its recorded usage')
    .description(
      "Suggest the resources of each service from 7 days of usage recorded by its right-sizing rules in the environment's Prometheus: per service, the change to paste into its definition (or, as JSON, the readings and suggestions). Services with rightSizing.enabled false are skipped. Exits with 1 when Prometheus cannot be reached or refuses a query.",
    )
    .option('-d, --definition <file>', `the platform: a .ts or .js module exporting \`platform\`, or a .yaml or .json file (default: the first of ${DEFINITION_FILES.join(', ')})`)
    .option('--prometheus <url>', "base URL of the Prometheus HTTP API (default: the platform's prometheusUrl)")
    .option('-e, --env <name>', 'the environment that Prometheus watches (default: the production environment, when there is one)')
    .option('--service <name...>', 'size only these services; several after one --service, or separated with commas (default: every service)', collect)
    .addOption(new Option('-f, --format <format>', 'diff: a change to paste into the definition; json: the readings and suggestions').choices(RIGHTSIZE_FORMATS).default(RIGHTSIZE_FORMATS[0]))
    .addHelpText('after', EXAMPLES.rightsize)
    .action(async (options: { definition?: string; prometheus?: string; env?: string; service?: string[]; format: RightsizeFormat }) => {
      const platform = loadDefinition(findDefinition(io.cwd, options.definition));
      const run = {
        format: options.format,
        ...(options.prometheus !== undefined ? { prometheus: options.prometheus } : {}),
        ...(options.env !== undefined ? { environment: options.env } : {}),
        ...(options.service !== undefined ? { services: options.service } : {}),
      };
      status.code = await runRightsize(platform, run, io);
    });

  return { program, status };
}

/**
 * Runs the `ops-constructs` command line on its arguments and returns the exit status: 0 on
 * success, 1 when the command found a problem (a failed check, a bad definition, an error the
 * synthesis recorded), 2 for bad usage (an unknown command or option, a missing file).
 * @param args the arguments after the program's name, e.g. `['diff', 'base/dist', '--format', 'md']`
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  const { program, status } = cliProgram(io);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return status.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and the version exit 0; commander has printed its message for the rest.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliError) {
      io.stderr(`error: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof DefinitionError) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`error: ${message}\n`);
    return 1;
  }
}
