/**
 * `npm run rightsize -- --prometheus http://127.0.0.1:9090 [--environment prod] [--service checkout]
 * [--platform platform.yaml] [--format diff|json]`: prints, per service, the `resources` its
 * definition should have after 7 days of recorded usage, as a change to paste into it. Without
 * `--platform` it sizes the example platform. Exits 1 with the reason when the options are
 * wrong or Prometheus cannot answer.
 */
import { Command, Option } from 'commander';
import { DefinitionError, PlatformDefinition, PrometheusQueryError, RIGHTSIZE_FORMATS, RightsizeFormat, loadPlatform, rightsize } from '../lib';

interface Parsed {
  readonly prometheus?: string;
  readonly environment?: string;
  readonly service?: string[];
  readonly platform?: string;
  readonly format: RightsizeFormat;
}

async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('rightsize')
    .description('Suggest the resources of each service from 7 days of usage recorded by its right-sizing rules.')
    .option('--prometheus <url>', "base URL of the Prometheus HTTP API (default: the platform's prometheusUrl)")
    .option('--environment <name>', 'the environment that Prometheus watches (default: the production environment)')
    .option('--service <name...>', 'size only these services (default: every service)')
    .option('--platform <file>', 'a platform definition in YAML or JSON (default: the example platform)')
    .addOption(new Option('--format <format>', 'diff: a change to paste; json: the readings and suggestions').choices([...RIGHTSIZE_FORMATS]).default(RIGHTSIZE_FORMATS[0]))
    .exitOverride();
  try {
    program.parse([...argv], { from: 'user' });
  } catch {
    return 1;
  }
  const options = program.opts<Parsed>();
  try {
    const platform: PlatformDefinition = options.platform !== undefined ? loadPlatform(options.platform) : (await import('./platform')).platform;
    const result = await rightsize({ platform, prometheus: options.prometheus, environment: options.environment, services: options.service, format: options.format });
    process.stdout.write(result.text);
    return 0;
  } catch (error) {
    if (error instanceof DefinitionError || error instanceof PrometheusQueryError) {
      process.stderr.write(`rightsize: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
