/** Gate evaluation: each gate of a phase passed, failed or pending, with the reasons; the phase status follows. */
import type { GateSpec, LayoutSpec } from './layout';
import type { PhasegateService } from './service';
import { type Diagnostic, type Range, type Severity, range } from './types';
import type { Phase, PhaseDocument } from './workspace';
import { ListItem, ParsedDocument, Section, itemsWithin, normalizeTitle } from './markdown';
import { Memo } from './memo';
import { dirname, isInside } from './host';
import { resolveTarget } from './handoff';
import type { Repository } from './repo-root';
import { keyBeforeNote, unescapeTarget, withoutPlaceholders } from './rules/doc-util';
import { isSpaceCode } from './text-scan';
import { holdsOnlyTemplate } from './scaffold';
import type { TemplateContext } from './templates';

export type GateStatus = 'passed' | 'failed' | 'pending';
export type PhaseStatus = 'not-started' | 'in-progress' | 'blocked' | 'complete';

export interface GateItem {
  text: string;
  checked: boolean;
  evidence: boolean;
  line: number;
}

export interface GateResult {
  name: string;
  status: GateStatus;
  /** Why the gate is not passed (empty when passed). */
  reasons: string[];
  /** The gate's checklist, when it has one. */
  items: GateItem[];
  /** File and line of the gate's checklist heading, when there is one. */
  file: string | undefined;
  line: number | undefined;
}

/** Something that holds a gate, at its place. */
export interface GateCause {
  /**
   * `diagnostic`: a diagnostic of a rule the gate answers for; `unchecked-item`, `no-evidence`: an item of
   * its checklist; `no-checklist`, `empty-checklist`: the checklist it lacks, or one without checkbox items;
   * `missing-document`: a document not written yet (`file` names it).
   */
  kind: 'diagnostic' | 'unchecked-item' | 'no-evidence' | 'no-checklist' | 'empty-checklist' | 'missing-document';
  /** Absolute path of the file (for a diagnostic of a phase without documents, its folder). */
  file: string;
  range: Range;
  message: string;
  /** The rule id, for a diagnostic. */
  code?: string;
  severity?: Severity;
}

/**
 * A link, an autolink, `Evidence:` followed by something, or a code span. The label may be emphasized, as a label is
 * (`**Evidence**: PR #12`, `**Evidence:** PR #12`, `Evidence: *PR #12*`).
 */
