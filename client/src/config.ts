/** Typed view of the `phasegate.*` settings the client itself reads (the server reads its own through the LSP). */
import * as vscode from 'vscode';

export class Config {
  static readonly section = 'phasegate';

  private get cfg(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(Config.section);
  }

  /** `phasegate.enable` of the first workspace folder (the view and status bar follow it). */
  get enable(): boolean {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return vscode.workspace.getConfiguration(Config.section, folder).get<boolean>('enable', true);
  }

  get statusBar(): boolean {
    return this.cfg.get<boolean>('statusBar.enable', true);
  }

  /** True when a change touches a setting that changes what the views show. */
  static affectsViews(e: vscode.ConfigurationChangeEvent): boolean {
    return e.affectsConfiguration(Config.section);
  }
}
