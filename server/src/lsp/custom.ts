/** The custom requests of protocol.ts: the phase tree (phaseTree.ts), gate details, handoff completion, gate item toggles. */
import type { Connection, WorkspaceEdit } from 'vscode-languageserver';
import {
  CompleteHandoffRequest,
  CompleteHandoffResult,
  DidChangePhasesNotification,
  GateCause,
  GatesRequest,
  GatesResult,
  PhasesPartialResultType,
  PhasesRequest,
  ServerInfoRequest,
  ToggleGateItemRequest,
} from '../protocol';
import { type GateCause as EngineGateCause, gateCauses, listedCauses, phaseStatus } from '../service/gates';
import { completeHandoff } from '../service/fixes/phase';
import type { PhasegateService } from '../service/service';
import type { WorkspaceChange } from '../service/types';
import { type Phase, phaseName } from '../service/workspace';
import { toClientRange, toWorkspaceEdit } from './convert';
import type { ServerContext } from './context';
import { phaseAtPath } from './phases';
import { sendPhasesInParts } from './phaseParts';
import { PhaseTrees } from './phaseTree';
import { registerScaffold } from './scaffold';
import { caseRefusal } from '../service/scaffold';
import { uriToPath } from './uri';
import { ParamSpec, checkParams } from './params';
import type { Folder } from './workspaces';

export function findPhase(ctx: ServerContext, uri: string): { folder: Folder; phase: Phase } | undefined {
  const path = uriToPath(uri);
  const folder = path ? ctx.workspaces.folderOf(path) : undefined;
  if (!path || !folder) return undefined;
  const phase = phaseAtPath(folder.svc, path);
  return phase ? { folder, phase } : undefined;
}

export function toggleEdit(ctx: ServerContext, svc: PhasegateService, path: string, line: number, checked: boolean | undefined): WorkspaceEdit | null {
  const doc = svc.getDocument(path);
  const item = doc?.items.find((i) => i.line === line && i.checkboxRange);
  if (!item?.checkboxRange) return null;
  const want = checked ?? !item.checked;
  if (want === item.checked) return null;
  const change: WorkspaceChange = { edits: [{ file: path, edits: [{ range: item.checkboxRange, newText: want ? '[x]' : '[ ]' }] }], creates: [] };
  return toWorkspaceEdit(change, ctx, ctx.caps.documentChanges) ?? null;
}

function toGateCause(ctx: ServerContext, c: EngineGateCause): GateCause {
  const uri = ctx.uriOf(c.file);
  // In the client's text, as its diagnostics: one unit further on the first line after a byte order mark.
  const out: GateCause = { kind: c.kind, uri, range: toClientRange(c.range, ctx.hasBom(uri)), message: c.message };
  if (c.code !== undefined) out.code = c.code;
  // Only errors and warnings hold a gate.
  if (c.severity === 'error' || c.severity === 'warning') out.severity = c.severity;
  return out;
}

const PHASE_PARAMS: ParamSpec = { phaseUri: { kind: 'string' } };

