/** Document symbols (the section outline, bold labels standing for sections, front matter) and workspace symbols (phases and their documents). */
import { Connection, DocumentSymbol, Location, Range as LspRange, SymbolInformation, SymbolKind } from 'vscode-languageserver';
import * as YAML from 'yaml';
import type { LabelSection } from '../service/labels';
import { yamlOffsetRange } from '../service/markdown';
import type { ParsedDocument } from '../service/markdown';
import type { Position, Range } from '../service/types';
import type { ServerContext } from './context';
import { toClientRange } from './convert';
import { kindLabels } from './labels';
import { phaseTitle, statusLabel } from './phases';
import { checkDocumentParams, checkParams } from './params';

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
const holds = (outer: Range, inner: Range) => before(outer.start, inner.start) && before(inner.end, outer.end);

/** Most front matter keys in the outline, and how deep in mappings and lists it goes. */
const MAX_KEY_SYMBOLS = 1000;
const MAX_KEY_DEPTH = 8;
/** Longest value shown beside its key. */
const MAX_DETAIL = 60;

/**
 * The keys of a front matter mapping as outline symbols (a mapping's keys under its key, a list's mappings under
 * their index, as problems name them: `approvals.1`), each over its key and value, selected on its key.
 */
function yamlSymbols(node: unknown, lines: string[], raw: string, budget: { left: number }, depth: number): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  if (depth > MAX_KEY_DEPTH) return out;
  const at = (a: number, b: number) => yamlOffsetRange(lines, 1, raw, a, b);
  const symbolOf = (name: string, keyRange: [number, number], value: unknown): DocumentSymbol | undefined => {
    if (budget.left-- <= 0) return undefined;
    let end = (value as { range?: [number, number, number] } | null)?.range?.[1] ?? keyRange[1];
    // A block collection's range runs through the line break after it.
    while (end > keyRange[1] && /\s/.test(raw[end - 1] ?? '')) end--;
    const children = YAML.isCollection(value) ? yamlSymbols(value, lines, raw, budget, depth + 1) : [];
    const scalar = YAML.isScalar(value) && value.value !== null ? String(value.value).replace(/\s+/g, ' ') : undefined;
    return {
      name: name || '""',
      detail: scalar && (scalar.length > MAX_DETAIL ? `${scalar.slice(0, MAX_DETAIL)}…` : scalar),
      kind: YAML.isMap(value) ? SymbolKind.Object : YAML.isSeq(value) ? SymbolKind.Array : SymbolKind.Property,
      range: at(keyRange[0], Math.max(end, keyRange[1])),
      // A list's item has no key: it is selected whole.
      selectionRange: at(keyRange[0], keyRange[0] === keyRange[1] ? Math.max(end, keyRange[1]) : keyRange[1]),
      children: children.length ? children : undefined,
    };
  };
  if (YAML.isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as { range?: [number, number, number] } | null;
      if (!YAML.isScalar(pair.key) || !key?.range) continue;
      const sym = symbolOf(String(pair.key.value), [key.range[0], key.range[1]], pair.value);
      if (!sym) break;
      out.push(sym);
    }
  } else if (YAML.isSeq(node)) {
    node.items.forEach((item, i) => {
      const r = (item as { range?: [number, number, number] } | null)?.range;
      // Only the items that hold keys: a list of words is the value of its key.
      if (!YAML.isCollection(item) || !r || budget.left <= 0) return;
      const sym = symbolOf(String(i), [r[0], r[0]], item);
      if (sym) out.push(sym);
    });
  }
  return out;
}

/**
 * The outline: the front matter, the sections by their headings, and the bold labels that stand for the
 * kind's sections (`labels`, see labels.ts), each under its enclosing heading, or under a label whose
 * section holds it (an item label in a label's list), among the heading's subsections in line order.
 */
