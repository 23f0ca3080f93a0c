import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentDiagnosticRequest, WorkspaceDiagnosticRequest } from 'vscode-languageserver-protocol/node';
import { pathToUri, uriToPath } from '../../server/src/lsp/uri';
import { isInside, joinPath, normalizePath, relativePath } from '../../server/src/service/host';
import { buildServer, copyFixture, stopOnFixture, TestClient, uri } from './client';

describe('language server: file URIs <-> engine paths', () => {
  it('round-trips POSIX paths with spaces and non-ASCII names', () => {
    const p = '/home/me/My Project/phase-1/06-OUTPUT_HANDOFF.md';
    assert.equal(pathToUri(p), 'file:///home/me/My%20Project/phase-1/06-OUTPUT_HANDOFF.md');
    assert.equal(uriToPath(pathToUri(p)), p);
    assert.equal(uriToPath(pathToUri('/ws/Décisions #1.md')), '/ws/Décisions #1.md');
  });

  it("percent-encodes ! ' ( ) * as VS Code does, upper-case hex", () => {
    assert.equal(pathToUri("/ws/report (draft)!*'.md"), 'file:///ws/report%20%28draft%29%21%2A%27.md');
    assert.equal(pathToUri('/ws/a-b_c.d~e/x@y+z,w;v=u$.md'), 'file:///ws/a-b_c.d~e/x%40y%2Bz%2Cw%3Bv%3Du%24.md');
    assert.equal(uriToPath(pathToUri("/ws/report (draft)!*'.md")), "/ws/report (draft)!*'.md");
  });

  it('reads VS Code Windows URIs (encoded drive colon) and writes them the same way', () => {
    assert.equal(uriToPath('file:///c%3A/Users/me/ws/phase-1/00-PHASE_BRIEF.md'), 'c:/Users/me/ws/phase-1/00-PHASE_BRIEF.md');
    assert.equal(uriToPath('file:///C:/ws/a.md'), 'c:/ws/a.md');
    assert.equal(pathToUri('C:/ws/a b.md'), 'file:///c%3A/ws/a%20b.md');
    assert.equal(pathToUri('c:\\ws\\a.md'), 'file:///c%3A/ws/a.md');
  });

  it('round-trips UNC workspace folders (file://server/share): the host stays in the authority', () => {
    const folder = 'file://server/share/ws';
    assert.equal(uriToPath(folder), '//server/share/ws');
    assert.equal(pathToUri(uriToPath(folder)!), folder);
    const doc = 'file://server/share/My%20ws/phase-1/00-PHASE_BRIEF.md';
    assert.equal(pathToUri(uriToPath(doc)!), doc);
    // Windows spells the same folder with backslashes; VS Code writes the host in lower case.
    assert.equal(pathToUri('\\\\Server\\share\\ws\\a.md'), 'file://server/share/ws/a.md');
    // The engine's paths keep the UNC prefix through normalising, joining and comparing.
    const root = uriToPath(folder)!;
    assert.equal(normalizePath('//server/share/ws/./phase-1/../phase-2/'), '//server/share/ws/phase-2');
    assert.equal(joinPath(root, 'phase-1', '06-OUTPUT_HANDOFF.md'), '//server/share/ws/phase-1/06-OUTPUT_HANDOFF.md');
    assert.equal(joinPath(root, '../ws/phase-1'), '//server/share/ws/phase-1');
    assert.equal(pathToUri(joinPath(root, 'phase-1')), 'file://server/share/ws/phase-1');
    assert.ok(isInside(root, joinPath(root, 'phase-1')));
    assert.equal(relativePath(root, joinPath(root, 'phase-1/a.md')), 'phase-1/a.md');
    // A path that merely starts with three slashes is no UNC path.
    assert.equal(normalizePath('///ws/a.md'), '/ws/a.md');
  });

  it('ignores queries and fragments; other schemes have no path', () => {
    assert.equal(uriToPath('file://localhost/ws/a.md'), '/ws/a.md');
    assert.equal(uriToPath('file:///ws/a.md#L3'), '/ws/a.md');
    assert.equal(uriToPath('untitled:Untitled-1'), undefined);
    assert.equal(uriToPath('vscode-notebook-cell:/ws/a.ipynb'), undefined);
  });
});

