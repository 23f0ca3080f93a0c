/**
 * How the engine's markdown-it parses blocks (performance only; test/unit/fast-paths-model.test.ts holds each
 * piece to markdown-it's own on generated and edge-case text):
 *
 * - its block state's line tables built by searching for line ends instead of reading every character
 *   (markdown-it's `StateBlock` constructor walked the whole text character by character: a sixth of its time
 *   on the benchmark workspace), the same tables, so the same tokens;
 * - a parse that starts at a given line (`parseFromLine`): the front matter above it needs no blanked copy of
 *   the text;
 * - the paragraph and table rules without the tokens the model never reads (paragraphs', and table cells'):
 *   the same lines and every other token as markdown-it's. A third of all tokens went.
 */
import type MarkdownIt from 'markdown-it';
import { numberTable } from './tables';

type StateBlock = MarkdownIt.StateBlock;
type StateBlockClass = MarkdownIt['block']['State'];

/** The line the next block parse starts on (see `parseFromLine`); 0 outside it. */
let startLine = 0;

/**
 * `md.parse(src, {})` (`md` using `useFastBlockState`) with the lines before `from` read as blank: the tokens
 * of a text whose first `from` lines are empty and the rest `src`'s (performance only: the engine's body
 * text, its front matter lines blanked, was a copy of each document's text). No block rule reads a line
 * above the one it starts on.
 */
export function parseFromLine(md: MarkdownIt, src: string, from: number): ReturnType<MarkdownIt['parse']> {
  startLine = from;
  try {
    return md.parse(src, {});
  } finally {
    startLine = 0;
  }
}

/**
 * Fills `state`'s fields as markdown-it's `StateBlock` constructor does, in the same order. A line is
 * written with its start, end (its `\n`, or the end of the text), indentation in characters (`tShift`) and
 * in columns (`sCount`, a tab to the next multiple of 4); a last line without a `\n` that holds only spaces
 * and tabs is not a line (markdown-it's walk never reaches its end test there); then the end of the text
 * as the line after the last.
 *
 * The tables are made at their size, counted first, not grown by `push` as markdown-it grows them (performance
 * only: an array grown past some 16,000 entries is copied in V8's large-object space at each growth, and a
 * document of 128,000 lines took eight times as long a line to parse as one of 4,000); past LARGE_TABLE lines
 * they are typed arrays, which V8 allocates outside its heap (markdown-it's rules only read and write their
 * entries by index).
 */
function initState(state: StateBlock, src: string, md: MarkdownIt, env: unknown, tokens: StateBlock['tokens']): void {
  state.src = src;
  state.md = md;
  state.env = env;
  state.tokens = tokens;
  const size = lineCount(src) + 1;
  const bMarks = (state.bMarks = table(size));
  const eMarks = (state.eMarks = table(size));
  const tShift = (state.tShift = table(size));
  const sCount = (state.sCount = table(size));
  const bsCount = (state.bsCount = table(size));
  state.blkIndent = 0;
  state.line = 0;
  state.lineMax = 0;
  state.tight = false;
  state.ddIndent = -1;
  state.listIndent = -1;
  state.parentType = 'root';
  state.level = 0;
  const len = src.length;
  let start = 0;
  let line = 0;
  while (start < len) {
    let pos = start;
    let offset = 0;
    for (; pos < len; pos++) {
      const ch = src.charCodeAt(pos);
      if (ch === 32) offset++;
      else if (ch === 9) offset += 4 - (offset % 4);
      else break;
    }
    // Only spaces and tabs up to the end of the text, no line end: markdown-it makes no line of them.
    if (pos === len) break;
    let end = pos;
    if (src.charCodeAt(pos) !== 10) {
      end = src.indexOf('\n', pos + 1);
      if (end < 0) end = len;
    }
    bMarks[line] = start;
    eMarks[line] = end;
    tShift[line] = pos - start;
    sCount[line] = offset;
    bsCount[line] = 0;
    line++;
    start = end + 1;
  }
  bMarks[line] = len;
  eMarks[line] = len;
  tShift[line] = 0;
  sCount[line] = 0;
  bsCount[line] = 0;
  state.lineMax = line;
  // The block parser tokenises from `state.line` (blank lines are skipped the same way).
  state.line = Math.min(startLine, state.lineMax);
}

/**
 * Past this many lines, a block state's line tables are typed arrays (later than numberTable's own bound: markdown-it's
 * rules, which read them, then see one kind of array for all but very large documents).
 */
