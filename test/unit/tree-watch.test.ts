/**
 * The server's own watches of folders on disk (server/src/node/tree-watch.ts), for a client that watches no files:
 * on a real folder, what is created, changed and deleted is told, in folders created after the walk too; the folders
 * `skip` leaves out are not watched; a folder deleted is watched no more.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TreeWatcher } from '../../server/src/node/tree-watch';
import type { TreeWatchEvent } from '../../server/src/lsp/watch';

/** Polls `cond` until it holds or `ms` have passed (the events of `fs.watch` come when the system sends them). */
async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('server watches of folders on disk', () => {
  let root: string;
  let watcher: TreeWatcher | undefined;
  const events: TreeWatchEvent[] = [];
  const logs: string[] = [];
  const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
  const told = (type: TreeWatchEvent['type'], file: string) => events.some((e) => e.type === type && rel(e.path) === file);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-tree-watch-'));
    events.length = 0;
    logs.length = 0;
    fs.mkdirSync(path.join(root, 'phase-1/03-FINDINGS'), { recursive: true });
    fs.mkdirSync(path.join(root, 'node_modules/pkg'), { recursive: true });
    fs.writeFileSync(path.join(root, 'phase-1/00-PHASE_BRIEF.md'), '# Phase 1\n');
  });
  afterEach(() => {
    watcher?.close();
    watcher = undefined;
    fs.rmSync(root, { recursive: true, force: true });
  });

  const start = async (skip = (dir: string) => path.basename(dir) === 'node_modules') => {
    let pauses = 0;
    watcher = new TreeWatcher({
      skip,
      onEvents: (evs) => events.push(...evs),
      log: (m) => logs.push(m),
      pause: async () => {
        pauses++;
      },
    });
    await watcher.add(root);
    return { watcher, pauses: () => pauses };
  };

  it('watches every folder but those skipped, and tells what is created, changed and deleted in them', async () => {
    const { watcher } = await start();
    // The root, phase-1 and its findings; not node_modules nor what it holds.
    assert.equal(watcher.size, 3);
    fs.writeFileSync(path.join(root, 'phase-1/03-FINDINGS/scan.md'), '# Scan\n');
    await until(() => told('created', 'phase-1/03-FINDINGS/scan.md'), 'the created file');
    fs.appendFileSync(path.join(root, 'phase-1/00-PHASE_BRIEF.md'), '\nMore.\n');
    await until(() => told('changed', 'phase-1/00-PHASE_BRIEF.md'), 'the changed file');
    fs.rmSync(path.join(root, 'phase-1/03-FINDINGS/scan.md'));
    await until(() => told('deleted', 'phase-1/03-FINDINGS/scan.md'), 'the deleted file');
    // Nothing from the folder skipped: a file written there, then one at the root, told alone.
    fs.writeFileSync(path.join(root, 'node_modules/pkg/README.md'), 'x\n');
    fs.writeFileSync(path.join(root, 'README.md'), 'x\n');
    await until(() => told('created', 'README.md'), 'the file at the root');
    assert.ok(!events.some((e) => rel(e.path).startsWith('node_modules/pkg')), events.map((e) => rel(e.path)).join());
    assert.deepEqual(logs, []);
  });

  it('a folder created after the walk is watched before it is told, so a file written in it at once is told too', async () => {
    const { watcher } = await start();
    fs.mkdirSync(path.join(root, 'phase-2/04-ARTIFACTS'), { recursive: true });
    await until(() => told('created', 'phase-2'), 'the new folder');
    assert.equal(watcher.size, 5, 'phase-2 and its artifacts folder watched');
    fs.writeFileSync(path.join(root, 'phase-2/04-ARTIFACTS/config.yaml'), 'a: 1\n');
    await until(() => told('created', 'phase-2/04-ARTIFACTS/config.yaml'), 'the file in the new folder');
    // Deleted whole: told, and its folders are watched no more.
    fs.rmSync(path.join(root, 'phase-2'), { recursive: true });
    await until(() => told('deleted', 'phase-2'), 'the deleted folder');
    await until(() => watcher.size === 3, 'the watches of the deleted folders to end');
  });

  it('a folder deleted and made again at once is watched anew: a file written in it then is told', async () => {
    const { watcher } = await start();
    const findings = path.join(root, 'phase-1/03-FINDINGS');
    fs.rmSync(findings, { recursive: true });
    fs.mkdirSync(findings);
    await until(() => told('created', 'phase-1/03-FINDINGS'), 'the folder made again');
    fs.writeFileSync(path.join(findings, 'new.md'), '# New\n');
    await until(() => told('created', 'phase-1/03-FINDINGS/new.md'), 'the file in the folder made again');
    assert.equal(watcher.size, 3);
  });

  it('a file moved in over another (an atomic save) is told as created; remove() and close() end the watches', async () => {
    const { watcher } = await start();
    const brief = path.join(root, 'phase-1/00-PHASE_BRIEF.md');
    fs.writeFileSync(`${brief}.tmp`, '# Phase 1: Saved\n');
    fs.renameSync(`${brief}.tmp`, brief);
    await until(() => told('created', 'phase-1/00-PHASE_BRIEF.md'), 'the brief written anew');
    watcher.remove(path.join(root, 'phase-1'));
    assert.equal(watcher.size, 1);
    events.length = 0;
    fs.writeFileSync(path.join(root, 'phase-1/03-FINDINGS/late.md'), '# Late\n');
    fs.writeFileSync(path.join(root, 'marker.md'), '# Marker\n');
    await until(() => told('created', 'marker.md'), 'the marker at the root');
    assert.ok(!told('created', 'phase-1/03-FINDINGS/late.md'), 'phase-1 watched no more');
    watcher.close();
    assert.equal(watcher.size, 0);
  });

  it('folders made and deleted in quick turns: every watch of a folder gone ends, and nothing is logged', async () => {
    const { watcher } = await start();
    for (let round = 0; round < 30; round++) {
      const dir = path.join(root, `churn-${round % 3}/a/b`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'x.md'), '# X\n');
      if (round % 2) fs.rmSync(path.join(root, `churn-${round % 3}`), { recursive: true });
      await new Promise((r) => setImmediate(r));
    }
    for (let i = 0; i < 3; i++) fs.rmSync(path.join(root, `churn-${i}`), { recursive: true, force: true });
    fs.writeFileSync(path.join(root, 'done.md'), '# Done\n');
    await until(() => told('created', 'done.md') && watcher.size === 3, `the watches back to the 3 folders there (now ${watcher.size})`);
    assert.deepEqual(logs, []);
  });

  it('lets the host run while it walks many folders', async () => {
    for (let i = 0; i < 400; i++) fs.mkdirSync(path.join(root, `many/f${i}/sub`), { recursive: true });
    const { watcher, pauses } = await start();
    assert.equal(watcher.size, 3 + 1 + 800);
    // At least once every 10 ms of walking; the walk takes more than that for 800 folders.
    assert.ok(pauses() >= 1, `pauses: ${pauses()}`);
  });
});
