/**
 * What `new` (the CLI's and the editor's, one planner) creates and refuses: custom layouts named by the
 * request, folders the scan leaves out, empty phase folders, findings' file names, titles.
 */
import * as assert from 'node:assert/strict';
import { toNewRequest } from '../../server/src/lsp/scaffold';
import { planNew } from '../../server/src/service/scaffold';
import { ROOT, workspace } from '../helpers/workspace';

const SPRINTS =
  'layouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    number: "sprint-(\\\\d+)"\n    documents:\n      - kind: brief\n        file: GOALS.md\n';

const files = (plan: { creates: { file: string }[] }) => plan.creates.map((c) => c.file.slice(ROOT.length + 1));

describe('new: a layout named by the request', () => {
  it("the editor's New Phase on a custom layout's group (layout: its name) creates the next phase of that layout", async () => {
    const { svc } = await workspace({ 'phasegate.yaml': SPRINTS, 'sprints/sprint-1/GOALS.md': '# Sprint 1\n', 'sprints/sprint-2/GOALS.md': '# Sprint 2\n' });
    assert.deepEqual(svc.config.problems, []);
    // As client/src/commands/newPhase.ts asks: the group's last phase, its layout's name, the next number.
    const req = toNewRequest(svc, 'phase', `${ROOT}/sprints/sprint-2`, { layout: 'sprint', number: 3, title: 'Third' });
    assert.deepEqual(files(planNew(svc, req)), ['sprints/sprint-3/GOALS.md']);
    // Also with no folder: the layout's one folder of phases.
    assert.deepEqual(files(planNew(svc, { what: 'phase', layout: 'sprint' })), ['sprints/sprint-3/GOALS.md']);
    // A folder that is not the layout's, or a layout the workspace does not have: refused, never an audit phase.
    assert.throws(() => planNew(svc, { what: 'phase', layout: 'sprint', folder: 'other' }), /other is not a folder of sprint phases/);
    assert.throws(
      () => planNew(svc, { what: 'phase', layout: 'waterfall', folder: 'sprints' }),
      /no layout 'waterfall' in this workspace \(layouts: audit, iai, sprint\)/,
    );
  });
});

describe('new: folders the scan leaves out', () => {
  it('a phase or workstream where check and status never look is refused with the reason, nothing planned', async () => {
    const { svc } = await workspace({
      'phasegate.yaml': 'ignore: ["archive/**"]\n',
      'workstreams/Build/Phase_1_Setup/implementation_prompt.md': '# Phase 1: Setup\n',
    });
    for (const [req, why] of [
      [
        { what: 'prompt', workstream: 'dist', title: 'Packaging' },
        /ScaffoldError: workstreams\/dist\/Phase_1_Packaging\/implementation_prompt\.md would not be checked: it lies in dist, a folder Phasegate does not look into; nothing is created$/,
      ],
      [{ what: 'phase', workstream: '.ops', title: 'Deploy' }, /it lies in \.ops, a folder Phasegate does not look into/],
      [
        { what: 'phase', layout: 'audit', folder: 'node_modules/x' },
        /ScaffoldError: node_modules\/x\/phase-1\/00-PHASE_BRIEF\.md would not be checked: it lies in node_modules/,
      ],
      [
        { what: 'phase', layout: 'audit', folder: 'archive/phase-4' },
        /ScaffoldError: archive\/phase-4\/00-PHASE_BRIEF\.md would not be checked: it matches "archive\/\*\*" of ignore in phasegate\.yaml/,
      ],
    ] as const)
      assert.throws(() => planNew(svc, req), why, JSON.stringify(req));
    // The workspace's own folders are fine.
    assert.deepEqual(files(planNew(svc, { what: 'prompt', workstream: 'Build', title: 'CI' })), ['workstreams/Build/Phase_2_CI/implementation_prompt.md']);
  });
});
