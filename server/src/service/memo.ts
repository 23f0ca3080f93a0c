/**
 * Bounded memos keyed by strings that may be slices of a document's text (a heading's title, an item's text,
 * a table cell). V8 keeps a slice as a view of the string it was cut from: a slice kept as a key, or held by
 * a value, keeps its whole document's text alive for as long as the memo keeps it. A Memo never keeps the
 * string it is asked about: it keeps a detached copy, and makes the value from that copy.
 */

/**
 * A copy of `s` that does not keep a larger string alive. A heading's text is a slice of the whole
 * document as markdown-it read it; kept as a cache key, it would keep that text in memory after
 * the document's model is gone.
 */
export function detached(s: string): string {
  // Slicing the concatenation flattens it into a new string; the slice is of that copy.
  return (' ' + s).slice(1);
}

/**
 * A memo of `compute`, keyed by strings, of at most `bound` entries: when full, it is emptied before it keeps
 * another. It keeps each key as a detached copy (`detached`), and computes the value from that copy, so that
 * what the value holds of its key (a slice, a word) is part of the copy, not of the string asked about.
 * `compute` should make its value of its argument alone: what it reads from elsewhere, the value may keep.
 * Values are shared between equal keys: never change one.
 */
export class Memo<V> {
  private readonly map = new Map<string, V>();

  constructor(
    private readonly bound: number,
    private readonly compute: (own: string) => V,
  ) {}

  /** The value of `key`: the one kept, else `compute` of a detached copy of `key`, kept under that copy. */
  get(key: string): V {
    const v = this.map.get(key);
    // A value can be undefined: only then is the key looked for again.
    if (v !== undefined || this.map.has(key)) return v as V;
    const own = detached(key);
    return this.put(own, this.compute(own));
  }

  /** The value kept for `key`, if any: nothing computed, nothing kept. */
  peek(key: string): V | undefined {
    return this.map.get(key);
  }

  /**
   * Keeps `value` as the value of `key`, both detached, and returns the kept value (performance only: for a
   * caller that has the value already, made from other text than the key, which the copy no longer holds).
   */
  keep(this: Memo<string>, key: string, value: string): string {
    return this.put(detached(key), detached(value));
  }

  /** Forgets every entry (for a memo whose values depend on more than the key, when that changes). */
  clear(): void {
    this.map.clear();
  }

  /** Entries kept. */
  get size(): number {
    return this.map.size;
  }

  private put(own: string, value: V): V {
    if (this.map.size >= this.bound) this.map.clear();
    this.map.set(own, value);
    return value;
  }
}
