/**
 * Workspace diagnostics (workspace/diagnostic): the problems of every phase document that is
 * not open, so the Problems view shows the whole workspace as `phasegate check` does.
 * A request without a `partialResultToken` (Neovim's) is long-polled: when nothing changed since the last
 * answer it stays open until something does, then is answered; the client asks again.
 *
 * A document whose last result id the client sent back, and whose diagnostics have not changed
 * since, is listed as `unchanged`; or, for a client that keeps what it holds for a document no report
 * names (it says so: `keepsUnreportedDiagnostics`; vscode-languageclient does), left out. After an
 * edit that is a handful of items instead of one per document of the workspace (10,000 at 1,000
 * phases). Other clients may read a report as the whole workspace's, and get every document.
 *
 * A client that passes a `partialResultToken` (vscode-languageclient does) gets the report in `$/progress`
 * partial results as it is made: each batch of phases' documents once the batch is checked, in chunks of
 * bounded size (each serialised in a few milliseconds, not the whole report of 17 MB at 10,000 phases in half
 * a second), then the plans, the config file, the scan's problems and the clear-outs. The Problems view fills in
 * while the workspace is checked. The request then stays open (LSP's long-running workspace diagnostics, see
 * `stream`): after each change of the workspace it sends, as partial results too, only the reports that differ
 * from what it sent last (an empty one for a document gone), and is answered (empty) only when the client cancels
 * it or the server shuts down. vscode-languageclient re-sent the request 2 s after each answer, with every result
 * id it held (102,388 at N = 10,000, 12.9 MB, read and gone over by the server each time); now it sends it once.
 */
