/** The project a path belongs to, as `phasegate check PATH` finds it (and the language server, for a workspace folder that is a phase). */
import { CONFIG_FILES } from './config';
import { isWorkstreams } from './layout-case';
import { FileSystem, basename, dirname, joinPath } from './host';

async function hasConfig(fs: FileSystem, dir: string): Promise<boolean> {
  for (const name of CONFIG_FILES) {
    // One that is not a regular file marks the workspace too: it is reported there.
    if (await fs.stat(joinPath(dir, name)).catch(() => undefined)) return true;
  }
  return false;
}

/**
 * The workspace root of a path: the nearest folder (the path's own, or an ancestor) holding a
 * `phasegate.yaml` (`configured`); else the folder holding the phase the path lies in (the parent
 * of `phase-N`, or of `workstreams/` in any case for iAI phases) so that cross-phase checks see the
 * neighbouring phases; else the folder itself (a file's folder for a file).
 */
export async function findRoot(fs: FileSystem, target: string, isFile: boolean): Promise<{ root: string; configured: boolean }> {
  const start = isFile ? dirname(target) : target;
  for (let d = start; ; d = dirname(d)) {
    if (await hasConfig(fs, d)) return { root: d, configured: true };
    if (dirname(d) === d) break;
  }
  for (let d = start; dirname(d) !== d; d = dirname(d)) {
    const name = basename(d);
    // `phase_1`, `phase1`, `Phase 1`: an audit phase too when it holds one of the layout's documents (workspace.ts).
    // `Workstreams/` (another case) too: it is meant as the folder of workstreams, and its project reports its name.
    if (isWorkstreams(name) || /^phase[-_\s]*\d+$/i.test(name)) return { root: dirname(d), configured: false };
  }
  return { root: start, configured: false };
}
