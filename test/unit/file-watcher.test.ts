/**
 * The server's file watching (server/src/lsp/watch.ts) over an engine on an in-memory workspace: which
 * batches of file events reach the server's listener, which announces a phase change and refreshes the
 * code lenses for each.
 */
import * as assert from 'node:assert/strict';
import { FileChangeType, type Connection, type DidChangeWatchedFilesParams, type FileEvent } from 'vscode-languageserver';
import type { ServerContext } from '../../server/src/lsp/context';
import { pathToUri } from '../../server/src/lsp/uri';
import { FileWatcher, uniqueEvents } from '../../server/src/lsp/watch';
import { ROOT, workspace } from '../helpers/workspace';
import { folderOver } from '../helpers/folder';

const FILES: Record<string, string> = {
  'phase-1/00-PHASE_BRIEF.md': '# Phase 1: Work\n\n## Objectives\n\nDo it.\n',
  'phase-1/06-OUTPUT_HANDOFF.md': '# Phase 1 Output Handoff\n\n## Artifacts Produced\n\n- Report: [report](04-ARTIFACTS/report.md) - the report\n',
  'dist/bundle.js': 'console.log(1);\n',
};

async function watched(): Promise<{
  send: (...changes: FileEvent[]) => Promise<void>;
  receive: (...changes: FileEvent[]) => void;
  applied: (folder: string) => Promise<void>;
  calls: string[][];
  write: (rel: string, text: string) => void;
}> {
  const { svc, fs } = await workspace(FILES);
  const folder = folderOver(svc);
  const ctx = { workspaces: { folderOf: () => folder, foldersFor: () => [folder] }, error: (m: string) => assert.fail(m) } as unknown as ServerContext;
  const calls: string[][] = [];
  const watcher = new FileWatcher(ctx, (_f, affected) => calls.push(affected));
  let handler!: (p: DidChangeWatchedFilesParams) => void;
  watcher.listen({ onDidChangeWatchedFiles: (h: typeof handler) => (handler = h) } as unknown as Connection);
  return {
    calls,
    write: (rel, text) => fs.write(`${ROOT}/${rel}`, text),
    send: async (...changes) => {
      handler({ changes });
      await watcher.idle();
    },
    receive: (...changes) => handler({ changes }),
    applied: (folder) => watcher.applied(folder),
  };
}

const ev = (rel: string, type: FileChangeType): FileEvent => ({ uri: pathToUri(`${ROOT}/${rel}`), type });

