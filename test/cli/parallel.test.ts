/**
 * The parallel check (cli/shards.ts, node/parallel.ts): shards checked by other engines give the
 * very output of one thread, in-process (a runner that crosses a structured clone, as a thread does)
 * and in the real process (worker threads, forced on a small workspace by PHASEGATE_PARALLEL_MIN_FILES=0).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import { Parallel, ShardRequest, checkShard, splitPhases } from '../../server/src/cli/shards';
import { NodeFileSystem } from '../../server/src/node/assets';
import { DEFAULT_PARALLEL_MIN_FILES, parallelFromEnv } from '../../server/src/node/parallel';
import { SyncNodeFileSystem } from '../../server/src/node/sync-fs';
import { PhasegateService } from '../../server/src/service';
import type { Phase } from '../../server/src/service/workspace';
import { assets, REPO } from '../helpers/workspace';

const COMMANDS = [
  ['check', '.', '--format', 'json'],
  ['check', '.'],
  ['check', '.', '--format', 'sarif'],
  ['check', 'audit-deployment/phase-3', 'all_use_iai_project/workstreams/Build'],
  ['status', '.'],
  ['status', '.', '--format', 'json'],
];

/** A generated workspace (both layouts, a project plan) with defects whose effects cross phases. */
function makeWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-parallel-'));
  const r = spawnSync(process.execPath, [path.join(REPO, 'bench', 'generate.mjs'), '--n', '10', '--out', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  // A missing document fails a gate (phase level) and the next phase's input handoff has no source.
  fs.rmSync(path.join(dir, 'audit-deployment', 'phase-6', '06-OUTPUT_HANDOFF.md'));
  // The plan marks this phase Complete: its failing gate, found by a shard, is reported on the plan.
  const iai = path.join(dir, 'all_use_iai_project', 'workstreams', 'Build', 'Phase_1_Dependency_Management');
  fs.rmSync(path.join(iai, 'implementation_response_from_AI.md'));
  return dir;
}

interface Out {
  code: number;
  stdout: string;
  stderr: string;
}

async function runMain(argv: string[], cwd: string, parallel?: Parallel): Promise<Out> {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv,
    cwd: cwd.replace(/\\/g, '/'),
    // The CLI's own (it writes what --fix fixes).
    fs: new SyncNodeFileSystem(),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    assets,
    version: '9.8.7',
    parallel,
  });
  return { code, stdout, stderr };
}

/** Shards run in this thread by their own engines; requests and results cross a structured clone. */
function inProcess(shards: number, minFiles = 0): { parallel: Parallel; calls: ShardRequest[] } {
  const calls: ShardRequest[] = [];
  const parallel: Parallel = {
    minFiles,
    shards,
    run: async (req) => {
      calls.push(req);
      const svc = new PhasegateService({ fs: new NodeFileSystem(), assets });
      return structuredClone(await checkShard(svc, structuredClone(req)));
    },
  };
  return { parallel, calls };
}

/**
 * The generated workspace with every audit phase's output handoff handing off one input more than the
 * next phase receives: each input handoff from phase 2 on mismatches (phase N's Approval fails, and it
 * takes phase N-1's output handoff to know), so each from phase 3 on is unvalidated-handoff.
 */
function makeChainedWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-parallel-chain-'));
  const r = spawnSync(process.execPath, [path.join(REPO, 'bench', 'generate.mjs'), '--n', '10', '--out', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  for (let n = 1; n <= 10; n++) {
    const f = path.join(dir, 'audit-deployment', `phase-${n}`, '06-OUTPUT_HANDOFF.md');
    const text = fs.readFileSync(f, 'utf8');
    const heading = `## Phase ${n + 1} Inputs\n\n`;
    assert.ok(text.includes(heading), f);
    fs.writeFileSync(f, text.replace(heading, `${heading}- Phase brief: [brief](00-PHASE_BRIEF.md) - handed off, never received\n`));
  }
  return dir;
}

describe('phasegate check and status in parallel', function () {
  this.timeout(60_000);
  let ws: string;

  before(() => {
    ws = makeWorkspace();
  });

  after(() => {
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('splits the phases into contiguous shards of about equal size, the first larger by its head start', () => {
    const phases = Array.from({ length: 10 }, (_, i) => ({ folder: `/p${i}`, markdown: ['a', 'b', 'c', 'd'] })) as unknown as Phase[];
    const even = splitPhases(phases, 2);
    assert.deepEqual(
      even.map((s) => s.length),
      [5, 5],
    );
    assert.deepEqual(
      splitPhases(phases, 2, 8).map((s) => s.length),
      [6, 4],
    );
    assert.deepEqual(
      splitPhases(phases, 3)
        .flat()
        .map((p) => p.folder),
      phases.map((p) => p.folder),
    );
    assert.equal(splitPhases(phases.slice(0, 1), 4).length, 1);
  });

  it('gives the output of one thread, byte for byte, with 2 and 3 shards', async () => {
    for (const argv of COMMANDS) {
      const single = await runMain(argv, ws);
      assert.equal(single.stderr, '');
      for (const n of [2, 3]) {
        const { parallel, calls } = inProcess(n);
        const multi = await runMain(argv, ws, parallel);
        // n - 1 shards per workspace root run elsewhere (two roots for the two PATHs of one command).
        assert.equal(calls.length, (n - 1) * (argv[1] === '.' ? 1 : 2), argv.join(' '));
        assert.deepEqual(multi, single, `${argv.join(' ')} with ${n} shards`);
      }
    }
    // The defects are found, across shards: the plan's Complete row and the missing handoff.
    const json = JSON.parse((await runMain(COMMANDS[0], ws, inProcess(2).parallel)).stdout) as { diagnostics: { code: string }[] };
    const codes = new Set(json.diagnostics.map((d) => d.code));
    assert.ok(codes.has('plan-status-mismatch') && codes.has('missing-document'), [...codes].join(', '));
  });

  it("finds a shard's first phase's input handoff unvalidated when the previous phase, in another shard, has not passed", async () => {
    const chained = makeChainedWorkspace();
    try {
      const argv = ['check', '.', '--format', 'json'];
      const single = await runMain(argv, chained);
      const told = (JSON.parse(single.stdout) as { diagnostics: { code: string; file: string; message: string }[] }).diagnostics.filter(
        (d) => d.code === 'unvalidated-handoff',
      );
      for (let n = 3; n <= 10; n++) {
        const d = told.find((x) => x.file === `audit-deployment/phase-${n}/01-INPUT_HANDOFF.md`);
        assert.ok(d, `phase-${n}: ${JSON.stringify(told)}`);
        // Phase 7 has a defect of its own too (the generator's).
        assert.match(d.message, new RegExp(`^phase-${n - 1} has not passed validation \\((Quality, )?Approval failed\\)`));
      }
      // Every split puts the seams elsewhere: with 2 to 6 shards, one of them starts on each of several phases.
      for (const n of [2, 3, 4, 5, 6]) {
        const { parallel, calls } = inProcess(n);
        const multi = await runMain(argv, chained, parallel);
        assert.equal(calls.length, n - 1);
        assert.ok(
          calls.some((c) => c.folders.some((f) => /phase-([3-9]|10)$/.test(f))),
          `a shard of audit phases: ${calls.map((c) => c.folders.join(',')).join(' | ')}`,
        );
        assert.deepEqual(multi, single, `${n} shards`);
      }
      // And on worker threads, in the real process.
      const cli = path.join(REPO, 'out', 'server', 'src', 'node', 'cli.js');
      const exec = (min: string) =>
        spawnSync(process.execPath, [cli, ...argv], { cwd: chained, encoding: 'utf8', env: { ...process.env, PHASEGATE_PARALLEL_MIN_FILES: min } });
      const threads = exec('0');
      assert.equal(threads.stderr, '');
      assert.deepEqual([threads.status, threads.stdout], [exec('off').status, single.stdout]);
    } finally {
      fs.rmSync(chained, { recursive: true, force: true });
    }
  });

  it('check --fix stays on one thread: it fixes the files of every shard and reports what one thread reports', async () => {
    const copy = (): string => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-parallel-fix-'));
      fs.cpSync(ws, dir, { recursive: true });
      // In the last shard: a fixable problem (a blank line above the front matter) and an error no fix removes.
      const out = path.join(dir, 'audit-deployment', 'phase-9', '06-OUTPUT_HANDOFF.md');
      fs.writeFileSync(out, '\n' + fs.readFileSync(out, 'utf8'));
      const input = path.join(dir, 'audit-deployment', 'phase-10', '01-INPUT_HANDOFF.md');
      fs.writeFileSync(input, fs.readFileSync(input, 'utf8').replace(/^status: .*$/m, 'status: finishedx'));
      return dir;
    };
    const argv = ['check', '.', '--fix', '--format', 'json'];
    const [one, many] = [copy(), copy()];
    try {
      const single = await runMain(argv, one);
      const { parallel, calls } = inProcess(2);
      const multi = await runMain(argv, many, parallel);
      assert.equal(calls.length, 0, 'no shard runs elsewhere');
      assert.deepEqual(multi, single);
      assert.match(single.stderr, /fixed audit-deployment\/phase-9\/06-OUTPUT_HANDOFF\.md: 1 × invalid-front-matter/);
      assert.equal(single.code, 1);
      assert.ok((JSON.parse(single.stdout) as { diagnostics: { code: string }[] }).diagnostics.some((d) => d.code === 'front-matter-schema'));
    } finally {
      for (const d of [one, many]) fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('takes a file a shard finds deleted, after the scan, as never there, as one thread does', async () => {
    const copy = (): string => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phasegate-parallel-gone-'));
      fs.cpSync(ws, dir, { recursive: true });
      return dir;
    };
    // In the last shard: a required document and a finding (another keeps the folder).
    const going = ['audit-deployment/phase-9/05-DECISIONS.md', 'audit-deployment/phase-9/03-FINDINGS/report.md'];
    const argv = ['check', '.', '--format', 'json'];
    const [gone, racing] = [copy(), copy()];
    try {
      for (const f of going) fs.rmSync(path.join(gone, f));
      const single = await runMain(argv, gone);
      assert.match(single.stdout, /"code": "missing-document"/);
      const { parallel, calls } = inProcess(2);
      const run = parallel.run;
      // Deleted once the main thread has scanned, before the shard reads them.
      parallel.run = (req) => {
        for (const f of going) fs.rmSync(path.join(racing, f), { force: true });
        return run(req);
      };
      const multi = await runMain(argv, racing, parallel);
      assert.equal(calls.length, 1);
      assert.ok(
        calls[0].folders.some((f) => f.endsWith('/phase-9')),
        calls[0].folders.join(', '),
      );
      assert.doesNotMatch(multi.stdout, /unreadable-file/);
      assert.deepEqual(multi, single);
    } finally {
      for (const d of [gone, racing]) fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('stays on one thread up to minFiles checked files', async () => {
    const { parallel, calls } = inProcess(2, 10_000);
    const r = await runMain(COMMANDS[0], ws, parallel);
    assert.equal(calls.length, 0);
    assert.deepEqual(r, await runMain(COMMANDS[0], ws));
  });

  it('reports a failing shard as an internal error (exit 2)', async () => {
    const parallel: Parallel = { minFiles: 0, shards: 2, run: () => Promise.reject(new Error('worker died')) };
    const r = await runMain(COMMANDS[0], ws, parallel);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /internal error: Error: worker died/);
  });

  it('reads PHASEGATE_PARALLEL_MIN_FILES: a number of files, a word that turns it off in any case, else the default', () => {
    const min = (value: string | undefined) => parallelFromEnv('cli.js', assets, value === undefined ? {} : { PHASEGATE_PARALLEL_MIN_FILES: value })?.minFiles;
    for (const off of [undefined, '', ' ', 'off', 'OFF', 'Off', 'false', 'FALSE', 'no', 'never']) assert.equal(min(off), undefined, String(off));
    assert.equal(min('0'), 0);
    assert.equal(min(' 1000 '), 1000);
    for (const other of ['yes', 'on', 'true', '-1']) assert.equal(min(other), DEFAULT_PARALLEL_MIN_FILES, other);
  });

  it('uses worker threads in the real process with PHASEGATE_PARALLEL_MIN_FILES=0, output unchanged', () => {
    // The tsc output of the process wrapper: the workers start on this same script.
    const cli = path.join(REPO, 'out', 'server', 'src', 'node', 'cli.js');
    const exec = (argv: string[], min: string) =>
      spawnSync(process.execPath, [cli, ...argv], { cwd: ws, encoding: 'utf8', env: { ...process.env, PHASEGATE_PARALLEL_MIN_FILES: min } });
    for (const argv of COMMANDS) {
      const single = exec(argv, 'off');
      const multi = exec(argv, '0');
      assert.equal(multi.stderr, '', argv.join(' '));
      assert.deepEqual([multi.status, multi.stdout], [single.status, single.stdout], argv.join(' '));
    }
  });
});
