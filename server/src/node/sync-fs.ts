/**
 * The file system of the `phasegate` process (and of its worker threads): reads, stats and folder
 * listings are synchronous. A batch run has nothing else to do meanwhile, and a synchronous read of a small
 * file costs about a third of a callback read's CPU (no thread-pool hop): ~0.06 s instead of
 * ~0.23 s for the 10,000 documents of the benchmark workspace. The language server's file system
 * (server-fs.ts) is asynchronous but for its documents' reads, which it makes with this one's
 * `readSmallFileSync`, in slices, while they are quick.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DirEntry, FileStat } from '../service/host';
import { NodeFileSystem } from './assets';

/** `readSmallFileSync`'s slabs: their size, and the free space below which a fresh one is taken. */
const SLAB_BYTES = 256 * 1024;
const SLAB_MIN_FREE = 32 * 1024;

/** The bytes of the open file `fd` when it holds at most `maxBytes`, else its size: one fstat, one buffer of that size. */
function readWhole(fd: number, maxBytes: number): Uint8Array | number {
  const size = fs.fstatSync(fd).size;
  if (size > maxBytes) return size;
  const buf = Buffer.allocUnsafe(size);
  let off = 0;
  while (off < size) {
    const n = fs.readSync(fd, buf, off, size - off, off);
    if (n === 0) break; // the file shrank meanwhile
    off += n;
  }
  return off === size ? buf : buf.subarray(0, off);
}

export class SyncNodeFileSystem extends NodeFileSystem {
  /** Where `readSmallFileSync` reads small files (see there), and how much of it is handed out. */
  private slab: Buffer = Buffer.alloc(0);
  private slabUsed = 0;

  override async readFile(p: string): Promise<Uint8Array> {
    return fs.readFileSync(p);
  }

  /**
   * One open, read and close: the file is read into the free end of a shared slab, and a read that
   * stops short of it has met the end of the file, so its size needs no fstat. Only a file that fills
   * what was asked (larger than the free space or than `maxBytes`) is read the general way. The bytes
   * returned are the file's own: a slab's parts are handed out once and never written again (as
   * Node's Buffer pool does), and a slab with little room left is replaced by a fresh one (performance
   * only: about a quarter less CPU per small file than an fstat and a buffer of its own).
   */
  readSmallFileSync(p: string, maxBytes: number): Uint8Array | number {
    const fd = fs.openSync(p, 'r');
    try {
      if (this.slab.length - this.slabUsed < SLAB_MIN_FREE) {
        this.slab = Buffer.allocUnsafe(SLAB_BYTES);
        this.slabUsed = 0;
      }
      const start = this.slabUsed;
      const want = Math.min(this.slab.length - start, maxBytes + 1);
      const n = fs.readSync(fd, this.slab, start, want, 0);
      if (n < want) {
        // 8-byte aligned, as Node's pool aligns its parts.
        this.slabUsed = Math.min(this.slab.length, (start + n + 7) & ~7);
        return this.slab.subarray(start, start + n);
      }
      return readWhole(fd, maxBytes);
    } finally {
      fs.closeSync(fd);
    }
  }

  override async readDirectory(dir: string): Promise<DirEntry[]> {
    return this.readDirectorySync(dir) ?? super.readDirectory(dir);
  }

