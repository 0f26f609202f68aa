/**
 * The diff of two outputs for a reader: plain text for a terminal, Markdown for a pull-request
 * comment. Both say the same, in the same order: the counts, the changes that matter by topic,
 * then every object added, removed or changed, per service and kind.
 */
import { Highlight, ObjectChange, OutputDiff, byScope } from './diff-outputs';
import { PathSegment, formatPath } from './field-changes';
import { HIGHLIGHT_TOPICS } from './highlights';

/** Options of the renderers. */
export interface RenderDiffOptions {
  /** How the base is named in the heading (its folder). @default 'base' */
  readonly base?: string;
  /** How the head is named in the heading (its folder). @default 'head' */
  readonly head?: string;
  /**
   * Changed fields listed per object; the rest are counted.
   * @default 3
   */
  readonly fieldsPerObject?: number;
  /**
   * Longest Markdown written: beyond it the objects per service are counted, not listed (a
   * GitHub comment holds at most 65,536 characters).
   * @default 60000
   */
  readonly maxMarkdownLength?: number;
}

/** The changes of one object in every environment where they happened, as one line. */
interface ObjectLine {
  readonly change: ObjectChange['change'];
  readonly kind: string;
  name: string;
  readonly environments: string[];
  fields: string[];
  /** The names it stands for, one per environment. */
  readonly names: string[];
}

/** Longest list item identity shown in a field path; a longer one (a rule and its labels, a test's name) is cut. */
const MAX_ID_LENGTH = 48;

function shortId(id: string): string {
  const name = id.includes('{') ? `${id.slice(0, id.indexOf('{'))}{…}` : id;
  return name.length > MAX_ID_LENGTH ? `${name.slice(0, MAX_ID_LENGTH - 1)}…` : name;
}

function shortPath(path: readonly PathSegment[]): string {
  return formatPath(path.map((s) => (typeof s !== 'string' && s.id !== undefined ? { ...s, id: shortId(s.id) } : s)));
}

/**
 * A name with its environment written as `<env>` (`grafana/<env>/checkout.json`,
 * `shop-<env>/checkout/slo-availability`), so that the same object of every environment is one line.
 */
