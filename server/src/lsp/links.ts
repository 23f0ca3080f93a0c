/**
 * Document links (relative links, reference-style links and their definitions, same-document anchors and
 * backticked paths, resolved) and go-to-definition (the same, and phase ids). A `#fragment` leads to the
 * heading it names, as broken-anchor reads it (`headingOfFragment`).
 */
import { Connection, DefinitionParams, DocumentLink, DocumentLinkParams, Location, Range as LspRange, ReferenceParams } from 'vscode-languageserver';
import type { Heading, ParsedDocument } from '../service/markdown';
import { headingOfFragment } from '../service/rules/doc-anchors';
import type { Range } from '../service/types';
import { maskedLine, referenceDefinitions, unescapeTarget } from '../service/rules/doc-util';
import { clampCharacter } from './completion';
import type { ServerContext, Target } from './context';
import { fromClientPosition, toClientRange } from './convert';
import { codePathAt, codePaths, linkAt, phaseEntry, phaseRefAt, resolveCodePath, resolveTarget } from './phases';
import { deliverableCounterparts } from '../service/deliverable-nav';
import { handoffCounterparts } from '../service/handoff-nav';
import { checkDocumentParams } from './params';

/** Where a resolved path leads: a phase folder opens the phase's first document. */
function destination(t: Target, path: string): string | undefined {
  const phase = t.svc.model.byFolder.get(path);
  if (phase) return phaseEntry(t.svc, phase);
  return t.svc.exists(path) ? path : undefined;
}

/** The `#fragment` of a link target, without the `#`; undefined when it has none. */
function fragmentOf(target: string): string | undefined {
  const i = target.indexOf('#');
  return i >= 0 ? target.slice(i + 1) : undefined;
}

/** Where a link target leads: a document, and the heading its fragment names when there is one. */
interface Destination {
  uri: string;
  heading: Heading | undefined;
  /** A line named with a backticked path (`src/app.ts:12`), 0-based. */
  line?: number;
}

/** A backticked path with a line (and column) after it: `src/app.ts:12`, `src/app.ts:12:5`. */
const WITH_LINE = /^(.+?):(\d+)(?::\d+)?$/;

/** Where a link target leads; a backticked path's (`code`) is looked for as missing-artifact looks (`resolveCodePath`). */
function resolveLink(ctx: ServerContext, t: Target, target: string, code = false): Destination | undefined {
  const doc = t.doc;
  const fragment = fragmentOf(target);
  if (target.startsWith('#')) {
    // A same-document anchor leads somewhere only when it names a heading.
    const heading = doc && fragment !== undefined ? headingOfFragment(doc, fragment) : undefined;
    return heading ? { uri: t.uri, heading } : undefined;
  }
  let line: number | undefined;
  const withLine = code ? WITH_LINE.exec(target) : null;
  if (withLine) {
    target = withLine[1];
    line = Math.max(0, Number(withLine[2]) - 1);
  }
  const p = code ? resolveCodePath(t.svc, t.folder.path, t.path, target) : resolveTarget(t.folder.path, t.path, target, t.svc);
  const dest = p && destination(t, p);
  if (!dest) return undefined;
  if (line !== undefined) return { uri: ctx.uriOf(dest), heading: undefined, line };
  // A fragment of a phase folder's link says nothing about the document it opens.
  const other = fragment && dest === p ? t.svc.getDocument(dest) : undefined;
  return { uri: ctx.uriOf(dest), heading: other && fragment ? headingOfFragment(other, fragment) : undefined };
}

/** A document link's target: the heading as `#L<line>` (1-based), which VS Code opens at that line. */
function linkTarget(d: Destination): string {
  const line = d.heading ? d.heading.line : d.line;
  return line !== undefined ? `${d.uri}#L${line + 1}` : d.uri;
}

/** A reference-style link (`[text][label]`, `[label][]`, `[label]`) whose label has a definition. */
interface ReferenceLink {
  label: string;
  target: string;
  range: Range;
}

const REFERENCE_RE = /\[([^\][\n]+)\](?:\[([^\][\n]*)\])?/g;

/** The reference-style links of a document and its reference definitions (`[label]: target`), each with its target. */
function referenceLinks(doc: ParsedDocument): { uses: ReferenceLink[]; definitions: ReferenceLink[] } {
  const defs = referenceDefinitions(doc);
  if (!defs.size) return { uses: [], definitions: [] };
  const definitions: ReferenceLink[] = [];
  const defLines = new Set<number>();
  for (const [label, d] of defs) {
    definitions.push({ label, target: d.target, range: LspRange.create(d.line, d.start, d.line, d.end) });
    defLines.add(d.line);
  }
  const uses: ReferenceLink[] = [];
  for (let line = 0; line < doc.lines.length; line++) {
    const raw = doc.lines[line];
    if (defLines.has(line) || doc.codeLines.has(line) || !raw.includes('[')) continue;
    // Inline links, inline code and comments masked (keeping columns).
    const src = maskedLine(doc, line);
    REFERENCE_RE.lastIndex = 0;
    for (let m = REFERENCE_RE.exec(src); m; m = REFERENCE_RE.exec(src)) {
      const label = (m[2] || m[1]).trim().toLowerCase();
      const def = defs.get(label);
      if (def) uses.push({ label, target: def.target, range: LspRange.create(line, m.index, line, m.index + m[0].length) });
    }
  }
  return { uses, definitions };
}

const within = (r: Range, line: number, ch: number) => r.start.line === line && ch >= r.start.character && ch <= r.end.character;