export const LARGE_TABLE = 8192;

/** A line table of `size` entries (see numberTable). */
function table(size: number): number[] {
  return numberTable(size, LARGE_TABLE + 1);
}

/**
 * The number of lines `initState` makes of `src` (without the one after the last): one for each `\n`, and one for
 * a last line without a `\n` that holds something other than spaces and tabs.
 */
function lineCount(src: string): number {
  let count = 0;
  let last = -1;
  for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) {
    count++;
    last = i;
  }
  for (let i = last + 1; i < src.length; i++) {
    const ch = src.charCodeAt(i);
    if (ch !== 32 && ch !== 9) return count + 1;
  }
  return count;
}

/** Makes `md`'s block parser build its state with `initState` (its methods stay markdown-it's). */
export function useFastBlockState(md: MarkdownIt): void {
  const Base = md.block.State;
  const FastState = function (this: StateBlock, src: string, m: MarkdownIt, env: unknown, tokens: StateBlock['tokens']) {
    initState(this, src, m, env, tokens);
  } as unknown as StateBlockClass;
  FastState.prototype = Base.prototype;
  md.block.State = FastState;
}

type BlockRule = ReturnType<MarkdownIt['block']['ruler']['getRules']>[number];

/** Whether one of `rules` (a rule's terminators) would start a block at `line`, tried in silent mode as markdown-it does. */
function terminates(rules: readonly BlockRule[], state: StateBlock, line: number, endLine: number): boolean {
  for (let i = 0, l = rules.length; i < l; i++) if (rules[i](state, line, endLine, true)) return true;
  return false;
}

/**
 * markdown-it's `paragraph` rule (14.x): the same lines, but no tokens (performance only: a third of the
 * tokens of the engine's documents were paragraphs' open, inline and close tokens, which the model never reads;
 * it reads paragraphs from the document's lines). Other tokens do not change: a paragraph's tokens leave the
 * nesting level as it was, and the list rule's marking of tight paragraphs only marks paragraph tokens.
 */
export function paragraphWithoutTokens(state: StateBlock, startLine: number, endLine: number): boolean {
  const terminatorRules = state.md.block.ruler.getRules('paragraph');
  const oldParentType = state.parentType;
  let nextLine = startLine + 1;
  state.parentType = 'paragraph';
  // Up to a blank line or a line that another block rule may start on (as markdown-it).
  for (; nextLine < endLine && !state.isEmpty(nextLine); nextLine++) {
    // Indented four columns or more: a lazy continuation line, not a code block.
    if (state.sCount[nextLine] - state.blkIndent > 3) continue;
    // Negative indentation (blockquote internals): no terminator is tried.
    if (state.sCount[nextLine] < 0) continue;
    if (terminates(terminatorRules, state, nextLine, endLine)) break;
  }
  state.line = nextLine;
  state.parentType = oldParentType;
  return true;
}

/** Puts `paragraphWithoutTokens` in place of markdown-it's `paragraph` rule of `md` (the last rule, interrupting none). */
export function useParagraphWithoutTokens(md: MarkdownIt): void {
  md.block.ruler.at('paragraph', paragraphWithoutTokens);
}

/** markdown-it's limit on the empty cells a table's short rows add (its `MAX_AUTOCOMPLETED_CELLS`). */
const MAX_AUTOCOMPLETED_CELLS = 65536;

/** markdown-it's `getLine` of the table rule: line `line` without its indentation. */
function lineText(state: StateBlock, line: number): string {
  return state.src.slice(state.bMarks[line] + state.tShift[line], state.eMarks[line]);
}

/**
 * How many cells markdown-it's table rule reads in a trimmed row: the parts `escapedSplit` makes (split at
 * each `|` not right after a backslash), less an empty first and an empty last one, without making them.
 */
export function rowCellCount(text: string): number {
  if (text.length === 0) return 0;
  let n = 1;
  for (let i = text.indexOf('|'); i >= 0; i = text.indexOf('|', i + 1)) if (text.charCodeAt(i - 1) !== 92) n++;
  // An empty first part: the row starts with `|`; an empty last one (of those left): it ends with a `|` not escaped.
  if (text.charCodeAt(0) === 124) n--;
  if (n > 0 && text.length > 0 && text.charCodeAt(text.length - 1) === 124 && (text.length === 1 || text.charCodeAt(text.length - 2) !== 92)) n--;
  return n;
}

