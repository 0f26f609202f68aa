/**
 * The generated CRD classes under lib/imports are what `npm run import:crds` (that is,
 * `cdk8s import` reading cdk8s.yaml) writes from the committed CRDs, byte for byte, and
 * cdk8s.yaml names only CRDs that are committed.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { scratchDir } from '../support/tools';

const ROOT = path.resolve(__dirname, '../..');
const config = parse(fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8')) as { imports: string[] };
const imports = config.imports.map((spec) => {
  const [name, file] = spec.split(':=');
  return { name, file };
});
const dir = scratchDir('imports');

describe('the generated CRD classes', () => {
  it('come from CRDs that are committed, one import each', () => {
    expect(imports.length).toBeGreaterThan(0);
    for (const { name, file } of imports) {
      expect([name, fs.existsSync(path.join(ROOT, file))]).toEqual([name, true]);
      expect(file).toMatch(/^test\/fixtures\/crds\/[a-z.-]+_[a-z]+\.yaml$/);
    }
    expect(new Set(imports.map((i) => i.name)).size).toBe(imports.length);
  });

  it('are what npm run import:crds writes from them, byte for byte, and nothing else', () => {
    const script = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['import:crds'];
    // The script reads cdk8s.yaml's imports, so the two cannot drift apart.
    expect(script).toBe('cdk8s import --no-check-upgrade --language typescript --output lib/imports');
    const out = path.join(dir(), 'lib-imports');
    execFileSync(path.join(ROOT, 'node_modules/.bin/cdk8s'), ['import', '--no-check-upgrade', '--language', 'typescript', '--output', out], { cwd: ROOT, stdio: 'pipe' });
    const generated = fs.readdirSync(out).sort();
    expect(generated).toEqual(fs.readdirSync(path.join(ROOT, 'lib/imports')).sort());
    expect(generated).toHaveLength(imports.length);
    for (const file of generated) expect([file, fs.readFileSync(path.join(out, file), 'utf8') === fs.readFileSync(path.join(ROOT, 'lib/imports', file), 'utf8')]).toEqual([file, true]);
  });
});
