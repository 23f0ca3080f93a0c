/**
 * Fast paths of the workspace scan and the phase model (performance only) against the code they replace:
 * the scan listing folders through the host's synchronous listing rather than a promise per folder, the
 * model making each folder's own files only when a folder asks for them, looking no phase up above the
 * root, and naming the plan without slicing paths. Same results on generated trees (listings that fail,
 * vanish or take the asynchronous path, ignored paths) and on a real folder with links, a pipe and odd
 * names; the same models on generated scans, under the built-in layouts and a custom one.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import picomatch from 'picomatch';
import { DirEntry, FileSystem, basename, dirname, joinPath, normalizePath, relativePath } from '../../server/src/service/host';
import { LayoutSpec, PLAN_FILE } from '../../server/src/service/layout';
import { ResolvedConfig, defaultConfig } from '../../server/src/service/config';
import { lowerBound } from '../../server/src/service/sorted';
import { CancellationToken, throwIfCancelled } from '../../server/src/service/types';
import {
  LOOSE_AUDIT_FOLDER,
  MAX_FILES,
  Phase,
  ScanResult,
  WorkspaceModel,
  buildModel,
  namedAs,
  phaseNumber,
  plainName,
  scanTree,
  skippedFolder,
} from '../../server/src/service/workspace';
import { SyncNodeFileSystem } from '../../server/src/node/sync-fs';
import { REPO, assets, workspace } from '../helpers/workspace';
import { pathToFileURL } from 'node:url';
import { PhasegateService } from '../../server/src/service';
import { NodeFileSystem } from '../../server/src/node/assets';
import { ALL_RULES } from '../../server/src/service/rules/index';
import type { Rule } from '../../server/src/service/rules/rule';
import type { CheckContext } from '../../server/src/service/check-context';
import type { Diagnostic } from '../../server/src/service/types';
import { range } from '../../server/src/service/types';

// ---- The code as it was -------------------------------------------------------------------------

/** Whether an error of listing a folder says it is not there (any more): as workspace.ts. */
function vanished(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || (code === undefined && /^ENOENT\b/.test(String((e as Error | undefined)?.message)));
}

/** scanTree as it was: every folder of a level listed through a promise of `readDirectory`. */
async function oldScanTree(fs: FileSystem, root: string, isIgnored: (rel: string, folder: boolean) => boolean, token?: CancellationToken): Promise<ScanResult> {
  const res: ScanResult = { files: new Set(), dirs: new Set([root]), problems: [], truncated: false };
  let frontier = [root];
  /** Past the cap: the scan stops, and `dir`'s entries are not all known. */
  const truncate = (dir: string) => {
    res.truncated = true;
    (res.partial ??= new Set()).add(dir);
  };
  const rootPrefix = root === '/' ? '/' : root + '/';
  while (frontier.length) {
    throwIfCancelled(token);
    const next: string[] = [];
    const listed = await Promise.all(
      frontier.map(async (dir) => {
        try {
          return { dir, entries: await fs.readDirectory(dir) };
        } catch (e) {
          // A folder listed a moment ago and gone now (deleted, or replaced by a file, while the scan ran) is not
          // unreadable: it is not there. The root is reported whatever the reason.
          if (dir !== root && vanished(e)) res.dirs.delete(dir);
          else res.problems.push({ path: dir, message: `cannot read folder: ${(e as Error).message}`, unreadableFolder: true });
          return { dir, entries: [] as DirEntry[] };
        }
      }),
    );
    for (const { dir, entries } of listed) {
      // Below a normal absolute folder, joinPath(dir, name) is `dir/name` for any name a listing gives (performance only).
      const plainBase = dir.length > 1 && dir.charCodeAt(0) === 47 && normalizePath(dir) === dir ? dir + '/' : undefined;
      for (const e of entries) {
        // Paths are written with `/`, and a `\` reads as one (Windows): a name holding one (legal on Linux
        // and macOS) would name another file. It is named, not read.
        if (e.name.includes('\\')) {
          res.problems.push({ path: dir, message: `"${e.name}" is not checked: a file or folder name with a backslash cannot be told from a path` });
          continue;
        }
        const p = plainBase !== undefined && plainName(e.name) ? plainBase + e.name : joinPath(dir, e.name);
        // What relativePath(root, p) yields for a normal path inside root, without splitting both (performance only).
        const rel = p.startsWith(rootPrefix) ? p.slice(rootPrefix.length) : relativePath(root, p);
        if (isIgnored(rel, e.kind === 'directory')) continue;
        if (e.kind === 'directory') {
          // Past the file cap nothing more is listed: what a folder found then holds would not be added, and
          // listing on (a workspace that is a whole disk) would only hold more folders in memory.
          if (skippedFolder(e.name)) continue;
          // Folders count toward the cap too: millions of empty ones would be listed for nothing.
          if (res.truncated || res.dirs.size >= MAX_FILES) {
            truncate(dir);
            continue;
          }
          res.dirs.add(p);
          next.push(p);
        } else if (e.kind === 'file') {
          if (res.files.size >= MAX_FILES) {
            truncate(dir);
            continue;
          }
          res.files.add(p);
        } else if (e.kind === 'symlink-loop') {
          res.problems.push({ path: p, message: 'symbolic link loop; not followed' });
        } else if (e.kind === 'broken-link') {
          res.problems.push({ path: p, message: `symbolic link to ${e.target}, which does not exist (or cannot be read); not followed` });
        } else if (/\.(md|markdown)$/i.test(e.name)) {
          // A Markdown name on a pipe or a device (or a link to one): never read (a pipe would block), but named.
          res.problems.push({ path: p, message: 'not a regular file (a pipe, a socket or a device); not read' });
        }
      }
    }
    if (res.truncated) {
      // The folders found but not listed: what they hold is unknown, not missing.
      for (const d of next) truncate(d);
      break;
    }
    frontier = next;
  }
  return res;
}

