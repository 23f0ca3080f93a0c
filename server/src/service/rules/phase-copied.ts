/**
 * copied-document: a document of phase N that is the previous phase's document of the same kind but for its
 * numbers, or the one before that's (the phases numbered next below N, whatever their numbers: phase 1 for phase 3
 * without a phase 2), and claims progress (a front matter `status` other than `draft`, or a ticked checklist item). A
 * phase folder copied to start the next phase (`cp -r phase-2 phase-3`) keeps phase 2's status, ticks and evidence,
 * and would show phase 3 complete though nobody wrote anything for it: told once per document, and its Completeness
 * gate (both built-in layouts) answers for it. A folder copied the other way (`cp -r phase-1 phase-0`: phase 0's
 * documents name phase 1, as phase 1's do) has the earlier phase's documents told instead.
 *
 * "But for its numbers": the two texts compared line by line, blank lines (and blanks at line ends) and `status:` lines
 * left out (a copy whose status alone was set to draft still claims the ticks and evidence it kept), line
 * ends of any kind, and a phase token in each read as one and the same: a run of digits whose value is a number of
 * the phases involved (P-1 to P+1 of the earlier phase, numbered P: its own, the one before it, which its input
 * handoff names, and the next; N-2 to N+1 of phase N), the same in both or the earlier one's renumbered for phase N
 * (N-P more), and written without a leading zero (the `01` of a date is no phase number); or the id or folder name of
 * one of those phases (`phase: 2` in the copy written `phase: phase-3`). Every other character is compared as it is
 * (a date, a metric, another number): a document written for this phase differs somewhere, and the comparison stops
 * at its first difference.
 */
import type { ListItem, ParsedDocument } from '../markdown';
import type { Phase, WorkspaceModel } from '../workspace';
import { phaseAfter, phaseBefore } from '../workspace';
import type { DocumentKindSpec } from '../layout';
import { kindHeading, titleNumbersWrong } from '../layout';
import { otherPhaseValue } from './structure';
import { basename, relativePath } from '../host';
import { pathRange } from '../yamlpath';
import { range } from '../types';
import type { Range } from '../types';
import type { Rule, RuleContext } from './rule';

export const COPIED_DOCUMENT = 'copied-document';

/** The status the templates start a document with: any other claims progress. */
const STARTING_STATUS = 'draft';

/**
 * Whether a status claims no progress: blank, or `draft` in any case, blanks around it (no string made: performance
 * only, as every document of a workspace is asked).
 */
function startingStatus(s: string): boolean {
  let i = 0;
  let e = s.length;
  while (i < e && s.charCodeAt(i) <= 32) i++;
  while (e > i && s.charCodeAt(e - 1) <= 32) e--;
  if (i === e) return true;
  if (e - i !== STARTING_STATUS.length) return false;
  for (let k = 0; k < STARTING_STATUS.length; k++) if ((s.charCodeAt(i + k) | 32) !== STARTING_STATUS.charCodeAt(k)) return false;
  return true;
}

/** The front matter `status` when it claims progress (a string other than `draft`, in any case), else undefined. */
export function progressStatus(doc: ParsedDocument): string | undefined {
  const data = doc.frontMatter?.data;
  if (!data || typeof data !== 'object') return undefined;
  const status = (data as Record<string, unknown>).status;
  return typeof status === 'string' && !startingStatus(status) ? status : undefined;
}

/** The first ticked item of a document (`- [x]`), if any. */
function firstTicked(doc: ParsedDocument): ListItem | undefined {
  for (const it of doc.items) if (it.checked === true) return it;
  return undefined;
}

/** The range of the front matter `status` value, when it is on one line. */
export function statusRange(doc: ParsedDocument): Range | undefined {
  const fm = doc.frontMatter;
  const yaml = fm?.terminated && !fm.errors.length ? fm.yaml : undefined;
  const r = yaml && pathRange(yaml, doc.lines, 1, fm!.raw, '/status');
  return r && r.start.line === r.end.line && r.start.character < r.end.character ? r : undefined;
}

/** The document of phase `q` of the same kind as `ctx`'s (the same kind and file), with its text, when it exists. */
function sameKindDocument(q: Phase, ctx: RuleContext): { path: string; text: string } | undefined {
  const spec = ctx.spec!;
  for (const d of q.documents)
    if (d.exists && d.spec.kind === spec.kind && d.spec.file === spec.file) {
      const text = ctx.getText(d.path);
      return text === undefined ? undefined : { path: d.path, text };
    }
  return undefined;
}

