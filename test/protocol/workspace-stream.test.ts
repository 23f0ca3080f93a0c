/**
 * Workspace diagnostics kept open (LSP's long-running `workspace/diagnostic`): a request with a `partialResultToken`,
 * as vscode-languageclient sends it, is not answered after its first pass; each change of the workspace (an edit of
 * an open document, a file event, a settings change) sends as partial results the reports that differ from what the
 * request sent last, and the request is answered (empty) when the client cancels it or the server shuts down. A
 * request without a token is answered at once, as before. What the open request sent, taken together, is what a
 * fresh request without a token reports (the differential test).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CancellationTokenSource,
  Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DocumentDiagnosticRequest,
  FileChangeType,
  ShutdownRequest,
  WorkspaceDiagnosticReportPartialResult,
  WorkspaceDiagnosticRequest,
  WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { applyChangedPhases, PhasesRequest, type PhasesResult, ServerInfoRequest } from '../../server/src/protocol';
import { buildServer, copyFixture, generatedWorkspace, partialResults, stopOnFixture, TestClient, uri } from './client';

type Chunk = WorkspaceDiagnosticReportPartialResult;

let tokens = 0;

interface Stream {
  /** The partial result token. */
  token: string;
  /** The work-done token: its progress ends with the first pass. */
  workDone: string;
  /** The answer (an error is returned). */
  answer: Promise<unknown>;
  cancel: CancellationTokenSource;
  /** Whether the answer came. */
  answered: () => boolean;
}

/** Sends a workspace diagnostic request with a partial result token and a work-done token. */
function stream(c: TestClient, previousResultIds: { uri: string; value: string }[] = []): Stream {
  const n = ++tokens;
  const token = `stream-${n}`;
  const workDone = `stream-work-${n}`;
  const cancel = new CancellationTokenSource();
  let answered = false;
  const answer = c.conn
    .sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds, partialResultToken: token, workDoneToken: workDone }, cancel.token)
    .then(
      (r) => r,
      (e: unknown) => e,
    )
    .finally(() => (answered = true));
  return { token, workDone, answer, cancel, answered: () => answered };
}

/** Waits for the end of the stream's first pass (its work-done progress ends); how many partial results it sent. */
async function firstPass(c: TestClient, s: Stream): Promise<number> {
  await c.waitFor(
    'the end of the first pass',
    () =>
      c.events.some(
        (e) =>
          e.kind === 'progress' &&
          (e.params as { token: string; value: { kind?: string } }).token === s.workDone &&
          (e.params as { value: { kind?: string } }).value.kind === 'end',
      ),
    60_000,
  );
  return partialResults(c, s.token).length;
}

/** The reports of the partial results from the `from`th on. */
const reportsFrom = (c: TestClient, s: Stream, from = 0): WorkspaceDocumentDiagnosticReport[] =>
  partialResults<Chunk>(c, s.token)
    .slice(from)
    .flatMap((ch) => ch.items);

/** The last full report of each URI in `items`: its diagnostics and result id. */
function held(items: readonly WorkspaceDocumentDiagnosticReport[]): Map<string, { resultId?: string; items: Diagnostic[] }> {
  const out = new Map<string, { resultId?: string; items: Diagnostic[] }>();
  for (const i of items) if (i.kind === 'full') out.set(i.uri, { resultId: i.resultId, items: i.items });
  return out;
}

/** A workspace diagnostic request without a token: answered at once, every document's full report. */
async function freshPull(c: TestClient): Promise<Map<string, { resultId?: string; items: Diagnostic[] }>> {
  const r = await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
  return held(r.items);
}

/**
 * The differences between what the stream sent (accumulated, the last report of each document winning) and a fresh
 * pull: a document the pull does not report must have been cleared (no diagnostics).
 */
