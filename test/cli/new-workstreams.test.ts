/**
 * `phasegate new phase` at a workstreams/ folder (in any case), or run in one that is the workspace folder (its own
 * phasegate.yaml), creates the phase in that project's workstreams/ (was: workstreams/workstreams/…,
 * Workstreams/workstreams/…); run in an audit phase's folder that is the workspace folder, it creates nothing there.
 * `new plan` there is refused, naming the project folder above, where the plan goes (was: only that the plan's path
 * is outside the workspace).
 */
import * as assert from 'node:assert/strict';
import { WritableMemoryFileSystem, run } from './helpers';

function project(files: Record<string, string>): WritableMemoryFileSystem {
  const m = new WritableMemoryFileSystem();
  for (const [rel, text] of Object.entries(files)) m.write(`/ws/p/${rel}`, text);
  return m;
}

const SETUP = { 'workstreams/Build/Phase_1_Setup/implementation_prompt.md': '# Build Phase 1: Setup — Implementation Prompt\n' };

describe('phasegate new phase at a workstreams/ folder', () => {
  it('Workstreams (another case, not there) is the project: the phase goes in workstreams/', async () => {
    const fsys = project({ 'README.md': '# P\n' });
    const r = await run(['new', 'phase', 'Workstreams', '--workstream', 'Build', '--title', 'Setup'], fsys, '/ws/p');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'created  workstreams/Build/Phase_1_Setup/implementation_prompt.md\n');
    assert.deepEqual(
      fsys.paths().filter((f) => !f.endsWith('README.md')),
      ['/ws/p/workstreams/Build/Phase_1_Setup/implementation_prompt.md'],
    );
  });

  it('a Workstreams/ folder there is refused, naming it; nothing is created', async () => {
    const fsys = project({ 'Workstreams/Build/Phase_1_Setup/implementation_prompt.md': '# Build Phase 1: Setup\n', 'phasegate.yaml': '' });
    for (const path of ['Workstreams', 'Workstreams/Build']) {
      const r = await run(['new', 'phase', path, '--title', 'CI'], fsys, '/ws/p');
      assert.equal(r.code, 2, path);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^phasegate: Workstreams\/ is named in another case than workstreams\/ .*: rename it workstreams; nothing is created\n$/, path);
    }
    assert.deepEqual(fsys.paths().sort(), ['/ws/p/Workstreams/Build/Phase_1_Setup/implementation_prompt.md', '/ws/p/phasegate.yaml']);
  });

  it('in workstreams/ with its own phasegate.yaml: the next phase of the workstream, beside the others', async () => {
    const fsys = project({ ...SETUP, 'workstreams/phasegate.yaml': '' });
    for (const args of [['--workstream', 'Build'], [], ['Build'], ['.']]) {
      const r = await run(['new', 'phase', ...args, '--title', 'CI'], fsys, '/ws/p/workstreams');
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, 'created  Build/Phase_2_CI/implementation_prompt.md\n', args.join(' '));
      fsys.delete('/ws/p/workstreams/Build/Phase_2_CI');
    }
    // No phase yet: the workstream named.
    const empty = project({ 'workstreams/phasegate.yaml': '' });
    const r = await run(['new', 'phase', '--workstream', 'Build', '--title', 'Setup'], empty, '/ws/p/workstreams');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'created  Build/Phase_1_Setup/implementation_prompt.md\n');
  });

  it("in an audit phase's folder with its own phasegate.yaml: refused, nothing created in it", async () => {
    const fsys = project({ 'phase-2/00-PHASE_BRIEF.md': '# Phase 2: Build\n', 'phase-2/phasegate.yaml': '' });
    const r = await run(['new', 'phase'], fsys, '/ws/p/phase-2');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      "phasegate: the workspace folder is phase-2, a phase's folder: a new phase goes beside it, outside this workspace, not into it; create it in the folder that holds phase-2\n",
    );
    assert.deepEqual(fsys.paths().sort(), ['/ws/p/phase-2/00-PHASE_BRIEF.md', '/ws/p/phase-2/phasegate.yaml']);
  });

  it('new plan in workstreams/ with its own phasegate.yaml: refused, saying where the plan goes and where to run it; nothing created', async () => {
    for (const plan of [false, true]) {
      const fsys = project({ ...SETUP, 'workstreams/phasegate.yaml': '', ...(plan ? { 'project_implementation_plan.md': '# Plan\n' } : {}) });
      const before = fsys.paths().sort();
      for (const [args, cwd] of [
        [[], '/ws/p/workstreams'],
        [['Build'], '/ws/p/workstreams'],
        [[], '/ws/p/workstreams/Build'],
      ] as const) {
        const r = await run(['new', 'plan', ...args], fsys, cwd);
        assert.equal(r.code, 2, `${args.join(' ')} in ${cwd}`);
        assert.equal(r.stdout, '');
        assert.equal(
          r.stderr,
          'phasegate: the project plan goes in the project folder /ws/p, which holds workstreams/, above the workspace folder workstreams: ' +
            "outside this workspace, nothing is created and no plan is checked; create it with /ws/p as the workspace folder (run 'phasegate new plan' there)\n",
        );
      }
      assert.deepEqual(fsys.paths().sort(), before);
    }
  });

  it('new plan in Workstreams/ (another case) with its own phasegate.yaml: refused, saying to rename it and where the plan goes and where to run it', async () => {
    const fsys = project({ 'Workstreams/Build/Phase_1_Setup/implementation_prompt.md': '# Build Phase 1: Setup\n', 'Workstreams/phasegate.yaml': '' });
    const before = fsys.paths().sort();
    for (const [args, cwd] of [
      [[], '/ws/p/Workstreams'],
      [['Build'], '/ws/p/Workstreams'],
      [[], '/ws/p/Workstreams/Build'],
    ] as const) {
      const r = await run(['new', 'plan', ...args], fsys, cwd);
      assert.equal(r.code, 2, `${args.join(' ')} in ${cwd}`);
      assert.equal(r.stdout, '');
      assert.equal(
        r.stderr,
        'phasegate: Workstreams (the workspace folder) is named in another case than workstreams (names match case-sensitively on every system, as CI on Linux does): ' +
          'no phase in it is read; rename it workstreams; ' +
          'the project plan goes in the project folder /ws/p, which holds Workstreams/, above the workspace folder Workstreams: ' +
          "outside this workspace, nothing is created and no plan is checked; create it with /ws/p as the workspace folder (run 'phasegate new plan' there)\n",
        `${args.join(' ')} in ${cwd}`,
      );
    }
    // New Phase there keeps its refusal for the name alone: its phase goes inside the folder, once renamed.
    const r = await run(['new', 'phase', '--workstream', 'Build', '--title', 'CI'], fsys, '/ws/p/Workstreams');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /: no phase in it is read; rename it workstreams\n$/);
    assert.deepEqual(fsys.paths().sort(), before);
  });

  it('new plan in workstreams/ without a phasegate.yaml: the project above it is the workspace, the plan goes there', async () => {
    const fsys = project(SETUP);
    const r = await run(['new', 'plan'], fsys, '/ws/p/workstreams');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'created  ../project_implementation_plan.md\n');
    assert.ok(fsys.paths().includes('/ws/p/project_implementation_plan.md'));
  });
});
