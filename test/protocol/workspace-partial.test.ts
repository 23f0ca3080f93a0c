/**
 * Workspace diagnostics streamed as partial results (LSP 3.17): a request with a `partialResultToken`, as
 * vscode-languageclient sends it, gets the report in `$/progress` chunks as the workspace is checked (its first
 * pass, which ends its work-done progress), then stays open (workspace-stream.test.ts) until cancelled, and is
 * answered empty. The chunks of the first pass together are the report of a request without a token; other requests
 * are answered while they go; cancellation ends them; a file changed or deleted while they go ends with its report
 * as it is now.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CancellationTokenSource,
  Diagnostic,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReport,
  DocumentDiagnosticRequest,
  FileChangeType,
  HoverRequest,
  WorkspaceDiagnosticReportPartialResult,
  WorkspaceDiagnosticRequest,
  WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { fileURLToPath } from 'node:url';
import { ServerInfoRequest } from '../../server/src/protocol';
import { buildServer, copyFixture, partialResults, stopOnFixture, TestClient, uri } from './client';

/** Phases of the workspace: checked cold in well over a second, in chunks of 16 phases. */
const PHASES = 400;
const BRIEF = 'audit/phase-1/00-PHASE_BRIEF.md';
const MISSING = 'missing-notes-5c1e.md';

/**
 * A server on the fixture with the audit layout's phases up to PHASES (copies of phase 2, each decisions document
 * with a broken link), for the tests of a describe block; not waited for: its first workspace report checks the
 * workspace cold. Stopped after them, failing on any error it logged.
 */
function coldServer(): { root: string; c: TestClient } {
  const s = {} as { root: string; c: TestClient };
  before(async () => {
    await buildServer();
    s.root = copyFixture();
    const src = path.join(s.root, 'audit', 'phase-2');
    for (let i = 3; i <= PHASES; i++) fs.cpSync(src, path.join(s.root, 'audit', `phase-${i}`), { recursive: true });
    for (let i = 2; i <= PHASES; i++) fs.appendFileSync(path.join(s.root, 'audit', `phase-${i}`, '05-DECISIONS.md'), `\nSee [the notes](${MISSING}).\n`);
    s.c = await TestClient.start(s.root, { pull: true });
  });
  after(async () => {
    const errors = await stopOnFixture(s.c, s.root);
    if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
  });
  return s;
}

type Chunk = WorkspaceDiagnosticReportPartialResult;

let tokens = 0;

/**
 * Sends a workspace diagnostic request with a partial result token and a work-done token; its token, answer (an
 * error is returned) and the end of its first pass (its work-done progress ends; the request then stays open until
 * `cancel` is cancelled).
 */
function streamed(
  c: TestClient,
  cancel = new CancellationTokenSource(),
): { token: string; answer: Promise<unknown>; firstPass: Promise<void>; cancel: CancellationTokenSource } {
  const token = `partial-${++tokens}`;
  const workDone = `partial-work-${tokens}`;
  const answer = c.conn
    .sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [], partialResultToken: token, workDoneToken: workDone }, cancel.token)
    .then(
      (r) => r,
      (e: unknown) => e,
    );
  const firstPass = c
    .waitFor(
      'the end of the first pass',
      () =>
        c.events.some(
          (e) => e.kind === 'progress' && (e.params as { token: string }).token === workDone && (e.params as { value: { kind: string } }).value.kind === 'end',
        ),
      60_000,
    )
    .then(() => undefined);
  return { token, answer, firstPass, cancel };
}

/** The first pass of a streamed request, then its answer once cancelled. */
async function afterFirstPass(s: ReturnType<typeof streamed>): Promise<unknown> {
  await s.firstPass;
  s.cancel.cancel();
  return s.answer;
}

const firstChunk = (c: TestClient, token: string) => c.waitFor('a first partial result', () => partialResults<Chunk>(c, token)[0], 60_000);

/** The full reports by URI (the last of each), with their diagnostics and result ids. */
function byUri(items: readonly WorkspaceDocumentDiagnosticReport[]): Map<string, { resultId?: string; items: Diagnostic[] }> {
  const out = new Map<string, { resultId?: string; items: Diagnostic[] }>();
  for (const i of items) if (i.kind === 'full') out.set(i.uri, { resultId: i.resultId, items: i.items });
  return out;
}

const broken = (ds: readonly Diagnostic[]) => ds.some((d) => d.code === 'broken-link' && String(d.message).includes(MISSING));

