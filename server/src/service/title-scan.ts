/**
 * The heading that titles a document (`titleHeading`), read from its text without parsing it: for the phase tree's phases
 * not checked yet, whose brief or prompt is not parsed, so that they show the title they will show once checked.
 *
 * A scan of the first lines only, as far as it can tell what markdown-it reads: front matter, blank lines, ATX headings,
 * fenced code and HTML comment blocks. Anything else before the document's first `#` heading (a paragraph, a list, a
 * quote, a table, indented code, a tab in the indentation, a carriage return alone) ends the scan without an answer,
 * and the caller reads the title otherwise. test/unit/title-scan.test.ts holds the answers to the parsed document's.
 */
import { MAX_PARSE_BYTES, headingContentText } from './markdown';

/** What a document's title is read from, as its parsed model holds it. */
export interface ScannedTitle {
  /** The text of its first `#` heading, undefined when it has none. */
  h1: string | undefined;
  /** Without a `#` heading: the texts of its headings (of levels 2 to 6), in order. */
  headings: string[];
  /** The raw YAML of its closed front matter (`doc.frontMatter.raw`), undefined when it has none. */
  frontMatter: string | undefined;
}

/** A line of `text` from `at` (its end, not counting a `\r` before `\n`), or undefined when it holds a `\r` or NUL otherwise. */
interface Line {
  text: string;
  next: number;
}

function lineAt(text: string, at: number): Line | undefined {
  let nl = text.indexOf('\n', at);
  if (nl < 0) nl = text.length;
  let end = nl;
  if (end > at && text.charCodeAt(end - 1) === 13) end--;
  const line = text.slice(at, end);
  // A carriage return alone ends a line where a split at `\n` does not; NUL is read as U+FFFD: neither is worth the scan.
  if (line.includes('\r') || line.includes('\0')) return undefined;
  return { text: line, next: nl + 1 };
}

/** Whether `text[from, to)` holds a carriage return not followed by a line feed. */
function loneCarriageReturn(text: string, from: number, to: number): boolean {
  for (let i = text.indexOf('\r', from); i >= 0 && i < to; i = text.indexOf('\r', i + 1)) if (text.charCodeAt(i + 1) !== 10) return true;
  return false;
}

/** Only spaces and tabs (markdown-it's blank line). */
const BLANK = /^[ \t]*$/;
/** A line that holds one HTML comment and nothing else (as markdown.ts `misplacedFrontMatter` reads the lines above front matter). */
const COMMENT_LINE = /^\s*<!--(?:(?!-->).)*-->\s*$/;
/** A line that may start a table's delimiter row (which would make the line above it a table's header). */
const MAY_BE_DELIMITER = /^ {0,3}[|:-]/;

/**
 * The title heading and front matter of the document `text` (see ScannedTitle), or undefined when the scan cannot tell
 * them without parsing the document.
 */
