/**
 * assertLinear: linear work passes and quadratic work fails, at sizes where the two are far apart (16× against
 * 256× at factor 16), so that neither outcome depends on the machine's speed or load.
 */
import * as assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { assertLinear, assertLinearAsync, cpuMs, repeated, stopwatch } from '../helpers/linear';

/** Sum of the character codes of a text of n × 1,000 characters: linear. */
function scan(n: number): () => void {
  const text = 'abcdefghij'.repeat(100 * n);
  return () => {
    let sum = 0;
    for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
    if (sum < 0) throw new Error('unreachable');
  };
}

/** A text built piece by piece, each time searched from its start for a piece it does not hold: quadratic. */
function searchFromStart(n: number): void {
  let s = '';
  for (let i = 0; i < n; i++) {
    if (s.indexOf('#') >= 0) throw new Error('unreachable');
    s += 'piece ';
  }
}

/** Every pair of n numbers compared: quadratic. */
function pairs(n: number): () => void {
  const xs = Array.from({ length: n }, (_, i) => (i * 7919) % n);
  return () => {
    let equal = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (xs[i] === xs[j]) equal++;
    assert.equal(equal, n);
  };
}

describe('assertLinear', () => {
  it('passes linear work, and says what it measured', () => {
    const t = assertLinear('scan', scan, { n: 200 });
    assert.ok(t.small > 0 && t.large > 0 && t.bound === 64, JSON.stringify(t));
  });

  it('passes linear work that builds its input first, timing the work alone', () => {
    // The input (a join of n × 100 strings) is built once for each measure; the count of its lines alone is timed.
    // (Not a split: a young array of 100 × n strings is copied by each collection that meets it, which makes the
    // split itself grow faster than its input, by 33× for 8× at times.)
    assertLinear(
      'lines of a joined text',
      (n) => {
        const text = Array.from({ length: 100 * n }, (_, i) => `line ${i}`).join('\n');
        return () => {
          let lines = 1;
          for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
          assert.equal(lines, 100 * n);
        };
      },
      { n: 100 },
    );
    assertLinear(
      'repeated',
      repeated('head ', 'ab ', ' tail', (t) => /^head (?:ab )+ tail$/.test(t)),
      { n: 20_000 },
    );
  });

  it('passes n log n work (a sort)', () => {
    assertLinear(
      'sort',
      (n) => {
        const xs = Array.from({ length: n }, (_, i) => (i * 2654435761) % 1000003);
        return () => void xs.slice().sort((a, b) => a - b);
      },
      { n: 20_000 },
    );
  });

  it('passes work whose runs at n are shorter than a millisecond (repeated until measurable)', () => {
    assertLinear(
      'short',
      repeated('', 'x', '', (t) => t.lastIndexOf('y')),
      { n: 1000 },
    );
  });

  it('measures CPU time: runs at the larger size held up while the process waits (descheduled) still pass', () => {
    // Each measure at 2n is held up for 100 ms, without using the CPU, as a process waiting for a core is.
    const stall = new Int32Array(new SharedArrayBuffer(4));
    let stalled = 0;
    const t = assertLinear(
      'scan, held up',
      (n) => {
        const run = scan(n);
        let first = n === 400;
        return () => {
          if (first) {
            first = false;
            stalled++;
            Atomics.wait(stall, 0, 0, 100);
          }
          run();
        };
      },
      { n: 200 },
    );
    assert.ok(stalled >= 1, 'the measures at 2n were held up');
    assert.ok(t.small > 0 && t.large > 0 && t.bound === 64, JSON.stringify(t));
  });

  it('a step far past the bound in one attempt (every run slowed by other work of the process) is measured again', () => {
    // Each run of the first three measures at 2n does 40 ms of other work first (as a collection of a large heap
    // would): the first attempt fails by far; the second is not slowed.
    let slowed = 0;
    const busy = (ms: number) => {
      const until = cpuMs() + ms;
      while (cpuMs() < until);
    };
    assertLinear(
      'scan, slowed once',
      (n) => {
        const run = scan(n);
        const slow = n === 400 && slowed++ < 3;
        return () => {
          if (slow) busy(40);
          run();
        };
      },
      { n: 200 },
    );
    assert.ok(slowed > 3, 'the first attempt was slowed, and a second one made');
  });

  it("withoutGc: the garbage collector's pauses within a run are left out, the work's own growth is not", () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // Runs that are all collection: measured with the pauses, then without them.
    const collect = () => {
      for (let i = 0; i < 5; i++) gc();
    };
    const timedRun = (withoutGc: boolean) => {
      const elapsed = stopwatch(withoutGc);
      collect();
      return elapsed();
    };
    const [whole, without] = [timedRun(false), timedRun(true)];
    assert.ok(whole > 1, `five full collections took ${whole} ms`);
    assert.ok(without < whole / 4, `without the pauses: ${without} ms against ${whole} ms`);
    // Quadratic work still fails.
    assert.throws(
      () => assertLinear('pairs, without pauses', pairs, { n: 1000, withoutGc: true }),
      /pairs, without pauses: .*without the garbage collector's pauses/,
    );
  });

  it('fails quadratic work: a text searched from its start at each piece added', () => {
    assert.throws(
      () => assertLinear('search from the start', searchFromStart, { n: 2000 }),
      (e: Error) =>
        /^search from the start: [\d.]+ ms at \d+ against [\d.]+ ms at 2000 \([\d.]+×; linear is about \d+×, at most \d+× \+ 2 ms allowed/.test(e.message),
    );
  });

  it('fails quadratic work: a nested loop over its input', () => {
    assert.throws(() => assertLinear('pairs', pairs, { n: 1000 }), /^AssertionError.*pairs: /s);
  });

  it('assertLinearAsync: the same for work whose runs are awaited (each timed until it settles)', async () => {
    // Each run after a turn of the event loop, as a request's answer comes.
    const later =
      (work: (n: number) => () => void) =>
      async (n: number): Promise<() => Promise<void>> => {
        const run = work(n);
        return async () => {
          await new Promise((resolve) => setImmediate(resolve));
          run();
        };
      };
    const t = await assertLinearAsync('scan, awaited', later(scan), { n: 200 });
    assert.ok(t.small > 0 && t.large > 0 && t.bound === 64, JSON.stringify(t));
    await assert.rejects(assertLinearAsync('pairs, awaited', later(pairs), { n: 1000 }), /^AssertionError.*pairs, awaited: /s);
  });

  it('degree 2: passes quadratic work, fails work far worse', () => {
    const t = assertLinear('pairs, at most quadratic', pairs, { n: 100, degree: 2 });
    assert.equal(t.bound, 1024);
    assert.throws(
      () =>
        assertLinear(
          'backtracking, at most quadratic',
          repeated('', 'a', 'b', (t) => /^(?:a|a)*$/.test(t)),
          { n: 12, degree: 2 },
        ),
      /backtracking, at most quadratic: .*quadratic is about \d+×/,
    );
  });

  it('fails work far worse than linear at the first doubling that shows it, not at the largest size', () => {
    // Exponential backtracking: (a|a)* against n `a`s and a `b` (2^n steps) at n = 12 takes a fraction of a millisecond, at 2n a few, at 16n = 192 for ever.
    const backtracking = repeated('', 'a', 'b', (t) => /^(?:a|a)*$/.test(t));
    const t0 = performance.now();
    assert.throws(() => assertLinear('backtracking', backtracking, { n: 12 }), /backtracking: /);
    assert.ok(performance.now() - t0 < 60_000, 'a hang guard only');
  });
});
