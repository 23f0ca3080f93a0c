/**
 * `primaryLocationLineHash`, the partial fingerprint GitHub code scanning matches results by across
 * runs, computed as GitHub's upload action computes it for results that lack one: for each line, a
 * 64-bit rolling hash (base 37) of the next 100 characters of the file from the line's start, not
 * counting spaces and tabs, with every line ending read as `\n` and the end of the file marked by
 * 65535 then padded with zeros; written in hex, then `:k` for the k-th line of the file with that hash.
 * Giving it in the SARIF log keeps results matched when the log is uploaded by other means than that
 * action (the REST API), and agrees with the action's own value when it is uploaded by it.
 *
 * The arithmetic is modulo 2^64 on two 32-bit halves (numbers, not BigInt: a large log hashes
 * megabytes of text).
 */
import type { FileSystem } from '../service/host';
import { MAX_DOCUMENT_BYTES } from '../service/service';

const BLOCK = 100;
const BASE = 37;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const EOF = 0xffff;
const TWO32 = 0x1_0000_0000;

/** BASE^BLOCK modulo 2^64, as [high, low] 32-bit halves. */
const FIRST_MOD: readonly [number, number] = (() => {
  let hi = 0;
  let lo = 1;
  for (let i = 0; i < BLOCK; i++) [hi, lo] = mulSmall(hi, lo, BASE);
  return [hi, lo];
})();

/** (hi, lo) × m modulo 2^64, for 0 ≤ m < 2^16 (the products stay exact in a double). */
function mulSmall(hi: number, lo: number, m: number): [number, number] {
  const low = lo * m;
  const carry = Math.floor(low / TWO32);
  return [(Math.imul(hi, m) + carry) >>> 0, low >>> 0];
}

function hex(hi: number, lo: number): string {
  return hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, '0');
}

/**
 * The fingerprint of each line of `text` whose 1-based number is in `wanted` (every line when it is
 * omitted): line number → `"<hex>:<k>"`. Lines are counted as GitHub counts them: `\r\n`, `\r` and
 * `\n` each end one.
 */
export function lineHashes(text: string, wanted?: ReadonlySet<number>): Map<number, string> {
  const out = new Map<number, string>();
  const window = new Uint16Array(BLOCK);
  /** The line that starts at each window slot, or 0. */
  const lineAt = new Int32Array(BLOCK);
  const seen = new Map<string, number>();
  let hi = 0;
  let lo = 0;
  let index = 0;
  let line = 0;
  let lineStart = true;
  let prevCR = false;

  const emit = (): void => {
    const h = hex(hi, lo);
    const k = (seen.get(h) ?? 0) + 1;
    seen.set(h, k);
    const n = lineAt[index];
    if (!wanted || wanted.has(n)) out.set(n, `${h}:${k}`);
    lineAt[index] = 0;
  };
  const update = (c: number): void => {
    const begin = window[index];
    window[index] = c;
    // hash = hash × 37 + c − FIRST_MOD × begin  (mod 2^64)
    [hi, lo] = mulSmall(hi, lo, BASE);
    let l = lo + c;
    hi = (hi + Math.floor(l / TWO32)) >>> 0;
    lo = l >>> 0;
    const [fh, fl] = mulSmall(FIRST_MOD[0], FIRST_MOD[1], begin);
    l = lo - fl;
    hi = (hi - fh - (l < 0 ? 1 : 0)) >>> 0;
    lo = l >>> 0;
    index = (index + 1) % BLOCK;
  };
  const put = (code: number): void => {
    let c = code;
    if (c === SPACE || c === TAB || (prevCR && c === LF)) {
      prevCR = false;
      return;
    }
    if (c === CR) {
      c = LF;
      prevCR = true;
    } else prevCR = false;
    if (lineAt[index] !== 0) emit();
    if (lineStart) {
      lineStart = false;
      lineAt[index] = ++line;
    }
    if (c === LF) lineStart = true;
    update(c);
  };

  for (let i = 0; i < text.length; i++) put(text.charCodeAt(i));
  put(EOF);
  for (let i = 0; i < BLOCK; i++) {
    if (lineAt[index] !== 0) emit();
    update(0);
  }
  return out;
}

/** File → line (1-based) → fingerprint; `FOLDER` for a path that is a folder (a phase without a document). */
export type Fingerprints = Map<string, Map<number, string> | typeof FOLDER>;
export const FOLDER = 'folder';

/**
 * The fingerprints of the lines where the diagnostics start, file by file. A file that cannot be
 * read now, or that is larger than the engine checks, gets none (GitHub then computes them, if it can).
 * The text is decoded as GitHub's action decodes it: UTF-8, a byte order mark kept as a character.
 */
export async function diagnosticFingerprints(
  diagnostics: readonly { file: string; range: { start: { line: number } } }[],
  fs: Pick<FileSystem, 'readFile' | 'stat'>,
): Promise<Fingerprints> {
  const lines = new Map<string, Set<number>>();
  for (const d of diagnostics) {
    let s = lines.get(d.file);
    if (!s) lines.set(d.file, (s = new Set()));
    s.add(d.range.start.line + 1);
  }
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const out: Fingerprints = new Map();
  for (const [file, wanted] of lines) {
    try {
      const st = await fs.stat(file);
      if (st?.kind === 'directory') out.set(file, FOLDER);
      if (!st || st.kind !== 'file' || st.size > MAX_DOCUMENT_BYTES) continue;
      out.set(file, lineHashes(decoder.decode(await fs.readFile(file)), wanted));
    } catch {
      // Unreadable now: no fingerprint for its results.
    }
  }
  return out;
}
