/**
 * The phase tree (`phasegate/phases`): workspace folders → groups → phases with their documents,
 * gates and problem counts.
 *
 * A client that holds an answer names it (its `id`) in its next request (`since`); the server then
 * sends only the phases whose node changed. It remembers what its last whole-workspace answer was built from:
 * each folder's engine, phase model and settings, and for each phase the engine results its node was
 * made of (its gate results and its files' diagnostics: the engine hands out the same arrays while a
 * result stays valid). A phase whose results are the same arrays is left out. Only the phases whose results the
 * engine may have changed since (its change log, `changedSince`) and those the answer showed `checking` are looked at
 * (`changedPhases`): the answer costs what changed, not the workspace's size. Anything else (a phase
 * added or removed, a settings change, a folder added, another answer in between) gets the whole tree.
 *
 * The tree comes before every phase is checked: an answer checks CHECK_BUDGET_PHASES phases at most (their documents
 * diagnosed, their gates evaluated), and lists the phases it did not reach as `checking` (no gates, problem counts
 * not known). The server then goes on checking them in the background (`BackgroundCheck`), a batch at a
 * time, and says so (`phasegate/didChangePhases`): the client's next request (`since`) gets them checked, as
 * `changed` (a phase's inputs while it is not checked begin with CHECKING, which no checked phase's do).
 */
import { randomUUID } from 'node:crypto';
import type { DocumentNode, GroupNode, PhaseNode, PhasesParams, PhasesResult, PhasegateSettings, ProblemCounts, WorkspaceFolderNode } from '../protocol';
import { normalizePath, relativePath } from '../service/host';
import { GateResult, phaseStatus, ungatedErrors, unfilledTemplates } from '../service/gates';
import { notWrittenCounts, reasonsBeyondMissing } from '../service/holds';
import type { PhasegateService } from '../service/service';
import { type CancellationToken, type Diagnostic, noCancellation, throwIfCancelled } from '../service/types';
import { type Phase, type WorkspaceModel, phaseFiles, phaseOf } from '../service/workspace';
import { applyRuleSettings } from './convert';
import type { ServerContext } from './context';
import type { Settings } from './settings';
import { phaseTitle } from './phases';
import { unlistedProblems } from '../service/check-context';
import { pathToUri } from './uri';
import type { Folder } from './workspaces';
import { ANSWER_SLICE_MS, timeSlicer, yieldOnce } from './yield';
import { checkingTitle } from '../service/templates';

/**
 * How many phases not checked yet an answer checks (over its builds again) before it lists the ones it did not reach
 * as `checking`: a small workspace comes checked at once (no flicker of `checking` rows), a large one at once too.
 * A number of phases, not a time, so that what a workspace's first tree shows does not depend on the machine's speed
 * or load (128 phases, about 1,500 documents, take about 0.1 s here).
 */
export const CHECK_BUDGET_PHASES = 128;

export function problemCounts(diags: Diagnostic[]): ProblemCounts {
  const c: ProblemCounts = { errors: 0, warnings: 0, infos: 0, hints: 0 };
  for (const d of diags) {
    // A file's problems past those listed: counted by its `too-many-problems` diagnostic.
    const more = unlistedProblems(d);
    if (more !== undefined) c.more = (c.more ?? 0) + more;
    else if (d.severity === 'error') c.errors++;
    else if (d.severity === 'warning') c.warnings++;
    else if (d.severity === 'information') c.infos++;
    else c.hints++;
  }
  return c;
}

/**
 * What keeps a phase from handing off, as `phasegate status` says it: the required documents not written
 * (a phase missing one is never complete, whatever its gates), then each reason of a gate not passed, without those
 * that only say again that such a document is not written (holds.ts).
 */
function blockers(svc: PhasegateService, p: Phase, gates: readonly GateResult[]): string[] {
  const missing = p.documents.filter((d) => d.spec.required && !d.exists).map((d) => d.spec.file);
  const out = missing.length ? [`missing ${missing.join(', ')}`] : [];
  out.push(...ungatedErrors(svc, p), ...unfilledTemplates(svc, p));
  const notWritten = missing.length ? notWrittenCounts(svc.phaseDiagnostics(p)) : { error: 0, warning: 0 };
  for (const g of gates) {
    if (g.status === 'passed') continue;
    out.push(...reasonsBeyondMissing(p, missing, g.status, g.reasons, notWritten).map((r) => `${g.name}: ${r}`));
  }
  return out;
}

