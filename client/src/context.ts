/**
 * Owns the language client, the views and every disposable of the extension.
 * The client is restarted (settings, trust grant, command) without re-registering the views and commands.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, State, TransportKind } from 'vscode-languageclient/node';
import type { RequestType } from 'vscode-languageclient/node';
import { DidChangePhasesNotification, PhasegateInitializationOptions } from '../../server/src/protocol';
import { Config } from './config';
import { PhasesChange, PhaseTreeNode, PhaseTreeProvider } from './tree';
import { PhaseStatusBar } from './statusBar';
import { registerCommands } from './commands';

export class PhasegateContext implements vscode.Disposable {
  readonly config = new Config();
  readonly output: vscode.LogOutputChannel;
  readonly tree: PhaseTreeProvider;
  readonly treeView: vscode.TreeView<PhaseTreeNode>;
  /** One watcher for every client the context starts: restarts must not leak watchers. */
  private readonly watcher: vscode.FileSystemWatcher;
  readonly statusBar: PhaseStatusBar;
  private client: LanguageClient | undefined;
  private readonly phasesChanged = new vscode.EventEmitter<PhasesChange>();
  /**
   * Fires when the server says phases, gates or problem counts may have changed (with the server's
   * phases version), after each (re)start and when the views' settings or folders change (without one).
   */
  readonly onDidChangePhases = this.phasesChanged.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    const subs = extension.subscriptions;
    // A log channel (vscode-languageclient 11 requires one); protocol traces show at its Trace level.
    this.output = vscode.window.createOutputChannel('Phasegate', { log: true });
    this.tree = new PhaseTreeProvider(this);
    this.treeView = vscode.window.createTreeView('phasegate.phases', { treeDataProvider: this.tree, showCollapseAll: true });
    this.statusBar = new PhaseStatusBar(this);
    // Every file event: a created or deleted folder (03-FINDINGS/, a whole phase) changes the phase model too.
    this.watcher = vscode.workspace.createFileSystemWatcher('**/*');
    subs.push(this.output, this.treeView, this.tree, this.statusBar, this.phasesChanged, this.watcher, this);
    registerCommands(this);
    subs.push(
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.restart()),
      // The server re-reads its settings itself (workspace/didChangeConfiguration); the views re-fetch what it reports.
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (Config.affectsViews(e)) this.phasesChanged.fire({});
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.phasesChanged.fire({})),
    );
  }

  get running(): boolean {
    return this.client?.isRunning() ?? false;
  }

  async start(): Promise<void> {
    if (this.client) return;
    const module = this.extension.asAbsolutePath(path.join('dist', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
    };
    const initializationOptions: PhasegateInitializationOptions = { trusted: vscode.workspace.isTrusted, keepsUnreportedDiagnostics: true };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'markdown' },
        { scheme: 'file', pattern: '**/{phasegate.yaml,phasegate.yml,.phasegate.yaml}' },
      ],
      synchronize: { fileEvents: this.watcher },
      initializationOptions,
      outputChannel: this.output,
      traceOutputChannel: this.output,
    };
    const client = new LanguageClient('phasegate', 'Phasegate', serverOptions, clientOptions);
    this.client = client;
    client.onNotification(DidChangePhasesNotification, (p) => this.phasesChanged.fire({ version: p.version }));
    // After a crash the client starts the server again, which numbers its changes and answers anew:
    // the views fetch its whole tree (the first start fires below).
    let started = false;
    client.onDidChangeState((e) => {
      if (e.newState !== State.Running) return;
      if (started) this.phasesChanged.fire({});
      started = true;
    });
    try {
      await client.start();
    } catch (e) {
      this.output.error(`Phasegate server failed to start: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(`Phasegate: the language server did not start (${(e as Error).message}).`, 'Show Output').then((a) => {
        if (a) this.output.show();
      });
    }
    this.phasesChanged.fire({});
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client?.isRunning()) await client.stop();
    else await client?.dispose();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Sends a request (a typed one from protocol.ts, or a method name); rejects while the server is not running. */
  async request<P, R>(type: RequestType<P, R, void> | string, params: P): Promise<R> {
    const client = this.client;
    if (!client || !client.isRunning()) throw new Error('the Phasegate language server is not running');
    // RequestParam<P> is a conditional type that TS cannot resolve for a generic P; the signature above keeps callers typed.
    return typeof type === 'string' ? client.sendRequest<R>(type, params) : client.sendRequest(type, params as never);
  }

  /** Converts a protocol WorkspaceEdit into the editor's. */
  async asWorkspaceEdit(edit: Parameters<LanguageClient['protocol2CodeConverter']['asWorkspaceEdit']>[0]): Promise<vscode.WorkspaceEdit | undefined> {
    if (!this.client) return undefined;
    return this.client.protocol2CodeConverter.asWorkspaceEdit(edit);
  }

  dispose(): void {
    void this.stop();
  }
}
