/**
 * Documents written the way a team following the two seeds would write them, in the variants such a team
 * plausibly chooses: what Phasegate reports must be what the seeds ask for, no more and no less.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, workspace, diagnosticsOf } from '../helpers/workspace';
import { applyEdits, codeActions } from '../../server/src/service';

const VALIDATION = 'phase-1/07-VALIDATION.md';

/** A complete audit phase 1, written from the phase system design (its validation checklist aside). */
const PHASE_1: Record<string, string> = {
  'phase-1/00-PHASE_BRIEF.md':
    '# Phase 1: Foundation Audit & Baseline (Weeks 1-2)\n\n**Input**: Current codebase\n**Output**: Audit report, baseline metrics, remediation plan\n**Handoff**: `phase-1/06-OUTPUT_HANDOFF.md`\n\n## Scope\n\nThe Bot Data Scientist repository: the `bds/` package, its CLI and the notebooks.\n\n**Deliverables**:\n- Code quality audit report\n- Dependency vulnerability scan\n- Test coverage analysis\n- Security baseline assessment\n- Technical debt inventory\n- Prioritized remediation roadmap\n',
  'phase-1/01-INPUT_HANDOFF.md':
    '# Phase 1 Input Handoff\n\n## Source\n\nCurrent codebase (no previous phase).\n\n## Inputs Received\n\n- Repository: `main` branch at commit `a1b2c3d`\n\n## Prerequisites\n\n- [x] Read access to the repository\n\n## Open Questions\n\n- None.\n',
  'phase-1/02-EXECUTION_PLAN.md':
    '# Phase 1 Execution Plan\n\n## Approach\n\nRun the static tools, then read the hot spots by hand.\n\n## Tasks\n\n1. Run pylint and mypy\n2. Run bandit and safety\n3. Measure coverage with pytest-cov\n\n## Tools\n\npytest-cov, bandit, safety, mypy, pylint\n\n## Risks\n\n- Risk: the notebooks do not import cleanly - audit them separately.\n',
  'phase-1/03-FINDINGS/code-quality-audit.md': '# Code quality audit report\n\nPylint score 6.1/10.\n',
  'phase-1/04-ARTIFACTS/coverage-analysis.md': '# coverage-analysis\ncontent\n',
  'phase-1/04-ARTIFACTS/dependency-scan.md': '# dependency-scan\ncontent\n',
  'phase-1/04-ARTIFACTS/remediation-roadmap.md': '# remediation-roadmap\ncontent\n',
  'phase-1/04-ARTIFACTS/security-baseline.md': '# security-baseline\ncontent\n',
  'phase-1/04-ARTIFACTS/tech-debt.md': '# tech-debt\ncontent\n',
  'phase-1/05-DECISIONS.md':
    '# Phase 1 Decisions\n\n## Decision Log\n\n### Decision 1: Use bandit for SAST\n**Rationale**: It is the tool named in the phase plan and runs offline.\n\n### Decision 2: Exclude notebooks from coverage\n**Rationale**: They are exploratory.\n',
  'phase-1/06-OUTPUT_HANDOFF.md':
    '# Phase 1 → Phase 2 Handoff\n\n## Phase 1 Summary\n- Objectives achieved: the codebase is audited and baselined\n- Key deliverables: audit report, vulnerability scan, coverage analysis, security baseline, tech debt inventory, remediation roadmap\n- Metrics and KPIs: coverage 54%, 2 critical vulnerabilities\n\n## Critical Findings\n- Issues discovered: 214 pylint warnings\n- Risks identified: 2 critical CVEs in `requests`\n- Blockers resolved: CI runner access granted\n\n## Decisions Made\n- Decision 1: Use bandit for SAST → It runs offline\n- Decision 2: Exclude notebooks from coverage → They are exploratory\n\n## Artifacts Produced\n- Code quality audit report: `03-FINDINGS/code-quality-audit.md` - pylint and mypy results\n- Dependency vulnerability scan: `04-ARTIFACTS/dependency-scan.md` - safety output\n- Test coverage analysis: `04-ARTIFACTS/coverage-analysis.md` - per-module coverage\n- Security baseline assessment: `04-ARTIFACTS/security-baseline.md` - bandit results\n- Technical debt inventory: `04-ARTIFACTS/tech-debt.md` - hot spots\n- Prioritized remediation roadmap: `04-ARTIFACTS/remediation-roadmap.md` - ordered fixes\n\n## Phase 2 Prerequisites\n- [x] Remediation roadmap approved\n- [ ] CI runner available\n\n## Phase 2 Inputs\n- Remediation roadmap: `04-ARTIFACTS/remediation-roadmap.md` - what to fix first\n- Coverage analysis: `04-ARTIFACTS/coverage-analysis.md` - where tests are missing\n\n## Recommended Next Steps\n1. Raise coverage on `bds/pipeline`\n2. Pin dependencies\n\n## Open Questions\n- Do notebooks need tests?\n\n## Risks & Dependencies\n- Risk 1: Coverage work slips (High) - Timebox per module\n- Dependency 1: CI runner from the platform team\n',
};

/** A phase's gates as `name: status`, and the diagnostics of one document. */
async function gatesOf(files: Record<string, string>, phaseId = 'phase-1') {
  const { svc } = await workspace(files);
  const phase = svc.findPhase(phaseId)!;
  return { svc, phase, gates: Object.fromEntries(svc.gates(phase).map((g) => [g.name, g.status])) };
}

