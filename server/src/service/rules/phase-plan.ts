/**
 * The project plan (`project_implementation_plan.md`) agrees with the phases: every phase of
 * the iAI project has a row in `## Phase Status`, no row names a phase that does not exist,
 * and a row marked Complete belongs to a phase whose gates have all passed.
 */
import { normalizeTitle } from '../markdown';
import { basename, dirname, isInside, joinPath } from '../host';
import type { ParsedDocument, Section, Table, TableCell } from '../markdown';
import { PLACEHOLDER, resolveTarget, textKey } from '../handoff';
import type { Phase, WorkspaceModel } from '../workspace';
import type { Rule, RuleContext } from './rule';
import { unescapeTarget } from './doc-util';

export const PLAN_SECTION = 'Phase Status';

/** The iAI phases a plan tracks: those under `<plan folder>/workstreams/`, else every iAI phase. */
export function planPhases(model: WorkspaceModel, planPath: string): Phase[] {
  const ws = joinPath(dirname(planPath), 'workstreams');
  const iai = model.phases.filter((p) => p.workstream !== undefined);
  const under = iai.filter((p) => isInside(ws, p.folder));
  // A plan kept inside a phase folder would make that phase's gates depend on the plan itself.
  return (under.length ? under : iai).filter((p) => !isInside(p.folder, planPath));
}

/** Words of a name with `_` and `-` as spaces: `Phase_1_CI` ~ `Phase 1 CI`. */
function nameKey(s: string): string {
  return textKey(s.replace(/[_-]/g, ' '));
}

/** A workstream's name without a trailing "Workstream" word: `Build Workstream` ~ `Build`. */
function workstreamKey(s: string): string {
  const key = nameKey(s);
  return key.replace(/ workstream$/, '');
}

export interface PlanColumns {
  workstream: number | undefined;
  phase: number;
  status: number | undefined;
  /**
   * The workstream of a table without a Workstream column under a heading that names one (`### Build
   * Workstream` in `## Phase Status`, or `## Build` above its own `### Phase Status`): its rows are that workstream's.
   */
  impliedWorkstream?: string;
}

export function planColumns(t: Table): PlanColumns | undefined {
  const find = (re: RegExp) => {
    const i = t.header.findIndex((c) => re.test(textKey(c.text)));
    return i < 0 ? undefined : i;
  };
  const phase = find(/^phase( name| id)?$/) ?? find(/phase/);
  if (phase === undefined) return undefined;
  return { workstream: find(/workstream|stream/), phase, status: find(/status|state/) };
}

/** A plan's tables of phases: every table with a phase column under a `## Phase Status` section. */
export interface PlanTables {
  /** The first Phase Status section (where a missing row is reported). */
  section: Section;
  tables: { table: Table; cols: PlanColumns }[];
  /** The first table under it, when none has a phase column (the plan rule says nothing of its rows). */
  first: Table | undefined;
}

/**
 * The plan's tables of phases: under every section titled Phase Status (a plan may keep one per workstream),
 * subsections included (`### Build Workstream` tables). A table without a Workstream column takes the
 * workstream its nearest heading names, among `workstreams` (the project's).
 */
export function planTables(doc: ParsedDocument, workstreams: readonly string[]): PlanTables | undefined {
  const key = normalizeTitle(PLAN_SECTION);
  const sections = doc.sections.filter((s) => s.key === key);
  if (!sections.length) return undefined;
  const within = doc.tables.filter((t) => sections.some((s) => t.line > s.heading.line && t.line < s.end));
  const tables: PlanTables['tables'] = [];
  for (const table of within) {
    const cols = planColumns(table);
    if (!cols) continue;
    if (cols.workstream === undefined) {
      const ws = headingWorkstream(doc, table.section, workstreams);
      if (ws !== undefined) cols.impliedWorkstream = ws;
    }
    tables.push({ table, cols });
  }
  return { section: sections[0], tables, first: within[0] };
}

/**
 * The table of `pt` a phase of `workstream` goes in: the one under its workstream's heading, else the first
 * with a Workstream column, else the first of no workstream. None when every table is another
 * workstream's (the phase's workstream needs a table of its own).
 */
export function tableFor(pt: PlanTables, workstream: string | undefined): PlanTables['tables'][number] | undefined {
  const key = workstream !== undefined ? workstreamKey(workstream) : undefined;
  return (
    pt.tables.find((t) => t.cols.impliedWorkstream !== undefined && workstreamKey(t.cols.impliedWorkstream) === key) ??
    pt.tables.find((t) => t.cols.workstream !== undefined) ??
    pt.tables.find((t) => t.cols.impliedWorkstream === undefined)
  );
}

