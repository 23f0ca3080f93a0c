/**
 * The row of a new iAI phase in the project plan (`project_implementation_plan.md`): added to its
 * `## Phase Status` table in the table's own format (its columns, pipes, padding, line ending, and a
 * not-started status in the words the plan already uses), as a text edit that keeps every other byte
 * of the plan. The row reads so that the plan rule (rules/phase-plan.ts) matches it to the phase.
 */
import type { PhasegateService } from './service';
import { INLINE_LINK, headingText, normalizeTitle, parseDocument } from './markdown';
import type { ParsedDocument, Section, Table, TableCell } from './markdown';
import { basename, dirname, isInside, joinPath, relativePath } from './host';
import {
  PLAN_SECTION,
  headingStatus,
  isCompleteStatus,
  isPlaceholder,
  itemMatches,
  listFor,
  aloneNumber,
  numbersOnly,
  ownWorkstream,
  phaseNumberOf,
  planPhases,
  planTables,
  rowMatches,
  statusKind,
  statusSections,
  unplacedNumbers,
  titleStatus as titleStatusOf,
  titleWorkstream,
  tableFor,
  workstreamKey,
  workstreamsOf,
} from './rules/phase-plan';
import type { PlanItem, PlanList, PlanTables } from './rules/phase-plan';
import { textKey } from './handoff';
import { landsInCode } from './fixes/phase-edit';
import { type Phase, phaseName } from './workspace';
import { range } from './types';
import type { TextEdit } from './types';

/** The phase about to be created (or one the plan misses). */
export interface NewPlanPhase {
  id: string;
  folder: string;
  number: number;
  workstream: string;
  /** As Markdown: a title's `*` and `_` escaped where emphasis would take them (see `headingTitle`). */
  title: string | undefined;
  /** The row's status; default: not started, in the plan's words. */
  status?: string;
}

/** An edit of a plan that adds the phase's row; `text` is the plan's text it was planned on. */
export interface PlanRowEdit {
  file: string;
  text: string;
  edits: TextEdit[];
  reason: string;
  /** The plan cannot be read (binary, not UTF-8, too large): `reason` says why, and no row is added. */
  unreadable?: boolean;
}

/** What the plan rule needs of a phase to match a row to it (the phase does not exist yet). */
function asPhase(p: NewPlanPhase): Phase {
  return { id: p.id, folder: p.folder, number: p.number, workstream: p.workstream } as Phase;
}

/** Not-started words a plan may already use for a phase (compared by textKey, leading symbols left out). */
const NOT_STARTED = /^(not started|not yet started|not begun|pending|planned|todo|to do|open|queued|backlog|new|upcoming|scheduled|next)$/;

function statusKey(text: string): string {
  return textKey(text).replace(/^[^a-z0-9]+/, '');
}

/** "Not started" in the plan's vocabulary: a not-started status it uses already, else in the case and separators of its statuses. */
function notStarted(statuses: string[]): string {
  const used = statuses.map((s) => s.trim()).filter((s) => s !== '');
  const same = used.find((s) => NOT_STARTED.test(statusKey(s)));
  if (same !== undefined) return same;
  const words = used.map((s) => s.replace(/^[^A-Za-z0-9]+/, '')).filter((s) => /[A-Za-z]/.test(s));
  const sep = words.some((s) => /[a-z]-[a-z]/i.test(s)) ? '-' : words.some((s) => /[a-z]_[a-z]/i.test(s)) ? '_' : ' ';
  if (words.length && words.every((s) => s === s.toUpperCase())) return ['NOT', 'STARTED'].join(sep);
  if (words.length && words.every((s) => s === s.toLowerCase())) return ['not', 'started'].join(sep);
  // "In Progress" (every word capitalised) → "Not Started"; "In progress", "Complete" → "Not started".
  const titleCase = words.some((s) => /^[A-Z][a-z]*([\s_-]+[A-Z][a-z]*)+$/.test(s));
  return ['Not', titleCase ? 'Started' : 'started'].join(sep);
}

/**
 * The line ending that ends line `line` of `text` (that of the line before when it is the last line); a CR alone only in a
 * document whose lines end so (`fallback`, its own line ending): in a CRLF or LF plan it is a slip (`### Build\r<!--`), not
 * copied into the lines added.
 */
function lineEnding(text: string, line: number, fallback: string): string {
  const parts = text.split(/(?<=\r\n|\n|\r(?!\n))/);
  for (let i = Math.min(line, parts.length - 1); i >= 0; i--) {
    const m = /(\r\n|\n|\r)$/.exec(parts[i]);
    if (m) return m[1] === '\r' && fallback !== '\r' ? fallback : m[1];
  }
  return fallback;
}

/** Text as a table cell holds it: its `|` escaped. */
export const escapeCell = (s: string): string => s.replace(/\|/g, '\\|');

/** An inline link, as the rules read one (its target may hold balanced parentheses). */
const LINK = new RegExp(INLINE_LINK);

/** The phase's cell, written as the table's other rows name their phases. */
function phaseCell(sample: string | undefined, p: NewPlanPhase, planDir: string, hasWorkstream: boolean, promptFile: string): string {
  const name = basename(p.folder);
  const titled = p.title !== undefined && hasWorkstream ? `Phase ${p.number}: ${p.title}` : undefined;
  const link = sample === undefined ? null : LINK.exec(sample);
  if (link) {
    const oldText = link[1];
    const oldTarget = link[2].replace(/^<|>$/g, '');
    let target = relativePath(planDir, p.folder);
    if (/\.md$/i.test(oldTarget)) target += `/${promptFile}`;
    else if (oldTarget.endsWith('/')) target += '/';
    if (oldTarget.startsWith('./') && !target.startsWith('.')) target = `./${target}`;
    if (/[\s()<>]/.test(target)) target = `<${target}>`;
    // "[Phase 1](…)", "[Phase 1: Source Control](…)" or the folder name.
    const text = /^\s*phase\s*\d+\s*$/i.test(oldText)
      ? `Phase ${p.number}`
      : /^\s*phase\s*\d+\s*[:.\-–—]/i.test(oldText) && !oldText.includes('_') && p.title
        ? `Phase ${p.number}: ${p.title}`
        : name;
    return `[${text.replace(/[[\]]/g, '\\$&')}](${target})`;
  }
  if (sample !== undefined && titled && /^\s*phase\s*\d+\s*[:.\-–—]/i.test(sample) && !sample.includes('_')) return titled;
  // "Build/Phase_1_Source_Control": the phase id.
  if (sample !== undefined && /^[^/\s]+\/[^/\s]+$/.test(sample.trim())) return p.id;
  return name;
}