export function registerCustom(connection: Connection, ctx: ServerContext, phases: PhasesNotifier): void {
  connection.onRequest(ServerInfoRequest, () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) return { pid: process.pid };
    gc();
    return { pid: process.pid, liveHeapBytes: process.memoryUsage().heapUsed };
  });
  // The phases checked in the background (those an answer left `checking`) are announced as changes.
  const trees = new PhaseTrees(ctx, undefined, { checked: (f) => phases.changed(f, true) });
  connection.onRequest(PhasesRequest, (params, token) =>
    // A failure is an error, not an empty tree: the client would show a workspace without phases.
    // Cancelled (the client asks again for a later change), it stops and answers RequestCancelled.
    ctx.orError('phasegate/phases', async () => {
      const result = await trees.answer(
        checkParams('phasegate/phases', params ?? {}, { since: { kind: 'string', optional: true }, folderUri: { kind: 'string', optional: true } }),
        () => phases.version,
        token,
      );
      // With a partial result token, a large answer goes in parts (see phaseParts.ts).
      const parts = params?.partialResultToken;
      return parts === undefined ? result : sendPhasesInParts(result, (part) => connection.sendProgress(PhasesPartialResultType, parts, part), token);
    }),
  );
  connection.onRequest(GatesRequest, (params) =>
    ctx.safe('phasegate/gates', null as GatesResult | null, async () => {
      checkParams('phasegate/gates', params, PHASE_PARAMS);
      for (const f of ctx.workspaces.all()) await f.ready;
      await ctx.upToDate(ctx.workspaces.all());
      const found = findPhase(ctx, params.phaseUri);
      if (!found) return null;
      const { folder, phase } = found;
      const gates = folder.svc.gates(phase);
      return {
        phaseId: phase.id,
        status: phaseStatus(folder.svc, phase, gates),
        gates: gates.map((g) => {
          const causes = g.status === 'passed' ? [] : gateCauses(folder.svc, phase, g.name);
          return {
            name: g.name,
            status: g.status,
            reasons: g.reasons,
            items: g.items.map((i) => ({ text: i.text, checked: i.checked, evidence: i.evidence, line: i.line })),
            uri: g.file ? ctx.uriOf(g.file) : null,
            line: g.line ?? null,
            // The first of each reason (a gate held by 20,000 problems made an answer of 10 MB), and how many there are.
            causes: listedCauses(causes).map((c) => toGateCause(ctx, c)),
            causeCount: causes.length,
          };
        }),
      };
    }),
  );
  connection.onRequest(CompleteHandoffRequest, (params) =>
    ctx.safe(
      'phasegate/completeHandoff',
      { edit: null, message: 'Completing the handoff failed; see the Phasegate output.' } as CompleteHandoffResult,
      async () => {
        checkParams('phasegate/completeHandoff', params, PHASE_PARAMS);
        await ctx.workspaces.allReady();
        // The edit of the open input handoff names the version it was computed on.
        await ctx.upToDate(ctx.workspaces.all());
        const found = findPhase(ctx, params.phaseUri);
        if (!found) return { edit: null, message: 'No phase there.' };
        if (!found.phase.prev) return { edit: null, message: `${phaseName(found.phase, true)} has no previous phase to take a handoff from.` };
        const r = completeHandoff(found.folder.svc, found.phase);
        if (!r) {
          // Not complete: its file is named in another case (`01-input_handoff.md`), and none is created beside it.
          const input = found.phase.documents.find((d) => d.spec.kind === 'input-handoff' && !d.exists);
          const cased = input && caseRefusal(found.folder.svc, input.path);
          if (cased) return { edit: null, message: `${cased}; nothing is created.` };
          return { edit: null, message: `The input handoff of ${phaseName(found.phase)} is already complete.` };
        }
        const edit = toWorkspaceEdit(r.change, ctx, ctx.caps.documentChanges);
        return edit ? { edit, message: r.title } : { edit: null, message: 'The editor cannot create files from a language server edit.' };
      },
    ),
  );
  connection.onRequest(ToggleGateItemRequest, (params) =>
    ctx.safe('phasegate/toggleGateItem', null as WorkspaceEdit | null, async () => {
      checkParams('phasegate/toggleGateItem', params, { uri: { kind: 'string' }, line: { kind: 'number' }, checked: { kind: 'boolean', optional: true } });
      const t = await ctx.target(params.uri);
      if (!t) return null;
      return toggleEdit(ctx, t.svc, t.path, params.line, params.checked);
    }),
  );
  registerScaffold(connection, ctx);
}

/**
 * Tells the client that phases (status, gates, problem counts) may have changed; coalesced. Each
 * change counts up `version`, which the notice and every phase tree carry, so that a client does not
 * fetch the tree again for a change its last answer already showed (the first tree after a folder
 * loads is usually built after the load's change and before its notice).
 */
export class PhasesNotifier {
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  /** Changes seen; `changed` is called after the change is applied to the engine. */
  version = 0;

  constructor(
    private readonly connection: Connection,
    private readonly delayMs = 250,
  ) {}

  /**
   * `folder`'s phases changed: the notice goes after `delayMs` (one for the changes made meanwhile), or at once with
   * `now` (for changes announced at a slower pace by their maker: the phases the background check found checked).
   */
  changed(folder: Folder, now = false): void {
    this.version++;
    this.dirty.add(folder.uri);
    if (now) {
      if (this.timer) clearTimeout(this.timer);
      this.send();
    } else if (!this.timer) this.timer = setTimeout(() => this.send(), this.delayMs);
  }

  private send(): void {
    this.timer = undefined;
    const folderUris = [...this.dirty];
    this.dirty.clear();
    void this.connection.sendNotification(DidChangePhasesNotification, { folderUris, version: this.version }).catch(() => undefined);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
