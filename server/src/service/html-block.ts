/**
 * CommonMark's HTML blocks for markdown-it, in place of its `html_block` rule: the same seven kinds, starts,
 * ends and tokens, but the seventh kind (a whole open or close tag alone on its line, `<my-note class="x">`)
 * is recognised by `htmlTagLength`, in one pass. markdown-it tests it with a regular expression that
 * backtracks over white space outside ASCII in an attribute (a line `<a b=` and 3,000 no-break spaces took
 * 22 s to parse, and the time grows faster than the line).
 */
import type MarkdownIt from 'markdown-it';
import { isSpaceCode } from './text-scan';

/**
 * The length of markdown-it's HTML open or close tag (`HTML_OPEN_CLOSE_TAG_RE`) at `src[i]`, read no further
 * than `to`; 0 when none is there. A `<!--` inside one is no comment. Read in one pass: the expression,
 * `/^(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[a-zA-Z_:][a-zA-Z0-9:._-]*(?:\s*=\s*(?:[^"'=<>`\x00-\x20]+|'[^']*'|"[^"]*"))?)*\s*\/?>|<\/[A-Za-z][A-Za-z0-9-]*\s*>)/`,
 * backtracks exponentially over white space outside ASCII (`\u00a0`), which both `\s` and an unquoted value
 * match. At most one prefix matches it (a `>` outside quotes ends a tag), so where the white space goes is
 * chosen once: an unquoted value ends where the white space before a following attribute starts.
 */
export function htmlTagLength(src: string, i: number, to: number): number {
  const at = (x: number) => (x < to ? src.charCodeAt(x) : -1);
  const letter = (c: number) => (c | 0x20) >= 97 && (c | 0x20) <= 122;
  const tagChar = (c: number) => letter(c) || (c >= 48 && c <= 57) || c === 45;
  const nameStart = (c: number) => letter(c) || c === 95 || c === 58;
  const nameChar = (c: number) => nameStart(c) || (c >= 48 && c <= 57) || c === 46 || c === 45;
  // `[^"'=<>\`\x00-\x20]`
  const valueChar = (c: number) => c > 32 && c !== 34 && c !== 39 && c !== 61 && c !== 60 && c !== 62 && c !== 96;
  const skipSpace = (x: number) => {
    while (x < to && isSpaceCode(src.charCodeAt(x))) x++;
    return x;
  };
  // Whether white space outside ASCII (an unquoted value on its own) is in `src[from, until)`.
  const wideSpaceIn = (from: number, until: number) => {
    for (let x = from; x < until; x++) if (src.charCodeAt(x) > 32) return true;
    return false;
  };
  let p = i + 1;
  if (at(i) !== 60) return 0;
  if (at(p) === 47) {
    if (!letter(at(p + 1))) return 0;
    p += 2;
    while (tagChar(at(p))) p++;
    p = skipSpace(p);
    return at(p) === 62 ? p + 1 - i : 0;
  }
  if (!letter(at(p))) return 0;
  p++;
  while (tagChar(at(p))) p++;
  // After the tag name or an attribute.
  for (;;) {
    const q = skipSpace(p);
    if (at(q) === 62) return q + 1 - i;
    if (at(q) === 47 && at(q + 1) === 62) return q + 2 - i;
    if (q === p || !nameStart(at(q))) return 0;
    let n = q + 1;
    while (nameChar(at(n))) n++;
    let e = skipSpace(n);
    if (at(e) !== 61) {
      // No value.
      p = n;
      continue;
    }
    // A value after `=`: quoted, unquoted, or (the white space after `=` being all there is) a space outside ASCII.
    for (;;) {
      const v = e + 1;
      const w = skipSpace(v);
      const c = at(w);
      if (c === 34 || c === 39) {
        const close = src.indexOf(String.fromCharCode(c), w + 1);
        if (close < 0 || close >= to) return 0;
        p = close + 1;
        break;
      }
      if (!valueChar(c)) {
        if (!wideSpaceIn(v, w)) return 0;
        p = w;
        break;
      }
      let r = w;
      while (valueChar(at(r))) r++;
      // White space that ends the value may start what follows it.
      let t = r;
      while (t > w && isSpaceCode(src.charCodeAt(t - 1))) t--;
      e = skipSpace(t);
      if (at(e) !== 61) {
        p = t;
        break;
      }
      // `=` after it: the value ends before the name of the next attribute, which ends it.
      let k = t;
      while (k > w && nameChar(src.charCodeAt(k - 1))) k--;
      if (k === t || !nameStart(src.charCodeAt(k))) return 0;
      if (k > w ? !isSpaceCode(src.charCodeAt(k - 1)) : !wideSpaceIn(v, w - 1)) return 0;
    }
  }
}

