/**
 * A heading inside a list item (an item's indented `Name` with `---` under it, `- ## Title`) is part of the
 * item, not a section of the document: the section the list is in goes on past it.
 */
import * as assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/service/markdown';
import { workspace, diagnosticsOf } from '../helpers/workspace';
import { applyEdits, completeHandoff } from '../../server/src/service';

describe('headings inside list items', () => {
  it('are no sections: the section of the list goes on past them', () => {
    const doc = parseDocument(
      '# Phase 2 Input Handoff\n\n## Prerequisites\n\n- [ ] 1. Numbered first\n\n  Name\n  ---\n- ## Not a section\n\n### Infra\n\n| Prerequisite | Status |\n|---|---|\n| Test environment | ✅ |\n\n## Open Questions\n\n- None\n',
    );
    assert.deepEqual(
      doc.headings.map((h) => h.text),
      ['Phase 2 Input Handoff', 'Prerequisites', 'Infra', 'Open Questions'],
    );
    const pre = doc.sections.find((s) => s.title === 'Prerequisites')!;
    assert.deepEqual(
      pre.children.map((i) => doc.sections[i].title),
      ['Infra'],
    );
    // A heading in a block quote is still one.
    assert.deepEqual(
      parseDocument('# T\n\n> ## Quoted\n\ntext\n').headings.map((h) => h.text),
      ['T', 'Quoted'],
    );
  });

  it('complete handoff carries an item holding one and keeps the prerequisites after it in their section', async () => {
    const OUT =
      '# Phase 1 → Phase 2 Handoff\n\n## Phase 1 Summary\n\n- Audit completed\n\n## Phase 2 Prerequisites\n\n- [ ] Test environment provisioned\n- [ ] 1. Numbered first\n\n  Name\n  ---\n\n## Phase 2 Inputs\n\n- Audit report: [report](04-ARTIFACTS/audit-report.md) - findings\n';
    const IN =
      '# Phase 2 Input Handoff\n\n## Source\n\n- [Phase 1 output handoff](../phase-1/06-OUTPUT_HANDOFF.md)\n\n## Inputs Received\n\n- Audit report: [report](../phase-1/04-ARTIFACTS/audit-report.md) - findings\n\n## Prerequisites\n\n### Infra\n\n| Prerequisite | Status |\n|---|---|\n| Test environment provisioned | ✅ |\n\n## Open Questions\n\n- None\n';
    const { svc } = await workspace({
      'phase-1/04-ARTIFACTS/audit-report.md': '# Report\n',
      'phase-1/06-OUTPUT_HANDOFF.md': OUT,
      'phase-2/00-PHASE_BRIEF.md': '# Phase 2: Testing\n',
      'phase-2/01-INPUT_HANDOFF.md': IN,
    });
    const missing = () => diagnosticsOf(svc, 'phase-2/01-INPUT_HANDOFF.md', 'prerequisite-unmet').filter((d) => / is not in "Prerequisites"/.test(d.message));
    assert.deepEqual(
      missing().map((d) => d.message),
      ['Prerequisite "1. Numbered first" from phase-1 is not in "Prerequisites".'],
    );
    const action = completeHandoff(svc, svc.findPhase('phase-2'))!;
    const file = '/ws/phase-2/01-INPUT_HANDOFF.md';
    const once = applyEdits(IN, action.change.edits.find((e) => e.file === file)!.edits);
    svc.setOverlay(file, once);
    assert.deepEqual(
      missing().map((d) => d.message),
      [],
      once,
    );
  });
});
