import * as assert from 'node:assert/strict';
import { slicer } from '../../server/src/service/slicer';
import { CancelledError } from '../../server/src/service/types';

/** A clock the test moves by hand (Date.now, as the slicer reads it), and how often it was read. */
const clock = { now: 1_000_000, reads: 0 };
const realNow = Date.now;

/** A host's pause that counts how often it was asked for, and runs `onPause` then (as a request would). */
function countingPause(onPause?: () => void): { pauses: number; pause: () => Promise<void> } {
  const counter = {
    pauses: 0,
    pause: async () => {
      counter.pauses++;
      onPause?.();
      await Promise.resolve();
    },
  };
  return counter;
}

describe('slicer', () => {
  beforeEach(() => {
    clock.now = 1_000_000;
    clock.reads = 0;
    Date.now = () => {
      clock.reads++;
      return clock.now;
    };
  });
  afterEach(() => {
    Date.now = realNow;
  });

  it('is never due without a pause, and reads no clock', async () => {
    const s = slicer(undefined, 1, { isCancellationRequested: true });
    clock.now += 1000;
    for (let i = 0; i < 1000; i++) {
      assert.equal(s.due(), false);
      assert.equal(s.tick(), false);
    }
    // Nothing to await, and no cancellation seen: a host without a pause (the CLI) runs its work in one go.
    await s.breathe();
    s.restart();
    assert.equal(clock.reads, 0);
  });

  it('is due once the slice length has passed since it started', () => {
    const s = slicer(countingPause().pause, 5);
    assert.equal(s.due(), false);
    clock.now += 4;
    assert.equal(s.due(), false);
    clock.now += 1;
    assert.equal(s.due(), true);
    assert.equal(s.due(), true);
  });

  it('tick reads the clock at every 256th call since the clock was last read', () => {
    const s = slicer(countingPause().pause, 1);
    clock.now += 10;
    const reads = clock.reads;
    for (let i = 1; i < 256; i++) assert.equal(s.tick(), false, `call ${i}`);
    assert.equal(clock.reads, reads);
    assert.equal(s.tick(), true);
    assert.equal(clock.reads, reads + 1);
    // Counted anew from that read: 255 more calls without one.
    for (let i = 1; i < 256; i++) assert.equal(s.tick(), false, `call ${i} after the read`);
    assert.equal(s.tick(), true);
    // `due` reads it too (a scan's check at each folder): the count starts again there.
    for (let i = 0; i < 100; i++) s.tick();
    assert.equal(s.due(), true);
    for (let i = 1; i < 256; i++) assert.equal(s.tick(), false, `call ${i} after due`);
    assert.equal(s.tick(), true);
    assert.equal(clock.reads, reads + 4);
  });

  it('tick is false at the 256th call while the slice lasts', () => {
    const s = slicer(countingPause().pause, 1);
    for (let i = 1; i <= 1024; i++) assert.equal(s.tick(), false, `call ${i}`);
    assert.equal(clock.reads, 1 + 4);
  });

  it('breathe awaits the pause and starts a new slice', async () => {
    const counter = countingPause(() => (clock.now += 50));
    const s = slicer(counter.pause, 1);
    clock.now += 3;
    assert.equal(s.due(), true);
    await s.breathe();
    assert.equal(counter.pauses, 1);
    // The time the host took is not the engine's: the slice starts after the pause.
    assert.equal(s.due(), false);
    clock.now += 1;
    assert.equal(s.due(), true);
  });

  it('restart starts a new slice without a pause', () => {
    const counter = countingPause();
    const s = slicer(counter.pause, 2);
    clock.now += 2;
    assert.equal(s.due(), true);
    s.restart();
    assert.equal(s.due(), false);
    clock.now += 1;
    assert.equal(s.due(), false);
    clock.now += 1;
    assert.equal(s.due(), true);
    assert.equal(counter.pauses, 0);
  });

  it('breathe throws when the token was cancelled during the pause, and only then', async () => {
    const token = { isCancellationRequested: false };
    const counter = countingPause(() => {
      if (counter.pauses === 2) token.isCancellationRequested = true;
    });
    const s = slicer(counter.pause, 1, token);
    await s.breathe();
    await assert.rejects(s.breathe(), CancelledError);
    assert.equal(counter.pauses, 2);
  });

  it('breathe without a token never throws (the caller sees cancellation where it must)', async () => {
    const counter = countingPause();
    const s = slicer(counter.pause, 1);
    await s.breathe();
    await s.breathe();
    assert.equal(counter.pauses, 2);
  });

  it('runs a loop in slices: the pauses follow the time spent, not the number of steps', async () => {
    const counter = countingPause();
    const s = slicer(counter.pause, 5);
    // 10,000 steps of 0.01 ms each (100 ms in all): some 20 slices of 5 ms, the clock read every 256 steps.
    for (let i = 1; i <= 10_000; i++) {
      clock.now = 1_000_000 + Math.floor(i / 100);
      if (s.tick()) await s.breathe();
    }
    // A slice ends at the first read after 5 ms: 256 steps are 2.56 ms, so each slice is two reads long.
    assert.equal(counter.pauses, Math.floor(10_000 / 512));
  });
});