describe('seed fidelity: the audit layout’s validation gates', () => {
  it('reads `## Quality Gate` (the gate’s name, then the word) as the gate’s checklist, numbered or with a description', async () => {
    // The phase system design speaks of "quality gates" (phase 2's output, phase 3's input).
    const text = [
      '# Phase 1 Validation',
      '',
      '## Completeness Gate',
      '- [x] All deliverables produced — Evidence: [decisions](05-DECISIONS.md)',
      '',
      '## 2. Quality Gate',
      '- [x] Meets defined quality criteria — Evidence: [decisions](05-DECISIONS.md)',
      '',
      '## Documentation Gate: All decisions documented',
      '- [x] Every decision has its rationale — Evidence: [decisions](05-DECISIONS.md)',
      '',
      '## 4) Testing Gate',
      '- [x] Validation tests pass — Evidence: `pytest -q`',
      '',
      '## REVIEW GATE',
      '- [ ] Peer review completed',
      '',
      '## Approval gate — Stakeholder sign-off',
      '- [x] Engineering lead signed off — Evidence: [decisions](05-DECISIONS.md)',
      '',
      '## Success Metrics',
      '',
      '- Code coverage: 84%',
      '',
    ].join('\n');
    const { svc, gates } = await gatesOf({ ...PHASE_1, [VALIDATION]: text });
    assert.deepEqual(diagnosticsOf(svc, VALIDATION, 'missing-section'), []);
    assert.equal(gates.Completeness, 'passed');
    assert.equal(gates.Quality, 'passed');
    assert.equal(gates.Documentation, 'passed');
    assert.equal(gates.Testing, 'passed');
    assert.equal(gates.Approval, 'passed');
    // The unchecked item under `## REVIEW GATE` is the Review gate's.
    assert.equal(gates.Review, 'pending');
    assert.deepEqual(
      diagnosticsOf(svc, VALIDATION, 'gate-item-unchecked').map((d) => [d.range.start.line, d.message]),
      [[15, 'Review gate: "Peer review completed" is not checked.']],
    );
  });
});

describe('seed fidelity: the six validation gates as checkbox items named by the gate, without bold', () => {
  it('reads `- [x] Completeness: All deliverables produced` as the Completeness checklist (no section missing)', async () => {
    const text = [
      '# Phase 1 Validation',
      '',
      '## Validation Gates',
      '',
      '- [x] Completeness: All deliverables produced — [handoff](06-OUTPUT_HANDOFF.md)',
      '- [x] Quality — Meets defined quality criteria: [audit](03-FINDINGS/code-quality-audit.md)',
      '1. [x] ✅ Documentation: All decisions documented — [decisions](05-DECISIONS.md)',
      '- [x] Gate 4: Testing — Validation tests pass, `pytest -q`',
      '- [ ] Review: Peer review completed',
      '- [x] Approval',
      '  - Evidence: sign-off e-mail, `approvals/phase-1.eml`',
      '',
      '## Success Metrics',
      '',
      '- [x] Test execution time: 3 minutes, `ci.yml`',
      '',
    ].join('\n');
    const { svc, phase, gates } = await gatesOf({ ...PHASE_1, [VALIDATION]: text });
    assert.deepEqual(diagnosticsOf(svc, VALIDATION, 'missing-section'), []);
    assert.deepEqual(gates, { Completeness: 'passed', Quality: 'passed', Documentation: 'passed', Testing: 'passed', Review: 'pending', Approval: 'passed' });
    assert.deepEqual(
      svc.gates(phase).map((g) => g.line),
      [4, 5, 6, 7, 8, 9],
    );
    assert.deepEqual(
      diagnosticsOf(svc, VALIDATION, 'gate-item-unchecked').map((d) => [d.range.start.line, d.message]),
      [[8, 'Review gate: "Review: Peer review completed" is not checked.']],
    );
  });

  it('does not take an item without a box, or one whose words only hold the name, for a gate’s checklist', async () => {
    const text = ['# Phase 1 Validation', '', '## Notes', '', '- Quality: fine', '- [x] Code quality reviewed — `pylint`', ''].join('\n');
    const { svc } = await gatesOf({ ...PHASE_1, [VALIDATION]: text });
    assert.ok(diagnosticsOf(svc, VALIDATION, 'missing-section').some((d) => d.message === 'Missing section "## Gate 2: Quality".'));
  });
});

