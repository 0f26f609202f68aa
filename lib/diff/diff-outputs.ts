/**
 * A reviewer's diff of two synthesized outputs: which objects were added, removed and changed,
 * per service and kind, and the changes that matter first. Pure: it takes the files' text.
 */
import { FieldChange, fieldChanges } from './field-changes';
import { HIGHLIGHT_TOPICS, HighlightTopic, ObjectHighlight, objectHighlights } from './highlights';
import { OutputFileText, OutputObject, PLATFORM_SCOPE, outputObjects } from './output-objects';
import { byString } from '../private/data';

/** What happened to an object. */
export type ObjectChangeKind = 'added' | 'removed' | 'changed';

/** One object added, removed or changed. */
export interface ObjectChange {
  /** What happened. */
  readonly change: ObjectChangeKind;
  /** The object: as it is after, or as it was before when removed. */
  readonly object: Omit<OutputObject, 'content'>;
  /** Its changed fields, for a changed object. */
  readonly fields: readonly FieldChange[];
}

/** A change that matters, once for every environment and object it is seen in. */
export interface Highlight extends ObjectHighlight {
  /** The service (or `namespace <name>`, `platform`) it belongs to. */
  readonly scope: string;
  /** The environments it is seen in, from development to production where their names tell. */
  readonly environments: readonly string[];
  /** The kinds of the objects it is seen in (a rule is in its PrometheusRule and its rule file). */
  readonly kinds: readonly string[];
}

/** What changed between two outputs. */
export interface OutputDiff {
  /** Files only the head has, only the base has, and in both with other content; sorted. */
  readonly files: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly changed: readonly string[] };
  /** Files compared (in either output). */
  readonly fileCount: number;
  /** Every object added, removed or changed, by scope, environment, kind and name. */
  readonly objects: readonly ObjectChange[];
  /** The changes that matter, by topic, scope and subject. */
  readonly highlights: readonly Highlight[];
  /** The environments of the outputs, from development to production where their names tell. */
  readonly environments: readonly string[];
}

/**
 * Environment names in the order a change travels, for names that say where they stand; any
 * other environment comes after them, by name. The output itself does not keep the platform's order.
 */
const STAGES = ['local', 'dev', 'development', 'test', 'testing', 'qa', 'int', 'integration', 'uat', 'stage', 'staging', 'preprod', 'pre-prod', 'prod', 'production'];

function environmentOrder(objects: readonly OutputObject[]): string[] {
  const names = [...new Set(objects.map((o) => o.environment).filter((e): e is string => e !== undefined))];
  const rank = (env: string): number => {
    const at = STAGES.indexOf(env);
    return at < 0 ? STAGES.length : at;
  };
  return names.sort((a, b) => rank(a) - rank(b) || byString(a, b));
}

/** Services first (by name), then namespaces, then the platform. */
function scopeRank(scope: string): number {
  return scope === PLATFORM_SCOPE ? 2 : scope.startsWith('namespace ') ? 1 : 0;
}

/** Orders scopes for a reader: services by name, then namespaces, then the platform. */
export function byScope(a: string, b: string): number {
  return scopeRank(a) - scopeRank(b) || byString(a, b);
}

function withoutContent({ content: _content, ...object }: OutputObject): Omit<OutputObject, 'content'> {
  return object;
}

/**
 * Compares two outputs (the files `synthesizePlatform` wrote for the base and for the head of a
 * change) object by object with jsondiffpatch, and picks out the changes that matter.
 * @example
 * const diff = diffOutputs(readOutputFiles('base/dist'), readOutputFiles('dist'));
 * console.log(renderDiffText(diff));
 */
export function diffOutputs(base: readonly OutputFileText[], head: readonly OutputFileText[]): OutputDiff {
  const baseText = new Map(base.map((f) => [f.path, f.text]));
  const headText = new Map(head.map((f) => [f.path, f.text]));
  const files = {
    added: [...headText.keys()].filter((p) => !baseText.has(p)).sort(byString),
    removed: [...baseText.keys()].filter((p) => !headText.has(p)).sort(byString),
    changed: [...headText.keys()].filter((p) => baseText.has(p) && baseText.get(p) !== headText.get(p)).sort(byString),
  };
  const before = new Map(outputObjects(base).map((o) => [o.key, o]));
  const afterObjects = outputObjects(head);
  const after = new Map(afterObjects.map((o) => [o.key, o]));
  const environments = environmentOrder([...afterObjects, ...before.values()]);

  const objects: ObjectChange[] = [];
  const seen = new Map<string, { highlight: ObjectHighlight; scope: string; environments: Set<string>; kinds: Set<string> }>();
  for (const [key, object] of after) {
    const old = before.get(key);
    if (old === undefined) {
      objects.push({ change: 'added', object: withoutContent(object), fields: [] });
      continue;
    }
    const fields = fieldChanges(old.content, object.content);
    if (fields.length === 0) continue;
    objects.push({ change: 'changed', object: withoutContent(object), fields });
    for (const highlight of objectHighlights(old, object, fields)) {
      const id = JSON.stringify([highlight.topic, object.scope, highlight.subject, highlight.field, highlight.before, highlight.after]);
      // The same change in another object of another kind (the SLO's goal in Terraform) keeps the first rank seen.
      const entry = seen.get(id) ?? { highlight, scope: object.scope, environments: new Set<string>(), kinds: new Set<string>() };
      if (object.environment !== undefined) entry.environments.add(object.environment);
      entry.kinds.add(object.kind);
      seen.set(id, entry);
    }
  }
  for (const [key, object] of before) {
    if (!after.has(key)) objects.push({ change: 'removed', object: withoutContent(object), fields: [] });
  }

  const envRank = (env: string | undefined): number => (env === undefined ? -1 : environments.indexOf(env));
  objects.sort(
    (a, b) =>
      byScope(a.object.scope, b.object.scope) ||
      envRank(a.object.environment) - envRank(b.object.environment) ||
      byString(a.object.kind, b.object.kind) ||
      byString(a.object.name, b.object.name),
  );
  const topicRank = (topic: HighlightTopic): number => HIGHLIGHT_TOPICS.indexOf(topic);
  const highlights = [...seen.values()]
    .map(({ highlight, scope, environments: envs, kinds }): Highlight => ({
      ...highlight,
      scope,
      environments: environments.filter((env) => envs.has(env)),
      kinds: [...kinds].sort(byString),
    }))
    .sort(
      (a, b) =>
        topicRank(a.topic) - topicRank(b.topic) ||
        byScope(a.scope, b.scope) ||
        a.rank - b.rank ||
        byString(a.subject, b.subject) ||
        byString(a.field ?? '', b.field ?? '') ||
        envRank(a.environments[0]) - envRank(b.environments[0]) ||
        byString(a.after ?? '', b.after ?? ''),
    );
  return { files, fileCount: new Set([...baseText.keys(), ...headText.keys()]).size, objects, highlights, environments };
}
