import * as assert from 'node:assert/strict';
import { ROOT, workspace, diagnosticsOf } from '../helpers/workspace';
import { applyEdits, codeActions, parseDocument, planNew, shownTitle } from '../../server/src/service';
import { inlineParts, labelAt, labelSections } from '../../server/src/service/labels';
import { assertLinear } from '../helpers/linear';

/** A brief as the phase system design writes a phase's definition: bold labels, no section headings. */
const SEED_BRIEF = `# Phase 1: Foundation Audit & Baseline (Weeks 1-2)

**Input**: Current codebase
**Output**: Audit report, baseline metrics, remediation plan
**Handoff**: \`phase-1/06-OUTPUT_HANDOFF.md\`
**Scope**: the Python services under src/; the web UI is out of scope.

**Deliverables**:
- Code quality audit report
- Dependency vulnerability scan
- Technical debt inventory
`;

/** An implementation prompt as the iAI framework writes a phase: labelled list items. */
const SEED_PROMPT = `# Phase 1: Source Code Management & Initial CI Setup (iAI Prompt-Driven)

-   **Description:** Establish Git repository structure, branching strategy (e.g., GitFlow), and initial CI pipeline.
-   **Key Activities (via iAI Prompt):** Finalize Git setup, define branching model, configure CI server, integrate linters (e.g., Pylint, ESLint), basic SAST (e.g., Bandit, Snyk Code).
-   **Tests:** unit tests for the branch-name hook; an integration test of the CI workflow.
`;

const codes = (svc: Awaited<ReturnType<typeof workspace>>['svc'], file: string) => diagnosticsOf(svc, file).map((d) => d.code);

