/**
 * Diagnostics: pulled by clients that can (textDocument/diagnostic), pushed to those that
 * cannot. After a change, only the files the engine names as dependents are re-checked,
 * and only those the client shows are compared with what it last got: a change there means
 * a refresh (pull) or a new publish (push), never a re-check of the world.
 */
import {
  CancellationToken,
  Diagnostic as LspDiagnostic,
  DocumentDiagnosticReport,
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
} from 'vscode-languageserver';
import { isInside } from '../service/host';
import type { PhasegateService } from '../service/service';
import type { Diagnostic } from '../service/types';
import { throwIfCancelled } from '../service/types';
import { applyRuleSettings, toLspDiagnostic } from './convert';
import type { ServerContext } from './context';
import type { DocumentSync } from './sync';
import { uriToPath } from './uri';
import { ANSWER_SLICE_MS, timeSlicer } from './yield';
import type { Folder } from './workspaces';
import { checkDocumentParams } from './params';

interface Reported {
  json: string;
  resultId: string;
}

export class DiagnosticsFeature {
  /** What the client last got, per URI. */
  private readonly reported = new Map<string, Reported>();
  private nextResultId = 1;
  private refreshScheduled = false;

  constructor(
    private readonly ctx: ServerContext,
    private readonly sync: DocumentSync,
  ) {}

