/**
 * A guard against super-linear time that does not depend on the machine's speed: it compares the time of one
 * input family at two sizes, n and factor × n, instead of holding one run to a bound in milliseconds (which
 * fails on a loaded machine and says nothing on a fast one).
 *
 * Linear work takes about factor times as long on the larger input (16×), quadratic work factor² (256×),
 * backtracking more; the bound, slack × factor (64×), sits between them with room for noise on either side.
 */
import * as assert from 'node:assert/strict';
import { GCProfiler } from 'node:v8';

export interface LinearOptions {
  /** The smaller size; pick it so that the work at n takes a millisecond or more (runs shorter are repeated up to `minMs`). */
  n: number;
  /** The larger size is factor × n (16). */
  factor?: number;
  /** The larger may take up to slack × factor times the smaller (4). */
  slack?: number;
  /** Added to the bound, so that noise of a few milliseconds cannot fail it (2 ms). */
  allowanceMs?: number;
  /** Runs at n shorter than this are repeated (the same count at every size) until one measure takes this long (5 ms). */
  minMs?: number;
  /**
   * The growth allowed: 1, linear (the default), or 2, at most quadratic, for work that is quadratic by design and
   * bounded otherwise (a pattern's cost per start position, on an input of bounded length). The larger may then
   * take up to slack × factor² times the smaller (1,024×): cubic work takes factor³ (4,096×), backtracking more.
   */
  degree?: 1 | 2;
  /**
   * Synchronous work only (`assertLinear`): leave out the garbage collector's pauses within each run (V8's GC
   * profiler reports each one). For work whose every run builds a large model: the collector's share grows with the
   * live heap, and more than linearly on a loaded machine (the parse of a document of 16 × n labels took 13–87× as
   * long as one of n, 9–20× without the pauses), while the work's own growth (a loop in a loop) is still counted.
   */
  withoutGc?: boolean;
}

/** What was measured: milliseconds at n and at factor × n (each the best of several), and the ratio allowed. */
export interface LinearTimes {
  small: number;
  large: number;
  bound: number;
}

type Work = (n: number) => void | (() => void);
/** `Work` whose runs are asynchronous: a request to a language server and its answer. */
type AsyncWork = (n: number) => Promise<void | (() => Promise<void>)>;

/** A measure assertLinear's steps ask for: `reps` runs of the work at size n, the sum so far once it passes `stop`. */
interface Measure {
  n: number;
  reps: number;
  stop: number;
  withoutGc: boolean;
}

/**
 * Milliseconds of CPU time this process spends. Unlike the time on the clock, it does not grow while the process
 * waits for a core (a loaded machine runs other processes meanwhile, and a run descheduled half way took 20 times as
 * long on the clock as its twin).
 */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Starts timing synchronous work; the function returned gives the milliseconds since, the lesser of the CPU time
 * this process spent and the time on the clock. Both are more than the time the work took on its own thread: the
 * clock counts the time the process waited for a core, and the process's CPU time counts the garbage collector's
 * background threads, which mark on another core what the untimed building of an input left (counted in, a split of
 * a joined text took 36× for 8× the input). Node 20 cannot read the thread's own CPU time finely
 * (/proc/thread-self/schedstat moves by scheduler ticks, 4 ms). `withoutGc`: the time on the clock less the
 * collector's pauses within (see `LinearOptions.withoutGc`).
 */
export function stopwatch(withoutGc = false): () => number {
  const gc = withoutGc ? new GCProfiler() : undefined;
  gc?.start();
  const cpu = cpuMs();
  const clock = performance.now();
  return () => {
    const [used, elapsed] = [cpuMs() - cpu, performance.now() - clock];
    if (!gc) return Math.min(used, elapsed);
    // The pauses (their cost in microseconds, on the clock) come off the time on the clock. The CPU time holds the
    // collector's threads' work as well as its pauses, and is left as it is: the lesser of the two still holds.
    const paused = (gc.stop()?.statistics ?? []).reduce((sum, s) => sum + s.cost, 0) / 1000;
    return Math.max(0, Math.min(used, elapsed - paused));
  };
}

/**
 * Milliseconds (see stopwatch) `reps` calls of `work(n)` take, or of the function it returns (built once, untimed,
 * then called `reps` times): the sum so far once it passes `stop`, which is then a lower bound.
 */
function measure(work: Work, { n, reps, stop, withoutGc }: Measure): number {
  const first = stopwatch(withoutGc);
  const then = work(n);
  if (typeof then !== 'function') {
    let ms = first();
    for (let r = 1; r < reps && ms <= stop; r++) {
      const run = stopwatch(withoutGc);
      work(n);
      ms += run();
    }
    return ms;
  }
  let ms = 0;
  for (let r = 0; r < reps && ms <= stop; r++) {
    const run = stopwatch(withoutGc);
    then();
    ms += run();
  }
  return ms;
}

/**
 * `measure` of asynchronous work: each run timed on the clock until its promise settles (the work is done in
 * another process, a language server, whose CPU time this process cannot read finely).
 */
async function measureAsync(work: AsyncWork, { n, reps, stop }: Measure): Promise<number> {
  const t0 = performance.now();
  const then = await work(n);
  if (typeof then !== 'function') {
    let ms = performance.now() - t0;
    for (let r = 1; r < reps && ms <= stop; r++) {
      const t = performance.now();
      await work(n);
      ms += performance.now() - t;
    }
    return ms;
  }
  let ms = 0;
  for (let r = 0; r < reps && ms <= stop; r++) {
    const t = performance.now();
    await then();
    ms += performance.now() - t;
  }
  return ms;
}

