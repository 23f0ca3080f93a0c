/**
 * Workspace churn as an editor session produces it: a config file reloaded while requests run, a branch
 * switch (many files and phase folders at once, some of their documents open), changes during the first
 * index, cancellation, and a long session of open/edit/close cycles.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CancellationToken,
  CancellationTokenSource,
  CodeActionRequest,
  CompletionRequest,
  ConfigurationRequest,
  HoverRequest,
  LSPErrorCodes,
  Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReport,
  DocumentDiagnosticRequest,
  DocumentSymbol,
  DocumentSymbolRequest,
  ExitNotification,
  ShutdownRequest,
  DidOpenTextDocumentNotification,
  FileChangeType,
  FileEvent,
  WorkspaceDiagnosticRequest,
} from 'vscode-languageserver-protocol/node';
import { pathToFileURL } from 'node:url';
import { PhasesRequest, ServerInfoRequest } from '../../server/src/protocol';
import { buildServer, ClientOptions, copyFixture, stopOnFixture, TestClient, uri } from './client';

const BRIEF = 'audit/phase-1/00-PHASE_BRIEF.md';
const MISSING = 'missing-notes-7f3a.md';

/** Adds phases 3..n to the fixture's audit layout (copies of phase 2): a workspace whose reload takes a while. */
function addPhases(root: string, n: number): void {
  const src = path.join(root, 'audit', 'phase-2');
  for (let i = 3; i <= n; i++) fs.cpSync(src, path.join(root, 'audit', `phase-${i}`), { recursive: true });
}

/** Waits until every folder of the phase tree is ready (indexed). */
const treeReady = (c: TestClient) => c.until('indexed', async () => ((await tree(c)) as { ready: boolean }[]).every((f) => f.ready), 60_000);

/**
 * A server on the fixture with phases up to `n` (and what `prepare` writes), for the tests of a describe
 * block: started before them (and, unless `wait` is false, indexed), stopped after them, failing on any
 * error it logged.
 */
function serverOn(n: number, opts: ClientOptions, prepare?: (root: string) => void, wait = true): { root: string; c: TestClient } {
  const s = {} as { root: string; c: TestClient };
  before(async () => {
    await buildServer();
    s.root = copyFixture();
    addPhases(s.root, n);
    prepare?.(s.root);
    s.c = await TestClient.start(s.root, opts);
    if (wait) await treeReady(s.c);
  });
  after(async () => {
    const errors = await stopOnFixture(s.c, s.root);
    if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
  });
  return s;
}

async function pull(c: TestClient, u: string): Promise<Diagnostic[]> {
  const r: DocumentDiagnosticReport = await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u } });
  return r.kind === 'full' ? r.items : [];
}

const brokenMissing = (ds: readonly Diagnostic[]) => ds.some((d) => d.code === 'broken-link' && String(d.message).includes(MISSING));

describe('language server: a config file reloaded while requests run (pull)', function () {
  this.timeout(120_000);
  const s = serverOn(150, { pull: true }, (r) => fs.writeFileSync(path.join(r, 'phasegate.yaml'), 'rules:\n  section-order: warning\n'), false);

  it('every answer during the reload comes from the editor text of the open document', async () => {
    const { c, root } = s;
    const brief = await c.open(BRIEF);
    // The editor's text links a file that does not exist, and another phase; the disk's does neither.
    const edited = brief.text.replace('## Objectives', `## Objectives\n\nSee [the notes](${MISSING}) and [the third phase](../phase-3/).`);
    await c.change(brief.uri, edited);
    assert.ok(brokenMissing(await pull(c, brief.uri)), 'the edited text counts');
    const phasesBefore = phaseCount(await tree(c));
    assert.ok(phasesBefore >= 150, String(phasesBefore));
    const line = edited.split('\n').findIndex((l) => l.includes(MISSING));
    const linkAt = { line, character: edited.split('\n')[line].indexOf('the third phase') + 2 };
    const hovered = (h: unknown) => JSON.stringify(h ?? '').includes('phase-3');
    assert.ok(hovered(await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: brief.uri }, position: linkAt })), 'a hover on the link');
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
        const [d1, d2, symbols, phases, hover] = await Promise.all([
          pull(c, brief.uri),
          pull(c, brief.uri),
          c.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: brief.uri } }) as Promise<DocumentSymbol[] | null>,
          tree(c),
          c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: brief.uri }, position: linkAt }),
        ]);
        if (!brokenMissing(d1) || !brokenMissing(d2)) wrong.push(`diagnostics without the editor's link (config ${JSON.stringify(config)})`);
        // The editor's text has the same headings; an answer without any is one from a document the engine lost.
        if (!symbols?.length) wrong.push(`no symbols (config ${JSON.stringify(config)})`);
        if (phaseCount(phases) !== phasesBefore) wrong.push(`${phaseCount(phases)} phases in the tree (config ${JSON.stringify(config)})`);
        // The hover on the editor's link to phase 3 sums that phase up (the disk's text has other text there).
        if (!hovered(hover)) wrong.push(`a hover without the link (config ${JSON.stringify(config)})`);
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

