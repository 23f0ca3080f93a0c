/**
 * The "new" operation behind `phasegate new` and the editor's commands: which files a new
 * phase or document needs, rendered from the templates. It only plans: the caller writes
 * the files (with an exclusive create). It never overwrites: a target that exists is
 * listed in `skipped`.
 */
import { workstreamNameProblem } from '../names';
import type { PhasegateService } from './service';
import type { DocumentKindSpec, LayoutSpec } from './layout';
import { FINDING_KIND, PLAN_FILE, PLAN_KIND, findingsFolder } from './layout';
import { basename, dirname, isInside, joinPath, normalizePath, relativePath } from './host';
import { LOOSE_AUDIT_FOLDER, phaseName, phaseNumber, type Phase, type PhaseDocument } from './workspace';
import {
  TemplateContext,
  baseContext,
  documentContext,
  folderTitle,
  headingTitle,
  kindContext,
  phaseContext,
  nextFindingNumber,
  previousHandoff,
  phaseTitle,
  renderTemplate,
  sectionsDocument,
  today,
} from './templates';
import { planRowEdits, replanRow } from './plan-row';
import { WORKSTREAMS, isWorkstreams } from './layout-case';
import { workstreamsOf } from './rules/phase-plan';
import type { TextEdit } from './types';
import picomatch from 'picomatch';

interface Common {
  /** Date written into the documents (YYYY-MM-DD); today by default. */
  date?: string;
}

/** A new phase. `root` (alias `folder`): the folder of the `phase-N` folders, or the iAI project folder holding `workstreams/` (absolute, or relative to the workspace root). */
export interface NewPhaseRequest extends Common {
  what?: 'phase';
  /** Alias of `what`. */
  kind?: 'phase';
  /** `audit`, `iai`, or the name of a custom layout of the config; guessed from the workspace (and `workstream`) when absent. */
  layout?: string;
  root?: string;
  folder?: string;
  workstream?: string;
  title?: string;
  number?: number;
}

export type DocumentWhat = 'response' | 'handoff' | 'output-handoff' | 'input-handoff' | 'brief' | 'execution-plan' | 'decisions' | 'validation' | 'finding';

/** A document of an existing phase, by the phase's id (or folder). `title` names a finding. */
export interface NewDocumentRequest extends Common {
  what?: DocumentWhat;
  kind?: DocumentWhat;
  phase: string;
  title?: string;
  /**
   * Files on disk the engine may not know of yet (the host found them there: the file watcher has not
   * reported them): a new finding is not named after one of them.
   */
  taken?: string[];
}

/** A prompt: of an existing iAI phase (`phase`), or of a new one (`workstream`, `title`, like a new iAI phase). */
export interface NewPromptRequest extends Common {
  what?: 'prompt';
  kind?: 'prompt';
  phase?: string;
  root?: string;
  folder?: string;
  workstream?: string;
  title?: string;
  number?: number;
}

/** The iAI project plan, `project_implementation_plan.md`, with a row per phase. */
export interface NewPlanRequest extends Common {
  what?: 'plan';
  kind?: 'plan';
  root?: string;
  folder?: string;
}

/** What to create; `what` (alias `kind`) tells which. */
export type NewRequest = NewPhaseRequest | NewDocumentRequest | NewPromptRequest | NewPlanRequest;
export type NewWhat = NonNullable<NewRequest['what']>;

/** Every field of every request, for the planner's own use. */
type AnyRequest = Partial<Omit<NewPhaseRequest, 'what' | 'kind'>> & Partial<Omit<NewDocumentRequest, 'what' | 'kind'>> & { what?: NewWhat; kind?: NewWhat };

export interface NewPlan {
  creates: { file: string; text: string }[];
  skipped: { file: string; reason: string }[];
  /**
   * Edits of existing files that go with a created file (`with`): the row of a new iAI phase in the
   * project plan. `text` is the file's text (as parsed: without a byte order mark) the edits were
   * planned on: apply them only when `with` was created and the file still reads so (else plan them
   * again on what it reads now: see plan-row.ts). No edits: the file cannot take them, `reason` says why.
   */
  edits: {
    file: string;
    text: string;
    edits: TextEdit[];
    with: string;
    reason: string;
    unreadable?: boolean;
    again: (text: string) => TextEdit[] | undefined;
  }[];
  /**
   * For a phase: its folder and number as planned (the number asked for, else the next one, passed over while its
   * folder is one the scan leaves out: see `newNumber`).
   */
  phase?: { folder: string; number: number | undefined };
}

/** A request that cannot be planned (unknown phase, ambiguous folder, …); the message says why. */
export class ScaffoldError extends Error {
  constructor(
    message: string,
    /** The workspace folder (absolute) that a message speaking of "this workspace" means, for a host to name it. */
    readonly workspace?: string,
  ) {
    super(message);
    this.name = 'ScaffoldError';
  }
}

/**
 * Why `path` is not to be created: a file or folder there (it, or a folder of it) named in another case (`Workstreams/`
 * for `workstreams/Build/…`), which names match case-sensitively on every system. Creating it would make a sibling
 * differing only in case (Linux), or write into the other one, which is then not checked (Windows, macOS).
 */
export function caseRefusal(svc: PhasegateService, path: string): string | undefined {
  const c = svc.inOtherCase(path);
  if (!c) return undefined;
  const slash = c.folder ? '/' : '';
  return `${relativePath(svc.root, c.existing)}${slash} is named in another case than ${relativePath(svc.root, c.wanted)}${slash} (names match case-sensitively on every system, as CI on Linux does): rename it ${basename(c.wanted)}`;
}

class Planner {
  readonly plan: NewPlan = { creates: [], skipped: [], edits: [] };
  constructor(private readonly svc: PhasegateService) {}

  /** Adds `file` unless it (or a file planned already) is there; renders only what is created. */
  add(file: string, render: () => string): void {
    const f = normalizePath(file);
    this.inside(f);
    this.scanned(f, true);
    this.cased(f);
    // A folder of the file's name is no file: creating it fails, and says why.
    if ((this.svc.exists(f) && !this.svc.isFolder(f)) || this.plan.creates.some((c) => c.file === f)) {
      this.plan.skipped.push({ file: f, reason: 'already exists' });
      return;
    }
    this.plan.creates.push({ file: f, text: render() });
  }

  /** Nothing is ever planned outside the workspace, whatever a layout or request says. */
  private inside(file: string): void {
    if (!isInside(this.svc.root, file) || file === normalizePath(this.svc.root))
      throw new ScaffoldError(`${file} is outside the workspace ${this.svc.root}; nothing is created there`);
  }

