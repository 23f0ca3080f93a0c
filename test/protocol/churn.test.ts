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
  DidOpenTextDocumentNotification,
  FileChangeType,
  WorkspaceDiagnosticRequest,
} from 'vscode-languageserver-protocol/node';
import { pathToFileURL } from 'node:url';
import { PhasesRequest } from '../../server/src/protocol';
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

/** The phase tree without what names the answer (its id and version). */
async function tree(c: TestClient): Promise<unknown> {
  const r = await c.conn.sendRequest(PhasesRequest, {});
  return r.folders;
}

/** The workspace report as file → diagnostics (full reports; the open documents are not in it). */
async function workspaceReport(c: TestClient): Promise<Record<string, unknown>> {
  const r = await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
  const out: Record<string, unknown> = {};
  for (const i of r.items) if (i.kind === 'full') out[i.uri] = i.items;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Opens a document with the text given (whether or not the file is on disk). */
async function openText(c: TestClient, u: string, text: string): Promise<void> {
  await c.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: 'markdown', version: 1, text } });
}

/** Every file and folder under `dir`, deepest first (the order a checkout deletes them in). */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    out.push(p);
  }
  return out;
}

const fileUri = (p: string) => pathToFileURL(p).href;

/**
 * Compares a server that took a session's changes with a fresh one on the final state (the same open
 * documents with the same text): the phase tree, the workspace report and each open document's pull.
 */
async function sameAsFresh(c: TestClient, root: string, open: Map<string, string>): Promise<void> {
  const fresh = await TestClient.start(root, { pull: true, settings: c.settings });
  try {
    for (const [u, text] of open) await openText(fresh, u, text);
    const want = await fresh.until(
      'the fresh server indexed',
      async () => {
        const t = (await tree(fresh)) as { ready: boolean }[];
        return t.every((f) => f.ready) && t;
      },
      60_000,
    );
    const wantReport = await workspaceReport(fresh);
    const wantPulls = await Promise.all([...open.keys()].map((u) => pull(fresh, u)));
    // The session's server may still be applying the last events: it must come to the same answers.
    let last: unknown;
    await c
      .until(
        'the same phase tree as a fresh server',
        async () => {
          last = await tree(c);
          return JSON.stringify(last) === JSON.stringify(want);
        },
        30_000,
      )
      .catch(() => assert.deepEqual(last, want));
    assert.deepEqual(await workspaceReport(c), wantReport);
    assert.deepEqual(await Promise.all([...open.keys()].map((u) => pull(c, u))), wantPulls);
  } finally {
    const errors = await stopOnFixture(fresh, undefined);
    assert.deepEqual(errors, []);
  }
}

describe('language server: a branch switch (pull)', function () {
  this.timeout(240_000);
  let root: string;
  let c: TestClient;
  before(async () => {
    await buildServer();
    root = copyFixture();
    addPhases(root, 120);
    c = await TestClient.start(root, { pull: true });
    await c.until('indexed', async () => ((await tree(c)) as { ready: boolean }[]).every((f) => f.ready), 60_000);
  });
  after(async () => {
    const errors = await stopOnFixture(c, root);
    if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
  });

  it('hundreds of files in one batch and in quick batches, phase folders gone under open documents', async () => {
    const open = new Map<string, string>();
    // Open documents in folders the switch deletes and renames; their editor text differs from the disk's.
    for (const rel of [
      'audit/phase-5/00-PHASE_BRIEF.md',
      'audit/phase-7/01-INPUT_HANDOFF.md',
      'audit/phase-60/05-DECISIONS.md',
      'audit/phase-2/00-PHASE_BRIEF.md',
    ]) {
      const u = uri(root, rel);
      const text = fs.readFileSync(path.join(root, rel), 'utf8').replace(/\n## /, `\nSee [the notes](${MISSING}).\n\n## `);
      await openText(c, u, text);
      open.set(u, text);
    }
    const events: { uri: string; type: FileChangeType }[] = [];
    const audit = path.join(root, 'audit');
    // Phases 50..120 deleted (files first, as a checkout does, then their folders).
    for (let i = 50; i <= 120; i++) {
      const dir = path.join(audit, `phase-${i}`);
      const gone = walk(dir);
      fs.rmSync(dir, { recursive: true });
      for (const p of [...gone, dir]) events.push({ uri: fileUri(p), type: FileChangeType.Deleted });
    }
    // Phase 5 deleted (a document of it open), phase 7 renamed away (a document of it open).
    for (const [from, to] of [
      ['phase-5', undefined],
      ['phase-7', 'old-phase-7'],
    ] as const) {
      const dir = path.join(audit, from);
      const gone = walk(dir);
      if (to) fs.renameSync(dir, path.join(root, to));
      else fs.rmSync(dir, { recursive: true });
      for (const p of gone) events.push({ uri: fileUri(p), type: FileChangeType.Deleted });
      events.push({ uri: fileUri(dir), type: FileChangeType.Deleted });
      if (to) for (const p of [path.join(root, to), ...walk(path.join(root, to))]) events.push({ uri: fileUri(p), type: FileChangeType.Created });
    }
    // Phases 121..140 created, and every brief left changed.
    for (let i = 121; i <= 140; i++) {
      const dir = path.join(audit, `phase-${i}`);
      fs.cpSync(path.join(audit, 'phase-2'), dir, { recursive: true });
      events.push({ uri: fileUri(dir), type: FileChangeType.Created });
      for (const p of walk(dir)) events.push({ uri: fileUri(p), type: FileChangeType.Created });
    }
    for (let i = 3; i < 50; i++) {
      const p = path.join(audit, `phase-${i}`, '00-PHASE_BRIEF.md');
      if (!fs.existsSync(p)) continue;
      fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('## Objectives', '## Objectives\n\n- One more objective.'));
      events.push({ uri: fileUri(p), type: FileChangeType.Changed });
    }
    assert.ok(events.length > 500, String(events.length));
    // Half in one batch, the rest in quick batches of 40, with requests among them.
    const half = Math.floor(events.length / 2);
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: events.slice(0, half) });
    const asked: Promise<unknown>[] = [];
    for (let i = half; i < events.length; i += 40) {
      await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: events.slice(i, i + 40) });
      asked.push(tree(c), ...[...open.keys()].map((u) => pull(c, u)));
    }
    await Promise.all(asked);
    // The open documents keep their text: their diagnostics come from it.
    for (const u of open.keys()) assert.ok(brokenMissing(await pull(c, u)), `the editor's text of ${u}`);
    await sameAsFresh(c, root, open);
  });
});
