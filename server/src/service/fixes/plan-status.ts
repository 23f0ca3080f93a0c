/**
 * The plan fix of a row or item whose status disagrees with its phase (plan-status-mismatch, `set-plan-status`): the
 * row's status set to the phase's, in the plan's own words and shape, and nothing else of it touched (its links, notes,
 * dates). A table's Status cell is rewritten in place, its padding kept; a checklist item gets its box ticked or
 * unticked and its status words (after a dash, in parentheses, in a `Status: …` sub-item) replaced; an item or row whose
 * status is the heading over it (`### Not Started`) moves under the heading of the phase's status, into a list or table
 * of its shape there (where the plan gives no such place, a complete phase's box is ticked if it has one, else no fix is
 * offered). Fix all and `check --fix` mark a complete phase so; setting back a row marked complete ahead of its gates is
 * a quick fix only (`manual`).
 */
import type { ParsedDocument, Section, Table, TableCell } from '../markdown';
import type { PhaseStatus } from '../gates';
import type { Phase } from '../workspace';
import { range } from '../types';
import type { CodeAction, Diagnostic, Range, TextEdit } from '../types';
import { textKey } from '../handoff';
import { displayWidth } from '../width';
import {
  headingStatus,
  isCompleteStatus,
  planPhases,
  planTables,
  statusKind,
  titleWorkstream,
  wordsOnly,
  workstreamKey,
  workstreamsOf,
} from '../rules/phase-plan';
import { landsInCode } from './phase-edit';
import type { PlanItem, PlanList, PlanTables } from '../rules/phase-plan';
import type { PhasegateService } from '../service';

/** The fix's data: the phases the row or item names (the one reported first). */
export interface PlanStatusData {
  fix: 'set-plan-status';
  phase: string;
  phases: string[];
}

/** A phase's status as the plan rule reads a status word's kind (statusKind). */
const KIND: Record<PhaseStatus, string> = { complete: 'complete', 'in-progress': 'in progress', 'not-started': 'not started', blocked: 'blocked' };

/** A phase's status in words, when the plan has none of its kind. */
const LABEL: Record<PhaseStatus, string> = { complete: 'Complete', 'in-progress': 'In progress', 'not-started': 'Not started', blocked: 'Blocked' };

/** A status's kind, as the plan rule reads it (`✅` and `Verified & Integrated` are complete). */
function kindOf(text: string): string {
  return isCompleteStatus(text) ? 'complete' : statusKind(text);
}