/** Start and end (exclusive, blanks at its end left out) of the line `nextLine` found last. */
let lineStart = 0;
let lineEnd = 0;

/**
 * The next line of `text` from `pos` that holds more than blanks (spaces, tabs), and is no `status:` line (a front
 * matter's, whatever it says): returns where the line after it
 * starts, and sets `lineStart` and `lineEnd` (its end without the blanks at it, nor a CR of a CRLF); -1 when none is
 * left. Lines end with `\n` (a file whose lines end with a CR alone is one line, compared as such).
 */
function nextLine(text: string, pos: number): number {
  const n = text.length;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    const next = end < 0 ? n : end + 1;
    if (end < 0) end = n;
    let e = end;
    while (e > pos) {
      const c = text.charCodeAt(e - 1);
      if (c !== 32 && c !== 9 && c !== 13) break;
      e--;
    }
    // A `status:` line is no text of the phase's own: a copy whose status alone was set (to draft) keeps the
    // previous phase's ticks and evidence.
    if (e > pos && !text.startsWith('status:', pos)) {
      lineStart = pos;
      lineEnd = e;
      return next;
    }
    pos = next;
  }
  return -1;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Whether the digits of `a` from `i` to `ie` and those of `b` from `j` to `je` (this document's and the previous
 * phase's) are the same phase number: both numbers of the phases involved, this one's the other's or the one after it
 * (renumbered), neither written with a leading zero (`01` of a date is as written).
 */
function samePhaseNumber(a: string, i: number, ie: number, b: string, j: number, je: number, t: PhaseTokens): boolean {
  if ((ie - i > 1 && a.charCodeAt(i) === 48) || (je - j > 1 && b.charCodeAt(j) === 48)) return false;
  const va = digitsValue(a, i, ie);
  const vb = digitsValue(b, j, je);
  // The same digits were compared as such: a number of the earlier phase's (p-1 to p+1) renumbered for this one.
  return vb >= t.prevLo && vb <= t.prevHi && va === vb + t.shift;
}

/** Whether the `n` characters of `a` from `i` are those of `b` from `j`. */
function sameChars(a: string, i: number, b: string, j: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (a.charCodeAt(i + k) !== b.charCodeAt(j + k)) return false;
  return true;
}

/** The value of the digits of `s` from `i` to `j`, or -1 for more than 9 of them (no phase number). */
function digitsValue(s: string, i: number, j: number): number {
  if (j - i > 9) return -1;
  let v = 0;
  for (let k = i; k < j; k++) v = v * 10 + (s.charCodeAt(k) - 48);
  return v;
}

/** What the texts are compared with: the values of the phase numbers, and the phases' names. */
export interface PhaseTokens {
  /** This phase's numbers (N-2 to N+1). */
  lo: number;
  hi: number;
  /** The earlier phase's (p-1 to p+1; N-2 to N for the phase numbered N-1). */
  prevLo: number;
  prevHi: number;
  /** N - p: how much a copy renumbered for this phase adds to the earlier one's numbers. */
  shift: number;
  names: readonly string[];
  /** The length of the longest name. */
  longest: number;
  /** The first characters (their codes) of the names. */
  firsts: readonly number[];
}

/**
 * Where the phase token of `s` starting at `i` (before `end`) ends: a phase name of `t`, or a run of digits of a
 * value from `t.lo` to `t.hi`, without a leading zero, when `digits` (`i` starts a run); -1 when none starts there.
 */
function tokenEnd(s: string, i: number, end: number, t: PhaseTokens, digits: boolean): number {
  if (i >= end) return -1;
  const c = s.charCodeAt(i);
  // The longest name that starts there (none where no name's first character is: performance only).
  let longest = 0;
  if (t.firsts.includes(c)) for (const name of t.names) if (name.length > longest && i + name.length <= end && s.startsWith(name, i)) longest = name.length;
  if (longest) return i + longest;
  if (!digits || !isDigit(c)) return -1;
  let e = i + 1;
  while (e < end && isDigit(s.charCodeAt(e))) e++;
  if (e - i > 1 && s.charCodeAt(i) === 48) return -1;
  const v = digitsValue(s, i, e);
  return (v >= t.lo && v <= t.hi) || (v >= t.prevLo && v <= t.prevHi) ? e : -1;
}

/**
 * Whether lines `a[as, ae)` and `b[bs, be)` (this document's and the previous phase's) are the same, a phase token
 * (see `tokenEnd`) in each read as one: a run of digits of the same digits or of the same phase number (see
 * `samePhaseNumber`), a phase's name where the other has another's or a phase number (`phase: 2` in the copy
 * written `phase: phase-3`). Where the two differ, a token is looked for
 * there, or where a phase name starting before it, in the text the two have in common since the last token, would.
 */
function sameLine(a: string, as: number, ae: number, b: string, bs: number, be: number, t: PhaseTokens): boolean {
  let i = as;
  let j = bs;
  runs = 0;
  /** How many characters before `i` and `j` the two have in common, character for character (since the last token). */
  let common = 0;
  for (;;) {
    if (i < ae && j < be) {
      const ca = a.charCodeAt(i);
      const cb = b.charCodeAt(j);
      if (ca === cb && !isDigit(ca)) {
        i++;
        j++;
        common++;
        continue;
      }
      if (isDigit(ca) && isDigit(cb)) {
        let ie = i + 1;
        while (ie < ae && isDigit(a.charCodeAt(ie))) ie++;
        let je = j + 1;
        while (je < be && isDigit(b.charCodeAt(je))) je++;
        if ((ie - i === je - j && sameChars(a, i, b, j, ie - i)) || samePhaseNumber(a, i, ie, b, j, je, t)) {
          // Kept, so that a phase name holding the number is still found where the two differ after it.
          if (runs < RUNS) {
            runA[runs] = i;
            runB[runs] = j;
            runCommon[runs++] = common;
          }
          i = ie;
          j = je;
          common = 0;
          continue;
        }
      }
    } else if (i === ae && j === be) {
      return true;
    }
    // They differ here: a token in each there, or as far back as the text in common goes (the same distance back in each).
    if (!tokensAt(a, i, ae, b, j, be, t, common) && !namesAround(a, i, ae, b, j, be, t)) return false;
    i = tokenA;
    j = tokenB;
    common = 0;
    runs = 0;
  }
}

/**
 * The runs of digits `sameLine` read as one since the last phase name (or the line's start): where each starts in
 * each line, and how many characters the two had in common before it. A phase name that holds such a run
 * (`Build/Phase_1_CI` where the copy renumbered by check --fix writes `Build/Phase_2_Packaging`) is found where the
 * two differ after it (`CI` and `Packaging`), by `namesAround`.
 */
const RUNS = 16;
const runA = new Int32Array(RUNS);
const runB = new Int32Array(RUNS);
const runCommon = new Int32Array(RUNS);
let runs = 0;

/**
 * Where lines `a` and `b` differ, at `i` and `j`, past a run of digits read as one: whether a phase name starts in
 * each before that run (each the same distance back from it, in the text the two had in common before it), and
 * holds where they differ (ends there or after it, one of them after it); sets `tokenA` and `tokenB` to where they end.
 */
function namesAround(a: string, i: number, ae: number, b: string, j: number, be: number, t: PhaseTokens): boolean {
  for (let r = runs - 1; r >= 0; r--) {
    for (let d = 0; d <= runCommon[r]; d++) {
      const pa = runA[r] - d;
      if (i - pa > t.longest) return false;
      const ta = tokenEnd(a, pa, ae, t, false);
      if (ta < 0 || ta < i) continue;
      const tb = tokenEnd(b, runB[r] - d, be, t, false);
      if (tb < 0 || tb < j || (ta === i && tb === j)) continue;
      tokenA = ta;
      tokenB = tb;
      return true;
    }
  }
  return false;
}

/** Where the tokens `tokensAt` found last end. */
let tokenA = 0;
let tokenB = 0;

/**
 * Where lines `a` and `b` differ, at `i` and `j` after `common` characters they have in common: whether a phase
 * token starts in each there, or as far back as that common text goes (each the same distance back), that holds
 * where they differ (ends there or after it, one of them after it); sets `tokenA` and `tokenB` to where they end.
 */
function tokensAt(a: string, i: number, ae: number, b: string, j: number, be: number, t: PhaseTokens, common: number): boolean {
  const back = Math.min(common, t.longest);
  // A run of digits where the other has a phase's name (two runs of digits were read as such: see `sameLine`).
  const digits = !(i < ae && j < be && isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j)));
  for (let d = 0; d <= back; d++) {
    const ta = tokenEnd(a, i - d, ae, t, digits && d === 0);
    if (ta < 0) continue;
    const tb = tokenEnd(b, j - d, be, t, digits && d === 0);
    // Tokens that hold the difference, in each (where they end, the comparison goes on: further in each, never back).
    if (tb < 0 || ta < i || tb < j || (ta === i && tb === j)) continue;
    tokenA = ta;
    tokenB = tb;
    return true;
  }
  return false;
}

