/**
 * Regular expressions run on what users type (document lines, headings, items, table cells, front matter)
 * match in linear time: a long run of spaces, stars or digits that does not match in the end takes time linear
 * in its length, from 6,250 characters to 100,000 (the expressions they replace took tens of seconds at 100,000,
 * or never finished). Where an expression was rewritten, it matches what the old one matched on random text
 * built from the characters that matter to it.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DECISION_ITEM_RE, DECISION_PREFIX_RE, DECISION_TITLE_RE, givesReason, riskRest } from '../../server/src/service/rules/doc-rationale';
import { parseDocument } from '../../server/src/service/markdown';
import { htmlTagLength } from '../../server/src/service/html-block';
import { inlineTarget, metricItem, withoutTrailingNote } from '../../server/src/service/rules/doc-metrics';
import { NOTE } from '../../server/src/service/rules/doc-util';
import { duplicateKeyAt, lineKey } from '../../server/src/service/rules/doc-frontmatter';
import { FILLER_ITEM } from '../../server/src/service/rules/doc-placeholders';
import { listItemValue } from '../../server/src/lsp/completion';
import { headingLine } from '../../server/src/service/actions';
import { endsWithLabelColon } from '../../server/src/service/fixes/document';
import { replaceEvidenceLinks } from '../../server/src/service/gates';
import { LEADING_GENERIC_NAME, withoutGenericName } from '../../server/src/service/handoff';
import { LABEL_FIRST } from '../../server/src/service/rules/doc-quantity';
import { PHASE_ID, phaseNumberOf } from '../../server/src/service/rules/phase-plan';
import { EARLIER_RUN, RUN_OUTPUT, RUN_SUMMARY, failureInFull } from '../../server/src/service/rules/phase-response';
import { linksAsText, replaceCodeSpans, suffixStart, withoutDelimited } from '../../server/src/service/text-scan';
import { headingSlug } from '../../server/src/service/rules/doc-anchors';
import { PART_SEPARATOR } from '../../server/src/service/rules/doc-quantity';
import { assertLinear } from '../helpers/linear';

const N = 100_000;

/**
 * The measure of a guard: from size / 16 to size. The runs at n are repeated until they take a millisecond (minMs 1,
 * not assertLinear's 5): the bound at 16n is 64 times the time at n plus 2 ms (1,024 times at degree 2), so that
 * quadratic work (256 times; cubic 4,096 at degree 2) fails once it takes more than 0.01 ms at n, and longer runs
 * only cost time. At minMs 5 a guard took about 210 ms (those of degree 2, 1.1 s), 13 s for the 61; at 1, about
 * 45 ms (250 ms), 3 s.
 */
const measureOf = (size: number, degree: 1 | 2) => ({ n: Math.floor(size / 16), degree, minMs: 1 });

/**
 * Asserts that `f(n)`, a match on hostile input of about n characters (a long run that does not match in the end),
 * takes time linear in n (or at most quadratic, degree 2): from size / 16 to size (N unless the function reads no more).
 */
function fast(f: (n: number) => unknown, size = N, degree: 1 | 2 = 1): void {
  assertLinear(f.toString().replace(/^\(n\) => /, ''), (n) => void f(n), measureOf(size, degree));
}

/** Strings of 0..maxLength pieces drawn from `pieces`. */
function textOf(pieces: string[], maxLength = 12): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...pieces), { maxLength }).map((a) => a.join(''));
}

/** What a match is made of: its groups and where it starts. */
function parts(m: RegExpExecArray | null): unknown {
  return m && [...m, m.index];
}

/** Asserts that `now` and `old` give the same result on random text made of `pieces`. */
function agree<T>(pieces: string[], now: (t: string) => T, old: (t: string) => T, maxLength = 12): void {
  fc.assert(
    fc.property(textOf(pieces, maxLength), (t) => assert.deepEqual(now(t), old(t), JSON.stringify(t))),
    { numRuns: 3000 },
  );
}

/** Asserts that the rewritten expression `now` matches as `old` did (groups and place) on random text of `pieces`. */
function sameMatches(pieces: string[], now: RegExp, old: RegExp, maxLength = 12): void {
  agree(
    pieces,
    (t) => parts(new RegExp(now).exec(t)),
    (t) => parts(new RegExp(old).exec(t)),
    maxLength,
  );
}

