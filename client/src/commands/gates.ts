/**
 * Gate check (a phase's gates with their reasons), what holds a gate (its causes, each at its place), a
 * gate's checklist with toggles, and toggling the item under the cursor.
 */
import * as vscode from 'vscode';
import { GateCause, GateDetail, GatesRequest, ShowGateArgs, ShowPhaseArgs, ToggleGateItemRequest } from '../../../server/src/protocol';
import type { PhasegateContext } from '../context';
import { PHASE_STATUS_LABEL, gateCodicon, normUri, phaseAt } from '../model';
import type { PhaseTreeNode } from '../tree';
import { newMissingDocument } from './newDocument';
import { Target, resolvePhase } from './target';

async function openAt(uri: string, line: number | null): Promise<void> {
  const pos = new vscode.Position(line ?? 0, 0);
  await vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection: new vscode.Range(pos, pos), preview: false });
}

/** A phase's gates in a quick pick; picking a gate shows its checklist. Returns the gates (for tests and the status bar). */
export async function runGateCheck(ctx: PhasegateContext, arg?: Target, interactive = true): Promise<GateDetail[] | undefined> {
  const ref = await resolvePhase(ctx, arg, 'Run Gate Check');
  if (!ref) return undefined;
  const result = await ctx.request(GatesRequest, { phaseUri: ref.phase.uri });
  if (!result) {
    void vscode.window.showWarningMessage(`Phasegate: ${ref.phase.id} is no longer a phase.`);
    return undefined;
  }
  ctx.tree.refresh();
  if (!interactive) return result.gates;
  const passed = result.gates.filter((g) => g.status === 'passed').length;
  const picked = await vscode.window.showQuickPick(
    result.gates.map((g) => ({
      label: `${gateCodicon(g.status)} ${g.name}`,
      description: g.status + (g.items.length ? ` · ${g.items.filter((i) => i.checked).length}/${g.items.length} checked` : ''),
      detail: g.reasons.join('; ') || undefined,
      gate: g,
    })),
    {
      title: `${ref.phase.id}: ${PHASE_STATUS_LABEL[result.status]} — ${passed}/${result.gates.length} gates passed`,
      placeHolder: 'Pick a gate to go to what holds it (or, once it passed, to its checklist)',
    },
  );
  if (picked) await showGateDetail(ctx, ref.phase.id, picked.gate);
  return result.gates;
}

/** A gate not passed leads to what holds it; a passed one to its checklist. */
async function showGateDetail(ctx: PhasegateContext, phaseId: string, gate: GateDetail): Promise<void> {
  if (gate.status !== 'passed' && gate.causes.length) await pickCause(ctx, phaseId, gate);
  else await showChecklist(ctx, phaseId, gate);
}

/** A gate named by a tree node, a code lens (`ShowGateArgs`) or a tooltip link: its phase's folder URI and its name. */
export type GateTarget = Extract<PhaseTreeNode, { type: 'gate' }> | { phaseUri: string; gate: string };

const CAUSE_ICON: Record<GateCause['kind'], string> = {
  diagnostic: '$(error)',
  'unchecked-item': '$(circle-large-outline)',
  'no-evidence': '$(warning)',
  'no-checklist': '$(checklist)',
  'empty-checklist': '$(checklist)',
  'missing-document': '$(new-file)',
};

function causeIcon(c: GateCause): string {
  return c.kind === 'diagnostic' && c.severity === 'warning' ? '$(warning)' : CAUSE_ICON[c.kind];
}

/** `audit-deployment/phase-3/01-INPUT_HANDOFF.md:12` (the line 1-based, as the editor shows it). */
function causePlace(c: GateCause): string {
  const rel = vscode.workspace.asRelativePath(vscode.Uri.parse(c.uri), true);
  return c.kind === 'missing-document' ? rel : `${rel}:${c.range.start.line + 1}`;
}

/**
 * Goes to what holds a gate: the place of its one cause, else a pick among its causes, each with its
 * file, line and message (and, for a gate with a checklist, an entry to check its items). Without an
 * argument, the phase is the active editor's (or one picked) and the gate one of its gates not passed.
 * Returns the cause gone to.
 */
