/** Gate check (a phase's gates with their reasons), a gate's checklist with toggles, and toggling the item under the cursor. */
import * as vscode from 'vscode';
import { GateDetail, GatesRequest, ShowGateArgs, ShowPhaseArgs, ToggleGateItemRequest } from '../../../server/src/protocol';
import type { PhasegateContext } from '../context';
import { PHASE_STATUS_LABEL, gateCodicon } from '../model';
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
      placeHolder: 'Pick a gate to see its checklist',
    },
  );
  if (picked) await showGateDetail(ctx, picked.gate);
  return result.gates;
}

/**
 * A gate's checklist as a multi-select list (checked items pre-selected); accepting it checks and unchecks
 * the items that changed, in one edit. A gate without a checklist opens where it would be.
 */
async function showGateDetail(ctx: PhasegateContext, gate: GateDetail): Promise<void> {
  if (!gate.uri) {
    void vscode.window.showInformationMessage(`Phasegate: gate ${gate.name} is ${gate.status}${gate.reasons.length ? `: ${gate.reasons.join('; ')}` : ''}.`);
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
    title: `Gate ${gate.name}: ${gate.status}`,
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

/** Code lens on a gate heading (from the server). */
export async function showGate(ctx: PhasegateContext, args: ShowGateArgs): Promise<void> {
  const result = await ctx.request(GatesRequest, { phaseUri: args.phaseUri });
  const gate = result?.gates.find((g) => g.name === args.gate);
  if (gate) await showGateDetail(ctx, gate);
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
