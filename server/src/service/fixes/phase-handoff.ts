/**
 * "Complete handoff": fills phase N+1's input handoff from phase N's output handoff — the
 * inputs (paths rewritten to resolve from phase N+1), the prerequisites (unchecked, for the
 * team to confirm), the open questions and the source link. Only insertions at the end of
 * each section (and a wrong source link retargeted); running it again finds nothing to do.
 * Creates the input handoff when phase N+1 has none.
 */
import type { PhasegateService } from '../service';
import { basename, dirname } from '../host';
import { expandTitle } from '../layout';
import type { ListItem, ParsedDocument, Section, Table } from '../markdown';
import { headingText } from '../markdown';
import {
  HandoffItem,
  HandoffPair,
  InputIndex,
  StatementIndex,
  IN_INPUTS,
  IN_ORDER,
  IN_PREREQUISITES,
  IN_QUESTIONS,
  IN_SOURCE,
  inputSection,
  INPUT_HANDOFF,
  handoffItems,
  handoffPair,
  isOutputHandoffPath,
  outputSections,
  copyItem,
  meaningfulItem,
  answeredQuestion,
  referencesIn,
  refersTo,
  sourceLink,
  linkDestination,
  textKey,
  topItems,
  hasOwnItems,
  isRealItem,
  pathBases,
  copyRow,
  rowAsItem,
  prerequisitesOf,
  prerequisiteColumns,
  itemsAndRows,
} from '../handoff';
import type { Phase } from '../workspace';
import type { CodeAction, Range, TextEdit } from '../types';
import { range } from '../types';
import { Insertion, appendToSection, bulletOf, insertSection, mergeInsertions } from './phase-edit';
import {
  CellValue,
  appendPrerequisiteRows,
  appendQuestionRows,
  appendRows,
  asksQuestion,
  itemValues,
  notedQuestion,
  questionOf,
  rowAsQuestion,
  rowValues,
  sectionTable,
  textValues,
} from './handoff-table';

export const HANDOFF_CODES = ['handoff-mismatch', 'prerequisite-unmet'];

/** An item to copy: its first line after the marker, and its further lines (indented for a `- ` marker). */
interface Copy {
  item: ListItem;
  line: string;
  more: string[];
}

/** What phase N hands to phase N+1, as lines ready for phase N+1's input handoff. */
interface Handed {
  pair: HandoffPair;
  source: string;
  /** Each with its values for a table of inputs (`values`). */
  inputs: (Copy & { handed: HandoffItem; values: CellValue[] })[];
  prerequisites: Copy[];
  /** Each with its values for a table of questions, and the question it asks (a row's question cell). */
  questions: (Copy & { values: CellValue[]; question: string })[];
}

/** An item copied under `bullet` (one character: the further lines are indented by two columns). */
/**
 * The lines of a section whose own body holds only the template's placeholders (`- Input: [Location] -
 * [Description]`, `- [ ] [Prerequisite]`, `[Starting point of the phase]`), as a scaffolded input handoff
 * has them: what is handed off takes their place. Undefined when the section says anything else.
 */
export function templateBody(doc: ParsedDocument, sec: Section): Range | undefined {
  let first = -1;
  let last = -1;
  for (let l = sec.bodyStart; l < sec.ownEnd; l++) {
    const src = doc.lines[l] ?? '';
    if (src.trim() === '') continue;
    if (src.includes('<!--') || doc.codeLines.has(l)) return undefined;
    // A line saying there is none, as `new` and this fix write it when nothing was handed off (`None carried over.`).
    if (NOTHING_HANDED.test(src.trim())) {
      if (first < 0) first = l;
      last = l;
      continue;
    }
    // Its marker and box aside, nothing is written but placeholders and a name that identifies nothing (`Input:`).
    if (isRealItem(src.replace(/^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?/, ''))) return undefined;
    if (first < 0) first = l;
    last = l;
  }
  return first < 0 ? undefined : range(first, 0, last, (doc.lines[last] ?? '').length);
}

/**
 * A section's line that says nothing was handed off, as the input handoff's template and createText write it (`None
 * carried over.`, `No inputs were handed off by phase-1.`), or as one writes it, `None.`: what is handed off later
 * takes its place.
 */
const NOTHING_HANDED = /^(?:none(?: carried over)?|no (?:inputs|prerequisites|open questions) were handed off by .+?)\.?$/i;

function itemLines(bullet: string, x: { line: string; more?: string[] }): string[] {
  return [`${bullet} ${x.line}`, ...(x.more ?? [])];
}

