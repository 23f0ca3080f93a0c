import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DirEntry, FileStat, FileSystem } from '../../server/src/service/host';
import { PhasegateService } from '../../server/src/service/service';
import { CancelledError } from '../../server/src/service/types';
import {
  MAX_FILES,
  ScanResult,
  buildModel,
  buildModelInSlices,
  nestedWorkspaces,
  nestedWorkspacesInSlices,
  scanTree,
} from '../../server/src/service/workspace';
import { ServerFileSystem } from '../../server/src/node/server-fs';
import { defaultConfig } from '../../server/src/service/config';
import { layoutCaseProblems, layoutCaseProblemsInSlices } from '../../server/src/service/layout-case';
import { assets } from '../helpers/workspace';

const ROOT = '/ws';

/**
 * A generated tree: `top` folders under the root, `sub` folders in each (audit phase folders, `phase-N`),
 * `files` files in each of those (a phase brief first), and along the way what a scan reports: a folder
 * that cannot be read, one gone when listed, a name with a backslash, a symbolic link loop, a broken link,
 * a pipe named as Markdown, and a folder the host lists only asynchronously (it holds a link).
 */
function tree(top: number, sub: number, files: number): Map<string, DirEntry[]> {
  const t = new Map<string, DirEntry[]>();
  t.set(
    ROOT,
    Array.from({ length: top }, (_, i) => ({ name: `area-${i}`, kind: 'directory' as const })),
  );
  for (let i = 0; i < top; i++) {
    const area = `${ROOT}/area-${i}`;
    const entries: DirEntry[] = [];
    for (let j = 0; j < sub; j++) {
      entries.push({ name: `phase-${j + 1}`, kind: 'directory' });
      const dir = `${area}/phase-${j + 1}`;
      const own: DirEntry[] = [{ name: '00-PHASE_BRIEF.md', kind: 'file' }];
      for (let k = 1; k < files; k++) own.push({ name: `note-${k}.md`, kind: 'file' });
      if ((i * sub + j) % 97 === 5) own.push({ name: 'a\\b.md', kind: 'file' });
      if ((i * sub + j) % 89 === 7) own.push({ name: 'loop', kind: 'symlink-loop' });
      if ((i * sub + j) % 83 === 11) own.push({ name: 'gone.md', kind: 'broken-link', target: '../nowhere.md' });
      if ((i * sub + j) % 79 === 13) own.push({ name: 'pipe.md', kind: 'other' });
      t.set(dir, own);
    }
    entries.push({ name: 'locked', kind: 'directory' }, { name: 'vanished', kind: 'directory' }, { name: 'linked', kind: 'directory' });
    t.set(`${area}/linked`, [{ name: 'x.md', kind: 'file' }]);
    t.set(area, entries);
  }
  return t;
}

function sleepSync(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // a listing that takes its time
  }
}

