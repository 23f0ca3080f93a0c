/**
 * The titles of the phases the first phase tree lists `checking`: those their briefs and prompts give, as once they are
 * checked (their `#` heading), not their folders' names first and the brief's title a moment later.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { type PhaseNode, PhasesRequest, type PhasesResult } from '../../server/src/protocol';
import { TestClient, buildServer, checkingPhases, followUntilChecked, stopOnFixture, generatedWorkspace, startIndexed } from './client';

/** Audit phases and as many iAI phases: more than an answer checks, so that the first answer leaves some `checking`. */
const N = 120;

const phasesOf = (tree: PhasesResult): PhaseNode[] => tree.folders.flatMap((f) => f.groups.flatMap((g) => g.phases));

describe('language server: the title of a phase the tree lists checking', function () {
  this.timeout(180_000);
  let root: string;
  let c: TestClient | undefined;

  before(async () => {
    await buildServer();
    root = await generatedWorkspace('phasegate-checking-titles-', N, 2);
  });

  after(async () => {
    const errors = await stopOnFixture(c, root);
    if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
  });

  it('is the title its brief or prompt gives, the one it has once checked', async () => {
    c = await startIndexed(root);
    const client = c;
    const first = await client.conn.sendRequest(PhasesRequest, {});
    const checking = checkingPhases(first);
    assert.ok(checking.length > 0, 'the first answer leaves phases checking');
    const { tree } = await followUntilChecked(client, first);
    assert.equal(checkingPhases(tree).length, 0);
    const checked = new Map(phasesOf(tree).map((p) => [p.uri, p]));
    let audit = 0;
    for (const p of checking) {
      const brief = p.documents.find((d) => d.exists && (d.kind === 'brief' || d.kind === 'prompt'));
      assert.ok(brief, p.id);
      assert.match(fs.readFileSync(new URL(brief.uri), 'utf8'), /^# \S/m, `${p.id}: its lead document has a # heading`);
      assert.equal(p.title, checked.get(p.uri)?.title, p.id);
      // An audit phase's folder (`phase-7`) has no title: its brief's is shown, not the folder's name.
      if (/^phase-\d+$/.test(p.id)) {
        audit++;
        assert.notEqual(p.title, p.id);
      }
    }
    assert.ok(audit > 0, 'audit phases among those checking');
  });
});
