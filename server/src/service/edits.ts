/** Text edits applied to a string, as an editor applies them. */
import type { TextEdit } from './types';
import { comparePositions } from './types';

/**
 * Applies text edits to a text (edits must not overlap), as LSP defines it: every range is of the text
 * given, an insertion at the start of a replaced range goes before what replaces it, and insertions at one
 * place go in the order given.
 */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split(/(?<=\r\n|\n|\r(?!\n))/);
  const offsetOf = (line: number, ch: number) => {
    let off = 0;
    for (let i = 0; i < line && i < lines.length; i++) off += lines[i].length;
    if (line >= lines.length) return text.length;
    const content = lines[line].replace(/(\r\n|\n|\r)$/, '');
    return off + Math.min(ch, content.length);
  };
  // From the end back, so that the offsets of the text given stay true: at one start, the longer range
  // first (a deletion before an insertion there), and the later of two insertions first.
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => comparePositions(b.e.range.start, a.e.range.start) || comparePositions(b.e.range.end, a.e.range.end) || b.i - a.i)
    .map((x) => x.e);
  let out = text;
  for (const e of sorted) {
    const s = offsetOf(e.range.start.line, e.range.start.character);
    const t = offsetOf(e.range.end.line, e.range.end.character);
    out = out.slice(0, s) + e.newText + out.slice(t);
  }
  return out;
}
