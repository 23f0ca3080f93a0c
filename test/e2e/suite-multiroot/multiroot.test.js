// Runs inside the extension host in a workspace of two folders, each a copy of examples/ (run.sh): `off`, first,
// turns Phasegate off in its own .vscode/settings.json (`phasegate.enable: false`); `on`, second, does not.
const assert = require('node:assert/strict');
const vscode = require('vscode');
const pkg = require('../../../package.json');
const { waitFor } = require('../suite/helpers');

function folderFile(name, ...parts) {
  const folder = vscode.workspace.workspaceFolders.find((f) => f.name === name);
  assert.ok(folder, `workspace folder ${name}`);
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

async function exists(uri) {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

describe('Phasegate in a workspace of two folders, turned off in the first', function () {
  let api;

  before(async function () {
    const ext = vscode.extensions.getExtension(`${pkg.publisher}.${pkg.name}`);
    assert.ok(ext, 'the extension is installed');
    api = await ext.activate();
    assert.deepEqual(
      vscode.workspace.workspaceFolders.map((f) => f.name),
      ['off', 'on'],
    );
    assert.equal(vscode.workspace.getConfiguration('phasegate', vscode.workspace.workspaceFolders[0]).get('enable'), false);
    await waitFor(
      api.tree.onDidLoad,
      () => api.tree.phases && api.tree.phases.folders.length === 2 && api.tree.phases.folders.every((f) => f.ready) && true,
      30000,
      'both folders loaded',
    );
  });

  const item = (n) => api.tree.getTreeItem(n);

  it("the Phases view shows the second folder's phases, and the first one as turned off", async function () {
    const roots = await api.tree.getChildren();
    assert.deepEqual(
      roots.map((n) => [item(n).label, item(n).description]),
      [
        ['off', 'turned off (phasegate.enable)'],
        ['on', undefined],
      ],
    );
    const groups = (await api.tree.getChildren(roots[1])).map((n) => item(n).label);
    assert.ok(groups.includes('audit-deployment') && groups.includes('Build'), `groups of on: ${groups}`);
  });

  it('the status bar shows the phase of an editor in the second folder, and none in the first', async function () {
    const changes = (listener) => {
      const subs = [vscode.window.onDidChangeActiveTextEditor(listener), api.tree.onDidLoad(listener)];
      return { dispose: () => subs.forEach((d) => d.dispose()) };
    };
    await vscode.window.showTextDocument(folderFile('on', 'audit-deployment', 'phase-2', '00-PHASE_BRIEF.md'));
    await waitFor(
      changes,
      () => /phase-2 · 6\/6 gates/.test(api.statusBar.text) || undefined,
      15000,
      () => `status bar (now "${api.statusBar.text}")`,
    );
    assert.equal(api.statusBar.visible, true);
    await vscode.window.showTextDocument(folderFile('off', 'audit-deployment', 'phase-2', '00-PHASE_BRIEF.md'));
    await waitFor(changes, () => !api.statusBar.visible || undefined, 15000, 'the status bar item hidden');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a template command given a file of the folder Phasegate is off for acts on nothing (not on the other folder)', async function () {
    const file = folderFile('on', 'all_use_iai_project', 'workstreams', 'Build', 'Phase_1_Source_Code_Management', 'implementation_response_from_AI.md');
    const original = await vscode.workspace.fs.readFile(file);
    await vscode.workspace.fs.delete(file);
    const missing = () =>
      api.tree.phases &&
      api.tree.phases.folders.some((f) =>
        f.groups.some((g) => g.phases.some((p) => p.documents.some((d) => vscode.Uri.parse(d.uri).fsPath === file.fsPath && !d.exists))),
      );
    try {
      api.tree.refresh();
      await waitFor(api.tree.onDidLoad, () => missing() || undefined, 20000, 'the tree to report the response missing');
      // The only phase New Response Skeleton applies to is in `on`; the prompt given is in `off`.
      const prompt = folderFile('off', 'all_use_iai_project', 'workstreams', 'Build', 'Phase_1_Source_Code_Management', 'implementation_prompt.md');
      assert.equal(await vscode.commands.executeCommand('phasegate.newResponse', prompt), undefined);
      assert.equal(await exists(file), false, 'nothing written into the other folder');
    } finally {
      await vscode.workspace.fs.writeFile(file, original);
    }
  });
});
