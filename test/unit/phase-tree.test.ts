/**
 * The phase tree (server/src/lsp/phaseTree.ts) on an engine over an in-memory workspace: a cancelled
 * request stops, and leaves the answer the client holds for the next request to name.
 */
import * as assert from 'node:assert/strict';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS, type PhasesResult } from '../../server/src/protocol';
import { ServerContext } from '../../server/src/lsp/context';
import { PhaseTrees } from '../../server/src/lsp/phaseTree';
import type { Settings } from '../../server/src/lsp/settings';
import type { Folder, Workspaces } from '../../server/src/lsp/workspaces';
import type { CancellationToken } from '../../server/src/service/types';
import { ROOT, workspace } from '../helpers/workspace';
import { folderOver } from '../helpers/folder';

const BRIEF = (n: number) => `---\nphase: ${n}\nstatus: in-progress\n---\n\n# Phase ${n}: Work\n\n## Objectives\n\nDo the work.\n`;

/**
 * A phase tree over 6 phases; `editAll` gives each brief an editor text (one more line, no other problem): an answer
 * of the changes since a tree then looks at every phase (it looks only at those whose results may have changed).
 */
async function trees(): Promise<PhaseTrees & { editAll: () => void }> {
  const files: Record<string, string> = {};
  for (let n = 1; n <= 6; n++) files[`phase-${n}/00-PHASE_BRIEF.md`] = BRIEF(n);
  const { svc } = await workspace(files);
  const folder = folderOver(svc);
  const workspaces = { all: () => [folder], byUri: () => folder, label: (f: Folder) => f.name } as unknown as Workspaces;
  const settings = { get: () => Promise.resolve(DEFAULT_SETTINGS) } as unknown as Settings;
  let edits = 0;
  const editAll = () => {
    edits++;
    for (let n = 1; n <= 6; n++)
      svc.setOverlay(
        `${ROOT}/phase-${n}/00-PHASE_BRIEF.md`,
        `${BRIEF(n)}
${'More.\n'.repeat(edits)}`,
      );
  };
  return Object.assign(new PhaseTrees(new ServerContext({} as Connection, {} as TextDocuments<TextDocument>, workspaces, settings)), { editAll });
}

const ids = (r: PhasesResult) => r.changed?.map((p) => p.id);

/** A token cancelled once it has been asked `after` times: while the tree is being built. */
function cancelledAfter(after: number): CancellationToken & { asked: number } {
  return {
    asked: 0,
    get isCancellationRequested() {
      return ++this.asked > after;
    },
  };
}

describe('language server: phase tree requests cancelled', () => {
  it('stops building the tree once the request is cancelled, whole or changes only', async () => {
    const t = await trees();
    await assert.rejects(
      t.answer({}, () => 1, { isCancellationRequested: true }),
      { name: 'CancelledError' },
    );
    const token = cancelledAfter(3);
    await assert.rejects(
      t.answer({}, () => 1, token),
      { name: 'CancelledError' },
    );
    assert.equal(token.asked, 4, 'asked between phases, not only at the end');
    const held = await t.answer({}, () => 1);
    t.editAll();
    await assert.rejects(
      t.answer({ since: held.id }, () => 2, cancelledAfter(3)),
      { name: 'CancelledError' },
    );
  });

  it('a cancelled request leaves the answer in hand for the next one: the changes since it, not the whole tree', async () => {
    const t = await trees();
    const held = await t.answer({}, () => 1);
    t.editAll();
    await assert.rejects(
      t.answer({ since: held.id }, () => 2, cancelledAfter(2)),
      { name: 'CancelledError' },
    );
    // The phases edited (their gates evaluated again), as the cancelled answer would have had them.
    const next = await t.answer({ since: held.id }, () => 2);
    assert.deepEqual(ids(next), ['phase-1', 'phase-2', 'phase-3', 'phase-4', 'phase-5', 'phase-6'], 'changes only');
    assert.deepEqual(ids(await t.answer({ since: next.id }, () => 2)), [], 'nothing changed since');
  });

  it('of two requests at once, the later answer is the one the next request can name', async () => {
    const t = await trees();
    const held = await t.answer({}, () => 1);
    const [a, b] = await Promise.all([t.answer({ since: held.id }, () => 2), t.answer({ since: held.id }, () => 2)]);
    assert.deepEqual([a.changed, b.changed], [[], []], 'both name the answer the client holds');
    const e = await t.answer({ since: b.id }, () => 2);
    assert.deepEqual(e.changed, []);
    // The same with changes: the one made while the other writes over the inputs of the answer held reads them as they were.
    t.editAll();
    const [c, d] = await Promise.all([t.answer({ since: e.id }, () => 3), t.answer({ since: e.id }, () => 3)]);
    assert.deepEqual([ids(c), ids(d)], [ids(c), ids(c)], 'both name the answer the client holds');
    assert.equal(ids(c)?.length, 6, ids(c)?.join(' '));
    assert.deepEqual(ids(await t.answer({ since: d.id }, () => 3)), []);
  });
});
