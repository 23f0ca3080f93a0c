/**
 * Completion: front matter keys and values from the kind's schema, the kind's missing
 * section headings after `## `, phase ids, and relative paths inside `](`.
 */
import {
  CompletionItem,
  CompletionItemKind,
  CompletionParams,
  Connection,
  InsertTextFormat,
  MarkupKind,
  Range as LspRange,
  TextEdit,
} from 'vscode-languageserver';
import { dirname, joinPath } from '../service/host';
import { expandTitle } from '../service/layout';
import { normalizeTitle, ParsedDocument } from '../service/markdown';
import { kindOf } from '../service/workspace';
import type { ServerContext, Target } from './context';
import { schemaProperties } from './schema';

export const COMPLETION_TRIGGERS = ['#', ' ', ':', '(', '/'];

/** Where the cursor is relative to the front matter: `inside` between the fences. */
export function inFrontMatter(doc: ParsedDocument, line: number): boolean {
  const fm = doc.frontMatter;
  if (!fm) return false;
  if (!fm.terminated) return line > 0;
  return line > fm.startLine && line < fm.endLine;
}

/** The top-level front matter key a line belongs to (the line's own, or the one above a list item). */
export function frontMatterKeyAt(doc: ParsedDocument, line: number): { key: string; own: boolean } | undefined {
  for (let l = line; l > 0; l--) {
    const src = doc.lines[l] ?? '';
    const m = /^([A-Za-z_][\w-]*)\s*:/.exec(src);
    if (m) return { key: m[1], own: l === line };
    if (l !== line && !/^\s/.test(src) && src.trim() !== '') return undefined;
  }
  return undefined;
}

function yamlScalar(v: unknown): string {
  if (typeof v === 'string') return /^[\w][\w .-]*$/.test(v) && !/^(true|false|null|yes|no|on|off|~)$/i.test(v) && !/^\d/.test(v) ? v : JSON.stringify(v);
  return String(v);
}

function frontMatterItems(t: Target, line: number, ch: number): CompletionItem[] {
  const doc = t.doc!;
  const src = doc.lines[line] ?? '';
  const before = src.slice(0, ch);
  const { spec } = kindOf(t.svc.model, t.path);
  const props = schemaProperties(t.svc, spec);
  const keyOnly = /^([A-Za-z_][\w-]*)?$/.exec(before);
  if (keyOnly) {
    const present = new Set<string>();
    for (let l = 1; l < doc.lines.length && (!doc.frontMatter?.terminated || l < doc.frontMatter.endLine); l++) {
      const m = /^([A-Za-z_][\w-]*)\s*:/.exec(doc.lines[l]);
      if (m && l !== line) present.add(m[1]);
    }
    const wordEnd = ch + (/^[\w-]*/.exec(src.slice(ch))?.[0].length ?? 0);
    const range = LspRange.create(line, 0, line, wordEnd);
    return props
      .filter((p) => !present.has(p.name))
      .map((p, i) => ({
        label: p.name,
        kind: CompletionItemKind.Property,
        detail: `${p.type ?? 'value'}${p.required ? ' (required)' : ''}`,
        documentation: p.description ? { kind: MarkupKind.Markdown, value: p.description } : undefined,
        sortText: String(i).padStart(3, '0'),
        textEdit: TextEdit.replace(range, `${p.name}: `),
        command: p.enumValues.length || p.name === 'phase' ? { title: 'Suggest', command: 'editor.action.triggerSuggest' } : undefined,
      }));
  }
  const at = frontMatterKeyAt(doc, line);
  if (!at) return [];
  const valueStart = at.own ? (/^[\w-]+\s*:\s*/.exec(src)?.[0].length ?? ch) : (/^\s*-\s*/.exec(src)?.[0].length ?? ch);
  if (ch < valueStart) return [];
  const range = LspRange.create(line, valueStart, line, src.length);
  const prop = props.find((p) => p.name === at.key);
  const values: { label: string; doc?: string }[] = [];
  if (at.key === 'phase' || at.key === 'next' || at.key === 'previous') {
    for (const p of t.svc.model.phases) values.push({ label: p.id, doc: `${p.title} (${p.layout.name})` });
  }
  for (const v of prop?.enumValues ?? []) values.push({ label: yamlScalar(v) });
  return values.map((v, i) => ({
    label: v.label,
    kind: CompletionItemKind.EnumMember,
    detail: prop?.description,
    documentation: v.doc,
    sortText: String(i).padStart(3, '0'),
    textEdit: TextEdit.replace(range, v.label),
  }));
}