/** A status text the fix may copy or replace whole: one line of words and symbols, no link, comment or code. */
function plainStatus(text: string): boolean {
  return text.trim() !== '' && !/\]\(|<!--|`|\|/.test(text) && text.length <= 60;
}

/** Leading symbols of a status (`✅ `, `🔄 `), emphasis and spaces aside. */
function symbolOf(text: string): string {
  return /^[\s*_]*([^\p{L}\p{N}\s*_[(]+)\s/u.exec(text)?.[1] ?? '';
}

/**
 * The plan's words for a status of `kind`: the one its rows and items write most (the first of the most written), from
 * `preferred` (the texts of rows of the same shape) before `all`; else `label` cased as the plan's statuses are, with a
 * ✅ before a complete one when the plan's statuses lead with symbols.
 */
function planWords(preferred: readonly string[], all: readonly string[], kind: string, label: string): string {
  for (const pool of [preferred, all]) {
    const counts = new Map<string, number>();
    for (const t of pool) if (plainStatus(t) && kindOf(t) === kind) counts.set(t.trim(), (counts.get(t.trim()) ?? 0) + 1);
    let best: string | undefined;
    for (const [t, n] of counts) if (best === undefined || n > counts.get(best)!) best = t;
    if (best !== undefined) return best;
  }
  const used = all.map((s) => s.trim()).filter(plainStatus);
  const words = used.map(wordsOnly).filter((s) => /[A-Za-z]/.test(s));
  let text = label;
  if (words.length && words.every((s) => s === s.toUpperCase())) text = label.toUpperCase();
  else if (words.length && words.every((s) => s === s.toLowerCase())) text = label.toLowerCase();
  else if (words.some((s) => /^[A-Z][a-z]*(\s+[A-Z][a-z]*)+$/.test(s)))
    text = label.replace(/(^|\s)([a-z])/g, (_m, a: string, c: string) => a + c.toUpperCase());
  if (kind === 'complete' && used.some((s) => symbolOf(s) !== '')) text = `✅ ${text}`;
  return text;
}

/** `text` in the emphasis around `old` (`**Not started**` → `**Complete**`), when the new words carry none of their own. */
function sameEmphasis(old: string, text: string): string {
  const m = /^(\*\*|__|\*|_)(?!\s)[\s\S]*\S\1$/.exec(old.trim());
  return m && !/^[*_]/.test(text) ? `${m[1]}${text}${m[1]}` : text;
}

/** The blanks before and after a cell's text on its line, up to its pipes (undefined without a pipe each side). */
function blanksOf(line: string, cell: TableCell): { open: number; close: number; before: number; after: number } | undefined {
  const s = cell.range.start.character;
  const e = cell.range.end.character;
  let open = s;
  while (open > 0 && line[open - 1] === ' ') open--;
  let close = e;
  while (close < line.length && line[close] === ' ') close++;
  if (line[open - 1] !== '|' || line[close] !== '|') return undefined;
  return { open, close, before: s - open, after: close - e };
}

/** How the cells of a column are padded: not at all (one blank each side), or to a width, left, right or centre aligned. */
type Padding = 'none' | 'left' | 'right' | 'centre';

/** The padding of column `col` of `table` in `doc`, as its padded cells show it. */
function paddingOf(doc: ParsedDocument, table: Table, col: number): Padding {
  let mode: Padding = 'none';
  for (const r of [{ line: table.line, cells: table.header }, ...table.rows]) {
    const cell = r.cells[col];
    const b = cell && blanksOf(doc.lines[r.line] ?? '', cell);
    if (!b || (b.before <= 1 && b.after <= 1)) continue;
    if (b.before > 1 && b.after > 1) return 'centre';
    mode = b.before > 1 ? 'right' : 'left';
  }
  return mode;
}

/**
 * The edit that writes `text` in place of table cell `cell` on `line`, the pipe after it kept in its column in a column
 * padded to a width (an aligned table: it stays in line when the new text fits), the text placed as the column places
 * it (left, right or centre). Widths are counted as the columns an editor draws (✅ is two), as table formatters align them.
 */
function cellEdit(line: string, lineNo: number, cell: TableCell, text: string, padding: Padding): TextEdit {
  const plain = { range: range(lineNo, cell.range.start.character, lineNo, cell.range.end.character), newText: text };
  const b = padding === 'none' ? undefined : blanksOf(line, cell);
  if (!b || b.before < 1 || b.after < 1) return plain;
  // The cell's width between its pipes, less one blank each side.
  const spare = displayWidth(line.slice(b.open + 1, b.close - 1)) - displayWidth(text);
  if (spare < 0) return plain;
  const left = padding === 'centre' ? Math.floor(spare / 2) : padding === 'right' ? spare : 0;
  return { range: range(lineNo, b.open + 1, lineNo, b.close - 1), newText: ' '.repeat(left) + text + ' '.repeat(spare - left) };
}

/** The lines of a document from `from` to `to` (inclusive) removed: the range, with a blank line after them when one is before them too. */
function removeLines(doc: ParsedDocument, from: number, to: number): Range {
  let end = to;
  while (end > from && (doc.lines[end] ?? '').trim() === '') end--;
  const blank = (i: number) => i >= 0 && i < doc.lines.length && (doc.lines[i] ?? '').trim() === '';
  if (blank(from - 1) && blank(end + 1) && end + 2 < doc.lines.length) end++;
  if (end + 1 < doc.lines.length) return range(from, 0, end + 1, 0);
  // The plan's last lines: the line ending before them goes.
  if (from === 0) return range(0, 0, end, (doc.lines[end] ?? '').length);
  return range(from - 1, (doc.lines[from - 1] ?? '').length, end, (doc.lines[end] ?? '').length);
}

/** The text of lines `from` to `to` (inclusive), trailing blank lines left out, joined by the plan's line ending. */
function linesOf(doc: ParsedDocument, from: number, to: number): string[] {
  let end = to;
  while (end > from && (doc.lines[end] ?? '').trim() === '') end--;
  return doc.lines.slice(from, end + 1);
}

const sameWorkstream = (a: string | undefined, b: string | undefined): boolean =>
  a === undefined ? b === undefined : b !== undefined && workstreamKey(a) === workstreamKey(b);

/** The statuses the plan writes: its tables' Status cells, its items' own statuses and `Status: …` sub-items. */
function statusTexts(doc: ParsedDocument, pt: PlanTables): { cells: string[]; items: string[] } {
  const cells: string[] = [];
  for (const { table, cols } of pt.tables) if (cols.status !== undefined) for (const r of table.rows) cells.push(r.cells[cols.status]?.text ?? '');
  const items: string[] = [];
  for (const l of pt.lists)
    for (const it of l.items) {
      if (it.status) items.push(it.status.text);
      if (it.statusItem) items.push(textAt(doc, it.statusItem.value));
    }
  return { cells, items };
}

function textAt(doc: ParsedDocument, r: Range): string {
  return (doc.lines[r.start.line] ?? '').slice(r.start.character, r.end.character);
}

/** The box of an item written for a status: ticked for a complete phase (`[X]` where the plan ticks so), else empty. */
function boxFor(doc: ParsedDocument, pt: PlanTables, complete: boolean): string {
  if (!complete) return '[ ]';
  const upper = pt.lists.some((l) => l.items.some((i) => i.item.checked && /\[X\]/.test(textAt(doc, i.item.checkboxRange!))));
  const lower = pt.lists.some((l) => l.items.some((i) => i.item.checked && /\[x\]/.test(textAt(doc, i.item.checkboxRange!))));
  return upper && !lower ? '[X]' : '[x]';
}

interface Target {
  status: PhaseStatus;
  kind: string;
}

/** A fix's edits, and the heading it moves the row or item under, when it moves it. */
interface Change {
  edits: TextEdit[];
  under?: string;
}

/** The kinds of status heading a row or item of a phase of status `to` goes under, in order (see moveItem). */
function headingKinds(to: Target): string[] {
  return to.status === 'blocked' ? ['blocked', 'in progress'] : [to.kind];
}

/** A table row's fix: its Status cell rewritten, or, in a table headed by status, the row moved to a table of its status. */
function rowFix(
  doc: ParsedDocument,
  pt: PlanTables,
  ws: readonly string[],
  t: PlanTables['tables'][number],
  row: Table['rows'][number],
  to: Target,
): Change | undefined {
  const { table, cols } = t;
  if (cols.status !== undefined) {
    const cell = row.cells[cols.status];
    if (!cell || !plainStatus(cell.text) || kindOf(cell.text) === to.kind) return undefined;
    const texts = statusTexts(doc, pt);
    const own = table.rows.map((r) => r.cells[cols.status!]?.text ?? '');
    const words = sameEmphasis(cell.text, planWords(own, [...texts.cells, ...texts.items], to.kind, LABEL[to.status]));
    return { edits: [cellEdit(doc.lines[row.line] ?? '', row.line, cell, words, paddingOf(doc, table, cols.status))] };
  }
  // A table under a status heading: the row goes into the table under a heading of the phase's status, of the same
  // workstream and the same columns.
  if (headingStatus(doc, table.section, ws) === undefined) return undefined;
  const header = table.header.map((c) => textKey(c.text)).join('|');
  const of = (kind: string) =>
    pt.tables.find(
      (o) =>
        o.table !== table &&
        o.cols.status === undefined &&
        sameWorkstream(o.cols.impliedWorkstream, cols.impliedWorkstream) &&
        o.table.header.map((c) => textKey(c.text)).join('|') === header &&
        kindOf(headingStatus(doc, o.table.section, ws) ?? '') === kind,
    );
  const dest = headingKinds(to)
    .map(of)
    .find((t) => t !== undefined);
  if (!dest) return undefined;
  const last = dest.table.rows.length ? dest.table.rows[dest.table.rows.length - 1].line : dest.table.line + 1;
  const at = (doc.lines[last] ?? '').length;
  return {
    edits: [
      { range: removeLines(doc, row.line, row.line), newText: '' },
      { range: range(last, at, last, at), newText: doc.eol + (doc.lines[row.line] ?? '') },
    ],
    under: headingStatus(doc, dest.table.section, ws),
  };
}

/** An item's fix: its box and every status it gives set to the phase's, or, with a heading's status alone, the item moved. */
function itemFix(doc: ParsedDocument, pt: PlanTables, ws: readonly string[], list: PlanList, it: PlanItem, to: Target): Change | undefined {
  const complete = to.kind === 'complete';
  const box = it.item.checkboxRange;
  const boxEdit = box && it.item.checked !== complete ? { range: box, newText: boxFor(doc, pt, complete) } : undefined;
  // Its status the heading over it alone (`### Not Started` › `- Phase 2`): the item goes under the heading of the
  // phase's status; where there is no list for it there, a complete phase's box is ticked (a ticked item says done
  // whatever its heading), and nothing else is offered.
  const heading = it.status === undefined && it.statusItem === undefined ? it.inherited?.heading : undefined;
  if (heading !== undefined && kindOf(heading) !== to.kind) {
    const moved = moveItem(doc, pt, ws, list, it, to, complete);
    if (moved) return moved;
    return complete && boxEdit ? { edits: [boxEdit] } : undefined;
  }
  const edits: TextEdit[] = boxEdit ? [boxEdit] : [];
  const texts = statusTexts(doc, pt);
  const all = [...texts.items, ...texts.cells];
  for (const r of [it.status?.range, it.statusItem?.value]) {
    if (!r) continue;
    const old = textAt(doc, r);
    if (!plainStatus(old)) return undefined;
    if (kindOf(old) !== to.kind) edits.push({ range: r, newText: sameEmphasis(old, planWords(texts.items, all, to.kind, LABEL[to.status])) });
  }
  return edits.length ? { edits } : undefined;
}

