/**
 * Workspace folders (multi-root): one engine per folder, loaded in the background.
 * Every feature finds its engine here, waiting for the folder's first load.
 */
import { Assets, PhasegateService } from '../service/service';
import { CONFIG_FILES } from '../service/config';
import { FileSystem, Logger, basename, dirname, isInside, normalizePath, relativePath, silentLogger } from '../service/host';
import { findRoot } from '../service/roots';
import { CancellationToken, noCancellation } from '../service/types';
import { phaseName } from '../service/workspace';
import { pathToUri, uriToPath } from './uri';

export interface EngineDeps {
  fs: FileSystem;
  assets: Assets;
  /**
   * Resolves once the file events the server has received so far that may reach the engine of the folder at
   * `folder` are applied (a batch still gathering once it has gathered): a request that follows file events reads
   * the engine after them, as it reads it after the editor's changes sent before it. Another folder's events are
   * not waited for.
   */
  eventsApplied?: (folder: string) => Promise<void>;
}

export class Folder {
  readonly svc: PhasegateService;
  /**
   * Resolves once the work queued on the engine so far (its loads, the file events it takes, see
   * `exclusive`) is done, even when it failed. A request waits for that work (`settled`) before it reads the engine.
   */
  ready: Promise<void> = Promise.resolve();
  /** How many `exclusive` runs are queued or running: while one is, the engine may be half way through a change. */
  private busy = 0;
  /** While a reader holds the engine's changes (`hold`): how many hold them, and what resolves once none does. */
  private held: { count: number; released: Promise<void>; release: () => void } | undefined;
  loaded = false;
  disposed = false;
  /**
   * Why nothing of the folder is checked, when it is a phase (or lies in one) of a project outside it: said in the
   * log and in the phase tree (see `phaseFolderNotice`). Set at each load.
   */
  notice: string | undefined;
  /**
   * For a derived folder — a nested workspace (a project with a config of its own) that another folder's
   * scan found, checked by an engine of its own — the folder that found it; undefined for a workspace
   * folder of the client.
   */
  parent: Folder | undefined;

  constructor(
    readonly uri: string,
    readonly path: string,
    public name: string,
    private readonly deps: EngineDeps,
    logger: Logger,
    trusted: boolean,
  ) {
    this.svc = new PhasegateService({ fs: deps.fs, assets: deps.assets, logger, trusted });
  }

  /**
   * Runs `fn`, a change of the engine that awaits in its course (a load, a reload, file events), after the
   * work queued before it; `ready` resolves only after it. Requests wait (`settled`), so none reads an engine
   * half way through a change: one whose documents are cleared, or whose open documents hold the disk's text
   * until their editor text is applied again.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    this.busy++;
    const run = this.ready
      .then(() => this.unheld())
      .then(fn)
      .finally(() => this.busy--);
    this.ready = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Whether a change of the engine is queued or running (`exclusive`). */
  get changing(): boolean {
    return this.busy > 0;
  }

  /**
   * Resolves once the file events received so far are applied and no change of the engine is queued or running.
   * The caller then reads the engine synchronously: the check is made last, with nothing awaited after it. Not
   * to be awaited by the work that applies file events (it would wait for itself).
   */
  async settled(): Promise<void> {
    // The file events received before the request first: they queue the engine's changes they make (`exclusive`).
    // Only this folder's: another's (its reload, or its changes held by a reader) are none of this engine's.
    await this.deps.eventsApplied?.(this.path);
    while (this.busy) await this.ready;
  }

  /**
   * Holds the engine's changes (`exclusive` runs wait, queued in order) until the returned function is
   * called: a reader that yields to other requests while it reads the engine (the phase tree) reads one
   * state throughout. Requests that wait for a change (`settled`) wait for it the longer; the others go on.
   * The holder must not wait for `settled` itself while it holds.
   */
  hold(): () => void {
    if (!this.held) {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      this.held = { count: 0, released, release };
    }
    const held = this.held;
    held.count++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--held.count === 0) {
        if (this.held === held) this.held = undefined;
        held.release();
      }
    };
  }

  /** Resolves once no reader holds the engine's changes. */
  private async unheld(): Promise<void> {
    while (this.held) await this.held.released;
  }
}

export class Workspaces {
  private readonly folders = new Map<string, Folder>();
  /** Runs after each (re)load of a folder's engine, before the folder counts as loaded; never throws. */
  prepare: ((folder: Folder) => Promise<void>) | undefined;

