/**
 * The repository a workspace lies in, when its root is a folder above the workspace's (a CLI run on
 * `docs/phases`, an editor opened there). Links written from a root (`[runbook](/RUNBOOK.md)`) are read from
 * there, as GitHub reads them, and a path that leaves the workspace but stays in the repository is looked for on
 * disk: so such a workspace judges links and artifact paths as the repository's root does (`check .`).
 */

import { FileSystem, dirname, isInside, joinPath, normalizePath, relativePath } from './host';
import { skippedFolder } from './workspace';

/** At most this many folders are looked at above the workspace (a path deeper than this is not usual). */
const MAX_UP = 64;

export interface Repository {
  /** Its root: a folder strictly above the workspace root. */
  readonly root: string;
  /**
   * Whether something is at `path`, a path outside the workspace; undefined when that cannot be known: the path
   * leaves the repository, lies in a folder no scan enters (a dot folder, `node_modules`, …), or the host cannot
   * tell at once (no `existsSync`).
   */
  exists(path: string): boolean | undefined;
}

/**
 * The nearest folder at or above `root` that holds a `.git` (a folder, or a file as a worktree or a submodule
 * has), else undefined. Only `.git` is asked for: nothing above the workspace is read.
 */
export async function findRepositoryRoot(fs: FileSystem, root: string): Promise<string | undefined> {
  let dir = root;
  for (let i = 0; i < MAX_UP; i++) {
    let kind: string | undefined;
    try {
      kind = (await fs.stat(joinPath(dir, '.git')))?.kind;
    } catch {
      kind = undefined;
    }
    if (kind === 'directory' || kind === 'file') return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

/**
 * How long an answer about a path outside the workspace is kept, in milliseconds. No file-system event tells of a
 * change there (the editor watches the workspace folder), and a document with thousands of links into the
 * repository asks of each at every edit: its answers are given again for this long (a file created there is seen at
 * the next check or edit after it), then asked of the file system again.
 */
export const REPOSITORY_ANSWER_MS = 2000;

/**
 * The repository above the workspace `root`; undefined when it lies in none, or is its root. `now` tells the time in
 * milliseconds (tests set it).
 */
export async function repositoryAbove(fs: FileSystem, root: string, now: () => number = Date.now): Promise<Repository | undefined> {
  const found = await findRepositoryRoot(fs, root);
  if (found === undefined || found === root) return undefined;
  // The answers given since `since` (see REPOSITORY_ANSWER_MS), by path as asked.
  let answers = new Map<string, boolean | undefined>();
  let since = -Infinity;
  return {
    root: found,
    exists(path) {
      const t = now();
      if (t - since >= REPOSITORY_ANSWER_MS || t < since) {
        answers = new Map();
        since = t;
      }
      if (answers.has(path)) return answers.get(path);
      const p = normalizePath(path);
      let answer: boolean | undefined;
      if (!isInside(found, p) || !fs.existsSync) answer = undefined;
      else if (relativePath(found, p).split('/').some(skippedFolder)) answer = undefined;
      else answer = fs.existsSync(p);
      answers.set(path, answer);
      return answer;
    },
  };
}

/**
 * The file or folder a rooted path (`/docs/x.md`) names: from the workspace root when something is there (or
 * when the workspace lies in no repository above it), else from the repository's root, as GitHub reads it.
 */
export function rootedPath(p: string, root: string, repo: Repository | undefined, exists: (path: string) => boolean): string {
  const own = joinPath(root, p);
  return repo === undefined || exists(own) ? own : joinPath(repo.root, p);
}
