import * as fs from 'fs';
import * as path from 'path';
import { CliIo, main } from '../../lib/cli';
import { EXAMPLE_YAML, raiseObjectiveAndAddCanaryStep, synthesizeExample } from '../diff/fixtures';
import { scratchDir } from '../support/tools';

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
  ])('prints help for %j with --help and exits 0', async (command, usage) => {
    const result = await run([...command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(usage);
    expect(result.stderr).toBe('');
    if (command.length > 0) expect(result.stdout).toContain('Examples:');
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
    [['validate', '--skip', 'schemas,bogus'], 'error: --skip bogus: no such check; the checks are schemas, promql, logql, promtool-rules, promtool-tests, amtool'],
    [['synth', '--definition', 'no-such.yaml'], `error: definition file no-such.yaml not found (in ${ROOT})`],
    [['synth', '--definition', 'README.md'], 'error: cannot read a definition from README.md: use a .ts, .mts, .cts, .js, .cjs, .mjs, .yaml, .yml, .json file'],
    [['synth', '--definition', 'apps/platform.yaml', '--env', 'dev,prd'], 'error: --env prd: platform "shop" has no such environment; it has dev, staging, prod'],
    [['synth', '--shard', '5/4'], 'error: --shard 5/4: must be i/n with 1 <= i <= n <= 256, e.g. 2/4'],
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
    const result = await run(['synth', '--definition', 'apps/platform.ts', '--env', 'prod', '--out', path.join(scratch(), 'ts')]);
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
    const result = await run(['synth', '-d', 'apps/platform.yaml', '-o', path.join(scratch(), 'yaml'), '-q', '-e', 'prod']);
    expect([result.code, result.stdout]).toEqual([0, '']);
    const tree = (dir: string): string[] => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
    expect(tree(path.join(scratch(), 'yaml'))).toEqual(tree(path.join(scratch(), 'ts')));
    expect(fs.readFileSync(path.join(scratch(), 'yaml', 'k8s/prod/checkout.k8s.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(scratch(), 'ts', 'k8s/prod/checkout.k8s.yaml'), 'utf8'));
  });

  it('synthesizes a shard of the services with a cache, which the second run writes them from', async () => {
    const args = ['synth', '-d', 'apps/platform.yaml', '-e', 'prod', '--shard', '1/2', '--cache', path.join(scratch(), 'cache'), '-o', path.join(scratch(), 'shard')];
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
    expect(bad.stdout.endsWith('\n1 of 6 checks failed: schemas.\n')).toBe(true);
  });
});
