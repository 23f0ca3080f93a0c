// `npm run bench [-- --n 1000 --seed 1 --repeat 3 --idle 60 --skip-peer --skip-lsp --no-build]`
//
// Generates (or reuses) a workspace of N audit + N iAI phases, then measures on it, in one run:
//   check   `node dist/cli.js check <ws> --format json > /dev/null`: wall time, peak RSS
//   peer    markdownlint-cli2 (default rules) on the same Markdown files, and our speed ratio
//   floor   reading the files and parsing them with markdown-it as the engine does, and our ratio to it;
//           for reference also with yaml's full front matter parse, and with markdown-it's inline parse;
//           and the CLI built without rules, for what the rest of a check costs by itself
//   server  dist/server.js over stdio: index time, per-edit and cross-file diagnostics latency, the phase
//           tree and the workspace diagnostics after a change, memory (after indexing, and when idle for
//           --idle seconds after the last request; 0 skips it)
// Prints a table and writes bench/out/results.json. Timings are reported, never asserted.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchTargets, ensureWorkspace } from './generate.mjs';
import { measureServer, percentile } from './lsp.mjs';
import { WITHOUT_RULES_DIR, buildWithoutRules } from './without-rules.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const flag = (name) => argv.includes(`--${name}`);
const N = Number(opt('n', '1000'));
const SEED = Number(opt('seed', '1'));
const REPEAT = Number(opt('repeat', N >= 5000 ? '1' : '3'));
const log = (s) => process.stderr.write(`[bench] ${s}\n`);

/** Targets at N = 1,000 (issue #bench); reported as met or not, never enforced. */
const TARGETS = {
  checkWallMs: 1500,
  checkRssMB: 250,
  peerRatio: 10,
  floorRatio: 1.5,
  indexMs: 2000,
  perEditMedianMs: 5,
  perEditP95Ms: 20,
  crossFileMs: 20,
  serverRssMB: 300,
};

const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const MAXRSS_PRELOAD = path.join(here, 'maxrss.cjs');

/**
 * Runs a command to completion with its stdout discarded; wall time, peak RSS (KB) and exit code.
 * Peak RSS from GNU time when installed, else from process.resourceUsage() in a preloaded hook
 * (node commands only).
 */