/**
 * Whether texts `a` and `b` are the same but for their phase tokens (see the top of this file): their lines with
 * more than blanks, in order, the same, each without the blanks at its end, a phase token in each read as one
 * (see `sameLine`). Stops at the first line that differs.
 */
export function sameButNumbers(a: string, b: string, t: PhaseTokens): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    i = nextLine(a, i);
    const as = lineStart;
    const ae = lineEnd;
    j = nextLine(b, j);
    if (i < 0 || j < 0) return i < 0 && j < 0;
    if (!sameLine(a, as, ae, b, lineStart, lineEnd, t)) return false;
  }
}

/**
 * The phase tokens of phase `p` (numbered `n`) and an earlier one, `e` (numbered `m`): the numbers `n-2` (the one
 * before the phase before, which an input handoff names) to `n+1` (the next, which an output handoff names), `m-1`
 * to `m+1`, and the ids and folder names of those phases.
 */
export function phaseTokens(model: WorkspaceModel, p: Phase, n: number, e: Phase, m: number): PhaseTokens {
  let byEarlier = tokensOf.get(p);
  if (!byEarlier) tokensOf.set(p, (byEarlier = new WeakMap()));
  let t = byEarlier.get(e);
  if (!t) byEarlier.set(e, (t = tokensOfPhase(model, p, n, e, m)));
  return t;
}

