/**
 * Phases the server has not checked yet (`checking`, the first tree of a large workspace) in the Phases view and
 * the status bar (client/src/tree.ts, statusBar.ts, bundled with a stand-in for `vscode`): a spinning icon and
 * "checking…", no gates yet, and the roll-ups count them as neither complete nor not, saying how many are left.
 */
import * as assert from 'node:assert/strict';
import type { PhaseNode, PhasesResult } from '../../server/src/protocol';
import { clientModule } from './bundle';

interface Node {
  type: string;
  text?: string;
  icon?: string;
}

interface Item {
  label: unknown;
  description?: string;
  iconPath?: { id: string };
  tooltip?: unknown;
}

interface Provider {
  load(): Promise<PhasesResult | undefined>;
  getChildren(node?: Node): Promise<Node[]>;
  getTreeItem(n: Node): Item;
  readonly phases: PhasesResult | undefined;
  onDidLoad(l: (d: PhasesResult | undefined) => void): { dispose(): void };
}

const counts = (errors: number) => ({ errors, warnings: 0, infos: 0, hints: 0 });

function phase(n: number, status: PhaseNode['status']): PhaseNode {
  const checking = status === 'checking';
  return {
    id: `phase-${n}`,
    title: `phase-${n}`,
    layout: 'audit',
    number: n,
    workstream: null,
    uri: `file:///ws/phase-${n}`,
    status,
    gates: checking ? [] : [{ name: 'Completeness', status: status === 'complete' ? 'passed' : 'failed' }],
    documents: [
      {
        kind: 'brief',
        name: 'Phase brief',
        file: '00-PHASE_BRIEF.md',
        uri: `file:///ws/phase-${n}/00-PHASE_BRIEF.md`,
        exists: true,
        required: true,
        problems: checking ? null : counts(status === 'blocked' ? 1 : 0),
      },
    ],
    problems: checking ? null : counts(status === 'blocked' ? 1 : 0),
    blockers: status === 'blocked' ? ['Completeness: 1 error'] : [],
  };
}

/** Folders `ws` (phase-1 complete, phase-2 blocked, phase-3 and phase-4 checking) and, with `two`, `other` (every phase checked). */
function tree(two = false): PhasesResult {
  const folder = (name: string, phases: PhaseNode[]) => ({
    uri: `file:///${name}`,
    name,
    ready: true,
    plans: [],
    groups: [{ id: `g-${name}`, label: name, layout: 'audit', workstream: null, uri: `file:///${name}`, phases }],
  });
  const ws = folder('ws', [phase(1, 'complete'), phase(2, 'blocked'), phase(3, 'checking'), phase(4, 'checking')]);
  const other = folder('other', [{ ...phase(1, 'complete'), uri: 'file:///other/phase-1' }]);
  return { id: 'a1', version: 1, folders: two ? [ws, other] : [ws] };
}

async function provider(data: PhasesResult) {
  const { mod, vscode } = await clientModule<{ PhaseTreeProvider: new (ctx: unknown) => Provider }>('client/src/tree.ts');
  const never = new vscode.EventEmitter<void>();
  const p = new mod.PhaseTreeProvider({
    running: true,
    starting: false,
    onDidChangePhases: never.event,
    onDidChangeState: never.event,
    requestInParts: (_t: unknown, _p: unknown, _q: unknown, join: (parts: unknown[], r: PhasesResult) => PhasesResult) => Promise.resolve(join([], data)),
  });
  await p.load();
  return p;
}

