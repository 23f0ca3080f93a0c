/**
 * File access, injected by the host (CLI, language server, tests). The engine never
 * touches `node:fs`. Paths are absolute and use forward slashes.
 */

export type EntryKind = 'file' | 'directory' | 'symlink-loop' | 'broken-link' | 'other';

export interface DirEntry {
  name: string;
  kind: EntryKind;
  /** A `broken-link`'s target, as the link names it. */
  target?: string;
}

export interface FileStat {
  kind: EntryKind;
  size: number;
}

export interface FileSystem {
  /** Entries of a directory; throws when it cannot be read. */
  readDirectory(path: string): Promise<DirEntry[]>;
  /** Raw bytes of a file; throws when it cannot be read. */
  readFile(path: string): Promise<Uint8Array>;
  /** `undefined` when nothing is there. */
  stat(path: string): Promise<FileStat | undefined>;
  /**
   * Optional, for hosts whose reads block anyway (the CLI): the bytes of a file of at most `maxBytes`,
   * or its size when it is larger; throws when it cannot be read. With it the engine reads its
   * documents in a plain loop, without a promise per file (performance only).
   */
  readSmallFileSync?(path: string, maxBytes: number): Uint8Array | number;
  /**
   * Optional, for a host that reads synchronously but must stay responsive (the language server): the
   * engine awaits it after every millisecond or so of synchronous work (reading documents, scanning the
   * tree, building the phase model), and the host's event loop runs meanwhile. Such a host may also
   * withdraw `readSmallFileSync` (set it to undefined) when its reads turn slow: the engine reads the rest
   * of the files through `readFile` then, without blocking.
   */
  pause?(): Promise<void>;
  /**
   * Optional: the path with every symbolic link resolved (forward slashes); throws when nothing is there.
   * With it the engine refuses a workspace file (a schema) that leads outside the workspace.
   */
  realpath?(path: string): Promise<string>;
  /**
   * Optional: whether a file or folder is at the path, at once. The engine asks it only of paths outside the
   * workspace that stay in the repository around it (repo-root.ts), which the scan does not list.
   */
  existsSync?(path: string): boolean;
}

export interface Logger {
  log(message: string): void;
}

export const silentLogger: Logger = { log: () => undefined };

/** `\`, `//`, a `.` or `..` segment; global, to be searched from `lastIndex` (see isNormalPath). */
const NOT_NORMAL_INSIDE = /\\|\/\/|(?:^|\/)\.\.?(?:\/|$)/g;

/**
 * Whether normalizePath returns `p` as it is: `p.length >= 2 && !NOT_NORMAL.test(p)` with
 * `NOT_NORMAL = /\\|[\s\S]\/\/|^\/\/(?:\/|$)|(?:^|\/)\.\.?(?:\/|$)|\/$|^[A-Za-z]:$/`, the paths normalizePath
 * would change: `\`, `//` (but the one that starts a UNC path), `.`/`..` segments, a trailing `/`, a bare
 * drive. Here the ends are tested by character codes and the rest by a regex without the alternatives that
 * hold at one place only, searched from the second character when a UNC path's `//` starts the path
 * (performance only: about a third faster; differential test in fast-paths-paths.test.ts).
 */
