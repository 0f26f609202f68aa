/**
 * Platforms written as YAML or JSON files, checked exactly like `definePlatform` and
 * `defineService`, with each problem pointing at the line and column it is written at.
 */
import * as fs from 'fs';
import * as path from 'path';
import { LineCounter, Node, isMap, isNode, isScalar, isSeq, parseDocument } from 'yaml';
import { isPlainObject } from '../private/data';
import { DefinitionError, DefinitionIssue } from './errors';
import { PlatformDefinition, definePlatform, platformFileSchema } from './platform';
import { ServiceDefinition, ServiceDefinitionInput, defineService } from './service';
import { shapeIssues } from './shape';

/** Splits an issue path (`checkout.slos[0].objective`) into its root and keys. */
function splitPath(issuePath: string): { root: string; keys: (string | number)[] } {
  const [root, ...rest] = issuePath.split(/(?=[.[])/);
  const keys = rest.map((part) => (part.startsWith('[') ? Number(part.slice(1, -1)) : part.slice(1)));
  return { root, keys };
}

/**
 * The position of what `keys` names in the document: the key of a field (where an editor puts
 * the cursor), an item of a list, or the deepest part of the path the document has.
 */
function locate(root: unknown, keys: readonly (string | number)[], lines: LineCounter): { line: number; col: number } | undefined {
  let node: unknown = root;
  let found: Node | undefined = isNode(root) ? root : undefined;
  for (const key of keys) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
      if (pair === undefined) break;
      found = isNode(pair.key) ? pair.key : found;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number' && isNode(node.items[key])) {
      node = node.items[key];
      found = node as Node;
    } else {
      break;
    }
  }
  return found?.range ? lines.linePos(found.range[0]) : undefined;
}

/**
 * Reads a platform definition from a YAML or JSON file: the platform's settings with its
 * services written inline, as in `platformJsonSchema()`. Every problem of every service and of
 * the platform is reported at once, each with `file:line:column`.
 * @param file path of a `.yaml`, `.yml` or `.json` file
 * @example
 * const platform = loadPlatform('platform.yaml');
 */
export function loadPlatform(file: string): PlatformDefinition {
  return parsePlatform(fs.readFileSync(file, 'utf8'), path.basename(file));
}

/**
 * Parses a platform definition from YAML or JSON text (JSON is YAML); `source` names it in
 * messages.
 */
export function parsePlatform(text: string, source = 'platform.yaml'): PlatformDefinition {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, version: '1.2' });
  // Warnings count as errors: an unknown tag such as !!js/function would otherwise be read as text.
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    const textLines = text.split('\n');
    const issues = problems.map((e): DefinitionIssue => {
      const pos = lines.linePos(e.pos[0]);
      const line = (textLines[pos.line - 1] ?? '').trim();
      return { path: 'yaml', problem: `is not valid: ${e.message.split('\n')[0]}`, value: line, location: `${source}:${pos.line}:${pos.col}` };
    });
    throw new DefinitionError(`platform file ${source}`, issues);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new DefinitionError(`platform file ${source}`, [{ path: 'yaml', problem: `cannot be read: ${message}`, value: undefined, location: `${source}:1:1` }]);
  }
  const at = (issue: DefinitionIssue, prefix: readonly (string | number)[]): DefinitionIssue => {
    const pos = locate(doc.contents, [...prefix, ...splitPath(issue.path).keys], lines);
    return pos ? { ...issue, location: `${source}:${pos.line}:${pos.col}` } : issue;
  };
  const name = isPlainObject(data) && typeof data.name === 'string' && data.name !== '' ? data.name : '<platform>';
  const shape = shapeIssues(platformFileSchema, data, name);
  if (shape.length > 0) {
    throw new DefinitionError(`platform "${name}"`, shape.map((issue) => at(issue, [])));
  }
  const input = data as { services: readonly ServiceDefinitionInput[] } & Record<string, unknown>;
  const issues: DefinitionIssue[] = [];
  const services: ServiceDefinition[] = [];
  const indexOf = new Map<string, number>();
  input.services.forEach((service, i) => {
    indexOf.set(service.name, indexOf.get(service.name) ?? i);
    try {
      services.push(defineService(service));
    } catch (error) {
      if (!(error instanceof DefinitionError)) throw error;
      issues.push(...error.issues.map((issue) => at(issue, ['services', i])));
    }
  });
  if (issues.length > 0) {
    throw new DefinitionError(`platform "${name}"`, issues);
  }
  try {
    return definePlatform({ ...(input as unknown as Parameters<typeof definePlatform>[0]), services });
  } catch (error) {
    if (!(error instanceof DefinitionError)) throw error;
    const located = error.issues.map((issue) => {
      const { root } = splitPath(issue.path);
      const index = root === name ? undefined : indexOf.get(root);
      return at(issue, index === undefined ? [] : ['services', index]);
    });
    throw new DefinitionError(`platform "${name}"`, located);
  }
}
