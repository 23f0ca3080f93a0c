/** Status bar item: the phase of the active editor and its gate summary; a click runs the gate check. */
import * as vscode from 'vscode';
import type { PhasegateContext } from './context';
import {
  GO_TO_GATE_CAUSE,
  PHASE_STATUS_LABEL,
  allPhases,
  appendGates,
  blockersMarkdown,
  escapeMd,
  gateCounts,
  isChecking,
  phaseAt,
  phaseTitleText,
} from './model';

/** Longer titles are cut in the status bar (the tooltip has them whole). */
const MAX_TITLE = 40;

export class PhaseStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('phasegate.phase', vscode.StatusBarAlignment.Left, 50);
  private readonly subs: vscode.Disposable[];

  constructor(private readonly ctx: PhasegateContext) {
    this.item.name = 'Phasegate Phase';
    this.subs = [vscode.window.onDidChangeActiveTextEditor(() => this.update()), ctx.tree.onDidLoad(() => this.update())];
  }

  /** The text shown, for tests. */
  get text(): string {
    return this.item.text;
  }

  /** Whether the item is shown, for tests. */
  get visible(): boolean {
    return this.shown;
  }

  private shown = false;

  update(): void {
    const editor = vscode.window.activeTextEditor;
    // The setting of the editor's own folder: Phasegate may be off in another one.
    const ref = editor && this.ctx.config.enableFor(editor.document.uri) ? phaseAt(this.ctx.tree.phases, editor.document.uri) : undefined;
    // `phasegate.inPhase` shows the editor's phase commands (package.json menus) only inside a phase.
    void vscode.commands.executeCommand('setContext', 'phasegate.inPhase', !!ref);
    if (!ref || !this.ctx.config.statusBar) {
      this.item.hide();
      this.shown = false;
      return;
    }
    const p = ref.phase;
    const { passed, total } = gateCounts(p);
    // Not checked yet (`checking`): no gates to count, neither passed nor failed.
    const checking = isChecking(p);
    const icon = checking ? '$(loading~spin)' : p.status === 'complete' ? '$(pass-filled)' : p.status === 'blocked' ? '$(error)' : '$(checklist)';
    const title = phaseTitleText(p);
    const shown = title && title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1).trimEnd()}…` : title;
    // Codicon syntax in a title stays text.
    this.item.text = `${icon} ${shown ? `${shown.replace(/\$\(/g, '$\u200b(')} · ` : ''}${p.id} · ${checking ? 'checking…' : `${passed}/${total} gates`}`;
    const md = new vscode.MarkdownString(undefined, true);
    // Its gate links go to what holds a gate; no other command runs from it.
    md.isTrusted = { enabledCommands: [GO_TO_GATE_CAUSE] };
    md.appendMarkdown(`**${escapeMd(title ?? p.id)}**${title ? ` (${escapeMd(p.id)})` : ''} — ${PHASE_STATUS_LABEL[p.status]}\n\n`);
    if (checking) md.appendMarkdown('Not checked yet: its gates show once Phasegate has checked it.\n\n');
    // Phases of the workspace still being checked (the first tree comes before every phase is checked).
    const pending = allPhases(this.ctx.tree.phases).filter((r) => isChecking(r.phase)).length;
    if (pending) md.appendMarkdown(`${pending} phase${pending === 1 ? ' is' : 's are'} still being checked.\n\n`);
    appendGates(md, p);
    const blockers = blockersMarkdown(p);
    if (blockers) md.appendMarkdown(`\n${blockers}\n`);
    md.appendMarkdown('\nClick to run the gate check.');
    this.item.tooltip = md;
    this.item.command = { command: 'phasegate.runGateCheck', title: 'Run Gate Check', arguments: [p.uri] };
    this.item.backgroundColor = p.status === 'blocked' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
    this.shown = true;
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose());
    this.item.dispose();
  }
}