describe('seed fidelity: the six validation gates written as a table', () => {
  const table = [
    '# Phase 1 Validation',
    '',
    '## Validation Gates',
    '',
    '| # | Gate | Criterion | Status | Evidence |',
    '|---|------|-----------|--------|----------|',
    '| 1 | Completeness | All deliverables produced | ✅ Passed | [handoff](06-OUTPUT_HANDOFF.md) |',
    '| 2 | **Quality** | Meets defined quality criteria | ✅ Passed | [audit](03-FINDINGS/code-quality-audit.md) |',
    '| 3 | Documentation | All decisions documented | ✅ Passed | [decisions](05-DECISIONS.md) |',
    '| 4 | Gate 4: Testing | Validation tests pass | ✅ Passed | CI run #12 |',
    '| 5 | Review | Peer review completed | ⏳ Pending | |',
    '| 6 | Approval | Stakeholder sign-off | ⏳ Pending | |',
    '',
    '### Phase 1-2 (Foundation & Testing)',
    '',
    '- Code coverage: 54% (baseline)',
    '',
    '## Success Metrics',
    '',
    '- Test execution time: 3 minutes',
    '',
  ].join('\n');

  it('keeps each gate pending, reported at its row (a row has no box to check), and reports no section missing', async () => {
    const { svc, phase, gates } = await gatesOf({ ...PHASE_1, [VALIDATION]: table });
    assert.deepEqual(diagnosticsOf(svc, VALIDATION, 'missing-section'), []);
    // Pending, not failed: the gates are written, not yet as checklists (the Testing row wins over the metrics heading ending with "Testing").
    assert.deepEqual(gates, {
      Completeness: 'pending',
      Quality: 'pending',
      Documentation: 'pending',
      Testing: 'pending',
      Review: 'pending',
      Approval: 'pending',
    });
    assert.equal(svc.status(phase), 'in-progress');
    const lines = table.split('\n');
    assert.deepEqual(
      diagnosticsOf(svc, VALIDATION, 'gate-item-unchecked').map((d) => [
        d.range.start.line,
        d.range.start.character,
        d.range.end.character,
        d.message.replace(/:.*/, ''),
      ]),
      [6, 7, 8, 9, 10, 11].map((l, k) => [l, 0, lines[l].length, `${['Completeness', 'Quality', 'Documentation', 'Testing', 'Review', 'Approval'][k]} gate`]),
    );
    assert.match(
      diagnosticsOf(svc, VALIDATION, 'gate-item-unchecked')[0].message,
      /a table row is no checklist.*`- \[x\] \*\*Completeness\*\*: … — Evidence: …`/,
    );
    assert.deepEqual(
      svc.gates(phase).map((g) => [g.name, g.line, g.reasons]),
      [6, 7, 8, 9, 10, 11].map((l, k) => [
        ['Completeness', 'Quality', 'Documentation', 'Testing', 'Review', 'Approval'][k],
        l,
        ['written as a table row, without checkbox items'],
      ]),
    );
  });

  it('leaves a table without a Gate column, and a row under a gate’s own heading, alone', async () => {
    const other = table
      .replace('| # | Gate |', '| # | Step |')
      .replace('## Validation Gates', '## Gate 1: Completeness\n\n- [x] All deliverables produced — Evidence: [decisions](05-DECISIONS.md)\n\n## Steps');
    const { svc, phase } = await gatesOf({ ...PHASE_1, [VALIDATION]: other });
    // Completeness is its heading's checklist (its other sections are missing: it fails on them).
    assert.deepEqual(
      svc.gates(phase).map((g) => [g.name, g.line]),
      [
        ['Completeness', 2],
        ['Quality', undefined],
        ['Documentation', undefined],
        ['Testing', 17],
        ['Review', undefined],
        ['Approval', undefined],
      ],
    );
    assert.deepEqual(
      diagnosticsOf(svc, VALIDATION, 'missing-section').map((d) => d.message),
      [
        'Missing section "## Gate 2: Quality".',
        'Missing section "## Gate 3: Documentation".',
        'Missing section "## Gate 5: Review".',
        'Missing section "## Gate 6: Approval".',
      ],
    );
  });
});

describe('seed fidelity: success metrics', () => {
  it('does not judge the metrics tables of a brief, an execution plan, a prompt, an input handoff or a finding: targets, baselines, what was found', async () => {
    // Phase 2 sets out to raise coverage above 80 %: its brief says where it starts.
    const start =
      '## Success Metrics\n\n| Metric | Current | Target |\n|---|---|---|\n| Code coverage | 54% | >80% |\n| Test execution time | 9 minutes | <5 minutes |\n';
    // Phase 1, the Foundation Audit, records the coverage it found.
    const found = '| Metric | Target | Actual |\n|---|---|---|\n| Code coverage | >80% | 54% |\n';
    const results = '## Success Metrics\n\n| Metric | Target | Actual |\n|---|---|---|\n| Code coverage | >80% | 76% |\n';
    const { svc } = await workspace({
      'phase-1/03-FINDINGS/test-coverage-analysis.md': `# Test coverage analysis\n\n${found}`,
      'phase-2/00-PHASE_BRIEF.md': `# Phase 2: Testing & Quality Enhancement\n\n${start}`,
      'phase-2/01-INPUT_HANDOFF.md': `# Phase 2 Input Handoff\n\n## Source\n\n[Phase 1](../phase-1/06-OUTPUT_HANDOFF.md)\n\n${start}`,
      'phase-2/02-EXECUTION_PLAN.md': `# Phase 2 Execution Plan\n\n${start}`,
      'phase-2/07-VALIDATION.md': `# Phase 2 Validation\n\n${results}`,
      'phase-2/06-OUTPUT_HANDOFF.md': `# Phase 2 → Phase 3 Handoff\n\n## Phase 2 Summary\n\n${found}`,
      'proj/workstreams/Test/Phase_1_Unit/implementation_prompt.md': `# Test Phase 1: Unit\n\n${start}`,
      'proj/workstreams/Test/Phase_1_Unit/implementation_response_from_AI.md': `# Test Phase 1: Response\n\n${results}`,
    });
    const reported = svc
      .diagnoseAll()
      .filter((d) => d.code === 'metric-threshold')
      .map((d) => `${d.file.replace(/^\/ws\//, '')}:${d.range.start.line}: ${d.message}`);
    // The phase's own results are judged: its validation, its output handoff, an iAI response.
    assert.deepEqual(reported.sort(), [
      'phase-2/06-OUTPUT_HANDOFF.md:6: Code coverage is 54%; target >80%',
      'phase-2/07-VALIDATION.md:6: Code coverage is 76%; target >80%',
      'proj/workstreams/Test/Phase_1_Unit/implementation_response_from_AI.md:6: Code coverage is 76%; target >80%. In phase 1, mark a baseline so that it is not judged: `76% (baseline)`',
    ]);
  });
});