  /**
   * Nothing is planned where the scan does not look (an `ignore` glob, `node_modules`, `dist`, a hidden
   * folder…): check and status would never see it, and the next new phase would take its number again.
   */
  private scanned(path: string, isFile: boolean): void {
    const why = this.svc.scanExclusion(path, isFile);
    if (why) throw new ScaffoldError(`${relativePath(this.svc.root, path)} would not be checked: ${why}; nothing is created`);
  }

  /** Nothing is planned beside a file or folder of its name in another case (`Workstreams/`, `03-findings/`, `01-input_handoff.md`). */
  private cased(path: string): void {
    const why = caseRefusal(this.svc, path);
    if (why) throw new ScaffoldError(`${why}; nothing is created`);
  }

  /** A folder the layout wants, kept in version control by a `.gitkeep`. */
  addFolder(folder: string): void {
    this.inside(joinPath(folder, '.gitkeep'));
    this.scanned(normalizePath(folder), false);
    this.cased(normalizePath(folder));
    // A file of the folder's name is no folder: creating its `.gitkeep` fails, and says why.
    if (this.svc.isFolder(folder)) this.plan.skipped.push({ file: normalizePath(folder), reason: 'already exists' });
    else this.plan.creates.push({ file: joinPath(folder, '.gitkeep'), text: '' });
  }
}

/**
 * Renders template `name` (a broken workspace override throws its TemplateError), which sees the document as
 * its layout declares it (`document`: its heading and sections); kinds without a template get their sections,
 * with the number of the phase of `ctx` (a new phase's too) in their titles.
 */
function render(svc: PhasegateService, spec: DocumentKindSpec, ctx: TemplateContext): string {
  ctx.document = documentContext(spec, ctx);
  return (
    renderTemplate(svc, spec.template ?? spec.kind, ctx) ??
    sectionsDocument(spec, ctx.phase.number, ctx.phase.title, basename(ctx.phase.folder), ctx.layout.gates)
  );
}

/**
 * Whether document `doc` of `phase` (its `lines`) holds only what `new` writes from its template: each line that is not
 * blank is a line of its template rendered for the phase now — or rendered without the deliverables of the brief and
 * the previous phase's handoff, as `new` wrote it before they were written —, on the day its front matter's `date`
 * says it was written (that line aside). Nobody has written in such a document yet. A template that cannot be rendered says no.
 * `text`, when given, is the text `lines` were split from (by `\r\n`, `\r` and `\n`).
 */
export function holdsOnlyTemplate(
  svc: PhasegateService,
  phase: Phase,
  doc: PhaseDocument,
  lines: readonly string[],
  contexts?: Map<string, TemplateContext>,
  text?: string,
): boolean {
  // The front matter's lines, when the document starts with it: its `date` is the day the document was written, which
  // the template may write in its body too (the decision log's `**Date**:`), rendered with that day.
  const fmEnd = lines[0] === '---' ? lines.indexOf('---', 1) : -1;
  let date: string | undefined;
  for (let i = 1; i < fmEnd && date === undefined; i++) date = /^date:\s*["']?(\d{4}-\d{2}-\d{2})["']?\s*$/.exec(lines[i])?.[1];
  // The template rendered for the phase now; rendered without the deliverables and the previous handoff only when a
  // line is not of the first (the same answer as comparing with both at once, most often with one rendering), and
  // with that handoff handing nothing off, as it may have when the document was written (`None carried over.`).
  let template: Set<string>;
  let before: TemplateContext[] | undefined;
  try {
    // The phase's context by date, when the caller keeps them for its documents (`contexts`: performance only).
    let base = contexts?.get(date ?? '');
    if (contexts && !base) contexts.set(date ?? '', (base = phaseContext(svc, phase, date)));
    const now = kindContext(svc, doc.spec, phase, doc.path, date, base);
    if (now.deliverables !== undefined || now.prevHandoff !== undefined) before = [{ ...now, deliverables: undefined, prevHandoff: undefined }];
    const handed = now.prevHandoff;
    if (handed && (handed.inputs.length || handed.prerequisites.length || handed.openQuestions.length))
      before!.push({ ...now, prevHandoff: { ...handed, inputs: [], prerequisites: [], openQuestions: [] } });
    const rendered = render(svc, doc.spec, now);
    // The document as `new` wrote it, to the character (most often so, where it is asked): each of its lines is one of
    // the template's (performance only; a rendering with a CR is left to the comparison by lines, which reads its lines apart).
    if (text !== undefined && rendered === text && !rendered.includes('\r')) return true;
    template = new Set(rendered.split('\n'));
  } catch {
    return false;
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (line.trim() === '' || template.has(line)) continue;
    if (i < fmEnd && line.startsWith('date:')) continue;
    // The other renderings, one at a time, while the line is of none of those made (most often one is made).
    while (!template.has(line)) {
      const ctx = before?.shift();
      if (ctx === undefined) return false;
      try {
        for (const t of render(svc, doc.spec, ctx).split('\n')) template.add(t);
      } catch {
        return false;
      }
    }
  }
  return true;
}

function builtinLayout(svc: PhasegateService, name: 'audit' | 'iai'): LayoutSpec {
  const l = svc.config.layouts.find((x) => x.name === name && !x.phaseGlobs);
  if (!l) throw new ScaffoldError(`the ${name} layout is not available`);
  return l;
}

function resolveIn(svc: PhasegateService, p: string | undefined): string | undefined {
  if (p === undefined || p === '') return undefined;
  const abs = p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) ? normalizePath(p) : joinPath(svc.root, p);
  if (!isInside(svc.root, abs)) throw new ScaffoldError(`${p} is outside the workspace ${svc.root}`);
  return abs;
}

/** `Source Code Management & CI` → `Source_Code_Management_CI`. */
export function folderWords(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|(?<!_)_+$/g, '')
    .slice(0, 80);
}

function nextNumber(phases: Phase[]): number {
  const nums = phases.map((p) => p.number).filter((n): n is number => n !== undefined);
  return nums.length ? Math.max(...nums) + 1 : 1;
}

/**
 * The number of a new phase of a sequence (`siblings`, of `layout`): the one asked for, else the next after its
 * phases'. That next one, asked for or not (the editor's New Phase asks for the number after the phases it shows), is
 * passed over while its folder (`folderOf`) is one the scan leaves out (`ignore: ["phase-3/**"]` with phase 3 on
 * disk: a phase the workspace's model lacks, where check would never read the new one): the phase is created where
 * it is checked, and nothing there is touched. Each folder passed over is told in the plan's `skipped`. A sequence
 * whose folder is left out whole, or every number's (a glob of every phase folder), is refused as before (the planner says why).
 */