/**
 * The edit that adds the phase's row to the plan `doc` (read from `file`), or why none is made
 * (undefined: the plan has a row for it already). None that would write into a code fence or an HTML block (one left open
 * around where the row or item goes, that no place before it could be found clear of): there it would be no Markdown,
 * and the plan would not list the phase.
 */
export function planRowEditOf(...args: Parameters<typeof planRowEdit>): ReturnType<typeof planRowEdit> {
  const [doc, , , p] = args;
  const r = planRowEdit(...args);
  if (!r || !('edits' in r)) return r;
  for (const e of r.edits) {
    const { start, end } = e.range;
    if (start.line !== end.line || start.character !== end.character) continue;
    // Only an insertion next to code or an HTML block may land in one (performance only: the part around it is parsed again).
    if (!doc.codeLines.has(start.line) && !doc.codeLines.has(start.line + 1)) continue;
    if (landsInCode(doc, { line: start.line, character: start.character, text: e.newText }))
      return { reason: `a code block or HTML block is left open where the ${r.list ? 'item' : 'row'} of ${phaseName(p)} would go` };
  }
  return r;
}

/**
 * planRowEditOf's edit, before it is held clear of code. `unplaced`: the numbers the plan rule takes as listed by an item
 * of no workstream (see unplacedNumbers), when the project's phases are known.
 */
function planRowEdit(
  doc: ParsedDocument,
  file: string,
  root: string,
  p: NewPlanPhase,
  promptFile: string,
  workstreams: readonly string[],
  unplaced?: ReadonlySet<number>,
): { edits: TextEdit[]; list?: boolean } | { reason: string } | undefined {
  // The project's workstreams name the tables kept one per workstream; the new phase's may be new.
  const ws = workstreams.includes(p.workstream) ? workstreams : [...workstreams, p.workstream];
  const pt = planTables(doc, ws);
  if (!pt) return { reason: `no "${PLAN_SECTION}" section` };
  const phase = asPhase(p);
  if (pt.tables.some((t) => t.table.rows.some((r) => rowMatches(doc, file, r.cells, t.cols, phase, root)))) return undefined;
  if (pt.lists.some((l) => l.items.some((it) => itemMatches(file, it, phase, root)))) return undefined;
  // An item of its number with no workstream (`- Phase 3: Advanced CI` under `### Planned`) that matches none of the
  // project's phases (`unplaced`, see unplacedNumbers) may be its: as the plan rule takes it, the phase is listed (a
  // second item could name it twice). Without the project's phases (a plan's text alone), any such item, or row of no
  // workstream (`| Phase 3: Advanced CI | Done |`).
  if (unplaced ? unplaced.has(p.number) : numberedAloneIn(doc, pt, p.number)) return undefined;
  // Tables under status headings (`### Completed`, `### Not Started`) with no Status column (a plan with a table that has
  // a Status column takes the row there): the new phase's row goes into a table of its status.
  const headed = pt.tables.some((t) => t.cols.status !== undefined) ? [] : pt.tables.filter((t) => headingStatus(doc, t.table.section, ws) !== undefined);
  const kind = statusKind(p.status ?? 'Not started');
  const ofKind = headed.filter((t) => statusKind(headingStatus(doc, t.table.section, ws)!) === kind);
  // A plan kept as checklists: an item in the workstream's list (or a list of its own), as the others are written.
  const { list, staged } = chooseList(pt, p, ofKind.length > 0);
  if (list || staged || (!pt.tables.length && pt.lists.length)) return { edits: [listItemEdit(doc, file, pt, ws, list, p, promptFile, staged)], list: true };
  // A plan of one table per workstream, none yet for this one: a table of its own, shaped as the last one, under a heading as theirs.
  const lastTable = pt.tables[pt.tables.length - 1];
  let target = tableFor(pt, p.workstream);
  // Under status headings: the row goes into the table of the new phase's status (its workstream's there, else the last of
  // no other workstream's), never under another status; with only other workstreams' tables of its status (`### Not
  // Started` › `#### Test`), a table of its own after the last of those, under a heading as theirs (was: a row in another
  // workstream's table, read as that workstream's). In a plan read by its status sections, with no table of its status, a
  // table of its own goes after the last status section (`newSection`).
  let newSection: PlanTables['tables'][number] | undefined;
  let otherWorkstream = false;
  if (headed.length) {
    const free = ofKind.filter((t) => t.cols.impliedWorkstream === undefined || workstreamKey(t.cols.impliedWorkstream) === workstreamKey(p.workstream));
    const pick =
      free.find((t) => t.table === target?.table) ??
      free.find((t) => t.cols.impliedWorkstream !== undefined) ??
      free[free.length - 1] ??
      ofKind[ofKind.length - 1];
    if (pick && !free.includes(pick)) otherWorkstream = true;
    if (!pick && pt.byStatus) newSection = tableFor({ ...pt, tables: headed }, p.workstream) ?? headed[headed.length - 1];
    else if (!pick) return { reason: `no table under a "${p.status ?? 'Not started'}" heading in "${PLAN_SECTION}"` };
    target = pick ?? newSection;
  }
  if (!target && !lastTable && pt.byStatus) return { edits: [firstStatusItem(doc, ws, p)], list: true };
  if (!target && !lastTable) return { reason: `no table of phases under "${PLAN_SECTION}"` };
  // A table of its own names its workstream by the heading over it; a new status section's table has one only when the
  // table it is shaped as has one (else its row names the phase without it, as a table of no workstream must).
  const shape = target ?? lastTable;
  const implied = newSection && shape.cols.impliedWorkstream === undefined ? undefined : p.workstream;
  const { table, cols } = target && !otherWorkstream && !newSection ? target : { table: shape.table, cols: { ...shape.cols, impliedWorkstream: implied } };

  // The template's only row (`| [Workstream] | [Phase] | Not started |`) is there to be replaced by the first phase's row.
  const only = table.rows.length === 1 ? table.rows[0] : undefined;
  const templateRow =
    !otherWorkstream &&
    !newSection &&
    only !== undefined &&
    isPlaceholder(only.cells[cols.phase]?.text ?? '') &&
    only.cells.every((c, i) => i === cols.status || i === cols.phase || c.text.trim() === '' || isPlaceholder(c.text));
  const rows = table.rows.filter((r) => r.cells[cols.phase] && textKey(r.cells[cols.phase].text) !== '');
  const sampleRow = rows[rows.length - 1] ?? table.rows[table.rows.length - 1];
  const texts = table.header.map(() => '');
  if (cols.workstream !== undefined) texts[cols.workstream] = p.workstream;
  const ownWorkstream = cols.workstream !== undefined || cols.impliedWorkstream !== undefined;
  texts[cols.phase] = phaseCell(sampleRow?.cells[cols.phase]?.text, p, dirname(file), ownWorkstream, promptFile);
  if (cols.status !== undefined) texts[cols.status] = p.status ?? notStarted(table.rows.map((r) => r.cells[cols.status!]?.text ?? ''));
  table.header.forEach((h, i) => {
    if (i !== cols.phase && i !== cols.workstream && i !== cols.status && /^(title|name|phase title|description|summary|goal)$/.test(textKey(h.text)))
      texts[i] = p.title ?? '';
  });

  // The table's look: indentation, outer pipes, spaces around cells, padding of aligned columns.
  const model = doc.lines[sampleRow ? sampleRow.line : table.line] ?? '';
  // What the rows begin with before their cells: indentation, and the `>` of a quote that holds the table.
  const indent = /^(?:[ \t]*>)*[ \t]*/.exec(model)![0];
  // A row whose first cell is empty starts with a pipe (without one, its first `|` would be read as the leading pipe, its cells moved one to the left).
  const lead = model.startsWith('|', indent.length) || texts[0] === '';
  const trail = /\|\s*$/.test(model) && model.trim() !== '|';
  const spaced = sampleRow ? /\|\s/.test(model) || /\s\|/.test(model) : true;
  const aligned = alignedWidths([table.header, ...table.rows.map((r) => r.cells)]);
  const cells = texts.map((t, i) => {
    const c = escapeCell(t);
    return aligned && i < texts.length - 1 + (trail ? 1 : 0) ? c.padEnd(aligned[i]) : c;
  });
  const sep = spaced ? ' | ' : '|';
  const row = indent + (lead ? (spaced ? '| ' : '|') : '') + cells.join(sep) + (trail ? (spaced ? ' |' : '|') : '');
  if (newSection) return { edits: [newStatusTable(doc, pt, newSection, ws, p, row.trimEnd())] };
  if (!target || otherWorkstream) return { edits: [newWorkstreamTable(doc, table, (target ?? lastTable).cols.impliedWorkstream, p.workstream, row.trimEnd())] };
  if (templateRow) {
    const line = only.line;
    return { edits: [{ range: range(line, 0, line, (doc.lines[line] ?? '').length), newText: row.trimEnd() }] };
  }
  const last = rowPlace(table, cols, p);
  const at = (doc.lines[last] ?? '').length;
  return { edits: [{ range: range(last, at, last, at), newText: lineEnding(doc.text, last, doc.eol) + row.trimEnd() }] };
}

