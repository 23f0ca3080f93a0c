import * as assert from 'node:assert/strict';
import { workspace, diagnosticsOf, ROOT } from '../helpers/workspace';
import { applyEdits, basename, codeActions, parseDocument, range } from '../../server/src/service';

const brief = (body: string) => `# Phase 1: Foundation Audit\n\n${body}`;
const fullBrief = brief('## Objectives\n\nAudit.\n\n## Scope\n\nAll.\n\n## Deliverables\n\n- Report\n\n## Risks\n\n- Risk: late - start early\n');

describe('structure rules', () => {
  it('detects an audit phase with zero configuration and reports missing documents on its anchor', async () => {
    const { svc } = await workspace({ 'audit/phase-1/00-PHASE_BRIEF.md': fullBrief });
    assert.equal(svc.model.phases.length, 1);
    assert.equal(svc.model.phases[0].id, 'phase-1');
    assert.equal(svc.model.phases[0].layout.name, 'audit');
    const missing = diagnosticsOf(svc, 'audit/phase-1/00-PHASE_BRIEF.md', 'missing-document');
    assert.deepEqual(
      missing.map((d) => d.data?.file),
      ['01-INPUT_HANDOFF.md', '02-EXECUTION_PLAN.md', '05-DECISIONS.md', '06-OUTPUT_HANDOFF.md', '07-VALIDATION.md'].map((f) => `${ROOT}/audit/phase-1/${f}`),
    );
    assert.deepEqual(
      diagnosticsOf(svc, 'audit/phase-1/00-PHASE_BRIEF.md', 'missing-folder').map((d) => d.message),
      [
        'phase-1 has no 03-FINDINGS/ folder, for audit findings and analysis.',
        'phase-1 has no 04-ARTIFACTS/ folder, for generated artifacts (configs, scripts).',
      ],
    );
  });

  it('reports a document the phase has not come to yet (after its last one written) as a warning, one missing before it as an error', async () => {
    const sev = (svc: Awaited<ReturnType<typeof workspace>>['svc'], at: string) =>
      diagnosticsOf(svc, at, 'missing-document').map((d) => [basename(String(d.data?.file)), d.severity, d.data?.fix]);
    // An audit phase at its execution plan: what comes after is pending; the phase is in progress, not blocked.
    const early = await workspace({
      // The documents' own sections aside: only what the missing documents do to the gates is asked here.
      'phasegate.yaml': 'rules:\n  missing-section: off\n  empty-section: off\n  missing-folder: off\n',
      'phase-1/00-PHASE_BRIEF.md': fullBrief,
      'phase-1/01-INPUT_HANDOFF.md': '# Phase 1 Input Handoff\n',
      'phase-1/02-EXECUTION_PLAN.md': '# Phase 1 Execution Plan\n',
    });
    assert.deepEqual(sev(early.svc, 'phase-1/00-PHASE_BRIEF.md'), [
      ['05-DECISIONS.md', 'warning', 'create-document'],
      ['06-OUTPUT_HANDOFF.md', 'warning', 'create-document'],
      ['07-VALIDATION.md', 'warning', 'create-document'],
    ]);
    assert.match(diagnosticsOf(early.svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-document')[0].message, /has no decisions \(05-DECISIONS\.md\) yet\.$/);
    const phase = early.svc.model.phases[0];
    assert.equal(early.svc.gates(phase).find((g) => g.name === 'Completeness')!.status, 'pending');
    assert.equal(early.svc.status(phase), 'in-progress');
    // A phase with a finding written is under way too, though its documents after the brief are not.
    const finding = await workspace({ 'phase-1/00-PHASE_BRIEF.md': fullBrief, 'phase-1/03-FINDINGS/scan.md': '# Scan\n' });
    assert.equal(finding.svc.status(finding.svc.model.phases[0]), 'in-progress');
    const briefOnly = await workspace({ 'phase-1/00-PHASE_BRIEF.md': fullBrief });
    assert.equal(briefOnly.svc.status(briefOnly.svc.model.phases[0]), 'not-started');
    // An optional document written last says nothing of how far the phase is: the required one before it is still to come.
    const custom = await workspace({
      'phasegate.yaml':
        'layouts:\n  - name: sprint\n    phases: "sprints/*"\n    documents:\n      - kind: goals\n        file: GOALS.md\n      - kind: review\n        file: REVIEW.md\n      - kind: notes\n        file: NOTES.md\n        required: false\n',
      'sprints/sprint-1/GOALS.md': '# Goals\n',
      'sprints/sprint-1/NOTES.md': '# Notes\n',
    });
    assert.deepEqual(
      sev(custom.svc, 'sprints/sprint-1/GOALS.md').map(([f, s]) => [f, s]),
      [['REVIEW.md', 'warning']],
    );
    // A gap before a document written is an error: the phase claims to be further along than it is.
    const gap = await workspace({ 'phase-1/00-PHASE_BRIEF.md': fullBrief, 'phase-1/07-VALIDATION.md': '# Phase 1 Validation\n' });
    assert.deepEqual(
      sev(gap.svc, 'phase-1/00-PHASE_BRIEF.md').map(([f, s]) => [f, s]),
      ['01-INPUT_HANDOFF.md', '02-EXECUTION_PLAN.md', '05-DECISIONS.md', '06-OUTPUT_HANDOFF.md'].map((f) => [f, 'error']),
    );
    assert.equal(gap.svc.status(gap.svc.model.phases[0]), 'blocked');
    // An iAI prompt awaiting its response; set to error in phasegate.yaml, every missing document is one.
    const prompt = 'workstreams/Build/Phase_1_CI/implementation_prompt.md';
    const iai = await workspace({ [prompt]: '# Phase 1: CI\n' });
    assert.deepEqual(
      sev(iai.svc, prompt).map(([f, s]) => [f, s]),
      [['implementation_response_from_AI.md', 'warning']],
    );
    const strict = await workspace({ 'phasegate.yaml': 'rules:\n  missing-document: error\n', [prompt]: '# Phase 1: CI\n' });
    assert.deepEqual(
      sev(strict.svc, prompt).map(([f, s]) => [f, s]),
      [['implementation_response_from_AI.md', 'error']],
    );
  });

  it("a custom layout's phase with only its brief or prompt written is not started, though its layout requires nothing else", async () => {
    const review = '    gates:\n      - name: Review\n        failOn: [broken-link]\n';
    for (const [kind, gates] of [
      ['brief', ''],
      ['prompt', ''],
      ['brief', review],
    ]) {
      const { svc } = await workspace({
        'phasegate.yaml': `rules:\n  missing-section: off\nlayouts:\n  - name: sprint\n    phases: "sprints/*"\n    documents:\n      - kind: ${kind}\n        file: GOALS.md\n${gates}`,
        'sprints/sprint-1/GOALS.md': '# Sprint 1 Goals\n\nShip the login page.\n',
        'sprints/sprint-2/GOALS.md': '# Sprint 2 Goals\n\nShip the logout page.\n',
        'sprints/sprint-2/NOTES.md': '# Notes\n\nShipped.\n',
      });
      const what = `${kind}${gates ? ', a gate' : ''}`;
      const [one, two] = [svc.findPhase('sprints/sprint-1')!, svc.findPhase('sprints/sprint-2')!];
      assert.deepEqual(
        svc.gates(one).map((g) => g.status),
        gates ? ['passed'] : [],
        what,
      );
      assert.equal(svc.status(one), 'not-started', what);
      // Another document written in the phase folder starts it: then complete.
      assert.equal(svc.status(two), 'complete', what);
    }
  });

  it('passes a brief with every required section and reports none of the section rules', async () => {
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': fullBrief });
    for (const code of ['missing-section', 'empty-section', 'section-order', 'heading-mismatch']) {
      assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', code), [], code);
    }
  });

  it('counts gate checklists headed by the gate name alone, or numbered, as the Gate N: Name sections', async () => {
    const gates = ['Completeness', 'Quality', 'Documentation', 'Testing', 'Review', 'Approval'];
    const checklist = (heading: (g: string, i: number) => string) =>
      `# Phase 1 Validation\n\n${gates.map((g, i) => `## ${heading(g, i)}\n\n- [x] Done: [evidence](00-PHASE_BRIEF.md)\n`).join('\n')}\n## Success Metrics\n\n| Metric | Target | Actual |\n|---|---|---|\n| Code coverage | > 80% | 85% |\n`;
    for (const heading of [(g: string) => g, (g: string, i: number) => `${i + 1}. ${g}`, (g: string, i: number) => `Gate ${i + 1}: ${g}`]) {
      const text = checklist(heading);
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': fullBrief, 'phase-1/07-VALIDATION.md': text });
      assert.deepEqual(diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'missing-section'), [], text);
      assert.deepEqual(diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'section-order'), [], text);
      // The gates find the same checklists.
      const phase = svc.findPhase('phase-1')!;
      assert.deepEqual(
        svc.gates(phase).map((g) => g.line),
        gates.map((g) => text.split('\n').findIndex((l) => l.startsWith('## ') && l.endsWith(g))),
      );
    }
    // Another heading is still missing its section.
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': fullBrief,
      'phase-1/07-VALIDATION.md': checklist((g) => (g === 'Review' ? 'Peer feedback' : g)),
    });
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'missing-section').map((d) => d.message),
      ['Missing section "## Gate 5: Review".'],
    );
  });

  it('takes a validation of the six gates alone, without Success Metrics, as complete (metrics are set per group of phases)', async () => {
    const gates = ['Completeness', 'Quality', 'Documentation', 'Testing', 'Review', 'Approval'];
    const text = `# Phase 1 Validation\n\n${gates.map((g, i) => `## Gate ${i + 1}: ${g}\n\n- [x] Done: [evidence](00-PHASE_BRIEF.md)\n`).join('\n')}`;
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': fullBrief, 'phase-1/07-VALIDATION.md': text });
    assert.deepEqual(diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'missing-section'), []);
    // Every gate passes but Completeness, which waits on the documents this phase has not written yet.
    const result = svc.gates(svc.findPhase('phase-1')!);
    assert.deepEqual(
      result.map((g) => [g.name, g.status]),
      gates.map((g) => [g, g === 'Completeness' ? 'failed' : 'passed']),
    );
    assert.ok(!result[0].reasons.some((r) => /missing-section/.test(r)), result[0].reasons.join('; '));
  });

  it('finds a required section by its own title, not by one that ends with it; a gate checklist also by its last words', async () => {
    const outOfScope = fullBrief.replace('## Scope', '## Out of Scope');
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': outOfScope,
      'phase-1/07-VALIDATION.md': fullBrief
        .replace(/^# .*/, '# Phase 1 Validation')
        .replace(
          /## (Objectives|Scope|Deliverables|Risks)/g,
          (_m, t: string) =>
            `## ${({ Objectives: 'Completeness', Scope: 'Quality', Deliverables: 'Peer Review', Risks: 'Approval' } as Record<string, string>)[t]}`,
        ),
    });
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-section').map((d) => d.message),
      ['Missing section "## Scope".'],
    );
    // `## Peer Review` is the Review gate's checklist, as the gate evaluation reads it.
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'missing-section').map((d) => d.message),
      ['Missing section "## Gate 3: Documentation".', 'Missing section "## Gate 4: Testing".'],
    );
  });

  it('reports a missing section and inserts it from the template, idempotently', async () => {
    const text = brief('## Objectives\n\nAudit.\n\n## Deliverables\n\n- Report\n\n## Risks\n\n- Risk: late - start early\n');
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': text });
    const [d] = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-section');
    assert.match(d.message, /Scope/);
    const [action] = codeActions(svc, [d]);
    const fixed = applyEdits(text, action.change.edits[0].edits);
    assert.match(fixed, /## Objectives\n\nAudit.\n\n## Scope\n\n[^\n]+\n\n## Deliverables/);
    svc.setOverlay(`${ROOT}/phase-1/00-PHASE_BRIEF.md`, fixed);
    assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-section'), []);
  });

  it('inserts a missing section after a setext title, not between its text and its underline', async () => {
    const text = 'Phase 1: Foundation\n===================\n\nThis phase audits the code base.\n';
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': text });
    const doc = svc.getDocument(`${ROOT}/phase-1/00-PHASE_BRIEF.md`)!;
    assert.deepEqual([doc.headings[0].line, doc.headings[0].endLine], [0, 1]);
    const ds = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-section');
    const objectives = ds.find((d) => /Objectives/.test(d.message))!;
    const fixed = applyEdits(text, codeActions(svc, [objectives])[0].change.edits[0].edits);
    assert.match(fixed, /^Phase 1: Foundation\n===================\n\n## Objectives\n/);
    svc.setOverlay(`${ROOT}/phase-1/00-PHASE_BRIEF.md`, fixed);
    const after = svc.getDocument(`${ROOT}/phase-1/00-PHASE_BRIEF.md`)!;
    assert.deepEqual(
      after.headings.map((h) => [h.level, h.text]),
      [
        [1, 'Phase 1: Foundation'],
        [2, 'Objectives'],
      ],
    );
    // A setext section's underline is no part of its body: with nothing under it, it is empty.
    const setext = brief('Objectives\n----------\n\n## Scope\n\nAll.\n\n## Deliverables\n\n- Report\n\n## Risks\n\n- Risk: late - start early\n');
    svc.setOverlay(`${ROOT}/phase-1/00-PHASE_BRIEF.md`, setext);
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'empty-section').map((d) => d.message),
      ['Section "Objectives" is empty: What the phase sets out to achieve.'],
    );
  });

  it('tells section titles in other scripts apart, and reads an accent as the letter without it', async () => {
    const cfg =
      'layouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    documents:\n      - kind: goals\n        file: GOALS.md\n        sections: [目標, 範囲, リスク, Überblick]\n';
    const missing = async (text: string) => {
      const { svc } = await workspace({ 'phasegate.yaml': cfg, 'sprints/sprint-1/GOALS.md': text });
      return diagnosticsOf(svc, 'sprints/sprint-1/GOALS.md', 'missing-section').map((d) => d.message);
    };
    assert.deepEqual(await missing('# スプリント 1\n\n## 背景\n\nテキスト。\n\n## Overview\n\nx\n'), [
      'Missing section "## 目標".',
      'Missing section "## 範囲".',
      'Missing section "## リスク".',
      'Missing section "## Überblick".',
    ]);
    assert.deepEqual(await missing('# スプリント 1\n\n## 目標\n\nA。\n\n## 範囲\n\nB。\n\n## リスク\n\nC。\n\n## Uberblick\n\nD.\n'), []);
  });

  it("reads an indented code block of `# …` lines as a section's content, not as headings", async () => {
    const scoped = (scope: string) => fullBrief.replace('## Scope\n\nAll.\n', `## Scope\n\n${scope}\n`);
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': scoped('    # run the scanner\n    # then the linter') });
    assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'empty-section'), []);
    // Subsection headings alone, ATX or setext, are still no content.
    svc.setOverlay(`${ROOT}/phase-1/00-PHASE_BRIEF.md`, scoped('### In\n\nIncluded\n--------\n'));
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'empty-section').map((d) => d.message),
      ['Section "Scope" is empty: What is in and out of scope.'],
    );
  });

  it('reports an empty section at its heading and sections out of order', async () => {
    const text = brief('## Scope\n\nAll.\n\n## Objectives\n\n<!-- fill -->\n\n## Deliverables\n\n- Report\n\n## Risks\n\n- Risk: late - start early\n');
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': text });
    const [empty] = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'empty-section');
    assert.deepEqual(empty.range, { start: { line: 6, character: 3 }, end: { line: 6, character: 13 } });
    const [order] = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'section-order');
    assert.match(order.message, /Scope/);
  });

  it('reports a section that shows nothing written as empty: empty items and tasks, a thematic break, a non-breaking space', async () => {
    const withObjectives = (body: string) =>
      brief(`## Objectives\n\n${body}\n## Scope\n\nAll.\n\n## Deliverables\n\n- Report\n\n## Risks\n\n- Risk: late - start early\n`);
    const empty = async (body: string) => {
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': withObjectives(body) });
      return diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'empty-section').map((d) => d.range.start.line);
    };
    for (const body of ['-\n-\n', '- [ ]\n', '1.\n2.\n', '---\n', '* * *\n', '&nbsp;\n', '- <!-- the goals -->\n', '### Goals\n\n- [ ]\n'])
      assert.deepEqual(await empty(body), [2], JSON.stringify(body));
    // Something written is content: an item's text or a nested line, a paragraph after a break, a table's header.
    for (const body of ['- Audit\n', '-\n  the codebase\n', '---\n\nAudit.\n', '| Goal | Owner |\n|---|---|\n', '- [x] Audit\n'])
      assert.deepEqual(await empty(body), [], JSON.stringify(body));
  });

  it('reports a title that names another phase and fixes its numbers', async () => {
    const text = '# Phase 2: Foundation Audit\n\n## Objectives\n\nA.\n\n## Scope\n\nB.\n\n## Deliverables\n\n- C\n\n## Risks\n\n- Risk: x - y\n';
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': text });
    const [d] = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'heading-mismatch');
    assert.ok(d);
    const [a] = codeActions(svc, [d]);
    assert.equal(applyEdits(text, a.change.edits[0].edits).split('\n')[0], '# Phase 1: Foundation Audit');
  });

  it("reads a title's phase number where the kind's heading puts it: other numbers are left alone", async () => {
    const body = '\n\n## Objectives\n\nA.\n\n## Scope\n\nB.\n\n## Deliverables\n\n- C\n\n## Risks\n\n- Risk: x - y\n';
    // Its own phase, after a quarter, a year or a sprint; or no phase named at all.
    for (const title of ['# Q3 2024 Phase 1: Foundation', '# 2024 Roadmap — Phase 1', '# Sprint 7 / Phase 1', '# Phase One: Foundation', '# Foundation']) {
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': title + body });
      assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'heading-mismatch'), [], title);
    }
    // Another phase: only its number is renumbered.
    for (const [title, fixed] of [
      ['# Q3 2024 Phase 2: Foundation', '# Q3 2024 Phase 1: Foundation'],
      ['# Sprint 7 / phase 3', '# Sprint 7 / phase 1'],
    ]) {
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': title + body });
      const ds = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'heading-mismatch');
      assert.equal(ds.length, 1, title);
      const [a] = codeActions(svc, ds);
      assert.equal(applyEdits(title + body, a.change.edits[0].edits).split('\n')[0], fixed);
    }
    // Both numbers of a handoff's title, by their words.
    const handoff = '# 2024 Phase 3 → Phase 5 Handoff\n';
    const { svc } = await workspace({ 'phase-1/06-OUTPUT_HANDOFF.md': handoff });
    const ds = diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'heading-mismatch');
    assert.equal(ds.length, 1);
    assert.equal(applyEdits(handoff, codeActions(svc, ds)[0].change.edits[0].edits), '# 2024 Phase 1 → Phase 2 Handoff\n');
  });

  it("reports an iAI prompt's or response's title that names another phase, read after its workstream, and fixes its number", async () => {
    const prompt = '# Build Phase 2: Advanced CI — Implementation Prompt\n';
    const response = '# Build Phase 1: Advanced CI — Implementation Response\n';
    const at = 'workstreams/Build/Phase_1_Advanced_CI';
    const { svc } = await workspace({ [`${at}/implementation_prompt.md`]: prompt, [`${at}/implementation_response_from_AI.md`]: response });
    const ds = diagnosticsOf(svc, `${at}/implementation_prompt.md`, 'heading-mismatch');
    assert.deepEqual(
      ds.map((d) => [d.range, d.message]),
      [[range(0, 2, 0, prompt.length - 1), 'Title should read "Phase 1:…" in Phase_1_Advanced_CI.']],
    );
    assert.equal(applyEdits(prompt, codeActions(svc, ds)[0].change.edits[0].edits), '# Build Phase 1: Advanced CI — Implementation Prompt\n');
    assert.deepEqual(diagnosticsOf(svc, `${at}/implementation_response_from_AI.md`, 'heading-mismatch'), []);
    // A title that does not hold the heading's words (`Phase 1:`) is named as the fix writes it, not as `Phase 1:…`,
    // which would read as dropping its `Response`.
    const titled = '# Phase 2 Response: Advanced CI\n';
    const { svc: other } = await workspace({
      [`${at}/implementation_prompt.md`]: '# Phase 1: Advanced CI\n',
      [`${at}/implementation_response_from_AI.md`]: titled,
    });
    const od = diagnosticsOf(other, `${at}/implementation_response_from_AI.md`, 'heading-mismatch');
    assert.deepEqual(
      od.map((d) => d.message),
      ['Title should read "Phase 1 Response: Advanced CI" in Phase_1_Advanced_CI.'],
    );
    assert.equal(applyEdits(titled, codeActions(other, od)[0].change.edits[0].edits), '# Phase 1 Response: Advanced CI\n');
    // A title without `Phase N` names no phase.
    const { svc: plain } = await workspace({ [`${at}/implementation_prompt.md`]: '# Advanced CI (iAI Prompt-Driven)\n' });
    assert.deepEqual(diagnosticsOf(plain, `${at}/implementation_prompt.md`, 'heading-mismatch'), []);
  });

  it("reports front matter whose phase names another phase, on its value, and names the document's own", async () => {
    const fm = (v: string) => `---\nphase: ${v}\ntitle: Foundation\n---\n\n${fullBrief}`;
    const files = (v: string) => ({
      'audit/phase-1/00-PHASE_BRIEF.md': fm(v),
      'audit/phase-2/00-PHASE_BRIEF.md': fullBrief.replace('Phase 1', 'Phase 2'),
      'p/workstreams/Build/Phase_1_CI/implementation_prompt.md': '# Phase 1: CI\n',
    });
    // A number keeps its style: as a number, or after the same word (was: `phase-1` for each).
    for (const [v, fixed, named] of [
      ['3', '1', 'phase 3'],
      ['phase-2', 'phase-1', 'phase-2'],
      ['"Phase 2"', '"Phase 1"', 'Phase 2'],
      ['Phase 2', 'Phase 1', 'Phase 2'],
      ['phase_7', 'phase_1', 'phase_7'],
      ['Build/Phase_1_CI', 'phase-1', 'Build/Phase_1_CI'],
    ]) {
      const { svc } = await workspace(files(v));
      const ds = diagnosticsOf(svc, 'audit/phase-1/00-PHASE_BRIEF.md', 'heading-mismatch');
      assert.equal(ds.length, 1, v);
      assert.deepEqual(ds[0].range, range(1, 7, 1, 7 + v.length), v);
      assert.equal(ds[0].message, `Front matter names ${named}, but the document is in phase-1: \`phase\` should be ${fixed.replace(/"/g, '')}.`);
      const [a] = codeActions(svc, ds);
      const after = applyEdits(fm(v), a.change.edits[0].edits);
      assert.equal(after.split('\n')[1], `phase: ${fixed}`, v);
      svc.setOverlay(`${ROOT}/audit/phase-1/00-PHASE_BRIEF.md`, after);
      assert.deepEqual(diagnosticsOf(svc, 'audit/phase-1/00-PHASE_BRIEF.md', 'heading-mismatch'), [], v);
    }
    // Its own phase, however written, and values that name no phase: nothing to say.
    for (const v of ['1', 'phase-1', 'Phase 1', '"PHASE-1"', 'audit/phase-1', 'foundation']) {
      const { svc } = await workspace(files(v));
      assert.deepEqual(diagnosticsOf(svc, 'audit/phase-1/00-PHASE_BRIEF.md', 'heading-mismatch'), [], v);
    }
  });

  it('the fix of a front matter phase keeps the width of its number: `Phase-02` is `Phase-03` in phase 3, as in a folder phase-03', async () => {
    const fm = (v: string, key = 'phase') => `---\n${key}: ${v}\ntitle: Foundation\n---\n\n${fullBrief}`;
    for (const [folder, key, v, fixed] of [
      ['phase-3', 'phase', 'Phase-02', 'Phase-03'],
      ['phase-3', 'phase', '"phase-02"', '"phase-03"'],
      ['phase-3', 'phase', '02', '03'],
      ['phase-3', 'phase', 'Phase-12', 'Phase-3'],
      ['phase-03', 'phase', 'phase-02', 'phase-03'],
      ['phase-03', 'phase', 'phase-2', 'phase-3'],
      ['phase-03', 'from', 'phase-01', 'phase-02'],
    ]) {
      const file = `${folder}/${key === 'from' ? '01-INPUT_HANDOFF.md' : '00-PHASE_BRIEF.md'}`;
      const { svc } = await workspace({ 'phase-02/00-PHASE_BRIEF.md': fullBrief.replace('Phase 1', 'Phase 2'), [file]: fm(v, key) });
      const ds = diagnosticsOf(svc, file, 'heading-mismatch').filter((d) => d.range.start.line === 1);
      assert.equal(ds.length, 1, v);
      assert.ok(ds[0].message.endsWith(`\`${key}\` should be ${fixed.replace(/"/g, '')}.`), ds[0].message);
      const after = applyEdits(fm(v, key), codeActions(svc, ds)[0].change.edits[0].edits);
      assert.equal(after.split('\n')[1], `${key}: ${fixed}`, v);
      svc.setOverlay(`${ROOT}/${file}`, after);
      assert.deepEqual(
        diagnosticsOf(svc, file, 'heading-mismatch').filter((d) => d.range.start.line === 1),
        [],
        v,
      );
    }
  });

  it('a phase that misses a required document is not complete, even when its layout has no gate for it', async () => {
    const cfg = [
      'layouts:',
      '  - name: sprint',
      '    phases: "sprints/sprint-*"',
      "    number: 'sprint-(\\d+)'",
      '    documents:',
      '      - kind: brief',
      '        file: GOALS.md',
      '        sections: [Objectives]',
      '      - kind: notes',
      '        file: NOTES.md',
      '        required: false',
      '    gates:',
      '      - name: Review',
      '        failOn: [missing-section]',
    ].join('\n');
    const { svc } = await workspace({
      'phasegate.yaml': cfg,
      'sprints/sprint-1/NOTES.md': '# Sprint 1 notes\n',
      'sprints/sprint-2/GOALS.md': '# Sprint 2\n\n## Objectives\n\nShip.\n',
      // Started (a phase with its brief alone is not), without its optional NOTES.md.
      'sprints/sprint-2/RETRO.md': '# Sprint 2 retro\n\nShipped.\n',
    });
    assert.deepEqual(svc.config.problems, []);
    const s1 = svc.findPhase('sprints/sprint-1')!;
    // Its gate, which has no checklist, waits for the documents it would judge (it passed on nothing).
    assert.deepEqual(
      svc.gates(s1).map((g) => [g.status, g.reasons]),
      [['pending', ['GOALS.md not written yet']]],
    );
    assert.equal(svc.status(s1), 'in-progress');
    // Its optional document missing does not hold a phase back.
    assert.equal(svc.status(svc.findPhase('sprints/sprint-2')!), 'complete');
  });

  it("a custom layout's gate whose checklist has no checkbox items stays pending, as its gate-item-unchecked warning says", async () => {
    const cfg = [
      'layouts:',
      '  - name: mission',
      '    phases: "missions/*"',
      '    documents:',
      '      - kind: validation',
      '        file: QA.md',
      '        sections: [Go/No-Go]',
      '    gates:',
      '      - name: Go/No-Go',
      '',
    ].join('\n');
    const qa = (body: string) => `# Mission 1 QA\n\n## Go/No-Go\n\n${body}\n`;
    let { svc } = await workspace({ 'phasegate.yaml': cfg, 'missions/m-1/QA.md': qa('All systems checked.') });
    const phase = () => svc.findPhase('missions/m-1')!;
    assert.deepEqual(svc.config.problems, []);
    assert.match(diagnosticsOf(svc, 'missions/m-1/QA.md', 'gate-item-unchecked')[0]?.message ?? '', /stays pending/);
    assert.deepEqual(
      svc.gates(phase()).map((g) => g.status),
      ['pending'],
    );
    assert.notEqual(svc.status(phase()), 'complete');
    // With its item checked and its evidence: passed.
    ({ svc } = await workspace({ 'phasegate.yaml': cfg, 'missions/m-1/QA.md': qa('- [x] All systems checked - Evidence: `QA.md`') }));
    assert.deepEqual(
      svc.gates(phase()).map((g) => g.status),
      ['passed'],
    );
  });

  it('offers to create a missing document from its template', async () => {
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': fullBrief });
    const d = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-document').find((x) => String(x.data?.file).endsWith('07-VALIDATION.md'))!;
    const [a] = codeActions(svc, [d]);
    assert.equal(a.change.creates[0].file, `${ROOT}/phase-1/07-VALIDATION.md`);
    assert.match(a.change.creates[0].text, /Completeness/);
  });

  it('detects the iAI layout under workstreams/<Workstream>/<Phase>/', async () => {
    const { svc } = await workspace({
      'proj/workstreams/Build/Phase_1_CI/implementation_prompt.md': '# Phase 1\n',
      'proj/workstreams/Build/Phase_2_Deps/implementation_prompt.md': '# Phase 2\n',
    });
    assert.deepEqual(
      svc.model.phases.map((p) => [p.id, p.layout.name, p.number, p.workstream]),
      [
        ['Build/Phase_1_CI', 'iai', 1, 'Build'],
        ['Build/Phase_2_Deps', 'iai', 2, 'Build'],
      ],
    );
    assert.equal(svc.model.phases[0].next, svc.model.phases[1]);
  });

  it('numbers an iAI phase folder only by a name that starts as one (Phase_3_…, phase-4, PHASE 5, phase6), not by a "phase2" further in', async () => {
    const { svc } = await workspace({
      'proj/workstreams/Build/Phase_1_CI/implementation_prompt.md': '# Phase 1\n',
      'proj/workstreams/Build/Phase_3_Advanced_CI/implementation_prompt.md': '# Phase 3\n',
      'proj/workstreams/Build/phase-4/implementation_prompt.md': '# Phase 4\n',
      'proj/workstreams/Build/PHASE 5 Release/implementation_prompt.md': '# Phase 5\n',
      // A folder named as a phase is one before it holds any document.
      'proj/workstreams/Build/phase6/notes.txt': 'x',
      // Neither is phase 2: a folder of notes is no phase at all, and one holding a prompt is a phase without a number.
      'proj/workstreams/Build/Old_phase2_notes/notes.md': '# Notes\n',
      'proj/workstreams/Build/Spike_phase2/implementation_prompt.md': '# Spike\n',
      // Nor is a hotfix between phases 3 and 4 phase 3: its number is no whole number.
      'proj/workstreams/Build/Phase_3.5_Hotfix/implementation_prompt.md': '# Hotfix\n',
    });
    assert.deepEqual(
      svc.model.phases.map((p) => [basename(p.folder), p.number]),
      [
        ['Phase_1_CI', 1],
        ['Phase_3_Advanced_CI', 3],
        ['phase-4', 4],
        ['PHASE 5 Release', 5],
        ['phase6', 6],
        ['Phase_3.5_Hotfix', undefined],
        ['Spike_phase2', undefined],
      ],
    );
    assert.deepEqual(
      svc.diagnoseAll().filter((d) => d.code === 'phase-numbering-duplicate'),
      [],
    );
    assert.equal(svc.model.phases[0].next, undefined, 'phase 1 has no phase 2 after it');
    const gap = diagnosticsOf(svc, 'proj/workstreams/Build/Phase_3_Advanced_CI/implementation_prompt.md', 'phase-numbering-gap');
    assert.deepEqual(
      gap.map((d) => d.message),
      ['Phase numbering skips from 1 to 3 in workstream Build: phase 2 is missing.'],
    );
    assert.deepEqual(
      svc.diagnoseAll().filter((d) => d.file.includes('Old_phase2_notes')),
      [],
      'a folder that is no phase is not checked',
    );
  });
});

