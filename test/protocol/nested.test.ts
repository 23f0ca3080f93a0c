/**
 * Nested workspaces in the editor: a folder inside a workspace folder that holds a phasegate.yaml of its own
 * is a derived folder, with an engine and settings of its own, as `phasegate check` checks it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DidChangeWorkspaceFoldersNotification,
  FileChangeType,
  WorkspaceDiagnosticRequest,
} from 'vscode-languageserver-protocol/node';
import { PhasesRequest } from '../../server/src/protocol';
import { buildServer, copyFixture, stopOnFixture, TestClient, uri } from './client';

const PROMPT = 'project/workstreams/Build/Phase_1_CI/implementation_prompt.md';
const CONFIG = 'project/phasegate.yaml';
/** The project's config: a broken link (an error by default) is information there. */
const INFO_LINKS = 'rules:\n  broken-link: information\n';
const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];

/** The fixture with a broken link in the project's prompt, and the project's config when given. */
async function start(config?: string): Promise<{ root: string; c: TestClient }> {
  await buildServer();
  const root = copyFixture();
  fs.appendFileSync(path.join(root, PROMPT), '\nSee [gone](missing-file.md).\n');
  if (config !== undefined) fs.writeFileSync(path.join(root, CONFIG), config);
  return { root, c: await TestClient.start(root, { pull: true }) };
}

/** The severity of the prompt's broken link in the workspace diagnostics (undefined until reported). */
async function linkSeverity(c: TestClient, root: string): Promise<string | undefined> {
  const report = await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
  const item = report.items.find((i) => i.uri === uri(root, PROMPT));
  const d = item?.kind === 'full' ? item.items.find((x) => x.code === 'broken-link') : undefined;
  return d ? SEVERITY[d.severity ?? 1] : undefined;
}

/** Each folder of the phase tree with the number of its phases in the project. */
async function tree(c: TestClient): Promise<{ name: string; project: number; all: number; nestedIn?: string }[]> {
  const r = await c.conn.sendRequest(PhasesRequest, {});
  return r.folders.map((f) => {
    const phases = f.groups.flatMap((g) => g.phases);
    const row: { name: string; project: number; all: number; nestedIn?: string } = {
      name: f.name,
      project: phases.filter((p) => p.uri.includes('/project/')).length,
      all: phases.length,
    };
    if (f.workspaceFolderUri !== undefined) row.nestedIn = f.workspaceFolderUri;
    return row;
  });
}

describe('language server: nested workspaces (projects with a phasegate.yaml of their own)', function () {
  this.timeout(60_000);

  describe('a project present at start', () => {
    let root: string;
    let c: TestClient;
    before(async () => ({ root, c } = await start(INFO_LINKS)));
    after(async () => {
      const errors = await stopOnFixture(c, root);
      if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
    });

    it('is a derived folder: its phases are shown once, under its path, and judged by its config', async () => {
      const expected = [
        { name: path.basename(root), project: 0, all: 2 },
        { name: 'project', project: 1, all: 1, nestedIn: uri(root, '') },
      ];
      await c.until('the project as a folder of its own', async () => JSON.stringify(await tree(c)) === JSON.stringify(expected));
      assert.equal(await linkSeverity(c, root), 'information');
    });

    it('has its settings read for its own URI', async () => {
      assert.ok(c.settingScopes.includes(uri(root, 'project')), JSON.stringify(c.settingScopes));
      c.scopedSettings = (scope) => (scope === uri(root, 'project') ? { rules: { 'broken-link': 'hint' } } : undefined);
      await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
      await c.until('the project setting applied', async () => (await linkSeverity(c, root)) === 'hint');
      c.scopedSettings = undefined;
      await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
      await c.until('the project config again', async () => (await linkSeverity(c, root)) === 'information');
    });

    it('goes with the workspace folder it lies in', async () => {
      await c.conn.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
        event: { added: [], removed: [{ uri: uri(root, ''), name: path.basename(root) }] },
      });
      await c.until('no folder left', async () => (await tree(c)).length === 0);
      assert.equal(await linkSeverity(c, root), undefined);
    });
  });

  describe('a project config created and deleted at run time', () => {
    let root: string;
    let c: TestClient;
    before(async () => ({ root, c } = await start()));
    after(async () => {
      const errors = await stopOnFixture(c, root);
      if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
    });

    const event = (type: FileChangeType) => c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(root, CONFIG), type }] });

    it('switches the project to its config when created, and back when deleted', async () => {
      await c.until('the outer config judges the project', async () => (await linkSeverity(c, root)) === 'error');
      assert.deepEqual(await tree(c), [{ name: path.basename(root), project: 1, all: 3 }]);
      // Registered watchers cover it (the client reports what they match).
      const registered = JSON.stringify(c.events.filter((e) => e.kind === 'register').map((e) => e.params));
      assert.match(registered, /\*\*\/\{phasegate\.yaml,phasegate\.yml,\.phasegate\.yaml\}/);

      fs.writeFileSync(path.join(root, CONFIG), INFO_LINKS);
      await event(FileChangeType.Created);
      await c.until('the project config judges it', async () => (await linkSeverity(c, root)) === 'information');
      await c.until(
        'the project as a folder of its own',
        async () => (await tree(c)).map((f) => `${f.name} ${f.project}`).join(', ') === `${path.basename(root)} 0, project 1`,
      );

      fs.rmSync(path.join(root, CONFIG));
      await event(FileChangeType.Deleted);
      await c.until('the outer config judges the project again', async () => (await linkSeverity(c, root)) === 'error');
      await c.until(
        'the project back in the workspace folder',
        async () => JSON.stringify(await tree(c)) === JSON.stringify([{ name: path.basename(root), project: 1, all: 3 }]),
      );
    });
  });
});