describe('client: phases not checked yet in the Phases view', () => {
  it('shows a checking phase spinning, "checking…", its problems not as none, and no gates yet', async () => {
    const p = await provider(tree());
    const [group] = await p.getChildren();
    const rows = await p.getChildren(group);
    const items = rows.map((n) => p.getTreeItem(n));
    assert.deepEqual(
      items.map((i) => [i.label, i.iconPath?.id, i.description]),
      [
        ['phase-1', 'pass-filled', 'complete · 1/1 gates'],
        ['phase-2', 'error', 'blocked · 0/1 gates · 1 error'],
        ['phase-3', 'loading~spin', 'checking…'],
        ['phase-4', 'loading~spin', 'checking…'],
      ],
    );
    const tooltip = (items[2].tooltip as { value: string }).value;
    assert.match(tooltip, /checking…/);
    assert.match(tooltip, /Not checked yet/);
    // Its documents, then one message instead of the gates.
    const children = await p.getChildren(rows[2]);
    assert.deepEqual(
      children.map((n) => [n.type, n.text]),
      [
        ['document', undefined],
        ['message', 'Gates: checking…'],
      ],
    );
    assert.equal(children[1].icon, 'loading~spin');
    const doc = p.getTreeItem(children[0]);
    assert.equal(doc.description, 'Phase brief', 'no problem count while not known');
    // A checked phase keeps its gates row.
    assert.deepEqual(
      (await p.getChildren(rows[1])).map((n) => n.type),
      ['document', 'gates'],
    );
  });

  it('counts checking phases as neither complete nor not in the group and folder rows, and says how many are left', async () => {
    const p = await provider(tree(true));
    const folders = await p.getChildren();
    assert.deepEqual(
      folders.map((n) => p.getTreeItem(n).description),
      ['checking 2 of 4 phases…', undefined],
    );
    const [wsGroup] = await p.getChildren(folders[0]);
    const [otherGroup] = await p.getChildren(folders[1]);
    const g = p.getTreeItem(wsGroup);
    assert.equal(g.description, '1/4 complete · 2 checking…');
    assert.match(String(g.tooltip), /2 still being checked/);
    assert.equal(p.getTreeItem(otherGroup).description, '1/1 complete');
  });
});

describe('client: the status bar over a phase not checked yet', () => {
  interface StatusBar {
    update(): void;
    readonly text: string;
    readonly visible: boolean;
  }

  async function statusBarOn(data: PhasesResult, file: string) {
    const { mod, vscode } = await clientModule<{ PhaseStatusBar: new (ctx: unknown) => StatusBar }>('client/src/statusBar.ts');
    const item = { text: '', tooltip: undefined as unknown, show() {}, hide() {}, dispose() {} };
    const window = vscode.window as Record<string, unknown>;
    window.createStatusBarItem = () => item;
    window.onDidChangeActiveTextEditor = () => ({ dispose() {} });
    window.activeTextEditor = { document: { uri: vscode.Uri.parse(file) } };
    const bar = new mod.PhaseStatusBar({
      tree: { phases: data, onDidLoad: () => ({ dispose() {} }) },
      config: { enableFor: () => true, statusBar: true },
    });
    bar.update();
    return { bar, item };
  }

  it('says "checking…" with a spinning icon instead of a count of gates, and how many phases are still being checked', async () => {
    const { bar, item } = await statusBarOn(tree(), 'file:///ws/phase-3/00-PHASE_BRIEF.md');
    assert.equal(bar.text, '$(loading~spin) phase-3 · checking…');
    const tooltip = (item.tooltip as { value: string }).value;
    assert.match(tooltip, /Not checked yet/);
    assert.match(tooltip, /2 phases are still being checked/);
  });

  it('counts the gates of a checked phase as before, and says that others are still being checked', async () => {
    const { bar, item } = await statusBarOn(tree(), 'file:///ws/phase-1/00-PHASE_BRIEF.md');
    assert.equal(bar.text, '$(pass-filled) phase-1 · 1/1 gates');
    assert.match((item.tooltip as { value: string }).value, /2 phases are still being checked/);
    const done = tree();
    done.folders[0].groups[0].phases = done.folders[0].groups[0].phases.filter((x) => x.status !== 'checking');
    const { item: after } = await statusBarOn(done, 'file:///ws/phase-1/00-PHASE_BRIEF.md');
    assert.doesNotMatch((after.tooltip as { value: string }).value, /still being checked/);
  });
});
