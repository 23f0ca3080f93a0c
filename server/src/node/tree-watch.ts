/**
 * Watching folders on disk from the language server, for a client that cannot register file watchers
 * (`workspace/didChangeWatchedFiles` with dynamic registration: Neovim before 0.9, and other editors). Without it
 * such a client's server would never learn of a file written outside the editor (a checkout, `phasegate new`, a
 * script). One `fs.watch` per folder, not node's recursive watch: that one walks every folder (`node_modules`,
 * `.git`) at once and blocks while it does (0.7 s for 4,000 folders here); this walk leaves out the folders the
 * engine's scan leaves out (`skip`) and lets the host run between folders.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TreeWatch, TreeWatchEvent, TreeWatchOptions } from '../lsp/watch';

/** Errors of `fs.watch` that say the system will give no more watches: told once, and no more folders are tried. */
const LIMITS = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);

export class TreeWatcher implements TreeWatch {
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private closed = false;
  private full = false;

  constructor(private readonly opts: TreeWatchOptions) {}

  /** How many folders are watched. */
  get size(): number {
    return this.watchers.size;
  }

  /**
   * Watches `root` and the folders under it that `skip` does not leave out, those not watched yet; resolves once they
   * are. A folder that cannot be read or watched (gone meanwhile, no permission) is passed over.
   */
  async add(root: string): Promise<void> {
    const stack = [path.resolve(root)];
    let since = performance.now();
    while (stack.length && !this.closed && !this.full) {
      const dir = stack.pop()!;
      if (this.opts.skip(dir)) continue;
      if (!this.watchers.has(dir) && !this.watch(dir)) continue;
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      // Symbolic links to folders are not followed: their targets' own folders may be watched, never twice.
      for (const e of entries) if (e.isDirectory()) stack.push(path.join(dir, e.name));
      if (performance.now() - since > 10) {
        await this.opts.pause?.();
        since = performance.now();
      }
    }
  }

  /** Stops watching `dir` and the folders under it. */
  remove(dir: string): void {
    const d = path.resolve(dir);
    for (const [p, w] of this.watchers)
      if (p === d || p.startsWith(d + path.sep)) {
        w.close();
        this.watchers.delete(p);
      }
  }

  close(): void {
    this.closed = true;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  private watch(dir: string): boolean {
    try {
      const w = fs.watch(dir, { persistent: false }, (type, name) => {
        if (name) void this.onEvent(dir, type, name.toString());
      });
      // The folder deleted (its parent tells of it) or no longer readable: its watch ends.
      w.on('error', () => {
        w.close();
        if (this.watchers.get(dir) === w) this.watchers.delete(dir);
      });
      this.watchers.set(dir, w);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (LIMITS.has(code)) {
        this.full = true;
        this.opts.log(
          `Watching folders on disk stopped at ${this.watchers.size} folders: the system gives no more watches (${code}${code === 'ENOSPC' ? '; raise fs.inotify.max_user_watches' : ''}). Files changed outside the editor in the other folders are seen when the workspace loads again.`,
        );
      }
      return false;
    }
  }

  private async onEvent(dir: string, type: string, name: string): Promise<void> {
    if (this.closed) return;
    const p = path.join(dir, name);
    if (type === 'change') return this.emit({ path: p, type: 'changed' });
    // 'rename': created, deleted, or moved in or out; what is there now says which.
    const st = await fs.promises.lstat(p).catch(() => undefined);
    if (this.closed) return;
    if (!st) {
      this.remove(p);
      return this.emit({ path: p, type: 'deleted' });
    }
    // A folder is told once its own folders are watched: what is written in it from then on is seen, and what was
    // written before, the engine finds when it scans the folder for this event. One watched already is watched anew:
    // deleted and made again (or another moved over it), its old watches are of a folder gone.
    if (st.isDirectory() && !this.opts.skip(p)) {
      this.remove(p);
      await this.add(p);
    }
    if (!this.closed) this.emit({ path: p, type: 'created' });
  }

  private emit(event: TreeWatchEvent): void {
    this.opts.onEvents([event]);
  }
}
