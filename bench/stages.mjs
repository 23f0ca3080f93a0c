// Where `check`'s time goes once V8 has warmed up: the engine in-process (from the tsc output in out/),
// the workspace loaded once, then each stage timed alone, several times over, with the best of the
// repeats reported. Stages: parsing every document (lines, front matter, markdown-it, the model),
// making each file's check context, each rule over every file (rule by rule, as `checkBatch` runs
// them), and every phase's gates. Steady-state figures move far less than a cold `check`'s wall time
// between runs of the same build, so they show what a change to one stage or one rule saves; a cold
// `check` (bench/run.mjs, or `/usr/bin/time node dist/cli.js check …` in alternate runs) still has the
// last word, warm-up included.
//
//   node bench/stages.mjs <workspace> [--repeat K] [--only TEXT] [--json]
//   --only: time only the stages whose name holds TEXT (e.g. `--only handoff-mismatch`)
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const out = (p) => require(path.join(repo, 'out/server/src', p));
const { PhasegateService, normalizePath } = out('service/index.js');
const { parseDocuments } = out('service/markdown.js');
const { ALL_RULES } = out('service/rules/index.js');
const { loadAssets } = out('node/assets.js');
const { SyncNodeFileSystem } = out('node/sync-fs.js');
const MarkdownIt = require('markdown-it');

const args = process.argv.slice(2);
const ws = args[0];
if (!ws) {
  process.stderr.write('usage: node bench/stages.mjs <workspace> [--repeat K] [--only TEXT] [--json]\n');
  process.exit(2);
}
const ri = args.indexOf('--repeat');
const repeat = ri > 0 ? Number(args[ri + 1]) : 7;

// Every model kept (no least-recently-used drop), so that the rules' stage parses nothing.
const svc = new PhasegateService({ fs: new SyncNodeFileSystem(), assets: loadAssets(repo), maxParsed: 1e9 });
await svc.load(normalizePath(path.resolve(ws)));
const files = svc.checkedFiles();
const phases = svc.model.phases;
const texts = files.map((f) => svc.getText(f)).filter((t) => t !== undefined);
// The floor's share of parsing, for reference: markdown-it alone, configured as bench/floor.mjs
// configures it, on the bodies (front matter blanked as the engine blanks it).
const md = new MarkdownIt('commonmark', { html: true }).enable('table');
md.core.ruler.disable(['inline', 'text_join', 'normalize']);
const bodies = texts.map((t) => {
  const end = t.startsWith('---\n') ? t.indexOf('\n---\n', 4) : -1;
  return end < 0 ? t : '\n'.repeat(t.slice(0, end + 5).split('\n').length - 1) + t.slice(end + 5);
});
// One full check first: it warms every path up and leaves the diagnostics and gates that the rules
// reading other phases' gates ask for.
svc.checkPhases(phases);
for (const f of files) svc.getDocument(f);

// Wall time and this process's CPU time (user + system, all threads: V8's collector and compiler
// threads count too) of each stage, the best of the repeats for each. CPU time is what to compare when
// other work shares the machine: a stage's wall time then includes the time it waited for a core.
const best = new Map();
const bestCpu = new Map();
const oi = args.indexOf('--only');
const only = oi > 0 ? args[oi + 1] : undefined;
const time = (name, fn, always = false) => {
  const skip = only !== undefined && !name.includes(only);
  if (skip && !always) return;
  const c = process.cpuUsage();
  const a = performance.now();
  fn();
  const ms = performance.now() - a;
  const d = process.cpuUsage(c);
  const cpu = (d.user + d.system) / 1000;
  if (skip) return;
  best.set(name, Math.min(best.get(name) ?? Infinity, ms));
  bestCpu.set(name, Math.min(bestCpu.get(name) ?? Infinity, cpu));
};

const ruleName = (r) => r.ids.join(',');
for (let k = 0; k < repeat; k++) {
  // In batches of about the size `checkBatch` parses (16 phases), whose models die young as there.
  time('parse', () => {
    for (let i = 0; i < texts.length; i += 160) parseDocuments(texts.slice(i, i + 160));
  });
  time('parse: markdown-it alone (reference, not summed)', () => {
    for (const b of bodies) md.parse(b, {});
  });
  let ctxs = [];
  time(
    'contexts',
    () => {
      for (const f of files) {
        const c = svc.contextFor(f);
        if (!Array.isArray(c)) ctxs.push(c);
      }
    },
    true,
  );
  for (const rule of ALL_RULES)
    time(`rule ${ruleName(rule)}`, () => {
      for (const c of ctxs) svc.runRule(rule, c);
    });
  ctxs = [];
  svc.gateCache.clear();
  // Always run (timed only when asked for): the next repeat's rules that read gates need them known.
  time(
    'gates',
    () => {
      for (const p of phases) svc.gates(p);
    },
    true,
  );
}

const sumRules = (m) => [...m].filter(([k]) => k.startsWith('rule ')).reduce((s, [, v]) => s + v, 0);
const rows = [...best].sort((a, b) => b[1] - a[1]).map(([k, v]) => ({ stage: k, ms: v, cpuMs: bestCpu.get(k) }));
if (args.includes('--json')) {
  process.stdout.write(JSON.stringify({ files: files.length, repeat, rulesMs: sumRules(best), rulesCpuMs: sumRules(bestCpu), stages: rows }) + '\n');
} else {
  const f = (v) => v.toFixed(1).padStart(9);
  process.stdout.write(
    `${files.length} files, best of ${repeat}; all rules together ${sumRules(best).toFixed(1)} ms wall, ${sumRules(bestCpu).toFixed(1)} ms CPU\n`,
  );
  process.stdout.write(`${'wall'.padStart(12)} ${'CPU'.padStart(12)}\n`);
  for (const r of rows) process.stdout.write(`${f(r.ms)} ms ${f(r.cpuMs)} ms  ${r.stage}\n`);
}
