/**
 * maskedProse against the plain code it replaces: a line whose run of backticks its line leaves open (and the other
 * lines with backticks of its paragraph) is masked once per document, when the code spans running over lines are
 * sought, not again at each call. The same masked lines on random documents, whichever line is asked first.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { textOf } from '../helpers/fuzz';
import {
  ParsedDocument,
  bodyStart,
  maskInlineCode,
  maskedProse,
  paragraphLines,
  parseDocument,
  replaceComments,
  spanningCode,
  spanningComments,
} from '../../server/src/service/markdown';

/** spanningCode as it was written before (every line masked anew, line `l` twice), without its fast paths. */
function plainSpanningCode(doc: ParsedDocument): Map<number, string> {
  const out = new Map<number, string>();
  const { lines, codeLines } = doc;
  let next = 0;
  for (let l = bodyStart(doc); l < lines.length; l++) {
    if (l < next || codeLines.has(l) || !maskInlineCode(lines[l]).includes('`')) continue;
    // A heading or a table row is a paragraph of its line: nothing of it runs over lines.
    const { from, to } = paragraphLines(doc, l)!;
    next = to + 1;
    if (to === from) continue;
    const masked = maskInlineCode(lines.slice(from, to + 1).join('\n'));
    for (let k = from, at = 0; k <= to; at += lines[k].length + 1, k++) {
      const own = masked.slice(at, at + lines[k].length);
      if (own !== maskInlineCode(lines[k])) out.set(k, own);
    }
  }
  return out;
}

/** maskedProse as it was written before: the line masked at each call unless a span over lines covers it. */
function plainMaskedProse(doc: ParsedDocument, spanning: Map<number, string>, line: number): string {
  let src = spanning.get(line) ?? maskInlineCode(doc.lines[line] ?? '');
  const span = spanningComments(doc).get(line);
  if (span) src = src.slice(0, span[0]) + ' '.repeat(span[1] - span[0]) + src.slice(span[1]);
  return src.includes('<!--') ? replaceComments(src, (c) => ' '.repeat(c.length)) : src;
}

const PIECES = ['`', '``', '```', '\\`', 'a', ' ', 'b c', '<!--', '-->', '[x](y.md)', '\n', '\n', '\n\n', '# ', '- ', '> ', '| a |', '    ', '---'];

describe('maskedProse: each line with backticks masked once per document', () => {
  it('masks every line as the plain code does, asked in order, in reverse, or twice', () => {
    fc.assert(
      fc.property(textOf(PIECES, 40), fc.boolean(), (text, reverse) => {
        const plainDoc = parseDocument(text);
        const spanning = plainSpanningCode(plainDoc);
        const want = plainDoc.lines.map((_l, i) => plainMaskedProse(plainDoc, spanning, i));
        const doc = parseDocument(text);
        // The lines that spanningCode tells are its lines (completion reads them) are those the plain code finds.
        assert.deepEqual(
          [...spanningCode(doc).keys()].sort((a, b) => a - b),
          [...spanning.keys()].sort((a, b) => a - b),
        );
        const order = want.map((_w, i) => i);
        if (reverse) order.reverse();
        for (const i of [...order, ...order]) assert.equal(maskedProse(doc, i), want[i], `${JSON.stringify(text)} line ${i}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('a line with an unclosed run of backticks, alone, in a paragraph, in a heading', () => {
    const text = '# A `b\n\nSee `open and [x](y.md)\n\npara `open\ngoes on` here `and\nthere\n\n| a `b | c |\n|---|---|\n';
    const doc = parseDocument(text);
    const spanning = plainSpanningCode(doc);
    for (let i = 0; i < doc.lines.length + 1; i++) assert.equal(maskedProse(doc, i), plainMaskedProse(doc, spanning, i), `line ${i}`);
    assert.equal(maskedProse(doc, 2), 'See `open and [x](y.md)');
    assert.equal(maskedProse(doc, 4), 'para  ' + ' '.repeat(4));
  });
});
