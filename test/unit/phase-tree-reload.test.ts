/**
 * The phase tree (server/src/lsp/phaseTree.ts) while the folder reloads: a config change that lands
 * while a tree is built (between two phases) never gives an answer that mixes phases read before the
 * reload with phases read after it.
 */
import * as assert from 'node:assert/strict';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS, type PhasesResult } from '../../server/src/protocol';
import { ServerContext } from '../../server/src/lsp/context';
import { PhaseTrees } from '../../server/src/lsp/phaseTree';
import type { Settings } from '../../server/src/lsp/settings';
import type { Folder, Workspaces } from '../../server/src/lsp/workspaces';
import { ROOT, workspace } from '../helpers/workspace';
import { folderOver } from '../helpers/folder';

const BRIEF = (n: number) => `---\nphase: ${n}\nstatus: in-progress\n---\n\n# Phase ${n}: Work\n\n## Objectives\n\nDo the work.\n`;
const PHASES = 8;
const CONFIG = `${ROOT}/phasegate.yaml`;
/** The config after the change: each phase's missing documents and folders (warnings) are no problems any more. */
const QUIET = 'rules:\n  missing-document: off\n  missing-folder: off\n  copied-document: off\n';
/** The config before it. The phases' briefs are one another's but for their numbers, as a copied folder's: not what these tests are about. */
const LOUD = 'rules:\n  copied-document: off\n';

/**
 * A tree over a workspace of PHASES phases whose builds yield before every phase; `onYield(n)` runs at
 * the n-th yield (counted over all builds), before the build goes on.
 */
async function setup(onYield: (n: number, reload: () => Promise<void>) => void) {
  const files: Record<string, string> = { 'phasegate.yaml': LOUD };
  for (let n = 1; n <= PHASES; n++) files[`phase-${n}/00-PHASE_BRIEF.md`] = BRIEF(n);
  const { svc, fs } = await workspace(files);
  const folder = folderOver(svc);
  let version = 1;
  let quiet = false;
  /** The config toggled and the change applied as the file watcher does: the engine reloads. */
  const reload = () =>
    folder.exclusive(async () => {
      quiet = !quiet;
      fs.write(CONFIG, quiet ? QUIET : LOUD);
      await svc.filesChanged([{ path: CONFIG, type: 'changed' }]);
      version++;
    });
  const workspaces = { all: () => [folder], byUri: () => folder, label: (f: Folder) => f.name } as unknown as Workspaces;
  const settings = { get: () => Promise.resolve(DEFAULT_SETTINGS) } as unknown as Settings;
  let yields = 0;
  const slicer = () => () => {
    onYield(++yields, reload);
    return new Promise<void>((resolve) => setImmediate(resolve));
  };
  const trees = new PhaseTrees(new ServerContext({} as Connection, {} as TextDocuments<TextDocument>, workspaces, settings), slicer);
  /** Each brief given an editor text (one more line): an answer of the changes since a tree then looks at every phase. */
  const editAll = () =>
    folder.exclusive(async () => {
      for (let n = 1; n <= PHASES; n++) svc.setOverlay(`${ROOT}/phase-${n}/00-PHASE_BRIEF.md`, `${BRIEF(n)}\nMore.\n`);
    });
  return { trees, svc, version: () => version, yields: () => yields, editAll };
}

/** Each phase's warnings, in the order of the tree. */
function warnings(r: PhasesResult): number[] {
  const phases = r.changed ?? r.folders.flatMap((f) => f.groups.flatMap((g) => g.phases));
  return phases.map((p) => p.problems?.warnings ?? -1);
}

describe('language server: phase tree built while the folder reloads', () => {
  it('a reload between two phases: every phase is read from the reloaded engine', async () => {
    const t = await setup((n, reload) => {
      if (n === 4) void reload();
    });
    const r = await t.trees.answer({}, t.version);
    const w = warnings(r);
    assert.equal(w.length, PHASES);
    assert.deepEqual(w, new Array<number>(PHASES).fill(0), `one state of the engine, after the reload (was: before it for the first phases): ${w.join(' ')}`);
    assert.equal(r.version, 2, "the answer's version counts the reload");
  });

  it('a reload while the changes since an answer are gathered: the whole tree, read after it', async () => {
    const t = await setup((n, reload) => {
      if (n === PHASES + 3) void reload();
    });
    const held = await t.trees.answer({}, t.version);
    assert.ok(
      warnings(held).every((n) => n > 0),
      'before the reload, each phase has missing documents',
    );
    await t.editAll();
    const r = await t.trees.answer({ since: held.id }, t.version);
    assert.equal(r.changed, undefined, 'the phase model changed: the whole tree');
    assert.deepEqual(warnings(r), new Array<number>(PHASES).fill(0));
  });

  it('reloads at every yield: built again a few times, then holding them (still yielding), and consistent', async () => {
    const t = await setup((_n, reload) => void reload());
    const r = await t.trees.answer({}, t.version);
    const w = warnings(r);
    assert.equal(w.length, PHASES);
    assert.ok(
      w.every((n) => n === w[0]),
      `one state of the engine: ${w.join(' ')}`,
    );
    assert.ok(t.yields() < 4 * PHASES, `a bounded number of builds (${t.yields()} yields)`);
  });
});