function newNumber(
  svc: PhasegateService,
  planner: Planner,
  layout: LayoutSpec,
  siblings: Phase[],
  req: AnyRequest,
  folderOf: (n: number) => string | undefined,
): number {
  const next = nextNumber(siblings);
  if (req.number !== undefined && req.number !== next) return req.number;
  const first = layout.documents[0]?.file;
  const passed: { folder: string; why: string }[] = [];
  let n = next;
  for (; ; n++) {
    const folder = folderOf(n);
    // A sequence whose folder the scan leaves out whole, or that of every number (`phase-*/**`): refused there.
    if (folder === undefined || svc.scanExclusion(dirname(folder), false) !== undefined) return passed.length ? next : n;
    if (passed.length === 100) return next;
    const why = svc.scanExclusion(folder, false) ?? (first === undefined ? undefined : svc.scanExclusion(joinPath(folder, first), true));
    if (why === undefined) break;
    passed.push({ folder, why });
  }
  const to = basename(folderOf(n)!);
  for (const p of passed)
    planner.plan.skipped.push({
      file: p.folder,
      reason: `not the new phase: ${p.why}; the new phase is ${to}, and nothing in ${basename(p.folder)} is overwritten`,
    });
  return n;
}

function checkNumber(n: number | undefined): void {
  if (n !== undefined && (!Number.isInteger(n) || n < 0 || n > 100000)) throw new ScaffoldError(`phase number must be a whole number, not ${n}`);
}

// ---------------------------------------------------------------------------------------------
// A new audit phase: <root>/phase-N/ with every document and folder.

function auditRoot(svc: PhasegateService, base: string | undefined): string {
  const groups = [...new Set(svc.model.phases.filter((p) => p.layout.name === 'audit' && !p.workstream).map((p) => dirname(p.folder)))].sort();
  if (base !== undefined) {
    // Inside a phase folder: the new phase is its sibling.
    const inPhase = svc.model.phases.find((p) => p.layout.name === 'audit' && isInside(p.folder, base));
    if (inPhase) return dirname(inPhase.folder);
    if (groups.includes(base)) return base;
    const below = groups.filter((g) => isInside(base, g));
    if (below.length === 1) return below[0];
    if (below.length > 1)
      throw new ScaffoldError(
        `several folders of audit phases under ${relativePath(svc.root, base) || '.'}: ${below.map((g) => relativePath(svc.root, g)).join(', ')}; name one`,
      );
    return base;
  }
  if (groups.length === 1) return groups[0];
  if (groups.length > 1) throw new ScaffoldError(`several folders of audit phases: ${groups.map((g) => relativePath(svc.root, g)).join(', ')}; name one`);
  return svc.root;
}

/**
 * A folder that does not exist yet and is named as a phase of `layout` (`phase-2`, `Phase_3_CI`): the
 * new phase itself, numbered by its name, rather than a new folder to hold phases.
 */
function namedPhaseFolder(
  svc: PhasegateService,
  layout: LayoutSpec,
  base: string | undefined,
  req: AnyRequest,
): { folder: string; number: number } | undefined {
  if (base === undefined || base === svc.root || svc.exists(base)) return undefined;
  const m = layout.folderPattern.exec(basename(base));
  if (!m || m[1] === undefined) return undefined;
  const number = Number(m[1]);
  checkNumber(number);
  if (req.number !== undefined && req.number !== number)
    throw new ScaffoldError(`${relativePath(svc.root, base)} names phase ${number}, not phase ${req.number}`);
  const outer = svc.model.phases.find((p) => isInside(p.folder, base));
  if (outer) throw new ScaffoldError(`${relativePath(svc.root, base)} would be a phase inside ${phaseName(outer)}`);
  return { folder: base, number };
}

/** Refuses a second phase numbered `n` in a sequence (check reports duplicates as errors): a new one, or one filled in (`doing`). */
function refuseDuplicate(svc: PhasegateService, siblings: Phase[], n: number, folder: string, doing = 'creating'): void {
  const dup = siblings.find((p) => p.number === n && p.folder !== folder);
  if (dup)
    throw new ScaffoldError(`phase ${n} exists already: ${relativePath(svc.root, dup.folder)} (not ${doing} ${relativePath(svc.root, folder)} beside it)`);
}

/**
 * The phase at `base` that `new phase PATH` fills in: one whose folder holds none of its documents yet
 * (made by hand; a number asked for must be its own), or one that lacks some of what a new phase gets
 * (`lacks`: a half-written phase) when no other number is asked for (the editor's New Phase names the last
 * phase of a sequence with the next number: the new phase goes beside it). Its existing files are kept.
 */
function unfinishedAt(svc: PhasegateService, phases: Phase[], base: string | undefined, req: AnyRequest, lacks: (p: Phase) => boolean): Phase | undefined {
  const p = phases.find((q) => q.folder === base && q.number !== undefined);
  if (!p) return undefined;
  if (p.documents.every((d) => !d.exists)) {
    if (req.number !== undefined && req.number !== p.number)
      throw new ScaffoldError(`${relativePath(svc.root, p.folder)} is phase ${p.number}, not phase ${req.number}`);
    return p;
  }
  return lacks(p) && (req.number === undefined || req.number === p.number) ? p : undefined;
}

/**
 * The phase folder that the workspace folder is or lies in (`phase-2/`, or `phase-2/03-FINDINGS/`, opened so in the
 * editor) when the workspace holds no audit phase: check reads no phase there, a new phase would be one inside it
 * (`phase-2/phase-1/`), and the phase beside it is outside the workspace.
 */
function auditPhaseAtRoot(svc: PhasegateService, layout: LayoutSpec): string | undefined {
  if (svc.model.phases.some((p) => p.layout === layout)) return undefined;
  const named = (dir: string) => layout.folderPattern.test(basename(dir)) || LOOSE_AUDIT_FOLDER.test(basename(dir));
  return [svc.root, dirname(svc.root)].find((d) => d !== dirname(d) && named(d));
}

