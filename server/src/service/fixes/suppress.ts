/**
 * Code actions around `phasegate-disable…` directives: silence a problem for its line or for the
 * whole file (offered for every problem, never part of a fix-all), remove a directive that silences
 * nothing, and correct a misspelt rule id in one.
 */
import MarkdownIt from 'markdown-it';
import { MAX_PARSE_BYTES, ParsedDocument, Table, bodyStart, itemIndexAt, listMarkerEnd, markdownBody, parseDocument, replaceComments } from '../markdown';
import type { PhasegateService } from '../service';
import { DIRECTIVE_RULES, Directive, DirectiveKind, directivesOnLine, lineDirectives, suppressionsOf } from '../suppress';
import type { CodeAction, Diagnostic, TextEdit } from '../types';
import { comparePositions, range } from '../types';
import { applyEdits } from '../edits';
import type { Fix } from './fix';

/** Diagnostics a directive cannot silence: its own rules, and those not reported by a rule on a line. */
const NOT_SILENCED = new Set([...DIRECTIVE_RULES, 'too-many-problems', 'unreadable-file', 'invalid-config', 'document-too-large']);

let outlineParser: MarkdownIt | undefined;

/** Whitespace runs as one space, HTML comments (invisible) dropped: what a reader sees of a text. */
function seen(text: string): string {
  return replaceComments(text, () => ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A digest of what a reader sees of a document and what the rules read from it: its block structure as
 * CommonMark parses it (paragraphs, lists and their tightness, block quotes, tables, code; HTML blocks,
 * invisible, left out), the text of each block without its comments, and the front matter's data. A
 * directive written into the document must leave it as it was: a comment line would split a paragraph,
 * cut a lazy continuation off its list item, end a table or a block quote, or become code or part of a
 * YAML value.
 */
function shape(doc: ParsedDocument): string {
  let s = shapes.get(doc);
  if (s === undefined) shapes.set(doc, (s = computeShape(doc)));
  return s;
}

/**
 * Each parsed document's shape (performance only: the actions of many problems of one document compare
 * with the same shape; a parsed document does not change, an edit parses a new one).
 */
const shapes = new WeakMap<ParsedDocument, string>();

/**
 * The shape of a document written for a trial (the document with a directive, or blocks of it read alone),
 * compared once with the document's: neither kept nor read for its outline (`TopLevel`), which only the
 * document the actions are for is asked of (performance only: a trial of thousands of comment lines together
 * made those tables for a document several times as long as the one it tried).
 */
function trialShape(doc: ParsedDocument): string {
  return computeShape(doc, false);
}

function computeShape(doc: ParsedDocument, outline = true): string {
  outlineParser ??= new MarkdownIt('commonmark', { html: true }).enable('table').disable(['inline', 'text_join', 'normalize']);
  const tokens = outlineParser.parse(markdownBody(doc.text, doc.lines, bodyStart(doc)), {});
  if (outline) topLevel.set(doc, outlineOf(tokens));
  const blocks = tokens
    .filter((t) => t.type !== 'html_block')
    .map(
      (t) =>
        `${t.type}|${t.tag}|${t.markup}|${t.hidden ? 1 : 0}|${t.type === 'inline' || t.type === 'fence' || t.type === 'code_block' ? seen(t.content) : ''}`,
    );
  // And the model the rules read, where it has its own readings (table cells, list items, headings).
  const model = [
    doc.headings.map((h) => [h.level, h.text]),
    doc.items.map((i) => [seen(i.text), i.checked ?? null, i.depth]),
    doc.tables.map((t) => [t.header.map((c) => seen(c.text)), t.rows.map((r) => r.cells.map((c) => seen(c.text)))]),
  ];
  return JSON.stringify([doc.frontMatter ? [doc.frontMatter.data ?? null, doc.frontMatter.errors.length] : null, blocks, model]);
}

/** The outline of a document's tokens (`TopLevel`). */
function outlineOf(tokens: ReturnType<MarkdownIt['parse']>): TopLevel {
  const top: TopLevel = {
    paragraphs: new Map(),
    blocks: new Map(),
    tables: new Set(),
    html: new Set(),
    fences: new Set(),
    inParagraph: new Map(),
    paragraphEnd: new Map(),
  };
  for (const t of tokens) {
    if (t.type === 'html_block' && t.map) for (let l = t.map[0] + 1; l < t.map[1]; l++) top.html.add(l);
    if (t.type === 'paragraph_open' && t.map) {
      for (let l = t.map[0] + 1; l < t.map[1]; l++) top.inParagraph.set(l, t.map[0]);
      top.paragraphEnd.set(t.map[0], t.map[1]);
    }
    if (t.level !== 0 || !t.map || t.nesting < 0) continue;
    const [a, b] = t.map;
    for (let l = a; l < b; l++) top.blocks.set(l, a);
    top.blocks.set(-1 - a, b);
    if (t.type === 'paragraph_open') for (let l = a + 1; l < b; l++) top.paragraphs.set(l, a);
    else if (t.type === 'table_open') top.tables.add(a);
    else if (t.type === 'fence') top.fences.add(a);
  }
  return top;
}

/**
 * What `lineEdit` reads of a document's outline to know some trials' results without parsing the document
 * again: the lines after the first of each paragraph outside any container (to its first line), and the
 * first lines of the tables outside any container. Set by `computeShape`.
 */
interface TopLevel {
  paragraphs: Map<number, number>;
  /**
   * The first line of the block outside any container (a paragraph, list, block quote, table, …) each line
   * is in; and, at `-1 - first`, the line after that block.
   */
  blocks: Map<number, number>;
  /** The lines after the first of each HTML block (at any depth). */
  html: Set<number>;
  tables: Set<number>;
  /** The first lines of the fenced code blocks outside any container. */
  fences: Set<number>;
  /** The lines after the first of each paragraph at any depth (in list items and block quotes too), to its first line. */
  inParagraph: Map<number, number>;
  /** The line after each paragraph at any depth, by its first line. */
  paragraphEnd: Map<number, number>;
}

const topLevel = new WeakMap<ParsedDocument, TopLevel>();

/**
 * Whether `aboveCuts` and `tableRowClean` answer trials without parsing the whole document (tests turn them
 * off to compare with a parse of the whole document for each trial).
 */
export const blockShortcuts = { enabled: true };

/** markdown-it ends a table past this many cells filled in for rows shorter than its header. */
const MAX_AUTOCOMPLETED_CELLS = 0x10000;

/**
 * The table whose body row `line` is, when the number of its cells keeps it clear of markdown-it's limit on
 * cells filled in (below which each row is read on its own, whatever the others hold). A table's body rows
 * are its lines after the delimiter row, one a line.
 */
function tableRowAt(doc: ParsedDocument, line: number): Table | undefined {
  let lo = 0;
  let hi = doc.tables.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = doc.tables[mid];
    if (t.endLine < line) lo = mid + 1;
    else if (t.line > line) hi = mid - 1;
    else {
      const ok =
        line > t.line + 1 && t.rows[line - t.line - 2]?.line === line && Math.max(t.header.length, 1) * (t.endLine - t.line + 2) <= MAX_AUTOCOMPLETED_CELLS;
      return ok ? t : undefined;
    }
  }
  return undefined;
}

/**
 * Whether a comment line written above `line` (the only one `prefixesFor` offers there) is known to change
 * what the document reads as, without parsing it: above a body row of a table, the table would end there or
 * hold one row more; above a line after the first of a paragraph outside any container, indented less than
 * code (an HTML block, which the comment line is, interrupts a paragraph), the paragraph would be cut, its
 * text shorter (when no line of it holds a `<`, so no comment in it hides the rest).
 */
function aboveCuts(doc: ParsedDocument, line: number): boolean {
  if (!blockShortcuts.enabled) return false;
  if (tableRowAt(doc, line)) return true;
  const plain = plainParagraph(doc, line);
  if (plain && (shallow(doc.lines[line] ?? '') || inItem(doc, line, plain[0]))) return true;
  shape(doc);
  const first = topLevel.get(doc)?.paragraphs.get(line);
  if (first === undefined || leading(doc.lines[line] ?? '').replace(/\t/g, '    ').length >= 4) return false;
  let angled = angledParagraphs.get(doc);
  if (!angled) angledParagraphs.set(doc, (angled = new Map()));
  let has = angled.get(first);
  if (has === undefined) {
    const end = topLevel.get(doc)?.blocks.get(-1 - first) ?? doc.lines.length;
    has = doc.lines.slice(first, end).some((l) => l.includes('<'));
    angled.set(first, has);
  }
  return !has;
}

/** Per parsed document, whether each paragraph (by first line) is plain, as `plainParagraph` reads it (performance only). */
const plainParagraphs = new WeakMap<ParsedDocument, Map<number, boolean>>();

/**
 * The first line and the end of the paragraph (at any depth: in a list item, a block quote) that `line` is
 * a line after the first of, when the paragraph is plain: no line of it holds `<` (no HTML in it, no
 * comment hiding part of it) or `]:` (no part of it could be read as a link reference definition), and
 * `line` holds a letter (text of the paragraph's own, not only markers). Undefined otherwise.
 */
function plainParagraph(doc: ParsedDocument, line: number): [number, number] | undefined {
  if (!blockShortcuts.enabled) return undefined;
  shape(doc);
  const top = topLevel.get(doc);
  const first = top?.inParagraph.get(line);
  if (!top || first === undefined || !/[A-Za-z]/.test(doc.lines[line] ?? '')) return undefined;
  const end = top.paragraphEnd.get(first) ?? first + 1;
  let plain = plainParagraphs.get(doc);
  if (!plain) plainParagraphs.set(doc, (plain = new Map()));
  let ok = plain.get(first);
  if (ok === undefined) {
    ok = true;
    for (let l = first; l < end && ok; l++) ok = !/<|\]:/.test(doc.lines[l] ?? '');
    plain.set(first, ok);
  }
  return ok ? [first, end] : undefined;
}

