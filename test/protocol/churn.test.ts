/**
 * Workspace churn as an editor session produces it: a config file reloaded while requests run, a branch
 * switch (many files and phase folders at once, some of their documents open), changes during the first
 * index, cancellation, and a long session of open/edit/close cycles.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeActionRequest,
  Diagnostic,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReport,
  DocumentDiagnosticRequest,
  DocumentSymbol,
  DocumentSymbolRequest,
  FileChangeType,
} from 'vscode-languageserver-protocol/node';
import { buildServer, copyFixture, stopOnFixture, TestClient, uri } from './client';

const BRIEF = 'audit/phase-1/00-PHASE_BRIEF.md';
const MISSING = 'missing-notes-7f3a.md';

/** Adds phases 3..n to the fixture's audit layout (copies of phase 2): a workspace whose reload takes a while. */
function addPhases(root: string, n: number): void {
  const src = path.join(root, 'audit', 'phase-2');
  for (let i = 3; i <= n; i++) fs.cpSync(src, path.join(root, 'audit', `phase-${i}`), { recursive: true });
}

async function pull(c: TestClient, u: string): Promise<Diagnostic[]> {
  const r: DocumentDiagnosticReport = await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u } });
  return r.kind === 'full' ? r.items : [];
}

const brokenMissing = (ds: readonly Diagnostic[]) => ds.some((d) => d.code === 'broken-link' && String(d.message).includes(MISSING));

describe('language server: a config file reloaded while requests run (pull)', function () {
  this.timeout(120_000);
  let root: string;
  let c: TestClient;
  before(async () => {
    await buildServer();
    root = copyFixture();
    addPhases(root, 150);
    fs.writeFileSync(path.join(root, 'phasegate.yaml'), 'rules:\n  section-order: warning\n');
    c = await TestClient.start(root, { pull: true });
  });
  after(async () => {
    const errors = await stopOnFixture(c, root);
    if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
  });

  it('every answer during the reload comes from the editor text of the open document', async () => {
    const brief = await c.open(BRIEF);
    // The editor's text links a file that does not exist; the disk's does not.
    const edited = brief.text.replace('## Objectives', `## Objectives\n\nSee [the notes](${MISSING}).`);
    await c.change(brief.uri, edited);
    assert.ok(brokenMissing(await pull(c, brief.uri)), 'the edited text counts');
    const configs = [
      'rules: [unclosed\n',
      'rules:\n  section-order: warning\nlayouts:\n  - name: sprint\n    phases: "sprints/*"\n    documents:\n      - kind: brief\n        file: BRIEF.md\n',
      'rules:\n  section-order: warning\n',
    ];
    const wrong: string[] = [];
    for (const config of configs) {
      fs.writeFileSync(path.join(root, 'phasegate.yaml'), config);
      const refreshes = c.count('refresh');
      await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(root, 'phasegate.yaml'), type: FileChangeType.Changed }] });
      // Ask again and again while the server takes the event, until it asked the client to pull again (the
      // reload is done) and a few rounds after.
      const deadline = Date.now() + 20_000;
      let after = 3;
      while (after > 0 && Date.now() < deadline) {
        if (c.count('refresh') > refreshes) after--;
        const [d1, d2, symbols] = await Promise.all([
          pull(c, brief.uri),
          pull(c, brief.uri),
          c.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: brief.uri } }) as Promise<DocumentSymbol[] | null>,
        ]);
        if (!brokenMissing(d1) || !brokenMissing(d2)) wrong.push(`diagnostics without the editor's link (config ${JSON.stringify(config)})`);
        // The editor's text has the same headings; an answer without any is one from a document the engine lost.
        if (!symbols?.length) wrong.push(`no symbols (config ${JSON.stringify(config)})`);
      }
      assert.ok(after === 0, 'the reload ended with a refresh');
      assert.ok(brokenMissing(await pull(c, brief.uri)), `after the reload (config ${JSON.stringify(config)})`);
    }
    assert.deepEqual(wrong, []);
    // A quick fix computed now edits the editor's text (its link), not the disk's.
    const ds = await pull(c, brief.uri);
    const link = ds.find((d) => d.code === 'broken-link' && String(d.message).includes(MISSING))!;
    const actions = await c.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: brief.uri }, range: link.range, context: { diagnostics: [link] } });
    assert.ok(Array.isArray(actions));
  });
});
