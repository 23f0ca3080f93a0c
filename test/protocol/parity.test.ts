/**
 * CI parity: the language server's workspace diagnostics are what `phasegate check --format json` reports
 * on the same folder: file, rule, range, severity and message, also on a phase folder without a document
 * and on what the scan could not read (a link loop).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WorkspaceDiagnosticRequest } from 'vscode-languageserver-protocol/node';
import { REPO, TestClient, buildServer, copyFixture } from './client';
import { uriToPath } from '../../server/src/lsp/uri';

const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];

describe('language server: workspace diagnostics equal to phasegate check', function () {
  this.timeout(60_000);
  let root: string;
  let c: TestClient | undefined;

  before(async () => {
    await buildServer();
    root = copyFixture();
    // A phase folder without a document, and a file the scan cannot read (a symbolic link to itself).
    fs.mkdirSync(path.join(root, 'audit', 'phase-3'));
    fs.symlinkSync('loop.md', path.join(root, 'audit', 'phase-1', 'loop.md'));
  });
  after(async () => {
    await c?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reports what check reports, on every path it names', async () => {
    let cli: { diagnostics: { file: string; range: unknown; severity: string; code: string; message: string }[] };
    try {
      execFileSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'check', '--format', 'json', '.'], { cwd: root, encoding: 'utf8' });
      assert.fail('check exits 1 on the fixture');
    } catch (e) {
      cli = JSON.parse((e as { stdout: string }).stdout) as typeof cli;
    }
    const key = (d: { file: string; range: unknown; severity: string; code: string; message: string }) =>
      JSON.stringify([d.file, d.range, d.severity, d.code, d.message]);
    const expected = cli.diagnostics.map(key).sort();
    assert.ok(
      cli.diagnostics.some((d) => d.file === 'audit/phase-3' && d.code === 'missing-document'),
      'check reports the empty phase folder',
    );
    assert.ok(
      cli.diagnostics.some((d) => d.file === 'audit/phase-1/loop.md' && d.code === 'unreadable-file'),
      'check reports the link loop',
    );

    c = await TestClient.start(root, { pull: true });
    await c.waitFor('progress end', () => c!.events.some((e) => e.kind === 'progress' && (e.params as { value: { kind: string } }).value.kind === 'end'));
    const report = await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    const actual = report.items
      .flatMap((it) =>
        it.kind === 'full'
          ? it.items.map((d) =>
              key({
                file: path
                  .relative(root, uriToPath(it.uri) ?? it.uri)
                  .split(path.sep)
                  .join('/'),
                range: d.range,
                severity: SEVERITY[d.severity ?? 1],
                code: String(d.code),
                message: typeof d.message === 'string' ? d.message : d.message.value,
              }),
            )
          : [],
      )
      .sort();
    assert.deepEqual(actual, expected);
  });
});
