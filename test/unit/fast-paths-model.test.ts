/**
 * Fast paths of the document model's parse (performance only) against the code they replace: the same
 * results on random text built from the characters that matter to each, and on edge cases.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { assertAgree, textOf } from '../helpers/fuzz';
import MarkdownIt from 'markdown-it';
import {
  LARGE_TABLE,
  parseFromLine,
  rowCellCount,
  useFastBlockState,
  useParagraphWithoutTokens,
  useTableWithoutCells,
} from '../../server/src/service/block-state';
import { isIndicator, mayBeSpecialKey } from '../../server/src/service/frontmatter-fast';
import {
  INLINE_LINK,
  ParsedDocument,
  bodyStart,
  linesMatching,
  linkLines,
  markdownBody,
  maskedProse,
  parseDocument,
  replaceComments,
  yamlOffsetRange,
} from '../../server/src/service/markdown';
import { assertLinear } from '../helpers/linear';

const RUNS = { numRuns: 3000 };

/** markdown-it as the engine configures it, with or without the fast block state. */
function engineMd(fast: boolean): MarkdownIt {
  const md = new MarkdownIt('commonmark', { html: true }).enable('table');
  md.core.ruler.disable(['inline', 'text_join', 'normalize']);
  if (fast) useFastBlockState(md);
  return md;
}

/** `tokens` without paragraphs' tokens (open, inline, close: what the engine's paragraph rule does not make). */
function withoutParagraphs(tokens: ReturnType<MarkdownIt['parse']>): ReturnType<MarkdownIt['parse']> {
  return tokens.filter(
    (t, i) => t.type !== 'paragraph_open' && t.type !== 'paragraph_close' && !(t.type === 'inline' && tokens[i - 1]?.type === 'paragraph_open'),
  );
}

/** The line tables of a block state. */
function tables(s: MarkdownIt.StateBlock): unknown {
  const { src, bMarks, eMarks, tShift, sCount, bsCount, blkIndent, line, lineMax, tight, ddIndent, listIndent, parentType, level } = s;
  return { src, bMarks, eMarks, tShift, sCount, bsCount, blkIndent, line, lineMax, tight, ddIndent, listIndent, parentType, level };
}

const LINE_EDGES = ['', ' ', '  ', '\t', ' \t', '\n', '\n\n', 'a', ' a', '\ta', '\t \t', 'a\n', '   \n', '\t\n', '\u00a0', '\r', '\r\n', '\f', 'x y'];
const MARKDOWN_PIECES = [
  '\n',
  ' ',
  '  ',
  '    ',
  '\t',
  '# ',
  '## ',
  'Title',
  '- ',
  '* ',
  '1. ',
  '[ ] ',
  '> ',
  '```',
  '~~~',
  '---',
  '===',
  '| a | b |',
  '|---|---|',
  '| - |',
  '<div>',
  '</div>',
  '<!--',
  '-->',
  '[a]: /x',
  'text',
  '\\',
];