  constructor(
    private readonly deps: EngineDeps,
    private readonly logger: Logger,
    private readonly trusted: () => boolean,
  ) {}

  /** Runs after each (re)load of a folder's engine, once it counts as loaded (its derived folders are adopted then); never throws. */
  loaded: ((folder: Folder) => void) | undefined;

  /** Adds a folder; its load runs in the background (`folder.ready`). */
  add(uri: string, name?: string): Folder | undefined {
    const path = uriToPath(uri);
    if (!path) {
      this.logger.log(`Ignoring workspace folder ${uri}: not a file URI.`);
      return undefined;
    }
    const existing = this.folders.get(path);
    if (existing) {
      // A derived folder the client now opens as a workspace folder: its engine stays, it is the client's now.
      if (existing.parent) {
        existing.parent = undefined;
        existing.name = name ?? basename(path);
      }
      return existing;
    }
    const folder = new Folder(uri, path, name ?? basename(path), this.deps, this.logger, this.trusted());
    this.folders.set(path, folder);
    return folder;
  }

  /** Loads (or reloads) a folder; errors are logged, never thrown. */
  load(folder: Folder, token: CancellationToken = noCancellation): Promise<void> {
    return folder.exclusive(() => this.loadNow(folder, token));
  }

  private loadNow(folder: Folder, token: CancellationToken): Promise<void> {
    const started = Date.now();
    return folder.svc.load(folder.path, token).then(
      async () => {
        folder.notice = !folder.parent && !folder.svc.model.phases.length ? await this.phaseFolderNotice(folder) : undefined;
        if (folder.notice) this.logger.log(folder.notice);
        await this.prepare?.(folder);
        folder.loaded = true;
        this.loaded?.(folder);
        const m = folder.svc.model;
        this.logger.log(`Indexed ${folder.path}: ${m.phases.length} phases, ${folder.svc.checkedFiles().length} documents in ${Date.now() - started} ms.`);
        const limit = folder.svc.scanLimit();
        if (limit) this.logger.log(`${folder.path} is not checked whole: ${limit}.`);
      },
      (e: unknown) => {
        folder.loaded = true;
        this.logger.log(`Loading ${folder.path} failed: ${(e as Error).stack ?? String(e)}`);
      },
    );
  }

  /**
   * For a workspace folder of the client with no phase in it: when it is a phase, or lies in one, of the project
   * `phasegate check` finds for it in a folder above (the folder holding `phase-N`, or `workstreams/`, or a
   * `phasegate.yaml`), why nothing of it is checked. A phase is checked with its project (the previous phase's
   * handoff, the phases' order and ids), which lies outside the folder: the editor neither shows nor watches the
   * files there (the project's other phases would be read once and go stale, their changes unseen), and fixes
   * and new documents would be written there. Undefined otherwise (a folder of no project's phase).
   */
  private async phaseFolderNotice(folder: Folder): Promise<string | undefined> {
    try {
      const { root } = await findRoot(this.deps.fs, folder.path, false);
      if (root === folder.path) return undefined;
      // The project as the CLI loads it (its scan and model, no document read).
      const probe = new PhasegateService({ fs: this.deps.fs, assets: this.deps.assets, logger: silentLogger, trusted: this.trusted() });
      await probe.load(root, undefined, { only: () => false });
      const phase = probe.model.phases.find((p) => isInside(p.folder, folder.path));
      if (!phase) return undefined;
      const what = phase.folder === folder.path ? `is ${phaseName(phase)}` : `lies in ${phaseName(phase)}`;
      return (
        `The workspace folder ${folder.path} ${what} of the project at ${root}, outside it: a phase is checked with its ` +
        `project (the phases before it, their handoffs), whose files the editor does not show or watch from this folder, ` +
        `so nothing here is checked. Open ${root} as the workspace folder (or add it to the workspace) to check the phase; ` +
        `\`phasegate check ${folder.path}\` checks it from the command line.`
      );
    } catch {
      return undefined;
    }
  }

  /** Removes a workspace folder of the client, with the folders derived from it; returns them, the folder first. */
  remove(uri: string): Folder[] {
    const path = uriToPath(uri);
    const f = path ? this.folders.get(path) : undefined;
    return f ? this.removeTree(f) : [];
  }

  /** Removes a folder and the folders derived from it (theirs too); returns them, the folder first. */
  private removeTree(f: Folder): Folder[] {
    f.disposed = true;
    this.folders.delete(f.path);
    const out = [f];
    for (const d of [...this.folders.values()]) if (d.parent === f) out.push(...this.removeTree(d));
    return out;
  }

