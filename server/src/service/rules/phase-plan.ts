/**
 * The project plan (`project_implementation_plan.md`) agrees with the phases: every phase of
 * the iAI project has a row in `## Phase Status`, no row names a phase that does not exist,
 * and a row marked Complete belongs to a phase whose gates have all passed.
 */
import { normalizeTitle } from '../markdown';
import { basename, dirname, isInside, joinPath } from '../host';
import { INLINE_LINK, replaceComments } from '../markdown';
import type { ListItem, ParsedDocument, Section, Table, TableCell } from '../markdown';
import type { FixData, Range } from '../types';
import { range } from '../types';
import { PLACEHOLDER, resolveTarget, textKey } from '../handoff';
import { type Phase, type WorkspaceModel, atOnce, phaseName } from '../workspace';
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

/** The phases each plan of a model tracks (`planPhases`), kept by model: performance only. */
const tracked = new WeakMap<WorkspaceModel, Map<string, ReadonlySet<Phase>>>();

/** `planPhases` as a set, kept for `model` (a new model, after a change of the file set, has its own). */
export function trackedPhases(model: WorkspaceModel, planPath: string): ReadonlySet<Phase> {
  let byPlan = tracked.get(model);
  if (!byPlan) tracked.set(model, (byPlan = new Map()));
  let phases = byPlan.get(planPath);
  if (!phases) byPlan.set(planPath, (phases = new Set(planPhases(model, planPath))));
  return phases;
}

/** Words of a name with `_` and `-` as spaces: `Phase_1_CI` ~ `Phase 1 CI`. */
function nameKey(s: string): string {
  return textKey(s.replace(/[_-]/g, ' '));
}

/** A workstream's name without a trailing "Workstream" word: `Build Workstream` ~ `Build`. */
export function workstreamKey(s: string): string {
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
  // The workstream and status are other columns than the phase's (`| Workstream Phase |`, `| Phase Status |` is the phase's).
  const other = (re: RegExp) => {
    const i = t.header.findIndex((c, k) => k !== phase && re.test(textKey(c.text)));
    return i < 0 ? undefined : i;
  };
  return { workstream: other(/workstream|stream/), phase, status: other(/status|state/) };
}

/** A plan's tables of phases: every table with a phase column under a `## Phase Status` section. */
export interface PlanTables {
  /** The first Phase Status section (where a missing row is reported); in a plan read by its status sections, the first of those. */
  section: Section;
  /**
   * The plan has no Phase Status section and is read by its top-level status sections instead (`## Completed`,
   * `## In Progress`, `## Not Started`, or under each top-level workstream heading: `## Build` › `### Completed`).
   */
  byStatus?: boolean;
  tables: { table: Table; cols: PlanColumns }[];
  /** The first table under it, when none has a phase column (the plan rule says nothing of its rows). */
  first: Table | undefined;
  /** Its checklists of phases (see PlanList), in the sections that hold no table of phases. */
  lists: PlanList[];
}

/**
 * A top-level list item of a Phase Status section, read as a row: `- [x] Phase 1: Source Code Management —
 * Verified & Integrated`, `- [ ] [Phase_3_Artifacts](workstreams/Build/Phase_3_Artifacts/implementation_prompt.md)`,
 * `1. Phase_2_Deps (in progress)`.
 */
export interface PlanItem {
  item: ListItem;
  /** The words that name the phase: the item's text before its status. */
  name: string;
  nameRange: Range;
  /** `name` as it is compared with a folder name or id: without trailing parentheses that hold no status (`Phase_1_CI (Weeks 1-2)`). */
  key: string;
  /**
   * The start of `name` whose links name the phase: up to its first separator (`[Phase_3](…)`, `Phase 3`), so
   * that `Phase 3: Release — after [Phase 2](…)` names phase 3 only.
   */
  head: string;
  /** Its status after a dash, a colon or in parentheses (`In progress`), with the separator before it (` — `, `: `, ` (`). */
  status: { text: string; range: Range; sep: string; close: string } | undefined;
  /** Its number when `name` starts as a phase's does (`Phase 1: …`, `Phase_1_CI`, `**Phase 1**`). */
  number: number | undefined;
  /** The workstream of its nearest heading, among the project's. */
  workstream: string | undefined;
  /** It reads as a phase's item (`Phase N…`, `Build/Phase_1_CI`, or a link into `workstreams/`), not a free note. */
  phaseLike: boolean;
  /** And it names the phase clearly enough that naming none is reported: with a workstream, a folder-like name or a link. */
  reportable: boolean;
  /** The workstream it names itself before its phase, as written (`Build `, `**Build** `, `Build/`): `Build Phase 1: Scaffold`. */
  prefix?: string;
  /** The parent item that names its workstream alone (`- Build` above `  - [x] Phase 1: Scaffold`), when it has one. */
  group?: ListItem;
  /** Its `Status: …` sub-item (`  - Status: ✅ Complete`), the range of its value. */
  statusItem?: { item: ListItem; value: Range };
  /**
   * The status it has from elsewhere: its `Status: …` sub-item's, else the one its heading gives (`### Completed`,
   * `heading` its title). It counts only for an item without a status of its own or an unchecked box.
   */
  inherited?: { text: string; range: Range; heading?: string };
}

/** The items of one section that form a checklist of phases (at least one reads as a phase's). */
export interface PlanList {
  section: number | undefined;
  items: PlanItem[];
  /** The workstream its nearest heading names (`### Build Workstream`). */
  impliedWorkstream?: string;
  /** The status its nearest heading gives its items (`### Completed`, `### In Progress`, `### Not started`): the heading's title. */
  status?: string;
}

/**
 * The plan's tables of phases: under every section titled Phase Status (a plan may keep one per workstream),
 * subsections included (`### Build Workstream` tables). A table without a Workstream column takes the
 * workstream its nearest heading names, among `workstreams` (the project's).
 */
export function planTables(doc: ParsedDocument, workstreams: readonly string[]): PlanTables | undefined {
  const key = normalizeTitle(PLAN_SECTION);
  let sections = doc.sections.filter((s) => s.key === key);
  // A Phase Status section wins: the plan's top-level status sections are read only in a plan without one.
  const byStatus = !sections.length;
  if (byStatus) sections = statusSections(doc, workstreams);
  if (!sections.length) return undefined;
  const inside = withinSections(sections);
  const within = doc.tables.filter((t) => inside(t.line));
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
  const lists = planLists(doc, sections, tables, workstreams);
  if (byStatus) {
    // One status section alone, holding no phase (`## Done` over notes), is not read as the plan's status: too little to go by.
    const kinds = new Set(sections.map((s) => statusKind(s.title)));
    if (kinds.size < 2 && !tables.length && !lists.length) return undefined;
    return { section: sections[0], byStatus: true, tables, first: within[0], lists };
  }
  return { section: sections[0], tables, first: within[0], lists };
}

/**
 * The status words a top-level section of a plan without a Phase Status section is read by (fewer than a heading's
 * under Phase Status: `## Testing`, `## Review` or `## Next` at the top of a plan is more likely a section of its own).
 */
const TOP_STATUS =
  /^(complete|completed|done|finished|in progress|ongoing|active|under way|underway|not started|not yet started|planned|pending|backlog|to do|todo|upcoming|blocked|on hold)$/;

