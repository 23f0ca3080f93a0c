/**
 * The `phasegate` entry point (dist/cli.js): loads the CLI bundle (dist/cli-bundle.js) with V8's code
 * cache when the build left one next to it (dist/cli-bundle.js.cache). A check compiles several
 * hundred functions before it can do any work; with the cache their bytecode is read instead, which
 * is what Node 22's `module.enableCompileCache` does (Node 20 has no such switch, hence this loader).
 * A cache that does not fit (another Node, other V8 flags, a changed bundle) is rejected by V8 and the
 * bundle is compiled as usual. The build writes the cache by running the CLI once with
 * PHASEGATE_WRITE_CODE_CACHE=1 (scripts/build-cli.mjs); PHASEGATE_CODE_CACHE_REPORT=1 says on stderr
 * whether a cache was used.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { createRequire, wrap } from 'node:module';
import { tuneForBatchRun } from './v8-tuning';

// Before compiling: V8 accepts a cache only under the flags it was made with.
tuneForBatchRun();

const bundle = path.join(__dirname, 'cli-bundle.js');
const cacheFile = `${bundle}.cache`;
const write = process.env.PHASEGATE_WRITE_CODE_CACHE === '1';
let cachedData: Buffer | undefined;
if (!write) {
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // No cache: compiled as usual.
  }
}
const script = new vm.Script(wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
if (process.env.PHASEGATE_CODE_CACHE_REPORT === '1') {
  process.stderr.write(`phasegate: code cache ${cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted'}\n`);
}
if (write) {
  // At exit, every function the run compiled is in the cache.
  process.once('exit', () => fs.writeFileSync(cacheFile, script.createCachedData()));
}
const run = script.runInThisContext() as (exports: object, require: NodeRequire, module: object, filename: string, dirname: string) => void;
const module_ = { exports: {} };
run.call(module_.exports, module_.exports, createRequire(bundle), module_, bundle, __dirname);
