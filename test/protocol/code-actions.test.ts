/** Code actions over the protocol: what they edit is the text the client holds at the version they name. */
import * as assert from 'node:assert/strict';
import {
  CodeAction,
  CodeActionRequest,
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DocumentDiagnosticRequest,
  LSPErrorCodes,
  ResponseError,
} from 'vscode-languageserver-protocol/node';
import { fixtureServer } from './client';

const BRIEF = 'audit/phase-1/00-PHASE_BRIEF.md';

describe('language server: code actions', function () {
  this.timeout(60_000);
  const s = fixtureServer({ pull: true });

  it('gives no actions computed on text that changed while they were computed (the settings were asked meanwhile)', async () => {
    const { c } = s;
    const { uri: u, text } = await c.open(BRIEF);
    // Without front matter: its problem has quick fixes at line 0.
    const body = text.replace(/^---\n[\s\S]*?\n---\n\n?/, '');
    await c.change(u, body);
    // Applied (a pull waits for the pending text).
    await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u } });
    // The client answers the document's settings only when the test says so.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let asked = 0;
    c.conn.onRequest(ConfigurationRequest.type, async (p) => {
      if (p.items.some((it) => it.scopeUri === u)) {
        asked++;
        await held;
      }
      return p.items.map((it) => (it.section === 'phasegate' ? c.settings : null));
    });
    const refreshes = c.count('refresh');
    await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
    // The server took the new settings (its folders reloaded): it asks for a new pull.
    await c.waitFor('the refresh after the settings changed', () => c.count('refresh') > refreshes);
    const before = asked;
    const pending = c.conn
      .sendRequest(CodeActionRequest.type, {
        textDocument: { uri: u },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } },
        context: { diagnostics: [] },
      })
      .then(
        (r) => r as CodeAction[],
        (e: unknown) => e as ResponseError,
      );
    await c.waitFor('the settings asked for the document', () => asked > before);
    // The user types a line above the title meanwhile.
    const version = await c.change(u, 'Intro line.\n\n' + body);
    release();
    const r = await pending;
    if (r instanceof ResponseError) assert.equal(r.code, LSPErrorCodes.ContentModified);
    else {
      const stale = r.filter((a) => a.edit?.documentChanges?.some((d) => 'textDocument' in d && d.textDocument.version === version));
      assert.deepEqual(
        stale.map((a) => a.title),
        [],
        'no action computed on the old text carries the new version',
      );
    }
  });
});
