import * as assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import * as fs from 'node:fs';
import {
  createProtocolConnection,
  DocumentSymbolRequest,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  ShutdownRequest,
  DocumentSymbol,
} from 'vscode-languageserver-protocol/node';
import { SERVER, buildServer, copyFixture, uri } from './client';

describe('language server: node IPC transport', function () {
  this.timeout(60_000);

  it('serves over --node-ipc as VS Code runs it', async () => {
    await buildServer();
    const root = copyFixture();
    const child = fork(SERVER, ['--node-ipc'], { silent: true });
    const conn = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    conn.listen();
    try {
      const init = await conn.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: pathToFileURL(root).href,
        capabilities: {},
        workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }],
      });
      assert.equal(init.serverInfo?.name, 'phasegate');
      assert.ok(init.capabilities.diagnosticProvider);
      await conn.sendNotification(InitializedNotification.type, {});
      const syms = (await conn.sendRequest(DocumentSymbolRequest.type, {
        textDocument: { uri: uri(root, 'audit/phase-1/07-VALIDATION.md') },
      })) as DocumentSymbol[];
      assert.equal(syms[1].name, 'Phase 1 Validation');
      await conn.sendRequest(ShutdownRequest.type);
      await conn.sendNotification(ExitNotification.type);
      await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    } finally {
      conn.dispose();
      if (child.exitCode === null) child.kill();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
