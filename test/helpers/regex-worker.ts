/**
 * Regular expressions matched in a worker thread, under a deadline. A match that backtracks catastrophically
 * runs synchronously: in the test's own thread it would hang the whole test run (mocha's timeout cannot interrupt
 * synchronous code). In a worker it holds up only the worker, which `RegexWorker` terminates once the deadline
 * passes: the job is rejected with the pattern, the input's shape and its length, and the next job starts a
 * new worker.
 *
 * The worker is this module, loaded from out/ as the tests are: it compiles a pattern with the engine's own
 * `safeRegExp` (as the engine compiles a workspace's pattern) and builds the inputs itself from their shape, so
 * that neither the expressions nor long texts cross between the threads. One worker serves every job of a file
 * (its start, a few tens of milliseconds, is paid once), one job at a time.
 */
import * as assert from 'node:assert/strict';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { safeRegExp } from '../../server/src/service/regex-safety';
import { assertLinear } from './linear';

/** Hostile input: `unit` repeated to `length` characters, the last of them replaced by `end` ('aaa…a!'). */
export interface Shape {
  unit: string;
  end: string;
}

/** The text of `shape` at `length` characters. */
export const shaped = ({ unit, end }: Shape, length: number): string => unit.repeat(Math.ceil(length / unit.length)).slice(0, length - end.length) + end;

/** How a shape is named in a failure: `"ab" repeated to 4096 characters, ending "!"`. */
const describeShape = ({ unit, end }: Shape, length: number) => `${JSON.stringify(unit)} repeated to ${length} characters, ending ${JSON.stringify(end)}`;

/**
 * A pattern as the worker compiles it: by the engine's `safeRegExp` (`engine`, the default; a pattern it refuses
 * is answered as refused), or by `RegExp` itself (`plain`: a pattern the engine would refuse, run to show the deadline).
 */
export interface Pattern {
  source: string;
  flags: string;
  compile?: 'engine' | 'plain';
}

/**
 * What the worker does:
 * - `match`: matches each shape at each length (shapes outer) and answers the milliseconds of each match;
 * - `look`: the random patterns' first look (regex-safety.test.ts): at n the best of three runs over all shapes;
 *   at 2n, 4n and 8n up to three, until one is within 4 × m² times that (plus 0.5 ms); a pattern that stays above
 *   at some size is a suspect;
 * - `linear`: assertLinear of the runs over all shapes, from n to factor × n.
 */
export type Job =
  | { kind: 'match'; pattern: Pattern; shapes: Shape[]; lengths: number[] }
  | { kind: 'look'; pattern: Pattern; shapes: Shape[]; n: number }
  | { kind: 'linear'; pattern: Pattern; shapes: Shape[]; n: number; factor?: number; degree?: 1 | 2 };

/** The worker's answer: a refused pattern's reason, or what the job measured. */
export type Answer = { refused: string } | { ms: number[] } | { suspect: boolean } | { small: number; large: number; bound: number } | { failure: string };

/** A pattern's source and flags, as a failure names it. */
const named = ({ source, flags }: Pattern) => `/${source}/${flags}`;

/** Where the worker is: the index of the shape it matches and its length (written before each match, read at the deadline). */
const SHAPE = 0;
const LENGTH = 1;

/** Matching in one worker thread, a job at a time, each under its own deadline. */
export class RegexWorker {
  private worker?: Worker;
  /** Settled once the worker has loaded the engine and waits for jobs. */
  private ready?: Promise<void>;
  private where = new Int32Array(new SharedArrayBuffer(8));
  private busy = false;
  /** Workers started so far (one, unless a deadline has passed). */
  started = 0;

