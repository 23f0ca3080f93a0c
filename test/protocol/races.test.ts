/**
 * Edits racing the server's work: a document closed unsaved while other documents' diagnostics depend on
 * its editor text, edits arriving while a request that returns edits is answered, and the line numbers of
 * the features that answer in lines only for a text sent with a byte order mark.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeLens,
  CodeLensRequest,
  Diagnostic,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReport,
  DocumentDiagnosticRequest,
  FileChangeType,
  FoldingRange,
  FoldingRangeRequest,
  PublishDiagnosticsParams,
  TextDocumentEdit,
  WorkspaceDiagnosticRequest,
} from 'vscode-languageserver-protocol/node';
import type { TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CompleteHandoffRequest, NewDocumentRequest } from '../../server/src/protocol';
import { fixtureServer, TestClient, uri } from './client';

const P1_OUTPUT = 'audit/phase-1/06-OUTPUT_HANDOFF.md';
const P2_INPUT = 'audit/phase-2/01-INPUT_HANDOFF.md';
const P2_BRIEF = 'audit/phase-2/00-PHASE_BRIEF.md';
const P1_VALIDATION = 'audit/phase-1/07-VALIDATION.md';

/** An item of phase 1's output that phase 2's input handoff does not take: `handoff-mismatch` there. */
const withExtraArtifact = (text: string) =>
  text.replace('## Recommended Next Steps', '- Coverage data: [coverage](04-ARTIFACTS/coverage.md) - coverage per module\n\n## Recommended Next Steps');

const mismatch = (ds: readonly Diagnostic[]) => ds.some((d) => d.code === 'handoff-mismatch');

async function pull(c: TestClient, u: string): Promise<Diagnostic[]> {
  const r: DocumentDiagnosticReport = await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u } });
  assert.equal(r.kind, 'full');
  return r.kind === 'full' ? r.items : [];
}

/** The items of the workspace report of `u` (a document that is not open), from a pull that waits for nothing. */
async function workspaceItems(c: TestClient, u: string): Promise<Diagnostic[] | undefined> {
  const r = await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
  const item = r.items.find((i) => i.uri === u);
  return item?.kind === 'full' ? item.items : undefined;
}

const close = (c: TestClient, u: string) => c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: u } });

describe('language server: an output handoff closed unsaved (pull)', function () {
  this.timeout(60_000);
  const s = fixtureServer({ pull: true });

  it("the next phase's open input handoff is refreshed back to the disk's diagnostics", async () => {
    const { c, root } = s;
    const input = await c.open(P2_INPUT);
    assert.ok(!mismatch(await pull(c, input.uri)));
    const out = await c.open(P1_OUTPUT);
    const before = c.count('refresh');
    await c.change(out.uri, withExtraArtifact(out.text));
    await c.waitFor('a refresh after the edit', () => c.count('refresh') > before);
    assert.ok(mismatch(await pull(c, input.uri)), 'the edited output counts');
    const beforeClose = c.count('refresh');
    await close(c, out.uri);
    // The client pulls the input again only when asked to.
    await c.waitFor('a refresh after the close', () => c.count('refresh') > beforeClose);
    assert.ok(!mismatch(await pull(c, input.uri)), 'the disk text counts again');
    // The closed output is the workspace report's again, from its disk text.
    assert.deepEqual(await workspaceItems(c, uri(root, P1_OUTPUT)), []);
    await close(c, input.uri);
  });

  it("the next phase's closed input handoff follows in the workspace diagnostics", async () => {
    const { c, root } = s;
    const inputUri = uri(root, P2_INPUT);
    const out = await c.open(P1_OUTPUT);
    await c.change(out.uri, withExtraArtifact(out.text));
    await c.until('the mismatch in the workspace report', async () => mismatch((await workspaceItems(c, inputUri)) ?? []));
    await close(c, out.uri);
    await c.until('the mismatch gone from the workspace report', async () => {
      const items = await workspaceItems(c, inputUri);
      return items !== undefined && !mismatch(items);
    });
  });
});

describe('language server: an output handoff closed unsaved (push)', function () {
  this.timeout(60_000);
  const s = fixtureServer({ pull: false });

  const last = (c: TestClient, u: string): PublishDiagnosticsParams | undefined => c.publishes(u).at(-1);

  it("publishes the next phase's input handoff again with the disk's diagnostics", async () => {
    const { c } = s;
    const input = await c.open(P2_INPUT);
    await c.waitFor('the first publish of the input', () => last(c, input.uri));
    assert.ok(!mismatch(last(c, input.uri)!.diagnostics));
    const out = await c.open(P1_OUTPUT);
    await c.change(out.uri, withExtraArtifact(out.text));
    await c.waitFor('the mismatch published', () => mismatch(last(c, input.uri)!.diagnostics));
    await close(c, out.uri);
    await c.waitFor('the mismatch gone', () => !mismatch(last(c, input.uri)!.diagnostics));
  });

  it('an edit still waiting (debounced) when its document closes never applies', async () => {
    const { c } = s;
    const input = uri(s.root, P2_INPUT);
    const published = c.publishes(input).length;
    const out = await c.open(P1_OUTPUT);
    await c.change(out.uri, withExtraArtifact(out.text));
    await close(c, out.uri);
    // Another document edited after the close, with the same debounce: its publish comes after the
    // moment the closed document's edit would have applied.
    const brief = await c.open(P2_BRIEF);
    await c.waitFor('the brief published', () => last(c, brief.uri));
    const n = c.publishes(brief.uri).length;
    await c.change(brief.uri, brief.text.replace('## Deliverables', '## Scope\n\nAll modules.\n\n## Deliverables'));
    await c.waitFor('the brief published after its edit', () => c.publishes(brief.uri).length > n);
    assert.ok(
      !c
        .publishes(input)
        .slice(published)
        .some((p) => mismatch(p.diagnostics)),
      JSON.stringify(c.publishes(input)),
    );
    assert.ok(!mismatch(last(c, input)!.diagnostics));
  });
});

