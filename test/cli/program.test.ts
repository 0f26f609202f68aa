import * as fs from 'fs';
import * as path from 'path';
import { CliIo, main } from '../../lib/cli';
import { EXAMPLE_YAML, raiseObjectiveAndAddCanaryStep, synthesizeExample, withoutCheckoutEscalation } from '../diff/fixtures';
import { scratchDir } from '../support/tools';
import { fileTree } from '../support/files';

const ROOT = path.resolve(__dirname, '../..');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command line in this process, in `cwd`, and returns its status and output. */
async function run(args: readonly string[], cwd = ROOT): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive: false, cwd };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

describe('the ops-constructs command line', () => {
  const scratch = scratchDir('cli');

  it.each([
    [[], 'Usage: ops-constructs [options] [command]'],
    [['synth'], 'Usage: ops-constructs synth [options]'],
    [['diff'], 'Usage: ops-constructs diff [options] <base-dir> [head-dir]'],
    [['validate'], 'Usage: ops-constructs validate [options] [dir]'],
    [['readiness'], 'Usage: ops-constructs readiness [options]'],
    [['rightsize'], 'Usage: ops-constructs rightsize [options]'],
  ])('prints help for %j with --help and exits 0', async (command, usage) => {
    const result = await run([...command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(usage);
    expect(result.stderr).toBe('');
    if (command.length > 0) expect(result.stdout).toContain('Examples:');
  });

  it('lists every command in its help, and the options of each in theirs', async () => {
    const help = (await run(['--help'])).stdout;
    for (const command of ['synth', 'diff', 'validate', 'readiness', 'rightsize']) expect(help).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
    const readiness = (await run(['readiness', '--help'])).stdout;
    const flat = (text: string): string => text.replace(/\s+/g, ' ');
    for (const option of ['-d, --definition <file>', '-e, --env <name>', '-f, --format <format>', '--today <YYYY-MM-DD>', '(choices: "text", "md", "json", default: "text")']) expect(flat(readiness)).toContain(option);
    const rightsize = (await run(['rightsize', '--help'])).stdout;
    for (const option of ['-d, --definition <file>', '--prometheus <url>', '-e, --env <name>', '--service <name...>', '(choices: "diff", "json", default: "diff")']) expect(flat(rightsize)).toContain(option);
    expect((await run(['synth', '--help'])).stdout).toContain('--today <YYYY-MM-DD>');
    expect(flat((await run(['validate', '--help'])).stdout)).toContain('schemas, promql, logql, promtool-rules, promtool-tests, amtool, readiness');
  });

  it('prints its version', async () => {
    const result = await run(['--version']);
    expect([result.code, result.stdout]).toEqual([0, `${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`]);
  });

  it.each([
    [['bogus'], "error: unknown command 'bogus'"],
    [['synth', '--bogus'], "error: unknown option '--bogus'"],
    [['diff'], "error: missing required argument 'base-dir'"],
    [['diff', 'a', 'b', 'c'], 'error: too many arguments for \'diff\'. Expected 2 arguments but got 3.'],
    [['diff', 'x', '--format', 'html'], "error: option '-f, --format <format>' argument 'html' is invalid. Allowed choices are text, md."],
    [['diff', 'no/such/base'], 'error: base folder no/such/base not found: give the folder a synthesis wrote (ops-constructs synth --out <dir>)'],
    [['validate', 'no/such/dist'], 'error: output folder no/such/dist not found: synthesize first (ops-constructs synth --out no/such/dist)'],
    [['validate', '--skip', 'schemas,bogus'], 'error: --skip bogus: no such check; the checks are schemas, promql, logql, promtool-rules, promtool-tests, amtool, readiness'],
    [['readiness', '--format', 'html'], "error: option '-f, --format <format>' argument 'html' is invalid. Allowed choices are text, md, json."],
    [['readiness', '--today', '02.12.2026'], 'error: --today 02.12.2026: must be a calendar date written YYYY-MM-DD, such as 2027-03-31'],
    [['readiness', '--today', '2027-02-30'], 'error: --today 2027-02-30: must be a calendar date written YYYY-MM-DD, such as 2027-03-31'],
    [['readiness', '-d', 'apps/platform.yaml', '--env', 'prod,qa'], 'error: --env qa: platform "shop" has no such environment; it has dev, staging, prod'],
    [['readiness', '--definition', 'no-such.yaml'], `error: definition file no-such.yaml not found (in ${ROOT})`],
    [['readiness', '--bogus'], "error: unknown option '--bogus'"],
    [['synth', '--today', 'tomorrow'], 'error: --today tomorrow: must be a calendar date written YYYY-MM-DD, such as 2027-03-31'],
    [['rightsize', '-d', 'apps/platform.yaml', '--env', 'qa'], 'error: --env qa: must be an environment of platform shop (dev, staging, prod)'],
    [['rightsize', '-d', 'apps/platform.yaml', '--service', 'checkout', 'nobody'], 'error: --service nobody: must be a service of platform shop (catalog, checkout, notifier)'],
    [['rightsize', '-d', 'apps/platform.yaml', '--prometheus', 'prometheus:9090'], 'error: --prometheus prometheus:9090: must be an http:// or https:// URL of the Prometheus HTTP API'],
    [['rightsize', '--format', 'yaml'], "error: option '-f, --format <format>' argument 'yaml' is invalid. Allowed choices are diff, json."],
    [['synth', '--definition', 'no-such.yaml'], `error: definition file no-such.yaml not found (in ${ROOT})`],
    [['synth', '--definition', 'README.md'], 'error: cannot read a definition from README.md: use a .ts, .mts, .cts, .js, .cjs, .mjs, .yaml, .yml, .json file'],
    [['synth', '--definition', 'apps/platform.yaml', '--env', 'dev,prd'], 'error: --env prd: platform "shop" has no such environment; it has dev, staging, prod'],
    [['synth', '--shard', '5/4'], 'error: --shard 5/4: must be i/n with 1 <= i <= n <= 256, e.g. 2/4'],
    [['synth', '--jobs', '0'], 'error: --jobs 0: must be a whole number from 1 to 64'],
    [['synth', '--jobs', 'all'], 'error: --jobs all: must be a whole number from 1 to 64'],
    [['synth', '--cache-retention', '0'], 'error: --cache-retention 0: must be a whole number of days from 1 to 3650'],
    [['synth', '--cache-retention', '2w'], 'error: --cache-retention 2w: must be a whole number of days from 1 to 3650'],
  ])('refuses %j with a clear message and exit status 2', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(message);
    expect(result.stdout).toBe('');
  });

  it('looks for a definition in the folder it runs in, and says which files it looked for', async () => {
    const result = await run(['synth'], scratch());
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: no platform definition found: give one with --definition <file>, or put one of platform.ts, platform.yaml, platform.yml, platform.json in ${scratch()}\n`);
  });

  it('reports every problem of a bad definition file with its line, and exits 1', async () => {
    const file = path.join(scratch(), 'platform.yaml');
    fs.writeFileSync(file, EXAMPLE_YAML.replace('objective: 99.9\n', 'objective: 100\n'));
    const result = await run(['synth', '--out', 'dist'], scratch());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Invalid platform "shop" \(1 problem\):\n {2}- platform\.yaml:\d+:\d+: checkout\.slos\[0\]\.objective: must be a percentage strictly between 0 and 100 \(e\.g\. 99\.9\) \(got 100\)\n$/);
  });

  it('refuses a module that exports no platform, naming what it exports', async () => {
    fs.writeFileSync(path.join(scratch(), 'not-a-platform.js'), 'module.exports = { services: [] };\n');
    const result = await run(['synth', '--definition', 'not-a-platform.js'], scratch());
    expect([result.code, result.stderr]).toEqual([2, 'error: not-a-platform.js exports no platform: export the result of definePlatform(...) as `platform` or as the default export (it exports services)\n']);
  });

  it('synthesizes the TypeScript definition of one environment, with the summary on stdout', async () => {
    // A fixed day: the example's game days count for a quarter.
    const result = await run(['synth', '--definition', 'apps/platform.ts', '--env', 'prod', '--out', path.join(scratch(), 'ts'), '--today', '2026-12-02']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^Synthesized platform "shop" \(3 services × 1 of 3 environments: prod\) into .*\/ts\/ in \d+ ms$/);
    expect(result.stdout).toContain('  k8s/prod/checkout.k8s.yaml\n');
    expect(result.stdout).not.toContain('k8s/dev/');
    expect(result.stdout).toMatch(/\n {2}Rollout {22}2\n/);
    // The stacks' warnings, as cdktf prints them.
    expect(result.stderr.split('\n').filter((l) => l !== '').every((l) => l.startsWith('WARN [shop-prod/'))).toBe(true);
    expect(fs.readdirSync(path.join(scratch(), 'ts', 'k8s'))).toEqual(['prod']);
  });

  it('synthesizes the YAML definition quietly, to the same files as the TypeScript one', async () => {
    const result = await run(['synth', '-d', 'apps/platform.yaml', '-o', path.join(scratch(), 'yaml'), '-q', '-e', 'prod', '--today', '2026-12-02']);
    expect([result.code, result.stdout]).toEqual([0, '']);
    const tree = (dir: string): string[] => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
    expect(tree(path.join(scratch(), 'yaml'))).toEqual(tree(path.join(scratch(), 'ts')));
    expect(fs.readFileSync(path.join(scratch(), 'yaml', 'k8s/prod/checkout.k8s.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(scratch(), 'ts', 'k8s/prod/checkout.k8s.yaml'), 'utf8'));
  });

  it('synthesizes on two threads to the same files, byte for byte', async () => {
    const args = (jobs: string): string[] => ['synth', '-d', 'apps/platform.yaml', '-o', path.join(scratch(), `jobs-${jobs}`), '-q', '-e', 'prod', '--today', '2026-12-02', '--no-cache', '--jobs', jobs];
    const one = await run(args('1'));
    const two = await run(args('2'));
    expect([one.code, one.stdout, two.code, two.stdout]).toEqual([0, '', 0, '']);
    expect(fileTree(path.join(scratch(), 'jobs-2'))).toEqual(fileTree(path.join(scratch(), 'jobs-1')));
    expect(Object.keys(fileTree(path.join(scratch(), 'jobs-2')))).toContain('k8s/prod/checkout.k8s.yaml');
  });

  it('synthesizes a shard of the services with a cache, which the second run writes them from', async () => {
    const args = ['synth', '-d', 'apps/platform.yaml', '-e', 'prod', '--today', '2026-12-02', '--shard', '1/2', '--cache', path.join(scratch(), 'cache'), '-o', path.join(scratch(), 'shard')];
    const first = await run(args);
    expect(first.code).toBe(0);
    const [, shard, cache] = first.stdout.split('\n');
    expect(shard).toBe('Shard 1 of 2, with the platform-wide files');
    const built = Number(/^Cache: 0 services written from it, (\d+) built$/.exec(cache)?.[1]);
    // Shard 1 writes its own services' files, and reports readiness for every production service:
    // the others' findings are units of the cache too.
    const written = fs.readdirSync(path.join(scratch(), 'shard', 'k8s', 'prod')).filter((f) => /^(checkout|catalog|notifier)\.k8s\.yaml$/.test(f));
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(3);
    expect(built).toBe(3);
    expect((await run(args)).stdout.split('\n')[2]).toBe(`Cache: ${built} services written from it, 0 built`);
  });

  it('diffs two outputs as text and as Markdown, and with --exit-code exits 1 when they differ', async () => {
    const base = synthesizeExample(EXAMPLE_YAML, ['prod']).dir;
    const head = synthesizeExample(raiseObjectiveAndAddCanaryStep(EXAMPLE_YAML), ['prod']).dir;
    const text = await run(['diff', base, head]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('    checkout · SLO availability objective: 99.9% → 99.95%  (prod)\n');
    const markdown = await run(['diff', base, head, '--format', 'md', '--exit-code']);
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toContain('| checkout | SLO availability objective | `99.9%` | `99.95%` | prod |');
    const same = await run(['diff', base, base, '--exit-code']);
    expect([same.code, same.stdout]).toEqual([0, `Diff of ${base} → ${base}: no changes (${fs.readdirSync(base, { recursive: true }).filter((f) => fs.statSync(path.join(base, String(f))).isFile()).length} files compared).\n`]);
  });

  it('validates an output, and exits 1 with the problems when a check fails', async () => {
    const dir = path.join(scratch(), 'ts');
    const good = await run(['validate', dir, '--no-tools']);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^Validated .*\/ts\/\n {2}schemas +pass +\d+ Kubernetes objects in 8 files\n/);
    expect(good.stdout.endsWith('\nAll checks passed.\n')).toBe(true);
    const file = path.join(dir, 'k8s/prod/checkout.k8s.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('containerPort: 8080', 'containerPort: eighty'));
    const bad = await run(['validate', dir, '--no-tools', '--skip', 'promql,logql']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('\nschemas: 1 problem\n  k8s/prod/checkout.k8s.yaml: Rollout payments/checkout: /spec/template/spec/containers/0/ports/0/containerPort must be integer\n');
    expect(bad.stdout.endsWith('\n1 of 7 checks failed: schemas.\n')).toBe(true);
    expect(good.stdout).toMatch(/\n {2}readiness +pass +54 checklist items of 3 services, none blocking\n/);
  });

  it('caches each service under node_modules/.cache/ops-constructs by default, and with --no-cache builds every one', async () => {
    const cwd = path.join(scratch(), 'default-cache');
    fs.mkdirSync(cwd);
    fs.writeFileSync(path.join(cwd, 'platform.yaml'), EXAMPLE_YAML);
    const args = ['synth', '-d', 'platform.yaml', '-e', 'prod', '--today', '2026-12-02'];
    const cacheLine = (r: Run): string | undefined => r.stdout.split('\n').find((l) => l.startsWith('Cache: '));
    expect(cacheLine(await run([...args, '-o', 'first'], cwd))).toBe('Cache: 0 services written from it, 3 built');
    expect(fs.readdirSync(path.join(cwd, 'node_modules/.cache/ops-constructs')).length).toBeGreaterThan(0);
    expect(cacheLine(await run([...args, '-o', 'second'], cwd))).toBe('Cache: 3 services written from it, 0 built');
    const uncached = await run([...args, '-o', 'uncached', '--no-cache'], cwd);
    expect([uncached.code, cacheLine(uncached)]).toEqual([0, undefined]);
    const tree = (dir: string): [string, string][] =>
      (fs.readdirSync(path.join(cwd, dir), { recursive: true, encoding: 'utf8' }) as string[])
        .filter((f) => fs.statSync(path.join(cwd, dir, f)).isFile())
        .sort()
        .map((f) => [f, fs.readFileSync(path.join(cwd, dir, f), 'utf8')]);
    expect(tree('second')).toEqual(tree('uncached'));
    expect(tree('first')).toEqual(tree('uncached'));
  });

  it('fails validation on a blocking item of the readiness report', async () => {
    const dir = path.join(scratch(), 'unready');
    const definition = path.join(scratch(), 'unready.yaml');
    fs.writeFileSync(definition, withoutCheckoutEscalation(EXAMPLE_YAML));
    // Synthesis stops on the blocking item once every file is written; validate finds it in readiness.json.
    expect((await run(['synth', '-d', definition, '-e', 'prod', '-q', '-o', dir, '--today', '2026-12-02'])).code).toBe(1);
    const unready = await run(['validate', dir, '--no-tools', '--skip', 'schemas,promql,logql']);
    expect(unready.code).toBe(1);
    expect(unready.stdout).toContain(
      '\nreadiness: 1 problem\n  readiness.json: prod/checkout alerting.escalation fail: no escalation contacts: when on-call does not answer, nobody is next -> checkout.contacts.escalation\n',
    );
    expect(unready.stdout.endsWith('\n1 of 7 checks failed: readiness.\n')).toBe(true);
  });

  it('prints the readiness report as text, Markdown or JSON, and exits 1 only when an item blocks', async () => {
    const text = await run(['readiness', '-d', 'apps/platform.yaml', '--today', '2026-12-02']);
    expect([text.code, text.stderr]).toEqual([0, '']);
    expect(text.stdout.split('\n')[0]).toBe('Readiness of platform shop on 2026-12-02');
    expect(text.stdout).toContain('\nprod/checkout (critical, team payments): 18 pass, 0 warn, 0 fail\n');
    expect(text.stdout).toMatch(/^ {2}pass {2}operations\.game-day {14}the last game day was held on 2026-11-17, within 92 days; 2 experiments declared \(kill-one-pod, slow-network\)$/m);
    const markdown = await run(['readiness', '-d', 'apps/platform.ts', '--today', '2026-12-02', '--format', 'md']);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout.split('\n')[0]).toBe('# Production readiness of shop');
    const json = await run(['readiness', '-d', 'apps/platform.yaml', '--today', '2026-12-02', '-f', 'json']);
    const dist = path.join(scratch(), 'ts');
    expect(json.stdout).toBe(fs.readFileSync(path.join(dist, 'readiness.json'), 'utf8'));
    // A quarter and a day after the example's last game days: a warning, which blocks nothing.
    const late = await run(['readiness', '-d', 'apps/platform.yaml', '--today', '2027-02-18']);
    expect(late.code).toBe(0);
    expect(late.stdout).toMatch(/^ {2}warn {2}operations\.game-day {14}the last game day was held .* on 2026-11-17, 93 days before 2027-02-18: more than 92 days ago -> notifier\.gameDays\.lastHeld$/m);
    const definition = path.join(scratch(), 'unready-report.yaml');
    fs.writeFileSync(definition, withoutCheckoutEscalation(EXAMPLE_YAML));
    const unready = await run(['readiness', '-d', definition, '--today', '2026-12-02']);
    expect(unready.code).toBe(1);
    expect(unready.stdout).toMatch(/^ {2}FAIL {2}alerting\.escalation {2,}no escalation contacts: when on-call does not answer, nobody is next -> checkout\.contacts\.escalation$/m);
    // Outside production nothing blocks, whatever fails.
    const dev = await run(['readiness', '-d', definition, '--today', '2026-12-02', '--env', 'dev']);
    expect(dev.code).toBe(0);
    expect(dev.stdout).toContain('\ndev/checkout (critical, team payments): ');
  });
});
