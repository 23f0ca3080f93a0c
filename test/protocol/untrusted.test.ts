/**
 * An untrusted workspace (`trusted: false`) whose phasegate.yaml names workspace schemas and whose default
 * templates folder holds a template: the server uses the built-in ones, says so on `schemas:` without calling
 * the config broken, and the template commands still write documents (from the built-in templates).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { NewDocumentRequest } from '../../server/src/protocol';
import { buildServer, copyFixture, stopOnFixture, TestClient, uri } from './client';

const MARKER = '<!-- the workspace finding template -->';
const FILES: Record<string, string> = {
  'phasegate.yaml': 'schemas:\n  finding: schemas/finding.json\n',
  'schemas/finding.json': JSON.stringify({ type: 'object', required: ['reviewer'] }),
  '.phasegate/templates/finding.md.hbs': `---\nphase: {{quote phase.id}}\ntitle: "Finding"\n---\n\n${MARKER}\n\n# Finding\n`,
};

for (const trusted of [false, true]) {
  describe(`language server: template commands in ${trusted ? 'a trusted' : 'an untrusted'} workspace that names its own schemas and templates`, function () {
    this.timeout(60_000);
    let root: string;
    let c: TestClient;

    before(async () => {
      await buildServer();
      root = copyFixture();
      for (const [rel, text] of Object.entries(FILES)) {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), text);
      }
      c = await TestClient.start(root, { pull: false, initializationOptions: { trusted } });
    });
    after(async () => {
      assert.deepEqual(await stopOnFixture(c, root), [], 'the server logged no errors');
    });

    if (!trusted)
      it('says on `schemas:` that they are ignored, as a warning, not an error of the config', async () => {
        const { uri: config } = await c.open('phasegate.yaml');
        const d = await c.waitFor('the notice on phasegate.yaml', () =>
          c
            .publishes(config)
            .flatMap((p) => p.diagnostics)
            .find((x) => typeof x.message === 'string' && /ignored in an untrusted workspace/.test(x.message)),
        );
        assert.equal(d.code, 'invalid-config');
        assert.equal(d.severity, DiagnosticSeverity.Warning);
        assert.equal(d.range.start.line, 1, 'at the kind under schemas:');
      });

    it(`New Finding writes the finding from the ${trusted ? "workspace's" : 'built-in'} template`, async () => {
      const targetUri = uri(root, 'audit/phase-1').replace(/\/$/, '');
      const r = await c.until('the config read', async () => {
        const x = await c.conn.sendRequest(NewDocumentRequest, { what: 'finding', targetUri, options: { title: 'Stale lockfile' } });
        return x.files.length || x.errors.length ? x : undefined;
      });
      assert.deepEqual(r.errors, []);
      assert.deepEqual(
        r.files.map((f) => path.relative(root, new URL(f.uri).pathname)),
        ['audit/phase-1/03-FINDINGS/stale-lockfile.md'],
      );
      const text = (r.edit?.documentChanges ?? [])
        .filter((o): o is TextDocumentEdit => 'textDocument' in o)
        .flatMap((o) => o.edits.map((e) => ('newText' in e ? e.newText : '')))
        .join('');
      assert.equal(text.includes(MARKER), trusted, text);
    });
  });
}
