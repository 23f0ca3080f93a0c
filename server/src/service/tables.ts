/**
 * Tables of numbers sized ahead (performance only). An array grown by `push` past some 16,000 entries is copied
 * into V8's large-object space at each growth, fresh memory each time (5 ns a push up to 2,000 entries, 58 ns at
 * 16,000, 122 ns at 130,000); a typed array is not, but costs about a microsecond to make, a hundred times a small
 * array's. So: a plain array of the right size for a few entries, a typed array past TYPED_FROM.
 */

/** From this many entries on, `numberTable` makes a typed array. */
export const TYPED_FROM = 1024;

/**
 * A table of `size` integers (of 32 bits), each written before it is read, read and written by index alone (a
 * typed array stands in for an array from `typedFrom` entries on: no `push`, no `length` set).
 */
export function numberTable(size: number, typedFrom = TYPED_FROM): number[] {
  return size < typedFrom ? new Array<number>(size) : (new Int32Array(size) as unknown as number[]);
}

/** The first `length` entries of a table `numberTable` made. */
export function tableHead(table: number[], length: number): ArrayLike<number> {
  if (table instanceof Int32Array) return table.subarray(0, length);
  table.length = length;
  return table;
}
