/**
 * The changes a reviewer must not miss, picked out of the field-level changes: SLO objectives,
 * alert thresholds and windows, replicas and resources, images, canary steps and analysis,
 * routing. Each rule names the kinds it reads and the path of its subject; a change at, below or
 * above that path makes the subject's value before and after a highlight.
 */
import { FieldChange, ListItem, PathSegment, formatPath, itemIdentity, listDelta, valueAt } from './field-changes';
import { OutputObject } from './output-objects';
import { byString, isPlainObject } from '../private/data';

/** The topics of highlights, in the order a reviewer reads them. */
export const HIGHLIGHT_TOPICS = [
  'SLO objectives',
  'Alert thresholds and windows',
  'Replicas and resources',
  'Images',
  'Canary steps and analysis',
  'Routing',
] as const;

/** A topic of highlights. */
export type HighlightTopic = (typeof HIGHLIGHT_TOPICS)[number];

/** One change that matters, in one object. */
export interface ObjectHighlight {
  /** What it is about. */
  readonly topic: HighlightTopic;
  /** What changed: `SLO availability`, `alert SloErrorBudgetBurn{...}`, `container checkout`. */
  readonly subject: string;
  /** Which part of the subject changed, when the subject has several (`expr`, `for`, `image`). */
  readonly field?: string;
  /** The value before, for a reader; undefined when the subject is new. */
  readonly before?: string;
  /** The value after, for a reader; undefined when the subject is gone. */
  readonly after?: string;
  /** Its place within its topic: the canary steps before their analysis, an SLO's rules before its Cloud Monitoring twin. */
  readonly rank: number;
}

/** One step of a subject path: a key, one of several keys, any key (`*`), any list item (`[]`), any path (`**`). */
type Step = string | readonly string[];

interface Subject {
  readonly object: OutputObject;
  readonly path: readonly PathSegment[];
  readonly before: unknown;
  readonly after: unknown;
}

interface Rule {
  readonly topic: HighlightTopic;
  readonly kinds: readonly string[];
  readonly path: readonly Step[];
  /** Whether the subject (its value before or after) is one this rule is about. */
  readonly where?: (value: unknown) => boolean;
  readonly describe: (subject: Subject) => Omit<ObjectHighlight, 'topic' | 'rank'>[];
}

const ANY_KEY = '*';
const ANY_ITEM = '[]';
const ANY_PATH = '**';

function stepMatches(step: Step, segment: PathSegment): boolean {
  if (step === ANY_ITEM) return typeof segment !== 'string';
  if (typeof segment !== 'string') return false;
  if (step === ANY_KEY) return true;
  return typeof step === 'string' ? step === segment : step.includes(segment);
}

/** The segments a step can take below `path` in either document, for a change above the subject. */
function candidates(step: Step, path: readonly PathSegment[], before: unknown, after: unknown): PathSegment[] {
  const values = [valueAt(before, path), valueAt(after, path)];
  if (step === ANY_ITEM) {
    const items = new Map<string, ListItem>();
    for (const list of values) {
      if (!Array.isArray(list)) continue;
      list.forEach((item, index) => {
        const id = itemIdentity(item);
        const key = id !== undefined ? `id:${id}` : `index:${index}`;
        if (!items.has(key)) items.set(key, id !== undefined ? { index, id } : { index });
      });
    }
    return [...items.values()];
  }
  const keys = new Set(values.flatMap((value) => (isPlainObject(value) ? Object.keys(value) : [])));
  return [...keys].filter((key) => stepMatches(step, key)).sort(byString);
}

