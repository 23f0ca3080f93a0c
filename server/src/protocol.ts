/**
 * The custom requests and notifications between the Phasegate client and language server.
 * This is the ONLY server file the client imports: it depends on nothing but
 * vscode-languageserver-protocol, so the client bundle never pulls in the engine.
 */
import { NotificationType, PartialResultParams, ProgressType, Range, RequestType, WorkspaceEdit } from 'vscode-languageserver-protocol';

export type GateStatus = 'passed' | 'failed' | 'pending';
/**
 * `checking`: the server has not checked the phase yet (its documents not diagnosed, its gates not evaluated).
 * A whole-tree answer lists every phase of a loaded folder at once, those it has not checked yet so; it goes on
 * checking them in the background and says so with `phasegate/didChangePhases` as they are done: a request with
 * `since` then gets them checked, in `changed`. Such a phase has no gates (`gates` empty), no blockers, and its
 * problem counts (its own and its documents') are `null`: not known, which is not zero problems.
 */
export type PhaseStatus = 'not-started' | 'in-progress' | 'blocked' | 'complete' | 'checking';

/** Number of diagnostics per severity. */
export interface ProblemCounts {
  errors: number;
  warnings: number;
  infos: number;
  hints: number;
  /** Problems of files past the number listed for one file (`too-many-problems`), counted in none of the above. */
  more?: number;
}

export interface GateSummary {
  name: string;
  status: GateStatus;
}

export interface DocumentNode {
  /** Document kind of the layout (`brief`, `output-handoff`, `prompt`, …). */
  kind: string;
  /** Human name of the kind. */
  name: string;
  /** File name within the phase folder. */
  file: string;
  uri: string;
  exists: boolean;
  required: boolean;
  /** `null` while its phase is `checking` (not known yet). */
  problems: ProblemCounts | null;
}

export interface PhaseNode {
  /** Stable id: `phase-3`, `Build/Phase_1_Source_Control`, … */
  id: string;
  title: string;
  /** Layout name: `audit`, `iai` or a custom one. */
  layout: string;
  number: number | null;
  workstream: string | null;
  /** URI of the phase folder: the key every phase request takes. */
  uri: string;
  /** `checking` until the server has checked the phase (see `PhaseStatus`). */
  status: PhaseStatus;
  /** Empty while the phase is `checking`. */
  gates: GateSummary[];
  documents: DocumentNode[];
  /** Problems of the whole phase (every Markdown file in its folder); `null` while it is `checking` (not known yet). */
  problems: ProblemCounts | null;
  /** What keeps the phase from handing off (reasons of the gates not passed); empty while it is `checking`. */
  blockers: string[];
}

/** Phases numbered in one sequence: a workstream (iAI) or the folder holding `phase-N/` folders. */
export interface GroupNode {
  /** Stable key of the group. */
  id: string;
  label: string;
  layout: string;
  workstream: string | null;
  /** URI of the folder that holds the group's phases. */
  uri: string;
  phases: PhaseNode[];
}

export interface WorkspaceFolderNode {
  /** The folder: a workspace folder of the client, or a nested project in one (`workspaceFolderUri`). */
  uri: string;
  /** A workspace folder's name; a nested project's path in its workspace folder (`projects/a`), after the workspace folder's name when there are several. */
  name: string;
  /**
   * Only for a nested project — a folder inside a workspace folder that holds a `phasegate.yaml` of its own,
   * checked with it and shown on its own (not with the workspace folder's phases) — the workspace folder it lies in.
   */
  workspaceFolderUri?: string;
  /** False while the folder is still being indexed. */
  ready: boolean;
  groups: GroupNode[];
  /** URIs of the project plans (`project_implementation_plan.md`). */
  plans: string[];
  /** `phasegate.enable` is false for the folder: it shows no groups and no plans. */
  disabled?: boolean;
  /**
   * Why nothing of the folder is checked, when it is a phase (or lies in one) of a project in a folder above it:
   * a phase is checked with its project, outside the folder (the server's log says the same).
   */
  notice?: string;
}