describe('seed fidelity: success metrics as a team reports them', () => {
  it('judges a listed metric behind a status mark (`❌ Code coverage: 70%`), reported at its value', async () => {
    const text = [
      '# Phase 2 Validation',
      '',
      '## Success Metrics',
      '',
      '- ✅ Code coverage: 84%',
      '- ❌ Test execution time: 7 minutes',
      '- ⚠️ **Security vulnerabilities**: 0 critical, 6 high',
      '- 🟢 Documentation coverage: 100% of public APIs',
      '',
    ].join('\n');
    const { svc } = await workspace({ 'phase-2/07-VALIDATION.md': text });
    const lines = text.split('\n');
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-2/07-VALIDATION.md', 'metric-threshold').map((d) => [
        d.range.start.line,
        lines[d.range.start.line].slice(d.range.start.character, d.range.end.character),
        d.message,
      ]),
      [
        [5, '7 minutes', 'Test execution time is 7 minutes; target < 5 minutes'],
        [6, '0 critical, 6 high', 'Security vulnerabilities is 0 critical, 6 high; target < 5 high (missed: high)'],
      ],
    );
  });

  it('reads a results column named with more words (`Phase 2 Result`, `Actual (Jan 28)`) and a target column so named', async () => {
    const table = (head: string) => `| Metric | ${head} |\n|---|---|---|\n| Code coverage | >90% | 84% |\n| Rollback time | | 3 minutes |\n`;
    const text = [
      '# Phase 2 Validation',
      '',
      '## Success Metrics',
      '',
      table('Phase 2 Target | Phase 2 Result'),
      table('Target (team) | Actual (Jan 28)'),
      // Where the phase started, and a column that sets results beside targets, are neither.
      '| Metric | Target | Baseline result | Result vs Target |\n|---|---|---|---|\n| Code coverage | >80% | 54% | 84% vs >80% |\n',
    ].join('\n');
    const { svc } = await workspace({ 'phase-2/07-VALIDATION.md': text });
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-2/07-VALIDATION.md', 'metric-threshold').map((d) => [d.range.start.line, d.message]),
      [
        [6, 'Code coverage is 84%; target >90%'],
        [7, 'Rollback time is 3 minutes; target < 2 minutes'],
        [11, 'Code coverage is 84%; target >90%'],
        [12, 'Rollback time is 3 minutes; target < 2 minutes'],
      ],
    );
  });
});

describe('seed fidelity: decisions and their rationale', () => {
  it('takes `**Why**:`, `**Reasoning**:`, `**Justification:**` and `#### Why` for a decision’s rationale, as a decision table’s columns', async () => {
    const text = [
      '# Phase 1 Decisions',
      '',
      '## Decision Log',
      '',
      '- Decision 7: Use mypy strict (why: it catches None errors)',
      '- Decision 8: Use ruff',
      '',
      '### Decision 1: Use bandit for SAST',
      '**Why**: It is the tool named in the phase plan and runs offline.',
      '',
      '### Decision 2: Exclude notebooks from coverage',
      '**Reasoning**: They are exploratory.',
      '',
      '### Decision 3: Pin with pip-tools',
      '**Justification:** Reproducible builds.',
      '',
      '### Decision 4: Keep Python 3.11',
      '',
      '#### Why',
      '',
      'The servers run it.',
      '',
      '### Decision 5: Store reports in the repo',
      '**Why**:',
      '',
      '### Decision 6: Drop Python 3.9',
      '**Context**: nobody runs it.',
      '',
    ].join('\n');
    const { svc } = await workspace({ 'phase-1/05-DECISIONS.md': text });
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'decision-without-rationale').map((d) => [d.range.start.line, d.message]),
      [
        [5, 'Decision "Decision 8: Use ruff" gives no rationale: add "→ why" after it.'],
        [22, 'Decision "Decision 5: Store reports in the repo" gives no rationale: write it on its empty "**Rationale**:" line.'],
        // A context alone is no rationale: the message says its Consequences are what it still lacks.
        [
          25,
          'Decision "Decision 6: Drop Python 3.9" gives no rationale: add a "**Rationale**:" line, or fill its Context and Consequences (it has no Consequences part).',
        ],
      ],
    );
    // The quick fix fills the empty `**Why**:` line rather than adding a second label.
    const empty = diagnosticsOf(svc, 'phase-1/05-DECISIONS.md', 'decision-without-rationale').find((d) => d.range.start.line === 22)!;
    const fixed = applyEdits(text, codeActions(svc, [empty])[0].change.edits[0].edits).split('\n');
    assert.equal(fixed[23], '**Why**: [Why this decision]');
    assert.equal(fixed.filter((l) => /Rationale/.test(l)).length, 0);
  });
});

