/**
 * The objects of a synthesized output folder, parsed from its files: Kubernetes objects by
 * `apiVersion/kind/namespace/name`, Terraform blocks by stack and address, every other file
 * (rule files, promtool tests, dashboards, alertmanager.yml, runbook pages by their sections) as
 * one object named by its path.
 */
import { parseAllDocuments, parseDocument } from 'yaml';
import { byString, isPlainObject } from '../private/data';

/** A file of an output folder, as text. */
export interface OutputFileText {
  /** Path relative to the output folder, with `/` separators. */
  readonly path: string;
  /** Its content. */
  readonly text: string;
}

/** One object of a synthesized output, the unit the diff adds, removes or changes. */
export interface OutputObject {
  /** What identifies the object in both outputs, e.g. `k8s:apps/v1/Deployment/payments/checkout`. */
  readonly key: string;
  /** Its kind: a Kubernetes kind, a Terraform resource type, or what the file is (`rule file`). */
  readonly kind: string;
  /** Its name for a reader: `payments/checkout`, a Terraform construct path, a file path. */
  readonly name: string;
  /** The file it is written in. */
  readonly file: string;
  /** The environment it belongs to, when its path tells. */
  readonly environment?: string;
  /** Whom it belongs to: a service name, `namespace <name>`, or `platform`. */
  readonly scope: string;
  /** The parsed content; strings holding JSON or YAML documents (dashboards, rule files) parsed too. */
  readonly content: unknown;
}

/** The scope of what belongs to the platform as a whole (fleet dashboard, alertmanager.yml, channels). */
export const PLATFORM_SCOPE = 'platform';

const SIDES_WITH_ENVIRONMENT = new Set(['k8s', 'prometheus', 'loki', 'grafana', 'alertmanager', 'runbooks', 'gamedays']);

/** The services and environments an output holds, read from its file layout. */
interface Layout {
  readonly services: ReadonlySet<string>;
  readonly environments: ReadonlySet<string>;
}

function layoutOf(paths: readonly string[]): Layout {
  const services = new Set<string>();
  const environments = new Set<string>();
  for (const file of paths) {
    const parts = file.split('/');
    if (SIDES_WITH_ENVIRONMENT.has(parts[0]) && parts.length >= 3) environments.add(parts[1]);
    const service = /^(?:k8s\/[^/]+\/([^/]+)\.k8s\.yaml|prometheus\/[^/]+\/([^/]+)\.rules\.yaml)$/.exec(file);
    if (service !== null) services.add(service[1] ?? service[2]);
  }
  return { services, environments };
}

/** Where a file belongs: its environment and scope, from the layout `synthesizePlatform` writes. */
function placeOf(file: string, layout: Layout): { environment?: string; scope: string } {
  const parts = file.split('/');
  if (!SIDES_WITH_ENVIRONMENT.has(parts[0]) || parts.length < 3) return { scope: PLATFORM_SCOPE };
  const environment = parts[1];
  const rest = parts.slice(2);
  // Runbooks: `<env>/services/<service>/...` are the service's; indexes and `platform/` the platform's.
  if (parts[0] === 'runbooks') return { environment, scope: rest[0] === 'services' && rest.length >= 3 && layout.services.has(rest[1]) ? rest[1] : PLATFORM_SCOPE };
  // Game days: `<env>/<service>/<experiment>.*` are the service's.
  if (parts[0] === 'gamedays') return { environment, scope: rest.length >= 2 && layout.services.has(rest[0]) ? rest[0] : PLATFORM_SCOPE };
  if (rest.length === 2 && (rest[0] === 'namespaces' || rest[0] === 'alert-routing')) {
    return { environment, scope: `namespace ${rest[1].replace(/\.k8s\.yaml$/, '')}` };
  }
  // `<service>.<ext>`, or in a folder of one kind (`jobs/<service>.rules.yaml`); `platform/` holds the platform's own.
  const base = rest[0] === 'platform' ? undefined : rest[rest.length - 1].replace(/\.(k8s\.yaml|rules\.yaml|test\.yaml|json|ya?ml)$/, '');
  return { environment, scope: base !== undefined && layout.services.has(base) ? base : PLATFORM_SCOPE };
}

