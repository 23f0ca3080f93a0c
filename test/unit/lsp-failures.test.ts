/**
 * How the language server answers a custom request whose handler fails: with an error the client can
 * show, not with an answer that reads as something else.
 */
import * as assert from 'node:assert/strict';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { PhasesRequest } from '../../server/src/protocol';
import { ServerContext } from '../../server/src/lsp/context';
import { PhasesNotifier, registerCustom } from '../../server/src/lsp/custom';
import type { Settings } from '../../server/src/lsp/settings';
import type { Workspaces } from '../../server/src/lsp/workspaces';

/** The handlers the server registers, and what it logs as errors, on a connection that does nothing else. */
function fakeConnection() {
  const handlers = new Map<string, (params: unknown) => unknown>();
  const errors: string[] = [];
  const connection = {
    onRequest: (type: string | { method: string }, handler: (params: unknown) => unknown) => {
      handlers.set(typeof type === 'string' ? type : type.method, handler);
    },
    onNotification: () => undefined,
    sendNotification: () => Promise.resolve(),
    console: { log: () => undefined, error: (m: string) => errors.push(m) },
  } as unknown as Connection;
  return { connection, handlers, errors };
}

describe('language server: a failing phasegate/phases', () => {
  it('answers with an error (InternalError) that says what failed, not with an empty tree, and logs it', async () => {
    const { connection, handlers, errors } = fakeConnection();
    const workspaces = {
      all: () => {
        throw new Error('the folders could not be listed');
      },
    } as unknown as Workspaces;
    const ctx = new ServerContext(connection, {} as TextDocuments<TextDocument>, workspaces, {} as Settings);
    registerCustom(connection, ctx, new PhasesNotifier(connection));
    const handler = handlers.get(PhasesRequest.method);
    assert.ok(handler, 'phasegate/phases is registered');
    await assert.rejects(
      Promise.resolve().then(() => handler({})),
      (e: unknown) => {
        assert.ok(e instanceof ResponseError, `a ResponseError, not ${String(e)}`);
        assert.equal(e.code, ErrorCodes.InternalError);
        assert.match(e.message, /phasegate\/phases failed: the folders could not be listed/);
        return true;
      },
    );
    assert.equal(errors.length, 1);
    assert.match(errors[0], /phasegate\/phases failed: Error: the folders could not be listed/);
  });
});