describe('fast paths of the model equal the plain code they replace', () => {
  it("the fast block state's line tables are markdown-it's", () => {
    const plain = engineMd(false);
    const fast = engineMd(true);
    const check = (src: string) => {
      const a = new plain.block.State(src, plain, {}, []);
      const b = new fast.block.State(src, fast, {}, []);
      assert.deepEqual(tables(b), tables(a), JSON.stringify(src));
      // Its methods are markdown-it's.
      assert.equal(Object.getPrototypeOf(b), Object.getPrototypeOf(a));
    };
    for (const a of LINE_EDGES) for (const b of LINE_EDGES) for (const c of LINE_EDGES) check(a + b + c);
    fc.assert(
      fc.property(textOf(LINE_EDGES, 24), (t) => check(t)),
      RUNS,
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (t) => check(t)),
      RUNS,
    );
  });

  it('markdown-it with the fast block state gives the same tokens', () => {
    const plain = engineMd(false);
    const fast = engineMd(true);
    const check = (src: string) => assert.deepEqual(fast.parse(src, {}), plain.parse(src, {}), JSON.stringify(src));
    fc.assert(
      fc.property(textOf(MARKDOWN_PIECES, 40), (t) => check(t)),
      RUNS,
    );
    check('');
    check('   ');
    check('a\n\t');
    check('- a\n\n  - b\n\t- c\n    code\n\n\tcode\n   ');
  });

  it('the fast block state gives the same tables and tokens past LARGE_TABLE lines (its tables typed arrays there)', () => {
    const plain = engineMd(false);
    const fast = engineMd(true);
    // Blocks whose rules write into the tables (block quotes and their lazy lines, nested lists), code, HTML, tables.
    const chunk = '> quote\nlazy\n> > deeper\n\n- a\n\t- b\n    - c\n\n    code\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<div>\nx\n</div>\n\n## H\ntext\n';
    const lines = chunk.split('\n').length - 1;
    for (const src of [chunk.repeat(Math.ceil(LARGE_TABLE / lines)), chunk.repeat(Math.ceil((2 * LARGE_TABLE) / lines)) + '  \t']) {
      const a = new plain.block.State(src, plain, {}, []);
      const b = new fast.block.State(src, fast, {}, []);
      assert.ok(b.lineMax > LARGE_TABLE);
      assert.ok(b.bMarks instanceof Int32Array);
      const asArrays = (t: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(t).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v]));
      assert.deepEqual(asArrays(tables(b) as Record<string, unknown>), tables(a));
      assert.deepEqual(fast.parse(src, {}), plain.parse(src, {}));
    }
  });

  it("the paragraph rule without tokens gives markdown-it's tokens less the paragraphs'", () => {
    const plain = engineMd(false);
    const fast = engineMd(true);
    useParagraphWithoutTokens(fast);
    const check = (src: string) => assert.deepEqual(fast.parse(src, {}), withoutParagraphs(plain.parse(src, {})), JSON.stringify(src));
    fc.assert(
      fc.property(textOf(MARKDOWN_PIECES, 40), (t) => check(t)),
      RUNS,
    );
    for (const t of [
      '',
      'a',
      'a\nb',
      'a\n===',
      'a\n---',
      '- a\n  b\n- c',
      '- a\n\n  b\n- c',
      '> a\nb',
      'a\n    b',
      '| a |\n|---|\n| b |',
      'a\n<div>\nb',
      '1. a\n\n   b\n2) c',
      '- a\n  - b\n\n    c\n- d',
    ])
      check(t);
  });

  it('linkLines finds the lines linesMatching finds with the link hint', () => {
    const hint = /\]\(|<(?:https?|mailto|file):/g;
    const pieces = [
      '](',
      ']',
      '(',
      '<',
      '<http:',
      '<https:',
      '<htt',
      '<mailto:',
      '<file:',
      '<ftp:',
      'http:',
      '\n',
      '\n```\n',
      '\n    ',
      '---\n',
      'a',
      ' ',
      '\r\n',
      '<!-- ',
      '[x](y)',
    ];
    fc.assert(
      fc.property(textOf(pieces, 40), fc.nat(6), (t, from) => {
        const doc = parseDocument(t);
        assert.deepEqual(linkLines(doc, from), linesMatching(doc, hint, from), JSON.stringify([t, from]));
      }),
      RUNS,
    );
  });

  it("sections' emptiness is what the plain reading of their lines (a set of heading lines, trim) gives", () => {
    /** The plain code: a set of every heading's lines, a line trimmed to know whether it is blank. */
    const plainEmpty = (doc: ParsedDocument): boolean[] => {
      const headingLines = new Set<number>();
      for (const h of doc.headings) for (let l = h.line; l <= h.endLine; l++) headingLines.add(l);
      return doc.sections.map((s) => {
        let inComment = false;
        for (let l = s.bodyStart; l < s.end; l++) {
          let src = doc.lines[l] ?? '';
          if (inComment) {
            const c = src.indexOf('-->');
            if (c < 0) continue;
            inComment = false;
            src = src.slice(c + 3);
          }
          if (src.includes('<!--')) {
            src = replaceComments(src, () => '');
            const open = src.indexOf('<!--');
            if (open >= 0) {
              inComment = true;
              src = src.slice(0, open);
            }
          }
          if (headingLines.has(l)) continue;
          if (src.trim() !== '') return false;
        }
        return true;
      });
    };
    const pieces = [
      '# A\n',
      '## B\n',
      '### C\n',
      'text\n',
      '\n',
      '<!-- x -->',
      '<!--\n',
      '-->\n',
      'Title\n===\n',
      'T\n---\n',
      '```\n# c\n```\n',
      '> # q\n',
      '- # li\n',
      ' \u00a0\n',
      '\t\n',
      '\u200b\n',
      '\u2028\n',
      '    # code\n',
    ];
    fc.assert(
      fc.property(textOf(pieces, 30), (t) => {
        const doc = parseDocument(t);
        assert.deepEqual(
          doc.sections.map((s) => s.isEmpty),
          plainEmpty(doc),
          JSON.stringify(t),
        );
      }),
      RUNS,
    );
  });

  it('parseFromLine gives the tokens of the text with the lines above its start blanked', () => {
    const md = engineMd(true);
    useParagraphWithoutTokens(md);
    const check = (t: string, from: number) => {
      const lines = t.split('\n');
      assert.deepEqual(parseFromLine(md, t, from), md.parse(markdownBody(t, lines, from), {}), JSON.stringify([t, from]));
    };
    fc.assert(fc.property(textOf([...MARKDOWN_PIECES, '---\n', 'key: value\n', 'para\n', '\n', '   \n'], 40), fc.nat(12), check), RUNS);
    for (const t of ['', '---', '---\na: b\n---', '---\na: b\n---\n', '---\n---\nText\n===', '---\n---\n    code\n', 'a\n---\n- b\n  c'])
      for (let from = 0; from < 6; from++) check(t, from);
  });

  it("the table rule without cells gives markdown-it's tokens less the cells'", () => {
    const plain = engineMd(false);
    const fast = engineMd(true);
    useTableWithoutCells(fast);
    type Tokens = ReturnType<MarkdownIt['parse']>;
    const cell = new Set(['th_open', 'th_close', 'td_open', 'td_close']);
    const withoutCells = (tokens: Tokens): Tokens => tokens.filter((t, i) => !cell.has(t.type) && !(t.type === 'inline' && cell.has(tokens[i - 1]?.type)));
    const check = (src: string) => assert.deepEqual(fast.parse(src, {}), withoutCells(plain.parse(src, {})), JSON.stringify(src));
    const pieces = ['|', '\\|', '\\', ' ', '\t', 'a', '-', ':', '---', ':-:', '\n', '\n\n', '> ', '- ', '    ', '```\n', '# h\n'];
    fc.assert(
      fc.property(textOf(pieces, 40), (t) => check(t)),
      RUNS,
    );
    fc.assert(
      fc.property(textOf(['| a ', '| b ', '|', '\n', '|---', '|:-:', '| --- ', '\\|', 'x', ' ', '\n> ', '\n  '], 30), (t) => check(t)),
      RUNS,
    );
    for (const t of ['| a | b |\n|---|---|\n| c | d |\n| e |\n\nx', 'a | b\n-|-\nc', '|a|\n|-|\n\\|x|', '| a |\n| :- |\n|', '> | a |\n> |---|\n> | b |\nc'])
      check(t);
    // The limit on the cells short rows leave empty: 300 columns, 250 rows of one cell.
    check(`${'|a'.repeat(300)}|\n${'|-'.repeat(300)}|\n${'|b|\n'.repeat(250)}`);
  });

  it("a table's header and rows, their cells split when read, are those the model split as it read the table", () => {
    // The model as it was: every row split into its cells while the table's tokens were read (the header is the row right
    // after `thead_open`), by the same rules as now (a copy of splitRow and pushCell).
    const isSpace = (c: number) => (c < 128 ? c === 32 || (c >= 9 && c <= 13) : /\s/.test(String.fromCharCode(c)));
    const skipSpaces = (src: string, i: number) => {
      while (i < src.length && isSpace(src.charCodeAt(i))) i++;
      return i;
    };
    type Cell = { text: string; line: number; start: number; end: number };
    const splitRow = (lines: string[], line: number): Cell[] => {
      const src = lines[line] ?? '';
      const cells: Cell[] = [];
      const push = (a: number, b: number) => {
        const raw = src.slice(a, b);
        const l = raw.length - raw.trimStart().length;
        const text = raw.trim();
        cells.push({ text: text.includes('\\|') ? text.replace(/\\\|/g, '|') : text, line, start: a + l, end: a + l + text.length });
      };
      let quoted = 0;
      let start = skipSpaces(src, 0);
      while (src.charCodeAt(start) === 62) start = quoted = skipSpaces(src, start + 1);
      start = src.charCodeAt(start) === 124 ? start + 1 : quoted;
      for (let i = src.indexOf('|', start); i >= 0; i = src.indexOf('|', i + 1)) {
        if (src.charCodeAt(i - 1) === 92) continue;
        push(start, i);
        start = i + 1;
      }
      if (src.slice(start).trim() !== '') push(start, src.length);
      return cells;
    };
    const md = engineMd(false);
    const eager = (text: string) => {
      const lines = text.split('\n');
      const tokens = md.parse(text, {});
      const tables: { line: number; endLine: number; header: Cell[]; rows: { line: number; cells: Cell[] }[] }[] = [];
      for (let i = 0; i < tokens.length; i++) {
        const map = tokens[i].map;
        if (tokens[i].type !== 'table_open' || !map) continue;
        const table = { line: map[0], endLine: map[1] - 1, header: [] as Cell[], rows: [] as { line: number; cells: Cell[] }[] };
        for (let j = i + 1; j < tokens.length && tokens[j].type !== 'table_close'; j++) {
          const r = tokens[j];
          if (r.type !== 'tr_open' || !r.map) continue;
          const cells = splitRow(lines, r.map[0]);
          if (table.header.length === 0 && tokens[j - 1]?.type === 'thead_open') table.header = cells;
          else table.rows.push({ line: r.map[0], cells });
        }
        tables.push(table);
      }
      return tables;
    };
    const cellsOf = (cells: { text: string; range: { start: { line: number; character: number }; end: { character: number } } }[]) =>
      cells.map((c) => ({ text: c.text, line: c.range.start.line, start: c.range.start.character, end: c.range.end.character }));
    const check = (body: string, rowsFirst = false) => {
      // After a first line of text: no front matter, which the pieces could make.
      const text = `x\n${body}`;
      const doc = parseDocument(text);
      const tables = doc.tables.map((t) => {
        // The order in which the cells are read does not matter.
        const rows = rowsFirst ? t.rows.map((r) => ({ line: r.line, cells: cellsOf(r.cells) })) : undefined;
        const header = cellsOf(t.header);
        return { line: t.line, endLine: t.endLine, header, rows: rows ?? t.rows.map((r) => ({ line: r.line, cells: cellsOf(r.cells) })) };
      });
      assert.deepEqual(tables, eager(text), JSON.stringify(text));
      // Each read gives the same cells.
      for (const t of doc.tables) {
        assert.equal(t.header, t.header);
        for (const r of t.rows) assert.equal(r.cells, r.cells);
      }
    };
    const pieces = ['|', '\\|', '\\', '`', ' ', '\t', '\u00a0', 'a', 'Bc', '-', ':', '---', ':-:', '\n', '\n\n', '> ', '- ', '    ', '```\n', '# h\n'];
    fc.assert(
      fc.property(textOf(pieces, 40), fc.boolean(), (t, first) => check(t, first)),
      RUNS,
    );
    fc.assert(
      fc.property(textOf(['| a ', '| b ', '|', '\n', '|---', '|:-:', '| --- ', '\\|', 'x', ' ', '\n> ', '\n  ', '\n- '], 30), fc.boolean(), (t, first) =>
        check(t, first),
      ),
      RUNS,
    );
    for (const t of [
      '',
      '| a | b |\n|---|---|\n| c | d |\n| e |\n\nx',
      'a | b\n-|-\nc',
      '|a|\n|-|\n\\|x|',
      '| a |\n| :- |\n|',
      '> | a |\n> |---|\n> | b |\nc',
      '- item\n\n  | a | b |\n  |---|---|\n  | `c|d` | e\\|f |',
      '| é | 目標 |\n|---|---|\n| \u00a0x\u00a0 | y |',
      '| a | b |\n|---|---|\n| c | d |\n\n| e |\n|---|\n| f |',
      `${'|a'.repeat(300)}|\n${'|-'.repeat(300)}|\n${'|b|\n'.repeat(250)}`,
    ]) {
      check(t);
      check(t, true);
    }
    // CRLF line ends: the same tables as with LF.
    const crlf = parseDocument('x\r\n| a | b |\r\n|---|---|\r\n| c | d |\r\n');
    assert.deepEqual(
      crlf.tables.map((t) => [cellsOf(t.header), t.rows.map((r) => cellsOf(r.cells))]),
      eager('x\n| a | b |\n|---|---|\n| c | d |\n').map((t) => [t.header, t.rows.map((r) => r.cells)]),
    );
  });

  it('rowCellCount counts the cells of a row as escapedSplit splits them', () => {
    /** markdown-it's escapedSplit, then its removal of an empty first and last cell. */
    const plain = (str: string): number => {
      const result: string[] = [];
      let pos = 0;
      let isEscaped = false;
      let lastPos = 0;
      let current = '';
      for (; pos < str.length; pos++) {
        const ch = str.charCodeAt(pos);
        if (ch === 124) {
          if (!isEscaped) {
            result.push(current + str.substring(lastPos, pos));
            current = '';
            lastPos = pos + 1;
          } else {
            current += str.substring(lastPos, pos - 1);
            lastPos = pos;
          }
        }
        isEscaped = ch === 92;
      }
      result.push(current + str.substring(lastPos));
      if (result.length && result[0] === '') result.shift();
      if (result.length && result[result.length - 1] === '') result.pop();
      return result.length;
    };
    assertAgree(['|', '\\', 'a', ' ', '||', '\\|'], rowCellCount, plain, 24);
    for (const t of ['', '|', '||', '\\|', '|\\|', 'a|', '|a', '\\\\|']) assert.equal(rowCellCount(t), plain(t), JSON.stringify(t));
  });

  it("the flat front matter's character tests are the regexes they replace", () => {
    const indicatorStart = /^[-?:,[\]{}#&*!|>'"%@`]/;
    const specialKey = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|__proto__)$/;
    for (let c = 0; c < 0x10000; c++) assert.equal(isIndicator(c), indicatorStart.test(String.fromCharCode(c)), String(c));
    assert.equal(isIndicator(NaN), false);
    // A key that is special starts with a character mayBeSpecialKey lets through.
    for (const k of ['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', '__proto__'])
      assert.ok(specialKey.test(k) && mayBeSpecialKey(k.charCodeAt(0)), k);
    for (let c = 0; c < 128; c++) if (!mayBeSpecialKey(c)) assert.ok(!'nNtTfF_'.includes(String.fromCharCode(c)), String(c));
  });

  it("a document's links are those the plain scan of its lines finds, with their ranges", () => {
    /** The plain scan: every line from the body on, outside code, its masked text searched with both regexes. */
    const plainLinks = (doc: ParsedDocument) => {
      const out: unknown[] = [];
      const linkRe = new RegExp(`(!?)${INLINE_LINK}`, 'g');
      const autolinkRe = /<((?:https?|mailto|file):[^>\s]+)>/g;
      for (let l = bodyStart(doc); l < doc.lines.length; l++) {
        if (doc.codeLines.has(l)) continue;
        const src = maskedProse(doc, l);
        linkRe.lastIndex = 0;
        for (let m = linkRe.exec(src); m; m = linkRe.exec(src)) {
          const bracket = m.index + m[1].length;
          let n = 0;
          while (bracket - n - 1 >= 0 && src.charCodeAt(bracket - n - 1) === 92) n++;
          if (!m[1] && n % 2 === 1) {
            linkRe.lastIndex = bracket + 1;
            continue;
          }
          let target = m[3];
          let tOff = m.index + m[0].indexOf('](') + 2 + (/^\(\s*/.exec(m[0].slice(m[0].indexOf('](') + 1))![0].length - 1);
          if (target.startsWith('<')) {
            target = target.slice(1, -1);
            tOff++;
          }
          out.push([m[2], target, l, m.index, m.index + m[0].length, tOff]);
        }
        autolinkRe.lastIndex = 0;
        for (let m = autolinkRe.exec(src); m; m = autolinkRe.exec(src)) out.push([m[1], m[1], l, m.index, m.index + m[0].length, m.index + 1]);
      }
      return out;
    };
    const pieces = [
      '[a]',
      '(b.md)',
      '](',
      ' ',
      '\t',
      '\u00a0',
      '(',
      ')',
      '<',
      '>',
      '<x.md>',
      '<https://e.org>',
      '\\',
      '!',
      '[[i](j)]',
      '[a]( ',
      '[b](\u00a0\t',
      '[c](  <d.md> )',
      '`',
      '<!--',
      '-->',
      '\n',
      '\n```\n',
      ' "t"',
      'x',
    ];
    fc.assert(
      fc.property(textOf(pieces, 30), (t) => {
        const doc = parseDocument(t);
        const links = doc.links.map((k) => [k.text, k.target, k.line, k.range.start.character, k.range.end.character, k.targetRange.start.character]);
        assert.deepEqual(links, plainLinks(doc), JSON.stringify(t));
      }),
      RUNS,
    );
  });

  it('yamlOffsetRange maps offsets as reading the YAML up to each did, whichever texts it is asked about in turn', () => {
    /** The plain code: the line breaks before the offset counted from the start of the text. */
    const plain = (lines: string[], firstLine: number, raw: string, a: number, b: number) => {
      const p = (off: number) => {
        const o = Math.max(0, Math.min(off, raw.length));
        let line = 0;
        let last = 0;
        for (let i = raw.indexOf('\n'); i >= 0 && i < o; i = raw.indexOf('\n', i + 1)) {
          line++;
          last = i + 1;
        }
        return { line: firstLine + line, character: o - last };
      };
      const start = p(a);
      let end = p(Math.max(a, b));
      if (end.line === start.line && end.character === start.character) {
        const len = (lines[start.line] ?? '').length;
        end = { line: start.line, character: Math.max(start.character, len) };
      }
      return { start, end };
    };
    const raw = textOf(['\n', 'a', 'key: v', '\n\n', ' '], 20);
    const offset = fc.integer({ min: -3, max: 60 });
    fc.assert(
      fc.property(fc.array(fc.tuple(raw, offset, offset, fc.nat(3)), { minLength: 1, maxLength: 6 }), (asks) => {
        for (const [r, a, b, first] of asks) {
          const lines = ['---', ...r.split('\n'), '---'];
          assert.deepEqual(yamlOffsetRange(lines, first, r, a, b), plain(lines, first, r, a, b), JSON.stringify([r, a, b, first]));
        }
      }),
      RUNS,
    );
  });

  it("yamlOffsetRange maps each of a long YAML text's lines in time linear in their number", () => {
    // 30,000 lines, each mapped (the duplicate keys of a front matter): reading the text up to each offset took seconds.
    const each = (n: number) => {
      const raw = 'k: v\n'.repeat(n);
      const lines = ['---', ...raw.split('\n'), '---'];
      return () => {
        for (let i = 0; i < n; i++) {
          const r = yamlOffsetRange(lines, 1, raw, i * 5, i * 5 + 1);
          assert.equal(r.start.line, i + 1);
        }
      };
    };
    each(30000)();
    assertLinear('yamlOffsetRange', each, { n: 1000 });
  });
});
