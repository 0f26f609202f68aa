import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DefinitionError } from '../../lib/definition';

export { runTool } from '../../lib/validate/tools';

/** Debian package that provides each external tool the tests run. */
const PACKAGES: Readonly<Record<string, string>> = {
  promtool: 'prometheus',
  amtool: 'prometheus-alertmanager',
  prometheus: 'prometheus',
  initdb: 'postgresql',
  pg_ctl: 'postgresql',
  pg_dump: 'postgresql',
  pg_restore: 'postgresql',
  psql: 'postgresql',
};

/** The folder of the newest PostgreSQL's programs, which Debian keeps off the PATH, or undefined. */
export function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v) && fs.existsSync(path.join(root, v, 'bin', 'pg_ctl'))) : [];
  const newest = versions.sort((a, b) => Number(a) - Number(b)).pop();
  return newest === undefined ? undefined : path.join(root, newest, 'bin');
}

/** The PATH with PostgreSQL's programs appended. */
export function toolPath(): string {
  const bin = postgresBin();
  return [process.env.PATH ?? '/usr/bin:/bin', ...(bin === undefined ? [] : [bin])].join(':');
}

/** Whether a command is on the PATH (or among PostgreSQL's programs). */
export function hasTool(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8', env: { ...process.env, PATH: toolPath() } }).status === 0;
}

/**
 * `describe` for suites that need an external tool. Under CI (`CI=true`) a missing tool fails
 * the suite with the install command; locally the suite is reported as skipped with that command.
 */
export function describeWithTool(tool: string, name: string, body: () => void): void {
  const install = `apt-get install -y ${PACKAGES[tool] ?? tool}`;
  if (hasTool(tool)) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it(`has ${tool} installed`, () => {
        throw new Error(`${tool} is not installed; CI must install it: ${install}`);
      });
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(`${name}: skipped, ${tool} is not installed (${install})`);
    describe.skip(`${name} (needs ${tool}: ${install})`, body);
  }
}

/** The message of the `DefinitionError` that `fn` throws; fails the test when it throws nothing or something else. */
export function definitionErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return (error as Error).message;
  }
  throw new Error('expected a DefinitionError');
}

/**
 * A scratch folder for the tests of the enclosing `describe`: made before they run, removed
 * after. Returns a getter, as the folder exists only once `beforeAll` has run.
 */
export function scratchDir(name: string): () => string {
  let dir: string | undefined;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `ops-constructs-${name}-`));
  });
  afterAll(() => {
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (dir === undefined) throw new Error(`scratch folder ${name} is used outside its tests`);
    return dir;
  };
}
