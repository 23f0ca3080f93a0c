// Runs inside the extension host in a folder VS Code does not trust (restricted mode): a copy of examples/ with the
// planted defect and a workspace schema (../untrusted.js) that only a trusted folder may use.
const assert = require('node:assert/strict');
const vscode = require('vscode');
const pkg = require('../../../package.json');
const { DEFECT } = require('../defect');
const { UNTRUSTED } = require('../untrusted');
const { waitForDiagnostics, codeOf, wsFile } = require('../suite/helpers');

describe('Phasegate in an untrusted folder', function () {
  let api;

  before(async function () {
    const ext = vscode.extensions.getExtension(`${pkg.publisher}.${pkg.name}`);
    assert.ok(ext, 'the extension is installed');
    api = await ext.activate();
  });

  it('runs in restricted mode', async function () {
    assert.equal(vscode.workspace.isTrusted, false, 'the folder is not trusted');
    assert.equal(api.running, true, 'language client is running');
  });

  it("checks with the built-in schemas only: the folder's own schema does not apply", async function () {
    const uri = wsFile(...DEFECT.file.split('/'));
    await vscode.window.showTextDocument(uri);
    // The planted defect shows, so the document has been checked ...
    const diags = await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === DEFECT.code));
    // ... and without the workspace schema, which would require a front matter field the document lacks.
    const schema = diags.filter((d) => codeOf(d) === 'front-matter-schema');
    assert.deepEqual(
      schema.map((d) => d.message),
      [],
      `the workspace schema for ${UNTRUSTED.kind} (${UNTRUSTED.schemaFile}) must not apply in an untrusted folder`,
    );
  });
});
