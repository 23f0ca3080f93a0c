/**
 * From the PATH arguments to loaded engines: each PATH is resolved against the current
 * directory, its workspace root is found, one engine is loaded per root, and what each
 * PATH covers is kept to filter the output.
 */
import { Assets, LoadOptions, PhasegateService } from '../service/service';
import { WORKSTREAMS, isWorkstreams } from '../service/layout-case';
import { findRoot } from '../service/roots';
import picomatch from 'picomatch';
import { FileSystem, basename, dirname, isInside, joinPath, normalizePath, relativePath } from '../service/host';
import type { Phase } from '../service/workspace';
import type { Diagnostic } from '../service/types';
import { UsageError } from './args';

export { findRoot };

export interface Workspace {
  root: string;
  svc: PhasegateService;
  /**
   * The PATHs (absolute) given on the command line that this workspace covers; none for a nested workspace
   * checked because a PATH holds it (it reports what the PATHs cover, see `coverage`).
   */
  targets: string[];
  /** The config file named on the command line (absolute), if any. */
  configFile?: string;
  /** Phase titles, found while the phases were checked (see shards.ts). */
  titles?: Map<Phase, string>;
  /** The PATHs (as given) this workspace's scan leaves out, and why: nothing in them is checked. */
  unscanned: { path: string; why: string }[];
}

