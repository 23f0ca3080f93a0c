/**
 * The language server's idle collector (server/src/node/idle-gc.ts): a full collection once the process has been
 * quiet for some samples in a row and its heap has grown enough since the last one; never while it works.
 */
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import { IdleCollector, obtainGc } from '../../server/src/node/idle-gc';

const MB = 1024 * 1024;

/** A collector on a scripted process: CPU time and heap set by the test, collections counted. */
function scripted(options: { quietSamples?: number; minGrowthBytes?: number } = {}) {
  const state = { cpu: 0, heap: 10 * MB, collections: 0, afterGc: 10 * MB };
  const told: Array<[number, number]> = [];
  const collector = new IdleCollector({
    sampleMs: 1000,
    quietSamples: options.quietSamples ?? 2,
    quietCpuShare: 0.01, // 10 ms of a 1 s sample
    minGrowthBytes: options.minGrowthBytes ?? 32 * MB,
    cpuMicros: () => state.cpu,
    heapUsed: () => state.heap,
    gc: () => {
      state.collections++;
      state.heap = state.afterGc;
      state.cpu += 100_000;
    },
    onCollect: (before, after) => told.push([before, after]),
  });
  /** One sample after `cpuMs` of work in the sample's time. */
  const tick = (cpuMs: number) => {
    state.cpu += cpuMs * 1000;
    return collector.sample();
  };
  return { state, told, collector, tick };
}

describe('idle collector', () => {
  it('collects once the process has been quiet for the samples asked, and its heap has grown past the threshold', () => {
    const { state, told, tick } = scripted();
    state.heap = 200 * MB;
    state.afterGc = 70 * MB;
    assert.equal(tick(500), false, 'busy');
    assert.equal(tick(2), false, 'one quiet sample of two');
    assert.equal(state.collections, 0);
    assert.equal(tick(5), true, 'two quiet samples in a row');
    // Two collections in a row, as V8's memory reducer runs.
    assert.equal(state.collections, 2);
    assert.deepEqual(told, [[200 * MB, 70 * MB]]);
    // Its own CPU time is not work: still quiet, and nothing left to collect.
    assert.equal(tick(0), false);
    assert.equal(state.collections, 2);
  });

  it('a busy sample starts the count of quiet ones again', () => {
    const { state, tick } = scripted({ quietSamples: 3 });
    state.heap = 200 * MB;
    tick(0);
    tick(0);
    tick(11); // just over 1 % of the sample
    tick(0);
    assert.equal(tick(0), false);
    assert.equal(state.collections, 0);
    assert.equal(tick(10), true, 'exactly 1 % is quiet');
  });

  it('does not collect while the heap is within max(minGrowth, half of what the last collection left) of it', () => {
    const { state, tick } = scripted();
    // From the 10 MB at start: the threshold is 10 + 32 MB.
    state.heap = 42 * MB;
    tick(0);
    assert.equal(tick(0), false);
    state.heap = 42 * MB + 1;
    assert.equal(tick(0), true);
    assert.equal(state.heap, 10 * MB);
    // After a collection that left 100 MB, half of it (50 MB) is the threshold, above the 32 MB.
    state.afterGc = 100 * MB;
    state.heap = 300 * MB;
    assert.equal(tick(0), true);
    state.heap = 150 * MB;
    assert.equal(tick(0), false);
    state.heap = 150 * MB + 1;
    assert.equal(tick(0), true);
    assert.equal(state.collections, 6);
  });

  it('without a collector: not available, and start sets no timer', () => {
    let cpuReads = 0;
    const c = new IdleCollector({ gc: undefined, sampleMs: 1, heapUsed: () => 500 * MB, cpuMicros: () => cpuReads++ });
    assert.equal(c.available, false);
    c.start();
    assert.equal((c as unknown as { timer?: unknown }).timer, undefined);
    assert.equal(c.sample(), false);
    assert.equal(c.sample(), false);
    c.stop();
  });

  it("obtainGc gives V8's full collection, which frees what is no longer referenced", () => {
    const gc = obtainGc();
    assert.equal(typeof gc, 'function');
    gc!();
    const base = v8.getHeapStatistics().used_heap_size;
    let garbage: Array<{ s: string; n: number[] }> | undefined = [];
    for (let i = 0; i < 300_000; i++) garbage.push({ s: `item ${i}`, n: [i, i + 1] });
    assert.ok(v8.getHeapStatistics().used_heap_size > base + 10 * MB, 'the allocation shows in the heap');
    garbage = undefined;
    gc!();
    assert.ok(v8.getHeapStatistics().used_heap_size < base + 5 * MB, 'and is gone after the collection');
    assert.equal(garbage, undefined);
  });

  it('on its timer, with the real process: collects the garbage left by a burst of work once the process is quiet', async () => {
    const collected: Array<[number, number]> = [];
    obtainGc()!();
    // Quiet: under half of each 20 ms sample, which an idle test process is even on a loaded machine.
    const c = new IdleCollector({ sampleMs: 20, quietSamples: 2, quietCpuShare: 0.5, minGrowthBytes: 8 * MB, onCollect: (b, a) => collected.push([b, a]) });
    assert.equal(c.available, true);
    // Past the threshold from what the test process holds (half of it, or 8 MB), with 8 MB to spare.
    const used = () => v8.getHeapStatistics().used_heap_size;
    const target = used() * 1.5 + 16 * MB;
    let garbage: string[][] | undefined = [];
    for (let i = 0; used() < target; i++) for (let j = 0; j < 10_000; j++) garbage.push([`a ${i} ${j}`, `b ${j}`]);
    garbage = undefined;
    c.start();
    try {
      const deadline = Date.now() + 15_000;
      while (!collected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    } finally {
      c.stop();
    }
    assert.equal(collected.length, 1, 'one collection before the deadline');
    const [before, after] = collected[0];
    assert.ok(before - after > 8 * MB, `freed ${Math.round((before - after) / MB)} MB`);
    assert.equal(garbage, undefined);
  });
});
