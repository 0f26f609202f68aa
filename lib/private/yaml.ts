/**
 * The one YAML serializer of the library: deterministic, no line folding, multi-line strings
 * as block literals, and every string a YAML 1.1 reader would take for something else quoted.
 * Go's yaml.v2 (Prometheus, Alertmanager, many Kubernetes tools) and PyYAML read YAML 1.1, where
 * `on`, `no`, `y`, `=`, `<<`, `0777`, `1:30` and `2026-12-01` are not plain strings.
 * @see https://yaml.org/type/bool.html
 * @see https://yaml.org/type/value.html
 */
import { Document, Scalar, isCollection, isPair, isScalar } from 'yaml';

/** Plain scalars YAML 1.1 resolves to another type than string. */
const YAML11_NOT_STRING = new RegExp(
  [
    // booleans
    '^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$',
    // null
    '^(?:~|null|Null|NULL)$',
    // integers: binary, octal, decimal, hexadecimal, base 60
    '^[-+]?(?:0b[01_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$',
    // floats, including base 60 and the special values
    '^[-+]?(?:[0-9][0-9_]*)?\\.[0-9.]*(?:[eE][-+][0-9]+)?$',
    '^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*$',
    '^[-+]?\\.(?:inf|Inf|INF)$',
    '^\\.(?:nan|NaN|NAN)$',
    // times of day, which YAML 1.1 readers differ on (base 60)
    '^[0-9]+(?::[0-9]+)+$',
    // the value and merge keys
    '^(?:=|<<)$',
    // timestamps
    '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$',
  ].join('|'),
);

/** Whether a YAML 1.1 reader would take this string, written plain, for a non-string. */
export function isAmbiguousInYaml11(text: string): boolean {
  return YAML11_NOT_STRING.test(text);
}

/**
 * Double-quotes every ambiguous string scalar under `node`, keys included: the nodes `visit`
 * would reach (collection items, pair keys and values; aliases are not followed), walked
 * directly, without the ancestor paths `visit` builds for every node.
 */
function quoteAmbiguous(node: unknown): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string' && isAmbiguousInYaml11(node.value)) node.type = Scalar.QUOTE_DOUBLE;
  } else if (isCollection(node)) {
    for (const item of node.items) quoteAmbiguous(item);
  } else if (isPair(node)) {
    quoteAmbiguous(node.key);
    quoteAmbiguous(node.value);
  }
}

/** A document of `value` with every ambiguous string scalar (keys included) double-quoted. */
function documentOf(value: unknown, sortKeys: boolean): Document {
  const doc = new Document(value, { keepUndefined: false, sortMapEntries: sortKeys });
  quoteAmbiguous(doc.contents);
  return doc;
}

/** The options of `toYaml`. */
export interface ToYamlOptions {
  /** Map keys in code-unit order instead of insertion order. */
  readonly sortKeys?: boolean;
}

/**
 * The definition of the library's YAML: a `yaml` package document of `value` with ambiguous
 * strings double-quoted, written without line folding at a two-space indent. `toYaml` renders
 * plain data with a direct emitter for speed; this is the reference the emitter is proven
 * against (byte for byte, by property tests), and what `toYaml` uses for anything else.
 */
export function toYamlWithDocument(value: unknown, options: ToYamlOptions = {}): string {
  return documentOf(value, options.sortKeys ?? false).toString({ lineWidth: 0, indent: 2 });
}

/**
 * Serializes plain data as YAML the same way every time: no line folding, two-space indent,
 * keys in insertion order, strings YAML 1.1 readers could misread quoted.
 *
 * Building and stringifying a `yaml` document is a large share of a synthesis's time, so plain
 * data (plain objects and arrays, strings, finite numbers, booleans, null) goes through a direct
 * emitter that writes what `toYamlWithDocument` would, byte for byte, anchors and aliases of
 * objects reached twice included. Any other value (a Date, a Map, a class instance, a cycle, a
 * non-finite number, ...) anywhere in `value`, or an object reached twice with `sortKeys`, sends
 * the whole value to `toYamlWithDocument`, which stays the definition of the format.
 */
export function toYaml(value: unknown, options: ToYamlOptions = {}): string {
  const fast = emitYaml(value, options.sortKeys ?? false);
  return fast ?? toYamlWithDocument(value, options);
}

/** Several documents in one stream, separated by `---`, as `kubectl apply -f` reads them. */
export function toYamlDocuments(values: readonly unknown[]): string {
  return values.map((value) => toYaml(value)).join('---\n');
}

// The direct emitter. Each function below mirrors the part of the yaml package's stringifier
// (v2, dist/stringify/*.js) that the options above reach: `lineWidth: 0` (so nothing is ever
// folded), `indent: 2`, block collections, the core schema of YAML 1.2, no comments, no tags,
// and the anchors and aliases of objects reached more than once. The names follow the
// package's so the two can be read side by side.