describe('language server: file events', () => {
  it('a file the engine neither checks nor models changing (a build output written again) reaches no listener', async () => {
    const w = await watched();
    w.write('dist/bundle.js', 'console.log(2);\n');
    await w.send(ev('dist/bundle.js', FileChangeType.Changed), ev('dist/bundle.js', FileChangeType.Changed));
    assert.deepEqual(w.calls, []);
  });

  it('a checked document changing, or an artifact appearing and disappearing, does (missing-artifact depends on it)', async () => {
    const w = await watched();
    w.write('phase-1/00-PHASE_BRIEF.md', '# Phase 1: Other work\n\n## Objectives\n\nDo it.\n');
    await w.send(ev('phase-1/00-PHASE_BRIEF.md', FileChangeType.Changed));
    assert.equal(w.calls.length, 1);
    assert.ok(w.calls[0].includes(`${ROOT}/phase-1/00-PHASE_BRIEF.md`), w.calls[0].join());
    w.write('phase-1/04-ARTIFACTS/report.md', '# Report\n');
    await w.send(ev('phase-1/04-ARTIFACTS/report.md', FileChangeType.Created));
    assert.equal(w.calls.length, 2);
    await w.send(ev('phase-1/04-ARTIFACTS/report.md', FileChangeType.Deleted));
    assert.equal(w.calls.length, 3);
  });

  it('a malformed event (no URI, a type LSP does not define) is passed over, and the others of its notification applied', async () => {
    const { svc, fs } = await workspace(FILES);
    const folder = folderOver(svc);
    const errors: string[] = [];
    const ctx = { workspaces: { folderOf: () => folder, foldersFor: () => [folder] }, error: (m: string) => errors.push(m) } as unknown as ServerContext;
    const calls: string[][] = [];
    const watcher = new FileWatcher(ctx, (_f, affected) => calls.push(affected));
    let handler!: (p: DidChangeWatchedFilesParams) => void;
    watcher.listen({ onDidChangeWatchedFiles: (h: typeof handler) => (handler = h) } as unknown as Connection);
    fs.write(`${ROOT}/phase-1/04-ARTIFACTS/report.md`, '# Report\n');
    const malformed = [{ type: FileChangeType.Created }, { uri: 42, type: FileChangeType.Deleted }, ev('phase-1/00-PHASE_BRIEF.md', 99 as FileChangeType)];
    handler({ changes: [...(malformed as FileEvent[]), ev('phase-1/04-ARTIFACTS/report.md', FileChangeType.Created)] });
    // Changes that are no list are none.
    handler({ changes: 'phase-1' as unknown as FileEvent[] });
    await watcher.idle();
    assert.deepEqual(errors, []);
    assert.equal(calls.length, 1, 'the artifact came');
    assert.ok(svc.exists(`${ROOT}/phase-1/04-ARTIFACTS/report.md`));
    // An event of type 99 is no deletion: the brief is still the phase's.
    assert.ok(svc.model.phases[0].markdown.includes(`${ROOT}/phase-1/00-PHASE_BRIEF.md`));
  });

  it('applied() resolves once the events received so far are applied, the batch still gathering as it would', async () => {
    const w = await watched();
    w.write('phase-1/00-PHASE_BRIEF.md', '# Phase 1: Other work\n\n## Objectives\n\nDo it.\n');
    w.receive(ev('phase-1/00-PHASE_BRIEF.md', FileChangeType.Changed));
    const applied = w.applied(ROOT);
    // An event received after the request asked, within the batch's time: still in the same batch.
    w.write('phase-1/04-ARTIFACTS/report.md', '# Report\n');
    w.receive(ev('phase-1/04-ARTIFACTS/report.md', FileChangeType.Created));
    assert.equal(w.calls.length, 0, 'nothing applied yet');
    await applied;
    assert.equal(w.calls.length, 1, 'one batch');
    assert.ok(w.calls[0].includes(`${ROOT}/phase-1/00-PHASE_BRIEF.md`), w.calls[0].join());
    // Nothing gathering: what was applied.
    await w.applied(ROOT);
    assert.equal(w.calls.length, 1);
  });

  it("a request on another folder waits for none of this folder's events: neither its batch gathering nor its change held by a reader", async () => {
    const { svc, fs } = await workspace(FILES);
    const here = folderOver(svc);
    const elsewhere = Object.assign(folderOver((await workspace(FILES)).svc), { path: '/elsewhere', uri: pathToUri('/elsewhere') });
    const ctx = { workspaces: { folderOf: () => here, foldersFor: () => [here] }, error: (m: string) => assert.fail(m) } as unknown as ServerContext;
    const calls: string[][] = [];
    const watcher = new FileWatcher(ctx, (_f, affected) => calls.push(affected));
    let handler!: (p: DidChangeWatchedFilesParams) => void;
    watcher.listen({ onDidChangeWatchedFiles: (h: typeof handler) => (handler = h) } as unknown as Connection);
    // As the server wires them (server.ts): each folder's requests wait for the file events it was told of.
    const applied = watcher.applied.bind(watcher) as (folder?: string) => Promise<void>;
    for (const f of [here, elsewhere]) Object.assign(f, { deps: { eventsApplied: (folder?: string) => applied(folder) } });
    // A reader holds this folder's changes (a phase tree built in one state) until the next turn of the event loop.
    const release = here.hold();
    setImmediate(release);
    fs.write(`${ROOT}/phase-1/04-ARTIFACTS/report.md`, '# Report\n');
    handler({ changes: [ev('phase-1/04-ARTIFACTS/report.md', FileChangeType.Created)] });
    const seen: { folder: string; calls: number }[] = [];
    const requests = [here, elsewhere].map((f) => f.settled().then(() => seen.push({ folder: f.path, calls: calls.length })));
    await Promise.all(requests);
    // The other folder's request is answered at once; this folder's once its event is applied.
    assert.deepEqual(seen, [
      { folder: '/elsewhere', calls: 0 },
      { folder: ROOT, calls: 1 },
    ]);
  });

  it("a request waits for no batch of a version control system's own files (.git/index.lock), only for one that may reach its engine", async () => {
    const w = await watched();
    /** Whether the folder's wait is over after one turn of the event loop (the batch gathers for 50 ms). */
    const overAtOnce = async () => {
      let over = false;
      void w.applied(ROOT).then(() => (over = true));
      await new Promise<void>((resolve) => setImmediate(resolve));
      return over;
    };
    w.receive(ev('.git/index.lock', FileChangeType.Created), ev('.git/index.lock', FileChangeType.Deleted), ev('.hg/wlock', FileChangeType.Created));
    assert.equal(await overAtOnce(), true, 'version control files only');
    w.receive(ev('phase-1/04-ARTIFACTS/report.md', FileChangeType.Created));
    assert.equal(await overAtOnce(), false, 'an artifact too: the batch is waited for');
    await w.applied(ROOT);
  });

  it('a request waits for no change of a file whose text the engine does not read: one it does not check, one the editor holds', async () => {
    const { svc } = await workspace({ ...FILES, 'README.md': '# Project\n', 'phase-1/04-ARTIFACTS/data.json': '{}\n' });
    const folder = folderOver(svc);
    const ctx = { workspaces: { folderOf: () => folder, foldersFor: () => [folder] }, error: (m: string) => assert.fail(m) } as unknown as ServerContext;
    const watcher = new FileWatcher(ctx, () => undefined);
    let handler!: (p: DidChangeWatchedFilesParams) => void;
    watcher.listen({ onDidChangeWatchedFiles: (h: typeof handler) => (handler = h) } as unknown as Connection);
    const overAtOnce = async (...changes: FileEvent[]) => {
      handler({ changes });
      let over = false;
      void watcher.applied(ROOT).then(() => (over = true));
      await new Promise<void>((resolve) => setImmediate(resolve));
      await watcher.idle();
      return over;
    };
    // Saved from the editor: its text is the editor's, which the engine has.
    svc.setOverlay(`${ROOT}/phase-1/00-PHASE_BRIEF.md`, FILES['phase-1/00-PHASE_BRIEF.md']);
    const ignored = ['README.md', 'phase-1/04-ARTIFACTS/data.json', 'dist/bundle.js', 'phase-1/00-PHASE_BRIEF.md'];
    assert.equal(await overAtOnce(...ignored.map((f) => ev(f, FileChangeType.Changed))), true, ignored.join(', '));
    // Each that the engine reads, changed, is waited for.
    for (const f of ['phase-1/06-OUTPUT_HANDOFF.md', 'phasegate.yaml']) assert.equal(await overAtOnce(ev(f, FileChangeType.Changed)), false, f);
    // So is one created or deleted (its existence counts), checked or not.
    assert.equal(await overAtOnce(ev('phase-1/04-ARTIFACTS/data.json', FileChangeType.Deleted)), false);
  });

  it('drops repeated events of a batch, keeping the order of what happened to each file', () => {
    const a = ev('a.md', FileChangeType.Changed);
    const created = ev('b.md', FileChangeType.Created);
    const deleted = ev('b.md', FileChangeType.Deleted);
    assert.deepEqual(uniqueEvents([a, a, created, a]), [created, a]);
    // Deleted, written anew, deleted again: deleted last.
    assert.deepEqual(uniqueEvents([deleted, created, deleted]), [created, deleted]);
    const once = [a, created];
    assert.equal(uniqueEvents(once), once);
  });
});
