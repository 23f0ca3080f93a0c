/** The V8 settings of the `phasegate` process: applied by default, never over the user's own. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { YOUNG_GENERATION_CAP, tuneForBatchRun, workerResourceLimits, youngGenerationCap } from '../../server/src/node/v8-tuning';
import { REPO } from '../helpers/workspace';

describe('phasegate process: V8 settings for a batch run', () => {
  function flagsSet(execArgv: string[], nodeOptions: string): string[] {
    const set: string[] = [];
    tuneForBatchRun(execArgv, nodeOptions, (f) => set.push(f));
    return set;
  }

  it('lowers the inlining budget of the optimising compiler', () => {
    assert.deepEqual(flagsSet([], ''), ['--max-inlined-bytecode-size-cumulative=150']);
    assert.deepEqual(flagsSet(['--enable-source-maps'], '--max-old-space-size=4096'), ['--max-inlined-bytecode-size-cumulative=150']);
  });

  it("leaves the budget to the user when node's arguments or NODE_OPTIONS set it", () => {
    assert.deepEqual(flagsSet(['--max-inlined-bytecode-size-cumulative=920'], ''), []);
    assert.deepEqual(flagsSet([], '--max-inlined-bytecode-size-cumulative=920'), []);
  });
});

describe('phasegate process: the young generation kept at most as large as on Node 20', () => {
  const MB = 1024 * 1024;
  /** A probe over a young generation of `sizes` (one per look, the last repeated), with the flags it sets and what it leaves for the exit. */
  function probeOver(sizes: number[], { execArgv = [] as string[], nodeOptions = '', stride = 16 } = {}) {
    const set: string[] = [];
    const exits: (() => void)[] = [];
    let looks = 0;
    const probe = youngGenerationCap({
      execArgv,
      nodeOptions,
      stride,
      setFlags: (f) => set.push(f),
      onExit: (f) => exits.push(f),
      spaces: () => {
        const size = sizes[Math.min(looks++, sizes.length - 1)];
        return [
          { space_name: 'old_space', space_size: 100 * MB },
          { space_name: 'new_space', space_size: size },
        ];
      },
    });
    return { set, exits, probe, looks: () => looks };
  }

  it('stops its growth once it is as large as Node 20 lets it grow, looking at every 16th call', () => {
    const p = probeOver([8 * MB, 16 * MB, YOUNG_GENERATION_CAP, 128 * MB]);
    for (let i = 0; i < 15; i++) p.probe();
    assert.equal(p.looks(), 0);
    assert.equal(p.probe(), false, 'still growing at 8 MB');
    assert.equal(p.looks(), 1);
    for (let i = 0; i < 16 * 2; i++) p.probe();
    assert.equal(p.looks(), 3);
    assert.deepEqual(p.set, ['--semi-space-growth-factor=1']);
    // Done once: no more looks, and the probe says so.
    for (let i = 0; i < 64; i++) assert.equal(p.probe(), true);
    assert.equal(p.looks(), 3);
    assert.deepEqual(p.set, ['--semi-space-growth-factor=1']);
  });

  it("sets the growth factor back to V8's own as the process exits, when it set it (a code cache made then is read by the next run)", () => {
    const p = probeOver([16 * MB, YOUNG_GENERATION_CAP], { stride: 1 });
    p.probe();
    assert.equal(p.exits.length, 0, 'nothing to undo before the cap');
    p.probe();
    assert.equal(p.exits.length, 1);
    p.exits[0]();
    assert.deepEqual(p.set, ['--semi-space-growth-factor=1', '--semi-space-growth-factor=2']);
  });

  it('looks at every call with a stride of 1 (the language server probes on a timer)', () => {
    const p = probeOver([16 * MB, YOUNG_GENERATION_CAP], { stride: 1 });
    assert.deepEqual([p.probe(), p.probe(), p.looks(), p.set], [false, true, 2, ['--semi-space-growth-factor=1']]);
  });

  it('leaves the young generation to the user who sizes it', () => {
    for (const [argv, opts] of [
      [['--max-semi-space-size=64'], ''],
      [[], '--semi-space-growth-factor=4'],
    ] as const) {
      const p = probeOver([128 * MB], { execArgv: [...argv], nodeOptions: opts });
      for (let i = 0; i < 64; i++) assert.equal(p.probe(), true);
      assert.deepEqual([p.looks(), p.set], [0, []]);
    }
  });

  it("holds on this Node's V8: a probe with a cap of 4 MB keeps the young generation there while objects survive", () => {
    const script = (cap: boolean) => `
      const v8 = require('node:v8');
      const { youngGenerationCap } = require(${JSON.stringify(path.join(REPO, 'out/server/src/node/v8-tuning.js'))});
      const probe = ${cap} ? youngGenerationCap({ execArgv: [], nodeOptions: '', cap: 4 * 1024 * 1024 }) : () => {};
      const kept = [];
      for (let i = 0; i < 400000; i++) { kept.push({ i, s: 'x' + i }); probe(); }
      const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
      process.stdout.write(String(young.space_size));`;
    const youngAfter = (cap: boolean) => {
      const r = spawnSync(process.execPath, ['-e', script(cap)], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return Number(r.stdout);
    };
    assert.ok(youngAfter(false) > 4 * MB, 'without the probe it grows beyond 4 MB');
    assert.ok(youngAfter(true) <= 4 * MB, `with it: ${youngAfter(true) / MB} MB`);
  });

  it("gives a parallel check's worker threads a young generation as large as Node 20's, or none to the user who sizes it", () => {
    assert.deepEqual(workerResourceLimits({ execArgv: [], nodeOptions: '' }), { maxYoungGenerationSizeMb: 48 });
    assert.equal(workerResourceLimits({ execArgv: ['--max-semi-space-size=64'], nodeOptions: '' }), undefined);
    assert.equal(workerResourceLimits({ execArgv: [], nodeOptions: '--semi-space-growth-factor=4' }), undefined);
  });

  it("holds on this Node's V8: a worker thread started with the limits of a 4 MB cap keeps its young generation there", async () => {
    const script = `
      const v8 = require('node:v8');
      const kept = [];
      for (let i = 0; i < 400000; i++) kept.push({ i, s: 'x' + i });
      const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
      require('node:worker_threads').parentPort.postMessage(young.space_size);`;
    const youngIn = (resourceLimits: { maxYoungGenerationSizeMb: number } | undefined) =>
      new Promise<number>((resolve, reject) => {
        const w = new Worker(script, { eval: true, resourceLimits });
        w.once('message', resolve);
        w.once('error', reject);
      });
    assert.ok((await youngIn(undefined)) > 4 * MB, 'without limits it grows beyond 4 MB');
    const capped = await youngIn(workerResourceLimits({ execArgv: [], nodeOptions: '', cap: 4 * MB }));
    assert.ok(capped <= 4 * MB, `with them: ${capped / MB} MB`);
  });
});
