/** Code actions: the quick fix of each diagnostic that has one, and a fix-all for a document. */
import type { PhasegateService } from './service';
import type { CodeAction, Diagnostic, Position, TextEdit } from './types';
import { range } from './types';
import { normalizeTitle } from './markdown';
import type { ParsedDocument } from './markdown';
import { directivesOnLine, suppressionsOf } from './suppress';
import { applyEdits } from './edits';
import type { Fix } from './fixes/fix';
import { STRUCTURE_FIXES, insertedSectionSelection } from './fixes/structure';
import { DOCUMENT_FIXES } from './fixes/document';
import { PHASE_FIXES } from './fixes/phase';
import { SUPPRESS_FIXES } from './fixes/suppress';
import { COPIED_DOCUMENT } from './rules/phase-copied';

const FIXES: Record<string, Fix> = { ...STRUCTURE_FIXES, ...DOCUMENT_FIXES, ...PHASE_FIXES, ...SUPPRESS_FIXES };

/** Quick fixes for the given diagnostics (those of one document, typically in the editor's range). */
export function codeActions(svc: PhasegateService, diagnostics: Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    const fix = d.data && FIXES[d.data.fix];
    if (!fix) continue;
    try {
      const made = fix(svc, d);
      for (const a of made === undefined ? [] : Array.isArray(made) ? made : [made])
        out.push(d.data!.fix in SUPPRESS_FIXES ? a : withSelection(keepDirectivesOnTheirLines(svc, a), a));
    } catch (e) {
      svc.logger.log(`fix ${d.data?.fix} failed: ${(e as Error).stack ?? e}`);
    }
  }
  return out;
}

/** The action whose section insertion moved (above directives): where the user lands moves with it. */
function withSelection(moved: CodeAction, before: CodeAction): CodeAction {
  if (moved === before || !before.select) return moved;
  const edit = moved.change.edits.find((e) => e.file === before.select!.file)?.edits[0];
  const select = edit && insertedSectionSelection(before.select.file, edit);
  return { ...moved, select };
}

/** Whether a line holds nothing but `disable-next-line` directives, which belong to the line after them. */
function nextLineDirectivesOnly(doc: ParsedDocument, line: number): boolean {
  const s = suppressionsOf(doc);
  const ds = s && directivesOnLine(s, line);
  if (!ds?.length || ds.some((d) => d.kind !== 'disable-next-line')) return false;
  const src = doc.lines[line] ?? '';
  let rest = src;
  for (const d of [...ds].sort((a, b) => b.range.start.character - a.range.start.character)) {
    rest = rest.slice(0, d.range.start.character) + rest.slice(d.range.end.character);
  }
  return rest.trim() === '';
}

/**
 * A repair that inserts lines before a line with `disable-next-line` directives just above it (a missing
 * section before the heading they silence) would come between them and their line, which they would no
 * longer silence: the lines go above the directives instead.
 */
function keepDirectivesOnTheirLines(svc: PhasegateService, a: CodeAction): CodeAction {
  let moved = false;
  const edits = a.change.edits.map((fe) => {
    const doc = svc.getDocument(fe.file);
    if (!doc || !suppressionsOf(doc)) return fe;
    return {
      file: fe.file,
      edits: fe.edits.map((e) => {
        const { start, end } = e.range;
        if (start.line !== end.line || start.character !== end.character) return e;
        const src = doc.lines[start.line] ?? '';
        // Before line `target`: inserted at its start, or at the end of the line above with a line end first
        // (CRLF, LF, or a CR alone).
        const atStart = start.character === 0 && /(?:\r\n|\r|\n)$/.test(e.newText);
        const atEnd = start.character === src.length && /^(?:\r\n|\r|\n)/.test(e.newText);
        if (!atStart && !atEnd) return e;
        let target = atStart ? start.line : start.line + 1;
        while (target - 1 >= 0 && nextLineDirectivesOnly(doc, target - 1)) target--;
        if (target === (atStart ? start.line : start.line + 1) || (atEnd && target === 0)) return e;
        moved = true;
        if (atStart) {
          // A blank line the text starts with (to part it from the directive it went below) is not wanted
          // where the line above it now is blank already.
          const blankAbove = target > 0 && (doc.lines[target - 1] ?? '').trim() === '';
          const newText = blankAbove ? e.newText.replace(/^(?:\r\n|\r|\n)(?=.)/s, '') : e.newText;
          return { range: range(target, 0, target, 0), newText };
        }
        const above = (doc.lines[target - 1] ?? '').length;
        return { range: range(target - 1, above, target - 1, above), newText: e.newText };
      }),
    };
  });
  return moved ? { ...a, change: { ...a.change, edits } } : a;
}

