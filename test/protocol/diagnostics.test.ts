import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CancellationTokenSource,
  HoverRequest,
  CodeAction,
  LSPErrorCodes,
  CodeActionRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  Diagnostic,
  DocumentDiagnosticReport,
  DocumentDiagnosticRequest,
  DocumentSymbol,
  DocumentSymbolRequest,
  FileChangeType,
  RegistrationParams,
  WorkspaceDiagnosticRequest,
  WorkspaceSymbolRequest,
} from 'vscode-languageserver-protocol/node';
import { applyWorkspaceEdit, buildServer, copyFixture, fixtureServer, startOnFixture, stopOnFixture, TestClient, uri } from './client';

const P2_BRIEF = 'audit/phase-2/00-PHASE_BRIEF.md';
const P2_INPUT = 'audit/phase-2/01-INPUT_HANDOFF.md';
const P1_OUTPUT = 'audit/phase-1/06-OUTPUT_HANDOFF.md';

async function pull(c: TestClient, u: string): Promise<Diagnostic[]> {
  const r: DocumentDiagnosticReport = await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u } });
  assert.equal(r.kind, 'full');
  return r.kind === 'full' ? r.items : [];
}

const codes = (ds: Diagnostic[]) => ds.map((d) => String(d.code));
const msg = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);

/**
 * The workspace diagnostics over a session: a first pull, a pull held until a document opens, a
 * document's report changed by another's edit. `keeps`: the client said it keeps what no report names.
 */
async function workspaceDiagnosticsScenario(c: TestClient, root: string, keeps: boolean): Promise<void> {
  // Indexed (the load's own change is behind us).
  await c.waitFor('progress end', () => c.events.some((e) => e.kind === 'progress' && (e.params as { value: { kind: string } }).value.kind === 'end'));
  const first = await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
  const brief = uri(root, P2_BRIEF);
  const report = first.items.find((i) => i.uri === brief);
  assert.ok(report && report.kind === 'full' && report.items.some((d) => d.code === 'missing-section'), JSON.stringify(report));
  assert.ok(first.items.length >= 17, `every phase document: ${first.items.length}`);
  const previousResultIds = first.items.map((i) => ({ uri: i.uri, value: i.resultId! }));
  let answered = false;
  const second = c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds }).then((r) => {
    answered = true;
    return r;
  });
  // The server answers a later request while the workspace pull still waits: nothing changed yet.
  await c.conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'phase-1' });
  assert.equal(answered, false);
  await c.open(P2_BRIEF);
  const r = await second;
  // Now open, the brief is the document pull's: its workspace report is cleared. The client holds
  // the rest, unchanged: listed so, or left out for a client that keeps what no report names.
  const cleared = { kind: 'full', uri: brief, version: null, items: [] };
  const unchanged = (items: typeof r.items) => items.filter((i) => i.kind === 'unchanged').map((i) => i.uri);
  if (keeps) assert.deepEqual(r.items, [cleared]);
  else {
    assert.deepEqual(
      r.items.filter((i) => i.kind === 'full'),
      [cleared],
    );
    assert.deepEqual(
      unchanged(r.items).sort(),
      previousResultIds
        .map((p) => p.uri)
        .filter((u) => u !== brief)
        .sort(),
    );
  }

  // A change to a closed document's diagnostics (the next phase's input handoff, after the output
  // handoff before it changed) brings that document's new report, and none the client holds.
  const held = new Map(previousResultIds.filter((p) => p.uri !== brief).map((p) => [p.uri, p.value]));
  const ids = () => [...held].map(([u, value]) => ({ uri: u, value }));
  const out = await c.open(P1_OUTPUT);
  // Opening it clears its workspace report.
  const opened = await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: ids() });
  assert.deepEqual(
    opened.items.filter((i) => i.kind === 'full'),
    [{ kind: 'full', uri: out.uri, version: null, items: [] }],
  );
  held.delete(out.uri);
  const third = c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: ids() });
  const added = out.text.replace(
    '## Recommended Next Steps',
    '- Coverage data: [coverage](04-ARTIFACTS/coverage.md) - coverage per module\n\n## Recommended Next Steps',
  );
  await c.change(out.uri, added);
  const t = await third;
  const input = t.items.find((i) => i.uri === uri(root, P2_INPUT));
  assert.ok(input && input.kind === 'full' && input.items.some((d) => d.code === 'handoff-mismatch'), JSON.stringify(t.items));
  assert.ok(input.resultId && input.resultId !== held.get(input.uri), 'a new result id');
  const full = t.items.filter((i) => i.kind === 'full');
  assert.deepEqual(
    full.filter((i) => i.resultId !== undefined && i.resultId === held.get(i.uri)),
    [],
    'no report the client holds is sent again',
  );
  assert.ok(full.length < held.size / 2, `${full.length} of ${held.size} documents reported in full`);
  // The others: unchanged, or not named at all.
  if (keeps) assert.equal(t.items.length, full.length);
  else assert.deepEqual(unchanged(t.items).sort(), [...held.keys()].filter((u) => !full.some((i) => i.uri === u)).sort());
  await c.change(out.uri, out.text);
}