/**
 * The line after which a new phase's row goes in `table`: in a table with a Workstream column that holds rows of the
 * phase's workstream, among them — before the first of a higher number where they are in the order of their numbers
 * (`| Build | Phase 2 |` between Build's phases 1 and 3), else after the last of them (`| Build | Phase 3 |` after
 * Build's rows, not after Test's that follow them); else after the last row (after the delimiter row of a table
 * without rows), as a new workstream's first row.
 */
function rowPlace(table: Table, cols: PlanTables['tables'][number]['cols'], p: NewPlanPhase): number {
  const end = table.rows.length ? table.rows[table.rows.length - 1].line : table.line + 1;
  if (cols.workstream === undefined) return end;
  const key = workstreamKey(p.workstream);
  const own = table.rows.flatMap((r, i) => (workstreamKey(r.cells[cols.workstream!]?.text ?? '') === key ? [i] : []));
  if (!own.length) return end;
  const numbers = own.map((i) => {
    const m = phaseNumberOf(table.rows[i].cells[cols.phase]?.text ?? '');
    return m ? Number(m[1]) : NaN;
  });
  const ordered = numbers.every((n, k) => Number.isFinite(n) && (k === 0 || n > numbers[k - 1]));
  const next = ordered ? numbers.findIndex((n) => n > p.number) : -1;
  if (next < 0) return table.rows[own[own.length - 1]].line;
  const i = own[next];
  return i > 0 ? table.rows[i - 1].line : table.line + 1;
}

/**
 * A workstream's own table, after the section of `model` (the last workstream's table): a heading as
 * that one's (`### Deploy Workstream` after `### Build Workstream`), the model's header and delimiter rows, and `row`.
 */
function newWorkstreamTable(doc: ParsedDocument, model: Table, implied: string | undefined, workstream: string, row: string): TextEdit {
  const { end, headings, tail } = workstreamPlace(doc, model.section, model.endLine, implied, workstream);
  const eol = lineEnding(doc.text, end, doc.eol);
  const at = (doc.lines[end] ?? '').length;
  const lines = ['', ...headings.flatMap((h) => [h, '']), doc.lines[model.line], doc.lines[model.line + 1], row];
  return { range: range(end, at, end, at), newText: eol + lines.join(eol) + (tail ? eol : '') };
}

/**
 * Where text after section `sec` goes: the end of its last line that is not blank (its heading's when it holds nothing), with
 * that line's ending; before an HTML comment or block left open there (see clearOfOpenBlock), `tail` when a blank line must follow it.
 */
function afterSection(doc: ParsedDocument, sec: Section): { end: number; at: number; eol: string; tail: boolean } {
  let last = sec.end - 1;
  while (last > sec.heading.line && (doc.lines[last] ?? '').trim() === '') last--;
  const { end, tail } = clearOfOpenBlock(doc, last, sec.heading.line);
  return { end, at: (doc.lines[end] ?? '').length, eol: lineEnding(doc.text, end, doc.eol), tail };
}

/** HTML blocks that end only at a closing string (CommonMark's first five kinds): a comment, `<script>`, `<?`, `<!DOCTYPE`, `<![CDATA[`. */
const CLOSED_HTML: { open: RegExp; close: RegExp }[] = [
  { open: /^ {0,3}<!--/, close: /-->/ },
  { open: /^ {0,3}<(?:script|pre|style|textarea)(?=[\s>]|$)/i, close: /<\/(?:script|pre|style|textarea)>/i },
  { open: /^ {0,3}<\?/, close: /\?>/ },
  { open: /^ {0,3}<![A-Za-z]/, close: />/ },
  { open: /^ {0,3}<!\[CDATA\[/, close: /\]\]>/ },
];

/**
 * Whether fenced code block `b`, outside any list or quote, is left open: its last line is no closing fence of its
 * opening's kind (a fence of the same character, as long or longer), so that it runs to the end of the plan. (One in a
 * list item or a quote ends with it, which the text added, after a blank line or at a lesser indentation, ends.)
 * Indented code is never open: it ends where its indentation does.
 */
