/** Code actions: the quick fix of each diagnostic that has one, and a fix-all for a document. */
import type { PhasegateService } from './service';
import type { CodeAction, Diagnostic, TextEdit } from './types';
import { comparePositions } from './types';
import type { Fix } from './fixes/fix';
import { STRUCTURE_FIXES } from './fixes/structure';
import { DOCUMENT_FIXES } from './fixes/document';
import { PHASE_FIXES } from './fixes/phase';
import { SUPPRESS_FIXES } from './fixes/suppress';

const FIXES: Record<string, Fix> = { ...STRUCTURE_FIXES, ...DOCUMENT_FIXES, ...PHASE_FIXES, ...SUPPRESS_FIXES };

/** Quick fixes for the given diagnostics (those of one document, typically in the editor's range). */
export function codeActions(svc: PhasegateService, diagnostics: Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    const fix = d.data && FIXES[d.data.fix];
    if (!fix) continue;
    try {
      const a = fix(svc, d);
      if (a) out.push(a);
    } catch (e) {
      svc.logger.log(`fix ${d.data?.fix} failed: ${(e as Error).stack ?? e}`);
    }
  }
  return out;
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  return comparePositions(a.range.start, b.range.end) < 0 && comparePositions(b.range.start, a.range.end) < 0;
}

/**
 * Every quick fix of one document that edits only that document, merged into one action;
 * an edit that overlaps one already taken is left for a later run.
 */
export function fixAll(svc: PhasegateService, file: string): CodeAction | undefined {
  const actions = codeActions(svc, svc.diagnose(file));
  const edits: TextEdit[] = [];
  const codes = new Set<string>();
  const seen = new Set<string>();
  for (const a of actions) {
    if (a.change.creates.length || a.change.edits.some((e) => e.file !== file)) continue;
    const mine = a.change.edits.flatMap((e) => e.edits);
    const key = JSON.stringify(mine);
    if (seen.has(key)) continue;
    if (
      mine.some((e) =>
        edits.some((x) => overlaps(e, x) || (comparePositions(e.range.start, x.range.start) === 0 && comparePositions(e.range.end, x.range.end) === 0)),
      )
    )
      continue;
    seen.add(key);
    edits.push(...mine);
    a.codes.forEach((c) => codes.add(c));
  }
  if (!edits.length) return undefined;
  return { title: 'Fix all Phasegate problems in this document', codes: [...codes], change: { edits: [{ file, edits }], creates: [] } };
}

export { applyEdits } from './edits';
export { suppressActions } from './fixes/suppress';
