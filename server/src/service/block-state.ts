/**
 * markdown-it's block state with its line tables built by searching for line ends instead of reading every
 * character (performance only). markdown-it's `StateBlock` constructor walks the whole text character by
 * character to find where each line begins and ends and how far it is indented; that walk was a sixth of
 * markdown-it's time on the benchmark workspace. This one reads the indentation at the start of each line
 * and finds its end with `indexOf`: the same tables (test/unit/fast-paths-model.test.ts holds it to
 * markdown-it's), so the same tokens.
 */
import type MarkdownIt from 'markdown-it';

type StateBlock = MarkdownIt.StateBlock;
type StateBlockClass = MarkdownIt['block']['State'];

/**
 * Fills `state`'s fields as markdown-it's `StateBlock` constructor does, in the same order. A line is
 * pushed with its start, end (its `\n`, or the end of the text), indentation in characters (`tShift`) and
 * in columns (`sCount`, a tab to the next multiple of 4); a last line without a `\n` that holds only spaces
 * and tabs is not a line (markdown-it's walk never reaches its end test there); then the end of the text
 * as the line after the last.
 */
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

function initState(state: StateBlock, src: string, md: MarkdownIt, env: unknown, tokens: StateBlock['tokens']): void {
  state.src = src;
  state.md = md;
  state.env = env;
  state.tokens = tokens;
  const bMarks: number[] = (state.bMarks = []);
  const eMarks: number[] = (state.eMarks = []);
  const tShift: number[] = (state.tShift = []);
  const sCount: number[] = (state.sCount = []);
  const bsCount: number[] = (state.bsCount = []);
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
  while (start < len) {
    let pos = start;
    let offset = 0;
    for (; pos < len; pos++) {
      const ch = src.charCodeAt(pos);
      if (ch === 32) offset++;
      else if (ch === 9) offset += 4 - (offset % 4);
      else break;
    }
    // Only spaces and tabs up to the end of the text, no line end: markdown-it pushes no line for them.
    if (pos === len) break;
    let end = pos;
    if (src.charCodeAt(pos) !== 10) {
      end = src.indexOf('\n', pos + 1);
      if (end < 0) end = len;
    }
    bMarks.push(start);
    eMarks.push(end);
    tShift.push(pos - start);
    sCount.push(offset);
    bsCount.push(0);
    start = end + 1;
  }
  bMarks.push(len);
  eMarks.push(len);
  tShift.push(0);
  sCount.push(0);
  bsCount.push(0);
  state.lineMax = bMarks.length - 1;
  // The block parser tokenises from `state.line` (blank lines are skipped the same way).
  state.line = Math.min(startLine, state.lineMax);
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

/**
 * markdown-it's `paragraph` rule (14.x), the same lines and tokens, except that the paragraph's inline token
 * holds no content (performance only): markdown-it joins and trims each paragraph's lines into it for its
 * inline parser, which the engine has switched off, and the model never reads it (it reads headings' inline
 * content, set by the heading rules, and reads paragraphs from the document's lines).
 */
export function paragraphWithoutContent(state: StateBlock, startLine: number, endLine: number): boolean {
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
    let terminate = false;
    for (let i = 0, l = terminatorRules.length; i < l; i++) {
      if (terminatorRules[i](state, nextLine, endLine, true)) {
        terminate = true;
        break;
      }
    }
    if (terminate) break;
  }
  state.line = nextLine;
  const open = state.push('paragraph_open', 'p', 1);
  open.map = [startLine, state.line];
  const inline = state.push('inline', '', 0);
  inline.content = '';
  inline.map = [startLine, state.line];
  inline.children = [];
  state.push('paragraph_close', 'p', -1);
  state.parentType = oldParentType;
  return true;
}

/** Puts `paragraphWithoutContent` in place of markdown-it's `paragraph` rule of `md` (the last rule, interrupting none). */
export function useParagraphWithoutContent(md: MarkdownIt): void {
  md.block.ruler.at('paragraph', paragraphWithoutContent);
}
