/**
 * "Disable … for this line" on table rows and on the lines of multi-line paragraphs, many at once: the
 * comment line above such a line is known to cut the table or paragraph (no parse), and the comment at a
 * table row's end is tried on the header, delimiter row and that row alone (was: two parses of the whole
 * document per problem; 1,000 table rows took about 26 s). The actions are those each problem gets on its
 * own, computed by parsing the whole document: a differential fuzz test on random documents (one of
 * tables and paragraphs; one of runs of blank lines, fenced code, long lists without blank lines,
 * directives already written for a line, and tables in block quotes and list items).
 *
 * FUZZ_RUNS sets the number of cases (default 100), FUZZ_SEED the seed (fast-check prints it on a failure).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkTogether, suppressActions, type Diagnostic } from '../../server/src/service';
import { compareWithFullParse, parsesOf, problemsOn as problemsInFile } from '../helpers/suppress';
import { loud } from '../helpers/fuzz';
import { MAX_PARSE_BYTES } from '../../server/src/service/markdown';
import { ROOT } from '../helpers/workspace';

const BRIEF = 'phase-1/00-PHASE_BRIEF.md';
const FILE = `${ROOT}/${BRIEF}`;
const HEAD = '---\nphase: 1\nstatus: in-progress\n---\n\n# Phase 1: Work\n\n## Objectives\n\n';
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

/** A problem of `code` on each line given, in the brief. */
const problemsOn = (lines: number[], code?: string) => problemsInFile(FILE, lines, code);

/** `compareWithFullParse` of the brief. */
const compare = (text: string, problems: Diagnostic[], label: string) => compareWithFullParse(BRIEF, text, problems, label);

const cell = fc.constantFrom('a', '[x](missing.md)', '`c|d`', 'e \\| f', '', ' ', '<!-- c -->', '<b>', '**b**', '---', '- x', '> q');
const row = fc
  .tuple(fc.array(cell, { minLength: 0, maxLength: 4 }), fc.constantFrom('| ', ''), fc.constantFrom(' |', '', ' | <!-- x -->'))
  .map(([cells, open, close]) => open + cells.join(' | ') + close);
const table = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.array(row, { maxLength: 6 }), fc.constantFrom('', '> ', '  ', '- ')).map(([n, rows, prefix]) => {
  const head = [`| ${Array.from({ length: n }, (_, i) => `h${i}`).join(' | ')} |`, `|${'---|'.repeat(n)}`, ...rows];
  return head.map((l, i) => (prefix === '- ' && i > 0 ? '  ' : prefix) + l).join('\n');
});
const paraLine = fc.constantFrom(
  'text',
  'more [a](gone.md)',
  '    indented',
  '===',
  '---',
  '- item',
  '2. two',
  'a | b |',
  '|-|-|-|',
  '<span>',
  'x <!-- c',
  'd -->',
  '[r]: /url',
  '[multi',
  'label]:',
  '\ttab',
  '> q',
  '```',
  '*',
  '1)',
  '\u00a0',
  '  two spaces',
  'trailing  ',
  '<!-- phasegate-disable-line broken-link -->',
);
const paragraph = fc.array(paraLine, { minLength: 1, maxLength: 5 }).map((l) => l.join('\n'));
const other = fc.constantFrom(
  '- item one\n- item two\n  continued\n- item three',
  '- item one\nlazy line\n- item two',
  '1. first\n2. second\n   - nested\n   - nested two\n3. third',
  '- [ ] open task\n- [x] done task',
  '> quoted\n> text\nlazy line',
  '> | a | b |\n> |---|---|\n> | c | d |',
  '- x\n\n  | a | b |\n  |---|---|\n  | c | [d](gone.md) |',
  '```\ncode\n<!-- not a comment -->\n```',
  '~~~\nunclosed fence',
  '<!-- open comment\nstill in it',
  'Setext title\n============',
  '## A heading',
  '<div>\nhtml block\n</div>',
  '    indented code\n    more code',
  '- item\n\n  second paragraph of the item\n- next',
  '- loose one\n\n- loose two\n\n  its paragraph\n- tight three',
  '> - quoted item\n>   more\n> - second\n\n> another quote',
  '- outer\n  - inner\n\n    inner paragraph\n  - inner two\n- outer two',
  '+ plus item\n+ plus two\n\n* star item',
  '* * *',
  '---',
  '[multi\nlabel]:\nmore',
  '- [multi\n  label]:',
  '<!-- phasegate-disable-next-line broken-link -->\nsilenced',
  '',
);
const yamlLine = fc.constantFrom(
  'phase: 1',
  'status: in-progress',
  'title: "a # b"',
  'tags: [a, b]',
  'notes: |',
  '  block # text',
  '  more',
  '# a comment',
  'key: value # comment',
  'list:',
  '  - one',
  '  - two',
  "quote: 'x'",
  'bad: [',
  '',
  'status: done # phasegate-disable-line front-matter-schema',
  '# phasegate-disable-next-line empty-section',
  'key: v # phasegate-disable-line empty-section',
  '---',
);
const frontMatter = fc.array(yamlLine, { maxLength: 6 }).map((l) => `---\n${l.join('\n')}${l.length ? '\n' : ''}---\n\n# Phase 1: Work\n\n`);
const documentOf = fc
  .tuple(
    fc.oneof(fc.constant(false), fc.constant(true), frontMatter),
    fc.array(fc.tuple(fc.oneof(table, paragraph, other), fc.constantFrom('\n\n', '\n')), { minLength: 1, maxLength: 6 }),
  )
  .map(([head, parts]) => (head === true ? HEAD : head === false ? '# Phase 1: Work\n\n' : head) + parts.map(([p, sep]) => p + sep).join(''));

