/**
 * The built-in layouts' names in another case beside the names as written (`01-Input_Handoff.md` beside
 * `01-INPUT_HANDOFF.md`, `03-Findings/` beside `03-FINDINGS/`, `Workstreams/` beside `workstreams/`, a plan beside
 * the plan), and a would-be phase's names in another case told all at once (layout-case.ts).
 */
import * as assert from 'node:assert/strict';
import { ROOT, diagnosticsOf, workspace } from '../helpers/workspace';
import { codeActions } from '../../server/src/service/actions';
import { CASE_WHY } from '../../server/src/service/layout-case';
import { MemoryFileSystem, PhasegateService } from '../../server/src/service';
import type { Diagnostic } from '../../server/src/service/types';
import { loudOn } from '../helpers/fuzz';

const AT_START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const FILE_WHY = '(file names match case-sensitively on every system, as CI on Linux does)';
const FOLDER_WHY = '(folder names match case-sensitively on every system, as CI on Linux does)';

const told = (svc: PhasegateService) => svc.scanDiagnostics().map((d) => [d.file.slice(ROOT.length + 1), d.code, d.severity, d.message]);

/** The case problems of a fresh engine on `fs`, and of every path it diagnoses: as the engine that followed the events finds them. */
async function assertAsFresh(svc: PhasegateService, fs: MemoryFileSystem): Promise<void> {
  const fresh = await loudOn(fs);
  assert.deepEqual(svc.scanDiagnostics(), fresh.scanDiagnostics());
  assert.deepEqual(svc.diagnoseAll(), fresh.diagnoseAll());
}

