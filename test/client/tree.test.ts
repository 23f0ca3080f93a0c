/**
 * The Phases view's data provider (client/src/tree.ts, bundled with a stand-in for `vscode`) against a
 * scripted server: how many `phasegate/phases` requests a burst of change notices costs, which are
 * cancelled, and what the view shows before the first tree.
 */
import * as assert from 'node:assert/strict';
import type { PhasesResult } from '../../server/src/protocol';
import { clientModule } from './bundle';
import { wholeTree } from './phases';

/** How the tree joins the parts of an answer with its response (`joinPhasesPartials`, given by the tree). */
type Join = (parts: unknown[], r: PhasesResult) => PhasesResult;

interface Token {
  isCancellationRequested: boolean;
}

/** A request the scripted server holds until the test answers it. */
interface Sent {
  since?: string;
  token: Token;
  answer: (r: PhasesResult) => void;
  fail: (e: Error) => void;
}

interface Node {
  type: string;
  text?: string;
}

/** The provider as the tests use it (client/src/tree.ts's PhaseTreeProvider). */
interface Tree {
  phasesChanged(c: { version?: number }): Promise<boolean>;
  load(): Promise<PhasesResult | undefined>;
  refresh(): void;
  getChildren(node?: Node): Promise<Node[]>;
  onDidLoad(l: (d: PhasesResult | undefined) => void): void;
  onDidChangeTreeData(l: () => void): void;
  readonly phases: PhasesResult | undefined;
  dispose(): void;
}

const changes = (id: string, version: number): PhasesResult => ({ id, version, folders: [], changed: [] });