function handed(svc: PhasegateService, pair: HandoffPair): Handed {
  const out = outputSections(pair);
  const from = dirname(pair.outPath);
  const to = dirname(pair.inPath);
  // The whole item, without the output handoff's own directive comments: they silence problems there, not in the next phase.
  const exists = (p: string) => svc.exists(p);
  const bases = pathBases(svc.model.root, pair.prev);
  const copy = (it: ListItem) => copyItem(pair.out, it, from, to, exists, bases);
  const label = `Phase ${pair.prev.number ?? basename(pair.prev.folder)} output handoff`;
  return {
    pair,
    source: `Previous phase: [${label}](${linkDestination(sourceLink(pair))})`,
    // Inputs handed off in a table (`| Input | Location | Description |`) are its rows, each copied cell by cell.
    inputs: handoffItems(pair.out, out.inputs, from, bases, true).map((h) => {
      const row = copyRow(pair.out, h.item.line, from, to, exists, bases);
      if (row) return { item: h.item, line: rowAsItem(row), more: [], handed: h, values: rowValues(row) };
      const c = copy(h.item);
      return { item: h.item, ...c, handed: h, values: itemValues(c.line, c.more) };
    }),
    // Items, or the rows of a table of prerequisites (the name's cell copied).
    prerequisites: prerequisitesOf(pair.out, out.prerequisites)
      .map((p) => p.item)
      .filter(meaningfulItem)
      .map((it) => {
        const c = copy(it);
        return { item: it, line: `[ ] ${c.line}`, more: c.more };
      }),
    // Items, or the rows of a table of questions (`| # | Question | Owner |`), each as the item it reads as.
    // A row whose question cell is empty asks nothing (its other cells are no question).
    // Questions answered already (a ticked box, a row marked Resolved) are not handed on as open.
    questions: itemsAndRows(pair.out, out.questions)
      .filter((it) => meaningfulItem(it) && !answeredQuestion(pair.out, it))
      .flatMap((it) => {
        const row = copyRow(pair.out, it.line, from, to, exists, bases);
        if (row)
          return asksQuestion(row) ? [{ item: it, line: rowAsQuestion(row), more: [], values: rowValues(row), question: questionOf(rowValues(row)) }] : [];
        const c = copy(it);
        return [{ item: it, ...c, values: textValues(c.line, c.more), question: it.text }];
      }),
  };
}

/** The table a section lists its entries in: its last table, above its subsections, when it has no list items of its own. */
export function ownTable(doc: ParsedDocument, sec: Section): Table | undefined {
  if (hasOwnItems(topItems(doc, sec), sec)) return undefined;
  const last = sectionTable(doc, sec);
  return last && last.line < sec.ownEnd ? last : undefined;
}

/**
 * The table a section lists its prerequisites in (see ownTable): only one with a column for their names, as
 * prerequisitesOf reads them (`| # | Status |` alone has none: the missing ones are written as items).
 */
export function prerequisiteTable(doc: ParsedDocument, sec: Section): Table | undefined {
  const t = ownTable(doc, sec);
  return t && prerequisiteColumns(t).name >= 0 ? t : undefined;
}

/** A new input handoff holding everything phase N hands off. */
function createText(phase: Phase, h: Handed): string {
  const spec = phase.documents.find((d) => d.spec.kind === INPUT_HANDOFF)!.spec;
  const prev = basename(h.pair.prev.folder);
  const list = (xs: Copy[], none: string) => (xs.length ? xs.flatMap((x) => itemLines('-', x)) : [none]);
  return [
    `# ${headingText(expandTitle(spec.heading ?? 'Phase {N} Input Handoff', phase.number))}`,
    '',
    `## ${IN_SOURCE}`,
    '',
    `- ${h.source}`,
    '',
    `## ${IN_INPUTS}`,
    '',
    ...list(h.inputs, `No inputs were handed off by ${prev}.`),
    '',
    `## ${IN_PREREQUISITES}`,
    '',
    ...list(h.prerequisites, `No prerequisites were handed off by ${prev}.`),
    '',
    `## ${IN_QUESTIONS}`,
    '',
    ...list(h.questions, 'None carried over.'),
    '',
  ].join(h.pair.out.eol); // a new file takes the line ending of the handoff it is written from
}

/**
 * When a wrong source link is retargeted (an input handoff copied from another phase's folder), the words that
 * named the phase it linked: the link's text naming that phase's folder or number (`[phase-1/06-OUTPUT_HANDOFF.md]`,
 * `[Phase 1 output handoff]`, and the next one's after it, `[Phase 1 → Phase 2 Handoff]`), and the number the
 * template writes right before it (`Output handoff of Phase 1: `),
 * for those of phase N. Other words are the user's, left as they are.
 */