  /** The entries of `dir`; undefined when it holds a symbolic link (rare: the asynchronous path, which detects loops, lists it). */
  readDirectorySync(dir: string): DirEntry[] | undefined {
    const out: DirEntry[] = [];
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) out.push({ name: e.name, kind: 'directory' });
      else if (e.isFile()) out.push({ name: e.name, kind: 'file' });
      else if (e.isSymbolicLink()) return undefined;
      else out.push({ name: e.name, kind: 'other' });
    }
    return out;
  }

  override async stat(p: string): Promise<FileStat | undefined> {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(p, { throwIfNoEntry: false });
    } catch {
      return undefined; // as NodeFileSystem: any failure (ENOTDIR, EACCES, …) is "no such entry"
    }
    if (!st) return undefined;
    return { kind: st.isDirectory() ? 'directory' : st.isFile() ? 'file' : 'other', size: st.size };
  }

  /** Adds `text` at the end of the file, which is created when there is none (as the shell's `>>`). */
  async appendFile(p: string, text: string): Promise<void> {
    fs.appendFileSync(p, text);
  }

  async createFile(p: string, text: string): Promise<void> {
    await fs.promises.mkdir(path.dirname(p), { recursive: true });
    // 'wx': fail with EEXIST rather than overwrite, atomically, even when another process races us.
    await fs.promises.writeFile(p, text, { flag: 'wx' });
  }

  /**
   * Reads the file, has `update` rewrite its text, and writes what it returns. A change made meanwhile
   * is not lost: the file is read again just before the write, and the update starts over on what it
   * holds then. Through a symbolic link, the file it leads to is written (the link stays a link).
   *
   * The new text goes to a temporary file in the file's folder, with the file's mode, owner and group,
   * which then replaces the file (a rename: the file holds its old text or its new one, never a part of
   * it). Where that does not fit, the file is written in place: its folder cannot be written to, the
   * file has other hard links (a rename would part them from it), or this process may not give the
   * temporary file the file's owner or group (another user's file would become this one's). A file
   * this process may not write is not replaced through its folder either: EACCES, as a write would fail.
   */
  async updateFile(p: string, update: (text: string) => string | undefined): Promise<boolean> {
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const file = fs.realpathSync(p);
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = fs.readFileSync(file);
      const raw = decoder.decode(before);
      const bom = raw.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
      const next = update(raw.slice(bom.length));
      if (next === undefined) return false;
      if (replaceFile(file, before, Buffer.from(bom + next, 'utf8'))) return true;
    }
    throw new Error('it kept changing while it was being updated');
  }
}

/** Temporary files made by this process, numbered. */
let tempCount = 0;

/** Writes `data` over `file` if it still holds `before` (see `updateFile`); false when it changed meanwhile. */
function replaceFile(file: string, before: Buffer, data: Buffer): boolean {
  const st = fs.statSync(file);
  fs.accessSync(file, fs.constants.W_OK);
  // A file no one may write (mode 444) is read-only by its owner's choice, also to a process that could
  // write it anyway (root).
  if ((st.mode & 0o222) === 0) throw Object.assign(new Error(`EACCES: read-only (mode ${(st.mode & 0o777).toString(8)}), open '${file}'`), { code: 'EACCES' });
  const temp = st.nlink <= 1 ? createTemp(file, st) : undefined;
  if (temp === undefined) {
    if (!fs.readFileSync(file).equals(before)) return false;
    fs.writeFileSync(file, data);
    return true;
  }
  let renamed = false;
  try {
    fs.writeFileSync(temp.fd, data);
    fs.fsyncSync(temp.fd);
    fs.closeSync(temp.fd);
    temp.fd = -1;
    if (!fs.readFileSync(file).equals(before)) return false;
    fs.renameSync(temp.path, file);
    renamed = true;
    return true;
  } finally {
    if (temp.fd >= 0) fs.closeSync(temp.fd);
    if (!renamed) fs.rmSync(temp.path, { force: true });
  }
}

/**
 * A new temporary file beside `file`, with its mode, owner and group; undefined when its folder cannot
 * be written to or this process may not give the temporary file that owner or group.
 */
function createTemp(file: string, st: fs.Stats): { path: string; fd: number } | undefined {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${++tempCount}.tmp`);
  let fd: number;
  try {
    fd = fs.openSync(temp, 'wx', st.mode & 0o7777);
  } catch (e) {
    if (isRefusal(e)) return undefined;
    throw e;
  }
  try {
    // The mode the file had, whatever the umask took from it at the create.
    fs.fchmodSync(fd, st.mode & 0o7777);
    const made = fs.fstatSync(fd);
    if (made.uid !== st.uid || made.gid !== st.gid) fs.fchownSync(fd, st.uid, st.gid);
    return { path: temp, fd };
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    if (isRefusal(e)) return undefined;
    throw e;
  }
}

/** Whether an error is the system refusing the operation (a permission, a read-only file system). */
function isRefusal(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}
