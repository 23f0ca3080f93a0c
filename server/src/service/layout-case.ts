/**
 * The built-in layouts' own names written in another case: a `Workstreams/` folder, an `Implementation_Prompt.md`
 * that is a workstream folder's only iAI document, a `00-phase_brief.md` that is a `phase_1` folder's only audit
 * document, a `Project_Implementation_Plan.md`; and a phase's document or folder beside the one its layout names, in
 * another case (`01-Input_Handoff.md` beside `01-INPUT_HANDOFF.md`, `03-Findings/` beside `03-FINDINGS/`). Names match
 * case-sensitively on every system (the editor on Windows or macOS finds what CI on Linux finds): what they would
 * make a phase or a plan ignoring case is not one, and is said, rather than left unchecked in silence. A would-be
 * phase's documents and folders in another case are told with it, each at itself, rather than one after the other
 * as each rename makes it more of a phase. A phase's own documents and folders in another case, none as named
 * beside them, are told by its missing-document and missing-folder problems (rules/structure.ts).
 */
import { basename, dirname, joinPath } from './host';
import type { ResolvedConfig } from './config';
import { LOOSE_AUDIT_FOLDER, type WorkspaceModel, atOnce, inSlices, namedAs, phaseName, phaseOf } from './workspace';
import type { CancellationToken } from './types';
import { type LayoutSpec, PLAN_FILE, inSentence } from './layout';

/** A problem of the workspace's names, at a file or folder; its severity is its rule's setting, else a warning. */
export interface CaseProblem {
  file: string;
  code: 'missing-document' | 'missing-folder';
  message: string;
}

/** The iAI layout's folder of workstreams, `workstreams/`. */
export const WORKSTREAMS = 'workstreams';

