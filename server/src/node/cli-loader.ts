/**
 * The `phasegate` entry point (dist/cli.js): loads the CLI bundle (dist/cli-bundle.js) with V8's code
 * cache. A check compiles several hundred functions before it can do any work; with the cache their
 * bytecode is read instead, which is what Node 22's `module.enableCompileCache` does (Node 20 has no such
 * switch, hence this loader). Two caches, the first that fits:
 * - the build's, beside the bundle (dist/cli-bundle.js.cache), written by running the CLI once with
 *   PHASEGATE_WRITE_CODE_CACHE=1 (scripts/build-cli.mjs); the package of the CLI ships none;
 * - the user's (code-cache.ts), written at the end of a `check` or `status` run that found none that fits.
 * A cache that does not fit (another Node, other V8 flags, a changed bundle) is rejected by V8 and the
 * bundle is compiled as usual. PHASEGATE_CODE_CACHE_REPORT=1 says on stderr which cache was used.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { createRequire, wrap } from 'node:module';
import { readUserCache, runsTheEngine, userCacheFile, writeUserCache } from './code-cache';
import { tuneForBatchRun } from './v8-tuning';

// Before compiling: V8 accepts a cache only under the flags it was made with.
tuneForBatchRun();

const bundle = path.join(__dirname, 'cli-bundle.js');
const source = wrap(fs.readFileSync(bundle, 'utf8'));
const shippedFile = `${bundle}.cache`;
const report = process.env.PHASEGATE_CODE_CACHE_REPORT === '1' ? (s: string) => process.stderr.write(`phasegate: code cache ${s}\n`) : undefined;

function compile(cachedData: Buffer | undefined): vm.Script {
  return new vm.Script(source, { filename: bundle, cachedData });
}

/** The bundle compiled with the first cache that fits: the build's, else the user's (written at exit when neither fits). */
function load(): vm.Script {
  if (process.env.PHASEGATE_WRITE_CODE_CACHE === '1') {
    const made = compile(undefined);
    // At exit, every function the run compiled is in the cache.
    process.once('exit', () => fs.writeFileSync(shippedFile, made.createCachedData()));
    return made;
  }
  let shipped: vm.Script | undefined;
  try {
    shipped = compile(fs.readFileSync(shippedFile));
  } catch {
    // None beside the bundle (the package of the CLI ships none): the user's cache, below.
  }
  if (shipped !== undefined && !shipped.cachedDataRejected) {
    report?.('accepted');
    return shipped;
  }
  const file = userCacheFile(bundle);
  const own = file === undefined ? undefined : readUserCache(file);
  const script = own !== undefined ? compile(own) : (shipped ?? compile(undefined));
  if (own !== undefined && !script.cachedDataRejected) {
    report?.(`accepted (${file})`);
    return script;
  }
  report?.(own !== undefined || shipped !== undefined ? 'rejected' : 'none');
  if (file !== undefined && runsTheEngine()) {
    process.once('exit', () => {
      const written = writeUserCache(file, script.createCachedData());
      report?.(`${written ? 'written' : 'not written'} (${file})`);
    });
  }
  return script;
}

const script = load();
const run = script.runInThisContext() as (exports: object, require: NodeRequire, module: object, filename: string, dirname: string) => void;
const module_ = { exports: {} };
run.call(module_.exports, module_.exports, createRequire(bundle), module_, bundle, __dirname);
