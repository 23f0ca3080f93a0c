/**
 * Owns the language client, the views and every disposable of the extension.
 * The client is restarted (settings, trust grant, command) without re-registering the views and commands.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ErrorCodes, LanguageClient, LanguageClientOptions, ResponseError, ServerOptions, State, TransportKind } from 'vscode-languageclient/node';
import type { PartialResultParams, ProgressType, RequestType } from 'vscode-languageclient/node';
import { DidChangePhasesNotification, PhasegateInitializationOptions } from '../../server/src/protocol';
import { Config } from './config';
import { ActiveEditorReveal, PhasesChange, PhaseTreeNode, PhaseTreeProvider } from './tree';
import { PhaseStatusBar } from './statusBar';
import { registerCommands } from './commands';
import { exists } from './commands/apply';
import { CommandHandles } from './commandHandles';

/**
 * The language client, with one difference: a request that fails because the client stopped while the
 * request was on its way fails as one sent to a stopped client does (ConnectionInactive), which the
 * client's features answer with their default value instead of logging it and failing the provider.
 *
 * vscode-languageclient checks the client's state when a request enters `sendRequest`, then waits for the
 * connection; a `stop()` in between (VS Code deactivating the extension while the workbench still asks
 * for code actions as the window closes) makes that wait throw a plain `Error('Starting server failed')`,
 * which `handleFailedRequest` logs and rethrows: "provider FAILED" in the extension host log.
 */
class PhasegateLanguageClient extends LanguageClient {
  // One signature for all of the base class's overloads; each caller keeps its own typing.
  override async sendRequest(...args: unknown[]): Promise<never> {
    try {
      return (await (LanguageClient.prototype.sendRequest as (...a: unknown[]) => Promise<never>).apply(this, args)) as never;
    } catch (e) {
      if (this.state === State.Stopped && !(e instanceof ResponseError)) throw new ResponseError(ErrorCodes.ConnectionInactive, 'Client is not running');
      throw e;
    }
  }
}

/** What the client writes to a channel. */
const WRITES = new Set(['append', 'appendLine', 'replace', 'clear', 'show', 'hide', 'trace', 'debug', 'info', 'warn', 'error']);

/**
 * The output channel as the client sees it: once `closed()`, its writes are dropped. VS Code's channel throws
 * "Channel has been closed" when written to after its disposal, and the client still writes after it has
 * stopped: the server process's exit ("Server process exited successfully"), its last lines on stderr.
 */
function closableChannel(channel: vscode.LogOutputChannel, closed: () => boolean): vscode.LogOutputChannel {
  return new Proxy(channel, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      return WRITES.has(String(prop)) ? (...args: unknown[]) => (closed() ? undefined : fn.apply(target, args)) : fn.bind(target);
    },
  });
}

/**
 * The code action, with a command that opens the file its edit creates, when it creates one and has no
 * command of its own: the editor applies the edit and leaves the new file unseen otherwise. A created file
 * is one the edit writes from its start (the server's CreateFile and the edit of its text) that is neither
 * on disk nor open: only the file the same edit creates can be edited so.
 */
async function opensCreatedFile(action: vscode.CodeAction): Promise<vscode.CodeAction> {
  if (!action.edit || action.command) return action;
  for (const [uri, edits] of action.edit.entries()) {
    const fromStart = edits.length > 0 && edits.every((e) => e.range.isEmpty && e.range.start.line === 0 && e.range.start.character === 0);
    if (!fromStart || uri.scheme !== 'file' || vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) continue;
    if (await exists(uri)) continue;
    action.command = { command: 'vscode.open', title: `Open ${vscode.workspace.asRelativePath(uri)}`, arguments: [uri] };
    break;
  }
  return action;
}

