import * as assert from 'node:assert/strict';
import { DirEntry, FileStat, FileSystem } from '../../server/src/service/host';
import { PhasegateService } from '../../server/src/service/service';
import { Folder } from '../../server/src/lsp/workspaces';
import { assets } from '../helpers/workspace';

const ROOT = '/ws';

/**
 * A workspace of `top` areas of `sub` audit phases (`phase-N`), each phase holding a brief and a phase's
 * documents that link to each other (so that links can break when files go), and a project plan at the root.
 * Folder path -> its entries (files' text kept apart).
 */
function tree(top: number, sub: number): { dirs: Map<string, DirEntry[]>; texts: Map<string, string> } {
  const dirs = new Map<string, DirEntry[]>();
  const texts = new Map<string, string>();
  dirs.set(ROOT, []);
  for (let i = 0; i < top; i++) {
    const area = `${ROOT}/area-${i}`;
    dirs.get(ROOT)!.push({ name: `area-${i}`, kind: 'directory' });
    dirs.set(area, []);
    for (let j = 1; j <= sub; j++) {
      const dir = `${area}/phase-${j}`;
      dirs.get(area)!.push({ name: `phase-${j}`, kind: 'directory' });
      dirs.set(dir, [
        { name: '00-PHASE_BRIEF.md', kind: 'file' },
        { name: '01-INPUT_HANDOFF.md', kind: 'file' },
      ]);
      texts.set(`${dir}/00-PHASE_BRIEF.md`, `# Phase ${j}\n\nSee [the handoff](01-INPUT_HANDOFF.md) and [the next](../phase-${j + 1}/00-PHASE_BRIEF.md).\n`);
      texts.set(`${dir}/01-INPUT_HANDOFF.md`, `# Input of phase ${j}\n\n- [x] read [the brief](00-PHASE_BRIEF.md)\n`);
    }
  }
  return { dirs, texts };
}

/**
 * The file system of a generated tree, changed by the test as a checkout would change a disk (`write`,
 * `remove`). With `pause`, a host that must stay responsive, as the language server's: `onPause` runs at each
 * pause (as a request would), and pauses are counted.
 */
class EventsFileSystem implements FileSystem {
  pauses = 0;
  onPause: (() => void) | undefined;
  pause?: () => Promise<void>;

  constructor(
    private readonly dirs: Map<string, DirEntry[]>,
    private readonly texts: Map<string, string>,
    opts: { pause: boolean },
  ) {
    if (opts.pause)
      this.pause = async () => {
        this.pauses++;
        this.onPause?.();
        await new Promise((resolve) => setImmediate(resolve));
      };
  }

  write(path: string, text: string): void {
    const i = path.lastIndexOf('/');
    const dir = path.slice(0, i);
    this.mkdir(dir);
    const entries = this.dirs.get(dir)!;
    if (!entries.some((e) => e.name === path.slice(i + 1))) entries.push({ name: path.slice(i + 1), kind: 'file' });
    this.texts.set(path, text);
  }

  mkdir(dir: string): void {
    if (this.dirs.has(dir)) return;
    const i = dir.lastIndexOf('/');
    this.mkdir(dir.slice(0, i));
    this.dirs.get(dir.slice(0, i))!.push({ name: dir.slice(i + 1), kind: 'directory' });
    this.dirs.set(dir, []);
  }

  remove(path: string): void {
    for (const d of [...this.dirs.keys()]) if (d === path || d.startsWith(path + '/')) this.dirs.delete(d);
    for (const f of [...this.texts.keys()]) if (f === path || f.startsWith(path + '/')) this.texts.delete(f);
    const i = path.lastIndexOf('/');
    const parent = this.dirs.get(path.slice(0, i));
    if (parent)
      this.dirs.set(
        path.slice(0, i),
        parent.filter((e) => e.name !== path.slice(i + 1)),
      );
  }