  register(): void {
    this.ctx.connection.languages.diagnostics.on(async (params, token) => {
      const uri = checkDocumentParams('textDocument/diagnostic', params).textDocument.uri;
      try {
        // Other documents' pending edits count too: a handoff's diagnostics depend on the previous phase's.
        await this.sync.settledAll(token);
        if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'cancelled', { retriggerRequest: true });
        const items = await this.compute(uri, token);
        return this.report(uri, items, params.previousResultId);
      } catch (e) {
        if (e instanceof ResponseError) throw e;
        if ((e as Error)?.name === 'CancelledError') throw new ResponseError(LSPErrorCodes.ServerCancelled, 'cancelled', { retriggerRequest: true });
        this.ctx.error(`diagnostics of ${uri} failed: ${(e as Error)?.stack ?? String(e)}`);
        return { kind: DocumentDiagnosticReportKind.Full, items: [] };
      }
    });
  }

  /** Engine diagnostics of a file with the editor's rule settings applied (empty when disabled). */
  async engineDiagnostics(uri: string, token?: CancellationToken): Promise<Diagnostic[]> {
    const path = uriToPath(uri);
    const folder = path ? this.ctx.workspaces.folderOf(path) : undefined;
    if (!path || !folder) return [];
    const settings = await this.ctx.settings.get(uri);
    // Read once the engine's work is done (see `Folder.exclusive`), with nothing awaited after.
    await folder.settled();
    throwIfCancelled(token);
    if (!settings.enable) return [];
    const svc = folder.svc;
    // What the scan says of this very file (a name in another case: layout-case.ts), also while it is open: the
    // workspace diagnostics report it while it is closed, and leave an open document to this pull.
    const scanned = svc.scanDiagnosticsOf(path);
    // Only the files the workspace checks (as the workspace diagnostics and `check` report them).
    if (!svc.checksDocument(path)) return applyRuleSettings(scanned, settings);
    const diags = path === svc.config.file ? this.configProblems(uri, svc) : svc.diagnose(path, token);
    return applyRuleSettings(scanned.length ? [...diags, ...scanned] : diags, settings);
  }

  /** The problems of the folder's config file: of the editor's text while it is open (see `configProblemsOf`). */
  private configProblems(uri: string, svc: PhasegateService): Diagnostic[] {
    const open = this.ctx.documents.get(uri)?.getText();
    // Without a byte order mark, as the file is read from disk (the positions are converted, see toClientRange).
    return open !== undefined ? svc.configProblemsOf(open.charCodeAt(0) === 0xfeff ? open.slice(1) : open) : svc.config.problems;
  }

  async compute(uri: string, token?: CancellationToken): Promise<LspDiagnostic[]> {
    const diags = await this.engineDiagnostics(uri, token);
    const bom = this.ctx.hasBom(uri);
    return diags.map((d) => toLspDiagnostic(d, bom));
  }

  private report(uri: string, items: LspDiagnostic[], previousResultId: string | undefined): DocumentDiagnosticReport {
    const json = JSON.stringify(items);
    const last = this.reported.get(uri);
    if (last && last.json === json) {
      if (previousResultId === last.resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: last.resultId };
      return { kind: DocumentDiagnosticReportKind.Full, resultId: last.resultId, items };
    }
    const resultId = String(this.nextResultId++);
    this.reported.set(uri, { json, resultId });
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items };
  }

  /** After the engine took a change: bring every shown document whose diagnostics changed up to date. */
  async updated(changedUri: string | undefined, affected: string[]): Promise<void> {
    const uris = new Set<string>();
    if (changedUri) uris.add(changedUri);
    // Files that came or went make every checked file affected (100,000 at N = 10,000): their URIs are
    // looked up a slice at a time.
    const slice = timeSlicer(ANSWER_SLICE_MS);
    for (const p of affected) {
      const y = slice();
      if (y) await y;
      const uri = this.ctx.uriOf(p);
      if (this.reported.has(uri) || this.ctx.documents.get(uri)) uris.add(uri);
    }
    if (this.ctx.caps.pullDiagnostics) {
      // The changed document is pulled by the client itself; others only on a refresh.
      let stale = false;
      for (const uri of uris) {
        if (uri === changedUri) continue;
        const last = this.reported.get(uri);
        if (!last) continue;
        const items = await this.compute(uri);
        if (JSON.stringify(items) !== last.json) stale = true;
      }
      if (stale) this.refresh();
      return;
    }
    for (const uri of uris) {
      if (!this.ctx.documents.get(uri)) continue;
      if (this.sync.isPending(uri) && uri !== changedUri) continue;
      await this.publish(uri);
    }
  }

  /**
   * Push mode: publishes an open document's diagnostics when they differ from the last ones sent.
   * Computing them may wait (for the settings, asked of the client): a document closed meanwhile gets
   * nothing (its close cleared what the client shows), nor one reopened or changed meanwhile (its new
   * text publishes once it applies).
   */
  async publish(uri: string, force = false): Promise<void> {
    const doc = this.ctx.documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    const items = await this.compute(uri);
    if (this.ctx.documents.get(uri) !== doc || doc.version !== version) return;
    const json = JSON.stringify(items);
    const last = this.reported.get(uri);
    if (!force && last && last.json === json) return;
    this.reported.set(uri, { json, resultId: String(this.nextResultId++) });
    await this.ctx.connection.sendDiagnostics({ uri, diagnostics: items, version });
  }

  /** The document closed: the client forgets it (push mode: clear what was published). */
  closed(uri: string): void {
    this.reported.delete(uri);
    if (!this.ctx.caps.pullDiagnostics) void this.ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Everything may have changed (settings, a folder loaded or reloaded). */
  async all(): Promise<void> {
    if (this.ctx.caps.pullDiagnostics) {
      this.refresh();
      return;
    }
    for (const d of this.ctx.documents.all()) {
      // Closed while an earlier one was computed: nothing to publish (publish checks it again after computing).
      if (this.ctx.documents.get(d.uri) !== d) continue;
      // Its pending text publishes once it applies, under these settings too.
      if (this.sync.isPending(d.uri)) continue;
      await this.publish(d.uri);
    }
  }

  /** Asks the client to pull again; coalesced, and only when the client supports it. */
  refresh(): void {
    if (!this.ctx.caps.diagnosticRefresh || this.refreshScheduled) return;
    this.refreshScheduled = true;
    setImmediate(() => {
      this.refreshScheduled = false;
      this.ctx.connection.languages.diagnostics.refresh().catch((e: unknown) => this.ctx.log(`diagnostics refresh failed: ${(e as Error).message}`));
    });
  }

  /**
   * A workspace folder was removed: the documents it held (those of a nested folder that stays are
   * not its) forget their diagnostics when no other folder holds them now. Those an outer folder
   * holds now are brought up to date once their text moved there (DocumentSync.rehome).
   */
  forgetFolder(folder: Folder): void {
    let cleared = false;
    for (const uri of [...this.reported.keys()]) {
      const p = uriToPath(uri);
      if (!p || !isInside(folder.path, p)) continue;
      const now = this.ctx.workspaces.folderOf(p);
      if (now) continue;
      cleared = true;
      this.reported.delete(uri);
      if (!this.ctx.caps.pullDiagnostics) void this.ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    // Open documents of the folder now belong to no engine: their next pull is empty.
    if (cleared && this.ctx.caps.pullDiagnostics) this.refresh();
  }
}
