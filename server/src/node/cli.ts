/** The `phasegate` process: real file system, built-in assets, exit code. All logic is in cli/main.ts. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../cli/main';
import { isMainThread } from 'node:worker_threads';
import { assetRoot, loadAssets, toPosix } from './assets';
import { SyncNodeFileSystem } from './sync-fs';
import { parallelFromEnv, runShardWorker } from './parallel';
import { tuneForBatchRun, youngGenerationCap } from './v8-tuning';

/**
 * The current folder as the shell names it (`$PWD`, through the symbolic links it was reached by) when
 * that is the same folder as the process's: PATHs given as `$PWD/…` then lie in it, and the paths printed
 * (and SARIF's, relative to the checkout) do not go out through `../`.
 */
export function logicalCwd(pwd = process.env.PWD, physical = process.cwd()): string {
  if (!pwd || !path.isAbsolute(pwd) || pwd === physical) return physical;
  try {
    return fs.realpathSync(pwd) === fs.realpathSync(physical) ? path.normalize(pwd) : physical;
  } catch {
    return physical;
  }
}

/** The file system of a check, with V8's young generation watched as each file is read (see `youngGenerationCap`). */
class BatchFileSystem extends SyncNodeFileSystem {
  constructor(private readonly probe: () => void) {
    super();
  }

  override readSmallFileSync(p: string, maxBytes: number): Uint8Array | number {
    this.probe();
    return super.readSmallFileSync(p, maxBytes);
  }
}

/**
 * The script the worker threads of a parallel check start on: the loader beside the bundle (dist/cli.js, see
 * cli-loader.ts), so that each reads the bundle's code cache as this run did, rather than compile the bundle;
 * this script itself where it runs without one (the tsc output).
 */
function workerScript(): string {
  const loader = path.join(__dirname, 'cli.js');
  return path.basename(__filename) === 'cli-bundle.js' && fs.existsSync(loader) ? loader : __filename;
}

/**
 * Whether a command line writes files (`new …`, `check --fix`): a closed pipe on its output must not end it half way
 * (see `PipeOutput`).
 */
function writesFiles(argv: readonly string[]): boolean {
  return argv.includes('new') || argv.includes('--fix');
}

/**
 * The process's standard output, once its reader may have gone (`phasegate check | head`). A closed pipe ends a
 * command that only reads (check, status): it has nothing left to do but print. A command that writes files drops
 * the rest of its output and finishes them (was: ended at once, `phasegate new phase | head -1` leaving a phase with
 * some of its documents).
 */
class PipeOutput {
  closed = false;

  constructor(private readonly argv: readonly string[]) {
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      // Writes queued before the pipe closed fail after it too.
      if (e.code !== 'EPIPE' && !(this.closed && e.code === 'ERR_STREAM_DESTROYED')) throw e;
      this.closed = true;
      if (!writesFiles(this.argv)) process.exit(process.exitCode ?? 0);
    });
  }

  write(text: string): boolean {
    return this.closed || process.stdout.write(text);
  }
}

function runCli(): void {
  const root = assetRoot();
  const probe = youngGenerationCap();
  const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const assets = loadAssets(root);
  void main({
    argv: process.argv.slice(2),
    cwd: toPosix(logicalCwd()),
    fs: new BatchFileSystem(probe),
    tick: probe,
    stdout: new PipeOutput(process.argv.slice(2)),
    stderr: process.stderr,
    assets,
    version,
    // The workers run this same bundle; see the isMainThread branch below.
    parallel: parallelFromEnv(workerScript(), assets),
    env: process.env,
  }).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`phasegate: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}

if (isMainThread) {
  // V8 flags are per process: this also covers the worker threads of a parallel check.
  tuneForBatchRun();
  runCli();
} else {
  void runShardWorker();
}
