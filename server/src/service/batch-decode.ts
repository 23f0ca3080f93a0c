/**
 * Decoding many small files at once (performance only). Ten thousand texts decoded one by one are
 * ten thousand young strings that the garbage collector copies twice before they settle, for as
 * long as a check runs. Decoded together, a batch is one large string, allocated where nothing is
 * copied, and each file's text is a slice of it. The texts are exactly what `decode` gives each file
 * alone: files are joined with a NUL byte, which none of them holds (those that do are left to
 * `decode`), and UTF-8 cannot run across an ASCII byte, so the batch decodes if and only if every
 * file does; a leading byte order mark is dropped from each file, as `decode` drops it.
 */

/** Keeps byte order marks: each file's own is dropped before joining (the decoder would drop only the first). */
const keepBom = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function hasBom(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

/**
 * The texts of `files`, decoded together as `decode` decodes each; undefined for a file to decode
 * alone (one holding a NUL byte, or any file of a batch that does not decode, which `decode` then
 * reports precisely).
 */
export function decodeBatch(files: readonly Uint8Array[]): (string | undefined)[] {
  const out: (string | undefined)[] = new Array(files.length).fill(undefined);
  const joined: number[] = [];
  let total = 0;
  files.forEach((b, i) => {
    if (b.includes(0)) return;
    joined.push(i);
    total += b.length - (hasBom(b) ? 3 : 0) + 1;
  });
  if (joined.length < 2) return out;
  const all = new Uint8Array(total);
  let at = 0;
  for (const i of joined) {
    const b = files[i];
    all.set(hasBom(b) ? b.subarray(3) : b, at);
    at += b.length - (hasBom(b) ? 3 : 0) + 1; // the NUL byte after each file is already 0
  }
  let text: string;
  try {
    text = keepBom.decode(all);
  } catch {
    return out;
  }
  const parts = text.split('\0');
  joined.forEach((i, k) => (out[i] = parts[k]));
  return out;
}