describe('regular expressions on user text are linear', () => {
  describe('the guards, measured as `fast` measures them', () => {
    // The same measure as every guard's, on a smaller size: the growth it tells apart does not depend on the size,
    // and the quadratic expression takes seconds a match at 100,000 characters.
    it('fail a quadratic implementation: the expression listItemValue replaced, on its hostile input', () => {
      const OLD = /^[ \t]*-[ \t]+(.*?)(?:[ \t]+#.*)?$/;
      fast((n) => listItemValue(`- x${' '.repeat(n)}x`), 16_000);
      assert.throws(() => fast((n) => OLD.exec(`- x${' '.repeat(n)}x`), 16_000), /OLD\.exec.*linear is about \d+×/);
    });
  });
  describe('decisions and risks (doc-rationale)', () => {
    const pieces = ['decision', 'Decision', 'risk', ' ', '  ', '\t', '\n', '#', '1', '23', ':', '**', '__', '*', 'x', 'because', 'reason', 'why'];
    it('DECISION_TITLE_RE, DECISION_PREFIX_RE and DECISION_ITEM_RE match as before', () => {
      sameMatches(pieces, DECISION_TITLE_RE, /^(?:\*\*|__)?decision\b(?:\s*#?\s*\d|[^:]{0,30}:)/i);
      sameMatches(pieces, DECISION_PREFIX_RE, /^\s*(?:\*\*|__)?decision(?:\s*#?\s*\d+)?(?:\*\*|__)?\s*:(?:\*\*|__)?/i);
      sameMatches(pieces, DECISION_ITEM_RE, /^(?:\*\*|__)?decision(?:\s*#?\s*\d+)?(?:\*\*|__)?\s*:(?:\*\*|__)?\s*(.*)$/i);
    });
    it('riskRest and givesReason read items as before', () => {
      const oldRisk = (text: string) =>
        /^(?:\*\*|__)?risk\b(?!\s*(?:register|owners?|levels?|scores?|ratings?|appetite|tolerance|assessments?|categor(?:y|ies)|matrix|management|review|status|profile|log|summary|strateg(?:y|ies)|plan)\b)[^:]{0,40}:(?:\*\*|__)?\s*(.*)$/i.exec(
          text.trim(),
        )?.[1];
      agree(pieces, riskRest, oldRisk);
      agree(
        pieces,
        givesReason,
        (b) =>
          /\b(?:rationale|because|reason)\b\s*:?\s*[^\s:]/i.test(b) || /\b(?:why|reasoning|justification)\s*:\s*\S/i.test(b) || /(?:→|->|⟶|=>)\s*\S/.test(b),
      );
    });
    it('a decision or risk item with a long run of spaces', () => {
      fast((n) => DECISION_TITLE_RE.test(`decision${' '.repeat(n)}x`));
      fast((n) => DECISION_PREFIX_RE.exec(`decision${' '.repeat(n)}x`));
      fast((n) => DECISION_ITEM_RE.exec(`decision:${' '.repeat(n)}x\ny`));
      fast((n) => DECISION_ITEM_RE.exec(`decision${' '.repeat(n)}x`));
      fast((n) => riskRest(`risk:${' '.repeat(n)}x\ny`));
      fast((n) => givesReason(`because${' '.repeat(n)}`));
    });
  });
  describe('HTML tags in inline text (markdown)', () => {
    const OLD =
      /^(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[a-zA-Z_:][a-zA-Z0-9:._-]*(?:\s*=\s*(?:[^"'=<>`\x00-\x20]+|'[^']*'|"[^"]*"))?)*\s*\/?>|<\/[A-Za-z][A-Za-z0-9-]*\s*>)/;
    const old = (t: string) => OLD.exec(t)?.[0].length ?? 0;
    it('htmlTagLength reads the tag the expression matched', () => {
      const pieces = [
        '<a',
        '<',
        '</',
        'a',
        'B',
        'b',
        ' ',
        '\xa0',
        '\u3000',
        '\ufeff',
        '\t',
        '\n',
        '=',
        '"',
        "'",
        '>',
        '/',
        'd',
        '1',
        '-',
        '_',
        ':',
        '.',
        '`',
        'x=y',
        '\x01',
        '%',
      ];
      agree(pieces, (t) => htmlTagLength(t, 0, t.length), old, 14);
      agree(['<a', ' b', '=', ' ', '\xa0', 'c', 'd', '>', '/', '"', '=e'], (t) => htmlTagLength(t, 0, t.length), old, 16);
      fc.assert(
        fc.property(textOf(pieces, 14), fc.nat(40), (t, k) =>
          assert.equal(htmlTagLength(t, 0, Math.min(k, t.length)), old(t.slice(0, k)), JSON.stringify([t, k])),
        ),
        { numRuns: 3000 },
      );
    });
    it('a heading with a tag whose attribute value is a long run of no-break spaces', () => {
      fast((n) => htmlTagLength(`<a b=${'\xa0'.repeat(n)}"`, 0, n + 6));
      fast((n) => htmlTagLength(`<a b=c${'\xa0d'.repeat(n / 2)}"`, 0, n + 7));
      fast((n) => parseDocument(`# Title <a b=${'\xa0'.repeat(n)}"\n`).headings);
    });
  });
  describe('metric items (doc-metrics)', () => {
    const ITEM = /^(\s*(?:[^\p{L}\p{N}\s:*_([`]{1,3}\s+)?\**\s*)([^:\d](?:[^:]*?[^:\s])?)(\s*(?:\*+\s*)?:\s*\**\s*)(\S(?:.*\S)?)\s*$/u;
    const DASH = /^(\s*(?:[^\p{L}\p{N}\s:*_([`]{1,3}\s+)?\**\s*)([^:\d\s](?:[^:]*?[^:\s])?)(\**(?:\s+[-–]\s+|\s*—\s*)\**\s*)([\d.~≈<>≤≥`](?:.*\S)?)\s*$/u;
    const TARGET = /\s*[(\[]\s*(?:target|goal|threshold|expected)\s*:?\s*([^)\]]*?)\s*[)\]]\s*$/i;
    it('metricItem reads items as the two expressions did', () => {
      const old = (t: string) => parts((/[-–—]/.test(t) && DASH.exec(t)) || ITEM.exec(t));
      const pieces = [
        '✅',
        '⚠️',
        '❌',
        '🚀',
        '-',
        '–',
        '—',
        ' ',
        '  ',
        '\t',
        '\xa0',
        '*',
        '**',
        '_',
        ':',
        'a',
        'Cov',
        '1',
        '80%',
        '~',
        '<',
        '(',
        '`',
        '\n',
        'é',
      ];
      agree(pieces, (t) => parts(metricItem(t)), old, 14);
      agree(['✅', ' ', '  ', '*', ':', '1', 'a', '-', '—', ' - '], (t) => parts(metricItem(t)), old, 14);
    });
    it('inlineTarget finds the target the expression found', () => {
      const old = (t: string) => {
        const m = TARGET.exec(t);
        return m ? { index: m.index, text: m[1] } : undefined;
      };
      const pieces = ['(', ')', '[', ']', 'target', 'Goal', 'expected', 'threshold', ' ', '\t', '\n', ':', '80%', '>', 'x', 'targets'];
      agree(pieces, inlineTarget, old, 12);
    });
    it('a metric item with a mark and 1,000 spaces, a value with a target and 100k spaces', () => {
      // An item is read up to its 1,000 characters (MAX_METRIC_ITEM), each start of a match tried once: at most
      // quadratic in its length by design.
      fast((n) => metricItem(`✅${' '.repeat(n - 3)}1`), 1000, 2);
      fast((n) => metricItem(`✅${' '.repeat(n - 3)}:`), 1000, 2);
      fast((n) => metricItem(`✅${' '.repeat(n - 3)}-`), 1000, 2);
      fast((n) => inlineTarget(`80% (target${' '.repeat(n)}x)`));
      fast((n) => inlineTarget(`80% (target${' '.repeat(n)}x`));
      fast((n) => inlineTarget(`${'('.repeat(n)}x)`));
    });
  });
  describe('front matter keys (doc-frontmatter)', () => {
    const oldLineKey = (line: string) => {
      const first = /^(\s*(?:-\s+)?)(["']?)([^"':#]+?)\2\s*:/.exec(line);
      return first ? { start: first[1].length, quote: first[2], key: first[3] } : undefined;
    };
    const oldKeyAt = (line: string, col: number) => {
      const here = /^(["']?)([^"':#,[\]{}]+?)\1\s*:/.exec(line.slice(col));
      return here ? { start: col, quote: here[1], key: here[2] } : oldLineKey(line);
    };
    const pieces = [' ', '  ', '\t', '-', '- ', ':', 'a', 'key', '"', "'", '#', ',', '{', '}', '[', ']', '1', '\xa0'];
    it('the duplicate key is found where the expressions found it', () => {
      agree(pieces, lineKey, oldLineKey, 10);
      fc.assert(
        fc.property(textOf(pieces, 10), fc.nat(12), (t, col) => assert.deepEqual(duplicateKeyAt(t, col), oldKeyAt(t, col), JSON.stringify([t, col]))),
        { numRuns: 3000 },
      );
    });
    it('a front matter line of a dash and 100k spaces', () => {
      fast((n) => lineKey(`-${' '.repeat(n)}x`));
      fast((n) => lineKey(`- a${' '.repeat(n)}x`));
      fast((n) => duplicateKeyAt(`{a${' '.repeat(n)}x`, 1));
    });
  });

  describe('filler items (doc-placeholders)', () => {
    it('FILLER_ITEM matches as before', () => {
      const pieces = ['step', 'Input', ' ', '  ', '\t', '#', '1', '2', ':', '*', '**', '_', '__', 'x'];
      sameMatches(
        pieces,
        FILLER_ITEM,
        /^\s*(?:\*\*|__|\*|_)?((prerequisite|step|question|input|output|artifact|deliverable|decision|risk|dependency|item)\s*#?\d+)(?:\*\*|__|\*|_)?\s*:?\s*(?:\*\*|__|\*|_)?\s*$/i,
      );
    });
    it('an item `Step 1` and 100k spaces', () => {
      fast((n) => FILLER_ITEM.exec(`Step 1${' '.repeat(n)}x`));
      fast((n) => FILLER_ITEM.exec(`Step${' '.repeat(n)}x`));
    });
  });

  describe('list values, heading lines, label colons, evidence links, generic names', () => {
    it('listItemValue reads a YAML list item as the expression did', () => {
      const old = (s: string) => /^[ \t]*-[ \t]+(.*?)(?:[ \t]+#.*)?$/.exec(s)?.[1];
      agree([' ', '\t', '-', '#', 'a', 'b c', '\n', '\u2028', '"', ':'], listItemValue, old, 12);
    });
    it('headingLine reads a heading line as the expression did', () => {
      const OLD = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
      agree([' ', '  ', '\t', '#', '##', 'a', 'b c', '\n', '\r', '\\#'], headingLine, (s) => OLD.exec(s)?.slice(1), 12);
    });
    it('endsWithLabelColon tells what the expression told', () => {
      const OLD = /:\s*(?:\*\*|__|\*|_)?\s*$/;
      agree([' ', '\t', '\n', '\xa0', ':', '*', '**', '_', '__', 'a', 'Rationale'], endsWithLabelColon, (s) => OLD.test(s), 10);
    });
    it('replaceEvidenceLinks finds the links and targets the expression found', () => {
      const OLD = /\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>\n]*>|[^)\s]+)[^)]*\)/g;
      const mark = (m: string, t: string) => `{${m}|${t}}`;
      const pieces = ['[', ']', '(', ')', '[a](', '<', '>', ' ', '\n', '\\', '\\]', 'a', 'b.md', '"t"', '\u2028'];
      agree(
        pieces,
        (t) => replaceEvidenceLinks(t, mark),
        (t) => t.replace(OLD, mark),
        14,
      );
      agree(
        ['[', ']', '(', ')', '<', '>', '\n', 'a'],
        (t) => replaceEvidenceLinks(t, mark),
        (t) => t.replace(OLD, mark),
        16,
      );
    });
    it('LEADING_GENERIC_NAME matches as before', () => {
      const OLD = /^(?:[^:]*\d+\s*|\s*[*_]{0,2}(?:input|artifact|output|prerequisite|item|question|deliverable)s?[*_]{0,2}\s*):/i;
      sameMatches(['Input', ' ', '1', '23', ':', '*', '_', 'x', 's', '\t'], LEADING_GENERIC_NAME, OLD, 10);
    });
    it('long runs of blanks, digits and characters of a link target', () => {
      fast((n) => listItemValue(`-${' '.repeat(n)}x`));
      fast((n) => listItemValue(`- x${' '.repeat(n)}x`));
      fast((n) => headingLine(`# x${' '.repeat(n)}x`));
      fast((n) => endsWithLabelColon(`Rationale:${' '.repeat(n)}x`));
      fast((n) => replaceEvidenceLinks(`[a](${'a'.repeat(n)}`, () => ''));
      fast((n) => replaceEvidenceLinks(`${'['.repeat(n)}x)`, () => ''));
      fast((n) => replaceEvidenceLinks(`${'[a](<b)'.repeat(n / 7)}\n)`, () => ''));
      fast((n) => withoutGenericName(`${'1'.repeat(n)}x:`));
    });
  });

  describe('plan rows, quantities, phase ids and numbers, test runs, finding titles', () => {
    it('the list-item leads of plan rows match as before', () => {
      const pieces = [' ', '  ', '\t', '>', '> ', '-', '*', '+', '1', '12', '.', ')', 'x'];
      const rowNow = /^(\s*(?:(?:>\s?)+\s*)?)(?:([-*+])|(\d+)([.)]))(\s+)/;
      const numNow = /^\s*(?:(?:>\s?)+\s*)?(\d+)[.)]/;
      sameMatches(pieces, rowNow, /^(\s*(?:>\s?)*\s*)(?:([-*+])|(\d+)([.)]))(\s+)/);
      sameMatches(pieces, numNow, /^\s*(?:>\s?)*\s*(\d+)[.)]/);
      // The expressions as plan-row.ts writes them.
      const src = readFileSync(join(__dirname, '../../../server/src/service/plan-row.ts'), 'utf8');
      assert.ok(src.includes(rowNow.source) && src.includes(numNow.source));
      fast((n) => rowNow.exec(`${' '.repeat(n)}x`));
      fast((n) => numNow.exec(`${' '.repeat(n)}x`));
    });
    it('LABEL_FIRST, PHASE_ID and phaseNumberOf match as before', () => {
      sameMatches(['a', 'Db', '1', ' ', '  ', '-', ':', 'x', '\n', '\u2028', '\t', '%', 'é'], LABEL_FIRST, /^([\p{L}][\p{L}\p{N}\s-]*?)\s*:\s*(.+)$/u);
      agree(
        ['a', '/', 'phase', 'Phase', '_', '-', '1', '23', ' ', 'x', '\n'],
        (t) => PHASE_ID.test(t),
        (t) => /^[^/\s]+\/phase[_-]?\d+\S*$/i.test(t),
      );
      agree(
        [' ', '*', '_', '#', '1', '23', 'x', 'phase', '-'],
        (t) => parts(phaseNumberOf(t)),
        (t) => parts(/phase\s*(\d+)/i.exec(t.replace(/[_-]/g, ' ')) ?? /^[\s*_]*#?\s*(\d+)[\s*_]*$/.exec(t)),
      );
    });
    it('the test-run patterns tell what they told', () => {
      const pieces = ['exit', 'exited', ' code', ' status', ' with code', ' ', '  ', ':', '0', '1', '12', '.', '%', 'coverage', 'x', '#', 'before', '!', '\n'];
      agree(
        pieces,
        (t) => RUN_OUTPUT[RUN_OUTPUT.length - 2].test(t),
        (t) => /\bexit(?:ed)?\s+(?:code|status|with code)\s*:?\s*\d+/i.test(t),
      );
      agree(
        pieces,
        (t) => RUN_OUTPUT[RUN_OUTPUT.length - 1].test(t),
        (t) => /\bcoverage\b.*\d+(?:\.\d+)?\s*%/i.test(t),
      );
      agree(
        pieces,
        (t) => EARLIER_RUN.test(t),
        (t) =>
          /\b(?:baseline|previous|earlier)\b|\bbefore\s+(?:the\s+|this\s+|our\s+)?(?:fix(?:es)?|changes?|remediation|refactor(?:ing)?|upgrade|migration|phase|work)\b|^\W*(?:#+\s*)?before\W*$/i.test(
            t,
          ),
      );
    });
    it('long runs of spaces and digits', () => {
      fast((n) => LABEL_FIRST.exec(`a${' '.repeat(n)}x`));
      fast((n) => LABEL_FIRST.exec(`a:${' '.repeat(n)}\n`));
      fast((n) => PHASE_ID.test(`a/phase${'1'.repeat(n)} `));
      fast((n) => phaseNumberOf(`${' '.repeat(n)}x`));
      fast((n) => RUN_OUTPUT[RUN_OUTPUT.length - 2].test(`exit code${' '.repeat(n)}x`));
      fast((n) => RUN_OUTPUT[RUN_OUTPUT.length - 1].test(`coverage ${'1'.repeat(n)}x`));
      fast((n) => failureInFull(`exit code${' '.repeat(n)}x`));
      fast((n) => EARLIER_RUN.test(`${'#'.repeat(n)}x`));
    });
  });

  describe('unanchored expressions on whole lines are tried once for each run of blanks, digits or `=`', () => {
    /** Asserts that `file` (under server/src/service) writes `re` as it is. */
    const written = (file: string, re: RegExp) =>
      assert.ok(readFileSync(join(__dirname, '../../../server/src/service', file), 'utf8').includes(re.source), `${file}: ${re.source}`);
    const replaces = (now: RegExp, old: RegExp) => [(t: string) => t.replace(now, '|'), (t: string) => t.replace(old, '|')] as const;
    const blanks = [' ', '  ', '\t', '\xa0', '(', ')', 'a', 'note', '-', '—', 'x/y', '\n'];
    it('notes in brackets that end a title or a metric name', () => {
      agree(blanks, withoutTrailingNote, (t) => t.replace(/\s*\([^)]*\)\s*$/, ''));
      agree(blanks, ...replaces(NOTE, /\s*\([^()]*\)\s*$/));
      const planNote = /(?<!\s)\s*\([^()]*\)\s*$/;
      written('rules/phase-plan.ts', planNote);
      agree(blanks, ...replaces(planNote, /\s*\([^()]*\)\s*$/));
      fast((n) => withoutTrailingNote(`a${' '.repeat(n)}x`));
      fast((n) => withoutTrailingNote(`${'('.repeat(n)}x)y`));
      fast((n) => NOTE.test(`a${' '.repeat(n)}x`));
      fast((n) => `a${' '.repeat(n)}x`.replace(planNote, ''));
    });
    it('a dash between blanks that splits a handoff item, the suffixes of phase titles', () => {
      const dash = /(?<!\s)\s+[-–—]\s+/;
      written('fixes/handoff-table.ts', dash);
      agree(
        blanks,
        (t) => parts(dash.exec(t)),
        (t) => parts(/\s+[-–—]\s+/.exec(t)),
      );
      const suffix = /(?<!\s)\s+[—–-]+\s+implementation\s+(prompt|response)\s*$/i;
      const note = /(?<!\s)\s*\(\s*iAI\s+(?:prompt[\s-]*driven|managed)\s*\)\s*$/i;
      written('templates.ts', suffix);
      written('templates.ts', note);
      const words = [' ', '  ', '\t', '-', '—', '--', 'implementation', 'prompt', 'response', '(', ')', 'iAI', 'managed', 'Prompt-Driven', 'x'];
      agree(words, ...replaces(suffix, /\s+[—–-]+\s+implementation\s+(prompt|response)\s*$/i));
      agree(words, ...replaces(note, /\s*\(\s*iAI\s+(?:prompt[\s-]*driven|managed)\s*\)\s*$/i));
      fast((n) => dash.exec(`a${' '.repeat(n)}x`));
      fast((n) => `a${' '.repeat(n)}x`.replace(suffix, ''));
      fast((n) => `a${' '.repeat(n)}x`.replace(note, ''));
    });
    it('test-run lines with long runs of digits and `=`', () => {
      const pieces = ['1', '23', ' ', '  ', 'examples', 'example', ',', 'failures', 'failure', '=', '===', 'passed', 'x'];
      const examples = (re: RegExp) => re.source.includes('examples?');
      for (const list of [RUN_OUTPUT, RUN_SUMMARY]) {
        const re = list.find(examples)!;
        agree(
          pieces,
          (t) => re.test(t),
          (t) => /\d+\s+examples?,\s*\d+\s+failures?/i.test(t),
        );
        fast((n) => re.test(`${'1'.repeat(n)}x`));
      }
      const eq = RUN_OUTPUT.find((re) => re.source.includes('={3}'))!;
      agree(
        pieces,
        (t) => eq.test(t),
        (t) => /={3}.*\b(?:passed|failed|error)\b.*={3}/i.test(t),
      );
      fast((n) => eq.test('='.repeat(n)));
    });
  });

  describe('links, tags, code spans, fragments, trailing runs (text-scan and lookbehinds)', () => {
    const written = (file: string, re: RegExp) =>
      assert.ok(readFileSync(join(__dirname, '../../../server/src', file), 'utf8').includes(re.source), `${file}: ${re.source}`);
    it('linksAsText and withoutDelimited replace what the expressions replaced', () => {
      const pieces = ['[', ']', '(', ')', '!', '![', '[a](b)', 'a', ' ', '\n', '<', '>', '<b>'];
      agree(pieces, linksAsText, (t) => t.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1'), 14);
      agree(
        pieces,
        (t) => linksAsText(t, true),
        (t) => t.replace(/!?\[([^\]\n]*)\]\([^)\n]*\)/g, '$1'),
        14,
      );
      agree(
        pieces,
        (t) => withoutDelimited(t, '<', '>'),
        (t) => t.replace(/<[^>]*>/g, ''),
        14,
      );
      agree(
        pieces,
        (t) => withoutDelimited(t, '[', ']'),
        (t) => t.replace(/\[[^\]]*\]/g, ''),
        14,
      );
      fast((n) => headingSlug(`${'['.repeat(n)}x`));
      fast((n) => headingSlug(`${'<'.repeat(n)}x`));
      fast((n) => linksAsText(`${'[a](x'.repeat(n / 5)}\n)`, true));
      fast((n) => linksAsText(`${'[a]x'.repeat(n / 4)})`));
    });
    it('replaceCodeSpans gives the spans the expression gave', () => {
      const spans = (f: (t: string, g: (m: string) => string) => string) => (t: string) => f(t, (m) => `{${m}}`);
      const pieces = ['`', '``', '```', 'a', ' ', '\n'];
      const old = (t: string, g: (m: string) => string) => t.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, g);
      agree(pieces, spans(replaceCodeSpans), spans(old), 16);
      fast((n) => replaceCodeSpans(`${'`a'.repeat(n / 2)}`, (m) => m));
      fast((n) => replaceCodeSpans(`${'`'.repeat(n / 2)}a${'``a'.repeat(n / 6)}`, (m) => m));
    });
    it('suffixStart finds where /[#?].*$/ matched', () => {
      const pieces = ['#', '?', 'a', '/', '\n', '\r', '\u2028', 'b.md'];
      agree(
        pieces,
        (t) => suffixStart(t, '#?'),
        (t) => /[#?].*$/.exec(t)?.index ?? -1,
      );
      agree(
        pieces,
        (t) => suffixStart(t, '#'),
        (t) => /#.*$/.exec(t)?.index ?? -1,
      );
      fast((n) => suffixStart(`${'#'.repeat(n)}\n`, '#?'));
    });
    it('trailing runs and separators are sought from the start of a run', () => {
      const cases: [RegExp, RegExp, string, string[], string][] = [
        [/(?<![a-z-])[a-z-]*$/, /[a-z-]*$/, 'lsp/directives.ts', ['a', '-', ' ', ',', 'b-c'], ' '],
        [/(?<!\S)(\S+)\s*$/u, /(\S+)\s*$/u, 'service/layout.ts', ['a', ' ', '\t', '\n', '😀', 'b'], ' b'],
        [/(?<!\.)\.+$/, /[.]+$/, 'lsp/phases.ts', ['.', 'a', '..', ' '], 'a'],
        [/(?<!\/)\/+$/, /\/+$/, 'service/scaffold.ts', ['/', 'a', '//'], 'a'],
      ];
      for (const [now, old, file, pieces, attack] of cases) {
        written(file, now);
        agree(
          pieces,
          (t) => parts(now.exec(t)),
          (t) => parts(old.exec(t)),
        );
        fast((n) => now.exec(`${pieces[0].repeat(n)}${attack}`));
      }
      const underscores = /^_+|(?<!_)_+$/g;
      written('service/scaffold.ts', underscores);
      agree(
        ['_', 'a', '__'],
        (t) => t.replace(underscores, ''),
        (t) => t.replace(/^_+|_+$/g, ''),
      );
      fast((n) => `a${'_'.repeat(n)}b`.replace(underscores, ''));
      agree(
        ['a', ' ', '  ', ';', ',', ', ', 'and', ' and ', 'x', '/', ' / '],
        (t) => t.split(PART_SEPARATOR),
        (t) => t.split(/\s*;\s*|,\s+|\s+and\s+|\s+\/\s+/i),
      );
      fast((n) => `a${' '.repeat(n)}x`.split(PART_SEPARATOR));
    });
  });
});
