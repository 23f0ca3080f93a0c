/**
 * Directives in a document that silence rules there, as markdownlint's and ESLint's comments do:
 *
 *     <!-- phasegate-disable-next-line broken-link -- the wiki is checked by hand -->
 *
 * `disable` / `enable` (from that line on), `disable-line`, `disable-next-line` and `disable-file`,
 * each followed by rule ids (none: every rule) and an optional reason after ` -- `. In Markdown they
 * are HTML comments (outside code blocks and code spans); in front matter, YAML comments
 * (`# phasegate-disable-next-line front-matter-schema`). A problem they silence is not reported and
 * holds no gate, as if its rule were `off` there.
 */
import type { ParsedDocument } from './markdown';
import { RULE_IDS } from './rules/catalog';
import { nearest } from './rules/doc-fm-typos';
import type { FixData, Range } from './types';
import { range } from './types';
import * as YAML from 'yaml';

export type DirectiveKind = 'disable' | 'enable' | 'disable-line' | 'disable-next-line' | 'disable-file';

const KINDS: readonly DirectiveKind[] = ['disable', 'enable', 'disable-line', 'disable-next-line', 'disable-file'];

/**
 * The rules a directive never silences: those that report on directives themselves, and
 * `document-too-large` (a document most rules did not check; its severity is set in phasegate.yaml).
 */
export const DIRECTIVE_RULES: ReadonlySet<string> = new Set(['invalid-directive', 'unused-directive', 'document-too-large']);

export interface DirectiveRule {
  id: string;
  range: Range;
}

export interface Directive {
  kind: DirectiveKind;
  line: number;
  /** The whole comment (`<!-- … -->`, or `# …` to the end of a front matter line). */
  range: Range;
  /** The rules named, in order; empty: every rule. */
  rules: DirectiveRule[];
  reason: string | undefined;
  /** Written as a YAML comment in front matter. */
  yaml: boolean;
}

/** A problem of a directive itself, reported as `invalid-directive` or `unused-directive`. */
export interface DirectiveProblem {
  code: 'invalid-directive' | 'unused-directive';
  range: Range;
  message: string;
  data?: FixData;
}

/** A stretch of lines [from, to) where a rule (or every rule) is disabled; `by` undefined: enabled again inside a wider disable. */
interface Span {
  from: number;
  to: number;
  by: Directive | undefined;
  rule: string | undefined;
}

const ALL = '*';

/**
 * The directive rules that silenced a problem in one check of a document (see `useKey`). Owned by the check, not by the directives: the same text is
 * checked again when a file it depends on changes, and what its directives silence may change then.
 */
export type DirectiveUse = Set<string>;

/**
 * The directives of one document and what they cover (the same for every check of the same text).
 * `covers` answers for one problem and records the directive used, so that `problems` can name the
 * directives that silenced nothing in that check.
 */
export class Suppressions {
  private readonly byLine = new Map<number, Directive[]>();
  private readonly fileWide = new Map<string, Directive>();
  private readonly spans = new Map<string, Span[]>();

  constructor(
    readonly directives: Directive[],
    private readonly invalid: DirectiveProblem[],
  ) {
    const open = new Map<string, Span>();
    const close = (key: string, at: number): void => {
      const s = open.get(key);
      if (!s) return;
      open.delete(key);
      s.to = at;
      if (s.to > s.from) pushTo(this.spans, key, s);
    };
    for (const d of directives) {
      const ids = d.rules.length ? d.rules.map((r) => r.id) : undefined;
      switch (d.kind) {
        case 'disable-line':
        case 'disable-next-line': {
          const target = d.kind === 'disable-line' ? d.line : d.line + 1;
          pushTo(this.byLine, target, d);
          break;
        }
        case 'disable-file':
          for (const k of ids ?? [ALL]) if (!this.fileWide.has(k)) this.fileWide.set(k, d);
          break;
        case 'disable':
          if (!ids) {
            if (!open.has(ALL)) open.set(ALL, { from: d.line, to: Infinity, by: d, rule: undefined });
            // Rules enabled again inside an earlier disable are disabled again.
            for (const [k, s] of [...open]) if (k !== ALL && !s.by) close(k, d.line);
          } else {
            for (const id of ids) {
              const s = open.get(id);
              if (s?.by) continue;
              close(id, d.line);
              open.set(id, { from: d.line, to: Infinity, by: d, rule: id });
            }
          }
          break;
        case 'enable':
          if (!ids) {
            for (const k of [...open.keys()]) close(k, d.line);
          } else {
            for (const id of ids) {
              if (open.get(id)?.by) close(id, d.line);
              // Inside a disable of every rule, this one is enabled again until the next disable.
              if (open.has(ALL) && !open.has(id)) open.set(id, { from: d.line, to: Infinity, by: undefined, rule: id });
            }
          }
          break;
      }
    }
    for (const k of [...open.keys()]) close(k, Infinity);
  }

