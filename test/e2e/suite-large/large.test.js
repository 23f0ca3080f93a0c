// Runs inside the extension host against the installed extension and a workspace of bench/generate.mjs (1,000 phases
// of each layout): a phase tree large enough that the server sends it in parts, and the Phases view joins them.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const pkg = require('../../../package.json');
const { nextEvent, waitFor } = require('../suite/helpers');

const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;

const phasesOf = (tree) => tree.folders.flatMap((f) => f.groups.flatMap((g) => g.phases));
const checking = (tree) => phasesOf(tree).filter((p) => p.status === 'checking');

describe('Phasegate on a workspace of 2,000 phases', function () {
  this.timeout(180000);
  /** The extension's API: its PhasegateContext (tree, status bar, client). */
  let api;
  /** How many phases the workspace has (its phase folders). */
  let expected;

  before(async function () {
    // The phase folders on disk: the audit layout's phase-N, and the iAI layout's workstreams/<name>/Phase_N_….
    const root = vscode.workspace.workspaceFolders[0].uri.fsPath;
    const dirs = (d) => fs.readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory());
    const audit = dirs(path.join(root, 'audit-deployment')).filter((e) => /^phase-\d+$/.test(e.name)).length;
    const streams = path.join(root, 'all_use_iai_project', 'workstreams');
    const iai = dirs(streams).reduce((k, w) => k + dirs(path.join(streams, w.name)).filter((e) => /^Phase_\d+/.test(e.name)).length, 0);
    expected = audit + iai;
    assert.ok(audit >= 500 && iai >= 500, `a large workspace: ${audit} audit phases, ${iai} iAI phases`);
    api = await vscode.extensions.getExtension(EXTENSION_ID).activate();
  });

  it('the Phases view gets the whole tree in parts, joins them, and follows the background check to the whole tree', async function () {
    // Each phase tree the view asks for, with the number of parts it came in.
    const asked = [];
    const own = api.requestInParts;
    api.requestInParts = (type, partType, params, join, token) =>
      own.call(
        api,
        type,
        partType,
        params,
        (parts, response) => {
          const joined = join(parts, response);
          asked.push({ since: params.since, parts: parts.length, phases: joined.changed ? undefined : phasesOf(joined).length });
          return joined;
        },
        token,
      );
    // The tree the view holds, as each fetch ends.
    let latest;
    const held = api.tree.onDidLoad((d) => (latest = d));
    try {
      // A new server: the view asks for the whole tree again.
      const first = nextEvent(api.tree.onDidLoad, (d) => !!d && d.folders.some((f) => f.ready), 60000, 'the first tree of the new server');
      await vscode.commands.executeCommand('phasegate.restartServer');
      const tree = await first;
      assert.equal(phasesOf(tree).length, expected, 'every phase in the first tree');
      const whole = asked.find((a) => a.since === undefined && a.phases !== undefined);
      assert.ok(whole && whole.parts >= 2, `the whole tree came in parts: ${JSON.stringify(asked)}`);
      assert.equal(whole.phases, expected);
      // The rows the view draws: every phase, in its group.
      const rows = [];
      for (const root of await api.tree.getChildren())
        for (const group of root.type === 'folder' ? await api.tree.getChildren(root) : [root])
          if (group.type === 'group') rows.push(...(await api.tree.getChildren(group)));
      assert.equal(rows.filter((r) => r.type === 'phase').length, expected, 'a row for every phase');
      // The phases the first tree left checking come checked through the server's notices.
      const done = await waitFor(
        api.tree.onDidLoad,
        () => (latest && checking(latest).length === 0 ? latest : undefined),
        120000,
        () => `every phase checked (${latest ? checking(latest).length : 'no tree'} checking)`,
      );
      const now = await api.request('phasegate/phases', {});
      assert.deepEqual(done.folders, now.folders, 'the tree the view holds is the one a whole-tree request gets');
    } finally {
      held.dispose();
      api.requestInParts = own;
    }
  });
});
