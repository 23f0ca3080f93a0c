/** Entry point: everything lives in PhasegateContext; this file only starts and stops it. */
import * as vscode from 'vscode';
import { PhasegateContext } from './context';

let ctx: PhasegateContext | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<PhasegateContext> {
  ctx = new PhasegateContext(context);
  await ctx.start();
  // Returned as the extension's API so the integration tests can reach the tree and the client.
  return ctx;
}

export async function deactivate(): Promise<void> {
  await ctx?.close();
  ctx = undefined;
}