describe('language server: workspace diagnostics of a file whose URI two clients spell differently', function () {
  this.timeout(60_000);
  const FINDING = 'audit/phase-1/03-FINDINGS/report (draft).md';
  let root: string;
  let c: TestClient;

  before(async () => {
    await buildServer();
    root = copyFixture();
    fs.writeFileSync(path.join(root, FINDING), '---\nstatus: nonsense\n---\n# Finding\n\ntext\n');
    c = await TestClient.start(root, { pull: true });
  });
  after(async () => {
    const errors = await stopOnFixture(c, root);
    if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
  });

  it('names the file as VS Code does, and keeps its problems when the client sends its id back under another spelling', async () => {
    await c.waitFor('progress end', () => c.events.some((e) => e.kind === 'progress' && (e.params as { value: { kind: string } }).value.kind === 'end'));
    const file = path.join(root, FINDING);
    const first = await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    const report = first.items.find((i) => uriToPath(i.uri) === file);
    // VS Code's Uri.toString() spelling: `(` and `)` encoded.
    assert.equal(report?.uri, uri(root, 'audit/phase-1/03-FINDINGS/') + 'report%20%28draft%29.md');
    assert.ok(report.kind === 'full' && report.items.length > 0, JSON.stringify(report));

    // A client that spells it `report%20(draft).md` (encodeURIComponent) sends the ids back so.
    const other = uri(root, 'audit/phase-1/03-FINDINGS/') + 'report%20(draft).md';
    const previousResultIds = first.items.map((i) => ({ uri: i.uri === report.uri ? other : i.uri, value: i.resultId! }));
    const next = c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds });
    await c.open('audit/phase-2/00-PHASE_BRIEF.md');
    const r = await next;
    const mine = r.items.filter((i) => uriToPath(i.uri) === file);
    // One answer for the file, under the client's spelling, unchanged: no empty report clears its problems.
    assert.deepEqual(mine, [{ kind: 'unchanged', uri: other, version: null, resultId: report.resultId }]);
  });

  it('keeps the editor text of a file open under two spellings when one of them closes', async () => {
    const dir = uri(root, 'audit/phase-1/03-FINDINGS/');
    const vscodeUri = dir + 'report%20%28draft%29.md';
    const otherUri = dir + 'report%20(draft).md';
    const disk = fs.readFileSync(path.join(root, FINDING), 'utf8');
    const edited = '---\nstatus: draft\n---\n# Finding\n\nThe edited text.\n';
    const pull = async (u: string) => {
      const r = await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u } });
      assert.equal(r.kind, 'full');
      return (r as { items: { code?: unknown; message: string }[] }).items.map((d) => `${String(d.code)}: ${d.message}`).sort();
    };
    const open = (u: string, text: string) =>
      c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'markdown', version: 1, text } });
    /**
     * Closes the server's spelling while the other is open: the engine checks the other's text (its diagnostics
     * `want`), not the file on disk, and the workspace report leaves the file out, as any open document (its own
     * pull reports it). Then closes the other.
     */
    const closeLeaving = async (want: string[]) => {
      await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: vscodeUri } });
      assert.deepEqual(await pull(otherUri), want);
      const ws = await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
      assert.deepEqual(
        ws.items.filter((i) => uriToPath(i.uri) === path.join(root, FINDING)),
        [],
      );
      await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: otherUri } });
    };
    await open(vscodeUri, disk);
    const onDisk = await pull(vscodeUri);
    // The second spelling opens with unsaved text: the engine reads that one now.
    await open(otherUri, edited);
    const whileBoth = await pull(otherUri);
    assert.notDeepEqual(whileBoth, onDisk, 'the edited text must be diagnosed otherwise than the file on disk');
    await closeLeaving(whileBoth);

    // The other way round: the spelling opened last (the server's own) closes first.
    await open(otherUri, edited);
    await open(vscodeUri, disk);
    assert.deepEqual(await pull(vscodeUri), onDisk);
    await closeLeaving(whileBoth);
  });
});