function openFence(doc: ParsedDocument, b: { line: number; endLine: number }): boolean {
  const open = /^ {0,3}(`{3,}|~{3,})/.exec(doc.lines[b.line] ?? '');
  if (!open) return false;
  if (b.endLine <= b.line) return true;
  const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(doc.lines[b.endLine] ?? '');
  return !close || close[1][0] !== open[1][0] || close[1].length < open[1].length;
}

/**
 * Line `end` (the last line that is not blank of where text is appended), or, when it lies in a code fence left open
 * (see openFence) or an HTML block left open (an HTML comment, `<!--` with no `-->` after it, or `<!X`, `<?`,
 * `<script>` … without their end: markdown-it reads the rest of the plan, or of its section, as that block), the last
 * line that is not blank before the block, down to `floor`: text
 * appended after `end` would be read as part of it. `tail`: no blank line parts that line from the block, so the text
 * appended ends with one (else the block's first line would continue a table or list written there).
 */
function clearOfOpenBlock(doc: ParsedDocument, end: number, floor: number): { end: number; tail: boolean } {
  if (!doc.codeLines.has(end)) return { end, tail: false };
  // The blocks from the first line of HTML or code before `end`, in order: the one that holds `end`, if it is left open.
  let first = end;
  while (first - 1 > floor && doc.codeLines.has(first - 1)) first--;
  let start = -1;
  for (let k = first; k <= end && start < 0;) {
    const code = doc.codeBlocks.find((b) => b.line <= k && k <= b.endLine);
    const src = doc.lines[k] ?? '';
    const kind = code ? undefined : CLOSED_HTML.find((b) => b.open.test(src));
    if (code && code.endLine >= end && openFence(doc, code)) start = code.line;
    else if (code) k = code.endLine + 1;
    else if (!kind) {
      // An HTML block that ends at a blank line (`<div>`, a tag alone on its line).
      while (k <= end && (doc.lines[k] ?? '').trim() !== '') k++;
      k++;
    } else {
      const rest = src.slice(kind.open.exec(src)![0].length);
      let m = k;
      while (m <= end && !kind.close.test(m === k ? rest : (doc.lines[m] ?? ''))) m++;
      if (m > end) start = k;
      k = m + 1;
    }
  }
  if (start < 0) return { end, tail: false };
  let e = start - 1;
  while (e > floor && (doc.lines[e] ?? '').trim() === '') e--;
  return { end: e, tail: e === start - 1 };
}

/**
 * The headings from section `from` up to (not with) its ancestor `to`, outermost first, as written over a new phase's
 * table or list: those that name a workstream (among `ws`), respelled for the new phase's `workstream` (its name alone
 * when the heading does not spell the workstream as written: `` ### B`uild ``). A heading that names no workstream
 * (`##### uild`, `### Details`) is left out: under it, the new phase would be read as of no workstream, or of the
 * workstream of a heading it falls under there.
 */
function headingsBetween(doc: ParsedDocument, from: number | undefined, to: number | undefined, ws: readonly string[], workstream: string): string[] {
  const subs: string[] = [];
  for (let i = from; i !== undefined && i !== to; i = doc.sections[i].parent) {
    const named = titleWorkstream(doc.sections[i].title, ws);
    if (named === undefined) continue;
    const h = doc.sections[i].heading;
    subs.unshift(`${'#'.repeat(h.level)} ${headingText(respell(h.text, named, workstream) ?? workstream)}`);
  }
  return subs;
}

/**
 * A table of the new phase's status of its own, in a plan read by its status sections that has no table of that status:
 * under a status heading as the model table's (`## Not Started` beside `## Completed`), after the last of those, with
 * the headings between that heading and the model table (its workstream's, respelled), the model's header and
 * delimiter rows, and `row`.
 */
function newStatusTable(
  doc: ParsedDocument,
  pt: PlanTables,
  model: PlanTables['tables'][number],
  ws: readonly string[],
  p: NewPlanPhase,
  row: string,
): TextEdit {
  const status = headingStatus(doc, model.table.section, ws)!;
  let statusAt = model.table.section;
  while (statusAt !== undefined && doc.sections[statusAt].title !== status) statusAt = doc.sections[statusAt].parent;
  const sec = doc.sections[statusAt!];
  const siblings = doc.sections.filter((x) => x.parent === sec.parent && x.level === sec.level && titleStatusOf(x.title));
  const subs = headingsBetween(doc, model.table.section, statusAt, ws, p.workstream);
  const away = otherWorkstreamAbove(doc, sec, ws, p.workstream);
  // A section of its status the plan has already (holding lists only, or nothing): the table goes at its end, as an item
  // does (was: a second section of that status); when that section is kept by workstream (`## Not Started` › `### Test`),
  // under a heading of its own there (at the section's end, the table would be under the last one's heading).
  const kind = statusKind(p.status ?? 'Not started');
  const same = away ? undefined : siblings.find((x) => statusKind(x.title) === kind);
  if (same && !subs.length && same.children.length) subs.push(`${'#'.repeat(doc.sections[same.children[0]].level)} ${headingText(p.workstream)}`);
  const { end, at, eol, tail } = afterSection(doc, same ?? away?.place ?? siblings[siblings.length - 1] ?? sec);
  const title = statusTitle(pt, p.status ?? 'Not started', doc, ws);
  const headings = [...(away?.headings ?? []), ...(same ? [] : [`${'#'.repeat(sec.level)} ${title}`]), ...subs].flatMap((h) => [h, '']);
  const lines = ['', ...headings, doc.lines[model.table.line], doc.lines[model.table.line + 1], row];
  return { range: range(end, at, end, at), newText: eol + lines.join(eol) + (tail ? eol : '') };
}

/**
 * In a plan that keeps its status sections under each workstream's heading (`## Deploy` › `### Completed`), where a status
 * section of the new phase's `workstream` goes when status section `sec` is under another workstream's heading: at the end
 * of its own workstream's section there, else after that other workstream's section, under a heading of its own shaped as
 * that one (`## Build` after `## Deploy`). Undefined when no workstream's heading is above `sec`, or the phase's is.
 */
function otherWorkstreamAbove(
  doc: ParsedDocument,
  sec: Section,
  ws: readonly string[],
  workstream: string,
): { place: Section; headings: string[] } | undefined {
  for (let i = sec.parent; i !== undefined; i = doc.sections[i].parent) {
    const o = doc.sections[i];
    const named = titleWorkstream(o.title, ws);
    if (named === undefined) continue;
    if (sameWorkstream(named, workstream)) return undefined;
    const own = doc.sections.find((x) => x.parent === o.parent && x.level === o.level && sameWorkstream(titleWorkstream(x.title, ws), workstream));
    if (own) return { place: own, headings: [] };
    return { place: o, headings: [`${'#'.repeat(o.heading.level)} ${headingText(respell(o.heading.text, named, workstream) ?? workstream)}`] };
  }
  return undefined;
}

/**
 * The first phase of a plan read by its status sections that lists none yet (`## Completed`, `## Not Started`, both
 * empty): an item naming it by its id (`- Build/Phase_1_CI`), under the section of its status, else under a section of
 * its own after the last status section.
 */
function firstStatusItem(doc: ParsedDocument, ws: readonly string[], p: NewPlanPhase): TextEdit {
  const sections = statusSections(doc, ws);
  const kind = statusKind(p.status ?? 'Not started');
  const same = sections.find((x) => statusKind(x.title) === kind);
  const after = same ?? sections[sections.length - 1];
  const { end, at, eol, tail } = afterSection(doc, after);
  const item = `- ${p.id}`;
  const lines = same
    ? ['', item]
    : ['', `${'#'.repeat(after.level)} ${kind === 'not started' ? notStarted(sections.map((x) => x.title)) : p.status}`, '', item];
  return { range: range(end, at, end, at), newText: eol + lines.join(eol) + (tail ? eol : '') };
}

/**
 * Where a workstream's own table or list goes, after the last one (in section `idx`, its last line `last`),
 * and the headings above it: a heading as that one's (`### Deploy Workstream` after `### Build Workstream`);
 * in a plan that keeps a Phase Status section under each workstream's heading (`## Build` › `### Phase
 * Status`, the workstream `implied` by the heading above), after that workstream's section, under
 * `## Deploy` › `### Phase Status`, where the plan rule reads it (so too status sections under each workstream's heading:
 * `## Deploy` › `### Not Started`).
 */
function workstreamPlace(
  doc: ParsedDocument,
  idx: number | undefined,
  last: number,
  implied: string | undefined,
  workstream: string,
): { end: number; headings: string[]; tail: boolean } {
  const section = idx !== undefined ? doc.sections[idx] : undefined;
  // A Phase Status section under each workstream's heading, or status sections (`## Deploy` › `### Completed`).
  const parent = section?.parent !== undefined ? doc.sections[section.parent] : undefined;
  const nested =
    section &&
    implied !== undefined &&
    parent &&
    (section.key === normalizeTitle(PLAN_SECTION) || (titleStatusOf(section.title) && titleWorkstream(parent.title, [implied]) !== undefined))
      ? parent
      : undefined;
  const outer = nested ?? section;
  const heading = outer?.heading;
  const level = Math.min(6, heading?.level ?? 3);
  const title =
    (heading && implied !== undefined && renamed(heading.text, implied, workstream)) ??
    (heading && /\bworkstream\b/i.test(heading.text) && !/\bworkstream\b/i.test(workstream) ? `${workstream} Workstream` : workstream);
  let end = outer ? outer.end - 1 : last;
  while (end > last && (doc.lines[end] ?? '').trim() === '') end--;
  const headings = [`${'#'.repeat(level)} ${headingText(`${title}`)}`];
  if (nested && section) headings.push(`${'#'.repeat(section.level)} ${headingText(section.heading.text)}`);
  return { ...clearOfOpenBlock(doc, end, last), headings };
}

/**
 * The heading `text` of workstream `from`'s section as `to`'s: its name replaced, a leading number counted
 * on (`3.1. Build Workstream (iAI Managed)` → `3.2. Deploy Workstream (iAI Managed)`). Undefined when the
 * text does not spell the name.
 */
function renamed(text: string, from: string, to: string): string | undefined {
  const out = respell(text, from, to);
  if (out === undefined) return undefined;
  return out.replace(/^((?:\d+\.)*)(\d+)(\.?\s)/, (_m, a: string, n: string, b: string) => `${a}${Number(n) + 1}${b}`);
}

/** A heading's title for `status`: a heading of its kind the plan has, else `Not started` in the plan's words, else `status` cased as the plan's status headings. */
function statusTitle(pt: PlanTables, status: string, doc?: ParsedDocument, ws: readonly string[] = []): string {
  const titles = pt.lists.flatMap((l) => (l.status !== undefined ? [l.status] : []));
  if (doc) for (const t of pt.tables) titles.push(...[headingStatus(doc, t.table.section, ws)].filter((x): x is string => x !== undefined));
  const kind = statusKind(status);
  const known = titles.find((t) => statusKind(t) === kind);
  if (known !== undefined) return known;
  if (kind === 'not started') return notStarted(titles);
  const titled = titles.every((t) => /^[^A-Za-z]*[A-Z][a-z]*(\s+[A-Z][a-z]*)*\W*$/.test(t)) && titles.some((t) => /\s/.test(t.trim()));
  return titled ? status.replace(/(^|\s)([a-z])/g, (_m, a: string, c: string) => a + c.toUpperCase()) : status;
}

const sameWorkstream = (a: string | undefined, b: string): boolean => a !== undefined && workstreamKey(a) === workstreamKey(b);

/**
 * The list a phase's item goes in: its workstream's (listFor), and, in a plan whose lists are headed by status (`### Completed`,
 * `### Not started`), the one of its status among them, else, when none is of its status, none (`staged`: the last of them,
 * after which one of its own goes); among lists of no workstream, one that holds its workstream's phases first.
 */
function chooseList(pt: PlanTables, p: NewPlanPhase, tableOfKind = false): { list?: PlanList; staged?: PlanList } {
  const kind = statusKind(p.status ?? 'Not started');
  const ofKind = pt.lists.filter((l) => l.status !== undefined && statusKind(l.status) === kind);
  // Its workstream's list of its status; else a table of its status (a plan that keeps some statuses as tables); else a
  // list of its status under no workstream's heading (`## In Progress` over `- Build Phase 2: …`).
  const own = ofKind.find((l) => sameWorkstream(l.impliedWorkstream, p.workstream));
  if (own) return { list: own };
  if (tableOfKind) return {};
  const free = ofKind.find((l) => l.impliedWorkstream === undefined);
  const first = listFor(pt, p.workstream);
  // (A plan with a table that has a Status column takes the row there.)
  if (!first) return free && !pt.tables.some((t) => t.cols.status !== undefined) ? { list: free } : {};
  let cands = pt.lists.filter((l) => l.impliedWorkstream === first.impliedWorkstream);
  const headed = cands.filter((l) => l.status !== undefined);
  if (headed.length) {
    cands = headed.filter((l) => statusKind(l.status!) === kind);
    if (!cands.length) return free ? { list: free } : { staged: headed[headed.length - 1] };
  }
  return { list: cands.find((l) => l.items.some((i) => i.phaseLike && sameWorkstream(i.workstream, p.workstream))) ?? cands[0] };
}

/**
 * The first of `items` (a workstream's items of a phase, in the list's order) with a number greater than `n`, when their
 * numbers are in order (each as great as the one before it, `Phase 1`, `Phase 3`); undefined when none is greater, or
 * they are not in order (the new item then goes after the last).
 */
function laterItem(items: readonly PlanItem[], n: number): PlanItem | undefined {
  const numbered = items.filter((i) => i.phaseLike && i.number !== undefined);
  if (numbered.some((i, k) => k > 0 && i.number! < numbered[k - 1].number!)) return undefined;
  return numbered.find((i) => i.number! > n);
}

/** The number of an ordered list item's line (`3.` → 3). */
function itemNumber(src: string): number | undefined {
  const m = /^\s*(?:(?:>\s?)+\s*)?(\d+)[.)]/.exec(src);
  return m ? Number(m[1]) : undefined;
}

