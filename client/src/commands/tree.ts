/** Tree-only commands: open a node, reveal it in the Explorer. */
import * as vscode from 'vscode';
import { GatesRequest } from '../../../server/src/protocol';
import type { PhasegateContext } from '../context';
import type { PhaseTreeNode } from '../tree';
import { runGateCheck } from './gates';
import { targetUri } from './target';

/** Documents open; a gate opens its checklist; a phase opens its first document. */
export async function openNode(ctx: PhasegateContext, node: PhaseTreeNode | undefined): Promise<void> {
  if (!node) return;
  if (node.type === 'gate') {
    const result = await ctx.request(GatesRequest, { phaseUri: node.ref.phase.uri });
    const gate = result?.gates.find((g) => g.name === node.gate.name);
    if (gate?.uri) {
      const pos = new vscode.Position(gate.line ?? 0, 0);
      await vscode.window.showTextDocument(vscode.Uri.parse(gate.uri), { selection: new vscode.Range(pos, pos), preview: false });
    } else await runGateCheck(ctx, node.ref.phase.uri);
    return;
  }
  if (node.type === 'phase') {
    const first = node.ref.phase.documents.find((d) => d.exists);
    if (first) await vscode.window.showTextDocument(vscode.Uri.parse(first.uri), { preview: false });
    return;
  }
  const uri = targetUri(node);
  if (uri) await vscode.commands.executeCommand('vscode.open', vscode.Uri.parse(uri));
}

export async function revealInExplorer(node: PhaseTreeNode | undefined): Promise<void> {
  const uri = targetUri(node);
  if (uri) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.parse(uri));
}