  /**
   * Makes the derived folders of `folder` those its engine found nested in it at its last load: a folder for
   * each new one (not loaded yet: the caller loads it), and none for those gone (removed with theirs). A
   * nested workspace the client has open as a workspace folder already has its folder. Returns what changed.
   */
  adoptNested(folder: Folder): { added: Folder[]; removed: Folder[] } {
    const want = new Set(folder.disposed ? [] : folder.svc.nested);
    const removed: Folder[] = [];
    for (const d of [...this.folders.values()]) if (d.parent === folder && !d.disposed && !want.has(d.path)) removed.push(...this.removeTree(d));
    const added: Folder[] = [];
    const client = this.clientFolder(folder);
    for (const path of want) {
      if (this.folders.has(path)) continue;
      const d = new Folder(pathToUri(path), path, relativePath(client.path, path), this.deps, this.logger, this.trusted());
      d.parent = folder;
      this.folders.set(path, d);
      added.push(d);
    }
    return { added, removed };
  }

  /** The workspace folder of the client a folder is derived from (itself for one of the client's). */
  clientFolder(f: Folder): Folder {
    let c = f;
    while (c.parent) c = c.parent;
    return c;
  }

  /**
   * How the folder is named to the user: a workspace folder by its name; a derived folder by its path in its
   * workspace folder (`projects/a`), after the workspace folder's name when the client has several.
   */
  label(f: Folder): string {
    if (!f.parent) return f.name;
    const clients = this.all().filter((c) => !c.parent).length;
    return clients > 1 ? `${this.clientFolder(f).name}/${f.name}` : f.name;
  }

  /** Every folder: the client's workspace folders in their order, each followed by the folders derived from it, by path. */
  all(): Folder[] {
    const folders = [...this.folders.values()];
    const clients = folders.filter((f) => !f.parent);
    const rank = new Map(clients.map((c, i) => [c, i]));
    const key = (f: Folder) => rank.get(this.clientFolder(f)) ?? clients.length;
    return folders
      .map((f, i) => ({ f, i, k: key(f) }))
      .sort((a, b) => a.k - b.k || (a.f.parent ? 1 : 0) - (b.f.parent ? 1 : 0) || (a.f.parent ? (a.f.path < b.f.path ? -1 : 1) : a.i - b.i))
      .map((x) => x.f);
  }

  /**
   * The folders whose engines take a file event on `path`: its innermost folder, and, for the root or the
   * config file of a derived folder, the folder it is derived from too (whose nested workspaces it changes).
   */
  foldersFor(path: string): Folder[] {
    const p = normalizePath(path);
    const out: Folder[] = [];
    let f = this.folderOf(p);
    while (f) {
      out.push(f);
      f = f.parent && (p === f.path || (dirname(p) === f.path && CONFIG_FILES.includes(basename(p)))) ? f.parent : undefined;
    }
    return out;
  }

  /**
   * Gives each folder's engine the folders nested in it, which it then leaves to their own engines (each
   * phase is shown and judged once, by its innermost folder's config). Returns the folders whose set
   * changed: those already loaded need a reload.
   */
  excludeNested(): Folder[] {
    const changed: Folder[] = [];
    // A derived folder is left out by the engine that found it; it lies in no other folder's scan.
    const clients = [...this.folders.values()].filter((o) => !o.parent);
    for (const f of this.folders.values()) {
      const nested = clients.filter((o) => o !== f && o.path !== f.path && isInside(f.path, o.path)).map((o) => o.path);
      if (f.svc.setExcludedFolders(nested)) changed.push(f);
    }
    return changed;
  }

  /** The innermost folder holding `path`. */
  folderOf(path: string): Folder | undefined {
    const p = normalizePath(path);
    let best: Folder | undefined;
    for (const f of this.folders.values()) {
      if (isInside(f.path, p) && (!best || f.path.length > best.path.length)) best = f;
    }
    return best;
  }

  byUri(uri: string): Folder | undefined {
    const p = uriToPath(uri);
    return p ? this.folders.get(p) : undefined;
  }

  /** Waits until every folder known now has loaded, and the folders derived from them meanwhile. */
  async allReady(): Promise<void> {
    for (;;) {
      const folders = this.all();
      await Promise.all(folders.map((f) => f.ready));
      if (this.all().every((f) => folders.includes(f))) return;
    }
  }

  static folderUri(path: string): string {
    return pathToUri(path);
  }
}
