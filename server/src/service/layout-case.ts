/**
 * The built-in layouts' own names written in another case: a `Workstreams/` folder, an `Implementation_Prompt.md`
 * that is a workstream folder's only iAI document, a `00-phase_brief.md` that is a `phase_1` folder's only audit
 * document, a `Project_Implementation_Plan.md`. Names match case-sensitively on every system (the editor on Windows
 * or macOS finds what CI on Linux finds): what they would make a phase or a plan ignoring case is not one, and
 * is said, rather than left unchecked in silence. A phase's own documents and folders in another case are told
 * by its missing-document and missing-folder problems (rules/structure.ts).
 */
import { basename, dirname } from './host';
import type { ResolvedConfig } from './config';
import { LOOSE_AUDIT_FOLDER, type WorkspaceModel, atOnce, inSlices } from './workspace';
import type { CancellationToken } from './types';
import { type LayoutSpec, PLAN_FILE } from './layout';

/** A problem of the workspace's names, at a file or folder; its severity is its rule's setting, else a warning. */
export interface CaseProblem {
  file: string;
  code: 'missing-document' | 'missing-folder';
  message: string;
}

const WORKSTREAMS = 'workstreams';

export const CASE_WHY = 'names match case-sensitively on every system, as CI on Linux does, also where the file system ignores case (Windows, macOS)';

/** `a` or `a (and 3 more)`. */
function named(paths: string[]): string {
  return `${paths[0]}${paths.length > 1 ? ` (and ${paths.length - 1} more)` : ''}`;
}

function insidePhase(model: WorkspaceModel, dir: string): boolean {
  for (let d = dir; d.length > 1 && d.length >= model.root.length; d = dirname(d)) if (model.byFolder.has(d)) return true;
  return false;
}

/**
 * The names of the built-in layouts that the workspace writes in another case, where that leaves a would-be
 * phase or plan unread. One pass over the folders and one over the files, each name compared by its length
 * first: what a workspace without such names pays is a few comparisons per path.
 */
export function layoutCaseProblems(
  config: ResolvedConfig,
  scan: { files: ReadonlySet<string>; dirs: ReadonlySet<string> },
  model: WorkspaceModel,
): CaseProblem[] {
  return atOnce(caseSteps(config, scan, model, undefined));
}

/** `layoutCaseProblems` in slices, for a host that must stay responsive (see `inSlices`). */
export function layoutCaseProblemsInSlices(
  config: ResolvedConfig,
  scan: { files: ReadonlySet<string>; dirs: ReadonlySet<string> },
  model: WorkspaceModel,
  pause: (() => Promise<void>) | undefined,
  token?: CancellationToken,
): Promise<CaseProblem[]> {
  return inSlices((due) => caseSteps(config, scan, model, due), pause, token);
}

function* caseSteps(
  config: ResolvedConfig,
  scan: { files: ReadonlySet<string>; dirs: ReadonlySet<string> },
  model: WorkspaceModel,
  due: (() => boolean) | undefined,
): Generator<void, CaseProblem[], void> {
  let k = 0;
  const out: CaseProblem[] = [];
  const audit = config.layouts.find((l) => l.name === 'audit' && !l.phaseGlobs);
  const iai = config.layouts.find((l) => l.name === 'iai' && !l.phaseGlobs);
  const root = model.root;

  // Folders that are no phase but would be one ignoring case if they hold a document of `layout` in another
  // case (a workstream's folder, a `phase_1` folder), and the folders of a `Workstreams/` folder's workstreams.
  const candidates = new Map<string, LayoutSpec>();
  /** A miscased workstreams folder → its folders that would be iAI phases (by name, or by a document in any case). */
  const miscased = new Map<string, Set<string>>();
  /** Folders of a miscased workstreams folder's workstreams, whose names do not make them phases: by their documents. */
  const underMiscased = new Map<string, string>();
  if (audit || iai) {
    for (const dir of scan.dirs) {
      if ((++k & 1023) === 0 && due?.()) yield;
      if (dir === root || model.byFolder.has(dir)) continue;
      const name = basename(dir);
      const grand = dirname(dirname(dir));
      const g = basename(grand);
      if (iai && g.length === WORKSTREAMS.length && g.toLowerCase() === WORKSTREAMS) {
        if (g === WORKSTREAMS) candidates.set(dir, iai);
        // A workstreams folder is renamed within the workspace (not the folder opened, nor one above it).
        else if (grand.length <= root.length) continue;
        else if (iai.folderPattern.test(name)) {
          let set = miscased.get(grand);
          if (!set) miscased.set(grand, (set = new Set()));
          set.add(dir);
        } else underMiscased.set(dir, grand);
      } else if (audit && LOOSE_AUDIT_FOLDER.test(name)) candidates.set(dir, audit);
    }
  }

  const nameOf = (f: string) => f.slice(f.lastIndexOf('/') + 1);
  /** A document of `layout` that `name` is in another case (not as written). */
  const otherCase = (layout: LayoutSpec, name: string) => {
    const lower = name.toLowerCase();
    return layout.documents.find((d) => d.file.length === name.length && d.file !== name && d.file.toLowerCase() === lower);
  };
  /** Per candidate folder: its first file that is a document in another case, and that document's name. */
  const found = new Map<string, { file: string; doc: string }>();
  const plans: string[] = [];
  const lowerPlan = PLAN_FILE.toLowerCase();
  const look = candidates.size > 0 || underMiscased.size > 0;
  for (const f of scan.files) {
    if ((++k & 1023) === 0 && due?.()) yield;
    const slash = f.lastIndexOf('/');
    if (f.length - slash - 1 === PLAN_FILE.length) {
      const name = f.slice(slash + 1);
      if (name !== PLAN_FILE && name.toLowerCase() === lowerPlan && !scan.files.has(`${f.slice(0, slash)}/${PLAN_FILE}`)) plans.push(f);
    }
    if (!look) continue;
    const dir = f.slice(0, slash);
    const layout = candidates.get(dir);
    if (layout) {
      const doc = otherCase(layout, nameOf(f));
      const was = found.get(dir);
      if (doc && (!was || f < was.file)) found.set(dir, { file: f, doc: doc.file });
      continue;
    }
    const w = underMiscased.get(dir);
    if (w && iai && iai.documents.some((d) => d.file.toLowerCase() === nameOf(f).toLowerCase())) {
      let set = miscased.get(w);
      if (!set) miscased.set(w, (set = new Set()));
      set.add(dir);
    }
  }

  for (const [w, phases] of miscased) {
    if (insidePhase(model, w)) continue;
    const rel = [...phases].map((p) => p.slice(w.length + 1)).sort();
    out.push({
      file: w,
      code: 'missing-folder',
      message: `${basename(w)}/ is not the iAI layout's ${WORKSTREAMS}/ folder (${CASE_WHY}): its phases (${named(rel)}) are not checked; rename it ${WORKSTREAMS}.`,
    });
  }
  for (const [dir, { file, doc }] of found) {
    if (insidePhase(model, dirname(dir))) continue;
    out.push({
      file,
      code: 'missing-document',
      message: `${basename(dir)} is not checked as a phase: ${nameOf(file)} is named in another case (${CASE_WHY}); rename it ${doc}.`,
    });
  }
  for (const f of plans)
    out.push({
      file: f,
      code: 'missing-document',
      message: `${nameOf(f)} is not read as the project plan (${CASE_WHY}); rename it ${PLAN_FILE}.`,
    });
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
