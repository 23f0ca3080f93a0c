/** Which section is a gate's checklist in a custom layout, and the status of a phase of a layout without gates. */
import * as assert from 'node:assert/strict';
import { gateCauses, ungatedErrors } from '../../server/src/service/gates';
import { ROOT, diagnosticsOf, workspace } from '../helpers/workspace';
import { applyEdits, codeActions, fixAll } from '../../server/src/service';

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

  it("leaves an unchecked item that still holds the template's placeholder to unfilled-placeholder, the gate pending as before", async () => {
    const review = '# Review\n\n## Review\n\n- [ ] Peer review completed by [Reviewer] — Evidence: [Evidence]\n- [ ] Security review done\n';
    const files = (config = '') => ({
      'phasegate.yaml': layout(REVIEW_GATE) + config,
      'sprints/sprint-1/GOALS.md': '# Sprint 1\n',
      'sprints/sprint-1/REVIEW.md': review,
    });
    const lines = (svc: Awaited<ReturnType<typeof workspace>>['svc'], code: string) =>
      diagnosticsOf(svc, 'sprints/sprint-1/REVIEW.md', code).map((d) => [d.range.start.line, d.severity]);
    const { svc } = await workspace(files());
    // One problem a line: the placeholders on the first item (what to write), the box on the second (what to tick).
    assert.deepEqual(lines(svc, 'gate-item-unchecked'), [[5, 'warning']]);
    assert.deepEqual(lines(svc, 'unfilled-placeholder'), [
      [4, 'warning'],
      [4, 'warning'],
    ]);
    const [gate] = svc.gates(svc.model.phases[0]);
    assert.equal(gate.status, 'pending');
    assert.deepEqual(gate.reasons, ['2 items unchecked']);
    // Without the placeholders' rule, or with the unchecked item the more severe, the box tells it.
    const off = await workspace(files('rules:\n  unfilled-placeholder: off\n'));
    assert.deepEqual(lines(off.svc, 'gate-item-unchecked'), [
      [4, 'warning'],
      [5, 'warning'],
    ]);
    const strict = await workspace(files('rules:\n  gate-item-unchecked: error\n'));
    assert.deepEqual(lines(strict.svc, 'gate-item-unchecked'), [
      [4, 'error'],
      [5, 'error'],
    ]);
    // A directive that silences the placeholders on the line leaves the box to tell it.
    const silenced = await workspace({
      ...files(),
      'sprints/sprint-1/REVIEW.md': review.replace('- [ ] Peer', '<!-- phasegate-disable-next-line unfilled-placeholder -->\n- [ ] Peer'),
    });
    assert.deepEqual(lines(silenced.svc, 'gate-item-unchecked'), [
      [5, 'warning'],
      [6, 'warning'],
    ]);
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

  it("takes the template's placeholder for the evidence (Evidence: [Evidence], TBD) for none: the gate stays pending", async () => {
    const review = [
      '# Review',
      '',
      '## Review',
      '',
      '- [x] Peer review completed — Evidence: [Evidence]',
      '- [x] Sign-off — Evidence: TBD',
      '- [x] Risks accepted — Evidence: [High] risks signed off by the CTO',
      '- [x] Tests pass — Evidence: [run](GOALS.md)',
      '',
    ].join('\n');
    const { svc } = await workspace({
      'phasegate.yaml': layout(REVIEW_GATE),
      'sprints/sprint-1/GOALS.md': '# Sprint 1\n\nGoals.\n',
      'sprints/sprint-1/REVIEW.md': review,
    });
    const [gate] = svc.gates(svc.model.phases[0]);
    assert.deepEqual(
      gate.items.map((i) => [i.line, i.evidence]),
      [
        [4, false],
        [5, false],
        [6, true],
        [7, true],
      ],
    );
    assert.equal(gate.status, 'pending');
    assert.deepEqual(
      diagnosticsOf(svc, 'sprints/sprint-1/REVIEW.md', 'gate-item-no-evidence').map((d) => d.range.start.line),
      [4, 5],
    );
  });

  it('reads an emphasized Evidence label as the label (**Evidence**: …, **Evidence:** …), and its value emphasized', async () => {
    const review = [
      '# Review',
      '',
      '## Review',
      '',
      '- [x] Stakeholder sign-off — **Evidence**: PR #12',
      '- [x] Peer review completed — **Evidence:** approved by Dana',
      '- [x] Load test run — _Evidence_: nightly run 42',
      '- [x] Tests pass — Evidence: **CI run 502**',
      '- [x] Release notes — **Evidence:** pending',
      '- [x] Backlog groomed — **Evidence**:',
      '',
    ].join('\n');
    const { svc } = await workspace({
      'phasegate.yaml': layout(REVIEW_GATE),
      'sprints/sprint-1/GOALS.md': '# Sprint 1\n\nGoals.\n',
      'sprints/sprint-1/REVIEW.md': review,
    });
    const [gate] = svc.gates(svc.model.phases[0]);
    assert.deepEqual(
      gate.items.map((i) => [i.line, i.evidence]),
      [
        [4, true],
        [5, true],
        [6, true],
        [7, true],
        [8, false],
        [9, false],
      ],
    );
    assert.deepEqual(
      diagnosticsOf(svc, 'sprints/sprint-1/REVIEW.md', 'gate-item-no-evidence').map((d) => d.range.start.line),
      [8, 9],
    );
  });

  it('takes evidence that says it is still to come (Evidence: pending, awaiting …) for none: the gate stays pending', async () => {
    const review = [
      '# Review',
      '',
      '## Review',
      '',
      '- [x] Stakeholder sign-off — Evidence: pending',
      '- [x] Peer review completed — Evidence: Awaiting review by Dana',
      '- [x] Load test run — Evidence: to follow',
      '- [x] Tests pass — Evidence: pending rerun, first run [run](GOALS.md)',
      '- [x] Release notes — Evidence: pendingreview.md reviewed by Sam',
      '- [x] Backlog groomed — Evidence: todo list `BACKLOG.md` cleared',
      '',
    ].join('\n');
    const { svc } = await workspace({
      'phasegate.yaml': layout(REVIEW_GATE),
      'sprints/sprint-1/GOALS.md': '# Sprint 1\n\nGoals.\n',
      'sprints/sprint-1/REVIEW.md': review,
    });
    const [gate] = svc.gates(svc.model.phases[0]);
    assert.deepEqual(
      gate.items.map((i) => [i.line, i.evidence]),
      [
        [4, false],
        [5, false],
        [6, false],
        [7, true],
        [8, true],
        [9, true],
      ],
    );
    assert.equal(gate.status, 'pending');
    assert.deepEqual(
      diagnosticsOf(svc, 'sprints/sprint-1/REVIEW.md', 'gate-item-no-evidence').map((d) => d.range.start.line),
      [4, 5, 6],
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

describe('audit gate checklists as the phase system design writes its gates', () => {
  const GATES = ['Completeness', 'Quality', 'Documentation', 'Testing', 'Review', 'Approval'];
  const VALIDATION = 'phase-1/07-VALIDATION.md';
  const check = async (validation: string) => {
    const { svc } = await workspace({ 'phase-1/05-DECISIONS.md': '# Phase 1 Decisions\n', [VALIDATION]: validation });
    const phase = svc.findPhase('phase-1')!;
    return { svc, phase, gates: svc.gates(phase), diags: (code?: string) => diagnosticsOf(svc, VALIDATION, code) };
  };
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));

  it('a checklist item per gate, labelled with its name in bold, is that gate’s checklist (no section missing)', async () => {
    const text = [
      '# Phase 1 Validation',
      '',
      '## Validation Gates',
      '',
      '- [x] **Completeness**: All deliverables produced — Evidence: [decisions](05-DECISIONS.md)',
      '- [x] **Quality:** Meets defined quality criteria — Evidence: [decisions](05-DECISIONS.md)',
      '3. [x] **Documentation**: All decisions documented — Evidence: [decisions](05-DECISIONS.md)',
      '4. [ ] **Testing**: Validation tests pass',
      '- [x] **Gate 5: Review** — Peer review completed',
      '- [x] **Approval** Stakeholder sign-off — Evidence: [decisions](05-DECISIONS.md)',
      '',
      '## Success Metrics',
      '',
      '| Metric | Target | Actual |',
      '|---|---|---|',
      '| Code coverage | > 80% | 84% |',
      '',
    ].join('\n');
    const { svc, phase, gates, diags } = await check(text);
    assert.deepEqual(diags('missing-section'), []);
    assert.deepEqual(
      gates.map((g) => [g.name, g.line, g.items.map((i) => [i.checked, i.evidence])]),
      GATES.map((name, k) => [name, 4 + k, [[k !== 3, k !== 3 && k !== 4]]]),
    );
    for (const g of gates) assert.match(g.file ?? '', /07-VALIDATION\.md$/);
    // Checked with evidence: the gate's checklist holds it no more. Unchecked, or without evidence: pending, reported where it is.
    const reasons = Object.fromEntries(gates.map((g) => [g.name, g.reasons.filter((r) => !/×/.test(r))]));
    assert.deepEqual(reasons.Completeness, []);
    assert.deepEqual(reasons.Testing, ['1 item unchecked']);
    assert.deepEqual(reasons.Review, ['1 item without evidence']);
    assert.deepEqual(
      diags('gate-item-unchecked').map((d) => [d.range.start.line, d.message]),
      [[lineOf(text, '**Testing**'), 'Testing gate: "**Testing**: Validation tests pass" is not checked.']],
    );
    assert.deepEqual(
      diags('gate-item-no-evidence').map((d) => d.range.start.line),
      [lineOf(text, '**Gate 5: Review**')],
    );
    assert.deepEqual(
      gateCauses(svc, phase, 'Testing').map((c) => [c.kind, c.range]),
      [['unchecked-item', diags('gate-item-unchecked')[0].range]],
    );
  });

  it('a section headed as the gate wins over an item labelled with its name; an item under a gate heading is that gate’s', async () => {
    const text = [
      '# Phase 1 Validation',
      '',
      '## Gate 1: Completeness',
      '',
      '- [x] All deliverables produced — Evidence: [decisions](05-DECISIONS.md)',
      '- [x] **Quality**: read as a Completeness item — Evidence: [decisions](05-DECISIONS.md)',
      '',
      '## Gate 5: Review',
      '',
      '- [ ] Peer review completed',
      '',
      '## Summary',
      '',
      '- [x] **Review**: Peer review completed — Evidence: [decisions](05-DECISIONS.md)',
      '',
    ].join('\n');
    const { gates, diags } = await check(text);
    const gate = (name: string) => gates.find((g) => g.name === name)!;
    assert.equal(gate('Review').line, 7);
    assert.deepEqual(gate('Review').reasons, ['1 item unchecked']);
    assert.equal(gate('Quality').file, undefined);
    assert.deepEqual(gate('Quality').reasons, ['no "Quality" checklist in 07-VALIDATION.md']);
    assert.deepEqual(gate('Completeness').items.length, 2);
    assert.ok(diags('missing-section').some((d) => d.message === 'Missing section "## Gate 2: Quality".'));
    assert.ok(!diags('missing-section').some((d) => /Review|Completeness/.test(d.message)));
  });

  it("items labelled with a gate win over a heading that only ends with its name (the seed's `### Phase 1-2 (Foundation & Testing)`)", async () => {
    const gates = ['Completeness', 'Quality', 'Documentation', 'Testing', 'Review', 'Approval'];
    const text = [
      '# Phase 1 Validation',
      '',
      '## Validation Gates',
      '',
      ...gates.map((g, i) => `${i + 1}. [x] **${g}**: done — Evidence: PR #41`),
      '',
      '## Success Metrics',
      '',
      '### Phase 1-2 (Foundation & Testing)',
      '- Code coverage: 84%',
      '',
      '## Load Testing',
      '',
      '- [ ] k6 run at 500 users',
      '',
    ].join('\n');
    const { gates: results, diags } = await check(text);
    // Each gate's checklist is its labelled item, checked with evidence (the phase's missing documents aside).
    assert.deepEqual(
      results.map((g) => [g.name, g.line, g.reasons.filter((r) => /item|checklist/.test(r))]),
      gates.map((g, i) => [g, 4 + i, []]),
    );
    assert.deepEqual(diags('gate-item-unchecked'), []);
    assert.deepEqual(diags('section-order'), []);
    assert.deepEqual(diags('missing-section'), []);
    // Without a labelled item, a heading that ends with the gate's name is its checklist, as before (one with boxes first).
    const alone = await check(text.replace(/^\d\. \[x\] \*\*Testing\*\*.*\n/m, ''));
    assert.deepEqual(
      alone.gates.filter((g) => g.name === 'Testing').map((g) => [g.line, g.reasons]),
      [[15, ['1 item unchecked']]],
    );
  });

  it('a gate heading may go on with a description: `## 2. Quality: Meets …`, `## Gate 3: Documentation — All …`', async () => {
    const text = [
      '# Phase 1 Validation',
      '',
      '## 1. Completeness - All deliverables produced',
      '',
      '- [x] All deliverables produced — Evidence: [decisions](05-DECISIONS.md)',
      '',
      '## 2. Quality: Meets defined quality criteria',
      '',
      '- [ ] Meets defined quality criteria',
      '',
      '## Gate 3: Documentation — All decisions documented',
      '',
      '- [x] All decisions documented — Evidence: [decisions](05-DECISIONS.md)',
      '',
      '## Testing notes: what ran',
      '',
      '- [x] Validation tests pass — Evidence: [decisions](05-DECISIONS.md)',
      '',
    ].join('\n');
    const { gates, diags } = await check(text);
    const gate = (name: string) => gates.find((g) => g.name === name)!;
    assert.deepEqual(
      ['Completeness', 'Quality', 'Documentation'].map((n) => gate(n).line),
      [2, 6, 10],
    );
    assert.deepEqual(gate('Quality').reasons, ['1 item unchecked']);
    assert.deepEqual(
      diags('missing-section')
        .map((d) => d.message)
        .filter((m) => /Gate/.test(m)),
      ['Missing section "## Gate 4: Testing".', 'Missing section "## Gate 5: Review".', 'Missing section "## Gate 6: Approval".'],
      'a heading whose words before the description are not a gate name is not its checklist',
    );
  });

  it('a heading ending with the gate name with checkbox items beats a description heading without (`## Peer Review` over `## Review: Comments Addressed`)', async () => {
    const text = [
      '# Phase 1 Validation',
      '',
      '## Peer Review',
      '',
      '- [x] Peer review completed — Evidence: [decisions](05-DECISIONS.md)',
      '',
      '## Review: Comments Addressed',
      '',
      '- Renamed the fixtures as asked',
      '- Split the slow tests into their own job',
      '',
    ].join('\n');
    const { gates, diags } = await check(text);
    const review = gates.find((g) => g.name === 'Review')!;
    assert.equal(review.line, 2);
    assert.deepEqual(review.reasons, []);
    assert.equal(review.status, 'passed');
    assert.ok(!diags('gate-item-unchecked').some((d) => /Review/.test(d.message)), JSON.stringify(diags('gate-item-unchecked')));
    // With boxes both, the description heading names the gate more closely than the heading that ends with it.
    const boxed = text.replace('- Renamed the fixtures as asked', '- [ ] Renamed the fixtures as asked');
    const again = (await check(boxed)).gates.find((g) => g.name === 'Review')!;
    assert.equal(again.line, 6);
    assert.deepEqual(again.reasons, ['1 item unchecked']);
  });

  it('items labelled with gate names under a `## Gate …` heading that names no gate are the gates’ checklists', async () => {
    for (const heading of ['Gate Checklist', 'Gate Status', 'Validation Gates', 'Gates']) {
      const text = [
        '# Phase 1 Validation',
        '',
        `## ${heading}`,
        '',
        ...GATES.map((g, k) => `${k + 1}. [${g === 'Testing' ? ' ' : 'x'}] **${g}**: done — Evidence: [decisions](05-DECISIONS.md)`),
        '',
      ].join('\n');
      const { gates, diags } = await check(text);
      assert.deepEqual(
        gates.map((g) => [g.name, g.line, g.reasons.filter((r) => !/×/.test(r))]),
        GATES.map((g, k) => [g, 4 + k, g === 'Testing' ? ['1 item unchecked'] : []]),
        heading,
      );
      // Success Metrics is optional in a validation (the design sets metrics per group of phases).
      assert.deepEqual(
        diags('missing-section').map((d) => d.message),
        [],
        heading,
      );
    }
  });

  it('a gate checklist without checkbox items (`- ✅ …`) is reported where status says it holds the gate', async () => {
    const text = [
      '# Phase 1 Validation',
      '',
      '## Gate 5: Review',
      '',
      'Reviewed by the team.',
      '',
      '## Gate 6: Approval',
      '',
      '- ✅ Stakeholder sign-off — Evidence: [decisions](05-DECISIONS.md)',
      '',
      '## Validation Gates',
      '',
      '- ✅ **Testing**: Validation tests pass — Evidence: [decisions](05-DECISIONS.md)',
      '',
      '## Gate 4: Documentation',
      '',
    ].join('\n');
    const { svc, phase, gates, diags } = await check(text);
    const gate = (name: string) => gates.find((g) => g.name === name)!;
    for (const name of ['Review', 'Approval', 'Testing']) {
      assert.equal(gate(name).status, 'pending', name);
      assert.ok(gate(name).reasons.includes('checklist has no checkbox items'), name);
    }
    // At the first item without a box, else (no item) at the heading.
    const reported = diags('gate-item-unchecked').sort((a, b) => a.range.start.line - b.range.start.line);
    assert.deepEqual(
      reported.map((d) => [d.severity, d.range.start.line, d.message.split(':')[0]]),
      [
        ['warning', lineOf(text, 'Gate 5: Review'), 'Review gate'],
        ['warning', lineOf(text, 'Stakeholder sign-off'), 'Approval gate'],
        ['warning', lineOf(text, '**Testing**'), 'Testing gate'],
      ],
    );
    assert.match(reported[1].message, /checklist has no checkbox items.*`- \[x\] …`/);
    // The gate's cause is where the diagnostic is; an empty checklist section is left to empty-section.
    assert.deepEqual(gateCauses(svc, phase, 'Approval').find((c) => c.kind === 'empty-checklist')?.range, reported[1].range);
    assert.deepEqual(
      diags('empty-section').map((d) => d.range.start.line),
      [lineOf(text, 'Gate 4: Documentation')],
    );
    // Its quick fix writes the boxes (`✅` is done, anything else not yet); a checklist of prose has none to offer.
    const fixes = reported.map((d) => codeActions(svc, [d]).find((a) => a.title.startsWith('Write the checklist items')));
    assert.equal(fixes[0], undefined);
    assert.ok(fixes[1]?.manual && fixes[2]?.manual);
    let fixed = applyEdits(text, fixes[1]!.change.edits[0].edits);
    fixed = applyEdits(fixed, fixes[2]!.change.edits[0].edits);
    assert.ok(fixed.includes('\n- [x] Stakeholder sign-off — Evidence:'), fixed);
    assert.ok(fixed.includes('\n- [x] **Testing**: Validation tests pass'), fixed);
    // Not part of Fix all: only the team knows what is done.
    assert.ok(!(fixAll(svc, `${ROOT}/${VALIDATION}`)?.change.edits[0]?.edits ?? []).some((e) => e.newText === '[x] '));
    const after = await check(fixed);
    assert.deepEqual(
      ['Approval', 'Testing'].map((n) => after.gates.find((g) => g.name === n)!.status),
      ['passed', 'passed'],
    );
    const undone = await check(text.replace('- ✅ Stakeholder', '- ⬜ Stakeholder').replace('- ✅ **Testing**', '- **Testing**'));
    const [approval, testing] = undone
      .diags('gate-item-unchecked')
      .filter((d) => d.data?.fix === 'add-checkboxes')
      .sort((a, b) => a.range.start.line - b.range.start.line)
      .map((d) => codeActions(undone.svc, [d])[0]);
    assert.equal(applyEdits(text.replace('- ✅ Stakeholder', '- ⬜ Stakeholder'), approval.change.edits[0].edits).includes('\n- [ ] Stakeholder'), true);
    assert.ok(applyEdits(text.replace('- ✅ **Testing**', '- **Testing**'), testing.change.edits[0].edits).includes('\n- [ ] **Testing**'));
  });
});
