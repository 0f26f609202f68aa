/**
 * Markdown building with text kept as text: whatever a definition holds (descriptions, alert
 * summaries, contacts, queries) renders as the characters written, never as markup, HTML or a
 * link, in CommonMark and GitHub Flavored Markdown renderers alike. Not exported from the package.
 * @see https://spec.commonmark.org/0.31.2/#backslash-escapes
 * @see https://github.github.com/gfm/#tables-extension-
 */

/**
 * ASCII punctuation that can open or close markup somewhere in CommonMark or GFM: emphasis,
 * code, links and images, raw HTML and autolinks, entities, tables, strikethrough, and the math
 * GitHub renders between dollars. Every ASCII punctuation character may be backslash-escaped,
 * so escaping these never changes the text shown.
 */
const MARKUP = /[\\`*_[\]<>#|~&$]/g;

/** URLs and e-mail addresses, which GFM renderers would turn into links even without markup. */
const LINKABLE = /(?:\b(?:https?|ftp):\/\/|\bwww\.)[^\s<>]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gi;

/** Control characters, which no renderer shows as text. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** Collapses every run of whitespace and control characters into one space, trimmed. */
function oneLine(text: string): string {
  return text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

/** Escapes markup characters, and whatever would open a block (list, heading, quote) at the start. */
function escapePlain(text: string, atStart: boolean): string {
  const escaped = text.replace(MARKUP, (c) => `\\${c}`);
  if (!atStart) return escaped;
  // A list item (`- `, `+ `, `1. `, `1) `) or a setext underline (`=`) when the text opens a line.
  return escaped.replace(/^([-+=])/, '\\$1').replace(/^(\d{1,9})([.)])/, '$1\\$2');
}

/**
 * Plain text as inline Markdown: on one line, markup characters escaped, URLs and e-mail
 * addresses as code spans (so no renderer links them). Safe at the start of a line, in a list
 * item, a heading or a table cell.
 * @example
 * mdText('99.9% of *all* requests | see https://example.com'); // '99.9% of \\*all\\* requests \\| see `https://example.com`'
 */
export function mdText(text: string): string {
  return inline(text, true);
}

/**
 * Plain text as inline Markdown in the middle of a line, a heading or a table cell, where it
 * cannot open a block: as `mdText`, without escaping a leading list marker (`1.`, `-`).
 */
export function mdInline(text: string): string {
  return inline(text, false);
}

function inline(text: string, atLineStart: boolean): string {
  const line = oneLine(text);
  let out = '';
  let last = 0;
  for (const match of line.matchAll(LINKABLE)) {
    const start = match.index ?? 0;
    out += escapePlain(line.slice(last, start), atLineStart && last === 0) + mdCode(match[0]);
    last = start + match[0].length;
  }
  return out + escapePlain(line.slice(last), atLineStart && last === 0);
}

/** The longest run of backticks in a text. */
function longestBacktickRun(text: string): number {
  return Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
}

/**
 * A code span showing `text` exactly (on one line): delimited by more backticks than any run
 * inside it, padded with a space when it starts or ends with a backtick or a space.
 * @see https://spec.commonmark.org/0.31.2/#code-spans
 */
export function mdCode(text: string): string {
  const line = text.replace(CONTROL, ' ');
  if (line.trim() === '') return mdText(line);
  const fence = '`'.repeat(longestBacktickRun(line) + 1);
  const pad = /^[` ]|[` ]$/.test(line) ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/**
 * A fenced code block showing `content` line by line as written, fenced by more backticks than
 * any run inside it (at least three). `info` names the language (`promql`, `logql`, `sh`).
 * @see https://spec.commonmark.org/0.31.2/#fenced-code-blocks
 */
export function mdCodeBlock(content: string, info = ''): string {
  const body = content.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ').replace(/\n+$/, '');
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(body) + 1));
  return `${fence}${info.replace(/[`\s]/g, '')}\n${body}\n${fence}`;
}

/**
 * A link destination as written between parentheses: spaces, angle brackets, parentheses and
 * backslashes percent-encoded, which every URL parser reads as the same URL.
 */
function destination(url: string): string {
  return url.replace(/[\s<>()\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** A link with plain text: `[text](url)`. */
export function mdLink(text: string, url: string): string {
  return `[${mdText(text)}](${destination(url)})`;
}

/** A heading of a level from 1 to 6 with plain text. */
export function mdHeading(level: 1 | 2 | 3 | 4 | 5 | 6, text: string): string {
  return `${'#'.repeat(level)} ${mdInline(text)}`;
}

/**
 * A list item holding Markdown (paragraphs, code blocks, nested lists): the marker, then every
 * further line indented to the item's content, blank lines kept blank.
 */
export function mdListItem(markdown: string, marker = '-'): string {
  const indent = ' '.repeat(marker.length + 1);
  return `${marker} ${markdown
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : `${indent}${line}`))
    .join('\n')}`;
}

/** A bullet list of Markdown items. */
export function mdList(items: readonly string[]): string {
  return items.map((item) => mdListItem(item)).join('\n');
}

/** A numbered list of Markdown items, numbered from 1. */
export function mdNumberedList(items: readonly string[]): string {
  return items.map((item, i) => mdListItem(item, `${i + 1}.`)).join('\n');
}

/** A table cell: inline Markdown on one line, with every pipe that is not escaped yet escaped. */
function cell(markdown: string): string {
  let out = '';
  let escaped = false;
  for (const c of markdown.replace(/\s*\n\s*/g, ' ').trim()) {
    out += c === '|' && !escaped ? '\\|' : c;
    escaped = c === '\\' && !escaped;
  }
  return out;
}

/**
 * A GFM table. Cells are inline Markdown (from `mdText`, `mdCode`, `mdLink`); pipes in them are
 * escaped, as GFM requires even inside code spans.
 * @see https://github.github.com/gfm/#tables-extension-
 */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** Joins Markdown blocks with one blank line between them, dropping empty ones; ends in a newline. */
export function mdDocument(blocks: readonly (string | undefined | false)[]): string {
  return `${blocks.filter((b): b is string => typeof b === 'string' && b !== '').join('\n\n')}\n`;
}
