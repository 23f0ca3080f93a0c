// Runs inside the extension host in a folder VS Code does not trust (restricted mode): a copy of examples/ with the
// planted defect, a workspace schema, a workspace template and a folder setting (../untrusted.js) that only a
// trusted folder may use. Runs before 2-trust-granted.test.js, which trusts the folder.
const assert = require('node:assert/strict');
const vscode = require('vscode');
const pkg = require('../../../package.json');
const { DEFECT } = require('../defect');
const { UNTRUSTED } = require('../untrusted');
const { waitForDiagnostics, codeOf, wsFile } = require('../suite/helpers');
const { newFindingText } = require('./helpers');

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

  it('says in phasegate.yaml that its schemas are ignored', async function () {
    const uri = wsFile('phasegate.yaml');
    // Beside the defect's document, both shown: 2-trust-granted.test.js watches both once the folder is trusted.
    await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'invalid-config' && /ignored in an untrusted workspace/.test(d.message)));
  });

  it("ignores the folder's own phasegate.rules setting", async function () {
    const uri = wsFile(...DEFECT.file.split('/'));
    const diags = await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === DEFECT.code));
    const d = diags.find((x) => codeOf(x) === DEFECT.code);
    assert.notEqual(d.severity, vscode.DiagnosticSeverity.Information, `the folder's phasegate.rules (${JSON.stringify(UNTRUSTED.rules)}) must not apply`);
  });

  it("writes a new document from the built-in template, not the folder's own", async function () {
    const text = await newFindingText('Restricted mode');
    assert.match(text, /^# Finding \d+: Restricted mode$/m, 'the finding is written');
    assert.ok(!text.includes(UNTRUSTED.templateMarker), `the workspace template (${UNTRUSTED.templateFile}) must not apply:\n${text}`);
  });
});