  private entries(dir: string): DirEntry[] {
    const e = this.dirs.get(dir);
    if (!e) throw Object.assign(new Error(`ENOENT: no such file or directory, scandir '${dir}'`), { code: 'ENOENT' });
    return e.map((x) => ({ ...x }));
  }

  readDirectorySync(dir: string): DirEntry[] | undefined {
    return this.entries(dir);
  }

  async readDirectory(dir: string): Promise<DirEntry[]> {
    return this.entries(dir);
  }

  async readFile(p: string): Promise<Uint8Array> {
    const t = this.texts.get(p);
    if (t === undefined) throw Object.assign(new Error(`ENOENT: no such file '${p}'`), { code: 'ENOENT' });
    return new TextEncoder().encode(t);
  }

  async stat(p: string): Promise<FileStat | undefined> {
    if (this.dirs.has(p)) return { kind: 'directory', size: 0 };
    const t = this.texts.get(p);
    return t === undefined ? undefined : { kind: 'file', size: t.length };
  }
}

type FileEvent = { path: string; type: 'created' | 'changed' | 'deleted' };

/**
 * A checkout's worth of changes to the disk of `fs`, and the events that say so: a phase folder deleted, a
 * phase's input handoff deleted (its brief's link breaks), a phase folder created with a brief, a document
 * created in a phase, a file written anew over one the engine checks, and the brief of a phase the editor has
 * open deleted (its editor text stays a document of the workspace).
 */
function checkout(fs: EventsFileSystem): FileEvent[] {
  fs.remove(`${ROOT}/area-2/phase-7`);
  fs.remove(`${ROOT}/area-3/phase-4/01-INPUT_HANDOFF.md`);
  fs.remove(`${ROOT}/area-1/phase-9/00-PHASE_BRIEF.md`);
  fs.write(`${ROOT}/area-4/phase-9999/00-PHASE_BRIEF.md`, '# New\n\nSee [gone](../../area-2/phase-7/00-PHASE_BRIEF.md).\n');
  fs.write(`${ROOT}/area-5/phase-3/05-DECISIONS.md`, '# Decisions\n\nNone [yet](00-PHASE_BRIEF.md).\n');
  fs.write(`${ROOT}/area-6/phase-2/00-PHASE_BRIEF.md`, '# Phase 2, rewritten\n\nSee [nothing](missing.md).\n');
  return [
    { path: `${ROOT}/area-2/phase-7`, type: 'deleted' },
    { path: `${ROOT}/area-3/phase-4/01-INPUT_HANDOFF.md`, type: 'deleted' },
    { path: `${ROOT}/area-1/phase-9/00-PHASE_BRIEF.md`, type: 'deleted' },
    { path: `${ROOT}/area-4/phase-9999`, type: 'created' },
    { path: `${ROOT}/area-5/phase-3/05-DECISIONS.md`, type: 'created' },
    { path: `${ROOT}/area-6/phase-2/00-PHASE_BRIEF.md`, type: 'created' },
  ];
}

const OPEN = `${ROOT}/area-1/phase-9/00-PHASE_BRIEF.md`;

/** An engine over a fresh copy of the tree, loaded, with one document open in the editor. */
async function loaded(t: ReturnType<typeof tree>, pause: boolean): Promise<{ svc: PhasegateService; fs: EventsFileSystem }> {
  const fs = new EventsFileSystem(new Map([...t.dirs].map(([k, v]) => [k, [...v]])), new Map(t.texts), { pause });
  const svc = new PhasegateService({ fs, assets });
  await svc.load(ROOT);
  svc.setOverlay(OPEN, '# Phase 9, as the editor holds it\n');
  return { svc, fs };
}

/** What a request may read of an engine: its files and folders, its phases, and which documents it checks that it has not read. */
function state(svc: PhasegateService): string {
  const unread = svc.checkedFiles().filter((f) => svc.getText(f) === undefined).length;
  return `${svc.scan.files.size} files, ${svc.scan.dirs.size} folders, ${svc.model.phases.length} phases, ${svc.checkedFiles().length} checked, ${unread} unread`;
}