const EVIDENCE_RE = /\]\(|<https?:|evidence(?:\*\*|__|\*|_)?\s*:\s*(?:(?:\*\*|__|\*|_)\s*)?[\p{L}\p{N}[<`]|`[^`]+`/iu;

/**
 * `Evidence:` followed by a word that says it is not there yet (`Evidence: pending`, `Evidence: awaiting sign-off`,
 * `Evidence: to follow`): a box ticked ahead of its evidence, as `Evidence: TBD` is. Blanked, with that word, before
 * EVIDENCE_RE is asked: a link or a code span beside it still counts.
 */
const NOT_YET_EVIDENCE_RE =
  /evidence(?:\*\*|__|\*|_)?\s*:\s*(?:(?:\*\*|__|\*|_)\s*)?(?:pending|awaiting|not yet|to do|todo|to follow|to come|tbc)(?![\p{L}\p{N}])/giu;

/**
 * Whether a text holds what a template placeholder starts with (see scanPlaceholders): `/\[[A-Z]|\{\{|TBD|TODO:/`, by
 * indexOf (performance only: the expression stops at every `[`, `{` and `T` of the text). A text without it holds none.
 */
export function placeholderStart(text: string): boolean {
  for (let i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) {
    const c = text.charCodeAt(i + 1);
    if (c >= 65 && c <= 90) return true;
  }
  return text.includes('{{') || text.includes('TBD') || text.includes('TODO:');
}

function isLineEndCode(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * The inline links of a text, one after the other (`next`), each with where it is (`start` to `end`, its
 * closing parenthesis included) and where its target is (`targetStart` to `targetEnd`, `<…>` kept), as
 * `/\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>\n]*>|[^)\s]+)[^)]*\)/g` finds them; in one pass (the expression went over
 * the text after each `[` again: quadratic on a line of `[`).
 */
class EvidenceLinks {
  start = 0;
  end = 0;
  targetStart = 0;
  targetEnd = 0;
  private readonly len: number;
  private readonly lastClose: number;
  private from = 0;
  // `[noAngleFrom, noAngleTo)` holds no `>` and ends at a line end: a `<…>` target that starts in it has no end.
  private noAngleFrom = 0;
  private noAngleTo = 0;

  constructor(private readonly text: string) {
    this.len = text.length;
    this.lastClose = text.lastIndexOf(')');
  }

  /** Whether there is another link: then `start`, `end`, `targetStart` and `targetEnd` say where. */
  next(): boolean {
    const { text, len, lastClose } = this;
    for (;;) {
      const p = text.indexOf('[', this.from);
      if (p < 0 || p >= lastClose) return false;
      // Its text, backslash escapes included: a later `[` before `r` reads the same text up to `r`, and fares as this one.
      // (Characters compared by code: no one-character string per character, performance only.)
      let r = p + 1;
      let c = text.charCodeAt(r);
      while (r < len && c !== 93 /* ] */) {
        if (c === 92 /* \ */) {
          if (r + 1 >= len || isLineEndCode(text.charCodeAt(r + 1))) break;
          r++;
        }
        c = text.charCodeAt(++r);
      }
      if (r >= len) return false;
      this.from = r + 1;
      if (c !== 93 || text.charCodeAt(r + 1) !== 40 /* ( */) continue;
      let i = r + 2;
      while (i < len && isSpaceCode(text.charCodeAt(i))) i++;
      let target = -1;
      if (text.charCodeAt(i) === 60 /* < */ && !(i >= this.noAngleFrom && i < this.noAngleTo)) {
        let e = i + 1;
        for (c = text.charCodeAt(e); e < len && c !== 62 /* > */ && c !== 10; c = text.charCodeAt(++e));
        if (c === 62 && lastClose > e) target = e + 1;
        else if (c !== 62) {
          this.noAngleFrom = i;
          this.noAngleTo = e;
        }
      }
      if (target < 0) {
        let e = i;
        for (c = text.charCodeAt(e); e < len && c !== 41 /* ) */ && !isSpaceCode(c); c = text.charCodeAt(++e));
        if (e > i) target = e;
      }
      if (target < 0) continue;
      const close = text.indexOf(')', target);
      if (close < 0) return false;
      this.start = p;
      this.end = this.from = close + 1;
      this.targetStart = i;
      this.targetEnd = target;
      return true;
    }
  }
}

/**
 * Each inline link of `text` and its target (`<…>` kept) given to `f`, as
 * `text.replace(/\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>\n]*>|[^)\s]+)[^)]*\)/g, f)` gives them; in one pass (see EvidenceLinks).
 */
export function replaceEvidenceLinks(text: string, f: (link: string, target: string) => string): string {
  const links = new EvidenceLinks(text);
  let out = '';
  let done = 0;
  while (links.next()) {
    out += text.slice(done, links.start) + f(text.slice(links.start, links.end), text.slice(links.targetStart, links.targetEnd));
    done = links.end;
  }
  return done === 0 ? text : out + text.slice(done);
}

/** Whether a link target is a file of the workspace that is not there (a link to no evidence). */
export type MissingTarget = (target: string) => boolean;

/**
 * A checked item cites evidence when it holds a link, a code span naming a path, or `Evidence:` followed by
 * something: on its first line or, given its document, anywhere in its body (a wrapped continuation line, a
 * nested item). Given `missing`, a link to a file that is not there is no evidence.
 */
export function hasEvidence(item: ListItem, doc?: Pick<ParsedDocument, 'lines'>, missing?: MissingTarget): boolean {
  let text = item.text;
  let placeholder = placeholderStart(text);
  // A body of empty lines only (the last item of a list ends with the blank line after it) adds line ends to a text
  // without placeholders, which change none of the tests below (performance only: the text is not built).
  if (doc && item.endLine > item.line && (placeholder || !emptyLines(doc.lines, item.line + 1, item.endLine))) {
    text += '\n' + doc.lines.slice(item.line + 1, item.endLine + 1).join('\n');
    placeholder = placeholderStart(text);
  }
  // The template's placeholder for it (`Evidence: [Evidence]`, `Evidence: TBD`) is no evidence yet.
  if (placeholder) text = withoutPlaceholders(text);
  // A link is evidence to EVIDENCE_RE: a text with one needs no other test (performance only). Nor does a word that
  // says the evidence is still to come (`Evidence: pending`), which is no evidence, remove a link: it is looked for only
  // where EVIDENCE_RE finds evidence without one.
  const linked = text.includes('](');
  if (!linked) return EVIDENCE_RE.test(text) && EVIDENCE_RE.test(withoutNotYet(text));
  if (!missing) return true;
  // While every link leads somewhere the text stays as it is, and holds evidence (performance only: most do).
  const links = new EvidenceLinks(text);
  let leads = true;
  while (leads && links.next()) leads = !missing(withoutAngles(text, links.targetStart, links.targetEnd));
  if (leads) return true;
  return EVIDENCE_RE.test(withoutNotYet(replaceEvidenceLinks(text, (m, target) => (missing(target.replace(/^<|>$/g, '')) ? ' ' : m))));
}

/** `text` with each `Evidence:` that says it is still to come, and that word, blanked (NOT_YET_EVIDENCE_RE). */
function withoutNotYet(text: string): string {
  NOT_YET_EVIDENCE_RE.lastIndex = 0;
  return NOT_YET_EVIDENCE_RE.test(text) ? text.replace(NOT_YET_EVIDENCE_RE, ' ') : text;
}

/** Whether lines `from` to `to` (included) are all there and empty. */
function emptyLines(lines: readonly string[], from: number, to: number): boolean {
  for (let l = from; l <= to; l++) if (lines[l] !== '') return false;
  return true;
}

/** `text.slice(start, end)` without a leading `<` and a trailing `>`, as `.replace(/^<|>$/g, '')` leaves it. */
export function withoutAngles(text: string, start: number, end: number): string {
  if (text.charCodeAt(start) === 60 && start < end) start++;
  if (end > start && text.charCodeAt(end - 1) === 62) end--;
  return text.slice(start, end);
}

/**
 * missingFrom's answers by document, for the model (the workspace's files) and the file they were asked for; and
 * `evidenceOf`'s, which follow from them.
 */
interface MissingMemo {
  model: object;
  file: string;
  known: Map<string, boolean>;
  evidence: Map<ListItem, boolean> | undefined;
}
const missingMemo = new WeakMap<ParsedDocument, MissingMemo>();

/**
 * The answers kept for `file`'s document: they stand while the workspace's files do (a new model is built when
 * they change). The gate-item rule and the gate evaluation ask them of the same document (performance only).
 */
function memoOf(file: string, memo: { doc: ParsedDocument; model: object }): MissingMemo {
  let kept = missingMemo.get(memo.doc);
  if (!kept || kept.model !== memo.model || kept.file !== file) {
    kept = { model: memo.model, file, known: new Map(), evidence: undefined };
    missingMemo.set(memo.doc, kept);
  }
  return kept;
}

/**
 * The MissingTarget of links in `file`: a relative target that leads, from the file's folder, the workspace root and
 * the root of the repository around it (`repo`), to no file or folder (a URL, or a path outside the workspace that
 * the repository cannot tell of, is not judged).
 */
export function missingFrom(
  file: string,
  root: string,
  exists: (path: string) => boolean,
  memo?: { doc: ParsedDocument; model: object },
  repo?: Repository,
): MissingTarget {
  return missingWith(file, root, exists, memo ? memoOf(file, memo).known : new Map(), repo);
}

/**
 * `(item) => hasEvidence(item, memo.doc, missingFrom(file, root, exists, memo))` for the items of `memo.doc`, each
 * answer kept with missingFrom's, from which it follows (performance only: the gate-item rule and the gate
 * evaluation judge the same items).
 */
export function evidenceOf(
  file: string,
  root: string,
  exists: (path: string) => boolean,
  memo: { doc: ParsedDocument; model: object },
  repo?: Repository,
): (item: ListItem) => boolean {
  const kept = memoOf(file, memo);
  const evidence = (kept.evidence ??= new Map());
  let missing: MissingTarget | undefined;
  return (item) => {
    let e = evidence.get(item);
    if (e === undefined) {
      e = hasEvidence(item, memo.doc, (missing ??= missingWith(file, root, exists, kept.known, repo)));
      evidence.set(item, e);
    }
    return e;
  };
}

/** The MissingTarget of links in `file` (see missingFrom), its answers kept in `known`. */
function missingWith(file: string, root: string, exists: (path: string) => boolean, known: Map<string, boolean>, repo: Repository | undefined): MissingTarget {
  // Worked out at the first target not known yet (performance only: most are).
  let folder: string | undefined;
  // Whether nothing is at `p`: in the workspace as the scan knows; outside it, in the repository around it, as that
  // tells (what it cannot tell is not missing); beyond both, `beyond`.
  const gone = (p: string | undefined, beyond: boolean): boolean => {
    if (p === undefined) return true;
    if (isInside(root, p)) return !exists(p);
    return repo && isInside(repo.root, p) ? repo.exists(p) === false : beyond;
  };
  return (target) => {
    let missing = known.get(target);
    if (missing === undefined) {
      folder ??= dirname(file);
      const t = unescapeTarget(target);
      const abs = resolveTarget(folder, t, root);
      // From the document's folder, the workspace root and the repository's root (a rooted target: the last two).
      missing =
        abs !== undefined && gone(abs, false) && gone(resolveTarget(root, t, root), true) && (!repo || gone(resolveTarget(repo.root, t, repo.root), true));
      known.set(target, missing);
    }
    return missing;
  };
}

/** A gate name's title key, and the keys of `Gate N: name`, `Gate: name` and `Name Gate` headings. */
interface GateKeys {
  key: string;
  numbered: string;
  plain: string;
  /** `name gate`: the gate's name followed by the word (`## Quality Gate`, as the phase system design speaks of "quality gates"). */
  suffixed: string;
  /** ` name`: what a title that ends with the gate's name ends with (`peer review`). */
  tail: string;
}

/** Each gate name's keys (performance only: every gate is asked of every section and labelled item). */
const gateKeyCache = new Memo<GateKeys>(1024, (gate) => {
  const key = normalizeTitle(gate);
  return { key, numbered: 'gate # ' + key, plain: 'gate ' + key, suffixed: key + ' gate', tail: ' ' + key };
});

function gateKeys(gate: string): GateKeys {
  return gateKeyCache.get(gate);
}

/**
 * Whether a title key names the gate as itself: `review`, `gate # review`, `gate review`, `review gate` (in the
 * iAI layout only the last three, which say "gate").
 */
function namesGate(layout: LayoutSpec, key: string, gate: GateKeys): boolean {
  if (key === gate.numbered || key === gate.plain || key === gate.suffixed) return true;
  return layout.name !== 'iai' && key === gate.key;
}

/** Where a title may go on from a gate's name to its description: `:`, or a dash between spaces (`—`, `–`, `-`). */
const DESCRIPTION_SEPARATOR = /:(?=\s|$)|\s[—–-](?=\s|$)/g;

/**
 * The keys of what a title holds before each of its description separators: `2. Quality` of `2. Quality:
 * Meets defined quality criteria`, `Gate 3` and `Gate 3: Documentation` of `Gate 3: Documentation — All
 * decisions documented`. Remembered per title (performance only: every gate asks of every section).
 */
const leadKeyCache = new Memo<string[]>(4096, (title) => {
  const keys: string[] = [];
  for (const m of title.matchAll(DESCRIPTION_SEPARATOR)) if (m.index > 0) keys.push(normalizeTitle(title.slice(0, m.index)));
  return keys;
});

function leadKeys(title: string): string[] {
  return leadKeyCache.get(title);
}

/**
 * How a heading names a gate: 3 as the gate itself (`## Review`, `## 5. Review`, `## Gate 5: Review`,
 * `## Gate: Review`, `## Review Gate`), 2 as the gate followed by a description (`## 5. Review: Peer review completed`,
 * `## Gate 5: Review — Peer review completed`, `## Review: Comments Addressed`) or by a note in parentheses
 * (`## Gate 5: Review (passed)`), 1 by its last words only
 * (`## Peer Review`), 0 not at all. In the iAI
 * layout only a heading that names the gate as one (`## Gate 2: Tests`, `## Gate: Tests`) counts: the iAI
 * seed gives its phases no checklist, and the sections the iAI gates' rules read are not one — the
 * response's `## Tests` lists the tests written (its items are tests, whether or not they carry a box) and
 * its `## Execution Proof` holds the test run.
 */
export function gateMatch(layout: LayoutSpec, section: Pick<Section, 'key' | 'title'>, gate: string): 0 | 1 | 2 | 3 {
  const keys = gateKeys(gate);
  // Every way of naming the gate holds its key: a title without it names no gate (performance only).
  if (!section.key.includes(keys.key)) return 0;
  if (namesGate(layout, section.key, keys)) return 3;
  if (leadKeys(section.title).some((k) => namesGate(layout, k, keys))) return 2;
  // The gate followed by a note in parentheses (`## Gate 1: Completeness (passed)`, `## Quality (2 items)`), as a
  // document's sections may be (see specSection).
  const noted = section.title.endsWith(')') ? keyBeforeNote(section.title) : undefined;
  if (noted !== undefined && namesGate(layout, noted, keys)) return 2;
  if (layout.name === 'iai') return 0;
  return section.key.endsWith(keys.tail) ? 1 : 0;
}

/** Whether a document of `layout` has a section that may be the checklist of `gate` (see `gateChecklist`). */
export function gateChecklistSection(layout: LayoutSpec, sections: Section[], gate: string): Section | undefined {
  return sections.find((s) => gateMatch(layout, s, gate) > 0);
}

/**
 * A section headed as a gate: one that names a gate of the layout; not a document's title, nor a heading
 * that names no gate (`## Gate Checklist`, `## Gate Status`, `## Validation Gates`), which may hold the list form.
 */
function isGateHeading(layout: LayoutSpec, s: Section): boolean {
  return s.level > 1 && layout.gates.some((g) => gateMatch(layout, s, g.name) > 0);
}

/**
 * Whether an item is labelled with a gate: by a leading bold label (`**Completeness**: …`), or, a checkbox item,
 * by its leading words before a colon or a dash (`- [x] Completeness: All deliverables produced`, `- [ ] Gate 5:
 * Review — …`), or by its whole text (`- [x] Completeness`).
 */
function labelledWith(layout: LayoutSpec, item: ListItem, key: GateKeys): boolean {
  const bold = item.text.indexOf('**');
  if (bold >= 0 && bold <= 8) {
    const m = LEADING_LABEL.exec(item.text);
    if (m) return namesGate(layout, normalizeTitle(m[1]), key);
  }
  if (item.checked === undefined) return false;
  // Without the gate's name in its words the item has no such label (performance only).
  const text = item.text.replace(/^[^\p{L}\p{N}*_]{1,4}\s*/u, '');
  const whole = normalizeTitle(text);
  if (!whole.includes(key.key)) return false;
  return namesGate(layout, whole, key) || leadKeys(text).some((k) => namesGate(layout, k, key));
}

/** A leading bold label (`**Completeness**`, `**Completeness:**`), after a marker such as `✅` if any. */
const LEADING_LABEL = /^(?:[^\p{L}\p{N}\s*_[\]`]{1,4}\s*)?\*\*([^*\n]+)\*\*/u;

/**
 * The list form of gate checklists (`- [x] **Completeness**: All deliverables produced — Evidence: …`): the
 * items of `doc` whose leading bold label names `gate` as itself (`**Completeness**`, `**Completeness:**`,
 * `**Gate 1: Completeness**`), outside any section headed as a gate, with or without a box. None in the
 * iAI layout, whose gates have no checklist unless a heading names one.
 */
export function gateListItems(layout: LayoutSpec, doc: ParsedDocument, gate: string): ListItem[] {
  if (layout.name === 'iai') return [];
  const key = gateKeys(gate);
  let out: ListItem[] | undefined;
  let headed: Section[] | undefined;
  for (const item of doc.items) {
    if (!labelledWith(layout, item, key)) continue;
    headed ??= doc.sections.filter((s) => isGateHeading(layout, s));
    if (headed.some((s) => item.line > s.heading.line && item.line < s.end)) continue;
    (out ??= []).push(item);
  }
  return out ?? [];
}

/** A table column of gates: `Gate`, `Gates`, `Validation Gate`, `Gate Name`. */
const GATE_COLUMN = /^(?:validation )?gates?(?: name)?$/;

/**
 * A row of a gates table that names `gate` in its Gate column (`| 1 | Completeness | ✅ Passed | … |`), outside
 * any section headed as a gate: the gate written as a table, with no box to check. None in the iAI layout.
 */
export function gateTableRow(layout: LayoutSpec, doc: ParsedDocument, gate: string): { line: number; range: Range } | undefined {
  if (layout.name === 'iai' || !doc.tables.length) return undefined;
  const key = gateKeys(gate);
  let headed: Section[] | undefined;
  for (const t of doc.tables) {
    const col = t.header.findIndex((h) => GATE_COLUMN.test(normalizeTitle(h.text)));
    if (col < 0) continue;
    for (const row of t.rows) {
      const cell = row.cells[col];
      if (!cell || !namesGate(layout, normalizeTitle(cell.text), key)) continue;
      headed ??= doc.sections.filter((s) => isGateHeading(layout, s));
      if (headed.some((s) => row.line > s.heading.line && row.line < s.end)) continue;
      const text = doc.lines[row.line] ?? '';
      const start = text.length - text.trimStart().length;
      return { line: row.line, range: range(row.line, start, row.line, text.trimEnd().length) };
    }
  }
  return undefined;
}

/**
 * Where a gate's checklist is in a phase, among the sections of the documents that may hold one (the audit
 * layout's validation checklist; any document of another layout), in this order: one that names the gate as
 * itself (`## Review`), with checkbox items, then without; one that names it followed by a description
 * (`## Review: Comments Addressed`) or only ends with its name (`## Peer Review`), with checkbox items
 * (the description heading first), then without; then the first, in the layout's order of documents. The gate evaluation and the
 * checklist rules (rules/doc-gates.ts) both read it, so that every item that holds a gate is the one a
 * diagnostic names.
 */
export function gateChecklist(
  phase: Phase,
  gate: GateSpec,
  getDocument: (path: string) => ParsedDocument | undefined,
): { path: string; doc: ParsedDocument; section: Section } | undefined {
  const audit = phase.layout.name === 'audit';
  let best: { path: string; doc: ParsedDocument; section: Section } | undefined;
  let bestScore = 0;
  for (const d of phase.documents) {
    if (!d.exists || (audit && d.spec.kind !== 'validation')) continue;
    const doc = getDocument(d.path);
    if (!doc) continue;
    for (const section of doc.sections) {
      const match = gateMatch(phase.layout, section, gate.name);
      if (match === 0) continue;
      // A document's title (`# Sprint 1 Review`) holds every section below it: a section of its own wins a tie.
      // exact 12, description 6, tail 4; checkbox items 4 more: a section with boxes beats a description or tail heading without.
      const named = match === 3 ? 12 : match === 2 ? 6 : 4;
      const score = named + (hasBoxWithin(doc, section) ? 4 : 0) + (section.level > 1 ? 1 : 0);
      if (score > bestScore) {
        best = { path: d.path, doc, section };
        bestScore = score;
      }
    }
  }
  return best;
}

/** Whether a section or its subsections hold a checkbox item: `itemsWithin(doc, section).some((i) => i.checked !== undefined)`, without the array. */
export function hasBoxWithin(doc: ParsedDocument, section: Section): boolean {
  const from = section.heading.line;
  const to = section.end;
  for (const it of doc.items) if (it.line > from && it.line < to && it.checked !== undefined) return true;
  return false;
}

/**
 * A gate's checklist: the section headed as the gate (`section`), else the items labelled with its name
 * (`section` undefined; see `gateListItems`). `line` is where it starts (its heading, its first labelled
 * item); `items` are all its list items, with a box or not (`checklistOf` keeps the task items).
 */
export interface GateChecklist {
  path: string;
  doc: ParsedDocument;
  section: Section | undefined;
  line: number;
  items: ListItem[];
  /** The gate written as a row of a gates table (`gateTableRow`): no checklist items, no box to check. */
  row?: Range;
}

/**
 * Where a gate's checklist is in a phase (see `gateChecklist`): its section, which wins, else its list form
 * (`gateListItems`) in the first document, in the layout's order, that has one, else a row of a gates table
 * (`gateTableRow`: `row` set, no items), else a heading that only ends with its name.
 */
export function findGateChecklist(phase: Phase, gate: GateSpec, getDocument: (path: string) => ParsedDocument | undefined): GateChecklist | undefined {
  const found = gateChecklist(phase, gate, getDocument);
  // Written out, not spread (performance only: a spread object literal is copied by a slow generic path).
  const headed = found && {
    path: found.path,
    doc: found.doc,
    section: found.section,
    line: found.section.heading.line,
    items: itemsWithin(found.doc, found.section),
  };
  // A heading that only ends with the gate's name (`## Peer Review`; `### Phase 1-2 (Foundation & Testing)`
  // too) yields to items labelled with the gate: only one that names the gate wins over them.
  if (headed && (phase.layout.name === 'iai' || !tailOnly(phase.layout, headed.section, gate.name))) return headed;
  if (phase.layout.name === 'iai') return undefined;
  const audit = phase.layout.name === 'audit';
  for (const d of phase.documents) {
    if (!d.exists || (audit && d.spec.kind !== 'validation')) continue;
    const doc = getDocument(d.path);
    if (!doc) continue;
    const labelled = gateListItems(phase.layout, doc, gate.name);
    if (!labelled.length) continue;
    // An item's own nested items are part of it: its nested boxes are the gate's too.
    const items = doc.items.filter((it) => labelled.some((l) => it.line >= l.line && it.line <= l.endLine));
    return { path: d.path, doc, section: undefined, line: labelled[0].line, items };
  }
  // Else a row of a gates table (`| Completeness | ✅ Passed | … |`), which, as labelled items do, wins over a heading that
  // only ends with the gate's name: the gate is written, but has no box to check.
  for (const d of phase.documents) {
    if (!d.exists || (audit && d.spec.kind !== 'validation')) continue;
    const doc = getDocument(d.path);
    const row = doc && gateTableRow(phase.layout, doc, gate.name);
    if (row) return { path: d.path, doc, section: undefined, line: row.line, items: [], row: row.range };
  }
  return headed;
}

/** Whether a section names `gate` by its last words only (`## Peer Review` for Review), not as the gate itself. */
export function tailOnly(layout: LayoutSpec, section: Pick<Section, 'key' | 'title'>, gate: string): boolean {
  return gateMatch(layout, section, gate) === 1;
}

const NO_CHECKBOX = 'checklist has no checkbox items';
/** A gate written as a row of a gates table: it has no box to check. */
const IN_TABLE = 'written as a table row, without checkbox items';

/**
 * Where a gate's checklist without checkbox items says so (the `gate-item-unchecked` warning, the gate's
 * cause): at its table row, else its first list item (`- ✅ Stakeholder sign-off` has no box), else at its heading.
 */
export function withoutBoxesAt(checklist: GateChecklist): Range {
  if (checklist.row) return checklist.row;
  const first = checklist.items[0];
  if (first) return first.textRange;
  const h = checklist.section?.heading;
  return h ? h.textRange : range(checklist.line, 0, checklist.line, 0);
}

/** The checklist items of a gate's checklist: its task list items (`- [ ]`, `- [x]`), in order. */
export function checklistOf(checklist: GateChecklist): ListItem[] {
  return checklist.items.filter((it) => it.checked !== undefined);
}

/** `N × rule-id` for each rule of `diags`, in order of first appearance. */
function countByCode(diags: readonly { code: string }[]): string[] {
  if (!diags.length) return [];
  const byCode = new Map<string, number>();
  for (const d of diags) byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
  return [...byCode].map(([code, n]) => `${n} × ${code}`);
}

/** What every gate of a phase is evaluated against: its diagnostics that count, and an iAI phase's response. */
interface GateInputs {
  diags: Diagnostic[];
  primary: PhaseDocument | undefined;
}

function gateInputs(svc: PhasegateService, phase: Phase): GateInputs {
  return {
    // Errors of a gate's rules fail it; their warnings keep it pending (the phase is not done yet, nothing
    // is broken); information and hints, severities a team chose for what it does not hold phases to, do not count.
    diags: svc.phaseDiagnostics(phase).filter((d) => d.severity === 'error' || d.severity === 'warning'),
    primary: phase.layout.name === 'iai' ? phase.documents.find((d) => d.spec.kind === 'response') : undefined,
  };
}

/**
 * The severity a gate counts a problem at: its own, for a problem of a rule the gate answers for; else, for one that
 * tells problems of such rules in their place (`Diagnostic.tells`), the most severe of those, as the gate would have
 * counted them (an error, a warning); undefined for a problem the gate does not count.
 */
function answersFor(gate: GateSpec, d: Diagnostic): Severity | undefined {
  if (gate.failOn.includes(d.code)) return d.severity;
  if (!d.tells) return undefined;
  let out: Severity | undefined;
  for (const t of d.tells) {
    if (!gate.failOn.includes(t.code)) continue;
    if (t.severity === 'error') return 'error';
    if (t.severity === 'warning') out = 'warning';
  }
  return out;
}

function diagnosticCause(d: Diagnostic): GateCause {
  return { kind: 'diagnostic', file: d.file, range: d.range, message: d.message, code: d.code, severity: d.severity };
}

/** An item that holds a gate, where its diagnostic is (`gate-item-unchecked`, `gate-item-no-evidence`). */
function itemCause(file: string, item: ListItem, kind: 'unchecked-item' | 'no-evidence'): GateCause {
  if (kind === 'unchecked-item') return { kind, file, range: item.checkboxRange ?? item.range, message: `Unchecked: ${item.text}` };
  return { kind, file, range: item.textRange, message: `Checked without evidence: ${item.text}` };
}

/**
 * One gate of a phase: its status and reasons, and, when `causes` is given, what each reason stands for
 * at its place, in the same order.
 */
function evaluateGate(
  svc: PhasegateService,
  phase: Phase,
  inputs: GateInputs,
  gate: GateSpec,
  causes?: GateCause[],
  getDocument: (path: string) => ParsedDocument | undefined = (p) => svc.getDocument(p),
): GateResult {
  const { diags, primary } = inputs;
  const res: GateResult = { name: gate.name, status: 'passed', reasons: [], items: [], file: undefined, line: undefined };
  const checklist = findGateChecklist(phase, gate, getDocument);
  const listed = checklist ? checklistOf(checklist) : [];
  if (checklist) {
    res.file = checklist.path;
    res.line = checklist.line;
    const evidence = evidenceOf(checklist.path, svc.model.root, (p) => svc.exists(p), { doc: checklist.doc, model: svc.model }, svc.repository);
    res.items = listed.map((it) => ({ text: it.text, checked: !!it.checked, evidence: evidence(it), line: it.line }));
  }
  const counted = diags.length ? diags.filter((d) => answersFor(gate, d) !== undefined) : diags;
  const failing = counted.filter((d) => answersFor(gate, d) === 'error');
  if (failing.length) {
    res.status = 'failed';
    res.reasons.push(...countByCode(failing));
    causes?.push(...failing.map(diagnosticCause));
    return res;
  }
  res.reasons.push(...countByCode(counted));
  causes?.push(...counted.map(diagnosticCause));
  const at = range(0, 0, 0, 0);
  if (phase.layout.name === 'audit') {
    const validation = phase.documents.find((d) => d.spec.kind === 'validation');
    let held: GateCause | undefined;
    if (!validation?.exists) {
      res.reasons.push('no validation checklist');
      held = { kind: 'missing-document', file: validation?.path ?? phase.folder, range: at, message: 'no validation checklist' };
    } else if (res.file === undefined) {
      // One too large for the Markdown model may have the checklist: it is not read.
      const unread = svc.getDocument(validation.path)?.modelled === false;
      const reason = unread ? `${validation.spec.file} is too large to read its checklists` : `no "${gate.name}" checklist in ${validation.spec.file}`;
      res.reasons.push(reason);
      held = { kind: 'no-checklist', file: validation.path, range: at, message: reason };
    } else if (checklist && res.items.length === 0) {
      const reason = checklist.row ? IN_TABLE : NO_CHECKBOX;
      res.reasons.push(reason);
      held = { kind: 'empty-checklist', file: checklist.path, range: withoutBoxesAt(checklist), message: reason };
    }
    if (held) causes?.push(held);
  } else if (primary && !primary.exists) {
    const reason = `${primary.spec.file} not written yet`;
    res.reasons.push(reason);
    causes?.push({ kind: 'missing-document', file: primary.path, range: at, message: reason });
  } else if (!primary && res.file === undefined) {
    // A custom layout's gate without a checklist is judged by its rules alone, once the documents the
    // layout requires are written: before, there is nothing to judge (it passed on a phase of no document).
    const unwritten = phase.documents.filter((d) => d.spec.required && !d.exists);
    if (unwritten.length) {
      const reason = `${unwritten.map((d) => d.spec.file).join(', ')} not written yet`;
      res.reasons.push(reason);
      causes?.push({ kind: 'missing-document', file: unwritten[0].path, range: at, message: reason });
    }
  } else if (checklist && res.items.length === 0) {
    // A checklist without checkbox items (an iAI prompt's, a custom layout's) keeps its gate pending, as an audit one does.
    const reason = checklist.row ? IN_TABLE : NO_CHECKBOX;
    res.reasons.push(reason);
    causes?.push({ kind: 'empty-checklist', file: checklist.path, range: withoutBoxesAt(checklist), message: reason });
  }
  let unchecked = 0;
  let noEvidence = 0;
  for (const i of res.items) {
    if (!i.checked) unchecked++;
    else if (!i.evidence) noEvidence++;
  }
  if (unchecked) res.reasons.push(`${unchecked} item${unchecked > 1 ? 's' : ''} unchecked`);
  if (noEvidence) res.reasons.push(`${noEvidence} item${noEvidence > 1 ? 's' : ''} without evidence`);
  if (causes && res.file !== undefined) {
    const file = res.file;
    causes.push(...listed.filter((i) => !i.checked).map((i) => itemCause(file, i, 'unchecked-item')));
    causes.push(...listed.filter((i, k) => i.checked && !res.items[k].evidence).map((i) => itemCause(file, i, 'no-evidence')));
  }
  if (res.reasons.length) res.status = 'pending';
  return res;
}

export function evaluateGates(svc: PhasegateService, phase: Phase): GateResult[] {
  const inputs = gateInputs(svc, phase);
  // Each document of the phase looked up once, not once for each gate (performance only); for this phase alone.
  const docs = new Map<string, ParsedDocument | undefined>();
  const get = (p: string): ParsedDocument | undefined => {
    let doc = docs.get(p);
    if (doc === undefined && !docs.has(p)) docs.set(p, (doc = svc.getDocument(p)));
    return doc;
  };
  return phase.layout.gates.map((gate) => evaluateGate(svc, phase, inputs, gate, undefined, get));
}

/**
 * What holds gate `name` of the phase, each at its place, in the order of the gate's reasons: the
 * diagnostics that fail it (or, while none does, those that keep it pending), the checklist or document it
 * lacks, its checklist's unchecked items and those checked without evidence. Empty when the gate passed or
 * the phase's layout has no such gate. Computed on demand: the gate results themselves do not keep it.
 */
export function gateCauses(svc: PhasegateService, phase: Phase, name: string): GateCause[] {
  const gate = phase.layout.gates.find((g) => g.name === name);
  if (!gate) return [];
  const causes: GateCause[] = [];
  evaluateGate(svc, phase, gateInputs(svc, phase), gate, causes);
  return causes;
}

/**
 * Most causes of one reason of a gate that `listedCauses` keeps: a gate held by 20,000 broken links or
 * unchecked items lists the first of each (the editor's pick of what holds it, the `phasegate/gates`
 * answer), and counts the rest.
 */
export const CAUSES_PER_REASON = 50;

/** What a cause is counted under in the gate's reasons: its rule (`N × rule-id`), else its kind (`N items unchecked`). */
function reasonOf(c: GateCause): string {
  return c.kind === 'diagnostic' ? `diagnostic ${c.code ?? ''}` : c.kind;
}

/**
 * The first `perReason` causes of each reason of a gate (`gateCauses`), in their order: a flood of one
 * reason's (a document of 20,000 broken links) does not hide another's (the checklist the gate lacks).
 */
export function listedCauses(causes: readonly GateCause[], perReason = CAUSES_PER_REASON): GateCause[] {
  if (causes.length <= perReason) return causes.slice();
  const seen = new Map<string, number>();
  return causes.filter((c) => {
    const key = reasonOf(c);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return n < perReason;
  });
}

/** The rules a layout's gates answer for: their `failOn`, and the checklist rules every gate reads itself. */
const answeredRules = new WeakMap<LayoutSpec, Set<string>>();
function answeredBy(layout: LayoutSpec): Set<string> {
  let set = answeredRules.get(layout);
  if (!set) {
    set = new Set(['gate-item-unchecked', 'gate-item-no-evidence', ...layout.gates.flatMap((g) => g.failOn)]);
    answeredRules.set(layout, set);
  }
  return set;
}

/**
 * What holds a phase besides its gates: its error-severity problems of rules no gate of its layout answers for,
 * as `N × rule-id` — a duplicate phase number, a rule the workspace made an error (`section-order: error`); for a
 * layout without gates, every error (as if one gate answered for every rule). A phase with one is blocked, as
 * `check` fails on it.
 */
export function ungatedErrors(svc: PhasegateService, phase: Phase): string[] {
  const answered = answeredBy(phase.layout);
  return countByCode(svc.phaseDiagnostics(phase).filter((d) => d.severity === 'error' && !answered.has(d.code)));
}

const UNFILLED_PLACEHOLDER = 'unfilled-placeholder';

/**
 * What keeps a phase from complete besides its gates and its errors: the templates' placeholders its documents still
 * hold, as `N × unfilled-placeholder` (its warnings), when no gate of its layout answers for that rule (a custom
 * layout's may not): a phase `new` just made, its documents the templates' text, is not complete. Empty for the
 * built-in layouts, whose gates answer for it, and where the rule is an error (`ungatedErrors` holds the phase then),
 * information, a hint or off.
 */
export function unfilledTemplates(svc: PhasegateService, phase: Phase): string[] {
  if (answeredBy(phase.layout).has(UNFILLED_PLACEHOLDER)) return [];
  return countByCode(svc.phaseDiagnostics(phase).filter((d) => d.code === UNFILLED_PLACEHOLDER && d.severity === 'warning'));
}

/** Whether a document of the layout counts towards a phase being started: any but its brief or prompt. */
function startsPhase(d: PhaseDocument): boolean {
  return d.exists && d.spec.kind !== 'brief' && d.spec.kind !== 'prompt';
}

/**
 * writtenIn's answers by workspace model and document path, for the text they were asked of (performance only: the
 * tree and the status ask again); `written` undefined while only the cheap test was asked, and said nothing.
 */
const writtenMemo = new WeakMap<object, Map<string, { text: string; written: boolean | undefined; context?: (string | undefined)[] }>>();

/**
 * The texts a document's template is rendered from, besides the template: the phase's brief or prompt (its title and
 * deliverables) and the previous phase's output handoff (an input handoff's inputs). A verdict of holdsOnlyTemplate
 * stands while they do.
 */
function templateInputs(svc: PhasegateService, phase: Phase): (string | undefined)[] {
  const texts = phase.documents.filter((d) => d.spec.kind === 'brief' || d.spec.kind === 'prompt').map((d) => svc.getText(d.path));
  const prev = phase.prev?.documents.find((d) => d.spec.kind === 'output-handoff');
  if (prev) texts.push(svc.getText(prev.path));
  return texts;
}

function sameTexts(a: readonly (string | undefined)[], b: readonly (string | undefined)[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/** Longer than any document `new` writes from a template: written in (not compared line by line). */
const MAX_TEMPLATE_TEXT = 1_000_000;

/**
 * Whether someone has written in document `d` of the phase: it holds more than what `new` writes from its template
 * (see holdsOnlyTemplate). One without any placeholder has been, but for an input handoff, which `new` may fill
 * from the previous phase's output handoff (`cheap`: only this is asked, and false stands for "not known yet"). Its
 * text is read as it is, not parsed (parsing every phase's documents again would cost a large workspace's check).
 */
function writtenIn(
  svc: PhasegateService,
  phase: Phase,
  d: PhaseDocument,
  cheap: boolean,
  placeholders: () => Set<string> | undefined,
  contexts: Map<string, TemplateContext>,
): boolean {
  const text = svc.getText(d.path);
  if (text === undefined || text.length > MAX_TEMPLATE_TEXT) return true;
  let byPath = writtenMemo.get(svc.model);
  if (!byPath) writtenMemo.set(svc.model, (byPath = new Map()));
  let kept = byPath.get(d.path);
  if (!kept || kept.text !== text) {
    // No placeholder: the files unfilled-placeholder reports, known from the gates (performance only), else the text's.
    const marked = d.spec.kind === 'input-handoff' ? undefined : placeholders();
    const none = d.spec.kind !== 'input-handoff' && (marked ? !marked.has(d.path) : !placeholderStart(text));
    kept = { text, written: none ? true : undefined };
    byPath.set(d.path, kept);
  }
  if (kept.written !== true && !cheap) {
    // Compared with the template as rendered from the phase's brief and the previous handoff as they are now.
    const context = templateInputs(svc, phase);
    if (kept.written === undefined || !kept.context || !sameTexts(kept.context, context)) {
      kept.written = !holdsOnlyTemplate(svc, phase, d, text.split(/\r\n|\r|\n/), contexts, text);
      kept.context = context;
    }
  }
  return kept.written === true;
}

export function phaseStatus(svc: PhasegateService, phase: Phase, gates = evaluateGates(svc, phase)): PhaseStatus {
  // Started: a document written in beyond the brief or prompt, a layout's or not (a finding in 03-FINDINGS/). A document
  // that holds only what `new` wrote from its template does not start it: a phase `new phase` just made is not started.
  // Those with no placeholder first (no template rendered: most phases have one), then the others.
  const layoutDocs = new Set(phase.documents.map((d) => d.path));
  // The files of the phase that unfilled-placeholder reports, while it runs (a template's text holds placeholders it reports).
  let marked: Set<string> | undefined | null = null;
  const placeholders = (): Set<string> | undefined => {
    if (marked === null)
      marked =
        svc.ruleSetting(UNFILLED_PLACEHOLDER) === 'off'
          ? undefined
          : new Set(svc.phaseDiagnostics(phase).flatMap((x) => (x.code === UNFILLED_PLACEHOLDER ? [x.file] : [])));
    return marked;
  };
  // The phase's template context, shared by its documents' comparisons (performance only).
  const contexts = new Map<string, TemplateContext>();
  const started =
    phase.markdown.some((p) => !layoutDocs.has(p)) ||
    phase.documents.some((d) => startsPhase(d) && writtenIn(svc, phase, d, true, placeholders, contexts)) ||
    phase.documents.some((d) => startsPhase(d) && writtenIn(svc, phase, d, false, placeholders, contexts));
  // Errors no gate answers for hold a phase too (a layout without gates holds its phases by their errors alone).
  const failed = gates.some((g) => g.status === 'failed') || ungatedErrors(svc, phase).length > 0;
  // Not started while only the brief or prompt is written, whatever the gates say: also in a custom layout
  // whose only required documents are these, whose phase would otherwise be complete with its brief alone.
  if (!started) return 'not-started';
  if (failed) return 'blocked';
  // Complete: every gate passed (none failed, for a layout without gates), every document the layout requires is
  // there and none holds a template's placeholder (a custom layout's gates may not answer for either).
  if (gates.every((g) => g.status === 'passed') && phase.documents.every((d) => d.exists || !d.spec.required) && unfilledTemplates(svc, phase).length === 0)
    return 'complete';
  return 'in-progress';
}
