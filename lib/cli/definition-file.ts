import * as fs from 'fs';
import * as path from 'path';
import { PlatformDefinition, isDefinedPlatform, loadPlatform } from '../definition';
import { CliError } from './io';

/** The files a definition is looked for in, in this order, when none is given. */
export const DEFINITION_FILES: readonly string[] = ['platform.ts', 'platform.yaml', 'platform.yml', 'platform.json'];

const MODULE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.cjs', '.mjs'];
const TYPESCRIPT_EXTENSIONS = ['.ts', '.mts', '.cts'];
const DATA_EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * The definition file to read: the one given (relative to `cwd`), or the first of
 * `DEFINITION_FILES` in `cwd`. Throws a `CliError` naming what was looked for.
 */
export function findDefinition(cwd: string, given?: string): string {
  if (given !== undefined) {
    const file = path.resolve(cwd, given);
    if (!fs.existsSync(file)) throw new CliError(`definition file ${given} not found (in ${cwd})`);
    if (!fs.statSync(file).isFile()) throw new CliError(`definition ${given} is not a file`);
    return file;
  }
  const found = DEFINITION_FILES.map((name) => path.join(cwd, name)).find((file) => fs.existsSync(file));
  if (found === undefined) {
    throw new CliError(`no platform definition found: give one with --definition <file>, or put one of ${DEFINITION_FILES.join(', ')} in ${cwd}`);
  }
  return found;
}

/** tsx's CommonJS API: registers its loader for `.ts` files, and returns how to unregister it. */
interface TsxCjsApi {
  register(): () => void;
}

/**
 * Requires a module, through tsx for TypeScript unless a loader for `.ts` is already registered
 * (the command runs under tsx or ts-jest). tsx is registered only for this load, in the
 * process's own module cache, so the definition and the command share one copy of the library.
 */
function requireModule(file: string): Record<string, unknown> {
  const needsLoader = TYPESCRIPT_EXTENSIONS.includes(path.extname(file)) && !('.ts' in require.extensions);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const unregister = needsLoader ? (require('tsx/cjs/api') as TsxCjsApi).register() : undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as Record<string, unknown>;
  } finally {
    unregister?.();
  }
}

/**
 * Reads a platform definition: a TypeScript or JavaScript module exporting the result of
 * `definePlatform` as `platform` (or as its default export), or a YAML or JSON file read by
 * `loadPlatform`. A bad definition throws its `DefinitionError`; a module without a platform, a
 * `CliError`.
 * @param file an absolute path, e.g. from `findDefinition`
 */
export function loadDefinition(file: string): PlatformDefinition {
  const extension = path.extname(file).toLowerCase();
  if (DATA_EXTENSIONS.includes(extension)) return loadPlatform(file);
  if (!MODULE_EXTENSIONS.includes(extension)) {
    throw new CliError(`cannot read a definition from ${path.basename(file)}: use a ${[...MODULE_EXTENSIONS, ...DATA_EXTENSIONS].join(', ')} file`);
  }
  const exports = requireModule(file);
  const platform = [exports.platform, exports.default].find(isDefinedPlatform);
  if (platform === undefined) {
    const names = Object.keys(exports).filter((name) => name !== '__esModule');
    throw new CliError(
      `${path.basename(file)} exports no platform: export the result of definePlatform(...) as \`platform\` or as the default export (it exports ${names.length > 0 ? names.join(', ') : 'nothing'})`,
    );
  }
  return platform;
}
