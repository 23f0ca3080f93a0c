/**
 * itemIndexAt: the first item of a document that starts on a line, by binary search over the items (in line order),
 * the same as looking through them all, on random lists (nested, on one line, in quotes, with checkboxes).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { itemIndexAt, parseDocument } from '../../server/src/service/markdown';
import { textOf } from '../helpers/fuzz';

describe('itemIndexAt', () => {
  it('finds the first item starting on each line, as a search through every item does', () => {
    const pieces = ['- a\n', '  - b\n', '- - c\n', '1. d\n', '   2) e\n', '> - f\n', '- [x] g\n', '\n', 'text\n', '    - code\n', '* h\n'];
    let nested = 0;
    fc.assert(
      fc.property(textOf(pieces, 30), (text) => {
        const doc = parseDocument(text);
        if (doc.items.some((it, i) => i > 0 && doc.items[i - 1].line === it.line)) nested++;
        for (let line = -1; line <= doc.lines.length; line++)
          assert.equal(
            itemIndexAt(doc, line),
            doc.items.findIndex((it) => it.line === line),
            `${JSON.stringify(text)} line ${line}`,
          );
      }),
      { numRuns: 1000 },
    );
    assert.ok(nested > 0, 'some texts have two items starting on one line');
  });
});
