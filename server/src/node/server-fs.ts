/**
 * The language server's file system. Stats and single reads are asynchronous, as NodeFileSystem's:
 * they never block the event loop. Scanning a workspace (thousands of folders) and reading its documents
 * (thousands at once) is synchronous, in slices: the engine lets the event loop run every millisecond or
 * so (`pause`), so that requests and cancellations are served meanwhile, and a read or a listing of a
 * folder in the system's cache costs a third of a callback one (no thread-pool hop). Listed
 * asynchronously, the folders of a scan's level settle in a flood of callbacks that the event loop runs
 * without a break (0.5 s and more at 10,000 phases).
 *
 * Where reads wait on a disk or a network (a network drive, a Windows drive under WSL), one read at a
 * time would give up what the asynchronous reads' 32 in flight hide, and a read that stalls would hold
 * the server up for as long as it lasts. So the synchronous reads and listings end for good, and the
 * engine reads and lists what is left asynchronously, after one read or listing slower than `slowMs` or
 * a run of `WINDOW` reads slower than `meanSlowMs` on average (a cached read takes some 0.02 ms), or of
 * `WINDOW` listings slower than that for each 32 entries they hold (a cached listing of a few entries
 * takes some 0.02 ms, of 10,000 some 5 ms).
 */
import type { DirEntry } from '../service/host';
import { NodeFileSystem } from './assets';
import { SyncNodeFileSystem } from './sync-fs';

/** A read (or a listing) slower than this (ms) ends the synchronous reads and listings. */
export const SLOW_SYNC_READ_MS = 50;
/** So do `WINDOW` reads in a row slower than this on average (ms). */
export const SLOW_SYNC_MEAN_MS = 0.5;
const WINDOW = 32;

export class ServerFileSystem extends NodeFileSystem {
  private readonly reader = new SyncNodeFileSystem();

  /** Set when the synchronous reads were slow (see above). */
  slowReads = false;
  /** Reads and their time (ms) in the current window. */
  private windowReads = 0;
  private windowMs = 0;
  /** Listings and their time (ms, for each 32 entries) in the current window. */
  private windowLists = 0;
  private windowListMs = 0;

  private readonly slowMs: number;
  private readonly meanSlowMs: number;
  private readonly now: () => number;
  private readonly log: (message: string) => void;

  /** `slowMs` and `meanSlowMs`: the bounds above (tests set them, and a clock); `log`: where the switch is told. */
  constructor(opts: { slowMs?: number; meanSlowMs?: number; now?: () => number; log?: (message: string) => void } = {}) {
    super();
    this.slowMs = opts.slowMs ?? SLOW_SYNC_READ_MS;
    this.meanSlowMs = opts.meanSlowMs ?? SLOW_SYNC_MEAN_MS;
    this.now = opts.now ?? (() => performance.now());
    this.log = opts.log ?? (() => undefined);
  }

  readSmallFileSync?: (path: string, maxBytes: number) => Uint8Array | number = (path, maxBytes) => {
    const start = this.now();
    try {
      return this.reader.readSmallFileSync(path, maxBytes);
    } finally {
      const ms = this.now() - start;
      this.windowMs += ms;
      if (++this.windowReads === WINDOW) {
        if (this.windowMs / WINDOW > this.meanSlowMs) this.slow(`${WINDOW} reads took ${this.windowMs.toFixed(1)} ms`);
        this.windowReads = this.windowMs = 0;
      }
      if (ms > this.slowMs) this.slow(`reading ${path} took ${Math.round(ms)} ms`);
    }
  };

  /**
   * A folder's entries, listed synchronously (see above), or undefined when it holds a symbolic link (the
   * asynchronous listing, which detects loops, lists it); throws as `readDirectory` does.
   */
  readDirectorySync?: (path: string) => DirEntry[] | undefined = (path) => {
    const start = this.now();
    let entries: DirEntry[] | undefined;
    try {
      return (entries = this.reader.readDirectorySync(path));
    } finally {
      const ms = this.now() - start;
      this.windowListMs += ms / Math.max(1, (entries?.length ?? 0) / 32);
      if (++this.windowLists === WINDOW) {
        if (this.windowListMs / WINDOW > this.meanSlowMs) this.slow(`${WINDOW} folder listings took ${this.windowListMs.toFixed(1)} ms (for each 32 entries)`);
        this.windowLists = this.windowListMs = 0;
      }
      if (ms > this.slowMs) this.slow(`listing ${path} took ${Math.round(ms)} ms`);
    }
  };

  private slow(why: string): void {
    if (this.slowReads) return;
    this.slowReads = true;
    this.readSmallFileSync = undefined;
    this.readDirectorySync = undefined;
    this.log(`${why}: documents are read asynchronously from now on`);
  }

  pause(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }
}