/**
 * A section beside the status heading of `list` (the same parent and level: `### Completed` beside `### Not Started`,
 * under the same workstream's heading), of status `kind`, with nothing under it but blank lines.
 */
function emptyStatusSection(doc: ParsedDocument, list: PlanList, kind: string): number | undefined {
  let from = list.section;
  while (from !== undefined && doc.sections[from].title !== list.status) from = doc.sections[from].parent;
  if (from === undefined) return undefined;
  const src = doc.sections[from];
  const i = doc.sections.findIndex(
    (s) =>
      s !== src &&
      s.parent === src.parent &&
      s.level === src.level &&
      kindOf(s.title) === kind &&
      !s.children.length &&
      doc.lines.slice(s.bodyStart, s.end).every((l) => l.trim() === ''),
  );
  return i < 0 ? undefined : i;
}

/**
 * Where an item of `list` goes under a heading of status `kind` when the plan nests status and workstream headings and
 * has no heading of the item's workstream there: with its status heading above its workstream's (`## Not Started` ›
 * `### Build`), at the end of the section of that status beside it (`## Completed`), under a copy of its workstream's
 * heading line; with its workstream's heading above (`### Build` › `#### Not Started`), at the end of that workstream's
 * section, under a heading of that status as the plan writes it elsewhere (`#### Completed` of `### Test`). ATX headings
 * only (a copied line is a heading alone).
 */
