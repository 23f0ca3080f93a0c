/**
 * Where the `phasegate` loader (cli-loader.ts) keeps V8's code cache of the CLI bundle when the build left
 * none that fits: the package of the CLI ships no cache (it fits one Node only), so without this every run
 * compiled the bundle's several hundred functions again. The first `check` or `status` run writes the cache
 * in the user's cache folder; later runs read it. A cache is tied to its Node (V8 version and architecture)
 * and to the bundle (its size and modification time): another Node or a reinstalled package reads none and
 * writes its own. A V8 code cache is trusted code, so the folder must be the user's own: it is made private
 * (0700) and not used when it is owned by someone else or writable by others.
 *
 * Environment: PHASEGATE_CACHE_DIR names the folder; PHASEGATE_CODE_CACHE=off (`false`, `no`, `0`, in any case)
 * reads and writes none.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PREFIX = 'cli-';
const SUFFIX = '.cache';
/** Caches of other Nodes or earlier installs kept beside the current one; older ones are removed. */
export const KEEP_CACHES = 4;

/** The folder the user's caches belong in, by platform convention; undefined without a home folder. */
export function userCacheRoot(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string | undefined {
  if (env.PHASEGATE_CACHE_DIR) return path.resolve(env.PHASEGATE_CACHE_DIR);
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA ?? (home ? path.join(home, 'AppData', 'Local') : undefined);
    return local ? path.join(local, 'phasegate', 'Cache') : undefined;
  }
  if (!home) return undefined;
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'phasegate');
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache'), 'phasegate');
}

/** The cache file's name for this Node and this bundle (its size and modification time). */
export function cacheFileName(bundle: fs.Stats, v8 = process.versions.v8, arch = process.arch): string {
  const id = `${v8}-${arch}-${bundle.size}-${Math.trunc(bundle.mtimeMs)}`.replace(/[^\w.-]/g, '_');
  return `${PREFIX}${id}${SUFFIX}`;
}

/**
 * Whether `dir` may hold code the CLI runs: on POSIX systems a folder of the user's own that nobody else can
 * write to. (Windows folders under LOCALAPPDATA are private by default; its modes say nothing.)
 */
export function privateFolder(st: fs.Stats, uid = process.getuid?.()): boolean {
  if (!st.isDirectory()) return false;
  if (uid === undefined) return true;
  return st.uid === uid && (st.mode & 0o022) === 0;
}

/** The path of the user's code cache for `bundle`, or undefined when there is none to use (turned off, no folder). */
export function userCacheFile(bundle: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  // A word that turns it off, in any case (`off`, `OFF`, `false`, `no`, `0`).
  if (/^\s*(?:off|false|no|0)\s*$/i.test(env.PHASEGATE_CODE_CACHE ?? '')) return undefined;
  const dir = userCacheRoot(env);
  if (!dir) return undefined;
  try {
    return path.join(dir, cacheFileName(fs.statSync(bundle)));
  } catch {
    return undefined;
  }
}

/** Reads the cache at `file` when its folder is private; undefined otherwise, or when there is none. */
export function readUserCache(file: string): Buffer | undefined {
  try {
    if (!privateFolder(fs.statSync(path.dirname(file)))) return undefined;
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Writes `data` as the cache at `file`: the folder is made (private) when missing, the file is written whole
 * under another name and then renamed, so that a run reading it at the same time reads the old one or the new
 * one, never half of one. Caches beyond the newest `KEEP_CACHES` are removed. Returns whether it was written;
 * a folder that cannot be made or written to (a read-only home) only costs the next run its compile.
 */
export function writeUserCache(file: string, data: Buffer): boolean {
  const dir = path.dirname(file);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!privateFolder(fs.statSync(dir))) return false;
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // Nothing was written.
    }
    return false;
  }
  prune(dir, path.basename(file));
  return true;
}

/** Removes the caches in `dir` beyond the newest `KEEP_CACHES`, never `current`. */
function prune(dir: string, current: string): void {
  try {
    const caches = fs
      .readdirSync(dir)
      .filter((n) => n.startsWith(PREFIX) && n.endsWith(SUFFIX) && n !== current)
      .map((n) => ({ n, t: fs.statSync(path.join(dir, n)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { n } of caches.slice(KEEP_CACHES - 1)) fs.rmSync(path.join(dir, n), { force: true });
  } catch {
    // A cache left behind costs disk space only.
  }
}

/**
 * Whether this run's command runs the engine over a workspace (`check`, `status`), so that its code cache holds
 * what a check compiles. Read loosely (an option's value or a folder so named counts too: a cache written once
 * more costs little).
 */
export function runsTheEngine(argv: readonly string[] = process.argv.slice(2)): boolean {
  if (argv.some((a) => a === '--version' || a === '-v' || a === '--help' || a === '-h')) return false;
  return argv.includes('check') || argv.includes('status');
}
