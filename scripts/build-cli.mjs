// Builds the `phasegate` CLI: the bundle (dist/cli-bundle.js), its loader (dist/cli.js, see
// server/src/node/cli-loader.ts) and V8's code cache for the bundle (dist/cli-bundle.js.cache), made
// by running the CLI once on examples/ so that the cache holds the functions a check compiles.
// Used by esbuild.mjs, the benchmark (bench/run.mjs) and the process tests.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The CLI's two esbuild entries, relative to the repository: the bundle and its loader. */
export const CLI_ENTRIES = [
  { entryPoints: ['server/src/node/cli.ts'], outfile: 'dist/cli-bundle.js' },
  { entryPoints: ['server/src/node/cli-loader.ts'], outfile: 'dist/cli.js' },
];

/**
 * Builds the CLI into `<repo>/dist`, or into `outdir` (a folder below the repository, so that the CLI finds
 * its schemas and templates), with esbuild `plugins` when given (the benchmark's variant without rules);
 * returns whether the code cache was written.
 */
export async function buildCli({ minify = false, sourcemap = false, logLevel = 'warning', outdir = path.join(REPO, 'dist'), plugins = [] } = {}) {
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify, sourcemap, logLevel, external: ['vscode'], plugins };
  await Promise.all(
    CLI_ENTRIES.map((e) =>
      esbuild.build({ ...common, entryPoints: e.entryPoints.map((p) => path.join(REPO, p)), outfile: path.join(outdir, path.basename(e.outfile)) }),
    ),
  );
  return writeCodeCache(outdir);
}

/** Runs the CLI built in `outdir` once to write its code cache; a failure leaves no cache (the CLI works without). */
export function writeCodeCache(outdir = path.join(REPO, 'dist')) {
  const cache = path.join(outdir, 'cli-bundle.js.cache');
  fs.rmSync(cache, { force: true });
  const r = spawnSync(process.execPath, [path.join(outdir, 'cli.js'), 'check', 'examples', '--format', 'json'], {
    cwd: REPO,
    env: { ...process.env, PHASEGATE_WRITE_CODE_CACHE: '1' },
    stdio: 'ignore',
    timeout: 60_000,
  });
  const ok = (r.status === 0 || r.status === 1) && fs.existsSync(cache);
  if (!ok) process.stderr.write(`build-cli: no code cache written (exit ${r.status ?? r.signal}); the CLI compiles at start\n`);
  return ok;
}