/** The longest known name that `text` is or starts with, followed by `_`, `-` or `/`. */
function longestPrefix(text: string, names: ReadonlySet<string>): string | undefined {
  return [...names]
    .filter((name) => text === name || (text.startsWith(name) && '_-/'.includes(text[name.length])))
    .sort((a, b) => b.length - a.length)[0];
}

/** Parses strings that hold a JSON object or a YAML file (by their key), so their fields diff one by one. */
function withEmbeddedDocuments(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
      try {
        return withEmbeddedDocuments(JSON.parse(trimmed));
      } catch {
        return value;
      }
    }
    if (/\.ya?ml$/.test(key) && value.includes('\n')) {
      const doc = parseDocument(value);
      return doc.errors.length === 0 ? withEmbeddedDocuments(doc.toJS()) : value;
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => withEmbeddedDocuments(item));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withEmbeddedDocuments(v, k)]));
  return value;
}

/** What a plain (non-Kubernetes) file is, for a reader. */
function fileKind(file: string): string {
  if (/^prometheus\/.*\.rules\.ya?ml$/.test(file)) return 'Prometheus rule file';
  if (/^prometheus\/.*\.test\.ya?ml$/.test(file)) return 'promtool tests';
  if (/^loki\/.*\.ya?ml$/.test(file)) return 'Loki rule file';
  if (/^grafana\/.*\.json$/.test(file)) return 'Grafana dashboard';
  if (/^alertmanager\/.*\.ya?ml$/.test(file)) return 'Alertmanager configuration';
  if (file === 'gcp/manifest.json') return 'cdktf manifest';
  if (/^runbooks\/.*\.md$/.test(file)) return 'runbook page';
  return 'file';
}

interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

function isKubernetesObject(value: unknown): value is KubernetesObject {
  return (
    isPlainObject(value) &&
    typeof value.apiVersion === 'string' &&
    typeof value.kind === 'string' &&
    isPlainObject(value.metadata) &&
    typeof value.metadata.name === 'string' &&
    (value.metadata.namespace === undefined || typeof value.metadata.namespace === 'string')
  );
}

/** The objects of one parsed YAML or JSON file. */
function objectsOfFile(file: string, documents: readonly unknown[], layout: Layout): OutputObject[] {
  const place = placeOf(file, layout);
  if (documents.length > 0 && documents.every(isKubernetesObject)) {
    return documents.map((doc) => {
      const { apiVersion, kind, metadata } = doc as KubernetesObject;
      const name = metadata.namespace !== undefined ? `${metadata.namespace}/${metadata.name}` : metadata.name;
      return { key: `k8s:${apiVersion}/${kind}/${name}`, kind, name, file, ...place, content: withEmbeddedDocuments(doc) };
    });
  }
  const stack = /^gcp\/stacks\/([^/]+)\/cdk\.tf\.json$/.exec(file);
  if (stack !== null && documents.length === 1 && isPlainObject(documents[0])) {
    return terraformObjects(file, stack[1], documents[0], layout);
  }
  const content = documents.length === 1 ? documents[0] : documents;
  return [{ key: `file:${file}`, kind: fileKind(file), name: file, file, ...place, content: withEmbeddedDocuments(content) }];
}

