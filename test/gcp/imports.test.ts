import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
/** The package root, spelled in parts so that this file does not import it itself. */
const PACKAGE = ['@cdktf', 'provider-google'].join('/');

function typescriptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return typescriptFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Module specifiers of import, export-from, require and dynamic import statements. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
  for (const match of source.matchAll(pattern)) found.push(match[1]);
  return found;
}

describe('provider imports', () => {
  it('finds the specifiers the scan relies on', () => {
    expect(specifiers(`import { A } from '${PACKAGE}';\nconst b = require("${PACKAGE}");\nexport * from './x';`)).toEqual([PACKAGE, PACKAGE, './x']);
  });

  it('never imports the @cdktf/provider-google package root in lib/, apps/ or test/', () => {
    const files = ['lib', 'apps', 'test'].flatMap((dir) => typescriptFiles(path.join(ROOT, dir)));
    expect(files.some((f) => f.endsWith(path.join('lib', 'gcp', 'service-monitoring.ts')))).toBe(true);
    const offenders = files
      .filter((file) => specifiers(fs.readFileSync(file, 'utf8')).some((s) => s === PACKAGE || s === `${PACKAGE}/lib` || s === `${PACKAGE}/lib/index`))
      .map((file) => path.relative(ROOT, file));
    expect(offenders).toEqual([]);
  });
});
