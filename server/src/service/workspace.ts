/**
 * Workspace scan and phase model: which folders are phases (detected from the files
 * present, or described by the config), which documents each holds, their order.
 */
import picomatch from 'picomatch';
import { DirEntry, FileSystem, basename, dirname, joinPath, normalizePath, relativePath } from './host';
import { DocumentKindSpec, FINDING_KIND, LayoutSpec, PLAN_FILE, PLAN_KIND, findingsFolder } from './layout';
import { ResolvedConfig } from './config';
import { lowerBound } from './sorted';
import { slicer } from './slicer';
import { CancellationToken, throwIfCancelled } from './types';

/** Folders never scanned. */
export const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn', '.vscode-test', 'dist', 'out']);

/** Whether the scan leaves a folder of this name out: one of SKIPPED_FOLDERS, or hidden (but `.phasegate`). */
export function skippedFolder(name: string): boolean {
  return SKIPPED_FOLDERS.has(name) || (name.startsWith('.') && name !== '.phasegate');
}
/** The scan stops adding files past this many, and says so. */
export const MAX_FILES = 200_000;

export interface ScanResult {
  files: Set<string>;
  dirs: Set<string>;
  /** Folders or files that could not be read, with the reason. */
  /** `unreadableFolder`: a folder that could not be listed (what it holds is unknown). */
  problems: { path: string; message: string; unreadableFolder?: boolean }[];
  truncated: boolean;
  /**
   * With `truncated`: the folders found whose entries are not all known — not listed once the cap was
   * reached, or listed only in part (files past the cap left out). Absent when the scan is whole.
   */
  partial?: Set<string>;
  /**
   * The nested workspaces found in the tree (`nestedWorkspaces`) and left out of it: what lies in them is
   * not among `files`, `dirs` and `problems`. Absent when none was looked for.
   */
  nested?: string[];
}

/** Whether an error of listing a folder says it is not there (any more): ENOENT, or ENOTDIR for a file in its place. */
function vanished(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || (code === undefined && /^ENOENT\b/.test(String((e as Error | undefined)?.message)));
}

/** Whether `name` is one folder entry's name that joinPath appends as it is: not empty, `.` or `..`, and without a slash. */
export function plainName(name: string): boolean {
  return name.length > 2 ? !name.includes('/') : name !== '' && name !== '.' && name !== '..' && !name.includes('/');
}

/**
 * Optional, for hosts whose listings block anyway (the CLI), or that list in slices (the language server,
 * with `FileSystem.pause`): a folder's entries as `readDirectory` gives them, or undefined when it lists that
 * folder only asynchronously (a symbolic link among them); throws as `readDirectory` does. With it the scan
 * lists folders in a plain loop (performance only). A host with `pause` may withdraw it (set it to
 * undefined) when its listings turn slow: the scan lists the rest through `readDirectory` then.
 */
export interface SyncListing {
  readDirectorySync?(path: string): DirEntry[] | undefined;
}

/**
 * How long the engine works synchronously before it lets a host with `FileSystem.pause` run (ms): reading
 * documents, listing folders, building the phase model.
 */
export const SYNC_SLICE_MS = 1;

/** Folders a scan for a host that pauses lists asynchronously at a time (see scanTree). */
const LISTINGS_IN_FLIGHT = 32;

/** `Promise.all(items.map(fn))` with at most `limit` calls of `fn` in flight. */
async function inFlight<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * `isIgnored(rel, folder)`: whether the scan leaves out the path `rel` (relative to `root`), a folder or not.
 * A host with `FileSystem.pause` (the language server) is let run after every SYNC_SLICE_MS of listing and of
 * going through what was listed; a cancellation stops the scan then. What the scan finds is the same.
 */
