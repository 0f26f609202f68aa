import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DefinitionError } from '../../lib/definition';
import { hasTool, installHint } from '../../lib/validate/tools';

export { hasTool, runTool } from '../../lib/validate/tools';

/**
 * `describe` for suites that need an external tool. Under CI (`CI=true`) a missing tool fails
 * the suite with the install command; locally the suite is reported as skipped with that command.
 */
export function describeWithTool(tool: string, name: string, body: () => void): void {
  const install = installHint(tool);
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