/**
 * The phase tokens of each phase and earlier phase, once asked for (performance only): a model's phases do not change
 * once it is built (a file event builds the model, or the changed phase's group, anew).
 */
const tokensOf = new WeakMap<Phase, WeakMap<Phase, PhaseTokens>>();

function tokensOfPhase(model: WorkspaceModel, p: Phase, n: number, e: Phase, m: number): PhaseTokens {
  const names: string[] = [];
  let longest = 0;
  for (const q of [phaseBefore(model, e), e, p, phaseAfter(model, p)]) {
    if (!q) continue;
    const folder = basename(q.folder);
    for (const name of q.id === folder ? [folder] : [q.id, folder]) {
      if (!name) continue;
      names.push(name);
      if (name.length > longest) longest = name.length;
    }
  }
  const firsts = [...new Set(names.map((x) => x.charCodeAt(0)))];
  return { lo: Math.max(0, n - 2), hi: n + 1, prevLo: Math.max(0, m - 1), prevHi: m + 1, shift: n - m, names, longest, firsts };
}

/**
 * Whether `doc` (of kind `spec`, in phase `own`) names phase `other` where it names its phase, and not `own`: its
 * front matter `phase` (`phase: 1` in phase-0), or without one its `#` title read by the kind's heading
 * (`# Phase 1 Validation`). What tells which of two phases' documents of the same text is the copy.
 */
export function namesOther(phases: readonly Phase[], doc: ParsedDocument, spec: DocumentKindSpec, own: Phase, other: Phase): boolean {
  const data = doc.frontMatter?.data;
  const named = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>).phase : undefined;
  if (named !== undefined && named !== null) {
    return otherPhaseValue(phases, named, own) !== undefined && otherPhaseValue(phases, named, other) === undefined;
  }
  const heading = kindHeading(spec);
  const h1 = doc.headings.find((h) => h.level === 1);
  if (!heading || !h1 || own.number === undefined || other.number === undefined) return false;
  return titleNumbersWrong(heading, own.number, h1.text) && !titleNumbersWrong(heading, other.number, h1.text);
}

/**
 * Whether of two documents of the same text but for their numbers, `doc` of phase `phase` and `earlier` of the earlier
 * phase `e`, the earlier one is the copy (`cp -r phase-1 phase-0`): it names this phase where it names its own, and
 * this one names its own. Otherwise the later one is (a copy renumbered by check --fix names its own in both).
 */