/** Everything the engine reports, and what it holds. */
function results(svc: PhasegateService) {
  return {
    files: [...svc.scan.files].sort(),
    dirs: [...svc.scan.dirs].sort(),
    problems: svc.scan.problems,
    phases: svc.model.phases.map((p) => [p.id, p.prev?.id, p.next?.id, p.markdown]),
    checked: svc.checkedFiles(),
    texts: svc.checkedFiles().map((f) => svc.getText(f)),
    diagnostics: svc.diagnoseAll(),
    statuses: svc.model.phases.map((p) => svc.status(p)),
  };
}

describe('file events in slices (the language server)', function () {
  this.timeout(120_000);
  // 10,000 phases: building their model alone takes more than a few slices.
  const big = tree(10, 1000);

  it('lets the host run while files come and go, shows the state before or after at each pause, and ends as the unpaused path', async () => {
    const paused = await loaded(big, true);
    const before = state(paused.svc);
    const revision = paused.svc.revision;
    const seen = new Map<string, number>();
    paused.fs.pauses = 0;
    paused.fs.onPause = () => {
      const s = state(paused.svc);
      seen.set(s, (seen.get(s) ?? 0) + 1);
    };
    const affected = await paused.svc.filesChanged(checkout(paused.fs));
    paused.fs.onPause = undefined;
    const after = state(paused.svc);
    assert.notEqual(after, before);
    assert.ok(paused.fs.pauses >= 4, `${paused.fs.pauses} pauses`);
    // At each pause a request reads the engine as it was, or as it is after the events: never a scan without
    // its model, nor a model whose new documents are not read.
    for (const s of seen.keys()) assert.ok(s === before || s === after, `seen at a pause: ${s} (before: ${before}; after: ${after})`);
    assert.ok(seen.has(before), 'the state before, while the new one is made');
    assert.ok(paused.svc.revision > revision);

    const plain = await loaded(big, false);
    const plainAffected = await plain.svc.filesChanged(checkout(plain.fs));
    assert.deepEqual(new Set(affected), new Set(plainAffected));
    assert.deepEqual(results(paused.svc), results(plain.svc));
    // The events did what they say: the open brief stays, the deleted phase went, the created one came.
    assert.ok(paused.svc.checkedFiles().includes(OPEN));
    assert.equal(paused.svc.findPhase(`${ROOT}/area-2/phase-7`), undefined);
    assert.ok(paused.svc.findPhase(`${ROOT}/area-4/phase-9999`));
  });

  it('answers a request that reads no engine at each pause, and one that reads it (Folder.settled) from the state after the events', async () => {
    const fs = new EventsFileSystem(new Map([...big.dirs].map(([k, v]) => [k, [...v]])), new Map(big.texts), { pause: true });
    const folder = new Folder('file:///ws', ROOT, 'ws', { fs, assets }, { log: () => undefined }, true);
    await folder.exclusive(() => folder.svc.load(ROOT));
    const before = state(folder.svc);
    const answers: Promise<string>[] = [];
    let direct = 0;
    fs.pauses = 0;
    fs.onPause = () => {
      // A request that reads the engine: it waits for the change under way (the file events) to be applied.
      answers.push(folder.settled().then(() => state(folder.svc)));
      // One that does not (a server's own request, `phasegate/serverInfo`): it is answered at the pause.
      direct++;
    };
    await folder.exclusive(() => folder.svc.filesChanged(checkout(fs)));
    fs.onPause = undefined;
    const after = state(folder.svc);
    assert.notEqual(after, before);
    assert.ok(direct >= 4 && answers.length === direct, `${direct} pauses`);
    assert.deepEqual(new Set(await Promise.all(answers)), new Set([after]));
  });
});

