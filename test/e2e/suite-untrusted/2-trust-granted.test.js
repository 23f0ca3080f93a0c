// Runs after 1-untrusted.test.js, in the same window: the user trusts the folder (the Trust button of the workspace
// trust editor, clicked by the runner), and without a reload the extension applies what only a trusted folder may
// use: the folder's schema (to the documents already open, one of them edited and not saved), its phasegate.rules
// setting and its templates.
const assert = require('node:assert/strict');
const vscode = require('vscode');
const pkg = require('../../../package.json');
const { DEFECT } = require('../defect');
const { UNTRUSTED, GRANT_TRUST } = require('../untrusted');
const { nextEvent, waitFor, waitForDiagnostics, codeOf, wsFile } = require('../suite/helpers');
const { newFindingText } = require('./helpers');

describe('Phasegate when the untrusted folder is trusted, without a reload', function () {
  let api;
  /** The Phases view's loads since the grant, and their subscription. */
  let loads = 0;
  let loadsSub;

  /** A document with an edit not saved when the folder is trusted: its front matter's `reviewer` is not a string. */
  const unsaved = () => wsFile('audit-deployment', 'phase-2', '01-INPUT_HANDOFF.md');

  after(async () => {
    if (loadsSub) loadsSub.dispose();
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === unsaved().toString());
    if (doc && doc.isDirty) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  before(async function () {
    api = await vscode.extensions.getExtension(`${pkg.publisher}.${pkg.name}`).activate();
  });

  beforeEach(function () {
    // The first test trusts the folder; without that the others would test nothing.
    if (this.currentTest.title !== 'is trusted from the workspace trust editor' && !vscode.workspace.isTrusted) throw new Error('the folder was not trusted');
  });

  it('is trusted from the workspace trust editor', async function () {
    assert.equal(vscode.workspace.isTrusted, false, 'the folder is not trusted yet');
    // An edit not saved, in a third editor group: the server that starts on the grant must check the editor's text.
    const editor = await vscode.window.showTextDocument(unsaved(), { viewColumn: vscode.ViewColumn.Three, preview: false });
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(1, 0), `${UNTRUSTED.field}: 7\n`)));
    loadsSub = api.tree.onDidLoad(() => loads++);
    const granted = nextEvent(vscode.workspace.onDidGrantWorkspaceTrust, () => true, 30000, 'the folder to be trusted');
    await vscode.commands.executeCommand('workbench.trust.manage');
    console.log(GRANT_TRUST);
    await granted;
    assert.equal(vscode.workspace.isTrusted, true);
  });

  it("applies the folder's own schema to the document already open", async function () {
    const uri = wsFile(...DEFECT.file.split('/'));
    const diags = await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'front-matter-schema'));
    const schema = diags.filter((d) => codeOf(d) === 'front-matter-schema');
    assert.ok(
      schema.some((d) => d.message.includes(UNTRUSTED.field)),
      `front-matter-schema names the field the folder's schema requires: ${JSON.stringify(schema.map((d) => d.message))}`,
    );
    assert.ok(
      diags.some((d) => codeOf(d) === DEFECT.code),
      'the planted defect is still reported',
    );
  });

  it("checks an open document's unsaved text against the folder's schema", async function () {
    // On disk the field is missing; in the editor it is there, but not a string as the schema requires.
    const diags = await waitForDiagnostics(unsaved(), (ds) => ds.some((d) => codeOf(d) === 'front-matter-schema'));
    const schema = diags.filter((d) => codeOf(d) === 'front-matter-schema');
    assert.deepEqual(
      schema.map((d) => d.range.start.line),
      [1],
      `reported at the unsaved ${UNTRUSTED.field} line only: ${JSON.stringify(schema.map((d) => `${d.range.start.line}: ${d.message}`))}`,
    );
    assert.match(schema[0].message, /string/);
  });

  it("applies the folder's own phasegate.rules setting", async function () {
    const uri = wsFile(...DEFECT.file.split('/'));
    await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === DEFECT.code && d.severity === vscode.DiagnosticSeverity.Information));
  });

  it("no longer reports the folder's schemas as ignored in its phasegate.yaml", async function () {
    const uri = wsFile('phasegate.yaml');
    await waitForDiagnostics(uri, (ds) => !ds.some((d) => /ignored in an untrusted workspace/.test(d.message)));
  });

  it("writes a new document from the folder's own template", async function () {
    // The server restarts on the grant: the command waits for none, so wait for it to run.
    await waitFor(api.onDidChangeState, () => api.running, 30000, 'the language server to run');
    const text = await newFindingText('Trusted');
    assert.match(text, /^# Finding \d+: Trusted$/m, 'the finding is written');
    assert.ok(text.includes(UNTRUSTED.templateMarker), `the workspace template (${UNTRUSTED.templateFile}) applies:\n${text}`);
  });

  it('loads the Phases view again from the restarted server, with the phases', async function () {
    await waitFor(
      api.tree.onDidLoad,
      () => (loads > 0 && api.tree.phases && api.tree.phases.folders.some((f) => f.groups.length > 0)) || undefined,
      30000,
      () => `the phase tree loaded after the grant (${loads} loads)`,
    );
  });
});