describe('seed fidelity: the project plan tracks the execution status of the iAI phases', () => {
  const FENCE = '```';
  const PROMPT = '# Build Phase 1: CI Setup\n\n## Description\n\nSet up CI.\n\n## Key Activities\n\n- Configure CI server\n\n## Tests\n\n- The workflow runs\n';
  const response = (run: string) =>
    `# Build Phase 1: Response\n\n## Summary\n\nDone.\n\n## Deliverables\n\n- Configure CI server: \`ci.yml\`\n\n## Tests\n\n- \`tests/test_ci.py\`\n\n## Execution Proof\n\n${FENCE}\n${run}\n${FENCE}\n`;
  const PLAN = 'proj/project_implementation_plan.md';
  const plan = (rows: string) => `# ALL-USE Project Implementation Plan\n\n## Phase Status\n\n| Workstream | Phase | Status |\n|---|---|---|\n${rows}\n`;
  const files = (planText: string, run: string) => ({
    [PLAN]: planText,
    'proj/workstreams/Build/Phase_1_CI/implementation_prompt.md': PROMPT,
    'proj/workstreams/Build/Phase_1_CI/implementation_response_from_AI.md': response(run),
    'proj/workstreams/Test/Phase_1_Unit/implementation_prompt.md': PROMPT.replace('Build', 'Test'),
  });

  it('matches a row whose Phase column holds the number alone (`| Build | 1 | … |`) to the workstream’s phase of that number', async () => {
    const { svc } = await workspace(files(plan('| Build | 1 | Done |\n| Test | #1 | In progress |'), '3 passed'));
    assert.deepEqual(diagnosticsOf(svc, PLAN, 'plan-status-mismatch'), []);
  });

  it('reads a status that is a check mark alone (`✅`) as Complete: a phase so marked whose gates fail is reported', async () => {
    const text = plan('| Build | Phase 1: CI Setup | ✅ |\n| Test | Phase 1 | ⏳ |');
    const { svc } = await workspace(files(text, '2 passed, 1 failed'));
    const ds = diagnosticsOf(svc, PLAN, 'plan-status-mismatch');
    assert.deepEqual(
      ds.map((d) => [d.range.start.line, d.message.replace(/: Proof failed.*/, '')]),
      [[6, 'The plan marks Build/Phase_1_CI Complete (✅), but its gates have not all passed']],
    );
    // A phase whose gates passed may be so marked.
    const { svc: passing } = await workspace(files(text, '3 passed'));
    assert.deepEqual(diagnosticsOf(passing, PLAN, 'plan-status-mismatch'), []);
  });
});

describe('seed fidelity: an iAI response’s tests and their successful execution proof', () => {
  const FENCE = '```';
  const PROMPT = '# Test Phase 1: Unit\n\n## Description\n\nUnit tests.\n\n## Key Activities\n\n- Ensure CI integration\n\n## Tests\n\n- The suite\n';
  const DIR = 'proj/workstreams/Test/Phase_1_Unit';
  const response = (tests: string, proof: string, run: string) =>
    `# Test Phase 1: Response\n\n## Summary\n\nDone.\n\n## Deliverables\n\n- Ensure CI integration: the \`test\` job\n\n${tests}\n\n- \`tests/unit/test_orders.py\` - order rules\n\n${proof}\n\n${FENCE}\n${run}\n${FENCE}\n`;

  for (const [tests, proof] of [
    ['## Tests Written', '## Test Results'],
    ['## Tests Added', '## Proof of Execution'],
    ['## Unit and Integration Tests', '## Test Execution Results'],
  ]) {
    it(`reads \`${tests}\` as the Tests and \`${proof}\` as the Execution Proof, a failing run there failing the Proof gate`, async () => {
      const files = (run: string) => ({
        [`${DIR}/implementation_prompt.md`]: PROMPT,
        [`${DIR}/implementation_response_from_AI.md`]: response(tests, proof, run),
      });
      const passing = await gatesOf(files('$ pytest\n214 passed in 3.2s'), 'Test/Phase_1_Unit');
      assert.deepEqual(passing.gates, { Completeness: 'passed', Tests: 'passed', Proof: 'passed' });
      const failing = await gatesOf(files('$ pytest\n1 failed, 213 passed in 3.2s'), 'Test/Phase_1_Unit');
      assert.deepEqual(failing.gates, { Completeness: 'passed', Tests: 'passed', Proof: 'failed' });
      assert.deepEqual(
        diagnosticsOf(failing.svc, `${DIR}/implementation_response_from_AI.md`)
          .filter((d) => d.severity !== 'information')
          .map((d) => [d.code, d.range.start.line]),
        [['failing-test-proof', 18]],
      );
    });
  }
});

describe('seed fidelity: deliverables addressed', () => {
  it('reads a deliverable’s parenthesised target or examples as a qualifier: `Expanded test coverage (>80%)` is addressed by the coverage reached', async () => {
    const brief = [
      '# Phase 2: Testing & Quality Enhancement (Weeks 3-4)',
      '',
      '**Output**: Enhanced test suite, quality gates',
      '',
      '## Scope',
      '',
      'All packages.',
      '',
      '**Deliverables**:',
      '- Expanded test coverage (>80%)',
      '- Performance test framework',
      '- Container registry integration (e.g., GHCR, Harbor)',
      '',
    ].join('\n');
    const handoff = [
      '# Phase 2 → Phase 3 Handoff',
      '',
      '## Phase 2 Summary',
      '',
      '- Objectives achieved: coverage raised',
      '',
      '## Artifacts Produced',
      '',
      '- Test coverage report (84%, up from 54%): `04-ARTIFACTS/coverage.md` - coverage by module',
      '- Perf scripts: `04-ARTIFACTS/locustfile.py` - load scenarios',
      '- Registry integration: `04-ARTIFACTS/ci.yml` - pushes images',
      '',
    ].join('\n');
    const { svc } = await workspace({
      'phase-2/00-PHASE_BRIEF.md': brief,
      'phase-2/06-OUTPUT_HANDOFF.md': handoff,
      'phase-2/04-ARTIFACTS/coverage.md': '# Coverage\n',
      'phase-2/04-ARTIFACTS/locustfile.py': '',
      'phase-2/04-ARTIFACTS/ci.yml': '',
    });
    // The performance test framework is not reported (perf scripts are not named as it): still asked for.
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-2/06-OUTPUT_HANDOFF.md', 'unaddressed-deliverable').map((d) => d.data?.deliverable),
      ['Performance test framework'],
    );
  });

  it('does the same for the Key Activities of an iAI prompt: `Configure CI server (e.g., GitHub Actions)`', async () => {
    const FENCE = '```';
    const dir = 'proj/workstreams/Build/Phase_1_CI';
    const { svc } = await workspace({
      [`${dir}/implementation_prompt.md`]:
        '# Build Phase 1: CI\n\n## Description\n\nCI.\n\n## Key Activities (via iAI Prompt)\n\n- Configure CI server (e.g., GitHub Actions)\n- Define branching model (e.g., GitFlow)\n\n## Tests\n\n- The workflow\n',
      [`${dir}/implementation_response_from_AI.md`]: `# Build Phase 1: Response\n\n## Summary\n\nDone.\n\n## Deliverables\n\n- CI server configured: \`ci.yml\`\n- Release process documented\n\n## Tests\n\n- \`tests/test_ci.py\`\n\n## Execution Proof\n\n${FENCE}\n1 passed\n${FENCE}\n`,
    });
    assert.deepEqual(
      diagnosticsOf(svc, `${dir}/implementation_response_from_AI.md`, 'unaddressed-deliverable').map((d) => d.data?.deliverable),
      ['Define branching model (e.g., GitFlow)'],
    );
  });
});