/** How many phases a phase tree shows. */
function phaseCount(folders: unknown): number {
  return (folders as { groups: { phases: unknown[] }[] }[]).reduce((n, f) => n + f.groups.reduce((m, g) => m + g.phases.length, 0), 0);
}

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
        // Every phase checked too (the first trees list the phases not checked yet as `checking`).
        return t.every((f) => f.ready) && !JSON.stringify(t).includes('"status":"checking"') && t;
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
  const s = serverOn(120, { pull: true });

  it('hundreds of files in one batch and in quick batches, phase folders gone under open documents', async () => {
    const { c, root } = s;
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
    // The open document whose folder stays keeps its text: its diagnostics come from it. Those whose folders went
    // went with them (the editor's buffer makes no folder exist): no phase's documents, nothing reported on them.
    for (const u of open.keys()) {
      if (u.includes('/audit/phase-2/')) assert.ok(brokenMissing(await pull(c, u)), `the editor's text of ${u}`);
      else assert.deepEqual(await pull(c, u), [], `${u} went with its folder`);
    }
    const ids = (await c.conn.sendRequest(PhasesRequest, {})).folders.flatMap((f) => f.groups.flatMap((g) => g.phases.map((p) => p.id)));
    for (const gone of ['phase-5', 'phase-7', 'phase-60']) assert.ok(!ids.includes(gone), `${gone} is not in the tree`);
    await sameAsFresh(c, root, open);
    // Closed, the documents whose folders went leave the workspace with them.
    for (const u of open.keys()) await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
    await sameAsFresh(c, root, new Map());
  });

  it('a request right after file events is answered after them, not from the state before (the batch still gathering)', async () => {
    const { c, root } = s;
    const audit = path.join(root, 'audit');
    const before = phaseCount(await tree(c));
    for (let round = 0; round < 5; round++) {
      const dirs = [0, 1, 2].map((i) => path.join(audit, `phase-${900 + i}`));
      for (const dir of dirs) fs.cpSync(path.join(audit, 'phase-2'), dir, { recursive: true });
      await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, {
        changes: dirs.map((d): FileEvent => ({ uri: fileUri(d), type: FileChangeType.Created })),
      });
      assert.equal(phaseCount(await tree(c)), before + 3, `round ${round}: created`);
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
      await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, {
        changes: dirs.map((d): FileEvent => ({ uri: fileUri(d), type: FileChangeType.Deleted })),
      });
      assert.equal(phaseCount(await tree(c)), before, `round ${round}: deleted`);
    }
  });

  it('switching away and back in quick batches, folders reported without their files', async () => {
    const { c, root } = s;
    const open = new Map<string, string>();
    const u = uri(root, 'audit/phase-12/00-PHASE_BRIEF.md');
    const text = fs
      .readFileSync(path.join(root, 'audit/phase-12/00-PHASE_BRIEF.md'), 'utf8')
      .replace('## Objectives', `## Objectives\n\nSee [the notes](${MISSING}).`);
    await openText(c, u, text);
    open.set(u, text);
    const audit = path.join(root, 'audit');
    for (let round = 0; round < 3; round++) {
      const gone: FileEvent[] = [];
      const back: FileEvent[] = [];
      for (let i = 10; i <= 30; i++) {
        const dir = path.join(audit, `phase-${i}`);
        fs.rmSync(dir, { recursive: true, force: true });
        gone.push({ uri: fileUri(dir), type: FileChangeType.Deleted });
      }
      await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: gone });
      for (let i = 10; i <= 30; i++) {
        const dir = path.join(audit, `phase-${i}`);
        fs.cpSync(path.join(audit, 'phase-2'), dir, { recursive: true });
        // The back-and-forth leaves the briefs changed.
        const brief = path.join(dir, '00-PHASE_BRIEF.md');
        fs.writeFileSync(brief, fs.readFileSync(brief, 'utf8').replace('## Objectives', `## Objectives\n\n- Round ${round}.`));
        back.push({ uri: fileUri(dir), type: FileChangeType.Created });
      }
      await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: back });
      // A request between the batches, as an editor's tree would ask.
      await tree(c);
    }
    assert.ok(brokenMissing(await pull(c, u)), 'the editor text of the open document counts');
    await sameAsFresh(c, root, open);
  });
});

