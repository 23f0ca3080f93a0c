/**
 * Sections written as bold labels, the way both seeds write a phase's parts: the audit seed's phase
 * definitions put `**Deliverables**:` on its own line above a list (`**Input**: Current codebase` with
 * its text on the line), the iAI seed's give each part as a list item, `- **Description:** text`,
 * `- **Key Activities (via iAI Prompt):** text`. A document written so has no heading for those parts;
 * the section lookups (rules/doc-util.ts) read such a label as the section when no heading names it.
 *
 * A label is bold text at the start of a line (indented less than four spaces, outside code, tables,
 * headings and list items) or of a list item without a checkbox, followed by a colon (inside or after
 * the bold), or alone on its line. A line label's section runs to the next line label or heading; an
 * item label's is the item, its nested items included. Labels are found when first asked for (most
 * documents head their sections) and remembered with the document's model.
 */
import type { Heading, ParsedDocument, Section } from './markdown';
import { normalizeTitle, replaceComments, sectionAt } from './markdown';
import { range } from './types';

/** A section headed by a bold label rather than a Markdown heading (see the file's comment). */
export interface LabelSection extends Section {
  readonly label: true;
  /** The text after the label on its line (`Current codebase` of `**Input**: Current codebase`), trimmed. */
  readonly inline: string;
}

export function isLabelSection(s: Section): s is LabelSection {
  return (s as Partial<LabelSection>).label === true;
}

/** A label's level: below any heading, so that nothing takes it for one of the outline's sections. */
const LABEL_LEVEL = 7;

/** Labels longer than this are bold sentences, not names of a part. */
const MAX_LABEL_LENGTH = 80;

const found = new WeakMap<ParsedDocument, LabelSection[]>();

/** The document's label sections, in document order. */
export function labelSections(doc: ParsedDocument): LabelSection[] {
  let out = found.get(doc);
  if (!out) found.set(doc, (out = collectLabels(doc)));
  return out;
}

/** Where a label's bold text is on a line, and where what follows it starts. */
interface LabelAt {
  title: string;
  /** Columns of the text between the bold markers. */
  from: number;
  to: number;
  /** The text after the label (after its colon), trimmed. */
  rest: string;
}

/**
 * The bold label that starts `src` at column `i`, if any: `**Name**:`, `**Name:**`, `__Name__:`, or the
 * bold text alone on the line (`**Deliverables**`). Not bold text that begins a sentence (`**Note** that …`).
 */
export function labelAt(src: string, i: number): LabelAt | undefined {
  const marker = src.startsWith('**', i) ? '**' : src.startsWith('__', i) ? '__' : undefined;
  if (!marker) return undefined;
  const close = src.indexOf(marker, i + 2);
  if (close < 0) return undefined;
  let title = src.slice(i + 2, close);
  // `**Name**` needs its text right inside the markers, as Markdown's bold does.
  if (title === '' || /^\s|\s$/.test(title)) return undefined;
  let after = close + 2;
  let colon = false;
  if (title.endsWith(':')) {
    colon = true;
    title = title.slice(0, -1).trimEnd();
  } else {
    while (src[after] === ' ' || src[after] === '\t') after++;
    if (src[after] === ':') {
      colon = true;
      after++;
    }
  }
  const rest = src.slice(after).trim();
  if (!colon && rest !== '') return undefined;
  if (title === '' || title.length > MAX_LABEL_LENGTH || title.includes(marker)) return undefined;
  return { title, from: i + 2, to: i + 2 + title.length, rest };
}