/**
 * Whether the comment lines `prefixesFor` offers above `line` (its block quote markers, or its own
 * indentation, then the comment) start an HTML block where they land: no tab before the line's text, and
 * fewer than four spaces before its first `>` and between its markers. Then, above a line after the first
 * of a plain paragraph (`plainParagraph`), the comment line ends the paragraph (an HTML block interrupts
 * one, and one at a lesser indentation is no lazy continuation line either): the paragraph, as it reads,
 * loses the text of its lines from `line` on, which holds a letter, and no comment in it could have hidden
 * that text; what is before it reads as it did (the document is read from the top), so the document reads
 * otherwise.
 */
function shallow(src: string): boolean {
  const q = /^(?:[ \t]*>[ \t]?)*[ \t]*/.exec(src)![0];
  return !q.includes('\t') && q.split('>').every((s) => s.length < 4);
}

/** Per parsed document, the lines list items start on (performance only). */
const itemLines = new WeakMap<ParsedDocument, Set<number>>();

/**
 * Whether the comment line `prefixesFor` offers above `line` (its own indentation, spaces only, then the
 * comment), a line after the first of the paragraph that starts at `first` on a list item's line (no tab
 * or `>` before the item's text or before `line`'s), starts an HTML block in that item: `line` is indented
 * to the item's text or further, but by fewer than four spaces more. The paragraph is the item's first
 * block, whose text starts where the marker and the spaces after it end (one to four of them: a paragraph
 * starts there). As `shallow`, the comment line then ends the paragraph.
 */
function inItem(doc: ParsedDocument, line: number, first: number): boolean {
  let lines = itemLines.get(doc);
  if (!lines) itemLines.set(doc, (lines = new Set(doc.items.map((i) => i.line))));
  const head = doc.lines[first] ?? '';
  const src = doc.lines[line] ?? '';
  if (!lines.has(first) || /^[ ]*[>\t]/.test(head) || /^[ ]*[>\t]/.test(src)) return false;
  const text = listMarkerEnd(head);
  const w = leading(src).length;
  return text <= w && w < text + 4;
}

/**
 * For `disable-line` at the end of a line after the first of a plain paragraph (`plainParagraph`) at any
 * depth, whether `row` (the line with the comment) holds the directive; the document reads as it did then.
 * The comment leaves the line's start (its container markers and indentation) as it was; what else of a
 * line decides how blocks read it is a line of markers alone (a thematic break, a setext underline, an
 * empty list item, which cannot interrupt a paragraph where a list item with text can: the line holds a
 * letter), a table's delimiter row (the line holds a letter) or its header row, whose cells the comment
 * may make one more (not when the line below could be a delimiter row), a link reference definition (no
 * `]:` in the paragraph), and HTML (no `<` in the paragraph: the comment ends where it begins). The text
 * of the paragraph is the same but for the comment, which is no part of what it reads as; the line is no
 * list item's first line (whose text the model reads). Undefined for any other line, and where the
 * document with the comment would be too large to parse as Markdown.
 */
function paragraphTailClean(doc: ParsedDocument, line: number, row: string, code: string): boolean | undefined {
  if (!plainParagraph(doc, line) || !modelledWith(doc, row.length - (doc.lines[line] ?? '').length)) return undefined;
  const next = doc.lines[line + 1];
  if (next !== undefined && /^[ \t>|:-]*$/.test(next) && next.includes('-')) return undefined;
  const found: Directive[] = [];
  lineDirectives(row, line, found, []);
  return found.some((d) => d.kind === 'disable-line' && d.rules.some((r) => r.id === code));
}

/** Per parsed document, whether each paragraph outside any container (by first line) holds a `<` (performance only). */
const angledParagraphs = new WeakMap<ParsedDocument, Map<number, boolean>>();

/**
 * For `disable-line` at the end of a body row of a table, whether `row` (the row with the comment) reads as
 * the row did and holds the directive: each row of a table is read on its own, after its header and
 * delimiter row (below markdown-it's limit on cells filled in), and the text it ends with changes no row's
 * reading but its own; so the header, delimiter and the row, as a document of their own, with the row and
 * with `row`, tell it for the whole document. For a table outside any container, its lines starting at the
 * margin, those lines; for one in a block quote or a list item (or lines indented), the text of each line
 * after its quote markers and indentation, which is what the table reads of it (its container is the same
 * with the comment: the line's start is), when each starts with `|` (a table's lines of their own) and no
 * tab comes before it. Whether the directive is read: on the row as the document holds it. Undefined for
 * any other line, and where the document with the comment would be too large to parse as Markdown.
 */
