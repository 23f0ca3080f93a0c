/**
 * Minimal edits for the phase fixes: append lines at the end of a section, insert a
 * missing section in template order, merge insertions at one position. Never deletes
 * text; writes the document's own line ending.
 */
import { MAX_PARSE_BYTES, ParsedDocument, Section, headingText, parseDocument, sectionByTitle } from '../markdown';
import { TextEdit, comparePositions, range } from '../types';

export interface Insertion {
  line: number;
  character: number;
  text: string;
  /** A new section (1) goes after text appended to the section already ending there (0). */
  rank?: number;
}

/**
 * Whether inserted text would land inside code or an HTML block left open (an unclosed
 * fence or comment runs to the end of the file): then it would not be Markdown at all,
 * and the fix is not offered.
 */
export function landsInCode(doc: ParsedDocument, ins: Insertion): boolean {
  // Only the part of the document between the top-level headings around the insertion is parsed again
  // (a fix is asked for each problem: parsing the whole document each time made fixing thousands of
  // them take minutes). Before an ATX heading at the start of a line no block is open (one would hold the
  // line), so what follows reads the same without the lines above; whether a line is code depends on the
  // lines above it only (a fence or comment left open runs to the end either way), so the lines after
  // the next such heading change nothing. A document near the size not parsed is parsed whole, as before.
  const [from, partEnd] = doc.text.length + ins.text.length < MAX_PARSE_BYTES ? partAround(doc, ins) : [0, doc.lines.length];
  // A part from the first line that opens front matter: where it closes may move with the insertion (one into
  // its closing `---` moves it down, past the part's end), and whether it is front matter decides what is code
  // below it; so the rest of the document is read too.
  const to = from === 0 && (doc.lines[0] ?? '').startsWith('---') ? doc.lines.length : partEnd;
  const lines = doc.lines.slice(from, Math.max(to, ins.line + 1));
  const at = ins.line - from;
  const src = lines[at] ?? '';
  lines[at] = src.slice(0, ins.character) + ins.text.replace(/\r\n?/g, '\n') + src.slice(ins.character);
  const after = parseDocument(lines.join('\n'));
  const added = ins.text.split(/\r\n|\r|\n/);
  for (let k = 0; k < added.length; k++) {
    if (added[k].trim() !== '' && after.codeLines.has(at + k)) return true;
  }
  return false;
}

const headingStarts = new WeakMap<ParsedDocument, number[]>();

/** The lines of the document's ATX headings that start at the line's first column (so outside any container or block), in order. */
function topHeadingLines(doc: ParsedDocument): number[] {
  let out = headingStarts.get(doc);
  if (!out) {
    out = doc.headings.filter((h) => h.line === h.endLine && (doc.lines[h.line] ?? '').startsWith('#')).map((h) => h.line);
    headingStarts.set(doc, out);
  }
  return out;
}

/**
 * The lines [from, to) to parse for an insertion: from the last top-level heading before it (or the one
 * it is appended to the end of; else the start), to the first after it (else the end).
 */
function partAround(doc: ParsedDocument, ins: Insertion): [number, number] {
  const starts = topHeadingLines(doc);
  // The first heading after the insertion's line, by halves.
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid] <= ins.line) lo = mid + 1;
    else hi = mid;
  }
  const to = lo < starts.length ? starts[lo] : doc.lines.length;
  // A heading line the text is inserted into (not at its end) may read otherwise afterwards: from the one before.
  let k = lo - 1;
  if (k >= 0 && starts[k] === ins.line && ins.character < (doc.lines[ins.line] ?? '').length) k--;
  return [k >= 0 ? starts[k] : 0, to];
}

function checked(doc: ParsedDocument, ins: Insertion): Insertion | undefined {
  return landsInCode(doc, ins) ? undefined : ins;
}

/** The bullet the section's lists already use (`-` by default). */
export function bulletOf(doc: ParsedDocument, sec: Section | undefined): string {
  if (sec) {
    for (const it of doc.items) {
      if (it.line <= sec.heading.line || it.line >= sec.end || it.ordered) continue;
      const c = (doc.lines[it.line] ?? '').trimStart()[0];
      if (c === '-' || c === '*' || c === '+') return c;
    }
  }
  return '-';
}