/** Whether the server ended its work-done progress (the first index is done). */
const indexed = (c: TestClient) => c.events.some((e) => e.kind === 'progress' && (e.params as { value?: { kind?: string } }).value?.kind === 'end');

describe('language server: changes during the first index (pull)', function () {
  this.timeout(240_000);
  let root: string;
  let session: TestClient | undefined;
  before(async () => {
    await buildServer();
    root = copyFixture();
    addPhases(root, 400);
  });
  after(async () => {
    const errors = await stopOnFixture(session, root);
    if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
  });

  it('edits, closes, file events and settings changes before the index ends count as after it', async () => {
    const c = await TestClient.start(root, { pull: true });
    session = c;
    const open = new Map<string, string>();
    const brief = uri(root, BRIEF);
    const briefText = fs.readFileSync(path.join(root, BRIEF), 'utf8');
    await openText(c, brief, briefText);
    const edited = briefText.replace('## Objectives', `## Objectives\n\nSee [the notes](${MISSING}).`);
    await c.change(brief, edited);
    open.set(brief, edited);
    // Opened, edited and closed: the disk's text counts again.
    const decisions = uri(root, 'audit/phase-3/05-DECISIONS.md');
    await openText(c, decisions, 'nothing\n');
    await c.change(decisions, 'nothing at all\n');
    await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: decisions } });
    // A phase folder deleted, a document created, a document changed.
    const gone = path.join(root, 'audit', 'phase-300');
    const events: FileEvent[] = [...walk(gone), gone].map((p) => ({ uri: fileUri(p), type: FileChangeType.Deleted }));
    fs.rmSync(gone, { recursive: true });
    const created = path.join(root, 'audit', 'phase-4', '03-FINDINGS', 'late.md');
    fs.writeFileSync(created, `# Late\n\nSee [nothing](${MISSING}).\n`);
    events.push({ uri: fileUri(created), type: FileChangeType.Created });
    const changed = path.join(root, 'audit', 'phase-6', '00-PHASE_BRIEF.md');
    fs.writeFileSync(changed, '# Phase 6\n');
    events.push({ uri: fileUri(changed), type: FileChangeType.Changed });
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: events });
    // The settings change: a rule turned off.
    c.settings = { rules: { 'missing-section': 'off' } };
    await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const early = !indexed(c);
    await c.waitFor('the end of the first index', () => indexed(c), 60_000);
    await sameAsFresh(c, root, open);
    // The changes are meant to come while the server indexes; on a much faster machine they may not.
    if (!early) console.log('      (the first index ended before the changes arrived)');
  });

  it('a shutdown during the first index ends the server cleanly', async () => {
    const s = await TestClient.start(root, { pull: true });
    try {
      const early = !indexed(s);
      await s.conn.sendRequest(ShutdownRequest.type);
      await s.conn.sendNotification(ExitNotification.type);
      const code = await new Promise<number | null>((resolve, reject) => {
        if (s.proc.exitCode !== null) return resolve(s.proc.exitCode);
        const t = setTimeout(() => reject(new Error('the server did not exit')), 20_000);
        s.proc.once('exit', (c) => {
          clearTimeout(t);
          resolve(c);
        });
      });
      assert.equal(code, 0);
      assert.deepEqual(
        s.logs.filter((l) => /failed|uncaught|unhandled|error/i.test(l)),
        [],
      );
      if (!early) console.log('      (the first index ended before the shutdown arrived)');
    } finally {
      s.conn.dispose();
    }
  });
});

