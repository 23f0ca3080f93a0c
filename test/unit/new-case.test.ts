/**
 * `new` (the CLI's and the editor's, one planner) and the fixes that create files never create a name beside a
 * file or folder of that name in another case (`Workstreams/`, `03-findings/`, `01-input_handoff.md`,
 * `Project_Implementation_Plan.md`): names match case-sensitively on every system. They refuse, naming the one
 * there and what to rename it to.
 */
import * as assert from 'node:assert/strict';
import { toNewRequest } from '../../server/src/lsp/scaffold';
import { codeActions } from '../../server/src/service/actions';
import { completeHandoff } from '../../server/src/service/fixes/phase';
import { planNew } from '../../server/src/service/scaffold';
import { ROOT, workspace } from '../helpers/workspace';

const WHY = '\\(names match case-sensitively on every system, as CI on Linux does\\)';

const AUDIT_1 = {
  'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Setup\n',
  'phase-1/06-OUTPUT_HANDOFF.md': '# Phase 1 Output Handoff\n\n## Deliverables\n\n- [x] Done\n',
};

describe('new: a name there in another case', () => {
  it("a new prompt beside Workstreams/ is refused, naming it and 'workstreams' (was: a second workstreams/ folder)", async () => {
    const { svc } = await workspace({ 'Workstreams/Build/Phase_1_Setup/implementation_prompt.md': '# Phase 1: Setup\n' });
    assert.throws(
      () => planNew(svc, { what: 'prompt', workstream: 'Build', title: 'X' }),
      new RegExp(`^ScaffoldError: Workstreams/ is named in another case than workstreams/ ${WHY}: rename it workstreams; nothing is created$`),
    );
    // The editor's New Phase asks the same planner.
    assert.throws(() => planNew(svc, toNewRequest(svc, 'phase', ROOT, { workstream: 'Build', title: 'X' })), /Workstreams\/ is named in another case/);
  });

  it('a new finding in a phase with 03-findings/ is refused (was: 03-FINDINGS/ beside it)', async () => {
    const { svc } = await workspace({ ...AUDIT_1, 'phase-1/03-findings/a.md': '# A\n' });
    assert.throws(
      () => planNew(svc, { what: 'finding', phase: 'phase-1', title: 'Leak' }),
      new RegExp(`^ScaffoldError: phase-1/03-findings/ is named in another case than phase-1/03-FINDINGS/ ${WHY}: rename it 03-FINDINGS; nothing is created$`),
    );
    // As is a new phase filled in there (its 03-FINDINGS/.gitkeep): nothing is planned.
    assert.throws(() => planNew(svc, { what: 'phase', folder: 'phase-1' }), /phase-1\/03-findings\/ is named in another case/);
  });

  it('a document whose file is there in another case is refused (was: 06-OUTPUT_HANDOFF.md beside 06-output_handoff.md)', async () => {
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Setup\n', 'phase-1/06-output_handoff.md': '# Out\n' });
    assert.throws(
      () => planNew(svc, { what: 'handoff', phase: 'phase-1' }),
      new RegExp(
        `^ScaffoldError: phase-1/06-output_handoff\\.md is named in another case than phase-1/06-OUTPUT_HANDOFF\\.md ${WHY}: rename it 06-OUTPUT_HANDOFF\\.md; nothing is created$`,
      ),
    );
  });

  it('a new plan beside Project_Implementation_Plan.md is refused', async () => {
    const { svc } = await workspace({
      'Project_Implementation_Plan.md': '# Plan\n',
      'workstreams/Build/Phase_1_Setup/implementation_prompt.md': '# Phase 1: Setup\n',
    });
    assert.throws(
      () => planNew(svc, { what: 'plan' }),
      /^ScaffoldError: Project_Implementation_Plan\.md is named in another case than project_implementation_plan\.md .*: rename it project_implementation_plan\.md; nothing is created$/,
    );
  });

  it('a new finding whose file name another finding has in another case gets the next name (not a sibling differing in case)', async () => {
    const { svc } = await workspace({ ...AUDIT_1, 'phase-1/03-FINDINGS/Outdated-Deps.md': '# Finding 1: Outdated deps\n' });
    const plan = planNew(svc, { what: 'finding', phase: 'phase-1', title: 'Outdated deps' });
    assert.deepEqual(
      plan.creates.map((c) => c.file),
      [`${ROOT}/phase-1/03-FINDINGS/outdated-deps-2.md`],
    );
  });

  it('names as written are created as before', async () => {
    const { svc } = await workspace({ 'workstreams/Build/Phase_1_Setup/implementation_prompt.md': '# Phase 1: Setup\n' });
    assert.deepEqual(
      planNew(svc, { what: 'prompt', workstream: 'Build', title: 'X' }).creates.map((c) => c.file),
      [`${ROOT}/workstreams/Build/Phase_2_X/implementation_prompt.md`],
    );
    assert.equal(svc.inOtherCase(`${ROOT}/workstreams/Build/Phase_2_X/implementation_prompt.md`), undefined);
  });
});

describe('fixes that create files: not beside a name in another case', () => {
  it('complete handoff does not create 01-INPUT_HANDOFF.md beside 01-input_handoff.md', async () => {
    const { svc } = await workspace({
      ...AUDIT_1,
      'phase-2/00-PHASE_BRIEF.md': '# Phase 2: Build\n',
      'phase-2/01-input_handoff.md': '# In\n',
    });
    assert.equal(completeHandoff(svc, svc.findPhase('phase-2')), undefined);
    // No quick fix creates it either (the others create the phase's other documents).
    const created = codeActions(svc, svc.diagnose(`${ROOT}/phase-2`).concat(svc.diagnose(`${ROOT}/phase-2/00-PHASE_BRIEF.md`))).flatMap((a) =>
      a.change.creates.map((c) => c.file),
    );
    assert.ok(created.length > 0);
    assert.deepEqual(
      created.filter((f) => /input_handoff/i.test(f)),
      [],
    );
    // Without the file in another case, the fix creates it.
    const plain = await workspace({ ...AUDIT_1, 'phase-2/00-PHASE_BRIEF.md': '# Phase 2: Build\n' });
    assert.deepEqual(
      completeHandoff(plain.svc, plain.svc.findPhase('phase-2'))?.change.creates.map((c) => c.file),
      [`${ROOT}/phase-2/01-INPUT_HANDOFF.md`],
    );
  });

  it("create-document is not offered for a custom layout's document whose folder is there in another case", async () => {
    const { svc } = await workspace({
      'phasegate.yaml':
        'layouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    number: "sprint-(\\\\d+)"\n    documents:\n      - {kind: brief, file: GOALS.md}\n      - {kind: retro, file: docs/RETRO.md}\n',
      'sprints/sprint-1/GOALS.md': '# Sprint 1\n',
      'sprints/sprint-1/Docs/notes.md': '# Notes\n',
    });
    const diags = svc.diagnose(`${ROOT}/sprints/sprint-1/GOALS.md`).concat(svc.diagnose(`${ROOT}/sprints/sprint-1`));
    const retro = diags.filter((d) => d.code === 'missing-document' && /RETRO/.test(d.message));
    assert.equal(retro.length, 1, JSON.stringify(diags));
    assert.deepEqual(
      codeActions(svc, retro).flatMap((a) => a.change.creates.map((c) => c.file)),
      [],
    );
    assert.throws(
      () => planNew(svc, { what: 'phase', folder: 'sprints/sprint-1' }),
      /sprints\/sprint-1\/Docs\/ is named in another case than sprints\/sprint-1\/docs\//,
    );
  });
});