function headingItems(t: Target, line: number, ch: number): CompletionItem[] {
  const doc = t.doc!;
  const src = doc.lines[line] ?? '';
  const m = /^(##)\s+/.exec(src);
  if (!m || ch < m[0].length) return [];
  const { phase, spec } = kindOf(t.svc.model, t.path);
  if (!spec) return [];
  const present = new Set(doc.sections.filter((s) => s.heading.line !== line).map((s) => s.key));
  const range = LspRange.create(line, m[0].length, line, src.length);
  return spec.sections
    .map((s) => ({ s, title: expandTitle(s.title, phase?.number) }))
    .filter(({ title }) => !present.has(normalizeTitle(title)))
    .map(({ s, title }, i) => ({
      label: title,
      kind: CompletionItemKind.Module,
      detail: s.required === false ? 'optional section' : 'required section',
      documentation: s.description ? { kind: MarkupKind.Markdown, value: s.description } : undefined,
      sortText: String(i).padStart(3, '0'),
      filterText: title,
      textEdit: TextEdit.replace(range, title),
    }));
}

async function pathItems(t: Target, line: number, ch: number): Promise<CompletionItem[]> {
  const src = t.doc!.lines[line] ?? '';
  const m = /\]\(<?([^)\s>]*)$/.exec(src.slice(0, ch));
  if (!m) return [];
  const typed = m[1];
  if (/^[a-z][\w+.-]*:/i.test(typed) || typed.startsWith('#')) return [];
  const slash = typed.lastIndexOf('/');
  const dirPart = slash >= 0 ? typed.slice(0, slash + 1) : '';
  const base = typed.startsWith('/') ? joinPath(t.folder.path, dirPart) : joinPath(dirname(t.path), dirPart);
  let entries;
  try {
    entries = await t.svc.fs.readDirectory(base);
  } catch {
    return [];
  }
  const range = LspRange.create(line, ch - (typed.length - dirPart.length), line, ch);
  const showHidden = typed.slice(dirPart.length).startsWith('.');
  return entries
    .filter((e) => (e.kind === 'file' || e.kind === 'directory') && (showHidden || !e.name.startsWith('.')) && e.name !== 'node_modules')
    .filter((e) => joinPath(base, e.name) !== t.path)
    .sort((a, b) => (a.kind === b.kind ? (a.name < b.name ? -1 : 1) : a.kind === 'directory' ? -1 : 1))
    .map((e, i) => {
      const dir = e.kind === 'directory';
      const text = dir ? `${e.name}/` : e.name;
      return {
        label: text,
        kind: dir ? CompletionItemKind.Folder : CompletionItemKind.File,
        sortText: String(i).padStart(4, '0'),
        textEdit: TextEdit.replace(range, text),
        command: dir ? { title: 'Suggest', command: 'editor.action.triggerSuggest' } : undefined,
      };
    });
}

function phaseIdItems(t: Target, line: number, ch: number): CompletionItem[] {
  const src = t.doc!.lines[line] ?? '';
  const m = /(?:^|[\s([`'"])([A-Za-z][\w/.-]*)$/.exec(src.slice(0, ch));
  if (!m) return [];
  const typed = m[1].toLowerCase();
  if (typed.length < 2) return [];
  const range = LspRange.create(line, ch - m[1].length, line, ch);
  return t.svc.model.phases
    .filter((p) => p.id.toLowerCase().startsWith(typed) && p.id.toLowerCase() !== typed)
    .map((p) => ({
      label: p.id,
      kind: CompletionItemKind.Reference,
      detail: `${p.title} (${p.layout.name} phase)`,
      textEdit: TextEdit.replace(range, p.id),
      insertTextFormat: InsertTextFormat.PlainText,
    }));
}

export async function complete(t: Target, line: number, ch: number): Promise<CompletionItem[]> {
  if (!t.doc) return [];
  if (inFrontMatter(t.doc, line)) return frontMatterItems(t, line, ch);
  if (t.doc.codeLines.has(line)) return [];
  const headings = headingItems(t, line, ch);
  if (headings.length || /^##\s/.test(t.doc.lines[line] ?? '')) return headings;
  const paths = await pathItems(t, line, ch);
  if (paths.length || /\]\(<?[^)\s>]*$/.test((t.doc.lines[line] ?? '').slice(0, ch))) return paths;
  return phaseIdItems(t, line, ch);
}

export function registerCompletion(connection: Connection, ctx: ServerContext): void {
  connection.onCompletion((params: CompletionParams, token) =>
    ctx.safe('completion', [] as CompletionItem[], async () => {
      const t = await ctx.target(params.textDocument.uri);
      if (!t || token.isCancellationRequested) return [];
      return complete(t, params.position.line, params.position.character);
    }),
  );
}
