/** Writing what the server plans (client/src/commands/apply.ts, bundled with a stand-in for `vscode`): what it says it did. */
import * as assert from 'node:assert/strict';
import type { NewDocumentResult } from '../../server/src/protocol';
import { clientModule } from './bundle';

type Apply = { createPlannedFiles(result: NewDocumentResult, what: string): Promise<unknown[]> };

describe('client: a new iAI phase and its row in the project plan', () => {
  it('says the plan was updated for the phase of its workstream, and that the plan is not saved yet', async () => {
    const { mod, vscode } = await clientModule<Apply>('client/src/commands/apply.ts');
    const messages: string[] = [];
    const applied: unknown[] = [];
    vscode.window.showInformationMessage = ((m: string) => {
      messages.push(m);
      return Promise.resolve(undefined);
    }) as never;
    vscode.window.showTextDocument = (() => Promise.resolve(undefined)) as never;
    Object.assign(vscode.workspace, {
      // Nothing on disk: the prompt is created.
      fs: { stat: () => Promise.reject(new Error('ENOENT')), readDirectory: () => Promise.reject(new Error('ENOENT')) },
      textDocuments: [],
      applyEdit: (e: unknown) => {
        applied.push(e);
        return Promise.resolve(true);
      },
      asRelativePath: (u: { path: string }) => u.path.replace(/^\/ws\//, ''),
    });
    const prompt = 'file:///ws/workstreams/Test/Phase_2_E2E/implementation_prompt.md';
    const plan = 'file:///ws/project_implementation_plan.md';
    const result: NewDocumentResult = {
      files: [{ uri: prompt, text: '# Prompt\n', exists: false }],
      edit: {
        documentChanges: [
          {
            textDocument: { uri: plan, version: null },
            edits: [{ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, newText: '| Test | Phase 2 | E2E | not started |\n' }],
          },
        ],
      },
      errors: [],
    } as unknown as NewDocumentResult;
    const created = await mod.createPlannedFiles(result, 'phase 2 of Test');
    assert.equal(created.length, 1);
    assert.equal(applied.length, 1);
    assert.deepEqual(messages, ['Phasegate: updated project_implementation_plan.md for phase 2 of Test (not saved yet).']);
  });
});
