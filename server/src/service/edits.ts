/** Text edits applied to a string, as an editor applies them. */
import type { TextEdit } from './types';
import { comparePositions } from './types';

/** Applies text edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split(/(?<=\r\n|\n|\r(?!\n))/);
  const offsetOf = (line: number, ch: number) => {
    let off = 0;
    for (let i = 0; i < line && i < lines.length; i++) off += lines[i].length;
    if (line >= lines.length) return text.length;
    const content = lines[line].replace(/(\r\n|\n|\r)$/, '');
    return off + Math.min(ch, content.length);
  };
  const sorted = [...edits].sort((a, b) => comparePositions(b.range.start, a.range.start));
  let out = text;
  for (const e of sorted) {
    const s = offsetOf(e.range.start.line, e.range.start.character);
    const t = offsetOf(e.range.end.line, e.range.end.character);
    out = out.slice(0, s) + e.newText + out.slice(t);
  }
  return out;
}
