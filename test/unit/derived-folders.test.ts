import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../server/src/service';
import { Folder, Workspaces } from '../../server/src/lsp/workspaces';
import { assets } from '../helpers/workspace';

const BRIEF = '# Phase 1: Title\n\n## Objectives\n\n- One\n';

/** Folders of a language server over /ws (a workspace folder), each nested project adopted as it loads. */
async function server(files: Record<string, string>, clients = ['/ws']): Promise<{ ws: Workspaces; fs: MemoryFileSystem }> {
  const fs = new MemoryFileSystem();
  for (const [p, t] of Object.entries(files)) fs.write(`/ws/${p}`, t);
  const ws = new Workspaces({ fs, assets }, { log: () => undefined }, () => true);
  ws.loaded = (f) => {
    for (const d of ws.adoptNested(f).added) void ws.load(d);
  };
  for (const c of clients) ws.add(`file://${c}`);
  ws.excludeNested();
  for (const f of ws.all()) void ws.load(f);
  await ws.allReady();
  return { ws, fs };
}

const rows = (ws: Workspaces) => ws.all().map((f: Folder) => `${f.path} ${ws.label(f)}${f.parent ? ` < ${f.parent.path}` : ''}`);

describe('language server folders: nested projects as derived folders', () => {
  const files = {
    'phase-1/00-PHASE_BRIEF.md': BRIEF,
    'projects/b/phasegate.yaml': '',
    'projects/b/phase-1/00-PHASE_BRIEF.md': BRIEF,
    'projects/a/phasegate.yaml': '',
    'projects/a/sub/.phasegate.yaml': '',
    'projects/a/sub/phase-1/00-PHASE_BRIEF.md': BRIEF,
  };

  it('adopts the nested projects of each folder, recursively, listed after their workspace folder by path', async () => {
    const { ws } = await server(files);
    assert.deepEqual(rows(ws), [
      '/ws ws',
      '/ws/projects/a projects/a < /ws',
      '/ws/projects/a/sub projects/a/sub < /ws/projects/a',
      '/ws/projects/b projects/b < /ws',
    ]);
    assert.equal(ws.folderOf('/ws/projects/a/sub/phase-1/00-PHASE_BRIEF.md')?.path, '/ws/projects/a/sub');
    assert.deepEqual(ws.folderOf('/ws/phase-1')?.svc.model.phases.length, 1);
  });

  it('gives the file events of a project config to the project and to the folder that found it', async () => {
    const { ws } = await server(files);
    const paths = (p: string) => ws.foldersFor(p).map((f) => f.path);
    assert.deepEqual(paths('/ws/projects/a/sub/.phasegate.yaml'), ['/ws/projects/a/sub', '/ws/projects/a']);
    assert.deepEqual(paths('/ws/projects/a'), ['/ws/projects/a', '/ws']);
    assert.deepEqual(paths('/ws/projects/a/sub/phase-1/00-PHASE_BRIEF.md'), ['/ws/projects/a/sub']);
    assert.deepEqual(paths('/ws/projects/a/phasegate.json'), ['/ws/projects/a']);
  });

  it('drops the projects a folder no longer finds, with theirs; a client folder removed takes its projects along', async () => {
    const { ws, fs } = await server(files);
    fs.delete('/ws/projects/a/phasegate.yaml');
    await ws.folderOf('/ws')!.svc.filesChanged([{ path: '/ws/projects/a/phasegate.yaml', type: 'deleted' }]);
    const { added, removed } = ws.adoptNested(ws.folderOf('/ws')!);
    assert.deepEqual(
      removed.map((f) => f.path),
      ['/ws/projects/a', '/ws/projects/a/sub'],
    );
    assert.ok(removed.every((f) => f.disposed));
    // The outer folder now finds the sub-project itself.
    assert.deepEqual(ws.folderOf('/ws')!.svc.nested, ['/ws/projects/a/sub', '/ws/projects/b']);
    assert.deepEqual(
      added.map((f) => `${f.path} < ${f.parent?.path}`),
      ['/ws/projects/a/sub < /ws'],
    );
    const gone = ws.remove('file:///ws');
    assert.deepEqual(
      gone.map((f) => f.path),
      ['/ws', '/ws/projects/b', '/ws/projects/a/sub'],
    );
    assert.deepEqual(ws.all(), []);
  });

  it('names a project after its workspace folder when the client has several, and keeps a project the client opens as its own folder', async () => {
    const { ws } = await server(files, ['/ws', '/other']);
    assert.equal(ws.label(ws.folderOf('/ws/projects/b')!), 'ws/projects/b');
    const b = ws.add('file:///ws/projects/b', 'b')!;
    assert.equal(b.parent, undefined);
    assert.equal(ws.label(b), 'b');
  });
});
