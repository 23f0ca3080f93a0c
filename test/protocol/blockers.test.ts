/** The phase tree names what blocks a handoff as `phasegate status` does: missing documents first, and once. */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { PhasesRequest, PhaseNode } from '../../server/src/protocol';
import { REPO } from '../helpers/workspace';
import { startOnFixture, stopOnFixture, TestClient } from './client';

describe('language server: what blocks a phase', function () {
  this.timeout(60_000);
  let root: string;
  let c: TestClient;

  before(async () => {
    ({ root, c } = await startOnFixture({ pull: true }));
  });
  after(async () => {
    assert.deepEqual(await stopOnFixture(c, root), [], 'the server logged no errors');
  });

  it('names the required documents not written, as status does, before the gates', async () => {
    const tree = await c.until('the folder loaded', async () => {
      const r = await c.conn.sendRequest(PhasesRequest, {});
      return r.folders.every((f) => f.ready) && r.folders.length ? r : undefined;
    });
    const phases: PhaseNode[] = tree.folders.flatMap((f) => f.groups.flatMap((g) => g.phases));
    // The fixture's phase-2 has no 07-VALIDATION.md.
    const p2 = phases.find((p) => p.id === 'phase-2')!;
    assert.equal(p2.blockers[0], 'missing 07-VALIDATION.md', p2.blockers.join(' | '));
    // Said once: no gate's reason says again that it is not written (as the phase's tooltip lists them).
    assert.ok(p2.blockers.length > 1, p2.blockers.join(' | '));
    assert.ok(!p2.blockers.slice(1).some((b) => /not written yet|no validation checklist|× missing-document/.test(b)), p2.blockers.join(' | '));
    const status = JSON.parse(
      execFileSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'status', '--format', 'json', root], { encoding: 'utf8' }).toString(),
    ) as { phases: { id: string; blockedBy: string[] }[] };
    for (const p of phases) {
      const cli = status.phases.find((x) => x.id === p.id)!;
      const missing = (b: string[]) => b.filter((x) => x.startsWith('missing '));
      assert.deepEqual(missing(p.blockers), missing(cli.blockedBy), p.id);
    }
  });
});
