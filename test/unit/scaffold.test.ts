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