/** `text` with workstream `from`'s name, as it spells it, replaced by `to` (undefined when it does not spell it). */
function respell(text: string, from: string, to: string): string | undefined {
  // `Data_Pipeline` is written `Data Pipeline` or `Data-Pipeline` too.
  const spelled = new RegExp(`(?<![\\p{L}\\p{N}])${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[_ -]/g, '[_ -]')}(?![\\p{L}\\p{N}])`, 'iu');
  const at = spelled.exec(text);
  if (!at) return undefined;
  return text.slice(0, at.index) + to + text.slice(at.index + at[0].length);
}

/**
 * The phase's name as a neighbour that names its own workstream names its phase (`Build Phase 1: Scaffold`,
 * `**Build** — Phase 1`), of workstream `from`: the workstream respelled, the rest as numberedName writes it.
 */
function prefixedName(sample: string, from: string, p: NewPlanPhase): string | undefined {
  const s = sample.trim();
  const wrap = /^(\*\*|__)(?!\s)[\s\S]*\S\1$/.exec(s);
  if (wrap) {
    const inner = prefixedName(s.slice(2, -2), from, p);
    return inner === undefined ? undefined : `${wrap[1]}${inner}${wrap[1]}`;
  }
  const own = ownWorkstream(s, [from]);
  if (!own) return undefined;
  const head = respell(s.slice(0, own.at), from, p.workstream);
  const rest = numberedName(s.slice(own.at), p);
  return head !== undefined && rest !== undefined ? head + rest : undefined;
}

