/**
 * Workspace diagnostics (workspace/diagnostic): the problems of every phase document that is
 * not open, so the Problems view shows the whole workspace as `phasegate check` does.
 * The request is long-polled: when nothing changed since the last answer it stays open until
 * something does (VS Code re-sends it right after each answer).
 */
import {
  CancellationToken,
  Connection,
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
  WorkspaceDiagnosticReport,
  WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import { applyRuleSettings, toLspDiagnostic } from './convert';
import type { ServerContext } from './context';
import { timeSlicer } from './yield';

export class WorkspaceDiagnostics {
  private generation = 0;
  private answered = -1;
  private waiters: (() => void)[] = [];
  private readonly reported = new Map<string, { json: string; resultId: string }>();
  private nextId = 1;

  constructor(private readonly ctx: ServerContext) {}

  /** Something changed: a waiting request answers. */
  bump(): void {
    this.generation++;
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  /** A document closed: its next workspace report is a full one. */
  forget(uri: string): void {
    this.reported.delete(uri);
    this.bump();
  }

  register(connection: Connection): void {
    connection.languages.diagnostics.onWorkspace(async (params, token) => {
      if (params.previousResultIds.length > 0 && this.answered === this.generation) await this.changeOrCancel(token);
      if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'cancelled', { retriggerRequest: true });
      const generation = this.generation;
      const previous = new Map(params.previousResultIds.map((p) => [p.uri, p.value]));
      const report = await this.ctx.safe('workspace diagnostics', { items: [] } as WorkspaceDiagnosticReport, () => this.compute(previous, token));
      this.answered = generation;
      return report;
    });
  }

  private changeOrCancel(token: CancellationToken): Promise<void> {
    return new Promise<void>((resolve) => {
      const sub = token.onCancellationRequested(() => resolve());
      this.waiters.push(() => {
        sub.dispose();
        resolve();
      });
    });
  }

  private async compute(previous: Map<string, string>, token: CancellationToken): Promise<WorkspaceDiagnosticReport> {
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    const seen = new Set<string>();
    const slice = timeSlicer();
    for (const folder of this.ctx.workspaces.all()) {
      await folder.ready;
      // One settings read per folder, not per file.
      const settings = await this.ctx.settings.get(folder.uri);
      const svc = folder.svc;
      const files = [...svc.checkedFiles(), ...(svc.config.file ? [svc.config.file] : [])];
      if (settings.enable) {
        // The engine checks the phases' documents in batches (faster than one by one); the loop
        // below then reads its cached results.
        const phases = svc.model.phases;
        for (let i = 0; i < phases.length; i += svc.checkBatch(phases, i)) {
          await slice();
          if (token.isCancellationRequested) return { items };
        }
      }
      for (const path of files) {
        // Checking a large workspace cold takes seconds: yield every few milliseconds so that
        // the editor's requests (completion, hover, the open document's diagnostics) go first.
        await slice();
        if (token.isCancellationRequested) return { items };
        const uri = this.ctx.uriOf(path);
        if (this.ctx.documents.get(uri) || seen.has(uri)) continue;
        seen.add(uri);
        const engine = !settings.enable ? [] : path === svc.config.file ? svc.config.problems : svc.diagnose(path);
        const lsp = applyRuleSettings(engine, settings).map(toLspDiagnostic);
        items.push(this.report(uri, lsp, previous.get(uri)));
      }
    }
    // Files the client knows that are gone (deleted, folder removed, now open): clear them.
    for (const uri of previous.keys()) {
      if (seen.has(uri)) continue;
      this.reported.delete(uri);
      items.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, items: [] });
    }
    return { items };
  }

  private report(uri: string, lsp: ReturnType<typeof toLspDiagnostic>[], previousId: string | undefined): WorkspaceDocumentDiagnosticReport {
    const json = JSON.stringify(lsp);
    let last = this.reported.get(uri);
    if (!last || last.json !== json) {
      last = { json, resultId: `w${this.nextId++}` };
      this.reported.set(uri, last);
    }
    if (previousId === last.resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, uri, version: null, resultId: last.resultId };
    return { kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId: last.resultId, items: lsp };
  }
}
