/**
 * File watching: the client reports created, changed and deleted files
 * (workspace/didChangeWatchedFiles); the engine updates its model and names the files
 * whose diagnostics may change. Events are batched: a checkout or a scaffold writes many.
 */
import { Connection, DidChangeWatchedFilesNotification, FileChangeType, FileEvent, WatchKind } from 'vscode-languageserver';
import type { ServerContext } from './context';
import { isInside, normalizePath } from '../service/host';
import { pathToUri, uriToPath } from './uri';
import type { Folder } from './workspaces';

export const WATCHERS = [
  { globPattern: '**/*.md' },
  { globPattern: '**/*.markdown' },
  { globPattern: '**/{phasegate.yaml,phasegate.yml,.phasegate.yaml}' },
  // Front matter schemas a phasegate.yaml names (schemas:): an edit reloads the config.
  { globPattern: '**/*.json' },
  // Folders and artifacts: links and handoffs name them; only their existence matters.
  { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
];

/** A file or folder that came, changed or went, as a watch on disk tells it. */
export interface TreeWatchEvent {
  path: string;
  type: 'created' | 'changed' | 'deleted';
}

export interface TreeWatchOptions {
  /** Whether a folder is left unwatched, with all it holds (one the engine's scan leaves out). */
  skip(dir: string): boolean;
  onEvents(events: TreeWatchEvent[]): void;
  log(message: string): void;
  /** Lets the host run while folders are walked. */
  pause?: () => Promise<void>;
}

/** Watches of folders on disk, by the server (node/tree-watch.ts), for a client that watches none for it. */
export interface TreeWatch {
  /** Watches `root` and the folders under it not skipped; resolves once they are. */
  add(root: string): Promise<void>;
  /** Stops watching `dir` and the folders under it. */
  remove(dir: string): void;
  close(): void;
  readonly size: number;
}

export type TreeWatchFactory = (options: TreeWatchOptions) => TreeWatch;

export interface WatchListener {
  /**
   * The engine of `folder` took file events; `reloaded` when its config changed and it reloaded. Called
   * only when the events changed something the engine reports on: its phase model (a file or folder came
   * or went), its config, or a file it checks. A file it neither checks nor models (a build's output
   * written again) changes none of its diagnostics, gates or phases. Called while the folder's engine work
   * runs (`Folder.exclusive`): what it does synchronously (applying the editor text again after a reload)
   * is done before any request reads the engine.
   */
  (folder: Folder, affected: string[], reloaded: boolean): void;
}

/**
 * The events of a batch without repeats: a file reported twice the same way (two client watchers, or a
 * save that writes twice) counts once, at its last place, so the order of what happened to it stands.
 */
export function uniqueEvents(events: FileEvent[]): FileEvent[] {
  const last = new Map<string, FileEvent>();
  for (const ev of events) {
    const key = `${ev.type} ${ev.uri}`;
    last.delete(key);
    last.set(key, ev);
  }
  return last.size === events.length ? events : [...last.values()];
}

/**
 * A path in a version control system's own folder (`.git/index.lock`, which `git status` writes and removes): the
 * scan leaves these folders out, so no engine reads there, and no request waits for such an event.
 */
const VCS_INTERNAL = /\/\.(?:git|hg|svn)(?:\/|$)/;

/** A batch of file events: resolves once applied; the paths of its events, and which folders they reach (memo). */
interface Batch {
  done: Promise<void>;
  resolve: (applied: Promise<void>) => void;
  paths: string[];
  /** Per folder asked about: how many of `paths` were looked at, and whether one of them reaches it. */
  told: Map<string, { upTo: number; reaches: boolean }>;
}

/**
 * Whether an event of `batch` may reach the engine of the folder at `folder`: a path at or in it, or a folder
 * holding it (deleted or created whole). The paths are looked at once per folder (a checkout's batch holds thousands).
 */
function concerns(batch: Batch, folder: string): boolean {
  let t = batch.told.get(folder);
  if (!t) batch.told.set(folder, (t = { upTo: 0, reaches: false }));
  for (; !t.reaches && t.upTo < batch.paths.length; t.upTo++) {
    const p = batch.paths[t.upTo];
    if (isInside(folder, p) || isInside(p, folder)) t.reaches = true;
  }
  return t.reaches;
}

export class FileWatcher {
  private queue: FileEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  /** While a batch gathers: resolves once it is applied (see `applied`). */
  private gathered: Batch | undefined;
  /** The batches received and not applied yet, in order: those being applied, then the one gathering. */
  private unapplied: Batch[] = [];

  /** The server's own watches on disk, when the client watches nothing for it (see `register`). */
  private tree: TreeWatch | undefined;
  /** The folders `tree` was asked to watch. */
  private treeRoots = new Set<string>();

  constructor(
    private readonly ctx: ServerContext,
    private readonly onChange: WatchListener,
    private readonly batchMs = 50,
    private readonly watchTree?: TreeWatchFactory,
  ) {}

  listen(connection: Connection): void {
    // Events as LSP defines them only: one without a URI, or of another type (which `apply` would read as a
    // deletion), is passed over rather than failing its whole batch.
    connection.onDidChangeWatchedFiles((params) =>
      this.receive(
        (Array.isArray(params?.changes) ? params.changes : []).filter(
          (c) => typeof c?.uri === 'string' && (c.type === FileChangeType.Created || c.type === FileChangeType.Changed || c.type === FileChangeType.Deleted),
        ),
      ),
    );
  }

  /** File events, from the client or from the server's own watches: gathered into a batch. */
  private receive(changes: FileEvent[]): void {
    if (!this.timer) {
      let resolve!: (applied: Promise<void>) => void;
      const done = new Promise<void>((r) => (resolve = r));
      this.gathered = { done, resolve, paths: [], told: new Map() };
      this.unapplied.push(this.gathered);
      this.timer = setTimeout(() => this.drain(), this.batchMs);
    }
    // One by one: a client may send more events than push() takes as arguments.
    for (const c of changes) {
      this.queue.push(c);
      const path = uriToPath(c.uri);
      if (path && !VCS_INTERNAL.test(path) && (c.type !== FileChangeType.Changed || this.changeMatters(path))) this.gathered!.paths.push(path);
    }
  }

  /**
   * Whether a file's change of text may change what the engine of a folder holding it reports, as that engine is
   * now: else no request waits for the event (a build writing JSON files, a README edited beside the phases). It
   * is applied in its batch all the same, and changes nothing there (`PhasegateService.changeMatters`).
   */
  private changeMatters(path: string): boolean {
    return this.ctx.workspaces.foldersFor(path).some((f) => !f.disposed && f.svc.changeMatters(path));
  }

  /**
   * Resolves once every event received so far that may reach the engine of the workspace folder at `folder` has
   * been applied: those at or in it, or at a folder holding it (the batches are applied in order: the last batch
   * holding one, and those before it). A batch still gathering counts once it has gathered and is applied (its
   * batching stands: a checkout's events keep coming in batches, each building the model once). Requests wait for
   * it (`Folder.settled`), so that a client that reported files, then asks, is answered after them. A request on
   * another folder does not wait for a batch that is none of its (the 50 ms it gathers, a reload it makes, a
   * reader that holds the changes of the folder it goes to). Not to be awaited by the work that applies the
   * events (it would wait for itself).
   */
  applied(folder: string): Promise<void> {
    for (let i = this.unapplied.length - 1; i >= 0; i--) if (concerns(this.unapplied[i], folder)) return this.unapplied[i].done;
    return Promise.resolve();
  }

  /**
   * Registers the watchers when the client can (VS Code). A client that cannot (Neovim 0.7 and 0.8, and later ones
   * with their file watching off) has the server watch the folders on disk itself, when the host gives it the means
   * (`watchTree`), once its folders are loaded (their scan says which folders to leave out; see `followFolders`).
   */
  async register(connection: Connection): Promise<void> {
    if (!this.ctx.caps.watchedFilesDynamic) {
      if (this.watchTree)
        void this.ctx.workspaces
          .allReady()
          .then(() => this.followFolders())
          .catch((e: unknown) => this.ctx.log(`Watching the folders on disk failed: ${(e as Error)?.message ?? String(e)}`));
      return;
    }
    try {
      await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHERS });
    } catch (e) {
      this.ctx.log(`Registering file watchers failed: ${(e as Error).message}`);
    }
  }

  /**
   * The server's own watches follow the workspace folders (call when they changed, or one loaded again: its
   * `ignore` globs may leave out other folders): a folder new to them is walked, one gone is no longer watched.
   * Folders a reload leaves out stay watched (their events change nothing); those it brings in are walked.
   */
  followFolders(): void {
    if (!this.watchTree || this.ctx.caps.watchedFilesDynamic) return;
    const first = !this.tree;
    this.tree ??= this.watchTree({
      skip: (dir) => this.skips(dir),
      onEvents: (events) =>
        this.receive(
          events.map((e) => ({
            uri: pathToUri(e.path),
            type: e.type === 'created' ? FileChangeType.Created : e.type === 'deleted' ? FileChangeType.Deleted : FileChangeType.Changed,
          })),
        ),
      log: (m) => this.ctx.log(m),
      pause: () => new Promise<void>((resolve) => setImmediate(resolve)),
    });
    const tree = this.tree;
    // The outermost folders: a walk from one watches the folders nested in it too (their own scans say what to leave out).
    const paths = this.ctx.workspaces.all().map((f) => f.path);
    const roots = new Set(paths.filter((p) => !paths.some((o) => o !== p && isInside(o, p))));
    for (const r of this.treeRoots) if (![...roots].some((o) => isInside(o, r))) tree.remove(r);
    this.treeRoots = roots;
    void Promise.all([...roots].map((r) => tree.add(r)))
      .then(() => {
        if (first) this.ctx.log(`The client watches no files: the server watches ${tree.size} folders on disk itself.`);
      })
      .catch((e: unknown) => this.ctx.log(`Watching the folders on disk failed: ${(e as Error)?.message ?? String(e)}`));
  }

  /** A folder the server's watches leave out: one the scan of the innermost workspace folder holding it leaves out. */
  private skips(dir: string): boolean {
    if (VCS_INTERNAL.test(dir + '/')) return true;
    const folder = this.ctx.workspaces.foldersFor(dir)[0];
    return folder !== undefined && !folder.disposed && folder.svc.scanExclusion(normalizePath(dir), false) !== undefined;
  }

  /** Resolves once every event received so far has been applied (for tests and shutdown): a batch still gathering is applied now. */
  idle(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.drain();
    }
    return this.running;
  }

  private drain(): void {
    this.timer = undefined;
    const events = this.queue;
    this.queue = [];
    this.running = this.running.then(() => this.apply(events)).catch((e: unknown) => this.ctx.error(`file events failed: ${(e as Error)?.stack ?? String(e)}`));
    const batch = this.gathered;
    if (batch) {
      batch.resolve(this.running);
      void this.running.then(() => {
        const i = this.unapplied.indexOf(batch);
        if (i >= 0) this.unapplied.splice(i, 1);
      });
    }
    this.gathered = undefined;
  }

  private async apply(events: FileEvent[]): Promise<void> {
    const byFolder = new Map<Folder, { path: string; type: 'created' | 'changed' | 'deleted' }[]>();
    for (const ev of uniqueEvents(events)) {
      const path = uriToPath(ev.uri);
      if (!path) continue;
      const type = ev.type === FileChangeType.Created ? 'created' : ev.type === FileChangeType.Deleted ? 'deleted' : 'changed';
      // The innermost folder, and for a derived folder's own config file (or the folder itself) the folder
      // that found it, whose nested workspaces it changes.
      for (const folder of this.ctx.workspaces.foldersFor(path)) {
        let list = byFolder.get(folder);
        if (!list) byFolder.set(folder, (list = []));
        list.push({ path, type });
      }
    }
    // Outer folders first: one whose nested workspaces change drops the derived folders gone before they take their events.
    for (const [folder, list] of [...byFolder].sort((a, b) => a[0].path.length - b[0].path.length)) {
      // The engine's work: requests wait until the events are applied, and, after a reload, the editor
      // text of the open documents is applied again (the listener does it before this returns).
      await folder.exclusive(async () => {
        if (folder.disposed) return;
        const svc = folder.svc;
        const loads = svc.loads;
        const model = svc.model;
        const affected = await svc.filesChanged(list);
        // Its config changed, or a nested workspace came or went: the engine loaded again.
        const reloaded = svc.loads !== loads;
        if (reloaded || svc.model !== model || affected.some((f) => svc.reportsOn(f))) this.onChange(folder, affected, reloaded);
      });
    }
  }
}
