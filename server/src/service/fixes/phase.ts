/** Quick fixes for the phase rules (complete handoff, mark prerequisite done, …). Keyed by the `fix` field. */
import { itemIndexAt, sectionByTitle } from '../markdown';
import { basename, dirname } from '../host';
import { expandTitle } from '../layout';
import { IN_ORDER, IN_PREREQUISITES, copyItem, handoffPair, pathBases, inputSection, outputSections, prerequisitesOf, sameStatement } from '../handoff';
import { kindOf, phaseName, phaseOf } from '../workspace';
import type { PhaseStatus } from '../gates';
import { range } from '../types';
import type { CodeAction, Diagnostic, TextEdit } from '../types';
import { PLAN_SECTION, planPhases, planTables, tableFor, unplacedNumbers, workstreamsOf } from '../rules/phase-plan';
import { escapeCell, planRowEditOf } from '../plan-row';
import { headingTitle, phaseTitle } from '../templates';
import type { Fix } from './fix';
import { appendToSection, bulletOf, insertSection, mergeInsertions } from './phase-edit';
import { completeHandoff, prerequisiteTable, templateBody } from './phase-handoff';
import { appendPrerequisiteRows } from './handoff-table';
import { progressStatus, statusRange } from '../rules/phase-copied';
import { setPlanStatus } from './plan-status';

export { completeHandoff } from './phase-handoff';

function action(title: string, diag: Diagnostic, edits: TextEdit[], isPreferred = true, manual = false): CodeAction | undefined {
  if (!edits.length) return undefined;
  const a: CodeAction = { title, codes: [diag.code], isPreferred, change: { edits: [{ file: diag.file, edits }], creates: [] } };
  if (manual) a.manual = true;
  return a;
}

const completeHandoffFix: Fix = (svc, diag) => completeHandoff(svc, phaseOf(svc.model, diag.file));

/**
 * Checks a prerequisite's box (`[ ]` → `[x]`: only the team knows it is met, so not for *Fix all*), or adds
 * a missing prerequisite, unchecked, for the team to confirm.
 */
const markPrerequisite: Fix = (svc, diag) => {
  const d = diag.data as { action?: string; line?: number; text?: string } | undefined;
  const doc = svc.getDocument(diag.file);
  if (!d || !doc) return undefined;
  if (d.action === 'check') {
    const it = typeof d.line === 'number' ? doc.items[itemIndexAt(doc, d.line)] : undefined;
    if (!it || it.checked) return undefined;
    const edit = it.checkboxRange
      ? { range: it.checkboxRange, newText: '[x]' }
      : { range: range(it.line, it.textRange.start.character, it.line, it.textRange.start.character), newText: '[x] ' };
    return action(`Check prerequisite "${it.text}" as met`, diag, [edit], true, true);
  }
  if (d.action !== 'add' || !d.text) return undefined;
  const phase = phaseOf(svc.model, diag.file);
  const sec = inputSection(doc, IN_PREREQUISITES, phase?.number);
  if (sec && prerequisitesOf(doc, sec).some((x) => sameStatement(x.item.text, d.text!))) return undefined;
  // The item (or row) as phase N wrote it (an item's further lines too), with its links rewritten to resolve from here.
  let copied = { line: d.text, more: [] as string[] };
  const pair = phase && handoffPair(phase, (p) => svc.getDocument(p));
  const src = pair && prerequisitesOf(pair.out, outputSections(pair).prerequisites).find((x) => sameStatement(x.item.text, d.text!))?.item;
  if (pair && src) copied = copyItem(pair.out, src, dirname(pair.outPath), dirname(pair.inPath), (p) => svc.exists(p), pathBases(svc.model.root, pair.prev));
  // Prerequisites received in a table get a row, its status left for the team.
  const table = sec && prerequisiteTable(doc, sec);
  if (table) {
    const { insertion, replace } = appendPrerequisiteRows(doc, table, [copied.line]);
    const edits = replace ? [replace] : insertion ? mergeInsertions([insertion], doc.eol) : [];
    return action(`Add prerequisite "${d.text}" (not met yet)`, diag, edits);
  }
  const lines = [`${bulletOf(doc, sec)} [ ] ${copied.line}`, ...copied.more];
  // In place of the template's `- [ ] [Prerequisite]` when that is all the section holds, as complete handoff
  // writes them (so that Fix all, taking both, writes the prerequisite once).
  const template = sec && templateBody(doc, sec);
  if (template) return action(`Add prerequisite "${d.text}" (unchecked)`, diag, [{ range: template, newText: lines.join(doc.eol) }]);
  const ins = sec ? appendToSection(doc, sec, lines) : insertSection(doc, IN_PREREQUISITES, lines, IN_ORDER);
  return action(`Add prerequisite "${d.text}" (unchecked)`, diag, mergeInsertions([ins], doc.eol));
};