/**
 * With a `partialResultToken`, the answer comes in parts (`PhasesPartialResult`, `$/progress` on that token) of a
 * bounded size, the server answering other requests between them, and the response holds what is left (its
 * `folders` and `changed` empty): `joinPhasesPartials` puts them together. Without one it comes in one piece.
 */
export interface PhasesParams extends PartialResultParams {
  /** Only this workspace folder; every folder when omitted. */
  folderUri?: string;
  /**
   * The `id` of the answer the client holds (for every folder). If that was the server's last answer,
   * the server answers with the phases that changed since (`changed`) instead of the whole tree.
   */
  since?: string;
}

export interface PhasesResult {
  /** Empty in an answer with `changed`. */
  folders: WorkspaceFolderNode[];
  /**
   * The server's phases version when it built this answer (see `DidChangePhasesParams.version`): the
   * answer shows every change up to that version.
   */
  version: number;
  /** Names this answer (unique to the server process), for the next request's `since`. */
  id: string;
  /**
   * Only in an answer to a request with `since`: the phases whose node changed since that answer. Each
   * replaces the phase with the same `uri` in the tree the client holds; the folders, groups, plans and
   * the phases and their order are the same. Without it the answer is the whole tree (`folders`).
   */
  changed?: PhaseNode[];
}

/**
 * A part of a `phasegate/phases` answer sent as a partial result. `folders`: the whole tree's folders in order, each
 * with some of its groups' phases in order; a folder or a group that continues from the part before comes again
 * (the same `uri`, the same group `id`) with the phases that follow. `changed`: phases of an answer with `changed`,
 * in order.
 */
export interface PhasesPartialResult {
  folders?: WorkspaceFolderNode[];
  changed?: PhaseNode[];
}

export const PhasesPartialResultType = new ProgressType<PhasesPartialResult>();

/**
 * The answer a request with a `partialResultToken` stands for: its parts in the order they came, then the response
 * (which carries the answer's `version`, `id`, whether it has `changed`, and anything not sent in parts).
 */
export function joinPhasesPartials(parts: readonly PhasesPartialResult[], response: PhasesResult): PhasesResult {
  if (parts.length === 0) return response;
  const folders: WorkspaceFolderNode[] = [];
  const changed: PhaseNode[] = [];
  const add = (f: WorkspaceFolderNode) => {
    const prev = folders[folders.length - 1];
    if (!prev || prev.uri !== f.uri) {
      folders.push({ ...f, groups: f.groups.map((g) => ({ ...g, phases: [...g.phases] })) });
      return;
    }
    for (const g of f.groups) {
      const last = prev.groups[prev.groups.length - 1];
      if (last && last.id === g.id) last.phases.push(...g.phases);
      else prev.groups.push({ ...g, phases: [...g.phases] });
    }
  };
  for (const p of parts) {
    for (const f of p.folders ?? []) add(f);
    if (p.changed) changed.push(...p.changed);
  }
  for (const f of response.folders) add(f);
  if (response.changed) changed.push(...response.changed);
  return { ...response, folders, ...(response.changed || changed.length ? { changed } : {}) };
}

/**
 * The tree `base` with the phases of `update` (an answer with `changed`) put in place of those with the
 * same URI; every other node is shared. Undefined when a changed phase is not in `base`.
 */
export function applyChangedPhases(base: PhasesResult, update: PhasesResult): PhasesResult | undefined {
  const byUri = new Map((update.changed ?? []).map((p) => [p.uri, p]));
  let replaced = 0;
  const folders = base.folders.map((f) => ({
    ...f,
    groups: f.groups.map((g) => {
      if (!g.phases.some((p) => byUri.has(p.uri))) return g;
      return {
        ...g,
        phases: g.phases.map((p) => {
          const next = byUri.get(p.uri);
          if (next) replaced++;
          return next ?? p;
        }),
      };
    }),
  }));
  return replaced === byUri.size ? { folders, version: update.version, id: update.id } : undefined;
}

/** A phase is named by its folder URI (any URI inside the folder also works). */
export interface PhaseParams {
  phaseUri: string;
}

