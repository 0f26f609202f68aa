import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { scratchDir } from '../support/tools';
import { EXAMPLE_YAML, withoutCheckoutEscalation } from '../diff/fixtures';

/** The `ops-constructs` bin run from this repository, as `npx ops-constructs` runs it here: on the sources, through tsx. */
const ROOT = path.resolve(__dirname, '../..');

function bin(args: readonly string[], env: NodeJS.ProcessEnv = process.env): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/ops-constructs.js'), ...args], { cwd: ROOT, env: { ...env, CI: 'true' }, encoding: 'utf8', timeout: 300_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the ops-constructs bin in this repository', () => {
  const scratch = scratchDir('bin');

  it('is the package bin, and npx finds it', () => {
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).bin).toEqual({ 'ops-constructs': 'bin/ops-constructs.js' });
    const result = spawnSync('npx', ['--no-install', 'ops-constructs', '--version'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
    expect([result.status, result.stdout.trim(), result.stderr]).toEqual([0, JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version, '']);
  });

  it('synthesizes the example from its TypeScript definition and exits 0, without a progress line outside a terminal', () => {
    // A fixed day: the example's game days count for a quarter.
    const result = bin(['synth', '--definition', 'apps/platform.ts', '--env', 'prod', '--out', path.join(scratch(), 'dist'), '--today', '2026-12-02']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Synthesized platform "shop" \(3 services × 1 of 3 environments: prod\)/);
    expect(result.stderr).not.toContain('\r');
    expect(fs.existsSync(path.join(scratch(), 'dist/gcp/stacks/shop-prod/cdk.tf.json'))).toBe(true);
  });

  it('exits with the status of what it found: 2 for bad usage, 1 for a failed check', () => {
    expect(bin(['diff']).status).toBe(2);
    expect(bin(['readiness', '--today', 'soon']).status).toBe(2);
    const unready = path.join(scratch(), 'unready.yaml');
    fs.writeFileSync(unready, withoutCheckoutEscalation(EXAMPLE_YAML));
    expect(bin(['readiness', '-d', unready, '--today', '2026-12-02']).status).toBe(1);
    // Without promtool and amtool on the PATH, their checks are skipped, or fail when required.
    const pathDir = path.join(scratch(), 'path');
    fs.mkdirSync(pathDir);
    fs.symlinkSync('/bin/sh', path.join(pathDir, 'sh'));
    const noTools = { ...process.env, PATH: pathDir };
    const skipped = bin(['validate', path.join(scratch(), 'dist'), '--skip', 'schemas,promql,logql'], noTools);
    expect(skipped.status).toBe(0);
    expect(skipped.stdout).toContain('  promtool-rules  skipped  promtool is not installed (apt-get install -y prometheus)\n');
    expect(skipped.stdout).toContain('  amtool          skipped  amtool is not installed (apt-get install -y prometheus-alertmanager)\n');
    const required = bin(['validate', path.join(scratch(), 'dist'), '--skip', 'schemas,promql,logql', '--require-tools'], noTools);
    expect(required.status).toBe(1);
    expect(required.stdout).toContain('\n3 of 7 checks failed: promtool-rules, promtool-tests, amtool.\n');
  });
});