describe('seed fidelity: artifacts and inputs listed in a table', () => {
  it('reports a location of an Artifacts Produced or Phase N+1 Inputs table that does not exist, as it does an item’s', async () => {
    const text = [
      '# Phase 1 → Phase 2 Handoff',
      '',
      '## Artifacts Produced',
      '',
      '| Artifact | Location | Purpose |',
      '|---|---|---|',
      '| Code quality audit report | [report](03-FINDINGS/code-quality-audit.md) | pylint results |',
      '| Dependency vulnerability scan | [scan](04-ARTIFACTS/nope-scan.md) | safety output |',
      '| Test coverage analysis | `04-ARTIFACTS/nope-coverage.md` | per-module coverage |',
      '| Security baseline | 04-ARTIFACTS/nope-security.md | bandit results |',
      '| [Artifact] | [Location] | [Purpose] |',
      '',
      '## Phase 2 Inputs',
      '',
      '| Input | Location | Description |',
      '|---|---|---|',
      '| Remediation roadmap | `04-ARTIFACTS/remediation-roadmap.md` | what to fix first |',
      '| Ghost | `04-ARTIFACTS/ghost.md` | nothing |',
      '',
    ].join('\n');
    const { svc } = await workspace({ ...PHASE_1, 'phase-1/06-OUTPUT_HANDOFF.md': text });
    const lines = text.split('\n');
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'missing-artifact').map((d) => [
        d.range.start.line,
        lines[d.range.start.line].slice(d.range.start.character, d.range.end.character),
        d.message.replace(/ does not exist.*/, ''),
      ]),
      [
        [7, '04-ARTIFACTS/nope-scan.md', 'Artifact "04-ARTIFACTS/nope-scan.md"'],
        [8, '04-ARTIFACTS/nope-coverage.md', 'Artifact "04-ARTIFACTS/nope-coverage.md"'],
        [9, '04-ARTIFACTS/nope-security.md', 'Artifact "04-ARTIFACTS/nope-security.md"'],
        [17, '04-ARTIFACTS/ghost.md', 'Input "04-ARTIFACTS/ghost.md"'],
      ],
    );
    // Not reported twice (the broken link is missing-artifact's there), and the placeholder row is left to unfilled-placeholder.
    assert.deepEqual(diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'broken-link'), []);
    const { gates } = await gatesOf({ ...PHASE_1, 'phase-1/06-OUTPUT_HANDOFF.md': text, [VALIDATION]: '# Phase 1 Validation\n' });
    assert.equal(gates.Completeness, 'failed');
  });
});

describe('seed fidelity: inputs handed off in a table', () => {
  const table = (rows: string[]) => ['| Input | Location | Description |', '|---|---|---|', ...rows].join('\n');
  const roadmap = '| Remediation roadmap | `04-ARTIFACTS/remediation-roadmap.md` | what to fix first |';
  const coverage = '| Coverage analysis | `04-ARTIFACTS/coverage-analysis.md` | where tests are missing |';
  const out = (rows: string[]) => `# Phase 1 → Phase 2 Handoff\n\n## Phase 2 Inputs\n\n${table(rows)}\n`;
  const input = (rows: string[]) =>
    `# Phase 2 Input Handoff\n\n## Source\n\n[Phase 1](../phase-1/06-OUTPUT_HANDOFF.md)\n\n## Inputs Received\n\n${table(rows)}\n`;

  it('compares the rows of phase N+1’s inputs with those phase N hands off: one missing, one never handed off', async () => {
    const received = [roadmap.replace('`04-', '`../phase-1/04-'), '| 3 | Old notes | `../phase-1/04-ARTIFACTS/tech-debt.md` |'];
    const { svc } = await workspace({ ...PHASE_1, 'phase-1/06-OUTPUT_HANDOFF.md': out([roadmap, coverage]), 'phase-2/01-INPUT_HANDOFF.md': input(received) });
    const text = input(received).split('\n');
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-2/01-INPUT_HANDOFF.md', 'handoff-mismatch').map((d) => [
        d.range.start.line,
        text[d.range.start.line].slice(d.range.start.character, d.range.end.character),
        d.message,
      ]),
      [
        [6, 'Inputs Received', 'Input "Coverage analysis" handed off by phase-1 is missing from "Inputs Received".'],
        [
          11,
          'Old notes | `../phase-1/04-ARTIFACTS/tech-debt.md`',
          '"Old notes" was not handed off by phase-1 (not in its "Phase 2 Inputs"); remove it or add it to ../phase-1/06-OUTPUT_HANDOFF.md.',
        ],
      ],
    );
    // The same inputs, each read from its own folder, match.
    const same = await workspace({
      ...PHASE_1,
      'phase-1/06-OUTPUT_HANDOFF.md': out([roadmap, coverage]),
      'phase-2/01-INPUT_HANDOFF.md': input([roadmap, coverage].map((r) => r.replace('`04-', '`../phase-1/04-'))),
    });
    assert.deepEqual(diagnosticsOf(same.svc, 'phase-2/01-INPUT_HANDOFF.md', 'handoff-mismatch'), []);
  });
});