  /** Whether a directive silences `code` on `line` (0-based); records the directive in `used`. */
  covers(code: string, line: number, used: DirectiveUse): boolean {
    if (DIRECTIVE_RULES.has(code)) return false;
    const onLine = this.byLine.get(line);
    if (onLine) {
      for (const d of onLine) {
        const r = d.rules.length ? d.rules.find((x) => x.id === code) : undefined;
        if (d.rules.length === 0 || r) return use(used, d, r?.id);
      }
    }
    const file = this.fileWide.get(code) ?? this.fileWide.get(ALL);
    if (file) return use(used, file, file.rules.length ? code : undefined);
    const own = findSpan(this.spans.get(code), line);
    if (own) return own.by ? use(used, own.by, code) : false;
    const all = findSpan(this.spans.get(ALL), line);
    return all?.by ? use(used, all.by, undefined) : false;
  }

  /**
   * Directives naming an unknown rule or kind, and (once every rule ran) those that silenced nothing.
   * `isOff(rule)`: a rule turned off does not run, so a directive naming it is not reported as unused.
   */
  problems(used: DirectiveUse, isOff: (rule: string) => boolean): DirectiveProblem[] {
    const out = [...this.invalid];
    for (const d of this.directives) {
      if (d.kind === 'enable') continue;
      const what = `phasegate-${d.kind}`;
      if (d.rules.length === 0) {
        if (!used.has(useKey(d, undefined))) {
          out.push({
            code: 'unused-directive',
            range: d.range,
            message: `\`${what}\` silences no problem here: remove it.`,
            data: { fix: 'remove-directive', line: d.line, column: d.range.start.character, rule: null },
          });
        }
        continue;
      }
      for (const r of d.rules) {
        if (!RULE_IDS.has(r.id) || DIRECTIVE_RULES.has(r.id) || isOff(r.id) || used.has(useKey(d, r.id))) continue;
        out.push({
          code: 'unused-directive',
          range: r.range,
          message: `\`${what}\` silences no \`${r.id}\` problem here: remove ${d.rules.length > 1 ? 'the rule from it' : 'it'}.`,
          data: { fix: 'remove-directive', line: d.line, column: d.range.start.character, rule: r.id },
        });
      }
    }
    return out;
  }
}

/** Names one directive (its place: two can share a line) and one of its rules (none: the directive as a whole). */
function useKey(d: Directive, rule: string | undefined): string {
  return `${d.line}:${d.range.start.character} ${rule ?? ''}`;
}

function use(used: DirectiveUse, d: Directive, rule: string | undefined): true {
  used.add(useKey(d, rule));
  return true;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The span holding `line` in spans sorted by `from` and not overlapping. */
function findSpan(spans: Span[] | undefined, line: number): Span | undefined {
  if (!spans) return undefined;
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = spans[mid];
    if (line < s.from) hi = mid - 1;
    else if (line >= s.to) lo = mid + 1;
    else return s;
  }
  return undefined;
}

const cache = new WeakMap<ParsedDocument, Suppressions | null>();

const written = new WeakMap<Suppressions, Map<number, Directive[]>>();

/**
 * The directives written on `line` (not those that silence it), in document order. The fixes ask this
 * for each problem: the lines are gathered once per document, not looked for among all its directives
 * each time (fixing thousands of unused directives took seconds).
 */
export function directivesOnLine(s: Suppressions, line: number): readonly Directive[] {
  let lines = written.get(s);
  if (!lines) {
    lines = new Map();
    for (const d of s.directives) pushTo(lines, d.line, d);
    written.set(s, lines);
  }
  return lines.get(line) ?? [];
}

/** The document's directives, or undefined when it has none (the common case: one `indexOf` over its text). */
export function suppressionsOf(doc: ParsedDocument): Suppressions | undefined {
  let s = cache.get(doc);
  if (s === undefined) {
    // The text searched once per document, not at each question (the fixes ask for each problem).
    s = mayHaveDirectives(doc) ? parseDirectives(doc) : null;
    cache.set(doc, s);
  }
  return s ?? undefined;
}

/**
 * False when `parseDirectives` finds nothing in `doc`: a directive (or a comment split over lines that
 * reads as one) in Markdown is in an HTML comment, one in front matter in its YAML (performance only:
 * `<!--` is found faster than `phasegate-`, and most documents have no comment).
 */
export function mayHaveDirectives(doc: ParsedDocument): boolean {
  return doc.text.indexOf('<!--') >= 0 ? DIRECTIVE_WORD.test(doc.text) : doc.frontMatter !== undefined && DIRECTIVE_WORD.test(doc.frontMatter.raw);
}

