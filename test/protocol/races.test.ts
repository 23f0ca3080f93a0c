/**
 * Edits racing the server's work: edits arriving while a request that returns edits is answered.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, FileChangeType, TextDocumentEdit } from 'vscode-languageserver-protocol/node';
import type { TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CompleteHandoffRequest, NewDocumentRequest } from '../../server/src/protocol';
import { fixtureServer, TestClient, uri } from './client';

const P1_OUTPUT = 'audit/phase-1/06-OUTPUT_HANDOFF.md';
const P2_INPUT = 'audit/phase-2/01-INPUT_HANDOFF.md';

/** An item of phase 1's output that phase 2's input handoff does not take: `handoff-mismatch` there. */
const withExtraArtifact = (text: string) =>
  text.replace('## Recommended Next Steps', '- Coverage data: [coverage](04-ARTIFACTS/coverage.md) - coverage per module\n\n## Recommended Next Steps');

const close = (c: TestClient, u: string) => c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: u } });

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