export function isNormalPath(p: string): boolean {
  const n = p.length;
  if (n < 2 || p.charCodeAt(n - 1) === 47) return false;
  // A bare drive.
  if (n === 2 && p.charCodeAt(1) === 58 && isAsciiLetter(p.charCodeAt(0))) return false;
  NOT_NORMAL_INSIDE.lastIndex = p.charCodeAt(0) === 47 && p.charCodeAt(1) === 47 ? 1 : 0;
  return !NOT_NORMAL_INSIDE.test(p);
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** The path last found normal (performance only: the same folder or root is tested again and again). */
let lastNormal: string | undefined;

/** Whether normalizePath returns `p` as it is (a path of two characters or more that needs no change). */
function isNormal(p: string): boolean {
  if (p === lastNormal) return true;
  if (!isNormalPath(p)) return false;
  lastNormal = p;
  return true;
}

/** Normalises a path to forward slashes without a trailing slash (except for the root). */
export function normalizePath(p: string): string {
  // Fast path (performance only): most paths are already normal; returning them as they are is what the slow path yields.
  if (isNormal(p)) return p;
  let s = p.replace(/\\/g, '/');
  // A UNC path (`//server/share/…`, Windows' `\\server\share`) keeps its two leading slashes.
  const unc = /^\/\/[^/]/.test(s);
  s = s.replace(/\/+/g, '/');
  const parts: string[] = [];
  for (const part of s.split('/')) {
    if (part === '.' || (part === '' && parts.length > 0)) continue;
    if (part === '..' && parts.length > 1) {
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  let out = parts.join('/');
  if (unc) out = '/' + out;
  if (/^[A-Za-z]:$/.test(out)) out += '/';
  return out === '' ? '/' : out;
}

export function joinPath(base: string, ...rest: string[]): string {
  if (rest.length === 1) {
    const joined = joinRelative(base, rest[0]);
    if (joined !== undefined) return joined;
  }
  return normalizePath([base, ...rest].join('/'));
}

/**
 * `normalizePath(base + '/' + rel)` for the common case, without splitting the whole path (performance
 * only): a normal POSIX `base` and a relative `rel` of plain, `.` and `..` segments that stays below the
 * root. Undefined for anything else, which the general path handles. The part of `rel` after its last
 * segment that starts with a `.` is appended as it is (all of it when none does, the usual case).
 */
function joinRelative(base: string, rel: string): string | undefined {
  const n = rel.length;
  if (n === 0 || base.length < 2 || base.charCodeAt(0) !== 47 || rel.charCodeAt(0) === 47 || rel.charCodeAt(n - 1) === 47) return undefined;
  if (rel.includes('\\') || rel.includes('//') || !isNormal(base)) return undefined;
  // Where the last segment that starts with a `.` starts (`.`, `..`, or a name like `.github`).
  const d = rel.lastIndexOf('/.');
  const lastDot = d >= 0 ? d + 1 : rel.charCodeAt(0) === 46 ? 0 : -1;
  if (lastDot < 0) return base + '/' + rel;
  let out = base;
  let i = 0;
  for (;;) {
    if (i > lastDot) return out + '/' + rel.slice(i);
    const j = rel.indexOf('/', i);
    const seg = j < 0 ? rel.slice(i) : rel.slice(i, j);
    if (seg === '..') {
      const k = out.lastIndexOf('/');
      // Above the root, or to a UNC path's `//`: the general path.
      if (k <= 0 || out.charCodeAt(k - 1) === 47) return undefined;
      out = out.slice(0, k);
    } else if (seg !== '.') out += '/' + seg;
    if (j < 0) return out;
    i = j + 1;
  }
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i <= 0) return '/';
  return p.slice(0, i);
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Path of `to` relative to the folder `from`, forward slashes. */
export function relativePath(from: string, to: string): string {
  const f = normalizePath(from);
  const t = normalizePath(to);
  // Fast path (performance only): `to` below `from`, the rest of `to`, which splitting both gives too (normal
  // paths hold no empty segment; the root `/` is the one that ends in `/`, and below it a UNC path's `//`).
  const n = f.length;
  if (t.length > n + 1 && t.charCodeAt(n) === 47 && t.startsWith(f)) return t.slice(n + 1);
  const a = f.split('/').filter(Boolean);
  const b = t.split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const up = a.slice(i).map(() => '..');
  const rel = [...up, ...b.slice(i)].join('/');
  return rel === '' ? '.' : rel;
}

export function isInside(folder: string, p: string): boolean {
  const f = normalizePath(folder);
  const q = normalizePath(p);
  return q === f || q.startsWith(f.endsWith('/') ? f : f + '/');
}

/** An in-memory file system, for tests and for hosts that already hold the text. */
export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, Uint8Array>();
  /** Folders made with `mkdir`: they stay, empty, as a folder on disk does once its files are deleted. */
  private readonly dirs = new Set<string>();

  constructor(files: Record<string, string | Uint8Array> = {}) {
    for (const [p, content] of Object.entries(files)) this.write(p, content);
  }

  write(path: string, content: string | Uint8Array): void {
    this.files.set(normalizePath(path), typeof content === 'string' ? new TextEncoder().encode(content) : content);
  }

  delete(path: string): void {
    const p = normalizePath(path);
    for (const k of [...this.files.keys()]) if (isInside(p, k)) this.files.delete(k);
    for (const d of [...this.dirs]) if (isInside(p, d)) this.dirs.delete(d);
  }

  /** A folder that stays when the files in it are deleted (a folder is otherwise there while a file is in it). */
  mkdir(path: string): void {
    this.dirs.add(normalizePath(path));
  }

  has(path: string): boolean {
    return this.files.has(normalizePath(path));
  }

  text(path: string): string | undefined {
    const b = this.files.get(normalizePath(path));
    return b && new TextDecoder().decode(b);
  }

  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  async readDirectory(path: string): Promise<DirEntry[]> {
    const dir = normalizePath(path);
    const prefix = dir === '/' ? '/' : dir + '/';
    const out = new Map<string, DirEntry>();
    for (const k of [...this.files.keys(), ...this.dirs]) {
      if (!k.startsWith(prefix)) continue;
      const rest = k.slice(prefix.length);
      const slash = rest.indexOf('/');
      const name = slash < 0 ? rest : rest.slice(0, slash);
      if (!out.has(name)) out.set(name, { name, kind: slash < 0 && !this.dirs.has(k) ? 'file' : 'directory' });
    }
    if (out.size === 0 && !(await this.stat(dir))) throw new Error(`ENOENT: no such directory '${dir}'`);
    return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async readFile(path: string): Promise<Uint8Array> {
    const b = this.files.get(normalizePath(path));
    if (!b) throw new Error(`ENOENT: no such file '${path}'`);
    return b;
  }

  /** No symbolic links here: the path itself, when something is there. */
  async realpath(path: string): Promise<string> {
    if (!(await this.stat(path))) throw new Error(`ENOENT: no such file or directory '${path}'`);
    return normalizePath(path);
  }

  async stat(path: string): Promise<FileStat | undefined> {
    const p = normalizePath(path);
    const b = this.files.get(p);
    if (b) return { kind: 'file', size: b.length };
    if (this.dirs.has(p)) return { kind: 'directory', size: 0 };
    const prefix = p === '/' ? '/' : p + '/';
    for (const k of [...this.files.keys(), ...this.dirs]) if (k.startsWith(prefix)) return { kind: 'directory', size: 0 };
    return undefined;
  }

  existsSync(path: string): boolean {
    const p = normalizePath(path);
    if (this.files.has(p) || this.dirs.has(p)) return true;
    const prefix = p === '/' ? '/' : p + '/';
    for (const k of [...this.files.keys(), ...this.dirs]) if (k.startsWith(prefix)) return true;
    return false;
  }
}
