import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadObjects } from './support/schema';

const root = path.resolve(__dirname, '..');

describe('the README', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

  it('gives a first example that runs as written and synthesizes the service', () => {
    const match = /## A first example\n\n```ts\n([\s\S]*?)```/.exec(readme);
    expect(match).not.toBeNull();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-example-'));
    const code = match![1]
      .replace("from 'ops-constructs'", `from ${JSON.stringify(path.join(root, 'lib'))}`)
      .replace('new App()', `new App({ outdir: ${JSON.stringify(dir)} })`);
    // Inside the project (in the ignored build folder) so that its packages resolve.
    const scriptDir = path.join(root, 'build');
    fs.mkdirSync(scriptDir, { recursive: true });
    const script = path.join(fs.mkdtempSync(path.join(scriptDir, 'readme-')), 'example.ts');
    fs.writeFileSync(script, code);
    const result = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), [script], { cwd: root, encoding: 'utf8' });
    fs.rmSync(path.dirname(script), { recursive: true, force: true });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const kinds = loadObjects(path.join(dir, 'checkout.k8s.yaml')).map((o) => o.kind);
    expect(kinds).toEqual(expect.arrayContaining(['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PrometheusRule']));
  });

  it('names the two commands a newcomer runs', () => {
    expect(readme).toContain('npm ci && npm run synth');
    expect(readme).toContain('npm test');
  });
});