function nestedPlace(
  doc: ParsedDocument,
  ws: readonly string[],
  list: PlanList,
  kind: string,
): { section: Section; heading: string; under: string } | undefined {
  if (list.section === undefined || list.impliedWorkstream === undefined || list.status === undefined) return undefined;
  const own = doc.sections[list.section];
  let statusAt: number | undefined = list.section;
  while (statusAt !== undefined && doc.sections[statusAt].title !== list.status) statusAt = doc.sections[statusAt].parent;
  if (statusAt === undefined) return undefined;
  const st = doc.sections[statusAt];
  const names = (s: Section) => sameWorkstream(titleWorkstream(s.title, ws), list.impliedWorkstream);
  const atx = (s: Section) => s.heading.endLine === s.heading.line;
  if (statusAt !== list.section) {
    // `## Not Started` › `### Build`: the item's workstream heading right under its status heading.
    if (own.parent !== statusAt || !names(own) || !atx(own)) return undefined;
    const target = doc.sections.find((s) => s !== st && s.parent === st.parent && s.level === st.level && kindOf(s.title) === kind);
    if (!target || target.children.some((c) => names(doc.sections[c]))) return undefined;
    return { section: target, heading: doc.lines[own.heading.line] ?? '', under: `${target.title} › ${own.title}` };
  }
  // `### Build` › `#### Not Started`: a status heading of that kind as the plan titles it under another workstream.
  const wsAt = st.parent;
  if (wsAt === undefined || !names(doc.sections[wsAt])) return undefined;
  const parentSec = doc.sections[wsAt];
  if (parentSec.children.some((c) => kindOf(doc.sections[c].title) === kind)) return undefined;
  const model = doc.sections.find((s) => s.level === st.level && kindOf(s.title) === kind && atx(s) && s.parent !== wsAt);
  if (!model) return undefined;
  return { section: parentSec, heading: doc.lines[model.heading.line] ?? '', under: `${parentSec.title} › ${model.title}` };
}

