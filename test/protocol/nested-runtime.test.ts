/**
 * Nested projects that come, go and change while the server runs, with their documents open (push
 * diagnostics): each document is checked by one engine, the innermost project's, with its config, and what
 * the editor shows of it is published again when it moves from one engine to another.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, FileChangeType, PublishDiagnosticsParams, WorkspaceDiagnosticRequest } from 'vscode-languageserver-protocol/node';
import { PhasesRequest } from '../../server/src/protocol';
import { buildServer, copyFixture, stopOnFixture, TestClient, uri } from './client';

const PROMPT = 'project/workstreams/Build/Phase_1_CI/implementation_prompt.md';
const SUB_PROMPT = 'project/sub/workstreams/Build/Phase_1_CI/implementation_prompt.md';
const CONFIG = 'project/phasegate.yaml';
const SUB_CONFIG = 'project/sub/phasegate.yaml';
/** The project's config: a broken link (an error by default) is information there. */
const INFO_LINKS = 'rules:\n  broken-link: information\n';
/** The inner project's config: a hint there. */
const HINT_LINKS = 'rules:\n  broken-link: hint\n';
const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];
const BROKEN = '\nSee [gone](missing-file.md).\n';

describe('language server: nested projects changing at run time, documents open (push)', function () {
  this.timeout(60_000);
  let root: string;
  let c: TestClient;

  beforeEach(async () => {
    await buildServer();
    root = copyFixture();
    fs.appendFileSync(path.join(root, PROMPT), BROKEN);
    c = await TestClient.start(root, { pull: false });
  });
  afterEach(async () => {
    const errors = await stopOnFixture(c, root);
    if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
  });

  const event = (changes: [string, FileChangeType][]) =>
    c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: changes.map(([rel, type]) => ({ uri: uri(root, rel), type })) });
  /** The severities of the broken links last published for a document, in order. */
  const published = (u: string): string | undefined => {
    const p: PublishDiagnosticsParams | undefined = c.publishes(u).at(-1);
    return p?.diagnostics
      .filter((d) => d.code === 'broken-link')
      .map((d) => SEVERITY[d.severity ?? 1])
      .join(' ');
  };
  /** Each folder of the phase tree with its phases' folders under the project, `name: a b`. */
  const tree = async (): Promise<string> => {
    const r = await c.conn.sendRequest(PhasesRequest, {});
    return r.folders
      .map((f) => {
        const ps = f.groups.flatMap((g) => g.phases).filter((p) => p.uri.includes('/project/'));
        return `${f.name === path.basename(root) ? 'ws' : f.name}: ${ps.map((p) => p.uri.slice(uri(root, '').length + 1, p.uri.indexOf('/workstreams/'))).join(' ')}`;
      })
      .join(', ');
  };
  /** The URIs the workspace diagnostics report more than once (each file is one engine's). */
  const reportedTwice = async (): Promise<string[]> => {
    const r = await c.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    const uris = r.items.map((i) => i.uri);
    return uris.filter((u, i) => uris.indexOf(u) !== i);
  };

  it("an open document is published again with the project's config when it is created, renamed, deleted", async () => {
    const doc = await c.open(PROMPT);
    await c.waitFor('the outer config', () => published(doc.uri) === 'error');
    fs.writeFileSync(path.join(root, CONFIG), INFO_LINKS);
    await event([[CONFIG, FileChangeType.Created]]);
    await c.waitFor("the project's config", () => published(doc.uri) === 'information');
    assert.equal(await tree(), 'ws: , project: project');
    // Renamed (as a rename reports it: deleted, then created): still a project.
    fs.renameSync(path.join(root, CONFIG), path.join(root, 'project/.phasegate.yaml'));
    await event([
      [CONFIG, FileChangeType.Deleted],
      ['project/.phasegate.yaml', FileChangeType.Created],
    ]);
    await c.until('the renamed config read', async () => (await tree()) === 'ws: , project: project');
    await c.change(doc.uri, doc.text + '\nAnd [more](gone-2.md).\n');
    await c.waitFor('the edit checked by the project', () => published(doc.uri) === 'information information');
    fs.rmSync(path.join(root, 'project/.phasegate.yaml'));
    await event([['project/.phasegate.yaml', FileChangeType.Deleted]]);
    await c.waitFor('the outer config again, with the editor text', () => published(doc.uri) === 'error error');
    assert.equal(await tree(), 'ws: project');
    assert.deepEqual(await reportedTwice(), []);
  });

  it('a project inside a project stays one, with its editor text, when the outer project comes and goes', async () => {
    fs.cpSync(path.join(root, 'project/workstreams'), path.join(root, 'project/sub/workstreams'), { recursive: true });
    fs.writeFileSync(path.join(root, SUB_CONFIG), HINT_LINKS);
    // Copied in: the folder's creation is the event (as a checkout or a copy reports it).
    await event([['project/sub', FileChangeType.Created]]);
    const sub = await c.open(SUB_PROMPT);
    await c.waitFor("the inner project's config", () => published(sub.uri) === 'hint');
    assert.equal(await tree(), 'ws: project, project/sub: project/sub');
    fs.writeFileSync(path.join(root, CONFIG), INFO_LINKS);
    await event([[CONFIG, FileChangeType.Created]]);
    await c.until('the outer project around it', async () => (await tree()) === 'ws: , project: project, project/sub: project/sub');
    await c.change(sub.uri, sub.text + '\nAnd [more](gone-2.md).\n');
    await c.waitFor('the edit checked by the inner project', () => published(sub.uri) === 'hint hint');
    fs.rmSync(path.join(root, CONFIG));
    await event([[CONFIG, FileChangeType.Deleted]]);
    await c.until('the outer project gone, the inner one kept', async () => (await tree()) === 'ws: project, project/sub: project/sub');
    await c.change(sub.uri, sub.text + '\nAnd [more](gone-2.md).\nAnd [more](gone-3.md).\n');
    await c.waitFor('the edit checked by the inner project', () => published(sub.uri) === 'hint hint hint');
    assert.deepEqual(await reportedTwice(), []);
  });
});