function differences(
  streamed: Map<string, { resultId?: string; items: Diagnostic[] }>,
  fresh: Map<string, { resultId?: string; items: Diagnostic[] }>,
): string[] {
  const out: string[] = [];
  for (const [u, f] of fresh) {
    const s = streamed.get(u);
    if (!s) out.push(`${u}: not sent`);
    else if (s.resultId !== f.resultId || JSON.stringify(s.items) !== JSON.stringify(f.items))
      out.push(`${u}: sent ${s.resultId} ${JSON.stringify(s.items.map((d) => d.code))}, pulled ${f.resultId} ${JSON.stringify(f.items.map((d) => d.code))}`);
  }
  for (const [u, s] of streamed) if (!fresh.has(u) && s.items.length) out.push(`${u}: sent ${s.items.length} problems, not pulled`);
  return out;
}

/**
 * A document pull waits for every edit and file event the server received: the fresh pulls after it are of the
 * workspace after them (a workspace pull does not wait for the editor's text still in its debounce).
 */
async function eventsApplied(c: TestClient): Promise<void> {
  await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: pathToFileURL(path.join(c.root, 'no-such-file.md')).href } });
}

/**
 * Waits (on each message of the server, with a deadline) until what the stream sent equals a fresh pull; fails with
 * the differences left.
 */
async function converged(c: TestClient, s: Stream, what: string, timeoutMs = 30_000): Promise<void> {
  await eventsApplied(c);
  let last: string[] = [];
  try {
    await c.until(
      what,
      async () => {
        const fresh = await freshPull(c);
        last = differences(held(reportsFrom(c, s)), fresh);
        return last.length === 0;
      },
      timeoutMs,
    );
  } catch (e) {
    throw new Error(`${what}: what the open request sent differs from a fresh pull:\n${last.slice(0, 20).join('\n')}\n${(e as Error).message.slice(0, 2000)}`);
  }
}

const codes = (ds: readonly Diagnostic[]) => ds.map((d) => String(d.code));

/**
 * A client that asks without a token (as Neovim does), each time with the result ids it holds: the server answers
 * once something changed since its last answer (long-polled). `held` is what it holds: each report taken in, a
 * document cleared (a full report without a result id) left with no problems.
 */
class Poller {
  readonly held = new Map<string, { resultId?: string; items: Diagnostic[] }>();
  constructor(private readonly c: TestClient) {}

  /** One request; false when nothing changed within `waitMs` (the request is cancelled). */
  async poll(waitMs = 1500): Promise<boolean> {
    const previousResultIds = [...this.held].filter(([, r]) => r.resultId).map(([uri, r]) => ({ uri, value: r.resultId! }));
    const cancel = new CancellationTokenSource();
    const timer = setTimeout(() => cancel.cancel(), waitMs);
    try {
      const r = await this.c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds }, cancel.token);
      for (const i of r.items) {
        if (i.kind === 'full') this.held.set(i.uri, { resultId: i.resultId, items: i.items });
        else if (!this.held.has(i.uri)) throw new Error(`${i.uri}: unchanged, but not held`);
      }
      return true;
    } catch (e) {
      if (cancel.token.isCancellationRequested) return false;
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Polls until what it holds equals a fresh pull; fails with the differences left. Before any fresh pull after the
   * change: a request without a token is held while nothing changed since the server last answered one (a fresh
   * pull too), so a poll after a fresh pull waits for the next change.
   */
  async converged(what: string, timeoutMs = 30_000): Promise<void> {
    await eventsApplied(this.c);
    const end = Date.now() + timeoutMs;
    for (;;) {
      // Answered at once when anything changed since the last answer; else held, and cancelled.
      const answered = await this.poll();
      const last = differences(this.held, await freshPull(this.c));
      if (last.length === 0) return;
      if (!answered || Date.now() > end)
        throw new Error(`${what}: what the requests without a token answered differs from a fresh pull:\n${last.slice(0, 20).join('\n')}`);
    }
  }
}

/**
 * The phase tree a client holds, followed by the changes since it (`since`), as the Phases view does: after each
 * change, the tree with the changes applied must be the whole tree (asked for the folder alone, which leaves the
 * answer the next request names as it is).
 */
class TreeFollower {
  private tree: PhasesResult | undefined;
  constructor(private readonly c: TestClient) {}

  async start(): Promise<void> {
    this.tree = await this.c.conn.sendRequest(PhasesRequest, {});
  }

