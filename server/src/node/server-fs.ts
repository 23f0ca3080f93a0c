/**
 * The language server's file system. Folder listings, stats and single reads are asynchronous, as
 * NodeFileSystem's: they never block the event loop. Reading a workspace's documents (thousands at
 * once) is synchronous, in slices: the engine lets the event loop run every few milliseconds (`pause`),
 * so that requests and cancellations are served meanwhile, and each read costs a third of a callback
 * read (no thread-pool hop; at N = 1,000 in bench/ the index is read in about 0.1 s instead of 0.5 s).
 *
 * A synchronous read that is slow (a network file system, a disk that stalls) would hold the server
 * up for as long as it lasts: after one read slower than `slowMs`, the server reads asynchronously for
 * the rest of its life (the engine then reads the files left through `readFile`).
 */
import { NodeFileSystem } from './assets';
import { SyncNodeFileSystem } from './sync-fs';

/** A read slower than this (ms) ends the synchronous reads. */
export const SLOW_SYNC_READ_MS = 50;

export class ServerFileSystem extends NodeFileSystem {
  private readonly reader = new SyncNodeFileSystem();

  /** Set when a synchronous read was slow (see above). */
  slowReads = false;

  constructor(
    private readonly slowMs = SLOW_SYNC_READ_MS,
    private readonly now: () => number = () => performance.now(),
    private readonly log: (message: string) => void = () => undefined,
  ) {
    super();
  }

  readSmallFileSync?: (path: string, maxBytes: number) => Uint8Array | number = (path, maxBytes) => {
    const start = this.now();
    try {
      return this.reader.readSmallFileSync(path, maxBytes);
    } finally {
      const ms = this.now() - start;
      if (ms > this.slowMs && !this.slowReads) {
        this.slowReads = true;
        this.readSmallFileSync = undefined;
        this.log(`reading ${path} took ${Math.round(ms)} ms: documents are read asynchronously from now on`);
      }
    }
  };

  pause(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }
}
