import * as assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/service/edits';
import { codeActions, fixAllRepeated, type CodeAction, type Range } from '../../server/src/service';
import { insertedSectionSelection } from '../../server/src/service/fixes/structure';
import { diagnosticsOf, workspace, ROOT } from '../helpers/workspace';

/** The text of `text` at `r` (a range on one line). */
function textAt(text: string, r: Range): string {
  assert.equal(r.start.line, r.end.line);
  return text.split(/\r\n|\r|\n/)[r.start.line].slice(r.start.character, r.end.character);
}

/** The insert-section quick fix of the missing section `title` of `rel`, and the text once it is applied. */
async function fixed(files: Record<string, string>, rel: string, title: string): Promise<{ action: CodeAction; after: string }> {
  const { svc } = await workspace(files);
  const d = diagnosticsOf(svc, rel, 'missing-section').find((x) => x.message.includes(`"${title}"`) || x.message.includes(title));
  assert.ok(
    d,
    `missing-section for ${title}: ${diagnosticsOf(svc, rel, 'missing-section')
      .map((x) => x.message)
      .join(' | ')}`,
  );
  const [action] = codeActions(svc, [d]);
  assert.ok(action, 'a quick fix');
  const after = applyEdits(files[rel], action.change.edits[0].edits);
  return { action, after };
}

const BRIEF = 'phase-1/00-PHASE_BRIEF.md';

describe('insert-section quick fix: where the user lands', () => {
  it("selects the inserted section's placeholder, in the text after the edit (between sections, at the end, above directives)", async () => {
    // Between two sections.
    const between = '# Phase 1: One\n\n## Objectives\n\n- Ship it.\n\n## Deliverables\n\n- A report.\n\n## Success Metrics\n\n- Done.\n';
    const a = await fixed({ [BRIEF]: between }, BRIEF, 'Scope');
    assert.deepEqual(a.action.select?.file, `${ROOT}/${BRIEF}`);
    const r = a.action.select!.range;
    assert.equal(textAt(a.after, r), '[What is in scope, and what is out of scope]');
    assert.equal(a.after.split('\n')[r.start.line - 2], '## Scope');
    // At the end of the document (no newline at its end).
    const end = '# Phase 1: One\n\n## Objectives\n\n- Ship it.\n\n## Scope\n\nAll.';
    const b = await fixed({ [BRIEF]: end }, BRIEF, 'Deliverables');
    const rb = b.action.select!.range;
    assert.equal(textAt(b.after, rb), '[Deliverable]');
    assert.equal(b.after.split('\n')[rb.start.line - 2], '## Deliverables');
    // Above a disable-next-line directive (the insertion moves above it): the selection moves with it.
    const directive =
      '# Phase 1: One\n\n## Objectives\n\n- Ship it.\n\n<!-- phasegate-disable-next-line empty-section -->\n## Deliverables\n\n## Success Metrics\n\n- Done.\n';
    const c = await fixed({ [BRIEF]: directive }, BRIEF, 'Scope');
    const rc = c.action.select!.range;
    assert.equal(textAt(c.after, rc), '[What is in scope, and what is out of scope]');
    assert.ok(c.after.indexOf('## Scope') < c.after.indexOf('<!-- phasegate-disable-next-line'), c.after);
  });

  it('lands at the end of a section without a placeholder, after its text, never in the next section', () => {
    const at = (line: number, character: number) => ({ line, character });
    const edit = (newText: string) => ({ range: { start: at(4, 0), end: at(4, 0) }, newText });
    // Heading, blank line, text: the end of the text.
    assert.deepEqual(insertedSectionSelection('/f', edit('\n## Risks\n\nNone known yet.\n\n'))?.range, { start: at(7, 15), end: at(7, 15) });
    // A heading alone: the end of the heading.
    assert.deepEqual(insertedSectionSelection('/f', edit('## Risks\n'))?.range, { start: at(4, 8), end: at(4, 8) });
    // A placeholder of a sub-section counts; one of the next section does not.
    assert.deepEqual(insertedSectionSelection('/f', edit('## Inputs\n\n### Input 1: [Name]\n'))?.range, { start: at(6, 13), end: at(6, 19) });
    assert.deepEqual(insertedSectionSelection('/f', edit('## Risks\n\nNone.\n\n## Next\n\n[Step]\n'))?.range, { start: at(6, 5), end: at(6, 5) });
    // On the line the insertion starts on: after its character.
    const inline = { range: { start: at(2, 7), end: at(2, 7) }, newText: '\n\n## Scope\n\n[Scope]' };
    assert.deepEqual(insertedSectionSelection('/f', inline)?.range, { start: at(6, 0), end: at(6, 7) });
    // No heading written: nowhere.
    assert.equal(insertedSectionSelection('/f', edit('text\n')), undefined);
  });

  it('Fix all carries no selection', async () => {
    const text = '# Phase 1: One\n\n## Objectives\n\n- Ship it.\n';
    const { svc } = await workspace({ [BRIEF]: text });
    const all = fixAllRepeated(svc, `${ROOT}/${BRIEF}`);
    assert.ok(all && all.codes.includes('missing-section'), all?.codes.join());
    assert.equal(all.select, undefined);
  });
});
