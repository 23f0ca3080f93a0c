/**
 * "Disable … for this line" over a selection that covers thousands of problems: the directives are tried out
 * together, the document parsed once for them all (was: once for each problem, seconds growing with the
 * square of their number).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CodeAction, CodeActionRequest, TextEdit } from 'vscode-languageserver-protocol/node';
import { buildServer, quickFixesOfAll, quickFixesOver, stopOnFixture, TestClient } from './client';
import { assertLinearAsync } from '../helpers/linear';

const PROBLEMS = 5000;
const DOC = 'phase-1/00-PHASE_BRIEF.md';

describe('language server: silencing thousands of problems in a selection', function () {
  this.timeout(120_000);
  let root: string;
  let c: TestClient | undefined;
  let opened: { uri: string } | undefined;

  /** The brief with n problems: paragraphs of one line, and list items (a comment line above each leaves the document as it reads). */
  const text = (n: number) => {
    let t = '---\nphase: 1\nstatus: in-progress\n---\n\n# Phase 1: Work\n\n## Objectives\n\n';
    for (let i = 0; i < n / 2; i++) t += `See [notes](missing-${i}.md) first.\n\n`;
    for (let i = n / 2; i < n; i++) t += `- See [notes](missing-${i}.md) first.\n`;
    return t;
  };

  before(async () => {
    await buildServer();
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-silence-')));
    fs.mkdirSync(path.join(root, 'phase-1'));
    fs.writeFileSync(path.join(root, DOC), text(PROBLEMS));
  });

  after(async () => {
    const errors = await stopOnFixture(c, root);
    if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
  });

  it(`offers "Disable broken-link for this line" for each of ${PROBLEMS} problems, in time linear in their number`, async () => {
    const client = (c ??= await TestClient.start(root, { pull: true }));
    const doc = (opened ??= await client.open(DOC));
    // One parse of the whole document per problem took more than two minutes here at 5,000 (the parses are counted
    // in test/unit/suppress-many.test.ts). From n = 300 problems to 4,800 first: the document set again (the
    // directives tried out are kept for a text that stays) and the code actions over all of it asked, as the
    // editor does; the diagnostics not pulled in between (their pull waits for the typing to settle).
    await assertLinearAsync(
      'the quick fixes of n problems',
      async (n) => {
        const t = text(n);
        return async () => {
          await client.change(doc.uri, t);
          const actions = await quickFixesOver(client, { uri: doc.uri, text: t });
          assert.equal(actions.filter((a) => a.title === 'Disable broken-link for this line').length, n);
        };
      },
      { n: 300 },
    );
    const all = { uri: doc.uri, text: text(PROBLEMS) };
    await client.change(doc.uri, all.text);
    const { problems, actions } = await quickFixesOfAll(client, all, 'broken-link');
    assert.equal(problems, PROBLEMS);
    assert.equal(actions.filter((a) => a.title === 'Disable broken-link for this line').length, PROBLEMS);
    assert.equal(actions.filter((a) => a.title === 'Disable broken-link for this file').length, 1);
  });

  it('gives the actions of one item of a list of 20,000, each with a problem (asked for that line alone)', async () => {
    const client = (c ??= await TestClient.start(root, { pull: true }));
    const doc = (opened ??= await client.open(DOC));
    let t = '---\nphase: 1\nstatus: in-progress\n---\n\n# Phase 1: Work\n\n## Objectives\n\n';
    const first = t.split('\n').length - 1;
    for (let i = 0; i < 20_000; i++) t += `- [ ] see [notes](missing-${i}.md) first\n`;
    await client.change(doc.uri, t);
    // The light bulb over item 1,000 of the list, then 9,000 (a list that long took a fifth of a second for each).
    for (const i of [1000, 9000]) {
      const line = first + i;
      const actions = (await client.conn.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: doc.uri },
        range: { start: { line, character: 0 }, end: { line, character: 40 } },
        context: { diagnostics: [] },
      })) as CodeAction[];
      assert.deepEqual(
        actions.map((a) => a.title),
        [`Create missing-${i}.md`, 'Disable broken-link for this line', 'Disable broken-link for this file'],
      );
      const edit = (a: CodeAction) => (a.edit?.documentChanges?.[0] as { edits: TextEdit[] }).edits[0];
      // Inside the task above, at its checkbox, before the line.
      assert.deepEqual(edit(actions[1]), {
        range: { start: { line, character: 0 }, end: { line, character: 0 } },
        newText: '  <!-- phasegate-disable-next-line broken-link -->\n',
      });
      assert.deepEqual(edit(actions[2]).newText, '<!-- phasegate-disable-file broken-link -->\n');
    }
  });
});
