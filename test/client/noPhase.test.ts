/**
 * What the phase commands (client/src/commands, bundled with a stand-in for `vscode`) say and do when no phase
 * qualifies: Phasegate turned off for the folder, no phase at all, or every phase has what the command makes.
 */
import * as assert from 'node:assert/strict';
import type { PhasesResult } from '../../server/src/protocol';
import { clientModule } from './bundle';
import { wholeTree } from './phases';

type Commands = {
  newPhase(ctx: unknown, arg?: unknown): Promise<unknown>;
  scaffold(ctx: unknown, folderUri?: string): Promise<unknown>;
  runGateCheck(ctx: unknown, arg?: unknown): Promise<unknown>;
  newResponse(ctx: unknown, arg?: unknown): Promise<unknown>;
  newDocument(ctx: unknown, arg?: unknown): Promise<unknown>;
};

/** The commands in a workspace of the folder `file:///ws`; what they ask and say is recorded, each question cancelled. */
async function workspace(enabled: boolean, data: PhasesResult | undefined, editor?: string) {
  const { mod, vscode } = await clientModule<Commands>('client/src/commands/newDocument.ts', 'client/src/commands/newPhase.ts', 'client/src/commands/gates.ts');
  const folder = { uri: vscode.Uri.parse('file:///ws'), name: 'ws', index: 0 };
  vscode.workspace.workspaceFolders = [folder];
  vscode.workspace.getWorkspaceFolder = () => folder;
  vscode.workspace.asRelativePath = ((u: { path: string }) => u.path.replace(/^\/ws\//, '')) as never;
  const said: string[] = [];
  const asked: string[] = [];
  const requests: unknown[] = [];
  const say = (m: string) => {
    said.push(m);
    return Promise.resolve(undefined);
  };
  vscode.window.showInformationMessage = say as never;
  vscode.window.showWarningMessage = say as never;
  vscode.window.showErrorMessage = say as never;
  vscode.window.showQuickPick = ((_items: unknown, o?: { title?: string }) => {
    asked.push(`pick ${o?.title ?? ''}`);
    return Promise.resolve(undefined);
  }) as never;
  vscode.window.showInputBox = ((o: { prompt?: string }) => {
    asked.push(`input ${o.prompt ?? ''}`);
    return Promise.resolve(undefined);
  }) as never;
  (vscode.window as Record<string, unknown>).activeTextEditor = editor ? { document: { uri: vscode.Uri.parse(editor) } } : undefined;
  const ctx = {
    tree: { load: () => Promise.resolve(data), refresh: () => undefined },
    config: { enableFor: () => enabled },
    request: (_t: unknown, params: unknown) => {
      requests.push(params);
      return Promise.resolve({ files: [], edit: null, errors: ['stop here'] });
    },
  };
  return { mod, ctx, said, asked, requests };
}

/** The server's tree of a folder Phasegate is turned off for: no groups, `disabled`. */
const OFF: PhasesResult = { id: 'off', version: 1, folders: [{ uri: 'file:///ws', name: 'ws', ready: true, disabled: true, groups: [], plans: [] }] };

/** A folder without phases. */
const EMPTY: PhasesResult = { id: 'empty', version: 1, folders: [{ uri: 'file:///ws', name: 'ws', ready: true, groups: [], plans: [] }] };

describe('client: phase commands when no phase qualifies', () => {
  it('New Phase in a folder Phasegate is turned off for creates nothing and says so (no first phase beside the phases it hides)', async () => {
    const w = await workspace(false, OFF, 'file:///ws/audit-deployment/phase-3/07-VALIDATION.md');
    assert.equal(await w.mod.newPhase(w.ctx), undefined);
    assert.deepEqual(w.asked, [], 'no layout pick, no title asked');
    assert.deepEqual(w.requests, [], 'nothing planned');
    assert.deepEqual(w.said, ['Phasegate: Phasegate is turned off for ws (phasegate.enable): turn it on to see its phases and create new ones.']);
  });

  it('Scaffold First Phase in a folder Phasegate is turned off for creates nothing and says so', async () => {
    const w = await workspace(false, OFF);
    assert.equal(await w.mod.scaffold(w.ctx, 'file:///ws'), undefined);
    assert.deepEqual(w.asked, []);
    assert.deepEqual(w.requests, []);
    assert.match(w.said.join('\n'), /turned off for ws \(phasegate\.enable\)/);
  });

  it('Run Gate Check says that Phasegate is turned off, not that no phase needs it', async () => {
    const w = await workspace(false, OFF, 'file:///ws/audit-deployment/phase-3/07-VALIDATION.md');
    assert.equal(await w.mod.runGateCheck(w.ctx), undefined);
    assert.deepEqual(w.said, ['Phasegate: Run Gate Check: Phasegate is turned off for ws (phasegate.enable).']);
  });

  it('a phase command in a workspace without phases says there is none yet, and how to make one', async () => {
    const w = await workspace(true, EMPTY);
    assert.equal(await w.mod.runGateCheck(w.ctx), undefined);
    assert.deepEqual(w.said, ['Phasegate: Run Gate Check: there is no phase in this workspace yet (Phasegate: Scaffold First Phase… creates one).']);
  });

  it('a template command whose document every phase has says what the phases have, in its own words', async () => {
    // The one phase of wholeTree lists no documents: none lacks a document, none has a prompt.
    const w = await workspace(true, wholeTree('a', 1));
    assert.equal(await w.mod.newResponse(w.ctx), undefined);
    assert.equal(await w.mod.newDocument(w.ctx), undefined);
    assert.deepEqual(w.said, [
      'Phasegate: New Response Skeleton: every implementation prompt has its response.',
      'Phasegate: New Document: every document of every phase exists.',
    ]);
    assert.deepEqual(w.asked, []);
  });

  it('without the server, says that the phases are not available', async () => {
    const w = await workspace(true, undefined);
    assert.equal(await w.mod.runGateCheck(w.ctx), undefined);
    assert.deepEqual(w.said, ['Phasegate: Run Gate Check: the phases are not available (the Phasegate language server is not running).']);
  });
});
