// A workspace of audit phases just made by `phasegate new phase` (every document the templates' text), written
// with the engine's own scaffold code (planNew) from out/, for measuring a check, status and the phase tree
// where every phase's documents are compared with their templates (a phase `new` just made reads not started).
//
//   node bench/scaffolded.mjs [--n N] [--filled-from WS] [--out DIR]
//
// --n: phases (default 1,500). --filled-from: a workspace of bench/generate.mjs (bench/work/ws-1000-1): every
// second phase takes that workspace's audit phase of its number (written in: the documents have no placeholder),
// a mixed workspace. Written to bench/work/scaffolded-<N>[-mixed]/ unless --out; the same arguments give the same bytes.
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { PhasegateService, normalizePath } = require(path.join(repo, 'out/server/src/service/index.js'));
const { planNew } = require(path.join(repo, 'out/server/src/service/scaffold.js'));
const { NodeFileSystem, loadAssets } = require(path.join(repo, 'out/server/src/node/assets.js'));

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const n = Number(arg('--n', '1500'));
const filledFrom = arg('--filled-from', undefined);
const out = path.resolve(arg('--out', path.join(repo, 'bench/work', `scaffolded-${n}${filledFrom ? '-mixed' : ''}`)));
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, 'audit'), { recursive: true });

const svc = new PhasegateService({ fs: new NodeFileSystem(), assets: loadAssets(repo) });
await svc.load(normalizePath(out));
const root = normalizePath(path.join(out, 'audit'));
for (let k = 1; k <= n; k++) {
  const filled = filledFrom && k % 2 === 0 ? path.join(filledFrom, 'audit-deployment', `phase-${k}`) : undefined;
  if (filled && fs.existsSync(filled)) {
    fs.cpSync(filled, path.join(out, 'audit', `phase-${k}`), { recursive: true });
    continue;
  }
  const plan = planNew(svc, { kind: 'phase', layout: 'audit', folder: root, number: k, title: `Audit step ${k}`, date: '2026-11-02' });
  for (const c of plan.creates) {
    fs.mkdirSync(path.dirname(c.file), { recursive: true });
    fs.writeFileSync(c.file, c.text, { flag: 'wx' });
  }
}
process.stdout.write(`${out}: ${n} phases\n`);