/** Thrown inside the emitter for a value it leaves to the `yaml` package. */
const UNSUPPORTED: unique symbol = Symbol('unsupported by the direct YAML emitter');

/** Thrown inside the emitter's first pass on meeting an object a second time. */
const SHARED: unique symbol = Symbol('an object reached twice');

/** The indentation step, `indent: 2`. */
const INDENT_STEP = '  ';

/** What one rendering carries along. */
interface EmitState {
  readonly sortKeys: boolean;
  /** The objects written so far (or, on a second pass, being written). */
  readonly seen: Set<object>;
  /**
   * On a second pass, for a value with shared objects: the anchor of each object reached more
   * than once, null for the others.
   */
  readonly anchors?: ReadonlyMap<object, string | null>;
}

/**
 * The direct emitter behind `toYaml`: `value` written as `toYamlWithDocument` would write it, or
 * undefined when `value` holds anything the emitter leaves to the `yaml` package (then nothing
 * of it was written). Exported for the property tests that prove the two agree.
 */
export function emitYaml(value: unknown, sortKeys: boolean): string | undefined {
  const root = value === undefined ? null : value;
  try {
    try {
      return `${emitNode(root, '', { sortKeys, seen: new Set<object>() })}\n`;
    } catch (e) {
      // With sorted keys an alias could come before its anchor, which the package refuses.
      if (e !== SHARED || sortKeys) throw e;
    }
    return `${emitNode(root, '', { sortKeys, seen: new Set<object>(), anchors: anchorsOf(root) })}\n`;
  } catch (e) {
    if (e === UNSUPPORTED || e === SHARED) return undefined;
    throw e;
  }
}

/**
 * The anchors the package gives the objects `value` reaches more than once: `a1`, `a2`, ... in
 * the order of their second encounters, walking as its `createNode` does (items in order, map
 * values in key order, undefined map values skipped, nothing under an object met before).
 * Cycles are left to the package.
 */
function anchorsOf(value: unknown): Map<object, string | null> {
  const anchors = new Map<object, string | null>();
  const open = new Set<object>();
  let count = 0;
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (anchors.has(node)) {
      if (open.has(node)) throw UNSUPPORTED;
      if (anchors.get(node) === null) anchors.set(node, `a${++count}`);
      return;
    }
    anchors.set(node, null);
    open.add(node);
    if (Array.isArray(node)) {
      for (const item of node as readonly unknown[]) walk(item);
    } else {
      const map = node as Readonly<Record<string, unknown>>;
      for (const key of Object.keys(map)) walk(map[key]);
    }
    open.delete(node);
  };
  walk(value);
  return anchors;
}

/**
 * A value at indentation `indent` outside of a key: a scalar, an alias, or a block collection
 * whose lines after the first start with `indent` (stringifyCollection's
 * `stringifyBlockCollection`), behind its anchor if it has one (stringify.js).
 */
function emitNode(value: unknown, indent: string, state: EmitState): string {
  switch (typeof value) {
    case 'string':
      return stringifyString(value, indent, false);
    case 'number':
      // stringifyNumber: JSON's number text, which for finite numbers is String's, but -0.
      if (!Number.isFinite(value)) throw UNSUPPORTED;
      return Object.is(value, -0) ? '-0' : String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      // undefined reaches here only as a sequence item, which the package writes as null
      if (value === undefined) return 'null';
      throw UNSUPPORTED;
  }
  if (value === null) return 'null';
  const { anchors, seen } = state;
  if (seen.has(value)) {
    const anchor = anchors?.get(value);
    if (anchor === undefined) throw SHARED;
    if (anchor === null) throw UNSUPPORTED;
    return `*${anchor}`;
  }
  // The package calls `toJSON` where an object has one.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') throw UNSUPPORTED;
  seen.add(value);
  const str = emitCollection(value, indent, state);
  const anchor = anchors?.get(value);
  if (anchor === undefined || anchor === null) return str;
  return str === '{}' || str === '[]' ? `&${anchor} ${str}` : `&${anchor}\n${indent}${str}`;
}

/** A plain array or object at indentation `indent`, without anchor. */
function emitCollection(value: object, indent: string, state: EmitState): string {
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) throw UNSUPPORTED;
    const items: readonly unknown[] = value;
    if (items.length === 0) return '[]';
    const itemIndent = indent + INDENT_STEP;
    let str = '';
    for (let i = 0; i < items.length; i++) {
      if (i > 0) str += `\n${indent}`;
      str += `- ${emitNode(items[i], itemIndent, state)}`;
    }
    return str;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw UNSUPPORTED;
  const map = value as Readonly<Record<string, unknown>>;
  const keys = Object.keys(map);
  // The package's sortMapEntries compares keys with `<`: code-unit order, as sort's default.
  if (state.sortKeys) keys.sort();
  let str = '';
  for (const key of keys) {
    const item = map[key];
    if (item === undefined) continue;
    if (str !== '') str += `\n${indent}`;
    str += stringifyPair(key, item, indent, state);
  }
  return str === '' ? '{}' : str;
}

