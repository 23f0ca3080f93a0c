/**
 * The server process when its client goes away: it ends, with the exit code of an input that ended
 * without a shutdown (1), never with a fatal error from writing to a closed connection.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { SERVER, buildServer, copyFixture, uri } from './client';

describe('language server: when the client goes away', function () {
  this.timeout(60_000);

  it('stops reading its output while the server writes: the server ends with 1, not a fatal error', async () => {
    await buildServer();
    const root = copyFixture();
    const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      let stderr = '';
      proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
      const send = (m: object) => {
        const s = JSON.stringify({ jsonrpc: '2.0', ...m });
        proc.stdin.write(`Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`);
      };
      let out = '';
      const initialized = new Promise<void>((resolve) =>
        proc.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('"id":1,')) resolve();
        }),
      );
      const rootUri = pathToFileURL(root).href;
      send({ id: 1, method: 'initialize', params: { processId: null, rootUri, capabilities: {}, workspaceFolders: [{ uri: rootUri, name: 'ws' }] } });
      await initialized;
      send({ method: 'initialized', params: {} });
      // The client stops reading: every write of the server fails from now on.
      proc.stdout.destroy();
      for (let i = 0; i < 10; i++) {
        const text = `# Phase 1 Brief\n\n[TODO: item ${i}]\n`;
        send({
          method: 'textDocument/didOpen',
          params: { textDocument: { uri: uri(root, 'audit/phase-1/00-PHASE_BRIEF.md'), languageId: 'markdown', version: i + 1, text } },
        });
        send({ id: 100 + i, method: 'phasegate/phases', params: {} });
      }
      const code = await Promise.race([exited, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 20_000))]);
      assert.equal(code, 1, `exit ${code}; stderr:\n${stderr.slice(0, 2000)}`);
      assert.doesNotMatch(stderr, /Connection is closed|ConnectionError/);
    } finally {
      if (proc.exitCode === null) proc.kill();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