/**
 * markdown-it's `table` rule (14.x): the same lines and the same table, head, body and row tokens, without the
 * cells' tokens (`th`/`td` and their inline content; performance only: the model reads a table's rows from the
 * document's lines, as markdown-it (GFM) splits them, and its rows' lines from the row tokens).
 */
export function tableWithoutCells(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (startLine + 2 > endLine) return false;
  let nextLine = startLine + 1;
  if (state.sCount[nextLine] < state.blkIndent) return false;
  if (state.sCount[nextLine] - state.blkIndent >= 4) return false;
  let pos = state.bMarks[nextLine] + state.tShift[nextLine];
  if (pos >= state.eMarks[nextLine]) return false;
  const firstCh = state.src.charCodeAt(pos++);
  if (firstCh !== 124 && firstCh !== 45 && firstCh !== 58) return false;
  if (pos >= state.eMarks[nextLine]) return false;
  const secondCh = state.src.charCodeAt(pos++);
  if (secondCh !== 124 && secondCh !== 45 && secondCh !== 58 && !isSpaceOrTab(secondCh)) return false;
  if (firstCh === 45 && isSpaceOrTab(secondCh)) return false;
  while (pos < state.eMarks[nextLine]) {
    const ch = state.src.charCodeAt(pos);
    if (ch !== 124 && ch !== 45 && ch !== 58 && !isSpaceOrTab(ch)) return false;
    pos++;
  }
  // The delimiter row: `:?-+:?` between its pipes, an empty part only first or last.
  const delimiters = lineText(state, startLine + 1).split('|');
  let alignCount = 0;
  for (let i = 0; i < delimiters.length; i++) {
    const t = delimiters[i].trim();
    if (!t) {
      if (i === 0 || i === delimiters.length - 1) continue;
      return false;
    }
    if (!DELIMITER.test(t)) return false;
    alignCount++;
  }
  const head = lineText(state, startLine).trim();
  if (head.indexOf('|') === -1) return false;
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const columnCount = rowCellCount(head);
  if (columnCount === 0 || columnCount !== alignCount) return false;
  if (silent) return true;
  const oldParentType = state.parentType;
  state.parentType = 'table' as StateBlock['parentType'];
  const terminatorRules = state.md.block.ruler.getRules('blockquote');
  const tableOpen = state.push('table_open', 'table', 1);
  const tableLines: [number, number] = [startLine, 0];
  tableOpen.map = tableLines;
  state.push('thead_open', 'thead', 1).map = [startLine, startLine + 1];
  state.push('tr_open', 'tr', 1).map = [startLine, startLine + 1];
  state.push('tr_close', 'tr', -1);
  state.push('thead_close', 'thead', -1);
  let tbodyLines: [number, number] | undefined;
  let autocompletedCells = 0;
  for (nextLine = startLine + 2; nextLine < endLine; nextLine++) {
    if (state.sCount[nextLine] < state.blkIndent) break;
    if (terminates(terminatorRules, state, nextLine, endLine)) break;
    const row = lineText(state, nextLine).trim();
    if (!row) break;
    if (state.sCount[nextLine] - state.blkIndent >= 4) break;
    autocompletedCells += columnCount - rowCellCount(row);
    if (autocompletedCells > MAX_AUTOCOMPLETED_CELLS) break;
    if (nextLine === startLine + 2) state.push('tbody_open', 'tbody', 1).map = tbodyLines = [startLine + 2, 0];
    state.push('tr_open', 'tr', 1).map = [nextLine, nextLine + 1];
    state.push('tr_close', 'tr', -1);
  }
  if (tbodyLines) {
    state.push('tbody_close', 'tbody', -1);
    tbodyLines[1] = nextLine;
  }
  state.push('table_close', 'table', -1);
  tableLines[1] = nextLine;
  state.parentType = oldParentType;
  state.line = nextLine;
  return true;
}

const DELIMITER = /^:?-+:?$/;

/** markdown-it's `isSpace`: a space or a tab. */
function isSpaceOrTab(c: number): boolean {
  return c === 32 || c === 9;
}

/** Puts `tableWithoutCells` in place of markdown-it's `table` rule of `md` (same place, same rules it may interrupt). */
export function useTableWithoutCells(md: MarkdownIt): void {
  md.block.ruler.at('table', tableWithoutCells, { alt: ['paragraph', 'reference'] });
}