function newAuditPhase(svc: PhasegateService, req: AnyRequest, planner: Planner, date: string): void {
  const layout = builtinLayout(svc, 'audit');
  const phaseRoot = auditPhaseAtRoot(svc, layout);
  if (phaseRoot !== undefined)
    throw new ScaffoldError(
      `the workspace folder ${phaseRoot === svc.root ? 'is' : 'lies in'} ${basename(phaseRoot)}, a phase's folder: a new phase goes beside it, outside this workspace, not into it; create it in the folder that holds ${basename(phaseRoot)}`,
    );
  const base = resolveIn(svc, req.root ?? req.folder);
  const named = namedPhaseFolder(svc, layout, base, req);
  // The folder of a phase without some of its documents (made by hand, or half-written): that phase, filled in.
  const phases = svc.model.phases.filter((p) => p.layout === layout);
  const empty = unfinishedAt(svc, phases, base, req, (p) => p.documents.some((d) => !d.exists));
  const root = named ? dirname(named.folder) : empty ? dirname(empty.folder) : auditRoot(svc, base);
  const siblings = svc.model.phases.filter((p) => p.layout === layout && dirname(p.folder) === root);
  checkNumber(req.number);
  if (named) refuseDuplicate(svc, siblings, named.number, named.folder);
  if (empty) refuseDuplicate(svc, siblings, empty.number!, empty.folder, 'filling in');
  const n = named?.number ?? empty?.number ?? newNumber(svc, planner, layout, siblings, req, (k) => joinPath(root, `phase-${k}`));
  const existing = named ? undefined : (empty ?? siblings.find((p) => p.number === n));
  const folder = named?.folder ?? existing?.folder ?? joinPath(root, `phase-${n}`);
  const auditRoots = new Set(
    svc.model.phases
      .filter((p) => p.layout.name === 'audit' && !p.workstream)
      .map((p) => dirname(p.folder))
      .concat(root),
  );
  const id = existing?.id ?? (auditRoots.size <= 1 ? `phase-${n}` : relativePath(svc.root, folder));
  const title = req.title ?? (existing ? phaseTitle(svc, existing) : undefined);
  const prev = siblings.find((p) => p.number === n - 1);
  addPhaseFiles(svc, planner, layout, folder, existing, { id, number: n, title }, req, date, handoffFrom(svc, n, prev));
}

/** What a new phase numbered `n` takes from `prev`, the phase before it: its input handoff, from prev's output handoff. */
function handoffFrom(
  svc: PhasegateService,
  n: number | undefined,
  prev: Phase | undefined,
): (spec: DocumentKindSpec, ctx: TemplateContext, file: string) => void {
  return (spec, ctx, file) => {
    // Phase 1 after a phase 0 has a previous phase, as its input handoff does (baseContext knows of none).
    if (prev && n !== undefined && n >= 1) ctx.phase.prev = n - 1;
    if (spec.kind === 'input-handoff') ctx.prevHandoff = previousHandoff(svc, { number: n, prev }, file);
  };
}

/**
 * Plans the documents and folders of a phase of `layout` at `folder`: an existing phase's (a number
 * given, or documents missing) rendered as the fix previews render them, a new one's from `fresh`
 * (and `more` for what only a new phase's context holds).
 */
function addPhaseFiles(
  svc: PhasegateService,
  planner: Planner,
  layout: LayoutSpec,
  folder: string,
  existing: Phase | undefined,
  fresh: { id: string; number: number | undefined; title: string | undefined },
  req: AnyRequest,
  date: string,
  more?: (spec: DocumentKindSpec, ctx: TemplateContext, file: string) => void,
): void {
  planner.plan.phase = { folder, number: fresh.number };
  for (const spec of layout.documents) {
    const file = joinPath(folder, spec.file);
    planner.add(file, () => {
      const ctx = existing ? kindContext(svc, spec, existing, file, date) : baseContext(svc, { ...fresh, workstream: undefined, folder, layout }, date);
      if (!existing) more?.(spec, ctx, file);
      if (req.title) ctx.phase.title = req.title;
      return render(svc, spec, ctx);
    });
  }
  for (const f of layout.folders) planner.addFolder(joinPath(folder, f.name));
}

// ---------------------------------------------------------------------------------------------
// A new phase of a custom layout (phasegate.yaml `layouts:`): its folder as the layout's globs and
// number pattern name it, its documents from their templates.

/** The custom layout whose phases `base` is (by its globs), or holds (a folder of such phases). */
function customLayoutAt(svc: PhasegateService, base: string | undefined): { layout: LayoutSpec; isPhase: boolean } | undefined {
  if (base === undefined) return undefined;
  const rel = relativePath(svc.config.root, base);
  if (rel.startsWith('..')) return undefined;
  for (const layout of svc.config.layouts) {
    if (!layout.phaseGlobs) continue;
    if (picomatch(layout.phaseGlobs, { dot: false })(rel)) return { layout, isPhase: true };
    if (svc.model.phases.some((p) => p.layout === layout && (dirname(p.folder) === base || p.folder === base))) return { layout, isPhase: false };
  }
  return undefined;
}

/**
 * The custom layout called `name` and where its new phase goes: `base` when it is (or holds) a phase of
 * that layout, else the one folder holding its phases. An unknown name, or a folder of another layout, is refused.
 */
function customLayoutNamed(svc: PhasegateService, name: string, base: string | undefined): { layout: LayoutSpec; base: string; isPhase: boolean } {
  const layout = svc.config.layouts.find((l) => l.phaseGlobs && l.name === name);
  if (!layout) {
    const known = ['audit', 'iai', ...svc.config.layouts.filter((l) => l.phaseGlobs).map((l) => l.name)];
    throw new ScaffoldError(`no layout '${name}' in this workspace (layouts: ${known.join(', ')})`);
  }
  const phases = svc.model.phases.filter((p) => p.layout === layout);
  if (base === undefined || base === svc.root) {
    const parents = [...new Set(phases.map((p) => dirname(p.folder)))].sort();
    if (parents.length === 1) return { layout, base: parents[0], isPhase: false };
    const first = parents.length ? undefined : firstPhase(svc, layout);
    if (first) return { layout, base: first.parent, isPhase: false };
    throw new ScaffoldError(
      parents.length
        ? `several folders of ${name} phases: ${parents.map((g) => relativePath(svc.root, g)).join(', ')}; name one`
        : `no ${name} phase yet: give the new phase's folder (as the layout's phases are named)`,
    );
  }
  const at = customLayoutAt(svc, base);
  if (at?.layout === layout) return { layout, base, isPhase: at.isPhase };
  // The folder its glob names for its phases, before it has one (`sprints` of `sprints/sprint-*`).
  if (!phases.length && firstPhase(svc, layout)?.parent === base) return { layout, base, isPhase: false };
  // Inside a phase of the layout: the new phase is its sibling.
  const inPhase = phases.find((p) => isInside(p.folder, base));
  if (inPhase) return { layout, base: dirname(inPhase.folder), isPhase: false };
  throw new ScaffoldError(`${relativePath(svc.root, base)} is not a folder of ${name} phases`);
}

/**
 * Where the first phase of `layout` goes, and the name it is modelled on, when its one glob names them: a folder
 * of literal names, then a name with one `*` and no other pattern (`sprints/sprint-*`: `sprints`, `sprint-1`),
 * which the layout's number pattern reads as phase 1.
 */