describe('language server: workspace diagnostics as partial results', function () {
  this.timeout(120_000);

  describe('streamed while the workspace is checked', () => {
    const s = coldServer();

    it('a ping and a hover sent while the report streams are answered before its last chunk; the answer is empty', async () => {
      const { c } = s;
      const brief = await c.open(BRIEF);
      const req = streamed(c);
      const { token } = req;
      await firstChunk(c, token);
      const chunksWhen = () => partialResults(c, token).length;
      const [pinged, hovered] = await Promise.all([
        c.conn.sendRequest(ServerInfoRequest, undefined).then(chunksWhen),
        c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: brief.uri }, position: { line: 0, character: 0 } }).then(chunksWhen),
      ]);
      assert.deepEqual(await afterFirstPass(req), { items: [] });
      const total = chunksWhen();
      assert.ok(total >= 2, `${total} chunks`);
      assert.ok(pinged < total, `the ping answered after ${pinged} of ${total} chunks`);
      assert.ok(hovered < total, `the hover answered after ${hovered} of ${total} chunks`);
    });

    it('the chunks together are the report of a request without a token, each document once', async () => {
      const { c } = s;
      const req = streamed(c);
      const { token } = req;
      assert.deepEqual(await afterFirstPass(req), { items: [] });
      const chunks = partialResults<Chunk>(c, token);
      assert.ok(chunks.length >= 2, `${chunks.length} chunks`);
      for (const ch of chunks) assert.ok(ch.items.length > 0 && ch.items.length <= 1000, `a chunk of ${ch.items.length} reports`);
      const items = chunks.flatMap((ch) => ch.items);
      const uris = items.map((i) => i.uri);
      assert.equal(new Set(uris).size, uris.length, 'each document once');
      const plain = await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
      assert.ok(plain.items.length > PHASES * 5, `${plain.items.length} reports`);
      assert.equal(items.length, plain.items.length);
      assert.deepEqual(byUri(items), byUri(plain.items));
      // The open document is left out of both.
      assert.ok(!uris.includes(uri(s.root, BRIEF)));
    });
  });

  describe('cancelled while it streams', () => {
    const s = coldServer();

    it('sends no chunk after the cancellation is taken', async () => {
      const { c } = s;
      const cancel = new CancellationTokenSource();
      const { token, answer } = streamed(c, cancel);
      await firstChunk(c, token);
      const atCancel = partialResults(c, token).length;
      cancel.cancel();
      await answer;
      const atAnswer = partialResults(c, token).length;
      // Nothing comes after the answer (a request answered since comes after anything sent before it).
      await c.conn.sendRequest(ServerInfoRequest, undefined);
      assert.equal(partialResults(c, token).length, atAnswer);
      // A whole report on the same workspace (checked this time as far as the cancelled one went) takes many more.
      const whole = streamed(c);
      assert.deepEqual(await afterFirstPass(whole), { items: [] });
      const all = partialResults(c, whole.token).length;
      assert.ok(atAnswer - atCancel <= 3 && atAnswer < all / 2, `${atCancel} chunks at the cancellation, ${atAnswer} at the answer, ${all} uncancelled`);
    });
  });

  /** Edits on disk a document whose report came in the first chunk, while the rest streams. */
  async function midStream(
    c: TestClient,
    pick: (i: WorkspaceDocumentDiagnosticReport) => boolean,
    edit: (file: string) => FileChangeType,
    now: (last: WorkspaceDocumentDiagnosticReport | undefined) => boolean,
  ) {
    const req = streamed(c);
    const { token, answer } = req;
    let answered = false;
    void answer.then(() => (answered = true));
    const first = await firstChunk(c, token);
    const target = first.items.find(pick);
    assert.ok(target, 'a document to edit in the first chunk');
    const type = edit(fileURLToPath(target.uri));
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: target.uri, type }] });
    // A document pull waits for the file events the server received: once answered, the change is taken.
    const pulled: DocumentDiagnosticReport = await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: target.uri } });
    assert.ok(!answered, 'the change was taken while the report streamed');
    await req.firstPass;
    const last = () =>
      partialResults<Chunk>(c, token)
        .flatMap((ch) => ch.items)
        .filter((i) => i.uri === target.uri)
        .pop();
    // Sent in the first pass, or in the pass after it, which the change (taken while the first went) starts.
    await c.waitFor('the report of the file as it is now', () => now(last()), 20_000).catch(() => undefined);
    req.cancel.cancel();
    assert.deepEqual(await answer, { items: [] });
    return { pulled, last: last() };
  }

  describe('a file changed while it streams', () => {
    const s = coldServer();

    it('ends with the report of the file as it is now', async () => {
      const { pulled, last } = await midStream(
        s.c,
        (i) => i.kind === 'full' && i.uri.endsWith('/00-PHASE_BRIEF.md') && !broken(i.items),
        (file) => {
          fs.appendFileSync(file, `\nSee [the notes](${MISSING}).\n`);
          return FileChangeType.Changed;
        },
        (last) => last?.kind === 'full' && broken(last.items),
      );
      assert.ok(pulled.kind === 'full' && broken(pulled.items), 'the pull sees the change');
      assert.ok(last?.kind === 'full' && broken(last.items), `the last report of the file: ${JSON.stringify(last)}`);
    });
  });

  describe('a file deleted while it streams', () => {
    const s = coldServer();

    it('ends with its report cleared', async () => {
      const { last } = await midStream(
        s.c,
        (i) => i.kind === 'full' && i.uri.endsWith('/05-DECISIONS.md') && broken(i.items),
        (file) => {
          fs.rmSync(file);
          return FileChangeType.Deleted;
        },
        (last) => last?.kind === 'full' && last.items.length === 0,
      );
      assert.ok(last?.kind === 'full' && last.items.length === 0, `the last report of the file: ${JSON.stringify(last)}`);
    });
  });
});
