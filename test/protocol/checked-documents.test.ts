/**
 * Which open documents get problems and fixes: the files the workspace checks (as `check` and the
 * workspace diagnostics report them), not any Markdown the editor opens.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeAction,
  CodeActionRequest,
  Diagnostic,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticReport,
  DocumentDiagnosticRequest,
} from 'vscode-languageserver-protocol/node';
import { buildServer, copyFixture, stopOnFixture, TestClient, uri } from './client';

const NOTES = '# Notes\n\nSee [x](nope.md) and [Location] TBD.\n';

describe('language server: only checked documents get problems and fixes', function () {
  this.timeout(60_000);
  let root: string;
  let c: TestClient;

  before(async () => {
    await buildServer();
    root = copyFixture();
    const files: Record<string, string> = {
      'phasegate.yaml': 'ignore: ["drafts/**"]\n',
      'README.md': NOTES,
      'drafts/phase-9/00-PHASE_BRIEF.md': NOTES,
      'node_modules/pkg/README.md': NOTES,
      '.notes/phase-3/00-PHASE_BRIEF.md': NOTES,
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    c = await TestClient.start(root, { pull: true });
  });
  after(async () => {
    assert.deepEqual(await stopOnFixture(c, root), [], 'the server logged no errors');
  });

  async function pull(u: string): Promise<Diagnostic[]> {
    const r: DocumentDiagnosticReport = await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u } });
    return r.kind === 'full' ? r.items : [];
  }
  async function actions(u: string, only?: string[]): Promise<CodeAction[]> {
    const all = { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } };
    return (await c.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: u }, range: all, context: { diagnostics: [], only } })) as CodeAction[];
  }

  for (const rel of ['README.md', 'drafts/phase-9/00-PHASE_BRIEF.md', 'node_modules/pkg/README.md', '.notes/phase-3/00-PHASE_BRIEF.md']) {
    it(`${rel}: no problems, no fixes, although its text has some`, async () => {
      const { uri: u } = await c.open(rel);
      assert.deepEqual(await pull(u), []);
      assert.deepEqual(await actions(u), []);
      assert.deepEqual(await actions(u, ['source.fixAll']), []);
    });
  }

  it("the config file's problems, in the client's units when its text has a byte order mark", async () => {
    const { uri: u, text } = await c.open('phasegate.yaml');
    const ranges = async (t: string) => {
      await c.change(u, t);
      return (await pull(u)).map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]);
    };
    const without = await ranges('bogus: 1\n' + text);
    assert.ok(without.length && without.every((r) => r[1] === 0), JSON.stringify(without));
    assert.deepEqual(
      await ranges('\uFEFFbogus: 1\n' + text),
      without.map(([code, line, start, end]) => [code, line, (start as number) + 1, (end as number) + 1]),
    );
    await c.change(u, text);
  });

  it('a checked phase document still gets them, and so does a new unsaved one in a phase folder', async () => {
    const { uri: brief } = await c.open('audit/phase-2/00-PHASE_BRIEF.md');
    assert.ok(
      (await pull(brief)).some((d) => d.code === 'missing-section'),
      'the brief misses a section',
    );
    const u = uri(root, 'audit/phase-2/07-VALIDATION.md');
    await c.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: 'markdown', version: 1, text: NOTES } });
    const diags = await pull(u);
    assert.ok(
      diags.some((d) => d.code === 'broken-link'),
      diags.map((d) => d.code).join(', '),
    );
    assert.ok((await actions(u)).length > 0, 'fixes are offered');
  });
});