/** A container's prefix for each line of a block: none, a block quote, a list item (its later lines indented), a quote in an item, tabs. */
const container = fc.constantFrom('', '> ', '>> ', '- ', '1. ', '  ', '> - ', '\t', '>\t');
const inside = (prefix: string, lines: string[]): string =>
  lines.map((l, i) => (i > 0 && /[-.] $/.test(prefix) ? prefix.replace(/[-\d.]/g, ' ') : prefix) + l).join('\n');
/** Fenced code, closed or not, with lines that look like fences, comments and directives inside. */
const fence = fc
  .tuple(
    fc.constantFrom('```', '~~~', '````', '  ```', '``` js <!-- phasegate-disable-next-line broken-link -->'),
    fc.array(
      fc.constantFrom(
        'code',
        '',
        '  ',
        '```',
        '~~~',
        '````',
        ' ``` x',
        '<!-- phasegate-disable-next-line broken-link -->',
        'x <!-- c -->',
        '    deep',
        '- item',
        '> q',
        '<!--',
        '-->',
      ),
      { maxLength: 6 },
    ),
    fc.constantFrom('```', '````', '~~~', '   ```', '``` ', '', '    ```'),
    container,
  )
  .map(([open, body, close, prefix]) => inside(prefix, [open, ...body, ...(close ? [close] : [])]));
/** A list of items with no blank line between them: continuation lines, nested items, lazy lines, directives for another rule. */
const tightList = fc
  .tuple(
    fc.array(
      fc.constantFrom(
        '- item',
        '- see [a](gone.md)',
        '  continued [b](gone.md)',
        '  more text',
        '  - nested',
        '    deeper text',
        '* other marker',
        '1. ordered',
        '2) paren',
        'lazy line',
        '  <!-- phasegate-disable-next-line empty-section -->',
        '- text <!-- phasegate-disable-line empty-section -->',
        '  *',
        '  1.',
        '  a | b |',
        '  |-|-|-|',
        '  [r]:',
        '  [multi',
        '  label]:',
        '  see',
        '  `code',
        '  \\',
        '  ===',
        '  ```',
        '   ',
        '\tcontinued with a tab',
        '      six spaces',
      ),
      { minLength: 2, maxLength: 12 },
    ),
    fc.constantFrom('', '> ', '  '),
  )
  .map(([lines, prefix]) => ['- first', ...lines].map((l) => prefix + l).join('\n'));
