import * as assert from 'node:assert/strict';
import { workspace, ROOT } from '../helpers/workspace';
import { CAUSES_PER_REASON, gateCauses, listedCauses } from '../../server/src/service/gates';

const VALIDATION = `# Phase 1 Validation

## Gate 1: Completeness

- [x] Every deliverable written — Evidence: deliverables list

## Gate 2: Quality

## Gate 4: Testing

- [x] Tests pass

## Gate 5: Review

- [ ] Peer review completed

## Gate 6: Approval

- [x] Signed off — Evidence: sign-off mail
`;

describe('gate causes: what holds each gate, at its place', () => {
  it('names, for each gate not passed, the diagnostics, checklist, items or documents behind its reasons', async () => {
    const { svc } = await workspace({ 'phase-1/07-VALIDATION.md': VALIDATION });
    const phase = svc.findPhase('phase-1')!;
    const gates = svc.gates(phase);
    const file = `${ROOT}/phase-1/07-VALIDATION.md`;
    const causes = (name: string) => gateCauses(svc, phase, name);
    const lineOf = (text: string) => VALIDATION.split('\n').findIndex((l) => l.includes(text));

    // Failed: the errors of its rules (the documents the phase lacks), each with its file and range.
    const completeness = causes('Completeness');
    assert.equal(gates.find((g) => g.name === 'Completeness')!.status, 'failed');
    assert.ok(completeness.length > 0);
    for (const c of completeness) {
      assert.equal(c.kind, 'diagnostic');
      assert.equal(c.severity, 'error');
      const reported = svc.diagnose(c.file).find((d) => d.code === c.code && d.message === c.message);
      assert.ok(reported, `${c.code} is reported in ${c.file}`);
      assert.deepEqual(c.range, reported.range);
    }
    // Pending: a checklist without items (at its heading), no checklist (in the document that should hold it),
    // an item checked without evidence and an unchecked one (on their lines).
    assert.deepEqual(
      causes('Quality').map((c) => [c.kind, c.file, c.range.start.line]),
      [['empty-checklist', file, lineOf('## Gate 2: Quality')]],
    );
    assert.deepEqual(
      causes('Documentation').map((c) => [c.kind, c.file, c.message]),
      [['no-checklist', file, 'no "Documentation" checklist in 07-VALIDATION.md']],
    );
    // An item is where its diagnostic is: the text of one checked without evidence, the box of an unchecked one.
    const reportedAt = (code: string) => svc.diagnose(file).find((d) => d.code === code)!.range;
    assert.deepEqual(
      causes('Testing').map((c) => [c.kind, c.range, c.message]),
      [
        [
          'no-evidence',
          { start: { line: lineOf('Tests pass'), character: '- [x] '.length }, end: { line: lineOf('Tests pass'), character: '- [x] Tests pass'.length } },
          'Checked without evidence: Tests pass',
        ],
      ],
    );
    assert.deepEqual(causes('Testing')[0].range, reportedAt('gate-item-no-evidence'));
    assert.deepEqual(
      causes('Review').map((c) => [c.kind, c.range, c.message]),
      [
        [
          'unchecked-item',
          { start: { line: lineOf('Peer review completed'), character: 2 }, end: { line: lineOf('Peer review completed'), character: 5 } },
          'Unchecked: Peer review completed',
        ],
      ],
    );
    assert.deepEqual(causes('Review')[0].range, reportedAt('gate-item-unchecked'));
    // Passed, or no such gate: nothing.
    assert.equal(gates.find((g) => g.name === 'Approval')!.status, 'passed');
    assert.deepEqual(causes('Approval'), []);
    assert.deepEqual(causes('No such gate'), []);
    // Every gate not passed leads somewhere; the causes do not change the gate results.
    for (const g of gates) assert.equal(causes(g.name).length > 0, g.status !== 'passed', g.name);
    assert.equal(svc.gates(phase), gates);
  });

  it('names the document a gate waits for: an audit phase without its checklist, an iAI phase without its response', async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Brief\n',
      'workstreams/Build/Phase_1_CI/implementation_prompt.md': '# Build Phase 1: CI — Implementation Prompt\n',
    });
    const audit = svc.findPhase('phase-1')!;
    assert.deepEqual(
      gateCauses(svc, audit, 'Review').map((c) => [c.kind, c.file]),
      [['missing-document', `${ROOT}/phase-1/07-VALIDATION.md`]],
    );
    const iai = svc.findPhase('Build/Phase_1_CI')!;
    const proof = gateCauses(svc, iai, 'Proof');
    assert.deepEqual(proof.at(-1), {
      kind: 'missing-document',
      file: `${ROOT}/workstreams/Build/Phase_1_CI/implementation_response_from_AI.md`,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: 'implementation_response_from_AI.md not written yet',
    });
  });
});

describe('gate causes: a gate held by thousands of things', () => {
  it('lists the first of each reason, in order, and leaves the count to the whole list', async () => {
    // 3,000 unchecked items, then two checked without evidence: the flood of one reason comes first.
    const items = Array.from({ length: 3000 }, (_, i) => `- [ ] Item ${i}`);
    const validation = ['# Phase 1 Validation', '', '## Gate 5: Review', '', ...items, '- [x] Late one', '- [x] Later one', ''].join('\n');
    const { svc } = await workspace({ 'phase-1/07-VALIDATION.md': validation });
    const phase = svc.findPhase('phase-1')!;
    const all = gateCauses(svc, phase, 'Review');
    assert.equal(all.length, 3002);
    assert.deepEqual(svc.gates(phase).find((g) => g.name === 'Review')!.reasons, ['3000 items unchecked', '2 items without evidence']);
    const listed = listedCauses(all);
    assert.equal(CAUSES_PER_REASON, 50);
    assert.deepEqual(
      listed.map((c) => c.message),
      [...items.slice(0, 50).map((t) => `Unchecked: ${t.slice('- [ ] '.length)}`), 'Checked without evidence: Late one', 'Checked without evidence: Later one'],
    );
    // Diagnostics are counted by rule, as the reasons are: a flood of broken links keeps another rule's error listed.
    const links = Array.from({ length: 200 }, (_, i) => `See [x](missing-${i}.md).`).join('\n\n');
    const { svc: svc2 } = await workspace({ 'phase-1/05-DECISIONS.md': `# Decisions\n\n${links}\n`, 'phase-1/07-VALIDATION.md': '---\nstatus: [\n---\n# V\n' });
    const p2 = svc2.findPhase('phase-1')!;
    const docs = gateCauses(svc2, p2, 'Documentation');
    const codes = (cs: readonly { code?: string }[]) => [...new Set(cs.map((c) => c.code))].map((code) => [code, cs.filter((c) => c.code === code).length]);
    assert.deepEqual(codes(docs), [
      ['broken-link', 200],
      ['invalid-front-matter', 1],
    ]);
    assert.deepEqual(codes(listedCauses(docs)), [
      ['broken-link', 50],
      ['invalid-front-matter', 1],
    ]);
    // Few enough: all of them.
    assert.deepEqual(listedCauses(all.slice(0, 40)), all.slice(0, 40));
  });
});