describe('language server: edits arriving while a request computes edits', function () {
  this.timeout(60_000);
  const s = fixtureServer({ pull: true });

  before(async () => {
    // Indexed: the requests below wait for nothing but the edits.
    await s.c.waitFor('progress end', () => s.c.events.some((e) => e.kind === 'progress' && (e.params as { value: { kind: string } }).value.kind === 'end'));
  });

  /** Applies the edits of one document to the text of the version they carry. */
  const applyTo = (texts: Map<number, string>, e: TextDocumentEdit): string => {
    const version = e.textDocument.version;
    assert.ok(version !== null && texts.has(version), `a version the client sent: ${version}`);
    return TextDocument.applyEdits(TextDocument.create(e.textDocument.uri, 'markdown', version, texts.get(version)!), e.edits as TextEdit[]);
  };

  it('phasegate/newDocument: the edit of the open project plan carries the version it was planned on', async () => {
    const { c, root } = s;
    const rel = 'project/project_implementation_plan.md';
    const text = '# Plan\n\n## Phase Status\n\n| Workstream | Phase | Status |\n| --- | --- | --- |\n| Build | Phase_1_CI | Complete |\n\nNotes.\n';
    fs.writeFileSync(path.join(root, rel), text);
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(root, rel), type: FileChangeType.Created }] });
    const plan = await c.open(rel);
    const texts = new Map([[1, text]]);
    const request = c.conn.sendRequest(NewDocumentRequest, {
      what: 'phase',
      targetUri: uri(root, 'project/workstreams/Build'),
      options: { title: 'Release', layout: 'iai' },
    });
    // Typed while the request is answered: lines above the table, which move its rows down.
    const typed = text.replace('# Plan\n', '# Plan\n\nIntro.\n\nMore intro.\n');
    texts.set(await c.change(plan.uri, typed), typed);
    const r = await request;
    assert.deepEqual(r.errors, []);
    const planEdits = r.edit!.documentChanges!.filter((o): o is TextDocumentEdit => 'textDocument' in o && o.textDocument.uri === plan.uri);
    assert.equal(planEdits.length, 1);
    const base = texts.get(planEdits[0].textDocument.version!)!;
    assert.equal(applyTo(texts, planEdits[0]), base.replace('Complete |\n', 'Complete |\n| Build | Phase_2_Release | Not started |\n'));
    await close(c, plan.uri);
    fs.rmSync(path.join(root, rel));
  });

  it('phasegate/completeHandoff: the edit of the open input handoff carries the version it was computed on', async () => {
    const { c, root } = s;
    const out = await c.open(P1_OUTPUT);
    await c.change(out.uri, withExtraArtifact(out.text));
    const input = await c.open(P2_INPUT);
    const texts = new Map([[1, input.text]]);
    const request = c.conn.sendRequest(CompleteHandoffRequest, { phaseUri: uri(root, 'audit/phase-2').replace(/\/$/, '') });
    const typed = input.text.replace('## Source\n', '## Source\n\nA note.\n\nAnother note.\n');
    texts.set(await c.change(input.uri, typed), typed);
    const r = await request;
    assert.ok(r.edit, r.message);
    const edits = r.edit.documentChanges!.filter((o): o is TextDocumentEdit => 'textDocument' in o && o.textDocument.uri === input.uri);
    assert.equal(edits.length, 1);
    const next = applyTo(texts, edits[0]);
    assert.match(next, /## Inputs Received\n\n- Audit report: .*\n- Coverage data: \[coverage\]\(\.\.\/phase-1\/04-ARTIFACTS\/coverage\.md\)/);
    assert.equal(next.replace(/- Coverage data: .*\n/, ''), texts.get(edits[0].textDocument.version!)!);
    await close(c, input.uri);
    await close(c, out.uri);
  });
});

describe('language server: code lenses and folding of a text sent with a byte order mark', function () {
  this.timeout(60_000);
  const s = fixtureServer({ pull: true });

  it('are on the same lines as without it', async () => {
    const { c } = s;
    const { uri: u, text } = await c.open(P1_VALIDATION);
    const ask = async () => ({
      lenses: ((await c.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: u } })) as CodeLens[]).map((l) => [
        l.range.start.line,
        l.range.end.line,
        l.command?.title,
      ]),
      folds: ((await c.conn.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: u } })) as FoldingRange[]).map((f) => [f.startLine, f.endLine]),
    });
    const without = await ask();
    assert.ok(without.lenses.length > 0 && without.folds.some(([start]) => start === 0), JSON.stringify(without));
    await c.change(u, '\uFEFF' + text);
    assert.deepEqual(await ask(), without);
    // The title on the first line (no front matter): the phase lens and the section's fold start there.
    const plain = text.replace(/^---\n[\s\S]*?\n---\n\n?/, '');
    await c.change(u, plain);
    const first = await ask();
    assert.ok(
      first.folds.some(([start]) => start === 0),
      JSON.stringify(first),
    );
    await c.change(u, '\uFEFF' + plain);
    assert.deepEqual(await ask(), first);
    await c.change(u, text);
  });
});
