// Runs inside the extension host against the installed extension and a copy of examples/ with the planted defect.
const assert = require('node:assert/strict');
const vscode = require('vscode');
const pkg = require('../../../package.json');
const { DEFECT } = require('../defect');
const { waitFor, nextEvent, waitForDiagnostics, codeOf, wsFile, lineStarting, whereOf } = require('./helpers');

async function exists(uri) {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The tree's node of `file` when the tree shows it missing, with its phase: the argument of the tree's commands. */
function missingIn(data, file) {
  for (const f of (data && data.folders) || [])
    for (const g of f.groups)
      for (const p of g.phases) {
        const d = p.documents.find((x) => x.uri === file.toString() || vscode.Uri.parse(x.uri).fsPath === file.fsPath);
        if (d && !d.exists) return { doc: d, phase: p };
      }
  return undefined;
}

const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;

/**
 * The quick fix titled `title` at `range`. The workbench cancels a code action request when the provider registry
 * changes under it (the built-in Markdown extension still registering), which surfaces as an empty answer or a
 * "Canceled" error; ask again until the deadline.
 */
async function quickFix(uri, range, title, ms = 20000) {
  const deadline = Date.now() + ms;
  let seen = 'nothing';
  while (Date.now() < deadline) {
    let actions;
    try {
      actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
    } catch (e) {
      if (!/Canceled/i.test(String(e && e.message))) throw e;
      seen = 'Canceled';
      continue;
    }
    const fix = actions.find((a) => title.test(a.title));
    if (fix) return fix;
    seen = JSON.stringify(actions.map((a) => a.title));
  }
  throw new Error(`no quick fix ${title} within ${ms} ms; last answer: ${seen}`);
}

describe('Phasegate in the extension host', function () {
  /** The extension's API: its PhasegateContext (tree, status bar, client). */
  let api;

  before(async function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    api = await ext.activate();
  });

  it('activates and starts the language server', async function () {
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID).isActive, true);
    assert.equal(api.running, true, 'language client is running');
  });

  it('registers every contributed command', async function () {
    const all = new Set(await vscode.commands.getCommands(true));
    const missing = pkg.contributes.commands.map((c) => c.command).filter((c) => !all.has(c));
    assert.deepEqual(missing, []);
  });

  it('reports diagnostics with our rule ids', async function () {
    const uri = wsFile(...DEFECT.file.split('/'));
    await vscode.window.showTextDocument(uri);
    const diags = await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === DEFECT.code));
    const d = diags.find((x) => codeOf(x) === DEFECT.code);
    assert.match(d.message, /phase-2|Phase 2|handed off|handoff/i);
    assert.equal(typeof d.code, 'object', 'code carries its documentation link');
    assert.match(String(d.code.target), /#rule-handoff-mismatch$/);
  });

  /** The tree's node found by the labels of its ancestors and its own, from the roots down. */
  async function treeNode(...labels) {
    // The roots do not wait for the first tree (the view says "Indexing phases…" meanwhile).
    await api.tree.load();
    let nodes = await api.tree.getChildren();
    let node;
    for (const label of labels) {
      node = nodes.find((n) => api.tree.getTreeItem(n).label === label);
      assert.ok(node, `no "${label}" among ${JSON.stringify(nodes.map((n) => api.tree.getTreeItem(n).label))}`);
      nodes = await api.tree.getChildren(node);
    }
    return node;
  }

  it('leads from a failed gate in the Phases view to the diagnostic that fails it', async function () {
    const uri = wsFile(...DEFECT.file.split('/'));
    const diag = (await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === DEFECT.code))).find((d) => codeOf(d) === DEFECT.code);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const item = api.tree.getTreeItem(await treeNode('audit-deployment', 'phase-3', 'Gates', 'Approval'));
    assert.equal(item.description, `failed · 1 × ${DEFECT.code}`);
    assert.equal(item.contextValue, 'gate.held');
    assert.match(item.tooltip.value, /Click to go to what holds it/);
    // Selecting the node runs its command: the one diagnostic behind the gate opens, selected.
    const cause = await vscode.commands.executeCommand(item.command.command, ...item.command.arguments);
    assert.equal(cause && cause.code, DEFECT.code);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor && editor.document.uri.fsPath, uri.fsPath, 'the document of the diagnostic is opened');
    assert.ok(editor.selection.isEqual(diag.range), `selection ${JSON.stringify(editor.selection)} is the diagnostic's ${JSON.stringify(diag.range)}`);
    // The phase's tooltip links each gate not passed to the same command.
    const phase = api.tree.getTreeItem(await treeNode('audit-deployment', 'phase-3'));
    assert.match(phase.tooltip.value, /\[Approval\]\(command:phasegate\.goToGateCause\?/);
    assert.deepEqual(phase.tooltip.isTrusted, { enabledCommands: ['phasegate.goToGateCause'] });
  });

  it('leads from a gate code lens to what holds the gate, and lets the user pick when several things do', async function () {
    this.timeout(60000);
    const uri = wsFile('audit-deployment', 'phase-3', '07-VALIDATION.md');
    const editor = await vscode.window.showTextDocument(uri);
    const doc = editor.document;
    const line = doc
      .getText()
      .split(/\r?\n/)
      .findIndex((l) => l.startsWith('- [x] API image builds from the lock file'));
    assert.ok(line >= 0);
    // Unchecked (unsaved), the gate has two unchecked items: the user picks among them.
    assert.ok(await editor.edit((b) => b.replace(new vscode.Range(line, 0, line, 5), '- [ ]')));
    try {
      const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri, 100);
      const lens = lenses.find((l) => l.command && /Gate Completeness: pending · 0\/2 checked/.test(l.command.title));
      assert.ok(lens, `lenses: ${JSON.stringify(lenses.map((l) => l.command && l.command.title))}`);
      editor.selection = new vscode.Selection(0, 0, 0, 0);
      let done = false;
      const run = Promise.resolve(vscode.commands.executeCommand(lens.command.command, ...lens.command.arguments)).finally(() => (done = true));
      // The user accepts the first entry of the pick it shows (the first unchecked item).
      const deadline = Date.now() + 15000;
      while (!done && Date.now() < deadline) {
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        await Promise.race([run, new Promise((r) => setTimeout(r, 100))]);
      }
      await run;
      assert.equal(vscode.window.activeTextEditor.document.uri.fsPath, uri.fsPath);
      assert.equal(vscode.window.activeTextEditor.selection.active.line, line, 'the cursor is on the first unchecked item');
    } finally {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('Complete Handoff names the phases and the file it changes, asks first, and changes nothing when declined', async function () {
    const uri = wsFile(...DEFECT.file.split('/'));
    const doc = await vscode.workspace.openTextDocument(uri);
    const before = doc.getText();
    const phase2 = wsFile('audit-deployment', 'phase-2').toString();
    const asked = [];
    const declined = await vscode.commands.executeCommand('phasegate.completeHandoff', phase2, async (m) => (asked.push(m), false));
    assert.equal(declined, undefined);
    assert.equal(asked.length, 1, 'asked once');
    assert.equal(asked[0].confirm, 'Complete the handoff from phase-2 to phase-3?');
    assert.equal(asked[0].detail, `This changes ${DEFECT.file}, the input handoff of phase-3, with what the output handoff of phase-2 hands off.`);
    assert.equal(doc.getText(), before, 'nothing changed');
    const done = await vscode.commands.executeCommand('phasegate.completeHandoff', phase2, async () => true);
    assert.equal(done && done.done, `Phasegate: completed ${DEFECT.file}, the input handoff of phase-3, from the output handoff of phase-2.`);
    assert.match(doc.getText(), new RegExp(`^- ${DEFECT.item}:`, 'm'));
    // Back to the defect for the quick fix below.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(doc.getText(), before);
    await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === DEFECT.code));
  });

  it('offers the complete-handoff quick fix and it restores the input', async function () {
    const uri = wsFile(...DEFECT.file.split('/'));
    const doc = await vscode.workspace.openTextDocument(uri);
    const diag = vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === DEFECT.code);
    const fix = await quickFix(uri, diag.range, /Complete handoff from phase-2/);
    assert.ok(fix.edit, 'the quick fix carries its edit');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), new RegExp(`^- ${DEFECT.item}:`, 'm'));
    await doc.save();
    await waitForDiagnostics(uri, (ds) => !ds.some((d) => codeOf(d) === DEFECT.code));
  });

  it('Go to Definition on an input received leads to the output handoff item that hands it off, Find References back', async function () {
    const input = wsFile('audit-deployment', 'phase-2', '01-INPUT_HANDOFF.md');
    const output = wsFile('audit-deployment', 'phase-1', '06-OUTPUT_HANDOFF.md');
    const received = await lineStarting(input, '- Baseline metrics:');
    // The item under "Phase 2 Inputs" (the one under "Artifacts Produced" is earlier and says another thing).
    const handed = await lineStarting(output, '- Baseline metrics: [04-ARTIFACTS/baseline-metrics.json](04-ARTIFACTS/baseline-metrics.json) - coverage');
    const defs = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', input, new vscode.Position(received, 4));
    assert.ok(whereOf(defs).includes(`audit-deployment/phase-1/06-OUTPUT_HANDOFF.md:${handed}`), `definitions: ${whereOf(defs)}`);
    const refs = await vscode.commands.executeCommand('vscode.executeReferenceProvider', output, new vscode.Position(handed, 4));
    assert.ok(whereOf(refs).includes(`audit-deployment/phase-2/01-INPUT_HANDOFF.md:${received}`), `references: ${whereOf(refs)}`);
  });

  it('Go to Definition on a deliverable of the brief leads to the lines of the output handoff that address it, and back', async function () {
    const brief = wsFile('audit-deployment', 'phase-1', '00-PHASE_BRIEF.md');
    const output = wsFile('audit-deployment', 'phase-1', '06-OUTPUT_HANDOFF.md');
    const asked = await lineStarting(brief, '- Test coverage analysis');
    const addressed = await lineStarting(output, '- Test coverage analysis:');
    const defs = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', brief, new vscode.Position(asked, 4));
    // The item that names it (the summary's metrics line, which speaks of tests and coverage, addresses it too).
    assert.ok(whereOf(defs).includes(`audit-deployment/phase-1/06-OUTPUT_HANDOFF.md:${addressed}`), `definitions: ${whereOf(defs)}`);
    const refs = await vscode.commands.executeCommand('vscode.executeReferenceProvider', output, new vscode.Position(addressed, 4));
    assert.ok(whereOf(refs).includes(`audit-deployment/phase-1/00-PHASE_BRIEF.md:${asked}`), `references: ${whereOf(refs)}`);
  });

  it('the phase tree returns workstreams, phases, documents and gates', async function () {
    const roots = await api.tree.getChildren();
    const labels = roots.map((n) => api.tree.getTreeItem(n).label);
    assert.ok(labels.includes('audit-deployment'), `groups: ${labels}`);
    assert.ok(labels.includes('Build') && labels.includes('Test'), `workstreams: ${labels}`);
    const audit = roots.find((n) => api.tree.getTreeItem(n).label === 'audit-deployment');
    const phases = await api.tree.getChildren(audit);
    assert.deepEqual(
      phases.map((n) => api.tree.getTreeItem(n).label),
      ['phase-1', 'phase-2', 'phase-3'],
    );
    const phase1 = api.tree.getTreeItem(phases[0]);
    assert.match(phase1.description, /complete · 6\/6 gates/);
    assert.equal(phase1.contextValue, 'phase.hasNext.findings');
    const children = await api.tree.getChildren(phases[2]);
    const childLabels = children.map((n) => api.tree.getTreeItem(n).label);
    assert.ok(childLabels.includes('01-INPUT_HANDOFF.md') && childLabels.includes('Gates'), `children: ${childLabels}`);
    const gates = await api.tree.getChildren(children.find((n) => api.tree.getTreeItem(n).label === 'Gates'));
    assert.deepEqual(
      gates.map((n) => api.tree.getTreeItem(n).label),
      ['Completeness', 'Quality', 'Documentation', 'Testing', 'Review', 'Approval'],
    );
    // The Gates row's context menu (and its inline action) runs the phase's gate check.
    const gatesRow = children.find((n) => api.tree.getTreeItem(n).label === 'Gates');
    const onGates = pkg.contributes.menus['view/item/context']
      .filter((m) => {
        const r = /viewItem =~ \/(.*)\/$/.exec(m.when);
        return r && new RegExp(r[1]).test(api.tree.getTreeItem(gatesRow).contextValue);
      })
      .map((m) => `${m.command} ${m.group}`);
    assert.deepEqual(onGates, ['phasegate.phases.runGateCheck inline', 'phasegate.phases.runGateCheck 3_gates@1']);
    const checked = await vscode.commands.executeCommand('phasegate.runGateCheck', gatesRow, false);
    assert.deepEqual(
      checked.map((g) => g.name),
      ['Completeness', 'Quality', 'Documentation', 'Testing', 'Review', 'Approval'],
    );
    const build = roots.find((n) => api.tree.getTreeItem(n).label === 'Build');
    const buildPhases = (await api.tree.getChildren(build)).map((n) => api.tree.getTreeItem(n).label);
    assert.equal(buildPhases.length, 2, `Build phases: ${buildPhases}`);
    // The plan's context menu offers what applies to it: open and reveal, not a phase's New Document.
    const plan = roots.find((n) => api.tree.getTreeItem(n).label === 'Project implementation plan');
    assert.equal(api.tree.getTreeItem(plan).contextValue, 'plan');
    const offered = pkg.contributes.menus['view/item/context']
      .filter((m) => {
        const r = /viewItem =~ \/(.*)\/$/.exec(m.when);
        return r && new RegExp(r[1]).test('plan');
      })
      .map((m) => m.command)
      .sort();
    assert.deepEqual(offered, ['phasegate.phases.open', 'phasegate.phases.revealInExplorer']);
  });

  it('gives each document and gate row of a phase an id of its own, also when two share a file or a name', async function () {
    const phase3 = (await treeNode('audit-deployment', 'phase-3')).ref;
    const doc = phase3.phase.documents[0];
    const gate = phase3.phase.gates[0];
    // A phase whose layout lists one document and one gate twice (as a phasegate.yaml with duplicates could).
    const phase = { ...phase3.phase, documents: [doc, doc], gates: [gate, gate] };
    const node = { type: 'phase', ref: { ...phase3, phase }, parent: undefined };
    const children = await api.tree.getChildren(node);
    const gates = await api.tree.getChildren(children.find((n) => n.type === 'gates'));
    const ids = [...children, ...gates].map((n) => api.tree.getTreeItem(n).id);
    assert.equal(new Set(ids).size, ids.length, `ids: ${JSON.stringify(ids)}`);
  });

  it('fetches the phase tree again only for a change the tree in hand does not show', async function () {
    const held = await api.tree.load();
    assert.equal(typeof held.version, 'number', 'the server numbers its phase trees');
    assert.equal(await api.tree.phasesChanged({ version: held.version }), false, 'a notice of the version in hand');
    const fetched = nextEvent(api.tree.onDidLoad, (d) => !!d, 20000, 'the tree fetched again');
    assert.equal(await api.tree.phasesChanged({ version: held.version + 1 }), true, 'a notice of a later version');
    assert.ok((await fetched).version >= held.version);
    const again = nextEvent(api.tree.onDidLoad, (d) => !!d, 20000, 'the tree fetched for a settings change');
    assert.equal(await api.tree.phasesChanged({}), true, 'a change without a version (settings, folders, restart)');
    await again;
  });

  it('tells the view to draw again only when what it shows changed, and only once the new tree is in hand', async function () {
    await api.tree.getChildren(); // the view draws its roots
    const told = [];
    const sub = api.tree.onDidChangeTreeData(() => told.push(api.tree.phases));
    const other = wsFile('audit-deployment', 'phase-2', '06-OUTPUT_HANDOFF.md');
    const original = await vscode.workspace.fs.readFile(other);
    try {
      const same = nextEvent(api.tree.onDidLoad, (d) => !!d, 20000, 'the tree fetched again');
      api.tree.refresh();
      await same;
      assert.equal(told.length, 0, 'the same tree: the view keeps the nodes it holds (and their context menus)');
      await vscode.workspace.fs.delete(other);
      api.tree.refresh();
      await waitFor(api.tree.onDidChangeTreeData, () => told.length > 0 || undefined, 20000, 'the view told to draw phase-2 without its output handoff');
      assert.ok(missingIn(told[0], other), 'the tree the view is told to draw is the new one');
    } finally {
      sub.dispose();
      await vscode.workspace.fs.writeFile(other, original);
      api.tree.refresh();
      await waitFor(api.tree.onDidLoad, () => !missingIn(api.tree.phases, other), 20000, 'the tree to show phase-2 with its output handoff again');
    }
  });

  it('runs the gate check of a phase', async function () {
    const phase3 = wsFile('audit-deployment', 'phase-3').toString();
    const gates = await vscode.commands.executeCommand('phasegate.runGateCheck', phase3, false);
    assert.equal(gates.length, 6);
    const review = gates.find((g) => g.name === 'Review');
    assert.equal(review.status, 'pending');
    assert.ok(review.items.length > 0 && review.uri, 'the Review gate has its checklist');
  });

  it('shows gate status as code lenses on the checklist', async function () {
    const uri = wsFile('audit-deployment', 'phase-3', '07-VALIDATION.md');
    await vscode.workspace.openTextDocument(uri); // the command needs the document loaded
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri, 100);
    const gate = lenses.filter((l) => l.command && l.command.command === 'phasegate.showGate');
    assert.equal(gate.length, 6, `lenses: ${JSON.stringify(lenses.map((l) => l.command && l.command.title))}`);
    assert.ok(gate.some((l) => /Gate Review: pending/.test(l.command.title)));
  });

  it('toggles a gate checklist item and back', async function () {
    const uri = wsFile('audit-deployment', 'phase-3', '07-VALIDATION.md');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const line = doc
      .getText()
      .split(/\r?\n/)
      .findIndex((l) => l.startsWith('- [ ] Dockerfiles peer-reviewed'));
    assert.ok(line >= 0);
    assert.equal(await vscode.commands.executeCommand('phasegate.toggleGateItem', uri.toString(), line), true);
    assert.equal(doc.lineAt(line).text, '- [x] Dockerfiles peer-reviewed');
    // No wait needed: the client sends the document change before the next request, and the server answers in order.
    assert.equal(await vscode.commands.executeCommand('phasegate.toggleGateItem', uri.toString(), line), true);
    assert.equal(doc.lineAt(line).text, '- [ ] Dockerfiles peer-reviewed');
    await doc.save();
  });

  it('toggles a checklist item of an iAI implementation prompt at the cursor, as the palette and the context menu run it', async function () {
    const uri = wsFile('all_use_iai_project', 'workstreams', 'Build', 'Phase_1_Source_Code_Management', 'implementation_prompt.md');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const line = doc
      .getText()
      .split(/\r?\n/)
      .findIndex((l) => l.startsWith('- [ ] `main` is protected'));
    assert.ok(line >= 0);
    // Offered where the editor is in a phase (package.json: editorLangId == markdown && phasegate.inPhase).
    const menus = pkg.contributes.menus;
    const when = (list) => list.find((m) => m.command === 'phasegate.toggleGateItem').when;
    assert.match(when(menus.commandPalette), /phasegate\.inPhase/);
    assert.match(when(menus['editor/context']), /phasegate\.inPhase/);
    await waitFor(api.tree.onDidLoad, () => api.statusBar.visible || undefined, 20000, 'the editor to count as in a phase');
    editor.selection = new vscode.Selection(line, 4, line, 4);
    assert.equal(await vscode.commands.executeCommand('phasegate.toggleGateItem'), true);
    assert.equal(doc.lineAt(line).text, '- [x] `main` is protected');
    assert.equal(await vscode.commands.executeCommand('phasegate.toggleGateItem'), true);
    assert.equal(doc.lineAt(line).text, '- [ ] `main` is protected');
    await doc.save();
  });

  it('silences one problem with the Disable … for this line quick fix, and the problem comes back with the text', async function () {
    const uri = wsFile('audit-deployment', 'phase-3', '07-VALIDATION.md');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const original = doc.getText();
    const unchecked = (ds) => ds.filter((d) => codeOf(d) === 'gate-item-unchecked');
    const onReview = (d) => doc.lineAt(d.range.start.line).text.includes('Dockerfiles peer-reviewed');
    // The item the test before toggled and back: wait for the diagnostics of the text as it is now.
    const before = unchecked(await waitForDiagnostics(uri, (ds) => unchecked(ds).some(onReview)));
    const target = before.find(onReview);
    const fix = await quickFix(uri, target.range, /^Disable gate-item-unchecked for this line$/);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(doc.lineAt(target.range.start.line).text, '<!-- phasegate-disable-next-line gate-item-unchecked -->');
    const after = await waitForDiagnostics(uri, (ds) => unchecked(ds).length === before.length - 1);
    assert.ok(!after.some((d) => codeOf(d) === 'unused-directive'), 'the directive silences the problem');
    assert.ok(!unchecked(after).some(onReview));
    // Back to the text on disk: the problem is reported again.
    const all = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
    const undo = new vscode.WorkspaceEdit();
    undo.replace(uri, all, original);
    assert.ok(await vscode.workspace.applyEdit(undo));
    await waitForDiagnostics(uri, (ds) => unchecked(ds).length === before.length);
    await doc.save();
  });

  it('the Phases view follows an edit with the phases it changed, and then equals the whole tree', async function () {
    const held = await api.tree.load();
    const uri = wsFile('audit-deployment', 'phase-3', '07-VALIDATION.md');
    const doc = await vscode.workspace.openTextDocument(uri);
    const line = doc
      .getText()
      .split(/\r?\n/)
      .findIndex((l) => l.startsWith('- [ ] Dockerfiles peer-reviewed'));
    const phases = (d, label) => d.folders.flatMap((f) => f.groups).find((g) => g.label === label).phases;
    const before = JSON.stringify(phases(held, 'audit-deployment')[2]);
    const reloaded = nextEvent(
      api.tree.onDidLoad,
      (d) => !!d && JSON.stringify(phases(d, 'audit-deployment')[2]) !== before,
      20000,
      'the tree showing the edit',
    );
    assert.equal(await vscode.commands.executeCommand('phasegate.toggleGateItem', uri.toString(), line), true);
    const after = await reloaded;
    // The client asked for the changes since the tree it held: another group's phases are the same objects.
    assert.ok(
      phases(after, 'Build').every((p, i) => p === phases(held, 'Build')[i]),
      'unchanged phases kept',
    );
    assert.notEqual(phases(after, 'audit-deployment')[2], phases(held, 'audit-deployment')[2], 'the edited phase replaced');
    const whole = await api.request('phasegate/phases', {});
    assert.deepEqual(after.folders, whole.folders);
    assert.equal(await vscode.commands.executeCommand('phasegate.toggleGateItem', uri.toString(), line), true);
    await doc.save();
  });

  it('keeps the problems of closed documents that a later workspace report leaves out', async function () {
    // The client says it keeps them (keepsUnreportedDiagnostics), so the server leaves out the
    // documents whose report it holds. Two closed documents get a placeholder on disk, one after the other.
    const a = wsFile('audit-deployment', 'phase-1', '05-DECISIONS.md');
    const b = wsFile('audit-deployment', 'phase-1', '02-EXECUTION_PLAN.md');
    const originals = await Promise.all([a, b].map((u) => vscode.workspace.fs.readFile(u)));
    const append = (u, i, marker) => vscode.workspace.fs.writeFile(u, Buffer.concat([Buffer.from(originals[i]), Buffer.from(`\n${marker}\n`)]));
    const has = (u, marker) => vscode.languages.getDiagnostics(u).some((d) => d.message.includes(marker));
    try {
      await append(a, 0, '[Held Marker A]');
      await waitFor(vscode.languages.onDidChangeDiagnostics, () => has(a, '[Held Marker A]'), 30000, "the first closed document's placeholder");
      await append(b, 1, '[Held Marker B]');
      // A newer workspace report has arrived; it named the second document, not the first.
      await waitFor(vscode.languages.onDidChangeDiagnostics, () => has(b, '[Held Marker B]'), 30000, "the second closed document's placeholder");
      assert.ok(has(a, '[Held Marker A]'), 'the first document keeps its problems');
    } finally {
      await Promise.all([a, b].map((u, i) => vscode.workspace.fs.writeFile(u, originals[i])));
    }
    await waitFor(vscode.languages.onDidChangeDiagnostics, () => !has(a, '[Held Marker A]') && !has(b, '[Held Marker B]'), 30000, 'the placeholders gone');
  });

  it('shows the current phase in the status bar', async function () {
    await vscode.window.showTextDocument(wsFile('audit-deployment', 'phase-2', '00-PHASE_BRIEF.md'));
    // The item follows the active editor and each reload of the phases.
    const changes = (listener) => {
      const subs = [vscode.window.onDidChangeActiveTextEditor(listener), api.tree.onDidLoad(listener)];
      return { dispose: () => subs.forEach((d) => d.dispose()) };
    };
    const text = await waitFor(
      changes,
      () => (/phase-2 · \d+\/6 gates/.test(api.statusBar.text) ? api.statusBar.text : undefined),
      15000,
      () => `status bar (now "${api.statusBar.text}")`,
    );
    assert.match(text, /phase-2 · 6\/6 gates/);
  });

  it('follows a settings change through the server, without a whole tree of its own; the status bar setting applies at once', async function () {
    this.timeout(60000);
    await vscode.window.showTextDocument(wsFile('audit-deployment', 'phase-2', '00-PHASE_BRIEF.md'));
    await waitFor(api.tree.onDidLoad, () => api.statusBar.visible || undefined, 20000, 'the status bar');
    // Every change the tree is told of: with the server's version (its notice) or without (a fetch of the whole tree).
    const told = [];
    const own = api.tree.phasesChanged;
    api.tree.phasesChanged = function (c) {
      told.push(c);
      return own.call(this, c);
    };
    const cfg = () => vscode.workspace.getConfiguration('phasegate');
    const poll = async (what, cond, ms = 20000) => {
      const deadline = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > deadline) throw new Error(`timeout after ${ms} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await cfg().update('trace.server', 'messages', vscode.ConfigurationTarget.Workspace);
      await cfg().update('statusBar.enable', false, vscode.ConfigurationTarget.Workspace);
      await poll('the status bar hidden', () => !api.statusBar.visible);
      // A setting the server reads: its notice (a version) reaches the tree.
      const seen = told.length;
      await cfg().update('rules', { 'missing-section': 'warning' }, vscode.ConfigurationTarget.Workspace);
      await poll("the server's notice of the rules", () => told.slice(seen).some((c) => c.version !== undefined));
      assert.deepEqual(
        told.filter((c) => c.version === undefined),
        [],
        "no whole-tree fetch of the client's own for a settings change",
      );
    } finally {
      api.tree.phasesChanged = own;
      for (const key of ['trace.server', 'statusBar.enable', 'rules']) await cfg().update(key, undefined, vscode.ConfigurationTarget.Workspace);
      await poll('the status bar shown again', () => api.statusBar.visible);
    }
  });

  it('learns of an artifact created on disk through the watchers the server registers: its broken link is gone', async function () {
    this.timeout(60000);
    const uri = wsFile('audit-deployment', 'phase-1', '05-DECISIONS.md');
    const artifact = wsFile('audit-deployment', 'phase-1', '04-ARTIFACTS', 'e2e-probe.txt');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const probe = (ds) => ds.some((d) => codeOf(d) === 'broken-link' && d.message.includes('e2e-probe.txt'));
    try {
      await editor.edit((b) => b.insert(new vscode.Position(doc.lineCount, 0), '\nSee [the probe](04-ARTIFACTS/e2e-probe.txt).\n'));
      await waitForDiagnostics(uri, probe);
      await vscode.workspace.fs.writeFile(artifact, new TextEncoder().encode('probe\n'));
      await waitForDiagnostics(uri, (ds) => !probe(ds));
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.workspace.fs.delete(artifact).then(undefined, () => undefined);
    }
  });

  it('puts the cursor in the section the insert-section quick fix inserts, its placeholder selected to type over', async function () {
    this.timeout(60000);
    const uri = wsFile('audit-deployment', 'phase-2', '00-PHASE_BRIEF.md');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const scope = (ds) => ds.find((d) => codeOf(d) === 'missing-section' && d.message.includes('Scope'));
    try {
      // The Scope section removed (from its heading to the next one).
      const lines = doc.getText().split(/\r?\n/);
      const from = lines.indexOf('## Scope');
      const to = lines.findIndex((l, i) => i > from && l.startsWith('## '));
      assert.ok(from > 0 && to > from, 'the brief has a Scope section');
      assert.ok(await editor.edit((b) => b.delete(new vscode.Range(from, 0, to, 0))));
      // The cursor somewhere else: the top of the document.
      editor.selection = new vscode.Selection(0, 0, 0, 0);
      const diag = scope(await waitForDiagnostics(uri, scope));
      const fix = await quickFix(uri, diag.range, /^Insert section "Scope"/);
      assert.ok(fix.command, `the fix "${fix.title}" carries a command that moves the cursor`);
      // Without arguments: VS Code sends such a command by its name, which a refresh of the quick fix menu's
      // list does not invalidate (one with arguments it caches with the list, and then cannot find).
      assert.ok(!(fix.command.arguments || []).length, `the fix's command ${fix.command.command} has no arguments`);
      // What the editor does with a chosen fix: its edit, then its command.
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments || []));
      const active = vscode.window.activeTextEditor;
      assert.equal(active && active.document.uri.fsPath, uri.fsPath);
      const sel = active.selection;
      assert.equal(active.document.getText(sel), '[What is in scope, and what is out of scope]');
      assert.equal(active.document.lineAt(sel.start.line - 2).text, '## Scope');
      assert.ok(
        active.visibleRanges.some((r) => r.contains(sel)),
        'the selection is shown',
      );
    } finally {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it("opens the file that a broken link's Create quick fix creates, as the editor runs the fix", async function () {
    this.timeout(60000);
    const uri = wsFile('audit-deployment', 'phase-2', '05-DECISIONS.md');
    const created = wsFile('audit-deployment', 'phase-2', '04-ARTIFACTS', 'e2e-created.md');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const broken = (ds) => ds.find((d) => codeOf(d) === 'broken-link' && d.message.includes('e2e-created.md'));
    try {
      await editor.edit((b) => b.insert(new vscode.Position(doc.lineCount, 0), '\nSee [the notes](04-ARTIFACTS/e2e-created.md).\n'));
      const diag = broken(await waitForDiagnostics(uri, broken));
      const fix = await quickFix(uri, diag.range, /^Create /);
      assert.ok(fix.command, `the fix "${fix.title}" opens what it creates`);
      // A fix that edits the document itself opens nothing.
      const other = await quickFix(uri, diag.range, /Disable broken-link for this line/);
      assert.equal(other.command, undefined, 'no command on a fix that creates nothing');
      // What the editor does with a chosen fix: its edit, then its command.
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments || []));
      assert.equal(vscode.window.activeTextEditor && vscode.window.activeTextEditor.document.uri.fsPath, created.fsPath);
      assert.ok(await exists(created), 'the file is created');
    } finally {
      for (const d of vscode.workspace.textDocuments) if (d.isDirty && d.uri.fsPath === created.fsPath) await d.save();
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(created).then(undefined, () => undefined);
    }
  });

  it('plans template files without overwriting existing ones', async function () {
    const phase2 = wsFile('audit-deployment', 'phase-2').toString();
    const res = await api.request('phasegate/newDocument', { what: 'handoff', targetUri: phase2 });
    assert.deepEqual(res.errors, []);
    assert.equal(res.files.length, 1);
    assert.equal(res.files[0].exists, true, 'the existing output handoff is reported as existing');
    assert.equal(res.edit, null, 'and nothing is planned over it');
  });

  it('creates a missing document from its template through the tree command', async function () {
    const file = wsFile('audit-deployment', 'phase-3', '05-DECISIONS.md');
    await vscode.workspace.fs.delete(file);
    api.tree.refresh();
    const found = await waitFor(api.tree.onDidLoad, () => missingIn(api.tree.phases, file), 20000, 'the tree to report 05-DECISIONS.md missing');
    // What blocks the phase, in its tooltip, names the document too (a blocker of no gate), beside its gates' reasons.
    const tooltip = api.tree.getTreeItem(await treeNode('audit-deployment', 'phase-3')).tooltip.value;
    assert.match(tooltip, /^- missing .*05\\-DECISIONS\\.md/m);
    assert.match(tooltip, /^- \[Approval\]\(command:phasegate\.goToGateCause\?/m);
    const created = await vscode.commands.executeCommand('phasegate.phases.newDocument', { type: 'document', doc: found.doc, phase: found.phase });
    assert.equal(created.length, 1);
    assert.equal(created[0].fsPath, file.fsPath);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    assert.match(text, /^# .*Decisions/m);
    assert.equal(vscode.window.activeTextEditor.document.uri.fsPath, file.fsPath, 'the new document is opened');
  });

  it("titles a response made through the tree command with its prompt's title, as written", async function () {
    const file = wsFile('all_use_iai_project', 'workstreams', 'Build', 'Phase_1_Source_Code_Management', 'implementation_response_from_AI.md');
    const original = await vscode.workspace.fs.readFile(file);
    await vscode.workspace.fs.delete(file);
    try {
      api.tree.refresh();
      const found = await waitFor(api.tree.onDidLoad, () => missingIn(api.tree.phases, file), 20000, 'the tree to report the response missing');
      const created = await vscode.commands.executeCommand('phasegate.phases.newDocument', { type: 'document', doc: found.doc, phase: found.phase });
      assert.equal(created.length, 1);
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
      // The prompt's title ('&' and all), not one rebuilt from the folder name.
      assert.match(text, /^# Build Phase 1: Source Code Management & Initial CI Setup — Implementation Response$/m);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.writeFile(file, original);
    }
  });

  it('asks before a template command writes into another phase than the one the editor is in', async function () {
    const other = wsFile('audit-deployment', 'phase-2', '06-OUTPUT_HANDOFF.md');
    const original = await vscode.workspace.fs.readFile(other);
    await vscode.workspace.fs.delete(other);
    try {
      api.tree.refresh();
      await waitFor(api.tree.onDidLoad, () => missingIn(api.tree.phases, other), 20000, 'the tree to report phase-2 without its output handoff');
      // The editor in phase-3, which has its output handoff: phase-2 lacks one, but is not taken silently.
      await vscode.window.showTextDocument(wsFile('audit-deployment', 'phase-3', '07-VALIDATION.md'));
      let done = false;
      const run = Promise.resolve(vscode.commands.executeCommand('phasegate.newHandoff')).finally(() => (done = true));
      // The user dismisses the phase pick it shows.
      const deadline = Date.now() + 15000;
      while (!done && Date.now() < deadline) {
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        await Promise.race([run, new Promise((r) => setTimeout(r, 100))]);
      }
      assert.equal(await run, undefined);
      assert.equal(await exists(other), false, 'nothing written into phase-2');
    } finally {
      await vscode.workspace.fs.writeFile(other, original);
      api.tree.refresh();
      await waitFor(api.tree.onDidLoad, () => !missingIn(api.tree.phases, other), 20000, 'the tree to show phase-2 with its output handoff again');
    }
  });

  it('acts on nothing, and says why, when the file a template command is given is in no phase', async function () {
    // Not the response the test above deletes and writes back: a delete right after that write may reach the server as no change.
    const file = wsFile('all_use_iai_project', 'workstreams', 'Build', 'Phase_2_Dependency_Management_Containerization', 'implementation_response_from_AI.md');
    const original = await vscode.workspace.fs.readFile(file);
    await vscode.workspace.fs.delete(file);
    try {
      api.tree.refresh();
      await waitFor(api.tree.onDidLoad, () => missingIn(api.tree.phases, file), 20000, 'the tree to report the response missing');
      // That phase is the only one New Response Skeleton applies to: a file in no phase must not lead to it.
      for (const target of [wsFile('examples-notes.md'), wsFile('all_use_iai_project', 'project_implementation_plan.md').with({ scheme: 'git' })]) {
        assert.equal(await vscode.commands.executeCommand('phasegate.newResponse', target), undefined, `${target}`);
        assert.equal(await exists(file), false, `nothing written for ${target}`);
      }
    } finally {
      await vscode.workspace.fs.writeFile(file, original);
      api.tree.refresh();
      await waitFor(api.tree.onDidLoad, () => !missingIn(api.tree.phases, file), 20000, 'the tree to show the response again');
    }
  });

  it('creates a finding of an audit phase with New Finding, titled by its argument, and opens it; the same title again is a new finding', async function () {
    const file = wsFile('audit-deployment', 'phase-3', '03-FINDINGS', 'registry-rate-limits.md');
    const second = wsFile('audit-deployment', 'phase-3', '03-FINDINGS', 'registry-rate-limits-2.md');
    try {
      const created = await vscode.commands.executeCommand('phasegate.newFinding', wsFile('audit-deployment', 'phase-3').toString(), 'Registry rate limits');
      assert.equal(created.length, 1);
      assert.equal(created[0].fsPath, file.fsPath);
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
      assert.match(
        text,
        /^---\nphase: "phase-3"\ntitle: "Finding 2: Registry rate limits"\nstatus: draft  # draft \| in-progress \| review \| complete \| blocked\n/,
      );
      assert.match(text, /^# Finding 2: Registry rate limits$/m);
      assert.equal(vscode.window.activeTextEditor.document.uri.fsPath, file.fsPath, 'the new finding is opened');
      // The Phases view lists it among the phase's findings.
      const phase = await treeNode('audit-deployment', 'phase-3');
      const findings = (await api.tree.getChildren(phase)).find((n) => n.type === 'findings');
      assert.ok(findings, 'a Findings row under phase-3');
      assert.equal(api.tree.getTreeItem(findings).contextValue, 'findings');
      const listed = (await api.tree.getChildren(findings)).map((n) => vscode.Uri.parse(n.uri).fsPath);
      assert.deepEqual(listed, [wsFile('audit-deployment', 'phase-3', '03-FINDINGS', 'image-size-analysis.md').fsPath, file.fsPath]);
      // Its front matter is checked against the finding schema.
      const editor = vscode.window.activeTextEditor;
      assert.ok(await editor.edit((b) => b.replace(editor.document.lineAt(3).range, 'status: finished')));
      await waitForDiagnostics(file, (ds) => ds.some((d) => codeOf(d) === 'front-matter-schema' && d.range.start.line === 3));
      // Again with the same title: a new finding of its own, opened; the first is neither overwritten nor opened.
      await vscode.commands.executeCommand('workbench.action.files.revert');
      const again = await vscode.commands.executeCommand('phasegate.newFinding', wsFile('audit-deployment', 'phase-3').toString(), 'Registry rate limits');
      assert.deepEqual(
        again.map((u) => u.fsPath),
        [second.fsPath],
      );
      assert.equal(vscode.window.activeTextEditor.document.uri.fsPath, second.fsPath, 'the new finding is opened, not the first');
      assert.match(new TextDecoder().decode(await vscode.workspace.fs.readFile(second)), /^# Finding 3: Registry rate limits$/m);
      assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)), text);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      // Not there when the command failed: the failure above is the one to report.
      for (const f of [file, second]) await vscode.workspace.fs.delete(f).then(undefined, () => undefined);
    }
  });

  it('creates the project plan of an iAI project that has none with New Project Plan, from a workstream of the tree', async function () {
    const file = wsFile('all_use_iai_project', 'project_implementation_plan.md');
    const original = await vscode.workspace.fs.readFile(file);
    await vscode.workspace.fs.delete(file);
    try {
      api.tree.refresh();
      await waitFor(
        api.tree.onDidLoad,
        () => (api.tree.phases && api.tree.phases.folders.every((f) => !f.plans.some((u) => u.endsWith('/project_implementation_plan.md'))) ? true : undefined),
        20000,
        'the tree to show the iAI project without its plan',
      );
      const roots = await api.tree.getChildren();
      const build = roots.find((n) => api.tree.getTreeItem(n).label === 'Build');
      assert.equal(api.tree.getTreeItem(build).contextValue, 'group.needsPlan');
      const created = await vscode.commands.executeCommand('phasegate.newPlan', build);
      assert.equal(created.length, 1);
      assert.equal(created[0].fsPath, file.fsPath);
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
      assert.match(text, /^# Project Implementation Plan$/m);
      assert.match(text, /^\| Build \| Phase_1_Source_Code_Management \| [A-Z][a-z ]+ \|$/m);
      assert.match(text, /^\| Test \| /m);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.writeFile(file, original);
    }
  });

  it('never overwrites: a template command on a phase that has the document changes nothing', async function () {
    const file = wsFile('audit-deployment', 'phase-2', '06-OUTPUT_HANDOFF.md');
    const before = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    const created = await vscode.commands.executeCommand('phasegate.newHandoff', wsFile('audit-deployment', 'phase-2').toString());
    assert.equal(created, undefined);
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)), before);
  });

  it('drops a phase from the Phases view when its folder is deleted on disk while a document of it is open', async function () {
    this.timeout(60000);
    const folder = wsFile('audit-deployment', 'phase-9');
    const brief = wsFile('audit-deployment', 'phase-9', '00-PHASE_BRIEF.md');
    /** Whether the tree the view holds shows phase-9. */
    const shown = (data) =>
      ((data && data.folders) || []).some((f) => f.groups.some((g) => g.phases.some((p) => vscode.Uri.parse(p.uri).fsPath === folder.fsPath)));
    try {
      await vscode.workspace.fs.copy(wsFile('audit-deployment', 'phase-2'), folder, { overwrite: false });
      await waitFor(api.tree.onDidLoad, () => shown(api.tree.phases), 20000, 'the tree to show phase-9');
      const doc = await vscode.workspace.openTextDocument(brief);
      await vscode.window.showTextDocument(doc);
      // Deleted on disk (the explorer, a terminal): the editor keeps the document open.
      await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false });
      await waitFor(api.tree.onDidLoad, () => !shown(api.tree.phases), 20000, 'the tree to show phase-9 no more');
      assert.ok(
        vscode.workspace.textDocuments.some((d) => d.uri.fsPath === brief.fsPath),
        'the document is still open in the editor',
      );
      // Nothing reported on a document that is in no phase now.
      await waitForDiagnostics(brief, (ds) => ds.length === 0);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    }
  });

  it('restarts a crashed server by itself and loses no unsaved text', async function () {
    this.timeout(90000);
    const uri = wsFile('audit-deployment', 'phase-1', '00-PHASE_BRIEF.md');
    const editor = await vscode.window.showTextDocument(uri);
    const add = async (marker) => {
      const ok = await editor.edit((b) => b.insert(new vscode.Position(editor.document.lineCount, 0), `\n${marker}\n`));
      assert.ok(ok, 'edit applied');
      await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'unfilled-placeholder' && d.message.includes(marker)));
    };
    await add('[Before The Crash]');
    const heldId = (await api.tree.load()).id;
    const { pid } = await api.request('phasegate/serverInfo', undefined);
    process.kill(pid, 'SIGKILL');
    // Poll with a deadline until the client has started a new server process.
    const deadline = Date.now() + 30000;
    let next;
    while (!next && Date.now() < deadline) {
      try {
        const info = await api.request('phasegate/serverInfo', undefined);
        if (info.pid !== pid) next = info.pid;
      } catch {
        // not running yet
      }
      if (!next) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(next, 'a new server process within 30 s');
    // The Phases view fetches the new server's tree (its changes are numbered anew: no notice is compared with the old one's).
    await waitFor(
      api.tree.onDidLoad,
      () => api.tree.phases && api.tree.phases.id !== heldId && api.tree.phases.folders.some((f) => f.ready),
      30000,
      'the tree from the new server',
    );
    // The new server has the unsaved text: an incremental edit on top of it is diagnosed, and so is the earlier one.
    await add('[After The Crash]');
    assert.ok(vscode.languages.getDiagnostics(uri).some((d) => d.message.includes('[Before The Crash]')));
    assert.equal(editor.document.isDirty, true);
    assert.match(editor.document.getText(), /\[Before The Crash\][\s\S]*\[After The Crash\]/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('starts a new server on Restart also when the old one does not stop in time', async function () {
    this.timeout(60000);
    const { pid } = await api.request('phasegate/serverInfo', undefined);
    // A stopped process answers no shutdown request: the client's stop times out.
    process.kill(pid, 'SIGSTOP');
    try {
      await vscode.commands.executeCommand('phasegate.restartServer');
      assert.equal(api.running, true, 'a new server is running');
      const info = await api.request('phasegate/serverInfo', undefined);
      assert.notEqual(info.pid, pid);
    } finally {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // already gone
      }
    }
  });

  it('restarts the language server and reloads the phases', async function () {
    const reloaded = nextEvent(api.tree.onDidLoad, (d) => !!d && d.folders.some((f) => f.ready && f.groups.length), 20000, 'phases from the new server');
    await vscode.commands.executeCommand('phasegate.restartServer');
    assert.equal(api.running, true);
    const data = await reloaded;
    assert.ok(data.folders[0].groups.some((g) => g.label === 'audit-deployment'));
  });
  it('says in the Phases view that the server is not running once the client gives up restarting it, and starts again on Restart', async function () {
    this.timeout(120000);
    // No open editor: the workbench would ask the stopped client about it.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const label = async () => (await api.tree.getChildren()).map((n) => api.tree.getTreeItem(n).label);
    // The client restarts a server that crashes, up to four times in three minutes; not after the fifth crash.
    const deadline = Date.now() + 90000;
    let pid = (await api.request('phasegate/serverInfo', undefined)).pid;
    let stopped = false;
    while (!stopped && Date.now() < deadline) {
      process.kill(pid, 'SIGKILL');
      let next;
      while (!next && !stopped && Date.now() < deadline) {
        try {
          const info = await api.request('phasegate/serverInfo', undefined);
          if (info.pid !== pid) next = info.pid;
        } catch {
          // not running (yet, or any more)
        }
        stopped = !next && (await label()).includes('Phasegate server is not running');
        if (!next && !stopped) await new Promise((r) => setTimeout(r, 200));
      }
      if (next) pid = next;
    }
    assert.ok(stopped, 'the Phases view says that the server is not running');
    assert.equal(api.running, false);
    const reloaded = nextEvent(api.tree.onDidLoad, (d) => !!d && d.folders.some((f) => f.ready && f.groups.length), 20000, 'phases from the new server');
    await vscode.commands.executeCommand('phasegate.restartServer');
    assert.equal(api.running, true);
    await reloaded;
  });
});