describe('language server: cancellation and versions', function () {
  this.timeout(240_000);
  let root: string;
  const clients: TestClient[] = [];
  before(async () => {
    await buildServer();
    root = copyFixture();
    addPhases(root, 200);
  });
  after(async () => {
    const errors: string[] = [];
    for (const c of clients) errors.push(...(await stopOnFixture(c, undefined)));
    fs.rmSync(root, { recursive: true, force: true });
    if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
  });

  it('requests cancelled while the server is busy answer RequestCancelled or their result; a pull after an edit never answers for the text before it', async () => {
    const c = await TestClient.start(root, { pull: true });
    clients.push(c);
    await treeReady(c);
    const brief = await c.open(BRIEF);
    const withLink = brief.text.replace('## Objectives', `## Objectives\n\nSee [the notes](${MISSING}).`);
    const outcomes: string[] = [];
    const wrong: string[] = [];
    for (let round = 0; round < 20; round++) {
      const busy: Promise<unknown>[] = [];
      const sources: CancellationTokenSource[] = [];
      const ask = <R>(what: string, send: (token: CancellationToken) => Promise<R>, check?: (r: R) => string | undefined) => {
        const s = new CancellationTokenSource();
        sources.push(s);
        busy.push(
          send(s.token).then(
            (r) => {
              outcomes.push(`${what}: result`);
              const problem = check?.(r);
              if (problem) wrong.push(`${what}: ${problem}`);
            },
            (e: { code?: number; message?: string }) => {
              outcomes.push(`${what}: ${e.code}`);
              // Diagnostic pulls (a document's, the workspace's) answer ServerCancelled (the client pulls again), the others RequestCancelled.
              const ok = what.includes('diagnostic') ? e.code === LSPErrorCodes.ServerCancelled : e.code === LSPErrorCodes.RequestCancelled;
              if (!ok) wrong.push(`${what}: error ${e.code} ${e.message}`);
            },
          ),
        );
      };
      // The server is kept busy: a whole workspace report and a phase tree each round.
      ask('workspace diagnostics', (t) => c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] }, t));
      ask('phases', (t) => c.conn.sendRequest(PhasesRequest, {}, t));
      const withText = round % 2 === 0;
      await c.change(brief.uri, withText ? withLink : brief.text);
      ask(
        'diagnostic',
        (t) => c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: brief.uri } }, t),
        (r) => (r.kind === 'full' && brokenMissing(r.items) !== withText ? `an answer for the text before the edit (round ${round})` : undefined),
      );
      ask('codeAction', (t) =>
        c.conn.sendRequest(
          CodeActionRequest.type,
          { textDocument: { uri: brief.uri }, range: { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } }, context: { diagnostics: [] } },
          t,
        ),
      );
      ask('hover', (t) => c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: brief.uri }, position: { line: 1, character: 2 } }, t));
      ask('completion', (t) => c.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: brief.uri }, position: { line: 1, character: 0 } }, t));
      // Every other request cancelled at once, the rest a moment later (while they run).
      sources.forEach((s, i) => (i % 2 === round % 2 ? s.cancel() : setImmediate(() => s.cancel())));
      await Promise.all(busy);
    }
    assert.deepEqual(wrong, []);
    // Both kinds of outcome came (the test exercised cancellation).
    assert.ok(
      outcomes.some((o) => o.endsWith('result')),
      outcomes.join('\n'),
    );
    assert.ok(
      outcomes.some((o) => !o.endsWith('result')),
      outcomes.join('\n'),
    );
  });

  it('a newer version of a document is never followed by diagnostics of an older one (push)', async () => {
    const c = await TestClient.start(root, { pull: false, settings: { validate: { debounceMs: 0 } } });
    clients.push(c);
    const brief = await c.open(BRIEF);
    const withLink = brief.text.replace('## Objectives', `## Objectives\n\nSee [the notes](${MISSING}).`);
    let last = 1;
    for (let i = 0; i < 60; i++) {
      last = await c.change(brief.uri, i % 2 === 0 ? withLink : brief.text);
      // Now and then the files around it change on disk too, which re-publishes the open document.
      if (i % 10 === 0)
        await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, {
          changes: [{ uri: uri(root, 'audit/phase-1/07-VALIDATION.md'), type: FileChangeType.Changed }],
        });
      if (i % 7 === 0) await new Promise((r) => setImmediate(r));
    }
    // The last text (version `last`) has the link: the last publish is of it.
    const final = await c.waitFor(
      'the last version published',
      () => {
        const ps = c.publishes(brief.uri);
        const p = ps[ps.length - 1];
        return p?.version === last && p;
      },
      30_000,
    );
    assert.ok(!brokenMissing(final.diagnostics), 'the last text has no link');
    const versions = c.publishes(brief.uri).map((p) => p.version ?? 0);
    assert.deepEqual(
      versions,
      [...versions].sort((a, b) => a - b),
      `published in order: ${versions.join(',')}`,
    );
    for (const p of c.publishes(brief.uri)) {
      if (p.version === undefined || p.version === 1) continue;
      // Even versions hold the link (the 1st, 3rd … change), odd ones do not.
      assert.equal(brokenMissing(p.diagnostics), p.version % 2 === 0, `version ${p.version}`);
    }
  });
});

