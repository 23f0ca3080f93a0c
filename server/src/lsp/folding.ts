/**
 * Folding ranges: sections, bold labels standing for sections (see labels.ts), the front matter,
 * checklists (runs of task items) and code blocks.
 */
import { Connection, FoldingRange, FoldingRangeKind } from 'vscode-languageserver';
import type { LabelSection } from '../service/labels';
import type { ParsedDocument } from '../service/markdown';
import type { ServerContext } from './context';
import { kindLabels } from './labels';
import { checkDocumentParams } from './params';

export function foldingRanges(doc: ParsedDocument, labels: readonly LabelSection[] = []): FoldingRange[] {
  const out: FoldingRange[] = [];
  const fm = doc.frontMatter;
  if (fm?.terminated && fm.endLine > 0) out.push({ startLine: 0, endLine: fm.endLine, collapsedText: 'front matter' });
  for (const s of doc.sections) {
    if (s.range.end.line > s.heading.line) out.push({ startLine: s.heading.line, endLine: s.range.end.line, kind: FoldingRangeKind.Region });
  }
  // A checklist: consecutive top-level task items of one section.
  let run: { start: number; end: number; section: number | undefined } | undefined;
  const close = () => {
    // markdown-it counts the blank line after a list into its last item.
    while (run && run.end > run.start && (doc.lines[run.end] ?? '').trim() === '') run.end--;
    if (run && run.end > run.start) out.push({ startLine: run.start, endLine: run.end, collapsedText: 'checklist' });
    run = undefined;
  };
  for (const it of doc.items) {
    if (it.checked === undefined) {
      if (it.depth === 0) close();
      continue;
    }
    if (run && run.section === it.section && it.line <= run.end + 2) run.end = Math.max(run.end, it.endLine);
    else {
      close();
      run = { start: it.line, end: it.endLine, section: it.section };
    }
  }
  close();
  for (const c of doc.codeBlocks) if (c.endLine > c.line) out.push({ startLine: c.line, endLine: c.endLine });
  // A label's section over several lines, unless a range starts on its line already (none should: a label's line is no heading, task item or fence).
  const starts = new Set(out.map((f) => f.startLine));
  for (const l of labels) {
    const end = l.range.end.line;
    if (end > l.heading.line && !starts.has(l.heading.line)) out.push({ startLine: l.heading.line, endLine: end, kind: FoldingRangeKind.Region });
  }
  return out;
}

export function registerFolding(connection: Connection, ctx: ServerContext): void {
  connection.onFoldingRanges((params, token) =>
    ctx.safe('foldingRanges', [] as FoldingRange[], async () => {
      checkDocumentParams('textDocument/foldingRange', params);
      const t = await ctx.target(params.textDocument.uri);
      if (!t?.doc || token.isCancellationRequested) return [];
      return foldingRanges(
        t.doc,
        kindLabels(t.svc, t.path, t.doc).map((l) => l.section),
      );
    }),
  );
}
