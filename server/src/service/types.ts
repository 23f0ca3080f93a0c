/**
 * Shared value types of the engine. Positions and ranges are 0-based, as in LSP;
 * `character` counts UTF-16 code units, as JavaScript strings do.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** How severe a severity is, the more severe higher. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, information: 1, hint: 0 };

/** Data a rule attaches to a diagnostic so that a code action can repair it without re-running the rule. */
export interface FixData {
  /** Kind of repair, understood by the code actions of the engine. */
  fix: string;
  [key: string]: unknown;
}

export interface Diagnostic {
  /** Absolute, forward-slash path of the file the diagnostic belongs to. */
  file: string;
  range: Range;
  severity: Severity;
  /** Stable, kebab-case rule id. */
  code: string;
  message: string;
  data?: FixData;
  /**
   * Problems of other rules this one tells in their place (the template's placeholder of an unticked gate item, of a
   * Tests section that holds nothing else), each with the severity it had: the gates that answer for those rules
   * count this problem as one of theirs, at that severity, as they would have counted it.
   */
  tells?: { code: string; severity: Severity }[];
}

/** A text edit on one file; `range` replaced with `newText`. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** A change a code action or command applies: edits to existing files and files to create. */
export interface WorkspaceChange {
  edits: { file: string; edits: TextEdit[] }[];
  creates: { file: string; text: string }[];
}

export interface CodeAction {
  title: string;
  /** Rule ids this action repairs. */
  codes: string[];
  change: WorkspaceChange;
  isPreferred?: boolean;
  /**
   * The fix needs the user's judgement (it ticks a prerequisite as met, or adds a placeholder item that
   * answers a check): offered as a quick fix, never applied by *Fix all* nor by `check --fix`.
   */
  manual?: boolean;
  /**
   * The fix writes a template's placeholder for the user to fill (a missing section's text, a rationale):
   * applied by the editor's *Fix all*, where the user sees it, never by `check --fix`, where the error
   * it stands for would pass as a placeholder warning.
   */
  placeholder?: boolean;
  /**
   * The fix's edits insert whole lines where another fix of its kind may insert its own (a row at the end of
   * a table): *Fix all* and `check --fix` take them together, in their order, instead of one a run.
   */
  stacks?: boolean;
  /**
   * Where the user lands once the edit is applied (an editor that can move its selection after a quick fix):
   * a range of `file`'s text after the edit, the first placeholder of a section the fix inserts (selected, to
   * type over), else the end of its last line. Only for a quick fix applied on its own, never for *Fix all*.
   */
  select?: { file: string; range: Range };
}

/** Cooperative cancellation, structurally compatible with the LSP CancellationToken. */
export interface CancellationToken {
  readonly isCancellationRequested: boolean;
}

export const noCancellation: CancellationToken = { isCancellationRequested: false };

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export function throwIfCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw new CancelledError();
}

export function range(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}