function firstPhase(svc: PhasegateService, layout: LayoutSpec): { parent: string; model: string } | undefined {
  const globs = layout.phaseGlobs ?? [];
  if (globs.length !== 1) return undefined;
  const parts = globs[0].split('/');
  const last = parts.pop()!;
  if (parts.some((p) => p === '' || p === '.' || p === '..' || /[*?[\]{}()!+@\\]/.test(p))) return undefined;
  if ((last.match(/\*/g) ?? []).length !== 1 || /[?[\]{}()!+@\\]/.test(last)) return undefined;
  const model = last.replace('*', '1');
  if (phaseNumber(layout.folderPattern, model) !== 1) return undefined;
  return { parent: parts.length ? joinPath(svc.config.root, ...parts) : svc.config.root, model };
}

/**
 * The folder name of a new phase numbered `n` of `layout` in `parent`, after `model` (the name of the last of
 * its phases): `model` up to the number its layout's pattern reads in it, renumbered, then the words of
 * `title` (`M-1-kickoff` → `M-2-harbour-survey`; without a title `M-2`), joined as `model` joins its words
 * and in lower case when they are. A name the layout's globs would not find, or whose number it would not
 * read as `n`, is not taken: then `model` renumbered (`M-1-kickoff` → `M-2-kickoff`), if that is found.
 */
function newPhaseName(svc: PhasegateService, layout: LayoutSpec, parent: string, model: string, n: number, title: string | undefined): string | undefined {
  const m = new RegExp(layout.folderPattern.source, layout.folderPattern.flags.replace('g', '') + 'd').exec(model);
  const at = m?.indices?.[1];
  if (!at) return undefined;
  const head = model.slice(0, at[0]) + String(n);
  const rest = model.slice(at[1]);
  const sep = /^[-_ ]/.test(rest) ? rest[0] : '-';
  let words = title ? folderWords(title) : '';
  if (!/[A-Z]/.test(rest)) words = words.toLowerCase();
  words = words.replace(/_/g, sep);
  const found = picomatch(layout.phaseGlobs ?? [], { dot: false });
  return [words ? head + sep + words : head, head + rest].find(
    (name) => found(relativePath(svc.config.root, joinPath(parent, name))) && phaseNumber(layout.folderPattern, name) === n,
  );
}

function newCustomPhase(svc: PhasegateService, layout: LayoutSpec, base: string, isPhase: boolean, req: AnyRequest, planner: Planner, date: string): void {
  checkNumber(req.number);
  const existing = svc.model.phases.find((p) => p.layout === layout && p.folder === base);
  const parent = isPhase ? dirname(base) : base;
  const siblings = svc.model.phases.filter((p) => p.layout === layout && dirname(p.folder) === parent);
  let folder: string;
  let n: number | undefined;
  if (existing) {
    folder = existing.folder;
    n = existing.number;
    if (n !== undefined) refuseDuplicate(svc, siblings, n, folder, 'filling in');
  } else if (isPhase) {
    folder = base;
    n = phaseNumber(layout.folderPattern, basename(base));
    if (n !== undefined) refuseDuplicate(svc, siblings, n, folder);
  } else {
    // Beside the layout's phases: named as the last of them are, with the next number and the title's words.
    const model = [...siblings].reverse().find((p) => p.number !== undefined);
    // The layout's first phase: named as its glob names it (`sprints/sprint-*`: `sprint-1`).
    const first = siblings.length ? undefined : firstPhase(svc, layout);
    const like = model ? basename(model.folder) : first?.parent === parent ? first.model : undefined;
    const nameOf = (k: number) => (like ? newPhaseName(svc, layout, parent, like, k, req.title) : undefined);
    n = newNumber(svc, planner, layout, siblings, req, (k) => {
      const name = nameOf(k);
      return name && joinPath(parent, name);
    });
    const name = nameOf(n);
    if (!name)
      throw new ScaffoldError(
        `cannot name a new ${layout.name} phase in ${relativePath(svc.root, base) || '.'}: give its folder (as the layout's phases are named)`,
      );
    refuseDuplicate(svc, siblings, n, joinPath(parent, name));
    folder = joinPath(parent, name);
  }
  if (req.number !== undefined && n !== undefined && req.number !== n)
    throw new ScaffoldError(`${relativePath(svc.root, folder)} is phase ${n}, not phase ${req.number}`);
  const id = existing?.id ?? relativePath(svc.root, folder);
  const title = req.title ?? (existing ? phaseTitle(svc, existing) : undefined);
  // Its input handoff from the previous phase's output handoff, as in the audit layout (the handoff rules compare them alike).
  const num = n;
  const prev = num === undefined ? undefined : siblings.find((p) => p.number === num - 1);
  addPhaseFiles(svc, planner, layout, folder, existing, { id, number: n, title }, req, date, handoffFrom(svc, n, prev));
}

// ---------------------------------------------------------------------------------------------
// A new iAI phase: <root>/workstreams/<Workstream>/Phase_<n>_<Title>/implementation_prompt.md.

function iaiPhases(svc: PhasegateService): Phase[] {
  return svc.model.phases.filter((p) => p.workstream !== undefined);
}

/**
 * The folder that paths of an iAI project are read from: the workspace folder, or, when the workspace folder is
 * itself a `workstreams/` folder or a workstream's folder in one (the editor opened there), the project above it,
 * whose phases the workspace holds.
 */
function iaiTop(svc: PhasegateService): string {
  if (isWorkstreams(basename(svc.root))) return dirname(svc.root);
  if (isWorkstreams(basename(dirname(svc.root)))) return dirname(dirname(svc.root));
  return svc.root;
}

/** The folders of `path` (in the workspace) from iaiTop: `workstreams`, `Build`, … for a path at or below `workstreams/Build/`. */
function iaiParts(svc: PhasegateService, path: string): string[] {
  return relativePath(iaiTop(svc), path).split('/').filter(Boolean);
}

/** Whether `path` (the workspace folder when undefined) is a `workstreams/` folder (in any case) or lies in one. */
function inWorkstreams(svc: PhasegateService, path: string | undefined): boolean {
  return iaiParts(svc, path ?? svc.root).some(isWorkstreams);
}

/**
 * The project folder (holding `workstreams/`) and the workstream a folder names, if any. A `workstreams/` folder
 * (in any case) is its project's, a folder in it (`workstreams/Build/`) names that workstream: the project is the
 * folder above it, never the `workstreams/` folder itself (which would have the phase planned in
 * `workstreams/workstreams/`). Named in another case, it is the folder the phase is meant for: where that folder is
 * there, the planner refuses to write beside it (see caseRefusal); where it is the workspace folder itself (or
 * above it), no phase there is read, and nothing is planned.
 */