export class PhasegateContext implements vscode.Disposable {
  readonly config = new Config();
  readonly output: vscode.LogOutputChannel;
  readonly tree: PhaseTreeProvider;
  readonly treeView: vscode.TreeView<PhaseTreeNode>;
  /** The Phases view following the active editor. */
  readonly follow: ActiveEditorReveal;
  readonly statusBar: PhaseStatusBar;
  /** The code actions' commands with arguments, as commands without (see commandHandles.ts). */
  private readonly handles = new CommandHandles();
  private client: LanguageClient | undefined;
  /** Counts the partial result tokens of `requestInParts`. */
  private partTokens = 0;
  private closing: Promise<void> | undefined;
  private closed = false;
  /** `output` for the clients: it drops what they write once the context has closed. */
  private readonly clientOutput: vscode.LogOutputChannel;
  private readonly phasesChanged = new vscode.EventEmitter<PhasesChange>();
  /**
   * Fires when the server says phases, gates or problem counts may have changed (with the server's
   * phases version), after each (re)start and when the views' settings or folders change (without one).
   */
  readonly onDidChangePhases = this.phasesChanged.event;
  private readonly stateChanged = new vscode.EventEmitter<void>();
  /** Fires when the server starts, runs or stops (`starting`, `running`). */
  readonly onDidChangeState = this.stateChanged.event;
  /** In start(): the context starts its client right after it is made (activate), so from the first. */
  private startingClient = true;

