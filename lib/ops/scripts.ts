/**
 * The scripts the scheduled jobs run: real files under `lib/ops/scripts/`, shipped in the npm
 * package (`files` in package.json) and read when a job is synthesized.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The folder of the scripts, from the sources (`lib/ops`) or from the build (`build/lib/ops`). */
export function scriptsDirectory(): string {
  const candidates = [path.join(__dirname, 'scripts'), path.join(__dirname, '..', '..', '..', 'lib', 'ops', 'scripts')];
  const found = candidates.find((dir) => fs.existsSync(dir));
  if (found === undefined) throw new Error(`the job scripts are missing: looked in ${candidates.join(' and ')}`);
  return found;
}

/** The text of one script, e.g. `check-certificates.sh`. */
export function readScript(file: string): string {
  return fs.readFileSync(path.join(scriptsDirectory(), file), 'utf8');
}
