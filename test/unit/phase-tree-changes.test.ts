/**
 * The phase tree (server/src/lsp/phaseTree.ts) while edits and settings changes land: a change that comes
 * while a tree is built (between two phases, where the build yields) never gives an answer that mixes
 * phases read before it with phases read after it. Changes that keep coming make the build hold them after
 * a few tries: it still yields, and they land after it. The changes go through the server's own paths: the
 * editor text through DocumentSync, a settings change through `settingsChanged`.
 */
import * as assert from 'node:assert/strict';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { PhaseNode, PhasesResult } from '../../server/src/protocol';
import { ServerContext } from '../../server/src/lsp/context';
import { PhaseTrees, type PhaseTreeOptions } from '../../server/src/lsp/phaseTree';
import { Settings, settingsChanged } from '../../server/src/lsp/settings';
import { DocumentSync } from '../../server/src/lsp/sync';
import { pathToUri } from '../../server/src/lsp/uri';
import { Folder, type Workspaces } from '../../server/src/lsp/workspaces';
import { MemoryFileSystem } from '../../server/src/service';
import { assets, ROOT } from '../helpers/workspace';

const PHASES = 8;
const BRIEF = (n: number) => `---\nphase: ${n}\nstatus: in-progress\n---\n\n# Phase ${n}: Work\n\n## Objectives\n\nDo the work.\n`;
/** A brief that lost its objectives: one error more (missing-section). */
const NO_OBJECTIVES = (n: number) => `---\nphase: ${n}\nstatus: in-progress\n---\n\n# Phase ${n}: Work\n\nNothing yet.\n`;
const briefOf = (n: number) => `${ROOT}/phase-${n}/00-PHASE_BRIEF.md`;
/** The settings after the change: each phase's missing documents (five of its seven warnings) are no problems any more. */
const QUIET = { rules: { 'missing-document': 'off' } };

/**
 * A server's folder, document sync, settings and phase tree over a workspace of PHASES phases, whose tree
 * builds yield before every phase: `onYield(n, build)` runs at the n-th yield (counted over all builds),
 * `build` counting the builds of the tree from 1. `options`: the phase tree's.
 */
async function setup(onYield: (n: number, build: number) => void = () => undefined, options?: PhaseTreeOptions) {
  const fs = new MemoryFileSystem();
  // The phases' briefs are one another's but for their numbers, as a copied folder's: not what these tests are about.
  fs.write(`${ROOT}/phasegate.yaml`, 'rules:\n  copied-document: off\n');
  for (let n = 1; n <= PHASES; n++) fs.write(briefOf(n), BRIEF(n));
  const folder = new Folder(pathToUri(ROOT), ROOT, 'ws', { fs, assets }, { log: () => undefined }, true);
  await folder.exclusive(() => folder.svc.load(ROOT));
  folder.loaded = true;
  /** What the client answers for `phasegate` (workspace/configuration): the settings when asked, once `answered` resolves. */
  let config: unknown = {};
  let answered: Promise<void> | undefined;
  let asked: (() => void) | undefined;
  const getConfiguration = async () => {
    const value = config;
    asked?.();
    if (answered) await answered;
    return value;
  };
  const connection = {
    workspace: { getConfiguration },
    console: { log: () => undefined, error: () => undefined },
  } as unknown as Connection;
  const settings = new Settings(
    connection,
    () => true,
    () => undefined,
  );
  const open = new Map<string, TextDocument>();
  const documents = { get: (uri: string) => open.get(uri), all: () => [...open.values()] } as unknown as TextDocuments<TextDocument>;
  const workspaces = { all: () => [folder], byUri: () => folder, label: (f: Folder) => f.name, folderOf: () => folder } as unknown as Workspaces;
  let builds = 0;
  let yields = 0;
  const yieldsOf: number[] = [];
  /** The engine's revision at each yield of each build. */
  const revisions: number[][] = [];
  const slicer = () => {
    const build = ++builds;
    yieldsOf[build] = 0;
    revisions[build] = [];
    return () => {
      yieldsOf[build]++;
      revisions[build].push(folder.svc.revision);
      onYield(++yields, build);
      return new Promise<void>((resolve) => setImmediate(resolve));
    };
  };
  const ctx = new ServerContext(connection, documents, workspaces, settings);
  const sync = new DocumentSync(ctx, () => undefined);
  const trees = new PhaseTrees(ctx, slicer, options);
  return {
    trees,
    folder,
    /** The editor's text of phase n's brief, applied as the server applies an opened document's. */
    edit(n: number, text: string): Promise<void> {
      const uri = pathToUri(briefOf(n));
      const doc = TextDocument.create(uri, 'markdown', (open.get(uri)?.version ?? 0) + 1, text);
      open.set(uri, doc);
      return sync.open(doc);
    },
    /** A settings change (didChangeConfiguration): the client answers `next` from now on. */
    configure(next: unknown): Promise<void> {
      config = next;
      return settingsChanged(settings, [folder], {});
    },
    answer: (params: { since?: string } = {}) => trees.answer(params, () => 0),
    /** The client's answers to settings requests made from now on wait for `until`; resolves once one is asked. */
    slowSettings(until: Promise<void>): Promise<void> {
      answered = until;
      return new Promise<void>((resolve) => (asked = resolve));
    },
    /** The folder's settings not cached: the next read asks the client. */
    forgetSettings: () => settings.forget(folder.uri),
    quickSettings(): void {
      answered = undefined;
      asked = undefined;
    },
    builds: () => builds,
    yieldsOf,
    revisions,
  };
}