function holdsDocumentOf(layout: LayoutSpec, files: string[] | undefined): boolean {
  return !!files && files.some((f) => layout.documents.some((d) => basename(f) === d.file));
}

function insidePhase(model: WorkspaceModel, dir: string): boolean {
  for (let d = dirname(dir); d.length > 1; d = dirname(d)) if (model.byFolder.has(d)) return true;
  return false;
}

function filesUnder(sorted: string[], dir: string): string[] {
  const prefix = dir + '/';
  const out: string[] = [];
  for (let i = lowerBound(sorted, (f) => f < prefix); i < sorted.length && sorted[i].startsWith(prefix); i++) out.push(sorted[i]);
  return out;
}

/** buildModel as it was: every folder's own files listed first, ancestors looked up to `/`, the plan named by basename. */
function oldBuildModel(root: string, scan: ScanResult, config: ResolvedConfig): WorkspaceModel {
  const model: WorkspaceModel = { root, phases: [], byFolder: new Map(), groups: new Map(), plans: [] };
  const childFiles = new Map<string, string[]>();
  for (const f of scan.files) {
    const d = dirname(f);
    let list = childFiles.get(d);
    if (!list) childFiles.set(d, (list = []));
    list.push(f);
  }
  const custom = config.layouts.filter((l) => l.phaseGlobs);
  const matchers = custom.map((l) => ({ layout: l, match: picomatch(l.phaseGlobs ?? [], { dot: false }) }));
  const audit = config.layouts.find((l) => l.name === 'audit' && !l.phaseGlobs);
  const iai = config.layouts.find((l) => l.name === 'iai' && !l.phaseGlobs);
  const configRoot = config.root;

  // Folders that could not be listed, or not whole (past the scan's cap): which documents they hold is unknown.
  const unreadable = new Set(scan.problems.filter((pr) => pr.unreadableFolder).map((pr) => pr.path));
  for (const d of scan.partial ?? []) unreadable.add(d);
  const dirs = [...scan.dirs].sort();
  const sortedFiles = [...scan.files].sort();
  for (const dir of dirs) {
    if (dir === root) continue;
    const name = basename(dir);
    let layout: LayoutSpec | undefined;
    // Only custom layouts match by path (performance only: relativePath splits both paths).
    const relToConfig = matchers.length ? relativePath(configRoot, dir) : '';
    for (const m of matchers) {
      if (!relToConfig.startsWith('..') && m.match(relToConfig)) {
        layout = m.layout;
        break;
      }
    }
    let workstream: string | undefined;
    if (!layout) {
      const parent = dirname(dir);
      if (iai && basename(dirname(parent)) === 'workstreams') {
        // A folder of a workstream is a phase when it holds an iAI document or its name starts as a phase
        // folder (the layout's anchored pattern: `Phase_3_Advanced_CI`); any other (notes, `Old_phase2`) is not.
        const own = childFiles.get(dir) ?? [];
        if (own.some((f) => iai.documents.some((d) => basename(f) === d.file)) || iai.folderPattern.test(name)) {
          layout = iai;
          workstream = basename(parent);
        }
      } else if (audit && (audit.folderPattern.test(name) || (LOOSE_AUDIT_FOLDER.test(name) && holdsDocumentOf(audit, childFiles.get(dir))))) {
        layout = audit;
      }
    }
    if (!layout) continue;
    if (insidePhase(model, dir)) continue;
    const number = phaseNumber(layout.folderPattern, name) ?? (layout === audit ? phaseNumber(LOOSE_AUDIT_FOLDER, name) : undefined);
    const files = filesUnder(sortedFiles, dir);
    const group = workstream !== undefined ? dirname(dir) : `${dirname(dir)}#${layout.name}`;
    const phase: Phase = {
      id: '',
      title: name,
      layout,
      folder: dir,
      number,
      workstream,
      group,
      documents: layout.documents.map((spec) => {
        const path = joinPath(dir, spec.file);
        return { spec, path, exists: scan.files.has(path) };
      }),
      markdown: files.filter((f) => /\.(md|markdown)$/i.test(f)),
      files,
      unreadable: unreadable.has(dir),
      prev: undefined,
      next: undefined,
    };
    model.phases.push(phase);
    model.byFolder.set(dir, phase);
  }
  // Ids, groups and order.
  const auditRoots = new Set(model.phases.filter((p) => !p.workstream).map((p) => dirname(p.folder)));
  for (const p of model.phases) {
    if (p.workstream !== undefined) p.id = `${p.workstream}/${basename(p.folder)}`;
    else if (auditRoots.size <= 1 && p.layout.name === 'audit') p.id = basename(p.folder).toLowerCase();
    else p.id = relativePath(root, p.folder);
    let list = model.groups.get(p.group);
    if (!list) model.groups.set(p.group, (list = []));
    list.push(p);
  }
  for (const list of model.groups.values()) {
    list.sort((a, b) => (a.number ?? Infinity) - (b.number ?? Infinity) || (a.folder < b.folder ? -1 : 1));
    // First phase of each number, in list order: what list.find(number) returns, without a quadratic scan.
    const firstOf = new Map<number, Phase>();
    for (const q of list) if (q.number !== undefined && !firstOf.has(q.number)) firstOf.set(q.number, q);
    for (let i = 0; i < list.length; i++) {
      const p = list[i];
      // The next phase is the one numbered N+1 (a gap or a duplicate breaks the chain on purpose).
      if (p.number !== undefined) {
        p.next = firstOf.get(p.number + 1);
        p.prev = firstOf.get(p.number - 1);
      }
    }
  }
  model.phases.sort((a, b) =>
    a.group < b.group ? -1 : a.group > b.group ? 1 : (a.number ?? Infinity) - (b.number ?? Infinity) || (a.folder < b.folder ? -1 : 1),
  );
  // In the order of their paths, as the phases are: not in the scan's, which files created since it add to at its end
  // (the engine after file events would list the plans, and report on them, in another order than a fresh one).
  for (const f of sortedFiles) {
    if (basename(f) === PLAN_FILE) {
      const dir = dirname(f);
      model.plans.push({ path: f, root: dir });
    }
  }
  return model;
}

