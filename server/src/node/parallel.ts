/**
 * Worker threads for the CLI's parallel check (cli/shards.ts): the main thread starts one worker
 * per shard on the CLI's own script (the bundle dist/cli-bundle.js through its loader dist/cli.js, which reads
 * its code cache; the bundle branches on `isMainThread`), each worker loads its own engine over the real file
 * system and posts back plain data. A worker's young generation is kept as large as Node 20's at most
 * (`workerResourceLimits`), as the main thread's is.
 */
import * as os from 'node:os';
import { ResourceLimits, Worker, parentPort, workerData } from 'node:worker_threads';
import type { Assets } from '../service/service';
import { PhasegateService } from '../service/service';
import { Parallel, ShardRequest, ShardResult, checkShard } from '../cli/shards';
import { SyncNodeFileSystem } from './sync-fs';
import { workerResourceLimits } from './v8-tuning';

/**
 * Threshold when PHASEGATE_PARALLEL_MIN_FILES is set without a number: below it, worker start-up
 * (~0.1 s each) costs more than it saves.
 */
export const DEFAULT_PARALLEL_MIN_FILES = 2000;

interface WorkerInput {
  req: ShardRequest;
  assets: Assets;
}

type WorkerOutput = { ok: true; result: ShardResult } | { ok: false; error: string };

/**
 * The parallel settings of the `phasegate` process: opt-in. PHASEGATE_PARALLEL_MIN_FILES=N checks
 * workspaces of more than N checked files on worker threads (`0`: always); unset, empty, `off`, `false`, `no` or
 * `never` (in any case): never.
 * Opt-in because on the 2-core benchmark machine it is slower than one thread (about 1.6 s against
 * 1.5 s at N = 1,000: the threads compete with V8's compiler and garbage collector for the second core).
 */
export function parallelFromEnv(script: string, assets: Assets, env = process.env): Parallel | undefined {
  const raw = env.PHASEGATE_PARALLEL_MIN_FILES?.trim();
  // A word that turns it off, in any case (`OFF`, `false`, `no`), is off: not the threshold of a value that is no number.
  if (raw === undefined || raw === '' || /^(?:off|false|no|never)$/i.test(raw)) return undefined;
  const n = Number(raw);
  const minFiles = Number.isFinite(n) && n >= 0 ? n : DEFAULT_PARALLEL_MIN_FILES;
  const resourceLimits = workerResourceLimits();
  return { minFiles, shards: Math.min(4, Math.max(2, os.availableParallelism())), run: (req) => runInWorker(script, { req, assets }, resourceLimits) };
}

function runInWorker(script: string, input: WorkerInput, resourceLimits: ResourceLimits | undefined): Promise<ShardResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(script, { workerData: input, stdout: false, stderr: false, resourceLimits });
    let settled = false;
    w.once('message', (m: WorkerOutput) => {
      settled = true;
      if (m.ok) resolve(m.result);
      else reject(new Error(`worker: ${m.error}`));
    });
    w.once('error', (e) => {
      settled = true;
      reject(e);
    });
    w.once('exit', (code) => {
      if (!settled) reject(new Error(`worker exited with code ${code} before its result`));
    });
  });
}

/** The worker's side: checks the shard it was given and posts the result (or the error) once. */
export async function runShardWorker(): Promise<void> {
  const { req, assets } = workerData as WorkerInput;
  let out: WorkerOutput;
  try {
    const svc = new PhasegateService({ fs: new SyncNodeFileSystem(), assets });
    out = { ok: true, result: await checkShard(svc, req) };
  } catch (e) {
    out = { ok: false, error: (e as Error).stack ?? String(e) };
  }
  parentPort?.postMessage(out);
}
