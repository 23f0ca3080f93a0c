/**
 * Scans that give what an unanchored regular expression gives, in one pass: the expressions (noted at each)
 * went over the rest of the text again from each place they were tried, quadratic on a long line of `[`,
 * `<`, `#` or backticks.
 */

function isLineEnd(c: string): boolean {
  return c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';
}

/**
 * Where `/[M].*$/` (M the characters of `marks`) matches `t`: the first of them after the last line end (`.`
 * crosses none); -1 when there is none.
 */
export function suffixStart(t: string, marks: string): number {
  let from = t.length;
  while (from > 0 && !isLineEnd(t[from - 1])) from--;
  for (let i = from; i < t.length; i++) if (marks.includes(t[i])) return i;
  return -1;
}

/** `t.replace(/O[^C]*C/g, '')` for the characters O (`open`) and C (`close`): `<…>` or `[…]` taken out. */
export function withoutDelimited(t: string, open: string, close: string): string {
  let out = '';
  let done = 0;
  for (;;) {
    const p = t.indexOf(open, done);
    if (p < 0) break;
    const q = t.indexOf(close, p + 1);
    // No later one closes either.
    if (q < 0) break;
    out += t.slice(done, p);
    done = q + 1;
  }
  return done === 0 ? t : out + t.slice(done);
}

/**
 * Inline links and images as their text: `text.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')`; with `oneLine`,
 * `/!?\[([^\]\n]*)\]\([^)\n]*\)/g` (neither part crosses a line).
 */
export function linksAsText(text: string, oneLine = false): string {
  const stop = (i: number, c: string) => text[i] === c || (oneLine && text[i] === '\n');
  let out = '';
  let done = 0;
  let from = 0;
  for (;;) {
    const p = text.indexOf('[', from);
    if (p < 0) break;
    let r = p + 1;
    while (r < text.length && !stop(r, ']')) r++;
    // No `]` after it: none after a later `[` either.
    if (r >= text.length) break;
    // A `[` before `r` ends its text at `r` too, and fails as this one does.
    if (text[r] !== ']' || text[r + 1] !== '(') {
      from = r + 1;
      continue;
    }
    let c = r + 2;
    while (c < text.length && !stop(c, ')')) c++;
    if (c >= text.length) break;
    if (text[c] !== ')') {
      // A line end before the `)`: a `[` up to it stops at it too.
      from = c + 1;
      continue;
    }
    const start = p > done && text[p - 1] === '!' ? p - 1 : p;
    out += text.slice(done, start) + text.slice(p + 1, r);
    done = from = c + 1;
  }
  return done === 0 ? text : out + text.slice(done);
}

/**
 * `text.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, f)`: each code span (a run of backticks, what it holds, the
 * next run of as many) given to `f`. A run that finds no run of its length after it is tried again without its
 * first backtick, as the expression did.
 */
export function replaceCodeSpans(text: string, f: (span: string) => string): string {
  const runs: [start: number, length: number][] = [];
  for (let i = 0; i < text.length;) {
    if (text[i] !== '`') {
      i++;
      continue;
    }
    let e = i;
    while (text[e] === '`') e++;
    runs.push([i, e - i]);
    i = e;
  }
  if (runs.length < 2) return text;
  // For each run and each length up to its own, the next run of that length.
  const next: (number | undefined)[][] = new Array(runs.length);
  const nearest = new Map<number, number>();
  for (let j = runs.length - 1; j >= 0; j--) {
    const len = runs[j][1];
    next[j] = Array.from({ length: len }, (_, k) => nearest.get(k + 1));
    nearest.set(len, j);
  }
  let out = '';
  let done = 0;
  for (let j = 0; j < runs.length; j++) {
    const [a, len] = runs[j];
    if (a < done) continue;
    for (let p = a; p < a + len; p++) {
      const k = next[j][a + len - p - 1];
      if (k === undefined) continue;
      const end = runs[k][0] + runs[k][1];
      out += text.slice(done, p) + f(text.slice(p, end));
      done = end;
      j = k;
      break;
    }
  }
  return done === 0 ? text : out + text.slice(done);
}

/** Whether the character code `c` is one that `\s` matches (performance only: no expression per character). */
export function isSpaceCode(c: number): boolean {
  if (c > 32 && c < 160) return false;
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
