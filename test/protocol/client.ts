/**
 * A test editor: builds the server bundle, spawns `node dist/server.js --stdio` on a temp
 * copy of a fixture workspace and talks LSP to it the way an editor does. Everything the
 * server sends is recorded; tests wait on it with deadlines, never with sleeps.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ClientCapabilities,
  ConfigurationRequest,
  createProtocolConnection,
  DiagnosticRefreshRequest,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  RegistrationRequest,
  ServerCapabilities,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
  DidOpenTextDocumentNotification,
  CodeLensRefreshRequest,
  CodeAction,
  CodeActionRequest,
  DocumentDiagnosticReport,
  DocumentDiagnosticRequest,
} from 'vscode-languageserver-protocol/node';
import { pathToFileURL } from 'node:url';
import {
  DidChangePhasesNotification,
  PhasegateInitializationOptions,
  type DidChangePhasesParams,
  type PhaseNode,
  PhasesRequest,
  type PhasesResult,
  applyChangedPhases,
} from '../../server/src/protocol';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const SERVER = path.join(REPO, 'dist', 'server.js');
export const FIXTURE = path.join(REPO, 'test', 'fixtures', 'protocol-ws');

let built: Promise<void> | undefined;

/** Bundles the server once per test run, as the lead's esbuild.mjs does. */
export function buildServer(): Promise<void> {
  built ??= (async () => {
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: [path.join(REPO, 'server', 'src', 'node', 'server.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile: SERVER,
      logLevel: 'error',
      external: ['vscode'],
    });
  })();
  return built;
}

/** A fresh copy of the fixture workspace in a temp folder. */
export function copyFixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-ws-'));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  return fs.realpathSync(dir);
}

/** Builds the server, copies the fixture workspace and starts an editor on it. */
export async function startOnFixture(opts: ClientOptions): Promise<{ root: string; c: TestClient }> {
  await buildServer();
  const root = copyFixture();
  return { root, c: await TestClient.start(root, opts) };
}

/**
 * A server on a fresh copy of the fixture for the enclosing `describe`: started before its tests,
 * stopped after them, which then requires that the server logged no errors. The fields are set once
 * the `before` hook has run.
 */
export function fixtureServer(opts: ClientOptions): { root: string; c: TestClient } {
  const s = {} as { root: string; c: TestClient };
  before(async () => Object.assign(s, await startOnFixture(opts)));
  after(async () => {
    const errors = await stopOnFixture(s.c, s.root);
    if (errors.length) throw new Error(`the server logged errors:\n${errors.join('\n')}`);
  });
  return s;
}

/** Stops the editor and removes its workspace; returns the error lines the server logged. */
export async function stopOnFixture(c: TestClient | undefined, root: string | undefined): Promise<string[]> {
  const errors = c?.logs.filter((l) => /failed|uncaught|unhandled/i.test(l)) ?? [];
  await c?.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
  return errors;
}

/**
 * A document selected whole and its quick fixes asked for (Ctrl+. over a selection of many problems): its `code`
 * problems (pulled), the actions, and how long the server took to answer them.
 */
export async function quickFixesOfAll(
  c: TestClient,
  doc: { uri: string; text: string },
  code: string,
): Promise<{ problems: number; actions: CodeAction[]; elapsed: number }> {
  const r: DocumentDiagnosticReport = await c.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: doc.uri } });
  const problems = r.kind === 'full' ? r.items.filter((d) => d.code === code).length : 0;
  const started = Date.now();
  const actions = await quickFixesOver(c, doc);
  return { problems, actions, elapsed: Date.now() - started };
}

/** The quick fixes of a document selected whole (its diagnostics not pulled first: the server's own). */
export async function quickFixesOver(c: TestClient, doc: { uri: string; text: string }): Promise<CodeAction[]> {
  const lines = doc.text.split('\n').length;
  return (await c.conn.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: doc.uri },
    range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } },
    context: { diagnostics: [], only: ['quickfix'] },
  })) as CodeAction[];
}

export function uri(root: string, rel: string): string {
  return pathToFileURL(path.join(root, rel)).href;
}

export interface Event {
  kind: 'refresh' | 'publish' | 'register' | 'progress' | 'log' | 'notification' | 'lensRefresh';
  method?: string;
  params?: unknown;
}

export interface ClientOptions {
  /** Announce pull diagnostics (VS Code) or not (push, like Neovim 0.7). */
  pull: boolean;
  settings?: Record<string, unknown>;
  initializationOptions?: PhasegateInitializationOptions;
  /** Options of node for the server process (`--expose-gc`). */
  execArgv?: string[];
  /** Whether the client registers file watchers for the server (VS Code: true, the default; Neovim 0.7: false). */
  watchFiles?: boolean;
  /**
   * How the client names the workspace: its folders and its root URI (the default, as VS Code), or only its root
   * path (`rootPath`, which LSP deprecates and older clients send alone).
   */
  rootAs?: 'folders' | 'rootPath';
}