/** The workstream the nearest heading above section `idx` names (`Build`, `Build Workstream`, `3.1 Build Workstream (iAI Managed)`). */
function headingWorkstream(doc: ParsedDocument, idx: number | undefined, workstreams: readonly string[]): string | undefined {
  if (!workstreams.length) return undefined;
  for (let i = idx; i !== undefined; i = doc.sections[i].parent) {
    const title = doc.sections[i].title.replace(/\s*\([^()]*\)\s*$/, '').replace(/^\s*\d+(?:\.\d+)*\.?\s+/, '');
    const k = workstreamKey(title);
    const ws = workstreams.find((w) => workstreamKey(w) === k);
    if (ws !== undefined) return ws;
  }
  return undefined;
}

/** A row's workstream: its Workstream cell, else its table's heading's. */
function rowWorkstream(cells: TableCell[], cols: PlanColumns): string {
  return cols.workstream !== undefined ? (cells[cols.workstream]?.text ?? '') : (cols.impliedWorkstream ?? '');
}

/** The number a row's Phase cell gives: `Phase 1: Source Code Management`, `Phase_1`, or the number alone (`1`, `#1`, `**1**`). */
function phaseNumberOf(text: string): RegExpExecArray | null {
  return /phase\s*(\d+)/i.exec(text.replace(/[_-]/g, ' ')) ?? /^[\s*_]*#?\s*(\d+)[\s*_]*$/.exec(text);
}

/** Whether a row names a phase: by link to its folder, by folder name or id, or by workstream and number. */
export function rowMatches(doc: ParsedDocument, planPath: string, cells: TableCell[], cols: PlanColumns, p: Phase, root: string): boolean {
  const cell = cells[cols.phase];
  if (!cell) return false;
  const ws = rowWorkstream(cells, cols);
  if (ws.trim() && p.workstream !== undefined && workstreamKey(ws) !== workstreamKey(p.workstream)) return false;
  const links = [...cell.text.matchAll(/\]\(\s*<?([^)>\s]+)>?/g)].map((m) => resolveTarget(dirname(planPath), unescapeTarget(m[1]), root));
  if (links.some((l) => l !== undefined && (l === p.folder || isInside(p.folder, l)))) return true;
  const key = nameKey(cell.text);
  if (key === nameKey(basename(p.folder)) || key === nameKey(p.id)) return true;
  // "Phase 1: Source Code Management" (or "1" in the Phase column) in the Build row matches Build/Phase_1_Source_Control.
  const num = phaseNumberOf(cell.text);
  return !!num && ws.trim() !== '' && p.number !== undefined && Number(num[1]) === p.number;
}

/**
 * A status that says the phase is done: in the iAI framework's words a response is "verified and
 * integrated" (`Verified`, `Integrated`, `Verified & Integrated`).
 */
const COMPLETE = /^(complete|completed|done|finished|passed|verified|integrated|verified (and )?integrated|integrated (and )?verified)$/;
/** A status that is a check mark alone (`✅`, `✔️`, `☑`, `✓`): done. */
const DONE_MARK = /^[\s*_]*(?:✅|✔\uFE0F?|☑\uFE0F?|✓)[\s*_]*$/u;

/**
 * The phases a row may name, from an index built once per plan (performance only): rowMatches still
 * decides, but over these few candidates instead of every phase, so a plan of N rows is not N × N.
 * Every phase rowMatches accepts is a candidate: a link at or under its folder, its folder name or
 * id as the cell's key, or its number with a workstream given.
 */
function candidateIndex(phases: Phase[]): (cells: TableCell[], cols: PlanColumns, planPath: string, root: string) => Phase[] {
  const by = new Map<string, Phase[]>();
  const add = (k: string, p: Phase) => {
    const l = by.get(k);
    if (!l) by.set(k, [p]);
    else if (l[l.length - 1] !== p) l.push(p);
  };
  const order = new Map<Phase, number>();
  phases.forEach((p, i) => {
    order.set(p, i);
    add(`f:${p.folder}`, p);
    add(`k:${nameKey(basename(p.folder))}`, p);
    add(`k:${nameKey(p.id)}`, p);
    if (p.number !== undefined) add(`n:${p.number}`, p);
  });
  return (cells, cols, planPath, root) => {
    const cell = cells[cols.phase];
    if (!cell) return [];
    const found = new Set<Phase>();
    const take = (k: string) => by.get(k)?.forEach((p) => found.add(p));
    for (const m of cell.text.matchAll(/\]\(\s*<?([^)>\s]+)>?/g)) {
      const l = resolveTarget(dirname(planPath), unescapeTarget(m[1]), root);
      if (l === undefined) continue;
      for (let d = l; ; d = dirname(d)) {
        take(`f:${d}`);
        if (d === dirname(d)) break;
      }
    }
    take(`k:${nameKey(cell.text)}`);
    const num = phaseNumberOf(cell.text);
    if (num && rowWorkstream(cells, cols).trim() !== '') take(`n:${Number(num[1])}`);
    return [...found].sort((a, b) => order.get(a)! - order.get(b)!);
  };
}