describe('language server: a long session', function () {
  this.timeout(600_000);
  const s = serverOn(60, { pull: true, execArgv: ['--expose-gc'] });

  it("5,000 open/edit/close cycles: the server's heap after a GC does not grow with them", async () => {
    const { c, root } = s;
    const docs: string[] = [];
    for (let i = 1; i <= 60; i++) for (const f of ['00-PHASE_BRIEF.md', '05-DECISIONS.md', '06-OUTPUT_HANDOFF.md']) docs.push(`audit/phase-${i}/${f}`);
    const texts = new Map(docs.map((d) => [d, fs.readFileSync(path.join(root, d), 'utf8')]));
    /** The live heap once the server has taken every message sent so far (it answers in order). */
    const heap = async (): Promise<number> => {
      await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
      const sizes: number[] = [];
      for (let i = 0; i < 3; i++) sizes.push((await c.conn.sendRequest(ServerInfoRequest, undefined)).liveHeapBytes ?? NaN);
      return Math.min(...sizes);
    };
    let cycle = 0;
    const run = async (n: number) => {
      for (const end = cycle + n; cycle < end; cycle++) {
        // Three cycles in four a new document that is not on disk (a buffer closed unsaved), each at its own path.
        const fresh = cycle % 4 !== 0;
        const rel = fresh ? `audit/phase-${1 + (cycle % 60)}/03-FINDINGS/note-${cycle}.md` : docs[cycle % docs.length];
        const u = uri(root, rel);
        const text = fresh ? `# Note ${cycle}\n\nSee [the notes](${MISSING}).\n` : texts.get(rel)!;
        await openText(c, u, text);
        await c.conn.sendNotification('textDocument/didChange', {
          textDocument: { uri: u, version: 2 },
          contentChanges: [{ text: `${text}\nEdit ${cycle}.\n` }],
        });
        if (cycle % 10 === 0) await pull(c, u);
        await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
      }
    };
    await run(1000);
    const at1000 = await heap();
    await run(4000);
    const at5000 = await heap();
    console.log(`      live heap: ${(at1000 / 1e6).toFixed(1)} MB after 1,000 cycles, ${(at5000 / 1e6).toFixed(1)} MB after 5,000`);
    // 4,000 cycles more, 3,000 of them at paths never seen before: a document's model kept for each would be several
    // megabytes. What may grow is bounded: the workspace passes list the paths of the documents closed since (up to
    // 10,000, then the list starts again; 4,000 paths here, about 0.6 MB), and the heap varies by some hundred kilobytes
    // from one measure to the next. Measured over 13,000 cycles, the heap stays within 1 MB of its size at 3,000.
    assert.ok(at5000 - at1000 < 2_500_000, `grew by ${at5000 - at1000} bytes`);
  });
});

