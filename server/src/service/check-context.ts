/**
 * The context the rules see for one document: its model and phase, and what they may ask the
 * engine. A class rather than an object literal of closures (performance only): every document's
 * context has one shape and shares its methods, so the rules' calls into it stay monomorphic and
 * no closures are allocated per document.
 */
import type { ResolvedConfig, RuleSetting } from './config';
import type { DocumentKindSpec, LayoutSpec, MetricSpec } from './layout';
import type { ParsedDocument } from './markdown';
import type { Repository } from './repo-root';
import { RULES } from './rules/catalog';
import type { CaseConflict, RuleContext } from './rules/rule';
import type { GateResult } from './gates';
import type { Phase, WorkspaceModel } from './workspace';
import { SEVERITY_RANK, type Diagnostic, type FixData, type Range, type Severity } from './types';
import type { PhasegateService } from './service';
import { DirectiveUse, Suppressions, suppressionsOf } from './suppress';

const DEFAULT_SEVERITY = new Map<string, Severity>(RULES.map((r) => [r.id, r.severity]));

/** Most diagnostics reported for one file; the rest are counted in one `too-many-problems` (a pathological file made 800,000). */
export const MAX_FILE_DIAGNOSTICS = 10_000;

/**
 * Past MAX_FILE_DIAGNOSTICS, each rule still lists its first problems, up to this many: a flood of one rule's
 * (14,000 broken links) does not hide another's (the plan's missing phase), which its gate counts.
 */
export const KEPT_PER_RULE = 100;

/** How many problems a `too-many-problems` diagnostic counts (its message says it); undefined for another diagnostic. */
export function unlistedProblems(d: Pick<Diagnostic, 'code' | 'message'>): number | undefined {
  const m = d.code === 'too-many-problems' ? /^(\d+) more problems/.exec(d.message) : null;
  return m ? Number(m[1]) : undefined;
}

export class CheckContext implements RuleContext {
  /** What the rules reported, in order (at most MAX_FILE_DIAGNOSTICS, and the first problems of each rule past it; see `result`). */
  readonly out: Diagnostic[] = [];
  /** Diagnostics left out past MAX_FILE_DIAGNOSTICS. */
  private dropped = 0;
  /** Once past MAX_FILE_DIAGNOSTICS: how many each rule has listed (see KEPT_PER_RULE). */
  private listed: Map<string, number> | undefined;
  /** The document's `phasegate-disable…` directives, if it has any. */
  private readonly suppressions: Suppressions | undefined;
  /** The directives that silenced a problem in this check (made only for a document that has directives). */
  private readonly used: DirectiveUse | undefined;
  private directivesChecked = false;
  /** Problems reported unless others tell them (`reportUnlessTold`), decided once every rule ran. */
  private told: { diag: Diagnostic; by: string; lines: readonly number[] }[] | undefined;

  constructor(
    private readonly svc: PhasegateService,
    readonly path: string,
    readonly doc: ParsedDocument,
    readonly spec: DocumentKindSpec | undefined,
    readonly phase: Phase | undefined,
    readonly layout: LayoutSpec | undefined,
    readonly model: WorkspaceModel,
    readonly config: ResolvedConfig,
    readonly metrics: MetricSpec[],
    readonly phaseAnchor: boolean,
    /** Report what directives would silence too (to know which problems a directive is about). */
    ignoreDirectives = false,
  ) {
    this.suppressions = ignoreDirectives ? undefined : suppressionsOf(doc);
    if (this.suppressions) this.used = new Set();
  }

  /** The diagnostics of the file once every rule ran: those reported, and a count of those left out. */
  result(): Diagnostic[] {
    if (this.told) this.leaveToTellers();
    // Problems of the directives themselves, once every rule ran (whether each silenced something is known then).
    if (this.suppressions && !this.directivesChecked) {
      this.directivesChecked = true;
      const isOff = (rule: string): boolean => this.svc.ruleSetting(rule) === 'off';
      for (const p of this.suppressions.problems(this.used!, isOff)) {
        // Without the Markdown model most rules did not run: whether a directive silences something is not known.
        if (!this.doc.modelled && p.code === 'unused-directive') continue;
        this.push(p.code, this.svc.ruleSetting(p.code), p.range, p.message, p.data);
      }
    }
    if (this.dropped === 0) return this.out;
    const setting = this.svc.ruleSetting('too-many-problems');
    if (setting === 'off') return this.out;
    const line = this.doc.headings[0]?.line ?? 0;
    return [
      ...this.out,
      {
        file: this.path,
        range: { start: { line, character: 0 }, end: { line, character: (this.doc.lines[line] ?? '').length } },
        severity: setting ?? 'information',
        code: 'too-many-problems',
        message: `${this.dropped} more problems in this file are not listed (at most ${MAX_FILE_DIAGNOSTICS} are, and the first ${KEPT_PER_RULE} of each rule).`,
      },
    ];
  }

  get repository(): Repository | undefined {
    return this.svc.repository;
  }

  frontMatterSchema(id: string): unknown {
    return this.svc.validator(id)?.schema;
  }