function tableRowClean(doc: ParsedDocument, line: number, row: string, code: string): boolean | undefined {
  const t = blockShortcuts.enabled ? tableRowAt(doc, line) : undefined;
  if (!t || !modelledWith(doc, row.length - (doc.lines[line] ?? '').length)) return undefined;
  shape(doc);
  const margin = (s: string) => s !== '' && !/^[\s>]/.test(s);
  const lines = [doc.lines[t.line], doc.lines[t.line + 1], doc.lines[line]];
  let own: string[] | undefined = topLevel.get(doc)?.tables.has(t.line) && lines.every(margin) ? lines : undefined;
  if (!own) {
    // The text after the quote markers and spaces before it: a cell's `|` first.
    const inner = (s: string) => s.slice(/^[ >]*/.exec(s)![0].length);
    own = lines.map(inner);
    if (!own.every((s) => s.startsWith('|'))) return undefined;
  }
  const mini = (r: string) => parseDocument(['', own[0], own[1], r].join('\n'));
  const after = mini(own[2] + row.slice(doc.lines[line].length));
  const found: Directive[] = [];
  lineDirectives(row, line, found, []);
  const d = found.some((x) => x.kind === 'disable-line' && x.rules.some((r) => r.id === code));
  return d && after.tables.length === 1 && after.tables[0].rows.length === 1 && trialShape(after) === trialShape(mini(own[2]));
}

/** Each parsed document's length as `edited` writes it: its lines joined with its line ending (performance only). */
const joinedLengths = new WeakMap<ParsedDocument, number>();

/**
 * Whether the document with `added` characters written in by `edited` is parsed as Markdown, as the
 * document is (`ParsedDocument.modelled`); past MAX_PARSE_BYTES it is read by lines only, and its
 * directives everywhere, code blocks included.
 */
function modelledWith(doc: ParsedDocument, added: number): boolean {
  if (!doc.modelled) return false;
  let n = joinedLengths.get(doc);
  if (n === undefined) joinedLengths.set(doc, (n = joinedLength(doc.lines, doc.eol)));
  return n + added <= MAX_PARSE_BYTES;
}

/** The length of `lines` joined with `eol`. */
function joinedLength(lines: readonly string[], eol: string): number {
  let n = Math.max(0, lines.length - 1) * eol.length;
  for (const l of lines) n += l.length;
  return n;
}

/**
 * Whether `line` is a line of a fenced code block outside any container after its opening line (its
 * closing fence too): there no directive written above the line or at its end is read. Neither the lines
 * from the opening fence down to the line above, nor a comment line written above the line, nor the line
 * with a comment at its end is a closing fence (a line of fence characters alone; these hold `<!--`), so
 * the block goes on past the line, and the directive is code. `added`: the most characters written in
 * (the document must stay small enough to be parsed as Markdown: `modelledWith`).
 */
function insideFence(doc: ParsedDocument, line: number, added: number): boolean {
  if (!blockShortcuts.enabled || !modelledWith(doc, added)) return false;
  shape(doc);
  const top = topLevel.get(doc);
  const first = top?.blocks.get(line);
  if (!top || first === undefined || !top.fences.has(first)) return false;
  const end = top.blocks.get(-1 - first) ?? first;
  return first < line && line < end;
}

/**
 * For a rule added to a Markdown directive that is its line alone (after block quote markers and
 * indentation that `shallow` accepts, no `|` on the line), whether `more` (the line with the rule added)
 * holds the directive with the rule; the document reads as it did then. The line starts an HTML block
 * where it lands (an HTML block interrupts a paragraph and is no lazy continuation line), which ends on it
 * (it holds `-->`), or it is a line of an HTML block open above it; the rule (letters, digits and inner
 * hyphens after a space, written before the comment's `-->` or after a rule id) starts or ends no HTML
 * block, nor makes the line a table's header (no `|`), a delimiter row, a thematic break, a setext
 * underline or a closing fence (it holds `<!--`). So every block reads as it did, and the line holds no
 * text the model reads (not a heading, a list item or a table row). Undefined for any other directive.
 */
function commentLineClean(doc: ParsedDocument, d: Directive, more: string, code: string): boolean | undefined {
  const was = doc.lines[d.line] ?? '';
  const prefix = /^(?:[ \t]*>[ \t]?)*[ \t]*/.exec(was)![0];
  if (!blockShortcuts.enabled || d.yaml || !shallow(was) || was.includes('|') || !/^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/.test(code)) return undefined;
  if (d.range.start.character !== prefix.length || d.range.end.character !== was.trimEnd().length || !modelledWith(doc, more.length - was.length))
    return undefined;
  const found: Directive[] = [];
  lineDirectives(more, d.line, found, []);
  return found.some((x) => x.kind === d.kind && x.rules.some((r) => r.id === code));
}

/** A list item's first line outside any container: its indentation, marker and the spaces after it (1 to 4, then text). */
const ITEM_START = /^ {0,3}(?:[-*+]|\d{1,9}[.)]) {1,4}(?=\S)/;

/**
 * For the comment line `c` written above `line`, the first line of a list item outside any container whose
 * previous sibling is one line (`line - 1`) of plain text, and `c` that line's comment inside the sibling
 * (indented to its text, as `prefixesFor` offers it first), whether `c` holds a `disable-next-line` of
 * `code`; the document reads as it did then. Both lines start with a marker (no block quote, no tab, 0 to 3
 * spaces before it, 1 to 4 after it), the sibling's text with a letter (after a checkbox), holding no `<` (no
 * HTML, no comment open) and no `]:` (no link reference definition); both in one block outside any container
 * (the list), no code and no HTML block. So what is open at `line - 1`'s end is the list, the sibling and
 * its paragraph, and `c`, indented to the sibling's text, goes on with the sibling; it starts an HTML block
 * (`<!--`), which interrupts the paragraph (and is no lazy continuation line), and ends on that line (it
 * holds `-->`; a rule id of letters, digits and inner hyphens holds none before it). `line` then ends the
 * sibling, as it did, and goes on with the list as it did (the same marker after the same lines); no blank
 * line is added, so the list stays as tight or loose as it was. HTML blocks are no part of what the document
 * reads as (`shape`), the sibling's text is its first line's, and every line after reads as it did. So no
 * parse of the list (or of the document) is needed: a long list took a parse of all of it for each line.
 * Undefined for any other line or comment line.
 */
