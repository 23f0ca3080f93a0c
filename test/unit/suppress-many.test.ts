/**
 * "Disable … for this line" for many problems of one document at once (a selection over thousands of
 * them): `checkTogether` tries their directives out together, so that the document is parsed once for them
 * all (was: once for each problem, and twice for one whose comment line above does not fit), and the
 * actions are those each problem gets on its own.
 */
import * as assert from 'node:assert/strict';
import { checkTogether, suppressActions, type PhasegateService } from '../../server/src/service';
import { parsesOf, problemsOn as problemsInFile } from '../helpers/suppress';
import { workspace, ROOT } from '../helpers/workspace';

const BRIEF = 'phase-1/00-PHASE_BRIEF.md';
const FILE = `${ROOT}/${BRIEF}`;
const HEAD = '---\nphase: 1\nstatus: in-progress\n---\n\n# Phase 1: Work\n\n## Objectives\n\n';

/** A problem of `code` on each line given, in the brief. */
const problemsOn = (lines: number[], code?: string) => problemsInFile(FILE, lines, code);

async function engine(text: string): Promise<PhasegateService> {
  return (await workspace({ [BRIEF]: text })).svc;
}

/** A small pseudo-random generator (the same documents at every run). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    // In 32-bit integer arithmetic: in floating point the product loses its low bits (the sequence cycles after 13,782).
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return s / 2147483648;
  };
}

const PIECES = [
  'A paragraph of one line.',
  'A paragraph\nof two lines\nand three.',
  '- item one\n- item two\n  continued\n- item three',
  '1. first\n2. second\n   - nested\n   - nested two\n3. third',
  '- [ ] open task\n- [x] done task',
  '> quoted\n> text\nlazy line',
  '| a | b |\n|---|---|\n| c | d |\n| e | f |',
  '```\ncode\n<!-- not a comment -->\n```',
  'Setext title\n============',
  '## A heading',
  '<div>\nhtml block\n</div>',
  '    indented code\n    more code',
  '- item\n\n  second paragraph of the item\n- next',
  '* * *',
  'Term\n: not a definition list',
  '- loose one\n\n- loose two\n\n  its paragraph\n- tight three',
  '> - quoted item\n>   more\n> - second\n\n> another quote',
  '- outer\n  - inner\n\n    inner paragraph\n  - inner two\n- outer two',
  '10) numbered\n11) parenthesis',
  '+ plus item\n+ plus two\n\n* star item',
  '<!-- a comment -->\nafter a comment',
  'text <!-- phasegate-disable-line broken-link -->',
  '<!-- phasegate-disable-next-line empty-section -->\nsilenced line',
];

function document(rnd: () => number): string {
  const parts: string[] = [];
  const n = 5 + Math.floor(rnd() * 10);
  for (let i = 0; i < n; i++) {
    parts.push(PIECES[Math.floor(rnd() * PIECES.length)]);
    parts.push(rnd() < 0.7 ? '\n\n' : '\n');
  }
  return (rnd() < 0.5 ? HEAD : '# Phase 1: Work\n\n') + parts.join('');
}

describe('suppression directives: many problems at once', function () {
  this.timeout(60_000);

  it('5,000 problems (paragraphs, list items): the document is parsed once for all their line directives, not once each', async () => {
    let text = HEAD;
    const lines: number[] = [];
    let line = HEAD.split('\n').length - 1;
    for (let i = 0; i < 2500; i++, line += 2) {
      lines.push(line);
      text += `See [notes](missing-${i}.md) first.\n\n`;
    }
    for (let i = 0; i < 2500; i++, line++) {
      lines.push(line);
      text += `- See [notes](missing-${i}.md) first.\n`;
    }
    const svc = await engine(text);
    const problems = problemsOn(lines);
    const actions: ReturnType<typeof suppressActions>[] = [];
    // Parses of the whole document (small ones, of the blocks at the body's start, try the file's directive).
    const parses = await parsesOf(async () => {
      await checkTogether(svc, problems);
      for (const d of problems) actions.push(suppressActions(svc, d));
    }, 5_000);
    // Once with every directive written in (was: once per problem, 5,001), and at most once for the file's directive.
    assert.ok(parses <= 2, `${parses} parses`);
    assert.equal(actions.filter((a) => a.some((x) => x.title === 'Disable broken-link for this line')).length, 5000);
    // The same actions as each problem gets alone (on an engine of its own, so nothing is shared).
    const alone = await engine(text);
    for (const i of [0, 1, 2499, 2500, 2501, 4999]) assert.deepEqual(actions[i], suppressActions(alone, problems[i]), `problem ${i}`);
  });

  it('problems whose comment line above would cut what they are in: found by halving, checked alone', async () => {
    // Paragraphs of three lines: a comment line above the second or third splits the paragraph.
    let text = HEAD;
    const lines: number[] = [];
    let line = HEAD.split('\n').length - 1;
    for (let i = 0; i < 100; i++, line += 4) {
      lines.push(line, line + 1);
      text += `First [a](missing-${i}.md)\nthen [b](gone-${i}.md)\nand more.\n\n`;
    }
    const svc = await engine(text);
    const alone = await engine(text);
    const problems = problemsOn(lines);
    await checkTogether(svc, problems);
    for (const d of problems) assert.deepEqual(suppressActions(svc, d), suppressActions(alone, d), `line ${d.range.start.line}`);
  });

  it('random documents: every action is the one the problem gets alone', async () => {
    const rnd = random(20_240_611);
    for (let k = 0; k < 100; k++) {
      const text = document(rnd);
      const lines = text.split('\n').map((_, i) => i);
      // Two rules on some lines: two comment lines above one line.
      const problems = [
        ...problemsOn(lines),
        ...problemsOn(
          lines.filter((l) => l % 3 === 0),
          'empty-section',
        ),
      ];
      const svc = await engine(text);
      const alone = await engine(text);
      await checkTogether(svc, problems);
      for (const d of problems) {
        assert.deepEqual(suppressActions(svc, d), suppressActions(alone, d), `document ${k}, line ${d.range.start.line} (${d.code}):\n${text}`);
      }
    }
  });
});