describe('a folder reported created over one the engine holds (a branch switched away and back)', () => {
  // The client reports the folders alone, not their files; the engine had read the files of the folder between the
  // switch's two halves (a batch taken while the checkout was writing), and the files are written anew since.
  for (const pause of [false, true])
    for (const more of [false, true])
      it(`reads its files again${more ? ', with a new phase in the same batch' : ''}${pause ? ' (in slices)' : ''}`, async () => {
        const { svc, fs } = await loaded(tree(2, 6), pause);
        const dir = `${ROOT}/area-1/phase-3`;
        const brief = `${dir}/00-PHASE_BRIEF.md`;
        const handoff = `${dir}/01-INPUT_HANDOFF.md`;
        fs.write(brief, '# Phase 3, after the switch\n\nSee [nothing](missing.md).\n');
        fs.write(handoff, '# Input of phase 3, after the switch\n');
        const events: FileEvent[] = [{ path: dir, type: 'created' }];
        if (more) {
          fs.write(`${ROOT}/area-1/phase-7/00-PHASE_BRIEF.md`, '# Phase 7\n');
          events.push({ path: `${ROOT}/area-1/phase-7`, type: 'created' });
        }
        const affected = await svc.filesChanged(events);
        assert.ok(affected.includes(brief) && affected.includes(handoff), affected.join(', '));
        assert.equal(svc.getText(brief), '# Phase 3, after the switch\n\nSee [nothing](missing.md).\n');
        assert.ok(
          svc.diagnose(brief).some((d) => d.code === 'broken-link' && d.message.includes('missing.md')),
          'the new text is checked',
        );
        // As an engine loaded on the disk after the switch.
        const fresh = new PhasegateService({ fs, assets });
        await fresh.load(ROOT);
        fresh.setOverlay(OPEN, '# Phase 9, as the editor holds it\n');
        assert.deepEqual(results(svc), results(fresh));
      });
});

describe('checking a batch of phases in slices (the phase tree, the workspace diagnostics)', () => {
  it('pauses within the batch and diagnoses what checkBatch diagnoses', async () => {
    const t = tree(1, 40);
    const paused = await loaded(t, true);
    const plain = await loaded(t, false);
    const phases = paused.svc.model.phases;
    let pauses = 0;
    // A slice of 0 ms: spent at every step, the batch pauses wherever it may.
    for (let i = 0; i < phases.length;) {
      const n = await paused.svc.checkBatchInSlices(
        phases,
        i,
        async () => {
          pauses++;
          await new Promise((resolve) => setImmediate(resolve));
        },
        0,
      );
      assert.equal(n, plain.svc.checkBatch(plain.svc.model.phases, i));
      i += n;
    }
    assert.ok(pauses > 40, `${pauses} pauses`);
    assert.deepEqual(paused.svc.diagnoseAll(), plain.svc.diagnoseAll());
  });

  it('stops when the engine takes a change at a pause, and what it diagnosed stands as an unpaused engine diagnoses it', async () => {
    const t = tree(1, 16);
    const paused = await loaded(t, true);
    const phases = paused.svc.model.phases;
    const edited = `${ROOT}/area-0/phase-3/00-PHASE_BRIEF.md`;
    const text = '# Phase 3, edited\n\nSee [nothing](nowhere.md).\n';
    let pauses = 0;
    const n = await paused.svc.checkBatchInSlices(
      phases,
      0,
      async () => {
        // An edit comes in at the third pause, as a request would bring it.
        if (++pauses === 3) paused.svc.setOverlay(edited, text);
        await new Promise((resolve) => setImmediate(resolve));
      },
      0,
    );
    assert.equal(n, 16);
    assert.equal(pauses, 3, 'no pause after the change: the batch stopped there');
    const plain = await loaded(t, false);
    plain.svc.setOverlay(edited, text);
    assert.deepEqual(paused.svc.diagnoseAll(), plain.svc.diagnoseAll());
  });
});
