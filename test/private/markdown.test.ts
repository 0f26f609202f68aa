import * as fc from 'fast-check';
import { mdCode, mdCodeBlock, mdDocument, mdHeading, mdLink, mdList, mdNumberedList, mdTable, mdText } from '../../lib/private/markdown';
import { blockTypes, codeBlocks, headings, html, inlineText, links, tables } from '../support/markdown';

/** What a reader should see of a text on one line: whitespace and control characters collapsed. */
const collapsed = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim();

/** Text with every kind of markup CommonMark and GFM know, and a few hostile extras. */
const HOSTILE = [
  '*bold* _em_ **strong** ~~gone~~ `code` ``two``',
  '[link](https://evil.example.com) ![image](https://evil.example.com/x.png) <https://evil.example.com>',
  '<script>alert(1)</script> <img src=x onerror=alert(1)> &lt; &amp; &#65;',
  '# heading',
  '- item',
  '+ item',
  '1. item',
  '2) item',
  '> quote',
  '=== setext',
  '---',
  'a | b | c',
  'costs $5 and $6',
  'mail payments-oncall@example.com or see www.example.com and http://example.com/a_b*c',
  'back\\slash \\* escaped',
  '    indented code',
  'line one\nline two\r\n\ttabbed',
];

describe('mdText', () => {
  it.each(HOSTILE)('shows %j as the very text, with no markup, HTML or link', (text) => {
    const markdown = mdText(text);
    expect(inlineText(markdown)).toBe(collapsed(text));
    expect(blockTypes(markdown)).toEqual(['paragraph_open']);
    expect(html(markdown)).toEqual([]);
    expect(links(markdown)).toEqual([]);
  });

  it('shows any text as written, in a paragraph, a list item, a heading and a table cell', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ab *_`[]()<>#|~&$!-+=.:/@\\1 \n'.split('')), maxLength: 40 }), (text) => {
        const shown = collapsed(text);
        for (const markdown of [mdText(text), mdList([mdText(text)]), mdHeading(2, text)]) {
          expect(inlineText(markdown)).toBe(shown);
          expect(html(markdown)).toEqual([]);
          expect(links(markdown)).toEqual([]);
        }
        expect(tables(mdTable(['a', 'b'], [[mdText(text), 'x']]))).toEqual([
          [
            ['a', 'b'],
            [shown, 'x'],
          ],
        ]);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('keeps URLs and e-mail addresses in user text as code, which no renderer links', () => {
    expect(mdText('see https://example.com/x or ops@example.com')).toBe('see `https://example.com/x` or `ops@example.com`');
  });
});

describe('mdCode and mdCodeBlock', () => {
  it('show code with backticks, pipes and HTML exactly, inline and as a block', () => {
    for (const code of ['a`b', '``x``', '`start', 'end`', 'x | y', '<b>&amp;</b>', 'sum(rate(x{code=~"5.."}[5m])) > 0.01']) {
      expect(inlineText(mdCode(code))).toBe(code);
      expect(codeBlocks(mdCodeBlock(code, 'promql'))).toEqual([{ info: 'promql', content: code }]);
    }
  });

  it('keeps a block of several lines, with a fence inside it, as written', () => {
    const content = 'one\n```\n  two\n````\nthree';
    expect(codeBlocks(mdCodeBlock(content, 'sh'))).toEqual([{ info: 'sh', content }]);
  });

  it('keeps a code block inside a numbered list item in that item', () => {
    const markdown = mdNumberedList([`Run:\n\n${mdCodeBlock('kubectl get pods\nkubectl get events', 'sh')}`, 'Then look.']);
    expect(codeBlocks(markdown)).toEqual([{ info: 'sh', content: 'kubectl get pods\nkubectl get events' }]);
    expect(blockTypes(markdown).filter((t) => t === 'list_item_open')).toHaveLength(2);
  });

  it('escapes pipes of code in table cells, as GFM requires', () => {
    expect(tables(mdTable(['query'], [[mdCode('a | b')]]))).toEqual([[['query'], ['a | b']]]);
  });
});

describe('mdLink and mdDocument', () => {
  it('links with plain text to the URL given, spaces and parentheses percent-encoded', () => {
    expect(links(mdLink('Dashboard [prod]', 'https://grafana.example.com/d/x?var-a=1&var-b=2'))).toEqual(['https://grafana.example.com/d/x?var-a=1&var-b=2']);
    expect(inlineText(mdLink('Dashboard [prod]', 'https://g.example.com'))).toBe('Dashboard [prod]');
    expect(links(mdLink('x', 'https://e.example.com/a (b)'))).toEqual(['https://e.example.com/a%20%28b%29']);
    expect(links(mdLink('up', '../index.md'))).toEqual(['../index.md']);
  });

  it('joins blocks with blank lines, drops empty ones and ends in one newline', () => {
    const doc = mdDocument([mdHeading(1, 'Title'), undefined, '', false, 'Para.']);
    expect(doc).toBe('# Title\n\nPara.\n');
    expect(headings(doc)).toEqual(['1 Title']);
  });
});
