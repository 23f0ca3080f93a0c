/**
 * A new phase asked for at a `workstreams/` folder (in any case), at a workstream's folder, or with the workspace
 * folder itself one of them (the editor opened there), is planned in that project's `workstreams/` (was: in
 * `workstreams/workstreams/…`, or `Workstreams/workstreams/…`). The editor's request (toNewRequest, as the language
 * server makes it) and the engine's plan agree. And a new audit phase is never planned inside a phase's folder
 * that is the workspace folder (was: `phase-2/phase-1/…`).
 */
import * as assert from 'node:assert/strict';
import { toNewRequest } from '../../server/src/lsp/scaffold';
import { MemoryFileSystem, PhasegateService } from '../../server/src/service';
import { planNew, type NewRequest } from '../../server/src/service/scaffold';
import { ROOT, assets, workspace } from '../helpers/workspace';

/** An engine whose workspace folder is `root`, over files given relative to `/p`. */
async function at(root: string, files: Record<string, string>): Promise<PhasegateService> {
  const fs = new MemoryFileSystem();
  for (const [p, t] of Object.entries(files)) fs.write(`/p/${p}`, t);
  const svc = new PhasegateService({ fs, assets });
  await svc.load(root);
  return svc;
}

const created = (svc: PhasegateService, req: NewRequest) => planNew(svc, req).creates.map((c) => c.file);
/** What the editor's New Phase creates at `path`, with `options`, as the language server plans it. */
const editor = (svc: PhasegateService, path: string, options: Record<string, unknown>) => created(svc, toNewRequest(svc, 'phase', path, options));

const BUILD_1 = { 'workstreams/Build/Phase_1_Setup/implementation_prompt.md': '# Build Phase 1: Setup — Implementation Prompt\n' };

