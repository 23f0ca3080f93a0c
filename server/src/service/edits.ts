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
  // Where each line starts, summed once (not over the lines before it for each edit: fix-all of thousands of problems took seconds).
  const starts: number[] = [];
  let at = 0;
  for (const l of lines) {
    starts.push(at);
    at += l.length;
  }
  const offsetOf = (line: number, ch: number) => {
    if (line >= lines.length) return text.length;
    const content = lines[line].replace(/(\r\n|\n|\r)$/, '');
    return starts[line] + Math.min(ch, content.length);
  };
  // From the end back, so that the offsets of the text given stay true: at one start, the longer range
  // first (a deletion before an insertion there), and the later of two insertions first.
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => comparePositions(b.e.range.start, a.e.range.start) || comparePositions(b.e.range.end, a.e.range.end) || b.i - a.i)
    .map((x) => x.e);
  const spans = sorted.map((e) => [offsetOf(e.range.start.line, e.range.start.character), offsetOf(e.range.end.line, e.range.end.character)]);
  // Edits that do not overlap (as they must not): the text between them and their new texts, joined once
  // (the text was copied again for each edit); the same as applying them one by one from the end.
  if (spans.every(([, t], k) => k === 0 || t <= spans[k - 1][0])) {
    const parts: string[] = [];
    let end = text.length;
    spans.forEach(([s, t], k) => {
      parts.push(text.slice(t, end), sorted[k].newText);
      end = s;
    });
    parts.push(text.slice(0, end));
    return parts.reverse().join('');
  }
  let out = text;
  spans.forEach(([s, t], k) => {
    out = out.slice(0, s) + sorted[k].newText + out.slice(t);
  });
  return out;
}