/**
 * The edit that adds the phase's item to `list` (or, when undefined, to a list of its workstream's own after the
 * plan's last list, under a heading as that one's; with `staged`, to a list of its status's own after that one, under a
 * heading as that one's): the item after the list's last item of a phase (of its workstream, when the list holds
 * several), in its shape (indentation, marker, checkbox, the way it names its phase and its workstream, its status after
 * the same separator or in a `Status: …` sub-item); under a parent item of its workstream (`- Build`), or one of its own.
 * `ws`: the project's workstreams (the new phase's among them).
 */
function listItemEdit(
  doc: ParsedDocument,
  file: string,
  pt: PlanTables,
  ws: readonly string[],
  list: PlanList | undefined,
  p: NewPlanPhase,
  promptFile: string,
  staged?: PlanList,
): TextEdit {
  const model = list ?? staged ?? pt.lists[pt.lists.length - 1];
  const phaseItems = model.items.filter((i) => i.phaseLike);
  const mine = phaseItems.filter((i) => sameWorkstream(i.workstream, p.workstream));
  const sample = mine[mine.length - 1] ?? phaseItems[phaseItems.length - 1] ?? model.items[model.items.length - 1];
  // Its box, name and status as the last item that gives a status (a box, a word, a `Status: …` sub-item, or its status
  // heading's), when the sample gives none (`- Phase 9: Ghost` after `- [x] Phase 1: …`): else a complete phase's is lost.
  const statused = (i: PlanItem) => i.item.checkboxRange !== undefined || i.status !== undefined || i.inherited !== undefined;
  const shape = statused(sample) ? sample : (mine.filter(statused).pop() ?? phaseItems.filter(statused).pop() ?? sample);
  // Under another workstream's parent item (`- Build`): a parent item of its own, after the list's last one.
  const newGroup = sample.group !== undefined && !sameWorkstream(sample.workstream, p.workstream);
  const siblings = model.items.filter((i) => i.group === sample.group);
  // In a list that keeps its workstream's phases in the order of their numbers (`Phase 1`, `Phase 3`): before the first of
  // a greater number (`Phase 2` between them), not after the last.
  const later =
    list && !staged && !newGroup
      ? laterItem(
          siblings.filter((i) => mine.includes(i)),
          p.number,
        )
      : undefined;
  const src = doc.lines[sample.item.line] ?? '';
  const m = /^(\s*(?:(?:>\s?)+\s*)?)(?:([-*+])|(\d+)([.)]))(\s+)/.exec(src);
  // Indented as the item it goes before, when it goes before one: the sample's indentation (`  - Phase 4` after `-   Phase
  // 4`, a sibling there) could be deeper than the content of the item above the new one, whose sub-item it would be.
  const lead = later ? /^\s*(?:(?:>\s?)+\s*)?/.exec(doc.lines[later.item.line] ?? '')![0] : m ? m[1] : '';
  const space = m ? m[5] : ' ';
  let marker = m?.[2] ?? '-';
  if (m && m[3] !== undefined) {
    // An ordered list counts on from its last item (`1.` again in a list numbered `1.` throughout); a new list starts at its first number.
    const nums = siblings.map((i) => Number(/^\s*(?:(?:>\s?)+\s*)?(\d+)[.)]/.exec(doc.lines[i.item.line] ?? '')?.[1] ?? NaN));
    // Before a later item, its number: the items after it are not renumbered (that would change the user's lines), and
    // Markdown numbers an ordered list in order whatever its numbers after the first.
    const next =
      (!list && !staged) || newGroup
        ? nums[0]
        : nums.length > 1 && nums.every((n) => n === nums[0])
          ? nums[0]
          : later
            ? (itemNumber(doc.lines[later.item.line] ?? '') ?? NaN)
            : Number(m[3]) + 1;
    marker = `${Number.isNaN(next) ? 1 : next}${m[4]}`;
  }
  const statuses = (items: PlanItem[]) => items.flatMap((i) => (i.status ? [i.status.text] : i.inherited ? [i.inherited.text] : []));
  const status = p.status ?? notStarted(statuses(model.items));
  let box = '';
  if (shape.item.checkboxRange) {
    const after = /^\s*/.exec((doc.lines[shape.item.line] ?? '').slice(shape.item.checkboxRange.end.character))![0];
    // Checked as the list checks its items (`[X]` in a list that writes it so).
    const upper =
      model.items.some((i) => i.item.checked && /\[X\]/.test(doc.lines[i.item.line] ?? '')) &&
      !model.items.some((i) => i.item.checked && /\[x\]/.test(doc.lines[i.item.line] ?? ''));
    box = `[${isCompleteStatus(status) ? (upper ? 'X' : 'x') : ' '}]${after || ' '}`;
  }
  // Its workstream as the list gives it: by its heading, a parent item, or in the item's own words (`Build Phase 1: …`).
  const ownWs = sample.group !== undefined || (list ? list.impliedWorkstream !== undefined : !staged || staged.impliedWorkstream !== undefined);
  const name =
    (shape.prefix !== undefined && shape.workstream !== undefined && prefixedName(shape.name, shape.workstream, p)) ||
    (ownWs && shape.prefix === undefined && numberedName(shape.name, p)) ||
    // A list of no workstream that names its phases by number (`- Phase 1: CI Setup` under `## Phase Status`): the number
    // with its workstream before it, as such a list can name a phase (`Test Phase 3: UAT`).
    (!ownWs && list && !staged && shape.prefix === undefined && withWorkstream(numberedName(shape.name, p), p.workstream)) ||
    phaseCell(shape.name, p, dirname(file), ownWs, promptFile);
  const tail = shape.status ? `${shape.status.sep}${status}${shape.status.close}` : '';
  let item = `${lead}${marker}${space}${box}${name}${tail}`;
  const eolAt = (line: number) => lineEnding(doc.text, line, doc.eol);
  // Its status in a sub-item as the neighbour's (`  - Status: Not started`).
  if (shape.statusItem) {
    const line = doc.lines[shape.statusItem.item.line] ?? '';
    const v = shape.statusItem.value;
    item += eolAt(sample.item.line) + (line.slice(0, v.start.character) + status + line.slice(v.end.character)).trimEnd();
  }
  if (newGroup) {
    // After the list's last parent item (its sub-items included), shaped as that one, renamed.
    const groups = model.items.flatMap((i) => (i.group ? [i.group] : []));
    const last = groups[groups.length - 1];
    const gsrc = doc.lines[sample.group!.line] ?? '';
    let ghead = gsrc.slice(0, sample.group!.textRange.start.character).replace(/\[[xX]\]/, '[ ]');
    // An ordered list of parent items counts on from its last.
    const num = itemNumber(doc.lines[last.line] ?? '');
    if (num !== undefined && itemNumber(ghead) !== undefined) ghead = ghead.replace(/(?<!\d)\d+(?=[.)])/, String(num + 1));
    const gtext = respell(sample.group!.text, sample.workstream!, p.workstream) ?? p.workstream;
    let end = last.endLine;
    while (end > last.line && (doc.lines[end] ?? '').trim() === '') end--;
    const eol = eolAt(end);
    const at = (doc.lines[end] ?? '').length;
    // A blank line between it and its item when the neighbour has one after its own (a loose list: a blank line before it too).
    const firstKid = siblings[0].item.line;
    const gap = firstKid > sample.group!.line + 1 && (doc.lines[firstKid - 1] ?? '').trim() === '';
    const loose = gap || [...new Set(groups)].some((g, k) => k > 0 && (doc.lines[g.line - 1] ?? '').trim() === '');
    return { range: range(end, at, end, at), newText: eol + (loose ? eol : '') + (ghead + gtext).trimEnd() + eol + (gap ? eol : '') + item };
  }
  // A blank line after a heading when the model list has one after its own.
  const modelHeading = model.section !== undefined ? doc.sections[model.section].heading : undefined;
  const firstLine = model.items[0].group?.line ?? model.items[0].item.line;
  const gap = modelHeading && firstLine > modelHeading.endLine + 1 && (doc.lines[firstLine - 1] ?? '').trim() === '' ? [''] : [];
  const under = (headings: string[]) => headings.flatMap((h, i) => (i < headings.length - 1 ? [h, ''] : [h, ...gap]));
  // The status heading above the model list (its own, or one above its workstream's: `### Completed` › `#### Build`).
  let statusAt = model.status !== undefined ? model.section : undefined;
  while (statusAt !== undefined && doc.sections[statusAt].title !== model.status) statusAt = doc.sections[statusAt].parent;
  if (statusAt !== undefined && (staged || (!list && statusAt !== model.section))) {
    // Under a heading of its status: one the plan has (beside the model's), else one of its own after the last; with
    // the headings between the status heading and the model list (its workstream's, respelled).
    const sec = doc.sections[statusAt];
    const kind = statusKind(status);
    const siblings = doc.sections.filter((x) => x.parent === sec.parent && x.level === sec.level && titleStatusOf(x.title));
    // Under another workstream's heading (`## Deploy` › `### Completed`): a status section under the phase's own workstream's.
    const away = otherWorkstreamAbove(doc, sec, ws, p.workstream);
    const same = away ? undefined : siblings.find((x) => statusKind(x.title) === kind);
    const subs = headingsBetween(doc, model.section, statusAt, ws, p.workstream);
    // A section of its status kept by workstream (`## Completed` › `### Test`, `### Deploy`): a heading of its own there (at
    // that section's end, the item would be under the last one's heading, read as that workstream's).
    if (same && !subs.length && same.children.length) subs.push(`${'#'.repeat(doc.sections[same.children[0]].level)} ${headingText(p.workstream)}`);
    const { end, at, eol, tail } = afterSection(doc, same ?? away?.place ?? siblings[siblings.length - 1] ?? sec);
    const lines = ['', ...under([...(away?.headings ?? []), ...(same ? [] : [`${'#'.repeat(sec.level)} ${statusTitle(pt, status)}`]), ...subs]), item];
    // Right under a status heading of no list: the item after its heading (and the blank line the others have).
    if (same && !subs.length && end === same.heading.line) lines.splice(0, 1, ...gap);
    return { range: range(end, at, end, at), newText: eol + lines.join(eol) + (tail ? eol : '') };
  }
  if (!list) {
    const lastItem = model.items[model.items.length - 1].item;
    // A workstream's heading with its status headings under it (`### Build` › `#### Completed`): the new one's with the heading of its status.
    const wsAt = statusAt !== undefined ? doc.sections[statusAt].parent : model.section;
    const { end, headings, tail } = workstreamPlace(doc, wsAt, lastItem.line, model.impliedWorkstream, p.workstream);
    if (statusAt !== undefined) headings.push(`${'#'.repeat(doc.sections[statusAt].level)} ${statusTitle(pt, status)}`);
    const eol = lineEnding(doc.text, end, doc.eol);
    const at = (doc.lines[end] ?? '').length;
    const lines = ['', ...under(headings), item];
    return { range: range(end, at, end, at), newText: eol + lines.join(eol) + (tail ? eol : '') };
  }
  const loose = siblings.some((i, k) => k > 0 && (doc.lines[i.item.line - 1] ?? '').trim() === '');
  if (later) {
    // At the start of the later item's line: the new item, and a blank line after it in a list whose items are apart.
    const line = later.item.line;
    const eol = lineEnding(doc.text, Math.max(0, line - 1), doc.eol);
    return { range: range(line, 0, line, 0), newText: item + eol + (loose ? eol : '') };
  }
  // After the list's last item of a phase (its sub-items included), with a blank line before it in a list whose items are apart.
  let end = sample.item.endLine;
  while (end > sample.item.line && (doc.lines[end] ?? '').trim() === '') end--;
  const eol = lineEnding(doc.text, end, doc.eol);
  const at = (doc.lines[end] ?? '').length;
  return { range: range(end, at, end, at), newText: eol + (loose ? eol : '') + item };
}

