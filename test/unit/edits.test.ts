import * as assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/service/edits';
import { range } from '../../server/src/service/types';
import { changedLines, fixAll, fixAllRepeated } from '../../server/src/service';
import { diagnosticsOf, workspace, ROOT } from '../helpers/workspace';

describe('applyEdits', () => {
  const text = 'one\ntwo\nthree\n';

  it('inserts before a range replaced at the same start, whatever the order of the two edits', () => {
    const insert = { range: range(1, 0, 1, 0), newText: 'new\n' };
    const remove = { range: range(1, 0, 2, 0), newText: '' };
    assert.equal(applyEdits(text, [insert, remove]), 'one\nnew\nthree\n');
    assert.equal(applyEdits(text, [remove, insert]), 'one\nnew\nthree\n');
  });

  it('keeps insertions at one place in the order given', () => {
    const a = { range: range(2, 0, 2, 0), newText: 'a\n' };
    const b = { range: range(2, 0, 2, 0), newText: 'b\n' };
    assert.equal(applyEdits(text, [a, b]), 'one\ntwo\na\nb\nthree\n');
    assert.equal(applyEdits(text, [b, a]), 'one\ntwo\nb\na\nthree\n');
  });

  it('applies edits given in any order, each on the text given, with CRLF', () => {
    const crlf = 'one\r\ntwo\r\nthree\r\n';
    const edits = [
      { range: range(2, 0, 2, 5), newText: 'THREE' },
      { range: range(0, 0, 0, 3), newText: 'ONE' },
      { range: range(1, 3, 1, 3), newText: '!' },
    ];
    assert.equal(applyEdits(crlf, edits), 'ONE\r\ntwo!\r\nTHREE\r\n');
  });
});

describe('Fix all: a section inserted where an unused directive is removed', () => {
  it('writes the section and drops the directive, no text of either torn', async () => {
    const brief = [
      '# Phase 1: Foundation',
      '',
      '## Objectives',
      '',
      '- Audit the code',
      '',
      '<!-- phasegate-disable-next-line unfilled-placeholder -->',
      '## Deliverables',
      '',
      '- Audit report',
      '',
      '## Risks',
      '',
      '- Risk: outage - use a mirror',
      '',
    ].join('\n');
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': brief });
    const all = fixAll(svc, `${ROOT}/phase-1/00-PHASE_BRIEF.md`)!;
    assert.ok(all.codes.includes('missing-section') && all.codes.includes('unused-directive'), all.codes.join(', '));
    const fixed = applyEdits(brief, all.change.edits[0].edits);
    assert.doesNotMatch(fixed, /phasegate-disable|!--/);
    assert.match(fixed, /- Audit the code\n\n+## Scope\n\n[^\n]+\n\n## Deliverables\n/);
  });
});

describe('Fix all in the editor: repeated on its own result', () => {
  const handoff = (eol: string) =>
    [
      '# Phase 2 Input Handoff',
      '',
      '## Source',
      '',
      'Phase 1 handoff',
      '',
      '## Inputs Received',
      '',
      '- Input: [brief](../phase-1/00-PHASE_BRIEF.md) - the brief',
      '',
    ].join(eol);

  for (const eol of ['\n', '\r\n']) {
    it(`inserts two missing sections that go at one place in one edit, and leaves the engine's text as it was (${JSON.stringify(eol)})`, async () => {
      const text = handoff(eol);
      const file = 'phase-2/01-INPUT_HANDOFF.md';
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': '# Phase 1: A\n', [file]: text });
      svc.setOverlay(`${ROOT}/${file}`, text);
      const before = diagnosticsOf(svc, file);
      assert.deepEqual(
        before.filter((d) => d.code === 'missing-section').map((d) => d.message),
        ['Missing section "## Prerequisites".', 'Missing section "## Open Questions".'],
      );
      // One round of fix-all makes one of the two (their edits are at the same place); the repeated one both.
      const once = applyEdits(text, fixAll(svc, `${ROOT}/${file}`)!.change.edits[0].edits);
      assert.equal((once.match(/^## /gm) ?? []).length, 3);
      const all = fixAllRepeated(svc, `${ROOT}/${file}`)!;
      assert.equal(all.change.edits[0].edits.length, 1);
      const fixed = applyEdits(text, all.change.edits[0].edits);
      assert.match(
        fixed,
        new RegExp(`## Inputs Received${eol}${eol}- Input: .*${eol}${eol}## Prerequisites${eol}${eol}[^\\r\\n]+${eol}${eol}## Open Questions${eol}`),
      );
      assert.doesNotMatch(fixed, eol === '\r\n' ? /[^\r]\n/ : /\r/);
      // The engine's text and problems are the document's own again.
      assert.equal(svc.getText(`${ROOT}/${file}`), text);
      assert.deepEqual(diagnosticsOf(svc, file), before);
      svc.setOverlay(`${ROOT}/${file}`, fixed);
      assert.deepEqual(
        diagnosticsOf(svc, file).filter((d) => d.code === 'missing-section'),
        [],
      );
      assert.equal(fixAllRepeated(svc, `${ROOT}/${file}`)?.codes.includes('missing-section') ?? false, false);
    });
  }

  it('edits whole lines only, never inside a CRLF or a character of two units', () => {
    const cases: [string, string][] = [
      ['a\r\nb\r\nc\r\n', 'a\r\nb\r\nX\r\nc\r\n'],
      ['a\rb\rc', 'a\rB\rc'],
      ['😀\n😁\n', '😀\n😂\n'],
      ['same', 'same'],
      ['', 'new\n'],
      ['x\ny', 'x\ny\nz'],
    ];
    for (const [before, after] of cases) {
      const e = changedLines(before, after);
      assert.equal(applyEdits(before, [e]), after, JSON.stringify([before, after]));
      assert.equal(e.range.start.character, 0, JSON.stringify(before));
    }
  });
});
