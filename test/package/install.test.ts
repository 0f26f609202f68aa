import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadObjects } from '../support/schema';

/**
 * The library as a platform repository gets it: packed into a tarball, installed offline into a
 * fresh project with its own definition, then synthesized there by `cdk8s synth` and
 * `cdktf synth`, and type-checked against the published declarations.
 */
const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'node_modules/.bin');
const QUIET = { ...process.env, CHECKPOINT_DISABLE: '1', CDK8S_CHECK_UPGRADE: 'false', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

function run(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, [...args], { cwd, env: QUIET, encoding: 'utf8', timeout: 600_000 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return `${result.stdout}${result.stderr}`;
}

const DEFINITION = `
const { defineService, definePlatform } = require('ops-constructs');
const orders = defineService({
  name: 'orders', team: 'shop', tier: 'high', image: 'registry.example.com/shop/orders:1.0.0', port: 8080,
  contacts: { owners: ['shop-team@example.com'], escalation: ['shop-oncall@example.com'] },
  gameDays: { experiments: [{ kind: 'pod-kill', name: 'kill-one-pod' }], lastHeld: '2026-11-17' },
  slos: [{ kind: 'availability', name: 'availability', objective: 99.5 }],
  gcp: { project: 'acme-shop-prod', publicHost: 'orders.acme.example.com' },
  certificates: [{ issuer: { name: 'letsencrypt-prod' } }],
});
module.exports.platform = definePlatform({
  name: 'acme', environments: ['prod'],
  runbookBaseUrl: 'https://runbooks.example.com', dashboardBaseUrl: 'https://grafana.example.com',
  prometheusUrl: 'http://prometheus.monitoring:9090',
  receivers: { pager: { type: 'pagerduty', routingKeySecret: { name: 'pagerduty', key: 'routing-key' } } },
  defaultAlertRouting: { critical: 'pager', high: 'pager', medium: 'none', low: 'none' },
  services: [orders],
});
`;

/** The same definition as a TypeScript module, as `ops-constructs synth --definition platform.ts` reads it. */
const DEFINITION_TS = DEFINITION.replace("const { defineService, definePlatform } = require('ops-constructs');", "import { definePlatform, defineService } from 'ops-constructs';").replace('module.exports.platform =', 'export const platform =');

const K8S_APP = `
const { platformCharts, writeChart } = require('ops-constructs');
const { platform } = require('./platform');
for (const chart of platformCharts(platform)) writeChart(process.env.CDK8S_OUTDIR || 'dist', chart);
`;

const GCP_APP = `
const { App, DISABLE_STACK_TRACE_IN_METADATA } = require('cdktf');
const { GcpPlatformStack, gcpStackName } = require('ops-constructs');
const { platform } = require('./platform');
const app = new App({ context: { [DISABLE_STACK_TRACE_IN_METADATA]: true } });
for (const env of platform.environments) new GcpPlatformStack(app, gcpStackName(platform, env.name), { platform, environment: env.name });
app.synth();
`;

const TYPED = `
import { EffectiveService, PlatformDefinition, defineService, resolveEnvironment } from 'ops-constructs';
import platformSchema from 'ops-constructs/schemas/platform.json';
export function first(platform: PlatformDefinition): EffectiveService {
  return resolveEnvironment(platform, platform.services[0], platform.environments[0].name);
}
export const s = defineService({ name: 'x', team: 'shop', tier: 'low', image: 'r.example.com/a/x:1.0.0' });
export const title: unknown = (platformSchema as { title?: string }).title;
`;

describe('the package installed into a platform repository', () => {
  let project: string;
  beforeAll(() => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-package-'));
    const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: ROOT, env: QUIET, encoding: 'utf8' }).trim().split('\n').pop() as string;
    project = path.join(work, 'platform-repo');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'platform-repo', private: true, dependencies: { 'ops-constructs': `file:../${packed}` } }, null, 2));
    // The tarball is unpacked as npm installs it; its dependencies are this checkout's, the very
    // versions the lockfile pins, so nothing is fetched from a registry.
    const modules = path.join(project, 'node_modules');
    fs.mkdirSync(path.join(modules, 'ops-constructs'), { recursive: true });
    run('tar', ['-xzf', path.join(work, packed), '-C', path.join(modules, 'ops-constructs'), '--strip-components=1'], project);
    for (const entry of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
      if (entry === '.bin' || entry === 'ops-constructs') continue;
      fs.symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(modules, entry));
    }
    // As npm links a package's bin.
    fs.mkdirSync(path.join(modules, '.bin'));
    fs.symlinkSync('../ops-constructs/bin/ops-constructs.js', path.join(modules, '.bin/ops-constructs'));
    fs.writeFileSync(path.join(project, 'platform.js'), DEFINITION);
    fs.writeFileSync(path.join(project, 'platform.ts'), DEFINITION_TS);
    fs.writeFileSync(path.join(project, 'k8s.js'), K8S_APP);
    fs.writeFileSync(path.join(project, 'gcp.js'), GCP_APP);
    fs.writeFileSync(path.join(project, 'cdk8s.yaml'), 'language: typescript\napp: node k8s.js\noutput: dist\n');
    fs.writeFileSync(path.join(project, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'node gcp.js', output: 'cdktf.out', projectId: 'platform-repo', terraformProviders: [] }, null, 2));
    // Only what the package lists in `files` is there: no sources, no tests.
    expect(fs.existsSync(path.join(modules, 'ops-constructs/build/lib/index.js'))).toBe(true);
    expect(fs.existsSync(path.join(modules, 'ops-constructs/lib/definition/service.ts'))).toBe(false);
    expect(fs.existsSync(path.join(modules, 'ops-constructs/lib/cli/index.ts'))).toBe(false);
  }, 600_000);

  it('synthesizes its own definition with cdk8s synth', () => {
    run(path.join(BIN, 'cdk8s'), ['synth', '--no-check-upgrade'], project);
    const kinds = loadObjects(path.join(project, 'dist/prod/orders.k8s.yaml')).map((o) => o.kind);
    expect(kinds).toEqual(expect.arrayContaining(['Deployment', 'Service', 'ServiceMonitor', 'PrometheusRule', 'Certificate', 'CronJob']));
    // The certificate check's script ships in the package and is read from it at synthesis.
    const script = loadObjects(path.join(project, 'dist/prod/orders.k8s.yaml')).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'orders-tls-check-script') as { data?: Record<string, string> } | undefined;
    expect(script?.data?.['check-certificates.sh']).toMatch(/^#!\/bin\/sh\n/);
    expect(fs.existsSync(path.join(project, 'dist/prod/alert-routing/shop.k8s.yaml'))).toBe(true);
  });

  it('synthesizes its Cloud Monitoring with cdktf synth', () => {
    run(path.join(BIN, 'cdktf'), ['synth'], project);
    const stack = JSON.parse(fs.readFileSync(path.join(project, 'cdktf.out/stacks/acme-prod/cdk.tf.json'), 'utf8')) as { resource: Record<string, unknown> };
    expect(Object.keys(stack.resource)).toEqual(expect.arrayContaining(['google_monitoring_slo', 'google_monitoring_alert_policy']));
  });

  it('resolves the published types and the JSON Schema export', () => {
    fs.writeFileSync(path.join(project, 'typed.ts'), TYPED);
    run(path.join(BIN, 'tsc'), ['--noEmit', '--strict', '--esModuleInterop', '--resolveJsonModule', '--module', 'node16', '--moduleResolution', 'node16', '--skipLibCheck', 'typed.ts'], project);
  });

  it('runs its ops-constructs bin: synth of the TypeScript and the JavaScript definition, validate and diff, from the compiled package', () => {
    const cli = path.join(project, 'node_modules/.bin/ops-constructs');
    // A fixed day: the game day counts for a quarter.
    const synth = run(cli, ['synth', '--definition', 'platform.ts', '--out', 'out-ts', '--today', '2026-12-02'], project);
    expect(synth).toMatch(/^Synthesized platform "acme" \(1 service × 1 environment\) into out-ts\/ in \d+ ms$/m);
    run(cli, ['synth', '--definition', 'platform.js', '--out', 'out-js', '--quiet', '--today', '2026-12-02'], project);
    // Schemas need the models and the CRDs the package ships.
    const validation = run(cli, ['validate', 'out-ts', '--skip', 'promtool-tests'], project);
    expect(validation).toMatch(/\n {2}schemas +pass +\d+ Kubernetes objects in 4 files\n/);
    expect(validation).toContain('All checks passed.');
    expect(run(cli, ['diff', 'out-js', 'out-ts'], project)).toMatch(/^Diff of out-js → out-ts: no changes \(\d+ files compared\)\.$/m);
    // Two environments, so two units: with --jobs 2 a worker thread loads the compiled library.
    fs.writeFileSync(path.join(project, 'two.js'), DEFINITION.replace("environments: ['prod']", "environments: ['dev', 'prod']"));
    run(cli, ['synth', '--definition', 'two.js', '--out', 'out-one', '--quiet', '--no-cache', '--today', '2026-12-02'], project);
    run(cli, ['synth', '--definition', 'two.js', '--out', 'out-two', '--quiet', '--no-cache', '--jobs', '2', '--today', '2026-12-02'], project);
    expect(run(cli, ['diff', 'out-one', 'out-two'], project)).toMatch(/^Diff of out-one → out-two: no changes \(\d+ files compared\)\.$/m);
    expect(run(cli, ['--help'], project)).toContain('Usage: ops-constructs [options] [command]');
  });
});