/**
 * The edits that move an item out from under a status heading to the end of the list under a heading of the phase's
 * status, of the same workstream (`### Not Started` › `- Phase 2` to `### Completed`), its box (if it has one) set for
 * that status. None where that is not clearly right: an item under a parent item or into a list of them, no such list,
 * a list written with another marker width when the item has further lines (they would no longer be its own).
 */
function moveItem(doc: ParsedDocument, pt: PlanTables, ws: readonly string[], list: PlanList, it: PlanItem, to: Target, complete: boolean): Change | undefined {
  if (it.group !== undefined) return undefined;
  // The list under a heading of its status, else such a heading with nothing under it yet; of a blocked phase, with no
  // heading of blocked phases, those of the phases in progress (it is under way, held at a gate).
  let dest: PlanList | undefined;
  let empty: number | undefined;
  for (const kind of headingKinds(to)) {
    dest = pt.lists.find(
      (l) => l !== list && l.status !== undefined && kindOf(l.status) === kind && sameWorkstream(l.impliedWorkstream, list.impliedWorkstream),
    );
    empty = dest ? undefined : emptyStatusSection(doc, list, kind);
    if (dest || empty !== undefined) break;
  }
  const marker = /^(\s*)([-*+]|\d+[.)])(\s+)/;
  const mine = marker.exec(doc.lines[it.item.line] ?? '');
  if (!mine) return undefined;
  const lines = linesOf(doc, it.item.line, it.item.endLine);
  if (it.item.checkboxRange) {
    const b = it.item.checkboxRange;
    lines[0] = lines[0].slice(0, b.start.character) + boxFor(doc, pt, complete) + lines[0].slice(b.end.character);
  }
  const removal = removeLines(doc, it.item.line, it.item.endLine);
  if (!dest && empty === undefined) {
    // Status and workstream headings nested, with no heading of the item's workstream under that of its status (or the
    // reverse): one, as the plan writes them, at the end of the section it goes in.
    for (const kind of headingKinds(to)) {
      const place = nestedPlace(doc, ws, list, kind);
      if (!place) continue;
      const sec = place.section;
      let last = sec.end - 1;
      while (last > sec.heading.endLine && (doc.lines[last] ?? '').trim() === '') last--;
      // Not in the lines the item leaves (it may be the section's last): before them.
      const inRemoval = (l: number) => l >= removal.start.line && (l < removal.end.line || (l === removal.end.line && removal.end.character > 0));
      if (inRemoval(last)) {
        last = removal.start.line - 1;
        while (last > sec.heading.endLine && (doc.lines[last] ?? '').trim() === '') last--;
      }
      // (Never at the point where the removal starts: the end of the line before the plan's last lines.)
      if (last < sec.heading.endLine || inRemoval(last) || (last === removal.start.line && removal.start.character > 0)) return undefined;
      const own = list.section !== undefined ? doc.sections[list.section].heading : undefined;
      const gap = own !== undefined && (doc.lines[own.endLine + 1] ?? '').trim() === '';
      const at = (doc.lines[last] ?? '').length;
      const text = doc.eol + doc.eol + place.heading + doc.eol + (gap ? doc.eol : '') + lines.join(doc.eol);
      if (landsInCode(doc, { line: last, character: at, text })) return undefined;
      return {
        edits: [
          { range: removal, newText: '' },
          { range: range(last, at, last, at), newText: text },
        ],
        under: place.under,
      };
    }
    return undefined;
  }
  if (!dest) {
    // A heading of that status beside the item's, with nothing under it yet (`### Completed` over no item): the item right under it.
    if (empty === undefined) return undefined;
    const h = doc.sections[empty].heading;
    const at = (doc.lines[h.endLine] ?? '').length;
    // A blank line after the heading, as the item's own list has one after its heading.
    const own = list.section !== undefined ? doc.sections[list.section].heading : undefined;
    const gap = own !== undefined && (doc.lines[own.endLine + 1] ?? '').trim() === '';
    return {
      edits: [
        { range: removal, newText: '' },
        { range: range(h.endLine, at, h.endLine, at), newText: doc.eol + (gap ? doc.eol : '') + lines.join(doc.eol) },
      ],
      under: doc.sections[empty].title,
    };
  }
  if (!dest.items.length || dest.items.some((i) => i.group !== undefined)) return undefined;
  const lastItem = dest.items[dest.items.length - 1].item;
  const theirs = marker.exec(doc.lines[lastItem.line] ?? '');
  if (!theirs) return undefined;
  let head = theirs[0];
  // An ordered list counts on from its last item (`1.` again in a list numbered `1.` throughout).
  const num = /^\d+/.exec(theirs[2]);
  const nums = dest.items.map((i) => /^\s*(\d+)[.)]/.exec(doc.lines[i.item.line] ?? '')?.[1]);
  const same = nums.length > 1 && nums.every((n) => n === nums[0]);
  if (num && !same) head = `${theirs[1]}${Number(num[0]) + 1}${theirs[2].slice(-1)}${theirs[3]}`;
  if (lines.length > 1 && head.length !== mine[0].length) return undefined;
  const first = head + lines[0].slice(mine[0].length);
  let end = lastItem.endLine;
  while (end > lastItem.line && (doc.lines[end] ?? '').trim() === '') end--;
  // A loose list (its items apart) gets the item after a blank line.
  const loose = dest.items.some((i, k) => k > 0 && (doc.lines[i.item.line - 1] ?? '').trim() === '');
  const at = (doc.lines[end] ?? '').length;
  // The place it goes must not be in the lines it leaves.
  if (removal.start.line <= end && end < removal.end.line) return undefined;
  return {
    edits: [
      { range: removal, newText: '' },
      { range: range(end, at, end, at), newText: doc.eol + (loose ? doc.eol : '') + [first, ...lines.slice(1)].join(doc.eol) },
    ],
    under: dest.status,
  };
}