/** Every subject path of `steps` that `change` is at, below or above, in either document. */
function subjectPaths(steps: readonly Step[], change: readonly PathSegment[], before: unknown, after: unknown): PathSegment[][] {
  const out: PathSegment[][] = [];
  const walk = (si: number, pi: number, path: PathSegment[]): void => {
    if (si === steps.length) {
      out.push(path);
      return;
    }
    const step = steps[si];
    if (step === ANY_PATH) {
      if (si === steps.length - 1) {
        out.push([...path, ...change.slice(pi)]);
        return;
      }
      for (let k = pi; k <= change.length; k++) walk(si + 1, k, [...path, ...change.slice(pi, k)]);
      return;
    }
    if (pi < change.length) {
      if (stepMatches(step, change[pi])) walk(si + 1, pi + 1, [...path, change[pi]]);
      return;
    }
    for (const segment of candidates(step, path, before, after)) walk(si + 1, pi, [...path, segment]);
  };
  walk(0, 0, []);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Values for a reader.

/** A value in one line: text as written (spaces collapsed), lists joined, objects as `key: value`. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value === 'string') return value.replace(/\s+/g, ' ').trim();
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : value.map((item) => (isPlainObject(item) ? `{${formatValue(item)}}` : formatValue(item))).join(', ');
  return Object.entries(value)
    .map(([k, v]) => `${k}: ${isPlainObject(v) ? `{${formatValue(v)}}` : Array.isArray(v) ? `[${formatValue(v)}]` : formatValue(v)}`)
    .join(', ');
}

const optional = (value: unknown): string | undefined => (value === undefined ? undefined : formatValue(value));

/** A ratio as a percentage: 0.9995 → `99.95%`. */
function percent(ratio: unknown): string | undefined {
  if (typeof ratio !== 'number') return optional(ratio);
  return `${Number((ratio * 100).toPrecision(12))}%`;
}

/** The objective a `slo:objective:ratio` rule records (`vector(0.999)`), as a percentage. */
function recordedObjective(rule: unknown): string | undefined {
  if (!isPlainObject(rule)) return undefined;
  const match = typeof rule.expr === 'string' ? /^\s*vector\(\s*([0-9.eE+-]+)\s*\)\s*$/.exec(rule.expr) : null;
  return match !== null ? percent(Number(match[1])) : optional(rule.expr);
}

/** Tokens of an expression: names, numbers, quoted strings, single characters; spaces collapsed. */
function tokens(text: string): string[] {
  return text.replace(/\s+/g, ' ').trim().match(/"(?:[^"\\]|\\.)*"|[A-Za-z_:][\w:.]*|\d[\w.]*(?:[eE][-+]?\d+)?| |./g) ?? [];
}

interface Edit {
  readonly removed: string;
  readonly added: string;
}

/**
 * What changed in an expression, token by token: jsondiffpatch's list diff of the tokens, read
 * back as runs of removed and added tokens. Repeated edits (a threshold written twice) count once.
 */