/** A host's pause that lets the event loop run once and counts how often it was asked for. */
function countingPause(): { pauses: number; pause: () => Promise<void> } {
  const counter = {
    pauses: 0,
    pause: async () => {
      counter.pauses++;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  return counter;
}

/**
 * The file system of a generated tree, with a synchronous listing as the language server's. With
 * `pause`, a host that must stay responsive: each pause is logged between the listings, and `onPause`
 * runs then (as a request would). `listMs`: milliseconds each listing takes (spent, so that slices run out).
 */
class TreeFileSystem implements FileSystem {
  readonly log: string[] = [];
  listings = 0;
  pauses = 0;
  onPause: (() => void) | undefined;
  /** Withdraws the synchronous listing after this many (as the server does when one is slow). */
  withdrawAfter = Infinity;
  pause?: () => Promise<void>;

  constructor(
    private readonly t: Map<string, DirEntry[]>,
    opts: { pause: boolean; listMs?: number },
  ) {
    this.listMs = opts.listMs ?? 0;
    if (opts.pause)
      this.pause = async () => {
        this.pauses++;
        this.log.push('pause');
        this.onPause?.();
        await new Promise((resolve) => setImmediate(resolve));
      };
  }
  private readonly listMs: number;

  private entries(dir: string): DirEntry[] {
    if (dir.endsWith('/locked')) throw Object.assign(new Error(`EACCES: permission denied, scandir '${dir}'`), { code: 'EACCES' });
    if (dir.endsWith('/vanished')) throw Object.assign(new Error(`ENOENT: no such file or directory, scandir '${dir}'`), { code: 'ENOENT' });
    const e = this.t.get(dir);
    if (!e) throw Object.assign(new Error(`ENOENT: no such file or directory, scandir '${dir}'`), { code: 'ENOENT' });
    return e.map((x) => ({ ...x }));
  }

  readDirectorySync?: (dir: string) => DirEntry[] | undefined = (dir) => {
    if (this.listMs) sleepSync(this.listMs);
    this.listings++;
    this.log.push(`list ${dir}`);
    if (this.listings >= this.withdrawAfter) this.readDirectorySync = undefined;
    if (dir.endsWith('/linked')) return undefined;
    return this.entries(dir);
  };

  async readDirectory(dir: string): Promise<DirEntry[]> {
    this.log.push(`async ${dir}`);
    return this.entries(dir);
  }

  async readFile(p: string): Promise<Uint8Array> {
    if (p.endsWith('.md') && this.t.has(p.slice(0, p.lastIndexOf('/')))) return new TextEncoder().encode(`# ${p}\n`);
    throw Object.assign(new Error(`ENOENT: no such file '${p}'`), { code: 'ENOENT' });
  }

  async stat(p: string): Promise<FileStat | undefined> {
    if (this.t.has(p)) return { kind: 'directory', size: 0 };
    return undefined;
  }
}

/** What a scan found, in its order. */
function plain(s: ScanResult) {
  return { files: [...s.files], dirs: [...s.dirs], problems: s.problems, truncated: s.truncated, partial: s.partial && [...s.partial] };
}

/** Whether every two listings of the log have a pause between them. */
function pausedBetweenListings(log: string[]): boolean {
  let listedSincePause = false;
  for (const e of log) {
    if (e === 'pause') listedSincePause = false;
    else if (e.startsWith('list ')) {
      if (listedSincePause) return false;
      listedSincePause = true;
    }
  }
  return true;
}

describe('scanning a workspace in slices (the language server)', () => {
  it('lets the host run between listings of a tree of a thousand folders, and finds what an unpaused scan finds', async () => {
    const t = tree(10, 100, 3);
    const paused = new TreeFileSystem(t, { pause: true, listMs: 1 });
    // A request between two slices sees the scan under way: the listings made so far, fewer than all.
    const seen: number[] = [];
    paused.onPause = () => seen.push(paused.listings);
    const got = await scanTree(paused, ROOT, () => false);
    const unpaused = new TreeFileSystem(t, { pause: false });
    const want = await scanTree(unpaused, ROOT, () => false);
    assert.deepEqual(plain(got), plain(want));
    assert.ok(want.files.size > 3000 && want.problems.length > 40, `${want.files.size} files, ${want.problems.length} problems`);
    assert.equal(unpaused.pauses, 0);
    // Each listing takes a slice: the host ran between every two of them.
    assert.ok(paused.listings > 1000, `${paused.listings} listings`);
    assert.ok(pausedBetweenListings(paused.log), 'a pause between every two listings');
    assert.ok(paused.pauses >= paused.listings - 1, `${paused.pauses} pauses for ${paused.listings} listings`);
    assert.ok(seen.length > 1000 && seen[0] < paused.listings && seen.every((n, i) => i === 0 || n >= seen[i - 1]));
  });

  it('finds what an unpaused scan finds past the file cap (truncated, with the folders listed in part)', async () => {
    const files = Math.ceil(MAX_FILES / 800) + 1;
    const t = tree(4, 200, files);
    const paused = new TreeFileSystem(t, { pause: true });
    // Spent in the going through the entries (no listing takes long): the slices run out there.
    let calls = 0;
    const ignore = () => (++calls % 2000 === 0 && sleepSync(1), false);
    const got = await scanTree(paused, ROOT, ignore);
    const want = await scanTree(new TreeFileSystem(t, { pause: false }), ROOT, () => false);
    assert.equal(want.truncated, true);
    assert.ok(want.partial && want.partial.size > 1);
    assert.deepEqual(plain(got), plain(want));
    assert.ok(paused.pauses > 50, `${paused.pauses} pauses`);
  });

  it('finds what an unpaused scan finds when the host withdraws its synchronous listing half way', async () => {
    const t = tree(10, 60, 2);
    const paused = new TreeFileSystem(t, { pause: true, listMs: 1 });
    paused.withdrawAfter = 300;
    const got = await scanTree(paused, ROOT, () => false);
    const want = await scanTree(new TreeFileSystem(t, { pause: false }), ROOT, () => false);
    assert.deepEqual(plain(got), plain(want));
    assert.equal(paused.listings, 300);
    assert.ok(paused.log.filter((e) => e.startsWith('async ')).length > 300);
  });

  it('stops at the next slice when cancelled, listing no more', async () => {
    const t = tree(10, 100, 2);
    const paused = new TreeFileSystem(t, { pause: true, listMs: 1 });
    const token = { isCancellationRequested: false };
    let atCancel = -1;
    paused.onPause = () => {
      if (paused.pauses === 20) {
        token.isCancellationRequested = true;
        atCancel = paused.listings;
      }
    };
    await assert.rejects(
      scanTree(paused, ROOT, () => false, token),
      CancelledError,
    );
    assert.ok(atCancel > 0 && atCancel < 100);
    assert.equal(paused.listings, atCancel, 'no listing after the cancellation');
    assert.equal(paused.pauses, 20);
  });
});

describe('building the phase model in slices', () => {
  async function scanned(): Promise<{ scan: ScanResult; svc: PhasegateService }> {
    const t = tree(10, 1000, 1);
    const svc = new PhasegateService({ fs: new TreeFileSystem(t, { pause: false }), assets });
    await svc.load(ROOT);
    return { scan: svc.scan, svc };
  }
  /** The model as plain data: phases in order, their neighbours by id, groups and plans. */
  function shape(m: ReturnType<typeof buildModel>) {
    return {
      phases: m.phases.map((p) => ({ ...p, layout: p.layout.name, prev: p.prev?.id, next: p.next?.id, documents: p.documents.map((d) => [d.path, d.exists]) })),
      byFolder: [...m.byFolder.keys()],
      groups: [...m.groups].map(([g, l]) => [g, l.map((p) => p.id)]),
      plans: m.plans,
    };
  }

  it('lets the host run between slices and builds the model buildModel builds', async () => {
    const { scan, svc } = await scanned();
    const counter = countingPause();
    const want = buildModel(ROOT, scan, svc.config);
    assert.equal(want.phases.length, 10_000);
    const got = await buildModelInSlices(ROOT, scan, svc.config, counter.pause);
    assert.deepEqual(shape(got), shape(want));
    // 10,000 phases take more than a slice or two (some 10 ms on a fast machine).
    assert.ok(counter.pauses >= 2, `${counter.pauses} pauses`);
  });

  it('stops at the next slice when cancelled', async () => {
    const { scan, svc } = await scanned();
    const token = { isCancellationRequested: false };
    let pauses = 0;
    await assert.rejects(
      buildModelInSlices(
        ROOT,
        scan,
        svc.config,
        async () => {
          if (++pauses === 2) token.isCancellationRequested = true;
        },
        token,
      ),
      CancelledError,
    );
    assert.equal(pauses, 2);
  });
});

describe('finding nested workspaces in slices', () => {
  it('finds what nestedWorkspaces finds', async () => {
    // 400,000 files, a config file in every hundredth folder (some inside another such folder, some in a phase).
    const files = new Set<string>();
    const dirs = new Set<string>([ROOT]);
    for (let i = 0; i < 4000; i++) {
      const dir = i % 7 === 0 ? `${ROOT}/audit/phase-${i}` : `${ROOT}/p${i % 50}/q${i}`;
      dirs.add(dir);
      for (let k = 0; k < 100; k++) files.add(`${dir}/f${k}.md`);
      if (i % 100 === 0) files.add(`${dir}/phasegate.yaml`);
      if (i % 50 === 1) files.add(`${ROOT}/p${i % 50}/.phasegate.yaml`);
    }
    const scan: ScanResult = { files, dirs, problems: [], truncated: false };
    const svc = new PhasegateService({ fs: new TreeFileSystem(new Map([[ROOT, []]]), { pause: false }), assets });
    await svc.load(ROOT);
    const model = buildModel(ROOT, scan, svc.config);
    const names = ['phasegate.yaml', 'phasegate.yml', '.phasegate.yaml'];
    const want = nestedWorkspaces(ROOT, scan, model, names);
    assert.ok(want.length > 5, want.join(', '));
    const counter = countingPause();
    const got = await nestedWorkspacesInSlices(ROOT, scan, model, names, counter.pause);
    assert.deepEqual(got, want);
    assert.ok(counter.pauses >= 1, `${counter.pauses} pauses`);
  });
});

describe("finding the layouts' names in another case in slices", () => {
  it('finds what layoutCaseProblems finds', async () => {
    // 200,000 files in 40,000 folders: a Workstreams/ folder (its folders would be phases), loose audit folders
    // with a brief in another case, plans in another case.
    const files = new Set<string>();
    const dirs = new Set<string>([ROOT, `${ROOT}/Workstreams`]);
    for (let i = 0; i < 40_000; i++) {
      const d = i % 2 ? `${ROOT}/Workstreams/W${i % 50}/phase_${i}` : `${ROOT}/audit-${i % 20}/phase_${i}`;
      dirs.add(d);
      dirs.add(d.slice(0, d.lastIndexOf('/')));
      for (let j = 0; j < 4; j++) files.add(`${d}/notes_${j}.md`);
      files.add(`${d}/${i % 3 ? 'IMPLEMENTATION_PROMPT.md' : '00-phase_brief.md'}`);
      if (i % 1000 === 0) files.add(`${d}/project_implementation_plan.md`);
    }
    const model = buildModel(ROOT, { files, dirs, problems: [], truncated: false }, defaultConfig(ROOT));
    const want = layoutCaseProblems(defaultConfig(ROOT), { files, dirs }, model);
    assert.ok(want.length > 100, `${want.length} problems`);
    const counter = countingPause();
    const got = await layoutCaseProblemsInSlices(defaultConfig(ROOT), { files, dirs }, model, counter.pause);
    assert.deepEqual(got, want);
    assert.ok(counter.pauses >= 1, `${counter.pauses} pauses`);
  });
});

describe('loading a workspace in slices', () => {
  it('pauses in the scan and in the model, and loads what an unpaused load loads', async () => {
    const t = tree(4, 250, 2);
    // A nested workspace, which the load leaves out (its model built again without it).
    t.get(`${ROOT}/area-1`)!.push({ name: 'project', kind: 'directory' });
    t.set(`${ROOT}/area-1/project`, [
      { name: 'phasegate.yaml', kind: 'file' },
      { name: 'phase-1', kind: 'directory' },
    ]);
    t.set(`${ROOT}/area-1/project/phase-1`, [{ name: '00-PHASE_BRIEF.md', kind: 'file' }]);
    const paused = new TreeFileSystem(t, { pause: true, listMs: 1 });
    const svc = new PhasegateService({ fs: paused, assets });
    // What a request between two slices sees: the engine as it was before the load, or as it is after.
    const states = new Set<string>();
    paused.onPause = () => states.add(`${svc.scan.files.size}/${svc.model.phases.length}`);
    await svc.load(ROOT);
    const plainSvc = new PhasegateService({ fs: new TreeFileSystem(t, { pause: false }), assets });
    await plainSvc.load(ROOT);
    assert.deepEqual(plain(svc.scan), plain(plainSvc.scan));
    assert.deepEqual(
      svc.model.phases.map((p) => p.id),
      plainSvc.model.phases.map((p) => p.id),
    );
    assert.deepEqual(svc.checkedFiles(), plainSvc.checkedFiles());
    assert.deepEqual(svc.nested, [`${ROOT}/area-1/project`]);
    assert.deepEqual(plainSvc.nested, svc.nested);
    assert.ok(paused.pauses > 1000, `${paused.pauses} pauses`);
    assert.ok(pausedBetweenListings(paused.log));
    const done = `${svc.scan.files.size}/${svc.model.phases.length}`;
    assert.ok(
      [...states].every((s) => s === '0/0' || s === done),
      `states seen: ${[...states].join(', ')}`,
    );
  });
});

describe('ServerFileSystem listings', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-server-scan-'));
    fs.mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a', 'x.md'), 'x\n');
    fs.mkdirSync(path.join(dir, 'linked'));
    fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'linked', 'to-a'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists a folder synchronously, and leaves one holding a symbolic link to the asynchronous listing', async () => {
    const sfs = new ServerFileSystem();
    const entries = sfs.readDirectorySync!(path.join(dir, 'a'));
    assert.deepEqual(
      entries?.sort((x, y) => (x.name < y.name ? -1 : 1)),
      [
        { name: 'b', kind: 'directory' },
        { name: 'x.md', kind: 'file' },
      ],
    );
    assert.equal(sfs.readDirectorySync!(path.join(dir, 'linked')), undefined);
    assert.deepEqual(await sfs.readDirectory(path.join(dir, 'linked')), [{ name: 'to-a', kind: 'directory' }]);
    assert.throws(() => sfs.readDirectorySync!(path.join(dir, 'none')), /ENOENT/);
  });

  it('withdraws the synchronous listing and read after a slow listing, or a run of them', () => {
    // A clock under which each listing takes `ms`.
    const clock = (ms: number) => {
      let t = 0;
      let start = true;
      return () => ((start = !start) ? (t += ms) : t);
    };
    const logged: string[] = [];
    const stalled = new ServerFileSystem({ slowMs: 50, meanSlowMs: 0.5, now: clock(80), log: (m) => logged.push(m) });
    stalled.readDirectorySync!(path.join(dir, 'a'));
    assert.equal(stalled.readDirectorySync, undefined);
    assert.equal(stalled.readSmallFileSync, undefined);
    assert.equal(stalled.slowReads, true);
    assert.match(logged[0], /^listing .*a took 80 ms: /);

    const quick = new ServerFileSystem({ slowMs: 50, meanSlowMs: 0.5, now: clock(0.05) });
    for (let i = 0; i < 100; i++) quick.readDirectorySync!(path.join(dir, 'a'));
    assert.equal(quick.slowReads, false);
    const waiting = new ServerFileSystem({ slowMs: 50, meanSlowMs: 0.5, now: clock(2) });
    let lists = 0;
    while (waiting.readDirectorySync && lists < 100) {
      waiting.readDirectorySync(path.join(dir, 'a'));
      lists++;
    }
    assert.equal(lists, 32, 'one window of listings');
    assert.equal(waiting.readSmallFileSync, undefined);
  });
});
