import { Command, CommanderError, Option } from 'commander';
import { DefinitionError } from '../definition';
import { packageVersion } from '../private/package-root';
import { MAX_SHARDS, Shard, parseShard } from '../synth/shard';
import { CHECKS } from '../validate';
import { DEFINITION_FILES, findDefinition, loadDefinition } from './definition-file';
import { DIFF_FORMATS, DiffFormat, runDiff } from './diff-command';
import { CliError, CliIo, processIo } from './io';
import { runSynth } from './synth-command';
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
  $ ops-constructs synth --shard 2/4 --out dist           # a quarter of the services, in one job of a matrix`,
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
};

/**
 * The `ops-constructs` command line: `synth`, `diff` and `validate`, each with `--help`. Output
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
    .option('--cache <dir>', "a folder caching each service's output: unchanged services are written from it, byte for byte")
    .addHelpText('after', EXAMPLES.synth)
    .action((options: { definition?: string; env?: string[]; out: string; quiet?: boolean; shard?: string; cache?: string }) => {
      let shard: Shard | undefined;
      try {
        shard = options.shard !== undefined ? parseShard(options.shard) : undefined;
      } catch {
        throw new CliError(`--shard ${options.shard}: must be i/n with 1 <= i <= n <= ${MAX_SHARDS}, e.g. 2/4`);
      }
      const platform = loadDefinition(findDefinition(io.cwd, options.definition));
      const known = platform.environments.map((env) => env.name);
      const unknown = (options.env ?? []).filter((env) => !known.includes(env));
      if (unknown.length > 0) throw new CliError(`--env ${unknown.join(', ')}: platform "${platform.name}" has no such environment; it has ${known.join(', ')}`);
      const selected = { ...(options.env !== undefined ? { environments: options.env } : {}), ...(shard !== undefined ? { shard } : {}), ...(options.cache !== undefined ? { cache: options.cache } : {}) };
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
      `Run every check on a synthesized output folder and exit with 1 when one fails: ${CHECKS.join(', ')}. The schema of every Kubernetes object (the Kubernetes OpenAPI models, and each custom resource's CRD), the PromQL and LogQL of every rule, and, when installed, promtool check rules and test rules, and amtool check-config.`,
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