/**
 * `phasegate-`, in any case: a directive, or one written in another case (`PhaseGate-Disable-Next-Line`), which
 * silences nothing and is reported, rather than left to do nothing in silence.
 */
const DIRECTIVE_WORD = /phasegate-/i;

/** The document's directives, read without `suppressionsOf`'s first test or its memo (null: none). */
export function parseDirectives(doc: ParsedDocument): Suppressions | null {
  const directives: Directive[] = [];
  const invalid: DirectiveProblem[] = [];
  const fm = doc.frontMatter;
  // The front matter's lines, fences included: there, directives are YAML comments.
  const fmEnd = fm ? (fm.terminated ? fm.endLine : doc.lines.length - 1) : -1;
  if (fm && DIRECTIVE_WORD.test(fm.raw)) {
    for (const c of yamlComments(doc)) {
      if (!/^#\s*phasegate-/i.test(c.text)) continue;
      directive(c.text.slice(1), c.column + 1, c.line, range(c.line, c.column, c.line, c.column + c.text.length), true, directives, invalid);
    }
  }
  let block = 0;
  const blocks = doc.codeBlocks;
  for (let line = 0; line < doc.lines.length; line++) {
    const text = doc.lines[line];
    if (!DIRECTIVE_WORD.test(text)) continue;
    if (line <= fmEnd) continue;
    while (block < blocks.length && blocks[block].endLine < line) block++;
    if (block < blocks.length && blocks[block].line <= line) continue;
    lineDirectives(text, line, directives, invalid);
  }
  return directives.length || invalid.length ? new Suppressions(directives, invalid) : null;
}

/** Reads the directives of a Markdown line (outside front matter and code blocks) into `out`, and its invalid ones into `invalid`. */
export function lineDirectives(text: string, line: number, out: Directive[], invalid: DirectiveProblem[]): void {
  for (const c of htmlComments(text)) {
    if (c.end < 0) {
      // A directive must be one comment on one line: one split over lines would silently do nothing.
      const split = /^<!--\s*(phasegate-[A-Za-z-]*)/i.exec(text.slice(c.open));
      if (split && (split[1].startsWith('phasegate-') || otherCaseKind(split[1]))) {
        invalid.push({
          code: 'invalid-directive',
          range: range(line, c.open, line, text.length),
          message: 'A phasegate directive is written on one line, `-->` included: this one is not read.',
        });
      }
      break;
    }
    directive(text.slice(c.open + 4, c.end - 3), c.open + 4, line, range(line, c.open, line, c.end), false, out, invalid);
  }
}

/**
 * The HTML comments of a line that are not inside a code span, left to right as CommonMark reads them:
 * a run of n backticks opens a code span that the next run of exactly n closes (a run without one is
 * text), a backslash escapes the character after it, and `<!--` opens a comment that `-->` ends (`end`
 * -1: not on this line). Linear in the line: a closing run searched for in vain is not searched for again.
 */
export function htmlComments(text: string): { open: number; end: number }[] {
  const out: { open: number; end: number }[] = [];
  /** For a run length, the position from which no run of that length follows. */
  const noCloseFrom = new Map<number, number>();
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      i += 2;
    } else if (c === 60 && text.startsWith('<!--', i)) {
      const e = text.indexOf('-->', i + 4);
      out.push({ open: i, end: e < 0 ? -1 : e + 3 });
      if (e < 0) break;
      i = e + 3;
    } else if (c === 96) {
      let j = i;
      while (j < text.length && text.charCodeAt(j) === 96) j++;
      const n = j - i;
      const close = (noCloseFrom.get(n) ?? Infinity) <= j ? -1 : closingRun(text, j, n);
      if (close < 0) {
        noCloseFrom.set(n, Math.min(noCloseFrom.get(n) ?? Infinity, j));
        i = j;
      } else i = close;
    } else i++;
  }
  return out;
}

/** The end of the first run of exactly `n` backticks from `from`, or -1. */
function closingRun(text: string, from: number, n: number): number {
  for (let k = from; ;) {
    const b = text.indexOf('`', k);
    if (b < 0) return -1;
    let e = b;
    while (e < text.length && text.charCodeAt(e) === 96) e++;
    if (e - b === n) return e;
    k = e;
  }
}

/**
 * The comments of a document's front matter, as YAML reads them (not a `#` inside a quoted string or a
 * block scalar), each with its line and column in the document.
 */
