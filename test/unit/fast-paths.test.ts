/**
 * Hand-written fast paths of the engine (performance only) against the plain code they replace:
 * the same results on random text built from the characters that matter to each.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { assertAgree, normalizedStepByStep, textOf } from '../helpers/fuzz';
import { assertLinear } from '../helpers/linear';
import MarkdownIt from 'markdown-it';
import { withoutTrailingStars } from '../../server/src/service/rules/doc-metrics';
import { withoutTrailingPunctuation } from '../../server/src/service/rules/doc-rationale';
import { ampersandsAsAnd } from '../../server/src/service/rules/doc-placeholders';
import {
  INLINE_LINK,
  computeTitleKey,
  headingTextEnd,
  headingTextStart,
  inlineComments,
  linesMatching,
  listMarkerEnd,
  parseDocument,
  parseDocuments,
  taskBoxLength,
} from '../../server/src/service/markdown';
import { PLACEHOLDER, hasWords, isRealItem, textKey } from '../../server/src/service/handoff';
import { joinPath, normalizePath } from '../../server/src/service/host';
import { keyColon } from '../../server/src/service/frontmatter-fast';
import { failureIn, failureInFull } from '../../server/src/service/rules/phase-response';

const RUNS = { numRuns: 3000 };

describe('fast paths equal the plain code they replace', () => {
  it('computeTitleKey is the chain of replacements titles were keyed with', () => {
    const chain = (title: string) =>
      title
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .replace(/[*_`~]/g, '')
        .replace(/^\s*(\d+[.)]|\d+(\.\d+)+\.?)\s+/, '')
        .replace(/\{[^}]*\}/g, '#')
        .replace(/\d+/g, '#')
        .replace(/[→>-]+/g, ' ')
        .replace(/&/g, ' and ')
        .replace(/[^\p{L}\p{N}#]+/gu, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    const pieces = ['a', 'Zo', '1', '23', '.', ')', ' ', '\t', '{', '}', '{N}', '&', '-', '>', '→', '#', '*', '_', '`', '~', 'é', 'K', 'İ', '1.2', 'x'];
    assertAgree(pieces, computeTitleKey, chain);
    // Titles in other scripts, with accents, compatibility forms, characters of two UTF-16 units, lone halves.
    const unicode = [...pieces, '目標', '範囲', 'リスク', 'Ü', 'ß', '℃', '１', '٣', 'Σ', '𠀋', '😀', '\ud800', '\udc00', 'ﬁ', '\u0301'];
    assertAgree(unicode, computeTitleKey, chain);
    assert.equal(computeTitleKey('2. Phase {N} → Inputs & *Outputs*'), 'phase # inputs and outputs');
  });

  it('textKey reads ASCII text as the Unicode-aware replacement does', () => {
    const unicode = (text: string) =>
      text
        .replace(
          /!?\[((?:[^\][]|\[[^\]]*\])*)\]\(\s*(<[^>\n]*>|(?:[^()\s]|\([^()\s]*\))+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g,
          (_m, label: string) => ` ${label} `,
        )
        .toLowerCase()
        .replace(/[*`~]/g, '')
        .replace(/[^\p{L}\p{N}]+/gu, ' ')
        .trim();
    const pieces = ['a', 'B', '7', ' ', '*', '`', '~', '_', '-', '[x](y.md)', '[', ']', '(', ')', 'é', 'K', '²', ':', '/'];
    assertAgree(pieces, textKey, unicode);
  });

  it('hasWords tells whether textKey is empty without building the key', () => {
    const pieces = ['a', '7', ' ', '*', '`', '[', ']', '(', ')', '[x](y.md)', '[](a/b)', '-', 'é', '²', ':', '_'];
    assertAgree(pieces, hasWords, (t) => textKey(t) !== '');
  });

  it('isRealItem tells real handoff items from placeholders as the chain of replacements does', () => {
    const chain = (text: string) => hasWords(text.replace(PLACEHOLDER, ' ').replace(/^[^:]*\d+\s*:/, ' '));
    const pieces = [
      'Input 1:',
      ':',
      'a',
      'Z',
      '7',
      ' ',
      '[',
      ']',
      '(',
      ')',
      '[Name]',
      '[A',
      'B]',
      '[x](y.md)',
      '](',
      '<',
      '>',
      '"',
      "'",
      '- ',
      'é',
      '[]',
      '(<a)b>)',
    ];
    assertAgree(pieces, isRealItem, chain);
    assert.equal(isRealItem('Input 1: [Audit report](../x.md) - findings'), true);
    assert.equal(isRealItem('Input 1: [Input name](path) - [Description]'), true);
    assert.equal(isRealItem('Input 2: [Name] - [Description]'), false);
    assert.equal(isRealItem('[Input 1:[Name]Input 1:'), false);
  });

  it('the bounded inline link pattern finds the links the unbounded one found, in lines of ordinary length', () => {
    const unbounded = /(!?)\[((?:[^\][]|\[[^\]]*\])*)\]\(\s*(<[^>\n]*>|(?:[^()\s]|\([^()\s]*\))+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
    const bounded = new RegExp(`(!?)${INLINE_LINK}`, 'g');
    const all = (re: RegExp, t: string) => [...t.matchAll(re)].map((m) => [m.index, m[0], m[1], m[2], m[3]]);
    fc.assert(
      fc.property(textOf(['[', ']', '(', ')', '!', '<', '>', ' ', '"', "'", 'a', 'b.md', '#x', '](', '[a]', '[[b]]'], 24), (t) =>
        assert.deepEqual(all(bounded, t), all(unbounded, t), JSON.stringify(t)),
      ),
      RUNS,
    );
  });

  it('headingTextEnd drops a closing # sequence and trailing white space as the regexes did', () => {
    const pieces = ['#', '##', ' ', '\t', 'a', 'b c', '\\#', '\u00a0'];
    const plain = (src: string) => src.replace(/\s+#+\s*$/, '').replace(/\s+$/, '').length;
    assertAgree(pieces, headingTextEnd, plain);
  });

  it('headingTextStart and taskBoxLength read what their regexes matched', () => {
    const pieces = ['#', '###', '#######', ' ', '\t', '\u00a0', '\u2003', 'a', '[', ']', 'x', 'X', '[ ]', '[x]', '\n'];
    fc.assert(
      fc.property(textOf(pieces), (t) => {
        const h = /^(\s*#{1,6}\s*)/.exec(t);
        assert.equal(headingTextStart(t), h ? h[1].length : 0);
        assert.equal(taskBoxLength(t), /^\[([ xX])\](?=\s|$)/.test(t) ? 3 : 0);
      }),
      RUNS,
    );
  });

  it('listMarkerEnd finds the end of a list marker as the regex did', () => {
    const pieces = ['-', '*', '+', '1', '12', '.', ')', ' ', '  ', '\t', '\u00a0', 'a', '[ ]'];
    const plain = (src: string) => {
      const m = /^(\s*(?:[-*+]|\d+[.)])\s+)/.exec(src);
      return m ? m[1].length : src.length - src.trimStart().length;
    };
    assertAgree(pieces, listMarkerEnd, plain);
  });

  it('table rows split into cells as markdown-it splits them (a `|` in a code span too), each cell at its place', () => {
    const md = new MarkdownIt('commonmark').enable('table');
    /** Each row's cell texts as markdown-it reads them (padded with empty cells to the header's count). */
    const itCells = (text: string): string[][] => {
      const rows: string[][] = [];
      for (const t of md.parse(text, {})) {
        if (t.type === 'tr_open') rows.push([]);
        else if (t.type === 'inline' && rows.length) rows[rows.length - 1].push(t.content);
      }
      return rows;
    };
    /** Where each cell's text starts and ends on its line: between unescaped pipes, trimmed. */
    const places = (src: string) => {
      const out: { start: number; end: number }[] = [];
      const lead = /^\s*\|/.exec(src);
      let start = lead ? lead[0].length : 0;
      const cut = (a: number, b: number) => {
        const raw = src.slice(a, b);
        const l = raw.length - raw.trimStart().length;
        out.push({ start: a + l, end: a + l + raw.trim().length });
      };
      for (let i = start; i < src.length; i++) {
        if (src[i] === '|' && src[i - 1] !== '\\') {
          cut(start, i);
          start = i + 1;
        }
      }
      if (src.slice(start).trim() !== '') cut(start, src.length);
      return out;
    };
    const pieces = ['|', '\\|', '\\', '`', ' ', '\u00a0', '\t', 'a', 'Bc', '1', '-'];
    fc.assert(
      fc.property(fc.array(textOf(pieces), { minLength: 1, maxLength: 4 }), (rows) => {
        const text = ['| h | i |', '| --- | --- |', ...rows.map((r) => `|${r}`)].join('\n');
        const doc = parseDocument(text);
        const expected = itCells(text);
        const got: string[][] = [];
        for (const t of doc.tables) {
          for (const r of [{ line: t.line, cells: t.header }, ...t.rows]) {
            const src = doc.lines[r.line];
            assert.deepEqual(
              r.cells.map((c) => ({ start: c.range.start.character, end: c.range.end.character })),
              places(src),
              src,
            );
            for (const c of r.cells) assert.equal(c.text, src.slice(c.range.start.character, c.range.end.character).replace(/\\\|/g, '|'), src);
            got.push(r.cells.map((c) => c.text));
          }
        }
        // Cell for cell, as markdown-it reads them: the first two (its rows have the header's two cells).
        assert.deepEqual(
          got.map((cells) => [0, 1].map((k) => cells[k] ?? '')),
          expected,
          text,
        );
      }),
      RUNS,
    );
  });

  it('keyColon finds the key lines the regex matched, and their values', () => {
    const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$/;
    const pieces = ['a', 'Z', '_', '-', '0', '9', ':', ' ', '  ', 'x y', '#', '.', 'é', '\t', 'key', ': v'];
    fc.assert(
      fc.property(textOf(pieces), (line) => {
        const m = KEY_LINE.exec(line);
        const colon = keyColon(line);
        assert.equal(colon, m ? m[1].length : -1, line);
        if (m) assert.equal(line.slice(colon + 1).replace(/^ +/, ''), m[2] ?? '', line);
      }),
      RUNS,
    );
  });

  it('parseDocuments gives each text the model parseDocument gives it alone', () => {
    const blocks = [
      '---\ntitle: A\nstatus: draft\n---\n',
      '\uFEFF',
      '# Title\n',
      '## 1. Section `x`\n',
      'Setext\n===\n',
      '- [ ] task [l](a.md)\n',
      '  1. nested <https://x.y>\n',
      '| A | B |\n|---|---|\n| `a|b` | [l](b.md) |\n',
      '```ts\ncode\n```\n',
      '    indented\n',
      '<div>\nhtml\n</div>\n',
      '<!-- c -->\n',
      '> quote\n',
      '[ref]: c.md\n',
      'text\r\n',
      '\n',
      '---\nbroken: [\n',
    ];
    const doc = fc.array(fc.constantFrom(...blocks), { maxLength: 8 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 5 }), (texts) => {
        assert.deepEqual(
          parseDocuments(texts),
          texts.map((t) => parseDocument(t)),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('failureIn reads a line as the full set of failure patterns does', () => {
    const pieces = [
      '1',
      '0',
      '12',
      ' ',
      'failed',
      'FAILED',
      'Fail',
      'failing',
      'failures',
      'error',
      'ERRORS',
      'ERROR',
      'errored',
      'exit',
      'exited',
      'code',
      'status',
      ':',
      '=',
      'not ok',
      'ok',
      'test result:',
      'tests',
      '---',
      '(',
      '-',
      'x',
      'FAIL',
      '...',
      '✕',
      '✖',
      '×',
      '❌',
      '✓',
    ];
    assertAgree(pieces, failureIn, failureInFull);
    assert.equal(failureIn('2 failed, 10 passed'), true);
    assert.equal(failureIn('exit code 1'), true);
    assert.equal(failureIn('10 passed in 0.3s'), false);
    assert.equal(failureIn('  ✕ deploys (5 ms)'), true);
    assert.equal(failureIn('test_deploy (test_app.AppTest) ... FAIL'), true);
  });

  it('joinPath joins as normalizing the joined path does', () => {
    const seg = fc.constantFrom('a', 'b c', '..', '.', '', 'x.md', '...', 'C:', '\\', '.hidden');
    const path = fc.array(seg, { maxLength: 6 }).map((a) => a.join('/'));
    const base = fc.oneof(
      path.map((p) => '/' + p),
      path,
      fc.constantFrom('/', 'C:/x', 'C:', '/a/', '//a'),
    );
    fc.assert(
      fc.property(base, path, (b, r) => assert.equal(joinPath(b, r), normalizePath([b, r].join('/')))),
      RUNS,
    );
    assert.equal(joinPath('/ws/phase-2', '../phase-1/06-OUTPUT_HANDOFF.md'), '/ws/phase-1/06-OUTPUT_HANDOFF.md');
  });

  it('normalizePath returns a path as it is only when normalizing it step by step leaves it so', () => {
    const chars = fc.constantFrom('a', '/', '\\', '.', ':', 'C', ' ');
    fc.assert(
      fc.property(fc.array(chars, { minLength: 1, maxLength: 9 }), (cs) => {
        const p = cs.join('');
        assert.equal(normalizePath(p), normalizedStepByStep(p), JSON.stringify(p));
      }),
      { numRuns: 5000 },
    );
    assert.equal(normalizePath('//server/share/x'), '//server/share/x');
    assert.equal(normalizePath('/a//b'), '/a/b');
    assert.equal(normalizePath('///a'), '/a');
  });

  it('linesMatching finds the lines a test of each line finds, code blocks and front matter left out', () => {
    const linePieces = ['text', '](', '[A', '<http:', '```', '    code', '---', '', '{{', 'TBD'];
    const eols = fc.constantFrom('\n', '\r\n');
    fc.assert(
      fc.property(fc.array(textOf(linePieces, 3), { maxLength: 12 }), eols, fc.nat(3), (lines, eol, from) => {
        const doc = parseDocument(lines.join(eol));
        for (const hint of [/\]\(|<(?:https?|mailto|file):/g, /\[[A-Z]|\{\{|TBD|TODO:/g]) {
          const want: number[] = [];
          for (let l = from; l < doc.lines.length; l++) {
            hint.lastIndex = 0;
            if (!doc.codeLines.has(l) && hint.test(doc.lines[l])) want.push(l);
          }
          assert.deepEqual(linesMatching(doc, hint, from), want);
        }
      }),
      RUNS,
    );
  });

  it("inlineComments finds the HTML comments markdown-it's inline parse finds", () => {
    const md = new MarkdownIt('commonmark', { html: true });
    // No `[`: in a link's text, destination or title markdown-it may read otherwise (headings have no such links).
    const parsed = (src: string) =>
      (md.parseInline(src, {})[0].children ?? []).filter((t) => t.type === 'html_inline' && t.content.startsWith('<!--')).map((t) => t.content);
    const pieces = [
      'a',
      ' ',
      '`',
      '``',
      '\\',
      '<',
      '>',
      '!',
      '-',
      '?',
      '<!--',
      '-->',
      '<!-->',
      '<!--->',
      '<a>',
      '</a>',
      '<b c="',
      '"',
      "'",
      '=',
      ']]>',
      '<?',
      '?>',
      '<!X',
      '<!-',
      '*',
      'é',
      '\n',
    ];
    fc.assert(
      fc.property(textOf(pieces, 16), (src) =>
        assert.deepEqual(
          inlineComments(src).map(([a, b]) => src.slice(a, b)),
          parsed(src),
          JSON.stringify(src),
        ),
      ),
      RUNS,
    );
    assert.deepEqual(inlineComments('Scope <!-- phasegate-disable-line section-order -->'), [[6, 51]]);
    assert.deepEqual(inlineComments('`<!-- code -->` \\<!-- escaped --> <a title="<!--"> x'), []);
  });

  it('withoutTrailingStars removes what /\\s*\\**\\s*$/ removes, in linear time', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(' ', '*', 'a', '\t', '\u00a0', '\n', '%', '5'), { maxLength: 14 }), (chars) => {
        const v = chars.join('');
        assert.equal(withoutTrailingStars(v), v.replace(/\s*\**\s*$/, ''), JSON.stringify(v));
      }),
      { numRuns: 3000 },
    );
    // The regex tries each space as the start of the run it removes (cubic in the spaces: a second at 2,000).
    assertLinear(
      'withoutTrailingStars',
      (n) => {
        const long = `5${' '.repeat(n)}x`;
        return () => assert.equal(withoutTrailingStars(`${long} ** `), long);
      },
      { n: 500 },
    );
  });

  it('withoutTrailingPunctuation removes what /\\p{P}+$/u removes, surrogate pairs included, in linear time', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', '!', '.', '…', '\u{1144B}', '\ud805', '\udc4b', 'é', '-', ' ', '\u{1F600}'), { maxLength: 12 }), (chars) => {
        const w = chars.join('');
        assert.equal(withoutTrailingPunctuation(w), w.replace(/\p{P}+$/u, ''), JSON.stringify(w));
      }),
      { numRuns: 3000 },
    );
    // The regex tries each `!` as the start of the run it removes (quadratic in them).
    assertLinear(
      'withoutTrailingPunctuation',
      (n) => {
        const long = `${'!'.repeat(n)}a`;
        return () => assert.equal(withoutTrailingPunctuation(`${long}?!`), long);
      },
      { n: 2000 },
    );
  });

  it('ampersandsAsAnd writes what .replace(/\\s*&\\s*/g, " and ") writes, in linear time', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', '&', ' ', '\t', '\u00a0', 'b', '&&'), { maxLength: 12 }), (chars) => {
        const s = chars.join('');
        assert.equal(ampersandsAsAnd(s), s.replace(/\s*&\s*/g, ' and '), JSON.stringify(s));
      }),
      { numRuns: 3000 },
    );
    // The regex tries each space as the start of a `\s*&` that the `x` ends (quadratic in the spaces).
    assertLinear(
      'ampersandsAsAnd',
      (n) => {
        const spaces = ' '.repeat(n);
        return () => assert.equal(ampersandsAsAnd(`a${spaces}x & y`), `a${spaces}x and y`);
      },
      { n: 2000 },
    );
  });
});