export async function goToGateCause(ctx: PhasegateContext, arg?: GateTarget): Promise<GateCause | undefined> {
  let phaseUri: string;
  let name: string | undefined;
  if (arg && 'type' in arg) [phaseUri, name] = [arg.ref.phase.uri, arg.gate.name];
  else if (arg) [phaseUri, name] = [arg.phaseUri, arg.gate];
  else {
    const ref = await resolvePhase(
      ctx,
      undefined,
      'Go to What Holds a Gate',
      // A phase not checked yet (`checking`) may have gates held: the request computes them.
      (r) => r.phase.status === 'checking' || r.phase.gates.some((g) => g.status !== 'passed') || `every gate of ${r.phase.id} passed`,
      'every gate of every phase passed',
    );
    if (!ref) return undefined;
    phaseUri = ref.phase.uri;
  }
  const result = await ctx.request(GatesRequest, { phaseUri });
  if (!result) {
    void vscode.window.showWarningMessage('Phasegate: that phase is no longer there.');
    return undefined;
  }
  let gate = result.gates.find((g) => g.name === name);
  if (!gate) {
    const held = result.gates.filter((g) => g.status !== 'passed');
    const picked =
      held.length === 1
        ? { gate: held[0] }
        : await vscode.window.showQuickPick(
            held.map((g) => ({ label: `${gateCodicon(g.status)} ${g.name}`, description: g.status, detail: g.reasons.join('; ') || undefined, gate: g })),
            { title: `Phasegate: Go to What Holds a Gate of ${result.phaseId}`, placeHolder: 'Gate' },
          );
    if (!picked) return undefined;
    gate = picked.gate;
  }
  if (gate.status === 'passed' || gate.causes.length === 0) {
    void vscode.window.showInformationMessage(`Phasegate: gate ${gate.name} of ${result.phaseId} is ${gate.status}; nothing holds it.`);
    return undefined;
  }
  return pickCause(ctx, result.phaseId, gate);
}