export function scanTitle(text: string): ScannedTitle | undefined {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Too large to parse: the model has no headings (its title is its front matter's).
  if (text.length > MAX_PARSE_BYTES) return undefined;
  let at = 0;
  let line = lineAt(text, 0);
  if (!line) return undefined;
  let frontMatter: string | undefined;
  if (line.text.trimEnd() === '---') {
    // Front matter: up to the first `---` or `...` line; not closed, the document is read otherwise. Only a line that
    // starts with `-` or `.` can close it (performance only: the others are not cut out).
    const from = line.next;
    for (at = from; ;) {
      if (at > text.length) return undefined;
      let nl = text.indexOf('\n', at);
      if (nl < 0) nl = text.length;
      const c = text.charCodeAt(at);
      if (c === 45 || c === 46) {
        const t = text.slice(at, nl).trimEnd();
        if (t === '---' || t === '...') break;
      }
      at = nl + 1;
    }
    const raw = text.slice(from, Math.max(from, at - 1));
    // A carriage return alone would end a line of it: the lines would not be these (the first line has none, see lineAt).
    if (raw.includes('\r') && loneCarriageReturn(raw + '\n', 0, raw.length)) return undefined;
    frontMatter = raw.includes('\r') ? raw.replace(/\r$/, '').replace(/\r\n/g, '\n') : raw;
    at = text.indexOf('\n', at) + 1 || text.length + 1;
  } else if (line.text.trim() === '' || COMMENT_LINE.test(line.text)) {
    // Blank lines or comments above a `---`: front matter out of place, which the model sets aside.
    for (let l: Line | undefined = line; ;) {
      if (!l || l.text.trimEnd() === '---') return undefined;
      if (!(l.text.trim() === '' || COMMENT_LINE.test(l.text))) break;
      if (l.next > text.length) break;
      l = lineAt(text, l.next);
    }
  }
  /** The texts of the headings above the first `#` heading. */
  const headings: string[] = [];
  while (at <= text.length) {
    line = lineAt(text, at);
    if (!line) return undefined;
    at = line.next;
    const l = line.text;
    if (BLANK.test(l)) continue;
    let i = 0;
    while (i < 4 && l.charCodeAt(i) === 32) i++;
    // Indented code, or a tab whose width decides.
    if (i === 4 || l.charCodeAt(i) === 9) return undefined;
    // A line below that may make this one a table's header.
    const below = at <= text.length ? lineAt(text, at) : undefined;
    if (below && MAY_BE_DELIMITER.test(below.text)) return undefined;
    const c = l.charCodeAt(i);
    if (c === 35) {
      const level = atxLevel(l, i);
      if (level === 0) return undefined;
      const heading = headingContentText(atxContent(l, i + level));
      if (level === 1) return { h1: heading, headings: [], frontMatter };
      headings.push(heading);
    } else if (c === 96 || c === 126) {
      const end = fenceEnd(text, at, l, i);
      if (end === undefined) return undefined;
      at = end;
    } else if (l.startsWith('<!--', i)) {
      // An HTML block (a comment) up to the line that holds `-->`, this one too.
      if (!l.includes('-->', i)) {
        for (;;) {
          if (at > text.length) break;
          const h = lineAt(text, at);
          if (!h) return undefined;
          at = h.next;
          if (h.text.includes('-->')) break;
        }
      }
    } else {
      return undefined;
    }
  }
  // No `#` heading, and no paragraph: every heading of the document read.
  return { h1: undefined, headings, frontMatter };
}

/** The level of the ATX heading whose `#`s start at `i` in `l`, 0 when it is none (`#hashtag`, `#######`). */
function atxLevel(l: string, i: number): number {
  let h = 0;
  while (h < 7 && l.charCodeAt(i + h) === 35) h++;
  if (h > 6) return 0;
  const after = l.charCodeAt(i + h);
  return i + h >= l.length || after === 32 || after === 9 ? h : 0;
}

/** markdown-it's content of an ATX heading whose text starts at `pos`: without its closing `#`s, trimmed. */
function atxContent(l: string, pos: number): string {
  const isSpace = (c: number) => c === 32 || c === 9;
  let max = l.length;
  while (max > pos && isSpace(l.charCodeAt(max - 1))) max--;
  let tmp = max;
  while (tmp > pos && l.charCodeAt(tmp - 1) === 35) tmp--;
  if (tmp > pos && isSpace(l.charCodeAt(tmp - 1))) max = tmp;
  return l.slice(pos, max).trim();
}

/**
 * The offset after the fenced code block that line `l` opens at column `i` (its closing fence's line, or the text's
 * end), `next` the offset of the line after `l`; undefined when `l` opens none (it is a paragraph) or a line of the
 * block may close it or not as tabs decide.
 */
function fenceEnd(text: string, next: number, l: string, i: number): number | undefined {
  const c = l.charCodeAt(i);
  let n = 0;
  while (l.charCodeAt(i + n) === c) n++;
  if (n < 3) return undefined;
  // A backtick fence's info string holds no backtick.
  if (c === 96 && l.includes('`', i + n)) return undefined;
  let at = next;
  while (at <= text.length) {
    const line = lineAt(text, at);
    if (!line) return undefined;
    at = line.next;
    const s = line.text;
    let j = 0;
    while (j < s.length && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j++;
    if (s.charCodeAt(j) !== c) continue;
    if (s.slice(0, j).includes('\t')) return undefined;
    if (j > 3) continue;
    let m = 0;
    while (s.charCodeAt(j + m) === c) m++;
    if (m >= n && BLANK.test(s.slice(j + m))) return at;
  }
  return at;
}