import { randomBytes } from 'node:crypto';
import {
  CancellationToken,
  CancellationTokenSource,
  Connection,
  Diagnostic as LspDiagnostic,
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
  ResultProgressReporter,
  WorkspaceDiagnosticReport,
  WorkspaceDiagnosticReportPartialResult,
  WorkDoneProgressReporter,
  WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import { applyRuleSettings, toLspDiagnostic } from './convert';
import type { ServerContext } from './context';
import type { PhasegateSettings } from '../protocol';
import type { Diagnostic } from '../service/types';
import { normalizePath } from '../service/host';
import { phaseFiles, phaseOf } from '../service/workspace';
import type { Phase, WorkspaceModel } from '../service/workspace';
import type { PhasegateService } from '../service/service';
import type { Folder } from './workspaces';
import { pathToUri, uriToPath } from './uri';
import { ANSWER_SLICE_MS, timeSlicer, yieldOnce } from './yield';
import { checkWorkspaceDiagnosticParams } from './params';

/** At most this many documents closed are listed for the passes to come (past it, each request's next pass is a whole one). */
const MAX_CLOSED = 10_000;

/** At most this many URIs the client sent back are remembered with their paths. */
const MAX_REMEMBERED_URIS = 200_000;

/**
 * A partial result holds at most this many documents' reports, or about this many bytes of JSON: serialised in
 * a few milliseconds (vscode-jsonrpc serialises a message in one piece, answering nothing meanwhile).
 */
const CHUNK_ITEMS = 1000;
const CHUNK_BYTES = 256 * 1024;

export class WorkspaceDiagnostics {
  private generation = 0;
  private answered = -1;
  private waiters: (() => void)[] = [];
  /**
   * The last report of each document, by engine path: its diagnostics as sent and their id, and the
   * engine's result and the settings it was made from (the engine hands out the same array while a
   * result is valid). Keyed by path, not URI: a client may spell a file's URI otherwise than the server
   * does (VS Code encodes `(` as `%28`), and the same file must not be reported twice.
   */
  private readonly reported = new Map<string, Reported>();
  private nextId = 1;
  /**
   * Names this server process in its result ids (`w<tag>.<n>`): a client that kept the ids of a server before a
   * restart (which numbered its reports from 1 in the same order) does not have them taken for this one's.
   */
  private readonly idTag = randomBytes(3).toString('base64url');
  /** Leave out the documents whose report the client holds (see the header). */
  omitHeld = false;

  /**
   * `settled`: waits for the editor's text that waits for its debounce to be applied, or for cancellation (the
   * document sync's `settledAll`).
   */
  constructor(
    private readonly ctx: ServerContext,
    private readonly settled: (token: CancellationToken) => Promise<void> = async () => undefined,
  ) {}

  /** Something changed: a waiting request answers. */
  bump(): void {
    this.generation++;
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  /** The engine paths of the URIs clients sent back (each poll sends every one of them again). */
  private readonly paths = new Map<string, string | undefined>();

  private pathOf(uri: string): string | undefined {
    if (this.paths.has(uri)) return this.paths.get(uri);
    if (this.paths.size >= MAX_REMEMBERED_URIS) this.paths.clear();
    const path = uriToPath(uri);
    this.paths.set(uri, path);
    return path;
  }

  /** A document closed: its next workspace report is a full one. */
  forget(uri: string): void {
    const path = uriToPath(uri);
    if (path) {
      this.reported.delete(path);
      // Visited by the next pass of each request, though the pass may not have seen it open (see `toVisit`).
      if (this.closed.length >= MAX_CLOSED) {
        this.closed = [];
        this.closedEpoch++;
      }
      this.closed.push(normalizePath(path));
    }
    this.bump();
  }

  /** The documents closed (see `forget`), in order, since `closedEpoch` began. */
  private closed: string[] = [];
  private closedEpoch = 0;

  register(connection: Connection): void {
    connection.languages.diagnostics.onWorkspace(async (params, token, workDone, partial) => {
      checkWorkspaceDiagnosticParams(params);
      // With a partial result token, the request stays open: see `stream`.
      if (partial) return this.stream(params.previousResultIds, token, workDone, partial);
      // Read while the request waits, not after the change (102,388 ids at N = 10,000).
      const previous = this.previousOf(params.previousResultIds);
      if (params.previousResultIds.length > 0 && this.answered === this.generation) await this.changeOrCancel(token);
      if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'cancelled', { retriggerRequest: true });
      const generation = this.generation;
      // From the last answer's state, with the documents whose report the client holds otherwise than the server
      // last made it (or does not hold) visited too; unless each document is to be listed (see `compute`), or the
      // client holds none (each is sent: a whole pass, which reads no state of an earlier one).
      const pass: PassState = { last: this.omitHeld && previous.size > 0 ? this.answeredPass : undefined };
      if (pass.last) pass.visit = this.heldOtherwise(previous);
      this.answeredPass = undefined;
      const report = await this.ctx.safe('workspace diagnostics', { items: [] } as WorkspaceDiagnosticReport, async () => {
        // Made again while file events change the files under it (a checkout); a change each time ends in cancellation.
        for (;;) {
          const r = await this.compute(previous, token, undefined, this.omitHeld, pass);
          if (r) return r;
        }
      });
      this.answeredPass = pass.done;
      this.answered = generation;
      return report;
    });
  }

  /**
   * What the last answer without a partial result token was made from (see `PassState`), once it was made whole:
   * the next such request visits what changed since.
   */
  private answeredPass: PassMark | undefined;

  /**
   * The documents whose report the client holds otherwise than the server last made it (`reported`), by a request
   * without a token (it sends every result id it holds): its id differs, or it holds none (the server's report of
   * it not received), or it holds one the server made none of (a document closed since). Goes over the ids sent
   * (which the request's reading went over already), and over the server's reports only when the client holds fewer.
   */
  private heldOtherwise(previous: Map<string, Previous>): Set<string> {
    const out = new Set<string>();
    let matched = 0;
    for (const [path, { value }] of previous) {
      if (this.reported.get(path)?.resultId === value) matched++;
      else out.add(path);
    }
    if (matched < this.reported.size) for (const path of this.reported.keys()) if (!previous.has(path)) out.add(path);
    return out;
  }

  /** The engine paths of the open documents. */
  private openPaths(): Set<string> {
    const out = new Set<string>();
    for (const d of this.ctx.documents.all()) {
      const p = uriToPath(d.uri);
      if (p) out.add(normalizePath(p));
    }
    return out;
  }

  /** By engine path, with the URI as the client spells it (its reports about the file use that spelling). */
  private previousOf(ids: readonly { uri: string; value: string }[]): Map<string, Previous> {
    const previous = new Map<string, Previous>();
    for (const p of ids) {
      const path = this.pathOf(p.uri);
      if (path) previous.set(path, { uri: p.uri, value: p.value });
    }
    return previous;
  }

  /**
   * A request with a partial result token, kept open (LSP's "long running" workspace diagnostics): the whole
   * report in chunks first (its work-done progress, when the client passed a token for it, ends then), then, each
   * time the workspace changed (once the edits waiting for their debounce and the file events are applied), the
   * reports that differ from what this request sent last: documents whose diagnostics changed or that came, and an
   * empty report for each one gone. Answered (empty) once the client cancels it or the server shuts down.
   */
  private async stream(
    ids: readonly { uri: string; value: string }[],
    clientToken: CancellationToken,
    workDone: WorkDoneProgressReporter,
    partial: ResultProgressReporter<WorkspaceDiagnosticReportPartialResult>,
  ): Promise<WorkspaceDiagnosticReport> {
    if (clientToken.isCancellationRequested) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'cancelled', { retriggerRequest: true });
    // Ended by the client's cancellation or by the server's shutdown.
    const source = new CancellationTokenSource();
    const sub = clientToken.onCancellationRequested(() => source.cancel());
    const stop = () => source.cancel();
    this.streams.add(stop);
    if (this.disposed) source.cancel();
    const token = source.token;
    /** What the client holds of this request (or of its previous ones: the ids it sent), by engine path. */
    const held = this.previousOf(ids);
    const chunks = new Chunks(partial, token, held);
    // The first pass leaves out what the client holds only if it says it keeps it; later ones always (see the header).
    let omit = this.omitHeld;
    /** What this request's last pass made whole was made from: the next pass visits what changed since. */
    let last: PassMark | undefined;
    workDone.begin('Phasegate: checking the workspace', undefined, undefined, false);
    let working = true;
    try {
      while (!token.isCancellationRequested) {
        const generation = this.generation;
        await this.ctx.safe('workspace diagnostics', undefined, async () => {
          // Made again while file events change the files under it (a checkout); a change each time ends in cancellation.
          // `held` is the pass's `previous` as it is, not a copy (102,388 entries at N = 10,000): a chunk sent changes
          // only documents the pass has reported (or cleared), which it does not read again.
          const pass: PassState = { last };
          last = undefined;
          while (!(await this.compute(held, token, chunks, omit, pass))) chunks.drop();
          last = pass.done;
        });
        omit = true;
        if (working) {
          working = false;
          workDone.done();
        }
        // The next pass once something changed (at once when something did while this one went) and settled: a
        // burst of edits makes one pass once the last is applied, not one per edit.
        if (this.generation === generation) await this.changeOrCancel(token);
        await this.settle(token);
      }
    } finally {
      if (working) workDone.done();
      sub.dispose();
      this.streams.delete(stop);
      source.dispose();
    }
    return { items: [] };
  }

  /**
   * Waits until the editor's text waiting for its debounce is applied (on its own schedule) and the engines'
   * work is done, as long as that brings changes; or for cancellation.
   */
  private async settle(token: CancellationToken): Promise<void> {
    for (let generation = -1; generation !== this.generation && !token.isCancellationRequested;) {
      generation = this.generation;
      await yieldOnce();
      await this.settled(token);
      for (const f of this.ctx.workspaces.all()) await f.settled();
    }
  }

  /** The streamed requests open, each with the function that ends it. */
  private readonly streams = new Set<() => void>();
  private disposed = false;

  /** The server shuts down: the streamed requests end (answered empty). */
  dispose(): void {
    this.disposed = true;
    for (const stop of [...this.streams]) stop();
  }

  private changeOrCancel(token: CancellationToken): Promise<void> {
    if (token.isCancellationRequested) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiter = () => {
        sub.dispose();
        resolve();
      };
      const sub = token.onCancellationRequested(() => {
        sub.dispose();
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve();
      });
      this.waiters.push(waiter);
    });
  }

  /**
   * The report; undefined when file events changed a folder's files while it was made (it is made again).
   *
   * A pass from `pass.last` (the state a pass of the same request, or the last answer without a token, was made
   * from, once made whole) visits only the documents whose report may differ from that pass's: those whose engine
   * result may have changed since (the engines' `changedSince`: an edit or a file changed on disk, with the files it
   * reaches, the next phase's input handoff, the plans), those opened or closed since, and `pass.visit`; plus each
   * folder's config file and the files of its scan's problems (a few). Any other document's report is the one the
   * client holds. Every document is visited (a whole pass) on the first pass, when the documents the client holds
   * are each to be listed (`omit` false), when the folders are not those of `pass.last`, and, for a folder, when its
   * settings object is another (a settings change), or its engine loaded again (a config, schema or nested workspace
   * change), built its model again (files or folders that came or went), read its documents, took new rule
   * severities, or had too many changes to list them (`changedSince` undefined). `pass.done` is set once the pass is
   * made whole (not cancelled).
   */
  private async compute(
    previous: Map<string, Previous>,
    token: CancellationToken,
    chunks?: Chunks,
    omit = this.omitHeld,
    pass: PassState = {},
  ): Promise<WorkspaceDiagnosticReport | undefined> {
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    /** The report made so far: all of it when it goes in chunks (sent since), else `items`. */
    const made = (): WorkspaceDiagnosticReport => ({ items: chunks ? [] : items });
    const add = (key: string, item: WorkspaceDocumentDiagnosticReport, bytes: number) => (chunks ? chunks.add(key, item, bytes) : items.push(item));
    const seen = new Set<string>();
    const slice = timeSlicer(ANSWER_SLICE_MS);
    // What each folder is read from (its settings, its engine's state once its work is done), marked before any result is read.
    const open = this.openPaths();
    const closed = { epoch: this.closedEpoch, count: this.closed.length };
    const folders = this.ctx.workspaces.all();
    const marks = new Map<Folder, FolderMark>();
    for (const folder of folders) {
      // One settings read per folder, not per file.
      const settings = await this.ctx.settings.get(folder.uri);
      await folder.settled();
      const svc = folder.svc;
      marks.set(folder, { svc, model: svc.model, loads: svc.loads, settings, mark: svc.changeMark() });
    }
    /** The paths to visit, or undefined for a whole pass. */
    const visit = omit ? this.toVisit(pass, marks, open) : undefined;
    for (const folder of folders) {
      const { settings, svc, model, loads } = marks.get(folder)!;
      /** Waits for file events that came during a pause; false when they changed the files (the answer is made again). */
      const unchanged = async (): Promise<boolean> => {
        await folder.settled();
        return svc.model === model && svc.loads === loads && !folder.disposed;
      };
      // Read once the engine's work is done (see `Folder.exclusive`); after each pause below too.
      if (!(await unchanged())) return undefined;
      // As `phasegate check` reports them: the checked files, the folders of phases without a document,
      // the config file, and what the scan could not read.
      const scanned = new Map<string, Diagnostic[]>();
      for (const d of svc.scanDiagnostics()) scanned.set(d.file, [...(scanned.get(d.file) ?? []), d]);
      /**
       * Adds the report of `path` (once per path; an open document's comes from the document pull).
       */
      const report = (path: string): void => {
        const key = normalizePath(path);
        if (this.ctx.documents.get(this.ctx.uriOf(key)) || seen.has(key)) return;
        seen.add(key);
        const prev = previous.get(key);
        // The client's own spelling of the URI when it named the file, else the server's (VS Code's).
        const uri = prev?.uri ?? this.ctx.uriOf(key);
        const own = scanned.get(path);
        const engine = !settings.enable
          ? []
          : path === svc.config.file
            ? svc.config.problems
            : own
              ? [...(svc.diagnoses(key) ? svc.diagnose(path) : []), ...own]
              : svc.diagnose(path);
        const last = this.reported.get(key);
        // The same result under the same settings: the last report stands, unconverted and
        // unserialised again (performance only: after an edit most of the workspace is unchanged).
        const same = last !== undefined && last.engine === engine && last.settings === settings;
        const rec = same ? last : this.record(key, engine, settings);
        if (prev?.value !== rec.resultId)
          add(key, { kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId: rec.resultId, items: rec.lsp }, uri.length + rec.json.length + 100);
        // The client holds this very report (it sent its id back).
        else if (!omit) add(key, { kind: DocumentDiagnosticReportKind.Unchanged, uri, version: null, resultId: rec.resultId }, uri.length + 100);
      };
      /**
       * Adds the reports of `paths`, sending full chunks: 'cancelled', or 'changed' when file events changed the
       * folder's files meanwhile (the report is made again), else undefined.
       */
      const reportAll = async (paths: Iterable<string>): Promise<'cancelled' | 'changed' | undefined> => {
        for (const path of paths) {
          // Checking a large workspace cold takes seconds: yield every few milliseconds so that
          // the editor's requests (completion, hover, the open document's diagnostics) go first;
          // and after each chunk sent, so that they go before the next is serialised.
          const y = chunks?.full && chunks.flush() ? yieldOnce() : slice();
          if (y) await y;
          if (token.isCancellationRequested) return 'cancelled';
          if (y && !(await unchanged())) return 'changed';
          report(path);
        }
        return undefined;
      };
      /** Checks `phases` in the engine's batches, in slices; false when cancelled or changed (see `reportAll`), with what to return. */
      const checkAll = async (phases: readonly Phase[], each?: (from: number, to: number) => Promise<'cancelled' | 'changed' | undefined>) => {
        for (let i = 0; i < phases.length;) {
          await slice();
          if (token.isCancellationRequested) return 'cancelled';
          if (!(await unchanged())) return 'changed';
          const checked = await svc.checkBatchInSlices(phases, i, yieldOnce, ANSWER_SLICE_MS);
          const stop = await each?.(i, i + checked);
          if (stop) return stop;
          i += checked;
        }
        return undefined;
      };
      if (visit) {
        // The documents that may have changed alone (see above): their phases checked in the engine's batches first,
        // then the plans' work that grows with the project, if a plan is among them (both in slices).
        const paths = [...visit].filter((p) => svc.diagnoses(p));
        const phases = new Set<Phase>();
        for (const p of paths) {
          const phase = model.byFolder.get(p) ?? phaseOf(model, p);
          if (phase && settings.enable && !svc.phaseChecked(phase)) phases.add(phase);
        }
        const stop =
          (await checkAll([...phases])) ??
          (settings.enable && model.plans.some((pl) => visit.has(pl.path)) ? await this.preparePlans(svc, token, unchanged) : undefined) ??
          (await reportAll([...paths, ...(svc.config.file ? [svc.config.file] : []), ...scanned.keys()]));
        if (stop) return stop === 'cancelled' ? made() : undefined;
        continue;
      }
      const diagnosed = svc.diagnosedPaths();
      if (settings.enable) {
        // The engine checks the phases' documents in batches (faster than one by one), each yielding
        // within (a batch of many documents takes tens of milliseconds); the loop below then reads its
        // cached results.
        const phases = model.phases;
        const stop = await checkAll(phases, async (from, to) => {
          if (!chunks) return undefined;
          // Their reports are sent now, so that the Problems view fills in as the workspace is checked.
          if (token.isCancellationRequested) return 'cancelled';
          if (!(await unchanged())) return 'changed';
          const stopped = await reportAll(phases.slice(from, to).flatMap(phaseFiles));
          if (stopped) return stopped;
          if (chunks.flush()) await yieldOnce();
          return undefined;
        });
        if (stop) return stop === 'cancelled' ? made() : undefined;
        if (model.plans.length) {
          // And the phases' gates, one phase at a time: a project plan's check asks for every complete phase's
          // gates, which would otherwise be evaluated all at once when the loop below reaches the plan.
          for (const p of phases) {
            svc.gates(p);
            const y = slice();
            if (!y) continue;
            await y;
            if (token.isCancellationRequested) return made();
            if (!(await unchanged())) return undefined;
          }
          const stopped = await this.preparePlans(svc, token, unchanged);
          if (stopped) return stopped === 'cancelled' ? made() : undefined;
        }
      }
      // The rest (all of it without chunks): plans, phases' folders, the config file, the scan's problems.
      const stop = await reportAll([...diagnosed, ...(svc.config.file ? [svc.config.file] : []), ...scanned.keys()]);
      if (stop) return stop === 'cancelled' ? made() : undefined;
    }
    /** Clears the report of `path` (once a pass); when that sent a chunk, a pause after it, whose end says whether to go on. */
    const clear = (path: string, uri: string): Promise<boolean> | undefined => {
      seen.add(path);
      this.reported.delete(path);
      add(path, { kind: DocumentDiagnosticReportKind.Full, uri, version: null, items: [] }, uri.length + 100);
      return chunks?.full && chunks.flush() ? yieldOnce().then(() => !token.isCancellationRequested) : undefined;
    };
    // The documents closed since the last pass, by path, with their URIs (the server's spelling, VS Code's, made here:
    // a long session closes many documents, and nothing is kept of them, see `ServerContext.closed`): one not reported
    // now (deleted or moved while open) is cleared, unless open again. The client keeps the problems the document pull
    // gave it for a document it closes (vscode-languageclient leaves them to the workspace pull), which nothing else
    // would clear.
    const closedSince = new Map<string, string>();
    if (pass.last && pass.last.closed.epoch === closed.epoch)
      for (let i = pass.last.closed.count; i < closed.count; i++) {
        const path = this.closed[i];
        if (!open.has(path) && !seen.has(path)) closedSince.set(path, pathToUri(path));
      }
    if (visit) {
      // Of the documents visited, those not reported now (opened, closed and gone, no longer checked) that the client holds: cleared.
      for (const path of visit) {
        if (seen.has(path)) continue;
        const uri = previous.get(path)?.uri ?? closedSince.get(path);
        if (!uri) {
          this.reported.delete(path);
          continue;
        }
        const y = clear(path, uri);
        if (y && !(await y)) return made();
      }
    } else {
      // Files the client knows that are gone (deleted, folder removed, now open), and those closed since and gone: clear
      // them. (With chunks, `previous` is what the client holds of this request: those it sent before a report made
      // again or a later pass too.)
      for (const [path, { uri }] of previous) {
        if (seen.has(path)) continue;
        const y = clear(path, uri);
        if (y && !(await y)) return made();
      }
      for (const [path, uri] of closedSince) {
        if (seen.has(path)) continue;
        const y = clear(path, uri);
        if (y && !(await y)) return made();
      }
      // And the server's reports of documents not reported now, which no client holds of it (its reports are those
      // of the documents reported, as a later pass reads them: see `heldOtherwise`).
      if (!token.isCancellationRequested) for (const path of this.reported.keys()) if (!seen.has(path)) this.reported.delete(path);
    }
    chunks?.flush();
    if (!token.isCancellationRequested) pass.done = { folders: marks, open, closed };
    return made();
  }

  /**
   * The paths a pass from `pass.last` visits (see `compute`), or undefined for a whole pass: those whose results
   * each folder's engine may have changed since, those opened or closed since, and `pass.visit`.
   */
  private toVisit(pass: PassState, marks: Map<Folder, FolderMark>, open: Set<string>): Set<string> | undefined {
    const last = pass.last;
    if (!last || last.folders.size !== marks.size || last.closed.epoch !== this.closedEpoch) return undefined;
    const out = new Set<string>(pass.visit);
    for (let i = last.closed.count; i < this.closed.length; i++) out.add(this.closed[i]);
    for (const [folder, now] of marks) {
      const was = last.folders.get(folder);
      if (!was || was.svc !== now.svc || was.model !== now.model || was.loads !== now.loads || was.settings !== now.settings) return undefined;
      const changed = now.svc.changedSince(was.mark);
      if (!changed) return undefined;
      for (const p of changed) out.add(p);
    }
    for (const p of open) if (!last.open.has(p)) out.add(p);
    for (const p of last.open) if (!open.has(p)) out.add(p);
    return out;
  }

  /**
   * The plans' own work that grows with the project (which phases their rows name), in slices: 'cancelled', or
   * 'changed' (see `compute`), else undefined.
   */
  private async preparePlans(svc: PhasegateService, token: CancellationToken, unchanged: () => Promise<boolean>): Promise<'cancelled' | 'changed' | undefined> {
    await svc.preparePlansInSlices(yieldOnce, ANSWER_SLICE_MS);
    if (token.isCancellationRequested) return 'cancelled';
    if (!(await unchanged())) return 'changed';
    return undefined;
  }

  /** Converts an engine result; a new result id only when the diagnostics differ from the last report's. */
  private record(path: string, engine: Diagnostic[], settings: PhasegateSettings): Reported {
    const lsp = applyRuleSettings(engine, settings).map((d) => toLspDiagnostic(d));
    const json = JSON.stringify(lsp);
    const last = this.reported.get(path);
    const resultId = last && last.json === json ? last.resultId : `w${this.idTag}.${this.nextId++}`;
    const rec: Reported = { json, resultId, lsp, engine, settings };
    this.reported.set(path, rec);
    return rec;
  }
}