/**
 * The phase's name as a neighbour names its own by number, its emphasis and separator kept: `Phase 3`,
 * `**Phase 3**: Title`, `Phase 3 - Title`. Undefined for a neighbour named otherwise (a link, a folder name), or
 * one with a title when the phase has none.
 */
function numberedName(sample: string, p: NewPlanPhase): string | undefined {
  // Emphasis around the whole name: `**Phase 1: Source Code Management (iAI Prompt-Driven)**` → `**Phase 3: Title**`.
  const wrap = /^(\*\*|__)(?!\s)[\s\S]*\S\1$/.exec(sample.trim());
  if (wrap) {
    const inner = numberedName(sample.trim().slice(2, -2), p);
    return inner === undefined ? undefined : `${wrap[1]}${inner}${wrap[1]}`;
  }
  const m = /^(\*\*|__|\*|_)?(phase)(\s*)\d+(\*\*|__|\*|_)?(?:(\s*[:.\-–—]\s*)(?=\S)|\s*$)/i.exec(sample);
  if (!m || (m[1] ?? '') !== (m[4] ?? '') || sample.includes('](')) return undefined;
  const head = `${m[1] ?? ''}${m[2]}${m[3]}${p.number}${m[4] ?? ''}`;
  if (m[5] === undefined) return head;
  return p.title !== undefined ? `${head}${m[5]}${p.title}` : undefined;
}

