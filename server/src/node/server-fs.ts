/**
 * The language server's file system. Folder listings, stats and single reads are asynchronous, as
 * NodeFileSystem's: they never block the event loop. Reading a workspace's documents (thousands at
 * once) is synchronous, in slices: the engine lets the event loop run every millisecond or so (`pause`),
 * so that requests and cancellations are served meanwhile, and a read of a file in the system's cache
 * costs a third of a callback read (no thread-pool hop).
 *
 * Where reads wait on a disk or a network (a network drive, a Windows drive under WSL), one read at a
 * time would give up what the asynchronous reads' 32 in flight hide, and a read that stalls would hold
 * the server up for as long as it lasts. So the synchronous reads end for good, and the engine reads
 * the files left asynchronously, after one read slower than `slowMs` or a run of `WINDOW` reads slower
 * than `meanSlowMs` on average (a cached read takes some 0.02 ms).
 */
import { NodeFileSystem } from './assets';
import { SyncNodeFileSystem } from './sync-fs';

/** A read slower than this (ms) ends the synchronous reads. */
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

  private slow(why: string): void {
    if (this.slowReads) return;
    this.slowReads = true;
    this.readSmallFileSync = undefined;
    this.log(`${why}: documents are read asynchronously from now on`);
  }

  pause(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }
}
