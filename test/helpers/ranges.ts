import * as assert from 'node:assert/strict';
import type { Diagnostic, ParsedDocument } from '../../server/src/service';

/** Asserts that every range lies inside the document and is not inverted. */
export function assertRangesInside(doc: ParsedDocument, diags: Pick<Diagnostic, 'range' | 'code'>[]): void {
  for (const d of diags) {
    const { start, end } = d.range;
    assert.ok(start.line >= 0 && end.line < Math.max(1, doc.lines.length), `${d.code} line out of range: ${JSON.stringify(d.range)}`);
    assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `${d.code} inverted range`);
    assert.ok(start.character <= (doc.lines[start.line] ?? '').length, `${d.code} start past line end`);
    assert.ok(end.character <= (doc.lines[end.line] ?? '').length, `${d.code} end past line end`);
  }
}
