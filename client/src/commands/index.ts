/** Command registration: one small function per command, tree commands as `phasegate.phases.<verb>`. */
import * as vscode from 'vscode';
import { Commands, SelectAfterFixArgs, ShowGateArgs, ShowPhaseArgs } from '../../../server/src/protocol';
import { selectAfterFix } from './apply';
import type { PhasegateContext } from '../context';
import type { PhaseTreeNode } from '../tree';
import { Confirm, completeHandoff } from './completeHandoff';
import { GateTarget, goToGateCause, runGateCheck, showGate, showPhase, toggleGateItem } from './gates';
import { newDocument, newHandoff, newPrompt, newResponse } from './newDocument';
import { newFinding, newPlan } from './newFinding';
import { newPhase, scaffold } from './newPhase';
import { openNode, revealInExplorer } from './tree';
import { Target } from './target';

/** A row of the Phases view (its commands get it), not another argument. */
function isRow(a: unknown): a is PhaseTreeNode {
  return !!a && typeof a === 'object' && 'type' in a && typeof (a as { type: unknown }).type === 'string';
}

export function registerCommands(ctx: PhasegateContext): void {
  const reg = (id: string, fn: (...args: never[]) => unknown) =>
    ctx.extension.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: never[]) => {
        try {
          return await fn(...args);
        } catch (e) {
          ctx.output.error(`${id} failed: ${(e as Error).stack ?? e}`);
          void vscode.window.showErrorMessage(`Phasegate: ${(e as Error).message}`);
          return undefined;
        }
      }),
    );
  reg('phasegate.scaffold', (uri?: string) => scaffold(ctx, uri));
  reg('phasegate.newPhase', (t?: Target) => newPhase(ctx, t));
  reg('phasegate.newPrompt', (t?: Target) => newPrompt(ctx, t));
  reg('phasegate.newResponse', (t?: Target) => newResponse(ctx, t));
  reg('phasegate.newHandoff', (t?: Target) => newHandoff(ctx, t));
  reg('phasegate.newDocument', (t?: Target) => newDocument(ctx, t));
  reg('phasegate.newFinding', (t?: Target, title?: unknown) => newFinding(ctx, t, title));
  reg('phasegate.newPlan', (t?: Target) => newPlan(ctx, t));
  // A second argument that is a function answers the confirmation (the extension's tests); menus pass none.
  reg('phasegate.completeHandoff', (t?: Target, confirm?: unknown) =>
    completeHandoff(ctx, t, typeof confirm === 'function' ? (confirm as Confirm) : undefined),
  );
  reg('phasegate.runGateCheck', (t?: Target, interactive?: boolean) => runGateCheck(ctx, t, interactive ?? true));
  reg('phasegate.goToGateCause', (g?: GateTarget) => {
    if (isRow(g)) ctx.follow.rowUsed(g);
    return goToGateCause(ctx, g);
  });
  reg('phasegate.toggleGateItem', (uri?: string, line?: number) => toggleGateItem(ctx, uri, line));
  reg(Commands.showGate, (a: ShowGateArgs) => showGate(ctx, a));
  reg(Commands.showPhase, (a: ShowPhaseArgs) => showPhase(ctx, a));
  reg(Commands.selectAfterFix, (a?: SelectAfterFixArgs) => selectAfterFix(a));
  reg('phasegate.restartServer', () => ctx.restart());
  reg('phasegate.showOutput', () => ctx.output.show(true));
  reg('phasegate.phases.refresh', () => ctx.tree.refresh());
  reg('phasegate.phases.open', (n: PhaseTreeNode) => {
    if (isRow(n)) ctx.follow.rowUsed(n);
    return openNode(ctx, n);
  });
  reg('phasegate.phases.newPhase', (n?: PhaseTreeNode) => newPhase(ctx, n));
  reg('phasegate.phases.newDocument', (n?: PhaseTreeNode) => newDocument(ctx, n));
  reg('phasegate.phases.runGateCheck', (n?: PhaseTreeNode) => runGateCheck(ctx, n));
  reg('phasegate.phases.completeHandoff', (n?: PhaseTreeNode) => completeHandoff(ctx, n));
  reg('phasegate.phases.revealInExplorer', (n?: PhaseTreeNode) => revealInExplorer(n));
}
