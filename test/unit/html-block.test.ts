/**
 * The engine's HTML block rule (server/src/service/html-block.ts): markdown-it's `html_block` with the seventh
 * kind's start read in one pass. Held to markdown-it's own rule on generated documents (the same tokens), and
 * timed on the line that made markdown-it's expression backtrack.
 * FUZZ_RUNS sets the number of cases (default 300), FUZZ_SEED the seed (fast-check prints it on a failure).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { useLinearHtmlBlock } from '../../server/src/service/html-block';
import { parseDocument } from '../../server/src/service/markdown';
import { assertLinear } from '../helpers/linear';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

/** markdown-it as the engine configures it, with its own `html_block` rule or the engine's. */
function parser(linear: boolean): MarkdownIt {
  const md = new MarkdownIt('commonmark', { html: true }).enable('table');
  md.core.ruler.disable(['inline', 'text_join', 'normalize']);
  if (linear) useLinearHtmlBlock(md);
  return md;
}
const theirs = parser(false);
const ours = parser(true);
const tokens = (md: MarkdownIt, src: string) => md.parse(src, {}).map((t) => [t.type, t.tag, t.map, t.content, t.markup, t.info]);

/** Pieces of HTML-ish lines: tags of each kind, attributes, quotes, white space in and outside ASCII. */
const PIECE = fc.constantFrom(
  '<',
  '</',
  '>',
  '/>',
  'a',
  'my-tag',
  'div',
  'DIV',
  'script',
  'pre',
  'textarea',
  'table',
  'p',
  '!--',
  '-->',
  '?',
  '?>',
  '!DOCTYPE',
  '![CDATA[',
  ']]>',
  ' ',
  '  ',
  '\t',
  '\u00a0',
  '\u3000',
  '=',
  '"',
  "'",
  'x',
  'b',
  'data-x',
  ':y',
  '_z',
  '`',
  '1',
  '#',
  '- ',
  '> ',
  '    ',
  '|',
);
const LINE = fc.array(PIECE, { maxLength: 12 }).map((ps) => ps.join(''));
const DOC = fc.array(fc.oneof(LINE, fc.constant(''), fc.constant('text')), { maxLength: 12 }).map((ls) => ls.join('\n') + '\n');

describe('HTML blocks (linear rule)', () => {
  it('gives the tokens markdown-it gives, on generated documents of HTML-ish lines', () => {
    fc.assert(
      fc.property(DOC, (src) => {
        assert.deepEqual(tokens(ours, src), tokens(theirs, src));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('gives the tokens markdown-it gives on each kind of HTML block, in and after other blocks', () => {
    const docs = [
      '<div>\nfoo\n\nbar\n',
      '<my-note class="x" data-y=z>\n*a*\n\nafter\n',
      '</my-note>\ntext\n',
      'para\n<my-note>\nmore\n',
      'para\n<div>\nmore\n',
      '<!-- a\n\nb -->\nafter\n',
      '- item\n  <!-- a\n\n  b -->\n',
      '<?php x ?>\n',
      '<!DOCTYPE html>\n',
      '<![CDATA[\nx\n]]>\n',
      '<script>\nlet a = 1;\n\n</script>\nafter\n',
      '<a b=\u00a0c>\n',
      '<a\u00a0b=c d>\n',
      '<a b="c"\u00a0>x\n',
      '    <div>\n',
      '> <div>\n> x\n',
    ];
    for (const src of docs) assert.deepEqual(tokens(ours, src), tokens(theirs, src), JSON.stringify(src));
  });

  it('parses a line of an open tag with a long run of no-break spaces in linear time (markdown-it took 22 s for 3,000)', () => {
    const lines: [string, (n: number) => string][] = [
      ['`<a b=` and no-break spaces', (n) => '<a b=' + '\u00a0'.repeat(n)],
      ['`<a b=c` and no-break spaces each before a `d`', (n) => '<a b=c' + '\u00a0d'.repeat(n / 2)],
      ['`<a`, no-break spaces and `x`', (n) => '<a' + '\u00a0'.repeat(n) + 'x'],
    ];
    for (const [what, line] of lines) {
      assertLinear(what, (n) => () => parseDocument(`# Finding\n\n${line(n)}\n\nAfter.\n`), { n: 2000 });
      const doc = parseDocument(`# Finding\n\n${line(100_000)}\n\nAfter.\n`);
      assert.deepEqual(
        doc.headings.map((h) => h.text),
        ['Finding'],
      );
    }
  });
});
