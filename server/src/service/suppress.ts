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
import { editDistance } from './rules/doc-fm-typos';
import type { FixData, Range } from './types';
import { range } from './types';

export type DirectiveKind = 'disable' | 'enable' | 'disable-line' | 'disable-next-line' | 'disable-file';

const KINDS: readonly DirectiveKind[] = ['disable', 'enable', 'disable-line', 'disable-next-line', 'disable-file'];

/** The rules a directive never silences: those that report on directives themselves. */
export const DIRECTIVE_RULES: ReadonlySet<string> = new Set(['invalid-directive', 'unused-directive']);

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
 * `kind line rule` of each directive rule that silenced a problem in one check of a document (`rule`
 * empty for a directive naming none). Owned by the check, not by the directives: the same text is
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
        if (!used.has(`${d.kind} ${d.line} `)) {
          out.push({
            code: 'unused-directive',
            range: d.range,
            message: `\`${what}\` silences no problem here: remove it.`,
            data: { fix: 'remove-directive', line: d.line, rule: null },
          });
        }
        continue;
      }
      for (const r of d.rules) {
        if (!RULE_IDS.has(r.id) || DIRECTIVE_RULES.has(r.id) || isOff(r.id) || used.has(`${d.kind} ${d.line} ${r.id}`)) continue;
        out.push({
          code: 'unused-directive',
          range: r.range,
          message: `\`${what}\` silences no \`${r.id}\` problem here: remove ${d.rules.length > 1 ? 'the rule from it' : 'it'}.`,
          data: { fix: 'remove-directive', line: d.line, rule: r.id },
        });
      }
    }
    return out;
  }
}

function use(used: DirectiveUse, d: Directive, rule: string | undefined): true {
  used.add(`${d.kind} ${d.line} ${rule ?? ''}`);
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

/** The document's directives, or undefined when it has none (the common case: one `includes` over its text). */
export function suppressionsOf(doc: ParsedDocument): Suppressions | undefined {
  if (!doc.text.includes('phasegate-')) return undefined;
  let s = cache.get(doc);
  if (s === undefined) {
    s = parseDirectives(doc);
    cache.set(doc, s);
  }
  return s ?? undefined;
}

function parseDirectives(doc: ParsedDocument): Suppressions | null {
  const directives: Directive[] = [];
  const invalid: DirectiveProblem[] = [];
  const fm = doc.frontMatter;
  const fmFirst = fm ? fm.startLine + 1 : 0;
  const fmLast = fm ? (fm.terminated ? fm.endLine - 1 : doc.lines.length - 1) : -1;
  let block = 0;
  const blocks = doc.codeBlocks;
  for (let line = 0; line < doc.lines.length; line++) {
    const text = doc.lines[line];
    if (!text.includes('phasegate-')) continue;
    if (fm && line >= fmFirst && line <= fmLast) {
      yamlDirective(text, line, directives, invalid);
      continue;
    }
    if (fm && (line === fm.startLine || line === fm.endLine)) continue;
    while (block < blocks.length && blocks[block].endLine < line) block++;
    if (block < blocks.length && blocks[block].line <= line) continue;
    let at = 0;
    for (;;) {
      const open = text.indexOf('<!--', at);
      if (open < 0) break;
      const end = text.indexOf('-->', open + 4);
      if (end < 0) break;
      at = end + 3;
      if (inCodeSpan(text, open)) continue;
      directive(text.slice(open + 4, end), open + 4, line, range(line, open, line, at), false, directives, invalid);
    }
  }
  return directives.length || invalid.length ? new Suppressions(directives, invalid) : null;
}

/** Whether `at` lies inside a code span of the line (an odd number of backtick runs before it). */
function inCodeSpan(text: string, at: number): boolean {
  let runs = 0;
  for (let i = 0; i < at; i++) {
    if (text.charCodeAt(i) !== 96) continue;
    runs++;
    while (i + 1 < at && text.charCodeAt(i + 1) === 96) i++;
  }
  return runs % 2 === 1;
}

/** A `# phasegate-…` comment of a front matter line: the whole line, or after a value. */
function yamlDirective(text: string, line: number, out: Directive[], invalid: DirectiveProblem[]): void {
  const m = /(^|\s)#\s*phasegate-/.exec(text);
  if (!m) return;
  const hash = m.index + m[1].length;
  directive(text.slice(hash + 1), hash + 1, line, range(line, hash, line, text.length), true, out, invalid);
}

/** Reads one comment's body (`body` starts at column `col`); not a directive unless it starts with `phasegate-`. */
function directive(body: string, col: number, line: number, whole: Range, yaml: boolean, out: Directive[], invalid: DirectiveProblem[]): void {
  const lead = /^\s*/.exec(body)![0].length;
  if (!body.startsWith('phasegate-', lead)) return;
  const word = /^phasegate-[A-Za-z-]*/.exec(body.slice(lead))![0];
  const kind = word.slice('phasegate-'.length) as DirectiveKind;
  if (!KINDS.includes(kind)) {
    invalid.push({
      code: 'invalid-directive',
      range: range(line, col + lead, line, col + lead + word.length),
      message: `Unknown directive \`${word}\`: use ${KINDS.map((k) => `phasegate-${k}`).join(', ')}.`,
    });
    return;
  }
  // Rule ids up to ` -- reason` (or the end), separated by spaces or commas.
  let rest = body.slice(lead + word.length);
  let reason: string | undefined;
  const dash = /(^|\s)--(\s|$)/.exec(rest);
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
  let best: { id: string; d: number } | undefined;
  for (const k of RULE_IDS) {
    if (DIRECTIVE_RULES.has(k)) continue;
    const d = editDistance(id, k, 2);
    if (d <= 2 && (!best || d < best.d)) best = { id: k, d };
  }
  return best?.id;
}
