/**
 * `phasegate check` in (or on) a `Workstreams/` folder, named in another case than the iAI layout's `workstreams/`,
 * finds the project above it as it does from a `workstreams/` folder (was: the folder given was the workspace, and
 * nothing was said): the project reports the folder's name, and a PATH in it is named as not checked, with why.
 */
import * as assert from 'node:assert/strict';
import { WritableMemoryFileSystem, run } from './helpers';

const PROMPT = '# Build Phase 1: Setup — Implementation Prompt\n';

function project(ws: string): WritableMemoryFileSystem {
  const m = new WritableMemoryFileSystem();
  m.write(`/ws/p/${ws}/Build/Phase_1_Setup/implementation_prompt.md`, PROMPT);
  m.write('/ws/p/README.md', '# P\n');
  return m;
}

describe('phasegate check from inside a Workstreams/ folder (another case)', () => {
  it('workstreams/: the project above it is the workspace, its phase checked (as before)', async () => {
    const r = await run(['check', '.', '--format', 'json'], project('workstreams'), '/ws/p/workstreams/Build');
    const out = JSON.parse(r.stdout) as { phases: { id: string }[] };
    assert.deepEqual(
      out.phases.map((p) => p.id),
      ['Build/Phase_1_Setup'],
    );
  });

  it('Workstreams/: the project above it is the workspace too, which reports the folder named in another case', async () => {
    const r = await run(['check', '.', '--format', 'json'], project('Workstreams'), '/ws/p/Workstreams');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { diagnostics: { file: string; code: string; message: string }[] };
    assert.deepEqual(
      out.diagnostics.map((d) => [d.file, d.code]),
      [['.', 'missing-folder']],
    );
    assert.match(out.diagnostics[0].message, /^Workstreams\/ is not the iAI layout's workstreams\/ folder .*rename it workstreams\.$/);
    assert.equal(
      r.stderr,
      'phasegate: warning: . is not checked: it is Workstreams/, named in another case than workstreams/, whose phases are not checked: rename it workstreams.\n',
    );
  });

  it('a phase in Workstreams/ is named as not checked, with why, from the project or from inside it', async () => {
    const fsys = project('Workstreams');
    const from = await run(['check', 'Workstreams/Build/Phase_1_Setup'], fsys, '/ws/p');
    const inside = await run(['check', '.'], fsys, '/ws/p/Workstreams/Build/Phase_1_Setup');
    for (const [r, given] of [
      [from, 'Workstreams/Build/Phase_1_Setup'],
      [inside, '.'],
    ] as const) {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        r.stderr,
        `phasegate: warning: ${given} is not checked: it lies in Workstreams/, named in another case than workstreams/, whose phases are not checked: rename it workstreams.\n`,
      );
    }
  });
});