/** Resolves once `cond` holds, checked after each turn of the event loop; fails at the deadline. */
async function until(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

async function setup(state: { running: boolean; starting: boolean }) {
  const { mod, vscode } = await clientModule<{ PhaseTreeProvider: new (ctx: unknown) => Tree }>('client/src/tree.ts');
  const phasesChanged = new vscode.EventEmitter<{ version?: number }>();
  const stateChanged = new vscode.EventEmitter<void>();
  const sent: Sent[] = [];
  const ctx = {
    get running() {
      return state.running;
    },
    get starting() {
      return state.starting;
    },
    onDidChangePhases: phasesChanged.event,
    onDidChangeState: stateChanged.event,
    requestInParts(_type: unknown, _parts: unknown, params: { since?: string }, join: Join, token: Token) {
      return new Promise<PhasesResult>((answer, fail) => sent.push({ since: params.since, token, answer, fail })).then((r) => join([], r));
    },
  };
  const tree = new mod.PhaseTreeProvider(ctx);
  let told = 0;
  tree.onDidChangeTreeData(() => told++);
  const labels = async () => (await tree.getChildren()).map((n) => n.text ?? n.type);
  return { tree, sent, state, stateChanged, told: () => told, labels };
}

describe('client: the Phases view fetches the phase tree', () => {
  it('a burst of notices while a fetch is on its way costs one more fetch, which names the answer in hand', async () => {
    const { tree, sent } = await setup({ running: true, starting: false });
    const first = tree.load();
    sent[0].answer(wholeTree('a1', 1));
    await first;
    // Typing: notices of versions 2..5 while the fetch of version 2 is on its way.
    const notices = [tree.phasesChanged({ version: 2 })];
    await until('the fetch of version 2', () => sent.length === 2);
    notices.push(tree.phasesChanged({ version: 3 }), tree.phasesChanged({ version: 4 }), tree.phasesChanged({ version: 5 }));
    // The server read version 2 as it started: the answer does not show 3..5.
    sent[1].answer(changes('a2', 2));
    assert.deepEqual(await Promise.all(notices), [true, true, true, true]);
    assert.equal(sent.length, 3, `${sent.length - 1} fetches for 4 notices: one more after the one on its way, not one per notice`);
    assert.equal(sent[2].since, 'a2', 'the follow-up names the answer just taken: the server answers with the changes only');
    // More notices during the follow-up, which the follow-up's answer shows: no fetch after it.
    const more = [tree.phasesChanged({ version: 6 }), tree.phasesChanged({ version: 7 })];
    sent[2].answer(changes('a3', 7));
    assert.deepEqual(await Promise.all(more), [false, false]);
    assert.equal(sent.length, 3);
    assert.equal(tree.phases?.version, 7);
    assert.ok(
      sent.every((s) => !s.token.isCancellationRequested),
      'nothing cancelled: each answer was used',
    );
  });

  it('a refresh cancels the fetch on its way; its late answer is dropped, and a whole tree asked for stays whole', async () => {
    const { tree, sent } = await setup({ running: true, starting: false });
    const first = tree.load();
    sent[0].answer(wholeTree('a1', 1));
    await first;
    // A settings change (no version): the whole tree; then a refresh before it answers.
    void tree.phasesChanged({});
    tree.refresh();
    assert.equal(sent.length, 3);
    assert.equal(sent[1].token.isCancellationRequested, true, 'the superseded request is cancelled');
    assert.equal(sent[2].token.isCancellationRequested, false);
    assert.equal(sent[2].since, undefined, 'still the whole tree');
    const loaded = tree.load();
    sent[2].answer(wholeTree('a3', 3));
    sent[1].answer(wholeTree('a2', 2));
    assert.equal((await loaded)?.id, 'a3');
    assert.equal(tree.phases?.id, 'a3', 'the cancelled answer, later, is not taken');
    // The server's RequestCancelled for the cancelled one changes nothing either.
    void tree.phasesChanged({ version: 4 });
    await until('the next fetch', () => sent.length === 4);
    assert.equal(sent[3].since, 'a3');
    sent[3].fail(Object.assign(new Error('cancelled'), { code: -32800 }));
    await until('the failure taken', () => tree.phases === undefined);
  });
});

describe('client: what the Phases view shows before the first tree', () => {
  it('"Starting Phasegate…" while the server starts, "Indexing phases…" until the first tree, not "not running"', async () => {
    const { tree, sent, state, stateChanged, told, labels } = await setup({ running: false, starting: true });
    assert.deepEqual(await labels(), ['Starting Phasegate…']);
    assert.equal(sent.length, 0, 'nothing asked of a server not running yet');
    // Running: the view is told to draw again, and shows that the workspace is being indexed meanwhile.
    state.running = true;
    state.starting = false;
    stateChanged.fire();
    assert.equal(told(), 1);
    void tree.phasesChanged({});
    assert.deepEqual(await labels(), ['Indexing phases…'], 'the roots do not wait for the first tree');
    assert.equal(sent.length, 1);
    const drawn = told();
    sent[0].answer(wholeTree('a1', 1));
    await until('the view told to draw the tree', () => told() > drawn);
    assert.deepEqual(await labels(), ['group']);
  });

  it('a folder the server checks nothing of, for a reason it gives (a phase of a project above it): the reason, not the welcome view', async () => {
    const { tree, sent, labels } = await setup({ running: true, starting: false });
    const notice = 'The workspace folder /w/audit/phase-2 is phase-2 of the project at /w/audit, outside it: …';
    const loaded = tree.load();
    sent[0].answer({ id: 'a1', version: 1, folders: [{ uri: 'file:///w/audit/phase-2', name: 'phase-2', ready: true, groups: [], plans: [], notice }] });
    await loaded;
    assert.deepEqual(await labels(), [notice]);
    // Without one: nothing (the welcome view, which offers a first phase).
    const other = await setup({ running: true, starting: false });
    const plain = other.tree.load();
    other.sent[0].answer({ id: 'b1', version: 1, folders: [{ uri: 'file:///w/notes', name: 'notes', ready: true, groups: [], plans: [] }] });
    await plain;
    assert.deepEqual(await other.labels(), []);
  });

  it('"Phasegate server is not running" once it stopped and is not starting again', async () => {
    const { tree, sent, state, stateChanged, labels } = await setup({ running: true, starting: false });
    const first = tree.load();
    sent[0].answer(wholeTree('a1', 1));
    await first;
    state.running = false;
    stateChanged.fire();
    await tree.phasesChanged({});
    assert.deepEqual(await labels(), ['Phasegate server is not running']);
    // The client starts it again (after a crash): starting, not "not running".
    state.starting = true;
    stateChanged.fire();
    assert.deepEqual(await labels(), ['Starting Phasegate…']);
  });
});

describe("client: an audit phase's findings in the Phases view", () => {
  interface Item {
    label: unknown;
    description?: string;
    contextValue?: string;
    command?: { command: string };
  }
  type Provider = Tree & { getTreeItem(n: Node): Item };

  /** The provider over one audit phase, `file:///ws/phase-1`, whose 03-FINDINGS/ holds `files` (none: no such folder), its subfolder `archive/` `archived`. */
  async function withFindings(files: [string, number][] | undefined, archived: [string, number][] = []) {
    const { mod, vscode } = await clientModule<{ PhaseTreeProvider: new (ctx: unknown) => Provider }>('client/src/tree.ts');
    const created: ((u: unknown) => void)[] = [];
    const workspace = vscode.workspace as Record<string, unknown>;
    workspace.fs = {
      readDirectory: (dir: { toString(): string }) => {
        const listed = files && { 'file:///ws/phase-1/03-FINDINGS': files, 'file:///ws/phase-1/03-FINDINGS/archive': archived }[dir.toString()];
        return listed ? Promise.resolve(listed) : Promise.reject(new Error('ENOENT'));
      },
    };
    workspace.createFileSystemWatcher = () => ({
      onDidCreate: (l: (u: unknown) => void) => (created.push(l), { dispose() {} }),
      onDidDelete: () => ({ dispose() {} }),
      dispose() {},
    });
    const never = new vscode.EventEmitter<void>();
    const ctx = {
      running: true,
      starting: false,
      onDidChangePhases: never.event,
      onDidChangeState: never.event,
      requestInParts: (_t: unknown, _p: unknown, _q: unknown, join: Join) => Promise.resolve(join([], wholeTree('a1', 1))),
    };
    const tree = new mod.PhaseTreeProvider(ctx);
    const told: unknown[] = [];
    tree.onDidChangeTreeData(((n: unknown) => void told.push(n)) as unknown as () => void);
    await tree.load();
    const [group] = await tree.getChildren();
    const [phase] = await tree.getChildren(group);
    return { tree, phase, told, created, vscode };
  }

  it('lists the Markdown files of 03-FINDINGS/ and its subfolders under the phase, by path, each opening its file', async () => {
    const { tree, phase } = await withFindings(
      [
        ['security-baseline.md', 1],
        ['code-quality-audit.md', 1],
        ['raw-output.txt', 1],
        ['archive', 2],
      ],
      [['old-scan.md', 1]],
    );
    const children = await tree.getChildren(phase);
    const findings = children.find((n) => n.type === 'findings')!;
    assert.ok(findings, `children: ${children.map((n) => n.type)}`);
    const item = tree.getTreeItem(findings);
    assert.equal(item.label, 'Findings');
    assert.equal(item.description, '3 in 03-FINDINGS/');
    assert.equal(item.contextValue, 'findings', 'New Finding applies to it');
    const rows = (await tree.getChildren(findings)).map((n) => tree.getTreeItem(n));
    assert.deepEqual(
      rows.map((r) => [String(r.label), r.description]),
      [
        ['file:///ws/phase-1/03-FINDINGS/archive/old-scan.md', 'archive/'],
        ['file:///ws/phase-1/03-FINDINGS/code-quality-audit.md', undefined],
        ['file:///ws/phase-1/03-FINDINGS/security-baseline.md', undefined],
      ],
    );
    assert.ok(rows.every((r) => r.command?.command === 'vscode.open' && r.contextValue === 'document'));
  });

  it('says when the folder holds none yet, and shows no row for a phase without the folder', async () => {
    const empty = await withFindings([]);
    const node = (await empty.tree.getChildren(empty.phase)).find((n) => n.type === 'findings')!;
    assert.equal(empty.tree.getTreeItem(node).description, 'none yet in 03-FINDINGS/');
    const none = await withFindings(undefined);
    assert.deepEqual(
      (await none.tree.getChildren(none.phase)).map((n) => n.type),
      [],
    );
  });

  it('draws the phase again when a finding is written into its folder', async () => {
    const { phase, told, created, vscode } = await withFindings([]);
    assert.equal(created.length, 1, 'one watcher of findings');
    created[0](vscode.Uri.parse('file:///ws/phase-1/03-FINDINGS/new-finding.md'));
    created[0](vscode.Uri.parse('file:///ws/phase-1/03-FINDINGS/archive/older.md'));
    created[0](vscode.Uri.parse('file:///ws/phase-9/03-FINDINGS/not-shown.md'));
    assert.deepEqual(told, [phase, phase], 'the phase drawn again for each of its findings, nothing for a phase the view does not show');
  });
});

describe("client: a project plan's row in the Phases view", () => {
  it('names its project by its folder, so that the plans of two projects tell apart', async () => {
    const { mod, vscode } = await clientModule<{
      PhaseTreeProvider: new (ctx: unknown) => Tree & { getTreeItem(n: Node): { label: unknown; description?: string } };
    }>('client/src/tree.ts');
    const never = new vscode.EventEmitter<void>();
    const tree = wholeTree('p', 1);
    tree.folders[0].plans = ['file:///ws/project_implementation_plan.md', 'file:///ws/projects/billing/project_implementation_plan.md'];
    const provider = new mod.PhaseTreeProvider({
      running: true,
      starting: false,
      onDidChangePhases: never.event,
      onDidChangeState: never.event,
      requestInParts: (_t: unknown, _p: unknown, _q: unknown, join: Join) => Promise.resolve(join([], tree)),
    });
    await provider.load();
    const plans = (await provider.getChildren()).filter((n) => n.type === 'plan').map((n) => provider.getTreeItem(n));
    assert.deepEqual(
      plans.map((i) => [i.label, i.description]),
      [
        ['Project implementation plan', undefined],
        ['Project implementation plan', 'projects/billing'],
      ],
    );
  });
});

describe('client: the Phases view follows the editor (the row of a file)', () => {
  interface Item {
    id?: string;
  }
  type Provider = Tree & {
    getTreeItem(n: Node): Item;
    getParent(n: Node): Node | undefined;
    nodeFor(uri: unknown): Node | undefined;
    row(id: string): Node | undefined;
  };

  it("names the row of a document, a finding or another file of a phase by the id of the row the view holds, up to the group's", async () => {
    const { mod, vscode } = await clientModule<{ PhaseTreeProvider: new (ctx: unknown) => Provider; idOf(n: Node): string | undefined }>('client/src/tree.ts');
    const tree0 = wholeTree('a1', 1);
    const phase = tree0.folders[0].groups[0].phases[0];
    phase.documents = [
      {
        kind: 'brief',
        file: '00-PHASE_BRIEF.md',
        name: 'Phase brief',
        uri: 'file:///ws/phase-1/00-PHASE_BRIEF.md',
        exists: true,
        required: true,
        problems: phase.problems,
      },
      {
        kind: 'decisions',
        file: '05-DECISIONS.md',
        name: 'Decisions',
        uri: 'file:///ws/phase-1/05-DECISIONS.md',
        exists: false,
        required: true,
        problems: phase.problems,
      },
    ] as typeof phase.documents;
    (vscode.workspace as Record<string, unknown>).fs = {
      readDirectory: (dir: { toString(): string }) =>
        dir.toString() === 'file:///ws/phase-1/03-FINDINGS' ? Promise.resolve([['scan.md', 1]]) : Promise.reject(new Error('ENOENT')),
    };
    const never = new vscode.EventEmitter<void>();
    const tree = new mod.PhaseTreeProvider({
      running: true,
      starting: false,
      onDidChangePhases: never.event,
      onDidChangeState: never.event,
      requestInParts: (_t: unknown, _p: unknown, _q: unknown, join: Join) => Promise.resolve(join([], tree0)),
    });
    await tree.load();
    // The rows the view fetches, as it expands them.
    const [group] = await tree.getChildren();
    const [phaseRow] = await tree.getChildren(group);
    const children = await tree.getChildren(phaseRow);
    await tree.getChildren(children.find((n) => n.type === 'findings'));
    const held = (uri: string) => {
      const node = tree.nodeFor(vscode.Uri.parse(uri));
      assert.ok(node, uri);
      const ids: (string | undefined)[] = [];
      for (let n: Node | undefined = node; n; n = tree.getParent(n)) {
        const id = mod.idOf(n);
        ids.push(id);
        assert.ok(id && tree.row(id), `${uri}: ${id} is a row the view holds`);
        assert.equal(id, tree.getTreeItem(tree.row(id)!).id, `${uri}: the id of the row`);
      }
      return ids;
    };
    assert.deepEqual(held('file:///ws/phase-1/00-PHASE_BRIEF.md'), ['doc:0:file:///ws/phase-1/00-PHASE_BRIEF.md', 'phase:file:///ws/phase-1', 'group:g']);
    assert.deepEqual(held('file:///ws/phase-1/03-FINDINGS/scan.md'), [
      'finding:file:///ws/phase-1/03-FINDINGS/scan.md',
      'findings:file:///ws/phase-1',
      'phase:file:///ws/phase-1',
      'group:g',
    ]);
    // An artifact, and a document not written (its row creates it): the phase's row.
    assert.deepEqual(held('file:///ws/phase-1/04-ARTIFACTS/build.sh'), ['phase:file:///ws/phase-1', 'group:g']);
    assert.deepEqual(held('file:///ws/phase-1/05-DECISIONS.md'), ['phase:file:///ws/phase-1', 'group:g']);
    assert.equal(tree.nodeFor(vscode.Uri.parse('file:///ws/README.md')), undefined, 'a file in no phase');
    tree.dispose();
  });
});