function siblingAboveClean(doc: ParsedDocument, line: number, c: string, code: string): boolean | undefined {
  if (!blockShortcuts.enabled || !doc.modelled || line - 1 <= bodyStart(doc) || !/^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/.test(code)) return undefined;
  const at = itemIndexAt(doc, line);
  const item = doc.items[at];
  const prev = doc.items[at - 1];
  if (!item || !prev || item.depth !== 0 || prev.depth !== 0 || prev.line !== line - 1 || prev.endLine !== line - 1) return undefined;
  const src = doc.lines[line] ?? '';
  const above = doc.lines[line - 1] ?? '';
  const marker = ITEM_START.exec(above)?.[0];
  if (!marker || !ITEM_START.test(src) || c !== `${' '.repeat(marker.length)}<!-- phasegate-disable-next-line ${code} -->`) return undefined;
  if (!/^(?:\[[ xX]\] +)?[A-Za-z]/.test(above.slice(marker.length)) || /<|\]:|\t/.test(above)) return undefined;
  if (doc.codeLines.has(line - 1) || doc.codeLines.has(line) || !modelledWith(doc, c.length + doc.eol.length)) return undefined;
  shape(doc);
  const top = topLevel.get(doc);
  const first = top?.blocks.get(line);
  if (!top || first === undefined || top.blocks.get(line - 1) !== first || top.fences.has(first) || top.tables.has(first)) return undefined;
  if (top.html.has(line - 1) || top.html.has(line)) return undefined;
  const found: Directive[] = [];
  lineDirectives(c, line, found, []);
  return found.some((d) => d.kind === 'disable-next-line' && d.rules.some((r) => r.id === code));
}

/** Each parsed document's runs of blocks' shapes as documents of their own, by first and end line (performance only). */
const blockShapes = new WeakMap<ParsedDocument, Map<string, string>>();

const blank = (s: string | undefined) => s !== undefined && /^[ \t]*$/.test(s);

/** The lines of a block written as a document of its own: after a line of text and a blank line (never read as front matter). */
const OWN_START = ['x', ''];

/**
 * For a trial edit inside one block outside any container (a paragraph, a list, a block quote, a table…)
 * or a run of them (`windowOf`), with a blank line (or the front matter, or the start) above it and a blank
 * line (or the end) below it,
 * whether the block with `edit` applied (its lines given to `edit`, which returns them edited) holds a
 * directive of `kind` naming `code` on `at` (a line of the document, in the edited block) and reads as the
 * block did. Such a block is read from a fresh start whatever comes before it (the line above is blank and
 * nothing holds the block; the edit leaves its first line's start as it was), and when it reads as it did
 * after the edit it ends as it did, so the rest of the document reads as it did; when it does not, the
 * document reads otherwise from the block's first token that differs. So the block as a document of its
 * own, with and without the edit, tells it for the whole document. Undefined for a line in no such block.
 */
function blockClean(
  doc: ParsedDocument,
  line: number,
  edit: (lines: string[]) => string[],
  at: number,
  kind: DirectiveKind,
  code: string,
): boolean | undefined {
  if (!blockShortcuts.enabled || !doc.modelled) return undefined;
  const w = windowOf(doc, line);
  if (!w || !closedBelow(doc, w[1])) return undefined;
  const [first, end] = w;
  const own = doc.lines.slice(first, end);
  const edited = edit(own.slice());
  // The whole document parsed unmodelled, past the size markdown-it is given: the block alone would be modelled.
  if (!modelledWith(doc, joinedLength(edited, doc.eol) - joinedLength(own, doc.eol))) return undefined;
  const mini = (lines: string[]) => parseDocument([...OWN_START, ...lines].join('\n'));
  let shapes = blockShapes.get(doc);
  if (!shapes) blockShapes.set(doc, (shapes = new Map()));
  let before = shapes.get(`${first}:${end}`);
  if (before === undefined) shapes.set(`${first}:${end}`, (before = trialShape(mini(own))));
  const after = mini(edited);
  const where = at - first + OWN_START.length;
  const d = suppressionsOf(after)?.directives.find((x) => x.line === where && x.kind === kind && x.rules.some((r) => r.id === code));
  return d !== undefined && trialShape(after) === before;
}

/**
 * For a trial edit inside closed front matter that writes no fence (a YAML comment line above `line`, or a
 * comment at its end), whether the front matter (its lines given to `edit`, from the opening fence to the
 * closing one, which returns them edited) holds a directive of `kind` naming `code` on `line` and reads as
 * it did: its closing fence is the same line (one more after a line added), so the Markdown below is the
 * same text, read the same (its line numbers are no part of what it reads as). So the front matter as a
 * document of its own tells it for the whole document. Undefined outside such front matter.
 */
function frontMatterClean(doc: ParsedDocument, line: number, edit: (lines: string[]) => string[], kind: DirectiveKind, code: string): boolean | undefined {
  const fm = doc.frontMatter;
  if (!blockShortcuts.enabled || !fm?.terminated || fm.startLine !== 0 || line <= 0 || line >= fm.endLine) return undefined;
  const own = doc.lines.slice(0, fm.endLine + 1);
  const lines = edit(own.slice());
  // The Markdown below reads as it did while the document stays parsed as Markdown (or by lines only, past the size for that).
  const grown = joinedLength(lines, doc.eol) - joinedLength(own, doc.eol);
  if (doc.modelled ? !modelledWith(doc, grown) : joinedLength(doc.lines, doc.eol) + grown <= MAX_PARSE_BYTES) return undefined;
  const after = parseDocument(lines.join('\n'));
  const f = after.frontMatter;
  if (!f?.terminated || f.endLine !== lines.length - 1) return undefined;
  const d = suppressionsOf(after)?.directives.find((x) => x.line === line && x.kind === kind && x.rules.some((r) => r.id === code));
  return d !== undefined && JSON.stringify([f.data ?? null, f.errors.length]) === JSON.stringify([fm.data ?? null, fm.errors.length]);
}

/**
 * Whether the first line that is not blank from `end` on (the line after a window of `blockClean`) starts at
 * the margin with no list marker, or there is none: after blank lines, only a line indented or a list item
 * goes on with a block above it (a list item, a list), and whether one does may change where the window
 * does not read otherwise (an empty list item, which ends at a blank line, with the list it is the last
 * item of, holds a comment line written below its marker: it reads as it did where comment lines are left
 * out, but it goes on past the blank line to an indented line, or its list to the next item, then).
 */
function closedBelow(doc: ParsedDocument, end: number): boolean {
  let k = end;
  while (k < doc.lines.length && blank(doc.lines[k])) k++;
  return k >= doc.lines.length || !/^[\s*+\-\d]/.test(doc.lines[k]);
}

/** The first line of the lines `blockClean` reads for a trial on `line`, if any. */
function blockStart(doc: ParsedDocument, line: number): number | undefined {
  return windowOf(doc, line)?.[0];
}

/** Each parsed document's runs of blocks (`windowOf`), by the first line of each block in them (performance only). */
const runs = new WeakMap<ParsedDocument, Map<number, [number, number] | null>>();