/** Directives for another rule above a line, or on it, in the forms a document may hold them. */
const directiveLine = fc.constantFrom(
  '<!-- phasegate-disable-next-line empty-section -->\nsilenced [a](gone.md)',
  '<!-- phasegate-disable-next-line empty-section -- a reason -->\nsilenced',
  '<!--phasegate-disable-next-line,empty-section-->\nsilenced',
  '  <!-- phasegate-disable-next-line empty-section -->\n  indented',
  '> <!-- phasegate-disable-next-line empty-section -->\n> quoted',
  '- item\n  <!-- phasegate-disable-next-line empty-section -->\n- next',
  'text <!-- phasegate-disable-line empty-section -->',
  '# Heading <!-- phasegate-disable-line empty-section -->',
  '| a | b | <!-- phasegate-disable-line empty-section -->\n|---|---|\n| c | d | <!-- phasegate-disable-line empty-section -->',
  '[a]: y<!--phasegate-disable-line,empty-section-->',
  '[a]:\n    <!--phasegate-disable-next-line,empty-section-->\nafter',
  '<!-- phasegate-disable-next-line -->\nall rules',
  '<!-- phasegate-disable-next-line empty-section broken-link -->\nboth',
  '<!-- open\n<!-- phasegate-disable-next-line empty-section -->\nafter',
  '<div>\n<!-- phasegate-disable-next-line empty-section -->\n</div>',
  '`<!-- phasegate-disable-line empty-section -->`',
  '<!-- phasegate-disable-next-line empty-section -- a | b -->\n|---|---|\n| c | d |',
  'text\n    <!-- phasegate-disable-next-line empty-section -- a reason -->\nafter',
  'text\n    <!-- phasegate-disable-line empty-section -- a reason -->',
  '>     <!-- phasegate-disable-line empty-section -- a reason -->',
  '- item\n\t<!-- phasegate-disable-next-line empty-section -- a reason -->\n- next',
);
/** A table in a block quote or a list item (or both), its rows with and without closing pipes. */
const nestedTable = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.array(row, { maxLength: 8 }), fc.constantFrom('> ', '>> ', '  ', '- ', '> - ', '1. ', '   ', '\t'))
  .map(([n, rows, prefix]) => inside(prefix, [`| ${Array.from({ length: n }, (_, i) => `h${i}`).join(' | ')} |`, `|${'---|'.repeat(n)}`, ...rows]));
/** Runs of blank lines, some with spaces or a tab. */
const blanks = fc.constantFrom('\n', '\n\n', '\n\n\n', '\n\n\n\n', '\n  \n', '\n\t\n\n', '\n\n \n\n');
const shapesDocument = fc
  .tuple(
    fc.oneof(fc.constant(false), fc.constant(true), frontMatter),
    fc.constantFrom('', '\n', '\n\n'),
    fc.array(fc.tuple(fc.oneof(fence, tightList, directiveLine, nestedTable, paragraph, other), blanks), { minLength: 1, maxLength: 6 }),
    fc.boolean(),
  )
  .map(([head, lead, parts, end]) => {
    const text = (head === true ? HEAD : head === false ? '# Phase 1: Work\n\n' : head) + lead + parts.map(([p, sep]) => p + sep).join('');
    // Some documents end without a line break.
    return end ? text : text.replace(/\n+$/, '');
  });