/**
 * The node of a phase not checked yet (`checking`): what the phase model tells without checking (its documents, which
 * exist), no gates, no blockers, its problem counts not known (`null`), its title the one it will have once checked where
 * a scan of its brief's text tells it, else its folder's (`checkingTitle`: its brief is not parsed).
 */
function checkingNode(ctx: ServerContext, svc: PhasegateService, p: Phase): PhaseNode {
  return {
    id: p.id,
    title: checkingTitle(svc, p),
    layout: p.layout.name,
    number: p.number ?? null,
    workstream: p.workstream ?? null,
    uri: pathToUri(p.folder),
    status: 'checking',
    gates: [],
    documents: documentNodes(ctx, p, () => null),
    problems: null,
    blockers: [],
  };
}

/** A phase's document nodes, each with its problem counts (`null`: not known yet). */
function documentNodes(ctx: ServerContext, p: Phase, problems: (d: Phase['documents'][number]) => ProblemCounts | null): DocumentNode[] {
  return p.documents.map((d) => ({
    kind: d.spec.kind,
    name: d.spec.name,
    file: d.spec.file,
    uri: ctx.uriOf(d.path),
    exists: d.exists,
    required: d.spec.required,
    problems: problems(d),
  }));
}

/** What the inputs (see `phaseInputs`) of a phase not checked yet begin with, and those of no checked phase. */
const CHECKING = Symbol('checking');
/** The inputs of a phase not checked yet whose files were not edited since the workspace loaded. */
const UNEDITED: readonly unknown[] = [CHECKING];

/**
 * The inputs of a phase not checked yet: CHECKING, and the engine's count of its files' changes of text, if they
 * changed since the workspace loaded (its title, scanned from its brief, may have changed: its node is sent again).
 * Not the title itself: scanning every such phase's brief at every answer would take a tenth of a second at 20,000.
 */
function checkingInputs(svc: PhasegateService, p: Phase): readonly unknown[] {
  const edited = svc.phaseEdited(p);
  return edited === undefined ? UNEDITED : [CHECKING, edited];
}

function phaseNode(ctx: ServerContext, svc: PhasegateService, p: Phase, settings: PhasegateSettings): PhaseNode {
  const gates = svc.gates(p);
  const status = phaseStatus(svc, p, gates);
  const diagsOf = (f: string) => (settings.enable ? applyRuleSettings(svc.diagnose(f), settings) : []);
  const documents = documentNodes(ctx, p, (d) => problemCounts(d.exists ? diagsOf(d.path) : []));
  return {
    id: p.id,
    title: phaseTitle(svc, p),
    layout: p.layout.name,
    number: p.number ?? null,
    workstream: p.workstream ?? null,
    uri: pathToUri(p.folder),
    status,
    gates: gates.map((g) => ({ name: g.name, status: g.status })),
    documents,
    problems: problemCounts(phaseFiles(p).flatMap(diagsOf)),
    blockers: blockers(svc, p, gates),
  };
}

/**
 * The engine results a phase node is made of, besides the phase model and the settings: its title
 * (a string: compared by value), its gate results, then each counted file's diagnostics (none when
 * checking is off).
 */
function phaseInputs(svc: PhasegateService, p: Phase, settings: PhasegateSettings): unknown[] {
  const inputs: unknown[] = [phaseTitle(svc, p), svc.gates(p)];
  if (settings.enable) for (const f of phaseFiles(p)) inputs.push(svc.diagnose(f));
  return inputs;
}