/**
 * The lines `blockClean` reads for a trial on `line`: the blocks outside any container next to each other
 * (no blank line between them: a paragraph and the list it leads into, a heading and its text) around the
 * block `line` is in, with a blank line (or the front matter, or the start) above the first and a blank
 * line (or the end) below the last; for a blank line between two blocks, those of both. Undefined where
 * there are none such (a line no block holds, a link reference definition, which makes no block).
 *
 * For an empty line `l` that no block holds (nothing read before it goes on past it: such a block would
 * hold it) and not between two blocks: when the line above it is blank (or the front matter's), `l` alone;
 * when it is the last line of such blocks, those blocks and `l`. A comment line written on `l` starts at the
 * margin, so it joins nothing that a blank line ended (a list item, a block quote, a paragraph, a table:
 * none takes a line at the margin that starts an HTML block after a blank line), nor anything above it that
 * is still open there (fenced code, an HTML block left open: they would hold `l`); below a block, it joins
 * or ends that block as the window read alone tells. The window ends with `l`, blank: what follows it in
 * the document (which went on past no block before) starts afresh after it, the comment line written in or
 * not (the comment line, at the margin, leaves no list item or quote open across `l`, and no fence or HTML
 * block: it would have held `l` before). So `blockClean` tells it for the whole document.
 */
function windowOf(doc: ParsedDocument, line: number): [number, number] | undefined {
  shape(doc);
  const top = topLevel.get(doc);
  if (!top) return undefined;
  let byStart = runs.get(doc);
  if (!byStart) runs.set(doc, (byStart = new Map()));
  const known = byStart;
  const run = (l: number): [number, number] | undefined => {
    const s = top.blocks.get(l);
    if (s === undefined) return undefined;
    let r = known.get(s);
    if (r === undefined) {
      r = null;
      let a = s;
      let b = top.blocks.get(-1 - s);
      while (a > bodyStart(doc) && !blank(doc.lines[a - 1])) {
        const p = top.blocks.get(a - 1);
        if (p === undefined) break;
        a = p;
      }
      while (b !== undefined && b < doc.lines.length && !blank(doc.lines[b]) && !blank(doc.lines[b - 1]))
        b = top.blocks.get(b) === b ? top.blocks.get(-1 - b) : undefined;
      if (b !== undefined && (a <= bodyStart(doc) || blank(doc.lines[a - 1]))) r = [a, b];
      known.set(s, r);
    }
    return r ?? undefined;
  };
  if (top.blocks.has(line)) return run(line);
  // A blank line between two blocks: both, and what is next to them.
  if (!blank(doc.lines[line])) return undefined;
  const above = run(line - 1);
  const below = run(line + 1);
  if (above && below) return [above[0], below[1]];
  // Another empty line no block holds, below the front matter or a blank line: that line alone; below a
  // block: the blocks above and the line. Not the empty line after the last line break, which markdown-it
  // does not read (an unclosed fence holds it, unmapped).
  if (doc.lines[line] !== '' || line <= 0 || line < bodyStart(doc) || line >= doc.lines.length - 1) return undefined;
  if (line === bodyStart(doc) || blank(doc.lines[line - 1])) return [line, line + 1];
  return above?.[1] === line ? [above[0], line + 1] : undefined;
}

/** The document's text with line `line` replaced by `lines` (inserted before it when `replace` is false). */
function edited(doc: ParsedDocument, line: number, lines: string[], replace: boolean): string {
  const out = doc.lines.slice();
  out.splice(line, replace ? 1 : 0, ...lines);
  return out.join(doc.eol);
}

/**
 * The directives written for `line`: a `disable-next-line` on the line above, a `disable-line` on the line,
 * in document order (those of the two lines looked up, not sought among all the document's directives for
 * each problem).
 */
function directivesFor(doc: ParsedDocument, line: number): Directive[] {
  const s = suppressionsOf(doc);
  if (!s) return [];
  return [
    ...directivesOnLine(s, line - 1).filter((d) => d.kind === 'disable-next-line'),
    ...directivesOnLine(s, line).filter((d) => d.kind === 'disable-line'),
  ];
}

/**
 * Per parsed document, whether comment lines write cleanly above their line (by `line\0comment`), each a
 * `disable-next-line`, as `checkTogether` found (only those it found clean, or checked alone).
 */
const checkedAbove = new WeakMap<ParsedDocument, Map<string, boolean>>();

/**
 * Whether `text` (the document with a directive written in) has a directive of `kind` on `line` that
 * names `code`, and reads as the document did (`shape`). `above` names the comment line `text` holds
 * above `line` when it is one: one that a check of several together found clean needs no parse.
 */
function writesCleanly(doc: ParsedDocument, text: () => string, line: number, kind: DirectiveKind, code: string, before: string, above?: string): boolean {
  const known = above !== undefined ? checkedAbove.get(doc)?.get(`${line}\u0000${above}`) : undefined;
  if (known !== undefined) return known;
  const after = parseDocument(text());
  const d = suppressionsOf(after)?.directives.find((x) => x.line === line && x.kind === kind && x.rules.some((r) => r.id === code));
  return d !== undefined && trialShape(after) === before;
}

function leading(text: string): string {
  return /^[ \t]*/.exec(text)![0];
}

/**
 * Prefixes to try for a Markdown comment line before `line`: inside the previous sibling list item
 * (keeping the list whole), the line's block quote markers (keeping the quote whole), the line's own
 * indentation.
 */
function prefixesFor(doc: ParsedDocument, line: number): string[] {
  const src = doc.lines[line] ?? '';
  const own = leading(src);
  const out: string[] = [];
  const at = itemIndexAt(doc, line);
  const item = doc.items[at];
  if (at >= 0) {
    for (let k = at - 1; k >= 0; k--) {
      const prev = doc.items[k];
      if (prev.depth < item.depth) break;
      if (prev.depth > item.depth) continue;
      // Only an item of the same list: one whose block runs up to this line (not one of an earlier list).
      if (prev.endLine + 1 < line) break;
      out.push(' '.repeat(prev.checkboxRange?.start.character ?? prev.textRange.start.character));
      break;
    }
  }
  const quote = /^(?:[ \t]*>[ \t]?)+/.exec(src)?.[0];
  if (quote) out.push(quote);
  out.push(own);
  return [...new Set(out)];
}

function action(title: string, diag: Diagnostic, edit: TextEdit): CodeAction {
  return { title, codes: [diag.code], change: { edits: [{ file: diag.file, edits: [edit] }], creates: [] } };
}

/**
 * The edit that silences `diag` on its line, if one can be written without changing what the document
 * reads as: the rule added to a `disable-next-line` directive just above (or a `disable-line` on the
 * line), else a `disable-next-line` comment line above, else a `disable-line` comment at the line's end.
 */