export function documentSymbols(doc: ParsedDocument, labels: readonly LabelSection[] = []): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  const fm = doc.frontMatter;
  if (fm?.terminated) {
    const keys = fm.yaml && !fm.errors.length ? yamlSymbols(fm.yaml.contents, doc.lines, fm.raw, { left: MAX_KEY_SYMBOLS }, 0) : [];
    out.push({
      name: 'Front matter',
      kind: SymbolKind.Object,
      range: fm.range,
      selectionRange: LspRange.create(0, 0, 0, 3),
      children: keys.length ? keys : undefined,
    });
  }
  const headings = new Map<number, DocumentSymbol>();
  const build = (idx: number): DocumentSymbol => {
    const s = doc.sections[idx];
    const symbol: DocumentSymbol = {
      name: s.title || '(untitled)',
      detail: '#'.repeat(s.level),
      kind: s.level === 1 ? SymbolKind.Module : SymbolKind.String,
      range: s.range,
      selectionRange: s.heading.textRange,
      children: s.children.map(build),
    };
    headings.set(idx, symbol);
    return symbol;
  };
  doc.sections.forEach((s, i) => {
    if (s.parent === undefined) out.push(build(i));
  });
  if (!labels.length) return out;
  const labelled = new Set<DocumentSymbol>();
  const grown = new Set<DocumentSymbol[]>();
  for (const l of labels) {
    const parent = l.parent === undefined ? undefined : headings.get(l.parent);
    let range: Range = l.range;
    // Inside its heading's section (a label's section ends before the next heading: only a safeguard).
    if (parent && !before(range.end, parent.range.end)) range = { start: range.start, end: parent.range.end };
    if (parent && !holds(parent.range, range)) continue;
    let siblings = parent ? (parent.children ??= []) : out;
    for (;;) {
      const holder = siblings.find((x) => labelled.has(x) && holds(x.range, range));
      if (!holder) break;
      siblings = holder.children ??= [];
    }
    const symbol: DocumentSymbol = { name: l.title, detail: '**', kind: SymbolKind.String, range, selectionRange: l.heading.textRange, children: [] };
    labelled.add(symbol);
    siblings.push(symbol);
    grown.add(siblings);
  }
  for (const list of grown) list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return out;
}

/** Case-insensitive subsequence match, as editors filter symbols. */
export function matches(query: string, name: string): boolean {
  const q = query.toLowerCase().replace(/\s+/g, '');
  const n = name.toLowerCase();
  let i = 0;
  for (const c of n) if (i < q.length && c === q[i]) i++;
  return i === q.length;
}

export function workspaceSymbols(ctx: ServerContext, query: string): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  for (const f of ctx.workspaces.all()) {
    if (!f.loaded) continue;
    const svc = f.svc;
    for (const p of svc.model.phases) {
      const title = phaseTitle(svc, p);
      const name = `${p.id}${title && title !== p.id ? ` — ${title}` : ''}`;
      if (matches(query, name)) {
        const entry = svc.phaseAnchor(p);
        out.push({
          name,
          kind: SymbolKind.Module,
          location: Location.create(ctx.uriOf(entry), LspRange.create(0, 0, 0, 0)),
          containerName: `${p.workstream ?? f.name} · ${statusLabel(svc.status(p))}`,
        });
      }
      for (const d of p.documents) {
        if (!d.exists) continue;
        const dn = `${d.spec.file}`;
        if (!matches(query, `${p.id} ${dn}`) && !matches(query, dn)) continue;
        out.push({ name: dn, kind: SymbolKind.File, location: Location.create(ctx.uriOf(d.path), LspRange.create(0, 0, 0, 0)), containerName: p.id });
      }
    }
  }
  return out;
}

export function registerSymbols(connection: Connection, ctx: ServerContext): void {
  connection.onDocumentSymbol((params, token) =>
    ctx.safe('documentSymbol', [] as DocumentSymbol[], async () => {
      checkDocumentParams('textDocument/documentSymbol', params);
      const t = await ctx.target(params.textDocument.uri);
      if (!t?.doc || token.isCancellationRequested) return [];
      const symbols = documentSymbols(
        t.doc,
        kindLabels(t.svc, t.path, t.doc).map((l) => l.section),
      );
      // The first line of a text with a byte order mark: the engine's positions are one unit short (see toClientRange).
      if (!ctx.hasBom(t.uri)) return symbols;
      const shift = (s: DocumentSymbol): DocumentSymbol => ({
        ...s,
        range: toClientRange(s.range, true),
        selectionRange: toClientRange(s.selectionRange, true),
        children: s.children?.map(shift),
      });
      return symbols.map(shift);
    }),
  );
  connection.onWorkspaceSymbol((params, token) =>
    ctx.safe('workspaceSymbol', [] as SymbolInformation[], async () => {
      checkParams('workspace/symbol', params, { query: { kind: 'string' } });
      await ctx.workspaces.allReady();
      // A phase's title is its brief's or prompt's: an edit of it still waiting (debounced) counts.
      await ctx.upToDate(ctx.workspaces.all());
      if (token.isCancellationRequested) return [];
      return workspaceSymbols(ctx, params.query);
    }),
  );
}