export class TestClient {
  readonly events: Event[] = [];
  readonly logs: string[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly versions = new Map<string, number>();
  settings: Record<string, unknown>;
  /** Settings for one resource (`scopeUri`) instead of `settings`, when it gives some. */
  scopedSettings: ((scopeUri: string | undefined) => Record<string, unknown> | undefined) | undefined;
  /** The resources (`scopeUri`) the server asked settings for, in order. */
  readonly settingScopes: (string | undefined)[] = [];
  /** What the server said it answers (its `initialize` result). */
  capabilities: ServerCapabilities | undefined;

  private constructor(
    readonly root: string,
    readonly proc: ChildProcess,
    readonly conn: ProtocolConnection,
  ) {
    this.settings = {};
  }

  static async start(root: string, opts: ClientOptions): Promise<TestClient> {
    const proc = spawn(process.execPath, [...(opts.execArgv ?? []), SERVER, '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const c = new TestClient(root, proc, conn);
    c.settings = opts.settings ?? {};
    proc.stderr!.on('data', (d: Buffer) => c.logs.push(`stderr: ${d.toString()}`));
    conn.onRequest(ConfigurationRequest.type, (p) =>
      p.items.map((it) => {
        if (it.section !== 'phasegate') return null;
        c.settingScopes.push(it.scopeUri);
        return c.scopedSettings?.(it.scopeUri) ?? c.settings;
      }),
    );
    conn.onRequest(RegistrationRequest.type, (p) => {
      c.record({ kind: 'register', params: p });
    });
    conn.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    conn.onRequest(DiagnosticRefreshRequest.type, () => {
      c.record({ kind: 'refresh' });
    });
    conn.onRequest(CodeLensRefreshRequest.type, () => {
      c.record({ kind: 'lensRefresh' });
    });
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => c.record({ kind: 'publish', params: p }));
    conn.onNotification(LogMessageNotification.type, (p) => {
      c.logs.push(p.message);
      c.record({ kind: 'log', params: p });
    });
    conn.onNotification('$/progress', (p: unknown) => c.record({ kind: 'progress', params: p }));
    conn.onNotification(ShowMessageNotification.type, (params) => c.record({ kind: 'notification', method: ShowMessageNotification.method, params }));
    conn.onNotification(DidChangePhasesNotification, (params) => c.record({ kind: 'notification', method: DidChangePhasesNotification.method, params }));
    conn.listen();
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: true,
        workspaceFolders: true,
        didChangeWatchedFiles: { dynamicRegistration: opts.watchFiles ?? true },
        didChangeConfiguration: { dynamicRegistration: true },
        workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
        diagnostics: opts.pull ? { refreshSupport: true } : undefined,
        codeLens: { refreshSupport: true },
      },
      textDocument: {
        synchronization: { dynamicRegistration: false },
        diagnostic: opts.pull ? { dynamicRegistration: false, relatedDocumentSupport: false } : undefined,
        publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
      },
      window: { workDoneProgress: true },
    };
    const named =
      opts.rootAs === 'rootPath'
        ? { rootUri: null, rootPath: root, workspaceFolders: null }
        : { rootUri: pathToFileURL(root).href, workspaceFolders: [{ uri: pathToFileURL(root).href, name: path.basename(root) }] };
    const init = await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      ...named,
      capabilities,
      initializationOptions: opts.initializationOptions,
    });
    c.capabilities = init.capabilities;
    await conn.sendNotification(InitializedNotification.type, {});
    return c;
  }

  private record(e: Event): void {
    this.events.push(e);
    for (const l of [...this.listeners]) l();
  }

  /** Resolves with the first value `probe` returns (checked now and on every event), or fails at the deadline. */
  waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        let v: T | undefined | false;
        try {
          v = probe();
        } catch (e) {
          done();
          reject(e);
          return;
        }
        if (v !== undefined && v !== false) {
          done();
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}\nserver log:\n${this.logs.join('\n')}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Polls an async probe (a request) until it yields a value; for state the server exposes only on request. */
  async until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nserver log:\n${this.logs.join('\n')}`);
      // Ask again once the server says something, or after a short tick at the latest.
      await new Promise<void>((resolve) => {
        const finish = () => {
          clearTimeout(tick);
          this.listeners.delete(finish);
          resolve();
        };
        const tick = setTimeout(finish, 100);
        this.listeners.add(finish);
      });
    }
  }

  count(kind: Event['kind']): number {
    return this.events.filter((e) => e.kind === kind).length;
  }

  publishes(forUri: string): PublishDiagnosticsParams[] {
    return this.events
      .filter((e) => e.kind === 'publish' && (e.params as PublishDiagnosticsParams).uri === forUri)
      .map((e) => e.params as PublishDiagnosticsParams);
  }

  async open(rel: string): Promise<{ uri: string; text: string }> {
    const u = uri(this.root, rel);
    const text = fs.readFileSync(path.join(this.root, rel), 'utf8');
    this.versions.set(u, 1);
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: 'markdown', version: 1, text } });
    return { uri: u, text };
  }

  /** Replaces the whole text of an open document. */
  async change(u: string, text: string): Promise<number> {
    const v = (this.versions.get(u) ?? 1) + 1;
    this.versions.set(u, v);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri: u, version: v }, contentChanges: [{ text }] });
    return v;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification(ExitNotification.type);
    } catch {
      /* the process may be gone already */
    }
    this.conn.dispose();
    if (this.proc.exitCode === null) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.proc.kill();
          resolve();
        }, 2000);
        this.proc.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { WorkspaceEdit } from 'vscode-languageserver-protocol';
import { fileURLToPath } from 'node:url';

/**
 * Applies a WorkspaceEdit as an editor would: creates files (honouring overwrite and ignoreIfExists,
 * failing when the file exists and neither is set),
 * edits text. `texts` holds the editor's text of open documents; others are edited on disk.
 * Returns the new text per URI.
 */
export function applyWorkspaceEdit(edit: WorkspaceEdit, texts: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  const read = (u: string) => out.get(u) ?? texts.get(u) ?? (fs.existsSync(fileURLToPath(u)) ? fs.readFileSync(fileURLToPath(u), 'utf8') : '');
  for (const c of edit.documentChanges ?? []) {
    if ('kind' in c) {
      if (c.kind !== 'create') throw new Error(`unexpected ${c.kind}`);
      const p = fileURLToPath(c.uri);
      if (fs.existsSync(p) && !c.options?.overwrite) {
        if (!c.options?.ignoreIfExists) throw new Error(`${p} exists`);
        continue;
      }
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, '');
      out.set(c.uri, '');
    } else {
      const doc = TextDocument.create(c.textDocument.uri, 'markdown', 1, read(c.textDocument.uri));
      out.set(c.textDocument.uri, TextDocument.applyEdits(doc, c.edits as { range: import('vscode-languageserver-protocol').Range; newText: string }[]));
    }
  }
  for (const [u, edits] of Object.entries(edit.changes ?? {})) {
    const doc = TextDocument.create(u, 'markdown', 1, read(u));
    out.set(u, TextDocument.applyEdits(doc, edits));
  }
  return out;
}

/** A workspace that bench/generate.mjs writes (`n` phases of each layout, deterministic from `seed`) in a new temporary folder named from `prefix`: its real path. */
export async function generatedWorkspace(prefix: string, n: number, seed: number): Promise<string> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const gen = (await import(pathToFileURL(path.join(REPO, 'bench', 'generate.mjs')).href)) as {
    writeWorkspace: (dir: string, opts: { n: number; seed: number }) => unknown;
  };
  gen.writeWorkspace(root, { n, seed });
  return root;
}

/** A client started on `root` (pulling diagnostics), once the server has indexed it. */
export async function startIndexed(root: string): Promise<TestClient> {
  const client = await TestClient.start(root, { pull: true });
  await client.waitFor('the folder indexed', () => client.logs.some((l) => l.startsWith(`Indexed ${root}`)), 60_000);
  return client;
}

/** The partial results of a request (`$/progress` notifications with its `partialResultToken`) received so far, in order. */
export function partialResults<T>(c: TestClient, token: string): T[] {
  return c.events.filter((e) => e.kind === 'progress' && (e.params as { token?: unknown }).token === token).map((e) => (e.params as { value: T }).value);
}

/** The phases of a `phasegate/phases` answer (the whole tree) still `checking`: not checked by the server yet. */
export function checkingPhases(tree: PhasesResult): PhaseNode[] {
  return tree.folders.flatMap((f) => f.groups.flatMap((g) => g.phases.filter((p) => p.status === 'checking')));
}

/**
 * Follows the phase tree `tree` as the editor does until no phase is `checking`: waits (with a deadline) for each
 * `phasegate/didChangePhases` notice of a version later than the tree's, asks for the phases changed since the tree
 * (`since`) and puts them in place. `between` runs after each update (a test's edits). The tree, and how many
 * updates it took.
 */
export async function followUntilChecked(
  c: TestClient,
  tree: PhasesResult,
  between: (tree: PhasesResult) => Promise<void> = async () => undefined,
  timeoutMs = 60_000,
): Promise<{ tree: PhasesResult; updates: number }> {
  let updates = 0;
  while (checkingPhases(tree).length) {
    const version = tree.version;
    await c.waitFor(
      `a phasegate/didChangePhases notice after version ${version} (${checkingPhases(tree).length} phases checking)`,
      () => c.events.some((e) => e.method === DidChangePhasesNotification.method && (e.params as DidChangePhasesParams).version > version),
      timeoutMs,
    );
    const r = await c.conn.sendRequest(PhasesRequest, { since: tree.id });
    const next = r.changed ? applyChangedPhases(tree, r) : r;
    if (!next) throw new Error(`changed phases that are not in the tree: ${r.changed?.map((p) => p.uri).join(', ')}`);
    tree = next;
    updates++;
    await between(tree);
  }
  return { tree, updates };
}
