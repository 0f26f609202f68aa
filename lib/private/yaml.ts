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

/**
 * Serializes plain data as YAML the same way every time: no line folding, two-space indent,
 * keys in insertion order, strings YAML 1.1 readers could misread quoted.
 */
export function toYaml(value: unknown, options: { readonly sortKeys?: boolean } = {}): string {
  return documentOf(value, options.sortKeys ?? false).toString({ lineWidth: 0, indent: 2 });
}

/** Several documents in one stream, separated by `---`, as `kubectl apply -f` reads them. */
export function toYamlDocuments(values: readonly unknown[]): string {
  return values.map((value) => toYaml(value)).join('---\n');
}

