/** Typed view of the `phasegate.*` settings the client itself reads (the server reads its own through the LSP). */
import * as vscode from 'vscode';

export class Config {
  static readonly section = 'phasegate';

  private get cfg(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(Config.section);
  }

  /**
   * `phasegate.enable` for a resource: the setting is per folder. (The Phases view needs no check of its
   * own: the server says which folders it is turned off for.)
   */
  enableFor(uri: vscode.Uri): boolean {
    return vscode.workspace.getConfiguration(Config.section, uri).get<boolean>('enable', true);
  }

  get statusBar(): boolean {
    return this.cfg.get<boolean>('statusBar.enable', true);
  }

  /**
   * True when a change touches a setting the status bar reads itself: `statusBar.enable`, and `enable`
   * (per folder). The others are the server's (it announces what they change) or the client's
   * (`trace.server`, which changes nothing shown).
   */
  static affectsStatusBar(e: vscode.ConfigurationChangeEvent): boolean {
    return e.affectsConfiguration(`${Config.section}.statusBar`) || e.affectsConfiguration(`${Config.section}.enable`);
  }
}
