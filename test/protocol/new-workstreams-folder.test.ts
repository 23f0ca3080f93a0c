/**
 * The editor's New Phase and Scaffold First Phase (`phasegate/newDocument` at the workspace folder) where the
 * workspace folder is a project's `workstreams/` folder: the phase goes in it (was: `workstreams/workstreams/…`);
 * where it is an audit phase's folder: nothing is planned in it (was: `phase-2/phase-1/…`).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NewDocumentRequest, PhasesRequest } from '../../server/src/protocol';
import { buildServer, stopOnFixture, TestClient, uri } from './client';

/** A server whose workspace folder is `rel` of a fresh temp folder holding `files`. */
async function serverAt(rel: string, files: Record<string, string>): Promise<{ top: string; root: string; c: TestClient }> {
  await buildServer();
  const top = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-ws-')));
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(top, f)), { recursive: true });
    fs.writeFileSync(path.join(top, f), text);
  }
  const root = path.join(top, rel);
  fs.mkdirSync(root, { recursive: true });
  const c = await TestClient.start(root, { pull: true });
  await c.until('the phases', async () => (await c.conn.sendRequest(PhasesRequest, {})).folders.length > 0);
  return { top, root, c };
}

describe('language server: New Phase where the workspace folder is workstreams/ or a phase', function () {
  this.timeout(60_000);
  let s: { top: string; root: string; c: TestClient } | undefined;
  afterEach(async () => {
    assert.deepEqual(await stopOnFixture(s?.c, s?.top), [], 'the server logged no errors');
    s = undefined;
  });

  it('the workspace folder workstreams/: the first phase of a workstream goes in it', async () => {
    s = await serverAt('p/workstreams', {});
    const options = { layout: 'iai', workstream: 'Build', number: 1, title: 'Setup' };
    const made = await s.c.conn.sendRequest(NewDocumentRequest, { what: 'phase', targetUri: uri(s.root, ''), options });
    assert.deepEqual(made.errors, []);
    assert.deepEqual(
      made.files.map((f) => f.uri),
      [uri(s.root, 'Build/Phase_1_Setup/implementation_prompt.md')],
    );
    assert.match(made.files[0].text, /^# Build Phase 1: Setup — Implementation Prompt$/m);
  });

  it('the workspace folder phase-2/: refused, nothing planned in it', async () => {
    s = await serverAt('p/phase-2', { 'p/phase-2/00-PHASE_BRIEF.md': '# Phase 2: Build\n' });
    const made = await s.c.conn.sendRequest(NewDocumentRequest, {
      what: 'phase',
      targetUri: uri(s.root, ''),
      options: { layout: 'audit', number: 1, title: 'Setup' },
    });
    assert.deepEqual(made, {
      files: [],
      edit: null,
      errors: [
        "the workspace folder is phase-2, a phase's folder: a new phase goes beside it, outside this workspace, not into it; create it in the folder that holds phase-2",
      ],
    });
  });
});
