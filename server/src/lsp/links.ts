/** Document links (relative links and backticked paths, resolved) and go-to-definition (links, phase ids). */
import { Connection, DefinitionParams, DocumentLink, DocumentLinkParams, Location, Range as LspRange } from 'vscode-languageserver';
import type { ServerContext, Target } from './context';
import { codePathAt, codePaths, linkAt, phaseEntry, phaseRefAt, resolveTarget } from './phases';

/** Where a resolved path leads: a phase folder opens the phase's first document. */
function destination(t: Target, path: string): string | undefined {
  const phase = t.svc.model.byFolder.get(path);
  if (phase) return phaseEntry(t.svc, phase);
  return t.svc.exists(path) ? path : undefined;
}

export function documentLinks(ctx: ServerContext, t: Target): DocumentLink[] {
  const doc = t.doc;
  if (!doc) return [];
  const out: DocumentLink[] = [];
  for (const l of doc.links) {
    const p = resolveTarget(t.folder.path, t.path, l.target);
    const dest = p && destination(t, p);
    if (!dest) continue;
    out.push({ range: l.targetRange, target: ctx.uriOf(dest), tooltip: l.target });
  }
  for (const c of codePaths(doc)) {
    const p = resolveTarget(t.folder.path, t.path, c.text);
    const dest = p && destination(t, p);
    if (!dest) continue;
    out.push({ range: LspRange.create(c.line, c.start, c.line, c.end), target: ctx.uriOf(dest), tooltip: c.text });
  }
  return out;
}

export function definition(ctx: ServerContext, t: Target, line: number, ch: number): Location[] {
  const doc = t.doc;
  if (!doc) return [];
  const at = (path: string) => [Location.create(ctx.uriOf(path), LspRange.create(0, 0, 0, 0))];
  const link = linkAt(doc, line, ch);
  const code = link ? undefined : codePathAt(doc, line, ch);
  const target = link?.target ?? code?.text;
  if (target) {
    const p = resolveTarget(t.folder.path, t.path, target);
    const dest = p && destination(t, p);
    if (dest) return at(dest);
  }
  const ref = phaseRefAt(t.svc, t.path, doc, line, ch);
  if (ref) return at(phaseEntry(t.svc, ref.phase));
  return [];
}

export function registerLinks(connection: Connection, ctx: ServerContext): void {
  connection.onDocumentLinks((params: DocumentLinkParams, token) =>
    ctx.safe('documentLinks', [] as DocumentLink[], async () => {
      const t = await ctx.target(params.textDocument.uri);
      if (!t || token.isCancellationRequested) return [];
      return documentLinks(ctx, t);
    }),
  );
  connection.onDefinition((params: DefinitionParams, token) =>
    ctx.safe('definition', [] as Location[], async () => {
      const t = await ctx.target(params.textDocument.uri);
      if (!t || token.isCancellationRequested) return [];
      return definition(ctx, t, params.position.line, params.position.character);
    }),
  );
}