/** Sets the status of the plan's row or item that `diag` reports to its phase's status. */
export const setPlanStatus = (svc: PhasegateService, diag: Diagnostic): CodeAction | undefined => {
  const d = diag.data as Partial<PlanStatusData> | undefined;
  const doc = svc.getDocument(diag.file);
  if (!d?.phase || !doc) return undefined;
  const tracked = planPhases(svc.model, diag.file);
  const ids = d.phases?.length ? d.phases : [d.phase];
  const phases = ids.map((id) => tracked.find((p) => p.id === id)).filter((p): p is Phase => p !== undefined);
  if (!phases.length || phases.length !== ids.length) return undefined;
  // A row of several phases takes a status only when they all have it.
  const statuses = new Set(phases.map((p) => svc.status(p)));
  if (statuses.size !== 1) return undefined;
  const status = [...statuses][0];
  const to = { status, kind: KIND[status] };
  const ws = workstreamsOf(tracked);
  const pt = planTables(doc, ws);
  if (!pt) return undefined;
  const line = diag.range.start.line;
  let change: Change | undefined;
  for (const t of pt.tables) {
    const row = t.table.rows.find((r) => r.line === line);
    if (row) change = rowFix(doc, pt, ws, t, row, to);
  }
  for (const list of pt.lists) {
    const it = list.items.find((i) => i.item.line === line || i.statusItem?.item.line === line);
    if (it && !change) change = itemFix(doc, pt, ws, list, it, to);
  }
  if (!change?.edits.length) return undefined;
  const names = phases.map((p) => p.id).join(', ');
  const title = change.under !== undefined ? `Move ${names} under "${change.under}" in the plan` : `Mark ${names} ${LABEL[status]} in the plan`;
  const a: CodeAction = { title, codes: [diag.code], isPreferred: true, change: { edits: [{ file: diag.file, edits: change.edits }], creates: [] } };
  // A complete phase is marked so by Fix all and `check --fix`: its gates all passed, a fact of its documents. A Complete
  // the team wrote ahead of the gates is lowered only when asked: the documents may lag the work, and once the gates pass
  // a row marked in progress or blocked is not reported (it may be awaiting integration), so the plan would stay behind.
  a.manual = to.kind !== 'complete';
  return a;
};