describe('language server: diagnostics over stdio (pull client)', function () {
  this.timeout(60_000);
  let root: string;
  let c: TestClient;

  before(async () => {
    ({ root, c } = await startOnFixture({ pull: true }));
  });
  after(async () => {
    await stopOnFixture(c, root);
  });

  it('indexes the workspace with progress and registers its file watchers', async () => {
    const watch = await c.waitFor('watcher registration', () =>
      c.events
        .flatMap((e) => (e.kind === 'register' ? (e.params as RegistrationParams).registrations : []))
        .find((r) => r.method === DidChangeWatchedFilesNotification.method),
    );
    const globs = (watch?.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern);
    assert.ok(globs.includes('**/*.md'), globs.join());
    assert.ok(
      globs.some((g) => g.includes('phasegate.yaml')),
      globs.join(),
    );
    await c.waitFor('progress end', () => c.events.some((e) => e.kind === 'progress' && (e.params as { value: { kind: string } }).value.kind === 'end'));
    assert.ok(c.events.some((e) => e.kind === 'progress' && (e.params as { value: { kind: string } }).value.kind === 'begin'));
  });

  it('reports the closed documents as workspace diagnostics, long-polling until something changes', async () => {
    await workspaceDiagnosticsScenario(c, root, false);
  });

  it('pulls diagnostics with our codes, ranges and rule documentation links', async () => {
    const { uri: u } = await c.open(P2_BRIEF);
    const ds = await pull(c, u);
    assert.ok(codes(ds).includes('missing-section'), codes(ds).join());
    assert.ok(codes(ds).includes('missing-document'), codes(ds).join());
    const ms = ds.find((d) => d.code === 'missing-section')!;
    assert.equal(ms.source, 'phasegate');
    assert.match(msg(ms), /Scope/);
    assert.equal(ms.range.start.line, 6); // at the title: the section goes after Objectives
    assert.match(ms.codeDescription!.href, /#rule-missing-section$/);
    // A document without problems pulls an empty list.
    const clean = await c.open('audit/phase-1/00-PHASE_BRIEF.md');
    assert.deepEqual(await pull(c, clean.uri), []);
  });

  it('re-checks the next phase when a handoff changes: a refresh arrives and its diagnostics change', async () => {
    const input = await c.open(P2_INPUT);
    assert.ok(!codes(await pull(c, input.uri)).includes('handoff-mismatch'));
    const out = await c.open(P1_OUTPUT);
    await pull(c, out.uri);
    const before = c.count('refresh');
    const added = out.text.replace(
      '## Recommended Next Steps',
      '- Coverage data: [coverage](04-ARTIFACTS/coverage.md) - coverage per module\n\n## Recommended Next Steps',
    );
    await c.change(out.uri, added);
    await c.waitFor('a diagnostics refresh', () => c.count('refresh') > before);
    const after = await pull(c, input.uri);
    const mismatch = after.find((d) => d.code === 'handoff-mismatch');
    assert.ok(mismatch, codes(after).join());
    assert.match(msg(mismatch), /Coverage data/);
    // Undo: another refresh, and the mismatch is gone.
    const before2 = c.count('refresh');
    await c.change(out.uri, out.text);
    await c.waitFor('a second refresh', () => c.count('refresh') > before2);
    assert.ok(!codes(await pull(c, input.uri)).includes('handoff-mismatch'));
  });

  it('does not ask for a refresh when an edit changes no other file', async () => {
    const out = uri(root, P1_OUTPUT);
    const text = fs.readFileSync(path.join(root, P1_OUTPUT), 'utf8');
    const before = c.count('refresh');
    await c.change(out, text.replace('the quality baseline is established', 'the quality baseline is now established'));
    // The pull waits for the debounced update, so once it answers the update has been applied.
    await pull(c, out);
    await pull(c, uri(root, P2_INPUT));
    assert.equal(c.count('refresh'), before);
    await c.change(out, text);
  });

  it('cancels a pull that waits for a debounced edit when the editor cancels it', async () => {
    const u = uri(root, P1_OUTPUT);
    const text = fs.readFileSync(path.join(root, P1_OUTPUT), 'utf8');
    await c.change(u, text + '\n');
    const source = new CancellationTokenSource();
    const pending = c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u } }, source.token);
    source.cancel();
    await assert.rejects(pending, (e: { code?: number }) => e.code === LSPErrorCodes.ServerCancelled || e.code === LSPErrorCodes.RequestCancelled);
    await c.change(u, text);
    assert.deepEqual(codes(await pull(c, u)), []);
  });

  it('offers the engine quick fix for a diagnostic and the fix removes it, once', async () => {
    const u = uri(root, P2_BRIEF);
    const ds = await pull(c, u);
    const d = ds.find((x) => x.code === 'missing-section')!;
    const actions = (await c.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: u },
      range: d.range,
      context: { diagnostics: [d], only: ['quickfix'] },
    })) as CodeAction[];
    const fix = actions.find((a) => /Scope/.test(a.title));
    assert.ok(fix, actions.map((a) => a.title).join());
    assert.equal(fix.kind, 'quickfix');
    assert.deepEqual(
      fix.diagnostics?.map((x) => x.code),
      ['missing-section'],
    );
    const text = fs.readFileSync(path.join(root, P2_BRIEF), 'utf8');
    const next = applyWorkspaceEdit(fix.edit!, new Map([[u, text]])).get(u)!;
    assert.match(next, /## Objectives[\s\S]*## Scope[\s\S]*## Deliverables/);
    await c.change(u, next);
    assert.ok(!codes(await pull(c, u)).includes('missing-section'));
    const again = (await c.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: u },
      range: d.range,
      context: { diagnostics: [], only: ['quickfix'] },
    })) as CodeAction[];
    assert.ok(!again.some((a) => /Scope/.test(a.title)), 'the fix is not offered twice');
  });

  it('serves the text a document is opened again with while its close still reads the disk', async () => {
    const rel = 'audit/phase-2/04-ARTIFACTS/notes.md';
    fs.writeFileSync(path.join(root, rel), '# Disk\n\nok\n');
    try {
      const { uri: u } = await c.open(rel);
      assert.deepEqual(codes(await pull(c, u)), []);
      // Closed and opened again at once with other text (VS Code does so when a document's language changes).
      void c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
      await c.conn.sendNotification('textDocument/didOpen', {
        textDocument: { uri: u, languageId: 'markdown', version: 1, text: '# Editor\n\nsee [x](../nope.md)\n' },
      });
      assert.ok(codes(await pull(c, u)).includes('broken-link'), 'the reopened text, not the disk');
      const symbols = (await c.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: u } })) as DocumentSymbol[];
      assert.deepEqual(
        symbols.map((x) => x.name),
        ['Editor'],
      );
      await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
    } finally {
      fs.rmSync(path.join(root, rel));
    }
  });

  it('forgets a document that was never on disk when it closes unsaved', async () => {
    const rel = 'audit/phase-2/07-VALIDATION.md';
    const u = uri(root, rel);
    const brief = uri(root, P2_BRIEF);
    const missing = async () => (await pull(c, brief)).filter((d) => d.code === 'missing-document').map(msg);
    assert.ok((await missing()).some((m) => m.includes('07-VALIDATION.md')));
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'markdown', version: 1, text: '# Phase 2 Validation\n' } });
    await c.until('the buffer counted as the document', async () => !(await missing()).some((m) => m.includes('07-VALIDATION.md')));
    await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
    await c.until('the document missing again', async () => (await missing()).some((m) => m.includes('07-VALIDATION.md')));
    const all = await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    assert.ok(!all.items.some((i) => i.uri === u), 'no report for a file that is not there');
  });

  it('creates a missing document with CreateFile that never overwrites', async () => {
    const u = uri(root, P2_BRIEF);
    const d = (await pull(c, u)).find((x) => x.code === 'missing-document')!;
    const actions = (await c.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: u },
      range: d.range,
      context: { diagnostics: [d] },
    })) as CodeAction[];
    const create = actions.find((a) => /07-VALIDATION/.test(a.title))!;
    assert.ok(create, actions.map((a) => a.title).join());
    const [op, write] = create.edit!.documentChanges!;
    assert.deepEqual(op, { kind: 'create', uri: uri(root, 'audit/phase-2/07-VALIDATION.md'), options: { ignoreIfExists: false, overwrite: false } });
    assert.ok('edits' in write && 'newText' in write.edits[0] && write.edits[0].newText.includes('Gate'));
    // The file written meanwhile outside the editor (the server has not heard of it): applying the
    // fix fails as a whole and leaves the user's text alone.
    const file = path.join(root, 'audit/phase-2/07-VALIDATION.md');
    fs.writeFileSync(file, '# My own validation notes\n');
    try {
      assert.throws(() => applyWorkspaceEdit(create.edit!, new Map()), /exists/);
      assert.equal(fs.readFileSync(file, 'utf8'), '# My own validation notes\n');
    } finally {
      fs.rmSync(file);
    }
  });

  it('fixes all fixable problems of a document with source.fixAll.phasegate, idempotently', async () => {
    const rel = 'audit/phase-2/02-EXECUTION_PLAN.md';
    const { uri: u, text } = await c.open(rel);
    const broken = text
      .replace('# Phase 2 Execution Plan', '# Phase 3 Execution Plan')
      .replace('## Approach\n\nWrite integration tests module by module.\n\n', '');
    await c.change(u, broken);
    const ds = await pull(c, u);
    assert.ok(codes(ds).includes('heading-mismatch') && codes(ds).includes('missing-section'), codes(ds).join());
    const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const actions = (await c.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: u },
      range: whole,
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as CodeAction[];
    assert.equal(actions.length, 1, actions.map((a) => a.title).join());
    assert.equal(actions[0].kind, 'source.fixAll.phasegate');
    const fixed = applyWorkspaceEdit(actions[0].edit!, new Map([[u, broken]])).get(u)!;
    await c.change(u, fixed);
    const after = await pull(c, u);
    assert.ok(!codes(after).includes('heading-mismatch') && !codes(after).includes('missing-section'), codes(after).join());
    const again = (await c.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: u },
      range: whole,
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as CodeAction[];
    assert.deepEqual(again, []);
  });

  it('applies a created file reported by the watcher: the missing-document diagnostic disappears', async () => {
    const u = uri(root, P2_BRIEF);
    assert.ok((await pull(c, u)).some((d) => d.code === 'missing-document' && /07-VALIDATION/.test(msg(d))));
    const file = path.join(root, 'audit/phase-2/07-VALIDATION.md');
    fs.writeFileSync(file, '# Phase 2 Validation\n\n## Gate 1: Completeness\n\n- [ ] Done\n');
    const before = c.count('refresh');
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: uri(root, 'audit/phase-2/07-VALIDATION.md'), type: FileChangeType.Created }],
    });
    await c.waitFor('a refresh after the file event', () => c.count('refresh') > before);
    const after = await pull(c, u);
    assert.ok(!after.some((d) => d.code === 'missing-document' && /07-VALIDATION/.test(msg(d))), after.map(msg).join('\n'));
    await c.waitFor('didChangePhases', () => c.events.some((e) => e.kind === 'notification' && e.method === 'phasegate/didChangePhases'));
  });

  it('reloads phasegate.yaml on a watched change and keeps the unsaved editor text', async () => {
    const rel = 'audit/phase-2/05-DECISIONS.md';
    const { uri: u, text } = await c.open(rel);
    // Unsaved: the title names the wrong phase.
    await c.change(u, text.replace('# Phase 2 Decisions', '# Phase 4 Decisions'));
    assert.ok(codes(await pull(c, u)).includes('heading-mismatch'));
    fs.writeFileSync(path.join(root, 'phasegate.yaml'), 'rules:\n  missing-section: off\n');
    const before = c.count('refresh');
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(root, 'phasegate.yaml'), type: FileChangeType.Created }] });
    await c.waitFor('a refresh after the config change', () => c.count('refresh') > before);
    assert.ok(codes(await pull(c, u)).includes('heading-mismatch'), 'the editor text still applies after the reload');
    const brief = uri(root, P2_BRIEF);
    await c.change(brief, fs.readFileSync(path.join(root, P2_BRIEF), 'utf8'));
    assert.ok(!codes(await pull(c, brief)).includes('missing-section'), 'the config turned the rule off');
    fs.rmSync(path.join(root, 'phasegate.yaml'));
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(root, 'phasegate.yaml'), type: FileChangeType.Deleted }] });
    await c.until('the rule back on', async () => codes(await pull(c, brief)).includes('missing-section'));
    await c.change(u, text);
  });

  it('reads phasegate.rules severities from the settings and re-reads them on didChangeConfiguration', async () => {
    const u = uri(root, 'audit/phase-1/07-VALIDATION.md');
    await c.open('audit/phase-1/07-VALIDATION.md');
    const d = (await pull(c, u)).find((x) => x.code === 'gate-item-unchecked');
    assert.equal(d?.severity, 2);
    c.settings = { rules: { 'gate-item-unchecked': 'error' } };
    const before = c.count('refresh');
    await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await c.waitFor('refresh after settings change', () => c.count('refresh') > before);
    assert.equal((await pull(c, u)).find((x) => x.code === 'gate-item-unchecked')?.severity, 1);
    c.settings = { rules: { 'gate-item-unchecked': 'off' } };
    await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await c.until('rule turned off', async () => !(await pull(c, u)).some((x) => x.code === 'gate-item-unchecked'));
    c.settings = { enable: false };
    await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await c.until('diagnostics disabled', async () => (await pull(c, uri(root, P2_INPUT))).length === 0 && (await pull(c, u)).length === 0);
    c.settings = {};
    await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  });
});