interface Previous {
  uri: string;
  value: string;
}

/** What a folder's part of a pass was read from (see `compute`). */
interface FolderMark {
  svc: PhasegateService;
  model: WorkspaceModel;
  loads: number;
  settings: PhasegateSettings;
  /** The engine's `changeMark()` before any result was read. */
  mark: number;
}

/**
 * What a pass made whole was made from: each folder's, the open documents' engine paths, and how many documents were
 * closed by then (`WorkspaceDiagnostics.closed`).
 */
interface PassMark {
  folders: Map<Folder, FolderMark>;
  open: Set<string>;
  closed: { epoch: number; count: number };
}

/** A pass's state (see `compute`): where it may start from, what it visits besides, and, once made whole, what it was made from. */
interface PassState {
  last?: PassMark;
  visit?: Set<string>;
  done?: PassMark;
}

interface Reported {
  json: string;
  resultId: string;
  lsp: LspDiagnostic[];
  engine: Diagnostic[];
  settings: PhasegateSettings;
}

/**
 * The partial results of one request: reports gathered and sent in chunks of bounded size, nothing once the
 * request is cancelled. `held` follows what the client holds by then: the result id of each document's last
 * report sent (a report without one, which clears a document, removes it).
 */
class Chunks {
  private items: WorkspaceDocumentDiagnosticReport[] = [];
  private paths: string[] = [];
  private bytes = 0;

  constructor(
    private readonly progress: ResultProgressReporter<WorkspaceDiagnosticReportPartialResult>,
    private readonly token: CancellationToken,
    private readonly held: Map<string, Previous>,
  ) {}

  add(path: string, item: WorkspaceDocumentDiagnosticReport, bytes: number): void {
    this.items.push(item);
    this.paths.push(path);
    this.bytes += bytes;
  }

  /** Whether a chunk is as large as it may be. */
  get full(): boolean {
    return this.items.length >= CHUNK_ITEMS || this.bytes >= CHUNK_BYTES;
  }

  /** Sends what is gathered as one partial result; whether it sent anything. */
  flush(): boolean {
    if (this.items.length === 0 || this.token.isCancellationRequested) return false;
    const items = this.items;
    for (let i = 0; i < items.length; i++) {
      const { uri, resultId } = items[i];
      if (resultId === undefined) this.held.delete(this.paths[i]);
      else this.held.set(this.paths[i], { uri, value: resultId });
    }
    this.progress.report({ items });
    this.drop();
    return true;
  }

  /** Forgets what is gathered and not sent. */
  drop(): void {
    this.items = [];
    this.paths = [];
    this.bytes = 0;
  }
}