/** A pair of a block map at `indent` (stringifyPair.js, for a string key and a defined value). */
function stringifyPair(key: string, value: unknown, indent: string, state: EmitState): string {
  const valueIndent = indent + INDENT_STEP;
  const keyStr = stringifyString(key, valueIndent, true);
  // Longer keys become explicit (`? key`), which the emitter leaves to the package.
  if (keyStr.length > 1024) throw UNSUPPORTED;
  const valueStr = emitNode(value, valueIndent, state);
  if (value !== null && typeof value === 'object') {
    // A non-empty collection starts on the next line, but for its anchor; an empty one (`{}`,
    // `[]`) and an alias follow the key. A key never starts with `&` or `*` unquoted, nor does
    // a sequence.
    const first = valueStr[0];
    return first === '&' || first === '*' || valueStr === '{}' || valueStr === '[]'
      ? `${keyStr}: ${valueStr}`
      : `${keyStr}:\n${valueIndent}${valueStr}`;
  }
  return valueStr === '' || valueStr[0] === '\n' ? `${keyStr}:${valueStr}` : `${keyStr}: ${valueStr}`;
}

/** Control characters and lone surrogates, which only double quotes can hold. */
const NEEDS_DOUBLE_QUOTES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;

/** What plainString refuses to write plain (a key, a single line, or a block scalar instead). */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;

/** A line starting with `%`, `---` or `...`, which a reader could take for a document boundary. */
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;

/**
 * Plain scalars the core schema resolves to another type than string: the `test` of its null,
 * bool, int (octal, decimal, hexadecimal) and float (special, exponent, fixed) tags.
 */
const CORE_NOT_STRING = new RegExp(
  [
    '^(?:~|[Nn]ull|NULL)?$',
    '^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$',
    '^0o[0-7]+$',
    '^[-+]?[0-9]+$',
    '^0x[0-9a-fA-F]+$',
    '^(?:[-+]?\\.(?:inf|Inf|INF)|\\.nan|\\.NaN|\\.NAN)$',
    '^[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)[eE][-+]?[0-9]+$',
    '^[-+]?(?:\\.[0-9]+|[0-9]+\\.[0-9]*)$',
  ].join('|'),
);

/**
 * Strings of letters, digits and `_./-` that start with a letter: plain unless a reader resolves
 * them to a bool or null, which the two tests below decide. Most keys and values are of this kind.
 */
const SIMPLE = /^[A-Za-z][A-Za-z0-9_./-]*$/;

/**
 * A string scalar (stringifyString.js's `stringifyString`), at `indent`, as a map key or not;
 * strings YAML 1.1 could misread are double-quoted, as `quoteAmbiguous` makes the package do.
 */
function stringifyString(value: string, indent: string, implicitKey: boolean): string {
  if (SIMPLE.test(value)) {
    return isAmbiguousInYaml11(value) || CORE_NOT_STRING.test(value) ? doubleQuotedString(value, indent, implicitKey) : value;
  }
  if (isAmbiguousInYaml11(value) || NEEDS_DOUBLE_QUOTES.test(value)) return doubleQuotedString(value, indent, implicitKey);
  return plainString(value, indent, implicitKey);
}

/** stringifyString.js's `plainString`, for a scalar of no set type outside flow collections. */
function plainString(value: string, indent: string, implicitKey: boolean): string {
  const multiline = value.includes('\n');
  if (implicitKey && multiline) return quotedString(value, indent, implicitKey);
  if (NOT_PLAIN.test(value)) {
    return implicitKey || !multiline ? quotedString(value, indent, implicitKey) : blockString(value, indent, false);
  }
  // Where allowed, multi-line strings are block literals.
  if (!implicitKey && multiline) return blockString(value, indent, false);
  if (DOCUMENT_MARKER.test(value)) {
    if (indent === '') return blockString(value, indent, true);
    if (implicitKey && indent === INDENT_STEP) return quotedString(value, indent, implicitKey);
  }
  // A single line here: the package's `value.replace(/\n+/g, ...)` leaves it as it is.
  return CORE_NOT_STRING.test(value) ? quotedString(value, indent, implicitKey) : value;
}

/** stringifyString.js's `quotedString` with `singleQuote` unset: single quotes only for `"`. */
function quotedString(value: string, indent: string, implicitKey: boolean): string {
  return value.includes('"') && !value.includes("'")
    ? singleQuotedString(value, indent, implicitKey)
    : doubleQuotedString(value, indent, implicitKey);
}

