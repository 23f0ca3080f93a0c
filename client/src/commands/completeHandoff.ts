/**
 * Complete the handoff from a phase to the next: the server fills phase N+1's input handoff from phase N's output
 * handoff. The command names the phase handing off (N); the request names the phase receiving (N+1).
 */
import * as vscode from 'vscode';
import { CompleteHandoffRequest } from '../../../server/src/protocol';
import type { PhasegateContext } from '../context';
import { handoffTarget } from '../model';
import { Target, resolvePhase } from './target';

export async function completeHandoff(ctx: PhasegateContext, arg?: Target): Promise<boolean> {
  const ref = await resolvePhase(ctx, arg, 'Complete Handoff to Next Phase', (r) => !!handoffTarget(r) || `${r.phase.id} has no next phase to hand off to`);
  const next = ref && handoffTarget(ref);
  if (!ref || !next) return false;
  const result = await ctx.request(CompleteHandoffRequest, { phaseUri: next.uri });
  if (!result.edit) {
    void vscode.window.showInformationMessage(`Phasegate: ${result.message}`);
    return false;
  }
  const edit = await ctx.asWorkspaceEdit(result.edit);
  if (!edit || !(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`Phasegate: could not apply the handoff of ${ref.phase.id}.`);
    return false;
  }
  // Show the document the edit changed (the next phase's input handoff), where the user continues.
  const changed = edit.entries().map(([uri]) => uri);
  if (changed[0]) await vscode.window.showTextDocument(changed[0], { preview: false });
  void vscode.window.showInformationMessage(`Phasegate: ${result.message}`);
  return true;
}