export function yamlComments(doc: ParsedDocument): { line: number; column: number; text: string }[] {
  const fm = doc.frontMatter;
  if (!fm || !fm.raw.includes('#')) return [];
  const starts = [0];
  for (let i = fm.raw.indexOf('\n'); i >= 0; i = fm.raw.indexOf('\n', i + 1)) starts.push(i + 1);
  const out: { line: number; column: number; text: string }[] = [];
  // The CST, walked without recursion (front matter may nest deeply).
  const stack: unknown[] = [...new YAML.Parser().parse(fm.raw)];
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const n of node) stack.push(n);
      continue;
    }
    const t = node as { type?: unknown; offset?: unknown; source?: unknown };
    if (t.type === 'comment' && typeof t.offset === 'number' && typeof t.source === 'string') {
      let k = starts.length - 1;
      while (k > 0 && starts[k] > t.offset) k--;
      out.push({ line: fm.startLine + 1 + k, column: t.offset - starts[k], text: t.source });
      continue;
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'parent' && value && typeof value === 'object') stack.push(value);
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * The directive a word that starts with `phasegate-` in another case than lower (`PhaseGate-Disable-Next-Line`,
 * `PHASEGATE-DISABEL`) stands for: its kind, or the nearest one; undefined when it is near none (`Phasegate-managed`).
 */
function otherCaseKind(word: string): DirectiveKind | undefined {
  const kind = word.slice('phasegate-'.length).toLowerCase() as DirectiveKind;
  return KINDS.includes(kind) ? kind : (nearest(kind, KINDS) as DirectiveKind | undefined);
}

/** Reads one comment's body (`body` starts at column `col`); not a directive unless it starts with `phasegate-`. */
function directive(body: string, col: number, line: number, whole: Range, yaml: boolean, out: Directive[], invalid: DirectiveProblem[]): void {
  const lead = /^\s*/.exec(body)![0].length;
  if (!body.startsWith('phasegate-', lead)) {
    // `PhaseGate-Disable-Next-Line`: directives are read as written, in lower case, as ESLint's are; one in another
    // case would do nothing, in silence. Other words so written (`<!-- Phasegate-managed file -->`) are prose.
    const other = /^phasegate-[A-Za-z-]*/i.exec(body.slice(lead));
    const near = other && otherCaseKind(other[0]);
    if (!other || !near) return;
    invalid.push({
      code: 'invalid-directive',
      range: range(line, col + lead, line, col + lead + other[0].length),
      message: `Directive \`${other[0]}\` is written in another case, and is not read: write \`phasegate-${near}\`.`,
      data: { fix: 'replace-rule-id', replacement: `phasegate-${near}` },
    });
    return;
  }
  const word = /^phasegate-[A-Za-z-]*/.exec(body.slice(lead))![0];
  const kind = word.slice('phasegate-'.length) as DirectiveKind;
  if (!KINDS.includes(kind)) {
    // `phasegate-disabel-next-line`: the directive it is nearest to, with the same fix as a misspelt rule id.
    const near = nearest(kind, KINDS);
    invalid.push({
      code: 'invalid-directive',
      range: range(line, col + lead, line, col + lead + word.length),
      message: near
        ? `Unknown directive \`${word}\`: did you mean \`phasegate-${near}\`?`
        : `Unknown directive \`${word}\`: use ${KINDS.map((k) => `phasegate-${k}`).join(', ')}.`,
      data: near ? { fix: 'replace-rule-id', replacement: `phasegate-${near}` } : undefined,
    });
    return;
  }
  // Rule ids up to ` -- reason` (or ` — reason`, or the end), separated by spaces or commas.
  let rest = body.slice(lead + word.length);
  let reason: string | undefined;
  const dash = /(^|\s)(?:--|\u2014)(\s|$)/.exec(rest);
  if (dash) {
    reason = rest.slice(dash.index + dash[0].length).trim() || undefined;
    rest = rest.slice(0, dash.index);
  }
  const rules: DirectiveRule[] = [];
  const restCol = col + lead + word.length;
  for (const m of rest.matchAll(/[^\s,]+/g)) {
    const id = m[0];
    const r = range(line, restCol + m.index, line, restCol + m.index + id.length);
    // Every id is kept, known or not: a directive naming only unknown rules must not silence every rule.
    rules.push({ id, range: r });
    if (DIRECTIVE_RULES.has(id)) {
      invalid.push({ code: 'invalid-directive', range: r, message: `\`${id}\` cannot be silenced by a directive; set its severity in phasegate.yaml.` });
    } else if (!RULE_IDS.has(id)) {
      const near = closestRule(id);
      invalid.push({
        code: 'invalid-directive',
        range: r,
        message: `Unknown rule \`${id}\` in \`${word}\`${near ? `: did you mean \`${near}\`?` : '.'}`,
        data: near ? { fix: 'replace-rule-id', replacement: near } : undefined,
      });
    }
  }
  out.push({ kind, line, range: whole, rules, reason, yaml });
}

/** The rule id nearest to a misspelt one (at most two edits), if any. */
function closestRule(id: string): string | undefined {
  // Rule ids are longer than four letters: `nearest` allows them two edits, as before.
  return nearest(
    id,
    [...RULE_IDS].filter((k) => !DIRECTIVE_RULES.has(k)),
  );
}