/** Absolute, forward-slash form of a command-line path (POSIX or Windows). */
export function resolvePath(cwd: string, p: string): string {
  const s = p.replace(/\\/g, '/');
  if (s.startsWith('/') || /^[A-Za-z]:\//.test(s)) return normalizePath(s);
  return joinPath(cwd, s);
}

/**
 * The workspace folder of `start` (a PATH's folder) by custom layouts' `phases` globs, which are
 * relative to it: the nearest folder above `start` from which a glob names `start` or a folder it
 * lies in (a phase: `ws` for `ws/sprints/sprint-1` and `sprints/*`); else the nearest from which
 * `start` is on the way to the phases a glob names, through at least one of its literal parts (a
 * folder of phases: `ws` for `ws/sprints`). Undefined when there is none.
 */
export function layoutRoot(start: string, globs: readonly string[]): string | undefined {
  if (!globs.length) return undefined;
  const match = picomatch([...globs], { dot: false });
  let holding: string | undefined;
  for (let d = dirname(start); ; d = dirname(d)) {
    const parts = relativePath(d, start).split('/');
    for (let k = 1; k <= parts.length; k++) if (match(parts.slice(0, k).join('/'))) return d;
    if (holding === undefined && globs.some((g) => leadsTo(g, parts))) holding = d;
    if (dirname(d) === d) break;
  }
  return holding;
}

/** Whether folders below the relative path `parts` can match `glob`: its leading parts match `parts`, one of them literally. */
function leadsTo(glob: string, parts: readonly string[]): boolean {
  const globParts = glob.split('/');
  if (globParts.length <= parts.length) return false;
  let literal = false;
  for (let i = 0; i < parts.length; i++) {
    if (globParts[i] === '**') return literal;
    if (!picomatch.isMatch(parts[i], globParts[i], { dot: false })) return false;
    if (!picomatch.scan(globParts[i]).isGlob) literal = true;
  }
  return literal;
}

interface FoundPath {
  abs: string;
  isFile: boolean;
  start: string;
  root: string;
  configured: boolean;
}

/** A PATH (absolute), its folder and its workspace root. */
async function located(fs: FileSystem, abs: string, isFile: boolean): Promise<FoundPath> {
  const start = isFile ? dirname(abs) : abs;
  return { abs, isFile, start, ...(await findRoot(fs, abs, isFile)) };
}

/**
 * Where a PATH that leads through a symbolic link (`current -> phase-2`, `current/brief.md`) leads,
 * written from the nearest folder above the link that holds its target, as the shell would name it
 * (`ws/phase-2` for `ws/current`); undefined when no link is on its way.
 */
async function throughLinks(fs: FileSystem, given: string, isFile: boolean): Promise<FoundPath | undefined> {
  if (!fs.realpath) return undefined;
  const real = await fs.realpath(given).catch(() => given);
  if (real === given) return undefined;
  // The nearest folder above from which the target is written otherwise than the PATH (the folder
  // of the link: `current` itself, for `current/brief.md`, writes it as the PATH does).
  let abs = real;
  for (let d = dirname(given); ; d = dirname(d)) {
    const rd = await fs.realpath(d).catch(() => undefined);
    if (rd !== undefined && isInside(rd, real) && joinPath(d, relativePath(rd, real)) !== given) {
      abs = joinPath(d, relativePath(rd, real));
      break;
    }
    if (dirname(d) === d) break;
  }
  return located(fs, abs, isFile);
}

/** Whether a workspace checks something of a PATH: a phase it is or lies in, or a file in it it checks. */
function covered(svc: PhasegateService, f: FoundPath, checked = svc.checkedFiles()): boolean {
  return svc.model.phases.some((p) => isInside(f.abs, p.folder) || isInside(p.folder, f.abs)) || checked.some((c) => isInside(f.abs, c));
}

/**
 * Resolves the PATHs, finds their roots and loads one engine per root: config, scan and model,
 * no document read yet (`checkInShards` reads them, on this thread or in workers).
 */
export async function loadWorkspaces(opts: {
  fs: FileSystem;
  assets: Assets;
  cwd: string;
  paths: string[];
  configFile: string | undefined;
}): Promise<Workspace[]> {
  const found: (FoundPath & { given: string })[] = [];
  for (const p of opts.paths.length ? opts.paths : ['.']) {
    const abs = resolvePath(opts.cwd, p);
    const st = await opts.fs.stat(abs).catch(() => undefined);
    if (!st) throw new UsageError(`path not found: ${p}`);
    // A device or a pipe (/dev/zero, a FIFO named .md) would block or never end a read.
    if (st.kind !== 'file' && st.kind !== 'directory') throw new UsageError(`not a file or folder: ${p}`);
    const isFile = st.kind === 'file';
    found.push({ given: p, ...(await located(opts.fs, abs, isFile)) });
  }
  const load: LoadOptions = opts.configFile ? { configFile: resolvePath(opts.cwd, opts.configFile) } : {};
  const engines = new Map<string, PhasegateService>();
  const engine = async (root: string): Promise<PhasegateService> => {
    let svc = engines.get(root);
    if (svc) return svc;
    svc = new PhasegateService({ fs: opts.fs, assets: opts.assets });
    await svc.load(root, undefined, { ...load, only: () => false });
    if (load.configFile) {
      // A config file named on the command line must be usable: its problems are usage errors.
      const bad = svc.config.problems.find((d) => d.severity === 'error');
      if (bad) throw new UsageError(configRefusal(opts.cwd, bad, svc.config.file, opts.configFile));
    }
    engines.set(root, svc);
    return svc;
  };
  for (const f of found) {
    const svc = await engine(f.root);
    // A config file from elsewhere says nothing of where the workspace folder its globs start from is:
    // a PATH whose folder, so far, holds none of the phases it covers (a phase of a custom layout, or
    // a folder of them) is looked for in the folders above it, as the globs name it (`layoutRoot`).
    if (!load.configFile || f.configured || svc.model.phases.some((p) => isInside(f.start, p.folder) || isInside(p.folder, f.start))) continue;
    const root = layoutRoot(
      f.start,
      svc.config.layouts.flatMap((l) => l.phaseGlobs ?? []),
    );
    if (root === undefined || root === f.root) continue;
    f.root = root;
    await engine(root);
  }
  // A PATH its workspace checks nothing of that leads through a symbolic link to what a workspace does
  // check (`current -> phase-3`, no phase by its own name) is checked where the link leads, and named so.
  // A PATH that is a phase or lies in one as given (a phase folder or a document linked from elsewhere,
  // which the scan follows) is checked as given.
  for (const f of found) {
    const svc = engines.get(f.root)!;
    if (svc.scanExclusion(f.abs, f.isFile) || covered(svc, f)) continue;
    const linked = await throughLinks(opts.fs, f.abs, f.isFile);
    if (!linked || !(linked.configured || linked.root !== linked.start)) continue;
    if (covered(await engine(linked.root), linked)) Object.assign(f, linked);
  }
  const byRoot = new Map<string, typeof found>();
  for (const f of found) byRoot.set(f.root, [...(byRoot.get(f.root) ?? []), f]);
  // The nested workspaces (projects with a config of their own, found by a workspace's scan) that a folder
  // PATH covers are checked by engines of their own, theirs in turn too, as if each were given as a PATH:
  // `check .` is `check . projects/a` when projects/a holds a phasegate.yaml.
  const roots = [...byRoot.keys()];
  for (let i = 0; i < roots.length; i++) {
    for (const n of engines.get(roots[i])!.nested) {
      if (byRoot.has(n) || !found.some((f) => !f.isFile && isInside(f.abs, n))) continue;
      await engine(n);
      byRoot.set(n, []);
      roots.push(n);
    }
  }
  return [...byRoot].map(([root, paths]) => {
    const svc = engines.get(root)!;
    const checked = svc.checkedFiles();
    const unscanned = paths.flatMap((f) => {
      const why = svc.scanExclusion(f.abs, f.isFile);
      if (why) return [{ path: f.given, why }];
      // A PATH inside the workspace with no phase, no plan and no config in it, nor in a phase: nothing in it
      // is checked (for the workspace itself, "0 phases" says so).
      if (f.abs === root) return [];
      // The config file in force: its problems are what `check` reports of it (invalid-config).
      if (f.isFile && f.abs === svc.config.file) return [];
      if (covered(svc, f, checked)) return [];
      // In a `Workstreams/` folder (another case), whose phases are not read: its name says why.
      const miscased = miscasedWorkstreams(root, f.abs);
      if (miscased)
        return [
          {
            path: f.given,
            why: `${f.abs === joinPath(root, miscased) ? 'it is' : 'it lies in'} ${miscased}/, named in another case than workstreams/, whose phases are not checked: rename it workstreams`,
          },
        ];
      return [{ path: f.given, why: f.isFile ? 'it lies in no phase' : 'it holds no phase' }];
    });
    return { root, svc, targets: paths.map((f) => f.abs), configFile: load.configFile, unscanned };
  });
}

/** The `Workstreams/` folder (in another case than `workstreams/`) right below `root` that `path` is or lies in, relative to `root`. */
function miscasedWorkstreams(root: string, path: string): string | undefined {
  const first = relativePath(root, path).split('/')[0];
  return first !== WORKSTREAMS && isWorkstreams(first) ? first : undefined;
}

function firstLine(s: string): string {
  return s.split(/\r?\n/)[0];
}

/**
 * The one line that refuses a config for its error-severity problem `bad`: `invalid config FILE:LINE:COL: reason`,
 * at its place in the config file as `check` reports it; `config FILE cannot be read: why` for a config file
 * that cannot be read (a folder, missing, too large); `PATH: reason` for another file's problem (the default
 * template folder's, reported at the folder). FILE is the config file as given on the command line (`given`, for
 * `--config`), else relative to the current folder.
 */
export function configRefusal(cwd: string, bad: Diagnostic, configFile: string | undefined, given: string | undefined): string {
  const name = given !== undefined && bad.file === configFile ? given : relativePath(cwd, bad.file) || '.';
  const message = firstLine(bad.message);
  // The engine names the file it could not read by its base name alone: the name above says it whole.
  const unreadable = `${basename(bad.file)} cannot be read: `;
  if (message.startsWith(unreadable)) return `config ${name} cannot be read: ${message.slice(unreadable.length)}`;
  if (bad.file !== configFile) return `${name}: ${message}`;
  return `invalid config ${name}:${bad.range.start.line + 1}:${bad.range.start.character + 1}: ${message}`;
}

/** What a workspace reports, among the workspaces of one run. */
export interface Coverage {
  /** Whether a diagnostic belongs to the output (the problems of the workspace's config always do). */
  diagnostic(d: Diagnostic): boolean;
  phase(phase: Phase): boolean;
  /** Whether a file (absolute) is among those the PATHs name. */
  file(path: string): boolean;
}

/**
 * What each workspace reports: the files and phases the PATHs cover, a file when it lies inside a
 * PATH, a phase when it does or a PATH lies inside it. A PATH covers them in every workspace, as one
 * workspace can lie inside another's PATH (`check . projects/a`, where `projects/a` has its own
 * phasegate.yaml): each is then reported by the innermost workspace that holds it, as checking it
 * alone would, whatever the order of the PATHs.
 */
export function coverage(workspaces: readonly Workspace[], ws: Workspace): Coverage {
  const targets = workspaces.length === 1 ? ws.targets : workspaces.flatMap((w) => w.targets);
  const inner = workspaces.filter((w) => w.root !== ws.root && isInside(ws.root, w.root)).map((w) => w.root);
  const covered = (path: string) => targets.some((t) => isInside(t, path)) && !inner.some((r) => isInside(r, path));
  return {
    diagnostic: (d) => (d.code === 'invalid-config' && d.file === ws.svc.config.file) || covered(d.file),
    phase: (p) => (targets.some((t) => isInside(t, p.folder)) || targets.some((t) => isInside(p.folder, t))) && !inner.some((r) => isInside(r, p.folder)),
    file: covered,
  };
}
