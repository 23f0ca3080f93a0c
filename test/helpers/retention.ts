import * as v8 from 'node:v8';
import * as vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** MB of heap still in use after `run` and full collections: what `run` left reachable. */
export function retainedMB(run: () => void): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  run();
  gc();
  gc();
  return (process.memoryUsage().heapUsed - before) / 1e6;
}

/** A 1 MB text holding `word`, and `word` sliced out of it, as the model slices titles and items: kept, the slice keeps the text alive. */
export function sliceOfBig(word: string): string {
  const big = 'x '.repeat(500_000) + word + '\n';
  return big.slice(1_000_000, 1_000_000 + word.length);
}

/** A distinct lower-case word for each `i` below 676 (its own title and text key). */
export const unique = (i: number) => `implementationdetails${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`;