describe('language server: diagnostics pushed to a client without pull support', function () {
  this.timeout(60_000);
  let root: string;
  let c: TestClient;

  before(async () => {
    ({ root, c } = await startOnFixture({ pull: false }));
  });
  after(async () => {
    await stopOnFixture(c, root);
  });

  it('publishes on open and on change, and for the next phase when a handoff changes', async () => {
    const brief = await c.open(P2_BRIEF);
    const first = await c.waitFor('publish of the brief', () => c.publishes(brief.uri)[0]);
    assert.ok(first.diagnostics.some((d) => d.code === 'missing-section' && d.codeDescription?.href.endsWith('#rule-missing-section')));
    await c.change(brief.uri, brief.text.replace('## Deliverables', '## Scope\n\nAll modules.\n\n## Deliverables'));
    await c.waitFor('publish after the change', () => c.publishes(brief.uri).find((p) => !p.diagnostics.some((d) => d.code === 'missing-section')));

    const input = await c.open(P2_INPUT);
    await c.waitFor('publish of the input handoff', () => c.publishes(input.uri)[0]);
    const out = await c.open(P1_OUTPUT);
    await c.change(
      out.uri,
      out.text.replace('## Recommended Next Steps', '- Coverage data: [coverage](04-ARTIFACTS/coverage.md) - coverage per module\n\n## Recommended Next Steps'),
    );
    const p = await c.waitFor('publish of the next phase', () => c.publishes(input.uri).find((x) => x.diagnostics.some((d) => d.code === 'handoff-mismatch')));
    assert.match(msg(p.diagnostics.find((d) => d.code === 'handoff-mismatch')!), /Coverage data/);
    assert.equal(c.count('refresh'), 0);
  });

  it('clears published diagnostics when a document closes', async () => {
    const u = uri(root, P2_BRIEF);
    const n = c.publishes(u).length;
    await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
    const last = await c.waitFor('clearing publish', () => c.publishes(u).length > n && c.publishes(u)[c.publishes(u).length - 1]);
    assert.deepEqual(last.diagnostics, []);
  });

  it('publishes nothing for a document closed while its diagnostics were computed (they wait for its settings)', async () => {
    const finding = (name: string) => {
      fs.writeFileSync(path.join(root, 'audit/phase-2/03-FINDINGS', name), '---\nstatus: nonsense\n---\n# Finding\n\ntext\n');
      return `audit/phase-2/03-FINDINGS/${name}`;
    };
    // Documents never opened before: their settings are asked of the client first.
    const closed = await c.open(finding('closed-at-once.md'));
    await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: closed.uri } });
    // Another document's publish comes after the first one's settings arrived (the client answers in order).
    const other = await c.open(finding('opened-after.md'));
    await c.waitFor('publish of the other document', () => c.publishes(other.uri).find((p) => p.diagnostics.length > 0));
    const sent = c.publishes(closed.uri);
    assert.ok(sent.length > 0, 'the close clears the document');
    assert.deepEqual(sent[sent.length - 1].diagnostics, [], JSON.stringify(sent));
  });
});