function sourceWording(svc: PhasegateService, doc: ParsedDocument, r: { range: Range; targetRange?: Range; resolved: string }, pair: HandoffPair): TextEdit[] {
  const old = svc.model.phases.find((p) => p.folder === dirname(r.resolved));
  const t = r.targetRange;
  if (!old || old === pair.prev || !t) return [];
  const line = r.range.start.line;
  const src = doc.lines[line] ?? '';
  const open = r.range.start.character;
  if (src[open] !== '[') return [];
  // Where the link's text ends: an inline link `[text](target)` or `[text](<target>)`, or a reference-style use
  // (`[text][label]`, `[text][]`, `[text]`) whose definition is on another line; not a definition itself.
  const close =
    t.start.line !== line
      ? closingBracket(src, open, r.range.end.character)
      : src.slice(t.start.character - 2, t.start.character) === ']('
        ? t.start.character - 2
        : src.slice(t.start.character - 3, t.start.character) === '](<'
          ? t.start.character - 3
          : -1;
  if (close < 0) return [];
  const edits: TextEdit[] = [];
  const text = src.slice(open + 1, close);
  const oldName = basename(old.folder);
  const newName = basename(pair.prev.folder);
  const from = old.number;
  const to = pair.prev.number;
  // The phase it linked, and the one that phase handed off to, as its output handoff's title names them
  // (`[Phase 1 → Phase 2 Handoff]` is `[Phase 2 → Phase 3 Handoff]`), renumbered together.
  const numbered = from !== undefined && to !== undefined ? new RegExp(`(?<![\\p{L}\\p{N}])(Phase\\s*)(${from}|${from + 1})(?!\\d)`, 'giu') : undefined;
  // A part of a path that names the folder is the new one's name, as it is (a folder `Phase 1` or `Phase1` renumbered
  // again would name `Phase 3`, no folder); the other words are renumbered.
  const fixed = text
    .split('/')
    .map((seg) =>
      seg === oldName ? newName : numbered ? seg.replace(numbered, (_m, word: string, k: string) => `${word}${Number(k) === from ? to! : to! + 1}`) : seg,
    )
    .join('/');
  if (old.number !== undefined && pair.prev.number !== undefined) {
    const before = new RegExp(`(?<![\\p{L}\\p{N}])Phase[ \\t]*(${old.number}):[ \\t]*$`, 'iu').exec(src.slice(0, open));
    if (before) {
      const at = before.index + before[0].indexOf(before[1], 5);
      edits.push({ range: range(line, at, line, at + before[1].length), newText: String(pair.prev.number) });
    }
  }
  if (fixed !== text) edits.push({ range: range(line, open + 1, line, close), newText: fixed });
  return edits;
}

