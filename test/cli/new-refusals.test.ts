/**
 * `phasegate new` refuses what it cannot create as asked, with a one-line reason (exit 2), and writes
 * nothing then: a workspace config with an error, a folder the scan leaves out, a target through a
 * symbolic link to outside the workspace, a title of several lines; a write that fails is not "skipped".
 */
import * as assert from 'node:assert/strict';
import { WritableMemoryFileSystem, run } from './helpers';

const SPRINTS =
  'layouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    number: "sprint-(\\\\d+)"\n    documents:\n      - kind: brief\n        file: GOALS.md\n';

function memFs(files: Record<string, string>): WritableMemoryFileSystem {
  const m = new WritableMemoryFileSystem();
  for (const [rel, text] of Object.entries(files)) m.write(`/ws/${rel}`, text);
  return m;
}

describe('phasegate new: refusals', () => {
  it("a workspace phasegate.yaml with an error: exit 2 naming the file and line, nothing written (not another layout's documents)", async () => {
    const fsys = memFs({ 'phasegate.yaml': SPRINTS + '        requird: true\n', 'sprints/README.md': 'Sprints.\n' });
    const before = fsys.paths();
    const r = await run(['new', 'phase', 'sprints/sprint-1'], fsys);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /^phasegate: invalid config phasegate\.yaml: .*`requird` is not an allowed key \(line 8\); nothing is created\n$/);
    assert.deepEqual(fsys.paths(), before);
    // A templates folder outside the workspace is such an error too.
    const outside = memFs({ 'phasegate.yaml': 'templates: ../outside\n' });
    const o = await run(['new', 'phase'], outside);
    assert.equal(o.code, 2, o.stdout);
    assert.match(o.stderr, /^phasegate: invalid config phasegate\.yaml: templates folder '..\/outside' is outside the workspace; .*; nothing is created\n$/);
    assert.deepEqual(outside.paths(), ['/ws/phasegate.yaml']);
  });

  it('a phase or workstream in a folder the scan leaves out (dist, a hidden one, an ignore glob): exit 2 with the reason, nothing written', async () => {
    const fsys = memFs({ 'phasegate.yaml': 'ignore: ["old/**"]\n' });
    const cases: [string[], string][] = [
      [['new', 'prompt', '--workstream', 'dist', '--title', 'Packaging'], 'it lies in dist, a folder Phasegate does not look into'],
      [['new', 'phase', '--workstream', '.ops', '--title', 'Deploy'], 'it lies in .ops, a folder Phasegate does not look into'],
      [['new', 'phase', 'old/phase-1'], 'it matches "old/**" of ignore in phasegate.yaml'],
    ];
    for (const [argv, why] of cases) {
      const r = await run(argv, fsys);
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.startsWith('phasegate: ') && r.stderr.includes(`would not be checked: ${why}; nothing is created`), r.stderr);
    }
    assert.deepEqual(fsys.paths(), ['/ws/phasegate.yaml']);
  });
});