/**
 * The phases each row of a plan's table names (undefined for a row without a phase name), by plan
 * model, kept for the workspace model they were found in (performance only: the plan is checked again
 * after every edit of any phase, and which phases its rows name changes only with the plan or the
 * phases; the gates of Complete rows are read afresh).
 */
const rowHits = new WeakMap<Table, { model: WorkspaceModel; path: string; ws: string | undefined; hits: (Phase[] | undefined)[] }>();

function hitsOfRows(doc: ParsedDocument, path: string, model: WorkspaceModel, table: Table, cols: PlanColumns, phases: Phase[]): (Phase[] | undefined)[] {
  const known = rowHits.get(table);
  if (known && known.model === model && known.path === path && known.ws === cols.impliedWorkstream) return known.hits;
  const candidates = candidateIndex(phases);
  const root = model.root;
  const hits = table.rows.map((row) => {
    const cell = row.cells[cols.phase];
    if (!cell || textKey(cell.text) === '') return undefined;
    return candidates(row.cells, cols, path, root).filter((p) => rowMatches(doc, path, row.cells, cols, p, root));
  });
  rowHits.set(table, { model, path, ws: cols.impliedWorkstream, hits });
  return hits;
}

/** The distinct workstreams of `phases`, in order. */
export function workstreamsOf(phases: readonly Phase[]): string[] {
  return [...new Set(phases.flatMap((p) => (p.workstream !== undefined ? [p.workstream] : [])))];
}

/** A cell that holds nothing but a template's placeholder (`[Phase]`). */
export function isPlaceholder(text: string): boolean {
  return text.replace(PLACEHOLDER, '').trim() === '' && text.trim() !== '';
}

export const planRule: Rule = {
  ids: ['plan-status-mismatch'],
  readsGates: true,
  check(ctx: RuleContext) {
    const { doc, spec } = ctx;
    if (spec?.kind !== 'plan') return;
    const phases = planPhases(ctx.model, ctx.path);
    const pt = planTables(doc, workstreamsOf(phases));
    if (!pt) return; // missing-section reports the missing table's section.
    const matched = new Set<Phase>();
    for (const { table, cols } of pt.tables) {
      const rows = table.rows;
      const hitsByRow = hitsOfRows(doc, ctx.path, ctx.model, table, cols, phases);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i];
        const cell = row.cells[cols.phase];
        const hits = hitsByRow[i];
        if (!cell || !hits) continue;
        // A row the template left (`| [Workstream] | [Phase] | Not started |`): unfilled-placeholder reports it.
        if (!hits.length && isPlaceholder(cell.text)) continue;
        if (!hits.length) {
          ctx.report(
            'plan-status-mismatch',
            cell.range,
            `No phase "${cell.text}" exists${phases.length ? ' under workstreams/' : ''}: the plan lists a phase the project does not have.`,
          );
          continue;
        }
        hits.forEach((p) => matched.add(p));
        const status = cols.status !== undefined ? row.cells[cols.status] : undefined;
        const key = status ? textKey(status.text).replace(/^\W+/, '') : '';
        const mark = status !== undefined && DONE_MARK.test(status.text);
        if (!status || (!COMPLETE.test(key) && !mark) || !ctx.gates) continue;
        // "Verified & Integrated" is said as the plan says it; a check mark as itself; the other words are "Complete".
        const marked = /verified|integrated/.test(key)
          ? status.text.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
          : mark
            ? `Complete (${status.text.replace(/[\s*_]/g, '')})`
            : 'Complete';
        for (const p of hits) {
          const open = ctx.gates(p).filter((g) => g.status !== 'passed');
          if (!open.length) continue;
          const why = open.map((g) => `${g.name} ${g.status}${g.reasons.length ? ` (${g.reasons.join(', ')})` : ''}`).join('; ');
          ctx.report('plan-status-mismatch', status.range, `The plan marks ${p.id} ${marked}, but its gates have not all passed: ${why}.`);
        }
      }
    }
    const at = pt.section.heading.textRange;
    for (const p of phases) {
      if (matched.has(p)) continue;
      ctx.report('plan-status-mismatch', at, `Phase ${p.id} has no row in the "${PLAN_SECTION}" table.`, { fix: 'add-plan-row', phase: p.id });
    }
  },
};