function lineEdit(doc: ParsedDocument, diag: Diagnostic, yaml: boolean, silences: (e: TextEdit) => boolean): TextEdit | undefined {
  const line = diag.range.start.line;
  const code = diag.code;
  const src = doc.lines[line] ?? '';
  const before = shape(doc);
  // A directive already there for this line: one more rule in it (a new comment between it and its line would undo it).
  for (const d of directivesFor(doc, line)) {
    if (d.yaml !== yaml || d.rules.length === 0) continue;
    const last = d.rules[d.rules.length - 1].range.end;
    const was = doc.lines[d.line] ?? '';
    const more = was.slice(0, last.character) + ` ${code}` + was.slice(last.character);
    const e = { range: range(d.line, last.character, d.line, last.character), newText: ` ${code}` };
    // In front matter: the front matter alone; in Markdown, a comment that is its line alone: the line; else the blocks around it alone.
    const start = d.yaml ? undefined : blockStart(doc, d.line);
    const local = d.yaml
      ? frontMatterClean(doc, d.line, (fm) => ((fm[d.line] = more), fm), d.kind, code)
      : (commentLineClean(doc, d, more, code) ??
        (start !== undefined ? blockClean(doc, d.line, (own) => ((own[d.line - start] = more), own), d.line, d.kind, code) : undefined));
    if ((local ?? writesCleanly(doc, () => edited(doc, d.line, [more], true), d.line, d.kind, code, before)) && silences(e)) return e;
  }
  // Inside fenced code: neither directive would be read (no parse needed).
  if (!yaml && insideFence(doc, line, src.length + code.length + 100)) return undefined;
  const above = yaml
    ? [`${leading(src)}# phasegate-disable-next-line ${code}`]
    : prefixesFor(doc, line).map((p) => `${p}<!-- phasegate-disable-next-line ${code} -->`);
  // Above a table row or inside a paragraph: known to cut it, no parse needed.
  for (const c of yaml || !aboveCuts(doc, line) ? above : []) {
    const e = { range: range(line, 0, line, 0), newText: c + doc.eol };
    // Inside a block, or above its first line at the margin (indented, it may join a list above the blank line): the block alone.
    // In front matter: the front matter alone.
    const start = yaml ? undefined : blockStart(doc, line);
    // Inside the previous item of a list, when it is a line of plain text: known without a parse.
    const local = yaml
      ? frontMatterClean(doc, line, (fm) => (fm.splice(line, 0, c), fm), 'disable-next-line', code)
      : (siblingAboveClean(doc, line, c, code) ??
        (start !== undefined && (start < line || /^[<>]/.test(c)) && !checkedAbove.get(doc)?.has(`${line}\u0000${c}`)
          ? blockClean(doc, line, (own) => (own.splice(line - start, 0, c), own), line, 'disable-next-line', code)
          : undefined));
    if ((local ?? writesCleanly(doc, () => edited(doc, line, [c, src], true), line, 'disable-next-line', code, before, c)) && silences(e)) return e;
  }
  const tail = `${/\s$/.test(src) ? '' : ' '}${yaml ? '#' : '<!--'} phasegate-disable-line ${code}${yaml ? '' : ' -->'}`;
  const e = { range: range(line, src.length, line, src.length), newText: tail };
  if (src.trim() === '') return undefined;
  const row = yaml
    ? frontMatterClean(doc, line, (fm) => ((fm[line] = src + tail), fm), 'disable-line', code)
    : (tableRowClean(doc, line, src + tail, code) ??
      paragraphTailClean(doc, line, src + tail, code) ??
      blockClean(
        doc,
        line,
        (own) => {
          own[line - (blockStart(doc, line) ?? 0)] = src + tail;
          return own;
        },
        line,
        'disable-line',
        code,
      ));
  if ((row ?? writesCleanly(doc, () => edited(doc, line, [src + tail], true), line, 'disable-line', code, before)) && silences(e)) return e;
  return undefined;
}

/**
 * Whether the document, with `edit` applied, no longer has `diag` (one problem fewer of its rule and
 * message) and has no more directive problems than before (the new directive silences something).
 */
function silencedBy(svc: PhasegateService, doc: ParsedDocument, diag: Diagnostic, edit: TextEdit): boolean {
  const now = svc.diagnose(diag.file);
  const after = svc.diagnoseWithText(diag.file, applyEdits(doc.text, [edit]));
  if (!after) return false;
  const count = (ds: Diagnostic[], p: (d: Diagnostic) => boolean) => ds.filter(p).length;
  const same = (d: Diagnostic) => d.code === diag.code && d.message === diag.message;
  const directive = (d: Diagnostic) => DIRECTIVE_RULES.has(d.code);
  return count(after, same) < count(now, same) && count(after, directive) <= count(now, directive);
}

/**
 * The first comment line `lineEdit` tries above a problem's line, when that is how it begins and it may be
 * checked together with others (`checkTogether`).
 */
function firstAbove(doc: ParsedDocument, diag: Diagnostic): string | undefined {
  if (NOT_SILENCED.has(diag.code) || !/\.(md|markdown)$/i.test(diag.file)) return undefined;
  const line = diag.range.start.line;
  // On the first line, each directive is tried out on the engine (`silencedBy`).
  if (line <= 0 || line >= doc.lines.length) return undefined;
  const fm = doc.frontMatter;
  const yaml = fm !== undefined && line > fm.startLine && (!fm.terminated || line < fm.endLine);
  if (fm && !yaml && line <= fm.endLine) return undefined;
  // A directive for the line there already: the rule is added to it first.
  if (directivesFor(doc, line).some((d) => d.yaml === yaml && d.rules.length > 0)) return undefined;
  const src = doc.lines[line] ?? '';
  // Not in front matter (few problems there, and YAML's rules are its own), nor above a blank line: a comment
  // line there may end a list that a comment line below it would join across the blank line (making the list
  // loose), so that the two together read as the document did, and the second alone not.
  if (yaml || src.trim() === '') return undefined;
  // Nor where it is known to cut what it is written into.
  if (aboveCuts(doc, line)) return undefined;
  // Nor inside fenced code, where it would not be read.
  if (insideFence(doc, line, src.length + diag.code.length + 100)) return undefined;
  // Nor in a code block: a comment line that ends the block there leaves its text shorter, which another
  // below it may hide (a comment in code is text, but what a reader sees of a text leaves comments out).
  if (doc.codeLines.has(line)) return undefined;
  // Nor inside an HTML block: there a comment line's `-->` may end a comment the block is (`<!--` above, left
  // open), and another comment line below it, starting an HTML block of its own, join the lines below
  // to it again, so that the two together read as the document did, and the first alone not.
  shape(doc);
  if (topLevel.get(doc)?.html.has(line)) return undefined;
  const text = `${prefixesFor(doc, line)[0]}<!-- phasegate-disable-next-line ${diag.code} -->`;
  // Nor where it is known without a parse.
  return siblingAboveClean(doc, line, text, diag.code) === undefined ? text : undefined;
}

interface Above {
  line: number;
  text: string;
  code: string;
}

/**
 * Checks, for many problems of one document at once (a selection over thousands of them), the first comment
 * line each would get above it, so that `suppressActions` then parses the document once for most of them,
 * not once each (which took seconds, growing with the square of their number). The lines are written in
 * together: when the document reads as it did and each is a directive that names its rule, each written
 * alone does too, and it is remembered as clean. A comment line cuts what it is written into (a paragraph,
 * a list, a quote, a table) or joins the list item above it, and another cannot mend either, but for a cut
 * just above the item a comment line joins across a blank line, for a comment left open in an HTML
 * block, which a comment line's `-->` ends, and for a code block a comment line ends, leaving its text
 * shorter by what another comment line below hides from a reader (comments in it, `seen`) (`firstAbove`
 * leaves comment lines above blank lines, inside HTML blocks and in code blocks out;
 * test/unit/suppress-many.test.ts and suppress-blocks.test.ts try random documents). Lines
 * known to cut what they are written into (`aboveCuts`) are left out too. When not, the lines are
 * halved and each half checked again, while that pays (a parse clears two lines or more, after the first few);
 * those left are checked one by one, as before. `pause` runs before each parse (the server yields there).
 */