/** The gate's one cause that is a place to go to is opened at once; otherwise the user picks. */
async function pickCause(ctx: PhasegateContext, phaseId: string, gate: GateDetail): Promise<GateCause | undefined> {
  const only = gate.causes.length === 1 && gate.causes[0].kind !== 'missing-document' ? gate.causes[0] : undefined;
  if (only) {
    await openCause(ctx, only);
    return only;
  }
  type Item = vscode.QuickPickItem & { cause?: GateCause; more?: true };
  const items: Item[] = gate.causes.map((c) => ({
    label: `${causeIcon(c)} ${c.message}${c.kind === 'missing-document' ? ' — create it from its template' : ''}`,
    description: causePlace(c),
    detail: c.code,
    cause: c,
  }));
  // A server before `causeCount` listed every cause.
  const unlisted = (gate.causeCount ?? gate.causes.length) - gate.causes.length;
  if (unlisted > 0) {
    items.push({
      label: `$(info) ${unlisted} more not listed here (the first of each reason are): open the Problems view`,
      more: true,
    });
  }
  if (gate.uri && gate.items.length) {
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: `$(checklist) Check or uncheck the items of the ${gate.name} checklist…` });
  }
  const total = unlisted > 0 ? ` — ${gate.causeCount} things hold it` : '';
  const picked = await vscode.window.showQuickPick(items, {
    title: `Phasegate: gate ${gate.name} of ${phaseId} is ${gate.status}${total}`,
    placeHolder: 'What holds the gate: pick one to go to it',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (picked.more) {
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    return undefined;
  }
  if (!picked.cause) {
    await showChecklist(ctx, phaseId, gate);
    return undefined;
  }
  await openCause(ctx, picked.cause);
  return picked.cause;
}

/** Opens a cause at its place: a diagnostic selected, as the Problems view does; a missing document created from its template. */
async function openCause(ctx: PhasegateContext, cause: GateCause): Promise<void> {
  const uri = vscode.Uri.parse(cause.uri);
  if (cause.kind === 'missing-document') {
    const ref = phaseAt(ctx.tree.phases, cause.uri);
    const doc = ref?.phase.documents.find((d) => normUri(d.uri) === normUri(cause.uri));
    if (ref && doc && !doc.exists) await newMissingDocument(ctx, ref.phase.uri, doc);
    else void vscode.window.showInformationMessage(`Phasegate: ${cause.message} (${causePlace(cause)}).`);
    return;
  }
  // A problem of a phase folder without documents: the folder.
  const stat = await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
  if (stat && stat.type & vscode.FileType.Directory) {
    await vscode.commands.executeCommand('revealInExplorer', uri);
    return;
  }
  const { start, end } = cause.range;
  const at = new vscode.Position(start.line, start.character);
  const selection = cause.kind === 'diagnostic' ? new vscode.Range(at, new vscode.Position(end.line, end.character)) : new vscode.Range(at, at);
  await vscode.window.showTextDocument(uri, { selection, preview: false });
}

/**
 * A gate's checklist as a multi-select list (checked items pre-selected); accepting it checks and unchecks
 * the items that changed, in one edit. A gate without a checklist opens where it would be.
 */
async function showChecklist(ctx: PhasegateContext, phaseId: string, gate: GateDetail): Promise<void> {
  if (!gate.uri) {
    void vscode.window.showInformationMessage(
      `Phasegate: gate ${gate.name} of ${phaseId} is ${gate.status}${gate.reasons.length ? `: ${gate.reasons.join('; ')}` : ''}.`,
    );
    return;
  }
  if (gate.items.length === 0) return openAt(gate.uri, gate.line);
  const uri = gate.uri;
  const items = gate.items.map((it) => ({
    label: it.text,
    description: it.checked && !it.evidence ? '$(warning) no evidence' : undefined,
    picked: it.checked,
    it,
  }));
  const selection = await vscode.window.showQuickPick(items, {
    title: `Phasegate: gate ${gate.name} of ${phaseId} is ${gate.status} — ${gate.items.filter((i) => i.checked).length}/${gate.items.length} checked`,
    placeHolder: 'Check the items that are done (each needs evidence: a link, a `path` or "Evidence:")',
    canPickMany: true,
  });
  if (!selection) return;
  const chosen = new Set(selection.map((s) => s.it.line));
  const changes = gate.items.filter((it) => it.checked !== chosen.has(it.line)).map((it) => ({ line: it.line, checked: chosen.has(it.line) }));
  await setItems(ctx, uri, changes);
  await openAt(uri, gate.line);
}

/** Checks or unchecks checklist items: the server computes each edit, applied together so undo is one step. */
async function setItems(ctx: PhasegateContext, uri: string, changes: { line: number; checked?: boolean }[]): Promise<boolean> {
  if (changes.length === 0) return true;
  const edits = await Promise.all(changes.map((c) => ctx.request(ToggleGateItemRequest, { uri, line: c.line, checked: c.checked })));
  const merged = new vscode.WorkspaceEdit();
  for (const e of edits) {
    if (!e) continue;
    const converted = await ctx.asWorkspaceEdit(e);
    for (const [u, textEdits] of converted?.entries() ?? []) merged.set(u, [...merged.get(u), ...textEdits]);
  }
  if (merged.size === 0) return false;
  return vscode.workspace.applyEdit(merged);
}

/** Code lens on a gate heading (from the server): what holds the gate, or its checklist once it passed. */
export async function showGate(ctx: PhasegateContext, args: ShowGateArgs): Promise<void> {
  const result = await ctx.request(GatesRequest, { phaseUri: args.phaseUri });
  const gate = result?.gates.find((g) => g.name === args.gate);
  if (result && gate) await showGateDetail(ctx, result.phaseId, gate);
}

/** Code lens on a phase document's title (from the server). */
export async function showPhase(ctx: PhasegateContext, args: ShowPhaseArgs): Promise<void> {
  await runGateCheck(ctx, args.phaseUri);
}

/** Toggles the checklist item at `line` of `uri` (default: the cursor's line in the active editor). */
export async function toggleGateItem(ctx: PhasegateContext, uri?: string | vscode.Uri, line?: number): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  const target = uri ? uri.toString() : editor?.document.uri.toString();
  const at = line ?? editor?.selection.active.line;
  if (!target || at === undefined) return false;
  const ok = await setItems(ctx, target, [{ line: at }]);
  if (!ok) void vscode.window.showInformationMessage('Phasegate: no gate checklist item on this line.');
  return ok;
}
