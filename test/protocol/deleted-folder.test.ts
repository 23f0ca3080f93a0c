/** A phase folder deleted on disk while documents of it are open in the editor. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  Diagnostic,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticReport,
  DocumentDiagnosticRequest,
  FileChangeType,
} from 'vscode-languageserver-protocol/node';
import { PhasesRequest } from '../../server/src/protocol';
import { fixtureServer, startOnFixture, stopOnFixture, TestClient, uri } from './client';

async function pullDiagnostics(c: TestClient, u: string): Promise<Diagnostic[]> {
  const r: DocumentDiagnosticReport = await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u } });
  return r.kind === 'full' ? r.items : [];
}

/** The audit phases the tree shows, each with the files of its documents that exist. */
async function auditPhases(c: TestClient): Promise<Record<string, string[]> | undefined> {
  const r = await c.conn.sendRequest(PhasesRequest, {});
  if (!r.folders.every((f) => f.ready)) return undefined;
  const out: Record<string, string[]> = {};
  for (const g of r.folders[0].groups) if (g.label === 'audit') for (const p of g.phases) out[p.id] = p.documents.filter((d) => d.exists).map((d) => d.file);
  return out;
}

describe('language server: a phase folder deleted while a document of it is open', function () {
  this.timeout(60_000);
  const s = fixtureServer({ pull: true });
  const BRIEF = 'audit/phase-2/00-PHASE_BRIEF.md';

  it('the phase leaves the tree with its folder; the buffer makes no folder exist (also for a new server); saved, it comes back', async () => {
    const { c, root } = s;
    const want = await c.until('indexed', () => auditPhases(s.c));
    assert.ok(want['phase-2']?.includes('00-PHASE_BRIEF.md'), JSON.stringify(want));
    const brief = await c.open(BRIEF);
    const edited = `${brief.text}\nSee [the notes](missing-notes.md).\n`;
    await c.change(brief.uri, edited);
    assert.ok(
      (await pullDiagnostics(c, brief.uri)).some((d) => d.code === 'broken-link'),
      'the editor text counts while the folder is there',
    );
    const notes = await c.open('audit/phase-2/03-FINDINGS/notes.md');
    // The folder deleted (a terminal's rm -r, the explorer's Delete): the client reports the folder alone.
    const folder = path.join(root, 'audit/phase-2');
    fs.rmSync(folder, { recursive: true });
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(folder).href, type: FileChangeType.Deleted }] });
    const gone = await c.until('phase-2 gone from the tree', async () => {
      const t = await auditPhases(c);
      return t && !('phase-2' in t) ? t : undefined;
    });
    assert.deepEqual(Object.keys(gone), ['phase-1']);
    // Its open documents are no phase's documents now: nothing reported on them.
    assert.deepEqual(await pullDiagnostics(c, brief.uri), []);
    assert.deepEqual(await pullDiagnostics(c, notes.uri), []);
    // Typing in the buffer brings no folder back.
    await c.change(brief.uri, `${edited}\nMore.\n`);
    await pullDiagnostics(c, brief.uri);
    assert.deepEqual(Object.keys((await auditPhases(c))!), ['phase-1']);
    // A new server (a window reload) that the editor gives the same buffer: no phase-2 either.
    const fresh = await TestClient.start(root, { pull: true, settings: c.settings });
    try {
      await fresh.conn.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri: brief.uri, languageId: 'markdown', version: 1, text: `${edited}\nMore.\n` },
      });
      assert.deepEqual(Object.keys(await fresh.until('the fresh server indexed', () => auditPhases(fresh))), ['phase-1']);
      assert.deepEqual(await pullDiagnostics(fresh, brief.uri), []);
    } finally {
      await fresh.stop();
    }
    // Saved: the editor writes the file, and its folder, back.
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(root, BRIEF), `${edited}\nMore.\n`);
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [
        { uri: pathToFileURL(folder).href, type: FileChangeType.Created },
        { uri: uri(root, BRIEF), type: FileChangeType.Created },
      ],
    });
    const back = await c.until('phase-2 back', async () => {
      const t = await auditPhases(c);
      return t && 'phase-2' in t ? t : undefined;
    });
    assert.deepEqual(back['phase-2'], ['00-PHASE_BRIEF.md']);
    assert.ok(
      (await pullDiagnostics(c, brief.uri)).some((d) => d.code === 'broken-link'),
      'the editor text counts again',
    );
  });

  it("a document deleted alone, its folder there, stays its phase's document while the editor holds it (as a new one not saved yet)", async () => {
    const { c, root } = s;
    const rel = 'audit/phase-1/05-DECISIONS.md';
    const doc = await c.open(rel);
    fs.rmSync(path.join(root, rel));
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: doc.uri, type: FileChangeType.Deleted }] });
    await pullDiagnostics(c, doc.uri);
    assert.ok((await auditPhases(c))!['phase-1'].includes('05-DECISIONS.md'));
    // Closed unsaved, it goes.
    await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: doc.uri } });
    await c.until('05-DECISIONS.md gone', async () => ((await auditPhases(c))!['phase-1'].includes('05-DECISIONS.md') ? undefined : true));
  });
});