  /** Asks for the changes since the tree held; fails unless the tree they make is the whole tree. How many phases came. */
  async follow(what: string): Promise<number> {
    const r = await this.c.conn.sendRequest(PhasesRequest, { since: this.tree!.id });
    const next = r.changed ? applyChangedPhases(this.tree!, r) : r;
    assert.ok(next, `${what}: changed phases that are not in the tree: ${r.changed?.map((p) => p.uri).join(', ')}`);
    const whole = await this.c.conn.sendRequest(PhasesRequest, { folderUri: pathToFileURL(this.c.root).href });
    assert.deepEqual(next.folders, whole.folders, `${what}: the tree with the changes applied differs from the whole tree`);
    this.tree = next;
    return r.changed?.length ?? -1;
  }
}

describe('language server: workspace diagnostics kept open', function () {
  this.timeout(120_000);

  describe('on the fixture', () => {
    const s = {} as { root: string; c: TestClient };
    before(async () => {
      await buildServer();
      s.root = copyFixture();
      s.c = await TestClient.start(s.root, { pull: true });
    });
    after(async () => {
      const errors = await stopOnFixture(s.c, s.root);
      if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
    });

    it('a request without a token is answered at once with every document, also while a stream is open', async () => {
      const { c } = s;
      const open = stream(c);
      await firstPass(c, open);
      const r = await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
      assert.ok(r.items.length >= 10, `${r.items.length} reports`);
      assert.ok(!open.answered(), 'the stream stays open');
      open.cancel.cancel();
      assert.deepEqual(await open.answer, { items: [] });
    });

    it('stays open after its first pass; an edit of an open validation document sends the next phase input handoff report, and only what changed', async () => {
      const { c, root } = s;
      const out = await c.open('audit/phase-1/07-VALIDATION.md');
      const input = uri(root, 'audit/phase-2/01-INPUT_HANDOFF.md');
      const open = stream(c);
      const first = await firstPass(c, open);
      const all = reportsFrom(c, open);
      assert.ok(all.length >= 10, `${all.length} reports in the first pass`);
      assert.ok(!all.some((i) => i.uri === out.uri), 'the open document is left to the document pull');
      const before = held(all).get(input);
      assert.ok(before, 'the input handoff in the first pass');
      // Phase 1's last gate item ticked, with its evidence: phase 1 passes validation, and phase 2's input handoff is final.
      await c.change(
        out.uri,
        out.text.replace('- [ ] Second reviewer signed off', '- [x] Second reviewer signed off — Evidence: [report](03-FINDINGS/report.md)'),
      );
      const pushed = await c.waitFor('the input handoff report pushed', () => reportsFrom(c, open, first).find((i) => i.uri === input), 20_000);
      assert.equal(pushed.kind, 'full');
      assert.notDeepEqual(codes(pushed.kind === 'full' ? pushed.items : []), codes(before.items));
      assert.ok(!open.answered(), 'still open');
      // Only the reports that changed: a handful, not the workspace.
      await converged(c, open, 'after the edit');
      const later = reportsFrom(c, open, first);
      assert.ok(later.length < all.length / 2, `${later.length} reports pushed after the edit, ${all.length} in the first pass`);
      assert.ok(!later.some((i) => i.kind === 'unchanged'), 'no unchanged reports pushed');
      assert.equal(partialResults(c, open.token).length, first + 1, 'one push');
      // Undone: the report goes back.
      await c.change(out.uri, out.text);
      await c.waitFor('the input handoff report pushed again', () => reportsFrom(c, open, first).filter((i) => i.uri === input).length >= 2, 20_000);
      await converged(c, open, 'after the undo');
      await c.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: out.uri } });
      // Closed, the validation document comes with the workspace diagnostics again.
      await c.waitFor('the closed document reported', () => reportsFrom(c, open, first).some((i) => i.uri === out.uri), 20_000);
      await converged(c, open, 'after the close');
      open.cancel.cancel();
      assert.deepEqual(await open.answer, { items: [] });
    });

    it('a burst of edits makes one push once the last is applied', async () => {
      const { c, root } = s;
      const val = await c.open('audit/phase-1/07-VALIDATION.md');
      const input = uri(root, 'audit/phase-2/01-INPUT_HANDOFF.md');
      const open = stream(c);
      const first = await firstPass(c, open);
      const ticked = val.text.replace('- [ ] Second reviewer signed off', '- [x] Second reviewer signed off — Evidence: [report](03-FINDINGS/report.md)');
      // Typed in quick succession (within the debounce), ending ticked.
      for (let k = 0; k < 6; k++) await c.change(val.uri, k % 2 ? val.text : ticked);
      await c.change(val.uri, ticked);
      await c.waitFor('the input handoff report pushed', () => reportsFrom(c, open, first).find((i) => i.uri === input), 20_000);
      await converged(c, open, 'after the burst');
      assert.equal(partialResults(c, open.token).length, first + 1, 'one push');
      await c.change(val.uri, val.text);
      await c.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: val.uri } });
      await converged(c, open, 'after the close');
      open.cancel.cancel();
      assert.deepEqual(await open.answer, { items: [] });
    });

    it('a file created, changed and deleted on disk (file events) is sent, and cleared once gone', async () => {
      const { c, root } = s;
      const open = stream(c);
      const first = await firstPass(c, open);
      const rel = 'audit/phase-2/03-FINDINGS/streamed.md';
      const file = path.join(root, rel);
      const u = uri(root, rel);
      fs.writeFileSync(file, '# A finding\n\nSee [the notes](missing-streamed.md).\n');
      await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: u, type: FileChangeType.Created }] });
      const created = await c.waitFor('the new file reported', () => reportsFrom(c, open, first).find((i) => i.uri === u), 20_000);
      assert.ok(created.kind === 'full' && codes(created.items).includes('broken-link'), JSON.stringify(created));
      await converged(c, open, 'after the creation');
      const n = partialResults(c, open.token).length;
      fs.writeFileSync(file, '# A finding\n\nNothing broken.\n');
      await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: u, type: FileChangeType.Changed }] });
      const changed = await c.waitFor('the changed file reported', () => reportsFrom(c, open, n).find((i) => i.uri === u), 20_000);
      assert.ok(changed.kind === 'full' && !codes(changed.items).includes('broken-link'), JSON.stringify(changed));
      fs.writeFileSync(file, '# A finding\n\nSee [the notes](missing-streamed.md).\n');
      await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: u, type: FileChangeType.Changed }] });
      await converged(c, open, 'after the change');
      const m = partialResults(c, open.token).length;
      fs.rmSync(file);
      await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: u, type: FileChangeType.Deleted }] });
      const gone = await c.waitFor('the deleted file cleared', () => reportsFrom(c, open, m).find((i) => i.uri === u), 20_000);
      assert.ok(gone.kind === 'full' && gone.items.length === 0, JSON.stringify(gone));
      await converged(c, open, 'after the deletion');
      // Cleared once: a later change does not clear it again.
      const k = partialResults(c, open.token).length;
      const brief = await c.open('audit/phase-1/00-PHASE_BRIEF.md');
      await c.change(brief.uri, `${brief.text}\nSee [x](missing-brief.md).\n`);
      await c.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: brief.uri } });
      await c.waitFor('the closed brief reported', () => reportsFrom(c, open, k).some((i) => i.uri === brief.uri), 20_000);
      await converged(c, open, 'after the brief');
      assert.ok(!reportsFrom(c, open, k).some((i) => i.uri === u), 'the deleted file is not cleared again');
      open.cancel.cancel();
      assert.deepEqual(await open.answer, { items: [] });
    });

    it('a document deleted or moved while open (its folder renamed in the Explorer) is cleared once it closes', async () => {
      // The client holds the open document's problems from the document pull, and keeps them when it closes
      // (vscode-languageclient leaves them to the workspace pull): the open request must clear them.
      const { c, root } = s;
      const open = stream(c);
      const first = await firstPass(c, open);
      const rel = 'audit/phase-2/03-FINDINGS/moved-note.md';
      const file = path.join(root, rel);
      const u = uri(root, rel);
      fs.writeFileSync(file, '# A note\n\nSee [the notes](missing-moved.md).\n');
      await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: u, type: FileChangeType.Created }] });
      const doc = await c.open(rel);
      const pulled = await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: doc.uri } });
      assert.ok(pulled.kind === 'full' && codes(pulled.items).includes('broken-link'), JSON.stringify(pulled));
      await converged(c, open, 'after the open');
      const n = partialResults(c, open.token).length;
      // Moved away on disk (as a rename of its folder does), then the editor closes it.
      fs.renameSync(file, path.join(root, 'audit/phase-2/moved-away.txt'));
      await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: u, type: FileChangeType.Deleted }] });
      await c.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: doc.uri } });
      const cleared = await c.waitFor('the closed document that is gone cleared', () => reportsFrom(c, open, n).find((i) => i.uri === u), 20_000);
      assert.ok(cleared.kind === 'full' && cleared.items.length === 0, JSON.stringify(cleared));
      await converged(c, open, 'after the close');
      assert.ok(first > 0);
      open.cancel.cancel();
      assert.deepEqual(await open.answer, { items: [] });
    });

    it('a settings change sends the reports it changes', async () => {
      const { c } = s;
      const open = stream(c);
      const first = await firstPass(c, open);
      const rule = 'missing-front-matter';
      const withRule = [...held(reportsFrom(c, open))].filter(([, r]) => codes(r.items).includes(rule));
      assert.ok(withRule.length > 0, `a document with ${rule}`);
      c.settings = { rules: { [rule]: 'off' } };
      await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
      await converged(c, open, 'after the settings change');
      const sent = held(reportsFrom(c, open, first));
      for (const [u] of withRule) assert.ok(sent.has(u) && !codes(sent.get(u)!.items).includes(rule), `${u} sent without ${rule}`);
      c.settings = {};
      await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
      await converged(c, open, 'after the settings change back');
      open.cancel.cancel();
      assert.deepEqual(await open.answer, { items: [] });
    });

    it('answered when cancelled while it waits, and sends nothing after; a request with the ids held sends only what changed', async () => {
      const { c, root } = s;
      const open = stream(c);
      await firstPass(c, open);
      const ids = [...held(reportsFrom(c, open))].filter(([, r]) => r.resultId).map(([u, r]) => ({ uri: u, value: r.resultId! }));
      open.cancel.cancel();
      assert.deepEqual(await open.answer, { items: [] });
      const n = partialResults(c, open.token).length;
      // A new request, as a client that cancelled its own starts one, with the result ids it holds.
      const next = stream(c, ids);
      const first = await firstPass(c, next);
      assert.ok(
        reportsFrom(c, next).every((i) => i.kind === 'unchanged'),
        'the first pass with the ids held: nothing changed',
      );
      const brief = await c.open('audit/phase-2/00-PHASE_BRIEF.md');
      await c.change(brief.uri, `${brief.text}\nSee [x](missing-after-cancel.md).\n`);
      await c.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: brief.uri } });
      await c.waitFor('the closed brief reported to the new request', () => reportsFrom(c, next, first).some((i) => i.uri === brief.uri), 20_000);
      // The cancelled request got nothing since (a request answered after the push comes after anything sent before).
      await c.conn.sendRequest(ServerInfoRequest, undefined);
      assert.equal(partialResults(c, open.token).length, n);
      assert.ok(fs.existsSync(root));
      next.cancel.cancel();
      assert.deepEqual(await next.answer, { items: [] });
    });

    it('answered when the server shuts down', async () => {
      const { c } = s;
      const open = stream(c);
      await firstPass(c, open);
      await c.conn.sendRequest(ShutdownRequest.type);
      assert.deepEqual(await open.answer, { items: [] });
    });
  });

  // A client that keeps the reports of documents a report leaves out (VS Code), and one that reads each report as the
  // whole workspace's: a request without a token lists each document to it, and a pass after a change visits them all.
  for (const keeps of [true, false])
    describe(`differential: random edits on a generated workspace (keepsUnreportedDiagnostics: ${keeps})`, () => {
      const s = {} as { root: string; c: TestClient };
      before(async () => {
        await buildServer();
        s.root = await generatedWorkspace('phasegate-stream-', 12, 3);
        s.c = await TestClient.start(s.root, {
          pull: true,
          settings: { validate: { debounceMs: 20 } },
          initializationOptions: { keepsUnreportedDiagnostics: keeps },
        });
      });
      after(async () => {
        const errors = await stopOnFixture(s.c, s.root);
        if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
      });

      it('a document opened and closed with its text on disk is cleared, then sent again, to the open request and to one without a token', async () => {
        const { c } = s;
        const open = stream(c);
        const first = await firstPass(c, open);
        const poller = new Poller(c);
        await poller.converged('before the open');
        // A document with problems: the engine's result for it does not change when it is opened or closed with the text
        // it has on disk, so only the open documents' own tracking brings it into the passes after those.
        const [u] = [...held(reportsFrom(c, open))].find(([x, r]) => r.items.length > 0 && x.endsWith('.md')) ?? [];
        assert.ok(u, 'a document with problems on disk');
        const rel = path.relative(c.root, fileURLToPath(u)).split(path.sep).join('/');
        const doc = await c.open(rel);
        await c.waitFor(
          'the opened document cleared',
          () => reportsFrom(c, open, first).find((i) => i.uri === u && i.kind === 'full' && !i.items.length),
          20_000,
        );
        // The poller first: a request without a token is held while nothing changed since one was answered (a fresh pull too).
        await poller.converged('after the open');
        await converged(c, open, 'after the open');
        assert.equal(poller.held.get(u)?.items.length, 0, 'cleared for the client without a token');
        const n = partialResults(c, open.token).length;
        await c.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: doc.uri } });
        await c.waitFor(
          'the closed document sent again',
          () => reportsFrom(c, open, n).find((i) => i.uri === u && i.kind === 'full' && i.items.length),
          20_000,
        );
        await poller.converged('after the close');
        await converged(c, open, 'after the close');
        assert.ok(poller.held.get(u)?.items.length, 'sent again to the client without a token');
        open.cancel.cancel();
        assert.deepEqual(await open.answer, { items: [] });
      });

      it('cross-file effects: the next phase input handoff, the plan, files deleted and created, a config change', async () => {
        const { c, root } = s;
        const open = stream(c);
        await firstPass(c, open);
        const poller = new Poller(c);
        const tree = new TreeFollower(c);
        await poller.poll();
        await tree.start();
        // A second client asking without a token, answered once now.
        const late = new Poller(c);
        await late.poll();
        /** Each check after a change: the stream, the requests without a token and the tree agree with fresh answers. */
        const agreed = async (what: string) => {
          await poller.converged(what);
          await converged(c, open, what);
          return tree.follow(what);
        };
        const reportOf = (u: string) =>
          held(reportsFrom(c, open))
            .get(u)
            ?.items.map((d) => `${d.code}@${d.range.start.line}`);
        // Phase 3's output handoff, open, withdraws an input that phase 4's input handoff (not open) lists.
        const outRel = 'audit-deployment/phase-3/06-OUTPUT_HANDOFF.md';
        const input = uri(root, 'audit-deployment/phase-4/01-INPUT_HANDOFF.md');
        const before = reportOf(input);
        const out = await c.open(outRel);
        const withdrawn = out.text.replace(/^- Input 3: .*$/m, '- Input 3: withdrawn');
        assert.notEqual(withdrawn, out.text);
        await c.change(out.uri, withdrawn);
        assert.ok((await agreed('output handoff edited')) > 0, 'phases sent');
        assert.notDeepEqual(reportOf(input), before, 'the next phase input handoff report changed');
        // Its next request, after another change, is made from the state of the other client's last answer (after the
        // edit): the reports it holds otherwise than the server last made them (the input handoff's) are sent too.
        const far = await c.open('audit-deployment/phase-9/00-PHASE_BRIEF.md');
        await c.change(far.uri, `${far.text}\nMore.\n`);
        await late.converged('a second client, after another change');
        await c.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: far.uri } });
        await agreed('a brief edited and closed');
        await c.change(out.uri, out.text);
        await agreed('output handoff restored');
        assert.deepEqual(reportOf(input), before);
        await c.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: out.uri } });
        await agreed('output handoff closed');
        // An iAI phase the plan marks complete loses its execution proof (on disk): the plan (not open) reports it.
        const plan = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('project_implementation_plan.md'))!;
        const planUri = uri(root, plan);
        const planBefore = reportOf(planUri);
        const responses = path.join(root, path.dirname(plan), 'workstreams', 'Build');
        const phaseDir = fs.readdirSync(responses).find((d) => /^Phase_1_/.test(d))!;
        const response = path.join(responses, phaseDir, 'implementation_response_from_AI.md');
        const responseText = fs.readFileSync(response, 'utf8');
        fs.writeFileSync(response, responseText.replace('## Execution Proof', '## Notes'));
        await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, {
          changes: [{ uri: pathToFileURL(response).href, type: FileChangeType.Changed }],
        });
        await agreed('execution proof removed');
        assert.notDeepEqual(reportOf(planUri), planBefore, "the plan's report changed");
        fs.writeFileSync(response, responseText);
        await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, {
          changes: [{ uri: pathToFileURL(response).href, type: FileChangeType.Changed }],
        });
        await agreed('execution proof back');
        assert.deepEqual(reportOf(planUri), planBefore);
        // Phase 5's output handoff deleted, then created again.
        const gone = path.join(root, 'audit-deployment/phase-5/06-OUTPUT_HANDOFF.md');
        const goneText = fs.readFileSync(gone, 'utf8');
        fs.rmSync(gone);
        await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(gone).href, type: FileChangeType.Deleted }] });
        await agreed('output handoff deleted');
        fs.writeFileSync(gone, goneText);
        await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(gone).href, type: FileChangeType.Created }] });
        await agreed('output handoff created again');
        // A config change (the folder loads again), then a document opened and closed between two passes.
        const config = path.join(root, 'phasegate.yaml');
        fs.writeFileSync(config, 'rules:\n  handoff-mismatch: hint\n');
        await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, {
          changes: [{ uri: uri(root, 'phasegate.yaml'), type: FileChangeType.Created }],
        });
        await agreed('config created');
        const brief = await c.open('audit-deployment/phase-2/00-PHASE_BRIEF.md');
        await c.change(brief.uri, `${brief.text}\nSee [x](missing-cross-file.md).\n`);
        await c.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: brief.uri } });
        await agreed('a brief opened, edited and closed');
        fs.rmSync(config);
        await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, {
          changes: [{ uri: uri(root, 'phasegate.yaml'), type: FileChangeType.Deleted }],
        });
        await agreed('config removed');
        open.cancel.cancel();
        assert.deepEqual(await open.answer, { items: [] });
      });

      it('after each burst of random edits, what the open request sent equals a fresh pull', async () => {
        const { c, root } = s;
        const files = (dir: string): string[] =>
          fs
            .readdirSync(dir, { withFileTypes: true })
            .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : []));
        // A seeded generator: the same edits each run.
        let seed = Number(process.env.STREAM_SEED ?? 7);
        // mulberry32: an integer in [0, n).
        const rand = (n: number) => {
          seed = (seed + 0x6d2b79f5) | 0;
          let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
          t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
          return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
        };
        const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)];
        const rel = (f: string) => path.relative(root, f);
        const openDocs = new Map<string, { uri: string; text: string }>();
        /** A text edited: a line dropped, doubled, renamed or a broken link added. */
        const mutate = (text: string): string => {
          const lines = text.split('\n');
          const i = rand(lines.length);
          switch (rand(4)) {
            case 0:
              lines.splice(i, 1);
              break;
            case 1:
              lines.splice(i, 0, lines[i]);
              break;
            case 2:
              lines[i] = lines[i].replace(/[A-Za-z]{4,}/, 'Renamed');
              break;
            default:
              lines.splice(i, 0, `See [x](missing-${rand(1000)}.md).`);
          }
          return lines.join('\n');
        };
        const open = stream(c);
        await firstPass(c, open);
        // And a client that asks without a token, and the phase tree followed by its changes.
        const poller = new Poller(c);
        await poller.converged('after the first pass');
        await converged(c, open, 'after the first pass');
        const tree = new TreeFollower(c);
        await tree.start();
        let created = 0;
        let pushed = 0;
        for (let burst = 0; burst < 30; burst++) {
          const pushes = partialResults(c, open.token).length;
          const steps: string[] = [];
          for (let k = 1 + rand(4); k > 0; k--) {
            const all = files(root);
            const handoffs = all.filter((f) => /OUTPUT_HANDOFF|implementation_plan|INPUT_HANDOFF/.test(f));
            switch (rand(8)) {
              case 0: {
                // An edit of an open document (an output handoff or the plan, mostly).
                const f = rand(3) ? pick(handoffs) : pick(all);
                let d = openDocs.get(f);
                if (!d) {
                  d = await c.open(rel(f));
                  openDocs.set(f, d);
                }
                d.text = mutate(d.text);
                await c.change(d.uri, d.text);
                steps.push(`edit ${rel(f)}`);
                break;
              }
              case 1: {
                // An open document closed (its text on disk comes back).
                if (!openDocs.size) break;
                const f = pick([...openDocs.keys()]);
                const d = openDocs.get(f)!;
                openDocs.delete(f);
                await c.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: d.uri } });
                steps.push(`close ${rel(f)}`);
                break;
              }
              case 2:
              case 3: {
                // A file changed on disk.
                const f = pick(all.filter((x) => !openDocs.has(x)));
                fs.writeFileSync(f, mutate(fs.readFileSync(f, 'utf8')));
                await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(root, rel(f)), type: FileChangeType.Changed }] });
                steps.push(`change ${rel(f)}`);
                break;
              }
              case 4: {
                // A file deleted.
                const f = pick(all.filter((x) => !openDocs.has(x)));
                fs.rmSync(f);
                await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(root, rel(f)), type: FileChangeType.Deleted }] });
                steps.push(`delete ${rel(f)}`);
                break;
              }
              case 5: {
                // A file created beside another.
                const dir = path.dirname(pick(all));
                const f = path.join(dir, `new-${++created}.md`);
                fs.writeFileSync(f, `# New ${created}\n\nSee [x](missing-new-${created}.md).\n`);
                await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(root, rel(f)), type: FileChangeType.Created }] });
                steps.push(`create ${rel(f)}`);
                break;
              }
              case 6: {
                // The config file written (a rule's severity), or removed: the folder loads again.
                const f = path.join(root, 'phasegate.yaml');
                const had = fs.existsSync(f);
                if (had && rand(2)) {
                  fs.rmSync(f);
                  await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, {
                    changes: [{ uri: uri(root, 'phasegate.yaml'), type: FileChangeType.Deleted }],
                  });
                  steps.push('config removed');
                } else {
                  const text = `rules:\n  ${pick(['broken-link', 'unfilled-placeholder', 'handoff-mismatch'])}: ${pick(['off', 'hint', 'error'])}\n`;
                  fs.writeFileSync(f, text);
                  await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, {
                    changes: [{ uri: uri(root, 'phasegate.yaml'), type: had ? FileChangeType.Changed : FileChangeType.Created }],
                  });
                  steps.push(`config ${JSON.stringify(text)}`);
                }
                break;
              }
              default: {
                // A rule's severity changed, or set back.
                c.settings = rand(2)
                  ? { validate: { debounceMs: 20 }, rules: { [pick(['broken-link', 'handoff-mismatch', 'unfilled-placeholder'])]: pick(['off', 'hint']) } }
                  : { validate: { debounceMs: 20 } };
                await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
                steps.push(`settings ${JSON.stringify(c.settings)}`);
              }
            }
          }
          await poller.converged(`burst ${burst}: ${steps.join(', ')}`);
          await converged(c, open, `burst ${burst}: ${steps.join(', ')}`);
          await tree.follow(`burst ${burst}: ${steps.join(', ')}`);
          if (partialResults(c, open.token).length > pushes) pushed++;
          if (process.env.STREAM_TRACE) console.log(`burst ${burst}: ${steps.join(', ')}`);
        }
        // The edits changed what the workspace reports, most times.
        assert.ok(pushed >= 15, `${pushed} of 30 bursts pushed reports`);
        assert.ok(!open.answered(), 'still open');
        open.cancel.cancel();
        assert.deepEqual(await open.answer, { items: [] });
      });
    });
});
