/**
 * Code actions around `phasegate-disable…` directives: silence a problem for its line or for the
 * whole file (offered for every problem, never part of a fix-all), remove a directive that silences
 * nothing, and correct a misspelt rule id in one.
 */
import { ParsedDocument, parseDocument } from '../markdown';
import type { PhasegateService } from '../service';
import { DIRECTIVE_RULES, DirectiveKind, suppressionsOf } from '../suppress';
import type { CodeAction, Diagnostic, TextEdit } from '../types';
import { range } from '../types';
import type { Fix } from './fix';

/** Diagnostics a directive cannot silence: its own rules, and those not reported by a rule on a line. */
const NOT_SILENCED = new Set([...DIRECTIVE_RULES, 'too-many-problems', 'unreadable-file', 'invalid-config']);

/** A digest of what the rules read from a document: a directive inserted must leave it as it was. */
function shape(doc: ParsedDocument): string {
  return JSON.stringify([
    doc.frontMatter ? [doc.frontMatter.data ?? null, doc.frontMatter.errors.length] : null,
    doc.headings.map((h) => [h.level, h.text]),
    doc.items.map((i) => [i.text, i.checked ?? null, i.depth]),
    doc.tables.map((t) => [t.header.map((c) => c.text), t.rows.map((r) => r.cells.map((c) => c.text))]),
    doc.codeBlocks.map((c) => c.content),
    doc.links.map((l) => l.target),
  ]);
}

/** The document's text with `text` inserted as a line before `line`. */
function withLine(doc: ParsedDocument, line: number, text: string): string {
  const lines = doc.lines.slice();
  lines.splice(line, 0, text);
  return lines.join(doc.eol);
}

/**
 * Whether inserting `text` as line `line` gives a directive of `kind` there that the engine reads,
 * and changes nothing else the rules read (a comment line inside a table would end it, one inside a
 * code block would be code, one inside a multi-line YAML value would be part of it).
 */
function insertsCleanly(doc: ParsedDocument, line: number, text: string, kind: DirectiveKind): boolean {
  const after = parseDocument(withLine(doc, line, text));
  if (!suppressionsOf(after)?.directives.some((d) => d.line === line && d.kind === kind)) return false;
  return shape(after) === shape(doc);
}

function leading(text: string): string {
  return /^[ \t]*/.exec(text)![0];
}

/** Indentations to try for a Markdown comment before `line`: inside the previous sibling list item (keeping the list whole), then the line's own. */
function indentsFor(doc: ParsedDocument, line: number): string[] {
  const own = leading(doc.lines[line] ?? '');
  const item = doc.items.find((i) => i.line === line);
  if (!item) return [own];
  for (let k = doc.items.indexOf(item) - 1; k >= 0; k--) {
    const prev = doc.items[k];
    if (prev.depth < item.depth) break;
    if (prev.depth > item.depth) continue;
    // Only an item of the same list: one whose block runs up to this line (not one of an earlier list).
    if (prev.endLine + 1 < line) break;
    const column = prev.checkboxRange?.start.character ?? prev.textRange.start.character;
    return [' '.repeat(column), own];
  }
  return [own];
}

function action(title: string, diag: Diagnostic, edit: TextEdit): CodeAction {
  return { title, codes: [diag.code], change: { edits: [{ file: diag.file, edits: [edit] }], creates: [] } };
}

/** `Disable <rule> for this line` and `… for this file`, where a directive can be written safely. */
export function suppressActions(svc: PhasegateService, diag: Diagnostic): CodeAction[] {
  if (NOT_SILENCED.has(diag.code) || !/\.(md|markdown)$/i.test(diag.file)) return [];
  const doc = svc.getDocument(diag.file);
  if (!doc) return [];
  const out: CodeAction[] = [];
  const line = diag.range.start.line;
  const fm = doc.frontMatter;
  const inFrontMatter = fm !== undefined && line > fm.startLine && (!fm.terminated || line < fm.endLine);
  const candidates = inFrontMatter
    ? [`${leading(doc.lines[line] ?? '')}# phasegate-disable-next-line ${diag.code}`]
    : indentsFor(doc, line).map((indent) => `${indent}<!-- phasegate-disable-next-line ${diag.code} -->`);
  if (line < doc.lines.length && !(fm && !inFrontMatter && line <= fm.endLine)) {
    const text = candidates.find((c) => insertsCleanly(doc, line, c, 'disable-next-line'));
    if (text !== undefined) {
      out.push(action(`Disable ${diag.code} for this line`, diag, { range: range(line, 0, line, 0), newText: text + doc.eol }));
    }
  }
  // For the file: after the front matter (before the first line without one); not with front matter left open.
  if (!fm || fm.terminated) {
    const at = fm ? fm.endLine + 1 : 0;
    const text = `<!-- phasegate-disable-file ${diag.code} -->`;
    if (insertsCleanly(doc, at, text, 'disable-file')) {
      out.push(action(`Disable ${diag.code} for this file`, diag, { range: range(at, 0, at, 0), newText: text + doc.eol }));
    }
  }
  return out;
}

/** Removes a directive that silences nothing, or the one rule of it that does not. */
const removeDirective: Fix = (svc, diag) => {
  const d = diag.data as { line: number; rule: string | null } | undefined;
  const doc = svc.getDocument(diag.file);
  if (!d || !doc) return undefined;
  const directive = suppressionsOf(doc)?.directives.find(
    (x) => x.line === d.line && (d.rule === null ? x.rules.length === 0 : x.rules.some((r) => r.id === d.rule)),
  );
  if (!directive) return undefined;
  const edit = (r: TextEdit['range'], title: string): CodeAction => ({
    title,
    codes: [diag.code],
    isPreferred: true,
    change: { edits: [{ file: diag.file, edits: [{ range: r, newText: '' }] }], creates: [] },
  });
  const i = d.rule === null ? -1 : directive.rules.findIndex((r) => r.id === d.rule);
  if (i >= 0 && directive.rules.length > 1) {
    const rules = directive.rules;
    const r =
      i > 0
        ? range(d.line, rules[i - 1].range.end.character, d.line, rules[i].range.end.character)
        : range(d.line, rules[0].range.start.character, d.line, rules[1].range.start.character);
    return edit(r, `Remove ${d.rule} from the directive`);
  }
  const src = doc.lines[d.line] ?? '';
  const { start, end } = directive.range;
  const before = src.slice(0, start.character);
  const rest = src.slice(end.character);
  const title = `Remove the unused phasegate-${directive.kind} directive`;
  // The whole line when the comment is all it holds; else the comment and the spaces before it.
  if (before.trim() === '' && rest.trim() === '')
    return edit(d.line + 1 < doc.lines.length ? range(d.line, 0, d.line + 1, 0) : range(d.line, 0, d.line, src.length), title);
  return edit(range(d.line, before.trimEnd().length, d.line, end.character), title);
};

/** Replaces a misspelt rule id in a directive with the known one it is nearest to. */
const replaceRuleId: Fix = (svc, diag) => {
  const d = diag.data as { replacement: string } | undefined;
  if (!d) return undefined;
  return {
    title: `Change to ${d.replacement}`,
    codes: [diag.code],
    isPreferred: true,
    change: { edits: [{ file: diag.file, edits: [{ range: diag.range, newText: d.replacement }] }], creates: [] },
  };
};

export const SUPPRESS_FIXES: Record<string, Fix> = {
  'remove-directive': removeDirective,
  'replace-rule-id': replaceRuleId,
};