function phasesOf(r: PhasesResult): PhaseNode[] {
  return r.changed ?? r.folders.flatMap((f) => f.groups.flatMap((g) => g.phases));
}
const errors = (r: PhasesResult) => phasesOf(r).map((p) => p.problems?.errors);
const warnings = (r: PhasesResult) => phasesOf(r).map((p) => p.problems?.warnings);

/** Each phase's errors with the briefs of `edited` without objectives (one error more), the others as made. */
function errorsWith(edited: number[]): number[] {
  const base = 3;
  return Array.from({ length: PHASES }, (_, i) => (edited.includes(i + 1) ? base + 1 : base));
}

/** The tree a client holds after applying an answer of the changes since `held` (its phases replaced by id). */
function applied(held: PhasesResult, update: PhasesResult): PhasesResult {
  if (!update.changed) return update;
  const byId = new Map(update.changed.map((p) => [p.id, p]));
  return {
    ...held,
    folders: held.folders.map((f) => ({ ...f, groups: f.groups.map((g) => ({ ...g, phases: g.phases.map((p) => byId.get(p.id) ?? p) })) })),
  };
}

describe('language server: phase tree built while edits and settings changes land', () => {
  it('edits of two documents between two phases: every phase read after both (was: the first one before it)', async () => {
    let t: Awaited<ReturnType<typeof setup>> | undefined = undefined;
    t = await setup((n) => {
      // Phases 1 to 3 read; phase 2 is behind, phase 6 ahead.
      if (n === 4) {
        void t!.edit(2, NO_OBJECTIVES(2));
        void t!.edit(6, NO_OBJECTIVES(6));
      }
    });
    const r = await t.answer();
    assert.deepEqual(errors(r), errorsWith([2, 6]), `one state of the engine, after both edits: ${errors(r).join(' ')}`);
    assert.equal(t.builds(), 2, 'built again once');
  });

  it('a settings change (phasegate.rules) between two phases: every phase read with its severities (was: the first ones without)', async () => {
    let t: Awaited<ReturnType<typeof setup>> | undefined = undefined;
    t = await setup((n) => {
      if (n === 4) void t!.configure(QUIET);
    });
    const r = await t.answer();
    assert.deepEqual(warnings(r), new Array<number>(PHASES).fill(2), `one state, after the change: ${warnings(r).join(' ')}`);
    // The gates count the same severities as the problems: no phase is blocked by a missing document.
    for (const p of phasesOf(r)) assert.ok(!p.blockers.some((b) => /missing-document/.test(b)), `${p.id}: ${p.blockers.join('; ')}`);
  });

  it('a settings change while the tree reads the settings: the tree reads them again (was: the old settings over the new severities)', async () => {
    const t = await setup();
    await t.configure({ rules: { 'missing-document': 'error' } });
    // The tree asks for the settings (not cached); the change lands, and the engine takes its severities,
    // before the client answers the tree's request (with the settings as they were when it was asked).
    t.forgetSettings();
    let answer!: () => void;
    const asked = t.slowSettings(new Promise<void>((resolve) => (answer = resolve)));
    const tree = t.answer();
    await asked;
    t.quickSettings();
    await t.configure({});
    answer();
    const r = await tree;
    assert.deepEqual(errors(r), errorsWith([]), `the new settings: ${errors(r).join(' ')}`);
    assert.deepEqual(warnings(r), new Array<number>(PHASES).fill(7), warnings(r).join(' '));
  });

  it('changes at every yield: after three builds the next holds them, yields all the same, and they land after it', async () => {
    let t: Awaited<ReturnType<typeof setup>> | undefined = undefined;
    let edits = 0;
    let quiet = false;
    let changing = true;
    const landed: Promise<void>[] = [];
    t = await setup(() => {
      if (!changing) return;
      edits++;
      quiet = !quiet;
      landed.push(t!.edit(2, edits % 2 ? NO_OBJECTIVES(2) : BRIEF(2)), t!.configure(quiet ? QUIET : {}));
    });
    const r = await t.answer();
    changing = false;
    assert.equal(t.builds(), 4, 'three builds ended by a change, then one that holds them');
    assert.equal(t.yieldsOf[4], PHASES, 'the build that holds the changes yields before every phase (was: built in one go)');
    const during = t.revisions[4];
    assert.ok(
      during.every((v) => v === during[0]),
      `no change reached the engine while it held them: ${during.join(' ')}`,
    );
    // One state: the phases' warnings all of one setting, and phase 2 one brief.
    const w = warnings(r);
    assert.ok(
      w.every((n) => n === w[0]),
      `one state of the settings: ${w.join(' ')}`,
    );
    const e = errors(r);
    assert.ok(
      e.every((n, i) => i === 1 || n === 3),
      e.join(' '),
    );
    // The changes held land once the tree is built; the next tree reads their last state.
    await Promise.all(landed);
    assert.ok(t.folder.svc.revision > during[0], 'the held changes landed');
    const after = await t.answer();
    assert.deepEqual(warnings(after), new Array<number>(PHASES).fill(quiet ? 2 : 7));
    assert.deepEqual(errors(after), errorsWith(edits % 2 ? [2] : []));
  });

  it('an edit while the changes since an answer are gathered: the changes read after it, the same as the whole tree', async () => {
    let t: Awaited<ReturnType<typeof setup>> | undefined = undefined;
    let at = -1;
    t = await setup((n) => {
      if (n === at) {
        void t!.edit(2, NO_OBJECTIVES(2));
        void t!.edit(6, NO_OBJECTIVES(6));
      }
    });
    const held = await t.answer();
    assert.deepEqual(errors(held), errorsWith([]));
    // Phase 4's brief edited (no other problem): the answer looks at phases 4 and 5 (whose input it is), and yields
    // before each; the edits land at its first yield.
    await t.edit(4, `${BRIEF(4)}\nMore.\n`);
    at = PHASES + 1;
    const update = await t.answer({ since: held.id });
    const ids = update.changed?.map((p) => p.id) ?? [];
    // The edited phases, and the neighbours whose results the edits made the engine work out again.
    assert.ok(ids.includes('phase-2') && ids.includes('phase-6') && ids.length < PHASES, `the changes only: ${ids.join(' ')}`);
    const whole = await t.answer();
    assert.deepEqual(applied(held, update).folders, whole.folders, 'the held tree with the changes applied is the whole tree');
    assert.deepEqual(errors(whole), errorsWith([2, 6]));
  });

  it('a phase not checked yet whose brief is edited: sent again with the title of its new text (was: the old title until checked)', async () => {
    // No phase checked by an answer, nor in the background: every phase stays `checking`.
    const t = await setup(undefined, { budgetPhases: 0, background: false });
    const held = await t.answer();
    assert.deepEqual(
      phasesOf(held).map((p) => [p.status, p.title]),
      Array.from({ length: PHASES }, () => ['checking', 'Work']),
    );
    await t.edit(5, BRIEF(5).replace('Work', 'Renamed'));
    const update = await t.answer({ since: held.id });
    assert.deepEqual(
      update.changed?.map((p) => [p.id, p.status, p.title]),
      [['phase-5', 'checking', 'Renamed']],
    );
    // Nothing changed since: nothing sent again.
    const again = await t.answer({ since: update.id });
    assert.deepEqual(again.changed, []);
    assert.deepEqual(applied(held, update).folders, (await t.answer()).folders, 'the held tree with the change applied is the whole tree');
  });

  it('changes at every yield while the changes since an answer are gathered: the held build answers the changes of one state', async () => {
    let t: Awaited<ReturnType<typeof setup>> | undefined = undefined;
    let edits = 0;
    let changing = false;
    const landed: Promise<void>[] = [];
    t = await setup(() => {
      if (!changing) return;
      edits++;
      landed.push(t!.edit(2, edits % 2 ? NO_OBJECTIVES(2) : BRIEF(2)), t!.edit(6, edits % 2 ? NO_OBJECTIVES(6) : BRIEF(6)));
    });
    const held = await t.answer();
    // An edit before the answer: it looks at phases 4 and 5, then also at those the edits at its yields reach.
    await t.edit(4, `${BRIEF(4)}\nMore.\n`);
    changing = true;
    const update = await t.answer({ since: held.id });
    changing = false;
    // Phases 2 to 7: the briefs edited (2, 4 and 6) and the phase after each.
    assert.equal(t.yieldsOf[t.builds()], 6, 'the last build holds the changes and yields before each phase it looks at');
    assert.equal(t.builds(), 5, 'three builds ended by a change, then one that holds them (after the first tree)');
    assert.ok(update.changed, 'the changes only (the phase model and settings stand)');
    const tree = applied(held, update);
    // Phases 2 and 6 from one state: both edited, or neither.
    const e = errors(tree);
    assert.ok(e[1] === e[5] && e.every((n, i) => i === 1 || i === 5 || n === 3), e.join(' '));
    await Promise.all(landed);
    // The next changes-only answer brings the client's tree to the whole tree of the state the held changes left.
    const next = await t.answer({ since: update.id });
    const whole = await t.answer();
    assert.deepEqual(applied(tree, next).folders, whole.folders);
    assert.deepEqual(errors(whole), errorsWith(edits % 2 ? [2, 6] : []));
  });

  it('an engine change that does not wait for the hold, at every yield: the tree is still answered, at last in one go', async () => {
    let t: Awaited<ReturnType<typeof setup>> | undefined = undefined;
    let edits = 0;
    t = await setup(() => {
      // Straight into the engine, as no path of the server's does while a tree holds the changes.
      edits++;
      t!.folder.svc.setOverlay(briefOf(2), edits % 2 ? NO_OBJECTIVES(2) : BRIEF(2));
    });
    const r = await t.answer();
    // The seventh build makes no time slicer: it does not yield.
    assert.equal(t.builds(), 6, 'three builds, three that hold the changes, then one in one go');
    assert.deepEqual(errors(r), errorsWith(edits % 2 ? [2] : []));
  });
});