describe('layout names in another case beside the names as written', () => {
  it('a document, a folder, the workstreams folder and the plan beside the ones as named: a warning at each, to merge it, and no fix', async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Start\n',
      'phase-1/01-INPUT_HANDOFF.md': '# Phase 1 Input Handoff\n',
      'phase-1/01-Input_Handoff.md': '# Phase 1 Input Handoff\n',
      'phase-1/03-FINDINGS/f.md': '# Finding\n',
      'phase-1/03-Findings/g.md': '# Finding\n',
      'phase-1/04-ARTIFACTS/a.txt': 'a',
      'workstreams/Build/Phase_1_A/implementation_prompt.md': '# Phase 1: A\n',
      'Workstreams/Build/Phase_2_B/implementation_prompt.md': '# Phase 2: B\n',
      'project_implementation_plan.md': '# Plan\n',
      'Project_Implementation_Plan.md': '# Plan\n',
    });
    assert.deepEqual(told(svc), [
      [
        'Project_Implementation_Plan.md',
        'missing-document',
        'warning',
        `Project_Implementation_Plan.md is not read as the project plan: it is named in another case than project_implementation_plan.md beside it (${CASE_WHY}); merge the two into project_implementation_plan.md.`,
      ],
      [
        'Workstreams',
        'missing-folder',
        'warning',
        `Workstreams/ is not the iAI layout's workstreams/ folder, and its phases (Build/Phase_2_B) are not checked: it is named in another case than workstreams/ beside it (${CASE_WHY}); merge the two into workstreams.`,
      ],
      [
        'phase-1/01-Input_Handoff.md',
        'missing-document',
        'warning',
        `01-Input_Handoff.md is not read as the input handoff of phase-1: it is named in another case than 01-INPUT_HANDOFF.md beside it (${CASE_WHY}); merge the two into 01-INPUT_HANDOFF.md.`,
      ],
      [
        'phase-1/03-Findings',
        'missing-folder',
        'warning',
        `03-Findings/ is not read as the 03-FINDINGS/ folder of phase-1: it is named in another case than 03-FINDINGS/ beside it (${CASE_WHY}); merge the two into 03-FINDINGS.`,
      ],
    ]);
    const diags = svc.scanDiagnostics();
    for (const d of diags) assert.deepEqual(d.range, AT_START, d.message);
    // No fix: a rename would write over the one beside it (or be refused, where the file system ignores case).
    assert.ok(diags.every((d) => d.data === undefined));
    assert.deepEqual(codeActions(svc, diags), []);
    // The one as named is read: the phase is not told it lacks it.
    assert.deepEqual(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-folder'), []);
    assert.ok(!diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-document').some((d) => /input handoff/.test(d.message)));
    // In the check's output too, at the file in another case.
    assert.equal(svc.diagnoseAll().filter((d) => d.file === `${ROOT}/phase-1/01-Input_Handoff.md` && d.code === 'missing-document').length, 1);
    assert.equal(svc.scanDiagnosticsOf(`${ROOT}/phase-1/01-Input_Handoff.md`).length, 1);
    // Off in the config or the editor's setting: not said.
    svc.setRuleOverrides({ 'missing-document': 'off', 'missing-folder': 'off' });
    assert.deepEqual(svc.scanDiagnostics(), []);
  });

  it('an iAI document and a custom layout document (in a folder of the phase) beside the ones as named', async () => {
    const { svc } = await workspace({
      'phasegate.yaml':
        'layouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    documents:\n      - {kind: brief, file: GOALS.md}\n      - {kind: retro, file: docs/RETRO.md}\n',
      'sprints/sprint-1/GOALS.md': '# Sprint 1\n',
      'sprints/sprint-1/Goals.md': '# Sprint 1\n',
      'sprints/sprint-1/docs/RETRO.md': '# Retro\n',
      'sprints/sprint-1/Docs/RETRO.md': '# Retro\n',
      'workstreams/Build/Notes/implementation_prompt.md': '# Phase 1: A\n',
      'workstreams/Build/Notes/Implementation_Prompt.md': '# Phase 1: A\n',
    });
    assert.deepEqual(
      told(svc).map(([file, code, , message]) => [file, code, message]),
      [
        [
          'sprints/sprint-1/Docs/RETRO.md',
          'missing-document',
          `Docs/RETRO.md is not read as the retro of phase sprints/sprint-1: it is named in another case than docs/RETRO.md beside it (${CASE_WHY}); merge the two into docs/RETRO.md.`,
        ],
        [
          'sprints/sprint-1/Goals.md',
          'missing-document',
          `Goals.md is not read as the phase brief of phase sprints/sprint-1: it is named in another case than GOALS.md beside it (${CASE_WHY}); merge the two into GOALS.md.`,
        ],
        [
          'workstreams/Build/Notes/Implementation_Prompt.md',
          'missing-document',
          `Implementation_Prompt.md is not read as the implementation prompt of phase Build/Notes: it is named in another case than implementation_prompt.md beside it (${CASE_WHY}); merge the two into implementation_prompt.md.`,
        ],
      ],
    );
  });

  it('comes and goes with the files (file events), as a fresh engine finds it', async () => {
    const { svc, fs } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Start\n',
      'phase-1/01-INPUT_HANDOFF.md': '# Phase 1 Input Handoff\n',
      'phase-1/03-FINDINGS/f.md': '# Finding\n',
      'phase-1/04-ARTIFACTS/a.txt': 'a',
    });
    const miscased = `${ROOT}/phase-1/01-Input_Handoff.md`;
    const beside = () =>
      svc
        .scanDiagnostics()
        .filter((d) => d.file === miscased)
        .map((d) => d.message);
    assert.deepEqual(beside(), []);
    // Written beside the one as named (one file joins the phase).
    fs.write(miscased, '# Phase 1 Input Handoff\n');
    assert.ok((await svc.filesChanged([{ path: miscased, type: 'created' }])).includes(miscased));
    assert.deepEqual(beside(), [
      `01-Input_Handoff.md is not read as the input handoff of phase-1: it is named in another case than 01-INPUT_HANDOFF.md beside it (${CASE_WHY}); merge the two into 01-INPUT_HANDOFF.md.`,
    ]);
    await assertAsFresh(svc, fs);
    // The one as named deleted: the other is to be renamed (the phase's missing-document problem), no longer merged.
    fs.delete(`${ROOT}/phase-1/01-INPUT_HANDOFF.md`);
    assert.ok((await svc.filesChanged([{ path: `${ROOT}/phase-1/01-INPUT_HANDOFF.md`, type: 'deleted' }])).includes(miscased));
    assert.deepEqual(beside(), []);
    assert.ok(diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md', 'missing-document').some((d) => d.message.includes('rename it 01-INPUT_HANDOFF.md')));
    await assertAsFresh(svc, fs);
    // Written again beside it: merged, told at the file again.
    fs.write(`${ROOT}/phase-1/01-INPUT_HANDOFF.md`, '# Phase 1 Input Handoff\n');
    assert.ok((await svc.filesChanged([{ path: `${ROOT}/phase-1/01-INPUT_HANDOFF.md`, type: 'created' }])).includes(miscased));
    assert.equal(beside().length, 1);
    await assertAsFresh(svc, fs);
    // A folder beside the one as named, and gone.
    fs.write(`${ROOT}/phase-1/03-Findings/g.md`, '# Finding\n');
    await svc.filesChanged([{ path: `${ROOT}/phase-1/03-Findings`, type: 'created' }]);
    assert.equal(svc.scanDiagnostics().filter((d) => d.file === `${ROOT}/phase-1/03-Findings`).length, 1);
    await assertAsFresh(svc, fs);
    fs.delete(`${ROOT}/phase-1/03-Findings`);
    await svc.filesChanged([{ path: `${ROOT}/phase-1/03-Findings`, type: 'deleted' }]);
    assert.equal(svc.scanDiagnostics().filter((d) => d.file === `${ROOT}/phase-1/03-Findings`).length, 0);
    await assertAsFresh(svc, fs);
  });

  it('comes and goes with a new document the editor opens unsaved beside its other spelling, as a fresh engine finds it saved', async () => {
    const files = {
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Start\n',
      'phase-1/01-input_handoff.md': '# Phase 1 Input Handoff\n',
      'phase-1/03-FINDINGS/f.md': '# Finding\n',
      'phase-1/04-ARTIFACTS/a.txt': 'a',
    };
    const { svc } = await workspace(files);
    const miscased = `${ROOT}/phase-1/01-input_handoff.md`;
    const named = `${ROOT}/phase-1/01-INPUT_HANDOFF.md`;
    const beside = () => svc.scanDiagnostics().filter((d) => d.file === miscased);
    assert.deepEqual(beside(), []);
    // The one as named, opened unsaved (it joins the phase's files): the other is to be merged with it now.
    const text = '# Phase 1 Input Handoff\n';
    assert.ok(svc.setOverlay(named, text).includes(miscased));
    assert.deepEqual(
      beside().map((d) => d.message),
      [
        `01-input_handoff.md is not read as the input handoff of phase-1: it is named in another case than 01-INPUT_HANDOFF.md beside it (${CASE_WHY}); merge the two into 01-INPUT_HANDOFF.md.`,
      ],
    );
    const saved = await workspace({ ...files, 'phase-1/01-INPUT_HANDOFF.md': text });
    assert.deepEqual(svc.scanDiagnostics(), saved.svc.scanDiagnostics());
    // Closed unsaved: it leaves, and the other is to be renamed again.
    assert.ok((await svc.clearOverlay(named)).includes(miscased));
    assert.deepEqual(beside(), []);
    const fresh = await workspace(files);
    assert.deepEqual(svc.scanDiagnostics(), fresh.svc.scanDiagnostics());
    // A file in another case opened unsaved beside the one as named: told while it is open.
    const other = await workspace({
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Start\n',
      'phase-1/01-INPUT_HANDOFF.md': text,
      'phase-1/03-FINDINGS/f.md': '# Finding\n',
      'phase-1/04-ARTIFACTS/a.txt': 'a',
    });
    assert.equal(other.svc.scanDiagnostics().length, 0);
    other.svc.setOverlay(`${ROOT}/phase-1/01-Input_Handoff.md`, text);
    assert.deepEqual(
      other.svc.scanDiagnostics().map((d) => d.file),
      [`${ROOT}/phase-1/01-Input_Handoff.md`],
    );
  });

  it('two names in another case and none as named: the phase names both, to merge them into the name to give', async () => {
    const { svc } = await workspace({
      'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Start\n',
      'phase-1/01-input_handoff.md': '# Phase 1 Input Handoff\n',
      'phase-1/01-Input_Handoff.md': '# Phase 1 Input Handoff\n',
      'phase-1/03-findings/f.md': '# Finding\n',
      'phase-1/03-Findings/g.md': '# Finding\n',
      'phase-1/04-ARTIFACTS/a.txt': 'a',
    });
    const first = 'phase-1/00-PHASE_BRIEF.md';
    assert.deepEqual(
      diagnosticsOf(svc, first, 'missing-document')
        .filter((d) => /input handoff/.test(d.message))
        .map((d) => [d.message, d.data]),
      [
        [
          `phase-1 has no input handoff (01-INPUT_HANDOFF.md): 01-Input_Handoff.md and 01-input_handoff.md are named in another case ${FILE_WHY}; merge them into 01-INPUT_HANDOFF.md.`,
          undefined,
        ],
      ],
    );
    assert.deepEqual(
      diagnosticsOf(svc, first, 'missing-folder').map((d) => [d.message, d.data]),
      [
        [
          `phase-1 has no 03-FINDINGS/ folder, for audit findings and analysis: 03-Findings/ and 03-findings/ are named in another case ${FOLDER_WHY}; merge them into 03-FINDINGS.`,
          undefined,
        ],
      ],
    );
  });
});

