/**
 * The phase tree before every phase is checked: on a workspace large enough (bench/generate.mjs), the first
 * `phasegate/phases` answer lists every phase at once, those the server has not checked yet `checking` (no gates,
 * problem counts not known). The server checks them in the background and says so (`phasegate/didChangePhases`);
 * the editor's requests with `since` get them checked, until none is `checking`, and the tree it then holds is
 * the one a whole-tree request gets once every phase is checked. Edits made meanwhile land in it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GatesRequest, type PhaseNode, PhasesRequest, type PhasesResult } from '../../server/src/protocol';
import { WorkspaceDiagnosticRequest } from 'vscode-languageserver-protocol/node';
import { CHECK_BUDGET_PHASES } from '../../server/src/lsp/phaseTree';
import { TestClient, buildServer, checkingPhases, followUntilChecked, stopOnFixture, generatedWorkspace, startIndexed } from './client';

/**
 * Audit phases and as many iAI phases: several times the CHECK_BUDGET_PHASES an answer checks, so the first answer
 * leaves most of them `checking`.
 */
const N = 300;

const phasesOf = (tree: PhasesResult): PhaseNode[] => tree.folders.flatMap((f) => f.groups.flatMap((g) => g.phases));
/** The tree without what names the answer (its id and version). */
const shape = (tree: PhasesResult) => tree.folders;

describe('language server: the phase tree before every phase is checked', function () {
  this.timeout(180_000);
  let root: string;
  let c: TestClient | undefined;
  /** The final tree of the first test (no edits), to tell the edited phases by. */
  let reference: PhasesResult | undefined;

  before(async () => {
    await buildServer();
    root = await generatedWorkspace('phasegate-progressive-', N, 1);
  });

  afterEach(async () => {
    const errors = await stopOnFixture(c, undefined);
    c = undefined;
    if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  async function start(): Promise<TestClient> {
    c = await startIndexed(root);
    return c;
  }

  it('answers with every phase at once, some checking, and brings the rest checked through the notices', async () => {
    const client = await start();
    const first = await client.conn.sendRequest(PhasesRequest, {});
    const all = phasesOf(first);
    assert.equal(all.length, 2 * N, 'every phase of the folder in the first answer');
    const checking = checkingPhases(first);
    assert.ok(checking.length > 0, 'the first answer leaves phases checking (was: every phase checked before the answer)');
    assert.ok(all.length - checking.length >= CHECK_BUDGET_PHASES, 'the first answer comes with the phases it checked meanwhile');
    for (const p of checking) {
      // Not known yet: no gates, no blockers, problem counts null (not zero).
      assert.deepEqual([p.gates, p.blockers, p.problems], [[], [], null], p.id);
      assert.ok(
        p.documents.every((d) => d.problems === null),
        p.id,
      );
    }
    // A gate command asks the engine: the real gates of a phase not checked yet in the tree.
    const pending = checking[checking.length - 1];
    const gates = await client.conn.sendRequest(GatesRequest, { phaseUri: pending.uri });
    assert.ok(gates && gates.gates.length > 0 && gates.status !== 'checking', 'phasegate/gates computes the phase on demand');

    const { tree, updates } = await followUntilChecked(client, first);
    assert.equal(checkingPhases(tree).length, 0);
    assert.ok(updates >= 1);
    // The tree the editor holds is the one a whole-tree request gets now, every phase checked.
    const whole = await client.conn.sendRequest(PhasesRequest, {});
    assert.equal(checkingPhases(whole).length, 0, 'every phase checked once the background check ended');
    assert.deepEqual(shape(tree), shape(whole));
    // And what it was given for the phases checked at first stays (the same nodes).
    const byUri = new Map(phasesOf(tree).map((p) => [p.uri, p]));
    for (const p of all) if (p.status !== 'checking') assert.deepEqual(byUri.get(p.uri), p, p.id);
    reference = tree;
  });

  it('announces the phases the workspace diagnostics checked meanwhile: none stays checking', async () => {
    assert.ok(reference, 'the test before ran');
    const client = await start();
    const first = await client.conn.sendRequest(PhasesRequest, {});
    assert.ok(checkingPhases(first).length > 0, 'the first answer leaves phases checking');
    // As VS Code does at the start: the whole workspace's diagnostics, which check the same phases, while the
    // background check runs. Whichever checks a phase first, the tree ends with every phase checked.
    const diagnostics = client.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    const { tree } = await followUntilChecked(client, first);
    assert.ok((await diagnostics).items.length > 2 * N, 'the workspace diagnostics checked every phase');
    assert.deepEqual(shape(tree), shape(reference));
  });

  it('lands the edits made while the phases are checked in the background', async () => {
    assert.ok(reference, 'the test before ran');
    const client = await start();
    const first = await client.conn.sendRequest(PhasesRequest, {});
    const checking = checkingPhases(first);
    assert.ok(checking.length > 0, 'the first answer leaves phases checking (was: every phase checked before the answer)');
    const checked = phasesOf(first).find((p) => p.status !== 'checking')!;
    const pending = checking[checking.length - 1];
    // A brief without its sections: its phase's problems change. One phase shown checked, one not checked yet.
    const briefOf = (p: PhaseNode) => p.documents.find((d) => d.exists && /brief|prompt/.test(d.kind))!;
    const rel = (uri: string) => path.relative(root, new URL(uri).pathname);
    const edited = [checked, pending];
    for (const p of edited) {
      const doc = await client.open(rel(briefOf(p).uri));
      await client.change(doc.uri, '# Nothing here\n');
    }
    // One more edit after the first update, of a phase still checking: the background check goes on from the edited state.
    let again = true;
    const { tree } = await followUntilChecked(client, first, async (now) => {
      const later = checkingPhases(now).at(-1);
      if (!again || !later) return;
      again = false;
      edited.push(later);
      const doc = await client.open(rel(briefOf(later).uri));
      await client.change(doc.uri, '# Nothing here either\n');
    });
    const whole = await client.conn.sendRequest(PhasesRequest, {});
    assert.equal(checkingPhases(whole).length, 0);
    assert.deepEqual(shape(tree), shape(whole));
    const before = new Map(phasesOf(reference).map((p) => [p.uri, p]));
    const after = new Map(phasesOf(tree).map((p) => [p.uri, p]));
    for (const p of edited) {
      assert.notEqual(after.get(p.uri)?.status, 'checking', p.id);
      assert.notDeepEqual(after.get(p.uri)?.problems, before.get(p.uri)?.problems, `the edit of ${p.id} landed`);
    }
  });
});
