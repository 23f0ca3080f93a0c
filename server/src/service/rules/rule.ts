/** The contract between the engine and its rules: one rule, one stable id, small validators. */
import type { DocumentKindSpec, LayoutSpec, MetricSpec } from '../layout';
import type { ParsedDocument } from '../markdown';
import type { Phase, WorkspaceModel } from '../workspace';
import type { FixData, Range, Severity } from '../types';
import type { ResolvedConfig, RuleSetting } from '../config';
import type { GateResult } from '../gates';
import type { Repository } from '../repo-root';

/** Files or folders of one folder whose names differ only in case (`scan.md`, `Scan.md`): one on Windows and macOS. */
export interface CaseConflict {
  /** Their paths (absolute): the document told at first when `own`, else all sorted. */
  readonly paths: readonly string[];
  /** Those of them that are folders. */
  readonly folders: readonly string[];
  /** Told at one of them, a checked document (`paths[0]`); else at a document that is none of them (a phase's anchor). */
  readonly own: boolean;
}

export interface RuleContext {
  /** Absolute path of the document being checked. */
  readonly path: string;
  readonly doc: ParsedDocument;
  /** Spec of the document's kind, when the document is one of its phase's documents (or the plan). */
  readonly spec: DocumentKindSpec | undefined;
  readonly phase: Phase | undefined;
  readonly layout: LayoutSpec | undefined;
  readonly model: WorkspaceModel;
  /** The repository around the workspace when its root is above the workspace's (see repo-root.ts). */
  readonly repository: Repository | undefined;
  readonly config: ResolvedConfig;
  /** Metric thresholds in force for this document. */
  readonly metrics: MetricSpec[];
  /** True on the one file of a phase that carries the phase-level diagnostics (missing documents, numbering). */
  readonly phaseAnchor: boolean;
  /** The front matter schema `schemaId` in force (a trusted workspace's own, else the built-in one), as JSON; undefined when none. */
  frontMatterSchema(schemaId: string): unknown;
  /** Front matter schemas by id (ajv-compiled by the engine). */
  validateFrontMatter(
    schemaId: string,
    data: unknown,
  ): { instancePath: string; message: string; keyword: string; params: Record<string, unknown>; schemaPath?: string }[] | undefined;
  /**
   * The parsed model of another document in the workspace (open editor text wins over disk); undefined
   * for one without its Markdown model (too large), whose sections are not known, as for one not read.
   */
  getDocument(path: string): ParsedDocument | undefined;
  /**
   * `getDocument` for a document whose headings a link's anchor names (broken-anchor): the document being checked
   * is then checked again when that one changes, wherever it is in the workspace.
   */
  anchorDocument?(path: string): ParsedDocument | undefined;
  /** The text of another document in the workspace (open editor text wins over disk); undefined for one not read. */
  getText(path: string): string | undefined;
  /** Whether a file or folder exists in the workspace (as last scanned). */
  exists(path: string): boolean;
  /** Whether a folder exists in the workspace (as last scanned): a file of that name is none. */
  isFolder(path: string): boolean;
  /** The files of the workspace (as last scanned) in folder `dir`, not in its subfolders. */
  filesIn?(dir: string): readonly string[];
  /** The files of the workspace (as last scanned) named `name`, in any case, wherever they are. */
  filesNamed?(name: string): readonly string[];
  /** The folders of the scan named as `path` is in another case, in the same folder (`03-findings` for `03-FINDINGS`). */
  foldersInOtherCase(path: string): string[];
  /** The names that differ only in case, in one folder, told at `path` (see `PhasegateService.caseConflictsAt`). */
  caseConflicts(path: string): readonly CaseConflict[];
  /**
   * Whether a path lies in a folder the engine leaves to another one (a nested workspace with a config of
   * its own, or a nested workspace folder): whether it exists is not known here.
   */
  leftOut?(path: string): boolean;
  /**
   * Gate results of another phase (for the project plan, which is no phase document, and for an input
   * handoff, of the previous phase). Never call it on the own phase, nor on a phase whose gates read
   * this document's result: the rule must set `readsGates`, and no gate may answer for it.
   */
  gates?(phase: Phase): GateResult[];
  /** The severity a rule is set to (the editor's setting, else phasegate.yaml's; undefined for its default). */
  ruleSetting(code: string): RuleSetting | undefined;
  /** Reports a problem in the document being checked. */
  report(code: string, range: Range, message: string, data?: FixData): void;
  /**
   * Reports work not done yet where a template left its placeholders: at most a warning, whatever the
   * rule's severity, so that it keeps the rule's gates pending rather than failing them.
   */
  reportPending(code: string, range: Range, message: string, data?: FixData): void;
  /**
   * Reports a problem (`pending`: as `reportPending`) that problems of rule `by` tell as well when there is one on
   * each of `lines` (the template's placeholders of an unticked gate item): once every rule ran, it is left out
   * when each of those lines holds one at least as severe, and those hold the gates that answer for `code` in its
   * place (`Diagnostic.tells`), so that every gate's status stays as it was.
   */
  reportUnlessTold(code: string, range: Range, message: string, by: string, lines: readonly number[], pending?: boolean): void;
}

export interface Rule {
  /** Stable, kebab-case ids this rule can report. */
  readonly ids: readonly string[];
  /**
   * Whether the rule also runs on a document without its Markdown model (`ParsedDocument.modelled`: one
   * too large to parse), where it reads only the document's lines and front matter. Any other rule does
   * not run on such a document: its empty headings, sections and lists would be problems it does not have.
   */
  readonly withoutModel?: boolean;
  /**
   * The rule asks for other phases' gates (`RuleContext.gates`): it runs after every other rule, and in
   * a batch (`PhasegateService.checkBatch`) file by file, each file's result kept before the next file's
   * turn, so that the gates of a phase earlier in the batch read its files' results instead of checking
   * them again. Such rules come last in the registry (rules/index.ts), so that a file's diagnostics are
   * in the same order checked alone or in a batch.
   */
  readonly readsGates?: boolean;
  /** Runs the rule on one document. Must not throw on any input. */
  check(ctx: RuleContext): void;
}

export interface RuleInfo {
  id: string;
  severity: Severity;
  description: string;
}