export interface GateChecklistItem {
  text: string;
  checked: boolean;
  evidence: boolean;
  /** 0-based line of the item in `uri`. */
  line: number;
}

/** Something that holds a gate (keeps it from passing), at its place. */
export interface GateCause {
  /**
   * `diagnostic`: a problem of a rule the gate answers for (`code`, `severity`); `unchecked-item`,
   * `no-evidence`: an item of the gate's checklist, unchecked or checked without evidence;
   * `no-checklist`: the document that should hold the gate's checklist has none; `empty-checklist`: the
   * checklist has no checkbox items (at its first item, else its heading); `missing-document`: a document not written yet (`uri` names it).
   */
  kind: 'diagnostic' | 'unchecked-item' | 'no-evidence' | 'no-checklist' | 'empty-checklist' | 'missing-document';
  /** The document (for a diagnostic of a phase folder without documents, the folder). */
  uri: string;
  range: Range;
  message: string;
  /** Rule id of a diagnostic. */
  code?: string;
  severity?: 'error' | 'warning';
}

export interface GateDetail {
  name: string;
  status: GateStatus;
  reasons: string[];
  items: GateChecklistItem[];
  /** Document holding the gate's checklist, when there is one. */
  uri: string | null;
  /** 0-based line of the checklist heading. */
  line: number | null;
  /**
   * What holds the gate, in the order of `reasons`: for a failed gate the errors that fail it; for a
   * pending one the warnings of its rules, the checklist or document it lacks, then its checklist items
   * unchecked or without evidence. Empty when it passed. At most the first 50 of each reason (each rule,
   * the unchecked items, the items without evidence): `causeCount` counts them all.
   */
  causes: GateCause[];
  /** How many things hold the gate, listed in `causes` or not (0 when it passed). */
  causeCount: number;
}

export interface GatesResult {
  phaseId: string;
  status: PhaseStatus;
  gates: GateDetail[];
}

export interface CompleteHandoffResult {
  /** Null when there is nothing to complete. */
  edit: WorkspaceEdit | null;
  /** Why nothing was done, or what the edit does. */
  message: string;
}

export interface NewDocumentParams {
  /**
   * What to create: `phase`, `prompt`, `plan`, or a document of a phase: `response`,
   * `handoff` (= `output-handoff`), `input-handoff`, `brief`, `execution-plan`,
   * `decisions`, `validation`, `finding`.
   */
  what: string;
  /**
   * Where: for a phase document, the phase folder or a file in it; for a new phase, a
   * folder of phases (or a phase next to which it goes), else the workspace folder.
   */
  targetUri: string;
  /** `title`, `number`, `workstream`, `layout` (`audit`, `iai` or a custom layout's name; an unknown one is refused), `date` (YYYY-MM-DD), `root`. */
  options?: Record<string, string | number | boolean>;
}

export interface PlannedFile {
  uri: string;
  text: string;
  /** True when the file exists already; it is never overwritten. */
  exists: boolean;
}

export interface NewDocumentResult {
  files: PlannedFile[];
  /**
   * Creates the files that do not exist yet (CreateFile, failing if the file exists by then, + their
   * text), and edits the existing files that go with them (a new iAI phase's row in the project plan:
   * a TextDocumentEdit of the plan, on the document version the server read, that none of `files` names).
   */
  edit: WorkspaceEdit | null;
  /** Problems with the request (unknown kind, no phase, …). */
  errors: string[];
  /**
   * For a phase (`what: 'phase'`): the number of the phase planned, when it has one. The number asked for, or the
   * next one, is passed over while its folder is one the scan leaves out (an ignored `phase-3/` on disk): the editor's
   * New Phase asks `renderTemplate` first, and names this number.
   */
  number?: number;
}

export interface ToggleGateItemParams {
  uri: string;
  /** 0-based line of the checklist item. */
  line: number;
  /** Desired state; toggles when omitted. With it the edit is idempotent. */
  checked?: boolean;
}