export async function checkTogether(svc: PhasegateService, diags: readonly Diagnostic[], pause?: () => Promise<void>): Promise<void> {
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of diags) {
    const list = byFile.get(d.file);
    if (list) list.push(d);
    else byFile.set(d.file, [d]);
  }
  for (const [file, ds] of byFile) {
    const doc = svc.getDocument(file);
    if (!doc) continue;
    let checked = checkedAbove.get(doc);
    if (!checked) checkedAbove.set(doc, (checked = new Map()));
    const known = checked;
    const wanted = new Map<string, Above>();
    for (const d of ds) {
      const text = firstAbove(doc, d);
      const key = `${d.range.start.line}\u0000${text}`;
      if (text !== undefined && !known.has(key)) wanted.set(key, { line: d.range.start.line, text, code: d.code });
    }
    if (wanted.size < 2) continue;
    const before = shape(doc);
    // Whether the group's lines, written in together, leave the document as it read, each a directive of its rule.
    const together = (group: [string, Above][]): boolean => {
      const sorted = [...group].sort((a, b) => a[1].line - b[1].line);
      const out: string[] = [];
      const at: number[] = [];
      let k = 0;
      for (let i = 0; i <= doc.lines.length; i++) {
        for (; k < sorted.length && sorted[k][1].line === i; k++) {
          at.push(out.length);
          out.push(sorted[k][1].text);
        }
        if (i < doc.lines.length) out.push(doc.lines[i]);
      }
      const after = parseDocument(out.join(doc.eol));
      // The lines written in, read as `parseDirectives` reads the document's (none in front matter or in a code
      // block): the directives of those lines alone, not of every line (performance only).
      const fm = after.frontMatter;
      const fmEnd = fm ? (fm.terminated ? fm.endLine : after.lines.length - 1) : -1;
      const blocks = after.codeBlocks;
      let b = 0;
      const read = sorted.every(([, w], i) => {
        const l = at[i];
        if (l <= fmEnd) return false;
        while (b < blocks.length && blocks[b].endLine < l) b++;
        if (b < blocks.length && blocks[b].line <= l) return false;
        const found: Directive[] = [];
        lineDirectives(after.lines[l], l, found, []);
        return found.some((x) => x.kind === 'disable-next-line' && x.rules.some((r) => r.id === w.code));
      });
      return read && trialShape(after) === before;
    };
    // Halved breadth first: the parses go to every part of the document alike.
    let parses = 0;
    let cleared = 0;
    let queue: [string, Above][][] = [[...wanted]];
    // Until failures turn out dense (a long table, the lines of long paragraphs): one by one costs no more then.
    while (queue.length && parses < 16 + cleared / 2) {
      const next: [string, Above][][] = [];
      for (const group of queue) {
        if (parses >= 16 + cleared / 2) break;
        parses++;
        if (pause) await pause();
        if (together(group)) {
          cleared += group.length;
          for (const [key] of group) known.set(key, true);
        }
        // One alone: as `writesCleanly` finds it.
        else if (group.length === 1) known.set(group[0][0], false);
        else next.push(group.slice(0, group.length >> 1), group.slice(group.length >> 1));
      }
      queue = next;
    }
  }
}

/** `Disable <rule> for this line` and `… for this file`, where a directive can be written without changing what the document reads as. */
export function suppressActions(svc: PhasegateService, diag: Diagnostic): CodeAction[] {
  if (NOT_SILENCED.has(diag.code) || !/\.(md|markdown)$/i.test(diag.file)) return [];
  const doc = svc.getDocument(diag.file);
  if (!doc) return [];
  const out: CodeAction[] = [];
  const line = diag.range.start.line;
  const fm = doc.frontMatter;
  const inFrontMatter = fm !== undefined && line > fm.startLine && (!fm.terminated || line < fm.endLine);
  // Not on a front matter fence, where no directive is read.
  if (line < doc.lines.length && !(fm && !inFrontMatter && line <= fm.endLine)) {
    // A problem on the first line may be one of the file or its folder, anchored there whatever the text
    // (missing-front-matter, missing-document): a comment line above would not move it to the next line.
    // There, each directive is tried out, and offered only when it silences the problem.
    const silences = line === 0 ? (e: TextEdit) => silencedBy(svc, doc, diag, e) : () => true;
    const edit = lineEdit(doc, diag, inFrontMatter, silences);
    if (edit) out.push(action(`Disable ${diag.code} for this line`, diag, edit));
  }
  const file = fileEdit(doc, diag.code);
  if (file) out.push(action(`Disable ${diag.code} for this file`, diag, file));
  return out;
}

/**
 * Each parsed document's `disable-file` edit per rule, null where none can be written (performance
 * only: it is the same edit for every problem of the rule).
 */
const fileEdits = new WeakMap<ParsedDocument, Map<string, TextEdit | null>>();

/** Each parsed document's trial of a `disable-file` on the whole document (`fileTrial`): its rule's length and its result. */
const fileTrials = new WeakMap<ParsedDocument, { length: number; clean: boolean }>();

/**
 * Whether the `disable-file` of `code` written at the body's start leaves the document as it read (`trial`, a
 * parse of the whole document), or, known, the result of such a trial of another rule: the comment line is the
 * first line the Markdown body holds, nothing open above it, so it is an HTML block that ends on that line
 * (it holds `-->`, and a rule id of letters, digits and inner hyphens holds no `-->` before it); HTML blocks
 * are no part of what the document reads as (`shape`), and the lines after it are read afresh whatever the id.
 * The directive is read on that line with the id it names. So the trial of one rule tells it for every other,
 * while the document with the line stays on the same side of the size past which it is not parsed as Markdown
 * (the ids' lengths differ). Performance only: a selection over the problems of many rules made one parse of
 * the whole document, and the shape of the result, for each rule.
 */
function fileTrial(doc: ParsedDocument, code: string, trial: () => boolean): boolean {
  const plain = blockShortcuts.enabled && /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/.test(code);
  const known = plain ? fileTrials.get(doc) : undefined;
  // Whether the document with the line (`edited`: its lines joined with its line ending) is too large to parse.
  const tooLarge = (length: number) => {
    let n = joinedLengths.get(doc);
    if (n === undefined) joinedLengths.set(doc, (n = joinedLength(doc.lines, doc.eol)));
    return n + doc.eol.length + `<!-- phasegate-disable-file  -->`.length + length > MAX_PARSE_BYTES;
  };
  if (known && tooLarge(known.length) === tooLarge(code.length)) return known.clean;
  const clean = trial();
  if (plain && !known) fileTrials.set(doc, { length: code.length, clean });
  return clean;
}

