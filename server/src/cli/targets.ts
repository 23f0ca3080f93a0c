/**
 * From the PATH arguments to loaded engines: each PATH is resolved against the current
 * directory, its workspace root is found, one engine is loaded per root, and what each
 * PATH covers is kept to filter the output.
 */
import { Assets, LoadOptions, PhasegateService } from '../service/service';
import { CONFIG_FILES } from '../service/config';
import { FileSystem, basename, dirname, isInside, joinPath, normalizePath } from '../service/host';
import type { Phase } from '../service/workspace';
import type { Diagnostic } from '../service/types';
import { UsageError } from './args';

export interface Workspace {
  root: string;
  svc: PhasegateService;
  /** The PATHs (absolute) given on the command line that this workspace covers. */
  targets: string[];
  /** The config file named on the command line (absolute), if any. */
  configFile?: string;
  /** Phase titles, found while the phases were checked (see shards.ts). */
  titles?: Map<Phase, string>;
}

/** Absolute, forward-slash form of a command-line path (POSIX or Windows). */
export function resolvePath(cwd: string, p: string): string {
  const s = p.replace(/\\/g, '/');
  if (s.startsWith('/') || /^[A-Za-z]:\//.test(s)) return normalizePath(s);
  return joinPath(cwd, s);
}

async function hasConfig(fs: FileSystem, dir: string): Promise<boolean> {
  for (const name of CONFIG_FILES) {
    const st = await fs.stat(joinPath(dir, name)).catch(() => undefined);
    if (st?.kind === 'file') return true;
  }
  return false;
}

/**
 * The workspace root of a path: the nearest folder (the path's own, or an ancestor) holding a
 * `phasegate.yaml`; else the folder holding the phase the path lies in (the parent of `phase-N`,
 * or of `workstreams/` for iAI phases) so that cross-phase checks see the neighbouring phases;
 * else the folder itself (a file's folder for a file).
 */
export async function findRoot(fs: FileSystem, target: string, isFile: boolean): Promise<string> {
  const start = isFile ? dirname(target) : target;
  for (let d = start; ; d = dirname(d)) {
    if (await hasConfig(fs, d)) return d;
    if (dirname(d) === d) break;
  }
  for (let d = start; dirname(d) !== d; d = dirname(d)) {
    const name = basename(d);
    if (name === 'workstreams' || /^phase-\d+$/i.test(name)) return dirname(d);
  }
  return start;
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
  const byRoot = new Map<string, string[]>();
  for (const p of opts.paths.length ? opts.paths : ['.']) {
    const abs = resolvePath(opts.cwd, p);
    const st = await opts.fs.stat(abs).catch(() => undefined);
    if (!st) throw new UsageError(`path not found: ${p}`);
    // A device or a pipe (/dev/zero, a FIFO named .md) would block or never end a read.
    if (st.kind !== 'file' && st.kind !== 'directory') throw new UsageError(`not a file or folder: ${p}`);
    const root = await findRoot(opts.fs, abs, st.kind === 'file');
    const list = byRoot.get(root) ?? [];
    list.push(abs);
    byRoot.set(root, list);
  }
  const load: LoadOptions = opts.configFile ? { configFile: resolvePath(opts.cwd, opts.configFile) } : {};
  const out: Workspace[] = [];
  for (const [root, targets] of byRoot) {
    const svc = new PhasegateService({ fs: opts.fs, assets: opts.assets });
    await svc.load(root, undefined, { ...load, only: () => false });
    if (load.configFile) {
      // A config file named on the command line must be usable: its problems are usage errors.
      const bad = svc.config.problems.find((d) => d.severity === 'error');
      if (bad)
        throw new UsageError(
          `invalid config ${opts.configFile}: ${firstLine(bad.message)}${bad.range.start.line > 0 ? ` (line ${bad.range.start.line + 1})` : ''}`,
        );
    }
    out.push({ root, svc, targets, configFile: load.configFile });
  }
  return out;
}

function firstLine(s: string): string {
  return s.split(/\r?\n/)[0];
}

/** What a workspace reports, among the workspaces of one run. */
export interface Coverage {
  /** Whether a diagnostic belongs to the output (the problems of the workspace's config always do). */
  diagnostic(d: Diagnostic): boolean;
  phase(phase: Phase): boolean;
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
  };
}