// ---- Generated trees ----------------------------------------------------------------------------

/** A folder of a generated tree: its entries, or how listing it fails. */
type Tree = { [name: string]: Tree | 'file' | 'other' | 'loop' };
interface Listing {
  entries?: DirEntry[];
  /** Listing it throws this. */
  error?: Error;
  /** The synchronous listing leaves it to the asynchronous one. */
  async?: boolean;
}

const NAMES = ['a', 'b', 'phase-1', 'x.md', 'y.markdown', 'node_modules', '.git', '.phasegate', '.hidden', 'a\\b', 'README.MD', 'é.md', 'dist'];
const ERRORS = [
  () => Object.assign(new Error('ENOENT: gone'), { code: 'ENOENT' }),
  () => Object.assign(new Error('ENOTDIR: a file now'), { code: 'ENOTDIR' }),
  () => Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }),
  () => new Error('ENOENT: no such directory (a message only)'),
  () => new Error('something else'),
];

/** A host over `listings` (by folder): `readDirectory` always, and `readDirectorySync` when `sync`. */
function hostOf(listings: Map<string, Listing>, sync: boolean): FileSystem & { readDirectorySync?(p: string): DirEntry[] | undefined } {
  const list = (p: string): DirEntry[] => {
    const l = listings.get(p);
    if (!l) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    if (l.error) throw l.error;
    return l.entries!.map((e) => ({ ...e }));
  };
  const fs: FileSystem & { readDirectorySync?(p: string): DirEntry[] | undefined } = {
    readDirectory: async (p) => list(p),
    readFile: async () => new Uint8Array(),
    stat: async () => undefined,
  };
  if (sync) fs.readDirectorySync = (p) => (listings.get(p)?.async ? undefined : list(p));
  return fs;
}