export interface DidChangePhasesParams {
  /** Workspace folders whose phases changed (also: whose phases the server checked in the background, see `PhaseStatus`). */
  folderUris: string[];
  /**
   * Counts the changes this server process has seen (it starts again with the process). A client
   * holding a `phasegate/phases` answer of this version or later already shows these changes.
   */
  version: number;
}

/** Options the client passes in `initializationOptions`. */
export interface PhasegateInitializationOptions {
  /** Workspace trust: in an untrusted workspace only built-in schemas and templates apply. */
  trusted?: boolean;
  /**
   * The client keeps what it holds for a document that a workspace diagnostic report does not name
   * (vscode-languageclient does). The server then leaves out the documents whose report the client
   * holds, instead of listing each as `unchanged`.
   */
  keepsUnreportedDiagnostics?: boolean;
  /**
   * The client runs `Commands.selectAfterFix` (vscode-languageclient runs a code action's command after its
   * edit): a quick fix that inserts a section then carries that command, which puts the cursor in the section.
   */
  selectsAfterFix?: boolean;
}

/** Settings under `phasegate.*`, read per resource with workspace/configuration. */
export interface PhasegateSettings {
  enable: boolean;
  validate: { debounceMs: number };
  /** Severity overrides per rule id. */
  rules: Record<string, 'error' | 'warning' | 'information' | 'hint' | 'off'>;
  codeLens: { enable: boolean };
}

export const DEFAULT_SETTINGS: PhasegateSettings = {
  enable: true,
  validate: { debounceMs: 150 },
  rules: {},
  codeLens: { enable: true },
};

/** Client commands the server's code lenses and code actions invoke. */
export const Commands = {
  /** Argument: `ShowGateArgs`. */
  showGate: 'phasegate.showGate',
  /** Argument: `ShowPhaseArgs`. */
  showPhase: 'phasegate.showPhase',
  /** Argument: `SelectAfterFixArgs`. Run after a quick fix's edit (only for a client that says it runs it). */
  selectAfterFix: 'phasegate.selectAfterFix',
} as const;

/** Where the editor of `uri` puts its selection after a quick fix: a range of the text its edit left. */
export interface SelectAfterFixArgs {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface ShowGateArgs {
  phaseUri: string;
  phaseId: string;
  gate: string;
  status: GateStatus;
  checked: number;
  total: number;
}

export interface ShowPhaseArgs {
  phaseUri: string;
  phaseId: string;
  status: PhaseStatus;
}

export const PhasesRequest = new RequestType<PhasesParams, PhasesResult, void>('phasegate/phases');
export const GatesRequest = new RequestType<PhaseParams, GatesResult | null, void>('phasegate/gates');
/** Completes the input handoff of the phase named (N+1) from the output handoff of the phase before it. */
export const CompleteHandoffRequest = new RequestType<PhaseParams, CompleteHandoffResult, void>('phasegate/completeHandoff');
/** Renders without writing: the files a `newDocument` would create. */
export const RenderTemplateRequest = new RequestType<NewDocumentParams, NewDocumentResult, void>('phasegate/renderTemplate');
/** The files to create, and the WorkspaceEdit that creates them (never overwriting). */
export const NewDocumentRequest = new RequestType<NewDocumentParams, NewDocumentResult, void>('phasegate/newDocument');
export const ToggleGateItemRequest = new RequestType<ToggleGateItemParams, WorkspaceEdit | null, void>('phasegate/toggleGateItem');
/** Sent when phases, their status, gates or problem counts may have changed. */
/** The running server's process id (tests use it to simulate a crash). */
export interface ServerInfoResult {
  pid: number;
  /**
   * Bytes of JavaScript heap in use after a full garbage collection: only when node runs the server
   * with `--expose-gc` (the benchmark does, to measure what the server keeps rather than what it has
   * not collected yet).
   */
  liveHeapBytes?: number;
}
export const ServerInfoRequest = new RequestType<void, ServerInfoResult, void>('phasegate/serverInfo');

export const DidChangePhasesNotification = new NotificationType<DidChangePhasesParams>('phasegate/didChangePhases');
