/**
 * V8 settings for the `phasegate` process, a short batch run. Most of a check's time is spent before
 * V8's optimising compiler has caught up with the engine's hot functions, and that compiler (on the
 * other core) spends most of its time inlining. With a smaller inlining budget each function is
 * compiled sooner and more cheaply: at N = 1,000 (bench/) `check` takes about 0.1 s less wall time
 * and 15 % less CPU; the raw parse floor does not change with it. The language server, which runs
 * for hours, keeps V8's defaults.
 */
import * as v8 from 'node:v8';

const FLAG = '--max-inlined-bytecode-size-cumulative';
const BATCH_VALUE = 150;

/** Applies the batch settings, unless the user set the flag (NODE_OPTIONS or node's own arguments). */
export function tuneForBatchRun(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
  setFlags: (flags: string) => void = v8.setFlagsFromString,
): void {
  if (execArgv.some((a) => a.startsWith(FLAG)) || nodeOptions.includes(FLAG)) return;
  setFlags(`${FLAG}=${BATCH_VALUE}`);
}

/** The young generation Node 20 gives V8 at most: two semi-spaces of 16 MB. */
export const YOUNG_GENERATION_CAP = 32 * 1024 * 1024;
const GROWTH_FLAG = '--semi-space-growth-factor';
/** V8's own growth factor (Node 20 to 24). */
const GROWTH_DEFAULT = 2;

export interface YoungGenerationCapOptions {
  execArgv?: readonly string[];
  nodeOptions?: string;
  setFlags?: (flags: string) => void;
  spaces?: () => readonly { space_name: string; space_size: number }[];
  /** The size (both semi-spaces) at which growth stops. */
  cap?: number;
  /** The probe looks at the heap at every this many calls (a look costs a few microseconds). */
  stride?: number;
  /** Runs a function as the process exits, before anything else does then. */
  onExit?: (f: () => void) => void;
}

/** Whether the user sized V8's young generation (its semi-spaces or their growth) in node's arguments or NODE_OPTIONS. */
function userSizesYoungGeneration(execArgv: readonly string[], nodeOptions: string): boolean {
  const own = (f: string) => execArgv.some((a) => a.startsWith(f)) || nodeOptions.includes(f);
  return own('--max-semi-space-size') || own(GROWTH_FLAG);
}

/**
 * The resource limits of a worker thread of a parallel check (parallel.ts): its young generation no larger than
 * Node 20's, as `youngGenerationCap` keeps the main thread's. A worker has a heap of its own, sized when it starts,
 * so a limit does there what the probe does on the main thread. V8 counts a young generation as three semi-spaces
 * (the two and the large-object space beside them): a limit of 48 MB gives two semi-spaces of 16 MB. None when the
 * user sizes the young generation.
 */
export function workerResourceLimits({
  execArgv = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
  cap = YOUNG_GENERATION_CAP,
}: Pick<YoungGenerationCapOptions, 'execArgv' | 'nodeOptions' | 'cap'> = {}): { maxYoungGenerationSizeMb: number } | undefined {
  if (userSizesYoungGeneration(execArgv, nodeOptions)) return undefined;
  return { maxYoungGenerationSizeMb: ((cap / 2) * 3) / (1024 * 1024) };
}

/**
 * Keeps V8's young generation (where new objects are made) at most as large as Node 20 lets it grow. From
 * Node 22 on, V8 lets it grow to two semi-spaces of 64 MB on a machine with enough memory: in a check at
 * N = 1,000 (bench/), on Node 24, that is about 100 MB more peak memory, and more CPU, each collection
 * copying more; the language server holds about 50 MB more after indexing. The semi-spaces' largest size
 * is fixed when V8 starts, but how far they grow is not: once the young generation is as large as Node
 * 20's, its growth factor is set to 1 and it grows no more (on Node 20 it is then as large as it can be
 * anyway). Returns a probe to call often (as each file is read, as each phase is checked, on a timer);
 * every `stride`th call looks at the young generation's size. The probe returns true once it has nothing
 * more to do. A user who sets the semi-space size or growth factor (NODE_OPTIONS or node's own arguments)
 * gets a probe that does nothing.
 */
export function youngGenerationCap({
  execArgv = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
  setFlags = v8.setFlagsFromString,
  spaces = v8.getHeapSpaceStatistics,
  cap = YOUNG_GENERATION_CAP,
  stride = 16,
  // Before any other handler of the exit: the loader's, which makes the code cache, was added before this one.
  onExit = (f: () => void) => process.prependOnceListener('exit', f),
}: YoungGenerationCapOptions = {}): () => boolean {
  if (userSizesYoungGeneration(execArgv, nodeOptions)) return () => true;
  let calls = 0;
  let capped = false;
  return () => {
    if (capped || ++calls % stride !== 0) return capped;
    const young = spaces().find((s) => s.space_name === 'new_space');
    if (young === undefined || young.space_size >= cap) {
      // No young generation of that name (another V8): nothing to watch.
      if (young !== undefined) {
        setFlags(`${GROWTH_FLAG}=1`);
        // V8 accepts a code cache only under the flags it was made with: one the loader makes at exit
        // (cli-loader.ts) is made under the flags a run starts with, so that the next run can read it.
        onExit(() => setFlags(`${GROWTH_FLAG}=${GROWTH_DEFAULT}`));
      }
      capped = true;
    }
    return capped;
  };
}