/** The tag names of CommonMark's sixth kind of HTML block (the specification's list, as markdown-it has it). */
const BLOCK_NAMES = [
  'address', 'article', 'aside', 'base', 'basefont', 'blockquote', 'body', 'caption', 'center', 'col', 'colgroup', 'dd',
  'details', 'dialog', 'dir', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'frame', 'frameset',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'head', 'header', 'hr', 'html', 'iframe', 'legend', 'li', 'link', 'main', 'menu',
  'menuitem', 'nav', 'noframes', 'ol', 'optgroup', 'option', 'p', 'param', 'search', 'section', 'summary', 'table', 'tbody',
  'td', 'tfoot', 'th', 'thead', 'title', 'tr', 'track', 'ul',
]; // prettier-ignore

/** Whether a line is one open or close tag and white space: the seventh kind's start. */
function isTagLine(line: string): boolean {
  const n = htmlTagLength(line, 0, line.length);
  if (n === 0) return false;
  for (let i = n; i < line.length; i++) if (!isSpaceCode(line.charCodeAt(i))) return false;
  return true;
}

/** The sixth kind's start: a block-level tag's name (`<div`, `</table>`). */
const SIXTH = new RegExp('^</?(' + BLOCK_NAMES.join('|') + ')(?=(\\s|/?>|$))', 'i');

/**
 * Each kind: whether a line starts it, the end it waits for (a line that matches; `/^$/`: a blank line), and
 * whether it may interrupt a paragraph.
 */
const KINDS: [(line: string) => boolean, RegExp, boolean][] = [
  [(l) => /^<(script|pre|style|textarea)(?=(\s|>|$))/i.test(l), /<\/(script|pre|style|textarea)>/i, true],
  [(l) => l.startsWith('<!--'), /-->/, true],
  [(l) => l.startsWith('<?'), /\?>/, true],
  [(l) => /^<![A-Za-z]/.test(l), />/, true],
  [(l) => l.startsWith('<![CDATA['), /\]\]>/, true],
  [(l) => SIXTH.test(l), /^$/, true],
  [isTagLine, /^$/, false],
];

type StateBlock = MarkdownIt.StateBlock;

/** The rule (markdown-it's `html_block`, the seventh kind's start read in one pass). */
export function htmlBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  let pos = state.bMarks[startLine] + state.tShift[startLine];
  let max = state.eMarks[startLine];
  // Indented four columns or more: a code block.
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  if (!state.md.options.html) return false;
  if (state.src.charCodeAt(pos) !== 0x3c /* < */) return false;
  let lineText = state.src.slice(pos, max);
  const kind = KINDS.find(([starts]) => starts(lineText));
  if (!kind) return false;
  // Asked whether it may end a paragraph.
  if (silent) return kind[2];
  const end = kind[1];
  // Only the sixth and seventh kinds end at a blank line: for the others (a comment in a list item), an outdented
  // blank line is content, and the block goes on to its closing sequence.
  const endsOnBlankLine = end.test('');
  let nextLine = startLine + 1;
  if (!end.test(lineText)) {
    for (; nextLine < endLine; nextLine++) {
      if (state.sCount[nextLine] < state.blkIndent && (endsOnBlankLine || !state.isEmpty(nextLine))) break;
      pos = state.bMarks[nextLine] + state.tShift[nextLine];
      max = state.eMarks[nextLine];
      lineText = state.src.slice(pos, max);
      if (end.test(lineText)) {
        if (lineText.length !== 0) nextLine++;
        break;
      }
    }
  }
  state.line = nextLine;
  const token = state.push('html_block', '', 0);
  token.map = [startLine, nextLine];
  token.content = state.getLines(startLine, nextLine, state.blkIndent, true);
  return true;
}

/** Puts `htmlBlock` in place of markdown-it's `html_block` rule of `md` (same place, same rules it may interrupt). */
export function useLinearHtmlBlock(md: MarkdownIt): void {
  md.block.ruler.at('html_block', htmlBlock, { alt: ['paragraph', 'reference', 'blockquote'] });
}
