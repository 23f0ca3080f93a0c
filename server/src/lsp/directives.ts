/**
 * Editor help for `phasegate-disable…` directives: completion of the directive after `<!-- ` (or `# `
 * in front matter) and of rule ids after it, the rules reported on the lines it would cover first;
 * hover on a directive's rule id or kind.
 */
import { CompletionItem, CompletionItemKind, MarkupKind, Range as LspRange, TextEdit } from 'vscode-languageserver';
import { RULES, ruleDocsUrl, ruleInfo } from '../service/rules/catalog';
import { DIRECTIVE_RULES, DirectiveKind, htmlComments, suppressionsOf, yamlComments } from '../service/suppress';
import type { ParsedDocument } from '../service/markdown';
import type { Target } from './context';
import { clampCharacter, inFrontMatter } from './completion';

const KIND_HELP: Record<DirectiveKind, string> = {
  'disable-next-line': 'Silences the rules named (every rule when none is) on the next line.',
  'disable-line': 'Silences the rules named (every rule when none is) on this line.',
  disable: 'Silences the rules named (every rule when none is) from this line on, until a `phasegate-enable`.',
  enable: 'Ends a `phasegate-disable` of the rules named (of every rule when none is).',
  'disable-file': 'Silences the rules named (every rule when none is) in the whole file.',
};
const KINDS = Object.keys(KIND_HELP) as DirectiveKind[];

/** Whether `line` is inside a fenced or indented code block, where a comment is text. */
function inCode(doc: ParsedDocument, line: number): boolean {
  return doc.codeBlocks.some((b) => line >= b.line && line <= b.endLine);
}

/** Longest part of a line before the cursor that is looked at for a directive (directives are short). */
const MAX_BEFORE = 2000;

/**
 * What precedes the cursor when it is in a comment that may be a directive: an HTML comment opened
 * before it (outside code blocks and code spans, not closed before it), or a YAML comment in front
 * matter (not a `#` inside a quoted string or a block scalar); with the directive and rule ids typed.
 */
function directiveBefore(doc: ParsedDocument, line: number, ch: number): RegExpExecArray | null {
  const src = doc.lines[line] ?? '';
  if (inFrontMatter(doc, line)) {
    const c = yamlComments(doc).find((x) => x.line === line && x.column < ch);
    if (!c || ch - c.column > MAX_BEFORE) return null;
    // Separators and ids are disjoint classes, so each text splits one way (linear in its length).
    // eslint-disable-next-line regexp/no-super-linear-backtracking -- at most MAX_BEFORE (2,000) characters: quadratic, a few ms
    return /^#\s*(phasegate-[a-z-]*|p[a-z-]*)?((?:[\s,]+[a-z-]+)*[\s,]*)$/.exec(src.slice(c.column, ch));
  }
  if (inCode(doc, line)) return null;
  // Read on the whole line: a backtick after the cursor may close a code span the comment is in.
  const c = htmlComments(src).find((x) => x.open < ch && (x.end < 0 || x.end - 3 >= ch));
  if (!c || ch - c.open > MAX_BEFORE) return null;
  // eslint-disable-next-line regexp/no-super-linear-backtracking -- at most MAX_BEFORE (2,000) characters: quadratic, a few ms
  return /^<!--\s*(phasegate-[a-z-]*|p[a-z-]*)?((?:[\s,]+[a-z-]+)*[\s,]*)$/.exec(src.slice(c.open, ch));
}

/**
 * Where the word the cursor is in ends: the letters and dashes after the cursor, up to the comment's
 * closing `-->` (its dashes are not part of the word: `<!-- phasegate-dis|-->`).
 */
function wordEnd(src: string, ch: number): number {
  const after = src.slice(ch, ch + MAX_BEFORE);
  const n = /^[a-z-]*/.exec(after)![0].length;
  const close = after.indexOf('-->');
  return ch + (close >= 0 && close < n ? close : n);
}

/** The lines a directive of `kind` written on `line` covers, to rank the rules reported there first. */
function coveredLines(kind: DirectiveKind, line: number, doc: ParsedDocument): (l: number) => boolean {
  if (kind === 'disable-next-line') return (l) => l === line + 1;
  if (kind === 'disable-line') return (l) => l === line;
  if (kind === 'disable-file') return () => true;
  return (l) => l >= line && l < doc.lines.length;
}