function collectLabels(doc: ParsedDocument): LabelSection[] {
  if (!doc.modelled) return [];
  const { lines } = doc;
  const out: LabelSection[] = [];
  // Lines that are no place for a line label: headings, tables, list items (their labels are the items').
  const taken = new Uint8Array(lines.length);
  for (const h of doc.headings) for (let l = h.line; l <= h.endLine; l++) taken[l] = 1;
  for (const t of doc.tables) for (let l = t.line; l <= t.endLine; l++) taken[l] = 1;
  for (const it of doc.items) for (let l = it.line; l <= it.endLine && l < lines.length; l++) taken[l] = 1;
  const headingStarts = doc.headings.map((h) => h.line);

  const lineLabels: { line: number; at: LabelAt }[] = [];
  const from = doc.frontMatter ? doc.frontMatter.endLine + 1 : 0;
  for (let l = from; l < lines.length; l++) {
    if (taken[l] || doc.codeLines.has(l)) continue;
    const src = lines[l];
    let i = 0;
    while (i < 3 && src[i] === ' ') i++;
    const c = src[i];
    if (c !== '*' && c !== '_') continue;
    const at = labelAt(src, i);
    if (at) lineLabels.push({ line: l, at });
  }
  let next = 0;
  lineLabels.forEach(({ line, at }, k) => {
    while (next < headingStarts.length && headingStarts[next] <= line) next++;
    const nextHeading = next < headingStarts.length ? headingStarts[next] : lines.length;
    const nextLabel = k + 1 < lineLabels.length ? lineLabels[k + 1].line : lines.length;
    out.push(makeLabel(doc, line, at, Math.min(nextHeading, nextLabel)));
  });

  for (const it of doc.items) {
    if (it.checked !== undefined) continue;
    const src = lines[it.line];
    const col = it.textRange.start.character;
    const at = labelAt(src, col);
    if (at) out.push(makeLabel(doc, it.line, at, Math.min(it.endLine + 1, lines.length)));
  }
  return out.sort((a, b) => a.heading.line - b.heading.line);
}

function makeLabel(doc: ParsedDocument, line: number, at: LabelAt, end: number): LabelSection {
  const src = doc.lines[line];
  const heading: Heading = {
    level: LABEL_LEVEL,
    text: at.title,
    line,
    endLine: line,
    range: range(line, 0, line, src.length),
    textRange: range(line, at.from, line, at.to),
  };
  let isEmpty = at.rest === '';
  for (let l = line + 1; isEmpty && l < end; l++) if (replaceComments(doc.lines[l], () => '').trim() !== '') isEmpty = false;
  let last = end - 1;
  while (last > line && doc.lines[last].trim() === '') last--;
  return {
    label: true,
    inline: at.rest,
    heading,
    level: LABEL_LEVEL,
    title: at.title,
    key: normalizeTitle(at.title),
    // The text on the label's line is the section's too.
    bodyStart: at.rest === '' ? line + 1 : line,
    end,
    ownEnd: end,
    parent: sectionAt(doc, line),
    children: [],
    isEmpty,
    range: range(line, 0, last, doc.lines[last].length),
  };
}

/** What starts an example rather than a part of its own. */
const EXAMPLE = /^(?:e\.g\.|i\.e\.|such as\b|like\b|including\b)/i;

/** Abbreviations whose dot ends no sentence (`e.g. Pylint`). */
const ABBREVIATION = /(?:^|[^\p{L}])(?:e\.g|i\.e|etc|vs|cf|incl|approx)$/iu;

/** `s` without the `.`, `;` and `,` it ends with (by hand: `/[.;,]+$/` is quadratic on a long run of them inside). */
function withoutTrailingPunctuation(s: string): string {
  let end = s.length;
  while (end > 0 && (s[end - 1] === '.' || s[end - 1] === ';' || s[end - 1] === ',')) end--;
  return s.slice(0, end);
}

/**
 * The parts of a label's text, when it lists them inline (`Finalize Git setup, define branching model,
 * configure CI server.`): split at commas, semicolons and sentence ends outside parentheses, brackets
 * and code spans, a leading `and` dropped.
 */
export function inlineParts(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let code = false;
  let start = 0;
  const push = (to: number) => {
    const part = withoutTrailingPunctuation(
      text
        .slice(start, to)
        .trim()
        .replace(/^(?:and|or)\s+/i, ''),
    ).trim();
    if (!/[\p{L}\p{N}]/u.test(part)) return;
    // An example belongs to the part it illustrates (`a registry, e.g. Harbor`).
    if (out.length && EXAMPLE.test(part)) out[out.length - 1] += `, ${part}`;
    else out.push(part);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '`') code = !code;
    if (code) continue;
    if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    else if (depth === 0 && (c === ',' || c === ';' || c === '.') && /\s/.test(text[i + 1] ?? '')) {
      // A dot ends a sentence before a capital letter only (`e.g. Pylint` and `v1.2` do not).
      if (c === '.' && (!/^\s+[\p{Lu}`]/u.test(text.slice(i + 1)) || ABBREVIATION.test(text.slice(0, i)))) continue;
      push(i);
      start = i + 1;
    }
  }
  push(text.length);
  return out;
}
