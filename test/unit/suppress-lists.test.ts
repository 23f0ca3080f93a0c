/**
 * "Disable … for this line" on an item of a long list, asked for that line alone (the editor's light bulb): the
 * comment line written inside the previous item is known to leave the list as it reads when that item is one
 * line of plain text, without a parse of the list (was: one of all of it for each line, a fifth of a second in a
 * list of 20,000 items). The actions are those a parse of the whole document per trial gives: a differential
 * fuzz test on random lists.
 *
 * FUZZ_RUNS sets the number of cases (default 100), FUZZ_SEED the seed (fast-check prints it on a failure).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { suppressActions } from '../../server/src/service';
import { compareWithFullParse, parsesOf, problemsOn as problemsInFile } from '../helpers/suppress';
import { loud } from '../helpers/fuzz';
import { ROOT } from '../helpers/workspace';

const BRIEF = 'phase-1/00-PHASE_BRIEF.md';
const FILE = `${ROOT}/${BRIEF}`;
const HEAD = '---\nphase: 1\nstatus: in-progress\n---\n\n# Phase 1: Work\n\n## Objectives\n\n';
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

const problemsOn = (lines: number[], code?: string) => problemsInFile(FILE, lines, code);

/** Lines of a list: items the shortcut takes and items, continuations and lines it must leave to a parse. */
const listLine = fc.constantFrom(
  '- item',
  '- see [a](gone.md)',
  '* star item',
  '+ plus item',
  '1. ordered',
  '2) paren',
  '10. ten',
  '- [ ] open task',
  '- [x] done task',
  '-    four spaces',
  '-     five spaces',
  '   - three spaces',
  '    - four spaces before',
  '-\ttab',
  '- <b>html</b>',
  '- <!-- c',
  '- d -->',
  '- <div>',
  '- [r]: /url',
  '- [multi',
  '- label]:',
  '- # heading',
  '- > quote',
  '- ```',
  '- ~~~',
  '- a | b |',
  '- |-|-|',
  '- ---',
  '- * * *',
  '* * *',
  '- ',
  '-',
  '- 1. nested ordered',
  '- - nested bullet',
  '  - nested',
  '    deeper text',
  '  continued',
  'lazy line',
  '===',
  '---',
  '',
  '> - quoted item',
  '- `code span`',
  '- \\* escaped',
  '- text <!-- phasegate-disable-line empty-section -->',
  '  <!-- phasegate-disable-next-line empty-section -->',
  '- 123 digits first',
  '- É accented',
  '- x',
);
const listDocument = fc
  .tuple(fc.array(listLine, { minLength: 2, maxLength: 14 }), fc.constantFrom('', '\n', '\nAfter the list.\n', '\n\n- another list\n'), fc.boolean())
  .map(([lines, tail, fm]) => (fm ? HEAD : '# Phase 1: Work\n\n') + lines.join('\n') + tail);

describe('suppression directives: items of long lists', function () {
  this.timeout(120_000);

  it('random lists: every line action is the one a parse of the whole document per trial gives', async () => {
    await fc.assert(
      fc.asyncProperty(listDocument, async (text) => {
        const lines = text.split('\n').map((_, i) => i);
        await compareWithFullParse(
          BRIEF,
          text,
          [
            ...problemsOn(lines),
            ...problemsOn(
              lines.filter((l) => l % 3 === 2),
              'empty-section',
            ),
          ],
          'random list',
        );
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('each item of a list of 2,000 asked for alone: answered without a parse of the list, the comment line inside the item above', async () => {
    let text = HEAD;
    const first = text.split('\n').length - 1;
    // Numbered (the item's text further in as the numbers grow), some of them tasks.
    for (let i = 0; i < 2000; i++) text += `${i + 1}. ${i % 2 ? '' : '[ ] task, '}see [notes](missing-${i}.md)\n`;
    const lines = Array.from({ length: 2000 }, (_, i) => first + i);
    const svc = await loud({ [BRIEF]: text });
    const problems = problemsOn(lines);
    const actions: ReturnType<typeof suppressActions>[] = [];
    // One at a time, as the light bulb asks for the line under the cursor (no check of several together first).
    const whole = await parsesOf(() => {
      for (const d of problems) actions.push(suppressActions(svc, d));
    }, 10_000);
    // The first item has no item above it: its comment line is written at the list's start and tried on the list.
    const edits = actions.slice(1).map((a) => a.find((x) => x.title === 'Disable broken-link for this line')?.change.edits[0].edits[0]);
    edits.forEach((e, k) => {
      const line = first + k + 1;
      const indent = ' '.repeat(`${k + 1}. `.length);
      assert.deepEqual(e, {
        range: { start: { line, character: 0 }, end: { line, character: 0 } },
        newText: `${indent}<!-- phasegate-disable-next-line broken-link -->\n`,
      });
    });
    // Was: one parse of the list per item (2,000); now the one for the file's directive and the first item's.
    assert.ok(whole <= 3, `${whole} parses of the whole list`);
    for (const i of [0, 1, 2, 999, 1999]) await compareWithFullParse(BRIEF, text, [problems[i]], `problem ${i}`);
  });
});
