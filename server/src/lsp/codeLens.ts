/** Code lenses: each gate checklist heading shows its gate's status; a prompt's or response's title shows the phase status. */
import { CodeLens, Connection, Range as LspRange } from 'vscode-languageserver';
import { Commands, ShowGateArgs, ShowPhaseArgs } from '../protocol';
import { kindOf, phaseName } from '../service/workspace';
import { phaseStatus } from '../service/gates';
import type { ServerContext, Target } from './context';
import { statusLabel } from './phases';
import { pathToUri } from './uri';
import { checkDocumentParams } from './params';

const ICON: Record<string, string> = { passed: '✓', failed: '✗', pending: '…' };

export function codeLenses(t: Target): CodeLens[] {
  const doc = t.doc;
  if (!doc) return [];
  const { phase, spec } = kindOf(t.svc.model, t.path);
  if (!phase) return [];
  const out: CodeLens[] = [];
  const gates = t.svc.gates(phase);
  const phaseUri = pathToUri(phase.folder);
  for (const g of gates) {
    if (g.file !== t.path || g.line === undefined) continue;
    const checked = g.items.filter((i) => i.checked).length;
    const args: ShowGateArgs = { phaseUri, phaseId: phase.id, gate: g.name, status: g.status, checked, total: g.items.length };
    const why = g.status === 'passed' ? '' : g.reasons.length ? ` — ${g.reasons[0]}${g.reasons.length > 1 ? ` (+${g.reasons.length - 1})` : ''}` : '';
    out.push({
      range: LspRange.create(g.line, 0, g.line, 0),
      command: {
        title: `${ICON[g.status]} Gate ${g.name}: ${g.status} · ${checked}/${g.items.length} checked${why}`,
        command: Commands.showGate,
        arguments: [args],
      },
    });
  }
  if (spec && (spec.kind === 'prompt' || spec.kind === 'response')) {
    const h1 = doc.headings.find((h) => h.level === 1);
    if (h1) {
      const status = phaseStatus(t.svc, phase, gates);
      const passed = gates.filter((g) => g.status === 'passed').length;
      const args: ShowPhaseArgs = { phaseUri, phaseId: phase.id, status };
      out.push({
        range: LspRange.create(h1.line, 0, h1.line, 0),
        command: {
          title: `${phaseName(phase, true)}: ${statusLabel(status)} · gates ${passed}/${gates.length} passed`,
          command: Commands.showPhase,
          arguments: [args],
        },
      });
    }
  }
  return out;
}

export function registerCodeLens(connection: Connection, ctx: ServerContext): void {
  connection.onCodeLens((params, token) =>
    ctx.safe('codeLens', [] as CodeLens[], async () => {
      checkDocumentParams('textDocument/codeLens', params);
      const settings = await ctx.settings.get(params.textDocument.uri);
      if (!settings.enable || !settings.codeLens.enable) return [];
      // Gate status reads the phase's other documents too: their edits still waiting (debounced) count.
      await ctx.flushAll();
      const t = await ctx.target(params.textDocument.uri);
      if (!t || token.isCancellationRequested) return [];
      return codeLenses(t);
    }),
  );
}