/** `Build Phase 3: Title` of `name` (`Phase 3: Title`), with its emphasis (`Build **Phase 3**`); undefined without a name. */
function withWorkstream(name: string | undefined, workstream: string): string | undefined {
  return name === undefined ? undefined : `${workstream} ${name}`;
}

/** Widths of the columns when every row of the table starts each cell at the same character (an aligned table). */
function alignedWidths(rows: TableCell[][]): number[] | undefined {
  if (rows.length < 2) return undefined;
  const starts = rows[0].map((c) => c.range.start.character);
  for (const r of rows) {
    if (r.length !== starts.length) return undefined;
    for (let i = 0; i < r.length; i++) if (r[i].range.start.character !== starts[i]) return undefined;
  }
  // A cell's width: from its start to the start of the next cell less " | " (the widest text when it is the last cell).
  const widths = starts.map((s, i) => (i + 1 < starts.length ? starts[i + 1] - s - 3 : Math.max(...rows.map((r) => r[i].text.length))));
  return widths.some((w) => w < 1) ? undefined : widths;
}

/**
 * The plans that track the new phase (by planPhases' rule: those whose `workstreams/` holds it, or
 * that track every iAI phase) and the edit that adds its row to each. Plans without a phase table,
 * and plans that cannot be read, get no edit (and say why).
 */
export function planRowEdits(svc: PhasegateService, p: NewPlanPhase, promptFile: string): PlanRowEdit[] {
  const out: PlanRowEdit[] = [];
  const iai = svc.model.phases.filter((q) => q.workstream !== undefined);
  for (const plan of svc.model.plans) {
    // As planPhases: a plan tracks the phases under its own workstreams/, or every iAI phase when it has none there.
    const ws = joinPath(dirname(plan.path), 'workstreams');
    const tracks = isInside(ws, p.folder) || (!iai.some((q) => isInside(ws, q.folder)) && !isInside(p.folder, plan.path));
    const doc = tracks ? svc.getDocument(plan.path) : undefined;
    const unreadable = tracks && !doc ? svc.unreadableReason(plan.path) : undefined;
    if (unreadable !== undefined)
      out.push({
        file: plan.path,
        text: '',
        edits: [],
        reason: `it cannot be read (${unreadable}): the row of ${phaseName(p)} is not added`,
        unreadable: true,
      });
    if (!doc) continue;
    const pt = planTables(doc, workstreamsOf(planPhases(svc.model, plan.path)));
    const r = planRowEditOf(doc, plan.path, svc.root, p, promptFile, workstreamsOf(iai), pt && unplacedNumbers(plan.path, svc.model, doc, pt));
    if (!r) continue;
    if ('reason' in r) out.push({ file: plan.path, text: doc.text, edits: [], reason: r.reason });
    else out.push({ file: plan.path, text: doc.text, edits: r.edits, reason: `${r.list ? 'item' : 'row'} of ${phaseName(p)} added` });
  }
  return out;
}

/** Whether an item or a row of the plan names a phase of number `num` by that number alone, with no workstream. */
function numberedAloneIn(doc: ParsedDocument, pt: PlanTables, num: number): boolean {
  return (
    pt.lists.some((l) => l.items.some((it) => numbersOnly(doc, l, it) && it.number === num)) ||
    pt.tables.some(({ table, cols }) =>
      table.rows.some((r) => r.cells[cols.phase] !== undefined && aloneNumber(r.cells, cols, r.cells[cols.phase].text) === num),
    )
  );
}

/** planRowEditOf over a plan's current text (the plan changed after it was planned): undefined when no row is to be added. */
export function replanRow(
  text: string,
  file: string,
  root: string,
  p: NewPlanPhase,
  promptFile: string,
  workstreams: readonly string[],
): TextEdit[] | undefined {
  const r = planRowEditOf(parseDocument(text), file, root, p, promptFile, workstreams);
  return r && 'edits' in r ? r.edits : undefined;
}
