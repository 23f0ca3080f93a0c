/**
 * How messages name a phase: by its id where its folder's name says it is a phase (`phase-1`, `Build/Phase_1_CI`),
 * else by the word and the id (`Phase sprints/s1`); a document's name in the middle of a sentence in lower case.
 */
import * as assert from 'node:assert/strict';
import { inSentence } from '../../server/src/service/layout';
import { phaseName } from '../../server/src/service/workspace';
import { diagnosticsOf, workspace } from '../helpers/workspace';

/** Sprints `sprints/sN`, numbered by their folder name: a retro (sentence case) and a goal (a name of capitals). */
const SPRINTS =
  'layouts:\n  - name: sprint\n    phases: "sprints/*"\n    number: "s(\\\\d+)"\n    documents:\n' +
  '      - {kind: retro, file: RETRO.md, name: Retro notes}\n      - {kind: goal, file: GOAL.md, name: Sprint Goal}\n';

describe('phase names in messages', () => {
  it('name a phase by its id where its folder says it is one, else as "Phase <id>" (`phase <id>` within a sentence)', () => {
    assert.equal(phaseName({ id: 'phase-3' }, true), 'phase-3');
    assert.equal(phaseName({ id: 'Build/Phase_1_CI' }, true), 'Build/Phase_1_CI');
    assert.equal(phaseName({ id: 'audits/PHASE-02' }), 'audits/PHASE-02');
    assert.equal(phaseName({ id: 'sprints/s1' }, true), 'Phase sprints/s1');
    assert.equal(phaseName({ id: 'sprints/s1' }), 'phase sprints/s1');
    // A folder above it named so says nothing of the phase's own folder.
    assert.equal(phaseName({ id: 'phases/s1' }), 'phase phases/s1');
  });

  it('write a name in sentence case in lower case within a sentence, a name its capitals say more of as written', () => {
    assert.deepEqual(
      ['Execution plan', 'Decisions', 'Generated artifacts (configs, scripts)', 'Deploy runbook for AWS', 'Sprint Goal', 'README', 'CI plan', 'first-doc'].map(
        inSentence,
      ),
      ['execution plan', 'decisions', 'generated artifacts (configs, scripts)', 'deploy runbook for AWS', 'Sprint Goal', 'README', 'CI plan', 'first-doc'],
    );
  });

  it("an audit phase's missing documents and folders: its id alone", async () => {
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Start\n\n## Objectives\n\nA.\n' });
    assert.deepEqual(
      diagnosticsOf(svc, 'phase-1/00-PHASE_BRIEF.md')
        .filter((d) => d.code === 'missing-document' || d.code === 'missing-folder')
        .map((d) => d.message),
      [
        'phase-1 has no input handoff (01-INPUT_HANDOFF.md) yet.',
        'phase-1 has no execution plan (02-EXECUTION_PLAN.md) yet.',
        'phase-1 has no decisions (05-DECISIONS.md) yet.',
        'phase-1 has no output handoff (06-OUTPUT_HANDOFF.md) yet.',
        'phase-1 has no validation checklist (07-VALIDATION.md) yet.',
        'phase-1 has no 03-FINDINGS/ folder, for audit findings and analysis.',
        'phase-1 has no 04-ARTIFACTS/ folder, for generated artifacts (configs, scripts).',
      ],
    );
  });

  it("an iAI phase's missing response and its missing plan row: its workstream and folder", async () => {
    const { svc } = await workspace({
      'project_implementation_plan.md': '# Plan\n\n## Phase Status\n\n| Workstream | Phase | Status |\n|---|---|---|\n',
      'workstreams/Build/Phase_1_CI/implementation_prompt.md': '# Phase 1: CI\n\n## Objective\n\nDo it.\n',
    });
    assert.deepEqual(
      diagnosticsOf(svc, 'workstreams/Build/Phase_1_CI/implementation_prompt.md', 'missing-document').map((d) => d.message),
      ['Build/Phase_1_CI has no implementation response (implementation_response_from_AI.md) yet.'],
    );
    assert.deepEqual(
      diagnosticsOf(svc, 'project_implementation_plan.md', 'plan-status-mismatch').map((d) => d.message),
      ['Build/Phase_1_CI has no row in the "Phase Status" table.'],
    );
  });

  it("a custom layout's phase whose folder is not named a phase: the word, then its id, at a sentence's start and within it", async () => {
    const { svc } = await workspace({
      'phasegate.yaml': SPRINTS,
      'sprints/s1/RETRO.md': '# Retro\n',
      'sprints/s1/Retro.md': '# Retro\n',
      'sprints/s2/GOAL.md': '# Goal\n',
    });
    assert.deepEqual(
      diagnosticsOf(svc, 'sprints/s1/RETRO.md', 'missing-document').map((d) => d.message),
      ['Phase sprints/s1 has no Sprint Goal (GOAL.md) yet.'],
    );
    assert.deepEqual(
      diagnosticsOf(svc, 'sprints/s2/GOAL.md', 'missing-document').map((d) => d.message),
      ['Phase sprints/s2 has no retro notes (RETRO.md).'],
    );
    // Told of the file in another case beside the document (layout-case.ts), not by the phase's rules.
    const beside = svc.diagnoseAll().filter((d) => d.file.endsWith('/sprints/s1/Retro.md'));
    assert.match(beside.map((d) => d.message).join('\n'), /^Retro\.md is not read as the retro notes of phase sprints\/s1: [^\n]*$/);
  });
});