/** Whether a top-level heading is a status section's (`## Completed`, `## ✅ Done (3)`, `## In Progress Phases`). */
function topStatus(title: string, workstreams: readonly string[]): boolean {
  return TOP_STATUS.test(titleStatusKey(title)) && itemWorkstream(title, workstreams) === undefined;
}

/** The top-level sections of a document: the children of its one `#` title, else its sections of no parent. */
function topSections(doc: ParsedDocument): number[] {
  const roots: number[] = [];
  doc.sections.forEach((s, i) => {
    if (s.parent === undefined) roots.push(i);
  });
  if (roots.length === 1 && doc.sections[roots[0]].level === 1) return doc.sections[roots[0]].children;
  return roots;
}

/**
 * The status sections of a plan read without a Phase Status section, in document order: its top-level sections titled by
 * a status (`## Completed`, `## In Progress`, `## Not Started`), and the status sections right under a top-level heading
 * that names one of `workstreams` (`## Build Workstream` › `### Completed`). None when it has neither.
 */
export function statusSections(doc: ParsedDocument, workstreams: readonly string[]): Section[] {
  const out: number[] = [];
  for (const i of topSections(doc)) {
    const s = doc.sections[i];
    if (topStatus(s.title, workstreams)) out.push(i);
    else if (headingWorkstream(doc, i, workstreams) !== undefined) for (const c of s.children) if (topStatus(doc.sections[c].title, workstreams)) out.push(c);
  }
  return out.sort((a, b) => a - b).map((i) => doc.sections[i]);
}

/** What a plan calls the place of its phases, in messages: `the "Phase Status" table`, `the plan's status sections`. */
export function planPlace(pt: PlanTables, what: 'row' | 'item'): string {
  if (pt.byStatus) return `${what} under the plan's status headings (${pt.section.title}, …)`;
  return what === 'row' ? `row in the "${PLAN_SECTION}" table` : `item in the "${PLAN_SECTION}" list`;
}

/**
 * Whether a line lies in one of `sections`, below its heading: by binary search over their merged line spans (a plan
 * may have thousands of status sections, and as many items and tables to place).
 */
function withinSections(sections: readonly Section[]): (line: number) => boolean {
  const spans = sections.map((s) => [s.heading.line + 1, s.end] as [number, number]).sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const sp of spans) {
    const last = merged[merged.length - 1];
    if (last && sp[0] <= last[1]) last[1] = Math.max(last[1], sp[1]);
    else merged.push([sp[0], sp[1]]);
  }
  return (line) => {
    let lo = 0;
    let hi = merged.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (line < merged[mid][0]) hi = mid - 1;
      else if (line >= merged[mid][1]) lo = mid + 1;
      else return true;
    }
    return false;
  };
}

/** A status word: done, not started, under way, stopped (compared by textKey, leading symbols left out). */
const STATUS_WORD =
  /^(complete|completed|done|finished|passed|verified|integrated|verified (and )?integrated|integrated (and )?verified|not started|not yet started|not begun|pending|planned|todo|to do|open|queued|backlog|new|upcoming|scheduled|next|in progress|ongoing|under way|underway|started|active|wip|in review|review|under review|being verified|testing|blocked|on hold|paused|deferred|cancelled|canceled|skipped|failed|dropped)$/;

/** A name that starts as a phase's: `Phase 1`, `Phase 1: CI`, `Phase_1_CI`, `Phase-1`. */
const PHASE_START = /^phase[\s_-]*(\d+)(?=$|[\s_:.,;)\-–—])/i;
/** A name that is a phase's alone, or with its title after a separator: `Phase 2`, `Phase 2: Deps`, `Phase 2 — Deps`, `Phase 2 (Deps)`, `Phase_2_Deps`. */
const PHASE_NAME = /^phase[\s_-]*\d+(?:$|\s*[:.(–—]|\s+-\s|_)/i;
/** A phase's id: `Build/Phase_1_CI`. */
export const PHASE_ID = /^[^/\s]+\/phase[_-]?\d\S*$/i;
/** An inline link; the first group is its text, the second its target. */
const ITEM_LINK = new RegExp(INLINE_LINK, 'g');

/** `text` with its links, code spans and HTML comments masked (`x`, same length), where no separator is looked for. */
function maskSpans(text: string): string {
  return replaceComments(maskMatches(maskMatches(text, ITEM_LINK), CODE_PAIR), (c) => 'x'.repeat(c.length));
}

/** A pair of backticks and what is between them, as maskSpans masks code. */
const CODE_PAIR = /`[^`]*`/g;

/**
 * `text` with each match of `re` (global, matching no empty text) as as many `x`. By `exec`, not `replace` with a
 * function (performance only: that kept every match's arguments in one array as long as the text has matches, which
 * past 16,000 of them lay in the heap's space for large objects, fresh memory each time: an item of 100,000 characters
 * of code spans took five times as long a character as one of 6,000).
 */
function maskMatches(text: string, re: RegExp): string {
  let out = '';
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out += text.slice(last, m.index) + 'x'.repeat(m[0].length);
    last = re.lastIndex;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** The text of a status as it is compared: textKey, leading symbols (✅) left out. */
function statusKeyOf(text: string): string {
  return textKey(text).replace(/^\W+/, '');
}

/** A name that ends with a phase's number (`Phase 2`, `Build Phase 2`, `**Phase 2**`): what follows its separator is its title. */
const ENDS_WITH_PHASE = /phase[\s_-]*\d+$/i;

/**
 * A list item's name and status: the status after its last spaced dash, in trailing parentheses, or after a colon when it
 * is a status word. With `titled` (the item's status is given elsewhere), the words after the separator that follows its
 * phase's number are its title, also a status word (`Phase 3: Testing`, `Phase 4 — Review`).
 */
function splitItem(text: string, titled = false): { name: string; bare: string; status?: { at: number; text: string; sep: string; close: string } } {
  const masked = maskSpans(text);
  const candidates: { cut: number; at: number; text: string; sep: string; close: string }[] = [];
  // By hand, not `\s*\(` (quadratic on a long run of spaces): the white space before the parentheses.
  const found = /\(([^()]*)\)\s*$/.exec(masked);
  let cut = found ? found.index : -1;
  while (cut > 0 && /\s/.test(masked[cut - 1])) cut--;
  if (found) {
    const at = found.index + 1;
    candidates.push({ cut, at, text: text.slice(at, at + found[1].length), sep: masked.slice(cut, at), close: ')' });
  }
  // Without its trailing parentheses: `Phase 1 — Complete (2025-03-01)` is Complete.
  const body = found ? masked.slice(0, cut) : masked;
  const dash = /^(.*\S)(\s+[—–-]\s+|\s*[—–]\s*)(?=\S)/.exec(body);
  if (dash) {
    const at = dash[0].length;
    candidates.push({ cut: dash[1].length, at, text: text.slice(at, body.length), sep: dash[2], close: '' });
  }
  const colon = /^(.*\S)(:\s+)(?=\S)/.exec(body);
  if (colon) {
    const at = colon[0].length;
    candidates.push({ cut: colon[1].length, at, text: text.slice(at, body.length), sep: colon[2], close: '' });
  }
  // Only a status word is a status: `Phase 1 - CI Setup` is a name. Of two, the one after the last separator: in
  // `Phase 3 — Testing: ✅` the status is ✅, not `Testing: ✅` (read as `Testing`, its symbols left out).
  const status = candidates
    .filter(
      (c) =>
        (STATUS_WORD.test(statusKeyOf(c.text)) || DONE_MARK.test(c.text)) &&
        !(titled && c.close === '' && ENDS_WITH_PHASE.test(plainName(text.slice(0, c.cut)))),
    )
    .reduce<(typeof candidates)[number] | undefined>((best, c) => (best === undefined || c.at > best.at ? c : best), undefined);
  if (status) return { name: text.slice(0, status.cut), bare: text.slice(0, status.cut), status };
  // Parentheses that hold no status stay in the name (`CI Setup ([prompt](…))`), but not in what is compared with a folder name.
  return { name: text, bare: found ? text.slice(0, cut) : text };
}

/** The plain words of a name: its links' texts, without emphasis and code markup around them. */
function plainName(name: string): string {
  const s = name.replace(ITEM_LINK, (_m, label: string) => label).replace(/[*`~]/g, '');
  // Emphasis underscores around it, trimmed by hand (`_+$` is quadratic on a long run of `_` inside).
  let a = 0;
  let b = s.length;
  while (a < b && s[a] === '_') a++;
  while (b > a && s[b - 1] === '_') b--;
  return s.slice(a, b).trim();
}