describe("documents in the seeds' own notation (bold labels for sections)", () => {
  it('reads an audit brief written as the seed defines a phase: its labels are its sections, its Deliverables list the deliverables', async () => {
    const { svc } = await workspace({
      'audit-deployment/phase-1/00-PHASE_BRIEF.md': SEED_BRIEF,
      'audit-deployment/phase-1/06-OUTPUT_HANDOFF.md':
        '# Phase 1 → Phase 2 Handoff\n\n## Phase 1 Summary\n\n- The code quality audit report and the dependency vulnerability scan are done.\n',
    });
    const brief = 'audit-deployment/phase-1/00-PHASE_BRIEF.md';
    assert.deepEqual(diagnosticsOf(svc, brief, 'missing-section'), []);
    assert.deepEqual(diagnosticsOf(svc, brief, 'empty-section'), []);
    // The deliverables under the label are the ones the output handoff must address: one is not.
    const open = diagnosticsOf(svc, 'audit-deployment/phase-1/06-OUTPUT_HANDOFF.md', 'unaddressed-deliverable');
    assert.deepEqual(
      open.map((d) => d.data?.deliverable),
      ['Technical debt inventory'],
    );
    // Without its Scope label, the brief misses its scope, which the seed asks a brief for ("objectives and scope").
    const text = SEED_BRIEF.replace(/^\*\*Scope\*\*.*\n/m, '');
    const noScope = await workspace({ 'phase-1/00-PHASE_BRIEF.md': text });
    const missing = diagnosticsOf(noScope.svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-section');
    assert.deepEqual(
      missing.map((d) => d.message),
      ['Missing section "## Scope".'],
    );
    // Its quick fix puts the section below the labels' paragraph (a heading inside it would split it), a blank line either side.
    const fixed = applyEdits(text, codeActions(noScope.svc, missing)[0].change.edits[0].edits);
    assert.match(fixed, /^\*\*Handoff\*\*: .*\n\n## Scope\n\n\[[^\]]+\]\n\n\*\*Deliverables\*\*:\n/m);
    const after = await workspace({ 'phase-1/00-PHASE_BRIEF.md': fixed });
    assert.deepEqual(diagnosticsOf(after.svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-section'), []);
  });

  it('reads an iAI prompt written as the framework defines a phase: labelled items, activities listed inline', async () => {
    const folder = 'all_use_iai_project/workstreams/Build/Phase_1_SCM';
    const { svc } = await workspace({
      [`${folder}/implementation_prompt.md`]: SEED_PROMPT,
      [`${folder}/implementation_response_from_AI.md`]:
        '# Phase 1 Response\n\n## Summary\n\nDone.\n\n## Deliverables\n\n- Git setup finalized: main and develop protected\n- Branching model defined: GitFlow\n- CI server configured: GitHub Actions\n\n## Tests\n\n- test_branch_names\n\n## Execution Proof\n\n```\n1 passed in 0.1s\n```\n',
    });
    assert.deepEqual(diagnosticsOf(svc, `${folder}/implementation_prompt.md`, 'missing-section'), []);
    // Each activity named inline is a deliverable: the two the response does not address are reported.
    assert.deepEqual(
      diagnosticsOf(svc, `${folder}/implementation_response_from_AI.md`, 'unaddressed-deliverable').map((d) => d.data?.deliverable),
      ['integrate linters (e.g., Pylint, ESLint)', 'basic SAST (e.g., Bandit, Snyk Code)'],
    );
    // The response skeleton lists the same deliverables.
    const promptOnly = await workspace({ [`${folder}/implementation_prompt.md`]: SEED_PROMPT });
    const plan = planNew(promptOnly.svc, { what: 'response', phase: 'Build/Phase_1_SCM', date: '2026-01-01' });
    const text = plan.creates[0]?.text ?? '';
    for (const d of ['Finalize Git setup', 'define branching model', 'configure CI server', 'basic SAST (e.g., Bandit, Snyk Code)'])
      assert.ok(text.includes(d), d);
  });

  it('titles a phase by a brief headed as the design heads a phase (### **Phase 3: …** (Weeks 5-6)), and its front matter fix too', async () => {
    const text = '### **Phase 3: Containerization & Packaging** (Weeks 5-6)\n**Input**: Phase 2 quality gates\n**Output**: Container images\n';
    const { svc } = await workspace({ 'phase-3/00-PHASE_BRIEF.md': text });
    assert.equal(shownTitle(svc, svc.findPhase('phase-3')!), 'Containerization & Packaging (Weeks 5-6)');
    const fm = diagnosticsOf(svc, 'phase-3/00-PHASE_BRIEF.md', 'missing-front-matter');
    const fixed = applyEdits(text, codeActions(svc, fm)[0].change.edits[0].edits);
    assert.match(fixed, /^title: "?Phase 3: Containerization & Packaging \(Weeks 5-6\)"?$/m);
    svc.setOverlay(`${ROOT}/phase-3/00-PHASE_BRIEF.md`, fixed);
    assert.equal(shownTitle(svc, svc.findPhase('phase-3')!), 'Containerization & Packaging (Weeks 5-6)');
    // A brief with no title heading at all gets the phase's name, not the document kind's.
    const { svc: bare } = await workspace({ 'phase-3/00-PHASE_BRIEF.md': '**Output**: images\n' });
    const bareFm = diagnosticsOf(bare, 'phase-3/00-PHASE_BRIEF.md', 'missing-front-matter');
    assert.match(applyEdits('**Output**: images\n', codeActions(bare, bareFm)[0].change.edits[0].edits), /^title: phase-3$/m);
  });

  it("titles an iAI phase without the framework's note after its name ((iAI Prompt-Driven))", async () => {
    const folder = 'workstreams/Build/Phase_1_SCM';
    const { svc } = await workspace({ [`${folder}/implementation_prompt.md`]: SEED_PROMPT });
    assert.equal(shownTitle(svc, svc.findPhase('Build/Phase_1_SCM')!), 'Source Code Management & Initial CI Setup');
    const { svc: other } = await workspace({ [`${folder}/implementation_prompt.md`]: SEED_PROMPT.replace('(iAI Prompt-Driven)', '(Weeks 1-2)') });
    assert.equal(shownTitle(other, other.findPhase('Build/Phase_1_SCM')!), 'Source Code Management & Initial CI Setup (Weeks 1-2)');
  });

  it('still asks a seed-form prompt for its tests, and no longer for acceptance criteria the framework does not define', async () => {
    const folder = 'workstreams/Build/Phase_1_SCM';
    const { svc } = await workspace({ [`${folder}/implementation_prompt.md`]: SEED_PROMPT.replace(/^.*\*\*Tests:\*\*.*\n/m, '') });
    assert.deepEqual(
      diagnosticsOf(svc, `${folder}/implementation_prompt.md`, 'missing-section').map((d) => d.message),
      ['Missing section "## Tests Required".'],
    );
  });

  it('reads a response whose tests and proof are labelled: their items, inline names and code blocks', async () => {
    const folder = 'workstreams/Build/Phase_1_SCM';
    const prompt = '# Phase 1\n\n## Objective\n\nCI.\n\n## Deliverables\n\n- CI pipeline\n\n## Tests Required\n\n- Unit tests\n';
    const response = (tests: string, proof: string) =>
      `# Phase 1 Response\n\n**Summary**: CI runs on every push.\n\n**Deliverables**:\n- CI pipeline: .github/workflows/ci.yml\n\n${tests}\n\n**Execution Proof**:\n\n\`\`\`\n${proof}\n\`\`\`\n`;
    const passing = await workspace({
      [`${folder}/implementation_prompt.md`]: prompt,
      [`${folder}/implementation_response_from_AI.md`]: response('**Tests**: test_ci_runs, test_ci_caches', '2 passed in 0.3s'),
    });
    const file = `${folder}/implementation_response_from_AI.md`;
    assert.deepEqual(
      codes(passing.svc, file).filter((c) => c !== 'missing-front-matter'),
      [],
    );
    const failing = await workspace({
      [`${folder}/implementation_prompt.md`]: prompt,
      [`${folder}/implementation_response_from_AI.md`]: response('**Tests**:\n- test_ci_runs', '1 failed, 1 passed in 0.3s'),
    });
    assert.deepEqual(
      diagnosticsOf(failing.svc, file, 'failing-test-proof').map((d) => d.range.start.line),
      [13],
    );
    const none = await workspace({
      [`${folder}/implementation_prompt.md`]: prompt,
      [`${folder}/implementation_response_from_AI.md`]: response('**Tests**:', '2 passed'),
    });
    const missing = diagnosticsOf(none.svc, file, 'missing-tests');
    assert.equal(missing.length, 1);
    // At the label's text, as at a heading's.
    assert.deepEqual(missing[0].range, { start: { line: 7, character: 2 }, end: { line: 7, character: 7 } });
  });

  it('prefers a heading to a label of the same name, and reads an empty label as an empty section at its text', async () => {
    const both = await workspace({
      'phase-1/00-PHASE_BRIEF.md': `${SEED_BRIEF}\n## Deliverables\n\n- Security baseline assessment\n`,
      'phase-1/06-OUTPUT_HANDOFF.md': '# Phase 1 → Phase 2 Handoff\n\n## Phase 1 Summary\n\n- Done.\n',
    });
    assert.deepEqual(
      diagnosticsOf(both.svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'unaddressed-deliverable').map((d) => d.data?.deliverable),
      ['Security baseline assessment'],
    );
    const empty = await workspace({
      'phase-1/00-PHASE_BRIEF.md': SEED_BRIEF.replace(/\*\*Deliverables\*\*:[\s\S]*$/, '**Deliverables**:\n\n## Notes\n\nNone.\n'),
    });
    const d = diagnosticsOf(empty.svc, 'phase-1/00-PHASE_BRIEF.md', 'empty-section');
    assert.equal(d.length, 1);
    assert.deepEqual(d[0].range, { start: { line: 7, character: 2 }, end: { line: 7, character: 14 } });
  });

  it('reports labelled sections out of order at the label', async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Audit\n\n**Scope**: src/\n\n**Objectives**: an audit\n\n**Deliverables**:\n- Report\n',
    });
    const d = diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'section-order');
    assert.deepEqual(
      d.map((x) => [x.message, x.range.start.line, x.range.start.character]),
      [['Section "Scope" should come after "Objectives".', 2, 2]],
    );
  });

  it('accepts a decisions file of decisions without a log heading, and the seed-like names of a plan and a brief', async () => {
    const { svc } = await workspace({
      'phase-1/05-DECISIONS.md': '# Phase 1 Decisions\n\n## Decision 1: Adopt Trivy\n\n**Rationale**: free and fast.\n',
      'phase-1/02-EXECUTION_PLAN.md':
        '# Phase 1 Execution Plan\n\n## Methodology\n\nScan, then triage.\n\n## Task Breakdown\n\n- [ ] Scan\n\n## Risk Management\n\n- Risk: slow scans - cache the database\n',
    });
    assert.deepEqual(diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'missing-section'), []);
    assert.deepEqual(diagnosticsOf(svc, 'phase-1/02-EXECUTION_PLAN.md', 'missing-section'), []);
    // A decisions file with no decision at all still misses its log.
    const none = await workspace({ 'phase-1/05-DECISIONS.md': '# Phase 1 Decisions\n\nNothing yet.\n' });
    assert.deepEqual(
      diagnosticsOf(none.svc, 'phase-1/05-DECISIONS.md', 'missing-section').map((x) => x.message),
      ['Missing section "## Decision Log".'],
    );
  });

  it('takes no bold sentence, checkbox item, code or table for a label; a gate section is never a label line', async () => {
    const doc = parseDocument(
      [
        '# T',
        '**Note** that this is a sentence.',
        '- [x] **Completeness**: All deliverables produced',
        '```',
        '**Deliverables**:',
        '```',
        '| **Risks**: | x |',
        '|---|---|',
        '    **Indented**: code',
        '**Goal:** ship',
        '__Owner__:',
        '- **Description:** text',
        '  **Nested**: inside the item',
      ].join('\n'),
    );
    assert.deepEqual(
      labelSections(doc).map((s) => [s.title, s.heading.line, s.inline, s.end]),
      [
        ['Goal', 9, 'ship', 10],
        // A line label runs to the next line label or heading: the list below is the Owner's.
        ['Owner', 10, '', 13],
        ['Description', 11, 'text', 13],
      ],
    );
    // A validation's gates written as labels on lines are not the gates' sections: gates are headings or checkbox items.
    const { svc } = await workspace({
      'phase-1/07-VALIDATION.md': '# Phase 1 Validation\n\n**Completeness**:\n- [x] Done — Evidence: [r](r.md)\n',
    });
    assert.ok(diagnosticsOf(svc, 'phase-1/07-VALIDATION.md', 'missing-section').some((d) => /Gate 1: Completeness/.test(d.message)));
  });

  it('finds a label with its colon inside or outside the bold, and nothing else', () => {
    assert.deepEqual(labelAt('**Input**: Current codebase', 0), { title: 'Input', from: 2, to: 7, rest: 'Current codebase' });
    assert.deepEqual(labelAt('**Key Activities (via iAI Prompt):** Finalize', 0)?.title, 'Key Activities (via iAI Prompt)');
    assert.deepEqual(labelAt('**Deliverables**', 0)?.rest, '');
    assert.equal(labelAt('**Deliverables** are listed below', 0), undefined);
    assert.equal(labelAt('** spaced**: x', 0), undefined);
    assert.equal(labelAt('**unclosed: x', 0), undefined);
    assert.equal(labelAt(`**${'x'.repeat(81)}**: y`, 0), undefined);
  });

  it('splits an inline list at commas, semicolons and sentence ends, not inside parentheses, code or abbreviations', () => {
    assert.deepEqual(inlineParts('Finalize Git setup, define branching model, integrate linters (e.g., Pylint, ESLint), and basic SAST.'), [
      'Finalize Git setup',
      'define branching model',
      'integrate linters (e.g., Pylint, ESLint)',
      'basic SAST',
    ]);
    assert.deepEqual(inlineParts('Use `a, b` for Python; `c`/`d` for Node.js. Develop Dockerfiles for each service. Set up a registry, e.g. Harbor.'), [
      'Use `a, b` for Python',
      '`c`/`d` for Node.js',
      'Develop Dockerfiles for each service',
      'Set up a registry, e.g. Harbor',
    ]);
    assert.deepEqual(inlineParts(''), []);
    assert.deepEqual(inlineParts(' , ; . '), []);
  });

  it('splits a part holding a long run of dots inside parentheses in linear time', () => {
    const run = '.;,'.repeat(40_000);
    assert.deepEqual(inlineParts(`Audit (${run}x), scan images.;,`), [`Audit (${run}x)`, 'scan images']);
    assertLinear(
      'inlineParts',
      (n) => {
        const text = `Audit (${'.;,'.repeat(n)}x), scan images.;,`;
        return () => inlineParts(text);
      },
      { n: 2500 },
    );
  });
});
