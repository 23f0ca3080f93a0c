// Quick fixes over thousands of problems in one document, as the language server asks for them when the
// selection covers the whole document: each diagnostic's own fix (codeActions), then the directives that
// silence them (checkTogether, suppressActions once per rule and line). From out/ (after `npx tsc -b`).
//
//   node bench/actions.mjs [--n N] [--repeat K] [--lsp [--more M]]
// Prints one JSON line: the problems by rule, and milliseconds of each part, a fresh engine each run.
// With --lsp: the request to dist/server.js (after `npm run build`) over the workspace written to a temp
// folder, a fresh server each run: the first request and a second one (all its trials known), timed at the
// client and in the server's CPU time; --more M asks M more (for a profile: PROF_DIR=dir runs the server
// with --cpu-prof there); DUMP=file writes the first answer's actions to file (to compare two builds).
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const arg = (name, d) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const n = arg('--n', 1300);
const repeat = arg('--repeat', 3);

/**
 * A validation document with `n` groups of problems of several rules: an unchecked gate item with a
 * placeholder, checked items without evidence, one with a broken link, one with a placeholder; a paragraph
 * with a broken link after each gate; the Approval gate missing.
 */
function validation(n) {
  const out = ['---', 'phase: 1', 'status: in-progress', '---', '', '# Phase 1: Validation', ''];
  const gates = ['Completeness', 'Quality', 'Documentation', 'Testing', 'Review'];
  const per = Math.ceil(n / gates.length);
  let k = 0;
  for (const g of gates) {
    out.push(`## ${g}`, '');
    for (let i = 0; i < per && k < n; i++, k++) {
      out.push(`- [ ] Item ${k} checked — Evidence: [Evidence]`);
      out.push(`- [x] Item ${k} done, see [notes](missing-${k}.md)`);
      out.push(`- [x] Item ${k} reviewed TBD`);
    }
    out.push('');
    out.push(`See [the report ${g}](missing-${g}.md) for [details].`, '');
  }
  return out.join('\n');
}

const FILES = {
  'phase-1/07-VALIDATION.md': validation(n),
  'phase-1/00-PHASE_BRIEF.md': '---\nphase: 1\n---\n\n# Phase 1: Work\n',
};
const REL = 'phase-1/07-VALIDATION.md';

async function engineRuns() {
  const { PhasegateService, MemoryFileSystem, codeActions, checkTogether, suppressActions } = require(path.join(repo, 'out/server/src/service/index.js'));
  const { loadAssets } = require(path.join(repo, 'out/server/src/node/assets.js'));
  const assets = loadAssets(repo);
  const runs = [];
  let counts;
  for (let r = 0; r < repeat; r++) {
    const mfs = new MemoryFileSystem();
    for (const [rel, text] of Object.entries(FILES)) mfs.write(`/ws/${rel}`, text);
    const svc = new PhasegateService({ fs: mfs, assets, logger: { log: () => {} } });
    await svc.load('/ws');
    const diags = svc.diagnose(`/ws/${REL}`);
    counts = {};
    for (const d of diags) counts[d.code] = (counts[d.code] ?? 0) + 1;
    // Each part's time: the lesser of the clock's and this process's CPU time (which a wait for a core on a loaded
    // machine does not count, and the collector's background threads do), as test/helpers/linear.ts measures.
    const now = () => {
      const { user, system } = process.cpuUsage();
      return { clock: performance.now(), cpu: (user + system) / 1000 };
    };
    const ms = (a, b) => Math.round(Math.min(b.clock - a.clock, b.cpu - a.cpu));
    const t0 = now();
    let fixes = 0;
    for (const d of diags) fixes += codeActions(svc, [d]).length;
    const t1 = now();
    await checkTogether(svc, diags);
    const t2 = now();
    const offered = new Set();
    let suppress = 0;
    for (const d of diags) {
      const key = `${d.code} ${d.range.start.line}`;
      if (offered.has(key)) continue;
      offered.add(key);
      suppress += suppressActions(svc, d).length;
    }
    const t3 = now();
    runs.push({
      fixesMs: ms(t0, t1),
      checkTogetherMs: ms(t1, t2),
      suppressMs: ms(t2, t3),
      totalMs: ms(t0, t3),
      fixes,
      suppress,
    });
  }
  return { counts, runs };
}

async function lspRuns() {
  const { TestClient, quickFixesOver } = require(path.join(repo, 'out/test/protocol/client.js'));
  const runs = [];
  let problems;
  for (let r = 0; r < repeat; r++) {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-actions-')));
    for (const [rel, text] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    const c = await TestClient.start(root, { pull: true, execArgv: process.env.PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROF_DIR}`] : [] });
    try {
      const doc = await c.open(REL);
      // The server's CPU time (user + system, from /proc) of each request: steadier than the clock on a loaded machine.
      const cpu = () => {
        const f = fs.readFileSync(`/proc/${c.proc.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
      };
      const r = await c.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: doc.uri } });
      problems = r.items.length;
      const timed = async () => {
        const [t, u] = [performance.now(), cpu()];
        const actions = await quickFixesOver(c, doc);
        return { ms: Math.round(performance.now() - t), cpuMs: Math.round(cpu() - u), actions };
      };
      const first = await timed();
      const second = await timed();
      for (let k = 0; k < arg('--more', 0); k++) await quickFixesOver(c, doc);
      if (process.env.DUMP) fs.writeFileSync(process.env.DUMP, JSON.stringify(first.actions));
      runs.push({ firstMs: first.ms, firstCpuMs: first.cpuMs, secondMs: second.ms, secondCpuMs: second.cpuMs, actions: first.actions.length });
    } finally {
      await c.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
  return { problems, runs };
}

const result = process.argv.includes('--lsp') ? await lspRuns() : await engineRuns();
process.stdout.write(JSON.stringify({ n, ...result }) + '\n');
