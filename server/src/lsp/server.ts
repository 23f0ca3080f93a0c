/**
 * The Phasegate language server: a thin LSP layer over the engine. `startServer` receives
 * its connection (node/server.ts creates it) and the host's file system and assets.
 */
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  Connection,
  DidChangeConfigurationNotification,
  InitializeParams,
  InitializeResult,
  MessageType,
  ShowMessageNotification,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { PhasegateInitializationOptions } from '../protocol';
import { FIX_ALL_KIND, registerCodeActions } from './codeActions';
import { registerCodeLens } from './codeLens';
import { COMPLETION_TRIGGERS, registerCompletion } from './completion';
import { ServerContext, clientCaps } from './context';
import { PhasesNotifier, registerCustom } from './custom';
import { DiagnosticsFeature } from './diagnostics';
import { registerFolding } from './folding';
import { registerHover } from './hover';
import { registerLinks } from './links';
import { Settings, applyRuleSeverities, settingsChanged } from './settings';
import { registerSymbols } from './symbols';
import { WorkspaceDiagnostics } from './workspaceDiagnostics';
import { pathToUri } from './uri';
import { normalizePath } from '../service/host';
import { DocumentSync } from './sync';
import { FileWatcher, type TreeWatchFactory } from './watch';
import { EngineDeps, Folder, Workspaces } from './workspaces';

export interface ServerDeps extends EngineDeps {
  /** Watches of folders on disk, for a client that watches no files for the server (see `FileWatcher.register`). */
  watchTree?: TreeWatchFactory;
}

export interface RunningServer {
  ctx: ServerContext;
}

