/** Document symbols (the section outline, front matter) and workspace symbols (phases and their documents). */
import { Connection, DocumentSymbol, Location, Range as LspRange, SymbolInformation, SymbolKind } from 'vscode-languageserver';
import type { ParsedDocument } from '../service/markdown';
import type { ServerContext } from './context';
import { phaseTitle, statusLabel } from './phases';

export function documentSymbols(doc: ParsedDocument): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  const fm = doc.frontMatter;
  if (fm?.terminated) out.push({ name: 'Front matter', kind: SymbolKind.Object, range: fm.range, selectionRange: LspRange.create(0, 0, 0, 3) });
  const build = (idx: number): DocumentSymbol => {
    const s = doc.sections[idx];
    return {
      name: s.title || '(untitled)',
      detail: '#'.repeat(s.level),
      kind: s.level === 1 ? SymbolKind.Module : SymbolKind.String,
      range: s.range,
      selectionRange: s.heading.textRange,
      children: s.children.map(build),
    };
  };
  doc.sections.forEach((s, i) => {
    if (s.parent === undefined) out.push(build(i));
  });
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
      const t = await ctx.target(params.textDocument.uri);
      if (!t?.doc || token.isCancellationRequested) return [];
      return documentSymbols(t.doc);
    }),
  );
  connection.onWorkspaceSymbol((params, token) =>
    ctx.safe('workspaceSymbol', [] as SymbolInformation[], async () => {
      await ctx.workspaces.allReady();
      if (token.isCancellationRequested) return [];
      return workspaceSymbols(ctx, params.query);
    }),
  );
}