export function directiveCompletion(t: Target, line: number, ch: number): CompletionItem[] | undefined {
  const doc = t.doc!;
  ch = clampCharacter(doc, line, ch);
  const m = directiveBefore(doc, line, ch);
  if (!m) return undefined;
  const src = doc.lines[line] ?? '';
  const word = m[1] ?? '';
  const rest = m[2] ?? '';
  // The directive itself while nothing follows it yet: `<!-- |`, `<!-- phasegate-dis|`.
  if (rest === '' && (word === '' || 'phasegate-'.startsWith(word) || word.startsWith('phasegate-') || 'phasegate'.startsWith(word))) {
    const start = ch - word.length;
    const end = wordEnd(src, ch);
    // Plain text: VS Code closes `<!--` with `-->` by itself, and front matter needs no closing.
    return KINDS.map((k, i) => ({
      label: `phasegate-${k}`,
      kind: CompletionItemKind.Keyword,
      detail: 'Phasegate directive',
      documentation: { kind: MarkupKind.Markdown, value: KIND_HELP[k] },
      sortText: String(i),
      textEdit: TextEdit.replace(LspRange.create(line, start, line, end), `phasegate-${k} `),
      command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
    }));
  }
  const kind = word.slice('phasegate-'.length) as DirectiveKind;
  if (!word.startsWith('phasegate-') || !KINDS.includes(kind) || rest === '' || /\s--(\s|$)/.test(rest)) return [];
  const typed = /(?<![a-z-])[a-z-]*$/.exec(rest)![0];
  const named = new Set(rest.split(/[\s,]+/).filter(Boolean));
  const end = wordEnd(src, ch);
  const range = LspRange.create(line, ch - typed.length, line, end);
  // Rules reported on the lines the directive covers come first (with how many times).
  const covers = coveredLines(kind, line, doc);
  const reported = new Map<string, number>();
  // As if no directive were there: the one being written may already silence what it is about.
  for (const d of t.svc.diagnoseWithoutDirectives(t.path)) {
    if (covers(d.range.start.line)) reported.set(d.code, (reported.get(d.code) ?? 0) + 1);
  }
  const most = [...reported].sort((a, b) => b[1] - a[1])[0]?.[0];
  return RULES.filter((r) => !DIRECTIVE_RULES.has(r.id) && (!named.has(r.id) || r.id === typed)).map((r) => {
    const n = reported.get(r.id);
    return {
      label: r.id,
      kind: CompletionItemKind.Value,
      detail: n ? `reported ${n}× where this directive applies` : `${r.severity} by default`,
      documentation: { kind: MarkupKind.Markdown, value: `${r.description}\n\n[Documentation](${ruleDocsUrl(r.id)})` },
      sortText: `${n ? 0 : 1}${r.id}`,
      preselect: r.id === most ? true : undefined,
      textEdit: TextEdit.replace(range, r.id),
    };
  });
}

/** Hover on a directive: its kind's meaning, or a rule's description and documentation link. */
export function directiveHover(doc: ParsedDocument, line: number, ch: number): { value: string; range: LspRange } | undefined {
  ch = clampCharacter(doc, line, ch);
  const d = suppressionsOf(doc)?.directives.find((x) => x.line === line && ch >= x.range.start.character && ch <= x.range.end.character);
  if (!d) return undefined;
  const rule = d.rules.find((r) => ch >= r.range.start.character && ch <= r.range.end.character);
  if (rule) {
    const info = ruleInfo(rule.id);
    const r = LspRange.create(line, rule.range.start.character, line, rule.range.end.character);
    if (!info) return { value: `\`${rule.id}\` is not a Phasegate rule.`, range: r };
    return { value: `**${info.id}** (${info.severity} by default)\n\n${info.description}\n\n[Documentation](${ruleDocsUrl(info.id)})`, range: r };
  }
  const why = d.reason ? `\n\nReason: ${d.reason}` : '';
  return { value: `**phasegate-${d.kind}** — ${KIND_HELP[d.kind]}${why}`, range: LspRange.create(line, d.range.start.character, line, d.range.end.character) };
}