export function expressionEdits(before: string, after: string): Edit[] {
  const a = tokens(before);
  const b = tokens(after);
  const d = listDelta(a, b);
  const removed = new Set<number>();
  const added = new Set<number>();
  if (isPlainObject(d)) {
    for (const key of Object.keys(d)) {
      if (key === '_t') continue;
      if (key.startsWith('_')) removed.add(Number(key.slice(1)));
      else added.add(Number(key));
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (!removed.has(i) && !added.has(j) && i < a.length && j < b.length) {
      i++;
      j++;
      continue;
    }
    const from = i;
    const to = j;
    while (removed.has(i)) i++;
    while (added.has(j)) j++;
    if (i === from && j === to) break;
    edits.push({ removed: a.slice(from, i).join('').trim(), added: b.slice(to, j).join('').trim() });
  }
  const seen = new Set<string>();
  return edits.filter((edit) => {
    const key = JSON.stringify(edit);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Longest edit shown as such; a longer one shows the whole expression before and after. */
const MAX_EDIT_LENGTH = 40;

/** An expression's change for a reader: its edits when they are few and short, else both in full. */
function expressionChange(field: string, before: unknown, after: unknown): Omit<ObjectHighlight, 'topic' | 'subject' | 'rank'> | undefined {
  if (before === after) return undefined;
  if (typeof before === 'string' && typeof after === 'string') {
    const edits = expressionEdits(before, after);
    if (edits.length > 0 && edits.length <= 3 && edits.every((e) => e.removed.length <= MAX_EDIT_LENGTH && e.added.length <= MAX_EDIT_LENGTH)) {
      return { field, before: edits.map((e) => e.removed || '(nothing)').join(' … '), after: edits.map((e) => e.added || '(nothing)').join(' … ') };
    }
  }
  return { field, before: optional(before), after: optional(after) };
}

/** Labels that add nothing to the name of a rule of one service: its scope says them. */
const RULE_LABELS_SHOWN_ELSEWHERE = new Set(['namespace', 'service', 'team', 'severity', 'slo_kind']);

function ruleName(rule: unknown): string {
  if (!isPlainObject(rule)) return '?';
  const name = String(rule.alert ?? rule.record);
  const labels = isPlainObject(rule.labels)
    ? Object.entries(rule.labels)
        .filter(([k]) => !RULE_LABELS_SHOWN_ELSEWHERE.has(k))
        .sort(([a], [b]) => byString(a, b))
        .map(([k, v]) => `${k}=${String(v)}`)
    : [];
  return labels.length > 0 ? `${name}{${labels.join(', ')}}` : name;
}

/** A rule in one line, for one that is added or removed. */
function ruleSummary(rule: unknown): string | undefined {
  if (!isPlainObject(rule)) return undefined;
  const parts = [formatValue(rule.expr), rule.for !== undefined ? `for ${formatValue(rule.for)}` : undefined];
  return parts.filter((p) => p !== undefined).join(' ');
}

/** Per-field changes of two versions of an object, for the fields named, each described by `describe`. */
function fieldsOf(
  subject: Subject,
  fields: readonly string[],
  describe: (field: string, before: unknown, after: unknown) => Omit<ObjectHighlight, 'topic' | 'subject' | 'rank'> | undefined = (field, b, a) => ({ field, before: optional(b), after: optional(a) }),
): Omit<ObjectHighlight, 'topic' | 'subject' | 'rank'>[] {
  const before = isPlainObject(subject.before) ? subject.before : {};
  const after = isPlainObject(subject.after) ? subject.after : {};
  return fields.flatMap((field) => {
    const b = valueAt(before, field.split('.'));
    const a = valueAt(after, field.split('.'));
    if (JSON.stringify(b) === JSON.stringify(a)) return [];
    const described = describe(field, b, a);
    return described !== undefined ? [described] : [];
  });
}

/** Canary steps in one line: `analysis checkout-budget-freeze → 1% (10m) → 5% (10m) → … → 100%`. */
function canarySteps(steps: unknown): string | undefined {
  if (!Array.isArray(steps)) return optional(steps);
  const parts: string[] = [];
  for (const step of steps) {
    if (!isPlainObject(step)) continue;
    if (typeof step.setWeight === 'number') parts.push(`${step.setWeight}%`);
    else if (isPlainObject(step.pause)) {
      const duration = step.pause.duration !== undefined ? String(step.pause.duration) : 'until promoted';
      if (parts.length > 0 && /%$/.test(parts[parts.length - 1])) parts[parts.length - 1] += ` (${duration})`;
      else parts.push(`pause (${duration})`);
    } else if (isPlainObject(step.analysis)) {
      const templates = Array.isArray(step.analysis.templates) ? step.analysis.templates.map((t) => (isPlainObject(t) ? String(t.templateName) : '?')) : [];
      parts.push(`analysis ${templates.join(', ')}`);
    } else parts.push(`{${formatValue(step)}}`);
  }
  return parts.length > 0 ? parts.join(' → ') : '(none)';
}

/** Requests and limits in one line: `requests cpu 100m, memory 128Mi; limits cpu 500m, memory 256Mi`. */
function resources(value: unknown): string | undefined {
  if (!isPlainObject(value)) return optional(value);
  return ['requests', 'limits']
    .filter((k) => isPlainObject(value[k]))
    .map((k) => `${k} ${Object.entries(value[k] as Record<string, unknown>).map(([r, q]) => `${r} ${String(q)}`).join(', ')}`)
    .join('; ');
}

const lastSegment = (name: string): string => name.split('/').pop() ?? name;
const itemName = (path: readonly PathSegment[], from = path.length - 1): string => {
  const segment = path[from];
  return typeof segment === 'string' ? segment : (segment?.id ?? `#${(segment?.index ?? 0) + 1}`);
};
const isRule = (field: 'alert' | 'record') => (value: unknown): boolean => isPlainObject(value) && typeof value[field] === 'string';
const isObjectiveRule = (value: unknown): boolean => isPlainObject(value) && typeof value.record === 'string' && value.record.startsWith('slo:objective');

const RULE_KINDS = ['PrometheusRule', 'Prometheus rule file', 'Loki rule file', 'ConfigMap'];
const WORKLOADS = ['Deployment', 'Rollout', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'CronJob', 'Job'];
const CONTAINERS = ['containers', 'initContainers'];
const RULE_PATH: readonly Step[] = [ANY_PATH, 'groups', ANY_ITEM, 'rules', ANY_ITEM];

/** Where the rest of a change path goes, relative to the subject, for leaf-level routing changes. */
const relativeTo = (subject: Subject, from: number): string => formatPath(subject.path.slice(from)) || formatPath(subject.path);

const RULES: readonly Rule[] = [
  {
    topic: 'SLO objectives',
    kinds: RULE_KINDS,
    path: RULE_PATH,
    where: isObjectiveRule,
    describe: (s) => {
      const rule = isPlainObject(s.after) ? s.after : s.before;
      const slo = isPlainObject(rule) && isPlainObject(rule.labels) ? String(rule.labels.slo ?? '?') : '?';
      return [{ subject: `SLO ${slo}`, field: 'objective', before: recordedObjective(s.before), after: recordedObjective(s.after) }];
    },
  },
  {
    topic: 'SLO objectives',
    kinds: ['google_monitoring_slo'],
    path: ['goal'],
    describe: (s) => [{ subject: `SLO ${String(valueAt(s.object.content, ['slo_id']) ?? lastSegment(s.object.name))}`, field: 'objective', before: percent(s.before), after: percent(s.after) }],
  },
  {
    topic: 'Alert thresholds and windows',
    kinds: RULE_KINDS,
    path: RULE_PATH,
    where: isRule('alert'),
    describe: (s) => {
      const subject = `alert ${ruleName(s.after ?? s.before)}`;
      if (s.before === undefined || s.after === undefined) {
        return [{ subject, before: ruleSummary(s.before), after: ruleSummary(s.after) }];
      }
      return [
        ...fieldsOf(s, ['expr'], (field, b, a) => expressionChange(field, b, a)),
        ...fieldsOf(s, ['for', 'keep_firing_for']),
      ].map((h) => ({ subject, ...h }));
    },
  },
  {
    topic: 'Alert thresholds and windows',
    kinds: ['google_monitoring_alert_policy'],
    path: ['conditions', ANY_ITEM, ANY_KEY, ['threshold_value', 'duration', 'comparison', 'filter', 'query']],
    describe: (s) => {
      const change = expressionChange(`condition ${itemName(s.path, 1)} ${String(s.path[3])}`, s.before, s.after);
      return change !== undefined ? [{ subject: `policy ${lastSegment(s.object.name)}`, ...change }] : [];
    },
  },
  {
    topic: 'Replicas and resources',
    kinds: WORKLOADS,
    path: ['spec', 'replicas'],
    describe: (s) => [{ subject: `${s.object.kind} ${lastSegment(s.object.name)}`, field: 'replicas', before: optional(s.before), after: optional(s.after) }],
  },
  {
    topic: 'Replicas and resources',
    kinds: ['HorizontalPodAutoscaler'],
    path: ['spec', ['minReplicas', 'maxReplicas', 'metrics']],
    describe: (s) => [{ subject: `autoscaler ${lastSegment(s.object.name)}`, field: String(s.path[1]), before: optional(s.before), after: optional(s.after) }],
  },
  {
    topic: 'Replicas and resources',
    kinds: ['PodDisruptionBudget'],
    path: ['spec', ['maxUnavailable', 'minAvailable']],
    describe: (s) => [{ subject: `disruption budget ${lastSegment(s.object.name)}`, field: String(s.path[1]), before: optional(s.before), after: optional(s.after) }],
  },
  {
    topic: 'Replicas and resources',
    kinds: WORKLOADS,
    path: [ANY_PATH, CONTAINERS, ANY_ITEM, 'resources'],
    describe: (s) => [{ subject: `container ${itemName(s.path, s.path.length - 2)}`, field: 'resources', before: resources(s.before), after: resources(s.after) }],
  },
  {
    topic: 'Images',
    kinds: WORKLOADS,
    path: [ANY_PATH, CONTAINERS, ANY_ITEM, 'image'],
    describe: (s) => [{ subject: `container ${itemName(s.path, s.path.length - 2)}`, field: 'image', before: optional(s.before), after: optional(s.after) }],
  },
  {
    topic: 'Canary steps and analysis',
    kinds: ['Rollout'],
    path: ['spec', 'strategy', 'canary', 'steps'],
    describe: (s) => [{ subject: 'canary steps', before: canarySteps(s.before), after: canarySteps(s.after) }],
  },
  {
    topic: 'Canary steps and analysis',
    kinds: ['Rollout'],
    path: ['spec', 'strategy', 'blueGreen', ['autoPromotionEnabled', 'autoPromotionSeconds', 'scaleDownDelaySeconds', 'prePromotionAnalysis', 'postPromotionAnalysis']],
    describe: (s) => [{ subject: 'blue/green', field: String(s.path[3]), before: optional(s.before), after: optional(s.after) }],
  },
  {
    topic: 'Canary steps and analysis',
    kinds: ['AnalysisTemplate'],
    path: ['spec', 'metrics', ANY_ITEM],
    describe: (s) => {
      const subject = `analysis ${lastSegment(s.object.name)}/${itemName(s.path)}`;
      if (s.before === undefined || s.after === undefined) {
        return [{ subject, before: optional(s.before === undefined ? undefined : (valueAt(s.before, ['failureCondition']) ?? 'present')), after: optional(s.after === undefined ? undefined : (valueAt(s.after, ['failureCondition']) ?? 'present')) }];
      }
      return [
        ...fieldsOf(s, ['successCondition', 'failureCondition', 'provider.prometheus.query'], (field, b, a) => expressionChange(field, b, a)),
        ...fieldsOf(s, ['count', 'interval', 'initialDelay', 'failureLimit', 'inconclusiveLimit']),
      ].map((h) => ({ subject, ...h }));
    },
  },
  {
    topic: 'Routing',
    kinds: RULE_KINDS,
    path: RULE_PATH,
    where: isRule('alert'),
    describe: (s) =>
      s.before !== undefined && s.after !== undefined
        ? fieldsOf(s, ['labels.severity']).map((h) => ({ subject: `alert ${ruleName(s.after)}`, ...h, field: 'severity' }))
        : [],
  },
  {
    topic: 'Routing',
    kinds: ['AlertmanagerConfig'],
    path: ['spec', ['route', 'receivers', 'inhibitRules', 'muteTimeIntervals'], ANY_PATH],
    describe: (s) => [{ subject: 'AlertmanagerConfig', field: relativeTo(s, 1), before: optional(s.before), after: optional(s.after) }],
  },
  {
    topic: 'Routing',
    kinds: ['Alertmanager configuration'],
    path: [['route', 'receivers', 'inhibit_rules', 'time_intervals'], ANY_PATH],
    describe: (s) => [{ subject: 'alertmanager.yml', field: relativeTo(s, 0), before: optional(s.before), after: optional(s.after) }],
  },
  {
    topic: 'Routing',
    kinds: ['Rollout'],
    path: ['spec', 'strategy', 'canary', 'trafficRouting', ANY_PATH],
    describe: (s) => [{ subject: 'canary traffic routing', field: relativeTo(s, 4), before: optional(s.before), after: optional(s.after) }],
  },
  {
    topic: 'Routing',
    kinds: ['google_monitoring_alert_policy'],
    path: ['notification_channels'],
    describe: (s) => [{ subject: `policy ${lastSegment(s.object.name)}`, field: 'notification channels', before: optional(s.before), after: optional(s.after) }],
  },
];

/**
 * The highlights of one changed object: for every rule of its kind, each subject a change
 * touches, with its value before and after; each subject once, however many of its fields changed.
 */
export function objectHighlights(before: OutputObject, after: OutputObject, changes: readonly FieldChange[]): ObjectHighlight[] {
  const out: ObjectHighlight[] = [];
  for (const [rank, rule] of RULES.entries()) {
    if (!rule.kinds.includes(after.kind)) continue;
    const seen = new Set<string>();
    for (const change of changes) {
      for (const path of subjectPaths(rule.path, change.path, before.content, after.content)) {
        const key = formatPath(path);
        if (seen.has(key)) continue;
        seen.add(key);
        const subject: Subject = { object: after, path, before: valueAt(before.content, path), after: valueAt(after.content, path) };
        if (JSON.stringify(subject.before) === JSON.stringify(subject.after)) continue;
        if (rule.where !== undefined && !rule.where(subject.after ?? subject.before)) continue;
        for (const described of rule.describe(subject)) {
          if (described.before !== described.after) out.push({ topic: rule.topic, rank, ...described });
        }
      }
    }
  }
  return out;
}
