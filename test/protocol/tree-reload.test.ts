/**
 * A folder reload (phasegate.yaml saved) that lands while a large phase tree is built: the answer is read
 * from one state of the engine, never a mix of phases from before and after the reload.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import { PhasesRequest } from '../../server/src/protocol';
import { buildServer, stopOnFixture, TestClient } from './client';

/**
 * Phases enough that their first tree (every document checked) takes far longer than the file watcher's
 * batching (50 ms) and the reload: the config change lands while the tree is built.
 */
const PHASES = 800;
const BRIEF = (n: number) => `---\nphase: ${n}\nstatus: in-progress\n---\n\n# Phase ${n}: Work\n\n## Objectives\n\nDo the work.\n`;
/** The config after the change: the phases' missing documents and folders (warnings) are no problems any more. */
const QUIET = 'rules:\n  missing-document: off\n  missing-folder: off\n  copied-document: off\n';

describe('language server: a config change while the phase tree is built', function () {
  this.timeout(120_000);
  let root: string;
  let c: TestClient | undefined;

  before(async () => {
    await buildServer();
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-tree-')));
    // The phases' briefs are one another's but for their numbers, as a copied folder's: not what this test is about.
    fs.writeFileSync(path.join(root, 'phasegate.yaml'), 'rules:\n  copied-document: off\n');
    for (let n = 1; n <= PHASES; n++) {
      fs.mkdirSync(path.join(root, `phase-${n}`));
      fs.writeFileSync(path.join(root, `phase-${n}`, '00-PHASE_BRIEF.md'), BRIEF(n));
    }
  });

  after(async () => {
    const errors = await stopOnFixture(c, root);
    if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
  });

  it('answers with every phase read after the reload (was: the first phases before it, the rest after)', async () => {
    c = await TestClient.start(root, { pull: true });
    const client = c;
    // Loaded, and no tree asked for yet: the first one checks every document while it is built.
    await client.waitFor('the folder indexed', () => client.logs.some((l) => l.startsWith(`Indexed ${root}`)), 60_000);
    fs.writeFileSync(path.join(root, 'phasegate.yaml'), QUIET);
    const config = pathToFileURL(path.join(root, 'phasegate.yaml')).href;
    const answer = client.conn.sendRequest(PhasesRequest, {});
    await client.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: config, type: FileChangeType.Changed }] });
    const r = await answer;
    const warnings = r.folders.flatMap((f) => f.groups.flatMap((g) => g.phases.map((p) => p.problems?.warnings ?? -1)));
    assert.equal(warnings.length, PHASES);
    const before = warnings.filter((n) => n > 0).length;
    assert.ok(before === 0 || before === PHASES, `one state of the engine: ${before} phases read before the reload, ${PHASES - before} after`);
    // The reload landed while the tree was built (the tree took longer than the watcher's batching).
    assert.equal(before, 0, 'the tree was built before the reload landed: the test needs more phases');
  });
});