describe('new: a phase at a workstreams/ folder', () => {
  it('the workspace folder workstreams/ (no phase yet) is its project: the phase goes in it, not in workstreams/workstreams/', async () => {
    const svc = await at('/p/workstreams', { 'workstreams/.keep': '' });
    const want = ['/p/workstreams/Build/Phase_1_Setup/implementation_prompt.md'];
    // The welcome view's Scaffold First Phase names the workspace folder, the layout, the workstream and the number.
    assert.deepEqual(editor(svc, '/p/workstreams', { layout: 'iai', workstream: 'Build', number: 1, title: 'Setup' }), want);
    // Without a layout, a workstreams/ folder means an iAI phase (was: an audit phase-1/ in it).
    assert.deepEqual(editor(svc, '/p/workstreams', { workstream: 'Build', title: 'Setup' }), want);
    assert.deepEqual(created(svc, { what: 'phase', workstream: 'Build', title: 'Setup' }), want);
    assert.deepEqual(created(svc, { what: 'prompt', workstream: 'Build', title: 'Setup' }), want);
    // A workstream's folder in it is that workstream.
    assert.deepEqual(created(svc, { what: 'phase', folder: 'Build', title: 'Setup' }), want);
    assert.throws(() => planNew(svc, { what: 'phase', title: 'Setup' }), /^ScaffoldError: a new iAI phase needs a workstream$/);
  });

  it('the workspace folder workstreams/ with phases: the next phase of its workstream, beside them', async () => {
    const svc = await at('/p/workstreams', { ...BUILD_1, 'workstreams/phasegate.yaml': '' });
    const want = ['/p/workstreams/Build/Phase_2_CI/implementation_prompt.md'];
    // As `phasegate new phase` in workstreams/ (its own phasegate.yaml) asks: the folder is the workspace folder.
    assert.deepEqual(created(svc, { what: 'phase', folder: '/p/workstreams', workstream: 'Build', title: 'CI' }), want);
    assert.deepEqual(created(svc, { what: 'phase', folder: '/p/workstreams', title: 'CI' }), want);
    assert.deepEqual(editor(svc, '/p/workstreams', { title: 'CI' }), want);
    assert.deepEqual(created(svc, { what: 'phase', folder: '/p/workstreams/Build/Phase_2_CI' }), want);
  });

  it("the workspace folder workstreams/Build/ is that workstream's folder", async () => {
    const svc = await at('/p/workstreams/Build', { ...BUILD_1 });
    assert.deepEqual(editor(svc, '/p/workstreams/Build', { title: 'CI' }), ['/p/workstreams/Build/Phase_2_CI/implementation_prompt.md']);
    const empty = await at('/p/workstreams/Build', { 'workstreams/Build/.keep': '' });
    assert.deepEqual(editor(empty, '/p/workstreams/Build', { layout: 'iai', number: 1, title: 'Setup' }), [
      '/p/workstreams/Build/Phase_1_Setup/implementation_prompt.md',
    ]);
  });

  it('a workstreams/ folder in the workspace, named in any case, is its project (was: Workstreams/workstreams/…)', async () => {
    const { svc } = await workspace({ 'README.md': '# Project\n' });
    const want = [`${ROOT}/workstreams/Build/Phase_1_Setup/implementation_prompt.md`];
    for (const folder of ['workstreams', 'Workstreams', 'WORKSTREAMS/', `${ROOT}/Workstreams`]) {
      assert.deepEqual(created(svc, { what: 'phase', folder, workstream: 'Build', title: 'Setup' }), want, folder);
      assert.deepEqual(created(svc, { what: 'phase', layout: 'iai', folder, workstream: 'Build', title: 'Setup' }), want, folder);
      // A workstream's folder in it is that workstream, also without --workstream.
      assert.deepEqual(created(svc, { what: 'phase', folder: `${folder.replace(/\/$/, '')}/Build`, title: 'Setup' }), want, folder);
    }
    assert.deepEqual(editor(svc, `${ROOT}/Workstreams`, { layout: 'iai', workstream: 'Build', number: 1, title: 'Setup' }), want);
    // A folder named as a phase of a workstream there: that phase, in workstreams/.
    assert.deepEqual(created(svc, { what: 'phase', folder: 'Workstreams/Build/Phase_4_Deploy' }), [
      `${ROOT}/workstreams/Build/Phase_4_Deploy/implementation_prompt.md`,
    ]);
  });

  it('a Workstreams/ folder there is not written beside: refused, naming it (was: Workstreams/workstreams/…, or an audit phase in it)', async () => {
    const { svc } = await workspace({ 'Workstreams/Build/Phase_1_Setup/implementation_prompt.md': '# Build Phase 1: Setup\n' });
    const refusal = /^ScaffoldError: Workstreams\/ is named in another case than workstreams\/ .*: rename it workstreams; nothing is created$/;
    assert.throws(() => planNew(svc, { what: 'phase', folder: 'Workstreams', title: 'CI' }), refusal);
    assert.throws(() => planNew(svc, { what: 'phase', folder: 'Workstreams', workstream: 'Build', title: 'CI' }), refusal);
    assert.throws(() => planNew(svc, { what: 'phase', folder: 'Workstreams/Build', title: 'CI' }), refusal);
    assert.throws(() => planNew(svc, toNewRequest(svc, 'phase', `${ROOT}/Workstreams`, { title: 'CI' })), refusal);
  });

  it('a workspace folder Workstreams/ (another case: no phase in it is read) is refused, nothing planned', async () => {
    const svc = await at('/p/Workstreams', { 'Workstreams/.keep': '' });
    const refusal =
      /^ScaffoldError: Workstreams \(the workspace folder\) is named in another case than workstreams \(names match case-sensitively on every system, as CI on Linux does\): no phase in it is read; rename it workstreams$/;
    assert.throws(() => planNew(svc, toNewRequest(svc, 'phase', '/p/Workstreams', { layout: 'iai', workstream: 'Build', number: 1, title: 'Setup' })), refusal);
    assert.throws(() => planNew(svc, { what: 'phase', folder: '/p/Workstreams', title: 'Setup' }), refusal);
    const inside = await at('/p/Workstreams/Build', { 'Workstreams/Build/.keep': '' });
    assert.throws(
      () => planNew(inside, { what: 'phase', layout: 'iai', title: 'Setup' }),
      /^ScaffoldError: Workstreams \(the workspace folder's parent\) is named/,
    );
  });

  it('an audit phase of a project with a workstreams/ folder is unchanged: phase-N beside the other audit phases', async () => {
    const { svc } = await workspace({ ...BUILD_1, 'audit/phase-1/00-PHASE_BRIEF.md': '# Phase 1: Setup\n' });
    assert.deepEqual(created(svc, { what: 'phase', layout: 'audit', folder: 'audit' })[0], `${ROOT}/audit/phase-2/00-PHASE_BRIEF.md`);
    assert.deepEqual(created(svc, { what: 'phase', folder: 'audit/phase-1/03-FINDINGS' })[0], `${ROOT}/audit/phase-2/00-PHASE_BRIEF.md`);
  });
});

describe("new: an audit phase at a phase's folder", () => {
  const PHASE_2 = { 'phase-2/00-PHASE_BRIEF.md': '# Phase 2: Build\n', 'phase-2/03-FINDINGS/.gitkeep': '' };

  it('the workspace folder is a phase folder, or lies in one: refused, nothing planned in it (was: phase-2/phase-1/…)', async () => {
    for (const root of ['/p/phase-2', '/p/phase-2/03-FINDINGS']) {
      const svc = await at(root, PHASE_2);
      const why = `^ScaffoldError: the workspace folder ${root.endsWith('2') ? 'is' : 'lies in'} phase-2, a phase's folder: a new phase goes beside it, outside this workspace, not into it; create it in the folder that holds phase-2$`;
      assert.throws(() => planNew(svc, toNewRequest(svc, 'phase', root, {})), new RegExp(why), root);
      assert.throws(() => planNew(svc, { what: 'phase', layout: 'audit' }), new RegExp(why), root);
      assert.throws(() => planNew(svc, { what: 'phase', folder: `${root}/phase-3` }), new RegExp(why), root);
    }
  });

  it('a workspace folder named as a phase that holds audit phases is a project like any other', async () => {
    const svc = await at('/p/phase-2', { 'phase-2/phase-1/00-PHASE_BRIEF.md': '# Phase 1: Setup\n' });
    assert.equal(editor(svc, '/p/phase-2', {})[0], '/p/phase-2/phase-2/00-PHASE_BRIEF.md');
  });

  it('in a phase of the workspace, or at it, the next phase goes beside it', async () => {
    const { svc } = await workspace({ 'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Setup\n', 'phase-1/03-FINDINGS/a.md': '# A\n' });
    for (const path of [`${ROOT}/phase-1/03-FINDINGS`, `${ROOT}/phase-1/03-FINDINGS/a.md`])
      assert.equal(editor(svc, path, {})[0], `${ROOT}/phase-2/00-PHASE_BRIEF.md`, path);
    assert.equal(created(svc, { what: 'phase', folder: 'phase-1/04-ARTIFACTS/new' })[0], `${ROOT}/phase-2/00-PHASE_BRIEF.md`);
    assert.throws(() => planNew(svc, { what: 'phase', folder: 'phase-1/phase-3' }), /phase-1\/phase-3 would be a phase inside phase-1/);
  });
});
