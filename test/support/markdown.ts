/**
 * Reading generated Markdown the way a renderer does: markdown-it (CommonMark with GFM tables
 * and strikethrough) with GFM's autolinks of URLs and e-mail addresses, so tests see the links,
 * HTML, code and tables a reader would.
 */
import MarkdownIt from 'markdown-it';

type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

const md = new MarkdownIt({ html: true, linkify: true });
// GFM links `www.`, `http(s)://` and e-mail addresses, not bare domains.
md.linkify.set({ fuzzyLink: false, fuzzyEmail: true });

/** Every token, inline children flattened in order. */
export function tokens(markdown: string): Token[] {
  return md.parse(markdown, {}).flatMap((t) => [t, ...(t.children ?? [])]);
}

/** Every link target a reader can follow: links (written or autolinked) and images. */
export function links(markdown: string): string[] {
  return tokens(markdown).flatMap((t) => {
    if (t.type === 'link_open') return [String(t.attrGet('href') ?? '')];
    if (t.type === 'image') return [String(t.attrGet('src') ?? '')];
    return [];
  });
}

/** Raw HTML a renderer would pass through (blocks and inline). */
export function html(markdown: string): string[] {
  return tokens(markdown)
    .filter((t) => t.type === 'html_block' || t.type === 'html_inline')
    .map((t) => t.content);
}

/** The text a reader sees in an inline run: text and code, markup gone. */
export function inlineText(markdown: string): string {
  return tokens(markdown)
    .filter((t) => t.type === 'text' || t.type === 'code_inline' || t.type === 'softbreak')
    .map((t) => (t.type === 'softbreak' ? '\n' : t.content))
    .join('');
}

/** The kinds of block a document holds, in order (`paragraph_open`, `table_open`, ...). */
export function blockTypes(markdown: string): string[] {
  return md
    .parse(markdown, {})
    .filter((t) => t.nesting !== -1 && t.type !== 'inline')
    .map((t) => t.type);
}

/** Fenced code blocks: their info string and content as shown. */
export function codeBlocks(markdown: string): { info: string; content: string }[] {
  return md
    .parse(markdown, {})
    .filter((t) => t.type === 'fence' || t.type === 'code_block')
    .map((t) => ({ info: t.info.trim(), content: t.content.replace(/\n$/, '') }));
}

/** Tables as rows of cell texts, header row first. */
export function tables(markdown: string): string[][][] {
  const found: string[][][] = [];
  let table: string[][] | undefined;
  let row: string[] | undefined;
  for (const t of md.parse(markdown, {})) {
    if (t.type === 'table_open') table = [];
    else if (t.type === 'tr_open') row = [];
    else if (t.type === 'inline' && row !== undefined) row.push((t.children ?? []).map((c) => c.content).join(''));
    else if (t.type === 'tr_close' && row !== undefined) {
      table?.push(row);
      row = undefined;
    } else if (t.type === 'table_close' && table !== undefined) {
      found.push(table);
      table = undefined;
    }
  }
  return found;
}

/** Headings as `level text`, e.g. `2 Trigger`. */
export function headings(markdown: string): string[] {
  const all = md.parse(markdown, {});
  return all.flatMap((t, i) => (t.type === 'heading_open' ? [`${t.tag.slice(1)} ${(all[i + 1].children ?? []).map((c) => c.content).join('')}`] : []));
}