describe('a would-be phase: its names in another case told at once', () => {
  it('under a Workstreams/ folder, each document in another case is told at itself with the folder, not after the folder is renamed', async () => {
    const { svc, fs } = await workspace({
      'Workstreams/Build/Phase_1_X/Implementation_Prompt.md': '# Phase 1: X\n',
      'Workstreams/Build/Phase_2_Y/implementation_prompt.md': '# Phase 2: Y\n',
      'Workstreams/Build/Phase_2_Y/IMPLEMENTATION_PROMPT.md': '# Phase 2: Y\n',
      'Workstreams/Build/Notes/Implementation_Prompt.md': '# Phase 3: Notes\n',
      'Workstreams/Build/misc/readme.md': '# Misc\n',
    });
    assert.equal(svc.model.phases.length, 0);
    const not = (p: string) => `${p} is not checked as a phase: Workstreams/ is not the iAI layout's workstreams/ folder, and`;
    assert.deepEqual(told(svc), [
      [
        'Workstreams',
        'missing-folder',
        'warning',
        `Workstreams/ is not the iAI layout's workstreams/ folder (${CASE_WHY}): its phases (Build/Notes (and 2 more)) are not checked; rename it workstreams.`,
      ],
      [
        'Workstreams/Build/Notes/Implementation_Prompt.md',
        'missing-document',
        'warning',
        `${not('Build/Notes')} Implementation_Prompt.md is named in another case (${CASE_WHY}); rename it implementation_prompt.md.`,
      ],
      [
        'Workstreams/Build/Phase_1_X/Implementation_Prompt.md',
        'missing-document',
        'warning',
        `${not('Build/Phase_1_X')} Implementation_Prompt.md is named in another case (${CASE_WHY}); rename it implementation_prompt.md.`,
      ],
      [
        'Workstreams/Build/Phase_2_Y/IMPLEMENTATION_PROMPT.md',
        'missing-document',
        'warning',
        `${not('Build/Phase_2_Y')} IMPLEMENTATION_PROMPT.md is named in another case than implementation_prompt.md beside it (${CASE_WHY}); merge the two into implementation_prompt.md.`,
      ],
    ]);
    const before = new Set(svc.scanDiagnostics().map((d) => d.file.replace('/Workstreams/', '/workstreams/')));
    // The folder renamed: what is told of the documents now is at the same files (no problem of a name comes only now).
    for (const p of fs.paths().filter((f) => f.startsWith(`${ROOT}/Workstreams/`))) {
      const text = fs.text(p)!;
      fs.delete(p);
      fs.write(p.replace('/Workstreams/', '/workstreams/'), text);
    }
    fs.delete(`${ROOT}/Workstreams`);
    await svc.filesChanged([
      { path: `${ROOT}/Workstreams`, type: 'deleted' },
      { path: `${ROOT}/workstreams`, type: 'created' },
    ]);
    const after = [...svc.diagnoseAll(), ...svc.diagnosedPaths().flatMap((f) => svc.diagnose(f))].filter((d) => d.message.includes('in another case'));
    assert.ok(after.length >= 3);
    for (const d of after) assert.ok(before.has(d.file), `told only after the rename: ${d.file}: ${d.message}`);
    await assertAsFresh(svc, fs);
  });

  it('a phase_N folder: its documents and its folders in another case are told at once', async () => {
    const { svc } = await workspace({
      'phase_2/00-phase_brief.md': '# Phase 2: Next\n',
      'phase_2/01-input_handoff.md': '# Phase 2 Input Handoff\n',
      'phase_2/03-findings/f.md': '# Finding\n',
      'phase_2/04-ARTIFACTS/a.txt': 'a',
    });
    assert.equal(svc.model.phases.length, 0);
    assert.deepEqual(told(svc), [
      [
        'phase_2/00-phase_brief.md',
        'missing-document',
        'warning',
        `phase_2 is not checked as a phase: 00-phase_brief.md is named in another case (${CASE_WHY}); rename it 00-PHASE_BRIEF.md.`,
      ],
      [
        'phase_2/01-input_handoff.md',
        'missing-document',
        'warning',
        `phase_2 is not checked as a phase: 01-input_handoff.md is named in another case (${CASE_WHY}); rename it 01-INPUT_HANDOFF.md.`,
      ],
      [
        'phase_2/03-findings',
        'missing-folder',
        'warning',
        `phase_2 is not checked as a phase (its documents are named in another case), and 03-findings/ is named in another case too (${CASE_WHY}); rename it 03-FINDINGS.`,
      ],
    ]);
  });

  it('a folder of a phase is no phase of its own, in any case: an iAI tree or a phase_N folder in an audit phase is its content, not told', async () => {
    const { svc } = await workspace({
      'phase-3/00-PHASE_BRIEF.md': '# Phase 3: Later\n',
      'phase-3/04-ARTIFACTS/Workstreams/Build/Phase_1_X/Implementation_Prompt.md': '# Phase 1: X\n',
      'phase-3/04-ARTIFACTS/workstreams/Build/Phase_1_Y/implementation_prompt.md': '# Phase 1: Y\n',
      'phase-3/04-ARTIFACTS/phase_1/00-phase_brief.md': '# Phase 1: Old\n',
    });
    // As named, the tree is no phase either: nothing is left unread by the case alone.
    assert.deepEqual(
      svc.model.phases.map((p) => p.id),
      ['phase-3'],
    );
    assert.deepEqual(svc.scanDiagnostics(), []);
  });
});

describe('case problems are at a path of the workspace (no crash on odd names)', () => {
  it('a name beside itself in three cases, at the root and deep', async () => {
    const fs = new MemoryFileSystem();
    for (const p of ['project_implementation_plan.md', 'Project_Implementation_Plan.md', 'PROJECT_IMPLEMENTATION_PLAN.md'])
      fs.write(`${ROOT}/${p}`, '# Plan\n');
    for (const p of ['07-VALIDATION.md', '07-validation.md', '07-Validation.md']) fs.write(`${ROOT}/a/b/phase-4/${p}`, '# Phase 4 Validation\n');
    const svc = await loudOn(fs);
    const ds: Diagnostic[] = svc.scanDiagnostics();
    assert.deepEqual(
      ds.map((d) => d.file.slice(ROOT.length + 1)),
      ['PROJECT_IMPLEMENTATION_PLAN.md', 'Project_Implementation_Plan.md', 'a/b/phase-4/07-Validation.md', 'a/b/phase-4/07-validation.md'],
    );
    for (const d of ds) assert.ok(fs.has(d.file) && /merge the two into (project_implementation_plan|07-VALIDATION)\.md\.$/.test(d.message), d.message);
  });
});