function sameInputs(a: readonly unknown[] | undefined, b: readonly unknown[]): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The inputs of each phase of an answer's folder, by phase folder path, and the phases it showed `checking`. An answer
 * made from the last one's changes (see `changedPhases`) writes its inputs over the last one's (no copy of every
 * phase's): it writes them in a journal, undone if the answer is not made (`rollback`).
 */
class ShownInputs {
  private readonly byFolder = new Map<string, readonly unknown[]>();
  /** The folders of the phases shown `checking`. */
  readonly checking = new Set<string>();
  private journal: [string, readonly unknown[] | undefined][] | undefined;

  get(folder: string): readonly unknown[] | undefined {
    return this.byFolder.get(folder);
  }

  set(folder: string, inputs: readonly unknown[]): void {
    this.journal?.push([folder, this.byFolder.get(folder)]);
    this.put(folder, inputs);
  }

  private put(folder: string, inputs: readonly unknown[] | undefined): void {
    if (inputs === undefined) this.byFolder.delete(folder);
    else this.byFolder.set(folder, inputs);
    if (inputs?.[0] === CHECKING) this.checking.add(folder);
    else this.checking.delete(folder);
  }

  /** A copy, as it was before `begin` when what is set is journaled (an answer is writing over it). */
  copyAsBegun(): ShownInputs {
    const out = new ShownInputs();
    for (const [folder, inputs] of this.byFolder) out.put(folder, inputs);
    const j = this.journal ?? [];
    for (let i = j.length - 1; i >= 0; i--) out.put(j[i][0], j[i][1]);
    return out;
  }

  /** What is set from now on is journaled. */
  begin(): void {
    this.journal = [];
  }

  /** What is set stands. */
  commit(): void {
    this.journal = undefined;
  }

  /** What was set since `begin` is undone. */
  rollback(): void {
    const j = this.journal;
    this.journal = undefined;
    for (let i = (j?.length ?? 0) - 1; i >= 0; i--) this.put(j![i][0], j![i][1]);
  }
}

/** What one folder of the last answer was built from. */
interface FolderRecord {
  folder: Folder;
  svc: PhasegateService;
  model: WorkspaceModel;
  settings: PhasegateSettings;
  /** The engine's `changeMark()` when the answer began to read it. */
  mark: number;
  inputs: ShownInputs;
}

/** Each phase's place in the order `eachPhase` visits the phases of a model (group by group), by model. */
const ordinals = new WeakMap<WorkspaceModel, Map<Phase, number>>();

function ordinalsOf(model: WorkspaceModel): Map<Phase, number> {
  let out = ordinals.get(model);
  if (!out) {
    out = new Map();
    for (const phases of model.groups.values()) for (const p of phases) out.set(p, out.size);
    ordinals.set(model, out);
  }
  return out;
}

interface TreeRecord {
  /** The answer's `id`. */
  id: string;
  /** The answer's number: a later answer's record replaces an earlier one's, not the other way round. */
  seq: number;
  folders: FolderRecord[];
}

/**
 * Thrown while a tree is built when an engine it reads changed under it (see `EngineState`): the answer
 * is built again from the engines' new state.
 */
class EngineChanged extends Error {
  override name = 'EngineChanged';
}

/**
 * What a folder's part of a tree is read from: its engine's state (any change that may change a result
 * counts its `revision` up: a reload after a config or schema change, files or folders that came or went,
 * a document's editor text, the rule severities of the settings) and the settings the tree read (a settings
 * change counts their `generation` up, before the engines take its severities). A tree read partly from one
 * state and partly from another would mix phases, gates and problems from before and after the change.
 *
 * `held`: the tree holds the folder's changes (`Folder.hold`) while it is built, so none lands meanwhile;
 * one that comes waits, queued, and a settings change reaches the engine only then.
 */
class EngineState {
  private readonly revision: number;
  private readonly generation: number | undefined;
  readonly model: WorkspaceModel;
  /** The engine's `changeMark()`: the changes after it are not read. */
  readonly mark: number;

  constructor(
    readonly folder: Folder,
    private readonly settings: Settings,
    readonly held: boolean,
  ) {
    this.revision = folder.svc.revision;
    this.model = folder.svc.model;
    this.mark = folder.svc.changeMark();
    this.generation = settings.generation;
  }

  /** After a pause: waits for the changes that came meanwhile to be applied (unless they are held), then checks. */
  async resume(): Promise<void> {
    if (!this.held) await this.folder.settled();
    this.check();
  }

  /** Throws EngineChanged once the folder's engine is not in this state any more. */
  check(): void {
    const f = this.folder;
    if (f.disposed || f.svc.revision !== this.revision || f.svc.model !== this.model) throw new EngineChanged();
    if (!this.held && this.settings.generation !== this.generation) throw new EngineChanged();
  }
}

/**
 * Visits every phase of a loaded folder, group by group, checking the phases' documents in the
 * engine's batches first (faster than one by one); `slice` yields to the editor's other requests
 * meanwhile, and so does each batch (but with `NEVER`, which builds the tree in one go), and it stops
 * (CancelledError) once the request is cancelled, or (EngineChanged) once the engine is not in `state` any more.
 *
 * A phase not checked yet is checked only while the folder's budget (`checks`) has phases left (a batch checked spends
 * its phases), or when `must` says it (a phase the last answer showed checked); `visit` is told whether the phase is
 * checked (else it is `checking`, and the folder is one of `checks.pending`).
 */
async function eachPhase(
  state: EngineState,
  slice: () => Promise<void> | undefined,
  checks: Checks,
  must: (p: Phase) => boolean,
  visit: (p: Phase, groupIndex: number, checked: boolean) => void,
  onGroup: (key: string, phases: Phase[]) => void,
  token: CancellationToken,
): Promise<void> {
  const budget = checks.budget(state.folder);
  let groupIndex = 0;
  for (const [key, phases] of state.model.groups) {
    onGroup(key, phases);
    const g = groupIndex;
    await visitPhases(state, phases, slice, checks, budget, must, (p, checked) => visit(p, g, checked), token);
    groupIndex++;
  }
}

/** `eachPhase` over the phases of `phases` (a group's, or those an answer looks at: `changedPhases`), in their order. */
async function visitPhases(
  state: EngineState,
  phases: readonly Phase[],
  slice: () => Promise<void> | undefined,
  checks: Checks,
  budget: Budget,
  must: (p: Phase) => boolean,
  visit: (p: Phase, checked: boolean) => void,
  token: CancellationToken,
): Promise<void> {
  const folder = state.folder;
  const svc = folder.svc;
  let checkedTo = 0;
  for (let i = 0; i < phases.length; i++) {
    const y = slice();
    if (y) {
      await y;
      // Changes may have come meanwhile (file events, edits, settings): the engine is read again once they
      // are applied. One that changed it ends this build (the answer is built again).
      await state.resume();
    }
    throwIfCancelled(token);
    const p = phases[i];
    if (i >= checkedTo && !svc.phaseChecked(p)) {
      if (!budget.may() && !must(p)) {
        checks.pending.add(folder);
        visit(p, false);
        continue;
      }
      // A batch of many documents takes tens of milliseconds: it yields within (but with `NEVER`), and the engine
      // is read again once the changes that came meanwhile are applied (as after a slice).
      checkedTo = i + (slice !== NEVER ? await svc.checkBatchInSlices(phases, i, yieldOnce, ANSWER_SLICE_MS) : svc.checkBatch(phases, i));
      budget.spend(checkedTo - i);
      if (slice !== NEVER) {
        await state.resume();
        throwIfCancelled(token);
      }
    }
    visit(p, true);
  }
}

/**
 * How many times an answer is built again when an engine changed under it; the next times it holds the
 * engines' changes while it is built (it still yields to other requests, and the changes land after it).
 * Held, only a change that does not wait for the hold (folders that came or went, an engine change made
 * outside `Folder.exclusive`) ends a build: after MAX_REBUILDS such, the last is built in one go.
 */
const MAX_REBUILDS = 3;

/** The slicer of a build in one go (see `answer`): it never yields, nor do the batches. */
const NEVER = (): undefined => undefined;

/** How many phases not checked yet an answer may still check in a folder (`may`), and what a batch checked spent. */
interface Budget {
  may: () => boolean;
  spend: (phases: number) => void;
}

/** What an answer checks: a folder's phases within `budget(folder)`, and the folders of the phases it left `checking`. */
interface Checks {
  budget: (folder: Folder) => Budget;
  pending: Set<Folder>;
}

/** Options of `PhaseTrees`. */
export interface PhaseTreeOptions {
  /**
   * Called when the background check found more phases of a folder checked (at most every BACKGROUND_NOTICE_MS,
   * and when every phase is): the server sends `phasegate/didChangePhases` at once.
   */
  checked?: (folder: Folder) => void;
  /** How many phases an answer checks (CHECK_BUDGET_PHASES by default). */
  budgetPhases?: number;
  /**
   * Whether the phases an answer left `checking` are checked next in the background (true by default); if not, they
   * wait for a later answer or another request to check them (tests hold phases `checking` so).
   */
  background?: boolean;
}

/**
 * How often the background check announces the phases it checked: each announcement makes the client ask for the
 * phases changed since its tree, an answer that looks at every phase still `checking` in it (`changedPhases`).
 */
const BACKGROUND_NOTICE_MS = 1000;

/**
 * Checks the phases of a folder that an answer left `checking`, a batch at a time in slices (other requests are
 * answered meanwhile), and calls `checked` at most every BACKGROUND_NOTICE_MS as phases are found checked, and once
 * more when every phase is. The engine caches what it checks: a phase that
 * something else checked meanwhile (the workspace diagnostics, an answer, a gate command) is not checked again.
 * Waits for the engine's changes to land before each batch; a change (an edit, a reload) makes it look from the
 * first phase again (in the new model). It ends once every phase of the folder is checked, or the folder is
 * disposed or not loaded (a later answer starts it again).
 */
class BackgroundCheck {
  done: Promise<void>;

  constructor(
    private readonly folder: Folder,
    private readonly checked: (folder: Folder) => void,
  ) {
    this.done = this.run();
  }

  private async run(): Promise<void> {
    const folder = this.folder;
    let model: WorkspaceModel | undefined;
    let revision = -1;
    let from = 0;
    // Yields between the gates of a batch's phases (a gate reads its checklists: a batch takes some milliseconds).
    const slice = timeSlicer(ANSWER_SLICE_MS);
    // Phases found checked since the last notice (by this check, or by another: the workspace diagnostics check the
    // same batches), announced at most every BACKGROUND_NOTICE_MS, and at the end.
    let unannounced = false;
    let announced = performance.now();
    const announce = (now: boolean) => {
      if (!unannounced || (!now && performance.now() - announced < BACKGROUND_NOTICE_MS)) return;
      this.checked(folder);
      unannounced = false;
      announced = performance.now();
    };
    for (;;) {
      // Not while a change is half way (`settled`), nor while an answer holds the engine's changes: one yield at least.
      await yieldOnce();
      await folder.settled();
      if (folder.disposed || !folder.loaded) return;
      const svc = folder.svc;
      if (svc.model !== model || svc.revision !== revision) {
        // A change may have made phases stale that were checked before: they are looked for again.
        model = svc.model;
        revision = svc.revision;
        from = 0;
      }
      const phases = model.phases;
      for (; from < phases.length && svc.phaseChecked(phases[from]); from++) unannounced = true;
      if (from >= phases.length) {
        // Every phase checked: the client's tree shows them all (those checked by the workspace diagnostics too).
        announce(true);
        return;
      }
      const count = await svc.checkBatchInSlices(phases, from, yieldOnce, ANSWER_SLICE_MS);
      let to = from;
      for (; to < from + count; to++) {
        const y = slice();
        if (y) await y;
        if (folder.disposed || folder.changing || svc.model !== model || svc.revision !== revision) break;
        svc.gates(phases[to]);
        // Its title too, read from its brief while the batch's models are at hand (the answers ask for it; by
        // then the model may have been dropped, and would be parsed again).
        phaseTitle(svc, phases[to]);
      }
      if (to > from) {
        unannounced = true;
        announce(false);
      }
      // On from there (a change meanwhile starts again from the first phase, above): a phase the batch did not
      // leave checked is not taken again and again.
      from = to;
    }
  }
}

export class PhaseTrees {
  /** Names this server process in answer ids: a `since` from another one (before a restart) gets the whole tree. */
  private readonly instance = randomUUID();
  private answers = 0;
  private last: TreeRecord | undefined;
  /** The answer whose inputs an answer being made writes over (see `ShownInputs`). */
  private building: TreeRecord | undefined;
  /** The background checks running, by folder. */
  private readonly background = new Map<Folder, BackgroundCheck>();

  /**
   * `slicer` makes the time slicer of each build (tests give one that yields where they want a change to
   * come in).
   */
  constructor(
    private readonly ctx: ServerContext,
    private readonly slicer: () => () => Promise<void> | undefined = () => timeSlicer(ANSWER_SLICE_MS),
    private readonly options: PhaseTreeOptions = {},
  ) {}

  /** Starts the background check of `folder` unless one runs. */
  private checkInBackground(folder: Folder): void {
    if (this.background.has(folder)) return;
    const check = new BackgroundCheck(folder, (f) => this.options.checked?.(f));
    this.background.set(folder, check);
    const end = () => {
      if (this.background.get(folder) === check) this.background.delete(folder);
    };
    check.done.then(end, (e: unknown) => {
      end();
      this.ctx.error(`checking the phases of ${folder.path} failed: ${(e as Error)?.stack ?? String(e)}`);
    });
  }

  /**
   * The answer to `phasegate/phases`; `phasesVersion` tells the version of the changes seen so far. A
   * cancelled request (a client that no longer wants the answer) stops with a CancelledError.
   *
   * Each folder's part is read from one state of its engine and settings: when a change lands while the tree
   * is built (a reload after a config or schema change, files that came or went, an edit, a settings change),
   * which would mix phases from before and after it, the answer is built again from the new state. After
   * MAX_REBUILDS, it holds the engines' changes while it is built: they land once it is done (their change
   * notice follows), and it still yields to other requests meanwhile.
   */
  async answer(params: PhasesParams | undefined, phasesVersion: () => number, token: CancellationToken = noCancellation): Promise<PhasesResult> {
    const seq = ++this.answers;
    // The phases to check count from the request on, over the builds again.
    let left = this.options.budgetPhases ?? CHECK_BUDGET_PHASES;
    for (let rebuilds = 0; ; rebuilds++) {
      const slice = rebuilds < 2 * MAX_REBUILDS ? this.slicer() : NEVER;
      // While phases are left; not in a folder whose background check runs: it checks them, and the answer would
      // check the same batch at the same time (parsing its documents twice).
      const checks: Checks = {
        budget: (f) => ({ may: () => left > 0 && !this.background.has(f), spend: (n) => (left -= n) }),
        pending: new Set(),
      };
      try {
        const result = await this.build(params, phasesVersion, seq, slice, checks, rebuilds >= MAX_REBUILDS, token);
        // The phases left `checking` are checked next, in the background.
        if (this.options.background !== false) for (const f of checks.pending) this.checkInBackground(f);
        return result;
      } catch (e) {
        if (!(e instanceof EngineChanged)) throw e;
      }
    }
  }

  private async build(
    params: PhasesParams | undefined,
    phasesVersion: () => number,
    seq: number,
    slice: () => Promise<void> | undefined,
    checks: Checks,
    hold: boolean,
    token: CancellationToken,
  ): Promise<PhasesResult> {
    const ctx = this.ctx;
    const only = params?.folderUri;
    const folders = only ? [ctx.workspaces.byUri(only)].filter((f): f is Folder => !!f) : ctx.workspaces.all();
    for (const f of folders) await f.settled();
    // Read before the tree is built (and after the folders loaded): a change while it is built makes
    // the notice's version higher than the answer's.
    const version = phasesVersion();
    let settings: PhasegateSettings[];
    for (;;) {
      const generation = ctx.settings.generation;
      settings = await Promise.all(folders.map((f) => ctx.settings.get(f.uri)));
      throwIfCancelled(token);
      // The engines' state once none is changing (a change may begin while the settings are read, or while
      // another folder is waited for): a settings change meanwhile has given them its severities by then.
      while (folders.some((f) => f.changing)) for (const f of folders) await f.settled();
      if (ctx.settings.generation === generation) break;
    }
    const releases = hold ? folders.map((f) => f.hold()) : [];
    try {
      const states = folders.map((f) => new EngineState(f, ctx.settings, hold));
      return await this.buildFrom(folders, states, settings, params, version, seq, slice, checks, token);
    } finally {
      for (const release of releases) release();
    }
  }

  private async buildFrom(
    folders: Folder[],
    states: EngineState[],
    settings: PhasegateSettings[],
    params: PhasesParams | undefined,
    version: number,
    seq: number,
    slice: () => Promise<void> | undefined,
    checks: Checks,
    token: CancellationToken,
  ): Promise<PhasesResult> {
    const ctx = this.ctx;
    const only = params?.folderUri;
    // Every folder's part read from the state it began with; the folders as they were (a reload adopts the
    // nested projects it finds as folders of their own).
    const unchanged = () => {
      for (const s of states) s.check();
      const now = only ? folders : ctx.workspaces.all();
      if (now.length !== folders.length || now.some((f, i) => f !== folders[i])) throw new EngineChanged();
    };
    const id = `${this.instance}:${seq}`;
    // One folder's answer is not remembered: the next request may be for all of them.
    if (only) {
      const nodes: WorkspaceFolderNode[] = [];
      for (let i = 0; i < folders.length; i++) nodes.push(await this.folderNode(states[i], settings[i], undefined, slice, checks, token));
      unchanged();
      return { folders: nodes, version, id };
    }
    // What the client names (`since`) is an earlier answer; another request meanwhile (a client's
    // fetch of its own that it cancels for a later one) leaves it for the next, which names it too.
    const last = this.last;
    const incremental =
      last !== undefined &&
      params?.since === last.id &&
      last.folders.length === folders.length &&
      folders.every((f, i) => {
        const r = last.folders[i];
        return f.loaded && r.folder === f && r.svc === f.svc && r.model === states[i].model && r.settings === settings[i];
      });
    const records: FolderRecord[] = folders.map((f, i) => ({
      folder: f,
      svc: f.svc,
      model: states[i].model,
      settings: settings[i],
      mark: states[i].mark,
      inputs: new ShownInputs(),
    }));
    if (incremental) {
      // Made from the last answer's inputs, which it writes over (see `ShownInputs`); or, while another answer
      // does, from a copy of them as they were (two requests at once).
      const own = this.building !== last;
      if (own) this.building = last;
      try {
        const changed: PhaseNode[] = [];
        for (let i = 0; i < folders.length; i++) changed.push(...(await this.changedPhases(states[i], records[i], last.folders[i], own, slice, checks, token)));
        unchanged();
        for (const r of records) r.inputs.commit();
        this.remember({ id, seq, folders: records });
        return { folders: [], version, id, changed };
      } catch (e) {
        for (const r of records) r.inputs.rollback();
        throw e;
      } finally {
        if (own) this.building = undefined;
      }
    }
    const nodes: WorkspaceFolderNode[] = [];
    for (let i = 0; i < folders.length; i++) nodes.push(await this.folderNode(states[i], settings[i], records[i], slice, checks, token));
    unchanged();
    // Remembered only when every folder had loaded (a folder still indexing has no phases yet).
    if (folders.every((f) => f.loaded)) this.remember({ id, seq, folders: records });
    return { folders: nodes, version, id };
  }

  /**
   * Remembers an answer as the one the next request names, unless a later one is remembered already
   * (two requests at once: the client keeps the later answer).
   */
  private remember(record: TreeRecord): void {
    if (!this.last || this.last.seq < record.seq) this.last = record;
  }

  /**
   * The nodes of the phases whose inputs differ from the last answer's; `record` gets every phase's. A phase the
   * last answer showed checked is checked again (an edit made it stale), whatever the time left: it does not go
   * back to `checking`.
   *
   * Only the phases whose inputs may have changed are looked at: those of the files whose results the engine may have
   * changed since the last answer read it (`changedSince`: a file's phase, and so the phases whose gates or input
   * handoff a change reached), and those the last answer showed `checking` (checked since, or to check now); the
   * others' inputs are the same arrays. `record` then takes the last answer's inputs (`own`; else a copy of them), the
   * changed ones written over. When the engine cannot tell (it loaded again, read its documents, took new rule severities, or had too many
   * changes to list), every phase is looked at.
   */
  private async changedPhases(
    state: EngineState,
    record: FolderRecord,
    last: FolderRecord,
    own: boolean,
    slice: () => Promise<void> | undefined,
    checks: Checks,
    token: CancellationToken,
  ): Promise<PhaseNode[]> {
    const { svc, settings } = record;
    const changed: PhaseNode[] = [];
    if (!settings.enable) return changed;
    const since = svc.changedSince(last.mark);
    const shown = own ? last.inputs : last.inputs.copyAsBegun();
    const must = (p: Phase) => {
      const inputs = shown.get(p.folder);
      return inputs !== undefined && inputs[0] !== CHECKING;
    };
    const visit = (p: Phase, checked: boolean) => {
      const inputs = checked ? phaseInputs(svc, p, settings) : checkingInputs(svc, p);
      if (!sameInputs(shown.get(p.folder), inputs)) changed.push(checked ? phaseNode(this.ctx, svc, p, settings) : checkingNode(this.ctx, svc, p));
      record.inputs.set(p.folder, inputs);
    };
    if (!since) {
      await eachPhase(
        state,
        slice,
        checks,
        must,
        (p, _g, checked) => visit(p, checked),
        () => undefined,
        token,
      );
      return changed;
    }
    const model = state.model;
    const phases = new Set<Phase>();
    for (const path of since) {
      const p = model.byFolder.get(path) ?? phaseOf(model, path);
      if (p) phases.add(p);
    }
    for (const folder of shown.checking) {
      const p = model.byFolder.get(folder);
      if (p) phases.add(p);
    }
    const order = ordinalsOf(model);
    const list = [...phases].sort((a, b) => order.get(a)! - order.get(b)!);
    record.inputs = shown;
    shown.begin();
    await visitPhases(state, list, slice, checks, checks.budget(state.folder), must, visit, token);
    return changed;
  }

  private async folderNode(
    state: EngineState,
    settings: PhasegateSettings,
    record: FolderRecord | undefined,
    slice: () => Promise<void> | undefined,
    checks: Checks,
    token: CancellationToken,
  ): Promise<WorkspaceFolderNode> {
    const f = state.folder;
    const name = this.ctx.workspaces.label(f);
    // A nested project names the workspace folder it lies in.
    const own: Pick<WorkspaceFolderNode, 'uri' | 'name' | 'workspaceFolderUri' | 'notice'> = f.parent
      ? { uri: f.uri, name, workspaceFolderUri: this.ctx.workspaces.clientFolder(f).uri }
      : { uri: f.uri, name };
    if (f.notice && f.loaded) own.notice = f.notice;
    if (!f.loaded) return { ...own, ready: false, groups: [], plans: [] };
    // Turned off for the folder: nothing of it is shown, as nothing of it is reported.
    if (!settings.enable) return { ...own, ready: true, groups: [], plans: [], disabled: true };
    const ctx = this.ctx;
    const svc = f.svc;
    const groups: GroupNode[] = [];
    await eachPhase(
      state,
      slice,
      checks,
      () => false,
      (p, g, checked) => {
        record?.inputs.set(p.folder, checked ? phaseInputs(svc, p, settings) : checkingInputs(svc, p));
        groups[g].phases.push(checked ? phaseNode(ctx, svc, p, settings) : checkingNode(ctx, svc, p));
      },
      (key, phases) => {
        const hash = key.indexOf('#', key.lastIndexOf('/') + 1);
        const dir = normalizePath(hash < 0 ? key : key.slice(0, hash));
        const first = phases[0];
        const rel = relativePath(f.path, dir);
        groups.push({
          id: key,
          label: first?.workstream ?? (rel === '.' ? name : rel),
          layout: first?.layout.name ?? '',
          workstream: first?.workstream ?? null,
          uri: pathToUri(dir),
          phases: [],
        });
      },
      token,
    );
    groups.sort((a, b) => a.label.localeCompare(b.label, 'en', { sensitivity: 'base' }));
    return { ...own, ready: true, groups, plans: state.model.plans.map((p) => ctx.uriOf(p.path)) };
  }
}
