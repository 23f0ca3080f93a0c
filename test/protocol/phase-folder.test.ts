/**
 * A workspace folder that is itself a phase (`…/audit/phase-2`, an iAI `…/workstreams/Build/Phase_1_CI`) or lies in
 * one: its project, which `phasegate check` finds in a folder above, lies outside it, so the server checks nothing
 * there and says why, in its log and in the phase tree (was: an empty tree and no word).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PhasesRequest, type WorkspaceFolderNode } from '../../server/src/protocol';
import { buildServer, copyFixture, TestClient } from './client';

/** `s` matched as written in a regular expression. */
const literally = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('language server: a workspace folder that is a phase of a project above it', function () {
  this.timeout(60_000);
  let root: string;
  let c: TestClient | undefined;

  before(async () => {
    await buildServer();
    root = copyFixture();
  });
  afterEach(async () => {
    await c?.stop();
    c = undefined;
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  /** The server on `folder` as the workspace folder: its folder in the phase tree once loaded, and the lines it logged. */
  async function open(folder: string): Promise<{ node: WorkspaceFolderNode; logs: string[] }> {
    c = await TestClient.start(folder, { pull: true });
    const client = c;
    const r = await client.until('the folder loaded', async () => {
      const x = await client.conn.sendRequest(PhasesRequest, {});
      return x.folders.length === 1 && x.folders[0].ready && x;
    });
    const errors = client.logs.filter((l) => /failed|uncaught|unhandled/i.test(l));
    assert.deepEqual(errors, []);
    return { node: r.folders[0], logs: client.logs };
  }

  it('an audit phase folder: the tree and the log say which phase of which project it is, and how to check it', async () => {
    const folder = path.join(root, 'audit', 'phase-2');
    const { node, logs } = await open(folder);
    assert.deepEqual([node.groups, node.plans], [[], []]);
    const project = path.join(root, 'audit');
    assert.equal(
      node.notice,
      `The workspace folder ${folder} is phase-2 of the project at ${project}, outside it: a phase is checked with its project ` +
        `(the phases before it, their handoffs), whose files the editor does not show or watch from this folder, so nothing here is checked. ` +
        `Open ${project} as the workspace folder (or add it to the workspace) to check the phase; \`phasegate check ${folder}\` checks it from the command line.`,
    );
    assert.ok(logs.includes(node.notice), logs.join('\n'));
    // Shown to the user once, as a warning: a notification, which asks the client for no answer.
    const client = c!;
    const shown = await client.until('the warning shown', async () => {
      const messages = client.events.filter((e) => e.method === 'window/showMessage').map((e) => e.params as { type: number; message: string });
      return messages.length ? messages : undefined;
    });
    assert.deepEqual(shown, [{ type: 2, message: node.notice }]);
  });

  it('an iAI phase folder, and a folder inside a phase: named so', async () => {
    const iai = path.join(root, 'project', 'workstreams', 'Build', 'Phase_1_CI');
    const first = await open(iai);
    assert.match(
      first.node.notice ?? '',
      new RegExp(`^${literally(`The workspace folder ${iai} is Build/Phase_1_CI of the project at ${path.join(root, 'project')},`)}`),
    );
    await c!.stop();
    const findings = path.join(root, 'audit', 'phase-1', '03-FINDINGS');
    const inside = await open(findings);
    assert.match(
      inside.node.notice ?? '',
      new RegExp(`^${literally(`The workspace folder ${findings} lies in phase-1 of the project at ${path.join(root, 'audit')},`)}`),
    );
  });

  it('a folder of no project: no notice', async () => {
    const plain = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-plain-')));
    try {
      fs.writeFileSync(path.join(plain, 'notes.md'), '# Notes\n');
      const { node } = await open(plain);
      assert.equal(node.notice, undefined);
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });
});