function measure(cmd, args, { cwd = repo, env = process.env } = {}) {
  const rssFile = path.join(os.tmpdir(), `pg-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  let file = cmd;
  let fullArgs = args;
  let childEnv = env;
  if (TIME) {
    file = TIME;
    fullArgs = ['-f', '%M %U %S', '-o', rssFile, cmd, ...args];
  } else if (cmd === process.execPath) {
    fullArgs = ['--require', MAXRSS_PRELOAD, ...args];
    childEnv = { ...env, PG_BENCH_RSS_FILE: rssFile };
  }
  return new Promise((resolve) => {
    const t = performance.now();
    const child = spawn(file, fullArgs, { cwd, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
    child.on('close', (code) => {
      const wallMs = performance.now() - t;
      let rssKB;
      let cpuMs;
      try {
        // "<max RSS KB> <user s> <system s>" (the last line: GNU time may print a status line first).
        const [kb, user, sys] = fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        rssKB = kb;
        cpuMs = (user + sys) * 1000;
        fs.rmSync(rssFile, { force: true });
      } catch {
        rssKB = undefined;
      }
      resolve({ wallMs, cpuMs, rssKB, code, stderr });
    });
  });
}

const median = (xs) => percentile(xs, 50);

async function repeatMeasure(label, cmd, args, opts) {
  const runs = [];
  for (let i = 0; i < REPEAT; i++) runs.push(await measure(cmd, args, opts));
  const wall = runs.map((r) => r.wallMs);
  const rss = runs.map((r) => r.rssKB).filter((x) => x !== undefined);
  const cpu = runs.map((r) => r.cpuMs).filter((x) => x !== undefined && !Number.isNaN(x));
  const res = {
    wallMs: median(wall),
    minWallMs: Math.min(...wall),
    cpuMs: cpu.length ? median(cpu) : undefined,
    runs: wall.map(Math.round),
    rssMB: rss.length ? Math.max(...rss) / 1024 : undefined,
    exitCode: runs[0].code,
  };
  log(`${label}: ${Math.round(res.wallMs)} ms wall, ${fmt(res.cpuMs)} ms CPU (median of ${REPEAT}), ${res.rssMB?.toFixed(0)} MB, exit ${res.exitCode}`);
  if (res.exitCode !== 0 && res.exitCode !== 1) log(`${label} stderr: ${runs[0].stderr}`);
  return res;
}

/** Bundles the CLI (with its code cache) and the server as the production build does, so the benchmark measures the current sources. */
async function build() {
  const esbuild = await import('esbuild');
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'silent', external: ['vscode'], minify: true };
  const out = {};
  if (fs.existsSync(path.join(repo, 'scripts', 'build-cli.mjs'))) {
    try {
      const { buildCli } = await import(pathToFileURL(path.join(repo, 'scripts', 'build-cli.mjs')).href);
      out.cli = (await buildCli({ minify: true, logLevel: 'silent' })) ? 'built' : 'built (no code cache)';
      // For reference, the same CLI with no rule at all: what reading, parsing, the model, the gates and the
      // output cost by themselves.
      await buildWithoutRules();
      out.cliWithoutRules = 'built';
    } catch (e) {
      log(`build of the CLI failed: ${e.message.split('\n')[0]}`);
      out.cli = fs.existsSync(path.join(repo, 'dist', 'cli.js')) ? 'prebuilt' : 'missing';
    }
  }
  for (const [name, entry] of [['server', 'server/src/node/server.ts']]) {
    const outfile = path.join(repo, 'dist', `${name}.js`);
    if (!fs.existsSync(path.join(repo, entry))) {
      out[name] = fs.existsSync(outfile) ? 'prebuilt' : 'missing';
      continue;
    }
    try {
      await esbuild.build({ ...common, entryPoints: [path.join(repo, entry)], outfile });
      out[name] = 'built';
    } catch (e) {
      log(`build of ${entry} failed: ${e.message.split('\n')[0]}`);
      out[name] = fs.existsSync(outfile) ? 'prebuilt' : 'missing';
    }
  }
  return out;
}

function fmt(x, digits = 0) {
  return x === undefined || Number.isNaN(x) ? '—' : x.toFixed(digits);
}

/** Reads every file under `dir` once (to have the operating system cache them); how many, and how long it took. */
function readAllOnce(dir) {
  const t = performance.now();
  let files = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        fs.readFileSync(p);
        files++;
      }
    }
  };
  walk(dir);
  return { files, ms: performance.now() - t };
}

async function main() {
  const t0 = performance.now();
  const gen = ensureWorkspace(path.join(here, 'work'), { n: N, seed: SEED });
  log(`workspace ${gen.dir}: ${gen.files} files, ${gen.markdown} Markdown, ${(gen.bytes / 1e6).toFixed(1)} MB${gen.cached ? ' (cached)' : ''}`);
  const ws = gen.dir;
  const rel = benchTargets(N);
  const targets = Object.fromEntries(Object.entries(rel).map(([k, v]) => [k, path.join(ws, v)]));
  const builds = flag('no-build') ? { cli: 'prebuilt', server: 'prebuilt' } : await build();
  // Every file read once, untimed: the first timed command would otherwise read from disk what the others find in
  // the page cache (at N = 10,000, measured with one run each, the first check took 17-20 s against 10 s).
  const warm = readAllOnce(ws);
  log(`workspace read once before the timed runs: ${warm.files} files in ${Math.round(warm.ms)} ms`);
  const cliJs = path.join(repo, 'dist', 'cli.js');
  const serverJs = path.join(repo, 'dist', 'server.js');
  const results = {
    date: new Date().toISOString(),
    loadAverageAtStart: os.loadavg()[0],
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memGB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    workspace: { n: N, seed: SEED, phases: 2 * N, files: gen.files, markdown: gen.markdown, mb: gen.bytes / 1e6 },
    repeat: REPEAT,
    builds,
    targets: TARGETS,
  };

  // phasegate check (the built CLI), or the engine from out/ while the CLI is not there.
  if (fs.existsSync(cliJs)) {
    results.check = {
      how: 'node dist/cli.js check <ws> --format json > /dev/null',
      ...(await repeatMeasure('check', process.execPath, [cliJs, 'check', ws, '--format', 'json'])),
    };
    const out = spawnSync(process.execPath, [cliJs, 'check', ws, '--format', 'json'], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 30 });
    try {
      const json = JSON.parse(out.stdout);
      const byCode = {};
      for (const d of json.diagnostics) byCode[d.code] = (byCode[d.code] ?? 0) + 1;
      results.check.diagnostics = json.diagnostics.length;
      results.check.phases = json.phases.length;
      results.check.byCode = byCode;
    } catch (e) {
      results.check.outputError = `${e.message}: ${out.stderr.slice(-500)}`;
    }
  } else {
    log('dist/cli.js is missing: measuring the engine in-process from out/ instead');
    results.check = {
      how: 'node bench/inproc.mjs <ws> (engine from out/, no CLI)',
      ...(await repeatMeasure('engine', process.execPath, [path.join(here, 'inproc.mjs'), ws])),
    };
  }

  // The raw floor (read + markdown-it as the engine runs it); for reference, the same with the yaml
  // package's full parse of every front matter, and markdown-it's full parse.
  results.floor = {
    how: 'node bench/floor.mjs <ws> (walk, read, markdown-it block parse)',
    ...(await repeatMeasure('floor', process.execPath, [path.join(here, 'floor.mjs'), ws, '--mode', 'engine'])),
  };
  results.floorYaml = {
    how: "node bench/floor.mjs <ws> --yaml (walk, read, yaml's full front matter parse, markdown-it block parse)",
    ...(await repeatMeasure('floor + yaml', process.execPath, [path.join(here, 'floor.mjs'), ws, '--mode', 'engine', '--yaml'])),
  };
  results.floorYaml.ratio = results.check.wallMs / results.floorYaml.wallMs;
  // For reference: markdown-it with the engine's replacements of some of its pieces (block-state.ts), which
  // make the engine's parse cheaper than the floor's; the floor proper stays markdown-it as published.
  results.floorTuned = {
    how: "node bench/floor.mjs <ws> --mode tuned (walk, read, markdown-it block parse with the engine's block-state.ts)",
    ...(await repeatMeasure('floor, tuned parser', process.execPath, [path.join(here, 'floor.mjs'), ws, '--mode', 'tuned'])),
  };
  results.floorTuned.ratio = results.check.wallMs / results.floorTuned.wallMs;
  results.floorFull = {
    how: 'node bench/floor.mjs <ws> --mode full (markdown-it inline parse too)',
    ...(await measure(process.execPath, [path.join(here, 'floor.mjs'), ws, '--mode', 'full'])),
  };
  results.floorFull.rssMB = results.floorFull.rssKB / 1024;
  // For reference: the CLI with no rule (built with the CLI, not with --no-build).
  const noRulesJs = path.join(WITHOUT_RULES_DIR, 'cli.js');
  if (builds.cliWithoutRules && fs.existsSync(noRulesJs)) {
    results.checkWithoutRules = {
      how: 'bench/out/cli-without-rules/cli.js check <ws> --format json > /dev/null (the CLI built with an empty rule registry)',
      ...(await repeatMeasure('check without rules', process.execPath, [noRulesJs, 'check', ws, '--format', 'json'])),
    };
    results.checkWithoutRules.ratio = results.checkWithoutRules.wallMs / results.floor.wallMs;
  }
  results.floor.ratio = results.check.wallMs / results.floor.wallMs;
  results.floor.cpuRatio = results.check.cpuMs / results.floor.cpuMs;
  results.floorFull.ratio = results.check.wallMs / results.floorFull.wallMs;

  // The peer: markdownlint-cli2 with its default rules on every Markdown file of the workspace.
  if (!flag('skip-peer')) {
    const bin = path.join(repo, 'node_modules', 'markdownlint-cli2', 'markdownlint-cli2-bin.mjs');
    const peerBin = fs.existsSync(bin) ? bin : path.join(repo, 'node_modules', '.bin', 'markdownlint-cli2');
    const peerRuns = Math.min(REPEAT, 1);
    const runs = [];
    for (let i = 0; i < peerRuns; i++) runs.push(await measure(process.execPath, [peerBin, '**/*.md'], { cwd: ws }));
    results.peer = {
      how: 'markdownlint-cli2 "**/*.md" (default rules), cwd = workspace',
      wallMs: runs[0].wallMs,
      cpuMs: runs[0].cpuMs,
      rssMB: runs[0].rssKB / 1024,
      exitCode: runs[0].code,
    };
    results.peer.ratio = results.peer.wallMs / results.check.wallMs;
    results.peer.cpuRatio = results.peer.cpuMs / results.check.cpuMs;
    log(`markdownlint-cli2: ${Math.round(results.peer.wallMs)} ms, ${results.peer.rssMB.toFixed(0)} MB (exit ${results.peer.exitCode})`);
  }

  // The language server.
  if (!flag('skip-lsp')) {
    if (fs.existsSync(serverJs)) {
      results.server = await measureServer({ serverJs, ws, targets, idleSeconds: Number(opt('idle', '60')), log });
      if (!results.server.ok) log(`server measurement failed: ${results.server.error}`);
    } else {
      log('dist/server.js is missing: server not measured');
      results.server = { ok: false, error: 'dist/server.js missing' };
    }
  }
  results.totalMs = performance.now() - t0;
  results.loadAverageAtEnd = os.loadavg()[0];

  fs.mkdirSync(path.join(here, 'out'), { recursive: true });
  const outFile = path.join(here, 'out', N === 1000 && SEED === 1 ? 'results.json' : `results-${N}-${SEED}.json`);
  fs.writeFileSync(outFile, JSON.stringify(results, null, 2) + '\n');
  if (outFile !== path.join(here, 'out', 'results.json')) fs.copyFileSync(outFile, path.join(here, 'out', 'results.json'));
  printTable(results);
  log(`wrote ${path.relative(repo, outFile)}`);
}

function printTable(r) {
  const s = r.server ?? {};
  const mark = (ok) => (ok === undefined ? '' : ok ? 'yes' : 'NO');
  const atTarget = r.workspace.n === 1000;
  const rows = [
    ['check wall time', `${fmt(r.check.wallMs)} ms`, `< ${TARGETS.checkWallMs} ms`, r.check.wallMs < TARGETS.checkWallMs],
    ['  (CPU time)', `${fmt(r.check.cpuMs)} ms`, '', undefined],
    [
      'check peak memory',
      `${fmt(r.check.rssMB)} MB`,
      `< ${TARGETS.checkRssMB} MB`,
      r.check.rssMB === undefined ? undefined : r.check.rssMB < TARGETS.checkRssMB,
    ],
    ['markdownlint-cli2 wall time', r.peer ? `${fmt(r.peer.wallMs)} ms` : 'skipped', '', undefined],
    [
      '  speed vs markdownlint-cli2',
      r.peer ? `${fmt(r.peer.ratio, 1)}× faster` : '—',
      `≥ ${TARGETS.peerRatio}×`,
      r.peer ? r.peer.ratio >= TARGETS.peerRatio : undefined,
    ],
    ['  (by CPU time)', r.peer ? `${fmt(r.peer.cpuRatio, 1)}× less` : '—', '', undefined],
    ['raw floor (read + markdown-it block parse)', `${fmt(r.floor.wallMs)} ms`, '', undefined],
    ['  check / floor', `${fmt(r.floor.ratio, 2)}×`, `≤ ${TARGETS.floorRatio}×`, r.floor.ratio <= TARGETS.floorRatio],
    ['  (by CPU time)', `${fmt(r.floor.cpuRatio, 2)}×`, '', undefined],
    ["floor with the engine's tuned markdown-it", `${fmt(r.floorTuned.wallMs)} ms`, '', undefined],
    ['  check / that floor', `${fmt(r.floorTuned.ratio, 2)}×`, '', undefined],
    ["floor + yaml's full front matter parse", `${fmt(r.floorYaml.wallMs)} ms`, '', undefined],
    ['  check / that floor', `${fmt(r.floorYaml.ratio, 2)}×`, '', undefined],
    ['check without rules (read, parse, model, gates, output)', r.checkWithoutRules ? `${fmt(r.checkWithoutRules.wallMs)} ms` : 'not built', '', undefined],
    ['  it / floor', r.checkWithoutRules ? `${fmt(r.checkWithoutRules.ratio, 2)}×` : '—', '', undefined],
    ['raw floor (full markdown-it parse)', `${fmt(r.floorFull.wallMs)} ms`, '', undefined],
    ['  check / full floor', `${fmt(r.floorFull.ratio, 2)}×`, '', undefined],
    ['server index', s.ok ? `${fmt(s.indexMs)} ms` : 'not measured', `< ${TARGETS.indexMs} ms`, s.ok ? s.indexMs < TARGETS.indexMs : undefined],
    ['  + first phase tree', s.ok ? `${fmt(s.indexWithTreeMs)} ms` : '—', '', undefined],
    ['  + every phase checked (the tree followed)', s.ok && s.everyPhaseCheckedMs !== undefined ? `${fmt(s.everyPhaseCheckedMs)} ms` : '—', '', undefined],
    [
      `per edit (${s.longDocumentLines ?? 500}-line doc), median`,
      s.ok ? `${fmt(s.perEdit.medianMs, 2)} ms` : '—',
      `< ${TARGETS.perEditMedianMs} ms`,
      s.ok ? s.perEdit.medianMs < TARGETS.perEditMedianMs : undefined,
    ],
    ['per edit, p95', s.ok ? `${fmt(s.perEdit.p95Ms, 2)} ms` : '—', `< ${TARGETS.perEditP95Ms} ms`, s.ok ? s.perEdit.p95Ms < TARGETS.perEditP95Ms : undefined],
    [
      'cross-file (handoff N → N+1), median',
      s.ok ? `${fmt(s.crossFile.medianMs, 2)} ms` : '—',
      `< ${TARGETS.crossFileMs} ms`,
      s.ok && s.crossFile.medianMs !== undefined ? s.crossFile.medianMs < TARGETS.crossFileMs : undefined,
    ],
    ['cross-file, p95', s.ok ? `${fmt(s.crossFile.p95Ms, 2)} ms` : '—', '', undefined],
    [
      'phase tree after a change (changes only), median / p95',
      s.treeAfterChange?.n ? `${fmt(s.treeAfterChange.medianMs, 1)} / ${fmt(s.treeAfterChange.p95Ms, 1)} ms` : '—',
      '',
      undefined,
    ],
    [
      '  the whole tree, median / p95',
      s.wholeTreeAfterChange?.n ? `${fmt(s.wholeTreeAfterChange.medianMs, 1)} / ${fmt(s.wholeTreeAfterChange.p95Ms, 1)} ms` : '—',
      '',
      undefined,
    ],
    [
      'workspace diagnostics after a change, median / p95',
      s.workspacePull?.n ? `${fmt(s.workspacePull.medianMs, 1)} / ${fmt(s.workspacePull.p95Ms, 1)} ms` : '—',
      '',
      undefined,
    ],
    [
      'server memory after indexing (RSS)',
      s.rssKB ? `${fmt(s.rssKB / 1024)} MB` : '—',
      `< ${TARGETS.serverRssMB} MB`,
      s.rssKB ? s.rssKB / 1024 < TARGETS.serverRssMB : undefined,
    ],
    ['  (heap in use after a full GC)', s.liveHeapKB ? `${fmt(s.liveHeapKB / 1024)} MB` : '—', '', undefined],
    [`server memory when idle (lowest RSS, ${s.idleSeconds ?? 0} s)`, s.idleRssKB ? `${fmt(s.idleRssKB / 1024)} MB` : 'skipped', '', undefined],
  ];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  const w2 = Math.max(...rows.map((x) => x[2].length));
  const head = `Phasegate bench: N = ${r.workspace.n} (${r.workspace.phases} phases, ${r.workspace.files} files, ${r.workspace.mb.toFixed(1)} MB), ${r.machine.cpus} cores, node ${r.machine.node}, load average ${fmt(r.loadAverageAtStart, 1)}`;
  const lines = [head, ''];
  lines.push(`${'measure'.padEnd(w0)}  ${'result'.padStart(w1)}  ${'target'.padEnd(w2)}  ${atTarget ? 'met' : ''}`);
  for (const [a, b, c, ok] of rows) lines.push(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c.padEnd(w2)}  ${atTarget ? mark(ok) : ''}`);
  if (!atTarget) lines.push('', '(targets apply at N = 1000)');
  if (r.check.diagnostics !== undefined)
    lines.push('', `check found ${r.check.diagnostics} diagnostics in ${r.check.phases} phases (exit ${r.check.exitCode}).`);
  if (s.ok)
    lines.push(
      `server: ${s.mode} diagnostics, ${s.sync} sync, index signal: ${s.indexSignal}; cross-file changes seen: ${s.crossFile.diagnosticsChanged}, without a signal: ${s.crossFile.noSignal}.`,
    );
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => {
  log(e.stack ?? String(e));
  process.exitCode = 2;
});