function withoutEnvironment(text: string, environment: string | undefined): string {
  if (environment === undefined) return text;
  const escaped = environment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(^|[./_"-])${escaped}(?=$|[./_"-])`, 'g'), '$1<env>');
}

/** Objects per scope, the same object in several environments on one line. */
function objectLines(diff: OutputDiff): Map<string, ObjectLine[]> {
  const byScopeName = new Map<string, ObjectLine[]>();
  for (const { change, object, fields } of diff.objects) {
    const lines = byScopeName.get(object.scope) ?? [];
    byScopeName.set(object.scope, lines);
    const name = withoutEnvironment(object.name, object.environment);
    let line = lines.find((l) => l.change === change && l.kind === object.kind && l.name === name);
    if (line === undefined) {
      line = { change, kind: object.kind, name, environments: [], fields: [], names: [] };
      lines.push(line);
    }
    if (object.environment !== undefined && !line.environments.includes(object.environment)) line.environments.push(object.environment);
    if (!line.names.includes(object.name)) line.names.push(object.name);
    for (const field of fields) {
      const text = withoutEnvironment(shortPath(field.path), object.environment);
      if (!line.fields.includes(text)) line.fields.push(text);
    }
  }
  // An object of one environment keeps its own name.
  for (const lines of byScopeName.values()) {
    for (const line of lines) {
      if (line.names.length === 1) {
        line.name = line.names[0];
        line.fields = line.fields.map((f) => (line.environments.length === 1 ? f.replace(/<env>/g, line.environments[0]) : f));
      }
    }
  }
  const order = { removed: 0, added: 1, changed: 2 } as const;
  for (const lines of byScopeName.values()) {
    lines.sort((a, b) => order[a.change] - order[b.change] || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  return new Map([...byScopeName.entries()].sort(([a], [b]) => byScope(a, b)));
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function counts(diff: OutputDiff): { added: number; removed: number; changed: number } {
  const of = (change: ObjectChange['change']): number => diff.objects.filter((o) => o.change === change).length;
  return { added: of('added'), removed: of('removed'), changed: of('changed') };
}

const changedFiles = (diff: OutputDiff): number => diff.files.added.length + diff.files.removed.length + diff.files.changed.length;

function summaryLine(diff: OutputDiff): string {
  const c = counts(diff);
  const scopes = [...new Set(diff.objects.map((o) => o.object.scope))].sort(byScope);
  const services = scopes.filter((s) => s !== 'platform' && !s.startsWith('namespace '));
  const where = [
    services.length > 0 ? `${services.length === 1 ? 'service' : 'services'} ${services.join(', ')}` : undefined,
    scopes.length > services.length ? `${plural(scopes.length - services.length, 'other scope')}` : undefined,
  ].filter((w) => w !== undefined);
  return `${plural(c.changed, 'object')} changed, ${c.added} added, ${c.removed} removed, in ${changedFiles(diff)} of ${plural(diff.fileCount, 'file')}${where.length > 0 ? ` (${where.join('; ')})` : ''}`;
}

const described = (h: Highlight): string => `${h.subject}${h.field !== undefined ? ` ${h.field}` : ''}`;
const valueText = (value: string | undefined): string => value ?? '(none)';

/** Longest `before → after` kept on one line of text. */
const MAX_INLINE = 72;

function fieldsText(line: ObjectLine, max: number): string {
  if (line.fields.length === 0) return '';
  const shown = line.fields.slice(0, max).join(', ');
  const more = line.fields.length > max ? `, +${line.fields.length - max} more` : '';
  return `: ${shown}${more}`;
}

const SIGNS = { added: '+', removed: '-', changed: '~' } as const;

/**
 * The diff as plain text for a terminal.
 * @example
 * process.stdout.write(renderDiffText(diffOutputs(base, head), { base: 'base/dist', head: 'dist' }));
 */
export function renderDiffText(diff: OutputDiff, options: RenderDiffOptions = {}): string {
  const heading = `Diff of ${options.base ?? 'base'} → ${options.head ?? 'head'}`;
  if (diff.objects.length === 0 && changedFiles(diff) === 0) {
    return `${heading}: no changes (${plural(diff.fileCount, 'file')} compared).\n`;
  }
  const lines = [`${heading}: ${summaryLine(diff)}.`, ''];
  if (diff.highlights.length > 0) {
    lines.push('Changes that matter');
    for (const topic of HIGHLIGHT_TOPICS) {
      const ofTopic = diff.highlights.filter((h) => h.topic === topic);
      if (ofTopic.length === 0) continue;
      lines.push(`  ${topic}`);
      for (const h of ofTopic) {
        const envs = h.environments.length > 0 ? `  (${h.environments.join(', ')})` : '';
        const [before, after] = [valueText(h.before), valueText(h.after)];
        if (before.length + after.length <= MAX_INLINE) {
          lines.push(`    ${h.scope} · ${described(h)}: ${before} → ${after}${envs}`);
        } else {
          lines.push(`    ${h.scope} · ${described(h)}${envs}`, `        - ${before}`, `        + ${after}`);
        }
      }
    }
    lines.push('');
  }
  lines.push('Objects per service');
  for (const [scope, objects] of objectLines(diff)) {
    lines.push(`  ${scope}`);
    for (const line of objects) {
      const envs = line.environments.length > 0 ? ` (${line.environments.join(', ')})` : '';
      lines.push(`    ${SIGNS[line.change]} ${line.kind} ${line.name}${envs}${fieldsText(line, options.fieldsPerObject ?? 3)}`);
    }
  }
  const otherFiles = [...diff.files.added.map((f) => `+ ${f}`), ...diff.files.removed.map((f) => `- ${f}`)];
  if (otherFiles.length > 0) lines.push('', 'Files added and removed', ...otherFiles.map((f) => `  ${f}`));
  return `${lines.join('\n')}\n`;
}

/** Text as a Markdown code span inside a table cell: backticks fenced, pipes escaped. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const padded = fence.length > 1 ? ` ${text} ` : text;
  return `${fence}${padded}${fence}`.replace(/\|/g, '\\|');
}

/** Text in a table cell: pipes escaped, nothing that starts HTML. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

/**
 * The diff as GitHub-flavoured Markdown, for a pull-request comment: tables of the changes that
 * matter by topic, and every object per service in a collapsed section.
 * @example
 * fs.writeFileSync('diff.md', renderDiffMarkdown(diffOutputs(base, head)));
 */
export function renderDiffMarkdown(diff: OutputDiff, options: RenderDiffOptions = {}): string {
  const heading = `### Synthesized output: \`${options.base ?? 'base'}\` → \`${options.head ?? 'head'}\``;
  if (diff.objects.length === 0 && changedFiles(diff) === 0) {
    return `${heading}\n\nNo changes (${plural(diff.fileCount, 'file')} compared).\n`;
  }
  const lines = [heading, '', `${summaryLine(diff)}.`, ''];
  if (diff.highlights.length > 0) {
    lines.push('#### Changes that matter', '');
    for (const topic of HIGHLIGHT_TOPICS) {
      const ofTopic = diff.highlights.filter((h) => h.topic === topic);
      if (ofTopic.length === 0) continue;
      lines.push(`**${topic}**`, '', '| Service | What | Before | After | Environments |', '| --- | --- | --- | --- | --- |');
      for (const h of ofTopic) {
        const value = (v: string | undefined): string => (v === undefined ? '(none)' : code(v));
        lines.push(`| ${cell(h.scope)} | ${cell(described(h))} | ${value(h.before)} | ${value(h.after)} | ${h.environments.join(', ')} |`);
      }
      lines.push('');
    }
  }
  const head = lines.length;
  lines.push('#### Objects per service', '');
  for (const [scope, objects] of objectLines(diff)) {
    const c = { added: 0, removed: 0, changed: 0 };
    for (const o of objects) c[o.change]++;
    const total = [c.changed > 0 ? `${c.changed} changed` : '', c.added > 0 ? `${c.added} added` : '', c.removed > 0 ? `${c.removed} removed` : ''].filter((t) => t !== '').join(', ');
    lines.push('<details>', `<summary>${cell(scope)}: ${total}</summary>`, '', '| Change | Kind | Name | Environments | Fields |', '| --- | --- | --- | --- | --- |');
    const max = options.fieldsPerObject ?? 3;
    for (const line of objects) {
      const fields = line.fields.slice(0, max).map(code).join(', ') + (line.fields.length > max ? `, +${line.fields.length - max} more` : '');
      lines.push(`| ${line.change} | ${cell(line.kind)} | ${code(line.name)} | ${line.environments.join(', ')} | ${fields} |`);
    }
    lines.push('', '</details>', '');
  }
  const otherFiles = [...diff.files.added.map((f) => `added \`${f}\``), ...diff.files.removed.map((f) => `removed \`${f}\``)];
  if (otherFiles.length > 0) lines.push('#### Files added and removed', '', ...otherFiles.map((f) => `- ${f}`), '');
  const markdown = `${lines.join('\n').replace(/\n+$/, '')}\n`;
  const max = options.maxMarkdownLength ?? 60_000;
  if (markdown.length <= max) return markdown;
  // Too long for a comment: the objects are counted per service, the changes that matter kept.
  const counted = [...objectLines(diff)].map(([scope, objects]) => `- ${cell(scope)}: ${plural(objects.length, 'object line')}`);
  const note = `The full diff is ${markdown.length} characters, more than a comment holds: run \`ops-constructs diff\` on the two outputs to see all of it.`;
  const short = `${[...lines.slice(0, head), '#### Objects per service', '', ...counted, '', note].join('\n')}\n`;
  if (short.length <= max) return short;
  // Even the changes that matter are too many: as many whole lines as fit, then the note.
  const kept = short.slice(0, Math.max(0, max - note.length - 2));
  return `${kept.slice(0, kept.lastIndexOf('\n') + 1)}\n${note}\n`;
}
