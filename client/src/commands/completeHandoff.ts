/**
 * Complete the handoff from a phase to the next: the server fills phase N+1's input handoff from phase N's output
 * handoff. The command names the phase handing off (N); the request names the phase receiving (N+1).
 */
import * as vscode from 'vscode';
import { CompleteHandoffRequest } from '../../../server/src/protocol';
import type { PhasegateContext } from '../context';
import { handoffTarget } from '../model';
import { Target, resolvePhase } from './target';

/** What the user is asked before the handoff is completed, and told after. */
export interface HandoffMessages {
  /** The confirmation: which phases, and the file (workspace-relative) it creates or changes. */
  confirm: string;
  detail: string;
  /** The result, once the edit is applied. */
  done: string;
}

export function handoffMessages(from: string, to: string, file: string, creates: boolean): HandoffMessages {
  return {
    confirm: `Complete the handoff from ${from} to ${to}?`,
    detail: `This ${creates ? 'creates' : 'changes'} ${file}, the input handoff of ${to}, with what the output handoff of ${from} hands off.`,
    done: `Phasegate: ${creates ? 'created' : 'completed'} ${file}, the input handoff of ${to}, from the output handoff of ${from}.`,
  };
}

/** Asks before the edit is applied (a modal dialog; the extension's tests answer in place of a user). */
export type Confirm = (m: HandoffMessages, button: string) => Thenable<boolean>;

const askUser: Confirm = async (m, button) => (await vscode.window.showInformationMessage(m.confirm, { modal: true, detail: m.detail }, button)) === button;

/** Returns the messages of the handoff completed; undefined when nothing was changed. */
export async function completeHandoff(ctx: PhasegateContext, arg?: Target, confirm: Confirm = askUser): Promise<HandoffMessages | undefined> {
  const ref = await resolvePhase(
    ctx,
    arg,
    'Complete Handoff to Next Phase',
    (r) => !!handoffTarget(r) || `${r.phase.id} has no next phase to hand off to`,
    'no phase has a next phase with an input handoff to complete',
  );
  const next = ref && handoffTarget(ref);
  if (!ref || !next) return undefined;
  const input = next.documents.find((d) => d.kind === 'input-handoff');
  const inputFile = input && vscode.workspace.asRelativePath(vscode.Uri.parse(input.uri));
  const result = await ctx.request(CompleteHandoffRequest, { phaseUri: next.uri });
  if (!result.edit) {
    void vscode.window.showInformationMessage(`Phasegate: ${result.message}${inputFile ? ` (${inputFile})` : ''}`);
    return undefined;
  }
  const edit = await ctx.asWorkspaceEdit(result.edit);
  // The document the edit changes: the next phase's input handoff, created when it is not there.
  const changed = edit?.entries()[0]?.[0];
  if (!edit || !changed) {
    void vscode.window.showErrorMessage(`Phasegate: could not apply the handoff of ${ref.phase.id}.`);
    return undefined;
  }
  const creates = (result.edit.documentChanges ?? []).some((c) => 'kind' in c && c.kind === 'create');
  const messages = handoffMessages(ref.phase.id, next.id, vscode.workspace.asRelativePath(changed), creates);
  if (!(await confirm(messages, 'Complete Handoff'))) return undefined;
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`Phasegate: could not apply the handoff of ${ref.phase.id}.`);
    return undefined;
  }
  // Show the document the edit changed, where the user continues.
  await vscode.window.showTextDocument(changed, { preview: false });
  void vscode.window.showInformationMessage(messages.done);
  return messages;
}
