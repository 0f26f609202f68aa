import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cloneLikeCopy } from '../support/clone';

/**
 * The example apps run by their command-line tools as a newcomer runs them in a fresh clone:
 * `npx cdk8s synth` (cdk8s.yaml), `npx cdktf synth` (cdktf.json) and `npm run synth`. Each
 * run gets a copy of the repository (its tracked and unignored files, this checkout's
 * node_modules linked in) and a home folder of its own, with no Terraform CLI configuration.
 */

interface Run {
  readonly status: number | null;
  /** Non-blank lines of stdout, colours and cursor movements removed. */
  readonly stdout: readonly string[];
  /** Non-blank lines of stderr, the same way. */
  readonly stderr: readonly string[];
  /** Both. */
  readonly lines: readonly string[];
}

// eslint-disable-next-line no-control-regex
const TERMINAL_CODES = /\u001b\[[0-9;]*[A-Za-z]/g;

/** What `git status` reports in the copy: files changed or added that git does not ignore. */
function gitStatus(repo: string): string {
  return execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' });
}

/**
 * The environment of a user with an empty home: no Terraform CLI configuration (the
 * machine's `TF_CLI_CONFIG_FILE` is dropped) and npm's own update notice off.
 */
function userEnv(home: string, extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, npm_config_update_notifier: 'false', ...extra };
  for (const name of ['TF_CLI_CONFIG_FILE', 'CHECKPOINT_DISABLE', 'CDK8S_CHECK_UPGRADE', 'CDK8S_OUTDIR', 'CDKTF_OUTDIR']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, prefix: readonly string[] = []): Run {
  const [file, ...rest] = [...prefix, command, ...args];
  const result = spawnSync(file, rest, { cwd, env, encoding: 'utf8', timeout: 180_000 });
  const lines = (text: string | null): string[] => (text ?? '').replace(TERMINAL_CODES, '').split('\n').filter((line) => line.trim() !== '');
  const [stdout, stderr] = [lines(result.stdout), lines(result.stderr)];
  return { status: result.status, stdout, stderr, lines: [...stdout, ...stderr] };
}

/** Every file under a folder, relative to it, with its content. */
function readTree(dir: string, root = dir): Map<string, string> {
  const files = new Map<string, string>();
  if (!fs.existsSync(dir)) return files;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      for (const [file, content] of readTree(full, root)) files.set(file, content);
    } else {
      files.set(path.relative(root, full), fs.readFileSync(full, 'utf8'));
    }
  }
  return files;
}

const warnings = (r: Run): string[] => r.lines.filter((line) => line.startsWith('WARN ['));

/** What cdktf's manifest holds as warnings, in the form its CLI prints them. */
function manifestWarnings(gcpOutdir: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(gcpOutdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { annotations?: { level: string; constructPath: string; message: string }[] }>;
  };
  return Object.values(manifest.stacks).flatMap((stack) =>
    (stack.annotations ?? []).filter((a) => a.level === '@cdktf/warn').map((a) => `WARN [${a.constructPath}]: ${a.message}`),
  );
}

/** The lines each CLI prints on a clean run; anything else is noise or a failure. */
const CDK8S_LINES = [/^Synthesizing application$/, /^ {2}- dist\/k8s\/[a-z0-9-]+\/([a-z0-9-]+\/)?[a-z0-9-]+\.k8s\.yaml$/];
const CDKTF_LINES = [
  /^WARN \[[^\]]+\]: /,
  /^Generated Terraform code for the stacks: /,
  // Its progress spinner, when CI is not set.
  /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] +\w+$/,
  // Where no terraform binary is installed: `Unable to determine Terraform version`.
  /^\[[^\]]+\] \[INFO\] default - Unable to determine Terraform version/,
];
const unexpected = (lines: readonly string[], allowed: readonly RegExp[]): string[] => lines.filter((line) => !allowed.some((re) => re.test(line)));

/** The lines left when every block from a line matching `first` to one matching `last` is cut. */
function withoutBlocks(lines: readonly string[], first: RegExp, last: RegExp): string[] {
  const kept: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (!inside && first.test(line)) inside = true;
    else if (inside && last.test(line)) inside = false;
    else if (!inside) kept.push(line);
  }
  return kept;
}