/** Readdresses an output handoff's title to the next phase. */
const renumberHandoffTarget: Fix = (svc, diag) => {
  const d = diag.data as { number?: number; line?: number; start?: number; end?: number } | undefined;
  const doc = svc.getDocument(diag.file);
  if (!d || !doc || d.line === undefined || d.start === undefined || d.end === undefined || d.number === undefined) return undefined;
  if (!/^\d+$/.test((doc.lines[d.line] ?? '').slice(d.start, d.end))) return undefined;
  return action(`Address the handoff to phase ${d.number}`, diag, [{ range: range(d.line, d.start, d.line, d.end), newText: String(d.number) }]);
};

/** Adds an item for an unaddressed deliverable, with a placeholder for where it is (not for *Fix all*: it answers the check without the deliverable). */
const addDeliverable: Fix = (svc, diag) => {
  const d = diag.data as { deliverable?: string; section?: string; format?: string } | undefined;
  const doc = svc.getDocument(diag.file);
  if (!d?.deliverable || !d.section || !doc) return undefined;
  const { phase, spec } = kindOf(svc.model, diag.file);
  const sec = sectionByTitle(doc, d.section);
  const bullet = bulletOf(doc, sec);
  const line = d.format === 'artifact' ? `${bullet} ${d.deliverable}: [Location] - [Purpose]` : `${bullet} [ ] ${d.deliverable} — [Where it is]`;
  const order = (spec?.sections ?? []).map((s) => expandTitle(s.title, phase?.number));
  const ins = sec ? appendToSection(doc, sec, [line]) : insertSection(doc, d.section, [line], order);
  const short = d.deliverable.length > 60 ? d.deliverable.slice(0, 59) + '…' : d.deliverable;
  return action(`Add deliverable "${short}" to ${d.section}`, diag, mergeInsertions([ins], doc.eol), true, true);
};

export const STATUS_LABELS: Record<PhaseStatus, string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  complete: 'Complete',
  blocked: 'Blocked',
};

/**
 * Whether a fix's edits are one insertion of whole lines that are table rows or list items only (no heading, no
 * new table, no blank line): rows of several missing phases then go at one place together (`CodeAction.stacks`).
 */
function insertsRowsOnly(edits: TextEdit[], eol: string): boolean {
  if (edits.length !== 1) return false;
  const { range: r, newText } = edits[0];
  if (r.start.line !== r.end.line || r.start.character !== r.end.character) return false;
  let text: string;
  if (newText.startsWith(eol)) text = newText.slice(eol.length);
  else if (r.start.character === 0 && newText.endsWith(eol)) text = newText.slice(0, -eol.length);
  else return false;
  return text.split(eol).every((l) => /^[ \t]*(?:\|(?![ \t]*:?-{3})|[-*+] |\d{1,9}[.)] )/.test(l));
}

/** The plan fix's action; rows and items only stack (see insertsRowsOnly). */
function planAction(title: string, diag: Diagnostic, edits: TextEdit[], eol: string): CodeAction | undefined {
  const a = action(title, diag, edits);
  if (a && insertsRowsOnly(edits, eol)) a.stacks = true;
  return a;
}