/** A position as one number, in the order of comparePositions (a document's lines and columns are below 2^26). */
function positionKey(p: Position): number {
  return p.line * 2 ** 26 + p.character;
}

/**
 * The edits fix-all has taken, asked whether another overlaps one of them (each starts before the other
 * ends) or has the same range: with the largest end of the taken edits by start, over the starts of all
 * the candidates (a tree of maxima), each question takes the logarithm of their number, not a walk over
 * every edit taken (fix-all of thousands of problems took seconds).
 */
class TakenEdits {
  /** The candidates' starts, sorted, once each. */
  private readonly starts: number[];
  /** Fenwick tree over `starts`: the largest end of the taken edits whose start is in each node's span. */
  private readonly maxEnd: number[];
  /** The taken edits' ranges, each with whether all the edits taken there stack (see `CodeAction.stacks`). */
  private readonly ranges = new Map<string, boolean>();

  constructor(candidates: readonly TextEdit[]) {
    this.starts = [...new Set(candidates.map((e) => positionKey(e.range.start)))].sort((a, b) => a - b);
    this.maxEnd = new Array<number>(this.starts.length + 1).fill(-Infinity);
  }

  /** How many of the candidates' starts are below `key`. */
  private below(key: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whether `e` overlaps an edit taken, or has its range; an insertion that `stacks` may go where only such ones went. */
  conflicts(e: TextEdit, stacks = false): boolean {
    const start = positionKey(e.range.start);
    const end = positionKey(e.range.end);
    const there = this.ranges.get(`${start} ${end}`);
    if (there !== undefined && !(stacks && there && start === end)) return true;
    // A taken edit that starts before this one ends, and ends after it starts.
    let largest = -Infinity;
    for (let i = this.below(end); i > 0; i -= i & -i) largest = Math.max(largest, this.maxEnd[i]);
    return largest > start;
  }

  add(e: TextEdit, stacks = false): void {
    const start = positionKey(e.range.start);
    const end = positionKey(e.range.end);
    const key = `${start} ${end}`;
    this.ranges.set(key, (this.ranges.get(key) ?? true) && stacks && start === end);
    for (let i = this.below(start) + 1; i < this.maxEnd.length; i += i & -i) this.maxEnd[i] = Math.max(this.maxEnd[i], end);
  }
}

/**
 * An ATX heading line's level marks and text, as `/^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/` read them
 * (a closing `#` sequence and trailing blanks left out); in one pass: the expression went over the text once
 * for each place it could end (seconds for a heading with 100k blanks in it).
 */
export function headingLine(line: string): [marks: string, text: string] | undefined {
  const open = /^ {0,3}(#{1,6})[ \t]+/.exec(line);
  if (!open || /[\n\r\u2028\u2029]/.test(line)) return undefined;
  const start = open[0].length;
  const isBlank = (i: number) => line[i] === ' ' || line[i] === '\t';
  let end = line.length;
  while (end > start && isBlank(end - 1)) end--;
  // A closing sequence: `#`s after a blank.
  let hashes = end;
  while (hashes > start && line[hashes - 1] === '#') hashes--;
  if (hashes < end && hashes > start && isBlank(hashes - 1)) {
    end = hashes;
    while (end > start && isBlank(end - 1)) end--;
  }
  return [open[1], line.slice(start, end)];
}

/** Headings (level and normalised title) the edits write: a section they insert. */
function headingsInserted(edits: TextEdit[]): string[] {
  const out: string[] = [];
  for (const e of edits) {
    if (!e.newText.includes('#')) continue;
    for (const line of e.newText.split(/\r\n|\r|\n/)) {
      const m = headingLine(line);
      if (m) out.push(`${m[0].length} ${normalizeTitle(m[1])}`);
    }
  }
  return out;
}

/**
 * Every quick fix of one document that edits only that document, merged into one action;
 * an edit that overlaps one already taken is left for a later run (but insertions of fixes that stack,
 * rows added to one table, go at one place in their order), as is a fix that inserts a
 * section another fix taken inserts already (a missing section, and complete handoff filling it).
 * Fixes that need the user's judgement (`CodeAction.manual`) are left to the user.
 *
 * In a document reported as a copy of another phase's (copied-document), the fixes after which it would no longer
 * read as one are left out too (the inputs and prerequisites a handoff's fixes add to a copied input handoff): its
 * copied status, ticks and evidence would stay, the warning that tells them gone. The fixes that keep it a copy (its
 * titles and front matter renumbered) are made. The rule ids of the fixes left out go into `opts.held`, when given.
 */
export function fixAll(svc: PhasegateService, file: string, opts: { placeholders?: boolean; held?: Set<string> } = {}): CodeAction | undefined {
  const diagnostics = svc.diagnose(file);
  const actions = codeActions(svc, diagnostics);
  const taken = new TakenEdits(actions.flatMap((a) => a.change.edits.flatMap((e) => e.edits)));
  const chosen: { edits: TextEdit[]; codes: readonly string[] }[] = [];
  const seen = new Set<string>();
  const sections = new Set<string>();
  for (const a of actions) {
    if (a.manual || a.change.creates.length || a.change.edits.some((e) => e.file !== file)) continue;
    const mine = a.change.edits.flatMap((e) => e.edits);
    // `placeholders: false` (check --fix): a fix that writes a template's placeholder for the user to fill
    // (a missing section, a rationale) would turn an error into a placeholder warning: left to the user.
    if (opts.placeholders === false && a.placeholder) continue;
    const key = JSON.stringify(mine);
    if (seen.has(key)) continue;
    const headings = headingsInserted(mine);
    if (headings.some((h) => sections.has(h))) continue;
    const stacks = a.stacks === true;
    if (mine.some((e) => taken.conflicts(e, stacks))) continue;
    seen.add(key);
    headings.forEach((h) => sections.add(h));
    chosen.push({ edits: mine, codes: a.codes });
    mine.forEach((e) => taken.add(e, stacks));
  }
  const kept = diagnostics.some((d) => d.code === COPIED_DOCUMENT) ? keepingCopy(svc, file, chosen, opts.held) : chosen;
  if (!kept.length) return undefined;
  const codes = new Set(kept.flatMap((c) => c.codes));
  return {
    title: 'Fix all Phasegate problems in this document',
    codes: [...codes],
    change: { edits: [{ file, edits: kept.flatMap((c) => c.edits) }], creates: [] },
  };
}

/**
 * Of the fixes `chosen` for a document reported as a copy (copied-document), those after which it is still reported
 * as one, in their order (each tried with those kept before it): all of them when together they keep it one (a
 * copy renumbered). The rule ids of the others go into `held`. The engine's state is not changed.
 */
function keepingCopy(
  svc: PhasegateService,
  file: string,
  chosen: { edits: TextEdit[]; codes: readonly string[] }[],
  held: Set<string> | undefined,
): { edits: TextEdit[]; codes: readonly string[] }[] {
  const original = svc.getText(file);
  if (original === undefined || !chosen.length) return chosen;
  // Each try on the engine's `diagnoseWithText`, which keeps the document's own text, and the results of the files
  // that read it, as they were.
  const stillCopy = (fixes: readonly { edits: TextEdit[] }[]) => {
    const text = applyEdits(
      original,
      fixes.flatMap((f) => f.edits),
    );
    return text !== undefined && !!svc.diagnoseWithText(file, text)?.some((d) => d.code === COPIED_DOCUMENT);
  };
  if (stillCopy(chosen)) return chosen;
  const kept: typeof chosen = [];
  for (const c of chosen) {
    if (stillCopy([...kept, c])) kept.push(c);
    else c.codes.forEach((code) => held?.add(code));
  }
  return kept;
}

/** Rounds of fix-all on its own result (see fixAllRepeated). */
const FIX_ALL_ROUNDS = 5;

/**
 * Fix-all as the editor applies it on save: repeated on the text the previous round made, until it fixes
 * nothing more, so that fixes that could not be made together (two sections inserted at the same place)
 * are all made at once; one edit of the changed lines. A later round that repairs none of the document's
 * problems is not kept (the first is fix-all as it was). The document's text in the engine is its own again afterwards.
 */
export function fixAllRepeated(svc: PhasegateService, file: string): CodeAction | undefined {
  const first = fixAll(svc, file);
  const original = svc.getText(file);
  if (!first || original === undefined) return first;
  const own = (a: CodeAction) => a.change.edits.flatMap((e) => (e.file === file ? e.edits : []));
  let text = applyEdits(original, own(first));
  const codes = new Set(first.codes);
  try {
    for (let round = 1; round < FIX_ALL_ROUNDS && text !== original; round++) {
      svc.setOverlay(file, text);
      const had = problemCounts(svc.diagnose(file));
      const next = fixAll(svc, file);
      if (!next) break;
      const after = applyEdits(text, own(next));
      if (after === text) break;
      svc.setOverlay(file, after);
      if (!someRepaired(had, problemCounts(svc.diagnose(file)))) break;
      text = after;
      next.codes.forEach((c) => codes.add(c));
    }
  } finally {
    svc.setOverlay(file, original);
  }
  if (text === original) return undefined;
  return { ...first, codes: [...codes], change: { edits: [{ file, edits: [changedLines(original, text)] }], creates: [] } };
}

/** A document's problems counted by rule and message, whatever their place. */
export function problemCounts(diags: readonly Diagnostic[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of diags) {
    const k = `${d.code}\u0000${d.message}`;
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

/** Whether fixes repaired a problem: one of `before` (problemCounts) is gone, or fewer, in `after`. */
export function someRepaired(before: Map<string, number>, after: Map<string, number>): boolean {
  for (const [key, n] of before) if ((after.get(key) ?? 0) < n) return true;
  return false;
}

/** The edit that turns `before` into `after`: the lines between their common first and last lines. */
export function changedLines(before: string, after: string): TextEdit {
  const max = Math.min(before.length, after.length);
  let a = 0;
  while (a < max && before.charCodeAt(a) === after.charCodeAt(a)) a++;
  let b = 0;
  while (b < max - a && before.charCodeAt(before.length - 1 - b) === after.charCodeAt(after.length - 1 - b)) b++;
  // Whole lines: back to the start of the first changed line, on to the start of the line after the last.
  const isBreak = (i: number) => before[i] === '\n' || (before[i] === '\r' && before[i + 1] !== '\n');
  while (a > 0 && !isBreak(a - 1)) a--;
  let end = before.length - b;
  while (end < before.length && end > a && !isBreak(end - 1)) end++;
  b = before.length - end;
  return { range: { start: positionAt(before, a), end: positionAt(before, end) }, newText: after.slice(a, after.length - b) };
}

/** The line and UTF-16 character of an offset, lines ended by CRLF, LF or CR. */
function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      start = i + 1;
    }
  }
  return { line, character: offset - start };
}

export { applyEdits } from './edits';
export { checkTogether, suppressActions } from './fixes/suppress';
