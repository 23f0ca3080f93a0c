/**
 * A layout's `phases` glob that misses its folders by case alone: the warning on phasegate.yaml follows the folders
 * as they come and go, in the workspace diagnostics a client pulls with the result ids it holds.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  WorkspaceDiagnosticRequest,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { PhasesRequest } from '../../server/src/protocol';
import { buildServer, copyFixture, stopOnFixture, TestClient, uri } from './client';

const CONFIG = 'layouts:\n  - name: sprint\n    phases: "Sprints/Sprint-*"\n    documents:\n      - kind: brief\n        file: GOALS.md\n';

describe('language server: a phases glob that misses its folders by case', function () {
  this.timeout(60_000);
  let root: string;
  let c: TestClient;

  before(async () => {
    await buildServer();
    root = copyFixture();
    fs.writeFileSync(path.join(root, 'phasegate.yaml'), CONFIG);
    c = await TestClient.start(root, { pull: true });
  });
  after(async () => {
    assert.deepEqual(await stopOnFixture(c, root), [], 'the server logged no errors');
  });

  it('is warned of on phasegate.yaml once a folder it would match ignoring case is created, and no longer once it is deleted', async () => {
    const config = uri(root, 'phasegate.yaml');
    const held = new Map<string, string>();
    /**
     * A pull that sends the result ids held (answered once something changed, when it holds some): the config's
     * messages when its report is new, undefined when it is unchanged.
     */
    const pull = async (): Promise<string[] | undefined> => {
      const r = await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [...held].map(([u, value]) => ({ uri: u, value })) });
      let out: string[] | undefined;
      for (const item of r.items as WorkspaceDocumentDiagnosticReport[]) {
        if (item.resultId) held.set(item.uri, item.resultId);
        if (item.uri === config && item.kind === 'full') out = item.items.map((d) => String(d.message));
      }
      return out;
    };
    const warning = (messages: string[] | undefined) => messages?.filter((m) => m.startsWith('layouts[0].phases: `Sprints/Sprint-*` matches no folder')).length;
    // Loaded (the phase tree waits for it): the first pull holds every report, and the next one waits for a change.
    await c.until('the phases', async () => (await c.conn.sendRequest(PhasesRequest, {})).folders[0]?.groups.length > 0);
    assert.equal(warning(await pull()), 0, 'the config is reported, without the warning');

    const created = pull();
    fs.mkdirSync(path.join(root, 'sprints/sprint-1'), { recursive: true });
    fs.writeFileSync(path.join(root, 'sprints/sprint-1/GOALS.md'), '# Sprint 1\n');
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(root, 'sprints'), type: FileChangeType.Created }] });
    assert.equal(warning(await created), 1, 'the config is reported again, with the warning');

    const deleted = pull();
    fs.rmSync(path.join(root, 'sprints'), { recursive: true, force: true });
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(root, 'sprints'), type: FileChangeType.Deleted }] });
    assert.equal(warning(await deleted), 0, 'the config is reported again, without the warning');
  });
});