/** The blocks of a Terraform JSON stack: one object per resource, data source, variable, output and provider. */
function terraformObjects(file: string, stack: string, config: Record<string, unknown>, layout: Layout): OutputObject[] {
  const environment = [...layout.environments].filter((env) => stack.endsWith(`-${env}`)).sort((a, b) => b.length - a.length)[0];
  const objects: OutputObject[] = [];
  const add = (kind: string, address: string, value: unknown): void => {
    const metadata = isPlainObject(value) && isPlainObject(value['//']) && isPlainObject(value['//'].metadata) ? value['//'].metadata : undefined;
    // The construct path names the service first: `<stack>/<service>[_part]/<resource>`.
    const constructId = typeof metadata?.path === 'string' ? metadata.path.split('/')[1] ?? '' : '';
    const content = isPlainObject(value) ? Object.fromEntries(Object.entries(value).filter(([k]) => k !== '//')) : value;
    objects.push({
      key: `tf:${stack}/${address}`,
      kind,
      // The construct path reads better than the address, which ends in a hash.
      name: typeof metadata?.path === 'string' ? metadata.path : `${stack}/${address}`,
      file,
      ...(environment !== undefined ? { environment } : {}),
      scope: longestPrefix(constructId, layout.services) ?? PLATFORM_SCOPE,
      content: withEmbeddedDocuments(content),
    });
  };
  for (const [block, body] of Object.entries(config)) {
    if (block === '//' || !isPlainObject(body)) continue;
    if (block === 'resource' || block === 'data') {
      for (const [type, byName] of Object.entries(body)) {
        for (const [name, value] of Object.entries(isPlainObject(byName) ? byName : {})) {
          add(block === 'data' ? `data.${type}` : type, `${block === 'data' ? 'data.' : ''}${type}.${name}`, value);
        }
      }
    } else if (block === 'variable' || block === 'output' || block === 'provider') {
      for (const [name, value] of Object.entries(body)) add(block, `${block}.${name}`, value);
    } else {
      add(block, block, body);
    }
  }
  return objects;
}

/**
 * The objects of an output, parsed from its files: multi-document YAML and JSON; a file that
 * does not parse becomes one object holding its text. Sorted by key, and a key that two files
 * share is told apart by file.
 */
export function outputObjects(files: readonly OutputFileText[]): OutputObject[] {
  const layout = layoutOf(files.map((f) => f.path));
  const objects = files.flatMap((file): OutputObject[] => {
    const documents = parsedDocuments(file);
    if (documents === undefined) {
      return [{ key: `file:${file.path}`, kind: fileKind(file.path), name: file.path, file: file.path, ...placeOf(file.path, layout), content: file.text }];
    }
    return objectsOfFile(file.path, documents, layout);
  });
  const seen = new Map<string, number>();
  for (const object of objects) seen.set(object.key, (seen.get(object.key) ?? 0) + 1);
  return objects
    .map((object) => ((seen.get(object.key) ?? 0) > 1 ? { ...object, key: `${object.key}@${object.file}` } : object))
    .sort((a, b) => byString(a.key, b.key));
}

/**
 * A Markdown page as one object: its text before the first second-level heading under `title`,
 * then each `## ` section's text under its heading, so a change names the sections it touches.
 */
function markdownSections(text: string): Record<string, string> {
  const sections: Record<string, string[]> = { title: [] };
  let current = 'title';
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (!fenced && line.startsWith('## ')) {
      current = line.slice(3).trim();
      sections[current] = sections[current] ?? [];
      continue;
    }
    sections[current].push(line);
  }
  return Object.fromEntries(Object.entries(sections).map(([heading, lines]) => [heading, lines.join('\n').trim()]));
}

/** The documents of a YAML, JSON or Markdown file, or undefined when it is none of them. */
function parsedDocuments(file: OutputFileText): unknown[] | undefined {
  if (file.path.endsWith('.md')) return [markdownSections(file.text)];
  if (file.path.endsWith('.json')) {
    try {
      return [JSON.parse(file.text)];
    } catch {
      return undefined;
    }
  }
  if (!/\.ya?ml$/.test(file.path)) return undefined;
  const documents = parseAllDocuments(file.text);
  if (!Array.isArray(documents) || documents.some((doc) => doc.errors.length > 0)) return undefined;
  return documents.map((doc) => doc.toJS() as unknown).filter((doc) => doc !== null && doc !== undefined);
}