function iaiTarget(svc: PhasegateService, base: string | undefined, forPlan = false): { root: string; workstream?: string } {
  const top = iaiTop(svc);
  // The workspace folder is in a project's workstreams/: that project, the workspace's own workstream if it is one.
  if (base === undefined && top !== svc.root) base = svc.root;
  if (base !== undefined) {
    const parts = iaiParts(svc, base);
    let i = parts.length - 1;
    while (i >= 0 && !isWorkstreams(parts[i])) i--;
    if (i >= 0) {
      const root = joinPath(top, ...parts.slice(0, i));
      const folder = joinPath(root, parts[i]);
      if (parts[i] !== WORKSTREAMS && isInside(folder, svc.root))
        throw new ScaffoldError(
          `${parts[i]} (the workspace folder${folder === svc.root ? '' : "'s parent"}) is named in another case than ${WORKSTREAMS} (names match case-sensitively on every system, as CI on Linux does): no phase in it is read; rename it ${WORKSTREAMS}` +
            // The plan's place, the project folder above it, is outside the workspace whatever the folder's name (see newPlanFile).
            (forPlan ? `; ${planOutside(svc, root, parts[i])}` : ''),
        );
      return { root, workstream: parts[i + 1] };
    }
    const roots = [...new Set(iaiPhases(svc).map((p) => dirname(dirname(dirname(p.folder)))))].filter((r) => isInside(base, r));
    if (roots.includes(base)) return { root: base };
    if (roots.length === 1) return { root: roots[0] };
    if (roots.length > 1)
      throw new ScaffoldError(
        `several iAI projects under ${relativePath(svc.root, base) || '.'}: ${roots.map((r) => relativePath(svc.root, r)).join(', ')}; name one`,
      );
    return { root: base };
  }
  const roots = [...new Set(iaiPhases(svc).map((p) => dirname(dirname(dirname(p.folder)))))].sort();
  if (roots.length > 1) throw new ScaffoldError(`several iAI projects: ${roots.map((r) => relativePath(svc.root, r)).join(', ')}; name one`);
  return { root: roots[0] ?? svc.root };
}

function newIaiPhase(svc: PhasegateService, req: AnyRequest, planner: Planner, date: string): void {
  const layout = builtinLayout(svc, 'iai');
  const base = resolveIn(svc, req.root ?? req.folder);
  // <project>/workstreams/<W>/<Phase_N_…>, not there yet: that phase.
  const parts = base === undefined ? [] : iaiParts(svc, base);
  const inWs = parts.length >= 3 && isWorkstreams(parts[parts.length - 3]);
  const named = inWs ? namedPhaseFolder(svc, layout, base, req) : undefined;
  if (named && req.workstream !== undefined && req.workstream !== parts[parts.length - 2])
    throw new ScaffoldError(`${relativePath(svc.root, named.folder)} is in workstream ${parts[parts.length - 2]}, not ${req.workstream}`);
  // The folder of a phase without its prompt (made by hand, or with its response alone): that phase, filled in.
  const empty = unfinishedAt(svc, iaiPhases(svc), base, req, (p) => p.documents.some((d) => d.spec.kind === 'prompt' && !d.exists));
  if (empty && req.workstream !== undefined && req.workstream !== empty.workstream)
    throw new ScaffoldError(`${relativePath(svc.root, empty.folder)} is in workstream ${empty.workstream}, not ${req.workstream}`);
  const target = iaiTarget(svc, named ? dirname(named.folder) : empty ? dirname(empty.folder) : base);
  const wsFolder = joinPath(target.root, WORKSTREAMS);
  // A `Workstreams/` folder there: its phases are not read (so no workstream is known of it), and nothing is written beside it.
  const miscased = caseRefusal(svc, wsFolder);
  if (miscased) throw new ScaffoldError(`${miscased}; nothing is created`);
  let ws = req.workstream ?? target.workstream;
  if (ws === undefined) {
    const known = [
      ...new Set(
        iaiPhases(svc)
          .filter((p) => isInside(wsFolder, p.folder))
          .map((p) => p.workstream!),
      ),
    ];
    if (known.length !== 1) throw new ScaffoldError(`a new iAI phase needs a workstream${known.length ? ` (one of: ${known.join(', ')})` : ''}`);
    ws = known[0];
  }
  const wsProblem = workstreamNameProblem(ws);
  if (wsProblem) throw new ScaffoldError(wsProblem);
  const group = joinPath(wsFolder, ws);
  const siblings = iaiPhases(svc).filter((p) => dirname(p.folder) === group);
  checkNumber(req.number);
  // A folder named as a phase in `Workstreams/` (another case): the phase of that name in workstreams/.
  const namedFolder = named && joinPath(group, basename(named.folder));
  if (named) refuseDuplicate(svc, siblings, named.number, namedFolder!);
  if (empty) refuseDuplicate(svc, siblings, empty.number!, empty.folder, 'filling in');
  const words = req.title ? folderWords(req.title) : '';
  const n =
    named?.number ?? empty?.number ?? newNumber(svc, planner, layout, siblings, req, (k) => joinPath(group, words ? `Phase_${k}_${words}` : `Phase_${k}`));
  const existing = named ? undefined : (empty ?? siblings.find((p) => p.number === n));
  const folder = namedFolder ?? existing?.folder ?? joinPath(group, words ? `Phase_${n}_${words}` : `Phase_${n}`);
  const spec = layout.documents.find((d) => d.kind === 'prompt')!;
  const title = req.title ?? (existing ? phaseTitle(svc, existing) : named ? folderTitle(named.folder) : undefined);
  const id = `${ws}/${basename(folder)}`;
  const file = joinPath(folder, spec.file);
  planner.plan.phase = { folder, number: n };
  const before = planner.plan.creates.length;
  const hasPrev = n !== undefined && siblings.some((p) => p.number === n - 1);
  planner.add(file, () => render(svc, spec, baseContext(svc, { id, number: n, title, workstream: ws, folder, layout, hasPrev }, date)));
  // A new phase (or one filled in) gets its row in the project plan, as the plan rule wants (only with its prompt: never for a phase not created).
  if ((!existing || existing === empty) && planner.plan.creates.length > before) {
    const row = { id, folder, number: n, workstream: ws, title: title === undefined ? undefined : headingTitle(title) };
    for (const edit of planRowEdits(svc, row, spec.file))
      planner.plan.edits.push({ ...edit, with: file, again: (text) => replanRow(text, edit.file, svc.root, row, spec.file, workstreamsOf(svc.model.phases)) });
  }
}

// ---------------------------------------------------------------------------------------------
// Documents of an existing phase, findings, the project plan.