/** A row or item of a plan whose status disagrees with its phases' (plan-status-mismatch), and whether its fix applies. */
export interface DisagreeingRow {
  line: number;
  phases: { id: string; status: PhaseStatus }[];
  /** `phasegate check --fix` (and the editor's Fix all) updates it (else only the editor's quick fix, when asked, or the user). */
  fixable: boolean;
}

/**
 * The rows and items of the plan at `file` whose status disagrees with their phases' (the problems the set-plan-status
 * fix answers), one per row, in the plan's order; each with whether that fix applies to it (`phasegate check --fix`
 * and the editor's Fix all make it).
 */
export function disagreeingRows(svc: PhasegateService, file: string): DisagreeingRow[] {
  const rows = new Map<number, DisagreeingRow>();
  const tracked = planPhases(svc.model, file);
  for (const d of svc.diagnose(file)) {
    if (d.data?.fix !== 'set-plan-status') continue;
    const p = tracked.find((x) => x.id === d.data!.phase);
    if (!p) continue;
    const line = d.range.start.line;
    let row = rows.get(line);
    if (!row) rows.set(line, (row = { line, phases: [], fixable: false }));
    if (!row.phases.some((x) => x.id === p.id)) row.phases.push({ id: p.id, status: svc.status(p) });
    if (!row.fixable && setPlanStatus(svc, d)?.manual === false) row.fixable = true;
  }
  return [...rows.values()].sort((a, b) => a.line - b.line);
}
