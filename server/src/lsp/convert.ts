/** Engine values -> LSP values: diagnostics, edits, workspace changes. */
import {
  CreateFile,
  Diagnostic as LspDiagnostic,
  DiagnosticSeverity,
  OptionalVersionedTextDocumentIdentifier,
  TextDocumentEdit,
  TextEdit as LspTextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver';
import type { PhasegateSettings } from '../protocol';
import { ruleDocsUrl } from '../service/rules/catalog';
import type { Diagnostic, Range, Severity, WorkspaceChange } from '../service/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Engine diagnostics with the editor's per-rule severity overrides applied (`off` drops them). */
export function applyRuleSettings(diags: Diagnostic[], settings: PhasegateSettings): Diagnostic[] {
  const rules = settings.rules;
  if (Object.keys(rules).length === 0) return diags;
  const out: Diagnostic[] = [];
  for (const d of diags) {
    const s = rules[d.code];
    if (s === 'off') continue;
    out.push(s ? { ...d, severity: s } : d);
  }
  return out;
}

/**
 * A range of the engine's text in the client's, whose text starts with a byte order mark (`bom`): the
 * engine's text does not hold it (as a file's text read from disk does not), so the client's first line
 * is one UTF-16 unit longer, before everything on it.
 */
export function toClientRange(r: Range, bom: boolean): Range {
  if (!bom || (r.start.line !== 0 && r.end.line !== 0)) return r;
  return { start: toClientPosition(r.start, bom), end: toClientPosition(r.end, bom) };
}

/** A position of the engine's text in the client's (see `toClientRange`). */
function toClientPosition(p: Range['start'], bom: boolean): Range['start'] {
  return bom && p.line === 0 ? { line: 0, character: p.character + 1 } : p;
}

/** A position of the client's text (see `toClientRange`) in the engine's. */
export function fromClientPosition(p: Range['start'], bom: boolean): Range['start'] {
  return bom && p.line === 0 ? { line: 0, character: Math.max(0, p.character - 1) } : p;
}

/** A range of the client's text (see `toClientRange`) in the engine's. */
export function fromClientRange(r: Range, bom: boolean): Range {
  if (!bom || (r.start.line !== 0 && r.end.line !== 0)) return r;
  return { start: fromClientPosition(r.start, bom), end: fromClientPosition(r.end, bom) };
}

/** An engine diagnostic for the client; `bom`: the client's text starts with a byte order mark (see `toClientRange`). */
export function toLspDiagnostic(d: Diagnostic, bom = false): LspDiagnostic {
  const out: LspDiagnostic = {
    range: toClientRange(d.range, bom),
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: { href: ruleDocsUrl(d.code) },
    source: 'phasegate',
    message: d.message,
  };
  if (d.data) out.data = d.data;
  return out;
}

export interface EditTarget {
  /** URI of an engine path (the editor's own URI when the document is open). */
  uriOf(path: string): string;
  /** Version of the open document, null when it is not open. */
  versionOf(uri: string): number | null;
  /** Whether the client's text of the document starts with a byte order mark (see `toClientRange`). */
  hasBom?(uri: string): boolean;
}

/**
 * A WorkspaceChange as a WorkspaceEdit. With `documentChanges`, created files are
 * CreateFile (failing when the file exists: never overwriting, never writing into it) followed by
 * an edit that writes their text; without it,
 * a change that creates files cannot be expressed and yields undefined.
 */
export function toWorkspaceEdit(change: WorkspaceChange, target: EditTarget, documentChanges: boolean): WorkspaceEdit | undefined {
  if (!documentChanges) {
    if (change.creates.length) return undefined;
    const changes: Record<string, LspTextEdit[]> = {};
    for (const e of change.edits)
      changes[target.uriOf(e.file)] = [...(changes[target.uriOf(e.file)] ?? []), ...clientEdits(e.edits, target, target.uriOf(e.file))];
    return { changes };
  }
  const out: (TextDocumentEdit | CreateFile)[] = [];
  for (const c of change.creates) {
    const uri = target.uriOf(c.file);
    // Neither ignored nor overwritten: a file that exists by the time the edit is applied (written
    // outside the editor, or by an earlier fix) makes the create fail, and with it the whole edit,
    // instead of skipping the create and inserting the text into that file.
    out.push(CreateFile.create(uri, { ignoreIfExists: false, overwrite: false }));
    if (c.text.length) {
      out.push(TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(uri, null), [LspTextEdit.insert({ line: 0, character: 0 }, c.text)]));
    }
  }
  for (const e of change.edits) {
    if (!e.edits.length) continue;
    const uri = target.uriOf(e.file);
    out.push(TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(uri, target.versionOf(uri)), clientEdits(e.edits, target, uri)));
  }
  return { documentChanges: out };
}

/** Edits of the engine's text as edits of the client's (see `toClientRange`). */
function clientEdits(edits: LspTextEdit[], target: EditTarget, uri: string): LspTextEdit[] {
  if (!target.hasBom?.(uri)) return edits;
  return edits.map((e) => ({ range: toClientRange(e.range, true), newText: e.newText }));
}