function findPhase(svc: PhasegateService, id: string): Phase {
  const abs = id.startsWith('/') ? normalizePath(id) : joinPath(svc.root, id);
  const p = svc.findPhase(id) ?? svc.findPhase(abs) ?? svc.model.phases.find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!p) throw new ScaffoldError(`no phase '${id}' in this workspace${phaseHint(svc, id)}`, svc.root);
  return p;
}

/** What to write instead of an id that names no phase: the phase whose folder has that name, else the ids there are. */
function phaseHint(svc: PhasegateService, id: string): string {
  const want = id.replace(/(?<!\/)\/+$/, '').toLowerCase();
  const named = svc.model.phases.filter((x) => basename(x.folder).toLowerCase() === want || x.id.toLowerCase().endsWith(`/${want}`));
  if (named.length === 1) return `: did you mean '${named[0].id}'?`;
  const ids = (named.length ? named : svc.model.phases).map((x) => x.id);
  if (!ids.length) return '; it has no phase yet';
  const MAX = 6;
  return `; its phases: ${ids.slice(0, MAX).join(', ')}${ids.length > MAX ? `, … (${ids.length} in all)` : ''}`;
}

function newFinding(svc: PhasegateService, phase: Phase, req: AnyRequest, planner: Planner, date: string): void {
  const folderName = findingsFolder(phase.layout);
  if (!folderName) throw new ScaffoldError(`${phaseName(phase)} (${phase.layout.name} layout) has no findings folder`);
  const folder = joinPath(phase.folder, folderName);
  const taken = new Set((req.taken ?? []).map(normalizePath));
  // Numbered after the findings of the folder, those on disk that the engine does not know of yet too.
  const unknown = [...taken].filter((f) => dirname(f) === folder && /\.md$/i.test(f) && !phase.files.includes(f));
  const numbered = unknown.map((f) => Number(/^finding-(\d+)/i.exec(basename(f))?.[1] ?? 0));
  const number = Math.max(nextFindingNumber(phase, folder) + unknown.length, ...numbered.map((n) => n + 1));
  // Named by its title in kebab case, when that keeps a letter of it (not for a title in another script: `finding-N`).
  const words = req.title ? folderWords(req.title).toLowerCase().replace(/_/g, '-') : '';
  const slug = /[a-z]/.test(words) ? words : `finding-${number}`;
  // A new finding is always a file of its own, never one there: a title whose file name another finding has
  // (`Outdated deps`, `outdated DEPS!`, or the very same title: findings are numbered, `Finding 3: Outdated deps`)
  // gets `-2`, `-3`…
  let file = joinPath(folder, `${slug}.md`);
  // In another case too (`Outdated-Deps.md`): names match case-sensitively, and a file system ignoring case has one file for both.
  const takenLower = new Set([...taken].map((f) => f.toLowerCase()));
  const used = (f: string) => svc.exists(f) || takenLower.has(f.toLowerCase()) || svc.inOtherCase(f)?.wanted === f;
  for (let k = 2; used(file) && words === slug; k++) file = joinPath(folder, `${slug}-${k}.md`);
  const spec: DocumentKindSpec = { ...FINDING_KIND, file: relativePath(phase.folder, file) };
  planner.add(file, () => {
    const ctx = kindContext(svc, spec, phase, file, date);
    ctx.finding = { number, title: req.title };
    return render(svc, spec, ctx);
  });
}

/** Why `new plan` writes nothing where the project folder `root` (where the plan goes, beside its `held` folder, workstreams/) is above the workspace folder. */
function planOutside(svc: PhasegateService, root: string, held = WORKSTREAMS): string {
  return (
    `the project plan goes in the project folder ${root}, which holds ${held}/, above the workspace folder ${basename(svc.root)}: ` +
    `outside this workspace, nothing is created and no plan is checked; create it with ${root} as the workspace folder (run 'phasegate new plan' there)`
  );
}

/** Why `new plan` writes nothing in `root`, a folder of phases of layouts without a project plan (`others`), and no iAI project. */
function noPlanOf(svc: PhasegateService, root: string, others: Phase[]): string {
  const layouts = [...new Set(others.map((p) => p.layout.name))].sort();
  const where = root === svc.root ? 'the workspace folder' : relativePath(svc.root, root);
  const plan = `${PLAN_FILE} is the iAI layout's plan, a row for each phase in ${WORKSTREAMS}/, and lists no ${layouts.join(' or ')} phase (their status: 'phasegate status'); nothing is created`;
  if (others.length === 1 && others[0].folder === root) return `${where} is a phase of the ${layouts[0]} layout, not an iAI project: ${plan}`;
  if (others.length === 1 && isInside(others[0].folder, root))
    return `${where} lies in ${others[0].id}, a phase of the ${layouts[0]} layout, not in an iAI project: ${plan}`;
  const MAX = 3;
  const ids = others.map((p) => p.id);
  return (
    `${where} holds phases of the ${layouts.join(', ')} layout${layouts.length > 1 ? 's' : ''} (${ids.slice(0, MAX).join(', ')}${ids.length > MAX ? ', …' : ''}) and no iAI project: ` +
    `${plan} (an iAI project here starts with its first phase: 'phasegate new phase --layout iai --workstream W')`
  );
}

function newPlanFile(svc: PhasegateService, req: AnyRequest, planner: Planner, date: string): void {
  const root = iaiTarget(svc, resolveIn(svc, req.root ?? req.folder), true).root;
  // The workspace folder is the project's workstreams/ (or a workstream in it): the plan belongs above it, in the project
  // folder, where nothing is written (as for any file outside the workspace folder) and this workspace checks no plan.
  if (!isInside(svc.root, root)) throw new ScaffoldError(planOutside(svc, root));
  const file = joinPath(root, PLAN_FILE);
  // A folder of audit phases (or a custom layout's), or one in such a phase (`phase-1/04-ARTIFACTS`), and no iAI project
  // there: the plan tracks only workstreams/ phases and would list none of these. No plan is written (one there already,
  // in any case, is told of as below).
  const around = svc.model.phases.find((p) => p.workstream === undefined && p.folder !== root && isInside(p.folder, root));
  const others = around ? [around] : svc.model.phases.filter((p) => p.workstream === undefined && isInside(root, p.folder));
  if (
    others.length &&
    !iaiPhases(svc).some((p) => isInside(root, p.folder)) &&
    !svc.isFolder(joinPath(root, WORKSTREAMS)) &&
    !svc.exists(file) &&
    !svc.inOtherCase(file)
  )
    throw new ScaffoldError(noPlanOf(svc, root, others));
  planner.add(file, () => render(svc, PLAN_KIND, kindContext(svc, PLAN_KIND, undefined, file, date)));
}

