/**
 * Workspace folders (multi-root): one engine per folder, loaded in the background.
 * Every feature finds its engine here, waiting for the folder's first load.
 */
import { Assets, PhasegateService } from '../service/service';
import { FileSystem, Logger, basename, isInside, normalizePath } from '../service/host';
import { CancellationToken, noCancellation } from '../service/types';
import { pathToUri, uriToPath } from './uri';

export interface EngineDeps {
  fs: FileSystem;
  assets: Assets;
}

export class Folder {
  readonly svc: PhasegateService;
  /** Resolves once the first load is done (even when it failed). */
  ready: Promise<void> = Promise.resolve();
  loaded = false;
  disposed = false;

  constructor(
    readonly uri: string,
    readonly path: string,
    readonly name: string,
    deps: EngineDeps,
    logger: Logger,
    trusted: boolean,
  ) {
    this.svc = new PhasegateService({ fs: deps.fs, assets: deps.assets, logger, trusted });
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

  /** Adds a folder; its load runs in the background (`folder.ready`). */
  add(uri: string, name?: string): Folder | undefined {
    const path = uriToPath(uri);
    if (!path) {
      this.logger.log(`Ignoring workspace folder ${uri}: not a file URI.`);
      return undefined;
    }
    const existing = this.folders.get(path);
    if (existing) return existing;
    const folder = new Folder(uri, path, name ?? basename(path), this.deps, this.logger, this.trusted());
    this.folders.set(path, folder);
    return folder;
  }

  /** Loads (or reloads) a folder; errors are logged, never thrown. */
  load(folder: Folder, token: CancellationToken = noCancellation): Promise<void> {
    const started = Date.now();
    folder.ready = folder.svc.load(folder.path, token).then(
      async () => {
        await this.prepare?.(folder);
        folder.loaded = true;
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
    return folder.ready;
  }

  remove(uri: string): Folder | undefined {
    const path = uriToPath(uri);
    const f = path ? this.folders.get(path) : undefined;
    if (f && path) {
      f.disposed = true;
      this.folders.delete(path);
    }
    return f;
  }

  all(): Folder[] {
    return [...this.folders.values()];
  }

  /**
   * Gives each folder's engine the folders nested in it, which it then leaves to their own engines (each
   * phase is shown and judged once, by its innermost folder's config). Returns the folders whose set
   * changed: those already loaded need a reload.
   */
  excludeNested(): Folder[] {
    const changed: Folder[] = [];
    for (const f of this.folders.values()) {
      const nested = [...this.folders.values()].filter((o) => o !== f && o.path !== f.path && isInside(f.path, o.path)).map((o) => o.path);
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

  /** Waits until every folder known now has loaded. */
  async allReady(): Promise<void> {
    await Promise.all(this.all().map((f) => f.ready));
  }

  static folderUri(path: string): string {
    return pathToUri(path);
  }
}
