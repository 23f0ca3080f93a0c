/**
 * A client that watches no files for the server (Neovim 0.7: no dynamic registration of
 * workspace/didChangeWatchedFiles): the server watches the workspace's folders on disk itself, so files written
 * outside the editor (a checkout, `phasegate new`, a script) reach the diagnostics of the open documents. A client
 * that watches (VS Code) has the server watch nothing itself.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, type Diagnostic, type PublishDiagnosticsParams, type RegistrationParams } from 'vscode-languageserver-protocol';
import { TestClient, buildServer, copyFixture, stopOnFixture } from './client';

const BRIEF = 'audit/phase-2/00-PHASE_BRIEF.md';
const VALIDATION = 'audit/phase-2/07-VALIDATION.md';
const NO_VALIDATION = (d: Diagnostic) => d.code === 'missing-document' && String(d.message).includes('validation checklist');

describe('language server: a client that watches no files (the server watches the folders on disk)', function () {
  this.timeout(60_000);
  let c: TestClient | undefined;
  let root: string | undefined;
  afterEach(async () => {
    const errors = await stopOnFixture(c, root);
    c = root = undefined;
    if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
  });

  /** Whether the server registered file watchers with the client. */
  const watchersAsked = (client: TestClient) =>
    client.events.some(
      (e) => e.kind === 'register' && (e.params as RegistrationParams).registrations.some((r) => r.method === DidChangeWatchedFilesNotification.method),
    );

  /** The latest publish for `u` after the first `from` ones, if it satisfies `pred`. */
  const latestAfter = (client: TestClient, u: string, from: number, pred: (p: PublishDiagnosticsParams) => boolean) => {
    const all = client.publishes(u);
    const last = all[all.length - 1];
    return all.length > from && pred(last) ? last : undefined;
  };

  it('a file created, then deleted, on disk: the open document diagnostics follow, with no event from the client', async () => {
    await buildServer();
    root = copyFixture();
    c = await TestClient.start(root, { pull: false, watchFiles: false });
    const client = c;
    const doc = await client.open(BRIEF);
    await client.waitFor('the first diagnostics', () => latestAfter(client, doc.uri, 0, (p) => p.diagnostics.some(NO_VALIDATION)));
    await client.waitFor('the server watching', () => client.logs.find((l) => /the server watches \d+ folders on disk itself/.test(l)));
    assert.equal(watchersAsked(client), false, 'no watchers asked of the client');

    let seen = client.publishes(doc.uri).length;
    fs.writeFileSync(path.join(root, VALIDATION), '# Phase 2 Validation\n\n- [ ] Tests pass\n');
    await client.waitFor('the validation checklist found', () => latestAfter(client, doc.uri, seen, (p) => !p.diagnostics.some(NO_VALIDATION)));

    seen = client.publishes(doc.uri).length;
    fs.rmSync(path.join(root, VALIDATION));
    await client.waitFor('the validation checklist gone', () => latestAfter(client, doc.uri, seen, (p) => p.diagnostics.some(NO_VALIDATION)));

    // A phase folder created whole after the walk, its documents written into it at once.
    seen = client.publishes(doc.uri).length;
    fs.mkdirSync(path.join(root, 'audit/phase-3'));
    fs.writeFileSync(path.join(root, 'audit/phase-3/00-PHASE_BRIEF.md'), '# Phase 3: Release\n');
    fs.writeFileSync(path.join(root, 'audit/phase-3/01-INPUT_HANDOFF.md'), '# Phase 3 Input Handoff\n');
    const third = await client.open('audit/phase-3/01-INPUT_HANDOFF.md');
    await client.waitFor('the new phase checked', () => client.publishes(third.uri).length > 0);
  });

  it('a client that registers watchers: the server watches nothing itself', async () => {
    await buildServer();
    root = copyFixture();
    c = await TestClient.start(root, { pull: false });
    const client = c;
    const doc = await client.open(BRIEF);
    await client.waitFor('the first diagnostics', () => latestAfter(client, doc.uri, 0, (p) => p.diagnostics.some(NO_VALIDATION)));
    await client.waitFor('watchers registered', () => watchersAsked(client));
    // Written on disk with no event from this client: nothing tells the server (VS Code would send the event).
    const seen = client.publishes(doc.uri).length;
    fs.writeFileSync(path.join(root, VALIDATION), '# Phase 2 Validation\n');
    // A request after the write, answered after anything the server took meanwhile.
    await client.until(
      'a hover answered',
      async () => (await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: doc.uri }, position: { line: 0, character: 0 } })) ?? true,
    );
    assert.ok(!client.logs.some((l) => /server watches \d+ folders/.test(l)), client.logs.join('\n'));
    assert.equal(
      latestAfter(client, doc.uri, seen, (p) => !p.diagnostics.some(NO_VALIDATION)),
      undefined,
    );
  });
});