describe('language server: workspace diagnostics for a client that keeps what no report names (VS Code)', function () {
  this.timeout(60_000);
  const s = fixtureServer({ pull: true, initializationOptions: { keepsUnreportedDiagnostics: true } });

  it('leaves out the documents whose report the client holds', async () => {
    await workspaceDiagnosticsScenario(s.c, s.root, true);
  });
});

describe('language server: code actions over a selection of many problems', function () {
  this.timeout(60_000);
  const s = fixtureServer({ pull: true });

  it('answer other requests meanwhile, and stop when the editor cancels them', async () => {
    const rel = 'audit/phase-2/02-EXECUTION_PLAN.md';
    const n = 1000;
    fs.writeFileSync(path.join(s.root, rel), '# Phase 2 plan\n\n' + Array.from({ length: n }, (_, i) => `- item ${i} TBD`).join('\n') + '\n');
    const { uri: u } = await s.c.open(rel);
    assert.ok((await pull(s.c, u)).length >= n);
    const cts = new CancellationTokenSource();
    const order: string[] = [];
    // The whole document selected (as after Ctrl+A): a quick fix and two directives per problem.
    const actions = s.c.conn
      .sendRequest(
        CodeActionRequest.type,
        { textDocument: { uri: u }, range: { start: { line: 0, character: 0 }, end: { line: n + 2, character: 0 } }, context: { diagnostics: [] } },
        cts.token,
      )
      .then(
        (r) => order.push(`actions: ${r?.length}`),
        (e: { code?: number }) => order.push(`actions: error ${e.code}`),
      );
    await s.c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line: 0, character: 3 } });
    order.push('hover');
    cts.cancel();
    await actions;
    assert.deepEqual(order, ['hover', `actions: error ${LSPErrorCodes.RequestCancelled}`]);
  });
});

