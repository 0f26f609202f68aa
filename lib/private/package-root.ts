import * as fs from 'fs';
import * as path from 'path';

/**
 * The folder of this package: where its package.json is, whether the code runs from the
 * sources (`lib/`) or from the compiled package (`build/lib/`).
 */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'ops-constructs') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json of ops-constructs above ${__dirname}`);
    dir = parent;
  }
}

/** The version of this package, from its package.json. */
export function packageVersion(): string {
  return String((JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown }).version);
}