describe('the example apps run by their command-line tools in a fresh clone', () => {
  let repo: string;
  let entriesBefore: string[];
  let cdk8s: Run;
  let cdktf: Run;
  let npmSynth: Run;
  let cliOutput: { k8s: Map<string, string>; gcp: Map<string, string> };
  let cliManifestWarnings: string[];
  beforeAll(() => {
    const copy = cloneLikeCopy();
    repo = copy.repo;
    entriesBefore = fs.readdirSync(repo).sort();
    // The CLIs check for updates over the network; these switches are the only way to turn
    // that off (see the offline case below).
    const env = userEnv(copy.home, { CDK8S_CHECK_UPGRADE: 'false', CHECKPOINT_DISABLE: '1' });
    cdk8s = run('cdk8s', ['synth'], repo, env, ['npx']);
    cdktf = run('cdktf', ['synth'], repo, env, ['npx']);
    cliOutput = { k8s: readTree(path.join(repo, 'dist/k8s')), gcp: readTree(path.join(repo, 'dist/gcp')) };
    cliManifestWarnings = manifestWarnings(path.join(repo, 'dist/gcp'));
    npmSynth = run('npm', ['run', 'synth'], repo, env);
  }, 600_000);

  it('exits 0 on every path', () => {
    expect([cdk8s.status, cdktf.status, npmSynth.status]).toEqual([0, 0, 0]);
  });

  it('prints nothing but the progress, the files and the warnings: no stack trace, no ERROR line', () => {
    expect(unexpected(cdk8s.lines, CDK8S_LINES)).toEqual([]);
    expect(unexpected(cdktf.lines, CDKTF_LINES)).toEqual([]);
    expect(npmSynth.lines.filter((line) => /\bERROR\b|^\s+at .+:\d+:\d+\)?$/.test(line))).toEqual([]);
  });

  it('prints the same warnings on every path, once each: those cdktf recorded for the stacks', () => {
    expect(cliManifestWarnings.length).toBeGreaterThan(0);
    expect(warnings(cdktf).sort()).toEqual([...cliManifestWarnings].sort());
    expect(warnings(npmSynth).sort()).toEqual(warnings(cdktf).sort());
    expect(new Set(warnings(npmSynth)).size).toBe(warnings(npmSynth).length);
    // The Kubernetes side records no warnings; were it to, cdk8s synth would have to print them.
    expect(warnings(cdk8s)).toEqual([]);
  });

  it('writes into dist/k8s and dist/gcp the very files npm run synth writes there, and nothing outside dist/', () => {
    const synthOutput = { k8s: readTree(path.join(repo, 'dist/k8s')), gcp: readTree(path.join(repo, 'dist/gcp')) };
    expect([...cliOutput.k8s.keys()].sort()).toEqual([...synthOutput.k8s.keys()].sort());
    expect([...cliOutput.gcp.keys()].sort()).toEqual([...synthOutput.gcp.keys()].sort());
    expect(cliOutput).toEqual(synthOutput);
    expect(cliOutput.k8s.size).toBeGreaterThan(0);
    expect([...cliOutput.gcp.keys()]).toEqual(expect.arrayContaining(['manifest.json']));
    expect(fs.readdirSync(repo).sort()).toEqual([...new Set([...entriesBefore, 'dist'])].sort());
  });

  it('changes no tracked file and adds none that git would pick up', () => {
    expect(gitStatus(repo)).toBe('');
  });
});

/**
 * Without the switches, in a network namespace with no network: the project's own files no
 * longer cause noise or changes (cdktf.json carries a fixed projectId), and what is left is
 * exactly the two upstream update checks, which only an environment switch or flag turns off.
 */
const canIsolate = spawnSync('unshare', ['--net', 'true']).status === 0;
(canIsolate || process.env.CI === 'true' ? describe : describe.skip)('the same CLIs offline without the update-check switches', () => {
  let repo: string;
  let cdk8s: Run;
  let cdktf: Run;
  beforeAll(() => {
    if (!canIsolate) return;
    const copy = cloneLikeCopy();
    repo = copy.repo;
    const env = userEnv(copy.home, {});
    cdk8s = run('cdk8s', ['synth'], repo, env, ['unshare', '--net', 'npx']);
    cdktf = run('cdktf', ['synth'], repo, env, ['unshare', '--net', 'npx']);
  }, 600_000);

  it('can cut the network off (unshare --net, as root or with user namespaces)', () => {
    expect(canIsolate).toBe(true);
  });

  it('still exits 0 and changes no tracked file: cdktf finds its projectId in cdktf.json', () => {
    expect([cdk8s.status, cdktf.status]).toEqual([0, 0]);
    expect(gitStatus(repo)).toBe('');
  });

  it("prints only the failed update checks beyond a clean run's lines", () => {
    // cdk8s-cli 2.207.60 (the newest release) lets the child process that fetches the registry
    // print its stack trace, then reports the failure as a new version "undefined".
    expect(unexpected(cdk8s.stdout, CDK8S_LINES)).toEqual([]);
    expect(cdk8s.stderr[0]).toMatch(/cdk8s\/lib\/_loadurl\.mjs:\d+$/);
    expect(cdk8s.stderr).toEqual(expect.arrayContaining([expect.stringContaining('A new version undefined of cdk8s-cli is available')]));
    const trace = [/_loadurl\.mjs:\d+$/, /^Node\.js v/] as const;
    const banner = [/^-{20,}$/, /^-{20,}$/] as const;
    expect(withoutBlocks(withoutBlocks(cdk8s.stderr, ...trace), ...banner)).toEqual([]);
    // cdktf-cli 0.21.0 logs its failed telemetry request as one ERROR line.
    const cdktfNoise = unexpected(cdktf.lines, CDKTF_LINES);
    expect(cdktfNoise).toHaveLength(1);
    expect(cdktfNoise[0]).toMatch(/\[ERROR\] default - getaddrinfo \w+ checkpoint-api\.hashicorp\.com$/);
  });
});