const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.dictionary(
    fc.constantFrom(...NAMES),
    fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant('file' as const),
      fc.constant('other' as const),
      fc.constant('loop' as const),
      tie('tree'),
    ),
    { maxKeys: 5 },
  ),
})).tree;

/** The listings of a tree rooted at `root`; `fate` picks, by a number per folder, which fail or go the asynchronous way. */
function listingsOf(tree: Tree, root: string, fates: number[]): Map<string, Listing> {
  const out = new Map<string, Listing>();
  let k = 0;
  const walk = (t: Tree, dir: string) => {
    const fate = fates[k++ % Math.max(1, fates.length)] ?? 0;
    const entries: DirEntry[] = [];
    for (const [name, v] of Object.entries(t)) {
      if (v === 'file') entries.push({ name, kind: 'file' });
      else if (v === 'other') entries.push({ name, kind: 'other' });
      else if (v === 'loop') entries.push(name.length % 2 ? { name, kind: 'symlink-loop' } : { name, kind: 'broken-link', target: '../nowhere' });
      else {
        entries.push({ name, kind: 'directory' });
        walk(v, joinPath(dir, name));
      }
    }
    const l: Listing = { entries };
    if (fate >= 10 && fate < 10 + ERRORS.length) l.error = ERRORS[fate - 10]();
    if (fate === 20) l.async = true;
    out.set(dir, l);
  };
  walk(tree, root);
  return out;
}

const IGNORES: ((rel: string, folder: boolean) => boolean)[] = [
  () => false,
  (rel) => rel.endsWith('b'),
  (rel, folder) => folder && rel.includes('phase'),
  (rel) => picomatch.isMatch(rel, '**/x.md', { dot: true }),
];

/** A scan as plain data, comparable with deepEqual (Sets in their order). */
function scanData(s: ScanResult): unknown {
  return { ...s, files: [...s.files], dirs: [...s.dirs], partial: s.partial && [...s.partial] };
}