  validateFrontMatter(id: string, data: unknown): ReturnType<RuleContext['validateFrontMatter']> {
    const v = this.svc.validator(id);
    if (!v) return undefined;
    try {
      if (v(data)) return [];
    } catch (e) {
      // A self-referencing workspace schema can recurse without end: report, never crash.
      return [{ instancePath: '', message: `schema '${id}' could not be applied: ${(e as Error).message}`, keyword: 'schema', params: {} }];
    }
    return (v.errors ?? []).map((e) => ({
      instancePath: e.instancePath,
      message: e.message ?? 'is invalid',
      keyword: e.keyword,
      params: e.params as Record<string, unknown>,
      schemaPath: e.schemaPath,
    }));
  }

  getDocument(path: string): ParsedDocument | undefined {
    const doc = this.svc.getDocument(path);
    return doc?.modelled ? doc : undefined;
  }

  anchorDocument(path: string): ParsedDocument | undefined {
    this.svc.readsAnchorsOf(this.path, path);
    return this.getDocument(path);
  }

  getText(path: string): string | undefined {
    return this.svc.getText(path);
  }

  exists(path: string): boolean {
    return this.svc.exists(path);
  }

  isFolder(path: string): boolean {
    return this.svc.isFolder(path);
  }

  filesIn(dir: string): readonly string[] {
    return this.svc.filesIn(dir);
  }

  filesNamed(name: string): readonly string[] {
    return this.svc.filesNamed(name);
  }

  foldersInOtherCase(path: string): string[] {
    return this.svc.foldersInOtherCase(path);
  }

  caseConflicts(path: string): readonly CaseConflict[] {
    return this.svc.caseConflictsAt(path);
  }

  leftOut(path: string): boolean {
    return this.svc.leftOut(path);
  }

  gates(phase: Phase): GateResult[] {
    return this.svc.gates(phase);
  }

  ruleSetting(code: string): RuleSetting | undefined {
    return this.svc.ruleSetting(code);
  }

  report(code: string, range: Range, message: string, data?: FixData): void {
    this.reportAs(code, range, message, data, false);
  }

  reportPending(code: string, range: Range, message: string, data?: FixData): void {
    this.reportAs(code, range, message, data, true);
  }

  reportUnlessTold(code: string, range: Range, message: string, by: string, lines: readonly number[], pending = false): void {
    const diag = this.reportAs(code, range, message, undefined, pending);
    if (diag && lines.length) (this.told ??= []).push({ diag, by, lines });
  }

  /**
   * The problems of `reportUnlessTold` whose every line holds a problem of the rule that tells them, at least as
   * severe, left out: those problems tell them, and hold their gates in their place (`Diagnostic.tells`).
   */
  private leaveToTellers(): void {
    const told = this.told!;
    this.told = undefined;
    const codes = new Set(told.map((t) => t.by));
    // The problems of the telling rules, by rule and line (one pass over the file's problems).
    const at = new Map<string, Diagnostic[]>();
    for (const d of this.out) {
      if (!codes.has(d.code)) continue;
      const key = `${d.code} ${d.range.start.line}`;
      const list = at.get(key);
      if (list) list.push(d);
      else at.set(key, [d]);
    }
    const left = new Set<Diagnostic>();
    for (const { diag, by, lines } of told) {
      const tellers: Diagnostic[] = [];
      let all = true;
      for (const l of lines) {
        const here = (at.get(`${by} ${l}`) ?? []).filter((d) => SEVERITY_RANK[d.severity] >= SEVERITY_RANK[diag.severity]);
        if (!here.length) {
          all = false;
          break;
        }
        tellers.push(...here);
      }
      if (!all) continue;
      left.add(diag);
      for (const d of tellers) (d.tells ??= []).push({ code: diag.code, severity: diag.severity });
    }
    if (!left.size) return;
    let k = 0;
    for (const d of this.out) if (!left.has(d)) this.out[k++] = d;
    this.out.length = k;
  }

  /** A problem unless its rule is off or a directive silences it here; `pending`: at most a warning. */
  private reportAs(code: string, range: Range, message: string, data: FixData | undefined, pending: boolean): Diagnostic | undefined {
    const setting = this.svc.ruleSetting(code);
    if (setting === 'off' || (this.suppressions !== undefined && this.suppressions.covers(code, range.start.line, this.used!))) return undefined;
    return this.push(code, setting, range, message, data, pending);
  }

  /** Whether a problem of `code` is listed past MAX_FILE_DIAGNOSTICS: while its rule has listed fewer than KEPT_PER_RULE. */
  private listsBeyondCap(code: string): boolean {
    if (!this.listed) {
      this.listed = new Map();
      for (const d of this.out) this.listed.set(d.code, (this.listed.get(d.code) ?? 0) + 1);
    }
    const n = this.listed.get(code) ?? 0;
    if (n >= KEPT_PER_RULE) return false;
    this.listed.set(code, n + 1);
    return true;
  }

  private push(code: string, setting: RuleSetting | undefined, range: Range, message: string, data?: FixData, pending = false): Diagnostic | undefined {
    if (setting === 'off') return undefined;
    if (this.out.length >= MAX_FILE_DIAGNOSTICS && !this.listsBeyondCap(code)) {
      this.dropped++;
      return undefined;
    }
    let severity: Severity = setting ?? DEFAULT_SEVERITY.get(code) ?? 'warning';
    if (pending && severity === 'error') severity = 'warning';
    const file = this.path;
    const d: Diagnostic = data ? { file, range, severity, code, message, data } : { file, range, severity, code, message };
    this.out.push(d);
    return d;
  }
}