describe('seed fidelity: a metric’s value with a note in parentheses', () => {
  it('reads `12 min (p95)` and `99.5% (30-day)` as the values they start with', async () => {
    const text = [
      '# Phase 6 Validation',
      '',
      '## Success Metrics',
      '',
      '- Deployment time: 12 min (p95)',
      '- Uptime SLA: 99.5% (30-day)',
      '- Alert response time: 3 min (p95, 2025-03-01)',
      '- Mean time to recovery: 45 min (target <60)',
      '',
      '| Metric | Target | Actual |',
      '|---|---|---|',
      '| Rollback time | < 2 minutes | 150 s (run #482) |',
      '',
    ].join('\n');
    const { svc } = await workspace({ 'phase-6/07-VALIDATION.md': text });
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-6/07-VALIDATION.md', 'metric-threshold').map((d) => [d.range.start.line, d.message]),
      [
        [11, 'Rollback time is 150 s (run #482); target < 2 minutes'],
        [4, 'Deployment time is 12 min (p95); target < 10 minutes'],
        [5, 'Uptime SLA is 99.5% (30-day); target >= 99.9%'],
      ],
    );
  });
});

describe('seed fidelity: the handoff template’s risks filled in', () => {
  it('takes a bracketed severity (`Risk 1: Coverage slips [High] - timebox`) for the impact written, not a placeholder left', async () => {
    const text = [
      '# Phase 1 → Phase 2 Handoff',
      '',
      '## Risks & Dependencies',
      '',
      '- Risk 1: Coverage work slips [High] - Timebox per module',
      '- Risk 2: [MEDIUM] Flaky tests - quarantine list',
      '- Risk 3: [P1] Registry outage - mirror the base images',
      '- Risk 4: Vendor delay [Impact] - [Mitigation]',
      '- Dependency 1: CI runner from the platform team',
      '- Risk 5: Image bloat [Impact: Medium] - multi-stage builds',
      '- Risk 6: Secrets in logs [Severity = CRITICAL] [Likelihood: low] - redact at the collector',
      '- Risk 7: Outage [Impact: High/Medium/Low] - [Mitigation: Describe]',
      '',
    ].join('\n');
    const { svc } = await workspace({ 'phase-1/06-OUTPUT_HANDOFF.md': text });
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'unfilled-placeholder').map((d) => [d.range.start.line, d.message]),
      [
        [7, 'Placeholder [Impact] is not filled in.'],
        [7, 'Placeholder [Mitigation] is not filled in.'],
        [11, 'Placeholder [Impact: High/Medium/Low] is not filled in.'],
        [11, 'Placeholder [Mitigation: Describe] is not filled in.'],
      ],
    );
  });
});

describe('seed fidelity: status and change tags', () => {
  it('takes a bracketed status or kind of change (`[Done]`, `[In Progress]`, `- [Fix] …`) for text, not a placeholder left', async () => {
    const text = [
      '# Phase 1 → Phase 2 Handoff',
      '',
      '## Phase 1 Summary',
      '',
      '- Baseline metrics review [Done]',
      '- Coverage job: [In Progress]',
      '- [WIP] migration of the CI cache',
      '- [Status: Blocked] registry mirror',
      '- [Fix] coverage job timeout raised to 20 minutes',
      '- [Dev Deps] update `eslint`',
      '- [Dev\u00a0Deps] update `tape`',
      '- [Breaking Change] the API drops v1',
      '- [Deliverable] the API image',
      '- Next: [TODO] and [TBD]',
      '- [Status] of the mirror',
      '',
    ].join('\n');
    const { svc } = await workspace({ 'phase-1/06-OUTPUT_HANDOFF.md': text });
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-1/06-OUTPUT_HANDOFF.md', 'unfilled-placeholder').map((d) => [d.range.start.line, d.message]),
      [
        [12, 'Placeholder [Deliverable] is not filled in.'],
        [13, 'Placeholder [TODO] is not filled in.'],
        [13, 'Placeholder [TBD] is not filled in.'],
        [14, 'Placeholder [Status] is not filled in.'],
      ],
    );
  });
});

describe('seed fidelity: headings with a note in parentheses', () => {
  /** The bundled audit example's phase 1 and 2, with `edit` applied to phase 2's documents. */
  async function example(edit: (file: string, text: string) => string) {
    const files: Record<string, string> = {};
    for (const phase of ['phase-1', 'phase-2']) {
      const dir = path.join(REPO, 'examples', 'audit-deployment', phase);
      for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
        const full = path.join(dir, f);
        if (fs.statSync(full).isFile()) files[`${phase}/${f.split(path.sep).join('/')}`] = fs.readFileSync(full, 'utf8');
      }
    }
    for (const f of Object.keys(files)) if (f.startsWith('phase-2/')) files[f] = edit(f, files[f]);
    const { svc } = await workspace(files);
    const phase = svc.model.phases.find((p) => p.folder.endsWith('/phase-2'))!;
    return { svc, gates: svc.gates(phase).map((g) => [g.name, g.status]) };
  }

  it('reads `## Open Questions (2)` as the Open Questions and `## Gate 1: Completeness (passed)` as that gate’s checklist', async () => {
    const plain = await example((_f, t) => t);
    const noted = await example((f, t) =>
      f.endsWith('01-INPUT_HANDOFF.md')
        ? t.replace('## Open Questions\n', '## Open Questions (2)\n').replace('## Inputs Received\n', '## Inputs Received (from phase 1)\n')
        : f.endsWith('07-VALIDATION.md')
          ? t.replace('## Gate 1: Completeness\n', '## Gate 1: Completeness (passed)\n').replace('## Gate 2: Quality\n', '## Quality (2 items)\n')
          : t,
    );
    for (const f of ['phase-2/01-INPUT_HANDOFF.md', 'phase-2/07-VALIDATION.md']) {
      assert.deepEqual(diagnosticsOf(noted.svc, f), diagnosticsOf(plain.svc, f), f);
      assert.ok(noted.svc.getText(`/ws/${f}`)!.includes(' ('), f);
    }
    assert.deepEqual(noted.gates, plain.gates);
    assert.ok(plain.gates.every(([, status]) => status === 'passed'));
    // A heading that only starts with a section's title is not it.
    const other = await example((f, t) => (f.endsWith('01-INPUT_HANDOFF.md') ? t.replace('## Open Questions\n', '## Open Questions Later\n') : t));
    assert.deepEqual(
      diagnosticsOf(other.svc, 'phase-2/01-INPUT_HANDOFF.md', 'missing-section').map((d) => d.message),
      ['Missing section "## Open Questions".'],
    );
  });
});