describe('fast paths (io): the scan through a synchronous listing', () => {
  it('finds what the scan through promises finds, in the same order, on generated trees', async () => {
    await fc.assert(
      fc.asyncProperty(
        treeArb,
        fc.array(fc.nat(24), { maxLength: 8 }),
        fc.nat(IGNORES.length - 1),
        fc.constantFrom('/ws', '/', '/w s/é'),
        async (tree, fates, ig, root) => {
          const listings = listingsOf(tree, root, fates);
          const plain = await oldScanTree(hostOf(listings, false), root, IGNORES[ig]);
          const fast = await scanTree(hostOf(listings, true), root, IGNORES[ig]);
          assert.deepEqual(scanData(fast), scanData(plain));
          // The host without a synchronous listing takes the general path, as before.
          assert.deepEqual(scanData(await scanTree(hostOf(listings, false), root, IGNORES[ig])), scanData(plain));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('edge cases: an unlistable root, an empty root, a root that vanished, every folder asynchronous', async () => {
    const cases: [Tree, number[]][] = [
      [{}, [0]],
      [{ a: 'file' }, [12]],
      [{ a: 'file' }, [10]],
      [{ a: { b: { c: 'file' } }, d: 'other' }, [20]],
      [{ a: { b: 'file' }, c: { d: 'file' } }, [0, 10, 20]],
      [{ 'a\\b': 'file', 'x.md': 'other', 'y.markdown': 'loop', b: 'loop' }, [0]],
    ];
    for (const [tree, fates] of cases) {
      const listings = listingsOf(tree, '/ws', fates);
      const plain = await oldScanTree(hostOf(listings, false), '/ws', () => false);
      assert.deepEqual(scanData(await scanTree(hostOf(listings, true), '/ws', () => false)), scanData(plain), JSON.stringify(tree));
    }
  });

  it('stops at a cancellation as before', async () => {
    const listings = listingsOf({ a: { b: 'file' } }, '/ws', [0]);
    let asked = 0;
    const token = {
      get isCancellationRequested() {
        return ++asked > 1;
      },
    } as unknown as CancellationToken;
    await assert.rejects(scanTree(hostOf(listings, true), '/ws', () => false, token));
  });

  it('on a real folder (links, a loop, a broken link, a pipe, odd names): the same scan with and without the synchronous listing', async function () {
    const dir = nodeFs.mkdtempSync(path.join(os.tmpdir(), 'pg-io-'));
    try {
      const w = (p: string, t = 'x') => {
        nodeFs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
        nodeFs.writeFileSync(path.join(dir, p), t);
      };
      w('audit/phase-1/00-PHASE_BRIEF.md');
      w('audit/phase-1/03-FINDINGS/F-1.md');
      w('audit/phase-2/notes.txt');
      w('a b/é.md');
      w('node_modules/x.md');
      w('.hidden/x.md');
      w('.phasegate/templates/t.md');
      w('weird\\name.md');
      nodeFs.mkdirSync(path.join(dir, 'empty'));
      nodeFs.symlinkSync(path.join(dir, 'audit'), path.join(dir, 'audit/phase-2/up'));
      nodeFs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'a b/broken.md'));
      nodeFs.symlinkSync(path.join(dir, 'audit/phase-1'), path.join(dir, 'linked'));
      try {
        execFileSync('mkfifo', [path.join(dir, 'a b/pipe.md')]);
      } catch {
        // No mkfifo here: the rest still compares.
      }
      const root = normalizePath(dir.split(path.sep).join('/'));
      const real = new SyncNodeFileSystem();
      // The same host, its synchronous listing hidden: every folder through readDirectory's promise.
      const general: FileSystem = { readDirectory: (p) => real.readDirectory(p), readFile: (p) => real.readFile(p), stat: (p) => real.stat(p) };
      for (const ignore of IGNORES) {
        const plain = await oldScanTree(general, root, ignore);
        if (ignore === IGNORES[0]) assert.ok(plain.files.size > 3 && plain.problems.length > 2, JSON.stringify(scanData(plain)));
        assert.deepEqual(scanData(await scanTree(real, root, ignore)), scanData(plain));
        assert.deepEqual(scanData(await scanTree(general, root, ignore)), scanData(plain));
      }
      assert.equal(
        real.readDirectorySync(path.join(dir, 'audit/phase-2').split(path.sep).join('/')),
        undefined,
        'a folder holding a link goes the asynchronous way',
      );
      assert.throws(() => real.readDirectorySync(root + '/missing'), /ENOENT/);
    } finally {
      nodeFs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---- Generated scans for the model --------------------------------------------------------------

/** Folder and file names the layouts read: phase folders of each kind, workstreams, documents, the plan. */
function namesOf(configs: ResolvedConfig[]): { folders: string[]; files: string[] } {
  const files = new Set(['a.md', 'b.txt', 'NOTES.MARKDOWN', PLAN_FILE, 'phasegate.yaml']);
  for (const c of configs) for (const l of c.layouts) for (const d of l.documents) files.add(d.file.split('/').pop()!);
  const folders = [
    'workstreams',
    'Build',
    'Phase_1_Source_Control',
    'Phase_2_CI',
    'Phase_x',
    'notes',
    'Old_phase2',
    'phase-1',
    'phase-2',
    'phase-3',
    'phase_4',
    'Phase 5',
    'phase6',
    'phase-beta',
    '03-FINDINGS',
    '04-ARTIFACTS',
    'sprints',
    'sprint-1',
    'sprint-2',
    'audit',
    'sub',
  ];
  return { folders, files: [...files] };
}

/** A scan of the paths given (relative to the root), with every folder above them, and some folders unreadable or partial. */
function scanOf(root: string, rels: string[], emptyDirs: string[], unreadable: number[]): ScanResult {
  const files = new Set<string>();
  const dirs = new Set<string>([root]);
  const addDirs = (p: string) => {
    for (let d = p; d.length > root.length; d = dirname(d)) dirs.add(d);
  };
  for (const r of rels) {
    const p = joinPath(root, r);
    if (dirs.has(p)) continue;
    files.add(p);
    addDirs(dirname(p));
  }
  for (const r of emptyDirs) {
    const p = joinPath(root, r);
    if (!files.has(p)) addDirs(p);
  }
  const dirList = [...dirs];
  const problems: ScanResult['problems'] = [];
  const partial = new Set<string>();
  unreadable.forEach((k, i) => {
    const d = dirList[k % dirList.length];
    if (i % 2) partial.add(d);
    else problems.push({ path: d, message: 'cannot read folder: EACCES', unreadableFolder: true });
  });
  const scan: ScanResult = { files, dirs, problems, truncated: partial.size > 0 };
  if (partial.size) scan.partial = partial;
  return scan;
}

/** A model as plain data: each phase with its neighbours by folder, the maps' keys in their order. */
function modelData(m: WorkspaceModel): unknown {
  const phase = (p: Phase) => ({
    ...p,
    layout: p.layout.name,
    documents: p.documents.map((d) => ({ ...d, spec: d.spec.kind })),
    prev: p.prev?.folder,
    next: p.next?.folder,
  });
  return {
    root: m.root,
    phases: m.phases.map(phase),
    byFolder: [...m.byFolder].map(([k, p]) => [k, p.folder]),
    groups: [...m.groups].map(([k, ps]) => [k, ps.map((p) => p.folder)]),
    plans: m.plans,
  };
}

describe('fast paths (io): the phase model', () => {
  let configs: ResolvedConfig[];
  before(async () => {
    const custom = await workspace({
      'phasegate.yaml':
        'layouts:\n  - name: sprint\n    phases: "sprints/sprint-*"\n    number: "sprint-(\\\\d+)"\n    documents:\n      - {kind: brief, file: BRIEF.md}\n',
    });
    assert.deepEqual(custom.svc.config.problems, []);
    configs = [defaultConfig('/ws'), custom.svc.config];
  });

  it('is the model built as before on generated scans', () => {
    const { folders, files } = namesOf(configs);
    const seg = fc.constantFrom(...folders);
    const rel = fc.tuple(fc.array(seg, { minLength: 0, maxLength: 5 }), fc.constantFrom(...files)).map(([ds, f]) => [...ds, f].join('/'));
    const dirRel = fc.array(seg, { minLength: 1, maxLength: 5 }).map((ds) => ds.join('/'));
    let phases = 0;
    let plans = 0;
    fc.assert(
      fc.property(
        fc.array(rel, { maxLength: 40 }),
        fc.array(dirRel, { maxLength: 6 }),
        fc.array(fc.nat(50), { maxLength: 3 }),
        fc.nat(configs.length - 1),
        (rels, empty, unreadable, c) => {
          const scan = scanOf('/ws', rels, empty, unreadable);
          const model = buildModel('/ws', scan, configs[c]);
          phases += model.phases.length;
          plans += model.plans.length;
          assert.deepEqual(modelData(model), modelData(oldBuildModel('/ws', scan, configs[c])));
        },
      ),
      { numRuns: 3000 },
    );
    // The scans generated hold phases and plans (the comparison is not of empty models).
    assert.ok(phases > 3000 && plans > 300, `${phases} phases, ${plans} plans`);
  });

  it('edge cases: a workspace at `/`, a workstream folder named by its documents only, a loose audit folder, nested phases, the plan at the root', () => {
    const cases: [string, string[]][] = [
      ['/', ['phase-1/00-PHASE_BRIEF.md', 'phase-1/phase-2/00-PHASE_BRIEF.md', PLAN_FILE]],
      ['/ws', [PLAN_FILE, 'x/' + PLAN_FILE, 'x/y' + PLAN_FILE, 'x/' + PLAN_FILE + '.bak']],
      ['/ws', ['p/workstreams/Build/notes/a.md', 'p/workstreams/Build/Old_phase2/b.md', 'p/workstreams/Build/Phase_1_Source_Control/sub/a.md']],
      ['/ws', ['phase_3/00-PHASE_BRIEF.md', 'phase_4/a.md', 'Phase 5/01-INPUT_HANDOFF.md', 'phase6/sub/00-PHASE_BRIEF.md']],
      ['/ws', ['phase-1/phase-2/phase-3/00-PHASE_BRIEF.md', 'phase-1-old/00-PHASE_BRIEF.md', 'phase-1.5/a.md']],
      ['/w s/é', ['phase-1/00-PHASE_BRIEF.md', 'sprints/sprint-1/BRIEF.md', 'sprints/sprint-2/x.md']],
    ];
    const iai = configs[0].layouts.find((l) => l.name === 'iai')!;
    cases.push(['/ws', iai.documents.map((d) => `p/workstreams/Build/Anything_${d.kind}/${d.file}`)]);
    for (const [root, rels] of cases) {
      for (const config of configs) {
        const scan = scanOf(root, rels, [], []);
        assert.deepEqual(modelData(buildModel(root, scan, config)), modelData(oldBuildModel(root, scan, config)), `${root}: ${rels.join(', ')}`);
      }
    }
  });

  it('namedAs(p, name) is basename(p) === name for a name without a slash', () => {
    const pieces = ['/', 'a', '.md', PLAN_FILE, 'project', '_implementation_plan.md', 'é', '\\', ''];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { maxLength: 8 }).map((a) => a.join('')),
        fc.constantFrom(PLAN_FILE, 'a', '.md', 'é', 'a.md'),
        (p, name) => assert.equal(namedAs(p, name), basename(p) === name, JSON.stringify([p, name])),
      ),
      { numRuns: 5000 },
    );
    for (const [p, name] of [
      ['', 'a'],
      ['a', 'a'],
      ['/a', 'a'],
      ['ba', 'a'],
      ['/', 'a'],
      ['a/', 'a'],
      [PLAN_FILE, PLAN_FILE],
      ['\\' + PLAN_FILE, PLAN_FILE],
    ]) {
      assert.equal(namedAs(p, name), basename(p) === name, JSON.stringify([p, name]));
    }
  });
});

// ---- The batch check's rule loop ----------------------------------------------------------------

/** What diagnoseMany reads and writes of the engine (private there). */
interface Batching {
  diagCache: Map<string, Diagnostic[]>;
  contextFor(path: string): CheckContext | Diagnostic[];
  runRule(rule: Rule, ctx: CheckContext): void;
  diagnoseMany(paths: readonly string[]): void;
}

/** diagnoseMany as it was: each rule over each file of the batch not diagnosed yet, asked before every run. */
function oldDiagnoseMany(this: Batching, paths: readonly string[]): void {
  const batch: CheckContext[] = [];
  for (const path of paths) {
    if (this.diagCache.has(path)) continue;
    const p = normalizePath(path);
    if (this.diagCache.has(p)) continue;
    const c = this.contextFor(p);
    if (Array.isArray(c)) this.diagCache.set(p, c);
    else batch.push(c);
  }
  let r = 0;
  for (; r < ALL_RULES.length && !ALL_RULES[r].readsGates; r++) {
    for (const ctx of batch) if (!this.diagCache.has(ctx.path)) this.runRule(ALL_RULES[r], ctx);
  }
  for (const ctx of batch) {
    if (this.diagCache.has(ctx.path)) continue;
    for (let i = r; i < ALL_RULES.length; i++) this.runRule(ALL_RULES[i], ctx);
    this.diagCache.set(ctx.path, ctx.result());
  }
}

describe('fast paths (io): the batch check asks whether a file was diagnosed meanwhile only when the cache grew', () => {
  let dir: string;
  before(async () => {
    dir = nodeFs.mkdtempSync(path.join(os.tmpdir(), 'pg-io-batch-'));
    const gen = (await import(pathToFileURL(path.join(REPO, 'bench', 'generate.mjs')).href)) as {
      writeWorkspace(dir: string, opts: { n: number; seed: number }): unknown;
    };
    gen.writeWorkspace(dir, { n: 60, seed: 3 });
  });
  after(() => nodeFs.rmSync(dir, { recursive: true, force: true }));

  /** The engine checking, and which files the test rule diagnoses on which (see below). */
  let current: PhasegateService | undefined;
  const reaching = new Map<string, string[]>();

  async function engine(old: boolean, maxParsed?: number): Promise<PhasegateService> {
    const svc = new PhasegateService({ fs: new NodeFileSystem(), assets, maxParsed });
    if (old) (svc as unknown as Batching).diagnoseMany = oldDiagnoseMany;
    await svc.load(normalizePath(dir));
    current = svc;
    reaching.clear();
    const phases = svc.model.phases;
    for (let i = 0; i + 1 < phases.length; i += 2) if (phases[i].markdown.length) reaching.set(phases[i].markdown[0], phases[i + 1].markdown);
    return svc;
  }

  /** Everything a check finds: each file's diagnostics and each phase's gates, after checkPhases or batches. */
  async function checked(old: boolean, batches: boolean, maxParsed?: number): Promise<unknown> {
    const svc = await engine(old, maxParsed);
    const phases = svc.model.phases;
    if (batches) for (let i = 0; i < phases.length;) i += svc.checkBatch(phases, i);
    else svc.checkPhases();
    return { diagnostics: svc.diagnoseAll(), gates: phases.map((p) => svc.gates(p)) };
  }

  it('finds what it found before, in batches and phase by phase, with models kept or dropped', async () => {
    for (const [batches, maxParsed] of [
      [false, undefined],
      [true, 4],
      [false, 3],
    ] as const) {
      assert.deepEqual(await checked(false, batches, maxParsed), await checked(true, batches, maxParsed));
    }
  });

  it('also when rules among the first diagnose other files of the batch (the cache grows while they run)', async () => {
    // Test rules before the rest: one that, on some files, asks for other phases' gates and diagnoses other
    // files (several of the same batch), and one that reports on every file it runs on, with the count so far.
    let seen = 0;
    let reached = 0;
    let busy = false;
    const reach: Rule = {
      ids: ['test-reach'],
      check(ctx) {
        // Reports on every file it runs on; on the first file of every other phase, diagnoses the files of the
        // next phase (no chain of such calls).
        ctx.report('test-reach', range(0, 0, 0, 0), `reach ${seen++}`);
        const targets = reaching.get(ctx.path);
        if (!targets || busy) return;
        reached++;
        busy = true;
        try {
          for (const f of targets) current!.diagnose(f);
        } finally {
          busy = false;
        }
      },
    };
    const mark: Rule = {
      ids: ['test-mark'],
      check(ctx) {
        ctx.report('test-mark', range(0, 0, 0, 0), `seen ${seen++}`);
      },
    };
    ALL_RULES.unshift(reach, mark);
    try {
      for (const [batches, maxParsed] of [
        [false, undefined],
        [true, 5],
      ] as const) {
        seen = 0;
        const fast = await checked(false, batches, maxParsed);
        const fastSeen = seen;
        seen = 0;
        assert.deepEqual(fast, await checked(true, batches, maxParsed));
        assert.equal(fastSeen, seen, 'the same runs of the rules');
      }
      assert.ok(reached > 10, `${reached}`);
    } finally {
      ALL_RULES.splice(ALL_RULES.indexOf(reach), 1);
      ALL_RULES.splice(ALL_RULES.indexOf(mark), 1);
    }
  });
});
