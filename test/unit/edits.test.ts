import * as assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/service/edits';
import { range } from '../../server/src/service/types';
import { fixAll } from '../../server/src/service';
import { workspace, ROOT } from '../helpers/workspace';

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