/**
 * Appends `lines` at the end of the section's own body: right after its last list item (the
 * list continues), else after a blank line; right after the heading when the section is empty.
 * `block` lines (a table) always get a blank line before them.
 */
export function appendToSection(doc: ParsedDocument, sec: Section, lines: string[], block = false): Insertion | undefined {
  const eol = doc.eol;
  let last = -1;
  for (let l = sec.ownEnd - 1; l >= sec.bodyStart; l--) {
    if ((doc.lines[l] ?? '').trim() !== '') {
      last = l;
      break;
    }
  }
  const body = lines.join(eol);
  if (last < 0) {
    const h = sec.heading.line;
    const next = doc.lines[h + 1];
    if (next === undefined || next.trim() !== '') {
      // Heading on the last line, or directly followed by the next heading.
      return checked(doc, { line: h, character: (doc.lines[h] ?? '').length, text: eol + eol + body + (next === undefined ? '' : eol) });
    }
    // Into the blank line after the heading, keeping the blank lines that follow.
    const after = doc.lines[h + 2];
    const tail = after === undefined ? eol : after.trim() !== '' ? eol : '';
    return checked(doc, { line: h + 1, character: 0, text: eol + body + tail });
  }
  const inList = !block && !doc.codeLines.has(last) && doc.items.some((it) => it.line <= last && last <= it.endLine);
  return checked(doc, { line: last, character: (doc.lines[last] ?? '').length, text: (inList ? eol : eol + eol) + body });
}

/**
 * Inserts a missing `## title` section holding `body`, before the first section that follows
 * it in `order` (template order), else at the end of the document.
 */
export function insertSection(doc: ParsedDocument, title: string, body: string[], order: string[], level = 2): Insertion | undefined {
  const eol = doc.eol;
  const head = `${'#'.repeat(level)} ${headingText(title)}`;
  const text = [head, '', ...body].join(eol);
  const i = order.findIndex((t) => t.toLowerCase() === title.toLowerCase());
  for (const t of i >= 0 ? order.slice(i + 1) : []) {
    const s = sectionByTitle(doc, t);
    if (s && s.level <= level) return checked(doc, { line: s.heading.line, character: 0, text: text + eol + eol, rank: 1 });
  }
  const lastLine = doc.lines.length - 1;
  if (lastLine >= 0 && doc.lines[lastLine] === '') {
    const before = lastLine === 0 || (doc.lines[lastLine - 1] ?? '').trim() === '' ? '' : eol;
    return checked(doc, { line: lastLine, character: 0, text: before + text + eol, rank: 1 });
  }
  return checked(doc, { line: lastLine, character: (doc.lines[lastLine] ?? '').length, text: eol + eol + text + eol, rank: 1 });
}

/** Insertions as text edits; several at one position become one edit, in the order given, a blank line between sections. */
export function mergeInsertions(all: (Insertion | undefined)[], eol: string): TextEdit[] {
  // Stable: appends before new sections at one position, otherwise in the order given.
  const ins = all.filter((x): x is Insertion => x !== undefined).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  const byPos = new Map<string, Insertion>();
  const order: Insertion[] = [];
  for (const x of ins) {
    const key = `${x.line}:${x.character}`;
    const have = byPos.get(key);
    if (!have) {
      const copy = { ...x };
      byPos.set(key, copy);
      order.push(copy);
      continue;
    }
    const needsBlank = have.text.endsWith(eol) && !have.text.endsWith(eol + eol) && /^#{1,6} /.test(x.text);
    have.text += (needsBlank ? eol : '') + x.text;
  }
  return order
    .sort((a, b) => comparePositions({ line: a.line, character: a.character }, { line: b.line, character: b.character }))
    .map((x) => ({ range: range(x.line, x.character, x.line, x.character), newText: x.text }));
}