describe('suppression directives: table rows and paragraph lines', function () {
  this.timeout(120_000);

  it('random documents of tables and paragraphs: every line action is the one a parse of the whole document per trial gives', async () => {
    await fc.assert(
      fc.asyncProperty(documentOf, async (text) => {
        const lines = text.split('\n').map((_, i) => i);
        await compare(
          text,
          [
            ...problemsOn(lines),
            ...problemsOn(
              lines.filter((l) => l % 4 === 1),
              'empty-section',
            ),
          ],
          'random document',
        );
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('random documents of blank lines, fenced code, long lists, directives and tables in containers: every line action is the one a parse of the whole document per trial gives', async () => {
    await fc.assert(
      fc.asyncProperty(shapesDocument, async (text) => {
        const lines = text.split('\n').map((_, i) => i);
        // broken-link on every line; empty-section on some (added to a directive of broken-link, or written on its own).
        await compare(
          text,
          [
            ...problemsOn(lines),
            ...problemsOn(
              lines.filter((l) => l % 3 === 2),
              'empty-section',
            ),
          ],
          'random document',
        );
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  /** Counts the parses of the whole document (of `min` characters or more) while the actions of `lines` are computed; returns them with the actions. */
  async function wholeParses(
    text: string,
    lines: number[],
    code?: string,
    min = 5_000,
  ): Promise<{ whole: number; actions: ReturnType<typeof suppressActions>[] }> {
    const svc = await loud({ [BRIEF]: text });
    const problems = problemsOn(lines, code);
    const actions: ReturnType<typeof suppressActions>[] = [];
    const whole = await parsesOf(async () => {
      await checkTogether(svc, problems);
      for (const d of problems) actions.push(suppressActions(svc, d));
    }, min);
    for (const i of [0, 1, lines.length - 1]) await compare(text, [problems[i]], `problem ${i}`);
    return { whole, actions };
  }

  it('empty lines not between two blocks: tried on that line (and the blocks just above it) alone', async () => {
    let text = HEAD;
    const lines: number[] = [];
    let line = HEAD.split('\n').length - 1;
    for (let i = 0; i < 300; i++, line += 4) {
      // Below a paragraph, with another empty line below; and below that empty line.
      lines.push(line + 1, line + 2);
      text += `Paragraph [a](missing-${i}.md).\n\n\n\n`;
    }
    const { whole, actions } = await wholeParses(text + 'End.\n', lines);
    // Was: one parse of the whole document per problem.
    assert.ok(whole <= 2, `${whole} parses of the whole document`);
    assert.ok(actions.every((a) => a[0].title === 'Disable broken-link for this line'));
  });

  it('lines of fenced code: known to take no directive, without a parse', async () => {
    const body = Array.from({ length: 600 }, (_, i) => `code [a](missing-${i}.md)`);
    const text = HEAD + '```\n' + body.join('\n') + '\n```\n\nAfter.\n';
    const first = HEAD.split('\n').length - 1;
    // The lines inside and the closing fence.
    const lines = Array.from({ length: 601 }, (_, i) => first + 1 + i);
    const { whole, actions } = await wholeParses(text, lines);
    // Was: two parses of the whole document per problem.
    assert.ok(whole <= 2, `${whole} parses of the whole document`);
    assert.ok(actions.every((a) => a.map((x) => x.title).join() === 'Disable broken-link for this file'));
  });

  it('a rule added to the directive above the line: tried on the blocks around the directive, or on its line when the comment is all the line holds', async () => {
    let text = '---\n# phasegate-disable-next-line empty-section\nphase: 1\nstatus: in-progress\n---\n\n# Phase 1: Work\n\n';
    const lines = [2];
    let line = text.split('\n').length - 1;
    for (let i = 0; i < 300; i++, line += 3) {
      lines.push(line + 1);
      text += `<!-- phasegate-disable-next-line empty-section -- checked by hand -->\nSee [a](missing-${i}.md).\n\n`;
    }
    // And in one list without blank lines, each in the item above (the line alone, not the list).
    for (let i = 0; i < 300; i++, line += 2) {
      lines.push(line + 2);
      text += `- item ${i}\n  <!-- phasegate-disable-next-line empty-section -->\n`;
    }
    text += '- last\n';
    const { whole, actions } = await wholeParses(text, lines);
    // Was: one parse of the whole document per problem.
    assert.ok(whole <= 2, `${whole} parses of the whole document`);
    assert.equal(actions[1][0].change.edits[0].edits[0].newText, ' broken-link');
    assert.ok(actions.every((a) => a[0].title === 'Disable broken-link for this line'));
  });

  it('lines after the first of paragraphs in a long list or a block quote: the comment line above is known to cut the paragraph, the one at the end to be read', async () => {
    let text = HEAD;
    const lines: number[] = [];
    let line = HEAD.split('\n').length - 1;
    // One list with no blank line in it: each item two lines long; then one block quote of two-line paragraphs.
    for (let i = 0; i < 300; i++, line += 2) {
      lines.push(line + 1);
      text += `- item ${i}\n  then [a](missing-${i}.md)\n`;
    }
    // Items of a list in the last item, their later lines indented four spaces.
    for (let i = 0; i < 300; i++, line += 2) {
      lines.push(line + 1);
      text += `  - item ${i}\n    then [a](missing-${i}.md)\n`;
    }
    text += '\n';
    line++;
    for (let i = 0; i < 300; i++, line += 3) {
      lines.push(line + 1);
      text += `> quoted ${i}\n> then [a](missing-${i}.md)\n>\n`;
    }
    const { whole, actions } = await wholeParses(text, lines);
    // Was: two parses of the list's or quote's lines per problem (the whole document here, but for its heading).
    assert.ok(whole <= 2, `${whole} parses of the whole document`);
    assert.ok(actions.every((a) => a[0].change.edits[0].edits[0].newText === ' <!-- phasegate-disable-line broken-link -->'));
  });

  it('rows of tables in a block quote or a list item: the comment at the end of a row is tried on the header, delimiter row and that row alone', async () => {
    let text = HEAD + '> | Artifact | Link\n> |---|---\n';
    const lines: number[] = [];
    let line = text.split('\n').length - 1;
    for (let i = 0; i < 300; i++, line++) {
      lines.push(line);
      text += `> | a${i} | [x](missing-${i}.md)\n`;
    }
    text += '\n- Item\n\n  | Artifact | Link |\n  |---|---|\n';
    line += 5;
    for (let i = 0; i < 300; i++, line++) {
      lines.push(line);
      text += `  | b${i} | [x](missing-${i}.md) |\n`;
    }
    const { whole, actions } = await wholeParses(text, lines);
    // Was: one parse of the quote's or the list's lines per problem.
    assert.ok(whole <= 2, `${whole} parses of the whole document`);
    const titles = actions.map((a) => a.map((x) => x.title).join(', '));
    // Without a closing pipe, the comment is in the last cell; with one, it would be a cell of its own.
    assert.equal(titles.filter((t) => t === 'Disable broken-link for this line, Disable broken-link for this file').length, 300);
    assert.equal(titles.filter((t) => t === 'Disable broken-link for this file').length, 300);
  });

  it('a comment line that would make the document too large to parse as Markdown: the shortcut is not taken (its block alone would read as before)', async () => {
    // Quote markers 72 characters long: the comment line above, with them, crosses the size; one at the margin does not.
    const quote = '>   '.repeat(18) + 'Quoted [x](missing.md)';
    const tail = '\n\n' + quote + '\n';
    let text = HEAD;
    const filler = 'A filler paragraph of the document.\n\n';
    while (text.length + filler.length + tail.length < MAX_PARSE_BYTES - 115) text += filler;
    text += 'x'.repeat(MAX_PARSE_BYTES - 115 - text.length - tail.length) + tail;
    assert.equal(text.length, MAX_PARSE_BYTES - 115);
    const line = text.split('\n').length - 2;
    await compare(text, problemsOn([line]), 'too large');
    const svc = await loud({ [BRIEF]: text });
    assert.equal(suppressActions(svc, problemsOn([line])[0])[0].change.edits[0].edits[0].newText, '<!-- phasegate-disable-next-line broken-link -->\n');
  });

  it('a code block in a list in a block quote, holding comments: the comment lines above its lines are checked each alone, not together', async () => {
    // Together, the first ends the code block and the second hides the line left after it (a comment); alone, the second leaves `<!--` in it.
    const text = '# Phase 1: Work\n\n> - ```\n>   <!--\n>   <!-- phasegate-disable-next-line broken-link -->\n\nAfter.\n';
    await compare(text, problemsOn([3, 4]), 'code in a quote');
    const svc = await loud({ [BRIEF]: text });
    await checkTogether(svc, problemsOn([3, 4]));
    assert.deepEqual(
      suppressActions(svc, problemsOn([4])[0]).map((a) => a.title),
      ['Disable broken-link for this file'],
    );
  });

  it('an empty list item above a blank line and an indented list or another item: the comment line below its marker is not tried on the item alone', async () => {
    // The comment line (indented by the blank line's tab) makes the item hold something: it then goes on past the blank line to the indented list, which it did not.
    // Or to the next item of its list (a list of its own while the item is empty).
    for (const text of ['# Phase 1: Work\n\n*\n\t\n\n  - first\n  - second\n', '# Phase 1: Work\n\n*\n\t\n\n*\ntext\n']) {
      await compare(text, problemsOn([3]), 'empty item');
      const svc = await loud({ [BRIEF]: text });
      assert.deepEqual(
        suppressActions(svc, problemsOn([3])[0]).map((a) => a.title),
        ['Disable broken-link for this file'],
      );
    }
  });

  it('1,000 table rows with a problem each: answered with small parses, not two of the whole document each', async () => {
    let text = HEAD + '| Artifact | Link |\n|---|---|\n';
    const first = text.split('\n').length - 1;
    for (let i = 0; i < 1000; i++) text += `| a${i} | [x](missing-${i}.md) |\n`;
    text += '\n| Artifact | Link\n|---|---\n';
    for (let i = 0; i < 1000; i++) text += `| b${i} | [x](missing-${i}.md)\n`;
    const lines = [...Array.from({ length: 1000 }, (_, i) => first + i), ...Array.from({ length: 1000 }, (_, i) => first + 1003 + i)];
    const svc = await loud({ [BRIEF]: text });
    const problems = problemsOn(lines);
    const actions: ReturnType<typeof suppressActions>[] = [];
    const whole = await parsesOf(async () => {
      await checkTogether(svc, problems);
      for (const d of problems) actions.push(suppressActions(svc, d));
    }, 10_000);
    // The rows with a closing pipe: the comment at the end would be a cell of its own; without: it is in the last cell.
    const titles = actions.map((a) => a.map((x) => x.title).join(', '));
    assert.equal(titles.filter((t) => t === 'Disable broken-link for this file').length, 1000);
    assert.equal(titles.filter((t) => t === 'Disable broken-link for this line, Disable broken-link for this file').length, 1000);
    // Was: two parses of the whole document per problem (4,000); now the one for the file's directive.
    assert.ok(whole <= 2, `${whole} parses of the whole document`);
    // The same as each gets alone with whole parses.
    for (const i of [0, 1, 999, 1000, 1001, 1999]) await compare(text, [problems[i]], `problem ${i}`);
  });

  it('front matter lines: the YAML comments are tried on the front matter alone, not on the whole document', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `key${i}: value ${i}`);
    const text = `---\n${keys.join('\n')}\nnotes: |\n  block # text\n---\n\n# Phase 1: Work\n\n` + 'A long body paragraph.\n\n'.repeat(2000);
    const lines = [...keys.map((_, i) => i + 1), 22];
    const svc = await loud({ [BRIEF]: text });
    const problems = problemsOn(lines, 'front-matter-schema');
    const edits: string[] = [];
    const whole = await parsesOf(async () => {
      await checkTogether(svc, problems);
      for (const d of problems) edits.push(suppressActions(svc, d)[0].change.edits[0].edits[0].newText);
    }, 10_000);
    // Was: one or two parses of the whole document per problem.
    assert.ok(whole <= 2, `${whole} parses of the whole document`);
    assert.equal(edits[0], '# phasegate-disable-next-line front-matter-schema\n');
    // In a block scalar a `#` is text: its line gets the file's directive only.
    assert.equal(edits[20], '<!-- phasegate-disable-file front-matter-schema -->\n');
    for (const i of [0, 19, 20]) await compare(text, [problems[i]], `problem ${i}`);
  });

  it('blocks next to each other and blank lines between blocks: tried on those blocks alone', async () => {
    // A paragraph leading into a list (no blank line between), a list item's continuation line, the blank line after.
    let text = HEAD;
    const lines: number[] = [];
    let line = HEAD.split('\n').length - 1;
    for (let i = 0; i < 300; i++, line += 4) {
      lines.push(line + 2, line + 3);
      text += `Items:\n- see [a](missing-${i}.md)\n  and [b](gone-${i}.md)\n\n`;
    }
    const svc = await loud({ [BRIEF]: text });
    const problems = problemsOn(lines);
    const whole = await parsesOf(async () => {
      await checkTogether(svc, problems);
      for (const d of problems) suppressActions(svc, d);
    }, 5_000);
    // The few tries of checking the comment lines above together (which cut the items: 16 at most), then none per
    // problem (was: one or two parses of the whole document per problem).
    assert.ok(whole <= 20, `${whole} parses of the whole document`);
    for (const i of [0, 1, 598, 599]) await compare(text, [problems[i]], `problem ${i}`);
  });

  it('inside an HTML comment left open: the comment lines above lines are checked each alone, not together', async () => {
    // Together, the first ends the comment and the second is in the <span> block that follows; alone, the second ends the comment and `text` is a paragraph.
    const text = '# Phase 1: Work\n\n<!-- open comment\nstill in it\n\n<span>\ntext\n\n';
    await compare(text, problemsOn([5, 6]), 'open comment');
    const svc = await loud({ [BRIEF]: text });
    await checkTogether(svc, problemsOn([5, 6]));
    assert.equal(suppressActions(svc, problemsOn([6])[0])[0].change.edits[0].edits[0].newText, ' <!-- phasegate-disable-line broken-link -->');
  });

  it('lines of multi-line paragraphs: the comment line above is known to cut the paragraph, the one at the end is tried on the paragraph alone', async () => {
    let text = HEAD;
    const lines: number[] = [];
    let line = HEAD.split('\n').length - 1;
    for (let i = 0; i < 300; i++, line += 4) {
      lines.push(line + 1, line + 2);
      text += `First [a](missing-${i}.md)\nthen [b](gone-${i}.md)\nand more.\n\n`;
    }
    const svc = await loud({ [BRIEF]: text });
    const problems = problemsOn(lines);
    const whole = await parsesOf(async () => {
      await checkTogether(svc, problems);
      for (const d of problems) assert.equal(suppressActions(svc, d)[0].change.edits[0].edits[0].newText, ' <!-- phasegate-disable-line broken-link -->');
    }, 5_000);
    // The paragraphs parsed on their own (was: two parses of the whole document per problem).
    assert.ok(whole <= 2, `${whole} parses of the whole document`);
    for (const i of [0, 1, 599]) await compare(text, [problems[i]], `problem ${i}`);
  });
});
