import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { raiseObjectiveAndAddCanaryStep, raiseObjectiveAndAddCanaryStepInTypeScript } from '../diff/fixtures';
import { cloneLikeCopy } from '../support/clone';
import { describeWithTool } from '../support/tools';

/**
 * The example workflow of docs/ci-workflow.yml, its `check` job run step by step as GitHub would
 * run it for a pull request, on a copy of this repository: the example platform, a branch that
 * raises checkout's objective and adds a canary step, `main` as the base. What cannot run here is
 * stood in for: the actions (checkout, setup-node, upload) and `apt-get` (promtool and amtool are
 * installed), `npm ci` (the copy links this checkout's node_modules), and `gh` (a stand-in that
 * records the comment). The deploy job needs Terraform providers and Google credentials; the test
 * checks when it runs and what.
 */
const ROOT = path.resolve(__dirname, '../..');

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, unknown>;
  readonly 'working-directory'?: string;
}

interface Job {
  readonly if?: string;
  readonly needs?: string | string[];
  readonly steps: Step[];
  readonly permissions?: Record<string, string>;
}

interface Workflow {
  readonly on: Record<string, unknown>;
  readonly env: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const workflow = parse(fs.readFileSync(path.join(ROOT, 'docs/ci-workflow.yml'), 'utf8')) as Workflow;

/** A stand-in for the GitHub CLI: `gh pr comment N [--edit-last] --body-file F`, recorded; --edit-last fails while there is no comment, as gh does. */
const FAKE_GH = `#!/bin/sh
set -e
log="$RUNNER_TEMP/gh-calls.log"
echo "$*" >> "$log"
[ "$1 $2" = "pr comment" ] || { echo "unexpected gh $*" >&2; exit 2; }
body=""; edit=""; prev=""
for arg in "$@"; do
  [ "$prev" = "--body-file" ] && body="$arg"
  [ "$arg" = "--edit-last" ] && edit=1
  prev="$arg"
done
comment="$RUNNER_TEMP/comment-$3.md"
if [ -n "$edit" ] && [ ! -f "$comment" ]; then echo "no comments found for current user" >&2; exit 1; fi
cp "$body" "$comment"
`;

interface StepRun {
  readonly name: string;
  readonly how: 'ran' | 'stood in for';
  readonly status: number | null;
  readonly output: string;
}

describeWithTool('promtool', 'the example CI workflow run on the example platform for a pull request', () => {
  let repo: string;
  let temp: string;
  const runs: StepRun[] = [];

  beforeAll(() => {
    const copy = cloneLikeCopy();
    repo = copy.repo;
    temp = path.join(path.dirname(repo), 'runner-temp');
    fs.mkdirSync(temp);
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args], { cwd: repo, encoding: 'utf8' });
    git('remote', 'add', 'origin', repo);
    git('checkout', '--quiet', '-b', 'raise-checkout-objective');
    const edit = (file: string, change: (text: string) => string): void => fs.writeFileSync(path.join(repo, file), change(fs.readFileSync(path.join(repo, file), 'utf8')));
    edit('apps/platform.ts', raiseObjectiveAndAddCanaryStepInTypeScript);
    edit('apps/platform.yaml', raiseObjectiveAndAddCanaryStep);
    git('commit', '--quiet', '--no-gpg-sign', '--no-verify', '-am', 'Raise the checkout objective and add a canary step');
    const bin = path.join(path.dirname(repo), 'fake-bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'gh'), FAKE_GH, { mode: 0o755 });

    // What GitHub sets for a pull request from the branch into main; the example's definition.
    const github: Record<string, string> = {
      ...workflow.env,
      DEFINITION: 'apps/platform.ts',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_BASE_REF: 'main',
      GITHUB_HEAD_REF: 'raise-checkout-objective',
      GITHUB_WORKSPACE: repo,
      RUNNER_TEMP: temp,
      CI: 'true',
      HOME: copy.home,
      npm_config_update_notifier: 'false',
      PATH: `${bin}:${process.env.PATH}`,
    };
    const expressions: Record<string, string> = {
      'runner.temp': temp,
      'github.token': 'token-for-the-test',
      'github.event.pull_request.number': '42',
      ...Object.fromEntries(Object.entries(github).map(([k, v]) => [`env.${k}`, v])),
    };
    const expand = (text: string): string =>
      text.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => {
        if (!(name in expressions)) throw new Error(`the workflow uses \${{ ${name} }}, which the test does not provide`);
        return expressions[name];
      });

    for (const step of workflow.jobs.check.steps) {
      const name = step.name ?? step.uses ?? '?';
      if (step.if !== undefined && step.if !== "github.event_name == 'pull_request'") throw new Error(`unexpected condition ${step.if}`);
      const cwd = path.resolve(repo, expand(step['working-directory'] ?? '.'));
      if (step.uses !== undefined || step.run === undefined || step.run.startsWith('sudo apt-get')) {
        runs.push({ name, how: 'stood in for', status: 0, output: '' });
      } else if (step.run.trim() === 'npm ci') {
        if (!fs.existsSync(path.join(cwd, 'node_modules'))) fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(cwd, 'node_modules'));
        runs.push({ name, how: 'stood in for', status: 0, output: '' });
      } else {
        // GitHub's default shell for `run`.
        const env = { ...process.env, ...github, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v)])) };
        const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], { cwd, env, encoding: 'utf8', timeout: 900_000 });
        runs.push({ name, how: 'ran', status: result.status, output: `${result.stdout}${result.stderr}` });
        if (result.status !== 0) break;
      }
    }
  }, 1_800_000);

  it('runs every step of the check job to the end, each exiting 0', () => {
    expect(runs.map((r) => [r.name, r.status, r.status === 0 ? '' : r.output])).toEqual(workflow.jobs.check.steps.map((s) => [s.name ?? s.uses, 0, '']));
    expect(runs.filter((r) => r.how === 'ran').map((r) => r.name)).toEqual([
      'Synthesize',
      'Validate',
      'Check out the base branch',
      'Synthesize the base branch',
      'Diff',
      'Comment on the pull request',
    ]);
  });

  it('validates with every check, promtool and amtool included', () => {
    const validate = runs.find((r) => r.name === 'Validate')!.output;
    const count = (side: string, suffix: string): number => fs.readdirSync(path.join(repo, 'dist', side), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(suffix)).length;
    expect(count('prometheus', '.test.yaml')).toBeGreaterThanOrEqual(9);
    expect(validate).toContain(`  promtool-tests  pass     promtool test rules on ${count('prometheus', '.test.yaml')} rule test files\n`);
    expect(validate).toContain(`  amtool          pass     amtool check-config on ${count('alertmanager', '.yml')} Alertmanager configurations\n`);
    expect(validate).toContain('All checks passed.');
  });

  it('synthesizes the base branch into its own folder, with the definition as it is on main', () => {
    const base = fs.readFileSync(path.join(temp, 'base-dist/prometheus/prod/checkout.rules.yaml'), 'utf8');
    const head = fs.readFileSync(path.join(repo, 'dist/prometheus/prod/checkout.rules.yaml'), 'utf8');
    expect(base).toContain('expr: vector(0.999)\n');
    expect(head).toContain('expr: vector(0.9995)\n');
  });

  it('prints the diff as text in the log, and comments it as Markdown on the pull request, the second gh call after the first finds no comment to edit', () => {
    expect(runs.find((r) => r.name === 'Diff')!.output).toContain('    checkout · SLO availability objective: 99.9% → 99.95%  (dev, staging, prod)\n');
    const calls = fs.readFileSync(path.join(temp, 'gh-calls.log'), 'utf8').trim().split('\n');
    expect(calls).toEqual([`pr comment 42 --edit-last --body-file ${temp}/diff.md`, `pr comment 42 --body-file ${temp}/diff.md`]);
    const comment = fs.readFileSync(path.join(temp, 'comment-42.md'), 'utf8');
    expect(comment.split('\n')[0]).toBe('### Synthesized output: `main` → `raise-checkout-objective`');
    expect(comment).toContain('| checkout | SLO availability objective | `99.9%` | `99.95%` | dev, staging, prod |');
    expect(comment).toMatch(/\| checkout \| canary steps \| `[^`]*50% \(10m\) → 100% \(10m\)` \| `[^`]*50% \(10m\) → 75% \(10m\) → 100% \(10m\)` \|/);
  });

  it('deploys with cdktf only on a push to main, after the checks, with the Terraform of the same cdktf.json', () => {
    const deploy = workflow.jobs.deploy;
    expect([deploy.if, deploy.needs]).toEqual(["github.event_name == 'push' && github.ref == 'refs/heads/main'", 'check']);
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(deploy.steps.map((s) => s.run).filter((r) => r !== undefined)).toEqual(['npm ci', "npx cdktf deploy '*' --auto-approve"]);
    // Its variables are the sensitive ones the example's stacks declare.
    const variables = Object.keys(deploy.steps.find((s) => s.name === 'Deploy')!.env ?? {}).map((k) => k.replace(/^TF_VAR_/, ''));
    const stack = JSON.parse(fs.readFileSync(path.join(repo, 'dist/gcp/stacks/shop-prod/cdk.tf.json'), 'utf8')) as { variable: Record<string, unknown> };
    expect(variables.sort()).toEqual(Object.keys(stack.variable).sort());
    expect(workflow.jobs.check.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  });
});
