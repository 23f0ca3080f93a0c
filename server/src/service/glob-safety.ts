/**
 * Globs from a workspace (`ignore`, a custom layout's `phases`) are compiled by picomatch into regular
 * expressions that backtrack: wildcards that compete for the same characters multiply the ways a path
 * can fail to match (`*a*a*a*a*b` on a long name of `a`s takes minutes, and JavaScript's engine cannot be
 * interrupted). A glob is judged before it is compiled (`globProblem`), against the paths a workspace
 * holds: names of at most {@link NAME} characters, at most about {@link DEPTH} folders deep.
 *
 * - A repeated extglob (`+(…)`, `*(…)`) is refused when its body can match the same text in more than
 *   one way: a wildcard inside it (`+(a*)b`, `+(*)x`: exponential on a 30-character name), or
 *   alternatives that can start alike (`+(a|aa)`). A fixed-length body (`+([0-9])`) or distinct plain
 *   words none of which starts another (`+(tmp|temp)`) is a single wildcard, as a `*`.
 * - In one path segment, the `k` wildcards (each run of `*`, `!(…)`, a repeated extglob) can split a
 *   name of {@link NAME} characters in about C(NAME, k - 1) ways: 1 for one, 255 for two, 32,385 for
 *   three, 2.7 million for four.
 * - The segments between two `**` backtrack together: their ways multiply (two names of `*a*` in a row
 *   are 255 × 255).
 * - Each `**` after the first that is not the last part of the glob multiplies by the folders it can
 *   end at ({@link DEPTH}); the first one, and a trailing one, cost no more than a scan.
 * - A brace list, `@(…)` or `?(…)` multiplies by its alternatives, unless they are plain words none of
 *   which starts another (`{drafts,archive}` is one way, `{a,ab}` two).
 *
 * The ways multiplied together may not exceed {@link MAX_GLOB_WAYS}. Measured on names of 255
 * characters and paths 30 folders deep built to be slow, the accepted globs match a path in at most a
 * few hundred milliseconds: the glob of the parts `**`, `old`, `**` and `*-*-*.md` (three `*` in a name,
 * two `**`), the one of `**`, `a`, `**`, `b`, `**`, `c`, `**` and `d`, and `*a*` twice in a row. Refused ones
 * take seconds to hours: `*a*a*a*b` (four `*` in a name), `*a*` three times in a row, the parts `**`,
 * `*a*`, `**` and `*a*`, or `**`, `a`, `**`, `b`, `**` and `*-*-*.md`.
 */
import picomatch from 'picomatch';
import { withoutDelimited } from './text-scan';

/** Longest glob accepted. */
export const MAX_GLOB = 4096;
/** The longest name a file system holds. */
const NAME = 255;
/** The folders a path of a workspace holds, at most, as far as the judge counts. */
const DEPTH = 30;
/** Most ways the wildcards of a glob may compete, multiplied together: a name's three `*` and a `**`. */
export const MAX_GLOB_WAYS = 2 ** 20;

/** Why `glob` is not used (too long, unreadable, or too slow to match), or undefined when it is safe. */
export function globProblem(glob: string): string | undefined {
  if (glob.length > MAX_GLOB) return `the glob is ${glob.length} characters long; a glob may have at most ${MAX_GLOB}`;
  try {
    picomatch.makeRe(glob, { dot: true });
  } catch (e) {
    return `not a glob: ${(e as Error).message.split('\n')[0]}`;
  }
  const repeated = ambiguousRepeat(glob);
  if (repeated)
    return `the repeated extglob \`${repeated}\` can match a name in more ways than can be tried: matching a long name could take hours; repeat only plain words none of which starts another (\`+(tmp|temp)\`) or a fixed-length pattern (\`+([0-9])\`), without a wildcard inside`;
  if (ways(glob) > MAX_GLOB_WAYS)
    return 'too many wildcards compete for the same characters: matching a long path could take minutes; use at most three `*` in a name, fewer names with two or more `*`, and fewer `**` folders';
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
    times(splits(countStars(s)));
  }
  for (const n of braceWays(glob)) times(n);
  for (const { kind, alts } of extglobs(glob)) {
    if (kind === '@') times(distinctWords(alts) ? 1 : alts.length);
    else if (kind === '?') times(alts.length + 1);
  }
  return total;
}