  constructor(readonly extension: vscode.ExtensionContext) {
    const subs = extension.subscriptions;
    // A log channel (vscode-languageclient 11 requires one); protocol traces show at its Trace level.
    this.output = vscode.window.createOutputChannel('Phasegate', { log: true });
    this.clientOutput = closableChannel(this.output, () => this.closed);
    this.tree = new PhaseTreeProvider(this);
    this.treeView = vscode.window.createTreeView('phasegate.phases', { treeDataProvider: this.tree, showCollapseAll: true });
    this.statusBar = new PhaseStatusBar(this);
    this.follow = new ActiveEditorReveal(this.tree, this.treeView);
    subs.push(this.follow);
    // Not the output channel: VS Code disposes the subscriptions right after it calls deactivate(), without
    // waiting for it, and the client still logs to the channel while it stops (close() disposes it after).
    subs.push(this.treeView, this.tree, this.statusBar, this.handles, this.phasesChanged, this.stateChanged, this);
    registerCommands(this);
    subs.push(
      vscode.workspace.onDidGrantWorkspaceTrust(() =>
        this.restart().catch((e: unknown) => this.output.error(`Phasegate server did not restart: ${(e as Error)?.message ?? String(e)}`)),
      ),
      // The server re-reads its settings itself (workspace/didChangeConfiguration) and announces what they
      // change (phasegate/didChangePhases): the Phases view follows its notice. The status bar reads two itself.
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (Config.affectsStatusBar(e)) this.statusBar.update();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.phasesChanged.fire({})),
    );
  }

  get running(): boolean {
    return this.client?.isRunning() ?? false;
  }

  /** The server is starting: the first start, or a start again after a crash, until it runs or the client gives up. */
  get starting(): boolean {
    return this.startingClient || this.client?.state === State.Starting;
  }

  async start(): Promise<void> {
    if (this.client) return;
    this.startingClient = true;
    this.stateChanged.fire();
    const module = this.extension.asAbsolutePath(path.join('dist', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
    };
    const initializationOptions: PhasegateInitializationOptions = {
      trusted: vscode.workspace.isTrusted,
      keepsUnreportedDiagnostics: true,
      selectsAfterFix: true,
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'markdown' },
        { scheme: 'file', pattern: '**/{phasegate.yaml,phasegate.yml,.phasegate.yaml}' },
      ],
      // No file watcher of the client's own: the server registers the ones it needs (server/src/lsp/watch.ts),
      // the changes of the files it reads and the creation and deletion of any file or folder (artifacts,
      // 03-FINDINGS/, a whole phase). A watcher of every change here would send each build's output too.
      initializationOptions,
      middleware: {
        // A quick fix that creates a file (a broken link's target, a missing document) opens it once applied.
        provideCodeActions: async (document, range, context, token, next) => {
          const actions = await next(document, range, context, token);
          if (!actions) return actions;
          // Each command with arguments as a handle without, which a refresh of the menu does not invalidate.
          return Promise.all(
            actions.map(async (a) => {
              if (!(a instanceof vscode.CodeAction)) return this.handles.handle(a);
              const action = await opensCreatedFile(a);
              if (action.command) action.command = this.handles.handle(action.command);
              return action;
            }),
          );
        },
      },
      outputChannel: this.clientOutput,
      traceOutputChannel: this.clientOutput,
    };
    const client = new PhasegateLanguageClient('phasegate', 'Phasegate', serverOptions, clientOptions);
    this.client = client;
    client.onNotification(DidChangePhasesNotification, (p) => this.phasesChanged.fire({ version: p.version }));
    // After a crash the client starts the server again, which numbers its changes and answers anew:
    // the views fetch its whole tree (the first start fires below).
    // When the client gives up on the server (Stopped), the views are drawn again too: they say it is not running.
    let started = false;
    client.onDidChangeState((e) => {
      if (this.client === client) this.stateChanged.fire();
      if (e.newState === State.Stopped) {
        if (started && this.client === client) this.phasesChanged.fire({});
        return;
      }
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
    this.startingClient = false;
    this.stateChanged.fire();
    this.phasesChanged.fire({});
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client?.isRunning()) await client.stop();
    else await client?.dispose();
  }

  /**
   * Stops the server and starts a new one. A stop that fails (a busy server past the shutdown timeout)
   * is logged, and the new server starts all the same.
   */
  async restart(): Promise<void> {
    try {
      await this.stop();
    } catch (e) {
      this.output.warn(`Phasegate server did not stop cleanly: ${(e as Error)?.message ?? String(e)}`);
    }
    await this.start();
  }

  /** The language client, while its server runs; throws otherwise. */
  private runningClient(): LanguageClient {
    const client = this.client;
    if (!client || !client.isRunning()) throw new Error('the Phasegate language server is not running');
    return client;
  }

  /** Sends a request (a typed one from protocol.ts, or a method name); rejects while the server is not running. */
  async request<P, R>(type: RequestType<P, R, void> | string, params: P, token?: vscode.CancellationToken): Promise<R> {
    const client = this.runningClient();
    // RequestParam<P> is a conditional type that TS cannot resolve for a generic P; the signature above keeps callers typed.
    return typeof type === 'string' ? client.sendRequest<R>(type, params, token) : client.sendRequest(type, params as never, token);
  }

  /**
   * Sends a request with a partial result token: the parts the server sends on it (`$/progress`, before its
   * response) and the response are put together by `join`. Rejects while the server is not running.
   */
  async requestInParts<P extends PartialResultParams, R, PR>(
    type: RequestType<P, R, void>,
    partType: ProgressType<PR>,
    params: P,
    join: (parts: PR[], response: R) => R,
    token?: vscode.CancellationToken,
  ): Promise<R> {
    const client = this.runningClient();
    const partialResultToken = `phasegate-parts-${++this.partTokens}`;
    const parts: PR[] = [];
    const listening = client.onProgress(partType, partialResultToken, (part) => {
      parts.push(part);
    });
    try {
      const response = await client.sendRequest(type, { ...params, partialResultToken } as never, token);
      return join(parts, response as R);
    } finally {
      listening.dispose();
    }
  }

  /** Converts a protocol WorkspaceEdit into the editor's. */
  async asWorkspaceEdit(edit: Parameters<LanguageClient['protocol2CodeConverter']['asWorkspaceEdit']>[0]): Promise<vscode.WorkspaceEdit | undefined> {
    if (!this.client) return undefined;
    return this.client.protocol2CodeConverter.asWorkspaceEdit(edit);
  }

  /**
   * Stops the client, then disposes the output channel it logs to (a channel written to after its
   * disposal throws "Channel has been closed"; what the client writes after that is dropped). For
   * deactivate() and the subscriptions alike; once. A stop that fails or times out has been logged to the
   * channel by the client: the window closes all the same.
   */
  close(): Promise<void> {
    this.closing ??= this.stop()
      .catch(() => undefined)
      .finally(() => {
        this.closed = true;
        this.output.dispose();
      });
    return this.closing;
  }

  dispose(): void {
    void this.close();
  }
}