/**
 * Asserts that `work` takes time linear in its size: that `work(factor × n)` takes at most slack × factor times
 * as long as `work(n)`, plus `allowanceMs`. `work(n)` does the work on an input of size n; when the input takes
 * time to build, it builds it and returns a function doing the work, and only that function is timed. Work
 * shorter than `minMs` is repeated on the same input: it must not keep its answer on it (a cache would answer
 * the repeats at once).
 *
 * Each size is timed as the best of a few runs, the two sizes alternating, after a warm-up at n. The larger size
 * is reached by doubling (2n, 4n, … factor × n), each step held to its own share of the bound, so that work
 * far worse than linear fails at the first step where it shows instead of running for minutes at the largest.
 * A measure that fails is taken again, with more runs, up to three times: noise does not repeat, super-linear work
 * does. One that fails by far (more than twice the bound) fails at once the second time (a collection of a large
 * heap, counted in the CPU time of a run, can make one attempt fail by far). Returns the times of the attempt that
 * passed.
 */
export function assertLinear(label: string, work: Work, options: LinearOptions): LinearTimes {
  const run = steps(label, options);
  let next = run.next();
  while (!next.done) next = run.next(measure(work, next.value));
  return next.value;
}

/**
 * `assertLinear` of asynchronous work (`work(n)` and the function it returns give promises; each run is timed
 * until its promise settles): a language server's answer to a request, measured from the client.
 */
export async function assertLinearAsync(label: string, work: AsyncWork, options: LinearOptions): Promise<LinearTimes> {
  const run = steps(label, options);
  let next = run.next();
  while (!next.done) next = run.next(await measureAsync(work, next.value));
  return next.value;
}

/** The measures of assertLinear, asked of its caller one at a time (each answered with its milliseconds), and its verdict. */
function* steps(label: string, options: LinearOptions): Generator<Measure, LinearTimes, number> {
  const { n, factor = 16, slack = 4, allowanceMs = 2, minMs = 5, degree = 1, withoutGc = false } = options;
  // Warm-up: compiled code and filled caches for both sizes' measures (the first runs are the slowest).
  let warm = Infinity;
  for (let i = 0; i < 3; i++) warm = Math.min(warm, yield { n, reps: 1, stop: Infinity, withoutGc });
  // Runs at n too short to measure are repeated, the same number of times at every size.
  const reps = Math.max(1, Math.min(1000, Math.ceil(minMs / Math.max(warm, 0.001))));
  let failure = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const repeats = 2 * attempt + 1;
    let small = Infinity;
    for (let i = 0; i < repeats; i++) small = Math.min(small, yield { n, reps, stop: Infinity, withoutGc });
    let passed = true;
    let last: LinearTimes = { small, large: small, bound: 1 };
    for (let m = 2; m <= factor; m *= 2) {
      // What the work may grow by from n to m × n: m (linear) or m² (quadratic).
      const growth = m ** degree;
      let large = Infinity;
      for (let i = 0; i < repeats; i++) {
        // A run already past twice the bound stops there: enough to fail, and work far worse than linear would run for long.
        large = Math.min(large, yield { n: m * n, reps, stop: 2 * (slack * growth * small + allowanceMs), withoutGc });
        small = Math.min(small, yield { n, reps, stop: Infinity, withoutGc });
        // Once within the bound the step is shown; further runs would only take time.
        if (large <= slack * growth * small + allowanceMs) break;
      }
      const allowed = slack * growth * small + allowanceMs;
      last = { small, large, bound: slack * growth };
      if (large > allowed) {
        failure =
          `${label}: ${fmt(large)} ms at ${m * n} against ${fmt(small)} ms at ${n}` +
          ` (${(large / small).toFixed(1)}×; ${degree === 1 ? 'linear' : 'quadratic'} is about ${growth}×, at most ${slack * growth}× + ${allowanceMs} ms allowed` +
          `${reps > 1 ? `; each the sum of ${reps} runs` : ''}${withoutGc ? "; without the garbage collector's pauses" : ''})`;
        passed = false;
        // Far past the bound a second time: no noise does that twice, and measuring again would only take longer.
        if (large > 2 * allowed && attempt > 1) assert.fail(failure);
        break;
      }
    }
    if (passed) return last;
  }
  assert.fail(failure);
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));

/** `work` as a function of n: the text of `unit` repeated n times between `head` and `tail`. */
export const repeated =
  (head: string, unit: string, tail: string, work: (text: string) => unknown) =>
  (n: number): (() => void) => {
    const text = head + unit.repeat(n) + tail;
    return () => void work(text);
  };

/**
 * `work` for `assertLinear` over a document of an engine: `text(n)` made untimed, then in each run set as the
 * editor's text of `file` (so that the engine reads it again rather than answering from its cached results) and
 * `check(n)` run.
 */
export const overlaid =
  (svc: { setOverlay(path: string, text: string): void }, file: string, text: (n: number) => string, check: (n: number) => unknown) =>
  (n: number): (() => void) => {
    const t = text(n);
    return () => {
      svc.setOverlay(file, t);
      check(n);
    };
  };