describe('language server: a config change in the same batch as a branch switch (push)', function () {
  this.timeout(240_000);
  const s = serverOn(40, { pull: false });

  it('an open document whose phase folder goes as the config comes goes with it; one whose folder stays keeps its text and takes the new config', async () => {
    const { c, root } = s;
    const open = new Map<string, string>();
    const rel = 'audit/phase-9/00-PHASE_BRIEF.md';
    const u = uri(root, rel);
    const text = fs.readFileSync(path.join(root, rel), 'utf8').replace('## Objectives', `## Objectives\n\nSee [the notes](${MISSING}).`);
    await openText(c, u, text);
    open.set(u, text);
    // The same edit in a phase that stays, its Scope section removed (missing-section, until the new config turns it off).
    const stayRel = 'audit/phase-8/00-PHASE_BRIEF.md';
    const stay = uri(root, stayRel);
    const stayText = fs
      .readFileSync(path.join(root, stayRel), 'utf8')
      .replace('## Objectives', `## Objectives\n\nSee [the notes](${MISSING}).`)
      .replace(/\n## Scope\n[\s\S]*?(?=\n## )/, '');
    await openText(c, stay, stayText);
    open.set(stay, stayText);
    await c.waitFor('diagnostics of the open documents', () => [u, stay].every((x) => c.publishes(x).some((p) => brokenMissing(p.diagnostics))));
    assert.ok(
      c
        .publishes(stay)
        .at(-1)!
        .diagnostics.some((d) => d.code === 'missing-section'),
      'missing-section before the new config',
    );
    const events: FileEvent[] = [];
    const dir = path.join(root, 'audit', 'phase-9');
    for (const p of [...walk(dir), dir]) events.push({ uri: fileUri(p), type: FileChangeType.Deleted });
    fs.rmSync(dir, { recursive: true });
    fs.writeFileSync(path.join(root, 'phasegate.yaml'), 'rules:\n  missing-section: "off"\n');
    events.push({ uri: uri(root, 'phasegate.yaml'), type: FileChangeType.Created });
    for (let i = 10; i <= 40; i++) {
      const p = path.join(root, 'audit', `phase-${i}`, '05-DECISIONS.md');
      fs.writeFileSync(p, `# Decisions ${i}\n`);
      events.push({ uri: fileUri(p), type: FileChangeType.Changed });
    }
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: events });
    // The document whose folder went: nothing reported on it any more.
    await c.waitFor('the diagnostics of the document whose folder went cleared', () => c.publishes(u).at(-1)!.diagnostics.length === 0, 30_000);
    // The one whose folder stays: its editor text still counts, under the new config.
    const last = await c.waitFor(
      'diagnostics of the document that stays under the new config',
      () => {
        const l = c.publishes(stay).at(-1)!;
        return !l.diagnostics.some((d) => d.code === 'missing-section') && l;
      },
      30_000,
    );
    assert.ok(brokenMissing(last.diagnostics), 'the editor text still counts');
    await sameAsFresh(c, root, open);
  });
});

describe('language server: settings changed while the first load reads them (pull)', function () {
  this.timeout(120_000);
  let root: string;
  let c: TestClient;
  before(async () => {
    await buildServer();
    root = copyFixture();
    addPhases(root, 20);
  });
  after(async () => {
    const errors = await stopOnFixture(c, root);
    if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
  });

  it("the folder's gates count the new rule severities, as a fresh server's do", async () => {
    c = await TestClient.start(root, { pull: true });
    const folderUri = pathToFileURL(root).href;
    let changed = false;
    // The folder's settings are answered as they were when asked, after the user changed them and the
    // server took the notice (its answer to a later request says so): the answer is out of date.
    c.conn.onRequest(ConfigurationRequest.type, async (p) => {
      const answer = p.items.map((it) => (it.section === 'phasegate' ? c.settings : null));
      if (!changed && p.items.some((it) => it.scopeUri === folderUri)) {
        changed = true;
        c.settings = { rules: { 'missing-section': 'off' } };
        await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
        await c.conn.sendRequest(ServerInfoRequest, undefined);
      }
      return answer;
    });
    await treeReady(c);
    assert.ok(changed, "the folder's settings were asked for");
    assert.ok(JSON.stringify(await tree(c)).includes('missing-section') === false, 'no gate counts a rule turned off');
    await sameAsFresh(c, root, new Map());
  });
});
