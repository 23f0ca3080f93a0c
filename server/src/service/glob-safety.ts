/**
 * Globs from a workspace (`ignore`, a custom layout's `phases`) are compiled by picomatch into regular
 * expressions that backtrack: wildcards that compete for the same characters multiply the ways a path
 * can fail to match (`*a*a*a*a*b` on a long name of `a`s takes minutes, and JavaScript's engine cannot be
 * interrupted). A glob is judged before it is compiled (`globProblem`), by counting what competes:
 *
 * - in one path segment, each `*` after the first can end at any of its characters (up to {@link NAME}
 *   ways); a lone `*` is held in place by the `/` or the end after it;
 * - each `**` folder after the first that is not the last part of the glob can end at any folder of the
 *   path (up to {@link DEPTH} ways); the first one, and a trailing one, cost no more than a scan;
 * - an extglob (`+(a|b)`, `!(x)`, …) counts as a `*`;
 * - a brace list counts its alternatives, unless they are plain text none of which starts another
 *   (`{drafts,archive}` is one way, `{a,ab}` two).
 *
 * The ways multiplied together may not exceed {@link MAX_GLOB_WAYS}: one `*` too many in a segment and
 * one `**` too many, or two `*` too many. So `*-old-*.md`, `*a*a*b`, and a glob of three parts, `**`,
 * `drafts` and `*-x-*`, pass; `*a*a*a*b` does not, nor a glob of six parts, `**`, `a`, `**`, `b`, `**`
 * and `c`. Matching then takes at worst tens of milliseconds on the longest paths a file system holds.
 */
import picomatch from 'picomatch';

/** Longest glob accepted. */
export const MAX_GLOB = 4096;
/** Ways a `*` that competes can end: about the longest file name. */
const NAME = 256;
/** Ways a `**` that competes can end: about the most folders a path holds. */
const DEPTH = 2048;
/** Most ways the wildcards of a glob may compete, multiplied together. */
export const MAX_GLOB_WAYS = NAME * DEPTH;

/** Why `glob` is not used (too long, unreadable, or too slow to match), or undefined when it is safe. */
export function globProblem(glob: string): string | undefined {
  if (glob.length > MAX_GLOB) return `the glob is ${glob.length} characters long; a glob may have at most ${MAX_GLOB}`;
  try {
    picomatch.makeRe(glob, { dot: true });
  } catch (e) {
    return `not a glob: ${(e as Error).message.split('\n')[0]}`;
  }
  if (ways(glob) > MAX_GLOB_WAYS)
    return 'too many wildcards compete for the same characters: matching a long path could take minutes; use fewer `*` in a segment and fewer `**` folders';
  return undefined;
}

/** An upper bound of the ways the wildcards of `glob` compete (see the module comment), capped above MAX_GLOB_WAYS. */
function ways(glob: string): number {
  let total = 1;
  const times = (n: number): void => {
    total = Math.min(total * n, MAX_GLOB_WAYS + 1);
  };
  const segments = splitSegments(glob);
  const globstars = segments.map((s, i) => (s === '**' && i < segments.length - 1 ? 1 : 0) as number).reduce((a, b) => a + b, 0);
  for (let k = 1; k < globstars; k++) times(DEPTH);
  for (const s of segments) {
    if (s === '**') continue;
    const stars = countStars(s);
    for (let k = 1; k < stars; k++) times(NAME);
  }
  for (const n of braceWays(glob)) times(n);
  return total;
}

/** The glob's path segments (a `/` in a character class or after a backslash is no separator). */
function splitSegments(glob: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && i + 1 < glob.length) {
      cur += c + glob[++i];
    } else if (c === '[') {
      const end = classEnd(glob, i);
      cur += glob.slice(i, end + 1);
      i = end;
    } else if (c === '/') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Index of the `]` closing a character class opened at `i`, or `i` when there is none (a literal `[`). */
function classEnd(glob: string, i: number): number {
  let j = i + 1;
  if (glob[j] === '!' || glob[j] === '^') j++;
  if (glob[j] === ']') j++;
  for (; j < glob.length; j++) {
    if (glob[j] === '\\') j++;
    else if (glob[j] === ']') return j;
    else if (glob[j] === '/') return i;
  }
  return i;
}

/** Wildcards of one segment that match runs of characters: each run of `*`, and each extglob. */
function countStars(segment: string): number {
  let n = 0;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(segment, i);
    else if (c === '*') {
      n++;
      while (segment[i + 1] === '*') i++;
    } else if ('?+@!'.includes(c) && segment[i + 1] === '(') n++;
  }
  return n;
}

/** For each brace list of `glob`, the ways its alternatives compete (1 for distinct plain words). */
function braceWays(glob: string): number[] {
  const out: number[] = [];
  const stack: { start: number; alts: string[]; cur: string }[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    const top = stack[stack.length - 1];
    if (c === '\\' && i + 1 < glob.length) {
      if (top) top.cur += c + glob[i + 1];
      i++;
    } else if (c === '{') stack.push({ start: i, alts: [], cur: '' });
    else if (c === ',' && top) {
      top.alts.push(top.cur);
      top.cur = '';
    } else if (c === '}' && top) {
      stack.pop();
      const alts = [...top.alts, top.cur];
      const inner = glob.slice(top.start, i + 1);
      const outer = stack[stack.length - 1];
      if (outer) outer.cur += inner;
      if (alts.length === 1) {
        // `{1..9}`: a range, read as alternatives of numbers that can start alike.
        if (/\.\./.test(alts[0])) out.push(4);
        continue;
      }
      const plain = alts.every((a) => !/[*?[\]{}()!+@\\]/.test(a));
      const prefix = plain && alts.some((a, j) => alts.some((b, k) => j !== k && b.startsWith(a)));
      out.push(plain && !prefix ? 1 : alts.length);
    } else if (top) top.cur += c;
  }
  return out;
}
