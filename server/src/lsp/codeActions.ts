/** Code actions: the engine's quick fix of each diagnostic in range, and `source.fixAll.phasegate`. */
import { CodeAction as LspCodeAction, CodeActionKind, CodeActionParams, Connection, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import { checkTogether, codeActions, fixAllRepeated, suppressActions } from '../service/actions';
import type { CodeAction, Diagnostic, Range } from '../service/types';
import { comparePositions } from '../service/types';
import type { ServerContext } from './context';
import { fromClientRange, toClientRange, toLspDiagnostic, toWorkspaceEdit } from './convert';
import { Commands, SelectAfterFixArgs } from '../protocol';
import type { DiagnosticsFeature } from './diagnostics';
import { timeSlicer } from './yield';
import { checkDocumentParams } from './params';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.phasegate`;

function intersects(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

function wants(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(o + '.'));
}

/**
 * What makes two actions one (offered once, naming the problems of both): their title and their edit as the
 * client gets it. For an action of one edit in one file (a directive's), the file's URI and the edit's range
 * and text, of which `toWorkspaceEdit` makes that edit alone (the file's version and the range in the client's
 * text follow from them); for another, the JSON of its edit (which differs from any such one's: it creates a
 * file, or holds no edit or more than one). Performance only: the JSON of the edit of each of thousands of
 * actions in a selection was a tenth of the request.
 */
function sameKey(a: CodeAction, c: LspCodeAction, uriOf: (path: string) => string): string {
  const files = a.change.edits.filter((e) => e.edits.length);
  if (!a.change.creates.length && files.length === 1 && files[0].edits.length === 1) {
    const { range: r, newText } = files[0].edits[0];
    return JSON.stringify([c.title, uriOf(files[0].file), r.start.line, r.start.character, r.end.line, r.end.character, newText]);
  }
  return `J\u0000${c.title}\u0000${JSON.stringify(c.edit)}`;
}

export function registerCodeActions(connection: Connection, ctx: ServerContext, diagnostics: DiagnosticsFeature): void {
  connection.onCodeAction((params: CodeActionParams, token) =>
    ctx.safe('codeAction', [] as LspCodeAction[], async () => {
      checkDocumentParams('textDocument/codeAction', params, { range: true, context: 'codeAction' });
      // A handoff's problems and its fix (complete handoff) read the previous phase's documents: their edits still
      // waiting (debounced) count.
      await ctx.flushAll();
      const t = await ctx.target(params.textDocument.uri);
      if (!t) return [];
      // The version whose text the engine holds now (target applied the editor's latest text). The actions
      // edit that text and carry that version: when the document changes while they are computed (the
      // settings are asked of the client below), they would edit text that is gone, and none are given.
      const version = ctx.versionOf(t.uri);
      const changed = (): boolean => ctx.versionOf(t.uri) !== version;
      // Fresh engine diagnostics rather than the client's copies: they carry the fix data and match the current text.
      const diags = await diagnostics.engineDiagnostics(t.uri, token);
      if (token.isCancellationRequested) return [];
      if (changed()) throw new ResponseError(LSPErrorCodes.ContentModified, 'the document changed');
      const only = params.context.only;
      const out: LspCodeAction[] = [];
      const edits = {
        uriOf: (p: string) => ctx.uriOf(p),
        versionOf: (u: string) => (u === t.uri ? version : ctx.versionOf(u)),
        hasBom: (u: string) => ctx.hasBom(u),
      };
      // Positions of the client's text, in the engine's (without a byte order mark) and back.
      const bom = ctx.hasBom(t.uri);
      const asked = fromClientRange(params.range, bom);
      const convert = (a: CodeAction, kind: string, related: Diagnostic[]): LspCodeAction | undefined => {
        const edit = toWorkspaceEdit(a.change, edits, ctx.caps.documentChanges);
        if (!edit) return undefined;
        const action: LspCodeAction = { title: a.title, kind, edit };
        if (related.length) action.diagnostics = related.map((d) => toLspDiagnostic(d, bom));
        if (a.isPreferred) action.isPreferred = true;
        // A quick fix on its own (not Fix all): the client puts the cursor where the user goes on from it.
        if (a.select && kind === CodeActionKind.QuickFix && ctx.selectsAfterFix) {
          const uri = ctx.uriOf(a.select.file);
          const args: SelectAfterFixArgs = { uri, range: toClientRange(a.select.range, ctx.hasBom(uri)) };
          action.command = { title: 'Go to the inserted section', command: Commands.selectAfterFix, arguments: [args] };
        }
        return action;
      };
      // A selection over many problems takes long: the loops yield now and then, so that the client's
      // other requests and its cancellation are read, and stop when cancelled or when the text changed
      // meanwhile (the actions would edit the old text).
      const slice = timeSlicer();
      const pause = async (): Promise<void> => {
        const y = slice();
        if (y) await y;
        // File events may have come meanwhile: the engine is read again once they are applied.
        await t.folder.settled();
        if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
        if (changed()) throw new ResponseError(LSPErrorCodes.ContentModified, 'the document changed');
      };
      if (wants(only, CodeActionKind.QuickFix)) {
        const inRange = diags.filter((d) => intersects(d.range, asked));
        for (const d of inRange) {
          await pause();
          for (const a of codeActions(t.svc, [d])) {
            const c = convert(a, CodeActionKind.QuickFix, [d]);
            if (c) out.push(c);
          }
        }
        // Then, once per rule and line, the directives that silence a problem (after every repair); an action
        // the same for several lines (Disable … for this file) once, naming the problems it silences.
        const offered = new Set<string>();
        const same = new Map<string, LspCodeAction>();
        // The directives of them all tried out together first: one parse of the document, not one each.
        await checkTogether(t.svc, inRange, pause);
        for (const d of inRange) {
          const key = `${d.code} ${d.range.start.line}`;
          if (offered.has(key)) continue;
          offered.add(key);
          await pause();
          for (const a of suppressActions(t.svc, d)) {
            const c = convert(a, CodeActionKind.QuickFix, [d]);
            if (!c) continue;
            const id = sameKey(a, c, edits.uriOf);
            const first = same.get(id);
            if (first) first.diagnostics?.push(...(c.diagnostics ?? []));
            else {
              same.set(id, c);
              out.push(c);
            }
          }
        }
      }
      // Fix-all only when asked for by kind (on save, or the source action menu): it edits the whole file.
      if (only && wants(only, FIX_ALL_KIND)) {
        const all = fixAllRepeated(t.svc, t.path);
        const allowed = new Set(diags.map((d) => d.code));
        if (all && all.codes.some((c) => allowed.has(c))) {
          const c = convert(all, FIX_ALL_KIND, []);
          if (c) out.push(c);
        }
      }
      return out;
    }),
  );
}