export function documentLinks(ctx: ServerContext, t: Target): DocumentLink[] {
  const doc = t.doc;
  // A document too large to be read as Markdown (document-too-large): its links are not read, nor its backticked
  // paths (its code blocks unknown, a path there would be taken for one). Looking for them line by line and
  // resolving each held the server for a second at each edit of 200,000 lines.
  if (!doc?.modelled) return [];
  const out: DocumentLink[] = [];
  const add = (range: Range, target: string, code = false) => {
    const d = resolveLink(ctx, t, target, code);
    if (d) out.push({ range, target: linkTarget(d), tooltip: target });
  };
  // A link's target as Markdown reads it (`02\-PLAN.md` is `02-PLAN.md`); a backticked path as written.
  for (const l of doc.links) add(l.targetRange, unescapeTarget(l.target));
  const refs = referenceLinks(doc);
  for (const r of [...refs.uses, ...refs.definitions]) add(r.range, unescapeTarget(r.target));
  for (const c of codePaths(doc)) add(LspRange.create(c.line, c.start, c.line, c.end), c.text, true);
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

export function definition(ctx: ServerContext, t: Target, line: number, ch: number): Location[] {
  const doc = t.doc;
  if (!doc) return [];
  ch = clampCharacter(doc, line, ch);
  const at = (d: Destination) => [Location.create(d.uri, d.heading ? d.heading.range : LspRange.create(d.line ?? 0, 0, d.line ?? 0, 0))];
  const link = linkAt(doc, line, ch);
  let target = link?.target;
  if (target === undefined) {
    const refs = referenceLinks(doc);
    target = [...refs.uses, ...refs.definitions].find((r) => within(r.range, line, ch))?.target;
  }
  const code = target === undefined ? codePathAt(doc, line, ch)?.text : undefined;
  target = target === undefined ? code : unescapeTarget(target);
  if (target) {
    const d = resolveLink(ctx, t, target, code !== undefined);
    if (d) return at(d);
  }
  const ref = phaseRefAt(t.svc, t.path, doc, line, ch);
  if (ref) return at({ uri: ctx.uriOf(phaseEntry(t.svc, ref.phase)), heading: undefined });
  // An item of a handoff or a deliverable: its match on the other side.
  return (counterpartsAt(t, line, ch)?.counterparts ?? []).map((c) => Location.create(ctx.uriOf(c.path), c.range));
}

/**
 * What is at a position and its matches on the other side: an item of a handoff and the output handoff item an input
 * comes from, or the input handoff items that receive an output handoff's item (handoff-nav.ts); a deliverable of the
 * prompt or the brief and the lines that address it, or a line of those and the deliverables it addresses
 * (deliverable-nav.ts).
 */
function counterpartsAt(t: Target, line: number, ch: number): ReturnType<typeof handoffCounterparts> {
  return handoffCounterparts(t.svc, t.path, line) ?? deliverableCounterparts(t.svc, t.path, line, ch);
}

/**
 * The references of the item of a handoff or the deliverable at `line`, `ch`: its matches on the other side (see
 * `counterpartsAt`), after the item itself when `withItem` (the client's includeDeclaration).
 */
export function references(ctx: ServerContext, t: Target, line: number, ch: number, withItem: boolean): Location[] {
  const found = t.doc ? counterpartsAt(t, line, clampCharacter(t.doc, line, ch)) : undefined;
  if (!found) return [];
  const out = found.counterparts.map((c) => Location.create(ctx.uriOf(c.path), c.range));
  return withItem ? [Location.create(ctx.uriOf(t.path), found.at), ...out] : out;
}

export function registerLinks(connection: Connection, ctx: ServerContext): void {
  connection.onDocumentLinks((params: DocumentLinkParams, token) =>
    ctx.safe('documentLinks', [] as DocumentLink[], async () => {
      checkDocumentParams('textDocument/documentLink', params);
      const t = await ctx.target(params.textDocument.uri);
      if (!t || token.isCancellationRequested) return [];
      const links = documentLinks(ctx, t);
      // The first line of a text with a byte order mark: the engine's positions are one unit short (see toClientRange).
      const bom = ctx.hasBom(t.uri);
      return bom ? links.map((l) => ({ ...l, range: toClientRange(l.range, true) })) : links;
    }),
  );
  connection.onDefinition((params: DefinitionParams, token) =>
    ctx.safe('definition', [] as Location[], async () => {
      checkDocumentParams('textDocument/definition', params, { position: true });
      // A handoff item or a deliverable leads to lines of other documents: their edits still waiting (debounced) count.
      await ctx.flushAll();
      const t = await ctx.target(params.textDocument.uri);
      if (!t || token.isCancellationRequested) return [];
      const at = fromClientPosition(params.position, ctx.hasBom(t.uri));
      return definition(ctx, t, at.line, at.character).map((l) => ({ ...l, range: toClientRange(l.range, ctx.hasBom(l.uri)) }));
    }),
  );
  connection.onReferences((params: ReferenceParams, token) =>
    ctx.safe('references', [] as Location[], async () => {
      checkDocumentParams('textDocument/references', params, { position: true, context: 'references' });
      // A handoff item or a deliverable leads to lines of other documents: their edits still waiting (debounced) count.
      await ctx.flushAll();
      const t = await ctx.target(params.textDocument.uri);
      if (!t || token.isCancellationRequested) return [];
      const at = fromClientPosition(params.position, ctx.hasBom(t.uri));
      return references(ctx, t, at.line, at.character, params.context?.includeDeclaration ?? false).map((l) => ({
        ...l,
        range: toClientRange(l.range, ctx.hasBom(l.uri)),
      }));
    }),
  );
}
