/** Which section is a gate's checklist in a custom layout, and the status of a phase of a layout without gates. */
import * as assert from 'node:assert/strict';
import { gateCauses, ungatedErrors } from '../../server/src/service/gates';
import { diagnosticsOf, workspace } from '../helpers/workspace';

const layout = (gates: string) =>
  `layouts:\n  - name: sprint\n    phases: "sprints/*"\n    documents:\n      - kind: goals\n        file: GOALS.md\n      - kind: review\n        file: REVIEW.md\n${gates}`;
const REVIEW_GATE = '    gates:\n      - name: Review\n';

describe('gate checklists of a custom layout', () => {
  it('a heading that is the gate name wins over an earlier one that only ends with it, even one without items', async () => {
    const { svc } = await workspace({
      'phasegate.yaml': layout(REVIEW_GATE),
      'sprints/sprint-1/GOALS.md': '# Sprint 1\n\n## Code Review\n\nWe review every change.\n',
      'sprints/sprint-1/REVIEW.md': '# Review\n\n## Review\n\n- [ ] Peer review completed\n',
    });
    const [gate] = svc.gates(svc.model.phases[0]);
    assert.equal(gate.status, 'pending');
    assert.deepEqual(gate.reasons, ['1 item unchecked']);
    assert.match(gate.file ?? '', /REVIEW\.md$/);
    // The item that holds the gate is reported where it is.
    assert.deepEqual(
      diagnosticsOf(svc, 'sprints/sprint-1/REVIEW.md', 'gate-item-unchecked').map((d) => d.range.start.line),
      [4],
    );
    assert.deepEqual(diagnosticsOf(svc, 'sprints/sprint-1/GOALS.md', 'gate-item-unchecked'), []);
  });

  it('reads the checklist items of a block quote, nested or indented, as items', async () => {
    const review = '# Review\n\n## Review\n\n> - [ ] Peer review completed\n> - [x] Security review: [report](GOALS.md)\n>\n>   > 1. [ ] Sign-off\n';
    const { svc } = await workspace({
      'phasegate.yaml': layout(REVIEW_GATE),
      'sprints/sprint-1/GOALS.md': '# Sprint 1\n',
      'sprints/sprint-1/REVIEW.md': review,
    });
    const doc = svc.getDocument(svc.model.phases[0].documents.find((d) => d.spec.file === 'REVIEW.md')!.path)!;
    assert.deepEqual(
      doc.items.map((i) => [i.line, i.checked, i.text]),
      [
        [4, false, 'Peer review completed'],
        [5, true, 'Security review: [report](GOALS.md)'],
        [7, false, 'Sign-off'],
      ],
    );
    const [gate] = svc.gates(svc.model.phases[0]);
    assert.equal(gate.status, 'pending');
    assert.deepEqual(gate.reasons, ['2 items unchecked']);
    assert.deepEqual(
      diagnosticsOf(svc, 'sprints/sprint-1/REVIEW.md', 'gate-item-unchecked').map((d) => d.range.start),
      [
        { line: 4, character: 4 },
        { line: 7, character: 9 },
      ],
    );
  });

  it("a document title that ends with the gate name loses to a section of its own (its items are other gates')", async () => {
    const { svc } = await workspace({
      'phasegate.yaml': layout('    gates:\n      - name: Review\n      - name: Sign-off\n'),
      'sprints/sprint-1/GOALS.md': '# Sprint 1\n\nGoals.\n',
      'sprints/sprint-1/REVIEW.md': '# Sprint 1 Review\n\n## Peer Review\n\n- [ ] Code reviewed\n\n## Final Sign-off\n\n- [x] PO signed\n',
    });
    const [review, signoff] = svc.gates(svc.model.phases[0]);
    assert.equal(review.line, 2);
    assert.deepEqual(review.reasons, ['1 item unchecked']);
    assert.equal(signoff.line, 6);
    assert.deepEqual(
      diagnosticsOf(svc, 'sprints/sprint-1/REVIEW.md', 'gate-item-no-evidence').map((d) => d.message),
      ['Sign-off gate: "PO signed" is checked but cites no evidence (add a link, a `path` or "Evidence: …").'],
    );
  });

  it('of two headings that only end with the gate name, the one with checklist items', async () => {
    const { svc } = await workspace({
      'phasegate.yaml': layout(REVIEW_GATE),
      'sprints/sprint-1/GOALS.md': '# Sprint 1\n\n## Code Review\n\nWe review every change.\n',
      'sprints/sprint-1/REVIEW.md': '# Review\n\n## Peer Review\n\n- [x] Done — Evidence: [pr](GOALS.md)\n',
    });
    const [gate] = svc.gates(svc.model.phases[0]);
    assert.equal(gate.status, 'passed', gate.reasons.join());
    assert.match(gate.file ?? '', /REVIEW\.md$/);
  });

  it("reads an item's evidence on its continuation lines and nested items, for the gate and the rule alike", async () => {
    const review = [
      '# Review',
      '',
      '## Review',
      '',
      '- [x] All deliverables of the brief are produced and reviewed by the team,',
      '  Evidence: [report](GOALS.md)',
      '- [x] Every artifact is in place',
      '  - [report](GOALS.md)',
      '- [x] Signed off',
      '  by the whole team',
      '',
    ].join('\n');
    const { svc } = await workspace({
      'phasegate.yaml': layout(REVIEW_GATE),
      'sprints/sprint-1/GOALS.md': '# Sprint 1\n\nGoals.\n',
      'sprints/sprint-1/REVIEW.md': review,
    });
    const phase = svc.model.phases[0];
    const [gate] = svc.gates(phase);
    assert.deepEqual(
      gate.items.map((i) => [i.line, i.evidence]),
      [
        [4, true],
        [6, true],
        [8, false],
      ],
    );
    assert.deepEqual(gate.reasons, ['1 item without evidence']);
    assert.deepEqual(
      gateCauses(svc, phase, 'Review').map((c) => [c.kind, c.range.start.line]),
      [['no-evidence', 8]],
    );
    assert.deepEqual(
      diagnosticsOf(svc, 'sprints/sprint-1/REVIEW.md', 'gate-item-no-evidence').map((d) => d.range.start.line),
      [8],
    );
  });
});

describe('a layout without gates', () => {
  const files = (goals: string) => ({
    'phasegate.yaml': layout('    gates: []\n'),
    'sprints/sprint-1/GOALS.md': goals,
    'sprints/sprint-1/REVIEW.md': '# Review\n\nAll good.\n',
  });

  it('completes a phase whose documents are written and which has no error', async () => {
    const { svc } = await workspace(files('# Sprint 1\n\nGoals.\n'));
    const phase = svc.model.phases[0];
    assert.equal(svc.status(phase), 'complete');
    assert.deepEqual(ungatedErrors(svc, phase), []);
  });

  it('blocks a phase while it has an error, and says which', async () => {
    const { svc } = await workspace(files('# Sprint 1\n\nSee [plan](missing.md).\n'));
    const phase = svc.model.phases[0];
    assert.equal(svc.status(phase), 'blocked');
    assert.deepEqual(ungatedErrors(svc, phase), ['1 × broken-link']);
  });

  it('is in progress while a required document is missing', async () => {
    const { svc } = await workspace({ 'phasegate.yaml': layout('    gates: []\n'), 'sprints/sprint-1/GOALS.md': '# Sprint 1\n\nGoals.\n' });
    const phase = svc.model.phases[0];
    assert.notEqual(svc.status(phase), 'complete');
  });
});