export function startServer(connection: Connection, deps: ServerDeps): RunningServer {
  const documents = new TextDocuments(TextDocument);
  const logger = { log: (m: string) => connection.console.log(m) };
  let caps = clientCaps({});
  const settings = new Settings(
    connection,
    () => caps.configuration,
    (m) => connection.console.log(m),
  );
  const trust = { trusted: true };
  // The engines' dependencies, with the server's own (`eventsApplied`, below): the caller's object is left as it is.
  const { watchTree, ...own } = deps;
  const engineDeps: EngineDeps = { ...own };
  const workspaces = new Workspaces(engineDeps, logger, () => trust.trusted);
  const ctx = new ServerContext(connection, documents, workspaces, settings);
  const phases = new PhasesNotifier(connection);

  let refreshLenses = false;
  const lensRefresh = () => {
    if (!ctx.caps.codeLensRefresh || refreshLenses) return;
    refreshLenses = true;
    setTimeout(() => {
      refreshLenses = false;
      connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    }, 300);
  };

  // The callback runs only after `diagnostics` exists (the first document event comes after listen()).
  const sync = new DocumentSync(ctx, (uri, affected, folder) => {
    void ctx.safe('updating diagnostics', undefined, () => diagnostics.updated(uri, affected));
    phases.changed(folder);
    wsDiagnostics.bump();
    if (affected.length > 1) lensRefresh();
  });
  const diagnostics = new DiagnosticsFeature(ctx, sync);
  const wsDiagnostics = new WorkspaceDiagnostics(ctx, (token) => sync.settledAll(token));
  const watcher = new FileWatcher(
    ctx,
    (folder, affected, reloaded) => {
      wsDiagnostics.bump();
      // A reload (a config file came or went) may have found other nested workspaces: they are adopted first,
      // so that the editor text of their open documents goes to them.
      if (reloaded) adoptNested(folder);
      if (reloaded) sync.reapply(folder);
      // Its `ignore` globs may have changed: the server's own watches (if any) walk its folders again.
      if (reloaded) watcher.followFolders();
      if (reloaded) void ctx.safe('updating diagnostics', undefined, () => diagnostics.all());
      else void ctx.safe('updating diagnostics', undefined, () => diagnostics.updated(undefined, affected));
      phases.changed(folder);
      lensRefresh();
    },
    undefined,
    watchTree,
  );
  // Requests wait for the file events received before them (`Folder.settled`): a client that reported files it
  // wrote, then asks, is answered after them, not from the state before (the watcher's batch may still be gathering).
  engineDeps.eventsApplied = (folder) => watcher.applied(folder);

  // Loading starts at initialize; nothing is sent to the client before it said `initialized`.
  let markInitialized!: () => void;
  const initialized = new Promise<void>((resolve) => (markInitialized = resolve));
  // Part of every (re)load, before the folder counts as loaded: settings can be asked for once the client is initialized.
  workspaces.prepare = async (folder) => {
    await initialized;
    // The settings may change while they are read (the folder does not count as loaded yet, so the change
    // does not apply them to it): read again until none came meanwhile.
    for (let generation = -1; generation !== settings.generation;) {
      generation = settings.generation;
      await ctx.safe('reading settings', false, () => applyRuleSeverities(settings, folder));
    }
  };
  /**
   * Folders gone (removed by the client, or a nested workspace no more): the diagnostics of the documents
   * no folder holds now are forgotten, and their phases leave the tree.
   */
  const dropFolders = (gone: readonly Folder[]) => {
    for (const f of gone) {
      diagnostics.forgetFolder(f);
      phases.changed(f);
    }
    if (gone.length) wsDiagnostics.bump();
  };
  /**
   * After a folder (re)loaded: the nested workspaces its scan found (projects with a config of their own)
   * become derived folders, engines of their own, loaded now; those it no longer finds go. Open documents
   * that now lie in another folder take their editor text there.
   */
  const adoptNested = (folder: Folder) => {
    const { added, removed } = workspaces.adoptNested(folder);
    if (!added.length && !removed.length) return;
    dropFolders(removed);
    // A derived folder leaves out the workspace folders of the client nested in it.
    workspaces.excludeNested();
    for (const f of added) loadFolder(f);
    void ctx.safe('moving open documents', undefined, async () => {
      if ((await sync.rehome()).length) await diagnostics.all();
    });
  };
  // Part of every (re)load through `workspaces.load`, once the folder counts as loaded.
  workspaces.loaded = (folder) => {
    try {
      adoptNested(folder);
    } catch (e) {
      ctx.error(`adopting the nested workspaces of ${folder.path} failed: ${(e as Error).stack ?? String(e)}`);
    }
  };
  /** The folders whose notice (see `Folder.notice`) the user was shown: once each, not at every reload. */
  const noticed = new Set<string>();
  const loadFolder = (folder: Folder) => {
    void Promise.all([workspaces.load(folder), initialized]).then(() => {
      if (folder.disposed) return;
      if (folder.notice && !noticed.has(folder.path)) {
        noticed.add(folder.path);
        // A notification, not `window/showMessageRequest` (showWarningMessage): nothing to answer, and a client
        // that does not handle it (a test client, a minimal editor) leaves no request failing in the server.
        void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: folder.notice });
      }
      sync.reapply(folder);
      void ctx.safe('updating diagnostics', undefined, () => diagnostics.all());
      wsDiagnostics.bump();
      phases.changed(folder);
    });
  };

  let dynamicConfig = false;
  connection.onInitialize((params: InitializeParams): InitializeResult => {
    caps = clientCaps(params.capabilities);
    dynamicConfig = !!params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
    ctx.caps = caps;
    const options = params.initializationOptions as PhasegateInitializationOptions | undefined;
    trust.trusted = options?.trusted !== false;
    wsDiagnostics.omitHeld = options?.keepsUnreportedDiagnostics === true;
    ctx.selectsAfterFix = options?.selectsAfterFix === true;
    // The folders, else the root: its URI, else its path (`rootPath`, which LSP deprecates but older clients send alone).
    const root = params.rootUri ?? (typeof params.rootPath === 'string' && params.rootPath ? pathToUri(normalizePath(params.rootPath)) : undefined);
    const folders = params.workspaceFolders ?? (root ? [{ uri: root, name: '' }] : []);
    for (const f of folders) workspaces.add(f.uri, f.name || undefined);
    // Every folder known before any loads: an outer folder leaves its nested ones out of its scan.
    workspaces.excludeNested();
    for (const folder of workspaces.all()) loadFolder(folder);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        // interFileDependencies false: the server tracks them itself (the engine's dependents) and asks
        // for a refresh only when another open document's diagnostics really changed, so the client
        // need not re-pull every open document in the background after each edit. Closed documents
        // come with the workspace diagnostics.
        diagnosticProvider: { identifier: 'phasegate', interFileDependencies: false, workspaceDiagnostics: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        completionProvider: { triggerCharacters: COMPLETION_TRIGGERS },
        hoverProvider: true,
        documentLinkProvider: { resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        foldingRangeProvider: true,
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'phasegate' },
    };
  });

  connection.onInitialized(() => {
    markInitialized();
    void (async () => {
      if (caps.configuration && dynamicConfig) {
        connection.client.register(DidChangeConfigurationNotification.type, { section: 'phasegate' }).catch(() => undefined);
      }
      if (caps.workspaceFolders) {
        connection.workspace.onDidChangeWorkspaceFolders((ev) =>
          ctx.safe('didChangeWorkspaceFolders', undefined, async () => {
            // A folder goes with the folders derived from it (its nested workspaces).
            for (const r of ev.removed) dropFolders(workspaces.remove(r.uri));
            const added = new Set<Folder>();
            for (const a of ev.added) {
              const f = workspaces.add(a.uri, a.name);
              if (f) added.add(f);
            }
            // A folder that gained or lost a nested one scans again (the nested phases leave or come back).
            for (const f of workspaces.excludeNested()) added.add(f);
            for (const f of added) loadFolder(f);
            watcher.followFolders();
            // Open documents now held by another folder (nested folders) take their editor text there.
            if ((await sync.rehome()).length) await diagnostics.all();
          }),
        );
      }
      await watcher.register(connection);
      await indexWithProgress();
    })().catch((e: unknown) => ctx.error(`initialization failed: ${(e as Error)?.stack ?? String(e)}`));
  });

  async function indexWithProgress(): Promise<void> {
    if (!caps.workDoneProgress) return workspaces.allReady();
    const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
    if (!progress) return workspaces.allReady();
    const folders = workspaces.all();
    progress.begin('Phasegate', 0, `Indexing ${folders.length} folder${folders.length === 1 ? '' : 's'}…`, false);
    let done = 0;
    await Promise.all(
      folders.map((f) =>
        f.ready.then(() => {
          done++;
          progress.report(Math.round((done / folders.length) * 100), `${f.name}: ${f.svc.model.phases.length} phases`);
        }),
      ),
    );
    progress.done();
  }

  connection.onDidChangeConfiguration((change) =>
    ctx.safe('didChangeConfiguration', undefined, async () => {
      await settingsChanged(settings, workspaces.all(), change);
      wsDiagnostics.bump();
      await diagnostics.all();
      lensRefresh();
      for (const f of workspaces.all()) phases.changed(f);
    }),
  );

  const openVersion = new Map<string, number>();
  documents.onDidOpen((e) => {
    ctx.opened(e.document.uri);
    openVersion.set(e.document.uri, e.document.version);
    void ctx.safe('didOpen', undefined, () => sync.open(e.document));
  });
  documents.onDidChangeContent((e) => {
    // TextDocuments also reports the opening text as a change; didOpen applied it already.
    if (openVersion.get(e.document.uri) === e.document.version) return;
    openVersion.delete(e.document.uri);
    void ctx.safe('didChange', undefined, () => sync.change(e.document));
  });
  documents.onDidClose((e) => {
    ctx.closed(e.document.uri);
    openVersion.delete(e.document.uri);
    // Asked again if it opens again: what is kept per document goes with it (a long session opens many).
    settings.forget(e.document.uri);
    diagnostics.closed(e.document.uri);
    wsDiagnostics.forget(e.document.uri);
    void ctx.safe('didClose', undefined, () => sync.close(e.document.uri));
  });

  diagnostics.register();
  wsDiagnostics.register(connection);
  registerCodeActions(connection, ctx, diagnostics);
  registerCompletion(connection, ctx);
  registerHover(connection, ctx);
  registerLinks(connection, ctx);
  registerSymbols(connection, ctx);
  registerFolding(connection, ctx);
  registerCodeLens(connection, ctx);
  registerCustom(connection, ctx, phases);
  watcher.listen(connection);

  connection.onShutdown(() => {
    phases.dispose();
    // The workspace diagnostics requests kept open are answered.
    wsDiagnostics.dispose();
  });
  documents.listen(connection);
  connection.listen();
  return { ctx };
}