/** stringifyString.js's `singleQuotedString`, unfolded. */
function singleQuotedString(value: string, indent: string, implicitKey: boolean): string {
  if ((implicitKey && value.includes('\n')) || /[ \t]\n|\n[ \t]/.test(value)) {
    return doubleQuotedString(value, indent, implicitKey);
  }
  const lineIndent = indent || (DOCUMENT_MARKER.test(value) ? '  ' : '');
  return `'${value.replace(/'/g, "''").replace(/\n+/g, `$&\n${lineIndent}`)}'`;
}

/** The `doubleQuotedMinMultiLineLength` default: shorter JSON texts keep `\n` escapes. */
const DOUBLE_QUOTED_MIN_MULTILINE_LENGTH = 40;

/**
 * stringifyString.js's `doubleQuotedString`, unfolded: JSON's string text with YAML's short
 * escapes, and, outside keys, the newlines of longer strings written as line breaks.
 */
function doubleQuotedString(value: string, indent: string, implicitKey: boolean): string {
  const json = JSON.stringify(value);
  if (!json.includes('\\')) return json;
  const lineIndent = indent || (DOCUMENT_MARKER.test(value) ? '  ' : '');
  let str = '';
  let start = 0;
  for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
    if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
      // a space before a newline is escaped, not to be folded
      str += `${json.slice(start, i)}\\ `;
      i += 1;
      start = i;
      ch = '\\';
    }
    if (ch === '\\') {
      switch (json[i + 1]) {
        case 'u': {
          str += json.slice(start, i);
          const code = json.substr(i + 2, 4);
          switch (code) {
            case '0000':
              str += '\\0';
              break;
            case '0007':
              str += '\\a';
              break;
            case '000b':
              str += '\\v';
              break;
            case '001b':
              str += '\\e';
              break;
            case '0085':
              str += '\\N';
              break;
            case '00a0':
              str += '\\_';
              break;
            case '2028':
              str += '\\L';
              break;
            case '2029':
              str += '\\P';
              break;
            default:
              str += code.startsWith('00') ? `\\x${code.substr(2)}` : json.substr(i, 6);
          }
          i += 5;
          start = i + 1;
          break;
        }
        case 'n':
          if (implicitKey || json[i + 2] === '"' || json.length < DOUBLE_QUOTED_MIN_MULTILINE_LENGTH) {
            i += 1;
          } else {
            // folding eats the first line break
            str += `${json.slice(start, i)}\n\n`;
            while (json[i + 2] === '\\' && json[i + 3] === 'n' && json[i + 4] !== '"') {
              str += '\n';
              i += 2;
            }
            str += lineIndent;
            // a space after a line break is escaped, not to be folded
            if (json[i + 2] === ' ') str += '\\';
            i += 1;
            start = i + 1;
          }
          break;
        default:
          i += 1;
      }
    }
  }
  return start ? str + json.slice(start) : json;
}

/** Line breaks followed by more content, whose indentation blockString adds. */
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

/**
 * stringifyString.js's `blockString` for a literal block scalar (never folded, `lineWidth: 0`),
 * outside keys: chomping from the trailing line breaks, an indentation indicator for a leading
 * space; a string ending in a line of blanks goes quoted instead.
 */
function blockString(value: string, indent: string, forceBlockIndent: boolean): string {
  if (/\n[\t ]+$/.test(value)) return quotedString(value, indent, false);
  const blockIndent = indent || (forceBlockIndent || DOCUMENT_MARKER.test(value) ? '  ' : '');
  if (!value) return '|\n';
  let endStart: number;
  for (endStart = value.length; endStart > 0; --endStart) {
    const ch = value[endStart - 1];
    if (ch !== '\n' && ch !== '\t' && ch !== ' ') break;
  }
  let end = value.substring(endStart);
  const endNlPos = end.indexOf('\n');
  let chomp: string;
  if (endNlPos === -1) chomp = '-';
  else if (value === end || endNlPos !== end.length - 1) chomp = '+';
  else chomp = '';
  let body = value;
  if (end) {
    body = body.slice(0, -end.length);
    if (end[end.length - 1] === '\n') end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${blockIndent}`);
  }
  let startWithSpace = false;
  let startEnd: number;
  let startNlPos = -1;
  for (startEnd = 0; startEnd < body.length; ++startEnd) {
    const ch = body[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNlPos = startEnd;
    else break;
  }
  let start = body.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
  if (start) {
    body = body.substring(start.length);
    start = start.replace(/\n+/g, `$&${blockIndent}`);
  }
  const header = (startWithSpace ? (blockIndent ? '2' : '1') : '') + chomp;
  return `|${header}\n${blockIndent}${start}${body.replace(/\n+/g, `$&${blockIndent}`)}${end}`;
}
