/**
 * What every feature handler shares: the connection, the open documents, the engines
 * per workspace folder, the settings and what the client can do.
 */
import { ErrorCodes, LSPErrorCodes, ResponseError, type ClientCapabilities, type Connection, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { normalizePath } from '../service/host';
import type { ParsedDocument } from '../service/markdown';
import type { PhasegateService } from '../service/service';
import { Settings } from './settings';
import { pathToUri, uriToPath } from './uri';
import { Folder, Workspaces } from './workspaces';
import type { EditTarget } from './convert';

/** At most this many paths with their URIs are remembered (`ServerContext.uriOf`), bounding their memory. */
const MAX_KNOWN_PATHS = 200_000;

export interface ClientCaps {
  pullDiagnostics: boolean;
  diagnosticRefresh: boolean;
  documentChanges: boolean;
  workDoneProgress: boolean;
  watchedFilesDynamic: boolean;
  configuration: boolean;
  codeLensRefresh: boolean;
  markdownHover: boolean;
  workspaceFolders: boolean;
}

export function clientCaps(c: ClientCapabilities): ClientCaps {
  return {
    pullDiagnostics: !!c.textDocument?.diagnostic,
    diagnosticRefresh: !!c.workspace?.diagnostics?.refreshSupport,
    documentChanges: !!c.workspace?.workspaceEdit?.documentChanges && !!c.workspace.workspaceEdit.resourceOperations?.includes('create'),
    workDoneProgress: !!c.window?.workDoneProgress,
    watchedFilesDynamic: !!c.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    configuration: !!c.workspace?.configuration,
    codeLensRefresh: !!c.workspace?.codeLens?.refreshSupport,
    markdownHover: !!c.textDocument?.hover?.contentFormat?.includes('markdown'),
    workspaceFolders: !!c.workspace?.workspaceFolders,
  };
}

/** A document resolved to its engine. */
export interface Target {
  uri: string;
  path: string;
  folder: Folder;
  svc: PhasegateService;
  /** The parsed document (the editor's text when it is open); undefined when unreadable. */
  doc: ParsedDocument | undefined;
}

export class ServerContext implements EditTarget {
  caps: ClientCaps = clientCaps({});
  /** The client runs `Commands.selectAfterFix` after a quick fix (it said so in its initialization options). */
  selectsAfterFix = false;
  /** Flushes a document's pending (debounced) editor text into its engine; set by the sync module. */
  flush: (uri: string) => Promise<void> = async () => undefined;

  /** Whether editor text waits to be applied: of the document `uri`, or of any; set by the sync module. */
  pending: (uri?: string) => boolean = () => false;

  /** Flushes every open document's pending editor text: for answers that read other documents too (gates, phase summaries). */
  async flushAll(): Promise<void> {
    for (const d of this.documents.all()) await this.flush(d.uri);
  }

  /**
   * Applies the editor's pending text (of the document `uri`, or of every open document) and waits for the engines'
   * work (`Folder.settled`: loads, file events) until neither is left. The caller then reads the engines
   * synchronously: they hold the text of the versions the editor has sent, so that edits computed on them may name
   * those versions. An edit that comes while the engine's work is waited for is applied too (else the answer would
   * be computed on the text before it, under its version).
   */
  async upToDate(folders: readonly Folder[], uri?: string): Promise<void> {
    do {
      if (uri !== undefined) await this.flush(uri);
      else await this.flushAll();
      for (const f of folders) await f.settled();
    } while (this.pending(uri));
  }

  constructor(
    readonly connection: Connection,
    readonly documents: TextDocuments<TextDocument>,
    readonly workspaces: Workspaces,
    readonly settings: Settings,
  ) {}

  log(message: string): void {
    this.connection.console.log(message);
  }

  error(message: string): void {
    this.connection.console.error(message);
  }

  /** Open documents: engine path -> the editor's URI (kept by the server on open/close). */
  private readonly openUris = new Map<string, string>();
  /**
   * Each path asked for, normal and as a file URI (performance only: the workspace diagnostics ask for
   * every file's URI at each answer). Emptied when it grows past MAX_KNOWN_PATHS.
   */
  private readonly knownPaths = new Map<string, { path: string; uri: string }>();

  opened(uri: string): void {
    const p = uriToPath(uri);
    if (p) this.openUris.set(p, uri);
  }

  closed(uri: string): void {
    const p = uriToPath(uri);
    if (p && this.openUris.get(p) === uri) {
      const other = this.openElsewhere(uri, p);
      if (other) this.openUris.set(p, other.uri);
      else this.openUris.delete(p);
    }
    // A document closed unsaved is no file: its path is not asked for again (one on disk is, and comes back).
    if (p) this.knownPaths.delete(p);
  }

  /** The same file (engine path `path`) open under another URI than `uri`: a client may spell a file's URI otherwise. */
  openElsewhere(uri: string, path: string): TextDocument | undefined {
    return this.documents.all().find((d) => d.uri !== uri && uriToPath(d.uri) === path);
  }

  /** The URI the editor uses for a path when the document is open, else a file URI. */
  uriOf(path: string): string {
    let known = this.knownPaths.get(path);
    if (!known) {
      if (this.knownPaths.size >= MAX_KNOWN_PATHS) this.knownPaths.clear();
      const p = normalizePath(path);
      known = { path: p, uri: pathToUri(p) };
      this.knownPaths.set(path, known);
    }
    return this.openUris.get(known.path) ?? known.uri;
  }

  versionOf(uri: string): number | null {
    return this.documents.get(uri)?.version ?? null;
  }

  /** Whether the client's text of an open document starts with a byte order mark, which its engine's text does not hold (see `toClientRange`). */
  hasBom(uri: string): boolean {
    return this.documents.get(uri)?.getText().charCodeAt(0) === 0xfeff;
  }

  /** Resolves a document to its engine, with the editor's latest text applied. */
  async target(uri: string): Promise<Target | undefined> {
    const path = uriToPath(uri);
    if (!path) return undefined;
    const folder = this.workspaces.folderOf(path);
    if (!folder) return undefined;
    // Read once the engine's work is done (a reload takes the editor's text away until it is applied again), with
    // the editor's latest text.
    await this.upToDate([folder], uri);
    return { uri, path, folder, svc: folder.svc, doc: folder.svc.getDocument(path) };
  }

  /**
   * Runs a handler, logging instead of throwing: a bug in one feature must not take
   * the server down or fail the editor's request loudly. A ResponseError the handler throws
   * (invalid parameters) is the answer, and goes to the client.
   */
  async safe<T>(name: string, fallback: T, fn: () => Promise<T> | T): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if ((e as Error)?.name === 'CancelledError') return fallback;
      // An answer the handler chose (invalid parameters): the client gets it as it is.
      if (e instanceof ResponseError) throw e;
      this.error(`${name} failed: ${(e as Error)?.stack ?? String(e)}`);
      return fallback;
    }
  }

  /**
   * Runs a handler whose every answer means something to the client (an empty phase tree is a workspace
   * without phases): a failure is logged and answered as an error (InternalError), never as a default.
   */
  async orError<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      if ((e as Error)?.name === 'CancelledError') throw new ResponseError(LSPErrorCodes.RequestCancelled, `${name} was cancelled`);
      this.error(`${name} failed: ${(e as Error)?.stack ?? String(e)}`);
      throw new ResponseError(ErrorCodes.InternalError, `${name} failed: ${(e as Error)?.message ?? String(e)}`);
    }
  }
}