/** The ways `stars` wildcards can split a name of NAME characters: C(NAME, stars - 1). */
function splits(stars: number): number {
  let n = 1;
  for (let k = 1; k < stars; k++) n = Math.min((n * (NAME - k + 1)) / k, MAX_GLOB_WAYS + 1);
  return Math.round(n);
}

/** Each extglob of `glob`: its kind (`+`, `*`, `@`, `?`, `!`), its text, and its top-level alternatives. */
function extglobs(glob: string): { kind: string; text: string; alts: string[] }[] {
  const out: { kind: string; text: string; alts: string[] }[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(glob, i);
    else if ('*?+@!'.includes(c) && glob[i + 1] === '(') {
      const alts: string[] = [];
      let cur = '';
      let depth = 0;
      let j = i + 2;
      for (; j < glob.length; j++) {
        const d = glob[j];
        if (d === '\\') {
          cur += d + (glob[j + 1] ?? '');
          j++;
        } else if (d === '[') {
          const end = classEnd(glob, j);
          cur += glob.slice(j, end + 1);
          j = end;
        } else if (d === '(') {
          depth++;
          cur += d;
        } else if (d === ')') {
          if (depth === 0) break;
          depth--;
          cur += d;
        } else if (d === '|' && depth === 0) {
          alts.push(cur);
          cur = '';
        } else cur += d;
      }
      if (j >= glob.length) continue; // no `)`: picomatch reads it as text
      alts.push(cur);
      out.push({ kind: c, text: glob.slice(i, j + 1), alts });
    }
  }
  return out;
}

/** A plain word: no character a glob reads as a wildcard or a group. */
const plain = (s: string): boolean => !/[*?[\]{}()!+@|\\]/.test(s);

/** Distinct plain words none of which starts another: at most one of them matches at any place. */
function distinctWords(alts: string[]): boolean {
  return alts.every((a) => a !== '' && plain(a)) && !alts.some((a, j) => alts.some((b, k) => j !== k && b.startsWith(a)));
}

/** The first repeated extglob (`+(…)`, `*(…)`) of `glob` whose body can match the same text in more than one way, if any. */
function ambiguousRepeat(glob: string): string | undefined {
  for (const { kind, text, alts } of extglobs(glob)) {
    if (kind !== '+' && kind !== '*') continue;
    // One alternative of a fixed length (letters, `?`, classes) repeats in one way only.
    const fixed = alts.length === 1 && alts[0] !== '' && !/[*{}()!+@|]/.test(withoutDelimited(alts[0].replace(/\\./g, ''), '[', ']'));
    if (!fixed && !distinctWords(alts)) return text;
  }
  return undefined;
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

/** Wildcards of one segment that match runs of characters: each run of `*` (`*(…)` too), each `+(…)` and `!(…)`. */
function countStars(segment: string): number {
  let n = 0;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(segment, i);
    else if (c === '*') {
      n++;
      while (segment[i + 1] === '*') i++;
    } else if ('+!'.includes(c) && segment[i + 1] === '(') n++;
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

/**
 * The matcher of `ignore` globs: a path matches a glob, or is a folder that a glob ending with `/**`
 * names with what comes before that ending (`phase-4*` for the glob `phase-4*` + `/**`): picomatch
 * matches `phase-4/**` against the folder `phase-4` itself, but not the glob with a wildcard against
 * `phase-40`; the folder is left out with all it holds, not scanned as an empty phase. `nocase` matches
 * ignoring case (only to tell a glob that misses by case alone: see glob-case.ts).
 */
export function ignoreGlobs(globs: readonly string[], nocase = false): (rel: string, folder: boolean) => boolean {
  const any = picomatch([...globs], { dot: true, nocase });
  const folders = globs.filter((g) => g.endsWith('/**') && g.length > 3).map((g) => g.slice(0, -3));
  const folder = folders.length ? picomatch(folders, { dot: true, nocase }) : undefined;
  return folder ? (rel, isFolder) => any(rel) || (isFolder && folder(rel)) : (rel) => any(rel);
}