/** The `]` that closes the `[` at `open` of `src`, before `end` (brackets nested in it, and escaped ones, passed over); -1 if none. */
function closingBracket(src: string, open: number, end: number): number {
  let depth = 0;
  for (let i = open; i < end; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  return -1;
}

/** Insertions (and source retargets) that bring an existing input handoff up to date. */
function editsFor(svc: PhasegateService, doc: ParsedDocument, h: Handed): TextEdit[] {
  const { pair } = h;
  const folder = dirname(pair.inPath);
  const bases = pathBases(svc.model.root, pair.next);
  const n = pair.next.number;
  const ins: (Insertion | undefined)[] = [];
  const replaces: TextEdit[] = [];
  const add = (title: string, copies: { line: string; more?: string[] }[]) => {
    if (!copies.length) return;
    const sec = inputSection(doc, title, n);
    const bullet = bulletOf(doc, sec);
    const items = copies.flatMap((x) => itemLines(bullet, x));
    const template = sec && templateBody(doc, sec);
    if (template) replaces.push({ range: template, newText: items.join(doc.eol) });
    else ins.push(sec ? appendToSection(doc, sec, items) : insertSection(doc, title, items, IN_ORDER));
  };
  /** The rows a table's writer makes for what is missing, when the section keeps a table; else the items `add` writes. */
  const addTo = (
    table: Table | undefined,
    rows: (t: Table) => { insertion?: Insertion; replace?: TextEdit },
    title: string,
    copies: { line: string; more?: string[] }[],
  ) => {
    if (!table) return add(title, copies);
    const { insertion, replace } = rows(table);
    ins.push(insertion);
    if (replace) replaces.push(replace);
  };

  const source = inputSection(doc, IN_SOURCE, n);
  const refs = source ? referencesIn(doc, source, folder, bases) : [];
  if (!refs.some((r) => refersTo(r, pair.outPath))) {
    const wrong = refs.filter((r) => r.targetRange && isOutputHandoffPath(r.resolved, pair.next));
    if (wrong.length)
      for (const r of wrong) {
        const t = r.targetRange!;
        // Written bare, in `<…>` once it holds a blank (a phase folder `Phase 1`).
        const bracketed = (doc.lines[t.start.line] ?? '')[t.start.character - 1] === '<';
        replaces.push({ range: t, newText: bracketed ? sourceLink(pair) : linkDestination(sourceLink(pair)) });
        replaces.push(...sourceWording(svc, doc, r, pair));
      }
    else add(IN_SOURCE, [{ line: h.source }]);
  }

  // Indexed, not compared pair by pair (performance only). Inputs received in a table are its rows, as the rule reads them.
  const inputs = inputSection(doc, IN_INPUTS, n);
  const received = new InputIndex(handoffItems(doc, inputs, folder, bases, true));
  const missing = h.inputs.filter((x) => !received.has(x.handed));
  // A table of inputs (and no list) gets rows in its own columns; a list, or no inputs yet, gets items.
  // Only a table of the section's own (above its subsections): one in a subsection holds something else.
  const table = inputs && missing.length ? ownTable(doc, inputs) : undefined;
  addTo(
    table,
    (t) =>
      appendRows(
        doc,
        t,
        missing.map((x) => x.values),
      ),
    IN_INPUTS,
    missing,
  );

  // Prerequisites received in a table (and no list) are its rows, as the rule reads them; the missing ones become rows too.
  const preSec = inputSection(doc, IN_PREREQUISITES, n);
  // The template's `- [ ] [Prerequisite]` holds none, though it reads as the start of `[Prerequisite] — owner: Infra`: the
  // fix writes over it, so what it seemed to hold is written too.
  const have = new StatementIndex(
    prerequisitesOf(doc, preSec)
      .filter((y) => meaningfulItem(y.item))
      .map((y) => textKey(y.item.text)),
  );
  const unmet = h.prerequisites.filter((x) => have.find(textKey(x.item.text)) < 0);
  const preTable = preSec && unmet.length ? prerequisiteTable(doc, preSec) : undefined;
  addTo(
    preTable,
    (t) =>
      appendPrerequisiteRows(
        doc,
        t,
        unmet.map((x) => x.line.replace(/^\[ \] /, '')),
      ),
    IN_PREREQUISITES,
    unmet,
  );

  // Questions received in a table (and no list) are its rows; the missing ones become rows in its columns too.
  const qSec = inputSection(doc, IN_QUESTIONS, n);
  // Each asked by its whole text, and by its question alone when the fix noted values after it (`Which registry? (Owner: Infra)`).
  const asked = new StatementIndex(
    itemsAndRows(doc, qSec).flatMap((y) => {
      const q = notedQuestion(y.text);
      return q === undefined ? [textKey(y.text)] : [textKey(y.text), textKey(q)];
    }),
  );
  const open = h.questions.filter((x) => asked.find(textKey(x.question)) < 0);
  const qTable = qSec && open.length ? ownTable(doc, qSec) : undefined;
  addTo(
    qTable,
    (t) =>
      appendQuestionRows(
        doc,
        t,
        open.map((x) => x.values),
      ),
    IN_QUESTIONS,
    open,
  );

  return [...replaces, ...mergeInsertions(ins, doc.eol)];
}

/**
 * The action completing phase N+1's input handoff from phase N's output handoff; undefined
 * when there is nothing to add (or no previous phase with an output handoff).
 */
export function completeHandoff(svc: PhasegateService, next: Phase | undefined): CodeAction | undefined {
  if (!next) return undefined;
  const pair = handoffPair(next, (p) => svc.getDocument(p));
  if (!pair) return undefined;
  const h = handed(svc, pair);
  const title = `Complete handoff from ${basename(pair.prev.folder)}`;
  const doc = pair.input;
  if (!doc) {
    // A file that is there but cannot be read is never overwritten.
    // Nor is one created beside a file of its name in another case (`01-input_handoff.md`): it is to be renamed.
    if (svc.exists(pair.inPath) || svc.inOtherCase(pair.inPath)) return undefined;
    return { title, codes: HANDOFF_CODES, isPreferred: true, change: { edits: [], creates: [{ file: pair.inPath, text: createText(next, h) }] } };
  }
  const edits = editsFor(svc, doc, h);
  if (!edits.length) return undefined;
  return { title, codes: HANDOFF_CODES, isPreferred: true, change: { edits: [{ file: pair.inPath, edits }], creates: [] } };
}