function earlierIsCopy(ctx: RuleContext, doc: ParsedDocument, phase: Phase, earlier: string, e: Phase): boolean {
  const spec = ctx.spec!;
  const other = ctx.getDocument(earlier);
  return !!other && namesOther(ctx.model.phases, other, spec, e, phase) && !namesOther(ctx.model.phases, doc, spec, phase, e);
}

/**
 * Whether the check of `doc`, of phase `p`, compares it with the document of its kind two phases before (the rule reads
 * that one then): it claims progress, and is not the same as `prevText`, the document of the phase before, `prev`, but
 * for its numbers (what the engine's dependents ask: an edit of that document reaches `doc` only then).
 */
export function comparesTwoBack(model: WorkspaceModel, doc: ParsedDocument, p: Phase, prevText: string | undefined, prev: Phase): boolean {
  if (p.number === undefined || prev.number === undefined || (progressStatus(doc) === undefined && !firstTicked(doc))) return false;
  return prevText === undefined || !sameButNumbers(doc.text, prevText, phaseTokens(model, p, p.number, prev, prev.number));
}

export const copiedDocumentRule: Rule = {
  ids: [COPIED_DOCUMENT],
  check(ctx: RuleContext) {
    const { doc, phase, spec, model } = ctx;
    const n = phase?.number;
    if (!spec || n === undefined || ctx.ruleSetting(COPIED_DOCUMENT) === 'off') return;
    // What claims progress first: most documents of a copied phase claim some, and a draft without a tick claims none.
    const claimed = progressStatus(doc);
    if (claimed === undefined && !firstTicked(doc)) return;
    // A copy of the phase before this one, whatever its number (`cp -r phase-1 phase-3` without a phase 2), or of the
    // one before that (`cp -r phase-1 phase-3` beside phase-2): told naming the one it is the same as.
    let from: Phase | undefined;
    let fromPath: string | undefined;
    const before = phaseBefore(model, phase!);
    for (const e of [before, before && phaseBefore(model, before)]) {
      if (!e) break;
      const earlier = sameKindDocument(e, ctx);
      if (!earlier || !sameButNumbers(doc.text, earlier.text, phaseTokens(model, phase!, n, e, e.number!))) continue;
      // The earlier one copied from this one (`cp -r phase-1 phase-0`): told there, not here.
      if (earlierIsCopy(ctx, doc, phase!, earlier.path, e)) return;
      from = e;
      fromPath = earlier.path;
      break;
    }
    // This one copied from the next phase's (`cp -r phase-1 phase-0`): it names that phase, which names its own.
    const after = from ? undefined : phaseAfter(model, phase!);
    if (after && namesOther(model.phases, doc, spec, phase!, after)) {
      const later = sameKindDocument(after, ctx);
      const other = later && ctx.getDocument(later.path);
      if (
        other &&
        sameButNumbers(later.text, doc.text, phaseTokens(model, after, after.number!, phase!, n)) &&
        !namesOther(model.phases, other, spec, after, phase!)
      ) {
        from = after;
        fromPath = later.path;
      }
    }
    if (!from) return;
    const ticked = firstTicked(doc);
    // Its status is the one it kept only where the document it is the same as claims progress too: a status set on
    // what `new` wrote, the same as the earlier phase's draft (two phases made at once), is this phase's own.
    const source = ctx.getDocument(fromPath!);
    const status = claimed !== undefined && source && progressStatus(source) !== undefined ? claimed : undefined;
    if (status === undefined && !ticked) return;
    const rel = relativePath(model.root, fromPath!);
    const claims =
      status !== undefined && ticked
        ? 'its status, ticked items and evidence are'
        : status !== undefined
          ? 'its status is'
          : 'its ticked items and evidence are';
    const at = (status !== undefined ? statusRange(doc) : undefined) ?? ticked?.checkboxRange ?? range(0, 0, 0, (doc.lines[0] ?? '').length);
    ctx.report(
      COPIED_DOCUMENT,
      at,
      `Same text as ${rel} but for its numbers: ${claims} ${basename(from.folder)}'s (a copied folder?). Write this phase's own, or reset it.`,
      { fix: 'reset-copied-document', from: fromPath! },
    );
  },
};
