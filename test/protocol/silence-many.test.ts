/**
 * "Disable … for this line" over a selection that covers thousands of problems: the directives are tried out
 * together, the document parsed once for them all (was: once for each problem, seconds growing with the
 * square of their number).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildServer, quickFixesOfAll, stopOnFixture, TestClient } from './client';

const PROBLEMS = 5000;
const DOC = 'phase-1/00-PHASE_BRIEF.md';

describe('language server: silencing thousands of problems in a selection', function () {
  this.timeout(120_000);
  let root: string;
  let c: TestClient | undefined;

  before(async () => {
    await buildServer();
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-silence-')));
    let text = '---\nphase: 1\nstatus: in-progress\n---\n\n# Phase 1: Work\n\n## Objectives\n\n';
    // Paragraphs of one line, and list items: a comment line above each leaves the document as it reads.
    for (let i = 0; i < PROBLEMS / 2; i++) text += `See [notes](missing-${i}.md) first.\n\n`;
    for (let i = PROBLEMS / 2; i < PROBLEMS; i++) text += `- See [notes](missing-${i}.md) first.\n`;
    fs.mkdirSync(path.join(root, 'phase-1'));
    fs.writeFileSync(path.join(root, DOC), text);
  });

  after(async () => {
    const errors = await stopOnFixture(c, root);
    if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
  });

  it(`offers "Disable broken-link for this line" for each of ${PROBLEMS} problems, fast`, async () => {
    c = await TestClient.start(root, { pull: true });
    const doc = await c.open(DOC);
    const { problems, actions, elapsed } = await quickFixesOfAll(c, doc, 'broken-link');
    assert.equal(problems, PROBLEMS);
    assert.equal(actions.filter((a) => a.title === 'Disable broken-link for this line').length, PROBLEMS);
    assert.equal(actions.filter((a) => a.title === 'Disable broken-link for this file').length, 1);
    // One parse of the whole document per problem took more than two minutes here.
    assert.ok(elapsed < 15_000, `${elapsed} ms`);
  });
});
