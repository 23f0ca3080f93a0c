/** The contract of a quick fix: it repairs one diagnostic from the data its rule attached. */
import type { PhasegateService } from '../service';
import type { CodeAction, Diagnostic } from '../types';

/** The action repairing `diag` (its data's `fix`), or several ways to repair it, the preferred first; undefined when there is nothing obvious to do. */
export type Fix = (svc: PhasegateService, diag: Diagnostic) => CodeAction | CodeAction[] | undefined;

/**
 * The text of the document now at `diag`'s range, a range on one line; undefined for a range over several lines or a
 * document not held. A fix compares it with the text reported, and does nothing once the document says otherwise.
 */
export function textAtRange(svc: PhasegateService, diag: Diagnostic): string | undefined {
  const { start, end } = diag.range;
  const doc = svc.getDocument(diag.file);
  if (!doc || start.line !== end.line) return undefined;
  return (doc.lines[start.line] ?? '').slice(start.character, end.character);
}
