/**
 * A fast path for the common front matter: flat `key: plain value` lines. Building the `yaml`
 * package's full Document (CST, nodes, source ranges) was the largest part of parsing a workspace
 * (bench/README.md), and the Document is only needed for errors and ranges. This reads the flat
 * case directly and resolves each value exactly as the `yaml` package's core schema does (same tests,
 * same order), and a quoted string that holds no escape or inner quote as its text; a comment after a plain value is
 * read as YAML reads it. Anything else — comment lines, comments after quotes, other quotes, flow or block collections, anchors, aliases, tags,
 * duplicate keys, tabs, unusual characters, long lines — returns undefined, and the caller takes
 * the full path, so errors, alias limits and ranges stay those of the `yaml` package.
 */

/** Keys the core schema would not read as a plain string (null and booleans), and the prototype key. */
const SPECIAL_KEY = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|__proto__)$/;
/** Printable characters we accept: line feeds, ASCII without controls and the BMP above NBSP without surrogates, BOM, separators. */
const UNSAFE_CHAR = /[^\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]/;
/** Whether a key starting with `c` may be a SPECIAL_KEY (`n`, `N`, `t`, `T`, `f`, `F`, `_`; performance only: no regex for the others). */
export function mayBeSpecialKey(c: number): boolean {
  return c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70 || c === 95;
}

/** Whether a plain scalar may not start with `c` (an indicator: `-?:,[]{}#&*!|>'"%@` and a backtick; `-` included, as numbers with a sign go the full way). */
export function isIndicator(c: number): boolean {
  switch (c) {
    case 45: // -
    case 63: // ?
    case 58: // :
    case 44: // ,
    case 91: // [
    case 93: // ]
    case 123: // {
    case 125: // }
    case 35: // #
    case 38: // &
    case 42: // *
    case 33: // !
    case 124: // |
    case 62: // >
    case 39: // '
    case 34: // "
    case 37: // %
    case 64: // @
    case 96: // `
      return true;
    default:
      return false;
  }
}

const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT_RE = /^0o[0-7]+$/;
const INT_RE = /^[-+]?[0-9]+$/;
const INT_HEX_RE = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** The value of a plain scalar under the YAML 1.2 core schema, as the `yaml` package (v2) resolves it. */
export function resolveCoreScalar(s: string): unknown {
  const c = s.charCodeAt(0);
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
    // Starting with a letter, only null and the booleans are not strings: numbers start with a digit,
    // a sign or a dot; null starts with n, the booleans with t or f (performance only: most values
    // are words, which went through every test below).
    if ((c === 110 || c === 78) && NULL_RE.test(s)) return null;
    if ((c === 116 || c === 84 || c === 102 || c === 70) && BOOL_RE.test(s)) return c === 116 || c === 84;
    return s;
  }
  if (c >= 48 && c <= 57) {
    // Starting with a digit (a date, a number): a run of digits alone is an integer, and one followed by
    // anything but `.`, `e`, `E`, `x` or `o` matches none of the patterns below (performance only: a
    // date went through every one of them).
    let j = 1;
    while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
    if (j === s.length) return parseInt(s, 10);
    const d = s.charCodeAt(j);
    if (d !== 46 && d !== 101 && d !== 69 && d !== 120 && d !== 111) return s;
  }
  if (NULL_RE.test(s)) return null;
  if (BOOL_RE.test(s)) return s[0] === 't' || s[0] === 'T';
  if (INT_OCT_RE.test(s)) return parseInt(s.substring(2), 8);
  if (INT_RE.test(s)) return parseInt(s, 10);
  if (INT_HEX_RE.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_NAN_RE.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP_RE.test(s) || FLOAT_RE.test(s)) return parseFloat(s);
  return s;
}

/**
 * Where the colon of a `key: value` line is (-1 when the line is not one), as
 * `/^([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$/` matches a line without line breaks: a key, a colon,
 * then the end of the line or a space (performance only: no regex, no match array).
 */
export function keyColon(line: string): number {
  return keyColonAt(line, 0, line.length);
}

/** `keyColon` of the line `text[start, end)` (a line: no line break inside), as an offset in `text`. */
export function keyColonAt(text: string, start: number, end: number): number {
  const c = text.charCodeAt(start);
  if (start >= end || !((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return -1;
  let i = start + 1;
  for (
    let k = text.charCodeAt(i);
    i < end && ((k >= 65 && k <= 90) || (k >= 97 && k <= 122) || (k >= 48 && k <= 57) || k === 95 || k === 45);
    k = text.charCodeAt(++i)
  );
  if (i >= end || text.charCodeAt(i) !== 58) return -1;
  return i + 1 === end || text.charCodeAt(i + 1) === 32 ? i : -1;
}

/**
 * The data of flat front matter (`raw` is the YAML between the fences, lines joined with '\n'),
 * or undefined when it is not of the simple form this path reads exactly. Each line is read in place
 * by character codes (performance only: no slice of the line, of its trimmed value or of a quoted
 * string's inside, no search of the value per test).
 */
export function parseFlatFrontMatter(raw: string): Record<string, unknown> | undefined {
  // UNSAFE_CHAR matches a tab too.
  if (raw.length === 0 || UNSAFE_CHAR.test(raw)) return undefined;
  const out: Record<string, unknown> = {};
  let keys = 0;
  let start = 0;
  while (start <= raw.length) {
    let end = raw.indexOf('\n', start);
    if (end < 0) end = raw.length;
    const s = start;
    start = end + 1;
    if (end === s) continue;
    if (end - s > 1000) return undefined;
    const colon = keyColonAt(raw, s, end);
    if (colon < 0) return undefined;
    const key = raw.slice(s, colon);
    if ((mayBeSpecialKey(raw.charCodeAt(s)) && SPECIAL_KEY.test(key)) || Object.prototype.hasOwnProperty.call(out, key)) return undefined;
    // The value: from the first character after the colon that is not a space to the last one that is not.
    let v = colon + 1;
    while (v < end && raw.charCodeAt(v) === 32) v++;
    let e = end;
    while (e > v && raw.charCodeAt(e - 1) === 32) e--;
    const q = v < e ? raw.charCodeAt(v) : -1;
    if (q === 34 || q === 39) {
      // A quoted string on one line, read when nothing in it needs reading: no escape (`\`) in double
      // quotes, no doubled quote in single quotes, the same quote only at both ends.
      if (e - v < 2 || raw.charCodeAt(e - 1) !== q) return undefined;
      for (let k = v + 1; k < e - 1; k++) {
        const c = raw.charCodeAt(k);
        if (c === q || (q === 34 && c === 92)) return undefined;
      }
      out[key] = raw.slice(v + 1, e - 1);
      keys++;
      continue;
    }
    if (v < e) {
      if (isIndicator(q)) return undefined;
      // `: ` or a final `:` would make a nested mapping; ` #` starts a comment, which ends the value (the templates
      // write one after `status`: `status: draft  # draft | in-progress | …`).
      for (let k = v; k < e; k++) {
        const c = raw.charCodeAt(k);
        if (c === 58) {
          if (k + 1 === e || raw.charCodeAt(k + 1) === 32) return undefined;
        } else if (c === 32 && k + 1 < e && raw.charCodeAt(k + 1) === 35) {
          e = k;
          while (e > v && raw.charCodeAt(e - 1) === 32) e--;
          break;
        }
      }
    }
    out[key] = resolveCoreScalar(raw.slice(v, e));
    keys++;
  }
  return keys > 0 ? out : undefined;
}
