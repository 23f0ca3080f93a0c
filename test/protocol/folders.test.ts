import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DidChangeWorkspaceFoldersNotification,
  DidOpenTextDocumentNotification,
  Diagnostic,
  DocumentDiagnosticRequest,
  DocumentLink,
  DocumentLinkRequest,
} from 'vscode-languageserver-protocol/node';
import { PhasesRequest } from '../../server/src/protocol';
import { fixtureServer, TestClient, uri } from './client';

/** A document of the nested folder `project` (the fixture holds a project of its own under the workspace). */
const PROMPT = 'project/workstreams/Build/Phase_1_CI/implementation_prompt.md';
const EXTRA = '\nSee [resp](implementation_response_from_AI.md) and [gone](./missing-file.md).\n';

const folder = (root: string, rel = '') => ({ uri: pathToFileURL(path.join(root, rel)).href, name: rel || path.basename(root) });

async function changeFolders(c: TestClient, added: { uri: string; name: string }[], removed: { uri: string; name: string }[]): Promise<void> {
  await c.conn.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added, removed } });
}

async function readyFolders(c: TestClient, n: number): Promise<void> {
  await c.until(`${n} loaded folder(s)`, async () => {
    const r = await c.conn.sendRequest(PhasesRequest, {});
    return r.folders.length === n && r.folders.every((f) => f.ready);
  });
}

/** Opens the nested prompt with editor text that links to a sibling and to a missing file (a broken-link diagnostic). */
async function openPrompt(c: TestClient, root: string, extra = EXTRA): Promise<{ uri: string; text: string }> {
  const u = uri(root, PROMPT);
  const text = fs.readFileSync(path.join(root, PROMPT), 'utf8') + extra;
  await c.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: 'markdown', version: 1, text } });
  return { uri: u, text };
}

describe('language server: nested workspace folders (multi-root)', function () {
  this.timeout(60_000);

  describe('a client without pull diagnostics', () => {
    const s = fixtureServer({ pull: false });

    it('keeps the diagnostics of a nested folder that stays when the outer folder is removed', async () => {
      await changeFolders(s.c, [folder(s.root, 'project')], []);
      await readyFolders(s.c, 2);
      const { uri: u } = await openPrompt(s.c, s.root);
      const last = () => s.c.publishes(u).at(-1);
      await s.c.waitFor('broken-link published', () => last()?.diagnostics.some((d) => d.code === 'broken-link'));
      await changeFolders(s.c, [], [folder(s.root)]);
      // The answer comes after whatever the server published on the removal.
      await readyFolders(s.c, 1);
      assert.deepEqual(
        last()?.diagnostics.map((d) => d.code),
        ['broken-link'],
      );
    });

    it('clears the diagnostics of a document that no folder holds any more', async () => {
      const u = uri(s.root, PROMPT);
      await changeFolders(s.c, [], [folder(s.root, 'project')]);
      await readyFolders(s.c, 0);
      await s.c.waitFor('a clearing publish', () => s.c.publishes(u).at(-1)?.diagnostics.length === 0);
    });
  });

  describe('a client with pull diagnostics', () => {
    const s = fixtureServer({ pull: true });

    const probe = async (u: string) => ({
      links: ((await s.c.conn.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: u } })) as DocumentLink[]).map((l) => l.tooltip),
      diagnostics: ((await s.c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u } })) as { items: Diagnostic[] }).items.map(
        (d) => d.code,
      ),
    });
    const fromEditorText = (p: { links: (string | undefined)[]; diagnostics: unknown[] }) =>
      p.links.includes('implementation_response_from_AI.md') && p.diagnostics.includes('broken-link');

    it('a nested folder added takes the editor text of its open documents from the outer folder', async () => {
      const { uri: u, text } = await openPrompt(s.c, s.root);
      assert.ok(fromEditorText(await probe(u)), 'the outer folder has the editor text');
      await changeFolders(s.c, [folder(s.root, 'project')], []);
      await readyFolders(s.c, 2);
      assert.ok(fromEditorText(await probe(u)), 'the nested folder has the editor text');
      // Edited while the nested folder holds it: the outer folder's engine never sees this text.
      await s.c.change(u, text.replace('[resp]', '[response]'));
      assert.ok((await probe(u)).links.includes('implementation_response_from_AI.md'));
    });

    it("a nested folder's phases are shown once, in it, and return to the outer folder when it is removed", async () => {
      const nestedPhases = async () => {
        const r = await s.c.conn.sendRequest(PhasesRequest, {});
        return r.folders.map((f) => ({
          name: f.name,
          phases: f.groups.flatMap((g) => g.phases).filter((p) => p.uri.includes('/project/')).length,
        }));
      };
      // The nested folder was added by the test before: the outer folder leaves its phases to it.
      const both = [
        { name: path.basename(s.root), phases: 0 },
        { name: 'project', phases: 1 },
      ];
      await s.c.until('the project shown once, in its own folder', async () => JSON.stringify(await nestedPhases()) === JSON.stringify(both));
      await changeFolders(s.c, [], [folder(s.root, 'project')]);
      await readyFolders(s.c, 1);
      await s.c.until('the outer folder shows the project again', async () => (await nestedPhases())[0].phases === 1);
      await changeFolders(s.c, [folder(s.root, 'project')], []);
      await readyFolders(s.c, 2);
      await s.c.until('the outer folder leaves the project to its folder again', async () => (await nestedPhases())[0].phases === 0);
    });

    it('removing the nested folder hands the editor text of its open documents back to the outer folder', async () => {
      const u = uri(s.root, PROMPT);
      const refreshes = s.c.count('refresh');
      await changeFolders(s.c, [], [folder(s.root, 'project')]);
      await readyFolders(s.c, 1);
      await s.c.waitFor('a diagnostics refresh', () => s.c.count('refresh') > refreshes);
      const p = await probe(u);
      assert.ok(fromEditorText(p), JSON.stringify(p));
      // The last edit's text ([response], not [resp]) places the link.
      const links = (await s.c.conn.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: u } })) as DocumentLink[];
      const resp = links.find((l) => l.tooltip === 'implementation_response_from_AI.md');
      assert.equal(resp?.range.start.character, 'See [response]('.length);
    });
  });
});

describe('language server: a client that names its workspace by its root path alone (rootPath)', function () {
  this.timeout(60_000);
  const s = fixtureServer({ pull: true, rootAs: 'rootPath' });

  it('loads that folder, as it loads the root URI of one that names it so', async () => {
    await readyFolders(s.c, 1);
    const r = await s.c.conn.sendRequest(PhasesRequest, {});
    assert.equal(r.folders[0].uri, pathToFileURL(s.root).href);
    assert.ok(r.folders[0].groups.flatMap((g) => g.phases).length > 0, 'its phases are listed');
  });
});