describe('phase folders without documents', () => {
  it('carry their missing-document diagnostics on the folder itself', async () => {
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': '# Phase 1: A\n', 'phase-2/04-ARTIFACTS/a.txt': 'x' });
    const folder = `${ROOT}/phase-2`;
    const diags = svc.diagnoseAll().filter((d) => d.file === folder);
    assert.ok(
      diags.some((d) => d.code === 'missing-document' && /phase brief/.test(d.message)),
      JSON.stringify(diags),
    );
  });
});

describe('HTML comments in headings', () => {
  it('are no part of the heading text, nor of its range', () => {
    const doc = parseDocument(
      [
        '## Scope <!-- phasegate-disable-line section-order -->',
        '## <!-- a --> Gate 5: <!-- b --> Review <!-- c --> <!-- d --> ##',
        '## The `<!-- marker -->` and \\<!-- escaped -->',
        '## Open <!-- not closed',
        'Setext <!-- note -->',
        '======',
      ].join('\n'),
    );
    assert.deepEqual(
      doc.headings.map((h) => h.text),
      ['Scope', 'Gate 5: Review', 'The `<!-- marker -->` and \\<!-- escaped -->', 'Open <!-- not closed', 'Setext'],
    );
    assert.deepEqual(
      doc.headings.map((h) => doc.lines[h.line].slice(h.textRange.start.character, h.textRange.end.character)),
      ['Scope', 'Gate 5: <!-- b --> Review', 'The `<!-- marker -->` and \\<!-- escaped -->', 'Open <!-- not closed', 'Setext'],
    );
    assert.deepEqual(
      doc.sections.map((s) => s.key),
      ['scope', 'gate # review', 'the marker and escaped', 'open not closed', 'setext'],
    );
  });

  it('leave the section found, the gate named as it is, and a title fixed without them', async () => {
    const text = brief(
      '## Objectives\n\nAudit.\n\n## Scope <!-- phasegate-disable-line section-order -->\n\nAll.\n\n## Deliverables\n\n- Report\n\n## Risks\n\n- Risk: late - start early\n',
    );
    const validation = '# Phase 1 Validation\n\n## Gate 5: Review <!-- note -->\n\n- [ ] Peer review done\n';
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': text, 'phase-1/07-VALIDATION.md': validation });
    assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-section'), []);
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'gate-item-unchecked').map((d) => d.message),
      ['Review gate: "Peer review done" is not checked.'],
    );
    const review = svc.gates(svc.findPhase('phase-1')!).find((g) => g.name === 'Review')!;
    assert.equal(review.line, 2);
    // The title's fix renumbers the title, not the comment after it.
    const titled = text.replace('# Phase 1: Foundation Audit', '# Phase 2: Foundation Audit <!-- was phase 2 -->');
    svc.setOverlay(`${ROOT}/phase-1/00-PHASE_BRIEF.md`, titled);
    const [d] = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'heading-mismatch');
    assert.deepEqual(d.range, range(0, 2, 0, 27));
    const [a] = codeActions(svc, [d]);
    assert.equal(applyEdits(titled, a.change.edits[0].edits).split('\n')[0], '# Phase 1: Foundation Audit <!-- was phase 2 -->');
  });
});
