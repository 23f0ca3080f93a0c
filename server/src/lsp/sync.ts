/**
 * Editor text -> engine overlays, debounced per document. Typing only restarts a timer;
 * the engine sees the text once the user pauses (or when a feature needs it now).
 */
import type { CancellationToken } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServerContext } from './context';
import { uriToPath } from './uri';
import type { Folder } from './workspaces';

/** Called with the document that changed (when one did) and every file whose diagnostics may change. */
export type UpdateListener = (uri: string | undefined, affected: string[], folder: Folder) => void;

interface Pending {
  timer: NodeJS.Timeout | undefined;
  /** Debounce delay, once the settings are read. */
  delay: number | undefined;
  done: Promise<void>;
  fire: () => void;
  /** Releases whoever waits, without applying (the document closed or reopened). */
  resolve: () => void;
}

/**
 * The engine's text of an open document: the client's without a byte order mark, as a file's text read
 * from disk is (the features convert the first line's positions, see `toClientRange`).
 */
function engineText(doc: TextDocument): string {
  const text = doc.getText();
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export class DocumentSync {
  private readonly pending = new Map<string, Pending>();
  /** The folder whose engine holds each open document's editor text. */
  private readonly owners = new Map<string, Folder>();

  constructor(
    private readonly ctx: ServerContext,
    private readonly onUpdate: UpdateListener,
  ) {
    ctx.flush = (uri) => this.flush(uri);
    ctx.pending = (uri) => (uri === undefined ? this.pending.size > 0 : this.pending.has(uri));
  }

  /** A document opened: its text applies at once. */
  async open(doc: TextDocument): Promise<void> {
    this.cancel(doc.uri);
    await this.apply(doc.uri);
  }

  /**
   * A document changed: apply after the debounce delay of its settings. The pending entry
   * is registered at once (before the settings are read) so that a request arriving right
   * after the change waits for this text, not the previous one.
   */
  change(doc: TextDocument): void {
    const uri = doc.uri;
    const existing = this.pending.get(uri);
    if (existing) {
      if (existing.delay !== undefined) {
        clearTimeout(existing.timer);
        existing.timer = setTimeout(existing.fire, existing.delay);
      }
      return;
    }
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const entry: Pending = {
      timer: undefined,
      delay: undefined,
      done,
      resolve: () => resolve(),
      fire: () => {
        clearTimeout(entry.timer);
        if (this.pending.get(uri) !== entry) return;
        this.pending.delete(uri);
        this.apply(uri).then(resolve, resolve);
      },
    };
    this.pending.set(uri, entry);
    void this.ctx.settings.get(uri).then((s) => {
      if (this.pending.get(uri) !== entry) return;
      entry.delay = s.validate.debounceMs;
      entry.timer = setTimeout(entry.fire, entry.delay);
    });
  }

  async close(uri: string): Promise<void> {
    this.cancel(uri);
    const path = uriToPath(uri);
    const folder = this.owners.get(uri) ?? (path ? this.ctx.workspaces.folderOf(path) : undefined);
    this.owners.delete(uri);
    if (!path || !folder || folder.disposed) return;
    // The same file still open under another URI (a client that spells it otherwise): its text stays the engine's.
    const other = this.ctx.openElsewhere(uri, path);
    if (other) return this.apply(other.uri);
    // Part of the engine's work: it awaits the disk, and no request reads the engine half way.
    const affected = await folder.exclusive(() => folder.svc.clearOverlay(path));
    this.onUpdate(undefined, affected, folder);
  }

  /** Applies a pending change now. */
  async flush(uri: string): Promise<void> {
    const p = this.pending.get(uri);
    if (!p) return;
    clearTimeout(p.timer);
    p.fire();
    await p.done;
  }

  /** Waits for a pending change to apply on its own schedule (or for cancellation). */
  async settled(uri: string, token?: CancellationToken): Promise<void> {
    const p = this.pending.get(uri);
    if (!p) return;
    if (!token) return p.done;
    await new Promise<void>((resolve) => {
      const sub = token.onCancellationRequested(() => {
        sub.dispose();
        resolve();
      });
      p.done.then(() => {
        sub.dispose();
        resolve();
      });
    });
  }

  /** Waits for every pending change (any document: cross-file rules read them all), or for cancellation. */
  async settledAll(token?: CancellationToken): Promise<void> {
    for (const uri of [...this.pending.keys()]) {
      if (token?.isCancellationRequested) return;
      await this.settled(uri, token);
    }
  }

  isPending(uri: string): boolean {
    return this.pending.has(uri);
  }

  /** Re-applies the editor text of every open document of a folder (after a reload dropped it). */
  reapply(folder: Folder): void {
    for (const d of this.ctx.documents.all()) {
      const p = uriToPath(d.uri);
      if (p && this.ctx.workspaces.folderOf(p) === folder) {
        folder.svc.setOverlay(p, engineText(d));
        this.owners.set(d.uri, folder);
      }
    }
  }

  /**
   * Workspace folders were added or removed: an open document whose innermost folder is now another
   * one (a nested folder added, or the nested folder holding it removed) takes its editor text there;
   * the engine it leaves reads it from disk again. Resolves once every move is applied, with the
   * documents that moved.
   */
  async rehome(): Promise<string[]> {
    const moves: Promise<void>[] = [];
    const moved: string[] = [];
    for (const d of this.ctx.documents.all()) {
      const p = uriToPath(d.uri);
      if (!p) continue;
      const before = this.owners.get(d.uri);
      const now = this.ctx.workspaces.folderOf(p);
      if (!before || before === now) continue;
      moved.push(d.uri);
      this.owners.delete(d.uri);
      moves.push(
        (async () => {
          if (!before.disposed) {
            const affected = await before.exclusive(() => before.svc.clearOverlay(p));
            this.onUpdate(undefined, affected, before);
          }
          if (now) await this.apply(d.uri);
        })(),
      );
    }
    await Promise.all(moves);
    return moved;
  }

  private cancel(uri: string): void {
    const p = this.pending.get(uri);
    if (p) {
      clearTimeout(p.timer);
      this.pending.delete(uri);
      p.resolve();
    }
  }

  private async apply(uri: string): Promise<void> {
    const path = uriToPath(uri);
    const folder = path ? this.ctx.workspaces.folderOf(path) : undefined;
    if (!path || !folder) return;
    // Part of the engine's work: after the work queued before it, and never while a reader holds the
    // engine's changes (a phase tree built from one state).
    await folder.exclusive(async () => {
      const doc = this.ctx.documents.get(uri);
      // The folders may have changed meanwhile: the document's text goes to the folder holding it now (rehome).
      if (!doc || folder.disposed || this.ctx.workspaces.folderOf(path) !== folder) return;
      const affected = folder.svc.setOverlay(path, engineText(doc));
      this.owners.set(uri, folder);
      this.onUpdate(uri, affected, folder);
    });
  }
}
