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
  InitializeResult,
  IPCMessageReader,
  IPCMessageWriter,
  ProtocolConnection,
  ShutdownRequest,
  DocumentSymbol,
} from 'vscode-languageserver-protocol/node';
import { SERVER, buildServer, copyFixture, uri } from './client';
import { ServerInfoRequest } from '../../server/src/protocol';

/** Forks the server over --node-ipc with node's `execArgv`, initializes it on a copy of the fixture, runs `body`, shuts it down. */
async function withIpcServer(
  execArgv: string[],
  body: (conn: ProtocolConnection, init: InitializeResult, root: string, pid: number | undefined) => Promise<void>,
): Promise<void> {
  await buildServer();
  const root = copyFixture();
  const child = fork(SERVER, ['--node-ipc'], { silent: true, execArgv });
  const conn = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  conn.listen();
  try {
    const init = await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      capabilities: {},
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }],
    });
    await conn.sendNotification(InitializedNotification.type, {});
    await body(conn, init, root, child.pid);
    await conn.sendRequest(ShutdownRequest.type);
    await conn.sendNotification(ExitNotification.type);
    await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  } finally {
    conn.dispose();
    if (child.exitCode === null) child.kill();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

describe('language server: node IPC transport', function () {
  this.timeout(60_000);

  it('serves over --node-ipc as VS Code runs it', () =>
    withIpcServer([], async (conn, init, root, pid) => {
      assert.equal(init.serverInfo?.name, 'phasegate');
      assert.ok(init.capabilities.diagnosticProvider);
      const syms = (await conn.sendRequest(DocumentSymbolRequest.type, {
        textDocument: { uri: uri(root, 'audit/phase-1/07-VALIDATION.md') },
      })) as DocumentSymbol[];
      assert.equal(syms[1].name, 'Phase 1 Validation');
      // Without node's --expose-gc the server does not report its heap.
      assert.deepEqual(await conn.sendRequest(ServerInfoRequest, undefined), { pid });
    }));

  it('reports its heap in use after a full collection when node exposes gc (the benchmark runs it so)', () =>
    withIpcServer(['--expose-gc'], async (conn, _init, _root, pid) => {
      const info = await conn.sendRequest(ServerInfoRequest, undefined);
      assert.equal(info.pid, pid);
      // A live server's heap: more than a megabyte, far less than a gigabyte for this small fixture.
      assert.ok(info.liveHeapBytes !== undefined && info.liveHeapBytes > 1e6 && info.liveHeapBytes < 1e9, String(info.liveHeapBytes));
    }));
});