/** `a`, `a and b`, `a, b and c`. */
function listed(xs: string[]): string {
  return xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}` : (xs[0] ?? 'none');
}

function newDocument(svc: PhasegateService, what: NewWhat, req: AnyRequest, planner: Planner, date: string): void {
  if (req.phase === undefined || req.phase === '') throw new ScaffoldError(`'new ${what}' needs the id of its phase`);
  const phase = findPhase(svc, req.phase);
  if (what === 'finding') return newFinding(svc, phase, req, planner, date);
  const kind = what === 'handoff' ? 'output-handoff' : what;
  const doc = phase.documents.find((d) => d.spec.kind === kind);
  if (!doc) {
    // What the layout has instead, by file and kind (`implementation_prompt.md (prompt)`): an iAI phase hands off in its response.
    const has = phase.layout.documents.map((d) => `${d.file} (${d.kind.replace(/-/g, ' ')})`);
    throw new ScaffoldError(
      `${phaseName(phase)} (${phase.layout.name} layout) has no ${kind.replace(/-/g, ' ')} document: the ${phase.layout.name} layout's documents are ${listed(has)}`,
    );
  }
  planner.add(doc.path, () => render(svc, doc.spec, kindContext(svc, doc.spec, phase, doc.path, date)));
}

/**
 * The planned files (and edited ones) that lead outside the workspace folder once symbolic links are
 * followed: a file's deepest existing folder (or the file, for an edit) resolves to a path outside the
 * workspace folder's own real path (`03-FINDINGS` or `phase-2` a link to elsewhere). They are to be
 * reported and not written; the host removes them from the plan (`withoutOutside`). Empty when the file
 * system cannot resolve links.
 */
export async function outsideTargets(svc: PhasegateService, plan: NewPlan): Promise<{ file: string; reason: string }[]> {
  const realpath = svc.fs.realpath?.bind(svc.fs);
  if (!realpath) return [];
  const realRoot = await realpath(svc.root).catch(() => undefined);
  if (realRoot === undefined) return [];
  const known = new Map<string, Promise<string | undefined>>();
  /** The real path of `p`'s deepest existing ancestor (itself included), below the workspace folder. */
  const resolve = (p: string): Promise<string | undefined> => {
    let r = known.get(p);
    if (!r) {
      r = realpath(p).catch(() => (p === svc.root || dirname(p) === p ? undefined : resolve(dirname(p))));
      known.set(p, r);
    }
    return r;
  };
  const out: { file: string; reason: string }[] = [];
  for (const file of [...plan.creates.map((c) => c.file), ...new Set(plan.edits.map((e) => e.file))]) {
    const real = await resolve(file);
    if (real !== undefined && !isInside(realRoot, real)) out.push({ file, reason: `it leads outside the workspace folder (to ${real})` });
  }
  return out;
}

/** `plan` without the files of `refused` (and the edits that went with them or edit them). */
export function withoutOutside(plan: NewPlan, refused: { file: string }[]): NewPlan {
  const no = new Set(refused.map((r) => r.file));
  return { ...plan, creates: plan.creates.filter((c) => !no.has(c.file)), edits: plan.edits.filter((e) => !no.has(e.file) && !no.has(e.with)) };
}

/** Plans the files of a new phase or document. Throws ScaffoldError for a request it cannot plan, TemplateError for a broken workspace template. */
export function planNew(svc: PhasegateService, request: NewRequest): NewPlan {
  const req = { ...(request as AnyRequest) };
  // Spaces around a title or a workstream typed or quoted are no part of it: a workstream folder ` Build `, a
  // heading `# Phase 4:  Rollout `. A title of spaces alone is no title; a blank workstream is refused below.
  if (typeof req.title === 'string') req.title = req.title.trim() || undefined;
  if (typeof req.workstream === 'string' && req.workstream.trim()) req.workstream = req.workstream.trim();
  const what = req.what ?? req.kind;
  const planner = new Planner(svc);
  const date = req.date ?? today();
  // As the front matter schemas read a date (`2025-13-40` would be written, and reported there at once).
  if (!/^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/.test(date)) throw new ScaffoldError(`date must read YYYY-MM-DD, not '${date}'`);
  // A title or workstream is written into headings and front matter: a line break would add headings of its own.
  for (const [key, value] of [
    ['title', req.title],
    ['workstream', req.workstream],
  ] as const)
    if (typeof value === 'string' && /[\r\n]/.test(value)) throw new ScaffoldError(`a ${key} is one line: ${JSON.stringify(value)} has a line break`);
  switch (what) {
    case undefined:
      throw new ScaffoldError('nothing to create: name a phase, prompt, response, handoff, input-handoff, brief or finding');
    case 'phase': {
      // A layout named by the request: a custom one (the editor names a group's layout), else a built-in one.
      if (req.layout !== undefined && req.layout !== 'audit' && req.layout !== 'iai') {
        const { layout, base, isPhase } = customLayoutNamed(svc, req.layout, resolveIn(svc, req.root ?? req.folder));
        newCustomPhase(svc, layout, base, isPhase, req, planner, date);
        break;
      }
      // A folder a custom layout names as its phases (or that holds them): a phase of that layout.
      let base = req.layout === undefined ? resolveIn(svc, req.root ?? req.folder) : undefined;
      // No folder named (or the workspace's own), and every phase of the workspace in one folder of one custom layout: next to them.
      const parents = new Set(svc.model.phases.map((p) => `${p.layout.name}\u0000${dirname(p.folder)}`));
      const only = svc.model.phases[0];
      if (req.layout === undefined && (base === undefined || base === svc.root) && parents.size === 1 && only?.layout.phaseGlobs) base = dirname(only.folder);
      const custom = customLayoutAt(svc, base);
      if (custom && base !== undefined) {
        newCustomPhase(svc, custom.layout, base, custom.isPhase, req, planner, date);
        break;
      }
      // A folder in workstreams/ (in any case; the workspace folder, when none is named), or the workspace's phases all iAI ones: an iAI phase.
      const inWs = inWorkstreams(svc, resolveIn(svc, req.root ?? req.folder));
      const onlyIai = iaiPhases(svc).length > 0 && !svc.model.phases.some((p) => p.layout.name === 'audit');
      const layout = req.layout ?? (req.workstream !== undefined || inWs || onlyIai ? 'iai' : 'audit');
      if (layout === 'iai') newIaiPhase(svc, req, planner, date);
      else newAuditPhase(svc, req, planner, date);
      break;
    }
    case 'prompt':
      if (req.phase === undefined) newIaiPhase(svc, req, planner, date);
      else newDocument(svc, what, req, planner, date);
      break;
    case 'plan':
      newPlanFile(svc, req, planner, date);
      break;
    default:
      newDocument(svc, what, req, planner, date);
  }
  return planner.plan;
}