  /**
   * Runs `job` in the worker; rejects once `deadlineMs` pass without its answer (the worker is then terminated,
   * and the next job starts another), or when the job fails in the worker.
   */
  async run(job: Job, deadlineMs: number): Promise<Answer> {
    assert.ok(!this.busy, 'one job at a time');
    this.busy = true;
    try {
      const worker = this.start();
      // The deadline is the job's: it starts once the worker has loaded the engine.
      await this.ready;
      Atomics.store(this.where, SHAPE, -1);
      return await new Promise<Answer>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          worker.off('message', answered);
          worker.off('error', failed);
          worker.off('exit', exited);
        };
        const answered = (a: Answer) => {
          done();
          resolve(a);
        };
        const failed = (e: Error) => {
          done();
          this.worker = undefined;
          reject(e);
        };
        const exited = (code: number) => failed(new Error(`the regex worker exited (${code}) during ${named(job.pattern)}`));
        const timer = setTimeout(() => {
          done();
          const shape = job.shapes[Atomics.load(this.where, SHAPE)];
          const at = shape ? ` on ${describeShape(shape, Atomics.load(this.where, LENGTH))}` : ' (before its first match)';
          this.worker = undefined;
          void worker.terminate();
          reject(new Error(`${named(job.pattern)}${at}: no answer within ${deadlineMs} ms (the worker was terminated)`));
        }, deadlineMs);
        worker.on('message', answered);
        worker.on('error', failed);
        worker.on('exit', exited);
        worker.postMessage(job);
      });
    } finally {
      this.busy = false;
    }
  }

  /** Ends the worker (a file's `after`); a later job would start another. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker {
    if (!this.worker) {
      const worker = (this.worker = new Worker(__filename, { workerData: { regexWorker: this.where } }));
      // A worker left running must not keep the test run from ending.
      worker.unref();
      this.started++;
      this.ready = new Promise((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`the regex worker exited (${code}) as it started`)));
      });
    }
    return this.worker;
  }
}

/** The worker's side: answers each job in turn. */
function serve(where: Int32Array): void {
  const compile = (p: Pattern): RegExp | string => (p.compile === 'plain' ? new RegExp(p.source, p.flags) : safeRegExp(p.source, p.flags));
  /** The texts of each shape at `length`, made once. */
  const texts = new Map<number, string[]>();
  let shapesKey = '';
  const inputs = (shapes: Shape[], length: number) => {
    const key = JSON.stringify(shapes);
    if (key !== shapesKey) {
      texts.clear();
      shapesKey = key;
    }
    let t = texts.get(length);
    if (!t) texts.set(length, (t = shapes.map((s) => shaped(s, length))));
    return t;
  };
  /** Milliseconds of one run of `re` over the inputs at `length` (or over the one of index `only`), each match announced in `where` first. */
  const run = (re: RegExp, shapes: Shape[], length: number, only?: number) => {
    const all = inputs(shapes, length);
    Atomics.store(where, LENGTH, length);
    const t0 = performance.now();
    for (let i = only ?? 0; i < (only === undefined ? all.length : only + 1); i++) {
      Atomics.store(where, SHAPE, i);
      re.lastIndex = 0;
      re.test(all[i]);
    }
    return performance.now() - t0;
  };
  const answer = (job: Job): Answer => {
    const re = compile(job.pattern);
    if (typeof re === 'string') return { refused: re };
    switch (job.kind) {
      case 'match': {
        const ms: number[] = [];
        for (let s = 0; s < job.shapes.length; s++) for (const length of job.lengths) ms.push(run(re, job.shapes, length, s));
        return { ms };
      }
      case 'look': {
        const { shapes, n } = job;
        const small = Math.min(run(re, shapes, n), run(re, shapes, n), run(re, shapes, n));
        for (let m = 2; m <= 8; m *= 2) {
          const bound = 4 * m * m * small + 0.5;
          if (run(re, shapes, m * n) > bound && run(re, shapes, m * n) > bound && run(re, shapes, m * n) > bound) return { suspect: true };
        }
        return { suspect: false };
      }
      case 'linear':
        try {
          return assertLinear(
            `${named(job.pattern)} on hostile input of n characters`,
            (size) => {
              inputs(job.shapes, size);
              return () => void run(re, job.shapes, size);
            },
            {
              n: job.n,
              factor: job.factor,
              degree: job.degree,
            },
          );
        } catch (e) {
          return { failure: (e as Error).message };
        }
    }
  };
  parentPort!.on('message', (job: Job) => parentPort!.postMessage(answer(job)));
  parentPort!.postMessage('ready');
}

if (!isMainThread && workerData?.regexWorker instanceof Int32Array) serve(workerData.regexWorker);
