// Shared by the untrusted-folder run's tests.
const vscode = require('vscode');
const { wsFile } = require('../suite/helpers');

/** The audit phase the tests write findings into. */
const FINDINGS_PHASE = ['audit-deployment', 'phase-3'];

/** Writes a finding titled `title` with New Finding, returns its text, and closes its editor and deletes it. */
async function newFindingText(title) {
  const created = await vscode.commands.executeCommand('phasegate.newFinding', wsFile(...FINDINGS_PHASE).toString(), title);
  if (!Array.isArray(created) || created.length !== 1) throw new Error(`New Finding created ${JSON.stringify(created)}`);
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(created[0]));
  } finally {
    // Its own tab only: the documents the tests keep shown stay.
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const own = tabs.filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === created[0].toString());
    await vscode.window.tabGroups.close(own);
    await vscode.workspace.fs.delete(created[0]).then(undefined, () => undefined);
  }
}

module.exports = { newFindingText };