describe('seed fidelity: an iAI response headed in its own words', () => {
  it('reads `## Overview` as its Summary and `## Key Activities (via iAI Prompt)` as its Deliverables, answering the prompt', async () => {
    const FENCE = '```';
    const dir = 'proj/workstreams/Build/Phase_1_CI';
    const response = (done: string) =>
      `# Build Phase 1: Response\n\n## Overview\n\nGit and CI are set up.\n\n## Key Activities (via iAI Prompt)\n\n${done}\n\n## Tests\n\n- \`tests/test_ci.py\`\n\n## Execution Proof\n\n${FENCE}\n4 passed\n${FENCE}\n`;
    const files = (done: string) => ({
      [`${dir}/implementation_prompt.md`]:
        '# Build Phase 1: CI\n\n## Description\n\nCI.\n\n## Key Activities (via iAI Prompt)\n\n- Configure CI server\n- Define branching model\n\n## Tests\n\n- The workflow\n',
      [`${dir}/implementation_response_from_AI.md`]: response(done),
    });
    const done = await gatesOf(files('- Configure CI server: `ci.yml`\n- Define branching model: GitFlow'), 'Build/Phase_1_CI');
    assert.deepEqual(diagnosticsOf(done.svc, `${dir}/implementation_response_from_AI.md`, 'missing-section'), []);
    assert.deepEqual(done.gates, { Completeness: 'passed', Tests: 'passed', Proof: 'passed' });
    const half = await gatesOf(files('- Configure CI server: `ci.yml`'), 'Build/Phase_1_CI');
    assert.deepEqual(
      diagnosticsOf(half.svc, `${dir}/implementation_response_from_AI.md`, 'unaddressed-deliverable').map((d) => [d.data?.deliverable, d.message]),
      [
        [
          'Define branching model',
          'Deliverable "Define branching model" of the prompt is not addressed in the response\'s "Key Activities (via iAI Prompt)" section.',
        ],
      ],
    );
  });
});

describe('seed fidelity: the brief, "objectives and scope"', () => {
  const deliverables = '- Code quality audit report\n- Dependency vulnerability scan\n';
  for (const [what, body] of [
    ['one `## Objectives and Scope` section', `## Objectives and Scope\n\nAudit the codebase; in scope: \`bds/\`.\n\n## Deliverables\n\n${deliverables}`],
    [
      '`## In Scope` and `## Key Deliverables`',
      `## Objectives\n\nAudit the codebase.\n\n## In Scope\n\n- \`bds/\`\n\n## Out of Scope\n\n- notebooks\n\n## Key Deliverables\n\n${deliverables}`,
    ],
  ]) {
    it(`reads ${what} as the brief's sections`, async () => {
      const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': `# Phase 1: Foundation Audit & Baseline\n\n${body}` });
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md')
          .filter((d) => ['missing-section', 'empty-section', 'section-order'].includes(d.code))
          .map((d) => d.message),
        [],
      );
    });
  }
});

describe('seed fidelity: the execution plan and its risk register', () => {
  it('reads `## Work Breakdown` (or `## Steps`) as its Tasks, and an item about the register is no risk', async () => {
    const plan = (tasks: string) =>
      [
        '# Phase 1 Execution Plan',
        '',
        '## Approach',
        '',
        'Run the static tools, then read the hot spots by hand.',
        '',
        `## ${tasks}`,
        '',
        '1. Run pylint and mypy',
        '',
        '## Risk Management',
        '',
        '- Risk register: the table below',
        '- Risk owner: Ana',
        '- Risk 1: the notebooks do not import',
        '',
        '| Risk | Mitigation | Contingency | Escalation |',
        '|---|---|---|---|',
        '| Audit overruns | Timebox each tool | Extend a week | Project lead |',
        '',
      ].join('\n');
    for (const tasks of ['Work Breakdown', 'Steps']) {
      const { svc } = await workspace({ 'phase-1/02-EXECUTION_PLAN.md': plan(tasks) });
      assert.deepEqual(diagnosticsOf(svc, 'phase-1/02-EXECUTION_PLAN.md', 'missing-section'), [], tasks);
      assert.deepEqual(
        diagnosticsOf(svc, 'phase-1/02-EXECUTION_PLAN.md', 'risk-without-mitigation').map((d) => [d.range.start.line, d.message]),
        [[14, 'Risk "Risk 1: the notebooks do not import" names no mitigation: write "Risk: impact - mitigation".']],
      );
    }
  });
});