describe('language server: an open phasegate.yaml edited and not saved', function () {
  this.timeout(60_000);
  const SAVED = 'rules:\n  missing-folder: sometimes\n';
  let root: string;
  let c: TestClient;

  before(async () => {
    await buildServer();
    root = copyFixture();
    fs.writeFileSync(path.join(root, 'phasegate.yaml'), SAVED);
    c = await TestClient.start(root, { pull: true });
  });
  after(async () => {
    assert.deepEqual(await stopOnFixture(c, root), [], 'the server logged no errors');
  });

  it("shows the problems of the editor's text, on its lines; the saved config stays in force", async () => {
    const { uri: u } = await c.open('phasegate.yaml');
    const at = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.character}`);
    assert.deepEqual(at(await pull(c, u)), ['invalid-config 1:18-27']);
    // Fixed, a comment line above it, not saved: no problem left (the saved file's was on line 1).
    await c.change(u, '# severities\nrules:\n  missing-folder: warning\n');
    assert.deepEqual(at(await pull(c, u)), []);
    // Another wrong value, on the editor's line 2.
    await c.change(u, '# severities\nrules:\n  missing-folder: never\n');
    const wrong = await pull(c, u);
    assert.deepEqual(at(wrong), ['invalid-config 2:18-23']);
    assert.match(msg(wrong[0]), /missing-folder/);
    // Unsaved, it does not apply: the rule it turns off still reports.
    await c.change(u, 'rules:\n  missing-section: off\n');
    assert.deepEqual(at(await pull(c, u)), []);
    const brief = await c.open(P2_BRIEF);
    assert.ok(codes(await pull(c, brief.uri)).includes('missing-section'));
    // Back to the saved text: the engine's problems of the saved file.
    await c.change(u, SAVED);
    assert.deepEqual(at(await pull(c, u)), ['invalid-config 1:18-27']);
  });
});

describe('language server: workspace diagnostics result ids across a restart', function () {
  this.timeout(60_000);
  let root: string | undefined;
  let c: TestClient | undefined;
  after(async () => {
    await stopOnFixture(c, root);
  });

  it("a server started again reports in full the documents a client holds the earlier server's ids of, one changed on disk meanwhile too", async () => {
    ({ root, c } = await startOnFixture({ pull: true }));
    await c.waitFor('the folder indexed', () => c!.logs.some((l) => l.startsWith(`Indexed ${root}`)));
    const first = await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    const held = first.items.map((i) => ({ uri: i.uri, value: i.resultId! }));
    assert.ok(held.length >= 17 && held.every((h) => h.value), JSON.stringify(held));
    await c.stop();
    // Changed while no server runs: its problems are others now.
    const brief = path.join(root, P2_BRIEF);
    fs.writeFileSync(brief, `${fs.readFileSync(brief, 'utf8')}\n## Risks\n\nTBD\n`);
    c = await TestClient.start(root, { pull: true });
    await c.waitFor('the folder indexed', () => c!.logs.some((l) => l.startsWith(`Indexed ${root}`)));
    // The client kept the ids of the server before (a new process numbers its reports from the start again).
    const again = await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: held });
    assert.deepEqual(
      again.items.filter((i) => i.kind !== 'full').map((i) => i.uri),
      [],
      'no report held from the earlier server is taken as unchanged',
    );
    const ids = new Set(held.map((h) => h.value));
    assert.deepEqual(
      again.items.filter((i) => ids.has(i.resultId!)).map((i) => i.uri),
      [],
      'no id of the earlier server is given again',
    );
    const report = again.items.find((i) => i.uri === uri(root!, P2_BRIEF));
    const before = first.items.find((i) => i.uri === uri(root!, P2_BRIEF));
    assert.ok(report?.kind === 'full' && before?.kind === 'full');
    assert.notDeepEqual(report.items, before.items, 'the brief changed on disk is reported as it is now');
  });
});