export async function scanTree(
  fs: FileSystem,
  root: string,
  isIgnored: (rel: string, folder: boolean) => boolean,
  token?: CancellationToken,
): Promise<ScanResult> {
  const res: ScanResult = { files: new Set(), dirs: new Set([root]), problems: [], truncated: false };
  let frontier = [root];
  /** Past the cap: the scan stops, and `dir`'s entries are not all known. */
  const truncate = (dir: string) => {
    res.truncated = true;
    (res.partial ??= new Set()).add(dir);
  };
  const rootPrefix = root === '/' ? '/' : root + '/';
  const failed = (dir: string, e: unknown): { dir: string; entries: DirEntry[] } => {
    // A folder listed a moment ago and gone now (deleted, or replaced by a file, while the scan ran) is not
    // unreadable: it is not there. The root is reported whatever the reason.
    if (dir !== root && vanished(e)) res.dirs.delete(dir);
    else res.problems.push({ path: dir, message: `cannot read folder: ${(e as Error).message}`, unreadableFolder: true });
    return { dir, entries: [] };
  };
  const list = async (dir: string) => {
    try {
      return { dir, entries: await fs.readDirectory(dir) };
    } catch (e) {
      return failed(dir, e);
    }
  };
  const pause = fs.pause?.bind(fs);
  /**
   * Every folder of `dirs` listed asynchronously, in their order. For a host that pauses, LISTINGS_IN_FLIGHT
   * at a time: thousands at once settle in a flood of callbacks that its event loop runs without a break.
   */
  const listAll = (dirs: string[]) => (pause ? inFlight(dirs, LISTINGS_IN_FLIGHT, list) : Promise.all(dirs.map(list)));
  // Lets the host run when its slice is spent; a cancellation meanwhile stops the scan.
  const slices = slicer(pause, SYNC_SLICE_MS, token);
  // A host that pauses may withdraw its synchronous listing meanwhile (as its reads): asked for each folder.
  const bound = pause ? undefined : (fs as SyncListing).readDirectorySync?.bind(fs);
  const listSync = pause ? (dir: string) => (fs as SyncListing).readDirectorySync?.(dir) : bound;
  const syncListing = () => (pause ? (fs as SyncListing).readDirectorySync !== undefined : bound !== undefined);
  while (frontier.length) {
    throwIfCancelled(token);
    const next: string[] = [];
    let listed: { dir: string; entries: DirEntry[] }[];
    if (listSync && syncListing()) {
      // One folder after the other, as the promises of the general path settle (performance only: no
      // promise per folder; a folder the host lists only asynchronously takes that path, and so do the
      // folders left once a host withdraws its synchronous listing).
      listed = [];
      let i = 0;
      for (; i < frontier.length; i++) {
        if (pause) {
          if (slices.due()) await slices.breathe();
          if (!syncListing()) break;
        }
        const dir = frontier[i];
        let entries: DirEntry[] | undefined;
        try {
          entries = listSync(dir);
        } catch (e) {
          listed.push(failed(dir, e));
          continue;
        }
        listed.push(entries ? { dir, entries } : await list(dir));
      }
      if (i < frontier.length) listed.push(...(await listAll(frontier.slice(i))));
    } else listed = await listAll(frontier);
    for (const { dir, entries } of listed) {
      if (slices.due()) await slices.breathe();
      // Below a normal absolute folder, joinPath(dir, name) is `dir/name` for any name a listing gives (performance only).
      const plainBase = dir.length > 1 && dir.charCodeAt(0) === 47 && normalizePath(dir) === dir ? dir + '/' : undefined;
      for (const e of entries) {
        // A folder of many entries is gone through in slices too (the clock read every 256 entries from its start).
        if (slices.tick()) await slices.breathe();
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

/**
 * The nested workspaces of a scanned tree: the folders strictly inside `root` that hold a config file
 * (`configFiles`: phasegate.yaml…) the scan found, outside every phase folder of `model` (a config in a
 * phase folder is the phase's content, an artifact), the outermost ones only (what lies in a nested
 * workspace, its own nested ones too, is its own engine's to find). A folder the scan does not enter
 * (an `ignore` glob, node_modules, a hidden folder) holds none: its files are not in the scan. Sorted.
 */
export function nestedWorkspaces(root: string, scan: ScanResult, model: WorkspaceModel, configFiles: readonly string[]): string[] {
  return atOnce(nestedSteps(root, scan, model, configFiles, undefined));
}

/** `nestedWorkspaces` in slices, as `buildModelInSlices`. */
export function nestedWorkspacesInSlices(
  root: string,
  scan: ScanResult,
  model: WorkspaceModel,
  configFiles: readonly string[],
  pause: (() => Promise<void>) | undefined,
  token?: CancellationToken,
): Promise<string[]> {
  return inSlices((due) => nestedSteps(root, scan, model, configFiles, due), pause, token);
}

function* nestedSteps(
  root: string,
  scan: ScanResult,
  model: WorkspaceModel,
  configFiles: readonly string[],
  due: (() => boolean) | undefined,
): Generator<void, string[], void> {
  const found = new Set<string>();
  let k = 0;
  for (const f of scan.files) {
    if ((++k & 1023) === 0 && due?.()) yield;
    // Without slicing every path's name (performance only).
    if (!configFiles.some((n) => namedAs(f, n))) continue;
    const dir = dirname(f);
    if (dir === root || !dir.startsWith(root === '/' ? '/' : root + '/') || phaseOf(model, f)) continue;
    found.add(dir);
  }
  const sorted = [...found].sort();
  return sorted.filter((d) => !sorted.some((o) => o !== d && d.startsWith(o + '/')));
}

/** `scan` without what lies in the folders `left` (absolute), which it records as its `nested` workspaces. */
export function withoutNested(scan: ScanResult, left: readonly string[]): ScanResult {
  const inside = (p: string) => left.some((d) => p === d || p.startsWith(d + '/'));
  return {
    files: new Set([...scan.files].filter((f) => !inside(f))),
    dirs: new Set([...scan.dirs].filter((d) => !inside(d))),
    problems: scan.problems.filter((pr) => !inside(pr.path)),
    truncated: scan.truncated,
    ...(scan.partial ? { partial: new Set([...scan.partial].filter((d) => !inside(d))) } : {}),
    nested: [...left],
  };
}

export interface PhaseDocument {
  spec: DocumentKindSpec;
  path: string;
  exists: boolean;
}

export interface Phase {
  /** Stable id: `phase-3`, `Build/Phase_1_Source_Control`, or `<layout>/<folder>`. */
  id: string;
  title: string;
  layout: LayoutSpec;
  folder: string;
  number: number | undefined;
  workstream: string | undefined;
  /** Key of the sequence the phase is numbered in (its parent folder or workstream). */
  group: string;
  documents: PhaseDocument[];
  /** Every Markdown file in the phase folder (recursively). */
  markdown: string[];
  /** Every file in the phase folder (recursively). */
  files: string[];
  /** The phase folder could not be listed, or not whole (past the scan's cap): which documents it holds is unknown. */
  unreadable: boolean;
  prev: Phase | undefined;
  next: Phase | undefined;
}

/**
 * A phase as messages name it: its id where its folder's name says it is a phase (`phase-3`, `Build/Phase_1_CI`,
 * `audits/phase-3`), else the id after the word (`phase sprints/s1`; `Phase sprints/s1` at the start of a sentence).
 * The id, not the folder's name or number alone, so that phases of two folders or workstreams are told apart.
 */
export function phaseName(p: Pick<Phase, 'id'>, atStart = false): string {
  return /phase/i.test(p.id.slice(p.id.lastIndexOf('/') + 1)) ? p.id : `${atStart ? 'Phase' : 'phase'} ${p.id}`;
}

/** The files a phase is diagnosed by: its Markdown files, or its folder when it has none (the folder's own problems). */
export function phaseFiles(p: Phase): readonly string[] {
  return p.markdown.length ? p.markdown : [p.folder];
}

export interface PlanFile {
  path: string;
  /** The iAI project folder it tracks (the folder holding `workstreams/`). */
  root: string;
}

export interface WorkspaceModel {
  root: string;
  phases: Phase[];
  byFolder: Map<string, Phase>;
  /** Phases per group, in order. */
  groups: Map<string, Phase[]>;
  plans: PlanFile[];
}

function docOf(phase: Phase, kind: string): PhaseDocument | undefined {
  return phase.documents.find((d) => d.spec.kind === kind);
}
export { docOf as phaseDocument };

export function buildModel(root: string, scan: ScanResult, config: ResolvedConfig): WorkspaceModel {
  return atOnce(modelSteps(root, scan, config, undefined));
}

/**
 * `buildModel` for a host that must stay responsive (the language server): `pause` is awaited after every
 * SYNC_SLICE_MS of work, and a cancellation stops it then. The same model; without `pause`, built at once.
 */
export function buildModelInSlices(
  root: string,
  scan: ScanResult,
  config: ResolvedConfig,
  pause: (() => Promise<void>) | undefined,
  token?: CancellationToken,
): Promise<WorkspaceModel> {
  return inSlices((due) => modelSteps(root, scan, config, due), pause, token);
}

/** The result of work written in steps (a generator that stops where its `due()` says), given no `due`: never stopped. */
export function atOnce<R>(steps: Generator<void, R, void>): R {
  const r = steps.next();
  if (!r.done) throw new Error('steps without a due time stopped');
  return r.value;
}

/**
 * The result of work written in steps, with `pause` awaited after every SYNC_SLICE_MS of it; a cancellation stops it
 * then. Without `pause` (a host that need not stay responsive: the CLI), the steps run at once.
 */
export async function inSlices<R>(
  steps: (due: (() => boolean) | undefined) => Generator<void, R, void>,
  pause: (() => Promise<void>) | undefined,
  token?: CancellationToken,
): Promise<R> {
  if (!pause) return atOnce(steps(undefined));
  const slices = slicer(pause, SYNC_SLICE_MS, token);
  const run = steps(slices.due);
  for (let r = run.next(); ; r = run.next()) {
    if (r.done) return r.value;
    await slices.breathe();
  }
}

/** The work of `buildModel`; stops (yields) where `due()` says its slice is spent. */
function* modelSteps(root: string, scan: ScanResult, config: ResolvedConfig, due: (() => boolean) | undefined): Generator<void, WorkspaceModel, void> {
  const model: WorkspaceModel = { root, phases: [], byFolder: new Map(), groups: new Map(), plans: [] };
  // Each folder's own files, made when first asked for (performance only: only a folder that might be a
  // phase by what it holds asks, and none does when each is one by its name).
  let childFiles: Map<string, string[]> | undefined;
  const ownFiles = (dir: string): string[] | undefined => {
    if (!childFiles) {
      childFiles = new Map();
      for (const f of scan.files) {
        const d = dirname(f);
        let list = childFiles.get(d);
        if (!list) childFiles.set(d, (list = []));
        list.push(f);
      }
    }
    return childFiles.get(dir);
  };
  const layouts = phaseLayouts(config);

  // Folders that could not be listed, or not whole (past the scan's cap): which documents they hold is unknown.
  const unreadable = new Set(scan.problems.filter((pr) => pr.unreadableFolder).map((pr) => pr.path));
  for (const d of scan.partial ?? []) unreadable.add(d);
  const dirs = [...scan.dirs].sort();
  if (due?.()) yield;
  const sortedFiles = [...scan.files].sort();
  for (const dir of dirs) {
    if (due?.()) yield;
    if (dir === root) continue;
    const kind = phaseKind(layouts, dir, ownFiles);
    if (!kind) continue;
    if (insidePhase(model, dir)) continue;
    const { layout, workstream } = kind;
    const name = basename(dir);
    const number = phaseNumber(layout.folderPattern, name) ?? (layout === layouts.audit ? phaseNumber(LOOSE_AUDIT_FOLDER, name) : undefined);
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
    if (due?.()) yield;
    if (p.workstream !== undefined) p.id = `${p.workstream}/${basename(p.folder)}`;
    else if (auditRoots.size <= 1 && p.layout.name === 'audit') p.id = basename(p.folder).toLowerCase();
    else p.id = relativePath(root, p.folder);
    let list = model.groups.get(p.group);
    if (!list) model.groups.set(p.group, (list = []));
    list.push(p);
  }
  for (const list of model.groups.values()) {
    if (due?.()) yield;
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
  // By group, then as in their group: the groups' sorted lists one after the other, in the order of their keys
  // (performance only: one sort of 20,000 phases by their group key cost some 10 ms at N = 10,000).
  if (due?.()) yield;
  model.phases = [...model.groups.keys()].sort().flatMap((g) => model.groups.get(g)!);
  if (due?.()) yield;
  // In the order of their paths, as the phases are: not in the scan's, which files created since it add to at its end
  // (the engine after file events would list the plans, and report on them, in another order than a fresh one).
  for (let i = 0; i < sortedFiles.length; i++) {
    const f = sortedFiles[i];
    if ((i & 1023) === 0 && due?.()) yield;
    if (namedAs(f, PLAN_FILE)) {
      const dir = dirname(f);
      model.plans.push({ path: f, root: dir });
    }
  }
  return model;
}

/** The layouts of a config as the model tells phase folders by them: the custom ones by path, the built-in ones by name. */
interface PhaseLayouts {
  matchers: { layout: LayoutSpec; match: (rel: string) => boolean }[];
  audit: LayoutSpec | undefined;
  iai: LayoutSpec | undefined;
  configRoot: string;
}

function phaseLayouts(config: ResolvedConfig): PhaseLayouts {
  const custom = config.layouts.filter((l) => l.phaseGlobs);
  return {
    matchers: custom.map((l) => ({ layout: l, match: picomatch(l.phaseGlobs ?? [], { dot: false }) })),
    audit: config.layouts.find((l) => l.name === 'audit' && !l.phaseGlobs),
    iai: config.layouts.find((l) => l.name === 'iai' && !l.phaseGlobs),
    configRoot: config.root,
  };
}

/**
 * The layout by which folder `dir` (a scanned folder, not the root) is a phase, and its workstream, unless it lies
 * in another phase: by its path (a custom layout), by its name, or by the documents among its own files
 * (`ownFiles`, asked only when its name does not decide).
 */
function phaseKind(
  layouts: PhaseLayouts,
  dir: string,
  ownFiles: (dir: string) => string[] | undefined,
): { layout: LayoutSpec; workstream: string | undefined } | undefined {
  const { matchers, audit, iai } = layouts;
  // Only custom layouts match by path (performance only: relativePath splits both paths).
  const relToConfig = matchers.length ? relativePath(layouts.configRoot, dir) : '';
  for (const m of matchers) if (!relToConfig.startsWith('..') && m.match(relToConfig)) return { layout: m.layout, workstream: undefined };
  const name = basename(dir);
  const parent = dirname(dir);
  if (iai && basename(dirname(parent)) === 'workstreams') {
    // A folder of a workstream is a phase when it holds an iAI document or its name starts as a phase
    // folder (the layout's anchored pattern: `Phase_3_Advanced_CI`); any other (notes, `Old_phase2`) is not.
    // The name first (performance only: it needs no list of the folder's files).
    if (iai.folderPattern.test(name) || (ownFiles(dir) ?? []).some((f) => iai.documents.some((d) => basename(f) === d.file))) {
      return { layout: iai, workstream: basename(parent) };
    }
  } else if (audit && (audit.folderPattern.test(name) || (LOOSE_AUDIT_FOLDER.test(name) && holdsDocumentOf(audit, ownFiles(dir))))) {
    return { layout: audit, workstream: undefined };
  }
  return undefined;
}

/**
 * The model of `scan` after one file, `path` (normal, inside the root), joined it (`joined`) or left it, all
 * else as when `model` was built from it by `buildModel` with `config`: the same model `buildModel` builds from
 * the scan now (scan.files holds `path` or not already), made from `model` by changing the phase holding the file
 * and its group (new objects; `model` is left as it was) and the plans. Undefined when the file may make its folder
 * a phase or end one (a document of a built-in layout, in a folder that a document makes a phase): `buildModel`
 * then.
 */
export function modelWithFile(model: WorkspaceModel, scan: ScanResult, config: ResolvedConfig, path: string, joined: boolean): WorkspaceModel | undefined {
  const dir = dirname(path);
  const owner = phaseOf(model, path);
  // Only a folder's own files make it a phase, and only by a document's name among them: the file's folder alone
  // may become a phase or end one, and not when it lies in a phase (no phase holds another).
  const layouts = phaseLayouts(config);
  const docName = (l: LayoutSpec | undefined) => !!l && l.documents.some((d) => namedAs(path, d.file));
  if ((!owner || owner.folder === dir) && dir !== model.root && scan.dirs.has(dir) && (docName(layouts.iai) || docName(layouts.audit))) {
    if (!owner) {
      // Not a phase before, so none of its other files made it one: the file alone may.
      if (joined && phaseKind(layouts, dir, () => [path])) return undefined;
    } else {
      const own = owner.files.filter((f) => f !== path && dirname(f) === dir);
      if (joined) own.push(path);
      const kind = phaseKind(layouts, dir, () => own);
      if (!kind || kind.layout !== owner.layout || kind.workstream !== owner.workstream) return undefined;
    }
  }
  let plans = model.plans;
  if (namedAs(path, PLAN_FILE)) {
    const at = lowerBound(plans, (p) => p.path < path);
    const there = plans[at]?.path === path;
    if (joined !== there) {
      plans = [...plans];
      if (joined) plans.splice(at, 0, { path, root: dir });
      else plans.splice(at, 1);
    }
  }
  if (!owner) return { ...model, plans };
  // The phase's group anew, linked as buildModel links it: the phase holding the file with its files.
  const group = model.groups.get(owner.group)!;
  const copies = new Map<Phase, Phase>(group.map((q) => [q, { ...q }]));
  const changed = copies.get(owner)!;
  const files = owner.files.filter((f) => f !== path);
  if (joined)
    files.splice(
      lowerBound(files, (f) => f < path),
      0,
      path,
    );
  changed.files = files;
  changed.markdown = files.filter((f) => /\.(md|markdown)$/i.test(f));
  changed.documents = owner.documents.map((d) => (scan.files.has(d.path) === d.exists ? d : { ...d, exists: !d.exists }));
  for (const q of copies.values()) {
    q.prev = q.prev && copies.get(q.prev);
    q.next = q.next && copies.get(q.next);
  }
  const byFolder = new Map(model.byFolder);
  for (const q of copies.values()) byFolder.set(q.folder, q);
  const groups = new Map(model.groups);
  groups.set(
    owner.group,
    group.map((q) => copies.get(q)!),
  );
  return { root: model.root, phases: model.phases.map((q) => copies.get(q) ?? q), byFolder, groups, plans };
}

/**
 * The phase numbered next below `p` in its sequence (its group), whatever that number is: phase 1 for phase 3 where
 * there is no phase 2 (`prev` is only the phase numbered N-1: a gap breaks that chain on purpose). The first of
 * that number, as `prev` is. Undefined for a phase without a number, or the first of its sequence.
 */
export function phaseBefore(model: WorkspaceModel, p: Phase): Phase | undefined {
  const n = p.number;
  if (n === undefined) return undefined;
  if (p.prev) return p.prev;
  const list = model.groups.get(p.group);
  if (!list) return undefined;
  // The list is sorted by number (phases without one last): the last one below n, then the first of its number.
  const i = lowerBound(list, (q) => q.number !== undefined && q.number < n) - 1;
  const m = i >= 0 ? list[i].number : undefined;
  return m === undefined ? undefined : list[lowerBound(list, (q) => q.number !== undefined && q.number < m)];
}

/** The phase numbered next above `p` in its sequence, whatever that number is (see `phaseBefore`); the first of it. */
export function phaseAfter(model: WorkspaceModel, p: Phase): Phase | undefined {
  const n = p.number;
  if (n === undefined) return undefined;
  if (p.next) return p.next;
  const list = model.groups.get(p.group);
  if (!list) return undefined;
  const q = list[lowerBound(list, (x) => x.number !== undefined && x.number <= n)];
  return q?.number === undefined ? undefined : q;
}

/**
 * An audit phase folder named as the iAI layout names its phases, `phase_1`, `phase1` or `Phase 1` rather than
 * `phase-1`: a phase when it holds one of the layout's documents (`00-PHASE_BRIEF.md`…), as a team that wrote
 * the phase meant it, rather than a folder silently left unchecked.
 */
export const LOOSE_AUDIT_FOLDER = /^phase[\s_]*(\d+)$/i;

/** Whether some of `files` (a folder's own) is a document of the layout, by its file name. */
function holdsDocumentOf(layout: LayoutSpec, files: string[] | undefined): boolean {
  return !!files && files.some((f) => layout.documents.some((d) => basename(f) === d.file));
}

/**
 * The phase number a layout's pattern reads in a folder name: its group 1 when that is a whole number
 * (digits only); otherwise (no match, no group 1, `beta` or `1.5` captured) the phase has no number.
 */
export function phaseNumber(pattern: RegExp, name: string): number | undefined {
  const g = pattern.exec(name)?.[1];
  return g !== undefined && /^\d+$/.test(g) ? Number(g) : undefined;
}

function insidePhase(model: WorkspaceModel, dir: string): boolean {
  // A phase folder lies below the root (performance only: the folders above it are not looked up).
  for (let d = dirname(dir); d.length > 1 && d.length > model.root.length; d = dirname(d)) if (model.byFolder.has(d)) return true;
  return false;
}

/** `basename(p) === name` for a `name` without a slash, without slicing `p` (performance only). */
export function namedAs(p: string, name: string): boolean {
  const i = p.length - name.length - 1;
  return p.endsWith(name) && (i < 0 || p.charCodeAt(i) === 47);
}

/** Files under `dir` in a sorted list, by binary search. */
function filesUnder(sorted: string[], dir: string): string[] {
  const prefix = dir + '/';
  const out: string[] = [];
  for (let i = lowerBound(sorted, (f) => f < prefix); i < sorted.length && sorted[i].startsWith(prefix); i++) out.push(sorted[i]);
  return out;
}

export function phaseOf(model: WorkspaceModel, path: string): Phase | undefined {
  for (let d = dirname(path); d.length > 1 && d.length >= model.root.length; d = dirname(d)) {
    const p = model.byFolder.get(d);
    if (p) return p;
    if (d === model.root) break;
  }
  return undefined;
}

/** The document kind of a file: its spec in its phase's layout, a finding (in the phase's findings folder), or the plan. */
export function kindOf(model: WorkspaceModel, path: string): { phase: Phase | undefined; spec: DocumentKindSpec | undefined } {
  if (namedAs(path, PLAN_FILE)) return { phase: undefined, spec: PLAN_KIND };
  const phase = phaseOf(model, path);
  if (!phase) return { phase, spec: undefined };
  const doc = phase.documents.find((d) => d.path === path);
  if (doc) return { phase, spec: doc.spec };
  const findings = findingsFolder(phase.layout);
  if (findings && /\.(md|markdown)$/i.test(path) && path.startsWith(joinPath(phase.folder, findings) + '/')) {
    return { phase, spec: { ...FINDING_KIND, file: pathBelow(phase.folder, path) } };
  }
  return { phase, spec: undefined };
}

/**
 * `relativePath(folder, path)`; for a normal path below a normal folder, by slicing instead of splitting both
 * (performance only: the same result).
 */
export function pathBelow(folder: string, path: string): string {
  const n = folder.length;
  if (
    n > 1 &&
    path.length > n + 1 &&
    path.charCodeAt(n) === 47 &&
    path.startsWith(folder) &&
    normalizePath(folder) === folder &&
    normalizePath(path) === path
  ) {
    return path.slice(n + 1);
  }
  return relativePath(folder, path);
}