describe('language server: the problems of an open document go when its phase folder is deleted', function () {
  this.timeout(60_000);
  const INPUT = 'audit/phase-2/01-INPUT_HANDOFF.md';

  /** Starts an editor, opens phase 2's input handoff (it has a problem), deletes phase 2's folder and reports it. */
  async function deleteOpenPhase(pull: boolean): Promise<{ c: TestClient; root: string; u: string; refreshes: number }> {
    const { c, root } = await startOnFixture({ pull });
    await c.waitFor('the folder indexed', () => c.logs.some((l) => l.startsWith(`Indexed ${root}`)));
    const doc = await c.open(INPUT);
    if (pull) assert.ok((await pullDiagnostics(c, doc.uri)).length > 0, 'phase 2 has a problem to lose');
    else await c.waitFor('its problems published', () => c.publishes(doc.uri).some((p) => p.diagnostics.length > 0));
    const refreshes = c.count('refresh');
    const folder = path.join(root, 'audit/phase-2');
    fs.rmSync(folder, { recursive: true });
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(folder).href, type: FileChangeType.Deleted }] });
    return { c, root, u: doc.uri, refreshes };
  }

  it('a client that pulls is asked to pull again, and gets none', async () => {
    const { c, root, u, refreshes } = await deleteOpenPhase(true);
    try {
      await c.waitFor('a diagnostic refresh', () => c.count('refresh') > refreshes);
      assert.deepEqual(await pullDiagnostics(c, u), []);
    } finally {
      assert.deepEqual(await stopOnFixture(c, root), []);
    }
  });

  it("a finding open when its phase's findings folder is deleted (the phase stays): none either, as check no longer sees it", async () => {
    const { c, root } = await startOnFixture({ pull: true });
    try {
      await c.waitFor('the folder indexed', () => c.logs.some((l) => l.startsWith(`Indexed ${root}`)));
      const finding = await c.open('audit/phase-1/03-FINDINGS/report.md');
      await c.change(finding.uri, `${finding.text}\nSee [the notes](missing-notes.md).\n`);
      assert.ok((await pullDiagnostics(c, finding.uri)).some((d) => d.code === 'broken-link'));
      const refreshes = c.count('refresh');
      const folder = path.join(root, 'audit/phase-1/03-FINDINGS');
      fs.rmSync(folder, { recursive: true });
      await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(folder).href, type: FileChangeType.Deleted }] });
      await c.waitFor('a diagnostic refresh', () => c.count('refresh') > refreshes);
      assert.deepEqual(await pullDiagnostics(c, finding.uri), []);
    } finally {
      assert.deepEqual(await stopOnFixture(c, root), []);
    }
  });

  it('a client that does not pull (Neovim) gets an empty publish without an edit', async () => {
    const { c, root, u } = await deleteOpenPhase(false);
    try {
      await c.waitFor('an empty publish', () => {
        const p = c.publishes(u);
        return p.length > 0 && p[p.length - 1].diagnostics.length === 0;
      });
    } finally {
      assert.deepEqual(await stopOnFixture(c, root), []);
    }
  });
});