/** Adds the missing phase's row to the plan's Phase Status table (a table when there is none), with its current status. */
const addPlanRow: Fix = (svc, diag) => {
  const d = diag.data as { phase?: string } | undefined;
  const doc = svc.getDocument(diag.file);
  if (!d?.phase || !doc) return undefined;
  const tracked = planPhases(svc.model, diag.file);
  const phase = tracked.find((p) => p.id === d.phase);
  const all = planTables(doc, workstreamsOf(tracked));
  if (!phase || !all) return undefined;
  const chosen = tableFor(all, phase.workstream);
  const pt = { section: all.section, table: chosen?.table ?? all.first, cols: chosen?.cols };
  const status = STATUS_LABELS[svc.status(phase)];
  const name = basename(phase.folder);
  // An iAI phase's row as `new prompt` adds it: in the table's own format (plan-row.ts), with the phase's status.
  const prompt = phase.layout.documents.find((x) => x.kind === 'prompt');
  // A plan kept as checklists gets an item, never a table (plan-row.ts).
  const listed = all.lists.length > 0 && !all.tables.length;
  if ((all.tables.length || all.lists.length || all.byStatus) && phase.workstream !== undefined && phase.number !== undefined && (prompt || listed)) {
    const title = phaseTitle(svc, phase);
    const row = {
      id: phase.id,
      folder: phase.folder,
      number: phase.number,
      workstream: phase.workstream,
      title: title === undefined ? undefined : headingTitle(title),
      status,
    };
    // The numbers the rule takes as listed by an item of no workstream, as it reads them (it reported this phase missing).
    const unplaced = unplacedNumbers(diag.file, svc.model, doc, all);
    const r = planRowEditOf(doc, diag.file, svc.root, row, prompt?.file ?? 'implementation_prompt.md', workstreamsOf(tracked), unplaced);
    const place = all.byStatus ? "plan's status sections" : `${PLAN_SECTION} ${r && 'edits' in r && r.list ? 'list' : 'table'}`;
    return r && 'edits' in r ? planAction(`Add ${phaseName(phase)} to the ${place}`, diag, r.edits, doc.eol) : undefined;
  }
  // A plan read by its status sections gets a row or an item in the same shape (above), or none.
  if (listed || all.byStatus) return undefined;
  if (pt.table && pt.cols) {
    const cells = pt.table.header.map(() => '');
    if (pt.cols.workstream !== undefined) cells[pt.cols.workstream] = phase.workstream ?? '';
    cells[pt.cols.phase] = name;
    if (pt.cols.status !== undefined) cells[pt.cols.status] = status;
    const last = pt.table.rows.length ? pt.table.rows[pt.table.rows.length - 1].line : pt.table.line + 1;
    const at = (doc.lines[last] ?? '').length;
    const row = `| ${cells.map(escapeCell).join(' | ')} |`;
    return planAction(`Add ${phaseName(phase)} to the ${PLAN_SECTION} table`, diag, [{ range: range(last, at, last, at), newText: doc.eol + row }], doc.eol);
  }
  const table = ['| Workstream | Phase | Status |', '| --- | --- | --- |', `| ${escapeCell(phase.workstream ?? '')} | ${escapeCell(name)} | ${status} |`];
  return action(`Add a ${PLAN_SECTION} table with ${phaseName(phase)}`, diag, mergeInsertions([appendToSection(doc, pt.section, table, true)], doc.eol));
};

/**
 * Resets a copied document (copied-document) to a draft: its front matter `status` to `draft` (when it claims
 * progress; its quotes kept), and every ticked item unticked (`[x]` → `[ ]`). Every other character stays (the
 * evidence is the user's text). Only when asked: only the team knows what of the copy holds for this phase.
 */
const resetCopiedDocument: Fix = (svc, diag) => {
  const doc = svc.getDocument(diag.file);
  if (!doc) return undefined;
  const edits: TextEdit[] = [];
  const at = progressStatus(doc) !== undefined ? statusRange(doc) : undefined;
  if (at) {
    const was = (doc.lines[at.start.line] ?? '').slice(at.start.character, at.end.character);
    const quote = /^(["']).*\1$/.test(was) ? was[0] : '';
    edits.push({ range: at, newText: `${quote}draft${quote}` });
  }
  for (const it of doc.items) if (it.checked === true && it.checkboxRange) edits.push({ range: it.checkboxRange, newText: '[ ]' });
  return action('Reset to a draft: status draft, items unchecked', diag, edits, false, true);
};

export const PHASE_FIXES: Record<string, Fix> = {
  'reset-copied-document': resetCopiedDocument,
  'complete-handoff': completeHandoffFix,
  'mark-prerequisite-done': markPrerequisite,
  'renumber-handoff-target': renumberHandoffTarget,
  'add-deliverable': addDeliverable,
  'add-plan-row': addPlanRow,
  'set-plan-status': setPlanStatus,
};
