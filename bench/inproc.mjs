// The engine in-process, from the tsc output in out/ (no bundle needed): load the workspace, diagnose
// every file, evaluate every phase's gates, as `phasegate check` does. Prints one JSON line of timings.
// Used before dist/cli.js exists, and with `node --cpu-prof` to find hot spots.
//
//   node bench/inproc.mjs <workspace> [--repeat K]
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const t0 = performance.now();
const { PhasegateService, normalizePath } = require(path.join(repo, 'out/server/src/service/index.js'));
const { NodeFileSystem, loadAssets } = require(path.join(repo, 'out/server/src/node/assets.js'));
const tRequire = performance.now();

const ws = process.argv[2];
const ri = process.argv.indexOf('--repeat');
const repeat = ri > 0 ? Number(process.argv[ri + 1]) : 1;
const runs = [];
let counts;
for (let k = 0; k < repeat; k++) {
  const a = performance.now();
  const svc = new PhasegateService({ fs: new NodeFileSystem(), assets: loadAssets(repo) });
  await svc.load(normalizePath(path.resolve(ws)));
  const b = performance.now();
  const diags = svc.diagnoseAll();
  const c = performance.now();
  let gates = 0;
  for (const p of svc.model.phases) {
    gates += svc.gates(p).length;
    svc.status(p);
  }
  const d = performance.now();
  runs.push({ loadMs: b - a, diagnoseMs: c - b, gatesMs: d - c, totalMs: d - a });
  const byCode = {};
  for (const x of diags) byCode[x.code] = (byCode[x.code] ?? 0) + 1;
  counts = { phases: svc.model.phases.length, files: svc.checkedFiles().length, diagnostics: diags.length, gates, byCode };
}
process.stdout.write(JSON.stringify({ requireMs: tRequire - t0, runs, counts, maxRssKB: process.resourceUsage().maxRSS }) + '\n');