/** Whether a folder's name is `workstreams` in any case (`Workstreams`: named so, it is still meant as the folder of workstreams). */
export function isWorkstreams(name: string): boolean {
  return name.length === WORKSTREAMS.length && name.toLowerCase() === WORKSTREAMS;
}

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
  const nameOf = (f: string) => f.slice(f.lastIndexOf('/') + 1);
  // The lengths of the layouts' document and folder names (their last part), and those names as written: a file or
  // folder of another length is none of them in any case, and one so named is one as written (unless a document or
  // folder of a layout lies in a folder of the phase: `docs/RETRO.md`, whose folder may be in another case).
  // Performance only: most paths are passed by a comparison of numbers, or of their end with a name or two.
  const docLengths = new Set<number>();
  const folderLengths = new Set<number>();
  /** The names as written that no layout has in a folder of a phase, by their length. */
  const asWritten = new Map<number, string[]>();
  const nested = new Set<string>();
  for (const l of config.layouts)
    for (const n of [...l.documents.map((d) => d.file), ...l.folders.map((f) => f.name)]) {
      (l.folders.some((f) => f.name === n) ? folderLengths : docLengths).add(nameOf(n).length);
      if (n.includes('/')) nested.add(nameOf(n));
    }
  for (const l of config.layouts)
    for (const n of [...l.documents.map((d) => d.file), ...l.folders.map((f) => f.name)]) {
      if (n.includes('/') || nested.has(n)) continue;
      const list = asWritten.get(n.length) ?? [];
      if (!list.includes(n)) asWritten.set(n.length, [...list, n]);
    }
  /** Whether the path `p`, whose name is `length` long, may be a layout's name in another case (not one as written: `namedAs`, without slicing). */
  const mayBeOtherCase = (p: string, length: number) => !asWritten.get(length)?.some((n) => namedAs(p, n));
  const builtInFolders = [...(audit?.folders ?? []), ...(iai?.folders ?? [])];

  // Folders that are no phase but would be one ignoring case if they hold a document of `layout` in another
  // case (a workstream's folder, a `phase_1` folder), and the folders of a `Workstreams/` folder's workstreams.
  const candidates = new Map<string, LayoutSpec>();
  /** A miscased workstreams folder → its folders that would be iAI phases (by name, or by a document in any case). */
  const miscased = new Map<string, Set<string>>();
  /** Folders of a miscased workstreams folder's workstreams → that folder; `byName`: a phase by its name (else by its documents). */
  const underMiscased = new Map<string, { w: string; byName: boolean }>();
  /** Folders outside the phases named as a built-in layout's folder in another case (`03-findings`), by the folder holding them. */
  const casedFolders = new Map<string, { dir: string; name: string }[]>();
  for (const dir of scan.dirs) {
    if ((++k & 1023) === 0 && due?.()) yield;
    if (dir === root || model.byFolder.has(dir)) continue;
    const name = nameOf(dir);
    if (folderLengths.has(name.length) && mayBeOtherCase(dir, name.length)) {
      const phase = phaseOf(model, dir);
      if (phase) {
        // A phase's folder (`03-Findings/`) beside the one the layout names (`03-FINDINGS/`): the phase reads that one
        // alone. Without it, the phase's missing-folder problem names the folder to rename (rules/structure.ts).
        const rel = dir.slice(phase.folder.length + 1);
        const lower = rel.toLowerCase();
        const f = phase.layout.folders.find((s) => s.name.length === rel.length && s.name !== rel && s.name.toLowerCase() === lower);
        if (f && scan.dirs.has(joinPath(phase.folder, f.name)))
          out.push({
            file: dir,
            code: 'missing-folder',
            message: `${rel}/ is not read as the ${f.name}/ folder of ${phaseName(phase)}: it is named in another case than ${f.name}/ beside it (${CASE_WHY}); merge the two into ${f.name}.`,
          });
        continue;
      }
      const lower = name.toLowerCase();
      const f = builtInFolders.find((s) => s.name.length === name.length && s.name !== name && s.name.toLowerCase() === lower);
      if (f) {
        const parent = dirname(dir);
        let list = casedFolders.get(parent);
        if (!list) casedFolders.set(parent, (list = []));
        list.push({ dir, name: f.name });
      }
    }
    if (!audit && !iai) continue;
    const grand = dirname(dirname(dir));
    const g = basename(grand);
    if (iai && isWorkstreams(g)) {
      if (g === WORKSTREAMS) candidates.set(dir, iai);
      // A workstreams folder is renamed within the workspace (not the folder opened, nor one above it).
      else if (grand.length <= root.length) continue;
      else {
        const byName = iai.folderPattern.test(name);
        if (byName) {
          let set = miscased.get(grand);
          if (!set) miscased.set(grand, (set = new Set()));
          set.add(dir);
        }
        underMiscased.set(dir, { w: grand, byName });
      }
    } else if (audit && LOOSE_AUDIT_FOLDER.test(name)) candidates.set(dir, audit);
  }

  /** A document of `layout` that `name` (a path in its phase folder) is in another case (not as written). */
  const otherCase = (layout: LayoutSpec, name: string) => {
    const lower = name.toLowerCase();
    return layout.documents.find((d) => d.file.length === name.length && d.file !== name && d.file.toLowerCase() === lower);
  };
  /** Per candidate folder: its files that are documents in another case, and those documents' names. */
  const found = new Map<string, { file: string; doc: string }[]>();
  /** Per folder of a miscased workstreams folder's workstreams: its files named as an iAI document in any case. */
  const iaiFiles = new Map<string, string[]>();
  const plans: { file: string; beside: boolean }[] = [];
  const lowerPlan = PLAN_FILE.toLowerCase();
  const look = candidates.size > 0 || underMiscased.size > 0;
  for (const f of scan.files) {
    if ((++k & 1023) === 0 && due?.()) yield;
    const slash = f.lastIndexOf('/');
    const length = f.length - slash - 1;
    if (length === PLAN_FILE.length) {
      const name = f.slice(slash + 1);
      if (name !== PLAN_FILE && name.toLowerCase() === lowerPlan) plans.push({ file: f, beside: scan.files.has(`${f.slice(0, slash)}/${PLAN_FILE}`) });
    }
    if (docLengths.has(length) && mayBeOtherCase(f, length)) {
      const phase = phaseOf(model, f);
      if (phase) {
        // A phase's document (`01-Input_Handoff.md`) beside the one the layout names (`01-INPUT_HANDOFF.md`): the phase
        // reads that one alone. Without it, the phase's missing-document problem names the file to rename.
        const rel = f.slice(phase.folder.length + 1);
        const d = otherCase(phase.layout, rel);
        if (d && scan.files.has(joinPath(phase.folder, d.file)))
          out.push({
            file: f,
            code: 'missing-document',
            message: `${rel} is not read as the ${inSentence(d.name)} of ${phaseName(phase)}: it is named in another case than ${d.file} beside it (${CASE_WHY}); merge the two into ${d.file}.`,
          });
        continue;
      }
    }
    if (!look) continue;
    const dir = f.slice(0, slash);
    const layout = candidates.get(dir);
    if (layout) {
      const doc = otherCase(layout, f.slice(slash + 1));
      if (doc) {
        let list = found.get(dir);
        if (!list) found.set(dir, (list = []));
        list.push({ file: f, doc: doc.file });
      }
      continue;
    }
    const u = underMiscased.get(dir);
    if (u && iai) {
      const lower = f.slice(slash + 1).toLowerCase();
      if (!iai.documents.some((d) => d.file.toLowerCase() === lower)) continue;
      let set = miscased.get(u.w);
      if (!set) miscased.set(u.w, (set = new Set()));
      set.add(dir);
      let list = iaiFiles.get(dir);
      if (!list) iaiFiles.set(dir, (list = []));
      list.push(f);
    }
  }

  for (const [w, phases] of miscased) {
    if (insidePhase(model, w)) continue;
    const rel = [...phases].map((p) => p.slice(w.length + 1)).sort();
    // Beside a `workstreams/` folder, the two cannot be one by a rename (where the file system ignores case, they are one).
    const beside = scan.dirs.has(joinPath(dirname(w), WORKSTREAMS));
    out.push({
      file: w,
      code: 'missing-folder',
      message: beside
        ? `${basename(w)}/ is not the iAI layout's ${WORKSTREAMS}/ folder, and its phases (${named(rel)}) are not checked: it is named in another case than ${WORKSTREAMS}/ beside it (${CASE_WHY}); merge the two into ${WORKSTREAMS}.`
        : `${basename(w)}/ is not the iAI layout's ${WORKSTREAMS}/ folder (${CASE_WHY}): its phases (${named(rel)}) are not checked; rename it ${WORKSTREAMS}.`,
    });
    // Its phases' documents in another case, told with it (renamed first, the folder would make them one
    // missing-document problem after the other).
    for (const p of phases) {
      const files = iaiFiles.get(p);
      if (!files) continue;
      const names = new Set(files.map(nameOf));
      for (const f of files) {
        const doc = otherCase(iai!, nameOf(f));
        if (!doc) continue;
        const there = names.has(doc.file);
        out.push({
          file: f,
          code: 'missing-document',
          message: `${p.slice(w.length + 1)} is not checked as a phase: ${basename(w)}/ is not the iAI layout's ${WORKSTREAMS}/ folder, and ${nameOf(f)} is named in another case${there ? ` than ${doc.file} beside it` : ''} (${CASE_WHY}); ${there ? `merge the two into ${doc.file}` : `rename it ${doc.file}`}.`,
        });
      }
    }
  }
  for (const [dir, docs] of found) {
    if (insidePhase(model, dirname(dir))) continue;
    for (const { file, doc } of docs)
      out.push({
        file,
        code: 'missing-document',
        message: `${basename(dir)} is not checked as a phase: ${nameOf(file)} is named in another case (${CASE_WHY}); rename it ${doc}.`,
      });
    // Its folders in another case, told with its documents (they would be its missing-folder problems once it is a phase).
    const layout = candidates.get(dir)!;
    for (const c of casedFolders.get(dir) ?? []) {
      if (!layout.folders.some((f) => f.name === c.name)) continue;
      const there = scan.dirs.has(joinPath(dir, c.name));
      out.push({
        file: c.dir,
        code: 'missing-folder',
        message: `${basename(dir)} is not checked as a phase (its documents are named in another case), and ${nameOf(c.dir)}/ is named in another case${there ? ` than ${c.name}/ beside it` : ''} too (${CASE_WHY}); ${there ? `merge the two into ${c.name}` : `rename it ${c.name}`}.`,
      });
    }
  }
  for (const { file, beside } of plans)
    out.push({
      file,
      code: 'missing-document',
      message: beside
        ? `${nameOf(file)} is not read as the project plan: it is named in another case than ${PLAN_FILE} beside it (${CASE_WHY}); merge the two into ${PLAN_FILE}.`
        : `${nameOf(file)} is not read as the project plan (${CASE_WHY}); rename it ${PLAN_FILE}.`,
    });
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}