/** Symbols before a text's first word: a run that ends where it starts, in linear time. */
const LEADING_SYMBOLS = /^[^\p{L}\p{N}]*/u;
/** A letter or a digit at `lastIndex`. */
const WORD_AT = /[\p{L}\p{N}]/uy;

/**
 * `text` without the symbols around its words (`✅ Verified & Integrated!` → `Verified & Integrated`), in linear time
 * and without a string made for each character (a status of many `✅` made one each, which the collector then copied).
 */
export function wordsOnly(text: string): string {
  const a = LEADING_SYMBOLS.exec(text)![0].length;
  let b = text.length;
  while (b > a) {
    // The last character: two units when it is a surrogate pair (an emoji).
    const low = text.charCodeAt(b - 1);
    const pair = low >= 0xdc00 && low <= 0xdfff && b - 2 >= a && (text.charCodeAt(b - 2) & 0xfc00) === 0xd800;
    const at = pair ? b - 2 : b - 1;
    WORD_AT.lastIndex = at;
    if (WORD_AT.test(text)) break;
    b = at;
  }
  return text.slice(a, b);
}

/** The end of a name's first part: before its first spaced dash, colon, comma or parenthesis outside links and code. */
function headEnd(masked: string): number {
  // No `\s*` before the separator (quadratic on a long run of spaces): the head is only read for its links.
  const m = /\s-\s|[—–:,(]/.exec(masked);
  return m ? m.index : masked.length;
}

/** A word `Phase N` (`Phase 1`, `Phase_1`, `phase-1`): where an item that names its own workstream names its phase. */
const PHASE_WORD = /(?<![\p{L}\p{N}])phase[\s_-]*\d/iu;

/**
 * Where `Phase N` starts in a name that begins with one of `workstreams`, and that workstream: `Build Phase 1: …`,
 * `**Build** — Phase 1`, `Build/Phase 1`, `Build Workstream: Phase 1` (the words before it are the workstream's name alone).
 */
export function ownWorkstream(name: string, workstreams: readonly string[]): { at: number; workstream: string } | undefined {
  if (!workstreams.length) return undefined;
  const m = PHASE_WORD.exec(maskSpans(name));
  if (!m || m.index === 0) return undefined;
  const before = plainName(name.slice(0, m.index));
  // The separator before `Phase N` (`:`, `/`, a dash), trimmed by hand.
  let b = before.length;
  while (b > 0 && /[\s:/\-–—_,›»>·|]/.test(before[b - 1])) b--;
  const key = workstreamKey(before.slice(0, b));
  if (key === '') return undefined;
  const ws = workstreams.find((w) => workstreamKey(w) === key);
  return ws === undefined ? undefined : { at: m.index, workstream: ws };
}

/** The workstream an item names alone (`Build`, `**Build Workstream**:`, `3.1. Build Workstream (iAI Managed)`), among `workstreams`. */
function itemWorkstream(text: string, workstreams: readonly string[]): string | undefined {
  if (!workstreams.length) return undefined;
  let t = plainName(splitItem(text).bare.trimEnd());
  if (t.endsWith(':')) t = t.slice(0, -1);
  t = t.replace(/^\d+(?:\.\d+)*\.?\s/, '');
  const key = workstreamKey(t);
  return key === '' ? undefined : workstreams.find((w) => workstreamKey(w) === key);
}

/**
 * The status of a `Status: …` sub-item (`Status: ✅ Complete`, `**Status:** Done`, `Status — In progress (since May)`):
 * where it starts in `text` and its words (before a trailing note in parentheses or after a dash, when the rest is no status).
 */
function statusLine(text: string): { at: number; text: string } | undefined {
  const m = /^(\*\*|__|\*|_)?status(?:\1)?\s*[:—–-](?:\1)?[ \t]*/i.exec(text);
  if (!m) return undefined;
  const value = text.slice(m[0].length).trimEnd();
  if (value === '') return undefined;
  const cuts = [value.length, value.indexOf('('), value.indexOf(' — '), value.indexOf(' – '), value.indexOf(' - ')].filter((c) => c > 0);
  for (const c of cuts) {
    const v = value.slice(0, c).trimEnd();
    if (STATUS_WORD.test(statusKeyOf(v)) || DONE_MARK.test(v)) return { at: m[0].length, text: v };
  }
  return { at: m[0].length, text: value };
}

/** A heading's status words, as compared (`### 2. ✅ Completed Phases (3)` → `completed`). */
function titleStatusKey(title: string): string {
  // By words (`/( \d+)+$/` would be quadratic on a long run of numbers): numbers around it, then a `Phases` word.
  const words = statusKeyOf(title).split(' ');
  let a = 0;
  let b = words.length;
  while (a < b && /^\d+$/.test(words[a])) a++;
  while (b > a && /^\d+$/.test(words[b - 1])) b--;
  if (a < b && /^phases?$/.test(words[a])) a++;
  else if (b > a && /^phases?$/.test(words[b - 1])) b--;
  return words.slice(a, b).join(' ');
}

/** Whether a heading gives the items under it a status (`### Completed`, `### ✅ Done`, `### In Progress (2)`, `### Completed Phases`). */
export function titleStatus(title: string): boolean {
  return STATUS_WORD.test(titleStatusKey(title));
}

/** What a status (an item's, or a heading's) says: done, not started, under way, held, or its own words. */
export function statusKind(text: string): string {
  if (isCompleteStatus(text)) return 'complete';
  const key = titleStatusKey(text);
  if (isCompleteStatus(key)) return 'complete';
  if (/^(not started|not yet started|not begun|pending|planned|todo|to do|open|queued|backlog|new|upcoming|scheduled|next)$/.test(key)) return 'not started';
  if (/^(in progress|ongoing|under way|underway|started|active|wip|in review|review|under review|being verified|testing)$/.test(key)) return 'in progress';
  if (/^(blocked|on hold|paused)$/.test(key)) return 'blocked';
  return key;
}

/**
 * The status the nearest heading above section `idx`, below its Phase Status section, gives (its title), when it is a
 * status word and names no workstream (`### Build` › `#### Completed`, `### Completed` › `#### Build`).
 */
export function headingStatus(doc: ParsedDocument, idx: number | undefined, workstreams: readonly string[]): string | undefined {
  const plan = normalizeTitle(PLAN_SECTION);
  for (let i = idx; i !== undefined; i = doc.sections[i].parent) {
    const s = doc.sections[i];
    if (s.key === plan) return undefined;
    if (titleStatus(s.title) && itemWorkstream(s.title, workstreams) === undefined) return s.title;
  }
  return undefined;
}

/** The direct sub-items of `items[k]` (their indices). */
function subItems(items: readonly ListItem[], k: number): number[] {
  const out: number[] = [];
  const it = items[k];
  for (let j = k + 1; j < items.length && items[j].line <= it.endLine; j++) if (items[j].depth === it.depth + 1) out.push(j);
  return out;
}

/** The first `Status: …` sub-item of `items[k]`, among `kids` (its sub-items). */
function statusItemOf(items: readonly ListItem[], kids: number[]): (NonNullable<PlanItem['statusItem']> & { text: string }) | undefined {
  for (const j of kids) {
    const s = statusLine(items[j].text);
    if (!s) continue;
    const st = items[j].textRange.start;
    return { item: items[j], value: range(st.line, st.character + s.at, st.line, st.character + s.at + s.text.length), text: s.text };
  }
  return undefined;
}

/**
 * A plan item of `it`, in the section of workstream `workstream` (the project's are `workstreams`), under parent
 * item `group` when that one names its workstream, with its sub-items `kids`, in a list whose heading gives `status`.
 */
function planItem(
  it: ListItem,
  workstream: string | undefined,
  workstreams: readonly string[] = [],
  more: { items?: readonly ListItem[]; kids?: number[]; group?: ListItem; status?: string } = {},
): PlanItem {
  // Its `Status: …` sub-item, if any: with it, or under a status heading, `Phase 1: Testing` is titled Testing (its status is given there).
  const sub = more.items && more.kids ? statusItemOf(more.items, more.kids) : undefined;
  const { name: rawName, bare, status } = splitItem(it.text, !!sub || more.status !== undefined);
  const name = rawName.trimEnd();
  const start = it.textRange.start;
  let plain = plainName(bare.trimEnd());
  let num = PHASE_START.exec(plain);
  // `Build Phase 1: Scaffold`: the item names its workstream itself (whatever its heading's), when it then names its phase
  // alone or with a title after a separator (`Test Phase 2 on staging` may be a task: a note).
  let prefix: string | undefined;
  const own = num ? undefined : ownWorkstream(bare.trimEnd(), workstreams);
  if (own) {
    const rest = plainName(bare.trimEnd().slice(own.at));
    const n = PHASE_NAME.test(rest) ? PHASE_START.exec(rest) : null;
    if (n) {
      num = n;
      plain = rest;
      prefix = bare.slice(0, own.at);
      workstream = own.workstream;
    }
  }
  // The links of its head, or of the whole name when the head neither links nor numbers the phase (`Build Automation ([prompt](…))`).
  const start0 = name.slice(0, headEnd(maskSpans(name)));
  const head = num || start0.includes('](') ? start0 : name;
  const links = [...head.matchAll(ITEM_LINK)].map((m) => m[2]);
  const intoWorkstreams = links.some((l) => /(^|\/)workstreams\//.test(l));
  // A struck-out item (`~~Phase 4: Mobile~~`) is one the plan dropped: a note.
  const struck = /^~~[\s\S]*~~$/.test(name.trim());
  const phaseLike = !struck && (!!num || PHASE_ID.test(plain) || intoWorkstreams);
  // A status given elsewhere: a `Status: …` sub-item, else the list's heading (`### Completed`).
  const inherited: PlanItem['inherited'] = sub
    ? { text: sub.text, range: sub.value }
    : more.status !== undefined
      ? { text: more.status, range: range(start.line, start.character, start.line, start.character + name.length), heading: more.status }
      : undefined;
  return {
    item: it,
    name,
    nameRange: range(start.line, start.character, start.line, start.character + name.length),
    key: bare.trimEnd(),
    head,
    status:
      status && status.text.trim() !== ''
        ? {
            text: status.text.trimEnd(),
            range: range(start.line, start.character + status.at, start.line, start.character + status.at + status.text.trimEnd().length),
            sep: status.sep,
            close: status.close,
          }
        : undefined,
    number: num ? Number(num[1]) : undefined,
    workstream,
    phaseLike,
    // `Phase 2 waits on Phase 1` may be a note: only `Phase 2`, `Phase 2: …`, `Phase 2 — …`, `Phase 2 (…)` or `Phase_2_…` is reported as naming no phase.
    reportable:
      phaseLike &&
      (intoWorkstreams || PHASE_ID.test(plain) || (!!num && PHASE_NAME.test(plain))) &&
      (workstream !== undefined || !/\s/.test(plain) || intoWorkstreams),
    ...(prefix !== undefined ? { prefix } : {}),
    ...(more.group ? { group: more.group } : {}),
    ...(sub ? { statusItem: { item: sub.item, value: sub.value } } : {}),
    ...(inherited ? { inherited } : {}),
  };
}

/** The plan's lists, by document and workstreams (performance only: the plan is checked after every edit of any phase). */
const listsOf = new WeakMap<ParsedDocument, { ws: string; lists: PlanList[] }>();

/**
 * The checklists of phases under the Phase Status sections: their top-level items (a sub-item is a note
 * of its item), grouped by section, in the sections whose own text holds no table of phases (a table's
 * section keeps its lists as notes). A section's items are a list of phases when one reads as a phase's.
 */
function planLists(doc: ParsedDocument, sections: Section[], tables: PlanTables['tables'], workstreams: readonly string[]): PlanList[] {
  const wsKey = workstreams.join('\n');
  const known = listsOf.get(doc);
  if (known && known.ws === wsKey) return known.lists;
  const tabled = new Set(tables.map((t) => t.table.section));
  const inside = withinSections(sections);
  const bySection = new Map<number | undefined, PlanList>();
  const items = doc.items;
  for (let k = 0; k < items.length; k++) {
    const it = items[k];
    if (it.depth !== 0 || tabled.has(it.section) || !inside(it.line)) continue;
    let list = bySection.get(it.section);
    if (!list) {
      list = { section: it.section, items: [] };
      const ws = headingWorkstream(doc, it.section, workstreams);
      if (ws !== undefined) list.impliedWorkstream = ws;
      const status = headingStatus(doc, it.section, workstreams);
      if (status !== undefined) list.status = status;
      bySection.set(it.section, list);
    }
    const kids = subItems(items, k);
    // `- Build` with its phases as sub-items (`  - [x] Phase 1: Scaffold`): those are the rows, of that workstream.
    const group = kids.length ? itemWorkstream(it.text, workstreams) : undefined;
    if (group !== undefined) {
      for (const c of kids) list.items.push(planItem(items[c], group, workstreams, { items, kids: subItems(items, c), group: it, status: list.status }));
    } else list.items.push(planItem(it, list.impliedWorkstream, workstreams, { items, kids, status: list.status }));
  }
  const lists = [...bySection.values()].filter((l) => l.items.some((i) => i.phaseLike));
  listsOf.set(doc, { ws: wsKey, lists });
  return lists;
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

/**
 * The list of `pt` a phase of `workstream` goes in: the one under its workstream's heading, else, in a plan
 * without tables of phases, its first list of no workstream. None when there is no such list.
 */
export function listFor(pt: PlanTables, workstream: string | undefined): PlanList | undefined {
  const key = workstream !== undefined ? workstreamKey(workstream) : undefined;
  return (
    pt.lists.find((l) => l.impliedWorkstream !== undefined && workstreamKey(l.impliedWorkstream) === key) ??
    (pt.tables.length ? undefined : pt.lists.find((l) => l.impliedWorkstream === undefined))
  );
}

/** Whether a status says the phase is done (`Complete`, `Verified & Integrated`, `✅`), as the plan rule reads a row's. */
export function isCompleteStatus(text: string): boolean {
  return COMPLETE.test(statusKeyOf(text)) || DONE_MARK.test(text);
}

/** The workstream the nearest heading above section `idx` names (`Build`, `Build Workstream`, `3.1 Build Workstream (iAI Managed)`). */
function headingWorkstream(doc: ParsedDocument, idx: number | undefined, workstreams: readonly string[]): string | undefined {
  if (!workstreams.length) return undefined;
  for (let i = idx; i !== undefined; i = doc.sections[i].parent) {
    const ws = titleWorkstream(doc.sections[i].title, workstreams);
    if (ws !== undefined) return ws;
  }
  return undefined;
}

/** The workstream a heading's title names, among `workstreams` (`Build`, `Build Workstream`, `3.1 Build Workstream (iAI Managed)`). */
export function titleWorkstream(title: string, workstreams: readonly string[]): string | undefined {
  const k = workstreamKey(title.replace(/(?<!\s)\s*\([^()]*\)\s*$/, '').replace(/^\s*\d+(?:\.\d+)*\.?\s+/, ''));
  return workstreams.find((w) => workstreamKey(w) === k);
}

/** A row's workstream: its Workstream cell, else its table's heading's. */
function rowWorkstream(cells: TableCell[], cols: PlanColumns): string {
  return cols.workstream !== undefined ? (cells[cols.workstream]?.text ?? '') : (cols.impliedWorkstream ?? '');
}

/** The number a row's Phase cell gives: `Phase 1: Source Code Management`, `Phase_1`, or the number alone (`1`, `#1`, `**1**`). */
export function phaseNumberOf(text: string): RegExpExecArray | null {
  return /phase\s*(\d+)/i.exec(text.replace(/[_-]/g, ' ')) ?? /^[\s*_]*(?:#\s*)?(\d+)[\s*_]*$/.exec(text);
}

/** Whether a row names a phase: by link to its folder, by folder name or id, or by workstream and number. */
export function rowMatches(doc: ParsedDocument, planPath: string, cells: TableCell[], cols: PlanColumns, p: Phase, root: string): boolean {
  const cell = cells[cols.phase];
  if (!cell) return false;
  const num = phaseNumberOf(cell.text);
  return namesPhase(cell.text, rowWorkstream(cells, cols), num ? Number(num[1]) : undefined, planPath, p, root);
}

/** Whether a plan item names a phase, as a row does: by link, folder name or id, or with its workstream its number. */
export function itemMatches(planPath: string, it: PlanItem, p: Phase, root: string): boolean {
  return namesPhase(it.key, it.workstream ?? '', it.number, planPath, p, root, it.head);
}

/**
 * Whether `text` (a row's Phase cell, an item's name), of workstream `ws` (may be empty) and phase number `num`,
 * names `p`; by the links of `linked` (all of `text`, or an item's head).
 */
function namesPhase(text: string, ws: string, num: number | undefined, planPath: string, p: Phase, root: string, linked = text): boolean {
  return namedBy(readNaming(text, ws, num, planPath, root, linked), p, phaseNames(p));
}

/** What naming a phase reads of a row's Phase cell or an item: its links' targets, its key, its workstream's key and number (a number counts only with a workstream). */
interface Naming {
  links: string[];
  key: string;
  wsKey: string | undefined;
  num: number | undefined;
}

function readNaming(text: string, ws: string, num: number | undefined, planPath: string, root: string, linked = text): Naming {
  const links: string[] = [];
  // A link needs `](` (performance only: most cells have none, and the expression is not tried).
  for (const m of linked.includes('](') ? linked.matchAll(/\]\(\s*<?([^)>\s]+)>?/g) : []) {
    const l = resolveTarget(dirname(planPath), unescapeTarget(m[1]), root);
    if (l !== undefined) links.push(l);
  }
  const given = ws.trim() !== '';
  return { links, key: nameKey(text), wsKey: given ? workstreamKey(ws) : undefined, num: given ? num : undefined };
}

/** A phase's folder name and id as nameKey reads them, and its workstream's key (found when first asked). */
interface PhaseNames {
  folder: string;
  id: string;
  ws?: string;
}

function phaseNames(p: Phase): PhaseNames {
  return { folder: nameKey(basename(p.folder)), id: nameKey(p.id) };
}

/** Whether what was read of a row or item (`readNaming`) names `p`: by link to its folder, by folder name or id, or by workstream and number. */
function namedBy(t: Naming, p: Phase, names: PhaseNames): boolean {
  if (t.wsKey !== undefined && p.workstream !== undefined && t.wsKey !== (names.ws ??= workstreamKey(p.workstream))) return false;
  if (t.links.some((l) => l === p.folder || isInside(p.folder, l))) return true;
  if (t.key === names.folder || t.key === names.id) return true;
  // "Phase 1: Source Code Management" (or "1" in the Phase column) in the Build row matches Build/Phase_1_Source_Control.
  return t.num !== undefined && p.number !== undefined && t.num === p.number;
}

/**
 * A status that says the phase is done: in the iAI framework's words a response is "verified and
 * integrated" (`Verified`, `Integrated`, `Verified & Integrated`).
 */
const COMPLETE = /^(complete|completed|done|finished|passed|verified|integrated|verified (and )?integrated|integrated (and )?verified)$/;
/** A status that is a check mark alone (`✅`, `✔️`, `☑`, `✓`): done. */
const DONE_MARK = /^[\s*_]*(?:✅|✔\uFE0F?|☑\uFE0F?|✓)[\s*_]*$/u;

/**
 * The phases a row names, from an index built once per plan (performance only): decided as `namesPhase`
 * decides, but over a few candidates instead of every phase, so a plan of N rows is not N × N; and with the
 * row read once (readNaming) and each phase's names once, not again for each candidate.
 * Every phase namesPhase accepts is a candidate: a link at or under its folder, its folder name or
 * id as the cell's key, or its number with a workstream given.
 */
export function phaseIndex(phases: Phase[]): PhaseLookup {
  return atOnce(phaseIndexSteps(phases, undefined));
}

type PhaseLookup = ((text: string, ws: string, num: number | undefined, planPath: string, root: string, linked?: string) => Phase[]) & {
  /** The phases of a number, in order. */
  numbered(num: number): Phase[];
};

/** `phaseIndex` in steps: it stops (yields) every so many phases where `due()` says its slice is spent. */
function* phaseIndexSteps(phases: Phase[], due: (() => boolean) | undefined): Generator<void, PhaseLookup, void> {
  // The phases by folder, by key (of their folder's name and of their id) and by number: no key is made
  // of a prefix and a name (performance only: a folder's name is looked up as it is).
  const byFolder = new Map<string, Phase[]>();
  const byKey = new Map<string, Phase[]>();
  const byNumber = new Map<number, Phase[]>();
  const add = <K>(by: Map<K, Phase[]>, k: K, p: Phase) => {
    const l = by.get(k);
    if (!l) by.set(k, [p]);
    else if (l[l.length - 1] !== p) l.push(p);
  };
  const order = new Map<Phase, number>();
  const names = new Map<Phase, PhaseNames>();
  for (let i = 0; i < phases.length; i++) {
    if ((i & 63) === 63 && due?.()) yield;
    const p = phases[i];
    order.set(p, i);
    const k = phaseNames(p);
    names.set(p, k);
    add(byFolder, p.folder, p);
    add(byKey, k.folder, p);
    add(byKey, k.id, p);
    if (p.number !== undefined) add(byNumber, p.number, p);
  }
  const lookup = (text: string, ws: string, num: number | undefined, planPath: string, root: string, linked = text): Phase[] => {
    const found = new Set<Phase>();
    const take = (l: Phase[] | undefined) => l?.forEach((p) => found.add(p));
    const t = readNaming(text, ws, num, planPath, root, linked);
    for (const l of t.links) {
      for (let d = l; ; d = dirname(d)) {
        take(byFolder.get(d));
        if (d === dirname(d)) break;
      }
    }
    take(byKey.get(t.key));
    if (t.num !== undefined) take(byNumber.get(t.num));
    return [...found].filter((p) => namedBy(t, p, names.get(p)!)).sort((a, b) => order.get(a)! - order.get(b)!);
  };
  return Object.assign(lookup, { numbered: (num: number) => byNumber.get(num) ?? [] });
}

/** The title a name gives after its `Phase N` (`Phase 1: CI Setup` → `ci setup`), as nameKey reads it; '' when none. */
function titleAfterNumber(text: string): string {
  const plain = plainName(text);
  const m = /phase[\s_-]*\d+/i.exec(plain);
  return m ? nameKey(plain.slice(m.index + m[0].length)) : '';
}

/** A phase's title as its folder's name gives it after its `Phase_N_` (`Phase_1_CI_Setup` → `ci setup`), as nameKey reads it. */
function folderTitleKey(p: Phase): string {
  return nameKey(basename(p.folder).replace(/^phase[\s_-]*\d+/i, ''));
}

/** Whether two titles (keys) say the same: the words of one all among the other's (`ci` and `ci setup`). */
function sameTitle(a: string, b: string): boolean {
  if (!a || !b) return false;
  const wa = a.split(' ');
  const wb = new Set(b.split(' '));
  return wa.every((w) => wb.has(w)) || b.split(' ').every((w) => wa.includes(w));
}

/**
 * The phases a name of no workstream may mean by its number alone (`| Phase 1: CI Setup | Done |` in a table without a
 * Workstream column under no workstream's heading, `- [x] Phase 1` under `### Completed`): the project's phases of that
 * number, of those the ones whose title (by its folder's name: the plan is read again when a folder is renamed, not
 * when a document's heading changes) it gives when there are several and some have it. One: the name names it. More:
 * it names none, and says too little to tell which.
 */
function numberedAlone(named: PhaseLookup, num: number, text: string): Phase[] {
  const candidates = named.numbered(num);
  if (candidates.length < 2) return candidates;
  const title = titleAfterNumber(text);
  const fit = title ? candidates.filter((p) => sameTitle(folderTitleKey(p), title)) : [];
  return fit.length ? fit : candidates;
}

/** A row's number when it names its phase by that alone: no workstream by column or heading (undefined otherwise). */
export function aloneNumber(cells: TableCell[], cols: PlanColumns, text: string): number | undefined {
  if (rowWorkstream(cells, cols).trim() !== '') return undefined;
  const num = phaseNumberOf(text);
  return num ? Number(num[1]) : undefined;
}

/**
 * The phases each row of a plan's table names (undefined for a row without a phase name), by plan
 * model, kept for the workspace model they were found in (performance only: the plan is checked again
 * after every edit of any phase, and which phases its rows name changes only with the plan or the
 * phases; the gates of Complete rows are read afresh).
 */
const rowHits = new WeakMap<Table, { model: WorkspaceModel; path: string; ws: string | undefined; hits: (Phase[] | undefined)[] }>();

/** The index of a plan's phases, built once for all its tables and lists, and only when one of them was not read yet. */
type LazyIndex = (due: (() => boolean) | undefined) => Generator<void, PhaseLookup, void>;

function lazyIndex(phases: Phase[]): LazyIndex {
  let built: PhaseLookup | undefined;
  return function* (due) {
    return (built ??= yield* phaseIndexSteps(phases, due));
  };
}

function hitsOfRows(path: string, model: WorkspaceModel, table: Table, cols: PlanColumns, index: LazyIndex): (Phase[] | undefined)[] {
  return atOnce(rowHitsSteps(path, model, table, cols, index, undefined));
}

/** `hitsOfRows` in steps: it stops (yields) every so many rows where `due()` says its slice is spent. */
function* rowHitsSteps(
  path: string,
  model: WorkspaceModel,
  table: Table,
  cols: PlanColumns,
  index: LazyIndex,
  due: (() => boolean) | undefined,
): Generator<void, (Phase[] | undefined)[], void> {
  const known = rowHits.get(table);
  if (known && known.model === model && known.path === path && known.ws === cols.impliedWorkstream) return known.hits;
  const named = yield* index(due);
  const root = model.root;
  // As rowMatches reads each row.
  const rows = table.rows;
  const hits: (Phase[] | undefined)[] = [];
  for (let i = 0; i < rows.length; i++) {
    if ((i & 63) === 63 && due?.()) yield;
    const row = rows[i];
    const cell = row.cells[cols.phase];
    if (!cell || textKey(cell.text) === '') {
      hits.push(undefined);
      continue;
    }
    const num = phaseNumberOf(cell.text);
    const found = named(cell.text, rowWorkstream(row.cells, cols), num ? Number(num[1]) : undefined, path, root);
    // Of no workstream: the one phase its number (and title) fits, when just one does.
    const alone = found.length ? undefined : aloneNumber(row.cells, cols, cell.text);
    const fits = alone !== undefined ? numberedAlone(named, alone, cell.text) : [];
    hits.push(fits.length === 1 ? fits : found);
  }
  rowHits.set(table, { model, path, ws: cols.impliedWorkstream, hits });
  return hits;
}

/** The phases each item of a plan's list names, as hitsOfRows finds a table's (kept by list, for its model: performance only). */
const itemHits = new WeakMap<PlanList, { model: WorkspaceModel; path: string; hits: Phase[][] }>();

function hitsOfItems(path: string, model: WorkspaceModel, doc: ParsedDocument, list: PlanList, index: LazyIndex): Phase[][] {
  return atOnce(itemHitsSteps(path, model, doc, list, index, undefined));
}

/** `hitsOfItems` in steps, as rowHitsSteps. */
function* itemHitsSteps(
  path: string,
  model: WorkspaceModel,
  doc: ParsedDocument,
  list: PlanList,
  index: LazyIndex,
  due: (() => boolean) | undefined,
): Generator<void, Phase[][], void> {
  const known = itemHits.get(list);
  if (known && known.model === model && known.path === path) return known.hits;
  const named = yield* index(due);
  const root = model.root;
  // As itemMatches reads each item.
  const hits: Phase[][] = [];
  for (let i = 0; i < list.items.length; i++) {
    if ((i & 63) === 63 && due?.()) yield;
    const it = list.items[i];
    const found = named(it.key, it.workstream ?? '', it.number, path, root, it.head);
    // Of no workstream (numbersOnly): the one phase its number (and title) fits, when just one does.
    const fits = found.length || !numbersOnly(doc, list, it) ? [] : numberedAlone(named, it.number!, it.key);
    hits.push(fits.length === 1 ? fits : found);
  }
  itemHits.set(list, { model, path, hits });
  return hits;
}

/**
 * The plan rule's work that grows with the project, ahead of it, in steps that stop (yield) where `due()` says
 * a slice is spent: which phases each row and item of the plan at `path` (its model `doc`) names, kept as the
 * rule keeps it for `model`. The rule, run on that model of the plan for that workspace model, finds it done
 * (performance only: for a host that must stay responsive, the language server; at N = 10,000 the rule ran
 * some 0.3 s in one piece otherwise).
 */
export function* planSteps(model: WorkspaceModel, path: string, doc: ParsedDocument, due: () => boolean): Generator<void, void, void> {
  const phases = planPhases(model, path);
  const pt = planTables(doc, workstreamsOf(phases));
  if (!pt) return;
  const index = lazyIndex(phases);
  for (const { table, cols } of pt.tables) yield* rowHitsSteps(path, model, table, cols, index, due);
  for (const list of pt.lists) yield* itemHitsSteps(path, model, doc, list, index, due);
}

/** The distinct workstreams of `phases`, in order. */
export function workstreamsOf(phases: readonly Phase[]): string[] {
  return [...new Set(phases.flatMap((p) => (p.workstream !== undefined ? [p.workstream] : [])))];
}

/** A cell that holds nothing but a template's placeholder (`[Phase]`). */
export function isPlaceholder(text: string): boolean {
  return text.replace(PLACEHOLDER, '').trim() === '' && text.trim() !== '';
}

/**
 * An item of `list` that names a phase by its number alone, with no workstream to read it by (`Phase 1`, `Phase 1: CI
 * Setup`), right under a Phase Status or a status heading (`### Completed`): it names no phase, but may mean one of that
 * number, which is not reported missing. (Under another heading, `### Legacy`, it is more likely another workstream's.)
 */
export function numbersOnly(doc: ParsedDocument, list: PlanList, it: PlanItem): boolean {
  if (!it.phaseLike || it.reportable || it.workstream !== undefined || it.number === undefined || !PHASE_NAME.test(plainName(it.key))) return false;
  const sec = list.section !== undefined ? doc.sections[list.section] : undefined;
  return sec === undefined || sec.key === normalizeTitle(PLAN_SECTION) || titleStatus(sec.title);
}

/**
 * The phases a row of no workstream may mean by its number alone when it names none: more than one (see
 * numberedAlone), or none when it is no such row.
 */
function rowAmbiguity(table: Table, cols: PlanColumns, i: number, named: PhaseLookup): Phase[] {
  const row = table.rows[i];
  const cell = row.cells[cols.phase];
  const num = cell ? aloneNumber(row.cells, cols, cell.text) : undefined;
  return num === undefined ? [] : numberedAlone(named, num, cell!.text);
}

/**
 * The numbers of the plan's rows and items that name a phase by its number alone and match none of the project's
 * phases, or several (see numbersOnly, numberedAlone): a phase of such a number is not reported missing from the plan,
 * and the add fix and `new` add no row or item for it. `pt`: the plan `doc` (at `path`) read for the phases it tracks.
 */
export function unplacedNumbers(path: string, model: WorkspaceModel, doc: ParsedDocument, pt: PlanTables): Set<number> {
  const unplaced = new Set<number>();
  const index = lazyIndex(planPhases(model, path));
  for (const { table, cols } of pt.tables) {
    const hitsByRow = hitsOfRows(path, model, table, cols, index);
    hitsByRow.forEach((hits, i) => {
      const several = hits && !hits.length ? rowAmbiguity(table, cols, i, atOnce(index(undefined))) : [];
      if (several.length > 1) unplaced.add(several[0].number!);
    });
  }
  for (const list of pt.lists) {
    const hitsByItem = hitsOfItems(path, model, doc, list, index);
    list.items.forEach((it, i) => {
      if (!hitsByItem[i].length && numbersOnly(doc, list, it)) unplaced.add(it.number!);
    });
  }
  return unplaced;
}

/**
 * A row for a phase the plan lists ahead of its folder (the plan tracks every phase of the project, as the iAI
 * framework's plan does): its status, or its heading's, says it is not started.
 */
function plannedRow(status: string | undefined): boolean {
  return status !== undefined && !DONE_MARK.test(status) && statusKind(status) === 'not started';
}

/** An item for a phase the plan lists ahead (see plannedRow): not ticked, and not said to be under way or done. */
function plannedItem(it: PlanItem): boolean {
  if (it.item.checked === true) return false;
  const status = it.status?.text ?? it.inherited?.text;
  if (status !== undefined) return plannedRow(status);
  // A box not ticked, with no status: not done, and no folder to be under way in.
  return it.item.checked === false;
}

/** A row or item that names a phase the project does not have. */
function reportNoSuchPhase(ctx: RuleContext, at: Range, name: string, phases: readonly Phase[]): void {
  ctx.report(
    'plan-status-mismatch',
    at,
    `No phase "${name}" exists${phases.length ? ' under workstreams/' : ''}: the plan lists a phase the project does not have.`,
  );
}

/** A row that names a phase by a number (and a title) that several phases have. */
function reportNoWorkstream(ctx: RuleContext, at: Range, name: string, phases: readonly Phase[]): void {
  const ids = phases.slice(0, 5).map((p) => p.id);
  const listed = phases.length > 5 ? `${ids.join(', ')}, …` : `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
  ctx.report(
    'plan-status-mismatch',
    at,
    `"${name}" names no workstream, and ${phases.length} phases have its number: ${listed}; write its workstream (a Workstream column, or a heading that names it over the table).`,
  );
}

/** The data of the fix that sets a row's status to its phase's (`set-plan-status`, fixes/plan-status.ts): the phases it names. */
function setStatus(p: Phase, phases: readonly Phase[]): FixData {
  return { fix: 'set-plan-status', phase: p.id, phases: phases.map((q) => q.id) };
}

/** A row or item marked complete (`marked`: how the plan says it) for phases whose gates have not all passed. */
function reportMarkedComplete(ctx: RuleContext, at: Range, phases: readonly Phase[], marked: string): void {
  for (const p of phases) {
    const open = ctx.gates!(p).filter((g) => g.status !== 'passed');
    if (!open.length) continue;
    const why = open.map((g) => `${g.name} ${g.status}${g.reasons.length ? ` (${g.reasons.join(', ')})` : ''}`).join('; ');
    ctx.report('plan-status-mismatch', at, `The plan marks ${phaseName(p)} ${marked}, but its gates have not all passed: ${why}.`, setStatus(p, phases));
  }
}

/**
 * A row or item that says its phases are not started (`marked`: how the plan says it) while every gate of one has
 * passed: the plan, which tracks the execution status of every phase, was not updated as it completed.
 */
function reportMarkedNotStarted(ctx: RuleContext, at: Range, phases: readonly Phase[], marked: string): void {
  for (const p of phases) {
    const gates = ctx.gates!(p);
    if (!gates.length || gates.some((g) => g.status !== 'passed')) continue;
    ctx.report(
      'plan-status-mismatch',
      at,
      `The plan marks ${phaseName(p)} ${marked}, but it is complete: every gate has passed. Mark it complete in the plan.`,
      setStatus(p, phases),
    );
  }
}

export const planRule: Rule = {
  ids: ['plan-status-mismatch'],
  readsGates: true,
  check(ctx: RuleContext) {
    const { doc, spec } = ctx;
    if (spec?.kind !== 'plan') return;
    const phases = planPhases(ctx.model, ctx.path);
    const workstreams = workstreamsOf(phases);
    const pt = planTables(doc, workstreams);
    if (!pt) return; // missing-section reports the missing table's section.
    const matched = new Set<Phase>();
    // Rows and items of phases the plan lists ahead, not started: reported only beside a phase the plan has no row for
    // (then more likely a misspelling of its name than a phase to come).
    const planned: { at: Range; name: string }[] = [];
    // One index of the phases for all the tables and lists (built only when one of them was not read yet).
    const index = lazyIndex(phases);
    for (const { table, cols } of pt.tables) {
      const rows = table.rows;
      // A table without a Status column under a status heading (`### Completed`): its rows have the heading's status.
      const headed = cols.status === undefined ? headingStatus(doc, table.section, workstreams) : undefined;
      const headedComplete = headed !== undefined && statusKind(headed) === 'complete';
      const hitsByRow = hitsOfRows(ctx.path, ctx.model, table, cols, index);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i];
        const cell = row.cells[cols.phase];
        const hits = hitsByRow[i];
        if (!cell || !hits) continue;
        // A row the template left (`| [Workstream] | [Phase] | Not started |`): unfilled-placeholder reports it.
        if (!hits.length && isPlaceholder(cell.text)) continue;
        if (!hits.length) {
          const several = rowAmbiguity(table, cols, i, atOnce(index(undefined)));
          if (several.length > 1) reportNoWorkstream(ctx, cell.range, cell.text, several);
          else if (plannedRow(cols.status !== undefined ? row.cells[cols.status]?.text : headed)) planned.push({ at: cell.range, name: cell.text });
          else reportNoSuchPhase(ctx, cell.range, cell.text, phases);
          continue;
        }
        hits.forEach((p) => matched.add(p));
        if (headedComplete && ctx.gates) {
          reportMarkedComplete(ctx, cell.range, hits, `Complete (under "${headed}")`);
          continue;
        }
        if (headed !== undefined && ctx.gates && statusKind(headed) === 'not started') {
          reportMarkedNotStarted(ctx, cell.range, hits, `${wordsOnly(headed)} (under "${headed}")`);
          continue;
        }
        const status = cols.status !== undefined ? row.cells[cols.status] : undefined;
        const key = status ? textKey(status.text).replace(/^\W+/, '') : '';
        const mark = status !== undefined && DONE_MARK.test(status.text);
        if (status && !mark && ctx.gates && statusKind(status.text) === 'not started') {
          reportMarkedNotStarted(ctx, status.range, hits, wordsOnly(status.text));
          continue;
        }
        if (!status || (!COMPLETE.test(key) && !mark) || !ctx.gates) continue;
        // "Verified & Integrated" is said as the plan says it; a check mark as itself; the other words are "Complete".
        const marked = /verified|integrated/.test(key) ? wordsOnly(status.text) : mark ? `Complete (${status.text.replace(/[\s*_]/g, '')})` : 'Complete';
        reportMarkedComplete(ctx, status.range, hits, marked);
      }
    }
    // The numbers items of no workstream name (`- Phase 1` under `### Completed`, or in a list under no workstream's
    // heading): they name no phase (a number needs its workstream), but may mean a phase of that number, which is then
    // not reported as missing from the plan (a false report is worse than none).
    const unplaced = unplacedNumbers(ctx.path, ctx.model, doc, pt);
    for (const list of pt.lists) {
      const hitsByItem = hitsOfItems(ctx.path, ctx.model, doc, list, index);
      list.items.forEach((it, i) => {
        const hits = hitsByItem[i];
        if (!hits.length) {
          // A free note (`- Reviewed weekly`), a phase named without its workstream, or the template's `[Phase]`: no row.
          // Nor is a phase the plan lists ahead, not started (`- [ ] Phase 3: Release`): the project has no folder for it yet.
          if (!it.reportable || isPlaceholder(it.name)) return;
          if (plannedItem(it)) planned.push({ at: it.nameRange, name: it.name });
          else reportNoSuchPhase(ctx, it.nameRange, it.name, phases);
          return;
        }
        hits.forEach((p) => matched.add(p));
        if (!ctx.gates) return;
        // An item not ticked that says, or whose heading says, the phase is not started.
        if (it.item.checked !== true) {
          if (it.status !== undefined && !DONE_MARK.test(it.status.text) && statusKind(it.status.text) === 'not started') {
            reportMarkedNotStarted(ctx, it.status.range, hits, wordsOnly(it.status.text));
            return;
          }
          if (!it.status && it.inherited && statusKind(it.inherited.text) === 'not started') {
            const under = it.inherited.heading !== undefined ? ` (under "${it.inherited.heading}")` : '';
            reportMarkedNotStarted(ctx, it.nameRange, hits, wordsOnly(it.inherited.text) + under);
            return;
          }
        }
        const own = it.status !== undefined && isCompleteStatus(it.status.text) ? it.status : undefined;
        // A status from a `Status: …` sub-item or the heading counts for an item without its own and without an unchecked box.
        const given = it.inherited && !it.status && it.item.checked !== false && statusKind(it.inherited.text) === 'complete' ? it.inherited : undefined;
        const status = own ?? (it.item.checked === true ? undefined : given);
        if (!status && it.item.checked !== true) return;
        const key = status ? statusKeyOf(status.text) : '';
        // A status word is reported as a row's is (with the heading that gives it); a checked box alone as `Complete ([x])`.
        const marked = !status
          ? `Complete (${(doc.lines[it.item.line] ?? '').slice(it.item.checkboxRange!.start.character, it.item.checkboxRange!.end.character)})`
          : (/verified|integrated/.test(key)
              ? wordsOnly(status.text)
              : DONE_MARK.test(status.text)
                ? `Complete (${status.text.replace(/[\s*_]/g, '')})`
                : 'Complete') + (status === given && given.heading !== undefined ? ` (under "${given.heading}")` : '');
        reportMarkedComplete(ctx, status ? status.range : it.item.checkboxRange!, hits, marked);
      });
    }
    const at = pt.section.heading.textRange;
    // A plan that keeps its phases as checklists only is told of a missing item, not of a missing table row.
    const missing = planPlace(pt, pt.tables.length || !pt.lists.length ? 'row' : 'item');
    const unlisted = phases.filter((p) => !matched.has(p) && (p.number === undefined || !unplaced.has(p.number)));
    if (unlisted.length) for (const g of planned) reportNoSuchPhase(ctx, g.at, g.name, phases);
    for (const p of unlisted) ctx.report('plan-status-mismatch', at, `${phaseName(p, true)} has no ${missing}.`, { fix: 'add-plan-row', phase: p.id });
  },
};