/** The edit that silences `code` in the whole document, if one can be written without changing what it reads as. */
function fileEdit(doc: ParsedDocument, code: string): TextEdit | undefined {
  let byRule = fileEdits.get(doc);
  if (!byRule) fileEdits.set(doc, (byRule = new Map()));
  let edit = byRule.get(code);
  if (edit === undefined) {
    edit = null;
    const fm = doc.frontMatter;
    // For the file: after the front matter (before the first line without one), also after front matter
    // below blank lines (which a comment above would keep from the first line); not with front matter left open.
    if (!fm || fm.terminated) {
      const at = bodyStart(doc);
      const text = `<!-- phasegate-disable-file ${code} -->`;
      // The blocks at the body's start alone (`blockClean`), else the trial of another rule (`fileTrial`), else the whole document.
      const clean =
        (at < doc.lines.length
          ? blockClean(doc, at, (own) => (own.splice(at - (blockStart(doc, at) ?? at), 0, text), own), at, 'disable-file', code)
          : undefined) ?? fileTrial(doc, code, () => writesCleanly(doc, () => edited(doc, at, [text], false), at, 'disable-file', code, shape(doc)));
      if (clean) {
        // After a closing fence on the last line (no line break after it): at that line's end, on a line of its own.
        const end = at === doc.lines.length ? doc.lines[at - 1].length : -1;
        edit = end < 0 ? { range: range(at, 0, at, 0), newText: text + doc.eol } : { range: range(at - 1, end, at - 1, end), newText: doc.eol + text };
      }
    }
    byRule.set(code, edit);
  }
  // A copy: each action owns its edit.
  return edit
    ? { range: range(edit.range.start.line, edit.range.start.character, edit.range.end.line, edit.range.end.character), newText: edit.newText }
    : undefined;
}

/**
 * The range that removes rule `i` of a directive of several rules (with the separator before it, or after
 * it for the first), or, `i` undefined, the whole directive: its line when the comment is all it holds,
 * else the comment and the spaces before it.
 */
function removal(doc: ParsedDocument, directive: Directive, i: number | undefined): TextEdit['range'] {
  const line = directive.line;
  const rules = directive.rules;
  if (i !== undefined && rules.length > 1) {
    return i > 0
      ? range(line, rules[i - 1].range.end.character, line, rules[i].range.end.character)
      : range(line, rules[0].range.start.character, line, rules[1].range.start.character);
  }
  const src = doc.lines[line] ?? '';
  const { start, end } = directive.range;
  const before = src.slice(0, start.character);
  const rest = src.slice(end.character);
  if (before.trim() === '' && rest.trim() === '') return line + 1 < doc.lines.length ? range(line, 0, line + 1, 0) : range(line, 0, line, src.length);
  return range(line, before.trimEnd().length, line, end.character);
}

interface DisableCounts {
  /** The disables. */
  all: number;
  /** The disables of every rule (naming none). */
  everyRule: number;
  /** The disables naming each rule. */
  byRule: Map<string, number>;
}

const counted = new WeakMap<Directive[], DisableCounts>();

/**
 * The document's `disable` directives counted, once for all its unused directives (each looked among all
 * the others for one of the same rule: thousands of them took seconds to fix).
 */
function disableCounts(directives: Directive[]): DisableCounts {
  let n = counted.get(directives);
  if (!n) {
    n = { all: 0, everyRule: 0, byRule: new Map() };
    for (const x of directives) {
      if (x.kind !== 'disable') continue;
      n.all++;
      if (x.rules.length === 0) n.everyRule++;
      for (const id of new Set(x.rules.map((r) => r.id))) n.byRule.set(id, (n.byRule.get(id) ?? 0) + 1);
    }
    counted.set(directives, n);
  }
  return n;
}

/**
 * The `enable` that ends what a `disable` (of `rule`, or of every rule) began, when it can end nothing
 * else: no other `disable` in the document names the rule or every rule (for a disable of every rule: no
 * other `disable` at all); it is the first later `enable` naming the rule (of every rule, for a disable of
 * every rule), with no `enable` of every rule before it.
 */
function matchingEnable(directives: Directive[], disable: Directive, rule: string | undefined): Directive | undefined {
  // Another disable of the rule, of every rule (or any other, for a disable of every rule): counted once per document.
  const n = disableCounts(directives);
  const names = (x: Directive) => rule !== undefined && x.rules.some((r) => r.id === rule);
  const others = rule === undefined ? n.all - 1 : n.everyRule - (disable.rules.length === 0 ? 1 : 0) + (n.byRule.get(rule) ?? 0) - (names(disable) ? 1 : 0);
  if (others > 0) return undefined;
  const later = directives.filter((x) => x.line > disable.line || (x.line === disable.line && x.range.start.character > disable.range.start.character));
  for (const x of later) {
    if (x.kind !== 'enable') continue;
    if (x.rules.length === 0) return rule === undefined ? x : undefined;
    if (rule !== undefined && x.rules.some((r) => r.id === rule)) return x;
  }
  return undefined;
}

/**
 * Removes a directive that silences nothing, or the one rule of it that does not; for a `disable`, with
 * the `enable` that ended it (or the rule from that enable), which would end nothing then.
 */
const removeDirective: Fix = (svc, diag) => {
  const d = diag.data as { line: number; column: number; rule: string | null } | undefined;
  const doc = svc.getDocument(diag.file);
  if (!d || !doc) return undefined;
  const s = suppressionsOf(doc);
  const directives = s?.directives ?? [];
  // The directive at its place (another on the same line may be the one that silences something).
  const directive = (s ? directivesOnLine(s, d.line) : []).find(
    (x) => x.line === d.line && x.range.start.character === d.column && (d.rule === null ? x.rules.length === 0 : x.rules.some((r) => r.id === d.rule)),
  );
  if (!directive) return undefined;
  const i = d.rule === null ? -1 : directive.rules.findIndex((r) => r.id === d.rule);
  const edits: TextEdit[] = [{ range: removal(doc, directive, i >= 0 ? i : undefined), newText: '' }];
  const partial = i >= 0 && directive.rules.length > 1;
  const enable = directive.kind === 'disable' ? matchingEnable(directives, directive, d.rule ?? undefined) : undefined;
  if (enable) {
    const j = d.rule === null ? undefined : enable.rules.findIndex((r) => r.id === d.rule);
    const r = removal(doc, enable, j);
    // Not when the two would overlap (on one line, the whole line removed for one of them).
    if (comparePositions(r.start, edits[0].range.end) >= 0) edits.push({ range: r, newText: '' });
  }
  const withEnable = edits.length > 1 ? (partial ? ' and from its phasegate-enable' : ' and its phasegate-enable') : '';
  const title = partial ? `Remove ${d.rule} from the directive${withEnable}` : `Remove the unused phasegate-${directive.kind} directive${withEnable}`;
  return { title, codes: [diag.code], isPreferred: true, change: { edits: [{ file: diag.file, edits }], creates: [] } };
};

/** Replaces a misspelt rule id in a directive with the known one it is nearest to. */
const replaceRuleId: Fix = (svc, diag) => {
  const d = diag.data as { replacement: string } | undefined;
  if (!d) return undefined;
  return {
    title: `Change to ${d.replacement}`,
    codes: [diag.code],
    isPreferred: true,
    change: { edits: [{ file: diag.file, edits: [{ range: diag.range, newText: d.replacement }] }], creates: [] },
  };
};

export const SUPPRESS_FIXES: Record<string, Fix> = {
  'remove-directive': removeDirective,
  'replace-rule-id': replaceRuleId,
};
